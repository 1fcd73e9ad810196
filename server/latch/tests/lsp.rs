//! In-process LSP tests: the JSON a client receives for diagnostics, positions (UTF-16
//! and UTF-8, CJK and emoji, CRLF) and quick fixes.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

mod common;

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::Request;

struct Client {
    service: LspService<latch::lsp::Backend>,
    notifications: mpsc::UnboundedReceiver<Request>,
    next_id: i64,
}

impl Client {
    async fn start(capabilities: Value, root: Option<&std::path::Path>) -> Client {
        let (service, socket) = latch::lsp::service();
        let (tx, rx) = mpsc::unbounded_channel();
        // The socket must be drained concurrently, or the server blocks on its first
        // message to the client.
        tokio::spawn(async move {
            let mut socket = socket;
            while let Some(msg) = socket.next().await {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let mut c = Client {
            service,
            notifications: rx,
            next_id: 0,
        };
        let mut params = json!({"capabilities": capabilities});
        if let Some(root) = root {
            let uri = format!("file://{}", root.display());
            params["workspaceFolders"] = json!([{"uri": uri, "name": "ws"}]);
        }
        let init = c.request("initialize", params).await;
        assert!(
            init["capabilities"]["codeActionProvider"].is_object(),
            "{init}"
        );
        c.notify("initialized", json!({})).await;
        c
    }

    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let req = Request::build(method)
            .params(params)
            .id(self.next_id)
            .finish();
        let resp = self
            .service
            .ready()
            .await
            .expect("ready")
            .call(req)
            .await
            .expect("call")
            .expect("a response");
        let (_, body) = resp.into_parts();
        body.expect("success")
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let req = Request::build(method).params(params).finish();
        let resp = self
            .service
            .ready()
            .await
            .expect("ready")
            .call(req)
            .await
            .expect("call");
        assert!(resp.is_none());
    }

    /// The next `publishDiagnostics` for `uri`.
    async fn diagnostics(&mut self, uri: &str) -> Value {
        let wait = async {
            while let Some(msg) = self.notifications.recv().await {
                let (method, _, params) = msg.into_parts();
                if method == "textDocument/publishDiagnostics" {
                    let params = params.unwrap_or_default();
                    if params["uri"] == uri {
                        return params;
                    }
                }
            }
            panic!("the server closed the socket");
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .expect("diagnostics within 10 s")
    }

    /// The first `publishDiagnostics` for `uri` of `version` or later (a whole analysis
    /// already running may publish an earlier version first).
    async fn diagnostics_of(&mut self, uri: &str, version: i64) -> Value {
        loop {
            let d = self.diagnostics(uri).await;
            if d["version"].as_i64() >= Some(version) {
                return d;
            }
        }
    }
}

fn find<'a>(diags: &'a Value, code: &str) -> &'a Value {
    diags["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags}"))
}

const URI: &str = "file:///tmp/latch-test/policy.json";

#[tokio::test]
async fn error_after_cjk_and_emoji_is_at_the_exact_utf16_column() {
    let mut c = Client::start(json!({}), None).await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"読み取り😀\", \"Effect\": \"deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 1);
    let effect = find(&d, "policy/invalid-effect");
    // `"deny"` starts after 4 CJK characters (1 UTF-16 unit each) and an emoji (2 units).
    let before = &text[..text.find("\"deny\"").unwrap()];
    let utf16 = before.encode_utf16().count();
    assert_eq!(
        effect["range"]["start"],
        json!({"line": 0, "character": utf16})
    );
    assert_eq!(
        effect["range"]["end"],
        json!({"line": 0, "character": utf16 + 6})
    );
    assert_eq!(effect["source"], "latch");
    assert_eq!(effect["severity"], 1);
    assert!(
        effect["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#policyinvalid-effect")
    );
}

#[tokio::test]
async fn utf8_is_used_when_the_client_offers_it() {
    let mut c = Client::start(
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        None,
    )
    .await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"読み😀\", \"Effect\": \"deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let d = c.diagnostics(URI).await;
    let effect = find(&d, "policy/invalid-effect");
    assert_eq!(
        effect["range"]["start"]["character"],
        text.find("\"deny\"").unwrap()
    );
}

