//! JSON held inside a string of another JSON document: `{"Policy": "{\"Version\": ...}"}`
//! (an escaped JSON string, as `aws s3api get-bucket-policy` prints it) or
//! `"%7B%22Version%22..."` (URL-encoded, as IAM's API returns policy documents).
//!
//! The string's raw text is decoded with a byte map back to the host text (the decoder is
//! the one the Terraform side uses for policies in plan JSON, [`crate::terraform::convert`]),
//! then parsed, and every span of the tree and of the findings is mapped back: a finding
//! inside the string points at the exact bytes that hold it, escapes such as `\"`, `\n`,
//! `\u00e9` and `%22` included. Edits of fixes are escaped for the string they land in
//! ([`escape_for`]); inside a URL-encoded string no fix is offered.

use crate::finding::Finding;
use crate::json::{self, Value, json_string};
use crate::span::Span;
use crate::terraform::convert::{Escapes, decode, remap, remap_value};

/// How the inner document is written inside the host string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// A JSON string whose value is the document (`"{\"Version\": ...}"`).
    JsonString,
    /// A JSON string whose value is the URL-encoded document (`"%7B%22Version%22..."`).
    UrlEncoded,
}

/// The document inside a string: its tree and parse findings, spans in the host text.
#[derive(Clone, Debug)]
pub struct Embedded {
    pub tree: Option<Value>,
    pub findings: Vec<Finding>,
}

/// Why a string's content could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbeddedError {
    /// The string has no raw text at its span (the host tree does not belong to `text`).
    NoText,
    /// Percent-decoding gives bytes that are not UTF-8; `at` is the escape that breaks it.
    NotUtf8 { at: Span },
}

/// Decodes the string value `string` of the host `text` and parses its content as JSON.
pub fn parse_embedded(
    text: &str,
    string: &Value,
    encoding: Encoding,
) -> Result<Embedded, EmbeddedError> {
    let inner = string.inner_span();
    let raw = text.get(inner.range()).ok_or(EmbeddedError::NoText)?;
    let mut decoded = String::with_capacity(raw.len());
    let mut map = Vec::with_capacity(raw.len() + 1);
    decode(raw, inner.start, Escapes::Json, &mut decoded, &mut map);
    map.push(inner.end);
    if encoding == Encoding::UrlEncoded {
        let (bytes, url_map) = percent_decode(decoded.as_bytes(), &map);
        map = url_map;
        map.push(inner.end);
        decoded = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let start = map.get(at).copied().unwrap_or(inner.start);
            EmbeddedError::NotUtf8 {
                at: Span::new(start, (start + 3).min(inner.end).max(start)),
            }
        })?;
    }
    let parsed = json::parse(&decoded);
    let tree = parsed.value.map(|mut t| {
        remap_value(&mut t, &map, text);
        t
    });
    let findings = parsed
        .findings
        .into_iter()
        .map(|f| remap_finding(f, &map, text, inner, encoding))
        .collect();
    Ok(Embedded { tree, findings })
}

/// `%XX` escapes decoded; every output byte maps to the host offset of the byte (or
/// escape) it came from. `+` stays `+` (IAM encodes per RFC 3986).
fn percent_decode(bytes: &[u8], map: &[usize]) -> (Vec<u8>, Vec<usize>) {
    let hex = |b: u8| (b as char).to_digit(16);
    let at = |i: usize| map.get(i).or(map.last()).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(bytes.len());
    let mut out_map = Vec::with_capacity(bytes.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| Some(hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?))
            .flatten();
        match escape {
            Some(v) => {
                out.push(v as u8);
                out_map.push(at(i));
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                out_map.push(at(i));
                i += 1;
            }
        }
    }
    (out, out_map)
}

