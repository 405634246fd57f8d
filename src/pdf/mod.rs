//! The PDF typesetter: the book laid out by tsigni's own engine and drawn
//! with krilla.
//!
//! Steps, each its own module: shaping ([`shape`]), paragraphs into lines
//! ([`inline`], [`linebreak`]), lines into pages with notes and running heads
//! ([`layout`]), the contents ([`toc`]), cover and title page ([`front`]),
//! and drawing ([`emit`]). [`frame`] is the laid-out book they hand on;
//! [`tags`] its logical structure (tagged PDF), filed while laying out.
//!
//! The PDF conforms to `[pdf] standard` (PDF/A-2u by default) and to PDF/UA-1,
//! both checked by krilla as it writes; every body page also records
//! where its text begins ([`page_places`]) for the EPUB's page list.

pub mod emit;
pub mod frame;
pub mod front;
pub mod inline;
pub mod layout;
pub mod linebreak;
pub mod shape;
pub mod tags;
pub mod toc;

use crate::cover::Cover;
use crate::diagnostics::Diagnostics;
use crate::fonts::{FontSet, Style};
use crate::model::{plain_text, Book, Heading, Inline, PagePlace};
use frame::{Line, Page, PageKind};
use layout::{Flow, Geometry, NoteState, PageDressing, VItem};
use shape::Shaper;
use std::collections::HashMap;
use tags::{Role, Tags};

pub struct PdfOutput {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// For each page, in order: its number, printed label, headings and first words.
    pub page_starts: Vec<PageStart>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageStart {
    /// 1-based physical page.
    pub page: usize,
    /// The printed page number, or "" on a page that shows none.
    pub label: String,
    /// The first few words of text on the page.
    pub first_words: String,
    /// Ids of the headings that start on the page.
    pub headings: Vec<String>,
    /// Where the page's first line of text comes from (a chapter's or the
    /// bibliography's), for the EPUB's page list; `None` on the front matter.
    pub place: Option<PagePlace>,
}

/// The laid-out book, before drawing.
pub struct Layout {
    pub pages: Vec<Page>,
    pub geometry: Geometry,
    /// Every heading, in order, for the outline.
    pub outline: Vec<emit::OutlineEntry>,
    /// The book's logical structure, for tagged PDF.
    pub tags: Tags,
}

impl Layout {
    /// Every line of the book with the page it stands on (0-based).
    pub fn lines(&self) -> impl Iterator<Item = (usize, &Line)> {
        self.pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.lines().map(move |l| (i, l)))
    }
}

/// Id of the generated bibliography chapter's heading.
pub const BIBLIOGRAPHY_ID: &str = "bibliography";

/// The book's images, by their path in the model, as [`crate::prepare::Prepared`] holds them.
pub type Images = [(String, Vec<u8>)];

/// Typesets the book without its images (each shows its description).
pub fn render(book: &Book, fonts: &FontSet, cover: &Cover) -> Result<PdfOutput, Diagnostics> {
    render_with_images(book, fonts, cover, &[])
}

/// Typesets the book, drawing each image the manuscript names.
pub fn render_with_images(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<PdfOutput, Diagnostics> {
    render_sharing_places(book, fonts, cover, images, |_| ())
}

/// Typesets the book and hands `places` the body pages' [`page_places`] as
/// soon as the layout is done, before drawing, so that the EPUB's page list
/// can be written meanwhile without laying the book out a second time. A
/// layout that fails hands on its diagnostics instead.
pub fn render_sharing_places(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
    places: impl FnOnce(Result<Vec<PagePlace>, Diagnostics>),
) -> Result<PdfOutput, Diagnostics> {
    // Compressing the cover's pixels (and decoding them, when loading left
    // none) is the costliest single step and needs nothing from the layout:
    // do it meanwhile.
    let archival = emit::is_archival(&book.config.pdf.standard);
    let (laid, image) = std::thread::scope(|s| {
        let image = s.spawn(|| emit::cover_image(cover, archival));
        let laid = layout_with_images(book, fonts, cover, images);
        match &laid {
            Ok(l) => places(Ok(l.pages.iter().filter_map(|p| p.place.clone()).collect())),
            Err(d) => places(Err(d.clone())),
        }
        (laid, image.join().ok().flatten())
    });
    let mut laid = laid?;
    let bytes =
        emit::emit(&mut laid, fonts, image, book, images).map_err(|list| Diagnostics { list })?;
    let page_starts = laid
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| PageStart {
            page: i + 1,
            label: match p.kind {
                PageKind::Body | PageKind::Contents => p.folio.clone().unwrap_or_default(),
                PageKind::Cover | PageKind::Title => String::new(),
            },
            first_words: p.first_words.clone(),
            headings: p.headings.clone(),
            place: p.place.clone(),
        })
        .collect();
    Ok(PdfOutput {
        bytes,
        pages: laid.pages.len(),
        page_starts,
    })
}

