//! Definition lists, line blocks (verse) and epigraphs in XHTML, and the
//! style rules for them (and for code and section breaks), which a book
//! carries only when it holds such blocks, so that other books' style
//! sheets stay as they were.

use super::Writer;
use crate::model::blocks::{Definition, VerseLine};
use crate::model::{walk, Block, Book, Inline, Visit};

impl Writer<'_> {
    /// `<dl>`: each term a `<dt>`, each of its definitions a `<dd>`.
    pub(super) fn definition_list(&mut self, items: &[Definition]) {
        self.raw("<dl>\n");
        for (k, d) in items.iter().enumerate() {
            self.path.push(k);
            self.raw("<dt>");
            self.inlines(&d.term);
            self.raw("</dt>\n");
            for (j, def) in d.definitions.iter().enumerate() {
                self.path.push(j);
                // A one-paragraph definition reads better without the <p>.
                match def.as_slice() {
                    [Block::Paragraph { content, .. }] => {
                        let id = self.anchor(content);
                        self.raw(&format!("<dd{id}>"));
                        self.path.push(0);
                        self.marked_inlines(content);
                        self.path.pop();
                    }
                    _ => {
                        self.raw("<dd>");
                        self.blocks(def);
                    }
                }
                self.raw("</dd>\n");
                self.path.pop();
            }
            self.path.pop();
        }
        self.raw("</dl>\n");
    }

    /// Verse: one `<div class="line">` per line, its indent kept as no-break
    /// spaces (as pandoc does), never hyphenated; an empty line a stanza break.
    pub(super) fn line_block(&mut self, lines: &[VerseLine]) {
        self.raw("<div class=\"line-block\">\n");
        let hyphenate = std::mem::replace(&mut self.hyphenate, false);
        for line in lines {
            self.raw("<div class=\"line\">");
            if line.content.is_empty() {
                self.raw("<br/>");
            } else {
                self.text(&"\u{a0}".repeat(line.indent));
                self.inlines(&line.content);
            }
            self.raw("</div>\n");
        }
        self.hyphenate = hyphenate;
        self.raw("</div>\n");
    }

    /// A chapter's epigraph: the quotation, then its attribution set apart.
    pub(super) fn epigraph(&mut self, blocks: &[Block]) {
        let (quote, attribution) = Block::epigraph_parts(blocks);
        let kind = self.opts.epub_type("epigraph");
        self.raw(&format!(
            "<blockquote class=\"epigraph\"{kind} role=\"doc-epigraph\">\n"
        ));
        self.blocks(quote);
        if let Some(a) = attribution {
            self.path.push(quote.len());
            self.raw("<p class=\"attribution\">");
            self.marked_inlines(a);
            self.raw("</p>\n");
            self.path.pop();
        }
        self.raw("</blockquote>\n");
    }
}

/// Which of the blocks and marks that need their own style rules a book holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Uses {
    pub definitions: bool,
    pub verse: bool,
    pub epigraph: bool,
    pub section_break: bool,
    pub code: bool,
}

impl Uses {
    pub fn of(book: &Book) -> Uses {
        let mut u = Uses::default();
        walk::book(book, &mut |v| match v {
            Visit::Block(Block::DefinitionList { .. }) => u.definitions = true,
            Visit::Block(Block::LineBlock { .. }) => u.verse = true,
            Visit::Block(Block::Epigraph { .. }) => u.epigraph = true,
            Visit::Block(Block::ThematicBreak { .. }) => u.section_break = true,
            Visit::Block(Block::CodeBlock { .. }) | Visit::Inline(Inline::Code(_), ..) => {
                u.code = true
            }
            _ => {}
        });
        u
    }
}

/// Every character the book sets in its monospace face: what that face is
/// subset to.
pub fn code_chars(book: &Book) -> std::collections::BTreeSet<char> {
    let mut set = std::collections::BTreeSet::new();
    walk::book(book, &mut |v| match v {
        Visit::Block(Block::CodeBlock { text, .. }) | Visit::Inline(Inline::Code(text), ..) => {
            set.extend(text.chars().filter(|c| !c.is_control()))
        }
        _ => {}
    });
    set
}

/// The section-break mark (a dinkus: none of the built-in faces has ⁂),
/// drawn by the style sheet: its character must be in the embedded fonts
/// though no text holds it.
pub const SECTION_MARK: char = '*';

/// Style rules for the blocks the book holds; `mono` is the CSS font stack
/// of code.
pub fn css(uses: Uses, mono: &str) -> String {
    let mut css = String::new();
    if uses.definitions {
        css.push_str(
            "dl { margin: 0.75em 0; }\n\
             dt { font-weight: bold; margin-top: 0.5em; break-after: avoid; page-break-after: avoid; }\n\
             dd { margin: 0 0 0.25em 1.5em; }\n\
             dd p { text-indent: 0; }\n\
             dl + p { text-indent: 0; }\n",
        );
    }
    if uses.verse {
        // Each line its own; a long one wraps with a hanging indent.
        css.push_str(
            "div.line-block { margin: 0.75em 0 0.75em 1.5em; }\n\
             div.line-block div.line { padding-left: 2em; text-indent: -2em; text-align: left; hyphens: none; -webkit-hyphens: none; }\n\
             div.line-block + p { text-indent: 0; }\n",
        );
    }
    if uses.epigraph {
        css.push_str(
            "blockquote.epigraph { margin: 1em 0 2em 35%; font-size: 0.9em; text-align: left; }\n\
             blockquote.epigraph p { text-align: left; }\n\
             blockquote.epigraph p.attribution { text-align: right; margin-top: 0.4em; }\n\
             blockquote.epigraph + p { text-indent: 0; }\n",
        );
    }
    if uses.section_break {
        css.push_str(&format!(
            "hr.section-break {{ border: 0; margin: 1.2em 0; text-align: center; height: 1.5em; break-before: avoid; page-break-before: avoid; }}\n\
             hr.section-break::after {{ content: \"{SECTION_MARK}{SECTION_MARK}{SECTION_MARK}\"; letter-spacing: 1em; margin-left: 1em; }}\n\
             hr.section-break + p {{ text-indent: 0; }}\n"
        ));
    }
    if uses.code {
        css.push_str(&format!(
            "code, pre {{ font-family: {mono}; hyphens: none; -webkit-hyphens: none; }}\n\
             pre {{ text-align: left; }}\n"
        ));
    }
    css
}

/// The CSS font stack of code: the monospace face, the text's faces for
/// what it lacks, then `monospace`.
pub fn mono_stack(fonts: &crate::fonts::FontSet) -> String {
    let mut families: Vec<String> = Vec::new();
    for &i in fonts.chain(crate::fonts::Style::Mono) {
        let f = format!("\"{}\"", fonts.face(i).family.replace('"', ""));
        if !families.contains(&f) {
            families.push(f);
        }
    }
    families.push("monospace".into());
    families.join(", ")
}

/// The characters face `index` is embedded for: the code's for the
/// monospace face, all the text's (`used`) for the others.
pub fn face_chars<'s>(
    fonts: &crate::fonts::FontSet,
    index: usize,
    used: &'s std::collections::BTreeSet<char>,
    code: &'s std::collections::BTreeSet<char>,
) -> &'s std::collections::BTreeSet<char> {
    if fonts.code_only(index) {
        code
    } else {
        used
    }
}
