//! The tag tree, built from the frames' structure markers (their contract
//! is [`crate::pdf::frame::marks`]) in two passes. Before drawing, [`read`]
//! walks every page's markers into the tree's shape, with a slot for each
//! stretch of content and each tagged annotation; while drawing, the
//! painter walks the same stretches in the same order ([`stretches`]) and
//! fills each slot with the identifier krilla hands out; at the end
//! [`Structure::tree`] puts the identifiers in their places.
//!
//! The shape is read before drawing, not while drawing: its allocations
//! are then made at once instead of between the growing content streams,
//! which fragments the heap (the 25-fold book's memory tripled).

use crate::pdf::frame::marks::{Numbering, Role, Tag};
use crate::pdf::frame::{Element, Line, Mark, Page, PageKind};
use krilla::tagging::{
    Identifier, ListNumbering, Node, TableHeaderScope, Tag as KTag, TagGroup, TagKind, TagTree,
    TextDecorationType,
};
use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU16;
use std::ops::Range;

type NodeId = u32;

/// Deeper elements than this (notes within notes within notes …) are left
/// out of the tree, their content gathered at its end: the tree is
/// written by recursion.
const MAX_DEPTH: usize = 256;

/// What a stretch of content is drawn as.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    Artifact,
    /// Marked content, with the identifier krilla handed out for it.
    Content(Option<Identifier>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kid {
    Node(NodeId),
    /// A stretch of content, by its slot.
    Content(u32),
    /// A link annotation, by its slot.
    Annot(u32),
    /// A reference to a note, resolved or not (an index into `refs`).
    Note(u32),
}

#[derive(Debug)]
struct StructNode {
    role: Role,
    kids: Vec<Kid>,
}

/// The parts of the book in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Front,
    Contents,
    Body,
}

fn part(kind: PageKind) -> Part {
    match kind {
        PageKind::Cover | PageKind::Title => Part::Front,
        PageKind::Contents => Part::Contents,
        // The front matter's marks run on into the body's: one stream.
        PageKind::Front | PageKind::Body => Part::Body,
    }
}

/// The tree's shape, and the identifiers drawn into it.
#[derive(Debug, Default)]
pub(crate) struct Structure {
    nodes: Vec<StructNode>,
    /// Top-level elements in reading order.
    top: Vec<Kid>,
    /// Top-level elements of each note's text, by the note's number.
    notes: BTreeMap<u32, Vec<NodeId>>,
    /// The note each reference places, if it is the one that does.
    refs: Vec<Option<u32>>,
    /// One per stretch of content, in drawing order.
    pub slots: Vec<Slot>,
    /// One per tagged annotation, in drawing order.
    pub annots: Vec<Option<Identifier>>,
}

#[derive(Debug, Clone, Copy)]
enum Open {
    Node(NodeId),
    Artifact,
}

/// The markers being read.
#[derive(Default)]
struct Reader {
    s: Structure,
    main: Vec<Open>,
    feet: BTreeMap<u32, Vec<Open>>,
    part: Option<Part>,
    roots: Vec<(Part, NodeId)>,
    /// Each note reference: the note, and the note whose text makes it.
    refs: Vec<(u32, Option<u32>)>,
}

/// The stretches of a line's runs that its marks cut it into.
pub(crate) fn stretches(line: &Line) -> impl Iterator<Item = Range<usize>> + '_ {
    let n = line.runs.len();
    let mut cuts = line
        .marks
        .iter()
        .map(|m| m.at as usize)
        .filter(move |&at| at > 0 && at < n)
        .chain(std::iter::once(n));
    let mut start = 0;
    std::iter::from_fn(move || {
        while start < n {
            let end = cuts.next()?;
            if end > start {
                let r = start..end;
                start = end;
                return Some(r);
            }
        }
        None
    })
}

/// The footnote whose text a line is, if it is one.
fn foot(line: &Line) -> Option<u32> {
    match line.marks.first() {
        Some(Mark {
            tag: Tag::Foot(n), ..
        }) => Some(*n),
        _ => None,
    }
}

