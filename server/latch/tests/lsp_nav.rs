//! In-process LSP tests of navigation and the who-can lenses over `tests/fixtures/nav`:
//! document symbols, go to definition, references, workspace symbols, code lenses with
//! their `latch.whoCan` command, and the who-can hover, with exact ranges (UTF-16 and
//! UTF-8, after CJK and emoji).

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

mod common;

use std::path::PathBuf;

use futures::StreamExt;
use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::Request;

struct Client {
    service: LspService<latch::lsp::Backend>,
    next_id: i64,
    dir: PathBuf,
}

/// Copies `tests/fixtures/nav` into a fresh folder.
fn workspace(name: &str) -> PathBuf {
    common::fixture_copy("tests/fixtures/nav", &format!("nav-{name}"))
}

const FILES: [&str; 4] = ["latch.toml", "iam/reader.json", "kms/key.json", "main.tf"];

impl Client {
    /// Starts the server on a copy of the fixture and opens every file of it (so that
    /// every answer rests on the whole workspace, without waiting for indexing).
    async fn start(name: &str, capabilities: Value) -> Client {
        let dir = workspace(name);
        let (service, socket) = latch::lsp::service();
        tokio::spawn(async move {
            let mut socket = socket;
            while socket.next().await.is_some() {}
        });
        let mut c = Client {
            service,
            next_id: 0,
            dir,
        };
        let uri = format!("file://{}", c.dir.display());
        let init = c
            .request(
                "initialize",
                json!({"capabilities": capabilities, "workspaceFolders": [{"uri": uri, "name": "ws"}]}),
            )
            .await;
        let caps = &init["capabilities"];
        for cap in [
            "documentSymbolProvider",
            "definitionProvider",
            "referencesProvider",
            "workspaceSymbolProvider",
        ] {
            assert_eq!(caps[cap], true, "{cap} in {caps}");
        }
        assert!(
            caps["executeCommandProvider"]["commands"]
                .as_array()
                .unwrap()
                .contains(&json!("latch.whoCan")),
            "{caps}"
        );
        c.notify("initialized", json!({})).await;
        for f in FILES {
            let text = std::fs::read_to_string(c.dir.join(f)).unwrap();
            let uri = c.uri(f);
            c.notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
            )
            .await;
        }
        c
    }

    fn uri(&self, file: &str) -> String {
        format!("file://{}/{file}", self.dir.display())
    }

    fn text(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file)).unwrap()
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
            .unwrap()
            .call(req)
            .await
            .unwrap()
            .unwrap();
        let (_, body) = resp.into_parts();
        body.unwrap()
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let req = Request::build(method).params(params).finish();
        let resp = self.service.ready().await.unwrap().call(req).await.unwrap();
        assert!(resp.is_none());
    }

    async fn at(&mut self, method: &'static str, file: &str, pos: Value) -> Value {
        let uri = self.uri(file);
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": pos, "context": {"includeDeclaration": false}}),
        )
        .await
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The LSP position of byte `offset` in `text`: UTF-16 units, or bytes with `utf8`.
fn pos(text: &str, offset: usize, utf8: bool) -> Value {
    let line = text[..offset].matches('\n').count();
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let col = if utf8 {
        offset - start
    } else {
        text[start..offset].encode_utf16().count()
    };
    json!({"line": line, "character": col})
}

/// The LSP range of the first `needle` in `text`.
fn range_of(text: &str, needle: &str, utf8: bool) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    json!({"start": pos(text, at, utf8), "end": pos(text, at + needle.len(), utf8)})
}

/// The LSP position inside the first `needle`, `into` bytes from its start.
fn inside(text: &str, needle: &str, into: usize) -> Value {
    pos(text, text.find(needle).unwrap() + into, false)
}

#[tokio::test]
async fn document_symbols_after_cjk_and_emoji_in_utf16_and_utf8() {
    for utf8 in [false, true] {
        let caps = if utf8 {
            json!({"general": {"positionEncodings": ["utf-8"]}})
        } else {
            json!({})
        };
        let mut c = Client::start(if utf8 { "sym8" } else { "sym16" }, caps).await;
        let text = c.text("iam/reader.json");
        let uri = c.uri("iam/reader.json");
        let symbols = c
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        let policy = &symbols[0];
        assert_eq!(policy["name"], "identity policy");
        assert_eq!(policy["kind"], 3, "a namespace");
        let first = &policy["children"][0];
        assert_eq!(first["name"], "読み取り😀");
        assert_eq!(first["detail"], "Allow s3:GetObject");
        assert_eq!(
            first["selectionRange"],
            range_of(&text, "\"読み取り😀\"", utf8)
        );
        // `"読み取り😀"` starts at column 12 and is 8 UTF-16 units or 18 bytes long.
        let end = if utf8 { 30 } else { 20 };
        assert_eq!(
            first["selectionRange"],
            json!({"start": {"line": 3, "character": 12}, "end": {"line": 3, "character": end}})
        );
        let statement = &text[text.find("{\"Sid\"").unwrap()..];
        let statement = &statement[..statement.find('}').unwrap() + 1];
        assert_eq!(first["range"], range_of(&text, statement, utf8));
        assert_eq!(policy["children"][1]["name"], "#2");
    }
}

