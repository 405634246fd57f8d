//! A paragraph's inlines become boxes, glue and penalties, are broken into
//! lines by [`linebreak`], and come back as positioned glyph runs.
//!
//! About 700 lines, one builder: words, spaces, breaks inside words and the
//! splitting of over-long runs all append to the same item and fragment
//! lists; setting the broken lines lives in [`lines`].

use super::linebreak::{Item, FORCED, INFINITY};
use super::shape::{Breaks, Shaper, WordBreak};
use crate::fonts::Style;
use crate::hyphenate;
use crate::model::{Book, Inline, Span, Target};
use crate::pdf::frame::{Line, LinkTarget};
use std::ops::Range;

mod expansion;
mod hyphens;
mod lines;
mod marks;
mod protrusion;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    /// Ragged left (an epigraph's attribution).
    Right,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub size: f32,
    pub style: Style,
    pub align: Align,
    /// Full width available to the paragraph.
    pub measure: f32,
    /// The first line starts this far in.
    pub first_indent: f32,
    /// Later lines start this far in (a hanging indent).
    pub hang: f32,
    pub hyphenate: bool,
}

/// TeX's `\hyphenpenalty` and `\exhyphenpenalty`; a hyphen costs twice
/// TeX's 50 because protrusion and expansion leave fewer lines that need
/// one, and a page of 40 % hyphenated lines reads choppy.
const HYPHEN_COST: f32 = 100.0;
const EXPLICIT_HYPHEN_COST: f32 = 50.0;
const RANGE_COST: f32 = 300.0;
/// A break inside an unbreakable run that is wider than the line: only when
/// nothing else works.
const EMERGENCY_COST: f32 = 5_000.0;
/// Footnote markers: size relative to the text and rise above the baseline.
const SUPERSCRIPT_SIZE: f32 = 0.62;
const SUPERSCRIPT_RISE: f32 = 0.36;

/// A paragraph set into lines.
#[derive(Debug, Default)]
pub struct Laid {
    pub lines: Vec<Line>,
    /// For each line, the notes referenced on it.
    pub notes: Vec<Vec<usize>>,
    /// For each line, anchors on it (note references).
    pub anchors: Vec<Vec<String>>,
    /// For each line, where its first character stands in the paragraph's
    /// text, counted as [`crate::model::text_len`] counts.
    pub offsets: Vec<Option<u32>>,
    /// The paragraph set a line shorter (-1) or longer (+1), where asked
    /// for and good enough ([`set_paragraph_variants`]).
    pub variants: Vec<LaidVariant>,
}

/// A paragraph set a line shorter or longer than its best.
#[derive(Debug, Default)]
pub struct LaidVariant {
    /// -1 or +1 line.
    pub delta: i8,
    /// The line breaker's demerits beyond the best setting's.
    pub demerits: f64,
    pub laid: Laid,
}

#[derive(Debug, Clone, Copy)]
enum Content {
    Frag(u32),
    /// A word space.
    Space,
    Hyphen(u32),
    Nothing,
}

#[derive(Debug, Clone)]
struct Frag {
    face: u16,
    size: f32,
    rise: f32,
    glyphs: Range<u32>,
    text: Range<u32>,
    link: Option<u32>,
    /// As [`crate::pdf::frame::GlyphRun::span`].
    span: u16,
    /// Where its first character stands in the paragraph's text, counted as
    /// [`crate::model::text_len`] counts (not bytes of `text`: note numbers
    /// and markers count nothing there).
    src: u32,
}

#[derive(Debug, Clone, Copy)]
struct PGlyph {
    id: u16,
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    cluster: u32,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    style: Style,
    size: f32,
    rise: f32,
    link: Option<u32>,
    /// The innermost span (1 + index into [`Builder::spans`]; 0: none).
    span: u16,
    smallcaps: bool,
}

struct Builder<'a, 'f> {
    shaper: &'a mut Shaper<'f>,
    book: Option<&'a Book>,
    set: Setting,
    /// Where the text comes from, for errors; `None` for tsigni's own.
    span: Option<Span>,
    lang: Option<hypher::Lang>,
    items: Vec<Item>,
    content: Vec<Content>,
    frags: Vec<Frag>,
    glyphs: Vec<PGlyph>,
    text: String,
    links: Vec<LinkTarget>,
    /// (item index of the marker, note number)
    note_refs: Vec<(usize, usize)>,
    /// Characters of the paragraph's text read so far (see [`Frag::src`]).
    offset: u32,
    /// The paragraph's spans (languages, strikethroughs) in order.
    spans: Vec<marks::SpanInfo>,
    /// Inside a language span: its patterns (none for a language without).
    span_lang: Option<Option<hypher::Lang>>,
    /// Number ranges never break after their dash (a `ka` book's dashes).
    join_ranges: bool,
    /// Also set the paragraph a line shorter and longer.
    variants: bool,
}

