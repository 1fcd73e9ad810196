//! `latch why`: the decision for one request across every policy a workspace's
//! `latch.toml` describes, with its trace. Human output renders the trace with the
//! `path:line` of every statement; `--format json` prints
//! `{"decision", "reason", "trace", "dependent", "http"}`.
//!
//! Runs on any folder; `latch.toml` is optional. A decision that turns on facts the
//! workspace does not state is `"depends"` in JSON, with `"conditions"` in words.
//!
//! With `--error TEXT|@FILE|-`, the request comes from an access denied error as pasted
//! (read by [`latch_ide::denied`]; flags given next to it win), and the answer compares
//! AWS's verdict with the workspace's: JSON adds `"request"`, `"aws"`, `"agrees"` and
//! `"deciding"`.
//!
//! The request is checked before it is evaluated: the principal is an IAM or STS ARN,
//! `anonymous` or a service principal; the resource an ARN or `*`; the action one the
//! catalogue knows (else its "did you mean"). A caller the workspace does not describe is
//! said to be unknown on standard error, and evaluated with its own policies unknown.
//!
//! Exit 0 on allow and on `depends` (allowed under the conditions printed), 1 on deny
//! (explicit or implicit), the same for the workspace's decision under `--error`; 2 on
//! bad input (a principal, resource or action as above, a path that is not a folder, a
//! malformed `--context`, an error that cannot be read or does not say enough).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use latch_eval::render::{self, failure_span, failure_text, policy_name, statement_name};
use latch_eval::{Context, Decision, PolicyRef, PrincipalId, Request, StatementOutcome, Trace};
use latch_ide::denied;
use latch_syntax::span::Span;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WhyFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 when the request is allowed, or allowed depending on \
conditions the output states (`depends`); 1 when it is denied (explicitly or implicitly); \
2 on bad input (a principal, resource or action that is not valid, a missing folder, an \
error text that cannot be read). With `--error`, the same for the workspace's decision."
)]
pub struct WhyArgs {
    /// The caller: an IAM user, role, root or `sts` assumed-role ARN, `anonymous`, or a
    /// service principal such as `s3.amazonaws.com`.
    #[arg(long)]
    pub principal: Option<String>,
    /// The action, e.g. `s3:GetObject`.
    #[arg(long)]
    pub action: Option<String>,
    /// The resource ARN, or `*` for actions without a resource.
    #[arg(long)]
    pub resource: Option<String>,
    /// An access denied error as pasted: the text, `@FILE`, or `-` for standard input. An
    /// AWS message, S3's `Access Denied`, a CloudTrail record or file, or the output of
    /// `aws sts decode-authorization-message`.
    #[arg(long, value_name = "TEXT|@FILE|-")]
    pub error: Option<String>,
    /// The record of a CloudTrail `{"Records": [...]}` file to explain, counting from 1.
    #[arg(long, value_name = "N")]
    pub event: Option<usize>,
    /// A request context key, `KEY=VALUE`; repeat a key for several values.
    #[arg(long = "context", value_name = "KEY=VALUE")]
    pub context: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: WhyFormat,
    /// The workspace folder holding `latch.toml` (default: the current folder).
    pub path: Option<PathBuf>,
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Line numbers of the workspace's files, for the trace.
struct Files<'w> {
    workspace: &'w latch_ide::workspace::Workspace,
}

impl Files<'_> {
    fn line(&self, label: &str, span: Span) -> Option<usize> {
        self.workspace.text(label).map(|t| line_of(t, span.start))
    }

    fn locate(&self, r: &PolicyRef, span: Span) -> String {
        match self.line(&r.label, span) {
            Some(l) => format!("{}:{l}", r.label),
            None => r.label.to_string(),
        }
    }
}

