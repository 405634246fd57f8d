//! Bad manuscripts: each fails with its message at its place, a documented
//! exit code, and no output file written or changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

struct Failure {
    code: i32,
    stderr: String,
}

/// Builds the EPUB of a bad manuscript over an existing "previous" book and
/// checks that the previous book is untouched and no stray file is left.
fn fails(manuscript: &Path) -> Failure {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("book.epub");
    std::fs::write(&out_path, b"the previous book").unwrap();
    let out = tsigni(&["epub"], manuscript, Some(&out_path));
    assert_eq!(
        std::fs::read(&out_path).unwrap(),
        b"the previous book",
        "a failed build changed the previous output"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "stray files left: {leftovers:?}");
    let fresh = dir.path().join("fresh.epub");
    let again = tsigni(&["epub"], manuscript, Some(&fresh));
    assert!(!fresh.exists(), "a failed build wrote an output file");
    assert_eq!(out.status.code(), again.status.code());
    Failure {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn assert_diag(f: &Failure, code: i32, needles: &[&str]) {
    assert_eq!(f.code, code, "exit code; stderr:\n{}", f.stderr);
    for n in needles {
        assert!(f.stderr.contains(n), "stderr lacks {n:?}:\n{}", f.stderr);
    }
}

#[test]
fn the_good_fixture_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("good.epub");
    let o = tsigni(&["epub"], &fixture("good"), Some(&out));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.exists());
}

#[test]
fn missing_manuscript_directory() {
    let f = fails(&fixture("does-not-exist"));
    assert_diag(
        &f,
        1,
        &["error[manuscript-missing]", "does-not-exist does not exist"],
    );
}

#[test]
fn missing_book_toml() {
    let f = fails(&fixture("no-book-toml"));
    assert_diag(
        &f,
        1,
        &[
            "error[file-missing]",
            "no-book-toml/book.toml does not exist",
        ],
    );
}

#[test]
fn toml_syntax_error() {
    let f = fails(&fixture("toml-syntax"));
    assert_diag(
        &f,
        1,
        &[
            "error[config]: book.toml: invalid basic string",
            "toml-syntax/book.toml:2:22",
        ],
    );
}

#[test]
fn wrong_value_type() {
    let f = fails(&fixture("wrong-type"));
    assert_diag(
        &f,
        1,
        &[
            "invalid type: string \"ch.md\", expected a sequence",
            "wrong-type/book.toml:10:12",
        ],
    );
}

#[test]
fn unknown_key() {
    let f = fails(&fixture("unknown-key"));
    assert_diag(
        &f,
        1,
        &["unknown field `titel`", "unknown-key/book.toml:4:1"],
    );
}

#[test]
fn chapter_listed_but_missing() {
    let f = fails(&fixture("missing-chapter"));
    assert_diag(
        &f,
        1,
        &[
            "missing-chapter/nope.md does not exist",
            "missing-chapter/book.toml:10:22",
            "listed here",
        ],
    );
}

#[test]
fn chapter_not_utf8_names_the_byte() {
    let f = fails(&fixture("not-utf8"));
    assert_diag(
        &f,
        1,
        &[
            "error[not-utf8]",
            "ch.md is not UTF-8: invalid byte at offset 11",
            "not-utf8/ch.md:3:5",
        ],
    );
}

#[test]
fn empty_chapter() {
    let f = fails(&fixture("empty-chapter"));
    assert_diag(&f, 1, &["error[empty-chapter]: chapter empty.md is empty"]);
}

#[test]
fn citation_key_not_in_references() {
    let f = fails(&fixture("unknown-citation"));
    assert_diag(
        &f,
        1,
        &[
            "error[unknown-citation]: citation key @snwo1961 is not in the references",
            "unknown-citation/ch.md:5:8",
            "did you mean @snow1961?",
        ],
    );
}

#[test]
fn references_that_do_not_parse() {
    let f = fails(&fixture("bad-references"));
    assert_diag(
        &f,
        1,
        &[
            "error[references]: cannot read references",
            "bad-references/references.yaml:3:",
        ],
    );
}

#[test]
fn footnote_referenced_but_not_defined() {
    let f = fails(&fixture("undefined-footnote"));
    assert_diag(
        &f,
        1,
        &[
            "footnote [^missing] is referenced but never defined",
            "undefined-footnote/ch.md:3:8",
        ],
    );
}

#[test]
fn footnote_defined_twice() {
    let f = fails(&fixture("duplicate-footnote"));
    assert_diag(
        &f,
        1,
        &[
            "footnote [^a] is defined twice",
            "duplicate-footnote/ch.md:7:1",
        ],
    );
}

