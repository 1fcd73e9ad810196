//! Completion in policies: element names, `Effect` and `Version` values, service prefixes
//! and actions, resource ARN templates, principals, condition operators, keys and values.
//! Pure: text, tree and byte offset in, ranked items with byte ranges out; the LSP layer
//! converts them.
//!
//! Items come back best first. What the statement already says steers the ranking: actions
//! that fit the statement's resources come before those that do not, condition keys of the
//! statement's actions before global ones, and keys whose type fits the operator first.

use latch_syntax::Span;
use latch_syntax::catalog::{self, Action, Catalog, ConditionKey, ValueType, pattern};
use latch_syntax::json::Value;

use crate::operators::{BASE_OPERATORS, Family, Operator};
use crate::position::{Place, Token, locate, strings};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// A member name (`Effect`, `Statement`, ...).
    Property,
    /// A fixed value (`Allow`, `2012-10-17`, `true`).
    Value,
    Service,
    Action,
    /// An action wildcard such as `s3:Get*`.
    Wildcard,
    ResourceArn,
    Principal,
    Operator,
    ConditionKey,
}

/// One completion item. `range` is what `insert_text` replaces; items are ranked, best
/// first, so a client can use the index as its sort key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line: the access level of an action, the type of a condition key, ...
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    pub range: Span,
    pub insert_text: String,
    /// The same insertion in LSP snippet syntax (`${1:BucketName}`), where placeholders
    /// help: ARN templates and element names typed outside quotes.
    pub snippet: Option<String>,
}

/// Services most policies name, in the order they are offered before the rest.
const POPULAR_SERVICES: &[&str] = &[
    "s3",
    "iam",
    "sts",
    "kms",
    "ec2",
    "lambda",
    "dynamodb",
    "sqs",
    "sns",
    "logs",
    "cloudwatch",
    "secretsmanager",
    "ssm",
    "ecr",
    "ecs",
    "cloudfront",
    "events",
    "states",
    "apigateway",
    "execute-api",
    "rds",
    "elasticloadbalancing",
    "autoscaling",
    "cloudformation",
    "organizations",
    "route53",
    "acm",
    "eks",
    "glue",
    "athena",
    "kinesis",
    "firehose",
    "sagemaker",
    "bedrock",
    "cloudtrail",
    "config",
    "tag",
];

/// Global keys most policies use, in the order they are offered first.
const POPULAR_GLOBAL_KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:PrincipalOrgID",
    "aws:SecureTransport",
    "aws:PrincipalArn",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:MultiFactorAuthPresent",
    "aws:RequestedRegion",
    "aws:PrincipalTag/${TagKey}",
    "aws:ResourceTag/${TagKey}",
    "aws:RequestTag/${TagKey}",
    "aws:TagKeys",
    "aws:PrincipalAccount",
    "aws:CurrentTime",
];

/// Service keys most policies use, offered first when the statement's actions have them.
const POPULAR_SERVICE_KEYS: &[&str] = &[
    "s3:prefix",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:x-amz-acl",
    "s3:ResourceAccount",
    "s3:TlsVersion",
    "kms:ViaService",
    "kms:CallerAccount",
    "kms:EncryptionContext:${EncryptionContextKey}",
    "kms:GrantIsForAWSResource",
    "iam:PassedToService",
    "sts:ExternalId",
    "sts:RoleSessionName",
    "sts:SourceIdentity",
    "dynamodb:LeadingKeys",
    "ec2:ResourceTag/${TagKey}",
    "ec2:InstanceType",
    "ec2:Region",
    "lambda:FunctionArn",
    "ssm:resourceTag/${TagKey}",
];

/// Common service principals, for `"Principal": {"Service": ...}`.
const SERVICE_PRINCIPALS: &[&str] = &[
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "cloudfront.amazonaws.com",
    "s3.amazonaws.com",
    "events.amazonaws.com",
    "states.amazonaws.com",
    "sns.amazonaws.com",
    "sqs.amazonaws.com",
    "logs.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "apigateway.amazonaws.com",
    "codebuild.amazonaws.com",
    "codepipeline.amazonaws.com",
    "eks.amazonaws.com",
    "glue.amazonaws.com",
    "sagemaker.amazonaws.com",
    "bedrock.amazonaws.com",
    "firehose.amazonaws.com",
    "scheduler.amazonaws.com",
    "backup.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
];

