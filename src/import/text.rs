//! Text extracted from a published PDF (pdftotext and the like) into
//! blocks: page furniture dropped, footnotes lifted out, lines joined into
//! paragraphs, headings found. `emit` turns the blocks into a manuscript.
//!
//! Every rule here is a guess from typesetting habits; each guess that
//! changes the text's structure is reported with its input line.

use super::measure::Measure;
use super::report::Report;
use super::{emit, Files};

/// One line of the input, numbered from 1.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub no: usize,
    pub text: String,
    /// Began with spaces (a page's first line often does, in this kind of
    /// extraction).
    pub indented: bool,
    /// A blank line (or page furniture) came before it inside its block.
    pub gap_before: bool,
}

#[derive(Debug, Clone)]
enum Slot {
    Text(Line),
    Blank,
    /// Where page furniture (a folio, a running head, a footnote block)
    /// was taken out: a paragraph may go on across it.
    Break,
}

/// A footnote lifted from the foot of a page.
#[derive(Debug, Clone)]
pub(crate) struct Note {
    pub number: String,
    pub text: String,
    pub line: usize,
}

/// What the text is made of, in order.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Heading {
        level: u8,
        text: String,
        line: usize,
    },
    Paragraph(Vec<Line>),
    Bullet(Vec<Line>),
}

/// Characters PDF fonts (Symbol, Wingdings) use for bullets, which
/// extraction leaves in the private use area, and the ordinary ones.
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '\u{F0B7}'
            | '\u{F0A7}'
            | '\u{F076}'
            | '\u{F0D8}'
            | '\u{F0FC}'
            | '\u{F0A8}'
            | '•'
            | '▪'
            | '◦'
            | '●'
            | '■'
    ) || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Ends a sentence, so a line ending with it may end a paragraph.
fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '“', '”', '»', ')', '"'])
}

/// Chapter names of scholarly articles: a heading with one of them starts a
/// chapter; other headings are sections.
const CHAPTER_NAMES: &[&str] = &[
    "აბსტრაქტი",
    "ანოტაცია",
    "რეზიუმე",
    "შესავალი",
    "მეთოდი",
    "მეთოდები",
    "მეთოდოლოგია",
    "შედეგები",
    "დისკუსია",
    "განხილვა",
    "დასკვნა",
    "დასკვნები",
    "ბიბლიოგრაფია",
    "ლიტერატურა",
    "abstract",
    "introduction",
    "method",
    "methods",
    "methodology",
    "results",
    "discussion",
    "conclusion",
    "conclusions",
    "summary",
    "references",
    "bibliography",
];

fn is_chapter_name(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', ':']).to_lowercase();
    CHAPTER_NAMES.contains(&t.as_str())
}

/// Imports the text; `name` is the input's file name, for the report.
pub fn import(text: &str, name: &str) -> (Files, Report) {
    let mut report = Report::default();
    let mut slots = read_lines(text);
    let width = measure(&slots);
    drop_furniture(&mut slots, name, &mut report);
    let notes = lift_notes(&mut slots, width, name, &mut report);
    let blocks = group(&slots, width);
    let items = classify(blocks, width, name, &mut report);
    let files = emit::manuscript(&items, &notes, text, name, &mut report);
    (files, report)
}

fn read_lines(text: &str) -> Vec<Slot> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let trimmed = l.trim();
            if trimmed.is_empty() {
                Slot::Blank
            } else {
                Slot::Text(Line {
                    no: i + 1,
                    text: trimmed.to_string(),
                    indented: l.starts_with(char::is_whitespace),
                    gap_before: false,
                })
            }
        })
        .collect()
}

/// The width of a full line and the floor of one (see [`super::measure`]).
fn measure(slots: &[Slot]) -> Measure {
    let inner = slots
        .windows(2)
        .filter_map(|w| match w {
            [Slot::Text(l), Slot::Text(_)] => Some(l.text.chars().count()),
            _ => None,
        })
        .collect();
    super::measure::of(line_width(slots), inner)
}

/// The width of a full line of body text: the 90th percentile of line
/// lengths, in characters (short last lines of paragraphs and headings
/// pull the median down; notes in smaller type are few).
fn line_width(slots: &[Slot]) -> usize {
    let mut lens: Vec<usize> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Text(l) => Some(l.text.chars().count()),
            _ => None,
        })
        .collect();
    if lens.is_empty() {
        return 60;
    }
    lens.sort_unstable();
    lens[lens.len() * 9 / 10].max(20)
}

