//! Navigation: document symbols, go to definition, references and workspace symbols, over
//! JSON policies, Terraform and `latch.toml` alike. Pure: a [`Workspace`] and a byte offset
//! in, byte ranges out; the language server turns them into positions.
//!
//! - Document symbols: each policy with its statements (named by `Sid`, else `#N`); in
//!   Terraform, every block of a type that holds, carries or attaches a policy (buckets,
//!   keys, roles, users, `aws_iam_policy_document` data sources, ...), with the statements
//!   written inside it; in `latch.toml`, every entry (accounts, providers, principals,
//!   buckets, keys, endpoints, SCPs and RCPs, the organization, intents, `[check]`).
//! - Definition: from a `latch.toml` policy reference to the file or Terraform block it
//!   names (an account name to its `[accounts]` entry); from a Terraform reference
//!   (`data.aws_iam_policy_document.x.json`, `aws_kms_key.k.arn`, `module.m.out`,
//!   `local.x`, `var.x`) or a `file()` path to what it names; from a principal, bucket,
//!   key or account named in a policy (an ARN, or an ARN pattern) to the `latch.toml`
//!   entries and Terraform blocks that declare it.
//! - References: from a principal, bucket or key (at its declaration, at a Terraform
//!   reference to it, or at any mention) to every statement value that names it,
//!   workspace-wide. ARN patterns count (`arn:aws:s3:::b/*` names bucket `b`), except
//!   those whose name part is only wildcards (`arn:aws:s3:::*` names no bucket in
//!   particular), and so do `[[expect]]` entries.
//! - Workspace symbols: every document symbol of every file, filtered by a
//!   case-insensitive substring of the query.
//!
//! Files whose Terraform stands in for a broken text (`ModuleAnalysis::stale`) give no
//! Terraform symbols or targets: their spans would not match the text.

use std::sync::Arc;

use latch_eval::glob::Glob;
use latch_syntax::Span;
use latch_syntax::manifest::Manifest;
use latch_syntax::policy::{Policy, PrincipalValue};
use latch_syntax::terraform::ast::Block;
use latch_syntax::terraform::{PolicySource, ResourceMode, TfResource};

use crate::workspace::{FileKind, ModuleAnalysis, Workspace, is_file_reference, join_path};

/// What a symbol is, for the editor's icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A policy document.
    Policy,
    /// One statement of a policy.
    Statement,
    /// A Terraform `resource` block.
    Resource,
    /// A Terraform `data` block.
    DataSource,
    /// A table of `latch.toml` (`[accounts]`, `[providers]`, `[check]`).
    Section,
    /// An account (`[accounts]` entry) or an organization.
    Account,
    /// A provider configuration (`[providers]` entry).
    Provider,
    /// A principal (`[[principal]]`).
    Principal,
    /// A bucket (`[[bucket]]`).
    Bucket,
    /// A KMS key (`[[key]]`).
    Key,
    /// Any other entry: a VPC endpoint, an SCP or RCP, an intent, a `[check]` entry.
    Entry,
}

/// One symbol of a document: its whole range, the range to select (its name), children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    pub range: Span,
    /// Inside `range`: the symbol's name (a `Sid`, a block's labels, a key).
    pub selection: Span,
    pub children: Vec<DocSymbol>,
}

impl DocSymbol {
    fn new(name: impl Into<String>, kind: SymbolKind, range: Span, selection: Span) -> DocSymbol {
        // The selection must lie inside the range.
        let selection = if range.start <= selection.start && selection.end <= range.end {
            selection
        } else {
            Span::new(range.start, range.start)
        };
        DocSymbol {
            name: name.into(),
            detail: None,
            kind,
            range,
            selection,
            children: Vec::new(),
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> DocSymbol {
        let d = detail.into();
        self.detail = (!d.is_empty()).then_some(d);
        self
    }
}

/// A place to go: a file and the range there (`selection` inside it, the name).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    pub path: Arc<str>,
    pub range: Span,
    pub selection: Span,
}

impl Target {
    fn at(path: &Arc<str>, range: Span, selection: Span) -> Target {
        Target {
            path: path.clone(),
            range,
            selection,
        }
    }

    /// The start of a whole file.
    fn file(path: Arc<str>) -> Target {
        Target {
            path,
            range: Span::empty(0),
            selection: Span::empty(0),
        }
    }
}

/// A workspace symbol: a document symbol with its file and the name of its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub path: Arc<str>,
    pub range: Span,
    pub container: Option<String>,
}

/// What a principal, bucket, key or account mention is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A user or role, by ARN.
    Principal(String),
    /// A bucket, by name.
    Bucket(String),
    /// A KMS key, by ARN.
    Key(String),
    /// An account, by id.
    Account(String),
}

// ---------------------------------------------------------------------------------------
// Document symbols

/// The outline of `path`.
pub fn document_symbols(ws: &Workspace, path: &str) -> Vec<DocSymbol> {
    symbols_with(ws, path, &ws.modules())
}

