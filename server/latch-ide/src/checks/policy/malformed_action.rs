//! `policy/malformed-action`: an action that is not `service:Name` or `*`.

use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/malformed-action",
    severity: Severity::Error,
    summary: "an action that is not `service:Name`",
    what: "Reports entries of `Action` or `NotAction` that are not `*` or a service prefix, a colon and an \
           action name (wildcards allowed), such as `s3GetObject` or `s3:Get Object`.",
    why: "AWS rejects the policy, or the entry matches nothing.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3GetObject", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    fix: FixAvailability::Sometimes,
};

/// Why `action` is malformed, or `None` when it is well formed.
pub fn problem(action: &str) -> Option<&'static str> {
    if action == "*" {
        return None;
    }
    let Some((service, name)) = action.split_once(':') else {
        return Some("has no `:` between the service prefix and the action name");
    };
    if service.is_empty() {
        return Some("has no service prefix");
    }
    if !service
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Some("has characters that no service prefix has");
    }
    if name.is_empty() {
        return Some("has no action name after the `:`");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_' | '.'))
    {
        return Some("has characters that no action name has");
    }
    None
}

/// A mechanical repair: spaces removed, or the colon that `s3GetObject` lost.
fn repair(action: &str) -> Option<String> {
    let squeezed: String = action.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed != action && problem(&squeezed).is_none() {
        return Some(squeezed);
    }
    if !action.contains(':') {
        let split = action
            .char_indices()
            .find(|(_, c)| c.is_ascii_uppercase() || *c == '*')?
            .0;
        let (service, name) = action.split_at(split);
        let candidate = format!("{service}:{name}");
        if !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && problem(&candidate).is_none()
        {
            return Some(candidate);
        }
    }
    None
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for list in ctx
        .policy
        .statements
        .iter()
        .filter_map(|s| s.action.as_ref())
    {
        for v in &list.values {
            let Some(why) = problem(&v.value) else {
                continue;
            };
            let mut f = Finding::new(
                DOC.code,
                DOC.severity,
                v.span,
                format!("action `{}` {why}", v.value),
            );
            if let Some(fixed) = repair(&v.value) {
                f.fixes.push(Fix::unsafe_(
                    format!("change to `{fixed}`"),
                    vec![Edit::replace(
                        v.span,
                        latch_syntax::json::json_string(&fixed),
                    )],
                ));
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_and_repairs() {
        assert_eq!(problem("s3:GetObject"), None);
        assert_eq!(problem("iam:*AccessKey*"), None);
        assert!(problem("s3GetObject").is_some());
        assert!(problem(":GetObject").is_some());
        assert!(problem("s3:").is_some());
        assert_eq!(repair("s3GetObject").as_deref(), Some("s3:GetObject"));
        assert_eq!(repair("s3: GetObject").as_deref(), Some("s3:GetObject"));
        assert_eq!(repair("GetObject"), None);
    }
}
