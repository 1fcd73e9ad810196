//! Evaluations per second over every conformance case: with policies compiled once (the
//! way an editor re-evaluates), and end to end (parse + compile + evaluate). After the
//! divan report, prints plain throughput figures and the ratio against the TypeScript
//! peer engine's 12,000/s (compiled once) and 2,100/s (end to end).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use latch_eval::conformance::{
    Case, Prepared, compile_text, load_cases, policy_text, prepare, prepare_with,
};
use latch_eval::evaluate;

const PEER_COMPILED: f64 = 12_000.0;
const PEER_END_TO_END: f64 = 2_100.0;

fn cases() -> Vec<Case> {
    cases_where(|_| true)
}

/// The cases of the files whose name passes `keep`.
fn cases_where(keep: impl Fn(&str) -> bool) -> Vec<Case> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| keep(&p.to_string_lossy()))
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            load_cases(&text).unwrap_or_default()
        })
        .collect()
}

fn prepared(cases: &[Case]) -> Vec<Prepared> {
    cases.iter().filter_map(|c| prepare(c).ok()).collect()
}

/// The policy texts of every case, in the order `prepare_with` compiles them: end to end
/// starts from text, as an editor does, not from the case file's JSON values.
type Texts = Vec<Vec<String>>;

fn texts(cases: &[Case]) -> Texts {
    cases
        .iter()
        .map(|c| {
            let mut out = Vec::new();
            let mut keep = |label: &str, kind, v: &serde_json::Value| {
                let text = policy_text(v);
                let compiled = compile_text(label, kind, &text);
                out.push(text);
                compiled
            };
            let _ = prepare_with(c, &mut keep);
            out
        })
        .collect()
}

/// Parses, compiles and evaluates every case from its policy texts.
fn end_to_end_round(cases: &[Case], texts: &Texts) {
    for (c, ts) in cases.iter().zip(texts) {
        let mut next = ts.iter();
        let mut parse = |label: &str, kind, _: &serde_json::Value| {
            compile_text(label, kind, next.next().map_or("", String::as_str))
        };
        if let Ok(p) = prepare_with(c, &mut parse) {
            black_box(evaluate(&p.set, &p.request));
        }
    }
}

#[divan::bench]
fn compiled_once(bencher: divan::Bencher) {
    let ps = prepared(&cases());
    bencher
        .counter(divan::counter::ItemsCount::new(ps.len()))
        .bench(|| {
            for p in &ps {
                black_box(evaluate(black_box(&p.set), black_box(&p.request)));
            }
        });
}

#[divan::bench]
fn end_to_end(bencher: divan::Bencher) {
    let cs = cases();
    let ts = texts(&cs);
    bencher
        .counter(divan::counter::ItemsCount::new(cs.len()))
        .bench(|| end_to_end_round(black_box(&cs), &ts));
}

/// Evaluations per second from the median round: the machine is shared, and the median
/// is what other sessions' bursts disturb least.
fn rate(per_round: usize, budget: Duration, mut round: impl FnMut()) -> f64 {
    round();
    let start = Instant::now();
    let mut samples = Vec::new();
    while start.elapsed() < budget {
        let t = Instant::now();
        round();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    let median = samples
        .get(samples.len() / 2)
        .copied()
        .unwrap_or(f64::INFINITY);
    per_round as f64 / median
}

fn report(what: &str, cs: &[Case]) {
    let ps = prepared(cs);
    let compiled = rate(ps.len(), Duration::from_secs(3), || {
        for p in &ps {
            black_box(evaluate(&p.set, &p.request));
        }
    });
    let ts = texts(cs);
    let e2e = rate(cs.len(), Duration::from_secs(3), || {
        end_to_end_round(cs, &ts)
    });
    println!("{what}: {} cases", cs.len());
    println!(
        "  compiled once: {:.0} evaluations/s, {:.0}x the peer's {:.0}/s",
        compiled,
        compiled / PEER_COMPILED,
        PEER_COMPILED
    );
    println!(
        "  end to end:    {:.0} evaluations/s, {:.0}x the peer's {:.0}/s",
        e2e,
        e2e / PEER_END_TO_END,
        PEER_END_TO_END
    );
}

fn main() {
    divan::main();
    // The peer's figures are over the shared cases; Latch's own decisions come on top.
    report(
        "shared cases",
        &cases_where(|p| !p.ends_with("latch_decisions.json")),
    );
    report("all cases", &cases());
}
