//! Definition lists, verse (line blocks), an epigraph, section breaks and
//! code in the monospace face, in the EPUB, the PDF and the web edition,
//! with the validators; and no silent damage: every construct tsigni does
//! not render is a warning at its place saying how to write it instead.

mod common;
#[path = "common/web.rs"]
mod web_check;

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn tsigni(args: &[&str], manuscript: &Path, output: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tsigni"));
    cmd.args(args).arg("--manuscript").arg(manuscript);
    // The fixtures share the sample manuscript's style and locale.
    cmd.arg("--allow")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"));
    if let Some(o) = output {
        cmd.arg("--output").arg(o);
    }
    cmd.env("NO_COLOR", "1").output().expect("run tsigni")
}

struct Built {
    _dir: tempfile::TempDir,
    epub: PathBuf,
    pdf: PathBuf,
    site: PathBuf,
    files: BTreeMap<String, String>,
}

/// The blocks fixture built once (`tsigni all`) and its EPUB unzipped.
fn built() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = tsigni(&["all"], &fixture("blocks"), Some(&dir.path().join("book")));
        assert!(
            out.status.success(),
            "tsigni all failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let epub = dir.path().join("book.epub");
        let mut z = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
        let mut files = BTreeMap::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            files.insert(
                f.name().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            );
        }
        Built {
            pdf: dir.path().join("book.pdf"),
            site: dir.path().join("book"),
            epub,
            files,
            _dir: dir,
        }
    })
}

fn chapter(n: usize) -> &'static str {
    &built().files[&format!("EPUB/text/ch{n:02}.xhtml")]
}

#[test]
fn a_definition_list_is_dl_dt_dd() {
    let ch = chapter(2);
    assert!(ch.contains("<dl>\n<dt>მხედ"), "{ch}");
    // Two definitions of one term are two <dd> after its <dt>.
    let term = ch.find("<dt>ასომ").expect("second term");
    let rest = &ch[term..ch.find("</dl>").unwrap()];
    assert_eq!(rest.matches("<dd>").count(), 2, "{rest}");
    // The note inside a definition is numbered and linked.
    assert!(ch.contains("role=\"doc-noteref\" href=\"#fn1\""), "{ch}");
    let css = &built().files["EPUB/css/book.css"];
    assert!(css.contains("dt { font-weight: bold;"), "{css}");
}

#[test]
fn verse_keeps_its_lines_and_indents() {
    let ch = chapter(1);
    let start = ch.find("<div class=\"line-block\">").expect("a line block");
    let block = &ch[start..start + ch[start..].find("</div>\n</div>").unwrap()];
    let lines: Vec<&str> = block
        .split("<div class=\"line\">")
        .skip(1)
        .map(|l| l.split("</div>").next().unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{block}");
    assert!(lines[0].starts_with("ქებად"), "{lines:?}");
    // Four spaces after `| ` are kept as four no-break spaces, eight as eight.
    assert!(
        lines[1].starts_with("\u{a0}\u{a0}\u{a0}\u{a0}ჩემად"),
        "{lines:?}"
    );
    assert!(lines[3].starts_with(&format!("{}უფრო", "\u{a0}".repeat(8))));
    // `|` alone is a stanza break; verse is never hyphenated.
    assert_eq!(lines[4], "<br/>");
    assert!(!block.contains('\u{ad}'), "soft hyphens in verse: {block}");
}

#[test]
fn a_quote_opening_a_chapter_with_a_dash_is_its_epigraph() {
    let ch = chapter(1);
    let q = "<blockquote class=\"epigraph\" epub:type=\"epigraph\" role=\"doc-epigraph\">";
    let at = ch.find(q).expect("an epigraph");
    assert!(ch[..at].contains("</h1>"), "right after the title");
    let rest = &ch[at..];
    let attribution = rest
        .find("<p class=\"attribution\">---")
        .expect("attribution");
    assert!(attribution < rest.find("</blockquote>").unwrap());
}

#[test]
fn a_horizontal_rule_is_a_section_break() {
    assert!(chapter(1).contains("<hr class=\"section-break\"/>"));
    let css = &built().files["EPUB/css/book.css"];
    assert!(
        css.contains("hr.section-break::after { content: \"***\""),
        "{css}"
    );
}

#[test]
fn code_is_set_in_the_bundled_monospace_face() {
    let b = built();
    let opf = &b.files["EPUB/package.opf"];
    assert!(
        opf.contains("href=\"fonts/DejaVuSansMono.ttf\" media-type=\"font/ttf\""),
        "{opf}"
    );
    let css = &b.files["EPUB/css/book.css"];
    assert!(
        css.contains("code, pre { font-family: \"DejaVu Sans Mono\""),
        "{css}"
    );
    assert!(css.contains("@font-face { font-family: \"DejaVu Sans Mono\""));
    // Subset to the code's characters: far smaller than the 340 kB face.
    let font = &b.files["EPUB/fonts/DejaVuSansMono.ttf"];
    assert!(font.len() < 60_000, "{} bytes", font.len());
    assert!(chapter(1).contains("<pre><code>fn main() {"));

    let Some(fonts) = common::pdffonts(&b.pdf) else {
        return;
    };
    let mono = fonts
        .iter()
        .find(|f| f.base_name() == "DejaVuSansMono")
        .unwrap_or_else(|| panic!("no monospace face in the PDF: {fonts:?}"));
    assert!(mono.embedded && mono.subset && mono.unicode, "{mono:?}");
}

#[test]
fn a_book_without_code_embeds_no_monospace_face() {
    let dir = tempfile::tempdir().unwrap();
    let epub = dir.path().join("good.epub");
    let out = tsigni(&["epub"], &fixture("good"), Some(&epub));
    assert!(out.status.success());
    let mut z = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().to_string())
        .collect();
    assert!(names.iter().any(|n| n.ends_with("NotoSerif-Regular.ttf")));
    assert!(!names.iter().any(|n| n.contains("DejaVu")), "{names:?}");
}

