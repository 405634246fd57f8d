//! `all` replaces its outputs as one set: after a kill at any moment, a
//! failure while writing, or two builds at once, the books, records and web
//! edition on disk are wholly one build's (the MARC record's checksums match
//! the books beside it, every record and every page of the edition names the
//! same build), and no temporary file outlives the next build.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const RECORDS: [&str; 5] = ["marc.xml", "dc.xml", "csl.json", "bib", "ris"];

/// The sample manuscript, copied so its title can carry a build number.
struct Manuscript {
    _root: tempfile::TempDir,
    dir: PathBuf,
}

impl Manuscript {
    fn new() -> Manuscript {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("m");
        std::fs::create_dir(&dir).expect("mkdir");
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("manuscript");
        for entry in std::fs::read_dir(&sample).expect("manuscript/") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
        }
        Manuscript { _root: root, dir }
    }

    /// Marks every output of the next build with `n`, through the title.
    fn mark(&self, n: usize) {
        let path = self.dir.join("book.toml");
        let toml = std::fs::read_to_string(&path).expect("book.toml");
        let marked: Vec<String> = toml
            .lines()
            .map(|l| {
                if l.starts_with("title = ") {
                    format!("title = \"ჩინეთი build-{n:04}\"")
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(&path, marked.join("\n") + "\n").expect("write");
    }

    /// `all` of this manuscript into `out/book`.
    fn all_args(&self, out: &Path) -> [std::ffi::OsString; 5] {
        [
            "all".into(),
            "--manuscript".into(),
            self.dir.clone().into(),
            "--output".into(),
            out.join("book").into(),
        ]
    }

    fn spawn_all(&self, out: &Path) -> Child {
        Command::new(env!("CARGO_BIN_EXE_tsigni"))
            .args(self.all_args(out))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run tsigni")
    }

    fn build(&self, out: &Path) {
        let status = self.spawn_all(out).wait().expect("wait");
        assert!(status.success(), "build failed: {status}");
    }
}

/// The build number of the set in `out`, or why it is not one set.
fn one_set(out: &Path) -> Result<usize, String> {
    let read = |name: &str| std::fs::read(out.join(name)).map_err(|e| format!("{name}: {e}"));
    let marc = String::from_utf8(read("book.marc.xml")?).map_err(|e| e.to_string())?;
    for book in ["book.epub", "book.pdf"] {
        let at = marc
            .find(&format!("<subfield code=\"u\">{book}</subfield>"))
            .ok_or(format!("the MARC record lacks {book}"))?;
        let sha = marc[at..]
            .split("SHA-256: ")
            .nth(1)
            .and_then(|s| s.get(..64))
            .ok_or(format!("no checksum for {book}"))?;
        let actual = hex(&Sha256::digest(read(book)?));
        if actual != sha {
            return Err(format!("{book} is not the file the MARC record describes"));
        }
    }
    let mut builds = Vec::new();
    for ext in RECORDS {
        let name = format!("book.{ext}");
        builds.push((
            build_named(&read(&name)?).ok_or(format!("{name} names no build"))?,
            name,
        ));
    }
    builds.extend(edition_builds(&out.join("book"))?);
    let first = builds[0].0;
    if let Some((n, name)) = builds.iter().find(|(n, _)| *n != first) {
        return Err(format!(
            "{name} is of build {n}, book.marc.xml of build {first}"
        ));
    }
    Ok(first)
}

/// The build number in a file's text (the title carries it).
fn build_named(bytes: &[u8]) -> Option<usize> {
    String::from_utf8_lossy(bytes)
        .split("build-")
        .nth(1)
        .and_then(|s| s.get(..4))
        .and_then(|s| s.parse::<usize>().ok())
}

/// The build each page of the web edition in `dir` names, with the page.
fn edition_builds(dir: &Path) -> Result<Vec<(usize, String)>, String> {
    if !dir.join(".tsigni-edition").is_file() {
        return Err("the web edition is missing or unmarked".into());
    }
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("book/: {e}"))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".html") {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("book/{name}: {e}"))?;
        let n = build_named(&bytes).ok_or(format!("book/{name} names no build"))?;
        found.push((n, format!("book/{name}")));
    }
    // The sample has a title page, six chapters and a bibliography.
    if found.len() < 8 {
        return Err(format!("the web edition has {} pages", found.len()));
    }
    Ok(found)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Names the set writer leaves while a build runs or after one died.
