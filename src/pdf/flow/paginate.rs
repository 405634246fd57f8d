//! Cutting a flow into pages, with the notes its lines call.
//!
//! Page breaking is first-fit with backtracking to the last legal break (no
//! widow or orphan, never right after a heading), so it stays linear: each
//! line is looked at a bounded number of times.

use super::{Column, NotePart, NoteState, VItem, VKind};
use std::ops::Range;

/// What goes on one page: items of the flow and note lines.
#[derive(Debug, Clone)]
pub(crate) struct Fill {
    pub items: Range<usize>,
    pub notes: Vec<NotePart>,
}

fn skip_discardable(items: &[VItem], mut i: usize) -> usize {
    while i < items.len() && items[i].discardable {
        i += 1;
    }
    i
}

/// Does the line before item `j` end with an inserted hyphen?
fn after_hyphen(items: &[VItem], j: usize) -> bool {
    items[..j]
        .iter()
        .rev()
        .find_map(|it| match &it.kind {
            VKind::Line { line, .. } => Some(line.hyphenated),
            VKind::Space | VKind::Image { .. } => None,
        })
        .unwrap_or(false)
}

/// Cuts a flow into pages. Notes go on the page of their reference; a note
/// too long for it continues on the next. With `flush`, pages are added
/// until no note part is left over.
pub(crate) fn paginate(
    items: &[VItem],
    col: &Column,
    notes: &mut NoteState,
    flush: bool,
) -> Vec<Fill> {
    const EPS: f32 = 0.01;
    let budget = col.height + EPS;
    let mut fills = Vec::new();
    let mut i = skip_discardable(items, 0);
    while i < items.len() || (flush && !notes.carry.is_empty()) {
        let mut fill = Fill {
            items: i..i,
            notes: Vec::new(),
        };
        let mut note_lines = 0;

        // Continued notes first, leaving room for some text.
        if !notes.carry.is_empty() {
            let room = ((col.height - col.leading * 4.0) / col.note_leading)
                .floor()
                .max(2.0) as usize;
            let mut rest = Vec::new();
            for part in notes.carry.drain(..) {
                let take = part.lines.len().min(room.saturating_sub(note_lines));
                if take > 0 {
                    fill.notes.push(NotePart {
                        note: part.note,
                        lines: part.lines.start..part.lines.start + take,
                    });
                    note_lines += take;
                }
                if take < part.lines.len() {
                    rest.push(NotePart {
                        note: part.note,
                        lines: part.lines.start + take..part.lines.end,
                    });
                }
            }
            notes.carry = rest;
        }

        let mut body = 0.0;
        // (item index, notes on the page) at the last legal break, and at
        // the last one that does not split a hyphenated word across pages.
        let mut last_legal: Option<(usize, usize)> = None;
        let mut last_clean: Option<(usize, usize)> = None;
        let mut j = i;
        while j < items.len() {
            let it = &items[j];
            if j > i && it.breakable {
                last_legal = Some((j, fill.notes.len()));
                if !after_hyphen(items, j) {
                    last_clean = last_legal;
                }
            }
            let mut fresh: Vec<usize> = Vec::new();
            for &n in &it.notes {
                if n >= 1
                    && n <= notes.lines.len()
                    && !notes.placed[n - 1]
                    && !fresh.contains(&(n - 1))
                {
                    fresh.push(n - 1);
                }
            }
            let fresh_lines: usize = fresh.iter().map(|&n| notes.lines[n].len()).sum();
            if body + it.height + col.notes_height(note_lines + fresh_lines) <= budget {
                body += it.height;
                for &n in &fresh {
                    notes.placed[n] = true;
                    fill.notes.push(NotePart {
                        note: n,
                        lines: 0..notes.lines[n].len(),
                    });
                }
                note_lines += fresh_lines;
                j += 1;
                continue;
            }
            // The line fits with only part of its notes: split the first
            // that does not fit and carry the rest to the next page.
            let breakable_after = j + 1 >= items.len() || items[j + 1].breakable;
            if !fresh.is_empty() && notes.carry.is_empty() && breakable_after {
                let mut lines = note_lines;
                let mut parts = Vec::new();
                let mut carry = Vec::new();
                for &n in &fresh {
                    let len = notes.lines[n].len();
                    if !carry.is_empty() {
                        carry.push(NotePart {
                            note: n,
                            lines: 0..len,
                        });
                        continue;
                    }
                    let free = budget - body - it.height - col.notes_height(lines);
                    let extra = if lines == 0 { col.leading } else { 0.0 };
                    let room = ((free - extra) / col.note_leading).floor().max(0.0) as usize;
                    if room >= len {
                        parts.push(NotePart {
                            note: n,
                            lines: 0..len,
                        });
                        lines += len;
                    } else {
                        if room >= 2 {
                            parts.push(NotePart {
                                note: n,
                                lines: 0..room,
                            });
                            lines += room;
                        } else {
                            parts.clear();
                            break;
                        }
                        carry.push(NotePart {
                            note: n,
                            lines: room..len,
                        });
                    }
                }
                if !parts.is_empty() && parts.first().is_some_and(|p| p.note == fresh[0]) {
                    for &n in &fresh {
                        notes.placed[n] = true;
                    }
                    fill.notes.extend(parts);
                    notes.carry = carry;
                    j += 1;
                    break;
                }
            }
            // Giving up a line or two to keep a word whole is worth it
            // (TeX's \brokenpenalty); more is not.
            let choice = match (last_clean, last_legal) {
                (Some(c), Some(l)) if c.0 + 3 >= l.0 => Some(c),
                (_, l) => l,
            };
            match choice {
                Some((at, n_notes)) if at > i => {
                    for part in fill.notes.drain(n_notes..) {
                        if part.lines.start == 0 {
                            notes.placed[part.note] = false;
                        }
                    }
                    j = at;
                }
                _ if j == i => {
                    // Taller than a page even alone: let it overflow rather
                    // than loop.
                    for &n in &fresh {
                        notes.placed[n] = true;
                        fill.notes.push(NotePart {
                            note: n,
                            lines: 0..notes.lines[n].len(),
                        });
                    }
                    j += 1;
                }
                _ => {}
            }
            break;
        }
        fill.items = i..j;
        fills.push(fill);
        i = skip_discardable(items, j);
    }
    fills
}