#[test]
fn the_epub_passes_epubcheck_and_ace() {
    let b = built();
    if let Some(report) = common::epubcheck(&b.epub) {
        report.assert_clean();
    }
    if let Some(report) = common::ace(&b.epub) {
        report.assert_no_violations();
    }
}

fn layout_text(pdf: &Path) -> Option<String> {
    let tool = common::require_tool("pdftotext")?;
    let out = Command::new(tool)
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Leading spaces of the line of `text` that holds `needle`.
fn indent_of(text: &str, needle: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}:\n{text}"));
    line.len() - line.trim_start().len()
}

#[test]
fn the_pdf_sets_verse_line_by_line_with_its_indents() {
    let b = built();
    let Some((ok, out)) = common::qpdf_check(&b.pdf) else {
        return;
    };
    assert!(ok, "{out}");
    let Some(text) = layout_text(&b.pdf) else {
        return;
    };
    // Each verse line begins a line of its own, in order.
    let firsts = ["ქებად", "ჩემად", "ვის შვენის", "უფრო", "მეორე სტროფი"];
    let mut at = 0;
    for f in firsts {
        let pos = text[at..].find(f).map(|p| p + at).expect(f);
        let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
        assert!(text[line_start..pos].trim().is_empty(), "{f} mid-line");
        at = pos;
    }
    // Indents as written: deeper for more spaces after `| `.
    let (plain, four, eight) = (
        indent_of(&text, "ქებად"),
        indent_of(&text, "ჩემად"),
        indent_of(&text, "უფრო"),
    );
    assert!(
        plain < four && four < eight,
        "{plain} {four} {eight}\n{text}"
    );
    // The long third line wraps with a hanging indent, deeper than its start.
    assert!(indent_of(&text, "წყურვილი") > plain, "{text}");
    // Code keeps its indent; the stars of the section break stand centred.
    assert!(indent_of(&text, "println!") > indent_of(&text, "fn main"));
    assert!(indent_of(&text, "***") > 20, "{text}");
    // The attribution is set flush right, beyond the epigraph's start.
    assert!(indent_of(&text, "--- შოთა") > indent_of(&text, "ვეფხისა"));
}

