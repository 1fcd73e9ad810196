//! `manifest/invalid-value-type`: a `latch.toml` value of the wrong type. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/invalid-value-type",
    severity: Severity::Error,
    summary: r###"a `latch.toml` value of the wrong type"###,
    what: r###"Reports values of the wrong TOML type, such as a string where a list of policy paths belongs."###,
    why: r###"The value is ignored, so the principal, bucket or intent is read without it."###,
    example: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = 5
"###,
    prefer: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = []
"###,
    fix: FixAvailability::None,
};
