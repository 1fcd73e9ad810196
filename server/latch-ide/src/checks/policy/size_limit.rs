//! `policy/size-limit`: a policy larger than AWS accepts for its kind.

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/size-limit",
    severity: Severity::Error,
    summary: "the policy is larger than AWS accepts for its kind",
    what: "Reports a policy over the size quota of its kind, when `latch.toml` or the Terraform \
           resource that holds it states the kind (a kind inferred from the content says too little: \
           the same identity policy may be managed, 6,144 characters, or inline on a role, 10,240). \
           The quotas, from AWS's documentation: managed policies and permissions boundaries 6,144 \
           characters; inline policies, in aggregate per identity, 10,240 for a role, 2,048 for a \
           user, 5,120 for a group; role trust policies 2,048 (raisable to 8,192 with a quota \
           request) and session policies 2,048: IAM does not count whitespace in any of these \
           (IAM and AWS STS quotas). SCPs and RCPs 5,120 characters, whitespace counted \
           (AWS Organizations quotas); S3 bucket policies 20 KB (Amazon S3 bucket policy quotas); \
           KMS key policies 32 KB (AWS KMS quotas); VPC endpoint policies 20,480 characters \
           (AWS PrivateLink quotas). An identity policy whose attachment is not known is an error \
           over 10,240 and a warning over 6,144. A policy over a quota that a quota request can \
           raise is a warning.",
    why: "AWS rejects the policy when it is created or attached; in Terraform the apply fails halfway.",
    example: "//- generated\nan identity policy with 300 copies of a 60-character resource ARN: 18,000 characters",
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a-very-long-bucket-name-for-the-size-example/*"}]}"#,
    fix: FixAvailability::None,
};

/// How AWS measures a policy against a quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Count {
    /// Characters, whitespace not counted (IAM).
    NonWhitespace,
    /// Characters, whitespace counted.
    Characters,
    /// Bytes of the UTF-8 text.
    Bytes,
}

/// One size quota.
#[derive(Clone, Copy, Debug)]
struct Quota {
    /// What the policy is, for the message: "managed policy".
    what: &'static str,
    /// Above this AWS rejects the policy, whatever the account's quotas.
    max: usize,
    /// Above this AWS rejects the policy unless a quota was raised, or unless the policy is
    /// attached in a way the workspace does not say: a warning.
    warn_above: Option<usize>,
    count: Count,
}

impl Quota {
    const fn new(what: &'static str, max: usize, count: Count) -> Quota {
        Quota {
            what,
            max,
            warn_above: None,
            count,
        }
    }
}

/// The quota of a policy of `kind` held by `owner` (Terraform resource type, attribute),
/// or `None` where the kind does not say which quota applies.
///
/// Sources: IAM and AWS STS quotas
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>: managed
/// policy 6,144 characters, role inline policies 10,240, user 2,048, group 5,120, role
/// trust policy 2,048 by default and 8,192 at most, session policies 2,048; "IAM doesn't
/// count white space"), AWS Organizations quotas (SCPs and RCPs 5,120 characters), Amazon
/// S3 (bucket policies 20 KB), AWS KMS quotas (key policy document 32 KB), AWS PrivateLink
/// quotas (VPC endpoint policy 20,480 characters).
fn quota(kind: PolicyKind, owner: Option<(&str, &str)>) -> Option<Quota> {
    use Count::*;
    Some(match kind {
        PolicyKind::Identity => match owner {
            Some(("aws_iam_policy", _)) => Quota::new("managed policy", 6_144, NonWhitespace),
            Some(("aws_iam_role_policy" | "aws_iam_role", _)) => {
                Quota::new("inline role policy", 10_240, NonWhitespace)
            }
            Some(("aws_iam_user_policy", _)) => {
                Quota::new("inline user policy", 2_048, NonWhitespace)
            }
            Some(("aws_iam_group_policy", _)) => {
                Quota::new("inline group policy", 5_120, NonWhitespace)
            }
            // Managed or inline: only what no identity policy can be is certain.
            _ => Quota {
                what: "identity policy",
                max: 10_240,
                warn_above: Some(6_144),
                count: NonWhitespace,
            },
        },
        PolicyKind::Boundary => Quota::new("permissions boundary", 6_144, NonWhitespace),
        PolicyKind::Trust => Quota {
            what: "role trust policy",
            max: 8_192,
            warn_above: Some(2_048),
            count: NonWhitespace,
        },
        PolicyKind::Session => Quota::new("session policy", 2_048, NonWhitespace),
        PolicyKind::Scp => Quota::new("service control policy", 5_120, Characters),
        PolicyKind::Rcp => Quota::new("resource control policy", 5_120, Characters),
        PolicyKind::KeyPolicy => Quota::new("key policy", 32_768, Bytes),
        PolicyKind::VpcEndpoint => Quota::new("VPC endpoint policy", 20_480, Characters),
        PolicyKind::Resource => match owner {
            // A bucket policy from `latch.toml` (its `bucket` role) or an S3 resource.
            None | Some(("aws_s3_bucket_policy" | "aws_s3_bucket", _)) => {
                Quota::new("bucket policy", 20_480, Bytes)
            }
            // Queue, topic, repository, secret policies: other services, other quotas.
            Some(_) => return None,
        },
    })
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    if !ctx.kind_stated {
        return;
    }
    let Some(q) = quota(ctx.kind, ctx.owner) else {
        return;
    };
    // The policy as written when it is a whole JSON file; the compact JSON that Terraform
    // sends when it is embedded in a `.tf` file.
    let source = ctx
        .text
        .get(ctx.tree.span.range())
        .filter(|s| s.starts_with('{'));
    let compact;
    let text: &str = match source {
        Some(s) if ctx.tree.span.len() == ctx.text.trim().len() => s,
        _ => {
            compact = ctx.tree.to_compact_json();
            &compact
        }
    };
    let (size, unit) = match q.count {
        Count::Bytes => (text.len(), "bytes"),
        Count::Characters => (text.chars().count(), "characters"),
        Count::NonWhitespace => (
            text.chars().filter(|c| !c.is_whitespace()).count(),
            "characters, whitespace not counted",
        ),
    };
    let (severity, limit, note) = if size > q.max {
        (Severity::Error, q.max, "")
    } else if let Some(w) = q.warn_above.filter(|&w| size > w) {
        let note = match ctx.kind {
            PolicyKind::Trust => {
                " by default; a quota increase raises it to 8,192, so check the account's quota"
            }
            _ => " as a managed policy; an inline role policy may have 10,240",
        };
        (Severity::Warning, w, note)
    } else {
        return;
    };
    out.push(Finding::new(
        DOC.code,
        severity,
        latch_syntax::Span::new(
            ctx.tree.span.start,
            (ctx.tree.span.start + 1).min(ctx.tree.span.end),
        ),
        format!(
            "this {} is {size} {unit}; AWS accepts at most {limit}{note}",
            q.what
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::checks::policy::PolicyCtx;
    use crate::checks::policy::test_util::codes_as;
    use latch_syntax::Severity;
    use latch_syntax::policy::{PolicyKind, parse_policy};

    /// The generated example of the doc block.
    pub fn oversized() -> String {
        let arns =
            vec!["\"arn:aws:s3:::a-very-long-bucket-name-for-the-size-example/*\""; 300].join(", ");
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [{arns}]}}]}}"#
        )
    }

    #[test]
    fn oversized_identity_policy_is_reported_but_fits_as_a_bucket_policy() {
        let text = oversized();
        assert!(codes_as(&text, PolicyKind::Identity).contains(&"policy/size-limit"));
        assert!(!codes_as(&text, PolicyKind::KeyPolicy).contains(&"policy/size-limit"));
    }

    /// A policy of about `n` non-whitespace characters, indented with 4 spaces.
    fn sized(n: usize) -> String {
        let arn = "\"arn:aws:s3:::bucket-name-000000000000000000000000000000000000000000/*\"";
        let count = n / (arn.len() + 1);
        let arns = vec![arn; count].join(",\n                ");
        format!(
            "{{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": [\n        {{\n            \"Effect\": \"Allow\",\n            \"Action\": \"s3:GetObject\",\n            \"Resource\": [\n                {arns}\n            ]\n        }}\n    ]\n}}\n"
        )
    }

    fn findings(
        text: &str,
        kind: PolicyKind,
        owner: Option<(&str, &str)>,
        inferred: bool,
    ) -> Vec<(Severity, String)> {
        let parsed = parse_policy(text);
        let mut out = Vec::new();
        let Some(tree) = &parsed.tree else {
            return Vec::new();
        };
        let mut ctx = PolicyCtx::new(text, tree, &parsed.policy, kind).inferred(inferred);
        ctx.owner = owner;
        check(&ctx, &mut out);
        out.into_iter().map(|f| (f.severity, f.message)).collect()
    }

    #[test]
    fn an_inferred_kind_has_no_size_quota() {
        let text = oversized();
        assert!(findings(&text, PolicyKind::Identity, None, true).is_empty());
        assert_eq!(findings(&text, PolicyKind::Identity, None, false).len(), 1);
    }

    #[test]
    fn managed_policies_do_not_count_whitespace() {
        // 7,000 characters with whitespace, under 6,144 without.
        let text = sized(6_000);
        let non_ws = text.chars().filter(|c| !c.is_whitespace()).count();
        assert!(
            text.len() > 6_144 && non_ws < 6_144,
            "{} {non_ws}",
            text.len()
        );
        assert!(
            findings(
                &text,
                PolicyKind::Identity,
                Some(("aws_iam_policy", "policy")),
                false
            )
            .is_empty()
        );
        // An SCP counts every character.
        let scp = findings(&sized(5_000), PolicyKind::Scp, None, false);
        assert_eq!(scp.len(), 1);
        assert!(
            scp[0].1.starts_with("this service control policy is "),
            "{scp:?}"
        );
    }

    #[test]
    fn the_owner_gives_the_quota() {
        let text = sized(3_000);
        let user = findings(
            &text,
            PolicyKind::Identity,
            Some(("aws_iam_user_policy", "policy")),
            false,
        );
        assert_eq!(user.len(), 1);
        assert_eq!(user[0].0, Severity::Error);
        assert!(
            user[0].1.contains("inline user policy") && user[0].1.ends_with("at most 2048"),
            "{user:?}"
        );
        assert!(
            findings(
                &text,
                PolicyKind::Identity,
                Some(("aws_iam_role_policy", "policy")),
                false
            )
            .is_empty()
        );
        assert!(
            findings(
                &text,
                PolicyKind::Identity,
                Some(("aws_iam_group_policy", "policy")),
                false
            )
            .is_empty()
        );
        let managed = findings(
            &sized(8_000),
            PolicyKind::Identity,
            Some(("aws_iam_policy", "policy")),
            false,
        );
        assert_eq!(managed[0].0, Severity::Error);
        assert!(managed[0].1.contains("managed policy"), "{managed:?}");
        // Attachment unknown: a warning between 6,144 and 10,240.
        let unknown = findings(&sized(8_000), PolicyKind::Identity, None, false);
        assert_eq!(unknown[0].0, Severity::Warning);
        // A queue policy: not an S3 quota.
        assert!(
            findings(
                &sized(30_000),
                PolicyKind::Resource,
                Some(("aws_sqs_queue_policy", "policy")),
                false
            )
            .is_empty()
        );
    }

    #[test]
    fn a_raisable_trust_policy_quota_is_a_warning() {
        let trust = findings(
            &sized(3_000),
            PolicyKind::Trust,
            Some(("aws_iam_role", "assume_role_policy")),
            false,
        );
        assert_eq!(trust.len(), 1);
        assert_eq!(trust[0].0, Severity::Warning);
        assert!(trust[0].1.contains("8,192"), "{trust:?}");
        let trust = findings(
            &sized(9_000),
            PolicyKind::Trust,
            Some(("aws_iam_role", "assume_role_policy")),
            false,
        );
        assert_eq!(trust[0].0, Severity::Error);
    }
}
