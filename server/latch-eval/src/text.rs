//! Policy text with variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}`. Variables are only substituted when the policy
//! says `"Version": "2012-10-17"`; otherwise `${...}` is literal text. A substituted value
//! is always literal: a `*` in a tag value is not a wildcard.

use crate::glob::Piece;
use crate::request::Context;

/// One part of a policy string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    Star,
    One,
    /// A variable; `key` is lower-cased.
    Var {
        key: String,
        default: Option<String>,
    },
    /// `${}` or another unreadable variable: it never resolves.
    Malformed,
}

/// Splits `text` into parts. `vars` enables variables, `wildcards` makes `*` and `?`
/// wildcards (String*Like, Arn*, Resource) rather than literal characters.
pub fn parse(text: &str, vars: bool, wildcards: bool) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if vars && rest.starts_with("${") {
            if let Some(close) = rest.find('}') {
                let inner = &rest[2..close];
                rest = &rest[close + 1..];
                match inner {
                    "*" | "?" | "$" => lit.push_str(inner),
                    _ => {
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit)));
                        }
                        parts.push(variable(inner));
                    }
                }
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        match c {
            '*' | '?' if wildcards => {
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(if c == '*' { Part::Star } else { Part::One });
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(lit));
    }
    parts
}

fn variable(inner: &str) -> Part {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            match d.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')) {
                Some(d) => (k.trim(), Some(d.to_string())),
                None => return Part::Malformed,
            }
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Part::Malformed;
    }
    Part::Var {
        key: key.to_ascii_lowercase(),
        default,
    }
}

/// Whether `text` contains `${`, the start of a variable or escape (a byte search; the
/// substring searcher costs more than the short strings of a policy).
pub fn has_variable(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .any(|(i, &c)| c == b'$' && b.get(i + 1) == Some(&b'{'))
}

/// Whether the parts contain a variable (and so must be resolved per request).
pub fn is_dynamic(parts: &[Part]) -> bool {
    parts
        .iter()
        .any(|p| matches!(p, Part::Var { .. } | Part::Malformed))
}

/// The parts as pattern pieces when they contain no variable.
pub fn static_pieces(parts: &[Part]) -> Vec<Piece> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Lit(s) => Some(Piece::Lit(s.clone())),
            Part::Star => Some(Piece::Star),
            Part::One => Some(Piece::One),
            Part::Var { .. } | Part::Malformed => None,
        })
        .collect()
}

/// The value of a variable in this request: its single non-empty value, else the default.
pub fn variable_value<'a>(
    ctx: &'a Context,
    key: &str,
    default: Option<&'a str>,
) -> Option<&'a str> {
    let single = ctx.lookup_lower(key).and_then(|vals| {
        let mut it = vals.iter();
        match (it.next(), it.next()) {
            (Some(v), None) if !v.is_empty() => Some(v),
            _ => None,
        }
    });
    single.or(default)
}

/// Substitutes every variable; `None` when one has no value and no default.
pub fn resolve(parts: &[Part], ctx: &Context) -> Option<Vec<Piece>> {
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        out.push(match p {
            Part::Lit(s) => Piece::Lit(s.clone()),
            Part::Star => Piece::Star,
            Part::One => Piece::One,
            Part::Var { key, default } => {
                Piece::Lit(variable_value(ctx, key, default.as_deref())?.to_string())
            }
            Part::Malformed => return None,
        });
    }
    Some(out)
}

/// Substitutes every variable into a plain string (for operators without wildcards).
pub fn resolve_string(parts: &[Part], ctx: &Context) -> Option<String> {
    let mut out = String::new();
    for p in parts {
        match p {
            Part::Lit(s) => out.push_str(s),
            Part::Star => out.push('*'),
            Part::One => out.push('?'),
            Part::Var { key, default } => {
                out.push_str(variable_value(ctx, key, default.as_deref())?)
            }
            Part::Malformed => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::Glob;

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(k, vec![v.to_string()]);
        }
        c
    }

    #[test]
    fn a_variable_starts_with_dollar_brace() {
        assert!(has_variable("a${b}"));
        assert!(has_variable("$${"));
        assert!(has_variable("é${"));
        assert!(!has_variable("a$"));
        assert!(!has_variable("a{$b"));
        assert!(!has_variable(""));
    }

    #[test]
    fn escapes_are_literal() {
        let parts = parse("home/${*}${?}${$}", true, true);
        assert_eq!(parts, vec![Part::Lit("home/*?$".into())]);
        assert!(!is_dynamic(&parts));
    }

    #[test]
    fn variables_and_defaults() {
        let parts = parse("b-${aws:PrincipalTag/team, 'company-wide'}/*", true, true);
        let g = |c: &Context| Glob::from_pieces(resolve(&parts, c).unwrap());
        assert!(g(&ctx(&[])).is_match("b-company-wide/x"));
        assert!(g(&ctx(&[("aws:principaltag/TEAM", "yellow")])).is_match("b-yellow/x"));
        assert!(!g(&ctx(&[("aws:principaltag/team", "yellow")])).is_match("b-company-wide/x"));
    }

    #[test]
    fn unresolved_and_malformed() {
        let parts = parse("${aws:username}", true, false);
        assert_eq!(resolve_string(&parts, &ctx(&[])), None);
        assert_eq!(resolve_string(&parts, &ctx(&[("aws:username", "")])), None);
        assert_eq!(resolve(&parse("${}", true, false), &ctx(&[])), None);
        assert_eq!(parse("${x", true, false), vec![Part::Lit("${x".into())]);
    }

    #[test]
    fn version_2008_keeps_variables_literal() {
        let parts = parse("${aws:username}/*", false, true);
        assert_eq!(
            parts,
            vec![Part::Lit("${aws:username}/".into()), Part::Star]
        );
    }

    #[test]
    fn substituted_star_is_literal() {
        let parts = parse("${aws:username}", true, true);
        let g = Glob::from_pieces(resolve(&parts, &ctx(&[("aws:username", "a*")])).unwrap());
        assert!(g.is_match("a*"));
        assert!(!g.is_match("ab"));
    }
}
