//! Drawing the laid-out pages with krilla: pre-shaped glyphs, subset fonts,
//! links, the outline, page labels, metadata, the tag tree, and the
//! conformance level `[pdf] standard` asks for.
//!
//! Conformance is krilla's: it writes what the standard needs (XMP with the
//! `pdfaid` schema, the sRGB output intent, embedded fonts with Unicode
//! maps) and checks what it can; whatever it finds wrong fails the build
//! with a diagnostic instead of writing a file that claims a standard it
//! does not meet.

use super::frame::{Element, GlyphRun, Line, LinkTarget, PageKind};
use super::tags::{Drawn, Tags};
use super::{Images, Layout};
use crate::cover::{Cover, Pixels};
use crate::diagnostics::Diagnostic;
use crate::fonts::FontSet;
use crate::model::{plain_text, Book};
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::configure::{
    Accessibility, Archival, Configuration, ConfigurationBuilder, ValidationError, Validators,
};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::surface::{Location, Surface};
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::collections::HashMap;
use std::num::{NonZeroU32, NonZeroU64};

/// A heading in the outline.
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub id: String,
}

/// What `[pdf] standard` asks for: the PDF/A level, if any. PDF/UA-1 is
/// claimed in every case: the book is tagged whatever its archival level,
/// and krilla checks both standards in one pass.
pub fn configuration(standard: &str) -> Result<Configuration, Box<Diagnostic>> {
    let archival = match standard.trim().to_ascii_lowercase().as_str() {
        "pdf-a-2u" => Some(Archival::A2_U),
        "pdf-a-2b" => Some(Archival::A2_B),
        "pdf-a-3u" => Some(Archival::A3_U),
        "none" => None,
        other => {
            return Err(Box::new(
                Diagnostic::error(
                    "pdf-standard",
                    format!("unknown PDF standard `{other}` in [pdf]"),
                )
                .note(format!(
                    "use one of {}",
                    crate::config::PDF_STANDARDS.join(", ")
                )),
            ))
        }
    };
    let mut builder = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
    if let Some(a) = archival {
        builder = builder.with_archival_validator(a);
    }
    builder.finish().map_err(|e| {
        Box::new(Diagnostic::error(
            "pdf-standard",
            format!("krilla cannot combine the standards of `{standard}`: {e:?}"),
        ))
    })
}

/// Whether the standard is a PDF/A level.
pub fn is_archival(standard: &str) -> bool {
    configuration(standard).is_ok_and(|c| c.validators().archival().is_some())
}

/// The cover, ready to draw; `None` if krilla cannot read it (the loader
/// has already decoded it, so that does not happen in practice). For an
/// archival PDF an image with an alpha channel is flattened onto white.
pub fn cover_image(cover: &Cover, archival: bool) -> Option<Image> {
    if let Some(p) = &cover.pixels {
        let p = if archival { p.flattened() } else { p.clone() };
        return Image::from_custom(p, !archival).ok();
    }
    // The loader knows whether it has alpha: no need to look again.
    decode(&cover.data, archival, Some(cover.has_alpha))
}

/// An image of the manuscript in whichever format it comes. For PDF/A it
/// is never interpolated (PDF/A forbids asking viewers to smooth), and
/// one with an alpha channel is composited onto white: the page is white,
/// so it looks the same, and the file carries no soft mask that a print
/// workflow might handle differently.
/// `alpha` says whether the image has an alpha channel, if known.
fn decode(data: &[u8], archival: bool, alpha: Option<bool>) -> Option<Image> {
    let interpolate = !archival;
    let format = image::guess_format(data).ok()?;
    // Only the header is read to see whether there is alpha; decoding the
    // whole image here would double the work krilla does anyway.
    if archival && alpha.unwrap_or_else(|| has_alpha(data, format)) {
        if let Some(flat) = flatten(data, format) {
            return Image::from_custom(flat, false).ok();
        }
    }
    let bytes: krilla::Data = data.to_vec().into();
    match format {
        image::ImageFormat::Png => Image::from_png(bytes, interpolate),
        image::ImageFormat::Jpeg => Image::from_jpeg(bytes, interpolate),
        image::ImageFormat::Gif => Image::from_gif(bytes, interpolate),
        image::ImageFormat::WebP => Image::from_webp(bytes, interpolate),
        _ => return None,
    }
    .ok()
}

