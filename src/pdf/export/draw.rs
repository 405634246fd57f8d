//! Drawing one page's elements on krilla's surface: each stretch of text,
//! image and rule as marked content of its structure key, or as an artifact.

use super::findings::{self, Places};
use super::hyphen::{self, Hyphens};
use super::images::decode;
use super::tags::{stretches, Slot, Structure};
use crate::pdf::frame::marks::Tag;
use crate::pdf::frame::{Element, GlyphRun, Images, Line, LinkTarget};
use crate::pdf::pages::Geometry;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, GlyphId, KrillaGlyph};

/// The book's structure as read from its markers, and where drawing is
/// in it: each stretch of content takes the next slot, each tagged
/// annotation the next annotation slot, in the order [`super::tags::read`]
/// gave them out.
pub(crate) struct Marked {
    pub structure: Structure,
    next: usize,
    pub next_annot: usize,
}

impl Marked {
    pub fn new(structure: Structure) -> Marked {
        Marked {
            structure,
            next: 0,
            next_annot: 0,
        }
    }

    /// Draws `f` as the next stretch of content, or as an artifact of
    /// `kind` when it is decoration.
    fn draw(
        &mut self,
        surface: &mut Surface,
        content: ContentTag,
        kind: ArtifactType,
        f: impl FnOnce(&mut Surface),
    ) {
        let slot = self.structure.slots.get_mut(self.next);
        self.next += 1;
        match slot {
            Some(slot @ Slot::Content(_)) => {
                *slot = Slot::Content(Some(surface.start_tagged(content)));
                f(surface);
                surface.end_tagged();
            }
            Some(Slot::Artifact) | None => artifact(surface, kind, f),
        }
    }

    /// Skips a stretch that is not drawn.
    fn skip(&mut self) {
        self.next += 1;
    }
}

/// Where a strike line crosses the text and how thick it is, in the
/// text's size (Noto Serif's x-height is about 0.54 em).
const STRIKE_HEIGHT: f32 = 0.27;
const STRIKE_THICKNESS: f32 = 0.05;

fn artifact(surface: &mut Surface, kind: ArtifactType, f: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    f(surface);
    surface.end_tagged();
}

/// A link of a drawn page: where it is, where it goes, its annotation
/// slot if it is tagged.
pub(crate) type LinkRect = (Rect, LinkTarget, Option<usize>);

/// What drawing needs from page to page: fonts, images (each decoded once,
/// however often it is drawn) and the identifiers handed out so far.
pub(crate) struct Painter<'a> {
    pub geo: &'a Geometry,
    pub kfonts: &'a [Option<Font>],
    pub cover: Option<Image>,
    pub images: &'a Images,
    pub decoded: Vec<Option<Option<Image>>>,
    pub archival: bool,
    pub marked: Marked,
    /// Glyphs of a run being drawn: one buffer for all.
    pub glyphs: Vec<KrillaGlyph>,
    /// How inserted hyphens are drawn ([`super::hyphen`]).
    pub hyphens: Hyphens,
    /// Where each thing drawn comes from, for krilla's findings.
    pub places: Places,
}

