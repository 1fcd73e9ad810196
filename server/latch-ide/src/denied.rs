//! Reading an access denied error as it was pasted: text in, the request it describes and
//! AWS's verdict out. Formats read (IAM user guide, "Troubleshoot access denied error
//! messages"; S3 user guide, "Troubleshoot access denied (403 Forbidden) errors"; CloudTrail
//! record contents; `aws sts decode-authorization-message`):
//!
//! - `User: ARN is not authorized to perform: ACTION [on resource: RES] because no TYPE
//!   allows the ACTION action` (implicit), `... with an explicit deny in a(n) TYPE[: ARN]`
//!   (explicit), and the older form without a reason;
//! - the wrappers around it: the CLI and Python SDK (`An error occurred (CODE) when calling
//!   the OP operation: ...`), the Go SDK (`operation error S3: GetObject, ... api error
//!   AccessDenied: ...`), S3's XML body, Terraform's `│` box;
//! - S3's bare `Access Denied`: the action comes from the operation, the rest from flags;
//! - a CloudTrail record, a `{"Records": [...]}` file, or `lookup-events` output;
//! - the JSON `aws sts decode-authorization-message` prints.
//!
//! [`explain`] then runs the request over the workspace and compares the two verdicts.
//! Pure: the caller reads files and standard input.

use latch_eval::{
    Basis, Blocker, Context, Decision, Layer, Outcome, PolicyTrace, PrincipalId, Request,
};
use latch_syntax::catalog::{ActionLookup, catalog};
use serde_json::Value;

use crate::access;
use crate::workspace::Workspace;

/// Which format the error came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `User: ... is not authorized to perform: ...`, bare or wrapped.
    IamMessage,
    /// S3's `Access Denied` without the principal or the resource.
    S3AccessDenied,
    CloudTrail,
    DecodedAuthorization,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::IamMessage => "iam_message",
            Format::S3AccessDenied => "s3_access_denied",
            Format::CloudTrail => "cloudtrail",
            Format::DecodedAuthorization => "decoded_authorization_message",
        }
    }
}

/// The policy type an error message names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyType {
    Identity,
    Resource,
    Session,
    Scp,
    Rcp,
    VpcEndpoint,
    Boundary,
    /// A role trust policy (a resource-based policy on the role).
    Trust,
}

impl PolicyType {
    /// The JSON name: `identity`, `resource`, `session`, `scp`, `rcp`, `vpc_endpoint`,
    /// `boundary`, `trust`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Session => "session",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::VpcEndpoint => "vpc_endpoint",
            PolicyType::Boundary => "boundary",
            PolicyType::Trust => "trust",
        }
    }

    /// AWS's words for it.
    pub fn words(self) -> &'static str {
        match self {
            PolicyType::Identity => "an identity-based policy",
            PolicyType::Resource => "a resource-based policy",
            PolicyType::Session => "a session policy",
            PolicyType::Scp => "a service control policy",
            PolicyType::Rcp => "a resource control policy",
            PolicyType::VpcEndpoint => "a VPC endpoint policy",
            PolicyType::Boundary => "a permissions boundary",
            PolicyType::Trust => "the role trust policy",
        }
    }

    /// Reads the phrase after `because no` / `explicit deny in a`: `identity-based policy`,
    /// `sessions policy` (a spelling AWS's own examples use), `permissions boundary`, ...
    fn read(phrase: &str) -> Option<PolicyType> {
        let p = phrase.trim_start().to_ascii_lowercase();
        let table: [(&str, PolicyType); 10] = [
            ("identity-based polic", PolicyType::Identity),
            ("identity based polic", PolicyType::Identity),
            ("resource-based polic", PolicyType::Resource),
            ("resource based polic", PolicyType::Resource),
            ("session polic", PolicyType::Session),
            ("sessions polic", PolicyType::Session),
            ("service control polic", PolicyType::Scp),
            ("resource control polic", PolicyType::Rcp),
            ("vpc endpoint polic", PolicyType::VpcEndpoint),
            ("permissions boundar", PolicyType::Boundary),
        ];
        for (prefix, t) in table {
            if p.starts_with(prefix) {
                return Some(t);
            }
        }
        if p.starts_with("role trust polic") || p.starts_with("trust polic") {
            return Some(PolicyType::Trust);
        }
        None
    }

    /// The trace layers this policy type names.
    fn matches(self, layer: Layer) -> bool {
        matches!(
            (self, layer),
            (PolicyType::Identity, Layer::Identity)
                | (PolicyType::Resource | PolicyType::Trust, Layer::Resource)
                | (PolicyType::Session, Layer::Session)
                | (PolicyType::Scp, Layer::Scp { .. })
                | (PolicyType::Rcp, Layer::Rcp { .. })
                | (PolicyType::VpcEndpoint, Layer::VpcEndpoint)
                | (PolicyType::Boundary, Layer::Boundary)
        )
    }
}

/// What AWS said about its decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsVerdict {
    /// `ExplicitDeny` or `ImplicitDeny`; `None` when the message does not say.
    pub decision: Option<Outcome>,
    pub policy_type: Option<PolicyType>,
    /// The denying policy's ARN, in the messages that name it.
    pub policy_arn: Option<String>,
    /// `... in a VPC endpoint policy transitively through a service control policy`.
    pub through: Option<PolicyType>,
}

/// What an error says about the request and the verdict. Fields the error does not state
/// are `None`: the caller supplies them or says they are missing, never a guess.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub format: Format,
    pub principal: Option<String>,
    pub action: Option<String>,
    /// The API operation the wrapper or record names (`GetObject`).
    pub operation: Option<String>,
    pub resource: Option<String>,
    /// Request context keys the error states (CloudTrail, decoded messages).
    pub context: Vec<(String, Vec<String>)>,
    pub aws: AwsVerdict,
    /// The role a CloudTrail session was issued by (`sessionContext.sessionIssuer.arn`).
    pub session_issuer: Option<String>,
    /// Things the reader noticed and set aside, in words.
    pub notes: Vec<String>,
}

