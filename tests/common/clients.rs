//! Reading software nobody here wrote, as the tests drive it: pdf.js
//! (`tests/pdfjs/extract.mjs` under node, with `pdfjs-dist` from
//! `.tools/pdfjs`), poppler's `pdftotext -raw` and calibre's `ebook-convert`
//! and `ebook-meta`; and what the typesetter says the text is, to compare
//! them with. Like the other validators they say `skipping: …` when
//! missing, unless `TSIGNI_REQUIRE_VALIDATORS=1`.
//!
//! Overrides (optional): `TSIGNI_PDFJS` (default
//! `.tools/pdfjs/node_modules/pdfjs-dist`).
#![allow(dead_code)]

use crate::common::{output_text, require_tool, validators_required};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cmd`, asserting it succeeds.
fn run(mut cmd: Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(out.status.success(), "{what} failed\n{}", output_text(&out));
    out
}

/// Every page's text of `pdf` as pdf.js extracts it: a line break where
/// pdf.js ends a line, a form feed between pages (`None`: not installed).
pub fn pdfjs_text(pdf: &Path) -> Option<String> {
    let dist = std::env::var_os("TSIGNI_PDFJS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".tools/pdfjs/node_modules/pdfjs-dist"));
    if !dist.join("legacy/build/pdf.mjs").exists() {
        let note = format!(
            "pdf.js not installed (no {}); run `bash scripts/install-validators.sh`",
            dist.display()
        );
        assert!(
            !validators_required(),
            "pdf.js is required (TSIGNI_REQUIRE_VALIDATORS=1): {note}"
        );
        eprintln!("skipping: {note}");
        return None;
    }
    let node = require_tool("node")?;
    let mut cmd = Command::new(node);
    cmd.arg(root().join("tests/pdfjs/extract.mjs"))
        .arg(&dist)
        .arg(pdf);
    let out = run(cmd, "pdf.js (tests/pdfjs/extract.mjs)");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("pdf.js printed no JSON ({e})\n{}", output_text(&out)));
    let pages = json["pages"].as_u64().unwrap_or(0);
    assert!(pages > 0, "pdf.js read no pages\n{}", output_text(&out));
    Some(json["text"].as_str().unwrap_or_default().to_string())
}

/// `pdftotext -raw` (content order, none of the default mode's joining of
/// lines that end in "-"): `None` when skipped.
pub fn pdftotext_raw(pdf: &Path) -> Option<String> {
    let tool = require_tool("pdftotext")?;
    let mut cmd = Command::new(tool);
    cmd.args(["-raw", "-enc", "UTF-8"]).arg(pdf).arg("-");
    Some(String::from_utf8_lossy(&run(cmd, "pdftotext -raw").stdout).into_owned())
}

/// A calibre command (`ebook-convert`, `ebook-meta`) run headless, as root
/// in a container: Qt without a display, its WebEngine without a sandbox.
pub fn calibre(tool: &str, args: &[&std::ffi::OsStr]) -> Option<Output> {
    let path = require_tool(tool)?;
    let out = Command::new(path)
        .args(args)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        .env("QTWEBENGINE_DISABLE_SANDBOX", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(out.status.success(), "{tool} failed\n{}", output_text(&out));
    Some(out)
}

/// The book's text as the typesetter set it, from its layout: lines in
/// page order, a word broken by an inserted hyphen joined again, other
/// lines ended by a line break.
pub struct Typeset {
    pub text: String,
    /// The lines as drawn, each ended by a line break.
    pub lines: String,
    /// The words broken by an inserted hyphen, whole (punctuation trimmed).
    pub broken: Vec<String>,
    /// Lines that end in a hyphen the author wrote ("ჩინეთ-|ინდოეთის").
    pub compounds: usize,
}

pub fn typeset(layout: &tsigni::pdf::Layout) -> Typeset {
    let lines: Vec<_> = layout.lines().map(|(_, l)| l).collect();
    let mut t = Typeset {
        text: String::new(),
        lines: String::new(),
        broken: Vec::new(),
        compounds: 0,
    };
    for (i, line) in lines.iter().enumerate() {
        let s = line.text();
        t.lines.push_str(&s);
        t.lines.push('\n');
        if line.hyphenated() {
            let head = s.strip_suffix('-').unwrap_or(&s);
            t.text.push_str(head);
            // A word broken at a page's foot goes on in the next page's
            // text, after this page's notes, running head and folio.
            let body = line.place().is_some();
            let next = lines[i + 1..]
                .iter()
                .find(|l| !body || l.place().is_some())
                .map(|l| l.text())
                .unwrap_or_default();
            let before = head.rsplit(' ').next().unwrap_or("");
            let after = next.split(' ').next().unwrap_or("");
            let word = format!("{before}{after}");
            t.broken.push(
                word.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_string(),
            );
        } else {
            if ends_in_broken_compound(&s) {
                t.compounds += 1;
            }
            t.text.push_str(&s);
            t.text.push('\n');
        }
    }
    t
}

/// Does `line` end in a letter and "-" (a word the author hyphenated)?
fn ends_in_broken_compound(line: &str) -> bool {
    let mut rev = line.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(char::is_alphabetic)
}

/// `text` with each break pdf.js's search joins (a letter, "-", a line
/// break, a letter, as pdf.js's `normalize` does) removed.
pub fn pdfjs_joined(text: &str) -> String {
    join_breaks(text, "-\n")
}

/// `text` with each `mark` between two letters removed.
pub fn join_breaks(text: &str, mark: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(mark) {
        let (head, tail) = (&rest[..at], &rest[at + mark.len()..]);
        out.push_str(head);
        let letters = head.chars().next_back().is_some_and(char::is_alphabetic)
            && tail.chars().next().is_some_and(char::is_alphabetic);
        if !letters {
            out.push_str(mark);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// How often `word` occurs in `text`.
pub fn count(text: &str, word: &str) -> usize {
    text.matches(word).count()
}

/// How many lines of `text` end in a letter and "-".
pub fn lines_ending_in_hyphen(text: &str) -> usize {
    text.lines().filter(|l| ends_in_broken_compound(l)).count()
}
