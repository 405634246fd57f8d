//! Optimal page breaking over a chapter, on the baseline grid.
//!
//! Like TeX's line breaker, but for pages (and like LaTeX's
//! `\flushbottom`): every way of cutting the chapter at its legal breaks
//! (no widow or orphan, never right after a heading — the flow's
//! `breakable`) is weighed at once, and the cheapest wins. A page that does
//! not reach the foot costs the square of the lines it is short, unless it
//! is the chapter's last, and far more when its side is known (its facing
//! page would end on another baseline: the evil of last resort); a hyphen at a page turn costs, more when the leaf
//! must be turned to finish the word; a spread may run a line long or short,
//! both its pages together, at a cost; a footnote split across pages costs.
//! So a short page, a hyphen at the turn or an uneven spread appear only
//! when they are the lesser evil.
//!
//! A figure that does not fit where it stands may wait for the top of the
//! next page while the text after it fills this one; the figures after it
//! wait behind it ([`Chapter::endings`]).
//!
//! The search is a shortest path over page starts. A start is known by the
//! item it begins at, the footnote parts carried into it, which side of the
//! spread it is, on a recto how long its verso ran, and the figure waiting
//! to open it. From each start
//! only the few fullest endings are tried, so the work stays linear in the
//! chapter.

use super::grid;
use super::paginate::{carry_origin, continued, skip_discardable, Fill};
use super::{repeated_head_height, Column, NotePart, NoteState, VItem};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;

/// What a page may cost (demerits; only their order matters).
mod cost {
    /// Per squared line short of the foot, on a page without notes.
    pub const SHORT: f64 = 1000.0;
    /// Per squared line of room left over between text and notes.
    pub const SHORT_ABOVE_NOTES: f64 = 250.0;
    /// A spread run a line long or short: worse than a word hyphenated
    /// across a spread, better than one hyphenated over a leaf turn.
    pub const SPREAD: f64 = 450.0;
    /// A page that stops short of its foot, the chapter going on, its side
    /// known: its facing page ends on another baseline. On a spread run
    /// long, the verso's text stopping on the usual foot would leave a
    /// lone long recto. Only when nothing else fits.
    pub const UNEVEN: f64 = 1e5;
    /// A word hyphenated from a verso to its recto.
    pub const HYPHEN_ACROSS: f64 = 250.0;
    /// A word hyphenated over the turn of a leaf.
    pub const HYPHEN_TURN: f64 = 600.0;
    /// A footnote continued on the next page.
    pub const SPLIT_NOTE: f64 = 150.0;
    /// A page that breaks where no break is allowed: only when nothing
    /// else fits (a block taller than the page).
    pub const FORCED: f64 = 1e8;
}

/// The search's nodes and its map of the best node per page start.
type Scratch = (Vec<Node>, FxHashMap<Key, usize>);

thread_local! {
    /// What the search allocates, kept between searches: the paragraph
    /// variants re-cut a chapter dozens of times, and fresh tables each
    /// time cost more in page faults than the search itself.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Default::default());
}

/// How many of the fullest endings of a page are tried from each start.
const ENDINGS: usize = 4;
const EPS: f32 = 0.01;

/// A page start: see the module's doc.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    at: usize,
    carry: Vec<(usize, usize, usize)>,
    recto: Option<bool>,
    /// How many lines the facing verso ran long (+1) or short (-1).
    variant: Option<i8>,
    /// A figure (its items) deferred from the page before, which opens
    /// this one.
    float: Option<Range<usize>>,
}

/// One page as it would be cut from a start.
#[derive(Clone)]
struct Page {
    items: std::ops::Range<usize>,
    notes: Vec<NotePart>,
    carry: Vec<NotePart>,
    /// Depth of its text block.
    depth: f32,
    /// The text and the notes, from the top of the block.
    filled: f32,
    has_notes: bool,
    hyphen: bool,
    split: bool,
    forced: bool,
    /// A figure (its items) that stood on this page in the flow and waits
    /// for the top of the next.
    deferred: Option<Range<usize>>,
}

/// A chapter's pages as the search chose them.
#[derive(Clone)]
pub(super) struct Cut {
    pages: Vec<Page>,
    /// For each page: where it starts, and what the pages before it cost.
    starts: Vec<(Key, f64)>,
    /// What all of them cost.
    pub cost: f64,
}

impl Cut {
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// The items of page `i`.
    pub fn items(&self, i: usize) -> Range<usize> {
        self.pages[i].items.clone()
    }

    /// What page `i` adds to the cost: a short page, an uneven spread, a
    /// hyphen at its foot, a note it splits.
    pub fn page_cost(&self, i: usize) -> f64 {
        let next = self.starts.get(i + 1).map_or(self.cost, |s| s.1);
        next - self.starts[i].1
    }
}

struct Node {
    key: Key,
    cost: f64,
    prev: Option<usize>,
    page: Option<Page>,
}

