//! tsigni: a Georgian scholarly manuscript in, a reflowable EPUB 3 and a typeset
//! PDF out. The reader builds one [`model::Book`]; the writers consume it.

pub mod bibliography;
pub mod build;
pub mod catalog;
pub mod config;
pub mod cover;
pub mod crossref;
pub mod diagnostics;
pub mod epub;
pub mod error;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod html;
pub mod hyphenate;
pub mod import;
pub mod isbn;
pub mod locale;
pub mod manuscript;
pub mod model;
pub mod new;
pub mod output;
pub mod pdf;
pub mod prepare;
pub mod resolve;
pub mod source;
pub mod structure;
pub mod timestamp;
pub mod vfs;
pub mod watch;
pub mod web;
pub mod writer;

use diagnostics::{Diagnostic, Diagnostics, SourceMap};
use std::path::{Path, PathBuf};

pub use error::Error;
pub use prepare::Prepared;
/// The prepared book under its first name.
pub type Loaded = Prepared;

/// Reads the manuscript in `dir` into a resolved book, or every problem found.
pub fn load(dir: &Path) -> Result<Loaded, Error> {
    load_with(&vfs::RealFs, dir)
}

/// [`load`] from any file source: the disk, or memory.
pub fn load_with(fs: &dyn vfs::Fs, dir: &Path) -> Result<Loaded, Error> {
    load_allowing(fs, dir, &[])
}

/// [`load_with`], reading files in `allow` too, besides the manuscript
/// directory (the only place a manuscript may otherwise name).
pub fn load_allowing(fs: &dyn vfs::Fs, dir: &Path, allow: &[PathBuf]) -> Result<Loaded, Error> {
    load_searching(fs, dir, allow, &[])
}

/// [`load_allowing`], looking in `font_paths` (directories the person
/// running the build named, so readable) for faces covering characters the
/// book's fonts lack.
pub fn load_searching(
    fs: &dyn vfs::Fs,
    dir: &Path,
    allow: &[PathBuf],
    font_paths: &[PathBuf],
) -> Result<Loaded, Error> {
    let sandbox = vfs::Sandbox::new(fs, dir, allow);
    // Only the font search may read the --font-path directories: naming them
    // lets tsigni look for faces there, not the manuscript name files there.
    let searchable: Vec<PathBuf> = allow.iter().chain(font_paths).cloned().collect();
    let font_sandbox = vfs::Sandbox::new(fs, dir, &searchable);
    let font_fs: &dyn vfs::Fs = &font_sandbox;
    let fs: &dyn vfs::Fs = &sandbox;
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
        let mut fonts = match fonts::FontSet::load(fs, &book.config.fonts, dir) {
            Ok(mut f) => {
                f.search = fonts::search::dirs(&book.config.fonts, dir, font_paths);
                Some(f)
            }
            Err(mut d) => {
                point_at_font_entries(&mut d, &book, dir);
                diags.extend(d);
                None
            }
        };
        resolve::resolve(fs, &mut book, dir, &mut diags);
        if let Some(f) = fonts.as_mut() {
            resolve::check_fonts(font_fs, &book, f, &mut diags);
        }
        point_at_font_entries(&mut diags, &book, dir);
        if let Some(f) = &fonts {
            pdf::check_tables(&book, f, &mut diags);
        }
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
    let images = read_images(fs, &book, dir, &mut diags);
    match (fonts, cover) {
        (Some(fonts), Some(cover)) if !diags.has_errors() => {
            diags.sort();
            Ok(Loaded {
                images,
                book,
                fonts,
                cover,
                warnings: diags,
                manuscript_dir: dir.to_path_buf(),
                inputs: [sandbox.files_read(), font_sandbox.files_read()].concat(),
            })
        }
        _ => {
            diags.sort();
            Err(fail(diags, book.sources))
        }
    }
}

/// The PDF sets notes as lines of text: a picture in a note is shown there
/// by its description only. Said at each such picture, so that print does
/// not lose it silently.
fn note_image(f: &model::Figure) -> Diagnostic {
    Diagnostic::warning(
        "note-image",
        format!(
            "the PDF shows the picture {} in this note by its description only",
            f.path
        ),
    )
    .at(f.span)
    .note("the EPUB and the web edition show it; to have it printed, move it into the text as a figure")
}

/// Reads every image the chapters and notes show, once each. An image is one only if
/// it decodes; one that does not, or lies outside the manuscript, is an
/// error at the Markdown that names it. One that is missing was reported
/// by the reader already.
fn read_images(
    fs: &dyn vfs::Fs,
    book: &model::Book,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    let mut named: Vec<(String, model::Span)> = Vec::new();
    // Chapters and notes: a note may show an image too (only blocks hold
    // pictures, so citations and the bibliography are not walked).
    let chapters = book.chapters.iter().map(|c| (&c.blocks, false));
    let notes = book.notes.iter().map(|n| (&n.blocks, true));
    for (blocks, in_note) in chapters.chain(notes) {
        model::walk::blocks(blocks, &mut |v| {
            if let model::Visit::Block(model::Block::Figure(f)) = v {
                if in_note {
                    diags.push(note_image(f));
                }
                if !named.iter().any(|(p, _)| *p == f.path) {
                    named.push((f.path.clone(), f.span));
                }
            }
        });
    }
    let read = |(path, _): &(String, model::Span)| -> Result<Vec<u8>, String> {
        let data = fs
            .read_limited(&dir.join(path), vfs::Limit::Image.bytes())
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => String::new(),
                _ => format!("image {path} {}", vfs::why(&e)),
            })?;
        // Decoded whole (on a thread per image), so that a truncated picture
        // fails here rather than vanishing from the PDF.
        let (format, _, _) = cover::sniff(&data).map_err(|e| format!("image {path} {e}"))?;
        cover::decode(&data, format).map_err(|e| format!("image {path} cannot be decoded: {e}"))?;
        Ok(data)
    };
    // A few at a time: a thread per image of a long book would hold all
    // their decoded pixels at once.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let results: Vec<_> = named
        .chunks(threads)
        .flat_map(|chunk| {
            in_parallel(chunk, read, |(path, _)| {
                Err(format!("image {path} could not be decoded"))
            })
        })
        .collect();
    let mut images = Vec::new();
    for ((path, span), result) in named.into_iter().zip(results) {
        match result {
            Ok(data) => images.push((path, data)),
            Err(message) if message.is_empty() => {}
            Err(message) => diags.push(
                diagnostics::Diagnostic::error("image-invalid", message)
                    .at(span)
                    .label("image named here"),
            ),
        }
    }
    images
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
            .chain(&f.paths)
            .find(|rel| dir.join(rel) == *path);
        if let Some(rel) = named {
            d.span = Some(manuscript::config_value_span(&book.sources, toml_file, rel));
            d.label = Some("font named here".into());
        }
    }
}

/// Which book to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
    /// The web edition: a directory.
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Epub => "epub",
            Format::Pdf => "pdf",
            Format::Html => "",
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

pub(crate) use writer::in_parallel;
pub use writer::{render, render_all, Output, Rendered};
