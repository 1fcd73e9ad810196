//! The workspace simulation: every intent of every (sub-)workspace evaluated by the engine
//! across every policy that applies, and the bucket and distribution settings that make
//! AWS answer 403 whatever the policies say. Reports the cross-document checks
//! (`access/*`, `cloudfront/*`, `s3/*`): on the statement or setting that causes the
//! problem, naming the blocked request, with the engine's trace rendered (never
//! re-derived) and related locations for every document that takes part; fixes are edits
//! in the syntax of the file they touch, possibly another file than the finding's.
//!
//! Choices a reader should know:
//! - A finding is short: a headline naming the statement, the effect and the requests in
//!   short form ("Deny `X` blocks user/tester: s3:GetObject"), then `why` (the deciding
//!   reason, once: for a Deny, that Deny and the conditions that held), `help`, `notes`
//!   (other Denies that decide too, what an uncertain decision turns on, a near miss) and
//!   the whole `trace`, kept apart from the headline.
//! - One finding per code and place: a statement whose several intents fail is reported
//!   once, its headline naming every blocked request and its reason and trace the first
//!   one's.
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
//! - [`Cache`]: per sub-workspace root, policy entries are compiled once per file revision
//!   (or module analysis), and each intent's findings are reused while the policies and S3
//!   settings of its decision are the same ones (compared by identity), so an edit
//!   re-decides only the intents that the edited file takes part in. A root none of whose
//!   inputs changed is not simulated at all (`Workspace::analyze` keeps its findings).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use latch_eval::CompiledPolicy;
use latch_syntax::finding::{Finding, Fix, Related, Severity};
use latch_syntax::span::Span;

mod buckets;
mod ctx;
pub mod facts;
mod fix;
pub mod graph;
pub mod index;
pub mod intents;
mod report;
mod run;
pub mod who;

pub(crate) use ctx::Ctx;
pub(crate) use facts::request_of;
pub use fix::append_fix;
pub(crate) use fix::{resource_pattern, sid_word};
pub use report::{AllowReport, DenyReport, allow_report, deny_report};
pub use run::policy_set;
use run::simulate;
pub use who::{
    AccessSummary, ActionAccess, ActionSet, Location, PrincipalAccess, ResourceAccess, WhoDecision,
    WhoOptions, Zone, access_summaries, access_summary, can_what, expand_actions,
    stand_in_provider, who_can, who_can_with,
};

use crate::workspace::{ModuleAnalysis, Workspace};
use index::{Index, Loc};

/// What the files of the simulation and the checks' `report` functions share.
pub(crate) mod prelude {
    pub(crate) use std::sync::Arc;

    pub(crate) use latch_eval::render::{self, Locate};
    pub(crate) use latch_eval::{
        Basis, Blocker, Certainty, CompiledPolicy, Context, Decision, Layer, ObjectOwnership,
        Outcome, PolicyRef, PolicySet, PrincipalId, Request, S3Facts, StmtRef, Trace, VpcEndpoint,
        evaluate, evaluate_open,
    };
    pub(crate) use latch_syntax::finding::{Edit, Fix, Severity};
    pub(crate) use latch_syntax::json::{Value, ValueKind, json_string};
    pub(crate) use latch_syntax::manifest::ExpectedDecision;
    pub(crate) use latch_syntax::policy::{Effect, PrincipalValue, Statement};
    pub(crate) use latch_syntax::span::Span;
    pub(crate) use latch_syntax::terraform::edit as tf_edit;

    pub(crate) use super::buckets::*;
    pub(crate) use super::ctx::*;
    pub(crate) use super::facts::{self, request_of};
    pub(crate) use super::fix::*;
    pub(crate) use super::run::*;
    pub(crate) use super::{DecisionCache, Draft, ShortRequest, index_for, line_of};
    pub(crate) use crate::index::{self, BucketInfo, Index, Loc, PolicyEntry, PolicyOrigin};
    pub(crate) use crate::intents::{Intent, IntentSource, intents};
    pub(crate) use crate::workspace::Workspace;
}

