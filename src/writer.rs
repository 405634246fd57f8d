//! The writers behind one trait, and the one place that runs them: each
//! takes the prepared book (and, if it marks the print pages, where the PDF's
//! pages begin) and nothing of another writer.
//!
//! Page places are the one thing a writer gets from another stage's work: the
//! print layout computes them, and [`render_all`] hands them over. When the
//! PDF itself is built in the same run, its thread lays the book out once and
//! passes the places on before it draws, so the writers that need them run
//! beside the drawing instead of laying the book out again.

use crate::diagnostics::Diagnostics;
use crate::error::Error;
use crate::model::PagePlace;
use crate::prepare::Prepared;
use crate::Format;
use std::path::PathBuf;
use std::sync::mpsc;

/// Files by their path inside a directory.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// What a writer makes: one file, or the files of a directory by their
/// path inside it.
#[derive(Debug)]
pub enum Output {
    File(Vec<u8>),
    Directory(Files),
}

/// A rendered output in memory, with the page count of a PDF.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    pub pages: Option<usize>,
}

impl Rendered {
    fn file(bytes: Vec<u8>, pages: Option<usize>) -> Rendered {
        Rendered {
            output: Output::File(bytes),
            pages,
        }
    }

    /// The bytes of a one-file output (empty for a directory).
    pub fn bytes(&self) -> &[u8] {
        match &self.output {
            Output::File(b) => b,
            Output::Directory(_) => &[],
        }
    }

    /// The files of a directory output (none for a one-file output).
    pub fn files(&self) -> &[(PathBuf, Vec<u8>)] {
        match &self.output {
            Output::File(_) => &[],
            Output::Directory(f) => f,
        }
    }

    /// All the bytes the output holds.
    pub fn size(&self) -> u64 {
        match &self.output {
            Output::File(b) => b.len() as u64,
            Output::Directory(f) => f.iter().map(|(_, b)| b.len() as u64).sum(),
        }
    }
}

/// What a writer may know of the run beside the book.
#[derive(Debug, Default, Clone, Copy)]
pub struct Context<'a> {
    /// Where the print edition's body pages begin; empty unless the writer
    /// said it [needs them](Writer::needs_page_places).
    pub places: &'a [PagePlace],
    /// The PDF's address from the web edition, when it is built beside it.
    pub pdf_address: Option<&'a str>,
}

/// One output format.
pub trait Writer: Sync {
    /// Whether the output marks where the print edition's pages begin, and
    /// so needs the page places of the print layout.
    fn needs_page_places(&self, _book: &Prepared) -> bool {
        false
    }

    /// Renders the book in memory.
    fn render(&self, book: &Prepared, cx: &Context) -> Result<Rendered, Error>;
}

/// The EPUB 3 writer (`crate::epub`).
pub struct Epub;
/// The PDF writer (`crate::pdf`).
pub struct Pdf;
/// The web edition's writer (`crate::web`).
pub struct Web;

impl Writer for Epub {
    fn needs_page_places(&self, book: &Prepared) -> bool {
        book.book.config.epub.page_list
    }

    fn render(&self, book: &Prepared, cx: &Context) -> Result<Rendered, Error> {
        crate::epub::write_with_pages(book, cx.places).map(|b| Rendered::file(b, None))
    }
}

impl Writer for Pdf {
    fn render(&self, book: &Prepared, _cx: &Context) -> Result<Rendered, Error> {
        crate::pdf::render_with_images(&book.book, &book.fonts, &book.cover, &book.images)
            .map(|o| Rendered::file(o.bytes, Some(o.pages)))
            .map_err(|d| manuscript_error(book, d))
    }
}

impl Writer for Web {
    /// A reader of the web edition cites the print pages too.
    fn needs_page_places(&self, _book: &Prepared) -> bool {
        true
    }

    fn render(&self, book: &Prepared, cx: &Context) -> Result<Rendered, Error> {
        let files = crate::web::write(book, cx.places, cx.pdf_address)?;
        Ok(Rendered {
            output: Output::Directory(files),
            pages: None,
        })
    }
}

impl Format {
    /// The writer of this format.
    pub fn writer(self) -> &'static dyn Writer {
        match self {
            Format::Epub => &Epub,
            Format::Pdf => &Pdf,
            Format::Html => &Web,
        }
    }
}

