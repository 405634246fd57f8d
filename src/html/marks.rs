//! Inline marks and language spans as XHTML: `<sup>`, `<sub>`, `<del>`,
//! `<span class="smallcaps">`, `<span lang xml:lang>`.

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
        let outer = self.small_caps;
        self.small_caps |= mark == Mark::SmallCaps;
        self.inlines(content);
        self.small_caps = outer;
        self.raw(close);
    }

    /// Text in small caps: Georgian stretches set apart as caseless, for a
    /// browser synthesizing small capitals would draw Georgian as Mtavruli
    /// capitals (which the book's subset fonts do not even hold), and the
    /// PDF leaves Georgian as written.
    pub(super) fn small_caps_text(&mut self, s: &str) {
        self.small_caps = false;
        let georgian = crate::hyphenate::is_georgian;
        let mut rest = s;
        while let Some(first) = rest.chars().next() {
            let g = georgian(first);
            let end = rest
                .find(|c: char| georgian(c) != g && !c.is_whitespace())
                .unwrap_or(rest.len());
            if g {
                self.raw("<span class=\"caseless\">");
                self.text(&rest[..end]);
                self.raw("</span>");
            } else {
                self.text(&rest[..end]);
            }
            rest = &rest[end..];
        }
        self.small_caps = true;
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
