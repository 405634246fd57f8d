//! Pipe tables (pulldown-cmark's tables extension) into [`Table`]s, with
//! pandoc's captions: a paragraph right before or after the table that
//! starts with `Table:` (or `table:`, or just `:`), ending in an optional
//! `{#tbl:label}`.
//!
//! A child of the Markdown reader, so that it shares its tree and context.

use super::{convert_block, convert_inlines_top, Ctx, Node};
use crate::diagnostics::Diagnostic;
use crate::model::table::{Align, Cell, Row, Table, TableColumn};
use crate::model::{Block, Inline};
use pulldown_cmark::{Alignment, Tag};
use std::ops::Range;

/// pandoc's line length: a pipe table with a longer source line is a wide
/// one, whose columns take the shares of the measure its dashes give.
const COLUMNS: usize = 72;

/// Converts a sequence of sibling blocks, joining each table with the
/// caption paragraph before or after it.
pub(super) fn convert_seq(nodes: Vec<Node>, ctx: &mut Ctx, out: &mut Vec<Block>) {
    let mut nodes = nodes.into_iter().peekable();
    // A caption paragraph waiting for the table right after it.
    let mut pending: Option<(Vec<Node>, Range<usize>)> = None;
    while let Some(node) = nodes.next() {
        if let Some(range) = caption_range(&node, ctx) {
            let next_is_table = matches!(nodes.peek(), Some(Node::Tag(Tag::Table(_), ..)));
            let after_table = matches!(out.last(), Some(Block::Table(t)) if t.caption.is_empty() && t.label.is_none() && t.span.end <= range.start && only_blank(ctx, t.span.end, range.start));
            if let Node::Tag(_, _, children) = node {
                if next_is_table {
                    flush_pending(&mut pending, ctx, out);
                    pending = Some((children, range));
                } else if after_table {
                    if let Some(Block::Table(t)) = out.last_mut() {
                        let t: &mut Table = t;
                        set_caption(t, children, &range, ctx);
                    }
                } else {
                    flush_pending(&mut pending, ctx, out);
                    ctx.diags.push(
                        Diagnostic::warning(
                            "caption-without-table",
                            "a table caption with no table right before or after it",
                        )
                        .at(ctx.span(&range))
                        .note("leave one blank line between the caption and its table"),
                    );
                    convert_block(Node::Tag(Tag::Paragraph, range, children), ctx, out);
                }
            }
            continue;
        }
        warn_grid_table(&node, ctx);
        match node {
            Node::Tag(Tag::Table(aligns), range, children) => {
                let mut table = convert(aligns, range, children, ctx);
                if let Some((children, range)) = pending.take() {
                    set_caption(&mut table, children, &range, ctx);
                }
                out.push(Block::Table(Box::new(table)));
            }
            other => {
                flush_pending(&mut pending, ctx, out);
                convert_block(other, ctx, out);
            }
        }
    }
    flush_pending(&mut pending, ctx, out);
}

fn flush_pending(
    pending: &mut Option<(Vec<Node>, Range<usize>)>,
    ctx: &mut Ctx,
    out: &mut Vec<Block>,
) {
    if let Some((children, range)) = pending.take() {
        convert_block(Node::Tag(Tag::Paragraph, range, children), ctx, out);
    }
}

/// A pandoc grid table (`+---+---+` lines) is not read as a table yet: its
/// text would stand as a paragraph of rules and bars, so say so.
fn warn_grid_table(node: &Node, ctx: &mut Ctx) {
    let Node::Tag(Tag::Paragraph, range, _) = node else {
        return;
    };
    let Some(text) = ctx.src.get(range.clone()) else {
        return;
    };
    let first = text.lines().next().unwrap_or("").trim();
    let grid = first.len() > 2
        && first.starts_with("+-")
        && first.ends_with('+')
        && first.chars().all(|c| matches!(c, '+' | '-' | '=' | ':'));
    if grid {
        ctx.diags.push(
            Diagnostic::warning(
                "grid-table",
                "a grid table is printed as its text: tsigni reads pipe tables only",
            )
            .at(ctx.span(range))
            .note("write it as a pipe table: `| a | b |`, then `|---|---|`, then a line per row"),
        );
    }
}

/// Whether the source between two offsets holds only white space (the
/// caption after a table stands right after it, with nothing between).
fn only_blank(ctx: &Ctx, from: usize, to: usize) -> bool {
    ctx.src
        .get(from..to)
        .is_some_and(|s| s.chars().all(char::is_whitespace))
}

/// The range of a paragraph that reads as a table caption.
fn caption_range(node: &Node, ctx: &Ctx) -> Option<Range<usize>> {
    let Node::Tag(Tag::Paragraph, range, _) = node else {
        return None;
    };
    let text = ctx.src.get(range.clone())?.trim_start();
    caption_prefix(text).map(|_| range.clone())
}

/// The length of the caption marker that `text` starts with.
fn caption_prefix(text: &str) -> Option<usize> {
    for p in ["Table:", "table:"] {
        if text.starts_with(p) {
            return Some(p.len());
        }
    }
    // A lone colon, as pandoc allows; `::` or `:word` is something else.
    (text.starts_with(": ") || text.starts_with(":\t")).then_some(1)
}

