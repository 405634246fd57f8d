//! Where the manuscript's bytes come from: the disk, or memory (for fuzzing,
//! benchmarks and tests that should not touch the file system).

use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

pub trait Fs: Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn is_dir(&self, path: &Path) -> bool;
    fn is_file(&self, path: &Path) -> bool;
    /// Size in bytes, without reading the file.
    fn len(&self, path: &Path) -> io::Result<u64>;
}

/// The real file system.
pub struct RealFs;

impl Fs for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn len(&self, path: &Path) -> io::Result<u64> {
        std::fs::metadata(path).map(|m| m.len())
    }
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
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "No such file or directory"))
    }
    fn is_dir(&self, path: &Path) -> bool {
        let p = normalize(path);
        self.files.keys().any(|k| k.starts_with(&p) && *k != p)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalize(path))
    }
    fn len(&self, path: &Path) -> io::Result<u64> {
        self.read(path).map(|d| d.len() as u64)
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
        assert_eq!(fs.read(Path::new("./m/book.toml")).unwrap(), b"x");
        assert!(fs.read(Path::new("m/none")).is_err());
    }
}
