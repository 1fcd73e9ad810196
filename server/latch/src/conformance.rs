//! `latch conformance PATH...`: runs access cases (files, or folders of `*.json` files)
//! through the engine, prints one line per failing case and closes with
//! `N passed, N failed`. Exit 1 on any failure, 2 on a usage error (no such path, a file
//! that is not a list of cases).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use latch_eval::conformance::{load_cases, prepare, run_case};
use latch_eval::render;

#[derive(clap::Args)]
pub struct ConformanceArgs {
    /// Case files or folders of case files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

fn case_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries =
        std::fs::read_dir(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    // A folder such as `tests/conformance` keeps its cases in `cases/`.
    let nested = path.join("cases");
    if files.is_empty() && nested.is_dir() {
        return case_files(&nested);
    }
    files.sort();
    Ok(files)
}

pub fn run(args: ConformanceArgs) -> ExitCode {
    let mut files = Vec::new();
    for p in &args.paths {
        match case_files(p) {
            Ok(mut f) => files.append(&mut f),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let cases = match load_cases(&text) {
            Ok(c) => c,
            Err(e) => {
                eprintln!(
                    "error: `{}` is not a list of access cases: {e}",
                    file.display()
                );
                return ExitCode::from(2);
            }
        };
        for case in &cases {
            let outcome = run_case(case).and_then(|r| prepare(case).map(|p| (r, p)));
            match outcome {
                Ok((r, _)) if r.passed() => passed += 1,
                Ok((r, p)) => {
                    failed += 1;
                    let label = |pr: &latch_eval::PolicyRef, s: latch_syntax::Span| {
                        format!("{}@{}", pr.label, s.start)
                    };
                    let others: Vec<&String> = r
                        .mismatches
                        .iter()
                        .filter(|m| !m.starts_with("expected `"))
                        .collect();
                    let extra = others.iter().map(|m| format!("; {m}")).collect::<String>();
                    println!(
                        "FAIL {}: expected {}, got {}{extra}: {}",
                        r.name,
                        r.expected.as_str(),
                        r.decision.outcome.as_str(),
                        render::one_line(&r.decision, &p.request, &label)
                    );
                }
                Err(e) => {
                    failed += 1;
                    println!("FAIL {}: {e}", case.name);
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
