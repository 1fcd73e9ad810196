//! `policy/invalid-principal`: a `Principal` that is not `"*"` or a map of principal types. Reported while reading (see `latch_syntax` and the
//! workspace); this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-principal",
    severity: Severity::Error,
    summary: r###"a `Principal` that is not `"*"` or a map of principal types"###,
    what: r###"Reports a `Principal` written as a plain ARN string, and principal types other than `AWS`, `Service`, `Federated` and `CanonicalUser`."###,
    why: r###"AWS accepts only `"*"` as a bare string. A principal it cannot read matches no one, so the statement grants nothing."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:role/reader", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/reader"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"###,
    fix: FixAvailability::None,
};
