//! Where a byte offset is in a policy tree: which element name, value, action, resource,
//! principal, condition operator, key or value, and which token (if any) the cursor is in.
//! Completion and hover both start here.
//!
//! The locator works on any `latch_syntax::json::Value` whose spans point into the host
//! text: a JSON file, or a policy that the Terraform extractor found in `jsonencode(...)`
//! or a heredoc. A token whose text starts with `"` is a string literal (the quotes are not
//! part of what is completed); any other token, such as an HCL identifier key, is bare.

use latch_syntax::Span;
use latch_syntax::json::{Member, Value, ValueKind};

/// The token under the cursor, or the empty place where one goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The whole token, quotes included; empty when there is no token yet.
    pub span: Span,
    /// What a completion replaces: inside the quotes of a string (up to the cursor when the
    /// string is not closed), the whole of a bare token, or the empty range at the cursor.
    pub replace: Span,
    /// The text between the token's start and the cursor.
    pub typed: String,
    /// Whether the cursor is inside a string literal, so the inserted text needs no quotes.
    pub quoted: bool,
}

/// What the cursor is on.
#[derive(Clone, Debug, PartialEq)]
pub enum Place<'t> {
    /// A member name of the policy document (`Version`, `Statement`, ...).
    PolicyKey {
        policy: &'t Value,
    },
    /// A member name of a statement (`Effect`, `Action`, ...).
    StatementKey {
        statement: &'t Value,
    },
    VersionValue,
    EffectValue {
        statement: &'t Value,
    },
    /// An entry of `Action` or `NotAction`.
    Action {
        statement: &'t Value,
        negated: bool,
    },
    /// An entry of `Resource` or `NotResource`.
    Resource {
        statement: &'t Value,
        negated: bool,
    },
    /// A principal type (`AWS`, `Service`, ...) inside `Principal`.
    PrincipalKey {
        statement: &'t Value,
    },
    /// A principal: `"*"` directly under `Principal` (`kind` empty), or an entry under a type.
    PrincipalValue {
        statement: &'t Value,
        kind: &'t str,
    },
    /// An operator name inside `Condition`.
    ConditionOperator {
        statement: &'t Value,
    },
    /// A key name under an operator.
    ConditionKey {
        statement: &'t Value,
        operator: &'t str,
    },
    /// A value of a key under an operator.
    ConditionValue {
        statement: &'t Value,
        operator: &'t str,
        key: &'t str,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Located<'t> {
    pub place: Place<'t>,
    pub token: Token,
}

fn is_quoted(text: &str, span: Span) -> bool {
    text.as_bytes().get(span.start) == Some(&b'"')
}

fn closed(text: &str, span: Span) -> bool {
    span.len() >= 2 && text.as_bytes().get(span.end - 1) == Some(&b'"')
}

/// The token for a key or scalar value spanning `span`, if the cursor touches it.
fn token_at(text: &str, span: Span, offset: usize) -> Option<Token> {
    if span.is_empty() || !span.touches(offset) {
        return None;
    }
    if is_quoted(text, span) {
        // Inside the quotes: after the opening one, and before or at the closing one.
        if offset <= span.start || (closed(text, span) && offset >= span.end) {
            return None;
        }
        let end = if closed(text, span) {
            span.end - 1
        } else {
            offset
        };
        let replace = Span::new(span.start + 1, end.max(span.start + 1));
        let typed = text.get(span.start + 1..offset)?.to_string();
        Some(Token {
            span,
            replace,
            typed,
            quoted: true,
        })
    } else {
        let typed = text.get(span.start..offset)?.to_string();
        Some(Token {
            span,
            replace: span,
            typed,
            quoted: false,
        })
    }
}

fn empty_token(offset: usize) -> Token {
    Token {
        span: Span::empty(offset),
        replace: Span::empty(offset),
        typed: String::new(),
        quoted: false,
    }
}

/// Where in an object the cursor is: on a member's key, in a member's value, or between
/// members (where a new key goes).
enum InObject<'t> {
    Key(Token),
    Value(&'t Member),
    NewKey,
}

/// Whether the member was written in the text. Terraform's `aws_iam_policy_document`
/// fills in defaults (`Effect`, `Version`) with the key and the scalar value both spanning
/// the block's name: nothing there can be completed or hovered.
fn written(m: &Member) -> bool {
    m.key_span != m.value.span || matches!(m.value.kind, ValueKind::Object(_) | ValueKind::Array(_))
}

/// Where the cursor is in `object`; `None` where nothing can be completed.
fn in_object<'t>(text: &str, object: &'t Value, offset: usize) -> Option<InObject<'t>> {
    let members = object.as_object()?;
    // Values first: a synthesized key (a `statement` block standing for `Statement`) can
    // span its whole block, value included. A string key inside its value's span (a
    // `condition` block's `test = "StringLike"`) is still the key.
    for m in members.iter().filter(|m| written(m)) {
        let v = m.value.span;
        let on_string_key = m.key_span.touches(offset) && is_quoted(text, m.key_span);
        if !v.is_empty() && v.start < offset && offset <= v.end && !on_string_key {
            return Some(InObject::Value(m));
        }
    }
    for m in members.iter().filter(|m| written(m)) {
        if let Some(t) = token_at(text, m.key_span, offset) {
            // A bare key that reads differently from its name was renamed (`actions` in an
            // `aws_iam_policy_document` is `Action`): policy names do not belong there.
            if !t.quoted && text.get(m.key_span.range()) != Some(m.key.as_str()) {
                return None;
            }
            return Some(InObject::Key(t));
        }
        let value_start = m.key_span.end;
        let value_end = m.value.span.end;
        if offset > value_start && offset <= value_end.max(value_start) {
            // After the colon: the cursor is in this member's value. Before the colon, it
            // is still typing the key.
            let colon = text
                .get(m.key_span.end..offset)
                .is_some_and(|between| between.contains(':') || between.contains('='));
            if colon || m.value.kind != ValueKind::Missing {
                return Some(InObject::Value(m));
            }
        }
        if m.value.span.touches(offset) && !m.value.span.is_empty() {
            return Some(InObject::Value(m));
        }
    }
    // A new member goes only between braces written in the text (not in an HCL block).
    (text.as_bytes().get(object.span.start) == Some(&b'{')).then_some(InObject::NewKey)
}

