//! The JSON parser on any text: it never panics, every finding's range lies inside the
//! text on character boundaries, the policy model builds from whatever tree it gives, and
//! the engine's model read straight from the text (`policy_only`) is exactly that model,
//! spans included.
#![no_main]

use latch_fuzz::{assert_inside, own_ranges};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = latch_syntax::json::parse(text);
    assert_inside(text, own_ranges(&parsed.findings), "json finding");
    if let Some(tree) = &parsed.value {
        let (_, findings) = latch_syntax::policy::policy_from_value(tree);
        assert_inside(text, own_ranges(&findings), "policy finding");
    }
    let direct = latch_syntax::policy::policy_only(text);
    let built = latch_syntax::policy::parse_policy(text).policy;
    // Debug shows every span, which equality ignores.
    assert_eq!(format!("{direct:?}"), format!("{built:?}"));
});
