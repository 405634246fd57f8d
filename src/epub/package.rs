//! The package documents: OPF metadata, manifest and spine; the navigation
//! document (table of contents and landmarks); the NCX; the style sheet.

use super::{xhtml_document, Item};
use crate::fonts::FontSet;
use crate::html::contents::{depths, toc_entries, toc_list};
use crate::html::esc;
use crate::locale::Words as Terms;
use crate::model::{Book, Target};
use crate::timestamp::build_time;
use std::fmt::Write;

pub const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

pub fn nav(book: &Book, t: &Terms, places: &[crate::model::PagePlace]) -> String {
    let entries = toc_entries(book, "text/", &crate::html::Options::epub(book));
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">\n<h1 id=\"toc-title\">{}</h1>",
        esc(t.contents)
    );
    body.push_str(&toc_list(&entries));
    body.push_str("</nav>\n");

    let first = book
        .chapters
        .iter()
        .find(|c| !c.kind.is_front())
        .map(|c| format!("text/{}.xhtml", c.id))
        .unwrap_or_else(|| "text/title.xhtml".into());
    let _ = writeln!(
        body,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>\n<li><a epub:type=\"cover\" href=\"text/cover.xhtml\">{}</a></li>\n<li><a epub:type=\"titlepage\" href=\"text/title.xhtml\">{}</a></li>\n<li><a epub:type=\"toc\" href=\"nav.xhtml\">{}</a></li>\n<li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>",
        esc(t.landmarks),
        esc(t.cover),
        esc(t.title_page),
        esc(t.contents),
        esc(&first),
        esc(t.start),
    );
    body.push_str(&crate::epub::landmarks::structure(book));
    if !book.bibliography.is_empty() {
        let _ = writeln!(
            body,
            "<li><a epub:type=\"bibliography\" href=\"text/bibliography.xhtml\">{}</a></li>",
            esc(&book.config.bibliography.title)
        );
    }
    body.push_str("</ol>\n</nav>\n");
    if !places.is_empty() {
        let _ = writeln!(
            body,
            "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" aria-labelledby=\"page-list-title\" hidden=\"hidden\">\n<h2 id=\"page-list-title\">{}</h2>\n<ol>",
            esc(t.pages)
        );
        for p in places {
            let file = match book.chapters.get(p.chapter) {
                Some(c) => format!("text/{}.xhtml", c.id),
                None => "text/bibliography.xhtml".to_string(),
            };
            let _ = writeln!(
                body,
                "<li><a href=\"{}#{}\">{}</a></li>",
                esc(&file),
                esc(&Target::Page(p.label.clone()).anchor(book)),
                esc(&p.label)
            );
        }
        body.push_str("</ol>\n</nav>\n");
    }
    xhtml_document(
        t.contents,
        &body,
        &book.config.book.language,
        "css/book.css",
    )
}

/// The NCX; its page counts are those of the page list (`places`).
pub fn ncx(book: &Book, t: &Terms, places: &[crate::model::PagePlace]) -> String {
    let entries = toc_entries(book, "text/", &crate::html::Options::epub(book));
    let depth = depths(&entries);
    let max_depth = depth.iter().copied().max().unwrap_or(1);
    let mut points = String::new();
    let mut open = 0usize;
    for (i, e) in entries.iter().enumerate() {
        let d = depth[i];
        while open >= d {
            points.push_str("</navPoint>\n");
            open -= 1;
        }
        let _ = writeln!(
            points,
            "<navPoint id=\"np{n}\" playOrder=\"{n}\"><navLabel><text>{}</text></navLabel><content src=\"{}\"/>",
            esc(&e.text),
            esc(&e.href),
            n = i + 1
        );
        open = d;
    }
    while open > 0 {
        points.push_str("</navPoint>\n");
        open -= 1;
    }
    let _ = t;
    let (total, max) = page_counts(places);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{lang}\">\n<head>\n<meta name=\"dtb:uid\" content=\"{uid}\"/>\n<meta name=\"dtb:depth\" content=\"{max_depth}\"/>\n<meta name=\"dtb:totalPageCount\" content=\"{total}\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"{max}\"/>\n</head>\n<docTitle><text>{title}</text></docTitle>\n<navMap>\n{points}</navMap>\n</ncx>\n",
        lang = esc(&book.config.book.language),
        uid = esc(&book.config.book.identifier),
        title = esc(&book.config.book.title),
    )
}

