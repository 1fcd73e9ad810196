//! Terraform extraction over the realistic modules in `tests/fixtures/terraform/`:
//! policies in every syntax, their element positions as `.tf` line:column, references
//! resolved and kept symbolic.

#![expect(
    clippy::unwrap_used,
    reason = "a broken fixture should fail the test loudly"
)]

use std::path::Path;

use latch_syntax::terraform::*;

fn fixture_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/terraform")
        .join(name)
}

/// Reads every `.tf`/`.tf.json` file of a fixture module, sorted, with workspace-relative
/// paths like `datalake/main.tf`.
fn load(name: &str) -> Vec<(String, String)> {
    let dir = fixture_dir(name);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.to_string_lossy();
            n.ends_with(".tf") || n.ends_with(".tf.json") || n.ends_with(".tfvars")
        })
        .map(|p| {
            let file = p.file_name().unwrap().to_string_lossy().to_string();
            (
                format!("{name}/{file}"),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn analyze(name: &str, providers: &ProviderAccounts) -> (Module, Vec<(String, String)>) {
    let files = load(name);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    (analyze_module(&refs, providers), files)
}

fn providers() -> ProviderAccounts {
    ProviderAccounts::new([("aws", "444455556666"), ("aws.analytics", "111122223333")])
}

/// `path:line:col` (1-based, columns in characters) and the text at `span`.
fn loc(files: &[(String, String)], path: &str, span: latch_syntax::Span) -> String {
    let text = &files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no file {path}"))
        .1;
    let before = &text[..span.start];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |p| p + 1)..]
        .chars()
        .count()
        + 1;
    format!("{path}:{line}:{col} {}", &text[span.range()])
}

fn policy<'m>(m: &'m Module, address: &str) -> &'m ExtractedPolicy {
    m.policies
        .iter()
        .find(|p| p.address() == address)
        .unwrap_or_else(|| panic!("no policy {address}"))
}

fn inline<'m>(m: &'m Module, address: &str) -> &'m InlinePolicy {
    policy(m, address)
        .inline()
        .unwrap_or_else(|| panic!("{address} is not inline"))
}

fn s(v: Option<&TfValue>) -> &str {
    v.and_then(TfValue::as_str).unwrap_or("<none>")
}

#[test]
fn datalake_policies_kinds_and_syntaxes() {
    let (m, _) = analyze("datalake", &providers());
    assert!(m.findings.is_empty(), "{:#?}", m.findings);
    let got: Vec<_> = m
        .policies
        .iter()
        .map(|p| (p.address(), p.kind, p.syntax))
        .collect();
    use latch_syntax::policy::PolicyKind::*;
    assert_eq!(
        got,
        vec![
            (
                "aws_iam_role.reader.assume_role_policy".to_string(),
                Some(Trust),
                PolicySyntax::Heredoc
            ),
            (
                "aws_iam_role_policy.reader.policy".to_string(),
                Some(Identity),
                PolicySyntax::QuotedJson
            ),
            (
                "aws_iam_policy.boundary.policy".to_string(),
                Some(Identity),
                PolicySyntax::File
            ),
            (
                "aws_kms_key.lake.policy".to_string(),
                Some(KeyPolicy),
                PolicySyntax::Jsonencode
            ),
            (
                "aws_s3_bucket_policy.lake.policy".to_string(),
                Some(Resource),
                PolicySyntax::PolicyDocument
            ),
        ]
    );
}

#[test]
fn heredoc_trust_policy_keeps_the_unknown_account_symbolic() {
    let (m, files) = analyze("datalake", &providers());
    let p = inline(&m, "aws_iam_role.reader.assume_role_policy");
    assert_eq!(&*p.path, "datalake/iam.tf");
    let st = &p.policy.statements[0];
    let latch_syntax::policy::PrincipalValue::Map(entries) = &st.principal.as_ref().unwrap().value
    else {
        panic!()
    };
    let arn = &entries[0].values[0];
    assert_eq!(arn.value, "arn:aws:iam::${var.partner_account}:root");
    assert_eq!(
        loc(&files, "datalake/iam.tf", arn.span),
        "datalake/iam.tf:12:32 \"arn:aws:iam::${var.partner_account}:root\""
    );
    assert_eq!(p.symbols.len(), 1);
    assert_eq!(p.symbols[0].text, "${var.partner_account}");
    assert!(
        p.symbols[0].reason.contains("input of the module"),
        "{}",
        p.symbols[0].reason
    );
    assert_eq!(
        loc(&files, "datalake/iam.tf", p.symbols[0].span),
        "datalake/iam.tf:12:46 ${var.partner_account}"
    );
    // `$${aws:PrincipalAccount}` is an escaped IAM policy variable, not an interpolation.
    let clause = &st.condition.as_ref().unwrap().clauses[0];
    assert_eq!(clause.values[0].value, "lake-${aws:PrincipalAccount}");
    assert_eq!(
        loc(
            &files,
            "datalake/iam.tf",
            st.action.as_ref().unwrap().values[0].span
        ),
        "datalake/iam.tf:13:21 \"sts:AssumeRole\""
    );
}

