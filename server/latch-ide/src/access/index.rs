//! The merged workspace index: what the files of one (sub-)workspace say together.
//! Accounts, principals with their identity policies, boundary and session policy,
//! buckets with their policy and S3 settings, KMS keys, VPC endpoints, SCP and RCP levels,
//! declared intents and CloudFront distributions, from `latch.toml`, plain JSON policy
//! files and Terraform modules. Every entry points at the document (path and span) it
//! comes from, so that findings can carry related locations and fixes can edit it.
//!
//! A folder holding its own `latch.toml` is its own sub-workspace: its files are indexed
//! there and nowhere else.

use std::collections::BTreeMap;
use std::sync::Arc;

use latch_eval::{BlockPublicAccess, CompiledPolicy, ObjectOwnership, PolicyRef};
use latch_syntax::json::Value;
use latch_syntax::manifest::{ExpectedDecision, Manifest};
use latch_syntax::policy::{Policy, PolicyKind};
use latch_syntax::span::{Span, Spanned};
use latch_syntax::terraform::{ExtractedPolicy, Module, TfResource, TfValue};

use crate::workspace::{ModuleAnalysis, Workspace};

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub path: Arc<str>,
    pub span: Span,
}

/// Where a policy's text lives, for edits in its own syntax.
#[derive(Clone, Debug)]
pub enum PolicyOrigin {
    /// A JSON policy file.
    File,
    /// A policy of a Terraform module: the module and the index in `module.policies`.
    Terraform {
        module: Arc<ModuleAnalysis>,
        index: usize,
    },
}

/// One policy document with its role in the workspace.
#[derive(Clone, Debug)]
pub struct PolicyEntry {
    /// The file that holds the policy text; spans of `tree` and `policy` are in it.
    pub path: Arc<str>,
    /// How the workspace names it: a path or a Terraform address.
    pub label: String,
    pub kind: PolicyKind,
    /// The compiled policy; its `source` is the policy model ([`PolicyEntry::policy`]).
    /// The JSON tree is not kept: [`PolicyEntry::tree`] finds it again for the fixes that
    /// edit the text.
    pub compiled: Arc<CompiledPolicy>,
    pub origin: PolicyOrigin,
}

impl PolicyEntry {
    fn new(
        path: Arc<str>,
        label: String,
        kind: PolicyKind,
        policy: Policy,
        origin: PolicyOrigin,
    ) -> Arc<PolicyEntry> {
        let compiled = Arc::new(CompiledPolicy::from_policy(
            PolicyRef::new(path.clone(), kind),
            policy,
        ));
        Arc::new(PolicyEntry {
            path,
            label,
            kind,
            compiled,
            origin,
        })
    }

    /// The policy model.
    pub fn policy(&self) -> &Policy {
        &self.compiled.source
    }

    /// The JSON tree of the policy: the Terraform module's, or the file's read again.
    pub fn tree<'a>(&'a self, ws: &Workspace) -> Option<std::borrow::Cow<'a, Value>> {
        match &self.origin {
            PolicyOrigin::Terraform { .. } => self
                .terraform()
                .and_then(|p| p.inline())
                .map(|i| std::borrow::Cow::Borrowed(&i.tree)),
            PolicyOrigin::File => {
                let summary = ws.summary(&self.path)?;
                let doc = summary.policies.first()?;
                Some(std::borrow::Cow::Owned(doc.tree.clone()))
            }
        }
    }

    /// The Terraform policy this entry is, if it is one.
    pub fn terraform(&self) -> Option<&ExtractedPolicy> {
        match &self.origin {
            PolicyOrigin::Terraform { module, index } => module.module.policies.get(*index),
            PolicyOrigin::File => None,
        }
    }

    /// The place of statement `i`.
    pub fn statement_loc(&self, i: usize) -> Option<Loc> {
        self.policy().statements.get(i).map(|s| Loc {
            path: self.path.clone(),
            span: s.span,
        })
    }
}

/// A user, role or session the workspace knows.
#[derive(Clone, Debug, Default)]
pub struct PrincipalInfo {
    pub arn: String,
    pub account: Option<String>,
    pub identity: Vec<Arc<PolicyEntry>>,
    pub boundary: Option<Arc<PolicyEntry>>,
    pub session: Option<Arc<PolicyEntry>>,
    /// The `[[principal]]` entry or the Terraform block.
    pub decl: Option<Loc>,
    /// Some identity policy of the principal is not in the workspace (an AWS managed
    /// policy attached in Terraform, say): what its identity side allows is unknown, so
    /// no finding may rest on it allowing nothing.
    pub identity_unknown: bool,
}

/// A bucket setting with the place it is written (the key of `latch.toml`, the
/// Terraform argument).
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub loc: Option<Loc>,
    /// The value's span (for edits that replace it).
    pub value_span: Option<Span>,
}

