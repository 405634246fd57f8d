//! The title page's colophon lines for the EPUB and the web edition: only
//! what `book.toml` gives, never a made-up line.

use super::esc;
use crate::config::BookMeta;
use std::fmt::Write;

/// `<p>` lines: edition, imprint (place: publisher), date, ISBN, copyright
/// line, rights, and the licence linked to its text.
pub fn lines(b: &BookMeta) -> String {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let imprint = match (given(&b.place), given(&b.publisher)) {
        (Some(p), Some(q)) => Some(format!("{p}: {q}")),
        (p, q) => p.or(q).map(String::from),
    };
    let isbn = given(&b.isbn).map(|i| format!("ISBN {i}"));
    let mut out = String::new();
    let plain = [
        given(&b.edition).map(String::from),
        imprint,
        given(&b.date).map(String::from),
        isbn,
        given(&b.copyright).map(String::from),
        given(&b.rights).map(String::from),
    ];
    for line in plain.into_iter().flatten() {
        let _ = writeln!(out, "<p>{}</p>", esc(&line));
    }
    match (given(&b.license), given(&b.license_url)) {
        (name, Some(url)) => {
            let _ = writeln!(
                out,
                "<p class=\"license\"><a href=\"{}\">{}</a></p>",
                esc(url),
                esc(name.unwrap_or(url))
            );
        }
        (Some(name), None) => {
            let _ = writeln!(out, "<p class=\"license\">{}</p>", esc(name));
        }
        (None, None) => {}
    }
    out
}
