//! The web edition: valid HTML, working in a browser on a phone and on a
//! desk, the same text as the EPUB, replaced whole, and metadata that states
//! only what `book.toml` gives.

mod common;
#[path = "common/web.rs"]
mod web_check;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn manuscript() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")
}

fn tsigni(args: &[&str], manuscript: &Path, output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .arg("--manuscript")
        .arg(manuscript)
        .arg("--output")
        .arg(output)
        .output()
        .expect("run tsigni")
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The article's web edition, built once by the command line.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("site");
        let out = tsigni(&["html"], &manuscript(), &path);
        assert_ok(&out, "tsigni html");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("files)"),
            "no report of the output: {stdout}"
        );
        (dir, path)
    });
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(errors) = web_check::vnu_errors(site()) else {
        return;
    };
    assert!(errors.is_empty(), "the Nu checker:\n{}", errors.join("\n"));
}

#[test]
fn every_page_works_in_chromium_on_a_phone_and_a_desk() {
    let Some((report, ok)) = web_check::browser_check(site()) else {
        return;
    };
    let pretty = serde_json::to_string_pretty(&report).unwrap_or_default();
    assert!(ok, "check.mjs found problems:\n{pretty}");
    // Every page at both widths, and each kind of check done at least once.
    let pages = report["pages"].as_u64().unwrap_or(0);
    assert!(pages >= 8, "{pretty}");
    assert_eq!(
        report["checks"]["page"].as_u64(),
        Some(pages * 2),
        "{pretty}"
    );
    for check in ["georgian font", "search result", "note", "link"] {
        assert!(
            report["checks"][check].as_u64() > Some(0),
            "no {check} check: {pretty}"
        );
    }
}

/// Text of an (X)HTML fragment: tags dropped, the five entities decoded,
/// soft hyphens removed.
fn text_of(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\u{AD}' => {}
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The `<section>…</section>` of a chapter or bibliography document.
fn section(doc: &str) -> &str {
    let start = doc.find("<section").expect("a section");
    let end = doc.rfind("</section>").expect("the section's end");
    &doc[start..end]
}

#[test]
fn the_epub_and_the_web_edition_print_the_same_text() {
    let loaded = tsigni::load(&manuscript()).expect("the article loads");
    let (epub, _) = tsigni::render(&loaded, tsigni::Format::Epub).expect("the EPUB");
    let web: BTreeMap<PathBuf, Vec<u8>> = tsigni::render_web(&loaded, None)
        .expect("the web edition")
        .into_iter()
        .collect();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("a zip");
    let mut docs = loaded
        .book
        .chapters
        .iter()
        .map(|c| c.id.clone())
        .collect::<Vec<_>>();
    docs.push("bibliography".into());
    for id in docs {
        let mut xhtml = String::new();
        zip.by_name(&format!("EPUB/text/{id}.xhtml"))
            .expect("the chapter in the EPUB")
            .read_to_string(&mut xhtml)
            .expect("UTF-8");
        let html =
            String::from_utf8(web[&PathBuf::from(format!("{id}.html"))].clone()).expect("UTF-8");
        assert_eq!(
            text_of(section(&xhtml)),
            text_of(section(&html)),
            "{id}: the two editions differ"
        );
        // The same print pages are marked in both.
        let marks = |doc: &str| -> Vec<String> {
            doc.match_indices("id=\"page-")
                .map(|(i, _)| doc[i..].chars().take(14).collect())
                .collect()
        };
        assert_eq!(marks(&xhtml), marks(&html), "{id}: page marks differ");
        // The web edition's options: no soft hyphens, no epub:type, HTML links.
        assert!(xhtml.contains("epub:type=\"chapter\"") || id == "bibliography");
        assert!(!html.contains('\u{AD}'), "{id}: a soft hyphen on the web");
        assert!(!html.contains("epub:"), "{id}: epub:type on the web");
        assert!(!html.contains(".xhtml"), "{id}: a link to an EPUB document");
    }
    let woff2: Vec<_> = web
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "woff2"))
        .collect();
    assert!(!woff2.is_empty(), "no WOFF2 font");
    for (path, data) in woff2 {
        assert!(data.starts_with(b"wOF2"), "{} is not WOFF2", path.display());
        // A subset: far smaller than the 200 kB or more of a whole Noto face.
        assert!(
            data.len() < 60_000,
            "{}: {} bytes",
            path.display(),
            data.len()
        );
    }
}

/// A one-chapter manuscript with `book` as the `[book]` table's extra lines.
fn manuscript_with(dir: &Path, book: &str) -> PathBuf {
    let m = dir.join("m");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good");
    std::fs::create_dir_all(&m).expect("manuscript dir");
    for f in ["ch.md", "references.yaml"] {
        std::fs::copy(fixture.join(f), m.join(f)).expect("copy the fixture");
    }
    let real = manuscript();
    let toml = format!(
        "[book]\ntitle = \"სატესტო წიგნი\"\nlanguage = \"ka\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000002\"\nchapters = [\"ch.md\"]\n{book}\n\n[bibliography]\nreferences = \"references.yaml\"\nstyle = \"{}\"\nlocales = [\"{}\"]\n",
        real.join("style.csl").display(),
        real.join("locale-ka.xml").display()
    );
    std::fs::write(m.join("book.toml"), toml).expect("book.toml");
    m
}

