//! Issue 12's acceptance test: a Georgian historian's own short book
//! (`tests/fixtures/historian`) holding every construct of the issue —
//! a table of kings with a note in a cell, a figure at 60 %, cross-
//! references, inline marks, Russian and Greek passages, dashes, a
//! definition list, verse, an epigraph, a section break, code, citations,
//! a preface, two parts, an appendix and a title verso — built once by
//! `tsigni all` and checked in every output by the validators and by
//! reading what they hold.

mod common;
#[allow(dead_code)]
#[path = "common/web.rs"]
mod web;

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ISBN: &str = "978-9941-0-1234-1";
const ISBN_DIGITS: &str = "9789941012341";
const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/historian")
}

struct Built {
    _dir: tempfile::TempDir,
    base: PathBuf,
    stderr: String,
}

impl Built {
    fn path(&self, ext: &str) -> PathBuf {
        self.base.with_extension(ext)
    }
}

/// The book built once; its style sheet and CSL locale are the article's.
fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().join("book");
        let out = Command::new(env!("CARGO_BIN_EXE_tsigni"))
            .arg("all")
            .arg("--manuscript")
            .arg(fixture())
            .arg("--allow")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"))
            .arg("--output")
            .arg(&base)
            .env("NO_COLOR", "1")
            .output()
            .expect("run tsigni");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        // krilla's PDF/A and PDF/UA validators run inside every PDF build
        // and turn any finding into an error: success means they were silent.
        assert!(out.status.success(), "tsigni all failed:\n{stderr}");
        Built {
            _dir: dir,
            base,
            stderr,
        }
    })
}

/// The EPUB's text files by name, soft hyphens removed so words can be found.
fn epub() -> &'static BTreeMap<String, String> {
    static F: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    F.get_or_init(|| {
        common::epub_text_files(&built().path("epub"))
            .into_iter()
            .map(|(name, text)| (name, text.replace('\u{AD}', "")))
            .collect()
    })
}

fn xhtml(name: &str) -> &'static str {
    epub()
        .get(&format!("EPUB/text/{name}"))
        .unwrap_or_else(|| panic!("no EPUB/text/{name}"))
}

/// The body's chapter files in reading order: preface, part I, chapter 1,
/// chapter 2, part II, chapter 3, appendix.
const PREFACE: &str = "ch01.xhtml";
const CHAPTER_1: &str = "ch03.xhtml";
const CHAPTER_2: &str = "ch04.xhtml";
const CHAPTER_3: &str = "ch06.xhtml";

