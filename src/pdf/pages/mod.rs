//! The flow made into pages: the page's geometry ([`geometry`]), body and
//! contents pages with their notes, running heads and folios ([`dress`]),
//! the cover and title page ([`front`]) and the contents ([`contents`]);
//! here, the whole book in reading order.

mod contents;
mod dress;
mod front;
mod geometry;

pub(crate) use contents::{title as contents_title, ANCHOR as CONTENTS_ANCHOR};
pub(crate) use geometry::Geometry;

use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::fonts::Style;
use crate::model::{plain_text, Book, Heading, Inline, PagePlace};
use crate::pdf::flow::{self, Flow, NoteState, VItem};
use crate::pdf::frame::structure::{Role, Tags};
use crate::pdf::frame::{Line, OutlineEntry, Page, PageKind};
use crate::pdf::text::{self, Shaper};
use dress::PageDressing;
use std::collections::HashMap;

/// Id of the generated bibliography chapter's heading.
pub const BIBLIOGRAPHY_ID: &str = "bibliography";

/// The laid-out book, before drawing; [`crate::pdf::Layout`]'s read-only
/// methods are what tests and callers see of it.
pub struct Layout {
    pub(crate) pages: Vec<Page>,
    pub(crate) geometry: Geometry,
    /// Every heading, in order, for the outline.
    pub(crate) outline: Vec<OutlineEntry>,
    /// The book's logical structure, for tagged PDF.
    pub(crate) tags: Tags,
}

impl Layout {
    /// Where each body page begins, in order, for the EPUB's page list.
    pub(crate) fn places(&self) -> Vec<PagePlace> {
        self.pages.iter().filter_map(|p| p.place.clone()).collect()
    }
}

/// What [`lay_out`] keeps of each body page once it is paginated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Everything, to be drawn.
    All,
    /// Only where the page begins and what it is called: its lines are
    /// dropped as soon as its chapter is paginated, so laying a long book
    /// out for the EPUB's page list holds one chapter at a time.
    Places,
}

/// One chapter's flow, with what its pages need.
struct ChapterFlow {
    items: Vec<VItem>,
    title: Option<Line>,
}

/// What every page of the book shares: its geometry, the type of its
/// running heads and folios, and the book's title for the left-hand heads.
struct Dress<'a> {
    geo: &'a Geometry,
    book_title: Line,
}

impl Dress<'_> {
    /// Running heads are set smaller than the text.
    fn head(&self, shaper: &mut Shaper, text: &str) -> Line {
        let col = &self.geo.column;
        text::one_line(shaper, text, col.size * 0.85, Style::Regular, col.measure)
    }

    fn folio(&self, shaper: &mut Shaper, folio: usize, kind: PageKind) -> Line {
        let col = &self.geo.column;
        let text = dress::folio_text(folio, kind);
        text::one_line(shaper, &text, col.size * 0.9, Style::Regular, col.measure)
    }

    /// The pages of a flow cut into `fills`, numbered on from `first`.
    #[allow(clippy::too_many_arguments)]
    fn pages(
        &self,
        shaper: &mut Shaper,
        fills: &[flow::Fill],
        items: &mut [VItem],
        notes: &[Vec<Line>],
        kind: PageKind,
        first: usize,
        chapter_title: Option<&Line>,
    ) -> Vec<Page> {
        fills
            .iter()
            .enumerate()
            .map(|(n, fill)| {
                let folio = first + n;
                let folio_line = self.folio(shaper, folio, kind);
                dress::materialize(
                    fill,
                    items,
                    notes,
                    self.geo,
                    PageDressing {
                        kind,
                        folio,
                        folio_line,
                        book_title: &self.book_title,
                        chapter_title,
                        opening: n == 0,
                    },
                )
            })
            .collect()
    }
}

/// Cuts chapters into body pages, in order, with their notes, running
/// heads and folios.
struct Pager<'a> {
    dress: &'a Dress<'a>,
    notes: &'a [Vec<Line>],
    state: NoteState<'a>,
    body: Vec<Page>,
    keep: Keep,
}

impl Pager<'_> {
    /// Adds the pages of `flow`; after the `last`, none of the notes is left.
    fn add(&mut self, shaper: &mut Shaper, mut flow: ChapterFlow, last: bool) {
        let fills = flow::paginate(&flow.items, &self.dress.geo.column, &mut self.state, last);
        let pages = self.dress.pages(
            shaper,
            &fills,
            &mut flow.items,
            self.notes,
            PageKind::Body,
            self.body.len() + 1,
            flow.title.as_ref(),
        );
        let first = self.body.len();
        self.body.extend(pages);
        if self.keep == Keep::Places {
            for p in &mut self.body[first..] {
                p.elements = Vec::new();
            }
        }
    }
}

