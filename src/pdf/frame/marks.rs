//! Structure markers: the book's logical structure as layout leaves it in
//! the frames. Layout never builds a tree; it puts start and end markers
//! around content, and the exporter alone builds the tag tree from them
//! (as Typst's layout leaves tags in its frames for typst-pdf).
//!
//! # The contract
//!
//! - **Where marks stand.** A line's marks ([`Line::marks`]) are sorted by
//!   [`Mark::at`]: a mark at `i` stands before run `i`, one at
//!   `runs.len()` after the last run. An image's or the cover's marks stand
//!   before it at 0 and after it at 1. Pages are read in order, and their
//!   elements in order.
//! - **Content.** Each stretch of runs between two marks, and each image,
//!   belongs to the innermost element open in its stream; inside
//!   `Start(Role::Artifact)` … `End` it is decoration (running heads,
//!   folios, leaders, separators). Rules are always decoration.
//! - **Streams.** A line whose first mark is [`Tag::Foot`]`(n)` is footnote
//!   `n`'s text; every other line is the main flow. Each stream has its own
//!   open elements, so a note split over two pages, drawn between the text
//!   of those pages, continues where it stopped.
//! - **Links.** [`Tag::Annot`]`(i)` files the line's link area `i`
//!   ([`Line::links`]) in the element open there (a `Link`); an area no
//!   mark files is an untagged annotation.
//! - **Sources.** [`Tag::Source`] says where the main flow's content
//!   comes from, for the exporter's findings; it changes no structure.
//! - **Notes.** [`Tag::Note`]`(n)` says footnote `n`'s element is read
//!   here. The first reference wins, references from a note's text to an
//!   earlier note first (in note order), then the main flow's (in page
//!   order); a note no reference places ends the body.
//! - **Parts.** Top-level elements are read front (cover, title page),
//!   contents, body, whatever order the pages come in: an element belongs
//!   to the part of the page it starts on. A page of another part than the
//!   one before closes every element the main flow left open, so a part's
//!   trailing ends may be left out.
//!
//! Layout calls [`Marks`]: `open(role)` … `close()` around containers, and
//! [`Marks::lines`] for the lines of one element (it marks their links and
//! note references). Adding a role is a variant of [`Role`] here and its
//! line in the exporter's `kind`.

use super::{Line, LinkTarget};
use crate::model::{Span, Target};
use std::ops::Range;

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
    /// A figure's or a table's number and caption, inside its `Figure`
    /// or `Table`.
    Caption,
    Contents,
    ContentsItem,
    /// A stretch of text in another language, or struck through.
    Span {
        lang: Option<String>,
        strike: bool,
    },
    Table,
    TableHead,
    TableBody,
    TableRow,
    /// A header cell of a column.
    TableHeader,
    TableCell,
    /// Not an element: what it encloses is decoration.
    Artifact,
}

/// A structure marker.
#[derive(Debug, Clone, PartialEq)]
pub enum Tag {
    /// Opens an element inside the innermost open one of its stream.
    Start(Role),
    /// Closes the innermost open element (or artifact).
    End,
    /// The line's link area of this index is read here.
    Annot(u32),
    /// Footnote `n`'s element is read here (if this is its first reference).
    Note(u32),
    /// This line is footnote `n`'s text.
    Foot(u32),
    /// What follows in the main flow comes from here in the manuscript:
    /// no structure, only where the exporter's findings point.
    Source(Span),
}

/// A marker standing before run `at` of its line (see the module's doc).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: u32,
    pub tag: Tag,
}

impl Mark {
    pub fn new(at: usize, tag: Tag) -> Mark {
        Mark { at: at as u32, tag }
    }
}

/// Where layout puts markers: what is opened or closed waits for the next
/// content, which carries it.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    pending: Vec<Tag>,
}

impl Marks {
    /// Opens an element around what comes next.
    pub fn open(&mut self, role: Role) {
        self.pending.push(Tag::Start(role));
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        self.pending.push(Tag::End);
    }

    /// Says where what comes next is in the manuscript.
    pub fn source(&mut self, span: Span) {
        self.pending.push(Tag::Source(span));
    }

    /// What waits, placed before the first run of `line`.
    pub fn flush_before(&mut self, line: &mut Line) {
        if !self.pending.is_empty() {
            let front = self.pending.drain(..).map(|t| Mark::new(0, t));
            line.marks.splice(0..0, front);
        }
    }

    /// What waits, placed after the last run of `line`.
    pub fn flush_after(&mut self, line: &mut Line) {
        let n = line.runs.len();
        line.marks
            .extend(self.pending.drain(..).map(|t| Mark::new(n, t)));
    }

    /// Marks for an image drawn as an element of `role` (decoration for
    /// `None`), what waits going before it.
    pub fn image(&mut self, role: Option<Role>) -> Vec<Mark> {
        let mut marks: Vec<Mark> = self.pending.drain(..).map(|t| Mark::new(0, t)).collect();
        marks.push(Mark::new(0, Tag::Start(role.unwrap_or(Role::Artifact))));
        marks.push(Mark::new(1, Tag::End));
        marks
    }

