//! Figure numbers and cross-references, worked out once for every writer:
//! figures are numbered through the book, labels (`{#fig:map}`,
//! `{#sec:origins}` on headings, `{#tbl:kings}` on tables) gathered into one
//! registry, and each `[@fig:map]` given its target and its words in the
//! book's language (ნახ. 1, ცხრილი 1, § 2.1).
//!
//! Errors, each at its place: an unknown label, a label used twice (at the
//! second), a label equal to a key of the references (a reader could not
//! tell the reference from a citation).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::locale::Words;
use crate::model::{Block, Book, LabelKind, Span, Target, Visit};
use crate::structure::Kind;
use std::collections::{HashMap, HashSet};

/// A label of the book and what it names.
#[derive(Debug, Clone)]
pub struct Label {
    pub target: Target,
    /// The words a reference to it prints.
    pub text: String,
    pub span: Span,
}

/// Every label of the book, by name.
#[derive(Debug, Default)]
pub struct Registry {
    labels: HashMap<String, Label>,
}

impl Registry {
    /// Adds a label; a second use of a name is an error at the second.
    pub fn add(&mut self, name: &str, label: Label, diags: &mut Diagnostics) {
        if self.labels.contains_key(name) {
            diags.push(
                Diagnostic::error("duplicate-label", format!("label #{name} is used twice"))
                    .at(label.span)
                    .note("a label names one figure, table or heading; rename this one"),
            );
            return;
        }
        self.labels.insert(name.to_string(), label);
    }

    /// The hook by which tables join the registry: table `number`, labelled
    /// `name` (`tbl:kings`) at `span`, linked to as `target`.
    pub fn add_table(
        &mut self,
        name: &str,
        number: usize,
        target: Target,
        span: Span,
        words: &Words,
        diags: &mut Diagnostics,
    ) {
        let text = format!("{}\u{a0}{number}", words.table);
        self.add(name, Label { target, text, span }, diags);
    }

    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.get(name)
    }
}

/// Numbers the figures, gathers the labels and resolves every reference.
/// `keys` are the keys of the references file, when it was read.
pub fn resolve(book: &mut Book, keys: &HashSet<String>, diags: &mut Diagnostics) {
    let words = crate::locale::words(&book.config.book.language);
    let mut registry = Registry::default();
    number_figures(book, words, &mut registry, diags);
    register_sections(book, words, &mut registry, diags);
    register_tables(book, words, &mut registry, diags);
    let mut clashes: Vec<(&String, &Label)> = registry
        .labels
        .iter()
        .filter(|(name, _)| keys.contains(*name))
        .collect();
    clashes.sort_by_key(|(_, l)| (l.span.file, l.span.start));
    for (name, label) in clashes {
        diags.push(
            Diagnostic::error(
                "label-clash",
                format!("label #{name} is also the key of a work in the references"),
            )
            .at(label.span)
            .note("rename the label (or the work's key): [@…] could mean either"),
        );
    }
    for r in &mut book.refs {
        for item in &mut r.items {
            match registry.get(&item.label) {
                Some(l) => {
                    item.target = Some(l.target.clone());
                    item.text = l.text.clone();
                }
                None => {
                    item.text = format!("??{}", item.label);
                    diags.push(
                        Diagnostic::error(
                            "unknown-label",
                            format!(
                                "cross-reference to #{}, which no figure, table or heading carries",
                                item.label
                            ),
                        )
                        .at(r.span)
                        .note(label_hint(&item.label)),
                    );
                }
            }
        }
    }
}

fn label_hint(label: &str) -> String {
    match LabelKind::of(label) {
        Some(LabelKind::Figure) => format!("label a figure: ![description](image.png){{#{label}}}"),
        Some(LabelKind::Section) => format!("label a heading: ## Title {{#{label}}}"),
        _ => format!("label a table's caption: Table: Caption {{#{label}}}"),
    }
}

