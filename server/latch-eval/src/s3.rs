//! Amazon S3 facts that change the answer (docs/aws-rules.md §8): who owns the object, the
//! Object Ownership setting, object ACL grants, Block Public Access, Requester Pays,
//! whether the object exists and its KMS key; and the "is this bucket policy public"
//! classifier that RestrictPublicBuckets depends on.

use std::sync::Arc;

use latch_syntax::policy::{Effect, Policy, PrincipalValue};

use crate::compile::CompiledPolicy;
use crate::condition::{Family, Operator, SetOp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectOwnership {
    BucketOwnerEnforced,
    BucketOwnerPreferred,
    ObjectWriter,
}

impl ObjectOwnership {
    pub fn parse(s: &str) -> Option<ObjectOwnership> {
        match s {
            "BucketOwnerEnforced" => Some(ObjectOwnership::BucketOwnerEnforced),
            "BucketOwnerPreferred" => Some(ObjectOwnership::BucketOwnerPreferred),
            "ObjectWriter" => Some(ObjectOwnership::ObjectWriter),
            _ => None,
        }
    }
}

/// Whom an ACL grant names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grantee {
    /// A canonical user, identified here by its account id.
    Account(String),
    /// A canonical user id the engine cannot map to an account.
    CanonicalId(String),
    AllUsers,
    AuthenticatedUsers,
    LogDelivery,
    OtherGroup(String),
}

impl Grantee {
    /// Reads a group URI.
    pub fn group(uri: &str) -> Grantee {
        if uri.ends_with("/global/AllUsers") {
            Grantee::AllUsers
        } else if uri.ends_with("/global/AuthenticatedUsers") {
            Grantee::AuthenticatedUsers
        } else if uri.ends_with("/s3/LogDelivery") {
            Grantee::LogDelivery
        } else {
            Grantee::OtherGroup(uri.to_string())
        }
    }

