//! Reading a manuscript directory: `book.toml`, then each chapter's Markdown,
//! into the document model. Every problem is collected as a diagnostic with its
//! place; reading goes on after a problem so that one run reports them all.

mod blocks;
mod citations;
mod damage;
mod dashes;
pub use dashes::joins_range;
mod markdown;
pub mod quotes;
mod structure;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Book, Chapter, Span};
use crate::vfs::Fs;
use std::path::Path;

pub use markdown::FootnoteDefs;

/// Largest chapter file read. War and Peace is 3.2 MB of text; a larger file
/// is almost certainly not a chapter, and refusing it keeps memory bounded.
pub const MAX_CHAPTER_BYTES: u64 = crate::vfs::Limit::Text.bytes();

/// Most chapters a book may list: ten times more than any book needs, few
/// enough that the writers' per-chapter work stays small.
pub const MAX_CHAPTERS: usize = 10_000;

/// Reads `dir` into a [`Book`] whose citations and notes are not yet resolved.
/// Returns `None` when nothing usable could be read; problems go to `diags`.
pub fn read(
    fs: &dyn Fs,
    dir: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Book> {
    if !fs.is_dir(dir) {
        diags.push(
            Diagnostic::error(
                "manuscript-missing",
                format!("manuscript directory {} does not exist", dir.display()),
            )
            .in_file(dir)
            .note("pass the directory that holds book.toml with --manuscript DIR"),
        );
        return None;
    }
    let toml_path = dir.join("book.toml");
    let toml_text = match read_text(
        fs,
        &toml_path,
        ("too-large", "book.toml files"),
        sources,
        diags,
    ) {
        ReadText::Ok(text, _) => text,
        ReadText::Failed => return None,
    };
    let toml_file = sources.add(display_name(&toml_path), toml_text.clone());
    let config: Config = match toml::from_str(&toml_text) {
        Ok(c) => c,
        Err(e) => {
            let span = e
                .span()
                .map(|r| Span {
                    file: toml_file,
                    start: r.start,
                    end: r.end,
                })
                .unwrap_or(Span {
                    file: toml_file,
                    start: 0,
                    end: 0,
                });
            diags.push(
                Diagnostic::error("config", format!("book.toml: {}", e.message().trim())).at(span),
            );
            return None;
        }
    };
    check_config(&config, toml_file, sources, diags);

    let order = crate::structure::reading_order(&config.book);
    if order.len() > MAX_CHAPTERS {
        diags.push(
            Diagnostic::error(
                "too-many-chapters",
                format!(
                    "book.toml lists {} chapters; a book may have at most {MAX_CHAPTERS}",
                    order.len()
                ),
            )
            .at(config_key_span(sources, toml_file, "chapters")),
        );
        return None;
    }
    structure::check(&config, toml_file, sources, diags);

    let mut chapters = Vec::new();
    let mut footnotes = FootnoteDefs::default();
    let mut listed = std::collections::HashSet::new();
    for (index, entry) in order.iter().enumerate() {
        let id = format!("ch{:02}", index + 1);
        let Some(rel) = entry.file else {
            chapters.push(structure::part_page(
                &config, entry.kind, id, toml_file, sources,
            ));
            continue;
        };
        let path = dir.join(rel);
        let entry_span = config_value_span(sources, toml_file, rel);
        if !listed.insert(crate::vfs::normalize(Path::new(rel))) {
            diags.push(
                Diagnostic::error("chapter-twice", format!("chapter {rel} is listed twice"))
                    .at(second_value_span(sources, entry_span))
                    .label("listed again here")
                    .note("list each chapter file once"),
            );
            continue;
        }
        let (text, file) =
            match read_text(fs, &path, ("chapter-too-large", "chapters"), sources, diags) {
                ReadText::Ok(text, file) => (text, file),
                ReadText::Failed => {
                    // Point at the listing too, so the author sees where the name came from.
                    if let Some(last) = diags.list.last_mut() {
                        if last.span.is_none() {
                            last.span = Some(entry_span);
                            last.label = Some("listed here".into());
                        }
                    }
                    continue;
                }
            };
        let file = match file {
            Some(f) => f,
            None => sources.add(display_name(&path), text.clone()),
        };
        if text.trim().is_empty() {
            diags.push(
                Diagnostic::error("empty-chapter", format!("chapter {rel} is empty"))
                    .at(Span {
                        file,
                        start: 0,
                        end: 0,
                    })
                    .note("every chapter needs at least a `# Title` heading"),
            );
            continue;
        }
        let mut blocks = markdown::parse(
            &text,
            file,
            index,
            &id,
            &config.book.language,
            config.book.dashes,
            fs,
            dir,
            &mut footnotes,
            diags,
        );
        structure::label_title(&mut blocks, entry.kind, &config.book.language);
        chapters.push(Chapter {
            id,
            file: rel.to_string(),
            blocks,
            span: Span {
                file,
                start: 0,
                end: text.len(),
            },
            kind: entry.kind,
        });
    }

    let mut book = Book {
        config,
        chapters,
        notes: Vec::new(),
        citations: Vec::new(),
        bibliography: Vec::new(),
        refs: Vec::new(),
        figures: Vec::new(),
        sources: SourceMap::default(),
    };
    // The sources first: a note's error names the file that defines it.
    book.sources = std::mem::take(sources);
    markdown::collect(&mut book, footnotes, diags);
    Some(book)
}

enum ReadText {
    /// The text, and its file id when it was registered (non-UTF-8 files are,
    /// lossily, so the error can point at the line).
    Ok(String, Option<usize>),
    Failed,
}

/// `too_large`: the code and the plural name of what is read, for the
/// message when it exceeds [`MAX_CHAPTER_BYTES`].
fn read_text(
    fs: &dyn Fs,
    path: &Path,
    too_large: (&'static str, &str),
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> ReadText {
    let bytes = match fs.read_limited(path, MAX_CHAPTER_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            let limit = crate::vfs::human_bytes(MAX_CHAPTER_BYTES);
            diags.push(
                Diagnostic::error(
                    too_large.0,
                    format!(
                        "{} is larger than {limit}; {} may be at most {limit}",
                        path.display(),
                        too_large.1
                    ),
                )
                .in_file(path)
                .note("split it into several chapter files"),
            );
            return ReadText::Failed;
        }
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "file-missing",
                    format!("{} {}", path.display(), crate::vfs::why(&e)),
                )
                .in_file(path),
            );
            return ReadText::Failed;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A byte-order mark is invisible to authors and would end up in the text.
            if text.starts_with('\u{FEFF}') {
                text.drain(..3);
            }
            // CRLF and CR-only files read as LF (a lone CR would join every
            // line into one); done before the text is registered, so places
            // are counted in lines as the author sees them.
            if text.contains('\r') {
                text = text.replace("\r\n", "\n").replace('\r', "\n");
            }
            ReadText::Ok(text, None)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Offsets in the lossy text match the original up to the first bad byte.
            let file = sources.add(display_name(path), lossy);
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    format!(
                        "{} is not UTF-8: invalid byte at offset {offset}",
                        path.display()
                    ),
                )
                .at(Span {
                    file,
                    start: offset,
                    end: offset + 1,
                })
                .label("not UTF-8")
                .note("save the file as UTF-8"),
            );
            ReadText::Failed
        }
    }
}

fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// Where a string value stands in `book.toml` (its first quoted occurrence).
pub fn config_value_span(sources: &SourceMap, toml_file: usize, value: &str) -> Span {
    let text = sources.source(toml_file);
    for quote in ['"', '\''] {
        let needle = format!("{quote}{value}{quote}");
        if let Some(i) = text.find(&needle) {
            return Span {
                file: toml_file,
                start: i,
                end: i + needle.len(),
            };
        }
    }
    Span {
        file: toml_file,
        start: 0,
        end: 0,
    }
}

/// The next occurrence of the value at `first` in `book.toml`, for a value
/// given twice; `first` itself when there is none.
fn second_value_span(sources: &SourceMap, first: Span) -> Span {
    let text = sources.source(first.file);
    let needle = text.get(first.start..first.end).unwrap_or_default();
    match text.get(first.end..).and_then(|rest| rest.find(needle)) {
        Some(i) if !needle.is_empty() => Span {
            file: first.file,
            start: first.end + i,
            end: first.end + i + needle.len(),
        },
        _ => first,
    }
}

/// Where a key stands in `book.toml`.
pub fn config_key_span(sources: &SourceMap, toml_file: usize, key: &str) -> Span {
    let text = sources.source(toml_file);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) && trimmed[key.len()..].trim_start().starts_with('=') {
            let start = offset + (line.len() - trimmed.len());
            return Span {
                file: toml_file,
                start,
                end: start + key.len(),
            };
        }
        offset += line.len();
    }
    Span {
        file: toml_file,
        start: 0,
        end: 0,
    }
}

