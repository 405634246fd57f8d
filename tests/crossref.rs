//! Cross-references in the pandoc-crossref manner: `{#fig:…}` on figures,
//! `{#sec:…}` on headings, `[@fig:map]`, `[@sec:origins]`, several in one
//! bracket, and `[@fig:map, page]` with the PDF page. They render with the
//! book's words, link to their targets in every output, and a reference to
//! an unknown label, a label used twice or a label equal to a citation key
//! is an error at its place.

mod common;
#[path = "common/figures.rs"]
mod figures_common;
#[allow(dead_code)]
#[path = "common/web.rs"]
mod web_check;

use figures_common::{built, Manuscript, PdfObjects};

const REFERENCES: &str =
    "snow1961:\n  type: book\n  title: Red Star over China\n  author: Snow, Edgar\n  date: 1961\n";

const CH1: &str = "# პირველი თავი\n\nშესავალი.\n\n## წარმოშობა {#sec:origins}\n\nტექსტი.\n\n### დეტალები {#sec:details}\n\n![ქართლის რუკა](map.png){#fig:map}\n\nტექსტი [@snow1961].\n";

fn ch2(extra: &str) -> String {
    format!(
        "# მეორე თავი\n\nიხ. [@fig:map], [@sec:origins] და [@sec:details]; ორივე [@fig:map; @sec:origins]; გვერდით [@fig:map, page].\n\n{extra}"
    )
}

fn book(extra: &str, references: &str) -> Manuscript {
    Manuscript::new(
        &[("ch1.md", CH1), ("ch2.md", &ch2(extra))],
        &[("map.png", 600, 400)],
        references,
    )
}

#[test]
fn references_link_to_existing_ids_in_the_epub_and_the_web_edition() {
    let m = book("", REFERENCES);
    built(&m);
    let ch1 = m.epub_file("EPUB/text/ch01.xhtml");
    let ch2 = m.epub_file("EPUB/text/ch02.xhtml");
    for id in ["fig-1", "sec:origins", "sec:details"] {
        assert!(ch1.contains(&format!("id=\"{id}\"")), "{id} in {ch1}");
    }
    let nb = '\u{a0}';
    for want in [
        format!("<a class=\"xref\" href=\"ch01.xhtml#fig-1\">ნახ.{nb}1</a>"),
        format!("<a class=\"xref\" href=\"ch01.xhtml#sec:origins\">§{nb}1.1</a>"),
        format!("<a class=\"xref\" href=\"ch01.xhtml#sec:details\">§{nb}1.1.1</a>"),
        format!("<a class=\"xref\" href=\"ch01.xhtml#fig-1\">ნახ.{nb}1</a>; <a class=\"xref\" href=\"ch01.xhtml#sec:origins\">§{nb}1.1</a>"),
    ] {
        assert!(ch2.contains(&want), "{want} in {ch2}");
    }
    // The citation beside them is still a citation.
    assert!(ch1.contains("role=\"doc-biblioref\""), "{ch1}");
    let web = m.web_file("ch02.html");
    assert!(
        web.contains(&format!("href=\"ch01.html#fig-1\">ნახ.{nb}1</a>")),
        "{web}"
    );
    assert!(m.web_file("ch01.html").contains("id=\"sec:origins\""));
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
fn references_link_to_their_page_in_the_pdf_and_say_it_where_asked() {
    let m = book("", REFERENCES);
    built(&m);
    let l = tsigni::load(&m.root()).unwrap_or_else(|e| panic!("{e}"));
    let out = tsigni::pdf::render_with_images(&l.book, &l.fonts, &l.cover, &l.images)
        .unwrap_or_else(|d| panic!("{}", d.render(&l.book.sources, false)));
    let figure_page = out
        .page_starts
        .iter()
        .position(|p| p.headings.iter().any(|h| h == "ch01"))
        .expect("chapter one's page");
    let ch2_page = out
        .page_starts
        .iter()
        .position(|p| p.headings.iter().any(|h| h == "ch02"))
        .expect("chapter two's page");
    let label = out.page_starts[figure_page].label.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.pdf");
    std::fs::write(&path, &out.bytes).unwrap();
    if let Some(text) =
        common::pdftotext(&path, Some(ch2_page as u32 + 1), Some(ch2_page as u32 + 1))
    {
        let text = text.replace('\u{a0}', " ");
        assert!(
            text.contains(&format!("ნახ. 1, გვ. {label}")),
            "page {label} in {text}"
        );
        assert!(text.contains("§ 1.1.1"), "{text}");
    }
    if let Some((ok, report)) = common::qpdf_check(&path) {
        assert!(ok, "{report}");
    }
    let Some(pdf) = PdfObjects::read(&path) else {
        return;
    };
    let links = pdf.links();
    let to_figure: Vec<_> = links
        .iter()
        .filter(|(from, _, what)| *from == ch2_page && what.starts_with("ნახ. 1"))
        .collect();
    assert_eq!(to_figure.len(), 3, "{links:?}");
    assert!(
        to_figure.iter().all(|(_, to, _)| *to == figure_page),
        "{links:?}"
    );
    let to_section = links
        .iter()
        .filter(|(from, to, what)| *from == ch2_page && *to == figure_page && what == "წარმოშობა")
        .count();
    assert_eq!(to_section, 2, "{links:?}");
}

fn fails(m: &Manuscript) -> String {
    let out = m.build();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!m.pdf().exists() && !m.epub().exists());
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn an_unknown_label_is_an_error_at_its_place() {
    let m = book("და [@fig:nowhere].\n", REFERENCES);
    let err = fails(&m);
    assert!(
        err.contains("error[unknown-label]: cross-reference to #fig:nowhere"),
        "{err}"
    );
    assert!(err.contains("ch2.md:5:4"), "{err}");
}

#[test]
fn a_label_equal_to_a_citation_key_is_an_error() {
    let clash = format!("{REFERENCES}sec:origins:\n  type: book\n  title: Origins\n  date: 1990\n");
    let err = fails(&book("", &clash));
    assert!(
        err.contains("error[label-clash]: label #sec:origins is also the key of a work"),
        "{err}"
    );
    assert!(err.contains("ch1.md:5:1"), "{err}");
}

#[test]
fn a_label_used_twice_is_an_error_at_the_second() {
    let m = book("![სხვა](map.png){#fig:map}\n", REFERENCES);
    let err = fails(&m);
    assert!(
        err.contains("error[duplicate-label]: label #fig:map is used twice"),
        "{err}"
    );
    assert!(err.contains("ch2.md:5:1"), "{err}");
}

#[test]
fn references_and_citations_do_not_mix_in_one_bracket() {
    let err = fails(&book("[@fig:map; @snow1961]\n", REFERENCES));
    assert!(
        err.contains("cross-references and citations are mixed"),
        "{err}"
    );
    assert!(err.contains("ch2.md:5:1"), "{err}");
}
