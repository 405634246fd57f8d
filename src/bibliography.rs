//! Citations and the bibliography, rendered by a CSL style through hayagriva.
//!
//! The CSL project ships no Georgian locale, so the manuscript brings one; and
//! hayagriva's case rules would turn Georgian into Mtavruli capitals (Unicode
//! gives Mkhedruli letters an uppercase), which Georgian typography does not
//! use in running text: rendered text is guarded against that here.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::manuscript::config_value_span;
use crate::model::{BibEntry, Citation, Inline, Span};
use crate::vfs::Limit;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, LocaleFile, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Library, LocatorPayload, SpecificLocator,
};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

mod biblatex_check;
mod builtin;
mod csl_check;
mod fields;
mod references;
mod yaml_check;

/// Why a file is refused before its parser sees it, and where.
pub(crate) struct Problem {
    pub range: Range<usize>,
    pub message: String,
}

impl Problem {
    fn new(range: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            range,
            message: message.into(),
        }
    }
}

/// Everything loaded for citing: the works, the style and its locales.
pub struct Bibliography {
    pub library: Library,
    pub style: IndependentStyle,
    pub locales: Vec<Locale>,
    pub locale: LocaleCode,
}

/// Loads references, style and locales named in `[bibliography]`. Problems are
/// reported with their place; `None` when citing is impossible.
pub fn load(
    fs: &dyn crate::vfs::Fs,
    config: &Config,
    dir: &Path,
    sources: &mut SourceMap,
    toml_file: usize,
    diags: &mut Diagnostics,
) -> Option<Bibliography> {
    let bc = &config.bibliography;
    let mut ok = true;

    let is_bib = bc.references.ends_with(".bib");
    let refs = read(
        fs,
        dir,
        &bc.references,
        Limit::References,
        sources,
        toml_file,
        diags,
    );
    let library = refs
        .as_ref()
        .and_then(|(text, file)| references::parse(text, is_bib, *file, diags));
    ok &= library.is_some();

    let style_text = match builtin::style_file(fs, dir, bc.style.as_deref()) {
        Some(name) => read(fs, dir, name, Limit::Style, sources, toml_file, diags),
        None => Some((
            builtin::STYLE.to_string(),
            sources.add("tsigni's built-in style.csl", builtin::STYLE),
        )),
    };
    let style = style_text
        .as_ref()
        .and_then(|(text, file)| parse_style(text, *file, diags));
    ok &= style.is_some();

    let mut locales = Vec::new();
    for name in &bc.locales {
        let locale = read(fs, dir, name, Limit::Style, sources, toml_file, diags)
            .and_then(|(text, file)| parse_locale(&text, file, diags));
        ok &= locale.is_some();
        locales.extend(locale);
    }
    if !ok {
        return None;
    }
    let (library, style) = (library?, style?);
    if let (Some((text, file)), Some((style_text, _)), false) = (&refs, &style_text, is_bib) {
        fields::warn(text, *file, style_text, diags);
    }
    let lang = &config.book.language;
    builtin::add_locale(&mut locales, lang);
    let has_locale = locales.iter().any(|l| {
        l.lang
            .as_ref()
            .is_some_and(|c| c.0 == *lang || c.0.split('-').next() == lang.split('-').next())
    });
    if !has_locale && lang != "en" && !lang.starts_with("en-") {
        diags.push(
            Diagnostic::warning(
                "locale-missing",
                format!("no CSL locale for language {lang:?}: citation terms may be missing"),
            )
            .in_file(dir.join("book.toml"))
            .note("name a locale file in [bibliography] locales = [\"locale-ka.xml\"]"),
        );
    }
    Some(Bibliography {
        library,
        style,
        locales,
        locale: LocaleCode(lang.clone()),
    })
}

/// A CSL style, refused before citationberg reads it when hayagriva could
/// not render it safely (see [`csl_check`]).
fn parse_style(text: &str, file: usize, diags: &mut Diagnostics) -> Option<IndependentStyle> {
    if report_csl(csl_check::check(text, true), "style", file, diags) {
        return None;
    }
    match IndependentStyle::from_xml(text) {
        Ok(s) => Some(s),
        Err(e) => {
            // A dependent style names a parent we cannot fetch; say so plainly.
            let msg = match Style::from_xml(text) {
                Ok(Style::Dependent(_)) => {
                    "a dependent CSL style; give the independent (parent) style".to_string()
                }
                _ => e.to_string(),
            };
            let at = place_of(text, &msg);
            report_csl(vec![Problem::new(at, msg)], "style", file, diags);
            None
        }
    }
}