#[test]
fn the_build_warns_of_nothing_but_what_is_expected() {
    let stderr = &built().stderr;
    let codes: Vec<&str> = stderr
        .match_indices("warning[")
        .map(|(at, _)| {
            let rest = &stderr[at + "warning[".len()..];
            &rest[..rest.find(']').unwrap_or(0)]
        })
        .collect();
    let expected: [&str; 0] = [];
    assert_eq!(codes, expected, "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
}

#[test]
fn epubcheck_and_ace_find_nothing() {
    let epub = built().path("epub");
    if let Some(r) = common::epubcheck(&epub) {
        assert_eq!(r.fatal + r.errors + r.warnings, 0, "{:#?}", r.messages);
    }
    if let Some(r) = common::ace(&epub) {
        assert!(r.violations.is_empty(), "{:#?}", r.violations);
    }
}

#[test]
fn each_inline_construct_is_its_element_in_the_xhtml() {
    let x = xhtml(CHAPTER_1);
    for s in [
        "H<sub>2</sub>O",
        "კმ<sup>2</sup>",
        "<del>ავტონომია</del>",
        "<span class=\"smallcaps\">Allen</span>",
        // The straight quotes of the Russian passage take Russian marks.
        "<span lang=\"ru\" xml:lang=\"ru\">«Грузия\u{A0}— маленькая страна с большим прошлым»</span>",
        "<span lang=\"el\" xml:lang=\"el\">Ἰβηρία</span>",
        "<code>ф. 1831, оп. 2</code>",
        // `--` an en dash, `---` an em dash, a spaced hyphen a spaced en
        // dash after a no-break space; a year range kept whole (by a
        // span, so that search finds it as written).
        "უწოდებენ\u{A0}– ხანა",
        "უნივერსიტეტი\u{A0}— პირველი",
        "წლები\u{A0}– <span class=\"nowrap\">1918-1921</span>\u{A0}– მოკლე",
        "<a class=\"citation\" role=\"doc-biblioref\" href=\"bibliography.xhtml#ref-rayfield2012\">(Rayfield, 2012: 318)</a>",
    ] {
        assert!(x.contains(s), "{s} not in\n{x}");
    }
}

#[test]
fn each_block_construct_is_its_element_in_the_xhtml() {
    let one = xhtml(CHAPTER_1);
    for s in [
        "<blockquote class=\"epigraph\" epub:type=\"epigraph\" role=\"doc-epigraph\">",
        "<p class=\"attribution\">— ნოე ჟორდანია</p>",
        "<dl>\n<dt>ეროვნული საბჭო</dt>\n<dd>1917 წლის",
        "<hr class=\"section-break\"/>",
        "<pre><code>ф. 1831, оп. 2, д. 14\n  ფურცელი 3-7</code></pre>",
        "<aside epub:type=\"footnote\" role=\"doc-footnote\"",
    ] {
        assert!(one.contains(s), "{s} not in\n{one}");
    }
    // The epigraph opens the chapter, right under its title.
    let title = one.find("</h1>").expect("title");
    assert!(one[title..]
        .trim_start_matches("</h1>\n")
        .starts_with("<blockquote class=\"epigraph\""));
    let two = xhtml(CHAPTER_2);
    for s in [
        "<caption id=\"tbl-kings-caption\"><span class=\"table-number\">ცხრილი 1</span>. საქართველოს მეფეები</caption>",
        "<tr><th scope=\"col\" class=\"left\">მეფე</th><th scope=\"col\" class=\"center\">მეფობის წლები</th><th scope=\"col\" class=\"right\">შენიშვნა</th></tr>",
        // The note inside a cell.
        "<td class=\"right\">აღმაშენებელი<sup><a epub:type=\"noteref\" role=\"doc-noteref\"",
        "<div class=\"line-block\">\n<div class=\"line\">ქებად ვთქვი რაცა ვითქმოდა,</div>\n<div class=\"line\">\u{A0}\u{A0}\u{A0}\u{A0}მაგრა ვთქვი",
    ] {
        assert!(two.contains(s), "{s} not in\n{two}");
    }
    let figure = two.find("<figure").expect("a figure");
    let figure = &two[figure..two[figure..].find("</figure>").expect("closed") + figure];
    assert!(
        figure.contains("alt=\"საქართველოს სამეფო XII საუკუნეში\""),
        "{figure}"
    );
    assert!(figure.contains("width: 60%"), "{figure}");
    assert!(
        figure.contains(
            "<figcaption><span class=\"figure-number\">ნახ.\u{A0}1.</span> საქართველოს სამეფო XII საუკუნეში</figcaption>"
        ),
        "{figure}"
    );
}

#[test]
fn the_book_structure_is_marked_in_the_epub() {
    let kinds: Vec<(&str, &str)> = [
        (PREFACE, "preface"),
        ("ch02.xhtml", "part"),
        (CHAPTER_1, "chapter"),
        (CHAPTER_2, "chapter"),
        ("ch05.xhtml", "part"),
        (CHAPTER_3, "chapter"),
        ("ch07.xhtml", "appendix"),
    ]
    .into();
    for (file, kind) in kinds {
        let x = xhtml(file);
        assert!(
            x.contains(&format!(
                "<section epub:type=\"{kind}\" role=\"doc-{kind}\""
            )),
            "{file} is no {kind}:\n{x}"
        );
    }
    assert!(xhtml("ch02.xhtml").contains("ნაწილი I. რესპუბლიკა"));
    assert!(xhtml("ch05.xhtml").contains("ნაწილი II. დასასრული"));
    assert!(xhtml("ch07.xhtml").contains("დანართი ა"));
    let title = xhtml("title.xhtml");
    for s in [
        "<p class=\"author\">ნინო ბერიძე</p>",
        "<p class=\"author\">გიორგი კაპანაძე</p>",
        "<p>პირველი გამოცემა</p>",
        "<p>თბილისი: თბილისის უნივერსიტეტის გამომცემლობა</p>",
        "<p>ISBN 978-9941-0-1234-1</p>",
        "<a href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>",
    ] {
        assert!(title.contains(s), "{s} not in\n{title}");
    }
}

/// Every cross-reference link in the EPUB: (file, href, text).
fn crossref_links() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (name, x) in epub().iter().filter(|(n, _)| n.starts_with("EPUB/text/ch")) {
        for (at, _) in x.match_indices("<a ") {
            let tag_end = at + x[at..].find('>').expect("tag closed");
            let tag = &x[at..tag_end];
            let Some(h) = tag.find("href=\"") else {
                continue;
            };
            let href = &tag[h + 6..h + 6 + tag[h + 6..].find('"').expect("href closed")];
            let text_end = tag_end + x[tag_end..].find("</a>").expect("a closed");
            let text = x[tag_end + 1..text_end].to_string();
            if text.starts_with("ნახ.") || text.starts_with("ცხრილი") || text.starts_with('§')
            {
                out.push((name.clone(), href.to_string(), text));
            }
        }
    }
    out
}