/// The roles of the PDF's structure elements and each one's parent role.
fn structure(pdf: &Path) -> Option<Vec<(String, String)>> {
    let qpdf = common::require_tool("qpdf")?;
    let out = Command::new(qpdf)
        .args(["--json=2", "--json-key=qpdf"])
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
    let objects = json["qpdf"][1].as_object().expect("objects").clone();
    let elems: HashMap<String, &Value> = objects
        .iter()
        .filter(|(_, o)| o["value"]["/Type"] == "/StructElem")
        .map(|(k, o)| (k.trim_start_matches("obj:").to_string(), &o["value"]))
        .collect();
    let role = |v: &Value| {
        v["/S"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches('/')
            .to_string()
    };
    Some(
        elems
            .values()
            .map(|e| {
                let parent = e["/P"].as_str().and_then(|p| elems.get(p));
                (role(e), parent.map(|p| role(p)).unwrap_or_default())
            })
            .collect(),
    )
}

#[test]
fn the_pdf_tags_terms_definitions_epigraph_and_code() {
    let Some(s) = structure(&built().pdf) else {
        return;
    };
    let count = |r: &str, p: &str| s.iter().filter(|(a, b)| a == r && b == p).count();
    // Two terms, each a label of its list item, their definitions its body;
    // the task list has two bullets as labels too.
    assert_eq!(count("Lbl", "LI"), 4, "{s:?}");
    assert_eq!(count("LBody", "LI"), 4, "{s:?}");
    // The epigraph is a quotation of two paragraphs (text, attribution).
    assert_eq!(count("BlockQuote", "Sect"), 1, "{s:?}");
    assert_eq!(count("P", "BlockQuote"), 2, "{s:?}");
    assert!(count("Code", "P") >= 1, "{s:?}");
    // The machine-checkable part of PDF/UA-1 (krilla's validator already
    // refused to write anything it finds wrong).
    let Some(pdfua) = common::require_tool("pdfua") else {
        return;
    };
    let out = Command::new(pdfua)
        .args(["check", "--format", "json"])
        .arg(&built().pdf)
        .output()
        .expect("pdfua runs");
    let report: Value = serde_json::from_slice(&out.stdout).expect("pdfua JSON");
    assert!(out.status.success(), "{report:#}");
    assert_eq!(report["summary"]["findings"], 0, "{report:#}");
}

#[test]
fn the_web_edition_holds_the_blocks_and_passes_vnu() {
    let b = built();
    let page = std::fs::read_to_string(b.site.join("ch01.html")).expect("ch01.html");
    assert!(page.contains("<div class=\"line-block\">"));
    assert!(page.contains("<blockquote class=\"epigraph\" role=\"doc-epigraph\">"));
    let css = std::fs::read_to_string(b.site.join("book.css")).unwrap();
    assert!(css.contains("div.line-block div.line"), "{css}");
    assert!(b.site.join("fonts/DejaVuSansMono.woff2").exists());
    if let Some(errors) = web_check::vnu_errors(&b.site) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // On a phone and a desk in Chromium: nothing overflows, fonts load.
    // (Its search check types a word of the article, which this book lacks.)
    if let Some((report, _)) = web_check::browser_check(&b.site) {
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let other: Vec<_> = findings
            .iter()
            .filter(|f| !f.as_str().unwrap_or("").starts_with("search @"))
            .collect();
        assert!(other.is_empty(), "{report:#}");
        assert!(
            report["checks"]["page"].as_u64().unwrap_or(0) >= 3,
            "{report:#}"
        );
    }
}

/// The diagnostics of `tsigni check` as JSON objects.
fn diagnostics(manuscript: &Path) -> (i32, Vec<Value>) {
    let out = tsigni(&["check", "--message-format", "json"], manuscript, None);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let diags = all
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("code").is_some())
        .collect();
    (out.status.code().unwrap_or(-1), diags)
}

fn find<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

fn notes(d: &Value) -> String {
    d["notes"].to_string()
}

