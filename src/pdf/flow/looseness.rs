//! Page breaking with paragraphs a line shorter or longer: after the
//! breaker has cut a chapter, each page that still costs something (a
//! spread run short or long, a page ending on a hyphen, a short page, a
//! split note) is taken in order, and the paragraphs on it and on the
//! pages just before are tried a line shorter and a line longer; the
//! variant that makes the chapter cheapest is kept if it beats leaving
//! the paragraph alone (a compositor's `\looseness=-1` on the spread before
//! a bad one, done by search).
//!
//! Each try re-cuts the chapter from a few pages before the paragraph on
//! (the pages well before it stay as they were). A swap tried on one flow
//! is not tried again until the flow changes, and the costly pages looked
//! at are bounded, so a chapter costs at most a few dozen extra cuts per
//! paragraph that has a variant (on the ×5 book, a debug build takes about
//! twice as long to break its pages; see the README's figures).

use super::breaker::{self, Cut};
use super::variants::{self, swap, Alt};
use super::{Column, NoteState, VItem};
use std::collections::HashSet;

/// Pages before the costly one whose paragraphs are tried.
const LOOK_BACK: usize = 4;
/// Pages before a tried paragraph's that are cut anew: the best breaks
/// before it change with what follows (fewer, and the search misses half
/// of what it finds with the whole chapter redone; more cost time).
const REDO: usize = 6;
/// Costly pages looked at, per chapter.
const MAX_ROUNDS: usize = 40;
const EPS: f64 = 1e-6;

/// The cheapest pages for chapter `items`, its paragraphs `alts` swapped
/// for a variant where that helps; `items` and `alts` keep the choice.
pub(super) fn cut(
    items: &mut Vec<VItem>,
    alts: &mut [Alt],
    col: &Column,
    notes: &NoteState,
    first_recto: Option<bool>,
) -> Cut {
    let mut best = breaker::cut(items, col, notes, first_recto);
    if first_recto.is_none() || alts.is_empty() {
        return best;
    }
    let mut from = 0;
    // Swaps tried since the flow last changed, that did not help: the same
    // flow gives them the same cost, whichever costly page asks.
    let mut tried: HashSet<(usize, i8)> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let Some(p) = (from..best.len()).find(|&i| best.page_cost(i) > EPS) else {
            break;
        };
        let first = p.saturating_sub(LOOK_BACK);
        let lo = best.items(first).start;
        let hi = best.items((p + 1).min(best.len() - 1)).end;
        let total = best.cost + variants::cost(alts);
        let mut found: Option<(usize, i8, Cut, f64)> = None;
        let candidates: Vec<usize> = (0..alts.len())
            .filter(|&k| alts[k].at >= lo && alts[k].at < hi)
            .collect();
        for k in candidates {
            let was = alts[k].chosen.delta;
            let choices: Vec<i8> = alts[k].choices().collect();
            for d in choices {
                if !tried.insert((k, d)) {
                    continue;
                }
                // The pages well before the paragraph's stay as they are.
                let from_page = (0..best.len())
                    .find(|&i| best.items(i).end > alts[k].at)
                    .unwrap_or(first)
                    .saturating_sub(REDO);
                swap(items, alts, k, d);
                let cut = breaker::resume(items, col, notes, &best, from_page);
                let cost = cut.cost + variants::cost(alts);
                if cost < total - EPS && found.as_ref().is_none_or(|f| cost < f.3) {
                    found = Some((k, d, cut, cost));
                }
                swap(items, alts, k, was);
            }
        }
        match found {
            Some((k, d, cut, _)) => {
                swap(items, alts, k, d);
                best = cut;
                from = first;
                tried.clear();
            }
            None => from = p + 1,
        }
    }
    best
}
