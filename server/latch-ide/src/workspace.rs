//! The workspace: every file of a folder, each with a summary cached by content, and the
//! analysis over all of them. The CLI and the LSP both go through [`Workspace`], so they
//! can never disagree.
//!
//! Phase one ([`FileSummary`]) reads one file on its own: which kind of file it is, its
//! syntax findings and the policies it holds. Phase two ([`Workspace::analyze`]) decides
//! each policy's kind (from `latch.toml` when it says, else from the content), validates
//! each policy, and runs the cross-file checks.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use latch_syntax::json::Value;
use latch_syntax::manifest::{Manifest, PolicyRole};
use latch_syntax::policy::{Policy, PolicyKind, policy_from_value};
use latch_syntax::terraform::{self, Module, ProviderAccounts};
use latch_syntax::{Finding, Severity, Span};

use crate::checks::policy::{PolicyCtx, infer_kind, run_all};
use crate::wrapped::{Embedding, Unwrapped, Wrapping, fit_fixes, unwrap};

/// Files larger than this are not read: no policy comes close (the largest AWS accepts is
/// a 32 KB key policy), and a generated or binary file should not stall the editor.
pub const MAX_FILE_SIZE: usize = 4 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A JSON file that holds a policy document.
    JsonPolicy,
    /// A JSON file that is not a policy (e.g. `package.json`); ignored.
    OtherJson,
    Terraform,
    TerraformJson,
    /// `terraform show -json` output.
    TerraformPlan,
    Manifest,
    /// A Terraform template (`.tpl`, `.json.tpl`): read through the `templatefile()` call
    /// that renders it, never on its own.
    Template,
    /// A file Latch does not read, or could not read (too large, not UTF-8).
    Unread,
}

/// How a policy's kind was decided, for hovers ("inferred: it names a principal").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindSource {
    Inferred,
    Manifest,
    Terraform,
    /// The AWS command output that holds it says (`aws kms get-key-policy`).
    Wrapper,
}

/// One policy document found in a file.
#[derive(Clone, Debug)]
pub struct PolicyDoc {
    /// The JSON tree; spans are byte offsets into the file's text.
    pub tree: Value,
    pub policy: Policy,
    pub kind: PolicyKind,
    pub kind_source: KindSource,
    /// The single-document findings for `kind`, computed once per content.
    pub validation: Vec<Finding>,
    /// Where the policy's text sits inside a string of the file (a wrapped document).
    pub embedding: Option<Embedding>,
    /// `tree` and `policy` were dropped to save memory (see [`Workspace::set_file_lean`]).
    lean: bool,
}

impl PolicyDoc {
    /// Builds the document and validates it as a policy of `kind`.
    pub fn new(
        text: &str,
        tree: Value,
        policy: Policy,
        kind: PolicyKind,
        kind_source: KindSource,
        embedding: Option<Embedding>,
    ) -> PolicyDoc {
        PolicyDoc::build(text, tree, policy, kind, kind_source, embedding, true)
    }

    /// [`PolicyDoc::new`], or with no validation at all when `validate` is false (a lean
    /// file's trees read again: its validation is cached already).
    fn build(
        text: &str,
        tree: Value,
        policy: Policy,
        kind: PolicyKind,
        kind_source: KindSource,
        embedding: Option<Embedding>,
        validate: bool,
    ) -> PolicyDoc {
        let mut validation = Vec::new();
        if validate {
            run_all(
                &PolicyCtx::new(text, &tree, &policy, kind)
                    .inferred(kind_source == KindSource::Inferred),
                &mut validation,
            );
            if let Some(e) = &embedding {
                fit_fixes(text, e, &mut validation);
            }
        }
        PolicyDoc {
            tree,
            policy,
            kind,
            kind_source,
            validation,
            embedding,
            lean: false,
        }
    }

    /// The single-document findings for `kind` (`inferred` when no manifest or resource
    /// states it): cached when it is the kind the document was summarised with.
    pub fn validate_as(
        &self,
        text: &str,
        kind: PolicyKind,
        inferred: bool,
    ) -> std::borrow::Cow<'_, [Finding]> {
        if kind == self.kind && inferred == (self.kind_source == KindSource::Inferred) {
            return std::borrow::Cow::Borrowed(&self.validation);
        }
        if kind == self.kind && !self.lean {
            // The same kind, now stated (or no longer): only the size quota depends on
            // that, so the other checks' findings stand.
            let code = crate::checks::policy::size_limit::DOC.code;
            let mut out: Vec<Finding> = self
                .validation
                .iter()
                .filter(|f| f.code != code)
                .cloned()
                .collect();
            crate::checks::policy::size_limit::check(
                &PolicyCtx::new(text, &self.tree, &self.policy, kind).inferred(inferred),
                &mut out,
            );
            return std::borrow::Cow::Owned(out);
        }
        let mut out = Vec::new();
        run_all(
            &PolicyCtx::new(text, &self.tree, &self.policy, kind).inferred(inferred),
            &mut out,
        );
        if let Some(e) = &self.embedding {
            fit_fixes(text, e, &mut out);
        }
        std::borrow::Cow::Owned(out)
    }
}

/// A policy as the editor features see it.
#[derive(Clone, Debug)]
pub struct PolicyView {
    pub tree: Value,
    pub policy: Policy,
    pub kind: PolicyKind,
    pub source: KindSource,
    /// The Terraform attribute that holds it (`aws_s3_bucket_policy.b.policy`).
    pub owner: Option<String>,
}

/// What one file says on its own.
#[derive(Clone, Debug)]
pub struct FileSummary {
    pub kind: FileKind,
    /// Syntax and shape findings of the file itself.
    pub findings: Vec<Finding>,
    pub policies: Vec<PolicyDoc>,
    /// The parsed `latch.toml`, for a manifest.
    pub manifest: Option<Manifest>,
}

impl FileSummary {
    fn unread(findings: Vec<Finding>) -> FileSummary {
        FileSummary {
            kind: FileKind::Unread,
            findings,
            policies: Vec::new(),
            manifest: None,
        }
    }

    /// Whether the policies' trees were dropped ([`Workspace::set_file_lean`]).
    fn is_lean(&self) -> bool {
        self.policies.iter().any(|d| d.lean)
    }

    /// Keeps what the analysis reads of every file (kinds, findings, the cached
    /// validation) and drops the policies' trees and models; [`Workspace::summary`]
    /// reads them again from the text when something asks.
    fn into_lean(mut self) -> FileSummary {
        for d in &mut self.policies {
            d.tree = Value::new(latch_syntax::json::ValueKind::Missing, d.tree.span);
            d.policy = Policy::default();
            d.lean = true;
        }
        self
    }
}

/// Whether a JSON tree (or, when it is too broken to tell, its text) is a policy document.
fn looks_like_policy(tree: Option<&Value>) -> bool {
    // A policy is an object with `Statement` or a policy `Version`. Broken text still
    // parses into an object here (the parser recovers), so no text heuristics are needed;
    // arrays (test corpora, lists of policies) and other JSON are not policies.
    tree.and_then(Value::as_object).is_some_and(|obj| {
        obj.iter().any(|m| {
            m.key == "Statement"
                || (m.key == "Version" && m.value.as_str().is_some_and(|v| v.ends_with("-10-17")))
        })
    })
}

/// Whether a JSON tree is `terraform show -json` output.
fn looks_like_plan(tree: Option<&Value>) -> bool {
    tree.and_then(Value::as_object).is_some_and(|o| {
        o.iter().any(|m| m.key == "planned_values") && o.iter().any(|m| m.key == "format_version")
    })
}

/// The file's kind from its name.
pub fn kind_from_path(path: &str) -> Option<FileKind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "latch.toml" {
        Some(FileKind::Manifest)
    } else if name.ends_with(".tf.json") {
        Some(FileKind::TerraformJson)
    } else if name.ends_with(".tf") || terraform::syntax::is_tfvars(name) {
        // `terraform.tfvars` and `*.auto.tfvars` set the module's inputs.
        Some(FileKind::Terraform)
    } else if name.ends_with(".json") {
        Some(FileKind::JsonPolicy)
    } else if name.ends_with(".tpl") {
        Some(FileKind::Template)
    } else {
        None
    }
}

