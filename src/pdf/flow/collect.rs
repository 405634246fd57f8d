//! Blocks become the vertical flow: lines, images and spaces, with what
//! pagination needs to know of each (may a page end here, which notes and
//! anchors it carries, where in the chapter it comes from).

use super::variants::{self, Alt};
use super::{baseline, heading_metrics, Column, VItem, VKind};
use crate::fonts::Style;
use crate::model::{plain_text, Block, Book, Heading, Inline, Span};
use crate::pdf::frame::marks::{self, Marks, Numbering, Role};
use crate::pdf::frame::{Origin, Place};
use crate::pdf::text::{self, strip_notes, Align, Laid, Setting, Shaper};

#[path = "table.rs"]
pub(super) mod table;

/// Builds the vertical flow of one chapter (or the bibliography).
pub(crate) struct Flow<'a, 'f> {
    pub shaper: &'a mut Shaper<'f>,
    pub book: &'a Book,
    pub col: Column,
    /// The book's images by path, as read from the manuscript.
    pub(super) images: &'a [(String, Vec<u8>)],
    pub items: Vec<VItem>,
    /// Its body paragraphs' other settings, in flow order.
    pub alts: Vec<Alt>,
    /// The next item stays with the one before (after a heading).
    pub(super) keep: bool,
    /// The previous block was a paragraph, so the next one is indented.
    pub(super) after_paragraph: bool,
    /// Where the flow puts the book's structure markers (one for a part
    /// of the book, so that what it opens is closed in the same stream).
    pub marks: &'a mut Marks,
    /// The path (see [`crate::model::PagePlace::block`]) of every block
    /// that put something into the flow, which its lines and images name
    /// as their [`Origin`]; `None` for text that is no chapter's (the
    /// contents), whose lines have no origin.
    pub blocks: Option<Vec<Vec<usize>>>,
    /// Path of the block being set.
    pub(super) path: Vec<usize>,
    /// The block being set, as an index into `blocks`, and whether its
    /// lines' offsets count in its text (headings and paragraphs).
    current: Option<(u32, bool)>,
}

impl<'a, 'f> Flow<'a, 'f> {
    pub(crate) fn new(
        shaper: &'a mut Shaper<'f>,
        book: &'a Book,
        col: Column,
        images: &'a [(String, Vec<u8>)],
        marks: &'a mut Marks,
    ) -> Self {
        Flow {
            shaper,
            book,
            col,
            images,
            items: Vec::new(),
            alts: Vec::new(),
            keep: false,
            after_paragraph: false,
            marks,
            blocks: None,
            path: Vec::new(),
            current: None,
        }
    }

    /// Notes the block at the current path, from `span` in the
    /// manuscript, as the origin of what follows.
    pub(super) fn enter(&mut self, counts_text: bool, span: Span) {
        if span != Span::default() {
            self.marks.source(span);
        }
        self.current = self.blocks.as_mut().map(|blocks| {
            blocks.push(self.path.clone());
            (blocks.len() as u32 - 1, counts_text)
        });
    }

    pub(super) fn origin(&self, offset: Option<u32>) -> Option<Origin> {
        self.current.map(|(block, counts)| Origin {
            block,
            offset: if counts { offset.unwrap_or(0) } else { 0 },
        })
    }

    pub(super) fn space(&mut self, height: f32) {
        if self.items.is_empty() {
            return;
        }
        if let Some(last) = self.items.last_mut() {
            if matches!(last.kind, VKind::Space) {
                last.height = last.height.max(height);
                return;
            }
        }
        self.items.push(VItem::space(height, !self.keep));
    }

    /// Lines of a paragraph, with breaks allowed only where they leave at
    /// least two lines on each page.
    pub(super) fn push_lines(
        &mut self,
        laid: Laid,
        x: f32,
        size: f32,
        leading: f32,
        heading: bool,
    ) {
        let lines = self.line_items(laid, x, (size, leading), heading, self.keep);
        if !lines.is_empty() {
            self.keep = false;
        }
        self.items.extend(lines);
    }

