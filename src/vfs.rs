//! Where the manuscript's bytes come from, and the one gate every read passes:
//! the [`Sandbox`], which reads only regular files inside the manuscript
//! directory (or a directory the person running the build allows), and never
//! more bytes than a limit per kind of file.
//!
//! The files themselves come from the disk ([`RealFs`]) or memory ([`MemFs`],
//! for fuzzing, benchmarks and tests that should not touch the file system).

use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

const MIB: u64 = 1024 * 1024;

/// How many bytes of each kind of file a build reads at most. Sizes the file
/// system reports are never trusted (a device reports 0): reading stops one
/// byte past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `book.toml` and each chapter. War and Peace is 3.2 MB of text.
    Text,
    /// `references.yaml` or `.bib`.
    References,
    /// A CSL style or locale.
    Style,
    Font,
    /// The cover and every image a chapter shows.
    Image,
}

impl Limit {
    pub const fn bytes(self) -> u64 {
        match self {
            Limit::Text => 8 * MIB,
            Limit::References => 16 * MIB,
            Limit::Style => 2 * MIB,
            Limit::Font => 64 * MIB,
            Limit::Image => 40 * MIB,
        }
    }
}

/// Decoded pixels of one image (the cover or one shown in a chapter), checked
/// from its header before it is decoded: 100 megapixels is 400 MB of RGBA.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// `8 MiB`, `1.5 MiB`, `300 KiB`: sizes in the binary units they are counted in.
pub fn human_bytes(bytes: u64) -> String {
    if bytes >= MIB {
        let mib = bytes as f64 / MIB as f64;
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{mib:.1} MiB")
        }
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

pub trait Fs: Sync {
    /// The bytes of the regular file at `path`; an error for anything else
    /// (a directory, a device, a pipe) and, with [`io::ErrorKind::FileTooLarge`],
    /// as soon as more than `limit` bytes have been read.
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
    /// [`Fs::read_limited`] of a path already resolved (as by
    /// [`Fs::canonicalize`]): one whose last part is now a symbolic link was
    /// swapped after it was resolved, and is refused rather than followed.
    fn read_resolved(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        self.read_limited(path, limit)
    }
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
    /// `path` absolute, with every `.`, `..` and symbolic link resolved; an
    /// error when it does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The entries of a directory (for the font search), unsorted.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let _ = path;
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this file source cannot list directories",
        ))
    }
}

/// The real file system.
pub struct RealFs;

impl Fs for RealFs {
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        // Checked before opening, because opening a FIFO blocks until a writer comes.
        if !std::fs::metadata(path)?.is_file() {
            return Err(not_regular());
        }
        read_open(open_nonblocking(path, false)?, limit)
    }
    fn read_resolved(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        // Not followed, at either check: a link here was put in place after
        // the path was resolved and checked against the sandbox.
        let meta = std::fs::symlink_metadata(path)?;
        if meta.file_type().is_symlink() {
            return Err(swapped());
        }
        if !meta.is_file() {
            return Err(not_regular());
        }
        let file = open_nonblocking(path, true).map_err(|e| {
            if is_link_refused(&e) {
                swapped()
            } else {
                e
            }
        })?;
        read_open(file, limit)
    }
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect()
    }
}

/// Reads an opened file up to `limit` bytes.
fn read_open(file: std::fs::File, limit: u64) -> io::Result<Vec<u8>> {
    // Checked again on what was opened: the path may have been replaced meanwhile.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    // The reported size is only a hint (0 for /proc files), never the
    // limit; reserving it saves regrowing and copying a large file.
    let hint = meta.len().min(limit).saturating_add(1);
    let mut data = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut data)?;
    if data.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(data)
}