impl Denial {
    fn new(format: Format) -> Denial {
        Denial {
            format,
            principal: None,
            action: None,
            operation: None,
            resource: None,
            context: Vec::new(),
            aws: AwsVerdict::default(),
            session_issuer: None,
            notes: Vec::new(),
        }
    }

    fn add_context(&mut self, key: &str, value: &str) {
        match self
            .context
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some((_, vs)) => vs.push(value.to_string()),
            None => self
                .context
                .push((key.to_string(), vec![value.to_string()])),
        }
    }
}

const EXPECTED: &str = "expected an AWS access denied message (`User: ARN is not authorized to perform: ACTION ...`, `An error occurred (AccessDenied) when calling the OPERATION operation: ...`, S3's `Access Denied`), a CloudTrail record or the output of `aws sts decode-authorization-message`";

/// Reads an error as pasted. `event` picks a record (counting from 1) of a CloudTrail
/// file with several.
pub fn read(bytes: &[u8], event: Option<usize>) -> Result<Denial, String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(format!("the error is not UTF-8 text; {EXPECTED}"));
    };
    if text.contains('\0') {
        return Err(format!("the error is binary data, not text; {EXPECTED}"));
    }
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(format!("the error is empty; {EXPECTED}"));
    }
    if let Some(json) = json_part(text) {
        return read_json(json, event);
    }
    if event.is_some() {
        return Err(
            "`--event` picks a record of a CloudTrail file, and the error is not one".into(),
        );
    }
    read_message(text)
}

/// The JSON object in the text, when the text is one (a CloudTrail record or file, a
/// decoded authorization message), with noise around it allowed.
fn json_part(text: &str) -> Option<&str> {
    let start = text.find('{')?;
    let head = &text[..start];
    // A message that merely contains braces later on is not JSON input.
    if head.contains("is not authorized") {
        return None;
    }
    let rest = &text[start..];
    let marker = [
        "\"eventSource\"",
        "\"eventName\"",
        "\"Records\"",
        "\"DecodedMessage\"",
        "\"CloudTrailEvent\"",
        "\"explicitDeny\"",
        "\"userIdentity\"",
    ];
    if !marker.iter().any(|m| rest.contains(m)) {
        return None;
    }
    let end = rest.rfind('}').map_or(rest.len(), |e| e + 1);
    Some(&rest[..end])
}

fn read_json(text: &str, event: Option<usize>) -> Result<Denial, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            format!("the JSON ends early ({e}): a CloudTrail record or decoded message cut short?")
        } else {
            format!("the JSON does not parse ({e})")
        }
    })?;
    if let Some(inner) = value.get("DecodedMessage") {
        let Some(s) = inner.as_str() else {
            return Err("`DecodedMessage` must be a string of JSON".into());
        };
        let decoded: Value = serde_json::from_str(s)
            .map_err(|e| format!("`DecodedMessage` does not hold JSON ({e})"))?;
        return read_decoded(&decoded);
    }
    if value.get("explicitDeny").is_some() || value.get("allowed").is_some() {
        return read_decoded(&value);
    }
    let records: Vec<Value> = if let Some(r) = value.get("Records") {
        r.as_array()
            .cloned()
            .ok_or("`Records` must be a list of CloudTrail records")?
    } else if let Some(events) = value.get("Events").and_then(Value::as_array) {
        // `aws cloudtrail lookup-events`: each event's record is a string of JSON.
        let mut out = Vec::new();
        for e in events {
            let Some(s) = e.get("CloudTrailEvent").and_then(Value::as_str) else {
                return Err("an event of `Events` has no `CloudTrailEvent` string".into());
            };
            out.push(
                serde_json::from_str(s)
                    .map_err(|e| format!("a `CloudTrailEvent` does not hold JSON ({e})"))?,
            );
        }
        out
    } else if let Some(s) = value.get("CloudTrailEvent").and_then(Value::as_str) {
        vec![
            serde_json::from_str(s)
                .map_err(|e| format!("`CloudTrailEvent` does not hold JSON ({e})"))?,
        ]
    } else {
        vec![value]
    };
    let record = pick_record(&records, event)?;
    read_record(record)
}

fn is_denied_code(code: &str) -> bool {
    let c = code.rsplit('.').next().unwrap_or(code);
    c.starts_with("AccessDenied") || c == "UnauthorizedOperation" || c == "Forbidden"
}

