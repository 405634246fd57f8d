//! A table in the vertical flow: its caption above it (kept with it),
//! column widths from the cells' content, rows of cells set by the text
//! layer's line breaker (with hyphenation), rules in the booktabs manner
//! (heavier above and below, a thin one under the head, no verticals), and
//! the head drawn again, as an artifact, atop each page the table continues
//! on. Tagged Table > Caption, THead/TBody > TR > TH (scope column) / TD.
//!
//! A child of the collecting module, so that it adds to the same flow.

use super::{baseline, Flow, VItem, VKind};
use crate::fonts::Style;
use crate::model::table::{self, Row, Table};
use crate::model::{plain_text, Book, Inline};
use crate::pdf::frame::marks::{Mark, Role, Tag};
use crate::pdf::frame::{Element, Line};
use crate::pdf::text::{self, Align, Setting};
use std::sync::Arc;

/// Type size of a table against the body's (LaTeX's `\small`).
pub(crate) const SIZE: f32 = 0.9;
/// Space between two columns, in em of the table's type.
const GAP: f32 = 0.8;
/// Space above and below a row's text, in em.
const PAD: f32 = 0.25;
/// Booktabs' rule weights (`\heavyrulewidth`, `\lightrulewidth`), in points.
const HEAVY: f32 = 0.8;
const LIGHT: f32 = 0.4;

/// One row (or the whole head) as the flow holds it: its lines and rules,
/// placed from the text block's left edge and the row's top.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowItem {
    /// Each line with its left edge and its baseline.
    pub lines: Vec<(Line, f32, f32)>,
    /// Rules: left, top, width, height.
    pub rules: Vec<[f32; 4]>,
    pub height: f32,
    /// The table's head, to draw (untagged) atop a page that this row
    /// opens in the middle of the table.
    pub repeat: Option<Arc<RowItem>>,
}

/// How the table's columns are set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub widths: Vec<f32>,
    /// Type size of the table.
    pub size: f32,
    pub gap: f32,
    /// The columns did not fit even at their narrowest: the type was made
    /// smaller (`size`) so that nothing is lost.
    pub shrunk: bool,
}

/// Widths of the columns within `avail` points: each column's narrowest
/// (its longest word) and widest (its longest line unbroken) content; all
/// at their widest when that fits, else the room beyond the narrowest
/// shared in proportion to what each would take (the CSS automatic table
/// layout), and when not even the narrowest fit, everything set smaller.
/// A wide table's shares from its source's dashes win when given.
pub(crate) fn plan(
    shaper: &mut text::Shaper,
    book: &Book,
    t: &Table,
    avail: f32,
    (size, hyphenate): (f32, bool),
) -> Plan {
    let n = t.columns.len().max(1);
    let gap = GAP * size;
    let room = (avail - gap * (n - 1) as f32).max(avail * 0.25);
    let Widths { mins, words, maxs } = content_widths(shaper, book, t, (n, size, hyphenate));
    // Words are cut only when whole words do not fit.
    let mins = if words.iter().sum::<f32>() <= room {
        words
    } else {
        mins
    };
    let (sum_min, sum_max): (f32, f32) = (mins.iter().sum(), maxs.iter().sum());
    let fixed = t.columns.iter().all(|c| c.width.is_some());
    let mut plan = Plan {
        widths: maxs.clone(),
        size,
        gap,
        shrunk: false,
    };
    if sum_min > room {
        // Every width scales with the type: set it small enough to fit.
        let scale = room / sum_min;
        plan.size = size * scale;
        plan.gap = gap * scale;
        plan.widths = mins.iter().map(|w| w * scale).collect();
        plan.shrunk = true;
    } else if fixed {
        let share: Vec<f32> = t.columns.iter().map(|c| c.width.unwrap_or(0.0)).collect();
        plan.widths = share
            .iter()
            .zip(&mins)
            .map(|(s, m)| (s * room).max(*m))
            .collect();
        // Columns widened to their narrowest are paid for by the others.
        let over: f32 = plan.widths.iter().sum::<f32>() - room;
        if over > 0.0 {
            let slack: f32 = plan.widths.iter().zip(&mins).map(|(w, m)| w - m).sum();
            for (w, m) in plan.widths.iter_mut().zip(&mins) {
                *w -= (*w - m) / slack.max(f32::EPSILON) * over;
            }
        }
    } else if sum_max > room {
        let extra = (room - sum_min) / (sum_max - sum_min).max(f32::EPSILON);
        plan.widths = mins
            .iter()
            .zip(&maxs)
            .map(|(lo, hi)| lo + (hi - lo) * extra)
            .collect();
    }
    plan
}