impl<T> Setting<T> {
    fn new(value: T, loc: Option<Loc>, value_span: Option<Span>) -> Setting<T> {
        Setting {
            value,
            loc,
            value_span,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct BucketInfo {
    pub name: String,
    pub account: Option<String>,
    pub policy: Option<Arc<PolicyEntry>>,
    /// The SSE-KMS key of the objects (the bucket default).
    pub kms_key: Option<Setting<String>>,
    pub ownership: Option<Setting<ObjectOwnership>>,
    pub block_public_access: Option<Setting<BlockPublicAccess>>,
    pub requester_pays: Option<Setting<bool>>,
    pub website: Option<Setting<bool>>,
    pub acl: Option<Setting<String>>,
    pub decl: Option<Loc>,
    /// A Terraform bucket: the address of `aws_s3_bucket`.
    pub tf_address: Option<String>,
    /// The `sse_algorithm` argument of a Terraform encryption configuration and the
    /// `kms_master_key_id` argument, for the AES256 fix.
    pub tf_sse: Option<(Loc, Option<Span>)>,
    /// The region its Terraform provider configuration states: requests to the bucket
    /// go to that region's endpoint (`aws:RequestedRegion`).
    pub region: Option<String>,
}

impl BucketInfo {
    pub fn is_website(&self) -> bool {
        self.website.as_ref().is_some_and(|w| w.value)
    }

    pub fn requester_pays(&self) -> bool {
        self.requester_pays.as_ref().is_some_and(|w| w.value)
    }
}

#[derive(Clone, Debug)]
pub struct KeyInfo {
    pub arn: String,
    pub policy: Option<Arc<PolicyEntry>>,
    /// A Terraform key whose ARN is only known after apply: `arn` is a stand-in that
    /// must never be written into a policy.
    pub stand_in: bool,
}

#[derive(Clone, Debug)]
pub struct EndpointInfo {
    pub id: Option<String>,
    pub policy: Arc<PolicyEntry>,
}

/// One SCP or RCP and where it applies.
#[derive(Clone, Debug)]
pub struct OrgPolicy {
    pub level: String,
    /// Account ids; empty means every account.
    pub accounts: Vec<String>,
    pub policy: Arc<PolicyEntry>,
    /// An SCP level declared an allow list (`allow_list = true`): AWS's `FullAWSAccess`
    /// is not implied there.
    pub allow_list: bool,
}

/// `[organization]`: its id and the ids of its accounts.
#[derive(Clone, Debug, Default)]
pub struct Organization {
    pub id: String,
    pub accounts: Vec<String>,
}

/// A declared intent (`[[expect]]`).
#[derive(Clone, Debug)]
pub struct ExpectInfo {
    pub principal: String,
    pub actions: Vec<String>,
    pub resource: String,
    pub context: Vec<(String, Vec<String>)>,
    pub decision: ExpectedDecision,
    /// The `[[expect]]` header.
    pub loc: Loc,
}

/// A CloudFront distribution's default root object.
#[derive(Clone, Debug)]
pub struct DistributionInfo {
    pub address: String,
    pub default_root_object: Option<(String, Loc, Span)>,
}

/// The whole index of one (sub-)workspace.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// The folder of the sub-workspace (`""` for the workspace root).
    pub root: String,
    pub manifest_path: Option<Arc<str>>,
    pub accounts: BTreeMap<String, String>,
    pub principals: Vec<PrincipalInfo>,
    pub buckets: Vec<BucketInfo>,
    pub keys: Vec<KeyInfo>,
    pub endpoints: Vec<EndpointInfo>,
    pub scps: Vec<OrgPolicy>,
    pub rcps: Vec<OrgPolicy>,
    pub expects: Vec<ExpectInfo>,
    pub distributions: Vec<DistributionInfo>,
    pub organization: Option<Organization>,
    /// Every policy of the sub-workspace, whatever its role.
    pub policies: Vec<Arc<PolicyEntry>>,
    /// Lookups by ARN and name, built once the lists are complete.
    by_principal: std::collections::HashMap<String, usize>,
    by_bucket: std::collections::HashMap<String, usize>,
}

impl Index {
    /// The principal described by `arn` (a role for its sessions too).
    pub fn principal(&self, arn: &str) -> Option<&PrincipalInfo> {
        let role_of_session = arn
            .split_once(":assumed-role/")
            .map(|(head, rest)| {
                let role = rest.split('/').next().unwrap_or(rest);
                format!("{}:role/{role}", head.replace(":sts:", ":iam:"))
            })
            .unwrap_or_default();
        if !self.by_principal.is_empty() {
            return self
                .by_principal
                .get(arn)
                .or_else(|| self.by_principal.get(&role_of_session))
                .and_then(|i| self.principals.get(*i));
        }
        self.principals
            .iter()
            .find(|p| p.arn == arn || p.arn == role_of_session)
    }

    /// The bucket of an S3 ARN (bucket or object).
    pub fn bucket_of(&self, arn: &str) -> Option<&BucketInfo> {
        let rest = arn.strip_prefix("arn:aws:s3:::")?;
        let name = rest.split('/').next().unwrap_or(rest);
        if !self.by_bucket.is_empty() {
            return self.by_bucket.get(name).and_then(|i| self.buckets.get(*i));
        }
        self.buckets.iter().find(|b| b.name == name)
    }

    pub fn key(&self, arn: &str) -> Option<&KeyInfo> {
        self.keys.iter().find(|k| k.arn == arn)
    }

    /// The policy entry whose compiled form is `compiled` (trace back to the index).
    pub fn entry_of(&self, compiled: &Arc<CompiledPolicy>) -> Option<&Arc<PolicyEntry>> {
        self.policies
            .iter()
            .find(|p| Arc::ptr_eq(&p.compiled, compiled))
    }

    fn add(&mut self, e: Arc<PolicyEntry>) -> Arc<PolicyEntry> {
        self.policies.push(e.clone());
        e
    }
}

/// The sub-workspace roots: the workspace root and every folder with a `latch.toml`.
pub fn roots(ws: &Workspace) -> Vec<String> {
    let mut out = vec![String::new()];
    for p in ws.paths() {
        if let Some(dir) = p.strip_suffix("latch.toml") {
            if dir.is_empty() {
                continue;
            }
            if let Some(d) = dir.strip_suffix('/') {
                out.push(d.to_string());
            }
        }
    }
    out
}

/// The deepest root that holds `path`.
pub fn root_of<'a>(roots: &'a [String], path: &str) -> &'a str {
    root_index(roots, path)
        .and_then(|i| roots.get(i))
        .map_or("", String::as_str)
}

