//! One diagnostic type for every stage, rendered like rustc (file:line:column,
//! a source snippet and a caret) or as JSON lines.

use crate::source::Span;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{Files, SimpleFile, SimpleFiles};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
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
        // The line by binary search over the file's line starts: a report
        // of thousands of problems must not count lines from the top each time.
        let index = self.files.line_index(file, offset).unwrap_or(0);
        let line_start = self
            .files
            .line_range(file, index)
            .map_or(0, |r| r.start)
            .min(offset);
        let col = src[line_start..offset].chars().count() + 1;
        (index + 1, col)
    }

    /// `file:line:column` of a span.
    pub fn location(&self, span: Span) -> String {
        let (l, c) = self.line_col(span.file, span.start);
        format!("{}:{}:{}", self.name(span.file), l, c)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    /// The characters the problem is about (a script without a font), all
    /// of them, for the JSON form.
    pub characters: Vec<char>,
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
            characters: Vec::new(),
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
        summary(self.errors(), self.warnings())
    }

    /// Problems in the order a reader meets them: file-wide ones first, then by
    /// file and position (each stage reports in its own order otherwise).
    pub fn sort(&mut self) {
        self.list
            .sort_by_key(|d| d.span.map(|s| (1, s.file, s.start)).unwrap_or((0, 0, 0)));
    }

    /// Human form: one rustc-style report per problem. After
    /// [`SHOWN_PER_CODE`] problems of one code the rest are counted in one
    /// line, so ten thousand unknown citations print a few kilobytes.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut buf = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        let mut shown: HashMap<(&str, Severity), usize> = HashMap::new();
        let mut hidden: Vec<((&str, Severity), usize)> = Vec::new();
        for d in &self.list {
            let seen = shown.entry((d.code, d.severity)).or_default();
            *seen += 1;
            if *seen > SHOWN_PER_CODE {
                match hidden.iter_mut().find(|(k, _)| *k == (d.code, d.severity)) {
                    Some((_, n)) => *n += 1,
                    None => hidden.push(((d.code, d.severity), 1)),
                }
                continue;
            }
            let excerpt = d.span.and_then(|span| Excerpt::new(sources, span));
            let rendered = match &excerpt {
                Some((files, range)) => term::emit(
                    &mut buf,
                    &config,
                    files,
                    &to_codespan(d, Some(range.clone())),
                ),
                None => term::emit(
                    &mut buf,
                    &config,
                    &SimpleFile::new(String::new(), String::new()),
                    &to_codespan(d, None),
                ),
            };
            if rendered.is_err() {
                // A span outside its file should never happen; still say the message.
                let _ = term::emit(
                    &mut buf,
                    &config,
                    &SimpleFile::new(String::new(), String::new()),
                    &to_codespan(d, None),
                );
            }
        }
        let mut out = String::from_utf8_lossy(buf.as_slice()).into_owned();
        for ((code, severity), n) in hidden {
            let kind = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!(
                "… and {} more {code} {kind}{} (--message-format json lists them all)\n\n",
                thousands(n),
                if n == 1 { "" } else { "s" }
            ));
        }
        out
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
                characters: d.characters.iter().map(|c| c.to_string()).collect(),
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    characters: Vec<String>,
}

/// `2 errors, 3 warnings`.
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("1 {word}")
        } else {
            format!("{} {word}s", thousands(n))
        }
    };
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// Problems of one code shown in full before the rest are only counted.
pub const SHOWN_PER_CODE: usize = 5;

/// Columns of a source line shown around a span; longer lines are cut.
const EXCERPT_COLUMNS: usize = 120;
/// Of those, columns kept before the span.
const EXCERPT_BEFORE: usize = 40;

