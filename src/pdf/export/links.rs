//! What a link's annotation says it does (PDF/UA requires a description on
//! every annotation).

use crate::model::{plain_text, Book, Target};
use crate::pdf::frame::{LinkTarget, OutlineEntry};
use crate::pdf::pages::contents_title;
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
        let to = match target {
            LinkTarget::Url(url) => return url.clone(),
            LinkTarget::To(to) => to,
        };
        match to {
            Target::NoteRef(n) => format!("{} {n}", self.words.back_to_text),
            Target::Note(n) => format!("{} {n}", self.words.note),
            Target::Contents => contents_title(&self.book.config.book.language).to_string(),
            Target::Figure(n) => format!("{} {n}", self.words.figure),
            Target::Table { number, .. } => format!("{} {number}", self.words.table),
            Target::BibEntry(i) => match self.book.bibliography.get(*i) {
                Some(e) => shorten(&plain_text(&e.content, Some(self.book)), 160),
                None => to.anchor(self.book),
            },
            Target::Heading { .. } | Target::Bibliography | Target::Page(_) => {
                let id = to.anchor(self.book);
                match self.headings.get(id.as_str()) {
                    Some(title) => title.to_string(),
                    None => id,
                }
            }
        }
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
