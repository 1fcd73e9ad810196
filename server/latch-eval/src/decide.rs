//! The decision across policy kinds (docs/aws-rules.md §3), with the KMS rules (§7) and the
//! S3 gates (§8).
//!
//! Order: an applicable Deny anywhere wins; then every RCP level and every SCP level must
//! allow; then the VPC endpoint policy; then the S3 request gates (Requester Pays, ACL
//! headers); then the grant itself: same account is the union of the identity side
//! (identity ∧ boundary ∧ session) and the resource-policy grant, whose worth depends on
//! which ARN it names; cross account needs both sides; key and trust policies are
//! mandatory. Dependent KMS requests of SSE-KMS objects are decided the same way and the
//! overall outcome is the worst of all.

use std::sync::Arc;

use latch_syntax::policy::{Effect, PolicyKind};
use latch_syntax::text::Str;

use crate::compile::{CompiledPolicy, Env};
use crate::request::{PrincipalId, Request};
use crate::s3::{Grantee, S3Facts};
use crate::trace::*;

/// A VPC endpoint and its policy. `id: None` applies to any request that came through
/// an endpoint (the request has `aws:SourceVpce`).
#[derive(Clone, Debug)]
pub struct VpcEndpoint {
    pub id: Option<String>,
    pub policy: Arc<CompiledPolicy>,
}

/// Every policy that may apply to one request.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    /// Identity policies of the caller: user + groups, or role.
    pub identity: Vec<Arc<CompiledPolicy>>,
    /// The resource-based policy of the target; its kind says whether it is a key or
    /// trust policy.
    pub resource: Option<Arc<CompiledPolicy>>,
    /// The account that owns the target; else the S3 bucket owner, the ARN's account, or
    /// the caller's account.
    pub resource_account: Option<String>,
    /// One list per organization level of the caller's account; every level must allow.
    pub scp: Vec<Vec<Arc<CompiledPolicy>>>,
    /// One list per organization level of the resource's account.
    pub rcp: Vec<Vec<Arc<CompiledPolicy>>>,
    /// The name of each SCP level as the workspace states it (`level` in `latch.toml`),
    /// in the order of `scp`; a level without a name is shown by its number.
    pub scp_names: Vec<String>,
    /// The name of each RCP level, in the order of `rcp`.
    pub rcp_names: Vec<String>,
    pub boundary: Option<Arc<CompiledPolicy>>,
    pub session: Option<Arc<CompiledPolicy>>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub s3: Option<S3Facts>,
    /// The caller's identity policies are not all known (a principal outside the
    /// workspace, an AWS managed policy): [`crate::open::evaluate_open`] then bounds the
    /// decision with an identity side that allows nothing and one that allows everything.
    pub identity_unknown: bool,
}

/// KMS operations that work across accounts (docs/aws-rules.md §7.4), lower-cased.
fn kms_cross_account_operation(op: &str) -> bool {
    matches!(
        op,
        "encrypt"
            | "decrypt"
            | "generatemac"
            | "verifymac"
            | "sign"
            | "verify"
            | "derivesharedsecret"
            | "creategrant"
            | "describekey"
            | "getkeyrotationstatus"
            | "getpublickey"
            | "listgrants"
            | "retiregrant"
            | "revokegrant"
    ) || op.starts_with("reencrypt")
        || op.starts_with("generatedatakey")
}

/// What one policy contributed, without allocating: the engine re-reads the trace for
/// the details it needs.
#[derive(Clone, Copy, Default)]
struct Summary {
    index: usize,
    any_deny: bool,
    first_allow: Option<StmtRef>,
}

impl Summary {
    fn allows(&self) -> bool {
        self.first_allow.is_some()
    }
}

struct Run<'a> {
    env: Env<'a>,
    trace: Vec<PolicyTrace>,
    scp_names: &'a [String],
    rcp_names: &'a [String],
}

