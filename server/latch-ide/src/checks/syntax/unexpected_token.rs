//! `syntax/unexpected-token`: a character or bracket that does not belong there. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/unexpected-token",
    severity: Severity::Error,
    summary: r###"a character or bracket that does not belong there"###,
    what: r###"Reports characters that cannot appear where they are, closing brackets without an opening one, and content after the end of the document."###,
    why: r###"AWS rejects documents that are not exactly one JSON value."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Sometimes,
};