    /// [`Flow::push_lines`]'s items, the first kept with what comes before
    /// if `keep`.
    fn line_items(
        &self,
        laid: Laid,
        x: f32,
        (size, leading): (f32, f32),
        heading: bool,
        keep: bool,
    ) -> Vec<VItem> {
        let n = laid.lines.len();
        let base = baseline(size, leading);
        let mut items = Vec::with_capacity(n);
        for (i, (((mut line, notes), anchors), offset)) in laid
            .lines
            .into_iter()
            .zip(laid.notes)
            .zip(laid.anchors)
            .zip(laid.offsets)
            .enumerate()
        {
            // A heading is never broken; a paragraph leaves at least two
            // lines on either side of a page break.
            let breakable = if i == 0 {
                !keep
            } else {
                !heading && i >= 2 && n - i >= 2
            };
            line.place = Some(Place {
                index: i as u32,
                count: n as u32,
                heading,
            });
            line.origin = self.origin(offset);
            items.push(VItem {
                height: leading,
                kind: VKind::Line {
                    line,
                    x,
                    baseline: base,
                },
                breakable,
                discardable: false,
                notes,
                anchors,
                heading: None,
                float: 0,
            });
        }
        items
    }

    /// A body paragraph, set with its variants a line shorter and longer
    /// ([`Alt`]) for the page breaker.
    fn paragraph_with_variants(&mut self, content: &[Inline], set: Setting, span: Span, left: f32) {
        let mut laid =
            text::set_paragraph_variants(self.shaper, Some(self.book), content, set, Some(span));
        let variants = std::mem::take(&mut laid.variants);
        // Each setting is marked from the same state: whichever the page
        // breaker keeps carries the same structure.
        let before = self.marks.clone();
        self.marks.lines(&mut laid.lines, Role::Paragraph);
        let (at, keep) = (self.items.len(), self.keep);
        let size = (set.size, self.col.leading);
        let others: Vec<variants::Setting> = variants
            .into_iter()
            .map(|mut v| {
                before.clone().lines(&mut v.laid.lines, Role::Paragraph);
                variants::Setting {
                    delta: v.delta,
                    cost: variants::cost_of(v.demerits),
                    lines: self.line_items(v.laid, left, size, false, keep),
                }
            })
            .collect();
        self.push_lines(laid, left, set.size, self.col.leading, false);
        if !others.is_empty() {
            self.alts.push(Alt {
                at,
                len: self.items.len() - at,
                chosen: variants::Setting {
                    delta: 0,
                    cost: 0.0,
                    lines: Vec::new(),
                },
                others,
            });
        }
    }

    pub(crate) fn blocks(&mut self, blocks: &[Block], left: f32, right: f32) {
        for (i, b) in blocks.iter().enumerate() {
            self.path.push(i);
            self.block(b, left, right);
            self.path.pop();
        }
    }

    pub(super) fn setting(&self, left: f32, right: f32) -> Setting {
        Setting {
            measure: self.col.measure - left - right,
            ..self.col.body()
        }
    }

    pub(super) fn block(&mut self, block: &Block, left: f32, right: f32) {
        match block {
            Block::Heading(h) => {
                self.enter(true, h.span);
                self.heading(h)
            }
            Block::Paragraph { content, span } => self.body_paragraph(content, *span, left, right),
            Block::List { start, items, .. } => self.list(*start, items, left, right),
            Block::BlockQuote { blocks, .. } => self.block_quote(blocks, left, right),
            Block::CodeBlock { text, span } => self.code(text, *span, left, right),
            Block::Figure(f) => self.figure(f, left, right),
            Block::ThematicBreak { span } => self.section_break(*span, left, right),
            Block::DefinitionList { items, span } => {
                self.definition_list(items, *span, left, right)
            }
            Block::LineBlock { lines, span } => self.line_block(lines, *span, left, right),
            Block::Epigraph { blocks, span } => self.epigraph(blocks, *span, left, right),
            Block::Table(t) => self.table(t, left, right),
        }
    }