/// Converts the caption paragraph's inlines and takes the marker and the
/// `{#label}` off.
fn set_caption(table: &mut Table, children: Vec<Node>, range: &Range<usize>, ctx: &mut Ctx) {
    let span = ctx.span(range);
    let mut content = convert_inlines_top(children, ctx);
    if let Some(Inline::Text(t)) = content.first_mut() {
        let trimmed = t.trim_start();
        let cut = caption_prefix(trimmed).unwrap_or(0);
        *t = trimmed[cut..].trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = content.last_mut() {
        let trimmed = t.trim_end();
        if let Some(open) = trimmed.rfind('{').filter(|_| trimmed.ends_with('}')) {
            let attrs = trimmed[open + 1..trimmed.len() - 1].to_string();
            *t = trimmed[..open].trim_end().to_string();
            for attr in attrs.split_whitespace() {
                match attr.strip_prefix('#') {
                    Some(id) if table.label.is_none() && !id.is_empty() => {
                        if !id.starts_with("tbl:") {
                            ctx.diags.push(
                                Diagnostic::warning(
                                    "table-label",
                                    format!("table label {id:?} does not start with `tbl:`"),
                                )
                                .at(span)
                                .note("label tables `{#tbl:name}`, as pandoc-crossref does"),
                            );
                        }
                        table.label = Some(id.to_string());
                    }
                    _ => ctx.diags.push(
                        Diagnostic::warning(
                            "unknown-attribute",
                            format!("the table caption's attribute {attr:?} is not used"),
                        )
                        .at(span)
                        .note("a table caption takes one label: `{#tbl:name}`"),
                    ),
                }
            }
        }
    }
    content.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    while matches!(content.last(), Some(Inline::Space)) {
        content.pop();
    }
    if content.is_empty() {
        ctx.diags
            .push(Diagnostic::warning("empty-caption", "the table caption has no text").at(span));
    }
    table.caption = content;
}

/// A pipe table: its head and body rows, and the columns' alignment and,
/// for a wide table, widths.
fn convert(
    aligns: Vec<Alignment>,
    range: Range<usize>,
    children: Vec<Node>,
    ctx: &mut Ctx,
) -> Table {
    let span = ctx.span(&range);
    let widths = dash_widths(ctx.src.get(range.clone()).unwrap_or(""), aligns.len());
    let columns = aligns
        .iter()
        .enumerate()
        .map(|(i, a)| TableColumn {
            align: match a {
                Alignment::None => Align::Default,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            },
            width: widths.as_ref().and_then(|w| w.get(i).copied()),
        })
        .collect();
    let mut head = Vec::new();
    let mut body = Vec::new();
    for child in children {
        match child {
            Node::Tag(Tag::TableHead, _, cells) => head.push(row(cells, ctx)),
            Node::Tag(Tag::TableRow, _, cells) => body.push(row(cells, ctx)),
            _ => {}
        }
    }
    Table {
        columns,
        head,
        body,
        caption: Vec::new(),
        label: None,
        number: 0,
        span,
    }
}

fn row(cells: Vec<Node>, ctx: &mut Ctx) -> Row {
    let cells = cells
        .into_iter()
        .filter_map(|c| match c {
            Node::Tag(Tag::TableCell, _, inlines) => Some(Cell {
                content: convert_inlines_top(inlines, ctx),
            }),
            // Cells hold nothing else; stray leaves are dropped.
            Node::Leaf(..) | Node::Tag(..) | Node::Span(..) => None,
        })
        .collect();
    Row { cells }
}

/// The columns' shares of the measure from the dashes of the separator
/// line, when some source line of the table is longer than [`COLUMNS`]
/// (pandoc's rule); `None` for a table that fits a line.
fn dash_widths(src: &str, n: usize) -> Option<Vec<f32>> {
    if n == 0 || src.lines().all(|l| l.chars().count() <= COLUMNS) {
        return None;
    }
    let sep = src.lines().nth(1)?;
    let sep = sep.trim().trim_start_matches('|').trim_end_matches('|');
    let dashes: Vec<usize> = sep
        .split('|')
        .map(|c| {
            c.chars()
                .filter(|&ch| ch == '-' || ch == ':')
                .count()
                .max(1)
        })
        .collect();
    if dashes.len() != n {
        return None;
    }
    let total: usize = dashes.iter().sum();
    Some(dashes.iter().map(|&d| d as f32 / total as f32).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caption_markers_are_pandocs() {
        assert_eq!(caption_prefix("Table: Kings"), Some(6));
        assert_eq!(caption_prefix("table: kings"), Some(6));
        assert_eq!(caption_prefix(": Kings"), Some(1));
        assert_eq!(caption_prefix(":Kings"), None);
        assert_eq!(caption_prefix("Tables: x"), None);
    }

    #[test]
    fn wide_tables_take_widths_from_their_dashes() {
        let narrow = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(dash_widths(narrow, 2), None);
        let long = "x".repeat(80);
        let wide = format!("| a | b |\n|------|--|\n| {long} | 2 |\n");
        let w = dash_widths(&wide, 2).expect("wide");
        assert!(
            (w[0] - 0.75).abs() < 1e-6 && (w[1] - 0.25).abs() < 1e-6,
            "{w:?}"
        );
        // A separator that does not match the columns gives no widths.
        assert_eq!(dash_widths(&wide, 3), None);
    }
}
