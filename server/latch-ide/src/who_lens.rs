//! Code lenses and hovers on buckets, keys and roles: who can read and write a bucket or
//! use a key ("read by 3 · written by 1 · external: 999988887777"), and what a role can
//! reach, from the who-can simulation ([`crate::access::who`]). A lens sits on the
//! resource's Terraform block or `latch.toml` entry, or at the top of the JSON file that is its policy (a bucket
//! policy, a key policy, a role's identity policy); its command shows the who-can table,
//! which the hover on a bucket or key ARN in a policy also shows.
//!
//! Pure, and computed per file on demand: the language server caches the lenses of a file
//! per analysis generation.

use std::sync::Arc;

use latch_syntax::Span;

use crate::access::{self, ActionSet, PrincipalAccess, WhoDecision, Zone, who::principal_account};
use crate::index;
use crate::nav::{self, Entity};
use crate::workspace::Workspace;

/// The command a lens runs: shows the who-can table of `resource`.
pub const WHO_CAN_COMMAND: &str = "latch.whoCan";

/// One lens: where it goes, what it says, and the bucket, key or role it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessLens {
    pub path: Arc<str>,
    pub range: Span,
    pub title: String,
    /// The bucket (`arn:aws:s3:::name`), key or principal ARN.
    pub subject: String,
}

/// The actions a lens counts and the table shows, and the resource they are asked on.
fn question(subject: &str) -> Option<(Vec<String>, String, &'static [&'static str])> {
    if let Some(bucket) = subject.strip_prefix("arn:aws:s3:::") {
        let bucket = bucket.split('/').next().unwrap_or(bucket);
        return Some((
            vec!["s3:GetObject".into(), "s3:PutObject".into()],
            format!("arn:aws:s3:::{bucket}/*"),
            &["s3:GetObject"],
        ));
    }
    if subject.contains(":kms:") {
        return Some((
            vec![
                "kms:Decrypt".into(),
                "kms:Encrypt".into(),
                "kms:GenerateDataKey".into(),
            ],
            subject.to_string(),
            &["kms:Decrypt"],
        ));
    }
    None
}

/// The index of the sub-workspace that describes `subject` (else the root's).
fn index_of(ws: &Workspace, subject: &str) -> index::Index {
    let roots = index::roots(ws);
    let mut first = None;
    for root in &roots {
        let ix = access::index_at(ws, root);
        if ix.bucket_of(subject).is_some()
            || ix.key(subject).is_some()
            || ix.principal(subject).is_some()
        {
            return ix;
        }
        first.get_or_insert(ix);
    }
    first.unwrap_or_default()
}

/// Who can read and write `subject` (a bucket or key ARN), and the zone of trust.
fn decide(ws: &Workspace, subject: &str) -> Option<(Vec<PrincipalAccess>, Zone, String)> {
    let (actions, resource, _) = question(subject)?;
    let ix = index_of(ws, subject);
    let zone = Zone::of(&ix);
    Some((access::who_can(ws, &actions, &resource), zone, resource))
}

fn outside(p: &PrincipalAccess, zone: &Zone) -> bool {
    match principal_account(&p.principal) {
        Some(acct) => !zone.contains(acct),
        None => p.principal == "*",
    }
}

/// How the engine words the one unknown of a caller the workspace does not describe.
const OWN_POLICIES: &str = "the caller's own identity policies";

/// How a decision reads in a lens or table: a caller outside the workspace whose only
/// unknown is its own identity policies is allowed "only if its own policies allow".
fn words(p: &PrincipalAccess, d: WhoDecision) -> String {
    match d {
        WhoDecision::Allow => "allow".into(),
        WhoDecision::Denied => "denied".into(),
        WhoDecision::Depends
            if !p.in_workspace && p.conditions.iter().all(|c| c.starts_with(OWN_POLICIES)) =>
        {
            "only if its own policies allow".into()
        }
        WhoDecision::Depends => "depends".into(),
    }
}

