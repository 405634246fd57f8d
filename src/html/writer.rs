//! The writer of one document: blocks and inlines, footnote references and
//! asides, citation links, print page marks. Text is escaped by quick-xml and
//! soft-hyphenated here when the options ask for it.

use super::{chapter_file, esc, ref_id, xml_safe, Options};
use crate::model::{plain_text, text_len, Block, Book, Inline, PagePlace, Target};
use std::collections::HashSet;
use std::fmt::Write;

/// State of one output document: which note references already have an id.
pub struct Writer<'a> {
    pub book: &'a Book,
    pub opts: Options,
    /// File name of the document being written (`ch01.xhtml`).
    pub file: String,
    pub hyphenator: &'a crate::hyphenate::Hyphenator,
    pub hyphenate: bool,
    /// Inside a language span: its hyphenation patterns, if any
    /// ([`super::marks`]).
    pub span_lang: Option<Option<hypher::Lang>>,
    /// Number ranges held on one line (a `ka` book's dashes), see
    /// [`super::nowrap`].
    pub join_ranges: bool,
    /// Inside a heading: short hyphenated compounds held on one line too.
    pub compounds: bool,
    /// Inside small caps, where Georgian is marked caseless.
    pub small_caps: bool,
    pub seen_refs: HashSet<usize>,
    pub out: String,
    /// Print page breaks of this document still to place, in reading order.
    pub marks: Vec<PagePlace>,
    /// Path of the block being written (see [`PagePlace::block`]).
    pub(super) path: Vec<usize>,
    /// Offsets (in [`text_len`] characters) and labels of the marks inside
    /// the block being written, and how far its text has been written.
    block_marks: Vec<(usize, String)>,
    pos: usize,
    /// Off inside a citation, which counts as one unit.
    tracking: bool,
    /// With [`Options::anchors`]: the id and plain text of every paragraph,
    /// list item, heading and bibliography entry written, in reading order.
    pub anchors: Vec<(String, String)>,
}

impl<'a> Writer<'a> {
    pub fn new(
        book: &'a Book,
        hyphenator: &'a crate::hyphenate::Hyphenator,
        file: impl Into<String>,
        opts: Options,
    ) -> Self {
        Writer {
            book,
            opts,
            file: file.into(),
            hyphenator,
            hyphenate: opts.hyphenate,
            span_lang: None,
            join_ranges: crate::locale::is_georgian(&book.config.book.language)
                && book.config.book.dashes == crate::config::Dashes::Typographic,
            compounds: false,
            small_caps: false,
            seen_refs: HashSet::new(),
            out: String::new(),
            marks: Vec::new(),
            path: Vec::new(),
            block_marks: Vec::new(),
            pos: 0,
            tracking: true,
            anchors: Vec::new(),
        }
    }

    /// An empty marker of where printed page `label` begins.
    fn page_mark(&mut self, label: &str) {
        let id = esc(&Target::Page(label.to_owned()).anchor(self.book));
        let label = esc(label);
        if self.opts.xml {
            let _ = write!(
                self.out,
                "<span{} role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{label}\"/>",
                self.opts.epub_type("pagebreak")
            );
        } else {
            // HTML has no self-closing span.
            let _ = write!(
                self.out,
                "<span{} role=\"doc-pagebreak\" id=\"{id}\" aria-label=\"{label}\" class=\"page\"></span>",
                self.opts.epub_type("pagebreak")
            );
        }
    }

    /// ` id="p7"` for the next paragraph or list item when the options ask
    /// for anchors, remembering its text; nothing otherwise.
    pub(super) fn anchor(&mut self, content: &[Inline]) -> String {
        if !self.opts.anchors {
            return String::new();
        }
        let id = format!("p{}", self.anchors.len() + 1);
        self.anchors
            .push((id.clone(), plain_text(content, Some(self.book))));
        format!(" id=\"{id}\"")
    }

