//! The cover and the manuscript's images, ready for krilla.

use crate::cover::{Cover, Pixels};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};

/// The cover, ready to draw; `None` if krilla cannot read it (the loader
/// has already decoded it, so that does not happen in practice). For an
/// archival PDF an image with an alpha channel is flattened onto white.
pub(crate) fn cover_image(cover: &Cover, archival: bool) -> Option<Image> {
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
pub(crate) fn decode(data: &[u8], archival: bool, alpha: Option<bool>) -> Option<Image> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
