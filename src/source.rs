//! Where a thing stands in the manuscript: the one type that the model, the
//! diagnostics and every stage share, so that none of them needs another's
//! module to say "file, line, column".

/// A place in a source file: byte range into the file registered in the
/// [`crate::diagnostics::SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: usize,
    pub start: usize,
    pub end: usize,
}