/// Opens `path` for reading; with `no_follow`, refuses a symbolic link as
/// its last part (`O_NOFOLLOW`).
#[cfg(unix)]
fn open_nonblocking(path: &Path, no_follow: bool) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking: a FIFO swapped in after the check must not hang the open.
    // Reads of a regular file ignore the flag.
    let follow = if no_follow { libc::O_NOFOLLOW } else { 0 };
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | follow)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path, _no_follow: bool) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What `open` with `O_NOFOLLOW` says of a link (`ELOOP` on Linux and the
/// BSDs, `EMLINK` on FreeBSD).
#[cfg(unix)]
fn is_link_refused(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ELOOP) | Some(libc::EMLINK))
}

#[cfg(not(unix))]
fn is_link_refused(_e: &io::Error) -> bool {
    false
}

fn swapped() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "it was replaced by a symbolic link after it was checked, and is not followed",
    )
}

fn not_regular() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "it is not a regular file (a directory, device or pipe)",
    )
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("it is larger than {}, the limit", human_bytes(limit)),
    )
}

/// Files held in memory, keyed by lexically normalised path.
#[derive(Default, Clone)]
pub struct MemFs {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl MemFs {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, path: impl AsRef<Path>, data: impl Into<Vec<u8>>) {
        self.files.insert(normalize(path.as_ref()), data.into());
    }
}

impl Fs for MemFs {
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let data = self
            .files
            .get(&normalize(path))
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "No such file or directory"))?;
        if data.len() as u64 > limit {
            return Err(too_large(limit));
        }
        Ok(data.clone())
    }
    fn is_dir(&self, path: &Path) -> bool {
        let p = normalize(path);
        self.files.keys().any(|k| k.starts_with(&p) && *k != p)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalize(path))
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let p = normalize(path);
        if self.files.contains_key(&p) || self.is_dir(&p) {
            Ok(p)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                "No such file or directory",
            ))
        }
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let p = normalize(path);
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|k| k.strip_prefix(&p).ok())
            .filter_map(|rest| rest.components().next())
            .map(|first| p.join(first))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }
}

/// The manuscript directory as the limit of what a build reads: a path is
/// read only when it resolves, after symbolic links, inside the manuscript
/// directory or a directory allowed on the command line. Remembers what it
/// read, so no output may replace an input.
pub struct Sandbox<'a> {
    fs: &'a dyn Fs,
    /// `None` when the manuscript directory does not exist: nothing is readable.
    root: Option<PathBuf>,
    allowed: Vec<PathBuf>,
    read: Mutex<Vec<PathBuf>>,
}

impl<'a> Sandbox<'a> {
    /// `allow`: directories outside the manuscript the person running the
    /// build trusts (shared fonts, images); one that does not exist allows nothing.
    pub fn new(fs: &'a dyn Fs, root: &Path, allow: &[PathBuf]) -> Self {
        Sandbox {
            fs,
            root: fs.canonicalize(root).ok(),
            allowed: allow
                .iter()
                .filter_map(|d| fs.canonicalize(d).ok())
                .collect(),
            read: Mutex::new(Vec::new()),
        }
    }

    /// Every file read so far, as resolved.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn permits(&self, real: &Path) -> bool {
        self.root
            .iter()
            .chain(&self.allowed)
            .any(|d| real.starts_with(d))
    }
}

impl Fs for Sandbox<'_> {
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let real = self.fs.canonicalize(path)?;
        if !self.permits(&real) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it is {}, outside the manuscript directory, and a build reads only \
                     files inside it (the person running the build may allow a directory \
                     with --allow DIR)",
                    real.display()
                ),
            ));
        }
        let data = self.fs.read_resolved(&real, limit)?;
        if let Ok(mut read) = self.read.lock() {
            read.push(real);
        }
        Ok(data)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.fs.is_dir(path)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.fs.is_file(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.fs.canonicalize(path)
    }
    fn read_dir(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let real = self.fs.canonicalize(path)?;
        if !self.permits(&real) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it is {}, outside the manuscript directory (the person running the \
                     build may name it with --font-path DIR or --allow DIR)",
                    real.display()
                ),
            ));
        }
        self.fs.read_dir(&real)
    }
}

/// Why a read failed, as the end of a sentence that names the file.
pub fn why(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        "does not exist".into()
    } else {
        format!("cannot be read: {e}")
    }
}