#[test]
fn quoted_json_maps_through_escapes_and_resolves_the_variable() {
    let (m, files) = analyze("datalake", &providers());
    let p = inline(&m, "aws_iam_role_policy.reader.policy");
    let st = &p.policy.statements[0];
    let r = &st.resource.as_ref().unwrap().values[0];
    assert_eq!(r.value, "arn:aws:s3:::acme-datalake-prod/raw/*");
    assert_eq!(
        loc(&files, "datalake/iam.tf", r.span),
        "datalake/iam.tf:25:131 \\\"arn:aws:s3:::${var.bucket_name}/raw/*\\\""
    );
    let a = &st.action.as_ref().unwrap().values[0];
    assert_eq!(
        loc(&files, "datalake/iam.tf", a.span),
        "datalake/iam.tf:25:98 \\\"s3:GetObject\\\""
    );
    assert!(p.symbols.is_empty());
}

#[test]
fn jsonencode_key_policy_resolves_accounts_per_provider() {
    let (m, files) = analyze("datalake", &providers());
    let p = inline(&m, "aws_kms_key.lake.policy");
    assert_eq!(p.policy.statements.len(), 2);
    let principal = |i: usize| {
        let latch_syntax::policy::PrincipalValue::Map(e) =
            &p.policy.statements[i].principal.as_ref().unwrap().value
        else {
            panic!()
        };
        e[0].values[0].clone()
    };
    assert_eq!(principal(0).value, "arn:aws:iam::444455556666:root");
    // The reader role is created with provider `aws.analytics`.
    assert_eq!(
        principal(1).value,
        "arn:aws:iam::111122223333:role/datalake-reader"
    );
    assert_eq!(
        loc(&files, "datalake/main.tf", principal(1).span),
        "datalake/main.tf:47:17 aws_iam_role.reader.arn"
    );
    let actions = &p.policy.statements[1].action.as_ref().unwrap().values;
    assert_eq!(
        loc(&files, "datalake/main.tf", actions[1].span),
        "datalake/main.tf:49:36 \"kms:DescribeKey\""
    );
    let c = &p.policy.statements[1].condition.as_ref().unwrap().clauses[0];
    assert_eq!(
        loc(&files, "datalake/main.tf", c.key.span),
        "datalake/main.tf:53:13 \"kms:ViaService\""
    );
    assert_eq!(
        loc(
            &files,
            "datalake/main.tf",
            p.policy.statements[0].effect.as_ref().unwrap().span
        ),
        "datalake/main.tf:38:21 \"Allow\""
    );
}

