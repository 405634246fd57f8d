//! Small hostile files, as an author uploading to a build server might send
//! them: each ends with a clear error or a correct book, quickly, and none
//! crashes. Large inputs are generated here, never committed. Time bounds are
//! generous (debug builds, a shared machine); how time grows with size is
//! measured by `benches/hostile_growth.rs`, not here.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};
use tsigni::vfs::MemFs;
use tsigni::Format;

const STYLE: &str = include_str!("../manuscript/style.csl");
const LOCALE: &str = include_str!("../manuscript/locale-ka.xml");

/// A guard against superlinear blow-ups (a quadratic pass over these inputs
/// runs for many minutes), not a speed measurement: speed is measured by
/// scripts/bench.sh. The bound is loose because the debug build shares a
/// two-core machine with other test binaries.
const DEBUG_BOUND: Duration = Duration::from_secs(60);

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
    let full = toml("references.yaml");
    let without_citing = full.split("[bibliography]").next().unwrap_or_default();
    fs.insert("m/book.toml", without_citing);
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
    let built = |f| match tsigni::render(loaded, f) {
        Ok(r) => r.bytes().to_vec(),
        // Not the error itself: it holds the (large) sources.
        Err(e) => panic!("{f:?} not built: {}", short(&e)),
    };
    let epub = built(Format::Epub);
    assert!(epub.len() > 1000);
    let pdf = built(Format::Pdf);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(t.elapsed() < DEBUG_BOUND, "took {:?}", t.elapsed());
}

/// The codes and messages of an error, without its sources.
fn short(e: &tsigni::Error) -> String {
    match e {
        tsigni::Error::Manuscript { diagnostics, .. } => diagnostics
            .list
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
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

/// `open` and `close` wrapped `n` times around a word.
fn nested(open: &str, close: &str, n: usize) -> String {
    format!("{}ქ{}", open.repeat(n), close.repeat(n))
}

#[test]
fn twenty_thousand_nested_stars_build() {
    // Reading, the model's text helpers, coverage, EPUB and PDF writers.
    let md = format!("# სათაური\n\n{}\n", nested("*", "*", 20_000));
    let loaded = load(&chapter(md)).expect("loads");
    let codes: Vec<_> = loaded.warnings.list.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"too-deep"), "{codes:?}");
    renders(&loaded);
}

#[test]
fn deep_emphasis_links_and_quotes_in_every_place_build() {
    // Headings feed the contents, outline and catalogue records; notes and
    // list items their own walkers.
    let deep = [
        nested("*", "*", 5_000),
        nested("**", "**", 5_000),
        format!("[{}](https://example.org)", nested("*", "*", 5_000)),
        nested("_**", "**_", 3_000),
    ];
    for d in deep {
        let md = format!("# {d}\n\n## {d}\n\n{d}[^n]\n\n- {d}\n\n> {d}\n\n[^n]: {d}\n");
        let loaded = load(&chapter(md)).expect("loads");
        renders(&loaded);
        let files = [tsigni::catalog::describe_bytes("b.epub", b"x")];
        let records = tsigni::catalog::records(&loaded.book, &files, Some(1));
        assert!(records.iter().all(|(_, bytes)| !bytes.is_empty()));
    }
}

#[test]
fn a_hundred_thousand_brackets_in_text_read_in_linear_time() {
    let md = format!("# სათაური\n\n{}ქ] [@nowhere\n", "[".repeat(100_000));
    let loaded = load(&chapter(md)).expect("loads");
    renders(&loaded);
}

/// The text of a rendered PDF, when pdftotext is installed.
fn pdf_text(loaded: &tsigni::Loaded) -> Option<String> {
    let bytes = tsigni::render(loaded, Format::Pdf)
        .expect("PDF")
        .bytes()
        .to_vec();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("b.pdf");
    std::fs::write(&path, bytes).expect("write");
    common::pdftotext(&path, None, None)
}

fn epub_text(loaded: &tsigni::Loaded) -> String {
    let bytes = tsigni::render(loaded, Format::Epub)
        .expect("EPUB")
        .bytes()
        .to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        if f.name().ends_with(".xhtml") {
            std::io::Read::read_to_string(&mut f, &mut all).expect("utf-8");
        }
    }
    // Without the soft hyphens of hyphenation.
    all.replace('\u{AD}', "")
}

