//! What both writers need, computed once: rendered citations, the
//! bibliography, and the proof that every character has a font.

use crate::bibliography;
use crate::diagnostics::Diagnostics;
use crate::fonts::{FontSet, Style};
use crate::model::{Block, Book, Inline, Marks, Span};
use std::collections::HashSet;
use std::path::Path;

mod coverage;
mod spans;

pub fn resolve(fs: &dyn crate::vfs::Fs, book: &mut Book, dir: &Path, diags: &mut Diagnostics) {
    crate::model::table::number_tables(book);
    let mut keys = HashSet::new();
    if !book.citations.is_empty() {
        let toml_file = book.sources.find("book.toml").unwrap_or(0);
        if let Some(bib) =
            bibliography::load(fs, &book.config, dir, &mut book.sources, toml_file, diags)
        {
            book.bibliography = bibliography::cite(&bib, &mut book.citations, diags);
            keys = bib.library.keys().map(str::to_string).collect();
        }
    }
    crate::crossref::resolve(book, &keys, diags);
}

/// Every character the book prints (after [`resolve`], which renders the
/// citations) must have a glyph: faces are looked for on the font paths
/// through `fs`, and what is still missing is one error per script.
pub fn check_fonts(
    fs: &dyn crate::vfs::Fs,
    book: &Book,
    fonts: &mut FontSet,
    diags: &mut Diagnostics,
) {
    coverage::check(fs, book, fonts, diags);
}

/// The face a text is set in: strong (and headings) bold, emphasis italic.
fn style_of(marks: Marks) -> Style {
    if marks.strong {
        Style::Bold
    } else if marks.emphasis {
        Style::Italic
    } else {
        Style::Regular
    }
}

/// Narrows a block's span to the first occurrence of `c` in its source.
fn exact_span(book: &Book, span: Span, c: char) -> Span {
    let src = book.sources.source(span.file);
    let end = span.end.min(src.len());
    if span.start <= end && src.is_char_boundary(span.start) && src.is_char_boundary(end) {
        if let Some(i) = src[span.start..end].find(c) {
            let start = span.start + i;
            return Span {
                file: span.file,
                start,
                end: start + c.len_utf8(),
            };
        }
    }
    span
}

/// Gathers the per-note items of a writer (`per_note[k]` for note k + 1) so
/// that a note referenced only from inside other notes travels with the
/// first of them: a PDF places notes by the references in running text, and
/// such a note has none. The carried notes' items follow their note's (in
/// number order, depth first) and their own slots are left empty.
pub fn gather_nested_notes<T>(book: &Book, per_note: &mut [Vec<T>]) {
    let homes = note_homes(book);
    let mut carried: Vec<Vec<usize>> = vec![Vec::new(); homes.len()];
    for (k, home) in homes.iter().enumerate() {
        if let Some(p) = home {
            carried[*p].push(k);
        }
    }
    for root in 0..homes.len().min(per_note.len()) {
        if homes[root].is_some() {
            continue;
        }
        let mut stack: Vec<usize> = carried[root].iter().rev().copied().collect();
        while let Some(k) = stack.pop() {
            let moved = per_note.get_mut(k).map(std::mem::take).unwrap_or_default();
            per_note[root].extend(moved);
            stack.extend(carried[k].iter().rev());
        }
    }
}

/// For each note (by index), the note it travels with: `None` when running
/// text references it, else the lowest-numbered note that does (numbered
/// before it, so the relation has no cycle).
fn note_homes(book: &Book) -> Vec<Option<usize>> {
    let n = book.notes.len();
    let mut in_text = vec![false; n];
    for chapter in &book.chapters {
        note_refs_in_blocks(&chapter.blocks, &mut |k| {
            if let Some(t) = in_text.get_mut(k) {
                *t = true;
            }
        });
    }
    let mut homes: Vec<Option<usize>> = vec![None; n];
    for (p, note) in book.notes.iter().enumerate() {
        note_refs_in_blocks(&note.blocks, &mut |k| {
            if k > p && k < n && !in_text[k] && homes[k].is_none() {
                homes[k] = Some(p);
            }
        });
    }
    homes
}

/// Calls `found` with the index of every note referenced in `blocks`. The
/// reader caps nesting, so the recursion is shallow.
fn note_refs_in_blocks(blocks: &[Block], found: &mut dyn FnMut(usize)) {
    for b in blocks {
        match b {
            Block::Heading(h) => note_refs_in_inlines(&h.content, found),
            Block::Paragraph { content, .. } => note_refs_in_inlines(content, found),
            Block::List { items, .. } => {
                for item in items {
                    note_refs_in_blocks(item, found);
                }
            }
            Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => {
                note_refs_in_blocks(blocks, found)
            }
            Block::DefinitionList { items, .. } => {
                for d in items {
                    note_refs_in_inlines(&d.term, found);
                    for def in &d.definitions {
                        note_refs_in_blocks(def, found);
                    }
                }
            }
            Block::LineBlock { lines, .. } => {
                for l in lines {
                    note_refs_in_inlines(&l.content, found);
                }
            }
            Block::Table(t) => t
                .inline_lists()
                .for_each(|c| note_refs_in_inlines(c, found)),
            Block::Figure(f) => note_refs_in_inlines(&f.caption, found),
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } => {}
        }
    }
}

fn note_refs_in_inlines(inlines: &[Inline], found: &mut dyn FnMut(usize)) {
    for i in inlines {
        match i {
            Inline::NoteRef { number } => found(number.wrapping_sub(1)),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Link { content: c, .. }
            | Inline::Marked(_, c) => note_refs_in_inlines(c, found),
            Inline::Lang(l) => note_refs_in_inlines(&l.content, found),
            _ => {}
        }
    }
}
