//! Footnotes, set once at the foot's measure, and what of them is still to
//! be placed while a flow is cut into pages.

use super::Column;
use crate::model::{plain_text, Block, Book, Inline};
use crate::pdf::frame::marks::{Mark, Marks, Role, Tag};
use crate::pdf::frame::{Line, LinkTarget};
use crate::pdf::text::{self, Marker, Setting, Shaper};
use std::ops::Range;

/// Footnotes set once, at the foot's measure, each marked as a `Note`:
/// its number (a link back to the reference) as a label, then its
/// paragraphs, every line as the note's text ([`Tag::Foot`]). The exporter
/// reads a note where it is referenced.
pub(crate) fn set_notes(shaper: &mut Shaper, book: &Book, col: &Column) -> Vec<Vec<Line>> {
    let mut lines: Vec<Vec<Line>> = book
        .notes
        .iter()
        .map(|note| {
            let mut marks = Marks::default();
            marks.open(Role::Note);
            let mut lines = Vec::new();
            let set = Setting {
                size: col.note_size,
                first_indent: col.note_size,
                ..col.body()
            };
            let mut first = true;
            for block in &note.blocks {
                let content: Vec<Inline> = match block {
                    Block::Paragraph { content, .. } => content.clone(),
                    Block::Heading(h) => h.content.clone(),
                    Block::CodeBlock { text, .. } => vec![Inline::Code(text.clone())],
                    other => vec![Inline::Text(block_text(other, book))],
                };
                let marker = first.then(|| number(note.number, 0.5));
                let mut laid = text::set_marked(
                    shaper,
                    Some(book),
                    marker.as_ref(),
                    &content,
                    set,
                    Some(note.span),
                );
                if first {
                    marks.labelled(&mut laid.lines, Role::Paragraph);
                } else {
                    marks.lines(&mut laid.lines, Role::Paragraph);
                }
                lines.extend(laid.lines);
                first = false;
            }
            if lines.is_empty() {
                let marker = number(note.number, 0.0);
                let mut laid =
                    text::set_marked(shaper, Some(book), Some(&marker), &[], set, Some(note.span));
                marks.lines(&mut laid.lines, Role::Label);
                lines.extend(laid.lines);
            }
            marks.close();
            if let Some(last) = lines.last_mut() {
                marks.flush_after(last);
            }
            for line in &mut lines {
                line.marks
                    .insert(0, Mark::new(0, Tag::Foot(note.number as u32)));
            }
            lines
        })
        .collect();
    // A note referenced only from inside notes is placed with them.
    crate::resolve::gather_nested_notes(book, &mut lines);
    lines
}

/// A note's number as it opens the note: a numeral of the note's own size
/// and a period, as continental books set it (a superscript of the note
/// size would be under 5 pt), linking back to the reference; `gap` ems
/// after it.
fn number(n: usize, gap: f32) -> Marker {
    Marker {
        text: format!("{n}."),
        target: Some(LinkTarget::To(crate::model::Target::NoteRef(n))),
        superscript: false,
        gap,
    }
}

/// Plain text of a block that a note can only show as text.
fn block_text(block: &Block, book: &Book) -> String {
    match block {
        Block::Heading(h) => plain_text(&h.content, Some(book)),
        Block::Paragraph { content, .. } => plain_text(content, Some(book)),
        Block::List { items, .. } => items
            .iter()
            .flat_map(|i| i.iter().map(|b| block_text(b, book)))
            .collect::<Vec<_>>()
            .join(" "),
        Block::DefinitionList { items, .. } => items
            .iter()
            .map(|d| {
                let defs = d.definitions.iter().flatten();
                let defs: Vec<_> = defs.map(|b| block_text(b, book)).collect();
                format!("{}: {}", plain_text(&d.term, Some(book)), defs.join(" "))
            })
            .collect::<Vec<_>>()
            .join(" "),
        Block::LineBlock { lines, .. } => lines
            .iter()
            .map(|l| plain_text(&l.content, Some(book)))
            .collect::<Vec<_>>()
            .join(" / "),
        Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => blocks
            .iter()
            .map(|b| block_text(b, book))
            .collect::<Vec<_>>()
            .join(" "),
        Block::CodeBlock { text, .. } => text.clone(),
        Block::Figure(f) => f.alt.clone(),
        Block::ThematicBreak { .. } => String::new(),
        // A note can only show a table as text, row by row.
        Block::Table(t) => t
            .inline_lists()
            .map(|c| plain_text(c, Some(book)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Part of a footnote on a page.
#[derive(Debug, Clone)]
pub(crate) struct NotePart {
    pub note: usize,
    pub lines: Range<usize>,
}

/// Footnotes still to place: parts carried over from an earlier page, and
/// which notes are already placed.
pub(crate) struct NoteState<'n> {
    pub lines: &'n [Vec<Line>],
    pub placed: Vec<bool>,
    pub carry: Vec<NotePart>,
}

impl<'n> NoteState<'n> {
    pub(crate) fn new(lines: &'n [Vec<Line>]) -> Self {
        NoteState {
            lines,
            placed: vec![false; lines.len()],
            carry: Vec::new(),
        }
    }
}
