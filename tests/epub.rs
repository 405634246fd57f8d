//! The EPUB as a reader and a validator see it: built from the real manuscript
//! into a temporary directory, unzipped and inspected.

mod common;

use quick_xml::events::Event;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn manuscript() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")
}

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
    /// File names in zip order.
    order: Vec<String>,
}

/// One build of the book through the command line, shared by the tests.
fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("book.epub");
        let out = common::build("epub", &manuscript(), &path);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("wrote"),
            "no report of the output: {stdout}"
        );
        let (files, order) = unzip(&path);
        Built {
            _dir: dir,
            path,
            files,
            order,
        }
    })
}

fn unzip(path: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let f = std::fs::File::open(path).expect("open epub");
    let mut z = zip::ZipArchive::new(f).expect("epub is a zip");
    let mut files = BTreeMap::new();
    let mut order = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("zip entry");
        let mut data = Vec::new();
        e.read_to_end(&mut data).expect("read entry");
        order.push(e.name().to_string());
        files.insert(e.name().to_string(), data);
    }
    (files, order)
}

fn text(b: &Built, name: &str) -> String {
    String::from_utf8(
        b.files
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing from the EPUB"))
            .clone(),
    )
    .expect("UTF-8")
}

fn chapter_files(b: &Built) -> Vec<String> {
    b.files
        .keys()
        .filter(|k| k.starts_with("EPUB/text/ch") && k.ends_with(".xhtml"))
        .cloned()
        .collect()
}

/// Every element as (name, attributes) with the text that follows inside it.
struct Elem {
    name: String,
    attrs: HashMap<String, String>,
    text: String,
}

