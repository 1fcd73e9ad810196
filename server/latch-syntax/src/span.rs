//! Byte ranges into the host file, and values that carry one.
//!
//! Spans ride along in every model but never count for equality: two policies that say the
//! same thing are equal wherever they were written.

use std::fmt;

/// A half-open byte range `[start, end)` into the text of the file that holds the value.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`, where an insertion goes.
    pub const fn empty(offset: usize) -> Span {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// The smallest span that covers both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Like [`Span::contains`], but also true at the end offset: a cursor right after a
    /// token still touches it.
    pub fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Moves the span by `delta` bytes, for text that was parsed out of a larger file.
    pub fn shift(self, delta: usize) -> Span {
        Span {
            start: self.start + delta,
            end: self.end + delta,
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The span clamped to `text` and widened to whole characters: its start moves back
    /// and its end forward to the nearest character boundary. For spans mapped back
    /// through decoded text, where a byte can stand for part of a longer character.
    pub fn on_chars(self, text: &str) -> Span {
        let mut start = self.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = self.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span { start, end }
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Span {
        Span {
            start: r.start,
            end: r.end,
        }
    }
}

/// A value and the span of the text it was read from. Equality and hashing look at the
/// value only.
#[derive(Clone, Default)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
        }
    }

    pub fn as_ref(&self) -> Spanned<&T> {
        Spanned {
            value: &self.value,
            span: self.span,
        }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Spanned<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} @ {:?}", self.value, self.span)
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_do_not_count_for_equality() {
        assert_eq!(
            Spanned::new("Allow", Span::new(0, 7)),
            Spanned::new("Allow", Span::new(40, 47))
        );
        assert_ne!(
            Spanned::new("Allow", Span::new(0, 7)),
            Spanned::new("Deny", Span::new(0, 7))
        );
    }

    #[test]
    fn cover_and_touch() {
        let a = Span::new(3, 5);
        assert_eq!(a.cover(Span::new(10, 12)), Span::new(3, 12));
        assert!(a.touches(5));
        assert!(!a.contains(5));
        assert_eq!(a.shift(10), Span::new(13, 15));
    }

    #[test]
    fn on_chars_widens_to_whole_characters_inside_the_text() {
        // `a` 0, `日` 1..4, `😀` 4..8, `é` 8..10.
        let text = "a日😀é";
        let on = |s: usize, e: usize| Span::new(s, e).on_chars(text);
        assert_eq!(on(0, 1), Span::new(0, 1));
        assert_eq!(on(2, 3), Span::new(1, 4));
        assert_eq!(on(2, 5), Span::new(1, 8));
        assert_eq!(on(9, 9), Span::new(8, 10));
        assert_eq!(on(6, 40), Span::new(4, 10));
        assert_eq!(on(40, 50), Span::empty(10));
    }
}
