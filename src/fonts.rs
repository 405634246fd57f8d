//! The font set: loading, coverage and per-character fallback. Both writers use
//! it: the EPUB embeds the files and names them in a CSS font stack, the PDF
//! typesetter shapes runs with the face that covers each character.

use crate::config::FontsConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod scripts;
pub mod search;
mod subset_cff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    /// Code: the built-in monospace face, then the regular chain for what
    /// it lacks.
    Mono,
}

impl Style {
    /// The styles of text that `[fonts]` in `book.toml` can set (code keeps
    /// the built-in monospace face).
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];
}

/// One font file.
#[derive(Clone)]
pub struct Face {
    /// File name, also its name inside the EPUB.
    pub file_name: String,
    /// Family name from the font's `name` table.
    pub family: String,
    pub weight: u16,
    pub italic: bool,
    pub data: Arc<Vec<u8>>,
    /// The face's index in a collection (TTC/OTC); 0 for a single font.
    pub index: u32,
    coverage: Arc<HashSet<char>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("file_name", &self.file_name)
            .field("family", &self.family)
            .field("weight", &self.weight)
            .field("italic", &self.italic)
            .finish()
    }
}

impl Face {
    pub fn covers(&self, c: char) -> bool {
        self.coverage.contains(&c)
    }

    fn parse(file_name: String, data: Vec<u8>) -> Result<Face, String> {
        Face::parse_at(file_name, Arc::new(data), 0)
    }

    /// Face `index` of a font file (0 unless it is a collection).
    pub(crate) fn parse_at(
        file_name: String,
        data: Arc<Vec<u8>>,
        index: u32,
    ) -> Result<Face, String> {
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| format!("not a font: {e}"))?;
        let family = family_name(&face).unwrap_or_else(|| file_name.clone());
        let weight = face.weight().to_number();
        let italic = face.is_italic();
        let mut coverage = HashSet::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if sub.is_unicode() {
                    sub.codepoints(|cp| {
                        if let Some(c) = char::from_u32(cp) {
                            if sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                                coverage.insert(c);
                            }
                        }
                    });
                }
            }
        }
        if coverage.is_empty() {
            return Err("the font maps no Unicode characters".into());
        }
        Ok(Face {
            file_name,
            family,
            weight,
            italic,
            data,
            index,
            coverage: Arc::new(coverage),
        })
    }
}

fn family_name(face: &ttf_parser::Face) -> Option<String> {
    let names = face.names();
    let find = |id: u16| {
        (0..names.len())
            .filter_map(|i| names.get(i))
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
    };
    find(ttf_parser::name_id::TYPOGRAPHIC_FAMILY).or_else(|| find(ttf_parser::name_id::FAMILY))
}

/// tsigni's own fonts, compiled in so the binary builds books from anywhere.
const BUILTIN: &[(&str, &[u8])] = &[
    (
        "NotoSerifGeorgian-Regular.ttf",
        include_bytes!("../fonts/NotoSerifGeorgian-Regular.ttf"),
    ),
    (
        "NotoSerifGeorgian-Bold.ttf",
        include_bytes!("../fonts/NotoSerifGeorgian-Bold.ttf"),
    ),
    (
        "NotoSerif-Regular.ttf",
        include_bytes!("../fonts/NotoSerif-Regular.ttf"),
    ),
    (
        "NotoSerif-Bold.ttf",
        include_bytes!("../fonts/NotoSerif-Bold.ttf"),
    ),
    (
        "NotoSerif-Italic.ttf",
        include_bytes!("../fonts/NotoSerif-Italic.ttf"),
    ),
    // Covers Latin, Cyrillic, Greek and Georgian in one width; under the
    // Bitstream Vera licence (fonts/DejaVu-LICENSE.txt), which allows
    // subsetting and embedding.
    (
        "DejaVuSansMono.ttf",
        include_bytes!("../fonts/DejaVuSansMono.ttf"),
    ),
];

const BUILTIN_REGULAR: &[&str] = &["NotoSerifGeorgian-Regular.ttf", "NotoSerif-Regular.ttf"];
const BUILTIN_BOLD: &[&str] = &["NotoSerifGeorgian-Bold.ttf", "NotoSerif-Bold.ttf"];
// Georgian has no italic; an upright Georgian face beside the Latin italic is
// what Georgian typesetting does.
const BUILTIN_ITALIC: &[&str] = &["NotoSerifGeorgian-Regular.ttf", "NotoSerif-Italic.ttf"];
const BUILTIN_MONO: &str = "DejaVuSansMono.ttf";

