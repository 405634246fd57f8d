//! The hyphen the typesetter adds where it breaks a word at a line end is
//! not part of the text. ISO 32000 (14.8.2.2.3) asks that such an
//! incidental hyphen read back as a soft hyphen (U+00AD), so that readers
//! can join the word again, while a hyphen the author wrote (a compound,
//! "1950-1980") reads back as "-".
//!
//! krilla maps each glyph to the text of its first use (the font's
//! ToUnicode map) and wraps a later use with other text in `/ActualText`
//! inside the text object. So an inserted hyphen drawn with the face's
//! hyphen-minus glyph, once that glyph is mapped to "-", reads as U+00AD in
//! readers of `/ActualText` (Acrobat, poppler, MuPDF) and as "-" in pdf.js,
//! which reads only the map: pdf.js drops U+00AD (a format character) from
//! the text it extracts, and its search joins a letter, "-" and a line end,
//! so "-" keeps broken words findable there. (A tagged span of its own
//! with `/ActualText` would not do: krilla wraps each drawing in
//! `q … cm … Q`, and poppler places such a span's text by the matrix after
//! the `Q`.)
//!
//! Before the face's hyphen-minus has been drawn as "-", an inserted hyphen
//! drawn with it would fix the map to U+00AD, and pdf.js would lose every
//! real hyphen: it is drawn with the glyph the typesetter chose instead
//! (the face's U+2010, which in Noto Serif and Noto Serif Georgian is the
//! hyphen's outline at its advance), mapped to U+00AD, which pdf.js drops;
//! where that glyph is the hyphen-minus itself, it is drawn as "-".

use crate::fonts::FontSet;
use crate::pdf::frame::{GlyphRun, Line};
use std::collections::HashSet;

/// The text an inserted hyphen stands for.
const SOFT_HYPHEN: &str = "\u{AD}";

/// How inserted hyphens are drawn, face by face, and which hyphen glyphs
/// the document has mapped to "-" so far.
pub(crate) struct Hyphens {
    /// Each face's hyphen-minus glyph, where it may stand in for the glyph
    /// the typesetter set an inserted hyphen with (it is as wide).
    minus: Vec<Option<u16>>,
    /// (face, glyph) drawn as "-".
    mapped: HashSet<(u16, u16)>,
    /// The text of a run that ends in an inserted hyphen.
    text: String,
}

impl Hyphens {
    pub fn new(fonts: &FontSet) -> Hyphens {
        Hyphens {
            minus: fonts.faces().iter().map(|f| minus(&f.data)).collect(),
            mapped: HashSet::new(),
            text: String::new(),
        }
    }

    /// Notes that glyph `id` of `face` is drawn for `text`.
    pub fn drawn(&mut self, face: u16, id: u16, text: &str) {
        if text == "-" {
            self.mapped.insert((face, id));
        }
    }

    /// The text to draw `run` with, and the glyph for its inserted hyphen
    /// (at byte `at` of that text, `set` the glyph the typesetter chose),
    /// or `None` to draw the run as it is.
    pub fn mark<'a>(
        &'a mut self,
        line: &'a Line,
        run: &GlyphRun,
        (at, set): (usize, u16),
    ) -> Option<(&'a str, u16)> {
        let minus = self.minus.get(run.face as usize).copied().flatten();
        let glyph = choose(minus, set, |g| self.mapped.contains(&(run.face, g)))?;
        self.text.clear();
        self.text.push_str(line.run_text(run).get(..at)?);
        self.text.push_str(SOFT_HYPHEN);
        Some((&self.text, glyph))
    }
}

/// The glyph to draw an inserted hyphen with, text U+00AD: the face's
/// hyphen-minus once the map says "-" for it, else the glyph the
/// typesetter set (`set`) if it is another and not mapped to "-"; `None`
/// to draw it as "-" (the map already says so for the glyph, or must).
fn choose(minus: Option<u16>, set: u16, mapped: impl Fn(u16) -> bool) -> Option<u16> {
    match minus {
        Some(m) if mapped(m) => Some(m),
        _ if minus != Some(set) && !mapped(set) => Some(set),
        _ => None,
    }
}

/// Where `run`'s text ends in the hyphen its line was broken with: the
/// byte offset of that hyphen in the run's text.
pub(crate) fn inserted(line: &Line, run: &GlyphRun) -> Option<usize> {
    let last = line.runs.last()?;
    if !line.hyphenated || !std::ptr::eq(last, run) {
        return None;
    }
    line.run_text(run).strip_suffix('-').map(str::len)
}

/// The hyphen-minus glyph of the font in `data`, if its U+2010 (the
/// typesetter's inserted hyphen, where the font has it) is as wide.
fn minus(data: &[u8]) -> Option<u16> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let minus = face.glyph_index('-')?;
    match face.glyph_index('\u{2010}') {
        Some(h) if face.glyph_hor_advance(h) != face.glyph_hor_advance(minus) => None,
        _ => Some(minus.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_faces_draw_an_inserted_hyphen_with_their_hyphen_minus() {
        let fonts = FontSet::builtin();
        for f in fonts.faces() {
            let face = ttf_parser::Face::parse(&f.data, 0).unwrap();
            let dash = face.glyph_index('-').map(|g| g.0);
            assert!(dash.is_some(), "{}", f.file_name);
            assert_eq!(minus(&f.data), dash, "{}", f.file_name);
        }
    }

    #[test]
    fn the_hyphen_minus_once_mapped_else_the_set_glyph_else_as_written() {
        let (minus, twin) = (153, 154);
        // The hyphen-minus already reads "-": marked with /ActualText.
        assert_eq!(choose(Some(minus), twin, |g| g == minus), Some(minus));
        // Not yet: the typesetter's own glyph takes U+00AD as its map.
        assert_eq!(choose(Some(minus), twin, |_| false), Some(twin));
        // A face whose inserted hyphen is its hyphen-minus, not yet mapped:
        // drawn as "-", so that the author's hyphens keep reading "-".
        assert_eq!(choose(Some(minus), minus, |_| false), None);
        // The set glyph already mapped to "-" (by an earlier one drawn as is).
        assert_eq!(choose(None, twin, |g| g == twin), None);
    }
}
