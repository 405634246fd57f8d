//! The model as (X)HTML, shared by the EPUB and the web edition. The two
//! differ only in [`Options`]: link form, `epub:type` attributes, soft
//! hyphens, paragraph anchors and the document wrapper.

mod blocks;
pub mod colophon;
pub mod contents;
mod figure;
mod marks;
pub mod nowrap;
mod table;
mod writer;

pub use blocks::{code_chars, css as blocks_css, face_chars, mono_stack, Uses, SECTION_MARK};
pub use table::{has_tables, TABLE_CSS};
pub use writer::Writer;

use crate::model::Block;

/// What distinguishes one target's markup from another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Extension of the documents that links point to (`xhtml`, `html`).
    pub ext: &'static str,
    /// `epub:type` beside the ARIA roles: EPUB reading systems want it, and
    /// HTML has no such attribute.
    pub epub_types: bool,
    /// Soft hyphens in body text.
    pub hyphenate: bool,
    /// XHTML with an XML declaration, else an HTML5 document.
    pub xml: bool,
    /// The document that holds the table of contents.
    pub contents: &'static str,
    /// An id on every paragraph, list item and heading, recorded with its
    /// text in [`Writer::anchors`] (the web edition's search links to them).
    pub anchors: bool,
}

impl Options {
    /// The EPUB's XHTML content documents.
    pub fn epub(book: &crate::model::Book) -> Options {
        Options {
            ext: "xhtml",
            epub_types: true,
            hyphenate: book.config.epub.hyphenate,
            xml: true,
            contents: "nav.xhtml",
            anchors: false,
        }
    }

    /// The web edition's pages: no soft hyphens, so that a browser's search
    /// and copy find every word as written.
    pub const WEB: Options = Options {
        ext: "html",
        epub_types: false,
        hyphenate: false,
        xml: false,
        contents: "index.html",
        anchors: true,
    };

    /// ` epub:type="…"` for the EPUB, nothing for HTML.
    fn epub_type(&self, kind: &str) -> String {
        if self.epub_types {
            format!(" epub:type=\"{kind}\"")
        } else {
            String::new()
        }
    }
}

/// A complete document around `body`, `head` after its title: XHTML with
/// an XML declaration (see [`Options::xml`]) or HTML5.
pub fn document(xml: bool, title: &str, lang: &str, head: &str, body: &str) -> String {
    let (l, t) = (esc(lang), esc(title));
    if xml {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{l}\" xml:lang=\"{l}\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{t}</title>\n{head}</head>\n<body>\n{body}</body>\n</html>\n"
        )
    } else {
        format!(
            "<!DOCTYPE html>\n<html lang=\"{l}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n{head}</head>\n<body>\n{body}</body>\n</html>\n"
        )
    }
}

/// Every character of the text of the documents (not of their markup), plus
/// the hyphens a reader's browser draws where it breaks a word: what the
/// embedded fonts must cover. The writers escape only the five XML entities.
pub fn text_chars<'a>(docs: impl IntoIterator<Item = &'a str>) -> std::collections::BTreeSet<char> {
    let mut set: std::collections::HashSet<char> = ['-', '\u{2010}', ' '].into_iter().collect();
    for doc in docs {
        let mut rest = doc;
        while !rest.is_empty() {
            let (text, after) = rest.split_once('<').unwrap_or((rest, ""));
            let mut t = text;
            while let Some((plain, tail)) = t.split_once('&') {
                set.extend(plain.chars());
                let (name, tail) = tail.split_once(';').unwrap_or((tail, ""));
                set.extend(match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                });
                t = tail;
            }
            set.extend(t.chars());
            // Skip the tag; attribute values never hold a raw `>`.
            rest = after.split_once('>').map_or("", |(_, r)| r);
        }
    }
    set.into_iter().filter(|c| !c.is_control()).collect()
}

/// The `@font-face` rule of `face`, its source (and any other descriptor)
/// given as `src`.
pub fn font_face(face: &crate::fonts::Face, src: &str) -> String {
    format!(
        "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; {src} }}",
        face.family.replace('"', ""),
        face.weight,
        if face.italic { "italic" } else { "normal" },
    )
}

/// The CSS font stack of the book's regular chain, ending in `serif`.
pub fn font_stack(fonts: &crate::fonts::FontSet) -> String {
    let mut families: Vec<String> = Vec::new();
    for &i in fonts.chain(crate::fonts::Style::Regular) {
        let f = format!("\"{}\"", fonts.face(i).family.replace('"', ""));
        if !families.contains(&f) {
            families.push(f);
        }
    }
    families.push("serif".into());
    families.join(", ")
}

/// The document of chapter `chapter` (`ch05.xhtml`), empty past the last.
pub fn chapter_file(book: &crate::model::Book, chapter: usize, ext: &str) -> String {
    book.chapters
        .get(chapter)
        .map(|c| format!("{}.{ext}", c.id))
        .unwrap_or_default()
}

/// Where a manuscript image lives, relative to the documents.
pub fn image_href(path: &str) -> String {
    format!("images/{}", image_name(path))
}

/// A flat, safe file name for a manuscript image path.
pub fn image_name(path: &str) -> String {
    let name: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("img-{name}")
}

/// XML 1.0 forbids most control characters; they can only be typos.
pub fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\t' || c == '\n')
        .collect()
}

pub fn esc(s: &str) -> String {
    quick_xml::escape::escape(xml_safe(s).as_str()).into_owned()
}

/// Anchor id for a bibliography entry key.
pub fn ref_id(key: &str) -> String {
    format!("ref-{}", crate::bibliography::sanitize_id(key))
}

/// The page places in `chapter` (one past the last: the bibliography).
pub fn marks_of(
    places: &[crate::model::PagePlace],
    chapter: usize,
) -> Vec<crate::model::PagePlace> {
    places
        .iter()
        .filter(|p| p.chapter == chapter)
        .cloned()
        .collect()
}

/// Calls `f` with the manuscript path of every image in `blocks`.
pub fn collect_images(blocks: &[Block], f: &mut dyn FnMut(&str)) {
    for b in blocks {
        match b {
            Block::Figure(fig) => f(&fig.path),
            Block::List { items, .. } => {
                for i in items {
                    collect_images(i, f);
                }
            }
            Block::BlockQuote { blocks, .. } | Block::Epigraph { blocks, .. } => {
                collect_images(blocks, f)
            }
            Block::DefinitionList { items, .. } => {
                for d in items.iter().flat_map(|d| &d.definitions) {
                    collect_images(d, f);
                }
            }
            _ => {}
        }
    }
}

/// The media type of an image, from its first bytes.
pub fn image_media_type(data: &[u8]) -> &'static str {
    match image::guess_format(data) {
        Ok(image::ImageFormat::Png) => "image/png",
        Ok(image::ImageFormat::Jpeg) => "image/jpeg",
        Ok(image::ImageFormat::Gif) => "image/gif",
        Ok(image::ImageFormat::WebP) => "image/webp",
        _ => "image/svg+xml",
    }
}
