//! A build server's view: a hostile or careless manuscript reads nothing
//! outside its directory, no input is ever overwritten, and no small file
//! makes a build hang or swell. Each case runs the binary under a deadline
//! and checks the children's peak memory; large hostile files are made here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Each hostile case must take at most this much CPU time, and at most
/// [`MAX_RSS_KIB`] of memory.
const DEADLINE: Duration = Duration::from_secs(2);
const MAX_RSS_KIB: i64 = 500 * 1024;
const SECRET: &str = "SECRET-7f3a-not-for-the-book";

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A small manuscript in a temporary directory, beside an `outside`
/// directory holding a file the book must never show.
struct Book {
    _root: tempfile::TempDir,
    dir: PathBuf,
    outside: PathBuf,
}

impl Book {
    /// `extra` goes at the end of `[book]`; `tables` after it.
    fn new(extra: &str, tables: &str) -> Book {
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("m");
        let outside = root.path().join("outside");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join("secret.md"), format!("# {SECRET}\n")).expect("write");
        for f in ["references.yaml", "style.csl", "locale-ka.xml", "cover.png"] {
            std::fs::copy(repo("manuscript").join(f), dir.join(f)).expect("copy");
        }
        let toml = format!(
            "[book]\ntitle = \"სტრესი\"\nlanguage = \"ka\"\n\
             identifier = \"urn:uuid:00000000-0000-4000-8000-00000000000a\"\n\
             chapters = [\"ch.md\"]\n{extra}\n\
             [bibliography]\nreferences = \"references.yaml\"\nstyle = \"style.csl\"\n\
             locales = [\"locale-ka.xml\"]\n{tables}\n"
        );
        std::fs::write(dir.join("book.toml"), toml).expect("write");
        std::fs::write(dir.join("ch.md"), "# თავი\n\nტექსტი [@snow1961, 96].\n").expect("write");
        Book {
            _root: root,
            dir,
            outside,
        }
    }

    fn chapter(&self, markdown: &str) -> &Self {
        std::fs::write(self.dir.join("ch.md"), markdown).expect("write");
        self
    }

    /// Replaces `from` with `to` in book.toml.
    fn toml(&self, from: &str, to: &str) -> &Self {
        let path = self.dir.join("book.toml");
        let text = std::fs::read_to_string(&path).expect("book.toml");
        assert!(text.contains(from), "book.toml lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self
    }

    fn run(&self, args: &[&str]) -> Run {
        run(args, &self.dir)
    }

    /// `check` refuses what the book names outside its directory, with
    /// `needles` in the message, and accepts it once that directory is allowed.
    fn refused_unless_allowed(&self, needles: &[&str]) {
        let refused = self.run(&["check"]);
        assert_refused(&refused, 1, &["outside the manuscript directory"]);
        assert_refused(&refused, 1, needles);
        let allow = self.outside.to_str().expect("UTF-8 path");
        let r = self.run(&["check", "--allow", allow]);
        assert_eq!(r.code, Some(0), "{}", cut(&r.stderr));
    }
}

struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
}

/// Runs tsigni on `manuscript`; fails the test if it hangs (it is killed
/// after five deadlines of wall time, so a hang cannot stall the suite), or
/// uses more than [`DEADLINE`] of CPU or [`MAX_RSS_KIB`] of memory.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4 in `reap`, which also gives its resource use"
)]
fn run(args: &[&str], manuscript: &Path) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tsigni"))
        .args(args)
        .arg("--manuscript")
        .arg(manuscript)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tsigni");
    // Read on a thread, so a child that fills the pipe cannot block.
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut pipe, &mut s);
        s
    });
    let pid = child.id() as libc::pid_t;
    let (status, usage) = loop {
        if let Some(done) = reap(pid) {
            break done;
        }
        if started.elapsed() > DEADLINE * 5 {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tsigni {args:?} hung (killed after {:?})",
                started.elapsed()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stderr = reader.join().expect("stderr reader");
    // CPU time, not the wall clock: the test machine is shared, and a build
    // waiting for a core has not taken longer.
    let took = cpu_time(&usage);
    assert!(
        took < DEADLINE,
        "tsigni {args:?} took {took:?} of CPU; stderr:\n{}",
        cut(&stderr)
    );
    let rss = usage.ru_maxrss;
    assert!(rss < MAX_RSS_KIB, "tsigni {args:?} used {rss} KiB");
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stderr,
        took,
    }
}

