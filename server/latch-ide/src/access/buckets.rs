//! Bucket and distribution settings that make AWS answer 403 whatever the policies say:
//! the `cloudfront/*` checks and `s3/list-bucket-404`.

use crate::access::prelude::*;

/// The bucket and CloudFront settings that make S3 answer 403.
pub(crate) fn bucket_checks(ws: &Workspace, ix: &Index, b: &BucketInfo) -> Vec<Draft> {
    let mut out = Vec::new();
    // A public `s3:GetObject` without `s3:ListBucket`: a missing key answers 403.
    if let Some(p) = &b.policy {
        let public_list = p.policy().statements.iter().any(|s| {
            s.effect() == Some(Effect::Allow) && is_public(s) && names_action(s, "s3:ListBucket")
        });
        if !public_list {
            for (i, s) in p.policy().statements.iter().enumerate() {
                if s.effect() == Some(Effect::Allow)
                    && is_public(s)
                    && names_action(s, "s3:GetObject")
                {
                    if let Some(loc) = p.statement_loc(i) {
                        out.push(
                            Draft::plain(
                                "s3/list-bucket-404",
                                Severity::Hint,
                                loc,
                                format!(
                                    "a request for a missing object of `{}` answers 403 AccessDenied, not 404",
                                    b.name
                                ),
                            )
                            .why("without `s3:ListBucket` S3 does not say whether a key exists")
                            .help("leave it so: granting `s3:ListBucket` to everyone would list every key, which is a security risk"),
                        );
                    }
                }
            }
        }
    }
    if !b.is_website() {
        return out;
    }
    let website_loc = b
        .website
        .as_ref()
        .and_then(|w| w.loc.clone())
        .or(b.decl.clone());
    if let Some(k) = &b.kms_key {
        if let Some(loc) = k.loc.clone() {
            let mut d = Draft::plain(
                "cloudfront/website-endpoint-kms",
                Severity::Error,
                loc,
                format!(
                    "anonymous reads of `{}` through its website endpoint answer 403: the objects are SSE-KMS",
                    b.name
                ),
            )
            .why(format!(
                "the website endpoint does not support objects encrypted with `{}` (SSE-KMS)",
                k.value
            ))
            .fixes(aes256_fix(ws, b));
            d.related = website_loc
                .iter()
                .map(|l| (l.clone(), "the website setting".to_string()))
                .collect();
            out.push(d);
        }
    }
    let bpa = b.block_public_access.as_ref();
    let blocks =
        bpa.is_some_and(|s| s.value.block_public_policy || s.value.restrict_public_buckets);
    if let (Some(s), true) = (bpa, blocks) {
        if let Some(loc) = s.loc.clone() {
            out.push(
                Draft::plain(
                    "cloudfront/block-public-access",
                    Severity::Error,
                    loc,
                    format!(
                        "Block Public Access makes every anonymous request to the website endpoint of `{}` answer 403",
                        b.name
                    ),
                )
                .why("a website endpoint serves only a public bucket, and Block Public Access keeps it private")
                .help("turn Block Public Access off for this bucket only if it is meant to be public (a deliberate choice), or serve it through CloudFront with origin access control"),
            );
        }
    }
    if b.requester_pays() {
        if let Some(loc) = b.requester_pays.as_ref().and_then(|r| r.loc.clone()) {
            out.push(
                Draft::plain(
                    "cloudfront/requester-pays",
                    Severity::Error,
                    loc,
                    format!(
                        "Requester Pays makes bucket `{}` refuse every request of its website endpoint",
                        b.name
                    ),
                )
                .why("a website endpoint receives only anonymous requests, and Requester Pays refuses them"),
            );
        }
    }
    // Cross-account writers keep ownership of what they upload.
    if let Some(o) = b
        .ownership
        .as_ref()
        .filter(|o| o.value != ObjectOwnership::BucketOwnerEnforced)
    {
        let writers = cross_account_writers(ix, b);
        if let (Some(loc), false) = (o.loc.clone(), writers.is_empty()) {
            out.push(
                Draft::plain(
                    "cloudfront/owner-mismatch",
                    Severity::Error,
                    loc,
                    format!(
                        "objects other accounts upload to `{}` stay theirs, out of reach of its public read",
                        b.name
                    ),
                )
                .why(format!(
                    "objects uploaded by {} are owned by the writer, and public read through the bucket policy reaches only objects the bucket owner owns",
                    writers.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
                ))
                .fixes(ownership_fix(b).into_iter().map(|mut f| {
                    f.safe = false;
                    f
                }).collect()),
            );
        }
    }
    // Public read, as the website endpoint requests it.
    if blocks || b.requester_pays() {
        return out;
    }
    let req = Request::new(
        PrincipalId::Anonymous,
        "s3:GetObject",
        &format!("arn:aws:s3:::{}/index.html", b.name),
        Context::new(),
    );
    let (set, _, _) = policy_set(ix, &req);
    let d = evaluate(&set, &req);
    if d.trace.outcome.is_allow() {
        return out;
    }
    let public_allow = b.policy.as_ref().is_some_and(|p| {
        p.policy()
            .statements
            .iter()
            .any(|s| s.effect() == Some(Effect::Allow) && is_public(s))
    });
    let referer_deny = b.policy.as_ref().filter(|_| !public_allow).and_then(|p| {
        p.policy()
            .statements
            .iter()
            .position(|s| {
                s.effect() == Some(Effect::Deny)
                    && s.condition.as_ref().is_some_and(|c| {
                        c.clauses
                            .iter()
                            .any(|c| c.key.value.eq_ignore_ascii_case("aws:Referer"))
                    })
            })
            .map(|i| (p, i))
    });
    let locate = |r: &PolicyRef, s: Span| format!("{}:{}", r.label, line_of(ws, &r.label, s.start));
    let because = render::one_line(&d, &req, &locate);
    let trace = render::explain(&d, &req, &locate);
    if let Some((p, i)) = referer_deny {
        let st = &p.policy().statements[i];
        let clause = st.condition.as_ref().and_then(|c| {
            c.clauses
                .iter()
                .find(|c| c.key.value.eq_ignore_ascii_case("aws:Referer"))
        });
        let values: Vec<String> = clause
            .map(|c| c.values.iter().map(|v| json_string(&v.value)).collect())
            .unwrap_or_default();
        let stmt = format!(
            r#"{{"Sid": "AllowGetWithSecretReferer", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {}, "Condition": {{"StringLike": {{"aws:Referer": [{}]}}}}}}"#,
            json_string(&format!("arn:aws:s3:::{}/*", b.name)),
            values.join(", ")
        );
        if let Some(loc) = p.statement_loc(i) {
            let mut d = Draft::plain(
                "cloudfront/referer",
                Severity::Error,
                loc,
                format!(
                    "a Deny never grants: anonymous reads of `{}` are denied even with the secret Referer",
                    b.name
                ),
            )
            .why(because)
            .help("the Referer restriction needs an Allow with the same condition")
            .fixes(append_fix(ws, p, &stmt, "add the public-read allow with the same Referer condition"));
            d.trace = Some(trace);
            out.push(d);
        }
        return out;
    }
    let Basis::Blocked(_) = &d.trace.basis else {
        return out;
    };
    let loc = b
        .policy
        .as_ref()
        .and_then(|p| first_allow(p))
        .or(website_loc);
    let Some(loc) = loc else { return out };
    let fixes = match &b.policy {
        Some(p) => {
            let stmt = format!(
                r#"{{"Sid": "PublicReadGetObject", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": {}}}"#,
                json_string(&format!("arn:aws:s3:::{}/*", b.name))
            );
            append_fix(
                ws,
                p,
                &stmt,
                "add the public-read statement (`s3:GetObject` for everyone)",
            )
        }
        None => Vec::new(),
    };
    let mut d = Draft::plain(
        "cloudfront/not-public",
        Severity::Error,
        loc,
        format!(
            "nothing grants `s3:GetObject` to everyone, and the website endpoint of `{}` sends anonymous requests",
            b.name
        ),
    )
    .why(because)
    .fixes(fixes);
    d.trace = Some(trace);
    out.push(d);
    out
}