    /// The lines of one element of `role`: its links (each a `Link`, with
    /// its annotations) and the notes they call.
    pub fn lines(&mut self, lines: &mut [Line], role: Role) {
        self.text(lines, role, false);
    }

    /// [`Marks::lines`] for a note's first paragraph: its first link (the
    /// note's number, linking back to the reference) is its `Label`, read
    /// before the paragraph.
    pub fn labelled(&mut self, lines: &mut [Line], role: Role) {
        self.text(lines, role, true);
    }

    /// Lines drawn as decoration.
    pub fn artifact(&mut self, lines: &mut [Line]) {
        self.text(lines, Role::Artifact, false);
    }

    fn text(&mut self, lines: &mut [Line], role: Role, label: bool) {
        let label = label
            && lines
                .first()
                .and_then(|l| l.runs.first())
                .is_some_and(|r| r.link == Some(0));
        let mut after_label = None;
        if label {
            self.open(Role::Label);
            after_label = Some(role);
        } else {
            self.open(role);
        }
        let Some(first) = lines.first_mut() else {
            self.close();
            return;
        };
        self.flush_before(first);
        let mut open: Option<(u32, Option<u32>)> = None;
        for line in lines.iter_mut() {
            open = mark_line(line, open, &mut after_label);
        }
        if let Some(last) = lines.last_mut() {
            let n = last.runs.len();
            if let Some(link) = open {
                close_link(&mut last.marks, n, link, &mut after_label);
            }
            if let Some(role) = after_label {
                last.marks.push(Mark::new(n, Tag::Start(role)));
            }
            last.marks.push(Mark::new(n, Tag::End));
        }
    }
}

/// Marks the links of one line: `open` is the link left open by the line
/// before (its index, and the note it calls), the returned one the link
/// this line leaves open.
fn mark_line(
    line: &mut Line,
    mut open: Option<(u32, Option<u32>)>,
    after_label: &mut Option<Role>,
) -> Option<(u32, Option<u32>)> {
    let mut marks = std::mem::take(&mut line.marks);
    let mut filed = vec![false; line.links.len()];
    // Spans (languages, strikethroughs) open inside the current link, or
    // the element: closed before a link ends and at the line's end.
    let (mut span, mut spans_open) = (0u16, 0usize);
    for i in 0..line.runs.len() {
        let link = line.runs[i].link;
        let same_link = open.map(|o| o.0) == link;
        if same_link && line.runs[i].span == span {
            continue;
        }
        for _ in 0..std::mem::take(&mut spans_open) {
            marks.push(Mark::new(i, Tag::End));
        }
        if !same_link {
            if let Some(o) = open {
                file_annots(&mut marks, i, line, o.0, &mut filed, true);
                close_link(&mut marks, i, o, after_label);
            }
            open = link.map(|l| {
                marks.push(Mark::new(i, Tag::Start(Role::Link)));
                (l, calls_note(line, l))
            });
        }
        span = line.runs[i].span;
        for role in span_roles(line, span) {
            marks.push(Mark::new(i, Tag::Start(role)));
            spans_open += 1;
        }
    }
    let n = line.runs.len();
    for _ in 0..spans_open {
        marks.push(Mark::new(n, Tag::End));
    }
    if let Some(o) = open {
        file_annots(&mut marks, n, line, o.0, &mut filed, false);
    }
    // An area whose link has no run on the line: a link of its own.
    for (a, done) in filed.iter().enumerate() {
        if !done {
            marks.push(Mark::new(n, Tag::Start(Role::Link)));
            marks.push(Mark::new(n, Tag::Annot(a as u32)));
            marks.push(Mark::new(n, Tag::End));
        }
    }
    line.marks = marks;
    open
}

/// The `Span` elements around a run in span `span` of `line`, outermost
/// first ([`super::SpanArea`]: each names a parent opened before it).
fn span_roles(line: &Line, span: u16) -> Vec<Role> {
    let mut roles = Vec::new();
    let mut at = span;
    while let Some(a) = line.spans.iter().find(|a| a.span == at && at != 0) {
        roles.push(Role::Span {
            lang: a.lang.clone(),
            strike: a.strike,
        });
        if a.parent >= at {
            break;
        }
        at = a.parent;
    }
    roles.reverse();
    roles
}

/// The note link `l` of `line` calls, if any.
fn calls_note(line: &Line, l: u32) -> Option<u32> {
    match line
        .links
        .iter()
        .find(|a| a.link == Some(l))
        .map(|a| &a.target)
    {
        Some(LinkTarget::To(Target::Note(n))) => Some(*n as u32),
        _ => None,
    }
}

/// Files the areas of link `l` at `at`: the next one where a stretch of
/// the link ends mid-line (`one`), all that are left at the line's end.
fn file_annots(
    marks: &mut Vec<Mark>,
    at: usize,
    line: &Line,
    l: u32,
    filed: &mut [bool],
    one: bool,
) {
    for (a, area) in line.links.iter().enumerate() {
        if area.link == Some(l) && !filed[a] {
            filed[a] = true;
            marks.push(Mark::new(at, Tag::Annot(a as u32)));
            if one {
                return;
            }
        }
    }
}

