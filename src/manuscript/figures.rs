//! Figures as pandoc reads them: an image alone in a paragraph, its
//! description the caption, with an optional attribute block right after
//! it: `![Map of Kartli](map.png){#fig:map width=60%}`. pulldown-cmark has
//! no attributes on images, so the block arrives as the paragraph's text
//! after the image and is read here.

use super::{check_image, convert_inlines_top, plain_of, Ctx, Node};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Figure, Span};
use pulldown_cmark::{Event, Tag};

/// The figure a paragraph holding only an image, and perhaps its attribute
/// block, stands for; the paragraph's nodes back when it is something else.
pub(super) fn figure<'a>(children: Vec<Node<'a>>, ctx: &mut Ctx) -> Result<Figure, Vec<Node<'a>>> {
    if !matches!(children.first(), Some(Node::Tag(Tag::Image { .. }, ..))) {
        return Err(children);
    }
    let mut after = String::new();
    let mut after_start = None;
    for n in children.iter().skip(1) {
        match n {
            Node::Leaf(Event::Text(t), r) => {
                after_start.get_or_insert(r.start);
                after.push_str(t);
            }
            Node::Leaf(Event::SoftBreak, _) => after.push(' '),
            _ => return Err(children),
        }
    }
    let attrs = match after_start {
        None => None,
        Some(start) => match attr_block(&after) {
            Some(inner) => Some((inner.to_string(), start)),
            None => return Err(children),
        },
    };
    let mut nodes = children.into_iter();
    let Some(Node::Tag(Tag::Image { dest_url, .. }, irange, alt)) = nodes.next() else {
        // Checked above: the first node is the image.
        return Err(Vec::new());
    };
    let span = ctx.span(&irange);
    let path = dest_url.to_string();
    check_image(&path, span, ctx);
    let alt_text = plain_of(&alt);
    let caption = convert_inlines_top(alt, ctx);
    let attrs = match attrs {
        Some((inner, start)) => {
            let span = ctx.span(&(start..start + after.trim_end().len()));
            parse_attrs(&inner, span, ctx.diags)
        }
        None => Default::default(),
    };
    if attrs.label.is_some() && caption.is_empty() {
        ctx.diags.push(
            Diagnostic::warning(
                "figure-label",
                "an image without a description is not a numbered figure; its label is unused",
            )
            .at(span)
            .note("describe the image: ![description](path){#fig:name}"),
        );
    }
    Ok(Figure {
        path,
        alt: alt_text.trim().to_string(),
        caption,
        label: attrs.label,
        number: None,
        width: attrs.width,
        span,
    })
}

/// What an attribute block after an image says that tsigni can apply.
#[derive(Debug, Default, PartialEq)]
struct FigureAttrs {
    pub label: Option<String>,
    pub width: Option<f32>,
}

/// The attribute block `{…}` in `text` (the paragraph's text after the
/// image), or `None` when that text is anything else.
fn attr_block(text: &str) -> Option<&str> {
    let t = text.trim();
    let inner = t.strip_prefix('{')?.strip_suffix('}')?;
    (!inner.contains(['{', '}'])).then_some(inner)
}

/// Reads the inside of an attribute block; what it cannot apply is a
/// warning at `span` (the block).
fn parse_attrs(inner: &str, span: Span, diags: &mut Diagnostics) -> FigureAttrs {
    let mut attrs = FigureAttrs::default();
    for token in tokens(inner) {
        if let Some(id) = token.strip_prefix('#') {
            if id.starts_with("fig:") && id.len() > 4 && !id.contains(char::is_whitespace) {
                attrs.label = Some(id.to_string());
            } else {
                diags.push(
                    Diagnostic::warning(
                        "figure-label",
                        format!(
                            "figure label #{id} is not used: a figure's label starts with fig:"
                        ),
                    )
                    .at(span)
                    .note(format!("write {{#fig:{}}}", id.trim_start_matches("fig:"))),
                );
            }
        } else if let Some((key, value)) = token.split_once('=') {
            let value = value.trim_matches('"');
            if key == "width" {
                match percent(value) {
                    Some(w) => attrs.width = Some(w),
                    None => diags.push(
                        Diagnostic::warning(
                            "figure-width",
                            format!("width={value} cannot be applied and is ignored"),
                        )
                        .at(span)
                        .note("give the width as a share of the text width, e.g. {width=60%}"),
                    ),
                }
            } else {
                diags.push(unknown(&format!("{key}={value}"), span));
            }
        } else {
            diags.push(unknown(token, span));
        }
    }
    attrs
}

fn unknown(what: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        "unknown-attribute",
        format!("the attribute {what} on a figure is not applied"),
    )
    .at(span)
    .note("a figure takes a label {#fig:name} and a width {width=60%}")
}

/// Whitespace-separated tokens, keeping quoted values whole.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match (start, c) {
            (Some(_), '"') => quoted = !quoted,
            (Some(b), c) if c.is_whitespace() && !quoted => {
                out.push(&s[b..i]);
                start = None;
            }
            (None, c) if !c.is_whitespace() => {
                start = Some(i);
                quoted = c == '"';
            }
            _ => {}
        }
    }
    if let Some(b) = start {
        out.push(&s[b..]);
    }
    out
}

/// `60%` as 0.6; a share above 100% or not above 0 is not one.
fn percent(v: &str) -> Option<f32> {
    let n: f32 = v.strip_suffix('%')?.trim().parse().ok()?;
    (n > 0.0 && n <= 100.0).then_some(n / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_and_width_are_read_and_the_rest_warned() {
        let mut d = Diagnostics::default();
        let span = Span::default();
        let a = parse_attrs("#fig:map width=60%", span, &mut d);
        assert_eq!(a.label.as_deref(), Some("fig:map"));
        assert_eq!(a.width, Some(0.6));
        assert!(d.is_empty());
        let a = parse_attrs("width=5cm .wide height=\"3 in\"", span, &mut d);
        assert_eq!(a, FigureAttrs::default());
        assert_eq!(d.list.len(), 3);
        assert_eq!(attr_block(" {#fig:a} "), Some("#fig:a"));
        assert_eq!(attr_block("text"), None);
    }
}
