//! Hostile manuscripts: each builds, or fails with a clear error; none panics
//! or hangs. How the time grows with size is measured by the benchmark, not here.

use std::path::Path;
use tsigni::vfs::MemFs;
use tsigni::Format;

const BOOK_TOML: &str = r#"[book]
title = "სტრესი"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-0000000000ff"
chapters = ["ch.md"]
"#;

fn book(chapter: String) -> MemFs {
    let mut fs = MemFs::new();
    fs.insert("m/book.toml", BOOK_TOML);
    fs.insert("m/ch.md", chapter);
    fs
}

/// Loads and renders both formats; returns the loaded book's warnings codes.
fn builds(fs: &MemFs) -> (tsigni::Loaded, Vec<&'static str>) {
    let loaded = match tsigni::load_with(fs, Path::new("m")) {
        Ok(l) => l,
        Err(e) => panic!("does not load: {e}"),
    };
    let epub = tsigni::render(&loaded, Format::Epub).expect("EPUB");
    assert!(epub.0.len() > 1000);
    let pdf = tsigni::render(&loaded, Format::Pdf).expect("PDF");
    assert!(pdf.0.starts_with(b"%PDF-"));
    let codes = loaded.warnings.list.iter().map(|d| d.code).collect();
    (loaded, codes)
}

#[test]
fn a_megabyte_paragraph_without_spaces() {
    let word = "ა".repeat(1024 * 1024 / 3);
    let (loaded, _) = builds(&book(format!("# სათაური\n\n{word}\n")));
    assert_eq!(loaded.book.chapters[0].blocks.len(), 2);
}

#[test]
fn ten_thousand_footnotes() {
    let mut md = String::from("# სათაური\n\n");
    for i in 0..10_000 {
        md.push_str(&format!("ტექსტი {i}.[^n{i}]\n"));
    }
    md.push('\n');
    for i in 0..10_000 {
        md.push_str(&format!("[^n{i}]: შენიშვნა {i}.\n\n"));
    }
    let (loaded, codes) = builds(&book(md));
    assert_eq!(loaded.book.notes.len(), 10_000);
    assert_eq!(loaded.book.notes[9_999].number, 10_000);
    assert!(!codes.contains(&"unused-footnote"));
}

#[test]
fn block_quotes_nested_ten_thousand_deep_are_flattened() {
    let md = format!("# სათაური\n\n{} ციტატა\n", ">".repeat(10_000));
    let (_, codes) = builds(&book(md));
    assert!(codes.contains(&"too-deep"));
}

#[test]
fn lists_nested_a_thousand_deep_are_flattened() {
    let mut md = String::from("# სათაური\n\n");
    for i in 0..1_000 {
        md.push_str(&"  ".repeat(i));
        md.push_str("- ა\n");
    }
    let (_, codes) = builds(&book(md));
    assert!(codes.contains(&"too-deep"));
}

#[test]
fn a_fifty_megabyte_chapter_is_refused_clearly() {
    let para = "ჩინეთ-საბჭოთა ურთიერთობები 1950-1980 წლებში. ".repeat(40) + "\n\n";
    let md = format!(
        "# სათაური\n\n{}",
        para.repeat(50 * 1024 * 1024 / para.len() + 1)
    );
    let fs = book(md);
    match tsigni::load_with(&fs, Path::new("m")) {
        Ok(_) => panic!("a 50 MB chapter was accepted"),
        Err(tsigni::Error::Manuscript { diagnostics, .. }) => {
            let d = &diagnostics.list[diagnostics.list.len() - 1];
            assert!(
                diagnostics
                    .list
                    .iter()
                    .any(|d| d.code == "chapter-too-large" && d.message.contains("at most 8 MiB")),
                "{:?}",
                d.message
            );
        }
        Err(e) => panic!("unexpected error {e}"),
    }
}

#[test]
fn control_characters_and_odd_markup_do_not_break_the_xml() {
    let md =
        "# სა\u{1}თაური <b>html</b>\n\nტექ\u{7}სტი & < > \"x\" ' [^\n\n* * *\n\n```\ncode <\n```\n";
    let (_, codes) = builds(&book(md.to_string()));
    assert!(codes.contains(&"raw-html"));
    // An empty citation is the author's mistake, reported at its place.
    let fs = book(format!("{md}\n[@]\n"));
    match tsigni::load_with(&fs, Path::new("m")) {
        Err(tsigni::Error::Manuscript { diagnostics, .. }) => {
            assert!(diagnostics.list.iter().any(|d| d.code == "bad-citation"));
        }
        _ => panic!("[@] was accepted"),
    }
}