/// Whether the image has an alpha channel, from its header.
fn has_alpha(data: &[u8], format: image::ImageFormat) -> bool {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(data));
    reader.set_format(format);
    reader
        .into_decoder()
        .is_ok_and(|d| image::ImageDecoder::color_type(&d).has_alpha())
}

/// An image with transparency, composited onto white as 8-bit RGB; `None`
/// when it has no alpha channel (it is embedded as is).
fn flatten(data: &[u8], format: image::ImageFormat) -> Option<Pixels> {
    let img = image::load_from_memory_with_format(data, format).ok()?;
    if !img.color().has_alpha() {
        return None;
    }
    let img = image::DynamicImage::ImageRgba8(img.to_rgba8());
    Some(Pixels::from_image(img, data)?.flattened())
}

impl CustomImage for Pixels {
    fn color_channel(&self) -> &[u8] {
        &self.rgb
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        self.alpha.as_deref().map(Vec::as_slice)
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        ImageColorspace::Rgb
    }
}

/// Identifiers krilla handed out while drawing, by key (see [`super::tags`]).
struct Marked {
    texts: Drawn,
    annots: Drawn,
}

impl Marked {
    /// Draws `f` as the content of key `key`, or as an artifact of `kind`
    /// when there is none (or the key is unknown: an identifier that no
    /// element claims would make krilla fail).
    fn draw(
        &mut self,
        surface: &mut Surface,
        key: Option<u32>,
        content: ContentTag,
        kind: ArtifactType,
        f: impl FnOnce(&mut Surface),
    ) {
        match key.filter(|&k| self.texts.knows(k)) {
            Some(k) => {
                let id = surface.start_tagged(content);
                self.texts.push(k, id);
                f(surface);
                surface.end_tagged();
            }
            None => {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
                f(surface);
                surface.end_tagged();
            }
        }
    }
}