fn trace_json(trace: &Trace, req: &Request, files: &Files) -> Value {
    let deciding = trace.deciding();
    let policies: Vec<Value> = trace
        .policies
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            let label = p.policy.reference.label.to_string();
            let statements: Vec<Value> = p
                .statements
                .iter()
                .filter_map(|s| {
                    let st = p.statement(s.index)?;
                    let line = files.line(&label, st.sid.as_ref().map_or(st.span, |x| x.span));
                    let (result, reason, reason_line) = match &s.outcome {
                        StatementOutcome::Matched { .. } => ("matched", None, None),
                        StatementOutcome::NoEffect => (
                            "no_effect",
                            Some("`Effect` is missing or invalid".to_string()),
                            None,
                        ),
                        StatementOutcome::Failed(f) => (
                            "not_matched",
                            Some(failure_text(st, f, Some(req))),
                            files.line(&label, failure_span(st, f)),
                        ),
                        StatementOutcome::Ignored(_) => ("ignored", None, None),
                    };
                    let decides = deciding
                        .iter()
                        .any(|r| r.policy == pi && r.statement == s.index);
                    Some(json!({
                        "index": s.index,
                        "sid": st.sid.as_ref().map(|x| x.value.to_string()),
                        "name": statement_name(p, s.index),
                        "effect": st.effect().map(|e| e.as_str()),
                        "line": line,
                        "result": result,
                        "reason": reason,
                        "reason_line": reason_line,
                        "deciding": decides,
                    }))
                })
                .collect();
            json!({
                "policy": label,
                "kind": policy_name(p, Some(req)),
                "applies": p.not_applicable.is_none(),
                "statements": statements,
            })
        })
        .collect();
    Value::Array(policies)
}

/// The JSON form of a decision.
fn decision_json(d: &Decision, req: &Request, files: &Files) -> Value {
    let locate = |r: &PolicyRef, s: Span| files.locate(r, s);
    json!({
        "decision": d.outcome.as_str(),
        "reason": render::summary(&d.trace, Some(req), &locate),
        "trace": trace_json(&d.trace, req, files),
        "dependent": d.dependent.iter().map(|dep| json!({
            "action": dep.action,
            "resource": dep.resource,
            "decision": dep.outcome.as_str(),
            "reason": render::summary(&dep.trace, Some(&dep.request), &locate),
            "trace": trace_json(&dep.trace, &dep.request, files),
        })).collect::<Vec<_>>(),
        "http": d.http.as_ref().map(|h| json!({"status": h.status, "code": h.code})),
    })
}

/// The error text of `--error`: itself, `@FILE`, or standard input for `-`.
fn read_error(source: &str) -> Result<Vec<u8>, String> {
    if source == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(buf);
    }
    if let Some(path) = source.strip_prefix('@') {
        return std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"));
    }
    Ok(source.as_bytes().to_vec())
}

/// `"request"`, `"aws"`, `"agrees"`, `"deciding"` (and `"error"`: what was read).
fn comparison_json(d: &denied::Denial, e: &denied::Explanation) -> Vec<(&'static str, Value)> {
    let r = &e.request;
    let context: serde_json::Map<String, Value> = r
        .context
        .entries()
        .iter()
        .filter(|c| !c.derived)
        .map(|c| (c.written.to_string(), json!(c.values)))
        .collect();
    vec![
        (
            "request",
            json!({
                "principal": r.principal.arn(),
                "principal_in_workspace": e.mapped_to,
                "action": r.action.as_str(),
                "resource": r.resource.as_str(),
                "context": context,
            }),
        ),
        (
            "aws",
            json!({
                "format": d.format.as_str(),
                "operation": d.operation,
                "decision": e.aws.decision.map(|o| o.as_str()),
                "policy_type": e.aws.policy_type.map(|t| t.as_str()),
                "policy_arn": e.aws.policy_arn,
            }),
        ),
        ("agrees", json!(e.agrees)),
        (
            "deciding",
            Value::Array(
                e.deciding
                    .iter()
                    .map(|x| {
                        json!({
                            "path": x.path,
                            "line": x.line,
                            "column": x.column,
                            "statement": x.statement,
                            "policy": x.policy,
                        })
                    })
                    .collect(),
            ),
        ),
        ("notes", json!(e.reasons)),
    ]
}

