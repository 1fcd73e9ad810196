//! The JSON parser on any text: it never panics, every finding's range lies inside the
//! text on character boundaries, and the policy model builds from whatever tree it gives.
#![no_main]

use latch_fuzz::assert_inside;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = latch_syntax::json::parse(text);
    assert_inside(
        text,
        parsed.findings.iter().map(|f| f.range),
        "json finding",
    );
    if let Some(tree) = &parsed.value {
        let (_, findings) = latch_syntax::policy::policy_from_value(tree);
        assert_inside(text, findings.iter().map(|f| f.range), "policy finding");
    }
});
