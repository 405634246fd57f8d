//! A paragraph's items broken into lines: each line's fragments and spaces
//! placed as glyph runs, with its link areas, its width and how much its
//! spaces were stretched.

use super::expansion;
use super::protrusion::Protrusion;
use super::{Align, Builder, CharCount, Content, Frag, Laid, LaidVariant, EMERGENCY_COST};
use crate::pdf::frame::{Glyph, Line, LineBuilder, LinkArea};
use crate::pdf::text::linebreak::{self, Hang, Item, Widths};

/// Ragged lines may end this many em short of the measure before the breaker
/// minds.
const RAGGED_STRETCH_EM: f32 = 3.0;

/// Paragraphs of fewer lines get no variants: a line more or less changes
/// them too much, and a page rarely needs them.
const MIN_VARIANT_LINES: usize = 4;
/// A variant's lines stretch their spaces at most this much of what they
/// may, or as much as the paragraph's loosest line if that is more (the
/// page breaker pays for looser variants by their demerits, so few are
/// taken; a wider limit only costs time).
const VARIANT_TOLERANCE: f32 = 2.0;

impl Builder<'_, '_> {
    /// Breaks the paragraph into lines and sets them.
    pub(super) fn finish(mut self) -> Laid {
        // Trailing spaces never reach the end of a paragraph.
        while let Some(Item::Glue { .. }) = self.items.last() {
            self.items.pop();
            self.content.pop();
        }
        if self.items.is_empty() {
            return Laid::default();
        }
        self.split_long_runs();
        self.forced_break();
        let extra = match self.set.align {
            Align::Justify => 0.0,
            Align::Left | Align::Center | Align::Right => RAGGED_STRETCH_EM * self.set.size,
        };
        let hang = self.protrusion();
        let hung = Hang {
            left: &hang.left,
            right: &hang.right,
            expansion: self.expansion(),
        };
        let breaks = linebreak::break_hanging(&self.items, self.widths(), extra, hung);
        let mut laid = self.lay(&breaks, &hang);
        if self.variants
            && self.set.align == Align::Justify
            && laid.lines.len() >= MIN_VARIANT_LINES
        {
            // No line looser than the paragraph's own loosest, or than
            // the variants' limit if that is looser.
            let worst = breaks
                .iter()
                .map(|b| b.ratio)
                .fold(VARIANT_TOLERANCE, f32::max);
            let lines = (laid.lines.len(), worst);
            for v in linebreak::variants(&self.items, self.widths(), extra, hung, lines) {
                let other = self.lay(&v.breaks, &hang);
                if other.lines.len() == laid.lines.len().saturating_add_signed(v.delta as isize) {
                    laid.variants.push(LaidVariant {
                        delta: v.delta,
                        demerits: v.demerits,
                        laid: other,
                    });
                }
            }
        }
        laid
    }

    /// The lines that `breaks` cut, with the notes and anchors on each.
    fn lay(&self, breaks: &[linebreak::Break], hang: &Protrusion) -> Laid {
        let mut laid = Laid::default();
        let mut refs = self.note_refs.iter().peekable();
        let mut runs = LineBuilder::default();
        for (n, br) in breaks.iter().enumerate() {
            let (line, offset) = self.line(n, br, hang, &mut runs);
            let mut notes = Vec::new();
            let mut anchors = Vec::new();
            while let Some(&&(item, number)) = refs.peek() {
                if item > br.index {
                    break;
                }
                notes.push(number);
                anchors.push(format!("fnref{number}"));
                refs.next();
            }
            laid.lines.push(line);
            laid.notes.push(notes);
            laid.anchors.push(anchors);
            laid.offsets.push(offset);
        }
        // A paragraph ending in forced breaks leaves an empty last line.
        while laid.lines.len() > 1 && laid.lines.last().is_some_and(|l| l.runs.is_empty()) {
            let notes = laid.notes.pop().unwrap_or_default();
            let anchors = laid.anchors.pop().unwrap_or_default();
            laid.lines.pop();
            laid.offsets.pop();
            if let (Some(n), Some(a)) = (laid.notes.last_mut(), laid.anchors.last_mut()) {
                n.extend(notes);
                a.extend(anchors);
            }
        }
        laid
    }

