//! The request: who calls, which action, on which resource, with which context keys.
//!
//! Context keys are case-insensitive; they are stored lower-cased next to the spelling the
//! caller used. Keys that AWS always derives from the caller (`aws:PrincipalArn`,
//! `aws:PrincipalAccount`, `aws:username`, `aws:userid` where it is knowable,
//! `aws:PrincipalType`, `aws:PrincipalIsAWSService`) are added when the caller did not
//! give them, and marked as derived so the trace can say so.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use latch_syntax::text::Str;

use crate::arn::{is_account_id, split_arn};

/// Who makes the request. Every part of an ARN principal is a range of its one ARN: no
/// copy, no count to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalId {
    /// An unsigned request.
    Anonymous,
    /// An AWS service principal such as `cloudtrail.amazonaws.com`.
    Service(Str),
    /// The account root user.
    Root { arn: Str, account: Part },
    /// An IAM user; `name` is the last path element.
    User { arn: Str, account: Part, name: Part },
    /// An IAM role used directly as the caller (for example in a simulation); treated
    /// like a session of that role.
    Role { arn: Str, account: Part, name: Part },
    /// `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        arn: Str,
        account: Part,
        role: Part,
        session: Part,
        partition: Part,
    },
    /// `arn:aws:sts::ACCT:federated-user/NAME`.
    FederatedUser { arn: Str, account: Part, name: Part },
    /// Any other ARN (a group, an unknown type); it can only match `*` or its account.
    Other { arn: Str, account: Part },
}

/// A range of a principal's ARN: [`Part::of`] the ARN reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Part {
    start: u32,
    end: u32,
}

impl Part {
    /// `s` as a range of `text`, which holds it; empty if it does not.
    fn within(text: &str, s: &str) -> Part {
        let start = (s.as_ptr() as usize).checked_sub(text.as_ptr() as usize);
        match start.map(|st| (u32::try_from(st), u32::try_from(st + s.len()))) {
            Some((Ok(start), Ok(end))) if end as usize <= text.len() => Part { start, end },
            _ => Part::default(),
        }
    }

    /// The part of `arn` (the ARN of the principal it was made with).
    pub fn of(self, arn: &str) -> &str {
        arn.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl PrincipalId {
    /// Parses `anonymous`, a service principal name, a 12-digit account, or an ARN.
    pub fn parse(text: &str) -> PrincipalId {
        let text = text.trim();
        if text.eq_ignore_ascii_case("anonymous") || text == "*" {
            return PrincipalId::Anonymous;
        }
        if is_account_id(text) {
            let start = "arn:aws:iam::".len() as u32;
            return PrincipalId::Root {
                arn: Str::from(format!("arn:aws:iam::{text}:root")),
                account: Part {
                    start,
                    end: start + text.len() as u32,
                },
            };
        }
        let Some(parts) = split_arn(text) else {
            if text.contains('.') && !text.contains(':') {
                return PrincipalId::Service(Str::from(text));
            }
            return PrincipalId::Other {
                arn: Str::from(text),
                account: Part::default(),
            };
        };
        let sub = |s: &str| Part::within(text, s);
        let account = sub(parts.account);
        let res = parts.resource;
        let arn = Str::from(text);
        match parts.service {
            "iam" if res == "root" => PrincipalId::Root { arn, account },
            "iam" if res.starts_with("user/") => PrincipalId::User {
                name: sub(last_segment(res)),
                arn,
                account,
            },
            "iam" if res.starts_with("role/") => PrincipalId::Role {
                name: sub(last_segment(res)),
                arn,
                account,
            },
            "sts" if res.starts_with("assumed-role/") => {
                let rest = res.get("assumed-role/".len()..).unwrap_or_default();
                let (role, session) = match rest.split_once('/') {
                    Some((role, session)) => (sub(role), sub(session)),
                    None => (sub(rest), Part::default()),
                };
                PrincipalId::AssumedRole {
                    partition: sub(parts.partition),
                    arn,
                    account,
                    role,
                    session,
                }
            }
            "sts" if res.starts_with("federated-user/") => PrincipalId::FederatedUser {
                name: sub(res.get("federated-user/".len()..).unwrap_or_default()),
                arn,
                account,
            },
            _ => PrincipalId::Other { arn, account },
        }
    }

    /// The caller's account; `None` for anonymous callers and services.
    pub fn account(&self) -> Option<&str> {
        match self {
            PrincipalId::Anonymous | PrincipalId::Service(_) => None,
            PrincipalId::Root { arn, account, .. }
            | PrincipalId::User { arn, account, .. }
            | PrincipalId::Role { arn, account, .. }
            | PrincipalId::AssumedRole { arn, account, .. }
            | PrincipalId::FederatedUser { arn, account, .. }
            | PrincipalId::Other { arn, account, .. } => {
                Some(account.of(arn)).filter(|a| !a.is_empty())
            }
        }
    }

    /// The ARN as written (the service name for services, `anonymous` otherwise).
    pub fn arn(&self) -> &str {
        match self {
            PrincipalId::Anonymous => "anonymous",
            PrincipalId::Service(s) => s,
            PrincipalId::Root { arn, .. }
            | PrincipalId::User { arn, .. }
            | PrincipalId::Role { arn, .. }
            | PrincipalId::AssumedRole { arn, .. }
            | PrincipalId::FederatedUser { arn, .. }
            | PrincipalId::Other { arn, .. } => arn,
        }
    }

    /// Whether the caller holds temporary session credentials (session policies apply).
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            PrincipalId::AssumedRole { .. }
                | PrincipalId::FederatedUser { .. }
                | PrincipalId::Role { .. }
        )
    }