fn pick_record(records: &[Value], event: Option<usize>) -> Result<&Value, String> {
    if records.is_empty() {
        return Err("the CloudTrail file has no records".into());
    }
    if let Some(n) = event {
        return match n.checked_sub(1).and_then(|i| records.get(i)) {
            Some(r) => Ok(r),
            None => Err(format!(
                "`--event {n}`: the file has {} record(s), counted from 1",
                records.len()
            )),
        };
    }
    if records.len() == 1 {
        return records
            .first()
            .ok_or_else(|| "the CloudTrail file has no records".into());
    }
    let denied: Vec<(usize, &Value)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.get("errorCode")
                .and_then(Value::as_str)
                .is_some_and(is_denied_code)
        })
        .collect();
    match denied.as_slice() {
        [(_, r)] => Ok(r),
        [] => Err(format!(
            "none of the {} records is an access denied error; pick one with `--event N`",
            records.len()
        )),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|(i, r)| {
                    let name = r.get("eventName").and_then(Value::as_str).unwrap_or("?");
                    format!("{} (`{name}`)", i + 1)
                })
                .collect();
            Err(format!(
                "{} records are access denied errors: {}; pick one with `--event N`",
                many.len(),
                list.join(", ")
            ))
        }
    }
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn read_record(r: &Value) -> Result<Denial, String> {
    if !r.is_object() {
        return Err("a CloudTrail record must be a JSON object".into());
    }
    let (Some(source), Some(name)) = (str_at(r, &["eventSource"]), str_at(r, &["eventName"]))
    else {
        return Err(
            "the CloudTrail record has no `eventSource` and `eventName`: is it a whole record?"
                .into(),
        );
    };
    let mut d = Denial::new(Format::CloudTrail);
    match str_at(r, &["errorCode"]) {
        Some(c) if is_denied_code(c) => {}
        Some(c) => {
            return Err(format!(
                "the CloudTrail record of `{name}` failed with `{c}`, not an access denied error; pick a record whose `errorCode` is `AccessDenied`"
            ));
        }
        None => {
            return Err(format!(
                "the CloudTrail record of `{name}` has no `errorCode`: AWS allowed it; pick a record whose `errorCode` is `AccessDenied`"
            ));
        }
    }
    let service = source.split('.').next().unwrap_or(source).to_string();
    d.operation = Some(name.to_string());
    d.action = action_of_operation(&service, name);
    // The message in the record, when it is the full IAM sentence, says the rest.
    if let Some(msg) = str_at(r, &["errorMessage"]) {
        if let Ok(m) = read_iam_sentence(&normalize(msg)) {
            d.aws = m.aws;
            if d.action.is_none() {
                d.action = m.action;
            }
            d.resource = m.resource;
            d.principal = m.principal;
        }
    }
    // Who called.
    let ident = r.get("userIdentity");
    let kind = ident.and_then(|i| str_at(i, &["type"]));
    let arn = ident.and_then(|i| str_at(i, &["arn"]));
    let account = ident.and_then(|i| str_at(i, &["accountId"]));
    if d.principal.is_none() {
        d.principal = match (kind, arn, account) {
            (_, Some(arn), _) => Some(arn.to_string()),
            (Some("AWSAccount"), None, Some("anonymous")) => Some("anonymous".into()),
            (Some("AWSService"), None, _) => ident
                .and_then(|i| str_at(i, &["invokedBy"]))
                .map(str::to_string),
            _ => None,
        };
    }
    if d.principal.is_none() {
        if let Some(a) = account {
            d.notes.push(format!(
                "the record names only the caller's account `{a}`, not the caller"
            ));
        }
    }
    if let Some(issuer) = ident.and_then(|i| str_at(i, &["sessionContext", "sessionIssuer", "arn"]))
    {
        d.session_issuer = Some(issuer.to_string());
    }
    if let Some(mfa) =
        ident.and_then(|i| str_at(i, &["sessionContext", "attributes", "mfaAuthenticated"]))
    {
        d.add_context("aws:MultiFactorAuthPresent", mfa);
    }
    // Where from.
    if let Some(ip) = str_at(r, &["sourceIPAddress"]) {
        if ip.parse::<std::net::IpAddr>().is_ok() {
            d.add_context("aws:SourceIp", ip);
        }
    }
    if let Some(vpce) = str_at(r, &["vpcEndpointId"]) {
        d.add_context("aws:SourceVpce", vpce);
    }
    let region = str_at(r, &["awsRegion"]);
    if let Some(region) = region {
        d.add_context("aws:RequestedRegion", region);
    }
    if let Some(by) = ident.and_then(|i| str_at(i, &["invokedBy"])) {
        if service == "kms" && by.ends_with(".amazonaws.com") {
            if let Some(region) = region {
                let svc = by.trim_end_matches(".amazonaws.com");
                d.add_context("kms:ViaService", &format!("{svc}.{region}.amazonaws.com"));
            }
        }
    }
    // On what.
    let params = r.get("requestParameters").filter(|p| p.is_object());
    if d.resource.is_none() {
        d.resource = record_resource(r, params, &service, region);
    }
    if let (Some(p), "s3") = (params, service.as_str()) {
        if let Some(prefix) = str_at(p, &["prefix"]) {
            d.add_context("s3:prefix", prefix);
        }
    }
    if let (Some(p), "kms") = (params, service.as_str()) {
        if let Some(ctx) = p.get("encryptionContext").and_then(Value::as_object) {
            for (k, v) in ctx {
                if let Some(v) = v.as_str() {
                    d.add_context(&format!("kms:EncryptionContext:{k}"), v);
                }
            }
        }
    }
    Ok(d)
}

fn record_resource(
    r: &Value,
    params: Option<&Value>,
    service: &str,
    region: Option<&str>,
) -> Option<String> {
    match service {
        "s3" => {
            let p = params?;
            let bucket = str_at(p, &["bucketName"])?;
            Some(match str_at(p, &["key"]) {
                Some(key) => format!("arn:aws:s3:::{bucket}/{key}"),
                None => format!("arn:aws:s3:::{bucket}"),
            })
        }
        "kms" => {
            let from_resources = r.get("resources").and_then(Value::as_array).and_then(|rs| {
                rs.iter()
                    .filter_map(|x| str_at(x, &["ARN"]))
                    .find(|a| a.starts_with("arn:") && a.contains(":key/"))
            });
            if let Some(a) = from_resources {
                return Some(a.to_string());
            }
            let id = params.and_then(|p| str_at(p, &["keyId"]))?;
            if id.starts_with("arn:") {
                return Some(id.to_string());
            }
            match (str_at(r, &["recipientAccountId"]), region) {
                (Some(account), Some(region)) => {
                    Some(format!("arn:aws:kms:{region}:{account}:key/{id}"))
                }
                _ => Some(format!("key/{id}")),
            }
        }
        _ => r
            .get("resources")
            .and_then(Value::as_array)
            .and_then(|rs| rs.iter().find_map(|x| str_at(x, &["ARN"])))
            .map(str::to_string),
    }
}

