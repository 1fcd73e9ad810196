//! `latch.toml`: the accounts, principals, buckets, keys, endpoints, organization policies
//! and intents of a workspace (DESIGN.md, "latch.toml"). Parsing never fails: it returns
//! the model of whatever could be read plus findings (TOML syntax, unknown keys, wrong
//! types, unknown account names, malformed ARNs), each with its exact byte range. Every
//! `[[expect]]` entry and every policy reference keeps its span, for code lenses and
//! diagnostics.

use toml_edit::{ImDocument, Item, Key, TableLike, Value};

use crate::finding::Finding;
use crate::span::{Span, Spanned};

pub mod check;

/// `name = "123456789012"` in `[accounts]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountDecl {
    pub name: Spanned<String>,
    pub id: Spanned<String>,
}

/// `"aws.analytics" = "analytics"` in `[providers]`: a Terraform provider configuration
/// and the account it deploys to (resolved to an id when the name is known).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderDecl {
    pub provider: Spanned<String>,
    pub account: Spanned<String>,
    pub account_id: Option<String>,
}

/// `[[principal]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PrincipalDecl {
    pub arn: Option<Spanned<String>>,
    pub policies: Vec<Spanned<String>>,
    pub boundary: Option<Spanned<String>>,
    pub session_policy: Option<Spanned<String>>,
    pub span: Span,
}

/// The four Block Public Access flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BlockPublicAccessDecl {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

/// `[[bucket]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BucketDecl {
    pub name: Option<Spanned<String>>,
    /// As written: an account name from `[accounts]` or a 12-digit id.
    pub account: Option<Spanned<String>>,
    /// The account id, when `account` resolves.
    pub account_id: Option<String>,
    pub policy: Option<Spanned<String>>,
    pub kms_key: Option<Spanned<String>>,
    pub object_ownership: Option<Spanned<String>>,
    pub block_public_access: Option<Spanned<BlockPublicAccessDecl>>,
    pub requester_pays: Option<Spanned<bool>>,
    pub website: Option<Spanned<bool>>,
    /// The bucket's canned ACL, e.g. `private`.
    pub acl: Option<Spanned<String>>,
    pub span: Span,
}

/// `[[key]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct KeyDecl {
    pub arn: Option<Spanned<String>>,
    pub policy: Option<Spanned<String>>,
    pub span: Span,
}

/// `[[vpc_endpoint]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct VpcEndpointDecl {
    pub id: Option<Spanned<String>>,
    pub policy: Option<Spanned<String>>,
    pub span: Span,
}

/// `[[scp]]` or `[[rcp]]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OrgPolicyDecl {
    pub policy: Option<Spanned<String>>,
    pub level: Option<Spanned<String>>,
    /// Account names or ids as written; empty means every account.
    pub accounts: Vec<Spanned<String>>,
    /// The ids of `accounts` that resolve.
    pub account_ids: Vec<String>,
    /// `[[scp]]` only: the level is an allow list (AWS's `FullAWSAccess` was detached), so
    /// only its own Allow statements allow. By default a level whose policies have no
    /// Allow keeps `FullAWSAccess`, as AWS attaches it to every root, OU and account.
    pub allow_list: Option<Spanned<bool>>,
    pub span: Span,
}

/// `[organization]`: the organization the workspace's accounts belong to.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OrganizationDecl {
    /// `o-` followed by 10 to 32 lower-case letters or digits.
    pub id: Option<Spanned<String>>,
    /// Account names or ids as written; absent means every account of `[accounts]`.
    pub accounts: Option<Vec<Spanned<String>>>,
    /// The ids of `accounts` that resolve.
    pub account_ids: Vec<String>,
    pub span: Span,
}

/// The decision an intent expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedDecision {
    Allow,
    /// Either kind of deny.
    Deny,
    ExplicitDeny,
    ImplicitDeny,
}

impl ExpectedDecision {
    pub fn parse(s: &str) -> Option<ExpectedDecision> {
        match s {
            "allow" => Some(ExpectedDecision::Allow),
            "deny" => Some(ExpectedDecision::Deny),
            "explicit_deny" => Some(ExpectedDecision::ExplicitDeny),
            "implicit_deny" => Some(ExpectedDecision::ImplicitDeny),
            _ => None,
        }
    }
}

