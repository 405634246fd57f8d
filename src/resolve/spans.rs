//! A passage in another language that no embedded font covers: one
//! warning at the span, naming its language and the characters missing,
//! beside the error at each character (the book is never printed with
//! boxes).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fonts::{FontSet, Style};
use crate::model::{plain_text, LangSpan};

/// Whether it warned.
pub(super) fn check(span: &LangSpan, fonts: &FontSet, diags: &mut Diagnostics) -> bool {
    let text = plain_text(&span.content, None);
    let mut missing: Vec<char> = text
        .chars()
        .filter(|&c| FontSet::needs_glyph(c) && fonts.face_for(Style::Regular, c).is_none())
        .collect();
    if missing.is_empty() {
        return false;
    }
    missing.sort_unstable();
    missing.dedup();
    let shown: Vec<String> = missing
        .iter()
        .take(5)
        .map(|c| format!("U+{:04X} {c}", *c as u32))
        .collect();
    let more = if missing.len() > 5 { ", …" } else { "" };
    diags.push(
        Diagnostic::warning(
            "span-not-covered",
            format!(
                "no embedded font covers this `{}` passage: {}{more}",
                span.tag,
                shown.join(", ")
            ),
        )
        .at(span.span)
        .label(format!("lang={}", span.tag))
        .note("add a font with these characters to [fonts] regular in book.toml"),
    );
    true
}