/// Above this many actions, a statement's condition keys and ARN templates are taken per
/// service rather than per action, to stay within the latency budget.
const PER_ACTION_LIMIT: usize = 400;

/// The completions at `offset` in `text`, whose policy tree is `tree` (spans into `text`).
pub fn complete(text: &str, tree: &Value, offset: usize) -> Vec<CompletionItem> {
    let Some(located) = locate(text, tree, offset) else {
        return Vec::new();
    };
    let token = &located.token;
    let mut items = match &located.place {
        Place::PolicyKey { policy } => element_names(
            text,
            token,
            policy,
            &[
                (
                    "Version",
                    "the policy language version; use `2012-10-17`",
                    "\"${1:2012-10-17}\"",
                ),
                ("Id", "an optional identifier for the policy", "\"$1\""),
                (
                    "Statement",
                    "the statements of the policy",
                    "[\n\t{\n\t\t$0\n\t}\n]",
                ),
            ],
        ),
        Place::StatementKey { statement } => element_names(
            text,
            token,
            statement,
            &[
                ("Effect", "`Allow` or `Deny`", "\"${1|Allow,Deny|}\""),
                ("Action", "the actions the statement covers", "[\"$1\"]"),
                ("Resource", "the resources the statement covers", "[\"$1\"]"),
                (
                    "Condition",
                    "when the statement applies",
                    "{\n\t\"$1\": {\n\t\t\"$2\": \"$3\"\n\t}\n}",
                ),
                (
                    "Principal",
                    "whom a resource policy applies to",
                    "{\"${1:AWS}\": \"$2\"}",
                ),
                ("Sid", "an identifier for the statement", "\"$1\""),
                ("NotAction", "every action except these", "[\"$1\"]"),
                ("NotResource", "every resource except these", "[\"$1\"]"),
                (
                    "NotPrincipal",
                    "every principal except these (avoid: use a Deny with a condition)",
                    "{\"${1:AWS}\": \"$2\"}",
                ),
            ],
        ),
        Place::VersionValue => values(
            token,
            &[
                (
                    "2012-10-17",
                    "current version; enables policy variables such as `${aws:username}`",
                ),
                (
                    "2008-10-17",
                    "legacy version: `${...}` is literal text, not a variable",
                ),
            ],
        ),
        Place::EffectValue { .. } => values(
            token,
            &[
                (
                    "Allow",
                    "grants the actions, unless a Deny or a missing grant elsewhere says otherwise",
                ),
                (
                    "Deny",
                    "refuses the actions; a Deny in any policy that applies wins",
                ),
            ],
        ),
        Place::Action { statement, .. } => actions(token, statement),
        Place::Resource { statement, .. } => resources(token, statement),
        Place::PrincipalKey { .. } => values_of_kind(
            token,
            CompletionKind::Property,
            &[
                ("AWS", "accounts, users and roles (ARNs or account ids)"),
                (
                    "Service",
                    "AWS services, such as `cloudfront.amazonaws.com`",
                ),
                ("Federated", "web identity and SAML providers"),
                ("CanonicalUser", "S3 canonical user ids"),
            ],
        ),
        Place::PrincipalValue { kind, .. } => principals(token, kind),
        Place::ConditionOperator { .. } => operators(token),
        Place::ConditionKey {
            statement,
            operator,
        } => condition_keys(token, statement, operator),
        Place::ConditionValue { operator, key, .. } => condition_values(token, operator, key),
    };
    // Outside quotes, a value or key needs its quotes in the insertion.
    if !token.quoted {
        for item in &mut items {
            if item.kind != CompletionKind::Property {
                item.insert_text = latch_syntax::json::json_string(&item.insert_text);
                item.snippet = item.snippet.take().map(|s| format!("\"{s}\""));
            }
        }
    }
    items
}