/// Renders one format in memory, laying the book out first when the format
/// marks the print pages.
pub fn render(book: &Prepared, format: Format) -> Result<Rendered, Error> {
    let w = format.writer();
    let places = if w.needs_page_places(book) {
        print_places(book)?
    } else {
        Vec::new()
    };
    w.render(
        book,
        &Context {
            places: &places,
            pdf_address: None,
        },
    )
}

/// Where the print edition's body pages begin, from the print layout alone.
fn print_places(book: &Prepared) -> Result<Vec<PagePlace>, Error> {
    crate::pdf::page_places(&book.book, &book.fonts, &book.cover, &book.images)
        .map_err(|d| manuscript_error(book, d))
}

/// Renders several formats at once, each on its own thread, results in the
/// order asked. The print layout is made once for all the writers that need
/// its page places.
pub fn render_all(
    book: &Prepared,
    formats: &[Format],
    pdf_address: Option<&str>,
) -> Vec<Result<Rendered, Error>> {
    let needing: Vec<bool> = formats
        .iter()
        .map(|f| f.writer().needs_page_places(book))
        .collect();
    if !needing.contains(&true) {
        return in_parallel(
            formats,
            |&f| {
                f.writer().render(
                    book,
                    &Context {
                        places: &[],
                        pdf_address,
                    },
                )
            },
            |_| Err(panicked()),
        );
    }
    let Some(pdf_at) = formats.iter().position(|&f| f == Format::Pdf) else {
        return match crate::pdf::page_places(&book.book, &book.fonts, &book.cover, &book.images) {
            Ok(places) => in_parallel(
                formats,
                |&f| {
                    f.writer().render(
                        book,
                        &Context {
                            places: &places,
                            pdf_address,
                        },
                    )
                },
                |_| Err(panicked()),
            ),
            Err(d) => formats
                .iter()
                .map(|_| Err(manuscript_error(book, d.clone())))
                .collect(),
        };
    };
    render_beside_pdf(book, formats, &needing, pdf_at, pdf_address)
}

/// [`render_all`] with the PDF among the formats: its thread lays the book
/// out and sends the page places to every writer that waits for them.
fn render_beside_pdf(
    book: &Prepared,
    formats: &[Format],
    needing: &[bool],
    pdf_at: usize,
    pdf_address: Option<&str>,
) -> Vec<Result<Rendered, Error>> {
    type Places = Result<Vec<PagePlace>, Diagnostics>;
    std::thread::scope(|s| {
        let mut senders: Vec<mpsc::SyncSender<Places>> = Vec::new();
        let handles: Vec<_> = formats
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != pdf_at)
            .map(|(i, &f)| {
                let rx = needing[i].then(|| {
                    let (tx, rx) = mpsc::sync_channel::<Places>(1);
                    senders.push(tx);
                    rx
                });
                let h = s.spawn(move || match rx.map(|rx| rx.recv()) {
                    None => f.writer().render(
                        book,
                        &Context {
                            places: &[],
                            pdf_address,
                        },
                    ),
                    Some(Ok(Ok(places))) => f.writer().render(
                        book,
                        &Context {
                            places: &places,
                            pdf_address,
                        },
                    ),
                    Some(Ok(Err(d))) => Err(manuscript_error(book, d)),
                    Some(Err(_)) => Err(panicked()),
                });
                (i, h)
            })
            .collect();
        let pdf = crate::pdf::render_sharing_places(
            &book.book,
            &book.fonts,
            &book.cover,
            &book.images,
            move |places| {
                for tx in senders {
                    // A receiver is gone only if its thread panicked; that
                    // is reported when it is joined.
                    let _ = tx.send(places.clone());
                }
            },
        )
        .map(|o| Rendered::file(o.bytes, Some(o.pages)))
        .map_err(|d| manuscript_error(book, d));
        let mut out: Vec<Option<Result<Rendered, Error>>> = formats.iter().map(|_| None).collect();
        out[pdf_at] = Some(pdf);
        for (i, h) in handles {
            out[i] = Some(h.join().unwrap_or_else(|_| Err(panicked())));
        }
        out.into_iter()
            .map(|r| r.unwrap_or_else(|| Err(panicked())))
            .collect()
    })
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

/// The writers' diagnostics as the build's error, with the sources to show them.
pub(crate) fn manuscript_error(book: &Prepared, diagnostics: Diagnostics) -> Error {
    Error::Manuscript {
        diagnostics,
        sources: book.book.sources.clone(),
    }
}

fn panicked() -> Error {
    Error::Write {
        path: std::path::PathBuf::from("(render)"),
        source: std::io::Error::other("a writer panicked"),
    }
}