fn elements(xml: &str) -> Vec<Elem> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Elem> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match r.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                out.push(elem(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(elem(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                let s = t.decode().expect("text").into_owned();
                for &i in &open {
                    out[i].text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let s = match r.decode().expect("ref").as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }
                .to_string();
                for &i in &open {
                    out[i].text.push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn elem(e: &quick_xml::events::BytesStart) -> Elem {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("attribute");
            (
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                a.unescape_value().expect("value").into_owned(),
            )
        })
        .collect();
    Elem {
        name,
        attrs,
        text: String::new(),
    }
}

fn strip_shy(s: &str) -> String {
    s.replace('\u{AD}', "")
}

#[test]
fn mimetype_first_and_stored() {
    let b = built();
    assert_eq!(b.order.first().map(String::as_str), Some("mimetype"));
    assert_eq!(text(b, "mimetype"), "application/epub+zip");
    let f = std::fs::File::open(&b.path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let m = z.by_index(0).unwrap();
    assert_eq!(m.compression(), zip::CompressionMethod::Stored);
}

#[test]
fn every_heading_is_in_the_nav_in_order() {
    let b = built();
    let mut headings = Vec::new();
    for f in chapter_files(b) {
        let file = f.trim_start_matches("EPUB/");
        for e in elements(&text(b, &f)) {
            if matches!(e.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                let id = e.attrs.get("id").expect("heading has an id").clone();
                headings.push((file.to_string(), id, strip_shy(&e.text)));
            }
        }
    }
    assert!(headings.len() >= 14, "expected 6 chapters + 8 sections");
    let nav = elements(&text(b, "EPUB/nav.xhtml"));
    let toc_links: Vec<(String, String)> = nav
        .iter()
        .filter(|e| {
            e.name == "a"
                && !e.attrs.contains_key("epub:type")
                && !e.attrs["href"].contains("#page-")
        })
        .map(|e| (e.attrs["href"].clone(), e.text.clone()))
        .collect();
    // Chapter titles link to the file; sections to their anchor.
    let mut expected: Vec<(String, String)> = headings
        .iter()
        .map(|(file, id, t)| {
            if id.contains("-s") {
                (format!("{file}#{id}"), t.clone())
            } else {
                (file.clone(), t.clone())
            }
        })
        .collect();
    expected.push(("text/bibliography.xhtml".into(), "ბიბლიოგრაფია".into()));
    assert_eq!(toc_links, expected);
    // The eight discussion subsections are nested under დისკუსია.
    let nav_src = text(b, "EPUB/nav.xhtml");
    let disc = nav_src
        .find(">დისკუსია</a><ol>")
        .expect("nested list under the discussion");
    assert!(nav_src[disc..].matches("ch05.xhtml#ch05-s").count() == 8);
    // The NCX carries the same entries.
    let ncx = text(b, "EPUB/toc.ncx");
    for (_, _, t) in &headings {
        assert!(ncx.contains(&format!("<text>{t}</text>")), "NCX lacks {t}");
    }
}

#[test]
fn the_footnote_is_an_aside_referenced_and_linking_back() {
    let b = built();
    let ch = text(b, "EPUB/text/ch05.xhtml");
    let els = elements(&ch);
    let noteref = els
        .iter()
        .find(|e| e.attrs.get("epub:type").map(String::as_str) == Some("noteref"))
        .expect("a noteref");
    assert_eq!(noteref.attrs["role"], "doc-noteref");
    let target = noteref.attrs["href"].trim_start_matches('#').to_string();
    let ref_id = noteref.attrs["id"].clone();
    let aside = els
        .iter()
        .find(|e| e.name == "aside" && e.attrs.get("id") == Some(&target))
        .expect("the aside the noteref points to");
    assert_eq!(aside.attrs["epub:type"], "footnote");
    assert_eq!(aside.attrs["role"], "doc-footnote");
    assert!(strip_shy(&aside.text).contains("პეკინი ეს სახელწოდება ქართულში რუსულის გავლით"));
    let back = els
        .iter()
        .find(|e| e.attrs.get("role").map(String::as_str) == Some("doc-backlink"))
        .expect("a link back");
    assert_eq!(back.attrs["href"], format!("#{ref_id}"));
    // The marker follows the sentence it belongs to.
    let plain = strip_shy(&ch);
    let at = plain.find("დაერქვათ.<sup><a epub:type=\"noteref\"");
    assert!(at.is_some(), "note marker not after დაერქვათ.");
}

#[test]
fn every_citation_links_to_a_bibliography_entry() {
    let b = built();
    let bib = elements(&text(b, "EPUB/text/bibliography.xhtml"));
    let entries: HashMap<String, String> = bib
        .iter()
        .filter(|e| e.name == "li")
        .map(|e| (e.attrs["id"].clone(), e.text.clone()))
        .collect();
    assert_eq!(entries.len(), 4, "four cited works");
    let mut found = Vec::new();
    for f in chapter_files(b) {
        for e in elements(&text(b, &f)) {
            if e.attrs.get("role").map(String::as_str) == Some("doc-biblioref") {
                let href = &e.attrs["href"];
                let (file, id) = href.split_once('#').expect("fragment");
                assert_eq!(file, "bibliography.xhtml");
                assert!(entries.contains_key(id), "{href} has no entry");
                found.push(strip_shy(&e.text));
            }
        }
    }
    assert_eq!(
        found,
        vec![
            "(Snow, 1961: 96)",
            "(Xu, 519)",
            "(Li, 1997: 98)",
            "(Zhang, 2009: 3)"
        ]
    );
    // Sorted by author; no English words in a Georgian book.
    let order: Vec<&str> = bib
        .iter()
        .filter(|e| e.name == "li")
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        order,
        vec!["Li, 1997.", "Snow, 1961.", "Xu, უ. თ.", "Zhang, 2009."]
    );
}

#[test]
fn every_character_has_an_embedded_font() {
    let b = built();
    let faces: Vec<(String, HashSet<char>)> = b
        .files
        .iter()
        .filter(|(k, _)| k.starts_with("EPUB/fonts/"))
        .map(|(k, data)| {
            let face = ttf_parser::Face::parse(data, 0).expect("embedded font parses");
            let mut cov = HashSet::new();
            for sub in face.tables().cmap.unwrap().subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        if let Some(c) = char::from_u32(cp) {
                            cov.insert(c);
                        }
                    })
                }
            }
            (k.clone(), cov)
        })
        .collect();
    assert!(faces.iter().any(|(k, _)| k.contains("Georgian")));
    let mut checked = 0;
    for (name, data) in &b.files {
        if !name.ends_with(".xhtml") {
            continue;
        }
        for e in elements(std::str::from_utf8(data).unwrap()) {
            if e.name == "html" || e.name == "body" {
                continue;
            }
            for c in e.text.chars() {
                if c.is_whitespace() || c == '\u{AD}' {
                    continue;
                }
                checked += 1;
                assert!(
                    faces.iter().any(|(_, cov)| cov.contains(&c)),
                    "U+{:04X} {c:?} in {name} has no embedded font",
                    c as u32
                );
            }
        }
    }
    assert!(checked > 30_000, "only {checked} characters checked");
    // The style sheet names the Georgian face first, with the Latin one beside it.
    let css = text(b, "EPUB/css/book.css");
    assert!(css.contains("font-family: \"Noto Serif Georgian\", \"Noto Serif\", serif"));
}