/// The licence files that travel with the built-in fonts.
pub const BUILTIN_LICENSE: &str = include_str!("../fonts/OFL.txt");

#[derive(Debug, Clone)]
pub struct FontSet {
    faces: Vec<Face>,
    /// For each style, indices into `faces` in fallback order.
    chains: [Vec<usize>; 4],
    pub builtin: bool,
    /// Directories searched for faces that cover what the set lacks:
    /// `[fonts] paths` and `--font-path`.
    pub search: Vec<PathBuf>,
    /// One line per face found there: script, file and directory.
    pub found: Vec<String>,
}

impl FontSet {
    /// The built-in Noto Serif Georgian + Noto Serif set.
    pub fn builtin() -> FontSet {
        let faces: Vec<Face> = BUILTIN
            .iter()
            .map(|(name, data)| {
                // The built-in files are tested fonts; a failure here is a broken build.
                Face::parse((*name).to_string(), data.to_vec())
                    .unwrap_or_else(|e| panic!("built-in font {name} is broken: {e}"))
            })
            .collect();
        let index = |list: &[&str]| -> Vec<usize> {
            list.iter()
                .filter_map(|n| faces.iter().position(|f| f.file_name == *n))
                .collect()
        };
        let mut mono = index(&[BUILTIN_MONO]);
        mono.extend(index(BUILTIN_REGULAR));
        let chains = [
            index(BUILTIN_REGULAR),
            index(BUILTIN_BOLD),
            index(BUILTIN_ITALIC),
            mono,
        ];
        FontSet {
            faces,
            chains,
            builtin: true,
            search: Vec::new(),
            found: Vec::new(),
        }
    }

