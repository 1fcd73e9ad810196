//! ARN splitting. An ARN has six colon-separated fields; the last (the resource) keeps any
//! further colons. Splitting ignores colons inside `${...}` so that a pattern such as
//! `arn:aws:s3:::${aws:username}/*` keeps its variable whole.

use latch_syntax::text::words::{first_marked, splat, word_at, zero_bytes};

/// The six fields of an ARN, borrowed from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> ArnParts<'a> {
    pub fn fields(&self) -> [&'a str; 5] {
        [
            self.partition,
            self.service,
            self.region,
            self.account,
            self.resource,
        ]
    }
}

/// Splits `text` into its ARN fields; `None` when it does not start with `arn:` or has
/// fewer than six fields.
pub fn split_arn(text: &str) -> Option<ArnParts<'_>> {
    let rest = text.strip_prefix("arn:")?;
    let bytes = rest.as_bytes();
    let mut fields: [&str; 4] = [""; 4];
    let mut start = 0usize;
    for field in &mut fields {
        // The next `:` or `$`; a `$` may open a variable, whose colons do not count.
        let at = colon_or_dollar(bytes, start);
        match at.and_then(|i| Some((i, *bytes.get(i)?))) {
            Some((i, b':')) => {
                *field = rest.get(start..i)?;
                start = i + 1;
            }
            Some(_) => return split_arn_with_variables(rest),
            None => return None,
        }
    }
    Some(ArnParts {
        partition: fields[0],
        service: fields[1],
        region: fields[2],
        account: fields[3],
        resource: rest.get(start..)?,
    })
}

/// The index of the first `:` or `$` in `bytes` at or after `from`.
#[inline]
fn colon_or_dollar(bytes: &[u8], from: usize) -> Option<usize> {
    find_either(bytes, from, b':', b'$')
}

/// The index of the first `x` or `y` in `bytes` at or after `from`, eight bytes at a time
/// (ARN fields and patterns are short, but a dozen bytes each way adds up).
#[inline]
pub(crate) fn find_either(bytes: &[u8], from: usize, x: u8, y: u8) -> Option<usize> {
    let mut i = from;
    while let Some(w) = word_at(bytes, i) {
        let m = zero_bytes(w ^ splat(x)) | zero_bytes(w ^ splat(y));
        if m != 0 {
            return Some(i + first_marked(m));
        }
        i += 8;
    }
    let tail = bytes.get(i..)?;
    tail.iter().position(|&b| b == x || b == y).map(|p| i + p)
}

/// [`split_arn`] of a text (after `arn:`) that may hold `${...}` before its resource.
fn split_arn_with_variables(rest: &str) -> Option<ArnParts<'_>> {
    let mut fields: [&str; 4] = [""; 4];
    let mut start = 0usize;
    let mut n = 0usize;
    let mut depth = 0usize;
    let bytes = rest.as_bytes();
    let mut i = 0usize;
    while i < bytes.len() && n < 4 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                fields[n] = &rest[start..i];
                n += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if n < 4 {
        return None;
    }
    Some(ArnParts {
        partition: fields[0],
        service: fields[1],
        region: fields[2],
        account: fields[3],
        resource: &rest[start..],
    })
}

/// Whether `s` is a 12-digit account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_keeps_colons() {
        let p =
            split_arn("arn:aws:someservice:us-east-2:999999999999:store/abc:1:finance/x").unwrap();
        assert_eq!(p.service, "someservice");
        assert_eq!(p.account, "999999999999");
        assert_eq!(p.resource, "store/abc:1:finance/x");
    }

    #[test]
    fn variables_keep_their_colons() {
        let p = split_arn("arn:aws:s3:::${aws:username}/*").unwrap();
        assert_eq!(p.resource, "${aws:username}/*");
        let p = split_arn("arn:${AWS::Partition}:s3:::b").unwrap();
        assert_eq!(p.partition, "${AWS::Partition}");
        assert_eq!(p.service, "s3");
    }

    /// The fast path and the variable-aware one split alike.
    #[test]
    fn both_paths_agree() {
        for t in [
            "arn:aws:s3:::b/k",
            "arn:aws:iam::111122223333:role/a:b",
            "arn:aws:s3:::$x/${aws:username}",
            "arn:a$b:s3:::b",
            "arn::::",
            "arn:aws:s3:$::x",
            "arn:aws:kms:us-east-1:1:key/é",
        ] {
            let rest = &t[4..];
            assert_eq!(split_arn(t), split_arn_with_variables(rest), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_splits_as_the_careful_one(t in "arn:[a:${}é/]{0,16}") {
            proptest::prop_assert_eq!(split_arn(&t), split_arn_with_variables(&t[4..]));
        }

        #[test]
        fn long_fields_split_as_the_careful_one(t in "arn:[a-z0-9é日:$/{}-]{0,60}") {
            proptest::prop_assert_eq!(split_arn(&t), split_arn_with_variables(&t[4..]));
        }

        /// Eight bytes at a time finds what a byte at a time finds.
        #[test]
        fn colon_or_dollar_finds_the_first(t in "[a:$é\\x80-\\xff]{0,40}", from in 0usize..40) {
            let want = t
                .as_bytes()
                .get(from..)
                .and_then(|b| b.iter().position(|&c| c == b':' || c == b'$'))
                .map(|p| from + p);
            proptest::prop_assert_eq!(colon_or_dollar(t.as_bytes(), from), want);
        }
    }

    #[test]
    fn too_few_fields() {
        assert_eq!(split_arn("arn:aws:s3"), None);
        assert_eq!(split_arn("*"), None);
        assert!(split_arn("arn:aws:s3:::").is_some());
    }
}
