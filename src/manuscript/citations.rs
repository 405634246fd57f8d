//! Pandoc-style citations in running text: `[@snow1961, 96]`,
//! `[@li1997, 98; @zhang2009, 3]`. pulldown-cmark leaves them as text (they
//! are not links), so they are found in the merged text of each paragraph.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Citation, CiteItem, CrossRef, Inline, LabelKind, RefItem, Span};

/// Text pieces with the source offset of their first byte, so citations found
/// in them get a real place.
pub(super) enum Piece {
    Inline(Inline),
    Text(String, usize),
}

/// Markers `[^label]` that pulldown-cmark left as text because their file
/// defines no such note, as (chapter, label, place).
pub(super) type Unmatched = Vec<(usize, String, Span)>;

/// Cuts citations out of the pieces' text; `[^label]` markers left as text
/// go to `unmatched`, to be reported once every file's notes are known.
pub(super) fn extract(
    pieces: Vec<Piece>,
    (file, chapter): (usize, usize),
    diags: &mut Diagnostics,
    citations: &mut Vec<Citation>,
    refs: &mut Vec<CrossRef>,
    unmatched: &mut Unmatched,
) -> Vec<Inline> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut found = Found {
        diags,
        citations,
        refs,
        unmatched,
    };
    for p in pieces {
        match p {
            Piece::Inline(i) => out.push(i),
            Piece::Text(text, base) => {
                split_text(&text, base, (file, chapter), &mut found, &mut out)
            }
        }
    }
    out
}

/// Where `split_text` puts what it finds.
struct Found<'a> {
    diags: &'a mut Diagnostics,
    citations: &'a mut Vec<Citation>,
    /// Cross-references (`[@fig:map]`), which look like citations but name
    /// labels of the book.
    refs: &'a mut Vec<CrossRef>,
    unmatched: &'a mut Unmatched,
}

fn split_text(
    text: &str,
    base: usize,
    (file, chapter): (usize, usize),
    found: &mut Found,
    out: &mut Vec<Inline>,
) {
    let mut rest_start = 0;
    let mut search = 0;
    while let Some(rel) = text[search..].find('[') {
        let open = search + rel;
        let after = &text[open + 1..];
        // The innermost pair: a `[` before the next `]` opens it, so each
        // byte is looked at once even in `[[[[…]`.
        let Some(close_rel) = after.find(['[', ']']) else {
            break;
        };
        if after.as_bytes()[close_rel] == b'[' {
            search = open + 1 + close_rel;
            continue;
        }
        let inner = &after[..close_rel];
        let end = open + 1 + close_rel + 1;
        let span = Span {
            file,
            start: base + open,
            end: base + end,
        };
        if let Some(label) = inner.strip_prefix('^') {
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                found.unmatched.push((chapter, label.to_string(), span));
                push_text(&text[rest_start..open], out);
                rest_start = end;
            }
            search = end;
            continue;
        }
        if inner.trim_start().starts_with('@') {
            match parse_items(inner).and_then(refs_of) {
                Ok(Parsed::Refs(items)) => {
                    push_text(&text[rest_start..open], out);
                    out.push(Inline::Ref(found.refs.len()));
                    found.refs.push(CrossRef {
                        items,
                        chapter,
                        span,
                    });
                    rest_start = end;
                }
                Ok(Parsed::Citation(items)) => {
                    push_text(&text[rest_start..open], out);
                    out.push(Inline::Citation(found.citations.len()));
                    found.citations.push(Citation {
                        items,
                        chapter,
                        rendered: Vec::new(),
                        span,
                    });
                    rest_start = end;
                }
                Err(msg) => found.diags.push(
                    Diagnostic::error("bad-citation", format!("cannot read citation: {msg}"))
                        .at(span)
                        .note("write citations as [@key] or [@key, 96] or [@a, 1; @b, 2], cross-references as [@fig:map] or [@fig:map, page]"),
                ),
            }
            search = end;
            continue;
        }
        search = open + 1;
    }
    push_text(&text[rest_start..], out);
}

