//! Reference fields that nothing reads. hayagriva skips a key it does not
//! know without a word, so `lcoation:` or a top-level `location:` (meant as
//! the place of publication) silently vanished from the book. This pass reads
//! the block-style YAML a second time, only for its keys and where they
//! stand, and names each key that hayagriva ignores or the style never
//! prints, with the field that was probably meant.
//!
//! It is a line scanner, not a YAML parser: serde_yaml reports no places for
//! keys it accepted. Keys inside flow collections spanning lines, and inside
//! multi-line plain scalars, are not checked; the check can only stay
//! silent there, never warn about a key that is fine.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Span;
use std::collections::HashSet;
use std::ops::Range;

/// A key that nothing reads, where it stands, and what was probably meant.
#[derive(Debug, PartialEq)]
pub(crate) struct Finding {
    pub range: Range<usize>,
    pub message: String,
    pub note: Option<String>,
}

/// Where a key stands decides which keys are known there.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ctx {
    /// The top level: cite keys.
    Keys,
    /// An entry's own fields (`top` for a cited entry, not a parent).
    Entry {
        top: bool,
    },
    Publisher,
    Url,
    /// A string that may be written `{value: …, short: …}`.
    Text,
    Person,
    Affiliated,
    /// Anything goes (serial numbers, dates) or the scanner is unsure.
    Free,
}

const ENTRY: &[&str] = &[
    "type",
    "parent",
    "title",
    "author",
    "date",
    "editor",
    "affiliated",
    "publisher",
    "location",
    "organization",
    "issue",
    "chapter",
    "volume",
    "volume-total",
    "edition",
    "page-range",
    "page-total",
    "time-range",
    "runtime",
    "url",
    "serial-number",
    "serial",
    "language",
    "archive",
    "archive-location",
    "call-number",
    "note",
    "abstract",
    "genre",
];
const PUBLISHER: &[&str] = &["name", "location"];
const URL: &[&str] = &["value", "date"];
const TEXT: &[&str] = &["value", "short"];
const PERSON: &[&str] = &[
    "name",
    "given-name",
    "prefix",
    "suffix",
    "comma-suffix",
    "alias",
];
const AFFILIATED: &[&str] = &["names", "role"];

/// Names from other reference formats (BibLaTeX, CSL-JSON, Zotero) that
/// newcomers write, and where hayagriva wants them.
const ELSEWHERE: &[(&str, &str)] = &[
    ("place", "publisher.location"),
    ("address", "publisher.location"),
    ("city", "publisher.location"),
    ("publisher-place", "publisher.location"),
    ("year", "date"),
    ("issued", "date"),
    ("pages", "page-range"),
    ("page", "page-range"),
    ("doi", "serial-number.doi"),
    ("isbn", "serial-number.isbn"),
    ("issn", "serial-number.issn"),
    ("journal", "parent.title (with parent.type: periodical)"),
    (
        "journaltitle",
        "parent.title (with parent.type: periodical)",
    ),
    ("container-title", "parent.title"),
    ("booktitle", "parent.title (with parent.type: anthology)"),
    (
        "translator",
        "affiliated: [{role: translator, names: [...]}]",
    ),
    ("number", "issue"),
    ("given", "author: {name: …, given-name: …}"),
    ("family", "author: {name: …, given-name: …}"),
];

/// Entry fields a style prints through one CSL variable; a field whose
/// variable the style never names is dropped from the book.
const PRINTED_AS: &[(&str, &str)] = &[
    ("edition", "edition"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("page-range", "page"),
    ("note", "note"),
    ("abstract", "abstract"),
    ("genre", "genre"),
    ("archive", "archive"),
    ("archive-location", "archive_location"),
    ("call-number", "call-number"),
    ("url", "URL"),
    ("chapter", "chapter-number"),
    ("volume-total", "number-of-volumes"),
    ("page-total", "number-of-pages"),
];

fn known(ctx: Ctx) -> &'static [&'static str] {
    match ctx {
        Ctx::Entry { .. } => ENTRY,
        Ctx::Publisher => PUBLISHER,
        Ctx::Url => URL,
        Ctx::Text => TEXT,
        Ctx::Person => PERSON,
        Ctx::Affiliated => AFFILIATED,
        Ctx::Keys | Ctx::Free => &[],
    }
}