/// Phase one: summarise one file from its bytes.
pub fn summarize(path: &str, bytes: &[u8]) -> FileSummary {
    if bytes.len() > MAX_FILE_SIZE {
        return FileSummary::unread(vec![Finding::warning(
            "syntax/file-too-large",
            Span::empty(0),
            format!(
                "this file is {} bytes; files over {} bytes are not analysed",
                bytes.len(),
                MAX_FILE_SIZE
            ),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(bytes.len() - at);
            return FileSummary::unread(vec![Finding::error(
                "syntax/invalid-utf8",
                Span::new(at, at + len),
                format!(
                    "this file is not valid UTF-8 (invalid byte at offset {at}); policies must be UTF-8 text"
                ),
            )]);
        }
    };
    summarize_text(path, text)
}

/// A JSON text read as a policy of `kind`, whatever it looks like.
fn summarize_policy(text: &str, kind: PolicyKind, source: KindSource) -> FileSummary {
    let parsed = latch_syntax::json::parse(text);
    let mut findings = parsed.findings;
    let mut policies = Vec::new();
    if let Some(tree) = parsed.value {
        let (policy, mut f) = policy_from_value(&tree);
        findings.append(&mut f);
        policies.push(PolicyDoc::new(text, tree, policy, kind, source, None));
    }
    FileSummary {
        kind: FileKind::JsonPolicy,
        findings,
        policies,
        manifest: None,
    }
}

/// A JSON document that is not a policy itself: the policy an AWS command's output holds
/// ([`crate::wrapped`]), a finding when that policy cannot be read, else not a policy.
fn summarize_wrapped(
    text: &str,
    parsed: latch_syntax::json::ParsedJson,
    validate: bool,
) -> FileSummary {
    let mut summary = FileSummary {
        kind: FileKind::JsonPolicy,
        findings: parsed.findings,
        policies: Vec::new(),
        manifest: None,
    };
    let wrapping = match &parsed.value {
        Some(root) => unwrap(text, root),
        None => Wrapping::None,
    };
    match wrapping {
        Wrapping::None => {
            summary.kind = FileKind::OtherJson;
            summary.findings.clear();
        }
        Wrapping::Unreadable(f) => summary.findings.push(*f),
        Wrapping::Policy(u) => {
            let Unwrapped {
                tree,
                kind,
                embedding,
                mut findings,
            } = *u;
            summary.findings.append(&mut findings);
            let (policy, mut shape) = policy_from_value(&tree);
            summary.findings.append(&mut shape);
            let (kind, source) = match kind {
                Some(k) => (k, KindSource::Wrapper),
                None => (infer_kind(&policy), KindSource::Inferred),
            };
            summary.policies.push(PolicyDoc::build(
                text, tree, policy, kind, source, embedding, validate,
            ));
        }
    }
    summary
}

/// Phase one on text.
pub fn summarize_text(path: &str, text: &str) -> FileSummary {
    summarize_text_as(path, text, true)
}

/// [`summarize_text`]; with `validate` false, the policies' single-document checks are not
/// run (their findings are left empty).
fn summarize_text_as(path: &str, text: &str, validate: bool) -> FileSummary {
    match kind_from_path(path) {
        Some(FileKind::JsonPolicy) => {
            let parsed = latch_syntax::json::parse(text);
            if looks_like_plan(parsed.value.as_ref()) {
                return FileSummary {
                    kind: FileKind::TerraformPlan,
                    findings: Vec::new(),
                    policies: Vec::new(),
                    manifest: None,
                };
            }
            if !looks_like_policy(parsed.value.as_ref()) {
                return summarize_wrapped(text, parsed, validate);
            }
            let mut findings = parsed.findings;
            let mut policies = Vec::new();
            if let Some(tree) = parsed.value {
                let (policy, mut f) = policy_from_value(&tree);
                findings.append(&mut f);
                let kind = infer_kind(&policy);
                policies.push(PolicyDoc::build(
                    text,
                    tree,
                    policy,
                    kind,
                    KindSource::Inferred,
                    None,
                    validate,
                ));
            }
            FileSummary {
                kind: FileKind::JsonPolicy,
                findings,
                policies,
                manifest: None,
            }
        }
        Some(FileKind::Manifest) => {
            let parsed = latch_syntax::manifest::parse_manifest(text);
            FileSummary {
                kind: FileKind::Manifest,
                findings: parsed.findings,
                policies: Vec::new(),
                manifest: Some(parsed.manifest),
            }
        }
        Some(kind @ (FileKind::Terraform | FileKind::TerraformJson)) => FileSummary {
            kind,
            findings: Vec::new(),
            policies: Vec::new(),
            manifest: None,
        },
        Some(FileKind::Template) => FileSummary {
            kind: FileKind::Template,
            findings: Vec::new(),
            policies: Vec::new(),
            manifest: None,
        },
        _ => FileSummary {
            kind: FileKind::Unread,
            findings: Vec::new(),
            policies: Vec::new(),
            manifest: None,
        },
    }
}

/// A Terraform folder to analyse: its key, its files, the accounts of its providers.
type Folder<'a> = (
    &'a String,
    &'a Vec<(&'a Arc<str>, &'a SourceFile)>,
    ProviderAccounts,
);

#[derive(Clone)]
struct SourceFile {
    text: Arc<str>,
    summary: Arc<FileSummary>,
    /// Changes whenever the content does: module caches compare revisions.
    revision: u64,
}

/// A Terraform module folder (or a plan) analysed once per content: the module and the
/// findings of validating its policies.
#[derive(Debug)]
pub struct ModuleAnalysis {
    /// The folder (or, for a plan, the plan file's path).
    pub key: String,
    /// The model the cross-file index reads. While a file of the folder has a block that
    /// does not parse, it is built from that file's last text that parsed (so a
    /// half-typed block does not make its bucket or role vanish from the other files'
    /// analysis), and the file is listed in `stale`.
    pub module: Module,
    /// Findings of the current texts: syntax, and validation of the policies that parse.
    pub findings: Vec<Finding>,
    /// Files whose last good text stands in for them in `module`: spans of `module` in
    /// these files do not match their current text.
    pub stale: Vec<Arc<str>>,
    /// For an instance of a local module (`crate::modules`), the call that makes it.
    pub call: Option<ModuleCall>,
}

/// A `module "name" { source = "./child" }` call that an analysis is an instance of.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    pub name: String,
    /// The module's folder.
    pub child: String,
    /// The calling folder.
    pub caller: String,
    /// The `module` block: its file and span.
    pub site: (Arc<str>, latch_syntax::span::Span),
}

impl ModuleAnalysis {
    /// Whether `path` is one of the files whose last good text stands in for it.
    pub fn is_stale(&self, path: &str) -> bool {
        self.stale.iter().any(|p| &**p == path)
    }
}

pub(crate) type ModuleCache = HashMap<String, (Vec<u64>, ProviderAccounts, Arc<ModuleAnalysis>)>;