fn parse_locale(text: &str, file: usize, diags: &mut Diagnostics) -> Option<Locale> {
    if report_csl(csl_check::check(text, false), "locale", file, diags) {
        return None;
    }
    match LocaleFile::from_xml(text).map(Locale::from) {
        Ok(l) => Some(l),
        Err(e) => {
            let msg = e.to_string();
            let at = place_of(text, &msg);
            report_csl(vec![Problem::new(at, msg)], "locale", file, diags);
            None
        }
    }
}

/// Where a citationberg error stands: it names the path of elements
/// (`Deserialization error occured at `bibliography.layout.…``), found
/// here in the XML; the start of the file when it names none.
fn place_of(text: &str, message: &str) -> Range<usize> {
    message
        .split('`')
        .nth(1)
        .and_then(|path| csl_check::locate(text, path))
        .unwrap_or(0..0)
}

/// Reports problems of a CSL `what` ("style" or "locale"); true if any.
fn report_csl(
    problems: Vec<Problem>,
    what: &'static str,
    file: usize,
    diags: &mut Diagnostics,
) -> bool {
    let any = !problems.is_empty();
    for p in problems {
        diags.push(
            Diagnostic::error(what, format!("cannot read CSL {what}: {}", p.message)).at(Span {
                file,
                start: p.range.start,
                end: p.range.end,
            }),
        );
    }
    any
}

fn read(
    fs: &dyn crate::vfs::Fs,
    dir: &Path,
    rel: &str,
    limit: Limit,
    sources: &mut SourceMap,
    toml_file: usize,
    diags: &mut Diagnostics,
) -> Option<(String, usize)> {
    let path = dir.join(rel);
    match fs.read_limited(&path, limit.bytes()) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let file = sources.add(path.display().to_string(), text.clone());
                Some((text, file))
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "not-utf8",
                        format!(
                            "{} is not UTF-8: invalid byte at offset {}",
                            path.display(),
                            e.utf8_error().valid_up_to()
                        ),
                    )
                    .in_file(&path)
                    .at(config_value_span(sources, toml_file, rel))
                    .label("named here"),
                );
                None
            }
        },
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "file-missing",
                    format!("cannot read {}: {e}", path.display()),
                )
                .at(config_value_span(sources, toml_file, rel))
                .label("named here"),
            );
            None
        }
    }
}

/// Renders every citation in place and returns the bibliography of the cited works.
pub fn cite(
    bib: &Bibliography,
    citations: &mut [Citation],
    diags: &mut Diagnostics,
) -> Vec<BibEntry> {
    let mut driver = BibliographyDriver::new();
    // Citations whose every key resolved, in the order given to the driver.
    let mut rendered_for: Vec<usize> = Vec::new();
    let mut warned: HashSet<String> = HashSet::new();
    let mut suggested = 0usize;
    for (ci, c) in citations.iter().enumerate() {
        let mut items = Vec::new();
        let mut all_found = true;
        for item in &c.items {
            match bib.library.get(&item.key) {
                Some(entry) => {
                    let locator = item
                        .locator
                        .as_deref()
                        .map(|l| SpecificLocator(Locator::Page, LocatorPayload::Str(l)));
                    items.push(CitationItem::with_locator(entry, locator));
                    let mut missing = Vec::new();
                    for (field, name) in
                        [("author", "author"), ("title", "title"), ("date", "year")]
                    {
                        // A chapter's year is its book's; hayagriva prints it.
                        let from_parent =
                            field == "date" && entry.parents().iter().any(|p| p.has(field));
                        if !entry.has(field) && !from_parent {
                            missing.push(name);
                        }
                    }
                    if !missing.is_empty() && warned.insert(item.key.clone()) {
                        diags.push(
                            Diagnostic::warning(
                                "incomplete-reference",
                                format!(
                                    "reference {} gives no {}: the bibliography shows only what is known",
                                    item.key,
                                    missing.join(", no ")
                                ),
                            )
                            .at(c.span)
                            .note("complete the entry in the references file when the work is identified; nothing is invented"),
                        );
                    }
                }
                None => {
                    all_found = false;
                    let mut d = Diagnostic::error(
                        "unknown-citation",
                        format!("citation key @{} is not in the references", item.key),
                    )
                    .at(c.span)
                    .label("cited here");
                    // Each suggestion compares the key with every reference:
                    // only the first few unknown keys (the ones shown) get one.
                    suggested += 1;
                    if suggested <= MAX_SUGGESTIONS {
                        if let Some(near) = closest_key(&bib.library, &item.key) {
                            d = d.note(format!("did you mean @{near}?"));
                        }
                    }
                    diags.push(d);
                }
            }
        }
        if all_found && !items.is_empty() {
            driver.citation(CitationRequest::new(
                items,
                &bib.style,
                Some(bib.locale.clone()),
                &bib.locales,
                None,
            ));
            rendered_for.push(ci);
        }
    }
    let rendered = driver.finish(BibliographyRequest::new(
        &bib.style,
        Some(bib.locale.clone()),
        &bib.locales,
    ));
    for (ci, r) in rendered_for.iter().zip(rendered.citations.iter()) {
        citations[*ci].rendered = to_inlines(&r.citation);
    }
    let mut entries = Vec::new();
    if let Some(b) = rendered.bibliography {
        for item in b.items {
            let mut content = Vec::new();
            if let Some(first) = &item.first_field {
                push_child(first, &mut content);
                content.push(Inline::Text(" ".into()));
            }
            content.extend(to_inlines(&item.content));
            entries.push(BibEntry {
                id: format!("ref-{}", sanitize_id(&item.key)),
                key: item.key,
                content,
            });
        }
    } else if !citations.is_empty() {
        diags.push(Diagnostic::warning(
            "no-bibliography",
            "the CSL style defines no bibliography: none is generated",
        ));
    }
    entries
}

