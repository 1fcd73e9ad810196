//! Policies wrapped in the output of AWS commands, read as the policies they hold:
//!
//! - `aws iam get-policy-version`: `{"PolicyVersion": {"Document": ...}}` (identity policy);
//! - `aws iam get-role`: `{"Role": {"AssumeRolePolicyDocument": ...}}` (trust policy);
//! - `aws iam get-role-policy` / `get-user-policy` / `get-group-policy`:
//!   `{"RoleName": ..., "PolicyName": ..., "PolicyDocument": ...}` (identity policy);
//! - `{"PolicyDocument": ...}` alone (a CloudFormation-style fragment): kind inferred;
//! - `aws s3api get-bucket-policy`: `{"Policy": "<escaped JSON>"}` (bucket policy);
//! - `aws kms get-key-policy`: `{"Policy": "<escaped JSON>", "PolicyName": "default"}`
//!   (key policy);
//! - `aws organizations describe-policy`: `{"Policy": {"PolicySummary": {"Type":
//!   "SERVICE_CONTROL_POLICY"}, "Content": "<escaped JSON>"}}` (SCP or RCP).
//!
//! A document may be an object, an escaped JSON string or a URL-encoded string (IAM's API
//! returns them so); spans always point at the bytes of the host file
//! ([`latch_syntax::json::embedded`]). A recognised wrapper whose document cannot be read
//! is reported (`syntax/wrapped-policy`), never skipped. Fixes whose edits land inside a
//! string are escaped for it and kept only when the file still reads as the same kind of
//! document after applying them ([`fit_fixes`]).

use latch_syntax::json::embedded::{Embedded, EmbeddedError, Encoding, escape_for, parse_embedded};
use latch_syntax::json::{self, Value, ValueKind};
use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Span};

/// Where the policy text of a wrapped document lives: in a string of the host file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedding {
    pub encoding: Encoding,
    /// The string's content (inside its quotes) in the host file.
    pub inner: Span,
}

/// A policy found inside a wrapper.
#[derive(Clone, Debug)]
pub struct Unwrapped {
    pub tree: Value,
    /// The kind the wrapper states; `None` when it does not say.
    pub kind: Option<PolicyKind>,
    /// `None` when the document is an object written in place.
    pub embedding: Option<Embedding>,
    /// Syntax findings inside the string.
    pub findings: Vec<Finding>,
}

/// What a JSON document that is not itself a policy holds.
#[derive(Clone, Debug)]
pub enum Wrapping {
    /// No known wrapper: not a policy file.
    None,
    Policy(Box<Unwrapped>),
    /// A known wrapper whose document cannot be read, and why.
    Unreadable(Box<Finding>),
}

/// The code of a wrapper whose document cannot be read.
pub const CODE: &str = crate::checks::syntax::wrapped_policy::DOC.code;

fn member<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.as_object()?
        .iter()
        .find(|m| m.key == key)
        .map(|m| &m.value)
}

/// The document a known wrapper holds, where it is (`PolicyVersion.Document`), and the
/// kind the wrapper states.
fn holder(root: &Value) -> Option<(&Value, &'static str, Option<PolicyKind>)> {
    if let Some(d) = member(root, "PolicyVersion").and_then(|v| member(v, "Document")) {
        return Some((d, "PolicyVersion.Document", Some(PolicyKind::Identity)));
    }
    if let Some(d) = member(root, "Role").and_then(|v| member(v, "AssumeRolePolicyDocument")) {
        return Some((d, "Role.AssumeRolePolicyDocument", Some(PolicyKind::Trust)));
    }
    if let Some(d) = member(root, "PolicyDocument") {
        let named = ["RoleName", "UserName", "GroupName"]
            .iter()
            .any(|k| member(root, k).is_some());
        let kind = named.then_some(PolicyKind::Identity);
        return Some((d, "PolicyDocument", kind));
    }
    match member(root, "Policy") {
        Some(
            p @ Value {
                kind: ValueKind::String(_),
                ..
            },
        ) => {
            let kind = if member(root, "PolicyName").is_some() {
                PolicyKind::KeyPolicy
            } else {
                PolicyKind::Resource
            };
            Some((p, "Policy", Some(kind)))
        }
        Some(p) => {
            let content = member(p, "Content")?;
            let ty = member(p, "PolicySummary").and_then(|s| member(s, "Type"))?;
            let kind = match ty.as_str()? {
                "SERVICE_CONTROL_POLICY" => PolicyKind::Scp,
                "RESOURCE_CONTROL_POLICY" => PolicyKind::Rcp,
                // Tag, backup and AI opt-out policies are not IAM policies.
                _ => return None,
            };
            Some((content, "Policy.Content", Some(kind)))
        }
        None => None,
    }
}

