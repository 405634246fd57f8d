//! `tsigni watch` as a writer uses it: the real binary watching a copy of the
//! article while the test edits it, breaks it, fixes it and leaves editor
//! scratch files beside it.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The first build of a debug binary on a busy machine can be slow.
const FIRST_BUILD: Duration = Duration::from_secs(60);
const REBUILD: Duration = Duration::from_secs(30);
/// How long a change that must not rebuild is given to do so anyway: many
/// times the debounce and a debug rebuild.
const QUIET: Duration = Duration::from_secs(2);

/// The running watcher; killed when dropped, so a failed assertion never
/// leaves it behind.
struct Watcher {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // It may have exited already (the Ctrl-C step); then both fail harmlessly.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static, into: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut text = into.lock().unwrap();
            text.push_str(&line);
            text.push('\n');
        }
    });
}

impl Watcher {
    fn start(args: &[&str], manuscript: &Path, output: &Path) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tsigni"))
            .arg("watch")
            .args(args)
            .arg("--manuscript")
            .arg(manuscript)
            .arg("--output")
            .arg(output)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tsigni watch");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        collect(child.stdout.take().unwrap(), stdout.clone());
        collect(child.stderr.take().unwrap(), stderr.clone());
        Watcher {
            child,
            stdout,
            stderr,
        }
    }

    fn rebuilds(&self) -> usize {
        self.stdout.lock().unwrap().matches("rebuilt in ").count()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until `done` holds, or fails the test with what was printed.
    fn wait_until(&self, what: &str, limit: Duration, done: impl Fn(&Watcher) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < limit,
                "gave up after {limit:?} waiting for {what}\nstdout:\n{}\nstderr:\n{}",
                self.stdout.lock().unwrap(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_rebuilds(&self, n: usize, limit: Duration) {
        self.wait_until(&format!("rebuild {n}"), limit, |w| w.rebuilds() >= n);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// All the text of the EPUB's XHTML, soft hyphens taken out.
fn epub_text(epub: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().ends_with(".xhtml") {
            entry.read_to_string(&mut text).unwrap();
        }
    }
    text.replace('\u{AD}', "")
}

fn mtime(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// A copy of the article, its cover included.
fn article_copy(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("manuscript"), &dir.join("manuscript"));
    dir.join("manuscript")
}

#[test]
fn rebuilds_on_save_keeps_the_last_good_book_and_ignores_scratch_files() {
    let dir = tempfile::tempdir().unwrap();
    let manuscript = article_copy(dir.path());
    // Inside the manuscript: writing the book must not set off another build.
    let epub = manuscript.join("out").join("book.epub");
    let watcher = Watcher::start(&["epub"], &manuscript, &epub);
    watcher.wait_for_rebuilds(1, FIRST_BUILD);
    watcher.wait_until("watching", FIRST_BUILD, |w| {
        w.stderr().contains("watching ")
    });
    std::thread::sleep(QUIET);
    assert_eq!(watcher.rebuilds(), 1, "writing the EPUB set off a rebuild");

    // An edit: one new word at the end of a paragraph.
    let chapter = manuscript.join("03-method.md");
    let original = std::fs::read_to_string(&chapter).unwrap();
    let edited = format!("{} ახალსიტყვა\n", original.trim_end());
    assert!(!epub_text(&epub).contains("ახალსიტყვა"));
    std::fs::write(&chapter, &edited).unwrap();
    watcher.wait_for_rebuilds(2, REBUILD);
    assert!(
        epub_text(&epub).contains("ახალსიტყვა"),
        "the rebuilt EPUB lacks the new word"
    );
    let good = std::fs::read(&epub).unwrap();

    // A broken citation: the error at its place, the previous book kept.
    let line = edited.lines().count() + 2;
    std::fs::write(&chapter, format!("{edited}\nტექსტი [@nosuchkey1999].\n")).unwrap();
    let place = format!("03-method.md:{line}:8");
    watcher.wait_until("the unknown-citation error", REBUILD, |w| {
        w.stderr().contains("@nosuchkey1999")
    });
    let stderr = watcher.stderr();
    assert!(stderr.contains("error[unknown-citation]"), "{stderr}");
    assert!(stderr.contains(&place), "no {place} in:\n{stderr}");
    assert_eq!(watcher.rebuilds(), 2, "a broken manuscript was built");
    assert!(
        std::fs::read(&epub).unwrap() == good,
        "a failed build changed the EPUB"
    );

    // The fix rebuilds.
    std::fs::write(&chapter, &edited).unwrap();
    watcher.wait_for_rebuilds(3, REBUILD);
    assert!(epub_text(&epub).contains("ახალსიტყვა"));

    // The cover, which book.toml names.
    let cover = manuscript.join("cover.png");
    std::fs::write(&cover, std::fs::read(&cover).unwrap()).unwrap();
    watcher.wait_for_rebuilds(4, REBUILD);

    // Editors' scratch files, and a file outside the manuscript: nothing
    // is rebuilt.
    let before = mtime(&epub);
    for scratch in [
        ".03-method.md.swp",
        "4913",
        "03-method.md~",
        ".#03-method.md",
    ] {
        std::fs::write(manuscript.join(scratch), "scratch").unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    std::thread::sleep(QUIET);
    assert_eq!(watcher.rebuilds(), 4, "a scratch file set off a rebuild");
    assert_eq!(mtime(&epub), before, "the EPUB was rewritten");
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_watch_with_exit_0_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let manuscript = article_copy(dir.path());
    let out = dir.path().join("out");
    let mut watcher = Watcher::start(&["catalog"], &manuscript, &out.join("book.epub"));
    watcher.wait_for_rebuilds(1, FIRST_BUILD);
    let stdout = watcher.stdout.lock().unwrap().clone();
    for file in ["book.epub", "book.pdf", "book.marc.xml", "book.ris"] {
        assert!(
            stdout.contains(&format!("{file} (")),
            "{file} missing:\n{stdout}"
        );
        assert!(out.join(file).is_file(), "{file} not written");
    }
    let pid = watcher.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = watcher.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < REBUILD, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "stderr:\n{}", watcher.stderr());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tsigni-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
