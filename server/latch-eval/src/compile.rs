//! Policies compiled once into a fast form: action patterns lower-cased, ARN patterns
//! split into fields, principals classified, condition operators parsed and values
//! converted. An editor re-evaluates many requests against the same compiled policies.

use std::sync::Arc;

use latch_syntax::policy::{Effect, Policy, PolicyKind, PrincipalType, PrincipalValue};
use latch_syntax::text::Str;

use crate::arn::{is_account_id, split_arn};
use crate::condition::{ClauseResult, CompiledClause};
use crate::glob::{Glob, Piece, Shape, match_pieces};
use crate::request::{Context, Lean, PrincipalId, Request};
use crate::text::{self, Part};
use crate::trace::{Failure, GrantKind, RequestValue, StatementOutcome};

/// How the caller names a policy, and what the policy is for. The label is opaque to the
/// engine (a file path, a Terraform address); renderers map it back to a place.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PolicyRef {
    pub label: Arc<str>,
    pub kind: PolicyKind,
}

impl PolicyRef {
    pub fn new(label: impl Into<Arc<str>>, kind: PolicyKind) -> PolicyRef {
        PolicyRef {
            label: label.into(),
            kind,
        }
    }
}

/// A policy ready to evaluate. Keeps its source model for the trace and the renderers.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    pub reference: PolicyRef,
    pub source: Policy,
    /// Whether the policy is "public" in the S3 Block Public Access sense (§8.3).
    pub public: bool,
    pub(crate) statements: Few<CStatement>,
}

#[derive(Clone, Debug)]
pub(crate) struct CStatement {
    pub effect: Option<Effect>,
    pub action: Option<(bool, Few<ActionPattern>)>,
    pub resource: Option<(bool, Few<ResourcePattern>)>,
    pub principal: Option<CPrincipal>,
    pub clauses: Few<CompiledClause>,
}

/// A list that most often holds one item, which is then kept inline: most statements
/// name one action and one resource.
#[derive(Clone, Debug)]
pub(crate) enum Few<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Few<T> {
    fn collect(items: impl ExactSizeIterator<Item = T>) -> Few<T> {
        let n = items.len();
        Few::collect_n(items, n)
    }

    /// [`Few::collect`] of an iterator that yields `n` items.
    fn collect_n(mut items: impl Iterator<Item = T>, n: usize) -> Few<T> {
        if n == 1 {
            if let Some(one) = items.next() {
                return Few::One(one);
            }
        }
        Few::Many(items.collect())
    }

    pub fn as_slice(&self) -> &[T] {
        match self {
            Few::One(one) => std::slice::from_ref(one),
            Few::Many(many) => many,
        }
    }
}

