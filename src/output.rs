//! Writing outputs: never over an input or anything but a regular file, and
//! a build's files as one set, so that a failure, a kill or a concurrent
//! build leaves on disk the whole old set or the whole new one.
//!
//! The set is written into a fresh hidden directory beside the outputs; a
//! small journal naming it is then renamed into place (the commit point) and
//! the files are renamed over the old ones. A build that dies before the
//! journal leaves the old set and a staging directory the next build removes;
//! one that dies after it leaves a journal the next build completes before
//! anything else. Builds to one directory take turns under a lock on
//! `.tsigni.lock`.

use crate::error::Error;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Everything the set writer leaves behind begins so, except the lock.
const TEMP_PREFIX: &str = ".tsigni-";
const STAGING_PREFIX: &str = ".tsigni-new-";
const JOURNAL: &str = ".tsigni-switch.json";
const LOCK: &str = ".tsigni.lock";

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

/// Writes `files`, all in one directory, as one set (see the module notes).
pub fn write_set(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let Some((first, _)) = files.first() else {
        return Ok(());
    };
    let dir = parent_of(first);
    let mut names = Vec::with_capacity(files.len());
    for (path, _) in files {
        if parent_of(path) != dir {
            return Err(refuse(
                path,
                "a set's files must share one directory".into(),
            ));
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| refuse(path, "an output's file name must be valid UTF-8".into()))?;
        names.push(name.to_string());
    }
    let wrap = write_error(dir);
    std::fs::create_dir_all(dir).map_err(&wrap)?;
    let _lock = lock(dir).map_err(&wrap)?;
    recover(dir).map_err(&wrap)?;
    // Until the journal is in place, dropping this removes the new files and
    // the old set stays whole.
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .map_err(&wrap)?;
    let jobs: Vec<(PathBuf, &[u8])> = names
        .iter()
        .zip(files)
        .map(|(name, (_, bytes))| (staging.path().join(name), bytes.as_slice()))
        .collect();
    let written = crate::in_parallel(
        &jobs,
        |(path, bytes)| write_file(path, bytes),
        |_| Err(io::Error::other("the writing thread panicked")),
    );
    for (result, (path, _)) in written.into_iter().zip(files) {
        result.map_err(write_error(path))?;
    }
    sync_dir(staging.path()).map_err(&wrap)?;
    let journal = Journal {
        staging: file_name_of(staging.path()),
        files: names,
    };
    write_journal(dir, &journal).map_err(&wrap)?;
    // Committed: the next build would finish the switch if this one died now.
    let _kept = staging.keep();
    roll_forward(dir, &journal).map_err(&wrap)
}

/// What a committed set is: its staging directory and file names.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    staging: String,
    files: Vec<String>,
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A new file, readable by everyone (a published book), on disk before it returns.
fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.sync_all()
}

fn write_journal(dir: &Path, journal: &Journal) -> io::Result<()> {
    let part = dir.join(format!("{JOURNAL}.part"));
    write_file(&part, &serde_json::to_vec(journal)?)?;
    std::fs::rename(&part, dir.join(JOURNAL))?;
    sync_dir(dir)
}

/// Moves a committed set into place; safe to repeat after any interruption.
fn roll_forward(dir: &Path, journal: &Journal) -> io::Result<()> {
    let staging = dir.join(&journal.staging);
    for name in &journal.files {
        let from = staging.join(name);
        if from.exists() {
            std::fs::rename(&from, dir.join(name))?;
        }
    }
    sync_dir(dir)?;
    std::fs::remove_file(dir.join(JOURNAL))?;
    std::fs::remove_dir_all(&staging).or_else(ignore_missing)
}

/// Finishes a switch an earlier build committed but did not complete, then
/// removes what builds that died before committing left. Call it with the
/// directory's lock held, as [`write_set`] does; tests call it after a kill.
pub fn recover(dir: &Path) -> io::Result<()> {
    match std::fs::read(dir.join(JOURNAL)) {
        // The journal is renamed into place whole, so a partial one cannot be read.
        Ok(bytes) => match serde_json::from_slice::<Journal>(&bytes) {
            Ok(journal) => roll_forward(dir, &journal)?,
            Err(_) => std::fs::remove_file(dir.join(JOURNAL))?,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let removed = if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        removed.or_else(ignore_missing)?;
    }
    Ok(())
}

fn ignore_missing(e: io::Error) -> io::Result<()> {
    if e.kind() == io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

/// Builds to one directory take turns; the lock goes with the process.
fn lock(dir: &Path) -> io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))?;
    file.lock()?;
    Ok(file)
}

