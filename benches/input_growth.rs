//! How reading time grows with the size of each kind of input: references
//! (hayagriva YAML and BibLaTeX) and Markdown, each at 1×, 10× and 100×.
//! Linear growth shows as times ten apart; the quadratic steps found in
//! hayagriva's duplicate-key check (YAML) and biblatex's chunk merging were
//! 60,000 references in 21 s and 100,000 nested braces in minutes.
//!
//! `cargo bench --bench input_growth` prints one time per kind and size;
//! the ratio between neighbouring sizes is the figure to watch (about 10).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::Path;
use std::time::Duration;
use tsigni::vfs::MemFs;

const STYLE: &str = include_str!("../manuscript/style.csl");
const LOCALE: &str = include_str!("../manuscript/locale-ka.xml");
const SIZES: [usize; 3] = [1, 10, 100];

fn toml(references: &str) -> String {
    format!(
        "[book]\ntitle = \"ზრდა\"\nlanguage = \"ka\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-0000000000bb\"\nchapters = [\"ch.md\"]\n[bibliography]\nreferences = \"{references}\"\nlocales = [\"locale-ka.xml\"]\n"
    )
}

/// `n` hundred references in `name`'s format, two of them cited.
fn references(name: &str, n: usize) -> MemFs {
    let mut text = String::new();
    for i in 0..n * 600 {
        if name.ends_with(".bib") {
            text.push_str(&format!(
                "@book{{k{i}, title={{{{The}} Title {i}}}, author={{Snow, Edgar}}, date={{1961}}}}\n"
            ));
        } else {
            text.push_str(&format!(
                "k{i}:\n  type: book\n  title: The Title {i}\n  author: Snow, Edgar\n  date: 1961\n"
            ));
        }
    }
    let mut fs = MemFs::new();
    fs.insert("m/book.toml", toml(name));
    fs.insert("m/ch.md", "# სათაური\n\nტექსტი [@k1; @k5].\n");
    fs.insert(format!("m/{name}"), text);
    fs.insert("m/style.csl", STYLE);
    fs.insert("m/locale-ka.xml", LOCALE);
    fs
}

/// A chapter of `n` × 20 KB: paragraphs with emphasis, links, notes and
/// lists, the things a reader nests.
fn markdown(n: usize) -> MemFs {
    let mut md = String::from("# სათაური\n\n");
    for i in 0..n * 40 {
        md.push_str(&format!(
            "ჩინეთ-საბჭოთა *ურთიერთობები **1950-1980** წლებში* [ბმული](https://example.org/{i}) ტექსტი.[^n{i}]\n\n- ერთი *ორი*\n- სამი\n\n> ციტატა [[ფრჩხილები]] ტექსტი.\n\n[^n{i}]: შენიშვნა {i}.\n\n"
        ));
    }
    let mut fs = MemFs::new();
    let toml = toml("unused.yaml");
    fs.insert(
        "m/book.toml",
        toml.split("[bibliography]").next().unwrap_or_default(),
    );
    fs.insert("m/ch.md", md);
    fs
}

fn load(fs: &MemFs) {
    if let Err(e) = tsigni::load_with(fs, Path::new("m")) {
        panic!("does not load: {e}");
    }
}

fn growth(c: &mut Criterion) {
    let mut group = c.benchmark_group("growth");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200));
    for n in SIZES {
        let inputs = [
            ("references_yaml", references("r.yaml", n)),
            ("references_biblatex", references("r.bib", n)),
            ("markdown", markdown(n)),
        ];
        for (kind, fs) in inputs {
            group.bench_with_input(BenchmarkId::new(kind, format!("{n}x")), &fs, |b, fs| {
                b.iter(|| load(fs))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, growth);
criterion_main!(benches);
