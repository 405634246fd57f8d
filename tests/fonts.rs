//! Fonts added rather than replaced, and any script the author writes (issue
//! 15): `[fonts]` faces before the built-in ones, one error per script
//! without a font, and faces found on `--font-path` (Noto Serif CJK, an
//! OpenType-CFF collection, and Noto Serif Armenian, from Debian's
//! fonts-noto-cjk and fonts-noto-core) subset and embedded in both books.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CJK_DIR: &str = "/usr/share/fonts/opentype/noto";
const NOTO_DIR: &str = "/usr/share/fonts/truetype/noto";
const ARMENIAN: &str = "/usr/share/fonts/truetype/noto/NotoSerifArmenian-Regular.ttf";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scripts")
}

fn tsigni(args: &[&str], manuscript: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .arg("--manuscript")
        .arg(manuscript)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tsigni")
}

/// A font file from a Debian package: fails under
/// `TSIGNI_REQUIRE_VALIDATORS=1` when it is not installed, else skips.
fn debian_font(path: &str, package: &str) -> bool {
    if Path::new(path).is_file() {
        return true;
    }
    assert!(
        !common::validators_required(),
        "{path} is required (TSIGNI_REQUIRE_VALIDATORS=1); install {package} \
         (bash scripts/install-validators.sh)"
    );
    eprintln!("skipping: {path} not installed ({package})");
    false
}

fn both_installed() -> bool {
    debian_font(
        &format!("{CJK_DIR}/NotoSerifCJK-Regular.ttc"),
        "fonts-noto-cjk",
    ) & debian_font(ARMENIAN, "fonts-noto-core")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Without a font for them, the Chinese and the Armenian of the fixture are
/// two errors, one per script, whatever the number of characters; the JSON
/// form lists every character.
#[test]
fn a_script_without_a_font_is_one_error() {
    let o = tsigni(&["check"], &fixture());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error[no-glyph]").count(), 2, "{err}");
    assert!(
        err.contains("6 characters of the Han script (first at "),
        "{err}"
    );
    assert!(err.contains("scripts/ch1.md:3:38) have no glyph; add a font that covers Han"));
    assert!(
        err.contains("scripts/ch1.md:9:4) have no glyph; add a font that covers Armenian, for instance Noto Serif Armenian"),
        "{err}"
    );
    assert!(err.contains("2 errors"), "{err}");

    let o = tsigni(&["check", "--message-format", "json"], &fixture());
    let (_, err) = text(&o);
    let errors: Vec<Value> = err
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["code"] == "no-glyph")
        .collect();
    assert_eq!(errors.len(), 2, "{err}");
    let chars = |v: &Value| -> String {
        v["characters"]
            .as_array()
            .expect("characters")
            .iter()
            .map(|c| c.as_str().expect("a string"))
            .collect()
    };
    let han = errors.iter().find(|v| v["line"] == 3).expect("Han error");
    assert_eq!(chars(han), "东宝岛毛泽珍");
    let armenian = errors.iter().find(|v| v["line"] == 9).expect("Armenian");
    let listed = chars(armenian);
    let source = std::fs::read_to_string(fixture().join("ch1.md")).expect("chapter");
    let mut expected: Vec<char> = source
        .chars()
        // U+0589 ։ (Armenian full stop) is a shared punctuation mark, not Armenian.
        .filter(|c| ('\u{0531}'..='\u{0587}').contains(c))
        .collect();
    expected.sort_unstable();
    expected.dedup();
    assert_eq!(listed, expected.iter().collect::<String>());
    assert!(listed.chars().count() > 20);
}

/// `[fonts] regular = ["NotoSerifArmenian-Regular.ttf"]` adds Armenian: the
/// Georgian, Latin and digits still come from the built-in faces.
#[test]
fn a_font_named_in_book_toml_comes_first_and_the_built_in_ones_stay() {
    if !debian_font(ARMENIAN, "fonts-noto-core") {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let m = dir.path().join("m");
    std::fs::create_dir(&m).expect("mkdir");
    std::fs::write(
        m.join("ch1.md"),
        "# სათაური\n\nსომხურად [Երևան]{lang=hy}, 1969 წელს: ABC.\n",
    )
    .expect("chapter");
    std::fs::copy(ARMENIAN, m.join("NotoSerifArmenian-Regular.ttf")).expect("font");
    let toml = std::fs::read_to_string(fixture().join("book.toml")).expect("toml");
    std::fs::write(
        m.join("book.toml"),
        format!("{toml}\n[fonts]\nregular = [\"NotoSerifArmenian-Regular.ttf\"]\n"),
    )
    .expect("toml");
    let pdf = dir.path().join("b.pdf");
    let mut args = vec!["pdf", "--output"];
    let out = pdf.to_string_lossy().into_owned();
    args.push(&out);
    let o = tsigni(&args, &m);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("no-glyph"), "{err}");
    let Some(fonts) = common::pdffonts(&pdf) else {
        return;
    };
    let names: Vec<&str> = fonts.iter().map(|f| f.base_name()).collect();
    for face in [
        "NotoSerifArmenian-Regular",
        "NotoSerifGeorgian-Regular",
        "NotoSerif-Regular",
    ] {
        assert!(names.contains(&face), "{face} not in {names:?}");
    }
}

