//! `tsigni watch`: build the book once, then again whenever a file of the
//! manuscript changes, until interrupted (mdBook's `watch`).
//!
//! The manuscript directory is watched recursively, and the directory of
//! every file outside it that the last build read or `book.toml` names
//! (fonts or references in a directory given with `--allow`). One save is a
//! burst of events (write, rename,
//! chmod), so events are debounced into one rebuild. The outputs themselves,
//! the build's temporary files and editors' scratch files never trigger one,
//! so an output directory inside the manuscript cannot cause a rebuild loop.

use crate::build::{Event, Request};
use crate::config::Config;
use crate::error::Error;
use notify_debouncer_mini::notify::{self, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_mini::{
    new_debouncer_opt, DebounceEventResult, DebouncedEventKind, Debouncer,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Long enough to gather the events of one save (editors finish theirs
/// within a few milliseconds), short enough to keep save-to-book latency low.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// What the watcher has to say; the command line decides how it looks.
pub enum Report<'a> {
    /// The first build is done and changes are now awaited.
    Watching(&'a Path),
    /// What a build says as it goes: warnings, outputs written.
    Build(Event<'a>),
    /// A build failed: the manuscript's errors, or an output that cannot be
    /// written. The previous outputs stay.
    Failed(&'a Error),
    /// Events may have been lost; the watcher rebuilds to be safe.
    Lost(&'a dyn std::error::Error),
    /// Every output of one build is written.
    Rebuilt(Duration),
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {}: {source}", path.display())]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot watch {}: {source}", path.display())]
    Notify {
        path: PathBuf,
        #[source]
        source: notify::Error,
    },
    #[error("cannot catch Ctrl-C: {0}")]
    Signal(#[from] ctrlc::Error),
}

enum Message {
    Changed(Vec<PathBuf>),
    Lost(notify::Error),
    Stop,
}

/// Builds, then rebuilds on every relevant change until Ctrl-C (or SIGTERM),
/// which ends it cleanly: a build under way finishes first, so no temporary
/// file is left behind.
pub fn run(options: &Request, report: &mut dyn FnMut(Report)) -> Result<(), WatchError> {
    let root = std::fs::canonicalize(&options.manuscript).map_err(|source| WatchError::Dir {
        path: options.manuscript.clone(),
        source,
    })?;
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        // The loop may already be gone; then there is nothing left to stop.
        let _ = stop.send(Message::Stop);
    })?;
    let config = notify_debouncer_mini::Config::default().with_timeout(DEBOUNCE);
    let debouncer = new_debouncer_opt(config, move |result: DebounceEventResult| {
        let _ = tx.send(match result {
            // A path whose events outlast the debounce is reported twice:
            // "continuous" once it is old enough, then "any" once it is
            // quiet. Only the second means the save is complete.
            Ok(events) => Message::Changed(
                events
                    .into_iter()
                    .filter(|e| e.kind == DebouncedEventKind::Any)
                    .map(|e| e.path)
                    .collect(),
            ),
            Err(e) => Message::Lost(e),
        });
    })
    .map_err(|source| WatchError::Notify {
        path: root.clone(),
        source,
    })?;
    let mut session = Session {
        debouncer,
        filter: Filter::new(root.clone()),
        watched: HashSet::new(),
        inputs: Vec::new(),
    };
    // Watching starts before the first build, so that a save during it is
    // not lost.
    session
        .debouncer
        .watcher()
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|source| WatchError::Notify {
            path: root.clone(),
            source,
        })?;
    session.rebuild(options, report);
    report(Report::Watching(&options.manuscript));
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        // Whatever arrived during the last build is taken with this batch:
        // one rebuild for all of it.
        let mut pending = vec![first];
        pending.extend(rx.try_iter());
        let mut changed = false;
        for message in pending {
            match message {
                Message::Stop => return Ok(()),
                Message::Changed(paths) => {
                    changed |= paths.iter().any(|p| session.filter.triggers(p));
                }
                Message::Lost(e) => {
                    // Events may have been dropped (e.g. the kernel queue
                    // overflowed): rebuild rather than miss a change.
                    report(Report::Lost(&e));
                    changed = true;
                }
            }
        }
        if changed {
            session.rebuild(options, report);
        }
    }
}

/// The platform's watcher without access events: inotify reports every
/// open and close, and each build reads every file of the manuscript, so
/// passed on they would set off the next build, and so on forever.
struct Changes(RecommendedWatcher);

impl Watcher for Changes {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Self> {
        RecommendedWatcher::new(
            move |event: notify::Result<notify::Event>| {
                if !matches!(&event, Ok(e) if matches!(e.kind, EventKind::Access(_))) {
                    handler.handle_event(event);
                }
            },
            config,
        )
        .map(Changes)
    }
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }
    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }
    fn kind() -> notify::WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// What the watcher keeps between builds.
