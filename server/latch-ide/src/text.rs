//! Small text helpers shared by the checks: edit distance for "did you mean" fixes.

/// The Levenshtein distance between `a` and `b`, counting characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word` (case-insensitively first, then by edit distance), if
/// it is close enough to be what was meant.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        if c.to_ascii_lowercase() == lower {
            return Some(c);
        }
        let d = edit_distance(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    let (c, d) = best?;
    let limit = (word.chars().count() / 3).clamp(1, 3);
    (d <= limit).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("deny", ["Allow", "Deny"]), Some("Deny"));
        assert_eq!(did_you_mean("Alow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(did_you_mean("Permit", ["Allow", "Deny"]), None);
        assert_eq!(
            did_you_mean("StringEqual", ["StringEquals", "StringLike"]),
            Some("StringEquals")
        );
    }
}
