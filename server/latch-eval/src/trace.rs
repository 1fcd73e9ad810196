//! The trace: what the engine looked at and why it decided. Every renderer (hover,
//! `latch why`, workspace checks, conformance failures) reads this; none re-derives it.
//!
//! A trace holds the compiled policies it evaluated (shared, not copied), so statement
//! Sids, spans and condition clauses are reachable from a statement's index.

use std::sync::Arc;

use latch_syntax::policy::Statement;
use latch_syntax::smallvec::SmallVec;

use crate::compile::CompiledPolicy;
use crate::condition::ClauseWhy;

/// The answer to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Allow,
    ImplicitDeny,
    ExplicitDeny,
}

impl Outcome {
    /// `allow`, `implicit_deny` or `explicit_deny`, as in JSON output and conformance cases.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::ImplicitDeny => "implicit_deny",
            Outcome::ExplicitDeny => "explicit_deny",
        }
    }

    /// Reads `allow`, `explicit_deny`, `implicit_deny`, and the `Allow`/`ExplicitDeny`/
    /// `ImplicitDeny` spelling some suites use.
    pub fn parse(s: &str) -> Option<Outcome> {
        // The spellings of the conformance cases, at once.
        match s {
            "allow" => return Some(Outcome::Allow),
            "explicit_deny" => return Some(Outcome::ExplicitDeny),
            "implicit_deny" => return Some(Outcome::ImplicitDeny),
            _ => {}
        }
        // Lower-cased without `_`, on the stack: the longest name has 16 letters.
        let mut buf = [0u8; 16];
        let mut n = 0;
        for b in s.bytes().filter(|&b| b != b'_') {
            *buf.get_mut(n)? = b.to_ascii_lowercase();
            n += 1;
        }
        match buf.get(..n)? {
            b"allow" | b"allowed" => Some(Outcome::Allow),
            b"explicitdeny" | b"explicitlydenied" => Some(Outcome::ExplicitDeny),
            b"implicitdeny" | b"implicitlydenied" => Some(Outcome::ImplicitDeny),
            _ => None,
        }
    }

    pub fn is_allow(self) -> bool {
        self == Outcome::Allow
    }
}

/// Where a policy sits in the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    Identity,
    /// The resource-based policy (bucket, key, trust, ... policy).
    Resource,
    Scp {
        level: usize,
    },
    Rcp {
        level: usize,
    },
    Boundary,
    Session,
    VpcEndpoint,
}

impl Layer {
    pub fn name(self) -> String {
        match self {
            Layer::Identity => "identity policy".into(),
            Layer::Resource => "resource policy".into(),
            Layer::Scp { level } => format!("service control policy at level {}", level + 1),
            Layer::Rcp { level } => format!("resource control policy at level {}", level + 1),
            Layer::Boundary => "permissions boundary".into(),
            Layer::Session => "session policy".into(),
            Layer::VpcEndpoint => "VPC endpoint policy".into(),
        }
    }
}

/// How a resource-side statement names the caller; decides what its Allow is worth
/// (docs/aws-rules.md §3.2). Ordered from weakest to strongest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantKind {
    /// The caller's account (or its root ARN): delegates to the account's IAM policies.
    Account,
    /// The role whose session is calling: capped by boundary and session policy.
    Role,
    /// `"*"`, `{"AWS": "*"}` or an Allow with `NotPrincipal`.
    Everyone,
    /// The IAM user ARN of the caller.
    User,
    /// The exact role-session or federated-user ARN of the caller.
    Session,
    /// The calling AWS service.
    Service,
}

impl GrantKind {
    pub fn describe(self) -> &'static str {
        match self {
            GrantKind::Account => "the caller's account",
            GrantKind::Role => "the caller's role",
            GrantKind::Everyone => "every principal",
            GrantKind::User => "the caller's user ARN",
            GrantKind::Session => "the caller's session ARN",
            GrantKind::Service => "the calling service",
        }
    }
}

/// A request value as the trace reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestValue {
    Absent,
    /// The workspace does not know whether the request carries the key.
    Unknown,
    Values(Vec<String>),
}

/// The first element of a statement that did not match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    Action,
    MissingAction,
    Resource,
    MissingResource,
    Principal,
    MissingPrincipal,
    /// Clause `clause` (index into the statement's flattened condition clauses) was false.
    Condition {
        clause: usize,
        value: RequestValue,
        why: ClauseWhy,
    },
}

/// Why a matching statement was set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreReason {
    /// Bucket-policy Allows do not reach an object owned by another account (§8.1).
    ObjectOwnedByOtherAccount,
    /// RestrictPublicBuckets: the policy is public and the caller is outside the bucket
    /// owner's account (§8.3).
    RestrictPublicBuckets,
}