#[test]
fn policy_document_merges_source_and_override_statements() {
    let (m, files) = analyze("datalake", &providers());
    let p = inline(&m, "aws_s3_bucket_policy.lake.policy");
    assert_eq!(
        p.document.as_deref(),
        Some("data.aws_iam_policy_document.lake")
    );
    let sids: Vec<_> = p
        .policy
        .statements
        .iter()
        .map(|s| s.sid.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(
        sids,
        vec![
            "DenyInsecureTransport",
            "AllowAnalyticsRead",
            "AllowPartnerList"
        ]
    );
    let paths: Vec<_> = p.statement_paths.iter().map(|p| &**p).collect();
    assert_eq!(
        paths,
        vec![
            "datalake/baseline.tf",
            "datalake/main.tf",
            "datalake/main.tf"
        ]
    );

    // Source document: `type = "*"` is `"Principal": "*"`.
    let deny = &p.policy.statements[0];
    assert_eq!(
        deny.principal.as_ref().unwrap().value,
        latch_syntax::policy::PrincipalValue::Star
    );
    assert_eq!(
        loc(
            &files,
            "datalake/baseline.tf",
            deny.condition.as_ref().unwrap().clauses[0].key.span
        ),
        "datalake/baseline.tf:13:18 \"aws:SecureTransport\""
    );

    // Own statement: a local list spans the reference, the template resolves.
    let read = &p.policy.statements[1];
    let actions = &read.action.as_ref().unwrap().values;
    assert_eq!(actions.len(), 2);
    assert_eq!(
        loc(&files, "datalake/main.tf", actions[1].span),
        "datalake/main.tf:77:15 local.reader_actions"
    );
    let res = &read.resource.as_ref().unwrap().values;
    assert_eq!(res[1].value, "arn:aws:s3:::acme-datalake-prod/raw/*");
    assert_eq!(
        loc(&files, "datalake/main.tf", res[1].span),
        "datalake/main.tf:80:7 \"${aws_s3_bucket.lake.arn}/${local.lake_prefix}*\""
    );
    // The default effect is placed at the `statement` keyword.
    assert_eq!(
        read.effect.as_ref().unwrap().value,
        latch_syntax::policy::Effect::Allow
    );

    // The override replaced the partner statement: Deny with NotPrincipal, and the
    // partner's unknown account no longer matters.
    let over = &p.policy.statements[2];
    assert_eq!(over.effect(), Some(latch_syntax::policy::Effect::Deny));
    assert!(over.principal.as_ref().unwrap().negated);
    assert!(p.symbols.is_empty(), "{:?}", p.symbols);
    assert_eq!(
        loc(
            &files,
            "datalake/main.tf",
            over.effect.as_ref().unwrap().span
        ),
        "datalake/main.tf:103:17 \"Deny\""
    );
}

#[test]
fn file_policies_are_left_to_the_caller() {
    let (m, files) = analyze("datalake", &providers());
    let p = policy(&m, "aws_iam_policy.boundary.policy");
    let PolicySource::File { path, span, vars } = &p.source else {
        panic!("{:?}", p.source)
    };
    assert_eq!(path, "datalake/policies/boundary.json");
    assert_eq!(p.boundary_for, vec!["aws_iam_role.reader".to_string()]);
    assert!(vars.is_none());
    assert_eq!(
        loc(&files, "datalake/iam.tf", *span),
        "datalake/iam.tf:31:14 file(\"${path.module}/policies/boundary.json\")"
    );
    let text =
        std::fs::read_to_string(fixture_dir("datalake").join("policies/boundary.json")).unwrap();
    let loaded = policy_from_file(path, &text, None);
    assert!(loaded.findings.is_empty());
    assert_eq!(
        loaded.policy.statements[0]
            .action
            .as_ref()
            .unwrap()
            .values
            .len(),
        3
    );
}

#[test]
fn datalake_resources_and_references() {
    let (m, _) = analyze("datalake", &providers());
    let bucket = m.resource("aws_s3_bucket.lake").unwrap();
    assert_eq!(
        s(bucket.arn.as_ref().map(|a| &a.value)),
        "arn:aws:s3:::acme-datalake-prod"
    );
    let pab = m
        .resource("aws_s3_bucket_public_access_block.lake")
        .unwrap();
    assert_eq!(s(pab.get("bucket")), "acme-datalake-prod");
    assert_eq!(
        pab.get("restrict_public_buckets"),
        Some(&TfValue::Bool(true))
    );
    assert_eq!(
        pab.attr("bucket").unwrap().references[0].value,
        "aws_s3_bucket.lake.id"
    );
    let own = m.resource("aws_s3_bucket_ownership_controls.lake").unwrap();
    let rule = own.body.blocks_named("rule").next().unwrap();
    assert_eq!(s(rule.body.get("object_ownership")), "BucketOwnerEnforced");

    let role = m.resource("aws_iam_role.reader").unwrap();
    assert_eq!(role.provider, "aws.analytics");
    assert_eq!(role.account.as_deref(), Some("111122223333"));
    assert_eq!(
        s(role.get("permissions_boundary")),
        "arn:aws:iam::111122223333:policy/lake-boundary"
    );
    let sse = m
        .resource("aws_s3_bucket_server_side_encryption_configuration.lake")
        .unwrap();
    let by_default = sse
        .body
        .blocks_named("rule")
        .next()
        .unwrap()
        .body
        .blocks_named("apply_server_side_encryption_by_default")
        .next()
        .unwrap();
    let TfValue::Symbolic(sym) = by_default.body.get("kms_master_key_id").unwrap() else {
        panic!("a KMS key ARN cannot be known before apply")
    };
    assert_eq!(sym.text, "${aws_kms_key.lake.arn}");
    assert!(sym.reason.contains("assigned by AWS"), "{}", sym.reason);
    let grant = m.resource("aws_kms_grant.reader").unwrap();
    assert_eq!(
        s(grant.get("grantee_principal")),
        "arn:aws:iam::111122223333:role/datalake-reader"
    );
    let caller = m.resource("data.aws_caller_identity.analytics").unwrap();
    assert_eq!(caller.account.as_deref(), Some("111122223333"));
}

#[test]
fn without_providers_accounts_stay_symbolic() {
    let (m, _) = analyze("datalake", &ProviderAccounts::default());
    let role = m.resource("aws_iam_role.reader").unwrap();
    let TfValue::Symbolic(sym) = &role.arn.as_ref().unwrap().value else {
        panic!("{:?}", role.arn)
    };
    assert!(sym.reason.contains("`aws.analytics`"), "{}", sym.reason);
    let p = inline(&m, "aws_kms_key.lake.policy");
    let texts: Vec<_> = p.symbols.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
            "${aws_iam_role.reader.arn}"
        ]
    );
}