#[test]
fn georgian_everywhere_and_no_english_quotes() {
    let b = built();
    for f in b.files.keys().filter(|k| k.ends_with(".xhtml")) {
        let t = text(b, f);
        assert!(
            t.contains("lang=\"ka\" xml:lang=\"ka\""),
            "{f} does not declare Georgian"
        );
        // The typographic English opening quote never appears in a ka book.
        assert!(
            !t.contains('”') || f.ends_with("ch05.xhtml"),
            "{f}: English quote"
        );
    }
    // The one ” in the book is the author's own (source line 401), kept as written.
    assert_eq!(text(b, "EPUB/text/ch05.xhtml").matches('”').count(), 1);
}

/// Occurrences of `word` in the manuscript's chapters (those book.toml
/// names), as written.
fn source_count(word: &str) -> usize {
    let toml: toml::Value = std::fs::read_to_string(manuscript().join("book.toml"))
        .expect("book.toml")
        .parse()
        .expect("TOML");
    let chapters = toml["book"]["chapters"].as_array().expect("chapters");
    chapters
        .iter()
        .map(|c| {
            let f = manuscript().join(c.as_str().expect("a file name"));
            std::fs::read_to_string(f)
                .expect("chapter")
                .matches(word)
                .count()
        })
        .sum()
}

#[test]
fn no_soft_hyphens_so_every_word_is_found_as_written() {
    let b = built();
    let mut found = 0;
    for f in chapter_files(b) {
        let ch = text(b, &f);
        assert!(!ch.contains('\u{AD}'), "{f}: a stored soft hyphen");
        // The text between the tags: a word split by markup is not found.
        found += ch
            .split('<')
            .map(|s| s.split_once('>').map_or(s, |(_, text)| text))
            .map(|text| text.matches("ჩინეთის").count())
            .sum::<usize>();
    }
    let want = source_count("ჩინეთის");
    assert!(want > 50, "the manuscript has ჩინეთის {want} times");
    assert_eq!(found, want, "ჩინეთის in the chapters' text nodes");
    // Without hyphens in the words, lines are set ragged right (the
    // figures are in src/epub/package.rs, text_setting).
    let css = text(b, "EPUB/css/book.css");
    assert!(css.contains("p { margin: 0; text-indent: 1.5em; text-align: start;"));
    assert!(!css.contains("justify"), "{css}");
}

