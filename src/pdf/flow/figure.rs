//! Figures in the flow: the image scaled to its width, its numbered caption
//! under it, kept together; pagination lets the group float to the next
//! page's top when it does not fit ([`super::VItem::float`]). In the
//! structure: a `Figure` with the alternative text, holding the image and a
//! `Caption`.

use super::collect::Flow;
use super::{image_size, VItem, VKind};
use crate::fonts::Style;
use crate::model::{Figure, Inline, Span};
use crate::pdf::frame::marks::Role;
use crate::pdf::text::{self, Align, Setting};

/// Natural size of an image when its file gives none: pixels at this
/// resolution (bare images, as before figures had widths).
const BARE_DPI: f32 = 150.0;
/// A figure is never set larger than its pixels at this resolution.
const FIGURE_DPI: f32 = 300.0;
/// The tallest an image may be, as a share of the column, so that with its
/// caption it fits on one page.
const MAX_HEIGHT: f32 = 0.6;

impl Flow<'_, '_> {
    /// A figure, a bare image, or the description when the image's bytes
    /// are missing.
    pub(super) fn figure(&mut self, f: &Figure, left: f32, right: f32) {
        let g = self.col;
        let movable = self.settle_marks();
        self.enter(false, f.span);
        self.space(g.leading * 0.5);
        let first = self.items.len();
        if self.image(f, left, right) {
            if f.is_figure() {
                self.caption(f, first, left, right, movable);
            }
            self.space(g.leading * 0.5);
            self.after_paragraph = false;
            return;
        }
        // Without the image's bytes the description stands in its place.
        let set = Setting {
            align: Align::Center,
            style: Style::Italic,
            hyphenate: false,
            ..self.setting(left, right)
        };
        let text = if f.alt.is_empty() {
            "[image]".to_string()
        } else {
            format!("[{}]", f.alt)
        };
        self.paragraph(
            &[Inline::Text(text)],
            set,
            f.span,
            left,
            Some(Role::Paragraph),
        );
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
    }

    /// The image, centred. A bare image is as wide as its pixels at 150 dpi
    /// allow; a figure as its `width` asks (a share of the measure), else
    /// the measure, but never larger than its pixels at 300 dpi. Neither is
    /// taller than [`MAX_HEIGHT`] of the column.
    fn image(&mut self, f: &Figure, left: f32, right: f32) -> bool {
        let g = self.col;
        let Some(index) = self.images.iter().position(|(p, _)| *p == f.path) else {
            return false;
        };
        let Some((pw, ph)) = image_size(&self.images[index].1) else {
            return false;
        };
        let avail = g.measure - left - right;
        let (pw, ph) = (pw as f32, ph as f32);
        let (mut w, mut h) = if f.is_figure() {
            let natural = pw * 72.0 / FIGURE_DPI;
            let w = match f.width {
                Some(share) => avail * share,
                None => avail.min(natural),
            };
            (w, w * ph / pw)
        } else {
            (pw * 72.0 / BARE_DPI, ph * 72.0 / BARE_DPI)
        };
        let scale = (avail / w).min(g.height * MAX_HEIGHT / h).min(1.0);
        w *= scale;
        h *= scale;
        // A figure needs its description (PDF/UA); one given none is
        // decoration. A captioned figure stays open for its caption.
        let role = (!f.alt.trim().is_empty()).then(|| Role::Figure { alt: f.alt.clone() });
        let marks = match role {
            Some(role) if f.is_figure() => {
                self.marks.open(role);
                // What waits, the figure's start among it, without the
                // image's own (decoration) element that `image` adds last.
                let mut marks = self.marks.image(None);
                marks.truncate(marks.len().saturating_sub(2));
                marks
            }
            role => self.marks.image(role),
        };
        let anchors = f
            .target()
            .map(|t| t.anchor(self.book))
            .into_iter()
            .collect();
        self.items.push(VItem {
            height: h,
            kind: VKind::Image {
                index,
                x: left + (avail - w) / 2.0,
                width: w,
                marks,
                origin: self.origin(None),
            },
            breakable: !self.keep,
            discardable: false,
            notes: Vec::new(),
            anchors,
            heading: None,
            float: 0,
        });
        self.keep = false;
        true
    }

    /// The number and caption under the image at item `first`, smaller,
    /// centred when it takes one line; the image and its caption then move
    /// as one (a float of that many items).
    fn caption(&mut self, f: &Figure, first: usize, left: f32, right: f32, movable: bool) {
        let g = self.col;
        let words = crate::locale::words(&self.book.config.book.language);
        let mut content = vec![Inline::Text(format!(
            "{}\u{a0}{}.",
            words.figure,
            f.number.unwrap_or(0)
        ))];
        content.push(Inline::Space);
        content.extend(f.caption.iter().cloned());
        let size = g.size * 0.9;
        let leading = g.leading * 0.9;
        let mut set = Setting {
            size,
            ..self.setting(left + g.size, right + g.size)
        };
        let span = (f.span != Span::default()).then_some(f.span);
        let mut laid = text::set_paragraph(self.shaper, Some(self.book), &content, set, span);
        if laid.lines.len() == 1 {
            set.align = Align::Center;
            laid = text::set_paragraph(self.shaper, Some(self.book), &content, set, span);
        }
        if f.alt.trim().is_empty() {
            self.marks.lines(&mut laid.lines, Role::Paragraph);
        } else {
            self.marks.lines(&mut laid.lines, Role::Caption);
            // The figure closes on its caption's last line, so that the
            // two move as one when they float.
            self.marks.close();
            if let Some(last) = laid.lines.last_mut() {
                self.marks.flush_after(last);
            }
        }
        self.space(g.leading * 0.3);
        self.push_lines(laid, left + g.size, size, leading, false);
        let count = self.items.len() - first;
        for it in &mut self.items[first + 1..] {
            it.breakable = false;
        }
        if let Some(image) = self.items.get_mut(first).filter(|_| movable) {
            image.float = count as u32;
        }
    }

    /// Puts the markers that wait (the end of a list or quote before the
    /// figure) after the last line set, so that the figure's own markers
    /// are all it carries; `false` when there is no such line and the
    /// figure must stay where it stands.
    fn settle_marks(&mut self) -> bool {
        let last = self
            .items
            .iter_mut()
            .rev()
            .find_map(|it| match &mut it.kind {
                VKind::Line { line, .. } => Some(Some(line)),
                // A table's markers are its own to close: a figure right
                // after one stays where it stands.
                VKind::Image { .. } | VKind::Row(_) => Some(None),
                VKind::Space => None,
            });
        match last {
            Some(Some(line)) => {
                self.marks.flush_after(line);
                true
            }
            _ => false,
        }
    }
}