    /// `aws:PrincipalArn`: the role ARN for a role session, absent for anonymous callers.
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            PrincipalId::Anonymous | PrincipalId::Service(_) => None,
            PrincipalId::AssumedRole {
                arn,
                partition,
                account,
                role,
                ..
            } => Some(format!(
                "arn:{}:iam::{}:role/{}",
                partition.of(arn),
                account.of(arn),
                role.of(arn)
            )),
            other => Some(other.arn().to_string()),
        }
    }
}

pub(crate) fn last_segment(res: &str) -> &str {
    match res.as_bytes().iter().rposition(|&b| b == b'/') {
        Some(i) => res.get(i + 1..).unwrap_or(res),
        None => res,
    }
}

/// One context key with its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key lower-cased, for lookups.
    pub key: Str,
    /// The key as the caller wrote it (shares its text with `key`).
    pub written: Str,
    pub values: Vec<String>,
    /// Added by the engine from the principal, not given by the caller.
    pub derived: bool,
}

/// Which keys missing from a request are not known to be absent: the workspace cannot
/// tell whether the real request carries them (the caller's organization, its source IP,
/// whether it signed in with MFA).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Unknowns {
    /// A missing key is absent (the closed world of a conformance case or `latch why`).
    #[default]
    None,
    /// These keys (lower-cased; a key ending in `/` stands for every key it starts) are
    /// unknown when missing; every other missing key is absent.
    Keys(&'static [&'static str]),
    /// Every missing key is unknown except these (lower-cased), which are absent.
    AllExcept(&'static [&'static str]),
}

/// How an evaluation settles the clauses whose key is unknown: each way gives one bound
/// of the decision (AWS's decision is monotone in what Allows and Denies match).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lean {
    /// Unknown clauses hold in Deny statements and fail in Allow statements: if the
    /// request is allowed this way, it is allowed whatever the unknowns are.
    #[default]
    Deny,
    /// Unknown clauses hold in Allow statements and fail in Deny statements: if the
    /// request is denied this way, it is denied whatever the unknowns are.
    Allow,
}

/// The request context: case-insensitive keys, each with one or more string values.
///
/// The keys AWS derives from the caller are kept in one buffer and become entries only
/// when a caller of [`Context::get_lower`], [`Context::values`] or [`Context::entries`]
/// asks for one: most requests never read them, and building them was most of the cost
/// of a request.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The keys the caller gave.
    entries: Vec<ContextEntry>,
    /// The keys derived from the principal, not yet entries.
    derived: Derived,
    /// `derived` as entries, built at the first request for one.
    derived_entries: OnceLock<Vec<ContextEntry>>,
    /// Every entry, given then derived, built at the first call of [`Context::entries`].
    all: OnceLock<Vec<ContextEntry>>,
    /// The keys whose absence is not known.
    pub unknown: Unknowns,
    /// How clauses on unknown keys are settled.
    pub lean: Lean,
}

