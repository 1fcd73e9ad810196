//! Terraform extraction over the realistic modules in `tests/fixtures/terraform/`:
//! policies in every syntax, their element positions as `.tf` line:column, references
//! resolved and kept symbolic.

use std::path::Path;

use latch_syntax::terraform::*;

fn fixture_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/terraform")
        .join(name)
}

/// Reads every `.tf`/`.tf.json` file of a fixture module, sorted, with workspace-relative
/// paths like `datalake/main.tf`.
fn load(name: &str) -> Vec<(String, String)> {
    let dir = fixture_dir(name);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".tf") || n.ends_with(".tf.json")
        })
        .map(|p| {
            let file = p.file_name().unwrap().to_string_lossy().to_string();
            (
                format!("{name}/{file}"),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn analyze(name: &str, providers: &ProviderAccounts) -> (Module, Vec<(String, String)>) {
    let files = load(name);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    (analyze_module(&refs, providers), files)
}

#[test]
fn dump() {
    let providers =
        ProviderAccounts::new([("aws", "444455556666"), ("aws.analytics", "111122223333")]);
    let (m, _) = analyze("datalake", &providers);
    eprintln!("{:#?}", m.findings);
    for p in &m.policies {
        eprintln!("== {} {:?} {:?}", p.address(), p.kind, p.syntax);
        match &p.source {
            PolicySource::Inline(i) => {
                eprintln!("{}", i.tree.to_compact_json());
                for s in &i.symbols {
                    eprintln!("  sym {} : {}", s.text, s.reason);
                }
                for f in &i.findings {
                    eprintln!("  finding {:?}", f);
                }
            }
            other => eprintln!("{other:?}"),
        }
    }
    for r in &m.resources {
        eprintln!(
            "{} {} {:?} {:?}",
            r.address,
            r.provider,
            r.account,
            r.arn.as_ref().map(|a| &a.value)
        );
    }
    panic!();
}
