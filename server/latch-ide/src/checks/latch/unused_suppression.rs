//! `latch/unused-suppression`: a `latch:ignore` comment or `[[check.allow]]` entry that
//! suppresses nothing. Reported by `crate::suppress`; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "latch/unused-suppression",
    severity: Severity::Warning,
    summary: r###"a suppression that suppresses nothing"###,
    what: r###"Reports each code named by a `# latch:ignore` comment (in Terraform, `#`, `//` or `/* */`) or by a `[[check.allow]]` entry of `latch.toml` when no finding of that code is where the suppression applies: the line below the comment (or the whole block when the comment heads a block or is its first line), or the named file and statement. A code that is not a Latch check at all is reported the same way. When nothing of the suppression is used, the fix removes it."###,
    why: r###"Suppressions outlive the findings they were written for: once the policy is fixed or the code moves, a stale suppression would silently hide the next real finding in that place. Reporting them keeps the list of accepted findings honest."###,
    example: r###"//- main.tf
# latch:ignore policy/invalid-effect the effect was fixed since
resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
"###,
    prefer: r###"//- main.tf
resource "aws_iam_policy" "reader" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
"###,
    fix: FixAvailability::Sometimes,
};
