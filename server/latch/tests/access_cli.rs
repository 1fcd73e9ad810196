//! `latch who-can`, `latch can-what` and `latch graph` through the built binary: the
//! who-can fixtures of `tests/fixtures/who-can` (exact principals and decisions), the JSON
//! contract, bad input, the Mermaid graph of `examples/cross-account-kms` (snapshot) and
//! the HTML page rendered by headless Chromium.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn latch(args: &[&str], path: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["principal"].as_str().unwrap().to_string(),
                p["decision"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn who_can_lists_exactly_the_expected_principals_of_each_fixture() {
    let base = repo().join("tests/fixtures/who-can");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "fixtures: {dirs:?}");
    for dir in dirs {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        let action = expected["action"].as_str().unwrap();
        let resource = expected["resource"].as_str().unwrap();
        for (flag, key) in [(None, "principals"), (Some("--all"), "with_all")] {
            let mut args = vec![
                "who-can",
                "--action",
                action,
                "--resource",
                resource,
                "--format",
                "json",
            ];
            args.extend(flag);
            let (code, out, err) = latch(&args, &dir);
            assert_eq!(code, 0, "{}: {err}", dir.display());
            let got: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(
                pairs(&got["principals"]),
                pairs(&expected[key]),
                "{} {key}",
                dir.display()
            );
        }
    }
}