/// The exit status and resource use of the child `pid` once it has ended.
fn reap(pid: libc::pid_t) -> Option<(i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: wait4 only writes the status and the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
    assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
    (r == pid).then_some((status, usage))
}

fn cpu_time(usage: &libc::rusage) -> Duration {
    let t = |tv: libc::timeval| {
        Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
    };
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn assert_refused(r: &Run, code: i32, needles: &[&str]) {
    let stderr = cut(&r.stderr);
    assert_eq!(r.code, Some(code), "exit code; stderr:\n{stderr}");
    for n in needles {
        assert!(r.stderr.contains(n), "stderr lacks {n:?}:\n{stderr}");
    }
    assert!(
        !r.stderr.contains(SECRET),
        "a foreign file was echoed:\n{stderr}"
    );
}

/// The head of a long stderr, for a failure message.
fn cut(s: &str) -> &str {
    let end = (0..=s.len().min(4000))
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(0);
    &s[..end]
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn an_image_pointing_at_etc_passwd_is_refused_at_its_span() {
    let b = Book::new("", "");
    b.chapter("# თავი\n\nტექსტი.\n\n![x](/etc/passwd)\n");
    let r = b.run(&["check"]);
    assert_refused(
        &r,
        1,
        &[
            "image-invalid",
            "outside the manuscript directory",
            "ch.md:5:1",
        ],
    );
    assert!(!r.stderr.contains("root:"), "{}", r.stderr);
    // And no book is written.
    let out = b.dir.parent().unwrap().join("out.epub");
    let r = run(&["epub", "--output", out.to_str().unwrap()], &b.dir);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn a_chapter_through_dot_dot_is_refused_where_it_is_listed() {
    let b = Book::new("", "");
    b.toml("[\"ch.md\"]", "[\"../outside/secret.md\"]");
    let r = b.run(&["check"]);
    assert_refused(
        &r,
        1,
        &[
            "outside the manuscript directory",
            "book.toml:5:13",
            "listed here",
        ],
    );
}

#[test]
fn a_symlink_to_outside_is_refused_for_chapters_and_images() {
    let b = Book::new("", "");
    std::fs::remove_file(b.dir.join("ch.md")).expect("rm");
    symlink(&b.outside.join("secret.md"), &b.dir.join("ch.md"));
    assert_refused(&b.run(&["check"]), 1, &["outside the manuscript directory"]);

    let b = Book::new("", "");
    std::fs::copy(repo("manuscript/cover.png"), b.outside.join("p.png")).expect("copy");
    symlink(&b.outside.join("p.png"), &b.dir.join("p.png"));
    b.chapter("# თავი\n\n![x](p.png)\n");
    b.refused_unless_allowed(&["image-invalid", "ch.md:3:1"]);
}

#[test]
fn an_absolute_style_path_is_refused_unless_allowed() {
    let b = Book::new("", "");
    let style = b.outside.join("style.csl");
    std::fs::copy(repo("manuscript/style.csl"), &style).expect("copy");
    let named = format!("style = {:?}", style.to_str().unwrap());
    b.toml("style = \"style.csl\"", &named);
    b.refused_unless_allowed(&["book.toml:9:9", "named here"]);
}

#[test]
fn allow_makes_an_outside_font_work() {
    let b = Book::new(
        "",
        &format!(
            "[fonts]\nregular = [{:?}, {:?}]\n",
            "../outside/NotoSerifGeorgian-Regular.ttf", "../outside/NotoSerif-Regular.ttf"
        ),
    );
    for f in ["NotoSerifGeorgian-Regular.ttf", "NotoSerif-Regular.ttf"] {
        std::fs::copy(repo("fonts").join(f), b.outside.join(f)).expect("copy");
    }
    b.refused_unless_allowed(&["font-missing", "font named here"]);
}

/// /dev/zero reports a size of 0 and never ends; each kind of input named
/// as it must be refused at once, outside the manuscript or (when /dev is
/// allowed) as no regular file, and never read until memory runs out.
#[test]
fn dev_zero_as_any_input_is_refused_at_once() {
    let cases: [(&str, &str, &str); 5] = [
        ("[\"ch.md\"]", "[\"/dev/zero\"]", "listed here"),
        (
            "style = \"style.csl\"",
            "style = \"/dev/zero\"",
            "named here",
        ),
        (
            "references = \"references.yaml\"",
            "references = \"/dev/zero\"",
            "named here",
        ),
        (
            "chapters = [",
            "cover = \"/dev/zero\"\nchapters = [",
            "cover named here",
        ),
        (
            "[bibliography]",
            "[fonts]\nregular = [\"/dev/zero\"]\n[bibliography]",
            "font named here",
        ),
    ];
    for (from, to, label) in cases {
        let b = Book::new("", "");
        b.toml(from, to);
        assert_refused(
            &b.run(&["check"]),
            1,
            &["outside the manuscript directory", label],
        );
        let r = b.run(&["check", "--allow", "/dev"]);
        assert_refused(&r, 1, &["not a regular file", label]);
    }
}

#[test]
fn a_fifo_as_chapter_does_not_hang() {
    let b = Book::new("", "");
    std::fs::remove_file(b.dir.join("ch.md")).expect("rm");
    let made = Command::new("mkfifo")
        .arg(b.dir.join("ch.md"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    assert_refused(
        &b.run(&["check"]),
        1,
        &["not a regular file", "listed here"],
    );
}

#[test]
fn a_chapter_over_8_mib_is_refused_in_binary_units() {
    let b = Book::new("", "");
    // Sparse: the test writes nothing like 8 MiB to disk.
    let f = std::fs::File::create(b.dir.join("ch.md")).expect("create");
    f.set_len(8 * 1024 * 1024 + 5).expect("set_len");
    let r = b.run(&["check"]);
    assert_refused(
        &r,
        1,
        &[
            "chapter-too-large",
            "is larger than 8 MiB; chapters may be at most 8 MiB",
        ],
    );
}

#[test]
fn a_chapter_listed_a_million_times_is_counted_not_read() {
    let b = Book::new("", "");
    let listed = vec!["\"ch.md\""; 1_000_000].join(",");
    b.toml("[\"ch.md\"]", &format!("[{listed}]"));
    // JSON: the human format reprints the 7 MB line, which is the
    // diagnostics' business (long lines are cut there), not the reader's.
    let r = b.run(&["check", "--message-format", "json"]);
    assert_refused(
        &r,
        1,
        &[
            "too-many-chapters",
            "lists 1000000 chapters",
            "at most 10000",
        ],
    );
}

#[test]
fn a_chapter_listed_twice_is_an_error_at_the_second() {
    let b = Book::new("", "");
    b.toml("[\"ch.md\"]", "[\"ch.md\", \"./ch.md\"]");
    let r = b.run(&["check"]);
    assert_refused(&r, 1, &["chapter-twice", "listed twice"]);
}

/// A 50000×50000 PNG (1-bit grey, about 300 KB of zeros deflated): its
/// header is enough to refuse it, long before 2.5 GB of pixels.
#[test]
fn a_fifty_thousand_square_png_is_refused_from_its_header() {
    let b = Book::new("", "");
    std::fs::write(b.dir.join("huge.png"), huge_png(50_000)).expect("write");
    b.chapter("# თავი\n\n![x](huge.png)\n");
    let r = b.run(&["check"]);
    assert_refused(
        &r,
        1,
        &["image-invalid", "50000×50000", "at most 100 megapixels"],
    );
    assert!(r.took < Duration::from_secs(1), "{:?}", r.took);
    // The cover is held to the same limit.
    let b = Book::new("cover = \"huge.png\"", "");
    std::fs::write(b.dir.join("huge.png"), huge_png(50_000)).expect("write");
    assert_refused(&b.run(&["check"]), 1, &["50000×50000", "cover named here"]);
}

fn huge_png(side: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // 1-bit grey, no interlace
    let row = vec![0u8; 1 + side.div_ceil(8) as usize];
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..side {
        z.write_all(&row).expect("deflate");
    }
    let idat = z.finish().expect("deflate");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn an_image_that_does_not_decode_is_an_error_at_its_span() {
    let b = Book::new("", "");
    std::fs::write(
        b.dir.join("fake.png"),
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .expect("write");
    let cover = std::fs::read(repo("manuscript/cover.png")).expect("cover");
    std::fs::write(b.dir.join("cut.png"), &cover[..cover.len() / 2]).expect("write");
    b.chapter("# თავი\n\n![a](fake.png)\n\n![b](cut.png)\n");
    let r = b.run(&["check"]);
    assert_refused(
        &r,
        1,
        &[
            "image fake.png is not an image",
            "ch.md:3:1",
            "image cut.png cannot be decoded",
            "ch.md:5:1",
        ],
    );
}

/// Every output that is an input, or not a regular file, is refused with
/// exit 2 before anything is written; the input stays as it was.
#[test]
fn an_output_that_is_an_input_or_no_regular_file_is_refused() {
    let b = Book::new("cover = \"cover.png\"", "");
    let link = b.dir.parent().unwrap().join("link.pdf");
    symlink(&b.dir.join("ch.md"), &link);
    let cases = [
        b.dir.join("ch.md"),
        b.dir.join("book.toml"),
        b.dir.join("cover.png"),
        b.dir.join("references.yaml"),
        link.clone(),
        PathBuf::from("/dev/null"),
    ];
    for out in &cases {
        let before = std::fs::read(out).expect("read");
        let r = run(&["pdf", "--output", out.to_str().unwrap()], &b.dir);
        assert_refused(&r, 2, &["cannot write"]);
        assert_eq!(std::fs::read(out).expect("read"), before, "{out:?} changed");
    }
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    let r = run(&["pdf", "--output", "/dev/stdout"], &b.dir);
    assert_refused(&r, 2, &["not a regular file"]);
    let leftovers: Vec<_> = std::fs::read_dir(&b.dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tsigni"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn records_never_overwrite_a_file_the_manuscript_uses() {
    let b = Book::new("", "");
    // `all -o m/references` would write the BibTeX record to m/references.bib.
    std::fs::write(
        b.dir.join("references.bib"),
        "@misc{snow1961, author = {Snow}, year = {1961}}\n",
    )
    .expect("write");
    b.toml(
        "references = \"references.yaml\"",
        "references = \"references.bib\"",
    );
    let before = std::fs::read(b.dir.join("references.bib")).expect("read");
    let out = b.dir.join("references");
    let r = run(&["all", "--output", out.to_str().unwrap()], &b.dir);
    assert_refused(
        &r,
        2,
        &["references.bib", "one of the files this build reads"],
    );
    assert_eq!(
        std::fs::read(b.dir.join("references.bib")).expect("read"),
        before
    );
    assert!(
        !b.dir.join("references.epub").exists(),
        "a book was written before the refusal"
    );
}

#[test]
fn an_output_below_a_file_gets_a_clear_message() {
    let b = Book::new("", "");
    let out = b.dir.join("cover.png").join("book.epub");
    let r = run(&["epub", "--output", out.to_str().unwrap()], &b.dir);
    assert_refused(
        &r,
        2,
        &["cover.png is a file, so no directory can be made there"],
    );
    assert!(!r.stderr.contains("os error 17"), "{}", r.stderr);
}
