//! Shaping with rustybuzz: a run of text becomes glyphs from the face that
//! covers each character, measured by the same shaper that later draws them,
//! so a justified line is exactly as wide as the line breaker thought.
//!
//! Words repeat a lot in a book, so every short piece of text is shaped once
//! and its glyphs (in em units, independent of the size) are cached.

use crate::diagnostics::Diagnostic;
use crate::fonts::{FontSet, Style};
use crate::model::Span;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

/// One glyph at a size of 1 (advances and offsets in em).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EmGlyph {
    /// Index into [`FontSet::faces`].
    pub face: u16,
    pub id: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: u32,
}

/// Where a word may break: byte offset and kind.
pub type Breaks = Rc<[(usize, WordBreak)]>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WordBreak {
    /// A hyphenation point: a hyphen is inserted.
    Hyphenate,
    /// After a hyphen written in the word (`ჩინეთ-საბჭოთა`).
    AfterHyphen,
    /// After the dash of a range of numbers (`1950-1980`): a poor break,
    /// but better than a line of gaps.
    AfterRange,
}

/// Pieces longer than this are rare (URLs, garbage); caching them would only
/// grow the map.
const MAX_CACHED_BYTES: usize = 64;

pub struct Shaper<'f> {
    pub fonts: &'f FontSet,
    faces: Vec<Option<rustybuzz::Face<'f>>>,
    upem: Vec<f32>,
    cache: [HashMap<String, Rc<[EmGlyph]>>; 4],
    /// Shaping plans are costly to build; one per face, script and direction.
    plans: Vec<(
        usize,
        rustybuzz::Script,
        rustybuzz::Direction,
        rustybuzz::ShapePlan,
    )>,
    /// Break opportunities of words, by whether hyphenation is on.
    pub(super) breaks: [HashMap<String, Breaks>; 2],
    /// Space glyph per face: (glyph id, advance in em).
    spaces: Vec<Option<(u16, f32)>>,
    /// The glyph drawn for a hyphen inserted at a line end, per face.
    hyphens: Vec<Option<(u16, f32)>>,
    reported: HashSet<char>,
    pub errors: Vec<Diagnostic>,
}

impl<'f> Shaper<'f> {
    pub fn new(fonts: &'f FontSet) -> Shaper<'f> {
        let faces: Vec<Option<rustybuzz::Face<'f>>> = fonts
            .faces()
            .iter()
            .map(|f| rustybuzz::Face::from_slice(f.data.as_slice(), f.index))
            .collect();
        let upem = faces
            .iter()
            .map(|f| f.as_ref().map_or(1000.0, |f| f.units_per_em() as f32))
            .collect::<Vec<_>>();
        let glyph = |face: &Option<rustybuzz::Face>, upem: f32, c: char| {
            let face = face.as_ref()?;
            let id = face.glyph_index(c)?;
            let adv = face.glyph_hor_advance(id)? as f32 / upem;
            Some((id.0, adv))
        };
        let spaces = faces
            .iter()
            .zip(&upem)
            .map(|(f, &u)| glyph(f, u, ' '))
            .collect();
        // A distinct hyphen glyph (U+2010) where the font has one, so that the
        // inserted hyphen can map to text of its own without disturbing the
        // hyphen-minus written in the manuscript.
        let hyphens = faces
            .iter()
            .zip(&upem)
            .map(|(f, &u)| glyph(f, u, '\u{2010}').or_else(|| glyph(f, u, '-')))
            .collect();
        Shaper {
            fonts,
            faces,
            upem,
            cache: Default::default(),
            plans: Vec::new(),
            breaks: Default::default(),
            spaces,
            hyphens,
            reported: HashSet::new(),
            errors: Vec::new(),
        }
    }

    /// `preferred` if the fonts draw all of it, else `fallback`: for the
    /// few characters the typesetter adds itself (bullets, ellipses).
    pub fn pick<'s>(&self, style: Style, preferred: &'s str, fallback: &'s str) -> &'s str {
        let drawn = |c: char| !FontSet::needs_glyph(c) || self.fonts.face_for(style, c).is_some();
        if preferred.chars().all(drawn) {
            preferred
        } else {
            fallback
        }
    }

    pub fn space(&self, face: usize) -> Option<(u16, f32)> {
        self.spaces.get(face).copied().flatten()
    }

    /// The face and glyph of a hyphen after text drawn in `face`.
    pub fn hyphen(&self, style: Style, face: usize) -> Option<(usize, u16, f32)> {
        if let Some((id, adv)) = self.hyphens.get(face).copied().flatten() {
            return Some((face, id, adv));
        }
        let other = self.fonts.face_for(style, '-')?;
        let (id, adv) = self.hyphens.get(other).copied().flatten()?;
        Some((other, id, adv))
    }

    /// The face whose space separates words of `style`: the first of the chain.
    pub fn space_face(&self, style: Style) -> usize {
        self.fonts
            .face_for(style, ' ')
            .or_else(|| self.fonts.chain(style).first().copied())
            .unwrap_or(0)
    }

    /// Width in em of a space in `style`.
    pub fn space_width(&self, style: Style) -> f32 {
        self.space(self.space_face(style)).map_or(0.25, |s| s.1)
    }

    /// Glyphs for `text` (no line breaks, usually one word) in `style`; a
    /// character no font covers is reported once, at `span` (where the
    /// text comes from, if it is the manuscript's).
    pub fn shape(&mut self, style: Style, text: &str, span: Option<Span>) -> Rc<[EmGlyph]> {
        if text.len() <= MAX_CACHED_BYTES {
            if let Some(g) = self.cache[style as usize].get(text) {
                return g.clone();
            }
        }
        let glyphs: Rc<[EmGlyph]> = self.shape_uncached(style, text, span).into();
        if text.len() <= MAX_CACHED_BYTES {
            self.cache[style as usize].insert(text.to_string(), glyphs.clone());
        }
        glyphs
    }

    fn shape_uncached(&mut self, style: Style, text: &str, span: Option<Span>) -> Vec<EmGlyph> {
        let mut out = Vec::with_capacity(text.len());
        // Segment into runs of one face; characters that draw nothing (soft
        // hyphens, joiners) stay with the run around them.
        let mut run_start = 0;
        let mut run_face: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let face = if FontSet::needs_glyph(c) {
                match self.fonts.face_for(style, c) {
                    Some(f) => Some(f),
                    None => {
                        self.uncovered(c, span);
                        None
                    }
                }
            } else {
                run_face.or_else(|| self.fonts.face_for(style, c))
            };
            if face != run_face {
                if let Some(f) = run_face {
                    self.shape_run(f, text, span, run_start..i, &mut out);
                }
                run_start = i;
                run_face = face;
            }
            if face.is_none() {
                // Skip the uncovered character: never draw .notdef.
                run_start = i + c.len_utf8();
            }
        }
        if let Some(f) = run_face {
            self.shape_run(f, text, span, run_start..text.len(), &mut out);
        }
        out
    }

