//! The pages that may be cut from one start: the page breaker's inner
//! loop (see [`super`]), with the notes each page holds and the figure that
//! may wait for the next page.

use super::{grid, Chapter, NotePart, Page, ENDINGS, EPS};
use crate::pdf::flow::paginate::{after_hyphen, continued};
use crate::pdf::flow::{repeated_head_height, NoteState};
use std::ops::Range;

/// A legal break seen so far on a page.
struct Brk {
    /// The item the page would end before.
    end: usize,
    /// The text and notes above it, from the top of the block.
    filled: f32,
    /// How many of the page's note parts it keeps, and their lines.
    parts: usize,
    lines: usize,
    /// The figure waiting for the next page, if one was passed.
    waits: Option<Range<usize>>,
}

impl Chapter<'_, '_> {
    /// The fullest pages that can be cut from item `at` with the notes
    /// `carry` carried in, on a text block `depth` deep, after the figure
    /// `pending` (items) deferred from the page before. A figure that does
    /// not fit where it stands may wait for the next page while the text
    /// after it fills this one (as LaTeX's `[tp]` floats); figures keep
    /// their order, so the page ends before a second one.
    pub(super) fn endings(
        &self,
        at: usize,
        carry: &[NotePart],
        depth: f32,
        pending: Option<Range<usize>>,
    ) -> Vec<Page> {
        let (items, col) = (self.items, self.col);
        let n = items.len();
        let (mut parts, rest, mut note_lines) = continued(carry, col);
        let mut pos = items.get(at).map_or(0.0, repeated_head_height);
        if let Some(figure) = pending {
            pos = 0.0;
            for j in figure {
                pos = grid::snap(pos, &items[j], col) + items[j].height;
                note_lines += self.take_fresh(j, &mut parts);
            }
        }
        // Legal breaks so far; only the last few become pages.
        let mut breaks: Vec<Brk> = Vec::new();
        let mut deferred: Option<Range<usize>> = None;
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
            deferred: None,
        };
        // The pages `out` that end before item `j`, which no longer fits;
        // if there is none (taller than a page even alone, or no legal
        // break), a page cut at `j` rather than loop.
        let or_forced = |mut out: Vec<Page>, j: usize, parts: &[NotePart], note_lines: usize| {
            if out.is_empty() {
                let end = if j == at { j + 1 } else { j };
                let mut p = page(end, parts, depth, note_lines);
                if j == at {
                    p.notes
                        .extend(self.fresh[j].iter().map(|&f| whole(self.notes, f)));
                }
                p.forced = true;
                out.push(p);
            }
            out
        };
        let fullest = |breaks: &[Brk], parts: &[NotePart]| {
            let first = breaks.len().saturating_sub(ENDINGS);
            breaks[first..]
                .iter()
                .map(|b| Page {
                    deferred: b.waits.clone(),
                    ..page(b.end, &parts[..b.parts], b.filled, b.lines)
                })
                .collect::<Vec<Page>>()
        };
        let mut j = at;
        while j < n {
            let it = &items[j];
            if j > at && it.breakable {
                let filled = pos + col.notes_height(note_lines);
                breaks.push(Brk {
                    end: j,
                    filled,
                    parts: parts.len(),
                    lines: note_lines,
                    waits: deferred.clone(),
                });
            }
            if it.float > 0 && j > at {
                let group = j..(j + it.float as usize).min(n);
                let height: f32 = items[group.clone()].iter().map(|it| it.height).sum();
                let room = depth + EPS - col.notes_height(note_lines);
                if deferred.is_some() {
                    // Behind a waiting figure, later ones wait too.
                    return or_forced(fullest(&breaks, &parts), j, &parts, note_lines);
                }
                if grid::snap(pos, it, col) + height > room {
                    j = group.end;
                    deferred = Some(group);
                    continue;
                }
            }
            let top = grid::snap(pos, it, col);
            let fresh = &self.fresh[j];
            let fresh_lines: usize = fresh.iter().map(|&f| self.notes.lines[f].len()).sum();
            if top + it.height + col.notes_height(note_lines + fresh_lines) <= depth + EPS {
                pos = top + it.height;
                parts.extend(fresh.iter().map(|&f| whole(self.notes, f)));
                note_lines += fresh_lines;
                j += 1;
                continue;
            }
            // The line fits with only part of its notes: the first that
            // does not fit is split and the rest carried on.
            let mut out = fullest(&breaks, &parts);
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
                p.deferred = deferred;
                out.push(p);
                return out;
            }
            return or_forced(out, j, &parts, note_lines);
        }
        let filled = pos + col.notes_height(note_lines);
        breaks.push(Brk {
            end: n,
            filled,
            parts: parts.len(),
            lines: note_lines,
            waits: deferred,
        });
        fullest(&breaks, &parts)
    }

    /// The notes item `j` calls first, put in `parts`; how many lines.
    fn take_fresh(&self, j: usize, parts: &mut Vec<NotePart>) -> usize {
        let fresh = &self.fresh[j];
        parts.extend(fresh.iter().map(|&f| whole(self.notes, f)));
        fresh.iter().map(|&f| self.notes.lines[f].len()).sum()
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
