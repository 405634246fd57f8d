//! A bibliography a newcomer can fill: reference fields that nothing reads
//! are warnings at their place, and the built-in style and Georgian locale
//! print a book's edition and a chapter's book without any CSL file.

use std::path::Path;

const BOOK_TOML: &str = r#"[book]
title = "ტესტი"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000003"
chapters = ["ch.md"]
"#;

/// The README's examples: a book with an edition, a chapter in an edited
/// book, a Georgian-titled work with its translated title, an article.
const REFERENCES: &str = r#"suny1994:
  type: book
  title: The Making of the Georgian Nation
  author: Suny, Ronald Grigor
  edition: 2
  date: 1994
  publisher:
    name: Indiana University Press
    location: Bloomington
jones2005:
  type: chapter
  title: The Mensheviks in Power
  author: Jones, Stephen F.
  page-range: 36-58
  parent:
    type: anthology
    title: Georgia after Stalin
    editor: ["Smith, Alan", "Brown, Cara"]
    date: 2005
    publisher:
      name: Routledge
      location: London
javakhishvili1913:
  type: book
  title: "ქართველი ერის ისტორია [The history of the Georgian nation]"
  author: ჯავახიშვილი, ივანე
  date: 1913
  publisher:
    name: ტფილისის უნივერსიტეტი
    location: ტფილისი
"#;

const CHAPTER: &str =
    "# თავი\n\nტექსტი [@suny1994, 36], [@jones2005, 40], [@javakhishvili1913, 12].\n";

fn manuscript(refs: &str, style: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), BOOK_TOML).unwrap();
    std::fs::write(dir.path().join("references.yaml"), refs).unwrap();
    std::fs::write(dir.path().join("ch.md"), CHAPTER).unwrap();
    if let Some(style) = style {
        std::fs::write(dir.path().join("style.csl"), style).unwrap();
    }
    dir
}

fn entries(loaded: &tsigni::Loaded) -> Vec<String> {
    loaded
        .book
        .bibliography
        .iter()
        .map(|e| tsigni::model::plain_text(&e.content, Some(&loaded.book)))
        .collect()
}

fn warnings<'a>(
    loaded: &'a tsigni::Loaded,
    code: &str,
) -> Vec<&'a tsigni::diagnostics::Diagnostic> {
    loaded
        .warnings
        .list
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

#[test]
fn without_style_or_locale_files_the_builtin_ones_print_edition_and_chapter() {
    let dir = manuscript(REFERENCES, None);
    let loaded = tsigni::load(dir.path()).expect("loads");
    let bib = entries(&loaded);
    assert_eq!(
        bib,
        vec![
            "ჯავახიშვილი, ივანე, 1913. ქართველი ერის ისტორია [The history of the Georgian nation]. ტფილისი: ტფილისის უნივერსიტეტი.",
            "Jones, Stephen F., 2005. „The Mensheviks in Power“. წიგნში: Smith, Alan და Brown, Cara (რედ.), Georgia after Stalin. London: Routledge. 36–58.",
            "Suny, Ronald Grigor, 1994. The Making of the Georgian Nation. მეორე გამოცემა. Bloomington: Indiana University Press.",
        ]
    );
    // The Georgian locale is built in: no warning about a missing one, and
    // a chapter's year comes from its book.
    assert!(warnings(&loaded, "locale-missing").is_empty());
    assert!(warnings(&loaded, "incomplete-reference").is_empty());
    assert!(warnings(&loaded, "reference-field").is_empty());
}

#[test]
fn a_style_in_the_manuscript_wins_and_what_it_does_not_print_is_said() {
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    let style = std::fs::read_to_string(article.join("style.csl")).unwrap();
    let dir = manuscript(REFERENCES, Some(&style));
    let loaded = tsigni::load(dir.path()).expect("loads");
    let suny = entries(&loaded)
        .into_iter()
        .find(|e| e.starts_with("Suny"))
        .unwrap();
    assert!(!suny.contains("გამოცემა"), "{suny}");
    let unprinted = warnings(&loaded, "reference-field");
    assert_eq!(unprinted.len(), 1, "{unprinted:?}");
    assert!(unprinted[0].message.contains("`edition`"));
    let at = loaded.book.sources.location(unprinted[0].span.unwrap());
    assert!(at.ends_with("references.yaml:5:3"), "{at}");
}

#[test]
fn misplaced_and_misspelt_fields_are_warned_at_their_line_and_column() {
    let refs = REFERENCES
        .replace(
            "    location: Bloomington\n",
            "    location: Bloomington\n  location: Bloomington\n",
        )
        .replace("  page-range: 36-58\n", "  pages: 36-58\n")
        .replace("  author: ჯავახიშვილი", "  auhtor: ჯავახიშვილი");
    let dir = manuscript(&refs, None);
    let loaded = tsigni::load(dir.path()).expect("warnings only");
    let found: Vec<(String, String)> = warnings(&loaded, "reference-field")
        .iter()
        .map(|d| {
            let at = loaded.book.sources.location(d.span.unwrap());
            let at = at.rsplit('/').next().unwrap().to_string();
            (at, d.notes.join(" "))
        })
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "references.yaml:10:3");
    assert!(found[0].1.contains("publisher.location"), "{found:?}");
    assert_eq!(found[1].0, "references.yaml:15:3");
    assert!(found[1].1.contains("`page-range`"), "{found:?}");
    assert_eq!(found[2].0, "references.yaml:27:3");
    assert!(found[2].1.contains("`author`"), "{found:?}");
}

/// The README's example entries load as written, warn about nothing, and
/// print the edition.
#[test]
fn the_readme_examples_load_without_a_warning() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```yaml\nsuny1994:").expect("README example") + "```yaml\n".len();
    let yaml = &readme[start..start + readme[start..].find("```").unwrap()];
    let dir = manuscript(yaml, None);
    std::fs::write(
        dir.path().join("ch.md"),
        "# თავი\n\n[@suny1994, 1], [@jones2005], [@javakhishvili1913], [@yang2000].\n",
    )
    .unwrap();
    let loaded = tsigni::load(dir.path()).expect("loads");
    let bib = entries(&loaded);
    assert_eq!(bib.len(), 4);
    assert!(bib.iter().any(|e| e.contains("მეორე გამოცემა")), "{bib:?}");
    let noisy: Vec<_> = loaded
        .warnings
        .list
        .iter()
        .filter(|d| d.code != "metadata-missing")
        .map(|d| &d.message)
        .collect();
    assert!(noisy.is_empty(), "{noisy:?}");
}
