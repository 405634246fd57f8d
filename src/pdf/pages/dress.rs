//! A page of the body or the contents made from its piece of the flow:
//! its lines and images placed on the page, its footnotes at the foot, its
//! running head and its folio.

use super::Geometry;
use crate::model::PagePlace;
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

/// What is known of a page besides what it shows, for the EPUB and the
/// contents.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageInfo {
    /// The page's number, if it is numbered (a blank page is, though it
    /// prints none).
    pub folio: Option<String>,
    /// Whether it is a blank page.
    pub blank: bool,
    /// Ids of the headings that start on it.
    pub headings: Vec<String>,
    /// The first words of its text.
    pub first_words: String,
    /// Where in the book's text it begins, for the EPUB's page list: set
    /// on chapter pages only, from their frames.
    pub place: Option<PagePlace>,
}

/// Places a page's items, notes, running head and folio.
/// The items' lines move into the page: each is placed once.
pub(crate) fn materialize(
    fill: &Fill,
    items: &mut [VItem],
    notes: &[Vec<Line>],
    geo: &Geometry,
    dressing: PageDressing,
) -> (Page, PageInfo) {
    let left = geo.left(dressing.folio % 2 == 1);
    let mut page = Page::new(dressing.kind);
    let mut info = PageInfo {
        folio: Some(folio_text(dressing.folio, dressing.kind)),
        ..PageInfo::default()
    };
    // The page is kept until the book is drawn: no spare room.
    let n_lines: usize = fill.notes.iter().map(|p| p.lines.len()).sum();
    let n_items = items[fill.items.clone()]
        .iter()
        .filter(|it| !matches!(it.kind, VKind::Space))
        .count();
    let n_notes = if n_lines > 0 { n_lines + 1 } else { 0 };
    page.elements
        .reserve_exact(n_items + n_notes + usize::from(!dressing.opening) + 1);
    place_items(
        &mut page,
        &mut info,
        &mut items[fill.items.clone()],
        geo,
        left,
    );
    if n_lines > 0 {
        place_notes(&mut page, fill, notes, n_lines, geo, left);
    }
    dress(&mut page, dressing, geo, left);
    (page, info)
}

/// The page's share of the flow, from the top of the text block.
fn place_items(
    page: &mut Page,
    info: &mut PageInfo,
    items: &mut [VItem],
    geo: &Geometry,
    left: f32,
) {
    let mut y = geo.top;
    let mut first_words = String::new();
    for it in items {
        if y == geo.top && it.discardable {
            continue;
        }
        if y == geo.top {
            y += crate::pdf::flow::place_repeated_head(&mut page.elements, it, left, y);
        }
        if let Some(h) = &it.heading {
            info.headings.push(h.clone());
        }
        for a in &it.anchors {
            page.anchors.push(Anchor { id: a.clone(), y });
        }
        match &mut it.kind {
            VKind::Image {
                index,
                x,
                width,
                marks,
                origin,
            } => page.elements.push(Element::Image {
                index: *index,
                x: left + *x,
                y,
                width: *width,
                height: it.height,
                marks: std::mem::take(marks),
                origin: *origin,
            }),
            VKind::Line { line, x, baseline } => {
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
            VKind::Row(row) => crate::pdf::flow::place_row(&mut page.elements, row, left, y),
            VKind::Space => {}
        }
        y += it.height;
    }
    info.first_words = first_words
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
}

/// The footnotes at the foot of the text block, under a short rule.
fn place_notes(
    page: &mut Page,
    fill: &Fill,
    notes: &[Vec<Line>],
    n_lines: usize,
    geo: &Geometry,
    left: f32,
) {
    let col = &geo.column;
    let top = geo.top + col.height - col.notes_height(n_lines);
    page.elements.push(Element::Rule {
        x: left,
        y: top + col.leading * 0.45,
        width: col.measure * 0.3,
        height: 0.4,
    });
    let mut y = top + col.leading;
    let base = baseline(col.note_size, col.note_leading);
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
            y += col.note_leading;
        }
    }
}

/// Running head: the book's title on the left page, the chapter's on the
/// right, none on a chapter's first page; the folio below the text.
fn dress(page: &mut Page, dressing: PageDressing, geo: &Geometry, left: f32) {
    let col = &geo.column;
    if !dressing.opening {
        let head = if dressing.folio % 2 == 1 {
            dressing.chapter_title.unwrap_or(dressing.book_title)
        } else {
            dressing.book_title
        };
        page.elements.push(Element::Text {
            x: left + (col.measure - head.width).max(0.0) / 2.0,
            y: geo.top - col.leading * 1.5,
            line: head.clone(),
        });
    }
    page.elements.push(Element::Text {
        x: left + (col.measure - dressing.folio_line.width) / 2.0,
        y: geo.top + col.height + col.leading * 2.0,
        line: dressing.folio_line,
    });
}

/// Where a page of chapter `chapter` begins in the book's text: the origin
/// of its first line or image, `blocks` being the chapter's block paths.
pub(crate) fn place(
    page: &Page,
    folio: Option<&String>,
    chapter: usize,
    blocks: &[Vec<usize>],
) -> Option<PagePlace> {
    let origin = page.elements.iter().find_map(|e| match e {
        Element::Text { line, .. } => line.origin,
        Element::Image { origin, .. } => *origin,
        Element::Rule { .. } | Element::Cover { .. } => None,
    })?;
    Some(PagePlace {
        label: folio?.clone(),
        chapter,
        block: blocks.get(origin.block as usize)?.clone(),
        offset: origin.offset as usize,
    })
}

/// The printed page number: roman in the front matter.
pub(crate) fn folio_text(n: usize, kind: PageKind) -> String {
    match kind {
        PageKind::Body => n.to_string(),
        _ => crate::locale::roman(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::frame::Origin;

    fn text(origin: Option<Origin>) -> Element {
        Element::Text {
            x: 0.0,
            y: 0.0,
            line: Line {
                origin,
                ..Line::default()
            },
        }
    }

    #[test]
    fn a_page_begins_where_its_first_element_with_an_origin_comes_from() {
        let blocks = [vec![0], vec![3, 1, 0]];
        let mut page = Page::new(PageKind::Body);
        page.elements = vec![
            Element::Rule {
                x: 0.0,
                y: 0.0,
                width: 1.0,
                height: 1.0,
            },
            text(None),
            text(Some(Origin {
                block: 1,
                offset: 7,
            })),
            text(Some(Origin {
                block: 0,
                offset: 0,
            })),
        ];
        let folio = "12".to_string();
        let place = place(&page, Some(&folio), 4, &blocks).expect("a place");
        assert_eq!(place.label, "12");
        assert_eq!(place.chapter, 4);
        assert_eq!(place.block, vec![3, 1, 0]);
        assert_eq!(place.offset, 7);
        // No printed number, no origin or an unknown block: no place.
        assert!(super::place(&page, None, 4, &blocks).is_none());
        page.elements.truncate(2);
        assert!(super::place(&page, Some(&folio), 4, &blocks).is_none());
        page.elements.push(text(Some(Origin {
            block: 9,
            offset: 0,
        })));
        assert!(super::place(&page, Some(&folio), 4, &blocks).is_none());
    }

    #[test]
    fn front_matter_counts_in_roman() {
        assert_eq!(folio_text(4, PageKind::Contents), "iv");
        assert_eq!(folio_text(4, PageKind::Body), "4");
        assert_eq!(crate::locale::roman(1994), "mcmxciv");
    }
}
