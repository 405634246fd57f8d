//! Blocks become a flow of lines and spaces, the flow is cut into pages, and
//! pages get their footnotes, running heads and folios.
//!
//! Page breaking is first-fit with backtracking to the last legal break (no
//! widow or orphan, never right after a heading), so it stays linear: each
//! line is looked at a bounded number of times.

use super::frame::{
    Anchor, Element, Glyph, Line, LineBuilder, LinkTarget, Page, PageKind, Place, Source,
};
use super::inline::{self, Align, Laid, Marker, Setting};
use super::shape::Shaper;
use super::tags::{NodeId, Role, Tags};
use crate::config::PdfConfig;
use crate::diagnostics::Diagnostic;
use crate::fonts::Style;
use crate::model::{plain_text, Block, Book, Heading, Inline, Span};
use krilla::tagging::ListNumbering;
use std::ops::Range;

const MM: f32 = 72.0 / 25.4;

/// Page and type sizes, in points.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub page_width: f32,
    pub page_height: f32,
    pub inner: f32,
    pub outer: f32,
    pub top: f32,
    pub bottom: f32,
    /// Width and height of the text block.
    pub measure: f32,
    pub height: f32,
    pub size: f32,
    pub leading: f32,
    pub note_size: f32,
    pub note_leading: f32,
    pub hyphenate: bool,
}

impl Geometry {
    pub fn new(config: &PdfConfig) -> Result<Geometry, Box<Diagnostic>> {
        let (w, h) = paper_size(&config.paper).ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "pdf-paper",
                    format!("unknown paper size `{}` in [pdf]", config.paper),
                )
                .note("use A5, A4, B5, letter or WIDTHxHEIGHT in millimetres, e.g. 148x210"),
            )
        })?;
        let g = Geometry {
            page_width: w * MM,
            page_height: h * MM,
            inner: config.margin_inner * MM,
            outer: config.margin_outer * MM,
            top: config.margin_top * MM,
            bottom: config.margin_bottom * MM,
            measure: (w - config.margin_inner - config.margin_outer) * MM,
            height: (h - config.margin_top - config.margin_bottom) * MM,
            size: config.font_size,
            leading: config.leading,
            note_size: config.font_size * 0.8,
            note_leading: config.leading * 0.8,
            hyphenate: config.hyphenate,
        };
        let sane = |v: f32| v.is_finite() && v > 0.0;
        if !(sane(g.size)
            && sane(g.leading)
            && g.measure > g.size * 10.0
            && g.height > g.leading * 8.0)
            || [g.inner, g.outer, g.top, g.bottom]
                .iter()
                .any(|m| !m.is_finite() || *m < 0.0)
        {
            return Err(Box::new(Diagnostic::error(
                "pdf-geometry",
                format!(
                    "the [pdf] settings leave no room for text: a {:.0}×{:.0} mm text block for {} pt type on {} pt leading",
                    g.measure / MM,
                    g.height / MM,
                    g.size,
                    g.leading
                ),
            )));
        }
        Ok(g)
    }

    /// Left edge of the text block: the inner margin is on the binding side.
    pub fn left(&self, recto: bool) -> f32 {
        if recto {
            self.inner
        } else {
            self.outer
        }
    }

    pub fn body(&self) -> Setting {
        Setting {
            size: self.size,
            style: Style::Regular,
            align: Align::Justify,
            measure: self.measure,
            first_indent: 0.0,
            hang: 0.0,
            hyphenate: self.hyphenate,
        }
    }
}

fn paper_size(name: &str) -> Option<(f32, f32)> {
    match name.trim().to_ascii_lowercase().as_str() {
        "a4" => Some((210.0, 297.0)),
        "a5" => Some((148.0, 210.0)),
        "a6" => Some((105.0, 148.0)),
        "b5" => Some((176.0, 250.0)),
        "letter" => Some((215.9, 279.4)),
        other => {
            let (w, h) = other.split_once('x')?;
            let w: f32 = w.trim().parse().ok()?;
            let h: f32 = h.trim().parse().ok()?;
            (w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()).then_some((w, h))
        }
    }
}

