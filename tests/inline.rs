//! Inline marks, language spans and Georgian dashes (issue 12), each in the
//! EPUB's XHTML, the web edition and the PDF (its text, its layout and its
//! structure tree), with the validators silent.

mod common;
#[path = "common/web.rs"]
mod web_check;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const CHAPTER: &str = "# ნიშნები

წყალი H~2~O-ა, ფართობი 10 მ^2^, ~~წაშლილი ტექსტი~~ და [Tolstoy]{.smallcaps} და [ტოლსტოი]{.smallcaps}.

რუსულად: [\"Война и мир\"]{lang=ru}, ბერძნულად [λόγος]{lang=el}.

წლები 1950-1980 და 1950–1980, ტირე -- და --- და სივრცით - აი. კოდი `a--b` და <https://example.org/a--b>.

[@snow1961, 96] და [sic] რჩება; ჩინეთის ისტორია.[^1]

[^1]: სქოლიო ჩინეთზე.
";

/// Russian words, many and long, for a narrow measure.
const RUSSIAN: &str = "[достопримечательность превосходительство \
    высокопревосходительство человеконенавистничество \
    достопримечательности превосходительства]{lang=ru}";

fn tsigni(args: &[&str], manuscript: &Path, output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .arg("--manuscript")
        .arg(manuscript)
        .arg("--output")
        .arg(output)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tsigni")
}

/// A one-chapter manuscript holding `chapter`, with `extra` lines in
/// `[book]` and `tail` after it.
fn manuscript(dir: &Path, chapter: &str, extra: &str, tail: &str) -> PathBuf {
    let m = dir.join("m");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&m).expect("manuscript dir");
    std::fs::copy(
        root.join("tests/fixtures/good/references.yaml"),
        m.join("references.yaml"),
    )
    .expect("references");
    for f in ["style.csl", "locale-ka.xml"] {
        std::fs::copy(root.join("manuscript").join(f), m.join(f)).expect("style");
    }
    std::fs::write(m.join("ch.md"), chapter).expect("chapter");
    let toml = format!(
        "[book]\ntitle = \"ნიშნები\"\nlanguage = \"ka\"\nauthors = [\"ავტორი\"]\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000012\"\nchapters = [\"ch.md\"]\n{extra}\n\n[bibliography]\nreferences = \"references.yaml\"\nstyle = \"style.csl\"\nlocales = [\"locale-ka.xml\"]\n{tail}"
    );
    std::fs::write(m.join("book.toml"), toml).expect("book.toml");
    m
}

struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    stderr: String,
}

impl Built {
    fn epub(&self) -> PathBuf {
        self.out.with_extension("epub")
    }
    fn pdf(&self) -> PathBuf {
        self.out.with_extension("pdf")
    }
    fn site(&self) -> PathBuf {
        self.out.clone()
    }
    /// The chapter's XHTML, soft hyphens kept.
    fn xhtml(&self) -> String {
        let f = std::fs::File::open(self.epub()).expect("epub");
        let mut z = zip::ZipArchive::new(f).expect("zip");
        let mut s = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name("EPUB/text/ch01.xhtml").expect("chapter"),
            &mut s,
        )
        .expect("utf-8");
        s
    }
}

fn build_all(chapter: &str, extra: &str, tail: &str) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let m = manuscript(dir.path(), chapter, extra, tail);
    let out = dir.path().join("out").join("book");
    let o = tsigni(&["all"], &m, &out);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "tsigni all failed:\n{stderr}");
    Built {
        _dir: dir,
        out,
        stderr,
    }
}

fn marks() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| build_all(CHAPTER, "", ""))
}

fn strip_shy(s: &str) -> String {
    s.replace('\u{AD}', "")
}

#[test]
fn each_mark_is_its_element_in_the_xhtml() {
    let x = strip_shy(&marks().xhtml());
    for want in [
        "H<sub>2</sub>O",
        "მ<sup>2</sup>",
        "<del>წაშლილი ტექსტი</del>",
        "<span class=\"smallcaps\">Tolstoy</span>",
        // Georgian has no small capitals: a browser must not make Mtavruli.
        "<span class=\"smallcaps\"><span class=\"caseless\">ტოლსტოი</span></span>",
        "<span lang=\"ru\" xml:lang=\"ru\">«Война и мир»</span>",
        "<span lang=\"el\" xml:lang=\"el\">λόγος</span>",
    ] {
        assert!(x.contains(want), "no {want:?} in\n{x}");
    }
    // Citations and a bracket pair that is no span keep their reading.
    assert!(x.contains("role=\"doc-biblioref\""), "{x}");
    assert!(x.contains("[sic]"), "{x}");
}

#[test]
fn the_web_edition_marks_the_language_in_html() {
    let page = std::fs::read_to_string(marks().site().join("ch01.html")).expect("page");
    assert!(
        page.contains("<span lang=\"ru\">«Война и мир»</span>"),
        "{page}"
    );
    assert!(!page.contains("xml:lang=\"ru\""), "{page}");
    if let Some(errors) = web_check::vnu_errors(&marks().site()) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // Fonts, links and no overflow at 390 and 1280 px.
    if let Some((report, ok)) = web_check::browser_check(&marks().site()) {
        assert!(ok, "{report:#}");
    }
}

