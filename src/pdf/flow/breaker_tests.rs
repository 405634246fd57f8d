//! The page breaker on chapters made up for the purpose: what every page
//! it cuts must be, and which evil it picks when all are evils.

use super::super::{Column, NoteState, VItem, VKind};
use super::paginate;
use crate::pdf::flow::Fill;
use crate::pdf::frame::Line;

const L: f32 = 13.5;

fn column() -> Column {
    Column {
        measure: 300.0,
        height: 487.56,
        size: 10.0,
        leading: L,
        note_size: 8.0,
        note_leading: 10.8,
        hyphenate: true,
    }
}

fn line(height: f32, breakable: bool) -> VItem {
    VItem {
        kind: VKind::Line {
            line: Line::default(),
            x: 0.0,
            baseline: 9.75,
        },
        breakable,
        discardable: false,
        ..VItem::space(height, breakable)
    }
}

/// A chapter as the flow builds one: a paragraph leaves two lines on
/// either side of a break, and a heading keeps with the two lines after it.
#[derive(Default)]
struct Chapter {
    items: Vec<VItem>,
    keep: bool,
}

impl Chapter {
    fn paragraph(&mut self, n: usize) -> &mut Self {
        for i in 0..n {
            let breakable = if i == 0 {
                !self.keep
            } else {
                i >= 2 && n - i >= 2
            };
            self.items.push(line(L, breakable));
        }
        self.keep = false;
        self
    }

    /// A level-2 heading, laid on the grid as the flow lays it.
    fn heading(&mut self) -> &mut Self {
        self.items.push(VItem::space(L, true));
        let mut head = vec![VItem {
            heading: Some("h".into()),
            ..line(16.2, false)
        }];
        let below = super::super::grid::heading(&mut head, 6.75, &column());
        self.items.extend(head);
        self.items.push(VItem::space(below, false));
        self.keep = true;
        self
    }

    /// Calls `note` from the last line.
    fn note(&mut self, note: usize) -> &mut Self {
        if let Some(last) = self.items.last_mut() {
            last.notes.push(note);
        }
        self
    }
}

fn notes(lines: &[usize]) -> Vec<Vec<Line>> {
    lines.iter().map(|&n| vec![Line::default(); n]).collect()
}

/// Cuts the chapter, first page on a recto or not; returns the pages, the
/// items as padded, and which page each note opened on.
fn cut(ch: &mut Chapter, note_lines: &[Vec<Line>], recto: bool) -> (Vec<Fill>, Vec<Option<usize>>) {
    let mut state = NoteState::new(note_lines);
    let fills = paginate(&mut ch.items, &column(), &mut state, true, Some(recto));
    let mut opened = vec![None; note_lines.len()];
    for (k, f) in fills.iter().enumerate() {
        for p in &f.notes {
            if p.lines.start == 0 {
                opened[p.note] = Some(k);
            }
        }
    }
    (fills, opened)
}

/// Where the page's text ends, and how many note lines it holds.
fn body_end(items: &[VItem], fill: &Fill) -> (f32, usize) {
    let end = items[fill.items.clone()].iter().map(|it| it.height).sum();
    (end, fill.notes.iter().map(|p| p.lines.len()).sum())
}

