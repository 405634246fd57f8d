//! The frame of every page of the web edition: the head with the metadata
//! harvesters read, the skip link, the bar with the contents link and the
//! search box, the links to the previous and next pages; and the contents
//! page itself (cover, title page, contents).

use crate::html::{self, contents, esc};
use crate::model::Book;
use crate::prepare::Prepared as Loaded;
use std::fmt::Write;

/// One page of the edition after the contents page.
pub struct Page {
    pub file: String,
    pub title: String,
}

/// The `<head>` lines every page shares: Highwire Press tags for Google
/// Scholar and Zotero, Dublin Core, the style sheet and the scripts. Only
/// what `book.toml` gives is stated; `pdf` is the PDF's relative address when
/// it was built beside the edition.
pub fn head(book: &Book, pdf: Option<&str>) -> String {
    let b = &book.config.book;
    let mut h = String::from(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"stylesheet\" href=\"book.css\">\n\
         <script src=\"search.js\" defer></script>\n\
         <script src=\"book.js\" defer></script>\n",
    );
    let mut meta = |name: &str, value: &str| {
        let _ = writeln!(
            h,
            "<meta name=\"{name}\" content=\"{}\">",
            esc(value.trim())
        );
    };
    meta("citation_title", &b.title);
    for a in &b.authors {
        meta("citation_author", a);
    }
    if let Some(d) = &b.date {
        // Highwire dates are written with slashes: 2026/05/01.
        meta("citation_publication_date", &d.replace('-', "/"));
    }
    if let Some(p) = &b.publisher {
        meta("citation_publisher", p);
    }
    if let Some(isbn) = &b.isbn {
        meta("citation_isbn", isbn);
    }
    meta("citation_language", &b.language);
    if let Some(pdf) = pdf {
        meta("citation_pdf_url", pdf);
    }
    meta("DC.title", &b.title);
    for a in &b.authors {
        meta("DC.creator", a);
    }
    meta("DC.language", &b.language);
    meta("DC.identifier", &b.identifier);
    if let Some(r) = &b.rights {
        meta("DC.rights", r);
    }
    h.push_str("<link rel=\"schema.DC\" href=\"http://purl.org/dc/elements/1.1/\">\n");
    h
}

/// Words the script shows that no page prints as text (they stand in
/// attributes): the fonts must cover them too.
pub fn script_words(book: &Book) -> [&'static str; 4] {
    let t = crate::locale::words(&book.config.book.language);
    [t.search, t.search_none, t.note, t.back_to_text]
}

/// A whole page: `current` indexes `pages`, `None` is the contents page.
pub fn document(
    book: &Book,
    meta: &str,
    current: Option<usize>,
    pages: &[&Page],
    main: &str,
) -> Vec<u8> {
    let t = crate::locale::words(&book.config.book.language);
    let title = &book.config.book.title;
    let page_title = match current.and_then(|i| pages.get(i)) {
        Some(p) => format!("{} — {title}", p.title),
        None => title.clone(),
    };
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<a class=\"skip\" href=\"#main\">{start}</a>\n<header class=\"bar\">\n<a class=\"home\" href=\"index.html#contents\">{contents}</a>\n\
         <div class=\"search\" role=\"search\" hidden>\n<input type=\"search\" id=\"search\" aria-label=\"{search}\" placeholder=\"{search}\" autocomplete=\"off\" aria-controls=\"search-results\">\n\
         <div id=\"search-results\" class=\"results\" aria-live=\"polite\" data-none=\"{none}\" hidden></div>\n</div>\n</header>\n<main id=\"main\" data-note=\"{note}\" data-back=\"{back}\">",
        start = esc(t.start),
        contents = esc(t.contents),
        search = esc(t.search),
        none = esc(t.search_none),
        note = esc(t.note),
        back = esc(t.back_to_text),
    );
    body.push_str(main);
    body.push_str("</main>\n");
    body.push_str(&pager(t, current, pages));
    html::document(false, &page_title, &book.config.book.language, meta, &body).into_bytes()
}

/// Links to the previous page, the contents and the next page.
fn pager(t: &crate::locale::Words, current: Option<usize>, pages: &[&Page]) -> String {
    let (prev, next) = match current {
        None => (None, pages.first().map(|p| p.file.as_str())),
        Some(i) => (
            Some(
                i.checked_sub(1)
                    .map_or("index.html", |j| pages[j].file.as_str()),
            ),
            pages.get(i + 1).map(|p| p.file.as_str()),
        ),
    };
    let mut nav = format!(
        "<nav class=\"pager\" aria-label=\"{} / {}\">\n",
        esc(t.previous),
        esc(t.next)
    );
    if let Some(p) = prev {
        let _ = writeln!(
            nav,
            "<a rel=\"prev\" href=\"{}\">← {}</a>",
            esc(p),
            esc(t.previous)
        );
    }
    if current.is_some() {
        let _ = writeln!(
            nav,
            "<a href=\"index.html#contents\">{}</a>",
            esc(t.contents)
        );
    }
    if let Some(n) = next {
        let _ = writeln!(
            nav,
            "<a rel=\"next\" href=\"{}\">{} →</a>",
            esc(n),
            esc(t.next)
        );
    }
    nav.push_str("</nav>\n");
    nav
}

/// The contents page: cover, title page data, and links to every heading.
pub fn index(loaded: &Loaded) -> String {
    let book = &loaded.book;
    let b = &book.config.book;
    let t = crate::locale::words(&b.language);
    let cover = &loaded.cover;
    let mut s = String::from("<section class=\"titlepage\">\n");
    let _ = writeln!(
        s,
        "<img class=\"cover\" src=\"images/{}\" width=\"{}\" height=\"{}\" alt=\"{}: {}\">",
        esc(&cover.file_name),
        cover.width,
        cover.height,
        esc(t.cover),
        esc(&b.title)
    );
    let _ = writeln!(
        s,
        "<h1 class=\"title\">{}</h1>",
        html::nowrap::title(&b.title)
    );
    if let Some(sub) = &b.subtitle {
        let _ = writeln!(s, "<p class=\"subtitle\">{}</p>", esc(sub));
    }
    for a in &b.authors {
        let _ = writeln!(s, "<p class=\"author\">{}</p>", esc(a));
    }
    s.push_str("<div class=\"colophon\">\n");
    s.push_str(&html::colophon::lines(b));
    if loaded.fonts.builtin {
        let _ = writeln!(s, "<p>{}</p>", esc(t.fonts_note));
    }
    s.push_str("</div>\n</section>\n");
    let _ = writeln!(
        s,
        "<nav class=\"contents\" id=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">{}</h2>",
        esc(t.contents)
    );
    s.push_str(&contents::toc_list(&contents::toc_entries(
        book,
        "",
        &html::Options::WEB,
    )));
    s.push_str("</nav>\n");
    s
}
