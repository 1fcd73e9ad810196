//! `policy/malformed-arn`: a resource or principal ARN that does not have the six ARN
//! fields, or whose fields cannot be right.

use latch_syntax::policy::{PrincipalType, PrincipalValue};
use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/malformed-arn",
    severity: Severity::Error,
    summary: "an ARN without its six fields, or with impossible ones",
    what: "Reports `Resource`, `NotResource` and principal ARNs that are not \
           `arn:partition:service:region:account:resource`, S3 bucket ARNs that carry a region or an \
           account, and principals with partial wildcards.",
    why: "A malformed ARN matches nothing: the grant silently does nothing, or AWS rejects the policy. \
          S3 bucket ARNs have empty region and account fields: `arn:aws:s3:::bucket`.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3::DOC-EXAMPLE-BUCKET"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET"}]}"#,
    fix: FixAvailability::Sometimes,
};

/// Splits an ARN on `:` outside `${...}` into at most six fields.
pub fn split_arn(arn: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = arn.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 && fields.len() < 5 => {
                fields.push(&arn[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    fields.push(&arn[start..]);
    fields
}

const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// What is wrong with a resource ARN pattern, and a repaired ARN when the repair is
/// mechanical.
pub fn resource_problem(arn: &str) -> Option<(String, Option<String>)> {
    if arn == "*" {
        return None;
    }
    if !arn.starts_with("arn:") {
        let fix = (!arn.contains(':') && !arn.is_empty()).then(|| format!("arn:aws:s3:::{arn}"));
        return Some((
            format!("`{arn}` is not an ARN; ARNs start with `arn:`"),
            fix,
        ));
    }
    let fields = split_arn(arn);
    if fields.len() < 6 {
        let fix = if fields.get(2) == Some(&"s3") {
            let rest = arn
                .splitn(3, ':')
                .nth(2)
                .unwrap_or("")
                .trim_start_matches("s3")
                .trim_start_matches(':');
            (!rest.is_empty()).then(|| format!("arn:{}:s3:::{rest}", fields[1]))
        } else {
            None
        };
        return Some((
            format!(
                "`{arn}` has {} of the six ARN fields `arn:partition:service:region:account:resource`",
                fields.len()
            ),
            fix,
        ));
    }
    let (partition, service, region, account, resource) =
        (fields[1], fields[2], fields[3], fields[4], fields[5]);
    let variable = |s: &str| s.starts_with("${");
    if !PARTITIONS.contains(&partition) && partition != "*" && !variable(partition) {
        return Some((format!("`{partition}` is not an AWS partition"), None));
    }
    if service.is_empty() {
        return Some((format!("`{arn}` has no service"), None));
    }
    if service.contains(['*', '?']) {
        return Some((
            "wildcards are not allowed in the service field of an ARN".to_string(),
            None,
        ));
    }
    if resource.is_empty() {
        return Some((format!("`{arn}` has no resource part"), None));
    }
    let s3_bucket_or_object =
        service == "s3" && !resource.starts_with("accesspoint/") && !resource.starts_with("job/");
    if s3_bucket_or_object
        && (!region.is_empty() || !account.is_empty())
        && region != "*"
        && account != "*"
    {
        return Some((
            "S3 bucket and object ARNs have no region or account: `arn:aws:s3:::bucket`"
                .to_string(),
            Some(format!("arn:{partition}:s3:::{resource}")),
        ));
    }
    let account_id = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    let pattern = account.is_empty() || variable(account) || account.contains(['*', '?']);
    if !pattern && !account_id && service != "s3" {
        return Some((
            format!("account `{account}` is not a 12-digit account id"),
            None,
        ));
    }
    None
}

/// What is wrong with an `AWS` principal value.
pub fn principal_problem(value: &str) -> Option<String> {
    if value == "*" {
        return None;
    }
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !value.starts_with("arn:") {
        // Unique ids (`AIDA...`, `AROA...`) appear when the principal was deleted.
        if value.starts_with("AIDA") || value.starts_with("AROA") {
            return Some(format!(
                "`{value}` is a unique id: the user or role it named was deleted, so it matches no one"
            ));
        }
        return Some(format!(
            "`{value}` is neither `*`, a 12-digit account id nor an ARN"
        ));
    }
    let fields = split_arn(value);
    if fields.len() < 6 || fields[5].is_empty() {
        return Some(format!(
            "`{value}` has {} of the six ARN fields",
            fields.len().min(5)
        ));
    }
    if value.contains(['*', '?']) {
        return Some(format!(
            "`{value}`: principals cannot use partial wildcards; use `\"*\"` with an `aws:PrincipalArn` condition"
        ));
    }
    None
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for st in &ctx.policy.statements {
        for v in st.resource.iter().flat_map(|r| r.values.iter()) {
            if let Some((message, fix)) = resource_problem(&v.value) {
                let mut f = Finding::new(DOC.code, DOC.severity, v.span, message);
                if let Some(fixed) = fix {
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
        if let Some(PrincipalValue::Map(entries)) = st.principal.as_ref().map(|p| &p.value) {
            for e in entries
                .iter()
                .filter(|e| e.kind.value == PrincipalType::Aws)
            {
                for v in &e.values {
                    if let Some(message) = principal_problem(&v.value) {
                        out.push(Finding::new(DOC.code, DOC.severity, v.span, message));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_fields() {
        assert_eq!(
            split_arn("arn:aws:s3:::b/*"),
            vec!["arn", "aws", "s3", "", "", "b/*"]
        );
        assert_eq!(
            split_arn("arn:${AWS::Partition}:s3:::b"),
            vec!["arn", "${AWS::Partition}", "s3", "", "", "b"]
        );
        assert_eq!(
            split_arn("arn:aws:iam::1:role/a:b"),
            vec!["arn", "aws", "iam", "", "1", "role/a:b"]
        );
    }

    #[test]
    fn resource_problems() {
        assert!(resource_problem("arn:aws:s3:::b").is_none());
        assert!(resource_problem("arn:aws:kms:us-east-1:444455556666:key/*").is_none());
        assert_eq!(
            resource_problem("arn:aws:s3::bucket")
                .and_then(|p| p.1)
                .as_deref(),
            Some("arn:aws:s3:::bucket")
        );
        assert_eq!(
            resource_problem("arn:aws:s3:us-east-1:111122223333:bucket")
                .and_then(|p| p.1)
                .as_deref(),
            Some("arn:aws:s3:::bucket")
        );
        assert!(resource_problem("arn:aws:s*:::b").is_some());
        assert!(resource_problem("arn:aws:iam::12345:role/x").is_some());
    }

    #[test]
    fn principal_problems() {
        assert!(principal_problem("arn:aws:iam::111122223333:role/r").is_none());
        assert!(principal_problem("111122223333").is_none());
        assert!(principal_problem("arn:aws:iam::111122223333:role/*").is_some());
        assert!(principal_problem("AROAEXAMPLEID").is_some());
    }
}