/// What happened to one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementOutcome {
    /// Applies. `grant` is set for statements with a Principal; `absent_keys` has bit `i`
    /// set when clause `i`'s key was absent from the request.
    Matched {
        grant: Option<GrantKind>,
        absent_keys: u64,
        /// Bit `i` set when clause `i`'s key is unknown and was taken to hold
        /// ([`crate::request::Lean`]).
        assumed_keys: u64,
    },
    /// No valid `Effect`: the statement never decides.
    NoEffect,
    Failed(Failure),
    Ignored(IgnoreReason),
}

impl StatementOutcome {
    pub fn is_match(&self) -> bool {
        matches!(self, StatementOutcome::Matched { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementTrace {
    pub index: usize,
    pub outcome: StatementOutcome,
}

/// Why a policy was not evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotApplicable {
    /// SCPs and identity-side policies do not apply to anonymous callers.
    AnonymousCaller,
    /// SCPs and identity-side policies do not apply to AWS service principals.
    ServiceCaller,
    /// Session policies apply to role and federated sessions only.
    NotASession,
    /// The request does not come through this VPC endpoint.
    NotThroughEndpoint,
    /// The account root user has no permissions boundary.
    RootUser,
    /// RCPs cannot restrict this action (`kms:RetireGrant`).
    NotRestrictedByRcp,
}

/// One policy the engine considered.
#[derive(Clone, Debug)]
pub struct PolicyTrace {
    pub policy: Arc<CompiledPolicy>,
    pub layer: Layer,
    /// The SCP or RCP level's name as the workspace states it (`root`, `ou-prod`).
    pub level_name: Option<Arc<str>>,
    pub not_applicable: Option<NotApplicable>,
    pub statements: Statements,
}

/// The statements of one policy in the trace, read as a slice. Most policies have one
/// or two statements: those are kept inline, without an allocation of their own.
pub type Statements = SmallVec<[StatementTrace; 2]>;

impl PolicyTrace {
    /// The layer in words, an SCP or RCP level by its name when the workspace gives one:
    /// "service control policy at level `root`".
    pub fn layer_name(&self) -> String {
        match (self.layer, &self.level_name) {
            (Layer::Scp { .. }, Some(n)) => format!("service control policy at level `{n}`"),
            (Layer::Rcp { .. }, Some(n)) => format!("resource control policy at level `{n}`"),
            (l, _) => l.name(),
        }
    }

    /// The source statement at `index`.
    pub fn statement(&self, index: usize) -> Option<&Statement> {
        self.policy.source.statements.get(index)
    }
}

/// A statement in the trace: index into [`Trace::policies`], then statement index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StmtRef {
    pub policy: usize,
    pub statement: usize,
}

/// Statements of the trace, read as a slice; up to three are kept inline, without an
/// allocation (a decision rests on one or two statements most often).
pub type Refs = SmallVec<[StmtRef; 3]>;

/// What stopped an allow that no explicit deny stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// No identity or resource statement allows the request.
    NoAllow,
    /// No statement of this SCP level allows (every level must).
    Scp { level: usize },
    /// No statement of this RCP level allows (every level must).
    Rcp { level: usize },
    /// The VPC endpoint policy does not allow.
    VpcEndpoint,
    /// The permissions boundary does not allow.
    Boundary,
    /// The session policy does not allow.
    SessionPolicy,
    /// A federated-user session without a session policy has no permissions.
    FederatedWithoutSessionPolicy,
    /// Cross-account: the caller's policies allow, the resource policy does not grant.
    ResourcePolicyRequired,
    /// Cross-account: the resource policy grants, the caller's own policies do not allow.
    IdentityRequired,
    /// The key policy (or trust policy) does not allow the caller.
    KeyPolicy,
    /// No key policy is known for this key, and a key policy is required.
    KeyPolicyUnknown,
    /// The key (trust) policy only delegates to the account and no IAM policy allows.
    DelegationWithoutIdentityAllow,
    /// This KMS operation cannot be used across accounts.
    KmsCrossAccountOperation,
    /// An anonymous request and nothing grants `*` or `AllUsers`.
    AnonymousNotGranted,
    /// The object is owned by another account and its ACL does not grant the caller.
    ObjectOwner { owner: String },
    /// Requester Pays buckets refuse anonymous requests.
    RequesterPaysAnonymous,
    /// A non-owner on a Requester Pays bucket must send `x-amz-request-payer`.
    RequesterPaysHeader,
    /// BucketOwnerEnforced rejects ACLs other than bucket-owner-full-control.
    AclNotSupported,
    /// BlockPublicAcls rejects a public canned ACL.
    BlockPublicAcls,
}

/// The basis of the decision of one request (without its dependent checks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// `sts:GetCallerIdentity` needs no permission.
    AlwaysAllowed,
    /// Every applicable Deny statement.
    Denied(Refs),
    /// The statements whose Allow made the decision, plus an ACL grant if one did.
    Allowed {
        by: Refs,
        acl: bool,
    },
    Blocked(Blocker),
}