impl PartialEq for Context {
    fn eq(&self, other: &Context) -> bool {
        self.entries == other.entries
            && self.derived == other.derived
            && self.unknown == other.unknown
            && self.lean == other.lean
    }
}

impl Eq for Context {}

/// The keys AWS derives from the caller: as AWS spells them, and lower-cased.
const DERIVED_KEYS: [(&str, &str); 7] = [
    ("aws:PrincipalArn", "aws:principalarn"),
    ("aws:PrincipalAccount", "aws:principalaccount"),
    ("aws:userid", "aws:userid"),
    ("aws:username", "aws:username"),
    ("aws:PrincipalType", "aws:principaltype"),
    ("aws:PrincipalIsAWSService", "aws:principalisawsservice"),
    ("aws:PrincipalServiceName", "aws:principalservicename"),
];

/// The slot in [`DERIVED_KEYS`] of a key, in any case.
fn derived_slot(key: &str) -> Option<usize> {
    if !key
        .as_bytes()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"aws:"))
    {
        return None;
    }
    DERIVED_KEYS
        .iter()
        .position(|(_, lower)| lower.eq_ignore_ascii_case(key))
}

/// Derived keys and their single values: the slots of [`DERIVED_KEYS`] in the order they
/// were derived, each with the end of its value in `text`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Derived {
    order: [(u8, u32); DERIVED_KEYS.len()],
    len: u8,
    /// The slots in `order`, one bit each.
    present: u8,
    /// The values, one after the other; shares the request's one buffer.
    text: Str,
}

impl Derived {
    fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        let mut start = 0usize;
        self.order[..usize::from(self.len)]
            .iter()
            .map(move |&(slot, end)| {
                let end = end as usize;
                let v = self.text.get(start..end).unwrap_or_default();
                start = end;
                (usize::from(slot), v)
            })
    }

    fn value(&self, slot: usize) -> Option<&str> {
        self.iter().find(|(s, _)| *s == slot).map(|(_, v)| v)
    }
}

