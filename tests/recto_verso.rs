//! Recto and verso in print, read back from the written PDF: page 1 on a
//! recto, margins mirrored between facing pages, blank versos that show
//! nothing, `[pdf] chapter_start`, page labels in one range per numbering
//! run, and the contents, outline and links still naming the right pages
//! once blank pages are in. Built from the article (whose sections run on)
//! and from the article repeated five times (30 chapters), in both settings.

mod common;
#[path = "common/pdf_read.rs"]
mod pdf_read;
#[path = "common/typography.rs"]
mod typography;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use tsigni::config::ChapterStart;
use tsigni::pdf::{Layout, PageKind, PdfOutput};
use tsigni::vfs::MemFs;

const X5: &str = "/x5/manuscript";

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    out: PdfOutput,
    layout: Layout,
    loaded: tsigni::Loaded,
}

fn build(mut loaded: tsigni::Loaded, start: ChapterStart, name: &str) -> Built {
    loaded.book.config.pdf.chapter_start = start;
    let (dir, path, out) = common::write_pdf(&loaded.book, &loaded.fonts, &loaded.cover, name);
    let layout = tsigni::pdf::layout(&loaded.book, &loaded.fonts, &loaded.cover)
        .unwrap_or_else(|d| panic!("{}", d.render(&loaded.book.sources, false)));
    Built {
        _dir: dir,
        path,
        out,
        layout,
        loaded,
    }
}

fn manuscript() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")
}

/// The article's chapter files, as its book.toml lists them.
fn chapter_files(toml: &str) -> Vec<String> {
    let value: toml::Value = toml::from_str(toml).expect("book.toml");
    value["book"]["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(|c| c.as_str().expect("a file name").to_string())
        .collect()
}

/// The article repeated five times, each chapter file under a new name,
/// as `scripts/make-long-manuscript.py --times 5` writes it.
fn x5_loaded() -> tsigni::Loaded {
    let dir = manuscript();
    let toml = std::fs::read_to_string(dir.join("book.toml")).expect("book.toml");
    let chapters = chapter_files(&toml);
    let mut fs = MemFs::new();
    for entry in std::fs::read_dir(&dir).expect("manuscript/") {
        let entry = entry.expect("an entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "book.toml" && !chapters.contains(&name) {
            let bytes = std::fs::read(entry.path()).expect("a file");
            fs.insert(Path::new(X5).join(&name), bytes);
        }
    }
    let mut listed = Vec::new();
    for r in 1..=5 {
        for ch in &chapters {
            let name = format!("{}-r{r:02}.md", ch.trim_end_matches(".md"));
            let bytes = std::fs::read(dir.join(ch)).expect("a chapter");
            fs.insert(Path::new(X5).join(&name), bytes);
            listed.push(name);
        }
    }
    let mut value: toml::Value = toml::from_str(&toml).expect("book.toml");
    value["book"]["chapters"] = toml::Value::Array(listed.into_iter().map(Into::into).collect());
    fs.insert(
        Path::new(X5).join("book.toml"),
        toml::to_string(&value).expect("toml"),
    );
    tsigni::load_with(&fs, Path::new(X5)).unwrap_or_else(|e| panic!("the ×5 book: {e}"))
}

fn x5(start: ChapterStart) -> &'static Built {
    static RECTO: OnceLock<Built> = OnceLock::new();
    static ANY: OnceLock<Built> = OnceLock::new();
    match start {
        ChapterStart::Recto => RECTO.get_or_init(|| build(x5_loaded(), start, "x5-recto")),
        ChapterStart::Any => ANY.get_or_init(|| build(x5_loaded(), start, "x5-any")),
    }
}

fn article() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let l = tsigni::load(&manuscript()).unwrap_or_else(|e| panic!("{e}"));
        let start = l.book.config.pdf.chapter_start;
        build(l, start, "article")
    })
}

fn all() -> [&'static Built; 3] {
    [article(), x5(ChapterStart::Recto), x5(ChapterStart::Any)]
}

/// 1-based page whose label is `label`.
fn page_labelled(b: &Built, label: &str) -> usize {
    b.out
        .page_starts
        .iter()
        .find(|s| s.label == label)
        .unwrap_or_else(|| panic!("no page {label}"))
        .page
}

/// 1-based page on which heading `id` stands.
fn page_of_heading(b: &Built, id: &str) -> usize {
    b.out
        .page_starts
        .iter()
        .find(|s| s.headings.iter().any(|h| h == id))
        .unwrap_or_else(|| panic!("heading {id} is on no page"))
        .page
}

