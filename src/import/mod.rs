//! `tsigni import`: turns a manuscript that arrives in another shape (text
//! extracted from a published PDF) into a manuscript directory that
//! `tsigni check` reads, with a report of every guess made on the way.

mod cites;
pub mod docx;
mod emit;
mod hyphens;
mod measure;
pub mod report;
pub mod text;
mod typed_bib;

use std::path::{Path, PathBuf};

pub use report::{Guess, Report};

/// Why an import or `new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input cannot be read or is not what it claims to be.
    #[error("{0}")]
    Input(String),
    /// The manuscript directory exists and `--force` was not given.
    #[error("{} already exists; pass --force to replace it", .0.display())]
    Exists(PathBuf),
    /// Writing the manuscript failed; nothing was left half-written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A manuscript to be written: file names relative to its directory.
pub type Files = Vec<(String, Vec<u8>)>;

/// The largest input read, so that a mistaken argument (a disk image, a
/// video) is refused before it fills memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Imports `input` (chosen by its extension) into the directory `into`.
pub fn import(input: &Path, into: &Path, force: bool) -> Result<Report, ImportError> {
    refuse_existing(into, force)?;
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (files, report) = match ext.as_str() {
        "txt" | "text" | "" => {
            let bytes = read_bounded(input)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                ImportError::Input(format!("{} is not UTF-8 text", input.display()))
            })?;
            let name = input.file_name().map_or_else(
                || "input.txt".to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            text::import(&text, &name)
        }
        "docx" => {
            let bytes = read_bounded(input)?;
            let name = input.file_name().map_or_else(
                || "input.docx".to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            docx::import(bytes, &name)?
        }
        other => {
            return Err(ImportError::Input(format!(
                "{}: cannot import .{other} files (tsigni imports .docx, and plain text extracted from a PDF, .txt)",
                input.display()
            )))
        }
    };
    write_manuscript(into, &files, force)?;
    Ok(report)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| ImportError::Input(format!("cannot read {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::Input(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError::Input(format!(
            "{} is larger than {} MB",
            path.display(),
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
}

/// Refuses, before any work, a directory that exists (unless forced) or a
/// path that is something other than a directory.
pub fn refuse_existing(dir: &Path, force: bool) -> Result<(), ImportError> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(ImportError::Input(format!(
            "{} exists and is not a directory",
            dir.display()
        ))),
        Ok(_) if !force => Err(ImportError::Exists(dir.to_path_buf())),
        _ => Ok(()),
    }
}

/// Writes the files into a temporary directory beside `dir`, then renames it
/// into place, so that a failed import leaves nothing and a forced one
/// replaces the old directory in one step.
pub fn write_manuscript(dir: &Path, files: &Files, force: bool) -> Result<(), ImportError> {
    refuse_existing(dir, force)?;
    let write_err = |path: &Path, source| ImportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| write_err(&parent, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".tsigni-import-")
        .tempdir_in(&parent)
        .map_err(|e| write_err(&parent, e))?;
    for (name, bytes) in files {
        let path = staging.path().join(name);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| write_err(p, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| write_err(&dir.join(name), e))?;
    }
    let old = if dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".tsigni-replaced-")
            .tempdir_in(&parent)
            .map_err(|e| write_err(&parent, e))?;
        let target = aside.path().join("old");
        std::fs::rename(dir, &target).map_err(|e| write_err(dir, e))?;
        Some((aside, target))
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        if let Some((_, target)) = &old {
            let _ = std::fs::rename(target, dir);
        }
        return Err(write_err(dir, e));
    }
    // `old`'s temporary directory is removed as it drops, with the
    // replaced manuscript inside it.
    drop(old);
    Ok(())
}