/// `[[expect]]`: a request the workspace means to allow (or deny).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExpectDecl {
    pub principal: Option<Spanned<String>>,
    /// One or more actions: the entry stands for one request per action.
    pub actions: Vec<Spanned<String>>,
    pub resource: Option<Spanned<String>>,
    /// Context keys with one or more values.
    pub context: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    pub decision: Option<Spanned<ExpectedDecision>>,
    /// The whole entry, header included.
    pub span: Span,
}

/// Where a policy reference sits in the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyRole {
    Identity,
    Boundary,
    Session,
    Bucket,
    Key,
    VpcEndpoint,
    Scp,
    Rcp,
}

/// The whole manifest.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Manifest {
    pub accounts: Vec<AccountDecl>,
    pub providers: Vec<ProviderDecl>,
    pub principals: Vec<PrincipalDecl>,
    pub buckets: Vec<BucketDecl>,
    pub keys: Vec<KeyDecl>,
    pub vpc_endpoints: Vec<VpcEndpointDecl>,
    pub scps: Vec<OrgPolicyDecl>,
    pub rcps: Vec<OrgPolicyDecl>,
    pub expects: Vec<ExpectDecl>,
    pub organization: Option<OrganizationDecl>,
    /// `[check]`: which findings are reported and how (see [`check`]).
    pub check: check::CheckConfig,
}

impl Manifest {
    /// The id of an account given by name or as a 12-digit id.
    pub fn account_id<'a>(&'a self, name_or_id: &'a str) -> Option<&'a str> {
        if is_account_id(name_or_id) {
            return Some(name_or_id);
        }
        self.accounts
            .iter()
            .find(|a| a.name.value == name_or_id)
            .map(|a| a.id.value.as_str())
    }

    /// Every policy reference (a manifest-relative path or a Terraform address) with its
    /// role, in manifest order.
    pub fn policy_refs(&self) -> Vec<(PolicyRole, &Spanned<String>)> {
        let mut out = Vec::new();
        for p in &self.principals {
            out.extend(p.policies.iter().map(|r| (PolicyRole::Identity, r)));
            out.extend(p.boundary.iter().map(|r| (PolicyRole::Boundary, r)));
            out.extend(p.session_policy.iter().map(|r| (PolicyRole::Session, r)));
        }
        out.extend(
            self.buckets
                .iter()
                .filter_map(|b| b.policy.as_ref())
                .map(|r| (PolicyRole::Bucket, r)),
        );
        out.extend(
            self.keys
                .iter()
                .filter_map(|k| k.policy.as_ref())
                .map(|r| (PolicyRole::Key, r)),
        );
        out.extend(
            self.vpc_endpoints
                .iter()
                .filter_map(|e| e.policy.as_ref())
                .map(|r| (PolicyRole::VpcEndpoint, r)),
        );
        out.extend(
            self.scps
                .iter()
                .filter_map(|e| e.policy.as_ref())
                .map(|r| (PolicyRole::Scp, r)),
        );
        out.extend(
            self.rcps
                .iter()
                .filter_map(|e| e.policy.as_ref())
                .map(|r| (PolicyRole::Rcp, r)),
        );
        out
    }
}

/// The manifest and what was wrong with its text.
#[derive(Clone, Debug)]
pub struct ParsedManifest {
    pub manifest: Manifest,
    pub findings: Vec<Finding>,
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn span_of(r: Option<std::ops::Range<usize>>) -> Span {
    r.map(Span::from).unwrap_or_default()
}

fn item_span(item: &Item) -> Span {
    span_of(item.span())
}

fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Integer(_)) => "an integer",
        Item::Value(Value::Float(_)) => "a float",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date-time",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

struct Reader<'t> {
    text: &'t str,
    findings: Vec<Finding>,
}