/// Joins a manifest-relative path to the manifest's folder, resolving `.` and `..`.
pub fn join_path(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Whether a manifest policy reference names a file (rather than a Terraform address).
pub fn is_file_reference(r: &str) -> bool {
    r.ends_with(".json") || r.ends_with(".tpl") || r.contains('/')
}

/// The policy kind a manifest role gives.
pub fn role_kind(role: PolicyRole) -> PolicyKind {
    match role {
        PolicyRole::Identity => PolicyKind::Identity,
        PolicyRole::Boundary => PolicyKind::Boundary,
        PolicyRole::Session => PolicyKind::Session,
        PolicyRole::Bucket => PolicyKind::Resource,
        PolicyRole::Key => PolicyKind::KeyPolicy,
        PolicyRole::VpcEndpoint => PolicyKind::VpcEndpoint,
        PolicyRole::Scp => PolicyKind::Scp,
        PolicyRole::Rcp => PolicyKind::Rcp,
    }
}

/// All files of a workspace. Paths are workspace-relative with `/` separators.
/// Cloning is cheap (texts and summaries are shared) and the clones share the caches, so
/// the language server can analyse a snapshot outside its lock while edits go on.
#[derive(Default, Clone)]
pub struct Workspace {
    files: BTreeMap<Arc<str>, SourceFile>,
    /// The files that hold a parsed `latch.toml`: asked for per module folder and per
    /// finding, so not found by a walk over every file.
    manifest_paths: std::collections::BTreeSet<Arc<str>>,
    next_revision: u64,
    /// A new [`stamp`] when a file other than a JSON policy changes (Terraform, a plan, a
    /// manifest, a template): [`Workspace::modules`] is the same while it is.
    terraform_revision: u64,
    /// A new [`stamp`] when a file is removed.
    removals: u64,
    /// What is recomputed only when its inputs change (shared by clones, keyed by the
    /// counters above).
    memo: Arc<Mutex<Memo>>,
    modules: Arc<Mutex<ModuleCache>>,
    /// The last text of each Terraform file in which every block parsed.
    last_good: Arc<Mutex<HashMap<Arc<str>, Arc<str>>>>,
    manifests: Arc<Mutex<ManifestCache>>,
    /// What the workspace simulation keeps between analyses.
    pub(crate) access: Arc<crate::access::Cache>,
    /// The validation of files whose kind another document states (`latch.toml`, a
    /// Terraform `file()`), per path: the revision and kind it was computed for. Without
    /// it every analysis would read those files' trees again and re-run their checks.
    revalidated: Arc<Mutex<RevalidationCache>>,
    /// Per sub-workspace root: what its findings were computed from, and the findings
    /// before suppression ([`Workspace::analyze`]).
    root_results: Arc<Mutex<HashMap<String, RootResult>>>,
    /// Whether Terraform folder analyses drop their syntax trees once analysed
    /// ([`Workspace::drop_terraform_syntax`]).
    drop_syntax: bool,
}

type DeclaredKinds = HashMap<String, PolicyKind>;

#[derive(Default)]
struct Memo {
    /// The removal count at which the revalidation cache last dropped removed files.
    revalidated_at: Option<u64>,
    modules: Option<(u64, Vec<Arc<ModuleAnalysis>>)>,
    declared: Option<(Vec<u64>, Arc<DeclaredKinds>)>,
}

/// A number never given out before in this process: clones of one workspace that change
/// apart never share a stamp, so the memo they share never mixes them up.
fn stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Whether a file of this kind can change what [`Workspace::modules`] gives.
fn feeds_modules(kind: FileKind) -> bool {
    !matches!(
        kind,
        FileKind::JsonPolicy | FileKind::OtherJson | FileKind::Unread
    )
}

/// What one sub-workspace's findings depend on. Two analyses with equal inputs give equal
/// findings for the root, so the second reuses the first's.
#[derive(PartialEq)]
struct RootInputs {
    /// Every root of the workspace (a new `latch.toml` moves files between roots).
    roots: Vec<String>,
    /// The revisions of the root's files, in path order (revisions are never reused, so a
    /// file added, removed or changed changes this list).
    files: Vec<u64>,
    /// Every manifest's revision: a manifest states kinds and provider accounts that
    /// other roots read.
    manifests: Vec<u64>,
    /// The root's module analyses and every module instance, by identity.
    modules: Vec<ByPtr<ModuleAnalysis>>,
    /// Files outside the root that it reads (policies its manifest or its Terraform
    /// `file()` calls name): path and revision.
    outside: Vec<(String, Option<u64>)>,
    /// Kinds the Terraform owners give the root's files, and which are templates.
    owners: Vec<(String, Option<PolicyKind>, bool)>,
    /// Files whose last good text stands in for them, and the stand-in accounts: few,
    /// and read by every root's simulation.
    stale: Vec<Arc<str>>,
    stand_ins: Vec<(String, String)>,
}

/// An `Arc` compared by identity; holding it keeps the address from being reused.
struct ByPtr<T>(Arc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

struct RootResult {
    inputs: RootInputs,
    findings: BTreeMap<Arc<str>, Vec<Finding>>,
}

/// The position of the deepest root that holds `path` (the workspace root, first, holds
/// every path).
fn root_index(roots: &[String], path: &str) -> usize {
    crate::access::index::root_index(roots, path).unwrap_or(0)
}

/// What the Terraform code says of other files: the kind a `file()` owner gives a JSON
/// file, and the files `templatefile()` renders (checked through that call only).
struct Owners<'a> {
    kinds: HashMap<&'a str, PolicyKind>,
    rendered: Vec<&'a str>,
}

impl<'a> Owners<'a> {
    fn of(modules: &'a [Arc<ModuleAnalysis>]) -> Owners<'a> {
        let mut kinds = HashMap::new();
        let mut rendered = Vec::new();
        for m in modules {
            for p in &m.module.policies {
                if let terraform::PolicySource::File {
                    path,
                    vars: Some(_),
                    ..
                } = &p.source
                {
                    rendered.push(path.as_str());
                }
                if let (terraform::PolicySource::File { path, .. }, Some(kind)) =
                    (&p.source, p.kind)
                {
                    kinds.insert(path.as_str(), kind);
                }
            }
        }
        Owners { kinds, rendered }
    }
}

/// Whether findings of `code` rest on other documents (the simulation, the manifest's
/// references, suppressions): what [`Workspace::file_analysis`] takes from the last
/// whole analysis instead of computing.
pub fn is_cross_document(code: &str) -> bool {
    ["access/", "cloudfront/", "s3/", "latch/"]
        .iter()
        .any(|p| code.starts_with(p))
        || code == "manifest/missing-policy"
}

/// The root a module analysis belongs to (as `access::index::build` assigns them).
fn module_root(roots: &[String], m: &ModuleAnalysis) -> usize {
    crate::access::index::module_root_index(roots, m).unwrap_or(0)
}

type RevalidationCache = HashMap<Arc<str>, (u64, PolicyKind, Vec<Finding>)>;

type ManifestCache = HashMap<String, (u64, Arc<latch_syntax::manifest::ParsedManifest>)>;

/// What a set of files gave: files read, policies found in them, files skipped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadCounts {
    /// Files read (a policy, a Terraform file, a plan, a manifest, or a wrapper that is
    /// reported): everything not skipped.
    pub files: usize,
    /// Policy documents checked: JSON policies (wrapped ones included) and the policies
    /// written in Terraform files (one per text, however many resources use it).
    pub policies: usize,
    /// Files that hold no policy (other JSON) or could not be read (too large, not UTF-8).
    pub skipped: usize,
}

/// The result of analysing a workspace: findings per file, sorted by position.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub findings: BTreeMap<Arc<str>, Vec<Finding>>,
}

impl Analysis {
    pub fn all(&self) -> impl Iterator<Item = &Finding> {
        self.findings.values().flatten()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.all().filter(|f| f.severity == severity).count()
    }
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// For a one-shot analysis (`latch check`): Terraform folders keep only what the
    /// simulation reads (resources, policies, findings, provider regions), not their
    /// syntax trees, which are the larger part of a module. Navigation, which walks the
    /// blocks, then finds none; folders with `module` calls keep their trees, which the
    /// calls' analyses read.
    pub fn drop_terraform_syntax(&mut self) {
        self.drop_syntax = true;
    }

    /// Adds or replaces a file. Its summary is recomputed only when its bytes changed.
    pub fn set_file(&mut self, path: &str, bytes: &[u8]) {
        self.set_file_as(path, bytes, false);
    }

    /// Adds or replaces a file that no editor has open: its findings and the cached
    /// validation of its policies are kept, their trees are not (a whole folder of
    /// policies would otherwise stay in memory as trees). [`Workspace::summary`] reads the
    /// trees again from the text when a feature asks for them.
    pub fn set_file_lean(&mut self, path: &str, bytes: &[u8]) {
        self.set_file_as(path, bytes, true);
    }

    /// [`Workspace::set_file_lean`] for many files at once, summarised on every core (a
    /// folder read from disk). Same result as adding them one by one, in order.
    pub fn set_files_lean(&mut self, files: &[(String, Vec<u8>)]) {
        let changed: Vec<&(String, Vec<u8>)> = files
            .iter()
            .filter(|(path, bytes)| !self.unchanged(path, bytes, true))
            .collect();
        let summaries = parallel_map(&changed, |(path, bytes)| summarize(path, bytes).into_lean());
        for ((path, bytes), summary) in changed.into_iter().zip(summaries) {
            self.insert_summary(path, bytes, Arc::new(summary));
        }
    }

    /// Whether `path` already holds `bytes`, kept the same way (lean or not).
    fn unchanged(&self, path: &str, bytes: &[u8], lean: bool) -> bool {
        self.files
            .get(path)
            .is_some_and(|f| f.text.as_bytes() == bytes && f.summary.is_lean() == lean)
    }

    fn set_file_as(&mut self, path: &str, bytes: &[u8], lean: bool) {
        if self.unchanged(path, bytes, lean) {
            return;
        }
        let summary = summarize(path, bytes);
        let summary = Arc::new(if lean { summary.into_lean() } else { summary });
        self.insert_summary(path, bytes, summary);
    }

    fn insert_summary(&mut self, path: &str, bytes: &[u8], summary: Arc<FileSummary>) {
        let text: Arc<str> = match std::str::from_utf8(bytes) {
            Ok(t) if bytes.len() <= MAX_FILE_SIZE => Arc::from(t),
            _ => Arc::from(""),
        };
        self.next_revision += 1;
        let revision = self.next_revision;
        let old_kind = self.files.get(path).map(|f| f.summary.kind);
        if feeds_modules(summary.kind) || old_kind.is_some_and(feeds_modules) {
            self.terraform_revision = stamp();
        }
        if summary.manifest.is_some() {
            self.manifest_paths.insert(Arc::from(path));
        } else {
            self.manifest_paths.remove(path);
        }
        self.files.insert(
            Arc::from(path),
            SourceFile {
                text,
                summary,
                revision,
            },
        );
    }

    /// Every `latch.toml` of the workspace: the folder it governs, its path, and the model.
    pub fn manifests(&self) -> Vec<(&str, &Arc<str>, &Manifest)> {
        self.manifest_paths
            .iter()
            .filter_map(|p| self.files.get_key_value(p))
            .filter_map(|(path, f)| {
                let m = f.summary.manifest.as_ref()?;
                Some((path.rsplit_once('/').map_or("", |(d, _)| d), path, m))
            })
            .collect()
    }

