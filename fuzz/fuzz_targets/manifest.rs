//! The `latch.toml` reader on any text: it never panics and its findings stay inside the
//! text.
#![no_main]

use latch_fuzz::{assert_inside, own_ranges};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = latch_syntax::manifest::parse_manifest(text);
    assert_inside(text, own_ranges(&parsed.findings), "manifest finding");
});
