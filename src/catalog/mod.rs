//! Catalogue records of the built book, written beside it: MARC 21 (MARCXML),
//! Dublin Core (OAI-DC), CSL-JSON, BibTeX and RIS.
//!
//! Every record is made from `book.toml` and the files actually written. What
//! the manuscript does not say is left out, never guessed, and nothing depends
//! on the clock (only on `SOURCE_DATE_EPOCH` or the book's date), so two builds
//! of one manuscript give byte-identical records.

mod cite;
mod dc;
mod marc;
mod rights;

use crate::model::{Block, Book};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// One book file the catalogue describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFile {
    /// File name only: the records sit beside the files and link to them relatively.
    pub name: String,
    pub media_type: &'static str,
    pub bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

pub const EPUB_MEDIA_TYPE: &str = "application/epub+zip";
pub const PDF_MEDIA_TYPE: &str = "application/pdf";

/// Reads the file at `path` and describes it: name, media type (from the
/// extension), size and SHA-256.
pub fn describe(path: &Path) -> std::io::Result<CatalogFile> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} has no UTF-8 file name", path.display()),
            )
        })?
        .to_string();
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    // Streamed, so a large PDF is never held twice in memory.
    let bytes = std::io::copy(&mut file, &mut hasher)?;
    Ok(CatalogFile {
        media_type: media_type_of(&name),
        name,
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

/// Describes a book still in memory (as just rendered), without reading it back.
pub fn describe_bytes(name: &str, data: &[u8]) -> CatalogFile {
    CatalogFile {
        name: name.to_string(),
        media_type: media_type_of(name),
        bytes: data.len() as u64,
        sha256: hex(&Sha256::digest(data)),
    }
}

fn media_type_of(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".epub") {
        EPUB_MEDIA_TYPE
    } else if lower.ends_with(".pdf") {
        PDF_MEDIA_TYPE
    } else {
        "application/octet-stream"
    }
}

fn hex(digest: &[u8]) -> String {
    let mut s = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The catalogue records of `book`, named after [`crate::slug`]: MARCXML,
/// Dublin Core, CSL-JSON, BibTeX and RIS, in that order.
///
/// `files`: the books already written (EPUB/PDF) with their sizes and hashes;
/// `pdf_pages`: page count of the PDF when one was built.
pub fn records(
    book: &Book,
    files: &[CatalogFile],
    pdf_pages: Option<usize>,
) -> Vec<(String, Vec<u8>)> {
    records_named(book, &crate::slug(book), files, pdf_pages)
}

/// [`records`] under another name than the book's slug (the books' file
/// stem, when `-o` names them).
pub fn records_named(
    book: &Book,
    slug: &str,
    files: &[CatalogFile],
    pdf_pages: Option<usize>,
) -> Vec<(String, Vec<u8>)> {
    let meta = Meta::new(book, slug, files, pdf_pages);
    vec![
        (format!("{slug}.marc.xml"), marc::marcxml(&meta)),
        (format!("{slug}.dc.xml"), dc::oai_dc(&meta)),
        (format!("{slug}.csl.json"), cite::csl_json(&meta)),
        (format!("{slug}.bib"), cite::bibtex(&meta).into_bytes()),
        (format!("{slug}.ris"), cite::ris(&meta).into_bytes()),
    ]
}

pub(crate) use crate::isbn::Isbn;

/// What every record format draws from: `book.toml` values cleaned once, so
/// the formats cannot disagree.
pub(crate) struct Meta<'a> {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// BCP 47 tag as given (`ka`).
    pub language: String,
    pub lang: Option<&'static Language>,
    pub identifier: String,
    pub date: Option<Date>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    /// The copyright line and the rights statement, as given.
    pub rights_statements: Vec<String>,
    /// The licence's name and address.
    pub license: Option<String>,
    pub license_url: Option<String>,
    pub place: Option<String>,
    pub edition: Option<String>,
    pub authors: Vec<Name>,
    pub publisher: Option<String>,
    pub isbn: Option<Isbn>,
    pub has_images: bool,
    pub has_bibliography: bool,
    pub files: &'a [CatalogFile],
    pub pages: Option<usize>,
    /// (year, month, day, hour, minute, second), UTC.
    pub built: (u16, u8, u8, u8, u8, u8),
}

impl<'a> Meta<'a> {
    fn new(book: &Book, slug: &str, files: &'a [CatalogFile], pages: Option<usize>) -> Self {
        let b = &book.config.book;
        let opt = |s: &Option<String>| s.as_deref().map(clean).filter(|s| !s.is_empty());
        let language = clean(&b.language);
        Meta {
            slug: slug.to_string(),
            title: clean(&b.title),
            subtitle: opt(&b.subtitle),
            lang: Language::find(&language),
            language,
            identifier: clean(&b.identifier),
            date: opt(&b.date).map(|raw| Date::parse(&raw)),
            description: opt(&b.description),
            keywords: b
                .keywords
                .iter()
                .map(|k| clean(k))
                .filter(|k| !k.is_empty())
                .collect(),
            rights_statements: [&b.copyright, &b.rights]
                .into_iter()
                .filter_map(&opt)
                .collect(),
            license: opt(&b.license),
            license_url: opt(&b.license_url),
            place: opt(&b.place),
            edition: opt(&b.edition),
            authors: b
                .authors
                .iter()
                .map(|a| clean(a))
                .filter(|a| !a.is_empty())
                .map(|a| Name::parse(&a))
                .collect(),
            publisher: opt(&b.publisher),
            isbn: opt(&b.isbn).map(|s| Isbn::parse(&s)),
            has_images: has_image(book),
            has_bibliography: !book.bibliography.is_empty(),
            files,
            pages,
            built: crate::timestamp::build_time(book),
        }
    }

    /// Title and subtitle as one string, for formats without a subtitle field.
    pub fn full_title(&self) -> String {
        match &self.subtitle {
            Some(s) => format!("{}: {}", self.title, s),
            None => self.title.clone(),
        }
    }
}

fn has_image(book: &crate::model::Book) -> bool {
    let mut found = false;
    crate::model::walk::book(book, &mut |v| {
        found |= matches!(v, crate::model::Visit::Block(Block::Figure(_)));
    });
    found
}

/// One line of text: whitespace runs become one space and control characters
/// go, because MARC fields, RIS lines and XML 1.0 text all forbid them.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A language the records can name beyond its BCP 47 tag.
pub(crate) struct Language {
    /// Primary BCP 47 subtag.
    pub tag: &'static str,
    /// MARC 21 language code (ISO 639-2/B).
    pub marc: &'static str,
    /// English name, for the MARC 546 note (the record is catalogued in English).
    pub english: &'static str,
    /// The babel/polyglossia name biblatex expects in `language`.
    pub latex: &'static str,
}

const LANGUAGES: &[Language] = &[
    Language {
        tag: "ka",
        marc: "geo",
        english: "Georgian",
        latex: "georgian",
    },
    Language {
        tag: "en",
        marc: "eng",
        english: "English",
        latex: "english",
    },
    Language {
        tag: "ru",
        marc: "rus",
        english: "Russian",
        latex: "russian",
    },
    Language {
        tag: "uk",
        marc: "ukr",
        english: "Ukrainian",
        latex: "ukrainian",
    },
    Language {
        tag: "hy",
        marc: "arm",
        english: "Armenian",
        latex: "armenian",
    },
    Language {
        tag: "de",
        marc: "ger",
        english: "German",
        latex: "ngerman",
    },
    Language {
        tag: "fr",
        marc: "fre",
        english: "French",
        latex: "french",
    },
    Language {
        tag: "tr",
        marc: "tur",
        english: "Turkish",
        latex: "turkish",
    },
];

impl Language {
    fn find(bcp47: &str) -> Option<&'static Language> {
        let primary = bcp47.split(['-', '_']).next().unwrap_or("");
        LANGUAGES
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(primary))
    }
}

