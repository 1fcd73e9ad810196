//! `policy/invalid-condition-value`: a condition value that the operator cannot compare,
//! such as `"<my-corporate-cidr>"` under `IpAddress` or `"yes"` under `Bool`. The value's
//! JSON type is `policy/invalid-value-type`; whether the operator fits the key's type is
//! `catalog/operator-type-mismatch`; this check is about the value against the operator.

use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};
use crate::operators::{Family, Operator};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/invalid-condition-value",
    severity: Severity::Warning,
    summary: "a condition value the operator cannot compare",
    what: "Reports condition values that are not of the operator's type: `IpAddress` and \
           `NotIpAddress` take IPv4 or IPv6 addresses or CIDR blocks, `Date...` operators ISO 8601 \
           dates or epoch seconds, `Numeric...` operators numbers, `Bool` `true` or `false`, `Arn...` \
           operators ARNs. Values that hold a policy variable (`${aws:username}`) are left alone.",
    why: "AWS cannot read the value as the operator's type, so the condition does not test what it \
          says: an Allow with `IpAddress` grants nothing, a Deny with it never applies. Placeholders copied from documentation, such as `<my-corporate-cidr>`, are \
          the usual cause. IAM Access Analyzer reports it as an invalid condition data type.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "<my-corporate-cidr>"}}}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for st in &ctx.policy.statements {
        let Some(condition) = &st.condition else {
            continue;
        };
        for clause in &condition.clauses {
            let Some(op) = Operator::parse(&clause.operator.value) else {
                continue;
            };
            let (fits, expected): (fn(&str) -> bool, &str) = match op.family {
                Family::IpAddress => (is_ip_or_cidr, "an IP address or CIDR block"),
                Family::Date => (is_date, "an ISO 8601 date or epoch seconds"),
                Family::Numeric => (is_number, "a number"),
                Family::Bool => (is_bool, "`true` or `false`"),
                Family::Arn => (is_arn_pattern, "an ARN"),
                _ => continue,
            };
            for v in &clause.values {
                if v.value.contains("${") || fits(&v.value) {
                    continue;
                }
                out.push(Finding::warning(
                    DOC.code,
                    v.span,
                    format!(
                        "`{}` is not {expected}: `{}` cannot compare the request with it",
                        v.value, clause.operator.value
                    ),
                ));
            }
        }
    }
}

fn is_ip_or_cidr(v: &str) -> bool {
    let (addr, prefix) = match v.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (v, None),
    };
    let max = if addr.parse::<std::net::Ipv4Addr>().is_ok() {
        32
    } else if addr.parse::<std::net::Ipv6Addr>().is_ok() {
        128
    } else {
        return false;
    };
    prefix.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 3
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| n <= max)
    })
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// ISO 8601 as AWS reads it (`2026-12-31`, `2026-12-31T23:59:59Z`, with fractions and
/// offsets), or epoch seconds.
fn is_date(v: &str) -> bool {
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let (date, time) = match v.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let date_ok = match date.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y] => digits(y, 4) || digits(y, 8),
        _ => false,
    };
    if !date_ok {
        return false;
    }
    let Some(time) = time else { return true };
    let time = time
        .strip_suffix(['Z', 'z'])
        .unwrap_or_else(|| match time.rfind(['+', '-']) {
            Some(i) if i > 0 => &time[..i],
            _ => time,
        });
    let main = time.split(['.', ',']).next().unwrap_or("");
    let parts: Vec<&str> = main.split(':').collect();
    !parts.is_empty() && parts.len() <= 3 && parts.iter().all(|p| digits(p, 2))
        || digits(main, 4)
        || digits(main, 6)
}

fn is_number(v: &str) -> bool {
    let s = v.strip_prefix(['-', '+']).unwrap_or(v);
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()))
        && all_digits(int)
        && frac.is_none_or(|f| all_digits(f) && (!f.is_empty() || !int.is_empty()))
}

fn is_bool(v: &str) -> bool {
    v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")
}

fn is_arn_pattern(v: &str) -> bool {
    v.starts_with("arn:") || v.bytes().all(|b| b == b'*' || b == b'?') && !v.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::policy::test_util::check_as;
    use latch_syntax::policy::PolicyKind;

    fn reported(op: &str, key: &str, value: &str) -> bool {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {{"{op}": {{"{key}": "{value}"}}}}}}]}}"#
        );
        check_as(&text, PolicyKind::Identity)
            .iter()
            .any(|f| f.code == DOC.code && f.severity == Severity::Warning)
    }

    #[test]
    fn values_are_checked_against_the_operator() {
        assert!(reported("IpAddress", "aws:SourceIp", "<my-corporate-cidr>"));
        assert!(reported("NotIpAddress", "aws:SourceIp", "10.0.0.0/33"));
        assert!(!reported("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"));
        assert!(!reported(
            "IpAddress",
            "aws:SourceIp",
            "2001:DB8:1234:5678::/64"
        ));
        assert!(!reported("IpAddress", "aws:SourceIp", "203.0.113.7"));
        assert!(reported("DateGreaterThan", "aws:CurrentTime", "tomorrow"));
        assert!(!reported(
            "DateGreaterThan",
            "aws:CurrentTime",
            "2026-12-31T23:59:59Z"
        ));
        assert!(!reported("DateLessThan", "aws:CurrentTime", "2026-12-31"));
        assert!(!reported(
            "DateLessThan",
            "aws:CurrentTime",
            "2026-12-31T23:59:59.123+02:00"
        ));
        assert!(!reported("DateLessThan", "aws:EpochTime", "1798761599"));
        assert!(reported("NumericLessThan", "s3:max-keys", "ten"));
        assert!(!reported("NumericLessThan", "s3:max-keys", "10"));
        assert!(!reported("NumericLessThan", "s3:max-keys", "-1.5"));
        assert!(reported("Bool", "aws:SecureTransport", "yes"));
        assert!(!reported("Bool", "aws:SecureTransport", "False"));
        assert!(reported("ArnLike", "aws:SourceArn", "my-topic"));
        assert!(!reported(
            "ArnLike",
            "aws:SourceArn",
            "arn:aws:sns:*:111122223333:t"
        ));
        assert!(!reported("ForAnyValue:ArnLike", "aws:PrincipalArn", "*"));
        // Policy variables are AWS's to fill in.
        assert!(!reported(
            "ArnEquals",
            "aws:SourceArn",
            "${aws:PrincipalArn}"
        ));
        assert!(!reported("StringEquals", "aws:username", "anything"));
    }
}
