//! Markdown (pulldown-cmark events) into the typed tree. The events are first
//! folded into a small generic tree with source ranges, then mapped onto the
//! model, so nesting is handled once and every node keeps its place.
//!
//! Over the ~600-line guide on purpose, for now: the tree, the block mapping
//! and the inline mapping share one context (ids, footnotes, the nesting
//! cap, the quoter). The content issue (tables, figures, spans) adds to each
//! of them; that is when to split it into blocks and inlines.

use super::citations::{self, Piece};
use super::quotes::Quoter;
use super::{blocks, damage};

mod marks;
mod scripts;
mod spans;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Block, Book, Citation, CrossRef, Heading, Inline, Note, Span};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

#[path = "tables.rs"]
mod tables;
// A child module, so that it reads the paragraph's nodes as this one does.
#[path = "figures.rs"]
mod figures;

/// Deepest nesting we follow (lists, quotes, emphasis, links, …); deeper
/// content is flattened into its parent, so no walk over the book (here, in
/// the writers, in the model's text helpers) can exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// A footnote definition found while reading, before numbering.
#[derive(Debug, Clone)]
struct FootnoteDef {
    blocks: Vec<Block>,
    span: Span,
    used: bool,
}

/// Footnote definitions of every chapter, keyed by (chapter, label): labels are
/// scoped to their file, as in pandoc.
#[derive(Debug, Default)]
pub struct FootnoteDefs {
    defs: HashMap<(usize, String), FootnoteDef>,
    /// References in reading order, resolved in `collect`.
    refs: Vec<NoteUse>,
    /// Citations in reading order, numbered as they were met.
    citations: Vec<Citation>,
    /// `[^label]` markers that no definition of their file matched, as
    /// (chapter, label, place): reported in `collect`, which knows every
    /// file's definitions and so can name the file that holds one.
    unmatched: Vec<(usize, String, Span)>,
    /// Cross-references in reading order (`refs` are the notes').
    refs_x: Vec<CrossRef>,
}

/// A footnote reference as read: where, to what, and from inside which
/// note's definition (`None` in running text).
#[derive(Debug)]
struct NoteUse {
    chapter: usize,
    label: String,
    span: Span,
    inside: Option<String>,
}

pub(super) enum Node<'a> {
    Tag(Tag<'a>, Range<usize>, Vec<Node<'a>>),
    Leaf(Event<'a>, Range<usize>),
    /// A bracketed span `[…]{…}`, found among inline nodes ([`spans`]).
    Span(spans::Attrs, Range<usize>, Vec<Node<'a>>),
}

fn build_tree<'a>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    file: usize,
    diags: &mut Diagnostics,
) -> Vec<Node<'a>> {
    let mut stack: Vec<(Tag<'a>, Range<usize>, Vec<Node<'a>>)> = Vec::new();
    let mut root = Vec::new();
    let mut depth_warned = false;
    // Containers beyond MAX_DEPTH are not opened: their content joins the parent.
    let mut skipped: Vec<bool> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(tag) => {
                if stack.len() >= MAX_DEPTH {
                    if !depth_warned {
                        depth_warned = true;
                        diags.push(
                            Diagnostic::warning(
                                "too-deep",
                                format!("lists, quotes, emphasis and links nested deeper than {MAX_DEPTH} levels are flattened"),
                            )
                            .at(Span {
                                file,
                                start: range.start,
                                end: range.start,
                            }),
                        );
                    }
                    skipped.push(true);
                    continue;
                }
                skipped.push(false);
                stack.push((tag, range, Vec::new()));
            }
            Event::End(_) => {
                if skipped.pop().unwrap_or(false) {
                    continue;
                }
                if let Some((tag, range, children)) = stack.pop() {
                    let node = Node::Tag(tag, range, children);
                    match stack.last_mut() {
                        Some(parent) => parent.2.push(node),
                        None => root.push(node),
                    }
                }
            }
            other => {
                let node = Node::Leaf(other, range);
                match stack.last_mut() {
                    Some(parent) => parent.2.push(node),
                    None => root.push(node),
                }
            }
        }
    }
    // pulldown-cmark always balances its events; drain anything left just in case.
    while let Some((tag, range, children)) = stack.pop() {
        let node = Node::Tag(tag, range, children);
        match stack.last_mut() {
            Some(parent) => parent.2.push(node),
            None => root.push(node),
        }
    }
    root
}

