//! `latch lsp`: the language server. This module and [`crate::line_index`] are the only
//! places that know LSP types and positions; analysis is the same [`Workspace`] the CLI
//! uses.
//!
//! Ordering: tower-lsp handlers run concurrently and may interleave at `.await` points, so
//! every document change is applied to the shared state in the handler's synchronous
//! prefix (first polls happen in arrival order), and a single worker task analyses and
//! publishes, so publications never go back in time.
//!
//! Never starving the editor (the document-sync and publish path):
//! - Every version of an edited open document gets its diagnostics at once: what the file
//!   says on its own, computed from its current text, with the cross-document findings of
//!   the last whole analysis carried over (`Workspace::file_analysis`). Carried findings
//!   are shifted with each text edit, so they stay on screen where they belong until
//!   their recomputation lands: no flicker, no empty publication in between.
//! - The whole analysis runs in the worker on a snapshot, on a blocking thread. A newer
//!   edit cancels it (it stops before its next sub-workspace; the ones it finished stay
//!   cached) while results are fresh; when the last whole result is older than
//!   [`FRESH_ENOUGH`], it is let finish, and its findings, made on a slightly older
//!   text, are shifted through the edits made since and published rather than dropped.
//! - An analysis that takes longer than [`PROGRESS_AFTER`] is shown with `$/progress`.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use latch_ide::workspace::{Analysis, Workspace};
use latch_syntax::{Finding, Severity};
use tokio::sync::Notify;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::line_index::{Encoding, LineIndex};
use crate::lsp_extras;

/// An open buffer: it shadows the file on disk.
struct OpenDoc {
    version: i32,
}

#[derive(Default)]
struct State {
    workspace: Workspace,
    root: Option<PathBuf>,
    open: HashMap<String, OpenDoc>,
    encoding: Option<Encoding>,
    /// Bumped on every change; an analysis is current when it was made at this generation.
    generation: u64,
    analysis: Option<(u64, Arc<Analysis>)>,
    /// What was last published per file key, to publish only what changed.
    published: HashMap<String, Vec<Finding>>,
    /// Files that get a publication even when empty (just opened: clears stale client state).
    force_publish: std::collections::HashSet<String>,
    shutting_down: bool,
    /// Open documents changed since their last publication: published first, on their own.
    typed: BTreeSet<String>,
    /// Text edits since the whole analysis in progress started, with the generation that
    /// made them: the ranges of its findings are shifted through them.
    edits: Vec<(u64, String, TextChange)>,
    /// The cross-document findings of the last whole analysis, per file, shifted to the
    /// current texts.
    carried: HashMap<String, Vec<Finding>>,
    /// The generation of the last whole analysis published.
    analysed: Option<u64>,
    /// What the client set (`initializationOptions`, `workspace/didChangeConfiguration`).
    settings: lsp_extras::Settings,
    /// What the client supports (progress, watcher registration).
    support: lsp_extras::ClientSupport,
    /// The title of each who-can lens (by subject), computed once per generation.
    lens_titles: HashMap<String, (u64, String)>,
}

impl State {
    /// Replaces the text of `key`, remembering the edit so that findings computed on the
    /// old text can be moved onto the new one.
    fn set_text(&mut self, key: &str, bytes: &[u8], lean: bool) {
        let old = self.workspace.text(key).unwrap_or("");
        let new = std::str::from_utf8(bytes).unwrap_or("");
        if let Some(change) = TextChange::between(old, new) {
            for findings in self.carried.values_mut() {
                for f in findings.iter_mut() {
                    change.shift_finding(f, key);
                }
            }
            self.edits
                .push((self.generation + 1, key.to_string(), change));
        }
        if lean {
            self.workspace.set_file_lean(key, bytes);
        } else {
            self.workspace.set_file(key, bytes);
        }
    }

    fn remove_text(&mut self, key: &str) {
        self.workspace.remove_file(key);
        self.carried.remove(key);
    }

    fn encoding(&self) -> Encoding {
        self.encoding.unwrap_or(Encoding::Utf16)
    }

    /// The workspace key of a document: its path relative to the root, or the URI.
    fn key(&self, uri: &Uri) -> String {
        if let (Some(root), Some(path)) = (&self.root, uri.to_file_path()) {
            if let Ok(rel) = path.strip_prefix(root) {
                return crate::loader::relative(Path::new(""), rel);
            }
            return path.to_string_lossy().replace('\\', "/");
        }
        uri.to_string()
    }

