//! tsigni: a Georgian scholarly manuscript in, a reflowable EPUB 3 and a typeset
//! PDF out. The reader builds one [`model::Book`]; the writers consume it.

pub mod bibliography;
pub mod catalog;
pub mod config;
pub mod cover;
pub mod diagnostics;
pub mod epub;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod html;
pub mod hyphenate;
pub mod locale;
pub mod manuscript;
pub mod model;
pub mod output;
pub mod pdf;
pub mod resolve;
pub mod timestamp;
pub mod vfs;
pub mod web;

use diagnostics::{Diagnostics, SourceMap};
use std::path::{Path, PathBuf};

/// Why a build produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The manuscript has problems; the diagnostics say which and where.
    #[error("{}", diagnostics.summary())]
    Manuscript {
        diagnostics: Diagnostics,
        sources: SourceMap,
    },
    /// The output could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A book read, resolved and checked, ready for either writer.
pub struct Loaded {
    pub book: model::Book,
    pub fonts: fonts::FontSet,
    pub cover: cover::Cover,
    /// Warnings found on the way (errors end the build instead).
    pub warnings: Diagnostics,
    pub manuscript_dir: PathBuf,
    /// Images the chapters show, by their manuscript path, read once here.
    pub images: Vec<(String, Vec<u8>)>,
}

/// Reads the manuscript in `dir` into a resolved book, or every problem found.
pub fn load(dir: &Path) -> Result<Loaded, Error> {
    load_with(&vfs::RealFs, dir)
}

/// [`load`] from any file source: the disk, or memory.
pub fn load_with(fs: &dyn vfs::Fs, dir: &Path) -> Result<Loaded, Error> {
    let mut diags = Diagnostics::default();
    let mut sources = SourceMap::default();
    let fail = |diagnostics: Diagnostics, sources: SourceMap| Error::Manuscript {
        diagnostics,
        sources,
    };

    let read = manuscript::read(fs, dir, &mut sources, &mut diags);
    let Some(mut book) = read else {
        diags.sort();
        return Err(fail(diags, sources));
    };
    // Decoding a cover image costs as much as the rest of loading: it runs
    // beside the fonts and the citations.
    let named_cover = book.config.book.cover.clone();
    let (fonts, cover) = std::thread::scope(|s| {
        let decoding = named_cover
            .as_deref()
            .map(|rel| (rel, s.spawn(move || cover::read_file(fs, &dir.join(rel)))));
        let fonts = match fonts::FontSet::load(fs, &book.config.fonts, dir) {
            Ok(f) => Some(f),
            Err(mut d) => {
                point_at_font_entries(&mut d, &book, dir);
                diags.extend(d);
                None
            }
        };
        resolve::resolve(fs, &mut book, dir, fonts.as_ref(), &mut diags);
        let cover = match decoding {
            Some((rel, h)) => {
                let read = h
                    .join()
                    .unwrap_or_else(|_| Err("the cover image could not be decoded".into()));
                cover::placed(read, dir, rel, &book.sources, &mut diags)
            }
            None => cover::generated(&book.config, fonts.as_ref(), &mut diags),
        };
        (fonts, cover)
    });
    match (fonts, cover) {
        (Some(fonts), Some(cover)) if !diags.has_errors() => {
            diags.sort();
            let images = read_images(fs, &book, dir);
            Ok(Loaded {
                images,
                book,
                fonts,
                cover,
                warnings: diags,
                manuscript_dir: dir.to_path_buf(),
            })
        }
        _ => {
            diags.sort();
            Err(fail(diags, book.sources))
        }
    }
}

fn read_images(fs: &dyn vfs::Fs, book: &model::Book, dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(blocks: &[model::Block], out: &mut Vec<String>) {
        for b in blocks {
            match b {
                model::Block::Image { path, .. } if !out.contains(path) => out.push(path.clone()),
                model::Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                model::Block::BlockQuote { blocks, .. } => walk(blocks, out),
                _ => {}
            }
        }
    }
    let mut paths = Vec::new();
    for c in &book.chapters {
        walk(&c.blocks, &mut paths);
    }
    paths
        .into_iter()
        .filter_map(|p| fs.read(&dir.join(&p)).ok().map(|d| (p, d)))
        .collect()
}

/// Font errors know the file; show the `book.toml` line that named it too.
fn point_at_font_entries(diags: &mut Diagnostics, book: &model::Book, dir: &Path) {
    let Some(toml_file) = book.sources.find("book.toml") else {
        return;
    };
    let f = &book.config.fonts;
    for d in diags.list.iter_mut().filter(|d| d.span.is_none()) {
        let Some(path) = &d.path else { continue };
        let named = f
            .regular
            .iter()
            .chain(&f.bold)
            .chain(&f.italic)
            .find(|rel| dir.join(rel) == *path);
        if let Some(rel) = named {
            d.span = Some(manuscript::config_value_span(&book.sources, toml_file, rel));
            d.label = Some("font named here".into());
        }
    }
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: u64,
    /// Page count, for a PDF.
    pub pages: Option<usize>,
}

/// Which book to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
        }
    }
}

/// The output file name stem: `[book] slug`, else derived from the identifier.
pub fn slug(book: &model::Book) -> String {
    if let Some(s) = &book.config.book.slug {
        return s.clone();
    }
    let id: String = book
        .config
        .book
        .identifier
        .rsplit(':')
        .next()
        .unwrap_or("book")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if id.is_empty() {
        "book".into()
    } else {
        id
    }
}

