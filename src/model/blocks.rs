//! The parts of the blocks that hold more than one kind of content:
//! definition lists (terms and their definitions) and line blocks (verse).

use super::{Block, Inline};

/// One term of a definition list with its definitions (pandoc allows
/// several `:` definitions to one term).
#[derive(Debug, Clone)]
pub struct Definition {
    pub term: Vec<Inline>,
    pub definitions: Vec<Vec<Block>>,
}

/// One line of a line block. An empty line (`|` alone) separates stanzas.
#[derive(Debug, Clone)]
pub struct VerseLine {
    /// Spaces of indentation written after the `| `, kept as written.
    pub indent: usize,
    pub content: Vec<Inline>,
}

impl Block {
    /// The blocks an epigraph quotes and its attribution (its last
    /// paragraph, which opens with a dash), apart.
    pub fn epigraph_parts(blocks: &[Block]) -> (&[Block], Option<&[Inline]>) {
        match blocks.split_last() {
            Some((Block::Paragraph { content, .. }, rest)) => (rest, Some(content)),
            _ => (blocks, None),
        }
    }
}