    /// A paragraph of the text, indented after another.
    fn body_paragraph(&mut self, content: &[Inline], span: Span, left: f32, right: f32) {
        let g = self.col;
        self.enter(true, span);
        let mut set = self.setting(left, right);
        if self.after_paragraph {
            set.first_indent = g.size;
        }
        self.paragraph_with_variants(content, set, span, left);
        self.after_paragraph = true;
    }

    /// A list: each item's blocks indented, its marker hung in the indent.
    fn list(&mut self, start: Option<u64>, items: &[Vec<Block>], left: f32, right: f32) {
        let g = self.col;
        // Set solid: its lines stay on the grid with the text's.
        self.space(0.0);
        let widest = start.map(|s| format!("{}.", s + items.len() as u64));
        let indent = match &widest {
            Some(w) => {
                (self.text_width(w, Style::Regular, g.size) + g.size * 0.5).max(g.size * 1.5)
            }
            None => g.size * 1.5,
        };
        let numbering = if start.is_some() {
            Numbering::Decimal
        } else {
            Numbering::Disc
        };
        self.marks.open(Role::List(numbering));
        for (k, item) in items.iter().enumerate() {
            let marker = match start {
                Some(s) => format!("{}.", s + k as u64),
                None => self.shaper.pick(Style::Regular, "•", "-").to_string(),
            };
            self.marks.open(Role::ListItem);
            self.marks.open(Role::ListBody);
            let first = self.items.len();
            self.after_paragraph = false;
            self.path.push(k);
            self.blocks(item, left + indent, right);
            self.path.pop();
            self.add_marker(first, &marker, indent);
            self.marks.close();
            self.marks.close();
        }
        self.marks.close();
        self.space(0.0);
        self.after_paragraph = false;
    }

    /// A quotation, indented on both sides.
    fn block_quote(&mut self, blocks: &[Block], left: f32, right: f32) {
        let g = self.col;
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
        self.marks.open(Role::BlockQuote);
        self.blocks(blocks, left + g.size * 1.5, right + g.size * 1.5);
        self.marks.close();
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
    }

    /// Code, line by line as written, a little smaller.
    fn code(&mut self, text: &str, span: Span, left: f32, right: f32) {
        let g = self.col;
        self.enter(false, span);
        self.space(g.leading * 0.4);
        let mut inlines = Vec::new();
        for (k, l) in text.trim_end_matches('\n').split('\n').enumerate() {
            if k > 0 {
                inlines.push(Inline::LineBreak);
            }
            // Leading spaces are the code's indent: no-break, so that the
            // line breaker does not drop them as the space at a line start.
            let body = l.trim_start_matches(' ');
            let indent = "\u{a0}".repeat(l.len() - body.len());
            inlines.push(Inline::Code(format!("{indent}{body}")));
        }
        let set = Setting {
            size: g.size * 0.9,
            align: Align::Left,
            hyphenate: false,
            ..self.setting(left + g.size, right)
        };
        let mut laid = text::set_paragraph(self.shaper, Some(self.book), &inlines, set, Some(span));
        self.marks.open(Role::Paragraph);
        self.marks.lines(&mut laid.lines, Role::Code);
        self.marks.close();
        self.push_lines(laid, left + g.size, set.size, g.leading * 0.9, false);
        self.space(g.leading * 0.4);
        self.after_paragraph = false;
    }

    pub(super) fn text_width(&mut self, text: &str, style: Style, size: f32) -> f32 {
        text::width(&self.shaper.shape(style, text, None)) * size
    }

