//! Total-fit line breaking (Knuth & Plass, "Breaking Paragraphs into Lines",
//! 1981) over boxes, glue and penalties.
//!
//! The paragraph is broken as a whole: every feasible break is a node, each
//! line between two nodes costs demerits, and the cheapest path to the end
//! wins. Nodes fall out of the active list as soon as a line from them would
//! be overfull, so the list never holds more than about one line's worth of
//! breakpoints and the running time is linear in the paragraph's length.
//!
//! Three passes, each looser than the last: the first accepts only lines set
//! close to their natural spacing; the last accepts any underfull line, so it
//! always succeeds provided no unbreakable run is wider than the measure (the
//! paragraph builder guarantees that with emergency breakpoints). No pass
//! ever produces an overfull line.

/// What the breaker sees of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material.
    Box { width: f32 },
    /// Space that may stretch and shrink, and where a line may end.
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
        /// Infinitely stretchable (the glue that ends a paragraph).
        fill: bool,
    },
    /// A possible break with a cost; `width` is set only if the line ends here
    /// (the hyphen).
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// A cost that forbids a break, and one that forces it.
pub const INFINITY: f32 = 10_000.0;
pub const FORCED: f32 = -INFINITY;

/// TeX's names and values, tuned where noted.
mod cost {
    /// Added to every line so that fewer lines are preferred.
    pub const LINE_PENALTY: f64 = 10.0;
    /// Two hyphenated lines in a row.
    pub const DOUBLE_HYPHEN_DEMERITS: f64 = 10_000.0;
    /// A hyphen on the second-last line leaves a fragment on the last.
    pub const FINAL_HYPHEN_DEMERITS: f64 = 5_000.0;
    /// A tight line next to a loose one looks worse than two loose ones.
    pub const ADJ_DEMERITS: f64 = 10_000.0;
    /// Hard limit: never a third hyphenated line in a row.
    pub const MAX_HYPHEN_STREAK: u8 = 2;
}

/// Largest adjustment ratio accepted by each pass (stretch used / stretch
/// available); the last pass accepts anything that is not overfull. Long
/// Georgian words in a book's measure make ratios near 2 common, so a
/// stricter first pass would mostly fail and only cost time.
const PASSES: [f32; 2] = [3.0, f32::INFINITY];

/// Width of the first line and of all later ones (a first-line indent or a
/// hanging indent makes them differ).
#[derive(Debug, Clone, Copy)]
pub struct Widths {
    pub first: f32,
    pub rest: f32,
}

/// Character protrusion and expansion: how far a line may reach into the margins when it
/// starts at item `i` (`left[i]`) or ends at break `b` (`right[b]`). Empty
/// slices: nothing hangs. The breaker widens each candidate line by what
/// would hang from it, so the choice of breaks already counts on it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hang<'a> {
    pub left: &'a [f32],
    pub right: &'a [f32],
    /// Boxes may stretch and shrink by this fraction of their width (font
    /// expansion), counted with the glue's.
    pub expansion: f32,
}

impl Hang<'_> {
    /// Extra width of a line from item `start` to break `b`.
    pub fn extra(&self, start: usize, b: usize) -> f32 {
        self.left.get(start).copied().unwrap_or(0.0) + self.right.get(b).copied().unwrap_or(0.0)
    }
}

/// A chosen break: the line ends at item `index` (which is dropped if it is
/// glue), and its glue is set with `ratio`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub index: usize,
    /// First item of the line (after discarded glue and penalties).
    pub start: usize,
    /// Fraction of the available stretch (positive) or shrink (negative) used.
    pub ratio: f32,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index of the break item; the start node has none.
    index: Option<usize>,
    /// First item of the next line.
    start: usize,
    line: usize,
    fitness: u8,
    hyphen_streak: u8,
    flagged: bool,
    demerits: f64,
    ratio: f32,
    prev: Option<usize>,
}

/// Running totals up to (not including) each item, in `f64`: a paragraph
/// may be a hundred kilobytes long, and the difference of two `f32` totals
/// that large is off by a tenth of a point, which a justified line shows.
struct Sums {
    width: Vec<f64>,
    stretch: Vec<f64>,
    shrink: Vec<f64>,
    fill: Vec<u32>,
}

