//! Drawing the laid-out pages with krilla: pre-shaped glyphs, subset fonts,
//! links, the outline, page labels and metadata.

use super::frame::{Element, LinkTarget, PageKind};
use super::{Images, Layout};
use crate::cover::Cover;
use crate::diagnostics::Diagnostic;
use crate::fonts::FontSet;
use crate::model::Book;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use std::collections::HashMap;
use std::num::NonZeroU32;

/// A heading in the outline.
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub id: String,
}

/// The cover, ready to draw; `None` if krilla cannot read it (the loader
/// has already decoded it, so that does not happen in practice).
pub fn cover_image(cover: &Cover) -> Option<Image> {
    match cover.media_type {
        "image/jpeg" => Image::from_jpeg(cover.data.clone().into(), true),
        _ => Image::from_png(cover.data.clone().into(), true),
    }
    .ok()
}

pub fn emit(
    laid: &Layout,
    fonts: &FontSet,
    cover_image: Option<Image>,
    book: &Book,
    images: &Images,
) -> Result<Vec<u8>, Box<Diagnostic>> {
    let (pages, geo, outline) = (&laid.pages, &laid.geometry, &laid.outline);
    // Each image is decoded once, however often it is drawn.
    let mut decoded: Vec<Option<Option<Image>>> = vec![None; images.len()];
    let settings = SerializeSettings {
        // Nothing in the book needs tags; without them no marked content is
        // written that would need a structure tree.
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    let kfonts: Vec<Option<Font>> = fonts
        .faces()
        .iter()
        .map(|f| Font::new(f.data.clone().into(), 0))
        .collect();

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

    let mut body_no = 0u32;
    for (i, page) in pages.iter().enumerate() {
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
                Box::new(Diagnostic::error(
                    "pdf-geometry",
                    "the page size is not usable",
                ))
            })?
            .with_page_label(label);
        let mut kpage = doc.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = kpage.surface();
            for el in &page.elements {
                match el {
                    Element::Text { x, y, line } => {
                        for run in &line.runs {
                            let Some(Some(font)) = kfonts.get(run.face) else {
                                continue;
                            };
                            let size = run.size;
                            let glyphs: Vec<KrillaGlyph> = run
                                .glyphs
                                .iter()
                                .map(|g| {
                                    KrillaGlyph::new(
                                        GlyphId::new(g.id as u32),
                                        g.advance / size,
                                        g.x_offset / size,
                                        g.y_offset / size,
                                        0.0,
                                        g.text.start as usize..g.text.end as usize,
                                        None,
                                    )
                                })
                                .collect();
                            surface.draw_glyphs(
                                Point::from_xy(x + run.x, y - run.rise),
                                &glyphs,
                                font.clone(),
                                &run.text,
                                size,
                                false,
                            );
                        }
                        for l in &line.links {
                            let size = if line.size > 0.0 { line.size } else { geo.size };
                            if let Some(rect) =
                                Rect::from_ltrb(x + l.x0, y - size * 0.9, x + l.x1, y + size * 0.3)
                            {
                                links.push((rect, l.target.clone()));
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
                            surface.set_fill(Some(Default::default()));
                            surface.draw_path(&path);
                        }
                    }
                    Element::Image {
                        index,
                        x,
                        y,
                        width,
                        height,
                    } => {
                        let Some(slot) = decoded.get_mut(*index) else {
                            continue;
                        };
                        let image = slot.get_or_insert_with(|| decode(&images[*index].1));
                        let (Some(image), Some(size)) =
                            (image.clone(), Size::from_wh(*width, *height))
                        else {
                            continue;
                        };
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image, size);
                        surface.pop();
                    }
                    Element::Cover {
                        x,
                        y,
                        width,
                        height,
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
                        surface.push_clip_path(&clip, &Default::default());
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image, size);
                        surface.pop();
                        surface.pop();
                    }
                }
            }
            surface.finish();
        }
        for (rect, target) in links {
            let target = match target {
                LinkTarget::Url(url) => Target::Action(LinkAction::new(url).into()),
                LinkTarget::Anchor(id) => match dest(&id) {
                    Some(d) => Target::Destination(d.into()),
                    None => continue,
                },
            };
            kpage.add_annotation(Annotation::new_link(
                LinkAnnotation::new(rect, target),
                None,
            ));
        }
        kpage.finish();
    }

    doc.set_outline(build_outline(outline, &dest));
    doc.set_metadata(metadata(book));
    doc.finish().map_err(|e| {
        Box::new(Diagnostic::error(
            "pdf-write",
            format!("the PDF could not be written: {e:?}"),
        ))
    })
}

/// An image of the manuscript in whichever format it comes.
fn decode(data: &[u8]) -> Option<Image> {
    let bytes: krilla::Data = data.to_vec().into();
    match image::guess_format(data).ok()? {
        image::ImageFormat::Png => Image::from_png(bytes, true),
        image::ImageFormat::Jpeg => Image::from_jpeg(bytes, true),
        image::ImageFormat::Gif => Image::from_gif(bytes, true),
        image::ImageFormat::WebP => Image::from_webp(bytes, true),
        _ => return None,
    }
    .ok()
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
    // Reproducible: a date only when the build asks for one.
    if let Some(date) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(date_from_epoch)
    {
        m = m.creation_date(date);
    }
    m
}

fn date_from_epoch(secs: i64) -> Option<DateTime> {
    if secs < 0 {
        return None;
    }
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    Some(
        DateTime::new(u16::try_from(y).ok()?)
            .month(m as u8)
            .day(d as u8)
            .hour((rem / 3600) as u8)
            .minute((rem % 3600 / 60) as u8)
            .second((rem % 60) as u8)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_dates() {
        let d = format!("{:?}", date_from_epoch(1_700_000_000).unwrap());
        assert!(d.contains("2023"), "{d}");
    }
}
