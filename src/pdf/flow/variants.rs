//! Paragraphs that may be set a line shorter or longer (TeX's
//! `\looseness`, which a compositor sets by hand): the page breaker may
//! swap one in so that a spread ends on its foot, rather than run the
//! spread short or end a page on a hyphen.

use super::VItem;

/// One setting of a paragraph.
#[derive(Debug, Clone)]
pub(crate) struct Setting {
    /// Lines against the paragraph's best setting: -1, 0 or +1.
    pub delta: i8,
    /// What taking it costs the page breaker (0 for the best).
    pub cost: f64,
    pub lines: Vec<VItem>,
}

/// One paragraph's other settings, beside its lines in the flow.
#[derive(Debug, Clone)]
pub(crate) struct Alt {
    /// Its first line's item in the flow.
    pub at: usize,
    /// How many items it takes in the flow now.
    pub len: usize,
    /// The setting in the flow (its `lines` empty: they are in the flow).
    pub chosen: Setting,
    /// The settings not in the flow.
    pub others: Vec<Setting>,
}

impl Alt {
    /// The line differences that may be swapped in.
    pub fn choices(&self) -> impl Iterator<Item = i8> + '_ {
        self.others.iter().map(|s| s.delta)
    }
}

/// What taking a setting with `demerits` more than the best costs the
/// page breaker. The line breaker's demerits grow with the cube of a
/// line's looseness, squared: a line set at 1.5× its stretch adds about
/// 100k, at 2× about 650k. Scaled so, a paragraph a little looser costs
/// less than a spread run short (300), and one with a line at twice its
/// stretch more than a hyphen over a leaf turn (600).
pub(crate) fn cost_of(demerits: f64) -> f64 {
    SWAP + demerits / 1000.0
}

/// Any setting but the best: the reader may see a paragraph end sooner or
/// later than it could.
const SWAP: f64 = 50.0;

/// What the settings in the flow cost, beyond the paragraphs' best.
pub(crate) fn cost(alts: &[Alt]) -> f64 {
    alts.iter().map(|a| a.chosen.cost).sum()
}

/// Puts paragraph `k`'s setting `delta` into `items` in place of the one
/// there, and moves the later paragraphs' places by the difference.
/// Returns false (and changes nothing) if it has no such setting.
pub(crate) fn swap(items: &mut Vec<VItem>, alts: &mut [Alt], k: usize, delta: i8) -> bool {
    let Some(alt) = alts.get_mut(k) else {
        return false;
    };
    let Some(pos) = alt.others.iter().position(|s| s.delta == delta) else {
        return false;
    };
    let mut new = alt.others.swap_remove(pos);
    let lines = std::mem::take(&mut new.lines);
    let new_len = lines.len();
    let mut old = std::mem::replace(&mut alt.chosen, new);
    old.lines = items.splice(alt.at..alt.at + alt.len, lines).collect();
    alt.others.push(old);
    let old_len = std::mem::replace(&mut alt.len, new_len);
    for later in &mut alts[k + 1..] {
        later.at = later.at + new_len - old_len;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, tag: f32) -> Vec<VItem> {
        (0..n).map(|_| VItem::space(tag, true)).collect()
    }

    fn setting(delta: i8, n: usize, tag: f32) -> Setting {
        Setting {
            delta,
            cost: f64::from(tag),
            lines: lines(n, tag),
        }
    }

    #[test]
    fn swapping_moves_later_paragraphs_and_back() {
        let mut items = lines(2, 1.0);
        items.extend(lines(4, 2.0));
        items.extend(lines(3, 3.0));
        let mut alts = vec![
            Alt {
                at: 2,
                len: 4,
                chosen: setting(0, 0, 0.0),
                others: vec![setting(1, 5, 9.0), setting(-1, 3, 8.0)],
            },
            Alt {
                at: 6,
                len: 3,
                chosen: setting(0, 0, 0.0),
                others: vec![setting(-1, 2, 7.0)],
            },
        ];
        assert!(swap(&mut items, &mut alts, 0, 1));
        assert_eq!(items.len(), 10);
        assert_eq!(alts[1].at, 7);
        assert_eq!(items[7].height, 3.0);
        assert!(items[2..7].iter().all(|it| it.height == 9.0));
        assert_eq!(cost(&alts), 9.0);
        assert!(
            !swap(&mut items, &mut alts, 0, 1),
            "+1 is in the flow already"
        );
        assert!(swap(&mut items, &mut alts, 0, 0));
        assert_eq!(items.len(), 9);
        assert_eq!(alts[1].at, 6);
        assert!(items[2..6].iter().all(|it| it.height == 2.0));
        assert_eq!(cost(&alts), 0.0);
        let mut choices: Vec<i8> = alts[0].choices().collect();
        choices.sort();
        assert_eq!(choices, vec![-1, 1]);
    }
}