pub(super) struct Ctx<'a> {
    pub(super) src: &'a str,
    pub(super) file: usize,
    chapter: usize,
    chapter_id: &'a str,
    georgian_quotes: bool,
    /// `--`, `---` and spaced hyphens become dashes (a `ka` book).
    dashes: bool,
    /// Inline containers being converted around the current one: spans
    /// may nest only as deep as the cap leaves ([`spans::group`]).
    depth: usize,
    fs: &'a dyn crate::vfs::Fs,
    dir: &'a Path,
    footnotes: &'a mut FootnoteDefs,
    pub(super) diags: &'a mut Diagnostics,
    section: usize,
    last_level: u8,
    ids: HashMap<String, Span>,
    pub(super) seen_title: bool,
    /// The label of the footnote definition being read.
    in_note: Option<String>,
}

impl Ctx<'_> {
    /// A node's place, without the blank lines pulldown-cmark counts as its own.
    pub(super) fn span(&self, r: &Range<usize>) -> Span {
        let bytes = self.src.as_bytes();
        let mut end = r.end.min(bytes.len());
        while end > r.start && bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        Span {
            file: self.file,
            start: r.start,
            end,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn parse(
    text: &str,
    file: usize,
    chapter: usize,
    chapter_id: &str,
    language: &str,
    dashes: crate::config::Dashes,
    fs: &dyn crate::vfs::Fs,
    dir: &Path,
    footnotes: &mut FootnoteDefs,
    diags: &mut Diagnostics,
) -> Vec<Block> {
    let options = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES;
    let events = Parser::new_ext(text, options).into_offset_iter();
    let tree = build_tree(events, file, diags);
    let mut ctx = Ctx {
        src: text,
        file,
        chapter,
        chapter_id,
        georgian_quotes: crate::locale::is_georgian(language),
        dashes: crate::locale::is_georgian(language)
            && dashes == crate::config::Dashes::Typographic,
        depth: 0,
        fs,
        dir,
        footnotes,
        diags,
        section: 0,
        last_level: 0,
        ids: HashMap::new(),
        seen_title: false,
        in_note: None,
    };
    let mut blocks = Vec::new();
    tables::convert_seq(tree, &mut ctx, &mut blocks);
    if !ctx.seen_title {
        ctx.diags.push(
            Diagnostic::error(
                "no-title",
                "the chapter does not begin with a level-1 heading (`# Title`)",
            )
            .at(Span {
                file,
                start: 0,
                end: text.find('\n').unwrap_or(text.len()),
            })
            .note("each chapter file starts with its title as `# Title`"),
        );
    }
    blocks
}

pub(super) fn convert_blocks(nodes: Vec<Node>, ctx: &mut Ctx) -> Vec<Block> {
    let mut out = Vec::new();
    tables::convert_seq(nodes, ctx, &mut out);
    out
}

fn convert_block(node: Node, ctx: &mut Ctx, out: &mut Vec<Block>) {
    match node {
        Node::Tag(Tag::Paragraph, range, children) if blocks::is_line_block(&children) => {
            out.push(blocks::line_block(children, range, ctx));
        }
        Node::Tag(Tag::DefinitionList, range, children) => {
            out.push(blocks::definition_list(children, range, ctx));
        }
        Node::Tag(Tag::Paragraph, range, children) => {
            // An image standing alone (with its attributes) is a figure.
            let children = match figures::figure(children, ctx) {
                Ok(figure) => return out.push(Block::Figure(figure)),
                Err(children) => children,
            };
            let content = convert_inlines_top(children, ctx);
            if !content.is_empty() {
                out.push(Block::Paragraph {
                    content,
                    span: ctx.span(&range),
                });
            }
        }
        Node::Tag(
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            },
            range,
            children,
        ) => {
            let level = heading_level(level);
            let span = ctx.span(&range);
            damage::heading_attributes(&classes, &attrs, span, ctx);
            let content = convert_inlines_top(children, ctx);
            if level == 1 {
                if ctx.seen_title {
                    ctx.diags.push(
                        Diagnostic::warning(
                            "second-title",
                            "a second level-1 heading in one chapter file",
                        )
                        .at(span)
                        .note("start a new chapter file for a new chapter"),
                    );
                } else if !out.is_empty() {
                    ctx.diags.push(
                        Diagnostic::warning("no-title", "text before the chapter's title heading")
                            .at(span),
                    );
                }
                ctx.seen_title = true;
            } else if !ctx.seen_title {
                ctx.diags.push(
                    Diagnostic::error(
                        "no-title",
                        "the chapter does not begin with a level-1 heading (`# Title`)",
                    )
                    .at(span),
                );
                ctx.seen_title = true;
            }
            if ctx.last_level > 0 && level > ctx.last_level + 1 {
                ctx.diags.push(
                    Diagnostic::warning(
                        "heading-skip",
                        format!(
                            "heading level {level} follows level {}: a level is skipped",
                            ctx.last_level
                        ),
                    )
                    .at(span),
                );
            }
            ctx.last_level = level;
            let custom = id.is_some();
            let id = match id {
                Some(custom) => custom.to_string(),
                None if level == 1 && ctx.section == 0 && !ctx.ids.contains_key(ctx.chapter_id) => {
                    ctx.chapter_id.to_string()
                }
                None => {
                    ctx.section += 1;
                    format!("{}-s{}", ctx.chapter_id, ctx.section)
                }
            };
            let generated_like = ["fn", "ref-", "page-", "ch", "fig-"].iter().any(|p| {
                id.starts_with(p) && id.as_bytes().get(p.len()).is_some_and(u8::is_ascii_digit)
            });
            if custom && (RESERVED_IDS.contains(&id.as_str()) || generated_like) {
                ctx.diags.push(
                    Diagnostic::error(
                        "reserved-id",
                        format!("heading id {id:?} is reserved for tsigni's own anchors"),
                    )
                    .at(span)
                    .note("choose another {#id}"),
                );
            }
            if !valid_id(&id) {
                ctx.diags.push(
                    Diagnostic::error(
                        "bad-id",
                        format!("heading id {id:?} must start with a letter and hold only letters, digits, -, _ and :"),
                    )
                    .at(span),
                );
            }
            if let Some(prev) = ctx.ids.insert(id.clone(), span) {
                let _ = prev;
                ctx.diags.push(
                    Diagnostic::error("duplicate-id", format!("heading id {id:?} is used twice"))
                        .at(span),
                );
            }
            if content.is_empty() {
                ctx.diags
                    .push(Diagnostic::error("empty-heading", "the heading is empty").at(span));
            }
            out.push(Block::Heading(Heading {
                level,
                id,
                content,
                span,
            }));
        }
        Node::Tag(Tag::List(start), range, children) => {
            let mut items = Vec::new();
            for child in children {
                match child {
                    Node::Tag(Tag::Item, _, item_children) => {
                        items.push(convert_item(item_children, ctx));
                    }
                    other => {
                        // Flattened deeper content lands here.
                        let mut blocks = Vec::new();
                        convert_block(other, ctx, &mut blocks);
                        if !blocks.is_empty() {
                            items.push(blocks);
                        }
                    }
                }
            }
            out.push(Block::List {
                start,
                items,
                span: ctx.span(&range),
            });
        }
        Node::Tag(Tag::Item, _, children) => {
            // Only reachable when lists were flattened.
            out.extend(convert_item(children, ctx));
        }
        Node::Tag(Tag::BlockQuote(_), range, children) => {
            let opens_chapter = ctx.in_note.is_none()
                && matches!(out.as_slice(), [Block::Heading(h)] if h.level == 1);
            let blocks = convert_blocks(children, ctx);
            out.push(blocks::quote_or_epigraph(
                blocks,
                ctx.span(&range),
                opens_chapter,
            ));
        }
        Node::Tag(Tag::CodeBlock(kind), range, children) => {
            let _ = matches!(kind, CodeBlockKind::Fenced(_));
            let mut text = String::new();
            for c in children {
                if let Node::Leaf(Event::Text(t), _) = c {
                    text.push_str(&t);
                }
            }
            out.push(Block::CodeBlock {
                text: text.trim_end_matches('\n').to_string(),
                span: ctx.span(&range),
            });
        }
        Node::Tag(Tag::FootnoteDefinition(label), range, children) => {
            let span = ctx.span(&range);
            let outer = ctx.in_note.replace(label.to_string());
            let blocks = convert_blocks(children, ctx);
            ctx.in_note = outer;
            let key = (ctx.chapter, label.to_string());
            match ctx.footnotes.defs.entry(key) {
                std::collections::hash_map::Entry::Occupied(_) => ctx.diags.push(
                    Diagnostic::error(
                        "duplicate-footnote",
                        format!("footnote [^{label}] is defined twice"),
                    )
                    .at(span),
                ),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(FootnoteDef {
                        blocks,
                        span,
                        used: false,
                    });
                }
            }
        }
        Node::Tag(Tag::HtmlBlock, range, children) => damage::html_block(&children, range, ctx),
        Node::Leaf(Event::Html(html), range) => damage::raw_html(&html, range, ctx),
        Node::Leaf(Event::DisplayMath(tex), range) => {
            let math = damage::math(&tex, true, range.clone(), ctx);
            out.push(Block::Paragraph {
                content: vec![math],
                span: ctx.span(&range),
            });
        }
        table @ Node::Tag(Tag::Table(_), ..) => tables::convert_seq(vec![table], ctx, out),
        Node::Leaf(Event::Rule, range) => out.push(Block::ThematicBreak {
            span: ctx.span(&range),
        }),
        Node::Tag(_, range, children) => {
            // Tables and the like are not enabled; keep their text as paragraphs.
            let content = convert_inlines_top(children, ctx);
            if !content.is_empty() {
                out.push(Block::Paragraph {
                    content,
                    span: ctx.span(&range),
                });
            }
        }
        Node::Leaf(Event::Text(t), range) => {
            // Loose text at block level (only in malformed nesting).
            out.push(Block::Paragraph {
                content: vec![Inline::Text(t.to_string())],
                span: ctx.span(&range),
            });
        }
        Node::Leaf(_, _) => {}
        Node::Span(_, range, children) => {
            // Only reachable in malformed nesting: keep the text.
            let content = convert_inlines_top(children, ctx);
            out.push(Block::Paragraph {
                content,
                span: ctx.span(&range),
            });
        }
    }
}

