//! The typesetter's costliest steps one at a time, for the benchmarks:
//! setting one chapter into lines, and cutting it into pages. Nothing of
//! the flow is exposed, only how big it is.

use super::flow::{self, Column, Flow, NoteState, VItem};
use super::frame::marks::Marks;
use super::frame::Line;
use super::pages::Geometry;
use super::text::Shaper;
use super::Images;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fonts::FontSet;
use crate::model::{Book, Chapter};

/// One chapter set into its vertical flow, with the book's footnotes.
pub struct ChapterFlow {
    items: Vec<VItem>,
    notes: Vec<Vec<Line>>,
    column: Column,
}

impl ChapterFlow {
    /// Sets the book's notes, then chapter `chapter` (0-based).
    pub fn set(
        book: &Book,
        fonts: &FontSet,
        images: &Images,
        chapter: usize,
    ) -> Result<ChapterFlow, Diagnostics> {
        let (column, chapter) = column_and_chapter(book, chapter)?;
        let mut shaper = Shaper::new(fonts);
        let notes = flow::set_notes(&mut shaper, book, &column);
        let items = set(&mut shaper, book, images, column, chapter);
        Ok(ChapterFlow {
            items,
            notes,
            column,
        })
    }

    /// How many lines, images and spaces the flow holds.
    pub fn items(&self) -> usize {
        self.items.len()
    }

    /// Cuts the flow into pages, its notes all placed; returns how many.
    /// (Figures that float are moved in the flow, hence `mut`.)
    pub fn paginate(&mut self) -> usize {
        let mut state = NoteState::new(&self.notes);
        let paging = flow::Paging {
            flush: true,
            first_recto: Some(true),
        };
        flow::paginate(&mut self.items, &self.column, &mut state, paging).len()
    }
}

/// Sets chapter `chapter` (0-based) alone into lines (shaping, hyphenation,
/// line breaking), with a fresh shaper; returns how many items its flow has.
pub fn set_chapter(
    book: &Book,
    fonts: &FontSet,
    images: &Images,
    chapter: usize,
) -> Result<usize, Diagnostics> {
    let (column, chapter) = column_and_chapter(book, chapter)?;
    Ok(set(&mut Shaper::new(fonts), book, images, column, chapter).len())
}

fn column_and_chapter(book: &Book, k: usize) -> Result<(Column, &Chapter), Diagnostics> {
    let geo = Geometry::new(&book.config.pdf).map_err(|d| Diagnostics { list: vec![*d] })?;
    let chapter = book.chapters.get(k).ok_or_else(|| Diagnostics {
        list: vec![Diagnostic::error(
            "pdf-chapter",
            format!("the book has no chapter {}", k + 1),
        )],
    })?;
    Ok((geo.column, chapter))
}

fn set(
    shaper: &mut Shaper,
    book: &Book,
    images: &Images,
    column: Column,
    chapter: &Chapter,
) -> Vec<VItem> {
    let mut marks = Marks::default();
    let mut flow = Flow::new(shaper, book, column, images, &mut marks);
    flow.blocks(&chapter.blocks, 0.0, 0.0);
    std::mem::take(&mut flow.items)
}