#[tokio::test]
async fn quick_fix_applies_and_the_diagnostic_clears() {
    let mut c = Client::start(json!({}), None).await;
    let text = "{\r\n  \"Version\": \"2012-10-17\",\r\n  \"Statement\": [{\r\n    \"Sid\": \"日本語の説明\",\r\n    \"Effect\": \"Allow\",\r\n    \"Action\": \"s3:GetObject\"\r\n    \"Resource\": \"*\"\r\n  }]\r\n}\r\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let d = c.diagnostics(URI).await;
    let comma = find(&d, "syntax/missing-comma").clone();
    assert_eq!(comma["range"]["start"], json!({"line": 6, "character": 4}));
    let actions = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": URI}, "range": comma["range"], "context": {"diagnostics": [comma]}}))
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains(','))
        .expect("a comma fix");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    let edits = action["edit"]["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    // The comma goes right after `"s3:GetObject"` on line 5, before the CRLF.
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 5, "character": 28})
    );
    assert_eq!(edits[0]["newText"], ",");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": edits[0]["range"], "text": ","}]}),
    )
    .await;
    let d = c.diagnostics(URI).await;
    assert_eq!(d["version"], 2);
    assert!(
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "syntax/missing-comma"),
        "{d}"
    );
}

#[tokio::test]
async fn hover_on_a_deny_statement() {
    let mut c = Client::start(json!({}), None).await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}}]}";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let _ = c.diagnostics(URI).await;
    let col = text.find("Deny").unwrap();
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": col}}),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("**Deny**"), "{md}");
    assert!(
        md.contains("`aws:SourceVpce` is not `vpce-1a2b3c4d` (also true when the key is absent)"),
        "{md}"
    );
}

#[tokio::test]
async fn workspace_files_on_disk_are_analysed_without_being_opened() {
    let dir = std::env::temp_dir().join(format!("latch-lsp-ws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.json"), "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}").unwrap();
    let mut c = Client::start(json!({}), Some(&dir)).await;
    let uri = format!("file://{}/p.json", dir.display());
    let d = c.diagnostics(&uri).await;
    find(&d, "policy/missing-version");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn completion_offers_actions_and_hover_explains_them() {
    let mut c = Client::start(json!({}), None).await;
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObj\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let _ = c.diagnostics(URI).await;
    let col = text.find("s3:GetObj").unwrap() + "s3:GetObj".len();
    let list = c
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": col}}),
        )
        .await;
    let labels: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"s3:GetObject"), "{labels:?}");
    let full = text.replace("s3:GetObj\"", "s3:GetObject\"");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": full}]}),
    )
    .await;
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": col - 2}}),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("iam-data"),
        "the hover names the catalogue version: {md}"
    );
}

/// Copies a fixture folder of the repository into a fresh temporary workspace.
fn workspace_copy(fixture: &str, name: &str) -> std::path::PathBuf {
    common::fixture_copy(fixture, &format!("lsp-{name}"))
}

/// Applies LSP text edits (UTF-16 positions) to a text.
fn apply_lsp_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let ch = pos["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let line_text = text[start..].split('\n').next().unwrap();
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= ch {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line_text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

/// Issue 5's acceptance: a Terraform bucket policy grants a cross-account role, the
/// bucket's KMS key policy does not; the diagnostic sits on the grant, points into the key
/// policy, and its code action adds the statement that clears it.
#[tokio::test]
async fn terraform_cross_account_grant_without_the_key_policy_is_fixed_from_the_editor() {
    let dir = workspace_copy(
        "tests/fixtures/scenarios/access__kms-key/cross-account-tf",
        "kms",
    );
    let mut c = Client::start(json!({}), Some(&dir)).await;
    let uri = format!("file://{}/main.tf", dir.display());
    let text = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}})).await;
    // An error once the workspace's `latch.toml` is read (before, the accounts are
    // stand-ins and the finding a warning without a fix that would write one down).
    let kms = loop {
        let d = c.diagnostics(&uri).await;
        if let Some(k) = d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "access/kms-key" && d["severity"] == 1)
        {
            break k.clone();
        }
    };
    // On the `statement` block of the bucket policy (line 53, column 3 in 1-based terms).
    assert_eq!(kms["range"]["start"], json!({"line": 52, "character": 2}));
    let related = kms["relatedInformation"].as_array().unwrap();
    let key_policy_line = text
        .lines()
        .position(|l| l.contains("aws_kms_key\" \"exports\""))
        .unwrap() as u64;
    assert!(
        related.iter().any(|r| r["location"]["uri"] == uri.as_str()
            && r["location"]["range"]["start"]["line"].as_u64().unwrap() > key_policy_line),
        "related information points into the key policy: {related:?}"
    );
    let actions = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": kms["range"], "context": {"diagnostics": [kms]}}))
        .await;
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("key policy"))
        .unwrap_or_else(|| panic!("a key-policy fix in {actions}"));
    let edits = action["edit"]["changes"][uri.as_str()].as_array().unwrap();
    let fixed = apply_lsp_edits(&text, edits);
    assert!(fixed.contains("kms:Decrypt"));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    )
    .await;
    // Version 2 is answered with what the file says on its own, the cross-file finding
    // carried over until the simulation of the new text lands and clears it. (A
    // publication of version 1 may already be on its way when the change is sent.)
    loop {
        let d = c.diagnostics_of(&uri, 2).await;
        assert_eq!(d["version"], 2, "{d}");
        if d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "access/kms-key")
        {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn code_lens_on_expectations() {
    let dir = workspace_copy(
        "tests/fixtures/scenarios/access__identity-missing/same-account-json",
        "lens",
    );
    let mut c = Client::start(json!({}), Some(&dir)).await;
    let uri = format!("file://{}/latch.toml", dir.display());
    let text = std::fs::read_to_string(dir.join("latch.toml")).unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}),
    )
    .await;
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    // The `[[expect]]` lenses (the who-can lenses of `[[principal]]` and `[[bucket]]` run
    // `latch.whoCan`; see tests/lsp_nav.rs).
    let lenses: Vec<&Value> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["command"]["command"] == "")
        .collect();
    let titles: Vec<&str> = lenses
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    // The role's identity policy grants logs, not the bucket: the expectation fails.
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(
        titles[0].starts_with("✗ `s3:GetObject`: implicit deny"),
        "{}",
        titles[0]
    );
    let line = text.lines().position(|l| l == "[[expect]]").unwrap();
    assert_eq!(lenses[0]["range"]["start"]["line"], line);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 13: "ignore this finding" writes the suppression, and `latch.toml`'s `[check]`