pub(super) fn convert_item(children: Vec<Node>, ctx: &mut Ctx) -> Vec<Block> {
    // Tight list items hold inline content directly; wrap it in a paragraph.
    let mut blocks = Vec::new();
    let mut inline_nodes = Vec::new();
    let mut inline_range: Option<Range<usize>> = None;
    for child in children {
        let is_inline = match &child {
            Node::Leaf(e, _) => !matches!(e, Event::Rule | Event::Html(_) | Event::DisplayMath(_)),
            Node::Tag(t, _, _) => matches!(
                t,
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Link { .. }
                    | Tag::Image { .. }
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
            ),
            Node::Span(..) => true,
        };
        if is_inline {
            let r = match &child {
                Node::Leaf(_, r) | Node::Tag(_, r, _) | Node::Span(_, r, _) => r.clone(),
            };
            inline_range = Some(match inline_range {
                Some(ir) => ir.start..r.end,
                None => r,
            });
            inline_nodes.push(child);
        } else {
            flush_inline(&mut inline_nodes, &mut inline_range, ctx, &mut blocks);
            convert_block(child, ctx, &mut blocks);
        }
    }
    flush_inline(&mut inline_nodes, &mut inline_range, ctx, &mut blocks);
    blocks
}

fn flush_inline(
    nodes: &mut Vec<Node>,
    range: &mut Option<Range<usize>>,
    ctx: &mut Ctx,
    blocks: &mut Vec<Block>,
) {
    if nodes.is_empty() {
        return;
    }
    let content = convert_inlines_top(std::mem::take(nodes), ctx);
    let r = range.take().unwrap_or(0..0);
    if !content.is_empty() {
        blocks.push(Block::Paragraph {
            content,
            span: ctx.span(&r),
        });
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Anchors tsigni generates itself; a heading may not take them.
const RESERVED_IDS: &[&str] = &[
    "bibliography",
    "toc",
    "toc-title",
    "landmarks",
    "page-list",
    "page-list-title",
];

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
}

fn check_image(path: &str, span: Span, ctx: &mut Ctx) {
    let remote = path.contains("://");
    if remote {
        ctx.diags.push(
            Diagnostic::error(
                "image-remote",
                format!("image {path} is not a local file: books embed their images"),
            )
            .at(span),
        );
    } else if !ctx.fs.is_file(&ctx.dir.join(path)) {
        ctx.diags.push(
            Diagnostic::error("image-missing", format!("image {path} does not exist"))
                .at(span)
                .label("referenced here"),
        );
    }
}

fn plain_of(nodes: &[Node]) -> String {
    let mut s = String::new();
    for n in nodes {
        match n {
            Node::Leaf(Event::Text(t) | Event::Code(t), _) => s.push_str(t),
            Node::Leaf(Event::SoftBreak | Event::HardBreak, _) => s.push(' '),
            Node::Tag(_, _, children) | Node::Span(_, _, children) => {
                s.push_str(&plain_of(children))
            }
            Node::Leaf(_, _) => {}
        }
    }
    s
}

/// Inline conversion for one paragraph or heading: quotes carry across pieces,
/// then citations and undefined footnote markers are found in the text.
pub(super) fn convert_inlines_top(nodes: Vec<Node>, ctx: &mut Ctx) -> Vec<Inline> {
    let mut quoter = Quoter::new();
    let raw = convert_inlines(nodes, ctx, &mut quoter);
    cite_pieces(raw, ctx)
}

/// Citations and undefined footnote markers found in converted pieces.
pub(super) fn cite_pieces(raw: Vec<Piece>, ctx: &mut Ctx) -> Vec<Inline> {
    let merged = merge_text(raw);
    citations::extract(
        merged,
        (ctx.file, ctx.chapter),
        ctx.diags,
        &mut ctx.footnotes.citations,
        &mut ctx.footnotes.refs_x,
        &mut ctx.footnotes.unmatched,
    )
}

pub(super) fn convert_inlines(nodes: Vec<Node>, ctx: &mut Ctx, quoter: &mut Quoter) -> Vec<Piece> {
    let mut out = Vec::new();
    let room = MAX_DEPTH.saturating_sub(ctx.depth);
    ctx.depth += 1;
    // Did the node before end where a pandoc attribute `{…}` could attach?
    let mut attaches = false;
    for node in scripts::split(spans::group(nodes, ctx.src, room), ctx.src) {
        let before = std::mem::replace(&mut attaches, damage::attaches(&node));
        match node {
            Node::Leaf(Event::Text(t), r) => {
                damage::attributes_in_text(&t, r.start, before, ctx);
                let t = strip_controls(&t, r.start, ctx);
                let t = if ctx.georgian_quotes {
                    quoter.convert(&t)
                } else {
                    t.to_string()
                };
                let t = if ctx.dashes {
                    super::dashes::convert(&t, None)
                } else {
                    t
                };
                out.push(Piece::Text(t, r.start));
            }
            Node::Span(attrs, r, children) => {
                out.extend(marks::span(attrs, r, children, ctx, quoter));
            }
            Node::Tag(
                tag @ (Tag::Superscript | Tag::Subscript | Tag::Strikethrough),
                _,
                children,
            ) => {
                out.push(marks::tag(tag, children, ctx, quoter));
            }
            Node::Leaf(Event::Code(t), _) => {
                quoter.skip(t.chars().last());
                out.push(Piece::Inline(Inline::Code(t.to_string())));
            }
            // A line end inside a paragraph is a space; as text it lets a citation
            // wrapped over two lines still be found.
            Node::Leaf(Event::SoftBreak, r) => out.push(Piece::Text(" ".into(), r.start)),
            Node::Leaf(Event::HardBreak, _) => out.push(Piece::Inline(Inline::LineBreak)),
            Node::Leaf(Event::FootnoteReference(label), r) => {
                let span = ctx.span(&r);
                ctx.footnotes.refs.push(NoteUse {
                    chapter: ctx.chapter,
                    label: label.to_string(),
                    span,
                    inside: ctx.in_note.clone(),
                });
                // Numbered in `collect`, once every file is read; the index of the
                // reference stands in for now.
                out.push(Piece::Inline(Inline::NoteRef {
                    number: ctx.footnotes.refs.len(),
                }));
            }
            Node::Leaf(Event::InlineHtml(html), r) | Node::Leaf(Event::Html(html), r) => {
                damage::raw_html(&html, r, ctx)
            }
            Node::Leaf(Event::InlineMath(tex), r) => {
                out.push(Piece::Inline(damage::math(&tex, false, r, ctx)))
            }
            Node::Leaf(Event::DisplayMath(tex), r) => {
                out.push(Piece::Inline(damage::math(&tex, true, r, ctx)))
            }
            Node::Leaf(Event::TaskListMarker(done), r) => {
                damage::task_marker(r.clone(), ctx);
                // As written: no built-in face draws a ballot box.
                out.push(Piece::Text(
                    if done { "[x] " } else { "[ ] " }.into(),
                    r.start,
                ));
            }
            Node::Leaf(_, _) => {}
            Node::Tag(Tag::Emphasis, _, children) => {
                let inner = finish(convert_inlines(children, ctx, quoter));
                out.push(Piece::Inline(Inline::Emphasis(inner)));
            }
            Node::Tag(Tag::Strong, _, children) => {
                let inner = finish(convert_inlines(children, ctx, quoter));
                out.push(Piece::Inline(Inline::Strong(inner)));
            }
            Node::Tag(
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                },
                r,
                children,
            ) => {
                // An autolink's text is its URL: its hyphens stay.
                let url_text = matches!(
                    link_type,
                    pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email
                );
                let keep = ctx.dashes && !url_text;
                let dashes = std::mem::replace(&mut ctx.dashes, keep);
                let inner = finish(convert_inlines(children, ctx, quoter));
                ctx.dashes = dashes;
                let url = dest_url.to_string();
                if url.trim().is_empty() {
                    ctx.diags.push(
                        Diagnostic::warning("empty-link", "the link has no target")
                            .at(ctx.span(&r)),
                    );
                    out.extend(inner.into_iter().map(Piece::Inline));
                } else {
                    out.push(Piece::Inline(Inline::Link {
                        url,
                        content: inner,
                    }));
                }
            }
            Node::Tag(Tag::Image { dest_url, .. }, r, children) => {
                ctx.diags.push(
                    Diagnostic::warning(
                        "inline-image",
                        "an image inside running text is shown by its description only",
                    )
                    .at(ctx.span(&r))
                    .note("put the image in a paragraph of its own to show it"),
                );
                let span = ctx.span(&r);
                check_image(&dest_url, span, ctx);
                out.push(Piece::Text(plain_of(&children), r.start));
            }
            Node::Tag(_, _, children) => {
                out.extend(convert_inlines(children, ctx, quoter));
            }
        }
    }
    ctx.depth -= 1;
    out
}

