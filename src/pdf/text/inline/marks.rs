//! Inline marks as the typesetter sets them: superscript and subscript
//! scaled and moved off the baseline, strikethrough and language spans
//! filed as spans of the paragraph (the structure tags them, the exporter
//! strikes through), small capitals as scaled capitals, and ties.

use super::{Builder, Content, Item, Run, INFINITY};
use crate::model::{Book, Inline, LangSpan, Mark};

/// Size and shift of superscript and subscript text, in the text's size:
/// the note markers' size; a subscript sits below the baseline by about
/// the depth of a descender's bowl.
const SCRIPT_SIZE: f32 = super::SUPERSCRIPT_SIZE;
const SUPERSCRIPT_RISE: f32 = super::SUPERSCRIPT_RISE;
const SUBSCRIPT_DROP: f32 = 0.14;
/// Small capitals: capitals at this share of the size (x-height-ish).
const SMALL_CAPS_SIZE: f32 = 0.78;

/// A span of a paragraph, before it is laid out.
#[derive(Debug, Clone)]
pub(super) struct SpanInfo {
    pub parent: u16,
    pub lang: Option<String>,
    pub strike: bool,
}

/// Whether a book keeps number ranges whole: a `ka` book that sets its
/// dashes.
pub(super) fn joins_ranges(book: &Book) -> bool {
    crate::locale::is_georgian(&book.config.book.language)
        && book.config.book.dashes == crate::config::Dashes::Typographic
}

impl Builder<'_, '_> {
    pub(super) fn marked(&mut self, mark: Mark, content: &[Inline], run: Run) {
        let run = match mark {
            Mark::Superscript => Run {
                size: run.size * SCRIPT_SIZE,
                rise: run.rise + run.size * SUPERSCRIPT_RISE,
                ..run
            },
            Mark::Subscript => Run {
                size: run.size * SCRIPT_SIZE,
                rise: run.rise - run.size * SUBSCRIPT_DROP,
                ..run
            },
            Mark::Strikethrough => Run {
                span: self.open_span(run.span, None, true),
                ..run
            },
            Mark::SmallCaps => Run {
                smallcaps: true,
                ..run
            },
        };
        self.inlines(content, run)
    }

    pub(super) fn lang_span(&mut self, span: &LangSpan, run: Run) {
        let run = Run {
            span: self.open_span(run.span, Some(span.tag.clone()), false),
            ..run
        };
        let outer = self
            .span_lang
            .replace(crate::hyphenate::lang_for(&span.tag));
        self.inlines(&span.content, run);
        self.span_lang = outer;
    }

    /// A new span inside `parent`; spans past what a run can name are
    /// folded into their parent (a paragraph with 65,535 spans).
    fn open_span(&mut self, parent: u16, lang: Option<String>, strike: bool) -> u16 {
        if self.spans.len() >= u16::MAX as usize - 1 {
            return parent;
        }
        self.spans.push(SpanInfo {
            parent,
            lang,
            strike,
        });
        self.spans.len() as u16
    }

    /// Small capitals: each stretch of lower-case letters of a cased
    /// script drawn as capitals at a smaller size, the text kept as
    /// written. Georgian has no case in running text (Mtavruli is for
    /// titles set in capitals), so it stays as written, as do capitals.
    pub(super) fn small_caps(&mut self, word: &str, run: Run, src: u32) {
        let small = Run {
            size: run.size * SMALL_CAPS_SIZE,
            ..run
        };
        let mut start = 0;
        let mut k = 0u32;
        let mut chars = word.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            let lower = capital(c).is_some();
            let next_lower = chars.peek().map(|&(_, n)| capital(n).is_some());
            if next_lower != Some(lower) {
                let end = chars.peek().map_or(word.len(), |&(j, _)| j);
                let piece = &word[start..end];
                if lower {
                    let shown: String = piece.chars().filter_map(capital).collect();
                    self.word_as(piece, &shown, small, src + k);
                } else {
                    self.word_as(piece, piece, run, src + k);
                }
                k += piece.chars().count() as u32;
                start = end;
            }
        }
    }

    /// Records on `line` the span a fragment at `x0..x1` stands in, and
    /// the spans around it.
    pub(super) fn place_span(
        &self,
        line: &mut crate::pdf::frame::Line,
        span: u16,
        (x0, x1): (f32, f32),
        (size, rise): (f32, f32),
    ) {
        let mut s = span;
        // Each span names a parent opened before it: the chain ends.
        while let Some(info) = s.checked_sub(1).and_then(|i| self.spans.get(i as usize)) {
            match line.spans.iter_mut().find(|a| a.span == s) {
                Some(a) => {
                    a.x0 = a.x0.min(x0);
                    a.x1 = a.x1.max(x1);
                }
                None => line.spans.push(crate::pdf::frame::SpanArea {
                    span: s,
                    parent: info.parent,
                    lang: info.lang.clone(),
                    strike: info.strike,
                    x0,
                    x1,
                    size,
                    rise,
                }),
            }
            if info.parent >= s {
                break;
            }
            s = info.parent;
        }
    }

    /// A no-break space: a space that stretches, with no break before it.
    pub(super) fn tie(&mut self, run: Run) {
        self.push(
            Item::Penalty {
                width: 0.0,
                cost: INFINITY,
                flagged: false,
            },
            Content::Nothing,
        );
        self.space(run);
    }
}

/// The capital a small capital is drawn from: a lower-case letter of a
/// cased script (not Georgian) whose capital is one character of the same
/// length in bytes, so that glyph clusters still point into the text.
fn capital(c: char) -> Option<char> {
    if !c.is_lowercase() || crate::hyphenate::is_georgian(c) {
        return None;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if u.len_utf8() == c.len_utf8() => Some(u),
        _ => None,
    }
}
