//! Plain-text rendering of a decision. The engine knows no files: the caller passes a
//! closure that turns a policy reference and a byte span into a place such as
//! `s3/bucket.json:14`. Hovers, `latch why`, workspace checks and conformance failures all
//! render the trace through these functions; none re-derives why.

use latch_syntax::policy::Statement;
use latch_syntax::span::Span;

use crate::compile::PolicyRef;
use crate::condition::ClauseWhy;
use crate::request::Request;
use crate::trace::*;

/// Maps a policy and a byte range in it to a place for humans (`path:line`).
pub type Locate<'a> = &'a dyn Fn(&PolicyRef, Span) -> String;

/// The name of a policy for messages: its layer, e.g. `bucket policy` or `key policy`.
pub fn policy_name(p: &PolicyTrace, req: Option<&Request>) -> String {
    match p.layer {
        Layer::Resource
            if p.policy.reference.kind == latch_syntax::policy::PolicyKind::Resource
                && req.is_some_and(|r| r.service() == "s3") =>
        {
            "bucket policy".to_string()
        }
        Layer::Resource | Layer::Identity => p.policy.reference.kind.name().to_string(),
        _ => p.layer_name(),
    }
}

/// `statement `Sid`` or `statement #2`.
pub fn statement_name(p: &PolicyTrace, index: usize) -> String {
    match p.statement(index) {
        Some(st) => format!("statement `{}`", st.label(index)),
        None => format!("statement #{}", index + 1),
    }
}

fn statement_anchor(st: &Statement) -> Span {
    st.sid.as_ref().map_or(st.span, |s| s.span)
}

/// `statement `Sid` of the bucket policy (s3/bucket.json:14)`.
pub fn statement_place(
    trace: &Trace,
    r: StmtRef,
    req: Option<&Request>,
    locate: Locate<'_>,
) -> String {
    let Some(p) = trace.policy(r) else {
        return String::from("an unknown statement");
    };
    let place = p
        .statement(r.statement)
        .map(|st| locate(&p.policy.reference, statement_anchor(st)))
        .unwrap_or_else(|| p.policy.reference.label.to_string());
    format!(
        "{} of the {} ({place})",
        statement_name(p, r.statement),
        policy_name(p, req)
    )
}

fn list(values: &[String]) -> String {
    shown(values.iter().map(String::as_str))
}

/// Values in backticks, at most three, then "and N more".
fn shown<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = values.collect();
    let mut out = all
        .iter()
        .take(3)
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > 3 {
        out.push_str(&format!(" and {} more", all.len() - 3));
    }
    out
}

/// The values a pattern element or condition clause lists, in backticks.
fn values_of(values: &[latch_syntax::span::Spanned<latch_syntax::text::Str>]) -> String {
    shown(values.iter().map(|v| &*v.value))
}

/// `"arn:aws:iam::1:role/A"` and `{"Service": "s3.amazonaws.com"}` values of a
/// `Principal`, as written.
fn principal_values(st: &Statement) -> String {
    use latch_syntax::policy::PrincipalValue;
    match st.principal.as_ref().map(|p| &p.value) {
        Some(PrincipalValue::Star) => "`*`".into(),
        Some(PrincipalValue::Map(entries)) => shown(
            entries
                .iter()
                .flat_map(|e| e.values.iter().map(|v| v.value.as_str())),
        ),
        None => String::new(),
    }
}