/// `--font-path` finds Noto Serif CJK (the SC face, for `lang=zh-Hans`) and
/// Noto Serif Armenian, names them, and both books embed them subset.
#[test]
fn font_path_finds_cjk_and_armenian_faces_for_both_books() {
    if !both_installed() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let epub = dir.path().join("book.epub");
    let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["all", "--font-path", CJK_DIR, "--font-path", NOTO_DIR])
        .arg("--manuscript")
        .arg(fixture())
        .arg("--output")
        .arg(&epub)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains(&format!(
            "font for Armenian: NotoSerifArmenian-Regular.ttf from {NOTO_DIR}/ (regular, italic)"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "font for Armenian: NotoSerifArmenian-Bold.ttf from {NOTO_DIR}/ (bold)"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "font for Han: NotoSerifCJK-Regular.ttc (face 2, Noto Serif CJK SC) from {CJK_DIR}/ (regular, italic)"
        )),
        "{out}"
    );

    let pdf = epub.with_extension("pdf");
    if let Some(fonts) = common::pdffonts(&pdf) {
        for face in [
            "NotoSerifCJKsc-Regular",
            "NotoSerifCJKsc-Bold",
            "NotoSerifArmenian-Regular",
            "NotoSerifArmenian-Bold",
        ] {
            let row = fonts
                .iter()
                .find(|f| f.base_name().starts_with(face))
                .unwrap_or_else(|| panic!("{face} not embedded"));
            assert!(row.embedded && row.subset && row.unicode, "{row:?}");
            assert_ne!(row.name, row.base_name(), "no ABCDEF+ subset tag: {row:?}");
        }
    }
    if let Some(t) = common::pdftotext(&pdf, None, None) {
        for w in ["毛泽东", "珍宝岛", "Երևան", "Գյումրի", "Հայաստանի"] {
            assert!(t.contains(w), "{w} not in the PDF's text:\n{t}");
        }
    }

    // The EPUB: each face subset (a few KB, from 20+ MB files), declared as
    // its outlines are, drawing the book's characters.
    let file = std::fs::File::open(&epub).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut read = |name: &str| -> Vec<u8> {
        let mut f = zip.by_name(name).unwrap_or_else(|_| panic!("{name}"));
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).expect("read");
        v
    };
    let cjk = read("EPUB/fonts/NotoSerifCJK-Regular-2.otf");
    assert!(cjk.len() < 64 * 1024, "{} bytes", cjk.len());
    assert_eq!(&cjk[..4], b"OTTO");
    let face = ttf_parser::Face::parse(&cjk, 0).expect("the subset parses");
    for c in "毛泽东珍宝岛".chars() {
        assert!(face.glyph_index(c).is_some_and(|g| g.0 != 0), "{c}");
    }
    assert!(face.glyph_index('水').is_none(), "not subset");
    let armenian = read("EPUB/fonts/NotoSerifArmenian-Regular.ttf");
    assert!(armenian.len() < 64 * 1024, "{} bytes", armenian.len());
    let opf = String::from_utf8(read("EPUB/package.opf")).expect("utf-8");
    assert!(
        opf.contains("href=\"fonts/NotoSerifCJK-Regular-2.otf\" media-type=\"font/otf\""),
        "{opf}"
    );
    let css = String::from_utf8(read("EPUB/css/book.css")).expect("utf-8");
    assert!(css.contains("\"Noto Serif CJK SC\""), "{css}");
    assert!(css.contains("\"Noto Serif Armenian\""), "{css}");
    if let Some(report) = common::epubcheck(&epub) {
        report.assert_clean();
    }
    // The web edition carries them too, as WOFF2.
    let web = epub.with_extension("");
    for f in [
        "NotoSerifCJK-Regular-2.woff2",
        "NotoSerifArmenian-Regular.woff2",
    ] {
        let p = web.join("fonts").join(f);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0 && len < 64 * 1024, "{}: {len}", p.display());
    }
}