impl Reader<'_> {
    fn wrong_type(&mut self, key: &str, item: &Item, expected: &str) {
        self.findings.push(Finding::error(
            "manifest/invalid-value-type",
            item_span(item),
            format!("`{key}` must be {expected}, not {}", type_name(item)),
        ));
    }

    fn unknown_key(&mut self, section: &str, key: &Key, known: &[&str]) {
        self.findings.push(Finding::warning(
            "manifest/unknown-key",
            span_of(key.span()),
            format!(
                "unknown key `{}` in `{section}`; expected one of {}",
                key.get(),
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }

    fn string(&mut self, key: &str, item: &Item) -> Option<Spanned<String>> {
        match item.as_str() {
            Some(s) => Some(Spanned::new(s.to_string(), item_span(item))),
            None => {
                self.wrong_type(key, item, "a string");
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, item: &Item) -> Option<Spanned<bool>> {
        match item.as_bool() {
            Some(b) => Some(Spanned::new(b, item_span(item))),
            None => {
                self.wrong_type(key, item, "`true` or `false`");
                None
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&mut self, key: &str, item: &Item) -> Vec<Spanned<String>> {
        match item {
            Item::Value(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a.iter() {
                    match v.as_str() {
                        Some(s) => out.push(Spanned::new(s.to_string(), span_of(v.span()))),
                        None => self.findings.push(Finding::error(
                            "manifest/invalid-value-type",
                            span_of(v.span()),
                            format!("`{key}` must hold strings only"),
                        )),
                    }
                }
                out
            }
            _ => self.string(key, item).into_iter().collect(),
        }
    }

    fn arn(&mut self, key: &str, item: &Item, service: &[&str]) -> Option<Spanned<String>> {
        let s = self.string(key, item)?;
        let fields: Vec<&str> = s.value.splitn(6, ':').collect();
        let ok = fields.len() == 6
            && fields[0] == "arn"
            && !fields[1].is_empty()
            && (service.is_empty() || service.contains(&fields[2]));
        if !ok {
            let what = if service.is_empty() {
                "an ARN".to_string()
            } else {
                format!("an `{}` ARN", service.join("` or `"))
            };
            self.findings.push(Finding::error(
                "manifest/invalid-arn",
                s.span,
                format!("`{}` is not {what}", s.value),
            ));
        }
        Some(s)
    }

    /// The entries of an array of tables (`[[bucket]]`) or of an inline array of tables.
    fn entries<'a>(&mut self, key: &str, item: &'a Item) -> Vec<(&'a dyn TableLike, Span)> {
        match item {
            Item::ArrayOfTables(a) => a
                .iter()
                .map(|t| (t as &dyn TableLike, self.table_extent(t)))
                .collect(),
            Item::Value(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a.iter() {
                    match v.as_inline_table() {
                        Some(t) => out.push((t as &dyn TableLike, span_of(v.span()))),
                        None => self.findings.push(Finding::error(
                            "manifest/invalid-value-type",
                            span_of(v.span()),
                            format!("`{key}` entries must be tables"),
                        )),
                    }
                }
                out
            }
            other => {
                self.wrong_type(key, other, &format!("an array of tables (`[[{key}]]`)"));
                Vec::new()
            }
        }
    }

    /// A `[[x]]` table's range: from its header to the end of its last value.
    fn table_extent(&self, t: &toml_edit::Table) -> Span {
        let header = span_of(t.span());
        let mut end = header.end;
        for (_, item) in t.iter() {
            end = end.max(item_span(item).end);
        }
        // Extend to the end of the line that holds the last value.
        let rest = self.text.get(end..).unwrap_or_default();
        let eol = rest.find('\n').map_or(self.text.len(), |i| end + i);
        Span::new(header.start, eol.max(end))
    }
}

const PRINCIPAL_KEYS: &[&str] = &["arn", "policies", "boundary", "session_policy"];
const BUCKET_KEYS: &[&str] = &[
    "name",
    "account",
    "policy",
    "kms_key",
    "object_ownership",
    "block_public_access",
    "requester_pays",
    "website",
    "acl",
];
const KEY_KEYS: &[&str] = &["arn", "policy"];
const VPCE_KEYS: &[&str] = &["id", "policy"];
const ORG_KEYS: &[&str] = &["policy", "level", "accounts", "allow_list"];
const ORGANIZATION_KEYS: &[&str] = &["id", "accounts"];
const EXPECT_KEYS: &[&str] = &["principal", "action", "resource", "context", "decision"];
const TOP_KEYS: &[&str] = &[
    "accounts",
    "providers",
    "principal",
    "bucket",
    "key",
    "vpc_endpoint",
    "scp",
    "rcp",
    "expect",
    "organization",
    "check",
];
const BPA_KEYS: &[&str] = &[
    "block_public_acls",
    "ignore_public_acls",
    "block_public_policy",
    "restrict_public_buckets",
];

/// Parses `latch.toml`. Never fails.
pub fn parse_manifest(text: &str) -> ParsedManifest {
    let mut r = Reader {
        text,
        findings: Vec::new(),
    };
    let mut m = Manifest::default();
    let doc = match ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let span = e
                .span()
                .map(Span::from)
                .unwrap_or_else(|| Span::new(0, text.len()));
            let message = e.message().trim().to_lowercase();
            // The parser's first line is the headline; what it expected is the reason.
            let mut lines = message.lines().map(|l| l.trim().trim_end_matches('.'));
            let first = lines.next().unwrap_or_default().to_string();
            let rest: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
            let mut f = Finding::error(
                "manifest/syntax",
                span,
                format!("`latch.toml` is not valid TOML: {first}"),
            );
            if !rest.is_empty() {
                f.why = Some(rest.join("; "));
            }
            r.findings.push(f);
            return ParsedManifest {
                manifest: m,
                findings: r.findings,
            };
        }
    };
    let root = doc.as_table();
    for (name, item) in root.iter() {
        let Some((key, _)) = root.get_key_value(name) else {
            continue;
        };
        match name {
            "accounts" => match item.as_table_like() {
                Some(t) => {
                    for (k, v) in t.iter() {
                        let Some((kk, _)) = t.get_key_value(k) else {
                            continue;
                        };
                        if let Some(id) = r.string(k, v) {
                            if !is_account_id(&id.value) {
                                r.findings.push(Finding::error(
                                    "manifest/invalid-account-id",
                                    id.span,
                                    format!("`{}` is not a 12-digit account id", id.value),
                                ));
                            }
                            m.accounts.push(AccountDecl {
                                name: Spanned::new(k.to_string(), span_of(kk.span())),
                                id,
                            });
                        }
                    }
                }
                None => r.wrong_type("accounts", item, "a table of account names"),
            },
            "providers" => match item.as_table_like() {
                Some(t) => {
                    for (k, v) in t.iter() {
                        let Some((kk, _)) = t.get_key_value(k) else {
                            continue;
                        };
                        if let Some(account) = r.string(k, v) {
                            m.providers.push(ProviderDecl {
                                provider: Spanned::new(k.to_string(), span_of(kk.span())),
                                account,
                                account_id: None,
                            });
                        }
                    }
                }
                None => r.wrong_type("providers", item, "a table of provider names"),
            },
            "organization" => match item.as_table_like() {
                Some(t) => {
                    let mut o = OrganizationDecl {
                        span: item
                            .as_table()
                            .map_or_else(|| item_span(item), |t| r.table_extent(t)),
                        ..OrganizationDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "id" => {
                                o.id = r.string(k, v);
                                if let Some(id) = &o.id {
                                    if !is_org_id(&id.value) {
                                        r.findings.push(Finding::error(
                                            "manifest/invalid-value",
                                            id.span,
                                            format!(
                                                "`{}` is not an organization id; expected `o-` and 10 to 32 lower-case letters or digits",
                                                id.value
                                            ),
                                        ));
                                    }
                                }
                            }
                            "accounts" => o.accounts = Some(r.strings(k, v)),
                            _ => unknown(&mut r, "organization", t, k, ORGANIZATION_KEYS),
                        }
                    }
                    m.organization = Some(o);
                }
                None => r.wrong_type("organization", item, "a table with `id` and `accounts`"),
            },
            "principal" => {
                for (t, span) in r.entries("principal", item) {
                    let mut p = PrincipalDecl {
                        span,
                        ..PrincipalDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "arn" => p.arn = r.arn(k, v, &["iam", "sts"]),
                            "policies" => p.policies = r.strings(k, v),
                            "boundary" => p.boundary = r.string(k, v),
                            "session_policy" => p.session_policy = r.string(k, v),
                            _ => unknown(&mut r, "principal", t, k, PRINCIPAL_KEYS),
                        }
                    }
                    m.principals.push(p);
                }
            }
            "bucket" => {
                for (t, span) in r.entries("bucket", item) {
                    let mut b = BucketDecl {
                        span,
                        ..BucketDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "name" => b.name = r.string(k, v),
                            "account" => b.account = r.string(k, v),
                            "policy" => b.policy = r.string(k, v),
                            "kms_key" => b.kms_key = r.arn(k, v, &["kms"]),
                            "object_ownership" => {
                                b.object_ownership = r.string(k, v);
                                if let Some(o) = &b.object_ownership {
                                    if !matches!(
                                        o.value.as_str(),
                                        "BucketOwnerEnforced"
                                            | "BucketOwnerPreferred"
                                            | "ObjectWriter"
                                    ) {
                                        r.findings.push(Finding::error(
                                            "manifest/invalid-value",
                                            o.span,
                                            format!(
                                                "`{}` is not an object ownership setting; expected `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`",
                                                o.value
                                            ),
                                        ));
                                    }
                                }
                            }
                            "block_public_access" => {
                                b.block_public_access = block_public_access(&mut r, v)
                            }
                            "requester_pays" => b.requester_pays = r.boolean(k, v),
                            "website" => b.website = r.boolean(k, v),
                            "acl" => b.acl = r.string(k, v),
                            _ => unknown(&mut r, "bucket", t, k, BUCKET_KEYS),
                        }
                    }
                    m.buckets.push(b);
                }
            }
            "key" => {
                for (t, span) in r.entries("key", item) {
                    let mut d = KeyDecl {
                        span,
                        ..KeyDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "arn" => d.arn = r.arn(k, v, &["kms"]),
                            "policy" => d.policy = r.string(k, v),
                            _ => unknown(&mut r, "key", t, k, KEY_KEYS),
                        }
                    }
                    m.keys.push(d);
                }
            }
            "vpc_endpoint" => {
                for (t, span) in r.entries("vpc_endpoint", item) {
                    let mut d = VpcEndpointDecl {
                        span,
                        ..VpcEndpointDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "id" => d.id = r.string(k, v),
                            "policy" => d.policy = r.string(k, v),
                            _ => unknown(&mut r, "vpc_endpoint", t, k, VPCE_KEYS),
                        }
                    }
                    m.vpc_endpoints.push(d);
                }
            }
            "scp" | "rcp" => {
                for (t, span) in r.entries(name, item) {
                    let mut d = OrgPolicyDecl {
                        span,
                        ..OrgPolicyDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "policy" => d.policy = r.string(k, v),
                            "level" => d.level = r.string(k, v),
                            "accounts" => d.accounts = r.strings(k, v),
                            "allow_list" if name == "scp" => d.allow_list = r.boolean(k, v),
                            _ => unknown(&mut r, name, t, k, ORG_KEYS),
                        }
                    }
                    if name == "scp" {
                        m.scps.push(d);
                    } else {
                        m.rcps.push(d);
                    }
                }
            }
            "expect" => {
                for (t, span) in r.entries("expect", item) {
                    let mut e = ExpectDecl {
                        span,
                        ..ExpectDecl::default()
                    };
                    for (k, v) in t.iter() {
                        match k {
                            "principal" => {
                                e.principal = match v.as_str() {
                                    Some("anonymous") => r.string(k, v),
                                    _ => r.arn(k, v, &["iam", "sts"]),
                                }
                            }
                            "action" => e.actions = r.strings(k, v),
                            "resource" => e.resource = r.string(k, v),
                            "context" => match v.as_table_like() {
                                Some(ct) => {
                                    for (ck, cv) in ct.iter() {
                                        let kspan = ct
                                            .get_key_value(ck)
                                            .map_or(Span::default(), |(kk, _)| span_of(kk.span()));
                                        e.context.push((
                                            Spanned::new(ck.to_string(), kspan),
                                            r.strings(ck, cv),
                                        ));
                                    }
                                }
                                None => r.wrong_type(k, v, "a table of condition keys"),
                            },
                            "decision" => {
                                if let Some(d) = r.string(k, v) {
                                    match ExpectedDecision::parse(&d.value) {
                                        Some(x) => e.decision = Some(Spanned::new(x, d.span)),
                                        None => r.findings.push(Finding::error(
                                            "manifest/invalid-value",
                                            d.span,
                                            format!(
                                                "`{}` is not a decision; expected `allow`, `deny`, `explicit_deny` or `implicit_deny`",
                                                d.value
                                            ),
                                        )),
                                    }
                                }
                            }
                            _ => unknown(&mut r, "expect", t, k, EXPECT_KEYS),
                        }
                    }
                    for (what, missing) in [
                        ("principal", e.principal.is_none()),
                        ("action", e.actions.is_empty()),
                        ("resource", e.resource.is_none()),
                        ("decision", e.decision.is_none()),
                    ] {
                        if missing {
                            r.findings.push(Finding::error(
                                "manifest/missing-key",
                                Span::new(
                                    e.span.start,
                                    e.span.start + "[[expect]]".len().min(e.span.len()),
                                ),
                                format!("this `[[expect]]` entry has no `{what}`"),
                            ));
                        }
                    }
                    m.expects.push(e);
                }
            }
            "check" => m.check = check::parse(&mut r, item),
            _ => r.unknown_key("latch.toml", key, TOP_KEYS),
        }
    }
    resolve_accounts(&mut m, &mut r.findings);
    r.findings.sort_by_key(|f| (f.range.start, f.range.end));
    ParsedManifest {
        manifest: m,
        findings: r.findings,
    }
}