/// What every page of the chapter is cut from.
struct Chapter<'a, 'n> {
    items: &'a [VItem],
    col: &'a Column,
    notes: &'a NoteState<'n>,
    /// The notes each item places first (0-based).
    fresh: Vec<Vec<usize>>,
}

/// Cuts a chapter's flow into pages on the grid, its notes placed as on
/// [`super::paginate`]; `first_recto` says which side its first page is
/// on (`None`: not known, so no spread runs long or short).
pub(super) fn paginate(
    items: &mut [VItem],
    col: &Column,
    notes: &mut NoteState,
    flush: bool,
    first_recto: Option<bool>,
) -> Vec<Fill> {
    let pages = cut(items, col, notes, first_recto);
    fills(items, pages, col, notes, flush)
}

/// The cheapest pages for chapter `items`.
pub(super) fn cut(
    items: &[VItem],
    col: &Column,
    notes: &NoteState,
    first_recto: Option<bool>,
) -> Cut {
    let start = Key {
        at: skip_discardable(items, 0),
        carry: key_of(&notes.carry),
        recto: first_recto,
        variant: None,
        float: None,
    };
    Chapter::new(items, col, notes).search(start, 0.0, Vec::new(), Vec::new())
}

/// [`cut`] again from page `page` of `before` on, the pages before it
/// kept: the items from its first on may have changed.
pub(super) fn resume(
    items: &[VItem],
    col: &Column,
    notes: &NoteState,
    before: &Cut,
    page: usize,
) -> Cut {
    let (start, cost) = before.starts[page].clone();
    let (pages, starts) = (&before.pages[..page], &before.starts[..page]);
    Chapter::new(items, col, notes).search(start, cost, pages.to_vec(), starts.to_vec())
}

/// Writes `cut`'s pages into the flow (their grid padding) and places
/// their notes; what no page had room for goes on pages of notes when
/// `flush`.
pub(super) fn fills(
    items: &mut [VItem],
    cut: Cut,
    col: &Column,
    notes: &mut NoteState,
    flush: bool,
) -> Vec<Fill> {
    let mut pages = cut.pages;
    // Each figure that waited opens the next page: in the flow it moves
    // behind the text that was set before it.
    for i in 0..pages.len() {
        let Some(group) = pages[i].deferred.clone() else {
            continue;
        };
        let end = pages[i].items.end;
        let k = group.len();
        items[group.start..end].rotate_left(k);
        carry_origin(&mut items[end - k..], k);
        pages[i].items.end = end - k;
        if let Some(next) = pages.get_mut(i + 1) {
            next.items.start = end - k;
        }
    }
    let mut fills = Vec::with_capacity(pages.len() + 1);
    let mut carry = notes.carry.clone();
    for p in pages {
        let head = items.get(p.items.start).map_or(0.0, repeated_head_height);
        grid::pad_page(&mut items[p.items.clone()], head, col);
        carry = p.carry;
        fills.push(Fill {
            items: p.items,
            notes: p.notes,
            depth: p.depth,
        });
    }
    for fresh in fresh_notes(items, notes) {
        for n in fresh {
            notes.placed[n] = true;
        }
    }
    // What no page of the chapter had room for goes on pages of notes.
    let depth = grid::lines(col) as f32 * col.leading;
    while flush && !carry.is_empty() {
        let (parts, rest, _) = continued(&carry, col);
        carry = rest;
        fills.push(Fill {
            items: items.len()..items.len(),
            notes: parts,
            depth,
        });
    }
    notes.carry = carry;
    fills
}

/// The notes (0-based) that each item is the first to call, and that no
/// earlier page holds.
fn fresh_notes(items: &[VItem], notes: &NoteState) -> Vec<Vec<usize>> {
    let mut seen = notes.placed.clone();
    items
        .iter()
        .map(|it| {
            let mut fresh = Vec::new();
            for &r in &it.notes {
                if r >= 1 && r <= seen.len() && !seen[r - 1] {
                    seen[r - 1] = true;
                    fresh.push(r - 1);
                }
            }
            fresh
        })
        .collect()
}

fn key_of(carry: &[NotePart]) -> Vec<(usize, usize, usize)> {
    carry
        .iter()
        .map(|p| (p.note, p.lines.start, p.lines.end))
        .collect()
}

impl<'a, 'n> Chapter<'a, 'n> {
    fn new(items: &'a [VItem], col: &'a Column, notes: &'a NoteState<'n>) -> Self {
        Chapter {
            items,
            col,
            notes,
            fresh: fresh_notes(items, notes),
        }
    }

