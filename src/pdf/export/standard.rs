//! What `[pdf] standard` asks for, the document's metadata, and krilla's
//! refusals as diagnostics.
//!
//! Conformance is krilla's: it writes what the standard needs (XMP with the
//! `pdfaid` schema, the sRGB output intent, embedded fonts with Unicode
//! maps) and checks what it can; whatever it finds wrong fails the build
//! with a diagnostic instead of writing a file that claims a standard it
//! does not meet.

use super::findings::Places;
use crate::diagnostics::Diagnostic;
use crate::fonts::FontSet;
use crate::model::Book;
use krilla::configure::{
    Accessibility, Archival, Configuration, ConfigurationBuilder, ValidationError, Validators,
};
use krilla::error::KrillaError;
use krilla::metadata::{DateTime, Metadata};
use krilla::surface::Location;
use krilla::text::Font;

/// What `[pdf] standard` asks for: the PDF/A level, if any. PDF/UA-1 is
/// claimed in every case: the book is tagged whatever its archival level,
/// and krilla checks both standards in one pass.
pub(crate) fn configuration(standard: &str) -> Result<Configuration, Box<Diagnostic>> {
    let archival = match standard.trim().to_ascii_lowercase().as_str() {
        "pdf-a-2u" => Some(Archival::A2_U),
        "pdf-a-2b" => Some(Archival::A2_B),
        "pdf-a-3u" => Some(Archival::A3_U),
        "none" => None,
        other => {
            return Err(Box::new(
                Diagnostic::error(
                    "pdf-standard",
                    format!("unknown PDF standard `{other}` in [pdf]"),
                )
                .note(format!(
                    "use one of {}",
                    crate::config::PDF_STANDARDS.join(", ")
                )),
            ))
        }
    };
    let mut builder = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
    if let Some(a) = archival {
        builder = builder.with_archival_validator(a);
    }
    builder.finish().map_err(|e| {
        Box::new(Diagnostic::error(
            "pdf-standard",
            format!("krilla cannot combine the standards of `{standard}`: {e:?}"),
        ))
    })
}

/// Whether the standard is a PDF/A level.
pub(crate) fn is_archival(standard: &str) -> bool {
    configuration(standard).is_ok_and(|c| c.validators().archival().is_some())
}

