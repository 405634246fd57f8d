//! Simple Dublin Core in the OAI-PMH `oai_dc` container, the form repositories
//! harvest.

use super::{xml_bytes, Meta};
use quick_xml::events::BytesText;
use quick_xml::Writer;
use std::io;

const OAI_DC: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const SCHEMA: &str =
    "http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd";

pub(crate) fn oai_dc(m: &Meta) -> Vec<u8> {
    xml_bytes(|w| {
        w.create_element("oai_dc:dc")
            .with_attributes([
                ("xmlns:oai_dc", OAI_DC),
                ("xmlns:dc", DC),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:schemaLocation", SCHEMA),
            ])
            .write_inner_content(|w| elements(w, m))?;
        Ok(())
    })
}

fn elements(w: &mut Writer<Vec<u8>>, m: &Meta) -> io::Result<()> {
    // Text in the book's language says so; codes and dates are language-neutral.
    let lang = m.language.as_str();
    element(w, "dc:title", &m.full_title(), Some(lang))?;
    for a in &m.authors {
        element(w, "dc:creator", &a.inverted(), None)?;
    }
    for k in &m.keywords {
        element(w, "dc:subject", k, Some(lang))?;
    }
    if let Some(d) = &m.description {
        element(w, "dc:description", d, Some(lang))?;
    }
    if let Some(p) = &m.publisher {
        element(w, "dc:publisher", p, None)?;
    }
    if let Some(d) = &m.date {
        element(w, "dc:date", &d.raw, None)?;
    }
    // DCMI Type Vocabulary.
    element(w, "dc:type", "Text", None)?;
    let mut formats: Vec<&str> = Vec::new();
    for f in m.files {
        if !formats.contains(&f.media_type) {
            formats.push(f.media_type);
        }
    }
    for f in formats {
        element(w, "dc:format", f, None)?;
    }
    if !m.identifier.is_empty() {
        element(w, "dc:identifier", &m.identifier, None)?;
    }
    if let Some(isbn) = m.isbn.as_ref().filter(|i| i.valid) {
        element(
            w,
            "dc:identifier",
            &format!("urn:isbn:{}", isbn.compact),
            None,
        )?;
    }
    element(w, "dc:language", &m.language, None)?;
    for r in super::rights::dc(m) {
        element(w, "dc:rights", &r, None)?;
    }
    Ok(())
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, text: &str, lang: Option<&str>) -> io::Result<()> {
    let mut e = w.create_element(name);
    if let Some(l) = lang.filter(|l| !l.is_empty()) {
        e = e.with_attribute(("xml:lang", l));
    }
    e.write_text_content(BytesText::new(text))?;
    Ok(())
}