#[test]
fn soft_hyphens_on_request_and_headings_kept_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path().join("m");
    std::fs::create_dir(&m).expect("dir");
    for e in std::fs::read_dir(manuscript()).expect("manuscript") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, m.join(p.file_name().expect("name"))).expect("copy");
    }
    let toml = std::fs::read_to_string(m.join("book.toml")).expect("toml");
    std::fs::write(
        m.join("book.toml"),
        format!("{toml}\n[epub]\nhyphenate = true\n"),
    )
    .expect("toml");
    let path = dir.path().join("book.epub");
    common::build("epub", &m, &path);
    let (files, _) = unzip(&path);
    let ch = String::from_utf8(files["EPUB/text/ch02.xhtml"].clone()).expect("utf-8");
    assert!(
        ch.matches('\u{AD}').count() > 100,
        "Georgian words are hyphenated"
    );
    let plain = strip_shy(&ch);
    assert!(plain.contains("ჩინეთ-საბჭოთა კავშირის ურთიერთობები"));
    // Headings stay unhyphenated so they read and search as written.
    for e in elements(&ch) {
        if e.name.starts_with('h') && e.name.len() == 2 {
            assert!(
                !e.text.contains('\u{AD}'),
                "soft hyphen in heading {}",
                e.text
            );
        }
    }
    let css = String::from_utf8(files["EPUB/css/book.css"].clone()).expect("utf-8");
    assert!(
        css.contains("text-align: justify; hyphens: manual;"),
        "{css}"
    );
}

#[test]
fn the_contents_page_is_set_left_and_the_ncx_counts_the_pages() {
    let b = built();
    let css = text(b, "EPUB/css/book.css");
    assert!(css.contains("nav li { text-align: left;"), "{css}");
    let nav = text(b, "EPUB/nav.xhtml");
    let pages: Vec<u64> = nav
        .split("<nav epub:type=\"page-list\"")
        .nth(1)
        .expect("a page list")
        .split("</nav>")
        .next()
        .unwrap_or("")
        .split("<li><a ")
        .skip(1)
        .map(|li| {
            let label = li.split('>').nth(1).and_then(|s| s.split('<').next());
            label.and_then(|l| l.parse().ok()).expect("a numbered page")
        })
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    let ncx = text(b, "EPUB/toc.ncx");
    let total = format!(
        "<meta name=\"dtb:totalPageCount\" content=\"{}\"/>",
        pages.len()
    );
    let max = format!(
        "<meta name=\"dtb:maxPageNumber\" content=\"{}\"/>",
        pages.iter().max().expect("pages")
    );
    assert!(ncx.contains(&total) && ncx.contains(&max), "{ncx}");
}

#[test]
fn the_title_keeps_its_year_range_on_one_line() {
    let b = built();
    let title = text(b, "EPUB/text/title.xhtml");
    assert!(
        title.contains("<span class=\"nowrap\">1950-1980</span>"),
        "{title}"
    );
    let css = text(b, "EPUB/css/book.css");
    assert!(css.contains(".nowrap { white-space: nowrap; }"), "{css}");
}

#[test]
fn metadata_is_complete_and_invents_nothing() {
    let b = built();
    let opf = text(b, "EPUB/package.opf");
    for needle in [
        "<dc:identifier id=\"pub-id\">urn:uuid:b02c63b1-aa73-430c-b205-e44d46585b16</dc:identifier>",
        "<dc:title id=\"title\">ჩინეთ-საბჭოთა ურთიერთობები 1950-1980 წლებში</dc:title>",
        "<dc:language>ka</dc:language>",
        "<meta property=\"dcterms:modified\">",
        "<dc:description>მეოცე საუკუნე ჩინეთის ისტორიაში",
        "<dc:subject>ჩინელი კომუნისტები</dc:subject>",
        "<dc:subject>მაო მოსკოვში</dc:subject>",
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessModeSufficient\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        "properties=\"cover-image\"",
        "properties=\"nav\"",
        "<spine toc=\"ncx\">",
    ] {
        assert!(opf.contains(needle), "package.opf lacks {needle}");
    }
    // The source names no author, publisher or rights: none are made up.
    for absent in ["<dc:creator", "<dc:publisher", "<dc:rights"] {
        assert!(!opf.contains(absent), "package.opf invents {absent}");
    }
    // Cover page and image.
    let cover = text(b, "EPUB/text/cover.xhtml");
    assert!(cover.contains("<img src=\"../images/cover.png\" alt=\"ყდა: "));
    let img = image::load_from_memory(&b.files["EPUB/images/cover.png"]).expect("cover decodes");
    assert!(img.height() > img.width());
}

