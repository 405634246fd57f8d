//! The laid-out book as every layer hands it on: pages of positioned lines
//! (glyph runs), rules and images, in points with the origin at the top
//! left. Text sets lines, the flow and the pages place them, the exporter
//! draws them. It imports no other part of the typesetter.

use std::ops::Range;

pub(crate) mod marks;
mod runs;

pub(crate) use marks::Mark;
pub(crate) use runs::{Glyph, LineBuilder, RunStore};

/// Glyphs of one face at one size on one baseline. Its glyphs and text are
/// stretches of its line's ([`Line::glyphs`], [`Line::run_text`]): a book
/// holds every line until it is drawn, and one allocation per word, each
/// with a 24-byte glyph, made that the bulk of the typesetter's memory.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Index into [`crate::fonts::FontSet::faces`].
    pub face: u16,
    pub size: f32,
    /// Start, from the line's left edge.
    pub x: f32,
    /// Raise above the baseline (superscripts).
    pub rise: f32,
    /// Its glyphs, as a range of the line's stored glyphs.
    pub glyphs: Range<u32>,
    /// Its text, as a range of the line's stored text.
    pub text: Range<u32>,
    /// The link of its paragraph it belongs to (an index local to the
    /// paragraph): runs never straddle a link's edge.
    pub link: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    Url(String),
    /// A place in the book: a heading, a note, a note's reference, the
    /// bibliography or one of its entries; [`Target::anchor`] names its
    /// destination.
    ///
    /// [`Target::anchor`]: crate::model::Target::anchor
    To(crate::model::Target),
}

/// A clickable stretch of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x0: f32,
    pub x1: f32,
    pub target: LinkTarget,
    /// The link of its paragraph it belongs to, as in [`GlyphRun::link`].
    pub link: Option<u32>,
}

/// One line of text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<GlyphRun>,
    /// The glyphs and text of its runs.
    pub store: RunStore,
    pub links: Vec<LinkArea>,
    /// The width the line was set to fill.
    pub measure: f32,
    /// Its width as set, from its first glyph to its last.
    pub width: f32,
    /// Width at natural spacing, and at the tightest spacing allowed.
    pub natural: f32,
    pub min_width: f32,
    /// Ends with an inserted hyphen.
    pub hyphenated: bool,
    /// How far its spaces were stretched (positive, in units of their
    /// stretchability) or shrunk (negative); 0 for lines set at natural width.
    pub ratio: f32,
    /// Greatest font size on the line, for link rectangles.
    pub size: f32,
    /// Where the line stands in its paragraph or heading, for lines of the
    /// text flow (not notes, heads or folios).
    pub place: Option<Place>,
    /// Where it comes from, for lines of a chapter's text flow.
    pub origin: Option<Origin>,
    /// Structure markers among its runs ([`marks`]).
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 0-based line of the paragraph, and how many it has.
    pub index: u32,
    pub count: u32,
    pub heading: bool,
}

impl Line {
    /// The line's text as drawn (spaces between words included).
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut end = 0.0;
        for r in &self.runs {
            // A gap between runs is a space drawn as distance only.
            if !s.is_empty() && !s.ends_with(' ') && r.x > end + 0.1 * r.size {
                s.push(' ');
            }
            s.push_str(self.run_text(r));
            end = r.x + self.run_width(r);
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    /// A line whose left edge is at `x` and baseline at `y`.
    Text { x: f32, y: f32, line: Line },
    /// A filled rectangle (rules), top left at `x`, `y`.
    Rule {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// The cover image, scaled into the rectangle and clipped to the page.
    Cover {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        /// Its structure markers (a figure), before it at 0, after at 1.
        marks: Vec<Mark>,
    },
    /// One of the book's images (an index into the images given to layout),
    /// top left at `x`, `y`.
    Image {
        index: usize,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        /// Its structure markers, as the cover's: a figure, or decoration
        /// for an image without a description.
        marks: Vec<Mark>,
        origin: Option<Origin>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Cover,
    Title,
    Contents,
    /// Front matter after the contents: numbered on in roman.
    Front,
    Body,
}

/// A place that links, the table of contents and the outline point to.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub id: String,
    /// Top of the target, in page coordinates.
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub kind: PageKind,
    pub elements: Vec<Element>,
    pub anchors: Vec<Anchor>,
}

/// Where a line or image of a chapter comes from: its block (numbered in
/// the order the chapter's flow met them) and where its first character
/// stands in the block's text, counted as [`crate::model::text_len`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub block: u32,
    pub offset: u32,
}

impl Page {
    pub fn new(kind: PageKind) -> Page {
        Page {
            kind,
            elements: Vec::new(),
            anchors: Vec::new(),
        }
    }
}

/// A heading in the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub id: String,
}

/// The book's images, by their path in the model, as [`crate::Loaded`]
/// holds them; image elements name them by index.
pub type Images = [(String, Vec<u8>)];
