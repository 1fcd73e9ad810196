//! In-process tests of what a real editor needs from the server besides diagnostics and
//! fixes: `$/progress` while the workspace is indexed, the file watcher registration,
//! `workspace/didChangeWatchedFiles` re-reading a file changed outside the editor, the
//! `workspaceAnalysis` setting from `initializationOptions` and
//! `workspace/didChangeConfiguration`, `$/cancelRequest`, and a clean shutdown (in process,
//! and over stdio for the exit code).
//!
//! The fake client answers every server-to-client request (`window/workDoneProgress/create`,
//! `client/registerCapability`) with `null`, as a real client does, and records them.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::{Request, Response};

const BAD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;
const GOOD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;

/// A message from the server: a notification or a request, with its params.
#[derive(Debug, Clone)]
struct Message {
    method: String,
    params: Value,
}

struct Client {
    service: LspService<latch::lsp::Backend>,
    inbox: mpsc::UnboundedReceiver<Message>,
    next_id: i64,
}

impl Client {
    async fn start(capabilities: Value, root: &Path, options: Value) -> Client {
        let (service, socket) = latch::lsp::service();
        let (tx, rx) = mpsc::unbounded_channel();
        let (mut requests, mut responses) = socket.split();
        tokio::spawn(async move {
            while let Some(msg) = requests.next().await {
                let (method, id, params) = msg.into_parts();
                let _ = tx.send(Message {
                    method: method.to_string(),
                    params: params.unwrap_or_default(),
                });
                if let Some(id) = id {
                    if responses
                        .send(Response::from_ok(id, Value::Null))
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            }
        });
        let mut c = Client {
            service,
            inbox: rx,
            next_id: 0,
        };
        let uri = file_uri(root);
        c.request(
            "initialize",
            json!({
                "capabilities": capabilities,
                "workspaceFolders": [{"uri": uri, "name": "ws"}],
                "initializationOptions": options,
            }),
        )
        .await;
        c.notify("initialized", json!({})).await;
        c
    }

    async fn call(&mut self, req: Request) -> Option<Response> {
        self.service
            .ready()
            .await
            .expect("the server is still running")
            .call(req)
            .await
            .expect("call")
    }

    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        self.next_id += 1;
        let req = Request::build(method)
            .params(params)
            .id(self.next_id)
            .finish();
        let resp = self.call(req).await.expect("a response");
        let (_, body) = resp.into_parts();
        body.expect("success")
    }

    /// A request's answer, success or error.
    async fn answer(
        &mut self,
        method: &'static str,
        params: Value,
    ) -> Result<Value, tower_lsp_server::jsonrpc::Error> {
        self.next_id += 1;
        let req = Request::build(method)
            .params(params)
            .id(self.next_id)
            .finish();
        let resp = self.call(req).await.expect("a response");
        resp.into_parts().1
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        let req = Request::build(method).params(params).finish();
        assert!(self.call(req).await.is_none());
    }

    /// Messages until one satisfies `pred`, which is returned with everything before it.
    async fn until(
        &mut self,
        what: &str,
        pred: impl Fn(&Message) -> bool,
    ) -> (Message, Vec<Message>) {
        let mut seen = Vec::new();
        let wait = async {
            while let Some(msg) = self.inbox.recv().await {
                if pred(&msg) {
                    return msg;
                }
                seen.push(msg);
            }
            panic!("the server closed the socket while waiting for {what}");
        };
        let found = tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
        (found, seen)
    }

    /// The next `publishDiagnostics` for `uri` whose codes satisfy `pred`.
    async fn diagnostics(&mut self, uri: &str, what: &str, pred: impl Fn(&[String]) -> bool) {
        self.until(what, |m| {
            m.method == "textDocument/publishDiagnostics"
                && m.params["uri"] == uri
                && pred(&codes(&m.params))
        })
        .await;
    }
}