#[test]
fn who_can_json_has_the_contract_shape() {
    let dir = repo().join("tests/fixtures/who-can/sse-kms-partner");
    let (code, out, _) = latch(
        &[
            "who-can",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::example-shared/*",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["action", "principals", "resource"]);
    assert_eq!(v["action"], "s3:GetObject");
    let reader = &v["principals"][0];
    assert_eq!(
        reader.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["conditions", "deciding", "decision", "principal"]
    );
    // The bucket-policy statement `Workspace` opens at line 4, column 5.
    assert_eq!(
        reader["deciding"][0],
        serde_json::json!({"path": "s3/policy.json", "line": 4, "column": 5})
    );
    let partner = &v["principals"][1];
    assert_eq!(partner["decision"], "depends");
    assert_eq!(
        partner["conditions"],
        serde_json::json!([
            "the caller's own identity policies (not in the workspace) allow `s3:GetObject`"
        ])
    );
    // Several actions, or a pattern: "action" is the list as given.
    let (code, out, _) = latch(
        &[
            "who-can",
            "--action",
            "s3:Get*",
            "--action",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::example-shared/*",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["action"], serde_json::json!(["s3:Get*", "s3:PutObject"]));
    assert_eq!(
        pairs(&v["principals"]),
        pairs(&serde_json::json!([
            {"principal": "arn:aws:iam::111122223333:role/Reader", "decision": "allow"},
            {"principal": "arn:aws:iam::999988887777:role/Partner", "decision": "depends"}
        ]))
    );
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let dir = repo().join("tests/fixtures/who-can/public-open");
    let (code, out, err) = latch(
        &[
            "who-can",
            "--action",
            "s3:GetObjekt",
            "--resource",
            "example-site",
        ],
        &dir,
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("did you mean `arn:aws:s3:::example-site`"),
        "{err}"
    );
    assert!(err.contains("did you mean `s3:GetObject`"), "{err}");
    let (code, _, err) = latch(
        &[
            "who-can",
            "--action",
            "s3:Frobnicate*",
            "--resource",
            "arn:aws:s3:::example-site/*",
        ],
        &dir,
    );
    assert_eq!(code, 2);
    assert!(err.contains("matches no action"), "{err}");
    let (code, _, err) = latch(&["can-what", "--principal", "111122223333"], &dir);
    assert_eq!(code, 2);
    assert!(err.contains("arn:aws:iam::111122223333:root"), "{err}");
    let (code, _, err) = latch(
        &[
            "can-what",
            "--principal",
            "arn:aws:iam::123456789012:role/Publisher",
            "--set",
            "s3-everything",
        ],
        &dir,
    );
    assert_eq!(code, 2);
    assert!(err.contains("`s3-read`"), "{err}");
    let (code, _, err) = latch(&["graph"], &dir.join("missing"));
    assert_eq!(code, 2);
    assert!(err.contains("is not a folder"), "{err}");
}

#[test]
fn can_what_lists_the_actions_a_principal_may_perform() {
    let dir = repo().join("tests/fixtures/who-can/sse-kms-partner");
    let (code, out, _) = latch(
        &[
            "can-what",
            "--principal",
            "arn:aws:iam::111122223333:role/Reader",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let got: Vec<(String, String, String)> = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["actions"].as_array().unwrap().iter().map(|a| {
                (
                    r["resource"].as_str().unwrap().to_string(),
                    a["action"].as_str().unwrap().to_string(),
                    a["decision"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let key = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    assert_eq!(
        got,
        vec![
            (
                "arn:aws:s3:::example-shared".to_string(),
                "s3:GetObject".to_string(),
                "allow".to_string()
            ),
            (
                key.to_string(),
                "kms:Decrypt".to_string(),
                "allow".to_string()
            ),
        ]
    );
}

#[test]
fn the_graph_of_cross_account_kms_in_mermaid() {
    let (code, out, err) = latch(&["graph"], &repo().join("examples/cross-account-kms"));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("graph_cross_account_kms_mermaid", out);
}

#[test]
fn the_graph_in_dot_is_a_digraph_with_every_node() {
    let (code, out, _) = latch(
        &["graph", "--format", "dot"],
        &repo().join("tests/fixtures/who-can/sse-kms-partner"),
    );
    assert_eq!(code, 0);
    assert!(out.starts_with("digraph access {\n"), "{out}");
    assert!(out.contains("shape=cylinder"), "{out}");
    assert!(out.contains("shape=hexagon"), "{out}");
    assert!(
        out.contains("[label=\"s3:GetObject · depends\", style=dashed"),
        "{out}"
    );
    assert!(out.trim_end().ends_with('}'));
}

/// The HTML page rendered by headless Chromium: the graph's nodes and edges are in the
/// DOM it builds, and the page asks for nothing from the network.
#[test]
fn the_html_graph_renders_in_headless_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var_os("LATCH_REQUIRE_CHROMIUM").is_none(),
            "LATCH_REQUIRE_CHROMIUM is set but /usr/bin/chromium is missing (apt-get install -y chromium)"
        );
        eprintln!("SKIPPED: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        return;
    }
    let (code, page, _) = latch(
        &["graph", "--format", "html"],
        &repo().join("tests/fixtures/who-can/sse-kms-partner"),
    );
    assert_eq!(code, 0);
    // Self-contained: no script, stylesheet or image fetched from elsewhere.
    for needle in ["http://", "https://", "<script", "<link", "@import"] {
        let hits: Vec<&str> = page
            .lines()
            .filter(|l| l.contains(needle) && !l.contains("http://www.w3.org/2000/svg"))
            .collect();
        assert!(hits.is_empty(), "`{needle}` in the page: {hits:?}");
    }
    let tmp = std::env::temp_dir().join(format!("latch-graph-html-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let file = tmp.join("graph.html");
    std::fs::write(&file, &page).unwrap();
    let profile = tmp.join("profile");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout).to_string();
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(
        out.status.success() && dom.contains("<svg"),
        "chromium failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    for node in [
        "principal: role/Reader (111122223333)",
        "principal: role/Partner (999988887777)",
        "bucket: s3://example-shared",
        "key: key/1234abcd… (444455556666)",
    ] {
        assert!(dom.contains(node), "`{node}` not in the DOM:\n{dom}");
    }
    assert!(dom.contains("class=\"edge allow\""), "{dom}");
    assert!(dom.contains("class=\"edge depends\""), "{dom}");
    // Each edge's trace is on the page.
    assert!(dom.contains("id=\"edge-0\""), "{dom}");
    assert!(dom.contains("allowed by statement"), "{dom}");
}
