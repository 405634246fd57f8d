//! The PDF as a reader, a printer and a validator see it: built from the real
//! manuscript (and from a note-heavy variant of it), checked with qpdf and
//! poppler, and its layout inspected for overfull lines, widows and orphans.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tsigni::model::{plain_text, Block, Book, Inline, Note, Span};
use tsigni::pdf::{Layout, LinkTarget, PageKind, PdfOutput};

fn manuscript() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")
}

fn loaded() -> &'static tsigni::Loaded {
    static L: OnceLock<tsigni::Loaded> = OnceLock::new();
    L.get_or_init(|| match tsigni::load(&manuscript()) {
        Ok(l) => l,
        Err(e) => panic!("the manuscript does not load: {e}"),
    })
}

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    book: Book,
    out: PdfOutput,
    layout: Layout,
}

fn build(book: Book, name: &str) -> Built {
    let l = loaded();
    let (dir, path, out) = common::write_pdf(&book, &l.fonts, &l.cover, name);
    let layout = match tsigni::pdf::layout(&book, &l.fonts, &l.cover) {
        Ok(l) => l,
        Err(d) => panic!("layout failed:\n{}", d.render(&book.sources, false)),
    };
    Built {
        _dir: dir,
        path,
        book,
        out,
        layout,
    }
}

/// The article as written.
fn article() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build(loaded().book.clone(), "article"))
}

/// The article with a footnote on every third paragraph, some of them long
/// and one longer than a page, and an author.
fn annotated() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build(with_many_notes(&loaded().book), "annotated"))
}

fn strip_refs(inlines: &mut Vec<Inline>) {
    inlines.retain(|i| !matches!(i, Inline::NoteRef { .. }));
    for i in inlines {
        match i {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Link { content: c, .. } => {
                strip_refs(c)
            }
            _ => {}
        }
    }
}

fn with_many_notes(book: &Book) -> Book {
    let mut book = book.clone();
    book.config.book.authors = vec!["ნინო ბერიძე".into(), "Giorgi Abashidze".into()];
    book.notes.clear();
    let texts: Vec<String> = book
        .chapters
        .iter()
        .flat_map(|c| &c.blocks)
        .filter_map(|b| match b {
            Block::Paragraph { content, .. } => Some(plain_text(content, Some(&book))),
            _ => None,
        })
        .collect();
    let mut k = 0;
    let mut notes = Vec::new();
    for (ci, ch) in book.chapters.iter_mut().enumerate() {
        for block in &mut ch.blocks {
            let Block::Paragraph { content, .. } = block else {
                continue;
            };
            strip_refs(content);
            k += 1;
            if k % 3 != 0 {
                continue;
            }
            let number = notes.len() + 1;
            // Mostly a sentence or two; every fifth a paragraph; one of them
            // longer than a page.
            let text = match number {
                7 => texts.iter().take(6).cloned().collect::<Vec<_>>().join(" "),
                n if n % 5 == 0 => texts[(k * 7) % texts.len()].clone(),
                _ => texts[(k * 3) % texts.len()].chars().take(150).collect(),
            };
            content.push(Inline::NoteRef { number });
            notes.push(Note {
                number,
                label: format!("n{number}"),
                chapter: ci,
                blocks: vec![Block::Paragraph {
                    content: vec![Inline::Text(text)],
                    span: Span::default(),
                }],
                span: Span::default(),
            });
        }
    }
    book.notes = notes;
    book
}

fn text_of_pages(b: &Built, first: usize, last: usize) -> Option<String> {
    common::pdftotext(&b.path, Some(first as u32), Some(last as u32))
}

/// Words without hyphens and the marks that extraction may attach to them.
fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.replace(['-', '\u{2010}', '\u{AD}'], ""))
        .filter(|w| !w.is_empty())
        .collect()
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 1-based page of the first body page.
fn first_body_page(b: &Built) -> usize {
    b.layout
        .pages()
        .position(|p| p.kind() == PageKind::Body)
        .expect("body pages")
        + 1
}

#[test]
fn qpdf_finds_no_problem() {
    for b in [article(), annotated()] {
        let Some((ok, out)) = common::qpdf_check(&b.path) else {
            return;
        };
        assert!(ok, "qpdf --check: {out}");
        assert!(!out.to_lowercase().contains("warning"), "{out}");
    }
}

