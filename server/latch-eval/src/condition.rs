//! Condition operators. A clause is one `operator: { key: values }` pair; the engine
//! compiles the operator name once and the values once (variables aside), then evaluates
//! the clause against the request context.
//!
//! Rules (docs/aws-rules.md §5): several values of one key are ORed, except for negated
//! operators, which mean "matches none of them"; an absent key makes positive operators
//! false and negated operators true; `...IfExists` makes an absent key true; `Null` tests
//! presence; `ForAllValues:` is true for an absent or empty key, `ForAnyValue:` false; a
//! multi-valued key without a set prefix is treated like `ForAnyValue:`. An empty string
//! value counts as absent. Unresolvable variables never match, so a negated operator
//! over them is true.

use std::net::IpAddr;

use base64::Engine as _;
use ipnet::IpNet;
use time::OffsetDateTime;
use time::format_description::well_known::{Iso8601, Rfc3339};

use latch_syntax::text::Str;

use crate::arn::split_arn;
use crate::glob::Glob;
use crate::request::{Context, Values};
use crate::text::{self, Part};

/// Comparison of numbers and dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Cmp::Eq => o == Equal,
            Cmp::Lt => o == Less,
            Cmp::Le => o != Greater,
            Cmp::Gt => o == Greater,
            Cmp::Ge => o != Less,
        }
    }
}

/// What an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    ForAllValues,
    ForAnyValue,
}

/// A parsed operator name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub family: Family,
    pub negated: bool,
    pub if_exists: bool,
    pub set: Option<SetOp>,
}

impl Operator {
    /// Parses an operator such as `ForAnyValue:StringNotLikeIfExists`. Names are matched
    /// without regard to case; `None` for an unknown operator.
    pub fn parse(name: &str) -> Option<Operator> {
        // Lower-cased on the stack; no operator name is longer than 46 bytes.
        let mut buf = [0u8; 64];
        let lower = buf.get_mut(..name.len())?;
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        let lower: &[u8] = lower;
        let (set, rest) = if let Some(r) = lower.strip_prefix(b"forallvalues:") {
            (Some(SetOp::ForAllValues), r)
        } else if let Some(r) = lower.strip_prefix(b"foranyvalue:") {
            (Some(SetOp::ForAnyValue), r)
        } else {
            (None, lower)
        };
        let (if_exists, base) = match rest.strip_suffix(b"ifexists") {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let (family, negated) = match base {
            b"stringequals" => (Family::StringEquals, false),
            b"stringnotequals" => (Family::StringEquals, true),
            b"stringequalsignorecase" => (Family::StringEqualsIgnoreCase, false),
            b"stringnotequalsignorecase" => (Family::StringEqualsIgnoreCase, true),
            b"stringlike" => (Family::StringLike, false),
            b"stringnotlike" => (Family::StringLike, true),
            b"numericequals" => (Family::Numeric(Cmp::Eq), false),
            b"numericnotequals" => (Family::Numeric(Cmp::Eq), true),
            b"numericlessthan" => (Family::Numeric(Cmp::Lt), false),
            b"numericlessthanequals" => (Family::Numeric(Cmp::Le), false),
            b"numericgreaterthan" => (Family::Numeric(Cmp::Gt), false),
            b"numericgreaterthanequals" => (Family::Numeric(Cmp::Ge), false),
            b"dateequals" => (Family::Date(Cmp::Eq), false),
            b"datenotequals" => (Family::Date(Cmp::Eq), true),
            b"datelessthan" => (Family::Date(Cmp::Lt), false),
            b"datelessthanequals" => (Family::Date(Cmp::Le), false),
            b"dategreaterthan" => (Family::Date(Cmp::Gt), false),
            b"dategreaterthanequals" => (Family::Date(Cmp::Ge), false),
            b"bool" => (Family::Bool, false),
            b"binaryequals" => (Family::Binary, false),
            b"ipaddress" => (Family::Ip, false),
            b"notipaddress" => (Family::Ip, true),
            b"arnequals" | b"arnlike" => (Family::Arn, false),
            b"arnnotequals" | b"arnnotlike" => (Family::Arn, true),
            b"null" if !if_exists => (Family::Null, false),
            _ => return None,
        };
        Some(Operator {
            family,
            negated,
            if_exists,
            set,
        })
    }

    /// Whether the family substitutes policy variables in its values.
    fn takes_variables(self) -> bool {
        matches!(
            self.family,
            Family::StringEquals
                | Family::StringEqualsIgnoreCase
                | Family::StringLike
                | Family::Arn
                | Family::Bool
        )
    }
}

/// An ARN pattern for `Arn*` operators: wildcards apply per colon-separated field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnPattern {
    Fields(Box<[Glob; 5]>),
    /// A pattern that is not an ARN (`*` or garbage): matched as a whole.
    Whole(Glob),
}