/// table is reloaded when it changes.
#[tokio::test]
async fn ignore_this_finding_and_the_check_table_reloads() {
    let dir = std::env::temp_dir().join(format!("latch-lsp-ignore-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"allow\"\n      Action   = \"s3:GetObject\"\n      Resource = \"arn:aws:s3:::b/*\"\n    }]\n  })\n}\n";
    std::fs::write(dir.join("main.tf"), tf).unwrap();
    std::fs::write(dir.join("latch.toml"), "").unwrap();
    let tf_uri = format!("file://{}/main.tf", dir.display());
    let toml_uri = format!("file://{}/latch.toml", dir.display());
    let mut c = Client::start(json!({}), Some(&dir)).await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": tf_uri, "languageId": "terraform", "version": 1, "text": tf}}),
    )
    .await;
    let mut d = c.diagnostics(&tf_uri).await;
    while d["diagnostics"].as_array().unwrap().is_empty() {
        d = c.diagnostics(&tf_uri).await;
    }
    let effect = find(&d, "policy/invalid-effect").clone();
    let actions = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": tf_uri}, "range": effect["range"], "context": {"diagnostics": [effect]}}))
        .await;
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("ignore `policy/invalid-effect`")
        })
        .expect("an ignore action");
    assert_eq!(ignore["isPreferred"], false);
    let edits = ignore["edit"]["changes"][&tf_uri].as_array().unwrap();
    let ignored = apply_lsp_edits(tf, edits);
    assert!(
        ignored.contains("      # latch:ignore policy/invalid-effect \n      Effect   = \"allow\"")
    );
    // With a reason written, the finding is gone.
    let with_reason = ignored.replace("invalid-effect \n", "invalid-effect legacy\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tf_uri, "version": 2}, "contentChanges": [{"text": with_reason}]}),
    )
    .await;
    let d = c.diagnostics_of(&tf_uri, 2).await;
    assert_eq!(d["diagnostics"], json!([]), "{d}");

    // The manifest changes on disk: the server reloads its `[check]` table.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tf_uri, "version": 3}, "contentChanges": [{"text": tf}]}),
    )
    .await;
    let d = c.diagnostics_of(&tf_uri, 3).await;
    assert_eq!(find(&d, "policy/invalid-effect")["severity"], 1);
    std::fs::write(
        dir.join("latch.toml"),
        "[check.severity]\n\"policy/*\" = \"hint\"\n",
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": toml_uri, "type": 2}]}),
    )
    .await;
    // The reload lands with the next whole analysis (a publication before it may still
    // carry the old severity); `diagnostics` gives up after 10 s.
    let mut d = c.diagnostics(&tf_uri).await;
    while find(&d, "policy/invalid-effect")["severity"] != 4 {
        d = c.diagnostics(&tf_uri).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A JSON policy with no `latch.toml` anywhere: "ignore this finding" creates one.
#[tokio::test]
async fn ignore_in_json_without_a_manifest_creates_latch_toml() {
    let dir = std::env::temp_dir().join(format!("latch-lsp-allow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Read\", \"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}\n";
    std::fs::write(dir.join("p.json"), text).unwrap();
    let uri = format!("file://{}/p.json", dir.display());
    let mut c = Client::start(json!({}), Some(&dir)).await;
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
    )
    .await;
    let d = c.diagnostics(&uri).await;
    let effect = find(&d, "policy/invalid-effect").clone();
    let actions = c
        .request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": effect["range"], "context": {"diagnostics": [effect]}}))
        .await;
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("ignore `policy/invalid-effect`")
        })
        .expect("an ignore action");
    let ops = ignore["edit"]["documentChanges"].as_array().unwrap();
    let toml_uri = format!("file://{}/latch.toml", dir.display());
    assert_eq!(ops[0]["kind"], "create");
    assert_eq!(ops[0]["uri"], toml_uri);
    assert_eq!(ops[1]["textDocument"]["uri"], toml_uri);
    assert_eq!(
        ops[1]["edits"][0]["newText"],
        "[[check.allow]]\ncode = \"policy/invalid-effect\"\nfile = \"p.json\"\nstatement = \"Read\"\nreason = \"\"\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A cross-document diagnostic is the headline and its reason, two lines; its trace is in
/// the hover of the place it marks (issue 16).
#[tokio::test]
async fn a_cross_document_diagnostic_is_short_and_its_trace_is_in_the_hover() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/explicit-deny-mfa-scp")
        .canonicalize()
        .unwrap();
    let mut c = Client::start(json!({}), Some(&root)).await;
    let uri = format!("file://{}/iam/force-mfa.json", root.display());
    let d = c.diagnostics(&uri).await;
    let mfa = find(&d, "access/mfa");
    let message = mfa["message"].as_str().unwrap();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 2, "{message}");
    assert!(
        lines[0].starts_with("Deny `DenyAllExceptListedIfNoMFA` blocks user/tester: "),
        "{message}"
    );
    assert!(
        lines[1].starts_with("why: explicitly denied by statement `DenyAllExceptListedIfNoMFA`"),
        "{message}"
    );
    assert!(!message.contains("decision:"), "{message}");
    assert!(
        mfa["relatedInformation"].as_array().unwrap().len() > 1,
        "{mfa}"
    );
    let start = &mfa["range"]["start"];
    let h = c
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": start}),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("`access/mfa` trace"), "{md}");
    assert!(md.contains("decision: explicit deny"), "{md}");
}