fn codes(params: &Value) -> Vec<String> {
    params["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn has_effect(c: &[String]) -> bool {
    c.iter().any(|c| c == "policy/invalid-effect")
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh workspace folder holding `files`.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latch-extras-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

#[tokio::test]
async fn indexing_reports_progress_begin_report_end_then_publishes() {
    let dir = workspace(
        "progress",
        &[("a.json", BAD), ("b.json", GOOD), ("c.json", GOOD)],
    );
    let mut c = Client::start(
        json!({"window": {"workDoneProgress": true}}),
        &dir,
        json!(null),
    )
    .await;
    let (create, _) = c
        .until("window/workDoneProgress/create", |m| {
            m.method == "window/workDoneProgress/create"
        })
        .await;
    let token = create.params["token"].clone();
    let (begin, _) = c
        .until("progress begin", |m| m.method == "$/progress")
        .await;
    assert_eq!(begin.params["token"], token);
    assert_eq!(begin.params["value"]["kind"], "begin");
    assert_eq!(begin.params["value"]["title"], "latch: indexing policies");
    assert_eq!(begin.params["value"]["message"], "0/3 files");
    let (end, between) = c
        .until("progress end", |m| {
            m.method == "$/progress" && m.params["value"]["kind"] == "end"
        })
        .await;
    assert_eq!(end.params["value"]["message"], "3 files indexed");
    let reports: Vec<&Value> = between
        .iter()
        .filter(|m| m.method == "$/progress")
        .map(|m| &m.params["value"])
        .collect();
    assert!(
        !reports.is_empty(),
        "no progress report between begin and end"
    );
    assert_eq!(reports.last().unwrap()["percentage"], 100);
    // The worker may analyse and publish while files are still loading, so the indexed
    // file's diagnostics can come before the end of the progress as well as after it.
    let uri = file_uri(&dir.join("a.json"));
    let published = |m: &Message| {
        m.method == "textDocument/publishDiagnostics"
            && m.params["uri"] == uri
            && has_effect(&codes(&m.params))
    };
    if !between.iter().any(published) {
        c.diagnostics(&uri, "diagnostics of the indexed file", has_effect)
            .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn no_progress_without_client_support_and_watchers_registered_when_supported() {
    let dir = workspace("register", &[("a.json", BAD)]);
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut c = Client::start(caps, &dir, json!(null)).await;
    let (reg, _) = c
        .until("client/registerCapability", |m| {
            m.method == "client/registerCapability"
        })
        .await;
    let r = &reg.params["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = r["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/*.json", "**/*.tf", "**/latch.toml"]);
    let uri = file_uri(&dir.join("a.json"));
    let (_, before) = c
        .until("diagnostics of the indexed file", |m| {
            m.method == "textDocument/publishDiagnostics" && m.params["uri"] == uri
        })
        .await;
    assert!(
        !before.iter().any(|m| m.method.contains("rogress")),
        "progress sent to a client that did not offer it: {before:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_changed_on_disk_is_reread_and_a_new_one_analysed() {
    let dir = workspace("watch", &[("a.json", BAD)]);
    let mut c = Client::start(json!({}), &dir, json!(null)).await;
    let a = file_uri(&dir.join("a.json"));
    c.diagnostics(&a, "`policy/invalid-effect` from disk", has_effect)
        .await;

    // Fixed outside the editor (e.g. `git checkout`): the watcher event makes it re-read.
    std::fs::write(dir.join("a.json"), GOOD).unwrap();
    std::fs::write(dir.join("b.json"), BAD).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [
            {"uri": a, "type": 2},
            {"uri": file_uri(&dir.join("b.json")), "type": 1},
            {"uri": file_uri(&dir.join("README.md")), "type": 1},
        ]}),
    )
    .await;
    c.diagnostics(
        &a,
        "`policy/invalid-effect` to clear after the disk change",
        |c| !has_effect(c),
    )
    .await;
    let b = file_uri(&dir.join("b.json"));
    c.diagnostics(&b, "diagnostics of the created file", has_effect)
        .await;

    // Deleted on disk: its diagnostics go away.
    std::fs::remove_file(dir.join("b.json")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": b, "type": 3}]}),
    )
    .await;
    c.diagnostics(&b, "diagnostics of the deleted file to clear", |c| {
        c.is_empty()
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_open_buffer_shadows_a_disk_change() {
    let dir = workspace("shadow", &[("a.json", GOOD)]);
    let mut c = Client::start(json!({}), &dir, json!(null)).await;
    let a = file_uri(&dir.join("a.json"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": a, "languageId": "json", "version": 1, "text": BAD}}),
    )
    .await;
    c.diagnostics(&a, "the buffer's diagnostics", has_effect)
        .await;
    // The disk copy stays good; a watcher event must not replace the buffer's text.
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": a, "type": 2}]}),
    )
    .await;
    // Code actions are computed from the current state, in arrival order: the fix for the
    // buffer's `deny` is still offered, so the disk's good copy did not replace the buffer.
    let actions = c
        .request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": a},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": BAD.len()}},
                "context": {"diagnostics": []},
            }),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        titles.iter().any(|t| t.contains("Deny")),
        "the buffer was replaced by the disk copy: {titles:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn workspace_analysis_follows_init_options_and_configuration_changes() {
    let dir = workspace("config", &[("disk.json", BAD)]);
    let mut c = Client::start(json!({}), &dir, json!({"workspaceAnalysis": false})).await;
    let disk = file_uri(&dir.join("disk.json"));
    let open = file_uri(&dir.join("open.json"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": open, "languageId": "json", "version": 1, "text": BAD}}),
    )
    .await;
    let (_, before) = c
        .until("the open buffer's diagnostics", |m| {
            m.method == "textDocument/publishDiagnostics" && m.params["uri"] == open
        })
        .await;
    assert!(
        !before.iter().any(|m| m.params["uri"] == disk),
        "a disk file was analysed with workspaceAnalysis off"
    );

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"latch": {"workspaceAnalysis": true}}}),
    )
    .await;
    c.diagnostics(&disk, "the disk file once analysis is on", has_effect)
        .await;

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"latch": {"workspaceAnalysis": false}}}),
    )
    .await;
    c.diagnostics(&disk, "the disk file's diagnostics to clear", |c| {
        c.is_empty()
    })
    .await;
    // The open buffer is still analysed.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": open, "version": 2}, "contentChanges": [{"text": GOOD}]}),
    )
    .await;
    c.diagnostics(&open, "the open buffer to be re-analysed", |c| {
        !has_effect(c)
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn cancel_is_accepted_and_shutdown_then_exit_stops_the_service() {
    let dir = workspace("shutdown", &[]);
    let mut c = Client::start(json!({}), &dir, json!(null)).await;
    // A cancel for a request that already finished (or never existed) is a no-op.
    c.notify("$/cancelRequest", json!({"id": 12345})).await;
    let a = file_uri(&dir.join("a.json"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": a, "languageId": "json", "version": 1, "text": BAD}}),
    )
    .await;
    c.diagnostics(&a, "diagnostics after a cancel", has_effect)
        .await;

    assert_eq!(c.request("shutdown", json!(null)).await, Value::Null);
    // After shutdown, requests are refused with InvalidRequest.
    c.next_id += 1;
    let refused = c
        .call(
            Request::build("textDocument/hover")
                .params(
                    json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": 0}}),
                )
                .id(c.next_id)
                .finish(),
        )
        .await
        .expect("a response");
    let (_, body) = refused.into_parts();
    assert_eq!(body.unwrap_err().code.code(), -32600);

    let exit = Request::build("exit").finish();
    assert!(c.call(exit).await.is_none());
    assert!(
        c.service.ready().await.is_err(),
        "the service still accepts messages after exit"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes one framed JSON-RPC message to the server's stdin.
fn send(stdin: &mut impl std::io::Write, msg: &Value) {
    let body = msg.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

/// Reads framed messages from the server's stdout until the response with `id`.
fn response(stdout: &mut impl std::io::BufRead, id: i64) -> Value {
    loop {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "the server closed stdout"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        stdout.read_exact(&mut body).unwrap();
        let msg: Value = serde_json::from_slice(&body).unwrap();
        if msg["id"] == id {
            return msg;
        }
    }
}

/// Waits up to 10 s for the process to end and returns its exit code.
fn exit_code(child: &mut std::process::Child) -> Option<i32> {
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the server did not exit within 10 s");
}

fn spawn_server() -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_latch"))
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn stdio_exit_code_is_0_after_shutdown_and_1_without() {
    let dir = workspace("exitcode", &[("a.json", BAD)]);
    let mut child = spawn_server();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": file_uri(&dir)}}),
    );
    assert!(response(&mut stdout, 1)["result"]["capabilities"].is_object());
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
    );
    assert_eq!(response(&mut stdout, 2)["result"], Value::Null);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(exit_code(&mut child), Some(0));

    // A client that quits without the shutdown handshake gets status 1, as the protocol says.
    let mut child = spawn_server();
    let mut stdin = child.stdin.take().unwrap();
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(exit_code(&mut child), Some(1));
    // So does one whose input just ends.
    let mut child = spawn_server();
    drop(child.stdin.take());
    assert_eq!(exit_code(&mut child), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `latch.explainError` over `tests/fixtures/denied`: the deciding statement with its URI
/// and range, AWS's verdict compared, and a readable error for bad input.
#[tokio::test]
async fn explain_error_command_answers_with_the_deciding_statement() {
    let root = std::fs::canonicalize(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/denied"),
    )
    .unwrap();
    let mut c = Client::start(
        json!({"window": {"workDoneProgress": true}}),
        &root,
        json!(null),
    )
    .await;
    c.until("progress end", |m| {
        m.method == "$/progress" && m.params["value"]["kind"] == "end"
    })
    .await;
    let message = "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/Jane is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::example-reports/restricted/salaries.csv\" with an explicit deny in a resource-based policy";
    let v = c
        .request(
            "workspace/executeCommand",
            json!({"command": "latch.explainError", "arguments": [message]}),
        )
        .await;
    assert_eq!(v["agrees"], true);
    assert_eq!(v["decision"], "explicit_deny");
    assert_eq!(v["aws"]["policy_type"], "resource");
    let d = &v["deciding"][0];
    assert_eq!(d["uri"], file_uri(&root.join("s3/bucket.json")));
    assert_eq!(d["statement"], "RestrictedPrefix");
    // 0-based LSP range of the Sid value, line 19 column 14 in 1-based terms.
    assert_eq!(d["range"]["start"], json!({"line": 18, "character": 13}));
    let md = v["markdown"].as_str().unwrap();
    assert!(md.contains("the workspace explains this error"), "{md}");
    assert!(md.contains("s3/bucket.json:19"), "{md}");

    // The object form, with the caller given next to S3's bare message.
    let v = c
        .request(
            "workspace/executeCommand",
            json!({"command": "latch.explainError", "arguments": [{
                "text": "An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied",
                "principal": "arn:aws:iam::111122223333:user/Jane",
                "resource": "arn:aws:s3:::example-reports/q3.csv",
            }]}),
        )
        .await;
    assert_eq!(v["request"]["action"], "s3:DeleteObject");
    assert_eq!(v["deciding"][0]["path"], "iam/jane.json");

    let err = c
        .answer(
            "workspace/executeCommand",
            json!({"command": "latch.explainError", "arguments": ["Access Denied"]}),
        )
        .await
        .unwrap_err();
    assert!(
        err.message.contains("give it with `--action`"),
        "{}",
        err.message
    );
    let err = c
        .answer(
            "workspace/executeCommand",
            json!({"command": "latch.explainError", "arguments": []}),
        )
        .await
        .unwrap_err();
    assert!(
        err.message.contains("takes the error's text"),
        "{}",
        err.message
    );
}
