//! `policy/invalid-sid`: a `Sid` with characters the policy kind does not accept.

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-sid",
    severity: Severity::Error,
    summary: "a `Sid` with characters IAM does not accept",
    what: "Reports a `Sid` with characters other than ASCII letters and digits in IAM policies, \
           boundaries, session policies, SCPs and RCPs. Key policies also accept spaces; bucket and other \
           resource policies are not checked.",
    why: "IAM rejects the policy. Sids written in Japanese or with hyphens are common in policies copied \
          from documentation; they work in bucket policies but not in IAM.",
    example: "//- iam/app.json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"read-reports\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
    prefer: "//- iam/app.json\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"ReadReports\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
    fix: FixAvailability::Sometimes,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let allowed: fn(char) -> bool = match ctx.kind {
        PolicyKind::Identity
        | PolicyKind::Boundary
        | PolicyKind::Session
        | PolicyKind::Scp
        | PolicyKind::Rcp => |c| c.is_ascii_alphanumeric(),
        PolicyKind::KeyPolicy => |c| c.is_ascii_alphanumeric() || c == ' ',
        _ => return,
    };
    for sid in ctx.policy.statements.iter().filter_map(|s| s.sid.as_ref()) {
        let bad: Vec<char> = sid.value.chars().filter(|c| !allowed(*c)).collect();
        if bad.is_empty() {
            continue;
        }
        let what = if ctx.kind == PolicyKind::KeyPolicy {
            "ASCII letters, digits and spaces"
        } else {
            "ASCII letters and digits"
        };
        let mut f = Finding::new(
            DOC.code,
            DOC.severity,
            sid.span,
            format!(
                "`Sid` `{}` may only contain {what} in {}",
                sid.value,
                ctx.kind.a_name()
            ),
        );
        // Joining words in CamelCase keeps the meaning of `read-reports`; a Sid with no
        // usable characters left gets no fix.
        let camel: String = sid
            .value
            .split(|c: char| !allowed(c))
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut cs = w.chars();
                cs.next()
                    .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default()
            })
            .collect();
        if !camel.is_empty() {
            f.fixes.push(Fix::safe(
                format!("rename to `{camel}`"),
                vec![Edit::replace(
                    sid.span,
                    latch_syntax::json::json_string(&camel),
                )],
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
    fn japanese_sid_is_invalid_in_iam_but_fine_in_a_bucket_policy() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "読み取り許可", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let f: Vec<_> = check_as(text, PolicyKind::Identity)
            .into_iter()
            .filter(|f| f.code == "policy/invalid-sid")
            .collect();
        assert_eq!(f.len(), 1);
        assert!(f[0].fixes.is_empty());
        assert!(
            !check_as(text, PolicyKind::Resource)
                .iter()
                .any(|f| f.code == "policy/invalid-sid")
        );
    }
}
