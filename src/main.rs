//! The command line: parse arguments, call the library, report.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tsigni::watch::Report;
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
    /// Build, then rebuild whenever a file of the manuscript changes, until
    /// Ctrl-C.
    Watch(WatchArgs),
}

#[derive(clap::Args)]
struct WatchArgs {
    /// What to build: `catalog` is the EPUB, the PDF and their records.
    #[arg(value_enum, default_values_t = [WatchFormat::Epub, WatchFormat::Pdf])]
    formats: Vec<WatchFormat>,
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum WatchFormat {
    Epub,
    Pdf,
    Catalog,
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
        Command::Watch(w) => return watch(w),
    };
    let started = Instant::now();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let report = |diags: &tsigni::diagnostics::Diagnostics,
                  sources: &tsigni::diagnostics::SourceMap| {
        print_diagnostics(common.message_format, color, diags, sources);
    };

    let mut loaded = match tsigni::load(&common.manuscript) {
        Ok(l) => l,
        Err(Error::Manuscript {
            diagnostics,
            sources,
        }) => {
            report(&diagnostics, &sources);
            return ExitCode::from(EXIT_MANUSCRIPT);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_IO);
        }
    };
    if common.deny_warnings && !loaded.warnings.is_empty() {
        loaded.warnings.deny_warnings();
        report(&loaded.warnings, &loaded.book.sources);
        return ExitCode::from(EXIT_MANUSCRIPT);
    }
    report(&loaded.warnings, &loaded.book.sources);
    let load_time = started.elapsed();
    if formats.is_empty() {
        eprintln!(
            "checked {} in {:.0?}",
            common.manuscript.display(),
            started.elapsed()
        );
        return ExitCode::SUCCESS;
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
            Err(Error::Manuscript {
                diagnostics,
                sources,
            }) => {
                report(&diagnostics, &sources);
                return ExitCode::from(EXIT_MANUSCRIPT);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_IO);
            }
        }
    }
    let jobs: Vec<(&std::path::Path, &[u8])> = books
        .iter()
        .map(|(path, bytes, _)| (path.as_path(), bytes.as_slice()))
        .collect();
    let results = tsigni::output::write_all_atomic(&jobs);
    for ((path, bytes, pages), result) in books.iter().zip(results) {
        if let Err(e) = result {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_IO);
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
        if let Err(code) = write_records(&loaded, &books) {
            return code;
        }
        println!("built in {:.0?}", started.elapsed());
    }
    // The process ends here: freeing the book and the outputs piece by
    // piece would only delay the exit (a few ms for the article, more for
    // a long book).
    std::mem::forget(books);
    std::mem::forget(loaded);
    ExitCode::SUCCESS
}

fn print_diagnostics(
    format: MessageFormat,
    color: bool,
    diags: &tsigni::diagnostics::Diagnostics,
    sources: &tsigni::diagnostics::SourceMap,
) {
    if diags.is_empty() {
        return;
    }
    match format {
        MessageFormat::Human => {
            eprint!("{}", diags.render(sources, color));
            eprintln!("{}", diags.summary());
        }
        MessageFormat::Json => eprint!("{}", diags.render_json(sources)),
    }
}

/// `tsigni watch`: the library watches and builds; this prints what it says.
fn watch(args: &WatchArgs) -> ExitCode {
    let common = &args.build.common;
    let has = |f| args.formats.contains(&f);
    let records = has(WatchFormat::Catalog);
    let formats: Vec<Format> = [
        (Format::Epub, WatchFormat::Epub),
        (Format::Pdf, WatchFormat::Pdf),
    ]
    .into_iter()
    .filter(|&(_, w)| records || has(w))
    .map(|(f, _)| f)
    .collect();
    let options = tsigni::watch::Options {
        manuscript: common.manuscript.clone(),
        output: args.build.output.clone(),
        formats,
        records,
        deny_warnings: common.deny_warnings,
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = tsigni::watch::run(&options, &mut |report| match report {
        Report::Watching(dir) => eprintln!("watching {} (Ctrl-C to stop)", dir.display()),
        Report::Diagnostics(diags, sources) => {
            print_diagnostics(common.message_format, color, diags, sources)
        }
        Report::Error(e) => eprintln!("error: {e}"),
        Report::Wrote(w, elapsed) => println!(
            "wrote {} ({}{}) in {elapsed:.0?}",
            w.path.display(),
            human_size(w.bytes),
            w.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
        ),
        Report::WroteRecord(w) => println!("wrote {} ({})", w.path.display(), human_size(w.bytes)),
        Report::Rebuilt(elapsed) => println!("rebuilt in {} ms", elapsed.as_millis()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

/// The catalogue records describe the exact files beside them: their names,
/// sizes, SHA-256 (of the bytes just written, not read back) and the PDF's
/// page count.
fn write_records(
    loaded: &tsigni::Loaded,
    books: &[(std::path::PathBuf, Vec<u8>, Option<usize>)],
) -> Result<(), ExitCode> {
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
    match tsigni::catalog::write(&loaded.book, dir, &slug, &files, pages) {
        Ok(ws) => {
            for w in ws {
                println!("wrote {} ({})", w.path.display(), human_size(w.bytes));
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(EXIT_IO))
        }
    }
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", bytes as f64 / 1024.0)
    }
}
