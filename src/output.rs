//! Writing outputs so that a failed build never leaves a half-written file: the
//! bytes go to a temporary file beside the target, which is renamed into place.

use crate::Error;
use std::io::Write;
use std::path::Path;

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
