//! Tables in every output: a manuscript holding a three-column table with
//! alignment, a caption, a label, a note and a citation in its cells; a
//! table with its columns' shares from the source's dashes; one too wide
//! for the page; and a long table that breaks across pages.

mod common;
// The suite uses the Nu checker and its own browser script, not the article's check.
#[allow(dead_code)]
#[path = "common/web.rs"]
mod web_check;

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tsigni::model::table::{self, Align};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables")
}

fn repo_manuscript() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")
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
    fn site(&self) -> PathBuf {
        self.base.clone()
    }
}

/// The fixture built once by the command line: EPUB, PDF, web edition and
/// records. Its style sheet and CSL locale are the article's.
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
            .arg(repo_manuscript())
            .arg("--output")
            .arg(&base)
            .output()
            .expect("run tsigni");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "tsigni all failed: {stderr}");
        Built {
            _dir: dir,
            base,
            stderr,
        }
    })
}

fn epub_files() -> &'static BTreeMap<String, String> {
    static F: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    F.get_or_init(|| common::epub_text_files(&built().path("epub")))
}

fn chapter_xhtml() -> &'static str {
    epub_files()
        .iter()
        .find(|(k, _)| k.ends_with("text/ch01.xhtml"))
        .map(|(_, v)| v.as_str())
        .expect("ch01.xhtml")
}

/// Soft hyphens out, so that words can be looked for.
fn unhyphenated(s: &str) -> String {
    s.replace('\u{AD}', "")
}

#[test]
fn the_reader_makes_tables_with_columns_captions_labels_and_numbers() {
    let loaded = tsigni::load_allowing(&tsigni::vfs::RealFs, &fixture(), &[repo_manuscript()])
        .unwrap_or_else(|e| panic!("{e:?}"));
    let tables = table::tables(&loaded.book);
    assert_eq!(tables.len(), 4);
    let numbers: Vec<usize> = tables.iter().map(|t| t.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    let kings = tables[0];
    assert_eq!(kings.label.as_deref(), Some("tbl:kings"));
    let caption = tsigni::model::plain_text(&kings.caption, Some(&loaded.book));
    assert_eq!(caption, "საქართველოს მეფეები");
    let aligns: Vec<Align> = kings.columns.iter().map(|c| c.align).collect();
    assert_eq!(aligns, [Align::Left, Align::Center, Align::Right]);
    assert_eq!((kings.head.len(), kings.body.len()), (1, 3));
    // A narrow table's widths come from its content, a wide one's from
    // its dashes (9, 44, 7 and 10 of 70).
    assert!(kings.columns.iter().all(|c| c.width.is_none()));
    let wide: Vec<f32> = tables[1].columns.iter().map(|c| c.width.unwrap()).collect();
    assert!((wide[1] - 44.0 / 70.0).abs() < 1e-4, "{wide:?}");
    // No caption: none invented.
    assert!(tables[1].caption.is_empty() && tables[1].label.is_none());
    // `: …` before a table and `Table: …` after one are both captions.
    assert_eq!(
        tsigni::model::plain_text(&tables[2].caption, None),
        "ძალიან ფართო ცხრილი"
    );
    assert_eq!(
        tsigni::model::plain_text(&tables[3].caption, None),
        "მოვლენები წლების მიხედვით"
    );
    assert_eq!(tables[3].body.len(), 80);
    // The note in a cell is numbered and defined; the citation resolved.
    assert_eq!(loaded.book.notes.len(), 1);
    assert!(!loaded.book.citations[0].rendered.is_empty());
}

/// The warnings (code, line) in the chapter of a one-chapter book read
/// from memory.
fn warnings_of(chapter: &str) -> Vec<(String, usize)> {
    let mut fs = tsigni::vfs::MemFs::new();
    fs.insert(
        "m/book.toml",
        "[book]\ntitle = \"T\"\nlanguage = \"ka\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000002\"\nauthors = [\"A\"]\nchapters = [\"ch.md\"]\n",
    );
    fs.insert("m/ch.md", chapter);
    let loaded = tsigni::load_with(&fs, Path::new("m")).unwrap_or_else(|e| panic!("{e:?}"));
    loaded
        .warnings
        .list
        .iter()
        // The chapter's warnings, not the thin book.toml's.
        .filter(|d| {
            d.span
                .is_some_and(|s| loaded.book.sources.name(s.file).ends_with("ch.md"))
        })
        .map(|d| {
            let line = d
                .span
                .map(|s| loaded.book.sources.line_col(s.file, s.start).0)
                .unwrap_or(0);
            (d.code.to_string(), line)
        })
        .collect()
}

#[test]
fn captions_far_from_tables_labels_without_tbl_and_grid_tables_are_warnings() {
    let w = warnings_of("# T\n\nTable: alone\n\ntext\n");
    assert_eq!(w, [("caption-without-table".to_string(), 3)]);
    let w = warnings_of("# T\n\n| a |\n|---|\n| 1 |\n\n: caption {#kings .x}\n");
    let codes: Vec<&str> = w.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["table-label", "unknown-attribute"], "{w:?}");
    let w = warnings_of("# T\n\n+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+\n");
    assert_eq!(w, [("grid-table".to_string(), 3)]);
    // A table with its caption is no warning at all.
    assert!(warnings_of("# T\n\nTable: c {#tbl:c}\n\n| a |\n|---|\n| 1 |\n").is_empty());
}