impl Run<'_> {
    fn eval(
        &mut self,
        policy: &Arc<CompiledPolicy>,
        layer: Layer,
        not_applicable: Option<NotApplicable>,
    ) -> Summary {
        let index = self.trace.len();
        let mut summary = Summary {
            index,
            ..Summary::default()
        };
        let mut statements = Statements::with_capacity(if not_applicable.is_none() {
            policy.statements.len()
        } else {
            0
        });
        if not_applicable.is_none() {
            for (i, st) in policy.statements.iter().enumerate() {
                let outcome = st.eval(policy.kind(), &self.env);
                if outcome.is_match() {
                    match st.effect {
                        Some(Effect::Deny) => summary.any_deny = true,
                        Some(Effect::Allow) if summary.first_allow.is_none() => {
                            summary.first_allow = Some(StmtRef {
                                policy: index,
                                statement: i,
                            })
                        }
                        _ => {}
                    }
                }
                statements.push(StatementTrace { index: i, outcome });
            }
        }
        let level_name = match layer {
            Layer::Scp { level } => self.scp_names.get(level),
            Layer::Rcp { level } => self.rcp_names.get(level),
            _ => None,
        }
        .map(|n| Arc::from(n.as_str()));
        self.trace.push(PolicyTrace {
            policy: Arc::clone(policy),
            layer,
            level_name,
            not_applicable,
            statements,
        });
        summary
    }

    /// Every applicable Deny statement, in trace order.
    fn denies(&self) -> Refs {
        let mut out = Refs::new();
        for (pi, p) in self.trace.iter().enumerate() {
            for s in &p.statements {
                let deny = p
                    .policy
                    .statements
                    .get(s.index)
                    .is_some_and(|st| st.effect == Some(Effect::Deny));
                if deny && s.outcome.is_match() {
                    out.push(StmtRef {
                        policy: pi,
                        statement: s.index,
                    });
                }
            }
        }
        out
    }

    /// The `k`-th statement of the policy at `index` in the trace, with its grant, if it
    /// is a matched Allow statement.
    fn allow_at(&self, index: usize, k: usize) -> Option<(StmtRef, Option<GrantKind>)> {
        let p = self.trace.get(index)?;
        let s = p.statements.get(k)?;
        match s.outcome {
            StatementOutcome::Matched { grant, .. }
                if p.policy.statements.get(s.index).and_then(|st| st.effect)
                    == Some(Effect::Allow) =>
            {
                Some((
                    StmtRef {
                        policy: index,
                        statement: s.index,
                    },
                    grant,
                ))
            }
            _ => None,
        }
    }

    fn ignore(&mut self, r: StmtRef, reason: IgnoreReason) {
        if let Some(st) = self
            .trace
            .get_mut(r.policy)
            .and_then(|p| p.statements.get_mut(r.statement))
        {
            st.outcome = StatementOutcome::Ignored(reason);
        }
    }
}

/// Decides `req` against `set`, with the dependent KMS checks and the S3 HTTP answer.
pub fn evaluate(set: &PolicySet, req: &Request) -> Decision {
    let trace = decide(set, req);
    let mut dependent = Vec::new();
    if sets_an_acl(req) {
        // Setting an ACL other than bucket-owner-full-control while uploading also needs
        // `s3:PutObjectAcl` on the object (docs/semantics.md §19).
        let sub = Request::new(
            req.principal.clone(),
            "s3:PutObjectAcl",
            &req.resource,
            req.context.clone(),
        );
        let t = decide(set, &sub);
        dependent.push(DependentDecision {
            action: sub.action.to_string(),
            resource: sub.resource.to_string(),
            outcome: t.outcome,
            trace: t,
            request: sub,
        });
    }
    if let Some(s3) = &set.s3 {
        for (action, key) in kms_dependencies(req, s3) {
            let sub = kms_request(req, action, &key);
            let sub_set = PolicySet {
                identity: set.identity.clone(),
                resource: s3.kms_key_policy.clone(),
                resource_account: sub.resource_arn_account().map(str::to_string),
                scp: set.scp.clone(),
                scp_names: set.scp_names.clone(),
                rcp: if sub.resource_arn_account() == resource_account(set, req) {
                    set.rcp.clone()
                } else {
                    Vec::new()
                },
                rcp_names: set.rcp_names.clone(),
                boundary: set.boundary.clone(),
                session: set.session.clone(),
                vpc_endpoints: Vec::new(),
                s3: None,
                identity_unknown: set.identity_unknown,
            };
            let t = decide(&sub_set, &sub);
            dependent.push(DependentDecision {
                action: action.to_string(),
                resource: key,
                outcome: t.outcome,
                trace: t,
                request: sub,
            });
        }
    }
    let outcome = dependent
        .iter()
        .map(|d| d.outcome)
        .fold(trace.outcome, Ord::max);
    let http = (req.service() == "s3").then(|| http_answer(set, req, &trace, outcome));
    Decision {
        outcome,
        trace,
        dependent,
        http,
    }
}

fn http_answer(set: &PolicySet, req: &Request, trace: &Trace, outcome: Outcome) -> HttpAnswer {
    if !outcome.is_allow() {
        let acl = matches!(trace.basis, Basis::Blocked(Blocker::AclNotSupported));
        return HttpAnswer {
            status: if acl { 400 } else { 403 },
            code: Some(if acl {
                "AccessControlListNotSupported"
            } else {
                "AccessDenied"
            }),
            list_bucket: None,
        };
    }
    let missing = set
        .s3
        .as_ref()
        .is_some_and(|s| s.object_exists == Some(false));
    let reads = matches!(
        req.operation(),
        "getobject" | "headobject" | "getobjectversion"
    );
    if missing && reads {
        let bucket = bucket_arn(&req.resource);
        let list = Request {
            action: Str::from_static("s3:ListBucket"),
            action_lower: Str::from_static("s3:listbucket"),
            resource: bucket.into(),
            ..req.clone()
        };
        let listed = decide(set, &list).outcome;
        return HttpAnswer {
            status: if listed.is_allow() { 404 } else { 403 },
            code: Some(if listed.is_allow() {
                "NoSuchKey"
            } else {
                "AccessDenied"
            }),
            list_bucket: Some(listed),
        };
    }
    HttpAnswer {
        status: 200,
        code: None,
        list_bucket: None,
    }
}

