//! The workspace simulation: every intent of every (sub-)workspace evaluated by the engine
//! across every policy that applies, and the bucket and distribution settings that make
//! AWS answer 403 whatever the policies say. Reports the checks of SCENARIOS sections A
//! and B: on the statement or setting that causes the problem, naming the blocked
//! request, with the engine's trace rendered (never re-derived) and related locations
//! for every document that takes part; fixes are edits in the syntax of the file they
//! touch, possibly another file than the finding's.
//!
//! Choices a reader should know:
//! - One finding per code and place: a statement whose several intents fail is reported
//!   once, its first line naming every blocked request and its trace the first one's.
//! - An inferred intent fails where it is implied (the grant that "has no effect"); a
//!   request implied both by a bucket-policy grant and an identity Allow is reported on
//!   the grant. A declared intent fails on the grant of its decision (resource side first),
//!   and on its `[[expect]]` header only when no statement takes part.
//! - Every deciding Deny is reported at its own statement; the more specific code wins
//!   (`access/scp`, `access/rcp`, `access/mfa`, `access/encryption-header` before
//!   `access/explicit-deny`).
//! - Nothing is reported that rests on what the workspace does not hold: a principal with
//!   identity policies outside the workspace gets no identity-side finding, and SSE-KMS
//!   reads and writes are checked only against keys whose policy is in the workspace.
//! - [`Cache`]: policy entries are compiled once per file revision (or module analysis),
//!   and each intent's findings are reused while the policies and S3 settings of its
//!   decision are the same ones (compared by identity), so an edit re-decides only the
//!   intents that the edited file takes part in.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use latch_eval::render::{self, Locate};
use latch_eval::{
    Basis, Blocker, CompiledPolicy, Context, Decision, Layer, ObjectOwnership, Outcome, PolicyRef,
    PolicySet, PrincipalId, Request, S3Facts, StmtRef, Trace, VpcEndpoint, evaluate,
};
use latch_eval::{Certainty, evaluate_open};
use latch_syntax::finding::{Edit, Finding, Fix, Related, Severity};
use latch_syntax::json::{Value, ValueKind, json_string};
use latch_syntax::manifest::ExpectedDecision;
use latch_syntax::policy::{Effect, PrincipalValue, Statement};
use latch_syntax::span::Span;
use latch_syntax::terraform::edit as tf_edit;

pub mod facts;

pub(crate) use facts::request_of;

use crate::index::{self, BucketInfo, Index, Loc, PolicyEntry, PolicyOrigin};
use crate::intents::{Intent, IntentSource, intents};
use crate::workspace::{ModuleAnalysis, Workspace};

/// What the simulation keeps between analyses: the policy entries of unchanged files
/// (compiled once), and the findings of each intent with the policies they were decided
/// on, reused while those are the same.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<index::EntryCache>,
    decisions: Mutex<DecisionCache>,
}

type DecisionCache = HashMap<String, (Vec<Arc<CompiledPolicy>>, String, Vec<Draft>)>;

/// One finding before its messages are merged with others at the same place.
#[derive(Clone)]
pub(crate) struct Draft {
    /// Bytes of `message` before the blocked request (the check's own words), left out
    /// when the request is added to another finding at the same place.
    head: usize,
    code: &'static str,
    pub(crate) severity: Severity,
    loc: Loc,
    message: String,
    pub(crate) related: Vec<(Loc, String)>,
    fixes: Vec<Fix>,
}

/// Runs the simulation over every sub-workspace and adds its findings to `out`.
pub fn run(
    ws: &Workspace,
    modules: &[Arc<ModuleAnalysis>],
    out: &mut BTreeMap<Arc<str>, Vec<Finding>>,
) {
    let roots = index::roots(ws);
    let old_entries = std::mem::take(&mut *lock(&ws.access.entries));
    let old_decisions = std::mem::take(&mut *lock(&ws.access.decisions));
    let mut new_entries = index::EntryCache::new();
    let mut new_decisions = DecisionCache::new();
    for root in &roots {
        let (ix, key) = index_of_root(ws, root, &roots, modules, &old_entries, &mut new_entries);
        let manifest_rev = key.as_ref().and_then(|k| ws.revision(k)).unwrap_or(0);
        let drafts = simulate(ws, &ix, manifest_rev, &old_decisions, &mut new_decisions);
        let stand_ins = facts::stand_ins(modules);
        for mut d in drafts {
            if !stand_ins.is_empty() {
                facts::mark_stand_ins(&mut d.message, &stand_ins);
                for (_, m) in &mut d.related {
                    facts::mark_stand_ins(m, &stand_ins);
                }
                // A stand-in account is no account: a fix never writes it down.
                d.fixes.retain(|f| {
                    f.edits.iter().all(|e| {
                        !stand_ins
                            .iter()
                            .any(|(a, _)| e.new_text.contains(a.as_str()))
                    })
                });
            }
            let text = ws.text(&d.loc.path);
            push(out, d, text);
        }
    }
    *lock(&ws.access.entries) = new_entries;
    *lock(&ws.access.decisions) = new_decisions;
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The part of a statement an editor underlines: from its start to the end of its first
/// line. A whole multi-line statement would cover the screen; the related locations and
/// the fixes still use the whole span.
fn headline_range(text: Option<&str>, span: Span) -> Span {
    let Some(text) = text else { return span };
    let Some(rest) = text.get(span.start..span.end) else {
        return span;
    };
    let Some(first) = rest.find('\n') else {
        return span;
    };
    // A JSON statement usually opens with a lone `{`: underline through its next line
    // (the `Sid` or first element) so the mark is visible.
    let end = if rest[..first].trim() == "{" {
        rest[first + 1..]
            .find('\n')
            .map_or(rest.len(), |j| first + 1 + j)
    } else {
        first
    };
    let line = rest[..end].trim_end();
    Span::new(span.start, span.start + line.len().max(1).min(span.len()))
}

fn push(out: &mut BTreeMap<Arc<str>, Vec<Finding>>, d: Draft, text: Option<&str>) {
    let list = out.entry(d.loc.path.clone()).or_default();
    if let Some(f) = list
        .iter_mut()
        .find(|f| f.code == d.code && f.range.start == d.loc.span.start)
    {
        // One finding per code and place: its first line names every blocked request,
        // the trace below it is the first one's.
        let line = d
            .message
            .lines()
            .next()
            .unwrap_or_default()
            .get(d.head..)
            .unwrap_or_default();
        if !f.message.contains(line) {
            let end = f.message.find("\n\n").unwrap_or(f.message.len());
            f.message.insert_str(end, &format!("; also {line}"));
        }
        for fix in d.fixes {
            if !f.fixes.iter().any(|x| x.title == fix.title) {
                f.fixes.push(fix);
            }
        }
        return;
    }
    let mut f = Finding::new(
        d.code,
        d.severity,
        headline_range(text, d.loc.span),
        d.message,
    );
    f.path = d.loc.path.clone();
    for (loc, message) in d.related {
        if loc == d.loc {
            continue;
        }
        f.related.push(Related {
            path: Some(loc.path),
            range: loc.span,
            message,
        });
    }
    f.fixes = d.fixes;
    list.push(f);
}

/// 1-based line of a byte offset in a workspace file.
pub(crate) fn line_of(ws: &Workspace, path: &str, offset: usize) -> usize {
    ws.text(path)
        .and_then(|t| t.get(..offset))
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// The policy set that applies to `req`, and the SCP/RCP level names in order.
pub fn policy_set(
    ix: &Index,
    req: &Request,
) -> (PolicySet, Vec<Arc<PolicyEntry>>, Vec<Arc<PolicyEntry>>) {
    let mut set = PolicySet::default();
    let caller = &req.principal;
    match ix.principal(caller.arn()) {
        Some(p) => {
            set.identity = p.identity.iter().map(|e| e.compiled.clone()).collect();
            set.boundary = p.boundary.as_ref().map(|e| e.compiled.clone());
            set.session = p.session.as_ref().map(|e| e.compiled.clone());
            set.identity_unknown = p.identity_unknown;
        }
        // A principal the workspace does not describe (a partner's role): its own
        // policies are not here, so they are neither an allow nor a deny.
        None => {
            set.identity_unknown =
                !matches!(caller, PrincipalId::Anonymous | PrincipalId::Service(_));
        }
    }
    if let Some(b) = ix.bucket_of(&req.resource) {
        set.resource = b.policy.as_ref().map(|e| e.compiled.clone());
        set.resource_account = b.account.clone();
        // Only a key whose policy the workspace holds takes part: for another key (an AWS
        // managed key, one of another workspace, a Terraform key without `policy`) the
        // dependent request cannot be decided, and no finding may rest on it.
        let kms_key_policy = b
            .kms_key
            .as_ref()
            .and_then(|k| ix.key(&k.value))
            .and_then(|k| k.policy.as_ref())
            .map(|e| e.compiled.clone());
        let kms_key = kms_key_policy
            .as_ref()
            .and(b.kms_key.as_ref().map(|k| k.value.clone()));
        let payer = req
            .context
            .values("x-amz-request-payer")
            .or_else(|| req.context.values("s3:RequestPayer"))
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("requester"));
        set.s3 = Some(S3Facts {
            bucket_owner: b.account.clone(),
            object_owner: None,
            object_ownership: Some(
                b.ownership
                    .as_ref()
                    .map_or(ObjectOwnership::BucketOwnerEnforced, |o| o.value),
            ),
            object_acl: Vec::new(),
            block_public_access: b
                .block_public_access
                .as_ref()
                .map(|s| s.value)
                .unwrap_or_default(),
            requester_pays: b.requester_pays(),
            request_payer_header: payer,
            object_exists: None,
            kms_key,
            kms_key_policy,
        });
    } else if let Some(k) = ix.key(&req.resource) {
        set.resource = k.policy.as_ref().map(|e| e.compiled.clone());
    }
    let resource_account = set
        .resource_account
        .clone()
        .or_else(|| req.resource_arn_account().map(str::to_string))
        .or_else(|| caller.account().map(str::to_string));
    let (scp, scp_first) = levels(&ix.scps, caller.account(), true);
    let (rcp, rcp_first) = levels(&ix.rcps, resource_account.as_deref(), false);
    set.scp = scp;
    set.rcp = rcp;
    set.vpc_endpoints = ix
        .endpoints
        .iter()
        .map(|e| VpcEndpoint {
            id: e.id.clone(),
            policy: e.policy.compiled.clone(),
        })
        .collect();
    (set, scp_first, rcp_first)
}

type Levels = (Vec<Vec<Arc<CompiledPolicy>>>, Vec<Arc<PolicyEntry>>);

/// Org policies grouped by level for one account, and the first policy of each level.
fn levels(decls: &[index::OrgPolicy], account: Option<&str>, implied_full_access: bool) -> Levels {
    let Some(account) = account else {
        return (Vec::new(), Vec::new());
    };
    let mut allow_lists: Vec<usize> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let mut levels: Vec<Vec<Arc<CompiledPolicy>>> = Vec::new();
    let mut entries: Vec<Vec<Arc<PolicyEntry>>> = Vec::new();
    for d in decls {
        if !(d.accounts.is_empty() || d.accounts.iter().any(|a| a == account)) {
            continue;
        }
        let i = match names.iter().position(|n| *n == d.level) {
            Some(i) => i,
            None => {
                names.push(&d.level);
                levels.push(Vec::new());
                entries.push(Vec::new());
                levels.len() - 1
            }
        };
        levels[i].push(d.policy.compiled.clone());
        entries[i].push(d.policy.clone());
        if d.allow_list {
            allow_lists.push(i);
        }
    }
    // AWS attaches `FullAWSAccess` to every root, OU and account: a level whose listed
    // policies allow nothing is a deny list that still has it, unless `latch.toml` says
    // the level is an allow list (AWS_SEMANTICS §3.1). Only SCP levels: RCP levels always
    // allow in the engine (`RCPFullAWSAccess` cannot be detached).
    if implied_full_access {
        for (i, level) in levels.iter_mut().enumerate() {
            let any_allow = entries[i].iter().any(|p| {
                p.policy
                    .statements
                    .iter()
                    .any(|s| s.effect() == Some(Effect::Allow))
            });
            if !any_allow && !allow_lists.contains(&i) {
                level.push(full_aws_access());
            }
        }
    }
    // The policy a fix or a message points at: the one of the level that allows least.
    let first = entries
        .into_iter()
        .filter_map(|e| {
            e.iter()
                .find(|p| !allows_everything(p))
                .or(e.first())
                .cloned()
        })
        .collect();
    (levels, first)
}

/// AWS's managed `FullAWSAccess` SCP, compiled once.
fn full_aws_access() -> Arc<CompiledPolicy> {
    static POLICY: std::sync::OnceLock<Arc<CompiledPolicy>> = std::sync::OnceLock::new();
    POLICY
        .get_or_init(|| {
            latch_eval::compile_text(
                "FullAWSAccess (attached by AWS to every level unless it is an allow list)",
                latch_syntax::policy::PolicyKind::Scp,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            )
        })
        .clone()
}

fn allows_everything(p: &PolicyEntry) -> bool {
    p.policy.statements.iter().any(|s| {
        s.effect() == Some(Effect::Allow)
            && s.action
                .as_ref()
                .is_some_and(|a| !a.negated && a.values.iter().any(|v| v.value == "*"))
    })
}

/// Where a failing intent is reported: the statement that implies it; for a declared
/// intent, the grant of the decision that has no effect (a resource-policy Allow, else an
/// identity Allow), and only when there is none the `[[expect]]` header.
fn source_loc(ix: &Index, intent: &Intent, d: &Decision) -> Option<Loc> {
    match &intent.source {
        IntentSource::Statement { policy, statement } => policy.statement_loc(*statement),
        IntentSource::Expect(i) => {
            let t = &d.trace;
            for layer in [Layer::Resource, Layer::Identity] {
                for (pi, p) in t.policies.iter().enumerate() {
                    if p.layer != layer || p.not_applicable.is_some() {
                        continue;
                    }
                    for s in &p.statements {
                        let allow =
                            p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow);
                        if allow && s.outcome.is_match() {
                            let r = StmtRef {
                                policy: pi,
                                statement: s.index,
                            };
                            if let Some(loc) = stmt_loc(ix, t, r) {
                                return Some(loc);
                            }
                        }
                    }
                }
            }
            ix.expects.get(*i).map(|e| e.loc.clone())
        }
    }
}