struct Session {
    debouncer: Debouncer<Changes>,
    filter: Filter,
    /// Directories outside the manuscript watched for the files they hold.
    watched: HashSet<PathBuf>,
    /// Every file the last successful build read.
    inputs: Vec<PathBuf>,
}

impl Session {
    fn rebuild(&mut self, options: &Request, report: &mut dyn FnMut(Report)) {
        let started = Instant::now();
        match crate::build::run(options, &mut |e| report(Report::Build(e))) {
            Ok(built) => {
                for w in &built.written {
                    self.filter.add_output(&w.path);
                }
                self.inputs = built.inputs;
                report(Report::Rebuilt(started.elapsed()));
            }
            Err(e) => report(Report::Failed(&e)),
        }
        self.follow_named_files(report);
    }

    /// Watches the directory of each file outside the manuscript that
    /// `book.toml` (or a chapter, for images) names: its directory rather
    /// than the file, because editors save by replacing the file.
    fn follow_named_files(&mut self, report: &mut dyn FnMut(Report)) {
        let root = self.filter.root.clone();
        let config = std::fs::read_to_string(root.join("book.toml"))
            .ok()
            .and_then(|text| toml::from_str::<Config>(&text).ok());
        // A book.toml that does not parse names nothing new; keep watching
        // what it named before.
        let Some(config) = config else { return };
        let named: HashSet<PathBuf> = named_files(&config)
            .into_iter()
            .map(|rel| resolved(&root.join(rel)))
            .chain(self.inputs.iter().map(|p| resolved(p)))
            .filter(|p| !p.starts_with(&root))
            .collect();
        let dirs: HashSet<PathBuf> = named
            .iter()
            .filter_map(|p| p.parent())
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .collect();
        let watcher = self.debouncer.watcher();
        for gone in self.watched.difference(&dirs) {
            // Already gone (deleted) is as good as unwatched.
            let _ = watcher.unwatch(gone);
        }
        for dir in dirs.difference(&self.watched) {
            if let Err(e) = watcher.watch(dir, RecursiveMode::NonRecursive) {
                report(Report::Lost(&e));
            }
        }
        self.watched = dirs;
        self.filter.named = named;
    }
}

/// Every file `book.toml` names (relative to the manuscript directory),
/// whether or not the last build could read it.
fn named_files(config: &Config) -> Vec<String> {
    let b = &config.book;
    let bib = &config.bibliography;
    let f = &config.fonts;
    // Without a named style, a `style.csl` that appears is read next build.
    let style = bib.style.clone().unwrap_or_else(|| "style.csl".into());
    crate::structure::listed_files(b)
        .chain(&b.cover)
        .chain([&bib.references, &style])
        .chain(&bib.locales)
        .chain(f.regular.iter().chain(&f.bold).chain(&f.italic))
        .cloned()
        .collect()
}

/// A path as the watcher reports it: its directory resolved (symlinks, `..`),
/// its name kept, since the file itself may not exist yet.
fn resolved(path: &Path) -> PathBuf {
    let plain = crate::vfs::normalize(path);
    match (plain.parent(), plain.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(plain),
        _ => plain,
    }
}

/// Which changed paths call for a rebuild.
#[derive(Debug, Default)]
struct Filter {
    /// The manuscript directory, resolved.
    root: PathBuf,
    /// Files outside `root` that the book is made of.
    named: HashSet<PathBuf>,
    /// Files the builds wrote, and their directories.
    outputs: HashSet<PathBuf>,
    output_dirs: HashSet<PathBuf>,
}

impl Filter {
    fn new(root: PathBuf) -> Filter {
        Filter {
            root,
            ..Filter::default()
        }
    }

