//! `syntax/missing-comma`: a missing `,` between two members or items. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/missing-comma",
    severity: Severity::Error,
    summary: r###"a missing `,` between two members or items"###,
    what: r###"Reports two members or array items with no comma between them, a common result of pasting a line into a policy."###,
    why: r###"AWS rejects the document; the finding sits on the member after the gap and the fix inserts the comma after the previous value."###,
    example: r###"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject"
    "Resource": "*"
  }]
}"###,
    prefer: r###"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*"
  }]
}"###,
    fix: FixAvailability::Always,
};
