//! One decided intent and what every check needs to report on it: the request, the
//! decision, where the intent comes from, and what an uncertain decision turns on. The
//! parts all checks share live here (the message, related locations, the dispatch from a
//! decision's blocker to the check that reports it); each check's own logic lives in its
//! file under `checks/`.

use crate::access::prelude::*;

pub(crate) struct Ctx<'a> {
    pub(crate) ws: &'a Workspace,
    pub(crate) ix: &'a Index,
    pub(crate) intent: &'a Intent,
    pub(crate) req: &'a Request,
    pub(crate) decision: &'a Decision,
    pub(crate) src: &'a Loc,
    pub(crate) scp_first: &'a [Arc<PolicyEntry>],
    pub(crate) rcp_first: &'a [Arc<PolicyEntry>],
    /// Set when the request is denied only for some values of facts the workspace does
    /// not state: findings are then warnings worded with those facts.
    pub(crate) depends: Option<&'a Depends>,
}

/// What a decision that depends on unknown facts turns on.
pub(crate) struct Depends {
    /// Each fact in words, from the request's side ("`aws:PrincipalOrgID` is `o-...`").
    pub(crate) conditions: Vec<String>,
    /// The context keys involved, lower-cased.
    pub(crate) keys: Vec<String>,
    /// The caller's identity policies are not in the workspace.
    pub(crate) identity: bool,
}

impl Depends {
    /// "allowed only if A and B".
    pub(crate) fn only_if(&self) -> String {
        format!("allowed only if {}", self.conditions.join(" and "))
    }

    /// What settles the facts: "`[organization]` in `latch.toml` settles it".
    pub(crate) fn settle(&self) -> Option<String> {
        let mut settle: Vec<&str> = Vec::new();
        for k in &self.keys {
            let s = facts::settled_by(k);
            if !settle.contains(&s) {
                settle.push(s);
            }
        }
        if self.identity {
            settle.push("a `[[principal]]` in `latch.toml` with the caller's policies settles it");
        }
        (!settle.is_empty()).then(|| settle.join("; "))
    }
}

/// The headline verb of a finding that rests on facts the workspace does not state:
/// "blocks" becomes "may block".
fn uncertain(what: &str) -> String {
    for (certain, maybe) in [
        (" blocks ", " may block "),
        (" has no effect for ", " may have no effect for "),
        (" does not allow ", " may not allow "),
        (" does not let ", " may not let "),
        (" cannot ", " may not "),
        (" do not allow ", " may not allow "),
        (" is denied for ", " may be denied for "),
    ] {
        if what.contains(certain) || what.ends_with(certain.trim_end()) {
            return what.replacen(certain.trim_end(), maybe.trim_end(), 1);
        }
    }
    what.to_string()
}

