//! Matching for the catalogue: IAM wildcards against action names, templated condition keys
//! (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) against the keys people write,
//! and ARN patterns from policies against the ARN templates of resource types.
//!
//! ARN matching asks whether some ARN exists that both the policy's pattern and the
//! template describe. It over-approximates on purpose: a policy variable counts as `*`, and
//! so a check built on it can only miss a mismatch, never invent one.

/// Whether `pattern` (IAM wildcards `*` and `?`) matches `text`, ignoring ASCII case, as
/// AWS compares action names.
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || c.eq_ignore_ascii_case(&t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

/// Whether a name holds an IAM wildcard (`*` or `?`).
pub fn is_wildcard(name: &str) -> bool {
    name.contains(['*', '?'])
}

/// Whether a condition key name holds a placeholder (`${TagKey}` or `<key>`).
pub fn is_template(key: &str) -> bool {
    key.contains("${") || key.contains('<')
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Lit(u8),
    /// `?`: one character.
    One,
    /// `*` in a pattern, or a placeholder in a template: any run of characters. `no_slash`
    /// keeps a placeholder inside one path segment.
    Any {
        no_slash: bool,
    },
}

/// Placeholders whose values AWS forbids to contain `/`: an S3 bucket name, a DynamoDB
/// table name. Every other placeholder may stand for a path (`log-group:/aws/lambda/x`,
/// `role/path/name`, an ECR repository `team/app`), so it matches `/` too; that can only
/// make a match more likely, never invent a mismatch.
const NO_SLASH_PLACEHOLDERS: &[&str] = &["BucketName", "TableName"];

/// Template tokens: `${...}` and `<...>` become placeholders, the rest literal (lower-cased
/// when `fold` is set).
fn template_tokens(template: &str, fold: bool) -> Vec<Tok> {
    let b = template.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let (open, close) = match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => (2, b'}'),
            b'<' => (1, b'>'),
            _ => (0, 0),
        };
        if close != 0 {
            if let Some(end) = b[i..].iter().position(|&c| c == close) {
                let name = template.get(i + open..i + end).unwrap_or("");
                out.push(Tok::Any {
                    no_slash: NO_SLASH_PLACEHOLDERS.contains(&name),
                });
                i += end + 1;
                continue;
            }
        }
        out.push(Tok::Lit(if fold {
            b[i].to_ascii_lowercase()
        } else {
            b[i]
        }));
        i += 1;
    }
    out
}

/// Policy pattern tokens: `*`, `?`, and policy variables `${...}` (as `*`).
fn pattern_tokens(pattern: &str, fold: bool) -> Vec<Tok> {
    let b = pattern.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'*' => out.push(Tok::Any { no_slash: false }),
            b'?' => out.push(Tok::One),
            b'$' if b.get(i + 1) == Some(&b'{') => {
                if let Some(end) = b[i..].iter().position(|&c| c == b'}') {
                    out.push(Tok::Any { no_slash: false });
                    i += end + 1;
                    continue;
                }
                out.push(Tok::Lit(b'$'));
            }
            c => out.push(Tok::Lit(if fold { c.to_ascii_lowercase() } else { c })),
        }
        i += 1;
    }
    out
}

