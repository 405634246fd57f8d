//! The flow made into pages: the page's geometry ([`geometry`]), body and
//! contents pages with their notes, running heads and folios ([`dress`]),
//! the cover and title page ([`front`]) and the contents ([`contents`]);
//! here, the whole book in reading order.

mod contents;
mod dress;
mod front;
mod front_matter;
mod geometry;
mod page_refs;
mod sides;
mod verso;

pub(crate) use contents::{title as contents_title, ANCHOR as CONTENTS_ANCHOR};
pub(crate) use geometry::Geometry;
pub(crate) use page_refs::lay_out;

use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::fonts::Style;
use crate::model::{plain_text, Book, Heading, Inline, PagePlace};
use crate::pdf::flow::{self, Flow, NoteState, VItem};
use crate::pdf::frame::marks::{self, Marks, Role};
use crate::pdf::frame::{Line, OutlineEntry, Page, PageKind};
use crate::pdf::text::{self, Shaper};
use dress::{PageDressing, PageInfo};
use std::collections::HashMap;

/// Id of the generated bibliography chapter's heading.
pub const BIBLIOGRAPHY_ID: &str = "bibliography";

/// The laid-out book, before drawing; [`crate::pdf::Layout`]'s read-only
/// methods are what tests and callers see of it.
pub struct Layout {
    pub(crate) pages: Vec<Page>,
    /// What each page is called and where it begins, by page.
    pub(crate) info: Vec<PageInfo>,
    pub(crate) geometry: Geometry,
    /// Every heading, in order, for the outline.
    pub(crate) outline: Vec<OutlineEntry>,
}

impl Layout {
    /// Where each body page begins, in order, for the EPUB's page list.
    pub(crate) fn places(&self) -> Vec<PagePlace> {
        self.info.iter().filter_map(|p| p.place.clone()).collect()
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
    /// Its body paragraphs' other settings (see [`flow::Alt`]).
    alts: Vec<flow::Alt>,
    title: Option<Line>,
    /// The paths of the blocks its lines and images name as their origin.
    blocks: Vec<Vec<usize>>,
}

/// Pages with what is known of each.
type Pages = (Vec<Page>, Vec<PageInfo>);

/// What every page of the book shares: its geometry, the type of its
/// running heads and folios, and the book's title for the left-hand heads.
struct Dress<'a> {
    geo: &'a Geometry,
    book_title: Line,
    /// Which side chapters open on.
    start: crate::config::ChapterStart,
}

impl Dress<'_> {
    /// Running heads are set smaller than the text.
    fn head(&self, shaper: &mut Shaper, text: &str) -> Line {
        let col = &self.geo.column;
        let mut line = text::one_line(shaper, text, col.size * 0.85, Style::Regular, col.measure);
        marks::decoration(&mut line);
        line
    }

    fn folio(&self, shaper: &mut Shaper, folio: usize, kind: PageKind) -> Line {
        let col = &self.geo.column;
        let text = dress::folio_text(folio, kind);
        let mut line = text::one_line(shaper, &text, col.size * 0.9, Style::Regular, col.measure);
        marks::decoration(&mut line);
        line
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
    ) -> Pages {
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
            .unzip()
    }
}

/// Cuts chapters into body pages, in order, with their notes, running
/// heads and folios.
struct Pager<'a> {
    dress: &'a Dress<'a>,
    notes: &'a [Vec<Line>],
    state: NoteState<'a>,
    body: Pages,
    keep: Keep,
    /// Front matter, cut into pages but not yet numbered: its roman folios
    /// follow the contents, which need the body's numbers first.
    front: Vec<front_matter::Deferred>,
}

impl Pager<'_> {
    /// Cuts chapter `chapter` of the front matter into pages, numbered
    /// later; `recto`: whether it opens on a recto.
    fn defer(&mut self, mut flow: ChapterFlow, chapter: usize, recto: bool) {
        // Its folios are not known yet: its spreads never run uneven.
        let paging = flow::Paging {
            flush: false,
            first_recto: None,
        };
        let fills = flow::paginate(
            &mut flow.items,
            &self.dress.geo.column,
            &mut self.state,
            paging,
        );
        self.front.push(front_matter::Deferred {
            fills,
            flow,
            chapter,
            recto,
        });
    }

    /// Adds the pages of chapter `chapter`, after a blank verso if it opens
    /// on a `recto`; after the `last`, none of the notes is left.
    fn add(
        &mut self,
        shaper: &mut Shaper,
        mut flow: ChapterFlow,
        chapter: usize,
        (last, recto): (bool, bool),
    ) {
        let next = self.body.0.len() + 1;
        let blank = sides::needs_blank(next, recto).then(|| {
            let (page, info) = sides::blank(PageKind::Body, Some(next.to_string()));
            self.body.0.push(page);
            self.body.1.push(info);
            self.body.1.len() - 1
        });
        let first = self.body.0.len() + 1;
        let paging = flow::Paging {
            flush: last,
            first_recto: Some(first % 2 == 1),
        };
        let fills = flow::paginate_chapter(
            &mut flow.items,
            &mut flow.alts,
            &self.dress.geo.column,
            &mut self.state,
            paging,
        );
        let (mut pages, mut info) = self.dress.pages(
            shaper,
            &fills,
            &mut flow.items,
            self.notes,
            PageKind::Body,
            first,
            flow.title.as_ref(),
        );
        for (page, info) in pages.iter_mut().zip(&mut info) {
            info.place = dress::place(page, info.folio.as_ref(), chapter, &flow.blocks);
            if self.keep == Keep::Places {
                page.elements = Vec::new();
            }
        }
        if let (Some(k), Some(first)) = (blank, info.first()) {
            sides::place_blank(&mut self.body.1[k], first);
        }
        self.body.0.extend(pages);
        self.body.1.extend(info);
    }
}