#[test]
fn epubcheck_and_ace_find_nothing() {
    let b = marks();
    if let Some(r) = common::epubcheck(&b.epub()) {
        r.assert_clean();
    }
    if let Some(r) = common::ace(&b.epub()) {
        r.assert_no_violations();
    }
}

#[test]
fn the_pdf_reads_every_mark_and_qpdf_is_content() {
    let b = marks();
    if let Some((ok, out)) = common::qpdf_check(&b.pdf()) {
        assert!(ok, "{out}");
    }
    let Some(text) = common::pdftotext(&b.pdf(), None, None) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in ["H2O-ა", "მ2,", "«Война и мир»", "λόγος", "Tolstoy"] {
        assert!(flat.contains(want), "no {want:?} in {flat}");
    }
}

/// Structure elements of a PDF, as `qpdf --json` gives them.
fn struct_elems(pdf: &Path) -> Option<Vec<Value>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(qpdf)
        .args(["--json=2", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let objects = json["qpdf"][1].as_object().expect("objects").clone();
    Some(
        objects
            .into_values()
            .map(|o| o["value"].clone())
            .filter(|v| v["/Type"] == "/StructElem")
            .collect(),
    )
}

#[test]
fn the_structure_tree_holds_language_spans_and_the_strike() {
    let Some(elems) = struct_elems(&marks().pdf()) else {
        return;
    };
    let spans: Vec<&Value> = elems.iter().filter(|e| e["/S"] == "/Span").collect();
    let langs: Vec<&str> = spans.iter().filter_map(|e| e["/Lang"].as_str()).collect();
    assert!(langs.contains(&"u:ru"), "{langs:?}");
    assert!(langs.contains(&"u:el"), "{langs:?}");
    let struck = spans
        .iter()
        .filter(|e| e["/A"].to_string().contains("/LineThrough"))
        .count();
    assert_eq!(struck, 1, "{spans:#?}");
}

/// The layout of a manuscript's book, through the library.
fn layout(m: &Path) -> tsigni::pdf::Layout {
    let l = tsigni::load(m).unwrap_or_else(|e| panic!("load: {e}"));
    match tsigni::pdf::layout(&l.book, &l.fonts, &l.cover) {
        Ok(l) => l,
        Err(d) => panic!("layout: {}", d.render(&l.book.sources, false)),
    }
}

#[test]
fn superscript_and_subscript_are_smaller_and_off_the_baseline() {
    let dir = tempfile::tempdir().expect("dir");
    let m = manuscript(dir.path(), CHAPTER, "", "");
    let lay = layout(&m);
    let runs: Vec<(String, f32, f32)> = lay
        .lines()
        .flat_map(|(_, l)| {
            l.runs()
                .map(|(t, s, r)| (t.to_string(), s, r))
                .collect::<Vec<_>>()
        })
        .collect();
    let body = runs
        .iter()
        .find(|(t, ..)| t.contains("წყალი"))
        .map(|r| r.1)
        .expect("the paragraph's text");
    let two: Vec<_> = runs
        .iter()
        .filter(|(t, _, rise)| t == "2" && *rise != 0.0)
        .collect();
    assert_eq!(two.len(), 2, "{runs:?}");
    for (_, size, _) in &two {
        assert!(*size < body * 0.8, "{size} vs {body}");
    }
    // H₂O first (below the baseline), then m² (above it).
    assert!(two[0].2 < 0.0, "{two:?}");
    assert!(two[1].2 > 0.0, "{two:?}");
    // Small capitals: the capital T at full size, the rest smaller.
    let caps: Vec<_> = runs
        .iter()
        .filter(|(t, ..)| t.trim() == "T" || t.trim() == "olstoy")
        .collect();
    assert_eq!(caps.len(), 2, "{runs:?}");
    assert!(caps[1].1 < caps[0].1, "{caps:?}");
    // Georgian in small caps is set as written, at the text's size.
    let georgian = runs
        .iter()
        .find(|(t, ..)| t.contains("ტოლსტოი"))
        .expect("the Georgian small caps");
    assert_eq!(georgian.1, body, "{georgian:?}");
}

#[test]
fn russian_is_hyphenated_by_russian_patterns() {
    let lang = tsigni::hyphenate::lang_for("ru").expect("Russian patterns");
    // In the EPUB: the span's words carry Russian soft hyphens.
    let word = "достопримечательность";
    let mut want = String::new();
    let mut last = 0;
    for p in tsigni::hyphenate::break_points(word, lang) {
        want.push_str(&word[last..p]);
        want.push('\u{AD}');
        last = p;
    }
    want.push_str(&word[last..]);
    assert!(want.contains('\u{AD}'));
    let b = build_all(
        &format!("# რუსული\n\n{RUSSIAN}\n"),
        "",
        "\n[epub]\nhyphenate = true\n",
    );
    assert!(b.xhtml().contains(&want), "{}", b.xhtml());
    // In the PDF, set narrow: every Cyrillic word broken at a line end
    // is broken where the Russian patterns allow.
    let dir = tempfile::tempdir().expect("dir");
    let m = manuscript(
        dir.path(),
        &format!("# რუსული\n\n{RUSSIAN}\n"),
        "",
        "\n[pdf]\npaper = \"90x200\"\n",
    );
    let lay = layout(&m);
    let lines: Vec<String> = lay.lines().map(|(_, l)| l.text()).collect();
    let mut broken = 0;
    for w in lines.windows(2) {
        let Some(head) = w[0].strip_suffix('-') else {
            continue;
        };
        let head = head.rsplit(' ').next().unwrap_or("");
        if !head.chars().all(|c| ('а'..='я').contains(&c)) || head.is_empty() {
            continue;
        }
        let tail: String = w[1].chars().take_while(|c| c.is_alphabetic()).collect();
        let whole = format!("{head}{tail}");
        let points = tsigni::hyphenate::break_points(&whole, lang);
        assert!(points.contains(&head.len()), "{head}-{tail}: {points:?}");
        broken += 1;
    }
    assert!(broken > 0, "no Russian word was broken: {lines:#?}");
}

#[test]
fn dashes_become_georgian_and_ranges_stay_whole() {
    let x = strip_shy(&marks().xhtml());
    assert!(x.contains("ტირე\u{A0}– და\u{A0}— და"), "{x}");
    assert!(x.contains("სივრცით\u{A0}– აი"), "{x}");
    // Held on one line by a span, so that search and copy find the
    // characters as written.
    assert!(x.contains("<span class=\"nowrap\">1950-1980</span>"), "{x}");
    assert!(x.contains("<span class=\"nowrap\">1950–1980</span>"), "{x}");
    assert!(!x.contains('\u{2060}'), "{x}");
    assert!(x.contains("<code>a--b</code>"), "{x}");
    assert!(x.contains("https://example.org/a--b</a>"), "{x}");
    // In a narrow PDF measure no line starts with a dash or ends with a
    // range's dash.
    let ranges = "წლები 1950-1980 და 1950–1980 - ტექსტი. ".repeat(30);
    let dir = tempfile::tempdir().expect("dir");
    let m = manuscript(
        dir.path(),
        &format!("# ტირეები\n\n{ranges}\n"),
        "",
        "\n[pdf]\npaper = \"80x200\"\n",
    );
    let lay = layout(&m);
    let mut seen = 0;
    for (_, l) in lay.lines() {
        let t = l.text();
        assert!(!t.starts_with(['–', '—', '-']), "{t:?}");
        assert!(!t.ends_with("1950-") && !t.ends_with("1950–"), "{t:?}");
        seen += t.matches("1950").count();
    }
    assert!(seen >= 60, "{seen}");
}

#[test]
fn as_written_keeps_the_source_dashes() {
    let b = build_all(CHAPTER, "dashes = \"as-written\"", "");
    let x = strip_shy(&b.xhtml());
    assert!(x.contains("ტირე -- და --- და სივრცით - აი"), "{x}");
    assert!(x.contains("1950-1980"), "{x}");
    assert!(!x.contains('\u{2060}'), "{x}");
}

#[test]
fn a_span_no_font_covers_is_a_warning_at_its_place() {
    let dir = tempfile::tempdir().expect("dir");
    let m = manuscript(
        dir.path(),
        "# სათაური\n\nსომხური [Հայաստան]{lang=hy} აქ.\n",
        "",
        "",
    );
    let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["check", "--manuscript"])
        .arg(&m)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tsigni");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("warning[span-not-covered]"), "{err}");
    assert!(err.contains("`hy` passage"), "{err}");
    assert!(err.contains("ch.md:3:10"), "{err}");
    // And the book is not printed with boxes.
    assert_eq!(o.status.code(), Some(1), "{err}");
}

