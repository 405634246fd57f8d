//! The web edition's checkers: the Nu HTML checker (vnu.jar, run by `java`)
//! and `tests/web/check.mjs` in headless Chromium through puppeteer-core.
//! Like the other validators they say `skipping: …` when missing, unless
//! `TSIGNI_REQUIRE_VALIDATORS=1`.
//!
//! Overrides (optional): `TSIGNI_VNU_JAR` (default
//! `.tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar`), `TSIGNI_WEB_MODULES`
//! (default `.tools/web-check/node_modules`), `TSIGNI_CHROMIUM` (default
//! `chromium` on `PATH`).

use crate::common::{output_text, require_tool, validators_required};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$var`, else `default` under the crate root, if it exists; else the
/// skip note (or a failure when validators are required).
pub fn installed(var: &str, default: &str, what: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(default));
    if path.exists() {
        return Some(path);
    }
    let note = format!(
        "{what} not installed (no {}); run `bash scripts/install-validators.sh`",
        path.display()
    );
    assert!(
        !validators_required(),
        "{what} is required (TSIGNI_REQUIRE_VALIDATORS=1): {note}"
    );
    eprintln!("skipping: {note}");
    None
}

/// The Nu checker's errors on every HTML page of `site` (`None`: not installed).
pub fn vnu_errors(site: &Path) -> Option<Vec<String>> {
    let java = require_tool("java")?;
    let jar = installed(
        "TSIGNI_VNU_JAR",
        ".tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
        "the Nu HTML checker (vnu-jar)",
    )?;
    let out = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(site)
        .output()
        .expect("run vnu.jar");
    // The report goes to stderr; the exit status is 1 when there are errors.
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("vnu.jar printed no JSON ({e}):\n{}", output_text(&out)));
    let messages = report["messages"].as_array().cloned().unwrap_or_default();
    Some(
        messages
            .iter()
            .filter(|m| m["type"] != "info")
            .map(|m| {
                format!(
                    "{}:{}: {}",
                    m["url"].as_str().unwrap_or("?"),
                    m["lastLine"],
                    m["message"].as_str().unwrap_or("?")
                )
            })
            .collect(),
    )
}

/// What `tests/web/check.mjs` found in `site` (`None`: not installed): its
/// JSON report, and whether it found nothing wrong.
pub fn browser_check(site: &Path) -> Option<(serde_json::Value, bool)> {
    browser_script("tests/web/check.mjs", site)
}

/// What a puppeteer script (run as `node SCRIPT SITE MODULES`, printing one
/// JSON object and exiting 0 when it found nothing wrong) found in `site`.
pub fn browser_script(script: &str, site: &Path) -> Option<(serde_json::Value, bool)> {
    let node = require_tool("node")?;
    let chromium = match std::env::var_os("TSIGNI_CHROMIUM").filter(|v| !v.is_empty()) {
        Some(c) => PathBuf::from(c),
        None => require_tool("chromium")?,
    };
    let modules = installed(
        "TSIGNI_WEB_MODULES",
        ".tools/web-check/node_modules",
        "puppeteer-core",
    )?;
    // The script ends itself after five minutes, so this cannot hang.
    let out = Command::new(node)
        .arg(root().join(script))
        .arg(site)
        .arg(modules)
        .env("TSIGNI_CHROMIUM", chromium)
        .output()
        .expect("run node");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check.mjs printed no JSON ({e}):\n{}", output_text(&out)));
    Some((report, out.status.success()))
}