/// The lens line of a bucket or key.
fn resource_title(subject: &str, who: &[PrincipalAccess], zone: &Zone) -> String {
    let Some((_, _, read)) = question(subject) else {
        return String::new();
    };
    let can = |p: &PrincipalAccess, reading: bool| {
        p.actions
            .iter()
            .any(|a| read.contains(&a.action.as_str()) == reading && a.decision.may_allow())
    };
    let readers = who.iter().filter(|p| can(p, true)).count();
    let writers = who.iter().filter(|p| can(p, false)).count();
    // For a key, reading is decrypting and writing is encrypting (as `access_summary`).
    let mut parts = vec![
        format!("read by {readers}"),
        format!("written by {writers}"),
    ];
    let mut external: Vec<String> = Vec::new();
    for p in who
        .iter()
        .filter(|p| p.decision.may_allow() && outside(p, zone))
    {
        let name = match principal_account(&p.principal) {
            Some(a) => a.to_string(),
            None => "public".to_string(),
        };
        let entry = match p.decision {
            WhoDecision::Allow => name,
            d => format!("{name} ({})", words(p, d)),
        };
        if !external.contains(&entry) {
            external.push(entry);
        }
    }
    if !external.is_empty() {
        parts.push(format!("external: {}", external.join(", ")));
    }
    parts.join(" · ")
}

/// The lens line of a role or user: what it can reach among the workspace's buckets and
/// keys.
fn principal_title(ws: &Workspace, arn: &str) -> String {
    let reach = access::can_what(
        ws,
        arn,
        &[ActionSet::S3Read, ActionSet::S3Write, ActionSet::KmsUse],
        false,
    );
    let count = |set: ActionSet| {
        reach
            .iter()
            .filter(|r| {
                r.actions
                    .iter()
                    .any(|a| set.actions().contains(&a.action.as_str()) && a.decision.may_allow())
            })
            .count()
    };
    let buckets = |n: usize| if n == 1 { "bucket" } else { "buckets" };
    let (read, write, keys) = (
        count(ActionSet::S3Read),
        count(ActionSet::S3Write),
        count(ActionSet::KmsUse),
    );
    format!(
        "reads {read} {} · writes {write} {} · uses {keys} {}",
        buckets(read),
        buckets(write),
        if keys == 1 { "key" } else { "keys" }
    )
}

/// The lenses of `path` with their titles: [`lens_places`] and [`lens_title`].
pub fn access_lenses(ws: &Workspace, path: &str) -> Vec<AccessLens> {
    let mut out = lens_places(ws, path);
    for l in &mut out {
        l.title = lens_title(ws, &l.subject);
    }
    out
}

/// The title of the lens on `subject` (a bucket, key or principal ARN): the who-can
/// simulation, tens of milliseconds on a large workspace, so an editor resolves the lenses
/// it shows.
pub fn lens_title(ws: &Workspace, subject: &str) -> String {
    match decide(ws, subject) {
        Some((who, zone, _)) => resource_title(subject, &who, &zone),
        None => principal_title(ws, subject),
    }
}