fn item(token: &Token, label: impl Into<String>, kind: CompletionKind) -> CompletionItem {
    let label = label.into();
    CompletionItem {
        insert_text: label.clone(),
        label,
        kind,
        detail: None,
        documentation: None,
        range: token.replace,
        snippet: None,
    }
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn contains_ignore_case(s: &str, needle: &str) -> bool {
    s.to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

/// Member names not already present. Outside quotes they are inserted as `"Name": ` with
/// a snippet for the value.
fn element_names(
    text: &str,
    token: &Token,
    object: &Value,
    names: &[(&str, &str, &str)],
) -> Vec<CompletionItem> {
    let hcl = is_hcl_object(text, object);
    let present: Vec<&str> = object
        .as_object()
        .map(|ms| ms.iter().map(|m| m.key.as_str()).collect())
        .unwrap_or_default();
    let taken = |name: &str| {
        let twin = name
            .strip_prefix("Not")
            .map_or_else(|| format!("Not{name}"), str::to_string);
        present.iter().any(|p| *p == name || *p == twin) && !token.typed.eq(name)
    };
    names
        .iter()
        .filter(|(n, _, _)| starts_with_ignore_case(n, &token.typed) && !taken(n))
        .map(|&(name, doc, value)| {
            let mut it = item(token, name, CompletionKind::Property);
            it.detail = Some(doc.to_string());
            if !token.quoted {
                if hcl {
                    it.insert_text = format!("{name} = ");
                    it.snippet = Some(format!("{name} = {}", value.replace("\": ", "\" = ")));
                } else {
                    it.insert_text = format!("\"{name}\": ");
                    it.snippet = Some(format!("\"{name}\": {value}"));
                }
            }
            it
        })
        .collect()
}

/// Whether `object` is written in HCL object syntax (`Effect = "Allow"` in `jsonencode`):
/// its members are assigned with `=`.
fn is_hcl_object(text: &str, object: &Value) -> bool {
    object.as_object().is_some_and(|members| {
        members.iter().any(|m| {
            text.get(m.key_span.end..m.value.span.start)
                .is_some_and(|between| between.trim() == "=")
        })
    })
}

fn values(token: &Token, list: &[(&str, &str)]) -> Vec<CompletionItem> {
    values_of_kind(token, CompletionKind::Value, list)
}

fn values_of_kind(
    token: &Token,
    kind: CompletionKind,
    list: &[(&str, &str)],
) -> Vec<CompletionItem> {
    list.iter()
        .filter(|(v, _)| starts_with_ignore_case(v, &token.typed))
        .map(|&(v, doc)| {
            let mut it = item(token, v, kind);
            it.detail = Some(doc.to_string());
            if kind == CompletionKind::Property && !token.quoted {
                it.insert_text = format!("\"{v}\": ");
            }
            it
        })
        .collect()
}

/// The catalogue's source, closing every documentation text.
pub(crate) fn footer() -> String {
    format!("\n\n---\n_AWS catalogue: {}_", catalog::catalog_version())
}

/// The actions a statement's `Action` entries match (`NotAction` and `*` give none).
pub(crate) fn statement_actions<'c>(cat: &'c Catalog, statement: &Value) -> Vec<&'c Action> {
    let mut out: Vec<&Action> = Vec::new();
    for pattern in strings(statement, "Action") {
        if pattern == "*" {
            continue;
        }
        out.extend(cat.expand(pattern));
        if out.len() > 20_000 {
            break;
        }
    }
    out
}

fn action_doc(a: &Action) -> String {
    let rts: Vec<String> = a
        .resource_types()
        .map(|r| format!("`{}`{}", r.name, if r.required { "*" } else { "" }))
        .collect();
    let rts = if rts.is_empty() {
        "none (use `\"Resource\": \"*\"`)".to_string()
    } else {
        rts.join(", ")
    };
    format!(
        "{}\n\nAccess level: {}\n\nResource types: {rts}{}",
        a.description(),
        a.access.as_str(),
        footer()
    )
}

