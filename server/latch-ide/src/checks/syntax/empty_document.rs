//! `syntax/empty-document`: the file is empty. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/empty-document",
    severity: Severity::Error,
    summary: r###"the file is empty"###,
    what: r###"Reports a policy file with no content."###,
    why: r###"An empty file is not a policy; AWS rejects it and every tool reading the workspace must skip it."###,
    example: r###"//- policies/empty.json
//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = ["policies/empty.json"]
"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};
