//! The table of contents: every heading with dot leaders to its page number,
//! each entry a link to the heading.
//!
//! Body pages are numbered from 1 after the front matter (which counts in
//! roman), so the contents can be set once the body is paginated, and its
//! own length never moves a page number.

use super::Geometry;
use crate::fonts::Style;
use crate::model::{Book, Inline};
use crate::pdf::flow::{baseline, Column, Flow, VItem, VKind};
use crate::pdf::frame::marks::{self, Mark, Marks, Role, Tag};
use crate::pdf::frame::{LinkArea, LinkTarget};
use crate::pdf::text::{self, Align, Setting, Shaper};

pub(crate) struct Entry {
    pub level: u8,
    pub title: Vec<Inline>,
    pub target: crate::model::Target,
    /// The printed page number of the heading.
    pub folio: String,
}

/// The heading of the contents page, in the book's language.
pub(crate) fn title(language: &str) -> &'static str {
    crate::locale::words(language).contents
}

/// The contents as a flow of lines, marked as a heading and a `TOC` of
/// one `TOCI` per entry, each a link (its title and page number; the
/// leader dots are decoration).
pub(crate) fn flow(
    shaper: &mut Shaper,
    book: &Book,
    geo: &Geometry,
    entries: &[Entry],
) -> Vec<VItem> {
    let mut marks = Marks::default();
    let mut items = heading(shaper, book, geo, &mut marks);
    marks.open(Role::Contents);
    for (k, e) in entries.iter().enumerate() {
        if e.level == 1 && k > 0 {
            items.push(VItem::space(geo.column.leading * 0.4, true));
        }
        entry(shaper, book, &geo.column, e, &mut marks, &mut items);
    }
    items
}

/// The contents' heading: a heading of the book's structure, but neither
/// in the contents nor in the outline under its own name.
fn heading(shaper: &mut Shaper, book: &Book, geo: &Geometry, marks: &mut Marks) -> Vec<VItem> {
    let heading = crate::model::Heading {
        level: 1,
        id: String::new(),
        content: vec![Inline::Text(title(&book.config.book.language).into())],
        span: Default::default(),
    };
    let mut f = Flow::new(shaper, book, geo.column, &[], marks);
    f.heading(&heading);
    for it in &mut f.items {
        it.heading = None;
        it.anchors.clear();
    }
    // The contents' own anchor, for the outline.
    if let Some(first) = f
        .items
        .iter_mut()
        .find(|it| matches!(it.kind, VKind::Line { .. }))
    {
        first.anchors.push(ANCHOR.to_string());
    }
    std::mem::take(&mut f.items)
}

/// One entry: its title, leader dots and page number, all one link, filed
/// marked as a `TOCI`.
fn entry(
    shaper: &mut Shaper,
    book: &Book,
    col: &Column,
    e: &Entry,
    marks: &mut Marks,
    items: &mut Vec<VItem>,
) {
    // Room kept for the page number at the right.
    let reserve = col.size * 3.0;
    let gap = col.size * 0.4;
    let indent = col.size * 1.5 * (e.level.max(1) - 1) as f32;
    marks.open(Role::ContentsItem);
    marks.open(Role::Link);
    let set = Setting {
        size: col.size,
        style: Style::Regular,
        align: Align::Left,
        measure: col.measure - indent - reserve,
        first_indent: 0.0,
        hang: col.size,
        hyphenate: false,
    };
    let title = text::strip_notes(&e.title);
    let mut laid = text::set_paragraph(shaper, Some(book), &title, set, None);
    let full = col.measure - indent;
    let n = laid.lines.len();
    let number = text::plain_run(shaper, &e.folio, Style::Regular, col.size);
    let number_width: f32 = number.runs.iter().map(|r| number.run_width(r)).sum();
    for (i, mut line) in laid.lines.drain(..).enumerate() {
        marks.flush_before(&mut line);
        line.links = vec![LinkArea {
            x0: 0.0,
            x1: full,
            target: LinkTarget::To(e.target.clone()),
            link: None,
        }];
        // The title's runs, then its annotation.
        line.marks.push(Mark::new(line.runs.len(), Tag::Annot(0)));
        if i + 1 == n {
            let x_number = full - number_width;
            let text_end = line
                .runs
                .iter()
                .map(|r| r.x + line.run_width(r))
                .fold(0.0, f32::max);
            // Leader positions are counted from the block's edge so that
            // the dots of every entry stand in columns.
            if let Some(dots) = text::leaders(
                shaper,
                indent + text_end + gap,
                indent + x_number - gap,
                col.size,
            ) {
                let dots = line.take_runs(dots, false, |r| r.x -= indent);
                marks::around(&mut line, dots, Role::Artifact);
            }
            line.take_runs(number.clone(), false, |r| r.x += x_number);
            // The link and the entry end with the page number.
            marks.close();
            marks.close();
            marks.flush_after(&mut line);
            line.width = full;
        }
        line.measure = full;
        items.push(VItem {
            height: col.leading,
            kind: VKind::Line {
                line,
                x: indent,
                baseline: baseline(col.size, col.leading),
            },
            breakable: i == 0,
            discardable: false,
            notes: Vec::new(),
            anchors: Vec::new(),
            heading: None,
            float: 0,
        });
    }
}

/// Anchor of the contents' first line (a reserved heading id).
pub(crate) const ANCHOR: &str = "toc";