/// Makes the renames in `dir` durable (a no-op where directories cannot be opened).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes one file atomically: the bytes go to a temporary file beside the
/// target, which is renamed into place, so a failed build never leaves a
/// half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let wrap = write_error(path);
    let dir = parent_of(path);
    std::fs::create_dir_all(dir).map_err(&wrap)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(&wrap)?;
    tmp.write_all(bytes).map_err(&wrap)?;
    // Temporary files are private (0600); a published book is for everyone to read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(&wrap)?;
    }
    tmp.as_file().sync_all().map_err(&wrap)?;
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

/// Marks a directory as one that [`replace_dir`] wrote, so that a later
/// build may replace it whole and never a directory of something else.
const EDITION_MARK: &str = ".tsigni-edition";

/// Refuses, before anything is written, a directory output that holds one
/// of `inputs` (the files the build read, resolved), that exists and is not
/// a directory, or that exists, is not empty and was not written by
/// [`replace_dir`]: replacing it would delete whatever it holds.
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

/// Replaces the directory `dir` as a whole by one holding `files` (paths
/// relative to it). They are written into a temporary directory beside `dir`,
/// which is then renamed into place; the old directory, renamed aside first,
/// is removed after. Until the swap, a failure leaves the old directory as it
/// was, and the temporary one is deleted. Check `dir` first with
/// [`check_dir_output`].
pub fn replace_dir(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    let wrap = |path: &Path, source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = parent_of(dir);
    std::fs::create_dir_all(parent).map_err(|e| wrap(dir, e))?;
    // Builds into one directory take turns, as for the set of files, and
    // first clear what a killed build left.
    let _lock = lock(parent).map_err(|e| wrap(dir, e))?;
    recover(parent).map_err(|e| wrap(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".part")
        .tempdir_in(parent)
        .map_err(|e| wrap(dir, e))?;
    let mark = (PathBuf::from(EDITION_MARK), b"tsigni\n".to_vec());
    for (rel, bytes) in files.iter().chain([&mark]) {
        // Only plain relative paths: nothing may be written outside the edition.
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            let source = io::Error::other("not a plain relative path");
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

/// Puts the finished `tmp` in the place of `dir`. On Linux an existing
/// `dir` is exchanged with it in one rename, so a kill at any moment leaves
/// the old edition or the new one there (and a `.tsigni-` directory that the
/// next build's [`recover`] removes); elsewhere, or where the file system
/// cannot exchange, the old one is renamed aside first and back on failure.
fn swap_in(tmp: tempfile::TempDir, dir: &Path, parent: &Path) -> Result<(), Error> {
    let wrap = write_error(dir);
    let new = tmp.keep();
    let old = if dir.exists() {
        match exchange(&new, dir) {
            // `new` now holds the old edition.
            Ok(()) => Some(new.clone()),
            Err(_) => match rename_aside(&new, dir, parent) {
                Ok(aside) => Some(aside),
                Err(e) => {
                    let _ = std::fs::remove_dir_all(&new);
                    return Err(wrap(e));
                }
            },
        }
    } else {
        if let Err(e) = std::fs::rename(&new, dir) {
            let _ = std::fs::remove_dir_all(&new);
            return Err(wrap(e));
        }
        None
    };
    sync_dir(parent).map_err(&wrap)?;
    if let Some(old) = old {
        std::fs::remove_dir_all(&old).map_err(&wrap)?;
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Renames `dir` aside and `new` into its place, putting `dir` back if the
/// second rename fails; returns where the old one went.
fn rename_aside(new: &Path, dir: &Path, parent: &Path) -> io::Result<PathBuf> {
    // The empty placeholder only reserves a unique name.
    let aside = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(parent)?
        .keep();
    std::fs::remove_dir(&aside)?;
    std::fs::rename(dir, &aside)?;
    if let Err(e) = std::fs::rename(new, dir) {
        // Best effort: put the old edition back; the error is the rename's.
        let _ = std::fs::rename(&aside, dir);
        return Err(e);
    }
    Ok(aside)
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
