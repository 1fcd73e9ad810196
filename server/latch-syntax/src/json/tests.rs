//! Parser tests: recovery, ranges and fixes on the mistakes seen in the seed articles.

use super::*;
use crate::finding::apply_edits;
use crate::span::Span;

fn codes(text: &str) -> Vec<&'static str> {
    parse(text).findings.iter().map(|f| f.code).collect()
}

/// Applies every fix of every finding and returns the repaired text.
fn repaired(text: &str) -> String {
    let parsed = parse(text);
    let edits: Vec<&crate::Edit> = parsed
        .findings
        .iter()
        .filter_map(|f| f.fixes.first())
        .flat_map(|f| &f.edits)
        .collect();
    apply_edits(text, &edits).0
}

#[test]
fn valid_json_has_no_findings_and_exact_ranges() {
    let text = r#"{"Sid": "読み取り😀", "n": [1, true, null]}"#;
    let p = parse(text);
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let v = p.value.unwrap();
    let members = v.as_object().unwrap();
    assert_eq!(&text[members[0].key_span.range()], "\"Sid\"");
    assert_eq!(&text[members[0].value.span.range()], "\"読み取り😀\"");
    assert_eq!(members[0].value.as_str(), Some("読み取り😀"));
    assert_eq!(&text[members[1].value.span.range()], "[1, true, null]");
    assert_eq!(v.span, Span::new(0, text.len()));
}

#[test]
fn missing_comma_is_reported_on_the_next_key_and_fixed_after_the_value() {
    let text = "{\n  \"Action\": \"s3:GetObject\"\n  \"Resource\": \"*\"\n}";
    let p = parse(text);
    assert_eq!(p.findings.len(), 1);
    let f = &p.findings[0];
    assert_eq!(f.code, "syntax/missing-comma");
    assert_eq!(&text[f.range.range()], "\"Resource\"");
    assert_eq!(
        repaired(text),
        "{\n  \"Action\": \"s3:GetObject\",\n  \"Resource\": \"*\"\n}"
    );
    // Both members are still in the tree.
    assert_eq!(p.value.unwrap().as_object().unwrap().len(), 2);
}