#[test]
fn page_one_and_the_title_and_contents_fall_on_rectos() {
    for b in all() {
        let kinds: Vec<PageKind> = b.layout.pages().map(|p| p.kind()).collect();
        assert_eq!(kinds[0], PageKind::Cover);
        assert_eq!(kinds[2], PageKind::Title, "the title page is page iii");
        assert_eq!(kinds[4], PageKind::Contents, "the contents open on page v");
        assert!(
            b.layout.page(1).is_some_and(|p| p.is_blank()),
            "the cover's inside"
        );
        let one = page_labelled(b, "1");
        assert_eq!(one % 2, 1, "page 1 is the {one}th page of the file");
        assert_eq!(kinds[one - 1], PageKind::Body);
        assert!(kinds[..one - 1].iter().all(|k| *k != PageKind::Body));
        // Roman folios count from the cover, so each is its place in the file.
        for s in &b.out.page_starts[4..one - 1] {
            assert_eq!(s.label, roman(s.page), "page {}", s.page);
        }
    }
}

fn roman(n: usize) -> String {
    tsigni::locale::roman(n)
}

#[test]
fn page_labels_are_one_range_per_numbering_run() {
    for b in all() {
        let Some(json) = pdf_read::qpdf_json(&b.path) else {
            return;
        };
        let labels = pdf_read::object(&json, &pdf_read::catalog(&json)["/PageLabels"]);
        let nums = labels["/Nums"].as_array().expect("a flat number tree");
        let one = page_labelled(b, "1");
        assert_eq!(nums.len(), 4, "two ranges: {nums:?}");
        assert_eq!(nums[0], Value::from(0));
        assert_eq!(nums[2], Value::from(one - 1), "arabic from page 1");
        for (k, style) in [(1, "/r"), (3, "/D")] {
            let range = pdf_read::object(&json, &nums[k]);
            assert_eq!(range["/S"], Value::from(style), "{range:?}");
            // Each range counts from 1, and no prefix; no optional /Type,
            // which PyMuPDF misreads as a prefix.
            assert!(
                range.get("/St").is_none() && range.get("/P").is_none(),
                "{range:?}"
            );
            assert!(range.get("/Type").is_none(), "{range:?}");
        }
        // What a reader shows is what the pages print.
        for s in b.out.page_starts.iter().filter(|s| !s.label.is_empty()) {
            let want = if s.page < one {
                roman(s.page)
            } else {
                (s.page - one + 1).to_string()
            };
            assert_eq!(s.label, want);
        }
    }
}

/// Every page's label as PyMuPDF reads it from the number tree.
const LABELS: &str = "import json, sys, pymupdf
print(json.dumps([p.get_label() for p in pymupdf.open(sys.argv[1])]))";

#[test]
fn readers_show_the_printed_page_labels() {
    let Some(py) = typography::python() else {
        return;
    };
    for b in all() {
        let out = std::process::Command::new(&py)
            .args(["-c", LABELS])
            .arg(&b.path)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let labels: Vec<String> = serde_json::from_slice(&out.stdout).expect("a JSON list");
        let one = page_labelled(b, "1");
        assert_eq!(labels.len(), b.layout.pages().count());
        assert_eq!(labels[one - 1], "1", "the first body page: {labels:?}");
        let contents = b
            .layout
            .pages()
            .position(|p| p.kind() == PageKind::Contents);
        let contents = contents.expect("a contents page");
        assert_eq!(labels[contents], roman(contents + 1), "{labels:?}");
        for (i, label) in labels.iter().enumerate() {
            let page = i + 1;
            let want = if page < one {
                roman(page)
            } else {
                (page - one + 1).to_string()
            };
            assert_eq!(*label, want, "page {page} of {labels:?}");
        }
    }
}

/// The most common value of `xs`, to the half point: the edge most lines
/// of a justified page share, whatever hangs out of it.
fn edge(xs: impl Iterator<Item = f32>) -> f32 {
    let mut count: HashMap<i32, usize> = HashMap::new();
    for x in xs {
        *count.entry((x * 2.0).round() as i32).or_default() += 1;
    }
    let (&x, _) = count
        .iter()
        .max_by_key(|(x, n)| (**n, -**x))
        .expect("lines");
    x as f32 / 2.0
}

