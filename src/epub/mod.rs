//! The EPUB 3 writer: one XHTML file per chapter, a navigation document that is
//! also the table of contents page, an NCX for older readers, the cover, the
//! bibliography, embedded fonts, and accessibility metadata.
//!
//! The package is written with the `zip` crate rather than epub-builder: its
//! 0.8.3 writes a duplicate `id` that EPUBCheck rejects, it cannot carry the
//! EPUB Accessibility metadata or landmarks we need, and it hides the zip
//! timestamps that a reproducible book must fix.

mod landmarks;
mod package;

use crate::html::{esc, Options, Writer};
use crate::model::plain_text;
use crate::prepare::Prepared as Loaded;
use std::fmt::Write as _;
use std::io::Write as _;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One file of the package.
pub struct Item {
    /// Path inside `EPUB/`.
    pub href: String,
    pub id: String,
    pub media_type: String,
    pub properties: Option<String>,
    pub data: Vec<u8>,
    /// In the spine, in this order.
    pub spine: bool,
}

/// Builds the EPUB in memory.
pub fn write(loaded: &Loaded) -> Result<Vec<u8>, crate::error::Error> {
    write_with_pages(loaded, &[])
}

/// Builds the EPUB with print page-break markers where the PDF's pages begin
/// (`places`, in reading order) and a page list in the navigation document.
pub fn write_with_pages(
    loaded: &Loaded,
    places: &[crate::model::PagePlace],
) -> Result<Vec<u8>, crate::error::Error> {
    let book = &loaded.book;
    let lang = &book.config.book.language;
    let t = crate::locale::words(lang);
    let hyphenator = crate::hyphenate::Hyphenator::new(crate::hyphenate::lang_for(lang));
    let opts = Options::epub(book);
    let mut items: Vec<Item> = Vec::new();

    // Cover image and page.
    let cover = &loaded.cover;
    items.push(Item {
        href: format!("images/{}", cover.file_name),
        id: "cover-image".into(),
        media_type: cover.media_type.into(),
        properties: Some("cover-image".into()),
        data: cover.data.clone(),
        spine: false,
    });
    let title = &book.config.book.title;
    let cover_body = format!(
        "<section epub:type=\"cover\" class=\"cover\">\n<img src=\"../images/{}\" alt=\"{}: {}\"/>\n</section>\n",
        esc(&cover.file_name),
        esc(t.cover),
        esc(title)
    );
    items.push(page(
        "cover.xhtml",
        "cover",
        t.cover,
        &cover_body,
        lang,
        true,
    ));

    // Title page.
    let mut tp = String::from("<section epub:type=\"titlepage\" class=\"titlepage\">\n");
    let _ = writeln!(
        tp,
        "<h1 class=\"title\">{}</h1>",
        crate::html::nowrap::title(title)
    );
    if let Some(sub) = &book.config.book.subtitle {
        let _ = writeln!(tp, "<p class=\"subtitle\">{}</p>", esc(sub));
    }
    for a in &book.config.book.authors {
        let _ = writeln!(tp, "<p class=\"author\">{}</p>", esc(a));
    }
    tp.push_str("<div class=\"colophon\">\n");
    tp.push_str(&crate::html::colophon::lines(&book.config.book));
    if loaded.fonts.builtin {
        let _ = writeln!(tp, "<p>{}</p>", esc(t.fonts_note));
    }
    tp.push_str("</div>\n</section>\n");
    items.push(page(
        "title.xhtml",
        "titlepage",
        t.title_page,
        &tp,
        lang,
        true,
    ));

    // The navigation document doubles as the table of contents page.
    items.push(Item {
        href: "nav.xhtml".into(),
        id: "nav".into(),
        media_type: "application/xhtml+xml".into(),
        properties: Some("nav".into()),
        data: package::nav(book, t, places).into_bytes(),
        spine: true,
    });

    for (ci, chapter) in book.chapters.iter().enumerate() {
        let file = format!("{}.xhtml", chapter.id);
        let mut w = Writer::new(book, &hyphenator, file.clone(), opts);
        w.marks = crate::html::marks_of(places, ci);
        w.chapter(ci);
        let title = chapter
            .title()
            .map(|h| plain_text(&h.content, Some(book)))
            .unwrap_or_default();
        items.push(page(&file, &chapter.id, &title, &w.out, lang, true));
    }

    if !book.bibliography.is_empty() {
        let mut w = Writer::new(book, &hyphenator, "bibliography.xhtml", opts);
        w.marks = crate::html::marks_of(places, book.chapters.len());
        let bib_title = &book.config.bibliography.title;
        w.bibliography();
        items.push(page(
            "bibliography.xhtml",
            "bibliography",
            bib_title,
            &w.out,
            lang,
            true,
        ));
    }

    items.push(Item {
        href: "toc.ncx".into(),
        id: "ncx".into(),
        media_type: "application/x-dtbncx+xml".into(),
        properties: None,
        data: package::ncx(book, t, places).into_bytes(),
        spine: false,
    });

    // Each font carries only the characters the book prints: the whole Noto
    // set would be 2.3 MB in every book.
    let mut used = crate::html::text_chars(
        items
            .iter()
            .filter(|i| i.media_type == "application/xhtml+xml")
            .filter_map(|i| std::str::from_utf8(&i.data).ok()),
    );
    let uses = crate::html::Uses::of(book);
    if uses.section_break {
        used.insert(crate::html::SECTION_MARK);
    }
    let code = crate::html::code_chars(book);
    let mut css = String::new();
    for (i, face) in loaded.fonts.faces().iter().enumerate() {
        let chars = crate::html::face_chars(&loaded.fonts, i, &used, &code);
        if !chars.iter().any(|c| face.covers(*c)) {
            continue;
        }
        let data = face.subset(chars).map_err(|e| crate::error::Error::Write {
            path: face.file_name.clone().into(),
            source: std::io::Error::other(format!("cannot subset the font: {e}")),
        })?;
        items.push(Item {
            href: format!("fonts/{}", face.file_name),
            id: format!("font{}", i + 1),
            media_type: font_media_type(&face.file_name).into(),
            properties: None,
            data,
            spine: false,
        });
        let src = format!("src: url(\"../fonts/{}\");", face.file_name);
        let _ = writeln!(css, "{}", crate::html::font_face(face, &src));
    }
    css.push_str(&package::css(&loaded.fonts, opts.hyphenate));
    let mono = crate::html::mono_stack(&loaded.fonts);
    css.push_str(&crate::html::blocks_css(uses, &mono));
    if crate::html::has_tables(&loaded.book) {
        css.push_str(crate::html::TABLE_CSS);
    }
    items.push(Item {
        href: "css/book.css".into(),
        id: "css".into(),
        media_type: "text/css".into(),
        properties: None,
        data: css.into_bytes(),
        spine: false,
    });

    let mut images_done = std::collections::HashSet::new();
    // A note may show an image too.
    let shown = book.chapters.iter().map(|c| &c.blocks);
    for blocks in shown.chain(book.notes.iter().map(|n| &n.blocks)) {
        crate::html::collect_images(blocks, &mut |path: &str| {
            let name = crate::html::image_name(path);
            if !images_done.insert(name.clone()) {
                return;
            }
            if let Some((_, data)) = loaded.images.iter().find(|(p, _)| p == path) {
                let data = data.clone();
                items.push(Item {
                    href: format!("text/images/{name}"),
                    id: format!("img{}", images_done.len()),
                    media_type: crate::html::image_media_type(&data).into(),
                    properties: None,
                    data,
                    spine: false,
                });
            }
        });
    }

    let opf = package::opf(book, &items, !places.is_empty());
    zip_package(crate::timestamp::build_time(book), &opf, &items)
}