/// One thing in the vertical flow.
#[derive(Debug, Clone)]
pub struct VItem {
    pub height: f32,
    pub kind: VKind,
    /// May a page end just before this item?
    pub breakable: bool,
    /// Dropped when it falls at the top of a page.
    pub discardable: bool,
    /// Notes referenced here, which go to the foot of the same page.
    pub notes: Vec<usize>,
    pub anchors: Vec<String>,
    /// Id of the heading that starts here.
    pub heading: Option<String>,
    /// Where in a chapter it comes from (lines and images of chapters only).
    pub src: Option<Source>,
}

#[derive(Debug, Clone)]
pub enum VKind {
    /// A line, `x` from the text block's left edge, baseline `baseline` below
    /// the item's top.
    Line {
        line: Line,
        x: f32,
        baseline: f32,
    },
    Space,
    /// One of the book's images (an index into the images given to layout).
    Image {
        index: usize,
        x: f32,
        width: f32,
        /// Its content key (see [`Element::Image`]).
        tag: Option<u32>,
    },
}

/// Pixel size of a PNG, JPEG, GIF or WebP image, read from its header.
pub fn image_size(data: &[u8]) -> Option<(u32, u32)> {
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    (w > 0 && h > 0).then_some((w, h))
}

impl VItem {
    fn space(height: f32, breakable: bool) -> VItem {
        VItem {
            height,
            kind: VKind::Space,
            breakable,
            discardable: true,
            notes: Vec::new(),
            anchors: Vec::new(),
            heading: None,
            src: None,
        }
    }
}

/// Where the baseline sits in a line of `size` type on `leading`.
fn baseline(size: f32, leading: f32) -> f32 {
    (leading - size) / 2.0 + 0.8 * size
}

/// A heading's type: size, leading, space above and below, in body units.
fn heading_metrics(level: u8, g: &Geometry) -> (f32, f32, f32, f32) {
    match level {
        1 => (
            g.size * 1.6,
            g.leading * 1.6,
            g.leading * 2.0,
            g.leading * 1.5,
        ),
        2 => (
            g.size * 1.2,
            g.leading * 1.2,
            g.leading * 1.5,
            g.leading * 0.5,
        ),
        _ => (g.size, g.leading, g.leading, g.leading * 0.25),
    }
}

/// Heading text without note markers (for the contents, outline, heads).
pub fn strip_notes(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .filter_map(|i| match i {
            Inline::NoteRef { .. } => None,
            Inline::Emphasis(c) => Some(Inline::Emphasis(strip_notes(c))),
            Inline::Strong(c) => Some(Inline::Strong(strip_notes(c))),
            Inline::Link { url, content } => Some(Inline::Link {
                url: url.clone(),
                content: strip_notes(content),
            }),
            other => Some(other.clone()),
        })
        .collect()
}

/// Builds the vertical flow of one chapter (or the bibliography).
pub struct Flow<'a, 'f> {
    pub shaper: &'a mut Shaper<'f>,
    pub book: &'a Book,
    pub geo: Geometry,
    /// The book's images by path, as read from the manuscript.
    images: &'a [(String, Vec<u8>)],
    pub items: Vec<VItem>,
    /// The next item stays with the one before (after a heading).
    keep: bool,
    /// The previous block was a paragraph, so the next one is indented.
    after_paragraph: bool,
    /// The book's structure, which the flow adds to; pass it from flow to
    /// flow so that its keys stay unique.
    pub tags: Tags,
    /// The structure element that blocks go into (`None`: the top level).
    pub parent: Option<NodeId>,
    /// The chapter being set, for page places; `None` for text that is
    /// not a chapter's (bibliography, contents).
    pub chapter: Option<usize>,
    /// Path of the block being set (see [`crate::model::PagePlace::block`]).
    path: Vec<usize>,
    /// The block being set, as an index into [`Tags::blocks`], and whether
    /// its lines' offsets count in its text (headings and paragraphs).
    source: Option<(u32, bool)>,
}

