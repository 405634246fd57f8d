//! The book's fonts for the web: each face subset to the characters the
//! edition prints (as the EPUB does) and compressed to WOFF2, with the
//! `@font-face` rules that name them.

use super::Files;
use crate::error::Error;
use crate::fonts::FontSet;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

/// Brotli's quality. Measured on the article's subsets of the Noto faces:
/// 5 packs them within about 1% of 9 and 5% of 11 (the format's usual), in a
/// tenth of the time of 9 and a thirtieth of 11 (2 ms a face against 25 and
/// 50–85).
const QUALITY: u8 = 5;

/// The `@font-face` rules and the WOFF2 files of the faces that draw any of
/// `used`; faces that draw none are left out.
pub fn woff2_faces(
    fonts: &FontSet,
    used: &BTreeSet<char>,
    code: &BTreeSet<char>,
) -> Result<(String, Files), Error> {
    // The monospace face only for the code's characters.
    let faces: Vec<_> = (fonts.faces().iter().enumerate())
        .map(|(i, f)| (f, crate::html::face_chars(fonts, i, used, code)))
        .filter(|(f, chars)| chars.iter().any(|c| f.covers(*c)))
        .collect();
    // Subsetting and compressing take most of the edition's build time: one
    // thread per face.
    let encoded = crate::in_parallel(
        &faces,
        |(face, chars)| {
            let ttf = face.subset(chars)?;
            ttf2woff2::encode(&ttf, ttf2woff2::BrotliQuality::from(QUALITY))
                .map_err(|e| e.to_string())
        },
        |_| Err("the font thread panicked".to_string()),
    );
    let mut css = String::new();
    let mut files = Files::new();
    for (i, ((face, _), data)) in faces.iter().zip(encoded).enumerate() {
        let data = data.map_err(|e| Error::Write {
            path: face.file_name.clone().into(),
            source: std::io::Error::other(format!("cannot make the web font: {e}")),
        })?;
        let mut name = woff2_name(&face.file_name);
        // `a.ttf` and `a.otf` would both become `a.woff2`.
        if files
            .iter()
            .any(|(p, _)| p.file_name() == Some(name.as_ref()))
        {
            name = format!("{}-{i}.woff2", name.trim_end_matches(".woff2"));
        }
        // `swap`: the text shows at once in a fallback face, not after the font.
        let src = format!("font-display: swap; src: url(\"fonts/{name}\") format(\"woff2\");");
        let _ = writeln!(css, "{}", crate::html::font_face(face, &src));
        files.push((PathBuf::from("fonts").join(name), data));
    }
    Ok((css, files))
}

/// `NotoSerif-Regular.ttf` → `NotoSerif-Regular.woff2`, kept to characters
/// that need no escaping in a URL.
fn woff2_name(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.woff2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_faces_become_small_woff2_files() {
        let fonts = FontSet::builtin();
        let used: BTreeSet<char> = "ჩინეთ-საბჭოთა Mao 1950".chars().collect();
        let (css, files) =
            woff2_faces(&fonts, &used, &Default::default()).expect("the fonts encode");
        assert!(!files.is_empty());
        for (path, data) in &files {
            assert!(data.starts_with(b"wOF2"), "{}", path.display());
            assert!(
                data.len() < 20_000,
                "{}: {} bytes",
                path.display(),
                data.len()
            );
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(css.contains(&format!("url(\"fonts/{name}\") format(\"woff2\")")));
        }
        assert_eq!(woff2_name("Noto Serif (v2).otf"), "Noto_Serif__v2_.woff2");
    }
}
