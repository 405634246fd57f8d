//! Cutting a flow into pages, with the notes its lines call.
//!
//! Every flow stands on the baseline grid ([`super::grid`]). A flow is cut
//! by [`super::breaker`], optimally, unless it holds figures, which may
//! float: those are cut here.
//!
//! Page breaking here is first-fit with backtracking to the last legal break (no
//! widow or orphan, never right after a heading), so it stays linear: each
//! line is looked at a bounded number of times.
//!
//! A figure that does not fit in the rest of a page floats: its items are
//! moved past the text that follows, which fills the page, and it opens the
//! next page (see [`Cut::defer`]). Figures keep their order.

use super::{Column, NotePart, NoteState, VItem, VKind};
use crate::pdf::frame::Origin;
use std::ops::Range;

/// What goes on one page: items of the flow and note lines.
#[derive(Debug, Clone)]
pub(crate) struct Fill {
    pub items: Range<usize>,
    pub notes: Vec<NotePart>,
    /// Depth of its text block: whole lines of the grid, one more or less
    /// when its spread runs long or short.
    pub depth: f32,
}

impl Fill {
    /// Where the page's notes end, from the top of the text block.
    pub(crate) fn notes_end(&self, col: &Column) -> f32 {
        super::grid::notes_end(self.depth, col)
    }
}

/// How a flow is cut.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    /// Pages are added until no note part is left over.
    pub flush: bool,
    /// Whether the first page is a recto, if known: a spread may then run
    /// a line long or short.
    pub first_recto: Option<bool>,
}

impl Paging {
    /// The contents: their spreads never uneven.
    pub(crate) const CONTENTS: Paging = Paging {
        flush: false,
        first_recto: None,
    };
}

pub(super) fn skip_discardable(items: &[VItem], mut i: usize) -> usize {
    while i < items.len() && items[i].discardable {
        i += 1;
    }
    i
}

/// Does the line before item `j` end with an inserted hyphen?
pub(super) fn after_hyphen(items: &[VItem], j: usize) -> bool {
    items[..j]
        .iter()
        .rev()
        .find_map(|it| match &it.kind {
            VKind::Line { line, .. } => Some(line.hyphenated),
            VKind::Space | VKind::Image { .. } | VKind::Row(_) => None,
        })
        .unwrap_or(false)
}

/// Where an item's text comes from (see [`crate::pdf::frame::Origin`]).
fn origin(it: &mut VItem) -> Option<&mut Option<Origin>> {
    match &mut it.kind {
        VKind::Line { line, .. } => Some(&mut line.origin),
        VKind::Image { origin, .. } => Some(origin),
        VKind::Row(row) => row.lines.first_mut().map(|(line, ..)| &mut line.origin),
        VKind::Space => None,
    }
}

/// The page that a floated figure opens begins, as text, where the text
/// after it does (the figure itself stands earlier in the EPUB): its first
/// `n` items take the origin of the first item after them that has one.
fn carry_origin(items: &mut [VItem], n: usize) {
    let Some(next) = items[n..].iter_mut().find_map(|it| *origin(it)?) else {
        return;
    };
    for it in &mut items[..n] {
        if let Some(o) = origin(it) {
            *o = Some(next);
        }
    }
}

/// [`paginate`] for a chapter whose body paragraphs may be set a line
/// shorter or longer (`alts`, see [`super::looseness`]).
pub(crate) fn paginate_chapter(
    items: &mut Vec<VItem>,
    alts: &mut [super::Alt],
    col: &Column,
    notes: &mut NoteState,
    paging: Paging,
) -> Vec<Fill> {
    if alts.is_empty() || items.iter().any(|it| it.float > 0) {
        return paginate(items, col, notes, paging);
    }
    let cut = super::looseness::cut(items, alts, col, notes, paging.first_recto);
    super::breaker::fills(items, cut, col, notes, paging.flush)
}

