//! IAM wildcard patterns: `*` matches any run of characters (including none, `/` and `:`),
//! `?` matches exactly one character, everything else is literal. There are no escapes and
//! no character classes; a literal `*` can only come from the `${*}` variable, which is
//! why a pattern is a list of pieces rather than a string.

/// One piece of a compiled pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    Star,
    One,
}

/// A compiled wildcard pattern with fast paths for the common shapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Glob {
    /// `*`: matches everything.
    Any,
    /// No wildcard at all.
    Exact(String),
    /// `prefix*`.
    Prefix(String),
    /// Anything else.
    Pieces(Vec<Piece>),
}

impl Glob {
    /// Compiles `pattern`, treating `*` and `?` as wildcards.
    pub fn new(pattern: &str) -> Glob {
        // The common shapes without building pieces: no wildcard, `*`, `prefix*`.
        match Shape::of(pattern) {
            Shape::Any => Glob::Any,
            Shape::Exact => Glob::Exact(pattern.to_string()),
            Shape::Prefix(n) => Glob::Prefix(pattern.get(..n).unwrap_or_default().to_string()),
            Shape::Pieces(pieces) => Glob::Pieces(pieces),
        }
    }

    /// Builds the fastest form for a list of pieces. Adjacent literals are merged first.
    pub fn from_pieces(pieces: Vec<Piece>) -> Glob {
        let pieces = merge(pieces);
        match pieces.as_slice() {
            [] => Glob::Exact(String::new()),
            [Piece::Star] => Glob::Any,
            [Piece::Lit(s)] => Glob::Exact(s.clone()),
            [Piece::Lit(s), Piece::Star] => Glob::Prefix(s.clone()),
            _ => Glob::Pieces(pieces),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Glob::Any => true,
            Glob::Exact(s) => s == text,
            Glob::Prefix(p) => text.starts_with(p.as_str()),
            Glob::Pieces(pieces) => match_pieces(pieces, text),
        }
    }

    /// Whether the pattern contains a wildcard.
    pub fn has_wildcard(&self) -> bool {
        !matches!(self, Glob::Exact(_))
    }
}

/// The shape of a pattern whose text is kept by its owner (a policy's shared text): the
/// same fast paths as [`Glob`] without a copy of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Any,
    /// The whole text, no wildcard.
    Exact,
    /// The first `n` bytes of the text, then only `*`.
    Prefix(usize),
    Pieces(Vec<Piece>),
}

impl Shape {
    /// The shape of `pattern`; matches what [`Glob::new`] would.
    pub fn of(pattern: &str) -> Shape {
        let bytes = pattern.as_bytes();
        match crate::arn::find_either(bytes, 0, b'*', b'?') {
            None => Shape::Exact,
            Some(i) if bytes[i..].iter().all(|&b| b == b'*') => {
                if i == 0 {
                    Shape::Any
                } else {
                    Shape::Prefix(i)
                }
            }
            Some(_) => Shape::Pieces(merge(split_wildcards(pattern))),
        }
    }

    /// Whether `text`, the pattern this shape was made of, matches `value` (the
    /// engine matches ARN fields by their spans; the tests check shapes with it).
    #[cfg(test)]
    pub fn is_match(&self, text: &str, value: &str) -> bool {
        match self {
            Shape::Any => true,
            Shape::Exact => text == value,
            Shape::Prefix(n) => text
                .as_bytes()
                .get(..*n)
                .is_some_and(|p| value.as_bytes().starts_with(p)),
            Shape::Pieces(pieces) => match_pieces(pieces, value),
        }
    }

    /// [`Shape::is_match`] without regard to ASCII case, for a lower-cased `value`; a
    /// `Pieces` shape must have been made of the lower-cased text.
    pub fn is_match_lower(&self, text: &str, value_lower: &str) -> bool {
        match self {
            Shape::Any => true,
            Shape::Exact => eq_lower(text.as_bytes(), value_lower.as_bytes()),
            Shape::Prefix(n) => match (text.as_bytes().get(..*n), value_lower.as_bytes().get(..*n))
            {
                (Some(p), Some(v)) => eq_lower(p, v),
                _ => false,
            },
            Shape::Pieces(pieces) => match_pieces(pieces, value_lower),
        }
    }
}