/// Reads the structure of the book's pages from their markers.
pub(crate) fn read(pages: &[Page]) -> Structure {
    let mut r = Reader::default();
    for page in pages {
        let part = part(page.kind);
        if r.part != Some(part) {
            r.main.clear();
            r.part = Some(part);
        }
        for el in &page.elements {
            match el {
                Element::Text { line, .. } => r.line(line),
                Element::Image { marks, .. } | Element::Cover { marks, .. } => {
                    r.marked(marks, None, 1)
                }
                Element::Rule { .. } => {}
            }
        }
    }
    r.finish()
}

impl Reader {
    fn line(&mut self, line: &Line) {
        let stream = foot(line);
        let mut m = 0;
        for run in stretches(line) {
            while let Some(mark) = line.marks.get(m).filter(|k| k.at as usize <= run.start) {
                self.apply(&mark.tag, stream);
                m += 1;
            }
            self.content(stream);
        }
        for mark in line.marks.get(m..).unwrap_or_default() {
            self.apply(&mark.tag, stream);
        }
    }

    /// An element drawn as one stretch at `at`, among its marks.
    fn marked(&mut self, marks: &[Mark], stream: Option<u32>, at: u32) {
        let (before, after): (Vec<&Mark>, Vec<&Mark>) = marks.iter().partition(|m| m.at < at);
        for m in before {
            self.apply(&m.tag, stream);
        }
        self.content(stream);
        for m in after {
            self.apply(&m.tag, stream);
        }
    }

    fn stack(&mut self, stream: Option<u32>) -> &mut Vec<Open> {
        match stream {
            None => &mut self.main,
            Some(n) => self.feet.entry(n).or_default(),
        }
    }

    /// The innermost open element of `stream`, unless it is decoration.
    fn open(&mut self, stream: Option<u32>) -> Option<Open> {
        self.stack(stream).last().copied()
    }

    fn apply(&mut self, tag: &Tag, stream: Option<u32>) {
        match tag {
            Tag::Start(Role::Artifact) => self.stack(stream).push(Open::Artifact),
            Tag::Start(role) => {
                let parent = self.open(stream);
                if let Some(Open::Artifact) = parent {
                    self.stack(stream).push(Open::Artifact);
                    return;
                }
                let id = self.s.nodes.len() as NodeId;
                self.s.nodes.push(StructNode {
                    role: role.clone(),
                    kids: Vec::new(),
                });
                match (parent, stream) {
                    (Some(Open::Node(p)), _) => self.kid(p, Kid::Node(id)),
                    (_, Some(n)) => self.s.notes.entry(n).or_default().push(id),
                    (_, None) => {
                        let part = self.part.unwrap_or(Part::Body);
                        self.roots.push((part, id))
                    }
                }
                self.stack(stream).push(Open::Node(id));
            }
            Tag::End => {
                self.stack(stream).pop();
            }
            Tag::Annot(_) => {
                let slot = self.s.annots.len() as u32;
                self.s.annots.push(None);
                if let Some(Open::Node(p)) = self.open(stream) {
                    self.kid(p, Kid::Annot(slot));
                }
            }
            Tag::Note(n) => {
                if let Some(Open::Node(p)) = self.open(stream) {
                    let r = self.refs.len() as u32;
                    self.refs.push((*n, stream));
                    self.kid(p, Kid::Note(r));
                }
            }
            Tag::Foot(_) | Tag::Source(_) => {}
        }
    }

    fn kid(&mut self, parent: NodeId, kid: Kid) {
        if let Some(node) = self.s.nodes.get_mut(parent as usize) {
            node.kids.push(kid);
        }
    }

    /// A stretch of content: decoration, or the content of the innermost
    /// open element (none: it ends up at the end of the tree).
    fn content(&mut self, stream: Option<u32>) {
        let slot = self.s.slots.len() as u32;
        match self.open(stream) {
            Some(Open::Artifact) => self.s.slots.push(Slot::Artifact),
            Some(Open::Node(p)) => {
                self.s.slots.push(Slot::Content(None));
                self.kid(p, Kid::Content(slot));
            }
            None => self.s.slots.push(Slot::Content(None)),
        }
    }

