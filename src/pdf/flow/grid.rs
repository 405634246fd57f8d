//! The baseline grid of a chapter's pages: every line of body text at the
//! left of the column stands on a multiple of the leading from the top of
//! the text block, so that lines back up across a spread and through the
//! leaf, and every full page ends on the same baseline.
//!
//! Material that is not a multiple of the leading (headings in larger type,
//! tables, figures, code, lists and quotations with half-line spaces) is
//! followed by what it takes to reach the next grid line: the next body
//! line is moved down to it ([`snap`]). Where that lands depends on where
//! the page began, so it is worked out while the page is cut, and written
//! into the flow only once its pages are chosen ([`pad_page`]).

use super::{baseline, Column, VItem, VKind};

/// Rounding slack, in points.
const EPS: f32 = 0.01;

/// Does `it` stand on the grid: a line set on the body's leading (text,
/// list items, quotations, the bibliography)?
pub(super) fn on_grid(it: &VItem, col: &Column) -> bool {
    matches!(it.kind, VKind::Line { .. }) && (it.height - col.leading).abs() < EPS
}

/// Where the top of `it` stands when the page's material before it ends at
/// `pos` (from the top of the text block).
pub(super) fn snap(pos: f32, it: &VItem, col: &Column) -> f32 {
    if on_grid(it, col) {
        next_line(pos, col.leading)
    } else {
        pos
    }
}

/// The first grid line at or below `pos`.
fn next_line(pos: f32, leading: f32) -> f32 {
    let k = ((pos - EPS) / leading).ceil().max(0.0);
    k * leading
}

/// How many lines of body text a page's text block holds.
pub(super) fn lines(col: &Column) -> usize {
    ((col.height + EPS) / col.leading).floor().max(1.0) as usize
}

/// Where, from the top of a text block `depth` deep, the footnotes end: so
/// that their last baseline stands on the last baseline of the body's grid,
/// the foot of every full page.
pub(super) fn notes_end(depth: f32, col: &Column) -> f32 {
    let body_foot = depth - col.leading + baseline(col.size, col.leading);
    body_foot + col.note_leading - baseline(col.note_size, col.note_leading)
}

/// Moves the grid lines of a page's items `items` (the page's first item
/// first) down to the grid, as [`snap`] placed them when the page was cut:
/// the space goes above the line, inside its item.
pub(super) fn pad_page(items: &mut [VItem], start: f32, col: &Column) {
    let mut pos = start;
    for it in items {
        let pad = snap(pos, it, col) - pos;
        if pad > EPS {
            it.height += pad;
            if let VKind::Line { baseline, .. } = &mut it.kind {
                *baseline += pad;
            }
        }
        pos += it.height;
    }
}

/// Sets a heading's lines `lines` on the grid: the heading with the space
/// `below` it takes a whole number of lines (the nearest, and at least
/// what its lines need), the spare room going above its first line, so
/// that the heading stays nearer the text it heads. Returns the space to
/// leave below it.
pub(super) fn heading(lines: &mut [VItem], below: f32, col: &Column) -> f32 {
    let text: f32 = lines.iter().map(|it| it.height).sum();
    let l = col.leading;
    let block = ((text + below) / l).round().max(((text - EPS) / l).ceil()) * l;
    let pad = (block - text - below).max(0.0);
    if let Some(first) = lines.first_mut() {
        first.height += pad;
        if let VKind::Line { baseline, .. } = &mut first.kind {
            *baseline += pad;
        }
    }
    (block - text - pad).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::frame::Line;

    pub(crate) fn column() -> Column {
        Column {
            measure: 300.0,
            height: 487.56,
            size: 10.0,
            leading: 13.5,
            note_size: 8.0,
            note_leading: 10.8,
            hyphenate: true,
        }
    }

    fn line(x: f32, height: f32) -> VItem {
        VItem {
            kind: VKind::Line {
                line: Line::default(),
                x,
                baseline: 9.75,
            },
            ..VItem::space(height, true)
        }
    }

    #[test]
    fn body_lines_snap_down_to_the_next_grid_line_and_nothing_else_does() {
        let col = column();
        assert_eq!(snap(20.0, &line(0.0, 13.5), &col), 27.0);
        assert_eq!(snap(27.0, &line(0.0, 13.5), &col), 27.0);
        assert_eq!(snap(20.0, &line(18.0, 13.5), &col), 27.0);
        // In other type (a heading's, code's): left alone.
        assert_eq!(snap(20.0, &line(0.0, 16.2), &col), 20.0);
        assert_eq!(snap(20.0, &VItem::space(5.0, true), &col), 20.0);
    }

    #[test]
    fn a_page_holds_whole_lines_and_its_notes_end_on_its_last_baseline() {
        let col = column();
        assert_eq!(lines(&col), 36);
        let depth = 36.0 * 13.5;
        let last_body = depth - 13.5 + baseline(10.0, 13.5);
        let last_note = notes_end(depth, &col) - 10.8 + baseline(8.0, 10.8);
        assert!(
            (last_body - last_note).abs() < 1e-3,
            "{last_body} {last_note}"
        );
    }

    #[test]
    fn headings_take_whole_lines_with_the_room_above_them() {
        let col = column();
        for (heading_leading, n, below) in [(21.6, 1, 20.25), (21.6, 2, 20.25), (16.2, 1, 6.75)] {
            let mut lines: Vec<VItem> = (0..n).map(|_| line(0.0, heading_leading)).collect();
            let text = heading_leading * n as f32;
            let below = heading(&mut lines, below, &col);
            let total: f32 = lines.iter().map(|it| it.height).sum::<f32>() + below;
            let k = total / 13.5;
            assert!(
                (k - k.round()).abs() < 1e-3,
                "{total} is no whole number of lines"
            );
            assert!(total >= text);
            let VKind::Line { baseline, .. } = lines[0].kind else {
                unreachable!()
            };
            // The heading's first baseline moved down with its line.
            assert!((baseline - 9.75 - (lines[0].height - heading_leading)).abs() < 1e-3);
        }
    }

    #[test]
    fn padding_a_page_puts_every_body_line_on_the_grid() {
        let col = column();
        let mut items = vec![
            line(0.0, 13.5),
            VItem::space(6.75, true),
            line(18.0, 13.5),
            line(18.0, 13.5),
            VItem::space(6.75, true),
            VItem::space(4.0, true),
            line(0.0, 13.5),
            line(0.0, 13.5),
        ];
        pad_page(&mut items, 0.0, &col);
        let mut pos = 0.0;
        for it in &items {
            if let VKind::Line { baseline, .. } = it.kind {
                let base = pos + baseline;
                let k = (base - 9.75) / 13.5;
                assert!((k - k.round()).abs() < 1e-3, "baseline {base} off the grid");
            }
            pos += it.height;
        }
    }
}
