//! The PDF as an archive and an assistive reader see it: PDF/A (XMP
//! identification, the sRGB output intent, no soft masks), PDF/UA (a tag tree
//! of headings, paragraphs, lists, notes and links, artifacts for what is
//! not text, the language, the title in the window), checked with qpdf and,
//! where installed, the `pdfua` checker; and the refusal to write a file that
//! breaks the standard it claims.
//!
//! qpdf is required like every validator: skipped with a note when missing,
//! a failure under `TSIGNI_REQUIRE_VALIDATORS=1`.

mod common;

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tsigni::model::{Block, Book, Inline, Note, Span};

fn loaded() -> &'static tsigni::Loaded {
    static L: OnceLock<tsigni::Loaded> = OnceLock::new();
    L.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
        match tsigni::load(&dir) {
            Ok(l) => l,
            Err(e) => panic!("the manuscript does not load: {e}"),
        }
    })
}

struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    bytes: Vec<u8>,
    /// How many of its pages are blank.
    blanks: usize,
}

fn render(book: &Book, cover: &tsigni::cover::Cover, name: &str) -> Built {
    let (dir, path, out) = common::write_pdf(book, &loaded().fonts, cover, name);
    Built {
        _dir: dir,
        path,
        bytes: out.bytes,
        blanks: out.page_starts.iter().filter(|s| s.blank).count(),
    }
}

/// The article with a list, a block quote and three footnotes added, so
/// that every kind of element appears.
fn rich_book() -> Book {
    let mut book = loaded().book.clone();
    let para = |t: &str| Block::Paragraph {
        content: vec![Inline::Text(t.into())],
        span: Span::default(),
    };
    let ch = &mut book.chapters[1];
    ch.blocks.insert(
        2,
        Block::BlockQuote {
            blocks: vec![para(
                "ციტატა ციტატის შიგნით, საკმარისად გრძელი სტრიქონისთვის.",
            )],
            span: Span::default(),
        },
    );
    ch.blocks.insert(
        2,
        Block::List {
            start: Some(1),
            items: vec![vec![para("პირველი")], vec![para("მეორე")]],
            span: Span::default(),
        },
    );
    // Three notes, on the first paragraph of the first three chapters.
    book.notes.clear();
    for ch in &mut book.chapters {
        strip_refs(&mut ch.blocks);
    }
    for (ci, ch) in book.chapters.iter_mut().enumerate().take(3) {
        let Some(Block::Paragraph { content, .. }) = ch
            .blocks
            .iter_mut()
            .find(|b| matches!(b, Block::Paragraph { .. }))
        else {
            continue;
        };
        let number = book.notes.len() + 1;
        content.push(Inline::NoteRef { number });
        book.notes.push(Note {
            number,
            label: format!("n{number}"),
            chapter: ci,
            blocks: vec![para("შენიშვნის ტექსტი.")],
            span: Span::default(),
        });
    }
    book
}

fn strip_refs(blocks: &mut [Block]) {
    for b in blocks {
        match b {
            Block::Paragraph { content, .. } => {
                content.retain(|i| !matches!(i, Inline::NoteRef { .. }))
            }
            Block::Heading(h) => h.content.retain(|i| !matches!(i, Inline::NoteRef { .. })),
            Block::List { items, .. } => items.iter_mut().for_each(|i| strip_refs(i)),
            Block::BlockQuote { blocks, .. } => strip_refs(blocks),
            _ => {}
        }
    }
}

/// The default build (PDF/A-2u) of the rich book.
fn rich() -> &'static (Book, Built) {
    static B: OnceLock<(Book, Built)> = OnceLock::new();
    B.get_or_init(|| {
        let book = rich_book();
        let built = render(&book, &loaded().cover, "rich");
        (book, built)
    })
}

/// A PDF's objects, as `qpdf --json` gives them.
struct Objects {
    path: PathBuf,
    qpdf: PathBuf,
    objects: Map<String, Value>,
}