/// `dtb:totalPageCount` and `dtb:maxPageNumber`: how many print pages the
/// page list names, and the highest page number among them (0, as the NCX
/// specification asks, when the book lists no pages).
fn page_counts(places: &[crate::model::PagePlace]) -> (usize, u64) {
    let max = places
        .iter()
        .filter_map(|p| p.label.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    (places.len(), max)
}

pub fn opf(book: &Book, items: &[Item], page_list: bool) -> String {
    let b = &book.config.book;
    let (y, mo, d, h, mi, s) = build_time(book);
    let modified = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    let mut m = String::new();
    let _ = writeln!(
        m,
        "<dc:identifier id=\"pub-id\">{}</dc:identifier>",
        esc(&b.identifier)
    );
    let _ = writeln!(m, "<dc:title id=\"title\">{}</dc:title>", esc(&b.title));
    if let Some(sub) = &b.subtitle {
        let _ = writeln!(m, "<dc:title id=\"subtitle\">{}</dc:title>", esc(sub));
        let _ = writeln!(
            m,
            "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>"
        );
        let _ = writeln!(
            m,
            "<meta refines=\"#title\" property=\"title-type\">main</meta>"
        );
    }
    let _ = writeln!(m, "<dc:language>{}</dc:language>", esc(&b.language));
    let _ = writeln!(m, "<meta property=\"dcterms:modified\">{modified}</meta>");
    for (i, a) in b.authors.iter().enumerate() {
        let _ = writeln!(
            m,
            "<dc:creator id=\"creator{n}\">{}</dc:creator>\n<meta refines=\"#creator{n}\" property=\"role\" scheme=\"marc:relators\">aut</meta>",
            esc(a),
            n = i + 1
        );
    }
    if let Some(p) = &b.publisher {
        let _ = writeln!(m, "<dc:publisher>{}</dc:publisher>", esc(p));
    }
    if let Some(date) = &b.date {
        let _ = writeln!(m, "<dc:date>{}</dc:date>", esc(date));
    }
    if let Some(desc) = &b.description {
        let _ = writeln!(m, "<dc:description>{}</dc:description>", esc(desc));
    }
    for k in &b.keywords {
        let _ = writeln!(m, "<dc:subject>{}</dc:subject>", esc(k));
    }
    if let Some(r) = &b.rights {
        let _ = writeln!(m, "<dc:rights>{}</dc:rights>", esc(r));
    }
    if let Some(isbn) = &b.isbn {
        let _ = writeln!(
            m,
            "<dc:identifier id=\"isbn\">urn:isbn:{}</dc:identifier>",
            esc(isbn)
        );
    }
    // EPUB Accessibility 1.1 (schema.org) metadata: what the book offers, and
    // that it holds no hazards.
    m.push_str(
        "<meta property=\"schema:accessMode\">textual</meta>\n\
         <meta property=\"schema:accessMode\">visual</meta>\n\
         <meta property=\"schema:accessModeSufficient\">textual</meta>\n\
         <meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>\n\
         <meta property=\"schema:accessibilityFeature\">tableOfContents</meta>\n\
         <meta property=\"schema:accessibilityFeature\">readingOrder</meta>\n\
         <meta property=\"schema:accessibilityFeature\">alternativeText</meta>\n\
         <meta property=\"schema:accessibilityFeature\">displayTransformability</meta>\n\
         <meta property=\"schema:accessibilityHazard\">none</meta>\n\
         <meta property=\"schema:accessibilitySummary\">This publication conforms to EPUB Accessibility 1.1 and WCAG 2.1 Level AA. It has a table of contents, a heading structure that matches it, footnotes linked both ways, citations linked to the bibliography, and a text description of the cover image. Text reflows and its fonts can be changed.</meta>\n\
         <meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>\n\
         <meta property=\"a11y:certifiedBy\">tsigni (automated checks: EPUBCheck, Ace by DAISY)</meta>\n",
    );
    if page_list {
        // The page list follows the PDF built from the same manuscript,
        // which carries the same identifier.
        m.push_str(
            "<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>\n\
             <meta property=\"schema:accessibilityFeature\">pageNavigation</meta>\n",
        );
        let _ = writeln!(
            m,
            "<meta property=\"pageBreakSource\">{}</meta>",
            esc(&b.identifier)
        );
    }
    m.push_str("<meta name=\"cover\" content=\"cover-image\"/>\n");

    let mut manifest = String::new();
    let mut spine = String::new();
    for item in items {
        let props = item
            .properties
            .as_ref()
            .map(|p| format!(" properties=\"{}\"", esc(p)))
            .unwrap_or_default();
        let _ = writeln!(
            manifest,
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"{props}/>",
            esc(&item.id),
            esc(&item.href),
            esc(&item.media_type)
        );
        if item.spine {
            let _ = writeln!(spine, "<itemref idref=\"{}\"/>", esc(&item.id));
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\" xml:lang=\"{lang}\" prefix=\"a11y: http://www.idpf.org/epub/vocab/package/a11y/#\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{m}</metadata>\n<manifest>\n{manifest}</manifest>\n<spine toc=\"ncx\">\n{spine}</spine>\n</package>\n",
        lang = esc(&b.language)
    )
}

/// The book's style: the fonts as a stack (Georgian face first, Latin beside
/// it), text set as [`text_setting`] decides, notes smaller.
pub fn css(fonts: &FontSet, soft_hyphens: bool) -> String {
    let stack = crate::html::font_stack(fonts);
    let set = text_setting(soft_hyphens);
    format!(
        r#"
html, body {{ font-family: {stack}; }}
body {{ margin: 0 5%; line-height: 1.5; }}
p {{ margin: 0; text-indent: 1.5em; {set} }}
h1 + p, h2 + p, h3 + p, h4 + p, ul + p, ol + p, blockquote + p, figure + p {{ text-indent: 0; }}
h1, h2, h3, h4, h5, h6 {{ font-weight: bold; text-align: left; hyphens: none; page-break-after: avoid; break-after: avoid; }}
h1 {{ font-size: 1.5em; margin: 2em 0 1em; }}
h2 {{ font-size: 1.2em; margin: 1.5em 0 0.75em; }}
h3 {{ font-size: 1.05em; margin: 1.2em 0 0.5em; }}
em {{ font-style: italic; font-synthesis: none; }}
ul, ol {{ margin: 0.75em 0 0.75em 1.5em; padding: 0; }}
li {{ margin: 0.25em 0; {set} }}
li p {{ text-indent: 0; }}
blockquote {{ margin: 0.75em 1.5em; font-size: 0.95em; }}
blockquote p {{ text-indent: 0; }}
pre {{ white-space: pre-wrap; font-size: 0.85em; }}
figure {{ margin: 1em 0; text-align: center; }}
figure img {{ max-width: 100%; }}
sup, sub {{ font-size: 0.7em; line-height: 0; }}
.smallcaps {{ font-variant: small-caps; }}
.smallcaps .caseless {{ font-variant: normal; }}
a {{ color: inherit; }}
a.citation {{ text-decoration: none; }}
aside[role="doc-footnote"] {{ font-size: 0.85em; margin-top: 1.5em; border-top: 1px solid #999; padding-top: 0.5em; }}
aside[role="doc-footnote"] p {{ text-indent: 0; }}
ul.bibliography {{ list-style: none; margin-left: 0; }}
ul.bibliography li {{ padding-left: 2em; text-indent: -2em; text-align: left; }}
section.cover {{ text-align: center; margin: 0; }}
section.cover img {{ max-width: 100%; max-height: 100vh; }}
section.titlepage {{ text-align: center; margin-top: 20%; }}
section.titlepage h1 {{ font-size: 1.8em; }}
p.subtitle, p.author {{ text-indent: 0; text-align: center; font-size: 1.2em; margin: 1em 0; }}
div.colophon {{ margin-top: 30%; font-size: 0.8em; }}
div.colophon p {{ text-indent: 0; text-align: center; }}
nav ol {{ list-style: none; margin-left: 1.5em; }}
nav > ol {{ margin-left: 0; }}
nav li {{ text-align: left; hyphens: none; -webkit-hyphens: none; }}
nav a {{ text-decoration: none; }}
{nowrap}"#,
        nowrap = crate::html::nowrap::CSS
    )
}

/// How paragraphs are set. Measured in Chromium at 390 px on the article
/// (1,148 to 1,237 lines; README, "Text setting"): justified with soft
/// hyphens stored in every word, 106 lines have a word space over three
/// times its natural width and epub.js's search finds ჩინეთის once in 86;
/// justified without them, 766 lines; ragged right, none, and every word
/// is found. Browsers have no Georgian patterns, so `hyphens: auto` only
/// helps the reading systems that do. Justification opens rivers at every
/// width without stored hyphens (28 lines at 1280 px), so no media query
/// brings it back. A book that stores soft hyphens (`[epub] hyphenate`)
/// keeps justified text.
fn text_setting(soft_hyphens: bool) -> &'static str {
    if soft_hyphens {
        "text-align: justify; hyphens: manual; -webkit-hyphens: manual;"
    } else {
        "text-align: start; hyphens: auto; -webkit-hyphens: auto;"
    }
}
