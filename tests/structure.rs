//! Book structure (issue 12): front matter, parts and lettered appendices
//! declared in `book.toml`; the title verso; the ISBN and the rights in the
//! PDF, its XMP and every record; a wrong ISBN check digit as an error.
//! Built from `tests/fixtures/structure` with the binary, as an author would.

mod common;
#[path = "common/web.rs"]
mod web;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const ISBN: &str = "978-0-306-40615-7";
const LICENCE: &str = "CC BY 4.0";
const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";
const PUBLISHER: &str = "თბილისის უნივერსიტეტის გამომცემლობა";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structure")
}

fn tsigni(args: &[&str], manuscript: &Path, output: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tsigni"));
    cmd.args(args).arg("--manuscript").arg(manuscript);
    // The fixture shares the sample manuscript's style and locale.
    cmd.arg("--allow")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"));
    if let Some(o) = output {
        cmd.arg("--output").arg(o);
    }
    cmd.env("NO_COLOR", "1").output().expect("run tsigni")
}

/// The fixture built once with `all`: (kept directory, path stem).
fn built() -> &'static (tempfile::TempDir, PathBuf) {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let stem = dir.path().join("book");
        let out = tsigni(&["all"], &fixture(), Some(&stem));
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, stem)
    })
}

fn output(ext: &str) -> PathBuf {
    built().1.with_extension(ext)
}