    fn uri(&self, key: &str) -> Option<Uri> {
        let path = Path::new(key);
        if path.is_absolute() {
            return Uri::from_file_path(path);
        }
        match &self.root {
            Some(root) => Uri::from_file_path(root.join(key)),
            None => key.parse().ok(),
        }
    }
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    dirty: Arc<Notify>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A panic while holding the lock leaves the state usable: every mutation is a whole
    // replacement of one file.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn to_range(
    text: &str,
    index: &LineIndex,
    span: latch_syntax::Span,
    enc: Encoding,
) -> Range {
    let (sl, sc) = index.position(text, span.start, enc);
    let (el, ec) = index.position(text, span.end, enc);
    Range {
        start: Position {
            line: sl,
            character: sc,
        },
        end: Position {
            line: el,
            character: ec,
        },
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

fn docs_uri(code: &str) -> Option<Uri> {
    format!(
        "https://github.com/latch-dev/latch/blob/main/docs/checks.md#{}",
        code.replace('/', "")
    )
    .parse()
    .ok()
}

/// The diagnostic text: the headline and the reason. The trace is in the hover.
pub fn lsp_message(f: &Finding) -> String {
    f.headline_and_why()
}

fn diagnostic(state: &State, f: &Finding) -> Diagnostic {
    let enc = state.encoding();
    let text = state.workspace.text(&f.path).unwrap_or("");
    let index = LineIndex::new(text);
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let key = r.path.as_deref().unwrap_or(&f.path);
            let rtext = state.workspace.text(key).unwrap_or("");
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: state.uri(key)?,
                    range: to_range(rtext, &LineIndex::new(rtext), r.range, enc),
                },
                message: r.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: to_range(text, &index, f.range, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: docs_uri(f.code).map(|href| CodeDescription { href }),
        source: Some("latch".to_string()),
        message: lsp_message(f),
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

impl Backend {
    /// The state, locked, with the whole analysis of its current text: the cached one when
    /// current, else computed on a blocking thread from a snapshot, outside the lock, so
    /// that edits go on meanwhile. When an edit came in while it ran, it is computed again
    /// under the lock (as rare as an edit during the request).
    async fn fresh_analysis(&self) -> (MutexGuard<'_, State>, Arc<Analysis>) {
        let (generation, snapshot) = {
            let st = lock(&self.state);
            if let Some((g, a)) = &st.analysis {
                if *g == st.generation {
                    let a = a.clone();
                    return (st, a);
                }
            }
            (st.generation, st.workspace.clone())
        };
        let analysis = tokio::task::spawn_blocking(move || Arc::new(snapshot.analyze()))
            .await
            .ok();
        let mut st = lock(&self.state);
        let analysis = match analysis {
            Some(a) if st.generation == generation => a,
            _ => Arc::new(st.workspace.analyze()),
        };
        st.analysis = Some((st.generation, analysis.clone()));
        (st, analysis)
    }

    fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::default())),
            dirty: Arc::new(Notify::new()),
        }
    }

    /// Applies a change to the state and wakes the worker. Called in handlers before any
    /// `.await`, so changes are applied in arrival order.
    fn change(&self, f: impl FnOnce(&mut State)) {
        let mut st = lock(&self.state);
        f(&mut st);
        st.generation += 1;
        drop(st);
        self.dirty.notify_one();
    }

    /// Reads every analysable file under `root` in the background, with `$/progress` when
    /// the client supports it, then wakes the worker.
    fn index_root(&self, root: PathBuf) {
        let state = self.state.clone();
        let dirty = self.dirty.clone();
        let client = self.client.clone();
        let support = lock(&self.state).support;
        tokio::spawn(async move {
            let r = root.clone();
            let files = tokio::task::spawn_blocking(move || crate::loader::walk(&r))
                .await
                .unwrap_or_default();
            let (st2, r2) = (state.clone(), root.clone());
            let n = lsp_extras::index_with_progress(&client, support, files, move |chunk| {
                load_files(&st2, &r2, chunk)
            })
            .await;
            tracing::info!(files = n, root = %root.display(), "workspace loaded");
            // Each file loaded made a new generation (`load_files`): the worker need only
            // be woken.
            dirty.notify_one();
            client
                .log_message(
                    MessageType::INFO,
                    format!("latch: analysing {n} files under {}", root.display()),
                )
                .await;
        });
    }

    /// The worker: publishes each edited open document on its own at once, runs the whole
    /// analysis in the background (cancelled or let finish, see the module header), and
    /// publishes its results.
    fn spawn_worker(&self) {
        let state = self.state.clone();
        let dirty = self.dirty.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let mut running: Option<Running> = None;
            // When the last whole analysis was published.
            let mut last_whole = Instant::now();
            loop {
                // The edited documents first, on their own.
                let typed = {
                    let mut st = lock(&state);
                    if st.shutting_down {
                        if let Some(r) = &running {
                            r.cancel.store(true, Ordering::Relaxed);
                        }
                        return;
                    }
                    std::mem::take(&mut st.typed)
                };
                if !typed.is_empty() {
                    let st2 = state.clone();
                    let batch =
                        tokio::task::spawn_blocking(move || publish_typed(&mut lock(&st2), typed))
                            .await
                            .unwrap_or_default();
                    for (uri, diags, version) in batch {
                        client.publish_diagnostics(uri, diags, version).await;
                    }
                }
                if running.is_none() {
                    let mut st = lock(&state);
                    if st.analysed != Some(st.generation) {
                        running = Some(Running::start(&mut st, &client));
                    }
                }
                let finished = async {
                    match running.as_mut() {
                        Some(r) => (&mut r.handle).await.ok().flatten(),
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = dirty.notified() => {
                        if let Some(r) = &running {
                            // Fresh results on screen: newer text is worth more than
                            // finishing this one. Otherwise it finishes and is published.
                            if last_whole.elapsed() < FRESH_ENOUGH {
                                r.cancel.store(true, Ordering::Relaxed);
                            }
                        }
                    }
                    analysis = finished => {
                        let Some(r) = running.take() else { continue };
                        r.done.store(true, Ordering::Relaxed);
                        r.progress_done.notify_one();
                        let Some(analysis) = analysis else {
                            // Cancelled: the loop starts again on the newest text.
                            continue;
                        };
                        last_whole = Instant::now();
                        let st2 = state.clone();
                        let batch = tokio::task::spawn_blocking(move || {
                            publish_whole(&mut lock(&st2), r.generation, analysis)
                        })
                        .await
                        .unwrap_or_default();
                        for (uri, diags, version) in batch {
                            client.publish_diagnostics(uri, diags, version).await;
                        }
                    }
                }
            }
        });
    }
}

