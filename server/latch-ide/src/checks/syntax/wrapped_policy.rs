//! `syntax/wrapped-policy`: the output of an AWS command (`aws s3api get-bucket-policy`,
//! `aws iam get-policy-version`, ...) whose policy cannot be read. Reported while reading
//! (see `crate::wrapped`); this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/wrapped-policy",
    severity: Severity::Warning,
    summary: r###"the policy inside an AWS command's output cannot be read"###,
    what: r###"Latch reads the policy that the output of an AWS command holds: `aws iam get-policy-version` (`PolicyVersion.Document`), `aws iam get-role` (`Role.AssumeRolePolicyDocument`, a trust policy), `aws iam get-role-policy` and `get-user-policy` (`PolicyDocument`), `aws s3api get-bucket-policy` (`Policy`, a bucket policy), `aws kms get-key-policy` (`Policy` with `PolicyName`, a key policy) and `aws organizations describe-policy` (`Policy.Content`, an SCP or RCP). The document may be an object, a string of escaped JSON, or URL-encoded JSON as IAM's API returns it; findings inside a string point at its exact characters. This check reports such a file whose document is not a policy: a string that holds no JSON object, a URL-encoded string that does not decode to UTF-8, a number or a list."###,
    why: r###"The file looks like a saved policy, so skipping it in silence would pass it as checked while nothing in it was read."###,
    example: r###"//- bucket-policy.json
{"Policy": "NoSuchBucketPolicy"}
"###,
    prefer: r###"//- bucket-policy.json
{"Policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::DOC-EXAMPLE-BUCKET/*\"}]}"}
"###,
    fix: FixAvailability::None,
};
