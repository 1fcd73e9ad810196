//! Who can reach a resource, and what a principal can reach: the simulation run in
//! reverse. For a resource and one or more actions, [`who_can`] decides the request of
//! every candidate principal with the open-world engine; for a principal,
//! [`can_what`] decides a set of actions on every bucket and key of the workspace.
//!
//! The candidates are every principal of the (sub-)workspace that holds the resource
//! (roles and users of `latch.toml` and Terraform) and every principal an Allow of the
//! resource's own policy names: accounts (as `arn:aws:iam::ACCOUNT:root`, standing for
//! whoever the account lets in), roles and users of partners outside the workspace, AWS
//! services, and `*` (decided as an anonymous caller). A caller the workspace does not
//! describe has its identity side unknown, so what only its own policies can grant
//! "depends". Each request is the one a real client would make (see [`super::facts`]):
//! every fact the workspace does not state (source VPC endpoint, organization, tags) is
//! unknown, and a decision that turns on one "depends", with the facts in words.
//! Dependent requests are part of the decision: an S3 read of an SSE-KMS object needs
//! `kms:Decrypt` on the key, decided against the key policy when the workspace has it.
//!
//! Pure: the workspace's text in, plain structs out; the CLI and the editor render them.

use std::collections::BTreeSet;
use std::sync::Arc;

use latch_eval::{Certainty, Outcome, Trace};
use latch_syntax::catalog::catalog;
use latch_syntax::policy::{Effect, PrincipalType, PrincipalValue};
use latch_syntax::span::Span;

use super::facts::open_request;
use super::index::{self, Index};
use super::intents::representative;
use super::run::policy_set;
use crate::workspace::Workspace;

/// The decision for one principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WhoDecision {
    /// Allowed whatever the facts the workspace does not state are.
    Allow,
    /// Allowed for some values of those facts (the conditions say which).
    Depends,
    /// Denied whatever they are.
    Denied,
}

impl WhoDecision {
    /// `allow`, `depends`, `deny`: the words of `latch why`'s JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WhoDecision::Allow => "allow",
            WhoDecision::Depends => "depends",
            WhoDecision::Denied => "deny",
        }
    }

    fn of(c: Certainty) -> WhoDecision {
        match c {
            Certainty::Allowed => WhoDecision::Allow,
            Certainty::Depends => WhoDecision::Depends,
            Certainty::Denied => WhoDecision::Denied,
        }
    }

    /// Allowed or allowed under conditions.
    pub fn may_allow(self) -> bool {
        self != WhoDecision::Denied
    }
}

/// A place in a workspace file: a deciding statement.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub path: Arc<str>,
    pub span: Span,
}

impl Location {
    /// 1-based line and column (Unicode scalar values) of the start.
    pub fn line_column(&self, ws: &Workspace) -> (usize, usize) {
        let Some(before) = ws
            .text(&self.path)
            .and_then(|t| t.get(..self.span.start.min(t.len())))
        else {
            return (1, 1);
        };
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

/// The decision for one action.
#[derive(Clone, Debug)]
pub struct ActionAccess {
    pub action: String,
    /// The resource the request names (a representative object for a pattern).
    pub resource: String,
    pub decision: WhoDecision,
    /// For `Depends`: what must hold, in words.
    pub conditions: Vec<String>,
    /// The statements that decide (the allowing ones, or the denying ones).
    pub deciding: Vec<Location>,
    /// The engine's trace in words, when [`WhoOptions::traces`] asks for it.
    pub trace: Option<String>,
    /// An Allow of the workspace (identity or resource policy) applies to the request:
    /// something grants it, whatever blocks it.
    pub granted: bool,
}

/// One principal's access to the resource.
#[derive(Clone, Debug)]
pub struct PrincipalAccess {
    /// An ARN, a service principal, or `*`.
    pub principal: String,
    /// The best decision over the actions asked about.
    pub decision: WhoDecision,
    /// The conditions of the actions that depend on them.
    pub conditions: Vec<String>,
    /// The deciding statements of the actions with the best decision.
    pub deciding: Vec<Location>,
    /// Every action asked about, with its own decision.
    pub actions: Vec<ActionAccess>,
    /// The workspace describes the principal (its identity policies are known).
    pub in_workspace: bool,
    /// An Allow of the resource's own policy names the principal.
    pub named_by_resource: bool,
}

/// One resource a principal can reach.
#[derive(Clone, Debug)]
pub struct ResourceAccess {
    /// The bucket or key ARN.
    pub resource: String,
    /// `bucket` or `key`.
    pub kind: &'static str,
    /// The actions of the sets asked about, each with its decision.
    pub actions: Vec<ActionAccess>,
}

/// The action sets of `can-what`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionSet {
    /// `s3:GetObject` on the bucket's objects.
    S3Read,
    /// `s3:PutObject` and `s3:DeleteObject` on the bucket's objects.
    S3Write,
    /// `s3:ListBucket` on the bucket.
    S3List,
    /// `kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey` on the key.
    KmsUse,
}

impl ActionSet {
    pub const ALL: [ActionSet; 4] = [
        ActionSet::S3Read,
        ActionSet::S3Write,
        ActionSet::S3List,
        ActionSet::KmsUse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ActionSet::S3Read => "s3-read",
            ActionSet::S3Write => "s3-write",
            ActionSet::S3List => "s3-list",
            ActionSet::KmsUse => "kms-use",
        }
    }