fn push_text(s: &str, out: &mut Vec<Inline>) {
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(s);
    } else {
        out.push(Inline::Text(s.to_string()));
    }
}

enum Parsed {
    Citation(Vec<CiteItem>),
    Refs(Vec<RefItem>),
}

/// Items whose keys all carry a label prefix (`fig:`, `tbl:`, `sec:`) are
/// cross-references; their only locator is `page`. A mix is an error.
fn refs_of(items: Vec<CiteItem>) -> Result<Parsed, String> {
    let labels = items
        .iter()
        .filter(|i| LabelKind::of(&i.key).is_some())
        .count();
    if labels == 0 {
        return Ok(Parsed::Citation(items));
    }
    if labels < items.len() {
        return Err("cross-references and citations are mixed in one bracket".into());
    }
    items
        .into_iter()
        .map(|i| {
            let page = match i.locator.as_deref() {
                None => false,
                Some("page") => true,
                Some(other) => {
                    return Err(format!(
                        "a cross-reference takes `, page` or nothing, not {other:?}"
                    ))
                }
            };
            Ok(RefItem {
                label: i.key,
                page,
                target: None,
                text: String::new(),
                page_label: None,
            })
        })
        .collect::<Result<_, _>>()
        .map(Parsed::Refs)
}

fn parse_items(inner: &str) -> Result<Vec<CiteItem>, String> {
    let mut items = Vec::new();
    for part in inner.split(';') {
        let part = part.trim();
        let Some(rest) = part.strip_prefix('@') else {
            return Err(format!("{part:?} does not start with @key"));
        };
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || "_-:.".contains(c)))
            .unwrap_or(rest.len());
        let key = rest[..key_len].trim_end_matches(['.', ':']);
        if key.is_empty() {
            return Err("empty citation key".into());
        }
        let after = rest[key.len()..].trim();
        let locator = match after.strip_prefix(',') {
            Some(l) => {
                let l = l.trim();
                let l = l
                    .strip_prefix("p.")
                    .or_else(|| l.strip_prefix("pp."))
                    .or_else(|| l.strip_prefix("გვ."))
                    .unwrap_or(l)
                    .trim();
                if l.is_empty() {
                    return Err(format!("empty locator after @{key},"));
                }
                Some(l.to_string())
            }
            None if after.is_empty() => None,
            None => return Err(format!("unexpected {after:?} after @{key}")),
        };
        items.push(CiteItem {
            key: key.to_string(),
            locator,
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_with_and_without_locators() {
        assert_eq!(
            parse_items("@snow1961, 96").unwrap(),
            vec![CiteItem {
                key: "snow1961".into(),
                locator: Some("96".into())
            }]
        );
        let two = parse_items("@li1997, p. 98; @xu").unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(two[0].locator.as_deref(), Some("98"));
        assert_eq!(two[1].locator, None);
        assert!(parse_items("@").is_err());
        assert!(parse_items("@a b").is_err());
    }

    #[test]
    fn citation_is_cut_out_of_text() {
        let mut diags = Diagnostics::default();
        let mut cites = Vec::new();
        let mut refs = Vec::new();
        let out = extract(
            vec![Piece::Text(
                "ტექსტი [@snow1961, 96]. შემდეგ [@fig:a; @sec:b, page]".into(),
                10,
            )],
            (0, 0),
            &mut diags,
            &mut cites,
            &mut refs,
            &mut Vec::new(),
        );
        assert_eq!(
            out,
            vec![
                Inline::Text("ტექსტი ".into()),
                Inline::Citation(0),
                Inline::Text(". შემდეგ ".into()),
                Inline::Ref(0),
            ]
        );
        assert_eq!(refs[0].items.len(), 2);
        assert!(!refs[0].items[0].page && refs[0].items[1].page);
        assert_eq!(cites[0].span.start, 10 + "ტექსტი ".len());
        assert!(diags.is_empty());
    }
}