/// The values of one key: the caller's, or the single value of a derived key.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Values<'a> {
    Given(&'a [String]),
    Derived(&'a str),
}

impl<'a> Values<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a str> + Clone {
        let (given, derived) = match self {
            Values::Given(v) => (v, None),
            Values::Derived(v) => (&[][..], Some(v)),
        };
        derived.into_iter().chain(given.iter().map(String::as_str))
    }

    /// The values, copied.
    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl Context {
    pub fn new() -> Context {
        Context::default()
    }

    /// Sets `key` to `values`, replacing an earlier value of the same key.
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        let (key, written) = if key.bytes().any(|b| b.is_ascii_uppercase()) {
            // Both spellings in one text.
            let src = with_scratch(|t| {
                t.push_str(key);
                t.push_str(key);
                if let Some(lower) = t.get_mut(key.len()..) {
                    lower.make_ascii_lowercase();
                }
                Arc::<str>::from(t.as_str())
            });
            (
                Str::slice(&src, key.len()..src.len()),
                Str::slice(&src, 0..key.len()),
            )
        } else {
            let s = Str::from(key);
            (s.clone(), s)
        };
        let entry = ContextEntry {
            key,
            written,
            values,
            derived: false,
        };
        self.all = OnceLock::new();
        match self.entries.iter_mut().find(|e| e.key == entry.key) {
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
    }

    /// The slots of the derived keys the caller gave, one bit each: those are not
    /// derived. Forgets the entries built from earlier derived keys.
    fn start_deriving(&mut self) -> u8 {
        self.derived_entries = OnceLock::new();
        self.all = OnceLock::new();
        self.entries
            .iter()
            .filter_map(|e| derived_slot(&e.key))
            .fold(0, |mask, slot| mask | 1 << slot)
    }

    /// Adds a derived key unless its bit is in `given` or it is already derived; `value`
    /// writes the value at the end of `buf`, which holds the derived values so far.
    fn derive(
        &mut self,
        buf: &mut String,
        given: u8,
        slot: usize,
        value: impl FnOnce(&mut String),
    ) {
        let d = &mut self.derived;
        let bit = 1u8 << slot;
        if (given | d.present) & bit != 0 {
            return;
        }
        value(buf);
        let Ok(end) = u32::try_from(buf.len()) else {
            return;
        };
        if let Some(o) = d.order.get_mut(usize::from(d.len)) {
            *o = (slot as u8, end);
            d.len += 1;
            d.present |= bit;
        }
    }

    fn derive_str(&mut self, buf: &mut String, given: u8, slot: usize, value: &str) {
        self.derive(buf, given, slot, |t| t.push_str(value));
    }

    /// The derived keys as entries.
    fn derived_entries(&self) -> &[ContextEntry] {
        self.derived_entries.get_or_init(|| {
            self.derived
                .iter()
                .map(|(slot, v)| ContextEntry {
                    key: Str::from_static(DERIVED_KEYS[slot].1),
                    written: Str::from_static(DERIVED_KEYS[slot].0),
                    values: vec![v.to_string()],
                    derived: true,
                })
                .collect()
        })
    }

    /// The entry for a lower-cased key.
    pub fn get_lower(&self, key_lower: &str) -> Option<&ContextEntry> {
        self.entries
            .iter()
            .find(|e| e.key == key_lower)
            .or_else(|| {
                derived_slot(key_lower)?;
                self.derived_entries().iter().find(|e| e.key == key_lower)
            })
    }

    /// The values of a key in any case, without building an entry for a derived key.
    pub(crate) fn lookup_lower(&self, key: &str) -> Option<Values<'_>> {
        // The entries' keys are lower-cased: ASCII case is all there is to ignore.
        match self
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
        {
            Some(e) => Some(Values::Given(&e.values)),
            None => {
                let slot = derived_slot(key)?;
                self.derived.value(slot).map(Values::Derived)
            }
        }
    }

    /// The values of `key`, in any case.
    pub fn values(&self, key: &str) -> Option<&[String]> {
        match self
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
        {
            Some(e) => Some(&e.values),
            None => {
                derived_slot(key)?;
                self.derived_entries()
                    .iter()
                    .find(|e| e.key.eq_ignore_ascii_case(key))
                    .map(|e| e.values.as_slice())
            }
        }
    }

    /// The entries the caller gave, without the derived keys.
    pub(crate) fn given(&self) -> &[ContextEntry] {
        &self.entries
    }

    /// Every entry: the keys the caller gave, then the keys derived from the principal.
    pub fn entries(&self) -> &[ContextEntry] {
        if self.derived.len == 0 {
            return &self.entries;
        }
        self.all.get_or_init(|| {
            let derived = self
                .derived_entries()
                .iter()
                .filter(|d| !self.entries.iter().any(|e| e.key == d.key));
            self.entries.iter().chain(derived).cloned().collect()
        })
    }

    /// Whether a key (in any case) is missing from the request and not known to be absent.
    pub fn is_unknown(&self, key_lower: &str) -> bool {
        // The lists are lower-cased.
        let listed = |list: &[&str]| {
            list.iter().any(|k| {
                k.eq_ignore_ascii_case(key_lower)
                    || (k.ends_with('/')
                        && key_lower
                            .as_bytes()
                            .get(..k.len())
                            .is_some_and(|p| p.eq_ignore_ascii_case(k.as_bytes())))
            })
        };
        let unknown = match &self.unknown {
            Unknowns::None => return false,
            Unknowns::Keys(keys) => listed(keys),
            Unknowns::AllExcept(absent) => !listed(absent),
        };
        unknown
            && self
                .lookup_lower(key_lower)
                .is_none_or(|v| v.iter().all(str::is_empty))
    }
}

/// One request to decide. The action, its lower-cased form, the resource and the values
/// derived from the principal share one buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub principal: PrincipalId,
    /// The action as written, e.g. `s3:GetObject`.
    pub action: Str,
    /// The action lower-cased, for matching.
    pub action_lower: Str,
    /// The resource ARN, or `*`.
    pub resource: Str,
    pub context: Context,
}