fn actions(token: &Token, statement: &Value) -> Vec<CompletionItem> {
    let cat = catalog::catalog();
    let typed = token.typed.as_str();
    let Some((prefix, name)) = typed.split_once(':') else {
        // Service prefixes, then `*`.
        let mut services: Vec<(usize, &catalog::Service)> = cat
            .services
            .iter()
            .filter(|s| starts_with_ignore_case(s.prefix, typed))
            .map(|s| {
                let rank = POPULAR_SERVICES
                    .iter()
                    .position(|p| *p == s.prefix)
                    .unwrap_or(POPULAR_SERVICES.len());
                (rank, s)
            })
            .collect();
        services.sort_by_key(|&(rank, s)| (s.prefix.len() != typed.len(), rank, s.prefix));
        let mut out: Vec<CompletionItem> = services
            .into_iter()
            .map(|(_, s)| {
                let mut it = item(token, s.prefix, CompletionKind::Service);
                it.insert_text = format!("{}:", s.prefix);
                it.detail = Some(format!("{} ({} actions)", s.name, s.action_count));
                it
            })
            .collect();
        if typed.is_empty() {
            let mut all = item(token, "*", CompletionKind::Wildcard);
            all.detail = Some(format!(
                "every action of every service ({})",
                cat.action_count()
            ));
            out.push(all);
        }
        return out;
    };
    let Some(service) = cat.service(prefix) else {
        return Vec::new();
    };
    let resources: Vec<&str> = strings(statement, "Resource")
        .into_iter()
        .filter(|r| pattern::arn_fields(r).is_some())
        .collect();
    let fits = |a: &Action| {
        resources.is_empty()
            || resources.iter().any(|r| {
                crate::checks::catalog::action_resource_mismatch::action_fits_arn(cat, a, r)
            })
    };
    let mut ranked: Vec<(ActionRank, &Action)> = service
        .actions()
        .iter()
        .filter(|a| {
            starts_with_ignore_case(a.name, name)
                || (!name.is_empty() && contains_ignore_case(a.name, name))
        })
        .map(|a| {
            // With nothing typed yet, alphabetical; otherwise the shortest completion of
            // what was typed first.
            let len = if name.is_empty() { 0 } else { a.name.len() };
            let key = (
                !starts_with_ignore_case(a.name, name),
                !fits(a),
                len,
                a.name,
            );
            (key, a)
        })
        .collect();
    ranked.sort_by(|x, y| x.0.cmp(&y.0));
    let mut out: Vec<CompletionItem> = ranked
        .into_iter()
        .map(|(_, a)| {
            let full = format!("{}:{}", service.prefix, a.name);
            let mut it = item(token, full, CompletionKind::Action);
            it.detail = Some(a.access.as_str().to_string());
            it.documentation = Some(action_doc(a));
            it
        })
        .collect();
    // A wildcard over what was typed, and the whole service.
    if !name.is_empty() && !pattern::is_wildcard(name) {
        let wildcard = format!("{}:{name}*", service.prefix);
        let n = cat.expand_count(&wildcard);
        if n > 1 {
            let mut it = item(token, &wildcard, CompletionKind::Wildcard);
            it.detail = Some(format!("{n} actions"));
            out.push(it);
        }
    }
    if name.is_empty() {
        let mut it = item(
            token,
            format!("{}:*", service.prefix),
            CompletionKind::Wildcard,
        );
        it.detail = Some(format!(
            "every action of {} ({})",
            service.name, service.action_count
        ));
        out.push(it);
    }
    out
}

/// How an action ranks: not a prefix match, not fitting the resources, length, name.
type ActionRank<'a> = (bool, bool, usize, &'a str);

/// Turns an ARN template into the label (`${Partition}` becomes `aws`), the plain text to
/// insert (placeholders as bare names, `arn:aws:s3:::BucketName`: a `${...}` would be a
/// policy variable in JSON and an interpolation in Terraform) and an LSP snippet with one
/// tab stop per placeholder.
fn arn_insertions(template: &str) -> (String, String, String) {
    let label = template.replace("${Partition}", "aws");
    let mut plain = String::new();
    let mut snippet = String::new();
    let mut n = 0;
    let mut rest = label.as_str();
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        n += 1;
        let name = &rest[start + 2..start + len];
        plain.push_str(&rest[..start]);
        plain.push_str(name);
        snippet.push_str(&rest[..start]);
        snippet.push_str(&format!("${{{n}:{name}}}"));
        rest = &rest[start + len + 1..];
    }
    plain.push_str(rest);
    snippet.push_str(rest);
    (label, plain, snippet)
}

