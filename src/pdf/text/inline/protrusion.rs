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
            if let Some(first) = self
                .items
                .iter()
                .position(|it| matches!(it, Item::Box { .. }))
            {
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
        let factor = if end { right_factor(c) } else { left_factor(c) };
        if factor == 0.0 {
            return 0.0;
        }
        self.glyphs
            .get(g as usize)
            .map_or(0.0, |g| factor * g.advance.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{set_paragraph, Setting};
    use super::*;
    use crate::fonts::{FontSet, Style};
    use crate::model::Inline;
    use crate::pdf::text::linebreak::{break_hanging, Hang, Widths, FORCED};
    use crate::pdf::text::Shaper;

    const TEXT: &str = "მეოცე საუკუნე ჩინეთის ისტორიაში ერთ-ერთი ყველაზე რთული პერიოდია. ამ \
        პერიოდში ჩინელებმა ოთხი მთავარი მართველი ძალა გამოიცვალეს, 1911 წელს დაამხეს \
        მონარქიული მმართველობა და დააარსეს ჩინეთის რესპუბლიკა, ნაციონალური პარტიის იგივე \
        „კუომინტანგის“ ხელმძღვანელობით. მალევე ეს პარტია სამხედრო ძალაუფლების მქონე \
        მხედართმთავრებით ჩანაცვლდა, „ხოლო“ მათ შემდეგ კომუნისტებმა აიღეს ძალაუფლება.";

    fn word(width: f32) -> Item {
        Item::Box { width }
    }

    #[test]
    fn the_breaker_counts_on_what_hangs() {
        // Two words of 50 and a hyphenated one: the hyphenated first half
        // fits the 100 pt line only if its 3 pt hyphen hangs.
        let items = [
            word(48.0),
            Item::Glue {
                width: 3.0,
                stretch: 1.0,
                shrink: 0.0,
                fill: false,
            },
            word(48.0),
            Item::Penalty {
                width: 3.0,
                cost: 50.0,
                flagged: true,
            },
            word(60.0),
            Item::Glue {
                width: 0.0,
                stretch: 0.0,
                shrink: 0.0,
                fill: true,
            },
            Item::Penalty {
                width: 0.0,
                cost: FORCED,
                flagged: false,
            },
        ];
        let widths = Widths {
            first: 100.0,
            rest: 100.0,
        };
        let plain = break_hanging(&items, widths, 0.0, Hang::default());
        assert_eq!(plain[0].index, 1, "without hanging the hyphen overflows");
        let right = [0.0, 0.0, 0.0, 2.1, 0.0, 0.0, 0.0];
        let hang = Hang {
            left: &[],
            right: &right,
            expansion: 0.0,
        };
        let hung = break_hanging(&items, widths, 0.0, hang);
        assert_eq!(hung[0].index, 3, "the hanging hyphen makes room");
        // 48 + 3 + 48 + 3 = 102 fits 100 + 2.1 with its glue stretched.
        assert!(hung[0].ratio >= 0.0 && hung[0].ratio < 0.2, "{hung:?}");
    }

    #[test]
    fn hyphens_and_stops_hang_and_no_line_is_overfull() {
        let fonts = FontSet::builtin();
        let mut hung = 0;
        for measure in [150.0, 190.0, 230.0, 280.0, 330.0] {
            let mut s = Shaper::new(&fonts);
            let set = Setting {
                size: 10.0,
                style: Style::Regular,
                align: Align::Justify,
                measure,
                first_indent: 10.0,
                hang: 0.0,
                hyphenate: true,
            };
            let laid = set_paragraph(&mut s, None, &[Inline::Text(TEXT.into())], set, None);
            let n = laid.lines.len();
            for (i, l) in laid.lines.iter().enumerate() {
                let x0 = if i == 0 { 10.0 } else { 0.0 };
                let last = l.runs.last().expect("a run");
                let glyphs: Vec<_> = l.glyphs(last).collect();
                let end = last.x + glyphs.iter().map(|g| g.advance).sum::<f32>();
                let first_x = l.runs[0].x;
                let text = l.text();
                let c = text.chars().next_back().expect("text");
                // The width between the edges never exceeds the measure;
                // only the protruding part of one glyph passes the edge.
                assert!(l.width <= l.measure + 0.01, "{} > {}", l.width, l.measure);
                let adv = glyphs.last().expect("glyph").advance;
                let over = end - (x0 + l.measure);
                assert!(over <= right_factor(c) * adv + 0.05, "{text}: {over}");
                let first = text.chars().next().expect("text");
                let under = x0 - first_x;
                assert!(under >= -0.01, "{text}: starts {under} pt late");
                if i + 1 < n && right_factor(c) > 0.0 {
                    // A justified line ending in a hyphen or a stop hangs
                    // by its share of the glyph.
                    assert!(
                        (over - right_factor(c) * adv).abs() < 0.05,
                        "{text}: hangs {over}, want {}",
                        right_factor(c) * adv
                    );
                    hung += 1;
                }
                if i > 0 && left_factor(first) > 0.0 {
                    assert!(under > 0.5, "{text}: an opening quote hangs left");
                } else {
                    assert!(under.abs() < 0.01, "{text}: starts at {first_x}");
                }
            }
        }
        assert!(hung > 10, "hyphens and stops met at line ends: {hung}");
    }
}