#[test]
fn margins_mirror_between_verso_and_recto() {
    let mm = 72.0 / 25.4;
    for b in all() {
        let pdf = &b.loaded.book.config.pdf;
        let (inner, outer) = (pdf.margin_inner * mm, pdf.margin_outer * mm);
        let (width, _) = b.layout.page_size();
        let one = page_labelled(b, "1");
        let mut sides = [0, 0];
        // Full body pages, both sides.
        for page in one..one + 8 {
            if b.out.page_starts[page - 1].blank {
                continue;
            }
            let Some(lines) = pdf_read::lines(&b.path, page) else {
                return;
            };
            // Text lines only: the running head and folio are centred.
            let body: Vec<_> = lines.iter().filter(|l| l.words.len() > 3).collect();
            if body.len() < 10 {
                continue;
            }
            // A line ending in a hyphen or a stop hangs it into the margin
            // (protrusion): the measure's edge is where letters end.
            let flush: Vec<_> = body
                .iter()
                .filter(|l| {
                    l.words
                        .last()
                        .and_then(|w| w.chars().last())
                        .is_some_and(char::is_alphabetic)
                })
                .collect();
            let left = edge(body.iter().map(|l| l.x_min));
            let right = width - edge(flush.iter().map(|l| l.x_max));
            let (want_left, want_right) = if page % 2 == 1 {
                (inner, outer)
            } else {
                (outer, inner)
            };
            assert!(
                (left - want_left).abs() < 0.5 && (right - want_right).abs() < 0.5,
                "page {page}: margins {left:.1} / {right:.1} pt, want {want_left:.1} / {want_right:.1}"
            );
            sides[page % 2] += 1;
        }
        assert!(
            sides[0] > 0 && sides[1] > 0,
            "both sides measured: {sides:?}"
        );
    }
}

#[test]
fn blank_pages_are_versos_that_show_nothing() {
    for b in all() {
        let blanks: Vec<usize> = b
            .out
            .page_starts
            .iter()
            .filter(|s| s.blank)
            .map(|s| s.page)
            .collect();
        // The cover's inside and the verso of a title page without a
        // colophon, at least.
        assert!(blanks.contains(&2) && blanks.contains(&4), "{blanks:?}");
        for &page in &blanks {
            assert_eq!(page % 2, 0, "blank page {page} is a recto");
            assert!(b.layout.page(page - 1).is_some_and(|p| p.is_blank()));
            let Some(text) = common::pdftotext(&b.path, Some(page as u32), Some(page as u32))
            else {
                return;
            };
            assert!(text.trim().is_empty(), "blank page {page} shows {text:?}");
            // The page after it opens something: it is there for a reason.
            let next = &b.out.page_starts[page];
            assert!(
                !next.headings.is_empty() || page <= 4 || next.label == "1",
                "blank page {page} before {next:?}"
            );
        }
    }
}

/// The folios on which the chapters open when each may open on any side
/// after the one before, given each chapter's length: the expected book.
fn chapter_lengths(b: &Built) -> Vec<usize> {
    let book = &b.loaded.book;
    let mut firsts: Vec<usize> = book
        .chapters
        .iter()
        .map(|c| page_of_heading(b, &c.id))
        .collect();
    firsts.push(page_of_heading(b, tsigni::pdf::BIBLIOGRAPHY_ID));
    let mut lengths: Vec<usize> = firsts.windows(2).map(|w| w[1] - w[0]).collect();
    lengths.push(b.out.pages + 1 - firsts[firsts.len() - 1]);
    lengths
}

#[test]
fn chapter_start_recto_adds_the_blank_versos_that_any_does_not() {
    let (recto, any) = (x5(ChapterStart::Recto), x5(ChapterStart::Any));
    let one = page_labelled(any, "1");
    assert_eq!(one, page_labelled(recto, "1"), "the same front matter");
    // Under "any" no body page is blank.
    assert!(any.out.page_starts[one - 1..].iter().all(|s| !s.blank));
    // Under "recto" every chapter and the bibliography open on an odd folio.
    let book = &recto.loaded.book;
    let ids = book
        .chapters
        .iter()
        .map(|c| c.id.as_str())
        .chain([tsigni::pdf::BIBLIOGRAPHY_ID]);
    for id in ids {
        let page = page_of_heading(recto, id);
        let folio: usize = recto.out.page_starts[page - 1]
            .label
            .parse()
            .expect("arabic");
        assert_eq!(
            (page % 2, folio % 2),
            (1, 1),
            "{id} opens on page {page} ({folio})"
        );
    }
    // The blank versos are exactly those the chapters' lengths under "any" call for.
    let lengths = chapter_lengths(any);
    let mut at = 1;
    let mut blanks = 0;
    for len in &lengths {
        if at % 2 == 0 {
            blanks += 1;
            at += 1;
        }
        at += len;
    }
    assert!(
        blanks > 5,
        "the ×5 book has chapters ending on rectos: {blanks}"
    );
    assert_eq!(recto.out.pages, any.out.pages + blanks);
    let counted = recto.out.page_starts[one - 1..]
        .iter()
        .filter(|s| s.blank)
        .count();
    assert_eq!(counted, blanks);
    // The EPUB's page list runs on without a gap: a blank page is marked
    // where the chapter after it begins.
    let listed: Vec<String> = recto
        .out
        .page_starts
        .iter()
        .filter_map(|s| Some(s.place.as_ref()?.label.clone()))
        .collect();
    let all: Vec<String> = (1..=listed.len()).map(|n| n.to_string()).collect();
    assert_eq!(listed, all);
    for s in recto
        .out
        .page_starts
        .iter()
        .filter(|s| s.blank && s.page > one)
    {
        let next = &recto.out.page_starts[s.page];
        let (here, there) = (s.place.as_ref(), next.place.as_ref());
        assert!(here.zip(there).is_some_and(
            |(h, t)| (h.chapter, &h.block, h.offset) == (t.chapter, &t.block, t.offset)
        ));
    }
    // Apart from the blanks, the body has as many pages. (Not the same
    // pages: a spread may run a line short, so where a chapter's pages
    // break depends on which side it opens on.)
    let words = |b: &'static Built| {
        b.out.page_starts[one - 1..]
            .iter()
            .filter(|s| !s.blank)
            .map(|s| s.first_words.as_str())
    };
    assert_eq!(words(recto).count(), words(any).count());
}