/// Whether some string is described by both token lists: a search over pairs of
/// positions, linear in the product of their lengths.
fn intersects(a: &[Tok], b: &[Tok]) -> bool {
    let (la, lb) = (a.len(), b.len());
    let width = lb + 1;
    let mut seen = vec![false; (la + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let slot = i * width + j;
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        if i == la && j == lb {
            return true;
        }
        let ta = a.get(i).copied();
        let tb = b.get(j).copied();
        // A run may end without consuming anything.
        if let Some(Tok::Any { .. }) = ta {
            stack.push((i + 1, j));
        }
        if let Some(Tok::Any { .. }) = tb {
            stack.push((i, j + 1));
        }
        // Or both sides produce one common character.
        let (Some(ta), Some(tb)) = (ta, tb) else {
            continue;
        };
        let compatible = match (ta, tb) {
            (Tok::Lit(x), Tok::Lit(y)) => x == y,
            (Tok::Lit(x), Tok::Any { no_slash }) | (Tok::Any { no_slash }, Tok::Lit(x)) => {
                !(no_slash && x == b'/')
            }
            _ => true,
        };
        if !compatible {
            continue;
        }
        let ni = if matches!(ta, Tok::Any { .. }) {
            i
        } else {
            i + 1
        };
        let nj = if matches!(tb, Tok::Any { .. }) {
            j
        } else {
            j + 1
        };
        if (ni, nj) != (i, j) {
            stack.push((ni, nj));
        }
    }
    false
}

/// Whether the condition key `key` (as written in a policy) is an instance of `template`
/// (`aws:RequestTag/${TagKey}` matches `aws:requesttag/Project`). Keys are compared
/// ignoring case, as AWS does. Wildcards in `key` are literal: condition keys have none.
pub fn key_matches_template(template: &str, key: &str) -> bool {
    let t = template_tokens(template, true);
    let k: Vec<Tok> = key
        .bytes()
        .map(|c| Tok::Lit(c.to_ascii_lowercase()))
        .collect();
    // A placeholder stands for at least one character: `aws:RequestTag/` alone is no key.
    let mut with_min = Vec::with_capacity(t.len() + 2);
    for tok in t {
        if let Tok::Any { .. } = tok {
            with_min.push(Tok::One);
        }
        with_min.push(tok);
    }
    intersects(&with_min, &k)
}

/// Splits an ARN (or ARN pattern, or template) into its six fields, keeping `${...}` whole
/// even when it holds a colon. `None` when it is not `arn:` with six fields.
pub fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    if !arn.starts_with("arn:") {
        return None;
    }
    let b = arn.as_bytes();
    let mut out = [""; 6];
    let mut start = 0;
    let mut n = 0;
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() && n < 5 {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                out[n] = &arn[start..i];
                n += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if n < 5 {
        return None;
    }
    out[5] = &arn[start..];
    Some(out)
}

/// Whether the policy ARN pattern `arn` (wildcards, policy variables) and the resource
/// type's ARN `template` can describe the same resource. `None` when `arn` is not an ARN.
///
/// Field by field; a bucket or table name placeholder stays inside one path segment (so
/// `${BucketName}` is not `bucket/key`), every other placeholder may span several.
pub fn arn_matches_template(template: &str, arn: &str) -> Option<bool> {
    let a = arn_fields(arn)?;
    let Some(t) = arn_fields(template) else {
        return Some(false);
    };
    for i in 0..6 {
        if !field_intersects(t[i], a[i]) {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether one field of a template and one of a policy pattern can describe the same text:
/// the common shapes (a whole-field placeholder, two literals) without building tokens,
/// the rest by [`intersects`]. Same answers as the token search (a test checks).
fn field_intersects(template: &str, pattern: &str) -> bool {
    let variables = pattern.contains("${");
    let pattern_literal = !pattern.contains(['*', '?']) && !variables;
    if let Some(name) = template
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .filter(|n| !n.contains(['}', '$', '<']))
    {
        // One placeholder for the whole field: any text, or any text without `/`, which a
        // pattern can produce unless it holds a literal `/` (a policy variable may hold
        // one in its name: the token search decides those).
        if !NO_SLASH_PLACEHOLDERS.contains(&name) {
            return true;
        }
        if !variables {
            return !pattern.contains('/');
        }
    }
    if pattern_literal && !template.contains("${") && !template.contains('<') {
        return template == pattern;
    }
    intersects(
        &pattern_tokens(pattern, false),
        &template_tokens(template, false),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_group_names_may_hold_slashes() {
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        assert_eq!(
            arn_matches_template(
                stream,
                "arn:aws:logs:us-east-1:123456789012:log-group:/app/*"
            ),
            Some(true)
        );
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert_eq!(
            arn_matches_template(bucket, "arn:aws:s3:::b/*"),
            Some(false)
        );
    }

    #[test]
    fn field_shortcuts_agree_with_the_token_search() {
        let templates = [
            "${Partition}",
            "${BucketName}",
            "${BucketName}/${ObjectName}",
            "s3",
            "",
            "${Region}",
            "accesspoint/${AccessPointName}",
            "<region>",
            "${TableName}",
        ];
        let patterns = [
            "aws",
            "",
            "*",
            "b",
            "b/*",
            "b/k",
            "s3",
            "s?",
            "${aws:username}",
            "a/b",
            "us-east-1",
            "*/x",
            "accesspoint/ap",
            "/",
            "${x",
            "$",
            "${aws:PrincipalTag/DomainBucketName}",
            "${aws:username}/x",
        ];
        for t in templates {
            for p in patterns {
                let slow = intersects(&pattern_tokens(p, false), &template_tokens(t, false));
                assert_eq!(field_intersects(t, p), slow, "{t} vs {p}");
            }
        }
    }

    #[test]
    fn wildcards_ignore_case() {
        assert!(wildcard_match_ignore_case("Get*", "GetObject"));
        assert!(wildcard_match_ignore_case("get*", "GetObject"));
        assert!(wildcard_match_ignore_case("*Object", "GetObject"));
        assert!(wildcard_match_ignore_case("G?tObject", "GetObject"));
        assert!(!wildcard_match_ignore_case("Put*", "GetObject"));
        assert!(!wildcard_match_ignore_case("GetObject", "GetObjectAcl"));
        assert!(wildcard_match_ignore_case("*", ""));
    }

    #[test]
    fn templated_keys() {
        assert!(key_matches_template(
            "aws:RequestTag/${TagKey}",
            "aws:requesttag/Project"
        ));
        assert!(key_matches_template(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/classification"
        ));
        assert!(!key_matches_template(
            "aws:RequestTag/${TagKey}",
            "aws:RequestTag/"
        ));
        assert!(!key_matches_template(
            "aws:RequestTag/${TagKey}",
            "aws:TagKeys"
        ));
        assert!(key_matches_template(
            "kms:EncryptionContext:${EncryptionContextKey}",
            "kms:EncryptionContext:aws:s3:arn"
        ));
    }

    #[test]
    fn arn_fields_keep_variables_whole() {
        assert_eq!(
            arn_fields("arn:${AWS::Partition}:s3:::b/k"),
            Some(["arn", "${AWS::Partition}", "s3", "", "", "b/k"])
        );
        assert_eq!(arn_fields("arn:aws:s3"), None);
        assert_eq!(arn_fields("*"), None);
    }

    #[test]
    fn buckets_and_objects() {
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        assert_eq!(arn_matches_template(bucket, "arn:aws:s3:::b"), Some(true));
        assert_eq!(
            arn_matches_template(bucket, "arn:aws:s3:::b/*"),
            Some(false)
        );
        assert_eq!(arn_matches_template(object, "arn:aws:s3:::b/*"), Some(true));
        assert_eq!(arn_matches_template(object, "arn:aws:s3:::b"), Some(false));
        // A star may stand for `b/k`, so it covers objects too.
        assert_eq!(arn_matches_template(object, "arn:aws:s3:::*"), Some(true));
        assert_eq!(arn_matches_template(bucket, "arn:aws:s3:::*"), Some(true));
        assert_eq!(
            arn_matches_template(object, "arn:aws:s3:::home/${aws:username}/*"),
            Some(true)
        );
        assert_eq!(arn_matches_template(bucket, "arn:aws:kms:::b"), Some(false));
        assert_eq!(arn_matches_template(bucket, "not an arn"), None);
    }

    #[test]
    fn names_with_slashes() {
        let group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        assert_eq!(
            arn_matches_template(group, "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f"),
            Some(true)
        );
        let repo = "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}";
        assert_eq!(
            arn_matches_template(repo, "arn:aws:ecr:us-east-1:1:repository/team/app"),
            Some(true)
        );
        let table = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";
        assert_eq!(
            arn_matches_template(table, "arn:aws:dynamodb:us-east-1:1:table/t/index/i"),
            Some(false)
        );
    }

    #[test]
    fn roles_with_paths() {
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert_eq!(
            arn_matches_template(role, "arn:aws:iam::123456789012:role/a/b/c"),
            Some(true)
        );
        assert_eq!(
            arn_matches_template(role, "arn:aws:iam::123456789012:user/a"),
            Some(false)
        );
    }

    proptest::proptest! {
        #[test]
        fn matching_never_panics(t in "\\PC{0,40}", a in "\\PC{0,40}") {
            let _ = arn_matches_template(&t, &a);
            let _ = key_matches_template(&t, &a);
            let _ = wildcard_match_ignore_case(&t, &a);
        }

        #[test]
        fn a_pattern_matches_itself_literally(s in "[a-z0-9/:-]{0,30}") {
            let arn = format!("arn:aws:s3:::{s}");
            proptest::prop_assert_eq!(arn_matches_template(&arn, &arn), Some(true));
        }
    }
}