/// Each column's narrowest and widest content, in points at `size`: the
/// widest piece a word can be cut into (at its hyphenation points, with
/// the hyphen, when `hyphenate`), and the cell unbroken.
fn content_widths(
    shaper: &mut text::Shaper,
    book: &Book,
    t: &Table,
    (n, size, hyphenate): (usize, f32, bool),
) -> Widths {
    let lang = crate::hyphenate::lang_for(&book.config.book.language);
    let mut mins = vec![0.0f32; n];
    let mut words = vec![0.0f32; n];
    let mut maxs = vec![0.0f32; n];
    let rows = t.head.iter().map(|r| (r, true));
    for (row, head) in rows.chain(t.body.iter().map(|r| (r, false))) {
        let style = if head { Style::Bold } else { Style::Regular };
        let hyphen = text::width(&shaper.shape(style, "-", None)) * size;
        for (i, cell) in row.cells.iter().enumerate().take(n) {
            let plain = plain_text(&cell.content, Some(book));
            let whole = text::width(&shaper.shape(style, &plain, None)) * size;
            // A note's mark is set small, after the text.
            let marks = cell
                .content
                .iter()
                .filter(|i| matches!(i, Inline::NoteRef { .. }))
                .count();
            maxs[i] = maxs[i].max(whole + marks as f32 * size * 0.8);
            for word in plain.split_whitespace() {
                let w = text::width(&shaper.shape(style, word, None)) * size;
                words[i] = words[i].max(w);
                let points = match crate::hyphenate::lang_for_word(word, lang) {
                    Some(l) if hyphenate => crate::hyphenate::break_points(word, l),
                    _ => Vec::new(),
                };
                let mut from = 0;
                for to in points.into_iter().chain(std::iter::once(word.len())) {
                    let piece = &word[from..to];
                    let extra = if to < word.len() { hyphen } else { 0.0 };
                    let w = text::width(&shaper.shape(style, piece, None)) * size + extra;
                    mins[i] = mins[i].max(w);
                    from = to;
                }
            }
        }
    }
    // Rounding must never make a line that fitted break.
    for ((lo, word), hi) in mins.iter_mut().zip(words.iter_mut()).zip(maxs.iter_mut()) {
        *lo += 0.5;
        *word = word.max(*lo) + 0.5;
        *hi = (*hi + 0.5).max(*word);
    }
    Widths { mins, words, maxs }
}

/// Each column's narrowest content cutting words at their hyphenation
/// points, keeping words whole, and its widest.
struct Widths {
    mins: Vec<f32>,
    words: Vec<f32>,
    maxs: Vec<f32>,
}

impl Flow<'_, '_> {
    /// Sets table `t` into the flow, between `left` and `right` insets.
    pub(super) fn table(&mut self, t: &Table, left: f32, right: f32) {
        let g = self.col;
        self.enter(false, t.span);
        self.space(g.leading * 0.75);
        self.after_paragraph = false;
        let avail = g.measure - left - right;
        let plan = plan(
            self.shaper,
            self.book,
            t,
            avail,
            (g.size * SIZE, g.hyphenate),
        );
        self.marks.open(Role::Table);
        let width: f32 =
            plan.widths.iter().sum::<f32>() + plan.gap * (plan.widths.len().max(1) - 1) as f32;
        // Over a narrow (centred) table the caption is centred too.
        let align = if width < avail * 0.9 {
            Align::Center
        } else {
            Align::Left
        };
        // The table's destination is where it starts: its caption.
        let first = self.items.len();
        self.table_caption(t, (left, right), align);
        if let Some(it) = self.items.get_mut(first) {
            it.anchors.push(t.id());
        }
        let x0 = left + ((avail - width) / 2.0).max(0.0);
        let lead = g.leading * SIZE * plan.size / (g.size * SIZE);
        let mut head = RowItem::default();
        if !t.head.is_empty() {
            self.marks.open(Role::TableHead);
        }
        head.rules.push([x0, 0.0, width, HEAVY]);
        head.height = HEAVY;
        for r in &t.head {
            self.marks.open(Role::TableRow);
            let (lines, h, _) = self.table_row(t, r, &plan, x0, lead, true);
            self.marks.close();
            head.lines
                .extend(lines.into_iter().map(|(l, x, y)| (l, x, y + head.height)));
            head.height += h;
        }
        if !t.head.is_empty() {
            self.marks.close();
            head.rules.push([x0, head.height, width, LIGHT]);
            head.height += LIGHT;
        }
        let repeat = Arc::new(untagged(&head));
        let breakable = !self.keep;
        self.push_row(head, Vec::new(), breakable);
        self.marks.open(Role::TableBody);
        let count = t.body.len();
        for (k, r) in t.body.iter().enumerate() {
            self.marks.open(Role::TableRow);
            let (lines, h, notes) = self.table_row(t, r, &plan, x0, lead, false);
            self.marks.close();
            let mut row = RowItem {
                lines,
                rules: Vec::new(),
                height: h,
                repeat: (k > 0).then(|| repeat.clone()),
            };
            if k + 1 == count {
                row.rules.push([x0, h, width, HEAVY]);
                row.height += HEAVY;
            }
            // The head stays with the first row.
            if row.height > g.height / 3.0 {
                self.push_tall_row(row, notes, k > 0, &repeat, (lead, PAD * plan.size));
            } else {
                self.push_row(row, notes, k > 0);
            }
        }
        // Body and table close before whatever comes next.
        self.marks.close();
        self.marks.close();
        self.keep = false;
        self.space(g.leading * 0.75);
    }