fn unknown(r: &mut Reader<'_>, section: &str, t: &dyn TableLike, k: &str, known: &[&str]) {
    if let Some((key, _)) = t.get_key_value(k) {
        r.unknown_key(section, key, known);
    }
}

fn block_public_access(r: &mut Reader<'_>, v: &Item) -> Option<Spanned<BlockPublicAccessDecl>> {
    let span = item_span(v);
    if let Some(b) = v.as_bool() {
        let d = BlockPublicAccessDecl {
            block_public_acls: b,
            ignore_public_acls: b,
            block_public_policy: b,
            restrict_public_buckets: b,
        };
        return Some(Spanned::new(d, span));
    }
    let Some(t) = v.as_table_like() else {
        r.wrong_type(
            "block_public_access",
            v,
            "`true`, `false` or a table of the four flags",
        );
        return None;
    };
    let mut d = BlockPublicAccessDecl::default();
    for (k, flag) in t.iter() {
        let value = r.boolean(k, flag).map(|b| b.value);
        match (k, value) {
            ("block_public_acls", Some(b)) => d.block_public_acls = b,
            ("ignore_public_acls", Some(b)) => d.ignore_public_acls = b,
            ("block_public_policy", Some(b)) => d.block_public_policy = b,
            ("restrict_public_buckets", Some(b)) => d.restrict_public_buckets = b,
            (_, None) => {}
            _ => unknown(r, "block_public_access", t, k, BPA_KEYS),
        }
    }
    Some(Spanned::new(d, span))
}