/// The policies a decision rests on, and the S3 settings, to tell whether a cached
/// decision still holds.
fn fingerprint(set: &PolicySet) -> (Vec<Arc<CompiledPolicy>>, String) {
    let mut ps: Vec<Arc<CompiledPolicy>> = Vec::new();
    ps.extend(set.identity.iter().cloned());
    ps.extend(set.resource.iter().cloned());
    ps.extend(set.boundary.iter().cloned());
    ps.extend(set.session.iter().cloned());
    for l in set.scp.iter().chain(set.rcp.iter()) {
        ps.extend(l.iter().cloned());
    }
    ps.extend(set.vpc_endpoints.iter().map(|e| e.policy.clone()));
    let mut facts = format!(
        "{:?}|{}|{}",
        set.resource_account,
        set.scp.len(),
        set.rcp.len()
    );
    if let Some(s3) = &set.s3 {
        ps.extend(s3.kms_key_policy.iter().cloned());
        facts.push_str(&format!(
            "|{:?}|{:?}|{:?}|{}|{}|{:?}",
            s3.bucket_owner,
            s3.object_ownership,
            s3.block_public_access,
            s3.requester_pays,
            s3.request_payer_header,
            s3.kms_key
        ));
    }
    (ps, facts)
}

fn same_policies(a: &[Arc<CompiledPolicy>], b: &[Arc<CompiledPolicy>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

fn simulate(
    ws: &Workspace,
    ix: &Index,
    manifest_rev: u64,
    old: &DecisionCache,
    new: &mut DecisionCache,
) -> Vec<Draft> {
    let mut out = Vec::new();
    let all = intents(ix);
    // One request implied by both a bucket-policy grant and an identity Allow is reported
    // on the grant: that is the statement a reader of the bucket policy is looking at.
    let from_resource: std::collections::HashSet<(String, String, String)> = all
        .iter()
        .filter(|i| matches!(&i.source, IntentSource::Statement { policy, .. } if policy.kind.has_principal()))
        .map(|i| (i.principal.clone(), i.action.to_ascii_lowercase(), bucket_name(&i.resource)))
        .collect();
    for intent in &all {
        if let IntentSource::Statement { policy, .. } = &intent.source {
            if !policy.kind.has_principal()
                && from_resource.contains(&(
                    intent.principal.clone(),
                    intent.action.to_ascii_lowercase(),
                    bucket_name(&intent.resource),
                ))
            {
                continue;
            }
        }
        let bucket = ix.bucket_of(&intent.resource);
        // Anonymous reads of a website bucket that no Deny stops are the CloudFront
        // checks' business.
        let website_anonymous =
            intent.principal == "anonymous" && bucket.is_some_and(BucketInfo::is_website);
        let req = request_of(ix, intent);
        let (set, scp_first, rcp_first) = policy_set(ix, &req);
        let source = match &intent.source {
            IntentSource::Statement { policy, statement } => {
                format!("{:p}#{statement}", Arc::as_ptr(policy))
            }
            IntentSource::Expect(i) => format!("expect{manifest_rev}#{i}"),
        };
        let settings = bucket.map(|b| {
            format!(
                "{:?}{:?}{:?}{:?}",
                b.ownership.as_ref().map(|o| &o.loc),
                b.acl,
                b.decl,
                b.requester_pays.as_ref().map(|o| &o.loc)
            )
        });
        let key = format!(
            "{}|{}|{}|{:?}|{:?}|{source}|{manifest_rev}|{settings:?}",
            intent.principal, intent.action, intent.resource, intent.context, intent.expect
        );
        let (mut ps, facts) = fingerprint(&set);
        if let IntentSource::Statement { policy, .. } = &intent.source {
            ps.push(policy.compiled.clone());
        }
        if let Some((old_ps, old_facts, drafts)) = old.get(&key).or_else(|| new.get(&key)) {
            if same_policies(old_ps, &ps) && *old_facts == facts {
                out.extend(drafts.iter().cloned());
                new.insert(key, (ps, facts, drafts.clone()));
                continue;
            }
        }
        let open = evaluate_open(&set, &req);
        let d = &open.decision;
        if website_anonymous && d.outcome != Outcome::ExplicitDeny {
            new.insert(key, (ps, facts, Vec::new()));
            continue;
        }
        let Some(src) = source_loc(ix, intent, d) else {
            continue;
        };
        let depends = (open.certainty == Certainty::Depends).then(|| Depends {
            conditions: latch_eval::open::unknowns_in_words(d, &open.unknowns, &intent.action),
            keys: latch_eval::open::unknown_keys(d, &open.unknowns),
            identity: open.unknowns.contains(&latch_eval::Unknown::Identity),
        });
        let ctx = Ctx {
            ws,
            ix,
            intent,
            req: &req,
            decision: d,
            src: &src,
            scp_first: &scp_first,
            rcp_first: &rcp_first,
            depends: depends.as_ref(),
        };
        let mut drafts: Vec<Draft> = Vec::new();
        drafts.extend(ctx.ownership(bucket));
        if intent.expect == ExpectedDecision::Allow {
            drafts.extend(ctx.put_acl(&set));
            if !d.outcome.is_allow() {
                drafts.extend(ctx.denied());
            }
        }
        if let Some(note) = facts::accounts_uncertain(&req, set.resource_account.as_deref()) {
            // The caller's and the resource's accounts were taken to differ, but one is
            // a stand-in: the same finding could vanish if they are one account.
            for d in &mut drafts {
                d.severity = d.severity.max(Severity::Warning);
                let end = d.message.find('\n').unwrap_or(d.message.len());
                d.message.insert_str(end, &note);
            }
        }
        out.extend(drafts.iter().cloned());
        new.insert(key, (ps, facts, drafts));
    }
    for b in &ix.buckets {
        out.extend(bucket_checks(ws, ix, b));
    }
    for dist in &ix.distributions {
        if let Some((value, loc, value_span)) = &dist.default_root_object {
            let clean = value.trim().trim_start_matches('/').to_string();
            if clean != *value && !clean.is_empty() {
                out.push(Draft {
                    head: 0,
                    code: "cloudfront/default-root-object",
                    severity: Severity::Warning,
                    loc: loc.clone(),
                    message: format!(
                        "the default root object `{value}` must be an object name without a leading `/` or spaces: CloudFront requests `/{value}` and S3 answers 403"
                    ),
                    related: Vec::new(),
                    fixes: vec![Fix::safe(
                        format!("strip the default root object to `{clean}`"),
                        vec![Edit::replace(*value_span, json_string(&clean)).in_file(loc.path.clone())],
                    )],
                });
            }
        }
    }
    out
}

fn bucket_name(resource: &str) -> String {
    resource
        .strip_prefix("arn:aws:s3:::")
        .map(|r| r.split('/').next().unwrap_or(r).to_string())
        .unwrap_or_else(|| resource.to_string())
}

pub(crate) struct Ctx<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) ix: &'a Index,
    pub(crate) intent: &'a Intent,
    pub(crate) req: &'a Request,
    pub(crate) decision: &'a Decision,
    pub(crate) src: &'a Loc,
    scp_first: &'a [Arc<PolicyEntry>],
    rcp_first: &'a [Arc<PolicyEntry>],
    /// Set when the request is denied only for some values of facts the workspace does
    /// not state: findings are then warnings worded with those facts.
    depends: Option<&'a Depends>,
}

