//! Reading a written PDF back as a printer's checker would: the text lines
//! of a page with their boxes (poppler's `pdftotext -bbox-layout`) and the
//! document's objects (`qpdf --json`). Like the other validators they say
//! `skipping: …` when missing, unless `TSIGNI_REQUIRE_VALIDATORS=1`.

use crate::common::require_tool;
use quick_xml::events::Event;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// One text line of a page as poppler sees it: its left and right edges,
/// in points from the left of the page, and its words.
#[derive(Debug, Clone)]
pub struct TextLine {
    pub x_min: f32,
    pub x_max: f32,
    pub words: Vec<String>,
}

/// The text lines of page `page` (1-based), in poppler's reading order.
pub fn lines(pdf: &Path, page: usize) -> Option<Vec<TextLine>> {
    let tool = require_tool("pdftotext")?;
    let out = Command::new(tool)
        .args(["-bbox-layout", "-enc", "UTF-8", "-f"])
        .arg(page.to_string())
        .arg("-l")
        .arg(page.to_string())
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        out.status.success(),
        "pdftotext -bbox-layout failed on {pdf:?}"
    );
    Some(parse_lines(&String::from_utf8_lossy(&out.stdout)))
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> f32 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
        .unwrap_or_else(|| panic!("no {} in pdftotext's box", String::from_utf8_lossy(name)))
}

fn parse_lines(xhtml: &str) -> Vec<TextLine> {
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut lines: Vec<TextLine> = Vec::new();
    let mut in_word = false;
    loop {
        match reader.read_event().expect("pdftotext writes XHTML") {
            Event::Start(e) if e.name().as_ref() == b"line" => lines.push(TextLine {
                x_min: attr(&e, b"xMin"),
                x_max: attr(&e, b"xMax"),
                words: Vec::new(),
            }),
            Event::Start(e) if e.name().as_ref() == b"word" => in_word = true,
            Event::End(e) if e.name().as_ref() == b"word" => in_word = false,
            Event::Text(t) if in_word => {
                if let Some(line) = lines.last_mut() {
                    line.words.push(t.decode().expect("UTF-8").into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    lines
}

/// `qpdf --json` of the whole file: `qpdf[1]` holds every object by
/// `obj:N 0 R`, `trailer` the trailer.
pub fn qpdf_json(pdf: &Path) -> Option<Value> {
    let tool = require_tool("qpdf")?;
    let out = Command::new(tool)
        .arg("--json")
        .arg(pdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success(), "qpdf --json failed on {pdf:?}");
    Some(serde_json::from_slice(&out.stdout).expect("qpdf writes JSON"))
}

/// The object `reference` (`"12 0 R"`) points at, from a [`qpdf_json`].
pub fn object<'a>(json: &'a Value, reference: &Value) -> &'a Value {
    let r = reference.as_str().expect("a reference");
    &json["qpdf"][1][format!("obj:{r}")]["value"]
}

/// The document catalogue, from a [`qpdf_json`].
pub fn catalog(json: &Value) -> &Value {
    object(json, &json["qpdf"][1]["trailer"]["value"]["/Root"])
}