impl Painter<'_> {
    /// Draws a page's elements (page `page`, from 1); returns its links,
    /// to be annotated once the surface is done.
    pub fn page(
        &mut self,
        surface: &mut Surface,
        page: usize,
        elements: &[Element],
    ) -> Vec<LinkRect> {
        let mut links = Vec::new();
        for el in elements {
            let marks = match el {
                Element::Text { line, .. } => &line.marks[..],
                Element::Image { marks, .. } | Element::Cover { marks, .. } => &marks[..],
                Element::Rule { .. } => &[],
            };
            let span = self.places.span(marks);
            self.places.set(surface, page, span);
            match el {
                Element::Text { x, y, line } => {
                    self.text(surface, *x, *y, line);
                    self.link_rects(*x, *y, line, &mut links);
                }
                Element::Rule {
                    x,
                    y,
                    width,
                    height,
                } => self.rule(surface, Rect::from_xywh(*x, *y, *width, *height)),
                Element::Image {
                    index,
                    x,
                    y,
                    width,
                    height,
                    ..
                } => self.image(surface, *index, (*x, *y), Size::from_wh(*width, *height)),
                Element::Cover {
                    x,
                    y,
                    width,
                    height,
                    ..
                } => self.cover(surface, (*x, *y), Size::from_wh(*width, *height)),
            }
        }
        links
    }

    fn text(&mut self, surface: &mut Surface, x: f32, y: f32, line: &Line) {
        let geo = self.geo;
        // Heads above the text block, folios below it, and leaders and
        // separators within it are artifacts.
        let kind = if y < geo.top {
            ArtifactType::Header
        } else if y > geo.top + geo.column.height {
            ArtifactType::Footer
        } else {
            ArtifactType::Layout
        };
        if self.archival && line.runs.iter().any(|r| findings::too_long(line, r)) {
            self.places.long.extend(self.places.current());
        }
        let (kfonts, glyphs, hyphens) = (self.kfonts, &mut self.glyphs, &mut self.hyphens);
        for stretch in stretches(line) {
            let Some(group) = line.runs.get(stretch) else {
                continue;
            };
            self.marked
                .draw(surface, ContentTag::Span(SpanTag::empty()), kind, |s| {
                    for run in group {
                        draw_run(s, kfonts, (glyphs, hyphens), line, run, (x, y));
                    }
                });
        }
        // A strike line through struck text, at about half the x-height
        // (its meaning is the span's text decoration in the structure).
        for a in line.spans.iter().filter(|a| a.strike) {
            let rect = Rect::from_xywh(
                x + a.x0,
                y - a.rise - a.size * STRIKE_HEIGHT,
                a.x1 - a.x0,
                a.size * STRIKE_THICKNESS,
            );
            self.rule(surface, rect);
        }
    }

    fn link_rects(&mut self, x: f32, y: f32, line: &Line, links: &mut Vec<LinkRect>) {
        // The areas the line's marks file, with the slots they take.
        let mut slots: Vec<(u32, usize)> = Vec::new();
        for m in &line.marks {
            if let Tag::Annot(a) = m.tag {
                slots.push((a, self.marked.next_annot));
                self.marked.next_annot += 1;
            }
        }
        for (a, l) in line.links.iter().enumerate() {
            let slot = slots.iter().find(|s| s.0 == a as u32).map(|s| s.1);
            let size = if line.size > 0.0 {
                line.size
            } else {
                self.geo.column.size
            };
            if let Some(rect) = Rect::from_ltrb(x + l.x0, y - size * 0.9, x + l.x1, y + size * 0.3)
            {
                links.push((rect, l.target.clone(), slot));
            }
        }
    }

    fn rule(&mut self, surface: &mut Surface, rect: Option<Rect>) {
        let mut pb = PathBuilder::new();
        if let Some(r) = rect {
            pb.push_rect(r);
        }
        if let Some(path) = pb.finish() {
            artifact(surface, ArtifactType::Layout, |s| {
                s.set_fill(Some(Default::default()));
                s.draw_path(&path);
            });
        }
    }

    fn image(
        &mut self,
        surface: &mut Surface,
        index: usize,
        (x, y): (f32, f32),
        size: Option<Size>,
    ) {
        let (Some(slot), Some((_, data))) = (self.decoded.get_mut(index), self.images.get(index))
        else {
            return self.marked.skip();
        };
        let archival = self.archival;
        if archival && findings::is_cmyk_jpeg(data) {
            self.places.cmyk.extend(self.places.current());
        }
        let image = slot.get_or_insert_with(|| decode(data, archival, None));
        let (Some(image), Some(size)) = (image.clone(), size) else {
            return self.marked.skip();
        };
        self.marked
            .draw(surface, ContentTag::Other, ArtifactType::Layout, |s| {
                s.push_transform(&Transform::from_translate(x, y));
                s.draw_image(image, size);
                s.pop();
            });
    }

    /// The cover, scaled into its rectangle and clipped to the page.
    fn cover(&mut self, surface: &mut Surface, (x, y): (f32, f32), size: Option<Size>) {
        let Some(image) = self.cover.clone() else {
            return self.marked.skip();
        };
        let mut clip = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(0.0, 0.0, self.geo.page_width, self.geo.page_height) {
            clip.push_rect(r);
        }
        let (Some(clip), Some(size)) = (clip.finish(), size) else {
            return self.marked.skip();
        };
        self.marked
            .draw(surface, ContentTag::Other, ArtifactType::Layout, |s| {
                s.push_clip_path(&clip, &Default::default());
                s.push_transform(&Transform::from_translate(x, y));
                s.draw_image(image, size);
                s.pop();
                s.pop();
            });
    }
}

/// Draws a run of `line`, its glyphs converted in `glyphs` (a buffer kept
/// from run to run), an inserted hyphen at its end as `hyphens` says.
fn draw_run(
    surface: &mut Surface,
    kfonts: &[Option<Font>],
    (glyphs, hyphens): (&mut Vec<KrillaGlyph>, &mut Hyphens),
    line: &Line,
    run: &GlyphRun,
    (x, y): (f32, f32),
) {
    let Some(Some(font)) = kfonts.get(run.face as usize) else {
        return;
    };
    let size = run.size;
    let at = hyphen::inserted(line, run);
    // krilla maps the glyphs of a run in order, so the run's own hyphens
    // are mapped by the time it reaches an inserted one at its end.
    let plain = line.run_text(run);
    let mut last = None;
    for g in line.glyphs(run) {
        let start = g.text.start as usize;
        if at == Some(start) {
            last = Some(g.id);
        } else {
            let t = plain.get(start..g.text.end as usize).unwrap_or("");
            hyphens.drawn(run.face, g.id, t);
        }
    }
    let marked = at.zip(last).and_then(|h| hyphens.mark(line, run, h));
    let (text, soft) = match marked {
        Some((text, glyph)) => (text, at.map(|at| (at, glyph))),
        None => {
            // An inserted hyphen drawn as it is maps its glyph to "-".
            if let Some(id) = last {
                hyphens.drawn(run.face, id, "-");
            }
            (plain, None)
        }
    };
    glyphs.clear();
    glyphs.extend(line.glyphs(run).map(|g| {
        let (mut id, mut range) = (g.id, g.text.start as usize..g.text.end as usize);
        if let Some((at, glyph)) = soft.filter(|s| s.0 == range.start) {
            (id, range) = (glyph, at..text.len());
        }
        KrillaGlyph::new(
            GlyphId::new(id as u32),
            g.advance / size,
            g.x_offset / size,
            g.y_offset / size,
            0.0,
            range,
            None,
        )
    }));
    surface.draw_glyphs(
        Point::from_xy(x + run.x, y - run.rise),
        glyphs,
        font.clone(),
        text,
        size,
        false,
    );
}
