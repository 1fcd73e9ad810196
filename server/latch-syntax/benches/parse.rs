//! Policy text to policy model (`parse_policy`: the tolerant JSON parser and the model
//! builder; `json_only`: the parser alone; `model_only`: the engine's model read straight
//! from the text) over the policies of the conformance cases, each serialized the way the
//! engine benchmark feeds them (`serde_json::to_string_pretty`).
//!
//! Run with `cargo bench -p latch-syntax --bench parse`. `LATCH_BENCH_ROUNDS=N` parses
//! every policy `N` times and exits without the divan report, for a profiler
//! (`valgrind --tool=callgrind`).

use std::hint::black_box;
use std::path::PathBuf;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use latch_syntax::json;
use latch_syntax::policy::parse_policy;

fn main() {
    if let Some(rounds) = std::env::var("LATCH_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let ts = texts();
        for _ in 0..rounds {
            for t in &ts {
                black_box(parse_policy(black_box(t)));
            }
        }
        return;
    }
    divan::main();
}

/// Every policy document (an object with a `Statement`) found in the case files.
fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) if m.contains_key("Statement") => {
            out.push(serde_json::to_string_pretty(v).unwrap_or_default());
        }
        serde_json::Value::Object(m) => m.values().for_each(|v| collect(v, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn texts() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            collect(&v, &mut out);
        }
    }
    out
}

/// Times `read` over every policy text, counting policies and bytes.
fn each_text<T>(bencher: Bencher, read: impl Fn(&str) -> T + Sync) {
    let ts = texts();
    let bytes: usize = ts.iter().map(String::len).sum();
    bencher
        .counter(ItemsCount::new(ts.len()))
        .counter(BytesCount::new(bytes))
        .bench(|| {
            for t in &ts {
                black_box(read(black_box(t)));
            }
        });
}

#[divan::bench]
fn policies(bencher: Bencher) {
    each_text(bencher, parse_policy);
}

#[divan::bench]
fn json_only(bencher: Bencher) {
    each_text(bencher, json::parse);
}

/// The engine's way: the model straight from the text.
#[divan::bench]
fn model_only(bencher: Bencher) {
    each_text(bencher, latch_syntax::policy::policy_only);
}