#[test]
fn every_font_is_embedded_and_subset() {
    let Some(fonts) = common::pdffonts(&article().path) else {
        return;
    };
    assert!(fonts.len() >= 2, "{fonts:?}");
    for f in &fonts {
        assert!(f.embedded && f.subset && f.unicode, "{f:?}");
        assert_ne!(f.font_type, "Type 3", "{f:?}");
    }
    let names: Vec<&str> = fonts.iter().map(|f| f.base_name()).collect();
    assert!(names.contains(&"NotoSerifGeorgian-Regular"), "{names:?}");
    assert!(names.contains(&"NotoSerif-Regular"), "{names:?}");
}

/// Every word of every heading and paragraph comes back from pdftotext, in
/// reading order.
fn assert_text_in_order(b: &Built) {
    let Some(text) = text_of_pages(b, first_body_page(b), b.out.pages) else {
        return;
    };
    let tokens = words(&text);
    let mut at = 0;
    // A word hyphenated across a page turn comes back in two pieces with the
    // page's notes, its folio and the next running head between them (the
    // soft hyphen joined to the first of those: "ქვეყ" + "14." of a note).
    let split_at = |w: &str, at: usize| {
        let t = tokens.get(at)?;
        let t = t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        w.char_indices().skip(1).find_map(|(i, _)| {
            let (a, b) = w.split_at(i);
            (t.ends_with(a)
                && tokens[at + 1..(at + 400).min(tokens.len())]
                    .iter()
                    .any(|n| n.starts_with(b)))
            .then_some(at)
        })
    };
    let mut check = |what: &str, content: &str| {
        for w in words(content) {
            let found = tokens[at..]
                .iter()
                .position(|t| t.contains(&w))
                .map(|k| at + k)
                .filter(|&k| k <= at + 40)
                .or_else(|| split_at(&w, at))
                .or_else(|| {
                    tokens[at..]
                        .iter()
                        .position(|t| t.contains(&w))
                        .map(|k| at + k)
                });
            match found {
                Some(k) => at = k + 1,
                None => panic!(
                    "`{w}` of {what} `{}` is missing or out of order; text there: {}",
                    content.chars().take(80).collect::<String>(),
                    tokens[at.saturating_sub(5)..(at + 30).min(tokens.len())].join(" ")
                ),
            }
        }
    };
    fn walk(blocks: &[Block], book: &Book, f: &mut dyn FnMut(&str, &str)) {
        for block in blocks {
            match block {
                Block::Heading(h) => f("heading", &plain_text(&h.content, Some(book))),
                Block::Paragraph { content, .. } => {
                    f("paragraph", &plain_text(content, Some(book)))
                }
                Block::List { items, .. } => {
                    for i in items {
                        walk(i, book, f)
                    }
                }
                Block::BlockQuote { blocks, .. } => walk(blocks, book, f),
                _ => {}
            }
        }
    }
    for ch in &b.book.chapters {
        walk(&ch.blocks, &b.book, &mut check);
    }
    check("heading", &b.book.config.bibliography.title);
    for e in &b.book.bibliography {
        check("bibliography entry", &plain_text(&e.content, Some(&b.book)));
    }
}

#[test]
fn pdftotext_gives_back_every_word_in_order() {
    assert_text_in_order(article());
    assert_text_in_order(annotated());
}

#[test]
fn contents_name_the_page_of_every_heading() {
    let b = article();
    let toc_pages: Vec<usize> = b
        .layout
        .pages()
        .enumerate()
        .filter(|(_, p)| p.kind() == PageKind::Contents)
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!toc_pages.is_empty());
    let Some(toc) = text_of_pages(b, toc_pages[0], *toc_pages.last().unwrap_or(&0)) else {
        return;
    };
    let toc = normalize(&toc);
    let by_label: HashMap<&str, usize> = b
        .out
        .page_starts
        .iter()
        .filter(|p| !p.label.is_empty())
        .map(|p| (p.label.as_str(), p.page))
        .collect();
    let mut at = 0;
    assert!(!b.layout.outline().is_empty());
    for h in b.layout.outline() {
        let title = normalize(&h.title);
        let pos = toc[at..]
            .find(&title)
            .unwrap_or_else(|| panic!("`{title}` is not in the contents: {}", &toc[at..]))
            + at;
        let rest = toc[pos + title.len()..].trim_start_matches([' ', '.']);
        let folio: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        assert!(!folio.is_empty(), "no page number after `{title}`");
        at = pos + title.len();
        let page = by_label[folio.as_str()];
        // Compared by words: extraction drops a dash that ends a line.
        let text = words(&text_of_pages(b, page, page).unwrap_or_default()).join(" ");
        assert!(
            text.contains(&words(&title).join(" ")),
            "contents put `{title}` on page {folio}, which does not show it"
        );
        let starts = &b.out.page_starts[page - 1];
        assert!(starts.headings.contains(&h.id), "{starts:?}");
    }
}

