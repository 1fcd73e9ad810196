//! What hovers show about a statement: whom a Deny blocks today and which Allows it
//! overrides, whom an Allow lets through.

use crate::access::prelude::*;

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

pub(crate) fn deny_report_in(
    ws: &Workspace,
    ix: &Index,
    path: &str,
    statement: Span,
) -> Option<DenyReport> {
    let (entry, si) = ix.policies.iter().find_map(|e| {
        if &*e.path != path {
            return None;
        }
        let i = e
            .policy()
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
                .policy()
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
