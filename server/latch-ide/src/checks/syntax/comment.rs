//! `syntax/comment`: a comment in a JSON policy. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/comment",
    severity: Severity::Error,
    summary: r###"a comment in a JSON policy"###,
    what: r###"Reports `//`, `/* */` and `#` comments."###,
    why: r###"AWS rejects policy documents with comments. Put explanations in the `Sid`, or in the Terraform code around the policy."###,
    example: r###"{
  "Version": "2012-10-17",
  // read-only access
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}"###,
    prefer: r###"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
}"###,
    fix: FixAvailability::Always,
};