pub(crate) fn metadata(book: &Book) -> Metadata {
    let meta = &book.config.book;
    let mut m = Metadata::new()
        .title(match &meta.subtitle {
            Some(s) => format!("{}: {s}", meta.title),
            None => meta.title.clone(),
        })
        .language(meta.language.clone())
        .keywords(keywords(book))
        .authors(meta.authors.clone())
        .creator(format!("tsigni {}", env!("CARGO_PKG_VERSION")))
        .document_id(meta.identifier.clone());
    if let Some(d) = &meta.description {
        m = m.description(d.clone());
    }
    // PDF/A requires a date. Reproducible: the EPUB's fixed build time
    // (`SOURCE_DATE_EPOCH`, else the book's date, else 1980-01-01), never
    // the clock.
    let (y, mo, d, h, mi, s) = crate::timestamp::build_time(book);
    m.creation_date(
        DateTime::new(y)
            .month(mo)
            .day(d)
            .hour(h)
            .minute(mi)
            .second(s)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

/// The keywords, then the ISBN: krilla 0.8's metadata has no field for an
/// identifier or for rights (no `dc:identifier`, `dc:rights` or
/// `xmpRights`; its document id is hashed into `xmpMM:DocumentID`), so the
/// keywords (`pdf:Keywords` in the XMP, `/Keywords` in the Info dictionary)
/// are where a catalogue reading the PDF finds the ISBN. The licence and
/// copyright line are on the title verso only.
fn keywords(book: &Book) -> Vec<String> {
    let meta = &book.config.book;
    let mut k = meta.keywords.clone();
    if let Some(isbn) = meta
        .isbn
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        k.push(format!("ISBN {isbn}"));
    }
    k
}

/// krilla's refusal as diagnostics: each distinct problem once, naming the
/// standard that forbids it and, where it is known, the manuscript's text
/// or image that caused it and the page.
pub(crate) fn krilla_diagnostics(
    e: KrillaError,
    standard: &str,
    (fonts, kfonts): (&FontSet, &[Option<Font>]),
    places: &Places,
) -> Vec<Diagnostic> {
    let errors = match e {
        KrillaError::Validation(errors) => errors,
        KrillaError::Image(_, location, message) => {
            let d = Diagnostic::error(
                "pdf-image",
                format!("this image cannot be written into the PDF: {message}"),
            );
            return vec![locate(d, location, places)];
        }
        KrillaError::SixteenBitImage(_, location) => {
            let d = Diagnostic::error(
                "pdf-image",
                "this image has 16 bits a channel, which the PDF's version cannot hold",
            );
            return vec![locate(d, location, places)];
        }
        e => {
            return vec![Diagnostic::error(
                "pdf-write",
                format!("the PDF could not be written: {e}"),
            )]
        }
    };
    let font_name = |font: &Font| {
        kfonts
            .iter()
            .position(|k| k.as_ref() == Some(font))
            .and_then(|i| fonts.faces().get(i))
            .map(|f| f.file_name.clone())
            .unwrap_or_else(|| "a font".into())
    };
    let mut out: Vec<Diagnostic> = Vec::new();
    for (error, validators) in errors {
        let (message, location) = describe_validation(&error, &font_name);
        // What krilla reports without a location, found while drawing.
        let (message, locations) = match error {
            ValidationError::TooLongString if !places.long.is_empty() => (
                "this paragraph draws a piece of text longer than 32,767 bytes at once \
                 (a character with thousands of combining marks, or a run of thousands of \
                 glyphs)"
                    .to_string(),
                places.long.iter().copied().map(Some).collect(),
            ),
            ValidationError::MissingCMYKProfile if !places.cmyk.is_empty() => (
                "this image is in CMYK colours without a colour profile".to_string(),
                places.cmyk.iter().copied().map(Some).collect(),
            ),
            _ => (message, vec![location]),
        };
        let names = standard_names(validators);
        for location in locations {
            let d = Diagnostic::error(
                "pdf-standard",
                format!("{message}, which {names} does not allow"),
            )
            .note(format!(
                "the PDF is not written: `[pdf] standard = \"{standard}\"` promises {names}"
            ));
            let d = locate(d, location, places);
            if !out
                .iter()
                .any(|o| o.message == d.message && o.span == d.span)
            {
                out.push(d);
            }
        }
    }
    out
}

/// A diagnostic pointed at the text or image a location names, and its page.
fn locate(mut d: Diagnostic, location: Option<Location>, places: &Places) -> Diagnostic {
    if let Some((page, span)) = location.and_then(|l| places.place(l)) {
        if let Some(span) = span {
            d = d.at(span);
        }
        d = d.note(format!("on page {page} of the PDF"));
    }
    d
}

fn standard_names(v: Validators) -> String {
    let names: Vec<&str> = v.into_iter().map(|v| v.as_str()).collect();
    match names.as_slice() {
        [] => "the standard".into(),
        _ => names.join(" and "),
    }
}

/// A validation error in words, and the page it arose on.
fn describe_validation(
    e: &ValidationError,
    font_name: &dyn Fn(&Font) -> String,
) -> (String, Option<Location>) {
    use ValidationError as V;
    match e {
        V::TooLongString => (
            "a text of the book (its title, description, keywords or a line) is longer than \
             32,767 bytes in one piece"
                .into(),
            None,
        ),
        V::TooLongName => ("a font's name is longer than 127 bytes".into(), None),
        V::TooLongArray | V::TooLongDictionary | V::TooLargeFloat => {
            ("the PDF exceeds a size limit of its format".into(), None)
        }
        V::TooManyIndirectObjects => ("the PDF has more than 8,388,607 objects".into(), None),
        V::TooHighQNestingLevel => ("graphics are nested too deeply".into(), None),
        V::ContainsPostScript(l) => ("a drawing needs PostScript".into(), *l),
        V::MissingCMYKProfile => (
            "an image is in CMYK colours without a colour profile".into(),
            None,
        ),
        V::InconsistentSeparationFallback(_) => {
            ("a spot colour is defined twice differently".into(), None)
        }
        V::ContainsNotDefGlyph(font, l, text) => {
            (format!("{} has no glyph for `{text}`", font_name(font)), *l)
        }
        V::NoCodepointMapping(font, glyph, l) => (
            format!(
                "glyph {} of {} stands for no Unicode text",
                glyph.to_u32(),
                font_name(font)
            ),
            *l,
        ),
        V::InvalidCodepointMapping(font, glyph, c, l) => (
            format!(
                "glyph {} of {} stands for U+{:04X}",
                glyph.to_u32(),
                font_name(font),
                *c as u32
            ),
            *l,
        ),
        V::UnicodePrivateArea(font, _, c, l) => (
            format!(
                "{} draws the private-use character U+{:04X}",
                font_name(font),
                *c as u32
            ),
            *l,
        ),
        V::RestrictedLicense(font) => (
            format!("{}'s licence does not allow embedding it", font_name(font)),
            None,
        ),
        V::NoDocumentLanguage => ("the book names no language".into(), None),
        V::NoDocumentTitle => ("the book has no title".into(), None),
        V::MissingAltText(l) => ("an image has no description".into(), *l),
        V::MissingHeadingTitle => ("a heading has no text".into(), None),
        V::MissingDocumentOutline => ("the book has no headings for its outline".into(), None),
        V::MissingAnnotationAltText(l) => ("a link has no description".into(), *l),
        V::MissingDocumentDate => ("the PDF has no date".into(), None),
        V::Transparency(l) => ("an image or drawing is transparent".into(), *l),
        V::ImageInterpolation(l) => ("an image asks viewers to smooth it".into(), *l),
        V::EmbeddedFile(_, l) => ("a file is embedded".into(), *l),
        V::MissingTagging => ("the PDF is not tagged".into(), None),
        V::EmbeddedPDF(l) => ("a PDF is embedded".into(), *l),
        V::RequiresNewerPdfVersion(f, l) => (
            format!("{f:?} needs a newer PDF version than the standard allows"),
            *l,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_the_reader_accepts_is_known() {
        for s in crate::config::PDF_STANDARDS {
            let c = configuration(s).expect(s);
            assert_eq!(c.validators().accessibility(), Some(Accessibility::UA1));
            assert_eq!(c.validators().archival().is_some(), *s != "none");
        }
        assert!(configuration("pdf-a-1b").is_err());
    }
}
