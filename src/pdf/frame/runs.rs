//! How a line stores its glyphs: packed, 4 bytes each, with its runs' text
//! in one string, so that a book held in memory until it is drawn stays small.

use super::{GlyphRun, Line};
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

/// A stored glyph, 4 bytes: its advance is entry `advance` of its line's
/// advances (a line has a few dozen distinct ones, its letters' and its
/// spaces'), and its text starts `step` bytes after the previous glyph's
/// of the run (the first glyph's at the run's start) and is `len` bytes
/// long, `code` being `step << 4 | len`. A glyph that does not fit that
/// (a long cluster, right-to-left text, a line of more than 256 advances)
/// or that is offset from its pen position (never in the built-in fonts)
/// has `code == ESCAPE` and an [`Extra`] holding all of it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Packed {
    id: u16,
    advance: u8,
    code: u8,
}

impl Packed {
    fn word(self) -> u32 {
        self.id as u32 | (self.advance as u32) << 16 | (self.code as u32) << 24
    }

    fn from_word(w: u32) -> Packed {
        Packed {
            id: w as u16,
            advance: (w >> 16) as u8,
            code: (w >> 24) as u8,
        }
    }
}

const ESCAPE: u8 = u8::MAX;

/// What a [`Packed`] glyph marked `ESCAPE` does not hold.
#[derive(Debug, Clone, PartialEq)]
struct Extra {
    /// Index of the glyph in the line's store.
    glyph: u32,
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    text: Range<u32>,
}

/// The glyphs and text of a line's runs, each run a stretch of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunStore {
    /// In one allocation: the bits of the distinct advances of its glyphs
    /// (compared bit for bit), then its glyphs ([`Packed::word`]).
    words: Box<[u32]>,
    /// How many advances `words` begins with.
    advances: u32,
    /// For escaped glyphs, in glyph order.
    extras: Box<[Extra]>,
    text: Box<str>,
}

/// A [`RunStore`] being filled.
#[derive(Debug, Default)]
struct Scratch {
    glyphs: Vec<Packed>,
    advances: Vec<f32>,
    extras: Vec<Extra>,
    text: String,
}

impl Scratch {
    fn from_store(store: &mut RunStore) -> Scratch {
        let (advances, glyphs) = store.split();
        let scratch = Scratch {
            glyphs: glyphs.iter().map(|&w| Packed::from_word(w)).collect(),
            advances: advances.iter().map(|&b| f32::from_bits(b)).collect(),
            extras: std::mem::take(&mut store.extras).into_vec(),
            text: std::mem::take(&mut store.text).into_string(),
        };
        *store = RunStore::default();
        scratch
    }

    /// Its content, without spare capacity; it is left empty.
    fn store(&mut self) -> RunStore {
        let mut words = Vec::with_capacity(self.advances.len() + self.glyphs.len());
        words.extend(self.advances.iter().map(|a| a.to_bits()));
        words.extend(self.glyphs.iter().map(|g| g.word()));
        let store = RunStore {
            words: words.into_boxed_slice(),
            advances: self.advances.len() as u32,
            extras: self.extras.as_slice().into(),
            text: self.text.as_str().into(),
        };
        self.glyphs.clear();
        self.advances.clear();
        self.extras.clear();
        self.text.clear();
        store
    }

    /// The index of `advance` among the line's, added if new; `None` when
    /// there is no room left.
    fn advance_slot(&mut self, advance: f32) -> Option<u8> {
        let bits = advance.to_bits();
        match self.advances.iter().position(|a| a.to_bits() == bits) {
            Some(i) => Some(i as u8),
            None if self.advances.len() <= u8::MAX as usize => {
                let i = self.advances.len() as u8;
                self.advances.push(advance);
                Some(i)
            }
            None => None,
        }
    }

    /// Appends a glyph; `prev` is where the text of the run's previous
    /// glyph starts (0 before its first), and is moved on.
    fn push_glyph(&mut self, g: Glyph, prev: &mut u32) {
        let index = self.glyphs.len() as u32;
        let step = g.text.start.wrapping_sub(*prev);
        let len = g.text.end.wrapping_sub(g.text.start);
        let plain = g.x_offset.to_bits() == 0
            && g.y_offset.to_bits() == 0
            && g.text.start >= *prev
            && g.text.end >= g.text.start
            && step < 15
            && len < 16;
        let slot = if plain {
            self.advance_slot(g.advance)
        } else {
            None
        };
        *prev = g.text.start;
        let packed = match slot {
            Some(advance) => Packed {
                id: g.id,
                advance,
                code: (step << 4 | len) as u8,
            },
            None => {
                self.extras.push(Extra {
                    glyph: index,
                    advance: g.advance,
                    x_offset: g.x_offset,
                    y_offset: g.y_offset,
                    text: g.text,
                });
                Packed {
                    id: g.id,
                    advance: 0,
                    code: ESCAPE,
                }
            }
        };
        self.glyphs.push(packed);
    }
}

impl RunStore {
    /// The bits of its advances, and its glyphs.
    fn split(&self) -> (&[u32], &[u32]) {
        self.words
            .split_at_checked(self.advances as usize)
            .unwrap_or((&[], &[]))
    }
}

/// The glyphs of a run, in order (see [`Line::glyphs`]).
pub struct Glyphs<'a> {
    packed: std::slice::Iter<'a, u32>,
    advances: &'a [u32],
    extras: std::slice::Iter<'a, Extra>,
    prev: u32,
}