    pub fn parse(s: &str) -> Option<ActionSet> {
        ActionSet::ALL.into_iter().find(|a| a.name() == s)
    }

    pub fn actions(self) -> &'static [&'static str] {
        match self {
            ActionSet::S3Read => &["s3:GetObject"],
            ActionSet::S3Write => &["s3:PutObject", "s3:DeleteObject"],
            ActionSet::S3List => &["s3:ListBucket"],
            ActionSet::KmsUse => &["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        }
    }
}

/// What [`who_can_with`] computes beyond the decisions.
#[derive(Clone, Copy, Debug, Default)]
pub struct WhoOptions {
    /// Render each decision's trace ([`ActionAccess::trace`]).
    pub traces: bool,
    /// Keep principals denied every action even when nothing grants them anything.
    pub all_denied: bool,
}

/// The accounts a grant may reach without leaving the zone of trust: the organization of
/// `[organization]` when `latch.toml` has one, else the accounts of the workspace
/// (`[accounts]`, its principals', buckets' and keys' accounts, Terraform stand-ins
/// included).
#[derive(Clone, Debug, Default)]
pub struct Zone {
    /// `[organization]`'s id, when stated.
    pub organization: Option<String>,
    pub accounts: BTreeSet<String>,
}

impl Zone {
    pub fn of(ix: &Index) -> Zone {
        // The workspace's own accounts are in the zone even when `[organization]` leaves
        // them out of its list: they hold the policies being read.
        let mut accounts: BTreeSet<String> = ix
            .organization
            .iter()
            .flat_map(|o| o.accounts.iter().cloned())
            .collect();
        accounts.extend(ix.accounts.values().cloned());
        accounts.extend(ix.principals.iter().filter_map(|p| p.account.clone()));
        accounts.extend(ix.buckets.iter().filter_map(|b| b.account.clone()));
        accounts.extend(
            ix.keys
                .iter()
                .filter_map(|k| arn_account(&k.arn).map(str::to_string)),
        );
        Zone {
            organization: ix.organization.as_ref().map(|o| o.id.clone()),
            accounts,
        }
    }

    /// Whether `account` is in the zone; a Terraform stand-in for a provider's account
    /// is the workspace's own.
    pub fn contains(&self, account: &str) -> bool {
        self.accounts.contains(account)
            || latch_syntax::terraform::providers::is_stand_in_account(account)
    }

    /// Whether `account` is outside the zone: `None` when that is not known, because
    /// the workspace does not state some of its own accounts (a Terraform provider's
    /// stand-in, or no account at all), one of which `account` may be.
    pub fn outside(&self, account: &str) -> Option<bool> {
        if self.contains(account) {
            return Some(false);
        }
        let unsettled = self.accounts.is_empty()
            || self
                .accounts
                .iter()
                .any(|a| latch_syntax::terraform::providers::is_stand_in_account(a));
        (!unsettled).then_some(true)
    }

    /// The zone in words, for messages.
    pub fn describe(&self) -> String {
        let accounts: Vec<&str> = self
            .accounts
            .iter()
            .filter(|a| !latch_syntax::terraform::providers::is_stand_in_account(a))
            .map(String::as_str)
            .collect();
        match (&self.organization, accounts.is_empty()) {
            (Some(o), _) => format!("the organization `{o}`"),
            (None, true) => "the accounts of the workspace".to_string(),
            (None, false) => format!("the accounts of the workspace, `{}`", accounts.join("`, `")),
        }
    }
}

/// The account field of an ARN, when it is a 12-digit account or a stand-in.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let acct = arn.split(':').nth(4)?;
    (!acct.is_empty() && !acct.contains('*')).then_some(acct)
}