/// Something set before a paragraph's text: a footnote's number.
#[derive(Debug, Clone)]
pub struct Marker {
    pub text: String,
    pub target: Option<LinkTarget>,
    pub superscript: bool,
    /// Space after it, in em; it never breaks from the text.
    pub gap: f32,
}

/// Sets `inlines` as one paragraph; `span` is where they come from in the
/// manuscript, for errors (`None` for tsigni's own text).
pub fn set_paragraph(
    shaper: &mut Shaper,
    book: Option<&Book>,
    inlines: &[Inline],
    set: Setting,
    span: Option<Span>,
) -> Laid {
    set_marked(shaper, book, None, inlines, set, span)
}

/// [`set_paragraph`], with the paragraph also set a line shorter and a line
/// longer (in [`Laid::variants`]) where that leaves no line loose: the page
/// breaker may take one so that a page ends on its foot.
pub fn set_paragraph_variants(
    shaper: &mut Shaper,
    book: Option<&Book>,
    inlines: &[Inline],
    set: Setting,
    span: Option<Span>,
) -> Laid {
    set_inner(shaper, book, None, inlines, (set, span), true)
}

/// Sets `inlines` as one paragraph, after `marker`.
pub fn set_marked(
    shaper: &mut Shaper,
    book: Option<&Book>,
    marker: Option<&Marker>,
    inlines: &[Inline],
    set: Setting,
    span: Option<Span>,
) -> Laid {
    set_inner(shaper, book, marker, inlines, (set, span), false)
}

fn set_inner(
    shaper: &mut Shaper,
    book: Option<&Book>,
    marker: Option<&Marker>,
    inlines: &[Inline],
    (set, span): (Setting, Option<Span>),
    variants: bool,
) -> Laid {
    let lang = book.and_then(|b| hyphenate::lang_for(&b.config.book.language));
    let mut b = Builder {
        shaper,
        book,
        set,
        span,
        lang,
        items: Vec::new(),
        content: Vec::new(),
        frags: Vec::new(),
        glyphs: Vec::new(),
        text: String::new(),
        links: Vec::new(),
        note_refs: Vec::new(),
        offset: 0,
        spans: Vec::new(),
        span_lang: None,
        join_ranges: book.is_some_and(marks::joins_ranges),
        variants,
    };
    let run = Run {
        style: set.style,
        size: set.size,
        rise: 0.0,
        link: None,
        span: 0,
        smallcaps: false,
    };
    if let Some(m) = marker {
        let link = m.target.clone().and_then(|t| b.link(t));
        let mrun = if m.superscript {
            Run {
                style: Style::Regular,
                size: run.size * SUPERSCRIPT_SIZE,
                rise: run.size * SUPERSCRIPT_RISE,
                link,
                ..run
            }
        } else {
            Run { link, ..run }
        };
        b.word(&m.text, mrun, 0);
        if m.gap > 0.0 {
            b.push(
                Item::Box {
                    width: m.gap * run.size,
                },
                Content::Nothing,
            );
        }
    }
    b.inlines(inlines, run);
    b.finish()
}

/// Sets a piece of plain text (running heads, folios, title page).
pub fn set_text(shaper: &mut Shaper, text: &str, set: Setting) -> Laid {
    set_paragraph(shaper, None, &[Inline::Text(text.to_string())], set, None)
}

/// `char::is_alphabetic` with the common case first: the general lookup
/// is slow for Georgian, and every word of the book goes through here.
fn is_letter(c: char) -> bool {
    matches!(c, 'ა'..='ჺ' | 'a'..='z' | 'A'..='Z') || (!c.is_ascii() && c.is_alphabetic())
}

/// Counts the characters of a string before byte offsets asked for in
/// increasing order, in time linear in the string overall (a megabyte
/// word is cut into thousands of fragments).
#[derive(Default)]
struct CharCount {
    byte: usize,
    chars: u32,
}

