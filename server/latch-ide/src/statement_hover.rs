//! Hover text for a statement: who it applies to, which actions on which resources, and
//! its conditions in plain words (operators, `IfExists`, set operators and what happens
//! when a key is missing). Pure: a workspace and a byte offset in, Markdown out.

use latch_syntax::Span;
use latch_syntax::policy::{ConditionClause, Effect, PrincipalValue, Statement};

use crate::workspace::{KindSource, Workspace};

/// What a hover shows and the range it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverInfo {
    pub range: Span,
    pub markdown: String,
}

fn list(values: &[String], joiner: &str) -> String {
    match values.len() {
        0 => "nothing".to_string(),
        1 => values[0].clone(),
        n => format!("{} {joiner} {}", values[..n - 1].join(", "), values[n - 1]),
    }
}

fn ticks(values: impl IntoIterator<Item = String>) -> Vec<String> {
    values.into_iter().map(|v| format!("`{v}`")).collect()
}

/// One condition clause in plain words, with its missing-key behaviour.
pub fn describe_condition(clause: &ConditionClause) -> String {
    let op_full = clause.operator.value.as_str();
    let (set, rest) = match op_full.split_once(':') {
        Some((p @ ("ForAllValues" | "ForAnyValue"), r)) => (Some(p), r),
        _ => (None, op_full),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let key = format!("`{}`", clause.key.value);
    let values = ticks(clause.values.iter().map(|v| v.value.to_string()));
    let negated = base.contains("Not");
    let (verb, joiner) = match base {
        "StringEquals" | "ArnEquals" => ("is", "or"),
        "StringNotEquals" | "ArnNotEquals" => ("is not", "nor"),
        "StringEqualsIgnoreCase" => ("is, ignoring case,", "or"),
        "StringNotEqualsIgnoreCase" => ("is not, ignoring case,", "nor"),
        "StringLike" | "ArnLike" => ("matches", "or"),
        "StringNotLike" | "ArnNotLike" => ("matches none of", "or"),
        "NumericEquals" => ("equals", "or"),
        "NumericNotEquals" => ("does not equal", "nor"),
        "NumericLessThan" => ("is less than", "or"),
        "NumericLessThanEquals" => ("is at most", "or"),
        "NumericGreaterThan" => ("is greater than", "or"),
        "NumericGreaterThanEquals" => ("is at least", "or"),
        "DateEquals" => ("is the date", "or"),
        "DateNotEquals" => ("is not the date", "nor"),
        "DateLessThan" => ("is before", "or"),
        "DateLessThanEquals" => ("is at or before", "or"),
        "DateGreaterThan" => ("is after", "or"),
        "DateGreaterThanEquals" => ("is at or after", "or"),
        "Bool" => ("is", "or"),
        "BinaryEquals" => ("is the bytes", "or"),
        "IpAddress" => ("is in", "or"),
        "NotIpAddress" => ("is outside", "and"),
        "Null" => {
            let absent = clause.values.iter().any(|v| v.value == "true");
            return if absent {
                format!("{key} is absent from the request")
            } else {
                format!("{key} is present in the request")
            };
        }
        _ => {
            return format!(
                "`{op_full}` on {key} (unknown operator: this condition never matches)"
            );
        }
    };
    let vals = if base == "StringNotLike" || base == "ArnNotLike" {
        list(&values, "and")
    } else {
        list(&values, joiner)
    };
    let mut s = match set {
        Some("ForAllValues") => format!("every value of {key} {verb} {vals}"),
        Some(_) => format!("at least one value of {key} {verb} {vals}"),
        None => format!("{key} {verb} {vals}"),
    };
    match (set, if_exists, negated) {
        (Some("ForAllValues"), _, _) => s.push_str(" (also true when the request has no such key)"),
        (Some(_), _, _) => s.push_str(" (false when the request has no such key)"),
        (None, true, _) => s.push_str(" (or the key is absent)"),
        (None, false, true) => s.push_str(" (also true when the key is absent)"),
        (None, false, false) => s.push_str(" (false when the key is absent)"),
    }
    s
}

/// Who a statement applies to, in words.
pub fn describe_principal(st: &Statement) -> Option<String> {
    let p = st.principal.as_ref()?;
    let who = match &p.value {
        PrincipalValue::Star => "everyone, including anonymous users".to_string(),
        PrincipalValue::Map(entries) => {
            let mut parts = Vec::new();
            for e in entries {
                for v in &e.values {
                    parts.push(if v.value == "*" && e.kind.value.as_str() == "AWS" {
                        "every AWS principal and anonymous users".to_string()
                    } else {
                        format!("`{}`", v.value)
                    });
                }
            }
            list(&parts, "and")
        }
    };
    Some(if p.negated {
        format!("everyone except {who}")
    } else {
        who
    })
}

/// The Markdown description of one statement.
pub fn describe_statement(st: &Statement, index: usize, policy_name: &str) -> String {
    let label = st.label(index);
    let mut out = match st.effect() {
        Some(e) => format!(
            "**{}** statement `{label}` of {policy_name}\n\n",
            e.as_str()
        ),
        None => format!(
            "Statement `{label}` of {policy_name} has no valid `Effect`, so it never applies\n\n"
        ),
    };
    if let Some(who) = describe_principal(st) {
        out.push_str(&format!("- **who:** {who}\n"));
    }
    if let Some(a) = &st.action {
        let acts = list(&ticks(a.values.iter().map(|v| v.value.to_string())), "and");
        out.push_str(&format!(
            "- **actions:** {}{acts}\n",
            if a.negated {
                "every action except "
            } else {
                ""
            }
        ));
    }
    if let Some(r) = &st.resource {
        let res = list(&ticks(r.values.iter().map(|v| v.value.to_string())), "and");
        out.push_str(&format!(
            "- **resources:** {}{res}\n",
            if r.negated {
                "every resource except "
            } else {
                ""
            }
        ));
    }
    if let Some(c) = &st.condition {
        if !c.clauses.is_empty() {
            out.push_str("- **only when all of these hold:**\n");
            for clause in &c.clauses {
                out.push_str(&format!("  - {}\n", describe_condition(clause)));
            }
        }
    }
    if st.effect() == Some(Effect::Deny) {
        out.push_str("\nA matching Deny wins over every Allow, in any policy.\n");
    }
    out
}

/// What a Deny does in this workspace today: whom its policy applies to, which intents it
/// blocks (with their places) and which Allow statements it overrides there.
fn deny_section(r: &crate::access::DenyReport) -> String {
    let mut out = String::new();
    if !r.attached_to.is_empty() {
        out.push_str(&format!(
            "\n**In this workspace** the policy applies to {}.\n",
            list(&r.attached_to, "and")
        ));
    }
    if r.blocked.is_empty() {
        out.push_str("\nIt blocks no intent of this workspace today.\n");
        return out;
    }
    out.push_str("\n**Blocks today:**\n");
    for b in &r.blocked {
        out.push_str(&format!("- {b}\n"));
    }
    if !r.overrides.is_empty() {
        out.push_str("\n**Overrides:**\n");
        for o in &r.overrides {
            out.push_str(&format!("- {o}\n"));
        }
    }
    out
}

/// Whom an Allow actually lets through in this workspace, and where it has no effect.
fn allow_section(r: &crate::access::AllowReport) -> String {
    let mut out = String::new();
    if !r.lets_through.is_empty() {
        out.push_str("\n**Lets through today:**\n");
        for l in &r.lets_through {
            out.push_str(&format!("- {l}\n"));
        }
    }
    if !r.no_effect.is_empty() {
        out.push_str("\n**Has no effect today for:**\n");
        for l in &r.no_effect {
            out.push_str(&format!("- {l}\n"));
        }
    }
    out
}

/// The hover at `offset` in `path`: the statement under the cursor.
pub fn hover(ws: &Workspace, path: &str, offset: usize) -> Option<HoverInfo> {
    for view in ws.policies_in(path) {
        for (i, st) in view.policy.statements.iter().enumerate() {
            if !st.span.touches(offset) {
                continue;
            }
            let name = match (&view.owner, view.source) {
                (Some(owner), _) => format!("the {} `{owner}`", view.kind.name()),
                (None, KindSource::Manifest) => {
                    format!("this {} (from `latch.toml`)", view.kind.name())
                }
                (None, KindSource::Inferred) => {
                    format!("this {} (inferred from its content)", view.kind.name())
                }
                (None, KindSource::Terraform) => format!("this {}", view.kind.name()),
                (None, KindSource::Wrapper) => {
                    format!(
                        "this {} (as the command output that holds it says)",
                        view.kind.name()
                    )
                }
            };
            // The range is the statement's Effect when the cursor is on it, else the
            // whole statement.
            let range = st
                .effect
                .as_ref()
                .map(|e| e.span)
                .filter(|s| s.touches(offset))
                .unwrap_or(st.span);
            let mut markdown = describe_statement(st, i, &name);
            if st.effect() == Some(Effect::Deny) {
                if let Some(r) = crate::access::deny_report(ws, path, st.span) {
                    markdown.push_str(&deny_section(&r));
                }
            } else if st.effect() == Some(Effect::Allow) {
                if let Some(r) = crate::access::allow_report(ws, path, st.span) {
                    markdown.push_str(&allow_section(&r));
                }
            }
            return Some(HoverInfo { range, markdown });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::workspace_from_fixture;

    #[test]
    fn deny_with_mfa_condition_in_words() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
  "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"], "Resource": "*",
  "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}"#;
        let ws = workspace_from_fixture(text);
        let at = text.find("\"Deny\"").unwrap() + 1;
        let h = hover(&ws, "policy.json", at).unwrap();
        insta::assert_snapshot!(h.markdown, @r"
        **Deny** statement `DenyAllExceptListedIfNoMFA` of this identity policy (inferred from its content)

        - **actions:** every action except `iam:CreateVirtualMFADevice`, `iam:EnableMFADevice` and `sts:GetSessionToken`
        - **resources:** `*`
        - **only when all of these hold:**
          - `aws:MultiFactorAuthPresent` is `false` (or the key is absent)

        A matching Deny wins over every Allow, in any policy.
        ");
        assert_eq!(&text[h.range.range()], "\"Deny\"");
    }

    #[test]
    fn hover_in_a_terraform_jsonencode_policy() {
        let tf = r#"resource "aws_s3_bucket_policy" "b" {
  bucket = "example-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OnlyFromEndpoint"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
      Condition = { StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
    }]
  })
}
"#;
        let ws = workspace_from_fixture(&format!("//- infra/main.tf\n{tf}"));
        let at = tf.find("\"Deny\"").unwrap() + 2;
        let h = hover(&ws, "infra/main.tf", at).unwrap();
        assert!(h.markdown.starts_with("**Deny** statement `OnlyFromEndpoint` of the resource policy `aws_s3_bucket_policy.b.policy`"), "{}", h.markdown);
        assert!(h.markdown.contains(
            "`aws:SourceVpce` is not `vpce-1a2b3c4d` (also true when the key is absent)"
        ));
        assert_eq!(&tf[h.range.range()], "\"Deny\"");
    }

    #[test]
    fn a_statement_with_an_invalid_effect_says_it_never_applies() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "レポート閲覧", "Effect": "deny", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let ws = workspace_from_fixture(text);
        let h = hover(&ws, "policy.json", text.find("deny").unwrap()).unwrap();
        assert!(
            h.markdown.starts_with("Statement `レポート閲覧` of this identity policy (inferred from its content) has no valid `Effect`, so it never applies"),
            "{}",
            h.markdown
        );
    }

    #[test]
    fn negated_and_set_operators() {
        let p = latch_syntax::policy::parse_policy(
            r#"{"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {
              "StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}, "ForAllValues:StringEquals": {"aws:TagKeys": "env"}, "Null": {"aws:TokenIssueTime": "true"}}}}"#,
        );
        let c = &p.policy.statements[0].condition.as_ref().unwrap().clauses;
        assert_eq!(
            describe_condition(&c[0]),
            "`aws:SourceVpce` is not `vpce-1` nor `vpce-2` (also true when the key is absent)"
        );
        assert_eq!(
            describe_condition(&c[1]),
            "every value of `aws:TagKeys` is `env` (also true when the request has no such key)"
        );
        assert_eq!(
            describe_condition(&c[2]),
            "`aws:TokenIssueTime` is absent from the request"
        );
    }
}
