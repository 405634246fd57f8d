//! The command line: parse arguments, call the library, report.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tsigni::build::{Event, Kind, Request};
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
    /// Write a starter manuscript into DIR that builds at once.
    New(NewArgs),
    /// Turn text extracted from a PDF into a manuscript directory, and
    /// report every guess made.
    Import(ImportArgs),
}

#[derive(clap::Args)]
struct NewArgs {
    /// The manuscript directory to create.
    dir: PathBuf,
    /// Replace DIR if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The file to import (.txt: text extracted from a PDF).
    file: PathBuf,
    /// The manuscript directory to write (default `manuscript`).
    #[arg(long, default_value = "manuscript")]
    into: PathBuf,
    /// Replace the directory if it exists.
    #[arg(long)]
    force: bool,
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
    Html,
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
    /// Search DIR (and its subdirectories) for fonts covering characters the
    /// book's fonts lack, such as /usr/share/fonts (repeatable).
    #[arg(long, value_name = "DIR")]
    font_path: Vec<PathBuf>,
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
    let all = vec![Format::Epub, Format::Pdf, Format::Html];
    let (args, formats, records) = match &cli.command {
        Command::Epub(a) => (a, vec![Format::Epub], false),
        Command::Pdf(a) => (a, vec![Format::Pdf], false),
        Command::Html(a) => (a, vec![Format::Html], false),
        Command::All(a) | Command::Catalog(a) => (a, all, true),
        Command::Check(c) => return check(c),
        Command::Watch(w) => return watch(w),
        Command::New(n) => return new(n),
        Command::Import(i) => return import(i),
    };
    let common = &args.common;
    let mut report = Reporter::new(common);
    if let Err(code) = report.manuscript_is_a_directory(common) {
        return code;
    }
    let request = Request {
        manuscript: common.manuscript.clone(),
        allow: common.allow.clone(),
        font_paths: common.font_path.clone(),
        output: args.output.clone(),
        formats,
        records,
        deny_warnings: common.deny_warnings,
    };
    let started = Instant::now();
    let built = tsigni::build::run(&request, &mut |e| report.event(e));
    match built {
        Ok(built) => {
            if records {
                println!("built in {:.0?}", started.elapsed());
            }
            // The process ends here: freeing the book piece by piece would
            // only delay the exit.
            std::mem::forget(built);
            report.finish(EXIT_OK)
        }
        Err(e) => report.failed(e),
    }
}

/// `tsigni check`: reads and checks the manuscript, writes nothing.
fn check(common: &CommonArgs) -> ExitCode {
    let mut report = Reporter::new(common);
    if let Err(code) = report.manuscript_is_a_directory(common) {
        return code;
    }
    let started = Instant::now();
    let request = Request {
        manuscript: common.manuscript.clone(),
        allow: common.allow.clone(),
        font_paths: common.font_path.clone(),
        output: None,
        formats: Vec::new(),
        records: false,
        deny_warnings: common.deny_warnings,
    };
    match tsigni::build::run(&request, &mut |e| report.event(e)) {
        Ok(_) => {
            eprintln!(
                "checked {} in {:.0?}",
                common.manuscript.display(),
                started.elapsed()
            );
            report.finish(EXIT_OK)
        }
        Err(e) => report.failed(e),
    }
}

/// `tsigni new`: exit 2 when nothing could be written.
fn new(args: &NewArgs) -> ExitCode {
    match tsigni::new::create(&args.dir, args.force) {
        Ok(()) => {
            println!(
                "wrote {}/; build it with `tsigni all --manuscript {0}`",
                args.dir.display()
            );
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_IO)
        }
    }
}

