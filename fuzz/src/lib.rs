//! What the fuzz targets share: the invariants every reader promises on any input.

use latch_syntax::Span;

/// Every range lies inside `text`, on character boundaries (ranges are exact byte
/// offsets; an editor or a fix would otherwise land off the text or split a character).
pub fn assert_inside(text: &str, ranges: impl IntoIterator<Item = Span>, what: &str) {
    for r in ranges {
        assert!(
            r.start <= r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end),
            "{what}: range {r:?} outside a text of {} bytes or off a character boundary",
            text.len()
        );
    }
}
