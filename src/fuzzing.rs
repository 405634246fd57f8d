//! The fuzz harness, shared by the cargo-fuzz target (`fuzz/`) and the test
//! that replays every input it ever crashed on (`tests/fuzz_regressions.rs`).

use crate::vfs::MemFs;
use std::path::Path;

const BOOK_TOML: &str = r#"[book]
title = "ფაზი"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-00000000f022"
chapters = ["ch.md"]
[bibliography]
locales = ["locale-ka.xml"]
"#;
const REFERENCES: &str = "snow1961:\n  type: misc\n  author: Snow\n  date: 1961\n";
const STYLE: &str = include_str!("../manuscript/style.csl");
const LOCALE: &str = include_str!("../manuscript/locale-ka.xml");

/// Reads, writes the EPUB of and lays out the book that `data` describes.
///
/// The input is split at NUL bytes: chapter Markdown, then (optionally) the
/// whole book.toml, then (optionally) references.yaml. Without a book.toml
/// part a valid one is used, so most inputs exercise the Markdown reader.
pub fn run(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == 0);
    let chapter = parts.next().unwrap_or_default();
    let toml = parts.next();
    let refs = parts.next();
    let mut fs = MemFs::new();
    fs.insert("m/ch.md", chapter.to_vec());
    fs.insert(
        "m/book.toml",
        toml.map(<[u8]>::to_vec).unwrap_or_else(|| BOOK_TOML.into()),
    );
    fs.insert(
        "m/references.yaml",
        refs.map(<[u8]>::to_vec)
            .unwrap_or_else(|| REFERENCES.into()),
    );
    fs.insert("m/style.csl", STYLE);
    fs.insert("m/locale-ka.xml", LOCALE);
    if let Ok(loaded) = crate::load_with(&fs, Path::new("m")) {
        let _ = crate::render(&loaded, crate::Format::Epub);
        let _ = crate::render(&loaded, crate::Format::Pdf);
    }
}
