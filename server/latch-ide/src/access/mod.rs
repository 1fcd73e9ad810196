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
    pub(crate) use super::{DecisionCache, Draft, index_for, line_of};
    pub(crate) use crate::index::{self, BucketInfo, Index, Loc, PolicyEntry, PolicyOrigin};
    pub(crate) use crate::intents::{Intent, IntentSource, intents};
    pub(crate) use crate::workspace::Workspace;
}

/// What the simulation keeps between analyses: the policy entries of unchanged files
/// (compiled once), and the findings of each intent with the policies they were decided
/// on, reused while those are the same.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<index::EntryCache>,
    decisions: Mutex<DecisionCache>,
}

pub(crate) type DecisionCache = HashMap<String, (Vec<Arc<CompiledPolicy>>, String, Vec<Draft>)>;

/// One finding before its messages are merged with others at the same place.
#[derive(Clone)]
pub(crate) struct Draft {
    /// Bytes of `message` before the blocked request (the check's own words), left out
    /// when the request is added to another finding at the same place.
    pub(crate) head: usize,
    pub(crate) code: &'static str,
    pub(crate) severity: Severity,
    pub(crate) loc: Loc,
    pub(crate) message: String,
    pub(crate) related: Vec<(Loc, String)>,
    pub(crate) fixes: Vec<Fix>,
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
            // A finding in a module's file names the calls that make it.
            for m in modules {
                let Some(c) = &m.call else { continue };
                let inside = if c.child.is_empty() {
                    !d.loc.path.contains('/')
                } else {
                    d.loc.path.starts_with(&format!("{}/", c.child))
                };
                // Several calls of one folder: the call whose policies take part.
                let named = |t: &str| t.contains(&format!("`module.{}.", c.name));
                let ours = named(&d.message) || d.related.iter().any(|(_, m)| named(m));
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
        assert!(f.message.contains("implicitly denied"), "{}", f.message);
    }
}