impl Objects {
    fn read(path: &Path) -> Option<Objects> {
        let qpdf = common::require_tool("qpdf")?;
        let out = Command::new(&qpdf)
            .args(["--json=2", "--json-key=qpdf"])
            .arg(path)
            .output()
            .expect("qpdf runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
        let objects = json["qpdf"][1].as_object().expect("objects").clone();
        Some(Objects {
            path: path.to_path_buf(),
            qpdf,
            objects,
        })
    }

    /// The dictionary of an object (or of a stream) by reference, `12 0 R`.
    fn get(&self, r: &Value) -> &Value {
        let key = format!("obj:{}", r.as_str().unwrap_or(""));
        let o = &self.objects[&key];
        if o.get("stream").is_some() {
            &o["stream"]["dict"]
        } else {
            &o["value"]
        }
    }

    /// A value, following a reference.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(s) if s.ends_with(" R") => self.get(v),
            _ => v,
        }
    }

    fn catalog(&self) -> &Value {
        self.objects
            .values()
            .map(|o| &o["value"])
            .find(|v| v["/Type"] == "/Catalog")
            .expect("a catalog")
    }

    /// A stream's data, decoded.
    fn stream(&self, r: &Value) -> Vec<u8> {
        let id = r.as_str().unwrap_or("").split(' ').next().unwrap_or("");
        let out = Command::new(&self.qpdf)
            .arg(format!("--show-object={id}"))
            .arg("--filtered-stream-data")
            .arg(&self.path)
            .output()
            .expect("qpdf runs");
        assert!(out.status.success());
        out.stdout
    }

    /// Every structure element, with its reference.
    fn struct_elems(&self) -> Vec<(String, &Value)> {
        self.objects
            .iter()
            .filter(|(_, o)| o["value"]["/Type"] == "/StructElem")
            .map(|(k, o)| (k.trim_start_matches("obj:").to_string(), &o["value"]))
            .collect()
    }

    fn role_counts(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for (_, e) in self.struct_elems() {
            *counts
                .entry(
                    e["/S"]
                        .as_str()
                        .unwrap_or("")
                        .trim_start_matches('/')
                        .to_string(),
                )
                .or_default() += 1;
        }
        counts
    }

    fn xmp(&self) -> String {
        let r = &self.catalog()["/Metadata"];
        String::from_utf8(self.stream(r)).expect("XMP is UTF-8")
    }
}

/// A text string as qpdf's JSON writes it (`u:…`).
fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("").trim_start_matches("u:")
}

fn count_blocks(blocks: &[Block], f: &dyn Fn(&Block) -> bool) -> usize {
    blocks
        .iter()
        .map(|b| {
            f(b) as usize
                + match b {
                    Block::List { items, .. } => items.iter().map(|i| count_blocks(i, f)).sum(),
                    Block::BlockQuote { blocks, .. } => count_blocks(blocks, f),
                    _ => 0,
                }
        })
        .sum()
}

