//! Cutting a flow into pages, with the notes its lines call: what a page
//! holds ([`Fill`]), how the flow is cut ([`Paging`]), and what the page
//! breaker ([`super::breaker`]) and the paragraph variants
//! ([`super::looseness`]) share.
//!
//! Every flow stands on the baseline grid ([`super::grid`]) and is cut
//! optimally, chapter by chapter. A figure that does not fit in the rest of
//! a page floats: the text after it fills the page and it opens the next
//! (the breaker's `endings`). Figures keep their order.

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
pub(super) fn carry_origin(items: &mut [VItem], n: usize) {
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
    if alts.is_empty() {
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
    super::breaker::paginate(items, col, notes, paging.flush, paging.first_recto)
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