impl Iterator for Glyphs<'_> {
    type Item = Glyph;

    fn next(&mut self) -> Option<Glyph> {
        let p = Packed::from_word(*self.packed.next()?);
        let g = if p.code == ESCAPE {
            let e = self.extras.next()?;
            Glyph {
                id: p.id,
                advance: e.advance,
                x_offset: e.x_offset,
                y_offset: e.y_offset,
                text: e.text.clone(),
            }
        } else {
            let start = self.prev + (p.code >> 4) as u32;
            Glyph {
                id: p.id,
                advance: self
                    .advances
                    .get(p.advance as usize)
                    .map_or(0.0, |&b| f32::from_bits(b)),
                x_offset: 0.0,
                y_offset: 0.0,
                text: start..start + (p.code & 0xF) as u32,
            }
        };
        self.prev = g.text.start;
        Some(g)
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
        self.store.push_glyph(g, &mut self.prev);
        run.glyphs.end = self.store.glyphs.len() as u32;
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
                let advance = if g.code == ESCAPE {
                    store.extras.pop().map_or(0.0, |e| e.advance)
                } else {
                    store
                        .advances
                        .get(g.advance as usize)
                        .copied()
                        .unwrap_or(0.0)
                };
                run.glyphs.end -= 1;
                *x -= advance;
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

impl Line {
    /// The glyphs of one of its runs.
    pub fn glyphs(&self, run: &GlyphRun) -> Glyphs<'_> {
        let range = run.glyphs.start as usize..run.glyphs.end as usize;
        let (advances, glyphs) = self.store.split();
        let packed = glyphs.get(range).unwrap_or(&[]);
        let extras = &self.store.extras;
        let first = extras.partition_point(|e| e.glyph < run.glyphs.start);
        let last = first + extras[first..].partition_point(|e| e.glyph < run.glyphs.end);
        Glyphs {
            packed: packed.iter(),
            advances,
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
        self.glyphs(run).map(|g| g.advance).sum()
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
        let mut both = Scratch::from_store(&mut self.store);
        let text = both.text.len() as u32;
        both.text.push_str(&other.store.text);
        let n = other.runs.len();
        let mut moved = Vec::with_capacity(n);
        for r in &other.runs {
            // Re-encoded: the advances are this line's.
            let start = both.glyphs.len() as u32;
            let mut prev = 0;
            for g in other.glyphs(r) {
                both.push_glyph(g, &mut prev);
            }
            let mut r = r.clone();
            r.glyphs = start..both.glyphs.len() as u32;
            r.text = r.text.start + text..r.text.end + text;
            place(&mut r);
            moved.push(r);
        }
        self.store = both.store();
        if front {
            self.runs.splice(0..0, moved);
            0..n
        } else {
            let start = self.runs.len();
            self.runs.extend(moved);
            start..start + n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(id: u16, advance: f32, text: Range<u32>) -> Glyph {
        Glyph {
            id,
            advance,
            x_offset: 0.0,
            y_offset: 0.0,
            text,
        }
    }

    #[test]
    fn glyphs_come_back_as_they_went_in_escaped_or_not() {
        let mut glyphs = vec![
            glyph(1, 5.5, 0..3),
            glyph(2, 5.5, 0..3),
            glyph(3, -0.0, 3..300),
            Glyph {
                x_offset: 0.5,
                ..glyph(4, 2.0, 300..301)
            },
            // Right to left: the text goes backwards.
            glyph(5, 1.0, 290..291),
            glyph(6, 1.0, 291..291),
        ];
        // More distinct advances than a line's table holds.
        glyphs.extend((0..300).map(|k| glyph(7, k as f32 * 0.25, 301 + k..302 + k)));
        let text = "x".repeat(601);
        let (first, second) = glyphs.split_at(2);
        let mut b0 = LineBuilder::default();
        b0.start_run(0, 10.0, 0.0, 0.0, None);
        b0.push_str(&text[..300]);
        for g in first {
            b0.push_glyph(g.clone());
        }
        b0.start_run(1, 10.0, 50.0, 0.0, Some(0));
        b0.push_str(&text);
        for g in second {
            b0.push_glyph(g.clone());
        }
        let (runs, store) = b0.finish();
        let line = Line {
            runs,
            store,
            ..Line::default()
        };
        let back: Vec<Glyph> = line.runs.iter().flat_map(|r| line.glyphs(r)).collect();
        assert_eq!(back.len(), glyphs.len());
        for (a, b) in back.iter().zip(&glyphs) {
            assert_eq!(a.advance.to_bits(), b.advance.to_bits());
            assert_eq!((a.id, &a.text, a.x_offset), (b.id, &b.text, b.x_offset));
        }
        let width: f32 = glyphs[2..].iter().map(|g| g.advance).sum();
        assert_eq!(line.run_width(&line.runs[1]).to_bits(), width.to_bits());

        // Runs moved into another line keep their glyphs and text.
        let mut other = Line::default();
        let mut lb = LineBuilder::default();
        lb.start_run(2, 8.0, 0.0, 0.0, None);
        let at = lb.push_str("ab");
        lb.push_glyph(glyph(9, 7.25, at..at + 2));
        (other.runs, other.store) = lb.finish();
        let moved = other.take_runs(line.clone(), true, |r| r.x += 1.0);
        assert_eq!(moved, 0..2);
        assert_eq!(other.runs[1].x, 51.0);
        for (i, r) in line.runs.iter().enumerate() {
            let a: Vec<Glyph> = line.glyphs(r).collect();
            let b: Vec<Glyph> = other.glyphs(&other.runs[i]).collect();
            assert_eq!(a, b);
            assert_eq!(line.run_text(r), other.run_text(&other.runs[i]));
        }
        assert_eq!(other.run_text(&other.runs[2]), "ab");
        assert_eq!(
            other.glyphs(&other.runs[2]).next().map(|g| g.advance),
            Some(7.25)
        );
    }
}