fn read_decoded(v: &Value) -> Result<Denial, String> {
    let mut d = Denial::new(Format::DecodedAuthorization);
    let ctx = v
        .get("context")
        .ok_or("the decoded authorization message has no `context`")?;
    d.principal = str_at(ctx, &["principal", "arn"]).map(str::to_string);
    d.action = str_at(ctx, &["action"]).map(str::to_string);
    d.resource = str_at(ctx, &["resource"]).map(str::to_string);
    if let Some(items) = ctx
        .get("conditions")
        .and_then(|c| c.get("items"))
        .and_then(Value::as_array)
    {
        for item in items {
            let Some(key) = str_at(item, &["key"]) else {
                continue;
            };
            // AWS's own bookkeeping keys (`aws:Resource`, `aws:Type`, `aws:ID`, ...) are
            // not condition keys a policy can test; keep the rest.
            if matches!(
                key.to_ascii_lowercase().as_str(),
                "aws:resource" | "aws:type" | "aws:id" | "aws:account" | "aws:service"
            ) {
                continue;
            }
            let values = item
                .get("values")
                .and_then(|x| x.get("items"))
                .and_then(Value::as_array);
            for value in values.into_iter().flatten() {
                if let Some(s) = str_at(value, &["value"]) {
                    d.add_context(key, s);
                }
            }
        }
    }
    if v.get("allowed").and_then(Value::as_bool) == Some(true) {
        return Err(
            "the decoded message says AWS allowed the request: there is no denial to explain"
                .into(),
        );
    } else {
        d.aws.decision = Some(
            if v.get("explicitDeny").and_then(Value::as_bool) == Some(true) {
                Outcome::ExplicitDeny
            } else {
                Outcome::ImplicitDeny
            },
        );
    }
    Ok(d)
}

/// Joins a pasted message into one line: terminal line breaks, Terraform's `│` box, XML
/// entities and surrounding quotes go.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim().trim_start_matches(['│', '╷', '╵', '|']).trim();
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The word after `marker` up to whitespace (and a trailing `,`/`;`/`)`/`.`).
fn word_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let at = text.find(marker)? + marker.len();
    let rest = text[at..].trim_start();
    let w = rest.split_whitespace().next()?;
    let w = w.trim_end_matches([',', ';', ')', '.']);
    (!w.is_empty()).then_some(w)
}

fn read_message(text: &str) -> Result<Denial, String> {
    let line = normalize(text);
    let wrapper = read_wrapper(&line);
    match read_iam_sentence(&line) {
        Ok(mut d) => {
            d.operation = wrapper.operation;
            if let (Some(op), Some(service)) = (&d.operation, &wrapper.service) {
                if d.action.is_none() {
                    d.action = action_of_operation(service, op);
                }
            }
            Ok(d)
        }
        Err(partial) => {
            // S3's bare answers: `Access Denied`, and `Forbidden` for a HEAD request
            // (`An error occurred (403) when calling the HeadObject operation: Forbidden`).
            if line.contains("Access Denied")
                || (wrapper.operation.is_some() && line.contains("Forbidden"))
            {
                let mut d = Denial::new(Format::S3AccessDenied);
                d.operation = wrapper.operation.clone();
                // S3's bare message: the only service that answers with these words.
                let service = wrapper.service.clone().unwrap_or_else(|| "s3".into());
                d.action = d
                    .operation
                    .as_deref()
                    .and_then(|op| action_of_operation(&service, op));
                return Ok(d);
            }
            if let Some(why) = partial {
                return Err(why);
            }
            let foreign = line
                .chars()
                .filter(|c| c.is_alphabetic() && !c.is_ascii())
                .count()
                > line.chars().filter(char::is_ascii_alphabetic).count() / 4;
            if foreign {
                return Err(format!(
                    "the message is not in English, and AWS's error formats are read in English; paste the CloudTrail record of the request, or the English message; {EXPECTED}"
                ));
            }
            Err(format!(
                "no access denied error found in the text; {EXPECTED}"
            ))
        }
    }
}

struct Wrapper {
    operation: Option<String>,
    /// The service prefix, when the wrapper names it (Go SDK).
    service: Option<String>,
}

fn read_wrapper(line: &str) -> Wrapper {
    // CLI / boto3: `An error occurred (AccessDenied) when calling the GetObject operation:`
    if let Some(op) = word_after(line, "when calling the ") {
        return Wrapper {
            operation: Some(op.to_string()),
            service: None,
        };
    }
    // Go SDK v2: `operation error S3: GetObject, https response error StatusCode: 403`.
    if let Some(at) = line.find("operation error ") {
        let rest = &line[at + "operation error ".len()..];
        if let Some((svc, tail)) = rest.split_once(':') {
            let op = tail
                .trim_start()
                .split([',', ' '])
                .next()
                .unwrap_or_default();
            if !op.is_empty() && !svc.contains(' ') {
                return Wrapper {
                    operation: Some(op.to_string()),
                    service: Some(svc.to_ascii_lowercase()),
                };
            }
        }
    }
    Wrapper {
        operation: None,
        service: None,
    }
}