fn bucket_arn(resource: &str) -> String {
    match resource.strip_prefix("arn:aws:s3:::") {
        Some(rest) => format!("arn:aws:s3:::{}", rest.split('/').next().unwrap_or(rest)),
        None => resource.to_string(),
    }
}

/// Whether an upload sets an ACL that needs `s3:PutObjectAcl`: a canned ACL other than
/// `bucket-owner-full-control`, or an explicit grant header.
fn sets_an_acl(req: &Request) -> bool {
    if req.service() != "s3" || req.operation() != "putobject" {
        return false;
    }
    let canned = req
        .context
        .values("s3:x-amz-acl")
        .and_then(|v| v.first())
        .is_some_and(|v| !v.is_empty() && v != "bucket-owner-full-control");
    let grants =
        req.context.given().iter().any(|e| {
            e.key.starts_with("s3:x-amz-grant-") && e.values.iter().any(|v| !v.is_empty())
        });
    canned || grants
}

/// The KMS requests S3 makes for an SSE-KMS object (docs/aws-rules.md §8.6).
fn kms_dependencies(req: &Request, s3: &S3Facts) -> Vec<(&'static str, String)> {
    if req.service() != "s3" {
        return Vec::new();
    }
    let op = req.operation();
    let header_key = req
        .context
        .values("s3:x-amz-server-side-encryption-aws-kms-key-id")
        .and_then(|v| v.first())
        .filter(|v| !v.is_empty())
        .cloned();
    let sse_kms = req
        .context
        .values("s3:x-amz-server-side-encryption")
        .and_then(|v| v.first())
        .is_some_and(|v| v.starts_with("aws:kms"));
    match op {
        "getobject" | "getobjectversion" | "headobject" => s3
            .kms_key
            .clone()
            .map(|k| vec![("kms:Decrypt", k)])
            .unwrap_or_default(),
        "putobject" => {
            let key = header_key.or_else(|| s3.kms_key.clone());
            match key {
                Some(k) if sse_kms || s3.kms_key.is_some() => vec![("kms:GenerateDataKey", k)],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn kms_request(req: &Request, action: &str, key: &str) -> Request {
    let mut context = req.context.clone();
    let region = crate::arn::split_arn(key)
        .map(|p| p.region.to_string())
        .unwrap_or_default();
    if context.values("kms:ViaService").is_none() {
        context.insert("kms:ViaService", vec![format!("s3.{region}.amazonaws.com")]);
    }
    if let Some(a) = req.principal.account() {
        if context.values("kms:CallerAccount").is_none() {
            context.insert("kms:CallerAccount", vec![a.to_string()]);
        }
    }
    Request::new(req.principal.clone(), action, key, context)
}

fn resource_account<'a>(set: &'a PolicySet, req: &'a Request) -> Option<&'a str> {
    let fields = crate::arn::split_arn(&req.resource).map(|p| p.fields());
    resource_account_of(set, req, fields)
}

/// [`resource_account`] with the fields of the request's resource ARN, split already.
fn resource_account_of<'a>(
    set: &'a PolicySet,
    req: &'a Request,
    fields: Option<[&'a str; 5]>,
) -> Option<&'a str> {
    set.resource_account
        .as_deref()
        .or_else(|| set.s3.as_ref().and_then(|s| s.bucket_owner.as_deref()))
        .or_else(|| fields.map(|f| f[3]).filter(|a| !a.is_empty()))
        .or_else(|| req.principal.account())
}

/// Whether the resource ARN, split into `fields`, names a KMS key.
fn is_kms_key(fields: Option<[&str; 5]>) -> bool {
    fields.is_some_and(|f| f[1] == "kms" && f[4].starts_with("key/"))
}

fn is_s3_object(req: &Request) -> bool {
    req.resource
        .strip_prefix("arn:aws:s3:::")
        .is_some_and(|r| r.contains('/'))
}

/// Decides one request (no dependent checks).
pub fn decide(set: &PolicySet, req: &Request) -> Trace {
    let mut run = Run {
        env: Env::new(req, set.boundary.is_some()),
        trace: Vec::new(),
        scp_names: &set.scp_names,
        rcp_names: &set.rcp_names,
    };
    let mut notes = Vec::new();
    if req.action_lower == "sts:getcalleridentity" {
        return Trace {
            outcome: Outcome::Allow,
            basis: Basis::AlwaysAllowed,
            policies: Vec::new(),
            notes,
        };
    }
    let caller = &req.principal;
    let anonymous = matches!(caller, PrincipalId::Anonymous);
    let service = matches!(caller, PrincipalId::Service(_));
    let caller_side_na = if anonymous {
        Some(NotApplicable::AnonymousCaller)
    } else if service {
        Some(NotApplicable::ServiceCaller)
    } else {
        None
    };

    let policy_count = set.rcp.iter().map(Vec::len).sum::<usize>()
        + set.scp.iter().map(Vec::len).sum::<usize>()
        + set.vpc_endpoints.len()
        + set.identity.len()
        + 3;
    run.trace.reserve_exact(policy_count);
    let mut any_deny = false;

    // Every policy is evaluated first so that every Deny is found (step 1). Each RCP and
    // SCP level records whether one of its policies allows.
    // `kms:RetireGrant` cannot be restricted by an RCP, even by `"Action": "*"` (§3.1).
    let rcp_na =
        (req.action_lower == "kms:retiregrant").then_some(NotApplicable::NotRestrictedByRcp);
    for (level, ps) in set.rcp.iter().enumerate() {
        // AWS attaches `RCPFullAWSAccess` to every level and it cannot be detached, so a
        // level always allows; only its Denies decide (docs/aws-rules.md §3.1 step 2).
        for p in ps {
            let s = run.eval(p, Layer::Rcp { level }, rcp_na);
            any_deny |= s.any_deny;
        }
    }
    let mut scp_blocked: Option<usize> = None;
    for (level, ps) in set.scp.iter().enumerate() {
        let mut allowed = false;
        for p in ps {
            let s = run.eval(p, Layer::Scp { level }, caller_side_na);
            any_deny |= s.any_deny;
            allowed |= s.allows();
        }
        if !allowed && scp_blocked.is_none() && caller_side_na.is_none() {
            scp_blocked = Some(level);
        }
    }
    let source_vpce = req
        .context
        .values("aws:SourceVpce")
        .and_then(|v| v.first())
        .filter(|v| !v.is_empty());
    let mut vpce_blocked = false;
    for e in &set.vpc_endpoints {
        let through = match (source_vpce, &e.id) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(id)) => s == id,
        };
        let na = (!through).then_some(NotApplicable::NotThroughEndpoint);
        let s = run.eval(&e.policy, Layer::VpcEndpoint, na);
        any_deny |= s.any_deny;
        vpce_blocked |= through && !s.allows();
    }
    let resource = set
        .resource
        .as_ref()
        .map(|p| run.eval(p, Layer::Resource, None));
    let mut identity_allow: Option<StmtRef> = None;
    for p in &set.identity {
        let s = run.eval(p, Layer::Identity, caller_side_na);
        any_deny |= s.any_deny;
        identity_allow = identity_allow.or(s.first_allow);
    }
    let boundary_na = caller_side_na.or(match caller {
        PrincipalId::Root { .. } => Some(NotApplicable::RootUser),
        _ => None,
    });
    let boundary = set
        .boundary
        .as_ref()
        .map(|p| run.eval(p, Layer::Boundary, boundary_na));
    let session_na =
        caller_side_na.or((!caller.is_session()).then_some(NotApplicable::NotASession));
    let session = set
        .session
        .as_ref()
        .map(|p| run.eval(p, Layer::Session, session_na));
    for s in resource.iter().chain(boundary.iter()).chain(session.iter()) {
        any_deny |= s.any_deny;
    }
    let finish = |run: Run<'_>, outcome: Outcome, basis: Basis, notes: Vec<Note>| Trace {
        outcome,
        basis,
        policies: run.trace,
        notes,
    };
    if any_deny {
        let denies = run.denies();
        return finish(run, Outcome::ExplicitDeny, Basis::Denied(denies), notes);
    }
    let blocked = |run: Run<'_>, b: Blocker, notes: Vec<Note>| {
        finish(run, Outcome::ImplicitDeny, Basis::Blocked(b), notes)
    };

    // Steps 2-4: every SCP level (RCP levels always allow, see above), then the endpoint
    // policy, must allow.
    if let Some(level) = scp_blocked {
        return blocked(run, Blocker::Scp { level }, notes);
    }
    if vpce_blocked {
        return blocked(run, Blocker::VpcEndpoint, notes);
    }

    let arn_fields = run.env.resource_fields;
    let owner = resource_account_of(set, req, arn_fields);
    let object = is_s3_object(req);

    // S3 request gates.
    if let Some(s3) = &set.s3 {
        if s3.requester_pays {
            if anonymous {
                return blocked(run, Blocker::RequesterPaysAnonymous, notes);
            }
            let bucket_owner = s3.bucket_owner.as_deref().or(owner);
            if caller.account() != bucket_owner && !s3.request_payer_header {
                return blocked(run, Blocker::RequesterPaysHeader, notes);
            }
        }
        let acl_header = req
            .context
            .values("s3:x-amz-acl")
            .and_then(|v| v.first())
            .filter(|v| !v.is_empty());
        let writes_acl = matches!(
            req.operation(),
            "putobject" | "putobjectacl" | "putbucketacl" | "createbucket"
        );
        if let Some(acl) = acl_header.filter(|_| writes_acl) {
            if !s3.acls_enabled() && acl != "bucket-owner-full-control" {
                return blocked(run, Blocker::AclNotSupported, notes);
            }
            let public = matches!(
                acl.as_str(),
                "public-read" | "public-read-write" | "authenticated-read"
            );
            if public && s3.block_public_access.block_public_acls {
                return blocked(run, Blocker::BlockPublicAcls, notes);
            }
        }
    }

    // Which account owns what the request touches: for an S3 object written by another
    // account (ACLs enabled), the object owner (§8.1).
    let object_owner = set.s3.as_ref().and_then(|s3| {
        let differs = object
            && s3.acls_enabled()
            && s3.object_owner.is_some()
            && s3.object_owner.as_deref() != s3.bucket_owner.as_deref().or(owner);
        if differs {
            s3.object_owner.as_deref()
        } else {
            None
        }
    });
    let effective_owner = object_owner.or(owner);
    let same_account = caller.account().is_some() && caller.account() == effective_owner;

    // Resource-side grants, after the S3 rules that set some of them aside.
    // The strongest grant; the last of equally strong ones.
    let mut best_policy_grant: Option<(StmtRef, GrantKind)> = None;
    if let Some(r) = &resource {
        let restrict = set
            .s3
            .as_ref()
            .is_some_and(|s3| s3.block_public_access.restrict_public_buckets)
            && set.resource.as_ref().is_some_and(|p| p.public);
        if restrict {
            notes.push(Note::PublicBucketPolicy);
        }
        let insider = service || (caller.account().is_some() && caller.account() == owner);
        let n = run.trace.get(r.index).map_or(0, |p| p.statements.len());
        for k in 0..n {
            let Some((sref, grant)) = run.allow_at(r.index, k) else {
                continue;
            };
            if object_owner.is_some() {
                run.ignore(sref, IgnoreReason::ObjectOwnedByOtherAccount);
            } else if restrict && !insider {
                run.ignore(sref, IgnoreReason::RestrictPublicBuckets);
            } else if let Some(g) = grant {
                if best_policy_grant.is_none_or(|(_, best)| g >= best) {
                    best_policy_grant = Some((sref, g));
                }
            }
        }
    }
    let mut acl_grant: Option<GrantKind> = None;
    if let Some(s3) = set.s3.as_ref().filter(|_| object) {
        if !s3.acls_enabled() && !s3.object_acl.is_empty() {
            notes.push(Note::AclsDisabled);
        } else {
            for g in &s3.object_acl {
                if !g.permission.covers_object_operation(req.operation()) {
                    continue;
                }
                if g.grantee.is_public() && s3.block_public_access.ignore_public_acls {
                    notes.push(Note::PublicAclIgnored);
                    continue;
                }
                let kind = match &g.grantee {
                    Grantee::AllUsers => Some(GrantKind::Everyone),
                    Grantee::AuthenticatedUsers if !anonymous => Some(GrantKind::Everyone),
                    Grantee::Account(a) if caller.account() == Some(a.as_str()) => {
                        Some(GrantKind::Account)
                    }
                    _ => None,
                };
                if let Some(k) = kind {
                    if acl_grant.is_none_or(|old| k > old) {
                        acl_grant = Some(k);
                        notes.retain(|n| !matches!(n, Note::AclGrant { .. }));
                        notes.push(Note::AclGrant {
                            permission: g.permission.as_str().into(),
                        });
                    }
                }
            }
        }
    }
    let best_grant = match (best_policy_grant.map(|(_, g)| g), acl_grant) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let grant_refs = |min: GrantKind| -> Refs {
        best_policy_grant
            .filter(|(_, g)| *g >= min)
            .map(|(r, _)| r)
            .into_iter()
            .collect()
    };
    let acl_used = acl_grant.is_some() && best_policy_grant.map(|(_, g)| g) < acl_grant;

    // Anonymous callers and services: only the resource side can grant (§3.4).
    if anonymous || service {
        return match best_grant {
            Some(g) if g >= GrantKind::Everyone => {
                let by = grant_refs(GrantKind::Everyone);
                finish(
                    run,
                    Outcome::Allow,
                    Basis::Allowed { by, acl: acl_used },
                    notes,
                )
            }
            _ if anonymous => blocked(run, Blocker::AnonymousNotGranted, notes),
            _ => blocked(run, Blocker::NoAllow, notes),
        };
    }

    // The identity side: identity ∧ boundary ∧ session (§3.1 steps 6-8).
    let root = matches!(caller, PrincipalId::Root { .. });
    let identity_ok = root || identity_allow.is_some();
    let boundary_ok = boundary.as_ref().is_none_or(Summary::allows) || root;
    let session_ok = match (&session, caller) {
        (_, c) if !c.is_session() => true,
        (Some(s), _) => s.allows(),
        (None, PrincipalId::FederatedUser { .. }) => false,
        (None, _) => true,
    };
    let caps_blocker = || -> Option<Blocker> {
        if !boundary_ok {
            Some(Blocker::Boundary)
        } else if !session_ok {
            Some(if session.is_none() {
                Blocker::FederatedWithoutSessionPolicy
            } else {
                Blocker::SessionPolicy
            })
        } else {
            None
        }
    };
    let identity_side = identity_ok && boundary_ok && session_ok;
    if root && identity_allow.is_none() {
        notes.push(Note::RootUser);
    }
    // Built only by the branches that allow on the identity side.
    let identity_refs = || -> Refs {
        identity_allow
            .into_iter()
            .chain(
                boundary
                    .iter()
                    .chain(session.iter())
                    .filter_map(|s| s.first_allow),
            )
            .collect()
    };

    let kind = set.resource.as_ref().map(|p| p.kind());
    let mandatory =
        matches!(kind, Some(PolicyKind::KeyPolicy | PolicyKind::Trust)) || is_kms_key(arn_fields);
    if !same_account {
        notes.push(Note::CrossAccount {
            caller: caller.account().unwrap_or_default().to_string(),
            owner: effective_owner.unwrap_or_default().to_string(),
        });
    }

    if mandatory {
        if set.resource.is_none() {
            return blocked(run, Blocker::KeyPolicyUnknown, notes);
        }
        if is_kms_key(arn_fields) && !same_account && !kms_cross_account_operation(req.operation())
        {
            return blocked(run, Blocker::KmsCrossAccountOperation, notes);
        }
        let Some(g) = best_grant else {
            return blocked(run, Blocker::KeyPolicy, notes);
        };
        let direct = same_account && g >= GrantKind::Everyone;
        let via_role = same_account && g == GrantKind::Role && boundary_ok && session_ok;
        if direct || via_role {
            let by = grant_refs(g);
            return finish(
                run,
                Outcome::Allow,
                Basis::Allowed { by, acl: false },
                notes,
            );
        }
        if identity_side {
            let mut by = grant_refs(GrantKind::Account);
            by.extend(identity_refs());
            return finish(
                run,
                Outcome::Allow,
                Basis::Allowed { by, acl: false },
                notes,
            );
        }
        let b = if !identity_ok {
            if same_account {
                Blocker::DelegationWithoutIdentityAllow
            } else {
                Blocker::IdentityRequired
            }
        } else {
            caps_blocker().unwrap_or(Blocker::NoAllow)
        };
        return blocked(run, b, notes);
    }

    if same_account {
        if let Some(g) = best_grant {
            let direct = g >= GrantKind::Everyone;
            let via_role = g == GrantKind::Role && boundary_ok && session_ok;
            if direct || via_role {
                let by = grant_refs(g);
                return finish(
                    run,
                    Outcome::Allow,
                    Basis::Allowed { by, acl: acl_used },
                    notes,
                );
            }
        }
        if identity_side {
            return finish(
                run,
                Outcome::Allow,
                Basis::Allowed {
                    by: identity_refs(),
                    acl: false,
                },
                notes,
            );
        }
        let b = if identity_ok {
            caps_blocker().unwrap_or(Blocker::NoAllow)
        } else {
            Blocker::NoAllow
        };
        return blocked(run, b, notes);
    }

    // Cross account: both sides (§3.3).
    match (identity_side, best_grant) {
        (true, Some(_)) => {
            let mut by = grant_refs(GrantKind::Account);
            by.extend(identity_refs());
            finish(
                run,
                Outcome::Allow,
                Basis::Allowed { by, acl: acl_used },
                notes,
            )
        }
        (true, None) => match object_owner {
            Some(o) => blocked(
                run,
                Blocker::ObjectOwner {
                    owner: o.to_string(),
                },
                notes,
            ),
            None => blocked(run, Blocker::ResourcePolicyRequired, notes),
        },
        (false, Some(_)) => {
            let b = if identity_ok {
                caps_blocker().unwrap_or(Blocker::IdentityRequired)
            } else {
                Blocker::IdentityRequired
            };
            blocked(run, b, notes)
        }
        (false, None) => {
            let b = if identity_ok {
                caps_blocker().unwrap_or(Blocker::NoAllow)
            } else {
                Blocker::NoAllow
            };
            blocked(run, b, notes)
        }
    }
}