/// While the last whole result is younger than this, a newer edit cancels the analysis in
/// progress; older, the analysis finishes and its results are shifted and published.
const FRESH_ENOUGH: Duration = Duration::from_millis(250);

/// An analysis that runs longer than this is shown with `$/progress`.
const PROGRESS_AFTER: Duration = Duration::from_millis(500);

/// A whole analysis in progress on a blocking thread.
struct Running {
    generation: u64,
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    progress_done: Arc<Notify>,
    handle: tokio::task::JoinHandle<Option<Arc<Analysis>>>,
}

impl Running {
    /// Starts the analysis of the current state.
    fn start(st: &mut State, client: &Client) -> Running {
        let generation = st.generation;
        // Edits up to now are in the snapshot; later ones are logged for this analysis.
        st.edits.retain(|(g, _, _)| *g > generation);
        let snapshot = st.workspace.clone();
        let cancel = Arc::new(AtomicBool::new(false));
        let c2 = cancel.clone();
        let handle = tokio::task::spawn_blocking(move || {
            snapshot
                .analyze_until(&|| c2.load(Ordering::Relaxed))
                .map(Arc::new)
        });
        let done = Arc::new(AtomicBool::new(false));
        let progress_done = Arc::new(Notify::new());
        let (d2, n2, client, support) = (
            done.clone(),
            progress_done.clone(),
            client.clone(),
            st.support,
        );
        tokio::spawn(async move {
            tokio::time::sleep(PROGRESS_AFTER).await;
            if d2.load(Ordering::Relaxed) {
                return;
            }
            lsp_extras::analysis_progress(&client, support, &d2, &n2).await;
        });
        Running {
            generation,
            cancel,
            done,
            progress_done,
            handle,
        }
    }
}

/// One text edit in bytes: `start..old_end` of the old text became `new_len` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TextChange {
    start: usize,
    old_end: usize,
    new_len: usize,
}

impl TextChange {
    /// The edit between two texts: what lies between their common prefix and suffix (cut
    /// at character boundaries). `None` when they are equal.
    fn between(old: &str, new: &str) -> Option<TextChange> {
        if old == new {
            return None;
        }
        let mut p = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !(old.is_char_boundary(p) && new.is_char_boundary(p)) {
            p -= 1;
        }
        let room = old.len().min(new.len()) - p;
        let mut sfx = old
            .bytes()
            .rev()
            .zip(new.bytes().rev())
            .take(room)
            .take_while(|(a, b)| a == b)
            .count();
        while !(old.is_char_boundary(old.len() - sfx) && new.is_char_boundary(new.len() - sfx)) {
            sfx -= 1;
        }
        Some(TextChange {
            start: p,
            old_end: old.len() - sfx,
            new_len: new.len() - sfx - p,
        })
    }

    fn moved(&self, x: usize) -> usize {
        x - self.old_end + self.start + self.new_len
    }

    /// A range of the old text in the new one: before the edit it stays, after it moves,
    /// across it it stretches over the new text.
    fn shift(&self, span: latch_syntax::Span) -> latch_syntax::Span {
        if span.end <= self.start {
            return span;
        }
        if span.start >= self.old_end {
            return latch_syntax::Span::new(self.moved(span.start), self.moved(span.end));
        }
        let start = span.start.min(self.start);
        let end = if span.end > self.old_end {
            self.moved(span.end)
        } else {
            self.start + self.new_len
        };
        latch_syntax::Span::new(start, end.max(start))
    }

