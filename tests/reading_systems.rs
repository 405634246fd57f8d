//! The EPUB in a reading system nobody here wrote: epub.js 0.3.93 in
//! headless Chromium on a phone (`tests/reading/epubjs.mjs`). Search finds
//! each word as often as the manuscript has it, the text has no line with
//! word spaces over three times natural, a note and its backlink lead where
//! they point, the contents page is set flush left, the title's year range
//! stays on one line, and every contents and page-list entry shows its target.
//!
//! Needs node, chromium, puppeteer-core (`.tools/web-check`) and epub.js
//! with JSZip (`.tools/epubjs`, override `TSIGNI_EPUBJS_MODULES`), all
//! installed by `scripts/install-validators.sh`; skipped without them
//! unless `TSIGNI_REQUIRE_VALIDATORS=1`.

mod common;
#[path = "common/web.rs"]
#[allow(dead_code)]
mod web_check;

use common::require_tool;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The words the issue searched for: frequent, less so, and once.
const WORDS: [&str; 3] = ["ჩინეთის", "სტალინი", "პეკინი"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The chapters' Markdown, as book.toml lists them.
fn chapters() -> Vec<String> {
    let m = root().join("manuscript");
    let toml: toml::Value = std::fs::read_to_string(m.join("book.toml"))
        .expect("book.toml")
        .parse()
        .expect("TOML");
    toml["book"]["chapters"]
        .as_array()
        .expect("chapters")
        .iter()
        .map(|c| std::fs::read_to_string(m.join(c.as_str().expect("a name"))).expect("chapter"))
        .collect()
}

/// How often `word` occurs in the chapters' text, and in their headings
/// (which the contents page repeats).
fn source_counts(word: &str) -> (usize, usize) {
    let chapters = chapters();
    let text = chapters.iter().map(|c| c.matches(word).count()).sum();
    let headings = chapters
        .iter()
        .flat_map(|c| c.lines())
        .filter(|l| l.starts_with('#'))
        .map(|l| l.matches(word).count())
        .sum();
    (text, headings)
}

fn build_epub(dir: &Path) -> PathBuf {
    let path = dir.join("book.epub");
    common::build("epub", &root().join("manuscript"), &path);
    path
}

/// The navigation document's links in the `nav` of `kind`.
fn nav_links(epub: &Path, kind: &str) -> usize {
    let f = std::fs::File::open(epub).expect("epub");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut nav = String::new();
    std::io::Read::read_to_string(&mut z.by_name("EPUB/nav.xhtml").expect("nav"), &mut nav)
        .expect("utf-8");
    let start = format!("<nav epub:type=\"{kind}\"");
    let part = nav.split(start.as_str()).nth(1).expect("that nav");
    part.split("</nav>")
        .next()
        .unwrap_or("")
        .matches("<a ")
        .count()
}

/// Runs the epub.js check on `epub`: its report and whether it met nothing
/// wrong (`None`: a tool is not installed).
fn epubjs(epub: &Path) -> Option<(Value, bool)> {
    let node = require_tool("node")?;
    let chromium = match std::env::var_os("TSIGNI_CHROMIUM").filter(|v| !v.is_empty()) {
        Some(c) => PathBuf::from(c),
        None => require_tool("chromium")?,
    };
    let puppeteer = web_check::installed(
        "TSIGNI_WEB_MODULES",
        ".tools/web-check/node_modules",
        "puppeteer-core",
    )?;
    let epubjs = web_check::installed(
        "TSIGNI_EPUBJS_MODULES",
        ".tools/epubjs/node_modules",
        "epub.js",
    )?;
    // The script ends itself after five minutes, so this cannot hang.
    let out = Command::new(node)
        .arg(root().join("tests/reading/epubjs.mjs"))
        .arg(epub)
        .arg(puppeteer)
        .arg(epubjs)
        .args(WORDS)
        .env("TSIGNI_CHROMIUM", chromium)
        .output()
        .expect("run node");
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "epubjs.mjs printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Some((report, out.status.success()))
}

#[test]
fn epubjs_on_a_phone_finds_every_word_and_follows_every_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let epub = build_epub(dir.path());
    let Some((report, ok)) = epubjs(&epub) else {
        return;
    };
    assert!(ok, "epub.js met problems: {:#}", report["findings"]);

    // Search: each word as often as the chapters have it; the whole book
    // has it once more for each heading that holds it (the contents page).
    for word in WORDS {
        let (text, headings) = source_counts(word);
        assert!(text > 0, "{word} is not in the manuscript");
        let counts = report["search"][word].as_object().expect("counts");
        let found = |f: &dyn Fn(&str) -> bool| -> u64 {
            counts
                .iter()
                .filter(|(href, _)| f(href))
                .map(|(_, n)| n.as_u64().unwrap_or(0))
                .sum()
        };
        let in_chapters = found(&|h| h.starts_with("text/ch"));
        assert_eq!(
            in_chapters, text as u64,
            "{word} in the chapters: {counts:?}"
        );
        let everywhere = found(&|_| true);
        assert_eq!(everywhere, (text + headings) as u64, "{word}: {counts:?}");
    }

    // The chapter at phone width: even word spaces.
    let phone = &report["phone"];
    assert!(phone["lines"].as_u64().unwrap_or(0) > 100, "{phone:#}");
    assert_eq!(
        phone["wideSpaces"], 0,
        "lines with wide word spaces: {phone:#}"
    );
    assert_eq!(phone["columnWidth"], 390, "{phone:#}");

    // A note and its way back.
    let note = &report["note"];
    assert_eq!(note["noteShown"], true, "{note:#}");
    assert_eq!(note["refShown"], true, "{note:#}");

    // The contents page flush left; the title's range was looked at (the
    // script reports a range broken over two lines as a finding).
    let front = &report["front"];
    assert_eq!(front["aligns"], serde_json::json!(["left"]), "{front:#}");
    assert_eq!(front["titleRanges"], 1, "{front:#}");

    // Every entry epub.js read from the navigation document was displayed.
    assert_eq!(
        report["toc"].as_u64(),
        Some(nav_links(&epub, "toc") as u64),
        "contents entries"
    );
    let pages = nav_links(&epub, "page-list");
    assert!(pages > 10, "{pages} pages");
    assert_eq!(report["pages"].as_u64(), Some(pages as u64), "page list");
}