    /// The manifest that governs `path`: the one in its nearest enclosing folder.
    pub fn manifest_for(&self, path: &str) -> Option<(&str, &Arc<str>, &Manifest)> {
        self.manifests()
            .into_iter()
            .filter(|(dir, _, _)| {
                dir.is_empty() || path == *dir || path.starts_with(&format!("{dir}/"))
            })
            .max_by_key(|(dir, _, _)| dir.len())
    }

    /// The Terraform provider accounts that govern module folder `dir`.
    pub fn providers_for(&self, dir: &str) -> ProviderAccounts {
        let Some((_, _, m)) = self.manifest_for(dir) else {
            return ProviderAccounts::default();
        };
        let pairs: Vec<(String, String)> = m
            .providers
            .iter()
            .filter_map(|p| Some((p.provider.value.clone(), p.account_id.clone()?)))
            .collect();
        ProviderAccounts::new(pairs)
    }

    /// The kind `latch.toml` gives each policy file it names (workspace paths).
    pub fn declared_kinds(&self) -> HashMap<String, PolicyKind> {
        (*self.declared()).clone()
    }

    /// [`Workspace::declared_kinds`], computed once per manifests' content.
    fn declared(&self) -> Arc<HashMap<String, PolicyKind>> {
        let revs = self.manifest_revisions();
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((r, d)) = &memo.declared {
            if *r == revs {
                return d.clone();
            }
        }
        let d = Arc::new(self.compute_declared_kinds());
        memo.declared = Some((revs, d.clone()));
        d
    }

    /// The revision of every `latch.toml`, in path order.
    fn manifest_revisions(&self) -> Vec<u64> {
        self.manifest_paths
            .iter()
            .filter_map(|p| self.revision(p))
            .collect()
    }

    fn compute_declared_kinds(&self) -> HashMap<String, PolicyKind> {
        let mut out = HashMap::new();
        for (dir, _, m) in self.manifests() {
            for (role, r) in m.policy_refs() {
                if is_file_reference(&r.value) {
                    out.insert(join_path(dir, &r.value), role_kind(role));
                }
            }
        }
        out
    }

    /// Every policy held in `path`, with the kind it is analysed as and where that kind
    /// comes from: JSON policy files and policies embedded in Terraform files.
    pub fn policies_in(&self, path: &str) -> Vec<PolicyView> {
        let mut out = Vec::new();
        if let Some(summary) = self.summary(path) {
            let declared = self.declared().get(path).copied();
            for doc in &summary.policies {
                let (kind, source) = match declared {
                    Some(k) => (k, KindSource::Manifest),
                    None => (doc.kind, doc.kind_source),
                };
                out.push(PolicyView {
                    tree: doc.tree.clone(),
                    policy: doc.policy.clone(),
                    kind,
                    source,
                    owner: None,
                });
            }
        }
        for m in self.modules() {
            for p in &m.module.policies {
                let Some(inline) = p.inline() else { continue };
                if &*inline.path == path && !m.is_stale(path) {
                    out.push(PolicyView {
                        tree: inline.tree.clone(),
                        policy: inline.policy.clone(),
                        kind: p.kind.unwrap_or_else(|| infer_kind(&inline.policy)),
                        source: KindSource::Terraform,
                        owner: Some(p.address()),
                    });
                }
            }
        }
        out
    }

    /// Findings about the manifests' references: a named file that does not exist.
    fn manifest_reference_findings(&self, wanted: impl Fn(&str) -> bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for (dir, path, m) in self.manifests() {
            if !wanted(path) {
                continue;
            }
            for (_, r) in m.policy_refs() {
                if is_file_reference(&r.value)
                    && !self.files.contains_key(join_path(dir, &r.value).as_str())
                {
                    let mut f = Finding::error(
                        "manifest/missing-policy",
                        r.span,
                        format!("`{}` does not exist in this workspace", r.value),
                    );
                    f.path = path.clone();
                    out.push(f);
                }
            }
        }
        out
    }

    fn lock_modules(&self) -> std::sync::MutexGuard<'_, ModuleCache> {
        self.modules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every Terraform module folder and plan of the workspace, analysed (cached while
    /// none of its files changes).
    pub fn modules(&self) -> Vec<Arc<ModuleAnalysis>> {
        if let Some((rev, m)) = &self.memo.lock().unwrap_or_else(|e| e.into_inner()).modules {
            if *rev == self.terraform_revision {
                return m.clone();
            }
        }
        let m = self.compute_modules();
        self.memo.lock().unwrap_or_else(|e| e.into_inner()).modules =
            Some((self.terraform_revision, m.clone()));
        m
    }

    fn compute_modules(&self) -> Vec<Arc<ModuleAnalysis>> {
        let mut groups: BTreeMap<String, Vec<(&Arc<str>, &SourceFile)>> = BTreeMap::new();
        for (path, file) in &self.files {
            match file.summary.kind {
                FileKind::Terraform | FileKind::TerraformJson => {
                    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
                    groups.entry(dir).or_default().push((path, file));
                }
                FileKind::TerraformPlan => groups
                    .entry(format!("plan:{path}"))
                    .or_default()
                    .push((path, file)),
                _ => {}
            }
        }
        let mut cache = self.lock_modules();
        // Instances (`dir#module.x@caller`) and callers given their outputs (`dir#outputs`)
        // live while their folder does.
        cache.retain(|k, _| groups.contains_key(k.split('#').next().unwrap_or(k)));
        // The folders to analyse again, analysed on every core first (the analysis of one
        // folder reads only its own files).
        let misses: Vec<Folder<'_>> = groups
            .iter()
            .filter(|(key, _)| !key.starts_with("plan:"))
            .filter_map(|(key, files)| {
                let providers = self.providers_for(key);
                let revisions: Vec<u64> = files.iter().map(|(_, f)| f.revision).collect();
                let hit = cache
                    .get(key.as_str())
                    .is_some_and(|(revs, provs, _)| *revs == revisions && *provs == providers);
                (!hit).then_some((key, files, providers))
            })
            .collect();
        let mut analysed = self.analyse_folders(&misses);
        let mut out = Vec::new();
        let mut pruned = false;
        for (key, files) in groups {
            let revisions: Vec<u64> = files.iter().map(|(_, f)| f.revision).collect();
            let dir = key
                .strip_prefix("plan:")
                .map_or(key.as_str(), |p| p.rsplit_once('/').map_or("", |(d, _)| d));
            let providers = self.providers_for(dir);
            if let Some((revs, provs, analysis)) = cache.get(&key) {
                if *revs == revisions && *provs == providers {
                    out.push(analysis.clone());
                    continue;
                }
            }
            let (module, findings, stale) = match key.strip_prefix("plan:") {
                Some(path) => {
                    let module = terraform::analyze_plan(path, &files[0].1.text, &providers);
                    let findings = validate_module(&module, |p| self.text(p));
                    (module, findings, Vec::new())
                }
                None => {
                    // Every folder that reaches here was analysed above.
                    let (module, findings) = analysed
                        .remove(&key)
                        .unwrap_or_else(|| self.analyse_folder(&files, &providers));
                    let broken: Vec<&str> = module
                        .findings
                        .iter()
                        .filter(|f| f.code == "terraform/syntax")
                        .map(|f| &*f.path)
                        .collect();
                    let mut last_good = self.last_good.lock().unwrap_or_else(|e| e.into_inner());
                    if !pruned {
                        // Once per pass, not per folder: texts of files that are gone.
                        last_good.retain(|p, _| self.files.contains_key(p));
                        pruned = true;
                    }
                    for (p, f) in &files {
                        if !broken.contains(&&***p) {
                            last_good.insert((*p).clone(), f.text.clone());
                        }
                    }
                    // Stand the last good text in for each broken file that has one.
                    let stale: Vec<Arc<str>> = files
                        .iter()
                        .filter(|(p, _)| broken.contains(&&***p) && last_good.contains_key(&***p))
                        .map(|(p, _)| (*p).clone())
                        .collect();
                    if stale.is_empty() {
                        (module, findings, stale)
                    } else {
                        let substituted: Vec<(&str, &str)> = files
                            .iter()
                            .map(|(p, f)| match last_good.get(&***p) {
                                Some(good) if stale.contains(p) => (&***p, &**good),
                                _ => (&***p, &*f.text),
                            })
                            .collect();
                        (analyze_pinned(&substituted, &providers), findings, stale)
                    }
                }
            };
            let analysis = Arc::new(ModuleAnalysis {
                key: key.clone(),
                module,
                findings,
                stale,
                call: None,
            });
            cache.insert(key, (revisions, providers, analysis.clone()));
            out.push(analysis);
        }
        crate::modules::with_instances(self, out, &mut cache)
    }

    /// Each folder's module and the findings of validating its policies, the folders
    /// shared out over the cores.
    fn analyse_folders(&self, folders: &[Folder<'_>]) -> HashMap<String, (Module, Vec<Finding>)> {
        parallel_map(folders, |(key, files, providers)| {
            ((*key).clone(), self.analyse_folder(files, providers))
        })
        .into_iter()
        .collect()
    }

    /// One Terraform folder's module and the findings of validating its policies.
    fn analyse_folder(
        &self,
        files: &[(&Arc<str>, &SourceFile)],
        providers: &ProviderAccounts,
    ) -> (Module, Vec<Finding>) {
        let inputs: Vec<(&str, &str)> = files.iter().map(|(p, f)| (&***p, &*f.text)).collect();
        let mut module = analyze_pinned(&inputs, providers);
        let findings = validate_module(&module, |p| self.text(p));
        // A caller's syntax is read again when its module calls are analysed.
        if self.drop_syntax && !module.has_module_calls() {
            module.drop_syntax();
        }
        (module, findings)
    }

    /// The Terraform files of folder `dir` (`.tf`, `.tf.json`, `.tfvars`): path, text and
    /// revision.
    pub(crate) fn terraform_files(&self, dir: &str) -> Vec<(&str, &str, u64)> {
        self.files
            .iter()
            .filter(|(p, f)| {
                matches!(
                    f.summary.kind,
                    FileKind::Terraform | FileKind::TerraformJson
                ) && p.rsplit_once('/').map_or("", |(d, _)| d) == dir
            })
            .map(|(p, f)| (&**p, &*f.text, f.revision))
            .collect()
    }

    /// How many of `paths` were read and skipped, and how many policies they hold.
    pub fn read_counts(&self, paths: &[String]) -> ReadCounts {
        let mut counts = ReadCounts::default();
        let mut terraform: std::collections::HashSet<(Arc<str>, Span)> = Default::default();
        let wanted: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
        for m in self.modules() {
            for p in &m.module.policies {
                if let Some(inline) = p.inline() {
                    if wanted.contains(&*inline.path) {
                        terraform.insert((inline.path.clone(), inline.text_span));
                    }
                }
            }
        }
        counts.policies = terraform.len();
        for path in paths {
            let Some(file) = self.files.get(path.as_str()) else {
                continue;
            };
            match file.summary.kind {
                FileKind::OtherJson | FileKind::Unread => counts.skipped += 1,
                _ => {
                    counts.files += 1;
                    counts.policies += file.summary.policies.len();
                }
            }
        }
        counts
    }

    /// The workspace's own key for `path`.
    pub fn path_key(&self, path: &str) -> Option<Arc<str>> {
        self.files.get_key_value(path).map(|(k, _)| k.clone())
    }

    /// A number that changes whenever the file's content does.
    pub fn revision(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|f| f.revision)
    }

    /// The parsed `latch.toml` at `path`, cached while its content stays the same.
    pub fn manifest(&self, path: &str) -> Option<Arc<latch_syntax::manifest::ParsedManifest>> {
        let file = self.files.get(path)?;
        let mut cache = self.manifests.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((rev, m)) = cache.get(path) {
            if *rev == file.revision {
                return Some(m.clone());
            }
        }
        let m = Arc::new(latch_syntax::manifest::parse_manifest(&file.text));
        cache.insert(path.to_string(), (file.revision, m.clone()));
        Some(m)
    }

    pub fn remove_file(&mut self, path: &str) {
        if let Some(old) = self.files.remove(path) {
            self.removals = stamp();
            if feeds_modules(old.summary.kind) {
                self.terraform_revision = stamp();
            }
        }
        self.manifest_paths.remove(path);
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|f| &*f.text)
    }

