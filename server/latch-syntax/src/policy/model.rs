//! The IAM policy document model. Every node carries its span; spans never count for
//! equality. The model of a broken document is still built: what could not be read is
//! absent (or [`ValueKind`](crate::json::ValueKind)-level `Missing`) and a finding says why.

use crate::span::{Span, Spanned};
use crate::text::Str;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// What a policy is for. Decides which elements are required or forbidden, the Sid rules
/// and the size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (inline or managed).
    Identity,
    /// A resource-based policy: bucket policy, queue policy, ... (needs `Principal`).
    Resource,
    /// A KMS key policy (a resource policy with its own Sid and size rules).
    KeyPolicy,
    /// A role trust policy (a resource policy on the role; `Resource` optional).
    Trust,
    Scp,
    Rcp,
    Boundary,
    Session,
    VpcEndpoint,
}

impl PolicyKind {
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity policy",
            PolicyKind::Resource => "resource policy",
            PolicyKind::KeyPolicy => "key policy",
            PolicyKind::Trust => "trust policy",
            PolicyKind::Scp => "service control policy",
            PolicyKind::Rcp => "resource control policy",
            PolicyKind::Boundary => "permissions boundary",
            PolicyKind::Session => "session policy",
            PolicyKind::VpcEndpoint => "VPC endpoint policy",
        }
    }

    /// The name with its indefinite article: "an identity policy", "a key policy".
    pub fn a_name(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// Policies whose statements name whom they apply to.
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource
                | PolicyKind::KeyPolicy
                | PolicyKind::Trust
                | PolicyKind::Rcp
                | PolicyKind::VpcEndpoint
        )
    }
}

/// A whole policy document.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Policy {
    pub version: Option<Spanned<Str>>,
    pub id: Option<Spanned<Str>>,
    pub statements: Vec<Statement>,
    /// The `Statement` member's value (object or array), if present.
    pub statement_span: Option<Span>,
    /// The whole document.
    pub span: Span,
}

impl Policy {
    /// Whether `${...}` policy variables are substituted: only under Version 2012-10-17.
    pub fn variables_enabled(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|v| v.value == "2012-10-17")
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Statement {
    pub sid: Option<Spanned<Str>>,
    /// `None` when the element is missing or its value is not `Allow`/`Deny` exactly.
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<Principal>,
    pub action: Option<ActionList>,
    pub resource: Option<ResourceList>,
    pub condition: Option<ConditionBlock>,
    /// The statement object.
    pub span: Span,
}

impl Statement {
    pub fn effect(&self) -> Option<Effect> {
        self.effect.as_ref().map(|e| e.value)
    }

    /// The Sid, for messages: `OnlyFromEndpoint`, or `#3` for the third statement.
    pub fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(s) if !s.value.is_empty() => s.value.to_string(),
            _ => format!("#{}", index + 1),
        }
    }
}

/// The values of a list element (`Action`, `Resource`, a principal type, a condition
/// key): a string or an array of strings. One value, the common case, is kept inline.
pub type Values = smallvec::SmallVec<[Spanned<Str>; 1]>;

/// `Action` or `NotAction`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionList {
    pub negated: bool,
    /// `"*"` or `service:Name` patterns as written.
    pub values: Values,
    /// The element's key.
    pub key_span: Span,
    /// The element's value (string or array).
    pub span: Span,
}

/// `Resource` or `NotResource`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceList {
    pub negated: bool,
    /// ARN patterns or `"*"` as written.
    pub values: Values,
    pub key_span: Span,
    pub span: Span,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub negated: bool,
    pub value: PrincipalValue,
    pub key_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PrincipalValue {
    /// `"*"`
    Star,
    /// `{"AWS": [...], "Service": [...], ...}` in source order.
    Map(Vec<PrincipalEntry>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalType {
    pub fn parse(s: &str) -> Option<PrincipalType> {
        match s {
            "AWS" => Some(PrincipalType::Aws),
            "Service" => Some(PrincipalType::Service),
            "Federated" => Some(PrincipalType::Federated),
            "CanonicalUser" => Some(PrincipalType::CanonicalUser),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::Aws => "AWS",
            PrincipalType::Service => "Service",
            PrincipalType::Federated => "Federated",
            PrincipalType::CanonicalUser => "CanonicalUser",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalEntry {
    pub kind: Spanned<PrincipalType>,
    pub values: Values,
}

/// The `Condition` element: operators, each with keys, each with values. Kept in source
/// order as written; the engine compiles operator names.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionBlock {
    pub clauses: Vec<ConditionClause>,
    pub key_span: Span,
    pub span: Span,
}

/// One `operator: { key: values }` pair, flattened: an operator with two keys gives two
/// clauses with the same operator span.
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionClause {
    /// The operator as written, e.g. `ForAnyValue:StringNotLikeIfExists`.
    pub operator: Spanned<Str>,
    /// The condition key as written (case is kept; matching is case-insensitive).
    pub key: Spanned<Str>,
    /// Values as strings (JSON numbers and booleans are stringified).
    pub values: Values,
    /// The span of the values (string or array).
    pub values_span: Span,
}
