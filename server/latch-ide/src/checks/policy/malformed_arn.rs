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
    what: "Reports `Resource` and principal ARNs that are not \
           `arn:partition:service:region:account:resource`; region and account fields that cannot \
           name anything (placeholders such as `region`, `<region>`, `us-east-x`, `account-id`, \
           `AccountB-ID`); a region or an account where the resource type has none, or no region \
           where it has one, according to the ARN templates of the AWS catalogue (S3 buckets have \
           neither, S3 Storage Lens configurations have both); and principals with partial \
           wildcards. The account `aws` names resources AWS owns (`arn:aws:iam::aws:policy/...`). \
           Errors where AWS rejects the policy (the ARN's shape, any principal ARN, a region on an \
           S3 bucket ARN), warnings where it accepts a pattern that matches nothing.",
    why: "A malformed ARN matches nothing: the grant silently does nothing, or AWS rejects the policy \
          (`MalformedPolicyDocument: Invalid principal` for `arn:aws:iam::AccountB-ID:user/Dave`). \
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

/// A problem of one ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// The repaired ARN, when the repair is mechanical.
    pub fix: Option<String>,
    pub severity: Severity,
}

impl Problem {
    fn error(message: impl Into<String>, fix: Option<String>) -> Problem {
        Problem {
            message: message.into(),
            fix,
            severity: Severity::Error,
        }
    }

    fn warning(message: impl Into<String>, fix: Option<String>) -> Problem {
        Problem {
            message: message.into(),
            fix,
            severity: Severity::Warning,
        }
    }
}