impl Sums {
    /// `expansion`: the fraction by which boxes may stretch and shrink.
    fn new(items: &[Item], expansion: f32) -> Sums {
        let n = items.len() + 1;
        let mut s = Sums {
            width: Vec::with_capacity(n),
            stretch: Vec::with_capacity(n),
            shrink: Vec::with_capacity(n),
            fill: Vec::with_capacity(n),
        };
        let (mut w, mut st, mut sh, mut f) = (0.0f64, 0.0f64, 0.0f64, 0u32);
        let expansion = expansion as f64;
        for item in items {
            s.width.push(w);
            s.stretch.push(st);
            s.shrink.push(sh);
            s.fill.push(f);
            match *item {
                Item::Box { width } => {
                    let width = width as f64;
                    w += width;
                    st += expansion * width;
                    sh += expansion * width;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    fill,
                } => {
                    w += width as f64;
                    st += stretch as f64;
                    sh += shrink as f64;
                    f += fill as u32;
                }
                Item::Penalty { .. } => {}
            }
        }
        s.width.push(w);
        s.stretch.push(st);
        s.shrink.push(sh);
        s.fill.push(f);
        s
    }

    /// The total of `v` from item `start` up to (not including) `end`.
    fn between(v: &[f64], start: usize, end: usize) -> f32 {
        (v[end] - v[start]) as f32
    }
}

/// Is a break allowed at item `i`?
fn breakable(items: &[Item], i: usize) -> bool {
    match items[i] {
        // Glue breaks only after a box, so a run of spaces is one break.
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, .. } => cost < INFINITY,
        Item::Box { .. } => false,
    }
}

/// First item of the line after a break at `i`: glue and penalties at the
/// start of a line are discarded, as in TeX.
fn line_start(items: &[Item], i: usize) -> usize {
    let mut j = i + 1;
    while j < items.len() {
        match items[j] {
            Item::Box { .. } => break,
            // A forced break must still be seen as a break.
            Item::Penalty { cost, .. } if cost <= FORCED => break,
            _ => j += 1,
        }
    }
    j
}

fn fitness(ratio: f32) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

fn badness(ratio: f32) -> f64 {
    let r = ratio.abs() as f64;
    (100.0 * r * r * r).min(1.0e7)
}

/// Breaks `items` into lines. `extra_stretch` is stretch available on every
/// line beyond its glue (ragged setting: the space left at the line end).
/// The items must end with a forced break.
#[cfg(test)]
pub fn break_lines(items: &[Item], widths: Widths, extra_stretch: f32) -> Vec<Break> {
    break_hanging(items, widths, extra_stretch, Hang::default())
}

/// [`break_lines`], with lines allowed to reach into the margins by `hang`.
pub fn break_hanging(items: &[Item], widths: Widths, extra_stretch: f32, hang: Hang) -> Vec<Break> {
    if items.is_empty() {
        return Vec::new();
    }
    let sums = Sums::new(items, hang.expansion);
    for tolerance in PASSES {
        let pass = pass_nodes(items, &sums, widths, extra_stretch, hang, tolerance, false);
        if let Some((nodes, ends)) = pass {
            if let Some(best) = cheapest(&nodes, &ends, None) {
                return path(&nodes, best);
            }
        }
    }
    // Unreachable when every unbreakable run fits the measure; still never
    // hang or fail: break greedily, letters and margins left alone.
    greedy(items, &Sums::new(items, 0.0), widths)
}

/// The end node with the fewest demerits (of those with `lines` lines).
fn cheapest(nodes: &[Node], ends: &[usize], lines: Option<usize>) -> Option<usize> {
    ends.iter()
        .copied()
        .filter(|&i| lines.is_none_or(|n| nodes[i].line == n))
        .min_by(|&x, &y| nodes[x].demerits.total_cmp(&nodes[y].demerits))
}

