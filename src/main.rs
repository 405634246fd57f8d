//! The command line: parse arguments, call the library, report.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tsigni::{Error, Format};

#[derive(Parser)]
#[command(
    name = "tsigni",
    version,
    about = "Builds a Georgian scholarly manuscript into an EPUB 3 and a typeset PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the EPUB 3.
    Epub(BuildArgs),
    /// Build the typeset PDF.
    Pdf(BuildArgs),
    /// Build the EPUB, the PDF and their catalogue records.
    All(BuildArgs),
    /// Build the EPUB, the PDF and their catalogue records (MARCXML, Dublin
    /// Core, CSL-JSON, BibTeX, RIS) beside them.
    Catalog(BuildArgs),
    /// Read and check the manuscript; write nothing.
    Check(CommonArgs),
}

#[derive(clap::Args)]
struct CommonArgs {
    /// The manuscript directory (holds book.toml).
    #[arg(long, default_value = "manuscript")]
    manuscript: PathBuf,
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Also read files the manuscript names in DIR (shared fonts or images);
    /// otherwise only files inside the manuscript directory are read.
    #[arg(long, value_name = "DIR")]
    allow: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output file (default target/book/<slug>.<ext>); with `all`, the EPUB's
    /// path, the PDF going beside it.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum MessageFormat {
    Human,
    Json,
}

/// Exit codes: 0 built, 1 manuscript errors, 2 usage or I/O errors.
const EXIT_OK: u8 = 0;
const EXIT_MANUSCRIPT: u8 = 1;
const EXIT_IO: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, formats, output) = match &cli.command {
        Command::Epub(a) => (&a.common, vec![Format::Epub], a.output.clone()),
        Command::Pdf(a) => (&a.common, vec![Format::Pdf], a.output.clone()),
        Command::All(a) | Command::Catalog(a) => {
            (&a.common, vec![Format::Epub, Format::Pdf], a.output.clone())
        }
        Command::Check(c) => (c, vec![], None),
    };
    let started = Instant::now();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut report = Reporter {
        json: common.message_format == MessageFormat::Json,
        color,
        errors: 0,
        warnings: 0,
    };
    // A file (or anything but a directory) is a wrong argument, not a
    // manuscript with problems.
    if let Ok(meta) = std::fs::metadata(&common.manuscript) {
        if !meta.is_dir() {
            report.io_error(format!(
                "--manuscript {} is not a directory; pass the directory that holds book.toml",
                common.manuscript.display()
            ));
            return report.finish(EXIT_IO);
        }
    }
    // A build's error: its diagnostics (exit 1), or an I/O problem (exit 2).
    let failed = |report: &mut Reporter, e: Error| match e {
        Error::Manuscript {
            diagnostics,
            sources,
        } => {
            report.diagnostics(&diagnostics, &sources);
            report.finish(EXIT_MANUSCRIPT)
        }
        e => {
            report.io_error(e);
            report.finish(EXIT_IO)
        }
    };
    let loaded = tsigni::load_allowing(&tsigni::vfs::RealFs, &common.manuscript, &common.allow);
    let mut loaded = match loaded {
        Ok(l) => l,
        Err(e) => return failed(&mut report, e),
    };
    if common.deny_warnings && !loaded.warnings.is_empty() {
        loaded.warnings.deny_warnings();
        report.diagnostics(&loaded.warnings, &loaded.book.sources);
        return report.finish(EXIT_MANUSCRIPT);
    }
    report.diagnostics(&loaded.warnings, &loaded.book.sources);
    let load_time = started.elapsed();
    if formats.is_empty() {
        eprintln!(
            "checked {} in {:.0?}",
            common.manuscript.display(),
            started.elapsed()
        );
        return report.finish(EXIT_OK);
    }
    let with_records = matches!(cli.command, Command::All(_) | Command::Catalog(_));
    // Every format is rendered (in parallel) before any is written, so a
    // manuscript error leaves all previous outputs as they were.
    let t = Instant::now();
    let rendered = tsigni::render_all(&loaded, &formats);
    let mut books = Vec::new();
    for (format, result) in formats.iter().copied().zip(rendered) {
        let path = match (&output, format) {
            // `-o x/mybook` names the EPUB; the PDF and records go beside it.
            (Some(p), Format::Epub) if with_records => p.with_extension("epub"),
            (Some(p), Format::Pdf) if with_records => p.with_extension("pdf"),
            (Some(p), _) => p.clone(),
            (None, f) => tsigni::default_output(&loaded, f),
        };
        match result {
            Ok((bytes, pages)) => books.push((path, bytes, pages)),
            Err(e) => return failed(&mut report, e),
        }
    }
    let book_pages: Vec<Option<usize>> = books.iter().map(|(_, _, p)| *p).collect();
    let pages = book_pages.iter().find_map(|p| *p);
    let mut set: Vec<(PathBuf, Vec<u8>)> = books.into_iter().map(|(p, b, _)| (p, b)).collect();
    if with_records {
        let records = records(&mut loaded, &set, pages);
        set.extend(records);
    }
    // Nothing is written unless every output may be: a refusal leaves the
    // old files, and the inputs, as they were.
    let paths: Vec<&std::path::Path> = set.iter().map(|(p, _)| p.as_path()).collect();
    let written = tsigni::output::check_outputs(&paths, &loaded.inputs)
        .and_then(|()| tsigni::output::write_set(&set));
    if let Err(e) = written {
        return failed(&mut report, e);
    }
    for (i, (path, bytes)) in set.iter().enumerate() {
        let size = tsigni::vfs::human_bytes(bytes.len() as u64);
        match book_pages.get(i) {
            Some(pages) => println!(
                "wrote {} ({size}{}) in {:.0?}",
                path.display(),
                pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
                load_time + t.elapsed()
            ),
            None => println!("wrote {} ({size})", path.display()),
        }
    }
    if with_records {
        println!("built in {:.0?}", started.elapsed());
    }
    // The process ends here: freeing the book and the outputs piece by
    // piece would only delay the exit (a few ms for the article, more for
    // a long book).
    std::mem::forget(set);
    std::mem::forget(loaded);
    report.finish(EXIT_OK)
}