/// A scalar position inside `value` (a string, or an array of strings): the token under
/// the cursor, or an empty one where a new entry goes.
fn scalar_token(text: &str, value: &Value, offset: usize) -> Option<Token> {
    match &value.kind {
        ValueKind::Array(items) => {
            for item in items {
                if let Some(t) = token_at(text, item.span, offset) {
                    return Some(t);
                }
            }
            // Between the brackets, outside every entry.
            let closed = text.get(..value.span.end).is_some_and(|t| t.ends_with(']'));
            let inside = value.span.start < offset && (offset < value.span.end || !closed);
            inside.then(|| empty_token(offset))
        }
        ValueKind::Missing => Some(empty_token(offset)),
        ValueKind::String(_) | ValueKind::Number(_) | ValueKind::Bool(_) | ValueKind::Null => {
            token_at(text, value.span, offset)
        }
        ValueKind::Object(_) => None,
    }
}

/// Finds what the cursor at `offset` is on in the policy `tree`. `None` outside the policy
/// or on punctuation where nothing can be completed.
pub fn locate<'t>(text: &str, tree: &'t Value, offset: usize) -> Option<Located<'t>> {
    if !tree.span.touches(offset) || offset <= tree.span.start {
        return None;
    }
    match in_object(text, tree, offset)? {
        InObject::Key(token) => Some(Located {
            place: Place::PolicyKey { policy: tree },
            token,
        }),
        InObject::NewKey => Some(Located {
            place: Place::PolicyKey { policy: tree },
            token: empty_token(offset),
        }),
        InObject::Value(m) => match m.key.as_str() {
            "Version" => Some(Located {
                place: Place::VersionValue,
                token: scalar_token(text, &m.value, offset)?,
            }),
            "Statement" => match &m.value.kind {
                ValueKind::Object(_) => in_statement(text, &m.value, offset),
                ValueKind::Array(items) => items
                    .iter()
                    .find(|s| {
                        s.as_object().is_some() && s.span.touches(offset) && offset > s.span.start
                    })
                    .and_then(|s| in_statement(text, s, offset)),
                _ => None,
            },
            _ => None,
        },
    }
}

