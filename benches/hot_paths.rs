//! Benchmarks of tsigni's hot paths on the article in `manuscript/`, read from
//! memory so the disk does not enter the figures:
//!
//! - `read/markdown`: book.toml + the Markdown chapters into the model;
//! - `read/load`: the above plus citations, bibliography, fonts and cover;
//! - `pdf/linebreak_chapter`: shaping and Knuth–Plass line breaking of the
//!   longest chapter into the vertical flow;
//! - `pdf/paginate_chapter`: cutting that flow into pages with its notes;
//! - `pdf/layout`: the whole book into pages (no drawing);
//! - `pdf/render`: the whole PDF, drawing and compression included;
//! - `epub/render`: the whole EPUB, font subsetting and zip included;
//! - `book_x5/epub`, `book_x5/pdf`: the EPUB and PDF of the manuscript repeated five times, so that
//!   work growing faster than the book shows up.
//!
//! `cargo bench` runs them all in about two minutes; `cargo bench -- pdf/`
//! runs one group. Timings for the whole command line, against pandoc and
//! Typst, come from `scripts/bench.sh`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tsigni::diagnostics::{Diagnostics, SourceMap};
use tsigni::pdf::ChapterFlow;
use tsigni::vfs::MemFs;
use tsigni::{Format, Loaded};

const BOOK: &str = "/bench/manuscript";

/// The manuscript and its cover in memory, the chapters repeated `times`
/// times (each under a new name, listed in order in book.toml).
fn manuscript(times: usize) -> MemFs {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fs = MemFs::new();
    let dir = root.join("manuscript");
    let toml = std::fs::read_to_string(dir.join("book.toml")).expect("manuscript/book.toml");
    let chapters = chapter_list(&toml);
    for entry in std::fs::read_dir(&dir).expect("manuscript/") {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "book.toml" && !chapters.contains(&name) {
            fs.insert(
                Path::new(BOOK).join(&name),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    let mut listed = Vec::new();
    for r in 1..=times {
        for ch in &chapters {
            let name = if times == 1 {
                ch.clone()
            } else {
                format!("{}-r{r:02}.md", ch.trim_end_matches(".md"))
            };
            fs.insert(
                Path::new(BOOK).join(&name),
                std::fs::read(dir.join(ch)).unwrap(),
            );
            listed.push(format!("{name:?}"));
        }
    }
    let toml = replace_chapters(&toml, &listed.join(", "));
    fs.insert(Path::new(BOOK).join("book.toml"), toml);
    fs
}

fn chapter_list(toml: &str) -> Vec<String> {
    let start = toml.find("chapters").expect("book.toml lists chapters");
    let open = start + toml[start..].find('[').unwrap();
    let close = open + toml[open..].find(']').unwrap();
    toml[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn replace_chapters(toml: &str, listed: &str) -> String {
    let start = toml.find("chapters").unwrap();
    let open = start + toml[start..].find('[').unwrap();
    let close = open + toml[open..].find(']').unwrap();
    format!("{}[{listed}]{}", &toml[..open], &toml[close + 1..])
}

fn load(fs: &MemFs) -> Loaded {
    match tsigni::load_with(fs, Path::new(BOOK)) {
        Ok(l) => l,
        Err(e) => panic!("the bench manuscript does not load: {e}"),
    }
}

fn read(c: &mut Criterion) {
    let fs = manuscript(1);
    let dir = PathBuf::from(BOOK);
    let mut g = c.benchmark_group("read");
    g.bench_function("markdown", |b| {
        b.iter(|| {
            let mut sources = SourceMap::default();
            let mut diags = Diagnostics::default();
            let book = tsigni::manuscript::read(&fs, &dir, &mut sources, &mut diags);
            black_box(book.expect("the manuscript reads"))
        })
    });
    g.bench_function("load", |b| b.iter(|| black_box(load(&fs))));
    g.finish();
}

fn pdf(c: &mut Criterion) {
    let fs = manuscript(1);
    let loaded = load(&fs);
    let book = &loaded.book;
    // The longest chapter, by its Markdown's size.
    let chapter = book
        .chapters
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| c.blocks.len())
        .map(|(k, _)| k)
        .expect("the book has chapters");

    let mut g = c.benchmark_group("pdf");
    g.bench_function("linebreak_chapter", |b| {
        b.iter(|| {
            let items = tsigni::pdf::set_chapter(book, &loaded.fonts, &loaded.images, chapter);
            black_box(items.expect("the [pdf] settings are valid"))
        })
    });

    let mut flow = ChapterFlow::set(book, &loaded.fonts, &loaded.images, chapter)
        .expect("the [pdf] settings are valid");
    let pages = flow.paginate();
    assert!(
        flow.items() > 100 && pages > 5,
        "the longest chapter should fill pages: {} items, {pages} pages",
        flow.items()
    );
    g.bench_function("paginate_chapter", |b| {
        b.iter(|| black_box(flow.paginate()))
    });

    g.bench_function("layout", |b| {
        b.iter(|| {
            let laid = tsigni::pdf::layout(book, &loaded.fonts, &loaded.cover);
            black_box(laid.map(|l| l.pages().len()).unwrap_or(0))
        })
    });
    g.bench_function("render", |b| {
        b.iter(|| black_box(tsigni::render(&loaded, Format::Pdf).is_ok()))
    });
    g.finish();
}

fn epub(c: &mut Criterion) {
    let fs = manuscript(1);
    let loaded = load(&fs);
    let mut g = c.benchmark_group("epub");
    g.bench_function("render", |b| {
        b.iter(|| black_box(tsigni::render(&loaded, Format::Epub).is_ok()))
    });
    g.finish();
}

fn five_times(c: &mut Criterion) {
    let fs = manuscript(5);
    let loaded = load(&fs);
    let mut g = c.benchmark_group("book_x5");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("epub", |b| {
        b.iter(|| black_box(tsigni::render(&loaded, Format::Epub).is_ok()))
    });
    g.bench_function("pdf", |b| {
        b.iter(|| black_box(tsigni::render(&loaded, Format::Pdf).is_ok()))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(15)
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = hot_paths;
    config = config();
    targets = read, pdf, epub, five_times
}
criterion_main!(hot_paths);
