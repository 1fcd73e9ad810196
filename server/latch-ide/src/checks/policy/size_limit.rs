//! `policy/size-limit`: a policy larger than AWS accepts for its kind.

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/size-limit",
    severity: Severity::Error,
    summary: "the policy is larger than AWS accepts for its kind",
    what: "Reports policies over the size quota of their kind: managed identity policies 6,144 \
           characters (whitespace not counted), trust and session policies 2,048, SCPs and RCPs 5,120 \
           (every character counts), bucket policies 20 KB, key policies 32 KB, VPC endpoint policies \
           20,480 characters.",
    why: "AWS rejects the policy when it is created or attached; in Terraform the apply fails halfway.",
    example: "//- generated\nan identity policy with 300 copies of a 60-character resource ARN: 18,000 characters",
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a-very-long-bucket-name-for-the-size-example/*"}]}"#,
    fix: FixAvailability::None,
};

/// How a kind's quota counts, and the limit.
fn limit(kind: PolicyKind) -> (usize, bool, &'static str) {
    // (limit, whitespace counted, unit)
    match kind {
        PolicyKind::Identity | PolicyKind::Boundary => (6_144, false, "characters"),
        PolicyKind::Trust | PolicyKind::Session => (2_048, false, "characters"),
        PolicyKind::Scp | PolicyKind::Rcp => (5_120, true, "characters"),
        PolicyKind::Resource => (20_480, true, "bytes"),
        PolicyKind::KeyPolicy => (32_768, true, "bytes"),
        PolicyKind::VpcEndpoint => (20_480, true, "characters"),
    }
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let (max, whitespace_counts, unit) = limit(ctx.kind);
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
    let size = match (whitespace_counts, unit) {
        (true, "bytes") => text.len(),
        (true, _) => text.chars().count(),
        (false, _) => text.chars().filter(|c| !c.is_whitespace()).count(),
    };
    if size > max {
        let counting = if whitespace_counts {
            ""
        } else {
            ", whitespace not counted"
        };
        out.push(Finding::new(
            DOC.code,
            DOC.severity,
            latch_syntax::Span::new(
                ctx.tree.span.start,
                (ctx.tree.span.start + 1).min(ctx.tree.span.end),
            ),
            format!(
                "this {} is {size} {unit}{counting}; AWS accepts at most {max}",
                ctx.kind.name()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::policy::test_util::codes_as;
    use latch_syntax::policy::PolicyKind;

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
}
