//! Runs of a Word paragraph into Markdown inlines: bold, italic,
//! superscript, subscript, strikethrough, small caps and language spans in
//! pandoc's syntax; note references; citation fields replaced by keys.

use super::xml::Element;
use super::Context;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Fmt {
    bold: bool,
    italic: bool,
    strike: bool,
    sup: bool,
    sub: bool,
    smallcaps: bool,
    lang: Option<String>,
}

enum Piece {
    Text(String, Fmt),
    Raw(String),
}

/// A complex field being read: its instruction, and whether its result
/// (the text Word shows) is being read now.
struct Field {
    instr: String,
    in_result: bool,
}

/// The Markdown of a paragraph's (or a note's) runs.
pub fn render(p: &Element, cx: &mut Context) -> String {
    let mut pieces = Vec::new();
    let mut fields = Vec::new();
    walk(p, cx, &mut pieces, &mut fields);
    join(pieces)
}

fn fmt_of(r: &Element, cx: &Context) -> Fmt {
    let Some(pr) = r.child("rPr") else {
        return Fmt::default();
    };
    let style = pr
        .child("rStyle")
        .and_then(|s| s.attr("val"))
        .and_then(|id| cx.char_styles.get(id))
        .copied()
        .unwrap_or_default();
    let look = super::char_styles::over(style, super::char_styles::of(pr));
    let lang = pr
        .child("lang")
        .and_then(|l| l.attr("val"))
        .map(|l| l.to_string())
        .filter(|l| cx.other_language(l));
    Fmt {
        bold: look.bold.unwrap_or(false),
        italic: look.italic.unwrap_or(false),
        strike: look.strike.unwrap_or(false),
        sup: look.vert == Some("superscript"),
        sub: look.vert == Some("subscript"),
        smallcaps: look.smallcaps.unwrap_or(false),
        lang,
    }
}

fn walk(e: &Element, cx: &mut Context, out: &mut Vec<Piece>, fields: &mut Vec<Field>) {
    for c in e.elements() {
        match c.name.as_str() {
            "r" => run(c, cx, out, fields),
            "del" | "moveFrom" => cx.tracked += 1,
            "ins" | "moveTo" => {
                cx.tracked += 1;
                walk(c, cx, out, fields);
            }
            "hyperlink" | "smartTag" | "customXml" | "sdt" | "sdtContent" | "fldSimple" => {
                walk(c, cx, out, fields)
            }
            "pPr" | "rPr" | "bookmarkStart" | "bookmarkEnd" | "proofErr" => {}
            _ => {}
        }
    }
}

fn run(r: &Element, cx: &mut Context, out: &mut Vec<Piece>, fields: &mut Vec<Field>) {
    let fmt = fmt_of(r, cx);
    for c in r.elements() {
        match c.name.as_str() {
            "fldChar" => match c.attr("fldCharType") {
                Some("begin") => fields.push(Field {
                    instr: String::new(),
                    in_result: false,
                }),
                Some("separate") => {
                    if let Some(f) = fields.last_mut() {
                        f.in_result = true;
                    }
                }
                Some("end") => {
                    if let Some(f) = fields.pop() {
                        if let Some(md) = cx.citation_field(&f.instr) {
                            out.push(Piece::Raw(md));
                        }
                    }
                }
                _ => {}
            },
            "instrText" => {
                if let Some(f) = fields.last_mut() {
                    f.instr.push_str(&c.text());
                }
            }
            _ if fields.iter().any(|f| !f.in_result) => {}
            // The text Word shows for a citation field: replaced by its key.
            _ if fields.iter().any(|f| is_citation(&f.instr)) => {}
            "t" => out.push(Piece::Text(c.text(), fmt.clone())),
            "tab" => out.push(Piece::Text(" ".into(), Fmt::default())),
            "br" | "cr" => out.push(Piece::Text(" ".into(), Fmt::default())),
            "noBreakHyphen" => out.push(Piece::Text("-".into(), fmt.clone())),
            "footnoteReference" | "endnoteReference" => {
                if let Some(id) = c.attr("id") {
                    let label = cx.note_label(&c.name, id);
                    out.push(Piece::Raw(format!("[^{label}]")));
                }
            }
            "drawing" | "pict" | "object" => {
                if let Some(md) = cx.image(c) {
                    out.push(Piece::Raw(md));
                }
            }
            _ => {}
        }
    }
}

pub fn is_citation(instr: &str) -> bool {
    let t = instr.trim_start();
    t.starts_with("ADDIN ZOTERO_ITEM")
        || t.starts_with("ADDIN CSL_CITATION")
        || t.starts_with("ADDIN Mendeley")
}

/// Merges runs of the same format and writes each with its marks, the
/// spaces at its edges outside them (`** a**` is no emphasis).
fn join(pieces: Vec<Piece>) -> String {
    let mut merged: Vec<Piece> = Vec::new();
    for p in pieces {
        if let (Some(Piece::Text(prev, pf)), Piece::Text(t, f)) = (merged.last_mut(), &p) {
            if pf == f {
                prev.push_str(t);
                continue;
            }
        }
        merged.push(p);
    }
    let mut out = String::new();
    for p in merged {
        match p {
            Piece::Raw(r) => out.push_str(&r),
            Piece::Text(t, f) => {
                let lead = t.len() - t.trim_start().len();
                let trail = t.trim_end().len();
                if t.trim().is_empty() {
                    out.push_str(&t);
                    continue;
                }
                out.push_str(&t[..lead]);
                out.push_str(&marked(&crate::import::emit::escape(&t[lead..trail]), &f));
                out.push_str(&t[trail..]);
            }
        }
    }
    out
}

fn marked(text: &str, f: &Fmt) -> String {
    let mut s = text.to_string();
    if f.italic {
        s = format!("*{s}*");
    }
    if f.bold {
        s = format!("**{s}**");
    }
    if f.sup {
        s = format!("^{s}^");
    }
    if f.sub {
        s = format!("~{s}~");
    }
    if f.strike {
        s = format!("~~{s}~~");
    }
    if f.smallcaps {
        s = format!("[{s}]{{.smallcaps}}");
    }
    if let Some(l) = &f.lang {
        s = format!("[{s}]{{lang={l}}}");
    }
    s
}
