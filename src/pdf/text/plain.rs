//! Single lines of tsigni's own text: running heads, folios, the contents'
//! page numbers and leader dots.

use super::{set_text, Align, Setting, Shaper};
use crate::fonts::Style;
use crate::model::Inline;
use crate::pdf::frame::{Glyph, Line, LineBuilder};

/// A single line of plain text, or an ellipsised one if it is too long.
pub fn one_line(shaper: &mut Shaper, text: &str, size: f32, style: Style, max: f32) -> Line {
    let mut line = plain_run(shaper, text, style, size);
    if line.width > max {
        // Drop words until it fits with an ellipsis.
        let words: Vec<&str> = text.split_whitespace().collect();
        for n in (1..words.len()).rev() {
            let short = format!("{}{}", words[..n].join(" "), shaper.pick(style, "…", "..."));
            let mut laid = set_text(shaper, &short, unbroken(size, style));
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

/// A line of plain text, however long.
pub fn plain_run(shaper: &mut Shaper, text: &str, style: Style, size: f32) -> Line {
    let mut laid = set_text(shaper, text, unbroken(size, style));
    laid.lines.pop().unwrap_or_default()
}

/// Text set flush left on a line too long to break.
fn unbroken(size: f32, style: Style) -> Setting {
    Setting {
        size,
        style,
        align: Align::Left,
        measure: 1.0e6,
        first_indent: 0.0,
        hang: 0.0,
        hyphenate: false,
    }
}

/// A run of leader dots from `from` to `to`, at a fixed pitch so the dots of
/// all entries line up: a line of that one run.
pub fn leaders(shaper: &mut Shaper, from: f32, to: f32, size: f32) -> Option<Line> {
    let face = shaper.fonts.face_for(Style::Regular, '.')?;
    let glyphs = shaper.shape(Style::Regular, ".", None);
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
            Inline::Marked(m, c) => Some(Inline::Marked(*m, strip_notes(c))),
            Inline::Lang(l) => Some(Inline::Lang(crate::model::LangSpan {
                content: strip_notes(&l.content),
                ..l.clone()
            })),
            other => Some(other.clone()),
        })
        .collect()
}
