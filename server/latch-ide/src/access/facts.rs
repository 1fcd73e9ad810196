//! The facts of a request: what the workspace states and what it cannot know.
//!
//! An inferred intent stands for the request a real client would make, not for the
//! smallest possible one: it is sent over TLS (`aws:SecureTransport` is `true`; every SDK,
//! CLI and console request is), to the region the bucket's Terraform provider states
//! (`aws:RequestedRegion`), carries the keys AWS derives from the caller, carries no
//! optional request header (ACL, SSE, Requester Pays) unless the implying Allow's own
//! conditions require it, and every other key (the caller's organization, source IP or
//! VPC endpoint, MFA, tags) is unknown, never taken as absent. A declared intent
//! (`[[expect]]`) is the request its `context` describes; only facts of the world that a
//! request cannot state (the organization, tags) are unknown there.
//!
//! `[organization]` in `latch.toml` settles `aws:PrincipalOrgID` and `aws:ResourceOrgID`
//! for the accounts it lists.

use latch_eval::{Context, PrincipalId, Request, Unknowns};

use crate::index::Index;
use crate::intents::{Intent, IntentSource};

/// Request keys that only exist when the client chooses to send a header or parameter
/// (lower-cased; a key ending in `/` stands for every key it starts). An inferred intent
/// does not send them unless its own Allow requires them.
const OPTIONAL_HEADERS: &[&str] = &[
    "s3:x-amz-acl",
    "s3:x-amz-grant-full-control",
    "s3:x-amz-grant-read",
    "s3:x-amz-grant-read-acp",
    "s3:x-amz-grant-write",
    "s3:x-amz-grant-write-acp",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-server-side-encryption-customer-algorithm",
    "s3:x-amz-copy-source",
    "s3:x-amz-metadata-directive",
    "s3:x-amz-storage-class",
    "s3:x-amz-website-redirect-location",
    "s3:x-amz-request-payer",
    "s3:requestpayer",
    "x-amz-request-payer",
    "s3:object-lock-mode",
    "s3:object-lock-retain-until-date",
    "s3:object-lock-legal-hold",
    "s3:object-lock-remaining-retention-days",
    "s3:requestobjecttag/",
    "s3:requestobjecttagkeys",
    "s3:prefix",
    "s3:delimiter",
    "s3:max-keys",
    "s3:versionid",
    "aws:requesttag/",
    "aws:tagkeys",
];

/// Facts of the world that no request states: unknown unless the workspace says them.
const WORLD_FACTS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "aws:principaltag/",
    "aws:resourcetag/",
    "s3:existingobjecttag/",
];

/// The engine's request for an intent, with what the workspace cannot know left unknown.
pub(crate) fn request_of(ix: &Index, intent: &Intent) -> Request {
    let mut ctx = Context::new();
    for (k, v) in &intent.context {
        ctx.insert(k, v.clone());
    }
    let principal = PrincipalId::parse(&intent.principal);
    settle_organization(ix, &principal, &intent.resource, &mut ctx);
    match &intent.source {
        IntentSource::Statement { .. } => client_facts(ix, &intent.resource, &mut ctx),
        IntentSource::Expect(_) => ctx.unknown = world_facts(),
    }
    Request::new(principal, &intent.action, &intent.resource, ctx)
}

/// What a real client's request carries (TLS, the bucket's region), every other key
/// unknown except the optional headers it does not send.
fn client_facts(ix: &Index, resource: &str, ctx: &mut Context) {
    if ctx.values("aws:SecureTransport").is_none() {
        ctx.insert("aws:SecureTransport", vec!["true".to_string()]);
    }
    // A request to a bucket goes to the region its provider states.
    if let Some(region) = ix.bucket_of(resource).and_then(|b| b.region.clone()) {
        if ctx.values("aws:RequestedRegion").is_none() {
            ctx.insert("aws:RequestedRegion", vec![region]);
        }
    }
    ctx.unknown = Unknowns::AllExcept(OPTIONAL_HEADERS);
}