fn to_codespan(d: &Diagnostic, label: Option<Range<usize>>) -> CsDiagnostic<()> {
    let mut cs = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    }
    .with_code(d.code)
    .with_message(escape_controls(&d.message));
    if let Some(range) = label {
        let mut label = Label::primary((), range);
        if let Some(l) = &d.label {
            label = label.with_message(escape_controls(l));
        }
        cs = cs.with_labels(vec![label]);
    }
    let mut notes = Vec::new();
    if d.span.is_none() {
        if let Some(p) = &d.path {
            notes.push(format!("in {}", escape_controls(&p.display().to_string())));
        }
    }
    notes.extend(d.notes.iter().map(|n| escape_controls(n).into_owned()));
    cs.with_notes(notes)
}

/// Text from a manuscript as a terminal may show it: control characters
/// (ESC, BEL, …) and bidirectional overrides written as `\u{1b}`, so a file
/// cannot clear the screen, retitle the window or reorder what is shown.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `9,995`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The one source line a diagnostic shows: cut to [`EXCERPT_COLUMNS`]
/// around its span (with `…` where cut), control characters escaped, and
/// reporting the line and column of the span in the whole file.
struct Excerpt {
    name: String,
    text: String,
    line: usize,
    column: usize,
}

impl Excerpt {
    /// The excerpt and the span's range within it.
    fn new(sources: &SourceMap, span: Span) -> Option<(Excerpt, Range<usize>)> {
        let src = sources.files.get(span.file).ok()?.source().as_str();
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.clamp(span.start, src.len()));
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let end = end.min(line_end);
        let from = src[line_start..start]
            .char_indices()
            .rev()
            .take(EXCERPT_BEFORE)
            .last()
            .map_or(start, |(i, _)| line_start + i);
        let to = src[from..line_end]
            .char_indices()
            .nth(EXCERPT_COLUMNS)
            .map_or(line_end, |(i, _)| from + i);
        let mut text = String::new();
        if from > line_start {
            text.push('…');
        }
        let mut range = text.len()..text.len();
        for (i, c) in src[from..to].char_indices() {
            if from + i == start {
                range.start = text.len();
            }
            if from + i == end {
                range.end = text.len();
            }
            text.push_str(&escape_controls(c.encode_utf8(&mut [0; 4])));
        }
        if start >= to {
            range.start = text.len();
        }
        if end >= to {
            range.end = text.len();
        }
        range.end = range.end.max(range.start);
        if to < line_end {
            text.push('…');
        }
        let (line, column) = sources.line_col(span.file, start);
        let name = escape_controls(sources.name(span.file)).into_owned();
        Some((
            Excerpt {
                name,
                text,
                line,
                column,
            },
            range,
        ))
    }
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_range(
        &'a self,
        (): (),
        line_index: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(codespan_reporting::files::Error::LineTooLarge { given, max: 0 }),
        }
    }

    fn line_number(&'a self, (): (), _: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn column_number(
        &'a self,
        (): (),
        _: usize,
        _: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.column)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_are_escaped() {
        assert_eq!(
            escape_controls("a\u{1b}[2J\u{7}b\tc"),
            "a\\u{1b}[2J\\u{7}b\tc"
        );
        assert_eq!(escape_controls("x\u{202E}y"), "x\\u{202e}y");
        assert!(matches!(escape_controls("ქართული"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_keeping_its_place() {
        let mut sources = SourceMap::default();
        let line = format!("{}\u{1b}TARGET{}", "ა".repeat(500), "ბ".repeat(500));
        let file = sources.add("f.md", format!("first\n{line}\n"));
        let start = 6 + "ა".repeat(500).len() + 1;
        let (excerpt, range) = Excerpt::new(
            &sources,
            Span {
                file,
                start,
                end: start + 6,
            },
        )
        .expect("excerpt");
        assert_eq!(&excerpt.text[range], "TARGET");
        assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
        assert!(excerpt.text.contains("\\u{1b}"));
        assert!(excerpt.text.chars().count() < 140);
        assert_eq!((excerpt.line, excerpt.column), (2, 502));
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(thousands(9_995), "9,995");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(summary(1, 10_002), "1 error, 10,002 warnings");
    }
}
