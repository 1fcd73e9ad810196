//! Property test: random and mutated policies through the parser, the model builder and
//! every validator never panic, and every range and edit stays inside the text on
//! character boundaries.

use latch_ide::workspace::Workspace;
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    r#"{"Version": "2012-10-17", "Statement": [{"Sid": "読み取り😀", "Effect": "deny", "Principal": {"AWS": "arn:aws:iam::111122223333:role/r"}, "Action": ["s3:GetObject", "s3GetObject"], "Resource": "arn:aws:s3::bucket", "Condition": {"StringNotEqual": {"aws:SourceVpce": ["vpce-1"]}, "ForAllValues:StringEquals": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#,
    r#"{"Statement": {"Effect": "Allow", "NotPrincipal": "*", "NotAction": "iam:*", "NotResource": "${aws:username}", "Condition": {"Null": {"aws:TokenIssueTime": true}}}}"#,
    "{\n  \"Version\": \"2008-10-17\",\n  \"Statement\": [\n    {\"Effect\": “Allow”, \"Action\": \"s3:*\"\n     \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\",}\n  ]\n}",
];

fn check(text: &str) {
    let mut ws = Workspace::new();
    ws.set_file("p.json", text.as_bytes());
    let analysis = ws.analyze();
    for f in analysis.all() {
        assert!(
            f.range.start <= f.range.end && f.range.end <= text.len(),
            "{f:?}"
        );
        assert!(
            text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end),
            "{f:?}"
        );
        for e in f.fixes.iter().flat_map(|x| &x.edits) {
            assert!(
                e.range.end <= text.len()
                    && text.is_char_boundary(e.range.start)
                    && text.is_char_boundary(e.range.end),
                "{e:?}"
            );
        }
        assert!(!f.message.is_empty() && !f.message.ends_with('.'), "{f:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn mutated_policies(seed in 0usize..3, cut in 0usize..400, pos in 0usize..400, ins in "[{}\\[\\]:,\"“”'a-zA-Z0-9*$ \\n]{0,6}", del in 0usize..6) {
        let base = SEEDS[seed];
        let chars: Vec<char> = base.chars().collect();
        let cut = cut.min(chars.len());
        let pos = pos.min(cut);
        let mut out: String = chars[..pos].iter().collect();
        out.push_str(&ins);
        out.extend(chars[(pos + del).min(cut)..cut].iter());
        check(&out);
    }
}

/// The mutation of `SEEDS[seed]` that `mutated_policies` draws from its inputs.
fn mutate(seed: usize, cut: usize, pos: usize, ins: &str, del: usize) -> String {
    let chars: Vec<char> = SEEDS[seed].chars().collect();
    let cut = cut.min(chars.len());
    let pos = pos.min(cut);
    let mut out: String = chars[..pos].iter().collect();
    out.push_str(ins);
    out.extend(chars[(pos + del).min(cut)..cut].iter());
    out
}

/// Found by `mutated_policies`: a condition key opened by a typographic quote got a fix
/// whose edit started inside the three-byte quote.
#[test]
fn fix_for_a_key_in_typographic_quotes_stays_on_character_boundaries() {
    check(&mutate(1, 150, 150, "“]", 0));
}