/// Numbers every described image of the chapters in reading order.
fn number_figures(
    book: &mut Book,
    words: &Words,
    registry: &mut Registry,
    diags: &mut Diagnostics,
) {
    let mut chapters_of = Vec::new();
    for (c, chapter) in book.chapters.iter_mut().enumerate() {
        let mut n = chapters_of.len();
        figures_in(&mut chapter.blocks, &mut |f| {
            if !f.is_figure() {
                return;
            }
            n += 1;
            f.number = Some(n);
            if let Some(label) = &f.label {
                let l = Label {
                    target: Target::Figure(n),
                    text: format!("{}\u{a0}{n}", words.figure),
                    span: f.span,
                };
                registry.add(label, l, diags);
            }
        });
        chapters_of.resize(n, c);
    }
    book.figures = chapters_of;
}

/// Gathers the labelled tables (numbered already by
/// [`crate::model::table::number_tables`]); a table in a note stands in
/// the note's chapter.
fn register_tables(book: &Book, words: &Words, registry: &mut Registry, diags: &mut Diagnostics) {
    let chapters = book
        .chapters
        .iter()
        .enumerate()
        .map(|(c, ch)| (c, &ch.blocks));
    let notes = book.notes.iter().map(|n| (n.chapter, &n.blocks));
    for (chapter, blocks) in chapters.chain(notes) {
        crate::model::walk::blocks(blocks, &mut |v| {
            if let Visit::Block(Block::Table(t)) = v {
                if let Some(label) = &t.label {
                    let target = Target::Table {
                        chapter,
                        number: t.number,
                        id: t.id(),
                    };
                    registry.add_table(label, t.number, target, t.span, words, diags);
                }
            }
        });
    }
}

/// Calls `f` on each figure in `blocks`, wherever it stands.
fn figures_in(blocks: &mut [Block], f: &mut dyn FnMut(&mut crate::model::Figure)) {
    crate::model::walk::blocks_mut(blocks, &mut |b| {
        if let Block::Figure(fig) = b {
            f(fig);
        }
    });
}

/// The number a section's reference opens with: body chapters are counted
/// among themselves, so a preface or a part's title page before chapter 1
/// does not make its sections `§ 3.1`; an appendix gives its letter
/// (`§ ა.1`). Front matter and part pages, which have no number of their
/// own, keep their place in the book.
fn chapter_number(kind: Kind, index: usize, body: &mut usize, language: &str) -> String {
    match kind {
        Kind::Body { .. } => {
            *body += 1;
            body.to_string()
        }
        Kind::Appendix(n) => crate::structure::letter(n, language),
        Kind::Front(_) | Kind::Part(_) => (index + 1).to_string(),
    }
}

/// Headings labelled `{#sec:…}`, numbered by their place: chapter, then
/// section within it (`§ 2.1`, `§ 2.1.3`).
fn register_sections(book: &Book, words: &Words, registry: &mut Registry, diags: &mut Diagnostics) {
    let mut body = 0;
    for (c, chapter) in book.chapters.iter().enumerate() {
        let first = chapter_number(chapter.kind, c, &mut body, &book.config.book.language);
        let mut counters: Vec<usize> = Vec::new();
        for h in chapter.headings() {
            if h.level >= 2 {
                let depth = (h.level - 1) as usize;
                counters.resize(depth, 0);
                counters[depth - 1] += 1;
            }
            if LabelKind::of(&h.id) != Some(LabelKind::Section) {
                continue;
            }
            let mut number = first.clone();
            for k in counters.iter().take(h.level.saturating_sub(1) as usize) {
                number.push_str(&format!(".{k}"));
            }
            let label = Label {
                target: Target::Heading {
                    chapter: c,
                    id: h.id.clone(),
                },
                text: format!("{}\u{a0}{number}", words.section),
                span: h.span,
            };
            registry.add(&h.id, label, diags);
        }
    }
}
