//! The hyphen the typesetter inserts at a line break reads back as a soft
//! hyphen (U+00AD, ISO 32000 14.8.2.2.3) in readers of `/ActualText`, and a
//! hyphen the author wrote reads back as "-": checked with poppler's
//! `pdftotext` against the layout's own lines, on the article and on a book
//! of compound words, so that some of them break at their hyphen.

#[path = "common/clients.rs"]
mod clients;
mod common;
#[path = "common/figures.rs"]
mod figures;

use clients::{count, join_breaks, lines_ending_in_hyphen, typeset, Typeset};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Built {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    typeset: Typeset,
}

fn build(manuscript: &Path, name: &str) -> Built {
    let l = match tsigni::load(manuscript) {
        Ok(l) => l,
        Err(e) => panic!("{} does not load: {e}", manuscript.display()),
    };
    let (dir, pdf, _) = common::write_pdf(&l.book, &l.fonts, &l.cover, name);
    let layout = match tsigni::pdf::layout(&l.book, &l.fonts, &l.cover) {
        Ok(x) => x,
        Err(d) => panic!("layout failed:\n{}", d.render(&l.book.sources, false)),
    };
    Built {
        _dir: dir,
        pdf,
        typeset: typeset(&layout),
    }
}

fn article() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        build(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"),
            "article",
        )
    })
}

/// Paragraphs of Georgian compounds and long words, so that lines break
/// after the compounds' hyphens as well as between words and inside them.
fn compounds() -> &'static Built {
    static B: OnceLock<(figures::Manuscript, Built)> = OnceLock::new();
    let (_, b) = B.get_or_init(|| {
        // Compounds of three-letter parts, which no hyphenation splits, so
        // lines end after their hyphens; and long words that lines end in.
        let parts = [
            "ერთ",
            "ორი",
            "სამ",
            "ოთხ",
            "ხუთ",
            "ექვ",
            "შვი",
            "რვა",
            "ცხრ",
            "ათი",
        ];
        let mut para = Vec::new();
        for i in 0..30 {
            let (head, tail) = parts.split_at(i % parts.len());
            para.push([tail, head].concat().join("-"));
            para.push("ურთიერთობების მხედართმთავრებით დაპირისპირებებიდან".to_string());
        }
        let text = format!("# ნაერთები\n\n{}\n\n{}\n", para.join(" "), para.join(" "));
        let m = figures::Manuscript::new(&[("01.md", &text)], &[], "");
        let b = build(&m.root(), "compounds");
        (m, b)
    });
    b
}

/// poppler reads `book` with the soft hyphens at the line ends the layout
/// hyphenated, the author's hyphens at the others, and every word whole
/// once a soft hyphen and its line break are taken out.
fn check(b: &Built, words: &[&str]) {
    let Some(raw) = clients::pdftotext_raw(&b.pdf) else {
        return;
    };
    let t = &b.typeset;
    assert!(!t.broken.is_empty(), "the layout broke no word");
    assert_eq!(
        count(&raw, "\u{AD}\n"),
        t.broken.len(),
        "poppler reads a soft hyphen at the end of each line broken with an inserted hyphen"
    );
    assert_eq!(
        count(&raw, "\u{AD}"),
        t.broken.len(),
        "a soft hyphen only at a line end"
    );
    assert_eq!(
        lines_ending_in_hyphen(&raw),
        t.compounds,
        "the author's hyphen at a line end reads as \"-\""
    );
    let joined = join_breaks(&raw, "\u{AD}\n");
    for w in t
        .broken
        .iter()
        .map(String::as_str)
        .chain(words.iter().copied())
    {
        assert_eq!(
            count(&joined, w),
            count(&t.text, w),
            "{w:?}: as often in poppler's text (soft hyphens joined) as in the layout"
        );
    }
}

#[test]
fn the_article_reads_back_with_soft_hyphens_and_whole_words() {
    let b = article();
    let n = count(&b.typeset.text, "ჩინეთის");
    assert!(n > 50, "the article has ჩინეთის {n} times");
    check(b, &["ჩინეთის", "სტალინი", "პეკინი"]);
}

#[test]
fn an_authors_hyphen_at_a_line_end_stays_a_hyphen() {
    let b = compounds();
    assert!(
        b.typeset.compounds > 0,
        "no compound of the test book breaks at its hyphen: the test needs one"
    );
    check(b, &["ერთ-ორი-სამ", "მხედართმთავრებით"]);
    // pdf.js reads the glyphs' map only: both hyphens read as "-" there.
    if let Some(text) = clients::pdfjs_text(&b.pdf) {
        assert_eq!(
            lines_ending_in_hyphen(&text),
            b.typeset.broken.len() + b.typeset.compounds
        );
    }
}
