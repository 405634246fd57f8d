//! Footnotes, set once at the foot's measure, and what of them is still to
//! be placed while a flow is cut into pages.

use super::Column;
use crate::model::{plain_text, Block, Book, Inline};
use crate::pdf::frame::structure::{Role, Tags};
use crate::pdf::frame::{Line, LinkTarget};
use crate::pdf::text::{self, Marker, Setting, Shaper};
use std::ops::Range;

/// Footnotes set once, at the foot's measure.
pub(crate) fn set_notes(shaper: &mut Shaper, book: &Book, col: &Column) -> Vec<Vec<Line>> {
    set_notes_tagged(shaper, book, col, &mut Tags::default())
}

/// [`set_notes`], filing each note in `tags` as a `Note`: its number (a
/// link back to the reference) as a label, then its paragraphs. The notes
/// enter the tree where they are referenced ([`Tags::tag_lines`]).
pub(crate) fn set_notes_tagged(
    shaper: &mut Shaper,
    book: &Book,
    col: &Column,
    tags: &mut Tags,
) -> Vec<Vec<Line>> {
    let mut lines: Vec<Vec<Line>> = book
        .notes
        .iter()
        .map(|note| {
            let node = tags.detached(Role::Note);
            tags.add_note(node);
            let label = tags.child(Some(node), Role::Label);
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
                let marker = first.then(|| Marker {
                    text: note.number.to_string(),
                    target: Some(LinkTarget::To(crate::model::Target::NoteRef(note.number))),
                    superscript: true,
                    gap: 0.25,
                });
                let mut laid = text::set_marked(
                    shaper,
                    Some(book),
                    marker.as_ref(),
                    &content,
                    set,
                    Some(note.span),
                );
                let p = tags.child(Some(node), Role::Paragraph);
                tags.tag_lines(&mut laid.lines, p, first.then_some(label));
                lines.extend(laid.lines);
                first = false;
            }
            if lines.is_empty() {
                let marker = Marker {
                    text: note.number.to_string(),
                    target: Some(LinkTarget::To(crate::model::Target::NoteRef(note.number))),
                    superscript: true,
                    gap: 0.0,
                };
                let mut laid =
                    text::set_marked(shaper, Some(book), Some(&marker), &[], set, Some(note.span));
                tags.tag_lines(&mut laid.lines, label, Some(label));
                lines.extend(laid.lines);
            }
            lines
        })
        .collect();
    // A note referenced only from inside notes is placed with them.
    crate::resolve::gather_nested_notes(book, &mut lines);
    lines
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
        Block::BlockQuote { blocks, .. } => blocks
            .iter()
            .map(|b| block_text(b, book))
            .collect::<Vec<_>>()
            .join(" "),
        Block::CodeBlock { text, .. } => text.clone(),
        Block::Figure(f) => f.alt.clone(),
        Block::ThematicBreak { .. } => String::new(),
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