#[test]
fn what_is_not_rendered_is_a_warning_with_the_way_to_say_it() {
    let (code, diags) = diagnostics(&fixture("blocks"));
    assert_eq!(code, 0, "{diags:#?}");
    let at = |d: &Value| {
        (
            d["file"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string(),
            d["line"].as_u64().unwrap_or(0),
            d["column"].as_u64().unwrap_or(0),
        )
    };
    let math = find(&diags, "math");
    assert_eq!(math.len(), 1, "{diags:#?}");
    assert_eq!(at(math[0]), ("01-verse.md".into(), 18, 43));
    assert!(notes(math[0]).contains("x^2^"));

    let html = find(&diags, "raw-html");
    assert_eq!(
        html.len(),
        1,
        "the closing </sup> is not reported again: {diags:#?}"
    );
    assert_eq!(at(html[0]), ("01-verse.md".into(), 18, 55));
    assert!(html[0]["message"].as_str().unwrap().contains("<sup>"));
    assert!(notes(html[0]).contains("^2^"), "{}", html[0]);

    let tasks = find(&diags, "task-list");
    assert_eq!(tasks.len(), 2);
    assert_eq!(at(tasks[0]), ("02-terms.md".into(), 11, 3));
    assert!(notes(tasks[0]).contains("plain list"));

    let attr = find(&diags, "unknown-attribute");
    assert_eq!(
        attr.len(),
        2,
        "{{lang=ru}} is read by language spans: {attr:#?}"
    );
    assert_eq!(at(attr[0]), ("02-terms.md".into(), 1, 1));
    assert!(attr[0]["message"].as_str().unwrap().contains(".unnumbered"));
    assert!(notes(attr[0]).contains("{#id}"));
    assert_eq!(at(attr[1]), ("02-terms.md".into(), 18, 19));
    assert!(attr[1]["message"].as_str().unwrap().contains("{.mark}"));
    assert!(notes(attr[1]).contains("[text]{.smallcaps}"));

    let unused = find(&diags, "unused-footnote");
    assert_eq!(unused.len(), 1);
    assert_eq!(at(unused[0]), ("02-terms.md".into(), 16, 1));
    assert!(notes(unused[0]).contains("[^unused]"));
}

#[test]
fn a_note_defined_in_another_file_names_that_file() {
    let (code, diags) = diagnostics(&fixture("note-other-file"));
    assert_eq!(code, 1, "{diags:#?}");
    let d = find(&diags, "note-in-other-file");
    assert_eq!(d.len(), 1, "{diags:#?}");
    let d = d[0];
    assert!(d["file"].as_str().unwrap().ends_with("01-one.md"));
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(18))
    );
    let msg = d["message"].as_str().unwrap();
    assert!(msg.contains("02-two.md:5:1"), "{msg}");
    assert!(notes(d).contains("move `[^1]: …`"), "{d}");
    // The definition is not reported a second time as unused.
    assert!(find(&diags, "unused-footnote").is_empty(), "{diags:#?}");
    assert!(find(&diags, "undefined-footnote").is_empty(), "{diags:#?}");
}

#[test]
fn a_section_break_never_stands_alone_at_a_page_top_or_foot() {
    use tsigni::model::{Block, Inline, Span};
    let dir = fixture("blocks");
    let allow = [Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")];
    let mut l = tsigni::load_allowing(&tsigni::vfs::RealFs, &dir, &allow).expect("loads");
    // Breaks after paragraphs of one to seven lines: across some forty
    // pages, many would fall at a page's top or foot if they could.
    let word = "სიტყვა ";
    let mut blocks = vec![l.book.chapters[0].blocks[0].clone()];
    for k in 0..120 {
        let text = word.repeat(8 + (k * 37) % 60);
        blocks.push(Block::Paragraph {
            content: vec![Inline::Text(text.trim_end().into())],
            span: Span::default(),
        });
        blocks.push(Block::ThematicBreak {
            span: Span::default(),
        });
    }
    l.book.chapters[0].blocks = blocks;
    let layout = tsigni::pdf::layout(&l.book, &l.fonts, &l.cover).expect("layout");
    let stars = |t: &str| t.trim().starts_with('*');
    let mut seen = 0;
    for (i, page) in layout.pages().enumerate() {
        let body: Vec<String> = page
            .lines()
            .filter(|line| line.place().is_some())
            .map(|line| line.text())
            .collect();
        seen += body.iter().filter(|t| stars(t)).count();
        let (Some(first), Some(last)) = (body.first(), body.last()) else {
            continue;
        };
        assert!(!stars(first), "a section break opens page {}", i + 1);
        // The very last break of the chapter ends it, with nothing after.
        let last_of_all = i + 1 == layout.pages().len() || seen == 120;
        assert!(
            !stars(last) || last_of_all,
            "a section break ends page {}",
            i + 1
        );
    }
    assert_eq!(seen, 120, "every break is drawn");
}
