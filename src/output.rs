//! Writing outputs: never over an input or anything but a regular file (or
//! a directory tsigni did not write), and a build's outputs, the web
//! edition's directory with them, as one set ([`set`]), so that a failure, a
//! kill or a concurrent build leaves on disk the whole old set or the whole
//! new one.

mod set;

pub use set::{recover, write_set, Entry};

use crate::error::Error;
use std::io;
use std::path::{Path, PathBuf};

/// Everything the set writer leaves behind begins so, except the lock.
const TEMP_PREFIX: &str = ".tsigni-";

fn write_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

fn refuse(path: &Path, why: String) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidInput, why),
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Refuses, before anything is written, an output that is one of `inputs`
/// (the files the build read, resolved), that exists and is not a regular
/// file (a symbolic link, directory, device or pipe, which renaming over
/// would replace), that is named twice, or whose directory cannot be made
/// because part of its path is a file.
pub fn check_outputs(outputs: &[&Path], inputs: &[PathBuf]) -> Result<(), Error> {
    let input_ids: Vec<_> = inputs.iter().filter_map(|p| file_id(p)).collect();
    for (i, &out) in outputs.iter().enumerate() {
        if out.file_name().is_none() {
            return Err(refuse(out, "it names a directory, not a file".into()));
        }
        if file_name_of(out).starts_with(".tsigni") {
            return Err(refuse(
                out,
                "names beginning with .tsigni are the build's own temporary files".into(),
            ));
        }
        if outputs[..i].contains(&out) {
            return Err(refuse(out, "it is named twice as an output".into()));
        }
        if let Some(file) = parent_of(out)
            .ancestors()
            .find(|a| a.exists() && !a.is_dir())
        {
            return Err(refuse(
                out,
                format!(
                    "{} is a file, so no directory can be made there",
                    file.display()
                ),
            ));
        }
        match std::fs::symlink_metadata(out) {
            Ok(m) if !m.file_type().is_file() => {
                return Err(refuse(
                    out,
                    "it exists and is not a regular file (a symbolic link, directory, \
                     device or pipe); only a regular file or a new path may be an output"
                        .into(),
                ))
            }
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(write_error(out)(e)),
            _ => {}
        }
        let resolved = std::fs::canonicalize(parent_of(out))
            .ok()
            .zip(out.file_name())
            .map(|(dir, name)| dir.join(name));
        let same_path = resolved.as_ref().is_some_and(|r| inputs.contains(r));
        let same_file = file_id(out).is_some_and(|id| input_ids.contains(&id));
        if same_path || same_file {
            return Err(refuse(
                out,
                "it is one of the files this build reads; choose another output path".into(),
            ));
        }
    }
    Ok(())
}

/// Device and inode: two paths to one file (a hard link) share them.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// Marks a directory as one that the set writer wrote, so that a later
/// build may replace it whole and never a directory of something else.
const EDITION_MARK: &str = ".tsigni-edition";

/// Refuses, before anything is written, a directory output that holds one
/// of `inputs` (the files the build read, resolved), that exists and is not
/// a directory, or that exists, is not empty and was not written by the
/// set writer: replacing it would delete whatever it holds.
pub fn check_dir_output(dir: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let resolved = std::fs::canonicalize(dir).ok().or_else(|| {
        let parent = std::fs::canonicalize(parent_of(dir)).ok()?;
        Some(parent.join(dir.file_name()?))
    });
    if let Some(r) = &resolved {
        if inputs.iter().any(|i| i.starts_with(r)) {
            return Err(refuse(
                dir,
                "it holds files this build reads; choose another output directory".into(),
            ));
        }
    }
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(write_error(dir)(e)),
        Ok(m) if !m.is_dir() => Err(refuse(
            dir,
            "it exists and is not a directory (a file or a symbolic link)".into(),
        )),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir).map_err(write_error(dir))?;
            if entries.next().is_none() || dir.join(EDITION_MARK).is_file() {
                Ok(())
            } else {
                Err(refuse(
                    dir,
                    "it is a directory tsigni did not write, and would be replaced whole; \
                     choose a new or empty directory"
                        .into(),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set of one directory: the web edition alone, as `tsigni html` writes it.
    fn replace_dir(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
        write_set(&[(dir.to_path_buf(), Entry::Dir(files))])
    }

    fn leftovers(parent: &Path) -> Vec<String> {
        std::fs::read_dir(parent)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".tsigni-"))
            .collect()
    }

    #[test]
    fn a_directory_is_replaced_whole() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("book");
        let first = [
            (PathBuf::from("index.html"), b"one".to_vec()),
            (PathBuf::from("old.html"), b"gone later".to_vec()),
        ];
        replace_dir(&dir, &first).expect("first build");
        let second = [
            (PathBuf::from("index.html"), b"two".to_vec()),
            (PathBuf::from("fonts/a.woff2"), b"font".to_vec()),
        ];
        replace_dir(&dir, &second).expect("second build");
        assert_eq!(
            std::fs::read(dir.join("index.html")).ok(),
            Some(b"two".to_vec())
        );
        assert_eq!(
            std::fs::read(dir.join("fonts/a.woff2")).ok(),
            Some(b"font".to_vec())
        );
        assert!(
            !dir.join("old.html").exists(),
            "a file of the old edition survived"
        );
        assert_eq!(leftovers(root.path()), Vec::<String>::new());
    }

    #[test]
    fn a_failed_write_leaves_the_old_directory() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("book");
        replace_dir(&dir, &[(PathBuf::from("index.html"), b"old".to_vec())]).expect("first");
        // `a` is a file, so `a/b` cannot be written: the build fails midway.
        let broken = [
            (PathBuf::from("index.html"), b"new".to_vec()),
            (PathBuf::from("a"), b"file".to_vec()),
            (PathBuf::from("a/b"), b"under a file".to_vec()),
        ];
        assert!(replace_dir(&dir, &broken).is_err());
        let escaping = [(PathBuf::from("../x.html"), b"outside".to_vec())];
        assert!(replace_dir(&dir, &escaping).is_err());
        assert!(!root.path().join("x.html").exists());
        assert_eq!(
            std::fs::read(dir.join("index.html")).ok(),
            Some(b"old".to_vec())
        );
        assert_eq!(leftovers(root.path()), Vec::<String>::new());
    }

    #[test]
    fn only_new_empty_or_earlier_editions_may_be_replaced() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("book");
        assert!(check_dir_output(&dir, &[]).is_ok(), "a new directory");
        std::fs::create_dir(&dir).expect("mkdir");
        assert!(check_dir_output(&dir, &[]).is_ok(), "an empty directory");
        std::fs::write(dir.join("notes.txt"), "mine").expect("a stranger's file");
        assert!(
            check_dir_output(&dir, &[]).is_err(),
            "someone else's directory"
        );
        std::fs::remove_file(dir.join("notes.txt")).expect("rm");
        replace_dir(&dir, &[(PathBuf::from("index.html"), b"x".to_vec())]).expect("build");
        assert!(check_dir_output(&dir, &[]).is_ok(), "an earlier edition");
        let input = std::fs::canonicalize(&dir)
            .expect("resolved")
            .join("book.toml");
        assert!(
            check_dir_output(&dir, &[input]).is_err(),
            "a directory of inputs"
        );
        assert!(
            check_dir_output(&dir.join("index.html"), &[]).is_err(),
            "a file"
        );
    }
}