fn in_statement<'t>(text: &str, statement: &'t Value, offset: usize) -> Option<Located<'t>> {
    let m = match in_object(text, statement, offset)? {
        InObject::Key(token) => {
            return Some(Located {
                place: Place::StatementKey { statement },
                token,
            });
        }
        InObject::NewKey => {
            return Some(Located {
                place: Place::StatementKey { statement },
                token: empty_token(offset),
            });
        }
        InObject::Value(m) => m,
    };
    let scalar = |place: Place<'t>| {
        Some(Located {
            place,
            token: scalar_token(text, &m.value, offset)?,
        })
    };
    match m.key.as_str() {
        "Effect" => scalar(Place::EffectValue { statement }),
        "Action" | "NotAction" => scalar(Place::Action {
            statement,
            negated: m.key == "NotAction",
        }),
        "Resource" | "NotResource" => scalar(Place::Resource {
            statement,
            negated: m.key == "NotResource",
        }),
        "Principal" | "NotPrincipal" => match &m.value.kind {
            ValueKind::Object(_) => match in_object(text, &m.value, offset)? {
                InObject::Key(token) => Some(Located {
                    place: Place::PrincipalKey { statement },
                    token,
                }),
                InObject::NewKey => Some(Located {
                    place: Place::PrincipalKey { statement },
                    token: empty_token(offset),
                }),
                InObject::Value(e) => Some(Located {
                    place: Place::PrincipalValue {
                        statement,
                        kind: e.key.as_str(),
                    },
                    token: scalar_token(text, &e.value, offset)?,
                }),
            },
            _ => scalar(Place::PrincipalValue {
                statement,
                kind: "",
            }),
        },
        "Condition" => match in_object(text, &m.value, offset)? {
            InObject::Key(token) => Some(Located {
                place: Place::ConditionOperator { statement },
                token,
            }),
            InObject::NewKey => Some(Located {
                place: Place::ConditionOperator { statement },
                token: empty_token(offset),
            }),
            InObject::Value(op) => {
                let operator = op.key.as_str();
                match in_object(text, &op.value, offset)? {
                    InObject::Key(token) => Some(Located {
                        place: Place::ConditionKey {
                            statement,
                            operator,
                        },
                        token,
                    }),
                    InObject::NewKey => Some(Located {
                        place: Place::ConditionKey {
                            statement,
                            operator,
                        },
                        token: empty_token(offset),
                    }),
                    InObject::Value(k) => Some(Located {
                        place: Place::ConditionValue {
                            statement,
                            operator,
                            key: k.key.as_str(),
                        },
                        token: scalar_token(text, &k.value, offset)?,
                    }),
                }
            }
        },
        _ => None,
    }
}