/// The checks every cut chapter passes: pages in order and complete, each
/// but the last reaching its foot, facing pages of one depth, no page
/// ending where the flow forbids it.
fn assert_sound(items: &[VItem], fills: &[Fill], first_recto: bool) {
    let col = column();
    let start = fills.first().map_or(0, |f| f.items.start);
    assert!(items[..start].iter().all(|it| it.discardable));
    assert_eq!(fills.last().map(|f| f.items.end), Some(items.len()));
    for (k, f) in fills.iter().enumerate() {
        let last = k + 1 == fills.len();
        if !last {
            assert!(
                items[f.items.end].breakable,
                "page {k} ends where no break is allowed"
            );
            let next = fills[k + 1].items.start;
            assert!(items[f.items.end..next].iter().all(|it| it.discardable));
        }
        let (end, note_lines) = body_end(items, f);
        let filled = end + col.notes_height(note_lines);
        assert!(filled <= f.depth + 0.01, "page {k} overfull: {filled}");
        if !last {
            let room = f.depth - filled;
            if note_lines == 0 {
                assert!(room.abs() < 0.01, "page {k} ends {room} pt above its foot");
            } else {
                // The notes end on the foot; the room above them is the
                // slack of the page (as LaTeX's \skip\footins stretches).
                assert!(room < 2.0 * L, "page {k} leaves {room} pt above its notes");
            }
        }
        let verso = (k % 2 == 0) != first_recto;
        if verso && !last {
            assert_eq!(f.depth, fills[k + 1].depth, "spread at page {k} uneven");
        }
        assert!((f.depth / L - 36.0).abs() <= 1.0 + 1e-3, "{}", f.depth);
    }
}

#[test]
fn a_chapter_with_headings_and_notes_ends_flush_on_every_full_page() {
    let mut ch = Chapter::default();
    let lengths = [
        7, 12, 4, 19, 9, 3, 15, 11, 6, 22, 8, 5, 13, 17, 4, 10, 9, 14, 6, 20,
    ];
    for (k, &n) in lengths.iter().enumerate() {
        if k % 5 == 0 {
            ch.heading();
        }
        ch.paragraph(n);
        if k % 3 == 1 {
            ch.note(k / 3 + 1);
        }
    }
    let note_lines = notes(&[2, 3, 1, 4, 2, 2, 3]);
    for recto in [true, false] {
        let mut ch = Chapter {
            items: ch.items.clone(),
            keep: false,
        };
        let (fills, opened) = cut(&mut ch, &note_lines, recto);
        assert!(fills.len() >= 6, "{}", fills.len());
        assert_sound(&ch.items, &fills, recto);
        // Every note stands on the page of its reference.
        for (k, f) in fills.iter().enumerate() {
            for it in &ch.items[f.items.clone()] {
                for &n in &it.notes {
                    assert_eq!(opened[n - 1], Some(k), "note {n}");
                }
            }
        }
        // No heading at a page's foot: a heading's line is never the last.
        for f in &fills[..fills.len() - 1] {
            let last_line = ch.items[f.items.clone()]
                .iter()
                .rev()
                .find(|it| matches!(it.kind, VKind::Line { .. }));
            assert!(last_line.is_some_and(|it| it.heading.is_none()));
        }
    }
}

#[test]
fn a_spread_runs_short_together_rather_than_leave_one_page_short() {
    // Line 36 would open the second paragraph alone (an orphan): the verso
    // and its recto both stop after 35 lines, or both run to 37.
    let mut ch = Chapter::default();
    ch.paragraph(35).paragraph(60).paragraph(30);
    let (fills, _) = cut(&mut ch, &[], false);
    assert_sound(&ch.items, &fills, false);
    assert_ne!(fills[0].depth, 36.0 * L);
    assert_eq!(fills[0].depth, fills[1].depth);
    assert_eq!(fills[2].depth, 36.0 * L);
}

#[test]
fn a_hyphen_may_cross_a_spread_but_not_the_turn_of_a_leaf() {
    // The 36th line ends in a hyphen. Over the spread (verso to recto) the
    // hyphen costs less than running the spread a line short; over the
    // turn of the leaf (recto to verso) it costs more.
    for (recto, hyphen_kept) in [(false, true), (true, false)] {
        let mut ch = Chapter::default();
        ch.paragraph(50).paragraph(60).paragraph(40);
        if let VKind::Line { line, .. } = &mut ch.items[35].kind {
            line.hyphenated = true;
        }
        let (fills, _) = cut(&mut ch, &[], recto);
        assert_sound(&ch.items, &fills, recto);
        let hyphen_at_turn = fills[0].items.end == 36;
        assert_eq!(
            hyphen_at_turn, hyphen_kept,
            "first page on a recto: {recto}"
        );
    }
}

