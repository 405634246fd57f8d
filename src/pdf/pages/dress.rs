//! A page of the body or the contents made from its piece of the flow:
//! its lines and images placed on the page, its footnotes at the foot, its
//! running head and its folio.

use super::Geometry;
use crate::pdf::flow::{baseline, Fill, VItem, VKind};
use crate::pdf::frame::{Anchor, Element, Line, Page, PageKind};

/// What a page shows besides its text: kind, number, running head.
pub(crate) struct PageDressing<'a> {
    pub kind: PageKind,
    pub folio: usize,
    pub folio_line: Line,
    pub book_title: &'a Line,
    pub chapter_title: Option<&'a Line>,
    /// The first page of a chapter carries no running head.
    pub opening: bool,
}

/// Places a page's items, notes, running head and folio.
/// The items' lines move into the page: each is placed once.
pub(crate) fn materialize(
    fill: &Fill,
    items: &mut [VItem],
    notes: &[Vec<Line>],
    geo: &Geometry,
    dressing: PageDressing,
) -> Page {
    let PageDressing {
        kind,
        folio,
        folio_line,
        ..
    } = dressing;
    let recto = folio % 2 == 1;
    let left = geo.left(recto);
    let mut page = Page::new(kind);
    page.folio = Some(folio_text(folio, kind));
    // The page is kept until the book is drawn: no spare room.
    let n_lines: usize = fill.notes.iter().map(|p| p.lines.len()).sum();
    let n_items = items[fill.items.clone()]
        .iter()
        .filter(|it| !matches!(it.kind, VKind::Space))
        .count();
    let n_notes = if n_lines > 0 { n_lines + 1 } else { 0 };
    page.elements
        .reserve_exact(n_items + n_notes + usize::from(!dressing.opening) + 1);
    let mut y = geo.top;
    let mut first_words = String::new();
    for it in &mut items[fill.items.clone()] {
        if y == geo.top && it.discardable {
            continue;
        }
        if let Some(h) = &it.heading {
            page.headings.push(h.clone());
        }
        for a in &it.anchors {
            page.anchors.push(Anchor { id: a.clone(), y });
        }
        if page.source.is_none() {
            page.source = it.src;
        }
        if let VKind::Image {
            index,
            x,
            width,
            tag,
        } = &it.kind
        {
            page.elements.push(Element::Image {
                index: *index,
                x: left + x,
                y,
                width: *width,
                height: it.height,
                tag: *tag,
            });
        }
        if let VKind::Line { line, x, baseline } = &mut it.kind {
            if first_words.split_whitespace().count() < 6 {
                if !first_words.is_empty() {
                    first_words.push(' ');
                }
                first_words.push_str(&line.text());
            }
            page.elements.push(Element::Text {
                x: left + *x,
                y: y + *baseline,
                line: std::mem::take(line),
            });
        }
        y += it.height;
    }
    page.first_words = first_words
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");

    if n_lines > 0 {
        let top = geo.top + geo.column.height - geo.column.notes_height(n_lines);
        page.elements.push(Element::Rule {
            x: left,
            y: top + geo.column.leading * 0.45,
            width: geo.column.measure * 0.3,
            height: 0.4,
        });
        let mut y = top + geo.column.leading;
        let base = baseline(geo.column.note_size, geo.column.note_leading);
        for part in &fill.notes {
            if part.lines.start == 0 {
                page.anchors.push(Anchor {
                    id: format!("fn{}", part.note + 1),
                    y,
                });
            }
            for line in &notes[part.note][part.lines.clone()] {
                page.elements.push(Element::Text {
                    x: left,
                    y: y + base,
                    line: line.clone(),
                });
                y += geo.column.note_leading;
            }
        }
    }

    // Running head: the book's title on the left page, the chapter's on the
    // right, none on a chapter's first page.
    if !dressing.opening {
        let head = if recto {
            dressing.chapter_title.unwrap_or(dressing.book_title)
        } else {
            dressing.book_title
        };
        page.elements.push(Element::Text {
            x: left + (geo.column.measure - head.width).max(0.0) / 2.0,
            y: geo.top - geo.column.leading * 1.5,
            line: head.clone(),
        });
    }
    page.elements.push(Element::Text {
        x: left + (geo.column.measure - folio_line.width) / 2.0,
        y: geo.top + geo.column.height + geo.column.leading * 2.0,
        line: folio_line,
    });
    page
}

/// The printed page number: roman in the front matter.
pub(crate) fn folio_text(n: usize, kind: PageKind) -> String {
    match kind {
        PageKind::Body => n.to_string(),
        _ => roman(n),
    }
}

pub(crate) fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}
