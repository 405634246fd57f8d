//! Figures: an image alone in a paragraph with a description becomes a
//! numbered figure with its caption in the EPUB, the web edition and the
//! PDF (tagged Figure with Alt, holding a Caption), at the width asked for,
//! floated to the next page when it does not fit, the text after it filling
//! the page.

mod common;
#[path = "common/figures.rs"]
mod figures_common;
#[allow(dead_code)]
#[path = "common/web.rs"]
mod web_check;

use figures_common::{built, Manuscript, PdfObjects};

const FILLER: &str =
    "ეს არის ტექსტი, რომელიც გვერდს ავსებს და სტრიქონებს ქმნის, რათა ნახატი გვერდის ბოლოს მოხვდეს.";

fn paragraphs(n: usize, tag: &str) -> String {
    (0..n)
        .map(|i| format!("{tag}{i} {}\n\n", FILLER.repeat(3)))
        .collect()
}

/// Two figures (one at 60 % of the measure, one at its natural size) and
/// a bare image without a description.
fn two_figures() -> Manuscript {
    let ch1 = format!(
        "# პირველი თავი\n\nშესავალი.\n\n![ქართლის რუკა](map.png){{#fig:map width=60%}}\n\n{}![მცირე სურათი](small.png)\n\n![](small.png)\n\nბოლო.\n",
        paragraphs(1, "ა")
    );
    Manuscript::new(
        &[("ch1.md", &ch1)],
        &[("map.png", 1200, 800), ("small.png", 300, 200)],
        "",
    )
}