fn resources(token: &Token, statement: &Value) -> Vec<CompletionItem> {
    let cat = catalog::catalog();
    let acts = statement_actions(cat, statement);
    // Resource types with the number of the statement's actions that use them, and how
    // many require them.
    let mut types: Vec<(&catalog::ResourceType, usize, usize)> = Vec::new();
    let mut add = |t: &'static catalog::ResourceType, required: bool| match types
        .iter_mut()
        .find(|(x, _, _)| std::ptr::eq(*x, t))
    {
        Some(e) => {
            e.1 += 1;
            e.2 += usize::from(required);
        }
        None => types.push((t, 1, usize::from(required))),
    };
    if acts.len() <= PER_ACTION_LIMIT {
        for a in &acts {
            let Some(service) = cat.service(a.service) else {
                continue;
            };
            for rt in a.resource_types() {
                if let Some(t) = service.resource_type(rt.name) {
                    add(t, rt.required);
                }
            }
        }
    } else {
        let mut seen: Vec<&str> = Vec::new();
        for a in &acts {
            if !seen.contains(&a.service) {
                seen.push(a.service);
                if let Some(s) = cat.service(a.service) {
                    for t in &s.resource_types {
                        add(t, false);
                    }
                }
            }
        }
    }
    types.sort_by(|a, b| {
        (b.2, b.1)
            .cmp(&(a.2, a.1))
            .then(a.0.arn.len().cmp(&b.0.arn.len()))
    });
    let mut out: Vec<CompletionItem> = Vec::new();
    for (t, used, _) in types {
        let (label, plain, snippet) = arn_insertions(t.arn);
        if !starts_with_ignore_case(&label, &token.typed) && !token.typed.is_empty() {
            continue;
        }
        let mut it = item(token, &label, CompletionKind::ResourceArn);
        it.insert_text = plain;
        it.detail = Some(format!(
            "`{}` {} ({used} of the statement's actions)",
            t.service, t.name
        ));
        it.documentation = Some(format!(
            "ARN of a `{}` of `{}`: `{}`{}",
            t.name,
            t.service,
            t.arn,
            footer()
        ));
        it.snippet = Some(snippet);
        out.push(it);
    }
    if "*".starts_with(&token.typed) {
        let mut it = item(token, "*", CompletionKind::ResourceArn);
        it.detail = Some("every resource".to_string());
        out.push(it);
    }
    out
}

fn principals(token: &Token, kind: &str) -> Vec<CompletionItem> {
    let list: Vec<(&str, &str)> = match kind {
        "AWS" => vec![
            (
                "arn:aws:iam::${AccountId}:root",
                "an account (its identity policies decide)",
            ),
            (
                "arn:aws:iam::${AccountId}:role/${RoleName}",
                "a role, and its sessions",
            ),
            ("arn:aws:iam::${AccountId}:user/${UserName}", "an IAM user"),
            (
                "arn:aws:sts::${AccountId}:assumed-role/${RoleName}/${SessionName}",
                "one role session",
            ),
            ("*", "anyone, including anonymous callers"),
        ],
        "Service" => SERVICE_PRINCIPALS
            .iter()
            .map(|s| (*s, "AWS service principal"))
            .collect(),
        "Federated" => vec![
            (
                "arn:aws:iam::${AccountId}:oidc-provider/token.actions.githubusercontent.com",
                "GitHub Actions OIDC",
            ),
            (
                "arn:aws:iam::${AccountId}:saml-provider/${ProviderName}",
                "a SAML provider",
            ),
            (
                "cognito-identity.amazonaws.com",
                "Amazon Cognito identity pools",
            ),
            ("accounts.google.com", "Google"),
            ("www.amazon.com", "Login with Amazon"),
            ("graph.facebook.com", "Facebook"),
        ],
        "CanonicalUser" => vec![],
        _ => vec![("*", "anyone, including anonymous callers")],
    };
    list.into_iter()
        .filter(|(v, _)| starts_with_ignore_case(v, &token.typed))
        .map(|(v, doc)| {
            let mut it = item(token, v, CompletionKind::Principal);
            it.detail = Some(doc.to_string());
            if v.contains("${") {
                let (_, plain, snippet) = arn_insertions(v);
                it.insert_text = plain;
                it.snippet = Some(snippet);
            }
            it
        })
        .collect()
}

