#!/usr/bin/env python3
"""Generates the check files of SCENARIOS sections A and B (checks/access, checks/cloudfront,
checks/s3/list_bucket_404.rs): each a CheckDoc whose example and preferred form are
multi-file fixtures taken from tests/fixtures/scenarios (the preferred form is the `ok`
variant or the example with the repair applied as text replacements)."""
import os, re

ROOT = os.path.join(os.path.dirname(__file__), "..")
SC = os.path.join(ROOT, "tests/fixtures/scenarios")
OUT = os.path.join(ROOT, "server/latch-ide/src/checks")

def files(variant):
    d = os.path.join(SC, variant)
    out = []
    for base, _, names in os.walk(d):
        for n in sorted(names):
            p = os.path.join(base, n)
            rel = os.path.relpath(p, d)
            if rel == "expected.json":
                continue
            out.append((rel, open(p).read()))
    out.sort()
    return out

def fixture(fs):
    return "".join(f"//- {p}\n{t if t.endswith(chr(10)) else t + chr(10)}" for p, t in fs)

def included(variant):
    """A fixture folder as a Rust expression that includes its files, so the docs run the
    fixtures themselves rather than a copy that can drift (the `.rs` file sits five folders
    below the repository root)."""
    parts = []
    for p, t in files(variant):
        parts.append(f'"//- {p}\\n"')
        parts.append(f'include_str!("../../../../../tests/fixtures/scenarios/{variant}/{p}")')
        if not t.endswith("\n"):
            parts.append('"\\n"')
    return "concat!(\n        " + ",\n        ".join(parts) + ",\n    )"

def replaced(variant, reps):
    fs = files(variant)
    out = []
    for p, t in fs:
        for (rp, old, new) in reps:
            if rp == p:
                assert old in t, (variant, p, old)
                t = t.replace(old, new)
        out.append((p, t))
    return out