#[test]
fn the_cross_references_land_on_their_targets_in_the_epub() {
    let links = crossref_links();
    let texts: Vec<&str> = links.iter().map(|l| l.2.as_str()).collect();
    // Chapter 1 names the table, the figure and chapter 2; chapter 2
    // names chapter 1; chapter 3 the table and the figure.
    assert_eq!(
        texts,
        // Body chapters are counted alone: the preface and the part's
        // page before chapter 1 do not make it § 3.
        [
            "ცხრილი\u{A0}1",
            "ნახ.\u{A0}1",
            "§\u{A0}2",
            "§\u{A0}1",
            "ცხრილი\u{A0}1",
            "ნახ.\u{A0}1"
        ],
        "{links:#?}"
    );
    for (from, href, text) in &links {
        let (file, id) = href.split_once('#').unwrap_or_else(|| panic!("{href}"));
        let file = if file.is_empty() {
            from.trim_start_matches("EPUB/text/")
        } else {
            file
        };
        let target = xhtml(file);
        let at = target
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{text} links to {href}, which is not there"));
        // The element carrying the id is the thing named.
        let opening = &target[target[..at].rfind('<').expect("tag")..at];
        let expected = match text.chars().next() {
            Some('ნ') => "<figure",
            Some('ც') => "<table",
            _ => "<h",
        };
        assert!(opening.starts_with(expected), "{text} → {opening}");
    }
}