#[test]
fn a_page_of_text_with_a_long_note_splits_the_note() {
    let mut ch = Chapter::default();
    ch.paragraph(30).note(1).paragraph(40);
    let note_lines = notes(&[20]);
    let (fills, opened) = cut(&mut ch, &note_lines, true);
    assert_sound(&ch.items, &fills, true);
    assert_eq!(opened[0], Some(0));
    let shown: usize = fills
        .iter()
        .flat_map(|f| &f.notes)
        .map(|p| p.lines.len())
        .sum();
    assert_eq!(shown, 20, "every line of the note is shown once");
}

#[test]
fn a_heading_near_a_recto_foot_does_not_tempt_a_lone_long_recto() {
    // A chapter opening on a verso. Its one long paragraph may break only
    // after lines 36, 72 and 108 (full pages) or 37, 74 and 110 (after a
    // hyphen); a heading follows it, with the paragraph it keeps.
    // From 108 the fourth page (a recto) can end at its foot only a line
    // long, after the heading and two lines; so the verso before it ran
    // long too, on paper, while its text stopped at the usual foot: a lone
    // long recto. The pages must rather run the first spread long and pay
    // the hyphens, every page on the foot of its spread.
    let mut ch = Chapter::default();
    ch.paragraph(140);
    for (k, it) in ch.items.iter_mut().enumerate() {
        it.breakable = [36, 37, 72, 74, 108, 110].contains(&k);
        if let VKind::Line { line, .. } = &mut it.kind {
            line.hyphenated = [36, 73, 109].contains(&k);
        }
    }
    ch.heading().paragraph(60);
    let (fills, _) = cut(&mut ch, &[], false);
    assert_sound(&ch.items, &fills, false);
    let depths: Vec<f32> = fills.iter().map(|f| f.depth / L).collect();
    assert_eq!(depths[..4], [37.0, 37.0, 36.0, 36.0], "{depths:?}");
}

/// The chapter of [`a_spread_runs_short_together_rather_than_leave_one_page_short`]
/// whose first paragraph may also be set a line longer, at `demerits`
/// beyond its best: pages as cut, the flow, and the setting chosen.
fn with_a_longer_first_paragraph(demerits: f64) -> (Vec<Fill>, Vec<VItem>, i8) {
    use super::super::variants::{cost_of, Alt, Setting};
    let mut ch = Chapter::default();
    ch.paragraph(35).paragraph(60).paragraph(30);
    let mut longer = Chapter::default();
    longer.paragraph(36);
    let mut alts = vec![Alt {
        at: 0,
        len: 35,
        chosen: Setting {
            delta: 0,
            cost: 0.0,
            lines: Vec::new(),
        },
        others: vec![Setting {
            delta: 1,
            cost: cost_of(demerits),
            lines: longer.items,
        }],
    }];
    let mut state = NoteState::new(&[]);
    let paging = crate::pdf::flow::Paging {
        flush: true,
        first_recto: Some(false),
    };
    let fills =
        crate::pdf::flow::paginate_chapter(&mut ch.items, &mut alts, &column(), &mut state, paging);
    (fills, ch.items, alts[0].chosen.delta)
}

#[test]
fn a_paragraph_a_line_longer_keeps_the_spread_on_its_foot() {
    // Set a line longer (a little looser), the first paragraph ends the
    // verso's 36th line: every page on the foot, no spread run short.
    let (fills, items, chosen) = with_a_longer_first_paragraph(20_000.0);
    assert_sound(&items, &fills, false);
    assert_eq!(chosen, 1);
    assert_eq!(items.len(), 126);
    assert_eq!(fills[0].items, 0..36);
    for f in &fills[..fills.len() - 1] {
        assert_eq!(f.depth, 36.0 * L);
    }
    // Far looser (a line at twice its stretch costs more than the short
    // spread), it is left alone.
    let (fills, items, chosen) = with_a_longer_first_paragraph(2.0e6);
    assert_sound(&items, &fills, false);
    assert_eq!(chosen, 0);
    assert_eq!(items.len(), 125);
    assert_ne!(fills[0].depth, 36.0 * L);
}
