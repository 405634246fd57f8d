//! Pandoc's bracketed spans, `[text]{.smallcaps}` and `[текст]{lang=ru}`.
//! pulldown-cmark leaves a bracket pair that is no link as text, so the
//! spans are found among the inline nodes of one container: a `[` in text
//! opens a frame, a `]` directly followed by `{attributes}` closes it into
//! a span, any other `]` puts the brackets back as they were (citations,
//! `[^x]`, a plain `[sic]` keep their text). One pass over the text,
//! frames no deeper than the nesting cap.

use super::{Node, MAX_DEPTH};
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;

/// The attributes of a span that tsigni knows, and the ones it does not.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Attrs {
    pub smallcaps: bool,
    pub lang: Option<String>,
    /// Written but not understood (`.underline`, `#id`, `dir=rtl`).
    pub unknown: Vec<String>,
}

/// Groups bracketed spans in `nodes` into [`Node::Span`], nested at most
/// `room` deep (deeper brackets stay text).
pub(super) fn group<'a>(nodes: Vec<Node<'a>>, src: &str, room: usize) -> Vec<Node<'a>> {
    let nodes = merge_verbatim(nodes, src);
    if !nodes
        .iter()
        .any(|n| matches!(n, Node::Leaf(Event::Text(t), _) if t.contains('[')))
    {
        return nodes;
    }
    // frames[0] is the container; each open `[` adds one, with its offset.
    let mut frames: Vec<Vec<Node<'a>>> = vec![Vec::new()];
    let mut opens: Vec<usize> = Vec::new();
    for node in nodes {
        let (text, range) = match node {
            Node::Leaf(Event::Text(t), r) if verbatim(&t, &r, src) => (t, r),
            other => {
                top(&mut frames).push(other);
                continue;
            }
        };
        let base = range.start;
        let mut seg = 0;
        let mut i = 0;
        while i < text.len() {
            let c = text.as_bytes()[i];
            if c == b'[' && opens.len() < room.min(MAX_DEPTH) {
                push_text(&mut frames, &text[seg..i], base + seg);
                opens.push(base + i);
                frames.push(Vec::new());
                seg = i + 1;
            } else if c == b']' && !opens.is_empty() {
                let attrs = text[i + 1..]
                    .strip_prefix('{')
                    .and_then(|r| r.find('}').map(|e| &r[..e]))
                    .and_then(|inner| parse(inner).map(|a| (a, inner.len())));
                push_text(&mut frames, &text[seg..i], base + seg);
                let content = frames.pop().unwrap_or_default();
                let open = opens.pop().unwrap_or(base + i);
                match attrs {
                    Some((attrs, len)) => {
                        let end = base + i + len + 3;
                        top(&mut frames).push(Node::Span(attrs, open..end, content));
                        seg = i + len + 3;
                        i = seg;
                        continue;
                    }
                    None => {
                        push_text(&mut frames, "[", open);
                        top(&mut frames).extend(content);
                        push_text(&mut frames, "]", base + i);
                        seg = i + 1;
                    }
                }
            }
            i += 1;
        }
        push_text(&mut frames, &text[seg..], base + seg);
    }
    // Brackets never closed are text.
    while frames.len() > 1 {
        let content = frames.pop().unwrap_or_default();
        let open = opens.pop().unwrap_or(0);
        push_text(&mut frames, "[", open);
        top(&mut frames).extend(content);
    }
    frames.pop().unwrap_or_default()
}

fn top<'a, 'f>(frames: &'f mut Vec<Vec<Node<'a>>>) -> &'f mut Vec<Node<'a>> {
    if frames.is_empty() {
        frames.push(Vec::new());
    }
    let last = frames.len() - 1;
    &mut frames[last]
}

fn push_text(frames: &mut Vec<Vec<Node>>, s: &str, at: usize) {
    if !s.is_empty() {
        top(frames).push(Node::Leaf(
            Event::Text(CowStr::from(s.to_string())),
            at..at + s.len(),
        ));
    }
}

/// Whether a text event is its source exactly (an escaped `\[` is not, and
/// so never opens a span).
fn verbatim(t: &str, r: &Range<usize>, src: &str) -> bool {
    src.get(r.clone()) == Some(t)
}

/// Joins neighbouring text events that are their source and touch, so a
/// span's brackets and braces are seen together.
fn merge_verbatim<'a>(nodes: Vec<Node<'a>>, src: &str) -> Vec<Node<'a>> {
    let mut out: Vec<Node<'a>> = Vec::with_capacity(nodes.len());
    // The verbatim text being gathered: its source range (the text is
    // that slice, so it is copied once, when it ends).
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, out: &mut Vec<Node<'a>>| {
        if let Some(r) = run.take() {
            let text = src.get(r.clone()).unwrap_or_default().to_string();
            out.push(Node::Leaf(Event::Text(CowStr::from(text)), r));
        }
    };
    for n in nodes {
        if let Node::Leaf(Event::Text(t), r) = &n {
            if verbatim(t, r, src) {
                match &mut run {
                    Some(acc) if acc.end == r.start => acc.end = r.end,
                    _ => {
                        flush(&mut run, &mut out);
                        run = Some(r.clone());
                    }
                }
                continue;
            }
        }
        flush(&mut run, &mut out);
        out.push(n);
    }
    flush(&mut run, &mut out);
    out
}

/// Pandoc's attribute syntax: `.class`, `#id`, `key=value`, `key="value"`.
/// `None` when the braces hold something else (`{x}`), which stays text.
pub(crate) fn parse(inner: &str) -> Option<Attrs> {
    let mut attrs = Attrs::default();
    let mut rest = inner.trim();
    if rest.is_empty() || inner.contains('\n') {
        return None;
    }
    while !rest.is_empty() {
        let (token, value, after) = next_token(rest)?;
        match (token, value) {
            (".smallcaps", None) => attrs.smallcaps = true,
            ("lang", Some(v)) => attrs.lang = Some(v.to_string()),
            (t, None) if t.starts_with('.') || t.starts_with('#') => {
                attrs.unknown.push(t.to_string())
            }
            (k, Some(v)) if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                attrs.unknown.push(format!("{k}={v}"))
            }
            _ => return None,
        }
        rest = after.trim_start();
    }
    Some(attrs)
}

/// One token: a word, or `key=value` with the value perhaps quoted.
fn next_token(s: &str) -> Option<(&str, Option<&str>, &str)> {
    let end = s.find([' ', '=']).unwrap_or(s.len());
    let (key, after) = s.split_at(end);
    let Some(after) = after.strip_prefix('=') else {
        return Some((key, None, after));
    };
    if let Some(q) = after.strip_prefix('"') {
        let close = q.find('"')?;
        return Some((key, Some(&q[..close]), &q[close + 1..]));
    }
    let vend = after.find(' ').unwrap_or(after.len());
    if vend == 0 {
        return None;
    }
    Some((key, Some(&after[..vend]), &after[vend..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_known_unknown_and_not_attributes() {
        let a = parse(".smallcaps lang=ru").expect("attrs");
        assert!(a.smallcaps);
        assert_eq!(a.lang.as_deref(), Some("ru"));
        let b = parse(r#"lang="el" .underline dir=rtl"#).expect("attrs");
        assert_eq!(b.lang.as_deref(), Some("el"));
        assert_eq!(b.unknown, vec![".underline", "dir=rtl"]);
        assert_eq!(parse("x"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("lang="), None);
    }
}