pub(crate) fn aes256_fix(ws: &Workspace, b: &BucketInfo) -> Vec<Fix> {
    if let Some((alg, key)) = &b.tf_sse {
        let Some(text) = ws.text(&alg.path) else {
            return Vec::new();
        };
        let Some(attr) = text.get(alg.span.range()) else {
            return Vec::new();
        };
        let Some(eq) = attr.find('=') else {
            return Vec::new();
        };
        let value_start = alg.span.start + eq + 1;
        let value = text.get(value_start..alg.span.end).unwrap_or_default();
        let lead = value.len() - value.trim_start().len();
        let mut edits = vec![
            Edit::replace(Span::new(value_start + lead, alg.span.end), "\"AES256\"")
                .in_file(alg.path.clone()),
        ];
        if let Some(k) = key {
            edits.push(Edit::delete(whole_line(text, *k)).in_file(alg.path.clone()));
        }
        return vec![Fix::unsafe_(
            "use SSE-S3 (AES256) instead of SSE-KMS",
            edits,
        )];
    }
    let Some(k) = &b.kms_key else {
        return Vec::new();
    };
    let Some(loc) = &k.loc else { return Vec::new() };
    let Some(text) = ws.text(&loc.path) else {
        return Vec::new();
    };
    vec![Fix::unsafe_(
        "use SSE-S3 (AES256) instead of SSE-KMS: remove `kms_key`",
        vec![Edit::delete(whole_line(text, loc.span)).in_file(loc.path.clone())],
    )]
}