/// Cuts a flow into pages. Notes go on the page of their reference; a note
/// too long for it continues on the next.
pub(crate) fn paginate(
    items: &mut [VItem],
    col: &Column,
    notes: &mut NoteState,
    paging: Paging,
) -> Vec<Fill> {
    const EPS: f32 = 0.01;
    let floats = items.iter().any(|it| it.float > 0);
    if !floats {
        return super::breaker::paginate(items, col, notes, paging.flush, paging.first_recto);
    }
    let depth = super::grid::lines(col) as f32 * col.leading;
    let mut cut = Cut {
        items,
        col,
        notes,
        budget: depth + EPS,
    };
    let mut fills = Vec::new();
    let mut i = skip_discardable(cut.items, 0);
    while i < cut.items.len() || (paging.flush && !cut.notes.carry.is_empty()) {
        let mut fill = cut.page(i);
        fill.depth = depth;
        i = skip_discardable(cut.items, fill.items.end);
        fills.push(fill);
    }
    for fill in &fills {
        let head = cut
            .items
            .get(fill.items.start)
            .map_or(0.0, super::repeated_head_height);
        super::grid::pad_page(&mut cut.items[fill.items.clone()], head, col);
    }
    fills
}

/// A flow being cut into pages.
struct Cut<'a, 'n> {
    items: &'a mut [VItem],
    col: &'a Column,
    notes: &'a mut NoteState<'n>,
    /// Height of the text block, with a hair's room for rounding.
    budget: f32,
}

/// Where the page could end: (item index, notes on the page) at the last
/// legal break, and at the last one that does not split a hyphenated word
/// across pages.
#[derive(Default)]
struct Breaks {
    legal: Option<(usize, usize)>,
    clean: Option<(usize, usize)>,
}

impl Cut<'_, '_> {
    /// The page that starts at item `i`.
    fn page(&mut self, i: usize) -> Fill {
        let mut fill = Fill {
            items: i..i,
            notes: Vec::new(),
            depth: self.budget,
        };
        let mut note_lines = self.continued_notes(&mut fill);
        // A table continued from the page before repeats its head here.
        let mut body = self.items.get(i).map_or(0.0, super::repeated_head_height);
        let mut breaks = Breaks::default();
        let mut j = i;
        // Items of figures moved to the end of the flow, to open the next page.
        let mut deferred = 0;
        while j < self.items.len() - deferred {
            if self.items[j].float > 0 && j > i {
                let group = j..(j + self.items[j].float as usize).min(self.items.len() - deferred);
                let height: f32 = self.items[group.clone()].iter().map(|it| it.height).sum();
                // Behind a floating figure, later ones wait too.
                if deferred > 0 || body + height > self.budget - self.col.notes_height(note_lines) {
                    deferred += self.defer(group);
                    continue;
                }
            }
            let it = &self.items[j];
            if j > i && it.breakable {
                breaks.legal = Some((j, fill.notes.len()));
                if !after_hyphen(self.items, j) {
                    breaks.clean = breaks.legal;
                }
            }
            body = super::grid::snap(body, it, self.col);
            let fresh = self.fresh_notes(it);
            let fresh_lines: usize = fresh.iter().map(|&n| self.notes.lines[n].len()).sum();
            if body + it.height + self.col.notes_height(note_lines + fresh_lines) <= self.budget {
                body += it.height;
                self.place_whole(&fresh, &mut fill);
                note_lines += fresh_lines;
                j += 1;
                continue;
            }
            // The line fits with only part of its notes: split the first
            // that does not fit and carry the rest to the next page.
            let breakable_after = j + 1 >= self.items.len() || self.items[j + 1].breakable;
            if !fresh.is_empty()
                && self.notes.carry.is_empty()
                && breakable_after
                && self.split_notes(&fresh, &mut fill, (body, it.height), note_lines)
            {
                j += 1;
                break;
            }
            j = self.back_up(i, j, &fresh, &mut fill, &breaks);
            break;
        }
        // The floated figures open the next page.
        self.items[j..].rotate_right(deferred);
        if deferred > 0 {
            carry_origin(&mut self.items[j..], deferred);
        }
        fill.items = i..j;
        fill
    }

    /// Moves the figure's items `group` to the end of the flow, keeping
    /// the order of figures moved before; returns how many items moved.
    fn defer(&mut self, group: Range<usize>) -> usize {
        let n = group.len();
        self.items[group.start..].rotate_left(n);
        n
    }

    /// Puts the parts of notes continued from the page before first,
    /// leaving room for some text; returns how many lines they take.
    fn continued_notes(&mut self, fill: &mut Fill) -> usize {
        if self.notes.carry.is_empty() {
            return 0;
        }
        let (shown, rest, lines) = continued(&self.notes.carry, self.col);
        fill.notes.extend(shown);
        self.notes.carry = rest;
        lines
    }