    /// Takes the marks of the block at the current path; those at its very
    /// start are written at once (before the block's element), the others are
    /// kept for the inline writer, moved back to the start of their word.
    fn enter_block(&mut self, content: Option<&[Inline]>) {
        let here: Vec<PagePlace> = {
            let path = &self.path;
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.marks)
                .into_iter()
                .partition(|m| m.block == *path);
            self.marks = rest;
            mine
        };
        let text: Vec<char> = content
            .map(|c| plain_for_marks(c, self.book).chars().collect())
            .unwrap_or_default();
        self.block_marks.clear();
        self.pos = 0;
        for m in here {
            let mut at = m.offset.min(text.len());
            // Back to the start of the word, unless the "word" is a giant with
            // no break (then the mark stays where the page begins).
            let limit = at.saturating_sub(64);
            while at > limit && text[at - 1].is_alphanumeric() {
                at -= 1;
            }
            if at == limit && limit > 0 && text[at - 1].is_alphanumeric() {
                at = m.offset.min(text.len());
            }
            if at == 0 {
                self.page_mark(&m.label);
            } else {
                self.block_marks.push((at, m.label));
            }
        }
        self.block_marks.sort();
    }

    /// Writes the marks that fall before `pos + len`, splitting `text` there.
    fn text_with_marks(&mut self, t: &str) {
        if !self.tracking {
            return self.text(t);
        }
        let len = t.chars().count();
        // Walk the text once, remembering the char and byte index of the last cut.
        let mut chars = t.char_indices().enumerate();
        let (mut written, mut from) = (0usize, 0usize);
        while let Some((at, _)) = self.block_marks.first() {
            if *at >= self.pos + len {
                break;
            }
            let (at, label) = self.block_marks.remove(0);
            let cut = at.saturating_sub(self.pos).max(written);
            let byte = if cut == written {
                from
            } else {
                chars
                    .by_ref()
                    .find(|(i, _)| *i == cut)
                    .map(|(_, (b, _))| b)
                    .unwrap_or(t.len())
            };
            self.text(&t[from..byte]);
            self.page_mark(&label);
            written = cut;
            from = byte;
        }
        self.text(&t[from..]);
        self.pos += len;
    }

    /// Marks due before an element that counts as one unit (a citation).
    pub(super) fn marks_before(&mut self, len: usize) {
        if !self.tracking {
            return;
        }
        while let Some((at, _)) = self.block_marks.first() {
            if *at >= self.pos + len.max(1) {
                break;
            }
            let (_, label) = self.block_marks.remove(0);
            self.page_mark(&label);
        }
        self.pos += len;
    }

    /// Marks left over at the end of a block (an offset past its text).
    fn leave_block(&mut self) {
        for (_, label) in std::mem::take(&mut self.block_marks) {
            self.page_mark(&label);
        }
    }

    /// Escaped text, with soft hyphens when the book asks for them.
    pub fn text(&mut self, s: &str) {
        if self.small_caps {
            return self.small_caps_text(s);
        }
        let clean = xml_safe(s);
        let held = if self.join_ranges || self.compounds {
            super::nowrap::markup(&clean, self.compounds, &mut |t, o| {
                o.push_str(&self.free_text(t))
            })
        } else {
            self.free_text(&clean)
        };
        self.out.push_str(&held);
    }

    /// Escaped text that may break anywhere, soft-hyphenated if asked.
    fn free_text(&self, clean: &str) -> String {
        if self.hyphenate {
            let h = match self.span_lang {
                Some(lang) => self.hyphenator.soft_hyphenate_in(clean, lang),
                None => self.hyphenator.soft_hyphenate(clean),
            };
            quick_xml::escape::escape(h.as_str()).into_owned()
        } else {
            quick_xml::escape::escape(clean).into_owned()
        }
    }

    /// Escaped text without hyphenation (titles, metadata-like strings).
    pub fn plain(&mut self, s: &str) {
        self.out.push_str(&esc(s));
    }

    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    pub fn blocks(&mut self, blocks: &[Block]) {
        for (i, b) in blocks.iter().enumerate() {
            self.path.push(i);
            self.block(b);
            self.path.pop();
        }
    }

    fn block(&mut self, b: &Block) {
        let content = match b {
            Block::Heading(h) => Some(h.content.as_slice()),
            Block::Paragraph { content, .. } => Some(content.as_slice()),
            _ => None,
        };
        self.enter_block(content);
        self.block_body(b);
        self.leave_block();
    }

    fn block_body(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => {
                let level = h.level.clamp(1, 6);
                let _ = write!(self.out, "<h{level} id=\"{}\">", esc(&h.id));
                if self.opts.anchors {
                    let text = plain_text(&h.content, Some(self.book));
                    self.anchors.push((h.id.clone(), text));
                }
                // Headings are never broken mid-word; keep them searchable as written.
                let hyphenate = std::mem::replace(&mut self.hyphenate, false);
                self.compounds = true;
                self.inlines(&h.content);
                self.compounds = false;
                self.hyphenate = hyphenate;
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Paragraph { content, .. } => {
                let id = self.anchor(content);
                let _ = write!(self.out, "<p{id}>");
                self.inlines(content);
                self.raw("</p>\n");
            }
            Block::List { start, items, .. } => {
                match start {
                    Some(1) => self.raw("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    None => self.raw("<ul>\n"),
                }
                for (n, item) in items.iter().enumerate() {
                    self.path.push(n);
                    // A one-paragraph item reads better without the <p>.
                    match item.as_slice() {
                        [Block::Paragraph { content, .. }] => {
                            let id = self.anchor(content);
                            let _ = write!(self.out, "<li{id}>");
                            self.path.push(0);
                            self.marked_inlines(content);
                            self.path.pop();
                        }
                        _ => {
                            self.raw("<li>");
                            self.blocks(item);
                        }
                    }
                    self.path.pop();
                    self.raw("</li>\n");
                }
                self.raw(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::BlockQuote { blocks, .. } => {
                self.raw("<blockquote>\n");
                self.blocks(blocks);
                self.raw("</blockquote>\n");
            }
            Block::CodeBlock { text, .. } => {
                self.raw("<pre><code>");
                self.plain(text);
                self.raw("</code></pre>\n");
            }
            Block::Figure(f) => self.figure(f),
            Block::ThematicBreak { .. } => self.raw("<hr class=\"section-break\"/>\n"),
            Block::DefinitionList { items, .. } => self.definition_list(items),
            Block::LineBlock { lines, .. } => self.line_block(lines),
            Block::Epigraph { blocks, .. } => self.epigraph(blocks),
            Block::Table(t) => self.table(t),
        }
    }

    pub fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text(t) => self.text_with_marks(t),
            Inline::Space => {
                self.marks_before(1);
                self.raw(" ")
            }
            Inline::LineBreak => {
                self.marks_before(1);
                self.raw("<br/>")
            }
            Inline::Emphasis(c) => {
                self.raw("<em>");
                self.inlines(c);
                self.raw("</em>");
            }
            Inline::Strong(c) => {
                self.raw("<strong>");
                self.inlines(c);
                self.raw("</strong>");
            }
            Inline::Code(t) => {
                self.marks_before(t.chars().count());
                self.raw("<code>");
                self.plain(t);
                self.raw("</code>");
            }
            Inline::Link { url, content } => {
                let _ = write!(self.out, "<a href=\"{}\">", esc(url));
                self.inlines(content);
                self.raw("</a>");
            }
            Inline::NoteRef { number } => {
                let Some(note) = self.book.notes.get(number.wrapping_sub(1)) else {
                    return;
                };
                let target = format!("{}{}", self.href_to(note.chapter), note.id());
                // Only the first reference carries the id the note links back to.
                let id = if self.seen_refs.insert(*number) {
                    format!(" id=\"{}\"", note.ref_id())
                } else {
                    String::new()
                };
                let _ = write!(
                    self.out,
                    "<sup><a{} role=\"doc-noteref\" href=\"{}\"{id}>{number}</a></sup>",
                    self.opts.epub_type("noteref"),
                    esc(&target)
                );
            }
            Inline::Marked(m, c) => self.marked(*m, c),
            Inline::Lang(l) => self.lang_span(l),
            Inline::Citation(idx) => {
                let Some(c) = self.book.citations.get(*idx) else {
                    return;
                };
                self.marks_before(text_len(&c.rendered, self.book));
                let target = c
                    .items
                    .first()
                    .map(|it| format!("bibliography.{}#{}", self.opts.ext, ref_id(&it.key)));
                // The citation counts as one unit for page places.
                let tracking = std::mem::replace(&mut self.tracking, false);
                match target {
                    Some(t) if !c.rendered.is_empty() => {
                        let _ = write!(
                            self.out,
                            "<a class=\"citation\" role=\"doc-biblioref\" href=\"{}\">",
                            esc(&t)
                        );
                        self.inlines(&c.rendered);
                        self.raw("</a>");
                    }
                    _ => self.inlines(&c.rendered),
                }
                self.tracking = tracking;
            }
            Inline::Ref(idx) => self.cross_ref(*idx),
        }
    }

    /// Chapter `index` of the book as a section, its notes at the end.
    pub fn chapter(&mut self, index: usize) {
        let Some(chapter) = self.book.chapters.get(index) else {
            return;
        };
        let labelled = chapter
            .title()
            .map(|h| format!(" aria-labelledby=\"{}\"", esc(&h.id)))
            .unwrap_or_default();
        let role = chapter
            .kind
            .aria_role()
            .map(|r| format!(" role=\"{r}\""))
            .unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<section{}{role}{labelled}>",
            self.opts.epub_type(chapter.kind.epub_type())
        );
        self.blocks(&chapter.blocks);
        self.notes_of(index);
        self.raw("</section>\n");
    }

    /// The generated bibliography as a section with a list of entries.
    pub fn bibliography(&mut self) {
        let title = esc(&self.book.config.bibliography.title);
        let _ = writeln!(
            self.out,
            "<section{} role=\"doc-bibliography\" aria-labelledby=\"bibliography\">\n<h1 id=\"bibliography\">{title}</h1>",
            self.opts.epub_type("bibliography")
        );
        if self.opts.anchors {
            let title = self.book.config.bibliography.title.clone();
            self.anchors.push(("bibliography".into(), title));
        }
        self.raw("<ul class=\"bibliography\">\n");
        for (i, e) in self.book.bibliography.iter().enumerate() {
            let _ = write!(self.out, "<li id=\"{}\">", esc(&e.id));
            self.entry(i, &e.content);
            self.raw("</li>\n");
        }
        self.flush_marks();
        self.raw("</ul>\n</section>\n");
    }

    /// `"#"` for the current document, else `ch05.xhtml#`.
    pub(super) fn href_to(&self, chapter: usize) -> String {
        let file = chapter_file(self.book, chapter, self.opts.ext);
        if file == self.file {
            "#".into()
        } else {
            format!("{file}#")
        }
    }

    /// Entry `index` of the bibliography: its text, with the page marks
    /// that fall in it.
    pub fn entry(&mut self, index: usize, content: &[Inline]) {
        if self.opts.anchors {
            if let Some(e) = self.book.bibliography.get(index) {
                let text = plain_text(content, Some(self.book));
                self.anchors.push((e.id.clone(), text));
            }
        }
        self.path = vec![index];
        self.marked_inlines(content);
    }

    /// The inlines of the block at the current path, with its page marks.
    pub(super) fn marked_inlines(&mut self, content: &[Inline]) {
        self.enter_block(Some(content));
        self.inlines(content);
        self.leave_block();
    }

    /// Writes the marks of places that matched no block, here at the end
    /// of the document, rather than losing their pages.
    pub fn flush_marks(&mut self) {
        for m in std::mem::take(&mut self.marks) {
            self.page_mark(&m.label);
        }
    }

    /// The footnote asides of notes referenced in `chapter`.
    pub fn notes_of(&mut self, chapter: usize) {
        self.flush_marks();
        let tracking = std::mem::replace(&mut self.tracking, false);
        self.notes_of_inner(chapter);
        self.tracking = tracking;
    }

    fn notes_of_inner(&mut self, chapter: usize) {
        let notes: Vec<_> = self
            .book
            .notes
            .iter()
            .filter(|n| n.chapter == chapter)
            .collect();
        if notes.is_empty() {
            return;
        }
        for note in notes {
            let _ = writeln!(
                self.out,
                "<aside{} role=\"doc-footnote\" id=\"{}\">",
                self.opts.epub_type("footnote"),
                note.id()
            );
            let back = format!(
                "<a href=\"#{}\" role=\"doc-backlink\" title=\"↩\">{}</a> ",
                note.ref_id(),
                note.number
            );
            // The number, linking back, opens the note's first paragraph.
            match note.blocks.split_first() {
                Some((Block::Paragraph { content, .. }, rest)) => {
                    self.raw("<p>");
                    self.raw(&back);
                    self.inlines(content);
                    self.raw("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    self.raw("<p>");
                    self.raw(&back);
                    self.raw("</p>\n");
                    self.blocks(&note.blocks);
                }
            }
            self.raw("</aside>\n");
        }
    }
}

/// The block's text as page places count it (see [`text_len`]).
fn plain_for_marks(inlines: &[Inline], book: &Book) -> String {
    let s = plain_text(inlines, Some(book));
    debug_assert_eq!(s.chars().count(), text_len(inlines, book));
    s
}