/// Whether `text` ASCII-lower-cased is `lower`: for a `lower` without ASCII capitals, what
/// `text.eq_ignore_ascii_case(lower)` says, eight bytes at a time.
pub(crate) fn eq_lower(text: &[u8], lower: &[u8]) -> bool {
    use latch_syntax::text::words::{HIGHS, splat};
    /// The eight bytes of `w` with ASCII capitals lower-cased.
    fn lower8(w: u64) -> u64 {
        let b = w & !HIGHS;
        // Per byte, no carry out: `b` is below 0x80.
        let ge_a = b + splat(0x80 - b'A');
        let gt_z = b + splat(0x80 - b'Z' - 1);
        let upper = ge_a & !gt_z & !w & HIGHS;
        w | (upper >> 2)
    }
    if text.len() != lower.len() {
        return false;
    }
    let mut t = text.chunks_exact(8);
    let mut l = lower.chunks_exact(8);
    for (a, b) in t.by_ref().zip(l.by_ref()) {
        let (mut wa, mut wb) = ([0u8; 8], [0u8; 8]);
        wa.copy_from_slice(a);
        wb.copy_from_slice(b);
        if lower8(u64::from_le_bytes(wa)) != u64::from_le_bytes(wb) {
            return false;
        }
    }
    t.remainder()
        .iter()
        .zip(l.remainder())
        .all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// Splits a pattern into literal runs and wildcards.
pub fn split_wildcards(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut lit = String::new();
    for c in pattern.chars() {
        match c {
            '*' | '?' => {
                if !lit.is_empty() {
                    pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                pieces.push(if c == '*' { Piece::Star } else { Piece::One });
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        pieces.push(Piece::Lit(lit));
    }
    pieces
}

fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        match (out.last_mut(), p) {
            (Some(Piece::Lit(a)), Piece::Lit(b)) => a.push_str(&b),
            // `**` means the same as `*`.
            (Some(Piece::Star), Piece::Star) => {}
            (_, Piece::Lit(b)) if b.is_empty() => {}
            (_, p) => out.push(p),
        }
    }
    out
}

fn char_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

/// Greedy matching with backtracking to the last star, which is enough for patterns
/// without character classes.
pub fn match_pieces(pieces: &[Piece], text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if p < pieces.len() {
            match &pieces[p] {
                Piece::Star => {
                    star = Some((p + 1, t));
                    p += 1;
                    continue;
                }
                Piece::One if t < bytes.len() => {
                    t += char_len(text, t);
                    p += 1;
                    continue;
                }
                Piece::Lit(l) if bytes[t..].starts_with(l.as_bytes()) => {
                    t += l.len();
                    p += 1;
                    continue;
                }
                _ => {}
            }
        } else if t == bytes.len() {
            return true;
        }
        match star {
            Some((sp, st)) if st < bytes.len() => {
                let nt = st + char_len(text, st);
                star = Some((sp, nt));
                p = sp;
                t = nt;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Eight bytes at a time, as `eq_ignore_ascii_case` against lower-cased text.
        #[test]
        fn eq_lower_is_eq_ignore_ascii_case(
            a in "[a-zA-Z@\\[`{:/*é日\\x7f-\\xff]{0,30}",
            b in "[a-zA-Z@\\[`{:/*é日\\x7f-\\xff]{0,30}",
        ) {
            let lower = b.to_ascii_lowercase();
            proptest::prop_assert_eq!(
                eq_lower(a.as_bytes(), lower.as_bytes()),
                a.eq_ignore_ascii_case(&lower)
            );
            let same = a.to_ascii_lowercase();
            proptest::prop_assert!(eq_lower(a.as_bytes(), same.as_bytes()));
        }
    }
    use proptest::prelude::*;

    #[test]
    fn star_spans_slashes_and_may_be_empty() {
        let g = Glob::new("arn:aws:s3:::b/*/test/*");
        assert!(g.is_match("arn:aws:s3:::b//test/o.jpg"));
        assert!(g.is_match("arn:aws:s3:::b/1/2/3/test/4/o.jpg"));
        assert!(!g.is_match("arn:aws:s3:::b/test/o.jpg"));
        assert!(!g.is_match("arn:aws:s3:::b/1-test/o.jpg"));
    }

    #[test]
    fn question_mark_is_one_character_even_multibyte() {
        let g = Glob::new("a?c");
        assert!(g.is_match("abc"));
        assert!(g.is_match("aéc"));
        assert!(!g.is_match("ac"));
        assert!(!g.is_match("abbc"));
    }

    #[test]
    fn fast_paths() {
        assert_eq!(Glob::new("*"), Glob::Any);
        assert_eq!(Glob::new("**"), Glob::Any);
        assert_eq!(Glob::new("s3:get*"), Glob::Prefix("s3:get".into()));
        assert!(Glob::new("iam:*report").is_match("iam:getorganizationsaccessreport"));
        assert!(!Glob::new("iam:*report").is_match("iam:getuser"));
    }

    #[test]
    fn literal_star_piece_is_not_a_wildcard() {
        let pieces = vec![Piece::Lit("home/".into()), Piece::Lit("*".into())];
        let g = Glob::from_pieces(pieces);
        assert!(g.is_match("home/*"));
        assert!(!g.is_match("home/x"));
    }

    fn naive(p: &[char], t: &[char]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (None, Some(_)) => false,
            (Some('*'), _) => naive(&p[1..], t) || (!t.is_empty() && naive(p, &t[1..])),
            (Some('?'), Some(_)) => naive(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => naive(&p[1..], &t[1..]),
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn agrees_with_a_naive_matcher(p in "[ab*?/]{0,8}", t in "[ab*/]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Glob::new(&p).is_match(&t), naive(&pc, &tc));
        }

        /// A shape matches what the glob of the same text matches.
        #[test]
        fn shapes_match_as_globs(p in "[aB*?/]{0,6}", t in "[abB/]{0,8}") {
            prop_assert_eq!(Shape::of(&p).is_match(&p, &t), Glob::new(&p).is_match(&t));
            let lower = t.to_ascii_lowercase();
            let shape = match Shape::of(&p) {
                Shape::Pieces(_) => Shape::of(&p.to_ascii_lowercase()),
                s => s,
            };
            prop_assert_eq!(
                shape.is_match_lower(&p, &lower),
                Glob::new(&p.to_ascii_lowercase()).is_match(&lower)
            );
        }

        /// The shortcuts of `Glob::new` build what the pieces would.
        #[test]
        fn shortcuts_equal_the_pieces(p in "[aé*?/]{0,6}") {
            prop_assert_eq!(Glob::new(&p), Glob::from_pieces(split_wildcards(&p)));
        }
    }
}
