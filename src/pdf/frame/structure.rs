//! The book's logical structure for tagged PDF, filed while the text is laid
//! out; the exporter turns it into krilla's tag tree as it draws.
//!
//! Layout cannot hold krilla's identifiers (they exist only once a page is
//! being drawn), so it files *keys* instead: every stretch of text of one
//! structure element gets a content key ([`GlyphRun::tag`]), every link
//! area an annotation key ([`LinkArea::tag`]). The exporter draws each
//! stretch as marked content, records the identifier krilla hands back
//! under its key, and replaces the keys by those identifiers.
//!
//! Reading order is the order of the tree, not of the page: a footnote's
//! `Note` stands right after the reference that calls it, although it is
//! drawn at the foot of the page.

use super::{GlyphRun, Line, LinkArea, LinkTarget};

pub type NodeId = u32;

/// How a list's items are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    /// 1., 2., 3.
    Decimal,
    /// Bullets.
    Disc,
    /// Nothing (the bibliography).
    None,
}

/// What a structure element is.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// A chapter, or the bibliography.
    Section,
    /// A heading, with its text as the title PDF/UA asks for.
    Heading {
        level: u8,
        title: String,
    },
    Paragraph,
    List(Numbering),
    ListItem,
    Label,
    ListBody,
    BlockQuote,
    Code,
    Note,
    Link,
    BibEntry,
    Figure {
        alt: String,
    },
    /// A figure's number and caption, inside its `Figure`.
    Caption,
    Contents,
    ContentsItem,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kid {
    Node(NodeId),
    /// Drawn content, by its key.
    Text(u32),
    /// A link annotation, by its key.
    Annot(u32),
}

#[derive(Debug, Clone)]
pub struct StructNode {
    pub role: Role,
    pub kids: Vec<Kid>,
}

/// The parts of the book in reading order, whatever order they are set in
/// (the contents need the body's page numbers, so they come after it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Part {
    /// The cover and the title page.
    Front,
    Contents,
    /// The chapters and the bibliography.
    #[default]
    Body,
}

/// The structure of the whole book.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    pub nodes: Vec<StructNode>,
    /// Top-level elements of each part, in reading order.
    parts: [Vec<NodeId>; 3],
    /// The part that new top-level elements go into.
    pub part: Part,
    texts: u32,
    annots: u32,
    /// The `Note` element of each footnote (index: number - 1), and whether
    /// it already stands in the tree.
    notes: Vec<(NodeId, bool)>,
}

impl Tags {
    /// A new element, not yet in the tree.
    pub fn detached(&mut self, role: Role) -> NodeId {
        self.nodes.push(StructNode {
            role,
            kids: Vec::new(),
        });
        self.nodes.len() as NodeId - 1
    }

    /// A new element as the last child of `parent` (the top level for `None`).
    pub fn child(&mut self, parent: Option<NodeId>, role: Role) -> NodeId {
        let id = self.detached(role);
        self.attach(parent, Kid::Node(id));
        id
    }

    fn attach(&mut self, parent: Option<NodeId>, kid: Kid) {
        match parent.and_then(|p| self.nodes.get_mut(p as usize)) {
            Some(node) => node.kids.push(kid),
            None => {
                if let Kid::Node(id) = kid {
                    self.parts[self.part as usize].push(id)
                }
            }
        }
    }

    /// A new content key, filed as the last child of `parent`.
    pub fn text(&mut self, parent: NodeId) -> u32 {
        let key = self.texts;
        self.texts += 1;
        self.attach(Some(parent), Kid::Text(key));
        key
    }

    /// A new annotation key, filed as the last child of `parent`.
    pub fn annot(&mut self, parent: NodeId) -> u32 {
        let key = self.annots;
        self.annots += 1;
        self.attach(Some(parent), Kid::Annot(key));
        key
    }

    /// How many content and annotation keys were handed out.
    pub fn key_counts(&self) -> (usize, usize) {
        (self.texts as usize, self.annots as usize)
    }

    /// Registers the `Note` element of the next footnote.
    pub fn add_note(&mut self, node: NodeId) {
        self.notes.push((node, false));
    }

    /// Files the lines of one paragraph (or heading, note, entry) under
    /// `parent`: plain text directly, each link's text and annotations under
    /// a `Link` of its own, and a footnote's `Note` right after the link of
    /// its reference. With `label`, the paragraph's first link (a note's own
    /// number, which links back to its reference) goes under that label.
    pub fn tag_lines(&mut self, lines: &mut [Line], parent: NodeId, label: Option<NodeId>) {
        // The `Link` element of each link of the paragraph, by its index.
        let mut links: Vec<(u32, NodeId)> = Vec::new();
        for line in lines.iter_mut() {
            let mut prev: Option<(Option<u32>, u32)> = None;
            for i in 0..line.runs.len() {
                let link = line.runs[i].link;
                let key = match prev {
                    Some((l, key)) if l == link => key,
                    _ => {
                        let owner = match link {
                            None => parent,
                            Some(l) => self.link_node(&mut links, l, &line.links, parent, label),
                        };
                        self.text(owner)
                    }
                };
                line.runs[i].tag = Some(key);
                prev = Some((link, key));
            }
            for a in 0..line.links.len() {
                let Some(l) = line.links[a].link else {
                    continue;
                };
                let owner = self.link_node(&mut links, l, &line.links, parent, label);
                line.links[a].tag = Some(self.annot(owner));
            }
        }
    }