/// Where the lenses of `path` go, titles left empty (cheap): on each bucket, key, role and user its Terraform blocks or
/// `latch.toml` entries declare, and at the top of a JSON file that is a bucket's or key's
/// policy or a principal's identity policy.
pub fn lens_places(ws: &Workspace, path: &str) -> Vec<AccessLens> {
    let mut subjects: Vec<(Span, String)> = Vec::new();
    let Some(key) = ws.path_key(path) else {
        return Vec::new();
    };
    if path.ends_with(".tf") || path.ends_with(".tf.json") {
        for (entity, target) in nav::declarations_in(ws, path) {
            let subject = match entity {
                Entity::Bucket(name) => format!("arn:aws:s3:::{name}"),
                Entity::Key(arn) | Entity::Principal(arn) => arn,
                Entity::Account(_) => continue,
            };
            // On the block's first line.
            subjects.push((Span::new(target.range.start, target.selection.end), subject));
        }
    } else if path.ends_with("latch.toml") {
        // On the header line of each `[[bucket]]`, `[[key]]` and `[[principal]]`.
        let text = ws.text(path).unwrap_or("");
        for (entity, target) in nav::declarations_in(ws, path) {
            let subject = match entity {
                Entity::Bucket(name) => format!("arn:aws:s3:::{name}"),
                Entity::Key(arn) | Entity::Principal(arn) => arn,
                Entity::Account(_) => continue,
            };
            let start = target.range.start;
            let end = text
                .get(start..target.range.end)
                .and_then(|t| t.find('\n'))
                .map_or(target.range.end, |i| start + i);
            subjects.push((Span::new(start, end), subject));
        }
    } else if path.ends_with(".json") {
        // Only the document's span: kept in a lean summary too.
        let Some(doc) = ws.stored_summary(path).and_then(|s| s.policies.first()) else {
            return Vec::new();
        };
        let top = Span::new(doc.tree.span.start, doc.tree.span.start + 1);
        let roots = index::roots(ws);
        let ix = access::index_at(ws, index::root_of(&roots, path));
        let is_here =
            |e: &Option<Arc<index::PolicyEntry>>| e.as_ref().is_some_and(|p| &*p.path == path);
        for b in &ix.buckets {
            if is_here(&b.policy) {
                subjects.push((top, format!("arn:aws:s3:::{}", b.name)));
            }
        }
        for k in &ix.keys {
            if is_here(&k.policy) {
                subjects.push((top, k.arn.clone()));
            }
        }
        for p in &ix.principals {
            if p.identity.iter().any(|e| &*e.path == path) {
                subjects.push((top, p.arn.clone()));
            }
        }
    }
    let mut out: Vec<AccessLens> = Vec::new();
    for (range, subject) in subjects {
        if out.iter().any(|l| l.subject == subject && l.range == range) {
            continue;
        }
        out.push(AccessLens {
            path: key.clone(),
            range,
            title: String::new(),
            subject,
        });
    }
    out
}

/// The who-can table of a bucket or key (markdown), or of what a principal can reach.
/// `locate` turns a deciding statement into `path:line` text.
pub fn who_can_markdown(
    ws: &Workspace,
    subject: &str,
    locate: &dyn Fn(&str, Span) -> String,
) -> Option<String> {
    let Some((who, zone, resource)) = decide(ws, subject) else {
        return principal_markdown(ws, subject, locate);
    };
    let (actions, _, _) = question(subject)?;
    let mut md = format!(
        "**Who can reach `{resource}`**: {}\n\n| principal | {} | decided by |\n|---|{}---|\n",
        resource_title(subject, &who, &zone),
        actions
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(actions.len()),
    );
    if who.is_empty() {
        md.push_str("| (nobody) |");
        md.push_str(&" |".repeat(actions.len() + 1));
        md.push('\n');
    }
    for p in &who {
        let mut name = format!("`{}`", p.principal);
        if outside(p, &zone) {
            name.push_str(" (external)");
        }
        let cells: Vec<String> = actions
            .iter()
            .map(|a| {
                p.actions
                    .iter()
                    .find(|x| &x.action == a)
                    .map_or_else(|| "—".to_string(), |x| words(p, x.decision))
            })
            .collect();
        let mut decided: Vec<String> = p.deciding.iter().map(|l| locate(&l.path, l.span)).collect();
        decided.dedup();
        let mut why = decided.join(", ");
        if !p.conditions.is_empty() {
            if !why.is_empty() {
                why.push_str("; ");
            }
            why.push_str(&format!("if {}", p.conditions.join(" and ")));
        }
        md.push_str(&format!(
            "| {name} | {} | {} |\n",
            cells.join(" | "),
            why.replace('|', "\\|")
        ));
    }
    Some(md)
}

fn principal_markdown(
    ws: &Workspace,
    arn: &str,
    locate: &dyn Fn(&str, Span) -> String,
) -> Option<String> {
    if !arn.starts_with("arn:") {
        return None;
    }
    let reach = access::can_what(
        ws,
        arn,
        &[ActionSet::S3Read, ActionSet::S3Write, ActionSet::KmsUse],
        false,
    );
    let mut md = format!(
        "**What `{arn}` can reach**: {}\n\n| resource | action | decision | decided by |\n|---|---|---|---|\n",
        principal_title(ws, arn)
    );
    if reach.is_empty() {
        md.push_str("| (nothing) | | | |\n");
    }
    for r in &reach {
        for a in r.actions.iter().filter(|a| a.decision.may_allow()) {
            let by: Vec<String> = a.deciding.iter().map(|l| locate(&l.path, l.span)).collect();
            md.push_str(&format!(
                "| `{}` | `{}` | {} | {} |\n",
                r.resource,
                a.action,
                a.decision.as_str(),
                by.join(", ")
            ));
        }
    }
    Some(md)
}