/// Values that parse but cannot be right, and metadata the book lacks.
fn check_config(config: &Config, toml_file: usize, sources: &SourceMap, diags: &mut Diagnostics) {
    let b = &config.book;
    let key = |k: &str| config_key_span(sources, toml_file, k);
    if b.title.trim().is_empty() {
        diags.push(Diagnostic::error("config", "book.title is empty").at(key("title")));
    }
    let lang_ok = !b.language.is_empty()
        && b.language
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !lang_ok {
        diags.push(
            Diagnostic::error(
                "config",
                format!(
                    "book.language {:?} is not a BCP 47 language tag",
                    b.language
                ),
            )
            .at(key("language"))
            .note("for Georgian write language = \"ka\""),
        );
    }
    if b.identifier.trim().is_empty() {
        diags.push(Diagnostic::error("config", "book.identifier is empty").at(key("identifier")));
    }
    if let Some(date) = &b.date {
        if !valid_date(date) {
            diags.push(
                Diagnostic::error(
                    "config",
                    format!("book.date {date:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
                )
                .at(key("date")),
            );
        }
    }
    if let Some(slug) = &b.slug {
        let ok = !slug.is_empty()
            && slug
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
            && !slug.starts_with('.');
        if !ok {
            diags.push(
                Diagnostic::error(
                    "config",
                    format!(
                        "book.slug {slug:?} must be a plain file name (letters, digits, - _ .)"
                    ),
                )
                .at(key("slug")),
            );
        }
    }
    let pdf = &config.pdf;
    if !crate::config::PDF_STANDARDS.contains(&pdf.standard.as_str()) {
        diags.push(
            Diagnostic::error(
                "config",
                format!(
                    "pdf.standard {:?} is not one of {}",
                    pdf.standard,
                    crate::config::PDF_STANDARDS.join(", ")
                ),
            )
            .at(key("standard")),
        );
    }
    let positive = [("font_size", pdf.font_size), ("leading", pdf.leading)];
    for (name, v) in positive {
        if !(v.is_finite() && v > 0.0 && v < 200.0) {
            diags.push(
                Diagnostic::error(
                    "config",
                    format!("pdf.{name} must be between 0 and 200 points"),
                )
                .at(key(name)),
            );
        }
    }
    let margins = [
        ("margin_inner", pdf.margin_inner),
        ("margin_outer", pdf.margin_outer),
        ("margin_top", pdf.margin_top),
        ("margin_bottom", pdf.margin_bottom),
    ];
    for (name, v) in margins {
        if !(v.is_finite() && (0.0..200.0).contains(&v)) {
            diags.push(
                Diagnostic::error("config", format!("pdf.{name} must be between 0 and 200 mm"))
                    .at(key(name)),
            );
        }
    }
    let book_table = {
        let text = sources.source(toml_file);
        let start = text.find("[book]").unwrap_or(0);
        Span {
            file: toml_file,
            start,
            end: start
                + if text[start..].starts_with("[book]") {
                    6
                } else {
                    0
                },
        }
    };
    // Never invent metadata: say what is missing instead.
    if b.authors.is_empty() {
        diags.push(
            Diagnostic::warning("metadata-missing", "the book names no author")
                .at(book_table)
                .note(
                    "add authors = [\"…\"] to [book] when the author is known; nothing is invented",
                ),
        );
    }
    let missing: Vec<&str> = [
        ("date", b.date.is_none()),
        ("rights", b.rights.is_none()),
        ("publisher", b.publisher.is_none()),
        ("description", b.description.is_none()),
    ]
    .iter()
    .filter(|(_, absent)| *absent)
    .map(|(name, _)| *name)
    .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::warning(
                "metadata-missing",
                format!("the book gives no {}", missing.join(", no ")),
            )
            .at(book_table)
            .note("add them to [book] when they are known; they are left out, not made up"),
        );
    }
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| p.len() == len && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}
