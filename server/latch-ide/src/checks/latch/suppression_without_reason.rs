//! `latch/suppression-without-reason`: a `latch:ignore` comment or `[[check.allow]]` entry
//! that does not say why. Reported by `crate::suppress`; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "latch/suppression-without-reason",
    severity: Severity::Warning,
    summary: r###"a suppression that does not say why the finding is accepted"###,
    what: r###"Reports a `# latch:ignore CODE` comment with no text after its codes, and a `[[check.allow]]` entry whose `reason` is missing or empty. The suppression still applies; the finding asks for the reason. The editor's "ignore this finding" action writes the suppression with the reason left for you to fill in."###,
    why: r###"A suppression is a decision someone reviewed. Without the reason, the next reader cannot tell an accepted risk from a shortcut, and cannot tell when the reason stops holding."###,
    example: r###"//- main.tf
resource "aws_iam_policy" "legacy" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # latch:ignore policy/invalid-effect
      Effect   = "allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}
"###,
    prefer: r###"//- main.tf
resource "aws_iam_policy" "legacy" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # latch:ignore policy/invalid-effect replaced by the v2 role next quarter
      Effect   = "allow"
      Action   = "s3:GetObject"
      Resource = "arn:aws:s3:::reports/*"
    }]
  })
}
"###,
    fix: FixAvailability::None,
};