/// Resolves account names to ids and reports the names `[accounts]` does not define.
fn resolve_accounts(m: &mut Manifest, findings: &mut Vec<Finding>) {
    let lookup = |accounts: &[AccountDecl],
                  s: &Spanned<String>,
                  findings: &mut Vec<Finding>|
     -> Option<String> {
        if is_account_id(&s.value) {
            return Some(s.value.clone());
        }
        match accounts.iter().find(|a| a.name.value == s.value) {
            Some(a) => Some(a.id.value.clone()),
            None => {
                let known: Vec<String> = accounts
                    .iter()
                    .map(|a| format!("`{}`", a.name.value))
                    .collect();
                let hint = if known.is_empty() {
                    "add it to `[accounts]` or write the 12-digit id".to_string()
                } else {
                    format!("known accounts: {}", known.join(", "))
                };
                findings.push(Finding::error(
                    "manifest/unknown-account",
                    s.span,
                    format!("unknown account `{}`; {hint}", s.value),
                ));
                None
            }
        }
    };
    let accounts = m.accounts.clone();
    for p in &mut m.providers {
        p.account_id = lookup(&accounts, &p.account, findings);
    }
    for b in &mut m.buckets {
        if let Some(a) = &b.account {
            b.account_id = lookup(&accounts, a, findings);
        }
    }
    for d in m.scps.iter_mut().chain(m.rcps.iter_mut()) {
        d.account_ids = d
            .accounts
            .iter()
            .filter_map(|a| lookup(&accounts, a, findings))
            .collect();
    }
    if let Some(o) = &mut m.organization {
        o.account_ids = match &o.accounts {
            Some(list) => list
                .iter()
                .filter_map(|a| lookup(&accounts, a, findings))
                .collect(),
            None => accounts.iter().map(|a| a.id.value.clone()).collect(),
        };
    }
}

