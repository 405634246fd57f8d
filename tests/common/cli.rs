//! Running the `tsigni` binary as a user does, for the suites that drive the
//! command line (import from text, DOCX and LibreOffice): the run, the
//! success check that prints what it said, and small file helpers.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub fn tsigni(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .output()
        .expect("tsigni runs")
}

pub fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "status {}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

pub fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A 40×20 red PNG.
pub fn png() -> Vec<u8> {
    let mut out = Vec::new();
    let enc = image::codecs::png::PngEncoder::new(&mut out);
    let img = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 0, 0]));
    use image::ImageEncoder;
    enc.write_image(img.as_raw(), 40, 20, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}
