//! Subsetting a face with CFF outlines (OpenType `OTTO`, such as Noto Serif
//! CJK) for the EPUB and the web. klippa, which subsets the TrueType faces,
//! copies a CFF table whole; the `subsetter` crate (krilla's) subsets CFF
//! but writes a font for PDF only, without `cmap` and `OS/2`. So: subset the
//! glyphs with `subsetter`, then add a `cmap` for the new glyph ids and the
//! face's own `OS/2`. Layout tables (GSUB, GPOS) are left out: horizontal
//! CJK and most alphabets need none, and the PDF shapes from the full face.

use fontcull_read_fonts::{FontRef, TableProvider};
use fontcull_write_fonts::tables::cmap::Cmap;
use fontcull_write_fonts::types::{GlyphId, Tag};
use fontcull_write_fonts::FontBuilder;
use std::collections::BTreeSet;

/// Whether face `index` of `data` has CFF outlines (and no TrueType ones).
pub fn is_cff(data: &[u8], index: u32) -> bool {
    ttf_parser::Face::parse(data, index)
        .map(|f| f.tables().cff.is_some() && f.tables().glyf.is_none())
        .unwrap_or(false)
}

/// A standalone font with the glyphs of `chars` only.
pub fn subset(data: &[u8], index: u32, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(data, index).map_err(|e| e.to_string())?;
    let mut remapper = subsetter::GlyphRemapper::new();
    // .notdef stays glyph 0.
    remapper.remap(0);
    let mut mapped: Vec<(char, u16)> = Vec::new();
    for &c in chars {
        if let Some(g) = face.glyph_index(c).filter(|g| g.0 != 0) {
            mapped.push((c, remapper.remap(g.0)));
        }
    }
    let small = subsetter::subset(data, index, &remapper).map_err(|e| format!("{e:?}"))?;
    let cmap = Cmap::from_mappings(mapped.iter().map(|&(c, g)| (c, GlyphId::new(g.into()))))
        .map_err(|e| format!("{e:?}"))?;
    let original = FontRef::from_index(data, index).map_err(|e| format!("{e:?}"))?;
    let os2 = original
        .table_data(Tag::new(b"OS/2"))
        .ok_or("the face has no OS/2 table")?;
    let sub = FontRef::new(&small).map_err(|e| format!("{e:?}"))?;
    let mut builder = FontBuilder::new();
    builder
        .add_table(&cmap)
        .map_err(|e| format!("{e:?}"))?
        .add_raw(Tag::new(b"OS/2"), os2.as_bytes().to_vec());
    builder.copy_missing_tables(sub);
    // Checked here rather than in a reader: every character kept must map.
    let mut built = builder.build();
    mark_cff(&mut built)?;
    let check = FontRef::new(&built).map_err(|e| format!("{e:?}"))?;
    let cmap = check.cmap().map_err(|e| format!("{e:?}"))?;
    if let Some(&(c, _)) = mapped
        .iter()
        .find(|(c, _)| cmap.map_codepoint(*c).is_none())
    {
        return Err(format!("the subset lost U+{:04X}", c as u32));
    }
    Ok(built)
}

/// The builder writes every font as TrueType (`00 01 00 00`); one with CFF
/// outlines says `OTTO`, which readers check. The whole-font checksum in
/// `head` covers the header, so it is computed again.
fn mark_cff(font: &mut [u8]) -> Result<(), String> {
    let be32 = |b: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    font.get_mut(..4)
        .ok_or("empty font")?
        .copy_from_slice(b"OTTO");
    let tables = usize::from(u16::from_be_bytes([font[4], font[5]]));
    let head = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| font.get(r..r + 4) == Some(b"head"))
        .and_then(|r| be32(font, r + 8))
        .ok_or("the subset has no head table")? as usize;
    let adjust = head + 8;
    font.get_mut(adjust..adjust + 4)
        .ok_or("the head table is cut short")?
        .copy_from_slice(&[0; 4]);
    let mut sum = 0u32;
    for chunk in font.chunks(4) {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum = sum.wrapping_add(u32::from_be_bytes(word));
    }
    font[adjust..adjust + 4].copy_from_slice(&0xB1B0_AFBAu32.wrapping_sub(sum).to_be_bytes());
    Ok(())
}
