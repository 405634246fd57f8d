//! MARC 21 bibliographic record as MARCXML.
//!
//! The record follows RDA with ISBD punctuation omitted (leader/18 `c`), so
//! subfields hold the values exactly as `book.toml` gives them. It is
//! catalogued in English (notes such as 546 "In Georgian."), as MARC records
//! usually are whatever the language of the item.

use super::{xml_bytes, Meta, EPUB_MEDIA_TYPE, PDF_MEDIA_TYPE};
use quick_xml::events::BytesText;
use std::io;

const NS: &str = "http://www.loc.gov/MARC21/slim";
const SCHEMA: &str =
    "http://www.loc.gov/MARC21/slim http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd";

enum Field {
    Control {
        tag: &'static str,
        value: String,
    },
    Data {
        tag: &'static str,
        ind1: char,
        ind2: char,
        subfields: Vec<(char, String)>,
    },
}

fn data(tag: &'static str, ind1: char, ind2: char, subfields: Vec<(char, String)>) -> Field {
    Field::Data {
        tag,
        ind1,
        ind2,
        subfields,
    }
}

fn sub(code: char, value: impl Into<String>) -> (char, String) {
    (code, value.into())
}

impl Field {
    /// Length in an ISO 2709 record: content plus the field terminator.
    fn iso2709_len(&self) -> usize {
        match self {
            Field::Control { value, .. } => value.len() + 1,
            Field::Data { subfields, .. } => {
                2 + subfields.iter().map(|(_, v)| 2 + v.len()).sum::<usize>() + 1
            }
        }
    }
}