impl<'a, 'f> Flow<'a, 'f> {
    pub fn new(
        shaper: &'a mut Shaper<'f>,
        book: &'a Book,
        geo: Geometry,
        images: &'a [(String, Vec<u8>)],
    ) -> Self {
        Flow {
            shaper,
            book,
            geo,
            images,
            items: Vec::new(),
            keep: false,
            after_paragraph: false,
            tags: Tags::default(),
            parent: None,
            chapter: None,
            path: Vec::new(),
            source: None,
        }
    }

    /// Files a paragraph's lines as a new element of `role` under the
    /// current parent.
    fn tag(&mut self, laid: &mut Laid, role: Role) -> NodeId {
        let node = self.tags.child(self.parent, role);
        self.tags.tag_lines(&mut laid.lines, node, None);
        node
    }

    /// Notes the block at the current path as the source of what follows.
    fn enter(&mut self, counts_text: bool) {
        self.source = self.chapter.map(|ch| {
            self.tags.blocks.push((ch, self.path.clone()));
            (self.tags.blocks.len() as u32 - 1, counts_text)
        });
    }

    fn src(&self, offset: Option<u32>) -> Option<Source> {
        self.source.map(|(block, counts)| Source {
            block,
            offset: if counts {
                offset.unwrap_or(0) as usize
            } else {
                0
            },
        })
    }