/// Lays the whole book out into pages: the chapters and the bibliography
/// first (the contents need their page numbers), then the contents, cover
/// and title page before them.
pub(crate) fn lay_out(
    book: &Book,
    fonts: &crate::fonts::FontSet,
    cover: &Cover,
    images: &[(String, Vec<u8>)],
    keep: Keep,
) -> Result<Layout, Diagnostics> {
    let geo = Geometry::new(&book.config.pdf).map_err(|d| Diagnostics { list: vec![*d] })?;
    let mut shaper = Shaper::new(fonts);
    let mut tags = Tags::default();
    let notes = flow::set_notes_tagged(&mut shaper, book, &geo.column, &mut tags);
    let mut dress = Dress {
        geo: &geo,
        book_title: Line::default(),
    };
    dress.book_title = dress.head(&mut shaper, &book.config.book.title);
    let bib_heading = bibliography_heading(book);
    let body = body_pages(
        &mut shaper,
        book,
        images,
        &dress,
        &notes,
        &mut tags,
        &bib_heading,
        keep,
    );

    // Every heading, for the contents and the outline.
    let mut headings: Vec<&Heading> = book.chapters.iter().flat_map(|c| c.headings()).collect();
    if !book.bibliography.is_empty() {
        headings.push(&bib_heading);
    }
    let outline = headings
        .iter()
        .map(|h| OutlineEntry {
            level: h.level,
            title: plain_text(&text::strip_notes(&h.content), Some(book)),
            id: h.id.clone(),
        })
        .collect();

    // Reading order puts the front matter and the contents before the
    // chapters, though they are set after them.
    tags.place_orphan_notes();
    let body_roots = std::mem::take(&mut tags.roots);
    let entries = contents_entries(&headings, &body);
    let mut toc = contents::flow(&mut shaper, book, &geo, &entries, &mut tags);
    let toc_roots = std::mem::take(&mut tags.roots);
    let toc_fills = flow::paginate(&toc, &geo.column, &mut NoteState::new(&[]), false);
    let toc_title = dress.head(&mut shaper, contents::title(&book.config.book.language));
    let mut pages = vec![
        front::cover_page(cover, &geo, book, &mut tags),
        front::title_page(&mut shaper, book, &geo, &mut tags),
    ];
    tags.roots.extend(toc_roots);
    tags.roots.extend(body_roots);
    let first = pages.len() + 1;
    pages.extend(dress.pages(
        &mut shaper,
        &toc_fills,
        &mut toc,
        &[],
        PageKind::Contents,
        first,
        Some(&toc_title),
    ));
    pages.extend(body);
    place_pages(&mut pages, &tags);

    if !shaper.errors.is_empty() {
        return Err(Diagnostics {
            list: std::mem::take(&mut shaper.errors),
        });
    }
    Ok(Layout {
        pages,
        geometry: geo,
        outline,
        tags,
    })
}

/// The generated bibliography's heading: a chapter of its own.
fn bibliography_heading(book: &Book) -> Heading {
    Heading {
        level: 1,
        id: BIBLIOGRAPHY_ID.into(),
        content: vec![Inline::Text(book.config.bibliography.title.clone())],
        span: Default::default(),
    }
}

/// The chapters, then the bibliography as a last chapter, each cut into
/// pages as soon as it is set: only one chapter's flow is held at a time.
#[allow(clippy::too_many_arguments)]
fn body_pages(
    shaper: &mut Shaper,
    book: &Book,
    images: &[(String, Vec<u8>)],
    dress: &Dress,
    notes: &[Vec<Line>],
    tags: &mut Tags,
    bib_heading: &Heading,
    keep: Keep,
) -> Vec<Page> {
    let mut pager = Pager {
        dress,
        notes,
        state: NoteState::new(notes),
        body: Vec::new(),
        keep,
    };
    let col = dress.geo.column;
    // Sets chapter `k` (the bibliography is the one after the last) as a
    // section of the book's structure.
    let mut set = |shaper: &mut Shaper, k: usize, body: &dyn Fn(&mut Flow)| {
        let mut f = Flow::new(shaper, book, col, images);
        f.tags = std::mem::take(tags);
        f.chapter = Some(k);
        f.parent = Some(f.tags.child(None, Role::Section));
        body(&mut f);
        *tags = std::mem::take(&mut f.tags);
        std::mem::take(&mut f.items)
    };
    for (k, ch) in book.chapters.iter().enumerate() {
        let items = set(shaper, k, &|f| f.blocks(&ch.blocks, 0.0, 0.0));
        let title = ch
            .title()
            .map(|h| plain_text(&text::strip_notes(&h.content), Some(book)))
            .map(|t| dress.head(shaper, &t));
        let last = k + 1 == book.chapters.len() && book.bibliography.is_empty();
        pager.add(shaper, ChapterFlow { items, title }, last);
    }
    if !book.bibliography.is_empty() {
        let items = set(shaper, book.chapters.len(), &|f| {
            f.heading(bib_heading);
            f.bibliography();
        });
        let title = Some(dress.head(shaper, &book.config.bibliography.title));
        pager.add(shaper, ChapterFlow { items, title }, true);
    }
    pager.body
}

/// The contents' entries: every heading that reached a page, with its folio.
fn contents_entries(headings: &[&Heading], body: &[Page]) -> Vec<contents::Entry> {
    let folios: HashMap<&str, &str> = body
        .iter()
        .flat_map(|p| {
            let folio = p.folio.as_deref().unwrap_or("");
            p.headings.iter().map(move |h| (h.as_str(), folio))
        })
        .collect();
    headings
        .iter()
        .filter_map(|h| {
            Some(contents::Entry {
                level: h.level,
                title: h.content.clone(),
                id: h.id.clone(),
                folio: folios.get(h.id.as_str())?.to_string(),
            })
        })
        .collect()
}

/// Where each page of a chapter begins in its text, for the EPUB.
fn place_pages(pages: &mut [Page], tags: &Tags) {
    for p in pages {
        let Some(src) = p.source else { continue };
        let (Some((chapter, block)), Some(label)) =
            (tags.blocks.get(src.block as usize), p.folio.as_ref())
        else {
            continue;
        };
        p.place = Some(PagePlace {
            label: label.clone(),
            chapter: *chapter,
            block: block.clone(),
            offset: src.offset,
        });
    }
}