fn operators(token: &Token) -> Vec<CompletionItem> {
    // Base operators in the order people reach for them, then `IfExists` forms, then set
    // operators over the string and ARN families.
    const ORDER: &[&str] = &[
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "StringNotLike",
        "ArnLike",
        "ArnEquals",
        "ArnNotLike",
        "ArnNotEquals",
        "Bool",
        "IpAddress",
        "NotIpAddress",
        "NumericLessThanEquals",
        "NumericLessThan",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "NumericEquals",
        "NumericNotEquals",
        "DateGreaterThan",
        "DateLessThan",
        "DateGreaterThanEquals",
        "DateLessThanEquals",
        "DateEquals",
        "DateNotEquals",
        "Null",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "BinaryEquals",
    ];
    let mut names: Vec<String> = ORDER.iter().map(|s| s.to_string()).collect();
    names.extend(
        ORDER
            .iter()
            .filter(|s| **s != "Null")
            .map(|s| format!("{s}IfExists")),
    );
    for set in ["ForAnyValue:", "ForAllValues:"] {
        names.extend(
            BASE_OPERATORS
                .iter()
                .filter(|(_, f, _)| matches!(f, Family::String | Family::Arn))
                .map(|(b, _, _)| format!("{set}{b}")),
        );
    }
    names
        .into_iter()
        .filter(|n| starts_with_ignore_case(n, &token.typed))
        .filter_map(|n| {
            let op = Operator::parse(&n)?;
            let mut it = item(token, &n, CompletionKind::Operator);
            it.detail = Some(op.family.compares().to_string());
            it.documentation = Some(format!("When the key is absent: {}", op.when_absent()));
            Some(it)
        })
        .collect()
}

/// The condition keys that apply to a statement: its actions' keys (per action for few
/// actions, per service for many), with the definitions that describe them.
pub(crate) fn statement_keys(
    cat: &'static Catalog,
    statement: &Value,
) -> Vec<&'static ConditionKey> {
    let acts = statement_actions(cat, statement);
    let mut names: Vec<&'static str> = Vec::new();
    let mut services: Vec<&str> = Vec::new();
    for a in &acts {
        if !services.contains(&a.service) {
            services.push(a.service);
        }
    }
    if acts.len() > PER_ACTION_LIMIT {
        // Many actions: every key their services document, as defined there.
        let mut out: Vec<&'static ConditionKey> = Vec::new();
        for p in &services {
            if let Some(s) = cat.service(p) {
                out.extend(
                    cat.service_keys(s)
                        .iter()
                        .filter(|k| !starts_with_ignore_case(k.name, "aws:")),
                );
            }
        }
        return out;
    }
    for a in &acts {
        if let Some(s) = cat.service(a.service) {
            names.extend(a.all_condition_keys(s));
        }
    }
    names.sort_unstable_by_key(|n| n.to_ascii_lowercase());
    names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let mut out: Vec<&'static ConditionKey> = Vec::new();
    for n in names {
        let defs = cat.key_definitions(n);
        // Prefer the definition of one of the statement's services (it has the text).
        let best = defs
            .iter()
            .find(|k| k.service.is_some_and(|s| services.contains(&s)))
            .or(defs.first());
        if let Some(k) = best {
            if !k.is_global() && !out.iter().any(|o| std::ptr::eq(*o, *k)) {
                out.push(k);
            }
        }
    }
    out
}

fn key_insert(name: &str) -> (String, Option<String>) {
    // `aws:RequestTag/${TagKey}`: insert up to the placeholder, or as a snippet.
    match name.find("${").or_else(|| name.find('<')) {
        Some(i) => {
            let head = &name[..i];
            let placeholder = name[i..]
                .trim_start_matches("${")
                .trim_start_matches('<')
                .split(['}', '>'])
                .next()
                .unwrap_or("key");
            (
                head.to_string(),
                Some(format!("{head}${{1:{placeholder}}}")),
            )
        }
        None => (name.to_string(), None),
    }
}

