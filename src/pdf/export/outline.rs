//! The document outline: the contents, then every heading, nested by level.

use crate::pdf::frame::OutlineEntry;
use krilla::destination::XyzDestination;
use krilla::outline::{Outline, OutlineNode};

/// Nests headings by level: a heading is a child of the nearest one above
/// it with a smaller level.
pub(crate) fn build_outline(
    entries: &[OutlineEntry],
    dest: &dyn Fn(&str) -> Option<XyzDestination>,
) -> Outline {
    struct Pending {
        level: u8,
        node: OutlineNode,
    }
    let mut outline = Outline::new();
    let mut stack: Vec<Pending> = Vec::new();
    fn close(stack: &mut Vec<Pending>, outline: &mut Outline) {
        if let Some(done) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.node.push_child(done.node),
                None => outline.push_child(done.node),
            }
        }
    }
    for e in entries {
        let Some(d) = dest(&e.id) else { continue };
        while stack.last().is_some_and(|p| p.level >= e.level) {
            close(&mut stack, &mut outline);
        }
        stack.push(Pending {
            level: e.level,
            node: OutlineNode::new(e.title.clone(), d),
        });
    }
    while !stack.is_empty() {
        close(&mut stack, &mut outline);
    }
    outline
}