#[test]
fn contents_outline_and_links_name_the_pages_after_blanks() {
    let b = x5(ChapterStart::Recto);
    let Some(json) = pdf_read::qpdf_json(&b.path) else {
        return;
    };
    // The outline: every entry lands on the page its heading stands on.
    let Some(Value::Array(outline)) = json.get("outlines") else {
        panic!("no outline");
    };
    let mut flat: Vec<&Value> = Vec::new();
    let mut stack: Vec<&Value> = outline.iter().rev().collect();
    while let Some(e) = stack.pop() {
        flat.push(e);
        if let Some(Value::Array(kids)) = e.get("kids") {
            stack.extend(kids.iter().rev());
        }
    }
    let headings = b.layout.outline();
    // The contents first, then the headings in order.
    assert_eq!(flat.len(), headings.len() + 1);
    assert_eq!(flat[0]["destpageposfrom1"], Value::from(5));
    for (e, h) in flat[1..].iter().zip(headings) {
        assert_eq!(
            e["destpageposfrom1"],
            Value::from(page_of_heading(b, &h.id)),
            "{}",
            h.title
        );
    }
    // The contents: each entry's folio is the page its heading stands on.
    let toc: Vec<usize> = b
        .out
        .page_starts
        .iter()
        .filter(|s| b.layout.page(s.page - 1).map(|p| p.kind()) == Some(PageKind::Contents))
        .map(|s| s.page)
        .collect();
    let mut text = String::new();
    for page in &toc {
        let Some(t) = common::pdftotext(&b.path, Some(*page as u32), Some(*page as u32)) else {
            return;
        };
        text.push_str(&t);
    }
    let folios: Vec<usize> = text
        .lines()
        .filter_map(|l| l.trim_end().rsplit(' ').next()?.parse().ok())
        .collect();
    let chapters: Vec<usize> = headings
        .iter()
        .filter(|h| h.level == 1)
        .map(|h| page_of_heading(b, &h.id))
        .collect();
    let labels: Vec<usize> = chapters
        .iter()
        .map(|p| b.out.page_starts[p - 1].label.parse().expect("arabic"))
        .collect();
    // Every chapter's folio is listed, in order (between its sections').
    let mut at = 0;
    for want in &labels {
        let found = folios[at..].iter().position(|f| f == want);
        assert!(
            found.is_some(),
            "folio {want} is not in the contents: {folios:?}"
        );
        at += found.unwrap_or(0) + 1;
    }
    // Links from the contents: each goes to a page that holds a heading.
    let pages: Vec<&Value> = json["pages"].as_array().expect("pages").iter().collect();
    let by_object: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p["object"].as_str()?, i + 1)))
        .collect();
    let mut checked = 0;
    for page in &toc {
        let dict = pdf_read::object(&json, &pages[page - 1]["object"]);
        let annots = dict["/Annots"].as_array().cloned().unwrap_or_default();
        for a in annots {
            let link = pdf_read::object(&json, &a);
            let dest = &link["/Dest"];
            let dest = if dest.is_string() {
                pdf_read::object(&json, dest)
            } else {
                dest
            };
            let Some(target) = dest.get(0).and_then(Value::as_str) else {
                continue;
            };
            let to = by_object[target];
            let s = &b.out.page_starts[to - 1];
            assert!(
                !s.blank && !s.headings.is_empty(),
                "a contents link lands on {s:?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} contents links checked");
}
