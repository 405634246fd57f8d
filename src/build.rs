//! One build, from a request to the files on disk: read the manuscript,
//! render every asked output in parallel, check that no output is an input,
//! and write the files and the web edition's directory as one set. The
//! command line and `watch` both run it; they only decide how its events
//! look. [`write`] is the same for a book the caller loaded: the library
//! writes no other way, so every write is checked.

use crate::diagnostics::{Diagnostics, SourceMap};
use crate::output::{self, Entry};
use crate::prepare::Prepared;
use crate::writer::{Files, Output, Rendered};
use crate::{Error, Format};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build.
#[derive(Debug, Clone)]
pub struct Request {
    /// The manuscript directory (holds `book.toml`).
    pub manuscript: PathBuf,
    /// Directories outside the manuscript that it may read from.
    pub allow: Vec<PathBuf>,
    /// Directories searched for faces covering what the book's fonts lack
    /// (`--font-path`).
    pub font_paths: Vec<PathBuf>,
    /// With one output, its path; with several (or with records), the
    /// EPUB's path, the PDF and records beside it with the same stem and the
    /// web edition in the directory of that stem.
    pub output: Option<PathBuf>,
    /// The formats to write; none only checks the manuscript.
    pub formats: Vec<Format>,
    /// Write the catalogue records beside the books.
    pub records: bool,
    pub deny_warnings: bool,
}

/// What a build says as it goes.
pub enum Event<'a> {
    /// Warnings of a book that builds.
    Warnings(&'a Diagnostics, &'a SourceMap),
    /// An output is written.
    Wrote(&'a Written),
    /// Faces found on the font paths, one line each ("Armenian: … from …").
    Fonts(&'a [String]),
}

/// What kind of file a build wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Book,
    /// A directory: the web edition.
    Edition,
    Record,
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub kind: Kind,
    pub bytes: u64,
    /// Page count, for a PDF.
    pub pages: Option<usize>,
    /// Number of files, for a directory.
    pub files: Option<usize>,
    /// Since the build began.
    pub elapsed: Duration,
}

/// What a successful build leaves: what it wrote, and every file it read.
#[derive(Debug, Default)]
pub struct Built {
    pub written: Vec<Written>,
    pub inputs: Vec<PathBuf>,
}

/// Runs one build. A manuscript error (or a warning under `deny_warnings`)
/// is [`Error::Manuscript`]; any other error is about the outputs. Either
/// way nothing was written.
pub fn run(req: &Request, on: &mut dyn FnMut(Event)) -> Result<Built, Error> {
    let started = Instant::now();
    let mut book = crate::load_searching(
        &crate::vfs::RealFs,
        &req.manuscript,
        &req.allow,
        &req.font_paths,
    )?;
    if !book.fonts.found.is_empty() {
        on(Event::Fonts(&book.fonts.found));
    }
    if req.deny_warnings && !book.warnings.is_empty() {
        book.warnings.deny_warnings();
        return Err(Error::Manuscript {
            diagnostics: std::mem::take(&mut book.warnings),
            sources: book.book.sources.clone(),
        });
    }
    if !book.warnings.is_empty() {
        on(Event::Warnings(&book.warnings, &book.book.sources));
    }
    let outputs = Outputs {
        output: req.output.as_deref(),
        formats: &req.formats,
        records: req.records,
    };
    let written = write_since(&book, &outputs, started, on)?;
    Ok(Built {
        written,
        inputs: std::mem::take(&mut book.inputs),
    })
}

/// What to write of a book already loaded: [`Request`] without the reading.
#[derive(Debug, Clone, Copy)]
pub struct Outputs<'a> {
    /// As [`Request::output`].
    pub output: Option<&'a Path>,
    pub formats: &'a [Format],
    pub records: bool,
}

/// Renders `book` and writes the outputs as one set, after the same checks
/// as [`run`] (never over one of `book.inputs`, a link or a directory
/// tsigni did not write): for a book loaded, or changed, by the caller.
/// On error nothing was written.
pub fn write(
    book: &Prepared,
    outputs: &Outputs,
    on: &mut dyn FnMut(Event),
) -> Result<Vec<Written>, Error> {
    write_since(book, outputs, Instant::now(), on)
}

