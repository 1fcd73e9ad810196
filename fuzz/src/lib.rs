//! What the fuzz targets share: the invariants every reader promises on any input.

use latch_syntax::Finding;
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

/// Every place in its own file that a finding points at or edits: its range, its related
/// locations and its fixes' edits (those without a path of their own).
pub fn own_ranges<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Span> {
    let mut out = Vec::new();
    for f in findings {
        out.push(f.range);
        out.extend(
            f.related
                .iter()
                .filter(|r| r.path.is_none())
                .map(|r| r.range),
        );
        out.extend(
            f.fixes
                .iter()
                .flat_map(|x| &x.edits)
                .filter(|e| e.path.is_none())
                .map(|e| e.range),
        );
    }
    out
}