#[test]
fn footnotes_stand_on_the_page_of_their_marker() {
    for b in [article(), annotated()] {
        assert!(!b.book.notes.is_empty());
        for note in &b.book.notes {
            let on = |id: String| b.layout.pages().position(|p| p.anchors().any(|a| a == id));
            let marker =
                on(note.ref_id()).unwrap_or_else(|| panic!("no marker for note {}", note.number));
            let body = on(note.id()).unwrap_or_else(|| panic!("note {} is not set", note.number));
            assert_eq!(
                marker, body,
                "note {} is not on its marker's page",
                note.number
            );
            let first: Vec<String> = note
                .blocks
                .iter()
                .filter_map(|block| match block {
                    Block::Paragraph { content, .. } => Some(plain_text(content, Some(&b.book))),
                    _ => None,
                })
                .flat_map(|t| words(&t))
                .take(3)
                .collect();
            if let Some(text) = text_of_pages(b, marker + 1, marker + 1) {
                let w = words(&text);
                for word in &first {
                    assert!(
                        w.iter().any(|t| t.contains(word.as_str())),
                        "`{word}` of note {} not on page {}",
                        note.number,
                        marker + 1
                    );
                }
            }
        }
    }
}

#[test]
fn a_note_too_long_for_its_page_continues_on_the_next() {
    let b = annotated();
    let number = 7;
    let pages: Vec<usize> = b
        .layout
        .pages()
        .enumerate()
        .filter(|(_, p)| {
            p.lines().any(|line| {
                line.place().is_none() && line.text().contains(&first_words_of_note(b, number))
            })
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(pages.len(), 1, "note {number} starts on one page");
    // The lines of the long note: more than fit one foot.
    let note_lines_on = |page: usize| {
        b.layout
            .page(page)
            .expect("page")
            .lines()
            .filter(|line| line.place().is_none() && line.size() < 9.0)
            .count()
    };
    let p = pages[0];
    assert!(
        note_lines_on(p) > 0 && note_lines_on(p + 1) > 0,
        "note {number} does not continue"
    );
}

fn first_words_of_note(b: &Built, number: usize) -> String {
    let note = &b.book.notes[number - 1];
    let Some(Block::Paragraph { content, .. }) = note.blocks.first() else {
        return String::new();
    };
    plain_text(content, Some(&b.book))
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_outline_holds_every_heading_nested() {
    let b = article();
    let Some(qpdf) = common::require_tool("qpdf") else {
        return;
    };
    let out = std::process::Command::new(qpdf)
        .args(["--json", "--json-key=outlines"])
        .arg(&b.path)
        .output()
        .expect("qpdf runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
    fn flatten(v: &serde_json::Value, depth: usize, out: &mut Vec<(usize, String, u64)>) {
        for item in v.as_array().into_iter().flatten() {
            out.push((
                depth,
                item["title"].as_str().unwrap_or("").to_string(),
                item["destpageposfrom1"].as_u64().unwrap_or(0),
            ));
            flatten(&item["kids"], depth + 1, out);
        }
    }
    let mut got = Vec::new();
    flatten(&json["outlines"], 0, &mut got);
    // The contents first, then every heading.
    let contents = tsigni::locale::words(&b.book.config.book.language).contents;
    assert_eq!(got.first().map(|g| g.1.as_str()), Some(contents));
    let toc_page = got.remove(0).2 as usize;
    assert_eq!(
        b.layout.page(toc_page - 1).map(|p| p.kind()),
        Some(PageKind::Contents)
    );
    let want: Vec<(usize, String)> = b
        .layout
        .outline()
        .iter()
        .map(|h| (h.level as usize - 1, h.title.clone()))
        .collect();
    assert_eq!(
        got.iter()
            .map(|(d, t, _)| (*d, t.clone()))
            .collect::<Vec<_>>(),
        want
    );
    for (_, title, page) in &got {
        let starts = &b.out.page_starts[*page as usize - 1];
        assert!(
            b.layout
                .outline()
                .iter()
                .any(|h| &h.title == title && starts.headings.contains(&h.id)),
            "`{title}` points at page {page}, where it is not"
        );
    }
}

#[test]
fn metadata_names_title_language_keywords_subject_and_authors() {
    let b = annotated();
    let meta = &b.book.config.book;
    let raw = String::from_utf8_lossy(&b.out.bytes);
    assert!(
        raw.contains("/Lang(ka)") || raw.contains("/Lang (ka)"),
        "no document language"
    );
    assert!(
        raw.contains("<dc:language><rdf:Bag><rdf:li>ka</rdf:li>"),
        "no XMP language"
    );
    assert!(raw.contains(&meta.title), "no XMP title");
    let Some(tool) = common::require_tool("pdfinfo") else {
        return;
    };
    let out = std::process::Command::new(tool)
        .arg(&b.path)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("pdfinfo shows no {name}:\n{info}"))
    };
    assert_eq!(field("Title"), meta.title);
    assert_eq!(field("Author"), meta.authors.join(", "));
    assert!(field("Keywords").contains(&meta.keywords[0]));
    let subject: String = field("Subject").chars().take(40).collect();
    assert!(meta
        .description
        .as_deref()
        .is_some_and(|d| d.starts_with(&subject)));
    assert!(field("Creator").starts_with("tsigni"));
    // PDF/A requires a date; never the clock's (the build is reproducible):
    // SOURCE_DATE_EPOCH, else the book's date, else 1980-01-01.
    if std::env::var("SOURCE_DATE_EPOCH").is_err() && meta.date.is_none() {
        assert!(field("CreationDate").contains("1980"), "{info}");
    }
}

#[test]
fn no_line_is_wider_than_its_measure() {
    for b in [article(), annotated()] {
        let mut lines = 0;
        for (page, line) in b.layout.lines() {
            lines += 1;
            assert!(
                line.width() <= line.measure() + 0.01 && line.min_width() <= line.measure() + 0.01,
                "overfull line on page {}: {} > {}: {}",
                page + 1,
                line.width(),
                line.measure(),
                line.text()
            );
        }
        assert!(lines > 300);
    }
}

#[test]
fn justified_lines_fill_the_measure() {
    let b = article();
    let mut full = 0;
    for (_, line) in b.layout.lines() {
        let Some(place) = line.place() else { continue };
        if place.heading || place.index + 1 == place.count {
            continue;
        }
        // Body lines other than a paragraph's last are justified.
        if (line.width() - line.measure()).abs() < 0.05 {
            full += 1;
        } else {
            panic!(
                "ragged body line ({} of {}): {}",
                line.width(),
                line.measure(),
                line.text()
            );
        }
    }
    assert!(full > 200);
}

#[test]
fn hyphenated_words_are_found_whole() {
    let b = article();
    let mut checked = 0;
    for (i, page) in b.layout.pages().enumerate() {
        let body: Vec<_> = page
            .lines()
            .filter(|line| line.place().is_some_and(|p| !p.heading))
            .collect();
        for pair in body.windows(2) {
            if !pair[0].hyphenated() {
                continue;
            }
            let end = pair[0].text();
            assert!(end.ends_with('-'), "{end}");
            let letters = |c: char| !c.is_alphabetic();
            let head = end.split_whitespace().last().unwrap_or("");
            let head = head
                .strip_suffix('-')
                .unwrap_or(head)
                .trim_start_matches(letters);
            let tail = pair[1].text();
            let tail = tail
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches(letters);
            let word = format!("{head}{tail}");
            let Some(text) = text_of_pages(b, i + 1, i + 1) else {
                return;
            };
            assert!(
                text.contains(&word),
                "`{word}`, hyphenated on page {}, is not found whole",
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} hyphenated words");
}

#[test]
fn no_widows_orphans_or_stranded_headings() {
    for b in [article(), annotated()] {
        for (i, page) in b.layout.pages().enumerate() {
            if page.kind() != PageKind::Body {
                continue;
            }
            let body: Vec<_> = page.lines().filter_map(|line| line.place()).collect();
            let (Some(first), Some(last)) = (body.first(), body.last()) else {
                continue;
            };
            let next_has_text = b
                .layout
                .page(i + 1)
                .is_some_and(|p| p.kind() == PageKind::Body);
            if last.heading {
                assert!(!next_has_text, "a heading ends page {}", i + 1);
            }
            assert!(
                !(last.index == 0 && last.count > 1 && !last.heading),
                "orphan at the foot of page {}",
                i + 1
            );
            assert!(
                !(first.index + 1 == first.count && first.count > 1 && !first.heading),
                "widow at the head of page {}",
                i + 1
            );
        }
    }
}

#[test]
fn citations_notes_and_contents_link_to_their_targets() {
    let b = annotated();
    let anchors: Vec<&str> = b.layout.pages().flat_map(|p| p.anchors()).collect();
    let mut targets: HashMap<String, usize> = HashMap::new();
    for (_, line) in b.layout.lines() {
        for target in line.links() {
            if let LinkTarget::To(to) = target {
                let id = to.anchor(&b.book);
                assert!(
                    anchors.contains(&id.as_str()),
                    "link to missing anchor {id}"
                );
                *targets.entry(id).or_default() += 1;
            }
        }
    }
    for e in &b.book.bibliography {
        let cited = b
            .book
            .citations
            .iter()
            .any(|c| c.items.first().is_some_and(|i| i.key == e.key));
        if cited {
            assert!(targets.contains_key(&e.id), "no citation links to {}", e.id);
        }
    }
    for n in &b.book.notes {
        assert!(
            targets.contains_key(&n.id()),
            "marker of note {} links nowhere",
            n.number
        );
        assert!(
            targets.contains_key(&n.ref_id()),
            "note {} links not back",
            n.number
        );
    }
    for h in b.layout.outline() {
        assert!(
            targets.contains_key(&h.id),
            "contents entry {} links nowhere",
            h.id
        );
    }
    let raw = String::from_utf8_lossy(&b.out.bytes);
    let links = raw.matches("/Subtype/Link").count();
    let areas: usize = b.layout.lines().map(|(_, l)| l.links().count()).sum();
    assert_eq!(links, areas, "every link area is an annotation");
}

#[test]
fn the_same_manuscript_gives_the_same_bytes() {
    let l = loaded();
    let again = tsigni::pdf::render(&l.book, &l.fonts, &l.cover).expect("render");
    assert!(again.bytes == article().out.bytes, "two builds differ");
}

#[test]
fn front_matter_then_numbered_pages() {
    let b = article();
    let starts = &b.out.page_starts;
    assert_eq!(starts.len(), b.out.pages);
    assert_eq!(starts[0].label, "", "the cover shows no number");
    assert_eq!(b.layout.page(0).map(|p| p.kind()), Some(PageKind::Cover));
    assert_eq!(b.layout.page(1).map(|p| p.kind()), Some(PageKind::Title));
    let first = first_body_page(b);
    assert_eq!(starts[first - 1].label, "1");
    assert!(starts[first - 1].headings.contains(&b.book.chapters[0].id));
    for (k, s) in starts[first - 1..].iter().enumerate() {
        assert_eq!(s.label, (k + 1).to_string());
        assert!(!s.first_words.is_empty(), "page {} has no text", s.page);
    }
    // Every chapter opens a page.
    for ch in &b.book.chapters {
        let page = starts
            .iter()
            .find(|s| s.headings.contains(&ch.id))
            .unwrap_or_else(|| panic!("chapter {} is not placed", ch.id));
        let title = plain_text(&ch.title().expect("title").content, Some(&b.book));
        let first_word = title.split_whitespace().next().unwrap_or("");
        assert!(page.first_words.starts_with(first_word), "{page:?}");
    }
}

#[test]
fn an_uncoverable_character_is_an_error_not_a_box() {
    let l = loaded();
    let mut book = l.book.clone();
    let Some(Block::Paragraph { content, .. }) = book.chapters[0]
        .blocks
        .iter_mut()
        .find(|b| matches!(b, Block::Paragraph { .. }))
    else {
        panic!("no paragraph");
    };
    content.push(Inline::Text(" \u{E123}".into()));
    let Err(d) = tsigni::pdf::render(&book, &l.fonts, &l.cover) else {
        panic!("a private-use character was drawn");
    };
    assert!(d.has_errors());
    assert!(d.list.iter().any(|d| d.message.contains("U+E123")), "{d:?}");
}

#[test]
fn a_hundred_kilobyte_word_breaks_anywhere() {
    let l = loaded();
    let mut book = l.book.clone();
    let word = "ქართული".repeat(100_000 / "ქართული".len());
    book.chapters[0].blocks.push(Block::Paragraph {
        content: vec![Inline::Text(format!("სიტყვა {word} დასასრული"))],
        span: Span::default(),
    });
    // How the time grows is the benchmark's business; here it must finish.
    let laid = tsigni::pdf::layout(&book, &l.fonts, &l.cover).expect("layout");
    let mut long = 0;
    for (_, line) in laid.lines() {
        assert!(
            line.width() <= line.measure() + 0.01,
            "{} > {}",
            line.width(),
            line.measure()
        );
        // Where each line of the word starts is the breaker's choice.
        if line.text().contains("ქართულიქართული") {
            long += 1;
        }
    }
    assert!(long > 100, "{long}");
}

#[test]
fn paper_size_comes_from_book_toml() {
    let l = loaded();
    let mut book = l.book.clone();
    book.config.pdf.paper = "A4".into();
    let laid = tsigni::pdf::layout(&book, &l.fonts, &l.cover).expect("layout");
    assert!((laid.page_size().0 - 595.28).abs() < 0.1);
    book.config.pdf.paper = "A3½".into();
    let Err(d) = tsigni::pdf::layout(&book, &l.fonts, &l.cover) else {
        panic!("an unknown paper size was accepted");
    };
    assert!(d.list.iter().any(|d| d.code == "pdf-paper"));
}

#[test]
fn images_are_drawn_where_they_stand() {
    let l = loaded();
    let mut book = l.book.clone();
    book.chapters[1].blocks.insert(
        2,
        Block::Figure(tsigni::model::Figure {
            path: "figures/map.png".into(),
            alt: "რუკა".into(),
            caption: Vec::new(),
            label: None,
            number: None,
            width: None,
            span: Span::default(),
        }),
    );
    let img = image::RgbImage::from_fn(300, 200, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let images = vec![("figures/map.png".to_string(), png)];
    let laid = tsigni::pdf::layout_with_images(&book, &l.fonts, &l.cover, &images).expect("layout");
    let placed: Vec<_> = laid.pages().flat_map(|p| p.images()).collect();
    assert_eq!(placed.len(), 1);
    // 300 × 200 pixels at 150 dpi.
    assert!(
        (placed[0].0 - 144.0).abs() < 0.5 && (placed[0].1 - 96.0).abs() < 0.5,
        "{placed:?}"
    );
    let out = tsigni::pdf::render_with_images(&book, &l.fonts, &l.cover, &images).expect("render");
    let raw = String::from_utf8_lossy(&out.bytes);
    // The cover and the figure.
    assert_eq!(raw.matches("/Subtype/Image").count(), 2);
    // Without the bytes, the description stands in.
    let laid = tsigni::pdf::layout(&book, &l.fonts, &l.cover).expect("layout");
    assert!(laid.lines().any(|(_, l)| l.text().contains("რუკა")));
}

/// The block a page place points at.
fn block_at<'b>(book: &'b Book, place: &tsigni::model::PagePlace) -> Option<&'b Block> {
    let mut blocks = &book.chapters.get(place.chapter)?.blocks;
    let mut path = place.block.iter();
    while let Some(&i) = path.next() {
        match blocks.get(i)? {
            Block::List { items, .. } => blocks = items.get(*path.next()?)?,
            Block::BlockQuote { blocks: inner, .. } => blocks = inner,
            leaf => return path.next().is_none().then_some(leaf),
        }
    }
    None
}

/// The text a page place counts in: a chapter's block, or an entry of the
/// bibliography (the "chapter" after the last).
fn place_text(book: &Book, place: &tsigni::model::PagePlace) -> Option<String> {
    if place.chapter == book.chapters.len() {
        let [entry] = place.block[..] else {
            return None;
        };
        return Some(plain_text(
            &book.bibliography.get(entry)?.content,
            Some(book),
        ));
    }
    block_at(book, place).map(|b| block_text(book, b))
}

/// The text of a leaf block as page places count it.
fn block_text(book: &Book, block: &Block) -> String {
    match block {
        Block::Heading(h) => plain_text(&h.content, Some(book)),
        Block::Paragraph { content, .. } => plain_text(content, Some(book)),
        _ => String::new(),
    }
}

#[test]
fn every_chapter_page_knows_where_its_text_begins() {
    for b in [article(), annotated()] {
        let bib_page = b
            .out
            .page_starts
            .iter()
            .position(|s| s.headings.iter().any(|h| h == tsigni::pdf::BIBLIOGRAPHY_ID))
            .expect("a bibliography");
        let l = loaded();
        let places = tsigni::pdf::page_places(&b.book, &l.fonts, &l.cover, &[]).expect("layout");
        let from_render: Vec<_> = b
            .out
            .page_starts
            .iter()
            .filter_map(|s| s.place.clone())
            .collect();
        assert_eq!(places, from_render, "page_places and render agree");
        for (i, s) in b.out.page_starts.iter().enumerate() {
            let body = b.layout.page(i).is_some_and(|p| p.kind() == PageKind::Body);
            if !body {
                assert!(s.place.is_none(), "page {} has a place", s.page);
                continue;
            }
            let place = s
                .place
                .as_ref()
                .unwrap_or_else(|| panic!("body page {} has no place", s.page));
            assert_eq!(place.label, s.label);
            // The bibliography's pages point into its entries.
            assert_eq!(
                place.chapter == b.book.chapters.len(),
                i >= bib_page,
                "page {}: {place:?}",
                s.page
            );
            let text = place_text(&b.book, place)
                .unwrap_or_else(|| panic!("page {}: no block at {:?}", s.page, place.block));
            assert!(
                place.offset <= text.chars().count(),
                "page {}: offset {} past the block's end",
                s.page,
                place.offset
            );
        }
        assert!(places.len() >= 20, "{}", places.len());
    }
}

/// For every chapter page, the text at its place begins with the words
/// pdftotext reads first on that page (after the running head).
#[test]
fn page_places_begin_with_the_pages_first_words() {
    for b in [article(), annotated()] {
        let mut checked = 0;
        for (i, s) in b.out.page_starts.iter().enumerate() {
            let Some(place) = &s.place else { continue };
            let Some(text) = text_of_pages(b, i + 1, i + 1) else {
                return;
            };
            let mut tokens = words(&text);
            // The running head, if the page has one, comes first.
            let head = b
                .layout
                .page(i)
                .and_then(|p| p.lines().find(|line| line.y() < b.layout.text_top()))
                .map(|line| line.text());
            if let Some(head) = head {
                let head = words(&head);
                if tokens.starts_with(&head) {
                    tokens.drain(..head.len());
                }
            }
            let rest: String = place_text(&b.book, place)
                .expect("block")
                .chars()
                .skip(place.offset)
                .collect();
            let want: Vec<String> = words(&rest).into_iter().take(3).collect();
            assert!(!want.is_empty(), "page {}: nothing at its place", s.page);
            // A list item's first line starts with its marker; a word split
            // by a hyphen at the foot of the page before starts mid-word in
            // both.
            let start = tokens
                .iter()
                .take(2)
                .position(|t| t.contains(&want[0]))
                .unwrap_or_else(|| {
                    panic!(
                        "page {}: the text at {:?}+{} begins `{}`, the page `{}`",
                        s.page,
                        place.block,
                        place.offset,
                        want.join(" "),
                        tokens[..tokens.len().min(6)].join(" ")
                    )
                });
            for (k, w) in want.iter().enumerate() {
                let t = tokens.get(start + k).map(String::as_str).unwrap_or("");
                assert!(
                    t.contains(w.as_str()),
                    "page {}: `{w}` expected, `{t}` found",
                    s.page
                );
            }
            checked += 1;
        }
        assert!(checked >= 20, "{checked}");
    }
}