impl ArnPattern {
    pub fn new(pattern: &str) -> ArnPattern {
        match split_arn(pattern) {
            Some(p) => ArnPattern::Fields(Box::new(p.fields().map(Glob::new))),
            None => ArnPattern::Whole(Glob::new(pattern)),
        }
    }

    pub fn is_match(&self, value: &str) -> bool {
        match self {
            ArnPattern::Whole(g) => g.is_match(value),
            ArnPattern::Fields(globs) => match split_arn(value) {
                Some(v) => globs.iter().zip(v.fields()).all(|(g, f)| g.is_match(f)),
                None => false,
            },
        }
    }
}

/// One policy value, compiled for its operator.
#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    Eq(String),
    /// Lower-cased.
    EqIgnoreCase(String),
    Like(Glob),
    Arn(ArnPattern),
    Bool(bool),
    Num(f64),
    Date(OffsetDateTime),
    Ip(IpNet),
    Binary(Vec<u8>),
    /// `Null`: `true` means "the key is absent".
    Null(bool),
}

impl Matcher {
    fn build(family: Family, text: &str) -> Option<Matcher> {
        Some(match family {
            Family::StringEquals => Matcher::Eq(text.to_string()),
            Family::StringEqualsIgnoreCase => Matcher::EqIgnoreCase(lower(text)),
            Family::StringLike => Matcher::Like(Glob::new(text)),
            Family::Arn => Matcher::Arn(ArnPattern::new(text)),
            Family::Bool => Matcher::Bool(parse_bool(text)?),
            Family::Numeric(_) => Matcher::Num(parse_number(text)?),
            Family::Date(_) => Matcher::Date(parse_date(text)?),
            Family::Ip => Matcher::Ip(parse_cidr(text)?),
            Family::Binary => Matcher::Binary(
                base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .ok()?,
            ),
            Family::Null => Matcher::Null(parse_bool(text)?),
        })
    }

    fn from_pieces(family: Family, parts: &[Part], ctx: &Context) -> Option<Matcher> {
        match family {
            Family::StringLike => {
                Some(Matcher::Like(Glob::from_pieces(text::resolve(parts, ctx)?)))
            }
            _ => Matcher::build(family, &text::resolve_string(parts, ctx)?),
        }
    }

    /// Whether one request value matches this policy value under `family`.
    fn matches(&self, family: Family, v: &str) -> bool {
        match self {
            Matcher::Eq(s) => s == v,
            Matcher::EqIgnoreCase(s) => s.chars().eq(v.chars().flat_map(char::to_lowercase)),
            Matcher::Like(g) => g.is_match(v),
            Matcher::Arn(p) => p.is_match(v),
            Matcher::Bool(b) => parse_bool(v) == Some(*b),
            Matcher::Num(x) => match (family, parse_number(v)) {
                (Family::Numeric(c), Some(y)) => y.partial_cmp(x).is_some_and(|o| c.holds(o)),
                _ => false,
            },
            Matcher::Date(d) => match (family, parse_date(v)) {
                (Family::Date(c), Some(y)) => c.holds(y.cmp(d)),
                _ => false,
            },
            Matcher::Ip(net) => parse_ip(v).is_some_and(|ip| net.contains(&ip)),
            Matcher::Binary(b) => {
                let decoded = base64::engine::general_purpose::STANDARD.decode(v.trim());
                match decoded {
                    Ok(d) => &d == b,
                    Err(_) => v.as_bytes() == b.as_slice(),
                }
            }
            Matcher::Null(_) => false,
        }
    }
}