    /// The cheapest pages from `start` to the chapter's end, after the
    /// pages `pages` (starting at `starts`) that cost `base`.
    fn search(
        &self,
        start: Key,
        base: f64,
        mut pages: Vec<Page>,
        mut starts: Vec<(Key, f64)>,
    ) -> Cut {
        let n = self.items.len();
        if start.at >= n {
            return Cut {
                pages,
                starts,
                cost: base,
            };
        }
        let at = start.at;
        let (mut nodes, mut best) = SCRATCH.with(|n| std::mem::take(&mut *n.borrow_mut()));
        nodes.clear();
        best.clear();
        nodes.push(Node {
            key: start,
            cost: base,
            prev: None,
            page: None,
        });
        best.insert(nodes[0].key.clone(), 0);
        let mut queue: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        queue.insert(at, vec![0]);
        let mut end: Option<usize> = None;
        while let Some((at, ids)) = queue.pop_first() {
            for id in ids {
                if best.get(&nodes[id].key) != Some(&id) {
                    continue;
                }
                if at >= n && nodes[id].key.float.is_none() {
                    if end.is_none_or(|e| nodes[id].cost < nodes[e].cost) {
                        end = Some(id);
                    }
                    continue;
                }
                for (key, cost, page) in self.successors(&nodes[id]) {
                    if best
                        .get(&key)
                        .is_some_and(|&other| nodes[other].cost <= cost)
                    {
                        continue;
                    }
                    let next = nodes.len();
                    best.insert(key.clone(), next);
                    queue.entry(key.at).or_default().push(next);
                    nodes.push(Node {
                        key,
                        cost,
                        prev: Some(id),
                        page: Some(page),
                    });
                }
            }
        }
        let cost = end.map_or(base, |e| nodes[e].cost);
        let mut path = Vec::new();
        let mut at = end;
        while let Some(id) = at {
            let prev = nodes[id].prev;
            if let (Some(p), Some(prev)) = (nodes[id].page.take(), prev) {
                path.push((p, nodes[prev].key.clone(), nodes[prev].cost));
            }
            at = prev;
        }
        for (page, key, cost) in path.into_iter().rev() {
            pages.push(page);
            starts.push((key, cost));
        }
        nodes.clear();
        best.clear();
        SCRATCH.with(|n| *n.borrow_mut() = (nodes, best));
        Cut {
            pages,
            starts,
            cost,
        }
    }

    /// The pages that may start at `node`, with the start each leaves to
    /// the next and the cost of the path so far.
    fn successors(&self, node: &Node) -> Vec<(Key, f64, Page)> {
        let key = &node.key;
        let variants: &[i8] = match (key.recto, key.variant) {
            (_, Some(-1)) => &[-1],
            (_, Some(1)) => &[1],
            // A verso, or a recto that opens the chapter: the page facing
            // it ends another chapter, short anyway.
            (Some(_), None) => &[0, -1, 1],
            _ => &[0],
        };
        let lines = grid::lines(self.col) as i32;
        let carry: Vec<NotePart> = key
            .carry
            .iter()
            .map(|&(note, a, b)| NotePart { note, lines: a..b })
            .collect();
        let mut out = Vec::new();
        for &v in variants {
            let depth = (lines + i32::from(v)).max(1) as f32 * self.col.leading;
            for page in self.endings(key.at, &carry, depth, key.float.clone()) {
                let next = skip_discardable(self.items, page.items.end);
                let last = next >= self.items.len() && page.deferred.is_none();
                let mut cost = node.cost + self.page_cost(&page, last);
                if v != 0 && key.variant.is_none() {
                    cost += cost::SPREAD;
                }
                // Its facing page, in the chapter too, ends on the foot
                // of the spread (or on the same line above it: a spread
                // one line short).
                let opens = key.recto == Some(true) && key.variant.is_none();
                if key.recto.is_some() && !opens && !last && !self.reaches_foot(&page) {
                    cost += cost::UNEVEN;
                }
                if page.hyphen {
                    cost += if key.recto == Some(false) {
                        cost::HYPHEN_ACROSS
                    } else {
                        cost::HYPHEN_TURN
                    };
                }
                let next_key = Key {
                    at: next,
                    carry: key_of(&page.carry),
                    recto: key.recto.map(|r| !r),
                    // The recto facing a verso runs as long.
                    variant: (key.recto == Some(false)).then_some(v),
                    float: page.deferred.clone(),
                };
                out.push((next_key, cost, page));
            }
        }
        out
    }

    /// Does the page's last baseline stand on its foot: its text reaches
    /// it, or its notes, which end there?
    fn reaches_foot(&self, page: &Page) -> bool {
        page.has_notes || (page.depth - page.filled) / self.col.leading < 1.0 - EPS
    }

    fn page_cost(&self, page: &Page, last: bool) -> f64 {
        let mut cost = 0.0;
        if page.forced {
            cost += cost::FORCED;
        }
        if page.split {
            cost += cost::SPLIT_NOTE;
        }
        if last {
            return cost;
        }
        let short = f64::from((page.depth - page.filled) / self.col.leading);
        if short >= 1.0 - f64::from(EPS) {
            let per = if page.has_notes {
                cost::SHORT_ABOVE_NOTES
            } else {
                cost::SHORT
            };
            cost += per * short * short;
        }
        cost
    }
}

#[path = "endings.rs"]
mod endings;

#[cfg(test)]
#[path = "breaker_tests.rs"]
mod tests;