    /// Hangs a list marker in the indent before the item's first line.
    fn add_marker(&mut self, first_item: usize, marker: &str, indent: f32) {
        let g = self.col;
        let set = Setting {
            align: Align::Left,
            hyphenate: false,
            measure: indent,
            ..g.body()
        };
        let mut laid = text::set_text(self.shaper, marker, set);
        let Some(mline) = laid.lines.pop() else {
            return;
        };
        let Some(target) = self.items[first_item..]
            .iter_mut()
            .find_map(|it| match &mut it.kind {
                VKind::Line { line, .. } => Some(line),
                VKind::Space | VKind::Image { .. } | VKind::Row(_) => None,
            })
        else {
            return;
        };
        let shift = -(mline.width + g.size * 0.5);
        let marker = target.take_runs(mline, true, |r| r.x += shift);
        marks::label(target, marker.len());
    }

    /// A paragraph, filed in the structure as `role` (or drawn as an
    /// artifact without one).
    pub(super) fn paragraph(
        &mut self,
        content: &[Inline],
        set: Setting,
        span: Span,
        left: f32,
        role: Option<Role>,
    ) {
        let mut laid = text::set_paragraph(self.shaper, Some(self.book), content, set, Some(span));
        match role {
            Some(role) => self.marks.lines(&mut laid.lines, role),
            None => self.marks.artifact(&mut laid.lines),
        }
        self.push_lines(laid, left, set.size, self.col.leading, false);
    }

    pub(crate) fn heading(&mut self, h: &Heading) {
        let g = self.col;
        let (size, leading, above, below) = heading_metrics(h.level, &g);
        if h.level == 1 && self.items.is_empty() {
            // A chapter opens lower on its page; this space is kept.
            self.items.push(VItem {
                discardable: false,
                ..VItem::space(g.leading * 3.0, false)
            });
        } else {
            self.space(above);
        }
        // Headings tsigni makes itself (contents, bibliography) have no source.
        let span = (h.span != Span::default()).then_some(h.span);
        let set = Setting {
            size,
            style: Style::Bold,
            align: Align::Left,
            hyphenate: false,
            ..g.body()
        };
        let mut laid = text::set_paragraph(self.shaper, Some(self.book), &h.content, set, span);
        let title = plain_text(&strip_notes(&h.content), Some(self.book));
        self.marks.lines(
            &mut laid.lines,
            Role::Heading {
                level: h.level,
                title,
            },
        );
        let first = self.items.len();
        self.push_lines(laid, 0.0, size, leading, true);
        if let Some(it) = self.items.get_mut(first) {
            it.heading = Some(h.id.clone());
            it.anchors.push(h.id.clone());
        }
        let below = super::grid::heading(&mut self.items[first..], below, &g);
        self.keep = true;
        self.space(below);
        self.keep = true;
        self.after_paragraph = false;
    }

    /// The bibliography: entries with hanging indents, each an anchor; in
    /// the structure a list of entries.
    pub(crate) fn bibliography(&mut self) {
        let g = self.col;
        self.marks.open(Role::List(Numbering::None));
        for (i, entry) in self.book.bibliography.iter().enumerate() {
            // Each entry is a block of the bibliography's "chapter" (see
            // [`crate::model::PagePlace::chapter`]), so its pages are in the
            // EPUB's page list too.
            self.path = vec![i];
            self.enter(true, Span::default());
            let set = Setting {
                hang: g.size * 1.5,
                ..g.body()
            };
            let mut laid =
                text::set_paragraph(self.shaper, Some(self.book), &entry.content, set, None);
            self.marks.open(Role::ListItem);
            self.marks.open(Role::ListBody);
            self.marks.lines(&mut laid.lines, Role::BibEntry);
            self.marks.close();
            self.marks.close();
            let first = self.items.len();
            self.push_lines(laid, 0.0, g.size, g.leading, false);
            if let Some(it) = self.items.get_mut(first) {
                it.anchors.push(entry.id.clone());
            }
            // Entries set solid, told apart by their hanging indent: a
            // space between them would take a whole line of the grid.
            self.space(0.0);
        }
        self.marks.close();
    }
}