fn epub_file(name: &str) -> String {
    let f = std::fs::File::open(output("epub")).unwrap();
    let mut zip = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    zip.by_name(&format!("EPUB/{name}"))
        .unwrap_or_else(|_| panic!("{name} in the EPUB"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// Byte offsets of `needles` in `hay`, each after the one before; panics
/// naming the first that is missing or out of order.
fn in_order(hay: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        match hay[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => panic!("{n:?} missing or out of order in:\n{hay}"),
        }
    }
}

#[test]
fn epub_marks_each_kind_of_chapter_and_lists_them_in_order() {
    let nav = epub_file("nav.xhtml");
    let toc = &nav[..nav.find("</nav>").unwrap()];
    in_order(
        toc,
        &[
            "მიძღვნა",
            "წინასიტყვაობა",
            "მადლობები",
            "ნაწილი I. ადრეული ხანა",
            "სათავეები",
            "სამეფო",
            "ნაწილი II. გვიანი ხანა",
            "გაერთიანება",
            "დანართი ა. მეფეთა სია",
            "დანართი ბ. წყაროები",
            "ბიბლიოგრაფია",
        ],
    );
    // A part's chapters nest inside its entry.
    let part = toc.find("ნაწილი I. ადრეული ხანა").unwrap();
    let nested = &toc[part..toc.find("ნაწილი II").unwrap()];
    assert!(nested.contains("<ol>"), "part I holds no list: {nested}");

    let expect = [
        ("ch01", "dedication", Some("doc-dedication")),
        ("ch02", "preface", Some("doc-preface")),
        ("ch03", "acknowledgments", Some("doc-acknowledgments")),
        ("ch04", "part", Some("doc-part")),
        ("ch05", "chapter", Some("doc-chapter")),
        ("ch07", "part", Some("doc-part")),
        ("ch09", "appendix", Some("doc-appendix")),
        ("ch10", "appendix", Some("doc-appendix")),
    ];
    for (id, epub_type, role) in expect {
        let doc = epub_file(&format!("text/{id}.xhtml"));
        let section = format!("<section epub:type=\"{epub_type}\"");
        assert!(doc.contains(&section), "{id} lacks {section}:\n{doc}");
        if let Some(r) = role {
            assert!(doc.contains(&format!("role=\"{r}\"")), "{id} lacks {r}");
        }
    }
    assert!(epub_file("text/ch09.xhtml").contains("დანართი ა. მეფეთა სია"));

    // Landmarks: the preface and the first appendix; the body begins at part I.
    let landmarks = &nav[nav.find("epub:type=\"landmarks\"").unwrap()..];
    let landmarks = &landmarks[..landmarks.find("</nav>").unwrap()];
    for l in [
        "epub:type=\"bodymatter\" href=\"text/ch04.xhtml\"",
        "epub:type=\"preface\" href=\"text/ch02.xhtml\"",
        "epub:type=\"dedication\" href=\"text/ch01.xhtml\"",
        "epub:type=\"appendix\" href=\"text/ch09.xhtml\"",
    ] {
        assert!(landmarks.contains(l), "landmarks lack {l}");
    }
    assert!(
        !landmarks.contains("text/ch10.xhtml"),
        "one appendix landmark"
    );

    // The title page shows the verso's facts too.
    let title = epub_file("text/title.xhtml");
    for s in [ISBN, LICENCE_URL, "თბილისი: ", "მეორე გამოცემა", "© 2026"]
    {
        assert!(title.contains(s), "EPUB title page lacks {s}");
    }
}

#[test]
fn epub_passes_epubcheck_and_ace() {
    if let Some(r) = common::epubcheck(&output("epub")) {
        assert_eq!(
            (r.fatal, r.errors, r.warnings),
            (0, 0, 0),
            "{:#?}",
            r.messages
        );
    }
    if let Some(r) = common::ace(&output("epub")) {
        assert!(r.violations.is_empty(), "{:#?}", r.violations);
    }
}

/// Each page's label from `qpdf --json`: `r` for roman, `D` for arabic.
fn page_labels(pdf: &Path) -> Option<Vec<String>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(qpdf)
        .args(["--json", "--json-key=pagelabels", "--json-key=pages"])
        .arg(pdf)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pages = json["pages"].as_array().unwrap().len();
    let ranges = json["pagelabels"].as_array().unwrap();
    Some(
        (0..pages)
            .map(|i| {
                let r = ranges
                    .iter()
                    .rev()
                    .find(|r| r["index"].as_u64().unwrap() as usize <= i)
                    .unwrap();
                let n = r["label"]["/St"].as_u64().unwrap_or(1) as usize + i
                    - r["index"].as_u64().unwrap() as usize;
                format!("{}{n}", r["label"]["/S"].as_str().unwrap_or("?"))
            })
            .collect(),
    )
}

#[test]
fn pdf_has_a_verso_roman_front_matter_and_arabic_body() {
    let pdf = output("pdf");
    if let Some((ok, msg)) = common::qpdf_check(&pdf) {
        assert!(ok, "qpdf: {msg}");
    }
    // Cover, its blank inside, title page, verso: the verso is the fourth
    // page, the back of the title.
    if let Some(verso) = common::pdftotext(&pdf, Some(4), Some(4)) {
        for s in [
            &format!("ISBN {ISBN}"),
            LICENCE,
            LICENCE_URL,
            &format!("თბილისი: {PUBLISHER}, 2026"),
            "მეორე გამოცემა",
            "© 2026 ნინო ბერიძე",
        ] {
            assert!(verso.contains(s), "verso lacks {s:?}:\n{verso}");
        }
    }
    let Some(labels) = page_labels(&pdf) else {
        return;
    };
    // Cover, its inside, title, verso, contents (v), a blank verso, then
    // the dedication, preface and acknowledgements each on a recto (vii,
    // ix, xi) after a blank verso: roman; then part I opens the arabic
    // pages at 1, on a recto.
    let roman: Vec<String> = (1..=12).map(|n| format!("/r{n}")).collect();
    assert_eq!(labels[..12], roman[..], "{labels:?}");
    assert_eq!(labels[12], "/D1", "{labels:?}");
    assert!(
        labels[12..].iter().all(|l| l.starts_with("/D")),
        "{labels:?}"
    );
    // The contents list the front matter by its roman folios and the body by
    // arabic ones, as printed on those pages.
    let text = common::pdftotext(&pdf, None, None).unwrap();
    let toc = &text[text.find("სარჩევი").unwrap()..];
    let line = |start: &str| -> String {
        toc.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no contents line {start}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_string()
    };
    assert_eq!(line("მიძღვნა"), "vii");
    assert_eq!(line("წინასიტყვაობა"), "ix");
    assert_eq!(line("ნაწილი I."), "1");
    // Part I (1, its verso blank), chapters 1 (3) and 2 (5), part II (7,
    // after a blank), chapter 3 (9): each on a recto.
    assert_eq!(line("დანართი ა. მეფეთა სია"), "11");
}

#[test]
fn pdf_xmp_carries_the_isbn() {
    let Some(pdfinfo) = common::require_tool("pdfinfo") else {
        return;
    };
    let out = Command::new(pdfinfo)
        .arg("-meta")
        .arg(output("pdf"))
        .output()
        .unwrap();
    let xmp = String::from_utf8_lossy(&out.stdout);
    assert!(
        xmp.contains(&format!("<pdf:Keywords>ISBN {ISBN}</pdf:Keywords>")),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"));
}

#[test]
fn every_record_holds_the_isbn_and_the_rights() {
    let read = |ext: &str| std::fs::read_to_string(output(ext)).unwrap();
    let marc = read("marc.xml");
    for s in [
        "<datafield tag=\"020\" ind1=\" \" ind2=\" \">\n      <subfield code=\"a\">9780306406157</subfield>",
        "<datafield tag=\"540\" ind1=\" \" ind2=\" \">\n      <subfield code=\"a\">CC BY 4.0</subfield>\n      <subfield code=\"u\">https://creativecommons.org/licenses/by/4.0/</subfield>",
        "<datafield tag=\"540\" ind1=\" \" ind2=\" \">\n      <subfield code=\"a\">© 2026 ნინო ბერიძე</subfield>",
        "<datafield tag=\"856\" ind1=\"4\" ind2=\"2\">\n      <subfield code=\"3\">CC BY 4.0</subfield>",
        "<subfield code=\"a\">თბილისი</subfield>",
        "<datafield tag=\"250\"",
    ] {
        assert!(marc.contains(s), "MARC lacks {s}:\n{marc}");
    }
    let dc = read("dc.xml");
    for s in [
        "<dc:identifier>urn:isbn:9780306406157</dc:identifier>",
        "<dc:rights>CC BY 4.0</dc:rights>",
        "<dc:rights>© 2026 ნინო ბერიძე</dc:rights>",
    ] {
        assert!(dc.contains(s), "DC lacks {s}:\n{dc}");
    }
    let csl: serde_json::Value = serde_json::from_str(&read("csl.json")).unwrap();
    assert_eq!(csl[0]["ISBN"], ISBN);
    assert!(csl[0]["license"].as_str().unwrap().contains(LICENCE_URL));
    assert_eq!(csl[0]["publisher-place"], "თბილისი");
    let bib = read("bib");
    assert!(bib.contains(&format!("isbn = {{{ISBN}}}")), "{bib}");
    assert!(bib.contains("copyright = {© 2026"), "{bib}");
    let ris = read("ris");
    assert!(ris.contains(&format!("SN  - {ISBN}\r\n")), "{ris}");
    assert!(ris.contains("CR  - © 2026"), "{ris}");
}

#[test]
fn web_edition_has_a_page_per_part_and_passes_vnu() {
    let site = built().1.clone();
    let part = std::fs::read_to_string(site.join("ch04.html")).unwrap();
    assert!(part.contains("role=\"doc-part\""), "{part}");
    assert!(part.contains("ნაწილი I. ადრეული ხანა"));
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains(ISBN) && index.contains(LICENCE_URL));
    if let Some(errors) = web::vnu_errors(&site) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // Every page at 390 and 1280 px in Chromium: links, anchors, fonts,
    // nothing wider than the screen.
    if let Some((report, ok)) = web::browser_check(&site) {
        assert!(
            ok,
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
}

/// The fixture copied into a temporary directory with `book.toml` changed.
fn variant(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixture()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let toml = std::fs::read_to_string(fixture().join("book.toml")).unwrap();
    // The copy is elsewhere: name the shared style by absolute path.
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    let toml = toml.replace("../../../manuscript", shared.to_str().unwrap());
    std::fs::write(dir.path().join("book.toml"), edit(toml)).unwrap();
    dir
}

fn check_json(dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let out = tsigni(&["check", "--message-format", "json"], dir, None);
    let diags = String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

#[test]
fn a_wrong_isbn_check_digit_is_an_error_at_its_value() {
    let dir = variant(|t| t.replace(ISBN, "978-0-306-40615-8"));
    let (code, diags) = check_json(dir.path());
    assert_eq!(code, 1, "{diags:#?}");
    let d = diags
        .iter()
        .find(|d| d["code"] == "isbn")
        .unwrap_or_else(|| panic!("no isbn error: {diags:#?}"));
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().unwrap().contains("check digit"));
    assert!(d["file"].as_str().unwrap().ends_with("book.toml"));
    // `isbn = "…"` is line 10; the value's quote opens at column 8.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(10), Some(8))
    );

    // An ISBN-10 with a wrong check digit, and a number of the wrong length.
    for bad in ["0-306-40615-3", "978-0-306"] {
        let dir = variant(|t| t.replace(ISBN, bad));
        let (code, diags) = check_json(dir.path());
        assert_eq!(code, 1, "{bad}: {diags:#?}");
        assert!(diags.iter().any(|d| d["code"] == "isbn"), "{bad}");
    }
    // A right ISBN-10 is accepted.
    let dir = variant(|t| t.replace(ISBN, "0-306-40615-2"));
    assert_eq!(check_json(dir.path()).0, 0);
}

#[test]
fn structure_keys_that_cannot_mean_anything_are_errors() {
    // Chapters both at the top and in parts.
    let dir = variant(|t| t.replacen("back = [", "chapters = [\"02-kingdom.md\"]\nback = [", 1));
    let (code, diags) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d["message"]
            .as_str()
            .unwrap()
            .contains("both chapters and parts")),
        "{diags:#?}"
    );
    // A file listed as front matter and again as an appendix.
    let dir = variant(|t| t.replace("\"appendix-sources.md\"", "\"preface.md\""));
    let (code, diags) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|d| d["code"] == "chapter-twice"),
        "{diags:#?}"
    );
    // Front and back matter are read through the same sandbox as chapters.
    let dir = variant(|t| t.replace("\"appendix-sources.md\"", "\"/etc/passwd\""));
    let (code, diags) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("/etc/passwd"))
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert!(d["file"].as_str().unwrap().ends_with("book.toml"), "{d}");
    // An unknown role is refused, not guessed.
    let dir = variant(|t| t.replace("role = \"preface\"", "role = \"prologue\""));
    assert_eq!(check_json(dir.path()).0, 1);
}

