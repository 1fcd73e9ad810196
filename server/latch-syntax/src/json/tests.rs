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

/// Documents the fast path reads: plain JSON as policies are written, ranges beyond ASCII
/// (CJK, emoji, `–`, apostrophes), every kind of value, empty containers.
const PLAIN: &[&str] = &[
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"公開読み取り😀\",\n      \"Effect\": \"Allow\",\n      \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\"]},\n      \"Action\": [\"s3:GetObject\", \"s3:ListBucket\"],\n      \"Resource\": \"arn:aws:s3:::b/*\",\n      \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": 10}, \"Bool\": {\"aws:SecureTransport\": false}}\n    }\n  ]\n}",
    r#"{"Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Sid":"it's – ok"}}"#,
    "[1, -2.5e+3, 0, true, false, null, [], {}, [[]], {\"a\": {}}, \"\"]",
    "\t\r\n {\"k\" : \"v\" } \n",
    "\"top-level string\"",
    "-0.0",
];

/// Every text a few random edits away from `seeds` (deterministic), the seeds included.
pub(crate) fn mutations(seeds: &[String], per_seed: usize) -> Vec<String> {
    let inserts = [
        "\"", "'", "\\", "\\n", "\\u00e9", "“", "”", "’", ",", ":", "{", "}", "[", "]", "\n", "#",
        "//", "/*", "\u{a0}", "，", "：", "é", "漢", "😀", "\t", "\u{1}", "tRue", " ", "x", "-",
        "1e", "01", "\u{feff}", "null", "\u{2}", "$", "–",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = seeds.to_vec();
    for seed in seeds {
        for _ in 0..per_seed {
            let mut t = seed.clone();
            for _ in 0..1 + next() % 3 {
                let mut at = (next() as usize) % (t.len() + 1);
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                match next() % 4 {
                    0 => {
                        let mut end = (at + 1 + (next() % 4) as usize).min(t.len());
                        while !t.is_char_boundary(end) {
                            end += 1;
                        }
                        t.replace_range(at..end, "");
                    }
                    1 => t.truncate(at),
                    _ => t.insert_str(at, inserts[(next() as usize) % inserts.len()]),
                }
            }
            out.push(t);
        }
    }
    out
}

/// The texts of the conformance case files (`tests/conformance/cases`), in name order.
pub(crate) fn case_files() -> Vec<String> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect()
}

/// The fast path and the recovering parser, separately.
fn both(text: &str) -> (Option<Value>, (Option<Value>, Vec<crate::Finding>)) {
    let src: std::sync::Arc<str> = std::sync::Arc::from(text);
    let fast = super::fast::parse_plain(text, &src);
    let full = super::parser::Parser::new(text, src).parse_document();
    (fast, full)
}

#[test]
fn the_fast_path_reads_plain_documents_exactly_as_the_recovering_parser() {
    let mut seeds: Vec<String> = PLAIN.iter().map(|s| s.to_string()).collect();
    // The conformance cases: whole files, valid JSON of every shape policies take.
    seeds.extend(case_files());
    assert!(seeds.len() > PLAIN.len(), "no conformance cases");
    // Escapes (a few case files have them in their notes) are the recovering parser's.
    for seed in seeds.iter().filter(|s| !s.contains('\\')) {
        assert!(
            both(seed).0.is_some(),
            "the fast path gave up on {seed:.80}"
        );
    }
    let (mut fast, mut slow) = (0, 0);
    let mut texts = mutations(&seeds[..PLAIN.len()], 400);
    texts.extend(seeds.iter().skip(PLAIN.len()).cloned());
    for text in texts {
        let (quick, (value, findings)) = both(&text);
        match quick {
            Some(q) => {
                fast += 1;
                assert!(findings.is_empty(), "{text:?}: {findings:?}");
                // Debug shows every range, which equality ignores.
                assert_eq!(
                    format!("{:?}", Some(&q)),
                    format!("{:?}", value.as_ref()),
                    "{text:?}"
                );
            }
            None => slow += 1,
        }
    }
    // Both paths are exercised.
    assert!(fast > 100 && slow > 100, "fast {fast}, slow {slow}");
}

#[test]
fn nesting_up_to_the_limit_is_read_and_deeper_is_skipped() {
    let nested = |n: usize| "[".repeat(n) + "\"漢\"" + &"]".repeat(n);
    let p = parse(&nested(MAX_DEPTH));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let mut v = p.value.as_ref().unwrap();
    let mut depth = 1;
    while let Some([inner]) = v.as_array() {
        v = inner;
        depth += 1;
    }
    assert_eq!((depth, v.as_str()), (MAX_DEPTH + 1, Some("漢")));
    let text = nested(MAX_DEPTH + 1);
    let p = parse(&text);
    assert_eq!(codes(&text), vec!["syntax/too-deep"]);
    assert_eq!(p.findings[0].range, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
}

#[test]
fn strings_the_fast_path_leaves_are_read_with_their_exact_ranges() {
    // Escapes, a typographic quote, a control character, an unterminated string: each
    // is handed to the recovering parser, whose values and ranges are unchanged.
    let text = "{\"a😀\": \"x\\\"y\\u00e9\", \"b\": \"it’s\", \"c\": \"\u{1}\", \"d\": \"漢\n}";
    let p = parse(text);
    let v = p.value.unwrap();
    let m = v.as_object().unwrap();
    assert_eq!(m[0].key, "a😀");
    assert_eq!(&text[m[0].key_span.range()], "\"a😀\"");
    assert_eq!(m[0].value.as_str(), Some("x\"yé"));
    assert_eq!(&text[m[0].value.span.range()], "\"x\\\"y\\u00e9\"");
    assert_eq!(m[1].value.as_str(), Some("it’s"));
    assert_eq!(m[2].value.as_str(), Some("\u{1}"));
    assert_eq!(m[3].value.as_str(), Some("漢"));
    assert_eq!(&text[m[3].value.span.range()], "\"漢");
    assert_eq!(
        p.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec!["syntax/invalid-string", "syntax/unterminated-string"]
    );
}
