//! Recto and verso: which side of the sheet each page falls on, and the
//! blank pages that put a page on the side it belongs to.
//!
//! The PDF's first page, the cover, is a recto, so a page's side is the
//! parity of its place in the file: odd pages are rectos (binding on the
//! left, inner margin left), even pages versos. Before the body the folios
//! are roman and count from the cover, so they *are* the places; the body
//! counts from 1 on a recto, so an arabic folio has the parity of its place
//! too. Both invariants are kept here: the body is always preceded by an
//! even number of pages, and [`Geometry::left`](super::Geometry::left) can
//! take the side from the folio.
//!
//! The sequence, as in a printed book: the cover (i), its blank inside
//! (ii), the title page (iii), its verso (iv: the colophon, or blank), the
//! contents on v, then the front matter and page 1, each on a recto; with
//! `[pdf] chapter_start = "recto"` every chapter opens on a recto, a blank
//! verso before it when the previous one ends on a recto. A blank page shows
//! nothing (no running head, no folio) but counts.

use super::dress::PageInfo;
use crate::config::ChapterStart;
use crate::pdf::frame::{Page, PageKind};

/// How many pages stand before the contents: cover, its inside, the title
/// page and its verso. Even, so the contents open on a recto.
pub(super) const BEFORE_CONTENTS: usize = 4;

/// Whether page or folio `n` (1-based) is a recto.
pub(super) fn is_recto(n: usize) -> bool {
    n % 2 == 1
}

/// Whether a chapter that would open on page `next` needs a blank verso
/// before it: when it must open on a recto and `next` is a verso.
pub(super) fn needs_blank(next: usize, on_recto: bool) -> bool {
    on_recto && !is_recto(next)
}

/// Whether a chapter opens on a recto: every chapter when the book asks
/// for it, and whatever follows a part's title page, so that the part title
/// keeps its verso blank, as a part title does. (A part title itself always
/// opens on a recto; see [`must_open_recto`].)
pub(super) fn opens_recto(start: ChapterStart, after_part: bool) -> bool {
    start == ChapterStart::Recto || after_part
}

/// Whether a chapter of kind `kind` opens on a recto whatever the setting.
pub(super) fn must_open_recto(kind: crate::structure::Kind) -> bool {
    matches!(kind, crate::structure::Kind::Part(_))
}

/// A blank page of a run of `kind` (its folio is counted in that run's
/// numbering), numbered `folio` when the run is numbered.
pub(super) fn blank(kind: PageKind, folio: Option<String>) -> (Page, PageInfo) {
    (
        Page::new(kind),
        PageInfo {
            folio,
            blank: true,
            ..PageInfo::default()
        },
    )
}

/// A blank page's place in the text, for the EPUB's page list: where the
/// page after it begins, so that the list runs on without a gap (a reader
/// asked for the blank page finds the chapter after it, as in print).
pub(super) fn place_blank(blank: &mut PageInfo, next: &PageInfo) {
    if let (Some(label), Some(place)) = (&blank.folio, &next.place) {
        blank.place = Some(crate::model::PagePlace {
            label: label.clone(),
            ..place.clone()
        });
    }
}

/// The first folio of each chapter, given their lengths in pages, when the
/// first may open on `first` and `recto(k)` says whether chapter `k` must
/// open on a recto; and the folio after the last.
pub(super) fn chapter_starts(
    lengths: &[usize],
    first: usize,
    recto: &dyn Fn(usize) -> bool,
) -> (Vec<usize>, usize) {
    let mut next = first;
    let starts = lengths
        .iter()
        .enumerate()
        .map(|(k, len)| {
            if needs_blank(next, recto(k)) {
                next += 1;
            }
            let start = next;
            next += len;
            start
        })
        .collect();
    (starts, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chapter_after_a_recto_end_gets_a_blank_verso() {
        // Chapters of 3, 2, 1 and 2 pages from page 1.
        let (starts, end) = chapter_starts(&[3, 2, 1, 2], 1, &|_| true);
        assert_eq!(starts, vec![1, 5, 7, 9]);
        assert_eq!(end, 11);
        let (starts, end) = chapter_starts(&[3, 2, 1, 2], 1, &|_| false);
        assert_eq!(starts, vec![1, 4, 6, 7]);
        assert_eq!(end, 9);
        // Only the third must open on a recto.
        let (starts, _) = chapter_starts(&[3, 2, 1, 2], 1, &|k| k == 2);
        assert_eq!(starts, vec![1, 4, 7, 8]);
    }

    #[test]
    fn sides_follow_the_place_in_the_file() {
        assert!(is_recto(1) && !is_recto(2) && is_recto(BEFORE_CONTENTS + 1));
        assert!(needs_blank(6, true) && !needs_blank(6, false) && !needs_blank(7, true));
        assert!(opens_recto(ChapterStart::Recto, false));
        assert!(!opens_recto(ChapterStart::Any, false));
        assert!(opens_recto(ChapterStart::Any, true));
    }
}