#[test]
fn a_row_taller_than_a_page_continues_on_the_next_and_loses_nothing() {
    let words = vec!["სიტყვა"; 3000].join(" ");
    let mut fs = tsigni::vfs::MemFs::new();
    fs.insert(
        "m/book.toml",
        "[book]\ntitle = \"T\"\nlanguage = \"ka\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000003\"\nauthors = [\"A\"]\nchapters = [\"ch.md\"]\n",
    );
    fs.insert(
        "m/ch.md",
        format!("# T\n\n| ა | ბ |\n|---|---|\n| {words} | x |\n| y | z |\n"),
    );
    let loaded = tsigni::load_with(&fs, Path::new("m")).unwrap_or_else(|e| panic!("{e:?}"));
    let (_dir, pdf, out) = common::write_pdf(&loaded.book, &loaded.fonts, &loaded.cover, "tall");
    let Some(text) = common::pdftotext(&pdf, None, None) else {
        return;
    };
    assert_eq!(text.matches("სიტყვა").count(), 3000);
    // Over several pages, each opening with the head again.
    let pages = out.pages;
    assert!(pages >= 8, "{pages}");
    let last = common::pdftotext(&pdf, Some(pages as u32), Some(pages as u32)).unwrap_or_default();
    assert!(last.contains('ა') && last.contains("z"), "{last}");
}

#[test]
fn a_table_too_wide_for_the_page_is_a_warning_at_its_place() {
    let b = built();
    assert!(b.stderr.contains("warning[table-too-wide]"), "{}", b.stderr);
    assert!(b.stderr.contains("ch.md:24:1"), "{}", b.stderr);
    assert!(b.stderr.contains("table 3 has 12 columns"), "{}", b.stderr);
    // One warning, for that table alone.
    assert_eq!(b.stderr.matches("table-too-wide").count(), 1);
}