/// What the simulation keeps between analyses, per sub-workspace root: the policy entries
/// of unchanged files (compiled once), and the findings of each intent with the policies
/// they were decided on, reused while those are the same.
#[derive(Default)]
pub struct Cache {
    roots: Mutex<HashMap<String, (index::EntryCache, DecisionCache)>>,
}

pub(crate) type DecisionCache = HashMap<String, (Vec<Arc<CompiledPolicy>>, String, Vec<Draft>)>;

/// One finding before it is merged with the others of its code at the same place.
#[derive(Clone)]
pub(crate) struct Draft {
    pub(crate) code: &'static str,
    pub(crate) severity: Severity,
    pub(crate) loc: Loc,
    /// The headline before the requests it names ("Deny `X` blocks"), or the whole
    /// headline when `requests` is empty.
    pub(crate) what: String,
    /// The requests the headline names, in short form.
    pub(crate) requests: Vec<ShortRequest>,
    pub(crate) why: Option<String>,
    pub(crate) help: Option<String>,
    pub(crate) notes: Vec<String>,
    pub(crate) trace: Option<String>,
    /// The places a reader goes to first (the intent, the deciding statements, the key
    /// policy).
    pub(crate) related: Vec<(Loc, String)>,
    /// Every other document of the decision, listed after `related`.
    pub(crate) takes_part: Vec<(Loc, String)>,
    pub(crate) fixes: Vec<Fix>,
}

