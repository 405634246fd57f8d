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
//! The search is a shortest path over page starts. A start is known by the
//! item it begins at, the footnote parts carried into it, which side of the
//! spread it is and, on a recto, how long its verso ran. From each start
//! only the few fullest endings are tried, so the work stays linear in the
//! chapter.

use super::grid;
use super::paginate::{after_hyphen, continued, skip_discardable, Fill};
use super::{repeated_head_height, Column, NotePart, NoteState, VItem};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

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
    pub fn items(&self, i: usize) -> std::ops::Range<usize> {
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
    let pages = cut.pages;
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
        let mut nodes = vec![Node {
            key: start,
            cost: base,
            prev: None,
            page: None,
        }];
        let mut best: FxHashMap<Key, usize> = FxHashMap::default();
        best.insert(nodes[0].key.clone(), 0);
        let mut queue: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        queue.insert(at, vec![0]);
        let mut end: Option<usize> = None;
        while let Some((at, ids)) = queue.pop_first() {
            for id in ids {
                if best.get(&nodes[id].key) != Some(&id) {
                    continue;
                }
                if at >= n {
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
            for page in self.endings(key.at, &carry, depth) {
                let next = skip_discardable(self.items, page.items.end);
                let last = next >= self.items.len();
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

    /// The fullest pages that can be cut from item `at` with the notes
    /// `carry` carried in, on a text block `depth` deep.
    fn endings(&self, at: usize, carry: &[NotePart], depth: f32) -> Vec<Page> {
        let (items, col) = (self.items, self.col);
        let n = items.len();
        let (mut parts, rest, mut note_lines) = continued(carry, col);
        let mut pos = items.get(at).map_or(0.0, repeated_head_height);
        // Legal breaks so far: where, how full, how many note parts and
        // lines; only the last few become pages.
        let mut breaks: Vec<(usize, f32, usize, usize)> = Vec::new();
        let page = |end: usize, parts: &[NotePart], filled: f32, note_lines: usize| Page {
            items: at..end,
            notes: parts.to_vec(),
            carry: rest.clone(),
            depth,
            filled,
            has_notes: note_lines > 0,
            hyphen: end < n && after_hyphen(items, end),
            split: false,
            forced: false,
        };
        for j in at..n {
            let it = &items[j];
            if j > at && it.breakable {
                let filled = pos + col.notes_height(note_lines);
                breaks.push((j, filled, parts.len(), note_lines));
            }
            let top = grid::snap(pos, it, col);
            let fresh = &self.fresh[j];
            let fresh_lines: usize = fresh.iter().map(|&f| self.notes.lines[f].len()).sum();
            if top + it.height + col.notes_height(note_lines + fresh_lines) <= depth + EPS {
                pos = top + it.height;
                note_lines += fresh_lines;
                parts.extend(fresh.iter().map(|&f| whole(self.notes, f)));
                continue;
            }
            // The line fits with only part of its notes: the first that
            // does not fit is split and the rest carried on.
            let first = breaks.len().saturating_sub(ENDINGS);
            let mut out: Vec<Page> = breaks[first..]
                .iter()
                .map(|&(end, filled, k, lines)| page(end, &parts[..k], filled, lines))
                .collect();
            let breakable_after = j + 1 >= n || items[j + 1].breakable;
            let mut split = None;
            if !fresh.is_empty() && rest.is_empty() && breakable_after {
                split = self.split(fresh, top + it.height, note_lines, depth);
            }
            if let Some((shown, carried)) = split {
                let mut p = page(j + 1, &parts, depth, 1);
                p.notes.extend(shown);
                p.carry = carried;
                p.split = true;
                out.push(p);
            } else if out.is_empty() {
                // Taller than a page even alone, or no legal break: cut
                // here rather than loop.
                let end = if j == at { j + 1 } else { j };
                let mut p = page(end, &parts, depth, note_lines);
                if j == at {
                    p.notes.extend(fresh.iter().map(|&f| whole(self.notes, f)));
                }
                p.forced = true;
                out.push(p);
            }
            return out;
        }
        breaks.push((
            n,
            pos + col.notes_height(note_lines),
            parts.len(),
            note_lines,
        ));
        let first = breaks.len().saturating_sub(ENDINGS);
        breaks[first..]
            .iter()
            .map(|&(end, filled, k, lines)| page(end, &parts[..k], filled, lines))
            .collect()
    }

    /// As much of `fresh`'s notes as fits under text ending at `body`, at
    /// least two lines of the first; the parts shown and those carried on.
    fn split(
        &self,
        fresh: &[usize],
        body: f32,
        note_lines: usize,
        depth: f32,
    ) -> Option<(Vec<NotePart>, Vec<NotePart>)> {
        let col = self.col;
        let mut lines = note_lines;
        let (mut parts, mut carry) = (Vec::new(), Vec::new());
        for &f in fresh {
            let len = self.notes.lines[f].len();
            if !carry.is_empty() {
                carry.push(whole(self.notes, f));
                continue;
            }
            let free = depth + EPS - body - col.notes_height(lines);
            let extra = if lines == 0 { col.leading } else { 0.0 };
            let room = ((free - extra) / col.note_leading).floor().max(0.0) as usize;
            if room >= len {
                parts.push(whole(self.notes, f));
                lines += len;
            } else {
                if room < 2 {
                    return None;
                }
                parts.push(NotePart {
                    note: f,
                    lines: 0..room,
                });
                carry.push(NotePart {
                    note: f,
                    lines: room..len,
                });
                lines += room;
            }
        }
        (!parts.is_empty()).then_some((parts, carry))
    }
}

fn whole(notes: &NoteState, f: usize) -> NotePart {
    NotePart {
        note: f,
        lines: 0..notes.lines[f].len(),
    }
}

#[cfg(test)]
#[path = "breaker_tests.rs"]
mod tests;