/// Where each printed page of the body begins in the text of the chapters
/// and the bibliography, in page order, for the EPUB's page list
/// (`epub::write_with_pages`). Only lays the book out: nothing is drawn.
/// Pages of the front matter have no place and are left out.
pub fn page_places(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<Vec<PagePlace>, Diagnostics> {
    let laid = lay_out(book, fonts, cover, images, Keep::Places)?;
    Ok(laid.pages.into_iter().filter_map(|p| p.place).collect())
}

/// What [`lay_out`] keeps of each body page once it is paginated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
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

/// Cuts chapters into body pages, in order, with their notes, running
/// heads and folios.
struct Pager<'a> {
    geo: &'a Geometry,
    notes: &'a [Vec<Line>],
    book_title: &'a Line,
    state: NoteState<'a>,
    body: Vec<Page>,
    keep: Keep,
}

impl Pager<'_> {
    /// Adds the pages of `flow`; after the `last`, none of the notes is left.
    fn add(&mut self, shaper: &mut Shaper, mut flow: ChapterFlow, last: bool) {
        // Folios are tsigni's own text; the chapter after this one goes on
        // from where its text left the shaper.
        let context = shaper.context.take();
        let fills = layout::paginate(&flow.items, self.geo, &mut self.state, last);
        for (n, fill) in fills.iter().enumerate() {
            let folio = self.body.len() + 1;
            let folio_line = layout::one_line(
                shaper,
                &folio.to_string(),
                self.geo.size * 0.9,
                Style::Regular,
                self.geo.measure,
            );
            self.body.push(layout::materialize(
                fill,
                &mut flow.items,
                self.notes,
                self.geo,
                PageDressing {
                    kind: PageKind::Body,
                    folio,
                    folio_line,
                    book_title: self.book_title,
                    chapter_title: flow.title.as_ref(),
                    opening: n == 0,
                },
            ));
        }
        if self.keep == Keep::Places {
            let first = self.body.len() - fills.len();
            for p in &mut self.body[first..] {
                p.elements = Vec::new();
            }
        }
        shaper.context = context;
    }
}

/// Lays the whole book out into pages.
pub fn layout(book: &Book, fonts: &FontSet, cover: &Cover) -> Result<Layout, Diagnostics> {
    layout_with_images(book, fonts, cover, &[])
}

/// Lays the whole book out into pages, images included.
pub fn layout_with_images(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
) -> Result<Layout, Diagnostics> {
    lay_out(book, fonts, cover, images, Keep::All)
}

