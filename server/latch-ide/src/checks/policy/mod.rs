//! Single-document validation: what IAM Access Analyzer's policy
//! validation would say about one policy on its own. One file per check code.

use latch_syntax::Finding;
use latch_syntax::json::Value;
use latch_syntax::policy::{Policy, PolicyKind};

use super::CheckDoc;

pub mod conflicting_elements;
pub mod duplicate_sid;
pub mod invalid_condition_value;
pub mod invalid_effect;
pub mod invalid_principal;
pub mod invalid_sid;
pub mod invalid_value_type;
pub mod malformed_action;
pub mod malformed_arn;
pub mod missing_action;
pub mod missing_effect;
pub mod missing_principal;
pub mod missing_resource;
pub mod missing_statement;
pub mod not_principal_allow;
pub mod principal_not_allowed;
pub mod public_principal;
pub mod size_limit;
pub mod unknown_condition_operator;
pub mod unknown_element;
pub mod version;

/// Everything a single-document check may look at.
pub struct PolicyCtx<'a> {
    /// The text of the file that holds the policy (a JSON file, or a `.tf` file).
    pub text: &'a str,
    /// The JSON tree of the policy; spans are byte offsets into `text`.
    pub tree: &'a Value,
    pub policy: &'a Policy,
    pub kind: PolicyKind,
    /// The policy's statement objects, in the order of `policy.statements`.
    pub statements: Vec<&'a Value>,
    /// Whether `kind` is stated (by `latch.toml` or the Terraform resource that holds the
    /// policy) rather than inferred from the content: checks whose rule depends on the
    /// kind (size quotas) stay silent on an inferred kind.
    pub kind_stated: bool,
    /// The Terraform resource type and attribute that hold the policy
    /// (`aws_iam_user_policy`, `policy`), which narrow the kind (an inline user policy).
    pub owner: Option<(&'a str, &'a str)>,
}

impl<'a> PolicyCtx<'a> {
    pub fn new(
        text: &'a str,
        tree: &'a Value,
        policy: &'a Policy,
        kind: PolicyKind,
    ) -> PolicyCtx<'a> {
        PolicyCtx {
            text,
            tree,
            policy,
            kind,
            statements: latch_syntax::policy::build::statement_objects(tree),
            kind_stated: true,
            owner: None,
        }
    }

    /// The same context for a policy whose kind was inferred from its content.
    pub fn inferred(mut self, inferred: bool) -> PolicyCtx<'a> {
        self.kind_stated = !inferred;
        self
    }

    /// The same context for a policy held by a Terraform resource: `owner` is its address
    /// (`aws_iam_user_policy.u`), `attribute` the attribute (`policy`).
    pub fn owned_by(mut self, owner: &'a str, attribute: &'a str) -> PolicyCtx<'a> {
        self.owner = Some((owner.split('.').next().unwrap_or(owner), attribute));
        self
    }
}