    fn add_output(&mut self, path: &Path) {
        let path = resolved(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
        if let Some(dir) = path.parent() {
            self.output_dirs.insert(dir.to_path_buf());
        }
        self.outputs.insert(path);
    }

    fn triggers(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            return false;
        };
        if is_scratch(name) || self.outputs.contains(path) || self.output_dirs.contains(path) {
            return false;
        }
        if self.named.contains(path) {
            return true;
        }
        // Inside the manuscript, anything but hidden files and directories
        // (.git, editors' locks and swap files, the build's temporaries).
        match path.strip_prefix(&self.root) {
            Ok(rel) => {
                rel.components().next().is_some()
                    && rel
                        .components()
                        .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
            }
            Err(_) => false,
        }
    }
}

/// Files that editors write beside the one being edited, and the build's own
/// temporary files: vim's `.x.swp` and `4913` probe, backups `x~`, Emacs's
/// `.#x` lock and `#x#` autosave, Kate's and JetBrains' scratch files.
fn is_scratch(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".swp",
        ".swo",
        ".swx",
        "~",
        ".tmp",
        ".kate-swp",
        "___jb_tmp___",
        "___jb_old___",
    ];
    name == "4913"
        || name.starts_with(".#")
        || name.starts_with(".tsigni-")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> Filter {
        let mut f = Filter::new(PathBuf::from("/m"));
        f.named.insert(PathBuf::from("/covers/cover.png"));
        f.add_output(Path::new("/m/out/book.epub"));
        f.add_output(Path::new("/m/book.pdf"));
        f
    }

    #[test]
    fn manuscript_files_trigger() {
        let f = filter();
        for p in [
            "/m/book.toml",
            "/m/01-abstract.md",
            "/m/img/map.png",
            "/m/fonts/a.ttf",
        ] {
            assert!(f.triggers(Path::new(p)), "{p} should trigger a rebuild");
        }
    }

    #[test]
    fn named_files_outside_trigger_and_their_neighbours_do_not() {
        let f = filter();
        assert!(f.triggers(Path::new("/covers/cover.png")));
        assert!(!f.triggers(Path::new("/covers/other.png")));
        assert!(!f.triggers(Path::new("/elsewhere/01-abstract.md")));
    }

    #[test]
    fn outputs_inside_the_manuscript_do_not_trigger() {
        let f = filter();
        for p in [
            "/m/out/book.epub",
            "/m/out",
            "/m/book.pdf",
            "/m/out/.tsigni-a1B2c3.part",
        ] {
            assert!(!f.triggers(Path::new(p)), "{p} would loop");
        }
        // The manuscript directory is the PDF's directory: its other files
        // still count.
        assert!(f.triggers(Path::new("/m/02-introduction.md")));
    }

    #[test]
    fn editor_scratch_and_hidden_files_do_not_trigger() {
        let f = filter();
        for p in [
            "/m/.01-abstract.md.swp",
            "/m/01-abstract.md.swp",
            "/m/.01-abstract.md.swx",
            "/m/01-abstract.md~",
            "/m/4913",
            "/m/.#01-abstract.md",
            "/m/#01-abstract.md#",
            "/m/01-abstract.md.kate-swp",
            "/m/01-abstract.md___jb_tmp___",
            "/m/.git/index",
            "/m/.goutputstream-X1Y2Z3",
            "/m",
        ] {
            assert!(!f.triggers(Path::new(p)), "{p} should not trigger");
        }
    }

    #[test]
    fn named_files_come_from_every_section() {
        let config: Config = toml::from_str(
            r#"[book]
title = "t"
language = "ka"
identifier = "x"
chapters = ["a.md"]
cover = "../covers/c.png"
[bibliography]
references = "../shared/refs.yaml"
locales = ["l.xml"]
[fonts]
regular = ["../f/r.ttf"]
"#,
        )
        .unwrap();
        let named = named_files(&config);
        for want in [
            "a.md",
            "../covers/c.png",
            "../shared/refs.yaml",
            "style.csl",
            "l.xml",
            "../f/r.ttf",
        ] {
            assert!(named.iter().any(|n| n == want), "{want} missing: {named:?}");
        }
    }
}
