//! The Terraform reader on one file of any text, as `main.tf` (HCL) and, when it could be
//! JSON, as `main.tf.json`: it never panics and its findings stay inside the text.
#![no_main]

use latch_fuzz::{assert_inside, own_ranges};
use latch_syntax::terraform::{ProviderAccounts, analyze_module};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut providers = ProviderAccounts::default();
    providers
        .accounts
        .insert("aws".to_string(), "111122223333".to_string());
    providers
        .accounts
        .insert("aws.other".to_string(), "444455556666".to_string());
    let mut paths = vec!["main.tf"];
    if text.trim_start().starts_with('{') {
        paths.push("main.tf.json");
    }
    for path in paths {
        let module = analyze_module(&[(path, text)], &providers);
        let own = module.findings.iter().filter(|f| &*f.path == path);
        assert_inside(text, own_ranges(own), "terraform finding");
    }
});