/// `tsigni import`: the guesses on stdout; exit 1 for input that cannot be
/// imported, 2 when the manuscript cannot be written.
fn import(args: &ImportArgs) -> ExitCode {
    use tsigni::import::ImportError;
    match tsigni::import::import(&args.file, &args.into, args.force) {
        Ok(report) => {
            print!("{report}");
            println!(
                "wrote {}/ ({} guesses above); check it with `tsigni check --manuscript {0}`",
                args.into.display(),
                report.guesses.len()
            );
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            match e {
                ImportError::Input(_) => ExitCode::from(EXIT_MANUSCRIPT),
                _ => ExitCode::from(EXIT_IO),
            }
        }
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
        (Format::Html, WatchFormat::Html),
    ]
    .into_iter()
    .filter(|&(f, w)| has(w) || (records && f != Format::Html))
    .map(|(f, _)| f)
    .collect();
    let request = Request {
        manuscript: common.manuscript.clone(),
        allow: common.allow.clone(),
        font_paths: common.font_path.clone(),
        output: args.build.output.clone(),
        formats,
        records,
        deny_warnings: common.deny_warnings,
    };
    let mut report = Reporter::new(common);
    let result = tsigni::watch::run(&request, &mut |r| match r {
        Report::Watching(dir) => eprintln!("watching {} (Ctrl-C to stop)", dir.display()),
        Report::Build(e) => report.event(e),
        Report::Failed(e) => {
            report.failure(e);
            let _ = report.finish(EXIT_OK);
            report.reset();
        }
        Report::Lost(e) => eprintln!("error: {e}"),
        Report::Rebuilt(elapsed) => {
            let _ = report.finish(EXIT_OK);
            report.reset();
            println!("rebuilt in {} ms", elapsed.as_millis())
        }
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
    fn new(common: &CommonArgs) -> Reporter {
        Reporter {
            json: common.message_format == MessageFormat::Json,
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            errors: 0,
            warnings: 0,
        }
    }

    fn reset(&mut self) {
        self.errors = 0;
        self.warnings = 0;
    }

    /// A file (or anything but a directory) is a wrong argument, not a
    /// manuscript with problems.
    fn manuscript_is_a_directory(&mut self, common: &CommonArgs) -> Result<(), ExitCode> {
        match std::fs::metadata(&common.manuscript) {
            Ok(meta) if !meta.is_dir() => {
                self.io_error(format!(
                    "--manuscript {} is not a directory; pass the directory that holds book.toml",
                    common.manuscript.display()
                ));
                Err(self.finish(EXIT_IO))
            }
            _ => Ok(()),
        }
    }

    fn event(&mut self, e: Event) {
        match e {
            Event::Warnings(diags, sources) => self.diagnostics(diags, sources),
            Event::Fonts(lines) => {
                for line in lines {
                    println!("font for {line}");
                }
            }
            Event::Wrote(w) => {
                let size = tsigni::vfs::human_bytes(w.bytes);
                match w.kind {
                    Kind::Book => println!(
                        "wrote {} ({size}{}) in {:.0?}",
                        w.path.display(),
                        w.pages.map(|p| format!(", {p} pages")).unwrap_or_default(),
                        w.elapsed
                    ),
                    Kind::Edition => println!(
                        "wrote {}/ ({size}, {} files) in {:.0?}",
                        w.path.display(),
                        w.files.unwrap_or(0),
                        w.elapsed
                    ),
                    Kind::Record => println!("wrote {} ({size})", w.path.display()),
                }
            }
        }
    }

    /// A build's error: its diagnostics, or an I/O problem.
    fn failure(&mut self, e: &Error) {
        match e {
            Error::Manuscript {
                diagnostics,
                sources,
            } => self.diagnostics(diagnostics, sources),
            e => self.io_error(e),
        }
    }

    /// Reports a build's error and ends: exit 1 for the manuscript's, 2 for
    /// any other.
    fn failed(&mut self, e: Error) -> ExitCode {
        self.failure(&e);
        match e {
            Error::Manuscript { .. } => self.finish(EXIT_MANUSCRIPT),
            _ => self.finish(EXIT_IO),
        }
    }

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
