//! Arbitrary Markdown, book.toml and references through reading, EPUB
//! writing and PDF layout: no panic, no hang, whatever the input. The harness
//! (how the input is split) is `tsigni::fuzzing::run`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| tsigni::fuzzing::run(data));