/// Writes the EPUB of a loaded book to `path`, as `tsigni epub -o` does.
fn write_epub(loaded: &tsigni::Loaded, path: &Path) {
    let outputs = tsigni::build::Outputs {
        output: Some(path),
        formats: &[tsigni::Format::Epub],
        records: false,
    };
    tsigni::build::write(loaded, &outputs, &mut |_| {}).unwrap_or_else(|e| panic!("write: {e}"));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = tsigni::load(&manuscript()).expect("manuscript loads");
    let a = dir.path().join("a.epub");
    let c = dir.path().join("c.epub");
    write_epub(&loaded, &a);
    let loaded2 = tsigni::load(&manuscript()).expect("manuscript loads");
    write_epub(&loaded2, &c);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    // And through the command line, the same bytes again.
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&built().path).unwrap()
    );
}

#[test]
fn epubcheck_reports_nothing() {
    let b = built();
    if let Some(report) = common::epubcheck(&b.path) {
        report.assert_clean();
        assert_eq!(report.fatal + report.errors + report.warnings, 0);
    }
}

#[test]
fn ace_reports_no_violations() {
    let b = built();
    if let Some(report) = common::ace(&b.path) {
        report.assert_no_violations();
    }
}

#[test]
fn a_book_without_a_cover_gets_a_typographic_one() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    // The fixtures share the sample manuscript's style and locale.
    let shared = [Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")];
    let loaded =
        tsigni::load_allowing(&tsigni::vfs::RealFs, &fixture, &shared).expect("fixture loads");
    assert!(loaded.cover.generated);
    let out = dir.path().join("good.epub");
    write_epub(&loaded, &out);
    let (files, _) = unzip(&out);
    let png = image::load_from_memory(&files["EPUB/images/cover.png"]).expect("cover decodes");
    assert_eq!((png.width(), png.height()), (1200, 1800));
    // The title is drawn: the middle of the field is not a plain colour.
    let rgb = png.to_rgb8();
    let field = *rgb.get_pixel(10, 10);
    let inked = (300..900)
        .flat_map(|x| (500..900).map(move |y| (x, y)))
        .filter(|&(x, y)| *rgb.get_pixel(x, y) != field)
        .count();
    assert!(inked > 5_000, "no title drawn ({inked} pixels)");
}

#[test]
fn source_date_epoch_sets_the_timestamps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dated.epub");
    let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["epub", "--manuscript"])
        .arg(manuscript())
        .arg("--output")
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1764028800")
        .output()
        .unwrap();
    assert!(o.status.success());
    let (files, _) = unzip(&out);
    let opf = String::from_utf8(files["EPUB/package.opf"].clone()).unwrap();
    assert!(opf.contains("<meta property=\"dcterms:modified\">2025-11-25T00:00:00Z</meta>"));
    let f = std::fs::File::open(&out).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let m = z
        .by_name("EPUB/package.opf")
        .unwrap()
        .last_modified()
        .unwrap();
    assert_eq!((m.year(), m.month(), m.day()), (2025, 11, 25));
    // Without it, the default build is still fixed (1980-01-01, the zip epoch).
    let plain = String::from_utf8(built().files["EPUB/package.opf"].clone()).unwrap();
    assert!(plain.contains("<meta property=\"dcterms:modified\">1980-01-01T00:00:00Z</meta>"));
}

