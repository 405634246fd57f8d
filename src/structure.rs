//! The book's structure as `book.toml` declares it: front matter before
//! chapter 1, parts grouping the chapters, lettered appendices after them;
//! and what each kind of chapter is called in every output (`epub:type`,
//! ARIA role, landmark, generated label).

use crate::config::BookMeta;
use serde::Deserialize;

/// A front-matter entry: a file, with what it is when the author says so
/// (`{ file = "preface.md", role = "preface" }`); a bare file name is front
/// matter of no particular kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FrontEntry {
    File(String),
    Typed { file: String, role: FrontRole },
}

impl FrontEntry {
    pub fn file(&self) -> &str {
        match self {
            FrontEntry::File(f) | FrontEntry::Typed { file: f, .. } => f,
        }
    }
    pub fn role(&self) -> FrontRole {
        match self {
            FrontEntry::File(_) => FrontRole::Other,
            FrontEntry::Typed { role, .. } => *role,
        }
    }
}

/// What a piece of front matter is; only what the author declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontRole {
    Dedication,
    Foreword,
    Preface,
    #[serde(alias = "acknowledgments")]
    Acknowledgements,
    Introduction,
    #[serde(skip)]
    Other,
}

/// `[[book.parts]]`: a titled group of chapters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartConfig {
    pub title: String,
    pub chapters: Vec<String>,
}

/// What a chapter of the model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A chapter of the body, in part `part` (0-based) if the book has parts.
    Body {
        part: Option<usize>,
    },
    Front(FrontRole),
    /// Appendix `n` (0-based): its letter is `letter(n)`.
    Appendix(usize),
    /// The title page of part `n` (0-based), generated from `book.toml`.
    Part(usize),
}

impl Kind {
    /// The `epub:type` of the chapter's section.
    pub fn epub_type(self) -> &'static str {
        match self {
            Kind::Body { .. } => "chapter",
            Kind::Front(r) => match r {
                FrontRole::Dedication => "dedication",
                FrontRole::Foreword => "foreword",
                FrontRole::Preface => "preface",
                FrontRole::Acknowledgements => "acknowledgments",
                FrontRole::Introduction => "introduction",
                FrontRole::Other => "frontmatter",
            },
            Kind::Appendix(_) => "appendix",
            Kind::Part(_) => "part",
        }
    }

    /// The DPUB-ARIA role of the chapter's section, when one fits.
    pub fn aria_role(self) -> Option<&'static str> {
        Some(match self {
            Kind::Body { .. } => "doc-chapter",
            Kind::Front(r) => match r {
                FrontRole::Dedication => "doc-dedication",
                FrontRole::Foreword => "doc-foreword",
                FrontRole::Preface => "doc-preface",
                FrontRole::Acknowledgements => "doc-acknowledgments",
                FrontRole::Introduction => "doc-introduction",
                FrontRole::Other => return None,
            },
            Kind::Appendix(_) => "doc-appendix",
            Kind::Part(_) => "doc-part",
        })
    }

    pub fn is_front(self) -> bool {
        matches!(self, Kind::Front(_))
    }

    /// The part the chapter belongs to, for nesting in the contents.
    pub fn in_part(self) -> bool {
        matches!(self, Kind::Body { part: Some(_) })
    }
}

/// One entry of the reading order: a file to read, or a part's title page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<'a> {
    pub file: Option<&'a str>,
    pub kind: Kind,
}

/// Every chapter of the book in reading order: front matter, the body
/// (each part's title page before its chapters), the appendices.
pub fn reading_order(b: &BookMeta) -> Vec<Listed<'_>> {
    let mut out: Vec<Listed> = b
        .front
        .iter()
        .map(|f| Listed {
            file: Some(f.file()),
            kind: Kind::Front(f.role()),
        })
        .collect();
    out.extend(b.chapters.iter().map(|c| Listed {
        file: Some(c),
        kind: Kind::Body { part: None },
    }));
    for (i, p) in b.parts.iter().enumerate() {
        out.push(Listed {
            file: None,
            kind: Kind::Part(i),
        });
        out.extend(p.chapters.iter().map(|c| Listed {
            file: Some(c),
            kind: Kind::Body { part: Some(i) },
        }));
    }
    out.extend(b.back.iter().enumerate().map(|(i, c)| Listed {
        file: Some(c),
        kind: Kind::Appendix(i),
    }));
    out
}

/// Every file `book.toml` lists as a chapter of any kind.
pub fn listed_files(b: &BookMeta) -> impl Iterator<Item = &String> {
    b.front
        .iter()
        .map(|f| match f {
            FrontEntry::File(s) | FrontEntry::Typed { file: s, .. } => s,
        })
        .chain(&b.chapters)
        .chain(b.parts.iter().flat_map(|p| &p.chapters))
        .chain(&b.back)
}

/// The 33 letters of the modern Georgian alphabet, in order.
const GEORGIAN_LETTERS: [char; 33] = [
    'ა', 'ბ', 'გ', 'დ', 'ე', 'ვ', 'ზ', 'თ', 'ი', 'კ', 'ლ', 'მ', 'ნ', 'ო', 'პ', 'ჟ', 'რ', 'ს', 'ტ',
    'უ', 'ფ', 'ქ', 'ღ', 'ყ', 'შ', 'ჩ', 'ც', 'ძ', 'წ', 'ჭ', 'ხ', 'ჯ', 'ჰ',
];

/// Most appendices a book may have: as many as the shorter alphabet has
/// letters, so every appendix has a letter of its own in any language.
pub const MAX_APPENDICES: usize = 26;

/// The letter of appendix `n` (0-based): Georgian in a Georgian book, Latin
/// capitals otherwise.
pub fn letter(n: usize, language: &str) -> String {
    if crate::locale::is_georgian(language) {
        GEORGIAN_LETTERS.get(n).map(|c| c.to_string())
    } else {
        (n < 26).then(|| char::from(b'A' + n as u8).to_string())
    }
    .unwrap_or_else(|| (n + 1).to_string())
}

/// The label of appendix `n`: "დანართი ა", "Appendix A".
pub fn appendix_label(n: usize, language: &str) -> String {
    let w = crate::locale::words(language);
    format!("{} {}", w.appendix, letter(n, language))
}

/// The label of part `n`: "ნაწილი I", "Part I".
pub fn part_label(n: usize, language: &str) -> String {
    let w = crate::locale::words(language);
    format!("{} {}", w.part, upper_roman(n + 1))
}

/// Upper-case roman numerals, for part numbers (the folios use lower case).
fn upper_roman(n: usize) -> String {
    crate::locale::roman(n).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appendix_letters_follow_the_alphabet_of_the_book() {
        assert_eq!(appendix_label(0, "ka"), "დანართი ა");
        assert_eq!(appendix_label(5, "ka"), "დანართი ვ");
        assert_eq!(appendix_label(7, "ka"), "დანართი თ");
        assert_eq!(appendix_label(1, "en"), "Appendix B");
        assert_eq!(part_label(3, "ka"), "ნაწილი IV");
        assert_eq!(part_label(8, "en"), "Part IX");
    }
}
