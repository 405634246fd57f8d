//! Inline marks and language spans as XHTML: `<sup>`, `<sub>`, `<del>`,
//! `<span class="smallcaps">`, `<span lang xml:lang>`; and year ranges
//! held together.

use super::{esc, Writer};
use crate::model::{LangSpan, Mark};

impl Writer<'_> {
    pub(super) fn marked(&mut self, mark: Mark, content: &[crate::model::Inline]) {
        let (open, close) = match mark {
            Mark::Superscript => ("<sup>", "</sup>"),
            Mark::Subscript => ("<sub>", "</sub>"),
            Mark::Strikethrough => ("<del>", "</del>"),
            Mark::SmallCaps => ("<span class=\"smallcaps\">", "</span>"),
        };
        self.raw(open);
        self.inlines(content);
        self.raw(close);
    }

    /// A passage in another language: `lang` (and `xml:lang` in XHTML),
    /// hyphenated by that language's patterns.
    pub(super) fn lang_span(&mut self, span: &LangSpan) {
        let tag = esc(&span.tag);
        let xml = if self.opts.xml {
            format!(" xml:lang=\"{tag}\"")
        } else {
            String::new()
        };
        self.raw(&format!("<span lang=\"{tag}\"{xml}>"));
        let outer = self
            .span_lang
            .replace(crate::hyphenate::lang_for(&span.tag));
        self.inlines(&span.content);
        self.span_lang = outer;
        self.raw("</span>");
    }
}

/// A word joiner after the dash of a number range (`1950–⁠1980`), so that
/// no reading system breaks the line there.
pub fn join_ranges(text: String) -> String {
    if !text.contains(['-', '–']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 3);
    for (i, c) in text.char_indices() {
        out.push(c);
        if crate::manuscript::joins_range(&text, i) {
            out.push('\u{2060}');
        }
    }
    out
}