pub(crate) fn marcxml(m: &Meta) -> Vec<u8> {
    let fields = fields(m);
    let leader = leader(&fields);
    xml_bytes(|w| {
        w.create_element("collection")
            .with_attributes([
                ("xmlns", NS),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", SCHEMA),
            ])
            .write_inner_content(|w| {
                w.create_element("record").write_inner_content(|w| {
                    w.create_element("leader")
                        .write_text_content(BytesText::new(&leader))?;
                    for f in &fields {
                        write_field(w, f)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}

fn write_field(w: &mut quick_xml::Writer<Vec<u8>>, f: &Field) -> io::Result<()> {
    match f {
        Field::Control { tag, value } => {
            w.create_element("controlfield")
                .with_attribute(("tag", *tag))
                .write_text_content(BytesText::new(value))?;
        }
        Field::Data {
            tag,
            ind1,
            ind2,
            subfields,
        } => {
            let (i1, i2) = (ind1.to_string(), ind2.to_string());
            w.create_element("datafield")
                .with_attributes([("tag", *tag), ("ind1", &i1), ("ind2", &i2)])
                .write_inner_content(|w| {
                    for (code, value) in subfields {
                        w.create_element("subfield")
                            .with_attribute(("code", code.to_string().as_str()))
                            .write_text_content(BytesText::new(value))?;
                    }
                    Ok(())
                })?;
        }
    }
    Ok(())
}

/// Leader for a new record (05 `n`) of language material (06 `a`), a monograph
/// (07 `m`), in Unicode (09 `a`). Encoding level 17 is `3` (abbreviated): the
/// record is generated from the author's metadata, not made by a cataloguer.
/// Lengths are those of the same record in ISO 2709, so converting it to
/// binary MARC keeps the leader true.
fn leader(fields: &[Field]) -> String {
    let base = 24 + 12 * fields.len() + 1;
    let total = base + fields.iter().map(Field::iso2709_len).sum::<usize>() + 1;
    // ISO 2709 cannot hold a field over 9999 bytes or a record over 99999;
    // MARCXML can, and "00000" is the usual "not computed" there.
    let fits = total <= 99_999 && fields.iter().all(|f| f.iso2709_len() <= 9_999);
    let length = if fits {
        format!("{total:05}")
    } else {
        "00000".to_string()
    };
    format!("{length}nam a22{base:05}3c 4500")
}

fn fields(m: &Meta) -> Vec<Field> {
    let mut out = Vec::new();
    let (y, mo, d, h, mi, s) = m.built;
    if !m.identifier.is_empty() {
        out.push(Field::Control {
            tag: "001",
            value: m.identifier.clone(),
        });
    }
    out.push(Field::Control {
        tag: "005",
        value: format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}.0"),
    });
    out.push(Field::Control {
        tag: "008",
        value: fixed_008(m),
    });
    if let Some(isbn) = &m.isbn {
        // A wrong check digit is still worth recording, as a cancelled/invalid ISBN.
        out.push(if isbn.valid {
            data("020", ' ', ' ', vec![sub('a', &isbn.compact)])
        } else {
            data("020", ' ', ' ', vec![sub('z', &isbn.given)])
        });
    }
    if let Some(source) = identifier_source(&m.identifier) {
        out.push(data(
            "024",
            '7',
            ' ',
            vec![sub('a', &m.identifier), sub('2', source)],
        ));
    }
    if let Some(lang) = m.lang {
        out.push(data("041", ' ', ' ', vec![sub('a', lang.marc)]));
    }
    let mut authors = m.authors.iter();
    let first = authors.next();
    if let Some(a) = first {
        // First indicator 1: the name is entered under the surname.
        out.push(data(
            "100",
            '1',
            ' ',
            vec![sub('a', a.inverted()), sub('e', "author")],
        ));
    }
    let mut title = vec![sub('a', &m.title)];
    if let Some(s) = &m.subtitle {
        title.push(sub('b', s));
    }
    if !m.authors.is_empty() {
        // The statement of responsibility transcribes names in direct order.
        let names: Vec<String> = m.authors.iter().map(|a| a.direct()).collect();
        title.push(sub('c', names.join(", ")));
    }
    // 245/1 says whether a 1XX main entry exists; 245/2 (nonfiling characters)
    // is 0 as Georgian has no articles.
    let ind1 = if first.is_some() { '1' } else { '0' };
    out.push(data("245", ind1, '0', title));
    if let Some(e) = &m.edition {
        out.push(data("250", ' ', ' ', vec![sub('a', e)]));
    }
    let mut publication = Vec::new();
    if let Some(p) = &m.place {
        publication.push(sub('a', p));
    }
    if let Some(p) = &m.publisher {
        publication.push(sub('b', p));
    }
    if let Some(date) = &m.date {
        let c = date
            .year
            .map_or_else(|| date.raw.clone(), |y| y.to_string());
        publication.push(sub('c', c));
    }
    if !publication.is_empty() {
        out.push(data("264", ' ', '1', publication));
    }
    let extent = match m.pages {
        Some(1) => "1 online resource (1 page)".to_string(),
        Some(n) => format!("1 online resource ({n} pages)"),
        None => "1 online resource".to_string(),
    };
    out.push(data("300", ' ', ' ', vec![sub('a', extent)]));
    out.push(data(
        "336",
        ' ',
        ' ',
        vec![sub('a', "text"), sub('b', "txt"), sub('2', "rdacontent")],
    ));
    out.push(data(
        "337",
        ' ',
        ' ',
        vec![sub('a', "computer"), sub('b', "c"), sub('2', "rdamedia")],
    ));
    out.push(data(
        "338",
        ' ',
        ' ',
        vec![
            sub('a', "online resource"),
            sub('b', "cr"),
            sub('2', "rdacarrier"),
        ],
    ));
    // File type comes from the RDA vocabulary (rdaft); encoding formats have
    // no registered source, so they go in their own fields, as PCC advises.
    out.push(data(
        "347",
        ' ',
        ' ',
        vec![sub('a', "text file"), sub('2', "rdaft")],
    ));
    for f in m.files {
        if let Some(format) = format_name(f.media_type) {
            out.push(data("347", ' ', ' ', vec![sub('b', format)]));
        }
    }
    if m.has_bibliography {
        out.push(data(
            "504",
            ' ',
            ' ',
            vec![sub('a', "Includes bibliographical references.")],
        ));
    }
    if let Some(desc) = &m.description {
        out.push(data("520", ' ', ' ', vec![sub('a', desc)]));
    }
    if let Some(lang) = m.lang {
        out.push(data(
            "546",
            ' ',
            ' ',
            vec![sub('a', format!("In {}.", lang.english))],
        ));
    }
    out.extend(
        super::rights::marc_540(m)
            .into_iter()
            .map(|(t, a, b, s)| data(t, a, b, s)),
    );
    for k in &m.keywords {
        out.push(data("653", ' ', ' ', vec![sub('a', k)]));
    }
    for a in authors {
        out.push(data(
            "700",
            '1',
            ' ',
            vec![sub('a', a.inverted()), sub('e', "author")],
        ));
    }
    for f in m.files {
        let mut s = Vec::new();
        if let Some(format) = format_name(f.media_type) {
            s.push(sub('3', format));
        }
        s.push(sub('u', uri_path(&f.name)));
        s.push(sub('q', f.media_type));
        s.push(sub('s', f.bytes.to_string()));
        s.push(sub('z', format!("SHA-256: {}", f.sha256)));
        // 4 = HTTP; 0 = the resource itself (not a related one).
        out.push(data("856", '4', '0', s));
    }
    out.extend(
        super::rights::marc_856(m)
            .into_iter()
            .map(|(t, a, b, s)| data(t, a, b, s)),
    );
    out
}

/// 008 for books (BK), 40 positions.
fn fixed_008(m: &Meta) -> String {
    let (y, mo, d, ..) = m.built;
    let (date_type, date1, date2) = match m.date.as_ref().and_then(|d| d.year) {
        Some(year) => ('s', format!("{year:04}"), "    "),
        None => ('n', "uuuu".to_string(), "uuuu"),
    };
    let mut s = String::with_capacity(40);
    s.push_str(&format!("{:02}{mo:02}{d:02}", y % 100)); // 00-05 date entered
    s.push(date_type); // 06
    s.push_str(&date1); // 07-10
    s.push_str(date2); // 11-14
    s.push_str("xx "); // 15-17 place: unknown (book.toml has no place)
    s.push_str(if m.has_images { "a   " } else { "    " }); // 18-21 illustrations
    s.push(' '); // 22 target audience: unknown or not specified
    s.push('o'); // 23 form of item: online
    s.push_str(if m.has_bibliography { "b   " } else { "    " }); // 24-27 nature of contents
    s.push('u'); // 28 government publication: unknown
    s.push('0'); // 29 conference publication: no
    s.push('0'); // 30 festschrift: no
    s.push('0'); // 31 index: no (tsigni makes none)
    s.push(' '); // 32 undefined
    s.push('0'); // 33 literary form: not fiction
    s.push(' '); // 34 biography: none
    s.push_str(m.lang.map_or("und", |l| l.marc)); // 35-37 language
    s.push(' '); // 38 modified record: not modified
    s.push('d'); // 39 cataloguing source: other
    debug_assert_eq!(s.chars().count(), 40, "008 is {s:?}");
    s
}

/// Source code (MARC Standard Identifier Source Codes) for 024 7_, when the
/// identifier is of a kind that has one.
fn identifier_source(id: &str) -> Option<&'static str> {
    let lower = id.to_ascii_lowercase();
    if lower.starts_with("urn:") {
        Some("urn")
    } else if lower.starts_with("doi:") || lower.starts_with("10.") {
        Some("doi")
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Some("uri")
    } else {
        None
    }
}

fn format_name(media_type: &str) -> Option<&'static str> {
    match media_type {
        EPUB_MEDIA_TYPE => Some("EPUB"),
        PDF_MEDIA_TYPE => Some("PDF"),
        _ => None,
    }
}

/// A file name as a relative URI reference: everything outside RFC 3986's
/// unreserved set is percent-encoded, so a space or a `#` cannot break the link.
pub(crate) fn uri_path(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
