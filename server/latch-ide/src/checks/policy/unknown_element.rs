//! `policy/unknown-element`: a member of the policy or of a statement that IAM does not know.

use latch_syntax::json::Value;
use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};
use crate::text::did_you_mean;

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/unknown-element",
    severity: Severity::Error,
    summary: "an element IAM does not know, often a misspelling",
    what: "Reports members of the policy document or of a statement that are not policy elements. Element \
           names are case-sensitive.",
    why: "AWS rejects the policy; worse, tools that ignore unknown members read `Resources` as if the \
          statement had no `Resource` at all.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resources": "arn:aws:s3:::b/*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    fix: FixAvailability::Sometimes,
};

const TOP: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    unknown(ctx.tree, TOP, "policy document", out);
    for st in &ctx.statements {
        unknown(st, STATEMENT, "statement", out);
    }
}

fn unknown(obj: &Value, known: &[&'static str], place: &str, out: &mut Vec<Finding>) {
    let Some(members) = obj.as_object() else {
        return;
    };
    for m in members {
        if known.contains(&m.key.as_str()) {
            continue;
        }
        // A suggestion is only offered when the intended element is not already there.
        let suggestion = did_you_mean(&m.key, known.iter().copied())
            .filter(|s| !members.iter().any(|o| o.key == *s));
        let mut f = match suggestion {
            Some(s) => Finding::new(
                DOC.code,
                DOC.severity,
                m.key_span,
                format!("unknown {place} element `{}`; did you mean `{s}`?", m.key),
            )
            .with_fix(Fix {
                title: format!("rename to `{s}`"),
                safe: s.eq_ignore_ascii_case(&m.key),
                edits: vec![Edit::replace(
                    m.key_span,
                    latch_syntax::json::json_string(s),
                )],
            }),
            None => Finding::new(
                DOC.code,
                DOC.severity,
                m.key_span,
                format!("unknown {place} element `{}`", m.key),
            ),
        };
        if suggestion.is_none() {
            f.message.push_str(&format!(
                "; expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::policy::test_util::check_as;
    use latch_syntax::policy::PolicyKind;

    #[test]
    fn lower_case_element_gets_a_safe_rename() {
        let f = check_as(
            r#"{"Version": "2012-10-17", "Statement": {"effect": "Allow", "Effect": "Deny", "action": "*", "Resource": "*"}}"#,
            PolicyKind::Identity,
        );
        let unknown: Vec<_> = f
            .iter()
            .filter(|f| f.code == "policy/unknown-element")
            .collect();
        assert_eq!(unknown.len(), 2);
        // `effect` cannot be renamed: `Effect` is already there.
        assert!(unknown[0].fixes.is_empty());
        assert_eq!(unknown[1].fixes[0].edits[0].new_text, "\"Action\"");
        assert!(unknown[1].fixes[0].safe);
    }
}
