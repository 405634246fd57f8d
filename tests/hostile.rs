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
            .filter(|d| d.severity == tsigni::diagnostics::Severity::Error)
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

#[test]
fn crossref_to_itself_and_two_cycles_are_errors() {
    let own = cited("r.bib", "@book{a, crossref={a}, title={A}}\n", "[@a]");
    assert!(has(&errors(&own), "references", "cycle: a → a"));
    let two = cited(
        "r.bib",
        "@book{a, crossref={b}, title={A}}\n@book{b, xdata={a}, title={B}}\n",
        "[@a]",
    );
    let e = errors(&two);
    assert!(has(&e, "references", "a → b → a"), "{e:?}");
    assert!(e[0].1.contains("r.bib:2:16"), "{e:?}");
}

#[test]
fn a_crossref_chain_of_twenty_thousand_is_refused() {
    let mut bib = String::new();
    for i in 0..20_000 {
        bib.push_str(&format!(
            "@book{{e{i}, crossref={{e{}}}, title={{T}}}}\n",
            i + 1
        ));
    }
    let e = errors(&cited("r.bib", bib, "[@e0]"));
    assert!(
        has(&e, "references", "more than 32 crossref/xdata links"),
        "{e:?}"
    );
}

#[test]
fn doubling_strings_are_refused_at_the_string() {
    // 805 bytes that expand to 612 MB, then 39 levels that never ended.
    for levels in [26, 39] {
        let mut bib = String::from("@string{s0 = \"abcdefghij\"}\n");
        for i in 1..levels {
            bib.push_str(&format!("@string{{s{i} = s{0} # s{0}}}\n", i - 1));
        }
        bib.push_str(&format!("@book{{a, title = s{}}}\n", levels - 1));
        let e = errors(&cited("r.bib", bib, "[@a]"));
        assert!(
            has(&e, "references", "expands to") || has(&e, "references", "nested"),
            "{e:?}"
        );
    }
}

#[test]
fn a_hundred_thousand_nested_braces_in_biblatex() {
    let bib = format!(
        "@book{{a, title={{{}x{}}}, author={{Snow}}, date={{1961}}}}\n",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    let e = errors(&cited("r.bib", bib, "[@a]"));
    assert!(
        has(&e, "references", "pieces between braces; at most 256"),
        "{e:?}"
    );
}

#[test]
fn a_hundred_thousand_yaml_brackets_are_refused() {
    let yaml = format!("a: {}", "[".repeat(100_000));
    let e = errors(&cited("r.yaml", yaml, "[@a]"));
    assert!(has(&e, "references", "nested deeper than 64"), "{e:?}");
    assert!(e[0].1.contains("r.yaml:1:68"), "{e:?}");
}

#[test]
fn sixty_thousand_references_load() {
    let mut yaml = String::new();
    let mut bib = String::new();
    for i in 0..60_000 {
        yaml.push_str(&format!(
            "k{i}:\n  type: book\n  title: T{i}\n  author: Snow\n  date: 1961\n"
        ));
        bib.push_str(&format!(
            "@book{{k{i}, title={{T{i}}}, author={{Snow}}, date={{1961}}}}\n"
        ));
    }
    for (name, refs) in [("r.yaml", yaml), ("r.bib", bib)] {
        let loaded = load(&cited(name, refs, "[@k5]; [@k59999]")).expect("loads");
        assert_eq!(loaded.book.bibliography.len(), 2, "{name}");
    }
}
