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
/// whole book.toml, then (optionally) the references, then (optionally) the
/// CSL style. Without a book.toml part (or with an empty one) a valid one is
/// used, so most inputs
/// exercise the Markdown reader. References that start with `@` or `%` are
/// BibLaTeX (references.bib), others hayagriva YAML. When references or a
/// style are given, the chapter also cites `@snow1961`, so they are read.
pub fn run(data: &[u8]) {
    let mut parts = data.splitn(4, |&b| b == 0);
    let chapter = parts.next().unwrap_or_default();
    let toml = parts.next().filter(|t| !t.is_empty());
    let refs = parts.next();
    let style = parts.next();
    let bib = refs.is_some_and(|r| matches!(r.first(), Some(b'@' | b'%')));
    let mut fs = MemFs::new();
    let mut md = chapter.to_vec();
    if refs.is_some() || style.is_some() {
        md.extend_from_slice(b"\n\n[@snow1961]\n");
    }
    fs.insert("m/ch.md", md);
    let default_toml = if bib {
        BOOK_TOML.replace(
            "[bibliography]",
            "[bibliography]\nreferences = \"references.bib\"",
        )
    } else {
        BOOK_TOML.to_string()
    };
    fs.insert(
        "m/book.toml",
        toml.map(<[u8]>::to_vec)
            .unwrap_or_else(|| default_toml.into()),
    );
    let refs = refs
        .map(<[u8]>::to_vec)
        .unwrap_or_else(|| REFERENCES.into());
    fs.insert("m/references.bib", refs.clone());
    fs.insert("m/references.yaml", refs);
    fs.insert(
        "m/style.csl",
        style.map(<[u8]>::to_vec).unwrap_or_else(|| STYLE.into()),
    );
    fs.insert("m/locale-ka.xml", LOCALE);
    if let Ok(loaded) = crate::load_with(&fs, Path::new("m")) {
        let _ = crate::render(&loaded, crate::Format::Epub);
        let _ = crate::render(&loaded, crate::Format::Pdf);
    }
}
