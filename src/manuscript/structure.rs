//! The structure `book.toml` declares, checked and made into the model:
//! parts' title pages, appendix letters on their titles, and the ISBN's
//! check digit.

use super::{config_key_span, config_value_span};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::model::{Block, Chapter, Heading, Inline};
use crate::structure::{self, Kind, MAX_APPENDICES};

/// What `[book]`'s structure keys cannot mean, and an ISBN that cannot be one.
pub(super) fn check(
    config: &Config,
    toml_file: usize,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) {
    let b = &config.book;
    let key = |k: &str| config_key_span(sources, toml_file, k);
    if !b.chapters.is_empty() && !b.parts.is_empty() {
        diags.push(
            Diagnostic::error(
                "config",
                "book.toml gives both chapters and parts; list the chapters inside the parts",
            )
            .at(key("chapters"))
            .note("with [[book.parts]], each part's chapters = [...] says which chapters it holds"),
        );
    }
    if b.chapters.is_empty() && b.parts.iter().all(|p| p.chapters.is_empty()) {
        diags.push(
            Diagnostic::error("no-chapters", "book.toml lists no chapters").at(key("chapters")),
        );
    }
    for p in &b.parts {
        if p.title.trim().is_empty() {
            diags.push(Diagnostic::error("config", "a part's title is empty").at(key("title")));
        }
        if p.chapters.is_empty() {
            diags.push(
                Diagnostic::error("config", format!("part {:?} lists no chapters", p.title))
                    .at(config_value_span(sources, toml_file, &p.title)),
            );
        }
    }
    if b.back.len() > MAX_APPENDICES {
        diags.push(
            Diagnostic::error(
                "config",
                format!(
                    "book.toml lists {} appendices; a book may have at most {MAX_APPENDICES}, one for each letter",
                    b.back.len()
                ),
            )
            .at(key("back")),
        );
    }
    verso_gaps(config, toml_file, sources, diags);
    if let Some(given) = &b.isbn {
        let isbn = crate::isbn::Isbn::parse(given);
        if !isbn.valid {
            let why = if matches!(isbn.compact.len(), 10 | 13) {
                "its check digit is wrong"
            } else {
                "it has neither 10 nor 13 digits"
            };
            diags.push(
                Diagnostic::error("isbn", format!("book.isbn {given:?} is not an ISBN: {why}"))
                    .at(config_value_span(sources, toml_file, given))
                    .label("not a valid ISBN-10 or ISBN-13")
                    .note("copy the ISBN from the agency's assignment; a typo in one digit changes the check digit"),
            );
        }
    }
}

/// A book that prepares a title verso (it gives an ISBN, a place, an
/// edition, a licence or a copyright line) is told what a library will
/// look for there and not find; the publisher and the date are warned
/// about for every book already.
fn verso_gaps(config: &Config, toml_file: usize, sources: &SourceMap, diags: &mut Diagnostics) {
    let b = &config.book;
    let verso = [&b.isbn, &b.place, &b.edition, &b.license, &b.copyright];
    let Some(first) = verso.iter().find_map(|v| v.as_deref()) else {
        return;
    };
    let missing: Vec<&str> = [("place of publication", &b.place), ("ISBN", &b.isbn)]
        .into_iter()
        .filter(|(_, v)| v.is_none())
        .map(|(name, _)| name)
        .collect();
    if missing.is_empty() {
        return;
    }
    diags.push(
        Diagnostic::warning(
            "metadata-missing",
            format!("the title verso gives no {}", missing.join(", no ")),
        )
        .at(config_value_span(sources, toml_file, first))
        .note("libraries catalogue a printed book by place, publisher, year and ISBN (MARC 264, 020); add place = \"…\" or isbn = \"…\" when known: nothing is invented"),
    );
}

/// The title page of a part: a chapter holding only the part's heading,
/// "ნაწილი I. Title", pointing at the title in `book.toml`.
pub(super) fn part_page(
    config: &Config,
    kind: Kind,
    id: String,
    toml_file: usize,
    sources: &SourceMap,
) -> Chapter {
    // Only parts come without a file (`structure::reading_order`).
    let n = match kind {
        Kind::Part(n) => n,
        _ => 0,
    };
    let title = config
        .book
        .parts
        .get(n)
        .map(|p| p.title.as_str())
        .unwrap_or_default();
    let span = config_value_span(sources, toml_file, title);
    let label = structure::part_label(n, &config.book.language);
    Chapter {
        blocks: vec![Block::Heading(Heading {
            level: 1,
            id: id.clone(),
            content: vec![Inline::Text(format!("{label}. {}", title.trim()))],
            span,
        })],
        id,
        file: String::new(),
        span,
        kind,
    }
}

/// An appendix's title carries its letter: "დანართი ა. Title".
pub(super) fn label_title(blocks: &mut [Block], kind: Kind, language: &str) {
    let Kind::Appendix(n) = kind else { return };
    let title = blocks.iter_mut().find_map(|b| match b {
        Block::Heading(h) => Some(h),
        _ => None,
    });
    if let Some(h) = title {
        let label = structure::appendix_label(n, language);
        h.content.insert(0, Inline::Text(format!("{label}. ")));
    }
}