/// What a decision that depends on unknown facts turns on.
struct Depends {
    /// Each fact in words, from the request's side ("`aws:PrincipalOrgID` is `o-...`").
    conditions: Vec<String>,
    /// The context keys involved, lower-cased.
    keys: Vec<String>,
    /// The caller's identity policies are not in the workspace.
    identity: bool,
}

impl Depends {
    /// "allowed only if A and B; `[organization]` in `latch.toml` settles it".
    fn words(&self) -> String {
        let mut s = format!("allowed only if {}", self.conditions.join(" and "));
        let mut settle: Vec<&str> = self.keys.iter().map(|k| facts::settled_by(k)).collect();
        if self.identity {
            settle.push("a `[[principal]]` in `latch.toml` with the caller's policies settles it");
        }
        settle.dedup();
        if !settle.is_empty() {
            s.push_str(&format!(" ({})", settle.join("; ")));
        }
        s
    }
}

impl Ctx<'_> {
    fn locate(&self) -> impl Fn(&PolicyRef, Span) -> String + '_ {
        move |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(self.ws, &r.label, s.start))
    }

    /// The trace in words: the one-line reason, then every policy considered.
    /// The engine's reason in one line. When the request itself is allowed and a
    /// dependent KMS request is not, the reason is the dependent one's.
    fn because(&self) -> String {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        let d = self.decision;
        if d.trace.outcome.is_allow() {
            if let Some(dep) = d.dependent.iter().find(|x| !x.outcome.is_allow()) {
                return format!(
                    "S3 would allow it, but the `{}` it makes on the key is {}",
                    dep.action,
                    render::summary(&dep.trace, Some(&dep.request), l)
                );
            }
        }
        render::one_line(d, self.req, l)
    }

    fn full_trace(&self) -> String {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        render::explain(self.decision, self.req, l)
    }

    /// Every document of the decision as related locations, and the intent's source.
    fn related(&self) -> Vec<(Loc, String)> {
        let mut out = Vec::new();
        if let IntentSource::Expect(i) = &self.intent.source {
            if let Some(e) = self.ix.expects.get(*i) {
                out.push((e.loc.clone(), "the declared intent".to_string()));
            }
        }
        let mut add = |t: &Trace| {
            for p in &t.policies {
                if p.not_applicable.is_some() {
                    continue;
                }
                let Some(e) = self.ix.entry_of(&p.policy) else {
                    continue;
                };
                let span = e.policy.span;
                let loc = Loc {
                    path: e.path.clone(),
                    span: Span::new(span.start, span.start),
                };
                if !out.iter().any(|(l, _)| *l == loc) {
                    out.push((
                        loc,
                        format!("the {} `{}` takes part", e.kind.name(), e.label),
                    ));
                }
            }
        };
        add(&self.decision.trace);
        for dep in &self.decision.dependent {
            add(&dep.trace);
        }
        // The deciding statements point at themselves.
        for (t, r) in self.deciding_refs() {
            if let Some(loc) = stmt_loc(self.ix, t, r) {
                out.push((loc, "a deciding statement".to_string()));
            }
        }
        out
    }

    fn deciding_refs(&self) -> Vec<(&Trace, StmtRef)> {
        let mut out: Vec<(&Trace, StmtRef)> = Vec::new();
        for t in std::iter::once(&self.decision.trace)
            .chain(self.decision.dependent.iter().map(|d| &d.trace))
        {
            if !t.outcome.is_allow() {
                out.extend(t.deciding().iter().map(|r| (t, *r)));
            }
        }
        out
    }

    pub(crate) fn draft(&self, code: &'static str, loc: Loc, what: &str, fixes: Vec<Fix>) -> Draft {
        // Denied whatever the unknowns are: an error. Denied only for some values of them:
        // a warning that names them.
        let (severity, verdict) = match self.depends {
            None => (Severity::Error, "is denied".to_string()),
            Some(dep) => (Severity::Warning, format!("is {}", dep.words())),
        };
        Draft {
            head: what.len() + 2,
            code,
            severity,
            loc,
            message: format!(
                "{what}: {} {verdict} ({}){}",
                self.intent.describe(),
                self.because(),
                trace_suffix(&self.full_trace())
            ),
            related: self.related(),
            fixes,
        }
    }

    /// The request is denied: which check says why.
    fn denied(&self) -> Vec<Draft> {
        let d = self.decision;
        if d.outcome == Outcome::ExplicitDeny {
            return self.explicit_all();
        }
        if !d.trace.outcome.is_allow() {
            if let Basis::Blocked(b) = &d.trace.basis {
                return self.blocked(b).into_iter().collect();
            }
            return Vec::new();
        }
        // The request itself is allowed: a dependent KMS request is not.
        if let Some(dep) = d.dependent.iter().find(|x| !x.outcome.is_allow()) {
            return self.kms(dep).into_iter().collect();
        }
        Vec::new()
    }

    /// Every deciding Deny, each at its own statement with its own code.
    fn explicit_all(&self) -> Vec<Draft> {
        self.deciding_refs()
            .into_iter()
            .filter(|(t, _)| t.outcome == Outcome::ExplicitDeny)
            .filter_map(|(t, r)| self.explicit(t, r))
            .collect()
    }

    fn explicit(&self, t: &Trace, r: StmtRef) -> Option<Draft> {
        let p = t.policy(r)?;
        let st = p.statement(r.statement)?;
        let loc = stmt_loc(self.ix, t, r)?;
        let keys: Vec<String> = st
            .condition
            .as_ref()
            .map(|c| {
                c.clauses
                    .iter()
                    .map(|c| c.key.value.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        let (code, what) = match p.layer {
            Layer::Scp { .. } => (
                "access/scp",
                "a service control policy denies this".to_string(),
            ),
            Layer::Rcp { .. } => (
                "access/rcp",
                "a resource control policy denies this".to_string(),
            ),
            _ if keys.iter().any(|k| k == "aws:multifactorauthpresent") => (
                "access/mfa",
                format!(
                    "this Deny applies to requests without MFA{}",
                    not_action_list(st)
                ),
            ),
            _ if keys
                .iter()
                .any(|k| k.starts_with("s3:x-amz-server-side-encryption")) =>
            {
                // Name only the headers this Deny tests.
                let key_id = keys
                    .iter()
                    .any(|k| k == "s3:x-amz-server-side-encryption-aws-kms-key-id");
                let algorithm = st
                    .condition
                    .as_ref()
                    .and_then(|c| {
                        c.clauses.iter().find(|c| {
                            c.key
                                .value
                                .eq_ignore_ascii_case("s3:x-amz-server-side-encryption")
                        })
                    })
                    .and_then(|c| c.values.first())
                    .map(|v| v.value.clone());
                let what = match (algorithm, key_id) {
                    (Some(alg), true) => format!(
                        "this Deny requires the upload to send `x-amz-server-side-encryption: {alg}` and `x-amz-server-side-encryption-aws-kms-key-id` naming the key; bucket default encryption does not add them"
                    ),
                    (None, true) => "this Deny requires the upload to send `x-amz-server-side-encryption-aws-kms-key-id` naming the key; bucket default encryption does not add it".to_string(),
                    (Some(alg), false) => format!(
                        "this Deny requires the upload to send `x-amz-server-side-encryption: {alg}`; bucket default encryption does not add it"
                    ),
                    (None, false) => "this Deny requires the upload to send the `x-amz-server-side-encryption` header; bucket default encryption does not add it".to_string(),
                };
                ("access/encryption-header", what)
            }
            _ => (
                "access/explicit-deny",
                format!("this Deny of the {} wins", p.layer.name()),
            ),
        };
        let mut draft = self.draft(code, loc, &what, Vec::new());
        draft
            .related
            .push((self.src.clone(), "the intent this Deny blocks".to_string()));
        Some(draft)
    }

    fn blocked(&self, b: &Blocker) -> Option<Draft> {
        let src = self.src.clone();
        match b {
            Blocker::Scp { level } | Blocker::Rcp { level } => {
                let (code, firsts, name) = match b {
                    Blocker::Scp { .. } => ("access/scp", self.scp_first, "service control policy"),
                    _ => ("access/rcp", self.rcp_first, "resource control policy"),
                };
                let p = firsts.get(*level)?;
                let loc = first_allow(p)?;
                let mut d = self.draft(
                    code,
                    loc,
                    &format!("no statement of this {name} level allows the request"),
                    Vec::new(),
                );
                d.related.push((src, "the intent it blocks".into()));
                Some(d)
            }
            Blocker::VpcEndpoint => {
                let e = self.ix.endpoints.iter().find(|e| {
                    e.id.as_deref().is_none_or(|id| {
                        self.req
                            .context
                            .values("aws:SourceVpce")
                            .is_some_and(|v| v.iter().any(|x| x == id))
                    })
                })?;
                let loc = first_allow(&e.policy)?;
                let stmt = format!(
                    r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": "*", "Action": {}, "Resource": {}}}"#,
                    sid_word(&self.intent.action),
                    json_string(&self.intent.action),
                    json_string(&resource_pattern(&self.intent.resource))
                );
                let fixes = append_fix(
                    self.ws,
                    &e.policy,
                    &stmt,
                    &format!(
                        "add `{}` on `{}` to the endpoint policy",
                        self.intent.action,
                        resource_pattern(&self.intent.resource)
                    ),
                );
                let mut d = self.draft(
                    "access/vpce-policy",
                    loc,
                    "the VPC endpoint policy does not allow this request",
                    fixes,
                );
                d.related.push((src, "the intent it blocks".into()));
                Some(d)
            }
            Blocker::Boundary => {
                let pr = self.ix.principal(&self.intent.principal)?;
                let boundary = pr.boundary.as_ref()?;
                let stmt = allow_stmt(&self.intent.action, &resource_pattern(&self.intent.resource));
                let fixes = append_fix(
                    self.ws,
                    boundary,
                    &stmt,
                    &format!("add `{}` to the permissions boundary", self.intent.action),
                );
                Some(self.draft(
                    "access/permissions-boundary",
                    src,
                    "this grant has no effect: the permissions boundary does not allow it",
                    fixes,
                ))
            }
            Blocker::SessionPolicy | Blocker::FederatedWithoutSessionPolicy => Some(self.draft(
                "access/session-policy",
                src,
                "this grant has no effect: the session policy does not allow it",
                Vec::new(),
            )),
            Blocker::RequesterPaysAnonymous | Blocker::RequesterPaysHeader => Some(self.draft(
                "access/requester-pays",
                src,
                "this grant has no effect: the bucket has Requester Pays (anonymous requests are refused; other accounts must send `x-amz-request-payer: requester`, context `s3:RequestPayer`)",
                Vec::new(),
            )),
            Blocker::ResourcePolicyRequired => self
                .bucket_acl()
                .or_else(|| crate::checks::access::resource_grant_missing::report(self)),
            // Only the partner's own policies can grant it: information, not a problem of
            // this workspace.
            Blocker::IdentityRequired | Blocker::NoAllow
                if self.ix.principal(&self.intent.principal).is_none()
                    && self.depends.is_some_and(|d| d.identity) =>
            {
                let mut d = self.draft(
                    "access/identity-missing",
                    src,
                    "this grant works only if the caller's own account allows it",
                    Vec::new(),
                );
                d.severity = Severity::Info;
                Some(d)
            }
            Blocker::IdentityRequired | Blocker::NoAllow if self.identity_unknown() => None,
            Blocker::IdentityRequired | Blocker::NoAllow => {
                if let Some(d) = self.condition_and() {
                    return Some(d);
                }
                if let Some(d) = self.bucket_acl() {
                    return Some(d);
                }
                let fixes = self.identity_fix(&self.intent.action, &resource_pattern(&self.intent.resource));
                Some(self.draft(
                    "access/identity-missing",
                    src,
                    "no identity policy of the caller allows this",
                    fixes,
                ))
            }
            // A request on the key itself (a declared `kms:Decrypt`, say).
            Blocker::KeyPolicy
            | Blocker::KeyPolicyUnknown
            | Blocker::DelegationWithoutIdentityAllow
            | Blocker::KmsCrossAccountOperation => {
                let caller = self.intent.principal.clone();
                let fixes = match self.ix.key(&self.intent.resource).and_then(|k| k.policy.clone()) {
                    Some(kp) if !matches!(b, Blocker::DelegationWithoutIdentityAllow) => {
                        let stmt = format!(
                            r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": {{"AWS": {}}}, "Action": {}, "Resource": "*"}}"#,
                            sid_word(&caller),
                            json_string(&caller),
                            json_string(&self.intent.action)
                        );
                        append_fix(
                            self.ws,
                            &kp,
                            &stmt,
                            &format!("add a key policy statement allowing `{caller}` to use the key"),
                        )
                    }
                    _ => self.identity_fix(&self.intent.action, &self.intent.resource),
                };
                Some(self.draft(
                    "access/kms-key",
                    src,
                    "the caller cannot use this KMS key",
                    fixes,
                ))
            }
            _ => None,
        }
    }

    /// Whether the caller has identity policies the workspace does not hold.
    fn identity_unknown(&self) -> bool {
        match self.ix.principal(&self.intent.principal) {
            Some(p) => p.identity_unknown,
            None => self.intent.principal != "anonymous",
        }
    }

    /// An Allow that names the request but whose ANDed conditions fail.
    fn condition_and(&self) -> Option<Draft> {
        let t = &self.decision.trace;
        for (pi, p) in t.policies.iter().enumerate() {
            if !matches!(p.layer, Layer::Identity | Layer::Resource) || p.not_applicable.is_some() {
                continue;
            }
            for s in &p.statements {
                let latch_eval::StatementOutcome::Failed(latch_eval::trace::Failure::Condition {
                    ..
                }) = &s.outcome
                else {
                    continue;
                };
                let Some(st) = p.statement(s.index) else {
                    continue;
                };
                if st.effect() != Some(Effect::Allow) {
                    continue;
                }
                let clauses = st.condition.as_ref().map_or(0, |c| c.clauses.len());
                if clauses < 2 {
                    continue;
                }
                let r = StmtRef {
                    policy: pi,
                    statement: s.index,
                };
                let loc = stmt_loc(self.ix, t, r)?;
                let mut d = self.draft(
                    "access/condition-and",
                    loc,
                    "the conditions of this statement are ANDed and cannot all hold for the request",
                    Vec::new(),
                );
                d.related.push((self.src.clone(), "the intent".into()));
                return Some(d);
            }
        }
        None
    }

    fn bucket_acl(&self) -> Option<Draft> {
        let b = self.ix.bucket_of(&self.intent.resource)?;
        let acl = b.acl.as_ref()?;
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        let loc = acl.loc.clone()?;
        let mut d = self.draft(
            "access/bucket-acl",
            loc,
            &format!(
                "the bucket ACL `{}` does not give the caller's account `WRITE`, and no policy grants the upload",
                acl.value
            ),
            Vec::new(),
        );
        d.related.push((self.src.clone(), "the intent".into()));
        Some(d)
    }

    /// A statement appended to the caller's first identity policy.
    fn identity_fix(&self, action: &str, resource: &str) -> Vec<Fix> {
        // A key ARN that Terraform only knows after apply cannot be written down.
        if self.ix.key(resource).is_some_and(|k| k.stand_in) {
            return Vec::new();
        }
        let Some(pr) = self.ix.principal(&self.intent.principal) else {
            return Vec::new();
        };
        let Some(p) = pr.identity.first() else {
            return Vec::new();
        };
        append_fix(
            self.ws,
            p,
            &allow_stmt(action, resource),
            &format!(
                "add `{action}` on `{resource}` to the identity policy `{}`",
                p.label
            ),
        )
    }

    fn kms(&self, dep: &latch_eval::DependentDecision) -> Option<Draft> {
        let identity_side = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::IdentityRequired | Blocker::DelegationWithoutIdentityAllow)
        );
        if identity_side && self.identity_unknown() {
            return None;
        }
        let mut fixes = Vec::new();
        let key_policy = self.ix.key(&dep.resource).and_then(|k| k.policy.clone());
        let identity_missing = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::IdentityRequired | Blocker::DelegationWithoutIdentityAllow)
        );
        let key_missing = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::KeyPolicy | Blocker::KeyPolicyUnknown | Blocker::NoAllow)
        );
        let caller = self
            .ix
            .principal(&self.intent.principal)
            .map_or(self.intent.principal.clone(), |p| p.arn.clone());
        let actions: Vec<&str> = if dep.action == "kms:GenerateDataKey" {
            vec!["kms:GenerateDataKey", "kms:Encrypt"]
        } else {
            vec![dep.action.as_str()]
        };
        let key_fix = |fixes: &mut Vec<Fix>| {
            if let Some(kp) = &key_policy {
                let stmt = format!(
                    r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": {{"AWS": {}}}, "Action": [{}], "Resource": "*"}}"#,
                    sid_word(&caller),
                    json_string(&caller),
                    actions
                        .iter()
                        .map(|a| json_string(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                fixes.extend(append_fix(
                    self.ws,
                    kp,
                    &stmt,
                    &format!("add a key policy statement allowing `{caller}` to use the key"),
                ));
            }
        };
        // Whether the key policy already grants the caller: then only the identity side
        // needs an edit.
        let key_grants = dep.trace.policies.iter().any(|p| {
            p.layer == Layer::Resource
                && p.statements.iter().any(|s| {
                    s.outcome.is_match()
                        && p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow)
                })
        });
        if identity_missing {
            fixes.extend(self.identity_fix(&dep.action, &dep.resource));
            if !key_grants {
                key_fix(&mut fixes);
            }
        } else {
            key_fix(&mut fixes);
            if key_missing && !self.same_account(&dep.resource) && !identity_allows(&dep.trace) {
                fixes.extend(self.identity_fix(&dep.action, &dep.resource));
            }
        }
        let key = match self.ix.key(&dep.resource) {
            Some(k) if k.stand_in => format!(
                "the key `aws_kms_key.{}` (its ARN is known after apply)",
                k.arn.rsplit('/').next().unwrap_or_default()
            ),
            _ => format!("the key `{}`", dep.resource),
        };
        let mut d = self.draft(
            "access/kms-key",
            self.src.clone(),
            &format!(
                "this grant has no effect: the objects are SSE-KMS and `{}` on {key} is denied",
                dep.action
            ),
            fixes,
        );
        if let Some(kp) = &key_policy {
            d.related.push((
                Loc {
                    path: kp.path.clone(),
                    span: kp.policy.span,
                },
                "the key policy".into(),
            ));
        }
        Some(d)
    }

    fn same_account(&self, resource: &str) -> bool {
        let acct = resource.split(':').nth(4).unwrap_or_default();
        self.req.principal.account() == Some(acct)
    }

    /// Cross-account uploads into a bucket where the writer keeps ownership.
    fn ownership(&self, bucket: Option<&BucketInfo>) -> Option<Draft> {
        let b = bucket?;
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        if !matches!(self.intent.source, IntentSource::Statement { ref policy, .. } if policy.kind.has_principal())
        {
            return None;
        }
        let caller = self.req.principal.account()?;
        if b.account.as_deref() == Some(caller) {
            return None;
        }
        let own = b.ownership.as_ref();
        if own.is_none_or(|o| o.value == ObjectOwnership::BucketOwnerEnforced) {
            return None;
        }
        if requires_full_control(b) {
            return None;
        }
        if let IntentSource::Statement { policy, statement } = &self.intent.source {
            let required = policy
                .policy
                .statements
                .get(*statement)
                .is_some_and(requires_full_control_in);
            if required {
                return None;
            }
        }
        let mut fixes = Vec::new();
        fixes.extend(ownership_fix(b));
        // As AWS's own example does, the condition goes on the writer's grant: the
        // writer's upload then carries the header and is allowed, and an upload without
        // it is not granted. A bucket-wide Deny would also block the writer's own
        // uploads that are not written with the header yet.
        if let IntentSource::Statement { policy, statement } = &self.intent.source {
            let has_condition = policy
                .policy
                .statements
                .get(*statement)
                .is_some_and(|st| st.condition.is_some());
            // An upload the workspace declares without the header would then be refused:
            // that one must change first, so the grant is not narrowed under it.
            let declared_without_header = self.ix.expects.iter().any(|e| {
                e.principal == self.intent.principal
                    && e.decision == ExpectedDecision::Allow
                    && bucket_name(&e.resource) == b.name
                    && e.actions
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case("s3:PutObject"))
                    && !e
                        .context
                        .iter()
                        .any(|(k, _)| k.eq_ignore_ascii_case("s3:x-amz-acl"))
            });
            if !has_condition && !declared_without_header {
                fixes.extend(add_member_fix(
                    self.ws,
                    policy,
                    *statement,
                    "Condition",
                    r#"{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}"#,
                    "require bucket-owner-full-control in this grant",
                ));
            }
        }
        let mut d = self.draft(
            "access/object-ownership",
            self.src.clone(),
            &format!(
                "objects uploaded by account `{caller}` stay owned by it: the bucket's Object Ownership is not BucketOwnerEnforced and the bucket does not require `bucket-owner-full-control`, so bucket-policy grants do not reach those objects"
            ),
            fixes,
        );
        d.message = d.message.replacen(" is denied (", " is allowed (", 1);
        if let Some(o) = own.and_then(|o| o.loc.clone()) {
            d.related.push((o, "the Object Ownership setting".into()));
        }
        Some(d)
    }

    /// An upload that sets an ACL also needs `s3:PutObjectAcl`.
    fn put_acl(&self, set: &PolicySet) -> Option<Draft> {
        if !matches!(self.intent.source, IntentSource::Expect(_)) {
            return None;
        }
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        self.req.context.values("s3:x-amz-acl")?;
        let acl_req = Request::new(
            self.req.principal.clone(),
            "s3:PutObjectAcl",
            &self.req.resource,
            self.req.context.clone(),
        );
        let acl = evaluate(set, &acl_req);
        if acl.outcome.is_allow() {
            return None;
        }
        // The Allow that lets the upload through is the one to extend: the caller's own
        // first, then the bucket's.
        let t = &self.decision.trace;
        let r = [Layer::Identity, Layer::Resource]
            .iter()
            .find_map(|layer| {
                t.policies.iter().enumerate().find_map(|(pi, p)| {
                    if p.layer != *layer || p.not_applicable.is_some() {
                        return None;
                    }
                    p.statements
                        .iter()
                        .find(|s| {
                            s.outcome.is_match()
                                && p.statement(s.index).and_then(Statement::effect)
                                    == Some(Effect::Allow)
                        })
                        .map(|s| StmtRef {
                            policy: pi,
                            statement: s.index,
                        })
                })
            })?;
        let r = &r;
        let loc = stmt_loc(self.ix, t, *r)?;
        let entry = self.ix.entry_of(&t.policy(*r)?.policy)?.clone();
        let fixes = add_action_fix(self.ws, &entry, r.statement, "s3:PutObjectAcl");
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        let mut d = Draft {
            head: 0,
            code: "access/put-acl",
            severity: Severity::Error,
            loc,
            message: format!(
                "an upload that sets an ACL (`x-amz-acl`) also needs `s3:PutObjectAcl`: `s3:PutObjectAcl` is denied for {} ({})",
                self.intent.describe(),
                render::one_line(&acl, &acl_req, l)
            ),
            related: self.related(),
            fixes,
        };
        d.related
            .push((self.src.clone(), "the declared intent".into()));
        Some(d)
    }
}

