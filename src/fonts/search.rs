//! Faces for what the book's fonts lack, found among installed fonts in the
//! directories the person running the build named (`--font-path DIR`) or the
//! book names inside its sandbox (`[fonts] paths`).
//!
//! Only run when some character has no glyph. The choice is deterministic:
//! for each style and each script with gaps, the face that covers most of
//! the missing characters wins; ties go to a serif face (family name says
//! "Serif", not "Sans"), then to a face named for the script ("Noto Serif
//! Armenian"; "CJK" for Chinese, Japanese and Korean), then to the regional
//! face of a CJK collection for the passage's language (`lang=zh-Hans` →
//! "… SC", `zh-Hant` → "TC", `ja` → "JP", `ko` → "KR"), then to the style's
//! slant (italic for italic), then
//! to the weight nearest the style's (400, bold 700), then to the first
//! file in search order (directories as given, files sorted by path within
//! each) and the first face of a collection. Repeated until the script is
//! covered or no face covers any more of it.

use super::{scripts, Face, FontSet, Style};
use crate::config::FontsConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::vfs::{Fs, Limit};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Directory levels below a search directory that are searched.
const MAX_DEPTH: usize = 8;
/// Font files examined at most, over all directories: a font directory of a
/// whole distribution holds a few thousand.
const MAX_FILES: usize = 10_000;
/// Faces of one collection examined at most.
const MAX_FACES: u32 = 64;
/// Faces added for one script in one style at most.
const MAX_PER_SCRIPT: usize = 4;

/// The directories to search: `[fonts] paths` (relative to the manuscript)
/// first, then `--font-path`.
pub fn dirs(config: &FontsConfig, manuscript_dir: &Path, cli: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = config
        .paths
        .iter()
        .map(|p| manuscript_dir.join(p))
        .collect();
    out.extend(cli.iter().cloned());
    out
}

/// A character some style lacks: which styles (by [`Style`] index), and
/// the language of the first passage marked as one (`[毛泽东]{lang=zh-Hans}`)
/// it stands in.
pub struct Want {
    pub styles: [bool; 4],
    pub lang: Option<String>,
}

pub type Wanted = BTreeMap<char, Want>;

/// One face that covers some of the wanted characters.
struct Candidate {
    order: usize,
    path: PathBuf,
    index: u32,
    serif: bool,
    family: String,
    italic: bool,
    weight: u16,
    covers: BTreeSet<char>,
}

/// Adds faces from `set.search` covering `wanted` to `set`, and a line per
/// face to `set.found`. A search directory that cannot be listed is an error.
pub fn fill(fs: &dyn Fs, set: &mut FontSet, wanted: &Wanted, diags: &mut Diagnostics) {
    let files = list(fs, &set.search, diags);
    let all: BTreeSet<char> = wanted.keys().copied().collect();
    let candidates = examine(fs, &files, &all);
    // Loaded faces by (file, index), so that one face serving two styles is
    // embedded once.
    let mut loaded: BTreeMap<(PathBuf, u32), usize> = BTreeMap::new();
    let mut found: BTreeMap<(String, String), Vec<&'static str>> = BTreeMap::new();
    for style in Style::ALL {
        let groups = by_script(wanted, style);
        for (script, chars) in groups {
            let variant = lang_of(wanted, &chars).and_then(cjk_variant);
            let named = Named { script, variant };
            let mut left = chars;
            for _ in 0..MAX_PER_SCRIPT {
                let Some(best) = best(&candidates, &left, style, &named) else {
                    break;
                };
                left.retain(|c| !best.covers.contains(c));
                let key = (best.path.clone(), best.index);
                let idx = match loaded.get(&key) {
                    Some(&i) => {
                        set.chains[style as usize].push(i);
                        if style == Style::Regular {
                            set.chains[Style::Mono as usize].push(i);
                        }
                        i
                    }
                    None => match load(fs, best) {
                        Ok(face) => {
                            let i = set.add_fallback(face, &[style]);
                            loaded.insert(key, i);
                            i
                        }
                        Err(e) => {
                            diags.push(
                                Diagnostic::error(
                                    "font-invalid",
                                    format!("{} is not a usable font: {e}", best.path.display()),
                                )
                                .in_file(&best.path),
                            );
                            break;
                        }
                    },
                };
                let face = &set.faces[idx];
                let what = match best.index {
                    0 => best
                        .path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned()),
                    i => best
                        .path
                        .file_name()
                        .map(|n| format!("{} (face {i}, {})", n.to_string_lossy(), face.family)),
                }
                .unwrap_or_default();
                let dir = best
                    .path
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                found
                    .entry((scripts::name(script), format!("{what} from {dir}/")))
                    .or_default()
                    .push(style_name(style));
                if left.is_empty() {
                    break;
                }
            }
        }
    }
    for ((script, face), styles) in found {
        set.found
            .push(format!("{script}: {face} ({})", styles.join(", ")));
    }
}