#[test]
fn a_bad_tag_and_an_unknown_attribute_are_warnings_at_the_span() {
    let b = build_all(
        "# სათაური\n\nა [ბ]{lang=ru_RU} და [გ]{.underline} დ.\n",
        "",
        "",
    );
    assert!(
        b.stderr.contains("warning[bad-language-tag]"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("ch.md:3:3"), "{}", b.stderr);
    assert!(
        b.stderr.contains("warning[unknown-attribute]"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("ch.md:3:22"), "{}", b.stderr);
    // The words stay, without a language.
    let x = strip_shy(&b.xhtml());
    assert!(x.contains("ა ბ და გ დ."), "{x}");
}

#[test]
fn thousands_of_nested_spans_are_capped_not_a_crash() {
    let n = 5_000;
    let chapter = format!(
        "# სათაური\n\n{}ა{} და {}ბ{}\n",
        "[".repeat(n),
        "]{lang=ru}".repeat(n),
        "*[".repeat(200),
        "]{.smallcaps}*".repeat(200)
    );
    let dir = tempfile::tempdir().expect("dir");
    let m = manuscript(dir.path(), &chapter, "", "");
    let started = std::time::Instant::now();
    let lay = layout(&m);
    assert!(lay.lines().any(|(_, l)| l.text().contains('ა')));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