/// The context of the keys nested under `key` written in `ctx`.
fn child(ctx: Ctx, key: &str) -> Ctx {
    match (ctx, key) {
        (Ctx::Keys, _) => Ctx::Entry { top: true },
        (Ctx::Entry { .. }, "parent") => Ctx::Entry { top: false },
        (Ctx::Entry { .. }, "publisher") => Ctx::Publisher,
        (Ctx::Entry { .. }, "url") => Ctx::Url,
        (Ctx::Entry { .. }, "author" | "editor") | (Ctx::Affiliated, "names") => Ctx::Person,
        (Ctx::Entry { .. }, "affiliated") => Ctx::Affiliated,
        (
            Ctx::Entry { .. },
            "title" | "location" | "organization" | "archive" | "archive-location" | "call-number"
            | "note" | "abstract" | "genre",
        )
        | (Ctx::Publisher, _) => Ctx::Text,
        _ => Ctx::Free,
    }
}

/// The CSL variables a style names anywhere (`variable="a b"`).
pub(crate) fn style_variables(style: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for part in style.split("variable=\"").skip(1) {
        if let Some(end) = part.find('"') {
            out.extend(part[..end].split_whitespace().map(str::to_string));
        }
    }
    out
}

/// Checks the keys of a YAML references file against what hayagriva reads
/// and, through `printed`, what the style prints (`None`: not checked).
pub(crate) fn check(src: &str, printed: Option<&HashSet<String>>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut unprinted: HashSet<&str> = HashSet::new();
    let mut stack = vec![Level {
        col: 0,
        ctx: Ctx::Keys,
        opened: None,
    }];
    let mut block_scalar_over: Option<usize> = None;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let rest = body[indent..].trim_end();
        if rest.is_empty() || rest.starts_with('#') || rest == "---" {
            continue;
        }
        if let Some(limit) = block_scalar_over {
            if indent > limit {
                continue;
            }
            block_scalar_over = None;
        }
        let (col, text) = after_dashes(body, indent);
        let Some((key, value)) = split_key(text) else {
            continue; // a scalar item or a continued value
        };
        while stack.len() > 1 && stack.last().is_some_and(|l| l.col > col) {
            stack.pop();
        }
        let Some(top) = stack.last() else { break };
        if top.col < col {
            let ctx = top.opened.unwrap_or(Ctx::Free);
            stack.push(Level {
                col,
                ctx,
                opened: None,
            });
        }
        let Some(level) = stack.last_mut() else { break };
        let ctx = level.ctx;
        let quoted = usize::from(text.starts_with(['"', '\'']));
        judge(
            ctx,
            key,
            start + col + quoted,
            printed,
            &mut unprinted,
            &mut out,
        );
        let value = strip_comment(value);
        level.opened = value.is_empty().then(|| child(ctx, key));
        if value.starts_with(['|', '>']) {
            block_scalar_over = Some(indent);
        } else if let Some(inner) = value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            // `value` lies inside `line`: its offset there, past the brace.
            let at = start + (value.as_ptr() as usize - line.as_ptr() as usize) + 1;
            flow_keys(
                child(ctx, key),
                inner,
                at,
                printed,
                &mut unprinted,
                &mut out,
            );
        }
    }
    out
}

/// Keys at one column: their context, and the context of the keys nested
/// under the last of them (`None` when it had a value on its line).
struct Level {
    col: usize,
    ctx: Ctx,
    opened: Option<Ctx>,
}

