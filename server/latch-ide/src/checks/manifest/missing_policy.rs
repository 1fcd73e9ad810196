//! `manifest/missing-policy`: a policy file `latch.toml` names does not exist. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/missing-policy",
    severity: Severity::Error,
    summary: r###"a policy file `latch.toml` names does not exist"###,
    what: r###"Reports policy references in `latch.toml` to files that are not in the workspace."###,
    why: r###"The principal, bucket or key is simulated without that policy, so its grants or denies are missing from every decision."###,
    example: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = ["iam/jane.json"]
"###,
    prefer: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = ["iam/jane.json"]
//- iam/jane.json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}
"###,
    fix: FixAvailability::None,
};