    /// The fonts named in `book.toml` (paths relative to the manuscript
    /// directory), each style's followed by the built-in chain.
    pub fn load(
        fs: &dyn crate::vfs::Fs,
        config: &FontsConfig,
        manuscript_dir: &Path,
    ) -> Result<FontSet, Diagnostics> {
        if config.regular.is_empty() && config.bold.is_empty() && config.italic.is_empty() {
            return Ok(FontSet::builtin());
        }
        let builtin = FontSet::builtin();
        let mut diags = Diagnostics::default();
        let mut faces: Vec<Face> = Vec::new();
        let mut chains: [Vec<usize>; 4] = Default::default();
        let lists = [&config.regular, &config.bold, &config.italic];
        for (slot, (style, list)) in Style::ALL.iter().zip(lists).enumerate() {
            // The book's faces first, then the built-in chain, so that a font
            // added for one script never takes away the others.
            let add_builtin = |faces: &mut Vec<Face>, chain: &mut Vec<usize>| {
                for &i in builtin.chain(*style) {
                    let f = &builtin.faces[i];
                    let idx = match faces.iter().position(|g| g.file_name == f.file_name) {
                        Some(idx) => idx,
                        None => {
                            faces.push(f.clone());
                            faces.len() - 1
                        }
                    };
                    if !chain.contains(&idx) {
                        chain.push(idx);
                    }
                }
            };
            for rel in list {
                let path = manuscript_dir.join(rel);
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| rel.clone());
                if let Some(idx) = faces.iter().position(|g| g.file_name == file_name) {
                    chains[slot].push(idx);
                    continue;
                }
                let data = match fs.read_limited(&path, crate::vfs::Limit::Font.bytes()) {
                    Ok(d) => d,
                    Err(e) => {
                        diags.push(
                            Diagnostic::error(
                                "font-missing",
                                format!("cannot read font file {}: {e}", path.display()),
                            )
                            .in_file(&path),
                        );
                        continue;
                    }
                };
                match Face::parse(file_name, data) {
                    Ok(face) => {
                        faces.push(face);
                        chains[slot].push(faces.len() - 1);
                    }
                    Err(e) => diags.push(
                        Diagnostic::error(
                            "font-invalid",
                            format!("{} is not a usable font: {e}", path.display()),
                        )
                        .in_file(&path),
                    ),
                }
            }
            add_builtin(&mut faces, &mut chains[slot]);
        }
        if diags.has_errors() {
            return Err(diags);
        }
        // Code: the built-in monospace face, then the book's regular chain.
        if let Some(m) = builtin.faces.iter().find(|f| f.file_name == BUILTIN_MONO) {
            faces.push(m.clone());
            chains[Style::Mono as usize].push(faces.len() - 1);
        }
        let regular = chains[Style::Regular as usize].clone();
        chains[Style::Mono as usize].extend(regular);
        Ok(FontSet {
            faces,
            chains,
            builtin: false,
            search: Vec::new(),
            found: Vec::new(),
        })
    }

    /// Appends a face found on a search path to the end of the chains of
    /// `styles` (code falls back on the regular chain, so it gets it too).
    pub(crate) fn add_fallback(&mut self, mut face: Face, styles: &[Style]) -> usize {
        // Its name inside the EPUB must be unique.
        let stem = face.file_name.clone();
        let mut n = 2;
        while self.faces.iter().any(|f| f.file_name == face.file_name) {
            face.file_name = match stem.rsplit_once('.') {
                Some((a, ext)) => format!("{a}-{n}.{ext}"),
                None => format!("{stem}-{n}"),
            };
            n += 1;
        }
        self.faces.push(face);
        let idx = self.faces.len() - 1;
        for &s in styles {
            self.chains[s as usize].push(idx);
            if s == Style::Regular {
                self.chains[Style::Mono as usize].push(idx);
            }
        }
        self.builtin = false;
        idx
    }

    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    pub fn face(&self, index: usize) -> &Face {
        &self.faces[index]
    }

    /// Indices into [`FontSet::faces`], in fallback order, for a style.
    pub fn chain(&self, style: Style) -> &[usize] {
        &self.chains[style as usize]
    }

    /// Is face `index` used for code only (the monospace face), so that a
    /// book embeds it only for the characters of its code?
    pub fn code_only(&self, index: usize) -> bool {
        Style::ALL.iter().all(|&s| !self.chain(s).contains(&index))
    }

    /// The face that draws `c` in `style`: the first of the chain that covers it.
    pub fn face_for(&self, style: Style, c: char) -> Option<usize> {
        self.chain(style)
            .iter()
            .copied()
            .find(|&i| self.faces[i].covers(c))
    }

    /// Characters that need no glyph of their own: spacing, soft hyphens, joiners.
    pub fn needs_glyph(c: char) -> bool {
        !(c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
            ))
    }
}

impl Face {
    /// A copy of the font holding only the glyphs for `chars` (and what they
    /// need: composites, ligatures of the kept layout features), with the
    /// cmap, metrics and the name records for copyright, family and licence,
    /// which the SIL OFL asks to travel with the font.
    pub fn subset(&self, chars: &std::collections::BTreeSet<char>) -> Result<Vec<u8>, String> {
        use fontcull_klippa::{subset_font, Plan, SubsetFlags};
        use fontcull_read_fonts::collections::IntSet;
        use fontcull_skrifa::{FontRef, GlyphId, Tag};
        use fontcull_write_fonts::types::NameId;

        if subset_cff::is_cff(&self.data, self.index) {
            return subset_cff::subset(&self.data, self.index, chars);
        }
        let font = FontRef::from_index(&self.data, self.index).map_err(|e| format!("{e:?}"))?;
        let mut unicodes: IntSet<u32> = IntSet::empty();
        for c in chars.iter().filter(|c| self.covers(**c)) {
            unicodes.insert(*c as u32);
        }
        let mut names: IntSet<NameId> = IntSet::empty();
        // Copyright, family, subfamily, unique id, full name, version,
        // PostScript name, licence description and licence URL.
        for id in [0u16, 1, 2, 3, 4, 5, 6, 13, 14] {
            names.insert(NameId::new(id));
        }
        let mut langs: IntSet<u16> = IntSet::empty();
        langs.insert(0x0409);
        let plan = Plan::new(
            &IntSet::<GlyphId>::empty(),
            &unicodes,
            &font,
            SubsetFlags::default(),
            &IntSet::<Tag>::empty(),
            &IntSet::<Tag>::all(),
            &IntSet::<Tag>::all(),
            &names,
            &langs,
        );
        subset_font(&font, &plan).map_err(|e| format!("{e:?}"))
    }
}
