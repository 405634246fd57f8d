//! Where krilla's findings come from. Everything drawn is given a krilla
//! `Location` that names its page and the manuscript's text it shows (the
//! [`Tag::Source`] markers layout leaves; a footnote's own span for its
//! lines), so a finding krilla locates points at `file:line:col`. What
//! krilla reports without a location (a string longer than PDF/A allows,
//! a CMYK image without a colour profile) is noticed here while drawing,
//! with the location of what caused it.

use crate::model::{Book, Span};
use crate::pdf::frame::marks::Tag;
use crate::pdf::frame::{GlyphRun, Line, Mark};
use krilla::surface::{Location, Surface};
use std::num::NonZeroU64;

/// The longest string PDF/A allows, in bytes.
pub(crate) const STRING_LIMIT: usize = 32_767;

/// The places drawing went through, by location.
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// The page (1-based) and source span of each location (location `k`
    /// is entry `k - 1`).
    table: Vec<(usize, Option<Span>)>,
    /// Where the main flow's text comes from, as its markers last said.
    source: Option<Span>,
    /// Each footnote's span, by number - 1.
    notes: Vec<Span>,
    /// Where a text too long for one PDF string was drawn.
    pub long: Vec<Location>,
    /// Where a CMYK image was drawn.
    pub cmyk: Vec<Location>,
}

impl Places {
    pub fn new(book: &Book) -> Places {
        Places {
            notes: book.notes.iter().map(|n| n.span).collect(),
            ..Places::default()
        }
    }

    /// The location of page `page` and `span`, set on `surface` for what
    /// is drawn next.
    pub fn set(&mut self, surface: &mut Surface, page: usize, span: Option<Span>) -> Location {
        let loc = self.at(page, span);
        surface.set_location(loc);
        loc
    }

    /// The location of page `page` and `span`.
    pub fn at(&mut self, page: usize, span: Option<Span>) -> Location {
        if self.table.last() != Some(&(page, span)) {
            self.table.push((page, span));
        }
        NonZeroU64::MIN.saturating_add(self.table.len() as u64 - 1)
    }

    /// The location set last.
    pub fn current(&self) -> Option<Location> {
        NonZeroU64::new(self.table.len() as u64)
    }

    /// The page and span a location names.
    pub fn place(&self, loc: Location) -> Option<(usize, Option<Span>)> {
        self.table.get(loc.get() as usize - 1).copied()
    }

    /// The span of what an element with these marks shows: a footnote's
    /// for its lines, else the main flow's, which its marks may move on.
    pub fn span(&mut self, marks: &[Mark]) -> Option<Span> {
        for m in marks {
            match m.tag {
                Tag::Foot(n) => return self.notes.get((n as usize).checked_sub(1)?).copied(),
                Tag::Source(span) => self.source = Some(span),
                _ => {}
            }
        }
        self.source
    }
}

/// Whether a run of `line` makes a string longer than PDF/A allows: its
/// glyphs (two bytes each) or the text of one of its clusters, which is
/// written as the glyphs' actual text (UTF-16 with a byte order mark, or
/// one byte a character for ASCII).
pub(crate) fn too_long(line: &Line, run: &GlyphRun) -> bool {
    // Nearly every run is far too short to look into.
    if run.text.len() * 2 + 2 <= STRING_LIMIT && run.glyphs.len() * 2 <= STRING_LIMIT {
        return false;
    }
    let text = line.run_text(run);
    let mut glyphs = 0usize;
    for g in line.glyphs(run) {
        glyphs += 1;
        let range = g.text.start as usize..g.text.end as usize;
        // A cluster's UTF-16 is at most twice its UTF-8 (plus the mark).
        if range.len() * 2 + 2 <= STRING_LIMIT {
            continue;
        }
        let s = text.get(range).unwrap_or("");
        let bytes = if s.is_ascii() {
            s.len()
        } else {
            2 + 2 * s.encode_utf16().count()
        };
        if bytes > STRING_LIMIT {
            return true;
        }
    }
    glyphs * 2 > STRING_LIMIT
}

/// Whether `data` is a JPEG in CMYK colours, as krilla reads it.
pub(crate) fn is_cmyk_jpeg(data: &[u8]) -> bool {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    let mut decoder = zune_jpeg::JpegDecoder::new(std::io::Cursor::new(data));
    decoder.decode_headers().is_ok()
        && matches!(
            decoder.input_colorspace(),
            Some(ColorSpace::CMYK | ColorSpace::YCCK)
        )
}
