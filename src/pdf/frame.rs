//! The laid-out book: pages of positioned lines, rules and images, in points
//! with the origin at the top left. Layout produces it, emission draws it,
//! and tests inspect it.

use std::ops::Range;

/// A glyph placed in a run, in points, as [`Line::glyphs`] reads it back.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// The characters it stands for, as a range of its run's text
    /// ([`Line::run_text`]).
    pub text: Range<u32>,
}

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
    /// Its content key in the book's structure ([`super::tags`]); `None`
    /// marks an artifact (running heads, folios, leaders).
    pub tag: Option<u32>,
}

/// A stored glyph, 8 bytes: its text starts `step` bytes after the previous
/// glyph's of the run (the first glyph's after the run's start) and is `len`
/// bytes long. A glyph whose text does not fit that (a cluster of 255 bytes
/// or more, right-to-left text) or that is offset from its pen position
/// (never in the built-in fonts) has `step == ESCAPE` and an [`Extra`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Packed {
    advance: f32,
    id: u16,
    step: u8,
    len: u8,
}

const ESCAPE: u8 = u8::MAX;

/// What a [`Packed`] glyph marked `ESCAPE` does not hold.
#[derive(Debug, Clone, PartialEq)]
struct Extra {
    /// Index of the glyph in the line's store.
    glyph: u32,
    x_offset: f32,
    y_offset: f32,
    text: Range<u32>,
}

/// The glyphs and text of a line's runs, each run a stretch of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunStore {
    glyphs: Box<[Packed]>,
    /// For escaped glyphs, in glyph order.
    extras: Box<[Extra]>,
    text: Box<str>,
}

/// A [`RunStore`] being filled.
#[derive(Debug, Default)]
struct Scratch {
    glyphs: Vec<Packed>,
    extras: Vec<Extra>,
    text: String,
}

impl Scratch {
    /// Its content, without spare capacity; it is left empty.
    fn store(&mut self) -> RunStore {
        let store = RunStore {
            glyphs: self.glyphs.as_slice().into(),
            extras: self.extras.as_slice().into(),
            text: self.text.as_str().into(),
        };
        self.glyphs.clear();
        self.extras.clear();
        self.text.clear();
        store
    }
}

/// The glyphs of a run, in order (see [`Line::glyphs`]).
pub struct Glyphs<'a> {
    packed: std::slice::Iter<'a, Packed>,
    extras: std::slice::Iter<'a, Extra>,
    prev: u32,
}

