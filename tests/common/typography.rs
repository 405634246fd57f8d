//! The books that the typography report (`scripts/typography-report.py`)
//! measures in the page-makeup and line-quality suites: python3 with what
//! the report imports, a PDF built by the binary, the article repeated five
//! times, and the report's figures as JSON.

#![allow(dead_code)]

use crate::common;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn script() -> PathBuf {
    root().join("scripts/typography-report.py")
}

/// python3 when it can import what the report needs; otherwise skips with a
/// note, or fails when validators are required.
pub fn python() -> Option<PathBuf> {
    let py = common::require_tool("python3")?;
    let ok = Command::new(&py)
        .args(["-c", "import pymupdf, fontTools"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Some(py)
    } else {
        common::require_tool("python3 with pymupdf and fonttools (pip)")
    }
}

/// `tsigni pdf` on `manuscript`, written to `out`.
pub fn build_pdf(manuscript: &Path, out: &Path) {
    common::build("pdf", manuscript, out);
}

/// The article five times over (`scripts/make-long-manuscript.py`) in
/// `dir`; returns its manuscript directory.
pub fn make_x5(py: &Path, dir: &Path) -> PathBuf {
    let made = Command::new(py)
        .arg(root().join("scripts/make-long-manuscript.py"))
        .args(["--times", "5", "--out"])
        .arg(dir)
        .output()
        .expect("run make-long-manuscript.py");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    dir.join("manuscript")
}

/// The report's figures for each PDF, in order (`--json`).
pub fn figures(py: &Path, pdfs: &[&Path]) -> Vec<Value> {
    let out = Command::new(py)
        .arg(script())
        .args(pdfs)
        .arg("--json")
        .output()
        .expect("run typography-report.py");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = match serde_json::from_str(&text).expect("the report's JSON") {
        Value::Array(list) => list,
        one => vec![one],
    };
    assert_eq!(list.len(), pdfs.len(), "{text}");
    list
}