    /// The summary as kept, without reading anything again: a lean file's documents have
    /// their spans, kinds and validation, not their trees and models
    /// ([`Workspace::summary`] reads those again).
    pub fn stored_summary(&self, path: &str) -> Option<&Arc<FileSummary>> {
        self.files.get(path).map(|f| &f.summary)
    }

    /// What `path` says on its own, trees included (read again from the text for a file
    /// added with [`Workspace::set_file_lean`]).
    pub fn summary(&self, path: &str) -> Option<Arc<FileSummary>> {
        let f = self.files.get(path)?;
        if f.summary.is_lean() {
            // The trees again, without the checks: their findings are cached in the lean
            // summary, document by document.
            let mut full = summarize_text_as(path, &f.text, false);
            full.findings = f.summary.findings.clone();
            for (d, lean) in full.policies.iter_mut().zip(&f.summary.policies) {
                d.validation = lean.validation.clone();
            }
            Some(Arc::new(full))
        } else {
            Some(f.summary.clone())
        }
    }

    pub fn paths(&self) -> impl Iterator<Item = &Arc<str>> {
        self.files.keys()
    }

    /// Phase two: every finding of every file.
    pub fn analyze(&self) -> Analysis {
        self.analyze_until(&|| false).unwrap_or_default()
    }

