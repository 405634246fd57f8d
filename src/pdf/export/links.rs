//! What a link's annotation says it does (PDF/UA requires a description on
//! every annotation).

use crate::model::{plain_text, Book};
use crate::pdf::frame::{LinkTarget, OutlineEntry};
use crate::pdf::pages::{contents_title, CONTENTS_ANCHOR};
use std::collections::HashMap;

/// What a link's annotation says it does, for readers that cannot see it
/// (PDF/UA requires a description on every annotation).
pub(crate) struct LinkAlts<'a> {
    book: &'a Book,
    headings: HashMap<&'a str, &'a str>,
    words: &'static crate::locale::Words,
}

impl<'a> LinkAlts<'a> {
    pub(crate) fn new(book: &'a Book, outline: &'a [OutlineEntry]) -> Self {
        LinkAlts {
            book,
            headings: outline
                .iter()
                .map(|e| (e.id.as_str(), e.title.as_str()))
                .collect(),
            words: crate::locale::words(&book.config.book.language),
        }
    }

    pub(crate) fn describe(&self, target: &LinkTarget) -> String {
        let id = match target {
            LinkTarget::Url(url) => return url.clone(),
            LinkTarget::Anchor(id) => id.as_str(),
        };
        let number = |prefix: &str| {
            id.strip_prefix(prefix)
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if let Some(n) = number("fnref") {
            return format!("{} {n}", self.words.back_to_text);
        }
        if let Some(n) = number("fn") {
            return format!("{} {n}", self.words.note);
        }
        if id == CONTENTS_ANCHOR {
            return contents_title(&self.book.config.book.language).to_string();
        }
        if let Some(title) = self.headings.get(id) {
            return title.to_string();
        }
        if let Some(e) = self.book.bibliography.iter().find(|e| e.id == id) {
            let text = plain_text(&e.content, Some(self.book));
            return shorten(&text, 160);
        }
        id.to_string()
    }
}

/// At most `max` characters, cut at a word with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        assert_eq!(shorten("ab cd ef", 5), "ab…");
        assert_eq!(shorten("ab", 5), "ab");
    }
}
