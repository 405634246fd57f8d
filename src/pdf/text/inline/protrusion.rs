//! Character protrusion (hanging punctuation), as microtype does it for
//! pdfTeX: a hyphen, a stop or a closing quote at the end of a justified
//! line hangs partly into the right margin, an opening quote at its start
//! partly into the left one, so that the margins look straight to the eye
//! where the ink is light. The line breaker counts on the extra width when
//! it chooses the breaks; the line is then set that much wider.

use super::{Align, Builder, Content};
use crate::pdf::text::linebreak::Item;

/// How much of a character's advance may hang past the end of a line.
/// microtype's defaults (`protrusion=default`, in thousandths of the
/// width) for stops and the hyphen, a little less for quotes and dashes
/// whose ink fills more of their box; Typst hangs hyphens by 0.55, stops
/// by 0.8.
fn right_factor(c: char) -> f32 {
    match c {
        '-' | '\u{2010}' | '\u{2011}' | '.' => 0.7,
        ',' => 0.6,
        ':' | ';' => 0.5,
        '\u{2013}' => 0.5,
        '\u{2014}' => 0.3,
        '\u{201C}' | '\u{201D}' | '\u{2019}' | '"' | '\'' => 0.5,
        '»' | '\u{203A}' => 0.3,
        '!' | '?' | '\u{2026}' => 0.2,
        ')' | ']' => 0.05,
        _ => 0.0,
    }
}

/// How much of a character's advance may hang before the start of a line:
/// opening quotes (Georgian text opens with „).
fn left_factor(c: char) -> f32 {
    match c {
        '\u{201E}' | '\u{201C}' | '\u{2018}' | '"' | '\'' => 0.5,
        '«' | '\u{2039}' => 0.3,
        '(' | '[' => 0.05,
        _ => 0.0,
    }
}

/// What hangs into each margin, per item (see [`crate::pdf::text::linebreak::Hang`]).
#[derive(Debug, Default)]
pub(super) struct Protrusion {
    pub left: Vec<f32>,
    pub right: Vec<f32>,
}

impl Protrusion {
    /// Hang of a line from item `start` to break `index`: (left, right).
    pub fn of(&self, start: usize, index: usize) -> (f32, f32) {
        (
            self.left.get(start).copied().unwrap_or(0.0),
            self.right.get(index).copied().unwrap_or(0.0),
        )
    }
}

impl Builder<'_, '_> {
    /// Protrusion of every possible line start and end. Only justified
    /// text hangs: a ragged or centred line has no edge to straighten.
    pub(super) fn protrusion(&self) -> Protrusion {
        if self.set.align != Align::Justify {
            return Protrusion::default();
        }
        let n = self.items.len();
        let mut p = Protrusion {
            left: vec![0.0; n],
            right: vec![0.0; n],
        };
        for i in 0..n {
            if let Content::Frag(f) = self.content[i] {
                p.left[i] = self.frag_hang(f, false);
            }
            p.right[i] = match (self.items[i], self.content[i]) {
                (Item::Penalty { .. }, Content::Hyphen(f)) => self.frag_hang(f, true),
                // A forced break ends with fill glue: nothing to align.
                (Item::Penalty { cost, .. }, _) if cost <= super::FORCED => 0.0,
                (Item::Glue { .. } | Item::Penalty { .. }, _) if i > 0 => match self.content[i - 1]
                {
                    Content::Frag(f) => self.frag_hang(f, true),
                    _ => 0.0,
                },
                _ => 0.0,
            };
        }
        // An indented first line has its indent before the quote.
        if self.set.first_indent > 0.0 {
            if let Some(first) = self.items.iter().position(|it| matches!(it, Item::Box { .. })) {
                p.left[first] = 0.0;
            }
        }
        p
    }

    /// How far fragment `f`'s last glyph (`end`) or first may hang.
    fn frag_hang(&self, f: u32, end: bool) -> f32 {
        let Some(frag) = self.frags.get(f as usize) else {
            return 0.0;
        };
        // A raised note number keeps to the measure.
        if frag.rise != 0.0 || frag.glyphs.is_empty() {
            return 0.0;
        }
        let text = self
            .text
            .get(frag.text.start as usize..frag.text.end as usize)
            .unwrap_or("");
        let (c, g) = if end {
            (text.chars().next_back(), frag.glyphs.end - 1)
        } else {
            (text.chars().next(), frag.glyphs.start)
        };
        let Some(c) = c else { return 0.0 };
        let factor = if end {
            right_factor(c)
        } else {
            left_factor(c)
        };
        if factor == 0.0 {
            return 0.0;
        }
        self.glyphs
            .get(g as usize)
            .map_or(0.0, |g| factor * g.advance.max(0.0))
    }
}