fn style_name(style: Style) -> &'static str {
    match style {
        Style::Regular | Style::Mono => "regular",
        Style::Bold => "bold",
        Style::Italic => "italic",
    }
}

/// The characters `style` lacks, by script (code's gaps count as regular:
/// code falls back on the regular chain).
fn by_script(wanted: &Wanted, style: Style) -> Vec<(scripts::Script, BTreeSet<char>)> {
    // Keyed by name: the crate's `Script` has no order.
    let mut out: BTreeMap<&str, (scripts::Script, BTreeSet<char>)> = BTreeMap::new();
    for (&c, want) in wanted {
        let styles = want.styles;
        let lacks =
            styles[style as usize] || (style == Style::Regular && styles[Style::Mono as usize]);
        if lacks {
            let script = scripts::of(c);
            out.entry(script.full_name())
                .or_insert_with(|| (script, BTreeSet::new()))
                .1
                .insert(c);
        }
    }
    out.into_values().collect()
}

/// What a face made for the script is called.
struct Named {
    script: scripts::Script,
    /// `SC`, `TC`, `HK`, `JP` or `KR`: the regional face of Noto CJK for
    /// the passage's language.
    variant: Option<&'static str>,
}

impl Named {
    /// The family is named for the script ("Noto Serif Armenian", "… CJK …").
    fn script(&self, family: &str) -> bool {
        use scripts::Script::*;
        match self.script {
            Han | Hiragana | Katakana | Hangul | Bopomofo => family.contains("CJK"),
            s => family.contains(&*scripts::name(s)),
        }
    }
    fn variant(&self, family: &str) -> bool {
        self.variant
            .is_some_and(|v| family.split_whitespace().last() == Some(v))
    }
}

/// The language most of `chars` are marked with, if any.
fn lang_of<'w>(wanted: &'w Wanted, chars: &BTreeSet<char>) -> Option<&'w str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in chars {
        if let Some(l) = wanted.get(c).and_then(|w| w.lang.as_deref()) {
            *counts.entry(l).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(l, n)| (n, std::cmp::Reverse(l)))
        .map(|(l, _)| l)
}

/// Noto CJK's regional face for a BCP 47 tag.
fn cjk_variant(tag: &str) -> Option<&'static str> {
    let t = tag.to_ascii_lowercase();
    let sub = |p: &str| t == p || t.starts_with(&format!("{p}-"));
    Some(if sub("zh-hant") || sub("zh-tw") || sub("zh-mo") {
        "TC"
    } else if sub("zh-hk") {
        "HK"
    } else if sub("zh") {
        "SC"
    } else if sub("ja") {
        "JP"
    } else if sub("ko") {
        "KR"
    } else {
        return None;
    })
}

