//! The body's paragraphs and tables into blocks by their styles, and the
//! blocks into chapter files.

use super::inline;
use super::xml::Element;
use super::Context;
use crate::import::Files;
use std::collections::BTreeMap;

#[derive(Debug)]
pub enum Block {
    Title(String),
    Subtitle(String),
    Author(String),
    Heading(u8, String),
    Para(String),
    Quote(String),
    Item {
        ordered: bool,
        level: usize,
        text: String,
    },
    Caption(String),
    Table(Vec<Vec<String>>),
}

pub struct Meta {
    pub core_title: Option<String>,
    pub core_creator: Option<String>,
    pub language: Option<String>,
}

/// Reads the body's blocks in order.
pub fn read(body: &Element, cx: &mut Context) -> Vec<Block> {
    let mut out = Vec::new();
    for e in body.elements() {
        match e.name.as_str() {
            "p" => paragraph(e, cx, &mut out),
            "tbl" => {
                let rows = table(e, cx);
                out.push(Block::Table(rows));
            }
            "sdt" => {
                if let Some(c) = e.child("sdtContent") {
                    out.extend(read(c, cx));
                }
            }
            _ => {}
        }
    }
    out
}

fn style_name(p: &Element, cx: &Context) -> String {
    let id = p
        .child("pPr")
        .and_then(|pr| pr.child("pStyle"))
        .and_then(|s| s.attr("val"))
        .unwrap_or("");
    cx.styles
        .get(id)
        .cloned()
        .unwrap_or_else(|| id.to_lowercase())
}

fn paragraph(p: &Element, cx: &mut Context, out: &mut Vec<Block>) {
    cx.paragraph += 1;
    let style = style_name(p, cx);
    let text = inline::render(p, cx).trim().to_string();
    let text = cite_typed(&text, cx);
    if text.is_empty() {
        return;
    }
    let heading = style
        .strip_prefix("heading ")
        .or_else(|| style.strip_prefix("heading"))
        .and_then(|n| n.trim().parse::<u8>().ok())
        .filter(|n| (1..=6).contains(n));
    let num = p.child("pPr").and_then(|pr| pr.child("numPr"));
    let list = num.and_then(|n| {
        let id = n.child("numId")?.attr("val")?.to_string();
        let lvl = n
            .child("ilvl")
            .and_then(|l| l.attr("val"))
            .unwrap_or("0")
            .to_string();
        (id != "0").then_some((id, lvl))
    });
    let block = if let Some(n) = heading {
        Block::Heading(n, text)
    } else {
        match style.as_str() {
            "title" => Block::Title(text),
            "subtitle" => Block::Subtitle(text),
            "author" => Block::Author(text),
            "quote" | "intense quote" | "block text" | "quotations" => Block::Quote(text),
            // pandoc's "Captioned Figure" holds the picture, not its caption.
            s if (s.contains("caption") || matches!(s, "figure" | "table" | "illustration"))
                && !text.starts_with("![") =>
            {
                Block::Caption(caption(text, cx))
            }
            s if list.is_some() || s.starts_with("list bullet") || s.starts_with("list number") => {
                let (ordered, level) = match &list {
                    Some((id, lvl)) => (
                        cx.numbering
                            .get(&(id.clone(), lvl.clone()))
                            .copied()
                            .unwrap_or(false),
                        lvl.parse().unwrap_or(0).min(8),
                    ),
                    None => (s.starts_with("list number"), 0),
                };
                Block::Item {
                    ordered,
                    level,
                    text,
                }
            }
            _ => Block::Para(text),
        }
    };
    out.push(block);
}

fn caption(text: String, cx: &mut Context) -> String {
    match super::captions::label_off(&text) {
        Some(rest) => {
            let (name, p) = (cx.name.clone(), cx.paragraph);
            cx.report.guess(
                &name,
                p,
                "caption",
                format!("{text:?}: the label is dropped, tsigni numbers captions itself"),
            );
            rest.to_string()
        }
        None => text,
    }
}

fn cite_typed(text: &str, cx: &mut Context) -> String {
    let (name, p) = (cx.name.clone(), cx.paragraph);
    crate::import::emit::cite(text, p, &mut cx.stubs, &name, &mut cx.report)
}