/// Unknown citation keys that get a "did you mean" note.
const MAX_SUGGESTIONS: usize = 20;
/// Longer keys get no suggestion (the distance costs the product of lengths).
const MAX_SUGGESTED_KEY: usize = 64;

fn closest_key(library: &Library, key: &str) -> Option<String> {
    if key.len() > MAX_SUGGESTED_KEY {
        return None;
    }
    library
        .keys()
        // The distance is at least the difference in length.
        .filter(|k| k.len().abs_diff(key.len()) <= 2.max(k.len() / 4))
        .map(|k| (edit_distance(k, key), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Ids must be XML names; keys may hold characters that are not.
pub fn sanitize_id(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn to_inlines(children: &ElemChildren) -> Vec<Inline> {
    let mut out = Vec::new();
    for child in &children.0 {
        push_child(child, &mut out);
    }
    merge(out)
}

fn push_child(child: &ElemChild, out: &mut Vec<Inline>) {
    match child {
        ElemChild::Text(f) => push_formatted(&f.text, &f.formatting, out),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                push_child(c, out);
            }
        }
        ElemChild::Markup(m) => out.push(Inline::Text(guard_case(m))),
        ElemChild::Link { text, url } => {
            let mut content = Vec::new();
            push_formatted(&text.text, &text.formatting, &mut content);
            out.push(Inline::Link {
                url: url.clone(),
                content,
            });
        }
        ElemChild::Transparent { .. } => {}
    }
}

fn push_formatted(text: &str, f: &hayagriva::Formatting, out: &mut Vec<Inline>) {
    use hayagriva::citationberg::{FontStyle, FontWeight};
    let mut node = Inline::Text(guard_case(text));
    if f.font_style == FontStyle::Italic {
        node = Inline::Emphasis(vec![node]);
    }
    if f.font_weight == FontWeight::Bold {
        node = Inline::Strong(vec![node]);
    }
    out.push(node);
}

/// Mtavruli (U+1C90–U+1CBF) back to Mkhedruli (U+10D0–U+10FF): case rules
/// meant for Latin must not capitalise Georgian.
pub fn guard_case(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{1C90}'..='\u{1CBA}' | '\u{1CBD}'..='\u{1CBF}' => {
                char::from_u32(c as u32 - 0x1C90 + 0x10D0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

fn merge(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for i in inlines {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (Some(Inline::Emphasis(a)), Inline::Emphasis(b)) => {
                a.extend(b);
                let merged = merge(std::mem::take(a));
                *a = merged;
            }
            (_, i) => out.push(i),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtavruli_is_turned_back() {
        assert_eq!(guard_case("ᲩᲘᲜᲔᲗᲘ"), "ჩინეთი");
        assert_eq!(guard_case("Snow ჩინეთი"), "Snow ჩინეთი");
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("snow1961", "snow1916"), 2);
        assert_eq!(edit_distance("", "ab"), 2);
    }
}
