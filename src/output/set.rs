//! The set writer: a build's files and its web edition replaced as one set.
//!
//! Everything is written into a fresh hidden staging directory beside the
//! outputs (the edition as a directory inside it); a small journal naming it
//! is then renamed into place (the commit point) and the files and the
//! edition are moved over the old ones. A build that dies before the journal
//! leaves the old set and a staging directory the next build removes; one
//! that dies after it leaves a journal the next build completes before
//! anything else. Builds to one directory take turns under a lock on
//! `.tsigni.lock`.

use super::{file_name_of, parent_of, refuse, write_error, EDITION_MARK, TEMP_PREFIX};
use crate::error::Error;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

const STAGING_PREFIX: &str = ".tsigni-new-";
const JOURNAL: &str = ".tsigni-switch.json";
const LOCK: &str = ".tsigni.lock";
/// Where, inside the staging directory, an old edition waits to be removed
/// with it when it cannot be exchanged in one rename.
const OLD_PREFIX: &str = "old-";

/// One output of a set.
pub enum Entry<'a> {
    File(&'a [u8]),
    /// A directory replaced whole (the web edition): files by plain
    /// relative path.
    Dir(&'a [(PathBuf, Vec<u8>)]),
}

/// What a committed set is: its staging directory and what it holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    staging: String,
    files: Vec<String>,
    /// Absent from the journals of builds that swapped the edition in
    /// after the set.
    #[serde(default)]
    dirs: Vec<StagedDir>,
}

/// A directory of the set and the identity (device, inode) it has in the
/// staging directory, which a rename keeps: a directory already in place
/// is recognised by it, so that finishing a switch twice never exchanges
/// the old edition back.
#[derive(serde::Serialize, serde::Deserialize)]
struct StagedDir {
    name: String,
    id: Option<(u64, u64)>,
}

/// Writes `entries`, all in one directory, as one set (see the module notes).
pub fn write_set(entries: &[(PathBuf, Entry)]) -> Result<(), Error> {
    let Some((first, _)) = entries.first() else {
        return Ok(());
    };
    let dir = parent_of(first);
    let names = names_in(dir, entries)?;
    let wrap = write_error(dir);
    std::fs::create_dir_all(dir).map_err(&wrap)?;
    let _lock = lock(dir).map_err(&wrap)?;
    recover(dir).map_err(&wrap)?;
    if let ([name], [(path, Entry::File(bytes))]) = (names.as_slice(), entries) {
        return write_one(dir, name, path, bytes);
    }
    let journal = commit(dir, names, entries)?;
    roll_forward(dir, &journal).map_err(&wrap)
}

/// A set of one file needs no journal: one rename replaces it whole, and a
/// temporary file a kill leaves is removed by the next build's [`recover`].
/// Three fewer disk flushes than a journal, which is most of `tsigni pdf`'s
/// wall time beyond its CPU time on a busy disk.
fn write_one(dir: &Path, name: &str, path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempfile_in(dir)
        .map_err(write_error(dir))?;
    write_file(temp.path(), bytes).map_err(write_error(path))?;
    temp.persist(dir.join(name))
        .map_err(|e| write_error(path)(e.error))?;
    sync_dir(dir).map_err(write_error(dir))
}

/// Writes the set into a staging directory and its journal into place:
/// from its return the set is the one a kill leaves, once recovered.
fn commit(dir: &Path, names: Vec<String>, entries: &[(PathBuf, Entry)]) -> Result<Journal, Error> {
    let wrap = write_error(dir);
    // Until the journal is in place, dropping this removes the new files and
    // the old set stays whole.
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(dir)
        .map_err(&wrap)?;
    let jobs = stage(staging.path(), &names, entries)?;
    let written = crate::in_parallel(
        &jobs,
        |job| write_file(&job.to, job.bytes),
        |_| Err(io::Error::other("the writing thread panicked")),
    );
    for (result, job) in written.into_iter().zip(&jobs) {
        result.map_err(write_error(&job.shown))?;
    }
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for (name, (path, entry)) in names.into_iter().zip(entries) {
        match entry {
            Entry::File(_) => files.push(name),
            Entry::Dir(_) => {
                let staged = staging.path().join(&name);
                sync_tree(&staged).map_err(write_error(path))?;
                let id = dir_id(&staged);
                dirs.push(StagedDir { name, id });
            }
        }
    }
    sync_dir(staging.path()).map_err(&wrap)?;
    let journal = Journal {
        staging: file_name_of(staging.path()),
        files,
        dirs,
    };
    write_journal(dir, &journal).map_err(&wrap)?;
    // Committed: the next build would finish the switch if this one died now.
    let _kept = staging.keep();
    Ok(journal)
}