/// The book's date: `YYYY` or `YYYY-MM-DD` as `book.toml` documents; anything
/// else is kept only as text, for the formats that accept free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Date {
    pub raw: String,
    pub year: Option<u16>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    fn parse(raw: &str) -> Self {
        let mut out = Date {
            raw: raw.to_string(),
            year: None,
            month: None,
            day: None,
        };
        let parts: Vec<&str> = raw.split('-').collect();
        let num = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        let year = parts.first().and_then(|y| num(y, 4));
        let month = parts
            .get(1)
            .and_then(|m| num(m, 2))
            .filter(|m| (1..=12).contains(m));
        let day = parts
            .get(2)
            .and_then(|d| num(d, 2))
            .filter(|d| (1..=31).contains(d));
        match (parts.len(), year, month, day) {
            (1, Some(y), _, _) => out.year = Some(y),
            (2, Some(y), Some(m), _) => {
                out.year = Some(y);
                out.month = Some(m as u8);
            }
            (3, Some(y), Some(m), Some(d)) => {
                out.year = Some(y);
                out.month = Some(m as u8);
                out.day = Some(d as u8);
            }
            _ => {}
        }
        out
    }
}

/// A person as written in `book.toml`: `Family, Given` or `Given Family`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub family: String,
    pub given: Option<String>,
}

