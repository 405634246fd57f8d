//! The document model: one typed tree that both writers consume.
//!
//! The reader (`manuscript`) builds it, `resolve` fills in what both writers need
//! (note numbers, rendered citations, the bibliography), and neither writer ever
//! looks at Markdown again.

use crate::config::Config;
use crate::diagnostics::SourceMap;

pub use crate::source::Span;

pub mod blocks;
pub mod figure;
pub mod marks;
pub mod table;
pub mod target;
pub mod walk;
pub use figure::{CrossRef, Figure, LabelKind, RefItem};
pub use marks::{LangSpan, Mark};
pub use table::Table;
pub use target::{Part, Target};
pub use walk::{Marks, Visit};

#[derive(Debug, Clone)]
pub struct Book {
    pub config: Config,
    pub chapters: Vec<Chapter>,
    /// Footnotes in the order of their first reference; `notes[i].number == i + 1`.
    pub notes: Vec<Note>,
    /// Every citation of the book in reading order; [`Inline::Citation`] indexes into it.
    pub citations: Vec<Citation>,
    /// Cited works, sorted as the citation style sorts them.
    pub bibliography: Vec<BibEntry>,
    /// Every cross-reference of the book in reading order; [`Inline::Ref`]
    /// indexes into it.
    pub refs: Vec<CrossRef>,
    /// The chapter of each numbered figure: `figures[n - 1]` for figure n.
    pub figures: Vec<usize>,
    pub sources: SourceMap,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// Stable identifier, also the EPUB file stem (`ch01`).
    pub id: String,
    /// File name inside `manuscript/`, as listed in `book.toml`.
    pub file: String,
    pub blocks: Vec<Block>,
    pub span: Span,
    /// Front matter, a body chapter (in its part), an appendix or a part's
    /// title page.
    pub kind: crate::structure::Kind,
}

impl Chapter {
    /// The chapter's first heading, which is its title.
    pub fn title(&self) -> Option<&Heading> {
        self.blocks.iter().find_map(|b| match b {
            Block::Heading(h) => Some(h),
            _ => None,
        })
    }

