//! Tables: columns with their alignment and (for wide tables) the share of
//! the measure the source's dashes give them, header and body rows of cells
//! holding inlines, and a caption with its `{#tbl:…}` label. The number is
//! given in the preparing stage ([`number_tables`]), in reading order.

use super::{Block, Book, Inline, Span};

/// How a column's cells are aligned, as the separator line says
/// (`:--`, `:-:`, `--:`; none given is the reading direction's start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Default,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub align: Align,
    /// Share of the measure (0..=1), from the source's dashes when a row is
    /// wider than a line (pandoc's rule); `None`: widths from the content.
    pub width: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<TableColumn>,
    /// Header rows (pipe tables have one; a grid table may have none).
    pub head: Vec<Row>,
    pub body: Vec<Row>,
    /// The caption's text without `Table:` and without its label; empty
    /// when the source gives none.
    pub caption: Vec<Inline>,
    /// The label's text (`tbl:kings` of `{#tbl:kings}`), for references.
    pub label: Option<String>,
    /// 1-based, in reading order through the book; 0 until
    /// [`number_tables`] ran.
    pub number: usize,
    pub span: Span,
}

impl Table {
    /// Every inline list of the table in reading order: caption, then the
    /// cells row by row.
    pub fn inline_lists(&self) -> impl Iterator<Item = &Vec<Inline>> {
        std::iter::once(&self.caption).chain(
            self.head
                .iter()
                .chain(&self.body)
                .flat_map(|r| r.cells.iter().map(|c| &c.content)),
        )
    }

    /// The same, to change them (note numbers).
    pub fn inline_lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<Inline>> {
        std::iter::once(&mut self.caption).chain(
            self.head
                .iter_mut()
                .chain(self.body.iter_mut())
                .flat_map(|r| r.cells.iter_mut().map(|c| &mut c.content)),
        )
    }

    /// The anchor of the table: its label, else `tbl-N`.
    pub fn id(&self) -> String {
        match &self.label {
            Some(l) => l.replace(':', "-"),
            None => format!("tbl-{}", self.number),
        }
    }
}

/// Numbers the tables of the chapters in reading order (1, 2, …), the one
/// numbering every writer and the cross-reference registry read: those
/// inside lists, quotes, epigraphs and definitions where they stand, then
/// those of notes (which the PDF can only set as text).
pub fn number_tables(book: &mut Book) {
    let mut next = 0;
    let chapters = book.chapters.iter_mut().map(|c| &mut c.blocks);
    let notes = book.notes.iter_mut().map(|n| &mut n.blocks);
    for blocks in chapters.chain(notes) {
        super::walk::blocks_mut(blocks, &mut |b| {
            if let Block::Table(t) = b {
                next += 1;
                t.number = next;
            }
        });
    }
}

/// Every table of the chapters and notes in numbering order.
pub fn tables(book: &Book) -> Vec<&Table> {
    let mut out = Vec::new();
    let all = book
        .chapters
        .iter()
        .map(|c| &c.blocks)
        .chain(book.notes.iter().map(|n| &n.blocks));
    for blocks in all {
        super::walk::blocks(blocks, &mut |v| {
            if let super::Visit::Block(Block::Table(t)) = v {
                out.push(&**t);
            }
        });
    }
    out
}
