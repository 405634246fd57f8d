//! The cover and the title page.

use super::Geometry;
use crate::cover::Cover;
use crate::fonts::Style;
use crate::model::Book;
use crate::pdf::frame::marks::{Marks, Role};
use crate::pdf::frame::{Element, Line, Page, PageKind};
use crate::pdf::text::{self, Align, Setting, Shaper};

/// When the image's proportions are this close to the page's, it fills the
/// page edge to edge (cropping a sliver); otherwise it is fitted, centred.
const BLEED_TOLERANCE: f32 = 0.06;

/// The cover, marked as a figure described as the EPUB's is
/// (`Cover: title`).
pub(crate) fn cover_page(cover: &Cover, geo: &Geometry, book: &Book) -> Page {
    let mut page = Page::new(PageKind::Cover);
    let (pw, ph) = (geo.page_width, geo.page_height);
    let (iw, ih) = (cover.width.max(1) as f32, cover.height.max(1) as f32);
    let page_ratio = pw / ph;
    let image_ratio = iw / ih;
    let scale = if ((image_ratio - page_ratio) / page_ratio).abs() <= BLEED_TOLERANCE {
        (pw / iw).max(ph / ih)
    } else {
        (pw / iw).min(ph / ih)
    };
    let (w, h) = (iw * scale, ih * scale);
    let alt = format!(
        "{}: {}",
        crate::locale::words(&book.config.book.language).cover,
        book.config.book.title
    );
    page.elements.push(Element::Cover {
        x: (pw - w) / 2.0,
        y: (ph - h) / 2.0,
        width: w,
        height: h,
        marks: Marks::default().image(Some(Role::Figure { alt })),
    });
    page
}

fn centered(shaper: &mut Shaper, text: &str, size: f32, style: Style, geo: &Geometry) -> Vec<Line> {
    let set = Setting {
        size,
        style,
        align: Align::Center,
        measure: geo.column.measure,
        first_indent: 0.0,
        hang: 0.0,
        hyphenate: false,
    };
    text::set_text(shaper, text, set).lines
}

/// Title, subtitle and authors in the upper part of the page, the publisher
/// and date at its foot; each a paragraph.
pub(crate) fn title_page(shaper: &mut Shaper, book: &Book, geo: &Geometry) -> Page {
    let meta = &book.config.book;
    let mut page = Page::new(PageKind::Title);
    let left = geo.left(true);
    let mut y = geo.top + geo.column.height * 0.12;
    let mut marks = Marks::default();
    let mut put = |page: &mut Page, mut lines: Vec<Line>, leading: f32, y: &mut f32| {
        marks.lines(&mut lines, Role::Paragraph);
        for line in lines {
            *y += leading;
            page.elements.push(Element::Text {
                x: left,
                y: *y,
                line,
            });
        }
    };
    if !meta.authors.is_empty() {
        let lines = centered(
            shaper,
            &meta.authors.join(", "),
            geo.column.size * 1.2,
            Style::Regular,
            geo,
        );
        put(&mut page, lines, geo.column.leading * 1.2, &mut y);
        y += geo.column.leading * 3.0;
    } else {
        y += geo.column.leading * 4.0;
    }
    let title = centered(shaper, &meta.title, geo.column.size * 2.0, Style::Bold, geo);
    put(&mut page, title, geo.column.leading * 2.0, &mut y);
    if let Some(sub) = &meta.subtitle {
        y += geo.column.leading * 0.8;
        let lines = centered(shaper, sub, geo.column.size * 1.3, Style::Regular, geo);
        put(&mut page, lines, geo.column.leading * 1.3, &mut y);
    }
    let foot: Vec<String> = [meta.publisher.clone(), meta.date.clone()]
        .into_iter()
        .flatten()
        .collect();
    if !foot.is_empty() {
        let mut y = geo.top + geo.column.height - geo.column.leading * 2.0;
        let sep = shaper.pick(Style::Regular, " · ", ", ");
        let lines = centered(
            shaper,
            &foot.join(sep),
            geo.column.size,
            Style::Regular,
            geo,
        );
        put(&mut page, lines, geo.column.leading, &mut y);
    }
    page
}