    /// [`Workspace::analyze`], giving up (`None`) as soon as `cancelled` says so; it is
    /// asked before each sub-workspace that must be analysed again, and every few intents
    /// of its simulation (the decisions made before giving up stay cached). Each sub-workspace
    /// (the folder of a `latch.toml`, and the workspace root) keeps its findings while its
    /// inputs ([`RootInputs`]) stay the same, so an edit re-analyses only the sub-workspace
    /// that holds it, and an analysis that gave up leaves the roots it finished for the
    /// next one.
    pub fn analyze_until(&self, cancelled: &dyn Fn() -> bool) -> Option<Analysis> {
        let modules = self.modules();
        let owners = Owners::of(&modules);
        let declared = self.declared();
        // Entries of removed files go (once per removal); the others are checked by
        // revision where used.
        {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            if memo.revalidated_at != Some(self.removals) {
                memo.revalidated_at = Some(self.removals);
                self.revalidated
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .retain(|p, _| self.files.contains_key(p));
            }
        }
        let roots = crate::access::index::roots(self);
        crate::access::retain_roots(self, &roots);
        let stale: Vec<Arc<str>> = modules
            .iter()
            .flat_map(|m| m.stale.iter().cloned())
            .collect();
        let stand_ins = crate::access::facts::stand_ins(&modules);
        let manifests = self.manifest_revisions();
        let mut files_of: Vec<Vec<(&Arc<str>, &SourceFile)>> = vec![Vec::new(); roots.len()];
        for (p, f) in &self.files {
            files_of[root_index(&roots, p)].push((p, f));
        }
        let mut modules_of: Vec<Vec<Arc<ModuleAnalysis>>> = vec![Vec::new(); roots.len()];
        for m in &modules {
            modules_of[module_root(&roots, m)].push(m.clone());
        }
        let mut owners_of: Vec<Vec<(String, Option<PolicyKind>, bool)>> =
            vec![Vec::new(); roots.len()];
        for (path, kind) in &owners.kinds {
            owners_of[root_index(&roots, path)].push((
                path.to_string(),
                Some(*kind),
                owners.rendered.contains(path),
            ));
        }
        for path in &owners.rendered {
            if !owners.kinds.contains_key(path) {
                owners_of[root_index(&roots, path)].push((path.to_string(), None, true));
            }
        }
        let mut by_path: BTreeMap<Arc<str>, Vec<Finding>> = BTreeMap::new();
        let mut cache = self.root_results.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|r, _| roots.contains(r));
        for (ri, root) in roots.iter().enumerate() {
            let mut root_owners = std::mem::take(&mut owners_of[ri]);
            root_owners.sort_by(|a, b| a.0.cmp(&b.0));
            let inputs = RootInputs {
                roots: roots.clone(),
                files: files_of[ri].iter().map(|(_, f)| f.revision).collect(),
                manifests: manifests.clone(),
                modules: modules_of[ri]
                    .iter()
                    .chain(modules.iter().filter(|m| m.call.is_some()))
                    .map(|m| ByPtr(m.clone()))
                    .collect(),
                outside: self.outside_reads(&roots, ri, &modules_of[ri]),
                owners: root_owners,
                stale: stale.clone(),
                stand_ins: stand_ins.clone(),
            };
            if let Some(done) = cache.get(root).filter(|r| r.inputs == inputs) {
                for (p, fs) in &done.findings {
                    by_path
                        .entry(p.clone())
                        .or_default()
                        .extend(fs.iter().cloned());
                }
                continue;
            }
            if cancelled() {
                return None;
            }
            let mut found: BTreeMap<Arc<str>, Vec<Finding>> = BTreeMap::new();
            for m in &modules_of[ri] {
                for f in &m.findings {
                    found.entry(f.path.clone()).or_default().push(f.clone());
                }
            }
            for f in self.manifest_reference_findings(|p| root_index(&roots, p) == ri) {
                found.entry(f.path.clone()).or_default().push(f);
            }
            for (path, file) in &files_of[ri] {
                let out = found.entry((*path).clone()).or_default();
                self.file_findings(path, file, &declared, &owners, out);
            }
            // The simulation reads the index, which for a file with a broken block is built
            // from that file's last good text: its findings, related locations and edits in
            // such a file would point at stale positions, so they wait until it parses.
            let mut simulated: BTreeMap<Arc<str>, Vec<Finding>> = BTreeMap::new();
            if !crate::access::run_root(
                self,
                root,
                &roots,
                &modules,
                &stand_ins,
                &mut simulated,
                cancelled,
            ) {
                return None;
            }
            for (path, mut findings) in simulated {
                if stale.contains(&path) {
                    continue;
                }
                if !stale.is_empty() {
                    for f in &mut findings {
                        f.related
                            .retain(|r| r.path.as_ref().is_none_or(|p| !stale.contains(p)));
                        f.fixes.retain(|x| {
                            x.edits
                                .iter()
                                .all(|e| e.path.as_ref().is_none_or(|p| !stale.contains(p)))
                        });
                    }
                }
                found.entry(path).or_default().extend(findings);
            }
            found.retain(|_, fs| !fs.is_empty());
            for (p, fs) in &found {
                by_path
                    .entry(p.clone())
                    .or_default()
                    .extend(fs.iter().cloned());
            }
            cache.insert(
                root.clone(),
                RootResult {
                    inputs,
                    findings: found,
                },
            );
        }
        drop(cache);
        // What the team decided: `[check]` in `latch.toml`, `latch:ignore` comments.
        crate::suppress::apply(self, &mut by_path, &stale, None);
        let mut analysis = Analysis::default();
        for (path, out) in by_path {
            let out = self.finish(&path, out);
            if !out.is_empty() {
                analysis.findings.insert(path, out);
            }
        }
        Some(analysis)
    }

    /// The files outside root `ri` that its analysis reads: the policies its manifests
    /// name and the files its Terraform `file()` calls load.
    fn outside_reads(
        &self,
        roots: &[String],
        ri: usize,
        modules: &[Arc<ModuleAnalysis>],
    ) -> Vec<(String, Option<u64>)> {
        let mut out = Vec::new();
        for (dir, path, m) in self.manifests() {
            if root_index(roots, path) != ri {
                continue;
            }
            for (_, r) in m.policy_refs() {
                if is_file_reference(&r.value) {
                    let p = join_path(dir, &r.value);
                    if root_index(roots, &p) != ri {
                        out.push((p, None));
                    }
                }
            }
        }
        for m in modules {
            for p in &m.module.policies {
                if let terraform::PolicySource::File { path, .. } = &p.source {
                    if root_index(roots, path) != ri {
                        out.push((path.clone(), None));
                    }
                }
            }
        }
        for (p, rev) in &mut out {
            *rev = self.revision(p);
        }
        out.sort();
        out.dedup();
        out
    }

    /// The findings `path` gives on its own (syntax, shape, its policies validated as the
    /// kind the manifest or a Terraform owner states), added to `out`, every one carrying
    /// the path.
    fn file_findings(
        &self,
        path: &Arc<str>,
        file: &SourceFile,
        declared: &HashMap<String, PolicyKind>,
        owners: &Owners<'_>,
        out: &mut Vec<Finding>,
    ) {
        let declared_kind = declared.get(&**path).copied();
        if let (Some(kind), FileKind::OtherJson) = (declared_kind, file.summary.kind) {
            // `latch.toml` says this file is a policy, even though it does not look like
            // one yet (an empty file, a document without `Statement`).
            let forced = summarize_policy(&file.text, kind, KindSource::Manifest);
            let validation = forced.policies.into_iter().flat_map(|d| d.validation);
            // Like every finding of the file, these carry its path (the loop below that
            // sets it is skipped).
            out.extend(forced.findings.into_iter().chain(validation).map(|mut f| {
                f.path = path.clone();
                f
            }));
            return;
        }
        if owners.rendered.contains(&&**path) {
            return;
        }
        out.extend(file.summary.findings.iter().cloned());
        let other_kind = declared_kind.or_else(|| owners.kinds.get(&**path).copied());
        let cached = other_kind.and_then(|k| {
            let cache = self.revalidated.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .get(path)
                .filter(|(rev, kind, _)| *rev == file.revision && *kind == k)
                .map(|(_, _, f)| f.clone())
        });
        if let Some(findings) = cached {
            out.extend(findings);
        } else {
            // A lean summary has no trees: validating as another kind reads them again.
            let full = match other_kind {
                Some(_) if file.summary.is_lean() => self.summary(path),
                _ => None,
            };
            let mut validation = Vec::new();
            for doc in &full.as_ref().unwrap_or(&file.summary).policies {
                let kind = other_kind.unwrap_or(doc.kind);
                validation.extend(
                    // Inferred only when nothing states the kind: not the manifest, a
                    // Terraform owner, nor the command output that wraps the policy.
                    doc.validate_as(
                        &file.text,
                        kind,
                        other_kind.is_none() && doc.kind_source == KindSource::Inferred,
                    )
                    .iter()
                    .cloned(),
                );
            }
            if let Some(k) = other_kind {
                let mut cache = self.revalidated.lock().unwrap_or_else(|e| e.into_inner());
                cache.insert(path.clone(), (file.revision, k, validation.clone()));
            }
            out.extend(validation);
        }
        for f in out.iter_mut() {
            f.path = path.clone();
        }
    }

    /// The findings of one file as the analysis reports them: sorted by position, without
    /// duplicates, only the simulation's in downloaded modules, and no fix that could
    /// corrupt a text.
    fn finish(&self, path: &str, mut out: Vec<Finding>) -> Vec<Finding> {
        // Modules `terraform init` downloaded are not the user's code: only what the
        // simulation finds there is reported, and nothing is edited there.
        let downloaded = |p: &str| p.starts_with(".terraform/") || p.contains("/.terraform/");
        out.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.cmp(b.code)));
        out.dedup();
        if downloaded(path) {
            out.retain(|f| {
                ["access/", "cloudfront/", "s3/"]
                    .iter()
                    .any(|a| f.code.starts_with(a))
            });
        }
        for f in &mut out {
            self.drop_broken_fixes(f);
            f.fixes.retain(|x| {
                x.edits
                    .iter()
                    .all(|e| !downloaded(e.path.as_deref().unwrap_or(path)))
            });
        }
        out
    }

    /// The findings of `path` with `carried` standing in for those that rest on other
    /// documents ([`is_cross_document`]): what the file itself says is computed from the
    /// current texts (its folder's module for a Terraform file), `carried` is what the last
    /// whole analysis found (the language server shifts it with the edits since), and
    /// suppressions apply to both as [`Workspace::analyze`] applies them. Equal to the
    /// analysis's findings for the file when `carried` is current; a few milliseconds
    /// whatever the workspace's size, so an editor can have it on every keystroke.
    pub fn file_analysis(&self, path: &str, carried: &[Finding]) -> Vec<Finding> {
        let Some((key, file)) = self.files.get_key_value(path) else {
            return Vec::new();
        };
        let modules = self.modules();
        let owners = Owners::of(&modules);
        let declared = self.declared();
        let mut out = Vec::new();
        for m in &modules {
            out.extend(m.findings.iter().filter(|f| &*f.path == path).cloned());
        }
        if self.manifest_paths.contains(path) {
            out.extend(
                self.manifest_reference_findings(|p| p == path)
                    .into_iter()
                    .filter(|f| &*f.path == path),
            );
        }
        self.file_findings(key, file, &declared, &owners, &mut out);
        out.extend(
            carried
                .iter()
                .filter(|f| {
                    is_cross_document(f.code)
                        && !f.code.starts_with("latch/")
                        && f.code != "manifest/missing-policy"
                })
                .cloned(),
        );
        let mut by_path = BTreeMap::new();
        by_path.insert(key.clone(), out);
        let stale: Vec<Arc<str>> = modules
            .iter()
            .flat_map(|m| m.stale.iter().cloned())
            .collect();
        crate::suppress::apply(self, &mut by_path, &stale, Some(path));
        let out = by_path.remove(path).unwrap_or_default();
        self.finish(path, out)
    }

    /// Removes fixes with an edit outside its file or off a character boundary. Checks
    /// compute edits from spans; this is the one place that guarantees an editor is never
    /// handed an edit that would corrupt the text.
    fn drop_broken_fixes(&self, f: &mut Finding) {
        f.fixes.retain(|fix| {
            fix.edits.iter().all(|e| {
                let path = e.path.as_deref().unwrap_or(&f.path);
                self.text(path).is_some_and(|t| {
                    e.range.start <= e.range.end
                        && e.range.end <= t.len()
                        && t.is_char_boundary(e.range.start)
                        && t.is_char_boundary(e.range.end)
                })
            })
        });
    }
}

/// Stand-in ARNs for the module's KMS keys whose ARN is unknown before apply:
/// `arn:aws:kms:us-east-1:ACCOUNT:key/NAME`, in the key's provider account.
/// The pin that tells an instance of a local module which call makes it (`crate::modules`).
pub(crate) const INSTANCE_PIN: &str = "latch:module-call";