/// Folios (a line of only a number) and running heads (a short line seen
/// on three or more pages) become breaks.
fn drop_furniture(slots: &mut [Slot], name: &str, report: &mut Report) {
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for s in slots.iter() {
        if let Slot::Text(l) = s {
            if l.text.chars().count() <= 80 && !ends_sentence(&l.text) {
                *counts.entry(l.text.clone()).or_default() += 1;
            }
        }
    }
    for s in slots.iter_mut() {
        let Slot::Text(l) = s else { continue };
        let folio = l.text.len() <= 4 && l.text.chars().all(|c| c.is_ascii_digit());
        let head = counts.get(&l.text).is_some_and(|&n| n >= 3);
        if folio || head {
            let what = if folio { "page number" } else { "running head" };
            report.guess(name, l.no, "dropped", format!("{what} {:?}", l.text));
            *s = Slot::Break;
        }
    }
}

/// `N  text` after a blank line, where N marks a word earlier in the text
/// (`დაერქვათ.89`): a footnote, running on until a blank line, or a line
/// that ends a sentence followed by one that is not as wide as a note's.
fn lift_notes(slots: &mut [Slot], width: Measure, name: &str, report: &mut Report) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut body = String::new();
    let mut i = 0;
    while i < slots.len() {
        let start = match &slots[i] {
            Slot::Text(l) => note_start(l, i, slots, &body),
            _ => None,
        };
        let Some((number, first)) = start else {
            if let Slot::Text(l) = &slots[i] {
                body.push_str(&l.text);
                body.push('\n');
            }
            i += 1;
            continue;
        };
        let line = match &slots[i] {
            Slot::Text(l) => l.no,
            _ => 0,
        };
        let mut text = first;
        slots[i] = Slot::Break;
        i += 1;
        while let Some(Slot::Text(l)) = slots.get(i) {
            let wide = l.text.chars().count() > width.width + 3;
            if ends_sentence(&text) && (!wide || l.indented) {
                break;
            }
            if note_start(l, i, slots, &body).is_some() {
                break;
            }
            text = join_note_line(&text, &l.text);
            slots[i] = Slot::Break;
            i += 1;
        }
        report.guess(
            name,
            line,
            "note",
            format!("footnote {number} lifted from the page foot"),
        );
        notes.push(Note { number, text, line });
    }
    notes
}

fn join_note_line(text: &str, next: &str) -> String {
    match text.strip_suffix('-') {
        Some(head) if !head.ends_with(' ') => format!("{head}{next}"),
        _ => format!("{text} {next}"),
    }
}

/// A footnote's first line: a number, two spaces or more, text, after a
/// blank line, its number marking the body text before it.
fn note_start(l: &Line, i: usize, slots: &[Slot], body: &str) -> Option<(String, String)> {
    let after_blank = i == 0 || matches!(slots[i - 1], Slot::Blank | Slot::Break);
    if !after_blank {
        return None;
    }
    let digits = l.text.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (number, rest) = l.text.split_at(digits);
    if !rest.starts_with("  ") && !rest.starts_with('\t') {
        return None;
    }
    let marked = crate::import::emit::mark_position(body, number).is_some();
    marked.then(|| (number.to_string(), rest.trim().to_string()))
}