    /// Whether an edit of a fix at `span` falls in the changed text (the fix is dropped).
    fn touches(&self, span: latch_syntax::Span) -> bool {
        span.start < self.old_end.max(self.start + 1) && self.start < span.end.max(span.start + 1)
    }

    /// Moves every location of `f` in file `key`.
    fn shift_finding(&self, f: &mut Finding, key: &str) {
        let own = &*f.path == key;
        if own {
            f.range = self.shift(f.range);
        }
        for r in &mut f.related {
            if r.path.as_deref().map_or(own, |p| p == key) {
                r.range = self.shift(r.range);
            }
        }
        f.fixes.retain_mut(|fix| {
            fix.edits.iter_mut().all(|e| {
                if !e.path.as_deref().map_or(own, |p| p == key) {
                    return true;
                }
                if self.touches(e.range) {
                    return false;
                }
                e.range = self.shift(e.range);
                true
            })
        });
    }
}

/// The diagnostics of each document in `typed` (edited open documents), for their current
/// versions: what each says on its own now, with the carried cross-document findings.
/// Published even when nothing changed: each version the user pauses on gets its answer.
fn publish_typed(st: &mut State, typed: BTreeSet<String>) -> Publications {
    let mut out = Vec::new();
    for key in typed {
        let Some(doc) = st.open.get(&key) else {
            continue;
        };
        let version = doc.version;
        let carried = st.carried.get(&key).cloned().unwrap_or_default();
        let findings = st.workspace.file_analysis(&key, &carried);
        let Some(uri) = st.uri(&key) else { continue };
        let diags = findings.iter().map(|f| diagnostic(st, f)).collect();
        st.force_publish.remove(&key);
        if findings.is_empty() {
            st.published.remove(&key);
        } else {
            st.published.insert(key, findings);
        }
        out.push((uri, diags, Some(version)));
    }
    out
}

type Publications = Vec<(Uri, Vec<Diagnostic>, Option<i32>)>;

/// The diagnostics of a whole analysis made at `generation`: its findings shifted through
/// the edits made since; a file edited since gets what it says on its own now with the
/// analysis's cross-document findings. Only files whose diagnostics changed are published.
fn publish_whole(st: &mut State, generation: u64, analysis: Arc<Analysis>) -> Publications {
    let since: Vec<(String, TextChange)> = st
        .edits
        .iter()
        .filter(|(g, _, _)| *g > generation)
        .map(|(_, k, c)| (k.clone(), *c))
        .collect();
    let edited: std::collections::HashSet<&str> = since.iter().map(|(k, _)| k.as_str()).collect();
    let mut shifted: HashMap<String, Vec<Finding>> = HashMap::new();
    for (key, findings) in &analysis.findings {
        let mut fs = findings.clone();
        if !since.is_empty() {
            for f in &mut fs {
                for (k, c) in &since {
                    c.shift_finding(f, k);
                }
            }
        }
        shifted.insert(key.to_string(), fs);
    }
    st.carried = shifted
        .iter()
        .map(|(k, fs)| {
            let cross: Vec<Finding> = fs
                .iter()
                .filter(|f| latch_ide::workspace::is_cross_document(f.code))
                .cloned()
                .collect();
            (k.clone(), cross)
        })
        .filter(|(_, fs)| !fs.is_empty())
        .collect();
    let mut keys: Vec<String> = shifted.keys().cloned().collect();
    keys.extend(st.published.keys().cloned());
    keys.extend(st.force_publish.iter().cloned());
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let findings = if edited.contains(key.as_str()) {
            let carried = st.carried.get(&key).cloned().unwrap_or_default();
            st.workspace.file_analysis(&key, &carried)
        } else {
            shifted.remove(&key).unwrap_or_default()
        };
        let forced = st.force_publish.remove(&key);
        if !forced
            && st
                .published
                .get(&key)
                .map_or(findings.is_empty(), |p| *p == findings)
        {
            continue;
        }
        let Some(uri) = st.uri(&key) else { continue };
        let diags = findings.iter().map(|f| diagnostic(st, f)).collect();
        let version = st.open.get(&key).map(|d| d.version);
        if findings.is_empty() {
            st.published.remove(&key);
        } else {
            st.published.insert(key.clone(), findings);
        }
        out.push((uri, diags, version));
    }
    st.analysed = Some(generation);
    if generation == st.generation {
        st.analysis = Some((generation, analysis));
    }
    out
}