/// Facts noted along the way that a reader needs (ignored policies, special rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// An object ACL grant was used.
    AclGrant { permission: String },
    /// The bucket policy is public, which matters under RestrictPublicBuckets.
    PublicBucketPolicy,
    /// ACLs are disabled by BucketOwnerEnforced.
    AclsDisabled,
    /// IgnorePublicAcls set aside a grant to `AllUsers` or `AuthenticatedUsers`.
    PublicAclIgnored,
    /// The resource-policy grant counts only together with an identity Allow.
    CrossAccount { caller: String, owner: String },
    /// A context key the engine added from the principal was used.
    DerivedKeys,
    /// The account root user needs no identity policy in its own account.
    RootUser,
}

/// The trace of one request.
#[derive(Clone, Debug)]
pub struct Trace {
    pub outcome: Outcome,
    pub basis: Basis,
    pub policies: Vec<PolicyTrace>,
    pub notes: Vec<Note>,
}

impl Trace {
    pub fn policy(&self, r: StmtRef) -> Option<&PolicyTrace> {
        self.policies.get(r.policy)
    }

    /// The statements that decided: the denies, or the allows.
    pub fn deciding(&self) -> &[StmtRef] {
        match &self.basis {
            Basis::Denied(v) => v,
            Basis::Allowed { by, .. } => by,
            _ => &[],
        }
    }
}

/// A request implied by the main one (SSE-KMS: `kms:Decrypt`, `kms:GenerateDataKey`).
#[derive(Clone, Debug)]
pub struct DependentDecision {
    pub action: String,
    pub resource: String,
    pub outcome: Outcome,
    pub trace: Trace,
    /// The implied request itself, for renderers.
    pub request: crate::request::Request,
}

/// What S3 answers over HTTP when it differs from a bare allow/deny.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub code: Option<&'static str>,
    /// For a missing object: whether `s3:ListBucket` was allowed (404) or not (403).
    pub list_bucket: Option<Outcome>,
}

/// The decision: the outcome of the whole request (dependent checks included), the
/// trace of the request itself, and the dependent checks.
#[derive(Clone, Debug)]
pub struct Decision {
    pub outcome: Outcome,
    pub trace: Trace,
    pub dependent: Vec<DependentDecision>,
    pub http: Option<HttpAnswer>,
}

impl Decision {
    /// The whole explanation as text; see [`crate::render::explain`].
    pub fn explain(
        &self,
        req: &crate::request::Request,
        locate: crate::render::Locate<'_>,
    ) -> String {
        crate::render::explain(self, req, locate)
    }

    /// The deciding reason in one line; see [`crate::render::one_line`].
    pub fn reason(
        &self,
        req: &crate::request::Request,
        locate: crate::render::Locate<'_>,
    ) -> String {
        crate::render::one_line(self, req, locate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inline or spilled, the list reads, prints and changes like the `Vec` it replaces.
    #[test]
    fn statements_read_like_a_vec_whatever_their_number() {
        for n in 0..6 {
            let v: Vec<StatementTrace> = (0..n)
                .map(|i| StatementTrace {
                    index: i,
                    outcome: if i % 2 == 0 {
                        StatementOutcome::Failed(Failure::Action)
                    } else {
                        StatementOutcome::Matched {
                            grant: None,
                            absent_keys: i as u64,
                            assumed_keys: 0,
                        }
                    },
                })
                .collect();
            for cap in [0, n] {
                let mut s = Statements::with_capacity(cap);
                for st in v.clone() {
                    s.push(st);
                }
                assert_eq!(&*s, v.as_slice());
                assert_eq!(format!("{s:?}"), format!("{v:?}"));
                assert_eq!(s, Statements::from(v.clone()));
                assert_eq!((&s).into_iter().count(), n);
                if let Some(last) = s.last_mut() {
                    last.outcome = StatementOutcome::NoEffect;
                }
                assert_eq!(
                    s.iter()
                        .filter(|t| t.outcome == StatementOutcome::NoEffect)
                        .count(),
                    usize::from(n > 0)
                );
            }
        }
    }
}
