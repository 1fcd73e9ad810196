//! `syntax/invalid-number`: a number JSON cannot read. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/invalid-number",
    severity: Severity::Error,
    summary: r###"a number JSON cannot read"###,
    what: r###"Reports numbers with leading zeros, a lone minus, or a dangling decimal point or exponent."###,
    why: r###"AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": 01}}}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "10"}}}]}"###,
    fix: FixAvailability::None,
};