/// Whether a key ARN is the stand-in [`key_pins`] made for key resource `name`.
pub(crate) fn is_stand_in_key(arn: &str, name: &str) -> bool {
    arn.rsplit_once(":key/")
        .is_some_and(|(_, id)| id == name || id.ends_with(&format!(".{name}")))
}

fn key_pins(module: &Module, providers: &ProviderAccounts) -> ProviderAccounts {
    let mut out = providers.clone();
    for r in &module.resources {
        if r.resource_type != "aws_kms_key" || r.mode != terraform::ResourceMode::Managed {
            continue;
        }
        let known = r.arn.as_ref().is_some_and(|a| a.value.as_str().is_some());
        let Some(account) = &r.account else { continue };
        if known {
            continue;
        }
        // An instance of a local module names its keys after the call, so that two
        // instances' keys stay two keys.
        let name = match providers.pinned.get(INSTANCE_PIN) {
            Some(call) => format!("{call}.{}", r.name),
            None => r.name.clone(),
        };
        out.pinned.insert(
            format!("{}.arn", r.address),
            format!(
                "arn:{}:kms:us-east-1:{account}:key/{name}",
                providers.partition
            ),
        );
    }
    out
}

/// `f` over `items` on every core (at most 8 threads), results in order. A part whose
/// thread panicked is done again on this thread, as a serial loop would have done it.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 8);
    if items.len() < 2 || threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                (
                    part,
                    scope.spawn(move || part.iter().map(f).collect::<Vec<_>>()),
                )
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(part, h)| h.join().unwrap_or_else(|_| part.iter().map(f).collect()))
            .collect()
    })
}

/// Analyses a module folder. A KMS key's ARN is only known after apply; a stand-in ARN
/// with the key's account lets the policies that name it match each other.
pub(crate) fn analyze_pinned(inputs: &[(&str, &str)], providers: &ProviderAccounts) -> Module {
    let module = terraform::analyze_module(inputs, providers);
    // Provider configurations without an account in `latch.toml` take it from their
    // provider block, else a stand-in (`terraform::providers`).
    let completed = terraform::providers::complete_accounts(&module, providers);
    let (module, providers) = if completed == *providers {
        (module, providers)
    } else {
        (terraform::analyze_module(inputs, &completed), &completed)
    };
    let pins = key_pins(&module, providers);
    if pins.pinned == providers.pinned {
        module
    } else {
        terraform::analyze_module(inputs, &pins)
    }
}

/// Validates every inline policy of a module as the kind its owner gives it. Findings on
/// values Terraform only knows at apply time (`${var.effect}`) are dropped: they are not
/// mistakes in the text.
fn validate_module<'a>(module: &Module, text_of: impl Fn(&str) -> Option<&'a str>) -> Vec<Finding> {
    let mut out = validate_policies(module, text_of);
    keep_literal_fixes(module, &mut out);
    out
}

/// Drops every fix with an edit inside text that is not what AWS receives as written (a
/// reference, a function call, an interpolation, a variable's default): rewriting it would
/// change the Terraform code, not the policy, and could break the file.
fn keep_literal_fixes(module: &Module, findings: &mut [Finding]) {
    let spans: HashMap<&str, Vec<Span>> = module
        .files
        .iter()
        .map(|f| (&*f.path, terraform::non_literal_spans(f)))
        .collect();
    for f in findings.iter_mut() {
        let path = f.path.clone();
        f.fixes.retain(|fix| {
            fix.edits.iter().all(|e| {
                let p = e.path.as_deref().unwrap_or(&path);
                let Some(spans) = spans.get(p) else {
                    return true;
                };
                literal_edit(spans, e)
            })
        });
    }
}

/// The findings of checking one policy read from a template, as the kind its owner gives.
fn check_inline(
    inline: &terraform::InlinePolicy,
    text: &str,
    kind: Option<PolicyKind>,
) -> Vec<Finding> {
    let kind = kind.unwrap_or_else(|| infer_kind(&inline.policy));
    let mut found = Vec::new();
    run_all(
        &PolicyCtx::new(text, &inline.tree, &inline.policy, kind),
        &mut found,
    );
    found.extend(inline.findings.iter().cloned());
    found.retain(|f| {
        // A policy with values only known when Terraform runs has an unknown size.
        let unknown_size = f.code == "policy/size-limit" && !inline.symbols.is_empty();
        !inline.is_symbolic(f.range) && !unknown_size
    });
    for f in &mut found {
        f.path = inline.path.clone();
    }
    found
}

/// The interpolations and directives of a template file.
fn template_holes(text: &str) -> Vec<Span> {
    terraform::syntax::template_parts(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| match p {
            terraform::ast::TemplatePart::Literal { .. } => None,
            other => Some(other.span()),
        })
        .collect()
}

/// Whether an edit stays off every span of `holes`.
fn literal_edit(holes: &[Span], e: &latch_syntax::Edit) -> bool {
    !holes.iter().any(|s| {
        if e.range.is_empty() {
            s.start < e.range.start && e.range.start < s.end
        } else {
            e.range.start < s.end && s.start < e.range.end
        }
    })
}

fn validate_policies<'a>(
    module: &Module,
    text_of: impl Fn(&str) -> Option<&'a str>,
) -> Vec<Finding> {
    let mut out = module.findings.clone();
    for p in &module.policies {
        // A template read through the `templatefile()` call that renders it, with its
        // variables (unknown ones stay symbolic) and spans in the template.
        if let terraform::PolicySource::File {
            path,
            vars: Some(vars),
            ..
        } = &p.source
        {
            if let Some(text) = text_of(path) {
                let inline = terraform::policy_from_file(path, text, Some(vars));
                let mut found = check_inline(&inline, text, p.kind);
                let holes = template_holes(text);
                for f in &mut found {
                    f.fixes
                        .retain(|fix| fix.edits.iter().all(|e| literal_edit(&holes, e)));
                }
                out.extend(found);
            }
            continue;
        }
        let Some(inline) = p.inline() else { continue };
        let Some(text) = text_of(&inline.path) else {
            continue;
        };
        let kind = p.kind.unwrap_or_else(|| infer_kind(&inline.policy));
        let mut found = Vec::new();
        run_all(
            &PolicyCtx::new(text, &inline.tree, &inline.policy, kind)
                .inferred(p.kind.is_none())
                .owned_by(&p.owner, &p.attribute),
            &mut found,
        );
        for mut f in found {
            // A policy with values only known when Terraform runs has an unknown size.
            let unknown_size = f.code == "policy/size-limit" && !inline.symbols.is_empty();
            if inline.is_symbolic(f.range) || unknown_size {
                continue;
            }
            f.path = inline.path_at(f.range);
            out.push(f);
        }
        for f in &inline.findings {
            if inline.is_symbolic(f.range) {
                continue;
            }
            let mut f = f.clone();
            if f.path.is_empty() {
                f.path = inline.path.clone();
            }
            out.push(f);
        }
    }
    out
}

/// Splits a fixture into files: lines `//- path` start a file; text without such a line
/// is one file, `policy.json`.
pub fn parse_fixture(fixture: &str) -> Vec<(String, String)> {
    if !fixture.starts_with("//- ") {
        return vec![("policy.json".to_string(), fixture.to_string())];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- ") {
            files.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = files.last_mut() {
            text.push_str(line);
        }
    }
    files
}