#[test]
fn xmp_identifies_pdf_a_2u_and_pdf_ua_1() {
    let (_, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let xmp = pdf.xmp();
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(
        xmp.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    // PDF/A-2 describes the extension schemas it uses in the XMP itself.
    assert!(xmp.contains("pdfaExtension:schemas"), "{xmp}");
    assert!(
        xmp.contains(&loaded().book.config.book.title),
        "no dc:title"
    );
    assert!(xmp.contains("xmp:CreateDate"), "PDF/A needs a date");
}

#[test]
fn the_output_intent_is_srgb() {
    let (_, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let intents = pdf.resolve(&pdf.catalog()["/OutputIntents"]);
    let intents = intents.as_array().expect("/OutputIntents is an array");
    assert_eq!(intents.len(), 1);
    let intent = pdf.resolve(&intents[0]);
    assert_eq!(intent["/S"], "/GTS_PDFA1");
    assert!(
        text(&intent["/OutputCondition"]).contains("sRGB"),
        "{intent}"
    );
    let profile_ref = &intent["/DestOutputProfile"];
    assert_eq!(pdf.get(profile_ref)["/N"], 3, "an RGB profile");
    let icc = pdf.stream(profile_ref);
    // ICC header: the signature, and the data colour space.
    assert_eq!(&icc[36..40], b"acsp", "not an ICC profile");
    assert_eq!(&icc[16..20], b"RGB ");
}

#[test]
fn nothing_is_encrypted_or_transparent() {
    let (_, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let raw = String::from_utf8_lossy(&b.bytes);
    assert!(!raw.contains("/Encrypt"));
    for o in pdf.objects.values() {
        let d = if o.get("stream").is_some() {
            &o["stream"]["dict"]
        } else {
            &o["value"]
        };
        assert!(d.get("/SMask").is_none(), "a soft mask: {d}");
        assert_ne!(d["/S"], "/Transparency", "a transparency group: {d}");
    }
}

#[test]
fn the_catalog_marks_a_tagged_georgian_document_showing_its_title() {
    let (_, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let cat = pdf.catalog();
    assert!(cat.get("/StructTreeRoot").is_some(), "no structure tree");
    assert_eq!(cat["/MarkInfo"]["/Marked"], true);
    // False is the default, and poppler reports an explicit `/Suspects false`.
    assert!(
        cat["/MarkInfo"].get("/Suspects").is_none(),
        "{}",
        cat["/MarkInfo"]
    );
    assert_eq!(text(&cat["/Lang"]), "ka");
    assert_eq!(cat["/ViewerPreferences"]["/DisplayDocTitle"], true);
    let root = pdf.resolve(&cat["/StructTreeRoot"]);
    let doc = pdf.resolve(&root["/K"][0]);
    assert_eq!(doc["/S"], "/Document");
    assert_eq!(text(&doc["/Lang"]), "ka");
    // Every page shows its structure in reading order to tab navigation.
    for o in pdf.objects.values() {
        if o["value"]["/Type"] == "/Page" && o["value"].get("/Annots").is_some() {
            assert_eq!(o["value"]["/Tabs"], "/S", "{}", o["value"]);
        }
    }
}

#[test]
fn the_structure_names_headings_paragraphs_lists_notes_links_and_entries() {
    let (book, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let roles = pdf.role_counts();
    let n = |r: &str| roles.get(r).copied().unwrap_or(0);
    let headings = |level: u8| -> usize {
        book.chapters
            .iter()
            .map(|c| {
                count_blocks(
                    &c.blocks,
                    &|b| matches!(b, Block::Heading(h) if h.level == level),
                )
            })
            .sum()
    };
    // Chapters, the bibliography and the contents.
    assert_eq!(n("H1"), headings(1) + 2, "{roles:?}");
    assert_eq!(n("H2"), headings(2), "{roles:?}");
    let paragraphs: usize = book
        .chapters
        .iter()
        .map(|c| count_blocks(&c.blocks, &|b| matches!(b, Block::Paragraph { .. })))
        .sum();
    assert!(n("P") >= paragraphs, "{roles:?}");
    assert_eq!(n("Note"), book.notes.len(), "{roles:?}");
    assert_eq!(n("BibEntry"), book.bibliography.len(), "{roles:?}");
    let lists: usize = book
        .chapters
        .iter()
        .map(|c| count_blocks(&c.blocks, &|b| matches!(b, Block::List { .. })))
        .sum();
    // The bibliography is a list too.
    assert_eq!(n("L"), lists + 1, "{roles:?}");
    assert!(n("LI") >= 2 + book.bibliography.len() && n("LBody") == n("LI"));
    assert!(n("Lbl") >= 2, "{roles:?}");
    assert_eq!(n("BlockQuote"), 1, "{roles:?}");
    assert!(n("Link") > book.notes.len() * 2, "{roles:?}");
    assert_eq!(n("TOC"), 1);
    assert!(n("TOCI") >= headings(1) + headings(2));
    assert_eq!(n("Figure"), 1, "the cover: {roles:?}");
    assert!(n("Sect") >= book.chapters.len());

    let elems: HashMap<String, &Value> = pdf.struct_elems().into_iter().collect();
    for e in elems.values() {
        match e["/S"].as_str().unwrap_or("") {
            // PDF/UA: a heading's text as its title.
            "/H1" | "/H2" => assert!(!text(&e["/T"]).is_empty(), "{e}"),
            // A note is read where it is called: in the paragraph, after
            // the link of its reference.
            "/Note" => {
                let parent = elems[e["/P"].as_str().unwrap_or("")];
                assert_eq!(parent["/S"], "/P", "{parent}");
                let kids = parent["/K"].as_array().expect("kids");
                let me = kids
                    .iter()
                    .position(|k| elems.get(k.as_str().unwrap_or("")) == Some(e))
                    .expect("the note among its parent's kids");
                let before = elems[kids[me - 1].as_str().expect("a link")];
                assert_eq!(before["/S"], "/Link", "{before}");
            }
            // A link holds its annotation, which says where it goes.
            "/Link" => {
                let kids = e["/K"].as_array().expect("kids");
                let annots: Vec<&Value> = kids
                    .iter()
                    .filter(|k| k["/Type"] == "/OBJR")
                    .map(|k| pdf.get(&k["/Obj"]))
                    .collect();
                assert!(!annots.is_empty(), "a link without its annotation: {e}");
                for a in annots {
                    assert_eq!(a["/Subtype"], "/Link");
                    assert!(!text(&a["/Contents"]).is_empty(), "{a}");
                    assert!(a.get("/StructParent").is_some(), "{a}");
                }
            }
            "/Figure" => assert!(!text(&e["/Alt"]).is_empty(), "{e}"),
            _ => {}
        }
    }
}

/// Operators of a content stream that draw something (text, paths,
/// images) outside any marked-content sequence, and the property lists of
/// the `BDC` sequences it opens.
fn scan_content(data: &[u8]) -> (usize, Vec<String>) {
    let mut depth = 0i32;
    let mut unmarked = 0;
    let mut props = Vec::new();
    let mut last_dict = String::new();
    let mut i = 0;
    let is_delim = |c: u8| b"()<>[]{}/%".contains(&c) || c.is_ascii_whitespace();
    while i < data.len() {
        match data[i] {
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut nest = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => nest += 1,
                        b')' => {
                            nest -= 1;
                            if nest == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                // A dictionary (a property list): kept as written.
                let start = i;
                let mut nest = 0;
                while i + 1 < data.len() {
                    if data[i] == b'<' && data[i + 1] == b'<' {
                        nest += 1;
                        i += 2;
                    } else if data[i] == b'<' {
                        // A hex string in it (an /ActualText): up to its '>'.
                        while i < data.len() && data[i] != b'>' {
                            i += 1;
                        }
                        i += 1;
                    } else if data[i] == b'>' && data[i + 1] == b'>' {
                        nest -= 1;
                        i += 2;
                        if nest == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                last_dict = String::from_utf8_lossy(&data[start..i]).into_owned();
            }
            b'<' => {
                while i < data.len() && data[i] != b'>' {
                    i += 1;
                }
                i += 1;
            }
            b'%' => {
                while i < data.len() && data[i] != b'\n' {
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() || b"[]{}".contains(&c) => i += 1,
            _ => {
                let start = i;
                i += 1;
                while i < data.len() && !is_delim(data[i]) {
                    i += 1;
                }
                match &data[start..i] {
                    b"BDC" => {
                        depth += 1;
                        props.push(std::mem::take(&mut last_dict));
                    }
                    b"BMC" => depth += 1,
                    b"EMC" => depth -= 1,
                    b"Tj" | b"TJ" | b"'" | b"\"" | b"Do" | b"f" | b"F" | b"f*" | b"S" | b"s"
                    | b"B" | b"B*" | b"b" | b"b*" | b"sh"
                        if depth <= 0 =>
                    {
                        unmarked += 1
                    }
                    _ => {}
                }
            }
        }
    }
    (unmarked, props)
}

#[test]
fn all_content_is_marked_and_heads_folios_rules_and_leaders_are_artifacts() {
    let (book, b) = rich();
    let Some(pdf) = Objects::read(&b.path) else {
        return;
    };
    let mut props: Vec<String> = Vec::new();
    let mut pages = 0;
    for o in pdf.objects.values() {
        let page = &o["value"];
        if page["/Type"] != "/Page" {
            continue;
        }
        pages += 1;
        let contents = match &page["/Contents"] {
            Value::Array(a) => a.clone(),
            r => vec![r.clone()],
        };
        for c in contents {
            let (unmarked, p) = scan_content(&pdf.stream(&c));
            assert_eq!(unmarked, 0, "drawing outside marked content on {page}");
            props.extend(p);
        }
    }
    let count = |s: &str| props.iter().filter(|p| p.contains(s)).count();
    let folios = pages - 2 - b.blanks;
    assert!(b.blanks >= 2, "the cover's inside and the title's verso");
    // Every page but the cover, the title page and the blank pages has a
    // folio, the pages without a chapter's opening a running head.
    assert_eq!(count("/Subtype/Footer"), folios, "{props:?}");
    assert!(count("/Subtype/Header") >= folios / 2, "{props:?}");
    // The contents' dot leaders (one per entry), the rules above notes.
    let layout = count("/Type/Layout");
    assert!(layout >= 10 + book.notes.len().min(1), "{layout}");
    // Everything else is a span of the structure, or the cover figure.
    assert!(count("/MCID") > 300, "{}", count("/MCID"));
}

#[test]
fn each_standard_claims_what_it_is() {
    let l = loaded();
    for (standard, part, conformance) in [
        ("pdf-a-2b", Some("2"), Some("B")),
        ("pdf-a-3u", Some("3"), Some("U")),
        ("none", None, None),
    ] {
        let mut book = l.book.clone();
        book.config.pdf.standard = standard.into();
        let b = render(&book, &l.cover, standard);
        let Some(pdf) = Objects::read(&b.path) else {
            return;
        };
        let xmp = pdf.xmp();
        match part {
            Some(p) => assert!(xmp.contains(&format!("<pdfaid:part>{p}</pdfaid:part>"))),
            None => assert!(!xmp.contains("pdfaid:part"), "{standard}"),
        }
        if let Some(c) = conformance {
            assert!(xmp.contains(&format!("<pdfaid:conformance>{c}</pdfaid:conformance>")));
        }
        // Tagged and accessible whatever the archival level.
        assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{standard}");
        assert!(pdf.catalog().get("/StructTreeRoot").is_some());
        assert_eq!(
            pdf.catalog().get("/OutputIntents").is_some(),
            part.is_some(),
            "{standard}"
        );
    }
}

/// A 60×90 PNG with an alpha channel: a fully transparent border around
/// an opaque dark red centre.
fn alpha_cover(with_pixels: bool) -> tsigni::cover::Cover {
    let img = image::RgbaImage::from_fn(60, 90, |x, y| {
        if (10..50).contains(&x) && (10..80).contains(&y) {
            image::Rgba([120, 0, 0, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut png = Vec::new();
    let img = image::DynamicImage::ImageRgba8(img);
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    // With pixels, as the loader hands them on; without, as a caller that
    // builds a cover by hand (the PDF decodes the PNG itself).
    let pixels = with_pixels
        .then(|| tsigni::cover::Pixels::from_image(img, &png))
        .flatten();
    assert_eq!(pixels.is_some(), with_pixels);
    tsigni::cover::Cover {
        data: png,
        media_type: "image/png",
        width: 60,
        height: 90,
        file_name: "cover.png".into(),
        generated: false,
        has_alpha: true,
        pixels,
    }
}

/// The cover page as pixels.
fn cover_pixels(pdf: &Path) -> Option<image::RgbImage> {
    let tool = common::require_tool("pdftoppm")?;
    let dir = tempfile::tempdir().expect("temp dir");
    let stem = dir.path().join("cover");
    let st = Command::new(tool)
        .args(["-r", "20", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm runs");
    assert!(st.success());
    Some(
        image::open(stem.with_extension("png"))
            .expect("a png")
            .to_rgb8(),
    )
}

#[test]
fn a_transparent_cover_is_flattened_onto_white_for_pdf_a() {
    let l = loaded();
    for with_pixels in [true, false] {
        let cover = alpha_cover(with_pixels);
        let name = format!("alpha-{with_pixels}");
        let b = render(&l.book, &cover, &name);
        let raw = String::from_utf8_lossy(&b.bytes);
        assert!(!raw.contains("/SMask"), "PDF/A got a soft mask ({name})");
        if let Some(px) = cover_pixels(&b.path) {
            let (w, h) = px.dimensions();
            let corner = px.get_pixel(w / 20, h / 2);
            let centre = px.get_pixel(w / 2, h / 2);
            assert!(
                corner.0.iter().all(|&c| c > 240),
                "{corner:?}: not white ({name})"
            );
            assert!(
                centre.0[0] > 90 && centre.0[1] < 40,
                "{centre:?}: not red ({name})"
            );
        }

        // Without an archival standard the alpha channel is kept as it is.
        let mut book = l.book.clone();
        book.config.pdf.standard = "none".into();
        let b = render(&book, &cover, &format!("{name}-none"));
        assert!(
            String::from_utf8_lossy(&b.bytes).contains("/SMask"),
            "{name}"
        );
    }
}

#[test]
fn what_the_standard_forbids_is_an_error_not_a_file() {
    let l = loaded();
    let mut book = l.book.clone();
    // PDF/A-2 limits a string to 32,767 bytes; the description goes into
    // the document information as UTF-16.
    book.config.book.description = Some("ა".repeat(20_000));
    let Err(d) = tsigni::pdf::render(&book, &l.fonts, &l.cover) else {
        panic!("a PDF breaking PDF/A-2u was written");
    };
    let e = d
        .list
        .iter()
        .find(|d| d.code == "pdf-standard")
        .unwrap_or_else(|| panic!("{d:?}"));
    assert!(e.message.contains("PDF/A-2u"), "{}", e.message);
    assert!(e.message.contains("32,767"), "{}", e.message);
    assert!(
        e.notes.iter().any(|n| n.contains("pdf-a-2u")),
        "{:?}",
        e.notes
    );
    // The same book without the archival promise is written.
    book.config.pdf.standard = "none".into();
    assert!(tsigni::pdf::render(&book, &l.fonts, &l.cover).is_ok());
}

#[test]
fn an_image_without_a_description_is_decoration() {
    let l = loaded();
    let mut book = l.book.clone();
    for (k, alt) in ["რუკა", ""].iter().enumerate() {
        book.chapters[1].blocks.insert(
            2,
            Block::Figure(tsigni::model::Figure {
                path: format!("figures/{k}.png"),
                alt: alt.to_string(),
                caption: Vec::new(),
                label: None,
                number: None,
                width: None,
                span: Span::default(),
            }),
        );
    }
    let img = image::RgbImage::from_fn(30, 20, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let images = vec![
        ("figures/0.png".to_string(), png.clone()),
        ("figures/1.png".to_string(), png),
    ];
    let out = tsigni::pdf::render_with_images(&book, &l.fonts, &l.cover, &images).expect("render");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("images.pdf");
    std::fs::write(&path, &out.bytes).expect("write");
    let Some(pdf) = Objects::read(&path) else {
        return;
    };
    let figures: Vec<String> = pdf
        .struct_elems()
        .into_iter()
        .filter(|(_, e)| e["/S"] == "/Figure")
        .map(|(_, e)| text(&e["/Alt"]).to_string())
        .collect();
    // The cover and the described image; the other is an artifact.
    assert_eq!(figures.len(), 2, "{figures:?}");
    assert!(figures.iter().any(|f| f == "რუკა"), "{figures:?}");
}

/// The `pdfua` checker (PyPI), when installed: the machine-checkable part
/// of PDF/UA-1 (structure tree, every content item tagged or an artifact,
/// language, alternative text, annotations, title, identification).
fn pdfua() -> Option<Vec<String>> {
    if let Some(cmd) = std::env::var_os("TSIGNI_PDFUA").filter(|v| !v.is_empty()) {
        return Some(vec![cmd.to_string_lossy().into_owned()]);
    }
    if let Some(p) = on_path("pdfua") {
        return Some(vec![p.to_string_lossy().into_owned()]);
    }
    let py = on_path("python3")?;
    let has = Command::new(&py)
        .args(["-c", "import pdfua"])
        .output()
        .is_ok_and(|o| o.status.success());
    has.then(|| {
        vec![
            py.to_string_lossy().into_owned(),
            "-m".into(),
            "pdfua".into(),
        ]
    })
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[test]
fn the_pdfua_checker_finds_nothing() {
    let Some(cmd) = pdfua() else {
        // Skips with a note, or fails when validators are required.
        let _ = common::require_tool("pdfua");
        return;
    };
    let (_, b) = rich();
    let out = Command::new(&cmd[0])
        .args(&cmd[1..])
        .args(["check", "--format", "json"])
        .arg(&b.path)
        .output()
        .expect("pdfua runs");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "pdfua printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let text = json.to_string();
    assert!(
        out.status.success(),
        "pdfua reports findings: {}",
        &text[..text.len().min(4000)]
    );
}

#[test]
fn the_content_scanner_sees_unmarked_drawing() {
    assert_eq!(
        scan_content(b"BT /F1 10 Tf (a\\)b) Tj ET 0 0 1 1 re f").0,
        2
    );
    let (unmarked, props) = scan_content(
        b"/Span<</MCID 0>>BDC BT (EMC) Tj ET EMC /Artifact<</Type/Layout>>BDC 0 0 1 1 re f EMC",
    );
    assert_eq!(unmarked, 0);
    assert_eq!(props, ["<</MCID 0>>", "<</Type/Layout>>"]);
}