pub type PolicyCheck = fn(&PolicyCtx<'_>, &mut Vec<Finding>);

/// Every single-document check with its documentation.
pub fn checks() -> Vec<(&'static CheckDoc, PolicyCheck)> {
    vec![
        (&missing_statement::DOC, missing_statement::check),
        (&unknown_element::DOC, unknown_element::check),
        (&invalid_value_type::DOC, reported_by_the_builder),
        (&invalid_principal::DOC, reported_by_the_builder),
        (&invalid_effect::DOC, invalid_effect::check),
        (&missing_effect::DOC, missing_effect::check),
        (&missing_action::DOC, missing_action::check),
        (&missing_resource::DOC, missing_resource::check),
        (&conflicting_elements::DOC, conflicting_elements::check),
        (&principal_not_allowed::DOC, principal_not_allowed::check),
        (&missing_principal::DOC, missing_principal::check),
        (&not_principal_allow::DOC, not_principal_allow::check),
        (&public_principal::DOC, public_principal::check),
        (&duplicate_sid::DOC, duplicate_sid::check),
        (&invalid_sid::DOC, invalid_sid::check),
        (&version::MISSING_DOC, version::check_missing),
        (&version::INVALID_DOC, version::check_invalid),
        (&version::LEGACY_DOC, version::check_legacy_variables),
        (&malformed_action::DOC, malformed_action::check),
        (&malformed_arn::DOC, malformed_arn::check),
        (
            &unknown_condition_operator::DOC,
            unknown_condition_operator::check,
        ),
        (&size_limit::DOC, size_limit::check),
        (
            &invalid_condition_value::DOC,
            invalid_condition_value::check,
        ),
    ]
}

/// For codes the model builder reports while reading the policy.
fn reported_by_the_builder(_: &PolicyCtx<'_>, _: &mut Vec<Finding>) {}

/// Runs every single-document check.
pub fn run_all(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for (_, check) in checks() {
        check(ctx, out);
    }
    super::catalog::check_all(ctx.policy, out);
}

/// The kind of a plain JSON policy, guessed from its content (DESIGN.md): statements
/// with a `Principal` make a resource policy; `kms:*` with a principal makes a key
/// policy; `sts:AssumeRole*` with a principal a trust policy.
pub fn infer_kind(policy: &Policy) -> PolicyKind {
    let with_principal: Vec<_> = policy
        .statements
        .iter()
        .filter(|s| s.principal.is_some())
        .collect();
    if with_principal.is_empty() {
        return PolicyKind::Identity;
    }
    let actions = || {
        with_principal
            .iter()
            .filter_map(|s| s.action.as_ref())
            .flat_map(|a| a.values.iter())
            .map(|v| v.value.to_ascii_lowercase())
    };
    if actions().any(|a| a.starts_with("kms:")) {
        return PolicyKind::KeyPolicy;
    }
    if actions().any(|a| a.starts_with("sts:assumerole") || a == "sts:tagsession")
        && actions().all(|a| a.starts_with("sts:"))
    {
        return PolicyKind::Trust;
    }
    PolicyKind::Resource
}

/// The JSON member named `key` of a statement object, key span and value.
pub(crate) fn member<'v>(obj: &'v Value, key: &str) -> Option<&'v latch_syntax::json::Member> {
    obj.as_object()?.iter().find(|m| m.key == key)
}

/// Where to insert a new member in a JSON object: after its last member, with the
/// indentation of that member. Returns the offset and the text to insert for `"key": value`.
pub(crate) fn insert_member(
    text: &str,
    obj: &Value,
    key: &str,
    value_json: &str,
) -> Option<(usize, String)> {
    let members = obj.as_object()?;
    match members.last() {
        Some(last) => {
            let line_start = text[..last.key_span.start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..last.key_span.start]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let same_line = line_start > last.key_span.start
                || text[line_start..last.key_span.start].trim().is_empty();
            let sep = if same_line {
                format!(",\n{indent}")
            } else {
                ", ".to_string()
            };
            Some((
                last.value.span.end,
                format!(
                    "{sep}{}: {value_json}",
                    latch_syntax::json::json_string(key)
                ),
            ))
        }
        None => Some((
            obj.span.start + 1,
            format!("{}: {value_json}", latch_syntax::json::json_string(key)),
        )),
    }
}

/// Where a statement-level finding goes: the statement's `Sid` value when it has one,
/// else its opening brace.
pub(crate) fn statement_head(obj: &Value) -> latch_syntax::Span {
    match member(obj, "Sid") {
        Some(m) => m.value.span,
        None => latch_syntax::Span::new(obj.span.start, (obj.span.start + 1).min(obj.span.end)),
    }
}

/// The edit that removes member `m` from `obj` together with one adjacent comma.
pub(crate) fn member_removal(
    text: &str,
    obj: &Value,
    m: &latch_syntax::json::Member,
) -> Option<latch_syntax::Edit> {
    let members = obj.as_object()?;
    let i = members.iter().position(|x| std::ptr::eq(x, m))?;
    let span = if let Some(next) = members.get(i + 1) {
        latch_syntax::Span::new(m.key_span.start, next.key_span.start)
    } else if i > 0 {
        latch_syntax::Span::new(members[i - 1].value.span.end, m.value.span.end)
    } else {
        m.span()
    };
    (span.end <= text.len()).then(|| latch_syntax::Edit::delete(span))
}

#[cfg(test)]
pub(crate) mod test_util {
    use latch_syntax::Finding;
    use latch_syntax::policy::{PolicyKind, parse_policy};

    /// Runs every policy check on `text` as a policy of `kind` and returns the findings.
    pub fn check_as(text: &str, kind: PolicyKind) -> Vec<Finding> {
        let parsed = parse_policy(text);
        let mut out = Vec::new();
        if let Some(tree) = &parsed.tree {
            super::run_all(
                &super::PolicyCtx::new(text, tree, &parsed.policy, kind),
                &mut out,
            );
        }
        out
    }

    pub fn codes_as(text: &str, kind: PolicyKind) -> Vec<&'static str> {
        check_as(text, kind).iter().map(|f| f.code).collect()
    }
}