fn lower(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// An address is a one-address network: `/32` or `/128`.
fn parse_cidr(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    s.parse::<IpAddr>()
        .ok()
        .or_else(|| s.parse::<IpNet>().ok().map(|n| n.addr()))
}

/// W3C ISO 8601 date-times, date-only forms and epoch seconds.
pub fn parse_date(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() > 4 {
        return OffsetDateTime::from_unix_timestamp(s.parse().ok()?).ok();
    }
    if let Ok(d) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(d);
    }
    if let Ok(d) = OffsetDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(d);
    }
    let mut it = s.splitn(3, '-');
    let year: i32 = it.next()?.parse().ok()?;
    let month: u8 = it.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u8 = it.next().map_or(Some(1), |d| d.parse().ok())?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(date.midnight().assume_utc())
}

/// A policy value: compiled once, or resolved per request when it holds variables.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyValue {
    /// `None` when the value cannot be read for the operator (it never matches).
    Static(Option<Matcher>),
    Dynamic(Vec<Part>),
}

/// Why a clause was false; the trace shows it next to the request value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClauseWhy {
    /// The operator is not one AWS knows.
    UnknownOperator,
    /// A positive operator and the key is absent.
    KeyAbsent,
    /// `ForAnyValue:` and the key is absent or empty.
    SetAbsent,
    /// A positive operator and no request value matches any policy value.
    NoValueMatches,
    /// A negated operator and a request value matches a policy value.
    ValueMatches,
    /// `ForAllValues:` and some request value matches no policy value.
    NotAllValuesMatch,
    /// `Null: true` and the key is present.
    NullButPresent,
    /// `Null: false` and the key is absent.
    NullButAbsent,
    /// The key is unknown and was taken not to hold ([`crate::request::Lean`]).
    Unknown,
}

/// The result of one clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClauseResult {
    pub holds: bool,
    /// The key was absent (or only empty strings).
    pub absent: bool,
    pub why: Option<ClauseWhy>,
}

/// One compiled condition clause.
#[derive(Clone, Debug, PartialEq)]
pub struct CompiledClause {
    pub op: Option<Operator>,
    /// The condition key as the policy writes it (keys are matched without regard to
    /// ASCII case); shares the policy's text.
    pub key: Str,
    pub values: Vec<PolicyValue>,
}

impl CompiledClause {
    pub fn new(operator: &str, key: &str, values: &[&str], vars: bool) -> CompiledClause {
        CompiledClause::from_values(operator, &Str::from(key), values.iter().copied(), vars)
    }