#[test]
fn organization_policies() {
    let (m, files) = analyze("organization", &providers());
    assert!(m.findings.is_empty(), "{:#?}", m.findings);
    use latch_syntax::policy::PolicyKind::*;
    let got: Vec<_> = m
        .policies
        .iter()
        .map(|p| (p.address(), p.kind, p.syntax))
        .collect();
    // The tag policy is not an authorization policy.
    assert_eq!(
        got,
        vec![
            (
                "aws_organizations_policy.deny_regions.content".to_string(),
                Some(Scp),
                PolicySyntax::Jsonencode
            ),
            (
                "aws_organizations_policy.deny_leave.content".to_string(),
                Some(Scp),
                PolicySyntax::File
            ),
            (
                "aws_organizations_policy.rcp_tls.content".to_string(),
                Some(Rcp),
                PolicySyntax::Heredoc
            ),
        ]
    );
    let scp = inline(&m, "aws_organizations_policy.deny_regions.content");
    let clauses = &scp.policy.statements[0].condition.as_ref().unwrap().clauses;
    assert_eq!(clauses[0].values.len(), 2);
    assert_eq!(
        loc(&files, "organization/main.tf", clauses[0].values[1].span),
        "organization/main.tf:16:35 \"eu-central-1\""
    );
    assert_eq!(
        loc(&files, "organization/main.tf", clauses[1].key.span),
        "organization/main.tf:32:29 \"aws:PrincipalArn\""
    );
    let rcp = inline(&m, "aws_organizations_policy.rcp_tls.content");
    assert_eq!(
        loc(
            &files,
            "organization/main.tf",
            rcp.policy.statements[0].sid.as_ref().unwrap().span
        ),
        "organization/main.tf:52:14 \"EnforceTLS\""
    );

    let PolicySource::File { path, vars, .. } =
        &policy(&m, "aws_organizations_policy.deny_leave.content").source
    else {
        panic!()
    };
    assert_eq!(path, "organization/scp/deny-leave.json.tpl");
    let text = std::fs::read_to_string(fixture_dir("organization").join("scp/deny-leave.json.tpl"))
        .unwrap();
    let loaded = policy_from_file(path, &text, vars.as_deref());
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    let clause = &loaded.policy.statements[0]
        .condition
        .as_ref()
        .unwrap()
        .clauses[0];
    assert_eq!(clause.values[0].value, "arn:aws:iam::*:role/OrgAdmin");
    assert_eq!(
        &text[clause.values[0].span.range()],
        "\"arn:aws:iam::*:role/${admin_role}\""
    );

    let attach = m
        .resource("aws_organizations_policy_attachment.rcp_workloads")
        .unwrap();
    assert_eq!(
        attach.attr("policy_id").unwrap().references[0].value,
        "aws_organizations_policy.rcp_tls.id"
    );
}