fn font_media_type(name: &str) -> &'static str {
    if name.to_ascii_lowercase().ends_with(".otf") {
        "font/otf"
    } else {
        "font/ttf"
    }
}

/// A complete XHTML document around `body`, in `text/`.
fn page(href: &str, id: &str, title: &str, body: &str, lang: &str, spine: bool) -> Item {
    let doc = xhtml_document(title, body, lang, "../css/book.css");
    Item {
        href: format!("text/{href}"),
        id: id.into(),
        media_type: "application/xhtml+xml".into(),
        properties: None,
        data: doc.into_bytes(),
        spine,
    }
}

/// An XHTML content document around `body`, styled by the book's CSS at `css`.
pub fn xhtml_document(title: &str, body: &str, lang: &str, css: &str) -> String {
    let head = format!(
        "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n",
        esc(css)
    );
    crate::html::document(true, title, lang, &head, body)
}

fn zip_package(
    time: crate::timestamp::Civil,
    opf: &str,
    items: &[Item],
) -> Result<Vec<u8>, crate::error::Error> {
    let io = |e: std::io::Error| crate::error::Error::Write {
        path: "EPUB package".into(),
        source: e,
    };
    let zerr = |e: zip::result::ZipError| io(std::io::Error::other(e));
    let (y, mo, d, h, mi, s) = time;
    let when = DateTime::from_date_and_time(y, mo, d, h, mi, s).unwrap_or_default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Level 6 packs the XHTML within 1% of level 9 in a third of the time.
        .compression_level(Some(6))
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The mimetype must come first, uncompressed, with no extra field.
    zip.start_file("mimetype", stored).map_err(zerr)?;
    zip.write_all(b"application/epub+zip").map_err(io)?;
    zip.start_file("META-INF/container.xml", deflated)
        .map_err(zerr)?;
    zip.write_all(package::CONTAINER.as_bytes()).map_err(io)?;
    zip.start_file("EPUB/package.opf", deflated).map_err(zerr)?;
    zip.write_all(opf.as_bytes()).map_err(io)?;
    for item in items {
        // Images and fonts are already compressed; deflating them again only costs time.
        let opts = if item.media_type.starts_with("image/png")
            || item.media_type.starts_with("image/jpeg")
        {
            stored
        } else {
            deflated
        };
        zip.start_file(format!("EPUB/{}", item.href), opts)
            .map_err(zerr)?;
        zip.write_all(&item.data).map_err(io)?;
    }
    let cursor = zip.finish().map_err(zerr)?;
    Ok(cursor.into_inner())
}