#[test]
fn the_web_edition_passes_vnu_and_keeps_languages_and_the_figure() {
    let site = built().base.clone();
    let page = std::fs::read_to_string(site.join("ch03.html")).expect("ch03.html");
    assert!(page.contains("<span lang=\"ru\">"), "{page}");
    assert!(page.contains("<span lang=\"el\">"), "{page}");
    let page = std::fs::read_to_string(site.join("ch04.html")).expect("ch04.html");
    assert!(page.contains("<figcaption>"), "{page}");
    assert!(page.contains("<th scope=\"col\""), "{page}");
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(index.contains(ISBN) && index.contains(LICENCE_URL));
    if let Some(errors) = web::vnu_errors(&site) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_isbn_is_in_the_pdf_text_its_xmp_and_every_record() {
    let b = built();
    if let Some(text) = common::pdftotext(&b.path("pdf"), Some(1), Some(4)) {
        assert!(text.contains(&format!("ISBN {ISBN}")), "{text}");
        assert!(text.contains("CC BY 4.0"), "{text}");
    }
    if let Some(pdfinfo) = common::require_tool("pdfinfo") {
        let out = Command::new(pdfinfo)
            .arg("-meta")
            .arg(b.path("pdf"))
            .output()
            .expect("pdfinfo");
        let xmp = String::from_utf8_lossy(&out.stdout);
        assert!(xmp.contains(&format!("ISBN {ISBN}")), "{xmp}");
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    }
    let read = |ext: &str| std::fs::read_to_string(b.path(ext)).expect(ext);
    let marc = read("marc.xml");
    assert!(
        marc.contains(&format!(
            "<datafield tag=\"020\" ind1=\" \" ind2=\" \">\n      <subfield code=\"a\">{ISBN_DIGITS}</subfield>"
        )),
        "{marc}"
    );
    assert!(marc.contains(&format!("<subfield code=\"u\">{LICENCE_URL}</subfield>")));
    // Both authors, the first as main entry, the second as added entry.
    assert!(marc.contains("ნინო ბერიძე") && marc.contains("გიორგი კაპანაძე"));
    let dc = read("dc.xml");
    assert!(
        dc.contains(&format!(
            "<dc:identifier>urn:isbn:{ISBN_DIGITS}</dc:identifier>"
        )),
        "{dc}"
    );
    assert!(dc.contains("<dc:rights>CC BY 4.0</dc:rights>"), "{dc}");
    let csl: Value = serde_json::from_str(&read("csl.json")).expect("csl json");
    assert_eq!(csl[0]["ISBN"], ISBN);
    assert_eq!(csl[0]["author"].as_array().map(Vec::len), Some(2));
    assert!(read("bib").contains(&format!("isbn = {{{ISBN}}}")));
    assert!(read("ris").contains(&format!("SN  - {ISBN}\r\n")));
}

/// `pdftotext -layout` of the whole PDF.
fn layout_text(pdf: &Path) -> Option<String> {
    let tool = common::require_tool("pdftotext")?;
    let out = Command::new(tool)
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).replace('\u{AD}', ""))
}

#[test]
fn the_pdf_reads_the_table_row_by_row_in_order() {
    let Some(text) = layout_text(&built().path("pdf")) else {
        return;
    };
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in\n{text}"))
    };
    let caption = line_of("ცხრილი 1. საქართველოს მეფეები");
    let head = line_of("მეფობის წლები");
    assert!(caption < head, "the caption stands above the table");
    let mut last = head;
    for (king, years, note) in [
        ("დავით IV", "1089-1125", "აღმაშენებელი"),
        ("გიორგი III", "1156-1184", "თამარის მამა"),
        ("თამარი ", "1184-1213", "(Allen, 1932: 104)"),
    ] {
        let l = line_of(king);
        let line = text.lines().nth(l).unwrap_or_default();
        assert!(
            line.contains(years) && line.contains(note),
            "one row, one line: {line}"
        );
        assert!(l > last, "rows in order");
        last = l;
    }
    // The note called in the cell is at the foot of the table's page.
    assert!(line_of("დიდგორის ბრძოლა 1121 წელს მოხდა") > last);
    // The figure's caption, and the cross-references in the words of the book.
    assert!(text.contains("ნახ. 1. საქართველოს სამეფო XII საუკუნეში"));
    assert!(text.contains("ქვემოთ, ცხრილი 1-ში"), "{text}");
}

