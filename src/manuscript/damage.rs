//! No silent damage: what the reader meets but does not render (raw HTML,
//! TeX math, task lists, attributes it does not know) is a warning at its
//! place that says how to write it instead, and a note referenced in one
//! file but defined in another is named where it is.

use super::markdown::Ctx;
use crate::diagnostics::{Diagnostic, SourceMap};
use crate::model::{Inline, Span};
use pulldown_cmark::CowStr;
use std::ops::Range;

/// An HTML block (a run of lines pulldown-cmark hands over as HTML).
pub(super) fn html_block(children: &[super::markdown::Node], range: Range<usize>, ctx: &mut Ctx) {
    let mut html = String::new();
    for c in children {
        if let super::markdown::Node::Leaf(pulldown_cmark::Event::Html(t), _) = c {
            html.push_str(t);
        }
    }
    raw_html(&html, range, ctx);
}

/// Raw HTML, inline or a block: left out, with the Markdown that says it.
/// Closing tags are silent (their opening tag was reported) and so are
/// comments, which authors write to be left out.
pub(super) fn raw_html(html: &str, range: Range<usize>, ctx: &mut Ctx) {
    let t = html.trim_start();
    if t.starts_with("</") || t.starts_with("<!--") || t.is_empty() {
        return;
    }
    let name: String = t
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let span = ctx.span(&range);
    let d = Diagnostic::warning(
        "raw-html",
        format!("raw HTML <{name}> is not part of the book and is left out"),
    )
    .at(span)
    .note(html_hint(&name));
    ctx.diags.push(d);
}

/// How to say what an HTML element says, in the Markdown tsigni reads.
fn html_hint(name: &str) -> String {
    match name {
        "sup" => "write superscript as ^2^".into(),
        "sub" => "write subscript as ~2~".into(),
        "img" => "write an image as ![description](file.png) in a paragraph of its own".into(),
        "br" => "end the line with a backslash \\ to break it".into(),
        "em" | "i" => "write emphasis as *text*".into(),
        "strong" | "b" => "write strong text as **text**".into(),
        "a" => "write a link as [text](https://…)".into(),
        "s" | "del" | "strike" => "write struck-out text as ~~text~~".into(),
        "hr" => "write a section break as *** on a line of its own".into(),
        "blockquote" => "write a quotation as lines starting with >".into(),
        "code" | "pre" => "write code as `code`, or a block fenced with ```".into(),
        "table" => "write a table as a pipe table (| a | b |)".into(),
        "span" | "div" => {
            "write the text without the element; [text]{lang=ru} marks a language".into()
        }
        _ => "write it in Markdown, or leave it out of the manuscript".into(),
    }
}

/// TeX math: not typeset yet, so its source stays in the text, visibly.
pub(super) fn math(tex: &CowStr, display: bool, range: Range<usize>, ctx: &mut Ctx) -> Inline {
    let fence = if display { "$$" } else { "$" };
    ctx.diags.push(
        Diagnostic::warning(
            "math",
            "TeX math is not typeset yet; its source is printed as written",
        )
        .at(ctx.span(&range))
        .note(
            "write the formula in plain text (x^2^ for a superscript, H~2~O for a subscript), \
             or escape the dollar signs as \\$ if they are money",
        ),
    );
    Inline::Code(format!("{fence}{tex}{fence}"))
}

/// A task-list box `[ ]`/`[x]`: a book has nothing to tick.
pub(super) fn task_marker(range: Range<usize>, ctx: &mut Ctx) {
    ctx.diags.push(
        Diagnostic::warning(
            "task-list",
            "a task list is not part of a book; its box is printed as written, [ ] or [x]",
        )
        .at(ctx.span(&range))
        .note("write a plain list (- item), without [ ] or [x]"),
    );
}