/// Lays the whole book out into pages, once (see [`page_refs`] for why
/// there may be two): the chapters and the bibliography first (the
/// contents need their page numbers), then the contents, cover and title
/// page before them.
fn lay_out_once(
    book: &Book,
    fonts: &crate::fonts::FontSet,
    cover: &Cover,
    images: &[(String, Vec<u8>)],
    keep: Keep,
) -> Result<Layout, Diagnostics> {
    let geo = Geometry::new(&book.config.pdf).map_err(|d| Diagnostics { list: vec![*d] })?;
    let mut shaper = Shaper::new(fonts);
    let notes = flow::set_notes(&mut shaper, book, &geo.column);
    let mut dress = Dress {
        geo: &geo,
        book_title: Line::default(),
        start: book.config.pdf.chapter_start,
    };
    dress.book_title = dress.head(&mut shaper, &book.config.book.title);
    let bib_heading = bibliography_heading(book);
    let ((body, body_info), deferred) = body_pages(
        &mut shaper,
        book,
        images,
        &dress,
        &notes,
        &bib_heading,
        keep,
    );

    // Every heading, for the contents and the outline.
    // A part's chapters nest under its title, as in the contents.
    let mut headings: Vec<(&Heading, u8)> = book
        .chapters
        .iter()
        .flat_map(|c| c.headings().map(|h| (h, u8::from(c.kind.in_part()))))
        .collect();
    if !book.bibliography.is_empty() {
        headings.push((&bib_heading, 0));
    }
    let outline = headings
        .iter()
        .map(|(h, deeper)| OutlineEntry {
            level: h.level.saturating_add(*deeper),
            title: plain_text(&text::strip_notes(&h.content), Some(book)),
            id: h.id.clone(),
        })
        .collect();

    let (mut pages, mut info) =
        front_pages(&mut shaper, book, cover, &dress, (&body_info, &deferred));
    let first = pages.len() + 1;
    let (front, front_info) =
        front_matter::materialize(&mut shaper, &dress, deferred, &notes, first, keep);
    pages.extend(front);
    info.extend(front_info);
    // Page 1 on a recto: its folios then have the parity of their places.
    let next = pages.len() + 1;
    if !body.is_empty() && sides::needs_blank(next, true) {
        let (page, blank) = sides::blank(
            PageKind::Front,
            Some(dress::folio_text(next, PageKind::Front)),
        );
        pages.push(page);
        info.push(blank);
    }
    pages.extend(body);
    info.extend(body_info);
    if !shaper.errors.is_empty() {
        return Err(Diagnostics {
            list: std::mem::take(&mut shaper.errors),
        });
    }
    Ok(Layout {
        pages,
        info,
        geometry: geo,
        outline,
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
    bib_heading: &Heading,
    keep: Keep,
) -> (Pages, Vec<front_matter::Deferred>) {
    let mut pager = Pager {
        dress,
        notes,
        state: NoteState::new(notes),
        body: (Vec::new(), Vec::new()),
        keep,
        front: Vec::new(),
    };
    let col = dress.geo.column;
    // The body's structure markers: what a chapter closes is carried by
    // the next one's first line.
    let mut marks = Marks::default();
    // Sets chapter `k` (the bibliography is the one after the last) as a
    // section of the book's structure.
    let mut set = |shaper: &mut Shaper, body: &dyn Fn(&mut Flow)| {
        marks.open(Role::Section);
        let mut f = Flow::new(shaper, book, col, images, &mut marks);
        f.blocks = Some(Vec::new());
        body(&mut f);
        f.marks.close();
        ChapterFlow {
            items: std::mem::take(&mut f.items),
            alts: std::mem::take(&mut f.alts),
            title: None,
            blocks: f.blocks.take().unwrap_or_default(),
        }
    };
    // Whether the chapter before was a part's title page, whose verso stays
    // blank.
    let mut after_part = false;
    for (k, ch) in book.chapters.iter().enumerate() {
        let recto = sides::opens_recto(dress.start, after_part) || sides::must_open_recto(ch.kind);
        after_part = sides::must_open_recto(ch.kind);
        let mut flow = set(shaper, &|f| f.blocks(&ch.blocks, 0.0, 0.0));
        flow.title = ch
            .title()
            .map(|h| plain_text(&text::strip_notes(&h.content), Some(book)))
            .map(|t| dress.head(shaper, &t));
        if matches!(ch.kind, crate::structure::Kind::Part(_)) {
            front_matter::part_title_drop(&mut flow.items, &col);
        }
        if ch.kind.is_front() {
            pager.defer(flow, k, recto);
            continue;
        }
        let last = k + 1 == book.chapters.len() && book.bibliography.is_empty();
        pager.add(shaper, flow, k, (last, recto));
    }
    if !book.bibliography.is_empty() {
        let mut flow = set(shaper, &|f| {
            f.heading(bib_heading);
            f.bibliography();
        });
        flow.title = Some(dress.head(shaper, &book.config.bibliography.title));
        let recto = sides::opens_recto(dress.start, after_part);
        pager.add(shaper, flow, book.chapters.len(), (true, recto));
    }
    (pager.body, pager.front)
}

/// The contents' entries: every heading that reached a page, with its folio;
/// `front` holds the headings of the front matter's pages, by folio.
fn contents_entries(
    book: &Book,
    body: &[PageInfo],
    front: &[(usize, Vec<String>)],
) -> Vec<contents::Entry> {
    let mut folios: HashMap<&str, String> = body
        .iter()
        .flat_map(|p| {
            let folio = p.folio.as_deref().unwrap_or("");
            p.headings
                .iter()
                .map(move |h| (h.as_str(), folio.to_string()))
        })
        .collect();
    for (n, headings) in front {
        let folio = dress::folio_text(*n, PageKind::Front);
        for h in headings {
            folios.entry(h.as_str()).or_insert_with(|| folio.clone());
        }
    }
    crate::prepare::contents(book)
        .into_iter()
        .filter_map(|e| {
            let folio = folios.get(e.target.anchor(book).as_str())?.clone();
            Some(contents::Entry {
                level: e.level,
                title: e.title,
                target: e.target,
                folio,
            })
        })
        .collect()
}

/// The cover, its inside, the title page, its verso and the contents, set
/// once the body's page numbers are known; in the structure they come
/// first. The front matter's pages, `body.1`, follow the contents.
fn front_pages(
    shaper: &mut Shaper,
    book: &Book,
    cover: &Cover,
    dress: &Dress,
    body: (&[PageInfo], &[front_matter::Deferred]),
) -> Pages {
    let geo = dress.geo;
    let before = sides::BEFORE_CONTENTS;
    let toc_pages = front_matter::contents_length(
        body.1,
        &mut |first| {
            let entries = contents_entries(book, body.0, &front_matter::headings(body.1, first));
            let mut toc = contents::flow(shaper, book, geo, &entries);
            flow::paginate(
                &mut toc,
                &geo.column,
                &mut NoteState::new(&[]),
                flow::Paging::CONTENTS,
            )
            .len()
        },
        before,
    );
    let front_headings = front_matter::headings(body.1, before + toc_pages + 1);
    let entries = contents_entries(book, body.0, &front_headings);
    let mut toc = contents::flow(shaper, book, geo, &entries);
    let toc_fills = flow::paginate(
        &mut toc,
        &geo.column,
        &mut NoteState::new(&[]),
        flow::Paging::CONTENTS,
    );
    let toc_title = dress.head(shaper, contents::title(&book.config.book.language));
    // The cover's inside and the title's verso, when the book gives nothing
    // for it, are blank.
    let (mut pages, mut info): Pages = [
        (front::cover_page(cover, geo, book), PageInfo::default()),
        sides::blank(PageKind::Title, None),
        (front::title_page(shaper, book, geo), PageInfo::default()),
        if verso::wanted(book) {
            (verso::page(shaper, book, geo), PageInfo::default())
        } else {
            sides::blank(PageKind::Title, None)
        },
    ]
    .into_iter()
    .unzip();
    debug_assert_eq!(pages.len(), before);
    let first = pages.len() + 1;
    let (toc_pages, toc_info) = dress.pages(
        shaper,
        &toc_fills,
        &mut toc,
        &[],
        PageKind::Contents,
        first,
        Some(&toc_title),
    );
    pages.extend(toc_pages);
    info.extend(toc_info);
    (pages, info)
}