/// Whether some identity-policy Allow applies in a trace.
fn identity_allows(t: &Trace) -> bool {
    t.policies.iter().any(|p| {
        p.layer == Layer::Identity
            && p.statements.iter().any(|s| {
                s.outcome.is_match()
                    && p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow)
            })
    })
}

fn trace_suffix(trace: &str) -> String {
    format!("\n\n{}", trace.trim_end())
}

fn not_action_list(st: &Statement) -> String {
    match &st.action {
        Some(a) if a.negated => {
            let list: Vec<String> = a.values.iter().map(|v| format!("`{}`", v.value)).collect();
            format!(" (everything except {})", list.join(", "))
        }
        _ => String::new(),
    }
}

/// The place of a statement of a trace, through the index.
fn stmt_loc(ix: &Index, t: &Trace, r: StmtRef) -> Option<Loc> {
    let p = t.policy(r)?;
    let e = ix.entry_of(&p.policy)?;
    e.statement_loc(r.statement)
}

fn first_allow(p: &PolicyEntry) -> Option<Loc> {
    let i = p
        .policy
        .statements
        .iter()
        .position(|s| s.effect() == Some(Effect::Allow))
        .unwrap_or(0);
    p.statement_loc(i)
}

/// `bucket/*` for an object, the bucket ARN for a bucket, the resource otherwise.
pub(crate) fn resource_pattern(resource: &str) -> String {
    match resource.strip_prefix("arn:aws:s3:::") {
        Some(rest) if rest.contains('/') => {
            format!("arn:aws:s3:::{}/*", rest.split('/').next().unwrap_or(rest))
        }
        _ => resource.to_string(),
    }
}

