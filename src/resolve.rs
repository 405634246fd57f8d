//! What both writers need, computed once: rendered citations, the
//! bibliography, and the proof that every character has a font.

use crate::bibliography;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fonts::{FontSet, Style};
use crate::model::{Block, Book, Inline, Marks, Span, Visit};
use std::collections::HashSet;
use std::path::Path;

pub fn resolve(
    fs: &dyn crate::vfs::Fs,
    book: &mut Book,
    dir: &Path,
    fonts: Option<&FontSet>,
    diags: &mut Diagnostics,
) {
    if !book.citations.is_empty() {
        let toml_file = book.sources.find("book.toml").unwrap_or(0);
        if let Some(bib) =
            bibliography::load(fs, &book.config, dir, &mut book.sources, toml_file, diags)
        {
            book.bibliography = bibliography::cite(&bib, &mut book.citations, diags);
        }
    }
    if let Some(fonts) = fonts {
        check_coverage(book, fonts, diags);
    }
}

/// Every character the book prints must have a glyph in an embedded font; a
/// missing one is an error naming U+XXXX and where it stands, never a box.
fn check_coverage(book: &Book, fonts: &FontSet, diags: &mut Diagnostics) {
    let mut reported: HashSet<(char, Style)> = HashSet::new();
    // Characters below U+1100 (Latin, punctuation, Mkhedruli) already found
    // covered, per style: the book repeats them, a font lookup costs a hash.
    let mut covered = vec![[false; 3]; 0x1100];
    let mut check = |text: &str, style: Style, span: Option<Span>, diags: &mut Diagnostics| {
        for c in text.chars() {
            let small = (c as usize) < covered.len();
            if small && covered[c as usize][style as usize] {
                continue;
            }
            if !FontSet::needs_glyph(c) || fonts.face_for(style, c).is_some() {
                if small {
                    covered[c as usize][style as usize] = true;
                }
                continue;
            }
            if !reported.insert((c, style)) {
                continue;
            }
            let mut d = Diagnostic::error(
                "no-glyph",
                format!(
                    "no embedded font has the character U+{:04X} {:?} ({:?} style)",
                    c as u32, c, style
                ),
            );
            if let Some(span) = span {
                d = d
                    .at(exact_span(book, span, c))
                    .label(format!("U+{:04X}", c as u32));
            }
            diags.push(d.note(
                "use another character, or add a font that covers it to [fonts] in book.toml",
            ));
        }
    };
    let meta = &book.config.book;
    let toml_file = book.sources.find("book.toml");
    let toml_span = toml_file.map(|f| Span {
        file: f,
        start: 0,
        end: 0,
    });
    for text in std::iter::once(&meta.title)
        .chain(meta.subtitle.iter())
        .chain(meta.authors.iter())
        .chain(std::iter::once(&book.config.bibliography.title))
    {
        let span = toml_file.map(|f| crate::manuscript::config_value_span(&book.sources, f, text));
        check(text, Style::Bold, span.or(toml_span), diags);
        check(text, Style::Regular, span.or(toml_span), diags);
    }
    crate::model::walk::book(book, &mut |v| match v {
        Visit::Block(Block::CodeBlock { text, span }) => {
            check(text, Style::Regular, Some(*span), diags)
        }
        Visit::Block(Block::Image { alt, span, .. }) => {
            check(alt, Style::Regular, Some(*span), diags)
        }
        Visit::Inline(Inline::Text(t) | Inline::Code(t), marks, span) => {
            check(t, style_of(marks), span, diags)
        }
        _ => {}
    });
}

/// The face a text is set in: strong (and headings) bold, emphasis italic.
fn style_of(marks: Marks) -> Style {
    if marks.strong {
        Style::Bold
    } else if marks.emphasis {
        Style::Italic
    } else {
        Style::Regular
    }
}

/// Narrows a block's span to the first occurrence of `c` in its source.
fn exact_span(book: &Book, span: Span, c: char) -> Span {
    let src = book.sources.source(span.file);
    let end = span.end.min(src.len());
    if span.start <= end && src.is_char_boundary(span.start) && src.is_char_boundary(end) {
        if let Some(i) = src[span.start..end].find(c) {
            let start = span.start + i;
            return Span {
                file: span.file,
                start,
                end: start + c.len_utf8(),
            };
        }
    }
    span
}