/// The rule in the module's comment.
fn best<'c>(
    candidates: &'c [Candidate],
    left: &BTreeSet<char>,
    style: Style,
    named: &Named,
) -> Option<&'c Candidate> {
    let want_italic = style == Style::Italic;
    let want_weight: i32 = if style == Style::Bold { 700 } else { 400 };
    candidates
        .iter()
        .map(|c| (c.covers.intersection(left).count(), c))
        .filter(|(n, _)| *n > 0)
        .min_by_key(|(n, c)| {
            (
                std::cmp::Reverse(*n),
                !c.serif,
                !named.script(&c.family),
                !named.variant(&c.family),
                c.italic != want_italic,
                (i32::from(c.weight) - want_weight).abs(),
                c.order,
                c.index,
            )
        })
        .map(|(_, c)| c)
}

/// Every font file under `dirs`: each directory's files sorted by path, the
/// directories in the order given.
fn list(fs: &dyn Fs, dirs: &[PathBuf], diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in dirs {
        if !fs.is_dir(dir) {
            diags.push(
                Diagnostic::error(
                    "font-path",
                    format!("the font directory {} does not exist", dir.display()),
                )
                .in_file(dir),
            );
            continue;
        }
        let mut files = Vec::new();
        let mut stack = vec![(dir.clone(), 0usize)];
        while let Some((d, depth)) = stack.pop() {
            let entries = match fs.read_dir(&d) {
                Ok(e) => e,
                Err(e) if d == *dir => {
                    diags.push(
                        Diagnostic::error(
                            "font-path",
                            format!("the font directory {} cannot be searched: {e}", d.display()),
                        )
                        .in_file(dir),
                    );
                    continue;
                }
                // A subdirectory that cannot be read holds nothing usable.
                Err(_) => continue,
            };
            for p in entries {
                if is_font_file(&p) && fs.is_file(&p) {
                    files.push(p);
                } else if depth < MAX_DEPTH && fs.is_dir(&p) {
                    stack.push((p, depth + 1));
                }
            }
            if files.len() + out.len() >= MAX_FILES {
                break;
            }
        }
        files.sort();
        out.extend(files);
    }
    out.truncate(MAX_FILES);
    out
}

fn is_font_file(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

/// The faces in `files` that cover any of `wanted`. Files that cannot be
/// read or parsed are passed over: they were not named, only found.
fn examine(fs: &dyn Fs, files: &[PathBuf], wanted: &BTreeSet<char>) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (order, path) in files.iter().enumerate() {
        let Ok(data) = fs.read_limited(path, Limit::Font.bytes()) else {
            continue;
        };
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        for index in 0..faces.min(MAX_FACES) {
            let Ok(face) = ttf_parser::Face::parse(&data, index) else {
                continue;
            };
            let covers: BTreeSet<char> = wanted
                .iter()
                .copied()
                .filter(|&c| face.glyph_index(c).is_some_and(|g| g.0 != 0))
                .collect();
            if covers.is_empty() {
                continue;
            }
            let family = super::family_name(&face).unwrap_or_default();
            out.push(Candidate {
                order,
                path: path.clone(),
                index,
                serif: family.contains("Serif") && !family.contains("Sans"),
                family,
                italic: face.is_italic(),
                weight: face.weight().to_number(),
                covers,
            });
        }
    }
    out
}

