//! The parts of the language server that a real editor needs besides diagnostics, hovers
//! and fixes: the settings a client can set (`initializationOptions` and
//! `workspace/didChangeConfiguration` under `latch`), what the client supports, the file
//! watcher registration and the reading of `workspace/didChangeWatchedFiles` events, and
//! `$/progress` while the workspace folder is indexed and while a long analysis runs.
//! [`crate::lsp`] calls these through a
//! few short hooks; everything here is either pure or only talks to the client.
//!
//! Cancellation of requests is tower-lsp-server's: a `$/cancelRequest` aborts the pending
//! handler and answers `-32800`. Analyses overtaken by edits are cancelled or shifted by the
//! worker in [`crate::lsp`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use latch_ide::workspace::kind_from_path;
use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    ClientCapabilities, DidChangeWatchedFilesRegistrationOptions, FileChangeType, FileEvent,
    FileSystemWatcher, GlobPattern, NumberOrString, ProgressToken, Registration,
};

/// The settings a client can change. Absent or mistyped keys keep their current value, so
/// a client that sends nothing gets the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Analyse every policy under the workspace folder, not only the open buffers.
    pub workspace_analysis: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            workspace_analysis: true,
        }
    }
}

impl Settings {
    /// Reads `initializationOptions`: `{ "workspaceAnalysis": bool }`.
    pub fn from_init_options(options: Option<&Value>) -> Settings {
        match options {
            Some(v) => Settings::default().merged(v),
            None => Settings::default(),
        }
    }

    /// Applies a `workspace/didChangeConfiguration` payload. VS Code and Neovim send the
    /// section under its name (`{ "latch": { ... } }`); some clients send the section itself.
    pub fn updated(self, settings: &Value) -> Settings {
        match settings.get("latch") {
            Some(section) => self.merged(section),
            None => self.merged(settings),
        }
    }

    fn merged(self, section: &Value) -> Settings {
        Settings {
            workspace_analysis: section
                .get("workspaceAnalysis")
                .and_then(Value::as_bool)
                .unwrap_or(self.workspace_analysis),
        }
    }
}

