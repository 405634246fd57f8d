//! Every input the fuzzer ever crashed or hung on (`fuzz/regressions/`), and
//! its seeds, run through the same steps as the fuzz target: reading, EPUB
//! writing and PDF layout. None may panic.

use std::path::{Path, PathBuf};
use tsigni::vfs::MemFs;

const BOOK_TOML: &str = r#"[book]
title = "ფაზი"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-00000000f022"
chapters = ["ch.md"]
[bibliography]
locales = ["locale-ka.xml"]
"#;
const REFERENCES: &str = "snow1961:\n  type: misc\n  author: Snow\n  date: 1961\n";

/// The fuzz target's harness (fuzz/fuzz_targets/book.rs), kept in step with it.
fn run(data: &[u8]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
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
    for f in ["style.csl", "locale-ka.xml"] {
        fs.insert(
            format!("m/{f}"),
            std::fs::read(root.join("manuscript").join(f)).unwrap(),
        );
    }
    if let Ok(loaded) = tsigni::load_with(&fs, Path::new("m")) {
        let _ = tsigni::render(&loaded, tsigni::Format::Epub);
        let _ = tsigni::render(&loaded, tsigni::Format::Pdf);
    }
}

fn inputs(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    v.sort();
    v
}

#[test]
fn fuzz_regressions_do_not_panic() {
    for p in inputs("fuzz/regressions") {
        let data = std::fs::read(&p).unwrap();
        let r = std::panic::catch_unwind(|| run(&data));
        assert!(r.is_ok(), "{} panics again", p.display());
    }
}

#[test]
fn fuzz_seeds_do_not_panic() {
    let seeds = inputs("fuzz/seeds");
    assert!(seeds.len() > 20);
    for p in seeds {
        run(&std::fs::read(&p).unwrap());
    }
}
