//! Superscript, subscript, strikethrough (pulldown-cmark's own events) and
//! bracketed spans (small caps, another language) into the model.

use super::spans::Attrs;
use super::{convert_inlines, finish, Ctx, Node};
use crate::diagnostics::Diagnostic;
use crate::manuscript::citations::Piece;
use crate::manuscript::quotes::Quoter;
use crate::model::{Inline, LangSpan, Mark};
use pulldown_cmark::Tag;
use std::ops::Range;

/// `^x^`, `~x~`, `~~x~~`.
pub(super) fn tag(tag: Tag, children: Vec<Node>, ctx: &mut Ctx, quoter: &mut Quoter) -> Piece {
    let mark = match tag {
        Tag::Superscript => Mark::Superscript,
        Tag::Subscript => Mark::Subscript,
        _ => Mark::Strikethrough,
    };
    let inner = finish(convert_inlines(children, ctx, quoter));
    Piece::Inline(Inline::Marked(mark, inner))
}

/// `[…]{.smallcaps}`, `[…]{lang=ru}`: the content in the language's
/// quotation marks, wrapped in what the attributes ask for; unknown
/// attributes and malformed language tags are warnings at the span.
pub(super) fn span(
    attrs: Attrs,
    range: Range<usize>,
    children: Vec<Node>,
    ctx: &mut Ctx,
    quoter: &mut Quoter,
) -> Vec<Piece> {
    let span = ctx.span(&range);
    for a in &attrs.unknown {
        ctx.diags.push(
            Diagnostic::warning(
                "unknown-attribute",
                format!("the span's attribute `{a}` is not understood and is left out"),
            )
            .at(span)
            .note("spans take `.smallcaps` and `lang=…` (a BCP 47 tag such as `ru` or `en-GB`)"),
        );
    }
    let lang = attrs.lang.filter(|tag| {
        let ok = crate::locale::is_valid_tag(tag);
        if !ok {
            ctx.diags.push(
                Diagnostic::warning(
                    "bad-language-tag",
                    format!("`{tag}` is not a BCP 47 language tag; the span is left in the book's language"),
                )
                .at(span)
                .note("write a tag such as `ru`, `el`, `en-GB` or `de-1901`"),
            );
        }
        ok
    });
    // A passage quotes by its own language's marks where tsigni knows them.
    let own = lang.as_deref().and_then(Quoter::for_lang);
    let inner = match own {
        Some(mut q) => {
            let quotes = std::mem::replace(&mut ctx.georgian_quotes, true);
            let inner = convert_inlines(children, ctx, &mut q);
            ctx.georgian_quotes = quotes;
            inner
        }
        None => convert_inlines(children, ctx, quoter),
    };
    let mut content = finish(inner);
    if attrs.smallcaps {
        content = vec![Inline::Marked(Mark::SmallCaps, content)];
    }
    if let Some(tag) = lang {
        content = vec![Inline::Lang(LangSpan { tag, content, span })];
    }
    content.into_iter().map(Piece::Inline).collect()
}