#[test]
fn unused_footnote_and_skipped_heading_warn_and_deny_warnings_fails() {
    for (name, needle) in [
        (
            "unused-footnote",
            "warning[unused-footnote]: footnote [^spare] is defined but never referenced",
        ),
        (
            "heading-skip",
            "warning[heading-skip]: heading level 3 follows level 1",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.epub");
        let o = tsigni(&["epub"], &fixture(name), Some(&out));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
        assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
        assert!(out.exists());
        let denied = dir.path().join("denied.epub");
        let o = tsigni(&["epub", "--deny-warnings"], &fixture(name), Some(&denied));
        assert_eq!(o.status.code(), Some(1));
        assert!(!denied.exists());
        assert!(String::from_utf8_lossy(&o.stderr).contains("1 error, 0 warnings"));
    }
}

#[test]
fn character_without_a_font() {
    let f = fails(&fixture("no-glyph"));
    assert_diag(
        &f,
        1,
        &[
            "1 private-use or unassigned character (first at ",
            "no-glyph/ch.md:3:8) has no glyph",
            "U+E000",
        ],
    );
}

#[test]
fn font_missing_or_not_a_font() {
    let f = fails(&fixture("font-missing"));
    assert_diag(
        &f,
        1,
        &[
            "error[font-missing]",
            "fonts/missing.ttf",
            "font-missing/book.toml:12:12",
        ],
    );
    let f = fails(&fixture("font-not-a-font"));
    assert_diag(
        &f,
        1,
        &["error[font-invalid]", "notafont.ttf is not a usable font"],
    );
}

#[test]
fn cover_missing_truncated_or_not_an_image() {
    let f = fails(&fixture("cover-missing"));
    assert_diag(
        &f,
        1,
        &[
            "error[cover]: cover image",
            "cover.png does not exist",
            "cover-missing/book.toml:4:9",
        ],
    );
    let f = fails(&fixture("cover-not-image"));
    assert_diag(&f, 1, &["cover.png is not an image"]);

    let f = fails(&fixture("cover-truncated"));
    assert_diag(&f, 1, &["cover.png cannot be decoded"]);
}

#[test]
fn image_referenced_but_missing() {
    let f = fails(&fixture("image-missing"));
    assert_diag(
        &f,
        1,
        &[
            "error[image-missing]: image map.png does not exist",
            "image-missing/ch.md:5:1",
        ],
    );
}

#[test]
fn all_problems_reported_together_with_a_summary() {
    let f = fails(&fixture("several-errors"));
    assert_diag(
        &f,
        1,
        &[
            "citation key @nobody is not in the references",
            "footnote [^none] is referenced but never defined",
            "warning[heading-skip]",
            "warning[unused-footnote]",
            "2 errors, 2 warnings",
        ],
    );
    // In reading order.
    let a = f.stderr.find("@nobody").unwrap();
    let b = f.stderr.find("[^none] is referenced").unwrap();
    let c = f.stderr.find("heading-skip").unwrap();
    assert!(a < b && b < c);
}

#[test]
fn json_messages_for_tools() {
    let o = tsigni(
        &["check", "--message-format", "json"],
        &fixture("several-errors"),
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4);
    let first = &lines[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-citation");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 8);
    assert!(first["file"]
        .as_str()
        .unwrap()
        .ends_with("several-errors/ch.md"));
}

#[test]
fn output_directory_that_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a directory should be.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let out = blocker.join("book.epub");
    let o = tsigni(&["epub"], &fixture("good"), Some(&out));
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("blocker/book.epub"),
        "{stderr}"
    );
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["check", "--manuscript"])
        .arg(fixture("good"))
        .arg("--allow")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A problem only the layout finds (here an unknown paper size) fails
/// `tsigni all` once, with its message, and writes no book: the EPUB's page
/// list waits on the same layout as the PDF.
#[test]
fn a_layout_error_fails_all_once_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ms = dir.path().join("ms");
    std::fs::create_dir(&ms).unwrap();
    for f in ["ch.md", "references.yaml"] {
        std::fs::copy(fixture("good").join(f), ms.join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(fixture("good").join("book.toml"))
        .unwrap()
        .replace(
            "../../../manuscript",
            &format!("{}/manuscript", env!("CARGO_MANIFEST_DIR")),
        )
        + "\n[pdf]\npaper = \"Z9\"\n";
    std::fs::write(ms.join("book.toml"), toml).unwrap();
    let out = dir.path().join("out");
    let o = tsigni(&["all"], &ms, Some(&out.join("book")));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("unknown paper size `Z9`").count(),
        1,
        "{stderr}"
    );
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().count() == 0);
}