    pub fn headings(&self) -> impl Iterator<Item = &Heading> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading(h) => Some(h),
            _ => None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 = chapter title, 2 = section, …
    pub level: u8,
    /// Unique across the book (`ch01`, `ch05-s3`): anchor in the EPUB, destination in the PDF.
    pub id: String,
    pub content: Vec<Inline>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading(Heading),
    Paragraph {
        content: Vec<Inline>,
        span: Span,
    },
    List {
        /// `Some(first number)` for an ordered list.
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        span: Span,
    },
    BlockQuote {
        blocks: Vec<Block>,
        span: Span,
    },
    CodeBlock {
        text: String,
        span: Span,
    },
    /// An image standing alone in a paragraph: a figure when it has a
    /// description.
    Figure(Figure),
    ThematicBreak {
        span: Span,
    },
    /// `term` / `: definition` pairs (see [`blocks`]).
    DefinitionList {
        items: Vec<blocks::Definition>,
        span: Span,
    },
    /// Verse and the like: `| ` lines that keep their breaks and indents.
    LineBlock {
        lines: Vec<blocks::VerseLine>,
        span: Span,
    },
    /// A block quote opening a chapter, its last paragraph the attribution.
    Epigraph {
        blocks: Vec<Block>,
        span: Span,
    },
    Table(Box<Table>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text with quotes already made Georgian. Never contains line breaks.
    Text(String),
    /// A break between words that came from a line end in the source.
    Space,
    LineBreak,
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(String),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A footnote reference: `number` is 1-based, `notes[number - 1]`.
    NoteRef {
        number: usize,
    },
    /// Index into [`Book::citations`].
    Citation(usize),
    /// Superscript, subscript, strikethrough or small caps (`src/model/marks.rs`).
    Marked(Mark, Vec<Inline>),
    /// A passage in another language: `[текст]{lang=ru}`.
    Lang(LangSpan),
    /// Index into [`Book::refs`]: `[@fig:map]`.
    Ref(usize),
}

#[derive(Debug, Clone)]
pub struct Note {
    pub number: usize,
    /// The Markdown label (`[^label]`).
    pub label: String,
    /// Index of the chapter where it is referenced.
    pub chapter: usize,
    pub blocks: Vec<Block>,
    pub span: Span,
}

impl Note {
    /// Anchor of the note body.
    pub fn id(&self) -> String {
        target::Target::Note(self.number).anchor_of_note()
    }
    /// Anchor of the reference, for the link back.
    pub fn ref_id(&self) -> String {
        target::Target::NoteRef(self.number).anchor_of_note()
    }
}

#[derive(Debug, Clone)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// Chapter in which the citation stands.
    pub chapter: usize,
    /// Filled by `resolve`: the in-text form, e.g. `(Snow, 1961: 96)`.
    pub rendered: Vec<Inline>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CiteItem {
    pub key: String,
    /// Page or other locator as written after the comma: `[@snow1961, 96]`.
    pub locator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BibEntry {
    pub key: String,
    /// Anchor of the entry (`ref-snow1961`).
    pub id: String,
    pub content: Vec<Inline>,
}

/// Plain text of inlines, for titles, metadata, outlines and alt text.
pub fn plain_text(inlines: &[Inline], book: Option<&Book>) -> String {
    let mut out = String::new();
    walk::inlines(inlines, Marks::default(), None, &mut |v| {
        let Visit::Inline(i, ..) = v else { return };
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Space | Inline::LineBreak => out.push(' '),
            Inline::Citation(idx) => {
                // Rendered citations hold no citations: this goes one level deep.
                if let Some(c) = book.and_then(|b| b.citations.get(*idx)) {
                    out.push_str(&plain_text(&c.rendered, None))
                }
            }
            Inline::Ref(idx) => {
                if let Some(r) = book.and_then(|b| b.refs.get(*idx)) {
                    out.push_str(&ref_plain(r))
                }
            }
            Inline::Emphasis(_)
            | Inline::Strong(_)
            | Inline::Link { .. }
            | Inline::Marked(..)
            | Inline::Lang(_)
            | Inline::NoteRef { .. } => {}
        }
    });
    out
}

/// A cross-reference's words without pages, as every output counts them.
pub fn ref_plain(r: &CrossRef) -> String {
    let texts: Vec<&str> = r.items.iter().map(|i| i.text.as_str()).collect();
    texts.join("; ")
}

/// Where a printed page of the PDF begins, as a place in the text, so the
/// EPUB can mark the same page break (its `page-list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePlace {
    /// The printed page number.
    pub label: String,
    /// Index of the chapter; one past the last chapter for the generated
    /// bibliography, whose blocks are its entries.
    pub chapter: usize,
    /// Path to the block: its index in the chapter, then for a list the item
    /// and the block inside it, for a block quote the block inside it.
    pub block: Vec<usize>,
    /// Characters of the block's text before the page begins, counted by
    /// [`text_len`].
    pub offset: usize,
}

/// Length of inlines in characters as both writers count them for page
/// places: text, code and rendered citations count their characters, a space
/// or line break one, a note reference nothing.
pub fn text_len(inlines: &[Inline], book: &Book) -> usize {
    let mut n = 0;
    walk::inlines(inlines, Marks::default(), None, &mut |v| {
        let Visit::Inline(i, ..) = v else { return };
        n += match i {
            Inline::Text(t) | Inline::Code(t) => t.chars().count(),
            Inline::Space | Inline::LineBreak => 1,
            Inline::Citation(idx) => book
                .citations
                .get(*idx)
                .map(|c| plain_text(&c.rendered, None).chars().count())
                .unwrap_or(0),
            Inline::Ref(idx) => book
                .refs
                .get(*idx)
                .map(|r| ref_plain(r).chars().count())
                .unwrap_or(0),
            Inline::Emphasis(_)
            | Inline::Strong(_)
            | Inline::Link { .. }
            | Inline::Marked(..)
            | Inline::Lang(_)
            | Inline::NoteRef { .. } => 0,
        }
    });
    n
}
