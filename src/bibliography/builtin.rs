//! The style and Georgian locale tsigni brings, so that a manuscript needs
//! neither: the CSL project ships no Georgian locale, and a newcomer should
//! not have to find a style before the first citation prints. A file in the
//! manuscript still wins (`style` in `[bibliography]`, a `style.csl` beside
//! `book.toml`, or a locale file named in `locales`).

use crate::vfs::Fs;
use hayagriva::citationberg::{Locale, LocaleFile};
use std::path::Path;

/// Georgian author-date: the source journal's house form, with the edition,
/// a chapter's editors and book, and volume and issue labels.
pub(crate) const STYLE: &str = include_str!("builtin/style.csl");
/// Georgian terms, with the long ordinals an edition is written with.
pub(crate) const LOCALE_KA: &str = include_str!("builtin/locale-ka.xml");

/// The style file to read: the one named, else `style.csl` when the
/// manuscript has one (as before the style was optional); `None` for the
/// built-in style.
pub(crate) fn style_file<'a>(fs: &dyn Fs, dir: &Path, named: Option<&'a str>) -> Option<&'a str> {
    match named {
        Some(name) => Some(name),
        None => fs.is_file(&dir.join("style.csl")).then_some("style.csl"),
    }
}

/// Adds the built-in Georgian locale for a Georgian book when no locale
/// file of the manuscript covers Georgian.
pub(crate) fn add_locale(locales: &mut Vec<Locale>, lang: &str) {
    let primary = |l: &str| l.split('-').next().unwrap_or(l).to_ascii_lowercase();
    if primary(lang) != "ka" {
        return;
    }
    let covered = locales
        .iter()
        .any(|l| l.lang.as_ref().is_some_and(|c| primary(&c.0) == "ka"));
    if covered {
        return;
    }
    // The file is ours and a unit test parses it; a failure here would be a
    // build defect, and citing without the locale is still possible.
    if let Ok(file) = LocaleFile::from_xml(LOCALE_KA) {
        locales.push(Locale::from(file));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayagriva::citationberg::IndependentStyle;

    #[test]
    fn the_builtin_style_and_locale_parse() {
        IndependentStyle::from_xml(STYLE).expect("style");
        let l = Locale::from(LocaleFile::from_xml(LOCALE_KA).expect("locale"));
        assert_eq!(l.lang.map(|c| c.0), Some("ka".to_string()));
    }
}