#[tokio::test]
async fn document_symbols_of_terraform_and_the_manifest() {
    let mut c = Client::start("symtf", json!({})).await;
    let uri = c.uri("main.tf");
    let symbols = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "aws_s3_bucket.reports",
            "aws_iam_role.writer",
            "data.aws_iam_policy_document.trust",
            "aws_iam_role_policy.writer",
            "aws_s3_bucket_policy.reports"
        ]
    );
    assert_eq!(
        symbols[0]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 1}})
    );
    assert_eq!(
        symbols[0]["selectionRange"],
        json!({"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 34}})
    );
    let text = c.text("main.tf");
    let doc = &symbols[2];
    assert_eq!(doc["children"][0]["name"], "Assume");
    assert_eq!(
        doc["children"][0]["selectionRange"],
        range_of(&text, "\"Assume\"", false)
    );
    let policy = &symbols[4]["children"][0];
    assert_eq!(policy["name"], "policy");
    assert_eq!(policy["children"][0]["name"], "PartnerRead");

    let uri = c.uri("latch.toml");
    let symbols = c
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names[..3],
        [
            "accounts",
            "providers",
            "arn:aws:iam::444455556666:role/Reader"
        ]
    );
    let toml = c.text("latch.toml");
    assert_eq!(
        symbols[0]["children"][0]["range"],
        range_of(&toml, "storage = \"444455556666\"", false)
    );
}

#[tokio::test]
async fn definition_from_references_paths_and_arns() {
    let mut c = Client::start("def", json!({})).await;
    let tf = c.text("main.tf");
    // A Terraform reference to a policy document: the data block, lines 10 to 19.
    let found = c
        .at(
            "textDocument/definition",
            "main.tf",
            inside(&tf, "data.aws_iam_policy_document.trust.json", 10),
        )
        .await;
    assert_eq!(
        found,
        json!([{"uri": c.uri("main.tf"), "range": {"start": {"line": 9, "character": 0}, "end": {"line": 18, "character": 1}}}])
    );
    // Inside an interpolation: the bucket.
    let found = c
        .at(
            "textDocument/definition",
            "main.tf",
            inside(&tf, "aws_s3_bucket.reports.arn}", 3),
        )
        .await;
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // A path in latch.toml: the file.
    let toml = c.text("latch.toml");
    let found = c
        .at(
            "textDocument/definition",
            "latch.toml",
            inside(&toml, "\"kms/key.json\"", 2),
        )
        .await;
    assert_eq!(
        found,
        json!([{"uri": c.uri("kms/key.json"), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}}])
    );
    // A bucket ARN in a policy, after CJK and emoji: the Terraform bucket.
    let reader = c.text("iam/reader.json");
    let found = c
        .at(
            "textDocument/definition",
            "iam/reader.json",
            inside(&reader, "arn:aws:s3:::reports-bucket/*", 4),
        )
        .await;
    assert_eq!(
        found,
        json!([{"uri": c.uri("main.tf"), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 1}}}])
    );
    // A principal in the key policy: its `[[principal]]` entry.
    let key = c.text("kms/key.json");
    let found = c
        .at(
            "textDocument/definition",
            "kms/key.json",
            inside(&key, "Partner\"}", 0),
        )
        .await;
    assert_eq!(found, Value::Null, "the partner is declared nowhere");
    let found = c
        .at(
            "textDocument/definition",
            "latch.toml",
            inside(&toml, "arn:aws:s3:::reports-bucket/q3.csv", 3),
        )
        .await;
    assert_eq!(found[0]["uri"], c.uri("main.tf"));
}