/// The bucket or key ARN a policy value names, when the workspace describes it: the
/// hover on it shows the who-can table.
pub fn subject_at(ws: &Workspace, path: &str, offset: usize) -> Option<(Span, String)> {
    let (span, entities) = nav::entities_at(ws, path, offset)?;
    entities.into_iter().find_map(|e| match e {
        Entity::Bucket(name) => Some((span, format!("arn:aws:s3:::{name}"))),
        Entity::Key(arn) => Some((span, arn)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::workspace_from_fixture;

    const FIXTURE: &str = r#"//- latch.toml
[accounts]
storage = "444455556666"

[[principal]]
arn = "arn:aws:iam::444455556666:role/Reader"
policies = ["iam/reader.json"]
//- iam/reader.json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports-bucket/*"}]}
//- main.tf
provider "aws" {
  allowed_account_ids = ["444455556666"]
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports-bucket"
}

resource "aws_iam_role" "writer" {
  name               = "Writer"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "writer" {
  role = aws_iam_role.writer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "${aws_s3_bucket.reports.arn}/*" }]
  })
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::999988887777:role/Partner" }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.reports.arn}/*" }]
  })
}
"#;

    #[test]
    fn bucket_and_role_lenses_in_terraform() {
        let ws = workspace_from_fixture(FIXTURE);
        let lenses = access_lenses(&ws, "main.tf");
        let text = ws.text("main.tf").unwrap_or("");
        let titles: Vec<(&str, &str)> = lenses
            .iter()
            .map(|l| (&text[l.range.range()], l.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            vec![
                (
                    "resource \"aws_s3_bucket\" \"reports\"",
                    "read by 2 · written by 1 · external: 999988887777 (only if its own policies allow)"
                ),
                (
                    "resource \"aws_iam_role\" \"writer\"",
                    "reads 0 buckets · writes 1 bucket · uses 0 keys"
                ),
            ]
        );
        assert_eq!(lenses[0].subject, "arn:aws:s3:::reports-bucket");
        // The hover on the bucket's ARN in a Terraform policy, written as a reference.
        let grant = text
            .rfind("\"${aws_s3_bucket.reports.arn}/*\"")
            .unwrap_or(0);
        let (span, subject) = subject_at(&ws, "main.tf", grant + 5).unwrap_or_default();
        assert_eq!(subject, "arn:aws:s3:::reports-bucket");
        assert_eq!(span.start, grant);
        let md =
            who_can_markdown(&ws, &lenses[0].subject, &|p, _| p.to_string()).unwrap_or_default();
        assert!(
            md.contains(
                "| `arn:aws:iam::444455556666:role/Reader` | allow | denied | iam/reader.json |"
            ),
            "{md}"
        );
        assert!(md.contains("| `arn:aws:iam::999988887777:role/Partner` (external) | only if its own policies allow | denied | main.tf; if the caller's own identity policies (not in the workspace) allow `s3:GetObject` |"), "{md}");
        assert!(
            md.contains("| `arn:aws:iam::444455556666:role/Writer` | denied | allow | main.tf |"),
            "{md}"
        );
    }

    #[test]
    fn a_json_identity_policy_gets_its_principal_lens_and_an_arn_its_table() {
        let ws = workspace_from_fixture(FIXTURE);
        let lenses = access_lenses(&ws, "iam/reader.json");
        assert_eq!(lenses.len(), 1, "{lenses:?}");
        assert_eq!(lenses[0].range, Span::new(0, 1));
        assert_eq!(
            lenses[0].title,
            "reads 1 bucket · writes 0 buckets · uses 0 keys"
        );
        let text = ws.text("iam/reader.json").unwrap_or("");
        let at = text.find("arn:aws:s3").unwrap_or(0);
        let (span, subject) = subject_at(&ws, "iam/reader.json", at + 3).unwrap_or_default();
        assert_eq!(subject, "arn:aws:s3:::reports-bucket");
        assert_eq!(&text[span.range()], "\"arn:aws:s3:::reports-bucket/*\"");
    }
}
