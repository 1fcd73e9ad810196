//! Evaluations per second over the conformance cases: with policies compiled once (the
//! way an editor re-evaluates), and end to end from policy text (parse + compile +
//! evaluate).
//!
//! Run alone (`cargo bench -p latch-eval --bench eval`), it prints the divan report and
//! then plain throughput figures. Run by `scripts/bench/engine.sh`, which first measures
//! the peer engine on the same cases, it reads the peer's figures from the file named by
//! `LATCH_BENCH_PEER`, runs exactly the cases the peer ran, and prints both rates and the
//! ratios. No peer figure is ever remembered here. `LATCH_BENCH_ROUNDS=N` runs only `N`
//! end-to-end rounds over the shared cases, for a profiler.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use latch_eval::conformance::{
    Case, Prepared, compile_text, load_cases, policy_text, prepare, prepare_with,
};
use latch_eval::evaluate;

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

/// Parses, compiles and evaluates one case from its policy texts.
fn end_to_end_one(c: &Case, ts: &[String]) {
    let mut next = ts.iter();
    let mut parse = |label: &str, kind, _: &serde_json::Value| {
        compile_text(label, kind, next.next().map_or("", String::as_str))
    };
    if let Ok(p) = prepare_with(c, &mut parse) {
        black_box(evaluate(&p.set, &p.request));
    }
}

