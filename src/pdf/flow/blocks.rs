//! Definition lists, verse (line blocks), epigraphs and section breaks in
//! the vertical flow.
//!
//! Structure (PDF 1.7 §14.8.4.3, which PDF/UA-1 follows): a definition list
//! is an `L` whose items hold the term as `Lbl` and its definitions as
//! `LBody`; verse is a `P` per line (its lines are what it is made of); an
//! epigraph a `BlockQuote`; the section break's stars are an artifact (the
//! space is the break).

use super::Flow;
use crate::fonts::Style;
use crate::model::blocks::{Definition, VerseLine};
use crate::model::{Block, Span};
use crate::pdf::frame::marks::{Numbering, Role};
use crate::pdf::text::{self, Align, Setting};

/// Indent of verse per space written after `| `, in ems: four spaces, a
/// common verse indent, become two ems.
const VERSE_INDENT_EM: f32 = 0.5;
/// A long verse line wraps with this hanging indent, in ems.
const VERSE_HANG_EM: f32 = 2.0;
/// An epigraph stands in the right part of the measure, leaving this share.
const EPIGRAPH_INSET: f32 = 0.35;

impl Flow<'_, '_> {
    /// Terms in bold, each kept with its definitions, which are indented.
    pub(super) fn definition_list(
        &mut self,
        items: &[Definition],
        span: Span,
        left: f32,
        right: f32,
    ) {
        let g = self.col;
        // Set solid, on the grid, as lists are.
        self.space(0.0);
        self.marks.open(Role::List(Numbering::None));
        for (k, d) in items.iter().enumerate() {
            self.path.push(k);
            self.enter(false, span);
            self.marks.open(Role::ListItem);
            let set = Setting {
                style: Style::Bold,
                align: Align::Left,
                hyphenate: false,
                ..self.setting(left, right)
            };
            let mut laid = text::set_paragraph(self.shaper, Some(self.book), &d.term, set, None);
            self.marks.lines(&mut laid.lines, Role::Label);
            if k > 0 {
                self.space(0.0);
            }
            self.push_lines(laid, left, set.size, g.leading, false);
            // The term never ends a page.
            self.keep = true;
            self.marks.open(Role::ListBody);
            for (j, def) in d.definitions.iter().enumerate() {
                self.path.push(j);
                self.after_paragraph = false;
                self.blocks(def, left + g.size * 1.5, right);
                self.path.pop();
            }
            self.marks.close();
            self.marks.close();
            self.path.pop();
        }
        self.marks.close();
        self.space(0.0);
        self.after_paragraph = false;
    }

    /// Verse: each line its own, ragged, unhyphenated, indented as written;
    /// a long line wraps with a hanging indent; an empty line ends a stanza.
    pub(super) fn line_block(&mut self, lines: &[VerseLine], span: Span, left: f32, right: f32) {
        let g = self.col;
        self.enter(false, span);
        self.space(g.leading * 0.5);
        for line in lines {
            if line.content.is_empty() {
                self.space(g.leading);
                continue;
            }
            let indent = line.indent as f32 * VERSE_INDENT_EM * g.size;
            let indent = indent.min((g.measure - left - right) / 2.0);
            let set = Setting {
                align: Align::Left,
                hyphenate: false,
                hang: VERSE_HANG_EM * g.size,
                ..self.setting(left + g.size * 1.5 + indent, right)
            };
            let mut laid =
                text::set_paragraph(self.shaper, Some(self.book), &line.content, set, Some(span));
            self.marks.lines(&mut laid.lines, Role::Paragraph);
            self.push_lines(
                laid,
                left + g.size * 1.5 + indent,
                set.size,
                g.leading,
                false,
            );
        }
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
    }

    /// A chapter's epigraph: narrower, to the right, its attribution set flush right.
    pub(super) fn epigraph(&mut self, blocks: &[Block], span: Span, left: f32, right: f32) {
        let g = self.col;
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
        self.marks.open(Role::BlockQuote);
        let inset = left + (g.measure - left - right) * EPIGRAPH_INSET;
        let (quote, attribution) = Block::epigraph_parts(blocks);
        self.blocks(quote, inset, right);
        if let Some(a) = attribution {
            self.path.push(quote.len());
            // The attribution's own place, for findings about it.
            let span = match blocks.last() {
                Some(Block::Paragraph { span, .. }) => *span,
                _ => span,
            };
            self.enter(true, span);
            let set = Setting {
                align: Align::Right,
                hyphenate: false,
                ..self.setting(inset, right)
            };
            self.paragraph(a, set, span, inset, Some(Role::Paragraph));
            self.path.pop();
        }
        self.marks.close();
        self.space(g.leading * 1.5);
        self.after_paragraph = false;
    }

    /// Three stars between parts of a chapter, kept with the text on both
    /// sides so that they never stand alone at a page's top or foot.
    pub(super) fn section_break(&mut self, span: Span, left: f32, right: f32) {
        let g = self.col;
        self.enter(false, span);
        self.keep = true;
        self.space(g.leading * 0.5);
        // A space left by the block before may still allow a break.
        if let Some(last) = self.items.last_mut() {
            last.breakable = false;
        }
        let set = Setting {
            align: Align::Center,
            hyphenate: false,
            ..self.setting(left, right)
        };
        // A separator, not text: drawn as an artifact.
        let stars = crate::model::Inline::Text("*\u{2003}*\u{2003}*".into());
        self.paragraph(&[stars], set, span, left, None);
        self.keep = true;
        self.space(g.leading * 0.5);
        self.after_paragraph = false;
    }
}
