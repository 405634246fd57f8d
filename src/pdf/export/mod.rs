//! Writing the laid-out book with krilla, the only code that touches it:
//! drawing ([`draw`]), links and their descriptions ([`links`]), the
//! outline ([`outline`]), page labels, metadata and the conformance level
//! `[pdf] standard` asks for ([`standard`]), and the tag tree ([`tags`]).

mod draw;
mod findings;
mod images;
mod links;
mod outline;
mod standard;
mod tags;

pub(crate) use images::cover_image;
pub(crate) use standard::is_archival;

use crate::diagnostics::Diagnostic;
use crate::fonts::FontSet;
use crate::model::Book;
use crate::pdf::frame::{Element, Images, LinkTarget, OutlineEntry, Page, PageKind};
use crate::pdf::pages::{contents_title, Geometry, Layout, CONTENTS_ANCHOR};
use draw::{LinkRect, Marked, Painter};
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::image::Image;
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::text::Font;
use krilla::{Document, SerializeSettings};
use links::LinkAlts;
use std::collections::HashMap;
use std::num::NonZeroU64;

/// Draws the book. Each page's elements are dropped once the page is
/// drawn (they are left empty in `laid`): krilla's output grows as the
/// lines go, instead of on top of all of them.
pub(crate) fn emit(
    laid: &mut Layout,
    fonts: &FontSet,
    cover_image: Option<Image>,
    book: &Book,
    images: &Images,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    // The structure's shape first, while the pages still hold their
    // markers.
    let structure = tags::read(&laid.pages);
    let drawn: Vec<Vec<Element>> = laid
        .pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.elements))
        .collect();
    let configuration = standard::configuration(&book.config.pdf.standard).map_err(|d| vec![*d])?;
    let archival = configuration.validators().archival().is_some();
    let settings = SerializeSettings {
        enable_tagging: true,
        configuration,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let kfonts: Vec<Option<Font>> = fonts
        .faces()
        .iter()
        .map(|f| Font::new(f.data.clone().into(), 0))
        .collect();
    let mut painter = Painter {
        geo: &laid.geometry,
        kfonts: &kfonts,
        cover: cover_image,
        images,
        decoded: vec![None; images.len()],
        archival,
        marked: Marked::new(structure),
        glyphs: Vec::new(),
        places: findings::Places::new(book),
    };
    let anchors = Anchors::new(&laid.pages);
    let alts = LinkAlts::new(book, &laid.outline);
    for (i, (page, elements)) in laid.pages.iter().zip(drawn).enumerate() {
        let settings = page_settings(&laid.geometry, page)?;
        let mut kpage = doc.start_page_with(settings);
        let links = {
            let mut surface = kpage.surface();
            let links = painter.page(&mut surface, i + 1, &elements);
            surface.finish();
            links
        };
        // Findings about a link name its page.
        let location = Some(painter.places.at(i + 1, None));
        for annotation in annotations(book, links, &alts, &anchors, location) {
            match annotation {
                (a, Some(k)) if k < painter.marked.structure.annots.len() => {
                    let id = kpage.add_tagged_annotation(a);
                    painter.marked.structure.annots[k] = Some(id);
                }
                (a, _) => kpage.add_annotation(a),
            }
        }
        kpage.finish();
    }
    let entries = outline_entries(&laid.outline, &anchors, book);
    doc.set_outline(outline::build_outline(&entries, &|id| anchors.dest(id)));
    drop(anchors);
    doc.set_metadata(standard::metadata(book));
    let Painter { marked, places, .. } = painter;
    doc.set_tag_tree(marked.structure.tree(&book.config.book.language));
    doc.finish().map_err(|e| {
        standard::krilla_diagnostics(e, &book.config.pdf.standard, (fonts, &kfonts), &places)
    })
}

/// A page's size and label: roman from the cover on, arabic from page 1
/// of the body. No page names its number: a range without `/St` counts
/// from 1, and krilla starts a new range of `/PageLabels` wherever a page's
/// label differs from the one that opened the range, so naming each page's
/// number would make a range of every page; this way the book has two.
fn page_settings(geo: &Geometry, page: &Page) -> Result<PageSettings, Vec<Diagnostic>> {
    let style = match page.kind {
        PageKind::Body => NumberingStyle::Arabic,
        _ => NumberingStyle::LowerRoman,
    };
    let label = PageLabel::new(Some(style), None, None);
    Ok(PageSettings::from_wh(geo.page_width, geo.page_height)
        .ok_or_else(|| {
            vec![Diagnostic::error(
                "pdf-geometry",
                "the page size is not usable",
            )]
        })?
        .with_page_label(label))
}

/// Where each anchor is: the first page that has it, and its height there.
struct Anchors<'a>(HashMap<&'a str, (usize, f32)>);

impl<'a> Anchors<'a> {
    fn new(pages: &'a [Page]) -> Self {
        let mut anchors: HashMap<&str, (usize, f32)> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            for a in &p.anchors {
                anchors.entry(a.id.as_str()).or_insert((i, a.y));
            }
        }
        Anchors(anchors)
    }

    fn dest(&self, id: &str) -> Option<XyzDestination> {
        self.0
            .get(id)
            .map(|&(page, y)| XyzDestination::new(page, Point::from_xy(0.0, (y - 4.0).max(0.0))))
    }
}

/// The link annotations of a page, each with its key; a link to an anchor
/// that no page has is left out.
fn annotations(
    book: &Book,
    links: Vec<LinkRect>,
    alts: &LinkAlts,
    anchors: &Anchors,
    location: Option<NonZeroU64>,
) -> Vec<(Annotation, Option<usize>)> {
    links
        .into_iter()
        .filter_map(|(rect, target, tag)| {
            let alt = alts.describe(&target);
            let target = match target {
                LinkTarget::Url(url) => Target::Action(LinkAction::new(url).into()),
                LinkTarget::To(to) => Target::Destination(anchors.dest(&to.anchor(book))?.into()),
            };
            let annotation = Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt))
                .with_location(location);
            Some((annotation, tag))
        })
        .collect()
}

/// The outline: the contents first, as a reader expects to find them,
/// then every heading.
fn outline_entries(outline: &[OutlineEntry], anchors: &Anchors, book: &Book) -> Vec<OutlineEntry> {
    let mut entries: Vec<OutlineEntry> = Vec::with_capacity(outline.len() + 1);
    if anchors.0.contains_key(CONTENTS_ANCHOR) {
        entries.push(OutlineEntry {
            level: 1,
            title: contents_title(&book.config.book.language).to_string(),
            id: CONTENTS_ANCHOR.to_string(),
        });
    }
    entries.extend(outline.iter().cloned());
    entries
}
