//! A small element tree of one DOCX part, read with quick-xml. A document
//! type declaration is refused outright (no entity of any kind is expanded
//! beyond XML's five and character references), and depth and size are
//! capped, so a hostile part costs bounded time and memory.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest element nesting accepted; Word's own parts stay under 30.
pub const MAX_DEPTH: usize = 256;
/// Most elements in one part (a 300-page thesis has about a million).
pub const MAX_ELEMENTS: usize = 5_000_000;

#[derive(Debug, Default)]
pub struct Element {
    /// The local name (`p` for `w:p`).
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// An attribute by local name (`val` for `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All text below, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }

    /// Every element of this name below, depth first (bounded by the
    /// depth cap of the parse).
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => collect_text(c, out),
        }
    }
}

fn local(name: &[u8]) -> String {
    let name = match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(name).into_owned()
}

fn start(e: &quick_xml::events::BytesStart) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let v = a.unescape_value().map_err(|e| e.to_string())?;
        attrs.push((local(a.key.as_ref()), v.into_owned()));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
    })
}

/// Parses `xml` into its root element; `part` names it in errors.
pub fn parse(xml: &[u8], part: &str) -> Result<Element, String> {
    let bad = |why: String| format!("{part} is not well-formed XML: {why}");
    let text = std::str::from_utf8(xml).map_err(|_| bad("not UTF-8".into()))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut count = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad(e.to_string()))?;
        match event {
            Event::DocType(_) => {
                return Err(format!(
                    "{part} declares a document type; DOCX parts never do, and its entities are not read"
                ))
            }
            Event::Start(e) => {
                count += 1;
                if stack.len() > MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(format!("{part} nests deeper than {MAX_DEPTH} levels or holds too many elements"));
                }
                stack.push(start(&e).map_err(bad)?);
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(format!("{part} holds too many elements"));
                }
                let el = start(&e).map_err(bad)?;
                push(&mut stack, Node::Element(el));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(bad("an end tag without a start".into()));
                }
                let el = stack.pop().unwrap_or_default();
                push(&mut stack, Node::Element(el));
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| bad(e.to_string()))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|e| bad(e.to_string()))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(c) => c,
                    None => match r.decode().map_err(|e| bad(e.to_string()))?.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(bad(format!("unknown entity &{other};"))),
                    },
                };
                push(&mut stack, Node::Text(c.to_string()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(bad("unclosed elements at the end".into()));
    }
    let root = stack.pop().unwrap_or_default();
    let found = root.children.into_iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    found.ok_or_else(|| bad("no root element".into()))
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}
