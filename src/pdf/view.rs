//! A read-only view of a laid-out book, for tests and tools: its pages,
//! their kind, anchors, lines (text, position, widths) and images. The
//! frames themselves stay private, so that the typesetter can change them.

use super::frame::{Element, Line, Page, PageKind, Place};
use super::{Layout, LinkTarget, OutlineEntry};

impl Layout {
    /// The pages, in order (the cover first).
    pub fn pages(&self) -> impl ExactSizeIterator<Item = PageView<'_>> {
        self.pages.iter().map(|page| PageView { page })
    }

    /// Page `index` (0-based), if there is one.
    pub fn page(&self, index: usize) -> Option<PageView<'_>> {
        self.pages.get(index).map(|page| PageView { page })
    }

    /// Every line of the book with the page it stands on (0-based).
    pub fn lines(&self) -> impl Iterator<Item = (usize, LineView<'_>)> {
        self.pages()
            .enumerate()
            .flat_map(|(i, p)| p.lines().map(move |l| (i, l)))
    }

    /// Every heading, in order, as the outline lists it (after the contents).
    pub fn outline(&self) -> &[OutlineEntry] {
        &self.outline
    }

    /// Width and height of a page, in points.
    pub fn page_size(&self) -> (f32, f32) {
        (self.geometry.page_width, self.geometry.page_height)
    }

    /// Where the text block begins, from the top of the page, in points:
    /// running heads stand above it.
    pub fn text_top(&self) -> f32 {
        self.geometry.top
    }
}

/// One page of a [`Layout`].
#[derive(Clone, Copy)]
pub struct PageView<'a> {
    page: &'a Page,
}

impl<'a> PageView<'a> {
    pub fn kind(&self) -> PageKind {
        self.page.kind
    }

    /// Whether the page is blank: nothing on it, not even a folio.
    pub fn is_blank(&self) -> bool {
        self.page.elements.is_empty() && self.page.anchors.is_empty()
    }

    /// Ids of the places on the page that links and the outline point to.
    pub fn anchors(&self) -> impl Iterator<Item = &'a str> {
        self.page.anchors.iter().map(|a| a.id.as_str())
    }

    /// Its lines: the text, then the notes, the running head and the folio.
    pub fn lines(&self) -> impl Iterator<Item = LineView<'a>> {
        self.page.elements.iter().filter_map(|e| match e {
            Element::Text { x, y, line } => Some(LineView { x: *x, y: *y, line }),
            _ => None,
        })
    }

    /// Width and height of each of the book's images drawn on it, in points.
    pub fn images(&self) -> impl Iterator<Item = (f32, f32)> + 'a {
        self.page.elements.iter().filter_map(|e| match e {
            Element::Image { width, height, .. } => Some((*width, *height)),
            _ => None,
        })
    }
}

/// One line of a page.
#[derive(Clone, Copy)]
pub struct LineView<'a> {
    x: f32,
    y: f32,
    line: &'a Line,
}

impl<'a> LineView<'a> {
    /// The text as drawn (spaces between words included).
    pub fn text(&self) -> String {
        self.line.text()
    }

    /// Left edge, from the page's.
    pub fn x(&self) -> f32 {
        self.x
    }

    /// Baseline, from the top of the page.
    pub fn y(&self) -> f32 {
        self.y
    }

    /// Its width as set, from its first glyph to its last.
    pub fn width(&self) -> f32 {
        self.line.width
    }

    /// The width it was set to fill.
    pub fn measure(&self) -> f32 {
        self.line.measure
    }

    /// Its width at the tightest spacing allowed.
    pub fn min_width(&self) -> f32 {
        self.line.min_width
    }

    /// Greatest font size on it.
    pub fn size(&self) -> f32 {
        self.line.size
    }

    /// Ends with an inserted hyphen.
    pub fn hyphenated(&self) -> bool {
        self.line.hyphenated
    }

    /// Where it stands in its paragraph or heading; `None` for lines that
    /// are not a paragraph's or heading's (notes, running heads, folios,
    /// entries of the contents).
    pub fn place(&self) -> Option<Place> {
        self.line.place
    }

    /// Its glyph runs: text, size and rise above the baseline
    /// (superscripts up, subscripts down).
    pub fn runs(&self) -> impl Iterator<Item = (&'a str, f32, f32)> {
        let line = self.line;
        line.runs
            .iter()
            .map(move |r| (line.run_text(r), r.size, r.rise))
    }

    /// Where its links go.
    pub fn links(&self) -> impl Iterator<Item = &'a LinkTarget> {
        self.line.links.iter().map(|l| &l.target)
    }
}