/// Typing quickly (no wait between keystrokes) into a Terraform file with a cross-file
/// finding: every version the user pauses on gets its diagnostics, and no publication in
/// between loses the cross-file finding (it stays on screen, moved with the text, until
/// the simulation of the new text lands).
#[tokio::test]
async fn typing_quickly_answers_every_paused_version_and_keeps_cross_file_findings() {
    let dir = workspace_copy(
        "tests/fixtures/scenarios/access__kms-key/cross-account-tf",
        "typing",
    );
    let mut c = Client::start(json!({}), Some(&dir)).await;
    let uri = format!("file://{}/main.tf", dir.display());
    let text = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}})).await;
    let kms_line = |d: &Value| {
        d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "access/kms-key")
            .map(|k| k["range"]["start"]["line"].as_u64().unwrap())
    };
    loop {
        let d = c.diagnostics(&uri).await;
        if kms_line(&d) == Some(52) {
            break;
        }
    }
    // A new first line, then a comment typed into it a character at a time: valid HCL at
    // every step. The user pauses after each word.
    let typed = "# typed quickly, 読み 😀 ok";
    let at = |col: usize| json!({"line": 0, "character": col});
    let mut edits = vec![(json!({"start": at(0), "end": at(0)}), "\n".to_string())];
    let mut col = 0;
    for ch in typed.chars() {
        edits.push((json!({"start": at(col), "end": at(col)}), ch.to_string()));
        col += ch.len_utf16();
    }
    let mut seen = Vec::new();
    let last = edits.len() - 1;
    for (k, (range, new_text)) in edits.into_iter().enumerate() {
        let version = k as i64 + 2;
        let pause = k == last || new_text == " ";
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": new_text}]}),
        )
        .await;
        if pause {
            loop {
                let d = c.diagnostics(&uri).await;
                let v = d["version"].as_i64().unwrap();
                seen.push(d);
                if v >= version {
                    break;
                }
            }
        }
    }
    assert!(seen.len() > typed.matches(' ').count());
    for d in &seen {
        assert!(
            kms_line(d).is_some(),
            "a publication without the cross-file finding: {d}"
        );
    }
    // One line lower once the new first line exists, whichever analysis answered.
    assert_eq!(kms_line(seen.last().unwrap()), Some(53));
    let _ = std::fs::remove_dir_all(&dir);
}