/// The PDF's objects, as `qpdf --json` gives them.
fn qpdf_objects(pdf: &Path) -> Option<Map<String, Value>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(&qpdf)
        .args(["--json=2", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
    json["qpdf"][1].as_object().cloned()
}

fn kids(e: &Value) -> Vec<Value> {
    match &e["/K"] {
        Value::Array(a) => a.clone(),
        k => vec![k.clone()],
    }
}

#[test]
fn qpdf_is_content_and_the_structure_tree_holds_every_construct() {
    let pdf = built().path("pdf");
    if let Some((ok, out)) = common::qpdf_check(&pdf) {
        assert!(ok, "{out}");
    }
    let Some(objects) = qpdf_objects(&pdf) else {
        return;
    };
    let resolve = |v: &Value| -> Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => objects[&format!("obj:{r}")]["value"].clone(),
            _ => v.clone(),
        }
    };
    let elems: Vec<&Value> = objects
        .values()
        .map(|o| &o["value"])
        .filter(|v| v["/Type"] == "/StructElem")
        .collect();
    let count = |s: &str| elems.iter().filter(|e| e["/S"] == s).count();
    assert_eq!(count("/Table"), 1);
    assert_eq!(count("/TR"), 4);
    assert_eq!(count("/TH"), 3);
    assert_eq!(count("/TD"), 9);
    // The map and the cover.
    assert_eq!(count("/Figure"), 2);
    // The table's caption and the figure's.
    assert_eq!(count("/Caption"), 2);
    let figure = elems
        .iter()
        .find(|e| e["/S"] == "/Figure" && e["/Alt"].to_string().contains("საქართველოს სამეფო"))
        .expect("the map's Figure, its description as alternative text");
    assert!(
        kids(figure).iter().any(|k| resolve(k)["/S"] == "/Caption"),
        "the figure holds its caption: {figure}"
    );
    let table = elems.iter().find(|e| e["/S"] == "/Table").expect("table");
    assert_eq!(resolve(&kids(table)[0])["/S"], "/Caption");
    let langs: Vec<&str> = elems
        .iter()
        .filter(|e| e["/S"] == "/Span")
        .filter_map(|e| e["/Lang"].as_str())
        .collect();
    assert!(
        langs.contains(&"u:ru") && langs.contains(&"u:el"),
        "{langs:?}"
    );
    // Epigraph, definition list, verse and code are tagged too.
    assert!(count("/BlockQuote") >= 1);
    assert!(count("/Lbl") >= 2 && count("/LBody") >= 2);
    assert!(count("/Code") >= 1);
}

/// Each link annotation of the PDF: (its /Contents, the 1-based page its
/// destination is on, the destination's height on that page).
fn pdf_links(pdf: &Path) -> Option<Vec<(String, usize, f64)>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(&qpdf)
        .args(["--json=2", "--json-key=qpdf", "--json-key=pages"])
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
    let objects = json["qpdf"][1].as_object().expect("objects");
    let pages: Vec<&Value> = json["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| &p["object"])
        .collect();
    let mut links = Vec::new();
    for o in objects.values().map(|o| &o["value"]) {
        if o["/Subtype"] != "/Link" {
            continue;
        }
        let dest = match &o["/Dest"] {
            Value::String(r) => objects[&format!("obj:{r}")]["value"].clone(),
            d => d.clone(),
        };
        let Some(page) = pages.iter().position(|p| **p == dest[0]) else {
            continue;
        };
        let contents = o["/Contents"].as_str().unwrap_or("");
        let y = dest[3].as_f64().unwrap_or(0.0);
        links.push((contents.trim_start_matches("u:").to_string(), page + 1, y));
    }
    Some(links)
}

#[test]
fn the_cross_references_land_on_their_targets_in_the_pdf() {
    let pdf = built().path("pdf");
    let Some(links) = pdf_links(&pdf) else { return };
    let page_text = |p: usize| {
        common::pdftotext(&pdf, Some(p as u32), Some(p as u32))
            .unwrap_or_default()
            .replace('\u{AD}', "")
    };
    let to = |name: &str| -> Vec<(usize, f64)> {
        links
            .iter()
            .filter(|l| l.0 == name)
            .map(|l| (l.1, l.2))
            .collect()
    };
    // Two references each to the table and the figure, one to each chapter.
    let (table, figure) = (to("ცხრილი 1"), to("ნახ. 1"));
    assert_eq!((table.len(), figure.len()), (2, 2), "{links:#?}");
    for (page, _) in &table {
        assert!(page_text(*page).contains("ცხრილი 1. საქართველოს მეფეები"));
    }
    for (page, _) in &figure {
        assert!(page_text(*page).contains("ნახ. 1. საქართველოს სამეფო XII საუკუნეში"));
    }
    // On that page the figure stands below the table (PDF heights grow upwards).
    assert!(figure[0].1 < table[0].1, "{table:?} {figure:?}");
    for title in ["რესპუბლიკის დაბადება", "მეფეთა ხანა"]
    {
        // The contents link to each chapter too: every link to it lands
        // on the page that opens with its title.
        let pages = to(title);
        assert!(pages.len() >= 2, "{title}: {links:#?}");
        for (page, _) in pages {
            assert!(
                page_text(page).trim_start().starts_with(title),
                "{title} → {page}"
            );
        }
    }
}