#[test]
fn a_note_referenced_only_from_a_note_is_numbered_and_set_in_both_books() {
    let md = "# სათაური\n\nპირველი[^a] და მეორე[^c].\n\n[^a]: გარე[^b].\n\n[^b]: შიგნით.\n\n[^c]: მესამე.\n";
    let loaded = load(&chapter(md)).expect("loads");
    let labels: Vec<_> = loaded
        .book
        .notes
        .iter()
        .map(|n| (n.number, n.label.as_str()))
        .collect();
    // Numbered where it is met: right after the note that references it.
    assert_eq!(labels, [(1, "a"), (2, "b"), (3, "c")]);
    let epub = epub_text(&loaded);
    assert!(epub.contains("შიგნით"));
    if let Some(text) = pdf_text(&loaded) {
        let (a, b, c) = (
            text.find("გარე").expect("a"),
            text.find("შიგნით").expect("the inner note in the PDF"),
            text.find("მესამე").expect("c"),
        );
        assert!(a < b && b < c, "notes out of order: {text}");
    }
}

#[test]
fn notes_chained_through_notes_ten_thousand_deep_build() {
    let mut md = String::from("# სათაური\n\nტექსტი[^n0].\n\n");
    for i in 0..10_000 {
        md.push_str(&format!("[^n{i}]: შენიშვნა[^n{}].\n\n", i + 1));
    }
    md.push_str("[^n10000]: ბოლო.\n");
    let loaded = load(&chapter(md)).expect("loads");
    assert_eq!(loaded.book.notes.len(), 10_001);
    assert_eq!(loaded.book.notes[10_000].label, "n10000");
    renders(&loaded);
}

#[test]
fn cr_and_crlf_files_read_as_lf_with_places_by_line() {
    let lf = "# სათაური\n\nპირველი სტრიქონი\nმეორე [@nowhere].\n\n- ა\n- ბ\n";
    for eol in ["\r\n", "\r"] {
        let text = lf.replace('\n', eol);
        let mut fs = cited("r.yaml", "a:\n  type: book\n", "");
        fs.insert("m/ch.md", text);
        let e = errors(&fs);
        // The unknown citation stands on line 4, column 7, as the author sees it.
        assert!(has(&e, "unknown-citation", "m/ch.md:4:7"), "{eol:?}: {e:?}");
        fs.insert("m/r.yaml", "nowhere:\n  type: book\n  title: T\n");
        let loaded = load(&fs).expect("loads");
        let blocks = &loaded.book.chapters[0].blocks;
        assert_eq!(blocks.len(), 3, "{eol:?}: {blocks:?}");
    }
}

/// The manuscript's style with `macros` added and the citation layout
/// starting with `call`.
fn style_with(macros: &str, call: &str) -> String {
    let with_macros = STYLE.replacen(
        "  <macro name=\"author\">",
        &format!("{macros}\n  <macro name=\"author\">"),
        1,
    );
    with_macros.replacen(
        "<layout prefix=\"(\" suffix=\")\" delimiter=\"; \">",
        &format!("<layout prefix=\"(\" suffix=\")\" delimiter=\"; \">{call}"),
        1,
    )
}

fn styled(style: String) -> MemFs {
    let mut fs = cited(
        "r.yaml",
        "a:\n  type: book\n  title: T\n  author: Snow\n  date: 1961\n",
        "[@a]",
    );
    fs.insert("m/style.csl", style);
    fs
}

#[test]
fn recursive_csl_macros_are_errors_at_the_call() {
    let own = style_with(
        r#"<macro name="loop"><text macro="loop"/></macro>"#,
        r#"<text macro="loop"/>"#,
    );
    let e = errors(&styled(own));
    assert!(has(&e, "style", "macro \"loop\" calls itself"), "{e:?}");
    // The macros are inserted before line 13, the first on one line.
    assert!(e[0].1.starts_with("m/style.csl:13:20:"), "{e:?}");
    let pair = style_with(
        r#"<macro name="ping"><group><text macro="pong"/></group></macro><macro name="pong"><text macro="ping"/></macro>"#,
        r#"<text macro="ping"/>"#,
    );
    assert!(has(&errors(&styled(pair)), "style", "ping → pong → ping"));
}

#[test]
fn three_thousand_nested_groups_are_refused() {
    let groups = format!(
        "{}<text value=\"x\"/>{}",
        "<group>".repeat(3000),
        "</group>".repeat(3000)
    );
    let e = errors(&styled(style_with("", &groups)));
    assert!(has(&e, "style", "nested deeper than 64"), "{e:?}");
}

