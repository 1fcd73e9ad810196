//! `latch why`: the decision for one request across every policy a workspace's
//! `latch.toml` describes, with its trace. Human output renders the trace with the
//! `path:line` of every statement; `--format json` prints
//! `{"decision", "reason", "trace", "dependent", "http"}`.
//!
//! Runs on any folder; `latch.toml` is optional. A decision that turns on facts the
//! workspace does not state is `"depends"` in JSON, with `"conditions"` in words.
//! Exit 0 whatever the decision; 2 on a usage error (a path that is not a folder, a malformed
//! `--context`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use latch_eval::render::{self, failure_span, failure_text, policy_name, statement_name};
use latch_eval::{Context, Decision, PolicyRef, PrincipalId, Request, StatementOutcome, Trace};
use latch_syntax::span::Span;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WhyFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct WhyArgs {
    /// The caller: an IAM user, role or session ARN, or `anonymous`.
    #[arg(long)]
    pub principal: String,
    /// The action, e.g. `s3:GetObject`.
    #[arg(long)]
    pub action: String,
    /// The resource ARN.
    #[arg(long)]
    pub resource: String,
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
                        "sid": st.sid.as_ref().map(|x| x.value.clone()),
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

fn usage(msg: String) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

pub fn run(args: WhyArgs) -> ExitCode {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    // Any folder: `latch.toml` adds what the files cannot say (accounts, principals'
    // policies, intents), but JSON and Terraform are read without it.
    let root = if path.is_dir() {
        path.clone()
    } else if path.file_name().is_some_and(|n| n == "latch.toml") {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        return usage(format!(
            "`{}` is not a folder or a `latch.toml`",
            path.display()
        ));
    };
    // The whole folder, JSON and Terraform alike, through the same workspace index as
    // `latch check` and the editor; the manifest is read and parsed there, once.
    let loaded = match crate::loader::load(&root) {
        Ok(l) => l,
        Err(e) => return usage(format!("cannot read `{}`: {e}", root.display())),
    };
    let files = Files {
        workspace: &loaded.workspace,
    };
    if let (Some(summary), Some(text)) = (
        loaded.workspace.summary("latch.toml"),
        loaded.workspace.text("latch.toml"),
    ) {
        for f in &summary.findings {
            eprintln!(
                "warning: latch.toml:{}: {}",
                line_of(text, f.range.start),
                f.message
            );
        }
    }

    let mut context = Context::new();
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
    for (k, vs) in pairs {
        context.insert(&k, vs);
    }
    let request = Request::new(
        PrincipalId::parse(&args.principal),
        &args.action,
        &args.resource,
        context,
    );

    let (request, open) = latch_ide::lenses::decide_open(&loaded.workspace, "", &request);
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
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        WhyFormat::Human => {
            let locate = |r: &PolicyRef, s: Span| files.locate(r, s);
            if !conditions.is_empty() {
                println!(
                    "decision: depends: allowed only if {}",
                    conditions.join(" and ")
                );
                println!("otherwise:");
            }
            print!("{}", render::explain(decision, &request, &locate));
        }
    }
    ExitCode::SUCCESS
}
