//! The one traversal of the model that every pass uses (font coverage, the
//! images a book shows, plain text, catalogue facts), in reading order.
//!
//! It keeps its own stack instead of recursing, so that no nesting a
//! manuscript can write overflows the thread's stack, whatever the reader
//! let through.

use super::{Block, Book, Inline, Span};

/// The marks inherited by an inline from the elements around it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// Inside `**strong**` or a heading.
    pub strong: bool,
    /// Inside `*emphasis*`.
    pub emphasis: bool,
}

/// One step of a traversal.
#[derive(Debug, Clone, Copy)]
pub enum Visit<'a> {
    /// A block, before its content.
    Block(&'a Block),
    /// An inline, before its content, with the marks around it and the span
    /// of the block it stands in (none in a bibliography entry).
    Inline(&'a Inline, Marks, Option<Span>),
}

enum Frame<'a> {
    Blocks(std::slice::Iter<'a, Block>),
    Items(std::slice::Iter<'a, Vec<Block>>),
    Inlines(std::slice::Iter<'a, Inline>, Marks, Option<Span>),
    Definitions(std::slice::Iter<'a, super::blocks::Definition>, Span),
    Lines(std::slice::Iter<'a, super::blocks::VerseLine>, Span),
    /// A table's caption and cells, each a list of inlines.
    Cells(std::vec::IntoIter<&'a Vec<Inline>>, Option<Span>),
}

/// Visits `blocks` and everything inside them, in reading order.
pub fn blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(Visit<'a>)) {
    run(vec![Frame::Blocks(blocks.iter())], f)
}

/// Visits `inlines` and everything inside them, in reading order.
pub fn inlines<'a>(
    inlines: &'a [Inline],
    marks: Marks,
    span: Option<Span>,
    f: &mut dyn FnMut(Visit<'a>),
) {
    run(vec![Frame::Inlines(inlines.iter(), marks, span)], f)
}

fn run<'a>(mut stack: Vec<Frame<'a>>, f: &mut dyn FnMut(Visit<'a>)) {
    while let Some(top) = stack.last_mut() {
        match top {
            Frame::Blocks(it) => {
                let Some(b) = it.next() else {
                    stack.pop();
                    continue;
                };
                f(Visit::Block(b));
                if let Some(inner) = enter_block(b) {
                    stack.push(inner);
                }
            }
            Frame::Items(it) => match it.next() {
                Some(item) => stack.push(Frame::Blocks(item.iter())),
                None => {
                    stack.pop();
                }
            },
            Frame::Definitions(it, span) => {
                let span = *span;
                match it.next() {
                    // The term is read before its definitions: pushed last.
                    Some(d) => {
                        stack.push(Frame::Items(d.definitions.iter()));
                        let strong = Marks {
                            strong: true,
                            emphasis: false,
                        };
                        stack.push(Frame::Inlines(d.term.iter(), strong, Some(span)));
                    }
                    None => {
                        stack.pop();
                    }
                }
            }
            Frame::Lines(it, span) => {
                let span = *span;
                match it.next() {
                    Some(l) => stack.push(Frame::Inlines(
                        l.content.iter(),
                        Marks::default(),
                        Some(span),
                    )),
                    None => {
                        stack.pop();
                    }
                }
            }
            Frame::Cells(it, span) => {
                let span = *span;
                match it.next() {
                    Some(c) => stack.push(Frame::Inlines(c.iter(), Marks::default(), span)),
                    None => {
                        stack.pop();
                    }
                }
            }
            Frame::Inlines(it, marks, span) => {
                let (marks, span) = (*marks, *span);
                let Some(i) = it.next() else {
                    stack.pop();
                    continue;
                };
                f(Visit::Inline(i, marks, span));
                let inner = match i {
                    Inline::Emphasis(c) => Some((
                        c,
                        Marks {
                            emphasis: true,
                            ..marks
                        },
                    )),
                    Inline::Strong(c) => Some((
                        c,
                        Marks {
                            strong: true,
                            ..marks
                        },
                    )),
                    Inline::Link { content, .. } | Inline::Marked(_, content) => {
                        Some((content, marks))
                    }
                    Inline::Lang(l) => Some((&l.content, marks)),
                    _ => None,
                };
                if let Some((c, m)) = inner {
                    stack.push(Frame::Inlines(c.iter(), m, span));
                }
            }
        }
    }
}

fn enter_block(b: &Block) -> Option<Frame<'_>> {
    match b {
        Block::Heading(h) => Some(Frame::Inlines(
            h.content.iter(),
            Marks {
                strong: true,
                emphasis: false,
            },
            Some(h.span),
        )),
        Block::Paragraph { content, span } => Some(Frame::Inlines(
            content.iter(),
            Marks::default(),
            Some(*span),
        )),
        Block::List { items, .. } => Some(Frame::Items(items.iter())),
        Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => {
            Some(Frame::Blocks(blocks.iter()))
        }
        Block::DefinitionList { items, span } => Some(Frame::Definitions(items.iter(), *span)),
        Block::LineBlock { lines, span } => Some(Frame::Lines(lines.iter(), *span)),
        Block::Table(t) => Some(Frame::Cells(
            t.inline_lists().collect::<Vec<_>>().into_iter(),
            Some(t.span),
        )),
        Block::Figure(f) => Some(Frame::Inlines(
            f.caption.iter(),
            Marks::default(),
            Some(f.span),
        )),
        Block::CodeBlock { .. } | Block::ThematicBreak { .. } => None,
    }
}

/// Visits the whole text of the book in reading order: the chapters, then
/// the notes, the rendered citations and the bibliography's entries.
pub fn book<'a>(book: &'a Book, f: &mut dyn FnMut(Visit<'a>)) {
    for c in &book.chapters {
        blocks(&c.blocks, f);
    }
    for n in &book.notes {
        blocks(&n.blocks, f);
    }
    for c in &book.citations {
        inlines(&c.rendered, Marks::default(), Some(c.span), f);
    }
    for e in &book.bibliography {
        inlines(&e.content, Marks::default(), None, f);
    }
}

/// Calls `f` on every block of `blocks` and of the blocks they contain
/// (list items, quotes, epigraphs, definitions), in reading order, each
/// before its contents: the one walk for passes that change blocks in place
/// (numbering figures and tables). An explicit stack, as [`blocks`] has.
pub fn blocks_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    let mut stack = vec![blocks.iter_mut()];
    while let Some(it) = stack.last_mut() {
        let Some(b) = it.next() else {
            stack.pop();
            continue;
        };
        f(b);
        // Pushed last-first, so that the first child is walked first.
        match b {
            Block::List { items, .. } => stack.extend(items.iter_mut().rev().map(|i| i.iter_mut())),
            Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => {
                stack.push(blocks.iter_mut())
            }
            Block::DefinitionList { items, .. } => stack.extend(
                items
                    .iter_mut()
                    .rev()
                    .flat_map(|d| d.definitions.iter_mut().rev())
                    .map(|d| d.iter_mut()),
            ),
            Block::Heading(_)
            | Block::Paragraph { .. }
            | Block::CodeBlock { .. }
            | Block::Figure(_)
            | Block::ThematicBreak { .. }
            | Block::LineBlock { .. }
            | Block::Table(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn visits_in_reading_order_with_inherited_marks() {
        let span = Span::default();
        let blocks_ = vec![
            Block::Paragraph {
                content: vec![
                    text("a"),
                    Inline::Strong(vec![Inline::Emphasis(vec![text("b")])]),
                    text("c"),
                ],
                span,
            },
            Block::List {
                start: None,
                items: vec![vec![Block::Paragraph {
                    content: vec![text("d")],
                    span,
                }]],
                span,
            },
        ];
        let mut seen = Vec::new();
        blocks(&blocks_, &mut |v| {
            if let Visit::Inline(Inline::Text(t), m, _) = v {
                seen.push((t.clone(), m.strong, m.emphasis));
            }
        });
        let want = [
            ("a", false, false),
            ("b", true, true),
            ("c", false, false),
            ("d", false, false),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(t, s, e)| (t.to_string(), *s, *e))
            .collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn nesting_deeper_than_any_stack_is_walked() {
        let mut deep = vec![text("x")];
        for _ in 0..200_000 {
            deep = vec![Inline::Emphasis(deep)];
        }
        let mut texts = 0;
        inlines(&deep, Marks::default(), None, &mut |v| {
            if let Visit::Inline(Inline::Text(_), m, _) = v {
                assert!(m.emphasis);
                texts += 1;
            }
        });
        assert_eq!(texts, 1);
        // Dropping such a tree recurses too (Vec's drop glue); leak it in the test.
        std::mem::forget(deep);
    }

    #[test]
    fn blocks_mut_reaches_every_container_in_reading_order() {
        let span = Span::default();
        let para = |s: &str| Block::Paragraph {
            content: vec![text(s)],
            span,
        };
        let mut blocks_ = vec![
            Block::Epigraph {
                blocks: vec![para("a")],
                span,
            },
            Block::List {
                start: None,
                items: vec![vec![para("b")], vec![para("c")]],
                span,
            },
            Block::DefinitionList {
                items: vec![crate::model::blocks::Definition {
                    term: vec![text("term")],
                    definitions: vec![vec![para("d")], vec![para("e")]],
                }],
                span,
            },
            Block::BlockQuote {
                blocks: vec![para("f")],
                span,
            },
        ];
        let mut seen = String::new();
        blocks_mut(&mut blocks_, &mut |b| {
            if let Block::Paragraph { content, .. } = b {
                if let [Inline::Text(t)] = content.as_slice() {
                    seen.push_str(t);
                }
            }
        });
        assert_eq!(seen, "abcdef");
    }
}
