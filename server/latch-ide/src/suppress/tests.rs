use super::*;

/// Two statements with an invalid effect each, and a missing `Version`-free shape.
const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Effect": "deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}
  ]
}
"#;

fn ws_with(manifest: &str, files: &[(&str, &str)]) -> Workspace {
    let mut ws = Workspace::new();
    if !manifest.is_empty() {
        ws.set_file("latch.toml", manifest.as_bytes());
    }
    for (p, t) in files {
        ws.set_file(p, t.as_bytes());
    }
    ws
}

/// (path, code, severity) of every finding.
fn found(ws: &Workspace) -> Vec<(String, &'static str, Severity)> {
    ws.analyze()
        .all()
        .map(|f| (f.path.to_string(), f.code, f.severity))
        .collect()
}

fn codes_in(ws: &Workspace, path: &str) -> Vec<&'static str> {
    ws.analyze()
        .findings
        .get(path)
        .map(|v| v.iter().map(|f| f.code).collect())
        .unwrap_or_default()
}

#[test]
fn patterns_and_globs() {
    assert!(code_matches("catalog/*", "catalog/unknown-action"));
    assert!(!code_matches("catalog/*", "policy/invalid-effect"));
    assert!(code_matches("*", "policy/invalid-effect"));
    assert!(code_matches(
        "policy/invalid-effect",
        "policy/invalid-effect"
    ));
    assert!(!code_matches("policy/invalid", "policy/invalid-effect"));
    assert!(code_matches("policy/*-effect", "policy/invalid-effect"));
    assert!(path_matches("vendor/**", "vendor/a/b.json"));
    assert!(path_matches("vendor", "vendor/a/b.json"));
    assert!(path_matches("*.json", "deep/down/x.json"));
    assert!(!path_matches("*.json", "deep/down/x.tf"));
    assert!(path_matches("legacy/*.json", "legacy/x.json"));
    assert!(!path_matches("legacy/*.json", "legacy/sub/x.json"));
    assert!(path_matches("legacy/**/*.json", "legacy/sub/x.json"));
    assert!(path_matches("legacy/**/*.json", "legacy/x.json"));
    assert!(path_matches("ポリシー/*.json", "ポリシー/読み.json"));
}

#[test]
fn without_a_check_table_nothing_changes() {
    let ws = ws_with("", &[("p.json", POLICY)]);
    assert_eq!(
        codes_in(&ws, "p.json"),
        ["policy/invalid-effect", "policy/invalid-effect"]
    );
}

#[test]
fn select_keeps_only_the_named_codes() {
    let ws = ws_with("[check]\nselect = [\"catalog/*\"]\n", &[("p.json", POLICY)]);
    assert!(codes_in(&ws, "p.json").is_empty());
    let ws = ws_with("[check]\nselect = [\"policy/*\"]\n", &[("p.json", POLICY)]);
    assert_eq!(codes_in(&ws, "p.json").len(), 2);
}

#[test]
fn ignore_drops_codes_and_a_more_specific_select_wins() {
    let ws = ws_with("[check]\nignore = [\"policy/*\"]\n", &[("p.json", POLICY)]);
    assert!(codes_in(&ws, "p.json").is_empty());
    let ws = ws_with(
        "[check]\nignore = [\"policy/*\"]\nselect = [\"policy/invalid-effect\"]\n",
        &[("p.json", POLICY)],
    );
    assert_eq!(codes_in(&ws, "p.json").len(), 2);
}

#[test]
fn severity_relevels_by_code_or_prefix() {
    let ws = ws_with(
        "[check.severity]\n\"policy/*\" = \"info\"\n",
        &[("p.json", POLICY)],
    );
    assert!(found(&ws).iter().all(|(_, _, s)| *s == Severity::Info));
    let ws = ws_with(
        "[check.severity]\n\"policy/*\" = \"info\"\n\"policy/invalid-effect\" = \"hint\"\n",
        &[("p.json", POLICY)],
    );
    assert!(found(&ws).iter().all(|(_, _, s)| *s == Severity::Hint));
}

#[test]
fn exclude_drops_the_findings_of_matching_files() {
    let ws = ws_with(
        "[check]\nexclude = [\"vendor/**\"]\n",
        &[("vendor/p.json", POLICY), ("own/p.json", POLICY)],
    );
    assert!(codes_in(&ws, "vendor/p.json").is_empty());
    assert_eq!(codes_in(&ws, "own/p.json").len(), 2);
}