/// Ends a link at `at`: the note it calls is read right after it, and a
/// note's label ends with its first link.
fn close_link(
    marks: &mut Vec<Mark>,
    at: usize,
    (l, note): (u32, Option<u32>),
    after_label: &mut Option<Role>,
) {
    marks.push(Mark::new(at, Tag::End));
    if let Some(n) = note {
        marks.push(Mark::new(at, Tag::Note(n)));
    }
    if l == 0 {
        if let Some(role) = after_label.take() {
            marks.push(Mark::new(at, Tag::End));
            marks.push(Mark::new(at, Tag::Start(role)));
        }
    }
}

/// Marks a line as decoration (running heads, folios).
pub fn decoration(line: &mut Line) {
    let n = line.runs.len();
    line.marks
        .insert(0, Mark::new(0, Tag::Start(Role::Artifact)));
    line.marks.push(Mark::new(n, Tag::End));
}

/// Marks runs `runs` of `line`, just added after its own (which its marks
/// so far stand before), as a whole element of `role` (or decoration: an
/// entry's leader dots).
pub fn around(line: &mut Line, runs: Range<usize>, role: Role) {
    line.marks.push(Mark::new(runs.start, Tag::Start(role)));
    line.marks.push(Mark::new(runs.end, Tag::End));
}

/// Hangs a list's label: `label` runs were put before the line's own, so
/// its marks move on by that many, except those that open the item (up to
/// its `ListBody`, the last opened at the line's start), which the label
/// follows. An item that opens with an image has its body opened there:
/// its label is then read where it is drawn, after the image.
pub fn label(line: &mut Line, label: usize) {
    let body = line
        .marks
        .iter()
        .rposition(|m| m.at == 0 && m.tag == Tag::Start(Role::ListBody))
        .unwrap_or(0);
    for m in &mut line.marks[body..] {
        m.at += label as u32;
    }
    let lbl = [
        Mark::new(0, Tag::Start(Role::Label)),
        Mark::new(label, Tag::End),
    ];
    line.marks.splice(body..body, lbl);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::frame::{GlyphRun, LinkArea};

    fn line(links: &[Option<u32>], areas: &[(u32, Target)]) -> Line {
        Line {
            runs: links
                .iter()
                .map(|&link| GlyphRun {
                    face: 0,
                    size: 10.0,
                    x: 0.0,
                    rise: 0.0,
                    glyphs: 0..0,
                    text: 0..0,
                    link,
                    span: 0,
                })
                .collect(),
            links: areas
                .iter()
                .map(|(l, t)| LinkArea {
                    x0: 0.0,
                    x1: 1.0,
                    target: LinkTarget::To(t.clone()),
                    link: Some(*l),
                })
                .collect(),
            ..Line::default()
        }
    }

    fn tags(line: &Line) -> Vec<(u32, Tag)> {
        line.marks.iter().map(|m| (m.at, m.tag.clone())).collect()
    }

    #[test]
    fn a_link_over_a_line_break_stays_one_and_its_note_follows_it() {
        let mut lines = vec![
            line(&[None, Some(0)], &[(0, Target::Note(3))]),
            line(&[Some(0), None], &[(0, Target::Note(3))]),
        ];
        let mut marks = Marks::default();
        marks.lines(&mut lines, Role::Paragraph);
        use Tag::*;
        assert_eq!(
            tags(&lines[0]),
            vec![
                (0, Start(Role::Paragraph)),
                (1, Start(Role::Link)),
                (2, Annot(0))
            ]
        );
        assert_eq!(
            tags(&lines[1]),
            vec![(1, Annot(0)), (1, End), (1, Note(3)), (2, End)]
        );
    }

    #[test]
    fn a_label_stands_before_its_item_body_in_nested_lists() {
        // An item whose first line is a nested item's: both bodies open
        // before it, each label put in as its list is done, inner first.
        let mut lines = vec![line(&[None], &[])];
        let mut marks = Marks::default();
        for role in [
            Role::ListItem,
            Role::ListBody,
            Role::ListItem,
            Role::ListBody,
        ] {
            marks.open(role);
        }
        marks.lines(&mut lines, Role::Paragraph);
        let l = &mut lines[0];
        l.runs.insert(0, l.runs[0].clone());
        label(l, 1);
        l.runs.insert(0, l.runs[0].clone());
        label(l, 1);
        use Role::*;
        use Tag::{End, Start};
        assert_eq!(
            tags(l),
            vec![
                (0, Start(ListItem)),
                (0, Start(Label)),
                (1, End),
                (1, Start(ListBody)),
                (1, Start(ListItem)),
                (1, Start(Label)),
                (2, End),
                (2, Start(ListBody)),
                (2, Start(Paragraph)),
                (3, End),
            ]
        );
    }
}
