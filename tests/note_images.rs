//! An image a footnote shows is read like any other (through the sandbox,
//! decoded, once) and is in the EPUB and the web edition beside the note
//! that shows it; the PDF, whose notes are lines of text, prints its
//! description there.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The sample manuscript with a note on its last chapter that shows `image`.
fn manuscript_with_note_image(root: &Path, image: &str) -> PathBuf {
    let dir = root.join("m");
    std::fs::create_dir(&dir).expect("mkdir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    for entry in std::fs::read_dir(&sample).expect("manuscript/") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    let last = dir.join("06-conclusion.md");
    let mut text = std::fs::read_to_string(&last).expect("chapter");
    text.push_str(&format!(
        "\nდასკვნა რუკით.[^map]\n\n[^map]: ![რუკა შენიშვნაში]({image})\n"
    ));
    std::fs::write(&last, text).expect("write");
    dir
}

/// A small PNG no other part of the book shows.
fn map_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    png
}

fn all(manuscript: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .arg("all")
        .arg("--manuscript")
        .arg(manuscript)
        .arg("-o")
        .arg(out)
        .output()
        .expect("run tsigni")
}

fn entry(epub: &Path, name: &str) -> Option<Vec<u8>> {
    let file = std::fs::File::open(epub).expect("open EPUB");
    let mut zip = zip::ZipArchive::new(file).expect("EPUB is a zip");
    let mut e = zip.by_name(name).ok()?;
    let mut data = Vec::new();
    e.read_to_end(&mut data).expect("read entry");
    Some(data)
}

#[test]
fn an_image_in_a_note_is_in_both_books_and_the_web_edition() {
    let root = tempfile::tempdir().expect("temp dir");
    let m = manuscript_with_note_image(root.path(), "map.png");
    let png = map_png();
    std::fs::write(m.join("map.png"), &png).expect("write");
    let out = root.path().join("out");
    let run = all(&m, &out.join("book.epub"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let epub = out.join("book.epub");
    let chapter =
        String::from_utf8(entry(&epub, "EPUB/text/ch06.xhtml").expect("ch06")).expect("UTF-8");
    let note = chapter
        .split("role=\"doc-footnote\"")
        .last()
        .expect("a note");
    assert!(
        note.contains("<img src=\"images/img-map.png\" alt=\"რუკა შენიშვნაში\""),
        "the note does not show the image"
    );
    assert_eq!(
        entry(&epub, "EPUB/text/images/img-map.png").as_deref(),
        Some(png.as_slice()),
        "the EPUB lacks the image its note shows"
    );
    let opf = String::from_utf8(entry(&epub, "EPUB/package.opf").expect("opf")).expect("UTF-8");
    assert!(opf.contains("href=\"text/images/img-map.png\" media-type=\"image/png\""));
    if let Some(report) = common::epubcheck(&epub) {
        report.assert_clean();
    }

    let web = out.join("book");
    assert_eq!(
        std::fs::read(web.join("images/img-map.png")).ok(),
        Some(png),
        "the web edition lacks the image its note shows"
    );
    let page = std::fs::read_to_string(web.join("ch06.html")).expect("ch06.html");
    assert!(page.contains("<img src=\"images/img-map.png\" alt=\"რუკა შენიშვნაში\""));

    // The PDF's notes are text: the image's description stands in the note,
    // and the build says so at the picture.
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("note-image") && stderr.contains("06-conclusion.md:"),
        "no warning that the PDF shows the note's picture by its description:\n{stderr}"
    );
    if let Some(text) = common::pdftotext(&out.join("book.pdf"), None, None) {
        assert!(
            text.contains("რუკა შენიშვნაში"),
            "the PDF's note lacks the description"
        );
    }
}

#[test]
fn an_image_in_a_note_is_read_only_inside_the_manuscript() {
    let root = tempfile::tempdir().expect("temp dir");
    std::fs::write(root.path().join("secret.png"), map_png()).expect("write");
    let m = manuscript_with_note_image(root.path(), "../secret.png");
    let out = root.path().join("out");
    let run = all(&m, &out.join("book.epub"));
    assert_eq!(
        run.status.code(),
        Some(1),
        "an outside image must be an error"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error[image-invalid]"), "{stderr}");
    assert!(
        stderr.contains("outside the manuscript directory"),
        "{stderr}"
    );
    // Pointed at the note's line, not somewhere vague.
    assert!(stderr.contains("06-conclusion.md:"), "{stderr}");
    assert!(!out.exists(), "nothing is written");

    // A note's image that does not decode is an error too, not a blank.
    let m2 = root.path().join("m2");
    std::fs::rename(&m, &m2).expect("mv");
    let m = manuscript_with_note_image(root.path(), "map.png");
    std::fs::write(m.join("map.png"), b"\x89PNG\r\n\x1a\nnot really").expect("write");
    let run = all(&m, &out.join("book.epub"));
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("image map.png"), "{stderr}");
}