fn write_since(
    book: &Prepared,
    outputs: &Outputs,
    started: Instant,
    on: &mut dyn FnMut(Event),
) -> Result<Vec<Written>, Error> {
    let paths = Paths::new(outputs, book);
    let pdf_address = paths.pdf_address(outputs);
    let rendered = crate::render_all(book, outputs.formats, pdf_address.as_deref());
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut edition: Option<(PathBuf, Files)> = None;
    let mut written = Vec::new();
    for (&format, result) in outputs.formats.iter().zip(rendered) {
        let Rendered { output, pages } = result?;
        let path = paths.of(format);
        let (kind, bytes, count) = match output {
            Output::File(bytes) => {
                let n = bytes.len() as u64;
                files.push((path.clone(), bytes));
                (Kind::Book, n, None)
            }
            Output::Directory(dir_files) => {
                let n = dir_files.iter().map(|(_, b)| b.len() as u64).sum();
                let count = dir_files.len();
                edition = Some((path.clone(), dir_files));
                (Kind::Edition, n, Some(count))
            }
        };
        written.push(Written {
            path,
            kind,
            bytes,
            pages,
            files: count,
            elapsed: Duration::ZERO,
        });
    }
    if outputs.records && !files.is_empty() {
        let pages = written.iter().find_map(|w| w.pages);
        for (path, bytes) in records(book, &files, pages) {
            written.push(Written {
                bytes: bytes.len() as u64,
                path: path.clone(),
                kind: Kind::Record,
                pages: None,
                files: None,
                elapsed: Duration::ZERO,
            });
            files.push((path, bytes));
        }
    }
    // Nothing is written unless every output may be: a refusal leaves the
    // old files, and the inputs, as they were.
    let paths: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    output::check_outputs(&paths, &book.inputs)?;
    if let Some((dir, _)) = &edition {
        output::check_dir_output(dir, &book.inputs)?;
    }
    // The edition goes in the same set, so that a kill never leaves new
    // books beside an old edition.
    let mut set: Vec<(PathBuf, Entry)> = files
        .iter()
        .map(|(p, b)| (p.clone(), Entry::File(b)))
        .collect();
    if let Some((dir, dir_files)) = &edition {
        set.push((dir.clone(), Entry::Dir(dir_files)));
    }
    output::write_set(&set)?;
    for w in &mut written {
        w.elapsed = started.elapsed();
        on(Event::Wrote(w));
    }
    Ok(written)
}

/// Where each output goes.
struct Paths {
    output: Option<PathBuf>,
    /// `-o` names the EPUB, the rest taking its stem.
    shared: bool,
    slug: String,
}

impl Paths {
    fn new(req: &Outputs, book: &Prepared) -> Paths {
        Paths {
            output: req.output.map(Path::to_path_buf),
            shared: req.formats.len() > 1 || req.records,
            slug: crate::slug(&book.book),
        }
    }

    fn of(&self, format: Format) -> PathBuf {
        match (&self.output, format) {
            (Some(p), Format::Html) if self.shared => p.with_extension(""),
            (Some(p), f) if self.shared => p.with_extension(f.extension()),
            (Some(p), _) => p.clone(),
            (None, Format::Html) => Path::new("target").join("book").join(&self.slug),
            (None, f) => {
                Path::new("target")
                    .join("book")
                    .join(format!("{}.{}", self.slug, f.extension()))
            }
        }
    }

    /// The PDF's address from the web edition's directory, when both are
    /// built in this run (for `citation_pdf_url`).
    fn pdf_address(&self, req: &Outputs) -> Option<String> {
        let both = req.formats.contains(&Format::Pdf) && req.formats.contains(&Format::Html);
        let pdf = self.of(Format::Pdf);
        let name = pdf.file_name()?.to_string_lossy();
        // The edition is the PDF's path without extension, so the PDF sits
        // beside its directory.
        both.then(|| format!("../{name}"))
    }
}

/// The catalogue records of the books in `set`, named after the first book
/// (so `-o x/mybook.epub` gives x/mybook.marc.xml) and beside it. They
/// describe the exact files: names, sizes, SHA-256 of the bytes about to be
/// written and the PDF's page count.
fn records(
    book: &Prepared,
    set: &[(PathBuf, Vec<u8>)],
    pages: Option<usize>,
) -> Vec<(PathBuf, Vec<u8>)> {
    let files: Vec<_> = set
        .iter()
        .map(|(path, bytes)| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            crate::catalog::describe_bytes(&name, bytes)
        })
        .collect();
    let Some((first, _)) = set.first() else {
        return Vec::new();
    };
    let dir = first.parent().unwrap_or(Path::new(""));
    // The records take their names from the first book's.
    let slug = match first.file_stem().and_then(|s| s.to_str()) {
        Some(stem) => stem.to_string(),
        None => crate::slug(&book.book),
    };
    crate::catalog::records_named(&book.book, &slug, &files, pages)
        .into_iter()
        .map(|(name, bytes)| (dir.join(name), bytes))
        .collect()
}
