//! The table of contents: every heading of the book and the bibliography,
//! as entries and as nested lists of links (the EPUB's navigation document
//! and NCX, the web edition's contents page).

use super::esc;
use crate::model::{plain_text, Book};
use std::fmt::Write;

/// One entry of the table of contents.
pub struct TocEntry {
    pub level: u8,
    pub href: String,
    pub text: String,
}

/// Every heading of the book, then the bibliography, in reading order.
pub fn toc_entries(book: &Book, prefix: &str, ext: &str) -> Vec<TocEntry> {
    let mut out = Vec::new();
    for chapter in &book.chapters {
        for h in chapter.headings() {
            let href = if h.level == 1 {
                format!("{prefix}{}.{ext}", chapter.id)
            } else {
                format!("{prefix}{}.{ext}#{}", chapter.id, h.id)
            };
            out.push(TocEntry {
                level: h.level,
                href,
                text: plain_text(&h.content, Some(book)),
            });
        }
    }
    if !book.bibliography.is_empty() {
        out.push(TocEntry {
            level: 1,
            href: format!("{prefix}bibliography.{ext}"),
            text: book.config.bibliography.title.clone(),
        });
    }
    out
}

/// Depths for nesting: a skipped level nests one deeper, never more.
pub fn depths(entries: &[TocEntry]) -> Vec<usize> {
    let mut out = Vec::with_capacity(entries.len());
    let mut levels: Vec<u8> = Vec::new();
    for e in entries {
        while levels.last().is_some_and(|&l| l >= e.level) {
            levels.pop();
        }
        levels.push(e.level);
        out.push(levels.len());
    }
    out
}

/// The entries as nested ordered lists of links.
pub fn toc_list(entries: &[TocEntry]) -> String {
    let depth = depths(entries);
    let mut body = String::new();
    let mut open = 0usize;
    for (i, e) in entries.iter().enumerate() {
        let d = depth[i];
        if d > open {
            // Depth grows by at most one per entry.
            body.push_str("<ol>\n");
            open += 1;
        } else {
            body.push_str("</li>\n");
            while open > d {
                body.push_str("</ol>\n</li>\n");
                open -= 1;
            }
        }
        let _ = write!(
            body,
            "<li><a href=\"{}\">{}</a>",
            esc(&e.href),
            esc(&e.text)
        );
    }
    if open > 0 {
        body.push_str("</li>\n");
        while open > 1 {
            body.push_str("</ol>\n</li>\n");
            open -= 1;
        }
        body.push_str("</ol>\n");
    }
    body
}
