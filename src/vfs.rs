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
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
    /// `path` absolute, with every `.`, `..` and symbolic link resolved; an
    /// error when it does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
}

/// The real file system.
pub struct RealFs;

impl Fs for RealFs {
    fn read_limited(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        // Checked before opening, because opening a FIFO blocks until a writer comes.
        if !std::fs::metadata(path)?.is_file() {
            return Err(not_regular());
        }
        let file = open_nonblocking(path)?;
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
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking: a FIFO swapped in after the check must not hang the open.
    // Reads of a regular file ignore the flag.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
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
        let data = self.fs.read_limited(&real, limit)?;
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

    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(human_bytes(8 * MIB), "8 MiB");
        assert_eq!(human_bytes(MIB + MIB / 2), "1.5 MiB");
        assert_eq!(human_bytes(300 * 1024), "300 KiB");
    }
}