/// What is wrong with a resource ARN pattern. The ARN's shape (six fields, a partition, a
/// service, a resource part) is an error: AWS rejects the policy. Region and account
/// fields that cannot name a resource (placeholders such as `region` or `account-id`, a
/// region where the resource type has none) are warnings: IAM accepts the pattern, which
/// matches nothing. The exception is a region or account on an S3 bucket or object ARN,
/// which S3 rejects in a bucket policy (`Policy has invalid resource`).
pub fn resource_problem(arn: &str) -> Option<Problem> {
    if arn == "*" {
        return None;
    }
    if !arn.starts_with("arn:") {
        let fix = (!arn.contains(':') && !arn.is_empty()).then(|| format!("arn:aws:s3:::{arn}"));
        return Some(Problem::error(
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
        return Some(Problem::error(
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
        return Some(Problem::error(
            format!("`{partition}` is not an AWS partition"),
            None,
        ));
    }
    if service.is_empty() {
        return Some(Problem::error(format!("`{arn}` has no service"), None));
    }
    if service.contains(['*', '?']) {
        return Some(Problem::error(
            "wildcards are not allowed in the service field of an ARN".to_string(),
            None,
        ));
    }
    if resource.is_empty() {
        return Some(Problem::error(
            format!("`{arn}` has no resource part"),
            None,
        ));
    }
    fields_problem_cached(partition, service, region, account, resource)
}

/// Whether `s` is a policy variable AWS substitutes (`${aws:RequestedRegion}`,
/// `${aws:PrincipalAccount}`, `${*}`) or a CloudFormation substitution (`${AWS::Region}`):
/// anything with a namespace. `${region}` is not: it is a placeholder left in the text.
fn substituted(s: &str) -> bool {
    let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return false;
    };
    inner.contains(':') || matches!(inner, "*" | "?" | "$")
}

/// Whether a region field can name a region: `us-east-1`, `eu-central-2`, `cn-north-1`,
/// `us-gov-west-1`, `eusc-de-east-1`, or a pattern (`*`, `us-*`), or a policy variable.
pub fn region_like(region: &str) -> bool {
    if region.contains(['*', '?']) && !region.contains(['<', '>', '{', '}']) || substituted(region)
    {
        return true;
    }
    let parts: Vec<&str> = region.split('-').collect();
    match parts.as_slice() {
        [first, middle @ .., last] if !middle.is_empty() => {
            (2..=4).contains(&first.len())
                && first.bytes().all(|b| b.is_ascii_lowercase())
                && middle
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && (1..=2).contains(&last.len())
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// The names AWS uses in the account field of what it owns: AWS managed policies
/// (`arn:aws:iam::aws:policy/...`) and CloudFront origin access identities
/// (`arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E...`).
const AWS_OWNED_ACCOUNTS: &[&str] = &["aws", "cloudfront"];

/// Whether an account field can name an account: 12 digits, an account AWS owns, a
/// pattern or a policy variable.
pub fn account_like(account: &str) -> bool {
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        || AWS_OWNED_ACCOUNTS.contains(&account)
        || account.contains(['*', '?']) && !account.contains(['<', '>', '{', '}'])
        || substituted(account)
}

thread_local! {
    /// The answers of [`fields_problem`] by ARN: the same ARNs recur across a workspace's
    /// policies, and each answer walks the service's resource-type templates.
    static FIELDS: std::cell::RefCell<std::collections::HashMap<String, Option<Problem>>> =
        std::cell::RefCell::default();
}

fn fields_problem_cached(
    partition: &str,
    service: &str,
    region: &str,
    account: &str,
    resource: &str,
) -> Option<Problem> {
    let key = format!("{partition}:{service}:{region}:{account}:{resource}");
    if let Some(hit) = FIELDS.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let answer = fields_problem(partition, service, region, account, resource);
    FIELDS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 50_000 {
            c.clear();
        }
        c.insert(key, answer.clone());
    });
    answer
}

/// The region and account fields against the resource types the catalogue knows for the
/// service (their ARN templates say which have a region and an account).
fn fields_problem(
    partition: &str,
    service: &str,
    region: &str,
    account: &str,
    resource: &str,
) -> Option<Problem> {
    if !region.is_empty() && !region_like(region) {
        return Some(Problem::warning(
            format!(
                "`{region}` is not an AWS region (such as `us-east-1`); the ARN matches nothing"
            ),
            None,
        ));
    }
    if !account.is_empty() && !account_like(account) {
        return Some(Problem::warning(
            format!("account `{account}` is not a 12-digit account id; the ARN matches nothing"),
            None,
        ));
    }
    let cat = latch_syntax::catalog::catalog();
    let svc = cat.service(service)?;
    // The resource types whose resource part can be this one, whatever the region and
    // account; if one of them also accepts this region and account, all is well.
    let loose = format!("arn:{partition}:{service}:*:*:{resource}");
    let arn = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
    // A template whose resource part opens with literal text can only match a resource
    // that opens with it (unless the resource has wildcards): a cheap test first, since
    // matching every template of a service is most of this check's cost.
    let wild = resource.contains(['*', '?']);
    let may_match = |template: &str| {
        let res = template.splitn(6, ':').nth(5).unwrap_or_default();
        let literal = res.split(['$', '*']).next().unwrap_or_default();
        wild || resource.starts_with(literal)
    };
    let candidates: Vec<_> = svc
        .resource_types
        .iter()
        .filter(|t| may_match(t.arn))
        .filter(|t| {
            latch_syntax::catalog::pattern::arn_matches_template(t.arn, &loose) == Some(true)
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let template_fields = |t: &&latch_syntax::catalog::ResourceType| {
        latch_syntax::catalog::pattern::arn_fields(t.arn)
            .map(|f| (f[3].is_empty(), f[4].is_empty()))
    };
    let no_region = candidates
        .iter()
        .all(|t| template_fields(t).is_some_and(|f| f.0));
    let no_account = candidates
        .iter()
        .all(|t| template_fields(t).is_some_and(|f| f.1));
    let needs_region = candidates
        .iter()
        .all(|t| template_fields(t).is_some_and(|f| !f.0));
    let example = candidates.first().map(|t| t.arn).unwrap_or_default();
    // A `${Region}` placeholder also matches an empty field: test that case first.
    if needs_region && region.is_empty() {
        return Some(Problem::warning(
            format!("`{service}` ARNs of this resource type have a region: `{example}`"),
            None,
        ));
    }
    if candidates
        .iter()
        .any(|t| latch_syntax::catalog::pattern::arn_matches_template(t.arn, &arn) == Some(true))
    {
        return None;
    }
    let clear =
        (no_region && no_account).then(|| format!("arn:{partition}:{service}:::{resource}"));
    let severity = if service == "s3" && clear.is_some() {
        Severity::Error
    } else {
        Severity::Warning
    };
    if no_region && !region.is_empty() && !region.contains(['*', '?']) {
        return Some(Problem {
            message: format!("`{service}` ARNs of this resource type have no region: `{example}`"),
            fix: clear,
            severity,
        });
    }
    if no_account && !account.is_empty() && !account.contains(['*', '?']) {
        return Some(Problem {
            message: format!("`{service}` ARNs of this resource type have no account: `{example}`"),
            fix: clear,
            severity,
        });
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
    // AWS rejects the policy (`MalformedPolicyDocument: Invalid principal`) when a
    // principal ARN's account is not an account id, as in `arn:aws:iam::AccountB-ID:user/Dave`.
    let (service, region, account) = (fields[2], fields[3], fields[4]);
    if !account.is_empty() && !account_like(account) && !account.starts_with("${") {
        return Some(format!(
            "account `{account}` in `{value}` is not a 12-digit account id; AWS rejects the principal"
        ));
    }
    if matches!(service, "iam" | "sts") && !region.is_empty() && !region.starts_with("${") {
        return Some(format!(
            "`{service}` principal ARNs have no region, here `{region}`; AWS rejects the principal"
        ));
    }
    None
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for st in &ctx.policy.statements {
        for v in st.resource.iter().flat_map(|r| r.values.iter()) {
            if let Some(problem) = resource_problem(&v.value) {
                let mut f = Finding::new(DOC.code, problem.severity, v.span, problem.message);
                if let Some(fixed) = problem.fix {
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
                .and_then(|p| p.fix)
                .as_deref(),
            Some("arn:aws:s3:::bucket")
        );
        assert_eq!(
            resource_problem("arn:aws:s3:us-east-1:111122223333:bucket")
                .and_then(|p| p.fix)
                .as_deref(),
            Some("arn:aws:s3:::bucket")
        );
        assert!(resource_problem("arn:aws:s*:::b").is_some());
        assert!(resource_problem("arn:aws:iam::12345:role/x").is_some());
    }

    fn severity(arn: &str) -> Option<Severity> {
        resource_problem(arn).map(|p| p.severity)
    }

    #[test]
    fn aws_owned_resources_have_the_account_aws() {
        assert_eq!(
            severity("arn:aws:iam::aws:policy/AdministratorAccess"),
            None
        );
        assert_eq!(
            severity("arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
            None
        );
        assert_eq!(principal_problem("arn:aws:iam::aws:policy/x"), None);
        assert_eq!(
            principal_problem(
                "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity EAF5XXXXXXXXX"
            ),
            None
        );
    }

    #[test]
    fn region_and_account_placeholders_match_nothing() {
        for arn in [
            "arn:aws:ec2:region:111122223333:instance/*",
            "arn:aws:ec2:<region>:111122223333:instance/*",
            "arn:aws:ec2:${region}:111122223333:instance/*",
            "arn:aws:ec2:REGION:111122223333:instance/*",
            "arn:aws:ec2:us-east-x:111122223333:instance/*",
            "arn:aws:ec2:us-east-1:account-id:instance/*",
            "arn:aws:ec2:us-east-1:AccountB-ID:instance/*",
            "arn:aws:ec2:us-east-1:<account>:instance/*",
            "arn:aws:ec2:us-east-1:ACCOUNT_ID:instance/*",
            "arn:aws:ec2:us-east-1:${account_id}:instance/*",
        ] {
            assert_eq!(severity(arn), Some(Severity::Warning), "{arn}");
        }
        for arn in [
            "arn:aws:ec2:us-east-1:111122223333:instance/*",
            "arn:aws:ec2:eu-central-2:111122223333:instance/*",
            "arn:aws-cn:ec2:cn-north-1:111122223333:instance/*",
            "arn:aws-us-gov:ec2:us-gov-west-1:111122223333:instance/*",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-*:111122223333:instance/*",
            "arn:aws:ec2:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*",
            "arn:aws:ec2:*::image/*",
            "arn:aws:ssm:*::parameter/aws/service/*",
        ] {
            assert_eq!(severity(arn), None, "{arn}");
        }
    }

    #[test]
    fn the_catalogue_says_which_resource_types_have_a_region() {
        // S3 Storage Lens configurations have a region and an account, buckets do not.
        assert_eq!(
            severity("arn:aws:s3:us-east-1:123456789012:storage-lens/x"),
            None
        );
        assert_eq!(
            severity("arn:aws:s3:us-east-1:123456789012:storage-lens-group/x"),
            None
        );
        assert_eq!(
            severity("arn:aws:s3:us-east-1:111122223333:bucket"),
            Some(Severity::Error)
        );
        // IAM has no region; a region there matches nothing.
        assert_eq!(
            severity("arn:aws:iam:us-east-1:111122223333:role/r"),
            Some(Severity::Warning)
        );
        // A DynamoDB table has one.
        assert_eq!(
            severity("arn:aws:dynamodb::111122223333:table/t"),
            Some(Severity::Warning)
        );
        assert_eq!(
            severity("arn:aws:dynamodb:us-east-1:111122223333:table/t"),
            None
        );
    }

    #[test]
    fn principal_problems() {
        assert!(principal_problem("arn:aws:iam::111122223333:role/r").is_none());
        assert!(principal_problem("111122223333").is_none());
        assert!(principal_problem("arn:aws:iam::111122223333:role/*").is_some());
        assert!(principal_problem("AROAEXAMPLEID").is_some());
        assert!(principal_problem("arn:aws:iam::AccountB-ID:user/Dave").is_some());
        assert!(principal_problem("arn:aws:iam::<account>:root").is_some());
        assert!(principal_problem("arn:aws:iam:us-east-1:111122223333:root").is_some());
        assert!(principal_problem("arn:aws:sts::111122223333:assumed-role/r/s").is_none());
    }
}
