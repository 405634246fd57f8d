//! The table of contents: the prepared contents (every heading, then the
//! bibliography) as links and as nested lists of links (the EPUB's
//! navigation document and NCX, the web edition's contents page).

use super::{esc, Options};
use crate::model::{Book, Part, Target};
use std::fmt::Write;

/// One entry of the table of contents.
pub struct TocEntry {
    pub level: u8,
    pub href: String,
    pub text: String,
}

/// The prepared contents as links from `prefix`: a chapter or the
/// bibliography opens its document, a section its heading.
pub fn toc_entries(book: &Book, prefix: &str, opts: &Options) -> Vec<TocEntry> {
    crate::prepare::contents(book)
        .into_iter()
        .map(|e| {
            let fragment = (e.level > 1).then(|| e.target.anchor(book));
            TocEntry {
                level: e.level,
                href: href(book, &e.target, prefix, opts, fragment.as_deref()),
                text: e.plain_title(book),
            }
        })
        .collect()
}

/// The link to the document holding `target`, from `prefix` (`text/` from
/// the EPUB's package root, empty between chapters), with `fragment` if given.
pub fn href(
    book: &Book,
    target: &Target,
    prefix: &str,
    opts: &Options,
    fragment: Option<&str>,
) -> String {
    let ext = opts.ext;
    let file = match target.part(book) {
        Some(Part::Chapter(i)) => book
            .chapters
            .get(i)
            .map(|c| format!("{prefix}{}.{ext}", c.id))
            .unwrap_or_default(),
        Some(Part::Bibliography) => format!("{prefix}bibliography.{ext}"),
        Some(Part::Contents) => opts.contents.into(),
        None => String::new(),
    };
    match fragment {
        Some(f) => format!("{file}#{f}"),
        None => file,
    }
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
            super::nowrap::title(&e.text)
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
