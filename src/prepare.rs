//! The prepared book: the model read and resolved, with what every writer
//! shows computed once here (the contents, the generated bibliography
//! chapter's heading, the book's words and build time), so that no writer
//! derives them on its own or asks another writer.

use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::fonts::FontSet;
use crate::locale::Words;
use crate::model::{self, plain_text, Book, Heading, Inline, Target};
use std::path::PathBuf;

/// A book read, resolved and checked, ready for any writer.
pub struct Prepared {
    pub book: Book,
    pub fonts: FontSet,
    pub cover: Cover,
    /// Warnings found on the way (errors end the build instead).
    pub warnings: Diagnostics,
    pub manuscript_dir: PathBuf,
    /// Images the chapters show, by their manuscript path, read once here.
    pub images: Vec<(String, Vec<u8>)>,
    /// Every file read, resolved: no output may replace one.
    pub inputs: Vec<PathBuf>,
}

impl Prepared {
    /// The words tsigni prints in this book's language.
    pub fn words(&self) -> &'static Words {
        crate::locale::words(&self.book.config.book.language)
    }

    /// The time every output carries.
    pub fn built(&self) -> crate::timestamp::Civil {
        crate::timestamp::build_time(&self.book)
    }

    /// The contents of the book, in reading order.
    pub fn contents(&self) -> Vec<ContentsEntry> {
        contents(&self.book)
    }
}

/// One entry of the contents: a heading of a chapter, or the generated
/// bibliography.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentsEntry {
    /// 1 for a chapter, 2 for its sections, …
    pub level: u8,
    pub target: Target,
    pub title: Vec<Inline>,
}

impl ContentsEntry {
    /// The entry's title as plain text, for navigation documents and outlines.
    pub fn plain_title(&self, book: &Book) -> String {
        plain_text(&self.title, Some(book))
    }
}

/// Every heading of every chapter, then the bibliography when the book
/// cites anything.
pub fn contents(book: &Book) -> Vec<ContentsEntry> {
    let mut out: Vec<ContentsEntry> = book
        .chapters
        .iter()
        .enumerate()
        .flat_map(|(chapter, c)| {
            // A part's chapters nest under its title.
            let deeper = u8::from(c.kind.in_part());
            c.headings().map(move |h| ContentsEntry {
                level: h.level.saturating_add(deeper),
                target: Target::Heading {
                    chapter,
                    id: h.id.clone(),
                },
                title: h.content.clone(),
            })
        })
        .collect();
    if let Some(h) = bibliography_heading(book) {
        out.push(ContentsEntry {
            level: h.level,
            target: Target::Bibliography,
            title: h.content,
        });
    }
    out
}

/// The heading of the generated bibliography chapter, when there is one.
pub fn bibliography_heading(book: &Book) -> Option<Heading> {
    (!book.bibliography.is_empty()).then(|| Heading {
        level: 1,
        id: model::target::BIBLIOGRAPHY.into(),
        content: vec![Inline::Text(book.config.bibliography.title.clone())],
        span: Default::default(),
    })
}
