//! `tsigni catalog`: the catalogue records written beside the books, each read
//! back by a parser of its own format (pymarc, quick-xml, serde_json, the
//! biblatex crate) rather than by string matching.

mod common;

use biblatex::{Bibliography, Chunk, ChunksExt};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tsigni::catalog::{self, CatalogFile};
use tsigni::config::Config;
use tsigni::model::Book;

const KEYWORDS: [&str; 4] = [
    "ჩინელი კომუნისტები",
    "ჩინეთის სახალხო რესპუბლიკა",
    "ჩინეთ-საბჭოთა ურთიერთობა",
    "მაო მოსკოვში",
];
const TITLE: &str = "ჩინეთ-საბჭოთა ურთიერთობები 1950-1980 წლებში";

/// The manuscript, built once: its EPUB, its PDF and the records written
/// beside them.
struct Built {
    book: Book,
    dir: PathBuf,
    files: Vec<CatalogFile>,
    pages: usize,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let manuscript = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
        let loaded = tsigni::load(&manuscript).unwrap_or_else(|e| panic!("load: {e}"));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalog-manuscript");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let slug = tsigni::slug(&loaded.book);
        let epub = dir.join(format!("{slug}.epub"));
        let pdf = dir.join(format!("{slug}.pdf"));
        // As `tsigni catalog` writes them: the books and their records, one set.
        let outputs = tsigni::build::Outputs {
            output: Some(&epub),
            formats: &[tsigni::Format::Epub, tsigni::Format::Pdf],
            records: true,
        };
        let written = tsigni::build::write(&loaded, &outputs, &mut |_| {})
            .unwrap_or_else(|e| panic!("build: {e}"));
        let pages = written
            .iter()
            .find_map(|w| w.pages)
            .expect("the PDF's page count");
        let files = vec![
            catalog::describe(&epub).expect("describe EPUB"),
            catalog::describe(&pdf).expect("describe PDF"),
        ];
        let records: Vec<_> = written
            .iter()
            .filter(|w| w.kind == tsigni::build::Kind::Record)
            .collect();
        assert_eq!(records.len(), 5);
        for w in &written {
            let len = std::fs::metadata(&w.path).expect("written file").len();
            if w.kind != tsigni::build::Kind::Edition {
                assert_eq!(len, w.bytes, "{}", w.path.display());
            }
        }
        Built {
            book: loaded.book,
            dir,
            files,
            pages,
        }
    })
}