E, W, H = "Error", "Warning", "Hint"
A, S, N = "Always", "Sometimes", "None"
CHECKS = [
 ("access/identity-missing", E, A,
  "a grant that no identity policy completes",
  "Simulates the requests the workspace means to allow (declared `[[expect]]` entries, and the requests each bucket-policy grant or identity Allow implies) and reports those that no identity policy of the caller allows: a cross-account grant that the other account's role or user does not complete, or a same-account caller with neither an identity nor a resource grant.",
  "Cross-account access needs both the resource policy and the caller's own identity policy; either alone is an implicit deny, and AWS answers 403.",
  "access__identity-missing/cross-account-json", ("access__identity-missing/ok", None)),
 ("access/kms-key", E, A,
  "the caller cannot use the KMS key of SSE-KMS objects",
  "Follows each S3 request on an SSE-KMS bucket to the KMS request it implies (`kms:Decrypt` for reads, `kms:GenerateDataKey` for writes) and evaluates it against the key policy and the caller's policies. The finding sits on the grant that has no effect, with the key policy as related location.",
  "The key policy is primary: IAM policies count only where it delegates to the account, and across accounts both the key policy and the caller's identity policy must allow. Without the key the object read or write answers 403.",
  "access__kms-key/cross-account-json", ("access__kms-key/ok", None)),
 ("access/explicit-deny", E, N,
  "an explicit Deny blocks a request the workspace means to make",
  "Reports the Deny statement (bucket, identity, boundary or session policy) that wins over the Allows for an intended request, with each of its conditions evaluated.",
  "An explicit Deny anywhere overrides every Allow; the grant elsewhere has no effect.",
  "access__explicit-deny/bucket-deny-json", ("access__explicit-deny/ok", None)),
 ("access/vpce-policy", E, A,
  "the VPC endpoint policy does not allow a request sent through it",
  "Evaluates requests whose context names a VPC endpoint (`aws:SourceVpce`) against that endpoint's policy.",
  "A request through a gateway or interface endpoint needs the endpoint policy to allow it, on top of the identity and bucket policies.",
  "access__vpce-policy/endpoint-json", ("access__vpce-policy/ok", None)),
 ("access/scp", E, N,
  "a service control policy denies or does not allow the request",
  "Evaluates every SCP level (root, OU, account) that applies to the caller's account: a Deny anywhere wins and every level must allow.",
  "SCPs cap what every principal of the account can do, whatever its own policies say.",
  "access__scp/deny-json", ("access__scp/ok", None)),
 ("access/rcp", E, N,
  "a resource control policy denies the request",
  "Evaluates every RCP level that applies to the resource's account.",
  "RCPs cap what any caller can do on the account's resources, whatever the bucket policy grants.",
  "access__rcp/deny-json", ("access__rcp/deny-json", [("latch.toml", 'policy = "org/rcp-data-perimeter.json"', 'policy = "org/rcp-full-aws-access.json"')])),
 ("access/permissions-boundary", E, A,
  "the permissions boundary does not allow what the identity policy grants",
  "Reports an identity Allow whose request the caller's permissions boundary does not allow.",
  "The effective permissions are the intersection of the identity policies and the boundary.",
  "access__permissions-boundary/boundary-json", ("access__permissions-boundary/boundary-json", [("latch.toml", 'boundary = "iam/developer-boundary.json"\n', '')])),
 ("access/session-policy", E, N,
  "the session policy does not allow what the role's policies grant",
  "Reports a role's identity Allow whose request the session policy passed at AssumeRole does not allow.",
  "A session's permissions are the intersection of the role's policies and the session policy.",
  "access__session-policy/session-json", ("access__session-policy/session-json", [("latch.toml", 'session_policy = "iam/session-read-only.json"\n', '')])),
 ("access/object-ownership", E, A,
  "another account's uploads stay owned by it",
  "Reports a grant that lets another account upload into a bucket whose Object Ownership is not BucketOwnerEnforced and whose policy does not require `bucket-owner-full-control`.",
  "Bucket-policy grants reach only objects the bucket owner owns: the owner's own readers get 403 on what the other account uploaded.",
  "access__object-ownership/cross-account-json", ("access__object-ownership/ok", None)),
 ("access/requester-pays", E, N,
  "a Requester Pays bucket refuses the request",
  "Reports grants to other accounts or to everyone on a bucket with Requester Pays: anonymous requests are refused and other accounts must send `x-amz-request-payer` (context `s3:RequestPayer` in an `[[expect]]`).",
  "The grant has no effect unless the caller agrees to pay for the request.",
  "access__requester-pays/cross-account-json", ("access__requester-pays/cross-account-json", [("latch.toml", "requester_pays = true", "requester_pays = false")])),
 ("access/mfa", E, N,
  "a Deny on requests without MFA blocks the request",
  "Reports a Deny whose condition is on `aws:MultiFactorAuthPresent` (typically `BoolIfExists` ... `false`) when it blocks an intended request, with its `NotAction` list.",
  "Calls with long-term access keys carry no MFA key, so `BoolIfExists` makes the Deny apply to every CLI call.",
  "access__mfa/force-mfa-json", ("access__mfa/force-mfa-json", [("latch.toml", '"iam/tester.json", "iam/force-mfa.json"', '"iam/tester.json"')])),
 ("access/condition-and", E, N,
  "the ANDed conditions of an Allow can never hold together",
  "Reports an Allow that names the request but whose condition operators and keys, which are ANDed, cannot all be true for it (for example `aws:SourceVpce` and `aws:SourceIp`: through an endpoint the request has no source IP).",
  "A statement read as \"office or VPC\" grants nothing, and the request is an implicit deny.",
  "access__condition-and/vpce-and-ip-json", ("access__condition-and/vpce-and-ip-json", [("iam/report-viewer.json", ',\n        "IpAddress": {\n          "aws:SourceIp": "203.0.113.0/24"\n        }', '')])),
 ("access/put-acl", E, A,
  "an upload that sets an ACL lacks s3:PutObjectAcl",
  "Reports the Allow of `s3:PutObject` for a declared upload that sends `x-amz-acl` when `s3:PutObjectAcl` is not allowed.",
  "An upload that sets an ACL needs both actions, or S3 answers 403.",
  "access__put-acl/acl-upload-json", ("access__put-acl/acl-upload-json", [("iam/console-uploader.json", '"Action": "s3:PutObject",', '"Action": ["s3:PutObject", "s3:PutObjectAcl"],')])),
 ("access/encryption-header", E, N,
  "a bucket-policy Deny requires SSE-KMS headers the upload does not send",
  "Reports a Deny whose condition is on `s3:x-amz-server-side-encryption*` when it blocks an intended upload.",
  "Bucket default encryption does not add the headers to the request, so an upload relying on it is denied.",
  "access__encryption-header/kms-key-id-json", ("access__encryption-header/kms-key-id-json", [("latch.toml", 'policy = "s3/bucket-policy.json"\n', '')])),
 ("access/bucket-acl", E, N,
  "the bucket ACL does not let the writer upload",
  "Reports a declared upload by another account that no policy grants, on a bucket whose ACL is set.",
  "Without a bucket-policy grant, only the bucket ACL could allow the write, and a private ACL gives WRITE to the owner only.",
  "access__bucket-acl/root-writer-json", ("access__bucket-acl/root-writer-json", [("latch.toml", 'principal = "arn:aws:iam::111122223333:root"', 'principal = "arn:aws:iam::444455556666:root"')])),
 ("cloudfront/website-endpoint-kms", E, A,
  "a website-endpoint origin serves SSE-KMS objects",
  "Reports the KMS setting of a bucket that is served through its S3 website endpoint.",
  "The website endpoint does not support SSE-KMS: every object read answers 403.",
  "cloudfront__website-endpoint-kms/json", ("cloudfront__website-endpoint-kms/json", [("latch.toml", 'kms_key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n', '')])),
 ("cloudfront/not-public", E, A,
  "a website-endpoint origin is not publicly readable",
  "Evaluates an anonymous `s3:GetObject` on a website bucket, as the website endpoint sends it, and reports the bucket-policy grant that does not reach it.",
  "The website endpoint supports only public content; a grant to an origin access identity has no effect there.",
  "cloudfront__not-public/oai-only-json", ("cloudfront__not-public/ok", None)),
 ("cloudfront/block-public-access", E, N,
  "Block Public Access is on for a website-endpoint bucket",
  "Reports the Block Public Access setting of a bucket that is served through its website endpoint.",
  "With BlockPublicPolicy or RestrictPublicBuckets the public read the website endpoint needs is refused (a deliberate choice: explain, no fix).",
  "cloudfront__block-public-access/bucket-json", ("cloudfront__block-public-access/bucket-json", [("latch.toml", "block_public_access = true", "block_public_access = false")])),
 ("cloudfront/owner-mismatch", E, A,
  "public read does not reach objects another account uploaded",
  "Reports the Object Ownership setting of a website bucket that another account writes to while ACLs decide ownership.",
  "Public read by bucket policy reaches only objects the bucket owner owns.",
  "cloudfront__owner-mismatch/cross-account-writer-json", ("cloudfront__owner-mismatch/cross-account-writer-json", [("latch.toml", 'object_ownership = "ObjectWriter"', 'object_ownership = "BucketOwnerEnforced"')])),
 ("cloudfront/referer", E, A,
  "a Referer restriction written as a Deny only",
  "Reports a Deny on `aws:Referer` in the policy of a website bucket that has no public Allow.",
  "A Deny never grants: even requests with the secret Referer get 403 until an Allow with the same condition exists.",
  "cloudfront__referer/deny-only-json", None),
 ("cloudfront/default-root-object", W, A,
  "the default root object has a leading slash or extra characters",
  "Reports a CloudFront `default_root_object` that is not a plain object name.",
  "CloudFront asks the origin for the name as written, and the object does not exist: S3 answers 403 or 404.",
  "cloudfront__default-root-object/tf", ("cloudfront__default-root-object/tf", [("main.tf", 'default_root_object = "/index.html"', 'default_root_object = "index.html"')])),
 ("s3/list-bucket-404", H, N,
  "a missing object answers 403 rather than 404",
  "Hints at a public `s3:GetObject` grant without `s3:ListBucket`.",
  "Without `s3:ListBucket` S3 answers a request for a missing key with 403 AccessDenied, which looks like a permissions problem; granting `s3:ListBucket` to everyone would list every key, a security risk.",
  "s3__list-bucket-404/website-json", ("s3__list-bucket-404/website-json", [("s3/bucket-policy.json", '"Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::example-corp-www/*"', '"Action": ["s3:GetObject", "s3:ListBucket"],\n      "Resource": ["arn:aws:s3:::example-corp-www", "arn:aws:s3:::example-corp-www/*"]')])),
 ("cloudfront/requester-pays", E, N,
  "a website-endpoint bucket has Requester Pays",
  "Reports the Requester Pays setting of a bucket served through its website endpoint.",
  "Anonymous requests, which are all a website endpoint receives, are impossible with Requester Pays.",
  "cloudfront__requester-pays/website-json", ("cloudfront__requester-pays/website-json", [("latch.toml", "requester_pays = true", "requester_pays = false")])),
]

