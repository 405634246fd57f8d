//! A bibliography typed at the end of a document, matched to the stub
//! references the typed citations made: "(Suny 1994, 36)" made the stub
//! `suny1994` (author Suny, year 1994); the entry "Suny, Ronald Grigor.
//! 1994. *The Making of the Georgian Nation*. Bloomington: Indiana
//! University Press." fills it in. Only what the entry's shape says for
//! certain becomes a field (an italic or quoted title, "Place: Publisher",
//! an edition, pages, a journal's volume and issue); the rest is reported,
//! never guessed. An entry that matches no stub, or more than one, stays
//! as text.

use super::cites::Stubs;
use super::report::Report;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// Longest typed entry read; a longer paragraph is not a reference.
const MAX_ENTRY_CHARS: usize = 1000;

/// What matching gave: the entries for stub keys, and the paragraphs
/// (as given) that matched nothing.
pub struct Matched {
    pub entries: BTreeMap<String, Mapping>,
    pub unmatched: Vec<String>,
}

/// Matches the paragraphs of a typed bibliography (Markdown, as the
/// importer wrote them) to `stubs`.
pub fn match_entries(paras: &[String], stubs: &Stubs, name: &str, report: &mut Report) -> Matched {
    let plain: Vec<String> = paras
        .iter()
        .map(|p| list_marker_off(p).to_string())
        .collect();
    let mut entries = BTreeMap::new();
    let mut used = vec![false; paras.len()];
    for (key, stub) in stubs {
        let hits: Vec<usize> = plain
            .iter()
            .enumerate()
            .filter(|(_, p)| p.chars().count() <= MAX_ENTRY_CHARS)
            .filter(|(_, p)| starts_with_name(&unmark(p), &stub.author))
            .filter(|(_, p)| match &stub.year {
                Some(y) => year_of(&unmark(p)).is_some_and(|(_, got)| got == *y),
                None => year_of(&unmark(p)).is_none(),
            })
            .map(|(i, _)| i)
            .collect();
        match hits.as_slice() {
            [i] if !used[*i] => {
                used[*i] = true;
                let (fields, unread) = parse(&plain[*i]);
                let mut said = format!(
                    "{key} filled from the typed bibliography: {}",
                    summary(&fields)
                );
                if !unread.is_empty() {
                    said.push_str(&format!("; not read, add by hand if wanted: {unread:?}"));
                }
                report.guess(name, 0, "bibliography", said);
                entries.insert(key.clone(), fields);
            }
            [] => {}
            _ => report.guess(
                name,
                0,
                "bibliography",
                format!(
                    "{key}: {} typed entries fit it; the stub is kept, fill it in by hand",
                    hits.len()
                ),
            ),
        }
    }
    let unmatched: Vec<String> = paras
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(p, _)| p.clone())
        .collect();
    for p in &unmatched {
        report.guess(
            name,
            0,
            "bibliography",
            format!(
                "typed entry cited by no citation found, kept as text: {:?}",
                unmark(p)
            ),
        );
    }
    Matched { entries, unmatched }
}

fn list_marker_off(p: &str) -> &str {
    let t = p.trim_start();
    let t = t.strip_prefix("- ").unwrap_or(t);
    match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    }
}

/// Markdown emphasis and escapes off: the words as typed.
fn unmark(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => {}
            c => out.push(c),
        }
    }
    out
}

fn starts_with_name(entry: &str, author: &str) -> bool {
    let first: String = entry
        .chars()
        .take_while(|c| c.is_alphabetic() || matches!(c, '\'' | '-' | '’'))
        .collect();
    !author.is_empty() && first.to_lowercase() == author.to_lowercase()
}

/// The first year (1500–2099) standing as its own token, and where it ends
/// (a letter suffix, `1994a`, belongs to it).
fn year_of(entry: &str) -> Option<(std::ops::Range<usize>, String)> {
    let b = entry.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let digits = b[i..i + 4].iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let after = b.get(i + 4).copied();
        let after_ok = after.is_none_or(|c| !c.is_ascii_digit());
        if digits
            && before_ok
            && after_ok
            && matches!(&entry[i..i + 2], "15" | "16" | "17" | "18" | "19" | "20")
        {
            let end = i + 4 + usize::from(after.is_some_and(|c| c.is_ascii_lowercase()));
            return Some((i..end, entry[i..i + 4].to_string()));
        }
        i += 1;
    }
    None
}

