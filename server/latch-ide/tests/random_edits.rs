//! A random editing session against the caches: a fixture workspace read from disk, a few
//! hundred random edits (typed and deleted characters, pasted snippets, cut and duplicated
//! lines, select-all and paste, undo to an earlier text) to a few of its files through
//! `Workspace::set_file`, each followed by `analyze()` as the language server does. After
//! every edit the analysis must equal a check from scratch of the same texts (a fresh
//! workspace), finding for finding (code, path, range, message, related locations, fixes)
//! and in the same order: whatever the caches keep between analyses (summaries, modules,
//! revalidations, the simulation's cache) must never show in the result. Every finding is
//! also filed under its own path, with its ranges inside its file's text.
//!
//! One piece of history is meant to show: while a Terraform file has a block that does not
//! parse, its last text that parsed stands in for it in the other files' analysis
//! (`ModuleAnalysis::stale`). For such files the fresh workspace is first given their last
//! good texts, then their current ones; and at the end the session fixes every broken file
//! (back to its last good text) and the analysis must equal a plain check from scratch.
//!
//! Seeds are fixed, so a failure reproduces; the session is bounded by a number of edits.

use std::path::{Path, PathBuf};

use latch_ide::workspace::{Analysis, Workspace, kind_from_path};

/// SplitMix64: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// Characters typed one at a time: JSON, HCL and TOML punctuation, letters, and text whose
/// UTF-8 length is not its character count.
const CHARS: &[&str] = &[
    "{", "}", "[", "]", "\"", ",", ":", "=", " ", "\n", "a", "s", "3", "*", "$", "/", "é", "読",
    "😀", "“",
];

const JSON_SNIPPETS: &[&str] = &[
    r#""Statement": ["#,
    r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
    r#"{"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::example-analytics-exports/*"}"#,
    r#""Principal": {"AWS": "arn:aws:iam::111122223333:root"}"#,
    r#""Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
    r#""Condition": {"Bool": {"aws:SecureTransport": "false"}}"#,
    r#""kms:Decrypt""#,
    r#""Version": "2012-10-17""#,
    r#""Statment""#,
    r#""Effect": "deny""#,
    r#""NotAction": "iam:*""#,
];

const TF_SNIPPETS: &[&str] = &[
    "resource \"aws_s3_bucket_policy\" \"extra\" {\n  bucket = aws_s3_bucket.exports.id\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Deny\", Principal = \"*\", Action = \"s3:*\", Resource = \"*\" }]\n  })\n}\n",
    "resource \"aws_iam_role_policy\" \"p\" {\n  role   = \"ReportReader\"\n  policy = data.aws_iam_policy_document.nope.json\n}\n",
    "variable \"effect\" {\n  default = \"Allow\"\n}\n",
    "${var.effect}",
    "provider = aws.analytics\n",
    "kms:Decrypt",
    " = ",
    "{",
    "}",
];

const TOML_SNIPPETS: &[&str] = &[
    "[[key]]\narn = \"arn:aws:kms:us-east-1:444455556666:key/k2\"\npolicy = \"s3/bucket-policy.json\"\n",
    "[[bucket]]\nname = \"second-bucket\"\naccount = \"storage\"\npolicy = \"iam/jane.json\"\n",
    "[[principal]]\narn = \"arn:aws:iam::111122223333:role/ReportReader\"\npolicies = [\"kms/key-policy.json\", \"expected.json\"]\n",
    "[[scp]]\npolicy = \"vpce/s3-gateway.json\"\n",
    "policy = \"kms/key-policy.json\"\n",
    "decision = \"deny\"\n",
    "[check]\n\"policy/missing-version\" = \"off\"\n",
    "[providers]\naws = \"analytics\"\n",
    "\"",
    "[",
];

/// Every file of `root` that Latch reads, as (workspace path, text).
fn read_folder(root: &Path) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if kind_from_path(&e.file_name().to_string_lossy()).is_some() {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let rel = p
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, text))
        })
        .collect()
}

/// The nearest character boundary at or below `at`.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn snippets(path: &str) -> &'static [&'static str] {
    if path.ends_with(".tf") {
        TF_SNIPPETS
    } else if path.ends_with(".toml") {
        TOML_SNIPPETS
    } else {
        JSON_SNIPPETS
    }
}