/// A workspace built from a fixture.
pub fn workspace_from_fixture(fixture: &str) -> Workspace {
    let mut ws = Workspace::new();
    for (path, text) in parse_fixture(fixture) {
        ws.set_file(&path, text.as_bytes());
    }
    ws
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_policy_json_is_ignored_and_policies_are_found_by_content() {
        let ws = workspace_from_fixture(
            "//- package.json\n{\"name\": \"x\", \"version\": \"1.0.0\",}\n//- odd-name.json\n{\"Statement\": [{\"Effect\": \"deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}\n",
        );
        let a = ws.analyze();
        assert!(!a.findings.contains_key("package.json"));
        let codes: Vec<_> = a.findings["odd-name.json"].iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec!["policy/missing-version", "policy/invalid-effect"]
        );
        assert_eq!(&*a.findings["odd-name.json"][0].path, "odd-name.json");
    }

    #[test]
    fn invalid_utf8_and_huge_files_are_reported_not_read() {
        let mut ws = Workspace::new();
        ws.set_file("bad.json", b"{\"Sid\": \"\xff\xfe\"}");
        ws.set_file("huge.json", &vec![b' '; MAX_FILE_SIZE + 1]);
        let a = ws.analyze();
        assert_eq!(a.findings["bad.json"][0].code, "syntax/invalid-utf8");
        assert_eq!(a.findings["bad.json"][0].range, Span::new(9, 10));
        assert_eq!(a.findings["huge.json"][0].code, "syntax/file-too-large");
    }

    #[test]
    fn json_arrays_and_other_documents_are_not_policies() {
        let ws = workspace_from_fixture(
            "//- cases.json\n[{\"policies\": {\"identity\": [{\"Statement\": []}]}}]\n//- broken.json\n{\"Statement\" [{\"Effect\": \"deny\"\n",
        );
        let a = ws.analyze();
        assert!(!a.findings.contains_key("cases.json"));
        assert!(
            a.findings["broken.json"]
                .iter()
                .any(|f| f.code == "policy/invalid-effect")
        );
    }

    /// `policy/size-limit` needs a stated kind: `latch.toml` or the Terraform resource.
    #[test]
    fn size_quotas_apply_to_stated_kinds_only() {
        let arns =
            vec!["\"arn:aws:s3:::bucket-name-0000000000000000000000000000/*\""; 250].join(",");
        let policy = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{arns}]}}]}}"#
        );
        let size_findings = |ws: &Workspace, path: &str| -> Vec<String> {
            ws.analyze()
                .findings
                .get(path)
                .map(|fs| {
                    fs.iter()
                        .filter(|f| f.code == "policy/size-limit")
                        .map(|f| format!("{} {}", f.severity.as_str(), f.message))
                        .collect()
                })
                .unwrap_or_default()
        };
        let inferred = workspace_from_fixture(&format!("//- p.json\n{policy}\n"));
        assert_eq!(size_findings(&inferred, "p.json"), Vec::<String>::new());
        let stated = workspace_from_fixture(&format!(
            "//- latch.toml\n[[principal]]\narn = \"arn:aws:iam::111122223333:user/u\"\npolicies = [\"p.json\"]\n//- p.json\n{policy}\n"
        ));
        let found = size_findings(&stated, "p.json");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("error this identity policy is "),
            "{found:?}"
        );
        let terraform = workspace_from_fixture(&format!(
            "//- main.tf\nresource \"aws_iam_user_policy\" \"u\" {{\n  user   = \"u\"\n  policy = <<EOF\n{}\nEOF\n}}\n",
            &policy[..policy.len().min(3_000)]
                .rsplit_once(',')
                .map_or(String::new(), |(head, _)| format!("{head}]}}]}}"))
        ));
        let found = size_findings(&terraform, "main.tf");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("inline user policy"), "{found:?}");
    }

    #[test]
    fn lean_files_give_the_same_findings_and_trees_on_demand() {
        let fixture = "//- latch.toml\n[[key]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/k\"\npolicy = \"key.json\"\n//- key.json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"caf\u{e9}\", \"Effect\": \"allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}\n//- id.json\n{\"Statement\": [{\"Effect\": \"deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}\n";
        let full = workspace_from_fixture(fixture);
        let mut lean = Workspace::new();
        for (path, text) in parse_fixture(fixture) {
            lean.set_file_lean(&path, text.as_bytes());
        }
        assert!(lean.files["key.json"].summary.is_lean());
        let (a, b) = (full.analyze(), lean.analyze());
        assert!(!a.findings.is_empty());
        assert_eq!(a.findings, b.findings);
        // The key policy is validated as the manifest says (a principal is required).
        assert!(
            b.findings["key.json"]
                .iter()
                .any(|f| f.code == "policy/missing-principal")
        );
        let tree = lean.summary("id.json").expect("summary");
        assert!(tree.policies[0].tree.as_object().is_some());
    }

    #[test]
    fn files_added_in_bulk_equal_files_added_one_by_one() {
        let fixture = "//- latch.toml\n[[key]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/k\"\npolicy = \"key.json\"\n//- key.json\n{\"Statement\": [{\"Sid\": \"\u{65e5}\u{672c}\", \"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}\n//- id.json\n{\"Statement\": [{\"Effect\": \"deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}\n//- broken.json\n{\"Statement\": [\n";
        let files: Vec<(String, Vec<u8>)> = parse_fixture(fixture)
            .into_iter()
            .map(|(p, t)| (p, t.into_bytes()))
            .chain([("bad.json".to_string(), vec![0xff, 0xfe])])
            .collect();
        let mut one = Workspace::new();
        for (path, bytes) in &files {
            one.set_file_lean(path, bytes);
        }
        let mut bulk = Workspace::new();
        bulk.set_files_lean(&files);
        let (a, b) = (one.analyze(), bulk.analyze());
        assert_eq!(a.findings, b.findings);
        assert!(b.findings.contains_key("bad.json"));
        assert!(b.findings.contains_key("broken.json"));
        assert!(bulk.files["key.json"].summary.is_lean());
    }

    /// A file `latch.toml` names but whose text does not look like a policy yet (half
    /// typed, or broken) is read as the policy it is declared to be, and its findings carry
    /// its path like every other file's.
    #[test]
    fn a_declared_file_that_does_not_look_like_a_policy_keeps_its_path() {
        let ws = workspace_from_fixture(
            "//- latch.toml\n[[key]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/k\"\npolicy = \"keys/key.json\"\n//- keys/key.json\n{\n  \"Id\": \"k\u{e9}y\",\n  \"Statment\": [\n    {\"Effect\": \"Allow\" \"Action\": \"kms:*\"}\n  ]\n}\n",
        );
        assert_eq!(
            ws.summary("keys/key.json").map(|s| s.kind),
            Some(FileKind::OtherJson)
        );
        let a = ws.analyze();
        let found = &a.findings["keys/key.json"];
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|f| &*f.path == "keys/key.json"),
            "{found:?}"
        );
        let comma = found
            .iter()
            .find(|f| f.code == "syntax/missing-comma")
            .expect("the missing comma");
        let text = ws.text("keys/key.json").unwrap_or_default();
        assert_eq!(Some(comma.range.start), text.find("\"Action\""));
    }

    #[test]
    fn fixtures_split_into_files() {
        let files = parse_fixture("//- a.json\n{}\n//- b/c.toml\nx = 1\n");
        assert_eq!(
            files,
            vec![
                ("a.json".into(), "{}\n".into()),
                ("b/c.toml".into(), "x = 1\n".into())
            ]
        );
    }
}

#[cfg(test)]
mod last_good_tests {
    use super::*;

    const FIXTURE: &str =
        include_str!("../../../tests/fixtures/scenarios/access__kms-key/cross-account-tf/main.tf");
    const MANIFEST: &str = include_str!(
        "../../../tests/fixtures/scenarios/access__kms-key/cross-account-tf/latch.toml"
    );

    fn split() -> (String, String) {
        let at = FIXTURE
            .find("resource \"aws_iam_role\" \"report_reader\"")
            .expect("the role block");
        (FIXTURE[..at].to_string(), FIXTURE[at..].to_string())
    }

    fn codes(ws: &Workspace, path: &str) -> Vec<&'static str> {
        ws.analyze()
            .findings
            .get(path)
            .map(|f| f.iter().map(|f| f.code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_half_typed_block_keeps_its_last_good_parse_in_the_other_files_analysis() {
        let (main, iam) = split();
        let broken = iam.replacen("name     = \"ReportReader\"", "name     = ", 1);
        assert_ne!(broken, iam);

        // Without a good parse to fall back on, the role vanishes and so does the finding.
        let mut fresh = Workspace::new();
        fresh.set_file("latch.toml", MANIFEST.as_bytes());
        fresh.set_file("main.tf", main.as_bytes());
        fresh.set_file("iam.tf", broken.as_bytes());
        assert!(!codes(&fresh, "main.tf").contains(&"access/kms-key"));

        let mut ws = Workspace::new();
        ws.set_file("latch.toml", MANIFEST.as_bytes());
        ws.set_file("main.tf", main.as_bytes());
        ws.set_file("iam.tf", iam.as_bytes());
        assert!(codes(&ws, "main.tf").contains(&"access/kms-key"));

        // Typing in the role: its block is broken, the grant's finding stays.
        ws.set_file("iam.tf", broken.as_bytes());
        let analysis = ws.analyze();
        let main_findings = &analysis.findings["main.tf"];
        let kms = main_findings
            .iter()
            .find(|f| f.code == "access/kms-key")
            .expect("the finding stays");
        assert!(
            kms.related
                .iter()
                .all(|r| r.path.as_deref() != Some("iam.tf")),
            "no stale location in the broken file"
        );
        assert!(
            kms.fixes
                .iter()
                .flat_map(|f| &f.edits)
                .all(|e| e.path.as_deref() != Some("iam.tf"))
        );
        let iam_codes: Vec<_> = analysis.findings["iam.tf"].iter().map(|f| f.code).collect();
        assert_eq!(iam_codes, vec!["terraform/syntax"]);

        // Once it parses again, the current text is used.
        ws.set_file("iam.tf", iam.replace("ReportReader", "Reader2").as_bytes());
        assert!(ws.modules().iter().all(|m| m.stale.is_empty()));
    }
}