    /// The `Link` element of link `l`, made on first sight.
    fn link_node(
        &mut self,
        links: &mut Vec<(u32, NodeId)>,
        l: u32,
        areas: &[LinkArea],
        parent: NodeId,
        label: Option<NodeId>,
    ) -> NodeId {
        if let Some(&(_, node)) = links.iter().find(|(k, _)| *k == l) {
            return node;
        }
        let owner = match label {
            Some(lbl) if l == 0 => lbl,
            _ => parent,
        };
        let node = self.child(Some(owner), Role::Link);
        links.push((l, node));
        // A footnote is read where it is called.
        let target = areas.iter().find(|a| a.link == Some(l)).map(|a| &a.target);
        if let Some(LinkTarget::To(crate::model::Target::Note(n))) = target {
            {
                if let Some(slot) = n.checked_sub(1).and_then(|i| self.notes.get_mut(i)) {
                    if !slot.1 {
                        slot.1 = true;
                        let note = slot.0;
                        self.attach(Some(owner), Kid::Node(note));
                    }
                }
            }
        }
        node
    }

    /// Files runs that belong to one element as a whole (a list's label,
    /// an entry of the contents) under `parent`, with one key.
    pub fn tag_runs<'r>(
        &mut self,
        runs: impl IntoIterator<Item = &'r mut GlyphRun>,
        parent: NodeId,
    ) {
        let key = self.text(parent);
        for r in runs {
            r.tag = Some(key);
        }
    }

    /// Top-level elements in reading order: the parts one after another.
    pub fn roots(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.parts.iter().flatten().copied()
    }

    /// Footnotes whose reference never reached a page stand at the end of
    /// the body.
    pub fn place_orphan_notes(&mut self) {
        let orphans: Vec<NodeId> = self
            .notes
            .iter_mut()
            .filter(|(_, placed)| !*placed)
            .map(|(node, placed)| {
                *placed = true;
                *node
            })
            .collect();
        self.parts[Part::Body as usize].extend(orphans);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(link: Option<u32>) -> GlyphRun {
        GlyphRun {
            face: 0,
            size: 10.0,
            x: 0.0,
            rise: 0.0,
            glyphs: 0..0,
            text: 0..0,
            link,
            tag: None,
        }
    }

    #[test]
    fn a_note_follows_its_reference_and_links_keep_their_text() {
        let mut tags = Tags::default();
        let note = tags.detached(Role::Note);
        tags.add_note(note);
        let p = tags.child(None, Role::Paragraph);
        let mut lines = vec![Line {
            runs: vec![run(None), run(Some(0)), run(None)],
            links: vec![LinkArea {
                x0: 0.0,
                x1: 1.0,
                target: LinkTarget::To(crate::model::Target::Note(1)),
                link: Some(0),
                tag: None,
            }],
            ..Line::default()
        }];
        tags.tag_lines(&mut lines, p, None);
        let kids = &tags.nodes[p as usize].kids;
        assert!(matches!(kids[0], Kid::Text(_)));
        let Kid::Node(link) = kids[1] else {
            panic!("{kids:?}")
        };
        assert_eq!(tags.nodes[link as usize].role, Role::Link);
        assert_eq!(kids[2], Kid::Node(note));
        assert!(matches!(kids[3], Kid::Text(_)));
        assert_eq!(
            tags.nodes[link as usize].kids.len(),
            2,
            "text and annotation"
        );
        // Three stretches of text, three keys.
        let keys: Vec<_> = lines[0].runs.iter().map(|r| r.tag).collect();
        assert!(keys[0] != keys[1] && keys[1] != keys[2]);
        assert!(lines[0].links[0].tag.is_some());
    }

    #[test]
    fn parts_are_read_front_contents_body_whatever_order_they_are_filed_in() {
        let mut tags = Tags::default();
        let note = tags.detached(Role::Note);
        tags.add_note(note);
        let chapter = tags.child(None, Role::Section);
        tags.part = Part::Contents;
        let contents = tags.child(None, Role::Contents);
        tags.part = Part::Front;
        let cover = tags.child(None, Role::Figure { alt: "c".into() });
        // A note whose reference never reached a page ends the body.
        tags.place_orphan_notes();
        let roots: Vec<NodeId> = tags.roots().collect();
        assert_eq!(roots, vec![cover, contents, chapter, note]);
    }
}