/// What the client said it can do, decided once at `initialize`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// `window.workDoneProgress`: the server may create progress tokens.
    pub work_done_progress: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`: the server may ask for watchers.
    pub watch_registration: bool,
}

impl ClientSupport {
    pub fn from_capabilities(caps: &ClientCapabilities) -> ClientSupport {
        ClientSupport {
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            watch_registration: caps
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

/// The files whose changes on disk matter: every kind the workspace analyses.
pub const WATCHED_GLOBS: [&str; 3] = ["**/*.json", "**/*.tf", "**/latch.toml"];

/// The registration of a `workspace/didChangeWatchedFiles` watcher for [`WATCHED_GLOBS`].
pub fn watcher_registration() -> Registration {
    let watchers = WATCHED_GLOBS
        .iter()
        .map(|g| FileSystemWatcher {
            glob_pattern: GlobPattern::String((*g).to_string()),
            kind: None,
        })
        .collect();
    Registration {
        id: "latch-watched-files".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
            watchers,
        })
        .ok(),
    }
}

/// Asks the client to watch the policy files, when it supports dynamic registration.
/// Clients that watch on their own (VS Code's `synchronize.fileEvents`) send events anyway.
pub async fn register_watchers(client: &Client, support: ClientSupport) {
    if !support.watch_registration {
        return;
    }
    if let Err(e) = client
        .register_capability(vec![watcher_registration()])
        .await
    {
        tracing::warn!(error = %e, "the client refused the file watcher registration");
    }
}

/// What a file on disk became, as far as the workspace is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskChange {
    /// The file exists with these bytes.
    Set(Vec<u8>),
    /// The file is gone (or can no longer be read).
    Remove,
}

/// Reduces a batch of watched-file events to one change per analysable file, in the order
/// first seen: the last event for a path wins, a created or changed file is read with
/// `read` (unreadable counts as removed), and files Latch does not analyse are skipped.
pub fn disk_changes(
    events: &[FileEvent],
    read: impl Fn(&Path) -> Option<Vec<u8>>,
) -> Vec<(PathBuf, DiskChange)> {
    let mut last: Vec<(PathBuf, FileChangeType)> = Vec::new();
    for event in events {
        let Some(path) = event.uri.to_file_path() else {
            continue;
        };
        let path = path.into_owned();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if kind_from_path(&name).is_none() {
            continue;
        }
        match last.iter_mut().find(|(p, _)| *p == path) {
            Some(slot) => slot.1 = event.typ,
            None => last.push((path, event.typ)),
        }
    }
    last.into_iter()
        .map(|(path, typ)| {
            let change = if typ == FileChangeType::DELETED {
                DiskChange::Remove
            } else {
                read(&path).map_or(DiskChange::Remove, DiskChange::Set)
            };
            (path, change)
        })
        .collect()
}

/// How long the server waits for the client to accept a progress token before indexing
/// without progress; a client that never answers must not stall analysis.
const PROGRESS_CREATE_TIMEOUT: Duration = Duration::from_secs(2);

/// `$/progress` for indexing the workspace folder: begin, a percentage per chunk, end.
/// Silent when the client does not support work-done progress or refuses the token.
pub struct IndexProgress {
    client: Client,
    token: Option<ProgressToken>,
}

impl IndexProgress {
    /// The title shown by the client, e.g. in VS Code's status bar.
    pub const TITLE: &'static str = "latch: indexing policies";

    pub async fn begin(client: &Client, support: ClientSupport, total: usize) -> IndexProgress {
        let silent = IndexProgress {
            client: client.clone(),
            token: None,
        };
        if !support.work_done_progress {
            return silent;
        }
        let token = NumberOrString::String("latch/index".to_string());
        let created = tokio::time::timeout(
            PROGRESS_CREATE_TIMEOUT,
            client.create_work_done_progress(token.clone()),
        )
        .await;
        if !matches!(created, Ok(Ok(()))) {
            return silent;
        }
        send(client, &token, begin_value(total)).await;
        IndexProgress {
            client: client.clone(),
            token: Some(token),
        }
    }

    /// Reports `done` of `total` files loaded.
    pub async fn report(&self, done: usize, total: usize) {
        if let Some(token) = &self.token {
            let value = serde_json::json!({
                "kind": "report",
                "message": format!("{done}/{total} files"),
                "percentage": percentage(done, total),
            });
            send(&self.client, token, value).await;
        }
    }

    /// Ends the progress with the number of files loaded.
    pub async fn finish(self, loaded: usize) {
        if let Some(token) = &self.token {
            let value = serde_json::json!({
                "kind": "end",
                "message": format!("{loaded} files indexed"),
            });
            send(&self.client, token, value).await;
        }
    }
}

/// The title of the progress shown while a long analysis runs.
pub const ANALYSIS_TITLE: &str = "latch: analysing";

/// `$/progress` for a whole analysis that takes long: begins now, ends once `done` is set
/// (`finished` wakes it). Silent when the client does not support work-done progress or
/// refuses the token.
pub async fn analysis_progress(
    client: &Client,
    support: ClientSupport,
    done: &std::sync::atomic::AtomicBool,
    finished: &tokio::sync::Notify,
) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    if !support.work_done_progress {
        return;
    }
    let token = NumberOrString::String(format!(
        "latch/analysis/{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let created = tokio::time::timeout(
        PROGRESS_CREATE_TIMEOUT,
        client.create_work_done_progress(token.clone()),
    )
    .await;
    if !matches!(created, Ok(Ok(()))) {
        return;
    }
    let begin = serde_json::json!({"kind": "begin", "title": ANALYSIS_TITLE, "cancellable": false});
    send(client, &token, begin).await;
    while !done.load(Ordering::Relaxed) {
        let _ = tokio::time::timeout(Duration::from_millis(200), finished.notified()).await;
    }
    send(client, &token, serde_json::json!({"kind": "end"})).await;
}

fn begin_value(total: usize) -> Value {
    serde_json::json!({
        "kind": "begin",
        "title": IndexProgress::TITLE,
        "cancellable": false,
        "message": format!("0/{total} files"),
        "percentage": 0,
    })
}

/// The whole percentage of `done` out of `total`, 100 for an empty workspace.
pub fn percentage(done: usize, total: usize) -> u32 {
    if total == 0 {
        return 100;
    }
    // u128 cannot overflow for any `usize` pair.
    let p = (done.min(total) as u128) * 100 / (total as u128);
    u32::try_from(p).unwrap_or(100)
}

async fn send(client: &Client, token: &ProgressToken, value: Value) {
    client
        .send_notification::<ProgressNotification>(ProgressValue {
            token: token.clone(),
            value,
        })
        .await;
}

/// `$/progress` with a free-form value: the typed one in ls-types wraps the value in enums
/// that add nothing here.
enum ProgressNotification {}

#[derive(serde::Serialize, serde::Deserialize)]
struct ProgressValue {
    token: ProgressToken,
    value: Value,
}

impl tower_lsp_server::ls_types::notification::Notification for ProgressNotification {
    type Params = ProgressValue;
    const METHOD: &'static str = "$/progress";
}

/// Loads `files` in chunks on the blocking pool with `load` (which returns how many files it
/// loaded), reporting progress between chunks. Returns the number of files loaded.
pub async fn index_with_progress<F>(
    client: &Client,
    support: ClientSupport,
    files: Vec<PathBuf>,
    load: F,
) -> usize
where
    F: Fn(&[PathBuf]) -> usize + Send + Sync + Clone + 'static,
{
    const CHUNK: usize = 64;
    let total = files.len();
    let progress = IndexProgress::begin(client, support, total).await;
    let mut loaded = 0;
    let mut done = 0;
    for chunk in files.chunks(CHUNK) {
        let chunk = chunk.to_vec();
        let n = chunk.len();
        let load = load.clone();
        loaded += tokio::task::spawn_blocking(move || load(&chunk))
            .await
            .unwrap_or(0);
        done += n;
        progress.report(done, total).await;
    }
    progress.finish(loaded).await;
    loaded
}

/// How long `exit` waits for background work (a workspace still being read) before the
/// process ends anyway: an editor that quits must not wait for indexing.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// Ends the server after `exit` or end of input. The exit code follows the protocol: 0 when
/// `shutdown` came first, 1 otherwise (the client died or skipped the handshake).
pub fn finish(runtime: tokio::runtime::Runtime, shut_down: bool) -> std::process::ExitCode {
    runtime.shutdown_timeout(EXIT_GRACE);
    if shut_down {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tower_lsp_server::ls_types::Uri;

    #[test]
    fn settings_default_to_workspace_analysis_and_read_both_payload_shapes() {
        assert!(Settings::from_init_options(None).workspace_analysis);
        let off = Settings::from_init_options(Some(&json!({"workspaceAnalysis": false})));
        assert!(!off.workspace_analysis);
        // A mistyped value keeps the current one rather than guessing.
        assert!(
            Settings::from_init_options(Some(&json!({"workspaceAnalysis": "no"})))
                .workspace_analysis
        );
        let on = off.updated(&json!({"latch": {"workspaceAnalysis": true}}));
        assert!(on.workspace_analysis);
        assert!(
            !on.updated(&json!({"workspaceAnalysis": false}))
                .workspace_analysis
        );
        // Other sections and unrelated keys change nothing.
        assert_eq!(off.updated(&json!({"json": {"format": true}})), off);
        assert_eq!(off.updated(&Value::Null), off);
    }

    #[test]
    fn client_support_reads_progress_and_watcher_registration() {
        let caps: ClientCapabilities = serde_json::from_value(json!({
            "window": {"workDoneProgress": true},
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}
        }))
        .unwrap();
        assert_eq!(
            ClientSupport::from_capabilities(&caps),
            ClientSupport {
                work_done_progress: true,
                watch_registration: true
            }
        );
        assert_eq!(
            ClientSupport::from_capabilities(&ClientCapabilities::default()),
            ClientSupport::default()
        );
    }

    #[test]
    fn the_watcher_registration_covers_every_analysed_kind() {
        let r = watcher_registration();
        assert_eq!(r.method, "workspace/didChangeWatchedFiles");
        let globs: Vec<&str> = r.register_options.as_ref().unwrap()["watchers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["globPattern"].as_str().unwrap())
            .collect();
        assert_eq!(globs, WATCHED_GLOBS);
        for name in ["a.json", "main.tf", "latch.toml"] {
            assert!(kind_from_path(name).is_some(), "{name} is not analysed");
        }
    }

    fn event(path: &str, typ: FileChangeType) -> FileEvent {
        FileEvent {
            uri: Uri::from_file_path(path).unwrap(),
            typ,
        }
    }

    #[test]
    fn disk_changes_keep_the_last_event_per_file_and_skip_other_files() {
        let events = [
            event("/ws/a.json", FileChangeType::CREATED),
            event("/ws/notes.md", FileChangeType::CHANGED),
            event("/ws/main.tf", FileChangeType::CHANGED),
            event("/ws/a.json", FileChangeType::DELETED),
            event("/ws/gone.json", FileChangeType::CHANGED),
        ];
        let read = |p: &Path| match p.to_str() {
            Some("/ws/main.tf") => Some(b"resource {}".to_vec()),
            _ => None,
        };
        assert_eq!(
            disk_changes(&events, read),
            vec![
                (PathBuf::from("/ws/a.json"), DiskChange::Remove),
                (
                    PathBuf::from("/ws/main.tf"),
                    DiskChange::Set(b"resource {}".to_vec())
                ),
                // Changed but unreadable: treated as gone, not as empty.
                (PathBuf::from("/ws/gone.json"), DiskChange::Remove),
            ]
        );
    }

    #[test]
    fn percentage_is_bounded_and_total_zero_is_complete() {
        assert_eq!(percentage(0, 0), 100);
        assert_eq!(percentage(0, 3), 0);
        assert_eq!(percentage(1, 3), 33);
        assert_eq!(percentage(3, 3), 100);
        assert_eq!(percentage(7, 3), 100);
        assert_eq!(percentage(usize::MAX, usize::MAX), 100);
    }
}

/// The command that explains a pasted access denied error (`workspace/executeCommand`).
pub const EXPLAIN_ERROR: &str = "latch.explainError";

/// What `latch.explainError` was given: the error's text, the CloudTrail record to pick,
/// and what the user states next to it.
#[derive(Debug)]
pub struct ExplainErrorArgs {
    pub text: String,
    pub event: Option<usize>,
    pub overrides: latch_ide::denied::Overrides,
}

/// Reads the command's arguments: `["TEXT"]`, or `[{"text", "event"?, "principal"?,
/// "action"?, "resource"?, "context"?: {"KEY": "VALUE" | ["VALUE", ...]}}]`.
pub fn explain_error_args(arguments: &[Value]) -> Result<ExplainErrorArgs, String> {
    let expected = "`latch.explainError` takes the error's text, or `{\"text\": ...}` with `event`, `principal`, `action`, `resource` and `context`";
    let Some(first) = arguments.first() else {
        return Err(expected.into());
    };
    if let Some(text) = first.as_str() {
        return Ok(ExplainErrorArgs {
            text: text.to_string(),
            event: None,
            overrides: latch_ide::denied::Overrides::default(),
        });
    }
    let Some(obj) = first.as_object() else {
        return Err(expected.into());
    };
    let Some(text) = obj.get("text").and_then(Value::as_str) else {
        return Err(expected.into());
    };
    let string = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let event = match obj.get("event") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) => Some(n),
            None => return Err("`event` must be a record number, counting from 1".into()),
        },
    };
    let mut context = Vec::new();
    if let Some(ctx) = obj.get("context").and_then(Value::as_object) {
        for (k, v) in ctx {
            let values: Vec<String> = match v {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => {
                    return Err(format!(
                        "context key `{k}` must be a string or a list of strings"
                    ));
                }
            };
            context.push((k.clone(), values));
        }
    }
    Ok(ExplainErrorArgs {
        text: text.to_string(),
        event,
        overrides: latch_ide::denied::Overrides {
            principal: string("principal"),
            action: string("action"),
            resource: string("resource"),
            context,
        },
    })
}