/// Reads `... is not authorized to perform: ACTION [on resource: RES] [REASON]`. The
/// error is `Some(why)` when the sentence is there but cannot be read.
fn read_iam_sentence(line: &str) -> Result<Denial, Option<String>> {
    const NOT_AUTH: &str = " is not authorized to perform";
    let Some(at) = line.find(NOT_AUTH) else {
        return Err(None);
    };
    let mut d = Denial::new(Format::IamMessage);
    let head = &line[..at];
    let principal = head
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .trim_matches(['"', '\'', '`']);
    if !principal.is_empty() && principal != "User:" {
        d.principal = Some(principal.to_string());
    }
    let rest = line[at + NOT_AUTH.len()..]
        .trim_start_matches(':')
        .trim_start();
    let Some(action) = rest.split_whitespace().next() else {
        return Err(Some(
            "the message stops after `is not authorized to perform`: expected the action, as in `is not authorized to perform: s3:GetObject`".into(),
        ));
    };
    let action = action.trim_end_matches([',', '.', ';']);
    if !action.contains(':') {
        return Err(Some(format!(
            "`{action}` after `is not authorized to perform` is not an action such as `s3:GetObject`"
        )));
    }
    d.action = Some(action.to_string());
    let mut rest = rest[rest.find(action).map_or(0, |i| i + action.len())..].trim_start();
    // The resource: `on resource: ARN`, `on resource: "ARN"`, `on "ARN"`, or words
    // (`on resource: role NAME`) up to the reason.
    let on = ["on resource:", "on resource", "on "]
        .into_iter()
        .find(|p| rest.starts_with(p));
    if let Some(p) = on {
        rest = rest[p.len()..].trim_start();
        let (res, after) = if let Some(q) = rest.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (&q[..end], &q[end + 1..]),
                None => (q, ""),
            }
        } else {
            let end = [" because ", " with an explicit deny", " with an explicit"]
                .iter()
                .filter_map(|m| rest.find(m))
                .min()
                .unwrap_or_else(|| rest.find(". ").unwrap_or(rest.len()));
            (&rest[..end], &rest[end..])
        };
        let res = res.trim().trim_end_matches(['.', ',']);
        if !res.is_empty() {
            d.resource = Some(res.to_string());
        }
        rest = after.trim_start();
    }
    read_reason(rest, &mut d.aws);
    Ok(d)
}

fn read_reason(rest: &str, aws: &mut AwsVerdict) {
    if let Some(after) = rest.strip_prefix("because no ") {
        aws.decision = Some(Outcome::ImplicitDeny);
        aws.policy_type = PolicyType::read(after);
    } else if let Some(after) = rest.strip_prefix("because the ") {
        // AWS's trust-policy example: `because the role trust policy allows the ...`.
        aws.decision = Some(Outcome::ImplicitDeny);
        aws.policy_type = PolicyType::read(after);
    } else if let Some(after) = rest.strip_prefix("with an explicit deny") {
        aws.decision = Some(Outcome::ExplicitDeny);
        let after = after.trim_start();
        let after = ["in an ", "in a ", "in the ", "in "]
            .into_iter()
            .find_map(|p| after.strip_prefix(p))
            .unwrap_or(after);
        aws.policy_type = PolicyType::read(after);
        if let Some(colon) = after.find(": arn:") {
            let arn = after[colon + 2..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .trim_end_matches(['.', ',']);
            aws.policy_arn = Some(arn.to_string());
        }
        if let Some(t) = after.find("transitively through ") {
            let tail = &after[t + "transitively through ".len()..];
            let tail = ["an ", "a ", "the "]
                .into_iter()
                .find_map(|p| tail.strip_prefix(p))
                .unwrap_or(tail);
            aws.through = PolicyType::read(tail);
        }
    }
}

/// The IAM action an API operation needs: `s3:GetObject` for S3's `GetObject`,
/// `s3:ListBucket` for `ListObjectsV2`. Only actions the catalogue knows are returned.
pub fn action_of_operation(service: &str, operation: &str) -> Option<String> {
    // Operations whose action has another name (S3 user guide, "Required permissions for
    // Amazon S3 API operations").
    const RENAMED: &[(&str, &str, &str)] = &[
        ("s3", "HeadObject", "GetObject"),
        ("s3", "HeadBucket", "ListBucket"),
        ("s3", "ListObjects", "ListBucket"),
        ("s3", "ListObjectsV2", "ListBucket"),
        ("s3", "ListObjectVersions", "ListBucketVersions"),
        ("s3", "ListBuckets", "ListAllMyBuckets"),
        ("s3", "ListMultipartUploads", "ListBucketMultipartUploads"),
        ("s3", "ListParts", "ListMultipartUploadParts"),
        ("s3", "CreateMultipartUpload", "PutObject"),
        ("s3", "UploadPart", "PutObject"),
        ("s3", "UploadPartCopy", "PutObject"),
        ("s3", "CompleteMultipartUpload", "PutObject"),
        ("s3", "CopyObject", "PutObject"),
        ("s3", "DeleteObjects", "DeleteObject"),
        ("s3", "SelectObjectContent", "GetObject"),
        ("s3", "GetObjectAttributes", "GetObjectAttributes"),
        ("s3", "DeleteBucketPolicy", "DeleteBucketPolicy"),
        ("s3", "GetBucketEncryption", "GetEncryptionConfiguration"),
        ("s3", "PutBucketEncryption", "PutEncryptionConfiguration"),
        (
            "s3",
            "GetBucketLifecycleConfiguration",
            "GetLifecycleConfiguration",
        ),
        (
            "s3",
            "PutBucketLifecycleConfiguration",
            "PutLifecycleConfiguration",
        ),
        ("s3", "GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
        ("s3", "PutPublicAccessBlock", "PutBucketPublicAccessBlock"),
        (
            "s3",
            "GetBucketOwnershipControls",
            "GetBucketOwnershipControls",
        ),
        ("s3", "GetBucketReplication", "GetReplicationConfiguration"),
        ("s3", "PutBucketReplication", "PutReplicationConfiguration"),
        (
            "s3",
            "GetObjectLockConfiguration",
            "GetBucketObjectLockConfiguration",
        ),
        (
            "s3",
            "PutObjectLockConfiguration",
            "PutBucketObjectLockConfiguration",
        ),
        ("s3", "GetObjectLegalHold", "GetObjectLegalHold"),
    ];
    let service = service.to_ascii_lowercase();
    let name = RENAMED
        .iter()
        .find(|(s, op, _)| *s == service && op.eq_ignore_ascii_case(operation))
        .map_or(operation, |(_, _, a)| *a);
    match catalog().action(&format!("{service}:{name}")) {
        ActionLookup::Found(s, a) => Some(format!("{}:{}", s.prefix, a.name)),
        _ => None,
    }
}

/// What the caller gives next to the error; each set field wins over what the error says.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub principal: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub context: Vec<(String, Vec<String>)>,
}

/// One statement or policy that decides, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deciding {
    pub path: String,
    /// Byte range in the file: the statement, or the whole policy for a policy that does
    /// not allow.
    pub span: latch_syntax::Span,
    /// 1-based line and column (Unicode scalar values).
    pub line: usize,
    pub column: usize,
    /// The statement's Sid, else its 1-based number (`#2`); `None` when a whole policy
    /// decides.
    pub statement: Option<String>,
    /// The kind of policy, in words (`bucket policy`, `identity policy`, ...).
    pub policy: String,
}