/// One random edit of `text` (a file at `path`); `history` holds its earlier texts.
fn edit(rng: &mut Rng, path: &str, text: &str, history: &[String]) -> String {
    let mut out = text.to_string();
    let at = floor(text, rng.below(text.len() + 1));
    match rng.below(100) {
        // Type a character.
        0..=29 => out.insert_str(at, rng.pick(CHARS)),
        // Delete a few characters.
        30..=54 => {
            let end = floor(text, at + 1 + rng.below(12));
            out.replace_range(at..end.max(at), "");
        }
        // Paste a snippet.
        55..=69 => out.insert_str(at, rng.pick(snippets(path))),
        // Cut the line at `at`.
        70..=79 => {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            out.replace_range(start..end, "");
        }
        // Duplicate the line at `at`.
        80..=87 => {
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let line = text[start..end].to_string();
            out.insert_str(start, &line);
        }
        // Select all, then delete or paste over it (a new policy being pasted in).
        88..=91 => {
            out = if rng.below(2) == 0 {
                String::new()
            } else {
                rng.pick(snippets(path)).to_string()
            };
        }
        // Undo to an earlier text (the first one, or any), as an editor's undo would.
        _ => {
            if let Some(old) = history.get(rng.below(history.len())) {
                out = old.clone();
            }
        }
    }
    out
}

/// A workspace read from scratch: every file set anew, the edited ones as an editor has
/// them open (`set_file`), the others as the language server indexes them from disk.
fn from_scratch(files: &[(String, String)], open: &[&str]) -> Workspace {
    let mut ws = Workspace::new();
    for (path, text) in files {
        if open.contains(&path.as_str()) {
            ws.set_file(path, text.as_bytes());
        } else {
            ws.set_file_lean(path, text.as_bytes());
        }
    }
    ws
}

