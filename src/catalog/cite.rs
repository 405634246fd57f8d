//! Records for reference managers: CSL-JSON (Zotero, pandoc, Typst's
//! hayagriva), BibTeX/biblatex, RIS.

use super::{Meta, Name};
use serde::Serialize;

#[derive(Serialize)]
struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    publisher_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<&'a str>,
    #[serde(rename = "number-of-pages", skip_serializing_if = "Option::is_none")]
    number_of_pages: Option<usize>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    isbn: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    language: &'a str,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    /// CSL 1.0.2's `license`, where Zotero puts its Rights field.
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<String>,
}

#[derive(Serialize)]
struct CslName<'a> {
    family: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum CslDate {
    Parts {
        #[serde(rename = "date-parts")]
        date_parts: [Vec<u16>; 1],
    },
    /// A date `book.toml` gave in another form than `YYYY[-MM[-DD]]`.
    Raw { raw: String },
}

/// A CSL-JSON array holding the one item. The built book is a `book`, even
/// when its text first appeared as an article: the item describes these files.
pub(crate) fn csl_json(m: &Meta) -> Vec<u8> {
    let issued = m.date.as_ref().map(|d| match d.year {
        Some(y) => {
            let mut parts = vec![y];
            if let Some(mo) = d.month {
                parts.push(u16::from(mo));
                if let Some(day) = d.day {
                    parts.push(u16::from(day));
                }
            }
            CslDate::Parts {
                date_parts: [parts],
            }
        }
        None => CslDate::Raw { raw: d.raw.clone() },
    });
    let item = CslItem {
        id: &m.slug,
        kind: "book",
        title: m.full_title(),
        author: m
            .authors
            .iter()
            .map(|a| CslName {
                family: &a.family,
                given: a.given.as_deref(),
            })
            .collect(),
        issued,
        publisher: m.publisher.as_deref(),
        publisher_place: m.place.as_deref(),
        edition: m.edition.as_deref(),
        number_of_pages: m.pages,
        isbn: m.isbn.as_ref().map(|i| i.given.as_str()),
        language: &m.language,
        abstract_: m.description.as_deref(),
        keyword: (!m.keywords.is_empty()).then(|| m.keywords.join(", ")),
        license: super::rights::one_line(m),
    };
    // Structs of strings and numbers have no map keys that JSON could refuse,
    // so serialisation cannot fail.
    let mut out = serde_json::to_vec_pretty(&[item]).expect("CSL-JSON item serialises");
    out.push(b'\n');
    out
}

/// A biblatex `@book` entry (plain BibTeX reads it too, ignoring the fields
/// it does not know).
pub(crate) fn bibtex(m: &Meta) -> String {
    let mut fields: Vec<(&str, String)> = vec![("title", tex(&m.title))];
    if let Some(s) = &m.subtitle {
        fields.push(("subtitle", tex(s)));
    }
    if !m.authors.is_empty() {
        let names: Vec<String> = m.authors.iter().map(bib_name).collect();
        fields.push(("author", names.join(" and ")));
    }
    if let Some(d) = &m.date {
        if let Some(y) = d.year {
            fields.push(("year", y.to_string()));
            if d.month.is_some() {
                // Parsed as ISO 8601 above, which is biblatex's date syntax.
                fields.push(("date", d.raw.clone()));
            }
        }
    }
    if let Some(p) = &m.publisher {
        fields.push(("publisher", tex(p)));
    }
    if let Some(p) = &m.place {
        fields.push(("location", tex(p)));
    }
    if let Some(e) = &m.edition {
        fields.push(("edition", tex(e)));
    }
    if let Some(r) = super::rights::one_line(m) {
        // Not a biblatex data-model field (biber ignores it); Zotero and
        // JabRef read `copyright` as the item's rights.
        fields.push(("copyright", tex(&r)));
    }
    if let Some(i) = &m.isbn {
        fields.push(("isbn", tex(&i.given)));
    }
    if let Some(n) = m.pages {
        fields.push(("pagetotal", n.to_string()));
    }
    match m.lang {
        Some(l) => fields.push(("language", l.latex.to_string())),
        None if !m.language.is_empty() => fields.push(("language", tex(&m.language))),
        None => {}
    }
    if let Some(d) = &m.description {
        fields.push(("abstract", tex(d)));
    }
    if !m.keywords.is_empty() {
        // biblatex splits `keywords` at commas; a keyword holding one is braced.
        let ks: Vec<String> = m
            .keywords
            .iter()
            .map(|k| {
                let t = tex(k);
                if k.contains(',') {
                    format!("{{{t}}}")
                } else {
                    t
                }
            })
            .collect();
        fields.push(("keywords", ks.join(", ")));
    }
    let mut out = format!("@book{{{},\n", bib_key(&m.slug));
    let last = fields.len().saturating_sub(1);
    for (i, (name, value)) in fields.iter().enumerate() {
        out.push_str(&format!("  {name} = {{{value}}}"));
        out.push_str(if i == last { "\n" } else { ",\n" });
    }
    out.push_str("}\n");
    out
}