/// The answer: the workspace's decision for the request the error describes, compared with
/// AWS's.
#[derive(Debug)]
pub struct Explanation {
    pub request: Request,
    pub decision: Decision,
    pub aws: AwsVerdict,
    pub agrees: bool,
    pub deciding: Vec<Deciding>,
    /// The workspace principal the caller maps to (a session's role), when not itself.
    pub mapped_to: Option<String>,
    /// When the verdicts disagree: the likely reasons, in words. Also notes of the reader.
    pub reasons: Vec<String>,
}

/// Builds the request from the error and the overrides, or says what is missing.
pub fn request(d: &Denial, o: &Overrides) -> Result<Request, String> {
    let principal = o.principal.clone().or_else(|| d.principal.clone());
    let action = o.action.clone().or_else(|| d.action.clone());
    let Some(action) = action else {
        return Err(match &d.operation {
            Some(op) => format!(
                "the IAM action of the `{op}` operation is not known to Latch; give it with `--action`"
            ),
            None => "the error does not name the action or the operation; give it with `--action`, e.g. `--action s3:GetObject`".into(),
        });
    };
    let Some(principal) = principal else {
        return Err(match d.format {
            Format::S3AccessDenied => format!(
                "S3's `Access Denied` does not name the caller; give it with `--principal ARN`{}",
                if o.resource.is_none() && d.resource.is_none() {
                    " and the object or bucket with `--resource ARN`"
                } else {
                    ""
                }
            ),
            _ => "the error does not name the caller; give it with `--principal ARN`".into(),
        });
    };
    let resource = match o.resource.clone().or_else(|| d.resource.clone()) {
        Some(r) => r,
        None => match catalog().action(&action) {
            ActionLookup::Found(_, a) if !a.has_resource_types() => "*".to_string(),
            _ => {
                return Err(format!(
                    "the error does not name the resource of `{action}`; give it with `--resource ARN`"
                ));
            }
        },
    };
    let mut context = Context::new();
    let mut pairs = d.context.clone();
    for (k, vs) in &o.context {
        pairs.retain(|(key, _)| !key.eq_ignore_ascii_case(k));
        pairs.push((k.clone(), vs.clone()));
    }
    for (k, vs) in pairs {
        context.insert(&k, vs);
    }
    Ok(Request::new(
        PrincipalId::parse(&principal),
        &action,
        &resource,
        context,
    ))
}

