//! The `Version` element: `policy/missing-version`, `policy/invalid-version` and
//! `policy/legacy-version-variables` (policy variables under `2008-10-17`).

use latch_syntax::policy::Policy;
use latch_syntax::{Edit, Finding, Fix, Severity, Span};

use super::{PolicyCtx, insert_member};
use crate::checks::{CheckDoc, FixAvailability};

pub const MISSING_DOC: CheckDoc = CheckDoc {
    code: "policy/missing-version",
    severity: Severity::Warning,
    summary: "no `Version`: policy variables are not substituted",
    what: "Reports a policy document without a `Version` element.",
    why: "Without `\"Version\": \"2012-10-17\"`, AWS applies the 2008 rules: `${aws:username}` and other \
          policy variables are compared as literal text, and some services reject the policy.",
    example: r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    fix: FixAvailability::Always,
};

pub const INVALID_DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-version",
    severity: Severity::Error,
    summary: "`Version` is not `2012-10-17` or `2008-10-17`",
    what: "Reports a `Version` that is neither of the two policy language versions. It is a fixed date, \
           not the date the policy was written.",
    why: "AWS rejects the policy.",
    example: r#"{"Version": "2024-01-01", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    fix: FixAvailability::Always,
};

pub const LEGACY_DOC: CheckDoc = CheckDoc {
    code: "policy/legacy-version-variables",
    severity: Severity::Error,
    summary: "policy variables under `Version` `2008-10-17` are literal text",
    what: "Reports `${...}` policy variables in a policy whose `Version` is `2008-10-17` or missing.",
    why: "Only the 2012-10-17 language substitutes variables: under 2008-10-17, \
          `arn:aws:s3:::bucket/${aws:username}/*` matches only a folder literally named \
          `${aws:username}`, so the grant silently does nothing.",
    example: r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]}"#,
    fix: FixAvailability::Always,
};

const CURRENT: &str = "\"2012-10-17\"";

fn insert_version(ctx: &PolicyCtx<'_>) -> Option<Edit> {
    // `Version` goes first, where people expect it.
    let first = ctx.tree.as_object()?.first()?;
    let line_start = ctx.text[..first.key_span.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let prefix = &ctx.text[line_start..first.key_span.start];
    if prefix.trim().is_empty() && line_start > ctx.tree.span.start {
        Some(Edit::insert(
            first.key_span.start,
            format!("\"Version\": {CURRENT},\n{prefix}"),
        ))
    } else {
        Some(Edit::insert(
            first.key_span.start,
            format!("\"Version\": {CURRENT}, "),
        ))
    }
}

pub fn check_missing(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    if ctx.tree.as_object().is_none() || super::member(ctx.tree, "Version").is_some() {
        return;
    }
    let at = Span::new(
        ctx.tree.span.start,
        (ctx.tree.span.start + 1).min(ctx.tree.span.end),
    );
    let mut f = Finding::new(
        MISSING_DOC.code,
        MISSING_DOC.severity,
        at,
        "the policy has no `Version`; add `\"Version\": \"2012-10-17\"`",
    );
    let edit = insert_version(ctx).or_else(|| {
        insert_member(ctx.text, ctx.tree, "Version", CURRENT).map(|(o, t)| Edit::insert(o, t))
    });
    if let Some(edit) = edit {
        let title = "add `\"Version\": \"2012-10-17\"`";
        // With policy variables the new version changes what the policy matches (they
        // start being substituted): offered, never applied by `--fix`.
        f.fixes.push(if variable_uses(ctx.policy).is_empty() {
            Fix::safe(title, vec![edit])
        } else {
            Fix::unsafe_(title, vec![edit])
        });
    }
    out.push(f);
}

pub fn check_invalid(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let Some(m) = super::member(ctx.tree, "Version") else {
        return;
    };
    let Some(v) = m.value.as_str() else { return };
    if v == "2012-10-17" || v == "2008-10-17" {
        return;
    }
    out.push(
        Finding::new(
            INVALID_DOC.code,
            INVALID_DOC.severity,
            m.value.span,
            format!("`{v}` is not a policy language version; use `2012-10-17`"),
        )
        .with_fix(Fix::safe(
            "change to `2012-10-17`",
            vec![Edit::replace(m.value.span, CURRENT)],
        )),
    );
}

/// The spans of string values that contain `${`, in the elements where variables count.
fn variable_uses(policy: &Policy) -> Vec<(Span, String)> {
    let mut uses = Vec::new();
    for st in &policy.statements {
        let resources = st.resource.iter().flat_map(|r| r.values.iter());
        let conditions = st
            .condition
            .iter()
            .flat_map(|c| c.clauses.iter())
            .flat_map(|c| c.values.iter());
        for v in resources.chain(conditions) {
            if v.value.contains("${") {
                uses.push((v.span, v.value.to_string()));
            }
        }
    }
    uses
}

pub fn check_legacy_variables(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let version = super::member(ctx.tree, "Version");
    let legacy = match version {
        None => true,
        Some(m) => m.value.as_str() == Some("2008-10-17"),
    };
    if !legacy || ctx.tree.as_object().is_none() {
        return;
    }
    for (span, value) in variable_uses(ctx.policy) {
        let why = match version {
            Some(_) => "under `Version` `2008-10-17`",
            None => "without `Version` `2012-10-17`",
        };
        let mut f = Finding::new(
            LEGACY_DOC.code,
            LEGACY_DOC.severity,
            span,
            format!(
                "`{value}` is compared as literal text {why}: policy variables are not substituted"
            ),
        );
        let edit = match version {
            Some(m) => Some(Edit::replace(m.value.span, CURRENT)),
            None => insert_version(ctx),
        };
        if let Some(edit) = edit {
            // Not safe: the variables start being substituted, so what the policy matches
            // changes (a literal `${aws:username}` folder becomes every user's own).
            f.fixes.push(Fix::unsafe_(
                "use `\"Version\": \"2012-10-17\"`",
                vec![edit],
            ));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::policy::test_util::check_as;
    use latch_syntax::finding::apply_edits;
    use latch_syntax::policy::PolicyKind;

    #[test]
    fn missing_version_is_inserted_first_with_the_documents_indentation() {
        let text = "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}";
        let f: Vec<_> = check_as(text, PolicyKind::Identity)
            .into_iter()
            .filter(|f| f.code == "policy/missing-version")
            .collect();
        let (fixed, _) = apply_edits(text, &[&f[0].fixes[0].edits[0]]);
        assert_eq!(
            fixed,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}"
        );
        assert!(
            check_as(&fixed, PolicyKind::Identity)
                .iter()
                .all(|f| f.code != "policy/missing-version")
        );
    }

    /// A new `Version` over policy variables changes what the policy matches: `--fix`
    /// applies only safe fixes, so these are offered but not safe.
    #[test]
    fn a_version_fix_over_policy_variables_is_not_safe() {
        let safety = |text: &str, code: &str| -> Vec<bool> {
            check_as(text, PolicyKind::Identity)
                .into_iter()
                .filter(|f| f.code == code)
                .flat_map(|f| f.fixes.into_iter().map(|x| x.safe))
                .collect()
        };
        let vars = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}"#;
        assert_eq!(safety(vars, "policy/legacy-version-variables"), [false]);
        let missing = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}"#;
        assert_eq!(safety(missing, "policy/missing-version"), [false]);
        assert_eq!(safety(missing, "policy/legacy-version-variables"), [false]);
        let plain = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        assert_eq!(safety(plain, "policy/missing-version"), [true]);
        let invalid = r#"{"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert_eq!(safety(invalid, "policy/invalid-version"), [true]);
    }
}