#[test]
fn website_policies_in_hcl_and_terraform_json() {
    let (m, files) = analyze("website", &providers());
    assert!(m.findings.is_empty(), "{:#?}", m.findings);
    let site = inline(&m, "aws_s3_bucket_policy.site.policy");
    let st = &site.policy.statements[0];
    assert_eq!(
        st.resource.as_ref().unwrap().values[0].value,
        "arn:aws:s3:::www.example.com/*"
    );
    let clause = &st.condition.as_ref().unwrap().clauses[0];
    assert_eq!(
        clause.values[0].value,
        "${aws_cloudfront_distribution.cdn.arn}"
    );
    assert_eq!(
        loc(&files, "website/main.tf", clause.values[0].span),
        "website/main.tf:82:31 aws_cloudfront_distribution.cdn.arn"
    );
    assert_eq!(site.symbols.len(), 2);

    let vpce = inline(&m, "aws_vpc_endpoint_policy.s3.policy");
    assert_eq!(
        policy(&m, "aws_vpc_endpoint_policy.s3.policy").kind,
        Some(latch_syntax::policy::PolicyKind::VpcEndpoint)
    );
    assert_eq!(
        vpce.policy.statements[0].resource.as_ref().unwrap().values[0].value,
        "arn:aws:s3:::www.example.com/*"
    );
    let user = inline(&m, "aws_iam_user_policy.deployer.policy");
    assert_eq!(
        loc(
            &files,
            "website/endpoint.tf.json",
            user.policy.statements[0].action.as_ref().unwrap().values[0].span
        ),
        "website/endpoint.tf.json:24:101 \\\"s3:PutObject\\\""
    );
    let deployer = m.resource("aws_iam_user.deployer").unwrap();
    assert_eq!(
        s(deployer.arn.as_ref().map(|a| &a.value)),
        "arn:aws:iam::444455556666:user/ci/site-deployer"
    );
    let cdn = m.resource("aws_cloudfront_distribution.cdn").unwrap();
    let origin = cdn.body.blocks_named("origin").next().unwrap();
    assert!(matches!(
        origin.body.get("origin_access_control_id"),
        Some(TfValue::Symbolic(_))
    ));
    let web = m
        .resource("aws_s3_bucket_website_configuration.site")
        .unwrap();
    assert_eq!(s(web.get("bucket")), "www.example.com");
}

/// Renders a module's model as text for the snapshot: policies with their elements'
/// positions, unknowns, and resources with account and ARN.
fn render(m: &Module, files: &[(String, String)]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for p in &m.policies {
        let _ = writeln!(
            out,
            "policy {} kind={:?} syntax={:?}",
            p.address(),
            p.kind,
            p.syntax
        );
        match &p.source {
            PolicySource::Inline(i) => {
                let start = latch_syntax::Span::new(i.text_span.start, i.text_span.start);
                let _ = writeln!(out, "  text at {}", loc(files, &i.path, start).trim_end());
                let _ = writeln!(out, "  json {}", i.tree.to_compact_json());
                for (n, st) in i.policy.statements.iter().enumerate() {
                    let _ = writeln!(out, "  statement {}", st.label(n));
                    let path = &i.statement_paths[n];
                    if let Some(a) = &st.action {
                        for v in &a.values {
                            let _ = writeln!(out, "    action {}", loc(files, path, v.span));
                        }
                    }
                    if let Some(r) = &st.resource {
                        for v in &r.values {
                            let _ = writeln!(
                                out,
                                "    resource {:?} at {}",
                                v.value,
                                loc(files, path, v.span)
                            );
                        }
                    }
                }
                for s in &i.symbols {
                    let _ = writeln!(
                        out,
                        "  unknown {} at {} ({})",
                        s.text,
                        loc(files, &s.path, s.span),
                        s.reason
                    );
                }
            }
            other => {
                let _ = writeln!(out, "  {other:?}");
            }
        }
    }
    for r in &m.resources {
        let arn = match r.arn.as_ref().map(|a| &a.value) {
            Some(TfValue::String(s)) => s.clone(),
            Some(TfValue::Symbolic(s)) => format!("unknown {}", s.text),
            _ => "-".to_string(),
        };
        let _ = writeln!(
            out,
            "resource {} provider={} account={:?} arn={arn}",
            r.address, r.provider, r.account
        );
    }
    out
}

