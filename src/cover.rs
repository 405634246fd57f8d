//! The cover: the image named in `book.toml`, or a typographic one generated
//! from the title with the book's own fonts, so every book has a cover.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceMap};
use crate::fonts::{FontSet, Style};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{ImageFormat, Rgb, RgbImage};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Cover {
    /// PNG or JPEG bytes, ready to embed.
    pub data: Vec<u8>,
    /// `image/png` or `image/jpeg`.
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    /// Name inside the EPUB (`cover.png`).
    pub file_name: String,
    /// True when tsigni drew it because the book names none.
    pub generated: bool,
    /// The image has an alpha channel (PDF/A needs it flattened).
    pub has_alpha: bool,
    /// Its 8-bit pixels, kept from loading (which decodes the whole image
    /// to check it) so the PDF need not decode it a second time; `None` for
    /// JPEG (embedded as it is) and for other bit depths.
    pub pixels: Option<Pixels>,
}

/// Decoded 8-bit RGB pixels, with the alpha channel apart if there is one.
#[derive(Clone)]
pub struct Pixels {
    pub rgb: Arc<Vec<u8>>,
    pub alpha: Option<Arc<Vec<u8>>>,
    pub width: u32,
    pub height: u32,
    /// Identifies the image for deduplication without hashing megabytes of
    /// pixels: a hash of what it was decoded from.
    pub key: u64,
}

impl Pixels {
    /// The pixels of an 8-bit RGB or RGBA image; `None` for other kinds.
    pub fn from_image(img: image::DynamicImage, source: &[u8]) -> Option<Pixels> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        source.hash(&mut h);
        let key = h.finish();
        let (width, height) = (img.width(), img.height());
        let (rgb, alpha) = match img {
            image::DynamicImage::ImageRgb8(i) => (i.into_raw(), None),
            image::DynamicImage::ImageRgba8(i) => {
                let raw = i.into_raw();
                let mut rgb = Vec::with_capacity(raw.len() / 4 * 3);
                let mut alpha = Vec::with_capacity(raw.len() / 4);
                for p in raw.chunks_exact(4) {
                    rgb.extend_from_slice(&p[..3]);
                    alpha.push(p[3]);
                }
                (rgb, Some(Arc::new(alpha)))
            }
            _ => return None,
        };
        Some(Pixels {
            rgb: Arc::new(rgb),
            alpha,
            width,
            height,
            key,
        })
    }

    /// Composited onto white, without alpha (PDF/A), or `self` if opaque.
    pub fn flattened(&self) -> Pixels {
        let Some(alpha) = &self.alpha else {
            return self.clone();
        };
        let rgb = self
            .rgb
            .chunks_exact(3)
            .zip(alpha.iter())
            .flat_map(|(c, &a)| {
                let a = a as u32;
                // Source over white: c·a + 255·(1 − a), rounded.
                let over = move |c: u8| ((c as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
                [over(c[0]), over(c[1]), over(c[2])]
            })
            .collect();
        Pixels {
            rgb: Arc::new(rgb),
            alpha: None,
            width: self.width,
            height: self.height,
            key: self.key ^ 0x5f1a_77e0,
        }
    }
}

impl std::fmt::Debug for Pixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pixels({}×{})", self.width, self.height)
    }
}

impl Hash for Pixels {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.key, self.width, self.height, self.alpha.is_some()).hash(state);
    }
}

/// What an image's header says: a PNG or JPEG (the formats both books can
/// show) of at most [`crate::vfs::MAX_IMAGE_PIXELS`], read without decoding
/// the pixels. The error ends a sentence that names the image.
pub fn sniff(data: &[u8]) -> Result<(ImageFormat, u32, u32), String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(data))
        .with_guessed_format()
        .map_err(|e| format!("cannot be read: {e}"))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Some(other) => return Err(format!("is {other:?}; images must be PNG or JPEG")),
        None => return Err("is not an image (neither PNG nor JPEG)".into()),
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| format!("is not a readable {format:?} image: {e}"))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > crate::vfs::MAX_IMAGE_PIXELS {
        return Err(format!(
            "is {width}×{height} pixels; images may have at most {} megapixels",
            crate::vfs::MAX_IMAGE_PIXELS / 1_000_000
        ));
    }
    if pixels == 0 {
        return Err("has no pixels".into());
    }
    Ok((format, width, height))
}

/// Decodes an image [`sniff`] accepted, within the `image` crate's default
/// limits (512 MiB of allocation), which a header that lies cannot pass.
pub fn decode(data: &[u8], format: ImageFormat) -> Result<image::DynamicImage, String> {
    image::ImageReader::with_format(std::io::Cursor::new(data), format)
        .decode()
        .map_err(|e| e.to_string())
}

/// A cover drawn because the book names none.
pub fn generated(
    config: &Config,
    fonts: Option<&FontSet>,
    diags: &mut Diagnostics,
) -> Option<Cover> {
    match generate(config, fonts?) {
        Ok(c) => Some(c),
        Err(e) => {
            diags.push(Diagnostic::error(
                "cover",
                format!("cannot draw the cover: {e}"),
            ));
            None
        }
    }
}

