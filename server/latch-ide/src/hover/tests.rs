//! Hover snapshots at JSON positions: each case marks the cursor with `|`.

use latch_syntax::json::parse;

use super::*;

fn render(marked: &str) -> String {
    let offset = marked.find('|').unwrap_or(0);
    let text = marked.replacen('|', "", 1);
    let Some(tree) = parse(&text).value else {
        return "no tree".into();
    };
    match hover(&text, &tree, offset) {
        Some(h) => format!("range {:?}\n{}", &text[h.range.range()], h.markdown),
        None => "no hover".into(),
    }
}

fn statement(body: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{body}]}}")
}

#[test]
fn action() {
    insta::assert_snapshot!(render(&statement(
        r#"{"Effect": "Allow", "Action": "s3:Get|Object"}"#
    )));
    insta::assert_snapshot!(
        "action_iam",
        render(&statement(
            r#"{"Effect": "Allow", "Action": ["iam:Pass|Role"]}"#
        ))
    );
    insta::assert_snapshot!(
        "action_typo",
        render(&statement(
            r#"{"Effect": "Allow", "Action": ["dyanmodb:Put|Item"]}"#
        ))
    );
}

#[test]
fn wildcard() {
    insta::assert_snapshot!(render(&statement(
        r#"{"Effect": "Allow", "Action": "s3:List*|"}"#
    )));
    insta::assert_snapshot!(
        "wildcard_nothing",
        render(&statement(r#"{"Effect": "Allow", "Action": "s3:Gett|*"}"#))
    );
}

#[test]
fn condition_key() {
    insta::assert_snapshot!(render(&statement(
        r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:Source|Vpce": "vpce-1"}}}"#
    )));
    insta::assert_snapshot!(
        "key_mfa",
        render(&statement(
            r#"{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactor|AuthPresent": "false"}}}"#
        ))
    );
    insta::assert_snapshot!(
        "key_tag",
        render(&statement(
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"s3:ExistingObjectTag/cla|ss": "public"}}}"#
        ))
    );
    insta::assert_snapshot!(
        "key_tagkeys",
        render(&statement(
            r#"{"Effect": "Allow", "Action": "s3:PutObjectTagging", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:Tag|Keys": ["a"]}}}"#
        ))
    );
    insta::assert_snapshot!(
        "key_always",
        render(&statement(
            r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:Secure|Transport": "false"}}}"#
        ))
    );
}

#[test]
fn operator() {
    insta::assert_snapshot!(render(&statement(
        r#"{"Effect": "Deny", "Condition": {"ForAnyValue:StringNot|Like": {"aws:TagKeys": "a"}}}"#
    )));
}

#[test]
fn arn() {
    insta::assert_snapshot!(render(&statement(
        r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports/|*"]}"#
    )));
    insta::assert_snapshot!(
        "service_principal",
        render(&statement(
            r#"{"Effect": "Allow", "Principal": {"Service": "cloudfront.amazon|aws.com"}}"#
        ))
    );
    insta::assert_snapshot!(
        "arn_principal",
        render(&statement(
            r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:ro|le/ops"}}"#
        ))
    );
}

#[test]
fn nothing_on_other_places() {
    assert_eq!(render(&statement(r#"{"Effect": "Al|low"}"#)), "no hover");
    assert_eq!(
        render(&statement(
            r#"{"Effect": "Allow", "Action": "s3:GetObject"}|"#
        )),
        "no hover"
    );
}