impl Request {
    /// Builds a request and adds the keys AWS derives from the principal.
    pub fn new(principal: PrincipalId, action: &str, resource: &str, context: Context) -> Request {
        let mut context = context;
        // Only references enter the closure: the request is built once, after it.
        let text = |buf: &mut String| {
            // The values derived before (a context used for an earlier request) first.
            buf.push_str(&context.derived.text);
            derive_principal_keys(&principal, &mut context, buf);
            let derived = buf.len();
            buf.push_str(action);
            let action_end = buf.len();
            buf.push_str(action);
            let lower_end = buf.len();
            if let Some(lower) = buf.get_mut(action_end..lower_end) {
                lower.make_ascii_lowercase();
            }
            buf.push_str(resource);
            (
                Arc::<str>::from(buf.as_str()),
                [derived, action_end, lower_end],
            )
        };
        let (src, [derived, action_end, lower_end]) = with_scratch(text);
        context.derived.text = Str::slice(&src, 0..derived);
        Request {
            principal,
            action: Str::slice(&src, derived..action_end),
            action_lower: Str::slice(&src, action_end..lower_end),
            resource: Str::slice(&src, lower_end..src.len()),
            context,
        }
    }

    /// The service prefix of the action, lower-cased (`s3`, `kms`).
    pub fn service(&self) -> &str {
        let a: &str = &self.action_lower;
        match a.as_bytes().iter().position(|&b| b == b':') {
            Some(i) => a.get(..i).unwrap_or_default(),
            None => a,
        }
    }

    /// The operation name of the action, lower-cased (`getobject`).
    pub fn operation(&self) -> &str {
        let a: &str = &self.action_lower;
        match a.as_bytes().iter().position(|&b| b == b':') {
            Some(i) => a.get(i + 1..).unwrap_or_default(),
            None => "",
        }
    }

    /// The account in the resource ARN, if it has one.
    pub fn resource_arn_account(&self) -> Option<&str> {
        split_arn(&self.resource)
            .map(|p| p.account)
            .filter(|a| !a.is_empty())
    }
}

/// Runs `f` with an empty string to write in, reused from call to call on a thread: text
/// built there and then copied once into shared text costs one allocation.
fn with_scratch<T>(f: impl FnOnce(&mut String) -> T) -> T {
    thread_local! {
        static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            let out = f(&mut buf);
            if buf.capacity() > 1 << 16 {
                *buf = String::new();
            }
            out
        }
        // Only if `f` itself wrote text this way.
        Err(_) => f(&mut String::new()),
    })
}

/// Slots of [`DERIVED_KEYS`].
const ARN: usize = 0;
const ACCOUNT: usize = 1;
const USERID: usize = 2;
const USERNAME: usize = 3;
const TYPE: usize = 4;
const IS_SERVICE: usize = 5;
const SERVICE_NAME: usize = 6;