/// The string entries of a statement member (`Action`, `Resource`, ...): a string or an
/// array of strings.
pub fn strings<'t>(statement: &'t Value, key: &str) -> Vec<&'t str> {
    match statement.get(key).map(|v| &v.kind) {
        Some(ValueKind::String(s)) => vec![s.as_str()],
        Some(ValueKind::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latch_syntax::json::parse;

    /// Locates the `|` in `marked` (removed before parsing) and describes the place.
    fn at(marked: &str) -> String {
        let offset = marked.find('|').unwrap_or(0);
        let text = marked.replacen('|', "", 1);
        let parsed = parse(&text);
        let Some(tree) = parsed.value else {
            return "no tree".into();
        };
        match locate(&text, &tree, offset) {
            None => "nothing".into(),
            Some(l) => {
                let place = match l.place {
                    Place::PolicyKey { .. } => "policy key".to_string(),
                    Place::StatementKey { .. } => "statement key".to_string(),
                    Place::VersionValue => "version".to_string(),
                    Place::EffectValue { .. } => "effect".to_string(),
                    Place::Action { negated, .. } => format!("action negated={negated}"),
                    Place::Resource { negated, .. } => format!("resource negated={negated}"),
                    Place::PrincipalKey { .. } => "principal key".to_string(),
                    Place::PrincipalValue { kind, .. } => format!("principal value {kind}"),
                    Place::ConditionOperator { .. } => "operator".to_string(),
                    Place::ConditionKey { operator, .. } => format!("key under {operator}"),
                    Place::ConditionValue { operator, key, .. } => {
                        format!("value of {key} under {operator}")
                    }
                };
                format!(
                    "{place} typed={:?} replace={:?} quoted={}",
                    l.token.typed,
                    &text[l.token.replace.range()],
                    l.token.quoted
                )
            }
        }
    }

    #[test]
    fn places() {
        let s = |body: &str| format!(r#"{{"Version": "2012-10-17", "Statement": [{body}]}}"#);
        assert_eq!(
            at(&s(r#"{"Effect": "Allow", "Action": "s3:Get|Object"}"#)),
            r#"action negated=false typed="s3:Get" replace="s3:GetObject" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Effect": "Allow", "NotAction": ["s3:*", "|"]}"#)),
            r#"action negated=true typed="" replace="" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Effect": "Allow", "Action": ["s3:*", |]}"#)),
            r#"action negated=false typed="" replace="" quoted=false"#
        );
        assert_eq!(
            at(&s(r#"{"Eff|": "Allow"}"#)),
            r#"statement key typed="Eff" replace="Eff" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Effect": "Allow", |}"#)),
            r#"statement key typed="" replace="" quoted=false"#
        );
        assert_eq!(
            at(&s(r#"{"Effect": "A|"}"#)),
            r#"effect typed="A" replace="A" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Effect": |}"#)),
            r#"effect typed="" replace="" quoted=false"#
        );
        assert_eq!(
            at(&s(r#"{"Principal": {"Service": "cloud|"}}"#)),
            r#"principal value Service typed="cloud" replace="cloud" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Principal": {"|"}}"#)),
            r#"principal key typed="" replace="" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Condition": {"Str|": {}}}"#)),
            r#"operator typed="Str" replace="Str" quoted=true"#
        );
        assert_eq!(
            at(&s(r#"{"Condition": {"Bool": {"aws:Sec|"}}}"#)),
            r#"key under Bool typed="aws:Sec" replace="aws:Sec" quoted=true"#
        );
        assert_eq!(
            at(&s(
                r#"{"Condition": {"Bool": {"aws:SecureTransport": "t|"}}}"#
            )),
            r#"value of aws:SecureTransport under Bool typed="t" replace="t" quoted=true"#
        );
        assert_eq!(
            at(r#"{"Version": "2012-|"}"#),
            r#"version typed="2012-" replace="2012-" quoted=true"#
        );
        assert_eq!(
            at(r#"{"Vers|"}"#),
            r#"policy key typed="Vers" replace="Vers" quoted=true"#
        );
        // An unclosed string: replace only up to the cursor.
        assert_eq!(
            at("{\"Statement\": {\"Action\": \"s3:Get|\n}}"),
            r#"action negated=false typed="s3:Get" replace="s3:Get" quoted=true"#
        );
        assert_eq!(at(r#"|{"Version": "2012-10-17"}"#), "nothing");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "[{}\\[\\]\":, a-zA-Z0-9*é😀\\\\]{0,60}", offset in 0usize..300) {
            let parsed = parse(&text);
            if let Some(tree) = parsed.value {
                let _ = locate(&text, &tree, offset);
            }
        }
    }
}