/// Lines into blocks. A blank line ends a paragraph, except where the line
/// before it cannot end one: across a page break when the sentence has not
/// ended, and after a full-width line that has not ended its sentence.
fn group(slots: &[Slot], width: Measure) -> Vec<Vec<Line>> {
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    let mut gap = false;
    let mut broke = false;
    for s in slots {
        match s {
            Slot::Blank => gap = true,
            Slot::Break => {
                gap = true;
                broke = true;
            }
            Slot::Text(l) => {
                let bullet = l.text.starts_with(is_bullet);
                let ends = bullet || (gap && !goes_on(&current, l, broke, width));
                if ends && !current.is_empty() {
                    blocks.push(std::mem::take(&mut current));
                }
                let mut l = l.clone();
                l.gap_before = gap && !current.is_empty();
                current.push(l);
                gap = false;
                broke = false;
            }
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Whether the paragraph in `current` continues after a gap.
fn goes_on(current: &[Line], next: &Line, broke: bool, width: Measure) -> bool {
    let Some(last) = current.last() else {
        return false;
    };
    if ends_sentence(&last.text) {
        return false;
    }
    if last.text.ends_with('-') || broke {
        return true;
    }
    // A lone line, then a short one after a blank: a heading set on two
    // lines, not a paragraph.
    let next_short = next.text.chars().count() * 2 < width.width && !ends_sentence(&next.text);
    if current.len() == 1 && next_short {
        return false;
    }
    // A heading, then a paragraph's first line and a blank: the blank is
    // extraction's, inside the paragraph (see `leads_with_heading`).
    let first = &current[0].text;
    if current.len() == 2 && width.short(first.chars().count()) && !ends_sentence(first) {
        return true;
    }
    !width.short(last.text.chars().count())
}

/// Blocks into headings, paragraphs and list items.
fn classify(blocks: Vec<Vec<Line>>, width: Measure, name: &str, report: &mut Report) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for mut block in blocks {
        let trailing = peel_headings(&mut block, width);
        let after_sentence = |items: &[Item]| match items.last() {
            None | Some(Item::Heading { .. }) => true,
            Some(Item::Paragraph(l)) | Some(Item::Bullet(l)) => {
                l.last().is_some_and(|l| ends_sentence(&l.text))
            }
        };
        if after_sentence(&items) && leads_with_heading(&block, width) {
            let first = block.remove(0);
            push_heading(&mut items, &[first]);
        }
        if !block.is_empty() {
            let after_sentence = after_sentence(&items);
            if block[0].text.starts_with(is_bullet) {
                let first = &mut block[0];
                first.text = first.text.trim_start_matches(is_bullet).trim().to_string();
                report.guess(name, first.no, "list", "bullet glyph: a list item".into());
                items.push(Item::Bullet(block));
            } else if after_sentence && trailing.is_empty() && is_heading(&block, width) {
                push_heading(&mut items, &block);
            } else {
                items.push(Item::Paragraph(block));
            }
        }
        for h in trailing {
            push_heading(&mut items, &[h]);
        }
    }
    set_levels(&mut items, name, report);
    items
}

/// A heading block: one or two lines that end no sentence and hold none,
/// a single line shorter than a full one.
fn is_heading(block: &[Line], width: Measure) -> bool {
    let text: String = block.iter().map(|l| l.text.as_str()).collect();
    // A full line followed by a paragraph was joined to it by `group`.
    let short = block.len() == 1 && block[0].text.chars().count() <= width.width;
    let two = block.len() == 2 && block[0].text.ends_with('-');
    (short || two)
        && text.chars().count() < 120
        && !ends_sentence(&text)
        && !text.ends_with([',', '-'])
        && !text.contains(". ")
}

/// A block's first line that is a heading run into the paragraph after it.
/// Extraction gives these away: the paragraph under a heading has a blank
/// line after its own first line, so the block's third line follows a gap.
/// The heading itself is short and ends no sentence.
fn leads_with_heading(block: &[Line], width: Measure) -> bool {
    let [first, _, third, ..] = block else {
        return false;
    };
    third.gap_before
        && !first.text.starts_with(is_bullet)
        && width.short(first.text.chars().count())
        && !ends_sentence(&first.text)
        && !first.text.ends_with([',', '-'])
}

/// Lines at the end of a block that are headings run into it (no blank
/// line after the paragraph before): one or two short lines ending no
/// sentence, after a line that ends one.
fn peel_headings(block: &mut Vec<Line>, width: Measure) -> Vec<Line> {
    let heading_like = |l: &Line| {
        width.short(l.text.chars().count())
            && !ends_sentence(&l.text)
            && !l.text.ends_with([',', '-'])
    };
    let n = block.len();
    let ends = |i: usize| ends_sentence(&block[i].text);
    let count = if n >= 2 && heading_like(&block[n - 1]) && ends(n - 2) {
        1
    } else if n >= 3 && heading_like(&block[n - 1]) && heading_like(&block[n - 2]) && ends(n - 3) {
        2
    } else {
        0
    };
    block.split_off(n - count)
}

/// A heading right after a heading that is no chapter name continues it
/// (a long heading set on two lines with space between).
fn push_heading(items: &mut Vec<Item>, lines: &[Line]) {
    let text = join_heading(lines);
    let several = items.len() > 1;
    if let Some(Item::Heading { text: prev, .. }) = items.last_mut() {
        if !is_chapter_name(prev) && several {
            prev.push(' ');
            prev.push_str(&text);
            return;
        }
    }
    items.push(Item::Heading {
        level: 2,
        text,
        line: lines.first().map_or(0, |l| l.no),
    });
}

fn join_heading(lines: &[Line]) -> String {
    let mut text = String::new();
    for l in lines {
        text = if text.is_empty() {
            l.text.clone()
        } else {
            join_note_line(&text, &l.text)
        };
    }
    text
}

/// Chapters: the first heading, a chapter name, or a heading with another
/// right after it. Every other heading is a section.
fn set_levels(items: &mut [Item], name: &str, report: &mut Report) {
    let mut first = true;
    for i in 0..items.len() {
        let next_is_heading = matches!(items.get(i + 1), Some(Item::Heading { .. }));
        if let Item::Heading { level, text, line } = &mut items[i] {
            let chapter = first || is_chapter_name(text) || next_is_heading;
            *level = if chapter { 1 } else { 2 };
            first = false;
            let what = if chapter { "chapter" } else { "section" };
            report.guess(name, *line, "heading", format!("{what}: {text}"));
        }
    }
}