impl<T> Default for Few<T> {
    fn default() -> Few<T> {
        Few::Many(Vec::new())
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

/// One `Action` pattern, matched without regard to ASCII case. A short literal or prefix
/// is kept lower-cased in place; a longer one shares the policy's text.
#[derive(Clone, Debug)]
pub(crate) struct ActionPattern {
    text: ActionText,
    shape: Shape,
}

/// The text an [`ActionPattern`] compares.
#[derive(Clone, Debug)]
enum ActionText {
    /// The pattern's first `len` bytes, lower-cased (all a `Prefix` or `Exact` shape
    /// reads).
    Lower { len: u8, bytes: [u8; ACTION_INLINE] },
    /// The pattern as written.
    Shared(Str),
    /// Nothing to compare: `Any`, or `Pieces` made of the lower-cased text.
    None,
}

/// Longer than every action name AWS has but a few.
const ACTION_INLINE: usize = 46;

impl ActionPattern {
    fn new(text: &Str) -> ActionPattern {
        let shape = match Shape::of(text) {
            // Only the general matcher needs the lower-cased text.
            Shape::Pieces(_) => Shape::of(&text.to_ascii_lowercase()),
            shape => shape,
        };
        let read = match shape {
            Shape::Exact => text.len(),
            Shape::Prefix(n) => n,
            Shape::Any | Shape::Pieces(_) => {
                return ActionPattern {
                    text: ActionText::None,
                    shape,
                };
            }
        };
        let mut bytes = [0u8; ACTION_INLINE];
        let text = match (bytes.get_mut(..read), text.as_bytes().get(..read)) {
            (Some(dst), Some(src)) => {
                dst.copy_from_slice(src);
                dst.make_ascii_lowercase();
                ActionText::Lower {
                    len: read as u8,
                    bytes,
                }
            }
            _ => ActionText::Shared(text.clone()),
        };
        ActionPattern { text, shape }
    }

    fn is_match(&self, action_lower: &str) -> bool {
        match (&self.text, &self.shape) {
            (ActionText::Lower { len, bytes }, shape) => {
                let lower = bytes.get(..usize::from(*len)).unwrap_or_default();
                match shape {
                    Shape::Exact => action_lower.as_bytes() == lower,
                    _ => action_lower.as_bytes().starts_with(lower),
                }
            }
            (ActionText::Shared(text), shape) => shape.is_match_lower(text, action_lower),
            (ActionText::None, shape) => shape.is_match_lower("", action_lower),
        }
    }
}

/// One `Resource` pattern.
#[derive(Clone, Debug)]
pub(crate) enum ResourcePattern {
    Any,
    /// Fields of an ARN pattern; each static or with variables.
    Arn(ArnPattern),
    /// Not an ARN: matched as a whole string.
    Whole(Glob),
}

/// The fields of an ARN pattern, over the policy's shared text. Most fields are a
/// literal, a prefix or `*`: a span of the text, nothing to build or free.
#[derive(Clone, Debug)]
pub(crate) struct ArnPattern {
    text: Str,
    spans: [Span; 5],
    /// The fields whose span is [`Simple::Other`], by index.
    others: Vec<(usize, Field)>,
}

/// The shape of a field that needs no pieces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Simple {
    Any,
    /// `text[start..end]` exactly.
    Exact,
    /// Starts with `text[start..end]`.
    Prefix,
    /// See [`ArnPattern::others`].
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    simple: Simple,
}

impl ArnPattern {
    fn is_match(&self, values: &[&str; 5], ctx: &Context) -> bool {
        let text: &[u8] = self.text.as_bytes();
        self.spans
            .iter()
            .zip(values)
            .enumerate()
            .all(|(i, (span, value))| {
                let lit = || text.get(span.start as usize..span.end as usize);
                match span.simple {
                    Simple::Any => true,
                    Simple::Exact => lit() == Some(value.as_bytes()),
                    Simple::Prefix => lit().is_some_and(|p| value.as_bytes().starts_with(p)),
                    Simple::Other => self
                        .others
                        .iter()
                        .find(|(j, _)| *j == i)
                        .is_some_and(|(_, f)| f.is_match(value, ctx)),
                }
            })
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Field {
    /// Wildcards inside a pattern without variables.
    Pieces(Vec<Piece>),
    /// A pattern whose escapes were resolved.
    Static(Glob),
    Dynamic(Vec<Part>),
}

impl Field {
    fn is_match(&self, value: &str, ctx: &Context) -> bool {
        match self {
            Field::Pieces(pieces) => match_pieces(pieces, value),
            Field::Static(g) => g.is_match(value),
            Field::Dynamic(parts) => {
                text::resolve(parts, ctx).is_some_and(|p| Glob::from_pieces(p).is_match(value))
            }
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct CPrincipal {
    pub negated: bool,
    pub entries: Few<PEntry>,
}

/// One principal named by a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PEntry {
    /// `"*"` or `{"AWS": "*"}`.
    Star,
    Account(String),
    User(String),
    Role {
        account: String,
        name: String,
    },
    Session(String),
    FederatedUser(String),
    /// Lower-cased service name.
    Service(String),
    /// Anything else (identity providers, canonical users, unique ids): matches nothing
    /// the engine can know.
    Opaque,
}

/// Classifies an `AWS` principal the way [`PrincipalId::parse`] reads it, copying only
/// what the entry keeps.
fn classify_aws(value: &str) -> PEntry {
    let value = value.trim();
    if value == "*" {
        return PEntry::Star;
    }
    if is_account_id(value) {
        return PEntry::Account(value.to_string());
    }
    let Some(parts) = split_arn(value) else {
        return PEntry::Opaque;
    };
    let res = parts.resource;
    match parts.service {
        "iam" if res == "root" => PEntry::Account(parts.account.to_string()),
        "iam" if res.starts_with("user/") => PEntry::User(value.to_string()),
        "iam" if res.starts_with("role/") => PEntry::Role {
            account: parts.account.to_string(),
            name: crate::request::last_segment(res).to_string(),
        },
        "sts" if res.starts_with("assumed-role/") => PEntry::Session(value.to_string()),
        "sts" if res.starts_with("federated-user/") => PEntry::FederatedUser(value.to_string()),
        _ => PEntry::Opaque,
    }
}

impl CompiledPolicy {
    /// Compiles `policy`. Never fails: what cannot be read never matches.
    pub fn new(reference: PolicyRef, policy: &Policy) -> CompiledPolicy {
        CompiledPolicy::from_policy(reference, policy.clone())
    }

    /// Compiles `policy`, keeping it as the source without a copy.
    pub fn from_policy(reference: PolicyRef, policy: Policy) -> CompiledPolicy {
        let vars = policy.variables_enabled();
        let statements = Few::collect(policy.statements.iter().map(|st| {
            let action = st.action.as_ref().map(|a| {
                (
                    a.negated,
                    Few::collect(a.values.iter().map(|v| ActionPattern::new(&v.value))),
                )
            });
            let resource = st.resource.as_ref().map(|r| {
                (
                    r.negated,
                    Few::collect(r.values.iter().map(|v| resource_pattern(&v.value, vars))),
                )
            });
            let principal = st.principal.as_ref().map(|p| CPrincipal {
                negated: p.negated,
                entries: match &p.value {
                    PrincipalValue::Star => Few::One(PEntry::Star),
                    PrincipalValue::Map(entries) => Few::collect_n(
                        entries.iter().flat_map(|e| {
                            e.values.iter().map(move |v| match e.kind.value {
                                PrincipalType::Aws => classify_aws(&v.value),
                                PrincipalType::Service if v.value == "*" => PEntry::Star,
                                PrincipalType::Service => {
                                    PEntry::Service(v.value.trim().to_ascii_lowercase())
                                }
                                PrincipalType::Federated | PrincipalType::CanonicalUser => {
                                    PEntry::Opaque
                                }
                            })
                        }),
                        entries.iter().map(|e| e.values.len()).sum(),
                    ),
                },
            });
            let clauses = st
                .condition
                .as_ref()
                .map(|c| {
                    Few::collect(c.clauses.iter().map(|cl| {
                        CompiledClause::from_values(
                            &cl.operator.value,
                            &cl.key.value,
                            cl.values.iter().map(|v| v.value.as_str()),
                            vars,
                        )
                    }))
                })
                .unwrap_or_default();
            CStatement {
                effect: st.effect(),
                action,
                resource,
                principal,
                clauses,
            }
        }));
        CompiledPolicy {
            reference,
            public: crate::s3::is_public_policy(&policy),
            source: policy,
            statements,
        }
    }

    pub fn kind(&self) -> PolicyKind {
        self.reference.kind
    }
}

fn resource_pattern(text: &Str, vars: bool) -> ResourcePattern {
    let value: &str = text;
    if value == "*" {
        return ResourcePattern::Any;
    }
    let Some(p) = split_arn(value) else {
        return ResourcePattern::Whole(Glob::new(value));
    };
    let fields = p.fields();
    let base = value.as_ptr() as usize;
    let mut others = Vec::new();
    const OTHER: Span = Span {
        start: 0,
        end: 0,
        simple: Simple::Other,
    };
    let spans = std::array::from_fn(|i| {
        let field = fields[i];
        // Variables are substituted only in the resource field (docs/aws-rules.md §2.2).
        let other = if vars && i == 4 && text::has_variable(field) {
            let parts = text::parse(field, true, true);
            if text::is_dynamic(&parts) {
                Field::Dynamic(parts)
            } else {
                Field::Static(Glob::from_pieces(text::static_pieces(&parts)))
            }
        } else {
            let (simple, len) = match Shape::of(field) {
                Shape::Any => (Simple::Any, 0),
                Shape::Exact => (Simple::Exact, field.len()),
                Shape::Prefix(n) => (Simple::Prefix, n),
                Shape::Pieces(pieces) => {
                    others.push((i, Field::Pieces(pieces)));
                    return OTHER;
                }
            };
            let start = field.as_ptr() as usize - base;
            match (u32::try_from(start), u32::try_from(start + len)) {
                (Ok(start), Ok(end)) => return Span { start, end, simple },
                // A text over 4 GiB: the field as a glob of its own.
                _ => Field::Static(Glob::new(field)),
            }
        };
        others.push((i, other));
        OTHER
    });
    ResourcePattern::Arn(ArnPattern {
        text: text.clone(),
        spans,
        others,
    })
}

/// What the evaluation of statements needs besides the request.
pub(crate) struct Env<'a> {
    pub req: &'a Request,
    pub resource_fields: Option<[&'a str; 5]>,
    /// The caller has a permissions boundary (changes `NotPrincipal`, docs/aws-rules.md §4).
    pub has_boundary: bool,
}

impl<'a> Env<'a> {
    pub fn new(req: &'a Request, has_boundary: bool) -> Env<'a> {
        Env {
            req,
            resource_fields: split_arn(&req.resource).map(|p| p.fields()),
            has_boundary,
        }
    }
}

impl CStatement {
    /// Decides whether the statement applies; the first failing element otherwise.
    pub fn eval(&self, kind: PolicyKind, env: &Env<'_>) -> StatementOutcome {
        if self.effect.is_none() {
            return StatementOutcome::NoEffect;
        }
        match &self.action {
            None => return StatementOutcome::Failed(Failure::MissingAction),
            Some((negated, globs)) => {
                let hit = globs.iter().any(|g| g.is_match(&env.req.action_lower));
                if hit == *negated {
                    return StatementOutcome::Failed(Failure::Action);
                }
            }
        }
        match &self.resource {
            None => {
                // Key policies and trust policies may omit Resource: it means "this key"
                // or "this role" (docs/aws-rules.md §2.2, §11.1).
                if !matches!(kind, PolicyKind::KeyPolicy | PolicyKind::Trust) {
                    return StatementOutcome::Failed(Failure::MissingResource);
                }
            }
            Some((negated, pats)) => {
                let hit = pats.iter().any(|p| resource_matches(p, env));
                if hit == *negated {
                    return StatementOutcome::Failed(Failure::Resource);
                }
            }
        }
        let mut grant = None;
        if kind.has_principal() {
            match &self.principal {
                None => return StatementOutcome::Failed(Failure::MissingPrincipal),
                Some(p) => match principal_matches(p, kind, self.effect, env) {
                    Some(g) => grant = Some(g),
                    None => return StatementOutcome::Failed(Failure::Principal),
                },
            }
        }
        let mut absent_keys = 0u64;
        let mut assumed_keys = 0u64;
        for (i, clause) in self.clauses.iter().enumerate() {
            if clause.op.is_some() && env.req.context.is_unknown(&clause.key) {
                // Settled the way that gives this evaluation's bound of the decision.
                let holds =
                    (self.effect == Some(Effect::Allow)) == (env.req.context.lean == Lean::Allow);
                if !holds {
                    return StatementOutcome::Failed(Failure::Condition {
                        clause: i,
                        value: RequestValue::Unknown,
                        why: crate::condition::ClauseWhy::Unknown,
                    });
                }
                if i < 64 {
                    assumed_keys |= 1 << i;
                }
                continue;
            }
            let ClauseResult { holds, absent, why } = clause.eval(&env.req.context);
            if absent && i < 64 {
                absent_keys |= 1 << i;
            }
            if !holds {
                let value = if absent {
                    RequestValue::Absent
                } else {
                    RequestValue::Values(
                        env.req
                            .context
                            .lookup_lower(&clause.key)
                            .map(|v| v.to_vec())
                            .unwrap_or_default(),
                    )
                };
                return StatementOutcome::Failed(Failure::Condition {
                    clause: i,
                    value,
                    why: why.unwrap_or(crate::condition::ClauseWhy::NoValueMatches),
                });
            }
        }
        StatementOutcome::Matched {
            grant,
            absent_keys,
            assumed_keys,
        }
    }
}

fn resource_matches(p: &ResourcePattern, env: &Env<'_>) -> bool {
    match p {
        ResourcePattern::Any => true,
        ResourcePattern::Whole(g) => g.is_match(&env.req.resource),
        ResourcePattern::Arn(arn) => match &env.resource_fields {
            Some(values) => arn.is_match(values, &env.req.context),
            None => false,
        },
    }
}

/// The identities AWS checks for `NotPrincipal`: account, then role or user, then session.
#[derive(PartialEq)]
enum ChainLink<'a> {
    Anonymous,
    Account(&'a str),
    Arn(&'a str),
    Role(&'a str, &'a str),
    Service(&'a str),
}

fn chain(p: &PrincipalId) -> Vec<ChainLink<'_>> {
    match p {
        PrincipalId::Anonymous => vec![ChainLink::Anonymous],
        PrincipalId::Service(s) => vec![ChainLink::Service(s)],
        PrincipalId::Root { arn, account } => vec![ChainLink::Account(account.of(arn))],
        PrincipalId::User { arn, account, .. }
        | PrincipalId::FederatedUser { arn, account, .. }
        | PrincipalId::Other { arn, account } => {
            vec![ChainLink::Account(account.of(arn)), ChainLink::Arn(arn)]
        }
        PrincipalId::Role { arn, account, name } => vec![
            ChainLink::Account(account.of(arn)),
            ChainLink::Role(account.of(arn), name.of(arn)),
        ],
        PrincipalId::AssumedRole {
            account, role, arn, ..
        } => vec![
            ChainLink::Account(account.of(arn)),
            ChainLink::Role(account.of(arn), role.of(arn)),
            ChainLink::Arn(arn),
        ],
    }
}

fn entry_names(e: &PEntry, link: &ChainLink<'_>) -> bool {
    match (e, link) {
        (PEntry::Star, _) => true,
        (PEntry::Account(a), ChainLink::Account(b)) => a == b,
        (PEntry::User(a) | PEntry::Session(a) | PEntry::FederatedUser(a), ChainLink::Arn(b)) => {
            a == b
        }
        (PEntry::Role { account, name }, ChainLink::Role(a, n)) => account == a && name == n,
        (PEntry::Service(s), ChainLink::Service(n)) => s.eq_ignore_ascii_case(n),
        _ => false,
    }
}

/// The grant a single entry gives the caller, if it names the caller.
fn entry_grant(e: &PEntry, caller: &PrincipalId, kind: PolicyKind) -> Option<GrantKind> {
    match (e, caller) {
        (PEntry::Star, _) => Some(GrantKind::Everyone),
        (PEntry::Account(a), PrincipalId::Root { arn, account }) if a == account.of(arn) => {
            Some(GrantKind::Account)
        }
        // In an endpoint policy the account form names only the root user (§9).
        (PEntry::Account(_), _) if kind == PolicyKind::VpcEndpoint => None,
        (PEntry::Account(a), c) if c.account() == Some(a.as_str()) => Some(GrantKind::Account),
        (PEntry::User(arn), PrincipalId::User { arn: c, .. }) if arn == c => Some(GrantKind::User),
        (
            PEntry::Role { account, name },
            PrincipalId::Role {
                arn,
                account: a,
                name: n,
            },
        )
        | (
            PEntry::Role { account, name },
            PrincipalId::AssumedRole {
                arn,
                account: a,
                role: n,
                ..
            },
        ) if account == a.of(arn) && name == n.of(arn) => Some(GrantKind::Role),
        (PEntry::Session(arn), PrincipalId::AssumedRole { arn: c, .. }) if arn == c => {
            Some(GrantKind::Session)
        }
        (PEntry::FederatedUser(arn), PrincipalId::FederatedUser { arn: c, .. }) if arn == c => {
            Some(GrantKind::Session)
        }
        (PEntry::Service(s), PrincipalId::Service(c)) if s.eq_ignore_ascii_case(c) => {
            Some(GrantKind::Service)
        }
        _ => None,
    }
}

fn principal_matches(
    p: &CPrincipal,
    kind: PolicyKind,
    effect: Option<Effect>,
    env: &Env<'_>,
) -> Option<GrantKind> {
    let caller = &env.req.principal;
    if p.negated {
        let links = chain(caller);
        let listed = |link: &ChainLink<'_>| p.entries.iter().any(|e| entry_names(e, link));
        let applies = if effect == Some(Effect::Allow) {
            // Allow with NotPrincipal is unsupported today; read it so that it grants as
            // little as possible: not to a caller any of whose identities is listed.
            !links.iter().any(listed)
        } else {
            // A caller with a permissions boundary is never excluded, and otherwise every
            // identity of the chain must be listed (docs/aws-rules.md §4).
            let bounded = env.has_boundary
                && matches!(
                    caller,
                    PrincipalId::User { .. }
                        | PrincipalId::Role { .. }
                        | PrincipalId::AssumedRole { .. }
                );
            bounded || links.iter().any(|l| !listed(l))
        };
        return applies.then_some(GrantKind::Everyone);
    }
    p.entries
        .iter()
        .filter_map(|e| entry_grant(e, caller, kind))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `classify_aws` gives, by way of the principal parser it reads like.
    fn classify_by_parse(value: &str) -> PEntry {
        let value = value.trim();
        if value == "*" {
            return PEntry::Star;
        }
        match PrincipalId::parse(value) {
            PrincipalId::Root { arn, account } => PEntry::Account(account.of(&arn).into()),
            PrincipalId::User { arn, .. } => PEntry::User(arn.into()),
            PrincipalId::Role { arn, account, name } => PEntry::Role {
                account: account.of(&arn).into(),
                name: name.of(&arn).into(),
            },
            PrincipalId::AssumedRole { arn, .. } => PEntry::Session(arn.into()),
            PrincipalId::FederatedUser { arn, .. } => PEntry::FederatedUser(arn.into()),
            _ => PEntry::Opaque,
        }
    }

    proptest::proptest! {
        /// An action pattern, inline or shared, matches as a glob of the lower-cased text.
        #[test]
        fn action_patterns_match_as_lower_cased_globs(
            p in "[sS3:gGeEtT*?é]{0,6}|[a-zA-Z:*]{40,60}",
            a in "[sS3:gGeEtTé]{0,6}|[a-zA-Z:]{40,60}",
        ) {
            let lower = a.to_ascii_lowercase();
            let want = Glob::new(&p.to_ascii_lowercase()).is_match(&lower);
            proptest::prop_assert_eq!(ActionPattern::new(&Str::from(p.clone())).is_match(&lower), want);
            let same = ActionPattern::new(&Str::from(p.clone()));
            if !p.contains(['*', '?']) {
                proptest::prop_assert!(same.is_match(&p.to_ascii_lowercase()));
            }
        }
    }

    proptest::proptest! {
        /// An ARN pattern kept as spans of its text matches as a glob per field would.
        #[test]
        fn arn_patterns_match_field_by_field(
            p in "arn:[a*]{0,2}:[s3*?]{0,3}:[é*]{0,1}:[0-9*]{0,2}:[ab/*?:]{0,6}(b{50,60})?",
            v in "arn:[a]{0,2}:[s3]{0,2}:[é]{0,1}:[0-9]{0,2}:[ab/:]{0,6}(b{50,60})?",
        ) {
            let ResourcePattern::Arn(arn) = resource_pattern(&Str::from(p.clone()), true) else {
                panic!("{p} is an ARN pattern");
            };
            let (Some(pf), Some(vf)) = (split_arn(&p), split_arn(&v)) else {
                panic!("{p} and {v} are ARNs");
            };
            let want = pf
                .fields()
                .iter()
                .zip(vf.fields())
                .all(|(pf, vf)| Glob::new(pf).is_match(vf));
            proptest::prop_assert_eq!(arn.is_match(&vf.fields(), &Context::new()), want);
        }
    }

    #[test]
    fn principals_classify_as_the_parser_reads_them() {
        for v in [
            "*",
            " * ",
            "111122223333",
            " 111122223333 ",
            "anonymous",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/dev/Jane",
            "arn:aws:iam::111122223333:role/path/app",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:group/g",
            "arn:aws:sts::111122223333:assumed-role/app/s1",
            "arn:aws:sts::111122223333:federated-user/alice",
            "arn:aws-cn:iam::111122223333:root",
            "cloudtrail.amazonaws.com",
            "AIDAEXAMPLE",
            "arn:aws:iam",
            "",
        ] {
            assert_eq!(classify_aws(v), classify_by_parse(v), "{v:?}");
        }
    }
}
