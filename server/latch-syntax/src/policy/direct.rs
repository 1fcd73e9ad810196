//! The policy model straight from plain text, without the JSON tree: for the engine,
//! which needs only the model ([`policy_only`]).
//!
//! It reads only what [`parse_policy`] would read without a single finding: plain, valid
//! JSON (the JSON fast path's conditions: no escapes, comments, typographic quotes,
//! duplicate keys, nesting past [`MAX_DEPTH`]) whose policy elements have the shapes the
//! model builder expects. At anything else it gives up and [`parse_policy`] reads the
//! text. Where it succeeds its model is exactly [`parse_policy`]'s, spans included (the
//! tests compare the two on mutated documents).

use std::cell::Cell;
use std::sync::Arc;

use crate::json::MAX_DEPTH;
use crate::json::fast::Cursor;
use crate::policy::build::parse_policy;
use crate::policy::model::*;
use crate::span::{Span, Spanned};
use crate::text::Str;

/// The model of `text`, as [`parse_policy`] builds it; its tree and findings are not
/// made.
pub fn policy_only(text: &str) -> Policy {
    direct(text).unwrap_or_else(|| parse_policy(text).policy)
}

thread_local! {
    /// The keys of the objects being read, kept between reads on one thread.
    static KEYS: Cell<Vec<Span>> = const { Cell::new(Vec::new()) };
}

/// Key stacks that grew past this many entries are not kept.
const KEEP_KEYS: usize = 1024;

/// The model of plain `text`; `None` where [`parse_policy`] must read it.
pub(crate) fn direct(text: &str) -> Option<Policy> {
    let src: Arc<str> = Arc::from(text);
    let mut r = Reader {
        c: Cursor::new(text),
        src: &src,
        keys: KEYS.with(Cell::take),
    };
    let policy = r.policy().filter(|_| r.c.at_end());
    let mut keys = r.keys;
    if keys.capacity() <= KEEP_KEYS {
        keys.clear();
        KEYS.with(|k| k.set(keys));
    }
    policy
}

struct Reader<'a> {
    c: Cursor<'a>,
    src: &'a Arc<str>,
    /// The keys of the objects being read, innermost last (for duplicates).
    keys: Vec<Span>,
}

/// A plain JSON string value: its text and span (quotes included).
type Text = (Str, Span);