/// Draws the book. Each page's elements are dropped once the page is
/// drawn, and the structure once krilla has its tag tree (they are left
/// empty in `laid`): krilla's output grows as the lines go, instead of on
/// top of all of them.
pub fn emit(
    laid: &mut Layout,
    fonts: &FontSet,
    cover_image: Option<Image>,
    book: &Book,
    images: &Images,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let drawn: Vec<Vec<Element>> = laid
        .pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.elements))
        .collect();
    let (pages, geo, outline) = (&laid.pages, &laid.geometry, &laid.outline);
    let configuration = configuration(&book.config.pdf.standard).map_err(|d| vec![*d])?;
    let archival = configuration.validators().archival().is_some();
    // Each image is decoded once, however often it is drawn.
    let mut decoded: Vec<Option<Option<Image>>> = vec![None; images.len()];
    let settings = SerializeSettings {
        enable_tagging: true,
        configuration,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let kfonts: Vec<Option<Font>> = fonts
        .faces()
        .iter()
        .map(|f| Font::new(f.data.clone().into(), 0))
        .collect();
    let (n_texts, n_annots) = laid.tags.key_counts();
    let mut marked = Marked {
        texts: Drawn::new(n_texts),
        annots: Drawn::new(n_annots),
    };

    let mut anchors: HashMap<&str, (usize, f32)> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for a in &p.anchors {
            anchors.entry(a.id.as_str()).or_insert((i, a.y));
        }
    }
    let dest = |id: &str| {
        anchors
            .get(id)
            .map(|&(page, y)| XyzDestination::new(page, Point::from_xy(0.0, (y - 4.0).max(0.0))))
    };
    let alts = LinkAlts::new(book, outline);
    let mut glyphs: Vec<KrillaGlyph> = Vec::new();

    let mut body_no = 0u32;
    for (i, (page, elements)) in pages.iter().zip(drawn).enumerate() {
        let label = match page.kind {
            PageKind::Body => {
                body_no += 1;
                PageLabel::new(Some(NumberingStyle::Arabic), None, NonZeroU32::new(body_no))
            }
            _ => PageLabel::new(
                Some(NumberingStyle::LowerRoman),
                None,
                NonZeroU32::new(i as u32 + 1),
            ),
        };
        let settings = PageSettings::from_wh(geo.page_width, geo.page_height)
            .ok_or_else(|| {
                vec![Diagnostic::error(
                    "pdf-geometry",
                    "the page size is not usable",
                )]
            })?
            .with_page_label(label);
        // Validation errors carry the page they arose on.
        let location = NonZeroU64::new(i as u64 + 1);
        let mut kpage = doc.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = kpage.surface();
            if let Some(loc) = location {
                surface.set_location(loc);
            }
            for el in &elements {
                match el {
                    Element::Text { x, y, line } => {
                        // Heads above the text block, folios below it, and
                        // leaders and separators within it are artifacts.
                        let kind = if *y < geo.top {
                            ArtifactType::Header
                        } else if *y > geo.top + geo.height {
                            ArtifactType::Footer
                        } else {
                            ArtifactType::Layout
                        };
                        for group in line.runs.chunk_by(|a, b| a.tag == b.tag) {
                            marked.draw(
                                &mut surface,
                                group[0].tag,
                                ContentTag::Span(SpanTag::empty()),
                                kind,
                                |s| {
                                    for run in group {
                                        draw_run(s, &kfonts, &mut glyphs, line, run, *x, *y);
                                    }
                                },
                            );
                        }
                        for l in &line.links {
                            let size = if line.size > 0.0 { line.size } else { geo.size };
                            if let Some(rect) =
                                Rect::from_ltrb(x + l.x0, y - size * 0.9, x + l.x1, y + size * 0.3)
                            {
                                links.push((rect, l.target.clone(), l.tag));
                            }
                        }
                    }
                    Element::Rule {
                        x,
                        y,
                        width,
                        height,
                    } => {
                        let mut pb = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(*x, *y, *width, *height) {
                            pb.push_rect(r);
                        }
                        if let Some(path) = pb.finish() {
                            marked.draw(
                                &mut surface,
                                None,
                                ContentTag::Other,
                                ArtifactType::Layout,
                                |s| {
                                    s.set_fill(Some(Default::default()));
                                    s.draw_path(&path);
                                },
                            );
                        }
                    }
                    Element::Image {
                        index,
                        x,
                        y,
                        width,
                        height,
                        tag,
                    } => {
                        let (Some(slot), Some((_, data))) =
                            (decoded.get_mut(*index), images.get(*index))
                        else {
                            continue;
                        };
                        let image = slot.get_or_insert_with(|| decode(data, archival, None));
                        let (Some(image), Some(size)) =
                            (image.clone(), Size::from_wh(*width, *height))
                        else {
                            continue;
                        };
                        marked.draw(
                            &mut surface,
                            *tag,
                            ContentTag::Other,
                            ArtifactType::Layout,
                            |s| {
                                s.push_transform(&Transform::from_translate(*x, *y));
                                s.draw_image(image, size);
                                s.pop();
                            },
                        );
                    }
                    Element::Cover {
                        x,
                        y,
                        width,
                        height,
                        tag,
                    } => {
                        let Some(image) = cover_image.clone() else {
                            continue;
                        };
                        let mut clip = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(0.0, 0.0, geo.page_width, geo.page_height)
                        {
                            clip.push_rect(r);
                        }
                        let (Some(clip), Some(size)) =
                            (clip.finish(), Size::from_wh(*width, *height))
                        else {
                            continue;
                        };
                        marked.draw(
                            &mut surface,
                            *tag,
                            ContentTag::Other,
                            ArtifactType::Layout,
                            |s| {
                                s.push_clip_path(&clip, &Default::default());
                                s.push_transform(&Transform::from_translate(*x, *y));
                                s.draw_image(image, size);
                                s.pop();
                                s.pop();
                            },
                        );
                    }
                }
            }
            surface.finish();
        }
        for (rect, target, tag) in links {
            let alt = alts.describe(&target);
            let target = match target {
                LinkTarget::Url(url) => Target::Action(LinkAction::new(url).into()),
                LinkTarget::Anchor(id) => match dest(&id) {
                    Some(d) => Target::Destination(d.into()),
                    None => continue,
                },
            };
            let annotation = Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt))
                .with_location(location);
            match tag.filter(|&k| marked.annots.knows(k)) {
                Some(k) => {
                    let id = kpage.add_tagged_annotation(annotation);
                    marked.annots.push(k, id);
                }
                None => kpage.add_annotation(annotation),
            }
        }
        kpage.finish();
    }

    let mut entries: Vec<OutlineEntry> = Vec::with_capacity(outline.len() + 1);
    // The contents first, as a reader expects to find them.
    if anchors.contains_key(super::toc::ANCHOR) {
        entries.push(OutlineEntry {
            level: 1,
            title: super::toc::title(&book.config.book.language).to_string(),
            id: super::toc::ANCHOR.to_string(),
        });
    }
    entries.extend(outline.iter().map(|e| OutlineEntry {
        level: e.level,
        title: e.title.clone(),
        id: e.id.clone(),
    }));
    doc.set_outline(build_outline(&entries, &dest));
    drop(anchors);
    doc.set_metadata(metadata(book));
    doc.set_tag_tree(laid.tags.tree(
        &mut marked.texts,
        &mut marked.annots,
        &book.config.book.language,
    ));
    // Writing the file is the peak: what only led up to it goes first.
    drop(marked);
    laid.tags = Tags::default();
    doc.finish()
        .map_err(|e| krilla_diagnostics(e, &book.config.pdf.standard, fonts, &kfonts))
}