/// Parses, compiles and evaluates every case from its policy texts.
fn end_to_end_round(cases: &[Case], texts: &Texts) {
    for (c, ts) in cases.iter().zip(texts) {
        end_to_end_one(c, ts);
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

/// Evaluations per second after a warm-up, each case timed on its own in every round.
/// `fastest`: the number of cases over the sum of each case's fastest time. The machine
/// may be shared and other work only adds time; a case takes microseconds, so some
/// repetition of it runs undisturbed. `median`: over the median round. The peer is
/// measured the same way (`scripts/bench/peer.js`).
struct Rate {
    fastest: f64,
    median: f64,
}

fn rate<T>(items: &[T], warmup: Duration, budget: Duration, mut one: impl FnMut(&T)) -> Rate {
    let mut round = |mins: &mut [f64]| {
        let mut total = 0.0;
        for (item, min) in items.iter().zip(mins.iter_mut()) {
            let t = Instant::now();
            one(item);
            let dt = t.elapsed().as_secs_f64();
            *min = min.min(dt);
            total += dt;
        }
        total
    };
    let mut mins = vec![f64::INFINITY; items.len()];
    let start = Instant::now();
    while start.elapsed() < warmup {
        round(&mut mins);
    }
    mins.fill(f64::INFINITY);
    let start = Instant::now();
    let mut totals = Vec::new();
    while start.elapsed() < budget || totals.len() < 5 {
        totals.push(round(&mut mins));
    }
    totals.sort_by(f64::total_cmp);
    let median = totals
        .get(totals.len() / 2)
        .copied()
        .unwrap_or(f64::INFINITY);
    Rate {
        fastest: items.len() as f64 / mins.iter().sum::<f64>(),
        median: items.len() as f64 / median,
    }
}

fn seconds(var: &str, default: f64) -> Duration {
    let s = std::env::var(var)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(default);
    Duration::from_secs_f64(s.max(0.0))
}

/// Both rates of Latch over `cs`.
fn measure(cs: &[Case]) -> (Rate, Rate) {
    let warmup = seconds("BENCH_WARMUP", 1.0);
    let budget = seconds("BENCH_SECONDS", 3.0);
    let ps = prepared(cs);
    let compiled = rate(&ps, warmup, budget, |p| {
        black_box(evaluate(&p.set, &p.request));
    });
    let ts = texts(cs);
    let both: Vec<(&Case, &Vec<String>)> = cs.iter().zip(&ts).collect();
    let e2e = rate(&both, warmup, budget, |(c, ts)| end_to_end_one(c, ts));
    (compiled, e2e)
}

fn report(what: &str, cs: &[Case]) {
    let (compiled, e2e) = measure(cs);
    println!(
        "{what}: {} cases (each case's fastest time, median round)",
        cs.len()
    );
    println!(
        "  compiled once: {:.0} and {:.0} evaluations/s",
        compiled.fastest, compiled.median
    );
    println!(
        "  end to end:    {:.0} and {:.0} evaluations/s",
        e2e.fastest, e2e.median
    );
}

/// What `scripts/bench/peer.js` measured.
struct Peer {
    name: String,
    node: String,
    total: usize,
    cases: Vec<String>,
    skipped: Vec<(String, String)>,
    agree: usize,
    /// Each of the peer's paths: from each case's fastest time, and over the median round.
    parsed_once: (f64, f64),
    end_to_end: (f64, f64),
    run_simulation: (f64, f64),
}

fn read_peer(path: &str) -> Result<Peer, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    let f = |k: &str| -> Result<(f64, f64), String> {
        let fastest = v[k].as_f64().ok_or(format!("{path}: no `{k}`"))?;
        Ok((fastest, v["median"][k].as_f64().unwrap_or(fastest)))
    };
    let names =
        |k: &str| -> Vec<serde_json::Value> { v[k].as_array().cloned().unwrap_or_default() };
    Ok(Peer {
        name: s("peer"),
        node: s("node"),
        total: v["total"].as_u64().unwrap_or_default() as usize,
        cases: names("cases")
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect(),
        skipped: names("skipped")
            .iter()
            .map(|s| {
                let g = |k: &str| s[k].as_str().unwrap_or_default().to_string();
                (g("name"), g("why"))
            })
            .collect(),
        agree: v["agree"].as_u64().unwrap_or_default() as usize,
        parsed_once: f("parsed_once")?,
        end_to_end: f("end_to_end")?,
        run_simulation: f("run_simulation")?,
    })
}

/// Latch on the cases the peer ran, side by side with the peer's figures.
fn side_by_side(peer: &Peer) {
    let all = cases();
    let cs: Vec<Case> = peer
        .cases
        .iter()
        .filter_map(|n| all.iter().find(|c| &c.name == n).cloned())
        .collect();
    if cs.len() != peer.cases.len() {
        eprintln!(
            "{} of the peer's {} cases are not in tests/conformance/cases",
            peer.cases.len() - cs.len(),
            peer.cases.len()
        );
    }
    let (compiled, e2e) = measure(&cs);
    println!(
        "{} cases run by both, of {} shared cases; {} skipped:",
        cs.len(),
        peer.total,
        peer.skipped.len()
    );
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, why) in &peer.skipped {
        match reasons.iter_mut().find(|(w, _)| w == why) {
            Some((_, names)) => names.push(name),
            None => reasons.push((why, vec![name])),
        }
    }
    for (why, names) in &reasons {
        println!("  {} {why}: {}", names.len(), names.join(", "));
    }
    println!(
        "peer: {} on node {} ({} of {} decisions as the cases expect)",
        peer.name,
        peer.node,
        peer.agree,
        cs.len()
    );
    println!(
        "evaluations per second: from each case's fastest time (from the median round); ratio of the first"
    );
    let line = |what: &str, (fastest, median): (f64, f64), ours: &Rate| {
        println!(
            "  {what:<50} peer {fastest:>7.0} ({median:>7.0})   latch {:>8.0} ({:>8.0})   {:>6.1}x",
            ours.fastest,
            ours.median,
            ours.fastest / fastest
        );
    };
    line(
        "parsed once (peer: authorize, policies loaded)",
        peer.parsed_once,
        &compiled,
    );
    line(
        "from text (peer: runSimulation, validating)",
        peer.run_simulation,
        &e2e,
    );
    line(
        "from text (peer: JSON.parse+loadPolicy+authorize)",
        peer.end_to_end,
        &e2e,
    );
}

/// For profilers (`valgrind --tool=callgrind`, `perf record`): `N` end-to-end rounds
/// over the shared cases and nothing else.
fn profile_rounds(n: usize) {
    let cs = cases_where(|p| !p.ends_with("latch_decisions.json"));
    let ts = texts(&cs);
    for _ in 0..n {
        end_to_end_round(&cs, &ts);
    }
}

fn main() {
    if let Some(n) = std::env::var("LATCH_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        profile_rounds(n);
        return;
    }
    if let Ok(path) = std::env::var("LATCH_BENCH_PEER") {
        match read_peer(&path) {
            Ok(peer) => side_by_side(&peer),
            Err(e) => {
                eprintln!("cannot read the peer's figures: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    divan::main();
    // The shared cases are the ones other engines can be run on; Latch's own decisions
    // come on top.
    report(
        "shared cases",
        &cases_where(|p| !p.ends_with("latch_decisions.json")),
    );
    report("all cases", &cases());
}