fn bib_key(slug: &str) -> String {
    let key: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    if key.is_empty() {
        "book".into()
    } else {
        key
    }
}

/// `Family, Given`, which BibTeX splits without guessing; a part holding the
/// word "and" is braced so it is not taken as a name separator.
fn bib_name(n: &Name) -> String {
    let part = |s: &str| {
        let t = tex(s);
        if s.split(' ').any(|w| w.eq_ignore_ascii_case("and")) {
            format!("{{{t}}}")
        } else {
            t
        }
    };
    match &n.given {
        Some(g) => format!("{}, {}", part(&n.family), part(g)),
        None => part(&n.family),
    }
}

/// Text as (La)TeX reads it back verbatim. Braces use the `\text…` commands,
/// not `\{`, because BibTeX counts every brace, escaped or not, when it looks
/// for the end of a value; `{}` between hyphens stops `--` becoming a dash.
pub(crate) fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '-' if out.ends_with('-') => out.push_str("{}-"),
            _ => out.push(c),
        }
    }
    out
}

/// RIS: `TY` first, `ER` last, one `XX  - value` line each, CRLF as the
/// format's specification has it.
pub(crate) fn ris(m: &Meta) -> String {
    let mut out = String::new();
    let mut line = |tag: &str, value: &str| {
        out.push_str(tag);
        out.push_str("  - ");
        out.push_str(value);
        out.push_str("\r\n");
    };
    line("TY", "BOOK");
    line("TI", &m.full_title());
    for a in &m.authors {
        line("AU", &a.inverted());
    }
    if let Some(d) = &m.date {
        if let Some(y) = d.year {
            line("PY", &format!("{y:04}"));
            if let Some(mo) = d.month {
                let day = d.day.map(|x| format!("{x:02}")).unwrap_or_default();
                line("DA", &format!("{y:04}/{mo:02}/{day}"));
            }
        }
    }
    if let Some(p) = &m.place {
        line("CY", p);
    }
    if let Some(p) = &m.publisher {
        line("PB", p);
    }
    if let Some(e) = &m.edition {
        line("ET", e);
    }
    if let Some(r) = super::rights::one_line(m) {
        // Not in the RIS specification; Zotero reads CR as the item's rights.
        line("CR", &r);
    }
    if let Some(i) = &m.isbn {
        line("SN", &i.given);
    }
    if let Some(n) = m.pages {
        // For TY BOOK, SP is the number of pages.
        line("SP", &n.to_string());
    }
    if !m.language.is_empty() {
        line("LA", &m.language);
    }
    if let Some(d) = &m.description {
        line("AB", d);
    }
    for k in &m.keywords {
        line("KW", k);
    }
    line("ER", "");
    out
}

#[cfg(test)]
mod tests {
    use super::tex;

    #[test]
    fn tex_escapes_specials() {
        assert_eq!(tex("a{b}c"), "a\\textbraceleft{}b\\textbraceright{}c");
        assert_eq!(tex("50% & #1 _x_ $5"), "50\\% \\& \\#1 \\_x\\_ \\$5");
        assert_eq!(
            tex("~^\\"),
            "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
        assert_eq!(tex("1950--1980"), "1950-{}-1980");
        assert_eq!(tex("ჩინეთ-საბჭოთა"), "ჩინეთ-საბჭოთა");
    }
}