pub(crate) fn is_public(s: &Statement) -> bool {
    match &s.principal {
        Some(p) if !p.negated => match &p.value {
            PrincipalValue::Star => true,
            PrincipalValue::Map(entries) => entries
                .iter()
                .any(|e| e.values.iter().any(|v| v.value == "*")),
        },
        _ => false,
    }
}

pub(crate) fn names_action(s: &Statement, action: &str) -> bool {
    s.action.as_ref().is_some_and(|a| {
        !a.negated
            && a.values.iter().any(|v| {
                v.value.eq_ignore_ascii_case(action)
                    || v.value == "*"
                    || v.value.eq_ignore_ascii_case("s3:*")
            })
    })
}

/// Principals of other accounts that the bucket policy or their own policies let upload.
pub(crate) fn cross_account_writers(ix: &Index, b: &BucketInfo) -> Vec<String> {
    let mut out = Vec::new();
    for pr in &ix.principals {
        if pr.account.is_none() || pr.account == b.account {
            continue;
        }
        let arn = format!("arn:aws:s3:::{}/", b.name);
        let writes = pr.identity.iter().any(|p| {
            p.policy().statements.iter().any(|s| {
                s.effect() == Some(Effect::Allow)
                    && names_action(s, "s3:PutObject")
                    && s.resource
                        .as_ref()
                        .is_some_and(|r| r.values.iter().any(|v| v.value.starts_with(&arn)))
            })
        });
        if writes {
            out.push(pr.arn.clone());
        }
    }
    out
}

/// Whether a statement's condition names `bucket-owner-full-control` for `s3:x-amz-acl`.
pub(crate) fn requires_full_control_in(s: &Statement) -> bool {
    s.condition.as_ref().is_some_and(|c| {
        c.clauses.iter().any(|c| {
            c.key.value.eq_ignore_ascii_case("s3:x-amz-acl")
                && c.values
                    .iter()
                    .any(|v| v.value == "bucket-owner-full-control")
        })
    })
}

pub(crate) fn requires_full_control(b: &BucketInfo) -> bool {
    b.policy.as_ref().is_some_and(|p| {
        p.policy().statements.iter().any(|s| {
            s.effect() == Some(Effect::Deny)
                && s.condition.as_ref().is_some_and(|c| {
                    c.clauses.iter().any(|c| {
                        c.key.value.eq_ignore_ascii_case("s3:x-amz-acl")
                            && c.values
                                .iter()
                                .any(|v| v.value == "bucket-owner-full-control")
                    })
                })
        })
    })
}

pub(crate) fn ownership_fix(b: &BucketInfo) -> Option<Fix> {
    let o = b.ownership.as_ref()?;
    let loc = o.loc.as_ref()?;
    let span = o.value_span?;
    Some(Fix::unsafe_(
        "set ownership controls to BucketOwnerEnforced",
        vec![Edit::replace(span, "\"BucketOwnerEnforced\"").in_file(loc.path.clone())],
    ))
}