/// `(name, content)` of every `<meta>` whose name starts with `prefix`.
fn metas(html: &str, prefix: &str) -> Vec<(String, String)> {
    html.lines()
        .filter_map(|l| l.strip_prefix("<meta name=\""))
        .filter_map(|l| l.split_once("\" content=\""))
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, rest)| (name.to_string(), rest.trim_end_matches("\">").to_string()))
        .collect()
}

#[test]
fn citation_tags_state_exactly_the_fields_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = manuscript_with(
        dir.path(),
        "authors = [\"ნინო ბერიძე\", \"გიორგი კაპანაძე\"]\ndate = \"2026-05\"\npublisher = \"გამომცემლობა\"\nisbn = \"978-3-16-148410-0\"\nrights = \"CC BY 4.0\"",
    );
    let loaded = tsigni::load(&full).expect("the manuscript loads");
    let files = tsigni::web::write(&loaded, &[], Some("../book.pdf")).expect("the edition");
    let index = files
        .iter()
        .find(|(p, _)| p == Path::new("index.html"))
        .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
        .expect("index.html");
    let pair = |n: &str, v: &str| (n.to_string(), v.to_string());
    assert_eq!(
        metas(&index, "citation_"),
        [
            pair("citation_title", "სატესტო წიგნი"),
            pair("citation_author", "ნინო ბერიძე"),
            pair("citation_author", "გიორგი კაპანაძე"),
            pair("citation_publication_date", "2026/05"),
            pair("citation_publisher", "გამომცემლობა"),
            pair("citation_isbn", "978-3-16-148410-0"),
            pair("citation_language", "ka"),
            pair("citation_pdf_url", "../book.pdf"),
        ]
    );
    assert_eq!(
        metas(&index, "DC."),
        [
            pair("DC.title", "სატესტო წიგნი"),
            pair("DC.creator", "ნინო ბერიძე"),
            pair("DC.creator", "გიორგი კაპანაძე"),
            pair("DC.language", "ka"),
            pair(
                "DC.identifier",
                "urn:uuid:00000000-0000-4000-8000-000000000002"
            ),
            pair("DC.rights", "CC BY 4.0"),
        ]
    );
    assert!(index.contains("<link rel=\"schema.DC\""));
    assert!(index.contains("<html lang=\"ka\">"));

    // Nothing given, nothing stated.
    let bare = manuscript_with(&dir.path().join("bare"), "");
    let loaded = tsigni::load(&bare).expect("the bare manuscript loads");
    let files = tsigni::web::write(&loaded, &[], None).expect("the edition");
    for (path, data) in files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
    {
        let html = String::from_utf8_lossy(data);
        let names: Vec<String> = metas(&html, "")
            .into_iter()
            .map(|(n, _)| n)
            .filter(|n| n.starts_with("citation_") || n.starts_with("DC."))
            .collect();
        assert_eq!(
            names,
            [
                "citation_title",
                "citation_language",
                "DC.title",
                "DC.language",
                "DC.identifier"
            ],
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_failed_build_leaves_the_old_edition_and_no_temporary_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = manuscript_with(dir.path(), "");
    let out_dir = dir.path().join("out");
    let site = out_dir.join("site");
    assert_ok(&tsigni(&["html"], &m, &site), "the first build");
    std::fs::write(site.join("stale.txt"), "from before").expect("a stray file");
    assert_ok(&tsigni(&["html"], &m, &site), "the second build");
    assert!(
        !site.join("stale.txt").exists(),
        "the directory was not replaced whole"
    );
    let before = read(&site.join("ch01.html"));
    assert!(
        !read(&site.join("index.html")).contains("citation_pdf_url"),
        "a PDF address without a PDF"
    );

    // An unknown citation key: the build fails, and the old edition stays.
    let ch = m.join("ch.md");
    std::fs::write(&ch, format!("{}\nმეტი [@nosuchkey].\n", read(&ch))).expect("edit");
    let out = tsigni(&["html"], &m, &site);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(read(&site.join("ch01.html")), before);
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("the output's parent")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["site"], "something was left beside the edition");
}

#[test]
fn all_builds_the_edition_beside_the_pdf_and_links_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = manuscript_with(dir.path(), "");
    let base = dir.path().join("out").join("book");
    assert_ok(&tsigni(&["all"], &m, &base), "tsigni all");
    let index = read(&base.join("index.html"));
    let pdf_url = metas(&index, "citation_pdf_url");
    assert_eq!(
        pdf_url,
        [("citation_pdf_url".to_string(), "../book.pdf".to_string())]
    );
    assert!(
        base.join("../book.pdf").is_file(),
        "the PDF it names is not there"
    );
    assert!(base.with_extension("epub").is_file());
}