/// The fields an entry's shape gives for certain, and the text left unread.
pub fn parse(md: &str) -> (Mapping, String) {
    // Word and pandoc tie abbreviations with no-break spaces (`ed.\u{a0}X`).
    let md = &md.replace('\u{a0}', " ");
    let plain = unmark(md);
    let mut m = Mapping::new();
    let Some((year_at, year)) = year_of(&plain) else {
        return (m, plain);
    };
    let authors = split_authors(plain[..year_at.start].trim_end_matches([' ', '.', ',', '(']));
    let after_year = md_after_year(md, &year);
    let rest = after_year.trim_start_matches([')', '.', ',', ':', ' ']);
    let (title, kind, rest) = title_of(rest);
    let mut rest = rest.trim_start_matches(['.', ',', ' ']).to_string();
    let ty = kind;
    m.insert("type".into(), ty.into());
    if let Some(t) = title {
        m.insert("title".into(), t.into());
    }
    match authors.as_slice() {
        [one] => {
            m.insert("author".into(), one.clone().into());
        }
        [] => {}
        many => {
            m.insert(
                "author".into(),
                Value::Sequence(many.iter().map(|a| a.clone().into()).collect()),
            );
        }
    }
    m.insert(
        "date".into(),
        year.parse::<u32>()
            .map_or(Value::from(year.clone()), Value::from),
    );
    if let Some((ed, left)) = take_edition(&rest) {
        m.insert("edition".into(), ed.into());
        rest = left;
    }
    if let Some((pages, left)) = take_pages(&rest) {
        m.insert("page-range".into(), pages.into());
        rest = left;
    }
    if let Some((place, publisher, left)) = take_imprint(&rest) {
        let mut p = Mapping::new();
        p.insert("name".into(), publisher.into());
        p.insert("location".into(), place.into());
        m.insert("publisher".into(), Value::Mapping(p));
        rest = left;
    }
    if ty == "article" {
        if let Some((parent, left)) = take_journal(&rest) {
            m.insert("parent".into(), Value::Mapping(parent));
            rest = left;
        }
    }
    (m, unmark(rest.trim_matches(['.', ',', ' '])))
}

/// The Markdown after the year, so that italics still show the title.
fn md_after_year<'a>(md: &'a str, year: &str) -> &'a str {
    md.find(year)
        .map_or("", |i| &md[i + year.len()..])
        .trim_start_matches(|c: char| c.is_ascii_lowercase())
}