/// Convenience for tests and tools: compiles a policy text under a label and kind.
pub fn compile_text(label: &str, kind: PolicyKind, text: &str) -> Arc<CompiledPolicy> {
    Arc::new(CompiledPolicy::from_policy(
        crate::compile::PolicyRef::new(label, kind),
        latch_syntax::policy::policy_only(text),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Context;

    fn req(principal: &str, action: &str, resource: &str) -> Request {
        Request::new(
            PrincipalId::parse(principal),
            action,
            resource,
            Context::new(),
        )
    }

    #[test]
    fn get_caller_identity_is_always_allowed() {
        let deny = compile_text(
            "d",
            PolicyKind::Identity,
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#,
        );
        let set = PolicySet {
            identity: vec![deny],
            ..PolicySet::default()
        };
        let d = evaluate(
            &set,
            &req(
                "arn:aws:iam::111122223333:user/a",
                "sts:GetCallerIdentity",
                "*",
            ),
        );
        assert_eq!(d.outcome, Outcome::Allow);
    }

    #[test]
    fn scp_levels_must_each_allow() {
        let allow_all = compile_text(
            "full",
            PolicyKind::Scp,
            r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        );
        let ec2_only = compile_text(
            "ec2",
            PolicyKind::Scp,
            r#"{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#,
        );
        let id = compile_text(
            "id",
            PolicyKind::Identity,
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        );
        let set = PolicySet {
            identity: vec![id],
            scp: vec![vec![allow_all], vec![ec2_only]],
            ..PolicySet::default()
        };
        let r = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        let d = evaluate(&set, &r);
        assert_eq!(d.outcome, Outcome::ImplicitDeny);
        assert_eq!(d.trace.basis, Basis::Blocked(Blocker::Scp { level: 1 }));
        // SCPs do not apply to anonymous callers.
        let d = evaluate(&set, &req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(d.trace.basis, Basis::Blocked(Blocker::AnonymousNotGranted));
    }

    #[test]
    fn trust_policy_naming_only_the_account_needs_identity_allow() {
        let trust = compile_text(
            "trust",
            PolicyKind::Trust,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#,
        );
        let mut set = PolicySet {
            resource: Some(trust),
            ..PolicySet::default()
        };
        let r = req(
            "arn:aws:iam::111122223333:user/a",
            "sts:AssumeRole",
            "arn:aws:iam::111122223333:role/r",
        );
        assert_eq!(evaluate(&set, &r).outcome, Outcome::ImplicitDeny);
        set.identity.push(compile_text(
            "id",
            PolicyKind::Identity,
            r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}}"#,
        ));
        assert_eq!(evaluate(&set, &r).outcome, Outcome::Allow);
    }

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(k, vec![v.to_string()]);
        }
        c
    }

    fn policy(kind: PolicyKind, text: &str) -> Arc<CompiledPolicy> {
        compile_text("p", kind, text)
    }

    const READ_ANY: &str = r#"{"Statement":{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject","kms:*"],"Resource":"*"}}"#;

    #[test]
    fn requester_pays_needs_the_header_from_other_accounts() {
        let bucket = policy(
            PolicyKind::Resource,
            r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::rp/*"}}"#,
        );
        let mut set = PolicySet {
            identity: vec![policy(PolicyKind::Identity, READ_ANY)],
            resource: Some(bucket),
            s3: Some(S3Facts {
                bucket_owner: Some("111122223333".into()),
                requester_pays: true,
                ..S3Facts::default()
            }),
            ..PolicySet::default()
        };
        let r = req(
            "arn:aws:iam::444455556666:user/bob",
            "s3:GetObject",
            "arn:aws:s3:::rp/k",
        );
        let d = evaluate(&set, &r);
        assert_eq!(d.trace.basis, Basis::Blocked(Blocker::RequesterPaysHeader));
        assert_eq!(d.http.as_ref().map(|h| h.status), Some(403));
        if let Some(s3) = set.s3.as_mut() {
            s3.request_payer_header = true;
        }
        assert_eq!(evaluate(&set, &r).outcome, Outcome::Allow);
        // The bucket owner's own users need no header.
        let owner = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:GetObject",
            "arn:aws:s3:::rp/k",
        );
        if let Some(s3) = set.s3.as_mut() {
            s3.request_payer_header = false;
        }
        assert_eq!(evaluate(&set, &owner).outcome, Outcome::Allow);
    }

    #[test]
    fn block_public_acls_rejects_public_canned_acls() {
        let set = PolicySet {
            identity: vec![policy(PolicyKind::Identity, READ_ANY)],
            s3: Some(S3Facts {
                bucket_owner: Some("111122223333".into()),
                object_ownership: Some(crate::s3::ObjectOwnership::ObjectWriter),
                block_public_access: crate::s3::BlockPublicAccess::all(),
                ..S3Facts::default()
            }),
            ..PolicySet::default()
        };
        let mut r = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:PutObject",
            "arn:aws:s3:::b/k",
        );
        r.context = ctx(&[("s3:x-amz-acl", "public-read")]);
        assert_eq!(
            evaluate(&set, &r).trace.basis,
            Basis::Blocked(Blocker::BlockPublicAcls)
        );
        r.context = ctx(&[("s3:x-amz-acl", "bucket-owner-full-control")]);
        assert_eq!(evaluate(&set, &r).outcome, Outcome::Allow);
    }

    #[test]
    fn authenticated_users_acl_grants_signed_callers_only() {
        let s3 = S3Facts {
            bucket_owner: Some("111122223333".into()),
            object_ownership: Some(crate::s3::ObjectOwnership::ObjectWriter),
            object_acl: vec![crate::s3::AclGrant {
                grantee: crate::s3::Grantee::AuthenticatedUsers,
                permission: crate::s3::AclPermission::Read,
            }],
            ..S3Facts::default()
        };
        let set = PolicySet {
            resource_account: Some("111122223333".into()),
            s3: Some(s3),
            ..PolicySet::default()
        };
        let anon = req("anonymous", "s3:GetObject", "arn:aws:s3:::b/k");
        assert_eq!(evaluate(&set, &anon).outcome, Outcome::ImplicitDeny);
        // Another account's user still needs its own identity Allow.
        let mut with_identity = set.clone();
        with_identity.identity = vec![policy(PolicyKind::Identity, READ_ANY)];
        let bob = req(
            "arn:aws:iam::444455556666:user/bob",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        assert_eq!(evaluate(&set, &bob).outcome, Outcome::ImplicitDeny);
        let d = evaluate(&with_identity, &bob);
        assert_eq!(d.outcome, Outcome::Allow);
        assert!(matches!(d.trace.basis, Basis::Allowed { acl: true, .. }));
    }

    #[test]
    fn endpoint_policies_apply_to_their_own_endpoint() {
        let deny_all = policy(
            PolicyKind::VpcEndpoint,
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"ec2:*","Resource":"*"}}"#,
        );
        let set = PolicySet {
            identity: vec![policy(PolicyKind::Identity, READ_ANY)],
            vpc_endpoints: vec![VpcEndpoint {
                id: Some("vpce-1".into()),
                policy: deny_all,
            }],
            ..PolicySet::default()
        };
        let mut r = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        r.context = ctx(&[("aws:SourceVpce", "vpce-2")]);
        assert_eq!(evaluate(&set, &r).outcome, Outcome::Allow);
        r.context = ctx(&[("aws:SourceVpce", "vpce-1")]);
        assert_eq!(
            evaluate(&set, &r).trace.basis,
            Basis::Blocked(Blocker::VpcEndpoint)
        );
    }

    #[test]
    fn kms_rules() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/k";
        let delegate = policy(
            PolicyKind::KeyPolicy,
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*","Resource":"*"}]}"#,
        );
        let mut set = PolicySet {
            identity: vec![policy(PolicyKind::Identity, READ_ANY)],
            ..PolicySet::default()
        };
        let same = req("arn:aws:iam::111122223333:user/a", "kms:Decrypt", key);
        // A key whose policy is unknown is never usable.
        assert_eq!(
            evaluate(&set, &same).trace.basis,
            Basis::Blocked(Blocker::KeyPolicyUnknown)
        );
        set.resource = Some(delegate);
        assert_eq!(evaluate(&set, &same).outcome, Outcome::Allow);
        let other = req(
            "arn:aws:iam::444455556666:user/b",
            "kms:ScheduleKeyDeletion",
            key,
        );
        assert_eq!(
            evaluate(&set, &other).trace.basis,
            Basis::Blocked(Blocker::KmsCrossAccountOperation)
        );
        let other = req(
            "arn:aws:iam::444455556666:user/b",
            "kms:GenerateDataKeyWithoutPlaintext",
            key,
        );
        assert_eq!(evaluate(&set, &other).outcome, Outcome::Allow);
        set.identity.clear();
        assert_eq!(
            evaluate(&set, &same).trace.basis,
            Basis::Blocked(Blocker::DelegationWithoutIdentityAllow)
        );
    }

    #[test]
    fn missing_object_answers_404_only_with_list_bucket() {
        let mut set = PolicySet {
            identity: vec![policy(PolicyKind::Identity, READ_ANY)],
            s3: Some(S3Facts {
                object_exists: Some(false),
                ..S3Facts::default()
            }),
            ..PolicySet::default()
        };
        let r = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:GetObject",
            "arn:aws:s3:::b/missing",
        );
        let d = evaluate(&set, &r);
        assert_eq!(
            d.http.as_ref().map(|h| (h.status, h.code)),
            Some((403, Some("AccessDenied")))
        );
        set.identity.push(policy(
            PolicyKind::Identity,
            r#"{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}}"#,
        ));
        let d = evaluate(&set, &r);
        assert_eq!(
            d.http.as_ref().map(|h| (h.status, h.code)),
            Some((404, Some("NoSuchKey")))
        );
    }

    /// Of equally strong grants of a resource policy, the decision cites the last one.
    #[test]
    fn equal_resource_grants_cite_the_last() {
        let bucket = policy(
            PolicyKind::Resource,
            r#"{"Statement":[
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/a"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/a"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}
            ]}"#,
        );
        let set = PolicySet {
            resource: Some(bucket),
            ..PolicySet::default()
        };
        let r = req(
            "arn:aws:iam::111122223333:user/a",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
        );
        let d = evaluate(&set, &r);
        assert_eq!(d.outcome, Outcome::Allow);
        let Basis::Allowed { by, acl: false } = &d.trace.basis else {
            panic!("{:?}", d.trace.basis);
        };
        let statements: Vec<usize> = by.iter().map(|r| r.statement).collect();
        assert_eq!(statements, [1]);
    }
}
