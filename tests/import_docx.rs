//! `tsigni import` of DOCX files: one made by pandoc from Markdown at test
//! time (pandoc is installed by scripts/install-validators.sh), and small
//! packages written here part by part for what pandoc cannot make: Zotero
//! fields, tracked changes, merged cells, and hostile input.

#[path = "common/cli.rs"]
mod cli;
mod common;

use cli::{ok, png, read, s, tsigni};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PANDOC_SOURCE: &str = r#"---
title: ჩინეთი და საბჭოთა კავშირი
subtitle: ნარკვევი
author:
- ნინო ბერიძე
lang: ka-GE
---

# შესავალი

ტექსტი **მსხვილი**, *დახრილი*, H~2~O, x^2^, ~~წაშლილი~~, [სიტყვა]{.smallcaps}.[^1] ციტატა (Suny 1994, 36).

## ქვეთავი

- პირველი
    - ჩადგმული
- მეორე

1. ერთი
2. ორი

> ციტატა ბლოკად.

| წელი | მოვლენა |
|------|---------|
| 1950 | შეთანხმება |

: ცხრილის წარწერა

![რუკის წარწერა](map.png)

### მესამე დონე

ტექსტი.

# დასკვნა

მეორე თავი.[^2]

[^1]: პირველი შენიშვნა.
[^2]: მეორე შენიშვნა.
"#;

#[test]
fn a_pandoc_docx_keeps_its_structure_and_builds() {
    let Some(pandoc) = common::require_tool("pandoc") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.md"), PANDOC_SOURCE).unwrap();
    std::fs::write(dir.path().join("map.png"), png()).unwrap();
    let made = Command::new(pandoc)
        .current_dir(dir.path())
        .args(["doc.md", "-o", "doc.docx"])
        .output()
        .unwrap();
    ok(&made);
    let ms = dir.path().join("ms");
    let out = tsigni(&["import", s(&dir.path().join("doc.docx")), "--into", s(&ms)]);
    ok(&out);
    let toml = read(&ms, "book.toml");
    assert!(
        toml.contains("title = \"ჩინეთი და საბჭოთა კავშირი\""),
        "{toml}"
    );
    assert!(toml.contains("subtitle = \"ნარკვევი\""), "{toml}");
    assert!(toml.contains("authors = [\"ნინო ბერიძე\"]"), "{toml}");
    assert!(toml.contains("language = \"ka\""), "{toml}");
    assert!(
        toml.contains("chapters = [\"01-shesavali.md\", \"02-daskvna.md\"]"),
        "{toml}"
    );
    let one = read(&ms, "01-shesavali.md");
    let two = read(&ms, "02-daskvna.md");
    for want in [
        "# შესავალი\n",
        "## ქვეთავი\n",
        "### მესამე დონე\n",
        "**მსხვილი**",
        "*დახრილი*",
        "H~2~O",
        "x^2^",
        "~~წაშლილი~~",
        "[სიტყვა]{.smallcaps}",
        "[@suny1994, 36]",
        "- პირველი",
        "   - ჩადგმული",
        "1. ერთი",
        "> ციტატა ბლოკად.",
        "| 1950 | შეთანხმება |",
        "Table: ცხრილის წარწერა",
        "![რუკის წარწერა](images/image1.png)",
    ] {
        assert!(one.contains(want), "{want:?} missing from\n{one}");
    }
    // Each note is defined in the chapter that cites it.
    let label = |text: &str| {
        text.split("[^")
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap()
            .to_string()
    };
    assert!(
        one.contains(&format!("[^{}]: პირველი შენიშვნა.", label(&one))),
        "{one}"
    );
    assert!(
        two.contains(&format!("[^{}]: მეორე შენიშვნა.", label(&two))),
        "{two}"
    );
    assert!(!one.contains("მეორე შენიშვნა"));
    assert_eq!(std::fs::read(ms.join("images/image1.png")).unwrap(), png());
    let refs = read(&ms, "references.yaml");
    assert!(
        refs.contains("suny1994:") && refs.contains("author: Suny"),
        "{refs}"
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("(Suny 1994, 36) → [@suny1994, 36]"),
        "{report}"
    );
    ok(&tsigni(&["check", "--manuscript", s(&ms)]));
    let book = dir.path().join("out/book");
    ok(&tsigni(&["all", "--manuscript", s(&ms), "-o", s(&book)]));
    assert!(dir.path().join("out/book.pdf").is_file());
}