/// Why a matched statement's conditions held, e.g. "`aws:SourceVpce` is absent from the
/// request and `StringNotEquals` is true for a missing key".
fn why_conditions_held(
    st: &Statement,
    absent_keys: u64,
    assumed_keys: u64,
    req: Option<&Request>,
) -> Option<String> {
    let clauses = &st.condition.as_ref()?.clauses;
    let parts: Vec<String> = clauses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let absent = i < 64 && absent_keys & (1 << i) != 0;
            let assumed = i < 64 && assumed_keys & (1 << i) != 0;
            if assumed {
                format!(
                    "if `{}` satisfies `{}` ({}), which the workspace does not state",
                    c.key.value,
                    c.operator.value,
                    values_of(&c.values)
                )
            } else if absent {
                format!(
                    "`{}` is absent from the request and `{}` ({}) is true for a missing key",
                    c.key.value,
                    c.operator.value,
                    values_of(&c.values)
                )
            } else {
                match req.and_then(|r| r.context.values(&c.key.value)) {
                    Some(v) => format!(
                        "`{}` is {} and `{}` ({}) holds",
                        c.key.value,
                        list(v),
                        c.operator.value,
                        values_of(&c.values)
                    ),
                    None => format!(
                        "`{}` on `{}` ({}) holds",
                        c.operator.value,
                        c.key.value,
                        values_of(&c.values)
                    ),
                }
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The first element of a statement that did not match, in words.
pub fn failure_text(st: &Statement, f: &Failure, req: Option<&Request>) -> String {
    let negated_action = st.action.as_ref().is_some_and(|a| a.negated);
    let negated_resource = st.resource.as_ref().is_some_and(|a| a.negated);
    let negated_principal = st.principal.as_ref().is_some_and(|a| a.negated);
    let action = req.map_or_else(|| "the action".to_string(), |r| format!("`{}`", r.action));
    let resource = req.map_or_else(
        || "the resource".to_string(),
        |r| format!("`{}`", r.resource),
    );
    let action_values = || {
        st.action
            .as_ref()
            .map(|a| values_of(&a.values))
            .unwrap_or_default()
    };
    let resource_values = || {
        st.resource
            .as_ref()
            .map(|a| values_of(&a.values))
            .unwrap_or_default()
    };
    match f {
        Failure::Action if negated_action => {
            format!("{action} is excluded by `NotAction` {}", action_values())
        }
        Failure::Action => format!("{action} is not matched by `Action` {}", action_values()),
        Failure::MissingAction => "the statement has no `Action`".into(),
        Failure::Resource if negated_resource => format!(
            "{resource} is excluded by `NotResource` {}",
            resource_values()
        ),
        Failure::Resource => format!(
            "{resource} is not matched by `Resource` {}",
            resource_values()
        ),
        Failure::MissingResource => "the statement has no `Resource`".into(),
        Failure::Principal if negated_principal => format!(
            "every identity of the caller is listed in `NotPrincipal` {}",
            principal_values(st)
        ),
        Failure::Principal => match req {
            Some(r) => format!(
                "the caller `{}` is not named in `Principal` {}",
                r.principal.arn(),
                principal_values(st)
            ),
            None => format!(
                "the caller is not named in `Principal` {}",
                principal_values(st)
            ),
        },
        Failure::MissingPrincipal => {
            "a statement of a resource policy without `Principal` never matches".into()
        }
        Failure::Condition { clause, value, why } => {
            let c = st.condition.as_ref().and_then(|b| b.clauses.get(*clause));
            let (op, key) = c.map_or(("?", "?"), |c| {
                (c.operator.value.as_str(), c.key.value.as_str())
            });
            // The clause's own values, beside the request's.
            let wanted = c
                .map(|c| format!("({})", values_of(&c.values)))
                .unwrap_or_default();
            let seen = match value {
                RequestValue::Absent => format!("`{key}` is absent from the request"),
                RequestValue::Unknown => format!("`{key}` is not known from the workspace"),
                RequestValue::Values(v) => format!("`{key}` is {}", list(v)),
            };
            match why {
                ClauseWhy::UnknownOperator => format!("`{op}` is not a condition operator"),
                ClauseWhy::KeyAbsent => {
                    format!("{seen} and `{op}` {wanted} is false for a missing key")
                }
                ClauseWhy::SetAbsent => {
                    format!("{seen} and `{op}` {wanted} is false for a missing key")
                }
                ClauseWhy::NoValueMatches => {
                    format!("{seen}, which matches no value of `{op}` {wanted}")
                }
                ClauseWhy::ValueMatches => {
                    format!("{seen}, which is one of the values `{op}` excludes {wanted}")
                }
                ClauseWhy::NotAllValuesMatch => {
                    format!("{seen} and not every value matches `{op}` {wanted}")
                }
                ClauseWhy::NullButPresent => format!("{seen} but `{op}` `true` requires it absent"),
                ClauseWhy::NullButAbsent => {
                    format!("{seen} but `{op}` `false` requires it present")
                }
                ClauseWhy::Unknown => {
                    format!("{seen}: this statement applies only if `{op}` {wanted} holds for it")
                }
            }
        }
    }
}

/// The place of the element a failure points at.
pub fn failure_span(st: &Statement, f: &Failure) -> Span {
    match f {
        Failure::Action => st.action.as_ref().map_or(st.span, |a| a.span),
        Failure::Resource => st.resource.as_ref().map_or(st.span, |a| a.span),
        Failure::Principal => st.principal.as_ref().map_or(st.span, |a| a.span),
        Failure::Condition { clause, .. } => st
            .condition
            .as_ref()
            .and_then(|b| b.clauses.get(*clause))
            .map_or(st.span, |c| c.operator.span),
        Failure::MissingAction | Failure::MissingResource | Failure::MissingPrincipal => st.span,
    }
}

/// The places of the policies a blocker is about (the boundary, an SCP level, ...).
fn blocking_policies(trace: &Trace, b: &Blocker, locate: Locate<'_>) -> Vec<String> {
    let layer_matches = |l: Layer| match b {
        Blocker::Scp { level } => l == Layer::Scp { level: *level },
        Blocker::Rcp { level } => l == Layer::Rcp { level: *level },
        Blocker::VpcEndpoint => l == Layer::VpcEndpoint,
        Blocker::Boundary => l == Layer::Boundary,
        Blocker::SessionPolicy => l == Layer::Session,
        Blocker::KeyPolicy | Blocker::DelegationWithoutIdentityAllow => l == Layer::Resource,
        _ => false,
    };
    trace
        .policies
        .iter()
        .filter(|p| p.not_applicable.is_none() && layer_matches(p.layer))
        .map(|p| locate(&p.policy.reference, p.policy.source.span))
        .collect()
}

/// "level `root`" when the workspace names the level, else "level 2".
fn level_words(trace: &Trace, layer: Layer, level: usize) -> String {
    trace
        .policies
        .iter()
        .find(|p| p.layer == layer)
        .and_then(|p| p.level_name.as_deref())
        .map_or_else(
            || format!("level {}", level + 1),
            |n| format!("level `{n}`"),
        )
}

fn blocker_text(b: &Blocker, req: Option<&Request>, trace: &Trace) -> String {
    let action = req.map_or_else(|| "the action".to_string(), |r| format!("`{}`", r.action));
    let resource = req.map_or_else(
        || "the resource".to_string(),
        |r| format!("`{}`", r.resource),
    );
    match b {
        Blocker::NoAllow => format!("no statement allows {action} on {resource}"),
        Blocker::Scp { level } => format!(
            "no service control policy at {} allows {action}",
            level_words(trace, Layer::Scp { level: *level }, *level)
        ),
        Blocker::Rcp { level } => format!(
            "no resource control policy at {} allows {action}",
            level_words(trace, Layer::Rcp { level: *level }, *level)
        ),
        Blocker::VpcEndpoint => format!("the VPC endpoint policy does not allow {action} on {resource}"),
        Blocker::Boundary => "the permissions boundary does not allow it".into(),
        Blocker::SessionPolicy => "the session policy does not allow it".into(),
        Blocker::FederatedWithoutSessionPolicy => {
            "a federated-user session without a session policy has no permissions".into()
        }
        Blocker::ResourcePolicyRequired => {
            "cross-account: the caller's policies allow it but the resource policy does not grant it".into()
        }
        Blocker::IdentityRequired => {
            "cross-account: the resource policy grants it but no identity policy of the caller allows it".into()
        }
        Blocker::KeyPolicy => "the key policy does not allow the caller".into(),
        Blocker::KeyPolicyUnknown => format!(
            "no key policy is known for {resource}, and a key policy must allow every use of a key"
        ),
        Blocker::DelegationWithoutIdentityAllow => {
            "the key policy only delegates to the account and no identity policy allows it".into()
        }
        Blocker::KmsCrossAccountOperation => format!("{action} cannot be used across accounts"),
        Blocker::AnonymousNotGranted => {
            "anonymous requests need a resource policy statement with `Principal` `*` or an `AllUsers` ACL grant".into()
        }
        Blocker::ObjectOwner { owner } => format!(
            "the object is owned by account `{owner}`: bucket policy allows do not reach it and its ACL does not grant the caller"
        ),
        Blocker::RequesterPaysAnonymous => "a Requester Pays bucket refuses anonymous requests".into(),
        Blocker::RequesterPaysHeader => {
            "a Requester Pays bucket needs `x-amz-request-payer: requester` from callers outside the owner account".into()
        }
        Blocker::AclNotSupported => {
            "the bucket enforces bucket owner ownership, so ACLs other than `bucket-owner-full-control` are rejected".into()
        }
        Blocker::BlockPublicAcls => "Block Public Access rejects a public canned ACL".into(),
    }
}

/// One line: the outcome and the reason, with the place of the deciding statement.
pub fn summary(trace: &Trace, req: Option<&Request>, locate: Locate<'_>) -> String {
    summary_led_by(trace, req, locate, None)
}

/// [`summary`], naming the Deny `first` first when it is one of the deciding ones.
fn summary_led_by(
    trace: &Trace,
    req: Option<&Request>,
    locate: Locate<'_>,
    first: Option<StmtRef>,
) -> String {
    match &trace.basis {
        Basis::AlwaysAllowed => "allowed: `sts:GetCallerIdentity` needs no permission".into(),
        Basis::Denied(refs) => match refs.split_first() {
            Some((head, _)) => {
                let lead = first.filter(|f| refs.contains(f)).unwrap_or(*head);
                let mut s = deny_reason(trace, lead, req, locate);
                for r in refs.iter().filter(|r| **r != lead) {
                    s.push_str(&format!(
                        "; also by {}",
                        statement_place(trace, *r, req, locate)
                    ));
                }
                s
            }
            None => "explicitly denied".into(),
        },
        Basis::Allowed { by, acl } => {
            let mut parts: Vec<String> = by
                .iter()
                .map(|r| statement_place(trace, *r, req, locate))
                .collect();
            if *acl {
                parts.push("an object ACL grant".into());
            }
            if parts.is_empty() {
                "allowed".into()
            } else {
                format!("allowed by {}", parts.join(" and "))
            }
        }
        Basis::Blocked(b) => {
            let mut s = format!("implicitly denied: {}", blocker_text(b, req, trace));
            let places = blocking_policies(trace, b, locate);
            if !places.is_empty() {
                s.push_str(&format!(" ({})", places.join(", ")));
            }
            s
        }
    }
}

/// Why one Deny statement of a trace denies: "explicitly denied by statement `X` of the
/// bucket policy (s3/b.json:6): `aws:SourceVpce` is absent ...". Names that statement
/// even when others deny too.
pub fn deny_reason(trace: &Trace, r: StmtRef, req: Option<&Request>, locate: Locate<'_>) -> String {
    let mut s = format!(
        "explicitly denied by {}",
        statement_place(trace, r, req, locate)
    );
    let held = trace.policy(r).and_then(|p| {
        let st = p.statement(r.statement)?;
        match &p.statements.get(r.statement)?.outcome {
            StatementOutcome::Matched {
                absent_keys,
                assumed_keys,
                ..
            } => why_conditions_held(st, *absent_keys, *assumed_keys, req),
            _ => None,
        }
    });
    if let Some(h) = held {
        s.push_str(": ");
        s.push_str(&h);
    }
    s
}

fn note_text(n: &Note) -> String {
    match n {
        Note::AclGrant { permission } => format!("an object ACL grants `{permission}`"),
        Note::PublicBucketPolicy => {
            "the bucket policy is public, so RestrictPublicBuckets keeps only grants to the owner account and AWS services".into()
        }
        Note::AclsDisabled => "ACLs are disabled (BucketOwnerEnforced) and ignored".into(),
        Note::PublicAclIgnored => "IgnorePublicAcls sets aside an ACL grant to a public group".into(),
        Note::CrossAccount { caller, owner } => {
            format!("cross-account: caller account `{caller}`, resource account `{owner}`; both sides must allow")
        }
        Note::DerivedKeys => "some context keys were derived from the principal".into(),
        Note::RootUser => {
            "the account root user has every permission in its own account without an identity policy".into()
        }
    }
}

fn render_trace(
    out: &mut String,
    trace: &Trace,
    req: Option<&Request>,
    locate: Locate<'_>,
    indent: &str,
    first: Option<StmtRef>,
) {
    out.push_str(&format!(
        "{indent}{}\n",
        summary_led_by(trace, req, locate, first)
    ));
    for n in &trace.notes {
        out.push_str(&format!("{indent}note: {}\n", note_text(n)));
    }
    for p in &trace.policies {
        let label = &p.policy.reference.label;
        match p.not_applicable {
            Some(na) => {
                let why = match na {
                    NotApplicable::AnonymousCaller => "does not apply to anonymous callers",
                    NotApplicable::ServiceCaller => "does not apply to AWS service principals",
                    NotApplicable::NotASession => "applies to sessions only",
                    NotApplicable::NotThroughEndpoint => {
                        "the request does not come through this endpoint"
                    }
                    NotApplicable::RootUser => "does not apply to the root user",
                    NotApplicable::NotRestrictedByRcp => "cannot restrict this action",
                };
                out.push_str(&format!(
                    "{indent}{} `{label}`: {why}\n",
                    policy_name(p, req)
                ));
                continue;
            }
            None => out.push_str(&format!("{indent}{} `{label}`:\n", policy_name(p, req))),
        }
        if p.statements.is_empty() {
            out.push_str(&format!("{indent}  no statements\n"));
        }
        for s in &p.statements {
            let Some(st) = p.statement(s.index) else {
                continue;
            };
            let name = statement_name(p, s.index);
            let effect = st.effect().map_or("no effect", |e| e.as_str());
            let text = match &s.outcome {
                StatementOutcome::Matched {
                    grant,
                    absent_keys,
                    assumed_keys,
                } => {
                    let mut t = "applies".to_string();
                    if let Some(g) = grant {
                        t.push_str(&format!(" (names {})", g.describe()));
                    }
                    if let Some(h) = why_conditions_held(st, *absent_keys, *assumed_keys, req) {
                        t.push_str(": ");
                        t.push_str(&h);
                    }
                    format!(
                        "{t} [{}]",
                        locate(&p.policy.reference, statement_anchor(st))
                    )
                }
                StatementOutcome::NoEffect => format!(
                    "never decides: `Effect` is missing or invalid [{}]",
                    locate(&p.policy.reference, st.span)
                ),
                StatementOutcome::Failed(f) => format!(
                    "does not apply: {} [{}]",
                    failure_text(st, f, req),
                    locate(&p.policy.reference, failure_span(st, f))
                ),
                StatementOutcome::Ignored(IgnoreReason::ObjectOwnedByOtherAccount) => format!(
                    "applies but is set aside: the object is owned by another account [{}]",
                    locate(&p.policy.reference, statement_anchor(st))
                ),
                StatementOutcome::Ignored(IgnoreReason::RestrictPublicBuckets) => format!(
                    "applies but is set aside by RestrictPublicBuckets [{}]",
                    locate(&p.policy.reference, statement_anchor(st))
                ),
            };
            out.push_str(&format!("{indent}  {effect} {name} {text}\n"));
        }
    }
}

/// The whole explanation: the outcome, the reason, every policy and statement
/// considered, the dependent checks and S3's HTTP answer.
pub fn explain(d: &Decision, req: &Request, locate: Locate<'_>) -> String {
    explain_led_by(d, req, locate, None)
}

/// [`explain`] for a finding on the Deny `first` of the request's own trace: that Deny
/// is named first among the deciding ones.
pub fn explain_led_by(
    d: &Decision,
    req: &Request,
    locate: Locate<'_>,
    first: Option<StmtRef>,
) -> String {
    let mut out = format!("decision: {}", d.outcome.as_str().replace('_', " "));
    let by_dependent = !d.outcome.is_allow() && d.trace.outcome.is_allow();
    if let Some(dep) = d
        .dependent
        .iter()
        .find(|x| by_dependent && !x.outcome.is_allow())
    {
        // The request itself is allowed; what it makes on the key is not.
        out.push_str(&format!(
            " (the `{}` it makes on `{}` is {})\n`{}` itself: ",
            dep.action,
            dep.resource,
            match dep.outcome {
                Outcome::ExplicitDeny => "explicitly denied",
                _ => "implicitly denied",
            },
            req.action
        ));
    } else {
        out.push('\n');
    }
    render_trace(&mut out, &d.trace, Some(req), locate, "", first);
    for dep in &d.dependent {
        out.push_str(&format!(
            "dependent check `{}` on `{}`: {}\n",
            dep.action,
            dep.resource,
            dep.outcome.as_str().replace('_', " ")
        ));
        render_trace(&mut out, &dep.trace, Some(&dep.request), locate, "  ", None);
    }
    if let Some(h) = &d.http {
        if h.status != 200 {
            out.push_str(&format!(
                "s3 answers {}{}\n",
                h.status,
                h.code.map(|c| format!(" {c}")).unwrap_or_default()
            ));
        }
    }
    out
}

/// The deciding reason in one line, dependent checks included (for hovers and the
/// conformance runner).
pub fn one_line(d: &Decision, req: &Request, locate: Locate<'_>) -> String {
    if d.trace.outcome.is_allow() {
        // The request itself is allowed: the reason is the dependent request's.
        if let Some(dep) = d.dependent.iter().find(|x| !x.outcome.is_allow()) {
            return format!(
                "the `{}` it makes on the key is {}",
                dep.action,
                summary(&dep.trace, Some(&dep.request), locate)
            );
        }
    }
    let mut s = summary(&d.trace, Some(req), locate);
    for dep in d.dependent.iter().filter(|x| !x.outcome.is_allow()) {
        s.push_str(&format!(
            "; dependent `{}`: {}",
            dep.action,
            summary(&dep.trace, Some(&dep.request), locate)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, PolicySet, PrincipalId, compile_text, evaluate};
    use latch_syntax::policy::PolicyKind;

    fn locate(r: &PolicyRef, s: Span) -> String {
        format!("{}@{}", r.label, s.start)
    }

    fn request(ctx: &[(&str, &str)]) -> Request {
        let mut c = Context::new();
        for (k, v) in ctx {
            c.insert(k, vec![v.to_string()]);
        }
        Request::new(
            PrincipalId::parse("arn:aws:iam::111122223333:user/alice"),
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            c,
        )
    }

    const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"FromOffice","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;

    #[test]
    fn condition_failures_name_the_key_the_value_and_the_operator() {
        let set = PolicySet {
            identity: vec![compile_text(
                "iam/alice.json",
                PolicyKind::Identity,
                IDENTITY,
            )],
            ..PolicySet::default()
        };
        let absent = request(&[]);
        let d = evaluate(&set, &absent);
        let text = explain(&d, &absent, &locate);
        assert!(text.starts_with("decision: implicit deny\nimplicitly denied: no statement allows `s3:GetObject` on `arn:aws:s3:::b/k`\n"), "{text}");
        assert!(text.contains("Allow statement `FromOffice` does not apply: `aws:SourceIp` is absent from the request and `IpAddress` (`10.0.0.0/8`) is false for a missing key [iam/alice.json@"), "{text}");
        let outside = request(&[("aws:SourceIp", "203.0.113.9")]);
        let d = evaluate(&set, &outside);
        let text = explain(&d, &outside, &locate);
        assert!(
            text.contains(
                "`aws:SourceIp` is `203.0.113.9`, which matches no value of `IpAddress` (`10.0.0.0/8`)"
            ),
            "{text}"
        );
        let inside = request(&[("aws:SourceIp", "10.1.2.3")]);
        let d = evaluate(&set, &inside);
        assert_eq!(
            one_line(&d, &inside, &locate),
            "allowed by statement `FromOffice` of the identity policy (iam/alice.json@44)"
        );
    }

    #[test]
    fn a_pattern_that_fails_is_shown_beside_the_request_value() {
        let set = PolicySet {
            identity: vec![compile_text(
                "iam/jane.json",
                PolicyKind::Identity,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-analytics-export/*"}]}"#,
            )],
            ..PolicySet::default()
        };
        let mut r = request(&[]);
        r.resource = "arn:aws:s3:::example-analytics-exports/q3.csv".into();
        let d = evaluate(&set, &r);
        let text = explain(&d, &r, &locate);
        assert!(
            text.contains("`arn:aws:s3:::example-analytics-exports/q3.csv` is not matched by `Resource` `arn:aws:s3:::example-analytics-export/*`"),
            "{text}"
        );
    }

    #[test]
    fn org_levels_are_named_as_the_workspace_names_them() {
        let deny_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
        let set = PolicySet {
            identity: vec![compile_text("i", PolicyKind::Identity, IDENTITY)],
            scp: vec![vec![compile_text(
                "org/ec2-only.json",
                PolicyKind::Scp,
                deny_all,
            )]],
            scp_names: vec!["ou-sandbox".into()],
            ..PolicySet::default()
        };
        let r = request(&[("aws:SourceIp", "10.1.2.3")]);
        let d = evaluate(&set, &r);
        let text = explain(&d, &r, &locate);
        assert!(
            text.contains("no service control policy at level `ou-sandbox` allows `s3:GetObject`"),
            "{text}"
        );
        assert!(
            text.contains("service control policy at level `ou-sandbox` `org/ec2-only.json`:"),
            "{text}"
        );
        assert!(!text.contains("level 1"), "{text}");
    }

    #[test]
    fn messages_are_lower_case_without_final_period() {
        let set = PolicySet {
            identity: vec![compile_text("i", PolicyKind::Identity, IDENTITY)],
            boundary: Some(compile_text(
                "b",
                PolicyKind::Boundary,
                r#"{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}"#,
            )),
            ..PolicySet::default()
        };
        let r = request(&[("aws:SourceIp", "10.1.2.3")]);
        let d = evaluate(&set, &r);
        let line = one_line(&d, &r, &locate);
        assert_eq!(
            line,
            "implicitly denied: the permissions boundary does not allow it (b@0)"
        );
        for l in explain(&d, &r, &locate).lines() {
            let first = l.trim_start().chars().next().unwrap_or('a');
            assert!(
                !first.is_uppercase()
                    || l.trim_start().starts_with("Allow")
                    || l.trim_start().starts_with("Deny"),
                "{l}"
            );
            assert!(!l.ends_with('.'), "{l}");
        }
    }
}