/// Loads `files` (under `root`) into the workspace, without replacing open buffers.
fn load_files(state: &Mutex<State>, root: &Path, files: &[PathBuf]) -> usize {
    let mut n = 0;
    for file in files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let key = crate::loader::relative(root, file);
        let mut st = lock(state);
        // Analysis may have been turned off while indexing ran.
        if st.settings.workspace_analysis && !st.open.contains_key(&key) {
            st.set_text(&key, &bytes, true);
            // A new state: an analysis made before this file is not current.
            st.generation += 1;
            n += 1;
        }
    }
    n
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        let (encoding, kind) = if offered.contains(&PositionEncodingKind::UTF8) {
            (Encoding::Utf8, PositionEncodingKind::UTF8)
        } else {
            (Encoding::Utf16, PositionEncodingKind::UTF16)
        };
        #[expect(deprecated, reason = "root_uri is still what many clients send")]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| {
                params
                    .root_uri
                    .as_ref()
                    .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            });
        {
            let mut st = lock(&self.state);
            st.encoding = Some(encoding);
            st.root = root;
            st.settings =
                lsp_extras::Settings::from_init_options(params.initialization_options.as_ref());
            st.support = lsp_extras::ClientSupport::from_capabilities(&params.capabilities);
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(kind),
                text_document_sync: Some(TextDocumentSyncCapability::Kind(
                    TextDocumentSyncKind::INCREMENTAL,
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(true),
                }),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["\"".into(), ":".into(), "/".into()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        lsp_extras::EXPLAIN_ERROR.to_string(),
                        crate::lsp_nav::WHO_CAN.to_string(),
                    ],
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "latch".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.spawn_worker();
        let (root, settings, support) = {
            let st = lock(&self.state);
            (st.root.clone(), st.settings, st.support)
        };
        let client = self.client.clone();
        tokio::spawn(async move { lsp_extras::register_watchers(&client, support).await });
        if let (Some(root), true) = (root, settings.workspace_analysis) {
            self.index_root(root);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (before, after, root) = {
            let mut st = lock(&self.state);
            let before = st.settings;
            st.settings = before.updated(&params.settings);
            (before, st.settings, st.root.clone())
        };
        if before.workspace_analysis == after.workspace_analysis {
            return;
        }
        if after.workspace_analysis {
            if let Some(root) = root {
                self.index_root(root);
            }
        } else {
            // Only the open buffers stay; the files read from disk leave the analysis.
            self.change(|st| {
                let disk: Vec<String> = st
                    .workspace
                    .paths()
                    .filter(|k| !st.open.contains_key(k.as_ref()))
                    .map(|k| k.to_string())
                    .collect();
                for key in disk {
                    st.remove_text(&key);
                }
            });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        // Read before the state lock and before any `.await`, so the change is applied in
        // arrival order like an edit.
        let changes = lsp_extras::disk_changes(&params.changes, |p| std::fs::read(p).ok());
        self.change(|st| {
            for (path, change) in changes {
                let Some(uri) = Uri::from_file_path(&path) else {
                    continue;
                };
                let key = st.key(&uri);
                // An open buffer shadows the disk; with workspace analysis off, files that
                // are not open are not analysed at all.
                if st.open.contains_key(&key) || !st.settings.workspace_analysis {
                    continue;
                }
                match change {
                    lsp_extras::DiskChange::Set(bytes) => st.set_text(&key, &bytes, true),
                    lsp_extras::DiskChange::Remove => st.remove_text(&key),
                }
            }
        });
    }

    async fn shutdown(&self) -> Result<()> {
        lock(&self.state).shutting_down = true;
        self.dirty.notify_one();
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.change(|st| {
            let key = st.key(&doc.uri);
            st.set_text(&key, doc.text.as_bytes(), false);
            st.force_publish.insert(key.clone());
            st.typed.insert(key.clone());
            st.open.insert(
                key,
                OpenDoc {
                    version: doc.version,
                },
            );
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.change(|st| {
            let key = st.key(&params.text_document.uri);
            let enc = st.encoding();
            let mut text = st.workspace.text(&key).unwrap_or("").to_string();
            for change in params.content_changes {
                match change.range {
                    Some(range) => {
                        let index = LineIndex::new(&text);
                        let start =
                            index.offset(&text, range.start.line, range.start.character, enc);
                        let end = index
                            .offset(&text, range.end.line, range.end.character, enc)
                            .max(start);
                        text.replace_range(start..end, &change.text);
                    }
                    None => text = change.text,
                }
            }
            st.set_text(&key, text.as_bytes(), false);
            st.typed.insert(key.clone());
            st.open.insert(
                key,
                OpenDoc {
                    version: params.text_document.version,
                },
            );
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // The buffer no longer shadows the disk: read the file back (it may have been
        // closed without saving), or drop it when it is gone.
        let uri = params.text_document.uri;
        self.change(|st| {
            let key = st.key(&uri);
            st.open.remove(&key);
            match uri.to_file_path().and_then(|p| std::fs::read(&p).ok()) {
                Some(bytes) if st.root.is_some() => st.set_text(&key, &bytes, true),
                _ => st.remove_text(&key),
            }
        });
    }

    /// `latch.explainError`: the request a pasted error describes, decided over the
    /// workspace and compared with AWS's verdict. Answers `{"markdown", "agrees",
    /// "decision", "aws", "request", "deciding": [{"uri", "range", "path", "line",
    /// "column", "statement", "policy"}]}`; an error that cannot be read is an
    /// `InvalidParams` error whose message says what was expected.
    async fn execute_command(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<serde_json::Value>> {
        use serde_json::json;
        use tower_lsp_server::jsonrpc::Error;
        if params.command == crate::lsp_nav::WHO_CAN {
            let subject = crate::lsp_nav::who_can_subject(&params.arguments)
                .map_err(Error::invalid_params)?;
            let st = lock(&self.state);
            return crate::lsp_nav::who_can(&st.workspace, &subject)
                .map(Some)
                .map_err(Error::invalid_params);
        }
        if params.command != lsp_extras::EXPLAIN_ERROR {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let args =
            lsp_extras::explain_error_args(&params.arguments).map_err(Error::invalid_params)?;
        let st = lock(&self.state);
        let denial = latch_ide::denied::read(args.text.as_bytes(), args.event)
            .map_err(Error::invalid_params)?;
        let e = latch_ide::denied::explain(&st.workspace, "", &denial, &args.overrides)
            .map_err(Error::invalid_params)?;
        let ws = &st.workspace;
        let locate = |r: &latch_eval::PolicyRef, s: latch_syntax::Span| {
            let line = ws
                .text(&r.label)
                .and_then(|t| t.get(..s.start))
                .map_or(1, |t| t.matches('\n').count() + 1);
            format!("{}:{line}", r.label)
        };
        let markdown = latch_ide::denied::markdown(&e, &locate);
        let enc = st.encoding();
        let deciding: Vec<serde_json::Value> = e
            .deciding
            .iter()
            .map(|d| {
                let range = ws.text(&d.path).map(|t| {
                    let index = LineIndex::new(t);
                    to_range(t, &index, d.span, enc)
                });
                json!({
                    "uri": st.uri(&d.path).map(|u| u.as_str().to_string()),
                    "range": range,
                    "path": d.path,
                    "line": d.line,
                    "column": d.column,
                    "statement": d.statement,
                    "policy": d.policy,
                })
            })
            .collect();
        let r = &e.request;
        Ok(Some(json!({
            "markdown": markdown,
            "agrees": e.agrees,
            "decision": e.decision.outcome.as_str(),
            "aws": {
                "decision": e.aws.decision.map(|o| o.as_str()),
                "policy_type": e.aws.policy_type.map(|t| t.as_str()),
                "policy_arn": e.aws.policy_arn,
            },
            "request": {
                "principal": r.principal.arn(),
                "principal_in_workspace": e.mapped_to,
                "action": r.action.as_str(),
                "resource": r.resource.as_str(),
            },
            "deciding": deciding,
            "notes": e.reasons,
        })))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let (st, analysis) = self.fresh_analysis().await;
        let pos = params.text_document_position_params;
        let key = st.key(&pos.text_document.uri);
        let Some(text) = st.workspace.text(&key).map(str::to_string) else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        let enc = st.encoding();
        let offset = index.offset(&text, pos.position.line, pos.position.character, enc);
        let h = latch_ide::ide::hover(&st.workspace, &key, offset);
        // The trace of each finding under the cursor: the diagnostic carries only its
        // headline and reason.
        let traces: Vec<(&Finding, &str)> = analysis
            .findings
            .get(key.as_str())
            .into_iter()
            .flatten()
            .filter(|f| f.range.start <= offset && offset <= f.range.end)
            .filter_map(|f| Some((f, f.detail()?)))
            .collect();
        let (mut markdown, range) = match h {
            Some(h) => (h.markdown, h.range),
            None => match traces.first() {
                Some((f, _)) => (String::new(), f.range),
                None => return Ok(None),
            },
        };
        for (f, trace) in traces {
            if !markdown.is_empty() {
                markdown.push_str("\n\n---\n\n");
            }
            markdown.push_str(&format!(
                "**{}** `{}` trace:\n\n```text\n{trace}\n```",
                f.severity.as_str(),
                f.code
            ));
        }
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(to_range(&text, &index, range, enc)),
        }))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let mut st = lock(&self.state);
        let key = st.key(&params.text_document.uri);
        // Who can read and write each bucket and key, what each role reaches.
        let enc = st.encoding();
        let st = &mut *st;
        let access = crate::lsp_nav::code_lenses(&st.workspace, enc, &key, |subject| {
            lens_title(&st.workspace, st.generation, &mut st.lens_titles, subject)
        });
        if !key.ends_with("latch.toml") {
            return Ok(Some(access));
        }
        let Some(text) = st.workspace.text(&key) else {
            return Ok(None);
        };
        let index = LineIndex::new(text);
        let enc = st.encoding();
        let mut lenses: Vec<CodeLens> = latch_ide::lenses::expect_lenses(&st.workspace)
            .into_iter()
            .filter(|l| *l.path == *key)
            .map(|l| CodeLens {
                range: to_range(text, &index, l.range, enc),
                command: Some(Command {
                    title: l.title,
                    command: String::new(),
                    arguments: None,
                }),
                data: None,
            })
            .collect();
        // Who can reach each `[[bucket]]` and `[[key]]`, what each `[[principal]]` reaches.
        lenses.extend(access);
        Ok(Some(lenses))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let st = lock(&self.state);
        let key = st.key(&params.text_document.uri);
        let symbols = crate::lsp_nav::document_symbols(&st.workspace, st.encoding(), &key);
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let st = lock(&self.state);
        let pos = params.text_document_position_params;
        let key = st.key(&pos.text_document.uri);
        let uri = |k: &str| st.uri(k);
        let found =
            crate::lsp_nav::definition(&st.workspace, st.encoding(), &key, pos.position, &uri);
        Ok((!found.is_empty()).then_some(GotoDefinitionResponse::Array(found)))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let st = lock(&self.state);
        let pos = params.text_document_position;
        let key = st.key(&pos.text_document.uri);
        let uri = |k: &str| st.uri(k);
        let found = crate::lsp_nav::references(
            &st.workspace,
            st.encoding(),
            &key,
            pos.position,
            params.context.include_declaration,
            &uri,
        );
        Ok((!found.is_empty()).then_some(found))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let st = lock(&self.state);
        let uri = |k: &str| st.uri(k);
        let found =
            crate::lsp_nav::workspace_symbols(&st.workspace, st.encoding(), &params.query, &uri);
        Ok(Some(WorkspaceSymbolResponse::Nested(found)))
    }

    /// A who-can lens the client shows: its title, from the simulation (cached).
    async fn code_lens_resolve(&self, mut lens: CodeLens) -> Result<CodeLens> {
        if lens.command.is_some() {
            return Ok(lens);
        }
        let Some(subject) = crate::lsp_nav::lens_subject(lens.data.as_ref()) else {
            return Ok(lens);
        };
        let mut st = lock(&self.state);
        let st = &mut *st;
        let title = lens_title(&st.workspace, st.generation, &mut st.lens_titles, &subject);
        lens.command = Some(crate::lsp_nav::command(title, &subject));
        Ok(lens)
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let st = lock(&self.state);
        let pos = params.text_document_position;
        let key = st.key(&pos.text_document.uri);
        let Some(text) = st.workspace.text(&key) else {
            return Ok(None);
        };
        let index = LineIndex::new(text);
        let enc = st.encoding();
        let offset = index.offset(text, pos.position.line, pos.position.character, enc);
        let items = latch_ide::ide::completion(&st.workspace, &key, offset);
        if items.is_empty() {
            return Ok(None);
        }
        let snippets = true;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(rank, item)| {
                let range = to_range(text, &index, item.range, enc);
                let (new_text, format) = match (&item.snippet, snippets) {
                    (Some(s), true) => (s.clone(), InsertTextFormat::SNIPPET),
                    _ => (item.insert_text.clone(), InsertTextFormat::PLAIN_TEXT),
                };
                CompletionItem {
                    label: item.label,
                    kind: Some(completion_kind(item.kind)),
                    detail: item.detail,
                    documentation: item.documentation.map(|d| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: d,
                        })
                    }),
                    sort_text: Some(format!("{rank:05}")),
                    filter_text: Some(item.insert_text.trim_matches('"').to_string()),
                    insert_text_format: Some(format),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
                    ..CompletionItem::default()
                }
            })
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        })))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let (st, analysis) = self.fresh_analysis().await;
        let key = st.key(&params.text_document.uri);
        let Some(text) = st.workspace.text(&key) else {
            return Ok(None);
        };
        let index = LineIndex::new(text);
        let enc = st.encoding();
        let start = index.offset(
            text,
            params.range.start.line,
            params.range.start.character,
            enc,
        );
        let end = index.offset(text, params.range.end.line, params.range.end.character, enc);
        let mut actions = Vec::new();
        for f in analysis.findings.get(key.as_str()).into_iter().flatten() {
            if f.range.end < start || f.range.start > end {
                continue;
            }
            let diag = diagnostic(&st, f);
            let preferred = f.fixes.iter().position(|x| x.safe);
            // "Ignore this finding": a `latch:ignore` comment or a `[[check.allow]]` entry,
            // offered after the repairs and never preferred.
            let ignore = latch_ide::suppress::ignore_fix(&st.workspace, f);
            for (i, fix) in f.fixes.iter().chain(ignore.as_ref()).enumerate() {
                let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
                // Files the edit creates (a first `latch.toml`).
                let mut created: Vec<Uri> = Vec::new();
                for e in &fix.edits {
                    let ekey = e.path.as_deref().unwrap_or(&f.path);
                    let Some(uri) = st.uri(ekey) else { continue };
                    let etext = match st.workspace.text(ekey) {
                        Some(t) => t,
                        None => {
                            if !created.contains(&uri) {
                                created.push(uri.clone());
                            }
                            ""
                        }
                    };
                    let range = to_range(etext, &LineIndex::new(etext), e.range, enc);
                    changes.entry(uri).or_default().push(TextEdit {
                        range,
                        new_text: e.new_text.clone(),
                    });
                }
                if !created.is_empty() && st.root.is_none() {
                    // Without a workspace folder there is no place for a new file.
                    continue;
                }
                let edit = if created.is_empty() {
                    WorkspaceEdit {
                        changes: Some(changes),
                        ..WorkspaceEdit::default()
                    }
                } else {
                    let mut ops: Vec<DocumentChangeOperation> = created
                        .into_iter()
                        .map(|uri| {
                            DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                                uri,
                                options: Some(CreateFileOptions {
                                    overwrite: Some(false),
                                    ignore_if_exists: Some(true),
                                }),
                                annotation_id: None,
                            }))
                        })
                        .collect();
                    for (uri, edits) in changes {
                        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                            text_document: OptionalVersionedTextDocumentIdentifier {
                                uri,
                                version: None,
                            },
                            edits: edits.into_iter().map(OneOf::Left).collect(),
                        }));
                    }
                    WorkspaceEdit {
                        document_changes: Some(DocumentChanges::Operations(ops)),
                        ..WorkspaceEdit::default()
                    }
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(edit),
                    is_preferred: Some(preferred == Some(i)),
                    ..CodeAction::default()
                }));
            }
        }
        Ok((!actions.is_empty()).then_some(actions))
    }
}

