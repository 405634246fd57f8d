//! The PDF typesetter: the book laid out by tsigni's own engine and drawn
//! with krilla.
//!
//! In layers, each using only those below it:
//!
//! - `text`: shaping, inline items, hyphenation and Knuth–Plass line
//!   breaking — a paragraph into lines;
//! - `flow`: blocks into a vertical flow of lines, images and spaces,
//!   footnotes, and pagination;
//! - `pages`: the page's geometry, body and contents pages with running
//!   heads and folios, the cover and title page, the contents;
//! - `frame`: what they hand on — positioned glyph runs, rules and images,
//!   and the book's logical structure that their keys point into;
//! - `export`: the only code that touches krilla — drawing, the tag tree,
//!   links, outline, page labels, metadata, PDF/A and PDF/UA.
//!
//! The PDF conforms to `[pdf] standard` (PDF/A-2u by default) and to PDF/UA-1,
//! both checked by krilla as it writes; every body page also records
//! where its text begins ([`page_places`]) for the EPUB's page list.

mod export;
mod flow;
mod frame;
mod pages;
mod steps;
mod tables;
mod text;
mod view;

pub use frame::{Images, LinkTarget, OutlineEntry, PageKind, Place};
pub use pages::{Layout, BIBLIOGRAPHY_ID};
pub use steps::{set_chapter, ChapterFlow};
pub use tables::check_tables;
pub use view::{LineView, PageView};

use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::fonts::FontSet;
use crate::model::{Book, PagePlace};
use pages::Keep;

pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// For each page, in order: its number, printed label, headings and first words.
    pub page_starts: Vec<PageStart>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageStart {
    /// 1-based physical page.
    pub page: usize,
    /// The page's number, as its label in the PDF gives it; "" on the
    /// cover and the title pages. A blank page has one, though it prints
    /// none.
    pub label: String,
    /// A blank page, left so that the next one falls on a recto.
    pub blank: bool,
    /// The first few words of text on the page.
    pub first_words: String,
    /// Ids of the headings that start on the page.
    pub headings: Vec<String>,
    /// Where the page's first line of text comes from (a chapter's or the
    /// bibliography's), for the EPUB's page list; `None` on the front matter.
    pub place: Option<PagePlace>,
}

/// Typesets the book without its images (each shows its description).
pub fn render(book: &Book, fonts: &FontSet, cover: &Cover) -> Result<PdfOutput, Diagnostics> {
    render_with_images(book, fonts, cover, &[])
}

/// Typesets the book, drawing each image the manuscript names.
pub fn render_with_images(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<PdfOutput, Diagnostics> {
    render_sharing_places(book, fonts, cover, images, |_| ())
}

/// Typesets the book and hands `places` the body pages' [`page_places`] as
/// soon as the layout is done, before drawing, so that the EPUB's page list
/// can be written meanwhile without laying the book out a second time. A
/// layout that fails hands on its diagnostics instead.
pub fn render_sharing_places(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
    places: impl FnOnce(Result<Vec<PagePlace>, Diagnostics>),
) -> Result<PdfOutput, Diagnostics> {
    // Compressing the cover's pixels (and decoding them, when loading left
    // none) is the costliest single step and needs nothing from the layout:
    // do it meanwhile.
    let archival = export::is_archival(&book.config.pdf.standard);
    let (laid, image) = std::thread::scope(|s| {
        let image = s.spawn(|| export::cover_image(cover, archival));
        let laid = layout_with_images(book, fonts, cover, images);
        match &laid {
            Ok(l) => places(Ok(l.places())),
            Err(d) => places(Err(d.clone())),
        }
        (laid, image.join().ok().flatten())
    });
    let mut laid = laid?;
    let bytes =
        export::emit(&mut laid, fonts, image, book, images).map_err(|list| Diagnostics { list })?;
    Ok(PdfOutput {
        bytes,
        pages: laid.pages.len(),
        page_starts: page_starts(&laid),
    })
}

/// Each page's number, label, headings and first words.
fn page_starts(laid: &Layout) -> Vec<PageStart> {
    laid.pages
        .iter()
        .zip(&laid.info)
        .enumerate()
        .map(|(i, (p, info))| PageStart {
            page: i + 1,
            label: match p.kind {
                PageKind::Body | PageKind::Contents | PageKind::Front => {
                    info.folio.clone().unwrap_or_default()
                }
                PageKind::Cover | PageKind::Title => String::new(),
            },
            blank: info.blank,
            first_words: info.first_words.clone(),
            headings: info.headings.clone(),
            place: info.place.clone(),
        })
        .collect()
}

/// Where each printed page of the body begins in the text of the chapters
/// and the bibliography, in page order, for the EPUB's page list
/// (`epub::write_with_pages`). Only lays the book out: nothing is drawn.
/// Pages of the front matter have no place and are left out.
pub fn page_places(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<Vec<PagePlace>, Diagnostics> {
    Ok(pages::lay_out(book, fonts, cover, images, Keep::Places)?.places())
}

/// Lays the whole book out into pages.
pub fn layout(book: &Book, fonts: &FontSet, cover: &Cover) -> Result<Layout, Diagnostics> {
    layout_with_images(book, fonts, cover, &[])
}

/// Lays the whole book out into pages, images included.
pub fn layout_with_images(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<Layout, Diagnostics> {
    pages::lay_out(book, fonts, cover, images, Keep::All)
}