#[test]
fn trailing_commas_are_removed() {
    let text = r#"{"a": [1, 2,], "b": 1,}"#;
    assert_eq!(
        codes(text),
        vec!["syntax/trailing-comma", "syntax/trailing-comma"]
    );
    assert_eq!(repaired(text), r#"{"a": [1, 2], "b": 1}"#);
}

#[test]
fn typographic_quotes_are_replaced() {
    let text = "{“Effect”: \"Deny”}";
    let p = parse(text);
    assert_eq!(
        p.findings
            .iter()
            .filter(|f| f.code == "syntax/typographic-quote")
            .count(),
        3
    );
    assert_eq!(
        p.value
            .as_ref()
            .unwrap()
            .get("Effect")
            .and_then(Value::as_str),
        Some("Deny")
    );
    assert_eq!(repaired(text), "{\"Effect\": \"Deny\"}");
}

#[test]
fn unterminated_string_keeps_the_rest_of_the_document() {
    let text = "{\n  \"Effect\": \"Allow,\n  \"Action\": \"s3:*\"\n}";
    let p = parse(text);
    assert!(
        p.findings
            .iter()
            .any(|f| f.code == "syntax/unterminated-string")
    );
    let v = p.value.unwrap();
    assert_eq!(v.get("Action").and_then(Value::as_str), Some("s3:*"));
}

#[test]
fn missing_closing_brackets_are_inserted() {
    let text = r#"{"Statement": [{"Effect": "Allow"}"#;
    let p = parse(text);
    assert_eq!(
        codes(text),
        vec!["syntax/unclosed-bracket", "syntax/unclosed-bracket"]
    );
    assert_eq!(
        p.value
            .unwrap()
            .get("Statement")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(repaired(text), r#"{"Statement": [{"Effect": "Allow"}]}"#);
}

#[test]
fn object_missing_its_brace_inside_an_array() {
    let text = r#"{"Statement": [{"Effect": "Allow"]}"#;
    assert_eq!(codes(text), vec!["syntax/unclosed-bracket"]);
    assert_eq!(repaired(text), r#"{"Statement": [{"Effect": "Allow"}]}"#);
}

#[test]
fn comments_are_reported_and_removed() {
    let text = "{\n  // allow reads\n  \"a\": 1 /* x */\n}";
    assert_eq!(codes(text), vec!["syntax/comment", "syntax/comment"]);
    assert_eq!(repaired(text).replace(' ', ""), "{\n\n\"a\":1\n}");
}

#[test]
fn duplicate_keys_are_kept_and_reported() {
    let text = r#"{"Effect": "Allow", "Effect": "Deny"}"#;
    let p = parse(text);
    assert_eq!(codes(text), vec!["syntax/duplicate-key"]);
    assert_eq!(p.findings[0].related.len(), 1);
    assert_eq!(p.value.unwrap().as_object().unwrap().len(), 2);
}

#[test]
fn bare_words_and_unquoted_keys() {
    let text = r#"{Effect: Allow, "b": True}"#;
    assert_eq!(
        codes(text),
        vec![
            "syntax/unquoted-string",
            "syntax/unquoted-string",
            "syntax/invalid-literal"
        ]
    );
    assert_eq!(repaired(text), r#"{"Effect": "Allow", "b": true}"#);
}

#[test]
fn empty_and_lone_brace() {
    assert_eq!(codes(""), vec!["syntax/empty-document"]);
    assert_eq!(codes("   \n"), vec!["syntax/empty-document"]);
    assert_eq!(codes("{"), vec!["syntax/unclosed-bracket"]);
    assert_eq!(
        codes("}"),
        vec!["syntax/missing-value", "syntax/unexpected-token"]
    );
}

#[test]
fn deep_nesting_does_not_overflow() {
    let text = "[".repeat(10_000) + &"]".repeat(10_000);
    let p = parse(&text);
    assert_eq!(codes(&text), vec!["syntax/too-deep"]);
    assert!(p.value.is_some());
    let text = "{\"a\":".repeat(10_000);
    let p = parse(&text);
    assert!(!p.findings.is_empty());
}

#[test]
fn full_width_punctuation() {
    let text = "{\"a\"：1，\"b\":2}";
    assert_eq!(
        codes(text),
        vec![
            "syntax/non-ascii-punctuation",
            "syntax/non-ascii-punctuation"
        ]
    );
    assert_eq!(repaired(text), "{\"a\":1,\"b\":2}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check_bounds(text: &str) {
        let p = parse(text);
        for f in &p.findings {
            assert!(
                f.range.start <= f.range.end && f.range.end <= text.len(),
                "{f:?}"
            );
            assert!(
                text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end),
                "{f:?}"
            );
            for fix in &f.fixes {
                for e in &fix.edits {
                    assert!(
                        e.range.end <= text.len()
                            && text.is_char_boundary(e.range.start)
                            && text.is_char_boundary(e.range.end)
                    );
                }
            }
        }
        fn walk(v: &Value, len: usize) {
            assert!(v.span.start <= v.span.end && v.span.end <= len);
            match &v.kind {
                ValueKind::Array(items) => items.iter().for_each(|i| walk(i, len)),
                ValueKind::Object(ms) => ms.iter().for_each(|m| {
                    assert!(m.key_span.end <= len);
                    walk(&m.value, len)
                }),
                _ => {}
            }
        }
        if let Some(v) = &p.value {
            walk(v, text.len());
        }
    }

    const SEED: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"読み取り\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": true}}}]}";

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
            check_bounds(&text);
        }

        #[test]
        fn json_alphabet_never_panics(text in "[{}\\[\\]:,\"“”‘’'a1 \\n\\\\/*#-]{0,120}") {
            check_bounds(&text);
        }

        #[test]
        fn cut_and_mutated_policies_never_panic(cut in 0usize..200, pos in 0usize..200, ins in "[{}\\[\\]:,\"”]{0,3}") {
            let mut text: String = SEED.chars().take(cut).collect();
            let at = text.char_indices().map(|(i, _)| i).nth(pos).unwrap_or(text.len());
            text.insert_str(at, &ins);
            check_bounds(&text);
        }

        #[test]
        fn fixes_of_a_dropped_comma_restore_the_document(idx in 0usize..8) {
            let commas: Vec<usize> = SEED.match_indices(", \"").map(|(i, _)| i).collect();
            let i = commas[idx % commas.len()];
            let broken = format!("{}{}", &SEED[..i], &SEED[i + 1..]);
            prop_assert_eq!(repaired(&broken), SEED.to_string());
        }
    }
}
