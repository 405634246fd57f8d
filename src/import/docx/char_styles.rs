//! Character styles: LibreOffice writes emphasis as a run style
//! (`<w:rStyle w:val="Emphasis"/>`, italic in styles.xml) where Word
//! usually writes `<w:i/>` on the run itself, so a run's look is its
//! style's properties overridden by its own.

use super::xml::Element;
use std::collections::HashMap;

/// What a character style sets (`None`: left as inherited).
#[derive(Debug, Clone, Copy, Default)]
pub struct CharStyle {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub strike: Option<bool>,
    pub smallcaps: Option<bool>,
    /// `superscript`, `subscript` or `baseline`.
    pub vert: Option<&'static str>,
}

/// Character styles by id; a style based on another takes what it does not
/// set from it (one level: LibreOffice and Word styles rarely go deeper).
pub fn read(root: Option<&Element>) -> HashMap<String, CharStyle> {
    let mut own: HashMap<String, (CharStyle, Option<String>)> = HashMap::new();
    let Some(root) = root else {
        return HashMap::new();
    };
    for s in root.elements().filter(|e| e.name == "style") {
        if s.attr("type") != Some("character") {
            continue;
        }
        let Some(id) = s.attr("styleId") else {
            continue;
        };
        let props = s.child("rPr").map(of).unwrap_or_default();
        let based = s
            .child("basedOn")
            .and_then(|b| b.attr("val"))
            .map(str::to_string);
        own.insert(id.to_string(), (props, based));
    }
    own.iter()
        .map(|(id, (p, based))| {
            let parent = based
                .as_ref()
                .and_then(|b| own.get(b))
                .map(|(p, _)| *p)
                .unwrap_or_default();
            (id.clone(), over(parent, *p))
        })
        .collect()
}

/// The properties set in one `rPr`.
pub fn of(pr: &Element) -> CharStyle {
    let vert = pr
        .child("vertAlign")
        .and_then(|v| v.attr("val"))
        .map(|v| match v {
            "superscript" => "superscript",
            "subscript" => "subscript",
            _ => "baseline",
        });
    CharStyle {
        bold: flag(pr, "b"),
        italic: flag(pr, "i"),
        strike: flag(pr, "strike").or(flag(pr, "dstrike")),
        smallcaps: flag(pr, "smallCaps"),
        vert,
    }
}

/// `top`'s settings, else `base`'s.
pub fn over(base: CharStyle, top: CharStyle) -> CharStyle {
    CharStyle {
        bold: top.bold.or(base.bold),
        italic: top.italic.or(base.italic),
        strike: top.strike.or(base.strike),
        smallcaps: top.smallcaps.or(base.smallcaps),
        vert: top.vert.or(base.vert),
    }
}

fn flag(pr: &Element, name: &str) -> Option<bool> {
    pr.child(name)
        .map(|e| !matches!(e.attr("val"), Some("0" | "false" | "none")))
}