/// The comparison in words, above the trace.
fn comparison_human(d: &denied::Denial, e: &denied::Explanation) -> String {
    let r = &e.request;
    let mut s = format!(
        "read: `{}` by `{}` on `{}`{}\n",
        r.action,
        r.principal.arn(),
        r.resource,
        d.operation
            .as_ref()
            .map(|o| format!(" (operation `{o}`)"))
            .unwrap_or_default()
    );
    for c in r.context.entries().iter().filter(|c| !c.derived) {
        s.push_str(&format!(
            "  context `{}` = `{}`\n",
            c.written,
            c.values.join("`, `")
        ));
    }
    if let Some(m) = &e.mapped_to {
        s.push_str(&format!(
            "  the caller is a session of `{m}` in the workspace\n"
        ));
    }
    s.push_str(&format!("aws: {}\n", denied::aws_words(&e.aws)));
    s.push_str(&format!(
        "workspace: {} — {}\n",
        e.decision.outcome.as_str().replace('_', " "),
        if e.agrees { "agrees" } else { "does not agree" }
    ));
    for x in &e.deciding {
        s.push_str(&format!(
            "  decided by {}the {} at {}:{}:{}\n",
            x.statement
                .as_ref()
                .map(|n| format!("statement `{n}` of "))
                .unwrap_or_default(),
            x.policy,
            x.path,
            x.line,
            x.column
        ));
    }
    for reason in &e.reasons {
        s.push_str(&format!("  note: {reason}\n"));
    }
    s.push('\n');
    s
}

/// Writes the answer to standard output; a closed pipe (`| head`) is not an error.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

pub(crate) fn usage(msg: String) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// The workspace at `path` (a folder, or its `latch.toml`).
pub(crate) fn load(path: Option<&Path>) -> Result<latch_ide::workspace::Workspace, String> {
    let path = path.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let root = if path.is_dir() {
        path.clone()
    } else if path.file_name().is_some_and(|n| n == "latch.toml") {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        return Err(format!(
            "`{}` is not a folder or a `latch.toml`",
            path.display()
        ));
    };
    let loaded =
        crate::loader::load(&root).map_err(|e| format!("cannot read `{}`: {e}", root.display()))?;
    Ok(loaded.workspace)
}

/// The exit status of a decision: 0 allowed, 1 denied.
fn exit_of(outcome: latch_eval::Outcome) -> ExitCode {
    match outcome {
        latch_eval::Outcome::Allow => ExitCode::SUCCESS,
        latch_eval::Outcome::ImplicitDeny | latch_eval::Outcome::ExplicitDeny => ExitCode::from(1),
    }
}