/// The paragraph set on exactly one line fewer and one line more than
/// `lines` (TeX's `\looseness`), each only where no line is looser than
/// `tolerance` and the last line is not left nearly empty: for the page
/// breaker, which may take one to end a page on its foot. Each comes with
/// the demerits it adds to the paragraph's best setting.
pub fn variants(
    items: &[Item],
    widths: Widths,
    extra_stretch: f32,
    hang: Hang,
    (lines, tolerance): (usize, f32),
) -> Vec<Variant> {
    if items.is_empty() || lines > MAX_VARIANT_LINES {
        return Vec::new();
    }
    let sums = Sums::new(items, hang.expansion);
    let Some((nodes, ends)) =
        pass_nodes(items, &sums, widths, extra_stretch, hang, tolerance, true)
    else {
        return Vec::new();
    };
    let best_with = |want: usize| cheapest(&nodes, &ends, Some(want));
    let Some(base) = best_with(lines) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for delta in [-1i8, 1] {
        let Some(want) = lines.checked_add_signed(delta as isize).filter(|&n| n >= 1) else {
            continue;
        };
        let Some(best) = best_with(want) else {
            continue;
        };
        let breaks = path(&nodes, best);
        let last_width = breaks.last().map_or(0.0, |b| {
            Sums::between(&sums.width, b.start.min(b.index), b.index)
        });
        if last_width >= widths.rest * MIN_LAST_LINE {
            out.push(Variant {
                delta,
                breaks,
                demerits: (nodes[best].demerits - nodes[base].demerits).max(0.0),
            });
        }
    }
    out
}

/// A paragraph's setting on a line fewer or more ([`variants`]).
pub struct Variant {
    /// Lines against the best setting: -1 or +1.
    pub delta: i8,
    pub breaks: Vec<Break>,
    /// Demerits it has beyond the best setting with as many lines as that.
    pub demerits: f64,
}

/// Paragraphs longer than this get no variants: a pass that keeps a node
/// per line count grows with the square of the paragraph.
const MAX_VARIANT_LINES: usize = 60;
/// A variant's last line fills at least this much of the measure.
const MIN_LAST_LINE: f32 = 0.1;

/// The breaks back from node `end`.
fn path(nodes: &[Node], end: usize) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut cur = Some(end);
    while let Some(i) = cur {
        let n = nodes[i];
        if let (Some(index), Some(p)) = (n.index, n.prev) {
            breaks.push(Break {
                index,
                start: nodes[p].start.min(index),
                ratio: n.ratio,
            });
        }
        cur = n.prev;
    }
    breaks.reverse();
    breaks
}

/// A line to the current break: total demerits, the node it starts from,
/// its adjustment ratio and the hyphen streak it ends.
type Candidate = (f64, usize, f32, u8);