    /// Places each note at its first reference: those from the text of an
    /// earlier note first, in note order, then the main flow's, in page
    /// order. The parts are put in reading order, and the notes nothing
    /// placed end the body.
    fn finish(mut self) -> Structure {
        let mut order: Vec<usize> = (0..self.refs.len()).collect();
        order.sort_by_key(|&r| match self.refs[r].1 {
            Some(from) => (0, from, r),
            None => (1, 0, r),
        });
        let mut placed = BTreeSet::new();
        self.s.refs = vec![None; self.refs.len()];
        for r in order {
            let (n, from) = self.refs[r];
            let allowed = from.is_none_or(|k| n < k);
            if allowed && self.s.notes.contains_key(&n) && placed.insert(n) {
                self.s.refs[r] = Some(n);
            }
        }
        self.roots.sort_by_key(|&(part, _)| part);
        self.s.top = self.roots.iter().map(|&(_, id)| Kid::Node(id)).collect();
        let orphans: Vec<u32> = self
            .s
            .notes
            .keys()
            .copied()
            .filter(|n| !placed.contains(n))
            .collect();
        for n in orphans {
            self.s.top.push(Kid::Note(self.s.refs.len() as u32));
            self.s.refs.push(Some(n));
        }
        self.s
    }
}

impl Structure {
    /// The tag tree, with each slot replaced by its identifier. Every
    /// identifier lands in the tree exactly once (krilla requires it):
    /// those no element holds are gathered at the end, and an element
    /// reached twice is written once. Empty elements are left out.
    pub(crate) fn tree(mut self, lang: &str) -> TagTree {
        let mut seen = vec![false; self.nodes.len()];
        let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
        let top = std::mem::take(&mut self.top);
        let mut out = Vec::new();
        for kid in top {
            self.kid(kid, &mut seen, 0, &mut out);
            for node in out.drain(..) {
                match node {
                    Node::Group(g) => tree.push(g),
                    leaf => tree.push(TagGroup::with_children(KTag::Div, vec![leaf])),
                }
            }
        }
        let mut rest: Vec<Node> = self
            .slots
            .iter_mut()
            .filter_map(|s| match s {
                Slot::Content(id) => id.take().map(Node::Leaf),
                Slot::Artifact => None,
            })
            .collect();
        rest.extend(
            self.annots
                .iter_mut()
                .filter_map(Option::take)
                .map(Node::Leaf),
        );
        if !rest.is_empty() {
            tree.push(TagGroup::with_children(KTag::Div, rest));
        }
        tree
    }

    fn kid(&mut self, kid: Kid, seen: &mut [bool], depth: usize, out: &mut Vec<Node>) {
        match kid {
            Kid::Node(id) => {
                if let Some(g) = self.group(id, seen, depth) {
                    out.push(g.into());
                }
            }
            Kid::Content(c) => {
                if let Some(Slot::Content(id)) = self.slots.get_mut(c as usize) {
                    out.extend(id.take().map(Node::Leaf));
                }
            }
            Kid::Annot(a) => {
                if let Some(id) = self.annots.get_mut(a as usize) {
                    out.extend(id.take().map(Node::Leaf));
                }
            }
            Kid::Note(r) => {
                let Some(Some(n)) = self.refs.get(r as usize) else {
                    return;
                };
                let roots = self.notes.get(n).cloned().unwrap_or_default();
                for root in roots {
                    if let Some(g) = self.group(root, seen, depth) {
                        out.push(g.into());
                    }
                }
            }
        }
    }

    fn group(&mut self, id: NodeId, seen: &mut [bool], depth: usize) -> Option<TagGroup> {
        if depth > MAX_DEPTH {
            return None;
        }
        let visited = seen.get_mut(id as usize)?;
        if *visited {
            return None;
        }
        *visited = true;
        let node = self.nodes.get_mut(id as usize)?;
        let kids = std::mem::take(&mut node.kids);
        let kind = kind(&node.role);
        // Nearly always one node per kid: the tree is built while the
        // whole PDF is in memory, so no room to spare.
        let mut children: Vec<Node> = Vec::with_capacity(kids.len());
        for kid in kids {
            self.kid(kid, seen, depth + 1, &mut children);
        }
        if children.is_empty() {
            return None;
        }
        Some(TagGroup::with_children(kind, children))
    }
}