    /// The notes (0-based) that `it` calls and no page holds yet.
    fn fresh_notes(&self, it: &VItem) -> Vec<usize> {
        let mut fresh: Vec<usize> = Vec::new();
        for &n in &it.notes {
            if n >= 1
                && n <= self.notes.lines.len()
                && !self.notes.placed[n - 1]
                && !fresh.contains(&(n - 1))
            {
                fresh.push(n - 1);
            }
        }
        fresh
    }

    fn place_whole(&mut self, fresh: &[usize], fill: &mut Fill) {
        for &n in fresh {
            self.notes.placed[n] = true;
            fill.notes.push(NotePart {
                note: n,
                lines: 0..self.notes.lines[n].len(),
            });
        }
    }

    /// Puts the item of height `height` after `body` of text with as much
    /// of its `fresh` notes as fits, at least two lines of the first, and
    /// carries the rest over; `false` if not even that fits.
    fn split_notes(
        &mut self,
        fresh: &[usize],
        fill: &mut Fill,
        (body, height): (f32, f32),
        note_lines: usize,
    ) -> bool {
        let col = self.col;
        let mut lines = note_lines;
        let mut parts = Vec::new();
        let mut carry = Vec::new();
        for &n in fresh {
            let len = self.notes.lines[n].len();
            if !carry.is_empty() {
                carry.push(NotePart {
                    note: n,
                    lines: 0..len,
                });
                continue;
            }
            let free = self.budget - body - height - col.notes_height(lines);
            let extra = if lines == 0 { col.leading } else { 0.0 };
            let room = ((free - extra) / col.note_leading).floor().max(0.0) as usize;
            if room >= len {
                parts.push(NotePart {
                    note: n,
                    lines: 0..len,
                });
                lines += len;
            } else {
                if room < 2 {
                    parts.clear();
                    break;
                }
                parts.push(NotePart {
                    note: n,
                    lines: 0..room,
                });
                lines += room;
                carry.push(NotePart {
                    note: n,
                    lines: room..len,
                });
            }
        }
        if parts.is_empty() || parts.first().is_some_and(|p| p.note != fresh[0]) {
            return false;
        }
        for &n in fresh {
            self.notes.placed[n] = true;
        }
        fill.notes.extend(parts);
        self.notes.carry = carry;
        true
    }

    /// Item `j` of the page that starts at `i` does not fit: ends the page
    /// at the best break before it; returns the item after the page.
    fn back_up(
        &mut self,
        i: usize,
        j: usize,
        fresh: &[usize],
        fill: &mut Fill,
        breaks: &Breaks,
    ) -> usize {
        // Giving up a line or two to keep a word whole is worth it
        // (TeX's \brokenpenalty); more is not.
        let choice = match (breaks.clean, breaks.legal) {
            (Some(c), Some(l)) if c.0 + 3 >= l.0 => Some(c),
            (_, l) => l,
        };
        match choice {
            Some((at, n_notes)) if at > i => {
                for part in fill.notes.drain(n_notes..) {
                    if part.lines.start == 0 {
                        self.notes.placed[part.note] = false;
                    }
                }
                at
            }
            _ if j == i => {
                // Taller than a page even alone: let it overflow rather
                // than loop.
                self.place_whole(fresh, fill);
                j + 1
            }
            _ => j,
        }
    }
}

/// The parts of notes carried into a page that it shows, leaving room for
/// some text; the rest, carried on; the lines shown.
pub(super) fn continued(carry: &[NotePart], col: &Column) -> (Vec<NotePart>, Vec<NotePart>, usize) {
    let room = ((col.height - col.leading * 4.0) / col.note_leading)
        .floor()
        .max(2.0) as usize;
    let (mut shown, mut rest, mut lines) = (Vec::new(), Vec::new(), 0);
    for part in carry {
        let take = part.lines.len().min(room.saturating_sub(lines));
        if take > 0 {
            shown.push(NotePart {
                note: part.note,
                lines: part.lines.start..part.lines.start + take,
            });
            lines += take;
        }
        if take < part.lines.len() {
            rest.push(NotePart {
                note: part.note,
                lines: part.lines.start + take..part.lines.end,
            });
        }
    }
    (shown, rest, lines)
}