/// Every feasible break of one pass as nodes, and the nodes at the
/// paragraph's end. `by_line`: the best candidate is kept per fitness
/// class and per line count (TeX does so when `\looseness` is set), not
/// per fitness class alone.
#[allow(clippy::too_many_arguments)]
fn pass_nodes(
    items: &[Item],
    sums: &Sums,
    widths: Widths,
    extra_stretch: f32,
    hang: Hang,
    tolerance: f32,
    by_line: bool,
) -> Option<(Vec<Node>, Vec<usize>)> {
    let mut nodes: Vec<Node> = vec![Node {
        index: None,
        start: line_start_from(items, 0),
        line: 0,
        fitness: 1,
        hyphen_streak: 0,
        flagged: false,
        demerits: 0.0,
        ratio: 0.0,
        prev: None,
    }];
    let mut active: Vec<usize> = vec![0];
    // Best candidate per fitness class (and line count) at the current
    // break (TeX keeps no more; the hyphen streak rides along with the
    // candidate).
    let mut best: Vec<(usize, [Option<Candidate>; 4])> = Vec::new();
    let last = items.len() - 1;

    for b in 0..items.len() {
        if !breakable(items, b) {
            continue;
        }
        let (pen_width, pen_cost, flagged) = match items[b] {
            Item::Penalty {
                width,
                cost,
                flagged,
            } => (width, cost, flagged),
            _ => (0.0, 0.0, false),
        };
        let forced = pen_cost <= FORCED;
        best.clear();
        let mut found = false;

        let mut k = 0;
        while k < active.len() {
            let id = active[k];
            let a = nodes[id];
            let line_width = if a.line == 0 {
                widths.first
            } else {
                widths.rest
            };
            let start = a.start.min(b);
            let line_width = line_width + hang.extra(start, b);
            let natural = Sums::between(&sums.width, start, b) + pen_width;
            let stretch = Sums::between(&sums.stretch, start, b) + extra_stretch;
            let shrink = Sums::between(&sums.shrink, start, b);
            let fill = sums.fill[b] > sums.fill[start];
            let ratio = if natural <= line_width {
                if fill {
                    0.0
                } else if stretch > 0.0 {
                    (line_width - natural) / stretch
                } else if natural >= line_width - 1e-3 {
                    0.0
                } else {
                    f32::INFINITY
                }
            } else if shrink > 0.0 {
                (line_width - natural) / shrink
            } else {
                f32::NEG_INFINITY
            };

            // Overfull from here: this node can start no later line either.
            let overfull = ratio < -1.0 - 1e-4;
            if overfull || forced {
                active.swap_remove(k);
            } else {
                k += 1;
            }
            if overfull {
                continue;
            }
            let streak = if flagged { a.hyphen_streak + 1 } else { 0 };
            if ratio > tolerance || streak > cost::MAX_HYPHEN_STREAK {
                continue;
            }
            let bad = if ratio.is_finite() {
                badness(ratio)
            } else {
                1.0e7
            };
            let mut d = (cost::LINE_PENALTY + bad).powi(2);
            if pen_cost > 0.0 {
                d += (pen_cost as f64).powi(2);
            } else if !forced {
                d -= (pen_cost as f64).powi(2);
            }
            if flagged && a.flagged {
                d += cost::DOUBLE_HYPHEN_DEMERITS;
            }
            if b == last && a.flagged {
                d += cost::FINAL_HYPHEN_DEMERITS;
            }
            let fit = fitness(ratio);
            if (fit as i32 - a.fitness as i32).abs() > 1 {
                d += cost::ADJ_DEMERITS;
            }
            let total = a.demerits + d;
            let line = if by_line { a.line } else { 0 };
            let group = match best.iter().position(|(l, _)| *l == line) {
                Some(g) => g,
                None => {
                    best.push((line, Default::default()));
                    best.len() - 1
                }
            };
            let slot = &mut best[group].1[fit as usize];
            if slot.is_none_or(|(t, ..)| total < t) {
                *slot = Some((total, id, ratio, streak));
                found = true;
            }
        }

        if found {
            let start = line_start(items, b);
            let cands = best.iter().flat_map(|(_, group)| group.iter().enumerate());
            for (fit, cand) in cands {
                if let Some((total, prev, ratio, streak)) = *cand {
                    nodes.push(Node {
                        index: Some(b),
                        start,
                        line: nodes[prev].line + 1,
                        fitness: fit as u8,
                        hyphen_streak: streak,
                        flagged,
                        demerits: total,
                        ratio,
                        prev: Some(prev),
                    });
                    active.push(nodes.len() - 1);
                }
            }
        }
        if active.is_empty() {
            return None;
        }
    }

    // The last item is a forced break, so only nodes at it remain.
    let ends: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| nodes[i].index == Some(last))
        .collect();
    Some((nodes, ends))
}

/// Where the first line starts: leading glue and penalties are dropped.
fn line_start_from(items: &[Item], i: usize) -> usize {
    let mut j = i;
    while j < items.len() && !matches!(items[j], Item::Box { .. }) {
        if let Item::Penalty { cost, .. } = items[j] {
            if cost <= FORCED {
                break;
            }
        }
        j += 1;
    }
    j
}

