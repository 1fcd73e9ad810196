//! `syntax/duplicate-key`: the same key twice in one object. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/duplicate-key",
    severity: Severity::Error,
    summary: r###"the same key twice in one object"###,
    what: r###"Reports a key that appears earlier in the same object, with a link to the first one."###,
    why: r###"JSON leaves the meaning undefined: AWS and each tool may keep a different one, so the policy you read is not the policy that runs."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Action": "s3:PutObject", "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};