/// The account of a principal as who-can names it (`*` and services have none).
pub fn principal_account(principal: &str) -> Option<&str> {
    if latch_eval::arn::is_account_id(principal) {
        return Some(principal);
    }
    if !principal.starts_with("arn:") {
        return None;
    }
    arn_account(principal)
}

/// The Terraform provider whose account `principal`'s account stands in for (an account
/// the workspace does not state), for words such as "the account of provider `aws`".
pub fn stand_in_provider(ws: &Workspace, principal: &str) -> Option<String> {
    let account = principal_account(principal)?;
    if !latch_syntax::terraform::providers::is_stand_in_account(account) {
        return None;
    }
    super::facts::stand_ins(&ws.modules())
        .into_iter()
        .find(|(a, _)| a == account)
        .map(|(_, provider)| provider)
}

/// Expands `s3:Get*`-like patterns with the catalogue to the actions that apply to
/// `resource` (by its resource type); an action without wildcards is kept as given.
/// Errors name a pattern that matches nothing.
pub fn expand_actions(patterns: &[String], resource: &str) -> Result<Vec<String>, String> {
    let cat = catalog();
    let mut out: Vec<String> = Vec::new();
    let concrete = representative(resource);
    let types = cat.resource_types_for_arn(&concrete);
    for p in patterns {
        if !p.contains(['*', '?']) {
            if !out.iter().any(|a| a.eq_ignore_ascii_case(p)) {
                out.push(p.clone());
            }
            continue;
        }
        let mut any = false;
        for a in cat.expand(p) {
            let applies = if resource == "*" {
                !a.has_resource_types()
            } else {
                a.resource_types().any(|rt| {
                    types
                        .iter()
                        .any(|t| t.service == a.service && t.name == rt.name)
                })
            };
            if !applies {
                continue;
            }
            any = true;
            let name = a.full_name();
            if !out.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
                out.push(name);
            }
        }
        if !any {
            return Err(format!(
                "`{p}` matches no action that applies to `{resource}`"
            ));
        }
    }
    Ok(out)
}

/// The index of the sub-workspace that holds `resource` (a bucket or key it describes),
/// else the workspace root's.
fn index_holding(ws: &Workspace, resource: &str) -> Index {
    let roots = index::roots(ws);
    let mut first: Option<Index> = None;
    for root in &roots {
        let ix = super::index_at(ws, root);
        if ix.bucket_of(resource).is_some() || ix.key(resource).is_some() {
            return ix;
        }
        if first.is_none() {
            first = Some(ix);
        }
    }
    first.unwrap_or_default()
}

