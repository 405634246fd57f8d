//! The tag tree krilla writes: the book's structure ([`Tags`]) with each
//! content and annotation key replaced by the identifiers krilla handed
//! out while the pages were drawn.

use crate::pdf::frame::structure::{Kid, NodeId, Numbering, Role, Tags};
use krilla::tagging::{Identifier, ListNumbering, Node, Tag, TagGroup, TagKind, TagTree};
use std::collections::BTreeMap;
use std::num::NonZeroU16;

/// Identifiers krilla handed out for the keys of one kind, as drawing goes.
/// A key nearly always gets one identifier; the slots are allocated once,
/// up front: small allocations made between the growing content streams
/// would fragment the heap (the 25-fold book's memory tripled).
#[derive(Debug, Default)]
pub(crate) struct Drawn {
    first: Vec<Option<Identifier>>,
    /// Further identifiers of a key (a key whose runs are not all side by
    /// side), in drawing order.
    more: BTreeMap<u32, Vec<Identifier>>,
}

impl Drawn {
    pub fn new(keys: usize) -> Drawn {
        Drawn {
            first: vec![None; keys],
            more: BTreeMap::new(),
        }
    }

    /// Whether `key` is one the structure handed out.
    pub fn knows(&self, key: u32) -> bool {
        (key as usize) < self.first.len()
    }

    /// Records an identifier drawn under `key` (a known one).
    pub fn push(&mut self, key: u32, id: Identifier) {
        match self.first.get_mut(key as usize) {
            Some(slot @ None) => *slot = Some(id),
            Some(Some(_)) => self.more.entry(key).or_default().push(id),
            None => {}
        }
    }

    /// Takes the identifiers of `key` out, in drawing order.
    fn take(&mut self, key: u32, out: &mut Vec<Node>) {
        let Some(first) = self.first.get_mut(key as usize).and_then(Option::take) else {
            return;
        };
        out.push(Node::Leaf(first));
        if let Some(more) = self.more.remove(&key) {
            out.extend(more.into_iter().map(Node::Leaf));
        }
    }

    /// Whatever no element took.
    fn rest(&mut self, out: &mut Vec<Node>) {
        out.extend(
            self.first
                .iter_mut()
                .filter_map(Option::take)
                .map(Node::Leaf),
        );
        let more = std::mem::take(&mut self.more);
        out.extend(more.into_values().flatten().map(Node::Leaf));
    }
}

/// The tag tree, with each key replaced by the identifiers drawn under
/// it. Every identifier lands in the tree exactly once (krilla requires
/// it): keys the structure does not name are gathered at the end, and an
/// element reached twice is written once. Empty elements are left out.
pub(crate) fn tree(tags: &Tags, texts: &mut Drawn, annots: &mut Drawn, lang: &str) -> TagTree {
    let mut seen = vec![false; tags.nodes.len()];
    let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
    for root in tags.roots() {
        if let Some(group) = group(tags, root, texts, annots, &mut seen) {
            tree.push(group);
        }
    }
    let mut rest: Vec<Node> = Vec::new();
    texts.rest(&mut rest);
    annots.rest(&mut rest);
    if !rest.is_empty() {
        tree.push(TagGroup::with_children(Tag::Div, rest));
    }
    tree
}

fn group(
    tags: &Tags,
    id: NodeId,
    texts: &mut Drawn,
    annots: &mut Drawn,
    seen: &mut [bool],
) -> Option<TagGroup> {
    let node = tags.nodes.get(id as usize)?;
    let visited = seen.get_mut(id as usize)?;
    if *visited {
        return None;
    }
    *visited = true;
    // Nearly always one node per kid: the tree is built while the
    // whole PDF is in memory, so no room to spare.
    let mut children: Vec<Node> = Vec::with_capacity(node.kids.len());
    for kid in &node.kids {
        match *kid {
            Kid::Node(n) => {
                if let Some(g) = group(tags, n, texts, annots, seen) {
                    children.push(g.into());
                }
            }
            Kid::Text(k) => texts.take(k, &mut children),
            Kid::Annot(k) => annots.take(k, &mut children),
        }
    }
    if children.is_empty() {
        return None;
    }
    Some(TagGroup::with_children(kind(&node.role), children))
}

fn kind(role: &Role) -> TagKind {
    match role {
        Role::Section => Tag::Section.into(),
        Role::Heading { level, title } => Tag::Hn(
            NonZeroU16::new((*level).max(1) as u16).unwrap_or(NonZeroU16::MIN),
            Some(title.clone()),
        )
        .into(),
        Role::Paragraph => Tag::P.into(),
        Role::List(numbering) => Tag::L(match numbering {
            Numbering::Decimal => ListNumbering::Decimal,
            Numbering::Disc => ListNumbering::Disc,
            Numbering::None => ListNumbering::None,
        })
        .into(),
        Role::ListItem => Tag::LI.into(),
        Role::Label => Tag::Lbl.into(),
        Role::ListBody => Tag::LBody.into(),
        Role::BlockQuote => Tag::BlockQuote.into(),
        Role::Code => Tag::Code.into(),
        Role::Note => Tag::Note.into(),
        Role::Link => Tag::Link.into(),
        Role::BibEntry => Tag::BibEntry.into(),
        Role::Figure { alt } => Tag::Figure(Some(alt.clone())).into(),
        Role::Caption => Tag::Caption.into(),
        Role::Contents => Tag::TOC.into(),
        Role::ContentsItem => Tag::TOCI.into(),
    }
}