impl Reader<'_> {
    /// Reads the members of the object at the position, calling `member` with each key
    /// (its text and span) at its value; `member` reads the value. Duplicate keys give up.
    fn object(&mut self, member: impl FnMut(&mut Self, &str, Span) -> Option<()>) -> Option<Span> {
        self.object_of(&[], member)
    }

    /// [`Reader::object`] for an object whose `known` keys (at most 16) are told apart by a
    /// mask of their indexes instead of comparing texts; the other keys are compared.
    fn object_of(
        &mut self,
        known: &[&str],
        mut member: impl FnMut(&mut Self, &str, Span) -> Option<()>,
    ) -> Option<Span> {
        let open = self.c.pos;
        if self.c.byte() != Some(b'{') {
            return None;
        }
        self.c.pos += 1;
        let first = self.keys.len();
        let mut seen: u16 = 0;
        if !self.c.empty(b'}') {
            loop {
                let span = self.c.key()?;
                let key = self.c.text.get(span.start + 1..span.end - 1)?;
                match known.iter().position(|k| *k == key).map(|i| 1u16 << i) {
                    Some(bit) if seen & bit != 0 => return None,
                    Some(bit) => seen |= bit,
                    None => {
                        if self.c.repeats(self.keys.get(first..)?, span) {
                            return None;
                        }
                        self.keys.push(span);
                    }
                }
                self.c.blanks();
                member(self, key, span)?;
                if self.c.next_or_close(b'}')? {
                    break;
                }
            }
        }
        self.keys.truncate(first);
        Some(Span::new(open, self.c.pos))
    }

    /// A string at the position.
    fn string(&mut self) -> Option<Text> {
        if self.c.byte() != Some(b'"') {
            return None;
        }
        let start = self.c.pos;
        let close = self.c.string()?;
        Some((
            Str::slice_or_word(self.src, start + 1..close),
            Span::new(start, close + 1),
        ))
    }

    /// The text of the key at `span` (quotes excluded).
    fn key_text(&self, span: Span) -> Str {
        Str::slice_or_word(self.src, span.start + 1..span.end - 1)
    }

    /// Skips any plain JSON value (an element the model does not read).
    fn skip(&mut self, depth: usize) -> Option<()> {
        self.c.blanks();
        match self.c.byte()? {
            b'"' => self.c.string().map(|_| ()),
            b'{' if depth < MAX_DEPTH => self.object(|r, _, _| r.skip(depth + 1)).map(|_| ()),
            b'[' if depth < MAX_DEPTH => self.list(|r| r.skip(depth + 1)).map(|_| ()),
            b'-' | b'0'..=b'9' => self.c.number().map(|_| ()),
            b't' | b'f' | b'n' => self.c.literal().map(|_| ()),
            _ => None,
        }
    }

    /// Reads the array at the position, calling `item` at each element; its span.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<Span> {
        let open = self.c.pos;
        self.c.pos += 1;
        if !self.c.empty(b']') {
            loop {
                self.c.blanks();
                item(self)?;
                if self.c.next_or_close(b']')? {
                    break;
                }
            }
        }
        Some(Span::new(open, self.c.pos))
    }

    /// A string, or an array of strings (numbers and booleans as their text when
    /// `lenient`); the values and the whole value's span.
    fn strings(&mut self, lenient: bool) -> Option<(Values, Span)> {
        let mut out = Values::new();
        let span = if self.c.byte() == Some(b'[') {
            self.list(|r| {
                let one = r.scalar(lenient)?;
                out.push(one);
                Some(())
            })?
        } else {
            let one = self.scalar(lenient)?;
            let span = one.span;
            out.push(one);
            span
        };
        Some((out, span))
    }

    fn scalar(&mut self, lenient: bool) -> Option<Spanned<Str>> {
        match self.c.byte()? {
            b'"' => self.spanned_string(),
            b'-' | b'0'..=b'9' if lenient => {
                let span = self.c.number()?;
                Some(Spanned::new(Str::slice(self.src, span.range()), span))
            }
            b't' | b'f' if lenient => {
                let (crate::json::ValueKind::Bool(b), span) = self.c.literal()? else {
                    return None;
                };
                Some(Spanned::new(
                    Str::from_static(if b { "true" } else { "false" }),
                    span,
                ))
            }
            _ => None,
        }
    }

    fn policy(&mut self) -> Option<Policy> {
        self.c.blanks();
        let mut policy = Policy::default();
        let span = self.object_of(&["Version", "Id", "Statement"], |r, key, _| {
            match key {
                "Version" => policy.version = Some(r.spanned_string()?),
                "Id" => policy.id = Some(r.spanned_string()?),
                "Statement" => {
                    let start = r.c.pos;
                    let end = match r.c.byte()? {
                        b'{' => r.statement(1, &mut policy.statements)?,
                        b'[' => {
                            r.list(|r| r.statement(2, &mut policy.statements).map(|_| ()))?
                                .end
                        }
                        _ => return None,
                    };
                    policy.statement_span = Some(Span::new(start, end));
                }
                _ => r.skip(1)?,
            }
            Some(())
        })?;
        policy.span = span;
        Some(policy)
    }

    fn spanned_string(&mut self) -> Option<Spanned<Str>> {
        self.string().map(|(s, span)| Spanned::new(s, span))
    }

    /// Reads a statement object, nested `depth` levels deep, onto `statements`; its end.
    fn statement(&mut self, depth: usize, statements: &mut Vec<Statement>) -> Option<usize> {
        if self.c.byte() != Some(b'{') {
            return None;
        }
        let mut st = Statement::default();
        let known = [
            "Sid",
            "Effect",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Principal",
            "NotPrincipal",
            "Condition",
        ];
        let span = self.object_of(&known, |r, key, key_span| {
            match key {
                "Sid" => st.sid = Some(r.spanned_string()?),
                "Effect" => {
                    let (s, span) = r.string()?;
                    st.effect = match s.as_str() {
                        "Allow" => Some(Spanned::new(Effect::Allow, span)),
                        "Deny" => Some(Spanned::new(Effect::Deny, span)),
                        _ => None,
                    };
                }
                "Action" | "NotAction" => {
                    let (values, span) = r.strings(false)?;
                    st.action = Some(ActionList {
                        negated: key == "NotAction",
                        values,
                        key_span,
                        span,
                    });
                }
                "Resource" | "NotResource" => {
                    let (values, span) = r.strings(false)?;
                    st.resource = Some(ResourceList {
                        negated: key == "NotResource",
                        values,
                        key_span,
                        span,
                    });
                }
                "Principal" | "NotPrincipal" => {
                    let (value, span) = r.principal()?;
                    st.principal = Some(Principal {
                        negated: key == "NotPrincipal",
                        value,
                        key_span,
                        span,
                    });
                }
                "Condition" => st.condition = Some(r.condition(key_span)?),
                _ => r.skip(depth + 1)?,
            }
            Some(())
        })?;
        st.span = span;
        statements.push(st);
        Some(span.end)
    }

    fn principal(&mut self) -> Option<(PrincipalValue, Span)> {
        if self.c.byte() == Some(b'"') {
            let (s, span) = self.string()?;
            // Any other string is a finding.
            return (s == "*").then_some((PrincipalValue::Star, span));
        }
        let mut entries = Vec::new();
        let span = self.object(|r, key, key_span| {
            let kind = PrincipalType::parse(key)?;
            let (values, _) = r.strings(false)?;
            entries.push(PrincipalEntry {
                kind: Spanned::new(kind, key_span),
                values,
            });
            Some(())
        })?;
        Some((PrincipalValue::Map(entries), span))
    }

    fn condition(&mut self, key_span: Span) -> Option<ConditionBlock> {
        let mut clauses = Vec::new();
        let span = self.object(|r, op, op_span| {
            let operator = r.key_text(op_span);
            debug_assert_eq!(operator.as_str(), op);
            r.object(|r, _, k_span| {
                let key = r.key_text(k_span);
                let (values, values_span) = r.strings(true)?;
                clauses.push(ConditionClause {
                    operator: Spanned::new(operator.clone(), op_span),
                    key: Spanned::new(key, k_span),
                    values,
                    values_span,
                });
                Some(())
            })
            .map(|_| ())
        })?;
        Some(ConditionBlock {
            clauses,
            key_span,
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Policies of every shape the reader takes or leaves: CJK and emoji, a single
    /// statement object, `NotPrincipal`, `"*"`, lenient condition values, unknown elements
    /// with deep values, empty lists, and shapes the model builder reports.
    const SEEDS: &[&str] = &[
        "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"ポリシー\",\n  \"Statement\": [\n    {\n      \"Sid\": \"公開読み取り😀\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\"], \"Service\": \"s3.amazonaws.com\"},\n      \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \"Resource\": \"arn:aws:s3:::b/*\",\n      \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": 10}, \"Bool\": {\"aws:SecureTransport\": false}, \"StringEquals\": {\"aws:SourceVpce\": [\"vpce-1\", \"vpce-2\"]}}\n    }\n  ]\n}",
        r#"{"Statement":{"Effect":"Deny","NotAction":"iam:*","NotResource":["*"],"Sid":"it's – ok","NotPrincipal":"*"}}"#,
        r#"{"Version":"2008-10-17","Statement":[],"Extra":{"a":[1,{"b":[true,null]}]}}"#,
        r#"{"Statement":[{"Effect":"Allw","Action":[],"Resource":[],"Condition":{},"Unknown":[[[]]]},{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com","CanonicalUser":["x"]},"Condition":{"Null":{"aws:TokenIssueTime":true},"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}}]}"#,
        r#"{"Statement":[{"Effect":5,"Action":"s3:*"}]}"#,
        r#"{"Statement":[{"Principal":"arn:aws:iam::1:root"}]}"#,
        r#"{"Statement":[{"Principal":{"Aws":"x"}}]}"#,
        r#"{"Statement":[{"Condition":{"StringEquals":"x"}}]}"#,
        r#"{"Statement":[{"Condition":{"StringEquals":{"k":null}}}]}"#,
        r#"{"Statement":[{"Action":["s3:GetObject",1]}]}"#,
        r#"{"Statement":"x"}"#,
        r#"{"Statement":[1]}"#,
        r#"[{"Statement":[]}]"#,
        "\u{feff}{\"Statement\":[]}",
    ];

    /// The policies of the conformance cases, compact and pretty.
    fn case_policies() -> Vec<String> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if m.contains_key("Statement") {
                        out.push(v.to_string());
                        out.extend(serde_json::to_string_pretty(v).ok());
                    }
                    m.values().for_each(|x| walk(x, out));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for text in crate::json::tests::case_files() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                walk(&v, &mut out);
            }
        }
        out
    }

    #[test]
    fn the_direct_model_is_exactly_the_parsed_one_where_it_is_made() {
        let cases = case_policies();
        assert!(cases.len() > 200, "only {} case policies", cases.len());
        // Every policy of the cases that parses without a finding and without escapes is
        // read directly.
        for text in cases
            .iter()
            .filter(|t| !t.contains('\\') && parse_policy(t).findings.is_empty())
        {
            assert!(direct(text).is_some(), "given up on {text:.120}");
        }
        let mut seeds: Vec<String> = SEEDS.iter().map(|s| s.to_string()).collect();
        seeds.extend(cases.iter().take(40).cloned());
        let mut texts = crate::json::tests::mutations(&seeds, 150);
        texts.extend(cases);
        let (mut direct_n, mut parsed_n) = (0, 0);
        for text in texts {
            let parsed = parse_policy(&text);
            match direct(&text) {
                Some(p) => {
                    direct_n += 1;
                    assert!(
                        parsed.findings.is_empty(),
                        "{text:?}: {:?}",
                        parsed.findings
                    );
                    // Debug shows every span, which equality ignores.
                    assert_eq!(format!("{p:?}"), format!("{:?}", parsed.policy), "{text:?}");
                }
                None => parsed_n += 1,
            }
            assert_eq!(
                format!("{:?}", policy_only(&text)),
                format!("{:?}", parsed.policy)
            );
        }
        assert!(
            direct_n > 500 && parsed_n > 500,
            "direct {direct_n}, parsed {parsed_n}"
        );
    }

    /// A key written twice, known or not, at any level: the parser reports it, so the
    /// reader gives up (mutations rarely write a key twice).
    #[test]
    fn duplicate_keys_are_left_to_the_parser() {
        for text in [
            r#"{"Version":"2012-10-17","Statement":[],"Version":"2012-10-17"}"#,
            r#"{"Statement":[{"Effect":"Allow","Sid":"公開","Effect":"Deny"}]}"#,
            r#"{"Statement":[{"Condition":{},"Action":"s3:*","Condition":{}}]}"#,
            r#"{"Statement":[{"X":1,"Effect":"Allow","X":2}]}"#,
            r#"{"Statement":[{"Principal":{"AWS":"a","AWS":"b"}}]}"#,
            r#"{"Statement":[{"Condition":{"Bool":{"k":"1","k":"2"}}}]}"#,
        ] {
            assert!(!parse_policy(text).findings.is_empty(), "{text}");
            assert!(direct(text).is_none(), "{text}");
        }
        let once = r#"{"Statement":[{"Effect":"Allow","Sid":"公開","X":{"Effect":1}}]}"#;
        assert!(direct(once).is_some());
    }

    #[test]
    fn nesting_past_the_limit_in_an_unknown_element_is_left_to_the_parser() {
        for extra in [MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH] {
            let deep = format!("{}{}", "[".repeat(extra), "]".repeat(extra));
            let text = format!(r#"{{"Statement":[{{"Effect":"Allow","X":{deep}}}]}}"#);
            let parsed = parse_policy(&text);
            match direct(&text) {
                Some(p) => {
                    assert!(parsed.findings.is_empty(), "{extra}: {:?}", parsed.findings);
                    assert_eq!(format!("{p:?}"), format!("{:?}", parsed.policy));
                }
                None => assert!(
                    !parsed.findings.is_empty(),
                    "{extra}: given up on a plain text"
                ),
            }
        }
    }
}
