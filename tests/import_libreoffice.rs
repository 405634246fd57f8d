//! `tsigni import` of DOCX written by LibreOffice: a flat ODT source (the
//! format LibreOffice reads without a zip) is converted at test time by
//! `soffice --headless --convert-to docx` (Debian `libreoffice-writer-nogui`,
//! installed by scripts/install-validators.sh). LibreOffice writes what Word
//! does differently: styles named "Heading 1" with ids `Heading1`, emphasis
//! as a character style (`w:rStyle`), automatic styles like "P1", captions
//! in styles named "Table" and "Figure", the document language in docDefaults.

#[path = "common/cli.rs"]
mod cli;
mod common;

use cli::{ok, png, read, s, tsigni};

use std::process::Command;

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn fodt(png: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>ჩინეთი და საბჭოთა კავშირი</dc:title><meta:initial-creator>ნინო ბერიძე</meta:initial-creator><dc:creator>ნინო ბერიძე</dc:creator><dc:language>ka-GE</dc:language></office:meta>
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties fo:language="ka" fo:country="GE"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="1"/>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2"/>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"/>
  <style:style style:name="Quotations" style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="Table" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
  <style:style style:name="Figure" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
  <style:style style:name="Emphasis" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T2" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
  <style:style style:name="T3" style:family="text"><style:text-properties fo:language="ru" fo:country="RU"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:p text:style-name="Title">ჩინეთი და საბჭოთა კავშირი</text:p>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">შესავალი</text:h>
  <text:p text:style-name="Standard">ტექსტი <text:span text:style-name="T1">მსხვილი</text:span>, <text:span text:style-name="Emphasis">დახრილი</text:span>, x<text:span text:style-name="T2">2</text:span>, <text:span text:style-name="T3">слово</text:span>.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Standard">პირველი შენიშვნა.</text:p></text:note-body></text:note> ციტატა (Suny 1994, 36).</text:p>
  <text:h text:style-name="Heading_20_2" text:outline-level="2">ქვეთავი</text:h>
  <text:p text:style-name="Quotations">ციტატა ბლოკად.</text:p>
  <text:p text:style-name="Table">ცხრილი 1: მოვლენები</text:p>
  <table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/>
   <table:table-row><table:table-cell office:value-type="string"><text:p>წელი</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>მოვლენა</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>1950</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>შეთანხმება</text:p></table:table-cell></table:table-row>
  </table:table>
  <text:p text:style-name="Standard"><draw:frame draw:name="Image1" text:anchor-type="as-char" svg:width="4cm" svg:height="2cm"><draw:image><office:binary-data>{png}</office:binary-data></draw:image></draw:frame></text:p>
  <text:p text:style-name="Figure">სურათი 1: რუკა</text:p>
  <text:h text:style-name="Heading_20_1" text:outline-level="1">დასკვნა</text:h>
  <text:p text:style-name="P1">მეორე თავი.<text:note text:id="ftn2" text:note-class="footnote"><text:note-citation>2</text:note-citation><text:note-body><text:p text:style-name="Standard">მეორე შენიშვნა.</text:p></text:note-body></text:note></text:p>
 </office:text></office:body>
</office:document>"#
    )
}

#[test]
fn a_libreoffice_docx_keeps_its_structure_and_builds() {
    let Some(soffice) = common::require_tool("soffice") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let image = png();
    std::fs::write(dir.path().join("doc.fodt"), fodt(&base64(&image))).unwrap();
    // A profile of its own: a shared one is locked by any other soffice.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        s(&dir.path().join("profile"))
    );
    ok(&Command::new(soffice)
        .current_dir(dir.path())
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "docx",
            "doc.fodt",
        ])
        .output()
        .unwrap());
    let ms = dir.path().join("ms");
    let out = tsigni(&["import", s(&dir.path().join("doc.docx")), "--into", s(&ms)]);
    ok(&out);
    let toml = read(&ms, "book.toml");
    for want in [
        "title = \"ჩინეთი და საბჭოთა კავშირი\"",
        "authors = [\"ნინო ბერიძე\"]",
        "language = \"ka\"",
        "chapters = [\"01-shesavali.md\", \"02-daskvna.md\"]",
    ] {
        assert!(toml.contains(want), "{want} missing from\n{toml}");
    }
    let one = read(&ms, "01-shesavali.md");
    for want in [
        "# შესავალი\n",
        "## ქვეთავი\n",
        "**მსხვილი**",
        "*დახრილი*",
        "x^2^",
        "[слово]{lang=ru-RU}",
        "[@suny1994, 36]",
        "> ციტატა ბლოკად.",
        "| 1950 | შეთანხმება |",
        "Table: მოვლენები\n",
        "![რუკა](images/image1.png)",
        "]: პირველი შენიშვნა.",
    ] {
        assert!(one.contains(want), "{want:?} missing from\n{one}");
    }
    let two = read(&ms, "02-daskvna.md");
    assert!(two.contains("]: მეორე შენიშვნა."), "{two}");
    assert!(!one.contains("მეორე შენიშვნა"), "{one}");
    assert_eq!(std::fs::read(ms.join("images/image1.png")).unwrap(), image);
    assert!(read(&ms, "references.yaml").contains("suny1994:"));
    ok(&tsigni(&["check", "--manuscript", s(&ms)]));
    let book = dir.path().join("out/book");
    ok(&tsigni(&["all", "--manuscript", s(&ms), "-o", s(&book)]));
    assert!(dir.path().join("out/book.epub").is_file());
}
