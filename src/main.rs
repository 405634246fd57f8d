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
const EXIT_OK: u8 = 0;
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
        Command::Watch(w) => return watch(w),
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
    if let Command::Check(_) = cli.command {
        eprintln!(
            "checked {} in {:.0?}",
            common.manuscript.display(),
            started.elapsed()
        );
        return report.finish(EXIT_OK);
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
        Some((_, Ok(Err(e)))) => return failed(&mut report, e),
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
            Err(e) => return failed(&mut report, e),
        }
    }
    let book_pages: Vec<Option<usize>> = books.iter().map(|(_, _, p)| *p).collect();
    let pages = book_pages.iter().find_map(|p| *p);
    let mut set: Vec<(PathBuf, Vec<u8>)> = books.into_iter().map(|(p, b, _)| (p, b)).collect();
    if with_records {
        let records = tsigni::records_beside(&mut loaded, &set, pages);
        set.extend(records);
    }
    // Nothing is written unless every output may be: a refusal leaves the
    // old files, and the inputs, as they were.
    let paths: Vec<&std::path::Path> = set.iter().map(|(p, _)| p.as_path()).collect();
    let web_dir = web.as_ref().map(|(dir, _)| dir.as_path());
    let written = tsigni::output::check_outputs(&paths, &loaded.inputs)
        .and_then(|()| match web_dir {
            Some(dir) => tsigni::output::check_dir_output(dir, &loaded.inputs),
            None => Ok(()),
        })
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
    if let Some((dir, files)) = &web {
        if let Err(e) = tsigni::output::replace_dir(dir, files) {
            return failed(&mut report, e);
        }
        let bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
        println!(
            "wrote {}/ ({}, {} files) in {:.0?}",
            dir.display(),
            tsigni::vfs::human_bytes(bytes),
            files.len(),
            load_time + t.elapsed()
        );
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
        allow: common.allow.clone(),
        output: args.build.output.clone(),
        formats,
        records,
        deny_warnings: common.deny_warnings,
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = tsigni::watch::run(&options, &mut |report| match report {
        Report::Watching(dir) => eprintln!("watching {} (Ctrl-C to stop)", dir.display()),
        Report::Diagnostics(diags, sources) => {
            let mut r = Reporter {
                json: common.message_format == MessageFormat::Json,
                color,
                errors: 0,
                warnings: 0,
            };
            r.diagnostics(diags, sources);
            let _ = r.finish(EXIT_OK);
        }
        Report::Error(e) => eprintln!("error: {e}"),
        Report::Wrote(w, elapsed) => println!(
            "wrote {} ({}{}) in {elapsed:.0?}",
            w.path.display(),
            tsigni::vfs::human_bytes(w.bytes),
            w.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
        ),
        Report::WroteRecord(w) => println!(
            "wrote {} ({})",
            w.path.display(),
            tsigni::vfs::human_bytes(w.bytes)
        ),
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
