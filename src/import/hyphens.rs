//! Words broken at line ends: joined again, or kept as real compounds.
//!
//! A published PDF breaks words wherever its typesetter chose, not only at
//! the hyphenation patterns' points (the seed breaks საგარ-ეო), so the
//! patterns alone cannot decide. The text itself is the better witness: a
//! compound the author wrote (ჩინეთ-საბჭოთა) appears whole elsewhere, and so
//! does a plain word (საგარეო). The patterns decide only when the text is
//! silent.

use crate::hyphenate::{break_points, lang_for_word};
use std::collections::HashSet;

/// The words a text uses away from line ends, hyphenated ones included.
#[derive(Default)]
pub struct Vocabulary {
    words: HashSet<String>,
}

/// Splits text into words: letters and digits, with inner hyphens kept.
pub fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
}

impl Vocabulary {
    /// Learns from `lines`, leaving out the pieces of words broken across
    /// two lines (the last word of a line ending in `-`, the first of the
    /// next), which are not words.
    pub fn learn(lines: &[&str]) -> Vocabulary {
        let mut words_seen = HashSet::new();
        let mut after_break = false;
        for line in lines {
            let line = line.trim();
            let broken = line.ends_with('-') && !line.ends_with(" -");
            let all: Vec<&str> = words(line).collect();
            let n = all.len();
            for (i, w) in all.into_iter().enumerate() {
                if (i == 0 && after_break) || (i + 1 == n && broken) {
                    continue;
                }
                words_seen.insert(w.to_lowercase());
            }
            after_break = broken;
        }
        Vocabulary { words: words_seen }
    }

    fn has(&self, w: &str) -> bool {
        self.words.contains(&w.to_lowercase())
    }
}

/// What to do with `left-` at a line end followed by `right` on the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A word broken by the typesetter: `leftright`.
    Join,
    /// A real compound: `left-right`.
    Keep,
}

/// Why a decision was made, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The text uses the compound elsewhere.
    CompoundSeen,
    /// The text uses the joined word elsewhere.
    WordSeen,
    /// A number on either side (1937-1945, მე-10).
    Number,
    /// Both halves are words the text uses on their own.
    HalvesSeen,
    /// The hyphenation patterns allow a break there.
    Patterns,
    /// Nothing decided: joined, since most line-end hyphens are breaks.
    Default,
}

/// Decides on `left-` + `right`, where `left` is the last word of the
/// line (without the hyphen) and `right` the first word of the next line.
pub fn decide(vocab: &Vocabulary, left: &str, right: &str) -> (Decision, Evidence) {
    // The first segment of the next word: in კან-ონ-პროექტი only ონ joins.
    let right_head = right.split('-').next().unwrap_or(right);
    let left_tail = left.rsplit('-').next().unwrap_or(left);
    let compound = format!("{left_tail}-{right_head}");
    let joined = format!("{left_tail}{right_head}");
    if vocab.has(&compound) {
        return (Decision::Keep, Evidence::CompoundSeen);
    }
    if vocab.has(&joined) {
        return (Decision::Join, Evidence::WordSeen);
    }
    let digit = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    if digit(left_tail) || digit(right_head) {
        return (Decision::Keep, Evidence::Number);
    }
    if left_tail.chars().count() > 2
        && right_head.chars().count() > 2
        && vocab.has(left_tail)
        && vocab.has(right_head)
    {
        return (Decision::Keep, Evidence::HalvesSeen);
    }
    if let Some(lang) = lang_for_word(&joined, Some(hypher::Lang::English)) {
        let at = left_tail.len();
        if break_points(&joined, lang).contains(&at) {
            return (Decision::Join, Evidence::Patterns);
        }
    }
    (Decision::Join, Evidence::Default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_decides_before_the_patterns() {
        let v = Vocabulary::learn(&[
            "ჩინეთ-საბჭოთა ურთიერთობა და საგარეო საქმე",
            "ერთი კანონ-პროექტი",
        ]);
        assert_eq!(decide(&v, "ჩინეთ", "საბჭოთა").0, Decision::Keep);
        assert_eq!(decide(&v, "საგარ", "ეო").0, Decision::Join);
        assert_eq!(decide(&v, "1937", "1945").0, Decision::Keep);
        assert_eq!(decide(&v, "კან", "ონ-პროექტი").0, Decision::Join);
    }

    #[test]
    fn pieces_of_broken_words_are_not_learnt() {
        let v = Vocabulary::learn(&["პირველი საგარ-", "ეო საქმე"]);
        assert!(!v.has("საგარ"));
        assert!(!v.has("ეო"));
        assert!(v.has("პირველი"));
    }
}