fn column_of(text: &str, offset: usize) -> (usize, usize) {
    let Some(before) = text.get(..offset.min(text.len())) else {
        return (1, 1);
    };
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn place(ws: &Workspace, p: &PolicyTrace, statement: Option<usize>, req: &Request) -> Deciding {
    let path = p.policy.reference.label.to_string();
    let (span, name) = match statement.and_then(|i| p.statement(i).map(|s| (i, s))) {
        Some((i, st)) => (
            st.sid.as_ref().map_or(st.span, |x| x.span),
            Some(st.label(i).to_string()),
        ),
        None => (p.policy.source.span, None),
    };
    let (line, column) = ws.text(&path).map_or((1, 1), |t| column_of(t, span.start));
    Deciding {
        path,
        span,
        line,
        column,
        statement: name,
        policy: latch_eval::render::policy_name(p, Some(req)),
    }
}

pub(crate) fn blocker_layers(b: &Blocker) -> Vec<Layer> {
    match b {
        Blocker::NoAllow => vec![Layer::Identity, Layer::Resource],
        Blocker::Scp { level } => vec![Layer::Scp { level: *level }],
        Blocker::Rcp { level } => vec![Layer::Rcp { level: *level }],
        Blocker::VpcEndpoint => vec![Layer::VpcEndpoint],
        Blocker::Boundary => vec![Layer::Boundary],
        Blocker::SessionPolicy => vec![Layer::Session],
        Blocker::ResourcePolicyRequired | Blocker::KeyPolicy | Blocker::KeyPolicyUnknown => {
            vec![Layer::Resource]
        }
        Blocker::IdentityRequired | Blocker::DelegationWithoutIdentityAllow => {
            vec![Layer::Identity]
        }
        _ => Vec::new(),
    }
}

/// The layers and places that decide a denial of `decision`.
fn deciding_of(ws: &Workspace, d: &Decision, req: &Request) -> (Vec<Layer>, Vec<Deciding>) {
    let trace = &d.trace;
    match &trace.basis {
        Basis::Denied(refs) => {
            let mut layers = Vec::new();
            let mut out = Vec::new();
            for r in refs {
                if let Some(p) = trace.policy(*r) {
                    layers.push(p.layer);
                    out.push(place(ws, p, Some(r.statement), req));
                }
            }
            (layers, out)
        }
        Basis::Blocked(b) => {
            let layers = blocker_layers(b);
            let out = trace
                .policies
                .iter()
                .filter(|p| p.not_applicable.is_none())
                .filter(|p| {
                    layers.iter().any(|l| match (l, p.layer) {
                        (Layer::VpcEndpoint, Layer::VpcEndpoint) => true,
                        _ => *l == p.layer,
                    })
                })
                .map(|p| place(ws, p, None, req))
                .collect();
            (layers, out)
        }
        Basis::Allowed { .. } | Basis::AlwaysAllowed => (Vec::new(), Vec::new()),
    }
}

/// Runs the request of `denial` over the sub-workspace at `root` and compares.
pub fn explain(
    ws: &Workspace,
    root: &str,
    denial: &Denial,
    overrides: &Overrides,
) -> Result<Explanation, String> {
    let mut req = request(denial, overrides)?;
    let ix = access::index_at(ws, root);
    let mut reasons: Vec<String> = denial.notes.clone();
    // A KMS key named by its ID (CloudTrail's `keyId`, a message with a key ID built into
    // an ARN of the recipient account): the workspace's key with that ID, when only one has it.
    if req.service() == "kms" && ix.key(&req.resource).is_none() {
        if let Some((_, id)) = req.resource.rsplit_once("key/") {
            let suffix = format!(":key/{id}");
            let found: Vec<&str> = ix
                .keys
                .iter()
                .filter(|k| !k.stand_in && k.arn.ends_with(&suffix))
                .map(|k| k.arn.as_str())
                .collect();
            if let [arn] = found.as_slice() {
                if *arn != req.resource {
                    reasons.push(format!("the key ID `{id}` is the workspace's key `{arn}`"));
                    req.resource = (*arn).into();
                }
            }
        }
    }
    let mapped_to = ix
        .principal(req.principal.arn())
        .map(|p| p.arn.clone())
        .filter(|a| a != req.principal.arn());
    let known_caller = ix.principal(req.principal.arn()).is_some();
    let decision = crate::lenses::decide(ws, root, &req);
    let (mut layers, mut deciding) = deciding_of(ws, &decision, &req);
    // A denial that comes from the dependent SSE-KMS request: point at the key policy.
    if decision.trace.outcome.is_allow() {
        if let Some(dep) = decision.dependent.iter().find(|x| !x.outcome.is_allow()) {
            let (l, p) = deciding_of(
                ws,
                &Decision {
                    outcome: dep.outcome,
                    trace: dep.trace.clone(),
                    dependent: Vec::new(),
                    http: None,
                },
                &dep.request,
            );
            layers = l;
            deciding = p;
        }
    }
    let aws = denial.aws.clone();
    let ws_denies = !decision.outcome.is_allow();
    let kind_agrees = match aws.decision {
        None => true,
        Some(k) => {
            k == decision.outcome
                // AWS: an SCP denial always says "explicit deny", even when it is implicit.
                || (aws.policy_type == Some(PolicyType::Scp) && ws_denies)
        }
    };
    let type_agrees = match aws.policy_type {
        None => true,
        Some(t) => {
            layers.iter().any(|l| t.matches(*l))
                || aws
                    .through
                    .is_some_and(|t2| layers.iter().any(|l| t2.matches(*l)))
        }
    };
    let agrees = ws_denies && kind_agrees && type_agrees;
    if !agrees {
        if !ws_denies {
            reasons.push(
                "the workspace allows this request: the deployed policies may differ from the code, or AWS evaluated a policy the workspace does not hold".into(),
            );
        } else if !kind_agrees {
            match (aws.decision, decision.outcome) {
                (Some(Outcome::ExplicitDeny), Outcome::ImplicitDeny) => reasons.push(
                    "AWS found a `Deny` statement that matches, and the workspace has none: the deployed policy may differ from the code, or the denying policy is not in the workspace".into(),
                ),
                (Some(Outcome::ImplicitDeny), Outcome::ExplicitDeny) => reasons.push(
                    "the workspace denies explicitly where AWS found only no `Allow`: the deployed policy may lack the `Deny` statement the code has, or the request's context differs from what the error states".into(),
                ),
                _ => {}
            }
        }
        if let Some(t) = aws.policy_type {
            if ws_denies && !type_agrees {
                let present = decision
                    .trace
                    .policies
                    .iter()
                    .any(|p| p.not_applicable.is_none() && t.matches(p.layer));
                if present {
                    reasons.push(format!(
                        "AWS names {} and the workspace's applies but does not decide: the deployed policy may differ from the code",
                        t.words()
                    ));
                } else {
                    reasons.push(format!(
                        "AWS names {}, and the workspace holds none that applies to this request",
                        t.words()
                    ));
                }
            }
        }
    }
    if !agrees {
        if let Some(arn) = &aws.policy_arn {
            reasons.push(format!("AWS names the denying policy `{arn}`"));
        }
    }
    if !known_caller {
        reasons.push(format!(
            "the caller `{}` is not in the workspace: none of its identity policies is known",
            req.principal.arn()
        ));
    }
    Ok(Explanation {
        request: req,
        decision,
        aws,
        agrees,
        deciding,
        mapped_to,
        reasons,
    })
}

/// Markdown for an editor: the request read, both verdicts, the deciding places and the
/// trace. `locate` renders `path:line` of a statement.
pub fn markdown(e: &Explanation, locate: latch_eval::render::Locate<'_>) -> String {
    let r = &e.request;
    let mut s = String::new();
    s.push_str(&format!(
        "**{}** — `{}` by `{}` on `{}`\n\n",
        if e.agrees {
            "the workspace explains this error"
        } else {
            "the workspace does not explain this error"
        },
        r.action,
        r.principal.arn(),
        r.resource
    ));
    if let Some(m) = &e.mapped_to {
        s.push_str(&format!("- the caller is a session of `{m}`\n"));
    }
    s.push_str(&format!("- AWS: {}\n", aws_words(&e.aws)));
    s.push_str(&format!(
        "- workspace: {}\n",
        e.decision.outcome.as_str().replace('_', " ")
    ));
    for d in &e.deciding {
        s.push_str(&format!(
            "- decided by {}{} ({}:{}:{})\n",
            d.statement
                .as_ref()
                .map(|x| format!("statement `{x}` of the "))
                .unwrap_or_else(|| "the ".into()),
            d.policy,
            d.path,
            d.line,
            d.column
        ));
    }
    for reason in &e.reasons {
        s.push_str(&format!("- {reason}\n"));
    }
    s.push_str("\n```text\n");
    s.push_str(&latch_eval::render::explain(&e.decision, r, locate));
    s.push_str("```\n");
    s
}

/// AWS's verdict in words: `explicit deny in a service control policy`.
pub fn aws_words(a: &AwsVerdict) -> String {
    let kind = match a.decision {
        Some(o) => o.as_str().replace('_', " "),
        None => "denied (the error does not say how)".into(),
    };
    match a.policy_type {
        Some(t) => format!("{kind} in {}", t.words()),
        None => kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_type_phrase_is_read() {
        let cases = [
            (
                "because no identity-based policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Identity,
            ),
            (
                "because no resource-based policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Resource,
            ),
            (
                "because no session policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Session,
            ),
            (
                "because no service control policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Scp,
            ),
            (
                "because no resource control policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Rcp,
            ),
            (
                "because no VPC endpoint policy allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::VpcEndpoint,
            ),
            (
                "because no permissions boundary allows the s3:GetObject action",
                Outcome::ImplicitDeny,
                PolicyType::Boundary,
            ),
            (
                "with an explicit deny in an identity-based policy",
                Outcome::ExplicitDeny,
                PolicyType::Identity,
            ),
            (
                "with an explicit deny in a resource-based policy",
                Outcome::ExplicitDeny,
                PolicyType::Resource,
            ),
            (
                "with an explicit deny in a sessions policy",
                Outcome::ExplicitDeny,
                PolicyType::Session,
            ),
            (
                "with an explicit deny in a service control policy",
                Outcome::ExplicitDeny,
                PolicyType::Scp,
            ),
            (
                "with an explicit deny in a resource control policy",
                Outcome::ExplicitDeny,
                PolicyType::Rcp,
            ),
            (
                "with an explicit deny in a VPC endpoint policy",
                Outcome::ExplicitDeny,
                PolicyType::VpcEndpoint,
            ),
            (
                "with an explicit deny in a permissions boundary",
                Outcome::ExplicitDeny,
                PolicyType::Boundary,
            ),
            (
                "with an explicit deny in the role trust policy",
                Outcome::ExplicitDeny,
                PolicyType::Trust,
            ),
        ];
        for (reason, kind, t) in cases {
            let text = format!(
                "User: arn:aws:iam::111122223333:user/Jane is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" {reason}"
            );
            let d = read(text.as_bytes(), None).expect(reason);
            assert_eq!(d.aws.decision, Some(kind), "{reason}");
            assert_eq!(d.aws.policy_type, Some(t), "{reason}");
            assert_eq!(d.resource.as_deref(), Some("arn:aws:s3:::b/k"));
            assert_eq!(
                d.principal.as_deref(),
                Some("arn:aws:iam::111122223333:user/Jane")
            );
        }
    }

    #[test]
    fn the_denying_policy_arn_and_the_transitive_form() {
        let d = read(b"An error occurred (AccessDenied) when calling the ListRoles operation: User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy: arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd", None).expect("read");
        assert_eq!(d.operation.as_deref(), Some("ListRoles"));
        assert_eq!(
            d.aws.policy_arn.as_deref(),
            Some(
                "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"
            )
        );
        let d = read(b"User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is not authorized to perform: \nSNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 \nwith an explicit deny in a VPC endpoint policy transitively through a service control policy", None).expect("read");
        assert_eq!(d.aws.policy_type, Some(PolicyType::VpcEndpoint));
        assert_eq!(d.aws.through, Some(PolicyType::Scp));
        assert_eq!(d.action.as_deref(), Some("SNS:Publish"));
    }

    #[test]
    fn operations_map_to_actions_through_the_catalogue() {
        assert_eq!(
            action_of_operation("s3", "GetObject").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            action_of_operation("s3", "HeadObject").as_deref(),
            Some("s3:GetObject")
        );
        assert_eq!(
            action_of_operation("s3", "ListObjectsV2").as_deref(),
            Some("s3:ListBucket")
        );
        assert_eq!(
            action_of_operation("s3", "GetObjectAttributes").as_deref(),
            Some("s3:GetObjectAttributes")
        );
        assert_eq!(
            action_of_operation("kms", "Decrypt").as_deref(),
            Some("kms:Decrypt")
        );
        assert_eq!(action_of_operation("s3", "NoSuchOperation"), None);
    }

    #[test]
    fn every_prefix_of_real_inputs_reads_without_panicking() {
        let inputs: [&[u8]; 4] = [
            include_bytes!("../../../tests/fixtures/denied-errors/cloudtrail-kms.json"),
            include_bytes!("../../../tests/fixtures/denied-errors/cloudtrail-records.json"),
            include_bytes!("../../../tests/fixtures/denied-errors/decoded.json"),
            "operation error S3: GetObject, https response error StatusCode: 403, api error AccessDenied: User: arn:aws:sts::1:assumed-role/R/s is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/レポート😀\" with an explicit deny in a service control policy: arn:aws:organizations::1:policy/o-x/service_control_policy/p-y transitively through a service control policy".as_bytes(),
        ];
        for input in inputs {
            for end in 0..=input.len() {
                let prefix = input.get(..end).unwrap_or_default();
                let _ = read(prefix, None);
                let _ = read(prefix, Some(2));
            }
        }
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        for bad in [
            &b""[..],
            b"   \n  ",
            b"\xff\xfe\x00binary",
            b"{\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"GetOb",
            "ユーザー: arn:aws:iam::1:user/tester は実行する権限がありません".as_bytes(),
            b"hello world",
            b"User: x is not authorized to perform",
            b"User: x is not authorized to perform: nothing",
            b"{\"Records\": []}",
            b"{\"Records\": [1, 2]}",
            b"{\"DecodedMessage\": 3}",
        ] {
            assert!(read(bad, None).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let err = read(
            "ユーザー: arn:aws:iam::1:user/tester は実行する権限がありません".as_bytes(),
            None,
        )
        .unwrap_err();
        assert!(err.contains("not in English"), "{err}");
    }
}