REFERER_PREFER = None

def rust_str(s):
    n = 1
    while '"' + "#" * n in s:
        n += 1
    return "r" + "#" * n + '"' + s + '"' + "#" * n

mods = {}
for code, sev, fix, summary, what, why, ex, prefer in CHECKS:
    area, name = code.split("/")
    example = included(ex)
    if prefer is None:
        # The referer row: the example with the Allow of the seed added.
        fs = files(ex)
        out = []
        for p, t in fs:
            if p == "s3/bucket-policy.json":
                t = re.sub(r'\n  \]\n\}\s*$', ''',
    {
      "Sid": "AllowGetWithSecretReferer",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-corp-www/*",
      "Condition": {
        "StringLike": {
          "aws:Referer": "REFERER"
        }
      }
    }
  ]
}
''', t)
                m = re.search(r'"aws:Referer": "([^"]+)"', open(os.path.join(SC, ex, p)).read())
                t = t.replace("REFERER", m.group(1) if m else "secret")
            out.append((p, t))
        pref = rust_str(fixture(out))
    else:
        v, reps = prefer
        pref = rust_str(fixture(replaced(v, reps))) if reps else included(v)
    fname = name.replace("-", "_")
    mods.setdefault(area, []).append((fname, code))
    src = f'''//! `{code}`: {summary}. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{{CheckDoc, FixAvailability}};

pub const DOC: CheckDoc = CheckDoc {{
    code: "{code}",
    severity: Severity::{sev},
    summary: "{summary}",
    what: {rust_str(what)},
    why: {rust_str(why)},
    example: {example},
    prefer: {pref},
    fix: FixAvailability::{fix},
}};
'''
    d = os.path.join(OUT, area)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, fname + ".rs"), "w").write(src)

TITLES = {"access": "cross-document access", "cloudfront": "CloudFront with an S3 origin", "s3": "S3 answers"}
for area, items in mods.items():
    lines = [f"//! The checks of {TITLES[area]} (SCENARIOS sections A and B): one file per code,",
             "//! each with its documentation; the findings come from `crate::access`.", ""]
    for fname, _ in items:
        lines.append(f"pub mod {fname};")
    lines += ["", "use crate::checks::CheckDoc;", "", "/// Every check of this area.",
              "pub fn docs() -> Vec<&'static CheckDoc> {", "    vec!["]
    for fname, _ in items:
        lines.append(f"        &{fname}::DOC,")
    lines += ["    ]", "}", ""]
    open(os.path.join(OUT, area, "mod.rs"), "w").write("\n".join(lines))