/// Default place of an output: `target/book/<slug>.<ext>`.
pub fn default_output(loaded: &Loaded, format: Format) -> PathBuf {
    Path::new("target")
        .join("book")
        .join(format!("{}.{}", slug(&loaded.book), format.extension()))
}

/// Default place of the web edition: the directory `target/book/<slug>/`.
pub fn default_web_output(loaded: &Loaded) -> PathBuf {
    Path::new("target").join("book").join(slug(&loaded.book))
}

/// The web edition in memory, with the print page marks of the PDF's
/// layout; `pdf` is the PDF's address from the edition's directory when
/// the PDF is built beside it.
pub fn render_web(loaded: &Loaded, pdf: Option<&str>) -> Result<web::Files, Error> {
    let places = pdf::page_places(&loaded.book, &loaded.fonts, &loaded.cover, &loaded.images)
        .map_err(|d| manuscript_error(loaded, d))?;
    web::write(loaded, &places, pdf)
}

/// Renders one format and writes it atomically to `path`.
pub fn build(loaded: &Loaded, format: Format, path: &Path) -> Result<Written, Error> {
    let (bytes, pages) = render(loaded, format)?;
    output::write_atomic(path, &bytes)?;
    Ok(Written {
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
        pages,
    })
}

/// A rendered book in memory: its bytes, and the page count of a PDF.
pub type Rendered = (Vec<u8>, Option<usize>);

/// Renders several formats at once, each on its own thread.
pub fn render_all(loaded: &Loaded, formats: &[Format]) -> Vec<Result<Rendered, Error>> {
    let shared = loaded.book.config.epub.page_list
        && formats.contains(&Format::Epub)
        && formats.contains(&Format::Pdf);
    if shared {
        let (epub, pdf) = render_both(loaded);
        let (mut epub, mut pdf) = (Some(epub), Some(pdf));
        return formats
            .iter()
            .map(|&f| {
                let done = match f {
                    Format::Epub => epub.take(),
                    Format::Pdf => pdf.take(),
                };
                // A format asked for twice is rendered again.
                done.unwrap_or_else(|| render(loaded, f))
            })
            .collect();
    }
    in_parallel(formats, |&f| render(loaded, f), |_| Err(panicked()))
}

/// `f` of each item, each on its own thread, in the order given; `panicked`
/// stands in for the result of a thread that panicked.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    panicked: impl Fn(&T) -> R,
) -> Vec<R> {
    if let [one] = items {
        return vec![f(one)];
    }
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = items
            .iter()
            .map(|item| (item, s.spawn(move || f(item))))
            .collect();
        handles
            .into_iter()
            .map(|(item, h)| h.join().unwrap_or_else(|_| panicked(item)))
            .collect()
    })
}

/// The EPUB with its page list and the PDF, from one layout: the PDF's
/// thread lays the book out and passes the page places to the EPUB's thread
/// before it draws, so both writers then run side by side.
fn render_both(loaded: &Loaded) -> (Result<Rendered, Error>, Result<Rendered, Error>) {
    let manuscript_error = |diagnostics| manuscript_error(loaded, diagnostics);
    std::thread::scope(|s| {
        let (tx, rx) =
            std::sync::mpsc::sync_channel::<Result<Vec<model::PagePlace>, Diagnostics>>(1);
        let epub = s.spawn(move || match rx.recv() {
            Ok(Ok(places)) => epub::write_with_pages(loaded, &places).map(|b| (b, None)),
            Ok(Err(diagnostics)) => Err(manuscript_error(diagnostics)),
            Err(_) => Err(panicked()),
        });
        let pdf = pdf::render_sharing_places(
            &loaded.book,
            &loaded.fonts,
            &loaded.cover,
            &loaded.images,
            move |places| {
                // The EPUB's thread may be gone only by panicking; that is
                // reported when it is joined.
                let _ = tx.send(places);
            },
        )
        .map(|o| (o.bytes, Some(o.pages)))
        .map_err(manuscript_error);
        (epub.join().unwrap_or_else(|_| Err(panicked())), pdf)
    })
}

/// The writers' diagnostics as the build's error, with the sources to show them.
fn manuscript_error(loaded: &Loaded, diagnostics: Diagnostics) -> Error {
    Error::Manuscript {
        diagnostics,
        sources: loaded.book.sources.clone(),
    }
}

fn panicked() -> Error {
    Error::Write {
        path: PathBuf::from("(render)"),
        source: std::io::Error::other("a writer panicked"),
    }
}

/// Renders one format in memory: the bytes, and the page count of a PDF.
pub fn render(loaded: &Loaded, format: Format) -> Result<(Vec<u8>, Option<usize>), Error> {
    match format {
        Format::Epub if loaded.book.config.epub.page_list => {
            // The page list needs the print layout, not the drawn PDF.
            let places =
                pdf::page_places(&loaded.book, &loaded.fonts, &loaded.cover, &loaded.images)
                    .map_err(|d| manuscript_error(loaded, d))?;
            epub::write_with_pages(loaded, &places).map(|b| (b, None))
        }
        Format::Epub => epub::write(loaded).map(|b| (b, None)),
        Format::Pdf => {
            pdf::render_with_images(&loaded.book, &loaded.fonts, &loaded.cover, &loaded.images)
                .map(|o| (o.bytes, Some(o.pages)))
                .map_err(|d| manuscript_error(loaded, d))
        }
    }
}
