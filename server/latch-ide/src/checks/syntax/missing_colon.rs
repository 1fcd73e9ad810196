//! `syntax/missing-colon`: a key and its value without `:` between them. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/missing-colon",
    severity: Severity::Error,
    summary: r###"a key and its value without `:` between them"###,
    what: r###"Reports a key directly followed by its value."###,
    why: r###"AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect" "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};
