//! Inline marks beyond emphasis: superscript, subscript, strikethrough,
//! small caps, and passages in another language.

use super::{Inline, Span};

/// How a stretch of text is set apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `^x^`
    Superscript,
    /// `~x~`
    Subscript,
    /// `~~x~~`
    Strikethrough,
    /// `[x]{.smallcaps}`: lower-case letters of cased scripts as small
    /// capitals; Georgian (no case in running text) is left as written.
    SmallCaps,
}

/// `[текст]{lang=ru}`: a passage in another language.
#[derive(Debug, Clone, PartialEq)]
pub struct LangSpan {
    /// A well-formed BCP 47 tag (checked by the reader).
    pub tag: String,
    pub content: Vec<Inline>,
    /// Where the span stands in the manuscript, for warnings about it.
    pub span: Span,
}