/// `new_text` as it must be written inside a string of `encoding`: escaped for a JSON
/// string; `None` inside a URL-encoded one (no fix is offered there).
pub fn escape_for(encoding: Encoding, new_text: &str) -> Option<String> {
    match encoding {
        Encoding::JsonString => {
            let quoted = json_string(new_text);
            Some(quoted[1..quoted.len() - 1].to_string())
        }
        Encoding::UrlEncoded => None,
    }
}

/// Moves a finding of the decoded text into the host text; fixes whose edits cannot be
/// written inside the string are dropped.
fn remap_finding(
    mut f: Finding,
    map: &[usize],
    text: &str,
    inner: Span,
    encoding: Encoding,
) -> Finding {
    f.range = remap(f.range, map, text);
    for r in &mut f.related {
        if r.path.is_none() {
            r.range = remap(r.range, map, text);
        }
    }
    f.fixes.retain_mut(|fix| {
        fix.edits.iter_mut().all(|e| {
            if e.path.is_some() {
                return true;
            }
            e.range = remap(e.range, map, text);
            match escape_for(encoding, &e.new_text) {
                Some(t) if inner.start <= e.range.start && e.range.end <= inner.end => {
                    e.new_text = t;
                    true
                }
                _ => false,
            }
        })
    });
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(text: &str) -> Value {
        let v = json::parse(text).value.expect("host");
        v.get("Policy").expect("Policy").clone()
    }

    #[test]
    fn spans_inside_an_escaped_string_point_at_the_raw_bytes() {
        let text = r#"{"Policy": "{\"Sid\": \"caf\u00e9 \u4f60\u597d\",\n\"Effect\": \"deny\"}"}"#;
        let e = parse_embedded(text, &host(text), Encoding::JsonString).expect("decoded");
        let tree = e.tree.expect("tree");
        let sid = tree.get("Sid").expect("Sid");
        assert_eq!(sid.as_str(), Some("café 你好"));
        assert_eq!(&text[sid.span.range()], r#"\"caf\u00e9 \u4f60\u597d\""#);
        let effect = tree.get("Effect").expect("Effect");
        assert_eq!(&text[effect.span.range()], r#"\"deny\""#);
        let obj = tree.as_object().expect("object");
        assert_eq!(&text[obj[1].key_span.range()], r#"\"Effect\""#);
    }

    #[test]
    fn url_encoded_documents_map_each_escape() {
        let text =
            r#"{"Policy": "%7B%22Sid%22%3A%20%22%E4%BD%A0%22%2C%22Effect%22%3A%22deny%22%7D"}"#;
        let e = parse_embedded(text, &host(text), Encoding::UrlEncoded).expect("decoded");
        let tree = e.tree.expect("tree");
        assert_eq!(tree.get("Sid").and_then(Value::as_str), Some("你"));
        let effect = tree.get("Effect").expect("Effect");
        assert_eq!(&text[effect.span.range()], "%22deny%22");
    }

    #[test]
    fn bad_percent_escapes_are_reported_where_they_are() {
        let text = r#"{"Policy": "%7B%22a%22%3A%22%FF%22%7D"}"#;
        let err = parse_embedded(text, &host(text), Encoding::UrlEncoded).expect_err("not utf-8");
        let EmbeddedError::NotUtf8 { at } = err else {
            panic!("not utf-8 expected")
        };
        assert_eq!(&text[at.range()], "%FF");
    }

    #[test]
    fn syntax_fixes_inside_a_string_are_escaped() {
        let text = r#"{"Policy": "{\"a\": 1 \"b\": 2}"}"#;
        let e = parse_embedded(text, &host(text), Encoding::JsonString).expect("decoded");
        let comma = e
            .findings
            .iter()
            .find(|f| f.code == "syntax/missing-comma")
            .expect("missing comma");
        assert_eq!(&text[comma.range.range()], r#"\"b\""#);
        assert_eq!(
            escape_for(Encoding::JsonString, "\"x\"\n").as_deref(),
            Some(r#"\"x\"\n"#)
        );
        assert_eq!(escape_for(Encoding::UrlEncoded, "x"), None);
    }
}