impl CharCount {
    /// Characters of `s` before byte `bytes` (clamped to a character
    /// boundary).
    fn upto(&mut self, s: &str, bytes: u32) -> u32 {
        let mut b = (bytes as usize).min(s.len());
        while b > 0 && !s.is_char_boundary(b) {
            b -= 1;
        }
        if b < self.byte {
            *self = CharCount::default();
        }
        self.chars += s[self.byte..b].chars().count() as u32;
        self.byte = b;
        self.chars
    }
}

/// A no-break space is set as a space that stretches with the others (TeX's
/// `~`), but the line never breaks there.
fn is_tie(c: char) -> bool {
    c == '\u{A0}'
}

fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{202F}' | '\u{2007}' | '\u{2060}')
}

impl Builder<'_, '_> {
    fn inlines(&mut self, inlines: &[Inline], run: Run) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.text_chunk(t, run),
                Inline::Code(t) => self.text_chunk(
                    t,
                    Run {
                        style: Style::Mono,
                        ..run
                    },
                ),
                Inline::Space => {
                    self.space(run);
                    self.offset += 1;
                }
                Inline::LineBreak => {
                    self.forced_break();
                    self.offset += 1;
                }
                Inline::Emphasis(c) => {
                    // Bold already stands out; the set has no bold italic.
                    let style = if run.style == Style::Bold {
                        Style::Bold
                    } else {
                        Style::Italic
                    };
                    self.inlines(c, Run { style, ..run })
                }
                Inline::Strong(c) => self.inlines(
                    c,
                    Run {
                        style: Style::Bold,
                        ..run
                    },
                ),
                Inline::Link { url, content } => {
                    let link = self.link(LinkTarget::Url(url.clone()));
                    self.inlines(content, Run { link, ..run })
                }
                Inline::NoteRef { number } => {
                    let link = self.link(LinkTarget::To(Target::Note(*number)));
                    self.note_refs.push((self.items.len(), *number));
                    let sup = Run {
                        style: Style::Regular,
                        size: run.size * SUPERSCRIPT_SIZE,
                        rise: run.rise + run.size * SUPERSCRIPT_RISE,
                        link,
                        smallcaps: false,
                        ..run
                    };
                    self.word(&number.to_string(), sup, self.offset);
                }
                Inline::Citation(i) => {
                    let Some(book) = self.book else { continue };
                    let Some(cit) = book.citations.get(*i) else {
                        continue;
                    };
                    // The citation links to the entry of its first work.
                    let target = cit.items.first().and_then(|item| {
                        book.bibliography
                            .iter()
                            .position(|e| e.key == item.key)
                            .map(Target::BibEntry)
                    });
                    let link = match target {
                        Some(t) => self.link(LinkTarget::To(t)),
                        None => run.link,
                    };
                    self.inlines(&cit.rendered, Run { link, ..run })
                }
                Inline::Marked(m, c) => self.marked(*m, c, run),
                Inline::Lang(l) => self.lang_span(l, run),
                Inline::Ref(i) => self.cross_ref(*i, run),
            }
        }
    }

    /// A cross-reference: each item's words (and page, where asked and
    /// known) linked to its target.
    fn cross_ref(&mut self, index: usize, run: Run) {
        let Some(book) = self.book else { return };
        let Some(r) = book.refs.get(index) else {
            return;
        };
        let page = crate::locale::words(&book.config.book.language).page;
        for (k, item) in r.items.iter().enumerate() {
            if k > 0 {
                self.text_chunk(";", run);
                self.space(run);
                self.offset += 1;
            }
            let link = match &item.target {
                Some(t) => self.link(LinkTarget::To(t.clone())),
                None => run.link,
            };
            // Page places count the words without the page (as the EPUB,
            // which prints none), so later text keeps its offsets.
            let start = self.offset;
            self.text_chunk(
                &crate::model::figure::ref_text(item, page),
                Run { link, ..run },
            );
            self.offset = start + item.text.chars().count() as u32;
        }
    }

    fn link(&mut self, target: LinkTarget) -> Option<u32> {
        self.links.push(target);
        Some(self.links.len() as u32 - 1)
    }

    fn text_chunk(&mut self, text: &str, run: Run) {
        let base = self.offset;
        // (byte, character) where the current word starts.
        let mut word_start: Option<(usize, u32)> = None;
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            n += 1;
            if is_tie(c) && word_start.is_some() {
                if let Some((s, k)) = word_start.take() {
                    self.word(&text[s..i], run, base + k);
                }
                self.tie(run);
            } else if is_break_space(c) {
                if let Some((s, k)) = word_start.take() {
                    self.word(&text[s..i], run, base + k);
                }
                // A dash between spaces stays with the word before it: a
                // line never starts with one.
                let next = text[i..].trim_start_matches(is_break_space);
                let next_word = next.split(is_break_space).next().unwrap_or("");
                if matches!(next_word, "-" | "–" | "—")
                    && !matches!(self.items.last(), Some(Item::Glue { .. }) | None)
                {
                    self.tie(run);
                } else {
                    self.space(run);
                }
            } else if word_start.is_none() {
                word_start = Some((i, n - 1));
            }
        }
        if let Some((s, k)) = word_start {
            self.word(&text[s..], run, base + k);
        }
        self.offset = base + n;
    }

    fn space(&mut self, run: Run) {
        match self.items.last() {
            None | Some(Item::Glue { .. }) => return,
            Some(Item::Penalty { cost, .. }) if *cost <= FORCED => return,
            _ => {}
        }
        let width = self.shaper.space_width(run.style) * run.size;
        let (stretch, shrink) = match self.set.align {
            // TeX's interword glue stretches by half of itself and shrinks
            // by a third (Computer Modern's 1/6 and 1/9 em of a 1/3 em
            // space); the letters' expansion adds to both (see
            // `expansion`). More shrink would leave spaces under 0.15 em,
            // which `pdftotext -raw` no longer reads as spaces.
            Align::Justify => (width / 2.0, width / 3.0),
            Align::Left | Align::Center | Align::Right => (0.0, 0.0),
        };
        self.push(
            Item::Glue {
                width,
                stretch,
                shrink,
                fill: false,
            },
            Content::Space,
        );
    }

    fn forced_break(&mut self) {
        if let Some(Item::Glue { .. }) = self.items.last() {
            self.items.pop();
            self.content.pop();
        }
        self.push(
            Item::Glue {
                width: 0.0,
                stretch: 0.0,
                shrink: 0.0,
                fill: true,
            },
            Content::Nothing,
        );
        self.push(
            Item::Penalty {
                width: 0.0,
                cost: FORCED,
                flagged: false,
            },
            Content::Nothing,
        );
    }

    fn push(&mut self, item: Item, content: Content) {
        self.items.push(item);
        self.content.push(content);
    }

    /// Where a word may break: after an explicit hyphen between letters, and
    /// at the hyphenation points of its alphabetic runs. `true` = insert a
    /// hyphen.
    fn word_breaks(&mut self, word: &str) -> Breaks {
        // The cache holds the book's own rules; a span's differ.
        if self.span_lang.is_some() {
            return self.find_breaks(word).into();
        }
        let cache = &mut self.shaper.breaks[self.set.hyphenate as usize];
        if let Some(b) = cache.get(word) {
            return b.clone();
        }
        let breaks: Breaks = self.find_breaks(word).into();
        if word.len() <= 64 {
            let cache = &mut self.shaper.breaks[self.set.hyphenate as usize];
            cache.insert(word.to_string(), breaks.clone());
        }
        breaks
    }

    fn find_breaks(&self, word: &str) -> Vec<(usize, WordBreak)> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if !matches!(c, '-' | '–') || k == 0 || k + 1 >= chars.len() {
                continue;
            }
            let (before, after) = (chars[k - 1].1, chars[k + 1].1);
            if is_letter(before) && is_letter(after) && hyphens::explicit_ok(&chars, k) {
                out.push((i + c.len_utf8(), WordBreak::AfterHyphen));
            } else if before.is_ascii_digit() && after.is_ascii_digit() && !self.join_ranges {
                out.push((i + c.len_utf8(), WordBreak::AfterRange));
            }
        }
        if self.set.hyphenate {
            let mut k = 0;
            while k < chars.len() {
                if !is_letter(chars[k].1) {
                    k += 1;
                    continue;
                }
                let start = chars[k].0;
                while k < chars.len() && is_letter(chars[k].1) {
                    k += 1;
                }
                let end = chars.get(k).map_or(word.len(), |c| c.0);
                let part = &word[start..end];
                let lang = match self.span_lang {
                    Some(lang) => lang,
                    None => hyphenate::lang_for_word(part, self.lang),
                };
                if let Some(lang) = lang {
                    out.extend(
                        hyphens::print_points(part, lang)
                            .into_iter()
                            .map(|p| (start + p, WordBreak::Hyphenate)),
                    );
                }
            }
            out.sort_unstable();
        }
        out
    }

    /// Adds a word whose first character is character `src` of the
    /// paragraph's text.
    fn word(&mut self, word: &str, run: Run, src: u32) {
        if run.smallcaps {
            return self.small_caps(word, run, src);
        }
        self.word_as(word, word, run, src)
    }

    /// Adds `word`, drawn as the glyphs of `shown` (the same length in
    /// bytes, character by character: small capitals).
    fn word_as(&mut self, word: &str, shown: &str, run: Run, src: u32) {
        let shaped = self.shaper.shape(run.style, shown, self.span);
        if shaped.is_empty() {
            return;
        }
        let breaks = self.word_breaks(word);
        let base = self.text.len() as u32;
        self.text.push_str(word);
        let word_end = self.text.len() as u32;

        let mut next_break = 0;
        let mut frag_start = self.glyphs.len() as u32;
        let mut frag_face = shaped[0].face;
        let mut pending_break: Option<WordBreak> = None;
        let mut count = CharCount::default();
        for (k, g) in shaped.iter().enumerate() {
            let cluster = g.cluster as usize;
            // A break point counts where a new cluster starts exactly there.
            while next_break < breaks.len() && breaks[next_break].0 < cluster {
                next_break += 1;
            }
            let at_break = next_break < breaks.len()
                && breaks[next_break].0 == cluster
                && k > 0
                && shaped[k - 1].cluster as usize != cluster;
            if at_break {
                pending_break = Some(breaks[next_break].1);
                next_break += 1;
            }
            if k > 0 && (at_break || g.face != frag_face) {
                let glyph_end = self.glyphs.len() as u32;
                let frag_src = src
                    + count.upto(
                        word,
                        self.glyphs[frag_start as usize]
                            .cluster
                            .saturating_sub(base),
                    );
                self.close_frag(
                    frag_face,
                    frag_start..glyph_end,
                    base + g.cluster,
                    run,
                    frag_src,
                );
                if let Some(kind) = pending_break.take() {
                    self.break_in_word(kind, frag_face, run);
                }
                // The hyphen's glyph went into the pool too.
                frag_start = self.glyphs.len() as u32;
                frag_face = g.face;
            }
            self.glyphs.push(PGlyph {
                id: g.id,
                advance: g.advance * run.size,
                x_offset: g.x_offset * run.size,
                y_offset: g.y_offset * run.size,
                cluster: base + g.cluster,
            });
        }
        let glyph_end = self.glyphs.len() as u32;
        if let Some(first) = self.glyphs.get(frag_start as usize) {
            let frag_src = src + count.upto(word, first.cluster.saturating_sub(base));
            self.close_frag(frag_face, frag_start..glyph_end, word_end, run, frag_src);
        }
    }

    /// Ends a fragment whose text runs to `text_end`.
    fn close_frag(&mut self, face: u16, glyphs: Range<u32>, text_end: u32, run: Run, src: u32) {
        if glyphs.is_empty() {
            return;
        }
        let text_start = self.glyphs[glyphs.start as usize].cluster;
        let width = self.glyphs[glyphs.start as usize..glyphs.end as usize]
            .iter()
            .map(|g| g.advance)
            .sum();
        self.frags.push(Frag {
            face,
            size: run.size,
            rise: run.rise,
            glyphs,
            text: text_start..text_end.max(text_start),
            link: run.link,
            span: run.span,
            src,
        });
        self.push(
            Item::Box { width },
            Content::Frag(self.frags.len() as u32 - 1),
        );
    }

    fn break_in_word(&mut self, kind: WordBreak, face: u16, run: Run) {
        let cost = match kind {
            WordBreak::Hyphenate => HYPHEN_COST,
            WordBreak::AfterHyphen => EXPLICIT_HYPHEN_COST,
            WordBreak::AfterRange => RANGE_COST,
        };
        if kind != WordBreak::Hyphenate {
            self.push(
                Item::Penalty {
                    width: 0.0,
                    cost,
                    flagged: true,
                },
                Content::Nothing,
            );
            return;
        }
        let Some((hface, id, adv)) = self.shaper.hyphen(run.style, face as usize) else {
            return;
        };
        // The inserted hyphen's text is a hyphen-minus: text extraction
        // (poppler, pdf.js) joins a word split by one at a line end.
        let cluster = self.text.len() as u32;
        self.text.push('-');
        let g = self.glyphs.len() as u32;
        self.glyphs.push(PGlyph {
            id,
            advance: adv * run.size,
            x_offset: 0.0,
            y_offset: 0.0,
            cluster,
        });
        self.frags.push(Frag {
            face: hface as u16,
            size: run.size,
            rise: run.rise,
            glyphs: g..g + 1,
            text: cluster..cluster + 1,
            link: run.link,
            span: run.span,
            // Never the first thing on a line: the hyphen ends one.
            src: 0,
        });
        self.push(
            Item::Penalty {
                width: adv * run.size,
                cost: HYPHEN_COST,
                flagged: true,
            },
            Content::Hyphen(self.frags.len() as u32 - 1),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;

    const TEXT: &str = "მეოცე საუკუნე ჩინეთის ისტორიაში ერთ-ერთი ყველაზე რთული პერიოდია - ამ \
        პერიოდში ჩინელებმა ოთხი მთავარი მართველი ძალა გამოიცვალეს, 1911 წელს დაამხეს \
        მონარქიული მმართველობა და დააარსეს ჩინეთის რესპუბლიკა ნაციონალური პარტიის იგივე \
        კუომინტანგის ხელმძღვანელობით - მალევე ეს პარტია სამხედრო ძალაუფლების მქონე \
        მხედართმთავრებით ჩანაცვლდა.";

    fn setting(measure: f32) -> Setting {
        Setting {
            size: 10.0,
            style: Style::Regular,
            align: Align::Justify,
            measure,
            first_indent: 10.0,
            hang: 0.0,
            hyphenate: true,
        }
    }

    #[test]
    fn justified_lines_fill_the_measure_and_no_line_starts_with_a_dash() {
        let fonts = FontSet::builtin();
        for measure in [150.0, 200.0, 260.0, 330.0] {
            let mut s = Shaper::new(&fonts);
            let laid = set_paragraph(
                &mut s,
                None,
                &[Inline::Text(TEXT.into())],
                setting(measure),
                None,
            );
            let n = laid.lines.len();
            assert!(n > 2);
            for (i, l) in laid.lines.iter().enumerate() {
                assert!(l.width <= l.measure + 0.01, "{} > {}", l.width, l.measure);
                if i + 1 < n {
                    assert!(
                        (l.width - l.measure).abs() < 0.01,
                        "{}: {}",
                        measure,
                        l.text()
                    );
                }
                assert!(!l.text().starts_with('-'), "{}", l.text());
            }
            assert_eq!(laid.lines[0].measure, measure - 10.0);
        }
    }

    #[test]
    fn a_line_break_ends_the_line_and_notes_stay_with_their_line() {
        let fonts = FontSet::builtin();
        let mut s = Shaper::new(&fonts);
        let inlines = [
            Inline::Text("პირველი".into()),
            Inline::NoteRef { number: 1 },
            Inline::LineBreak,
            Inline::Text("მეორე სტრიქონი".into()),
            Inline::NoteRef { number: 2 },
        ];
        let laid = set_paragraph(&mut s, None, &inlines, setting(300.0), None);
        assert_eq!(laid.lines.len(), 2);
        assert_eq!(laid.notes, vec![vec![1], vec![2]]);
        assert_eq!(laid.anchors[1], vec!["fnref2".to_string()]);
        assert!(laid.lines[0].text().starts_with("პირველი1"));
        let link = &laid.lines[0].links[0];
        assert_eq!(link.target, LinkTarget::To(Target::Note(1)));
    }

    #[test]
    fn an_inserted_hyphen_reads_as_a_hyphen() {
        let fonts = FontSet::builtin();
        let mut s = Shaper::new(&fonts);
        let laid = set_paragraph(
            &mut s,
            None,
            &[Inline::Text(TEXT.into())],
            setting(150.0),
            None,
        );
        let hyphenated: Vec<_> = laid.lines.iter().filter(|l| l.hyphenated).collect();
        assert!(!hyphenated.is_empty());
        for l in hyphenated {
            let last = l.runs.last().expect("runs");
            let text = l.run_text(last);
            assert!(text.ends_with('-'));
            let g = l.glyphs(last).last().expect("glyph");
            assert_eq!(&text[g.text.start as usize..g.text.end as usize], "-");
        }
    }
}
