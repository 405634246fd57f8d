//! A manuscript written into a temporary directory for the figure and
//! cross-reference tests: chapters, PNG images of given pixel sizes and the
//! sample manuscript's style and locale, built by the command line.
#![allow(dead_code)]

use super::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Manuscript {
    pub dir: tempfile::TempDir,
}

impl Manuscript {
    /// `chapters` are (file, text); `images` are (file, width, height) in
    /// pixels; `references` the YAML of the cited works (empty: none).
    pub fn new(chapters: &[(&str, &str)], images: &[(&str, u32, u32)], references: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("ms");
        std::fs::create_dir_all(&root).unwrap();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
        for f in ["style.csl", "locale-ka.xml"] {
            std::fs::copy(sample.join(f), root.join(f)).unwrap();
        }
        let names: Vec<String> = chapters.iter().map(|(f, _)| format!("{f:?}")).collect();
        let toml = format!(
            "[book]\ntitle = \"ნახატები\"\nlanguage = \"ka\"\n\
             identifier = \"urn:uuid:00000000-0000-4000-8000-00000000f1f0\"\n\
             authors = [\"ტესტი\"]\ndate = \"2026\"\nrights = \"CC0\"\n\
             publisher = \"tsigni tests\"\ndescription = \"Figures.\"\n\
             chapters = [{}]\n\n[bibliography]\nreferences = \"references.yaml\"\n\
             style = \"style.csl\"\nlocales = [\"locale-ka.xml\"]\n",
            names.join(", ")
        );
        std::fs::write(root.join("book.toml"), toml).unwrap();
        for (f, text) in chapters {
            std::fs::write(root.join(f), text).unwrap();
        }
        std::fs::write(root.join("references.yaml"), references).unwrap();
        for (f, w, h) in images {
            let img = image::RgbImage::from_fn(*w, *h, |x, y| {
                image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
            });
            let mut png = Vec::new();
            image::DynamicImage::ImageRgb8(img)
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .unwrap();
            std::fs::write(root.join(f), png).unwrap();
        }
        Manuscript { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("ms")
    }

    /// `tsigni all` into `out/book` (EPUB, PDF, records, web edition).
    pub fn build(&self) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tsigni"))
            .arg("all")
            .arg("--manuscript")
            .arg(self.root())
            .arg("--output")
            .arg(self.out().join("book"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run tsigni")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn pdf(&self) -> PathBuf {
        self.out().join("book.pdf")
    }

    pub fn epub(&self) -> PathBuf {
        self.out().join("book.epub")
    }

    /// A file of the EPUB, as text.
    pub fn epub_file(&self, name: &str) -> String {
        use std::io::Read;
        let f = std::fs::File::open(self.epub()).expect("epub");
        let mut zip = zip::ZipArchive::new(f).expect("zip");
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the EPUB"))
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    /// A page of the web edition, as text.
    pub fn web_file(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join("book").join(name)).expect("web page")
    }
}

/// Builds and asserts success, printing the diagnostics otherwise.
pub fn built(m: &Manuscript) -> String {
    let out = m.build();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "tsigni all failed:\n{stderr}");
    stderr
}

/// A PDF's objects as `qpdf --json` gives them (`None`: qpdf missing).
pub struct PdfObjects {
    pub objects: serde_json::Map<String, serde_json::Value>,
}

impl PdfObjects {
    pub fn read(path: &Path) -> Option<PdfObjects> {
        let qpdf = common::require_tool("qpdf")?;
        let out = Command::new(qpdf)
            .args(["--json=2", "--json-key=qpdf"])
            .arg(path)
            .output()
            .expect("qpdf runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf json");
        let objects = json["qpdf"][1].as_object().expect("objects").clone();
        Some(PdfObjects { objects })
    }

    /// The value of an object by reference (`12 0 R`); a stream's dictionary.
    pub fn get(&self, r: &serde_json::Value) -> &serde_json::Value {
        let o = &self.objects[&format!("obj:{}", r.as_str().unwrap_or(""))];
        if o.get("stream").is_some() {
            &o["stream"]["dict"]
        } else {
            &o["value"]
        }
    }

    /// Structure elements of role `role` (`Figure`), by reference.
    pub fn elements(&self, role: &str) -> Vec<(String, &serde_json::Value)> {
        let s = format!("/{role}");
        self.objects
            .iter()
            .filter(|(_, o)| o["value"]["/Type"] == "/StructElem" && o["value"]["/S"] == s)
            .map(|(k, o)| (k.trim_start_matches("obj:").to_string(), &o["value"]))
            .collect()
    }

    /// The page objects in order (a flat page tree, as tsigni writes it).
    pub fn pages(&self) -> Vec<String> {
        let catalog = self
            .objects
            .values()
            .map(|o| &o["value"])
            .find(|v| v["/Type"] == "/Catalog")
            .expect("a catalog");
        let tree = self.get(&catalog["/Pages"]);
        tree["/Kids"]
            .as_array()
            .expect("kids")
            .iter()
            .map(|k| k.as_str().unwrap_or("").to_string())
            .collect()
    }

    /// Every link annotation: (0-based page it is on, 0-based page its
    /// destination is on, its description).
    pub fn links(&self) -> Vec<(usize, usize, String)> {
        let pages = self.pages();
        let index =
            |r: &serde_json::Value| pages.iter().position(|p| Some(p.as_str()) == r.as_str());
        let mut out = Vec::new();
        for (i, p) in pages.iter().enumerate() {
            let page = self.get(&serde_json::Value::String(p.clone()));
            let Some(annots) = page["/Annots"].as_array() else {
                continue;
            };
            for a in annots {
                let a = self.get(a);
                if a["/Subtype"] != "/Link" {
                    continue;
                }
                let dest = match &a["/Dest"] {
                    serde_json::Value::String(_) => self.get(&a["/Dest"]).clone(),
                    other => other.clone(),
                };
                if let Some(to) = dest.get(0).and_then(&index) {
                    let contents = a["/Contents"]
                        .as_str()
                        .unwrap_or("")
                        .trim_start_matches("u:");
                    out.push((i, to, contents.to_string()));
                }
            }
        }
        out
    }
}
