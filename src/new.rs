//! `tsigni new DIR`: a starter manuscript that builds at once, showing each
//! thing an author needs (metadata, a chapter with a note and a citation,
//! a references file with real entries), so that the first edit is to
//! replace text rather than to look up a format.

use crate::import::{write_manuscript, Files, ImportError};
use std::path::Path;

/// Writes the starter manuscript into `dir` (refused if it exists, unless
/// `force`), as one set.
pub fn create(dir: &Path, force: bool) -> Result<(), ImportError> {
    write_manuscript(dir, &files(&fresh_uuid()), force)
}

/// The starter's files, with `uuid` as the book's identifier.
pub fn files(uuid: &str) -> Files {
    vec![
        ("book.toml".into(), book_toml(uuid).into_bytes()),
        ("01-chapter.md".into(), CHAPTER.as_bytes().to_vec()),
        ("references.yaml".into(), REFERENCES.as_bytes().to_vec()),
        ("map.png".into(), placeholder_png()),
    ]
}

/// The figure's picture: a plain grey field with a frame, for the author
/// to replace. Encoded here rather than shipped, so nothing binary is kept
/// in the source.
fn placeholder_png() -> Vec<u8> {
    let (w, h) = (600u32, 400u32);
    let img = image::GrayImage::from_fn(w, h, |x, y| {
        let edge = x < 4 || y < 4 || x >= w - 4 || y >= h - 4;
        image::Luma([if edge { 90 } else { 225 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    // Encoding a small in-memory image into a Vec cannot fail.
    match img.write_to(&mut out, image::ImageFormat::Png) {
        Ok(()) => out.into_inner(),
        Err(_) => Vec::new(),
    }
}

/// A random (version 4) UUID. The standard library's hasher keys are
/// seeded from the operating system's randomness, which is all an
/// identifier needs; no crate is pulled in for it.
pub fn fresh_uuid() -> String {
    use std::hash::{BuildHasher, Hasher};
    let half = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        h.finish()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half().to_le_bytes());
    bytes[8..].copy_from_slice(&half().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn book_toml(uuid: &str) -> String {
    BOOK_TOML.replace("{IDENTIFIER}", uuid)
}

const BOOK_TOML: &str = r#"# The book's metadata and options. Unknown keys are errors, so a typo never
# silently drops a setting. Keys starting with # are optional: remove the #.

[book]
title = "წიგნის სათაური"            # required
# subtitle = "ქვესათაური"
language = "ka"                    # BCP 47; "ka" turns on Georgian quotes and hyphenation
identifier = "{IDENTIFIER}"  # made fresh by `tsigni new`; keep it: it is the EPUB's identity
# date = "2026"                    # YYYY, YYYY-MM or YYYY-MM-DD
# description = "…"                # the abstract
# keywords = ["…", "…"]
# rights = "…"
# authors = ["სახელი გვარი"]       # none named: tsigni warns, and never invents one
# publisher = "…"
# isbn = "…"
# cover = "cover.png"              # PNG or JPEG; without it a typographic cover is drawn
chapters = ["01-chapter.md"]       # the chapter files, in order
# slug = "my-book"                 # the output file name stem

[bibliography]
references = "references.yaml"     # hayagriva YAML, or a BibLaTeX .bib
# style = "my-style.csl"           # a CSL style; without one, style.csl if present, else the
                                   # built-in Georgian author-date style (shows the edition)
# locales = ["locale-xx.xml"]      # CSL locale files; the Georgian one is built in
# title = "ბიბლიოგრაფია"           # heading of the generated bibliography

# [fonts]                          # font files tried in order for each character,
# regular = ["MyFont.ttf"]         # then the built-in Noto Serif Georgian + Noto Serif
# bold = ["MyFont-Bold.ttf"]
# italic = ["MyFont-Italic.ttf"]
# paths = ["fonts"]                # searched for what they all lack (or --font-path DIR)

# [epub]
# hyphenate = false                # store soft hyphens and justify (search misses such words)
# page_list = true                 # where each page of the PDF begins

# [pdf]
# paper = "A5"                     # A5, A4, B5, letter or WIDTHxHEIGHT in mm
# margin_inner = 18.0              # mm
# margin_outer = 15.0
# margin_top = 18.0
# margin_bottom = 20.0
# font_size = 10.0                 # pt
# leading = 13.5                   # pt
# hyphenate = true
# standard = "pdf-a-2u"            # pdf-a-2u, pdf-a-2b, pdf-a-3u or none
"#;

const CHAPTER: &str = r#"# პირველი თავი

ეს არის თავის პირველი აბზაცი. შენიშვნა იწერება ასე.[^first] ციტატა
წყაროზე მიუთითებს გასაღებით და გვერდით [@suny1994, 36], ან მხოლოდ
გასაღებით [@yang2000].

## ქვეთავი

ქვეთავი იწყება ორი `#`-ით. სია:

- პირველი პუნქტი;
- მეორე პუნქტი.

> ციტატა ბლოკად.

ცხრილი და სურათი ინომრება და მათზე მიუთითებს [@tbl:events] და [@fig:map].

| წელი | მოვლენა |
| ---: | :--- |
| 1950 | შეთანხმება |
| 1980 | ვადის ამოწურვა |

Table: ცხრილის წარწერა {#tbl:events}

![სურათის წარწერა](map.png){#fig:map width=60%}

[^first]: შენიშვნის ტექსტი. შენიშვნები ინომრება წიგნის მთელ სიგრძეზე.
"#;

const REFERENCES: &str = r#"# The cited works, in hayagriva's YAML (https://github.com/typst/hayagriva/blob/main/docs/file-format.md).
# Each key is what the text cites: [@suny1994, 36]. A work with no year is cited
# without one; fields you do not know stay out (tsigni never invents them).

suny1994:
  type: book
  title: The Making of the Georgian Nation
  author: Suny, Ronald Grigor
  edition: 2
  date: 1994
  publisher:
    name: Indiana University Press
    location: Bloomington

yang2000:
  type: article
  title: "The Sino-Soviet Border Clash of 1969: From Zhenbao Island to Sino-American Rapprochement"
  author: Yang, Kuisong
  date: 2000
  page-range: 21-52
  parent:
    type: periodical
    title: Cold War History
    volume: 1
    issue: 1
"#;