    pub fn is_public(&self) -> bool {
        matches!(self, Grantee::AllUsers | Grantee::AuthenticatedUsers)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AclPermission {
    Read,
    Write,
    ReadAcp,
    WriteAcp,
    FullControl,
}

impl AclPermission {
    pub fn parse(s: &str) -> Option<AclPermission> {
        match s {
            "READ" => Some(AclPermission::Read),
            "WRITE" => Some(AclPermission::Write),
            "READ_ACP" => Some(AclPermission::ReadAcp),
            "WRITE_ACP" => Some(AclPermission::WriteAcp),
            "FULL_CONTROL" => Some(AclPermission::FullControl),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AclPermission::Read => "READ",
            AclPermission::Write => "WRITE",
            AclPermission::ReadAcp => "READ_ACP",
            AclPermission::WriteAcp => "WRITE_ACP",
            AclPermission::FullControl => "FULL_CONTROL",
        }
    }

    /// Whether an object ACL grant of this permission covers the (lower-cased) operation.
    pub fn covers_object_operation(self, op: &str) -> bool {
        let read = matches!(op, "getobject" | "getobjectversion");
        let read_acp = matches!(op, "getobjectacl" | "getobjectversionacl");
        let write_acp = matches!(op, "putobjectacl" | "putobjectversionacl");
        match self {
            AclPermission::Read => read,
            AclPermission::ReadAcp => read_acp,
            AclPermission::WriteAcp => write_acp,
            AclPermission::FullControl => read || read_acp || write_acp,
            AclPermission::Write => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclGrant {
    pub grantee: Grantee,
    pub permission: AclPermission,
}

/// The effective Block Public Access flags (account, bucket and access point ORed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockPublicAccess {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl BlockPublicAccess {
    pub fn all() -> BlockPublicAccess {
        BlockPublicAccess {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }
    }
}

/// S3 state of the bucket and object the request targets.
#[derive(Clone, Debug, Default)]
pub struct S3Facts {
    pub bucket_owner: Option<String>,
    /// The account that owns the object; the bucket owner when unknown.
    pub object_owner: Option<String>,
    pub object_ownership: Option<ObjectOwnership>,
    pub object_acl: Vec<AclGrant>,
    pub block_public_access: BlockPublicAccess,
    pub requester_pays: bool,
    pub request_payer_header: bool,
    /// `Some(false)` for a missing key (403 vs 404).
    pub object_exists: Option<bool>,
    /// The KMS key of an SSE-KMS object (or the bucket default for writes).
    pub kms_key: Option<String>,
    /// The key policy of that key.
    pub kms_key_policy: Option<Arc<CompiledPolicy>>,
}

impl S3Facts {
    /// ACLs take part in authorization unless BucketOwnerEnforced disables them.
    pub fn acls_enabled(&self) -> bool {
        self.object_ownership != Some(ObjectOwnership::BucketOwnerEnforced)
    }
}

/// Keys whose fixed values make a statement non-public (docs/aws-rules.md §8.3).
const FIXING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointaccount",
];

fn fixed(value: &str) -> bool {
    !value.contains(['*', '?']) && !crate::text::has_variable(value)
}

/// Whether a clause restricts the statement to fixed values of a key that counts.
fn clause_fixes(operator: &str, key: &str, values: &[&str]) -> bool {
    let Some(op) = Operator::parse(operator) else {
        return false;
    };
    if op.negated || op.if_exists || op.set == Some(SetOp::ForAllValues) || values.is_empty() {
        return false;
    }
    let key = key.to_ascii_lowercase();
    let string_like = matches!(
        op.family,
        Family::StringEquals | Family::StringEqualsIgnoreCase | Family::StringLike | Family::Arn
    );
    match key.as_str() {
        "aws:sourceip" => op.family == Family::Ip && values.iter().all(|v| narrow_cidr(v)),
        "aws:userid" => {
            string_like
                && values.iter().all(|v| match v.strip_suffix(":*") {
                    Some(id) => fixed(id) && !id.is_empty(),
                    None => fixed(v),
                })
        }
        "s3:dataaccesspointarn" => {
            string_like
                && values.iter().all(|v| match v.split_once(":accesspoint/") {
                    Some((head, _)) => fixed(head),
                    None => fixed(v),
                })
        }
        k if FIXING_KEYS.contains(&k) => string_like && values.iter().all(|v| fixed(v)),
        _ => false,
    }
}

/// A CIDR no broader than /8 (IPv4) or /32 (IPv6); private ranges do not count.
fn narrow_cidr(v: &str) -> bool {
    let v = v.trim();
    let net: ipnet::IpNet = match v.parse() {
        Ok(n) => n,
        Err(_) => match v.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.into(),
            Err(_) => return false,
        },
    };
    match net {
        ipnet::IpNet::V4(n) => n.prefix_len() >= 8 && !n.addr().is_private(),
        ipnet::IpNet::V6(n) => n.prefix_len() >= 32,
    }
}

/// Whether a bucket policy is public: some Allow grants a non-fixed principal without a
/// condition that fixes a key from the list in docs/aws-rules.md §8.3. Unknown shapes count
/// as public, since that makes RestrictPublicBuckets stricter, never looser.
pub fn is_public_policy(policy: &Policy) -> bool {
    policy.statements.iter().any(|st| {
        if st.effect() != Some(Effect::Allow) {
            return false;
        }
        let open = match &st.principal {
            None => false,
            Some(p) if p.negated => true,
            Some(p) => match &p.value {
                PrincipalValue::Star => true,
                PrincipalValue::Map(entries) => entries
                    .iter()
                    .any(|e| e.values.iter().any(|v| v.value.contains('*'))),
            },
        };
        if !open {
            return false;
        }
        let fixes = st.condition.as_ref().is_some_and(|c| {
            c.clauses.iter().any(|cl| {
                let vals: Vec<&str> = cl.values.iter().map(|v| v.value.as_str()).collect();
                clause_fixes(&cl.operator.value, &cl.key.value, &vals)
            })
        });
        !fixes
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use latch_syntax::policy::parse_policy;

    fn public(text: &str) -> bool {
        is_public_policy(&parse_policy(text).policy)
    }

    #[test]
    fn public_classifier() {
        let star = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#;
        assert!(public(star));
        let account = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"*"}]}"#;
        assert!(!public(account));
        let org = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}]}"#;
        assert!(!public(org));
        let org_like = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}]}"#;
        assert!(public(org_like));
        let vpce = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}]}"#;
        assert!(!public(vpce));
        let if_exists = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}}]}"#;
        assert!(public(if_exists));
        let ip = |cidr: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{{"IpAddress":{{"aws:SourceIp":"{cidr}"}}}}}}]}}"#
            )
        };
        assert!(!public(&ip("203.0.113.0/24")));
        assert!(public(&ip("0.0.0.0/1")));
        assert!(public(&ip("10.0.0.0/8")));
        let deny_only =
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert!(!public(deny_only));
        let userid = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}}]}"#;
        assert!(!public(userid));
    }

    #[test]
    fn acl_permissions() {
        assert!(AclPermission::Read.covers_object_operation("getobject"));
        assert!(!AclPermission::Read.covers_object_operation("putobjectacl"));
        assert!(AclPermission::FullControl.covers_object_operation("putobjectacl"));
        assert!(!AclPermission::Write.covers_object_operation("getobject"));
        assert_eq!(
            Grantee::group("http://acs.amazonaws.com/groups/global/AllUsers"),
            Grantee::AllUsers
        );
    }
}