const TYPED_BIBLIOGRAPHY: &str = r#"---
title: Borders
lang: en-GB
---

# Introduction

As argued (Suny 1994, 36) and shown (Yang 2000, 25), and once more (Xu, 519).

# References

Suny, Ronald Grigor. 1994. *The Making of the Georgian Nation*. 2nd ed. Bloomington: Indiana University Press.

Yang, Kuisong. 2000. “The Sino-Soviet Border Clash of 1969.” *Cold War History* 1 (1): 21–52.

Zhang, Wei. 2009. *A Book Nobody Cites*. Beijing: Renmin.
"#;

/// A typed bibliography fills the stubs of the typed citations with what
/// its entries' shapes say; an entry no citation names stays as text.
#[test]
fn a_typed_bibliography_fills_the_stubs_it_matches() {
    let Some(pandoc) = common::require_tool("pandoc") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.md"), TYPED_BIBLIOGRAPHY).unwrap();
    ok(&Command::new(pandoc)
        .current_dir(dir.path())
        .args(["doc.md", "-o", "doc.docx"])
        .output()
        .unwrap());
    let ms = dir.path().join("ms");
    let out = tsigni(&["import", s(&dir.path().join("doc.docx")), "--into", s(&ms)]);
    ok(&out);
    let refs: serde_yaml::Value = serde_yaml::from_str(&read(&ms, "references.yaml")).unwrap();
    let suny = &refs["suny1994"];
    assert_eq!(suny["type"], "book");
    assert_eq!(suny["title"], "The Making of the Georgian Nation");
    assert_eq!(suny["edition"], 2);
    assert_eq!(suny["publisher"]["location"], "Bloomington");
    let yang = &refs["yang2000"];
    assert_eq!(yang["type"], "article");
    assert_eq!(yang["parent"]["title"], "Cold War History");
    assert_eq!(yang["page-range"], "21-52");
    // Nothing typed for Xu: the stub says only what the citation said.
    assert_eq!(refs["xu"]["author"], "Xu");
    assert!(refs["xu"].get("title").is_none());
    assert!(refs.get("zhang2009").is_none());
    let toml = read(&ms, "book.toml");
    assert!(toml.contains("02-references.md"), "{toml}");
    let kept = read(&ms, "02-references.md");
    assert!(kept.contains("Zhang, Wei. 2009."), "{kept}");
    assert!(!kept.contains("Suny"), "{kept}");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("typed entry cited by no citation found, kept as text"),
        "{report}"
    );
    ok(&tsigni(&["check", "--manuscript", s(&ms)]));
}

/// A DOCX package from its parts (names and contents).
fn docx(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    )
}

fn para(style: &str, runs: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>"#)
}

fn run(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

const STYLES: &str = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style><w:style w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:styleId="Quote"><w:name w:val="Quote"/></w:style></w:styles>"#;

fn zotero_field(json: &str, shown: &str) -> String {
    format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ADDIN ZOTERO_ITEM CSL_CITATION </w:instrText></w:r><w:r><w:instrText xml:space="preserve">{json}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        run(shown)
    )
}

fn import(dir: &Path, name: &str, bytes: &[u8]) -> (Output, PathBuf) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let ms = dir.join("ms");
    (tsigni(&["import", s(&file), "--into", s(&ms)]), ms)
}