/// The title of the who-can lens on `subject`, computed once per generation.
fn lens_title(
    ws: &Workspace,
    generation: u64,
    cache: &mut HashMap<String, (u64, String)>,
    subject: &str,
) -> String {
    if let Some((g, t)) = cache.get(subject) {
        if *g == generation {
            return t.clone();
        }
    }
    let title = latch_ide::who_lens::lens_title(ws, subject);
    cache.retain(|_, (g, _)| *g == generation);
    cache.insert(subject.to_string(), (generation, title.clone()));
    title
}

fn completion_kind(kind: latch_ide::completion::CompletionKind) -> CompletionItemKind {
    use latch_ide::completion::CompletionKind as K;
    match kind {
        K::Property => CompletionItemKind::PROPERTY,
        K::Value => CompletionItemKind::VALUE,
        K::Service => CompletionItemKind::MODULE,
        K::Action | K::Wildcard => CompletionItemKind::FUNCTION,
        K::ResourceArn => CompletionItemKind::REFERENCE,
        K::Principal => CompletionItemKind::CONSTANT,
        K::Operator => CompletionItemKind::OPERATOR,
        K::ConditionKey => CompletionItemKind::FIELD,
    }
}

/// The service, for the stdio server and for in-process tests.
pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::new(Backend::new)
}