/// The entries' file names, refusing paths outside `dir`, names that are
/// not UTF-8 and a name given twice.
fn names_in(dir: &Path, entries: &[(PathBuf, Entry)]) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::with_capacity(entries.len());
    for (path, _) in entries {
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
        if name.starts_with(".tsigni") {
            return Err(refuse(
                path,
                "names beginning with .tsigni are the build's own temporary files".into(),
            ));
        }
        if names.iter().any(|n| n == name) {
            return Err(refuse(path, "it is named twice as an output".into()));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// One file to write into the staging directory.
struct Job<'a> {
    to: PathBuf,
    bytes: &'a [u8],
    /// Where it will be: the path an error shows.
    shown: PathBuf,
}

/// Makes the staged directories and lists every file to write.
fn stage<'a>(
    staging: &Path,
    names: &[String],
    entries: &'a [(PathBuf, Entry)],
) -> Result<Vec<Job<'a>>, Error> {
    let mut jobs = Vec::new();
    for (name, (path, entry)) in names.iter().zip(entries) {
        match entry {
            Entry::File(bytes) => jobs.push(Job {
                to: staging.join(name),
                bytes,
                shown: path.clone(),
            }),
            Entry::Dir(files) => {
                let root = staging.join(name);
                std::fs::create_dir(&root).map_err(write_error(path))?;
                // A published edition is for everyone to read, whatever the umask.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o755))
                        .map_err(write_error(path))?;
                }
                jobs.push(Job {
                    to: root.join(EDITION_MARK),
                    bytes: b"tsigni\n",
                    shown: path.join(EDITION_MARK),
                });
                for (rel, bytes) in files.iter() {
                    // Only plain relative paths: nothing may be written outside the edition.
                    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
                        return Err(refuse(&path.join(rel), "not a plain relative path".into()));
                    }
                    let to = root.join(rel);
                    if let Some(p) = to.parent() {
                        std::fs::create_dir_all(p).map_err(write_error(&path.join(rel)))?;
                    }
                    jobs.push(Job {
                        to,
                        bytes,
                        shown: path.join(rel),
                    });
                }
            }
        }
    }
    Ok(jobs)
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
    for staged in &journal.dirs {
        let to = dir.join(&staged.name);
        if staged.id.is_some() && dir_id(&to) == staged.id {
            // Exchanged already: the staged name holds the old edition.
            continue;
        }
        let from = staging.join(&staged.name);
        if from.exists() {
            let aside = staging.join(format!("{OLD_PREFIX}{}", staged.name));
            place_dir(&from, &to, &aside)?;
        }
    }
    sync_dir(dir)?;
    std::fs::remove_file(dir.join(JOURNAL))?;
    std::fs::remove_dir_all(&staging).or_else(ignore_missing)
}

/// Puts the directory `from` in the place of `to`. On Linux an existing
/// `to` is exchanged with it in one rename, so there is never a moment
/// without an edition; elsewhere, or where the file system cannot exchange,
/// the old one is renamed `aside` first. Either way the old edition ends up
/// inside the staging directory, removed with it.
fn place_dir(from: &Path, to: &Path, aside: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(to) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::rename(from, to),
        Err(e) => Err(e),
        Ok(_) => {
            if exchange(from, to).is_ok() {
                return Ok(());
            }
            // An earlier, interrupted attempt may have left one.
            std::fs::remove_dir_all(aside).or_else(ignore_missing)?;
            std::fs::rename(to, aside)?;
            std::fs::rename(from, to)
        }
    }
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