/// Draws a run of `line`, its glyphs converted in `glyphs` (a buffer kept
/// from run to run).
fn draw_run(
    surface: &mut Surface,
    kfonts: &[Option<Font>],
    glyphs: &mut Vec<KrillaGlyph>,
    line: &Line,
    run: &GlyphRun,
    x: f32,
    y: f32,
) {
    let Some(Some(font)) = kfonts.get(run.face as usize) else {
        return;
    };
    let size = run.size;
    glyphs.clear();
    glyphs.extend(line.glyphs(run).map(|g| {
        KrillaGlyph::new(
            GlyphId::new(g.id as u32),
            g.advance / size,
            g.x_offset / size,
            g.y_offset / size,
            0.0,
            g.text.start as usize..g.text.end as usize,
            None,
        )
    }));
    surface.draw_glyphs(
        Point::from_xy(x + run.x, y - run.rise),
        glyphs,
        font.clone(),
        line.run_text(run),
        size,
        false,
    );
}

/// What a link's annotation says it does, for readers that cannot see it
/// (PDF/UA requires a description on every annotation).
struct LinkAlts<'a> {
    book: &'a Book,
    headings: HashMap<&'a str, &'a str>,
    words: &'static crate::locale::Words,
}

impl<'a> LinkAlts<'a> {
    fn new(book: &'a Book, outline: &'a [OutlineEntry]) -> Self {
        LinkAlts {
            book,
            headings: outline
                .iter()
                .map(|e| (e.id.as_str(), e.title.as_str()))
                .collect(),
            words: crate::locale::words(&book.config.book.language),
        }
    }

