//! Citations through hayagriva with a Georgian locale: the house form, and
//! Georgian text protected from Latin case rules (Mtavruli capitals).

use std::path::Path;

fn manuscript_with(
    style_tweak: impl Fn(String) -> String,
    refs: &str,
    chapter: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    let style = std::fs::read_to_string(root.join("style.csl")).unwrap();
    std::fs::write(dir.path().join("style.csl"), style_tweak(style)).unwrap();
    std::fs::copy(root.join("locale-ka.xml"), dir.path().join("locale-ka.xml")).unwrap();
    std::fs::write(dir.path().join("references.yaml"), refs).unwrap();
    std::fs::write(dir.path().join("ch.md"), chapter).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        r#"[book]
title = "ტესტი"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000002"
chapters = ["ch.md"]
[bibliography]
locales = ["locale-ka.xml"]
"#,
    )
    .unwrap();
    dir
}

const GEORGIAN_REF: &str = r#"kek2000:
  type: book
  title: საქართველოს ისტორია
  author: კეკელიძე, კორნელი
  date: 2000
  publisher:
    name: მეცნიერება
    location: თბილისი
"#;

fn bibliography_text(book: &tsigni::model::Book) -> Vec<String> {
    book.bibliography
        .iter()
        .map(|e| tsigni::model::plain_text(&e.content, Some(book)))
        .collect()
}

#[test]
fn georgian_title_keeps_mkhedruli_even_under_case_rules() {
    // A style that asks for Latin-style capitalisation of titles.
    let dir = manuscript_with(
        |s| {
            s.replace(
                r#"<text variable="title" font-style="italic"/>"#,
                r#"<text variable="title" font-style="italic" text-case="uppercase"/>"#,
            )
        },
        GEORGIAN_REF,
        "# თავი\n\nტექსტი [@kek2000, 12].\n",
    );
    let loaded = tsigni::load(dir.path()).expect("loads");
    let bib = bibliography_text(&loaded.book);
    assert_eq!(bib.len(), 1);
    assert!(bib[0].contains("საქართველოს ისტორია"), "{bib:?}");
    assert!(
        !bib[0]
            .chars()
            .any(|c| ('\u{1C90}'..='\u{1CBF}').contains(&c)),
        "Mtavruli in {bib:?}"
    );
    let cite = tsigni::model::plain_text(&loaded.book.citations[0].rendered, None);
    assert_eq!(cite, "(კეკელიძე, 2000: 12)");
}

#[test]
fn full_reference_in_house_form_with_georgian_terms() {
    let dir = manuscript_with(
        |s| s,
        GEORGIAN_REF,
        "# თავი\n\nა [@kek2000, 12]. ბ [@kek2000].\n",
    );
    let loaded = tsigni::load(dir.path()).expect("loads");
    let bib = bibliography_text(&loaded.book);
    assert_eq!(
        bib,
        vec!["კეკელიძე, კორნელი, 2000. საქართველოს ისტორია. თბილისი: მეცნიერება."]
    );
    let cites: Vec<String> = loaded
        .book
        .citations
        .iter()
        .map(|c| tsigni::model::plain_text(&c.rendered, None))
        .collect();
    assert_eq!(cites, vec!["(კეკელიძე, 2000: 12)", "(კეკელიძე, 2000)"]);
    // A complete reference gives no incomplete-reference warning.
    assert!(!loaded
        .warnings
        .list
        .iter()
        .any(|d| d.code == "incomplete-reference"));
}

#[test]
fn incomplete_references_warn_once_each_and_invent_nothing() {
    let loaded = tsigni::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript")).unwrap();
    let warned: Vec<&str> = loaded
        .warnings
        .list
        .iter()
        .filter(|d| d.code == "incomplete-reference")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(warned.len(), 4, "{warned:?}");
    assert!(warned
        .iter()
        .any(|m| m.contains("xu gives no title, no year")));
    assert!(loaded
        .warnings
        .list
        .iter()
        .any(|d| d.code == "metadata-missing" && d.message.contains("no author")));
    assert_eq!(
        bibliography_text(&loaded.book),
        vec!["Li, 1997.", "Snow, 1961.", "Xu, უ. თ.", "Zhang, 2009."]
    );
}