/// The request a client `principal` would make for `action` on `resource`, nothing
/// assumed about it beyond what [`request_of`] assumes of an inferred intent: the
/// request of who-can and can-what.
pub(crate) fn open_request(ix: &Index, principal: &str, action: &str, resource: &str) -> Request {
    let mut ctx = Context::new();
    let principal = PrincipalId::parse(principal);
    settle_organization(ix, &principal, resource, &mut ctx);
    client_facts(ix, resource, &mut ctx);
    Request::new(principal, action, resource, ctx)
}

/// The unknowns of a request whose context the user stated (`[[expect]]`, `latch why`):
/// the facts of the world no request carries.
pub fn world_facts() -> Unknowns {
    Unknowns::Keys(WORLD_FACTS)
}

/// Sets `aws:PrincipalOrgID` and `aws:ResourceOrgID` from `[organization]` for members.
pub fn settle_organization(ix: &Index, principal: &PrincipalId, resource: &str, ctx: &mut Context) {
    let Some(org) = &ix.organization else { return };
    let member = |acct: Option<&str>| acct.is_some_and(|a| org.accounts.iter().any(|x| x == a));
    if member(principal.account()) && ctx.values("aws:PrincipalOrgID").is_none() {
        ctx.insert("aws:PrincipalOrgID", vec![org.id.clone()]);
    }
    let resource_account = ix
        .bucket_of(resource)
        .and_then(|b| b.account.clone())
        .or_else(|| resource.split(':').nth(4).map(str::to_string));
    if member(resource_account.as_deref()) && ctx.values("aws:ResourceOrgID").is_none() {
        ctx.insert("aws:ResourceOrgID", vec![org.id.clone()]);
    }
}

/// The `latch.toml` key or step that would settle an unknown context key.
pub(crate) fn settled_by(key: &str) -> &'static str {
    let k = key.to_ascii_lowercase();
    if k.starts_with("aws:principalorg") || k.starts_with("aws:resourceorg") {
        "`[organization]` in `latch.toml` settles it"
    } else {
        "an `[[expect]]` in `latch.toml` whose `context` states it settles it"
    }
}

/// A note when the caller's and the resource's accounts differ and at least one of them
/// is a stand-in for a provider whose account the workspace does not state: whether the
/// request is cross-account is then not known.
pub(crate) fn accounts_uncertain(req: &Request, resource_account: Option<&str>) -> Option<String> {
    use latch_syntax::terraform::providers::is_stand_in_account;
    let caller = req.principal.account()?;
    let resource = resource_account.or_else(|| req.resource_arn_account())?;
    if caller == resource || !(is_stand_in_account(caller) || is_stand_in_account(resource)) {
        return None;
    }
    Some(
        "this assumes the caller and the resource are in different accounts, which the workspace does not state (`[providers]` in `latch.toml` settles it)".to_string(),
    )
}

/// Every stand-in account of the workspace's Terraform modules, with its provider
/// configuration.
pub(crate) fn stand_ins(
    modules: &[std::sync::Arc<crate::workspace::ModuleAnalysis>],
) -> Vec<(String, String)> {
    use latch_syntax::terraform::providers::is_stand_in_account;
    let mut out: Vec<(String, String)> = Vec::new();
    for m in modules {
        for r in &m.module.resources {
            if let Some(a) = &r.account {
                if is_stand_in_account(a) && !out.iter().any(|(x, _)| x == a) {
                    out.push((a.clone(), r.provider.clone()));
                }
            }
        }
    }
    out
}

/// Replaces each stand-in account in `text` with words that say it is one.
pub(crate) fn mark_stand_ins(text: &mut String, stand_ins: &[(String, String)]) {
    for (account, provider) in stand_ins {
        if text.contains(account.as_str()) {
            *text = text.replace(
                account.as_str(),
                &format!("<the account of provider {provider}>"),
            );
        }
    }
}