/// A table's rows of cell Markdown. Merged cells are split (pipe tables
/// have no spans), with a warning.
fn table(t: &Element, cx: &mut Context) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut merged = false;
    for tr in t.elements().filter(|e| e.name == "tr") {
        let mut row = Vec::new();
        for tc in tr.elements().filter(|e| e.name == "tc") {
            let pr = tc.child("tcPr");
            let span: usize = pr
                .and_then(|p| p.child("gridSpan"))
                .and_then(|g| g.attr("val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .clamp(1, 64);
            let continued = pr
                .and_then(|p| p.child("vMerge"))
                .is_some_and(|v| v.attr("val") != Some("restart"));
            let mut parts = Vec::new();
            for p in tc.elements() {
                match p.name.as_str() {
                    "p" => {
                        cx.paragraph += 1;
                        let t = inline::render(p, cx).trim().to_string();
                        parts.push(cite_typed(&t, cx));
                    }
                    "tbl" => {
                        let (name, n) = (cx.name.clone(), cx.paragraph);
                        cx.report.guess(
                            &name,
                            n,
                            "table",
                            "a table inside a table cell: kept as its text".into(),
                        );
                        parts.push(crate::import::emit::escape(p.text().trim()));
                    }
                    _ => {}
                }
            }
            let text = if continued {
                String::new()
            } else {
                parts.join(" ")
            };
            merged |= span > 1 || continued;
            // `escape` has already backslashed any `|` of the text.
            row.push(text);
            row.extend(std::iter::repeat_n(String::new(), span - 1));
        }
        rows.push(row);
    }
    if merged {
        let (name, n) = (cx.name.clone(), cx.paragraph);
        cx.report.guess(
            &name,
            n,
            "table",
            "merged cells split: a pipe table cannot span cells".into(),
        );
    }
    rows
}

fn pipe_table(rows: &[Vec<String>], caption: Option<&str>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let line = |r: &[String]| {
        let mut cells: Vec<&str> = r.iter().map(String::as_str).collect();
        cells.resize(cols, "");
        format!("| {} |", cells.join(" | "))
    };
    let mut out = Vec::new();
    let empty = Vec::new();
    out.push(line(rows.first().unwrap_or(&empty)));
    out.push(format!("|{}", " --- |".repeat(cols)));
    for r in rows.iter().skip(1) {
        out.push(line(r));
    }
    if let Some(c) = caption {
        out.push(String::new());
        out.push(format!("Table: {c}"));
    }
    out.join("\n")
}

struct Chapter {
    title: String,
    body: Vec<String>,
}

/// The title block and the chapters' Markdown blocks.
struct Assembled {
    title: Option<String>,
    subtitle: Option<String>,
    authors: Vec<String>,
    chapters: Vec<Chapter>,
    /// The chapter holding a typed bibliography, if any.
    bibliography: Option<usize>,
}

/// Blocks into chapters: the title block before the first chapter is
/// metadata, a caption next to a table or a picture joins it. One match
/// over the block kinds, each arm a few lines: longer than the guide, but
/// split it would scatter the one walk that decides where captions go.
fn assemble(blocks: &[Block], cx: &mut Context) -> Assembled {
    let mut title = None;
    let mut subtitle = None;
    let mut authors = Vec::new();
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut bibliography = None;
    let mut i = 0;
    while i < blocks.len() {
        let b = &blocks[i];
        let next_caption = match blocks.get(i + 1) {
            Some(Block::Caption(c)) => Some(c.as_str()),
            _ => None,
        };
        let md = match b {
            Block::Title(t) if title.is_none() && chapters.is_empty() => {
                title = Some(t.clone());
                None
            }
            Block::Subtitle(t) if subtitle.is_none() && chapters.is_empty() => {
                subtitle = Some(t.clone());
                None
            }
            Block::Author(t) if chapters.is_empty() => {
                authors.push(t.clone());
                None
            }
            Block::Heading(_, t) if is_bibliography(t) => {
                let name = cx.name.clone();
                cx.report.guess(&name, 0, "bibliography", format!("{t:?} is a typed bibliography: its entries fill the citations' stub references; tsigni builds the bibliography from references.yaml"));
                bibliography = Some(chapters.len());
                chapters.push(Chapter {
                    title: t.clone(),
                    body: Vec::new(),
                });
                None
            }
            Block::Heading(1, t) => {
                chapters.push(Chapter {
                    title: t.clone(),
                    body: Vec::new(),
                });
                None
            }
            Block::Heading(n, t) => Some(format!("{} {t}", "#".repeat(*n as usize))),
            Block::Title(t) | Block::Subtitle(t) | Block::Author(t) | Block::Para(t) => {
                // A picture alone in its paragraph, with a caption after it:
                // a figure, its caption the image's description.
                match (t.strip_prefix("!["), next_caption) {
                    (Some(rest), Some(c))
                        if t.ends_with(')')
                            && rest.matches("](").count() == 1
                            && !rest
                                .split("](")
                                .nth(1)
                                .is_some_and(|p| p.contains(char::is_whitespace)) =>
                    {
                        i += 1;
                        let path = &rest[rest.find("](").unwrap_or(0) + 2..rest.len() - 1];
                        Some(format!("![{c}]({path})"))
                    }
                    _ => Some(t.clone()),
                }
            }
            Block::Quote(t) => Some(format!("> {t}")),
            Block::Item {
                ordered,
                level,
                text,
            } => {
                let indent = "   ".repeat(*level);
                let marker = if *ordered { "1." } else { "-" };
                Some(format!("{indent}{marker} {text}"))
            }
            Block::Caption(c) => match blocks.get(i + 1) {
                Some(Block::Table(rows)) => {
                    i += 1;
                    Some(pipe_table(rows, Some(c)))
                }
                _ => Some(c.clone()),
            },
            Block::Table(rows) => {
                if next_caption.is_some() {
                    i += 1;
                }
                Some(pipe_table(rows, next_caption))
            }
        };
        if let Some(md) = md {
            if chapters.is_empty() {
                chapters.push(Chapter {
                    title: title.clone().unwrap_or_else(|| stem(&cx.name)),
                    body: Vec::new(),
                });
                let name = cx.name.clone();
                cx.report.guess(
                    &name,
                    0,
                    "heading",
                    "text before the first Heading 1: a first chapter named after the title".into(),
                );
            }
            if let Some(c) = chapters.last_mut() {
                c.body.push(md);
            }
        }
        i += 1;
    }
    Assembled {
        title,
        subtitle,
        authors,
        chapters,
        bibliography,
    }
}

/// The chapter files, `book.toml`, the references and the images.
pub fn files(
    blocks: &[Block],
    notes: &BTreeMap<String, String>,
    meta: &Meta,
    cx: &mut Context,
) -> Files {
    let Assembled {
        mut title,
        subtitle,
        mut authors,
        mut chapters,
        bibliography,
    } = assemble(blocks, cx);
    let name = cx.name.clone();
    let typed = typed_bibliography(&mut chapters, bibliography, cx);
    if title.is_none() {
        title = meta.core_title.clone();
    }
    if authors.is_empty() {
        authors.extend(meta.core_creator.clone());
    }
    let title = title.unwrap_or_else(|| {
        cx.report.guess(
            &name,
            0,
            "metadata",
            "no Title paragraph or document title: the file's name is the title".into(),
        );
        stem(&name)
    });
    let mut out: Files = Vec::new();
    let mut names = Vec::new();
    for (n, c) in chapters.iter().enumerate() {
        let file = super::super::emit::chapter_file_name(n, &c.title);
        let mut md = format!("# {}\n", c.title);
        for b in &c.body {
            md.push('\n');
            md.push_str(b);
            md.push('\n');
        }
        // Each note is defined in the chapter that cites it.
        let cited: Vec<(&String, &String)> = notes
            .iter()
            .filter(|(label, _)| md.contains(&format!("[^{label}]")))
            .collect();
        for (label, text) in cited {
            md.push_str(&format!("\n[^{label}]: {text}\n"));
        }
        names.push(file.clone());
        out.push((file, md.into_bytes()));
    }
    let language = meta.language.clone().unwrap_or_else(|| "en".into());
    let toml = book_toml(&title, subtitle.as_deref(), &authors, &language, &names);
    out.push(("book.toml".into(), toml.into_bytes()));
    out.push((
        "references.yaml".into(),
        super::references(&cx.library, &cx.stubs, &typed).into_bytes(),
    ));
    out.append(&mut cx.images);
    out
}

/// Fills stubs from the typed bibliography's entries; the entries that
/// matched none stay as text in their chapter, which goes when none is left.
fn typed_bibliography(
    chapters: &mut Vec<Chapter>,
    at: Option<usize>,
    cx: &mut Context,
) -> BTreeMap<String, serde_yaml::Mapping> {
    let Some(i) = at.filter(|&i| i < chapters.len()) else {
        return BTreeMap::new();
    };
    let name = cx.name.clone();
    let m = crate::import::typed_bib::match_entries(
        &chapters[i].body,
        &cx.stubs,
        &name,
        &mut cx.report,
    );
    if m.unmatched.is_empty() {
        chapters.remove(i);
    } else {
        chapters[i].body = m.unmatched;
    }
    m.entries
}

fn is_bibliography(heading: &str) -> bool {
    let h = heading.trim().trim_end_matches(':').to_lowercase();
    matches!(
        h.as_str(),
        "references"
            | "bibliography"
            | "works cited"
            | "literature"
            | "ბიბლიოგრაფია"
            | "ლიტერატურა"
            | "გამოყენებული ლიტერატურა"
            | "литература"
            | "список литературы"
    )
}

fn stem(name: &str) -> String {
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn book_toml(
    title: &str,
    subtitle: Option<&str>,
    authors: &[String],
    language: &str,
    chapters: &[String],
) -> String {
    let list = |v: &[String]| v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ");
    let mut t = String::from(
        "# Imported by `tsigni import`: fill in what the document did not say.\n[book]\n",
    );
    t.push_str(&format!("title = {}\n", q(title)));
    if let Some(s) = subtitle {
        t.push_str(&format!("subtitle = {}\n", q(s)));
    }
    t.push_str(&format!("language = {}\n", q(language)));
    t.push_str(&format!("identifier = \"{}\"\n", crate::new::fresh_uuid()));
    t.push_str(&format!("authors = [{}]\n", list(authors)));
    t.push_str(&format!("chapters = [{}]\n", list(chapters)));
    t.push_str("\n[bibliography]\nreferences = \"references.yaml\"\n# style and locale: tsigni's built-in Georgian ones unless you name files here\n");
    t
}
