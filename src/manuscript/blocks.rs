//! Blocks pandoc's Markdown has beyond CommonMark: definition lists (which
//! pulldown-cmark parses), line blocks for verse (which it does not: their
//! `| ` lines reach us as one paragraph, and are split here at its line
//! ends) and epigraphs (a block quote opening a chapter, attributed).

use super::citations::Piece;
use super::markdown::{cite_pieces, convert_inlines, convert_inlines_top, convert_item, Ctx, Node};
use super::quotes::Quoter;
use crate::model::blocks::{Definition, VerseLine};
use crate::model::{Block, Inline, Span};
use pulldown_cmark::{CowStr, Event, Tag};
use std::ops::Range;

/// The paragraph's lines, cut at its line ends (soft or hard breaks).
fn lines_of<'a>(children: Vec<Node<'a>>) -> Vec<Vec<Node<'a>>> {
    let mut lines = vec![Vec::new()];
    for n in children {
        match n {
            Node::Leaf(Event::SoftBreak | Event::HardBreak, _) => lines.push(Vec::new()),
            other => {
                if let Some(l) = lines.last_mut() {
                    l.push(other)
                }
            }
        }
    }
    lines
}

/// The text a line opens with, when it opens with text.
fn opening_text<'b>(line: &'b [Node]) -> Option<&'b str> {
    match line.first() {
        Some(Node::Leaf(Event::Text(t), _)) => Some(t),
        _ => None,
    }
}

/// `|` alone or followed by a space: a line of a line block.
fn is_verse_line(text: &str) -> bool {
    text == "|" || text.starts_with("| ")
}

/// The delimiter row of a pipe table (`|---|:--:|`), which makes the lines
/// a table, not verse.
fn is_table_delimiter(text: &str) -> bool {
    let t = text.trim();
    t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Is this paragraph a line block: its first line a verse line, and no line
/// a pipe table's delimiter row?
pub(super) fn is_line_block(children: &[Node]) -> bool {
    let Some(first) = opening_text(children) else {
        return false;
    };
    if !is_verse_line(first) {
        return false;
    }
    let mut at_line_start = true;
    for n in children {
        match n {
            Node::Leaf(Event::SoftBreak | Event::HardBreak, _) => at_line_start = true,
            Node::Leaf(Event::Text(t), _) if at_line_start => {
                if is_table_delimiter(t) {
                    return false;
                }
                at_line_start = false;
            }
            _ => at_line_start = false,
        }
    }
    true
}

/// A line block: each `| ` line one line of verse, the spaces after `| `
/// kept as its indent; a line not opening with `|` continues the one
/// before (pandoc's continuation lines).
pub(super) fn line_block(children: Vec<Node>, range: Range<usize>, ctx: &mut Ctx) -> Block {
    let mut verse: Vec<(usize, Vec<Piece>)> = Vec::new();
    let mut quoter = Quoter::new();
    for mut line in lines_of(children) {
        let indent = match strip_bar(&mut line) {
            Some(indent) => indent,
            None if !verse.is_empty() => {
                let pieces = convert_inlines(line, ctx, &mut quoter);
                if let Some((_, prev)) = verse.last_mut() {
                    prev.push(Piece::Text(" ".into(), range.start));
                    prev.extend(pieces);
                }
                continue;
            }
            None => 0,
        };
        verse.push((indent, convert_inlines(line, ctx, &mut quoter)));
    }
    let lines = verse
        .into_iter()
        .map(|(indent, pieces)| VerseLine {
            indent,
            content: cite_pieces(pieces, ctx),
        })
        .collect();
    Block::LineBlock {
        lines,
        span: ctx.span(&range),
    }
}

/// Takes `| ` and the indent after it off a line's opening text; the
/// indent in spaces, or `None` for a line that does not open with `|`.
fn strip_bar(line: &mut Vec<Node>) -> Option<usize> {
    let Some(Node::Leaf(Event::Text(t), r)) = line.first_mut() else {
        return None;
    };
    if !is_verse_line(t) {
        return None;
    }
    let rest = &t[1..];
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let body = rest.trim_start_matches([' ', '\u{a0}']);
    let indent = rest[..rest.len() - body.len()].chars().count();
    let cut = t.len() - body.len();
    let body = body.to_string();
    r.start += cut;
    if body.is_empty() {
        line.remove(0);
    } else {
        *t = CowStr::from(body);
    }
    Some(indent)
}

/// A definition list: each term with the definitions that follow it.
pub(super) fn definition_list(children: Vec<Node>, range: Range<usize>, ctx: &mut Ctx) -> Block {
    let mut items: Vec<Definition> = Vec::new();
    for child in children {
        match child {
            Node::Tag(Tag::DefinitionListTitle, _, inlines) => items.push(Definition {
                term: convert_inlines_top(inlines, ctx),
                definitions: Vec::new(),
            }),
            Node::Tag(Tag::DefinitionListDefinition, _, content) => {
                let blocks = convert_item(content, ctx);
                match items.last_mut() {
                    Some(d) => d.definitions.push(blocks),
                    // Only when nesting was flattened: a definition without its term.
                    None => items.push(Definition {
                        term: Vec::new(),
                        definitions: vec![blocks],
                    }),
                }
            }
            other => {
                let blocks = convert_item(vec![other], ctx);
                if let Some(d) = items.last_mut() {
                    d.definitions.push(blocks);
                }
            }
        }
    }
    Block::DefinitionList {
        items,
        span: ctx.span(&range),
    }
}

/// A block quote right after a chapter's title whose last paragraph opens
/// with a dash (`—`, or `--` as typed) is the chapter's epigraph; any other
/// is a quotation.
pub(super) fn quote_or_epigraph(blocks: Vec<Block>, span: Span, opens_chapter: bool) -> Block {
    let attributed = match blocks.split_last() {
        Some((Block::Paragraph { content, .. }, rest)) if !rest.is_empty() => {
            matches!(content.first(), Some(Inline::Text(t))
                if t.starts_with(['—', '–', '―']) || t.starts_with("--"))
        }
        _ => false,
    };
    if opens_chapter && attributed {
        Block::Epigraph { blocks, span }
    } else {
        Block::BlockQuote { blocks, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verse_lines_and_table_rows_are_told_apart() {
        assert!(is_verse_line("| line"));
        assert!(is_verse_line("|"));
        assert!(!is_verse_line("|line"));
        assert!(is_table_delimiter("|---|:--:|"));
        assert!(is_table_delimiter("| --- | --- |"));
        assert!(!is_table_delimiter("| a | b |"));
        assert!(!is_table_delimiter("|"));
    }
}