#[test]
fn overrides_apply_to_their_paths_only() {
    let manifest = r#"
[[check.override]]
paths = ["legacy/**"]
ignore = ["policy/invalid-effect"]

[[check.override]]
paths = ["strict/*.json"]
severity = { "policy/*" = "hint" }

[[check.override]]
paths = ["only/*.json"]
select = ["catalog/*"]
"#;
    let ws = ws_with(
        manifest,
        &[
            ("legacy/a/p.json", POLICY),
            ("strict/p.json", POLICY),
            ("only/p.json", POLICY),
            ("p.json", POLICY),
        ],
    );
    let all = found(&ws);
    let of = |p: &str| all.iter().filter(|(q, _, _)| q == p).collect::<Vec<_>>();
    assert!(of("legacy/a/p.json").is_empty());
    assert!(of("only/p.json").is_empty());
    assert_eq!(of("p.json").len(), 2);
    assert!(of("p.json").iter().all(|(_, _, s)| *s == Severity::Error));
    assert_eq!(of("strict/p.json").len(), 2);
    assert!(
        of("strict/p.json")
            .iter()
            .all(|(_, _, s)| *s == Severity::Hint)
    );
}

#[test]
fn a_nested_manifest_governs_its_folder_with_relative_paths() {
    let mut ws = ws_with("", &[("team/x/p.json", POLICY), ("p.json", POLICY)]);
    ws.set_file("team/latch.toml", b"[check]\nexclude = [\"x\"]\n");
    assert!(codes_in(&ws, "team/x/p.json").is_empty());
    assert_eq!(codes_in(&ws, "p.json").len(), 2);
}

#[test]
fn patterns_that_name_no_code_are_reported() {
    let ws = ws_with("[check]\nignore = [\"policy/invalid-efect\"]\n", &[]);
    let a = ws.analyze();
    let f = &a.findings["latch.toml"][0];
    assert_eq!(f.code, "manifest/invalid-value");
    assert!(f.message.contains("`policy/invalid-efect`"));
}

const TF: &str = r#"resource "aws_iam_policy" "a" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "First"
        Effect   = "allow"
        Action   = "s3:GetObject"
        Resource = "arn:aws:s3:::b/*"
      },
      {
        Effect   = "deny"
        Action   = "s3:PutObject"
        Resource = "arn:aws:s3:::b/*"
      },
    ]
  })
}
"#;

fn tf_with(needle: &str, comment: &str) -> String {
    let at = TF.find(needle).expect("needle");
    let ls = TF[..at].rfind('\n').map_or(0, |n| n + 1);
    format!("{}{comment}\n{}", &TF[..ls], &TF[ls..])
}

#[test]
fn terraform_findings_come_from_the_fixture() {
    let ws = ws_with("", &[("main.tf", TF)]);
    assert_eq!(
        codes_in(&ws, "main.tf"),
        ["policy/invalid-effect", "policy/invalid-effect"]
    );
}

#[test]
fn a_comment_on_the_line_above_suppresses_that_line_only() {
    for comment in [
        "        # latch:ignore policy/invalid-effect legacy role",
        "        // latch:ignore policy/invalid-effect legacy role",
        "        /* latch:ignore policy/invalid-effect legacy role */",
    ] {
        let ws = ws_with(
            "",
            &[("main.tf", &tf_with("Effect   = \"allow\"", comment))],
        );
        assert_eq!(
            codes_in(&ws, "main.tf"),
            ["policy/invalid-effect"],
            "{comment}"
        );
    }
}

#[test]
fn a_trailing_comment_covers_its_own_line() {
    let text = TF.replace(
        "Effect   = \"deny\"",
        "Effect   = \"deny\" # latch:ignore policy/invalid-effect 歴史的な理由 🙂",
    );
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    let left = &a.findings["main.tf"];
    assert_eq!(left.len(), 1);
    assert_eq!(&text[left[0].range.range()], "\"allow\"");
}

#[test]
fn a_comment_heading_a_block_covers_the_whole_block() {
    let text = format!("# latch:ignore policy/invalid-effect the whole role is legacy\n{TF}");
    let ws = ws_with("", &[("main.tf", &text)]);
    assert!(codes_in(&ws, "main.tf").is_empty());
    // The first line inside a block covers that block.
    let text = tf_with(
        "Sid      = \"First\"",
        "        # latch:ignore policy/invalid-effect legacy",
    );
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    assert_eq!(a.findings["main.tf"].len(), 1);
    assert!(text[a.findings["main.tf"][0].range.range()].contains("deny"));
}

#[test]
fn several_codes_and_patterns_in_one_comment() {
    let text = format!("# latch:ignore catalog/*, policy/invalid-effect both known\n{TF}");
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    let codes: Vec<_> = a.all().map(|f| (f.code, f.message.clone())).collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].0, UNUSED);
    assert!(codes[0].1.contains("`catalog/*`"));
    // Only one code was unused: no removal offered.
    assert!(a.all().next().is_some_and(|f| f.fixes.is_empty()));
}

