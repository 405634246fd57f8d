//! Page makeup of the real PDFs of the default book (chapters run on) and
//! of the ×5 book (chapters open on a recto), read back by
//! `scripts/typography-report.py` (PyMuPDF): every full page ends on the
//! foot, or both pages of a spread one line above or below it, the two
//! facing pages of a spread always on one baseline;
//! every line of body text stands on the baseline grid; footnotes end on
//! the foot too.
//!
//! Skips (with a note) when python3 with pymupdf is missing, unless
//! `TSIGNI_REQUIRE_VALIDATORS=1`.

mod common;
#[path = "common/typography.rs"]
mod typography;

use typography::{build_pdf, figures as figures_of, make_x5, python, root};

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// The figures of the report on the article and the ×5 book, once.
fn figures() -> Option<&'static Vec<Value>> {
    static FIGURES: OnceLock<Option<Vec<Value>>> = OnceLock::new();
    FIGURES.get_or_init(measure).as_ref()
}

fn measure() -> Option<Vec<Value>> {
    let py = python()?;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("page_makeup");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let article = dir.join("article.pdf");
    build_pdf(&root().join("manuscript"), &article);
    let x5 = make_x5(&py, &dir.join("x5"));
    // The ×5 book as a monograph: each chapter opens on a recto, after a
    // blank verso when needed (the article runs its sections on).
    let toml = x5.join("book.toml");
    let text = std::fs::read_to_string(&toml).expect("the ×5 book.toml");
    assert!(text.contains("chapter_start = \"any\""), "{text}");
    let text = text.replace("chapter_start = \"any\"", "chapter_start = \"recto\"");
    std::fs::write(&toml, text).expect("write the ×5 book.toml");
    let x5_pdf = dir.join("x5.pdf");
    build_pdf(&x5, &x5_pdf);
    Some(figures_of(&py, &[&article, &x5_pdf]))
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing: {v}"))
}

#[test]
fn full_pages_end_on_the_foot_or_a_spread_a_line_off_it_together() {
    let Some(books) = figures() else {
        return;
    };
    // The foot: the article's commonest last baseline. The ×5 book has the
    // same page, but its chapters opening on rectos may run more spreads
    // short than pages reach the foot, so its own commonest is no guide.
    let foot = number(&books[0], "foot_baseline");
    for book in books {
        let name = book["pdf"].as_str().unwrap_or("?");
        let leading = number(book, "leading");
        let feet: Vec<(u64, f64)> = book["full_page_last_baselines"]
            .as_object()
            .expect("full_page_last_baselines")
            .iter()
            .map(|(page, y)| (page.parse().expect("a page"), y.as_f64().expect("y")))
            .collect();
        assert!(feet.len() >= 15, "{name}: only {} full pages", feet.len());
        let at = |p: u64| feet.iter().find(|(q, _)| *q == p).map(|(_, y)| *y);
        for &(page, y) in &feet {
            let off = (y - foot) / leading;
            // The foot, or one line above or below it …
            assert!(
                (off - off.round()).abs() * leading < 0.5 && off.abs() < 1.5,
                "{name} p{page}: last baseline {y}, foot {foot}"
            );
            if off.abs() * leading < 0.5 {
                continue;
            }
            // … with the facing page (before or after it) just as long, or
            // facing the end of the chapter before.
            let paired = [page - 1, page + 1]
                .iter()
                .any(|&q| at(q).is_some_and(|z| (z - y).abs() < 0.5));
            let opens = at(page - 1).is_none();
            assert!(
                paired || opens,
                "{name} p{page} ends at {y}, alone off the foot {foot}"
            );
        }
        // The foot, and a line above and below it for spreads run short
        // or long.
        let heights = number(book, "last_baseline_heights");
        assert!(heights <= 3.0, "{name}: {heights} heights of full pages");
    }
}

#[test]
fn every_body_line_stands_on_the_grid() {
    let Some(books) = figures() else {
        return;
    };
    for book in books {
        let name = book["pdf"].as_str().unwrap_or("?");
        assert_eq!(
            number(book, "off_grid_pages"),
            0.0,
            "{name}: off the grid on pages {}",
            book["off_grid_page_numbers"]
        );
        assert!(number(book, "body_lines") > 500.0, "{name}");
    }
}

#[test]
fn facing_pages_end_on_one_baseline() {
    let Some(books) = figures() else {
        return;
    };
    for book in books {
        let name = book["pdf"].as_str().unwrap_or("?");
        assert_eq!(
            number(book, "facing_pages_differ"),
            0.0,
            "{name}: facing pages differing {}",
            book["facing_pages_differ_list"]
        );
        assert!(number(book, "full_pages") >= 15.0, "{name}");
    }
}

#[test]
fn most_full_pages_end_on_the_foot() {
    let Some(books) = figures() else {
        return;
    };
    // A spread run a line short or long is the lesser evil, not the rule:
    // the breaker sets a paragraph a line longer (or shorter) where that
    // keeps a spread on its foot. Before it did, the article ran 11 of
    // its 20 full pages off the foot and the ×5 book 60 of 100.
    for book in books {
        let name = book["pdf"].as_str().unwrap_or("?");
        let off = number(book, "short_pages") + number(book, "long_pages");
        let full = number(book, "full_pages");
        assert!(
            off <= 0.35 * full,
            "{name}: {off} of {full} full pages off the foot (short {}, long {})",
            book["short_page_numbers"],
            book["long_page_numbers"]
        );
    }
}