#[test]
fn a_book_without_verso_fields_has_a_blank_verso() {
    let dir = variant(|t| {
        t.lines()
            .filter(|l| {
                ![
                    "publisher",
                    "place",
                    "edition",
                    "isbn",
                    "copyright",
                    "rights",
                    "license",
                ]
                .iter()
                .any(|k| l.starts_with(k))
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("book.pdf");
    let out = tsigni(&["pdf"], dir.path(), Some(&pdf));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The title's verso is left blank; the contents open on the recto
    // after it.
    if let Some(fourth) = common::pdftotext(&pdf, Some(4), Some(4)) {
        assert!(fourth.trim().is_empty(), "page 4 is not blank:\n{fourth}");
    }
    if let Some(fifth) = common::pdftotext(&pdf, Some(5), Some(5)) {
        assert!(
            fifth.contains("სარჩევი"),
            "page 5 is not the contents:\n{fifth}"
        );
    }
}

#[test]
fn a_verso_without_a_place_is_a_warning_never_a_guess() {
    let (code, diags) = check_json(&fixture());
    assert_eq!(code, 0);
    assert!(diags.is_empty(), "the full fixture warns: {diags:#?}");
    let dir = variant(|t| {
        t.lines()
            .filter(|l| !l.starts_with("place"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let (code, diags) = check_json(dir.path());
    assert_eq!(code, 0);
    assert!(
        diags.iter().any(|d| d["code"] == "metadata-missing"
            && d["message"] == "the title verso gives no place of publication"),
        "{diags:#?}"
    );
    // Nothing stands in for the place: the verso's imprint starts with the
    // publisher.
    let out_dir = tempfile::tempdir().unwrap();
    let pdf = out_dir.path().join("book.pdf");
    assert!(tsigni(&["pdf"], dir.path(), Some(&pdf)).status.success());
    if let Some(verso) = common::pdftotext(&pdf, Some(4), Some(4)) {
        assert!(verso.contains(&format!("{PUBLISHER}, 2026")), "{verso}");
        assert!(!verso.contains("თბილისი:"), "{verso}");
    }
}

/// Structure elements of a PDF by role, from `qpdf --json`.
fn roles(pdf: &Path) -> Option<std::collections::HashMap<String, usize>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(qpdf)
        .args(["--json", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut counts = std::collections::HashMap::new();
    for o in json["qpdf"][1].as_object().unwrap().values() {
        let v = &o["value"];
        if v["/Type"] == "/StructElem" {
            let role = v["/S"].as_str().unwrap_or("").trim_start_matches('/');
            *counts.entry(role.to_string()).or_insert(0) += 1;
        }
    }
    Some(counts)
}

#[test]
fn pdf_structure_has_a_section_for_every_kind_of_chapter() {
    let Some(r) = roles(&output("pdf")) else {
        return;
    };
    let n = |k: &str| r.get(k).copied().unwrap_or(0);
    // Three front-matter files, two part pages, three chapters, two
    // appendices, the bibliography: a section each, each with its H1;
    // the contents' heading is the twelfth H1.
    assert_eq!(n("Sect"), 11, "{r:?}");
    assert_eq!(n("H1"), 12, "{r:?}");
    // The preface's note is in the tree, in the front matter's stream.
    assert_eq!(n("Note"), 1, "{r:?}");
    // The title page (author, title, imprint) and the verso's seven
    // paragraphs are paragraphs of their own.
    assert!(n("P") >= 10, "{r:?}");
}