    /// Line `n`, ending at `br`, and where its text starts in the paragraph's.
    /// It starts `hang`'s left protrusion before its edge, and its width is
    /// what lies between the edges (the protruding parts left out).
    fn line(
        &self,
        n: usize,
        br: &linebreak::Break,
        hang: &Protrusion,
        runs: &mut LineBuilder,
    ) -> (Line, Option<u32>) {
        let x0 = if n == 0 {
            self.set.first_indent
        } else {
            self.set.hang
        };
        let measure = self.set.measure - x0;
        let mut line = Line {
            measure,
            ..Line::default()
        };
        let (left, right) = hang.of(br.start, br.index);
        let mut x = x0 - left;
        let mut natural = 0.0;
        let mut shrink = 0.0;
        let mut prev_link: Option<u32> = None;
        let mut run_end = f32::NAN;
        let mut offset = None;
        let (k, ratio, letters) = self.expand(br);
        for i in br.start..=br.index.min(self.items.len() - 1) {
            let is_break = i == br.index;
            match (self.items[i], self.content[i]) {
                (Item::Box { width }, c) => {
                    if let Content::Frag(f) = c {
                        if offset.is_none() {
                            offset = self.frags.get(f as usize).map(|fr| fr.src);
                        }
                        self.place_frag(&mut line, runs, f, (x, k), &mut prev_link, &mut run_end);
                    }
                    x += width * k;
                    natural += width;
                }
                (
                    Item::Glue {
                        width,
                        stretch,
                        shrink: sh,
                        ..
                    },
                    c,
                ) if !is_break => {
                    let set = if ratio >= 0.0 {
                        width + ratio * stretch
                    } else {
                        width + ratio * sh
                    };
                    if let Content::Space = c {
                        self.place_space(runs, x, set, &mut run_end);
                    }
                    x += set;
                    natural += width;
                    shrink += sh;
                }
                (Item::Penalty { width, .. }, Content::Hyphen(f)) if is_break => {
                    self.place_frag(&mut line, runs, f, (x, 1.0), &mut prev_link, &mut run_end);
                    x += width;
                    natural += width;
                    line.hyphenated = true;
                }
                _ => {}
            }
        }
        // Spaces drawn at the very end would only confuse text extraction.
        runs.trim_trailing_spaces(&mut x);
        (line.runs, line.store) = runs.finish();
        line.links.shrink_to_fit();
        // What reaches past the right edge hangs (a paragraph's last line,
        // set with fill glue, may fall short of it).
        let inside = x - x0;
        let right = (inside - measure).clamp(0.0, right);
        line.width = inside - right;
        line.ratio = ratio;
        line.natural = natural - left - right;
        line.min_width = natural - shrink - letters * self.expansion() - left - right;
        let room = (measure - line.width).max(0.0);
        let shift = match self.set.align {
            Align::Center => room / 2.0,
            Align::Right => room,
            Align::Justify | Align::Left => 0.0,
        };
        if shift > 0.0 {
            for r in &mut line.runs {
                r.x += shift;
            }
            for l in &mut line.links {
                l.x0 += shift;
                l.x1 += shift;
            }
        }
        (line, offset)
    }

    /// Adds a fragment at `x`, its advances times `k` (expansion); `run_end`
    /// is where the line's last run ends.
    #[allow(clippy::too_many_arguments)]
    fn place_frag(
        &self,
        line: &mut Line,
        runs: &mut LineBuilder,
        f: u32,
        (x, k): (f32, f32),
        prev_link: &mut Option<u32>,
        run_end: &mut f32,
    ) {
        let frag = &self.frags[f as usize];
        let glyphs = &self.glyphs[frag.glyphs.start as usize..frag.glyphs.end as usize];
        let width: f32 = glyphs.iter().map(|g| g.advance * k).sum();
        line.size = line.size.max(frag.size);
        let extend = runs.runs().last().is_some_and(|r| {
            r.face == frag.face
                && r.size == frag.size
                && r.rise == frag.rise
                && r.link == frag.link
                && r.span == frag.span
                && (*run_end - x).abs() < 0.01
        });
        *run_end = x + width;
        if !extend {
            runs.start_run(frag.face, frag.size, x, frag.rise, frag.link);
            if let Some(r) = runs.last_run_mut() {
                r.span = frag.span;
            }
        }
        if frag.span != 0 {
            self.place_span(line, frag.span, (x, x + width), (frag.size, frag.rise));
        }
        let frag_text = &self.text[frag.text.start as usize..frag.text.end as usize];
        let base = runs.push_str(frag_text);
        let text_len = frag_text.len() as u32;
        // Each glyph stands for its cluster: from its start to the next
        // cluster's start.
        let mut clusters = glyphs.chunk_by(|a, b| a.cluster == b.cluster).peekable();
        while let Some(cluster) = clusters.next() {
            let start = cluster[0]
                .cluster
                .saturating_sub(frag.text.start)
                .min(text_len);
            let end = clusters
                .peek()
                .map_or(text_len, |next| {
                    next[0].cluster.saturating_sub(frag.text.start)
                })
                .clamp(start, text_len);
            for g in cluster {
                runs.push_glyph(Glyph {
                    id: g.id,
                    advance: g.advance * k,
                    x_offset: g.x_offset,
                    y_offset: g.y_offset,
                    text: base + start..base + end,
                });
            }
        }

        if let Some(l) = frag.link {
            let target = &self.links[l as usize];
            // One area for a link's words on a line, spaces included.
            let same =
                *prev_link == Some(l) && line.links.last().is_some_and(|a| &a.target == target);
            match line.links.last_mut() {
                Some(area) if same => area.x1 = x + width,
                _ => line.links.push(LinkArea {
                    x0: x,
                    x1: x + width,
                    target: target.clone(),
                    link: Some(l),
                }),
            }
        }
        *prev_link = frag.link;
    }

