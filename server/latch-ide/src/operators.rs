//! Condition operator names, taken apart: the set prefix (`ForAllValues:`,
//! `ForAnyValue:`), the base operator and its family, the `IfExists` suffix, and whether
//! it is negated. Used by the catalogue checks, completion and hover, which need to know
//! what type of value an operator compares and what it does with an absent key.

use latch_syntax::catalog::ValueType;

/// What an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    /// `Null`: whether the key is present.
    Null,
}

impl Family {
    /// In words, for messages: `compares strings`.
    pub fn compares(self) -> &'static str {
        match self {
            Family::String => "compares strings",
            Family::Numeric => "compares numbers",
            Family::Date => "compares dates",
            Family::Bool => "compares booleans",
            Family::Binary => "compares base64 bytes",
            Family::IpAddress => "compares IP addresses",
            Family::Arn => "compares ARNs",
            Family::Null => "tests whether the key is present",
        }
    }

    /// Whether a key of type `ty` can sensibly be compared by this family. Tolerant where
    /// the catalogue's types are loose: any operator may test a `String` key, string
    /// operators may test ARNs, booleans and numbers, and ARN operators strings. What is
    /// left are the clear mistakes, such as a date compared as a string.
    pub fn fits(self, ty: ValueType) -> bool {
        use ValueType as V;
        match (self, ty) {
            (Family::Null, _) | (_, V::Other) | (_, V::String) => true,
            (Family::String, V::Date | V::IpAddress) => false,
            (Family::String, _) => true,
            (Family::Numeric, V::Numeric) => true,
            (Family::Date, V::Date) => true,
            // `aws:EpochTime` is documented as Date and compared with Numeric operators.
            (Family::Numeric, V::Date) => true,
            (Family::Bool, V::Bool) => true,
            (Family::Binary, V::Binary) => true,
            (Family::IpAddress, V::IpAddress) => true,
            (Family::Arn, V::Arn) => true,
            _ => false,
        }
    }

    /// The family that compares values of type `ty`, for suggestions.
    pub fn for_type(ty: ValueType) -> Option<Family> {
        match ty {
            ValueType::String => Some(Family::String),
            ValueType::Arn => Some(Family::Arn),
            ValueType::Bool => Some(Family::Bool),
            ValueType::Date => Some(Family::Date),
            ValueType::Numeric => Some(Family::Numeric),
            ValueType::IpAddress => Some(Family::IpAddress),
            ValueType::Binary => Some(Family::Binary),
            ValueType::Other => None,
        }
    }
}

/// Every base operator: name, family, negated.
pub const BASE_OPERATORS: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::String, false),
    ("StringNotEquals", Family::String, true),
    ("StringEqualsIgnoreCase", Family::String, false),
    ("StringNotEqualsIgnoreCase", Family::String, true),
    ("StringLike", Family::String, false),
    ("StringNotLike", Family::String, true),
    ("ArnEquals", Family::Arn, false),
    ("ArnLike", Family::Arn, false),
    ("ArnNotEquals", Family::Arn, true),
    ("ArnNotLike", Family::Arn, true),
    ("Bool", Family::Bool, false),
    ("IpAddress", Family::IpAddress, false),
    ("NotIpAddress", Family::IpAddress, true),
    ("NumericEquals", Family::Numeric, false),
    ("NumericNotEquals", Family::Numeric, true),
    ("NumericLessThan", Family::Numeric, false),
    ("NumericLessThanEquals", Family::Numeric, false),
    ("NumericGreaterThan", Family::Numeric, false),
    ("NumericGreaterThanEquals", Family::Numeric, false),
    ("DateEquals", Family::Date, false),
    ("DateNotEquals", Family::Date, true),
    ("DateLessThan", Family::Date, false),
    ("DateLessThanEquals", Family::Date, false),
    ("DateGreaterThan", Family::Date, false),
    ("DateGreaterThanEquals", Family::Date, false),
    ("BinaryEquals", Family::Binary, false),
    ("Null", Family::Null, false),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetPrefix {
    ForAllValues,
    ForAnyValue,
}

impl SetPrefix {
    pub fn as_str(self) -> &'static str {
        match self {
            SetPrefix::ForAllValues => "ForAllValues:",
            SetPrefix::ForAnyValue => "ForAnyValue:",
        }
    }
}