#[test]
fn an_undefined_csl_macro_is_an_error_where_it_is_called() {
    let e = errors(&styled(style_with("", r#"<text macro="nowhere"/>"#)));
    assert!(
        has(&e, "style", "macro \"nowhere\" is called but never defined"),
        "{e:?}"
    );
    assert!(e[0].1.starts_with("m/style.csl:71:"), "{e:?}");
}

#[test]
fn a_csl_style_that_is_not_xml_is_an_error_at_its_place() {
    let e = errors(&styled(STYLE.replacen("</citation>", "</citatio>", 1)));
    assert!(has(&e, "style", "not well-formed XML"), "{e:?}");
    let line = STYLE[..STYLE.find("</citation>").unwrap_or(0)]
        .matches('\n')
        .count()
        + 1;
    assert!(e[0].1.starts_with(&format!("m/style.csl:{line}:")), "{e:?}");
}

/// Writes `fs`'s manuscript under a temporary directory, for the command.
fn on_disk(fs: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, data) in fs {
        std::fs::write(dir.path().join(name), data).expect("write");
    }
    dir
}

fn tsigni(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

#[test]
fn ten_thousand_unknown_citations_with_escapes_on_one_line_print_a_few_kilobytes() {
    let line: Vec<String> = (0..10_000)
        .map(|i| format!("x\u{1b}]0;title\u{7}\u{1b}[2J [@nokey{i}]"))
        .collect();
    let refs = b"a:\n  type: book\n  title: T\n".to_vec();
    let dir = on_disk(&[
        ("book.toml", toml("r.yaml").into_bytes()),
        (
            "ch.md",
            format!("# სათაური\n\n{}\n", line.join(" ")).into_bytes(),
        ),
        ("r.yaml", refs),
        ("style.csl", STYLE.into()),
        ("locale-ka.xml", LOCALE.into()),
    ]);
    let t = Instant::now();
    let out = tsigni(&[
        "check".as_ref(),
        "--manuscript".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert!(t.elapsed() < DEBUG_BOUND, "took {:?}", t.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.stderr.len() < 20_000,
        "{} bytes of diagnostics",
        out.stderr.len()
    );
    assert!(
        !out.stderr.iter().any(|&b| b == 0x1b || b == 0x07),
        "raw control bytes"
    );
    assert!(err.contains("\\u{1b}]0;title\\u{7}"), "{err}");
    assert!(
        err.contains("and 9,995 more unknown-citation errors"),
        "{err}"
    );
    // Cut around the span: no shown line is much longer than the limit.
    let longest = err.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a line of {longest} characters");
    assert!(err.contains("ch.md:3:"), "{err}");
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("10,000 errors, "), "{last}");
}

#[test]
fn a_manuscript_that_is_a_file_is_a_usage_error() {
    let dir = on_disk(&[("book.toml", toml("r.yaml").into_bytes())]);
    let file = dir.path().join("book.toml");
    let out = tsigni(&["check".as_ref(), "--manuscript".as_ref(), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a directory"), "{err}");
}

#[test]
fn an_io_error_is_printed_before_the_summary() {
    let dir = on_disk(&[
        (
            "book.toml",
            toml("r.yaml")
                .split("[bibliography]")
                .next()
                .unwrap_or_default()
                .into(),
        ),
        ("ch.md", b"# \xe1\x83\xa1\n\ntext\n".to_vec()),
        ("blocker", b"a file".to_vec()),
    ]);
    let output = dir.path().join("blocker").join("book.epub");
    let out = tsigni(&[
        "epub".as_ref(),
        "--manuscript".as_ref(),
        dir.path().as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let io = err.find("error: ").expect("the I/O error");
    let summary = err
        .find("1 error, 2 warnings")
        .expect("the summary counts it");
    assert!(io < summary, "{err}");
}

#[test]
fn a_csl_value_citationberg_refuses_is_reported_where_it_stands() {
    let bad = STYLE.replacen(
        "<text macro=\"title\"",
        "<text macro=\"title\" font-style=\"slanted\"",
        1,
    );
    let e = errors(&styled(bad.clone()));
    let line = bad[..bad.find("slanted").unwrap_or(0)]
        .matches('\n')
        .count()
        + 1;
    assert!(e[0].1.starts_with(&format!("m/style.csl:{line}:")), "{e:?}");
}

#[test]
fn ten_thousand_unknown_citations_among_sixty_thousand_references_are_quick() {
    let mut yaml = String::new();
    for i in 0..60_000 {
        yaml.push_str(&format!("key{i}:\n  type: book\n  title: T\n"));
    }
    let cites: Vec<String> = (0..10_000).map(|i| format!("[@missing{i}]")).collect();
    let e = errors(&cited("r.yaml", yaml, &cites.join(" ")));
    assert_eq!(
        e.iter().filter(|(c, _)| *c == "unknown-citation").count(),
        10_000
    );
}