fn condition_keys(token: &Token, statement: &Value, operator: &str) -> Vec<CompletionItem> {
    let cat = catalog::catalog();
    let family = Operator::parse(operator).map(|o| o.family);
    // Keys of the operator's own type first (`Bool` keys under `Bool`); string operators
    // also prefer ARN keys, which they compare well.
    let fits = |t: ValueType| {
        family.is_none_or(|f| {
            f == Family::Null
                || Family::for_type(t) == Some(f)
                || (f == Family::String && t == ValueType::Arn)
        })
    };
    let mut specific = statement_keys(cat, statement);
    // Keys policies use most first, then the actions' own service keys before the `aws:`
    // keys they also list (the sort is stable, so the rest stays alphabetical).
    specific.sort_by_key(|k| {
        let popular = POPULAR_SERVICE_KEYS
            .iter()
            .position(|p| p.eq_ignore_ascii_case(k.name))
            .unwrap_or(POPULAR_SERVICE_KEYS.len());
        (popular, starts_with_ignore_case(k.name, "aws:"))
    });
    let mut globals: Vec<&ConditionKey> = cat.global_keys().collect();
    globals.sort_by_key(|k| {
        POPULAR_GLOBAL_KEYS
            .iter()
            .position(|p| p.eq_ignore_ascii_case(k.name))
            .unwrap_or(POPULAR_GLOBAL_KEYS.len())
    });
    let typed = token.typed.as_str();
    let mut ranked: Vec<((bool, bool, usize), &ConditionKey)> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (group, keys) in [(0, specific.as_slice()), (1, globals.as_slice())] {
        for (i, k) in keys.iter().enumerate() {
            let matches = starts_with_ignore_case(k.name, typed)
                || (typed.len() > 2 && contains_ignore_case(k.name, typed));
            if !matches {
                continue;
            }
            if seen.iter().any(|n| n.eq_ignore_ascii_case(k.name)) {
                continue;
            }
            seen.push(k.name);
            let order = group * 10_000 + i;
            ranked.push((
                (
                    !starts_with_ignore_case(k.name, typed),
                    !fits(k.key_type.value),
                    order,
                ),
                k,
            ));
        }
    }
    ranked.sort_by_key(|x| x.0);
    ranked
        .into_iter()
        .map(|(_, k)| {
            let (insert, snippet) = key_insert(k.name);
            let mut it = item(token, k.name, CompletionKind::ConditionKey);
            it.insert_text = insert;
            it.snippet = snippet;
            it.detail = Some(k.key_type.name());
            it.documentation = Some(crate::hover::key_markdown(cat, k.name, Some(operator)));
            it
        })
        .collect()
}

fn condition_values(token: &Token, operator: &str, key: &str) -> Vec<CompletionItem> {
    let cat = catalog::catalog();
    let op = Operator::parse(operator);
    if op.is_some_and(|o| o.family == Family::Null) {
        return values(
            token,
            &[
                ("true", "the key is absent from the request"),
                ("false", "the key is present"),
            ],
        );
    }
    let is_bool = op.is_some_and(|o| o.family == Family::Bool)
        || cat
            .condition_key(key)
            .first()
            .is_some_and(|k| k.key_type.value == ValueType::Bool);
    if is_bool {
        return values(token, &[("true", ""), ("false", "")])
            .into_iter()
            .map(|mut i| {
                i.detail = None;
                i
            })
            .collect();
    }
    KNOWN_VALUES
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, list)| values(token, list))
        .unwrap_or_default()
}

/// The values some keys can take, from AWS's S3 documentation.
const KNOWN_VALUES: &[(&str, &[(&str, &str)])] = &[
    (
        "s3:x-amz-server-side-encryption",
        &[
            ("aws:kms", "SSE-KMS"),
            ("AES256", "SSE-S3"),
            ("aws:kms:dsse", "dual-layer SSE-KMS"),
        ],
    ),
    (
        "s3:x-amz-acl",
        &[
            ("bucket-owner-full-control", "canned ACL"),
            ("private", "canned ACL"),
            ("public-read", "canned ACL"),
            ("public-read-write", "canned ACL"),
            ("authenticated-read", "canned ACL"),
            ("aws-exec-read", "canned ACL"),
            ("bucket-owner-read", "canned ACL"),
        ],
    ),
];

#[cfg(test)]
mod tests;
