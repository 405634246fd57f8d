//! The title verso, the page after the title page: the copyright line,
//! the rights and licence, the edition, the imprint (place: publisher,
//! year) and the ISBN, set at the foot of the page. Only what `book.toml`
//! gives is printed; a book that gives none of it has no verso.

use super::Geometry;
use crate::fonts::Style;
use crate::model::Book;
use crate::pdf::frame::marks::{Marks, Role};
use crate::pdf::frame::{Element, Page, PageKind};
use crate::pdf::text::{self, Align, Setting, Shaper};

/// Whether the book gives anything for its verso.
pub(super) fn wanted(book: &Book) -> bool {
    !paragraphs(book).is_empty()
}

/// The verso's paragraphs, in the order of a printed book's copyright page;
/// `true` marks the first of a group, set off by a blank line.
fn paragraphs(book: &Book) -> Vec<(String, bool)> {
    let b = &book.config.book;
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    let group = |lines: Vec<Option<String>>, out: &mut Vec<(String, bool)>| {
        let mut first = !out.is_empty();
        for l in lines.into_iter().flatten() {
            out.push((l, std::mem::take(&mut first)));
        }
    };
    group(
        vec![
            given(&b.copyright).map(String::from),
            given(&b.rights).map(String::from),
            given(&b.license).map(String::from),
            given(&b.license_url).map(String::from),
        ],
        &mut out,
    );
    // The imprint as a catalogue cites it: "Place: Publisher, Year".
    let place_publisher = match (given(&b.place), given(&b.publisher)) {
        (Some(p), Some(q)) => Some(format!("{p}: {q}")),
        (p, q) => p.or(q).map(String::from),
    };
    let year = given(&b.date).map(|d| d.chars().take(4).collect::<String>());
    let imprint = match (place_publisher, year) {
        (Some(pp), Some(y)) => Some(format!("{pp}, {y}")),
        // A year alone is the title page's; the verso adds nothing with it.
        (pp, _) => pp,
    };
    group(vec![given(&b.edition).map(String::from), imprint], &mut out);
    group(vec![given(&b.isbn).map(|i| format!("ISBN {i}"))], &mut out);
    out
}

/// The verso page, each paragraph marked as one.
pub(super) fn page(shaper: &mut Shaper, book: &Book, geo: &Geometry) -> Page {
    let col = &geo.column;
    let size = col.size * 0.9;
    let leading = col.leading * 0.9;
    let set = Setting {
        size,
        style: Style::Regular,
        align: Align::Left,
        measure: col.measure,
        first_indent: 0.0,
        hang: 0.0,
        hyphenate: false,
    };
    let laid: Vec<_> = paragraphs(book)
        .into_iter()
        .map(|(text, gap)| (text::set_text(shaper, &text, set).lines, gap))
        .collect();
    let height: f32 = laid
        .iter()
        .map(|(lines, gap)| lines.len() as f32 * leading + if *gap { leading } else { 0.0 })
        .sum();
    let mut page = Page::new(PageKind::Title);
    // A verso: the inner margin is on its right.
    let left = geo.left(false);
    let mut y = (geo.top + col.height - height).max(geo.top);
    let mut marks = Marks::default();
    for (mut lines, gap) in laid {
        if gap {
            y += leading;
        }
        marks.lines(&mut lines, Role::Paragraph);
        for line in lines {
            y += leading;
            page.elements.push(Element::Text { x: left, y, line });
        }
    }
    page
}