fn lay_out(
    book: &Book,
    fonts: &FontSet,
    cover: &Cover,
    images: &Images,
    keep: Keep,
) -> Result<Layout, Diagnostics> {
    let geo =
        layout::Geometry::new(&book.config.pdf).map_err(|d| Diagnostics { list: vec![*d] })?;
    let mut shaper = Shaper::new(fonts);
    let mut tags = Tags::default();
    let notes = layout::set_notes_tagged(&mut shaper, book, &geo, &mut tags);
    shaper.context = None;
    let head_size = geo.size * 0.85;
    let book_title = layout::one_line(
        &mut shaper,
        &book.config.book.title,
        head_size,
        Style::Regular,
        geo.measure,
    );

    // The chapters, then the bibliography as a last chapter, each cut into
    // pages as soon as it is set: only one chapter's flow is held at a time.
    let mut pager = Pager {
        geo: &geo,
        notes: &notes,
        book_title: &book_title,
        state: NoteState::new(&notes),
        body: Vec::new(),
        keep,
    };
    // Sets chapter `k` (the bibliography is the one after the last) as a
    // section of the book's structure.
    let mut set = |shaper: &mut Shaper, k: usize, body: &dyn Fn(&mut Flow)| {
        let mut f = Flow::new(shaper, book, geo, images);
        f.tags = std::mem::take(&mut tags);
        f.chapter = Some(k);
        f.parent = Some(f.tags.child(None, Role::Section));
        body(&mut f);
        tags = std::mem::take(&mut f.tags);
        std::mem::take(&mut f.items)
    };
    for (k, ch) in book.chapters.iter().enumerate() {
        let items = set(&mut shaper, k, &|f| f.blocks(&ch.blocks, 0.0, 0.0));
        let title = ch
            .title()
            .map(|h| plain_text(&layout::strip_notes(&h.content), Some(book)))
            .map(|t| layout::one_line(&mut shaper, &t, head_size, Style::Regular, geo.measure));
        let last = k + 1 == book.chapters.len() && book.bibliography.is_empty();
        pager.add(&mut shaper, ChapterFlow { items, title }, last);
    }
    let bib_heading = Heading {
        level: 1,
        id: BIBLIOGRAPHY_ID.into(),
        content: vec![Inline::Text(book.config.bibliography.title.clone())],
        span: Default::default(),
    };
    if !book.bibliography.is_empty() {
        let items = set(&mut shaper, book.chapters.len(), &|f| {
            f.heading(&bib_heading);
            f.bibliography();
        });
        let title = Some(layout::one_line(
            &mut shaper,
            &book.config.bibliography.title,
            head_size,
            Style::Regular,
            geo.measure,
        ));
        pager.add(&mut shaper, ChapterFlow { items, title }, true);
    }
    let body = pager.body;

    // From here on the text is tsigni's own (heads, contents).
    shaper.context = None;

    // Every heading, for the contents and the outline.
    let mut headings: Vec<&Heading> = book.chapters.iter().flat_map(|c| c.headings()).collect();
    if !book.bibliography.is_empty() {
        headings.push(&bib_heading);
    }
    let folios: HashMap<&str, &str> = body
        .iter()
        .flat_map(|p| {
            let folio = p.folio.as_deref().unwrap_or("");
            p.headings.iter().map(move |h| (h.as_str(), folio))
        })
        .collect();
    let folio_of = |id: &str| folios.get(id).map(|f| f.to_string());
    let entries: Vec<toc::Entry> = headings
        .iter()
        .filter_map(|h| {
            Some(toc::Entry {
                level: h.level,
                title: h.content.clone(),
                id: h.id.clone(),
                folio: folio_of(&h.id)?,
            })
        })
        .collect();
    let outline = headings
        .iter()
        .map(|h| emit::OutlineEntry {
            level: h.level,
            title: plain_text(&layout::strip_notes(&h.content), Some(book)),
            id: h.id.clone(),
        })
        .collect();

    // Reading order puts the front matter and the contents before the
    // chapters, though they are set after them.
    tags.place_orphan_notes();
    let body_roots = std::mem::take(&mut tags.roots);
    let mut toc_items = toc::flow(&mut shaper, book, &geo, &entries, &mut tags);
    let toc_roots = std::mem::take(&mut tags.roots);
    let mut no_notes = NoteState::new(&[]);
    let toc_fills = layout::paginate(&toc_items, &geo, &mut no_notes, false);
    let toc_title = layout::one_line(
        &mut shaper,
        toc::title(&book.config.book.language),
        head_size,
        Style::Regular,
        geo.measure,
    );
    let mut pages = vec![
        front::cover_page(cover, &geo, book, &mut tags),
        front::title_page(&mut shaper, book, &geo, &mut tags),
    ];
    tags.roots.extend(toc_roots);
    tags.roots.extend(body_roots);
    for (n, fill) in toc_fills.iter().enumerate() {
        let folio = pages.len() + 1;
        let folio_line = layout::one_line(
            &mut shaper,
            &layout::folio_text(folio, PageKind::Contents),
            geo.size * 0.9,
            Style::Regular,
            geo.measure,
        );
        pages.push(layout::materialize(
            fill,
            &mut toc_items,
            &[],
            &geo,
            PageDressing {
                kind: PageKind::Contents,
                folio,
                folio_line,
                book_title: &book_title,
                chapter_title: Some(&toc_title),
                opening: n == 0,
            },
        ));
    }
    pages.extend(body);
    for p in &mut pages {
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
