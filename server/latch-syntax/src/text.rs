//! [`Str`]: an immutable string that borrows from the text it was read from.
//!
//! The JSON parser copies a document's text once into an `Arc<str>`; every key, string
//! value and number that needs no unescaping is then a range of that shared text, not an
//! allocation of its own, and the policy model built from the tree shares the same text.
//! Cloning a `Str` bumps a reference count. Strings that had escapes resolved (or were
//! built by code) hold their own text. A `Str` reads as a `&str` (`Deref`), compares,
//! hashes, orders and prints (`Debug` included) exactly like the string it holds.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    /// `src[start..end]`; the range lies on character boundaries.
    Shared {
        src: Arc<str>,
        start: usize,
        end: usize,
    },
    Static(&'static str),
}

impl Str {
    /// The empty string, without an allocation.
    #[inline]
    pub const fn new() -> Str {
        Str(Repr::Static(""))
    }

    /// A string that needs no allocation.
    #[inline]
    pub const fn from_static(s: &'static str) -> Str {
        Str(Repr::Static(s))
    }

    /// `src[range]`, sharing `src`. Falls back to a copy of the empty string when the
    /// range is not a valid slice (never for ranges the lexer produces).
    #[inline(always)]
    pub fn slice(src: &Arc<str>, range: std::ops::Range<usize>) -> Str {
        if src.get(range.clone()).is_none() {
            return Str::new();
        }
        Str(Repr::Shared {
            src: Arc::clone(src),
            start: range.start,
            end: range.end,
        })
    }

    /// Like [`Str::slice`], but the words nearly every policy repeats (its keys, `Allow`,
    /// `Deny`, `*`, the version) are static strings instead: no reference to count when
    /// they are made, cloned or dropped.
    #[inline(always)]
    pub(crate) fn slice_or_word(src: &Arc<str>, range: std::ops::Range<usize>) -> Str {
        match src.get(range.clone()).and_then(policy_word) {
            Some(word) => Str(Repr::Static(word)),
            None => Str::slice(src, range),
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Shared { src, start, end } => src.get(*start..*end).unwrap_or(""),
            Repr::Static(s) => s,
        }
    }
}

/// `s` as a static string when it is one of the words policies repeat.
#[inline(always)]
fn policy_word(s: &str) -> Option<&'static str> {
    // A jump on length and first byte, then one comparison of known length.
    let word = |w: &'static str| (s == w).then_some(w);
    match (s.len(), *s.as_bytes().first()?) {
        (1, b'*') => Some("*"),
        (3, b'A') => word("AWS"),
        (3, b'S') => word("Sid"),
        (4, b'B') => word("Bool"),
        (4, b'D') => word("Deny"),
        (5, b'A') => word("Allow"),
        (6, b'A') => word("Action"),
        (6, b'E') => word("Effect"),
        (7, b'S') => word("Service"),
        (7, b'V') => word("Version"),
        (8, b'R') => word("Resource"),
        (9, b'C') => word("Condition"),
        (9, b'N') => word("NotAction"),
        (9, b'P') => word("Principal"),
        (9, b'S') => word("Statement"),
        (10, b'2') => word("2012-10-17"),
        (10, b'S') => word("StringLike"),
        (11, b'N') => word("NotResource"),
        (12, b'S') => word("StringEquals"),
        _ => None,
    }
}

impl Default for Str {
    #[inline]
    fn default() -> Str {
        Str::new()
    }
}

impl Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        if s.is_empty() {
            return Str::new();
        }
        let end = s.len();
        Str(Repr::Shared {
            src: Arc::from(s),
            start: 0,
            end,
        })
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        Str::from(s.to_string())
    }
}

impl From<&String> for Str {
    #[inline]
    fn from(s: &String) -> Str {
        Str::from(s.as_str())
    }
}

impl From<Str> for String {
    #[inline]
    fn from(s: Str) -> String {
        s.as_str().to_string()
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    #[inline]
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Str {
    #[inline]
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    #[inline]
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Str {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

/// Scanning bytes eight at a time, in a `u64` whose lowest byte is the first: the JSON
/// lexer's string and blank scans and the engine's ARN and pattern scans.
pub mod words {
    /// `0x01` in each byte.
    pub const ONES: u64 = 0x0101_0101_0101_0101;
    /// `0x80`, the high bit, in each byte.
    pub const HIGHS: u64 = 0x8080_8080_8080_8080;

    /// `b` in each of the eight bytes.
    #[inline]
    pub const fn splat(b: u8) -> u64 {
        ONES * b as u64
    }

    /// The eight bytes at `pos`, the first in the lowest byte; `None` when fewer are left.
    #[inline]
    pub fn word_at(bytes: &[u8], pos: usize) -> Option<u64> {
        let chunk: [u8; 8] = bytes.get(pos..pos + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(chunk))
    }

    /// The high bit of each byte of `w` that is zero. Above the lowest such byte the marks
    /// may be wrong (a borrow runs on), so only the lowest mark counts.
    #[inline]
    pub fn zero_bytes(w: u64) -> u64 {
        w.wrapping_sub(ONES) & !w & HIGHS
    }

    /// The index of the lowest marked byte of `marks` (8 when none is).
    #[inline]
    pub fn first_marked(marks: u64) -> usize {
        (marks.trailing_zeros() / 8) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_the_source_and_reads_like_a_string() {
        let src: Arc<str> = Arc::from("{\"公開\": \"s3:*\"}");
        let key = Str::slice(&src, 2..8);
        assert_eq!(key, "公開");
        assert_eq!(Arc::strong_count(&src), 2);
        let copy = key.clone();
        assert_eq!(Arc::strong_count(&src), 3);
        assert_eq!(format!("{copy:?} {copy}"), "\"公開\" 公開");
        assert_eq!(Str::from("公開".to_string()), key);
        // A range off a character boundary never panics.
        assert_eq!(Str::slice(&src, 3..8), "");
        assert_eq!(Str::from_static("Allow").len(), 5);
    }

    #[test]
    fn policy_words_are_static_and_other_strings_shared() {
        let text = "Effect Allow 2012-10-17 * Effecr StringLikes 公開 Deny";
        let src: Arc<str> = Arc::from(text);
        let mut kept = Vec::new();
        let mut offset = 0;
        for word in text.split(' ') {
            let s = Str::slice_or_word(&src, offset..offset + word.len());
            assert_eq!(s, word);
            kept.push(s);
            offset += word.len() + 1;
        }
        // `Effecr`, `StringLikes` and `公開` share the text; the policy words do not.
        let shared = kept.iter().filter(|s| matches!(s.0, Repr::Shared { .. }));
        assert_eq!(shared.count(), 3);
        assert_eq!(Arc::strong_count(&src), 4);
        // A range off a character boundary never panics.
        let cjk = text.find('公').unwrap_or_default();
        assert_eq!(Str::slice_or_word(&src, cjk + 1..cjk + 3), "");
    }
}
