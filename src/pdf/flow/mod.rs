//! The vertical flow: blocks become lines, images and spaces
//! ([`collect`]), footnotes are set for the foot of the page ([`notes`]),
//! and the flow is cut into page-sized pieces ([`paginate`]).
//!
//! The flow knows the text column, not the page: margins, running heads
//! and folios are the pages' business.

mod blocks;
mod breaker;
mod collect;
mod figure;
mod grid;
mod looseness;
mod notes;
mod paginate;
mod variants;

pub(crate) use collect::table::{
    place_repeated_head, place_row, plan as plan_table, repeated_head_height, RowItem,
    SIZE as TABLE_SIZE,
};
pub(crate) use collect::Flow;
pub(crate) use notes::{set_notes, NotePart, NoteState};
pub(crate) use paginate::{paginate, paginate_chapter, Fill, Paging};
pub(crate) use variants::Alt;

use crate::fonts::Style;
use crate::pdf::frame::{Line, Origin};
use crate::pdf::text::{Align, Setting};

/// The column of text: its size and the type set in it, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    /// Width and height of the text block.
    pub measure: f32,
    pub height: f32,
    pub size: f32,
    pub leading: f32,
    pub note_size: f32,
    pub note_leading: f32,
    pub hyphenate: bool,
}

impl Column {
    /// How body text is set in it.
    pub fn body(&self) -> Setting {
        Setting {
            size: self.size,
            style: Style::Regular,
            align: Align::Justify,
            measure: self.measure,
            first_indent: 0.0,
            hang: 0.0,
            hyphenate: self.hyphenate,
        }
    }

    /// Height of the footnote block with `n` lines: a rule and a gap above them.
    pub fn notes_height(&self, n: usize) -> f32 {
        if n == 0 {
            0.0
        } else {
            self.leading + n as f32 * self.note_leading
        }
    }
}

/// One thing in the vertical flow.
#[derive(Debug, Clone)]
pub(crate) struct VItem {
    pub height: f32,
    pub kind: VKind,
    /// May a page end just before this item?
    pub breakable: bool,
    /// Dropped when it falls at the top of a page.
    pub discardable: bool,
    /// Notes referenced here, which go to the foot of the same page.
    pub notes: Vec<usize>,
    pub anchors: Vec<String>,
    /// Id of the heading that starts here.
    pub heading: Option<String>,
    /// The first item of a figure: how many items (it and its caption's
    /// lines) move together when it floats to the next page; 0 otherwise.
    pub float: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum VKind {
    /// A line, `x` from the text block's left edge, baseline `baseline` below
    /// the item's top.
    Line {
        line: Line,
        x: f32,
        baseline: f32,
    },
    Space,
    /// One of the book's images (an index into the images given to layout).
    Image {
        index: usize,
        x: f32,
        width: f32,
        /// Its structure markers (see [`crate::pdf::frame::Element::Image`]).
        marks: Vec<crate::pdf::frame::Mark>,
        origin: Option<Origin>,
    },
    /// A row of a table (or its head): lines side by side, and rules.
    Row(Box<RowItem>),
}

/// Pixel size of a PNG, JPEG, GIF or WebP image, read from its header.
pub(crate) fn image_size(data: &[u8]) -> Option<(u32, u32)> {
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    (w > 0 && h > 0).then_some((w, h))
}

impl VItem {
    pub(crate) fn space(height: f32, breakable: bool) -> VItem {
        VItem {
            height,
            kind: VKind::Space,
            breakable,
            discardable: true,
            notes: Vec::new(),
            anchors: Vec::new(),
            heading: None,
            float: 0,
        }
    }
}

/// Where the baseline sits in a line of `size` type on `leading`.
pub(crate) fn baseline(size: f32, leading: f32) -> f32 {
    (leading - size) / 2.0 + 0.8 * size
}

/// A heading's type: size, leading, space above and below, in body units.
fn heading_metrics(level: u8, g: &Column) -> (f32, f32, f32, f32) {
    match level {
        1 => (
            g.size * 1.6,
            g.leading * 1.6,
            g.leading * 2.0,
            g.leading * 1.5,
        ),
        // A whole line above, so that the heading starts on the grid
        // when the page does not start with it.
        2 => (g.size * 1.2, g.leading * 1.2, g.leading, g.leading * 0.5),
        _ => (g.size, g.leading, g.leading, g.leading * 0.25),
    }
}
