//! Writing outputs so that a failed build never leaves a half-written file: the
//! bytes go to a temporary file beside the target, which is renamed into place.

use crate::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let wrap = |source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(wrap)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tsigni-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(wrap)?;
    tmp.write_all(bytes).map_err(wrap)?;
    // Temporary files are private (0600); a published book is for everyone to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(wrap)?;
    }
    tmp.as_file().sync_all().map_err(wrap)?;
    // On error the temporary file is dropped and deleted; the old output stays.
    tmp.persist(path).map_err(|e| wrap(e.error))?;
    Ok(())
}

/// Writes several files atomically at once, each on its own thread: the
/// `fsync` of one overlaps the others', which on a busy disk is most of the
/// time a build spends writing. Results come back in the order given.
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Vec<Result<(), Error>> {
    crate::in_parallel(
        files,
        |&(path, bytes)| write_atomic(path, bytes),
        |&(path, _)| {
            Err(Error::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other("the writing thread panicked"),
            })
        },
    )
}

/// Replaces the directory `dir` as a whole by one holding `files` (paths
/// relative to it). They are written into a temporary directory beside `dir`,
/// which is then renamed into place; the old directory, renamed aside first,
/// is removed after. Until the swap, a failure leaves the old directory as it
/// was, and the temporary one is deleted.
pub fn replace_dir(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let wrap = |path: &Path, source: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| wrap(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".tsigni-")
        .suffix(".part")
        .tempdir_in(parent)
        .map_err(|e| wrap(dir, e))?;
    for (rel, bytes) in files {
        // Only plain relative paths: nothing may be written outside the edition.
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            let source = std::io::Error::other("not a plain relative path");
            return Err(wrap(rel, source));
        }
        let path = tmp.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| wrap(&dir.join(rel), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| wrap(&dir.join(rel), e))?;
    }
    // A temporary directory is private (0700); a published book is for everyone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|e| wrap(dir, e))?;
    }
    swap_in(tmp, dir, parent)
}

/// Renames the finished `tmp` to `dir`, moving an existing `dir` aside first
/// and back if the second rename fails.
fn swap_in(tmp: tempfile::TempDir, dir: &Path, parent: &Path) -> Result<(), Error> {
    let wrap = |source: std::io::Error| Error::Write {
        path: dir.to_path_buf(),
        source,
    };
    let old = if dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(".tsigni-old-")
            .tempdir_in(parent)
            .map_err(wrap)?;
        // The empty placeholder only reserves a unique name.
        let aside = aside.keep();
        std::fs::remove_dir(&aside).map_err(wrap)?;
        std::fs::rename(dir, &aside).map_err(wrap)?;
        Some(aside)
    } else {
        None
    };
    let new = tmp.keep();
    if let Err(e) = std::fs::rename(&new, dir) {
        if let Some(aside) = &old {
            // Best effort: put the old edition back; the error is the rename's.
            let _ = std::fs::rename(aside, dir);
        }
        let _ = std::fs::remove_dir_all(&new);
        return Err(wrap(e));
    }
    if let Some(aside) = old {
        std::fs::remove_dir_all(&aside).map_err(wrap)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
