//! `book.toml` as typed structs. Unknown keys are errors, so a typo never
//! silently drops a setting.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub book: BookMeta,
    #[serde(default)]
    pub bibliography: BibliographyConfig,
    #[serde(default)]
    pub fonts: FontsConfig,
    #[serde(default)]
    pub epub: EpubConfig,
    #[serde(default)]
    pub pdf: PdfConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookMeta {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// BCP 47 language tag; `ka` for Georgian.
    pub language: String,
    /// A stable identifier, e.g. `urn:uuid:…`.
    pub identifier: String,
    /// Publication date, `YYYY` or `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub rights: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub isbn: Option<String>,
    /// Title verso lines: where the book was published, which edition, the
    /// copyright line, and the licence with its address.
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub edition: Option<String>,
    #[serde(default)]
    pub copyright: Option<String>,
    #[serde(default)]
    pub license: Option<String>,
    #[serde(default)]
    pub license_url: Option<String>,
    /// Cover image path relative to the manuscript directory; a typographic cover
    /// is generated when absent.
    #[serde(default)]
    pub cover: Option<String>,
    /// Chapter files, relative to the manuscript directory, in reading order.
    /// Empty when `parts` lists them instead.
    #[serde(default)]
    pub chapters: Vec<String>,
    /// Front matter before chapter 1 (preface, dedication, …), unnumbered.
    #[serde(default)]
    pub front: Vec<crate::structure::FrontEntry>,
    /// Appendices after the last chapter, lettered.
    #[serde(default)]
    pub back: Vec<String>,
    /// Parts grouping the chapters, in reading order (instead of `chapters`).
    #[serde(default)]
    pub parts: Vec<crate::structure::PartConfig>,
    /// File-name stem of the outputs; derived from the identifier when absent.
    #[serde(default)]
    pub slug: Option<String>,
    /// Whether a `ka` book's `--`, `---` and spaced hyphens become dashes.
    #[serde(default)]
    pub dashes: Dashes,
}

/// `[book] dashes`: `"typographic"` (the default) or `"as-written"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dashes {
    #[default]
    Typographic,
    AsWritten,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BibliographyConfig {
    /// Hayagriva YAML (`.yaml`/`.yml`) or BibLaTeX (`.bib`).
    #[serde(default = "default_references")]
    pub references: String,
    /// A CSL style file; without one, `style.csl` if the manuscript has it,
    /// else tsigni's built-in Georgian author-date style.
    #[serde(default)]
    pub style: Option<String>,
    /// CSL locale files to load (the CSL project has no Georgian locale).
    #[serde(default)]
    pub locales: Vec<String>,
    /// Heading of the generated bibliography chapter.
    #[serde(default = "default_bib_title")]
    pub title: String,
}

fn default_references() -> String {
    "references.yaml".into()
}
fn default_bib_title() -> String {
    "ბიბლიოგრაფია".into()
}

impl Default for BibliographyConfig {
    fn default() -> Self {
        Self {
            references: default_references(),
            style: None,
            locales: Vec::new(),
            title: default_bib_title(),
        }
    }
}

/// Font files, relative to the manuscript directory, tried in order for each
/// character (the first that covers it wins), then tsigni's built-in fonts
/// (Noto Serif Georgian + Noto Serif, from `fonts/`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontsConfig {
    #[serde(default)]
    pub regular: Vec<String>,
    #[serde(default)]
    pub bold: Vec<String>,
    #[serde(default)]
    pub italic: Vec<String>,
    /// Directories (relative to the manuscript, or inside one given with
    /// `--allow`) searched for faces covering what the fonts above lack.
    #[serde(default)]
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpubConfig {
    /// Store soft hyphens in words and justify. Off by default: a stored
    /// soft hyphen hides the word from reading systems' search and copy
    /// (see `text_setting` in src/epub/package.rs for the figures).
    #[serde(default)]
    pub hyphenate: bool,
    /// Mark where the PDF's pages begin and list them in the navigation
    /// document, so EPUB and print readers can cite the same page.
    #[serde(default = "yes")]
    pub page_list: bool,
}

fn yes() -> bool {
    true
}

impl Default for EpubConfig {
    fn default() -> Self {
        Self {
            hyphenate: false,
            page_list: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfConfig {
    /// `A5`, `A4`, `B5`, `letter` or `WIDTHxHEIGHT` in millimetres (`148x210`).
    #[serde(default = "default_paper")]
    pub paper: String,
    /// Margins in millimetres.
    #[serde(default = "default_margin_inner")]
    pub margin_inner: f32,
    #[serde(default = "default_margin_outer")]
    pub margin_outer: f32,
    #[serde(default = "default_margin_top")]
    pub margin_top: f32,
    #[serde(default = "default_margin_bottom")]
    pub margin_bottom: f32,
    /// Body font size in points.
    #[serde(default = "default_font_size")]
    pub font_size: f32,
    /// Baseline-to-baseline distance in points.
    #[serde(default = "default_leading")]
    pub leading: f32,
    #[serde(default = "yes")]
    pub hyphenate: bool,
    /// Archival conformance: `pdf-a-2u` (default), `pdf-a-2b`, `pdf-a-3u` or `none`.
    #[serde(default = "default_standard")]
    pub standard: String,
    /// Which side a chapter opens on: `recto` (default) or `any`.
    #[serde(default)]
    pub chapter_start: ChapterStart,
}

/// `[pdf] chapter_start`: a monograph opens each chapter on a right-hand
/// page (a blank verso before it when needed); an article runs its
/// sections on, each on the next page whichever side it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChapterStart {
    #[default]
    Recto,
    Any,
}

/// The conformance levels `[pdf] standard` accepts.
pub const PDF_STANDARDS: &[&str] = &["pdf-a-2u", "pdf-a-2b", "pdf-a-3u", "none"];

fn default_standard() -> String {
    "pdf-a-2u".into()
}

fn default_paper() -> String {
    "A5".into()
}
fn default_margin_inner() -> f32 {
    18.0
}
fn default_margin_outer() -> f32 {
    15.0
}
fn default_margin_top() -> f32 {
    18.0
}
fn default_margin_bottom() -> f32 {
    20.0
}
fn default_font_size() -> f32 {
    10.0
}
fn default_leading() -> f32 {
    13.5
}

impl Default for PdfConfig {
    fn default() -> Self {
        Self {
            paper: default_paper(),
            margin_inner: default_margin_inner(),
            margin_outer: default_margin_outer(),
            margin_top: default_margin_top(),
            margin_bottom: default_margin_bottom(),
            font_size: default_font_size(),
            leading: default_leading(),
            hyphenate: true,
            standard: default_standard(),
            chapter_start: ChapterStart::default(),
        }
    }
}
