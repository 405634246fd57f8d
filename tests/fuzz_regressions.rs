//! Every input the fuzzer ever crashed or hung on (`fuzz/regressions/`), and
//! its seeds, run through the same steps as the fuzz target: reading, EPUB
//! writing and PDF layout. None may panic.

use std::path::{Path, PathBuf};
use tsigni::fuzzing::run;

fn inputs(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    v.sort();
    v
}

#[test]
fn fuzz_regressions_do_not_panic() {
    for p in inputs("fuzz/regressions") {
        let data = std::fs::read(&p).unwrap();
        let r = std::panic::catch_unwind(|| run(&data));
        assert!(r.is_ok(), "{} panics again", p.display());
    }
}

#[test]
fn fuzz_seeds_do_not_panic() {
    let seeds = inputs("fuzz/seeds");
    assert!(seeds.len() > 20);
    for p in seeds {
        run(&std::fs::read(&p).unwrap());
    }
}
