//! What a link, a contents entry or a page mark points at, as a type: each
//! writer turns a target into its own link form (an XHTML `href`, a PDF
//! destination), and the anchor names are spelled here alone.

use super::Book;

/// A place in the book that can be linked to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A heading of chapter `chapter`, by its id (unique in the book).
    Heading { chapter: usize, id: String },
    /// The body of note `number` (1-based).
    Note(usize),
    /// The first reference to note `number`, where its body links back to.
    NoteRef(usize),
    /// The generated bibliography chapter.
    Bibliography,
    /// Entry `index` of the bibliography.
    BibEntry(usize),
    /// The contents.
    Contents,
    /// Figure `number` (1-based).
    Figure(usize),
    /// Table `number` (1-based) of chapter `chapter`, by its id.
    Table {
        chapter: usize,
        number: usize,
        id: String,
    },
    /// Where the printed page labelled `label` begins.
    Page(String),
}

/// Where a target stands: which part of the book holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Chapter(usize),
    Bibliography,
    Contents,
}

/// The anchor of the generated bibliography's heading.
pub const BIBLIOGRAPHY: &str = "bibliography";
/// The anchor of the contents.
pub const CONTENTS: &str = "toc";

impl Target {
    /// The fragment identifier of the target: the `id` attribute in XHTML,
    /// the named destination in the PDF.
    pub fn anchor(&self, book: &Book) -> String {
        match self {
            Target::Heading { id, .. } => id.clone(),
            Target::Note(_) | Target::NoteRef(_) => self.anchor_of_note(),
            Target::Bibliography => BIBLIOGRAPHY.into(),
            Target::BibEntry(i) => book
                .bibliography
                .get(*i)
                .map(|e| e.id.clone())
                .unwrap_or_else(|| BIBLIOGRAPHY.into()),
            Target::Contents => CONTENTS.into(),
            Target::Page(label) => format!("page-{label}"),
            Target::Figure(n) => format!("fig-{n}"),
            Target::Table { id, .. } => id.clone(),
        }
    }

    /// The anchor of a note or of its reference, which needs no book.
    pub(super) fn anchor_of_note(&self) -> String {
        match self {
            Target::NoteRef(n) => format!("fnref{n}"),
            Target::Note(n) => format!("fn{n}"),
            _ => String::new(),
        }
    }

    /// The part of the book the target stands in; `None` for a page, which
    /// each writer places itself.
    pub fn part(&self, book: &Book) -> Option<Part> {
        match self {
            Target::Heading { chapter, .. } => Some(Part::Chapter(*chapter)),
            Target::Note(n) | Target::NoteRef(n) => book
                .notes
                .get(n.wrapping_sub(1))
                .map(|note| Part::Chapter(note.chapter)),
            Target::Bibliography | Target::BibEntry(_) => Some(Part::Bibliography),
            Target::Contents => Some(Part::Contents),
            Target::Figure(n) => book
                .figures
                .get(n.wrapping_sub(1))
                .map(|&c| Part::Chapter(c)),
            Target::Table { chapter, .. } => Some(Part::Chapter(*chapter)),
            Target::Page(_) => None,
        }
    }
}