/// The column and text of a line after any `- ` sequence markers.
fn after_dashes(body: &str, mut col: usize) -> (usize, &str) {
    let mut text = &body[col..];
    while let Some(rest) = text.strip_prefix("- ").or_else(|| text.strip_prefix("-\t")) {
        let item = rest.trim_start();
        col += 2 + rest.len() - item.len();
        text = item;
    }
    (col, text)
}

/// `key: value` → (key, value); quoted keys unquoted. `None` for a line that
/// holds no key (a scalar, a flow collection, a URL-like `a:b`).
fn split_key(text: &str) -> Option<(&str, &str)> {
    if let Some(q) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = text[1..].find(q)? + 1;
        let after = text[end + 1..].strip_prefix(':')?;
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            return None;
        }
        return Some((&text[1..end], after.trim_start()));
    }
    if text.starts_with(['[', '{', '&', '*', '!', '|', '>', '%', '@', '`']) {
        return None;
    }
    let colon = match text.find(": ") {
        Some(i) => i,
        None if text.ends_with(':') => text.len() - 1,
        None => return None,
    };
    let key = text[..colon].trim_end();
    if key.is_empty() || key.contains('#') {
        return None;
    }
    Some((key, text[colon + 1..].trim_start()))
}

fn strip_comment(value: &str) -> &str {
    if value.starts_with('#') {
        return "";
    }
    match value.find(" #") {
        Some(i) if !value.starts_with(['"', '\'']) => value[..i].trim_end(),
        _ => value,
    }
}

/// Keys of a one-line flow map `{name: X, location: Y}`; nested braces or
/// quotes holding commas are left unchecked.
fn flow_keys(
    ctx: Ctx,
    inner: &str,
    at: usize,
    printed: Option<&HashSet<String>>,
    unprinted: &mut HashSet<&'static str>,
    out: &mut Vec<Finding>,
) {
    if inner.contains(['{', '[', '"', '\'']) {
        return;
    }
    let mut pos = 0;
    for part in inner.split(',') {
        let lead = part.len() - part.trim_start().len();
        if let Some((key, _)) = part.trim_start().split_once(':') {
            let key = key.trim_end();
            if !key.is_empty() {
                judge(ctx, key, at + pos + lead, printed, unprinted, out);
            }
        }
        pos += part.len() + 1;
    }
}

fn judge(
    ctx: Ctx,
    key: &str,
    at: usize,
    printed: Option<&HashSet<String>>,
    unprinted: &mut HashSet<&'static str>,
    out: &mut Vec<Finding>,
) {
    let names = known(ctx);
    let range = at..at + key.len();
    if names.is_empty() || key == "<<" {
        return;
    }
    if let Some(&field) = names.iter().find(|n| **n == key) {
        if ctx == (Ctx::Entry { top: true }) {
            not_printed(field, range, printed, unprinted, out);
        }
        return;
    }
    let lower = key.to_ascii_lowercase();
    let hint = ELSEWHERE
        .iter()
        .find(|(k, _)| *k == lower)
        .map(|(_, to)| to.to_string())
        .or_else(|| closest(names, &lower).map(str::to_string));
    out.push(Finding {
        range,
        message: format!("unknown reference field `{key}`: hayagriva ignores it"),
        note: Some(match hint {
            Some(h) => format!("did you mean `{h}`?"),
            None => format!("the fields read here are: {}", names.join(", ")),
        }),
    });
}

/// A known top-level field that the book will not show: a top-level
/// `location` (hayagriva's place of an event, read only from a parent), or
/// a field whose CSL variable the style never names. Said once a field.
fn not_printed(
    field: &'static str,
    range: Range<usize>,
    printed: Option<&HashSet<String>>,
    unprinted: &mut HashSet<&'static str>,
    out: &mut Vec<Finding>,
) {
    if field == "location" {
        out.push(Finding {
            range,
            message: "a top-level `location` is printed by no style: hayagriva reads it as the place of an event, and only from a parent".into(),
            note: Some("did you mean `publisher.location`? write `publisher: {name: …, location: …}`".into()),
        });
        return;
    }
    let Some(printed) = printed else { return };
    let Some(&(_, var)) = PRINTED_AS.iter().find(|(f, _)| *f == field) else {
        return;
    };
    if !printed.contains(var) && unprinted.insert(field) {
        out.push(Finding {
            range,
            message: format!(
                "the style prints no `{field}` (CSL variable `{var}`): this field is not in the book"
            ),
            note: Some(
                "use tsigni's built-in style (leave `style` out of [bibliography]) or a style that prints it"
                    .into(),
            ),
        });
    }
}

