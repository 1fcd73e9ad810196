//! The `latch.toml` reader on any text: it never panics and its findings stay inside the
//! text.
#![no_main]

use latch_fuzz::assert_inside;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = latch_syntax::manifest::parse_manifest(text);
    assert_inside(
        text,
        parsed.findings.iter().map(|f| f.range),
        "manifest finding",
    );
});