/// Reads the chosen face whole. A face of a collection is named for its
/// index, with the extension of its outlines (`.otf` for CFF), so that the
/// EPUB declares its type right.
fn load(fs: &dyn Fs, c: &Candidate) -> Result<Face, String> {
    let data = fs
        .read_limited(&c.path, Limit::Font.bytes())
        .map_err(|e| e.to_string())?;
    let file = c
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "font".into());
    let name = if ttf_parser::fonts_in_collection(&data).is_some() {
        let cff = ttf_parser::Face::parse(&data, c.index)
            .map(|f| f.tables().cff.is_some())
            .unwrap_or(false);
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        format!("{stem}-{}.{}", c.index, if cff { "otf" } else { "ttf" })
    } else {
        file
    };
    Face::parse_at(name, Arc::new(data), c.index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::MemFs;

    fn font(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fonts")
                .join(name),
        )
        .expect("a built-in font file")
    }

    /// A set that draws nothing of Georgian: only the monospace face.
    fn mono_only() -> FontSet {
        let mut set = FontSet::builtin();
        let mono = set
            .faces
            .iter()
            .position(|f| f.file_name == "DejaVuSansMono.ttf")
            .expect("mono");
        set.chains = [vec![mono], vec![mono], vec![mono], vec![mono]];
        set
    }

    fn want(c: char, styles: &[Style]) -> (char, Want) {
        let mut s = [false; 4];
        for &st in styles {
            s[st as usize] = true;
        }
        (
            c,
            Want {
                styles: s,
                lang: None,
            },
        )
    }

    #[test]
    fn the_rule_prefers_serif_then_the_style_weight() {
        let mut fs = MemFs::new();
        // DejaVu Sans Mono covers Georgian too, and sorts first: serif wins.
        fs.insert("found/a/DejaVuSansMono.ttf", font("DejaVuSansMono.ttf"));
        fs.insert(
            "found/b/NotoSerifGeorgian-Bold.ttf",
            font("NotoSerifGeorgian-Bold.ttf"),
        );
        fs.insert(
            "found/b/NotoSerifGeorgian-Regular.ttf",
            font("NotoSerifGeorgian-Regular.ttf"),
        );
        fs.insert("found/b/readme.txt", "not a font");
        let mut set = mono_only();
        set.search = vec![PathBuf::from("found")];
        let wanted: Wanted = [want('ჰ', &[Style::Regular, Style::Bold, Style::Italic])].into();
        let mut diags = Diagnostics::default();
        fill(&fs, &mut set, &wanted, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        // The set already holds faces of these names (unused here), so the
        // found ones are renamed `…-2.ttf` for the EPUB.
        let chosen = |style: Style| {
            let name = &set.faces[*set.chain(style).last().expect("added")].file_name;
            name.rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .trim_end_matches("-2")
                .to_string()
        };
        assert_eq!(chosen(Style::Regular), "NotoSerifGeorgian-Regular");
        assert_eq!(chosen(Style::Bold), "NotoSerifGeorgian-Bold");
        // No Georgian italic: the regular weight, upright.
        assert_eq!(chosen(Style::Italic), "NotoSerifGeorgian-Regular");
        assert_eq!(
            set.found,
            vec![
                "Georgian: NotoSerifGeorgian-Bold.ttf from found/b/ (bold)".to_string(),
                "Georgian: NotoSerifGeorgian-Regular.ttf from found/b/ (regular, italic)"
                    .to_string(),
            ]
        );
        // Code falls back on the regular chain, found faces included.
        assert!(set.chain(Style::Mono).len() > 1);
    }

    #[test]
    fn a_missing_search_directory_is_an_error() {
        let fs = MemFs::new();
        let mut set = mono_only();
        set.search = vec![PathBuf::from("nowhere")];
        let wanted: Wanted = [want('ჰ', &[Style::Regular])].into();
        let mut diags = Diagnostics::default();
        fill(&fs, &mut set, &wanted, &mut diags);
        assert_eq!(diags.list.len(), 1);
        assert_eq!(diags.list[0].code, "font-path");
        assert!(set.found.is_empty());
    }

    #[test]
    fn cjk_regional_faces_follow_the_language() {
        assert_eq!(cjk_variant("zh-Hans"), Some("SC"));
        assert_eq!(cjk_variant("zh-Hant-TW"), Some("TC"));
        assert_eq!(cjk_variant("zh-HK"), Some("HK"));
        assert_eq!(cjk_variant("ja"), Some("JP"));
        assert_eq!(cjk_variant("hy"), None);
        let named = Named {
            script: scripts::Script::Han,
            variant: Some("SC"),
        };
        assert!(named.script("Noto Serif CJK JP"));
        assert!(named.variant("Noto Serif CJK SC"));
        assert!(!named.variant("Noto Serif CJK TC"));
    }
}
