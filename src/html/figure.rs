//! Figures and cross-references in XHTML: `<figure id>` with its image and
//! a numbered `<figcaption>`, and `[@fig:map]` as links to their targets.

use super::esc;
use super::image_href;
use super::writer::Writer;
use crate::model::{text_len, Figure, Part, Target};
use std::fmt::Write;

impl Writer<'_> {
    /// A figure: the image at its width, then the number and caption; an
    /// image without a description stands alone, as a bare `<figure>`.
    pub(super) fn figure(&mut self, f: &Figure) {
        let src = esc(&image_href(&f.path));
        let alt = esc(&f.alt);
        let style = f
            .width
            .map(|w| format!(" style=\"width: {}%\"", percent(w)))
            .unwrap_or_default();
        let Some(target) = f.target() else {
            let _ = writeln!(
                self.out,
                "<figure><img src=\"{src}\" alt=\"{alt}\"{style}/></figure>"
            );
            return;
        };
        let id = esc(&target.anchor(self.book));
        if self.opts.anchors {
            let text = crate::model::plain_text(&f.caption, Some(self.book));
            self.anchors.push((id.clone(), text));
        }
        let word = crate::locale::words(&self.book.config.book.language).figure;
        let number = f.number.unwrap_or(0);
        let _ = write!(
            self.out,
            "<figure id=\"{id}\"><img src=\"{src}\" alt=\"{alt}\"{style}/><figcaption><span class=\"figure-number\">{}\u{a0}{number}.</span> ",
            esc(word)
        );
        self.inlines(&f.caption);
        self.raw("</figcaption></figure>\n");
    }

    /// A cross-reference: each item's words, linked to its target.
    pub(super) fn cross_ref(&mut self, index: usize) {
        let Some(r) = self.book.refs.get(index) else {
            return;
        };
        // The reference counts as one unit for page places, as a citation.
        self.marks_before(text_len(&[crate::model::Inline::Ref(index)], self.book));
        for (k, item) in r.items.iter().enumerate() {
            if k > 0 {
                self.raw("; ");
            }
            match item.target.as_ref().and_then(|t| self.href_of(t)) {
                Some(href) => {
                    let _ = write!(
                        self.out,
                        "<a class=\"xref\" href=\"{}\">{}</a>",
                        esc(&href),
                        esc(&item.text)
                    );
                }
                None => self.plain(&item.text),
            }
        }
    }

    /// The link to a target in a chapter, from the document being written.
    fn href_of(&self, t: &Target) -> Option<String> {
        match t.part(self.book)? {
            Part::Chapter(c) => Some(format!("{}{}", self.href_to(c), t.anchor(self.book))),
            Part::Bibliography | Part::Contents => None,
        }
    }
}

/// A share as a percentage without a needless fraction (`60`, `33.5`).
fn percent(w: f32) -> String {
    let p = (w * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{}", p as u32)
    } else {
        format!("{p}")
    }
}
