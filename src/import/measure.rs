//! When a line of extracted text is "short" — a heading, or a paragraph's
//! last line — rather than a full line of the text block. A fixed share of
//! the usual width (85 %) fitted the seed but not every page: a narrow
//! justified column has full lines within a word of the width, so a
//! heading at 88 % of it read as a full line; ragged-right text has full
//! lines at 70 %, read as short. So the text's own lines decide: those
//! inside a paragraph (another line follows at once) are full lines by
//! construction, and a line no longer than the shortest twentieth of them
//! is short.

/// A full line's width and the longest line that counts as short.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Measure {
    pub width: usize,
    pub floor: usize,
}

impl Measure {
    pub fn short(&self, chars: usize) -> bool {
        chars <= self.floor
    }
}

/// From the lengths (in characters) of all lines and of the lines that
/// another line follows directly. `width` is the 90th percentile of all
/// (see `text::line_width`).
pub(crate) fn of(width: usize, mut inner: Vec<usize>) -> Measure {
    inner.retain(|&n| n * 2 >= width);
    // Too few lines to say: the share that fitted the seed.
    let floor = if inner.len() < 20 {
        width * 85 / 100
    } else {
        inner.sort_unstable();
        inner[inner.len() / 20]
    };
    Measure {
        width,
        floor: floor.clamp(width / 2, width.saturating_sub(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_follows_the_shape_of_the_lines() {
        // Justified narrow column: full lines 38–40 of 40.
        let tight: Vec<usize> = (0..100).map(|i| 38 + i % 3).collect();
        assert_eq!(of(40, tight).floor, 38);
        // Ragged right: full lines 50–72 of 72.
        let ragged: Vec<usize> = (0..100).map(|i| 50 + i % 23).collect();
        let m = of(72, ragged);
        assert_eq!(m.floor, 51);
        assert!(!m.short(58) && m.short(40));
        // Too few lines: 85 % of the width.
        assert_eq!(of(60, vec![60; 5]).floor, 51);
    }
}