/// Whether `s` is a 12-digit AWS account id.
fn is_account(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks `--principal`: an IAM user, role or root ARN, an `sts` assumed-role or
/// federated-user ARN, `anonymous`, or a service principal.
pub fn check_principal(text: &str) -> Result<(), String> {
    if text.eq_ignore_ascii_case("anonymous") {
        return Ok(());
    }
    if !text.contains(':') {
        if (text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn"))
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return Ok(());
        }
        let hint = if is_account(text) {
            format!("; for the account's root user write `arn:aws:iam::{text}:root`")
        } else {
            String::new()
        };
        return Err(format!(
            "`--principal {text}` is not an ARN: give an IAM user, role or root ARN \
             (`arn:aws:iam::111122223333:user/Jane`), an assumed-role ARN \
             (`arn:aws:sts::111122223333:assumed-role/Role/session`), `anonymous`, or a \
             service principal (`s3.amazonaws.com`){hint}"
        ));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let well_formed = parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && parts[3].is_empty()
        && is_account(parts[4]);
    let typed = match (parts.get(2), parts.get(5)) {
        (Some(&"iam"), Some(r)) => {
            *r == "root"
                || r.strip_prefix("user/").is_some_and(|n| !n.is_empty())
                || r.strip_prefix("role/").is_some_and(|n| !n.is_empty())
        }
        (Some(&"sts"), Some(r)) => {
            r.strip_prefix("assumed-role/")
                .and_then(|x| x.split_once('/'))
                .is_some_and(|(role, session)| !role.is_empty() && !session.is_empty())
                || r.strip_prefix("federated-user/")
                    .is_some_and(|n| !n.is_empty())
        }
        _ => false,
    };
    if well_formed && typed && !text.contains('*') {
        return Ok(());
    }
    Err(format!(
        "`--principal {text}` is not a caller's ARN: give \
         `arn:PARTITION:iam::ACCOUNT:user/NAME`, `...:role/NAME`, `...:root`, or \
         `arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION` (12-digit account, no wildcard)"
    ))
}

/// Checks `--resource`: an ARN or `*`.
pub fn check_resource(text: &str, action: &str) -> Result<(), String> {
    if text == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" && !parts[1].is_empty() && !parts[2].is_empty() {
        return Ok(());
    }
    let hint = if !text.contains(':')
        && !text.is_empty()
        && action.to_ascii_lowercase().starts_with("s3:")
    {
        format!("; did you mean `arn:aws:s3:::{text}`")
    } else {
        String::new()
    };
    Err(format!(
        "`--resource {text}` is not an ARN: give the resource's ARN \
         (`arn:aws:s3:::bucket/key`) or `*`{hint}"
    ))
}

/// Checks `--action`: one action the catalogue knows, with its "did you mean" otherwise.
pub fn check_action(text: &str) -> Result<(), String> {
    use latch_syntax::catalog::{ActionLookup, catalog};
    let cat = catalog();
    if text.contains('*') || text.contains('?') {
        return Err(format!(
            "`--action {text}` is a pattern: a request has one action, such as `s3:GetObject`"
        ));
    }
    let words = match cat.action(text) {
        ActionLookup::Found(..) => return Ok(()),
        ActionLookup::Malformed => {
            return Err(format!(
                "`--action {text}` is not an action: write `service:Name`, such as `s3:GetObject`"
            ));
        }
        ActionLookup::UnknownService => {
            let prefix = text.split(':').next().unwrap_or_default();
            format!("unknown service prefix `{prefix}` in `{text}`")
        }
        ActionLookup::UnknownAction(service) => format!(
            "unknown action `{text}`: {} has no action `{}`",
            service.name,
            text.split_once(':').map(|(_, n)| n).unwrap_or_default()
        ),
    };
    let suggestion = cat
        .suggest_action(text)
        .map(|(fixed, _)| format!(", did you mean `{fixed}`"))
        .unwrap_or_default();
    Err(format!(
        "{words}{suggestion}; the catalogue is {}",
        latch_syntax::catalog::catalog_version()
    ))
}

/// Says on standard error that the workspace does not describe the caller.
fn note_unknown_principal(ws: &latch_ide::workspace::Workspace, principal: &PrincipalId) {
    if matches!(principal, PrincipalId::Anonymous | PrincipalId::Service(_)) {
        return;
    }
    if !latch_ide::lenses::knows_principal(ws, "", principal.arn()) {
        eprintln!(
            "note: the workspace does not describe `{}`: its own policies are unknown, \
             so what they allow or deny is not part of this answer",
            principal.arn()
        );
    }
}

pub fn run(args: WhyArgs) -> ExitCode {
    // Any folder: `latch.toml` adds what the files cannot say (accounts, principals'
    // policies, intents), but JSON and Terraform are read without it. The whole folder,
    // JSON and Terraform alike, through the same workspace index as `latch check` and the
    // editor; the manifest is read and parsed there, once.
    let workspace = match load(args.path.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return usage(e),
    };
    let files = Files {
        workspace: &workspace,
    };
    if let (Some(summary), Some(text)) = (
        workspace.summary("latch.toml"),
        workspace.text("latch.toml"),
    ) {
        for f in &summary.findings {
            eprintln!(
                "warning: latch.toml:{}: {}",
                line_of(text, f.range.start),
                f.message
            );
        }
    }

    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for c in &args.context {
        let Some((k, v)) = c.split_once('=') else {
            return usage(format!("`--context {c}` must be `KEY=VALUE`"));
        };
        match pairs
            .iter_mut()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
        {
            Some((_, vs)) => vs.push(v.to_string()),
            None => pairs.push((k.to_string(), vec![v.to_string()])),
        }
    }

    if let Some(source) = &args.error {
        let bytes = match read_error(source) {
            Ok(b) => b,
            Err(e) => return usage(e),
        };
        let denial = match denied::read(&bytes, args.event) {
            Ok(d) => d,
            Err(e) => return usage(e),
        };
        let overrides = denied::Overrides {
            principal: args.principal.clone(),
            action: args.action.clone(),
            resource: args.resource.clone(),
            context: pairs,
        };
        let e = match denied::explain(&workspace, "", &denial, &overrides) {
            Ok(e) => e,
            Err(msg) => return usage(msg),
        };
        match args.format {
            WhyFormat::Json => {
                let mut v = decision_json(&e.decision, &e.request, &files);
                if let Value::Object(map) = &mut v {
                    for (k, x) in comparison_json(&denial, &e) {
                        map.insert(k.to_string(), x);
                    }
                }
                out(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                ));
            }
            WhyFormat::Human => {
                let locate = |r: &PolicyRef, s: Span| files.locate(r, s);
                out(&format!(
                    "{}{}",
                    comparison_human(&denial, &e),
                    render::explain(&e.decision, &e.request, &locate)
                ));
            }
        }
        return exit_of(e.decision.outcome);
    }
    if args.event.is_some() {
        return usage(
            "`--event` picks a record of the CloudTrail file given with `--error`".into(),
        );
    }
    let (Some(principal), Some(action), Some(resource)) =
        (&args.principal, &args.action, &args.resource)
    else {
        let missing: Vec<&str> = [
            ("--principal", args.principal.is_none()),
            ("--action", args.action.is_none()),
            ("--resource", args.resource.is_none()),
        ]
        .into_iter()
        .filter_map(|(f, m)| m.then_some(f))
        .collect();
        return usage(format!(
            "give `{}`, or paste the access denied error with `--error`",
            missing.join("`, `")
        ));
    };
    // Every bad flag at once, one line each.
    let problems: Vec<String> = [
        check_principal(principal),
        check_action(action),
        check_resource(resource, action),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        return ExitCode::from(2);
    }
    let mut context = Context::new();
    for (k, vs) in pairs {
        context.insert(&k, vs);
    }
    let request = Request::new(PrincipalId::parse(principal), action, resource, context);

    note_unknown_principal(&workspace, &request.principal);
    let (request, open) = latch_ide::lenses::decide_open(&workspace, "", &request);
    let decision = &open.decision;
    // What a "depends" decision turns on, in words.
    let conditions = match open.certainty {
        latch_eval::Certainty::Depends => {
            latch_eval::open::unknowns_in_words(decision, &open.unknowns, &request.action)
        }
        _ => Vec::new(),
    };
    match args.format {
        WhyFormat::Json => {
            let mut v = decision_json(decision, &request, &files);
            if let Some(obj) = v.as_object_mut() {
                if open.certainty == latch_eval::Certainty::Depends {
                    obj.insert("decision".into(), json!("depends"));
                }
                obj.insert("conditions".into(), json!(conditions));
            }
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        WhyFormat::Human => {
            let locate = |r: &PolicyRef, s: Span| files.locate(r, s);
            if !conditions.is_empty() {
                out(&format!(
                    "decision: depends: allowed only if {}\notherwise:\n",
                    conditions.join(" and ")
                ));
            }
            out(&render::explain(decision, &request, &locate));
        }
    }
    if open.certainty == latch_eval::Certainty::Depends {
        return ExitCode::SUCCESS;
    }
    exit_of(decision.outcome)
}
