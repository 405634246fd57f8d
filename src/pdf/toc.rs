//! The table of contents: every heading with dot leaders to its page number,
//! each entry a link to the heading.
//!
//! Body pages are numbered from 1 after the front matter (which counts in
//! roman), so the contents can be set once the body is paginated, and its
//! own length never moves a page number.

use super::frame::{LinkArea, LinkTarget};
use super::inline::{self, Align, Setting};
use super::layout::{self, Geometry, VItem, VKind};
use super::shape::Shaper;
use crate::fonts::Style;
use crate::model::{Book, Inline};

pub struct Entry {
    pub level: u8,
    pub title: Vec<Inline>,
    pub id: String,
    /// The printed page number of the heading.
    pub folio: String,
}

/// The heading of the contents page, in the book's language.
pub fn title(language: &str) -> &'static str {
    if language.starts_with("ka") {
        "სარჩევი"
    } else {
        "Contents"
    }
}

pub fn flow(shaper: &mut Shaper, book: &Book, geo: &Geometry, entries: &[Entry]) -> Vec<VItem> {
    let mut items = Vec::new();
    let heading = crate::model::Heading {
        level: 1,
        id: String::new(),
        content: vec![Inline::Text(title(&book.config.book.language).into())],
        span: Default::default(),
    };
    let mut f = layout::Flow::new(shaper, book, *geo, &[]);
    f.heading(&heading);
    for it in &mut f.items {
        it.heading = None;
        it.anchors.clear();
    }
    items.append(&mut f.items);

    // Room kept for the page number at the right.
    let reserve = geo.size * 3.0;
    let gap = geo.size * 0.4;
    for (k, e) in entries.iter().enumerate() {
        let indent = geo.size * 1.5 * (e.level.max(1) - 1) as f32;
        if e.level == 1 && k > 0 {
            items.push(VItem {
                height: geo.leading * 0.4,
                kind: VKind::Space,
                breakable: true,
                discardable: true,
                notes: Vec::new(),
                anchors: Vec::new(),
                heading: None,
            });
        }
        let set = Setting {
            size: geo.size,
            style: Style::Regular,
            align: Align::Left,
            measure: geo.measure - indent - reserve,
            first_indent: 0.0,
            hang: geo.size,
            hyphenate: false,
        };
        let title = layout::strip_notes(&e.title);
        let mut laid = inline::set_paragraph(shaper, Some(book), &title, set);
        let full = geo.measure - indent;
        let n = laid.lines.len();
        let number = layout::plain_run(shaper, &e.folio, Style::Regular, geo.size, 0.0);
        let number_width: f32 = number.iter().map(|r| r.width()).sum();
        for (i, mut line) in laid.lines.drain(..).enumerate() {
            line.links = vec![LinkArea {
                x0: 0.0,
                x1: full,
                target: LinkTarget::Anchor(e.id.clone()),
            }];
            if i + 1 == n {
                let x_number = full - number_width;
                let text_end = line
                    .runs
                    .iter()
                    .map(|r| r.x + r.width())
                    .fold(0.0, f32::max);
                // Leader positions are counted from the block's edge so that
                // the dots of every entry stand in columns.
                if let Some(mut dots) = layout::leaders(
                    shaper,
                    indent + text_end + gap,
                    indent + x_number - gap,
                    geo.size,
                ) {
                    dots.x -= indent;
                    line.runs.push(dots);
                }
                for mut r in number.iter().cloned() {
                    r.x += x_number;
                    line.runs.push(r);
                }
                line.width = full;
            }
            line.measure = full;
            items.push(VItem {
                height: geo.leading,
                kind: VKind::Line {
                    line,
                    x: indent,
                    baseline: (geo.leading - geo.size) / 2.0 + 0.8 * geo.size,
                },
                breakable: i == 0,
                discardable: false,
                notes: Vec::new(),
                anchors: Vec::new(),
                heading: None,
            });
        }
    }
    items
}