    fn space(&mut self, height: f32) {
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
    fn push_lines(&mut self, laid: Laid, x: f32, size: f32, leading: f32, heading: bool) {
        let n = laid.lines.len();
        let base = baseline(size, leading);
        for (i, ((mut line, notes), anchors)) in laid
            .lines
            .into_iter()
            .zip(laid.notes)
            .zip(laid.anchors)
            .enumerate()
        {
            // A heading is never broken; a paragraph leaves at least two
            // lines on either side of a page break.
            let breakable = if i == 0 {
                !self.keep
            } else {
                !heading && i >= 2 && n - i >= 2
            };
            line.place = Some(Place {
                index: i as u32,
                count: n as u32,
                heading,
            });
            let src = self.src(line.offset);
            self.items.push(VItem {
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
                src,
            });
        }
        if n > 0 {
            self.keep = false;
        }
    }

    pub fn blocks(&mut self, blocks: &[Block], left: f32, right: f32) {
        for (i, b) in blocks.iter().enumerate() {
            self.path.push(i);
            self.block(b, left, right);
            self.path.pop();
        }
    }

    fn setting(&self, left: f32, right: f32) -> Setting {
        Setting {
            measure: self.geo.measure - left - right,
            ..self.geo.body()
        }
    }

    fn block(&mut self, block: &Block, left: f32, right: f32) {
        let g = self.geo;
        match block {
            Block::Heading(h) => {
                self.enter(true);
                self.heading(h)
            }
            Block::Paragraph { content, span } => {
                self.enter(true);
                let mut set = self.setting(left, right);
                if self.after_paragraph {
                    set.first_indent = g.size;
                }
                self.paragraph(content, set, *span, left, Some(Role::Paragraph));
                self.after_paragraph = true;
            }
            Block::List { start, items, .. } => {
                self.space(g.leading * 0.4);
                let widest = start.map(|s| format!("{}.", s + items.len() as u64));
                let indent = match &widest {
                    Some(w) => (self.text_width(w, Style::Regular, g.size) + g.size * 0.5)
                        .max(g.size * 1.5),
                    None => g.size * 1.5,
                };
                let numbering = if start.is_some() {
                    ListNumbering::Decimal
                } else {
                    ListNumbering::Disc
                };
                let outer = self.parent;
                let list = self.tags.child(outer, Role::List(numbering));
                for (k, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(s) => format!("{}.", s + k as u64),
                        None => self.shaper.pick(Style::Regular, "•", "-").to_string(),
                    };
                    let li = self.tags.child(Some(list), Role::ListItem);
                    let label = self.tags.child(Some(li), Role::Label);
                    self.parent = Some(self.tags.child(Some(li), Role::ListBody));
                    let first = self.items.len();
                    self.after_paragraph = false;
                    self.path.push(k);
                    self.blocks(item, left + indent, right);
                    self.path.pop();
                    self.add_marker(first, &marker, indent, label);
                }
                self.parent = outer;
                self.space(g.leading * 0.4);
                self.after_paragraph = false;
            }
            Block::BlockQuote { blocks, .. } => {
                self.space(g.leading * 0.5);
                self.after_paragraph = false;
                let outer = self.parent;
                self.parent = Some(self.tags.child(outer, Role::BlockQuote));
                self.blocks(blocks, left + g.size * 1.5, right + g.size * 1.5);
                self.parent = outer;
                self.space(g.leading * 0.5);
                self.after_paragraph = false;
            }
            Block::CodeBlock { text, span } => {
                self.enter(false);
                self.space(g.leading * 0.4);
                let mut inlines = Vec::new();
                for (k, l) in text.trim_end_matches('\n').split('\n').enumerate() {
                    if k > 0 {
                        inlines.push(Inline::LineBreak);
                    }
                    inlines.push(Inline::Code(l.to_string()));
                }
                let set = Setting {
                    size: g.size * 0.9,
                    align: Align::Left,
                    hyphenate: false,
                    ..self.setting(left + g.size, right)
                };
                self.shaper.context = Some(*span);
                let mut laid = inline::set_paragraph(self.shaper, Some(self.book), &inlines, set);
                let p = self.tags.child(self.parent, Role::Paragraph);
                let code = self.tags.child(Some(p), Role::Code);
                self.tags.tag_lines(&mut laid.lines, code, None);
                self.push_lines(laid, left + g.size, set.size, g.leading * 0.9, false);
                self.space(g.leading * 0.4);
                self.after_paragraph = false;
            }
            Block::Image { path, alt, span } => {
                self.enter(false);
                self.space(g.leading * 0.5);
                if self.image(path, alt, left, right) {
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
                let text = if alt.is_empty() {
                    "[image]".to_string()
                } else {
                    format!("[{alt}]")
                };
                self.paragraph(
                    &[Inline::Text(text)],
                    set,
                    *span,
                    left,
                    Some(Role::Paragraph),
                );
                self.space(g.leading * 0.5);
                self.after_paragraph = false;
            }
            Block::ThematicBreak { span } => {
                self.enter(false);
                self.space(g.leading * 0.5);
                let set = Setting {
                    align: Align::Center,
                    hyphenate: false,
                    ..self.setting(left, right)
                };
                // A separator, not text: drawn as an artifact.
                self.paragraph(
                    &[Inline::Text("*\u{2003}*\u{2003}*".into())],
                    set,
                    *span,
                    left,
                    None,
                );
                self.space(g.leading * 0.5);
                self.after_paragraph = false;
            }
        }
    }

    /// An image, centred, as wide as its pixels at 150 dpi allow but no wider
    /// than the measure nor taller than most of the page.
    fn image(&mut self, path: &str, alt: &str, left: f32, right: f32) -> bool {
        let g = self.geo;
        let Some(index) = self.images.iter().position(|(p, _)| p == path) else {
            return false;
        };
        let Some((pw, ph)) = image_size(&self.images[index].1) else {
            return false;
        };
        let avail = g.measure - left - right;
        let mut w = pw as f32 * 72.0 / 150.0;
        let mut h = ph as f32 * 72.0 / 150.0;
        let scale = (avail / w).min(g.height * 0.6 / h).min(1.0);
        w *= scale;
        h *= scale;
        // A figure needs its description (PDF/UA); one given none is
        // decoration.
        let tag = (!alt.trim().is_empty()).then(|| {
            let figure = self.tags.child(
                self.parent,
                Role::Figure {
                    alt: alt.to_string(),
                },
            );
            self.tags.text(figure)
        });
        self.items.push(VItem {
            height: h,
            kind: VKind::Image {
                index,
                x: left + (avail - w) / 2.0,
                width: w,
                tag,
            },
            breakable: !self.keep,
            discardable: false,
            notes: Vec::new(),
            anchors: Vec::new(),
            heading: None,
            src: self.src(None),
        });
        self.keep = false;
        true
    }

    fn text_width(&mut self, text: &str, style: Style, size: f32) -> f32 {
        super::shape::width(&self.shaper.shape(style, text)) * size
    }

    /// Hangs a list marker in the indent before the item's first line.
    fn add_marker(&mut self, first_item: usize, marker: &str, indent: f32, label: NodeId) {
        let g = self.geo;
        let set = Setting {
            align: Align::Left,
            hyphenate: false,
            measure: indent,
            ..g.body()
        };
        let mut laid = inline::set_text(self.shaper, marker, set);
        let Some(mline) = laid.lines.pop() else {
            return;
        };
        let Some(target) = self.items[first_item..]
            .iter_mut()
            .find_map(|it| match &mut it.kind {
                VKind::Line { line, .. } => Some(line),
                VKind::Space | VKind::Image { .. } => None,
            })
        else {
            return;
        };
        let shift = -(mline.width + g.size * 0.5);
        let marker = target.take_runs(mline, true, |r| r.x += shift);
        self.tags.tag_runs(&mut target.runs[marker], label);
    }

    /// A paragraph, filed in the structure as `role` (or drawn as an
    /// artifact without one).
    fn paragraph(
        &mut self,
        content: &[Inline],
        set: Setting,
        span: Span,
        left: f32,
        role: Option<Role>,
    ) {
        self.shaper.context = Some(span);
        let mut laid = inline::set_paragraph(self.shaper, Some(self.book), content, set);
        if let Some(role) = role {
            self.tag(&mut laid, role);
        }
        self.push_lines(laid, left, set.size, self.geo.leading, false);
    }

    pub fn heading(&mut self, h: &Heading) {
        let g = self.geo;
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
        self.shaper.context = (h.span != Span::default()).then_some(h.span);
        let set = Setting {
            size,
            style: Style::Bold,
            align: Align::Left,
            hyphenate: false,
            ..g.body()
        };
        let mut laid = inline::set_paragraph(self.shaper, Some(self.book), &h.content, set);
        let title = plain_text(&strip_notes(&h.content), Some(self.book));
        self.tag(
            &mut laid,
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
        self.keep = true;
        self.space(below);
        self.keep = true;
        self.after_paragraph = false;
    }

    /// The bibliography: entries with hanging indents, each an anchor; in
    /// the structure a list of entries.
    pub fn bibliography(&mut self) {
        let g = self.geo;
        self.shaper.context = None;
        let list = self
            .tags
            .child(self.parent, Role::List(ListNumbering::None));
        for (i, entry) in self.book.bibliography.iter().enumerate() {
            // Each entry is a block of the bibliography's "chapter" (see
            // [`crate::model::PagePlace::chapter`]), so its pages are in the
            // EPUB's page list too.
            self.path = vec![i];
            self.enter(true);
            let set = Setting {
                hang: g.size * 1.5,
                ..g.body()
            };
            let mut laid = inline::set_paragraph(self.shaper, Some(self.book), &entry.content, set);
            let li = self.tags.child(Some(list), Role::ListItem);
            let body = self.tags.child(Some(li), Role::ListBody);
            let node = self.tags.child(Some(body), Role::BibEntry);
            self.tags.tag_lines(&mut laid.lines, node, None);
            let first = self.items.len();
            self.push_lines(laid, 0.0, g.size, g.leading, false);
            if let Some(it) = self.items.get_mut(first) {
                it.anchors.push(entry.id.clone());
            }
            self.space(g.leading * 0.3);
        }
    }
}

/// Footnotes set once, at the foot's measure.
pub fn set_notes(shaper: &mut Shaper, book: &Book, geo: &Geometry) -> Vec<Vec<Line>> {
    set_notes_tagged(shaper, book, geo, &mut Tags::default())
}

/// [`set_notes`], filing each note in `tags` as a `Note`: its number (a
/// link back to the reference) as a label, then its paragraphs. The notes
/// enter the tree where they are referenced ([`Tags::tag_lines`]).
pub fn set_notes_tagged(
    shaper: &mut Shaper,
    book: &Book,
    geo: &Geometry,
    tags: &mut Tags,
) -> Vec<Vec<Line>> {
    let mut lines: Vec<Vec<Line>> = book
        .notes
        .iter()
        .map(|note| {
            shaper.context = Some(note.span);
            let node = tags.detached(Role::Note);
            tags.add_note(node);
            let label = tags.child(Some(node), Role::Label);
            let mut lines = Vec::new();
            let set = Setting {
                size: geo.note_size,
                first_indent: geo.note_size,
                ..geo.body()
            };
            let mut first = true;
            for block in &note.blocks {
                let content: Vec<Inline> = match block {
                    Block::Paragraph { content, .. } => content.clone(),
                    Block::Heading(h) => h.content.clone(),
                    Block::CodeBlock { text, .. } => vec![Inline::Code(text.clone())],
                    other => vec![Inline::Text(block_text(other, book))],
                };
                let marker = first.then(|| Marker {
                    text: note.number.to_string(),
                    target: Some(LinkTarget::Anchor(note.ref_id())),
                    superscript: true,
                    gap: 0.25,
                });
                let mut laid =
                    inline::set_marked(shaper, Some(book), marker.as_ref(), &content, set);
                let p = tags.child(Some(node), Role::Paragraph);
                tags.tag_lines(&mut laid.lines, p, first.then_some(label));
                lines.extend(laid.lines);
                first = false;
            }
            if lines.is_empty() {
                let marker = Marker {
                    text: note.number.to_string(),
                    target: Some(LinkTarget::Anchor(note.ref_id())),
                    superscript: true,
                    gap: 0.0,
                };
                let mut laid = inline::set_marked(shaper, Some(book), Some(&marker), &[], set);
                tags.tag_lines(&mut laid.lines, label, Some(label));
                lines.extend(laid.lines);
            }
            lines
        })
        .collect();
    crate::resolve::gather_nested_notes(book, &mut lines);
    lines
}

/// Plain text of a block that a note can only show as text.
fn block_text(block: &Block, book: &Book) -> String {
    match block {
        Block::Heading(h) => plain_text(&h.content, Some(book)),
        Block::Paragraph { content, .. } => plain_text(content, Some(book)),
        Block::List { items, .. } => items
            .iter()
            .flat_map(|i| i.iter().map(|b| block_text(b, book)))
            .collect::<Vec<_>>()
            .join(" "),
        Block::BlockQuote { blocks, .. } => blocks
            .iter()
            .map(|b| block_text(b, book))
            .collect::<Vec<_>>()
            .join(" "),
        Block::CodeBlock { text, .. } => text.clone(),
        Block::Image { alt, .. } => alt.clone(),
        Block::ThematicBreak { .. } => String::new(),
    }
}

/// Part of a footnote on a page.
#[derive(Debug, Clone)]
pub struct NotePart {
    pub note: usize,
    pub lines: Range<usize>,
}

/// What goes on one page: items of the flow and note lines.
#[derive(Debug, Clone)]
pub struct Fill {
    pub items: Range<usize>,
    pub notes: Vec<NotePart>,
}

/// Footnotes still to place: parts carried over from an earlier page, and
/// which notes are already placed.
pub struct NoteState<'n> {
    pub lines: &'n [Vec<Line>],
    pub placed: Vec<bool>,
    pub carry: Vec<NotePart>,
}

impl<'n> NoteState<'n> {
    pub fn new(lines: &'n [Vec<Line>]) -> Self {
        NoteState {
            lines,
            placed: vec![false; lines.len()],
            carry: Vec::new(),
        }
    }
}

/// Height of the footnote block with `n` lines: a rule and a gap above them.
fn notes_height(geo: &Geometry, n: usize) -> f32 {
    if n == 0 {
        0.0
    } else {
        geo.leading + n as f32 * geo.note_leading
    }
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
pub fn paginate(items: &[VItem], geo: &Geometry, notes: &mut NoteState, flush: bool) -> Vec<Fill> {
    const EPS: f32 = 0.01;
    let budget = geo.height + EPS;
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
            let room = ((geo.height - geo.leading * 4.0) / geo.note_leading)
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
            if body + it.height + notes_height(geo, note_lines + fresh_lines) <= budget {
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
                    let free = budget - body - it.height - notes_height(geo, lines);
                    let extra = if lines == 0 { geo.leading } else { 0.0 };
                    let room = ((free - extra) / geo.note_leading).floor().max(0.0) as usize;
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

/// What a page shows besides its text: kind, number, running head.
pub struct PageDressing<'a> {
    pub kind: PageKind,
    pub folio: usize,
    pub folio_line: Line,
    pub book_title: &'a Line,
    pub chapter_title: Option<&'a Line>,
    /// The first page of a chapter carries no running head.
    pub opening: bool,
}

/// Places a page's items, notes, running head and folio.
/// The items' lines move into the page: each is placed once.
pub fn materialize(
    fill: &Fill,
    items: &mut [VItem],
    notes: &[Vec<Line>],
    geo: &Geometry,
    dressing: PageDressing,
) -> Page {
    let PageDressing {
        kind,
        folio,
        folio_line,
        ..
    } = dressing;
    let recto = folio % 2 == 1;
    let left = geo.left(recto);
    let mut page = Page::new(kind);
    page.folio = Some(folio_text(folio, kind));
    // The page is kept until the book is drawn: no spare room.
    let n_lines: usize = fill.notes.iter().map(|p| p.lines.len()).sum();
    let n_items = items[fill.items.clone()]
        .iter()
        .filter(|it| !matches!(it.kind, VKind::Space))
        .count();
    let n_notes = if n_lines > 0 { n_lines + 1 } else { 0 };
    page.elements
        .reserve_exact(n_items + n_notes + usize::from(!dressing.opening) + 1);
    let mut y = geo.top;
    let mut first_words = String::new();
    for it in &mut items[fill.items.clone()] {
        if y == geo.top && it.discardable {
            continue;
        }
        if let Some(h) = &it.heading {
            page.headings.push(h.clone());
        }
        for a in &it.anchors {
            page.anchors.push(Anchor { id: a.clone(), y });
        }
        if page.source.is_none() {
            page.source = it.src;
        }
        if let VKind::Image {
            index,
            x,
            width,
            tag,
        } = &it.kind
        {
            page.elements.push(Element::Image {
                index: *index,
                x: left + x,
                y,
                width: *width,
                height: it.height,
                tag: *tag,
            });
        }
        if let VKind::Line { line, x, baseline } = &mut it.kind {
            if first_words.split_whitespace().count() < 6 {
                if !first_words.is_empty() {
                    first_words.push(' ');
                }
                first_words.push_str(&line.text());
            }
            page.elements.push(Element::Text {
                x: left + *x,
                y: y + *baseline,
                line: std::mem::take(line),
            });
        }
        y += it.height;
    }
    page.first_words = first_words
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");

    if n_lines > 0 {
        let top = geo.top + geo.height - notes_height(geo, n_lines);
        page.elements.push(Element::Rule {
            x: left,
            y: top + geo.leading * 0.45,
            width: geo.measure * 0.3,
            height: 0.4,
        });
        let mut y = top + geo.leading;
        let base = baseline(geo.note_size, geo.note_leading);
        for part in &fill.notes {
            if part.lines.start == 0 {
                page.anchors.push(Anchor {
                    id: format!("fn{}", part.note + 1),
                    y,
                });
            }
            for line in &notes[part.note][part.lines.clone()] {
                page.elements.push(Element::Text {
                    x: left,
                    y: y + base,
                    line: line.clone(),
                });
                y += geo.note_leading;
            }
        }
    }

    // Running head: the book's title on the left page, the chapter's on the
    // right, none on a chapter's first page.
    if !dressing.opening {
        let head = if recto {
            dressing.chapter_title.unwrap_or(dressing.book_title)
        } else {
            dressing.book_title
        };
        page.elements.push(Element::Text {
            x: left + (geo.measure - head.width).max(0.0) / 2.0,
            y: geo.top - geo.leading * 1.5,
            line: head.clone(),
        });
    }
    page.elements.push(Element::Text {
        x: left + (geo.measure - folio_line.width) / 2.0,
        y: geo.top + geo.height + geo.leading * 2.0,
        line: folio_line,
    });
    page
}

/// The printed page number: roman in the front matter.
pub fn folio_text(n: usize, kind: PageKind) -> String {
    match kind {
        PageKind::Body => n.to_string(),
        _ => roman(n),
    }
}

pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A single line of plain text, or an ellipsised one if it is too long.
pub fn one_line(shaper: &mut Shaper, text: &str, size: f32, style: Style, max: f32) -> Line {
    let set = Setting {
        size,
        style,
        align: Align::Left,
        measure: 1.0e6,
        first_indent: 0.0,
        hang: 0.0,
        hyphenate: false,
    };
    let mut laid = inline::set_text(shaper, text, set);
    let mut line = laid.lines.pop().unwrap_or_default();
    if line.width > max {
        // Drop words until it fits with an ellipsis.
        let words: Vec<&str> = text.split_whitespace().collect();
        for n in (1..words.len()).rev() {
            let short = format!("{}{}", words[..n].join(" "), shaper.pick(style, "…", "..."));
            let mut laid = inline::set_text(shaper, &short, set);
            if let Some(l) = laid.lines.pop() {
                if l.width <= max {
                    line = l;
                    break;
                }
            }
        }
    }
    line.measure = line.width.max(line.measure.min(max));
    line
}

/// A line of plain text, its runs moved `x` along (used by contents leaders).
pub fn plain_run(shaper: &mut Shaper, text: &str, style: Style, size: f32, x: f32) -> Line {
    let set = Setting {
        size,
        style,
        align: Align::Left,
        measure: 1.0e6,
        first_indent: 0.0,
        hang: 0.0,
        hyphenate: false,
    };
    let mut laid = inline::set_text(shaper, text, set);
    let mut line = laid.lines.pop().unwrap_or_default();
    for r in &mut line.runs {
        r.x += x;
    }
    line
}

/// A run of leader dots from `from` to `to`, at a fixed pitch so the dots of
/// all entries line up: a line of that one run.
pub fn leaders(shaper: &mut Shaper, from: f32, to: f32, size: f32) -> Option<Line> {
    let face = shaper.fonts.face_for(Style::Regular, '.')?;
    let glyphs = shaper.shape(Style::Regular, ".");
    let dot = glyphs.first()?;
    let pitch = size * 0.6;
    let first = (from / pitch).ceil() as i64;
    let last = ((to - dot.advance * size) / pitch).floor() as i64;
    if last < first {
        return None;
    }
    let mut run = LineBuilder::default();
    run.start_run(face as u16, size, first as f32 * pitch, 0.0, None);
    for k in first..=last {
        let start = run.push_str(".");
        run.push_glyph(Glyph {
            id: dot.id,
            advance: if k == last { dot.advance * size } else { pitch },
            x_offset: 0.0,
            y_offset: 0.0,
            text: start..start + 1,
        });
    }
    let (runs, store) = run.finish();
    Some(Line {
        runs,
        store,
        ..Line::default()
    })
}