/// The known name nearest a misspelt one, if near enough to be a typo.
fn closest(names: &[&'static str], key: &str) -> Option<&'static str> {
    names
        .iter()
        .map(|n| (super::edit_distance(n, key), *n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4) && *d < n.len())
        .min()
        .map(|(_, n)| n)
}

/// Pushes a warning for each field of a YAML references file (`file`) that
/// nothing reads or that `style` does not print.
pub(crate) fn warn(refs: &str, file: usize, style: &str, diags: &mut Diagnostics) {
    let printed = style_variables(style);
    for f in check(refs, Some(&printed)) {
        let mut d = Diagnostic::warning("reference-field", f.message).at(Span {
            file,
            start: f.range.start,
            end: f.range.end,
        });
        if let Some(note) = f.note {
            d = d.note(note);
        }
        diags.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(src: &str, printed: Option<&HashSet<String>>) -> Vec<(String, Option<String>)> {
        check(src, printed)
            .into_iter()
            .map(|f| (src[f.range].to_string(), f.note))
            .collect()
    }

    #[test]
    fn a_complete_entry_passes() {
        let src = "kek2000:\n  type: book\n  title: {value: \"ისტორია: ტ. 1\", short: ისტორია}\n  author:\n    - კეკელიძე, კორნელი\n    - name: Li\n      given-name: Wei\n  edition: 2\n  publisher:\n    name: მეცნიერება\n    location: თბილისი\n  serial-number:\n    isbn: 978-0\n  note: |\n    place: not a key\n    year: neither\n  parent:\n    - type: anthology\n      title: Book\n      editor: [A]\n";
        assert_eq!(keys(src, None), vec![]);
    }

    #[test]
    fn a_top_level_location_points_to_the_publisher() {
        let src = "snow1961:\n  type: book\n  location: London\n";
        let found = check(src, None);
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].range.clone()], "location");
        assert!(found[0]
            .note
            .as_deref()
            .unwrap()
            .contains("publisher.location"));
        // Inside a parent (a conference) it is the event's place: fine.
        let ok = "p:\n  type: article\n  parent:\n    type: conference\n    location: Tbilisi\n";
        assert_eq!(keys(ok, None), vec![]);
    }

    #[test]
    fn typos_and_foreign_names_get_the_field_meant() {
        let src = "a:\n  type: book\n  auther: X\n  publisher: {name: P, lcoation: L}\n  year: 1999\nb:\n  editr: X\n  editor:\n    - name: Y\n      givenname: Z\n";
        let got = keys(src, None);
        let want = [
            ("auther", "`author`"),
            ("lcoation", "`location`"),
            ("year", "`date`"),
            ("editr", "`editor`"),
            ("givenname", "`given-name`"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((key, note), (k, n)) in got.iter().zip(want) {
            assert_eq!(key, k);
            assert!(note.as_deref().unwrap().contains(n), "{key}: {note:?}");
        }
    }

    #[test]
    fn a_field_the_style_never_prints_is_named_once() {
        let printed =
            style_variables(r#"<text variable="title"/><names variable="author editor"/>"#);
        assert!(printed.contains("editor"));
        let src = "a:\n  type: book\n  edition: 2\nb:\n  type: book\n  edition: 3\n";
        let got = check(src, Some(&printed));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].range, 18..25);
        assert!(got[0].message.contains("edition"));
        let with_edition = style_variables(r#"<number variable="edition"/>"#);
        assert!(check(src, Some(&with_edition)).is_empty());
    }
}