    /// The caption above the table: "ცხრილი 1. …", kept with it.
    fn table_caption(&mut self, t: &Table, (left, right): (f32, f32), align: Align) {
        let words = crate::locale::words(&self.book.config.book.language);
        let mut content = vec![Inline::Strong(vec![Inline::Text(format!(
            "{} {}",
            words.table, t.number
        ))])];
        if !t.caption.is_empty() {
            content.push(Inline::Text(". ".into()));
            content.extend(t.caption.iter().cloned());
        }
        let set = Setting {
            align,
            hyphenate: false,
            ..self.setting(left, right)
        };
        let mut laid =
            text::set_paragraph(self.shaper, Some(self.book), &content, set, Some(t.span));
        self.marks.lines(&mut laid.lines, Role::Caption);
        let n = laid.lines.len();
        self.push_lines(laid, left, set.size, self.col.leading, false);
        // A caption never parts from its table.
        self.keep = true;
        if n > 0 {
            self.space(self.col.leading * 0.3);
        }
        self.keep = true;
    }

    /// Sets one row: its lines (x from the text block's edge, baseline
    /// from the row's top), its height, and the notes its cells call.
    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        t: &Table,
        r: &Row,
        plan: &Plan,
        x0: f32,
        lead: f32,
        head: bool,
    ) -> (Vec<(Line, f32, f32)>, f32, Vec<usize>) {
        let pad = PAD * plan.size;
        let base = baseline(plan.size, lead);
        let mut lines = Vec::new();
        let mut notes = Vec::new();
        let mut tallest = 1usize;
        let mut x = x0;
        for (i, w) in plan.widths.iter().enumerate() {
            let align = t.columns.get(i).map(|c| c.align).unwrap_or_default();
            let role = if head {
                Role::TableHeader
            } else {
                Role::TableCell
            };
            if let Some(cell) = r.cells.get(i) {
                let set = Setting {
                    size: plan.size,
                    style: if head { Style::Bold } else { Style::Regular },
                    align: if align == table::Align::Center {
                        Align::Center
                    } else {
                        Align::Left
                    },
                    measure: *w,
                    first_indent: 0.0,
                    hang: 0.0,
                    hyphenate: self.col.hyphenate,
                };
                let mut laid = text::set_paragraph(
                    self.shaper,
                    Some(self.book),
                    &cell.content,
                    set,
                    Some(t.span),
                );
                self.marks.lines(&mut laid.lines, role);
                tallest = tallest.max(laid.lines.len());
                for n in laid.notes.iter().flatten() {
                    if !notes.contains(n) {
                        notes.push(*n);
                    }
                }
                for (k, mut line) in laid.lines.into_iter().enumerate() {
                    if align == table::Align::Right {
                        let dx = (*w - line.width).max(0.0);
                        shift(&mut line, dx);
                    }
                    line.origin = self.origin(None);
                    lines.push((line, x, pad + base + k as f32 * lead));
                }
            }
            x += w + plan.gap;
        }
        (lines, pad * 2.0 + tallest as f32 * lead, notes)
    }

    /// A row taller than a third of the page, cut between its lines so
    /// that a page may end inside it (the head repeated on the next):
    /// whole, it could overrun the foot of the page and lose its end.
    /// Its slices are drawn line by line across the cells, so there a
    /// cell's later lines are read after the next cell's first ones: the
    /// tags, being read in drawing order, cannot go back to the cell.
    fn push_tall_row(
        &mut self,
        row: RowItem,
        notes: Vec<usize>,
        breakable: bool,
        head: &Arc<RowItem>,
        (lead, pad): (f32, f32),
    ) {
        // Line j of every cell sits in slice j: [pad + j·lead, pad + (j+1)·lead),
        // the first slice taking the padding above, the last what is below.
        let slice_of = |y: f32| (((y - pad) / lead).floor().max(0.0)) as usize;
        let count = row
            .lines
            .iter()
            .map(|(_, _, y)| slice_of(*y) + 1)
            .max()
            .unwrap_or(1);
        let top = |j: usize| if j == 0 { 0.0 } else { pad + j as f32 * lead };
        let mut slices: Vec<RowItem> = (0..count)
            .map(|j| RowItem {
                height: if j + 1 == count {
                    row.height
                } else {
                    top(j + 1)
                } - top(j),
                repeat: (breakable || j > 0).then(|| head.clone()),
                ..RowItem::default()
            })
            .collect();
        for (line, x, y) in row.lines {
            let j = slice_of(y).min(count - 1);
            slices[j].lines.push((line, x, y - top(j)));
        }
        for [x, y, w, h] in row.rules {
            let j = slice_of(y).min(count - 1);
            slices[j].rules.push([x, y - top(j), w, h]);
        }
        let mut notes = Some(notes);
        for (j, slice) in slices.into_iter().enumerate() {
            let notes = notes.take().unwrap_or_default();
            self.push_row(slice, notes, breakable || j > 0);
        }
    }

    fn push_row(&mut self, row: RowItem, notes: Vec<usize>, breakable: bool) {
        self.items.push(VItem {
            height: row.height,
            kind: VKind::Row(Box::new(row)),
            breakable,
            discardable: false,
            notes,
            anchors: Vec::new(),
            heading: None,
            float: 0,
        });
        self.keep = false;
    }
}