/// The position in `roots` of the deepest root that holds the file `path`.
pub(crate) fn root_index(roots: &[String], path: &str) -> Option<usize> {
    deepest(roots, |r| {
        path.starts_with(r) && path.as_bytes().get(r.len()) == Some(&b'/')
    })
}

/// The position in `roots` of the root a module analysis belongs to: the deepest that
/// holds its folder or is its folder (a plan: the plan file).
pub(crate) fn module_root_index(roots: &[String], m: &ModuleAnalysis) -> Option<usize> {
    let key = m.key.strip_prefix("plan:").unwrap_or(&m.key);
    let dir = key.split('#').next().unwrap_or(key);
    deepest(roots, |r| {
        dir.starts_with(r) && matches!(dir.as_bytes().get(r.len()), None | Some(&b'/'))
    })
}

/// The longest root for which `inside` holds (the empty root holds everything).
fn deepest(roots: &[String], inside: impl Fn(&str) -> bool) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in roots.iter().enumerate() {
        if (r.is_empty() || inside(r)) && best.is_none_or(|(_, len)| r.len() > len) {
            best = Some((i, r.len()));
        }
    }
    best.map(|(i, _)| i)
}

fn join(root: &str, rel: &str) -> String {
    let rel = rel.trim_start_matches("./");
    if root.is_empty() {
        rel.to_string()
    } else {
        format!("{root}/{rel}")
    }
}

/// The place of a `key = value` line of `latch.toml` whose value is at `value`: the first
/// character of the key.
fn key_loc(path: &Arc<str>, text: &str, value: Span) -> Loc {
    let line_start = text
        .get(..value.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indent = text
        .get(line_start..value.start)
        .map_or(0, |t| t.len() - t.trim_start().len());
    Loc {
        path: path.clone(),
        span: Span::new(line_start + indent, value.end),
    }
}

fn is_tf_address(r: &str) -> bool {
    !r.contains('/') && (r.starts_with("aws_") || r.starts_with("data."))
}

/// Identifies a policy entry across analyses: the file and its revision (or the module
/// folder and its analysis), the policy's index in it, and the kind.
pub type EntryKey = (String, u64, usize, PolicyKind);

/// Entries of the previous analysis, reused while their source is unchanged.
pub type EntryCache = std::collections::HashMap<EntryKey, Arc<PolicyEntry>>;

struct Builder<'a> {
    ws: &'a Workspace,
    old: &'a EntryCache,
    new: &'a mut EntryCache,
    modules: Vec<Arc<ModuleAnalysis>>,
    index: Index,
    manifest_text: &'a str,
}