fn split_authors(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 200 {
        return Vec::new();
    }
    s.split(['&', ';'])
        .flat_map(|p| p.split(" and "))
        .flat_map(|p| p.split(" და "))
        .map(|p| p.trim().trim_matches(',').trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// An italic title is a book's; a quoted one an article's or chapter's.
fn title_of(rest: &str) -> (Option<String>, &'static str, &str) {
    if let Some(r) = rest.strip_prefix('*') {
        if let Some(end) = r.find('*') {
            return (Some(unmark(&r[..end])), "book", &r[end + 1..]);
        }
    }
    for (open, close) in [('“', '”'), ('„', '“'), ('"', '"'), ('«', '»'), ('‘', '’')]
    {
        if let Some(r) = rest.strip_prefix(open) {
            if let Some(end) = r.find(close) {
                let title = unmark(r[..end].trim_end_matches([',', '.']));
                let after = &r[end + close.len_utf8()..];
                let kind = if after.trim_start_matches(['.', ',', ' ']).starts_with("In ")
                    || after.contains("წიგნში")
                {
                    "chapter"
                } else {
                    "article"
                };
                return (Some(title), kind, after);
            }
        }
    }
    (None, "misc", rest)
}

fn take_edition(rest: &str) -> Option<(u32, String)> {
    let words: Vec<&str> = rest.split(' ').collect();
    let at = words.windows(2).position(|w| {
        let n = w[0].trim_end_matches(|c: char| c.is_alphabetic());
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_digit())
            && (w[1].starts_with("ed.") || w[1].starts_with("edition"))
    })?;
    let n: u32 = words[at]
        .trim_end_matches(|c: char| c.is_alphabetic())
        .parse()
        .ok()?;
    let mut left: Vec<&str> = words.clone();
    left.drain(at..at + 2);
    Some((n, left.join(" ")))
}

/// Pages at the end: `21–52`, `pp. 36-58`.
fn take_pages(rest: &str) -> Option<(String, String)> {
    let t = rest.trim_end_matches(['.', ' ']);
    let start = t.rfind([' ', ':', ','])? + 1;
    let token = &t[start..];
    let (a, b) = token.split_once(['–', '-'])?;
    if a.is_empty() || b.is_empty() || !a.chars().chain(b.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let left = t[..start]
        .trim_end_matches([' ', ':', ','])
        .trim_end_matches("pp.")
        .trim_end();
    Some((format!("{a}-{b}"), left.to_string()))
}

/// `Place: Publisher` as the last sentence, with no digits in it.
fn take_imprint(rest: &str) -> Option<(String, String, String)> {
    let t = rest.trim_end_matches(['.', ' ']);
    let start = t.rfind(". ").map_or(0, |i| i + 2);
    let last = &t[start..];
    let (place, publisher) = last.split_once(": ")?;
    let ok =
        |s: &str| !s.trim().is_empty() && !s.contains(|c: char| c.is_ascii_digit() || c == '*');
    if !ok(place) || !ok(publisher) || place.contains(',') && place.split(',').count() > 2 {
        return None;
    }
    Some((
        place.trim().to_string(),
        publisher.trim().to_string(),
        t[..start].to_string(),
    ))
}

/// `*Journal* 1 (1)` after an article's title.
fn take_journal(rest: &str) -> Option<(Mapping, String)> {
    let r = rest.trim().strip_prefix('*')?;
    let end = r.find('*')?;
    let mut p = Mapping::new();
    p.insert("type".into(), "periodical".into());
    p.insert("title".into(), unmark(&r[..end]).into());
    let mut after = r[end + 1..].trim_start_matches([',', ' ']);
    let volume: String = after.chars().take_while(char::is_ascii_digit).collect();
    if !volume.is_empty() {
        p.insert(
            "volume".into(),
            volume.parse::<u32>().map_or(Value::Null, Value::from),
        );
        after = after[volume.len()..].trim_start_matches([',', ' ']);
        if let Some(inner) = after.strip_prefix('(').and_then(|a| a.split_once(')')) {
            if inner.0.chars().all(|c| c.is_ascii_digit()) && !inner.0.is_empty() {
                p.insert(
                    "issue".into(),
                    inner.0.parse::<u32>().map_or(Value::Null, Value::from),
                );
                after = inner.1;
            }
        }
    }
    Some((
        p,
        after.trim_start_matches([',', ':', ' ', '.']).to_string(),
    ))
}

fn summary(m: &Mapping) -> String {
    let keys: Vec<&str> = m.keys().filter_map(Value::as_str).collect();
    keys.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(md: &str) -> (String, String) {
        let (m, unread) = parse(md);
        (serde_yaml::to_string(&m).unwrap(), unread)
    }

    #[test]
    fn a_book_with_edition_and_imprint() {
        let (y, unread) = yaml("Suny, Ronald Grigor. 1994. *The Making of the Georgian Nation*. 2nd ed.\u{a0}Bloomington: Indiana University Press.");
        assert_eq!(y, "type: book\ntitle: The Making of the Georgian Nation\nauthor: Suny, Ronald Grigor\ndate: 1994\nedition: 2\npublisher:\n  name: Indiana University Press\n  location: Bloomington\n");
        assert_eq!(unread, "");
    }

    #[test]
    fn an_article_with_journal_volume_issue_pages() {
        let (y, unread) = yaml("Yang, Kuisong (2000). “The Sino-Soviet Border Clash of 1969.” *Cold War History* 1 (1): 21–52.");
        assert_eq!(y, "type: article\ntitle: The Sino-Soviet Border Clash of 1969\nauthor: Yang, Kuisong\ndate: 2000\npage-range: 21-52\nparent:\n  type: periodical\n  title: Cold War History\n  volume: 1\n  issue: 1\n");
        assert_eq!(unread, "");
    }

    #[test]
    fn what_the_shape_does_not_say_is_left_unread_not_guessed() {
        let (y, unread) = yaml("სნოუ, ედგარ, 1961. წითელი ვარსკვლავი ჩინეთის თავზე. რაღაც სხვა");
        assert_eq!(y, "type: misc\nauthor: სნოუ, ედგარ\ndate: 1961\n");
        assert_eq!(unread, "წითელი ვარსკვლავი ჩინეთის თავზე. რაღაც სხვა");
    }

    #[test]
    fn stubs_match_one_entry_each_or_none() {
        let mut stubs = Stubs::new();
        for (k, a, y) in [
            ("suny1994", "Suny", Some("1994")),
            ("li1997", "Li", Some("1997")),
            ("xu", "Xu", None),
        ] {
            stubs.insert(
                k.into(),
                super::super::cites::Stub {
                    author: a.into(),
                    year: y.map(Into::into),
                },
            );
        }
        let paras = vec![
            "- Suny, Ronald Grigor. 1994. *The Making of the Georgian Nation*. Bloomington: Indiana University Press.".to_string(),
            "Li, Danhui. 1997. *A*.".to_string(),
            "Li, Danhui. 1997. *B*.".to_string(),
            "Zhang, Wei. 2009. *Uncited*.".to_string(),
        ];
        let mut report = Report::default();
        let got = match_entries(&paras, &stubs, "x.docx", &mut report);
        assert_eq!(got.entries.keys().collect::<Vec<_>>(), ["suny1994"]);
        // Two Li 1997 entries: ambiguous, both kept as text, with Zhang.
        assert_eq!(got.unmatched.len(), 3);
        assert_eq!(report.of_kind("bibliography").count(), 5);
    }
}