fn temporaries(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tsigni-"))
        .collect()
}

/// xorshift64*: random enough for kill moments, with a seed to replay.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

#[test]
fn a_kill_at_any_moment_leaves_the_old_set_or_the_new() {
    let m = Manuscript::new();
    let out = m._root.path().join("out");
    m.mark(0);
    let t = Instant::now();
    m.build(&out);
    // Kill moments spread over a whole build, from start to past the end.
    let span = (t.elapsed().as_micros() as u64 * 13 / 10).max(1);
    let seed = std::env::var("TSIGNI_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1)
        });
    eprintln!("kill moments from seed {seed} (TSIGNI_KILL_SEED replays them)");
    let mut rng = Rng(seed);
    let mut current = 0;
    let (mut kept, mut replaced, mut mid_switch) = (0, 0, 0);
    for n in 1..=32 {
        m.mark(n);
        let mut child = m.spawn_all(&out);
        // Every other kill aims at the end of the build (the build is 10/13
        // of the span), where the books and the edition are moved in.
        let moment = if n % 2 == 0 {
            span / 2 + rng.below(span * 7 / 20)
        } else {
            rng.below(span)
        };
        std::thread::sleep(Duration::from_micros(moment));
        let _ = child.kill();
        let _ = child.wait();
        let journal = out.join(".tsigni-switch.json").exists();
        if journal {
            mid_switch += 1;
        } else {
            // No switch under way: the set on disk is whole as it is.
            let found = one_set(&out).unwrap_or_else(|e| panic!("kill {n}: {e}"));
            assert!(
                found == current || found == n,
                "kill {n}: set of build {found}"
            );
        }
        // What the next build does first, under the lock.
        tsigni::output::recover(&out).expect("recover");
        let found = one_set(&out).unwrap_or_else(|e| panic!("kill {n}, recovered: {e}"));
        assert!(
            found == current || found == n,
            "kill {n}: set of build {found}"
        );
        assert_eq!(temporaries(&out), Vec::<String>::new(), "kill {n}");
        if found == n {
            replaced += 1;
        } else {
            kept += 1;
        }
        current = found;
    }
    eprintln!(
        "{kept} kills kept the old set, {replaced} left the new one, {mid_switch} came mid-switch"
    );
    // A build after a kill cleans up by itself.
    m.mark(99);
    let mut child = m.spawn_all(&out);
    std::thread::sleep(Duration::from_micros(span / 2));
    let _ = child.kill();
    let _ = child.wait();
    m.mark(100);
    m.build(&out);
    assert_eq!(one_set(&out), Ok(100));
    assert_eq!(temporaries(&out), Vec::<String>::new());
}

#[test]
fn two_builds_at_once_leave_one_whole_set() {
    let (a, b) = (Manuscript::new(), Manuscript::new());
    let out = a._root.path().join("out");
    for round in 0..20 {
        let (na, nb) = (2 * round + 1, 2 * round + 2);
        a.mark(na);
        b.mark(nb);
        let (mut ca, mut cb) = (a.spawn_all(&out), b.spawn_all(&out));
        let (sa, sb) = (ca.wait().expect("wait"), cb.wait().expect("wait"));
        assert!(sa.success() && sb.success(), "round {round}: {sa}, {sb}");
        let found = one_set(&out).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(
            found == na || found == nb,
            "round {round}: set of build {found}"
        );
        assert_eq!(temporaries(&out), Vec::<String>::new(), "round {round}");
    }
}

/// A write that fails half way (the disk full, here a file size limit)
/// fails the build with exit 2 and leaves the old set whole.
#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_old_set() {
    let m = Manuscript::new();
    let out = m._root.path().join("out");
    m.mark(1);
    m.build(&out);
    m.mark(2);
    // Ignoring SIGXFSZ turns the limit into an error from write() (EFBIG);
    // sh counts `ulimit -f` in 512-byte blocks, so the EPUB cannot be written.
    let status = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_tsigni"))
        .args(m.all_args(&out))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("sh");
    assert_eq!(status.code(), Some(2));
    assert_eq!(one_set(&out), Ok(1));
    assert_eq!(temporaries(&out), Vec::<String>::new());
}