    fn shape_run(
        &mut self,
        face: usize,
        text: &str,
        span: Option<Span>,
        Range { start, end }: Range<usize>,
        out: &mut Vec<EmGlyph>,
    ) {
        if start >= end {
            return;
        }
        let Some(rb) = self.faces.get(face).and_then(|f| f.as_ref()) else {
            return;
        };
        let upem = self.upem[face];
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(&text[start..end]);
        buf.guess_segment_properties();
        let (script, dir) = (buf.script(), buf.direction());
        let plan = match self
            .plans
            .iter()
            .position(|p| p.0 == face && p.1 == script && p.2 == dir)
        {
            Some(i) => &self.plans[i].3,
            None => {
                let plan = rustybuzz::ShapePlan::new(rb, dir, Some(script), None, &[]);
                self.plans.push((face, script, dir, plan));
                &self.plans[self.plans.len() - 1].3
            }
        };
        let shaped = rustybuzz::shape_with_plan(rb, plan, buf);
        let mut notdef = None;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let cluster = start as u32 + info.cluster;
            if info.glyph_id == 0 {
                let c = text[cluster as usize..]
                    .chars()
                    .next()
                    .unwrap_or('\u{FFFD}');
                if FontSet::needs_glyph(c) {
                    notdef = Some(c);
                    continue;
                }
            }
            out.push(EmGlyph {
                face: face as u16,
                id: info.glyph_id as u16,
                advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                cluster,
            });
        }
        if let Some(c) = notdef {
            self.uncovered(c, span);
        }
    }

    fn uncovered(&mut self, c: char, span: Option<Span>) {
        if !self.reported.insert(c) {
            return;
        }
        let mut d = Diagnostic::error(
            "pdf-uncovered-char",
            format!(
                "no font has a glyph for U+{:04X} ({c}); the PDF would show an empty box",
                c as u32
            ),
        )
        .label("this text contains it")
        .note("add a font that covers it under [fonts] in book.toml, or remove the character");
        if let Some(span) = span {
            d = d.at(span);
        }
        self.errors.push(d);
    }
}

/// Total advance of glyphs in em.
pub fn width(glyphs: &[EmGlyph]) -> f32 {
    glyphs.iter().map(|g| g.advance).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn georgian_and_latin_come_from_their_own_faces() {
        let fonts = FontSet::builtin();
        let mut s = Shaper::new(&fonts);
        let g = s.shape(Style::Regular, "ქართული(1961)", None);
        assert!(s.errors.is_empty());
        let georgian = fonts.face_for(Style::Regular, 'ქ').unwrap();
        let latin = fonts.face_for(Style::Regular, '1').unwrap();
        assert_ne!(georgian, latin);
        assert_eq!(g[0].face as usize, georgian);
        assert_eq!(g.last().unwrap().face as usize, latin);
        assert!(g.iter().all(|g| g.id != 0));
        assert!(width(&g) > 5.0);
    }

    #[test]
    fn uncovered_character_is_an_error_not_a_box() {
        let fonts = FontSet::builtin();
        let mut s = Shaper::new(&fonts);
        let g = s.shape(Style::Regular, "ა\u{E000}ბ", None);
        assert_eq!(g.len(), 2);
        assert_eq!(s.errors.len(), 1);
        assert!(s.errors[0].message.contains("U+E000"));
    }

    #[test]
    fn cache_gives_the_same_glyphs() {
        let fonts = FontSet::builtin();
        let mut s = Shaper::new(&fonts);
        let a = s.shape(Style::Bold, "სიტყვა", None);
        let b = s.shape(Style::Bold, "სიტყვა", None);
        assert!(Rc::ptr_eq(&a, &b));
    }
}