/// `a/b/../c` → `a/c`, without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memfs_resolves_parent_paths() {
        let mut fs = MemFs::new();
        fs.insert("m/book.toml", "x");
        fs.insert("fonts/a.ttf", "y");
        assert!(fs.is_dir(Path::new("m")));
        assert!(fs.is_file(Path::new("m/../fonts/a.ttf")));
        assert_eq!(
            fs.read_limited(Path::new("./m/book.toml"), 9).unwrap(),
            b"x"
        );
        assert!(fs.read_limited(Path::new("m/none"), 9).is_err());
    }

    #[test]
    fn the_sandbox_reads_inside_and_allowed_only() {
        let mut fs = MemFs::new();
        fs.insert("m/book.toml", "x");
        fs.insert("fonts/a.ttf", "y");
        let closed = Sandbox::new(&fs, Path::new("m"), &[]);
        assert!(closed.read_limited(Path::new("m/book.toml"), 9).is_ok());
        let e = closed
            .read_limited(Path::new("m/../fonts/a.ttf"), 9)
            .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        let open = Sandbox::new(&fs, Path::new("m"), &[PathBuf::from("fonts")]);
        assert_eq!(
            open.read_limited(Path::new("m/../fonts/a.ttf"), 9).unwrap(),
            b"y"
        );
        assert_eq!(
            open.files_read(),
            vec![PathBuf::from("fonts/a.ttf")],
            "what was read is remembered"
        );
    }

    #[test]
    fn limits_count_bytes_read() {
        let mut fs = MemFs::new();
        fs.insert("m/a", vec![0u8; 10]);
        let e = fs.read_limited(Path::new("m/a"), 9).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(fs.read_limited(Path::new("m/a"), 10).is_ok());
    }

    /// The real disk, but every path it resolves is then swapped for a link
    /// to `secret`: an attacker who wins the race between the sandbox's
    /// check and the open, every time.
    #[cfg(unix)]
    struct Swapping {
        secret: PathBuf,
    }

    #[cfg(unix)]
    impl Fs for Swapping {
        fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
            RealFs.read_limited(path, limit)
        }
        fn read_resolved(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
            RealFs.read_resolved(path, limit)
        }
        fn is_dir(&self, path: &Path) -> bool {
            RealFs.is_dir(path)
        }
        fn is_file(&self, path: &Path) -> bool {
            RealFs.is_file(path)
        }
        fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
            let real = RealFs.canonicalize(path)?;
            if real.is_file() {
                std::fs::remove_file(&real)?;
                std::os::unix::fs::symlink(&self.secret, &real)?;
            }
            Ok(real)
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_swapped_in_after_the_check_is_not_followed() {
        let root = tempfile::tempdir().expect("temp dir");
        let m = root.path().join("m");
        std::fs::create_dir(&m).expect("mkdir");
        let secret = root.path().join("secret");
        std::fs::write(&secret, "outside the manuscript").expect("write");
        std::fs::write(m.join("ch.md"), "# ok").expect("write");
        // Unswapped, the file reads.
        let plain = Sandbox::new(&RealFs, &m, &[]);
        assert_eq!(
            plain.read_limited(&m.join("ch.md"), 99).ok(),
            Some(b"# ok".to_vec())
        );
        let swapping = Swapping { secret };
        let sandbox = Sandbox::new(&swapping, &m, &[]);
        let e = sandbox.read_limited(&m.join("ch.md"), 99).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(sandbox.files_read().is_empty());
        // The open itself refuses the link, even past the first check.
        let link = m.join("ch.md");
        assert!(std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
        let e = open_nonblocking(&link, true).expect_err("O_NOFOLLOW");
        assert!(is_link_refused(&e), "{e}");
    }

    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(human_bytes(8 * MIB), "8 MiB");
        assert_eq!(human_bytes(MIB + MIB / 2), "1.5 MiB");
        assert_eq!(human_bytes(300 * 1024), "300 KiB");
    }
}
