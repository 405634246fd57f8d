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
    /// Build the web edition: a directory of HTML pages (default
    /// target/book/<slug>/), replaced as a whole.
    Html(BuildArgs),
    /// Build the EPUB, the PDF, the web edition and the catalogue records.
    All(BuildArgs),
    /// Build the EPUB, the PDF, the web edition and the catalogue records
    /// (MARCXML, Dublin Core, CSL-JSON, BibTeX, RIS) beside them.
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
    /// path, the PDF going beside it and the web edition into a directory of
    /// the same name without extension; with `html`, the directory.
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
        Command::Html(a) => (&a.common, vec![], a.output.clone()),
        Command::All(a) | Command::Catalog(a) => {
            (&a.common, vec![Format::Epub, Format::Pdf], a.output.clone())
        }
        Command::Check(c) => (c, vec![], None),
    };
    let started = Instant::now();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let report = |diags: &tsigni::diagnostics::Diagnostics,
                  sources: &tsigni::diagnostics::SourceMap| {
        if diags.is_empty() {
            return;
        }
        match common.message_format {
            MessageFormat::Human => {
                eprint!("{}", diags.render(sources, color));
                eprintln!("{}", diags.summary());
            }
            MessageFormat::Json => eprint!("{}", diags.render_json(sources)),
        }
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
    if let Command::Check(_) = cli.command {
        eprintln!(
            "checked {} in {:.0?}",
            common.manuscript.display(),
            started.elapsed()
        );
        return ExitCode::SUCCESS;
    }
    let with_records = matches!(cli.command, Command::All(_) | Command::Catalog(_));
    let web = web_output(&cli.command, &loaded, &output);
    // Every format is rendered (in parallel) before any is written, so a
    // manuscript error leaves all previous outputs as they were.
    let t = Instant::now();
    let (rendered, web) = std::thread::scope(|s| {
        let site = web
            .as_ref()
            .map(|(dir, pdf)| (dir, s.spawn(|| tsigni::render_web(&loaded, pdf.as_deref()))));
        let rendered = tsigni::render_all(&loaded, &formats);
        let site = site.map(|(dir, h)| (dir.clone(), h.join()));
        (rendered, site)
    });
    let web = match web {
        None => None,
        Some((dir, Ok(Ok(files)))) => Some((dir, files)),
        Some((_, Ok(Err(e)))) => return fail(e, &report),
        Some((_, Err(_))) => {
            eprintln!("error: the web edition's writer panicked");
            return ExitCode::from(EXIT_IO);
        }
    };
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
            Err(e) => return fail(e, &report),
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
    if let Some((dir, files)) = &web {
        if let Err(e) = tsigni::output::replace_dir(dir, files) {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_IO);
        }
        let bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
        println!(
            "wrote {}/ ({}, {} files) in {:.0?}",
            dir.display(),
            human_size(bytes),
            files.len(),
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

/// Reports a build error: diagnostics for the manuscript, else an I/O error.
fn fail(
    e: Error,
    report: &dyn Fn(&tsigni::diagnostics::Diagnostics, &tsigni::diagnostics::SourceMap),
) -> ExitCode {
    match e {
        Error::Manuscript {
            diagnostics,
            sources,
        } => {
            report(&diagnostics, &sources);
            ExitCode::from(EXIT_MANUSCRIPT)
        }
        e => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

/// Where the web edition goes, if this command builds it, and the PDF's
/// address from there when the PDF is built beside it: `all -o x/NAME`
/// writes `x/NAME.epub`, `x/NAME.pdf` and `x/NAME/`.
fn web_output(
    command: &Command,
    loaded: &tsigni::Loaded,
    output: &Option<PathBuf>,
) -> Option<(PathBuf, Option<String>)> {
    match command {
        Command::Html(_) => Some((
            output
                .clone()
                .unwrap_or_else(|| tsigni::default_web_output(loaded)),
            None,
        )),
        Command::All(_) | Command::Catalog(_) => {
            let pdf = match output {
                Some(p) => p.with_extension("pdf"),
                None => tsigni::default_output(loaded, Format::Pdf),
            };
            let dir = pdf.with_extension("");
            let href = pdf
                .file_name()
                .map(|n| format!("../{}", n.to_string_lossy()));
            Some((dir, href))
        }
        _ => None,
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