/// Reads the policy a known wrapper holds, or says why it cannot.
pub fn unwrap(text: &str, root: &Value) -> Wrapping {
    let Some((doc, place, kind)) = holder(root) else {
        return Wrapping::None;
    };
    let unreadable = |range: Span, why: String| {
        Wrapping::Unreadable(Box::new(Finding::warning(
            CODE,
            range,
            format!("`{place}` {why}; the policy it should hold is not checked"),
        )))
    };
    let s = match &doc.kind {
        ValueKind::Object(_) => {
            return Wrapping::Policy(Box::new(Unwrapped {
                tree: doc.clone(),
                kind,
                embedding: None,
                findings: Vec::new(),
            }));
        }
        ValueKind::String(s) => s,
        _ => {
            return unreadable(
                doc.span,
                format!("is {}, not a policy document", doc.kind_name()),
            );
        }
    };
    let start = s.trim_start();
    let encoding = if start.starts_with('{') {
        Encoding::JsonString
    } else if start
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("%7B"))
    {
        Encoding::UrlEncoded
    } else {
        return unreadable(doc.span, "is a string that does not hold JSON".to_string());
    };
    let inner = doc.inner_span();
    match parse_embedded(text, doc, encoding) {
        Ok(Embedded {
            tree: Some(tree),
            findings,
        }) if tree.as_object().is_some() => Wrapping::Policy(Box::new(Unwrapped {
            tree,
            kind,
            embedding: Some(Embedding { encoding, inner }),
            findings,
        })),
        Ok(_) => unreadable(
            doc.span,
            "is a string that does not hold a JSON object".to_string(),
        ),
        Err(EmbeddedError::NotUtf8 { at }) => unreadable(
            at,
            "is URL-encoded, and this escape does not decode to UTF-8 text".to_string(),
        ),
        Err(EmbeddedError::NoText) => unreadable(doc.span, "cannot be decoded".to_string()),
    }
}