/// Device and inode of a directory itself (never what a link points to).
#[cfg(unix)]
fn dir_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_dir())
        .map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(_path: &Path) -> Option<(u64, u64)> {
    None
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

/// [`sync_dir`] on `root` and every directory under it (the edition's
/// `fonts/` and `images/`): their entries are the new files'.
fn sync_tree(root: &Path) -> io::Result<()> {
    // Directories only, as deep as the edition's paths: the writer, not the
    // manuscript, decides them.
    let mut pending = vec![root.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            }
        }
        sync_dir(&d)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_else(|e| format!("{}: {e}", path.display()))
    }

    fn temporaries(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    }

    /// A book and an edition, both saying `word`.
    fn set_of(root: &Path, word: &str) -> (Vec<u8>, crate::writer::Files, PathBuf, PathBuf) {
        let book = word.as_bytes().to_vec();
        let edition = vec![
            (PathBuf::from("index.html"), book.clone()),
            (PathBuf::from("fonts/a.woff2"), book.clone()),
        ];
        (book, edition, root.join("b.epub"), root.join("b"))
    }

    /// A switch cut short at each step of moving the edition in is
    /// finished by the next build's recovery, never undone: above all, an
    /// edition already exchanged into place is not exchanged back.
    #[test]
    fn an_interrupted_switch_is_finished_not_undone() {
        // 0: killed before anything moved; 1: after the edition was
        // exchanged; 2: after the old edition was moved aside only.
        for cut in 0..3 {
            let root = tempfile::tempdir().expect("temp dir");
            let dir = root.path();
            let (book, edition, epub, ed) = set_of(dir, "old");
            write_set(&[
                (epub.clone(), Entry::File(&book)),
                (ed.clone(), Entry::Dir(&edition)),
            ])
            .expect("the old set");
            let (book, edition, _, _) = set_of(dir, "new");
            let entries = [
                (epub.clone(), Entry::File(&book)),
                (ed.clone(), Entry::Dir(&edition)),
            ];
            let names = names_in(dir, &entries).expect("names");
            let journal = commit(dir, names, &entries).expect("committed");
            let staged = dir.join(&journal.staging).join("b");
            match cut {
                1 => exchange(&staged, &ed).expect("exchange"),
                2 => std::fs::rename(&ed, dir.join(&journal.staging).join("old-b")).expect("aside"),
                _ => {}
            }
            recover(dir).expect("recovered");
            assert_eq!(text(&epub), "new", "cut {cut}");
            assert_eq!(text(&ed.join("index.html")), "new", "cut {cut}");
            assert_eq!(text(&ed.join("fonts/a.woff2")), "new", "cut {cut}");
            assert!(ed.join(EDITION_MARK).is_file(), "cut {cut}");
            assert_eq!(temporaries(dir), Vec::<String>::new(), "cut {cut}");
            // Recovering again changes nothing.
            recover(dir).expect("recovered twice");
            assert_eq!(text(&ed.join("index.html")), "new", "cut {cut}");
        }
    }

    /// A failure before the journal leaves the old books and edition.
    #[test]
    fn a_set_that_fails_to_stage_leaves_the_old_one() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path();
        let (book, edition, epub, ed) = set_of(dir, "old");
        write_set(&[
            (epub.clone(), Entry::File(&book)),
            (ed.clone(), Entry::Dir(&edition)),
        ])
        .expect("the old set");
        // `a` is a file, so `a/b` cannot be written.
        let broken = vec![
            (PathBuf::from("index.html"), b"new".to_vec()),
            (PathBuf::from("a"), b"file".to_vec()),
            (PathBuf::from("a/b"), b"under a file".to_vec()),
        ];
        let result = write_set(&[
            (epub.clone(), Entry::File(b"new")),
            (ed.clone(), Entry::Dir(&broken)),
        ]);
        assert!(result.is_err());
        assert_eq!(text(&epub), "old");
        assert_eq!(text(&ed.join("index.html")), "old");
        assert_eq!(temporaries(dir), Vec::<String>::new());
    }
}
