//! Word and LibreOffice documents (.docx) into a manuscript: Heading 1 starts
//! a chapter file, Heading 2–6 are sections, Title, Subtitle and Author
//! paragraphs and the document properties fill `book.toml`, notes are
//! defined in the chapter that cites them, tables become pipe tables and
//! images figures, citation fields real references.

mod blocks;
mod captions;
mod char_styles;
mod inline;
mod package;
mod xml;
mod zotero;

use super::cites::{Stub, Stubs};
use super::report::Report;
use super::{Files, ImportError};
use std::collections::{BTreeMap, HashMap};
use xml::Element;

/// What the body's walk needs and gathers.
pub struct Context {
    name: String,
    /// Style id → style name, lower case (`heading 1`, `title`).
    styles: HashMap<String, String>,
    /// Character style id → what it sets (LibreOffice's `Emphasis`).
    char_styles: HashMap<String, char_styles::CharStyle>,
    /// (numId, level) → whether the list is numbered.
    numbering: HashMap<(String, String), bool>,
    /// Relationship id → target, inside `word/`.
    rels: HashMap<String, String>,
    /// The document's language (primary subtag), from the default style.
    language: Option<String>,
    package: package::Package,
    /// Images kept: manuscript path → bytes.
    images: Vec<(String, Vec<u8>)>,
    /// Errors found inside the walk (an image too large), reported after.
    error: Option<ImportError>,
    library: zotero::Library,
    stubs: Stubs,
    report: Report,
    /// Tracked insertions and deletions seen.
    tracked: usize,
    /// The paragraph being read, for the report.
    paragraph: usize,
}

impl Context {
    fn other_language(&self, tag: &str) -> bool {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        self.language.as_deref().is_some_and(|l| l != primary)
    }

    fn note_label(&self, kind: &str, id: &str) -> String {
        let prefix = if kind == "endnoteReference" {
            "en"
        } else {
            "fn"
        };
        format!("{prefix}{id}")
    }

    fn citation_field(&mut self, instr: &str) -> Option<String> {
        if !inline::is_citation(instr) {
            return None;
        }
        let md = self.library.cite(instr);
        let (name, p) = (self.name.clone(), self.paragraph);
        match &md {
            Some(m) => self
                .report
                .guess(&name, p, "citation", format!("citation field → {m}")),
            None => self.report.guess(
                &name,
                p,
                "citation",
                "a citation field without readable data: dropped".into(),
            ),
        }
        md
    }

    /// An embedded picture: kept in `images/` when it is PNG or JPEG.
    fn image(&mut self, drawing: &Element) -> Option<String> {
        let mut blips = Vec::new();
        drawing.descendants("blip", &mut blips);
        let rid = blips.first()?.attr("embed")?.to_string();
        let target = self.rels.get(&rid)?.clone();
        let part = format!(
            "word/{}",
            target.trim_start_matches('/').trim_start_matches("word/")
        );
        let bytes = match self.package.image(&part) {
            Ok(Some(b)) => b,
            Ok(None) => return None,
            Err(e) => {
                self.error.get_or_insert(e);
                return None;
            }
        };
        let (name, p) = (self.name.clone(), self.paragraph);
        let ext = if bytes.starts_with(b"\x89PNG") {
            "png"
        } else if bytes.starts_with(&[0xFF, 0xD8]) {
            "jpg"
        } else {
            self.report.guess(
                &name,
                p,
                "image",
                format!("{part} is neither PNG nor JPEG: left out"),
            );
            return None;
        };
        let path = format!("images/image{}.{ext}", self.images.len() + 1);
        self.images.push((path.clone(), bytes));
        let mut docpr = Vec::new();
        drawing.descendants("docPr", &mut docpr);
        let alt = docpr
            .first()
            .and_then(|d| d.attr("descr").or(d.attr("title")))
            .unwrap_or("")
            .to_string();
        Some(format!("![{}]({path})", super::emit::escape(&alt)))
    }
}

fn parse_part(pkg: &mut package::Package, part: &str) -> Result<Option<Element>, ImportError> {
    match pkg.part(part)? {
        Some(bytes) => xml::parse(&bytes, part)
            .map(Some)
            .map_err(ImportError::Input),
        None => Ok(None),
    }
}

fn styles(root: Option<&Element>) -> (HashMap<String, String>, Option<String>) {
    let mut map = HashMap::new();
    let mut lang = None;
    if let Some(root) = root {
        for s in root.elements().filter(|e| e.name == "style") {
            if let (Some(id), Some(name)) = (
                s.attr("styleId"),
                s.child("name").and_then(|n| n.attr("val")),
            ) {
                map.insert(id.to_string(), name.to_lowercase());
            }
        }
        let mut langs = Vec::new();
        if let Some(d) = root.child("docDefaults") {
            d.descendants("lang", &mut langs);
        }
        lang = langs
            .first()
            .and_then(|l| l.attr("val"))
            .map(|v| v.split('-').next().unwrap_or(v).to_ascii_lowercase());
    }
    (map, lang)
}