/// A condition operator as written, taken apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub set: Option<SetPrefix>,
    /// The canonical base name, e.g. `StringNotEquals`.
    pub base: &'static str,
    pub family: Family,
    pub negated: bool,
    pub if_exists: bool,
}

impl Operator {
    /// Reads `ForAnyValue:StringNotLikeIfExists` and the like, ignoring case. `None` for
    /// names AWS does not know.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = strip_prefix_ignore_case(name, "ForAllValues:")
            .map(|r| (Some(SetPrefix::ForAllValues), r))
            .or_else(|| {
                strip_prefix_ignore_case(name, "ForAnyValue:")
                    .map(|r| (Some(SetPrefix::ForAnyValue), r))
            })
            .unwrap_or((None, name));
        let find = |n: &str| {
            BASE_OPERATORS
                .iter()
                .find(|(b, _, _)| b.eq_ignore_ascii_case(n))
        };
        let (entry, if_exists) = match find(rest) {
            Some(e) => (e, false),
            None => {
                let cut = rest.len().checked_sub("IfExists".len())?;
                let (head, tail) = (rest.get(..cut)?, rest.get(cut..)?);
                if !tail.eq_ignore_ascii_case("IfExists") {
                    return None;
                }
                (find(head)?, true)
            }
        };
        let &(base, family, negated) = entry;
        if family == Family::Null && if_exists {
            return None;
        }
        Some(Operator {
            set,
            base,
            family,
            negated,
            if_exists,
        })
    }

    /// The operator written back, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn name(&self) -> String {
        format!(
            "{}{}{}",
            self.set.map_or("", SetPrefix::as_str),
            self.base,
            if self.if_exists { "IfExists" } else { "" }
        )
    }

    /// What the clause evaluates to when the request has no value for the key, in words.
    pub fn when_absent(&self) -> &'static str {
        if self.family == Family::Null {
            return "`Null` is the presence test itself: `\"true\"` matches an absent key";
        }
        match self.set {
            Some(SetPrefix::ForAllValues) => {
                "true: `ForAllValues:` holds for an absent or empty set of values"
            }
            Some(SetPrefix::ForAnyValue) => "false: `ForAnyValue:` needs at least one value",
            None if self.if_exists => "true: `IfExists` skips the test when the key is absent",
            None if self.negated => {
                "true: a negated operator matches when there is no value to compare"
            }
            None => "false: a positive operator never matches an absent key",
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operators() {
        let op = Operator::parse("ForAnyValue:StringNotLikeIfExists");
        assert_eq!(
            op,
            Some(Operator {
                set: Some(SetPrefix::ForAnyValue),
                base: "StringNotLike",
                family: Family::String,
                negated: true,
                if_exists: true,
            })
        );
        assert_eq!(
            Operator::parse("dateGreaterThan").map(|o| o.family),
            Some(Family::Date)
        );
        assert_eq!(Operator::parse("NullIfExists"), None);
        assert_eq!(Operator::parse("StringEqual"), None);
        assert_eq!(Operator::parse("IfExists"), None);
        assert_eq!(
            Operator::parse("BoolIfExists").map(|o| o.name()),
            Some("BoolIfExists".to_string())
        );
    }

    #[test]
    fn absent_keys() {
        let absent = |n: &str| Operator::parse(n).map(|o| o.when_absent());
        assert!(absent("StringEquals").is_some_and(|s| s.starts_with("false")));
        assert!(absent("StringNotEquals").is_some_and(|s| s.starts_with("true")));
        assert!(absent("StringEqualsIfExists").is_some_and(|s| s.starts_with("true")));
        assert!(absent("ForAllValues:StringEquals").is_some_and(|s| s.starts_with("true")));
        assert!(absent("ForAnyValue:StringEquals").is_some_and(|s| s.starts_with("false")));
    }

    #[test]
    fn families_fit_types() {
        assert!(!Family::String.fits(ValueType::Date));
        assert!(Family::String.fits(ValueType::Arn));
        assert!(Family::Arn.fits(ValueType::String));
        assert!(!Family::Date.fits(ValueType::Bool));
        assert!(Family::Numeric.fits(ValueType::Date));
        assert!(Family::Null.fits(ValueType::IpAddress));
    }
}
