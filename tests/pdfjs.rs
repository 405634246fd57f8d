//! pdf.js, the PDF reader of Firefox and of many web sites, as a real
//! client: every page's text of the article, extracted by pdf.js, holds
//! every word the typesetter broke at a line end, as pdf.js's own search
//! joins them, as often as the layout has it.

#[path = "common/clients.rs"]
mod clients;
mod common;

use clients::{count, pdfjs_joined, pdfjs_text, typeset};
use std::path::Path;

#[test]
fn pdfjs_finds_every_word_broken_at_a_line_end() {
    let l = tsigni::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript"))
        .unwrap_or_else(|e| panic!("the manuscript does not load: {e}"));
    let (_dir, pdf, _) = common::write_pdf(&l.book, &l.fonts, &l.cover, "article");
    let layout = tsigni::pdf::layout(&l.book, &l.fonts, &l.cover)
        .unwrap_or_else(|d| panic!("layout failed:\n{}", d.render(&l.book.sources, false)));
    let t = typeset(&layout);
    let Some(text) = pdfjs_text(&pdf) else {
        return;
    };
    assert_eq!(
        text.matches('\u{c}').count() + 1,
        layout.pages().len(),
        "pdf.js reads every page"
    );
    // pdf.js reads the inserted hyphen by the glyph's map, "-", never the
    // soft hyphen of its /ActualText (it would drop U+00AD from the text).
    assert!(!text.contains('\u{AD}'));
    // pdf.js's search cannot tell the author's hyphen at a line end from an
    // inserted one and joins both: the layout's lines joined the same way
    // are what it should find.
    let joined = pdfjs_joined(&text);
    let laid = pdfjs_joined(&t.lines);
    assert!(t.broken.len() > 100, "{} words broken", t.broken.len());
    for w in t
        .broken
        .iter()
        .map(String::as_str)
        .chain(["ჩინეთის", "სტალინი"])
    {
        assert_eq!(
            count(&joined, w),
            count(&laid, w),
            "{w:?}: as often in pdf.js's text as in the layout"
        );
        assert!(
            count(&joined, w) >= count(&t.text, w),
            "{w:?}: pdf.js's search finds it wherever it is, whole"
        );
    }
    let n = count(&t.text, "ჩინეთის");
    assert!(n > 50, "the article has ჩინეთის {n} times");
}