impl Iterator for Glyphs<'_> {
    type Item = Glyph;

    fn next(&mut self) -> Option<Glyph> {
        let p = self.packed.next()?;
        let (text, x_offset, y_offset) = if p.step == ESCAPE {
            let e = self.extras.next()?;
            (e.text.clone(), e.x_offset, e.y_offset)
        } else {
            let start = self.prev + p.step as u32;
            (start..start + p.len as u32, 0.0, 0.0)
        };
        self.prev = text.start;
        Some(Glyph {
            id: p.id,
            advance: p.advance,
            x_offset,
            y_offset,
            text,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.packed.size_hint()
    }
}

/// Builds the runs of one line at a time: glyphs and text are added to
/// the last run, and [`LineBuilder::finish`] hands them over without spare
/// capacity, keeping its own buffers for the next line.
#[derive(Debug, Default)]
pub struct LineBuilder {
    runs: Vec<GlyphRun>,
    store: Scratch,
    /// Start of the last glyph's text in its run.
    prev: u32,
}

impl LineBuilder {
    pub fn runs(&self) -> &[GlyphRun] {
        &self.runs
    }

    pub fn last_run_mut(&mut self) -> Option<&mut GlyphRun> {
        self.runs.last_mut()
    }

    /// Starts an empty run at `x`.
    pub fn start_run(&mut self, face: u16, size: f32, x: f32, rise: f32, link: Option<u32>) {
        let glyphs = self.store.glyphs.len() as u32;
        let text = self.store.text.len() as u32;
        self.runs.push(GlyphRun {
            face,
            size,
            x,
            rise,
            glyphs: glyphs..glyphs,
            text: text..text,
            link,
            tag: None,
        });
        self.prev = 0;
    }

    /// Appends `s` to the last run's text; returns where it starts in it.
    pub fn push_str(&mut self, s: &str) -> u32 {
        let Some(run) = self.runs.last_mut() else {
            return 0;
        };
        let at = run.text.end - run.text.start;
        self.store.text.push_str(s);
        run.text.end = self.store.text.len() as u32;
        at
    }

    /// Appends a glyph to the last run; `text` is a range of the run's text.
    pub fn push_glyph(&mut self, g: Glyph) {
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        let index = self.store.glyphs.len() as u32;
        let step = g.text.start.wrapping_sub(self.prev);
        let len = g.text.end.wrapping_sub(g.text.start);
        let plain = g.x_offset.to_bits() == 0
            && g.y_offset.to_bits() == 0
            && g.text.start >= self.prev
            && g.text.end >= g.text.start
            && step < ESCAPE as u32
            && len < ESCAPE as u32;
        let (step, len) = if plain {
            (step as u8, len as u8)
        } else {
            self.store.extras.push(Extra {
                glyph: index,
                x_offset: g.x_offset,
                y_offset: g.y_offset,
                text: g.text.clone(),
            });
            (ESCAPE, ESCAPE)
        };
        self.store.glyphs.push(Packed {
            advance: g.advance,
            id: g.id,
            step,
            len,
        });
        self.prev = g.text.start;
        run.glyphs.end = index + 1;
    }

    /// Drops the spaces that end the last run (keeping at least one glyph),
    /// each glyph's advance taken off `x`.
    pub fn trim_trailing_spaces(&mut self, x: &mut f32) {
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        let store = &mut self.store;
        while store.text[run.text.start as usize..].ends_with(' ') && run.glyphs.len() > 1 {
            store.text.pop();
            run.text.end -= 1;
            if let Some(g) = store.glyphs.pop() {
                if g.step == ESCAPE {
                    store.extras.pop();
                }
                run.glyphs.end -= 1;
                *x -= g.advance;
            }
        }
    }

    /// The runs built, and their store, without spare capacity; the builder
    /// is left empty.
    pub fn finish(&mut self) -> (Vec<GlyphRun>, RunStore) {
        let runs = self.runs.as_slice().to_vec();
        let store = self.store.store();
        self.runs.clear();
        self.prev = 0;
        (runs, store)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    Url(String),
    /// A heading id, a note (`fn3`), a note reference (`fnref3`) or a
    /// bibliography entry id.
    Anchor(String),
}

/// A clickable stretch of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkArea {
    pub x0: f32,
    pub x1: f32,
    pub target: LinkTarget,
    /// The link of its paragraph it belongs to, as in [`GlyphRun::link`].
    pub link: Option<u32>,
    /// The annotation's key in the book's structure ([`super::tags`]).
    pub tag: Option<u32>,
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
    /// Where its first character stands in its block's text, counted as
    /// [`crate::model::text_len`] counts.
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// 0-based line of the paragraph, and how many it has.
    pub index: u32,
    pub count: u32,
    pub heading: bool,
}

impl Line {
    /// The glyphs of one of its runs.
    pub fn glyphs(&self, run: &GlyphRun) -> Glyphs<'_> {
        let range = run.glyphs.start as usize..run.glyphs.end as usize;
        let packed = self.store.glyphs.get(range).unwrap_or(&[]);
        let extras = &self.store.extras;
        let first = extras.partition_point(|e| e.glyph < run.glyphs.start);
        let last = first + extras[first..].partition_point(|e| e.glyph < run.glyphs.end);
        Glyphs {
            packed: packed.iter(),
            extras: extras[first..last].iter(),
            prev: 0,
        }
    }

    /// The text of one of its runs.
    pub fn run_text(&self, run: &GlyphRun) -> &str {
        self.store
            .text
            .get(run.text.start as usize..run.text.end as usize)
            .unwrap_or("")
    }

    /// The width of one of its runs: its glyphs' advances.
    pub fn run_width(&self, run: &GlyphRun) -> f32 {
        let range = run.glyphs.start as usize..run.glyphs.end as usize;
        let packed = self.store.glyphs.get(range).unwrap_or(&[]);
        packed.iter().map(|g| g.advance).sum()
    }

    /// Moves the runs of `other` into this line, before its own runs with
    /// `front`, else after them, each passed through `place` (to move it);
    /// returns where they now stand in [`Line::runs`].
    pub fn take_runs(
        &mut self,
        other: Line,
        front: bool,
        mut place: impl FnMut(&mut GlyphRun),
    ) -> Range<usize> {
        let glyphs = self.store.glyphs.len() as u32;
        let text = self.store.text.len() as u32;
        let mut both = Scratch {
            glyphs: std::mem::take(&mut self.store.glyphs).into_vec(),
            extras: std::mem::take(&mut self.store.extras).into_vec(),
            text: std::mem::take(&mut self.store.text).into_string(),
        };
        both.glyphs.extend_from_slice(&other.store.glyphs);
        both.extras.extend(other.store.extras.iter().map(|e| Extra {
            glyph: e.glyph + glyphs,
            ..e.clone()
        }));
        both.text.push_str(&other.store.text);
        self.store = both.store();
        let n = other.runs.len();
        let moved = other.runs.into_iter().map(|mut r| {
            r.glyphs = r.glyphs.start + glyphs..r.glyphs.end + glyphs;
            r.text = r.text.start + text..r.text.end + text;
            place(&mut r);
            r
        });
        if front {
            self.runs.splice(0..0, moved);
            0..n
        } else {
            let start = self.runs.len();
            self.runs.extend(moved);
            start..start + n
        }
    }

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
        /// Its content key in the book's structure (a figure).
        tag: Option<u32>,
    },
    /// One of the book's images (an index into the images given to layout),
    /// top left at `x`, `y`.
    Image {
        index: usize,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        /// Its content key (a figure); `None` for an image without a
        /// description, drawn as decoration.
        tag: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Cover,
    Title,
    Contents,
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
    /// The printed page number, if the page shows one.
    pub folio: Option<String>,
    pub elements: Vec<Element>,
    pub anchors: Vec<Anchor>,
    /// Ids of the headings that start on this page.
    pub headings: Vec<String>,
    /// The first words of its text.
    pub first_words: String,
    /// Where its first line of the text flow comes from (set while paginating).
    pub source: Option<Source>,
    /// Where in the book's text the page begins, for the EPUB's page list:
    /// set on chapter pages only.
    pub place: Option<crate::model::PagePlace>,
}

/// A line's or image's origin: a block of a chapter (an index into
/// [`super::tags::Tags::blocks`]) and a character offset in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub block: u32,
    pub offset: usize,
}

impl Page {
    pub fn new(kind: PageKind) -> Page {
        Page {
            kind,
            folio: None,
            elements: Vec::new(),
            anchors: Vec::new(),
            headings: Vec::new(),
            first_words: String::new(),
            source: None,
            place: None,
        }
    }

    pub fn lines(&self) -> impl Iterator<Item = &Line> {
        self.elements.iter().filter_map(|e| match e {
            Element::Text { line, .. } => Some(line),
            _ => None,
        })
    }
}