    fn describe(&self, target: &LinkTarget) -> String {
        let id = match target {
            LinkTarget::Url(url) => return url.clone(),
            LinkTarget::Anchor(id) => id.as_str(),
        };
        let number = |prefix: &str| {
            id.strip_prefix(prefix)
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if let Some(n) = number("fnref") {
            return format!("{} {n}", self.words.back_to_text);
        }
        if let Some(n) = number("fn") {
            return format!("{} {n}", self.words.note);
        }
        if id == super::toc::ANCHOR {
            return super::toc::title(&self.book.config.book.language).to_string();
        }
        if let Some(title) = self.headings.get(id) {
            return title.to_string();
        }
        if let Some(e) = self.book.bibliography.iter().find(|e| e.id == id) {
            let text = plain_text(&e.content, Some(self.book));
            return shorten(&text, 160);
        }
        id.to_string()
    }
}

/// At most `max` characters, cut at a word with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Nests headings by level: a heading is a child of the nearest one above
/// it with a smaller level.
fn build_outline(
    entries: &[OutlineEntry],
    dest: &dyn Fn(&str) -> Option<XyzDestination>,
) -> Outline {
    struct Pending {
        level: u8,
        node: OutlineNode,
    }
    let mut outline = Outline::new();
    let mut stack: Vec<Pending> = Vec::new();
    fn close(stack: &mut Vec<Pending>, outline: &mut Outline) {
        if let Some(done) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.node.push_child(done.node),
                None => outline.push_child(done.node),
            }
        }
    }
    for e in entries {
        let Some(d) = dest(&e.id) else { continue };
        while stack.last().is_some_and(|p| p.level >= e.level) {
            close(&mut stack, &mut outline);
        }
        stack.push(Pending {
            level: e.level,
            node: OutlineNode::new(e.title.clone(), d),
        });
    }
    while !stack.is_empty() {
        close(&mut stack, &mut outline);
    }
    outline
}

