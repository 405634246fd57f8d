//! Runs that a reading system must not break at their hyphen: number ranges
//! (`1950-1980`) and, in titles and headings, short hyphenated compounds
//! (`ჩინეთ-საბჭოთა`). Chromium breaks after the hyphen of `1950-1980` on a
//! phone. The run is held in `<span class="nowrap">` rather than by a word
//! joiner or U+2011 inside the text, so that search and copy find the
//! characters as written (epub.js searches the text nodes' characters).

use crate::hyphenate::is_letter;
use crate::manuscript::joins_range;

/// The style of the spans, in both style sheets.
pub const CSS: &str = ".nowrap { white-space: nowrap; }\n";

/// Longest compound (in characters) held on one line: a longer one could be
/// wider than a phone's line at a title's size and would overflow it.
const MAX_COMPOUND: usize = 16;

/// Byte ranges of `text` to keep on one line, in order and disjoint: number
/// ranges, and compounds too when `compounds` is set.
pub fn runs(text: &str, compounds: bool) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        let run = if joins_range(text, i) {
            Some(around(text, i, c, |c: char| c.is_ascii_digit()))
        } else if compounds && c == '-' {
            Some(around(text, i, c, is_letter))
                .filter(|&(s, e)| s < i && e > i + 1 && text[s..e].chars().count() <= MAX_COMPOUND)
        } else {
            None
        };
        let Some((start, end)) = run else { continue };
        // A chain (`1950-1960-1970`) is one run.
        match out.last_mut() {
            Some(last) if last.1 >= start => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The run of `part` characters on both sides of the dash `c` at `i`.
fn around(text: &str, i: usize, c: char, part: impl Fn(char) -> bool) -> (usize, usize) {
    let before = &text[..i];
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(i, |(s, _)| s);
    let after = i + c.len_utf8();
    let end = text[after..]
        .char_indices()
        .find(|&(_, c)| !part(c))
        .map_or(text.len(), |(e, _)| after + e);
    (start, end)
}

/// `text` escaped, its runs in nowrap spans; `rest` writes (escapes) the
/// text between them.
pub fn markup(text: &str, compounds: bool, rest: &mut dyn FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for (start, end) in runs(text, compounds) {
        rest(&text[last..start], &mut out);
        out.push_str("<span class=\"nowrap\">");
        out.push_str(&super::esc(&text[start..end]));
        out.push_str("</span>");
        last = end;
    }
    rest(&text[last..], &mut out);
    out
}

/// A title or heading as escaped markup: ranges and short compounds held.
pub fn title(text: &str) -> String {
    markup(text, true, &mut |s, out| out.push_str(&super::esc(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(text: &str, compounds: bool) -> Vec<&str> {
        runs(text, compounds)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn ranges_and_chains_are_held() {
        assert_eq!(
            held("წლებში 1950-1980 და 1959–1969.", false),
            ["1950-1980", "1959–1969"]
        );
        assert_eq!(held("1950-1960-1970", false), ["1950-1960-1970"]);
        assert!(held("ა - ბ, 12 -3, -5", false).is_empty());
    }

    #[test]
    fn compounds_only_when_asked_and_short() {
        let t = "ჩინეთ-საბჭოთა ურთიერთობები 1950-1980 წლებში";
        assert_eq!(held(t, false), ["1950-1980"]);
        assert_eq!(held(t, true), ["ჩინეთ-საბჭოთა", "1950-1980"]);
        // Too long to be sure it fits a phone's line at a title's size.
        assert!(held("ურთიერთდაპირისპირება-მეგობრობა", true).is_empty());
        // A hyphen with a space on one side is no compound.
        assert!(held("ა- ბ -გ", true).is_empty());
    }

    #[test]
    fn markup_escapes_and_keeps_every_character() {
        let t = "A&B 1950-1980 <x>";
        let m = title(t);
        assert_eq!(
            m,
            "A&amp;B <span class=\"nowrap\">1950-1980</span> &lt;x&gt;"
        );
    }
}