/// A tall fallback face does not open the lines: the baselines of the
/// paragraph quoting Chinese stand one leading (13.5 pt) apart.
#[test]
fn a_tall_fallback_face_keeps_the_line_pitch() {
    if !both_installed() || common::require_tool("pdftotext").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let pdf = dir.path().join("b.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["pdf", "--font-path", CJK_DIR, "--font-path", NOTO_DIR])
        .arg("--manuscript")
        .arg(fixture())
        .arg("--output")
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let all = String::from_utf8_lossy(&html.stdout);
    // The page that quotes the Chinese name (its number moves with the front
    // matter's blank versos).
    let html = all
        .split("<page ")
        .find(|page| page.contains('毛'))
        .unwrap_or_else(|| panic!("no page quotes 毛: {all}"));
    // The bottom of each Georgian word (Georgian faces only: the CJK words'
    // boxes are the CJK face's) on the paragraph's lines.
    let mut bottoms: Vec<f64> = Vec::new();
    let mut cjk_line = Vec::new();
    for line in html.lines().filter(|l| l.contains("<word")) {
        let attr = |name: &str| -> f64 {
            let at = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            line[at..]
                .split('"')
                .next()
                .unwrap_or("0")
                .parse()
                .expect("number")
        };
        let word = line.rsplit_once("\">").map_or("", |(_, w)| w);
        let word = word.trim_end_matches("</word>");
        if word.contains('毛') || word.contains('珍') {
            cjk_line.push(attr("yMax"));
        }
        if word.chars().all(|c| ('ა'..='ჰ').contains(&c)) && !word.is_empty() {
            let y = attr("yMax");
            if !bottoms.iter().any(|b| (b - y).abs() < 0.5) {
                bottoms.push(y);
            }
        }
    }
    assert!(!cjk_line.is_empty(), "{html}");
    bottoms.sort_by(|a, b| a.total_cmp(b));
    // The first paragraph: the lines from the heading's end down to the
    // Armenian quotation, each 13.5 pt below the one before.
    let gaps: Vec<f64> = bottoms.windows(2).map(|w| w[1] - w[0]).collect();
    let body: Vec<f64> = gaps
        .iter()
        .copied()
        .filter(|g| (g - 13.5).abs() < 3.0)
        .collect();
    assert!(body.len() >= 3, "{gaps:?}");
    for g in body {
        assert!((g - 13.5).abs() < 0.01, "line pitch {g} in {gaps:?}");
    }
}

/// `[fonts] paths` is read inside the sandbox only: a directory outside the
/// manuscript is an error at its `book.toml` line unless the person running
/// the build allows it; the search itself is deterministic.
#[test]
fn font_paths_in_book_toml_stay_in_the_sandbox() {
    if !both_installed() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let m = dir.path().join("m");
    std::fs::create_dir(&m).expect("mkdir");
    std::fs::copy(fixture().join("ch1.md"), m.join("ch1.md")).expect("chapter");
    let toml = std::fs::read_to_string(fixture().join("book.toml")).expect("toml");
    std::fs::write(
        m.join("book.toml"),
        format!("{toml}\n[fonts]\npaths = [\"{CJK_DIR}\", \"{NOTO_DIR}\"]\n"),
    )
    .expect("toml");
    let o = tsigni(&["check"], &m);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[font-path]"), "{err}");
    assert!(err.contains("outside the manuscript directory"), "{err}");
    assert!(err.contains("book.toml:13:10"), "{err}");

    let build = |out: &Path| {
        let o = tsigni(
            &[
                "pdf",
                "--allow",
                "/usr/share/fonts",
                "--output",
                &out.to_string_lossy(),
            ],
            &m,
        );
        assert!(o.status.success(), "{}", text(&o).1);
        text(&o).0
    };
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    let said = build(&a);
    assert!(
        said.contains("font for Han: NotoSerifCJK-Regular.ttc (face 2"),
        "{said}"
    );
    let said_again = build(&b);
    let lines = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with("font for"))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(lines(&said), lines(&said_again));
    assert_eq!(
        std::fs::read(&a).ok(),
        std::fs::read(&b).ok(),
        "same PDF twice"
    );
}

/// `--font-path DIR` lets the search read `DIR`, not the manuscript: a font
/// `book.toml` names there by a `../` path is still refused, while the
/// search finds the same file.
#[test]
fn font_path_opens_the_directory_to_the_search_only() {
    if !debian_font(ARMENIAN, "fonts-noto-core") {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let (m, shared) = (dir.path().join("m"), dir.path().join("shared"));
    std::fs::create_dir(&m).expect("mkdir");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::copy(ARMENIAN, shared.join("NotoSerifArmenian-Regular.ttf")).expect("font");
    std::fs::write(m.join("ch1.md"), "# სათაური\n\n[Երևան]{lang=hy}.\n").expect("chapter");
    let toml = std::fs::read_to_string(fixture().join("book.toml")).expect("toml");
    let shared_arg = shared.to_string_lossy().into_owned();
    std::fs::write(
        m.join("book.toml"),
        format!("{toml}\n[fonts]\nregular = [\"../shared/NotoSerifArmenian-Regular.ttf\"]\n"),
    )
    .expect("toml");
    let o = tsigni(&["check", "--font-path", &shared_arg], &m);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[font-missing]"), "{err}");
    assert!(err.contains("outside the manuscript directory"), "{err}");

    std::fs::write(m.join("book.toml"), &toml).expect("toml");
    let o = tsigni(&["check", "--font-path", &shared_arg], &m);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("font for Armenian: NotoSerifArmenian-Regular.ttf from "),
        "{out}"
    );
}