/// The outcome of [`read_file`] as the build sees it: the cover, or an
/// error at the `cover = …` line of `book.toml`.
pub fn placed(
    read: Result<Cover, String>,
    dir: &Path,
    rel: &str,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Option<Cover> {
    let message = match read {
        Ok(c) => return Some(c),
        Err(m) => m,
    };
    let mut d = Diagnostic::error("cover", message).in_file(dir.join(rel));
    if let Some(f) = sources.find("book.toml") {
        d = d
            .at(crate::manuscript::config_value_span(sources, f, rel))
            .label("cover named here");
    }
    diags.push(d);
    None
}

/// Reads and decodes a cover image. Needs nothing of the book but the
/// path, so the build runs it beside the reading of the chapters.
pub fn read_file(fs: &dyn crate::vfs::Fs, path: &Path) -> Result<Cover, String> {
    let data = fs
        .read_limited(path, crate::vfs::Limit::Image.bytes())
        .map_err(|e| format!("cover image {} {}", path.display(), crate::vfs::why(&e)))?;
    let (format, _, _) = sniff(&data).map_err(|e| format!("cover image {} {e}", path.display()))?;
    // Decode it whole: a truncated file must fail here, not in a reader's hands.
    let decoded = decode(&data, format)
        .map_err(|e| format!("cover image {} cannot be decoded: {e}", path.display()))?;
    let (media_type, ext) = match format {
        ImageFormat::Png => ("image/png", "png"),
        _ => ("image/jpeg", "jpg"),
    };
    let (width, height) = (decoded.width(), decoded.height());
    let has_alpha = decoded.color().has_alpha();
    let pixels = match format {
        ImageFormat::Png => Pixels::from_image(decoded, &data),
        _ => None,
    };
    Ok(Cover {
        data,
        media_type,
        width,
        height,
        file_name: format!("cover.{ext}"),
        generated: false,
        has_alpha,
        pixels,
    })
}

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 1800;
const FIELD: Rgb<u8> = Rgb([0x2b, 0x3a, 0x4a]);
const INK: Rgb<u8> = Rgb([0xf4, 0xec, 0xdc]);
const RULE: Rgb<u8> = Rgb([0xc9, 0xa2, 0x5a]);

/// A plain field with the title, subtitle and authors set in the book's fonts.
pub fn generate(config: &Config, fonts: &FontSet) -> Result<Cover, String> {
    let mut img = RgbImage::from_pixel(WIDTH, HEIGHT, FIELD);
    // A frame and two rules give the field a book's proportions.
    draw_rect(&mut img, 60, 60, WIDTH - 120, 4, RULE);
    draw_rect(&mut img, 60, HEIGHT - 64, WIDTH - 120, 4, RULE);
    draw_rect(&mut img, 60, 60, 4, HEIGHT - 120, RULE);
    draw_rect(&mut img, WIDTH - 64, 60, 4, HEIGHT - 120, RULE);

    let book = &config.book;
    let mut y = 480.0;
    y = draw_paragraph(&mut img, fonts, Style::Bold, &book.title, 96.0, y, INK)?;
    if let Some(sub) = &book.subtitle {
        y = draw_paragraph(&mut img, fonts, Style::Regular, sub, 56.0, y + 40.0, INK)?;
    }
    draw_rect(&mut img, WIDTH / 2 - 80, (y + 60.0) as u32, 160, 3, RULE);
    if !book.authors.is_empty() {
        let authors = book.authors.join(", ");
        draw_paragraph(
            &mut img,
            fonts,
            Style::Regular,
            &authors,
            56.0,
            y + 140.0,
            INK,
        )?;
    }
    let mut data = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut data), ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    let pixels = Pixels::from_image(image::DynamicImage::ImageRgb8(img), &data);
    Ok(Cover {
        data,
        media_type: "image/png",
        width: WIDTH,
        height: HEIGHT,
        file_name: "cover.png".into(),
        generated: true,
        has_alpha: false,
        pixels,
    })
}

fn draw_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: Rgb<u8>) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, c);
        }
    }
}

/// Centred, greedily wrapped lines; returns the y below the last line.
fn draw_paragraph(
    img: &mut RgbImage,
    fonts: &FontSet,
    style: Style,
    text: &str,
    size: f32,
    top: f32,
    color: Rgb<u8>,
) -> Result<f32, String> {
    let faces: Vec<FontRef> = fonts
        .faces()
        .iter()
        .map(|f| FontRef::try_from_slice_and_index(&f.data, f.index).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let scale = PxScale::from(size);
    let advance = |c: char| -> f32 {
        match fonts.face_for(style, c) {
            Some(i) => faces[i].as_scaled(scale).h_advance(faces[i].glyph_id(c)),
            None => 0.0,
        }
    };
    let measure = |s: &str| s.chars().map(advance).sum::<f32>();
    let max_width = (WIDTH - 260) as f32;
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if measure(&format!("{line} {word}")) <= max_width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    let line_height = size * 1.35;
    let mut y = top;
    for line in &lines {
        let w = measure(line);
        let mut x = ((WIDTH as f32 - w) / 2.0).max(130.0);
        let baseline = y + size;
        for c in line.chars() {
            let Some(i) = fonts.face_for(style, c) else {
                continue;
            };
            let font = &faces[i];
            let glyph = font
                .glyph_id(c)
                .with_scale_and_position(scale, ab_glyph::point(x, baseline));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                outlined.draw(|gx, gy, cov| {
                    let px = b.min.x as i32 + gx as i32;
                    let py = b.min.y as i32 + gy as i32;
                    if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height()
                    {
                        let p = img.get_pixel_mut(px as u32, py as u32);
                        for k in 0..3 {
                            let bg = p.0[k] as f32;
                            p.0[k] = (bg + (color.0[k] as f32 - bg) * cov.min(1.0)).round() as u8;
                        }
                    }
                });
            }
            x += font.as_scaled(scale).h_advance(font.glyph_id(c));
        }
        y += line_height;
    }
    Ok(y)
}
