//! Small hostile files, as an author uploading to a build server might send
//! them: each ends with a clear error or a correct book, quickly, and none
//! crashes. Large inputs are generated here, never committed. Time bounds are
//! generous (debug builds, a shared machine); how time grows with size is
//! measured by `benches/hostile_growth.rs`, not here.

use std::path::Path;
use std::time::{Duration, Instant};
use tsigni::vfs::MemFs;
use tsigni::Format;

const STYLE: &str = include_str!("../manuscript/style.csl");
const LOCALE: &str = include_str!("../manuscript/locale-ka.xml");

/// A debug build on a shared two-core machine is ten times slower than the
/// release build the 2 s goal is about.
const DEBUG_BOUND: Duration = Duration::from_secs(10);

fn toml(references: &str) -> String {
    format!(
        r#"[book]
title = "მტრული"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-0000000000aa"
chapters = ["ch.md"]
[bibliography]
references = "{references}"
locales = ["locale-ka.xml"]
"#
    )
}

/// A manuscript citing `cites` with `references` as its references file.
fn cited(name: &str, references: impl Into<Vec<u8>>, cites: &str) -> MemFs {
    let mut fs = MemFs::new();
    fs.insert("m/book.toml", toml(name));
    fs.insert("m/ch.md", format!("# სათაური\n\nტექსტი {cites}.\n"));
    fs.insert(format!("m/{name}"), references);
    fs.insert("m/style.csl", STYLE);
    fs.insert("m/locale-ka.xml", LOCALE);
    fs
}

fn chapter(md: impl Into<Vec<u8>>) -> MemFs {
    let mut fs = MemFs::new();
    fs.insert(
        "m/book.toml",
        toml("references.yaml").replace("[bibliography]", "[unused]"),
    );
    fs.insert("m/ch.md", md);
    fs
}

/// Loads the book, timed; the error codes when it fails.
fn load(fs: &MemFs) -> Result<tsigni::Loaded, Vec<(&'static str, String)>> {
    let t = Instant::now();
    let r = tsigni::load_with(fs, Path::new("m"));
    assert!(t.elapsed() < DEBUG_BOUND, "took {:?}", t.elapsed());
    match r {
        Ok(l) => Ok(l),
        Err(tsigni::Error::Manuscript {
            diagnostics,
            sources,
        }) => Err(diagnostics
            .list
            .iter()
            .map(|d| {
                let at = d.span.map(|s| sources.location(s)).unwrap_or_default();
                (d.code, format!("{at}: {}", d.message))
            })
            .collect()),
        Err(e) => panic!("not a manuscript error: {e}"),
    }
}

/// The errors of a manuscript that must not load.
fn errors(fs: &MemFs) -> Vec<(&'static str, String)> {
    match load(fs) {
        Ok(_) => panic!("loaded"),
        Err(e) => e,
    }
}

fn has(errors: &[(&str, String)], code: &str, text: &str) -> bool {
    errors.iter().any(|(c, m)| *c == code && m.contains(text))
}

/// Renders both books, timed.
fn renders(loaded: &tsigni::Loaded) {
    let t = Instant::now();
    let epub = tsigni::render(loaded, Format::Epub).expect("EPUB");
    assert!(epub.0.len() > 1000);
    let pdf = tsigni::render(loaded, Format::Pdf).expect("PDF");
    assert!(pdf.0.starts_with(b"%PDF-"));
    assert!(t.elapsed() < DEBUG_BOUND, "took {:?}", t.elapsed());
}