impl Ctx<'_> {
    pub(crate) fn locate(&self) -> impl Fn(&PolicyRef, Span) -> String + '_ {
        move |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(self.ws, &r.label, s.start))
    }

    /// The engine's reason in one line. When the request itself is allowed and a
    /// dependent KMS request is not, the reason is the dependent one's.
    pub(crate) fn because(&self) -> String {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        let d = self.decision;
        if d.trace.outcome.is_allow() {
            if let Some(dep) = d.dependent.iter().find(|x| !x.outcome.is_allow()) {
                return format!(
                    "the `{}` it makes on the key is {}",
                    dep.action,
                    render::summary(&dep.trace, Some(&dep.request), l)
                );
            }
        }
        render::one_line(d, self.req, l)
    }

    /// The reason a Deny statement gives: that statement and the conditions that held
    /// for the request, never another deciding statement.
    pub(crate) fn because_of(&self, t: &Trace, r: StmtRef) -> String {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        let main = std::ptr::eq(t, &self.decision.trace);
        let dep = self
            .decision
            .dependent
            .iter()
            .find(|x| std::ptr::eq(&x.trace, t));
        let req = dep.map_or(self.req, |x| &x.request);
        let reason = render::deny_reason(t, r, Some(req), l);
        match dep {
            Some(x) if !main => format!("the `{}` it makes on the key is {reason}", x.action),
            _ => reason,
        }
    }

    /// The other Deny statements that decide the request, as notes.
    pub(crate) fn also_denied(&self, but: Option<(&Trace, StmtRef)>) -> Vec<String> {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        self.deciding_refs()
            .into_iter()
            .filter(|(t, _)| t.outcome == Outcome::ExplicitDeny)
            .filter(|(t, r)| but.is_none_or(|(bt, br)| !(std::ptr::eq(*t, bt) && *r == br)))
            .map(|(t, r)| {
                let req = self
                    .decision
                    .dependent
                    .iter()
                    .find(|x| std::ptr::eq(&x.trace, t))
                    .map_or(self.req, |x| &x.request);
                format!(
                    "also denied by {}",
                    render::statement_place(t, r, Some(req), l)
                )
            })
            .collect()
    }

    pub(crate) fn full_trace(&self) -> String {
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        render::explain(self.decision, self.req, l)
    }

    /// The declared intent and the deciding statements, as related locations.
    pub(crate) fn related(&self) -> Vec<(Loc, String)> {
        let mut out = Vec::new();
        if let IntentSource::Expect(i) = &self.intent.source {
            if let Some(e) = self.ix.expects.get(*i) {
                out.push((e.loc.clone(), "the declared intent".to_string()));
            }
        }
        // The deciding statements point at themselves.
        for (t, r) in self.deciding_refs() {
            if let Some(loc) = stmt_loc(self.ix, t, r) {
                out.push((loc, "a deciding statement".to_string()));
            }
        }
        out
    }

    /// Every document of the decision, as related locations after [`Ctx::related`].
    pub(crate) fn takes_part(&self) -> Vec<(Loc, String)> {
        let mut out: Vec<(Loc, String)> = Vec::new();
        let mut add = |t: &Trace| {
            for p in &t.policies {
                if p.not_applicable.is_some() {
                    continue;
                }
                let Some(e) = self.ix.entry_of(&p.policy) else {
                    continue;
                };
                let span = e.policy().span;
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
        out
    }

    pub(crate) fn deciding_refs(&self) -> Vec<(&Trace, StmtRef)> {
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

    /// Marks the values the simulation made up: an inferred request's object key that
    /// stands for a wildcard, and a key ARN Terraform only knows after apply.
    pub(crate) fn mark_stand_ins(&self, text: &mut String) {
        if let Some(pattern) = self.representative_of() {
            let quoted = format!("`{}`", self.intent.resource);
            let marked = format!(
                "{quoted} (a representative {} of `{pattern}`)",
                if self.intent.resource.contains('/') {
                    "object key"
                } else {
                    "value"
                }
            );
            *text = mark_once_each(text, &quoted, &marked);
        }
        for k in self.ix.keys.iter().filter(|k| k.stand_in) {
            let quoted = format!("`{}`", k.arn);
            let marked = format!("{quoted} (a stand-in: the key's ARN is known after apply)");
            *text = mark_once_each(text, &quoted, &marked);
        }
    }

    /// The pattern of the implying statement when the intent's resource stands for it
    /// (a wildcard made concrete), `None` when the resource is written as it is.
    pub(crate) fn representative_of(&self) -> Option<String> {
        let IntentSource::Statement { policy, statement } = &self.intent.source else {
            return None;
        };
        let res = policy
            .policy()
            .statements
            .get(*statement)?
            .resource
            .as_ref()?;
        if res.values.iter().any(|v| v.value == self.intent.resource) {
            return None;
        }
        res.values
            .iter()
            .find(|v| crate::intents::representative(&v.value) == self.intent.resource)
            .map(|v| v.value.to_string())
    }

    /// The request as a headline names it.
    pub(crate) fn short(&self) -> ShortRequest {
        ShortRequest::new(&self.intent.principal, &self.intent.action)
    }

    /// How the headline names the statement the intent comes from: "Allow `Sid`" (or
    /// "Allow #2" without a `Sid`), or "the declared intent" for an `[[expect]]` whose
    /// finding is on its header.
    pub(crate) fn grant(&self) -> String {
        self.statement_at(self.src)
            .unwrap_or_else(|| "the declared intent".to_string())
    }

    /// "Allow `X` has no effect for", or "the declared intent is denied for".
    pub(crate) fn no_effect(&self) -> String {
        match self.statement_at(self.src) {
            Some(s) => format!("{s} has no effect for"),
            None => "the declared intent is denied for".to_string(),
        }
    }

    /// "Allow `Sid`" / "Deny `Sid`" for the statement of the workspace at `loc`.
    pub(crate) fn statement_at(&self, loc: &Loc) -> Option<String> {
        self.ix.policies.iter().find_map(|e| {
            if e.path != loc.path {
                return None;
            }
            let (i, st) = e
                .policy()
                .statements
                .iter()
                .enumerate()
                .find(|(_, st)| st.span.start == loc.span.start)?;
            Some(statement_words(st, i))
        })
    }

    /// A finding on the decision of this intent: `what` is the headline before the
    /// requests ("Allow `X` has no effect for"), the reason is the engine's one line.
    pub(crate) fn draft(&self, code: &'static str, loc: Loc, what: &str, fixes: Vec<Fix>) -> Draft {
        self.draft_because(code, loc, what, self.because(), fixes)
    }

    /// A finding with its own reason (a Deny statement's conditions, say).
    pub(crate) fn draft_because(
        &self,
        code: &'static str,
        loc: Loc,
        what: &str,
        why: String,
        fixes: Vec<Fix>,
    ) -> Draft {
        // Denied whatever the unknowns are: an error. Denied only for some values of them:
        // a warning that names them.
        let (severity, what, notes, help) = match self.depends {
            None => (Severity::Error, what.to_string(), Vec::new(), None),
            Some(dep) => (
                Severity::Warning,
                uncertain(what),
                vec![match dep.settle() {
                    Some(settle) => format!("{}; {settle}", dep.only_if()),
                    None => dep.only_if(),
                }],
                None,
            ),
        };
        let mut why = why;
        let mut trace = self.full_trace();
        for t in [&mut why, &mut trace] {
            self.mark_stand_ins(t);
        }
        Draft {
            code,
            severity,
            loc,
            what,
            requests: vec![self.short()],
            why: Some(why),
            help,
            notes,
            trace: Some(trace),
            related: self.related(),
            takes_part: self.takes_part(),
            fixes,
        }
    }

    /// The request is denied: which check says why.
    pub(crate) fn denied(&self) -> Vec<Draft> {
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
    pub(crate) fn explicit_all(&self) -> Vec<Draft> {
        self.deciding_refs()
            .into_iter()
            .filter(|(t, _)| t.outcome == Outcome::ExplicitDeny)
            .filter_map(|(t, r)| self.explicit(t, r))
            .collect()
    }

    /// The check that reports a request a layer fails to allow, by the blocker.
    pub(crate) fn blocked(&self, b: &Blocker) -> Option<Draft> {
        match b {
            Blocker::Scp { level } | Blocker::Rcp { level } => self.org_level_not_allowed(b, level),
            Blocker::VpcEndpoint => self.vpce_policy(),
            Blocker::Boundary => self.boundary_not_allowed(),
            Blocker::SessionPolicy | Blocker::FederatedWithoutSessionPolicy => {
                self.session_not_allowed()
            }
            Blocker::RequesterPaysAnonymous | Blocker::RequesterPaysHeader => self.requester_pays(),
            Blocker::ResourcePolicyRequired => self
                .bucket_acl()
                .or_else(|| crate::checks::access::resource_grant_missing::report(self)),
            // Only the partner's own policies can grant it: information, not a problem of
            // this workspace.
            Blocker::IdentityRequired | Blocker::NoAllow
                if self.ix.principal(&self.intent.principal).is_none()
                    && self.depends.is_some_and(|d| d.identity) =>
            {
                self.partner_identity()
            }
            Blocker::IdentityRequired | Blocker::NoAllow if self.identity_unknown() => None,
            Blocker::IdentityRequired | Blocker::NoAllow => self.identity_missing(),
            Blocker::KeyPolicy
            | Blocker::KeyPolicyUnknown
            | Blocker::DelegationWithoutIdentityAllow
            | Blocker::KmsCrossAccountOperation => self.kms_on_key(b),
            _ => None,
        }
    }

    /// Whether the caller has identity policies the workspace does not hold.
    pub(crate) fn identity_unknown(&self) -> bool {
        match self.ix.principal(&self.intent.principal) {
            Some(p) => p.identity_unknown,
            None => self.intent.principal != "anonymous",
        }
    }

    /// The correction of an Allow of `layers` whose pattern nearly names the request,
    /// in the main trace.
    /// The fix, and the note that says which pattern nearly matches.
    pub(crate) fn near_miss(&self, layers: &[Layer]) -> (Vec<Fix>, Vec<String>) {
        match near_miss_fix(self.ws, self.ix, &self.decision.trace, self.req, layers) {
            Some((fix, note)) => {
                let mut note = note;
                self.mark_stand_ins(&mut note);
                (vec![fix], vec![note])
            }
            None => (Vec::new(), Vec::new()),
        }
    }

    /// A statement appended to the caller's first identity policy.
    pub(crate) fn identity_fix(&self, action: &str, resource: &str) -> Vec<Fix> {
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

    pub(crate) fn same_account(&self, resource: &str) -> bool {
        let acct = resource.split(':').nth(4).unwrap_or_default();
        self.req.principal.account() == Some(acct)
    }
}

/// `text` with every `quoted` followed by `marked`'s addition, where it is not already.
fn mark_once_each(text: &str, quoted: &str, marked: &str) -> String {
    if !text.contains(quoted) || text.contains(marked) {
        return text.to_string();
    }
    text.replace(quoted, marked)
}