pub(crate) fn sid_word(s: &str) -> String {
    let last = s.rsplit([':', '/']).next().unwrap_or(s);
    last.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn allow_stmt(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Sid": "Allow{}", "Effect": "Allow", "Action": {}, "Resource": {}}}"#,
        sid_word(action),
        json_string(action),
        json_string(resource)
    )
}

/// Whether a statement's condition names `bucket-owner-full-control` for `s3:x-amz-acl`.
fn requires_full_control_in(s: &Statement) -> bool {
    s.condition.as_ref().is_some_and(|c| {
        c.clauses.iter().any(|c| {
            c.key.value.eq_ignore_ascii_case("s3:x-amz-acl")
                && c.values
                    .iter()
                    .any(|v| v.value == "bucket-owner-full-control")
        })
    })
}

fn requires_full_control(b: &BucketInfo) -> bool {
    b.policy.as_ref().is_some_and(|p| {
        p.policy.statements.iter().any(|s| {
            s.effect() == Some(Effect::Deny)
                && s.condition.as_ref().is_some_and(|c| {
                    c.clauses.iter().any(|c| {
                        c.key.value.eq_ignore_ascii_case("s3:x-amz-acl")
                            && c.values
                                .iter()
                                .any(|v| v.value == "bucket-owner-full-control")
                    })
                })
        })
    })
}