#[test]
fn comments_inside_strings_and_heredocs_are_not_suppressions() {
    let text = format!(
        "locals {{\n  a = \"# latch:ignore policy/invalid-effect no\"\n  b = <<EOT\n# latch:ignore policy/invalid-effect no\nEOT\n}}\n{TF}"
    );
    let ws = ws_with("", &[("main.tf", &text)]);
    assert_eq!(codes_in(&ws, "main.tf").len(), 2);
}

#[test]
fn a_suppression_without_reason_still_applies_and_is_reported() {
    let text = tf_with(
        "Effect   = \"allow\"",
        "        # latch:ignore policy/invalid-effect",
    );
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    let got: Vec<_> = a.findings["main.tf"].iter().map(|f| f.code).collect();
    assert_eq!(got, [NO_REASON, "policy/invalid-effect"]);
    let f = &a.findings["main.tf"][0];
    assert_eq!(
        &text[f.range.range()],
        "# latch:ignore policy/invalid-effect"
    );
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn an_unused_comment_is_a_warning_with_a_removal() {
    let text = format!("# latch:ignore access/mfa nothing here\n{TF}");
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    let f = a.findings["main.tf"]
        .iter()
        .find(|f| f.code == UNUSED)
        .expect("unused");
    assert_eq!(&text[f.range.range()], "access/mfa");
    let (fixed, _) = latch_syntax::finding::apply_edits(&text, &[&f.fixes[0].edits[0]]);
    assert_eq!(fixed, TF);
    // Unknown codes say so.
    let text = format!("# latch:ignore access/mfaa typo\n{TF}");
    let ws = ws_with("", &[("main.tf", &text)]);
    let a = ws.analyze();
    assert!(
        a.all()
            .any(|f| f.code == UNUSED && f.message.contains("is not a Latch check code"))
    );
    // The config can turn the warning off like any code.
    let text = format!("# latch:ignore access/mfa nothing here\n{TF}");
    let ws = ws_with(
        "[check]\nignore = [\"latch/unused-suppression\"]\n",
        &[("main.tf", &text)],
    );
    assert!(ws.analyze().all().all(|f| f.code != UNUSED));
}

#[test]
fn allow_entries_name_the_statement_by_sid_or_index() {
    let by_sid = r#"
[[check.allow]]
code = "policy/invalid-effect"
file = "iam/p.json"
statement = "Read"
reason = "read is fine"
"#;
    let ws = ws_with(by_sid, &[("iam/p.json", POLICY)]);
    let a = ws.analyze();
    let left = &a.findings["iam/p.json"];
    assert_eq!(left.len(), 1);
    assert!(POLICY[left[0].range.range()].contains("deny"));
    assert!(!a.findings.contains_key("latch.toml"));

    let by_index = by_sid.replace("statement = \"Read\"", "statement = 1");
    let ws = ws_with(&by_index, &[("iam/p.json", POLICY)]);
    let a = ws.analyze();
    assert_eq!(a.findings["iam/p.json"].len(), 1);
    assert!(POLICY[a.findings["iam/p.json"][0].range.range()].contains("allow"));

    let whole_file = by_sid.replace("statement = \"Read\"\n", "");
    let ws = ws_with(&whole_file, &[("iam/p.json", POLICY)]);
    assert!(!ws.analyze().findings.contains_key("iam/p.json"));
}

#[test]
fn allow_entries_need_a_reason_and_a_match() {
    let m = r#"[[check.allow]]
code = "policy/invalid-effect"
file = "p.json"
statement = "Read"

[[check.allow]]
code = "policy/invalid-effect"
file = "p.json"
statement = "Nope"
reason = "stale"
"#;
    let ws = ws_with(m, &[("p.json", POLICY)]);
    let a = ws.analyze();
    let got: Vec<_> = a.findings["latch.toml"].iter().map(|f| f.code).collect();
    assert_eq!(got, [NO_REASON, UNUSED]);
    let unused = &a.findings["latch.toml"][1];
    let (fixed, _) = latch_syntax::finding::apply_edits(m, &[&unused.fixes[0].edits[0]]);
    assert!(!fixed.contains("Nope"));
    assert!(fixed.contains("\"Read\""));
    assert_eq!(a.findings["p.json"].len(), 1);
}

#[test]
fn the_ignore_fix_writes_a_comment_in_terraform() {
    let ws = ws_with("", &[("main.tf", TF)]);
    let a = ws.analyze();
    let f = &a.findings["main.tf"][0];
    let fix = ignore_fix(&ws, f).expect("a fix");
    let (text, _) = latch_syntax::finding::apply_edits(TF, &[&fix.edits[0]]);
    assert!(
        text.contains(
            "        # latch:ignore policy/invalid-effect \n        Effect   = \"allow\""
        )
    );
    let ws2 = ws_with("", &[("main.tf", &text)]);
    let got: Vec<_> = ws2.analyze().all().map(|f| f.code).collect();
    // Suppressed; the missing reason is what is left to do.
    assert_eq!(got, [NO_REASON, "policy/invalid-effect"]);
    // With a reason typed in, only the other statement's finding remains.
    let typed = text.replace("policy/invalid-effect \n", "policy/invalid-effect legacy\n");
    let ws3 = ws_with("", &[("main.tf", &typed)]);
    assert_eq!(codes_in(&ws3, "main.tf"), ["policy/invalid-effect"]);
}

#[test]
fn the_ignore_fix_appends_an_allow_entry_for_json() {
    let manifest = "[accounts]\nprod = \"111122223333\"\n";
    let ws = ws_with(manifest, &[("iam/p.json", POLICY)]);
    let a = ws.analyze();
    let f = &a.findings["iam/p.json"][0];
    let fix = ignore_fix(&ws, f).expect("a fix");
    assert_eq!(fix.edits[0].path.as_deref(), Some("latch.toml"));
    let (m2, _) = latch_syntax::finding::apply_edits(manifest, &[&fix.edits[0]]);
    assert!(m2.ends_with("[[check.allow]]\ncode = \"policy/invalid-effect\"\nfile = \"iam/p.json\"\nstatement = \"Read\"\nreason = \"\"\n"), "{m2}");
    let ws2 = ws_with(&m2, &[("iam/p.json", POLICY)]);
    let a2 = ws2.analyze();
    assert_eq!(a2.findings["iam/p.json"].len(), 1);
    assert_eq!(a2.findings["latch.toml"][0].code, NO_REASON);
    // Without a latch.toml, the entry starts a new one at the root.
    let ws3 = ws_with("", &[("iam/p.json", POLICY)]);
    let f3 = &ws3.analyze().findings["iam/p.json"][0];
    let fix = ignore_fix(&ws3, f3).expect("a fix");
    assert_eq!(fix.edits[0].path.as_deref(), Some("latch.toml"));
    assert!(fix.edits[0].new_text.starts_with("[[check.allow]]\n"));
}

#[test]
fn fingerprints_survive_moved_lines_and_tell_findings_apart() {
    let ws = ws_with("", &[("main.tf", TF), ("p.json", POLICY)]);
    let prints = |ws: &Workspace| {
        let a = ws.analyze();
        let mut fp = Fingerprinter::new(ws);
        a.all().map(|f| fp.of(f)).collect::<Vec<_>>()
    };
    let before = prints(&ws);
    let mut distinct = before.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        before.len(),
        "every finding has its own print"
    );
    let moved_tf = format!("# a comment\n\nlocals {{\n  x = 1\n}}\n\n{TF}");
    let moved_json = POLICY.replacen("{\n", "{\n\n\n   ", 1);
    let ws2 = ws_with("", &[("main.tf", &moved_tf), ("p.json", &moved_json)]);
    assert_eq!(prints(&ws2), before);
}

