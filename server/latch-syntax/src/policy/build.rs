//! Builds the policy model from a JSON tree. Shape errors (a number where an array of
//! strings belongs, a statement that is not an object) are reported here; what a policy
//! means is checked by the validators.

use crate::finding::Finding;
use crate::json::{self, Value, ValueKind};
use crate::policy::model::*;
use crate::span::{Span, Spanned};
use crate::text::Str;

/// A parsed policy document: the JSON tree it came from, the model, and every finding of
/// the JSON parser and of the model builder.
#[derive(Clone, Debug)]
pub struct ParsedPolicy {
    pub tree: Option<Value>,
    pub policy: Policy,
    pub findings: Vec<Finding>,
}

/// Parses `text` as a policy document. Never fails.
pub fn parse_policy(text: &str) -> ParsedPolicy {
    let parsed = json::parse(text);
    let mut findings = parsed.findings;
    let policy = match &parsed.value {
        Some(v) => {
            let (p, mut f) = policy_from_value(v);
            findings.append(&mut f);
            p
        }
        None => Policy {
            span: Span::new(0, text.len()),
            ..Policy::default()
        },
    };
    ParsedPolicy {
        tree: parsed.value,
        policy,
        findings,
    }
}

/// The statement objects of a policy tree, in order: the same order as
/// [`Policy::statements`].
pub fn statement_objects(tree: &Value) -> Vec<&Value> {
    match tree.get("Statement") {
        Some(
            v @ Value {
                kind: ValueKind::Object(_),
                ..
            },
        ) => vec![v],
        Some(Value {
            kind: ValueKind::Array(items),
            ..
        }) => items
            .iter()
            .filter(|i| matches!(i.kind, ValueKind::Object(_)))
            .collect(),
        _ => Vec::new(),
    }
}

fn type_error(v: &Value, what: &str, expected: &str) -> Finding {
    Finding::error(
        "policy/invalid-value-type",
        v.span,
        format!("`{what}` must be {expected}, not {}", v.kind_name()),
    )
}

/// Builds the model from a JSON value. Returns shape errors as findings.
pub fn policy_from_value(tree: &Value) -> (Policy, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut policy = Policy {
        span: tree.span,
        ..Policy::default()
    };
    let Some(members) = tree.as_object() else {
        findings.push(type_error(tree, "policy document", "an object"));
        return (policy, findings);
    };
    for m in members {
        match m.key.as_str() {
            "Version" => policy.version = string_value(&m.value, "Version", &mut findings),
            "Id" => policy.id = string_value(&m.value, "Id", &mut findings),
            "Statement" => {
                policy.statement_span = Some(m.value.span);
                match &m.value.kind {
                    ValueKind::Object(_) => {
                        statement(&m.value, &mut findings, &mut policy.statements)
                    }
                    ValueKind::Array(items) => {
                        policy.statements.reserve_exact(items.len());
                        for item in items {
                            if matches!(item.kind, ValueKind::Object(_)) {
                                statement(item, &mut findings, &mut policy.statements);
                            } else if item.kind != ValueKind::Missing {
                                findings.push(type_error(item, "Statement", "an object"));
                            }
                        }
                    }
                    ValueKind::Missing => {}
                    _ => findings.push(type_error(
                        &m.value,
                        "Statement",
                        "an object or an array of objects",
                    )),
                }
            }
            _ => {}
        }
    }
    (policy, findings)
}

fn string_value(v: &Value, what: &str, findings: &mut Vec<Finding>) -> Option<Spanned<Str>> {
    match &v.kind {
        ValueKind::String(s) => Some(Spanned::new(s.clone(), v.span)),
        ValueKind::Missing => None,
        _ => {
            findings.push(type_error(v, what, "a string"));
            None
        }
    }
}

/// A string or an array of strings. Numbers and booleans are accepted as their text when
/// `lenient` (condition values); otherwise they are reported.
fn string_list(v: &Value, what: &str, lenient: bool, findings: &mut Vec<Finding>) -> Values {
    let one = |item: &Value, findings: &mut Vec<Finding>| -> Option<Spanned<Str>> {
        match &item.kind {
            ValueKind::String(s) => Some(Spanned::new(s.clone(), item.span)),
            ValueKind::Number(_) | ValueKind::Bool(_) if lenient => {
                item.scalar_str().map(|t| Spanned::new(t, item.span))
            }
            ValueKind::Missing => None,
            _ => {
                findings.push(type_error(item, what, "a string or an array of strings"));
                None
            }
        }
    };
    match &v.kind {
        ValueKind::Array(items) => {
            let mut out = Values::with_capacity(items.len());
            out.extend(items.iter().filter_map(|i| one(i, findings)));
            out
        }
        _ => one(v, findings).into_iter().collect(),
    }
}