/// Makes the fixes of `findings` fit a policy held in a string: each edit's text is
/// escaped for the string, and a fix is kept only when every edit lands inside the string
/// and the file, once fixed, still parses with the policy reading no worse than before.
/// Fixes inside URL-encoded strings are dropped.
pub fn fit_fixes(text: &str, embedding: &Embedding, findings: &mut [Finding]) {
    let errors_of = |t: &str| -> Option<usize> {
        let host = json::parse(t);
        if host.has_errors() {
            return None;
        }
        match unwrap(t, host.value.as_ref()?) {
            Wrapping::Policy(u) => Some(u.findings.len()),
            _ => None,
        }
    };
    let mut before = None;
    for f in findings.iter_mut() {
        f.fixes.retain_mut(|fix| {
            let fits = fix.edits.iter_mut().all(|e| {
                if e.path.is_some()
                    || e.range.start < embedding.inner.start
                    || e.range.end > embedding.inner.end
                {
                    return false;
                }
                match escape_for(embedding.encoding, &e.new_text) {
                    Some(t) => {
                        e.new_text = t;
                        true
                    }
                    None => false,
                }
            });
            if !fits {
                return false;
            }
            let base = *before.get_or_insert_with(|| errors_of(text).unwrap_or(usize::MAX));
            let edits: Vec<&latch_syntax::Edit> = fix.edits.iter().collect();
            let (fixed, _) = latch_syntax::finding::apply_edits(text, &edits);
            errors_of(&fixed).is_some_and(|n| n <= base)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Wrapping {
        unwrap(text, &json::parse(text).value.expect("json"))
    }

    #[test]
    fn each_wrapper_gives_its_kind() {
        let cases = [
            (
                r#"{"PolicyVersion": {"Document": {"Statement": []}, "VersionId": "v1"}}"#,
                Some(PolicyKind::Identity),
            ),
            (
                r#"{"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {"Statement": []}}}"#,
                Some(PolicyKind::Trust),
            ),
            (
                r#"{"RoleName": "r", "PolicyName": "p", "PolicyDocument": {"Statement": []}}"#,
                Some(PolicyKind::Identity),
            ),
            (r#"{"PolicyDocument": {"Statement": []}}"#, None),
            (
                r#"{"Policy": "{\"Statement\": []}"}"#,
                Some(PolicyKind::Resource),
            ),
            (
                r#"{"Policy": "{\"Statement\": []}", "PolicyName": "default"}"#,
                Some(PolicyKind::KeyPolicy),
            ),
            (
                r#"{"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY"}, "Content": "{\"Statement\": []}"}}"#,
                Some(PolicyKind::Scp),
            ),
        ];
        for (text, kind) in cases {
            match read(text) {
                Wrapping::Policy(u) => assert_eq!(u.kind, kind, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn other_documents_are_not_wrappers() {
        for text in [
            r#"{"name": "x"}"#,
            r#"{"Policy": {"PolicyName": "p", "Arn": "arn:aws:iam::aws:policy/x"}}"#,
            r#"{"Policy": {"PolicySummary": {"Type": "TAG_POLICY"}, "Content": "{}"}}"#,
        ] {
            assert!(matches!(read(text), Wrapping::None), "{text}");
        }
    }

    #[test]
    fn unreadable_documents_are_reported_where_they_are() {
        let text = r#"{"Policy": "not json"}"#;
        let Wrapping::Unreadable(f) = read(text) else {
            panic!("unreadable expected")
        };
        assert_eq!(&text[f.range.range()], r#""not json""#);
        assert_eq!(
            f.message,
            "`Policy` is a string that does not hold JSON; the policy it should hold is not checked"
        );
        let text = r#"{"PolicyVersion": {"Document": 3}}"#;
        assert!(matches!(read(text), Wrapping::Unreadable(_)));
    }

    #[test]
    fn fixes_inside_a_string_are_escaped_and_checked() {
        let text = r#"{"Policy": "{\"Statement\": []}"}"#;
        let Wrapping::Policy(u) = read(text) else {
            panic!("policy expected")
        };
        let embedding = u.embedding.expect("in a string");
        let at = u.tree.span.start + 1;
        let mut findings = vec![Finding::warning("x/y", Span::empty(at), "m")];
        findings[0].fixes = vec![
            latch_syntax::Fix::safe(
                "add",
                vec![latch_syntax::Edit::insert(
                    at,
                    "\"Version\": \"2012-10-17\", ",
                )],
            ),
            latch_syntax::Fix::safe("outside", vec![latch_syntax::Edit::insert(0, " ")]),
            latch_syntax::Fix::safe(
                "breaks",
                vec![latch_syntax::Edit::insert(at, "\"Version\" ")],
            ),
        ];
        fit_fixes(text, &embedding, &mut findings);
        assert_eq!(findings[0].fixes.len(), 1);
        let edit = &findings[0].fixes[0].edits[0];
        assert_eq!(edit.new_text, r#"\"Version\": \"2012-10-17\", "#);
    }
}
