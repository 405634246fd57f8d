//! `[@fig:map, page]`: a cross-reference that names the page its target
//! stands on. The page is known only once the book is laid out, so a book
//! with such references is laid out twice: first with a placeholder of
//! two digits, to learn where each target falls, then with the pages.
//! (A reference whose page changes the lines enough to move its target
//! again is not chased further.)

use super::{lay_out_once, Keep, Layout};
use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::model::Book;
use std::collections::HashMap;

/// Lays the book out, with the pages of cross-references that ask for one.
pub(crate) fn lay_out(
    book: &Book,
    fonts: &crate::fonts::FontSet,
    cover: &Cover,
    images: &[(String, Vec<u8>)],
    keep: Keep,
) -> Result<Layout, Diagnostics> {
    let asks = |b: &Book| {
        b.refs
            .iter()
            .any(|r| r.items.iter().any(|i| i.page && i.target.is_some()))
    };
    if !asks(book) {
        return lay_out_once(book, fonts, cover, images, keep);
    }
    let mut with_pages = book.clone();
    set_labels(&mut with_pages, &|_| Some("00".into()));
    let first = lay_out_once(&with_pages, fonts, cover, images, Keep::All)?;
    let mut folios: HashMap<&str, String> = HashMap::new();
    for (page, info) in first.pages.iter().zip(&first.info) {
        let Some(folio) = &info.folio else { continue };
        for a in &page.anchors {
            folios.entry(a.id.as_str()).or_insert_with(|| folio.clone());
        }
    }
    set_labels(&mut with_pages, &|anchor| folios.get(anchor).cloned());
    lay_out_once(&with_pages, fonts, cover, images, keep)
}

/// Gives every item asking for a page the label `page_of` finds for its
/// target's anchor.
fn set_labels(book: &mut Book, page_of: &dyn Fn(&str) -> Option<String>) {
    let anchors: Vec<Vec<Option<String>>> = book
        .refs
        .iter()
        .map(|r| {
            r.items
                .iter()
                .map(|i| i.target.as_ref().map(|t| t.anchor(book)))
                .collect()
        })
        .collect();
    for (r, anchors) in book.refs.iter_mut().zip(anchors) {
        for (item, anchor) in r.items.iter_mut().zip(anchors) {
            if item.page {
                item.page_label = anchor.as_deref().and_then(page_of);
            }
        }
    }
}