#[tokio::test]
async fn references_to_a_bucket_are_workspace_wide_with_exact_ranges() {
    let mut c = Client::start("refs", json!({})).await;
    let tf = c.text("main.tf");
    let reader = c.text("iam/reader.json");
    let toml = c.text("latch.toml");
    let found = c
        .at(
            "textDocument/references",
            "main.tf",
            json!({"line": 0, "character": 20}),
        )
        .await;
    let interpolation = "\"${aws_s3_bucket.reports.arn}/*\"";
    let second = tf.rfind(interpolation).unwrap();
    assert_eq!(
        found,
        json!([
            {"uri": c.uri("iam/reader.json"), "range": range_of(&reader, "\"arn:aws:s3:::reports-bucket/*\"", false)},
            {"uri": c.uri("latch.toml"), "range": range_of(&toml, "\"arn:aws:s3:::reports-bucket/q3.csv\"", false)},
            {"uri": c.uri("main.tf"), "range": range_of(&tf, interpolation, false)},
            {"uri": c.uri("main.tf"), "range": {"start": pos(&tf, second, false), "end": pos(&tf, second + interpolation.len(), false)}},
        ])
    );
    // From a mention, with the declaration.
    let uri = c.uri("iam/reader.json");
    let found = c
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": inside(&reader, "reports-bucket/*", 2), "context": {"includeDeclaration": true}}),
        )
        .await;
    assert_eq!(found.as_array().unwrap().len(), 5, "{found}");
    assert_eq!(found[0]["uri"], c.uri("main.tf"));
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // The partner role, named in the key and bucket policies.
    let key = c.text("kms/key.json");
    let found = c
        .at(
            "textDocument/references",
            "kms/key.json",
            inside(&key, "role/Partner", 2),
        )
        .await;
    let uris: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, [c.uri("kms/key.json"), c.uri("main.tf")]);
}

#[tokio::test]
async fn workspace_symbols_by_substring() {
    let mut c = Client::start("wsym", json!({})).await;
    let found = c
        .request("workspace/symbol", json!({"query": "partner"}))
        .await;
    let mut names: Vec<(&str, &str)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["location"]["uri"].as_str().unwrap(),
            )
        })
        .collect();
    names.sort();
    let key = c.uri("kms/key.json");
    let tf = c.uri("main.tf");
    assert_eq!(
        names,
        [("Partner", key.as_str()), ("PartnerRead", tf.as_str())]
    );
    let read = found
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "PartnerRead")
        .unwrap();
    assert_eq!(read["containerName"], "policy");
    let text = c.text("main.tf");
    let statement = &text[text.find("{\n      Sid       = \"PartnerRead\"").unwrap()..];
    let statement = &statement[..statement.find("}]").unwrap() + 1];
    assert_eq!(read["location"]["range"], range_of(&text, statement, false));
    let cjk = c
        .request("workspace/symbol", json!({"query": "読み"}))
        .await;
    assert_eq!(cjk[0]["name"], "読み取り😀");
}

#[tokio::test]
async fn lenses_on_buckets_keys_and_roles_show_the_who_can_table() {
    let mut c = Client::start("lens", json!({})).await;
    let uri = c.uri("main.tf");
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let got: Vec<(u64, &str)> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().unwrap(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                0,
                "read by 2 · written by 1 · external: 999988887777 (only if its own policies allow)"
            ),
            (4, "reads 0 buckets · writes 1 bucket · uses 0 keys"),
        ]
    );
    let bucket = &lenses[0];
    assert_eq!(
        bucket["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 34}})
    );
    assert_eq!(bucket["command"]["command"], "latch.whoCan");
    let args = bucket["command"]["arguments"].clone();
    assert_eq!(args, json!([{"subject": "arn:aws:s3:::reports-bucket"}]));
    // The lens's command, as an editor runs it.
    let table = c
        .request(
            "workspace/executeCommand",
            json!({"command": "latch.whoCan", "arguments": args}),
        )
        .await;
    let md = table["markdown"].as_str().unwrap();
    assert!(
        md.contains(
            "| `arn:aws:iam::444455556666:role/Reader` | allow | denied | iam/reader.json:4 |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| `arn:aws:iam::444455556666:role/Writer` | denied | allow | main.tf:25 |"),
        "{md}"
    );
    assert!(
        md.contains("| `arn:aws:iam::999988887777:role/Partner` (external) | only if its own policies allow | denied |"),
        "{md}"
    );
    // The key's lens sits at the top of its key policy.
    let uri = c.uri("kms/key.json");
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(lenses.as_array().unwrap().len(), 1, "{lenses}");
    assert_eq!(
        lenses[0]["range"],
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}})
    );
    let title = lenses[0]["command"]["title"].as_str().unwrap();
    assert!(
        title.ends_with("external: 999988887777 (only if its own policies allow)"),
        "{title}"
    );
    // The reader's identity policy: what the role reaches.
    let uri = c.uri("iam/reader.json");
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(
        lenses[0]["command"]["title"],
        "reads 1 bucket · writes 0 buckets · uses 1 key"
    );
    // Bad arguments are an error, not a panic.
    c.next_id += 1;
    let req = Request::build("workspace/executeCommand")
        .params(json!({"command": "latch.whoCan", "arguments": [42]}))
        .id(c.next_id)
        .finish();
    let resp = c
        .service
        .ready()
        .await
        .unwrap()
        .call(req)
        .await
        .unwrap()
        .unwrap();
    let (_, body) = resp.into_parts();
    assert!(body.unwrap_err().message.contains("latch.whoCan"));
}

#[tokio::test]
async fn hover_on_a_bucket_arn_shows_who_can_reach_it() {
    let mut c = Client::start("hover", json!({})).await;
    let reader = c.text("iam/reader.json");
    let h = c
        .at(
            "textDocument/hover",
            "iam/reader.json",
            inside(&reader, "reports-bucket/*", 3),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("**Who can reach `arn:aws:s3:::reports-bucket/*`**: read by 2 · written by 1"),
        "{md}"
    );
    assert!(
        md.contains("| `arn:aws:iam::444455556666:role/Writer` | denied | allow |"),
        "{md}"
    );
    assert_eq!(
        h["range"],
        range_of(&reader, "\"arn:aws:s3:::reports-bucket/*\"", false)
    );
    // The key ARN: who can use the key.
    let h = c
        .at(
            "textDocument/hover",
            "iam/reader.json",
            inside(&reader, "arn:aws:kms:", 3),
        )
        .await;
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("| `kms:Decrypt` | `kms:Encrypt` | `kms:GenerateDataKey` |"),
        "{md}"
    );
}

#[tokio::test]
async fn lenses_on_manifest_entries_sit_on_their_headers() {
    let mut c = Client::start("tomllens", json!({})).await;
    let uri = c.uri("latch.toml");
    let toml = c.text("latch.toml");
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let got: Vec<(Value, &str, &str)> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"].clone(),
                l["command"]["command"].as_str().unwrap(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    // The intent's lens, then the principal's and the key's, each on its header line.
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(
        got[0].2.starts_with("✓ `s3:GetObject`: allow"),
        "{}",
        got[0].2
    );
    let principal = toml.find("[[principal]]").unwrap();
    assert_eq!(
        got[1],
        (
            json!({"start": pos(&toml, principal, false), "end": pos(&toml, principal + 13, false)}),
            "latch.whoCan",
            "reads 1 bucket · writes 0 buckets · uses 1 key"
        )
    );
    let key = toml.find("[[key]]").unwrap();
    assert_eq!(got[2].0["start"], pos(&toml, key, false));
    assert!(got[2].2.starts_with("read by "), "{}", got[2].2);
}

#[tokio::test]
async fn many_lenses_are_resolved_when_shown() {
    let mut c = Client::start("resolve", json!({})).await;
    let mut toml = String::from("[accounts]\nstorage = \"444455556666\"\n\n");
    for i in 0..9 {
        toml.push_str(&format!(
            "[[bucket]]\nname = \"many-{i}\"\naccount = \"storage\"\n\n"
        ));
    }
    let uri = c.uri("big/latch.toml");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": toml}}),
    )
    .await;
    let lenses = c
        .request(
            "textDocument/codeLens",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses.len(), 9);
    // More than a screenful: no titles yet, the subject rides along.
    assert!(
        lenses[0].get("command").is_none_or(Value::is_null),
        "{}",
        lenses[0]
    );
    assert_eq!(lenses[0]["data"], json!({"subject": "arn:aws:s3:::many-0"}));
    let at = toml.find("[[bucket]]").unwrap();
    assert_eq!(
        lenses[0]["range"],
        json!({"start": pos(&toml, at, false), "end": pos(&toml, at + 10, false)})
    );
    let resolved = c.request("codeLens/resolve", lenses[0].clone()).await;
    assert_eq!(resolved["command"]["title"], "read by 0 · written by 0");
    assert_eq!(resolved["command"]["command"], "latch.whoCan");
    assert_eq!(
        resolved["command"]["arguments"],
        json!([{"subject": "arn:aws:s3:::many-0"}])
    );
    assert_eq!(resolved["range"], lenses[0]["range"]);
}