fn ownership_fix(b: &BucketInfo) -> Option<Fix> {
    let o = b.ownership.as_ref()?;
    let loc = o.loc.as_ref()?;
    let span = o.value_span?;
    Some(Fix::unsafe_(
        "set ownership controls to BucketOwnerEnforced",
        vec![Edit::replace(span, "\"BucketOwnerEnforced\"").in_file(loc.path.clone())],
    ))
}

/// Appends a statement (JSON text) to a policy, in its own syntax.
pub fn append_fix(ws: &Workspace, p: &PolicyEntry, statement: &str, title: &str) -> Vec<Fix> {
    let Some(value) = latch_syntax::json::parse(statement).value else {
        return Vec::new();
    };
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let edit = match &p.origin {
        PolicyOrigin::Terraform { .. } => p
            .terraform()
            .and_then(|tp| tf_edit::append_statement(text, tp, &value)),
        PolicyOrigin::File => json_append_statement(text, &p.tree, &value),
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(title, vec![e.in_file(p.path.clone())])],
        None => Vec::new(),
    }
}

/// Adds an action to statement `i`'s `Action`.
/// Adds member `key` with JSON `value` to statement `i` of a policy, in its own syntax.
fn add_member_fix(
    ws: &Workspace,
    p: &PolicyEntry,
    i: usize,
    key: &str,
    value: &str,
    title: &str,
) -> Vec<Fix> {
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let Some(value) = latch_syntax::json::parse(value).value else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&p.tree).and_then(|s| s.get(i).copied()) else {
        return Vec::new();
    };
    let edit = match &p.origin {
        // The Terraform editor finds the statement by identity in its own tree.
        PolicyOrigin::Terraform { .. } => p.terraform().and_then(|tp| {
            let inline = tp.inline()?;
            let st = statements_of(&inline.tree)?.get(i).copied()?;
            tf_edit::insert_member(text, tp, st, key, &value)
        }),
        PolicyOrigin::File => match st_value.as_object().and_then(|m| m.last()) {
            Some(last) => {
                let indent = line_indent(text, last.key_span.start);
                Some(Edit::insert(
                    last.value.span.end,
                    format!(
                        ",\n{indent}{}: {}",
                        json_string(key),
                        pretty(&value, &indent, "  ")
                    ),
                ))
            }
            None => None,
        },
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(title, vec![e.in_file(p.path.clone())])],
        None => Vec::new(),
    }
}

fn add_action_fix(ws: &Workspace, p: &PolicyEntry, i: usize, action: &str) -> Vec<Fix> {
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&p.tree).and_then(|s| s.get(i).copied()) else {
        return Vec::new();
    };
    let Some(list) = st_value.get("Action") else {
        return Vec::new();
    };
    let element = Value::new(ValueKind::String(action.to_string()), Span::empty(0));
    let edit = match &p.origin {
        PolicyOrigin::Terraform { .. } => p
            .terraform()
            .and_then(|tp| tf_edit::append_element(text, tp, list, &element)),
        PolicyOrigin::File => {
            let old = text.get(list.span.range()).unwrap_or_default();
            match &list.kind {
                ValueKind::Array(items) => match items.last() {
                    Some(last) => {
                        let multiline = old.contains('\n');
                        if multiline {
                            let indent = line_indent(text, last.span.start);
                            Some(Edit::insert(
                                last.span.end,
                                format!(",\n{indent}{}", json_string(action)),
                            ))
                        } else {
                            Some(Edit::insert(
                                last.span.end,
                                format!(", {}", json_string(action)),
                            ))
                        }
                    }
                    None => Some(Edit::insert(list.span.start + 1, json_string(action))),
                },
                _ => Some(Edit::replace(
                    list.span,
                    format!("[{old}, {}]", json_string(action)),
                )),
            }
        }
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(
            format!("add `{action}` to this statement"),
            vec![e.in_file(p.path.clone())],
        )],
        None => Vec::new(),
    }
}

fn statements_of(tree: &Value) -> Option<Vec<&Value>> {
    let s = tree.get("Statement")?;
    match &s.kind {
        ValueKind::Array(items) => Some(items.iter().collect()),
        ValueKind::Object(_) => Some(vec![s]),
        _ => None,
    }
}

fn line_indent(text: &str, offset: usize) -> String {
    let start = text
        .get(..offset)
        .map_or(0, |t| t.rfind('\n').map_or(0, |p| p + 1));
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// JSON with objects on several lines, indented by `unit` per level.
fn pretty(v: &Value, indent: &str, unit: &str) -> String {
    match &v.kind {
        ValueKind::Object(members) if !members.is_empty() => {
            let inner = format!("{indent}{unit}");
            let body: Vec<String> = members
                .iter()
                .map(|m| {
                    format!(
                        "{inner}{}: {}",
                        json_string(&m.key),
                        pretty(&m.value, &inner, unit)
                    )
                })
                .collect();
            format!("{{\n{}\n{indent}}}", body.join(",\n"))
        }
        ValueKind::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| pretty(i, indent, unit)).collect();
            format!("[{}]", parts.join(", "))
        }
        _ => v.to_compact_json(),
    }
}

/// Appends `statement` after the last statement of a JSON policy file.
fn json_append_statement(text: &str, tree: &Value, statement: &Value) -> Option<Edit> {
    let s = tree.get("Statement")?;
    match &s.kind {
        ValueKind::Array(items) => match items.last() {
            Some(last) => {
                let indent = line_indent(text, last.span.start);
                let multiline = text.get(s.span.range())?.contains('\n');
                if multiline {
                    let unit = unit_of(text, last, &indent);
                    Some(Edit::insert(
                        last.span.end,
                        format!(",\n{indent}{}", pretty(statement, &indent, &unit)),
                    ))
                } else {
                    Some(Edit::insert(
                        last.span.end,
                        format!(", {}", statement.to_compact_json()),
                    ))
                }
            }
            None => Some(Edit::insert(s.span.start + 1, statement.to_compact_json())),
        },
        ValueKind::Object(_) => {
            let old = text.get(s.span.range())?;
            Some(Edit::replace(
                s.span,
                format!("[{old}, {}]", statement.to_compact_json()),
            ))
        }
        _ => None,
    }
}

/// The indentation step of a JSON file: the difference between a statement's line and
/// its first member's line.
fn unit_of(text: &str, statement: &Value, indent: &str) -> String {
    statement
        .as_object()
        .and_then(|m| m.first())
        .map(|m| line_indent(text, m.key_span.start))
        .and_then(|i| i.strip_prefix(indent).map(str::to_string))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "  ".to_string())
}