    fn place_space(&self, runs: &mut LineBuilder, x: f32, width: f32, run_end: &mut f32) {
        let Some(run) = runs.last_run_mut() else {
            return;
        };
        // Drawn as a glyph of the run before (so text extraction sees a real
        // space), unless that run is raised; otherwise it is just distance.
        if (*run_end - x).abs() > 0.01 || run.rise != 0.0 {
            return;
        }
        *run_end = x + width;
        let Some((id, _)) = self.shaper.space(run.face as usize) else {
            return;
        };
        let start = runs.push_str(" ");
        runs.push_glyph(Glyph {
            id,
            advance: width,
            x_offset: 0.0,
            y_offset: 0.0,
            text: start..start + 1,
        });
    }

    /// How far a justified paragraph's letters may expand or shrink.
    fn expansion(&self) -> f32 {
        match self.set.align {
            Align::Justify => expansion::EXPANSION,
            Align::Left | Align::Center | Align::Right => 0.0,
        }
    }

    /// The factor for the letters of the line ending at `br`, the ratio for
    /// its glue, and the width of its letters.
    fn expand(&self, br: &linebreak::Break) -> (f32, f32, f32) {
        let (mut glue, mut letters) = (0.0, 0.0);
        let end = br.index.min(self.items.len() - 1);
        for item in &self.items[br.start.min(end)..end] {
            match *item {
                Item::Box { width } => letters += width,
                Item::Glue { stretch, .. } => glue += stretch,
                Item::Penalty { .. } => {}
            }
        }
        let (k, ratio) = expansion::split(br.ratio, glue, letters, self.expansion());
        (k, ratio, letters)
    }

    fn widths(&self) -> Widths {
        Widths {
            first: self.set.measure - self.set.first_indent,
            rest: self.set.measure - self.set.hang,
        }
    }

    /// Runs of boxes with no break between them that are wider than a line
    /// get a breakpoint between every two clusters, so the breaker always has
    /// a way out. Linear in the paragraph.
    fn split_long_runs(&mut self) {
        let w = self.widths();
        // Room for a hyphen at the end of the line before.
        let limit = w.first.min(w.rest) - self.set.size * 0.5;
        let mut long = Vec::new();
        let mut run_start = 0;
        let mut run_width = 0.0;
        for (i, item) in self.items.iter().enumerate() {
            match *item {
                Item::Box { width } => run_width += width,
                _ => {
                    if run_width > limit {
                        long.push(run_start..i);
                    }
                    run_start = i + 1;
                    run_width = 0.0;
                }
            }
        }
        if run_width > limit {
            long.push(run_start..self.items.len());
        }
        if long.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.items);
        let content = std::mem::take(&mut self.content);
        let mut new_index = Vec::with_capacity(items.len());
        let mut long_iter = long.into_iter().peekable();
        let mut i = 0;
        while i < items.len() {
            let in_long = long_iter.peek().is_some_and(|r| r.start == i);
            if !in_long {
                new_index.push(self.items.len());
                self.items.push(items[i]);
                self.content.push(content[i]);
                i += 1;
                continue;
            }
            let Some(range) = long_iter.next() else { break };
            let mut first = true;
            for j in range.clone() {
                new_index.push(self.items.len());
                let Content::Frag(f) = content[j] else {
                    self.items.push(items[j]);
                    self.content.push(content[j]);
                    continue;
                };
                let frag = self.frags[f as usize].clone();
                let mut count = CharCount::default();
                let mut k = frag.glyphs.start;
                while k < frag.glyphs.end {
                    let cluster = self.glyphs[k as usize].cluster;
                    let mut e = k + 1;
                    while e < frag.glyphs.end && self.glyphs[e as usize].cluster == cluster {
                        e += 1;
                    }
                    let text_end = if e < frag.glyphs.end {
                        self.glyphs[e as usize].cluster
                    } else {
                        frag.text.end
                    };
                    if !first {
                        self.push(
                            Item::Penalty {
                                width: 0.0,
                                cost: EMERGENCY_COST,
                                flagged: false,
                            },
                            Content::Nothing,
                        );
                    }
                    first = false;
                    let width = self.glyphs[k as usize..e as usize]
                        .iter()
                        .map(|g| g.advance)
                        .sum();
                    let src = frag.src
                        + count.upto(
                            self.text.get(frag.text.start as usize..).unwrap_or(""),
                            cluster.saturating_sub(frag.text.start),
                        );
                    self.frags.push(Frag {
                        glyphs: k..e,
                        text: cluster..text_end,
                        src,
                        ..frag.clone()
                    });
                    self.push(
                        Item::Box { width },
                        Content::Frag(self.frags.len() as u32 - 1),
                    );
                    k = e;
                }
            }
            i = range.end;
        }
        for (item, _) in &mut self.note_refs {
            *item = new_index.get(*item).copied().unwrap_or(self.items.len());
        }
    }
}