#[test]
fn figures_are_numbered_with_captions_in_the_epub_and_the_web_edition() {
    let m = two_figures();
    built(&m);
    let xhtml = m.epub_file("EPUB/text/ch01.xhtml").replace('\u{AD}', "");
    let html = m.web_file("ch01.html");
    for doc in [&xhtml, &html] {
        assert!(
            doc.contains("<figure id=\"fig-1\"><img src=\"images/img-map.png\" alt=\"ქართლის რუკა\" style=\"width: 60%\"/><figcaption><span class=\"figure-number\">ნახ.\u{a0}1.</span> ქართლის რუკა</figcaption></figure>"),
            "{doc}"
        );
        assert!(
            doc.contains("<figure id=\"fig-2\"><img src=\"images/img-small.png\" alt=\"მცირე სურათი\"/><figcaption><span class=\"figure-number\">ნახ.\u{a0}2.</span> მცირე სურათი</figcaption></figure>"),
            "{doc}"
        );
        // No description: an image, not a numbered figure.
        assert!(doc.contains("<figure><img src=\"images/img-small.png\" alt=\"\"/></figure>"));
        assert_eq!(doc.matches("<figcaption>").count(), 2);
    }
    if let Some(report) = common::epubcheck(&m.epub()) {
        assert_eq!(
            (report.fatal, report.errors, report.warnings),
            (0, 0, 0),
            "{:?}",
            report.messages
        );
    }
    if let Some(report) = common::ace(&m.epub()) {
        report.assert_no_violations();
    }
    if let Some(errors) = web_check::vnu_errors(&m.out().join("book")) {
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn english_books_say_figure() {
    let m = two_figures();
    let toml = m.root().join("book.toml");
    let t = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("language = \"ka\"", "language = \"en\"");
    std::fs::write(&toml, t).unwrap();
    built(&m);
    let xhtml = m.epub_file("EPUB/text/ch01.xhtml");
    assert!(
        xhtml.contains("<span class=\"figure-number\">Figure\u{a0}1.</span>"),
        "{xhtml}"
    );
}

#[test]
fn the_pdf_tags_each_figure_with_its_alt_text_and_a_caption() {
    let m = two_figures();
    built(&m);
    if let Some((ok, out)) = common::qpdf_check(&m.pdf()) {
        assert!(ok, "{out}");
    }
    let Some(pdf) = PdfObjects::read(&m.pdf()) else {
        return;
    };
    let captions = pdf.elements("Caption");
    let mut alts: Vec<String> = Vec::new();
    for (r, fig) in pdf.elements("Figure") {
        let alt = fig["/Alt"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("u:")
            .to_string();
        if alt.starts_with("ყდა") {
            continue; // the cover
        }
        let kids = fig["/K"].as_array().expect("kids");
        let caption: Vec<_> = captions
            .iter()
            .filter(|(c, e)| e["/P"] == r.as_str() && kids.iter().any(|k| k == c))
            .collect();
        assert_eq!(caption.len(), 1, "figure {alt} holds one Caption: {fig}");
        alts.push(alt);
    }
    alts.sort();
    assert_eq!(alts, ["მცირე სურათი", "ქართლის რუკა"]);
    if let Some(text) = common::pdftotext(&m.pdf(), None, None) {
        assert!(
            text.contains("ნახ.\u{a0}1. ქართლის რუკა") || text.contains("ნახ. 1. ქართლის რუკა"),
            "{text}"
        );
        assert!(text.contains("2. მცირე სურათი"), "{text}");
    }
}

#[test]
fn the_width_is_honoured_in_the_pdf() {
    let m = two_figures();
    let l = tsigni::load(&m.root()).unwrap_or_else(|e| panic!("{e}"));
    let layout = tsigni::pdf::layout_with_images(&l.book, &l.fonts, &l.cover, &l.images)
        .unwrap_or_else(|d| panic!("{}", d.render(&l.book.sources, false)));
    let measure = layout
        .lines()
        .map(|(_, line)| line.measure())
        .fold(0.0f32, f32::max);
    let widths: Vec<f32> = layout
        .pages()
        .flat_map(|p| p.images().map(|(w, _)| w).collect::<Vec<_>>())
        .collect();
    // The cover is a page of its own; the chapter's three images follow.
    let body: Vec<f32> = widths.iter().rev().take(3).rev().copied().collect();
    assert!(
        (body[0] - 0.6 * measure).abs() < 0.5,
        "60% of {measure}: {widths:?}"
    );
    // 300 px at 300 dpi: an inch, never enlarged to the measure.
    assert!((body[1] - 72.0).abs() < 0.5, "{widths:?}");
}

/// A chapter of `before` paragraphs, a tall figure, then text marked
/// `შემდეგი`.
fn tall(before: usize) -> Manuscript {
    let ch = format!(
        "# თავი\n\n{}![მაღალი სურათი](tall.png){{#fig:tall}}\n\nშემდეგი {}\n\n{}",
        paragraphs(before, "წინ"),
        FILLER.repeat(2),
        paragraphs(6, "ბოლო")
    );
    Manuscript::new(&[("ch.md", &ch)], &[("tall.png", 1000, 1400)], "")
}

#[test]
fn a_figure_that_does_not_fit_opens_the_next_page_and_text_fills_the_rest() {
    // Find a length of text before the figure that leaves it too little room.
    let mut found = None;
    for before in 1..10 {
        let m = tall(before);
        let l = tsigni::load(&m.root()).unwrap_or_else(|e| panic!("{e}"));
        let layout = tsigni::pdf::layout_with_images(&l.book, &l.fonts, &l.cover, &l.images)
            .unwrap_or_else(|d| panic!("{}", d.render(&l.book.sources, false)));
        let page_of = |needle: &str| {
            layout
                .lines()
                .find(|(_, line)| line.text().contains(needle))
                .map(|(p, _)| p)
        };
        let last_before = page_of(&format!("წინ{}", before - 1)).expect("text before");
        let figure = layout
            .pages()
            .position(|p| p.anchors().any(|a| a == "fig-1"))
            .expect("the figure's page");
        if figure > last_before {
            // The text after the figure stands on the page before it.
            assert_eq!(page_of("შემდეგი"), Some(figure - 1), "before = {before}");
            // And that page is full: its last line is as low as any page's.
            let lowest = |p: usize| {
                layout
                    .page(p)
                    .map(|v| v.lines().map(|l| l.y()).fold(f32::MIN, f32::max))
                    .unwrap_or(f32::MIN)
            };
            let full = (0..layout.pages().len())
                .map(lowest)
                .fold(f32::MIN, f32::max);
            assert!(
                lowest(figure - 1) > full - 30.0,
                "a hole on page {}",
                figure
            );
            // The EPUB's page list puts that page where its text begins,
            // after the text that filled the page before, not at the figure
            // (block 1 + before; the heading is block 0).
            let out = tsigni::pdf::render_with_images(&l.book, &l.fonts, &l.cover, &l.images)
                .unwrap_or_else(|d| panic!("{}", d.render(&l.book.sources, false)));
            let place = out.page_starts[figure].place.clone().expect("a place");
            assert!(place.block[0] > 1 + before, "{place:?}");
            found = Some((m, figure));
            break;
        }
    }
    let (m, figure) = found.expect("some text length pushes the figure over a page");
    built(&m);
    // pdftotext page by page (1-based) agrees.
    let page = |n: usize| common::pdftotext(&m.pdf(), Some(n as u32), Some(n as u32));
    let (Some(before), Some(at)) = (page(figure), page(figure + 1)) else {
        return;
    };
    assert!(before.contains("შემდეგი"), "{before}");
    assert!(!before.contains("მაღალი სურათი"), "{before}");
    let caption = at
        .find("მაღალი სურათი")
        .expect("the caption on the next page");
    let after = at.find("ბოლო").unwrap_or(usize::MAX);
    assert!(caption < after, "the figure opens its page: {at}");
    if let Some((ok, out)) = common::qpdf_check(&m.pdf()) {
        assert!(ok, "{out}");
    }
}

#[test]
fn attributes_that_cannot_be_applied_are_warnings_at_their_place() {
    let ch = "# თავი\n\n![რუკა](map.png){#fig:map width=5cm .wide}\n";
    let m = Manuscript::new(&[("ch.md", ch)], &[("map.png", 100, 100)], "");
    let stderr = built(&m);
    assert!(
        stderr.contains("warning[figure-width]: width=5cm cannot be applied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[unknown-attribute]: the attribute .wide"),
        "{stderr}"
    );
    assert!(stderr.contains("ch.md:3:"), "{stderr}");
}