/// The bucket and CloudFront settings that make S3 answer 403.
fn bucket_checks(ws: &Workspace, ix: &Index, b: &BucketInfo) -> Vec<Draft> {
    let mut out = Vec::new();
    // A public `s3:GetObject` without `s3:ListBucket`: a missing key answers 403.
    if let Some(p) = &b.policy {
        let public_list = p.policy.statements.iter().any(|s| {
            s.effect() == Some(Effect::Allow) && is_public(s) && names_action(s, "s3:ListBucket")
        });
        if !public_list {
            for (i, s) in p.policy.statements.iter().enumerate() {
                if s.effect() == Some(Effect::Allow)
                    && is_public(s)
                    && names_action(s, "s3:GetObject")
                {
                    if let Some(loc) = p.statement_loc(i) {
                        out.push(Draft {
                            head: 0,
                            code: "s3/list-bucket-404",
                            severity: Severity::Hint,
                            loc,
                            message: format!(
                                "without `s3:ListBucket` a request for a missing object of `{}` answers 403 AccessDenied, not 404; granting `s3:ListBucket` to everyone would list every key, which is a security risk",
                                b.name
                            ),
                            related: Vec::new(),
                            fixes: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    if !b.is_website() {
        return out;
    }
    let website_loc = b
        .website
        .as_ref()
        .and_then(|w| w.loc.clone())
        .or(b.decl.clone());
    if let Some(k) = &b.kms_key {
        if let Some(loc) = k.loc.clone() {
            out.push(Draft {
                head: 0,
                code: "cloudfront/website-endpoint-kms",
                severity: Severity::Error,
                loc,
                message: format!(
                    "bucket `{}` is served through its website endpoint, which does not support SSE-KMS objects: anonymous reads of objects encrypted with `{}` answer 403",
                    b.name, k.value
                ),
                related: website_loc.iter().map(|l| (l.clone(), "the website setting".to_string())).collect(),
                fixes: aes256_fix(ws, b),
            });
        }
    }
    let bpa = b.block_public_access.as_ref();
    let blocks =
        bpa.is_some_and(|s| s.value.block_public_policy || s.value.restrict_public_buckets);
    if let (Some(s), true) = (bpa, blocks) {
        if let Some(loc) = s.loc.clone() {
            out.push(Draft {
                head: 0,
                code: "cloudfront/block-public-access",
                severity: Severity::Error,
                loc,
                message: format!(
                    "Block Public Access is on for bucket `{}`, which its website endpoint needs to be public: every anonymous request answers 403 (turning it off is a deliberate choice)",
                    b.name
                ),
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
    if b.requester_pays() {
        if let Some(loc) = b.requester_pays.as_ref().and_then(|r| r.loc.clone()) {
            out.push(Draft {
                head: 0,
                code: "cloudfront/requester-pays",
                severity: Severity::Error,
                loc,
                message: format!(
                    "bucket `{}` has Requester Pays: anonymous requests, which are all a website endpoint receives, are refused",
                    b.name
                ),
                related: Vec::new(),
                fixes: Vec::new(),
            });
        }
    }
    // Cross-account writers keep ownership of what they upload.
    if let Some(o) = b
        .ownership
        .as_ref()
        .filter(|o| o.value != ObjectOwnership::BucketOwnerEnforced)
    {
        let writers = cross_account_writers(ix, b);
        if let (Some(loc), false) = (o.loc.clone(), writers.is_empty()) {
            out.push(Draft {
                head: 0,
                code: "cloudfront/owner-mismatch",
                severity: Severity::Error,
                loc,
                message: format!(
                    "objects uploaded by {} are owned by the writer, and public read through the bucket policy reaches only objects the bucket owner owns",
                    writers.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
                ),
                related: Vec::new(),
                fixes: ownership_fix(b).into_iter().map(|mut f| {
                    f.safe = false;
                    f
                }).collect(),
            });
        }
    }
    // Public read, as the website endpoint requests it.
    if blocks || b.requester_pays() {
        return out;
    }
    let req = Request::new(
        PrincipalId::Anonymous,
        "s3:GetObject",
        &format!("arn:aws:s3:::{}/index.html", b.name),
        Context::new(),
    );
    let (set, _, _) = policy_set(ix, &req);
    let d = evaluate(&set, &req);
    if d.trace.outcome.is_allow() {
        return out;
    }
    let public_allow = b.policy.as_ref().is_some_and(|p| {
        p.policy
            .statements
            .iter()
            .any(|s| s.effect() == Some(Effect::Allow) && is_public(s))
    });
    let referer_deny = b.policy.as_ref().filter(|_| !public_allow).and_then(|p| {
        p.policy
            .statements
            .iter()
            .position(|s| {
                s.effect() == Some(Effect::Deny)
                    && s.condition.as_ref().is_some_and(|c| {
                        c.clauses
                            .iter()
                            .any(|c| c.key.value.eq_ignore_ascii_case("aws:Referer"))
                    })
            })
            .map(|i| (p, i))
    });
    let locate = |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(ws, &r.label, s.start));
    let because = render::one_line(&d, &req, &locate);
    if let Some((p, i)) = referer_deny {
        let st = &p.policy.statements[i];
        let clause = st.condition.as_ref().and_then(|c| {
            c.clauses
                .iter()
                .find(|c| c.key.value.eq_ignore_ascii_case("aws:Referer"))
        });
        let values: Vec<String> = clause
            .map(|c| c.values.iter().map(|v| json_string(&v.value)).collect())
            .unwrap_or_default();
        let stmt = format!(
            r#"{{"Sid": "AllowGetWithSecretReferer", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {}, "Condition": {{"StringLike": {{"aws:Referer": [{}]}}}}}}"#,
            json_string(&format!("arn:aws:s3:::{}/*", b.name)),
            values.join(", ")
        );
        if let Some(loc) = p.statement_loc(i) {
            out.push(Draft {
                head: 0,
                code: "cloudfront/referer",
                severity: Severity::Error,
                loc,
                message: format!(
                    "a Deny never grants: the Referer restriction needs an Allow with the same condition, so anonymous reads of `{}` are denied even with the secret Referer ({because})",
                    b.name
                ),
                related: Vec::new(),
                fixes: append_fix(ws, p, &stmt, "add the public-read allow with the same Referer condition"),
            });
        }
        return out;
    }
    let Basis::Blocked(_) = &d.trace.basis else {
        return out;
    };
    let loc = b
        .policy
        .as_ref()
        .and_then(|p| first_allow(p))
        .or(website_loc);
    let Some(loc) = loc else { return out };
    let fixes = match &b.policy {
        Some(p) => {
            let stmt = format!(
                r#"{{"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {}}}"#,
                json_string(&format!("arn:aws:s3:::{}/*", b.name))
            );
            append_fix(
                ws,
                p,
                &stmt,
                "add the public-read statement (`s3:GetObject` for everyone)",
            )
        }
        None => Vec::new(),
    };
    out.push(Draft {
        head: 0,
        code: "cloudfront/not-public",
        severity: Severity::Error,
        loc,
        message: format!(
            "the website endpoint of `{}` sends anonymous requests and nothing grants `s3:GetObject` to everyone ({because})",
            b.name
        ),
        related: Vec::new(),
        fixes,
    });
    out
}

fn aes256_fix(ws: &Workspace, b: &BucketInfo) -> Vec<Fix> {
    if let Some((alg, key)) = &b.tf_sse {
        let Some(text) = ws.text(&alg.path) else {
            return Vec::new();
        };
        let Some(attr) = text.get(alg.span.range()) else {
            return Vec::new();
        };
        let Some(eq) = attr.find('=') else {
            return Vec::new();
        };
        let value_start = alg.span.start + eq + 1;
        let value = text.get(value_start..alg.span.end).unwrap_or_default();
        let lead = value.len() - value.trim_start().len();
        let mut edits = vec![
            Edit::replace(Span::new(value_start + lead, alg.span.end), "\"AES256\"")
                .in_file(alg.path.clone()),
        ];
        if let Some(k) = key {
            edits.push(Edit::delete(whole_line(text, *k)).in_file(alg.path.clone()));
        }
        return vec![Fix::unsafe_(
            "use SSE-S3 (AES256) instead of SSE-KMS",
            edits,
        )];
    }
    let Some(k) = &b.kms_key else {
        return Vec::new();
    };
    let Some(loc) = &k.loc else { return Vec::new() };
    let Some(text) = ws.text(&loc.path) else {
        return Vec::new();
    };
    vec![Fix::unsafe_(
        "use SSE-S3 (AES256) instead of SSE-KMS: remove `kms_key`",
        vec![Edit::delete(whole_line(text, loc.span)).in_file(loc.path.clone())],
    )]
}

/// The lines that hold `span`, newline included.
fn whole_line(text: &str, span: Span) -> Span {
    let start = text
        .get(..span.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(span.end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end + i + 1);
    Span::new(start, end)
}

fn is_public(s: &Statement) -> bool {
    match &s.principal {
        Some(p) if !p.negated => match &p.value {
            PrincipalValue::Star => true,
            PrincipalValue::Map(entries) => entries
                .iter()
                .any(|e| e.values.iter().any(|v| v.value == "*")),
        },
        _ => false,
    }
}

fn names_action(s: &Statement, action: &str) -> bool {
    s.action.as_ref().is_some_and(|a| {
        !a.negated
            && a.values.iter().any(|v| {
                v.value.eq_ignore_ascii_case(action)
                    || v.value == "*"
                    || v.value.eq_ignore_ascii_case("s3:*")
            })
    })
}

/// Principals of other accounts that the bucket policy or their own policies let upload.
fn cross_account_writers(ix: &Index, b: &BucketInfo) -> Vec<String> {
    let mut out = Vec::new();
    for pr in &ix.principals {
        if pr.account.is_none() || pr.account == b.account {
            continue;
        }
        let arn = format!("arn:aws:s3:::{}/", b.name);
        let writes = pr.identity.iter().any(|p| {
            p.policy.statements.iter().any(|s| {
                s.effect() == Some(Effect::Allow)
                    && names_action(s, "s3:PutObject")
                    && s.resource
                        .as_ref()
                        .is_some_and(|r| r.values.iter().any(|v| v.value.starts_with(&arn)))
            })
        });
        if writes {
            out.push(pr.arn.clone());
        }
    }
    out
}

/// What a Deny statement does in its workspace today, for its hover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DenyReport {
    /// Whom the policy applies to: the principals, buckets or accounts it is attached to.
    pub attached_to: Vec<String>,
    /// The intents it blocks, each in words with the place that declares or implies it.
    pub blocked: Vec<String>,
    /// The Allow statements it overrides in those decisions, with their places.
    pub overrides: Vec<String>,
}

/// The report on the Deny statement whose object is at `statement` in `path`: `None` when
/// no policy of the workspace has that statement.
pub fn deny_report(ws: &Workspace, path: &str, statement: Span) -> Option<DenyReport> {
    let ix = index_for(ws, path);
    deny_report_in(ws, &ix, path, statement)
}

/// The index of the sub-workspace rooted at `root` (the folder of a `latch.toml`, `""` for
/// the workspace root), and the path of its manifest when it has one. `old` holds policy
/// entries from earlier analyses to reuse; `new` receives the ones this index uses.
pub(crate) fn index_of_root(
    ws: &Workspace,
    root: &str,
    roots: &[String],
    modules: &[Arc<ModuleAnalysis>],
    old: &index::EntryCache,
    new: &mut index::EntryCache,
) -> (Index, Option<Arc<str>>) {
    let manifest_path = if root.is_empty() {
        "latch.toml".to_string()
    } else {
        format!("{root}/latch.toml")
    };
    let key = ws.path_key(&manifest_path);
    let parsed = key.as_ref().and_then(|k| {
        let m = ws.manifest(k)?;
        ws.text(k).map(|t| (k.clone(), t, m))
    });
    let ix = index::build(
        ws,
        root,
        roots,
        modules,
        parsed.as_ref().map(|(k, t, m)| (k, *t, &m.manifest)),
        old,
        new,
    );
    (ix, key)
}

/// The index of the sub-workspace rooted at `root`, reusing the policy entries of the
/// last analysis.
pub(crate) fn index_at(ws: &Workspace, root: &str) -> Index {
    let roots = index::roots(ws);
    let modules = ws.modules();
    let old = lock(&ws.access.entries).clone();
    index_of_root(
        ws,
        root,
        &roots,
        &modules,
        &old,
        &mut index::EntryCache::new(),
    )
    .0
}

/// The index of the sub-workspace that holds `path`.
fn index_for(ws: &Workspace, path: &str) -> Index {
    let roots = index::roots(ws);
    index_at(ws, index::root_of(&roots, path))
}

fn deny_report_in(ws: &Workspace, ix: &Index, path: &str, statement: Span) -> Option<DenyReport> {
    let (entry, si) = ix.policies.iter().find_map(|e| {
        if &*e.path != path {
            return None;
        }
        let i = e
            .policy
            .statements
            .iter()
            .position(|s| s.span == statement)?;
        Some((e.clone(), i))
    })?;
    let mut report = DenyReport::default();
    for p in &ix.principals {
        let attached = p
            .identity
            .iter()
            .chain(p.boundary.iter())
            .chain(p.session.iter())
            .any(|e| Arc::ptr_eq(&e.compiled, &entry.compiled));
        if attached {
            report.attached_to.push(format!("`{}`", p.arn));
        }
    }
    for b in &ix.buckets {
        if b.policy
            .as_ref()
            .is_some_and(|e| Arc::ptr_eq(&e.compiled, &entry.compiled))
        {
            report.attached_to.push(format!("bucket `{}`", b.name));
        }
    }
    for o in ix.scps.iter().chain(ix.rcps.iter()) {
        if Arc::ptr_eq(&o.policy.compiled, &entry.compiled) {
            let accounts = if o.accounts.is_empty() {
                "every account".to_string()
            } else {
                o.accounts
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            report
                .attached_to
                .push(format!("level `{}` of {accounts}", o.level));
        }
    }
    let locate = |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(ws, &r.label, s.start));
    for intent in intents(ix) {
        let req = request_of(ix, &intent);
        let (set, _, _) = policy_set(ix, &req);
        let open = evaluate_open(&set, &req);
        let d = &open.decision;
        let unless = match open.certainty {
            Certainty::Depends => format!(
                ", unless {}",
                latch_eval::open::unknowns_in_words(d, &open.unknowns, &intent.action)
                    .join(" and ")
            ),
            _ => String::new(),
        };
        let traces = std::iter::once((&d.trace, &req))
            .chain(d.dependent.iter().map(|x| (&x.trace, &x.request)));
        for (t, r) in traces {
            let Basis::Denied(refs) = &t.basis else {
                continue;
            };
            let hit = refs.iter().any(|x| {
                x.statement == si
                    && t.policy(*x)
                        .is_some_and(|p| Arc::ptr_eq(&p.policy, &entry.compiled))
            });
            if !hit {
                continue;
            }
            let place = source_loc(ix, &intent, d)
                .map(|l| format!(" ({}:{})", l.path, line_of(ws, &l.path, l.span.start)))
                .unwrap_or_default();
            let what = if r.action == intent.action {
                intent.describe()
            } else {
                format!("{} (through `{}`)", intent.describe(), r.action)
            };
            let line = format!("{what}{place}{unless}");
            if !report.blocked.contains(&line) {
                report.blocked.push(line);
            }
            for (pi, p) in t.policies.iter().enumerate() {
                // Grants are identity and resource Allows; SCP and endpoint Allows only
                // filter.
                if !matches!(p.layer, Layer::Identity | Layer::Resource) {
                    continue;
                }
                for s in &p.statements {
                    let allow =
                        p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow);
                    if allow && s.outcome.is_match() {
                        let place = render::statement_place(
                            t,
                            StmtRef {
                                policy: pi,
                                statement: s.index,
                            },
                            Some(r),
                            &locate,
                        );
                        if !report.overrides.contains(&place) {
                            report.overrides.push(place);
                        }
                    }
                }
            }
        }
    }
    Some(report)
}

/// What an Allow statement does in its workspace today, for its hover: the requests it
/// implies that go through, and those it has no effect on, with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowReport {
    pub lets_through: Vec<String>,
    pub no_effect: Vec<String>,
}

/// The report on the Allow statement whose object is at `statement` in `path`.
pub fn allow_report(ws: &Workspace, path: &str, statement: Span) -> Option<AllowReport> {
    let ix = index_for(ws, path);
    let mut report = AllowReport::default();
    let locate = |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(ws, &r.label, s.start));
    let mut found = false;
    for intent in intents(&ix) {
        let IntentSource::Statement {
            policy,
            statement: si,
        } = &intent.source
        else {
            continue;
        };
        let here = &*policy.path == path
            && policy
                .policy
                .statements
                .get(*si)
                .is_some_and(|s| s.span == statement);
        if !here {
            continue;
        }
        found = true;
        let req = request_of(&ix, &intent);
        let (set, _, _) = policy_set(&ix, &req);
        let open = evaluate_open(&set, &req);
        let d = &open.decision;
        if open.certainty == Certainty::Depends {
            report.lets_through.push(format!(
                "{}, only if {}",
                intent.describe(),
                latch_eval::open::unknowns_in_words(d, &open.unknowns, &intent.action)
                    .join(" and ")
            ));
        } else if d.outcome.is_allow() {
            report.lets_through.push(intent.describe());
        } else {
            report.no_effect.push(format!(
                "{}: {}",
                intent.describe(),
                render::one_line(d, &req, &locate)
            ));
        }
    }
    found.then_some(report)
}

#[cfg(test)]
mod tests {
    use crate::workspace::workspace_from_fixture;

    const KEY: &str = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn a_declared_request_on_a_key_the_key_policy_refuses() {
        let ws = workspace_from_fixture(&format!(
            r#"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:role/Reader"
policies = ["iam/reader.json"]

[[key]]
arn = "{KEY}"
policy = "kms/key.json"

[[expect]]
principal = "arn:aws:iam::111122223333:role/Reader"
action = "kms:Decrypt"
resource = "{KEY}"
decision = "allow"
//- iam/reader.json
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}"}}]}}
//- kms/key.json
{{"Version": "2012-10-17", "Statement": [{{"Sid": "Root", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::444455556666:root"}}, "Action": "kms:*", "Resource": "*"}}]}}
"#
        ));
        let a = ws.analyze();
        let f = a
            .all()
            .find(|f| f.code == "access/kms-key")
            .expect("a kms-key finding");
        // On the identity grant that has no effect; the declared intent is related.
        assert_eq!(&*f.path, "iam/reader.json");
        let text = ws.text("latch.toml").expect("manifest");
        assert!(
            f.related
                .iter()
                .any(|r| r.path.as_deref() == Some("latch.toml")
                    && text[r.range.start..].starts_with("[[expect]]"))
        );
        assert!(f.fixes[0].title.contains("key policy"), "{:?}", f.fixes);
        assert_eq!(f.fixes[0].edits[0].path.as_deref(), Some("kms/key.json"));
        assert!(f.message.contains("implicitly denied"), "{}", f.message);
    }
}
