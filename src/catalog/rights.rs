//! The book's rights in each record: the copyright line, the rights
//! statement and the licence (with its address) as `book.toml` gives them,
//! nothing inferred from a licence's name.

use super::Meta;

/// A MARC data field: tag, indicators and subfields.
pub(super) type MarcField = (&'static str, char, char, Vec<(char, String)>);

/// 540 (terms governing use): one per statement, then the licence with its
/// name in $a and its address in $u.
pub(super) fn marc_540(m: &Meta) -> Vec<MarcField> {
    let mut out: Vec<MarcField> = m
        .rights_statements
        .iter()
        .map(|s| ("540", ' ', ' ', vec![('a', s.clone())]))
        .collect();
    let licence: Vec<(char, String)> = [('a', &m.license), ('u', &m.license_url)]
        .into_iter()
        .filter_map(|(code, v)| v.clone().map(|v| (code, v)))
        .collect();
    if !licence.is_empty() {
        out.push(("540", ' ', ' ', licence));
    }
    out
}

/// 856 4 2 (a related resource over HTTP): the licence's text.
pub(super) fn marc_856(m: &Meta) -> Vec<MarcField> {
    m.license_url
        .iter()
        .map(|u| {
            let label = m.license.clone().unwrap_or_else(|| "Licence".to_string());
            ("856", '4', '2', vec![('3', label), ('u', u.clone())])
        })
        .collect()
}

/// `dc:rights` elements: each statement, the licence, its address.
pub(super) fn dc(m: &Meta) -> Vec<String> {
    m.rights_statements
        .iter()
        .chain(&m.license)
        .chain(&m.license_url)
        .cloned()
        .collect()
}

/// Every statement and the licence on one line, for the formats with a
/// single rights field (CSL-JSON, BibTeX, RIS).
pub(super) fn one_line(m: &Meta) -> Option<String> {
    let all = dc(m);
    (!all.is_empty()).then(|| all.join("; "))
}