/// [`document_symbols`] with the workspace's module analyses read once.
fn symbols_with(ws: &Workspace, path: &str, modules: &[Arc<ModuleAnalysis>]) -> Vec<DocSymbol> {
    let Some(summary) = ws.summary(path) else {
        return Vec::new();
    };
    match summary.kind {
        FileKind::Manifest => match (ws.manifest(path), ws.text(path)) {
            (Some(m), Some(text)) => manifest_symbols(&m.manifest, text),
            _ => Vec::new(),
        },
        FileKind::Terraform | FileKind::TerraformJson => terraform_symbols(modules, path),
        _ => summary
            .policies
            .iter()
            .map(|d| {
                let name = d
                    .policy
                    .id
                    .as_ref()
                    .filter(|i| !i.value.is_empty())
                    .map_or_else(|| d.kind.name().to_string(), |i| i.value.to_string());
                let selection = d.policy.id.as_ref().map_or(d.tree.span, |i| i.span);
                let mut p = DocSymbol::new(name, SymbolKind::Policy, d.tree.span, selection)
                    .detail(d.kind.name());
                p.children = statement_symbols(&d.policy, None);
                p
            })
            .collect(),
    }
}

/// The statements of `policy` (those inside `within`, when given).
fn statement_symbols(policy: &Policy, within: Option<Span>) -> Vec<DocSymbol> {
    let mut out: Vec<DocSymbol> = Vec::new();
    for (i, st) in policy.statements.iter().enumerate() {
        if within.is_some_and(|w| !(w.start <= st.span.start && st.span.end <= w.end)) {
            continue;
        }
        if out.iter().any(|s| s.range == st.span) {
            continue;
        }
        let selection = st.sid.as_ref().map_or(st.span, |s| s.span);
        let effect = st.effect().map_or("", |e| match e {
            latch_syntax::policy::Effect::Allow => "Allow",
            latch_syntax::policy::Effect::Deny => "Deny",
        });
        let actions = st.action.as_ref().map_or(String::new(), |a| {
            let list: Vec<&str> = a.values.iter().map(|v| v.value.as_str()).collect();
            let shown = if list.len() > 3 {
                format!("{} …", list[..3].join(", "))
            } else {
                list.join(", ")
            };
            if a.negated {
                format!("not {shown}")
            } else {
                shown
            }
        });
        let detail = [effect, actions.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        out.push(
            DocSymbol::new(st.label(i), SymbolKind::Statement, st.span, selection).detail(detail),
        );
    }
    out
}

/// Resource types whose blocks appear in the outline: those that hold, carry or attach a
/// policy, and the buckets, keys, principals and settings the simulation reads.
fn outlined(r: &TfResource) -> bool {
    let t = r.resource_type.as_str();
    if r.mode == ResourceMode::Data {
        return t == "aws_iam_policy_document";
    }
    !latch_syntax::terraform::extract::policy_attributes(t).is_empty()
        || [
            "aws_iam_",
            "aws_s3_",
            "aws_kms_",
            "aws_organizations_",
            "aws_vpc_endpoint",
            "aws_cloudfront_",
        ]
        .iter()
        .any(|p| t.starts_with(p))
}

/// The analysis of the Terraform folder `dir` read on its own (not an instance).
fn folder_analysis(ws: &Workspace, dir: &str) -> Option<Arc<ModuleAnalysis>> {
    ws.modules()
        .into_iter()
        .rfind(|m| m.call.is_none() && m.key.split('#').next() == Some(dir))
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn terraform_symbols(modules: &[Arc<ModuleAnalysis>], path: &str) -> Vec<DocSymbol> {
    let dir = dir_of(path);
    let Some(m) = modules
        .iter()
        .rfind(|m| m.call.is_none() && m.key.split('#').next() == Some(dir))
    else {
        return Vec::new();
    };
    if m.is_stale(path) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in m.module.resources.iter().filter(|r| &*r.path == path) {
        if !outlined(r) {
            continue;
        }
        let kind = match r.mode {
            ResourceMode::Managed => SymbolKind::Resource,
            ResourceMode::Data => SymbolKind::DataSource,
        };
        let mut s = DocSymbol::new(r.address.clone(), kind, r.span, r.name_span);
        if let Some(name) = r.get_str("bucket").or_else(|| r.get_str("name")) {
            s = s.detail(name);
        }
        // The statements written inside the block (a data source's `statement` blocks,
        // a `jsonencode` policy), grouped by the attribute that holds them.
        for p in &m.module.policies {
            let Some(inline) = p.inline() else { continue };
            if &*inline.path != path {
                continue;
            }
            let inside = |sp: Span| r.span.start <= sp.start && sp.end <= r.span.end;
            if p.owner == r.address && &*p.path == path && inside(p.attribute_span) {
                let mut a = DocSymbol::new(
                    p.attribute.clone(),
                    SymbolKind::Policy,
                    p.attribute_span,
                    Span::new(
                        p.attribute_span.start,
                        p.attribute_span.start + p.attribute.len(),
                    ),
                );
                if let Some(k) = p.kind {
                    a = a.detail(k.name());
                }
                a.children = statement_symbols(&inline.policy, Some(p.attribute_span));
                if !s.children.iter().any(|c| c.range == a.range) {
                    s.children.push(a);
                }
            } else if inside(inline.text_span) && r.mode == ResourceMode::Data {
                for st in statement_symbols(&inline.policy, Some(r.span)) {
                    if !s.children.iter().any(|c| c.range == st.range) {
                        s.children.push(st);
                    }
                }
            }
        }
        s.children.sort_by_key(|c| c.range.start);
        out.push(s);
    }
    out.sort_by_key(|s| s.range.start);
    out
}

/// The span of a `[name]` header line in `text`, if the table is written as one.
fn header_span(text: &str, name: &str) -> Option<Span> {
    let header = format!("[{name}]");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == header || trimmed.starts_with(&format!("{header} ")) {
            let indent = line.len() - line.trim_start().len();
            return Some(Span::new(at + indent, at + indent + header.len()));
        }
        at += line.len();
    }
    None
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').to_string()
}

fn manifest_symbols(m: &Manifest, text: &str) -> Vec<DocSymbol> {
    let mut out = Vec::new();
    // A table of `name = value` entries: the header (if written) through the last entry.
    let table = |name: &str, entries: Vec<DocSymbol>| -> Option<DocSymbol> {
        let header = header_span(text, name);
        let first = header.or_else(|| entries.first().map(|e| e.range))?;
        let end = entries
            .iter()
            .map(|e| e.range.end)
            .max()
            .unwrap_or(first.end);
        let mut s = DocSymbol::new(
            name,
            SymbolKind::Section,
            Span::new(first.start, end.max(first.end)),
            header.unwrap_or(first),
        );
        s.children = entries;
        Some(s)
    };
    let accounts = m
        .accounts
        .iter()
        .map(|a| {
            DocSymbol::new(
                a.name.value.clone(),
                SymbolKind::Account,
                a.name.span.cover(a.id.span),
                a.name.span,
            )
            .detail(a.id.value.clone())
        })
        .collect();
    out.extend(table("accounts", accounts));
    let providers = m
        .providers
        .iter()
        .map(|p| {
            DocSymbol::new(
                unquote(&p.provider.value),
                SymbolKind::Provider,
                p.provider.span.cover(p.account.span),
                p.provider.span,
            )
            .detail(p.account.value.clone())
        })
        .collect();
    out.extend(table("providers", providers));
    if let Some(o) = &m.organization {
        let id = o.id.as_ref();
        out.push(
            DocSymbol::new(
                "organization",
                SymbolKind::Account,
                o.span,
                id.map_or(o.span, |i| i.span),
            )
            .detail(id.map_or(String::new(), |i| i.value.clone())),
        );
    }
    let entry = |name: Option<&latch_syntax::Spanned<String>>,
                 fallback: &str,
                 kind: SymbolKind,
                 span: Span,
                 detail: String| {
        DocSymbol::new(
            name.map_or_else(|| fallback.to_string(), |n| n.value.clone()),
            kind,
            span,
            name.map_or(span, |n| n.span),
        )
        .detail(detail)
    };
    for p in &m.principals {
        out.push(entry(
            p.arn.as_ref(),
            "principal",
            SymbolKind::Principal,
            p.span,
            "principal".into(),
        ));
    }
    for b in &m.buckets {
        out.push(entry(
            b.name.as_ref(),
            "bucket",
            SymbolKind::Bucket,
            b.span,
            "bucket".into(),
        ));
    }
    for k in &m.keys {
        out.push(entry(
            k.arn.as_ref(),
            "key",
            SymbolKind::Key,
            k.span,
            "key".into(),
        ));
    }
    for e in &m.vpc_endpoints {
        out.push(entry(
            e.id.as_ref(),
            "vpc_endpoint",
            SymbolKind::Entry,
            e.span,
            "VPC endpoint".into(),
        ));
    }
    for (list, what) in [(&m.scps, "scp"), (&m.rcps, "rcp")] {
        for d in list {
            let level = d.level.as_ref().map_or("root", |l| l.value.as_str());
            out.push(entry(
                d.policy.as_ref(),
                what,
                SymbolKind::Entry,
                d.span,
                format!("{what} at {level}"),
            ));
        }
    }
    for e in &m.expects {
        let actions: Vec<&str> = e.actions.iter().map(|a| a.value.as_str()).collect();
        let name = format!(
            "{} {} {}",
            e.principal.as_ref().map_or("?", |p| p.value.as_str()),
            actions.join(", "),
            e.resource.as_ref().map_or("?", |r| r.value.as_str()),
        );
        let decision = e.decision.as_ref().map_or("allow", |d| match d.value {
            latch_syntax::manifest::ExpectedDecision::Allow => "allow",
            latch_syntax::manifest::ExpectedDecision::Deny => "deny",
            latch_syntax::manifest::ExpectedDecision::ExplicitDeny => "explicit_deny",
            latch_syntax::manifest::ExpectedDecision::ImplicitDeny => "implicit_deny",
        });
        let header = Span::new(e.span.start, (e.span.start + 10).min(e.span.end));
        out.push(
            DocSymbol::new(name, SymbolKind::Entry, e.span, header)
                .detail(format!("expect {decision}")),
        );
    }
    let c = &m.check;
    let mut check: Vec<DocSymbol> = Vec::new();
    for a in &c.allow {
        let code = a.code.as_ref().map_or("check.allow", |c| c.value.as_str());
        let file = a.file.as_ref().map_or(String::new(), |f| f.value.clone());
        check.push(
            DocSymbol::new(
                code,
                SymbolKind::Entry,
                a.span,
                a.code.as_ref().map_or(a.span, |c| c.span),
            )
            .detail(format!("allowed in {file}")),
        );
    }
    for o in &c.overrides {
        let paths: Vec<&str> = o.paths.iter().map(|p| p.value.as_str()).collect();
        check.push(
            DocSymbol::new("check.override", SymbolKind::Entry, o.span, o.span)
                .detail(paths.join(", ")),
        );
    }
    if let Some(h) = header_span(text, "check") {
        let end = check.iter().map(|e| e.range.end).max().unwrap_or(h.end);
        let line_end = text
            .get(h.end..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| h.end + i);
        let mut s = DocSymbol::new(
            "check",
            SymbolKind::Section,
            Span::new(h.start, end.max(line_end)),
            h,
        );
        s.children = check;
        out.push(s);
    } else {
        out.extend(check);
    }
    out.sort_by_key(|s| s.range.start);
    out
}

// ---------------------------------------------------------------------------------------
// Workspace symbols

/// Every symbol of the workspace whose name contains `query` (case-insensitive; an empty
/// query matches everything), in path order.
pub fn workspace_symbols(ws: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let q = query.to_lowercase();
    let mut out = Vec::new();
    fn walk(
        s: &DocSymbol,
        path: &Arc<str>,
        parent: Option<&str>,
        q: &str,
        out: &mut Vec<WorkspaceSymbol>,
    ) {
        if q.is_empty() || s.name.to_lowercase().contains(q) {
            out.push(WorkspaceSymbol {
                name: s.name.clone(),
                kind: s.kind,
                path: path.clone(),
                range: s.range,
                container: parent.map(str::to_string),
            });
        }
        for c in &s.children {
            walk(c, path, Some(&s.name), q, out);
        }
    }
    let paths: Vec<Arc<str>> = ws.paths().cloned().collect();
    let modules = ws.modules();
    for path in &paths {
        for s in symbols_with(ws, path, &modules) {
            walk(&s, path, None, &q, &mut out);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Where each entity is declared

/// One declaration of an entity.
#[derive(Clone, Debug)]
struct Decl {
    entity: Entity,
    target: Target,
}

/// Every declaration of a principal, bucket, key or account in the workspace: the
/// `latch.toml` entries and the Terraform blocks (module instances included, where a
/// call's arguments make the name known).
fn declarations(ws: &Workspace) -> Vec<Decl> {
    let mut out: Vec<Decl> = Vec::new();
    let mut push = |entity: Entity, target: Target| {
        if !out.iter().any(|d| d.entity == entity && d.target == target) {
            out.push(Decl { entity, target });
        }
    };
    for (_, path, m) in ws.manifests() {
        for a in &m.accounts {
            push(
                Entity::Account(a.id.value.clone()),
                Target::at(path, a.name.span.cover(a.id.span), a.name.span),
            );
        }
        for p in &m.principals {
            if let Some(arn) = &p.arn {
                push(
                    Entity::Principal(arn.value.clone()),
                    Target::at(path, p.span, arn.span),
                );
            }
        }
        for b in &m.buckets {
            if let Some(n) = &b.name {
                push(
                    Entity::Bucket(n.value.clone()),
                    Target::at(path, b.span, n.span),
                );
            }
        }
        for k in &m.keys {
            if let Some(arn) = &k.arn {
                push(
                    Entity::Key(arn.value.clone()),
                    Target::at(path, k.span, arn.span),
                );
            }
        }
    }
    for m in ws.modules() {
        for r in &m.module.resources {
            if m.is_stale(&r.path) || r.mode != ResourceMode::Managed {
                continue;
            }
            if let Some(e) = entity_of_resource(r) {
                push(e, Target::at(&r.path, r.span, r.name_span));
            }
        }
    }
    out
}

/// The principals, buckets and keys the Terraform blocks or `latch.toml` entries of `path`
/// declare, with their blocks or entries, in order.
pub(crate) fn declarations_in(ws: &Workspace, path: &str) -> Vec<(Entity, Target)> {
    let mut out: Vec<(Entity, Target)> = declarations(ws)
        .into_iter()
        .filter(|d| &*d.target.path == path)
        .filter(|d| !matches!(d.entity, Entity::Account(_)))
        .map(|d| (d.entity, d.target))
        .collect();
    out.sort_by_key(|(_, t)| t.range.start);
    out
}

/// The principal, bucket or key a Terraform resource creates, when its name is known.
fn entity_of_resource(r: &TfResource) -> Option<Entity> {
    let arn = || {
        r.arn
            .as_ref()
            .and_then(|a| a.value.as_str().map(str::to_string))
    };
    match r.resource_type.as_str() {
        "aws_iam_role" | "aws_iam_user" => arn().map(Entity::Principal),
        "aws_s3_bucket" => r.get_str("bucket").map(|b| Entity::Bucket(b.to_string())),
        "aws_kms_key" => arn().map(Entity::Key),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Mentions in policies

/// Where a value sits in a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Principal,
    Resource,
    Condition,
}

/// Every principal, resource and condition value of `policy`, with its slot.
fn values(policy: &Policy) -> Vec<(Slot, &latch_syntax::Spanned<latch_syntax::Str>)> {
    let mut out = Vec::new();
    for st in &policy.statements {
        if let Some(p) = &st.principal {
            if let PrincipalValue::Map(entries) = &p.value {
                for e in entries {
                    out.extend(e.values.iter().map(|v| (Slot::Principal, v)));
                }
            }
        }
        if let Some(r) = &st.resource {
            out.extend(r.values.iter().map(|v| (Slot::Resource, v)));
        }
        if let Some(c) = &st.condition {
            for clause in &c.clauses {
                out.extend(clause.values.iter().map(|v| (Slot::Condition, v)));
            }
        }
    }
    out
}

/// Whether a pattern's name part has something besides wildcards: `arn:aws:s3:::*` names
/// no bucket in particular.
fn names_something(part: &str) -> bool {
    part.chars().any(|c| c != '*' && c != '?')
}

/// Whether a value written in a policy names `entity`: a principal ARN (a session names
/// its role), an S3 ARN or pattern (its buckets), a key ARN or pattern, an account id or
/// root ARN.
fn names(value: &str, slot: Slot, entity: &Entity) -> bool {
    let value = value.trim();
    if value.is_empty() || value == "*" {
        return false;
    }
    match entity {
        Entity::Principal(arn) => {
            let session_role = value.split_once(":assumed-role/").map(|(head, rest)| {
                let role = rest.split('/').next().unwrap_or(rest);
                format!("{}:role/{role}", head.replace(":sts:", ":iam:"))
            });
            let glob = Glob::new(value);
            value == arn
                || session_role.as_deref() == Some(arn.as_str())
                || (glob.has_wildcard()
                    && glob.is_match(arn)
                    && names_something(value.rsplit(['/', ':']).next().unwrap_or("")))
        }
        Entity::Bucket(name) => {
            slot != Slot::Principal
                && s3_bucket_part(value)
                    .is_some_and(|part| names_something(part) && Glob::new(part).is_match(name))
        }
        Entity::Key(arn) => {
            slot != Slot::Principal
                && value.contains(":kms:")
                && (value == arn
                    || (Glob::new(value).is_match(arn)
                        && names_something(
                            value
                                .rsplit(':')
                                .next()
                                .unwrap_or("")
                                .trim_start_matches("key/"),
                        )))
        }
        Entity::Account(id) => {
            slot == Slot::Principal && (value == id || value == format!("arn:aws:iam::{id}:root"))
        }
    }
}

/// The entities among those `decls` declares that a value written in a policy names; a
/// role or user ARN in a `Principal` the workspace does not declare (a partner's) is an
/// entity of its own.
fn entities_named(value: &str, slot: Slot, decls: &[Decl]) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::new();
    for d in decls {
        if names(value, slot, &d.entity) && !out.contains(&d.entity) {
            out.push(d.entity.clone());
        }
    }
    if out.is_empty() && slot == Slot::Principal && crate::access::is_principal_arn(value) {
        out.push(Entity::Principal(value.to_string()));
    }
    out
}

/// The bucket part of an S3 ARN or pattern (`b` in `arn:aws:s3:::b/*`).
fn s3_bucket_part(value: &str) -> Option<&str> {
    let (head, rest) = value.split_once(":::")?;
    if !(head.ends_with(":s3") || head.ends_with(":*")) || !head.starts_with("arn:") {
        return None;
    }
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Every policy of the workspace with the file of each of its values: JSON files (read
/// again when lean) and the policies written in Terraform (each text once).
fn all_policies(ws: &Workspace) -> Vec<(Arc<str>, Policy)> {
    let mut out: Vec<(Arc<str>, Policy)> = Vec::new();
    let paths: Vec<Arc<str>> = ws.paths().cloned().collect();
    for path in &paths {
        // Files without a policy are not read again.
        if ws
            .stored_summary(path)
            .is_none_or(|s| s.policies.is_empty())
        {
            continue;
        }
        let Some(summary) = ws.summary(path) else {
            continue;
        };
        for d in &summary.policies {
            out.push((path.clone(), d.policy.clone()));
        }
    }
    let mut seen: std::collections::HashSet<(Arc<str>, Span)> = Default::default();
    for m in ws.modules() {
        for p in &m.module.policies {
            let Some(inline) = p.inline() else { continue };
            if m.is_stale(&inline.path) || !seen.insert((inline.path.clone(), inline.text_span)) {
                continue;
            }
            // Statements merged from another file's document live in that file.
            for (i, st) in inline.policy.statements.iter().enumerate() {
                let file = inline
                    .statement_paths
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| inline.path.clone());
                if m.is_stale(&file) {
                    continue;
                }
                out.push((
                    file,
                    Policy {
                        statements: vec![st.clone()],
                        ..Policy::default()
                    },
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// What is under the cursor

/// A policy value under the cursor: its span and slot.
fn policy_value_at(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, Slot, String)> {
    for (file, policy) in policies_in_file(ws, path) {
        if &*file != path {
            continue;
        }
        for (slot, v) in values(&policy) {
            if v.span.touches(offset) && !v.span.is_empty() {
                return Some((v.span, slot, v.value.to_string()));
            }
        }
    }
    None
}

/// The policies whose text is (at least partly) in `path`.
fn policies_in_file(ws: &Workspace, path: &str) -> Vec<(Arc<str>, Policy)> {
    let mut out = Vec::new();
    let Some(key) = ws.path_key(path) else {
        return out;
    };
    if let Some(summary) = ws.summary(path) {
        for d in &summary.policies {
            out.push((key.clone(), d.policy.clone()));
        }
    }
    if matches!(
        ws.summary(path).map(|s| s.kind),
        Some(FileKind::Terraform | FileKind::TerraformJson)
    ) {
        for m in ws.modules() {
            if m.is_stale(path) {
                continue;
            }
            for p in &m.module.policies {
                let Some(inline) = p.inline() else { continue };
                for (i, st) in inline.policy.statements.iter().enumerate() {
                    let file = inline.statement_paths.get(i).unwrap_or(&inline.path);
                    if &**file == path {
                        out.push((
                            key.clone(),
                            Policy {
                                statements: vec![st.clone()],
                                ..Policy::default()
                            },
                        ));
                    }
                }
            }
        }
    }
    out
}

/// A Terraform reference under the cursor (`aws_s3_bucket.b.arn`, `module.m.out`): its
/// span and text, index brackets left out.
pub fn tf_reference_at(text: &str, offset: usize) -> Option<(Span, String)> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.';
    let mut start = offset.min(bytes.len());
    while start > 0 && bytes.get(start - 1).is_some_and(|&b| word(b) || b == b']') {
        if bytes[start - 1] == b']' {
            // Skip back over an index: `[0]`, `[*]`, `["k"]`.
            let open = text.get(..start - 1)?.rfind('[')?;
            start = open;
            continue;
        }
        start -= 1;
    }
    let mut end = offset.min(bytes.len());
    while end < bytes.len() && (word(bytes[end]) || bytes[end] == b'[') {
        if bytes[end] == b'[' {
            let close = text.get(end..)?.find(']')?;
            end += close + 1;
            continue;
        }
        end += 1;
    }
    if start >= end {
        return None;
    }
    let raw = text.get(start..end)?;
    // Leave out the index parts.
    let mut clean = String::new();
    let mut depth = 0;
    for c in raw.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => clean.push(c),
            _ => {}
        }
    }
    let clean = clean.trim_matches('.').to_string();
    let first = clean.split('.').next()?;
    let parts = clean.split('.').count();
    let is_ref = match first {
        "data" => parts >= 3,
        "module" | "local" | "var" => parts >= 2,
        t => {
            parts >= 2
                && t.contains('_')
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }
    };
    is_ref.then(|| (Span::new(start, end), clean))
}

/// Top-level blocks of the analysis `m`, with their files.
fn blocks(m: &ModuleAnalysis) -> impl Iterator<Item = (&Arc<str>, &Block)> {
    m.module
        .files
        .iter()
        .filter(move |f| !m.is_stale(&f.path))
        .flat_map(|f| f.blocks.iter().map(move |b| (&f.path, b)))
}

fn block_target(path: &Arc<str>, b: &Block) -> Target {
    let selection = match (b.labels.first(), b.labels.last()) {
        (Some(f), Some(l)) => f.span.cover(l.span),
        _ => b.ident.span,
    };
    Target::at(path, b.span, selection)
}

/// The block a Terraform reference names in folder `dir`.
fn resolve_tf_reference(ws: &Workspace, dir: &str, reference: &str) -> Vec<Target> {
    let Some(m) = folder_analysis(ws, dir) else {
        return Vec::new();
    };
    let parts: Vec<&str> = reference.split('.').collect();
    let find = |ident: &str, labels: &[&str]| -> Vec<Target> {
        blocks(&m)
            .filter(|(_, b)| {
                b.ident.value == ident && labels.iter().enumerate().all(|(i, l)| b.label(i) == *l)
            })
            .map(|(p, b)| block_target(p, b))
            .collect()
    };
    match parts.as_slice() {
        ["data", t, n, ..] => find("data", &[t, n]),
        ["var", n, ..] => find("variable", &[n]),
        ["local", n, ..] => blocks(&m)
            .filter(|(_, b)| b.ident.value == "locals")
            .flat_map(|(p, b)| {
                b.attributes
                    .iter()
                    .filter(|a| a.key.value == *n)
                    .map(|a| Target::at(p, a.span, a.key.span))
            })
            .collect(),
        ["module", n, rest @ ..] => {
            let call = find("module", &[n]);
            // A local module's output, when the reference names one.
            if let Some(out) = rest.first() {
                let source = blocks(&m)
                    .find(|(_, b)| b.ident.value == "module" && b.label(0) == *n)
                    .and_then(|(_, b)| b.attr("source"))
                    .and_then(|a| a.value.as_str().map(str::to_string));
                if let Some(src) = source.filter(|s| s.starts_with("./") || s.starts_with("../")) {
                    let child = join_path(dir, &src);
                    if let Some(cm) = folder_analysis(ws, &child) {
                        let outputs: Vec<Target> = blocks(&cm)
                            .filter(|(_, b)| b.ident.value == "output" && b.label(0) == *out)
                            .map(|(p, b)| block_target(p, b))
                            .collect();
                        if !outputs.is_empty() {
                            return outputs;
                        }
                    }
                }
            }
            call
        }
        [t, n, ..] => find("resource", &[t, n]),
        _ => Vec::new(),
    }
}

/// The Terraform resource `address` in any folder under the workspace root `root`.
fn find_address(ws: &Workspace, root: &str, address: &str) -> Vec<Target> {
    let mut out = Vec::new();
    for m in ws.modules() {
        if m.call.is_some() || m.key.starts_with("plan:") {
            continue;
        }
        let dir = m.key.split('#').next().unwrap_or("");
        if !(root.is_empty() || dir == root || dir.starts_with(&format!("{root}/"))) {
            continue;
        }
        for r in &m.module.resources {
            if r.address == address && !m.is_stale(&r.path) {
                let t = Target::at(&r.path, r.span, r.name_span);
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The entity a Terraform resource block or reference at `offset` is about.
fn tf_entity_at(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, Entity)> {
    let dir = dir_of(path);
    let m = folder_analysis(ws, dir)?;
    if m.is_stale(path) {
        return None;
    }
    let text = ws.text(path)?;
    // An instance may know the name its folder alone does not.
    let analyses = ws.modules();
    let resource_at = |address: &str| {
        analyses
            .iter()
            .filter(|x| x.key.split('#').next() == Some(dir))
            .flat_map(|x| x.module.resources.iter())
            .filter(|r| r.address == address)
            .find_map(entity_of_resource)
    };
    if let Some((span, reference)) = tf_reference_at(text, offset) {
        let parts: Vec<&str> = reference.split('.').collect();
        if let [t, n, ..] = parts.as_slice() {
            if !["data", "module", "local", "var"].contains(t) {
                if let Some(e) = resource_at(&format!("{t}.{n}")) {
                    return Some((span, e));
                }
            }
        }
    }
    for r in m.module.resources.iter().filter(|r| &*r.path == path) {
        let header = Span::new(r.span.start, r.name_span.end);
        if header.touches(offset) {
            if let Some(e) = resource_at(&r.address) {
                return Some((r.name_span, e));
            }
        }
    }
    None
}

/// The entity a `latch.toml` value at `offset` is about.
fn manifest_entity_at(m: &Manifest, offset: usize) -> Option<(Span, Entity)> {
    let t = |s: &latch_syntax::Spanned<String>| s.span.touches(offset);
    for p in &m.principals {
        if let Some(a) = p.arn.as_ref().filter(|a| t(a)) {
            return Some((a.span, Entity::Principal(a.value.clone())));
        }
    }
    for b in &m.buckets {
        if let Some(n) = b.name.as_ref().filter(|n| t(n)) {
            return Some((n.span, Entity::Bucket(n.value.clone())));
        }
        if let Some(k) = b.kms_key.as_ref().filter(|k| t(k)) {
            return Some((k.span, Entity::Key(k.value.clone())));
        }
    }
    for k in &m.keys {
        if let Some(a) = k.arn.as_ref().filter(|a| t(a)) {
            return Some((a.span, Entity::Key(a.value.clone())));
        }
    }
    for a in &m.accounts {
        if t(&a.id) || t(&a.name) {
            return Some((
                a.name.span.cover(a.id.span),
                Entity::Account(a.id.value.clone()),
            ));
        }
    }
    None
}

/// The entities the cursor is on: a value in a policy, a Terraform block or reference, a
/// `latch.toml` entry or `[[expect]]` value. The span is the mention under the cursor.
pub fn entities_at(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, Vec<Entity>)> {
    let decls = declarations(ws);
    if let Some((span, slot, value)) = policy_value_at(ws, path, offset) {
        let named = entities_named(&value, slot, &decls);
        if !named.is_empty() {
            return Some((span, named));
        }
    }
    if let Some((span, e)) = tf_entity_at(ws, path, offset) {
        return Some((span, vec![e]));
    }
    let parsed = ws.manifest(path).filter(|_| path.ends_with("latch.toml"))?;
    let m = &parsed.manifest;
    if let Some((span, e)) = manifest_entity_at(m, offset) {
        return Some((span, vec![e]));
    }
    for e in &m.expects {
        for (v, slot) in [
            (&e.principal, Slot::Principal),
            (&e.resource, Slot::Resource),
        ] {
            if let Some(v) = v.as_ref().filter(|v| v.span.touches(offset)) {
                let named = entities_named(&v.value, slot, &decls);
                if !named.is_empty() {
                    return Some((v.span, named));
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Definition

/// Where what is under the cursor is defined: the span of the mention and the targets.
pub fn definition(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, Vec<Target>)> {
    let text = ws.text(path)?;
    let kind = ws.summary(path).map(|s| s.kind);
    if kind == Some(FileKind::Manifest) {
        if let Some(found) = manifest_definition(ws, path, offset) {
            return Some(found);
        }
    }
    if matches!(kind, Some(FileKind::Terraform | FileKind::TerraformJson)) {
        if let Some(found) = terraform_definition(ws, path, text, offset) {
            return Some(found);
        }
    }
    let (span, entities) = entities_at(ws, path, offset)?;
    let decls = declarations(ws);
    let here = |t: &Target| &*t.path == path && t.range.touches(offset);
    let targets: Vec<Target> = decls
        .iter()
        .filter(|d| entities.contains(&d.entity) && !here(&d.target))
        .map(|d| d.target.clone())
        .collect();
    (!targets.is_empty()).then_some((span, targets))
}

fn manifest_definition(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, Vec<Target>)> {
    let parsed = ws.manifest(path)?;
    let m = &parsed.manifest;
    let dir = dir_of(path);
    let file = |rel: &str| ws.path_key(&join_path(dir, rel)).map(Target::file);
    for (_, r) in m.policy_refs() {
        if !r.span.touches(offset) {
            continue;
        }
        let targets = if is_file_reference(&r.value) {
            file(&r.value).into_iter().collect()
        } else {
            find_address(ws, dir, r.value.trim_end_matches(".json"))
        };
        return Some((r.span, targets));
    }
    for a in &m.check.allow {
        if let Some(f) = a.file.as_ref().filter(|f| f.span.touches(offset)) {
            return Some((f.span, file(&f.value).into_iter().collect()));
        }
    }
    // An account name where an account is expected: its `[accounts]` entry.
    let account = |name: &latch_syntax::Spanned<String>| -> Option<(Span, Vec<Target>)> {
        if !name.span.touches(offset) {
            return None;
        }
        let a = m.accounts.iter().find(|a| a.name.value == name.value)?;
        let key = ws.path_key(path)?;
        Some((
            name.span,
            vec![Target::at(&key, a.name.span.cover(a.id.span), a.name.span)],
        ))
    };
    let mut names: Vec<&latch_syntax::Spanned<String>> = Vec::new();
    names.extend(m.providers.iter().map(|p| &p.account));
    names.extend(m.buckets.iter().filter_map(|b| b.account.as_ref()));
    for d in m.scps.iter().chain(&m.rcps) {
        names.extend(d.accounts.iter());
    }
    if let Some(o) = &m.organization {
        names.extend(o.accounts.iter().flatten());
    }
    names.into_iter().find_map(account)
}

fn terraform_definition(
    ws: &Workspace,
    path: &str,
    text: &str,
    offset: usize,
) -> Option<(Span, Vec<Target>)> {
    let dir = dir_of(path);
    // A `file()` or `templatefile()` path: the file.
    for m in ws.modules() {
        for p in &m.module.policies {
            if let PolicySource::File { path: f, span, .. } = &p.source {
                if &*p.path == path && span.touches(offset) {
                    if let Some(k) = ws.path_key(f) {
                        return Some((*span, vec![Target::file(k)]));
                    }
                }
            }
        }
    }
    let (span, reference) = tf_reference_at(text, offset)?;
    let targets = resolve_tf_reference(ws, dir, &reference);
    (!targets.is_empty()).then_some((span, targets))
}

// ---------------------------------------------------------------------------------------
// References

/// Every mention of what is under the cursor (a principal, bucket or key) in a statement
/// or an `[[expect]]` entry, workspace-wide, and its declarations when asked.
pub fn references(
    ws: &Workspace,
    path: &str,
    offset: usize,
    include_declaration: bool,
) -> Option<Vec<Target>> {
    let (_, entities) = entities_at(ws, path, offset)?;
    Some(references_to(ws, &entities, include_declaration))
}

/// Every mention of `entities` in the workspace's statements and `[[expect]]` entries,
/// in path and offset order; with `include_declaration`, their declarations first.
pub fn references_to(
    ws: &Workspace,
    entities: &[Entity],
    include_declaration: bool,
) -> Vec<Target> {
    let decls = declarations(ws);
    let mut out: Vec<Target> = Vec::new();
    if include_declaration {
        for d in decls.iter().filter(|d| entities.contains(&d.entity)) {
            if !out.contains(&d.target) {
                out.push(d.target.clone());
            }
        }
    }
    let mut mentions: Vec<Target> = Vec::new();
    let mut hit = |path: &Arc<str>, slot: Slot, value: &str, span: Span| {
        if entities.iter().any(|e| names(value, slot, e)) {
            let t = Target::at(path, span, span);
            if !mentions.contains(&t) {
                mentions.push(t);
            }
        }
    };
    for (path, policy) in all_policies(ws) {
        for (slot, v) in values(&policy) {
            hit(&path, slot, &v.value, v.span);
        }
    }
    for (_, path, m) in ws.manifests() {
        for e in &m.expects {
            if let Some(p) = &e.principal {
                hit(path, Slot::Principal, &p.value, p.span);
            }
            if let Some(r) = &e.resource {
                hit(path, Slot::Resource, &r.value, r.span);
            }
        }
    }
    mentions.sort_by(|a, b| a.path.cmp(&b.path).then(a.range.start.cmp(&b.range.start)));
    for t in mentions {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests;
