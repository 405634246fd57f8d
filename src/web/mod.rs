//! The web edition: a static site of the book, written by the same XHTML
//! writer as the EPUB with [`Options::WEB`]. One page per chapter, a
//! contents page with the cover and title page, the bibliography, the book's
//! fonts as WOFF2, print page marks from the PDF's pagination, notes in the
//! margin or in a popup, and a search index that works offline.
//!
//! Every link is relative and nothing is fetched, so the directory works
//! from `file://` as well as from any static host.

mod fonts;
mod page;
mod search;

use crate::error::Error;
use crate::html::{self, Options, Writer};
use crate::model::{plain_text, PagePlace};
use crate::prepare::Prepared as Loaded;
use page::Page;
use std::path::PathBuf;

/// The files of the edition, by their path inside its directory.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// The style sheet after the `@font-face` rules; `FONT_STACK` is replaced by
/// the book's font families.
const CSS: &str = include_str!("book.css");
/// Notes beside the text or in a popup, and the search box.
const SCRIPT: &str = include_str!("book.js");

/// Builds the web edition in memory. `places` are where the PDF's pages
/// begin (empty: no page marks); `pdf` is the PDF's address relative to the
/// edition's directory when it is built beside it, for `citation_pdf_url`.
pub fn write(loaded: &Loaded, places: &[PagePlace], pdf: Option<&str>) -> Result<Files, Error> {
    let book = &loaded.book;
    let lang = &book.config.book.language;
    let hyphenator = crate::hyphenate::Hyphenator::new(crate::hyphenate::lang_for(lang));
    let meta = page::head(book, pdf);

    let mut bodies: Vec<(Page, String)> = Vec::new();
    let mut anchors: Vec<Vec<(String, String)>> = Vec::new();
    for (ci, chapter) in book.chapters.iter().enumerate() {
        let file = html::chapter_file(book, ci, "html");
        let mut w = Writer::new(book, &hyphenator, file.clone(), Options::WEB);
        w.marks = html::marks_of(places, ci);
        w.chapter(ci);
        let title = chapter
            .title()
            .map(|h| plain_text(&h.content, Some(book)))
            .unwrap_or_default();
        bodies.push((Page { file, title }, w.out));
        anchors.push(w.anchors);
    }
    if !book.bibliography.is_empty() {
        let file = "bibliography.html".to_string();
        let mut w = Writer::new(book, &hyphenator, file.clone(), Options::WEB);
        w.marks = html::marks_of(places, book.chapters.len());
        w.bibliography();
        let title = book.config.bibliography.title.clone();
        bodies.push((Page { file, title }, w.out));
        anchors.push(w.anchors);
    }

    let pages: Vec<&Page> = bodies.iter().map(|(p, _)| p).collect();
    let mut files: Files = Vec::new();
    let index = page::index(loaded);
    files.push((
        "index.html".into(),
        page::document(book, &meta, None, &pages, &index),
    ));
    for (i, (p, body)) in bodies.iter().enumerate() {
        let doc = page::document(book, &meta, Some(i), &pages, body);
        files.push((PathBuf::from(&p.file), doc));
    }

    let mut used = html::text_chars(
        files
            .iter()
            .filter_map(|(_, d)| std::str::from_utf8(d).ok())
            .chain(page::script_words(book)),
    );
    let uses = html::Uses::of(book);
    if uses.section_break {
        used.insert(html::SECTION_MARK);
    }
    let code = html::code_chars(book);
    let (faces, font_files) = fonts::woff2_faces(&loaded.fonts, &used, &code)?;
    files.extend(font_files);
    let mut css = CSS.replace("FONT_STACK", &html::font_stack(&loaded.fonts));
    css.push_str(&html::blocks_css(uses, &html::mono_stack(&loaded.fonts)));
    css.push_str(html::nowrap::CSS);
    if html::has_tables(book) {
        css.push_str(html::TABLE_CSS);
    }
    files.push(("book.css".into(), format!("{faces}{css}").into_bytes()));
    files.push(("book.js".into(), SCRIPT.as_bytes().to_vec()));
    files.push(("search.js".into(), search::script(&pages, &anchors)));
    files.extend(images(loaded));
    Ok(files)
}

/// The cover and the images the chapters and notes show, under `images/`.
fn images(loaded: &Loaded) -> Files {
    let mut out: Files = vec![(
        PathBuf::from("images").join(&loaded.cover.file_name),
        loaded.cover.data.clone(),
    )];
    // A note may show an image too.
    let book = &loaded.book;
    let shown = book.chapters.iter().map(|c| &c.blocks);
    for blocks in shown.chain(book.notes.iter().map(|n| &n.blocks)) {
        html::collect_images(blocks, &mut |path: &str| {
            let href = PathBuf::from(html::image_href(path));
            if out.iter().any(|(p, _)| *p == href) {
                return;
            }
            if let Some((_, data)) = loaded.images.iter().find(|(p, _)| p == path) {
                out.push((href, data.clone()));
            }
        });
    }
    out
}