/// Moves a line's runs and links `dx` to the right.
fn shift(line: &mut Line, dx: f32) {
    for r in &mut line.runs {
        r.x += dx;
    }
    for l in &mut line.links {
        l.x0 += dx;
        l.x1 += dx;
    }
}

/// The head as drawn again on a later page: the same lines and rules, as
/// artifacts (PDF/UA: a repeated head is a pagination artifact), without
/// links.
fn untagged(head: &RowItem) -> RowItem {
    let lines = head
        .lines
        .iter()
        .map(|(l, x, y)| {
            let mut l = l.clone();
            for r in &mut l.runs {
                r.link = None;
            }
            l.links.clear();
            l.origin = None;
            l.marks = vec![
                Mark::new(0, Tag::Start(Role::Artifact)),
                Mark::new(l.runs.len(), Tag::End),
            ];
            (l, *x, *y)
        })
        .collect();
    RowItem {
        lines,
        rules: head.rules.clone(),
        height: head.height,
        repeat: None,
    }
}

/// Height of the head that `it` repeats atop its page (0 for anything but
/// a row continuing a table).
pub(crate) fn repeated_head_height(it: &VItem) -> f32 {
    match &it.kind {
        VKind::Row(row) => row.repeat.as_ref().map_or(0.0, |h| h.height),
        _ => 0.0,
    }
}

/// Draws the head that `it` repeats, when it opens a page at `top`;
/// returns the height taken.
pub(crate) fn place_repeated_head(
    elements: &mut Vec<Element>,
    it: &VItem,
    left: f32,
    top: f32,
) -> f32 {
    let VKind::Row(row) = &it.kind else {
        return 0.0;
    };
    let Some(head) = &row.repeat else {
        return 0.0;
    };
    let mut copy = RowItem::clone(head);
    place_row(elements, &mut copy, left, top);
    head.height
}

/// Moves a row's lines and rules onto the page, its top at `y`.
pub(crate) fn place_row(elements: &mut Vec<Element>, row: &mut RowItem, left: f32, y: f32) {
    for [x, dy, width, height] in &row.rules {
        elements.push(Element::Rule {
            x: left + x,
            y: y + dy,
            width: *width,
            height: *height,
        });
    }
    for (line, x, baseline) in &mut row.lines {
        elements.push(Element::Text {
            x: left + *x,
            y: y + *baseline,
            line: std::mem::take(line),
        });
    }
}