/// Panics with the first finding that differs, and the texts of the files involved.
fn assert_same(session: &Analysis, scratch: &Analysis, files: &[(String, String)], what: &str) {
    if session.findings == scratch.findings {
        return;
    }
    let line =
        |f: &latch_syntax::Finding| format!("{} {} {:?} {}", f.path, f.code, f.range, f.message);
    let a: Vec<_> = session.all().collect();
    let b: Vec<_> = scratch.all().collect();
    let first = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    let at =
        |v: &[&latch_syntax::Finding], i: usize| v.get(i).map_or("(none)".to_string(), |f| line(f));
    let paths: std::collections::BTreeSet<_> = session
        .findings
        .keys()
        .chain(scratch.findings.keys())
        .collect();
    for p in paths {
        let (x, y) = (session.findings.get(p), scratch.findings.get(p));
        if x != y {
            let show = |v: Option<&Vec<latch_syntax::Finding>>| {
                v.map(|v| {
                    v.iter()
                        .map(|f| {
                            format!(
                                "    {} {:?} {}",
                                f.code,
                                f.range,
                                f.message.lines().next().unwrap_or("")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default()
            };
            eprintln!("== {p}\n  session:\n{}\n  scratch:\n{}", show(x), show(y));
        }
    }
    let texts: Vec<String> = files.iter().map(|(p, t)| format!("//- {p}\n{t}")).collect();
    panic!(
        "{what}: the session's analysis differs from a check from scratch at finding {first}\n  session: {}\n  scratch: {}\n  session full: {:?}\n  scratch full: {:?}\ntexts:\n{}",
        at(&a, first),
        at(&b, first),
        a.get(first),
        b.get(first),
        texts.join("")
    );
}

fn session(seed: u64, folder: &str, edited: &[&str], edits: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(folder);
    let mut files = read_folder(&root);
    assert!(
        edited.iter().all(|e| files.iter().any(|(p, _)| p == e)),
        "the fixture has every edited file"
    );
    let mut ws = from_scratch(&files, edited);
    let mut history: Vec<Vec<String>> = edited
        .iter()
        .map(|e| {
            files
                .iter()
                .filter(|(p, _)| p == e)
                .map(|(_, t)| t.clone())
                .collect()
        })
        .collect();
    let mut rng = Rng(seed);
    let first = ws.analyze();
    assert!(first.all().next().is_some(), "the fixture has findings");
    // The last text of each edited file in which every block parsed: the fixture's.
    let mut last_good: Vec<String> = history.iter().map(|h| h[0].clone()).collect();
    for step in 1..=edits {
        let which = rng.below(edited.len());
        let path = edited[which];
        let Some(slot) = files.iter_mut().find(|(p, _)| p == path) else {
            continue;
        };
        let new = edit(&mut rng, path, &slot.1, &history[which]);
        slot.1 = new.clone();
        history[which].push(new.clone());
        ws.set_file(path, new.as_bytes());
        let analysis = ws.analyze();
        assert_located(
            &analysis,
            &files,
            &format!("seed {seed}, after edit {step}"),
        );
        let stale: Vec<String> = ws
            .modules()
            .iter()
            .flat_map(|m| m.stale.iter().map(|p| p.to_string()))
            .collect();
        for (i, e) in edited.iter().enumerate() {
            if !stale.iter().any(|s| s == e) {
                if let Some((_, t)) = files.iter().find(|(p, _)| p == e) {
                    last_good[i] = t.clone();
                }
            }
        }
        let scratch = reference(&files, edited, &stale, &last_good);
        assert_same(
            &analysis,
            &scratch,
            &files,
            &format!("seed {seed}, {folder}, after edit {step} (of `{path}`)"),
        );
    }
    // The user fixes every broken block (back to its last good text): now nothing of the
    // history may show, and the analysis is exactly a check from scratch.
    for (i, e) in edited.iter().enumerate() {
        if let Some(slot) = files.iter_mut().find(|(p, _)| p == e) {
            if slot.1 != last_good[i] {
                slot.1 = last_good[i].clone();
                ws.set_file(e, slot.1.as_bytes());
                ws.analyze();
            }
        }
    }
    assert!(ws.modules().iter().all(|m| m.stale.is_empty()));
    assert_same(
        &ws.analyze(),
        &from_scratch(&files, edited).analyze(),
        &files,
        &format!("seed {seed}, {folder}, at the end"),
    );
}

/// Every finding is filed under its own path, and every range (its own, its related
/// locations', its fixes' edits) lies inside the text of its file on character boundaries.
fn assert_located(analysis: &Analysis, files: &[(String, String)], what: &str) {
    let text_of = |p: &str| files.iter().find(|(q, _)| q == p).map(|(_, t)| t.as_str());
    let inside = |path: &str, range: latch_syntax::Span| {
        text_of(path).is_some_and(|t| {
            range.start <= range.end
                && range.end <= t.len()
                && t.is_char_boundary(range.start)
                && t.is_char_boundary(range.end)
        })
    };
    for (path, findings) in &analysis.findings {
        for f in findings {
            assert_eq!(
                f.path, *path,
                "{what}: a finding filed under another path: {f:?}"
            );
            assert!(
                inside(path, f.range),
                "{what}: a range outside its text: {f:?}"
            );
            for r in &f.related {
                let p = r.path.as_deref().unwrap_or(path);
                assert!(
                    inside(p, r.range),
                    "{what}: a related location outside its text: {f:?}"
                );
            }
            for e in f.fixes.iter().flat_map(|x| &x.edits) {
                let p = e.path.as_deref().unwrap_or(path);
                assert!(
                    inside(p, e.range),
                    "{what}: an edit outside its text: {f:?}"
                );
            }
        }
    }
}

/// The analysis a fresh workspace gives for `files`. While a Terraform file has a block
/// that does not parse, the workspace stands its last text that parsed in for it in the
/// other files' analysis (`ModuleAnalysis::stale`): for those `stale` files, the fresh
/// workspace first sees their last good texts, then their current ones.
fn reference(
    files: &[(String, String)],
    edited: &[&str],
    stale: &[String],
    last_good: &[String],
) -> Analysis {
    if stale.is_empty() {
        return from_scratch(files, edited).analyze();
    }
    let good_of = |path: &str| {
        edited
            .iter()
            .position(|e| *e == path)
            .map(|i| last_good[i].clone())
    };
    let before: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| match good_of(p) {
            Some(good) if stale.contains(p) => (p.clone(), good),
            _ => (p.clone(), t.clone()),
        })
        .collect();
    let mut ws = from_scratch(&before, edited);
    ws.analyze();
    for (p, t) in files {
        if stale.contains(p) {
            ws.set_file(p, t.as_bytes());
        }
    }
    ws.analyze()
}

/// The fixed seeds, and with `LATCH_RANDOM_EDITS=N` in the environment N more (for a
/// longer hunt: `LATCH_RANDOM_EDITS=200 cargo test --release -p latch-ide --test
/// random_edits`).
fn seeds(fixed: &[u64]) -> Vec<u64> {
    let more: u64 = std::env::var("LATCH_RANDOM_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let base = fixed.first().copied().unwrap_or(0) * 1_000_000;
    fixed
        .iter()
        .copied()
        .chain((1..=more).map(|i| base + i))
        .collect()
}

#[test]
fn random_edits_to_json_policies_and_the_manifest_match_a_fresh_check() {
    for seed in seeds(&[1, 2]) {
        session(
            seed,
            "examples/cross-account-kms",
            &[
                "latch.toml",
                "kms/key-policy.json",
                "s3/bucket-policy.json",
                "iam/jane.json",
            ],
            150,
        );
    }
}

#[test]
fn random_edits_to_terraform_match_a_fresh_check() {
    for seed in seeds(&[3, 4]) {
        session(
            seed,
            "examples/cross-account-kms/terraform",
            &["storage.tf", "analytics.tf", "latch.toml"],
            150,
        );
    }
}

/// Edits in two sub-workspaces (the example's root and its `terraform/` folder, each with
/// its own `latch.toml`): each analysis re-analyses only the sub-workspace an edit is in and
/// keeps the other's findings, which must still equal a check from scratch.
#[test]
fn random_edits_across_sub_workspaces_match_a_fresh_check() {
    for seed in seeds(&[5]) {
        session(
            seed,
            "examples/cross-account-kms",
            &[
                "s3/bucket-policy.json",
                "terraform/storage.tf",
                "terraform/latch.toml",
                "iam/jane.json",
            ],
            150,
        );
    }
}