/// Control characters are invisible typos (often from copy and paste) that no
/// font draws and XML forbids: dropped, with a warning at the first of them.
/// So is a byte-order mark inside the text, which PDF/A refuses.
fn strip_controls<'s>(t: &'s str, start: usize, ctx: &mut Ctx) -> std::borrow::Cow<'s, str> {
    let stray = |c: char| (c.is_control() && c != '\t') || c == '\u{FEFF}';
    let Some((i, c)) = t.char_indices().find(|&(_, c)| stray(c)) else {
        return std::borrow::Cow::Borrowed(t);
    };
    ctx.diags.push(
        Diagnostic::warning(
            "control-char",
            format!("control character U+{:04X} removed", c as u32),
        )
        .at(Span {
            file: ctx.file,
            start: start + i,
            end: start + i + c.len_utf8(),
        }),
    );
    std::borrow::Cow::Owned(t.chars().filter(|&c| !stray(c)).collect())
}

/// Pieces to plain inlines (inside emphasis, where citations are still found
/// by the top-level pass over merged text).
fn finish(pieces: Vec<Piece>) -> Vec<Inline> {
    let merged = merge_text(pieces);
    merged
        .into_iter()
        .map(|p| match p {
            Piece::Inline(i) => i,
            Piece::Text(t, _) => Inline::Text(t),
        })
        .collect()
}

