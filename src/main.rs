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
    let mut loaded = match tsigni::load(&common.manuscript) {
        Ok(l) => l,
        Err(e) => return report.failed(e),
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
            Err(e) => return report.failed(e),
        }
    }
    let jobs: Vec<(&std::path::Path, &[u8])> = books
        .iter()
        .map(|(path, bytes, _)| (path.as_path(), bytes.as_slice()))
        .collect();
    let results = tsigni::output::write_all_atomic(&jobs);
    for ((path, bytes, pages), result) in books.iter().zip(results) {
        if let Err(e) = result {
            report.io_error(e);
            return report.finish(EXIT_IO);
        }
        println!(
            "wrote {} ({}{}) in {:.0?}",
            path.display(),
            human_size(bytes.len() as u64),
            pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
            load_time + t.elapsed()
        );
    }
    if with_records {
        if let Err(e) = write_records(&loaded, &books) {
            return report.failed(e);
        }
        println!("built in {:.0?}", started.elapsed());
    }
    // The process ends here: freeing the book and the outputs piece by
    // piece would only delay the exit (a few ms for the article, more for
    // a long book).
    std::mem::forget(books);
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

    /// Reports a failed step and gives its exit code.
    fn failed(&mut self, e: Error) -> ExitCode {
        match e {
            Error::Manuscript {
                diagnostics,
                sources,
            } => {
                self.diagnostics(&diagnostics, &sources);
                self.finish(EXIT_MANUSCRIPT)
            }
            other => {
                self.io_error(other);
                self.finish(EXIT_IO)
            }
        }
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

/// The catalogue records describe the exact files beside them: their names,
/// sizes, SHA-256 (of the bytes just written, not read back) and the PDF's
/// page count.
fn write_records(
    loaded: &tsigni::Loaded,
    books: &[(std::path::PathBuf, Vec<u8>, Option<usize>)],
) -> Result<(), tsigni::Error> {
    let files: Vec<_> = books
        .iter()
        .map(|(path, bytes, _)| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            tsigni::catalog::describe_bytes(&name, bytes)
        })
        .collect();
    let pages = books.iter().find_map(|(_, _, pages)| *pages);
    let Some((first, _, _)) = books.first() else {
        return Ok(());
    };
    let dir = first
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    // Named after the EPUB, so `-o x/mybook.epub` gives x/mybook.marc.xml.
    let slug = first
        .file_stem()
        .and_then(|s| s.to_str())
        .map_or_else(|| tsigni::slug(&loaded.book), str::to_owned);
    for w in tsigni::catalog::write(&loaded.book, dir, &slug, &files, pages)? {
        println!("wrote {} ({})", w.path.display(), human_size(w.bytes));
    }
    Ok(())
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}