/// Whether `s` has the shape of an AWS Organizations id (`o-` + 10 to 32 of `[a-z0-9]`).
pub fn is_org_id(s: &str) -> bool {
    s.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len())
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[accounts]
storage = "444455556666"
analytics = "111122223333"

[providers]
aws = "storage"
"aws.analytics" = "analytics"

[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = ["iam/jane.json"]
boundary = "iam/boundary.json"

[[bucket]]
name = "DOC-EXAMPLE-BUCKET"
account = "storage"
policy = "s3/bucket-policy.json"
kms_key = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb"
object_ownership = "BucketOwnerEnforced"
block_public_access = { block_public_acls = true, ignore_public_acls = true, block_public_policy = false, restrict_public_buckets = true }
requester_pays = false

[[key]]
arn = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb"
policy = "kms/key-policy.json"

[[vpc_endpoint]]
id = "vpce-1a2b3c4d"
policy = "vpce/s3.json"

[[scp]]
policy = "org/deny-s3.json"
level = "root"
accounts = ["analytics"]

[[expect]]
principal = "arn:aws:iam::111122223333:user/Jane"
action = ["s3:GetObject", "s3:PutObject"]
resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/reports/q3.csv"
context = { "aws:SourceVpce" = "vpce-1a2b3c4d" }
decision = "allow"
"#;

    #[test]
    fn reads_every_section_with_spans() {
        let p = parse_manifest(SAMPLE);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let m = &p.manifest;
        assert_eq!(m.account_id("storage"), Some("444455556666"));
        assert_eq!(m.providers[1].account_id.as_deref(), Some("111122223333"));
        assert_eq!(m.principals[0].policies[0].value, "iam/jane.json");
        let pol = &m.principals[0].policies[0];
        assert_eq!(&SAMPLE[pol.span.range()], "\"iam/jane.json\"");
        let b = &m.buckets[0];
        assert_eq!(b.account_id.as_deref(), Some("444455556666"));
        let bpa = b.block_public_access.as_ref().unwrap().value;
        assert!(bpa.restrict_public_buckets && !bpa.block_public_policy);
        assert_eq!(m.scps[0].account_ids, vec!["111122223333".to_string()]);
        let e = &m.expects[0];
        assert_eq!(e.actions.len(), 2);
        assert_eq!(e.decision.as_ref().unwrap().value, ExpectedDecision::Allow);
        assert_eq!(e.context[0].0.value, "aws:SourceVpce");
        let entry = &SAMPLE[e.span.range()];
        assert!(entry.starts_with("[[expect]]"), "{entry}");
        assert!(entry.ends_with("decision = \"allow\""), "{entry}");
        let refs = m.policy_refs();
        assert_eq!(refs.len(), 6);
        assert_eq!(refs[0].0, PolicyRole::Identity);
    }

    #[test]
    fn problems_are_findings_with_ranges() {
        let text = r#"[accounts]
storage = "4444"

[[bucket]]
name = "b"
account = "stroage"
requester_pays = "yes"
colour = "red"

[[principal]]
arn = "arn:aws:iam:111122223333:user/Jane"

[[expect]]
action = "s3:GetObject"
decision = "maybe"
"#;
        let p = parse_manifest(text);
        let got: Vec<(&str, &str)> = p
            .findings
            .iter()
            .map(|f| (f.code, &text[f.range.range()]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("manifest/invalid-account-id", "\"4444\""),
                ("manifest/unknown-account", "\"stroage\""),
                ("manifest/invalid-value-type", "\"yes\""),
                ("manifest/unknown-key", "colour"),
                (
                    "manifest/invalid-arn",
                    "\"arn:aws:iam:111122223333:user/Jane\""
                ),
                ("manifest/missing-key", "[[expect]]"),
                ("manifest/missing-key", "[[expect]]"),
                ("manifest/missing-key", "[[expect]]"),
                ("manifest/invalid-value", "\"maybe\""),
            ]
        );
        assert!(p.findings.iter().all(|f| !f.message.ends_with('.')));
        assert_eq!(p.manifest.buckets.len(), 1);
    }

    #[test]
    fn broken_toml_is_one_finding() {
        let p = parse_manifest("[accounts\nstorage = 1");
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].code, "manifest/syntax");
        assert!(p.manifest.accounts.is_empty());
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;

    /// Every manifest in the repository's fixtures and examples reads without findings.
    #[test]
    fn repository_manifests_are_clean() {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut stack = vec![root.join("tests"), root.join("examples")];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n == "latch.toml") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let parsed = parse_manifest(&text);
                    assert!(
                        parsed.findings.is_empty(),
                        "{}: {:?}",
                        p.display(),
                        parsed.findings
                    );
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
    }
}