#[test]
fn the_xhtml_holds_a_captioned_table_with_header_scope_and_alignment() {
    let x = unhyphenated(chapter_xhtml());
    assert!(
        x.contains("<div class=\"table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"tbl-kings-caption\">\n<table id=\"tbl-kings\">"),
        "{x}"
    );
    assert!(x.contains(
        "<caption id=\"tbl-kings-caption\"><span class=\"table-number\">ცხრილი 1</span>. საქართველოს მეფეები</caption>"
    ));
    assert!(x.contains("<th scope=\"col\" class=\"left\">მეფე</th><th scope=\"col\" class=\"center\">მეფობის წლები</th><th scope=\"col\" class=\"right\">შენიშვნა</th>"));
    // The note and the citation in cells link as they do in text.
    assert!(x.contains("<td class=\"right\">აღმაშენებელი<sup><a epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn1\" id=\"fnref1\">1</a></sup></td>"));
    assert!(x.contains("<td class=\"right\"><a class=\"citation\" role=\"doc-biblioref\" href=\"bibliography.xhtml#ref-snow1961\">(Snow, 1961: 96)</a></td>"));
    // Rows in order, body after head.
    let rows: Vec<usize> = ["დავით IV", "თამარი</td>", "გიორგი III"]
        .iter()
        .map(|r| x.find(r).unwrap_or_else(|| panic!("{r}")))
        .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
    // The wide table's shares, and an uncaptioned table's number alone.
    assert!(x.contains("<col style=\"width: 62.9%\"/>"));
    assert!(x.contains("<span class=\"table-number\">ცხრილი 2</span></caption>"));
    let css = &epub_files()["EPUB/css/book.css"];
    assert!(css.contains("div.table { overflow-x: auto;"), "{css}");
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
fn the_web_edition_shows_the_table_and_vnu_finds_nothing() {
    let site = built().site();
    let page = std::fs::read_to_string(site.join("ch01.html")).expect("ch01.html");
    assert!(page.contains("<th scope=\"col\" class=\"left\">მეფე</th>"));
    let css = std::fs::read_to_string(site.join("book.css")).expect("css");
    assert!(css.contains("div.table { overflow-x: auto;"));
    // Each body row is a search result of its own.
    assert!(page.contains("<tr id=\"p"));
    let search = std::fs::read_to_string(site.join("search.js")).expect("search.js");
    assert!(search.contains("თამარის მამა"));
    if let Some(errors) = web_check::vnu_errors(&site) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn on_a_phone_wide_tables_scroll_sideways_and_the_page_does_not() {
    let site = built().site();
    let Some((report, ok)) = web_check::browser_script("tests/web/tables.mjs", &site) else {
        return;
    };
    assert!(ok, "{report:#}");
    // Four tables at two widths; at 390 px at least the two wide ones
    // scroll inside their region.
    assert_eq!(report["tables"], 8, "{report:#}");
    assert!(report["scrolling"].as_u64().unwrap_or(0) >= 2, "{report:#}");
}

/// `pdftotext -layout` of pages `first..=last`.
fn layout_text(pdf: &Path, first: u32, last: u32) -> Option<String> {
    let tool = common::require_tool("pdftotext")?;
    let out = Command::new(tool)
        .args([
            "-layout",
            "-enc",
            "UTF-8",
            "-f",
            &first.to_string(),
            "-l",
            &last.to_string(),
        ])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn page_count(pdf: &Path) -> Option<u32> {
    let tool = common::require_tool("pdfinfo")?;
    let out = Command::new(tool).arg(pdf).output().expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
}

#[test]
fn the_pdf_reads_row_by_row_with_the_note_at_the_foot() {
    let pdf = built().path("pdf");
    // The front matter (cover, title, verso, contents, with the blank
    // versos that put page 1 on a recto) comes first; the first table's
    // page, page 1, follows it as the seventh.
    let Some(text) = layout_text(&pdf, 1, 7) else {
        return;
    };
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in\n{text}"))
    };
    let caption = line_of("ცხრილი 1. საქართველოს მეფეები");
    let head = line_of("მეფობის წლები");
    let rows = [
        ("დავით IV", "1089–1125", "აღმაშენებელი1"),
        ("თამარი ", "1184–1213", "(Snow, 1961: 96)"),
        ("გიორგი III", "1156–1184", "თამარის მამა"),
    ];
    let mut last = head;
    assert!(caption < head, "the caption stands above the table");
    for (a, b, c) in rows {
        let l = line_of(a);
        let line = text.lines().nth(l).unwrap_or_default();
        assert!(
            line.contains(b) && line.contains(c),
            "one row, one line: {line}"
        );
        assert!(l > last, "rows in order");
        last = l;
    }
    // The note called in a cell is at the foot of the page.
    let note = line_of("სქოლიო ცხრილის უჯრიდან");
    assert!(note > last);
}

#[test]
fn a_long_table_repeats_its_head_on_every_page_it_continues_on() {
    let pdf = built().path("pdf");
    let Some(n) = page_count(&pdf) else { return };
    let mut pages_with_rows = Vec::new();
    for p in 1..=n {
        let text = common::pdftotext(&pdf, Some(p), Some(p)).unwrap_or_default();
        if text.contains("მოვლენა ნომერი") {
            pages_with_rows.push(p);
            assert!(
                text.contains("წელი") && text.contains("მოვლენა\n")
                    || text.contains("წელი მოვლენა"),
                "page {p} of the table lacks its head:\n{text}"
            );
        }
    }
    assert!(pages_with_rows.len() >= 3, "{pages_with_rows:?}");
    // Every row once, in order, across the pages.
    let all = common::pdftotext(
        &pdf,
        Some(pages_with_rows[0]),
        pages_with_rows.last().copied(),
    )
    .unwrap_or_default();
    let mut at = 0;
    for i in 1..=80 {
        let row = format!("{} მოვლენა ნომერი {i}:", 1900 + i);
        let row_alt = format!("მოვლენა ნომერი {i}:");
        let found = all[at..]
            .find(&row)
            .or_else(|| all[at..].find(&row_alt))
            .unwrap_or_else(|| panic!("row {i} missing or out of order"));
        at += found + 1;
    }
}

/// A PDF's objects, as `qpdf --json` gives them.
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

#[test]
fn the_structure_tree_holds_table_caption_rows_and_cells_with_scope() {
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
    assert_eq!(count("/Table"), 4);
    assert_eq!(count("/Caption"), 4);
    // Head rows: 4; body rows: 3 + 2 + 1 + 80.
    assert_eq!(count("/TR"), 4 + 86);
    assert_eq!(count("/TH"), 3 + 4 + 12 + 2);
    // Every header cell's scope is its column.
    for th in elems.iter().filter(|e| e["/S"] == "/TH") {
        let attrs = resolve(&th["/A"]);
        let scope = match &attrs {
            Value::Array(a) => a
                .iter()
                .map(&resolve)
                .find_map(|d| d.get("/Scope").cloned()),
            d => d.get("/Scope").cloned(),
        };
        assert_eq!(scope, Some(Value::from("/Column")), "{th}");
    }
    assert!(count("/TD") >= 3 * 3 + 4 * 2 + 12 + 2 * 80 - 1);
    // The caption is the table's first child.
    for t in elems.iter().filter(|e| e["/S"] == "/Table") {
        let kids = match &t["/K"] {
            Value::Array(a) => a.clone(),
            k => vec![k.clone()],
        };
        assert_eq!(resolve(&kids[0])["/S"], "/Caption");
    }
}

/// Tables and figures are numbered wherever they stand: inside a
/// definition too (two walkers skipped definitions and epigraphs, so such
/// a table read "ცხრილი 0").
#[test]
fn tables_and_figures_inside_definitions_are_numbered_in_reading_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = dir.path();
    for f in [
        "book.toml",
        "cover.png",
        "style.csl",
        "locale-ka.xml",
        "references.yaml",
    ] {
        std::fs::copy(repo_manuscript().join(f), m.join(f)).expect("copy");
    }
    let toml = std::fs::read_to_string(m.join("book.toml")).expect("book.toml");
    let start = toml.find("chapters").expect("chapters key");
    let end = start + toml[start..].find(']').expect("end of chapters");
    let toml = format!(
        "{}chapters = [\"ch.md\"]{}",
        &toml[..start],
        &toml[end + 1..]
    );
    std::fs::write(m.join("book.toml"), toml).expect("write");
    std::fs::write(
        m.join("ch.md"),
        "# თავი\n\nტერმინი\n: განმარტება:\n\n    | ა | ბ |\n    |---|---|\n    | 1 | 2 |\n\n    \
         Table: ცხრილი განმარტებაში\n\n    ![რუკა](cover.png)\n\n| გ | დ |\n|---|---|\n| 3 | 4 |\n\n\
         Table: მეორე ცხრილი\n\n![მეორე რუკა](cover.png)\n",
    )
    .expect("write");
    let loaded = tsigni::load(m).unwrap_or_else(|e| panic!("{e:?}"));
    let numbers: Vec<usize> = table::tables(&loaded.book)
        .iter()
        .map(|t| t.number)
        .collect();
    assert_eq!(numbers, [1, 2]);
    let mut figures = Vec::new();
    tsigni::model::walk::book(&loaded.book, &mut |v| {
        if let tsigni::model::Visit::Block(tsigni::model::Block::Figure(f)) = v {
            figures.push(f.number);
        }
    });
    assert_eq!(figures, [Some(1), Some(2)]);
}
