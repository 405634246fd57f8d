//! Typed author-date citations — "(Snow,1961:96)", "(Xu,519)",
//! "(Li, 1997 :98)", "(Suny 1994, 36)", "(სნოუ, 1961: 96)" — turned into
//! citation keys, each with a stub reference to be filled in.

use std::collections::BTreeMap;

/// A stub reference: what the citation said, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stub {
    pub author: String,
    pub year: Option<String>,
}

/// The citation keys found, in key order, with what each stands for.
pub type Stubs = BTreeMap<String, Stub>;

/// One citation found in a paragraph: the byte range of the parenthesis,
/// and the Markdown that replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: std::ops::Range<usize>,
    pub key: String,
    pub markdown: String,
}

/// Longest parenthesis read as a citation: a name, a year and a page.
const MAX_CITATION_CHARS: usize = 60;

/// Finds author-date citations in `text`.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        let Some(close) = text[open..].find(')').map(|i| open + i) else {
            break;
        };
        let inner = &text[open + 1..close];
        if inner.chars().count() <= MAX_CITATION_CHARS {
            if let Some((author, year, locator)) = parse(inner) {
                let key = key_for(&author, year.as_deref());
                let markdown = match &locator {
                    Some(l) => format!("[@{key}, {l}]"),
                    None => format!("[@{key}]"),
                };
                out.push(Found {
                    range: open..close + 1,
                    key,
                    markdown,
                });
            }
        }
        from = open + 1;
    }
    out
}

/// `Name, 1961: 96` → (Name, 1961, 96); `Name, 519` → (Name, none, 519);
/// `Name 1994, 36` → (Name, 1994, 36). Anything else is not a citation.
fn parse(inner: &str) -> Option<(String, Option<String>, Option<String>)> {
    let inner = inner.trim();
    let name_end = inner
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '\'' || c == '-' || c == '’'))
        .map_or(inner.len(), |(i, _)| i);
    let author = &inner[..name_end];
    let first = author.chars().next()?;
    // A capital, or a Georgian letter (the script has no case).
    if !(first.is_uppercase() || crate::hyphenate::is_georgian(first)) || author.len() < 2 {
        return None;
    }
    let rest = inner[name_end..].trim_start();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    let digits = |s: &str| s.chars().take_while(|c| c.is_ascii_digit()).count();
    let n = digits(rest);
    if n == 0 {
        return None;
    }
    let (number, after) = rest.split_at(n);
    let after = after.trim_start();
    let is_year = n == 4
        && number
            .parse::<u32>()
            .is_ok_and(|y| (1500..2100).contains(&y));
    if !is_year {
        // `Name, 519`: a page of a work without a year.
        return locator(rest).map(|l| (author.to_string(), None, Some(l)));
    }
    if after.is_empty() {
        return Some((author.to_string(), Some(number.to_string()), None));
    }
    let page = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix(','))?
        .trim();
    let page = locator(page)?;
    Some((author.to_string(), Some(number.to_string()), Some(page)))
}

/// A page or a page range (`96`, `36-38`, `36–38`), and nothing else.
fn locator(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '–'));
    ok.then(|| s.to_string())
}

/// `snow1961`: the name in Latin letters (Georgian transliterated by the
/// national system), lower case, and the year.
pub fn key_for(author: &str, year: Option<&str>) -> String {
    let latin: String = author.chars().map(transliterate).collect();
    let mut key: String = latin
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if key.is_empty() {
        key.push_str("ref");
    }
    if let Some(y) = year {
        key.push_str(y);
    }
    key
}

/// The national transliteration of Mkhedruli letters; other characters as
/// they are.
fn transliterate(c: char) -> String {
    const TABLE: [&str; 33] = [
        "a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r", "s",
        "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h",
    ];
    match c {
        'ა'..='ჰ' => TABLE[(c as u32 - 'ა' as u32) as usize].to_string(),
        _ => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        find(text).into_iter().map(|f| f.markdown).collect()
    }

    #[test]
    fn the_seeds_four_forms_and_the_issues_two() {
        assert_eq!(keys("x (Snow,1961:96). y"), ["[@snow1961, 96]"]);
        assert_eq!(keys("x (Xu,519). y"), ["[@xu, 519]"]);
        assert_eq!(keys("x (Li, 1997 :98)."), ["[@li1997, 98]"]);
        assert_eq!(keys("(Zhang, 2009:3)"), ["[@zhang2009, 3]"]);
        assert_eq!(keys("(Suny 1994, 36)"), ["[@suny1994, 36]"]);
        assert_eq!(keys("(სნოუ, 1961: 96)"), ["[@snou1961, 96]"]);
    }

    #[test]
    fn parentheses_that_are_not_citations_stay() {
        assert!(keys("(ჩან კაიშის) (გუომინდანის) (1945) (UN, a) (x, 1961)").is_empty());
    }
}