/// Every principal an Allow of `ix`'s policy for `resource` names, as who-can names it,
/// with the ARN or word the request is made with.
fn named_by_resource_policy(ix: &Index, resource: &str) -> Vec<(String, String)> {
    let policy = match ix.bucket_of(resource) {
        Some(b) => b.policy.clone(),
        None => ix.key(resource).and_then(|k| k.policy.clone()),
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |shown: String, caller: String| {
        if !out.iter().any(|(s, _)| *s == shown) {
            out.push((shown, caller));
        }
    };
    let Some(p) = policy else { return out };
    for st in &p.policy().statements {
        if st.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some(pr) = &st.principal else { continue };
        // An Allow with `NotPrincipal` lets in everyone it does not name.
        if pr.negated {
            add("*".into(), "anonymous".into());
            continue;
        }
        match &pr.value {
            PrincipalValue::Star => add("*".into(), "anonymous".into()),
            PrincipalValue::Map(entries) => {
                for e in entries {
                    for v in &e.values {
                        let v = v.value.trim();
                        if v.is_empty() || v.contains("${") {
                            continue;
                        }
                        match e.kind.value {
                            PrincipalType::Aws if v == "*" => {
                                add("*".into(), "anonymous".into());
                            }
                            PrincipalType::Aws if v.contains('*') => {}
                            PrincipalType::Aws if latch_eval::arn::is_account_id(v) => {
                                let root = format!("arn:aws:iam::{v}:root");
                                add(root.clone(), root);
                            }
                            PrincipalType::Aws if v.starts_with("arn:") => {
                                add(v.to_string(), v.to_string());
                            }
                            PrincipalType::Service if !v.contains('*') => {
                                add(v.to_string(), v.to_string());
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    out
}

/// Who can perform `actions` (patterns allowed, see [`expand_actions`]) on `resource`:
/// every principal allowed, allowed under conditions, or denied although something
/// grants it the request (blocked by a key policy, a Deny, Block Public Access).
/// Ordered: allowed first, then depends, then denied; by principal within each.
pub fn who_can(ws: &Workspace, actions: &[String], resource: &str) -> Vec<PrincipalAccess> {
    who_can_with(ws, actions, resource, WhoOptions::default())
}

/// [`who_can`] with options.
pub fn who_can_with(
    ws: &Workspace,
    actions: &[String],
    resource: &str,
    opts: WhoOptions,
) -> Vec<PrincipalAccess> {
    let ix = index_holding(ws, resource);
    who_can_in(ws, &ix, actions, resource, opts)
}

pub(crate) fn who_can_in(
    ws: &Workspace,
    ix: &Index,
    actions: &[String],
    resource: &str,
    opts: WhoOptions,
) -> Vec<PrincipalAccess> {
    let actions = expand_actions(actions, resource).unwrap_or_else(|_| actions.to_vec());
    let concrete = representative(resource);
    let named = named_by_resource_policy(ix, &concrete);
    let mut candidates: Vec<(String, String, bool)> = ix
        .principals
        .iter()
        .map(|p| (p.arn.clone(), p.arn.clone(), false))
        .collect();
    for (shown, caller) in named {
        match candidates.iter_mut().find(|(s, _, _)| *s == shown) {
            Some(c) => c.2 = true,
            None => candidates.push((shown, caller, true)),
        }
    }
    // A pattern (`bucket/*`) stands for every resource it matches: besides its
    // representative, the narrower resources the grants name (`bucket/reports/*`), so
    // that a principal allowed only there is listed, as "depends" on the resource.
    let pattern = resource
        .contains(['*', '?'])
        .then(|| latch_eval::glob::Glob::new(resource));
    let resource_policy = match ix.bucket_of(&concrete) {
        Some(b) => b.policy.clone(),
        None => ix.key(&concrete).and_then(|k| k.policy.clone()),
    };
    let shared: Vec<(String, String)> = match &pattern {
        Some(g) => narrower(resource_policy.iter(), g, &concrete),
        None => Vec::new(),
    };
    // Whoever the resource policy does not name can only be let in by its own identity
    // policies, unless the policy grants to everyone: a principal none of whose identity
    // Allows names one of the actions is denied with nothing granting it, and is left
    // out without a decision.
    let open_to_all = resource_policy
        .as_ref()
        .is_some_and(|p| p.policy().statements.iter().any(grants_everyone));
    let lowered: Vec<String> = actions.iter().map(|a| a.to_ascii_lowercase()).collect();
    let mut out: Vec<PrincipalAccess> = Vec::new();
    for (shown, caller, named_by_resource) in candidates {
        if !opts.all_denied && !named_by_resource && !open_to_all {
            if let Some(p) = ix.principal(&caller) {
                if !p.identity_unknown && !may_grant(p, &lowered, &concrete, pattern.as_ref()) {
                    continue;
                }
            }
        }
        let mut samples = shared.clone();
        if let (Some(g), Some(p)) = (&pattern, ix.principal(&caller)) {
            for r in narrower(p.identity.iter(), g, &concrete) {
                if !samples.iter().any(|(x, _)| *x == r.0) && samples.len() < MAX_SAMPLES {
                    samples.push(r);
                }
            }
        }
        let mut per_action: Vec<ActionAccess> = actions
            .iter()
            .map(|a| decide_over(ws, ix, &caller, a, &concrete, &samples, opts.traces))
            .collect();
        // Another account named as a whole (`ACCOUNT:root`) stands for its principals:
        // the engine decides for the root user, who needs no identity policy, but every
        // other principal of that account gets in only if its own policies allow it.
        if let Some(acct) = other_account_root(ix, &caller, &concrete) {
            for a in &mut per_action {
                if a.decision == WhoDecision::Allow {
                    a.decision = WhoDecision::Depends;
                    a.conditions.push(format!(
                        "the identity policies of the caller in `{acct}` (not in the workspace) allow `{}`",
                        a.action
                    ));
                }
            }
        }
        let Some(best) = per_action.iter().map(|a| a.decision).min() else {
            continue;
        };
        // Denied everything: kept when something grants it the request (an Allow of
        // its identity policies or of the resource's policy applies), so that what blocks
        // it is visible.
        if best == WhoDecision::Denied && !opts.all_denied && !per_action.iter().any(|a| a.granted)
        {
            continue;
        }
        let mut conditions: Vec<String> = Vec::new();
        let mut deciding: Vec<Location> = Vec::new();
        for a in &per_action {
            if a.decision == WhoDecision::Depends {
                for c in &a.conditions {
                    if !conditions.contains(c) {
                        conditions.push(c.clone());
                    }
                }
            }
            if a.decision == best {
                for l in &a.deciding {
                    if !deciding.contains(l) {
                        deciding.push(l.clone());
                    }
                }
            }
        }
        out.push(PrincipalAccess {
            in_workspace: ix.principal(&caller).is_some(),
            principal: shown,
            decision: best,
            conditions,
            deciding,
            actions: per_action,
            named_by_resource,
        });
    }
    out.sort_by(|a, b| {
        a.decision
            .cmp(&b.decision)
            .then_with(|| a.principal.cmp(&b.principal))
    });
    out
}

/// An Allow whose `Principal` is everyone (or `NotPrincipal`).
fn grants_everyone(st: &latch_syntax::policy::Statement) -> bool {
    if st.effect() != Some(Effect::Allow) {
        return false;
    }
    let Some(pr) = &st.principal else {
        return false;
    };
    pr.negated
        || match &pr.value {
            PrincipalValue::Star => true,
            PrincipalValue::Map(entries) => entries
                .iter()
                .any(|e| e.values.iter().any(|v| v.value.contains('*'))),
        }
}

/// Whether an Allow of the principal's identity policies names one of `actions`
/// (lower-cased) on `resource` or a resource the `pattern` asked about matches, by
/// pattern, `NotAction` or `NotResource`. A policy variable may match anything.
fn may_grant(
    p: &index::PrincipalInfo,
    actions: &[String],
    resource: &str,
    pattern: Option<&latch_eval::glob::Glob>,
) -> bool {
    p.identity.iter().any(|e| {
        e.policy().statements.iter().any(|st| {
            st.effect() == Some(Effect::Allow)
                && st.action.as_ref().is_none_or(|a| {
                    a.negated
                        || a.values.iter().any(|v| {
                            let g = latch_eval::glob::Glob::new(&v.value.to_ascii_lowercase());
                            actions.iter().any(|x| g.is_match(x))
                        })
                })
                && st.resource.as_ref().is_none_or(|r| {
                    r.negated
                        || r.values.iter().any(|v| {
                            v.value.contains("${")
                                || latch_eval::glob::Glob::new(&v.value).is_match(resource)
                                || pattern.is_some_and(|g| g.is_match(&representative(&v.value)))
                        })
                })
        })
    })
}

/// The account of `caller` when it is the root of an account the workspace does not
/// describe and that does not own `resource`.
fn other_account_root(ix: &Index, caller: &str, resource: &str) -> Option<String> {
    let acct = caller
        .strip_suffix(":root")
        .and_then(|c| arn_account(c).or_else(|| c.rsplit(':').next()))?;
    if ix.principal(caller).is_some() {
        return None;
    }
    let owner = ix
        .bucket_of(resource)
        .and_then(|b| b.account.clone())
        .or_else(|| arn_account(resource).map(str::to_string));
    (owner.as_deref() != Some(acct)).then(|| acct.to_string())
}

/// The most narrower resources tried for a pattern, per principal.
const MAX_SAMPLES: usize = 8;

/// The representatives of the resources the Allow statements of `policies` name that
/// `pattern` matches, other than `main`.
fn narrower<'a>(
    policies: impl Iterator<Item = &'a Arc<index::PolicyEntry>>,
    pattern: &latch_eval::glob::Glob,
    main: &str,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in policies {
        for st in &p.policy().statements {
            if st.effect() != Some(Effect::Allow) {
                continue;
            }
            let Some(res) = &st.resource else { continue };
            if res.negated {
                continue;
            }
            for v in &res.values {
                let r = representative(&v.value);
                if r != main && pattern.is_match(&r) && !out.iter().any(|(x, _)| *x == r) {
                    out.push((r, v.value.to_string()));
                    if out.len() >= MAX_SAMPLES {
                        return out;
                    }
                }
            }
        }
    }
    out
}

/// Decides `action` on `main`, and when it is not allowed there, on the narrower
/// `samples`: allowed on some of them only is "depends" on the resource.
fn decide_over(
    ws: &Workspace,
    ix: &Index,
    caller: &str,
    action: &str,
    main: &str,
    samples: &[(String, String)],
    traces: bool,
) -> ActionAccess {
    let first = decide(ws, ix, caller, action, main, traces);
    if first.decision == WhoDecision::Allow || samples.is_empty() {
        return first;
    }
    // Better: a decision that allows more, or the same one where something grants it
    // (a denial of the narrower resource a grant names says what blocks it).
    let rank = |a: &ActionAccess| (a.decision, !a.granted);
    let mut best: Option<(ActionAccess, &str)> = None;
    for (r, written) in samples {
        let a = decide(ws, ix, caller, action, r, traces);
        if rank(&a) < best.as_ref().map_or(rank(&first), |b| rank(&b.0)) {
            best = Some((a, written));
        }
    }
    match best {
        Some((b, _)) if b.decision == WhoDecision::Denied => b,
        Some((mut b, written)) => {
            b.conditions
                .insert(0, format!("the resource is `{written}`"));
            b.decision = WhoDecision::Depends;
            b
        }
        None => first,
    }
}

/// The deciding statements of `t` (the workspace's, not the stand-in for an unknown
/// identity side).
fn add_deciding(ix: &Index, t: &Trace, deciding: &mut Vec<Location>) {
    for r in t.deciding() {
        if latch_eval::open::is_unknown_identity(t, *r) {
            continue;
        }
        let Some(p) = t.policy(*r) else { continue };
        let Some(e) = ix.entry_of(&p.policy) else {
            continue;
        };
        let Some(st) = p.statement(r.statement) else {
            continue;
        };
        let loc = Location {
            path: e.path.clone(),
            span: st.span,
        };
        if !deciding.contains(&loc) {
            deciding.push(loc);
        }
    }
}

/// Whether an Allow of an identity or resource policy of the workspace applies in `t`.
fn grants(t: &Trace) -> bool {
    t.policies.iter().enumerate().any(|(pi, p)| {
        matches!(
            p.layer,
            latch_eval::Layer::Identity | latch_eval::Layer::Resource
        ) && p.not_applicable.is_none()
            && p.statements.iter().any(|s| {
                // Set aside (Block Public Access) still counts: it is what blocks.
                matches!(
                    s.outcome,
                    latch_eval::StatementOutcome::Matched { .. }
                        | latch_eval::StatementOutcome::Ignored(_)
                ) && p.statement(s.index).and_then(|st| st.effect()) == Some(Effect::Allow)
                    && !latch_eval::open::is_unknown_identity(
                        t,
                        latch_eval::StmtRef {
                            policy: pi,
                            statement: s.index,
                        },
                    )
            })
    })
}

/// Decides one request of `caller`.
fn decide(
    ws: &Workspace,
    ix: &Index,
    caller: &str,
    action: &str,
    resource: &str,
    traces: bool,
) -> ActionAccess {
    let req = open_request(ix, caller, action, resource);
    let (set, _, _) = policy_set(ix, &req);
    let open = latch_eval::evaluate_open(&set, &req);
    let d = &open.decision;
    let decision = WhoDecision::of(open.certainty);
    let conditions = if decision == WhoDecision::Depends {
        latch_eval::open::unknowns_in_words(d, &open.unknowns, action)
    } else {
        Vec::new()
    };
    let mut deciding: Vec<Location> = Vec::new();
    if decision == WhoDecision::Denied {
        // A Deny decides where there is one; else the policies of the layer that fails
        // to allow (the key policy of a failing `kms:Decrypt`), at their start.
        let failing = (!d.trace.outcome.is_allow())
            .then_some(&d.trace)
            .into_iter()
            .chain(
                d.dependent
                    .iter()
                    .filter(|x| !x.outcome.is_allow())
                    .map(|x| &x.trace),
            );
        for t in failing {
            add_deciding(ix, t, &mut deciding);
            let latch_eval::Basis::Blocked(b) = &t.basis else {
                continue;
            };
            let layers = crate::denied::blocker_layers(b);
            for (pi, p) in t.policies.iter().enumerate() {
                if !layers.contains(&p.layer) || p.not_applicable.is_some() {
                    continue;
                }
                let r = latch_eval::StmtRef {
                    policy: pi,
                    statement: 0,
                };
                if latch_eval::open::is_unknown_identity(t, r) {
                    continue;
                }
                let Some(e) = ix.entry_of(&p.policy) else {
                    continue;
                };
                let span = p.policy.source.span;
                let loc = Location {
                    path: e.path.clone(),
                    span: Span::new(span.start, span.start),
                };
                if !deciding.contains(&loc) {
                    deciding.push(loc);
                }
            }
        }
        // Block Public Access set a grant aside: its setting decides.
        let set_aside = std::iter::once(&d.trace).any(|t| {
            t.policies.iter().any(|p| {
                p.statements.iter().any(|s| {
                    matches!(
                        s.outcome,
                        latch_eval::StatementOutcome::Ignored(
                            latch_eval::trace::IgnoreReason::RestrictPublicBuckets
                        )
                    )
                })
            })
        });
        if set_aside {
            if let Some(loc) = ix
                .bucket_of(resource)
                .and_then(|b| b.block_public_access.as_ref())
                .and_then(|s| s.loc.clone())
            {
                let loc = Location {
                    path: loc.path,
                    span: loc.span,
                };
                if !deciding.contains(&loc) {
                    deciding.push(loc);
                }
            }
        }
    } else if d.outcome == Outcome::Allow {
        add_deciding(ix, &d.trace, &mut deciding);
        for dep in &d.dependent {
            add_deciding(ix, &dep.trace, &mut deciding);
        }
    } else {
        // Depends: the grants of the workspace that apply (the decision reported is the
        // one with every unknown against the request, where nothing decided yet).
        for t in std::iter::once(&d.trace).chain(d.dependent.iter().map(|x| &x.trace)) {
            for (pi, p) in t.policies.iter().enumerate() {
                for st in &p.statements {
                    let r = latch_eval::StmtRef {
                        policy: pi,
                        statement: st.index,
                    };
                    let allow =
                        p.statement(st.index).and_then(|x| x.effect()) == Some(Effect::Allow);
                    if !allow
                        || !st.outcome.is_match()
                        || latch_eval::open::is_unknown_identity(t, r)
                    {
                        continue;
                    }
                    let (Some(e), Some(x)) = (ix.entry_of(&p.policy), p.statement(st.index)) else {
                        continue;
                    };
                    let loc = Location {
                        path: e.path.clone(),
                        span: x.span,
                    };
                    if !deciding.contains(&loc) {
                        deciding.push(loc);
                    }
                }
            }
        }
    }
    let trace = traces.then(|| {
        let locate = |r: &latch_eval::PolicyRef, s: Span| {
            format!("{}:{}", r.label, super::line_of(ws, &r.label, s.start))
        };
        latch_eval::render::explain(d, &req, &locate)
    });
    // The request itself: a dependent `kms:GenerateDataKey` the key policy allows
    // grants no `s3:PutObject`.
    let granted = grants(&d.trace);
    ActionAccess {
        action: action.to_string(),
        resource: resource.to_string(),
        decision,
        conditions,
        deciding,
        trace,
        granted,
    }
}

/// What `principal` can do on every bucket and key of the workspace, for the action
/// `sets`: one entry per resource where at least one action is allowed or depends (every
/// resource with `all`).
pub fn can_what(
    ws: &Workspace,
    principal: &str,
    sets: &[ActionSet],
    all: bool,
) -> Vec<ResourceAccess> {
    let mut out = Vec::new();
    for root in &index::roots(ws) {
        let ix = super::index_at(ws, root);
        for b in &ix.buckets {
            let bucket = format!("arn:aws:s3:::{}", b.name);
            let object = format!("{bucket}/example-object");
            let mut actions = Vec::new();
            for s in sets {
                let resource = match s {
                    ActionSet::S3Read | ActionSet::S3Write => &object,
                    ActionSet::S3List => &bucket,
                    ActionSet::KmsUse => continue,
                };
                for a in s.actions() {
                    actions.push(decide(ws, &ix, principal, a, resource, false));
                }
            }
            push_resource(&mut out, bucket, "bucket", actions, all);
        }
        for k in &ix.keys {
            if !sets.contains(&ActionSet::KmsUse) {
                break;
            }
            let actions = ActionSet::KmsUse
                .actions()
                .iter()
                .map(|a| decide(ws, &ix, principal, a, &k.arn, false))
                .collect();
            push_resource(&mut out, k.arn.clone(), "key", actions, all);
        }
    }
    out
}

fn push_resource(
    out: &mut Vec<ResourceAccess>,
    resource: String,
    kind: &'static str,
    actions: Vec<ActionAccess>,
    all: bool,
) {
    if actions.is_empty() || !(all || actions.iter().any(|a| a.decision.may_allow())) {
        return;
    }
    if out.iter().any(|r| r.resource == resource) {
        return;
    }
    out.push(ResourceAccess {
        resource,
        kind,
        actions,
    });
}

/// A lens's line for a bucket or key: how many principals may read and write it, and
/// the ones outside the zone of trust.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessSummary {
    /// Principals allowed (or allowed under conditions) to read: `s3:GetObject` on the
    /// bucket's objects, `kms:Decrypt` with the key.
    pub read: usize,
    /// Principals allowed (or under conditions) to write: `s3:PutObject`,
    /// `kms:Encrypt`/`kms:GenerateDataKey`.
    pub write: usize,
    /// Principals outside the zone of trust allowed anything of the above, with their
    /// best decision; `*` is public.
    pub external: Vec<(String, WhoDecision)>,
}

/// The read, write and external counts for the bucket or key `resource` (an ARN).
pub fn access_summary(ws: &Workspace, resource: &str) -> AccessSummary {
    let ix = index_holding(ws, resource);
    access_summary_in(ws, &ix, resource)
}

/// [`access_summary`] of every bucket and key of the workspace, each sub-workspace's
/// index built once: `(ARN, summary)`, buckets as `arn:aws:s3:::NAME`.
pub fn access_summaries(ws: &Workspace) -> Vec<(String, AccessSummary)> {
    let mut out = Vec::new();
    for root in &index::roots(ws) {
        let ix = super::index_at(ws, root);
        for b in &ix.buckets {
            let arn = format!("arn:aws:s3:::{}", b.name);
            let s = access_summary_in(ws, &ix, &arn);
            out.push((arn, s));
        }
        for k in &ix.keys {
            out.push((k.arn.clone(), access_summary_in(ws, &ix, &k.arn)));
        }
    }
    out
}

pub(crate) fn access_summary_in(ws: &Workspace, ix: &Index, resource: &str) -> AccessSummary {
    let (target, read, write): (String, &[&str], &[&str]) = if resource.starts_with("arn:aws:s3:") {
        let bucket = resource.split('/').next().unwrap_or(resource);
        (
            format!("{bucket}/example-object"),
            &["s3:GetObject"],
            &["s3:PutObject"],
        )
    } else {
        (
            resource.to_string(),
            &["kms:Decrypt"],
            &["kms:Encrypt", "kms:GenerateDataKey"],
        )
    };
    let actions: Vec<String> = read.iter().chain(write).map(|a| a.to_string()).collect();
    let zone = Zone::of(ix);
    let mut s = AccessSummary::default();
    for p in who_can_in(ws, ix, &actions, &target, WhoOptions::default()) {
        let can = |set: &[&str]| {
            p.actions
                .iter()
                .any(|a| set.contains(&a.action.as_str()) && a.decision.may_allow())
        };
        if can(read) {
            s.read += 1;
        }
        if can(write) {
            s.write += 1;
        }
        let outside = match principal_account(&p.principal) {
            Some(acct) => zone.outside(acct) == Some(true),
            None => p.principal == "*",
        };
        if outside && p.decision.may_allow() {
            s.external.push((p.principal.clone(), p.decision));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_expand_to_the_actions_of_the_resource_type() {
        let got = expand_actions(&["s3:GetObject*".into()], "arn:aws:s3:::b/*").expect("some");
        assert!(got.contains(&"s3:GetObject".to_string()), "{got:?}");
        assert!(got.contains(&"s3:GetObjectAcl".to_string()), "{got:?}");
        let got = expand_actions(&["s3:Get*".into()], "arn:aws:s3:::b/*").expect("some");
        assert!(!got.contains(&"s3:GetBucketPolicy".to_string()), "{got:?}");
        let got = expand_actions(&["s3:Get*".into()], "arn:aws:s3:::b").expect("some");
        assert!(got.contains(&"s3:GetBucketPolicy".to_string()), "{got:?}");
        assert!(!got.contains(&"s3:GetObject".to_string()), "{got:?}");
        assert!(expand_actions(&["s3:Nothing*".into()], "arn:aws:s3:::b").is_err());
        // Given without wildcards: kept as given.
        assert_eq!(
            expand_actions(&["s3:GetObject".into(), "s3:GetObject".into()], "*").expect("ok"),
            vec!["s3:GetObject".to_string()]
        );
    }
}