fn merge_text(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match (out.last_mut(), p) {
            (Some(Piece::Text(prev, _)), Piece::Text(t, _)) => prev.push_str(&t),
            (_, p) => out.push(p),
        }
    }
    out
}

/// After every chapter is read: number the notes in order of first reference,
/// attach their bodies, and report undefined and unused ones. A note
/// referenced from inside another note is numbered right after it (and the
/// notes it references in turn), so both writers number and set it there.
pub fn collect(book: &mut Book, mut defs: FootnoteDefs, diags: &mut Diagnostics) {
    // Reference index (1-based, as stored in NoteRef) -> note number.
    let mut number_of_ref = vec![0usize; defs.refs.len() + 1];
    let mut number_of_label: HashMap<(usize, String), usize> = HashMap::new();
    let mut notes: Vec<Note> = Vec::new();
    // References made inside each note's definition, in reading order.
    let mut inner: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
    for (i, r) in defs.refs.iter().enumerate() {
        if let Some(owner) = &r.inside {
            inner
                .entry((r.chapter, owner.as_str()))
                .or_default()
                .push(i);
        }
    }
    let mut visited = vec![false; defs.refs.len()];
    // Running text first, then (for their undefined references) notes that
    // nothing reaches; an explicit stack, as notes can chain without bound.
    let body = (0..defs.refs.len()).filter(|&i| defs.refs[i].inside.is_none());
    let rest = (0..defs.refs.len()).filter(|&i| defs.refs[i].inside.is_some());
    for start in body.chain(rest) {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut visited[i], true) {
                continue;
            }
            let r = &defs.refs[i];
            let key = (r.chapter, r.label.clone());
            if let Some(&n) = number_of_label.get(&key) {
                number_of_ref[i + 1] = n;
                continue;
            }
            match defs.defs.get_mut(&key) {
                Some(def)
                    if r.inside.is_none()
                        || number_of_label
                            .contains_key(&(r.chapter, r.inside.clone().unwrap_or_default())) =>
                {
                    def.used = true;
                    let number = notes.len() + 1;
                    notes.push(Note {
                        number,
                        label: r.label.clone(),
                        chapter: r.chapter,
                        blocks: def.blocks.clone(),
                        span: def.span,
                    });
                    number_of_label.insert(key, number);
                    number_of_ref[i + 1] = number;
                    if let Some(refs) = inner.get(&(r.chapter, r.label.as_str())) {
                        stack.extend(refs.iter().rev());
                    }
                }
                Some(_) => {}
                None => diags.push(
                    Diagnostic::error(
                        "undefined-footnote",
                        format!("footnote [^{}] is referenced but never defined", r.label),
                    )
                    .at(r.span)
                    .note(format!(
                        "add a definition `[^{}]: …` to the same file",
                        r.label
                    )),
                ),
            }
        }
    }
    for (chapter, label, span) in std::mem::take(&mut defs.unmatched) {
        // A definition in another file: named, and not reported again as unused.
        let elsewhere = defs
            .defs
            .iter_mut()
            .filter(|((c, l), _)| *c != chapter && *l == label)
            .map(|(_, d)| {
                d.used = true;
                d.span
            })
            .min_by_key(|s| (s.file, s.start));
        diags.push(damage::undefined_note(
            &label,
            span,
            elsewhere,
            &book.sources,
        ));
    }
    let mut unused: Vec<_> = defs
        .defs
        .iter()
        .filter(|(_, d)| !d.used)
        .map(|((_, label), d)| (d.span.file, d.span.start, label.clone(), d.span))
        .collect();
    unused.sort();
    for (_, _, label, span) in unused {
        diags.push(
            Diagnostic::warning(
                "unused-footnote",
                format!("footnote [^{label}] is defined but never referenced"),
            )
            .at(span)
            .note(format!(
                "refer to it as [^{label}] in the text of this file, or delete the definition"
            )),
        );
    }
    for chapter in &mut book.chapters {
        renumber_blocks(&mut chapter.blocks, &number_of_ref);
    }
    for note in &mut notes {
        renumber_blocks(&mut note.blocks, &number_of_ref);
    }
    // Citations inside notes were met while reading the definitions, so reading
    // order of the Vec is file order; keep it, the writers only index into it.
    book.citations = std::mem::take(&mut defs.citations);
    book.refs = std::mem::take(&mut defs.refs_x);
    book.notes = notes;
}