fn numbering(root: Option<&Element>) -> HashMap<(String, String), bool> {
    let mut out = HashMap::new();
    let Some(root) = root else { return out };
    let mut abstracts: HashMap<String, HashMap<String, bool>> = HashMap::new();
    for a in root.elements().filter(|e| e.name == "abstractNum") {
        let levels = a
            .elements()
            .filter(|l| l.name == "lvl")
            .filter_map(|l| {
                let fmt = l
                    .child("numFmt")
                    .and_then(|f| f.attr("val"))
                    .unwrap_or("bullet");
                Some((
                    l.attr("ilvl")?.to_string(),
                    !matches!(fmt, "bullet" | "none"),
                ))
            })
            .collect();
        if let Some(id) = a.attr("abstractNumId") {
            abstracts.insert(id.to_string(), levels);
        }
    }
    for n in root.elements().filter(|e| e.name == "num") {
        let (Some(num), Some(abs)) = (
            n.attr("numId"),
            n.child("abstractNumId").and_then(|a| a.attr("val")),
        ) else {
            continue;
        };
        for (lvl, ordered) in abstracts.get(abs).into_iter().flatten() {
            out.insert((num.to_string(), lvl.clone()), *ordered);
        }
    }
    out
}

fn rels(root: Option<&Element>) -> HashMap<String, String> {
    root.map(|r| {
        r.elements()
            .filter_map(|e| Some((e.attr("Id")?.to_string(), e.attr("Target")?.to_string())))
            .collect()
    })
    .unwrap_or_default()
}

/// The document properties: title and creator (`docProps/core.xml`).
fn core(root: Option<&Element>) -> (Option<String>, Option<String>) {
    let get = |n: &str| {
        root.and_then(|r| r.child(n))
            .map(|e| e.text().trim().to_string())
            .filter(|t| !t.is_empty())
    };
    (get("title"), get("creator"))
}

/// Imports a .docx file's bytes.
pub fn import(bytes: Vec<u8>, name: &str) -> Result<(Files, Report), ImportError> {
    let mut pkg = package::Package::open(bytes, name)?;
    if !pkg.has("word/document.xml") {
        return Err(ImportError::Input(format!(
            "{name} is not a Word document (no word/document.xml)"
        )));
    }
    let document = parse_part(&mut pkg, "word/document.xml")?
        .ok_or_else(|| ImportError::Input(format!("{name}: word/document.xml is missing")))?;
    let styles_xml = parse_part(&mut pkg, "word/styles.xml")?;
    let (style_map, language) = styles(styles_xml.as_ref());
    let char_styles = char_styles::read(styles_xml.as_ref());
    let numbering = numbering(parse_part(&mut pkg, "word/numbering.xml")?.as_ref());
    let rels = rels(parse_part(&mut pkg, "word/_rels/document.xml.rels")?.as_ref());
    let footnotes = parse_part(&mut pkg, "word/footnotes.xml")?;
    let endnotes = parse_part(&mut pkg, "word/endnotes.xml")?;
    let (core_title, core_creator) = core(parse_part(&mut pkg, "docProps/core.xml")?.as_ref());
    let mut cx = Context {
        name: name.to_string(),
        styles: style_map,
        char_styles,
        numbering,
        rels,
        language,
        package: pkg,
        images: Vec::new(),
        error: None,
        library: zotero::Library::default(),
        stubs: Stubs::new(),
        report: Report::default(),
        tracked: 0,
        paragraph: 0,
    };
    let body = document
        .child("body")
        .ok_or_else(|| ImportError::Input(format!("{name}: the document has no body")))?;
    let blocks = blocks::read(body, &mut cx);
    let mut notes = BTreeMap::new();
    for (root, kind) in [
        (&footnotes, "footnoteReference"),
        (&endnotes, "endnoteReference"),
    ] {
        for n in root.iter().flat_map(|r| {
            r.elements()
                .filter(|e| e.name == "footnote" || e.name == "endnote")
        }) {
            let Some(id) = n.attr("id") else { continue };
            if n.attr("type").is_some_and(|t| t != "normal") {
                continue;
            }
            let text: Vec<String> = n
                .elements()
                .filter(|p| p.name == "p")
                .map(|p| inline::render(p, &mut cx).trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            notes.insert(cx.note_label(kind, id), text.join(" "));
        }
    }
    if let Some(e) = cx.error.take() {
        return Err(e);
    }
    if cx.tracked > 0 {
        let n = cx.tracked;
        cx.report.guess(
            name,
            0,
            "tracked",
            format!("{n} tracked changes: insertions kept, deletions dropped (accepted)"),
        );
    }
    let meta = blocks::Meta {
        core_title,
        core_creator,
        language: cx.language.clone(),
    };
    let files = blocks::files(&blocks, &notes, &meta, &mut cx);
    Ok((files, std::mem::take(&mut cx.report)))
}

/// Stub references for typed citations, beside the entries from fields.
/// A stub filled from the typed bibliography (`typed`) gives its fields.
fn references(
    library: &zotero::Library,
    stubs: &Stubs,
    typed: &BTreeMap<String, serde_yaml::Mapping>,
) -> String {
    let mut all = serde_yaml::Mapping::new();
    for (k, v) in &library.entries {
        all.insert(serde_yaml::Value::String(k.clone()), v.clone());
    }
    for (k, Stub { author, year }) in stubs {
        if library.entries.contains_key(k) {
            continue;
        }
        if let Some(m) = typed.get(k) {
            all.insert(k.clone().into(), serde_yaml::Value::Mapping(m.clone()));
            continue;
        }
        let mut m = serde_yaml::Mapping::new();
        m.insert("type".into(), "misc".into());
        m.insert("author".into(), author.clone().into());
        if let Some(y) = year {
            m.insert("date".into(), y.clone().into());
        }
        all.insert(
            serde_yaml::Value::String(k.clone()),
            serde_yaml::Value::Mapping(m),
        );
    }
    if all.is_empty() {
        return "{}\n".into();
    }
    serde_yaml::to_string(&serde_yaml::Value::Mapping(all)).unwrap_or_else(|_| "{}\n".into())
}