/// Text after each page-break marker, soft hyphens and tags stripped.
fn words_after_marks(b: &Built) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    // The chapters in order, then the bibliography, which has pages too.
    let mut files = chapter_files(b);
    files.push("EPUB/text/bibliography.xhtml".to_string());
    for f in files {
        let src = text(b, &f);
        let mut rest = src.as_str();
        while let Some(i) = rest.find("<span epub:type=\"pagebreak\"") {
            let after = &rest[i..];
            let label_at = after.find("aria-label=\"").unwrap() + "aria-label=\"".len();
            let label: String = after[label_at..]
                .chars()
                .take_while(|&c| c != '"')
                .collect();
            let end = after.find("/>").unwrap() + 2;
            let mut plain = String::new();
            let mut in_tag = false;
            for c in after[end..].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        plain.push(' ');
                    }
                    _ if in_tag => {}
                    '\u{AD}' => {}
                    c => plain.push(c),
                }
                if plain.split_whitespace().count() > 8 {
                    break;
                }
            }
            let words: Vec<String> = plain
                .split_whitespace()
                .take(6)
                .map(str::to_string)
                .collect();
            out.push((label, words));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn epub_pages_begin_with_the_words_of_the_pdf_pages() {
    let b = built();
    let marks = words_after_marks(b);
    let loaded = tsigni::load(&manuscript()).unwrap();
    let pdf = tsigni::pdf::render(&loaded.book, &loaded.fonts, &loaded.cover).unwrap();
    let body: Vec<_> = pdf
        .page_starts
        .iter()
        .filter(|p| p.place.is_some())
        .collect();
    assert!(body.len() >= 20, "only {} body pages", body.len());
    let labels: Vec<&str> = marks.iter().map(|(l, _)| l.as_str()).collect();
    let expected: Vec<&str> = body.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels, expected,
        "page list of the EPUB and pages of the PDF"
    );
    // The nav's page list names every marker.
    let nav = text(b, "EPUB/nav.xhtml");
    for (label, _) in &marks {
        assert!(nav.contains(&format!("#page-{label}\">{label}</a>")));
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf_path = dir.path().join("b.pdf");
    std::fs::write(&pdf_path, &pdf.bytes).unwrap();
    for (start, (label, words)) in body.iter().zip(&marks) {
        let Some(page_text) =
            common::pdftotext(&pdf_path, Some(start.page as u32), Some(start.page as u32))
        else {
            return;
        };
        // Words broken at a line end come back joined; the running head, if
        // any, is the page's first line.
        let joined = page_text.replace("-\n", "");
        let lines: Vec<&str> = joined.lines().collect();
        let flat = |from: usize| -> Vec<String> {
            lines[from.min(lines.len())..]
                .join(" ")
                .split_whitespace()
                .take(8)
                .map(str::to_string)
                .collect()
        };
        let first_epub = words.first().cloned().unwrap_or_default();
        let ok = (0..=1).any(|skip| {
            let pdf_words = flat(skip);
            let Some(first_pdf) = pdf_words.first() else {
                return false;
            };
            // A word split across the page break: the EPUB marks its start.
            let offset =
                usize::from(first_epub != *first_pdf && first_epub.ends_with(first_pdf.as_str()));
            let n = 3.min(words.len());
            (first_epub == *first_pdf || offset == 1)
                && words[1..n] == pdf_words[1..n.min(pdf_words.len())]
        });
        assert!(
            ok,
            "page {label}: EPUB begins {words:?}, PDF page {} reads {:?}",
            start.page,
            lines.iter().take(3).collect::<Vec<_>>()
        );
    }
    let opf = text(b, "EPUB/package.opf");
    assert!(opf.contains("<meta property=\"schema:accessibilityFeature\">printPageNumbers</meta>"));
    assert!(opf.contains("<meta property=\"pageBreakSource\">"));
}