/// Last resort: fill each line as far as it goes.
fn greedy(items: &[Item], sums: &Sums, widths: Widths) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut start = line_start_from(items, 0);
    let mut last_fit: Option<usize> = None;
    let mut line = 0;
    for b in 0..items.len() {
        if !breakable(items, b) {
            continue;
        }
        let w = if line == 0 { widths.first } else { widths.rest };
        let pen = match items[b] {
            Item::Penalty { width, .. } => width,
            _ => 0.0,
        };
        let natural = Sums::between(&sums.width, start.min(b), b) + pen;
        let shrink = Sums::between(&sums.shrink, start.min(b), b);
        let forced = matches!(items[b], Item::Penalty { cost, .. } if cost <= FORCED);
        if natural - shrink > w {
            if let Some(f) = last_fit {
                breaks.push(Break {
                    index: f,
                    start,
                    ratio: 0.0,
                });
                start = line_start(items, f);
                line += 1;
            }
        }
        if forced {
            breaks.push(Break {
                index: b,
                start: start.min(b),
                ratio: 0.0,
            });
            start = line_start(items, b);
            line += 1;
            last_fit = None;
        } else {
            last_fit = Some(b);
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: f32) -> Item {
        Item::Box { width: w }
    }
    fn space() -> Item {
        Item::Glue {
            width: 3.0,
            stretch: 1.5,
            shrink: 1.0,
            fill: false,
        }
    }
    fn end(items: &mut Vec<Item>) {
        items.push(Item::Glue {
            width: 0.0,
            stretch: 0.0,
            shrink: 0.0,
            fill: true,
        });
        items.push(Item::Penalty {
            width: 0.0,
            cost: FORCED,
            flagged: false,
        });
    }

    fn line_widths(items: &[Item], breaks: &[Break]) -> Vec<f32> {
        breaks
            .iter()
            .map(|b| {
                let mut w = 0.0;
                let mut shrink = 0.0;
                for it in &items[b.start..b.index] {
                    match *it {
                        Item::Box { width } => w += width,
                        Item::Glue {
                            width, shrink: s, ..
                        } => {
                            w += width;
                            shrink += s;
                        }
                        _ => {}
                    }
                }
                if let Item::Penalty { width, .. } = items[b.index] {
                    w += width;
                }
                w - shrink
            })
            .collect()
    }

    #[test]
    fn breaks_fit_the_measure() {
        let mut items = Vec::new();
        for i in 0..200 {
            if i > 0 {
                items.push(space());
            }
            items.push(word(10.0 + (i * 7 % 23) as f32));
        }
        end(&mut items);
        let breaks = break_lines(
            &items,
            Widths {
                first: 200.0,
                rest: 200.0,
            },
            0.0,
        );
        assert!(breaks.len() > 10);
        for w in line_widths(&items, &breaks) {
            assert!(w <= 200.0 + 1e-3, "overfull: {w}");
        }
        for b in &breaks[..breaks.len() - 1] {
            assert!(b.ratio <= 2.5 && b.ratio >= -1.0, "{}", b.ratio);
        }
        assert_eq!(breaks.last().unwrap().index, items.len() - 1);
    }

    #[test]
    fn variants_have_a_line_fewer_and_more() {
        // Eight words fill a line exactly; the 121st is alone on the 16th.
        // Spaces that shrink by their width let one line take nine words
        // (15 lines), and stretch for seven (17 lines).
        let mut items = Vec::new();
        for i in 0..121 {
            if i > 0 {
                items.push(Item::Glue {
                    width: 3.0,
                    stretch: 3.0,
                    shrink: 3.0,
                    fill: false,
                });
            }
            items.push(word(20.0));
        }
        end(&mut items);
        let widths = Widths {
            first: 181.0,
            rest: 181.0,
        };
        let best = break_lines(&items, widths, 0.0);
        let found = variants(&items, widths, 0.0, Hang::default(), (best.len(), 3.0));
        assert_eq!(best.len(), 16);
        let lens: Vec<(i8, usize)> = found.iter().map(|v| (v.delta, v.breaks.len())).collect();
        assert_eq!(lens, vec![(-1, 15), (1, 17)]);
        assert!(found.iter().all(|v| v.demerits > 0.0));
        for breaks in found.iter().map(|v| &v.breaks) {
            for w in line_widths(&items, breaks) {
                assert!(w <= 200.0 + 1e-3, "overfull: {w}");
            }
            for b in &breaks[..breaks.len() - 1] {
                assert!(b.ratio <= 3.0 && b.ratio >= -1.0, "{}", b.ratio);
            }
        }
    }

    #[test]
    fn never_three_hyphens_in_a_row() {
        // Words that can only be set well when hyphenated at every line.
        let mut items = Vec::new();
        for i in 0..60 {
            if i > 0 {
                items.push(space());
            }
            items.push(word(30.0));
            items.push(Item::Penalty {
                width: 3.0,
                cost: 50.0,
                flagged: true,
            });
            items.push(word(30.0));
        }
        end(&mut items);
        let breaks = break_lines(
            &items,
            Widths {
                first: 100.0,
                rest: 100.0,
            },
            0.0,
        );
        let flags: Vec<bool> = breaks
            .iter()
            .map(|b| matches!(items[b.index], Item::Penalty { flagged: true, .. }))
            .collect();
        assert!(flags.iter().any(|&f| f));
        assert!(!flags.windows(3).any(|w| w.iter().all(|&f| f)));
    }

    #[test]
    fn impossible_paragraph_still_breaks() {
        // Boxes that fit only one to a line and leave huge gaps.
        let mut items = Vec::new();
        for i in 0..50 {
            if i > 0 {
                items.push(space());
            }
            items.push(word(60.0));
        }
        end(&mut items);
        let breaks = break_lines(
            &items,
            Widths {
                first: 100.0,
                rest: 100.0,
            },
            0.0,
        );
        assert_eq!(breaks.len(), 50);
    }
}
