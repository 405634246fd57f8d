//! calibre (Debian's 6.13), the e-book manager most readers convert with,
//! as a real client of the EPUB: conversion to AZW3 (Kindle) with no
//! warning, conversion to plain text that keeps every word searchable, and
//! `ebook-meta` reading back the title, author and language.

#[path = "common/clients.rs"]
mod clients;
mod common;
#[path = "common/figures.rs"]
mod figures;

use clients::{calibre, count};
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The article's EPUB, built by the command line into a fresh directory.
fn article_epub() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let epub = dir.path().join("book.epub");
    let manuscript = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    common::build("epub", &manuscript, &epub);
    (dir, epub)
}

/// The text of the EPUB's spine, in order, as a reader sees it: markup
/// and soft hyphens taken out.
fn spine_text(epub: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).expect("epub")).expect("zip");
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the EPUB"))
            .read_to_string(&mut s)
            .expect("utf-8");
        s
    };
    let container = read("META-INF/container.xml");
    let opf_path = attr(&container, "full-path").expect("rootfile");
    let opf = read(&opf_path);
    let base = opf_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut text = String::new();
    for itemref in opf.split("<itemref").skip(1) {
        let id = attr(itemref, "idref").expect("idref");
        let item = opf
            .split("<item ")
            .find(|i| attr(i, "id").as_deref() == Some(&id))
            .unwrap_or_else(|| panic!("manifest item {id}"));
        let href = attr(item, "href").expect("href");
        let xhtml = read(format!("{base}/{href}").trim_start_matches('/'));
        text.push_str(&strip_markup(&xhtml));
        text.push('\n');
    }
    text.replace('\u{AD}', "")
}

/// The value of the first `name="…"` in `s`.
fn attr(s: &str, name: &str) -> Option<String> {
    let start = s.find(&format!("{name}=\""))? + name.len() + 2;
    let len = s[start..].find('"')?;
    Some(s[start..start + len].to_string())
}

/// The character data of the body of an XHTML document (entities other
/// than the five of XML do not occur: tsigni writes characters).
fn strip_markup(xhtml: &str) -> String {
    let body = xhtml.split_once("<body").map_or(xhtml, |(_, b)| b);
    let mut out = String::new();
    let mut in_tag = true; // the rest of the <body …> tag
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn combined(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn calibre_converts_the_epub_to_azw3_without_a_warning() {
    let (dir, epub) = article_epub();
    let azw3 = dir.path().join("book.azw3");
    let Some(out) = calibre("ebook-convert", &[epub.as_os_str(), azw3.as_os_str()]) else {
        return;
    };
    let log = combined(&out);
    let complaints: Vec<&str> = log
        .lines()
        .filter(|l| {
            let l = l.to_lowercase();
            l.contains("warn") || l.contains("error") || l.contains("traceback")
        })
        .collect();
    assert!(complaints.is_empty(), "calibre complains:\n{log}");
    let bytes = std::fs::read(&azw3).expect("the AZW3 is written");
    // A Mobipocket/KF8 file is a Palm database of type BOOK, creator MOBI.
    assert_eq!(bytes.get(60..68), Some(&b"BOOKMOBI"[..]), "an AZW3 file");
}

/// Depends on the EPUB storing no soft hyphens (branch `reading`): calibre
/// keeps each U+00AD in its text, and a search for a word then finds only
/// the few written without one.
#[test]
fn calibre_text_export_holds_every_word() {
    let (dir, epub) = article_epub();
    let txt = dir.path().join("book.txt");
    if calibre("ebook-convert", &[epub.as_os_str(), txt.as_os_str()]).is_none() {
        return;
    }
    let text = std::fs::read_to_string(&txt).expect("the text is written");
    let want = spine_text(&epub);
    for word in ["ჩინეთის", "სტალინი", "პეკინი", "საბჭოთა"]
    {
        let n = count(&want, word);
        assert!(n > 0, "the article has {word}");
        assert_eq!(count(&text, word), n, "{word} in calibre's text export");
    }
    let soft = text.matches('\u{AD}').count();
    assert_eq!(soft, 0, "calibre's text keeps {soft} soft hyphens");
}

/// The value of `name` in `ebook-meta`'s report.
fn field(meta: &str, name: &str) -> String {
    let line = meta
        .lines()
        .find(|l| l.split(':').next().map(str::trim) == Some(name))
        .unwrap_or_else(|| panic!("no {name} in:\n{meta}"));
    line.split_once(':')
        .map_or("", |(_, v)| v)
        .trim()
        .to_string()
}

#[test]
fn ebook_meta_reads_back_title_author_and_language() {
    let m = figures::Manuscript::new(&[("01.md", "# თავი\n\nტექსტი.\n")], &[], "");
    figures::built(&m);
    let Some(out) = calibre("ebook-meta", &[m.epub().as_os_str()]) else {
        return;
    };
    let meta = combined(&out);
    // book.toml of tests/common/figures.rs: title, authors, language "ka"
    // (calibre names languages by ISO 639-2).
    assert_eq!(field(&meta, "Title"), "ნახატები");
    assert_eq!(field(&meta, "Author(s)"), "ტესტი");
    assert_eq!(field(&meta, "Languages"), "kat");

    // The article names no author: calibre finds none to show.
    let l = tsigni::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"))
        .unwrap_or_else(|e| panic!("the manuscript does not load: {e}"));
    assert!(l.book.config.book.authors.is_empty());
    let (_dir, epub) = article_epub();
    let out = calibre("ebook-meta", &[OsStr::new(&epub)]).expect("calibre ran above");
    let meta = combined(&out);
    assert_eq!(field(&meta, "Title"), l.book.config.book.title);
    assert_eq!(field(&meta, "Author(s)"), "Unknown");
    assert_eq!(field(&meta, "Languages"), "kat");
}
