//! The model as XHTML: blocks and inlines, footnote references and asides,
//! citation links. Text is escaped by quick-xml and soft-hyphenated here.

use crate::bibliography::sanitize_id;
use crate::model::{Block, Book, Inline};
use hypher::Lang;
use std::collections::HashSet;
use std::fmt::Write;

/// State of one output document: which note references already have an id.
pub struct Writer<'a> {
    pub book: &'a Book,
    /// File name of the document being written (`ch01.xhtml`).
    pub file: String,
    pub hyphen_lang: Option<Lang>,
    pub hyphenate: bool,
    pub seen_refs: HashSet<usize>,
    pub out: String,
}

impl<'a> Writer<'a> {
    pub fn new(book: &'a Book, file: impl Into<String>) -> Self {
        let hyphen_lang = crate::hyphenate::lang_for(&book.config.book.language);
        Writer {
            book,
            file: file.into(),
            hyphen_lang,
            hyphenate: book.config.epub.hyphenate,
            seen_refs: HashSet::new(),
            out: String::new(),
        }
    }

    /// Escaped text, with soft hyphens when the book asks for them.
    pub fn text(&mut self, s: &str) {
        let clean = xml_safe(s);
        if self.hyphenate {
            let h = crate::hyphenate::soft_hyphenate(&clean, self.hyphen_lang);
            self.out.push_str(&quick_xml::escape::escape(h.as_str()));
        } else {
            self.out
                .push_str(&quick_xml::escape::escape(clean.as_str()));
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
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Heading(h) => {
                let level = h.level.clamp(1, 6);
                let _ = write!(self.out, "<h{level} id=\"{}\">", esc(&h.id));
                // Headings are never broken mid-word; keep them searchable as written.
                let hyphenate = std::mem::replace(&mut self.hyphenate, false);
                self.inlines(&h.content);
                self.hyphenate = hyphenate;
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Paragraph { content, .. } => {
                self.raw("<p>");
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
                for item in items {
                    self.raw("<li>");
                    // A one-paragraph item reads better without the <p>.
                    match item.as_slice() {
                        [Block::Paragraph { content, .. }] => self.inlines(content),
                        _ => self.blocks(item),
                    }
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
            Block::Image { path, alt, .. } => {
                let _ = writeln!(
                    self.out,
                    "<figure><img src=\"{}\" alt=\"{}\"/></figure>",
                    esc(&image_href(path)),
                    esc(alt)
                );
            }
            Block::ThematicBreak { .. } => self.raw("<hr/>\n"),
        }
    }

    pub fn inlines(&mut self, inlines: &[Inline]) {
        for i in inlines {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text(t) => self.text(t),
            Inline::Space => self.raw(" "),
            Inline::LineBreak => self.raw("<br/>"),
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
                    "<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"{}\"{id}>{number}</a></sup>",
                    esc(&target)
                );
            }
            Inline::Citation(idx) => {
                let Some(c) = self.book.citations.get(*idx) else {
                    return;
                };
                let target = c
                    .items
                    .first()
                    .map(|it| format!("bibliography.xhtml#ref-{}", sanitize_id(&it.key)));
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
            }
        }
    }

    /// `""` for the current document, else `ch05.xhtml`.
    fn href_to(&self, chapter: usize) -> String {
        let file = chapter_file(self.book, chapter);
        if file == self.file {
            "#".into()
        } else {
            format!("{file}#")
        }
    }

    /// The footnote asides of notes referenced in `chapter`.
    pub fn notes_of(&mut self, chapter: usize) {
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
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"{}\">",
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

pub fn chapter_file(book: &Book, chapter: usize) -> String {
    book.chapters
        .get(chapter)
        .map(|c| format!("{}.xhtml", c.id))
        .unwrap_or_default()
}

/// Where a manuscript image lives inside the EPUB.
pub fn image_href(path: &str) -> String {
    format!("images/{}", image_name(path))
}

/// A flat, safe file name for a manuscript image path.
pub fn image_name(path: &str) -> String {
    let name: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("img-{name}")
}

/// XML 1.0 forbids most control characters; they can only be typos.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\t' || c == '\n')
        .collect()
}

pub fn esc(s: &str) -> String {
    quick_xml::escape::escape(xml_safe(s).as_str()).into_owned()
}

/// Anchor id for a bibliography entry key.
pub fn ref_id(key: &str) -> String {
    format!("ref-{}", sanitize_id(key))
}