    /// [`CompiledClause::new`] over any list of values.
    pub(crate) fn from_values<'a>(
        operator: &str,
        key: &Str,
        values: impl Iterator<Item = &'a str>,
        vars: bool,
    ) -> CompiledClause {
        let op = Operator::parse(operator);
        let values = match op {
            None => Vec::new(),
            Some(op) => values
                .map(|v| {
                    let vars = vars && op.takes_variables();
                    if !(vars && text::has_variable(v)) {
                        // No variable: the value as written, without splitting it.
                        return PolicyValue::Static(if op.family == Family::StringLike {
                            Some(Matcher::Like(Glob::new(v)))
                        } else {
                            Matcher::build(op.family, v)
                        });
                    }
                    let wildcards = matches!(op.family, Family::StringLike | Family::Arn);
                    let parts = text::parse(v, vars, wildcards);
                    if text::is_dynamic(&parts) {
                        PolicyValue::Dynamic(parts)
                    } else if op.family == Family::StringLike {
                        PolicyValue::Static(Some(Matcher::Like(Glob::from_pieces(
                            text::static_pieces(&parts),
                        ))))
                    } else {
                        let plain = match text::resolve_string(&parts, &Context::default()) {
                            Some(s) => s,
                            None => v.to_string(),
                        };
                        PolicyValue::Static(Matcher::build(op.family, &plain))
                    }
                })
                .collect(),
        };
        CompiledClause {
            op,
            key: key.clone(),
            values,
        }
    }

    /// Evaluates the clause against the request context.
    pub fn eval(&self, ctx: &Context) -> ClauseResult {
        let Some(op) = self.op else {
            return ClauseResult {
                holds: false,
                absent: false,
                why: Some(ClauseWhy::UnknownOperator),
            };
        };
        let present = ctx
            .lookup_lower(&self.key)
            .unwrap_or(Values::Given(&[]))
            .iter();
        let absent = present.clone().all(str::is_empty);
        let done = |holds: bool, why: ClauseWhy| ClauseResult {
            holds,
            absent,
            why: if holds { None } else { Some(why) },
        };
        if op.family == Family::Null {
            let holds = self.values.iter().any(|v| match v {
                PolicyValue::Static(Some(Matcher::Null(want_absent))) => *want_absent == absent,
                _ => false,
            });
            let why = if absent {
                ClauseWhy::NullButAbsent
            } else {
                ClauseWhy::NullButPresent
            };
            return done(holds, why);
        }
        if absent {
            return match op.set {
                Some(SetOp::ForAllValues) => done(true, ClauseWhy::KeyAbsent),
                Some(SetOp::ForAnyValue) => done(op.if_exists, ClauseWhy::SetAbsent),
                None => done(op.if_exists || op.negated, ClauseWhy::KeyAbsent),
            };
        }
        let resolved: Vec<Option<Matcher>>;
        let has_dynamic = self
            .values
            .iter()
            .any(|v| matches!(v, PolicyValue::Dynamic(_)));
        let matchers: Vec<Option<&Matcher>> = if has_dynamic {
            resolved = self
                .values
                .iter()
                .map(|v| match v {
                    PolicyValue::Static(m) => m.clone(),
                    PolicyValue::Dynamic(parts) => Matcher::from_pieces(op.family, parts, ctx),
                })
                .collect();
            resolved.iter().map(Option::as_ref).collect()
        } else {
            Vec::new()
        };
        let any_policy_value = |v: &str| -> bool {
            if has_dynamic {
                matchers.iter().flatten().any(|m| m.matches(op.family, v))
            } else {
                self.values.iter().any(|pv| match pv {
                    PolicyValue::Static(Some(m)) => m.matches(op.family, v),
                    _ => false,
                })
            }
        };
        let test = |v: &str| any_policy_value(v) != op.negated;
        let mut values = present.filter(|v| !v.is_empty());
        match op.set {
            Some(SetOp::ForAllValues) => done(values.all(&test), ClauseWhy::NotAllValuesMatch),
            _ => {
                let why = if op.negated {
                    ClauseWhy::ValueMatches
                } else {
                    ClauseWhy::NoValueMatches
                };
                done(values.any(test), why)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &[&str])]) -> Context {
        let mut c = Context::new();
        for (k, vs) in pairs {
            c.insert(k, vs.iter().map(|s| s.to_string()).collect());
        }
        c
    }

    fn holds(op: &str, key: &str, values: &[&str], c: &Context) -> bool {
        CompiledClause::new(op, key, values, true).eval(c).holds
    }

    #[test]
    fn operator_names() {
        let op = Operator::parse("ForAnyValue:StringNotLikeIfExists").unwrap();
        assert_eq!(op.family, Family::StringLike);
        assert!(op.negated && op.if_exists);
        assert_eq!(op.set, Some(SetOp::ForAnyValue));
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("StringEqualz").is_none());
        assert_eq!(Operator::parse("ArnEquals"), Operator::parse("ArnLike"));
    }

    #[test]
    fn strings_case_and_wildcards() {
        let c = ctx(&[("aws:username", &["JohnDoe"])]);
        assert!(!holds("StringEquals", "aws:username", &["johndoe"], &c));
        assert!(holds(
            "StringEqualsIgnoreCase",
            "AWS:UserName",
            &["johndoe"],
            &c
        ));
        assert!(holds("StringLike", "aws:username", &["J*D?e"], &c));
        assert!(!holds("StringEquals", "aws:username", &["J*"], &c));
        assert!(holds("StringNotLike", "aws:username", &["x*"], &c));
    }

    #[test]
    fn negated_operators_with_several_values_mean_none_of_them() {
        let c = ctx(&[("aws:PrincipalAccount", &["444455556666"])]);
        let vals = ["123456789012", "444455556666"];
        assert!(!holds("StringNotEquals", "aws:PrincipalAccount", &vals, &c));
        let c = ctx(&[("aws:PrincipalAccount", &["777788889999"])]);
        assert!(holds("StringNotEquals", "aws:PrincipalAccount", &vals, &c));
    }

    #[test]
    fn missing_keys() {
        let c = ctx(&[("other", &["x"])]);
        assert!(!holds("StringEquals", "aws:SourceVpce", &["v"], &c));
        assert!(holds("StringNotEquals", "aws:SourceVpce", &["v"], &c));
        assert!(holds("StringEqualsIfExists", "aws:SourceVpce", &["v"], &c));
        assert!(holds(
            "StringNotEqualsIfExists",
            "aws:SourceVpce",
            &["v"],
            &c
        ));
        assert!(holds("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8"], &c));
        assert!(!holds("IpAddress", "aws:SourceIp", &["10.0.0.0/8"], &c));
        assert!(holds("ArnNotLike", "aws:SourceArn", &["arn:*"], &c));
        assert!(holds(
            "BoolIfExists",
            "aws:MultiFactorAuthPresent",
            &["false"],
            &c
        ));
        assert!(!holds("Bool", "aws:MultiFactorAuthPresent", &["false"], &c));
        let empty = ctx(&[("aws:SourceVpce", &[""])]);
        assert!(!holds("StringEquals", "aws:SourceVpce", &[""], &empty));
        assert!(holds("Null", "aws:SourceVpce", &["true"], &empty));
    }

    #[test]
    fn null_operator() {
        let c = ctx(&[("aws:TokenIssueTime", &["2024-05-01T00:00:00Z"])]);
        assert!(!holds("Null", "aws:TokenIssueTime", &["true"], &c));
        assert!(holds("Null", "aws:TokenIssueTime", &["false"], &c));
        assert!(holds("Null", "aws:Other", &["true"], &c));
        assert!(!holds("Null", "aws:Other", &["false"], &c));
    }

    #[test]
    fn set_operators() {
        let allowed = ["ID", "Message", "Tags"];
        let k = "dynamodb:Attributes";
        assert!(holds(
            "ForAllValues:StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &["ID", "Tags"])])
        ));
        assert!(!holds(
            "ForAllValues:StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &["ID", "X"])])
        ));
        assert!(holds("ForAllValues:StringEquals", k, &allowed, &ctx(&[])));
        assert!(holds(
            "ForAllValues:StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &[])])
        ));
        assert!(holds(
            "ForAnyValue:StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &["X", "ID"])])
        ));
        assert!(!holds(
            "ForAnyValue:StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &["X"])])
        ));
        assert!(!holds("ForAnyValue:StringEquals", k, &allowed, &ctx(&[])));
        assert!(holds(
            "ForAnyValue:StringEqualsIfExists",
            k,
            &allowed,
            &ctx(&[])
        ));
        // Negation applies per request value: no request value is in the list.
        assert!(holds(
            "ForAllValues:StringNotEquals",
            k,
            &allowed,
            &ctx(&[(k, &["X", "Y"])])
        ));
        assert!(!holds(
            "ForAllValues:StringNotEquals",
            k,
            &allowed,
            &ctx(&[(k, &["X", "ID"])])
        ));
        // Without a prefix a multi-valued key is treated like ForAnyValue.
        assert!(holds(
            "StringEquals",
            k,
            &allowed,
            &ctx(&[(k, &["X", "ID"])])
        ));
    }

    #[test]
    fn numbers() {
        let c = ctx(&[("s3:max-keys", &["10"])]);
        assert!(holds("NumericLessThanEquals", "s3:max-keys", &["10"], &c));
        assert!(!holds("NumericLessThan", "s3:max-keys", &["10"], &c));
        assert!(holds("NumericEquals", "s3:max-keys", &["10.0"], &c));
        assert!(holds("NumericGreaterThan", "s3:max-keys", &["9.5"], &c));
        assert!(holds("NumericNotEquals", "s3:max-keys", &["11"], &c));
        assert!(!holds("NumericEquals", "s3:max-keys", &["ten"], &c));
    }

    #[test]
    fn dates() {
        let c = ctx(&[("aws:CurrentTime", &["2024-05-01T12:00:00Z"])]);
        assert!(holds(
            "DateGreaterThan",
            "aws:CurrentTime",
            &["2024-05-01T00:00:00Z"],
            &c
        ));
        assert!(holds(
            "DateLessThan",
            "aws:CurrentTime",
            &["2024-05-02"],
            &c
        ));
        assert!(holds(
            "DateGreaterThanEquals",
            "aws:CurrentTime",
            &["1714564800"],
            &c
        ));
        assert!(holds(
            "DateEquals",
            "aws:CurrentTime",
            &["2024-05-01T14:00:00+02:00"],
            &c
        ));
        assert!(holds(
            "DateLessThan",
            "aws:CurrentTime",
            &["2024-05-01T13:00Z"],
            &c
        ));
        assert!(holds(
            "DateNotEquals",
            "aws:CurrentTime",
            &["2020-01-01"],
            &c
        ));
    }

    #[test]
    fn ip_addresses() {
        let v6 = ctx(&[("aws:SourceIp", &["2001:db8:1234:5678::99"])]);
        let cidrs = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
        assert!(holds("IpAddress", "aws:SourceIp", &cidrs, &v6));
        let v4 = ctx(&[("aws:SourceIp", &["203.0.113.77"])]);
        assert!(holds("IpAddress", "aws:SourceIp", &cidrs, &v4));
        assert!(holds("IpAddress", "aws:SourceIp", &["203.0.113.77"], &v4));
        assert!(!holds("IpAddress", "aws:SourceIp", &["203.0.113.78"], &v4));
        assert!(holds("NotIpAddress", "aws:SourceIp", &["10.0.0.0/8"], &v4));
        assert!(!holds("IpAddress", "aws:SourceIp", &["10.0.0.0/33"], &v4));
    }

    #[test]
    fn arns_match_per_field() {
        let c = ctx(&[(
            "aws:SourceArn",
            &["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/d.txt"],
        )]);
        let pat = ["arn:aws:someservice:*:111122223333:finance/*"];
        assert!(holds("StringLike", "aws:SourceArn", &pat, &c));
        assert!(!holds("ArnLike", "aws:SourceArn", &pat, &c));
        assert!(holds(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:someservice:*:*:store/*"],
            &c
        ));
        let bad = ctx(&[("aws:SourceArn", &["not-an-arn"])]);
        assert!(!holds(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:s3:::*"],
            &bad
        ));
        assert!(holds(
            "ArnNotLike",
            "aws:SourceArn",
            &["arn:aws:s3:::*"],
            &bad
        ));
    }

    #[test]
    fn bool_and_binary() {
        let c = ctx(&[("aws:SecureTransport", &["FALSE"]), ("k", &["aGVsbG8="])]);
        assert!(holds("Bool", "aws:SecureTransport", &["false"], &c));
        assert!(!holds("Bool", "aws:SecureTransport", &["true"], &c));
        assert!(holds("BinaryEquals", "k", &["aGVsbG8="], &c));
        assert!(!holds("BinaryEquals", "k", &["aGVsbG9v"], &c));
    }

    #[test]
    fn variables_in_values() {
        let c = ctx(&[("s3:ExistingObjectTag/Team", &["red"])]);
        let v = ["${aws:PrincipalTag/Team}"];
        assert!(holds(
            "StringNotEquals",
            "s3:ExistingObjectTag/Team",
            &v,
            &c
        ));
        assert!(!holds("StringEquals", "s3:ExistingObjectTag/Team", &v, &c));
        let c2 = ctx(&[
            ("s3:ExistingObjectTag/Team", &["red"]),
            ("aws:PrincipalTag/team", &["red"]),
        ]);
        assert!(!holds(
            "StringNotEquals",
            "s3:ExistingObjectTag/Team",
            &v,
            &c2
        ));
        let c3 = ctx(&[
            ("s3:prefix", &["home/Roger/*?"]),
            ("aws:username", &["Roger"]),
        ]);
        assert!(holds(
            "StringEquals",
            "s3:prefix",
            &["home/${aws:username}/*${?}"],
            &c3
        ));
        // Numeric values never take variables.
        let c4 = ctx(&[("n", &["5"]), ("v", &["5"])]);
        assert!(!holds("NumericEquals", "n", &["${v}"], &c4));
    }
}
