//! Figures and cross-references as the model holds them: an image standing
//! alone in a paragraph with its caption, label and width (pandoc's
//! `implicit_figures`), and `[@fig:map]`-style references to figures,
//! tables and sections (pandoc-crossref's syntax), which are not citations.

use super::{Inline, Span, Target};

/// An image in a paragraph of its own. With a description it is a numbered
/// figure whose caption is that description; without one it is a bare image.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Path relative to the manuscript directory.
    pub path: String,
    /// The description as plain text: the image's alternative text.
    pub alt: String,
    /// The description as written, shown under the image.
    pub caption: Vec<Inline>,
    /// The cross-reference label without its `#` (`fig:map`).
    pub label: Option<String>,
    /// 1-based number through the book, set when the book is prepared;
    /// `None` for an image without a description, which is no figure.
    pub number: Option<usize>,
    /// Width as a fraction of the text measure (`{width=60%}` is 0.6).
    pub width: Option<f32>,
    pub span: Span,
}

impl Figure {
    /// Whether this is a numbered, captioned figure rather than a bare image.
    pub fn is_figure(&self) -> bool {
        !self.caption.is_empty()
    }

    /// The target of a numbered figure.
    pub fn target(&self) -> Option<Target> {
        self.number.map(Target::Figure)
    }
}

/// A reference such as `[@fig:map]` or `[@fig:a; @sec:origins, page]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossRef {
    pub items: Vec<RefItem>,
    /// Chapter in which the reference stands.
    pub chapter: usize,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefItem {
    /// The label referred to, without `@` (`fig:map`).
    pub label: String,
    /// `[@fig:map, page]`: the PDF adds the page the target stands on.
    pub page: bool,
    /// Filled when the book is prepared: what the label names, and its
    /// words (`ნახ. 1`, `§ 2.1`). `None` for an unknown label (an error).
    pub target: Option<Target>,
    pub text: String,
    /// Filled by the PDF writer for `page` items: the printed page label.
    pub page_label: Option<String>,
}

/// The kinds of label a reference can name, by the prefix of the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    Figure,
    Table,
    Section,
}

impl LabelKind {
    /// The kind of a label by its prefix (`fig:`, `tbl:`, `sec:`).
    pub fn of(label: &str) -> Option<LabelKind> {
        let (prefix, rest) = label.split_once(':')?;
        if rest.is_empty() {
            return None;
        }
        match prefix {
            "fig" => Some(LabelKind::Figure),
            "tbl" => Some(LabelKind::Table),
            "sec" => Some(LabelKind::Section),
            _ => None,
        }
    }
}

/// Inlines of a reference as the writers show it: each item's words,
/// separated by `; `, with `, <page word> N` where a page was asked for and
/// is known.
pub fn ref_text(item: &RefItem, page_word: &str) -> String {
    match (&item.page_label, item.page) {
        (Some(p), true) => format!("{}, {page_word}\u{a0}{p}", item.text),
        _ => item.text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_kinds_come_from_their_prefix() {
        assert_eq!(LabelKind::of("fig:map"), Some(LabelKind::Figure));
        assert_eq!(LabelKind::of("tbl:kings"), Some(LabelKind::Table));
        assert_eq!(LabelKind::of("sec:origins"), Some(LabelKind::Section));
        assert_eq!(LabelKind::of("fig:"), None);
        assert_eq!(LabelKind::of("snow1961"), None);
        assert_eq!(LabelKind::of("eq:x"), None);
    }
}