fn derive_principal_keys(principal: &PrincipalId, context: &mut Context, buf: &mut String) {
    let given = context.start_deriving();
    match principal {
        PrincipalId::Anonymous => {
            context.derive_str(buf, given, ACCOUNT, "anonymous");
            context.derive_str(buf, given, USERID, "anonymous");
            context.derive_str(buf, given, TYPE, "Anonymous");
            context.derive_str(buf, given, IS_SERVICE, "false");
        }
        PrincipalId::Service(name) => {
            context.derive_str(buf, given, SERVICE_NAME, name);
            context.derive_str(buf, given, IS_SERVICE, "true");
        }
        other => {
            match other {
                PrincipalId::AssumedRole {
                    arn,
                    partition,
                    account,
                    role,
                    ..
                } => context.derive(buf, given, ARN, |t| {
                    // `principal_arn`, without a `format!`.
                    for s in [
                        "arn:",
                        partition.of(arn),
                        ":iam::",
                        account.of(arn),
                        ":role/",
                        role.of(arn),
                    ] {
                        t.push_str(s);
                    }
                }),
                other => context.derive_str(buf, given, ARN, other.arn()),
            }
            if let Some(account) = other.account() {
                context.derive_str(buf, given, ACCOUNT, account);
            }
            context.derive_str(buf, given, IS_SERVICE, "false");
            match other {
                PrincipalId::User { arn, name, .. } => {
                    context.derive_str(buf, given, USERNAME, name.of(arn));
                    context.derive_str(buf, given, TYPE, "User");
                }
                PrincipalId::Root { arn, account } => {
                    context.derive_str(buf, given, USERID, account.of(arn));
                    context.derive_str(buf, given, TYPE, "Account");
                }
                PrincipalId::AssumedRole { .. } | PrincipalId::Role { .. } => {
                    context.derive_str(buf, given, TYPE, "AssumedRole");
                }
                PrincipalId::FederatedUser { arn, account, name } => {
                    context.derive(buf, given, USERID, |t| {
                        t.push_str(account.of(arn));
                        t.push(':');
                        t.push_str(name.of(arn));
                    });
                    context.derive_str(buf, given, TYPE, "FederatedUser");
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_principal_form() {
        assert_eq!(PrincipalId::parse("anonymous"), PrincipalId::Anonymous);
        assert!(matches!(
            PrincipalId::parse("cloudtrail.amazonaws.com"),
            PrincipalId::Service(_)
        ));
        assert!(matches!(
            PrincipalId::parse("arn:aws:iam::111122223333:root"),
            PrincipalId::Root { .. }
        ));
        assert!(matches!(
            PrincipalId::parse("111122223333"),
            PrincipalId::Root { .. }
        ));
        let PrincipalId::User { arn, name, account } =
            PrincipalId::parse("arn:aws:iam::111122223333:user/dev/Jane")
        else {
            panic!()
        };
        assert_eq!((name.of(&arn), account.of(&arn)), ("Jane", "111122223333"));
        let p = PrincipalId::parse("arn:aws:sts::111122223333:assumed-role/app/s1");
        assert_eq!(
            p.principal_arn().as_deref(),
            Some("arn:aws:iam::111122223333:role/app")
        );
        assert!(p.is_session());
        assert!(matches!(
            PrincipalId::parse("arn:aws:sts::111122223333:federated-user/alice"),
            PrincipalId::FederatedUser { .. }
        ));
    }

    #[test]
    fn keys_are_case_insensitive_and_derived_keys_do_not_override() {
        let mut c = Context::new();
        c.insert("AWS:UserName", vec!["given".into()]);
        let r = Request::new(
            PrincipalId::parse("arn:aws:iam::111122223333:user/Jane"),
            "S3:GetObject",
            "arn:aws:s3:::b/k",
            c,
        );
        assert_eq!(r.context.values("aws:username").unwrap(), ["given"]);
        assert_eq!(
            r.context.values("aws:principalaccount").unwrap(),
            ["111122223333"]
        );
        assert_eq!(r.service(), "s3");
        assert_eq!(r.operation(), "getobject");
    }

    /// Derived keys are kept in one buffer until asked for: every way of reading them
    /// gives what entries built up front gave.
    #[test]
    fn derived_keys_read_as_entries() {
        let mut c = Context::new();
        c.insert("aws:PrincipalType", vec!["given".into()]);
        c.insert("s3:prefix", vec!["a".into(), "b".into()]);
        let mut r = Request::new(
            PrincipalId::parse("arn:aws:sts::111122223333:assumed-role/app/s1"),
            "s3:ListBucket",
            "arn:aws:s3:::b",
            c,
        );
        let keys: Vec<(&str, &str, bool)> = r
            .context
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.written.as_str(), e.derived))
            .collect();
        assert_eq!(
            keys,
            [
                ("aws:principaltype", "aws:PrincipalType", false),
                ("s3:prefix", "s3:prefix", false),
                ("aws:principalarn", "aws:PrincipalArn", true),
                ("aws:principalaccount", "aws:PrincipalAccount", true),
                (
                    "aws:principalisawsservice",
                    "aws:PrincipalIsAWSService",
                    true
                ),
            ]
        );
        assert_eq!(
            r.context.values("AWS:PRINCIPALARN").unwrap(),
            ["arn:aws:iam::111122223333:role/app"]
        );
        assert_eq!(r.context.values("aws:principaltype").unwrap(), ["given"]);
        let e = r.context.get_lower("aws:principalaccount").unwrap();
        assert_eq!(
            (e.values.as_slice(), e.derived),
            (&["111122223333".to_string()][..], true)
        );
        assert!(r.context.get_lower("aws:username").is_none());
        let v: Vec<&str> = r
            .context
            .lookup_lower("aws:principalarn")
            .unwrap()
            .iter()
            .collect();
        assert_eq!(v, ["arn:aws:iam::111122223333:role/app"]);
        let v: Vec<&str> = r
            .context
            .lookup_lower("s3:prefix")
            .unwrap()
            .iter()
            .collect();
        assert_eq!(v, ["a", "b"]);

        // A key given after the request was built wins over the derived one.
        let same = r.clone();
        assert_eq!(same, r);
        r.context
            .insert("aws:PrincipalAccount", vec!["999999999999".into()]);
        assert_ne!(same, r);
        assert_eq!(
            r.context.values("aws:PrincipalAccount").unwrap(),
            ["999999999999"]
        );
        assert_eq!(
            r.context
                .entries()
                .iter()
                .filter(|e| e.key == "aws:principalaccount")
                .count(),
            1
        );

        // Deriving again keeps what was derived first, as before.
        let again = Request::new(
            PrincipalId::parse("arn:aws:iam::222233334444:user/u"),
            "s3:ListBucket",
            "arn:aws:s3:::b",
            same.context.clone(),
        );
        assert_eq!(
            again.context.values("aws:PrincipalArn").unwrap(),
            ["arn:aws:iam::111122223333:role/app"]
        );
        assert_eq!(again.context.values("aws:username").unwrap(), ["u"]);
    }

    /// The request's one buffer: short texts on the stack, long ones on the heap, the
    /// derived values of an earlier request kept; every field reads as it was given.
    #[test]
    fn request_fields_share_one_buffer_whatever_their_length() {
        for n in [0, 10, 200, 600] {
            let long = "é日".repeat(n);
            let resource = format!("arn:aws:s3:::b/{long}");
            let action = format!("S3:GetObjÉct{long}");
            let principal = format!("arn:aws:sts::111122223333:assumed-role/r{long}/s");
            let r = Request::new(
                PrincipalId::parse(&principal),
                &action,
                &resource,
                Context::new(),
            );
            assert_eq!(r.action, action);
            assert_eq!(r.action_lower, action.to_ascii_lowercase());
            assert_eq!(r.resource, resource);
            assert_eq!(r.service(), "s3");
            assert_eq!(
                r.operation(),
                format!("getobjÉct{long}").to_ascii_lowercase()
            );
            let role = format!("arn:aws:iam::111122223333:role/r{long}");
            assert_eq!(
                r.context.values("aws:PrincipalArn").unwrap(),
                std::slice::from_ref(&role)
            );
            let again = Request::new(
                PrincipalId::parse("arn:aws:iam::222233334444:user/u"),
                "kms:Decrypt",
                "*",
                r.context.clone(),
            );
            assert_eq!(again.context.values("aws:PrincipalArn").unwrap(), [role]);
            assert_eq!(again.context.values("aws:username").unwrap(), ["u"]);
            assert_eq!(
                again.context.values("aws:principaltype").unwrap(),
                ["AssumedRole"]
            );
            let PrincipalId::AssumedRole {
                arn,
                role,
                session,
                partition,
                account,
            } = &r.principal
            else {
                panic!("{principal} is a role session");
            };
            assert_eq!(
                (
                    role.of(arn),
                    session.of(arn),
                    partition.of(arn),
                    account.of(arn)
                ),
                (format!("r{long}").as_str(), "s", "aws", "111122223333")
            );
        }
        let root = PrincipalId::parse(" 111122223333 ");
        assert_eq!(root.arn(), "arn:aws:iam::111122223333:root");
        assert_eq!(root.account(), Some("111122223333"));
    }

    #[test]
    fn anonymous_has_no_principal_arn() {
        let r = Request::new(PrincipalId::Anonymous, "s3:GetObject", "*", Context::new());
        assert!(r.context.values("aws:PrincipalArn").is_none());
        assert_eq!(
            r.context.values("aws:PrincipalAccount").unwrap(),
            ["anonymous"]
        );
    }
}