impl Name {
    fn parse(s: &str) -> Self {
        if let Some((family, given)) = s.split_once(',') {
            let given = given.trim();
            return Name {
                family: family.trim().to_string(),
                given: (!given.is_empty()).then(|| given.to_string()),
            };
        }
        // Georgian (and most Western) names put the surname last; a single
        // word is taken as a surname, as BibTeX does.
        match s.rsplit_once(' ') {
            Some((given, family)) => Name {
                family: family.to_string(),
                given: Some(given.to_string()),
            },
            None => Name {
                family: s.to_string(),
                given: None,
            },
        }
    }

    /// `Given Family`: the form a title page shows.
    pub fn direct(&self) -> String {
        match &self.given {
            Some(g) => format!("{} {}", g, self.family),
            None => self.family.clone(),
        }
    }

    /// `Family, Given`: the inverted form catalogues file under.
    pub fn inverted(&self) -> String {
        match &self.given {
            Some(g) => format!("{}, {}", self.family, g),
            None => self.family.clone(),
        }
    }
}

/// Writes XML into memory. A `Vec` never refuses bytes, so the `io::Result`
/// quick-xml threads through can only be `Ok`.
pub(crate) fn xml_bytes(
    f: impl FnOnce(&mut quick_xml::Writer<Vec<u8>>) -> std::io::Result<()>,
) -> Vec<u8> {
    use quick_xml::events::{BytesDecl, Event};
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|()| f(&mut w))
        .expect("writing XML into a Vec cannot fail");
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_makes_one_line() {
        assert_eq!(clean("  a\n b\t\u{7}c  "), "a b c");
    }

    #[test]
    fn dates() {
        let d = Date::parse("2024-05-07");
        assert_eq!((d.year, d.month, d.day), (Some(2024), Some(5), Some(7)));
        let d = Date::parse("2024");
        assert_eq!((d.year, d.month, d.day), (Some(2024), None, None));
        let d = Date::parse("spring 2024");
        assert_eq!((d.year, d.month, d.day), (None, None, None));
        assert_eq!(Date::parse("2024-13-01").year, None);
    }

    #[test]
    fn names() {
        let n = Name::parse("ნინო ბერიძე");
        assert_eq!(n.inverted(), "ბერიძე, ნინო");
        let n = Name::parse("Snow, C. P.");
        assert_eq!(
            (n.family.as_str(), n.given.as_deref()),
            ("Snow", Some("C. P."))
        );
        assert_eq!(n.direct(), "C. P. Snow");
        assert_eq!(Name::parse("Xu").inverted(), "Xu");
        assert_eq!(Name::parse("ნინო ბერიძე").direct(), "ნინო ბერიძე");
    }

    #[test]
    fn language_lookup() {
        assert_eq!(Language::find("ka").map(|l| l.marc), Some("geo"));
        assert_eq!(Language::find("ka-GE").map(|l| l.marc), Some("geo"));
        assert!(Language::find("xx").is_none());
    }
}
