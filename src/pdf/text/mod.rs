//! Text: shaping with rustybuzz ([`shape`]), a paragraph's inlines as
//! boxes, glue and penalties with Georgian hyphenation ([`inline`]), and
//! Knuth–Plass line breaking ([`linebreak`]). A paragraph goes in, lines of
//! positioned glyph runs ([`crate::pdf::frame::Line`]) come out.

mod inline;
mod linebreak;
mod plain;
mod shape;

pub(crate) use inline::{
    set_marked, set_paragraph, set_paragraph_variants, set_text, Align, Laid, Marker, Setting,
};
pub(crate) use plain::{leaders, one_line, plain_run, strip_notes};
pub(crate) use shape::{width, Shaper};