/// The tag of each role; adding a role is adding its line here.
fn kind(role: &Role) -> TagKind {
    match role {
        Role::Section => KTag::Section.into(),
        Role::Heading { level, title } => KTag::Hn(
            NonZeroU16::new((*level).max(1) as u16).unwrap_or(NonZeroU16::MIN),
            Some(title.clone()),
        )
        .into(),
        Role::Paragraph => KTag::P.into(),
        Role::List(numbering) => KTag::L(match numbering {
            Numbering::Decimal => ListNumbering::Decimal,
            Numbering::Disc => ListNumbering::Disc,
            Numbering::None => ListNumbering::None,
        })
        .into(),
        Role::ListItem => KTag::LI.into(),
        Role::Label => KTag::Lbl.into(),
        Role::ListBody => KTag::LBody.into(),
        Role::BlockQuote => KTag::BlockQuote.into(),
        Role::Code => KTag::Code.into(),
        Role::Note => KTag::Note.into(),
        Role::Link => KTag::Link.into(),
        Role::BibEntry => KTag::BibEntry.into(),
        Role::Figure { alt } => KTag::Figure(Some(alt.clone())).into(),
        Role::Caption => KTag::Caption.into(),
        Role::Contents => KTag::TOC.into(),
        Role::ContentsItem => KTag::TOCI.into(),
        Role::Span { lang, strike } => {
            let decoration = strike.then_some(TextDecorationType::LineThrough);
            KTag::Span
                .with_lang(lang.clone())
                .with_text_decoration_type(decoration)
                .into()
        }
        Role::Table => KTag::Table.into(),
        Role::TableHead => KTag::THead.into(),
        Role::TableBody => KTag::TBody.into(),
        Role::TableRow => KTag::TR.into(),
        Role::TableHeader => KTag::TH(TableHeaderScope::Column).into(),
        Role::TableCell => KTag::TD.into(),
        // Never an element: the reader does not make one.
        Role::Artifact => KTag::Div.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;
    use crate::pdf::frame::marks::Marks;
    use crate::pdf::frame::{GlyphRun, LinkArea, LinkTarget};

    impl Structure {
        /// The shape in reading order: roles, `c` content slots, `a`
        /// annotation slots, `-` decoration.
        fn dump(&self) -> String {
            let mut out = Vec::new();
            for kid in &self.top {
                self.dump_kid(*kid, &mut out);
            }
            out.join(" ")
        }

        fn dump_kid(&self, kid: Kid, out: &mut Vec<String>) {
            match kid {
                Kid::Node(id) => {
                    let node = &self.nodes[id as usize];
                    let mut inner = Vec::new();
                    for k in &node.kids {
                        self.dump_kid(*k, &mut inner);
                    }
                    let name = format!("{:?}", node.role);
                    let name = name.split([' ', '(', '{']).next().unwrap_or("");
                    out.push(format!("{name}[{}]", inner.join(" ")));
                }
                Kid::Content(c) => out.push(format!("c{c}")),
                Kid::Annot(a) => out.push(format!("a{a}")),
                Kid::Note(r) => {
                    if let Some(Some(n)) = self.refs.get(r as usize) {
                        for root in &self.notes[n] {
                            self.dump_kid(Kid::Node(*root), out);
                        }
                    }
                }
            }
        }
    }

    fn run(link: Option<u32>) -> GlyphRun {
        GlyphRun {
            face: 0,
            size: 10.0,
            x: 0.0,
            rise: 0.0,
            glyphs: 0..0,
            text: 0..0,
            link,
            span: 0,
        }
    }

    fn line(links: &[Option<u32>], targets: &[Target]) -> Line {
        Line {
            runs: links.iter().map(|&l| run(l)).collect(),
            links: targets
                .iter()
                .enumerate()
                .map(|(k, t)| LinkArea {
                    x0: 0.0,
                    x1: 1.0,
                    target: LinkTarget::To(t.clone()),
                    link: Some(k as u32),
                })
                .collect(),
            ..Line::default()
        }
    }

    fn text(line: Line) -> Element {
        Element::Text {
            x: 0.0,
            y: 0.0,
            line,
        }
    }

    fn page(kind: PageKind, elements: Vec<Element>) -> Page {
        Page {
            elements,
            ..Page::new(kind)
        }
    }

    /// Footnote 1 as layout marks it: its number a label, then its text,
    /// in two lines.
    fn note() -> Vec<Line> {
        let mut lines = vec![
            line(&[Some(0), None], &[Target::NoteRef(1)]),
            line(&[None], &[]),
        ];
        let mut marks = Marks::default();
        marks.open(Role::Note);
        marks.labelled(&mut lines, Role::Paragraph);
        marks.close();
        if let Some(last) = lines.last_mut() {
            marks.flush_after(last);
        }
        for l in &mut lines {
            l.marks.insert(0, Mark::new(0, Tag::Foot(1)));
        }
        lines
    }

    #[test]
    fn the_tree_comes_from_the_markers_notes_at_their_reference_parts_in_order() {
        // The body: a section of two paragraphs, the first calling note 1.
        let mut body = Marks::default();
        body.open(Role::Section);
        let mut p1 = vec![line(&[None, Some(0), None], &[Target::Note(1)])];
        body.lines(&mut p1, Role::Paragraph);
        let mut p2 = vec![line(&[None], &[]), line(&[None], &[])];
        body.lines(&mut p2, Role::Paragraph);
        body.close();
        let [p2a, p2b] = [p2.remove(0), p2.remove(0)];
        let mut head = line(&[None], &[]);
        crate::pdf::frame::marks::decoration(&mut head);
        let [n1, n2] = {
            let mut n = note();
            [n.remove(0), n.remove(0)]
        };
        // The reference on the first page, the note on the second and
        // third, split around the body's text; the contents and the cover
        // set after the body.
        let mut cover_marks = Marks::default();
        let cover = Element::Cover {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
            marks: cover_marks.image(Some(Role::Figure { alt: "c".into() })),
        };
        let mut toc = Marks::default();
        let mut title = vec![line(&[None], &[])];
        toc.lines(
            &mut title,
            Role::Heading {
                level: 1,
                title: "t".into(),
            },
        );
        toc.open(Role::Contents);
        toc.open(Role::ContentsItem);
        toc.open(Role::Link);
        let mut entry = vec![line(&[None], &[])];
        toc.flush_before(&mut entry[0]);
        entry[0].marks.push(Mark::new(1, Tag::Annot(0)));
        toc.close();
        toc.close();
        toc.flush_after(&mut entry[0]);
        let pages = vec![
            page(PageKind::Body, vec![text(p1.remove(0))]),
            page(
                PageKind::Body,
                vec![text(head.clone()), text(p2a), text(n1)],
            ),
            page(PageKind::Body, vec![text(head), text(p2b), text(n2)]),
            page(
                PageKind::Contents,
                vec![text(title.remove(0)), text(entry.remove(0))],
            ),
            page(PageKind::Cover, vec![cover]),
        ];
        let s = read(&pages);
        assert_eq!(
            s.dump(),
            "Figure[c12] Heading[c10] Contents[ContentsItem[Link[c11 a2]]] \
             Section[Paragraph[c0 Link[c1 a0] Note[Label[Link[c5 a1]] Paragraph[c6 c9]] c2] \
             Paragraph[c4 c8]]"
        );
        // Decoration takes a slot but is no element's content.
        assert_eq!(s.slots[3], Slot::Artifact);
        assert_eq!(s.slots[7], Slot::Artifact);
        // Every tagged annotation has its slot; the tree builds.
        assert_eq!(s.annots.len(), 3);
        let _ = s.tree("ka");
    }
}
