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

/// Every place a finding points at or edits, with the file it lies in (`None`: the
/// finding's own file): its range, its related locations and its fixes' edits.
pub fn places(f: &Finding) -> impl Iterator<Item = (Option<&str>, Span)> {
    std::iter::once((None, f.range))
        .chain(f.related.iter().map(|r| (r.path.as_deref(), r.range)))
        .chain(
            f.fixes
                .iter()
                .flat_map(|x| &x.edits)
                .map(|e| (e.path.as_deref(), e.range)),
        )
}

/// Every place in its own file that a finding points at or edits: its range, its related
/// locations and its fixes' edits (those without a path of their own).
pub fn own_ranges<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Span> {
    findings
        .into_iter()
        .flat_map(places)
        .filter(|(path, _)| path.is_none())
        .map(|(_, range)| range)
        .collect()
}
