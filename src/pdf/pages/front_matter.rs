//! The front matter's pages (preface, dedication, …): cut into pages with
//! the body, so their notes are numbered in reading order, but numbered in
//! roman only once the contents before them is set, and the contents lists
//! their folios.

use super::{sides, ChapterFlow, Dress, Keep, Pages};
use crate::pdf::flow::{Fill, VItem};
use crate::pdf::frame::{Line, PageKind};
use crate::pdf::text::Shaper;

/// A chapter of the front matter, cut into pages, waiting for its folios.
pub(super) struct Deferred {
    pub fills: Vec<Fill>,
    pub flow: ChapterFlow,
    pub chapter: usize,
    /// Whether it opens on a recto.
    pub recto: bool,
}

/// Where each chapter of the front matter opens when it follows the
/// contents from folio `first`, blank versos counted.
fn starts(deferred: &[Deferred], first: usize) -> Vec<usize> {
    let lengths: Vec<usize> = deferred.iter().map(|d| d.fills.len()).collect();
    sides::chapter_starts(&lengths, first, &|k| deferred[k].recto).0
}

/// The folio of each front-matter page and the ids of the headings it will
/// carry, when the front matter follows the contents from folio `first`.
pub(super) fn headings(deferred: &[Deferred], first: usize) -> Vec<(usize, Vec<String>)> {
    deferred
        .iter()
        .zip(starts(deferred, first))
        .flat_map(|(d, start)| {
            d.fills.iter().enumerate().map(move |(n, fill)| {
                let ids = d.flow.items[fill.items.clone()]
                    .iter()
                    .filter_map(|it: &VItem| it.heading.clone())
                    .collect();
                (start + n, ids)
            })
        })
        .collect()
}

/// How many pages the contents take when the front matter's folios depend
/// on it: `trial(first)` sets the contents with the front matter numbered
/// from `first` and counts its pages. A longer folio can wrap an entry, so
/// the count is tried again until it holds (three times at most: each try
/// can only add pages, and roman folios differ by a few letters).
pub(super) fn contents_length(
    front: &[Deferred],
    trial: &mut dyn FnMut(usize) -> usize,
    before: usize,
) -> usize {
    if front.is_empty() {
        return 1;
    }
    let mut pages = 1;
    for _ in 0..3 {
        let n = trial(before + pages + 1).max(1);
        if n == pages {
            break;
        }
        pages = n;
    }
    pages
}

/// The front matter's pages, numbered on from `first` in roman, with a
/// blank verso before a chapter that opens on a recto when it needs one.
pub(super) fn materialize(
    shaper: &mut Shaper,
    dress: &Dress,
    deferred: Vec<Deferred>,
    notes: &[Vec<Line>],
    first: usize,
    keep: Keep,
) -> Pages {
    let mut out: Pages = (Vec::new(), Vec::new());
    let starts = starts(&deferred, first);
    for (mut d, start) in deferred.into_iter().zip(starts) {
        let blank = (start > first + out.0.len()).then(|| {
            let folio = super::dress::folio_text(first + out.0.len(), PageKind::Front);
            let (page, info) = sides::blank(PageKind::Front, Some(folio));
            out.0.push(page);
            out.1.push(info);
            out.1.len() - 1
        });
        let (mut pages, mut info) = dress.pages(
            shaper,
            &d.fills,
            &mut d.flow.items,
            notes,
            PageKind::Front,
            start,
            d.flow.title.as_ref(),
        );
        for (page, info) in pages.iter_mut().zip(&mut info) {
            info.place = super::dress::place(page, info.folio.as_ref(), d.chapter, &d.flow.blocks);
            if keep == Keep::Places {
                page.elements = Vec::new();
            }
        }
        if let (Some(k), Some(next)) = (blank, info.first()) {
            sides::place_blank(&mut out.1[k], next);
        }
        out.0.extend(pages);
        out.1.extend(info);
    }
    out
}

/// A part's title page sets its title a third of the way down the page,
/// on a space that stays at the top of the page (not discarded there).
pub(super) fn part_title_drop(items: &mut Vec<VItem>, col: &crate::pdf::flow::Column) {
    let mut drop = VItem::space(col.height / 3.0, false);
    drop.discardable = false;
    items.insert(0, drop);
}
