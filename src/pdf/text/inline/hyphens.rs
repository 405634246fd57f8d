//! Which hyphenation points the printed page uses: fewer than the EPUB's
//! soft hyphens, because a reader's eye must carry the fragment to the next
//! line. Never two letters or fewer carried over, never a single letter
//! left behind, and never a word of five letters or fewer split (ხო-ლო,
//! უნ-და, შო-რის): the break saves too little to be worth the hyphen.

use crate::hyphenate;

/// Fewest letters before and after a printed break (TeX's
/// `\lefthyphenmin` and `\righthyphenmin` for English are 2 and 3).
const LEFT_MIN: usize = 2;
const RIGHT_MIN: usize = 3;
/// Words this short are never split.
const SHORTEST_SPLIT: usize = 6;

/// Byte offsets inside `word` (letters only) where the printed line may
/// break with a hyphen.
pub(super) fn print_points(word: &str, lang: hypher::Lang) -> Vec<usize> {
    let letters = word.chars().count();
    if letters < SHORTEST_SPLIT {
        return Vec::new();
    }
    let mut points = hyphenate::break_points(word, lang);
    points.retain(|&p| {
        let before = word[..p].chars().count();
        before >= LEFT_MIN && letters - before >= RIGHT_MIN
    });
    points
}

/// May the line break after the hyphen written at `chars[k]`? Only if the
/// same minimums hold: `აშშ-ს` (a case ending on an abbreviation) stays
/// whole, `ერთ-ერთი` may break.
pub(super) fn explicit_ok(chars: &[(usize, char)], k: usize) -> bool {
    let run = |it: &mut dyn Iterator<Item = &(usize, char)>| {
        it.take_while(|(_, c)| hyphenate::is_letter(*c)).count()
    };
    let before = run(&mut chars[..k].iter().rev());
    let after = run(&mut chars.get(k + 1..).unwrap_or(&[]).iter());
    before >= LEFT_MIN && after >= RIGHT_MIN
}

#[cfg(test)]
mod tests {
    use super::*;
    use hypher::Lang::Georgian;

    fn split(word: &str) -> Vec<(&str, &str)> {
        print_points(word, Georgian)
            .into_iter()
            .map(|p| word.split_at(p))
            .collect()
    }

    #[test]
    fn a_written_hyphen_breaks_only_between_long_enough_parts() {
        let ok = |w: &str| {
            let chars: Vec<(usize, char)> = w.char_indices().collect();
            let k = chars.iter().position(|&(_, c)| c == '-').expect("hyphen");
            explicit_ok(&chars, k)
        };
        assert!(ok("ერთ-ერთი"));
        assert!(ok("ჩინეთ-ინდოეთის"));
        assert!(!ok("აშშ-ს"));
        assert!(!ok("ა-ბგდე"));
    }

    #[test]
    fn short_words_are_never_split() {
        for w in ["ხოლო", "უნდა", "შორის", "მისი", "იგივე"]
        {
            // The patterns do split them; the printed page does not.
            assert!(
                !hyphenate::break_points(w, Georgian).is_empty() || w.chars().count() < 4,
                "{w}"
            );
            assert!(split(w).is_empty(), "{w}: {:?}", split(w));
        }
    }

    #[test]
    fn fragments_keep_two_letters_before_and_three_after() {
        let words = [
            "რესპუბლიკის",
            "საკონსულტაციო",
            "ხელმძღვანელობით",
            "გამოაცხადა",
            "ოქტომბერს",
            "დაარსება",
        ];
        let mut seen = 0;
        for w in words {
            for (a, b) in split(w) {
                seen += 1;
                assert!(a.chars().count() >= 2, "{a}-{b}");
                assert!(b.chars().count() >= 3, "{a}-{b}");
            }
            // Every pattern point that passes the rule is kept.
            let all = hyphenate::break_points(w, Georgian);
            let kept = print_points(w, Georgian);
            assert!(kept.iter().all(|p| all.contains(p)));
        }
        assert!(seen > 6, "the rule leaves breaks: {seen}");
        // The patterns alone would carry two letters (ოქტომბე-რს or similar).
        let carried_two = words.iter().any(|w| {
            hyphenate::break_points(w, Georgian)
                .iter()
                .any(|&p| w[p..].chars().count() == 2)
        });
        assert!(carried_two, "the test words exercise the right minimum");
    }
}
