//! `policy/invalid-value-type`: an element with the wrong kind of value. Reported while reading (see `latch_syntax` and the
//! workspace); this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-value-type",
    severity: Severity::Error,
    summary: r###"an element with the wrong kind of value"###,
    what: r###"Reports elements whose value has the wrong JSON type: a number as `Action`, a string as `Condition`, a statement that is not an object."###,
    why: r###"AWS rejects the policy; Latch reads the rest of the statement and ignores the value."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": {"s3": "GetObject"}, "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};
