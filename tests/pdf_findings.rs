//! What krilla finds wrong while writing the PDF points at the manuscript
//! (issue 10): a text too long for one PDF/A string, a CMYK image without
//! a colour profile, each at the `file:line:col` of its paragraph, note or
//! image; a U+FEFF inside a paragraph is removed where it stands and the
//! book is written.

use std::path::Path;
use tsigni::vfs::MemFs;
use tsigni::Format;

const TOML: &str = r#"[book]
title = "მიგნებები"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-0000000000ab"
chapters = ["ch.md"]
"#;

fn manuscript(md: &str, files: &[(&str, &[u8])]) -> MemFs {
    let mut fs = MemFs::new();
    fs.insert("m/book.toml", TOML);
    fs.insert("m/ch.md", md);
    for (name, data) in files {
        fs.insert(format!("m/{name}"), data.to_vec());
    }
    fs
}

/// The PDF's errors, each as `code`, `place: message`.
fn pdf_errors(fs: &MemFs) -> Vec<(&'static str, String)> {
    let loaded = tsigni::load_with(fs, Path::new("m")).unwrap_or_else(|e| panic!("{e}"));
    match tsigni::render(&loaded, Format::Pdf) {
        Ok(_) => panic!("a PDF was written"),
        Err(tsigni::Error::Manuscript {
            diagnostics,
            sources,
        }) => diagnostics
            .list
            .iter()
            .map(|d| {
                let at = d.span.map(|s| sources.location(s)).unwrap_or_default();
                (d.code, format!("{at}: {} {:?}", d.message, d.notes))
            })
            .collect(),
        Err(e) => panic!("not a manuscript error: {e}"),
    }
}

/// A letter with 17,000 combining marks: one cluster, whose text
/// (34,002 bytes in UTF-16) krilla writes as one string.
fn long_cluster() -> String {
    format!("a{}", "\u{301}".repeat(17_000))
}

#[test]
fn a_text_too_long_for_one_pdf_a_string_is_an_error_at_its_paragraph() {
    let md = format!(
        "# სათაური\n\nპირველი აბზაცი.\n\nტექსტი {} ბოლო.\n",
        long_cluster()
    );
    let e = pdf_errors(&manuscript(&md, &[]));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "pdf-standard");
    assert!(e[0].1.starts_with("m/ch.md:5:1: "), "{e:?}");
    assert!(e[0].1.contains("32,767 bytes"), "{e:?}");
    assert!(e[0].1.contains("on page"), "{e:?}");
}

#[test]
fn a_text_too_long_in_a_note_is_an_error_at_the_note() {
    let md = format!(
        "# სათაური\n\nტექსტი[^a].\n\n[^a]: შენიშვნა {} ბოლო.\n",
        long_cluster()
    );
    let e = pdf_errors(&manuscript(&md, &[]));
    assert!(
        e.iter()
            .any(|(c, m)| *c == "pdf-standard" && m.starts_with("m/ch.md:5:")),
        "{e:?}"
    );
}

#[test]
fn without_an_archival_standard_the_long_text_is_written() {
    let md = format!("# სათაური\n\nტექსტი {} ბოლო.\n", long_cluster());
    let mut fs = manuscript(&md, &[]);
    fs.insert("m/book.toml", format!("{TOML}[pdf]\nstandard = \"none\"\n"));
    let loaded = tsigni::load_with(&fs, Path::new("m")).expect("loads");
    let pdf = tsigni::render(&loaded, Format::Pdf).expect("written");
    assert!(pdf.bytes().starts_with(b"%PDF-"));
}

#[test]
fn a_cmyk_image_without_a_profile_is_an_error_at_the_image() {
    let jpeg = include_bytes!("fixtures/cmyk.jpg");
    let md = "# სათაური\n\nტექსტი.\n\n![რუკა](cmyk.jpg)\n\nმეორე.\n";
    let e = pdf_errors(&manuscript(md, &[("cmyk.jpg", jpeg)]));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].1.starts_with("m/ch.md:5:1: "), "{e:?}");
    assert!(e[0].1.contains("CMYK"), "{e:?}");
}

#[test]
fn a_byte_order_mark_inside_a_paragraph_is_removed_where_it_stands() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("book.toml"), TOML).expect("write");
    std::fs::write(
        dir.path().join("ch.md"),
        "# სათაური\n\nტექსტი\u{FEFF}შუაში.\n",
    )
    .expect("write");
    let out = dir.path().join("book.pdf");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(["pdf", "--manuscript"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("U+FEFF"), "{err}");
    assert!(err.contains("ch.md:3:7"), "{err}");
    let pdf = std::fs::read(&out).expect("the PDF");
    assert!(pdf.starts_with(b"%PDF-"));
}
