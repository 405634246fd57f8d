//! One diagnostic type for every stage, rendered like rustc (file:line:column,
//! a source snippet and a caret) or as JSON lines.

use crate::source::Span;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Every file the build read, so spans can be turned into line:column and snippets.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    count: usize,
}

impl SourceMap {
    pub fn add(&mut self, name: impl Into<String>, source: impl Into<String>) -> usize {
        self.count += 1;
        self.files.add(name.into(), source.into())
    }

    pub fn name(&self, file: usize) -> &str {
        self.files
            .get(file)
            .map(|f| f.name().as_str())
            .unwrap_or("?")
    }

    pub fn source(&self, file: usize) -> &str {
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: usize, offset: usize) -> (usize, usize) {
        let src = self.source(file);
        let offset = floor_char_boundary(src, offset.min(src.len()));
        let before = &src[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = src[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// `file:line:column` of a span.
    pub fn location(&self, span: Span) -> String {
        let (l, c) = self.line_col(span.file, span.start);
        format!("{}:{}:{}", self.name(span.file), l, c)
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The id of the first file whose name ends with `suffix` (e.g. `book.toml`).
    pub fn find(&self, suffix: &str) -> Option<usize> {
        (0..self.count).find(|&i| self.name(i).ends_with(suffix))
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable short code for tools and tests, e.g. `unknown-citation`.
    pub code: &'static str,
    pub message: String,
    /// Where in a source file, when the problem has a place.
    pub span: Option<Span>,
    /// A file the problem concerns when there is no span (a missing font, a cover).
    pub path: Option<PathBuf>,
    pub label: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            span: None,
            path: None,
            label: None,
            notes: Vec::new(),
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.path = Some(path.as_ref().to_path_buf());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// All problems of a run, collected rather than stopping at the first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Turns every warning into an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for d in &mut self.list {
            d.severity = Severity::Error;
        }
    }

    /// `2 errors, 3 warnings`.
    pub fn summary(&self) -> String {
        let (e, w) = (self.errors(), self.warnings());
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!("{}, {}", plural(e, "error"), plural(w, "warning"))
    }

    /// Problems in the order a reader meets them: file-wide ones first, then by
    /// file and position (each stage reports in its own order otherwise).
    pub fn sort(&mut self) {
        self.list
            .sort_by_key(|d| d.span.map(|s| (1, s.file, s.start)).unwrap_or((0, 0, 0)));
    }

    /// Human form: one rustc-style report per problem.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut buf = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        for d in &self.list {
            let cs = to_codespan(d);
            let rendered = if d.span.is_some() && !sources.is_empty() {
                term::emit(&mut buf, &config, &sources.files, &cs)
            } else {
                term::emit(
                    &mut buf,
                    &config,
                    &SimpleFiles::<String, String>::new(),
                    &cs,
                )
            };
            if rendered.is_err() {
                // A span outside its file should never happen; still say the message.
                let _ = term::emit(
                    &mut buf,
                    &config,
                    &SimpleFiles::<String, String>::new(),
                    &to_codespan(&Diagnostic {
                        span: None,
                        ..d.clone()
                    }),
                );
            }
        }
        String::from_utf8_lossy(buf.as_slice()).into_owned()
    }

    /// Machine form: one JSON object per line.
    pub fn render_json(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        for d in &self.list {
            let (file, line, column) = match d.span {
                Some(s) => {
                    let (l, c) = sources.line_col(s.file, s.start);
                    (Some(sources.name(s.file).to_string()), Some(l), Some(c))
                }
                None => (d.path.as_ref().map(|p| p.display().to_string()), None, None),
            };
            let obj = JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file,
                line,
                column,
                notes: &d.notes,
            };
            if let Ok(s) = serde_json::to_string(&obj) {
                out.push_str(&s);
                out.push('\n');
            }
        }
        out
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    notes: &'a [String],
}

fn to_codespan(d: &Diagnostic) -> CsDiagnostic<usize> {
    let mut cs = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_code(d.code)
    .with_message(&d.message);
    if let Some(span) = d.span {
        let mut label = Label::primary(span.file, span.start..span.end.max(span.start));
        if let Some(l) = &d.label {
            label = label.with_message(l);
        }
        cs = cs.with_labels(vec![label]);
    }
    let mut notes = Vec::new();
    if d.span.is_none() {
        if let Some(p) = &d.path {
            notes.push(format!("in {}", p.display()));
        }
    }
    notes.extend(d.notes.iter().cloned());
    cs.with_notes(notes)
}

// Lets `Files` be used through the map in tests and the reader.
impl<'a> Files<'a> for SourceMap {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files.get(id).map(|f| f.name().as_str())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files.get(id).map(|f| f.source().as_str())
    }

    fn line_index(
        &'a self,
        id: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.files.line_index(id, byte_index)
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        self.files.line_range(id, line_index)
    }
}