/// Reads the statement `obj` onto the end of `statements` (built in place: a statement is
/// large to move).
fn statement(obj: &Value, findings: &mut Vec<Finding>, statements: &mut Vec<Statement>) {
    statements.push(Statement {
        span: obj.span,
        ..Statement::default()
    });
    let (Some(members), Some(st)) = (obj.as_object(), statements.last_mut()) else {
        return;
    };
    for m in members {
        let v = &m.value;
        match m.key.as_str() {
            "Sid" => st.sid = string_value(v, "Sid", findings),
            "Effect" => {
                st.effect = match v.as_str() {
                    Some("Allow") => Some(Spanned::new(Effect::Allow, v.span)),
                    Some("Deny") => Some(Spanned::new(Effect::Deny, v.span)),
                    // Wrong spellings are the `policy/invalid-effect` check's business.
                    Some(_) => None,
                    None => {
                        if v.kind != ValueKind::Missing {
                            findings.push(type_error(v, "Effect", "`Allow` or `Deny`"));
                        }
                        None
                    }
                }
            }
            "Action" | "NotAction" => {
                st.action = Some(ActionList {
                    negated: m.key == "NotAction",
                    values: string_list(v, &m.key, false, findings),
                    key_span: m.key_span,
                    span: v.span,
                })
            }
            "Resource" | "NotResource" => {
                st.resource = Some(ResourceList {
                    negated: m.key == "NotResource",
                    values: string_list(v, &m.key, false, findings),
                    key_span: m.key_span,
                    span: v.span,
                })
            }
            "Principal" | "NotPrincipal" => {
                st.principal = Some(Principal {
                    negated: m.key == "NotPrincipal",
                    value: principal_value(v, &m.key, findings),
                    key_span: m.key_span,
                    span: v.span,
                })
            }
            "Condition" => st.condition = Some(condition(v, m.key_span, findings)),
            _ => {}
        }
    }
}

fn principal_value(v: &Value, what: &str, findings: &mut Vec<Finding>) -> PrincipalValue {
    match &v.kind {
        ValueKind::String(s) if s == "*" => PrincipalValue::Star,
        ValueKind::String(s) => {
            findings.push(Finding::error(
                "policy/invalid-principal",
                v.span,
                format!(
                    "`{what}` as a plain string can only be `\"*\"`; write `{{\"AWS\": \"{s}\"}}`"
                ),
            ));
            PrincipalValue::Map(Vec::new())
        }
        ValueKind::Object(members) => {
            let mut entries = Vec::with_capacity(members.len());
            for m in members {
                match PrincipalType::parse(&m.key) {
                    Some(kind) => entries.push(PrincipalEntry {
                        kind: Spanned::new(kind, m.key_span),
                        values: string_list(&m.value, &m.key, false, findings),
                    }),
                    None => findings.push(Finding::error(
                        "policy/invalid-principal",
                        m.key_span,
                        format!(
                            "unknown principal type `{}`; expected `AWS`, `Service`, `Federated` or `CanonicalUser`",
                            m.key
                        ),
                    )),
                }
            }
            PrincipalValue::Map(entries)
        }
        ValueKind::Missing => PrincipalValue::Map(Vec::new()),
        _ => {
            findings.push(type_error(v, what, "`\"*\"` or an object"));
            PrincipalValue::Map(Vec::new())
        }
    }
}

fn condition(v: &Value, key_span: Span, findings: &mut Vec<Finding>) -> ConditionBlock {
    let mut block = ConditionBlock {
        clauses: Vec::new(),
        key_span,
        span: v.span,
    };
    let Some(operators) = v.as_object() else {
        if v.kind != ValueKind::Missing {
            findings.push(type_error(v, "Condition", "an object"));
        }
        return block;
    };
    block.clauses.reserve_exact(
        operators
            .iter()
            .filter_map(|op| op.value.as_object())
            .map(<[_]>::len)
            .sum(),
    );
    for op in operators {
        let Some(keys) = op.value.as_object() else {
            if op.value.kind != ValueKind::Missing {
                findings.push(type_error(
                    &op.value,
                    &op.key,
                    "an object of condition keys",
                ));
            }
            continue;
        };
        for k in keys {
            block.clauses.push(ConditionClause {
                operator: Spanned::new(op.key.clone(), op.key_span),
                key: Spanned::new(k.key.clone(), k.key_span),
                values: string_list(&k.value, &k.key, true, findings),
                values_span: k.value.span,
            });
        }
    }
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_every_element_with_ranges() {
        let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "公開読み取り",
    "Effect": "Allow",
    "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "s3.amazonaws.com"},
    "NotAction": "s3:Delete*",
    "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
    "Condition": {"Bool": {"aws:SecureTransport": true}, "StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}
  }]
}"#;
        let p = parse_policy(text);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let st = &p.policy.statements[0];
        assert_eq!(st.sid.as_ref().unwrap().value, "公開読み取り");
        assert_eq!(
            &text[st.sid.as_ref().unwrap().span.range()],
            "\"公開読み取り\""
        );
        assert_eq!(st.effect(), Some(Effect::Allow));
        let a = st.action.as_ref().unwrap();
        assert!(a.negated);
        assert_eq!(a.values[0].value, "s3:Delete*");
        assert_eq!(st.resource.as_ref().unwrap().values.len(), 2);
        let PrincipalValue::Map(entries) = &st.principal.as_ref().unwrap().value else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].kind.value, PrincipalType::Service);
        let c = st.condition.as_ref().unwrap();
        assert_eq!(c.clauses.len(), 2);
        assert_eq!(c.clauses[0].values[0].value, "true");
        assert_eq!(c.clauses[1].values.len(), 2);
        assert!(p.policy.variables_enabled());
    }

    #[test]
    fn single_statement_object_and_shape_errors() {
        let p = parse_policy(
            r#"{"Statement": {"Effect": "Allow", "Action": 5, "Principal": "arn:aws:iam::1:root"}}"#,
        );
        assert_eq!(p.policy.statements.len(), 1);
        let codes: Vec<_> = p.findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec!["policy/invalid-value-type", "policy/invalid-principal"]
        );
    }

    #[test]
    fn broken_json_still_gives_a_model() {
        let p = parse_policy("{\"Statement\": [{\"Effect\": \"Deny\" \"Action\": \"s3:*\"");
        assert_eq!(p.policy.statements.len(), 1);
        assert_eq!(p.policy.statements[0].effect(), Some(Effect::Deny));
        assert!(p.policy.statements[0].action.is_some());
    }
}