#[test]
fn zotero_fields_become_references_and_keys() {
    let json = r#"{"citationID":"a1","citationItems":[{"id":7,"uris":["http://zotero.org/users/1/items/ABC"],"itemData":{"id":7,"type":"book","title":"The Making of the Georgian Nation","author":[{"family":"Suny","given":"Ronald Grigor"}],"edition":"2","publisher":"Indiana University Press","publisher-place":"Bloomington","issued":{"date-parts":[[1994]]}},"locator":"36","label":"page"}],"properties":{"plainCitation":"(Suny 1994, 36)"}}"#;
    let body = para("Title", &run("A Title"))
        + &para("Heading1", &run("Introduction"))
        + &para(
            "Normal",
            &(run("As shown ") + &zotero_field(json, "(Suny 1994, 36)") + &run(".")),
        )
        + &para("Quote", &run("A quotation."))
        + r#"<w:p><w:r><w:t xml:space="preserve">Russian: </w:t></w:r><w:r><w:rPr><w:lang w:val="ru-RU"/></w:rPr><w:t>слово</w:t></w:r><w:ins w:id="1" w:author="x"><w:r><w:t xml:space="preserve"> added</w:t></w:r></w:ins><w:del w:id="2" w:author="x"><w:r><w:delText>removed</w:delText></w:r></w:del></w:p>"#
        + r#"<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b|c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let doc = document(&body);
    let bytes = docx(&[
        ("word/document.xml", doc.as_bytes()),
        ("word/styles.xml", STYLES.as_bytes()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let (out, ms) = import(dir.path(), "z.docx", &bytes);
    ok(&out);
    let ch = read(&ms, "01-introduction.md");
    assert!(ch.contains("As shown [@suny1994, 36]."), "{ch}");
    assert!(
        !ch.contains("(Suny"),
        "the field's shown text is replaced: {ch}"
    );
    assert!(ch.contains("> A quotation."), "{ch}");
    assert!(ch.contains("[слово]{lang=ru-RU}"), "{ch}");
    assert!(
        ch.contains(" added") && !ch.contains("removed"),
        "changes accepted: {ch}"
    );
    assert!(
        ch.contains("| wide |  |") && ch.contains("| a | b\\|c |"),
        "{ch}"
    );
    let refs: serde_yaml::Value = serde_yaml::from_str(&read(&ms, "references.yaml")).unwrap();
    let e = &refs["suny1994"];
    assert_eq!(e["type"].as_str(), Some("book"));
    assert_eq!(
        e["title"].as_str(),
        Some("The Making of the Georgian Nation")
    );
    assert_eq!(e["author"][0].as_str(), Some("Suny, Ronald Grigor"));
    assert_eq!(e["edition"].as_str(), Some("2"));
    assert_eq!(e["publisher"]["location"].as_str(), Some("Bloomington"));
    assert_eq!(e["date"].as_str(), Some("1994"));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("tracked changes"), "{report}");
    assert!(report.contains("merged cells"), "{report}");
    ok(&tsigni(&["check", "--manuscript", s(&ms)]));
}

/// Each hostile input: exit 1, a message naming the problem, nothing written.
fn refused(name: &str, bytes: &[u8], says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let (out, ms) = import(dir.path(), name, bytes);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    assert!(err.contains(says), "{name}: {err:?} should say {says:?}");
    assert!(!ms.exists(), "{name}: nothing written");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "{name}: no temporary left"
    );
    assert!(started.elapsed().as_secs() < 20, "{name}: bounded time");
}

#[test]
fn hostile_documents_are_refused_and_nothing_is_written() {
    refused(
        "corrupt.docx",
        b"PK\x03\x04 this is not a zip",
        "not a DOCX",
    );
    refused(
        "enc.docx",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
        "encrypted",
    );
    let broken = docx(&[("word/document.xml", b"<w:document><w:body><w:p>")]);
    refused("broken.docx", &broken, "not well-formed");
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>{}"#,
        document(&para("Normal", "<w:r><w:t>&x;</w:t></w:r>"))
    );
    refused(
        "xxe.docx",
        &docx(&[("word/document.xml", xxe.as_bytes())]),
        "document type",
    );
    // 100 MB of zeros compress to about 100 KB.
    let bomb = vec![b' '; 100 * 1024 * 1024];
    refused(
        "bomb.docx",
        &docx(&[("word/document.xml", &bomb)]),
        "zip bomb",
    );
    let doc = document(&para(
        "Normal",
        r#"<w:r><w:drawing><a:blip xmlns:a="a" r:embed="rId1"/></w:drawing></w:r>"#,
    ));
    let rels = r#"<Relationships><Relationship Id="rId1" Target="media/big.png"/></Relationships>"#;
    let mut big = png();
    big.resize(100 * 1024 * 1024, 0);
    refused(
        "image.docx",
        &docx(&[
            ("word/document.xml", doc.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/big.png", &big),
        ]),
        "word/media/big.png unpacks to more than 20 MB",
    );
}
