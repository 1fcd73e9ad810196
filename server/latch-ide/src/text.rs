//! "Did you mean" for element names, effects and operators, on the catalogue's edit
//! distance (`latch_syntax::catalog::suggest`), so every suggestion in Latch is ranked the
//! same way.

use latch_syntax::catalog::suggest::closest;

/// The candidate meant by `word`: the one equal to it ignoring case (a wrong case is the
/// commonest mistake), else the closest one within the catalogue's distance limit.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if let Some(c) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    closest(word, candidates).first().map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("deny", ["Allow", "Deny"]), Some("Deny"));
        assert_eq!(did_you_mean("Alow", ["Allow", "Deny"]), Some("Allow"));
        assert_eq!(did_you_mean("Permit", ["Allow", "Deny"]), None);
        assert_eq!(
            did_you_mean("StringEqual", ["StringEquals", "StringLike"]),
            Some("StringEquals")
        );
        assert_eq!(
            did_you_mean("Resources", ["Resource", "NotResource"]),
            Some("Resource")
        );
    }
}
