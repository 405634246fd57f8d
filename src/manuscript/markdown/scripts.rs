//! Superscript and subscript inside a word (`10 m^2^`, `H~2~O`), as pandoc
//! reads them: pulldown-cmark treats a single `^` or `~` like `_`, never
//! inside a word, and leaves such a pair as text. The pair holds no space
//! (pandoc's rule) and no further marker of its kind.

use super::Node;
use pulldown_cmark::{CowStr, Event, Tag};

/// Splits the text leaves of `nodes` around `^x^` and `~x~` pairs.
pub(super) fn split<'a>(nodes: Vec<Node<'a>>, src: &str) -> Vec<Node<'a>> {
    if !nodes
        .iter()
        .any(|n| matches!(n, Node::Leaf(Event::Text(t), _) if t.contains(['^', '~'])))
    {
        return nodes;
    }
    let mut out = Vec::with_capacity(nodes.len());
    for n in nodes {
        match n {
            Node::Leaf(Event::Text(t), r) if src.get(r.clone()) == Some(&*t) => {
                split_text(&t, r.start, &mut out)
            }
            other => out.push(other),
        }
    }
    out
}

fn split_text<'a>(t: &str, base: usize, out: &mut Vec<Node<'a>>) {
    let leaf = |s: &str, at: usize| {
        Node::Leaf(
            Event::Text(CowStr::from(s.to_string())),
            base + at..base + at + s.len(),
        )
    };
    let mut from = 0;
    let mut i = 0;
    let b = t.as_bytes();
    while i < b.len() {
        let c = b[i];
        let single =
            (c == b'^' || c == b'~') && b.get(i + 1) != Some(&c) && (i == 0 || b[i - 1] != c);
        if single {
            let body_end = t[i + 1..]
                .find(|ch: char| ch.is_whitespace() || ch as u32 == c as u32)
                .map(|e| i + 1 + e);
            if let Some(e) =
                body_end.filter(|&e| e > i + 1 && b[e] == c && b.get(e + 1) != Some(&c))
            {
                if from < i {
                    out.push(leaf(&t[from..i], from));
                }
                let tag = if c == b'^' {
                    Tag::Superscript
                } else {
                    Tag::Subscript
                };
                out.push(Node::Tag(
                    tag,
                    base + i..base + e + 1,
                    vec![leaf(&t[i + 1..e], i + 1)],
                ));
                i = e + 1;
                from = i;
                continue;
            }
        }
        i += 1;
    }
    if from < t.len() {
        out.push(leaf(&t[from..], from));
    }
}