impl Builder<'_> {
    /// The policy a manifest reference names, with the kind its role gives.
    fn policy_ref(&mut self, r: &Spanned<String>, kind: PolicyKind) -> Option<Arc<PolicyEntry>> {
        if is_tf_address(&r.value) {
            for m in self.modules.clone() {
                for (i, p) in m.module.policies.iter().enumerate() {
                    if p.owner == r.value || p.address() == r.value {
                        return self.tf_entry(&m, i, kind);
                    }
                }
            }
            return None;
        }
        let path = join(&self.index.root, &r.value);
        self.file_entry(&path, kind)
    }

    /// A cached entry when its source is unchanged, else a new one.
    fn cached(
        &mut self,
        key: EntryKey,
        make: impl FnOnce() -> Arc<PolicyEntry>,
    ) -> Arc<PolicyEntry> {
        let e = match self.old.get(&key) {
            Some(e) => e.clone(),
            None => make(),
        };
        self.new.insert(key, e.clone());
        self.index.add(e)
    }

    fn file_entry(&mut self, path: &str, kind: PolicyKind) -> Option<Arc<PolicyEntry>> {
        let key = self.ws.path_key(path)?;
        let revision = self.ws.revision(path)?;
        let ek = (path.to_string(), revision, 0, kind);
        if let Some(e) = self.old.get(&ek).cloned() {
            // Unchanged: the file's tree need not be read again.
            self.new.insert(ek, e.clone());
            return Some(self.index.add(e));
        }
        let summary = self.ws.summary(path)?;
        let doc = summary.policies.first()?;
        Some(self.cached(ek, || {
            PolicyEntry::new(
                key,
                path.to_string(),
                kind,
                doc.policy.clone(),
                PolicyOrigin::File,
            )
        }))
    }

    fn tf_entry(
        &mut self,
        m: &Arc<ModuleAnalysis>,
        i: usize,
        kind: PolicyKind,
    ) -> Option<Arc<PolicyEntry>> {
        let p = m.module.policies.get(i)?;
        let inline = p.inline()?;
        let ek = (m.key.clone(), Arc::as_ptr(m) as usize as u64, i, kind);
        Some(self.cached(ek, || {
            PolicyEntry::new(
                inline.path.clone(),
                match &m.call {
                    Some(c) => format!("module.{}.{}", c.name, p.owner),
                    None => p.owner.clone(),
                },
                kind,
                inline.policy.clone(),
                PolicyOrigin::Terraform {
                    module: m.clone(),
                    index: i,
                },
            )
        }))
    }

    fn manifest(&mut self, m: &Manifest, path: &Arc<str>) {
        let text = self.manifest_text;
        for a in &m.accounts {
            self.index
                .accounts
                .insert(a.name.value.clone(), a.id.value.clone());
        }
        if let Some(o) = &m.organization {
            if let Some(id) =
                o.id.as_ref()
                    .filter(|id| latch_syntax::manifest::is_org_id(&id.value))
            {
                self.index.organization = Some(Organization {
                    id: id.value.clone(),
                    accounts: o.account_ids.clone(),
                });
            }
        }
        for p in &m.principals {
            let Some(arn) = &p.arn else { continue };
            let identity: Vec<Arc<PolicyEntry>> = p
                .policies
                .iter()
                .filter_map(|r| self.policy_ref(r, PolicyKind::Identity))
                .collect();
            let boundary = p
                .boundary
                .as_ref()
                .and_then(|r| self.policy_ref(r, PolicyKind::Boundary));
            let session = p
                .session_policy
                .as_ref()
                .and_then(|r| self.policy_ref(r, PolicyKind::Session));
            let account = latch_eval::PrincipalId::parse(&arn.value)
                .account()
                .map(str::to_string);
            // A policy the manifest names but the workspace does not hold leaves the
            // identity side unknown.
            let identity_unknown = identity.len() != p.policies.len();
            self.index.principals.push(PrincipalInfo {
                arn: arn.value.clone(),
                account,
                identity,
                boundary,
                session,
                decl: Some(Loc {
                    path: path.clone(),
                    span: p.span,
                }),
                identity_unknown,
            });
        }
        for b in &m.buckets {
            let Some(name) = &b.name else { continue };
            let policy = b
                .policy
                .as_ref()
                .and_then(|r| self.policy_ref(r, PolicyKind::Resource));
            let loc = |s: Span| Some(key_loc(path, text, s));
            let existing = self.index.buckets.iter().position(|x| x.name == name.value);
            let mut info = match existing {
                Some(i) => self.index.buckets.remove(i),
                None => BucketInfo {
                    name: name.value.clone(),
                    ..BucketInfo::default()
                },
            };
            info.account = b.account_id.clone().or(info.account);
            info.policy = policy.or(info.policy);
            info.decl = Some(Loc {
                path: path.clone(),
                span: b.span,
            });
            if let Some(k) = &b.kms_key {
                info.kms_key = Some(Setting::new(k.value.clone(), loc(k.span), Some(k.span)));
            }
            if let Some(o) = &b.object_ownership {
                if let Some(v) = ObjectOwnership::parse(&o.value) {
                    info.ownership = Some(Setting::new(v, loc(o.span), Some(o.span)));
                }
            }
            if let Some(bpa) = &b.block_public_access {
                let v = BlockPublicAccess {
                    block_public_acls: bpa.value.block_public_acls,
                    ignore_public_acls: bpa.value.ignore_public_acls,
                    block_public_policy: bpa.value.block_public_policy,
                    restrict_public_buckets: bpa.value.restrict_public_buckets,
                };
                info.block_public_access = Some(Setting::new(v, loc(bpa.span), Some(bpa.span)));
            }
            if let Some(r) = &b.requester_pays {
                info.requester_pays = Some(Setting::new(r.value, loc(r.span), Some(r.span)));
            }
            if let Some(w) = &b.website {
                info.website = Some(Setting::new(w.value, loc(w.span), Some(w.span)));
            }
            if let Some(a) = &b.acl {
                info.acl = Some(Setting::new(a.value.clone(), loc(a.span), Some(a.span)));
            }
            self.index.buckets.push(info);
        }
        for k in &m.keys {
            let Some(arn) = &k.arn else { continue };
            let policy = k
                .policy
                .as_ref()
                .and_then(|r| self.policy_ref(r, PolicyKind::KeyPolicy));
            self.index.keys.push(KeyInfo {
                arn: arn.value.clone(),
                policy,
                stand_in: false,
            });
        }
        for e in &m.vpc_endpoints {
            let Some(policy) = e
                .policy
                .as_ref()
                .and_then(|r| self.policy_ref(r, PolicyKind::VpcEndpoint))
            else {
                continue;
            };
            let id = e.id.as_ref().map(|i| i.value.clone());
            self.index
                .endpoints
                .retain(|x| x.policy.label != policy.label);
            self.index.endpoints.push(EndpointInfo { id, policy });
        }
        for (decls, kind) in [(&m.scps, PolicyKind::Scp), (&m.rcps, PolicyKind::Rcp)] {
            for d in decls {
                let Some(policy) = d.policy.as_ref().and_then(|r| self.policy_ref(r, kind)) else {
                    continue;
                };
                let org = OrgPolicy {
                    level: d
                        .level
                        .as_ref()
                        .map_or_else(|| "root".to_string(), |l| l.value.clone()),
                    accounts: d.account_ids.clone(),
                    policy,
                    allow_list: d.allow_list.as_ref().is_some_and(|b| b.value),
                };
                match kind {
                    PolicyKind::Scp => self.index.scps.push(org),
                    _ => self.index.rcps.push(org),
                }
            }
        }
        for e in &m.expects {
            let (Some(principal), Some(resource)) = (&e.principal, &e.resource) else {
                continue;
            };
            self.index.expects.push(ExpectInfo {
                principal: principal.value.clone(),
                actions: e.actions.iter().map(|a| a.value.clone()).collect(),
                resource: resource.value.clone(),
                context: e
                    .context
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.iter().map(|x| x.value.clone()).collect()))
                    .collect(),
                decision: e
                    .decision
                    .as_ref()
                    .map_or(ExpectedDecision::Allow, |d| d.value),
                loc: Loc {
                    path: path.clone(),
                    span: Span::new(e.span.start, e.span.start + 10),
                },
            });
        }
    }

    /// Everything a Terraform module says.
    fn terraform(&mut self, m: &Arc<ModuleAnalysis>) {
        let module = &m.module;
        // Principals first, so that policies attach to them.
        for r in module.resources.iter().filter(|r| {
            matches!(r.resource_type.as_str(), "aws_iam_role" | "aws_iam_user")
                && r.mode == latch_syntax::terraform::ResourceMode::Managed
        }) {
            let Some(arn) = known_arn(r) else { continue };
            if self.index.principals.iter().any(|p| p.arn == arn) {
                continue;
            }
            self.index.principals.push(PrincipalInfo {
                account: r.account.clone(),
                arn,
                decl: Some(Loc {
                    path: r.path.clone(),
                    span: r.span,
                }),
                ..PrincipalInfo::default()
            });
        }
        let regions = &module.regions;
        for r in module
            .resources
            .iter()
            .filter(|r| r.resource_type == "aws_s3_bucket")
        {
            let Some(name) = r.get_str("bucket") else {
                continue;
            };
            if self.index.buckets.iter().any(|b| b.name == name) {
                continue;
            }
            self.index.buckets.push(BucketInfo {
                name: name.to_string(),
                account: r.account.clone(),
                decl: Some(Loc {
                    path: r.path.clone(),
                    span: r.span,
                }),
                tf_address: Some(r.address.clone()),
                region: regions.get(&r.provider).cloned(),
                // New buckets enforce bucket-owner ownership (docs/aws-rules.md §8.2).
                ..BucketInfo::default()
            });
        }
        for r in module
            .resources
            .iter()
            .filter(|r| r.resource_type == "aws_kms_key")
        {
            if let Some(arn) = known_arn(r) {
                if !self.index.keys.iter().any(|k| k.arn == arn) {
                    let stand_in = crate::workspace::is_stand_in_key(&arn, &r.name);
                    self.index.keys.push(KeyInfo {
                        arn,
                        policy: None,
                        stand_in,
                    });
                }
            }
        }
        for (i, p) in module.policies.iter().enumerate() {
            let Some(owner) = module.resource(&p.owner) else {
                continue;
            };
            if p.inline().is_none() {
                continue;
            }
            match owner.resource_type.as_str() {
                "aws_iam_role_policy" | "aws_iam_user_policy" => {
                    let target = owner
                        .attr(if owner.resource_type == "aws_iam_role_policy" {
                            "role"
                        } else {
                            "user"
                        })
                        .and_then(|a| referenced(a, module));
                    let arn = target.and_then(known_arn);
                    if let (Some(arn), Some(e)) = (arn, self.tf_entry(m, i, PolicyKind::Identity)) {
                        if let Some(pr) = self.index.principals.iter_mut().find(|x| x.arn == arn) {
                            pr.identity.push(e);
                        }
                    }
                }
                "aws_iam_role" if p.attribute != "assume_role_policy" => {
                    if let (Some(arn), Some(e)) =
                        (known_arn(owner), self.tf_entry(m, i, PolicyKind::Identity))
                    {
                        if let Some(pr) = self.index.principals.iter_mut().find(|x| x.arn == arn) {
                            pr.identity.push(e);
                        }
                    }
                }
                "aws_iam_policy" => {
                    for b in &p.boundary_for {
                        let arn = module.resource(b).and_then(known_arn);
                        if let (Some(arn), Some(e)) =
                            (arn, self.tf_entry(m, i, PolicyKind::Boundary))
                        {
                            if let Some(pr) =
                                self.index.principals.iter_mut().find(|x| x.arn == arn)
                            {
                                pr.boundary = Some(e);
                            }
                        }
                    }
                    for att in module.resources.iter().filter(|r| {
                        matches!(
                            r.resource_type.as_str(),
                            "aws_iam_role_policy_attachment" | "aws_iam_user_policy_attachment"
                        )
                    }) {
                        let names_policy = att.attr("policy_arn").is_some_and(|a| {
                            a.references
                                .iter()
                                .any(|x| x.value.starts_with(&format!("{}.", owner.address)))
                        });
                        if !names_policy {
                            continue;
                        }
                        let target = att
                            .attr("role")
                            .or_else(|| att.attr("user"))
                            .and_then(|a| referenced(a, module));
                        if let (Some(arn), Some(e)) = (
                            target.and_then(known_arn),
                            self.tf_entry(m, i, PolicyKind::Identity),
                        ) {
                            if let Some(pr) =
                                self.index.principals.iter_mut().find(|x| x.arn == arn)
                            {
                                pr.identity.push(e);
                            }
                        }
                    }
                }
                "aws_s3_bucket_policy" | "aws_s3_bucket" => {
                    let name = if owner.resource_type == "aws_s3_bucket" {
                        owner.get_str("bucket").map(str::to_string)
                    } else {
                        bucket_name(owner, module)
                    };
                    if let Some(name) = name {
                        if let Some(e) = self.tf_entry(m, i, PolicyKind::Resource) {
                            if let Some(b) = self.index.buckets.iter_mut().find(|b| b.name == name)
                            {
                                if b.policy.is_none() {
                                    b.policy = Some(e);
                                }
                            }
                        }
                    }
                }
                "aws_kms_key" | "aws_kms_key_policy" => {
                    let key = if owner.resource_type == "aws_kms_key" {
                        Some(owner)
                    } else {
                        owner.attr("key_id").and_then(|a| referenced(a, module))
                    };
                    if let Some(arn) = key.and_then(known_arn) {
                        if let Some(e) = self.tf_entry(m, i, PolicyKind::KeyPolicy) {
                            match self.index.keys.iter_mut().find(|k| k.arn == arn) {
                                Some(k) => k.policy = Some(e),
                                None => self.index.keys.push(KeyInfo {
                                    stand_in: crate::workspace::is_stand_in_key(
                                        &arn,
                                        key.map_or("", |k| k.name.as_str()),
                                    ),
                                    arn,
                                    policy: Some(e),
                                }),
                            }
                        }
                    }
                }
                "aws_vpc_endpoint" | "aws_vpc_endpoint_policy" => {
                    if let Some(e) = self.tf_entry(m, i, PolicyKind::VpcEndpoint) {
                        let id = if owner.resource_type == "aws_vpc_endpoint" {
                            owner.get_str("id").map(str::to_string)
                        } else {
                            None
                        };
                        self.index.endpoints.push(EndpointInfo { id, policy: e });
                    }
                }
                _ => {}
            }
        }
        // Attachments of policies the workspace does not hold.
        for r in &module.resources {
            let target_attr = match r.resource_type.as_str() {
                "aws_iam_role_policy_attachment" => "role",
                "aws_iam_user_policy_attachment" => "user",
                "aws_iam_role" | "aws_iam_user" => {
                    let managed = r.attr("managed_policy_arns").is_some_and(
                        |a| !matches!(&a.value.value, TfValue::List(items) if items.is_empty()),
                    );
                    if managed {
                        if let Some(arn) = known_arn(r) {
                            if let Some(p) = self.index.principals.iter_mut().find(|p| p.arn == arn)
                            {
                                p.identity_unknown = true;
                            }
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let known_policy = r.attr("policy_arn").is_some_and(|a| {
                referenced(a, module).is_some_and(|p| p.resource_type == "aws_iam_policy")
            });
            if known_policy {
                continue;
            }
            let arn = r
                .attr(target_attr)
                .and_then(|a| referenced(a, module))
                .and_then(known_arn);
            if let Some(arn) = arn {
                if let Some(p) = self.index.principals.iter_mut().find(|p| p.arn == arn) {
                    p.identity_unknown = true;
                }
            }
        }
        // Bucket settings.
        for r in &module.resources {
            let Some(name) = bucket_name(r, module) else {
                continue;
            };
            let Some(b) = self.index.buckets.iter_mut().find(|b| b.name == name) else {
                continue;
            };
            let attr_loc = |a: &latch_syntax::terraform::ResourceAttr| Loc {
                path: r.path.clone(),
                span: a.span,
            };
            match r.resource_type.as_str() {
                "aws_s3_bucket_ownership_controls" => {
                    for rule in r.body.blocks_named("rule") {
                        if let Some(a) = rule
                            .body
                            .attributes
                            .iter()
                            .find(|a| a.key.value == "object_ownership")
                        {
                            if let Some(v) = a.value.value.as_str().and_then(ObjectOwnership::parse)
                            {
                                b.ownership =
                                    Some(Setting::new(v, Some(attr_loc(a)), Some(a.value.span)));
                            }
                        }
                    }
                }
                "aws_s3_bucket_public_access_block" => {
                    let flag = |k: &str| matches!(r.get(k), Some(TfValue::Bool(true)));
                    let v = BlockPublicAccess {
                        block_public_acls: flag("block_public_acls"),
                        ignore_public_acls: flag("ignore_public_acls"),
                        block_public_policy: flag("block_public_policy"),
                        restrict_public_buckets: flag("restrict_public_buckets"),
                    };
                    // The flags that refuse a public policy come first: they are the
                    // ones that matter for public read.
                    let loc = ["restrict_public_buckets", "block_public_policy"]
                        .iter()
                        .filter_map(|k| r.attr(k))
                        .chain(r.body.attributes.iter())
                        .find(|a| matches!(a.value.value, TfValue::Bool(true)))
                        .map(attr_loc);
                    b.block_public_access = Some(Setting::new(v, loc, None));
                }
                "aws_s3_bucket_server_side_encryption_configuration" => {
                    for rule in r.body.blocks_named("rule") {
                        for d in rule
                            .body
                            .blocks_named("apply_server_side_encryption_by_default")
                        {
                            let alg = d
                                .body
                                .attributes
                                .iter()
                                .find(|a| a.key.value == "sse_algorithm");
                            let key = d
                                .body
                                .attributes
                                .iter()
                                .find(|a| a.key.value == "kms_master_key_id");
                            let Some(alg) = alg else { continue };
                            let kms = alg
                                .value
                                .value
                                .as_str()
                                .is_some_and(|s| s.starts_with("aws:kms"));
                            if !kms {
                                continue;
                            }
                            let key_arn = key
                                .and_then(|k| k.value.value.as_str().map(str::to_string))
                                .unwrap_or_else(|| "aws/s3".to_string());
                            b.kms_key = Some(Setting::new(key_arn, Some(attr_loc(alg)), None));
                            b.tf_sse = Some((attr_loc(alg), key.map(|k| k.span)));
                        }
                    }
                }
                "aws_s3_bucket_request_payment_configuration" => {
                    if let Some(a) = r.attr("payer") {
                        let v = a.value.value.as_str() == Some("Requester");
                        b.requester_pays =
                            Some(Setting::new(v, Some(attr_loc(a)), Some(a.value.span)));
                    }
                }
                "aws_s3_bucket_acl" => {
                    if let Some(a) = r.attr("acl") {
                        if let Some(v) = a.value.value.as_str() {
                            b.acl = Some(Setting::new(
                                v.to_string(),
                                Some(attr_loc(a)),
                                Some(a.value.span),
                            ));
                        }
                    }
                }
                "aws_s3_bucket_website_configuration" => {
                    b.website = Some(Setting::new(
                        true,
                        Some(Loc {
                            path: r.path.clone(),
                            span: r.span,
                        }),
                        None,
                    ));
                }
                _ => {}
            }
        }
        // A bucket with a website configuration that CloudFront reads through its REST
        // endpoint (an origin on `bucket_regional_domain_name`, with OAC or OAI) is not
        // served through the website endpoint.
        let mut rest: Vec<String> = Vec::new();
        let mut website: Vec<String> = Vec::new();
        for r in module
            .resources
            .iter()
            .filter(|r| r.resource_type == "aws_cloudfront_distribution")
        {
            for o in r.body.blocks_named("origin") {
                for a in o
                    .body
                    .attributes
                    .iter()
                    .filter(|a| a.key.value == "domain_name")
                {
                    for reference in &a.references {
                        let parts: Vec<&str> = reference.value.split('.').collect();
                        match parts.as_slice() {
                            [
                                "aws_s3_bucket",
                                n,
                                "bucket_regional_domain_name" | "bucket_domain_name",
                                ..,
                            ] => {
                                rest.push(format!("aws_s3_bucket.{n}"));
                            }
                            ["aws_s3_bucket_website_configuration", n, ..] => {
                                if let Some(b) = module
                                    .resource(&format!("aws_s3_bucket_website_configuration.{n}"))
                                    .and_then(|w| w.attr("bucket"))
                                    .and_then(|a| referenced(a, module))
                                {
                                    website.push(b.address.clone());
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        for b in &mut self.index.buckets {
            let Some(addr) = &b.tf_address else { continue };
            if rest.contains(addr) && !website.contains(addr) {
                if let Some(w) = &mut b.website {
                    w.value = false;
                }
            }
        }
        for r in module
            .resources
            .iter()
            .filter(|r| r.resource_type == "aws_cloudfront_distribution")
        {
            let default_root_object = r.attr("default_root_object").and_then(|a| {
                let v = a.value.value.as_str()?;
                Some((
                    v.to_string(),
                    Loc {
                        path: r.path.clone(),
                        span: a.span,
                    },
                    a.value.span,
                ))
            });
            self.index.distributions.push(DistributionInfo {
                address: r.address.clone(),
                default_root_object,
            });
        }
    }
}

/// The ARN of a resource when it is known.
fn known_arn(r: &TfResource) -> Option<String> {
    r.arn
        .as_ref()
        .and_then(|a| a.value.as_str().map(str::to_string))
}

/// The resource an attribute refers to (`role = aws_iam_role.r.id` gives `aws_iam_role.r`).
fn referenced<'m>(
    a: &latch_syntax::terraform::ResourceAttr,
    module: &'m Module,
) -> Option<&'m TfResource> {
    a.references.iter().find_map(|r| {
        let parts: Vec<&str> = r.value.split('.').collect();
        let address = match parts.as_slice() {
            ["data", t, n, ..] => format!("data.{t}.{n}"),
            [t, n, ..] => format!("{t}.{n}"),
            _ => return None,
        };
        module.resource(&address)
    })
}

/// The bucket name a resource's `bucket` argument names.
fn bucket_name(r: &TfResource, module: &Module) -> Option<String> {
    let a = r.attr("bucket")?;
    if let Some(target) = referenced(a, module) {
        if target.resource_type == "aws_s3_bucket" {
            return target.get_str("bucket").map(str::to_string);
        }
    }
    if r.resource_type == "aws_s3_bucket" {
        return None;
    }
    a.value.value.as_str().map(str::to_string)
}

/// Builds the index of the sub-workspace at `root`.
pub fn build(
    ws: &Workspace,
    root: &str,
    all_roots: &[String],
    modules: &[Arc<ModuleAnalysis>],
    manifest: Option<(&Arc<str>, &str, &Manifest)>,
    old: &EntryCache,
    new: &mut EntryCache,
) -> Index {
    // A folder that a call instantiates is simulated through its instances only: read
    // alone, its inputs are unknown.
    let called: std::collections::HashSet<&str> = modules
        .iter()
        .filter_map(|m| m.call.as_ref().map(|c| c.child.as_str()))
        .collect();
    let mine: Vec<Arc<ModuleAnalysis>> = modules
        .iter()
        .filter(|m| m.call.is_some() || !called.contains(m.key.as_str()))
        .filter(|m| {
            module_root_index(all_roots, m)
                .and_then(|i| all_roots.get(i))
                .map_or("", String::as_str)
                == root
        })
        .cloned()
        .collect();
    let mut b = Builder {
        ws,
        old,
        new,
        modules: mine.clone(),
        index: Index {
            root: root.to_string(),
            manifest_path: manifest.map(|(p, _, _)| p.clone()),
            ..Index::default()
        },
        manifest_text: manifest.map_or("", |(_, t, _)| t),
    };
    for m in &mine {
        b.terraform(m);
    }
    if let Some((path, _, manifest)) = manifest {
        b.manifest(manifest, path);
    }
    let mut ix = b.index;
    for (i, p) in ix.principals.iter().enumerate().rev() {
        ix.by_principal.insert(p.arn.clone(), i);
    }
    for (i, bk) in ix.buckets.iter().enumerate().rev() {
        ix.by_bucket.insert(bk.name.clone(), i);
    }
    ix
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::workspace_from_fixture;

    #[test]
    fn a_folder_with_its_own_manifest_is_its_own_workspace() {
        let ws = workspace_from_fixture(
            "//- latch.toml\n[accounts]\na = \"111122223333\"\n//- sub/latch.toml\n[accounts]\nb = \"444455556666\"\n//- sub/tf/main.tf\n\n",
        );
        let r = roots(&ws);
        assert_eq!(r, vec![String::new(), "sub".to_string()]);
        assert_eq!(root_of(&r, "sub/tf/main.tf"), "sub");
        assert_eq!(root_of(&r, "subway/x.json"), "");
        assert_eq!(root_of(&r, "x.json"), "");
    }

    #[test]
    fn principals_buckets_and_keys_come_from_the_manifest_and_terraform() {
        let ws = workspace_from_fixture(
            r#"//- latch.toml
[accounts]
storage = "444455556666"

[providers]
aws = "storage"

[[principal]]
arn = "arn:aws:iam::111122223333:role/Reader"
policies = ["iam/reader.json"]
//- iam/reader.json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
//- main.tf
resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_ownership_controls" "b" {
  bucket = aws_s3_bucket.b.id
  rule {
    object_ownership = "ObjectWriter"
  }
}

resource "aws_kms_key" "k" {
  description = "k"
}
"#,
        );
        let roots = roots(&ws);
        let modules = ws.modules();
        let key = ws.path_key("latch.toml").expect("manifest");
        let m = ws.manifest(&key).expect("parsed");
        let text = ws.text(&key).expect("text");
        let mut new = EntryCache::new();
        let ix = build(
            &ws,
            "",
            &roots,
            &modules,
            Some((&key, text, &m.manifest)),
            &EntryCache::new(),
            &mut new,
        );
        let p = ix
            .principal("arn:aws:sts::111122223333:assumed-role/Reader/s1")
            .expect("a session finds its role");
        assert_eq!(p.identity.len(), 1);
        let b = ix
            .bucket_of("arn:aws:s3:::b/x")
            .expect("bucket from terraform");
        assert_eq!(b.account.as_deref(), Some("444455556666"));
        assert_eq!(
            b.ownership.as_ref().map(|o| o.value),
            Some(ObjectOwnership::ObjectWriter)
        );
        let k = ix.keys.first().expect("key");
        assert!(
            k.stand_in && k.arn.ends_with(":444455556666:key/k"),
            "{}",
            k.arn
        );
        assert_eq!(new.len(), 1, "the identity policy entry is cached");
    }
}

#[cfg(test)]
mod website_tests {
    use super::*;
    use crate::workspace::Workspace;

    fn index(ws: &Workspace) -> Index {
        let roots = roots(ws);
        let modules = ws.modules();
        let mut new = EntryCache::new();
        build(ws, "", &roots, &modules, None, &EntryCache::new(), &mut new)
    }

    #[test]
    fn a_website_bucket_read_through_its_rest_endpoint_is_not_served_as_a_website() {
        let mut ws = Workspace::new();
        let tf = include_str!("../../../../tests/fixtures/terraform/website/main.tf");
        ws.set_file("site/main.tf", tf.as_bytes());
        let vars = include_str!("../../../../tests/fixtures/terraform/website/terraform.tfvars");
        ws.set_file("site/terraform.tfvars", vars.as_bytes());
        let ix = index(&ws);
        let b = ix.buckets.first().expect("the bucket");
        assert!(b.website.is_some() && !b.is_website());

        let mut ws = Workspace::new();
        let tf = include_str!("../../../../examples/cloudfront-website/terraform/cloudfront.tf");
        ws.set_file("site/cloudfront.tf", tf.as_bytes());
        let bucket = include_str!("../../../../examples/cloudfront-website/terraform/bucket.tf");
        ws.set_file("site/bucket.tf", bucket.as_bytes());
        let main = include_str!("../../../../examples/cloudfront-website/terraform/main.tf");
        ws.set_file("site/main.tf", main.as_bytes());
        let deploy = include_str!("../../../../examples/cloudfront-website/terraform/deploy.tf");
        ws.set_file("site/deploy.tf", deploy.as_bytes());
        let ix = index(&ws);
        assert!(ix.buckets.iter().any(BucketInfo::is_website));
    }
}

#[cfg(test)]
mod attachment_tests {
    use super::*;
    use crate::workspace::workspace_from_fixture;

    #[test]
    fn a_role_with_an_aws_managed_policy_has_an_unknown_identity_side() {
        let ws = workspace_from_fixture(
            r#"//- latch.toml
[accounts]
a = "111122223333"

[providers]
aws = "a"
//- main.tf
resource "aws_iam_role" "r" {
  name               = "Reader"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "ro" {
  role       = aws_iam_role.r.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}
"#,
        );
        let roots = roots(&ws);
        let modules = ws.modules();
        let mut new = EntryCache::new();
        let ix = build(
            &ws,
            "",
            &roots,
            &modules,
            None,
            &EntryCache::new(),
            &mut new,
        );
        let p = ix.principals.first().expect("the role");
        assert!(p.identity_unknown);
    }
}