/// Runs the server on stdin/stdout; logs go to stderr.
pub fn run_stdio() -> std::process::ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LATCH_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .try_init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let shut_down = runtime.block_on(async {
        let (service, socket) = service();
        let state = service.inner().state.clone();
        Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
            .serve(service)
            .await;
        lock(&state).shutting_down
    });
    lsp_extras::finish(runtime, shut_down)
}

#[cfg(test)]
mod tests {
    use super::TextChange;
    use latch_syntax::Span;

    #[test]
    fn a_change_is_the_text_between_common_prefix_and_suffix_on_char_boundaries() {
        let c = TextChange::between("ab読c", "ab読xc").expect("a change");
        assert_eq!((c.start, c.old_end, c.new_len), (5, 5, 1));
        // `読` (e8 aa ad) and `語` (e8 aa 9e) share two bytes: the change takes the whole
        // character.
        let c = TextChange::between("a読b", "a語b").expect("a change");
        assert_eq!((c.start, c.old_end, c.new_len), (1, 4, 3));
        assert_eq!(TextChange::between("same", "same"), None);
        let c = TextChange::between("aaa", "aaaa").expect("a change");
        assert_eq!(c.old_end - c.start + 1, c.new_len);
    }

    #[test]
    fn ranges_before_stay_after_move_and_across_stretch() {
        // "0123456789" -> "012XYZ6789": 3..6 became 3 bytes, then 3..6 became 5.
        let c = TextChange {
            start: 3,
            old_end: 6,
            new_len: 5,
        };
        assert_eq!(c.shift(Span::new(0, 3)), Span::new(0, 3));
        assert_eq!(c.shift(Span::new(6, 8)), Span::new(8, 10));
        assert_eq!(c.shift(Span::new(1, 4)), Span::new(1, 8));
        assert_eq!(c.shift(Span::new(4, 9)), Span::new(3, 11));
        assert!(c.touches(Span::new(4, 4)));
        assert!(!c.touches(Span::new(6, 7)));
        assert!(!c.touches(Span::new(0, 3)));
    }
}
