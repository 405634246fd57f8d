//! Slight expansion of a justified line's letters, as pdfTeX's font
//! expansion (hz) does it: a loose line is filled partly by widening its
//! letters by up to 2 %, a tight one by narrowing them, so its word spaces
//! stay closer to their natural width. The glyphs are spaced, not
//! distorted (krilla draws no horizontally scaled text), so the outlines
//! and the text extracted stay exactly the font's: each glyph's advance
//! grows by at most 2 % of itself, a tenth of a point at 10 pt, far below
//! what an extractor reads as a space.

/// Most a letter's advance grows or shrinks, as a fraction of it
/// (microtype's default `stretch=20, shrink=20`).
pub(super) const EXPANSION: f32 = 0.02;

/// How a line with adjustment `ratio` (from the breaker, over glue
/// stretch `glue` plus letter stretch `EXPANSION × letters`) is set: the
/// factor for its letters' advances and the ratio for its glue. Letters go
/// no further than [`EXPANSION`]; beyond that only the spaces stretch.
pub(super) fn split(ratio: f32, glue: f32, letters: f32, expansion: f32) -> (f32, f32) {
    if !ratio.is_finite() || expansion == 0.0 {
        return (1.0, if ratio.is_finite() { ratio } else { 0.0 });
    }
    if ratio <= 1.0 || glue <= 0.0 {
        // The breaker never shrinks past -1; a line without spaces that
        // is still loose stays short rather than letter-spaced further.
        let r = ratio.clamp(-1.0, 1.0);
        return (1.0 + expansion * r, ratio);
    }
    let glue_ratio = ratio + (ratio - 1.0) * expansion * letters / glue;
    (1.0 + expansion, glue_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line is as wide as the breaker planned, however it is split.
    #[test]
    fn letters_and_glue_together_fill_the_planned_width() {
        let (glue, letters) = (12.0, 250.0);
        for ratio in [-1.0, -0.4, 0.0, 0.5, 1.0, 1.7, 3.5] {
            let planned = ratio * (glue + EXPANSION * letters);
            let (k, r) = split(ratio, glue, letters, EXPANSION);
            let set = (k - 1.0) * letters + r * glue;
            assert!((set - planned).abs() < 1e-3, "{ratio}: {set} != {planned}");
            assert!((k - 1.0).abs() <= EXPANSION + 1e-6, "{ratio}: {k}");
        }
    }

    #[test]
    fn no_expansion_leaves_letters_alone() {
        assert_eq!(split(0.8, 12.0, 250.0, 0.0), (1.0, 0.8));
        assert_eq!(split(f32::INFINITY, 0.0, 250.0, EXPANSION), (1.0, 0.0));
    }
}