fn metadata(book: &Book) -> Metadata {
    let meta = &book.config.book;
    let mut m = Metadata::new()
        .title(match &meta.subtitle {
            Some(s) => format!("{}: {s}", meta.title),
            None => meta.title.clone(),
        })
        .language(meta.language.clone())
        .keywords(meta.keywords.clone())
        .authors(meta.authors.clone())
        .creator(format!("tsigni {}", env!("CARGO_PKG_VERSION")))
        .document_id(meta.identifier.clone());
    if let Some(d) = &meta.description {
        m = m.description(d.clone());
    }
    // PDF/A requires a date. Reproducible: the EPUB's fixed build time
    // (`SOURCE_DATE_EPOCH`, else the book's date, else 1980-01-01), never
    // the clock.
    let (y, mo, d, h, mi, s) = crate::timestamp::build_time(book);
    m.creation_date(
        DateTime::new(y)
            .month(mo)
            .day(d)
            .hour(h)
            .minute(mi)
            .second(s)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

/// krilla's refusal as diagnostics: each distinct problem once, naming the
/// standard that forbids it and, where krilla knows it, the page.
fn krilla_diagnostics(
    e: KrillaError,
    standard: &str,
    fonts: &FontSet,
    kfonts: &[Option<Font>],
) -> Vec<Diagnostic> {
    let KrillaError::Validation(errors) = e else {
        return vec![Diagnostic::error(
            "pdf-write",
            format!("the PDF could not be written: {e}"),
        )];
    };
    let font_name = |font: &Font| {
        kfonts
            .iter()
            .position(|k| k.as_ref() == Some(font))
            .and_then(|i| fonts.faces().get(i))
            .map(|f| f.file_name.clone())
            .unwrap_or_else(|| "a font".into())
    };
    let mut out: Vec<Diagnostic> = Vec::new();
    for (error, validators) in errors {
        let (message, location) = describe_validation(&error, &font_name);
        let names = standard_names(validators);
        let mut d = Diagnostic::error(
            "pdf-standard",
            format!("{message}, which {names} does not allow"),
        )
        .note(format!(
            "the PDF is not written: `[pdf] standard = \"{standard}\"` promises {names}"
        ));
        if let Some(page) = location {
            d = d.note(format!("on page {page} of the PDF"));
        }
        if !out.iter().any(|o| o.message == d.message) {
            out.push(d);
        }
    }
    out
}

fn standard_names(v: Validators) -> String {
    let names: Vec<&str> = v.into_iter().map(|v| v.as_str()).collect();
    match names.as_slice() {
        [] => "the standard".into(),
        _ => names.join(" and "),
    }
}

/// A validation error in words, and the page it arose on.
fn describe_validation(
    e: &ValidationError,
    font_name: &dyn Fn(&Font) -> String,
) -> (String, Option<Location>) {
    use ValidationError as V;
    match e {
        V::TooLongString => (
            "a text of the book (its title, description, keywords or a line) is longer than \
             32,767 bytes in one piece"
                .into(),
            None,
        ),
        V::TooLongName => ("a font's name is longer than 127 bytes".into(), None),
        V::TooLongArray | V::TooLongDictionary | V::TooLargeFloat => {
            ("the PDF exceeds a size limit of its format".into(), None)
        }
        V::TooManyIndirectObjects => ("the PDF has more than 8,388,607 objects".into(), None),
        V::TooHighQNestingLevel => ("graphics are nested too deeply".into(), None),
        V::ContainsPostScript(l) => ("a drawing needs PostScript".into(), *l),
        V::MissingCMYKProfile => (
            "an image is in CMYK colours without a colour profile".into(),
            None,
        ),
        V::InconsistentSeparationFallback(_) => {
            ("a spot colour is defined twice differently".into(), None)
        }
        V::ContainsNotDefGlyph(font, l, text) => {
            (format!("{} has no glyph for `{text}`", font_name(font)), *l)
        }
        V::NoCodepointMapping(font, glyph, l) => (
            format!(
                "glyph {} of {} stands for no Unicode text",
                glyph.to_u32(),
                font_name(font)
            ),
            *l,
        ),
        V::InvalidCodepointMapping(font, glyph, c, l) => (
            format!(
                "glyph {} of {} stands for U+{:04X}",
                glyph.to_u32(),
                font_name(font),
                *c as u32
            ),
            *l,
        ),
        V::UnicodePrivateArea(font, _, c, l) => (
            format!(
                "{} draws the private-use character U+{:04X}",
                font_name(font),
                *c as u32
            ),
            *l,
        ),
        V::RestrictedLicense(font) => (
            format!("{}'s licence does not allow embedding it", font_name(font)),
            None,
        ),
        V::NoDocumentLanguage => ("the book names no language".into(), None),
        V::NoDocumentTitle => ("the book has no title".into(), None),
        V::MissingAltText(l) => ("an image has no description".into(), *l),
        V::MissingHeadingTitle => ("a heading has no text".into(), None),
        V::MissingDocumentOutline => ("the book has no headings for its outline".into(), None),
        V::MissingAnnotationAltText(l) => ("a link has no description".into(), *l),
        V::MissingDocumentDate => ("the PDF has no date".into(), None),
        V::Transparency(l) => ("an image or drawing is transparent".into(), *l),
        V::ImageInterpolation(l) => ("an image asks viewers to smooth it".into(), *l),
        V::EmbeddedFile(_, l) => ("a file is embedded".into(), *l),
        V::MissingTagging => ("the PDF is not tagged".into(), None),
        V::EmbeddedPDF(l) => ("a PDF is embedded".into(), *l),
        V::RequiresNewerPdfVersion(f, l) => (
            format!("{f:?} needs a newer PDF version than the standard allows"),
            *l,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_the_reader_accepts_is_known() {
        for s in crate::config::PDF_STANDARDS {
            let c = configuration(s).expect(s);
            assert_eq!(c.validators().accessibility(), Some(Accessibility::UA1));
            assert_eq!(c.validators().archival().is_some(), *s != "none");
        }
        assert!(configuration("pdf-a-1b").is_err());
    }

    #[test]
    fn a_transparent_pixel_becomes_white() {
        let img = image::RgbaImage::from_fn(2, 1, |x, _| {
            if x == 0 {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([10, 20, 30, 255])
            }
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let flat = flatten(&png, image::ImageFormat::Png).expect("has alpha");
        assert_eq!(flat.rgb.as_slice(), &[255, 255, 255, 10, 20, 30]);
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        assert_eq!(shorten("ab cd ef", 5), "ab…");
        assert_eq!(shorten("ab", 5), "ab");
    }
}