fn renumber_blocks(blocks: &mut [Block], map: &[usize]) {
    for b in blocks {
        match b {
            Block::Heading(h) => renumber_inlines(&mut h.content, map),
            Block::Paragraph { content, .. } => renumber_inlines(content, map),
            Block::List { items, .. } => {
                for item in items {
                    renumber_blocks(item, map);
                }
            }
            Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => {
                renumber_blocks(blocks, map)
            }
            Block::DefinitionList { items, .. } => {
                for d in items {
                    renumber_inlines(&mut d.term, map);
                    for def in &mut d.definitions {
                        renumber_blocks(def, map);
                    }
                }
            }
            Block::LineBlock { lines, .. } => {
                for l in lines {
                    renumber_inlines(&mut l.content, map);
                }
            }
            Block::Table(t) => t.inline_lists_mut().for_each(|c| renumber_inlines(c, map)),
            Block::Figure(f) => renumber_inlines(&mut f.caption, map),
            Block::CodeBlock { .. } | Block::ThematicBreak { .. } => {}
        }
    }
}

fn renumber_inlines(inlines: &mut Vec<Inline>, map: &[usize]) {
    inlines.retain_mut(|i| match i {
        Inline::NoteRef { number } => {
            let n = map.get(*number).copied().unwrap_or(0);
            *number = n;
            // An undefined note was reported; drop its marker.
            n != 0
        }
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Link { content: c, .. }
        | Inline::Marked(_, c) => {
            renumber_inlines(c, map);
            true
        }
        Inline::Lang(l) => {
            renumber_inlines(&mut l.content, map);
            true
        }
        _ => true,
    });
}
