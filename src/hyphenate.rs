//! Hyphenation points from the TeX `hyph-*` patterns (via `hypher`), shared by the
//! PDF line breaker and the EPUB's soft hyphens. The Georgian patterns are
//! `hyph-ka.tex` by Levan Shoshiashvili, under the LaTeX Project Public License.

use hypher::Lang;

/// Fewest letters kept on either side of a break; TeX's Georgian setting is 1/2,
/// which leaves single letters dangling at line ends, so use 2/2 like most books.
const LEFT_MIN: usize = 2;
const RIGHT_MIN: usize = 2;

/// Longest word we try to hyphenate; longer "words" (URLs, garbage) are left whole
/// and handled by the line breaker's emergency breaking.
const MAX_WORD_BYTES: usize = 256;

/// The pattern language for a BCP 47 tag, if we have patterns for it.
pub fn lang_for(tag: &str) -> Option<Lang> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "ka" => Some(Lang::Georgian),
        "en" => Some(Lang::English),
        "ru" => Some(Lang::Russian),
        "uk" => Some(Lang::Ukrainian),
        "el" => Some(Lang::Greek),
        "de" => Some(Lang::German),
        "fr" => Some(Lang::French),
        _ => None,
    }
}

/// Byte offsets inside `word` where it may be hyphenated.
pub fn break_points(word: &str, lang: Lang) -> Vec<usize> {
    if word.len() > MAX_WORD_BYTES || !word.chars().all(is_letter) {
        return Vec::new();
    }
    let mut points = Vec::new();
    let mut offset = 0;
    for syllable in hypher::hyphenate_bounded(word, lang, LEFT_MIN, RIGHT_MIN) {
        offset += syllable.len();
        if offset < word.len() {
            points.push(offset);
        }
    }
    points
}

/// Which script's patterns apply to a word: Georgian letters use the Georgian
/// patterns even inside an English book, and Latin words inside a Georgian book
/// are left alone rather than hyphenated by the wrong rules.
pub fn lang_for_word(word: &str, book_lang: Option<Lang>) -> Option<Lang> {
    let first = word.chars().next()?;
    if is_georgian(first) {
        Some(Lang::Georgian)
    } else if first.is_ascii_alphabetic() && book_lang == Some(Lang::English) {
        Some(Lang::English)
    } else {
        None
    }
}

/// `char::is_alphabetic` with the scripts of our books answered first: the
/// standard library looks non-ASCII letters up in a slow table, and this runs
/// for every character of the book.
#[inline]
pub fn is_letter(c: char) -> bool {
    // Mkhedruli letters, without U+10FB ჻ (a paragraph separator, punctuation).
    c.is_ascii_alphabetic()
        || ('\u{10D0}'..='\u{10FA}').contains(&c)
        || ('\u{10FC}'..='\u{10FF}').contains(&c)
        || (!c.is_ascii() && c.is_alphabetic())
}

pub fn is_georgian(c: char) -> bool {
    matches!(c, '\u{10A0}'..='\u{10FF}' | '\u{1C90}'..='\u{1CBF}' | '\u{2D00}'..='\u{2D2F}')
}

/// Inserts U+00AD SOFT HYPHEN at every break point of every word of `text`.
pub fn soft_hyphenate(text: &str, book_lang: Option<Lang>) -> String {
    Hyphenator::new(book_lang).soft_hyphenate(text)
}

/// Soft hyphenation with the break points of each distinct word remembered:
/// a book repeats its words, and the patterns cost more than a lookup.
pub struct Hyphenator {
    book_lang: Option<Lang>,
    cache: std::cell::RefCell<std::collections::HashMap<String, Vec<usize>>>,
}

impl Hyphenator {
    pub fn new(book_lang: Option<Lang>) -> Self {
        Self {
            book_lang,
            cache: Default::default(),
        }
    }

    fn points(&self, word: &str) -> Vec<usize> {
        if let Some(p) = self.cache.borrow().get(word) {
            return p.clone();
        }
        let p = match lang_for_word(word, self.book_lang) {
            Some(lang) => break_points(word, lang),
            None => Vec::new(),
        };
        self.cache.borrow_mut().insert(word.to_string(), p.clone());
        p
    }

    pub fn soft_hyphenate(&self, text: &str) -> String {
        self.hyphenate_with(text, &|w| self.points(w))
    }

    /// Soft hyphens in a passage of another language: every word takes that
    /// language's patterns, and none at all when tsigni has none for it
    /// (never the book's Georgian ones). Passages are short: no cache.
    pub fn soft_hyphenate_in(&self, text: &str, lang: Option<Lang>) -> String {
        self.hyphenate_with(text, &|w| {
            lang.map(|l| break_points(w, l)).unwrap_or_default()
        })
    }

    fn hyphenate_with(&self, text: &str, points: &dyn Fn(&str) -> Vec<usize>) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut word_start: Option<usize> = None;
        let flush = |out: &mut String, word: &str| {
            let mut last = 0;
            for p in points(word) {
                out.push_str(&word[last..p]);
                out.push('\u{AD}');
                last = p;
            }
            out.push_str(&word[last..]);
        };
        for (i, c) in text.char_indices() {
            if is_letter(c) {
                word_start.get_or_insert(i);
            } else {
                if let Some(s) = word_start.take() {
                    flush(&mut out, &text[s..i]);
                }
                out.push(c);
            }
        }
        if let Some(s) = word_start {
            flush(&mut out, &text[s..]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn georgian_words_get_breaks() {
        let w = "ურთიერთობები";
        let pts = break_points(w, Lang::Georgian);
        assert!(!pts.is_empty());
        assert!(pts.iter().all(|&p| w.is_char_boundary(p)));
        // Two letters at least on each side.
        assert!(w[..pts[0]].chars().count() >= 2);
        assert!(w[*pts.last().unwrap()..].chars().count() >= 2);
    }

    #[test]
    fn soft_hyphens_only_in_words_and_text_survives() {
        let s = "ჩინეთ-საბჭოთა ურთიერთობები (Snow, 1961: 96)";
        let h = soft_hyphenate(s, Some(Lang::Georgian));
        assert_eq!(h.replace('\u{AD}', ""), s);
        assert!(h.contains('\u{AD}'));
        assert!(h.ends_with("(Snow, 1961: 96)"));
    }

    #[test]
    fn letters_agree_with_the_standard_library() {
        for c in ('\u{0}'..='\u{2FFF}').chain('\u{1C90}'..='\u{1CBF}') {
            assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn giant_word_is_left_alone() {
        let w = "ა".repeat(100_000);
        assert!(break_points(&w, Lang::Georgian).is_empty());
    }
}
