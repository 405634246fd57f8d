//! Landmarks for the book's declared structure: each piece of front matter
//! with a kind, and the first appendix.

use crate::html::esc;
use crate::model::{plain_text, Book};
use crate::structure::{FrontRole, Kind};
use std::fmt::Write;

/// `<li>` entries of the landmarks for front matter of a declared kind and
/// the first appendix; empty for a book without them.
pub fn structure(book: &Book) -> String {
    let mut out = String::new();
    let mut appendix_done = false;
    for c in &book.chapters {
        let wanted = match c.kind {
            Kind::Front(role) => role != FrontRole::Other,
            Kind::Appendix(_) => !std::mem::replace(&mut appendix_done, true),
            Kind::Body { .. } | Kind::Part(_) => false,
        };
        if !wanted {
            continue;
        }
        let title = c
            .title()
            .map(|h| plain_text(&h.content, Some(book)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<li><a epub:type=\"{}\" href=\"text/{}.xhtml\">{}</a></li>",
            c.kind.epub_type(),
            esc(&c.id),
            esc(&title)
        );
    }
    out
}
