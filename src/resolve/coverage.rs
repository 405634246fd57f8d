//! Every character the book prints must have a glyph in an embedded font.
//! What the fonts lack is first looked for on the font search paths; what is
//! still missing is one error per script (never a box in the book), naming
//! where the first such character stands and, in the JSON form, every one.

use super::{exact_span, spans, style_of};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::fonts::{scripts, search, FontSet, Style};
use crate::model::{Block, Book, Inline, Span, Visit};
use std::collections::BTreeMap;

/// A character without a glyph: the styles that lack it, and where it first
/// stands (in reading order, `seq`).
struct Gap {
    styles: [bool; 4],
    first: Option<Span>,
    seq: usize,
}

/// A character without a glyph and what is known of it.
type Missing<'g> = (char, &'g Gap);

/// Characters named in the human message; the JSON form lists them all.
const SHOWN: usize = 12;

pub(super) fn check(
    fs: &dyn crate::vfs::Fs,
    book: &Book,
    fonts: &mut FontSet,
    diags: &mut Diagnostics,
) {
    let mut gaps = gaps(book, fonts);
    if !gaps.is_empty() && !fonts.search.is_empty() {
        let langs = passage_langs(book);
        let wanted: search::Wanted = gaps
            .iter()
            .map(|(c, g)| {
                let lang = langs.get(c).cloned();
                (
                    *c,
                    search::Want {
                        styles: g.styles,
                        lang,
                    },
                )
            })
            .collect();
        search::fill(fs, fonts, &wanted, diags);
        gaps.retain(|&c, g| {
            for (i, s) in [Style::Regular, Style::Bold, Style::Italic, Style::Mono]
                .into_iter()
                .enumerate()
            {
                g.styles[i] &= fonts.face_for(s, c).is_none();
            }
            g.styles.iter().any(|&s| s)
        });
    }
    report(&book.sources, &gaps, diags);
    if gaps.is_empty() {
        return;
    }
    // The first passage of each language that lacks glyphs, not every one:
    // the errors above already name each script once.
    let mut warned: Vec<String> = Vec::new();
    crate::model::walk::book(book, &mut |v| {
        if let Visit::Inline(Inline::Lang(l), ..) = v {
            if !warned.contains(&l.tag) && spans::check(l, fonts, diags) {
                warned.push(l.tag.clone());
            }
        }
    });
}

/// For each character beyond Latin inside a passage marked with a language,
/// the first such language: which regional face of a CJK font to prefer.
fn passage_langs(book: &Book) -> BTreeMap<char, String> {
    let mut out: BTreeMap<char, String> = BTreeMap::new();
    crate::model::walk::book(book, &mut |v| {
        if let Visit::Inline(Inline::Lang(l), ..) = v {
            for c in crate::model::plain_text(&l.content, None).chars() {
                if c as u32 >= 0x2E80 {
                    out.entry(c).or_insert_with(|| l.tag.clone());
                }
            }
        }
    });
    out
}

/// What the book prints that `fonts` cannot draw, by character.
fn gaps(book: &Book, fonts: &FontSet) -> BTreeMap<char, Gap> {
    let mut gaps: BTreeMap<char, Gap> = BTreeMap::new();
    // Characters below U+1100 (Latin, punctuation, Mkhedruli) already found
    // covered, per style: the book repeats them, a font lookup costs a hash.
    let mut covered = vec![[false; 4]; 0x1100];
    let mut check = |text: &str, style: Style, span: Option<Span>| {
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
            let seq = gaps.len();
            let gap = gaps.entry(c).or_insert_with(|| Gap {
                styles: [false; 4],
                first: span.map(|s| exact_span(book, s, c)),
                seq,
            });
            gap.styles[style as usize] = true;
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
        check(text, Style::Bold, span.or(toml_span));
        check(text, Style::Regular, span.or(toml_span));
    }
    crate::model::walk::book(book, &mut |v| match v {
        Visit::Block(Block::CodeBlock { text, span }) => check(text, Style::Mono, Some(*span)),
        Visit::Block(Block::Figure(f)) => check(&f.alt, Style::Regular, Some(f.span)),
        Visit::Inline(Inline::Text(t), marks, span) => check(t, style_of(marks), span),
        Visit::Inline(Inline::Code(t), _, span) => check(t, Style::Mono, span),
        _ => {}
    });
    gaps
}

/// One error per script.
fn report(sources: &SourceMap, gaps: &BTreeMap<char, Gap>, diags: &mut Diagnostics) {
    // Keyed by name: the crate's `Script` has no order.
    let mut by_script: BTreeMap<&str, (scripts::Script, Vec<Missing>)> = BTreeMap::new();
    for (&c, g) in gaps {
        let script = scripts::of(c);
        by_script
            .entry(script.full_name())
            .or_insert_with(|| (script, Vec::new()))
            .1
            .push((c, g));
    }
    let mut found: Vec<(usize, Diagnostic)> = by_script
        .into_values()
        .map(|(script, chars)| {
            (
                chars.iter().map(|(_, g)| g.seq).min().unwrap_or(0),
                error(sources, script, &chars),
            )
        })
        .collect();
    // In the order the book first shows each gap.
    found.sort_by_key(|(seq, _)| *seq);
    for (_, d) in found {
        diags.push(d);
    }
}

fn error(sources: &SourceMap, script: scripts::Script, chars: &[(char, &Gap)]) -> Diagnostic {
    let first = chars
        .iter()
        .min_by_key(|(_, g)| g.seq)
        .and_then(|(_, g)| g.first);
    let n = chars.len();
    let verb = if n == 1 { "has" } else { "have" };
    let what = scripts::counted(script, n);
    let at = first
        .map(|s| format!(" (first at {})", sources.location(s)))
        .unwrap_or_default();
    // Only in bold or italic text: the regular face covers them.
    let regular = chars
        .iter()
        .any(|(_, g)| g.styles[Style::Regular as usize] || g.styles[Style::Mono as usize]);
    let styles = if regular {
        String::new()
    } else {
        let mut s: Vec<&str> = Vec::new();
        if chars.iter().any(|(_, g)| g.styles[Style::Bold as usize]) {
            s.push("bold");
        }
        if chars.iter().any(|(_, g)| g.styles[Style::Italic as usize]) {
            s.push("italic");
        }
        format!(" in {} text", s.join(" and "))
    };
    let fix = match (script, scripts::suggestion(script)) {
        (scripts::Script::Unknown, _) => {
            "use other characters, or add a font that covers them".into()
        }
        (_, Some(family)) => format!(
            "add a font that covers {}, for instance {family}",
            scripts::name(script)
        ),
        (_, None) => format!("add a font that covers {}", scripts::name(script)),
    };
    let mut d = Diagnostic::error(
        "no-glyph",
        format!("{what}{at} {verb} no glyph{styles}; {fix}"),
    );
    if let Some(span) = first {
        d = d.at(span).label("the first of them");
    }
    let shown: Vec<String> = chars
        .iter()
        .take(SHOWN)
        .map(|(c, _)| format!("U+{:04X} {c}", *c as u32))
        .collect();
    let more = if n > SHOWN { ", …" } else { "" };
    d.characters = chars.iter().map(|(c, _)| *c).collect();
    d.note(format!("{}{more}", shown.join(", "))).note(
        "name the font under [fonts] in book.toml, or a directory of fonts with --font-path DIR",
    )
}