impl Draft {
    /// A finding whose headline says it all (the bucket and distribution checks).
    pub(crate) fn plain(
        code: &'static str,
        severity: Severity,
        loc: Loc,
        headline: String,
    ) -> Draft {
        Draft {
            code,
            severity,
            loc,
            what: headline,
            requests: Vec::new(),
            why: None,
            help: None,
            notes: Vec::new(),
            trace: None,
            related: Vec::new(),
            takes_part: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub(crate) fn why(mut self, why: impl Into<String>) -> Draft {
        self.why = Some(why.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Draft {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn fixes(mut self, fixes: Vec<Fix>) -> Draft {
        self.fixes = fixes;
        self
    }

    /// Every text of the draft, for the rewrites that apply to all of them.
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        std::iter::once(&mut self.what)
            .chain(self.why.iter_mut())
            .chain(self.help.iter_mut())
            .chain(self.notes.iter_mut())
            .chain(self.trace.iter_mut())
            .chain(self.related.iter_mut().map(|(_, m)| m))
            .chain(self.takes_part.iter_mut().map(|(_, m)| m))
            .chain(self.requests.iter_mut().map(|r| &mut r.principal))
    }

    fn mentions(&self, needle: &str) -> bool {
        self.what.contains(needle)
            || self.why.as_deref().is_some_and(|w| w.contains(needle))
            || self.trace.as_deref().is_some_and(|w| w.contains(needle))
            || self
                .related
                .iter()
                .chain(self.takes_part.iter())
                .any(|(_, m)| m.contains(needle))
    }
}

/// A request as a headline names it: the caller's short name (`user/tester`,
/// `anonymous`) and the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ShortRequest {
    pub(crate) principal: String,
    pub(crate) action: String,
}

impl ShortRequest {
    pub(crate) fn new(principal: &str, action: &str) -> ShortRequest {
        ShortRequest {
            principal: short_principal(principal),
            action: action.to_string(),
        }
    }
}

/// `user/tester` for `arn:aws:iam::123456789012:user/tester`, `assumed-role/R/s` for a
/// session, `account 123456789012` for an account's root; service principals and `anonymous` as
/// they are.
pub(crate) fn short_principal(arn: &str) -> String {
    match latch_eval::arn::split_arn(arn) {
        Some(a) if matches!(a.service, "iam" | "sts") && a.resource == "root" => {
            format!("account {}", a.account)
        }
        Some(a) if matches!(a.service, "iam" | "sts") => a.resource.to_string(),
        _ => arn.to_string(),
    }
}

/// A concrete IAM role or user ARN (`arn:aws:iam::123456789012:role/Partner`): no
/// wildcard, no Terraform interpolation. A caller the workspace may not describe (a
/// partner), whose requests are simulated with its identity side unknown.
pub(crate) fn is_principal_arn(value: &str) -> bool {
    if value.contains("${") || value.contains(['*', '?']) {
        return false;
    }
    latch_eval::arn::split_arn(value).is_some_and(|a| {
        a.service == "iam"
            && a.region.is_empty()
            && latch_eval::arn::is_account_id(a.account)
            && (a.resource.starts_with("role/") || a.resource.starts_with("user/"))
    })
}

/// The most characters a headline takes before its request list is cut.
const HEADLINE_BUDGET: usize = 120;

/// `what principal: a1, a2; principal2: a3`, cut to about [`HEADLINE_BUDGET`] characters
/// (`and N more`).
pub(crate) fn compose_headline(what: &str, requests: &[ShortRequest]) -> String {
    if requests.is_empty() {
        return what.to_string();
    }
    // Requests grouped by caller, in order of appearance.
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in requests {
        match groups.iter_mut().find(|(p, _)| *p == r.principal) {
            Some((_, actions)) => {
                if !actions.contains(&r.action.as_str()) {
                    actions.push(&r.action);
                }
            }
            None => groups.push((&r.principal, vec![&r.action])),
        }
    }
    let total: usize = groups.iter().map(|(_, a)| a.len()).sum();
    let mut out = what.to_string();
    let mut shown = 0;
    for (gi, (p, actions)) in groups.iter().enumerate() {
        let sep = if gi == 0 { " " } else { "; " };
        let head = format!("{sep}{p}: ");
        if gi > 0 && out.chars().count() + head.len() + actions[0].len() > HEADLINE_BUDGET {
            break;
        }
        out.push_str(&head);
        for (ai, a) in actions.iter().enumerate() {
            let piece = if ai == 0 {
                a.to_string()
            } else {
                format!(", {a}")
            };
            if ai > 0 && out.chars().count() + piece.len() > HEADLINE_BUDGET {
                break;
            }
            out.push_str(&piece);
            shown += 1;
        }
    }
    if shown < total {
        out.push_str(&format!(" and {} more", total - shown));
    }
    out
}

/// Drops the simulation caches of roots that are gone.
pub(crate) fn retain_roots(ws: &Workspace, roots: &[String]) {
    lock(&ws.access.roots).retain(|r, _| roots.contains(r));
}

/// Runs the simulation of the sub-workspace rooted at `root` and adds its findings to `out`.
/// `stand_ins` are the stand-in accounts of every module ([`facts::stand_ins`]).
pub(crate) fn run_root(
    ws: &Workspace,
    root: &str,
    roots: &[String],
    modules: &[Arc<ModuleAnalysis>],
    stand_ins: &[(String, String)],
    out: &mut BTreeMap<Arc<str>, Vec<Finding>>,
    cancelled: &dyn Fn() -> bool,
) -> bool {
    let (old_entries, old_decisions) = lock(&ws.access.roots).remove(root).unwrap_or_default();
    let mut new_entries = index::EntryCache::new();
    let mut new_decisions = DecisionCache::new();
    let (ix, key) = index_of_root(ws, root, roots, modules, &old_entries, &mut new_entries);
    let manifest_rev = key.as_ref().and_then(|k| ws.revision(k)).unwrap_or(0);
    let Some(drafts) = simulate(
        ws,
        &ix,
        manifest_rev,
        &old_decisions,
        &mut new_decisions,
        cancelled,
    ) else {
        // Given up: what was decided so far stays for the next run, beside what was
        // kept from the last one.
        let (mut entries, mut decisions) = (old_entries, old_decisions);
        entries.extend(new_entries);
        decisions.extend(new_decisions);
        lock(&ws.access.roots).insert(root.to_string(), (entries, decisions));
        return false;
    };
    let mut pending: Vec<Draft> = Vec::new();
    for mut d in drafts {
        if !stand_ins.is_empty() {
            for t in d.texts_mut() {
                facts::mark_stand_ins(t, stand_ins);
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
        // A finding in a module's file names the calls that make it.
        for m in modules {
            let Some(c) = &m.call else { continue };
            let inside = if c.child.is_empty() {
                !d.loc.path.contains('/')
            } else {
                d.loc.path.starts_with(&format!("{}/", c.child))
            };
            // Several calls of one folder: the call whose policies take part.
            let ours = d.mentions(&format!("`module.{}.", c.name));
            if inside && ours {
                d.related.push((
                    Loc {
                        path: c.site.0.clone(),
                        span: c.site.1,
                    },
                    format!("made by the call `module.{}`", c.name),
                ));
            }
        }
        merge(&mut pending, d);
    }
    for d in pending {
        let text = ws.text(&d.loc.path);
        let path = d.loc.path.clone();
        out.entry(path).or_default().push(finding_of(d, text));
    }
    lock(&ws.access.roots).insert(root.to_string(), (new_entries, new_decisions));
    true
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

/// Adds a draft to those of the run: one finding per code and place, whose headline
/// names every blocked request; the reason and the trace are the first one's.
fn merge(pending: &mut Vec<Draft>, d: Draft) {
    if let Some(f) = pending.iter_mut().find(|f| {
        f.code == d.code && f.loc.path == d.loc.path && f.loc.span.start == d.loc.span.start
    }) {
        for r in d.requests {
            if !f.requests.contains(&r) {
                f.requests.push(r);
            }
        }
        // What another request's decision turns on is not this finding's reason.
        for n in d.notes {
            if !f.notes.contains(&n) && !n.starts_with("allowed only if") {
                f.notes.push(n);
            }
        }
        for fix in d.fixes {
            if !f.fixes.iter().any(|x| x.title == fix.title) {
                f.fixes.push(fix);
            }
        }
        return;
    }
    pending.push(d);
}

/// The finding a merged draft becomes.
fn finding_of(d: Draft, text: Option<&str>) -> Finding {
    let mut f = Finding::new(
        d.code,
        d.severity,
        headline_range(text, d.loc.span),
        compose_headline(&d.what, &d.requests),
    );
    f.path = d.loc.path.clone();
    f.why = d.why;
    f.help = d.help;
    f.notes = d.notes;
    f.trace = d.trace;
    // One entry per place (a policy is named once, where it starts).
    let mut seen: Vec<(Arc<str>, usize)> = vec![(d.loc.path.clone(), d.loc.span.start)];
    for (loc, message) in d.related.into_iter().chain(d.takes_part) {
        let key = (loc.path.clone(), loc.span.start);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        f.related.push(Related {
            path: Some(loc.path),
            range: loc.span,
            message,
        });
    }
    f.fixes = d.fixes;
    f
}

/// 1-based line of a byte offset in a workspace file.
pub(crate) fn line_of(ws: &Workspace, path: &str, offset: usize) -> usize {
    ws.text(path)
        .and_then(|t| t.get(..offset))
        .map_or(1, |t| t.matches('\n').count() + 1)
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
    let old = lock(&ws.access.roots)
        .get(root)
        .map(|(e, _)| e.clone())
        .unwrap_or_default();
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
pub(crate) fn index_for(ws: &Workspace, path: &str) -> Index {
    let roots = index::roots(ws);
    index_at(ws, index::root_of(&roots, path))
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
        assert!(
            f.why
                .as_deref()
                .is_some_and(|w| w.contains("implicitly denied")),
            "{:?}",
            f.why
        );
    }

    /// An identity Allow whose bucket name is one letter off: the fix corrects that
    /// pattern where it is written (both values naming the bucket), not a new statement,
    /// and applying it clears the finding.
    #[test]
    fn a_near_miss_pattern_is_corrected_where_it_is() {
        let fixture = r#"//- latch.toml
[accounts]
storage = "444455556666"

[[principal]]
arn = "arn:aws:iam::444455556666:user/Jane"
policies = ["iam/jane.json"]

[[bucket]]
name = "example-analytics-exports"
account = "storage"

[[expect]]
principal = "arn:aws:iam::444455556666:user/Jane"
action = ["s3:GetObject", "s3:ListBucket"]
resource = "arn:aws:s3:::example-analytics-exports/reports/q3.csv"
decision = "allow"
//- iam/jane.json
{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::example-analytics-export", "arn:aws:s3:::example-analytics-export/*"]}]}
"#;
        let mut ws = workspace_from_fixture(fixture);
        let a = ws.analyze();
        let f = a
            .all()
            .find(|f| f.code == "access/identity-missing")
            .expect("an identity-missing finding")
            .clone();
        assert_eq!(f.fixes.len(), 1, "{:?}", f.fixes);
        let fix = &f.fixes[0];
        assert!(
            fix.title.starts_with(
                "correct `example-analytics-export` to `example-analytics-exports` in `Resource` of Allow `Read`"
            ),
            "{}",
            fix.title
        );
        assert_eq!(fix.edits.len(), 2, "{:?}", fix.edits);
        assert!(
            f.notes.iter().any(|n| n.contains("a near miss")),
            "{:?}",
            f.notes
        );
        let text = ws.text("iam/jane.json").expect("policy").to_string();
        let edits: Vec<_> = fix.edits.iter().collect();
        let (fixed, skipped) = latch_syntax::finding::apply_edits(&text, &edits);
        assert_eq!(skipped, 0);
        assert!(
            fixed.contains(r#""arn:aws:s3:::example-analytics-exports/*""#),
            "{fixed}"
        );
        ws.set_file("iam/jane.json", fixed.as_bytes());
        let after = ws.analyze();
        assert!(
            !after.all().any(|f| f.code.starts_with("access/")),
            "{:?}",
            after.all().map(|f| &f.message).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_principal_arn_is_a_concrete_role_or_user() {
        use super::is_principal_arn;
        assert!(is_principal_arn("arn:aws:iam::999988887777:role/Partner"));
        assert!(is_principal_arn(
            "arn:aws-cn:iam::999988887777:user/path/jane"
        ));
        for not in [
            "arn:aws:iam::999988887777:root",
            "arn:aws:iam::999988887777:role/*",
            "arn:aws:iam::999988887777:role/Partner?",
            "arn:aws:iam::${var.account}:role/Partner",
            "arn:aws:iam::999988887777:role/${var.name}",
            "arn:aws:iam:us-east-1:999988887777:role/Partner",
            "arn:aws:sts::999988887777:assumed-role/R/s",
            "arn:aws:iam::9999:role/Partner",
            "999988887777",
        ] {
            assert!(!is_principal_arn(not), "{not}");
        }
    }

    #[test]
    fn a_headline_groups_requests_by_caller_and_is_cut_with_a_count() {
        use super::{ShortRequest, compose_headline, short_principal};
        assert_eq!(
            short_principal("arn:aws:iam::123456789012:user/tester"),
            "user/tester"
        );
        assert_eq!(
            short_principal("arn:aws:sts::123456789012:assumed-role/R/s"),
            "assumed-role/R/s"
        );
        assert_eq!(
            short_principal("arn:aws:iam::123456789012:root"),
            "account 123456789012"
        );
        assert_eq!(short_principal("anonymous"), "anonymous");
        let u = "arn:aws:iam::123456789012:user/tester";
        let r = "arn:aws:iam::123456789012:role/Developer";
        let reqs = vec![
            ShortRequest::new(u, "s3:GetObject"),
            ShortRequest::new(u, "s3:PutObject"),
            ShortRequest::new(r, "s3:GetObject"),
            ShortRequest::new(u, "s3:GetObject"),
        ];
        assert_eq!(
            compose_headline("Deny `X` blocks", &reqs),
            "Deny `X` blocks user/tester: s3:GetObject, s3:PutObject; role/Developer: s3:GetObject"
        );
        let many: Vec<ShortRequest> = (0..30)
            .map(|i| ShortRequest::new(u, &format!("s3:Action{i}")))
            .collect();
        let h = compose_headline("Deny `X` blocks", &many);
        assert!(h.chars().count() <= 135, "{h}");
        assert!(h.ends_with(" more"), "{h}");
    }
}
