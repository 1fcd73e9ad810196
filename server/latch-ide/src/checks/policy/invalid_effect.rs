//! `policy/invalid-effect`: an `Effect` that is not exactly `Allow` or `Deny`.

use latch_syntax::{Edit, Finding, Fix, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};
use crate::text::did_you_mean;

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-effect",
    severity: Severity::Error,
    summary: "`Effect` must be exactly `Allow` or `Deny`",
    what: "Reports an `Effect` whose value is not `Allow` or `Deny`, spelled with that exact case.",
    why: "Effect values are case-sensitive: AWS rejects `\"deny\"`, which pages copied from the web often \
          carry. An engineer who meant to deny something is left with no deny at all.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "deny", "Action": "iam:DeleteRole", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:DeleteRole", "Resource": "*"}]}"#,
    fix: FixAvailability::Sometimes,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for obj in &ctx.statements {
        let Some(m) = member(obj, "Effect") else {
            continue;
        };
        let Some(value) = m.value.as_str() else {
            continue;
        };
        if value == "Allow" || value == "Deny" {
            continue;
        }
        let span = m.value.span;
        let mut f = Finding::new(
            DOC.code,
            DOC.severity,
            span,
            format!("`{value}` is not a valid effect: use `Allow` or `Deny`"),
        );
        if let Some(s) = did_you_mean(value.trim(), ["Allow", "Deny"]) {
            f.message = format!(
                "`{value}` is not a valid effect; did you mean `{s}`? (effects are case-sensitive)"
            );
            f.fixes.push(Fix::safe(
                format!("change to `{s}`"),
                vec![Edit::replace(span, latch_syntax::json::json_string(s))],
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
    fn wrong_case_and_misspelling_get_fixes_and_other_words_do_not() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "deny", "Action": "*", "Resource": "*"},
            {"Effect": "Alow", "Action": "*", "Resource": "*"},
            {"Effect": "Permit", "Action": "*", "Resource": "*"}]}"#;
        let f: Vec<_> = check_as(text, PolicyKind::Identity)
            .into_iter()
            .filter(|f| f.code == "policy/invalid-effect")
            .collect();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].fixes[0].edits[0].new_text, "\"Deny\"");
        assert_eq!(f[1].fixes[0].edits[0].new_text, "\"Allow\"");
        assert!(f[2].fixes.is_empty());
    }
}