/// Prints diagnostics as they come and one summary line at the very end,
/// after any I/O error, which it counts.
struct Reporter {
    json: bool,
    color: bool,
    errors: usize,
    warnings: usize,
}

impl Reporter {
    fn diagnostics(
        &mut self,
        diags: &tsigni::diagnostics::Diagnostics,
        sources: &tsigni::diagnostics::SourceMap,
    ) {
        if self.json {
            eprint!("{}", diags.render_json(sources));
        } else {
            eprint!("{}", diags.render(sources, self.color));
        }
        self.errors += diags.errors();
        self.warnings += diags.warnings();
    }

    fn io_error(&mut self, e: impl std::fmt::Display) {
        let text = e.to_string();
        eprintln!("error: {}", tsigni::diagnostics::escape_controls(&text));
        self.errors += 1;
    }

    fn finish(&self, code: u8) -> ExitCode {
        if !self.json && self.errors + self.warnings > 0 {
            eprintln!(
                "{}",
                tsigni::diagnostics::summary(self.errors, self.warnings)
            );
        }
        ExitCode::from(code)
    }
}

/// The catalogue records of the books in `set`, named after the EPUB (so
/// `-o x/mybook.epub` gives x/mybook.marc.xml) and beside it. They describe
/// the exact files: names, sizes, SHA-256 of the bytes about to be written
/// and the PDF's page count.
fn records(
    loaded: &mut tsigni::Loaded,
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
            tsigni::catalog::describe_bytes(&name, bytes)
        })
        .collect();
    let Some((first, _)) = set.first() else {
        return Vec::new();
    };
    let dir = first.parent().unwrap_or(std::path::Path::new(""));
    // The records take their names from the book's slug.
    if let Some(stem) = first.file_stem().and_then(|s| s.to_str()) {
        loaded.book.config.book.slug = Some(stem.to_string());
    }
    tsigni::catalog::records(&loaded.book, &files, pages)
        .into_iter()
        .map(|(name, bytes)| (dir.join(name), bytes))
        .collect()
}