#[test]
fn website_model_snapshot() {
    let (m, files) = analyze("website", &providers());
    insta::assert_snapshot!(render(&m, &files));
}

#[test]
fn every_fixture_and_example_parses_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stack = vec![root.join("tests"), root.join("examples")];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.to_string_lossy().to_string();
            // Fixtures that are broken on purpose live under a `bad` folder.
            if name.contains("/bad/") || !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let f = latch_syntax::terraform::syntax::parse_file(&name, &text);
            assert!(f.findings.is_empty(), "{name}: {:#?}", f.findings);
            seen += 1;
        }
    }
    assert!(seen >= 8, "only {seen} files");
}

mod cut {
    //! A half-typed file never panics, keeps every span inside its file, and leaves the
    //! other files' policies as they were.

    use super::*;
    use latch_syntax::json::{Value, ValueKind};
    use proptest::prelude::*;

    fn check_spans(v: &Value, len: usize) {
        assert!(
            v.span.start <= v.span.end && v.span.end <= len,
            "{:?} > {len}",
            v.span
        );
        match &v.kind {
            ValueKind::Array(items) => items.iter().for_each(|i| check_spans(i, len)),
            ValueKind::Object(ms) => {
                for m in ms {
                    assert!(m.key_span.end <= len);
                    check_spans(&m.value, len);
                }
            }
            _ => {}
        }
    }

    fn tree_of(m: &Module, address: &str) -> Option<Value> {
        m.policies
            .iter()
            .find(|p| p.address() == address)
            .and_then(|p| p.inline())
            .map(|i| i.tree.clone())
    }

    fn run(cut_file: &str, start: usize, len: usize) -> (Module, Vec<(String, String)>) {
        let mut files = load("datalake");
        for (path, text) in &mut files {
            if path.ends_with(cut_file) {
                let mut a = start.min(text.len());
                while !text.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + len).min(text.len());
                while !text.is_char_boundary(b) {
                    b += 1;
                }
                text.replace_range(a..b, "");
            }
        }
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        (analyze_module(&refs, &providers()), files)
    }

    fn check_bounds(m: &Module, files: &[(String, String)]) {
        let len_of = |path: &str| {
            files
                .iter()
                .find(|(p, _)| p == path)
                .map_or(0, |(_, t)| t.len())
        };
        for f in &m.findings {
            assert!(f.range.end <= len_of(&f.path), "{f:?}");
        }
        for p in &m.policies {
            assert!(p.attribute_span.end <= len_of(&p.path));
            if let Some(i) = p.inline() {
                check_spans(&i.tree, len_of(&i.path));
            }
        }
        for r in &m.resources {
            assert!(r.span.end <= len_of(&r.path));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn cutting_main_keeps_iam_policies(start in 0usize..5000, len in 0usize..400) {
            let (whole, _) = analyze("datalake", &providers());
            let (m, files) = run("/main.tf", start, len);
            check_bounds(&m, &files);
            for address in ["aws_iam_role.reader.assume_role_policy", "aws_iam_role_policy.reader.policy"] {
                prop_assert_eq!(tree_of(&m, address), tree_of(&whole, address));
            }
        }

        #[test]
        fn cutting_iam_keeps_bucket_and_key_policies(start in 0usize..1800, len in 0usize..300) {
            let (m, files) = run("/iam.tf", start, len);
            check_bounds(&m, &files);
            let lake = m.policies.iter().find(|p| p.address() == "aws_s3_bucket_policy.lake.policy").and_then(|p| p.inline());
            prop_assert_eq!(lake.map(|i| i.policy.statements.len()), Some(3));
            let key = m.policies.iter().find(|p| p.address() == "aws_kms_key.lake.policy").and_then(|p| p.inline());
            prop_assert_eq!(key.map(|i| i.policy.statements.len()), Some(2));
        }

        #[test]
        fn arbitrary_text_never_panics(text in "[ -~\n]{0,300}") {
            let m = analyze_module(&[("x.tf", text.as_str()), ("y.tf.json", text.as_str())], &providers());
            for f in &m.findings {
                prop_assert!(f.range.end <= text.len());
            }
        }
    }
}