#[test]
fn fingerprints_ignore_the_lines_a_headline_cites() {
    assert_eq!(
        without_line_refs(
            "denied (kms/key-policy.json:1)); also `arn:aws:iam::111122223333:role/R` (a.tf:103)"
        ),
        "denied (kms/key-policy.json)); also `arn:aws:iam::111122223333:role/R` (a.tf)"
    );
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/cross-account-kms"
    );
    let load = |shift: bool| {
        let mut ws = Workspace::new();
        for rel in [
            "latch.toml",
            "iam/etl-writer.json",
            "iam/report-reader.json",
            "kms/key-policy.json",
            "s3/bucket-policy.json",
            "vpce/s3-gateway.json",
        ] {
            let Ok(mut text) = std::fs::read_to_string(format!("{dir}/{rel}")) else {
                continue;
            };
            if shift && rel == "iam/etl-writer.json" {
                text = format!("\n\n\n{text}");
            }
            ws.set_file(rel, text.as_bytes());
        }
        let a = ws.analyze();
        let mut fp = Fingerprinter::new(&ws);
        let prints: Vec<String> = a
            .findings
            .get("s3/bucket-policy.json")
            .into_iter()
            .flatten()
            .map(|f| fp.of(f))
            .collect();
        prints
    };
    let before = load(false);
    assert!(!before.is_empty());
    assert_eq!(load(true), before);
}