fn read(name_suffix: &str) -> String {
    let b = built();
    let path = b
        .dir
        .join(format!("{}{name_suffix}", tsigni::slug(&b.book)));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn synthetic(book_toml: &str) -> Book {
    let config: Config = toml::from_str(book_toml).unwrap_or_else(|e| panic!("toml: {e}"));
    Book {
        config,
        chapters: vec![],
        notes: vec![],
        citations: vec![],
        bibliography: vec![],
        refs: vec![],
        figures: vec![],
        sources: Default::default(),
    }
}

/// Title, authors, publisher, date and ISBN all given, with TeX specials.
const FULL: &str = r#"
[book]
title = "Braces {open and close} 50% & #1 $5 a_b ~x^y back\\slash 1950--1980"
subtitle = "ქვესათაური: {ნაწილი} 2"
language = "ka"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
date = "2024-05-07"
description = "აბსტრაქტი\nორ სტრიქონზე."
keywords = ["ერთი", "ორი, სამი"]
rights = "CC BY 4.0"
authors = ["ნინო ბერიძე", "Snow, C. P.", "Jack and Jill"]
publisher = "თბილისის უნივერსიტეტის გამომცემლობა"
isbn = "978-0-306-40615-7"
chapters = []
slug = "full"
"#;

fn record(records: &[(String, Vec<u8>)], suffix: &str) -> String {
    let (_, bytes) = records
        .iter()
        .find(|(n, _)| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} record"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

// ---------------------------------------------------------------------------
// MARC 21 through pymarc
// ---------------------------------------------------------------------------

const PYMARC: &str = r#"
import hashlib, json, os, sys, urllib.parse
import pymarc
path = sys.argv[1]
out = []
for r in pymarc.parse_xml_to_array(path):
    fields = []
    for f in r.fields:
        if f.is_control_field():
            fields.append({"tag": f.tag, "data": f.data})
        else:
            fields.append({"tag": f.tag, "ind": [f.indicators[0], f.indicators[1]],
                           "sub": [[s.code, s.value] for s in f.subfields]})
    leader = str(r.leader)
    files = {}
    for f in r.get_fields("856"):
        for u in f.get_subfields("u"):
            with open(os.path.join(os.path.dirname(path), urllib.parse.unquote(u)), "rb") as fh:
                data = fh.read()
            files[u] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    iso = r.as_marc()
    out.append({"leader": leader, "fields": fields, "files": files,
                "iso_len": len(iso), "iso_leader": iso[:24].decode("ascii")})
print(json.dumps(out))
"#;

/// Parses a MARCXML file with pymarc; `None` when pymarc is missing and not required.
fn pymarc(path: &Path) -> Option<Value> {
    let python = common::require_tool("python3")?;
    let probe = Command::new(&python)
        .args(["-c", "import pymarc"])
        .output()
        .expect("run python3");
    if !probe.status.success() {
        let stderr = String::from_utf8_lossy(&probe.stderr);
        let why = stderr.trim().lines().last().unwrap_or("import failed");
        if common::validators_required() {
            panic!("pymarc is required (TSIGNI_REQUIRE_VALIDATORS=1) but cannot be imported: {why}; run scripts/install-validators.sh");
        }
        eprintln!("skipping: pymarc not installed ({why})");
        return None;
    }
    let out = Command::new(&python)
        .args(["-c", PYMARC])
        .arg(path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "pymarc could not read {}:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("pymarc script prints JSON");
    let records = json.as_array().expect("array of records");
    assert_eq!(records.len(), 1, "one record");
    Some(records[0].clone())
}

struct Marc(Value);

impl Marc {
    fn fields(&self, tag: &str) -> Vec<&Value> {
        self.0["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .filter(|f| f["tag"] == tag)
            .collect()
    }
    fn control(&self, tag: &str) -> String {
        let f = self.fields(tag);
        assert_eq!(f.len(), 1, "one {tag}");
        f[0]["data"].as_str().expect("control data").to_string()
    }
    fn subfields(field: &Value, code: &str) -> Vec<String> {
        field["sub"]
            .as_array()
            .expect("subfields")
            .iter()
            .filter(|s| s[0] == code)
            .map(|s| s[1].as_str().expect("value").to_string())
            .collect()
    }
    fn one(&self, tag: &str, code: &str) -> String {
        let f = self.fields(tag);
        assert_eq!(f.len(), 1, "one {tag}");
        let s = Self::subfields(f[0], code);
        assert_eq!(s.len(), 1, "one {tag} ${code}");
        s[0].clone()
    }
    fn indicators(&self, tag: &str) -> String {
        let f = self.fields(tag);
        assert_eq!(f.len(), 1, "one {tag}");
        format!(
            "{}{}",
            f[0]["ind"][0].as_str().unwrap_or("?"),
            f[0]["ind"][1].as_str().unwrap_or("?")
        )
    }
    fn tags(&self) -> Vec<String> {
        self.0["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| f["tag"].as_str().expect("tag").to_string())
            .collect()
    }
}

#[test]
fn marcxml_is_read_by_pymarc() {
    let b = built();
    let path = b.dir.join(format!("{}.marc.xml", tsigni::slug(&b.book)));
    let Some(json) = pymarc(&path) else { return };
    let m = Marc(json);

    let leader = m.0["leader"].as_str().expect("leader");
    assert_eq!(leader.len(), 24, "{leader:?}");
    let at = |i: usize| &leader[i..i + 1];
    assert_eq!(at(5), "n", "record status: new");
    assert_eq!(at(6), "a", "type of record: language material");
    assert_eq!(at(7), "m", "bibliographic level: monograph");
    assert_eq!(at(9), "a", "character coding: Unicode");
    assert_eq!(&leader[10..12], "22");
    assert_eq!(at(17), "3", "encoding level: abbreviated");
    assert_eq!(at(18), "c", "ISBD punctuation omitted");
    assert_eq!(&leader[20..24], "4500");
    // The leader's lengths are those of the binary record pymarc makes of it.
    let iso_leader = m.0["iso_leader"].as_str().expect("iso leader");
    let iso_len = m.0["iso_len"].as_u64().expect("length");
    assert_eq!(&leader[0..5], format!("{iso_len:05}"));
    assert_eq!(&leader[12..17], &iso_leader[12..17], "base address");

    let tags = m.tags();
    let mut sorted = tags.clone();
    sorted.sort();
    assert_eq!(tags, sorted, "fields in tag order");

    assert_eq!(m.control("001"), b.book.config.book.identifier);
    let f005 = m.control("005");
    assert_eq!(f005.len(), 16, "{f005:?}");
    assert!(f005.ends_with(".0") && f005[..14].bytes().all(|c| c.is_ascii_digit()));

    let f008 = m.control("008");
    assert_eq!(f008.chars().count(), 40, "{f008:?}");
    assert_eq!(&f008[0..6], &f005[2..8], "date entered is the build date");
    assert_eq!(
        &f008[6..15],
        "nuuuuuuuu",
        "no date given: type n, dates unknown"
    );
    assert_eq!(&f008[15..18], "xx ", "place unknown");
    assert_eq!(&f008[23..24], "o", "form of item: online");
    assert_eq!(&f008[24..25], "b", "contains a bibliography");
    assert_eq!(&f008[35..38], "geo");
    assert_eq!(&f008[39..40], "d");

    assert_eq!(m.one("041", "a"), "geo");
    assert_eq!(m.one("245", "a"), TITLE);
    assert_eq!(m.indicators("245"), "00", "no 1XX, no nonfiling characters");
    assert!(Marc::subfields(m.fields("245")[0], "c").is_empty());
    assert_eq!(
        m.one("300", "a"),
        format!("1 online resource ({} pages)", b.pages)
    );
    assert_eq!(m.one("336", "b"), "txt");
    assert_eq!(m.one("337", "b"), "c");
    assert_eq!(m.one("338", "b"), "cr");
    let encodings: Vec<String> = m
        .fields("347")
        .iter()
        .flat_map(|f| Marc::subfields(f, "b"))
        .collect();
    assert_eq!(encodings, ["EPUB", "PDF"]);
    assert_eq!(
        m.one("520", "a"),
        b.book.config.book.description.clone().expect("description")
    );
    assert_eq!(m.one("546", "a"), "In Georgian.");
    let keywords: Vec<String> = m
        .fields("653")
        .iter()
        .flat_map(|f| Marc::subfields(f, "a"))
        .collect();
    assert_eq!(keywords, KEYWORDS);

    let links = m.fields("856");
    assert_eq!(links.len(), b.files.len());
    for (field, file) in links.iter().zip(&b.files) {
        assert_eq!(field["ind"], serde_json::json!(["4", "0"]));
        let u = Marc::subfields(field, "u");
        assert_eq!(u, [file.name.as_str()]);
        assert_eq!(Marc::subfields(field, "q"), [file.media_type]);
        // pymarc's script measured and hashed the file the link points to.
        let actual = &m.0["files"][&file.name];
        assert_eq!(Marc::subfields(field, "s"), [actual["size"].to_string()]);
        let sha = actual["sha256"].as_str().expect("sha");
        assert_eq!(Marc::subfields(field, "z"), [format!("SHA-256: {sha}")]);
        assert_eq!(file.sha256, sha);
    }

    for absent in ["100", "700", "020", "264"] {
        assert!(m.fields(absent).is_empty(), "{absent} must be absent");
    }
}

#[test]
fn marc_fields_for_a_fully_described_book() {
    let book = synthetic(FULL);
    let files = [catalog::describe_bytes("full.pdf", b"%PDF-1.7\n")];
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalog-full");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    // A book made in memory has no manuscript to build from: its record is
    // written here only for pymarc to read, beside the file it describes.
    std::fs::write(dir.join("full.pdf"), b"%PDF-1.7\n").expect("write");
    let records = catalog::records_named(&book, "full", &files, Some(1));
    std::fs::write(dir.join("full.marc.xml"), record(&records, ".marc.xml")).expect("write");
    let Some(json) = pymarc(&dir.join("full.marc.xml")) else {
        return;
    };
    let m = Marc(json);
    assert_eq!(m.one("020", "a"), "9780306406157");
    assert_eq!(m.one("100", "a"), "ბერიძე, ნინო");
    assert_eq!(m.indicators("100"), "1 ");
    let others: Vec<String> = m
        .fields("700")
        .iter()
        .flat_map(|f| Marc::subfields(f, "a"))
        .collect();
    assert_eq!(others, ["Snow, C. P.", "Jill, Jack and"]);
    assert_eq!(m.indicators("245"), "10", "a 1XX exists");
    assert!(m.one("245", "a").starts_with("Braces {open"));
    assert_eq!(m.one("245", "b"), "ქვესათაური: {ნაწილი} 2");
    assert_eq!(m.one("245", "c"), "ნინო ბერიძე, C. P. Snow, Jack and Jill");
    assert_eq!(m.indicators("264"), " 1");
    assert_eq!(m.one("264", "b"), "თბილისის უნივერსიტეტის გამომცემლობა");
    assert_eq!(m.one("264", "c"), "2024");
    assert_eq!(m.one("300", "a"), "1 online resource (1 page)");
    assert_eq!(m.one("520", "a"), "აბსტრაქტი ორ სტრიქონზე.");
    let f008 = m.control("008");
    assert_eq!(&f008[6..15], "s2024    ");
    assert_eq!(&f008[24..25], " ", "no bibliography");
}

#[test]
fn invalid_isbn_is_kept_as_cancelled() {
    let book = synthetic(&FULL.replace("978-0-306-40615-7", "978-0-306-40615-8"));
    let marc = record(&catalog::records(&book, &[], None), ".marc.xml");
    assert!(marc.contains(r#"<subfield code="z">978-0-306-40615-8</subfield>"#));
    assert!(!marc.contains(r#"<subfield code="a">9780306406158"#));
}

// ---------------------------------------------------------------------------
// Dublin Core through quick-xml
// ---------------------------------------------------------------------------

/// (namespace, local name, xml:lang, text) of each child of the root, and the
/// root's own namespace and name.
type DcElements = Vec<(String, String, Option<String>, String)>;

fn parse_dc(xml: &str) -> ((String, String), DcElements) {
    let mut r = NsReader::from_str(xml);
    let mut root = None;
    let mut out = Vec::new();
    let mut current: Option<(String, String, Option<String>, String)> = None;
    let mut depth = 0;
    loop {
        let (ns, event) = r.read_resolved_event().expect("well-formed XML");
        let ns = match ns {
            ResolveResult::Bound(n) => String::from_utf8(n.0.to_vec()).expect("ns"),
            _ => String::new(),
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                let local = String::from_utf8(e.local_name().as_ref().to_vec()).expect("name");
                if depth == 1 {
                    root = Some((ns, local));
                } else {
                    assert_eq!(depth, 2, "DC elements hold text only");
                    let lang = e
                        .attributes()
                        .map(|a| a.expect("attribute"))
                        .find(|a| a.key.as_ref() == b"xml:lang")
                        .map(|a| a.unescape_value().expect("value").into_owned());
                    current = Some((ns, local, lang, String::new()));
                }
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.3.push_str(&t.decode().expect("text"));
                }
            }
            Event::GeneralRef(g) => {
                let c = current.as_mut().expect("reference inside an element");
                match g.resolve_char_ref().expect("char ref") {
                    Some(ch) => c.3.push(ch),
                    None => {
                        let name = g.decode().expect("name");
                        c.3.push_str(
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .expect("predefined entity"),
                        );
                    }
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    out.push(current.take().expect("open element"));
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (root.expect("root element"), out)
}

const DC: &str = "http://purl.org/dc/elements/1.1/";

fn dc_values<'a>(els: &'a DcElements, name: &str) -> Vec<&'a str> {
    els.iter()
        .filter(|e| e.1 == name)
        .map(|e| e.3.as_str())
        .collect()
}

#[test]
fn dublin_core_elements() {
    let b = built();
    let xml = read(".dc.xml");
    let (root, els) = parse_dc(&xml);
    assert_eq!(
        root,
        (
            "http://www.openarchives.org/OAI/2.0/oai_dc/".to_string(),
            "dc".to_string()
        )
    );
    assert!(xml.contains("xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\""));
    for e in &els {
        assert_eq!(e.0, DC, "{} is a DC element", e.1);
    }
    assert_eq!(dc_values(&els, "title"), [TITLE]);
    assert_eq!(
        els.iter()
            .find(|e| e.1 == "title")
            .and_then(|e| e.2.as_deref()),
        Some("ka")
    );
    assert_eq!(dc_values(&els, "subject"), KEYWORDS);
    assert_eq!(
        dc_values(&els, "description"),
        [b.book
            .config
            .book
            .description
            .as_deref()
            .expect("description")]
    );
    assert_eq!(dc_values(&els, "type"), ["Text"]);
    assert_eq!(
        dc_values(&els, "format"),
        ["application/epub+zip", "application/pdf"]
    );
    assert_eq!(
        dc_values(&els, "identifier"),
        [b.book.config.book.identifier.as_str()]
    );
    assert_eq!(dc_values(&els, "language"), ["ka"]);
    for absent in ["creator", "publisher", "date", "rights"] {
        assert!(
            dc_values(&els, absent).is_empty(),
            "{absent} must be absent"
        );
    }
}

#[test]
fn dublin_core_escapes_and_fills_given_fields() {
    let book = synthetic(FULL);
    let (_, els) = parse_dc(&record(&catalog::records(&book, &[], None), ".dc.xml"));
    assert_eq!(
        dc_values(&els, "title"),
        [format!(
            "{}: {}",
            book.config.book.title,
            book.config.book.subtitle.as_deref().expect("subtitle")
        )
        .as_str()]
    );
    assert_eq!(
        dc_values(&els, "creator"),
        ["ბერიძე, ნინო", "Snow, C. P.", "Jill, Jack and"]
    );
    assert_eq!(dc_values(&els, "date"), ["2024-05-07"]);
    assert_eq!(dc_values(&els, "rights"), ["CC BY 4.0"]);
    assert_eq!(
        dc_values(&els, "identifier"),
        [
            "urn:uuid:00000000-0000-4000-8000-000000000001",
            "urn:isbn:9780306406157"
        ]
    );
    assert!(dc_values(&els, "format").is_empty(), "no files, no formats");
}

// ---------------------------------------------------------------------------
// CSL-JSON, BibTeX, RIS
// ---------------------------------------------------------------------------

#[test]
fn csl_json_item() {
    let b = built();
    let json: Value = serde_json::from_str(&read(".csl.json")).expect("valid JSON");
    let items = json.as_array().expect("CSL-JSON is an array");
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], "chinet-sabchota");
    assert_eq!(item["type"], "book");
    assert_eq!(item["title"], TITLE);
    assert_eq!(item["language"], "ka");
    assert_eq!(
        item["abstract"].as_str(),
        b.book.config.book.description.as_deref()
    );
    assert_eq!(item["keyword"], KEYWORDS.join(", "));
    assert_eq!(item["number-of-pages"], b.pages);
    for absent in ["author", "issued", "publisher", "ISBN"] {
        assert!(item.get(absent).is_none(), "{absent} must be absent");
    }

    let full: Value = serde_json::from_str(&record(
        &catalog::records(&synthetic(FULL), &[], None),
        ".json",
    ))
    .expect("valid JSON");
    let item = &full[0];
    assert_eq!(
        item["author"],
        serde_json::json!([
            {"family": "ბერიძე", "given": "ნინო"},
            {"family": "Snow", "given": "C. P."},
            {"family": "Jill", "given": "Jack and"}
        ])
    );
    assert_eq!(
        item["issued"],
        serde_json::json!({"date-parts": [[2024, 5, 7]]})
    );
    assert_eq!(item["ISBN"], "978-0-306-40615-7");
    assert_eq!(item["publisher"], "თბილისის უნივერსიტეტის გამომცემლობა");
    assert!(item.get("number-of-pages").is_none());
}

#[test]
fn bibtex_is_read_by_biblatex() {
    let b = built();
    let src = read(".bib");
    let bib = Bibliography::parse(&src).unwrap_or_else(|e| panic!("{e:?}\n{src}"));
    assert_eq!(bib.len(), 1);
    let entry = bib.get("chinet-sabchota").expect("entry under the slug");
    assert_eq!(entry.entry_type.to_string(), "book");
    let field = |name: &str| entry.get(name).map(|c| c.format_verbatim());
    assert_eq!(field("title").as_deref(), Some(TITLE));
    assert_eq!(field("language").as_deref(), Some("georgian"));
    assert_eq!(
        field("abstract").as_deref(),
        b.book.config.book.description.as_deref()
    );
    assert_eq!(field("keywords"), Some(KEYWORDS.join(", ")));
    assert_eq!(field("pagetotal"), Some(b.pages.to_string()));
    for absent in ["author", "year", "date", "publisher", "isbn"] {
        assert!(entry.get(absent).is_none(), "{absent} must be absent");
    }
}

#[test]
fn bibtex_escapes_tex_specials() {
    let book = synthetic(FULL);
    let src = record(&catalog::records(&book, &[], Some(7)), ".bib");
    let bib = Bibliography::parse(&src).unwrap_or_else(|e| panic!("{e:?}\n{src}"));
    let entry = bib.get("full").expect("entry");
    let field = |name: &str| entry.get(name).map(|c| c.format_verbatim());
    assert_eq!(
        field("title").as_deref(),
        Some(book.config.book.title.as_str())
    );
    assert_eq!(
        field("subtitle").as_deref(),
        book.config.book.subtitle.as_deref()
    );
    // Braces stay balanced for BibTeX itself, which counts escaped ones too.
    let opens = src.matches('{').count();
    assert_eq!(opens, src.matches('}').count(), "{src}");
    assert!(!src.contains("\\{") && !src.contains("\\}"), "{src}");
    let authors = entry.author().expect("authors");
    let names: Vec<(String, String)> = authors
        .iter()
        .map(|p| (p.name.clone(), p.given_name.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("ბერიძე".to_string(), "ნინო".to_string()),
            ("Snow".to_string(), "C. P.".to_string()),
            ("Jill".to_string(), "Jack and".to_string()),
        ]
    );
    // As biblatex splits the list: at top-level commas, braced groups kept whole.
    let mut keywords = vec![String::new()];
    for chunk in entry.get("keywords").expect("keywords") {
        match &chunk.v {
            Chunk::Normal(text) => {
                let mut parts = text.split(',');
                if let Some(first) = parts.next() {
                    keywords.last_mut().expect("one").push_str(first);
                }
                keywords.extend(parts.map(str::to_string));
            }
            other => keywords.last_mut().expect("one").push_str(other.get()),
        }
    }
    let keywords: Vec<&str> = keywords.iter().map(|k| k.trim()).collect();
    assert_eq!(keywords, ["ერთი", "ორი, სამი"]);
    assert_eq!(field("isbn").as_deref(), Some("978-0-306-40615-7"));
    assert_eq!(field("date").as_deref(), Some("2024-05-07"));
    assert_eq!(field("year").as_deref(), Some("2024"));
    assert_eq!(field("pagetotal").as_deref(), Some("7"));
    assert_eq!(
        field("publisher").as_deref(),
        Some("თბილისის უნივერსიტეტის გამომცემლობა")
    );
}

fn ris_lines(text: &str) -> Vec<(&str, &str)> {
    assert!(text.ends_with("ER  - \r\n"), "{text:?}");
    text.split_terminator("\r\n")
        .map(|l| {
            assert!(!l.contains('\n'), "bare LF in {l:?}");
            assert_eq!(l.get(2..6), Some("  - "), "RIS line {l:?}");
            assert!(l[..2].bytes().all(|c| c.is_ascii_alphanumeric()), "{l:?}");
            (&l[..2], &l[6..])
        })
        .collect()
}

#[test]
fn ris_record() {
    let b = built();
    let text = read(".ris");
    let lines = ris_lines(&text);
    assert_eq!(lines.first(), Some(&("TY", "BOOK")));
    assert_eq!(lines.last(), Some(&("ER", "")));
    let get = |tag: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|(t, _)| *t == tag)
            .map(|(_, v)| *v)
            .collect()
    };
    assert_eq!(get("TI"), [TITLE]);
    assert_eq!(get("LA"), ["ka"]);
    assert_eq!(
        get("AB"),
        [b.book.config.book.description.as_deref().expect("abstract")]
    );
    assert_eq!(get("KW"), KEYWORDS);
    assert_eq!(get("SP"), [b.pages.to_string().as_str()]);
    for absent in ["AU", "PB", "PY", "DA", "SN"] {
        assert!(get(absent).is_empty(), "{absent} must be absent");
    }

    let full = record(&catalog::records(&synthetic(FULL), &[], None), ".ris");
    let lines = ris_lines(&full);
    let tags: Vec<&str> = lines.iter().map(|(t, _)| *t).collect();
    assert_eq!(
        tags,
        [
            "TY", "TI", "AU", "AU", "AU", "PY", "DA", "PB", "CR", "SN", "LA", "AB", "KW", "KW",
            "ER"
        ]
    );
    assert!(lines.contains(&("DA", "2024/05/07")));
    assert!(lines.contains(&("AB", "აბსტრაქტი ორ სტრიქონზე.")));
}

// ---------------------------------------------------------------------------
// Determinism and writing
// ---------------------------------------------------------------------------

#[test]
fn records_are_byte_identical_across_runs() {
    let b = built();
    let first = catalog::records(&b.book, &b.files, Some(b.pages));
    let second = catalog::records(&b.book, &b.files, Some(b.pages));
    assert_eq!(first, second);
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "chinet-sabchota.marc.xml",
            "chinet-sabchota.dc.xml",
            "chinet-sabchota.csl.json",
            "chinet-sabchota.bib",
            "chinet-sabchota.ris"
        ]
    );
    // What the build put on disk is exactly what `records` gives.
    for (name, bytes) in &first {
        let on_disk = std::fs::read(b.dir.join(name)).expect("written record");
        assert_eq!(&on_disk, bytes, "{name}");
    }
    // Nothing half-written is left beside them.
    for entry in std::fs::read_dir(&b.dir).expect("dir") {
        let name = entry.expect("entry").file_name();
        assert!(
            !name.to_string_lossy().ends_with(".part"),
            "leftover {name:?}"
        );
    }
}

#[test]
fn describe_hashes_the_file() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalog-describe");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("x.epub");
    std::fs::write(&path, b"abc").expect("write");
    let f = catalog::describe(&path).expect("describe");
    assert_eq!(f.name, "x.epub");
    assert_eq!(f.media_type, "application/epub+zip");
    assert_eq!(f.bytes, 3);
    // FIPS 180-2 test vector.
    assert_eq!(
        f.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(catalog::describe_bytes("x.epub", b"abc"), f);
    assert!(catalog::describe(&dir.join("missing.pdf")).is_err());
}

/// `tsigni all -o DIR/NAME`: the EPUB as NAME.epub, the PDF and the records
/// beside it; the records' digests are those of the files on disk, and the
/// EPUB is the one `tsigni epub` builds (its page list comes from the same
/// layout as the PDF).
#[test]
fn all_writes_both_books_and_records_that_match_them() {
    let manuscript = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str], out: &Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_tsigni"))
            .args(args)
            .arg("--manuscript")
            .arg(&manuscript)
            .arg("--output")
            .arg(out)
            .output()
            .expect("run tsigni");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run(&["all"], &dir.path().join("mybook"));
    let epub = dir.path().join("mybook.epub");
    let pdf = dir.path().join("mybook.pdf");
    // `mybook/` is the web edition's directory; no book lacks its extension.
    assert!(
        !dir.path().join("mybook").is_file(),
        "EPUB without its extension"
    );
    assert!(
        dir.path().join("mybook/index.html").is_file(),
        "no web edition"
    );
    let marc = std::fs::read_to_string(dir.path().join("mybook.marc.xml")).expect("MARC");
    for f in [&epub, &pdf] {
        let d = catalog::describe(f).expect("the book was written");
        assert!(
            marc.contains(&d.sha256),
            "MARC lacks the digest of {}",
            d.name
        );
        assert!(marc.contains(&d.name), "MARC lacks {}", d.name);
    }
    let alone = dir.path().join("alone.epub");
    run(&["epub"], &alone);
    assert!(
        std::fs::read(&alone).unwrap() == std::fs::read(&epub).unwrap(),
        "`all` and `epub` built different EPUBs"
    );
}