/// Heading attributes other than `{#id}`: tsigni reads the id only.
pub(super) fn heading_attributes(
    classes: &[CowStr],
    attrs: &[(CowStr, Option<CowStr>)],
    span: Span,
    ctx: &mut Ctx,
) {
    let mut unknown: Vec<String> = classes.iter().map(|c| format!(".{c}")).collect();
    unknown.extend(attrs.iter().map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k.to_string(),
    }));
    if unknown.is_empty() {
        return;
    }
    ctx.diags.push(
        Diagnostic::warning(
            "unknown-attribute",
            format!(
                "heading attribute {} is not understood and is ignored",
                unknown.join(" ")
            ),
        )
        .at(span)
        .note("a heading takes only {#id}, which sets its anchor"),
    );
}

/// `[^label]` with no definition in its own file: where one is, if another
/// file defines it, since notes belong to the file that references them.
pub(super) fn undefined_note(
    label: &str,
    span: Span,
    elsewhere: Option<Span>,
    sources: &SourceMap,
) -> Diagnostic {
    match elsewhere {
        Some(def) => Diagnostic::error(
            "note-in-other-file",
            format!(
                "footnote [^{label}] is referenced here but defined in another file, {}",
                sources.location(def)
            ),
        )
        .at(span)
        .note(format!(
            "a note is defined in the chapter file that references it (as in pandoc): \
             move `[^{label}]: …` from {} into {}",
            sources.name(def.file),
            sources.name(span.file)
        )),
        None => Diagnostic::error(
            "undefined-footnote",
            format!("footnote [^{label}] is referenced but never defined"),
        )
        .at(span)
        .note(format!("add a definition `[^{label}]: …` to the same file")),
    }
}

/// Does a pandoc attribute `{…}` written right after this node attach to
/// it: after a link, an image, code, or text ending in `]` or `)`?
pub(super) fn attaches(node: &super::markdown::Node) -> bool {
    use pulldown_cmark::{Event, Tag};
    match node {
        super::markdown::Node::Tag(Tag::Link { .. } | Tag::Image { .. }, _, _) => true,
        super::markdown::Node::Leaf(Event::Code(_), _) => true,
        super::markdown::Node::Leaf(Event::Text(t), _) => t.ends_with([']', ')']),
        _ => false,
    }
}

/// The attributes other constructs read (`[x]{.smallcaps}`, `{lang=ru}`,
/// `{width=60%}`, cross-reference labels): not reported here.
const READ_ELSEWHERE: &[&str] = &[
    ".smallcaps",
    "lang=",
    "width=",
    "height=",
    "#fig:",
    "#tbl:",
    "#sec:",
];

/// Pandoc attributes `{.class}`, `{#id}`, `{key=value}` written after a
/// span, link, image or code, which tsigni does not read: they would be
/// printed as text, so each is a warning at its place.
pub(super) fn attributes_in_text(text: &str, start: usize, after_attachable: bool, ctx: &mut Ctx) {
    let mut from = 0;
    while let Some(rel) = text[from..].find('{') {
        let open = from + rel;
        from = open + 1;
        let attached = if open == 0 {
            after_attachable
        } else {
            text[..open].ends_with([']', ')', '`'])
        };
        let Some(len) = text[open..].find('}') else {
            break;
        };
        let inner = &text[open + 1..open + len];
        if !attached || !looks_like_attributes(inner) {
            continue;
        }
        if READ_ELSEWHERE.iter().any(|k| inner.contains(k)) {
            continue;
        }
        let span = Span {
            file: ctx.file,
            start: start + open,
            end: start + open + len + 1,
        };
        ctx.diags.push(
            Diagnostic::warning(
                "unknown-attribute",
                format!("attributes {{{inner}}} are not understood and are printed as text"),
            )
            .at(span)
            .note(
                "tsigni reads {#id} on headings, [text]{.smallcaps}, [text]{lang=ru} and \
                 {width=60%} on images; remove the braces, or escape them as \\{ \\}",
            ),
        );
        from = open + len + 1;
    }
}

/// `.class`, `#id` and `key=value` words, and nothing else.
fn looks_like_attributes(inner: &str) -> bool {
    let mut words = inner.split_whitespace().peekable();
    words.peek().is_some()
        && words.all(|w| {
            let name = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            };
            match w.split_once('=') {
                Some((k, v)) => name(k) && !v.is_empty(),
                None => w.starts_with(['.', '#']) && name(&w[1..]),
            }
        })
}
