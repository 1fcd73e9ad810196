//! `latch who-can` and `latch can-what`: the access of a workspace read in reverse.
//!
//! `latch who-can --action A [--action B] --resource ARN` lists every principal that may
//! perform the actions on the resource (any of them, when several are given; `s3:Get*`
//! expands with the catalogue to the actions of the resource's type): allowed, or
//! "depends" with the conditions it turns on, with the deciding statements. `--all` adds
//! the principals that something grants the request to but that are denied (a key policy,
//! a Deny, Block Public Access). JSON:
//! `{"action", "resource", "principals": [{"principal", "decision", "conditions",
//! "deciding": [{"path", "line", "column"}]}]}`, `"action"` a string or a list as given.
//!
//! `latch can-what --principal ARN [--set s3-read|s3-write|s3-list|kms-use]...` lists,
//! for each bucket and key of the workspace, the actions of the sets the principal may
//! perform. JSON: `{"principal", "resources": [{"resource", "kind", "actions":
//! [{"action", "decision", "conditions", "deciding"}]}]}`.
//!
//! Exit 0 on an answer (whatever it is), 2 on bad input (a malformed principal, resource
//! or action, an action pattern that matches nothing, a path that is not a folder).

use std::path::PathBuf;
use std::process::ExitCode;

use latch_ide::access::{
    ActionAccess, ActionSet, Location, PrincipalAccess, WhoOptions, can_what, expand_actions,
    who_can_with,
};
use latch_ide::workspace::Workspace;
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WhoFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 with an answer; 2 on bad input (an action, resource \
or path that is not valid)."
)]
pub struct WhoCanArgs {
    /// An action, e.g. `s3:GetObject`, or a pattern such as `s3:Get*`; repeat for
    /// several (a principal is listed when it may perform any of them).
    #[arg(long = "action", required = true)]
    pub actions: Vec<String>,
    /// The resource ARN (`arn:aws:s3:::bucket/*` for the bucket's objects).
    #[arg(long)]
    pub resource: String,
    /// Also list the principals something grants the request to that are denied.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: WhoFormat,
    /// The workspace folder (default: the current folder).
    pub path: Option<PathBuf>,
}

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 with an answer; 2 on bad input (a principal or path \
that is not valid)."
)]
pub struct CanWhatArgs {
    /// The caller: an IAM user, role or root ARN, `anonymous`, or a service principal.
    #[arg(long)]
    pub principal: String,
    /// The action sets to check: `s3-read`, `s3-write`, `s3-list`, `kms-use` (default:
    /// all of them).
    #[arg(long = "set", value_name = "SET")]
    pub sets: Vec<String>,
    /// Also list the resources where every action is denied.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value = "human")]
    pub format: WhoFormat,
    /// The workspace folder (default: the current folder).
    pub path: Option<PathBuf>,
}

use crate::why::{load, out, usage};

pub(crate) fn location_json(ws: &Workspace, l: &Location) -> Value {
    let (line, column) = l.line_column(ws);
    json!({"path": &*l.path, "line": line, "column": column})
}

fn location_text(ws: &Workspace, l: &Location) -> String {
    let (line, column) = l.line_column(ws);
    format!("{}:{line}:{column}", l.path)
}

fn principal_json(ws: &Workspace, p: &PrincipalAccess) -> Value {
    json!({
        "principal": p.principal,
        "decision": p.decision.as_str(),
        "conditions": p.conditions,
        "deciding": p.deciding.iter().map(|l| location_json(ws, l)).collect::<Vec<_>>(),
    })
}

fn action_json(ws: &Workspace, a: &ActionAccess) -> Value {
    json!({
        "action": a.action,
        "decision": a.decision.as_str(),
        "conditions": a.conditions,
        "deciding": a.deciding.iter().map(|l| location_json(ws, l)).collect::<Vec<_>>(),
    })
}

/// Checks each `--action`: a pattern must match an action of the resource's type, a
/// plain action must be one the catalogue knows.
fn check_actions(actions: &[String], resource: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for a in actions {
        if a.contains(['*', '?']) {
            if let Err(e) = expand_actions(std::slice::from_ref(a), resource) {
                problems.push(format!("`--action {a}`: {e}"));
            }
        } else if let Err(e) = crate::why::check_action(a) {
            problems.push(e);
        }
    }
    problems
}

pub fn run_who_can(args: WhoCanArgs) -> ExitCode {
    let first = args.actions.first().map(String::as_str).unwrap_or_default();
    let mut problems = check_actions(&args.actions, &args.resource);
    if let Err(e) = crate::why::check_resource(&args.resource, first) {
        problems.insert(0, e);
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        return ExitCode::from(2);
    }
    let ws = match load(args.path.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return usage(e),
    };
    let opts = WhoOptions {
        traces: false,
        all_denied: false,
    };
    let mut principals = who_can_with(&ws, &args.actions, &args.resource, opts);
    if !args.all {
        principals.retain(|p| p.decision.may_allow());
    }
    let action = match args.actions.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    match args.format {
        WhoFormat::Json => {
            let v = json!({
                "action": action,
                "resource": args.resource,
                "principals": principals.iter().map(|p| principal_json(&ws, p)).collect::<Vec<_>>(),
            });
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        WhoFormat::Human => {
            let mut s = format!(
                "who can `{}` on `{}`:\n",
                args.actions.join("`, `"),
                args.resource
            );
            if principals.is_empty() {
                s.push_str("  no principal of the workspace or named by its policies\n");
            }
            for p in &principals {
                s.push_str(&format!("  {:<8} {}\n", p.decision.as_str(), p.principal));
                if let Some(provider) = latch_ide::access::stand_in_provider(&ws, &p.principal) {
                    s.push_str(&format!(
                        "           (the account of provider `{provider}`, which the workspace does not state)\n"
                    ));
                }
                if args.actions.len() > 1 || args.actions.iter().any(|a| a.contains('*')) {
                    let which: Vec<&str> = p
                        .actions
                        .iter()
                        .filter(|a| a.decision == p.decision)
                        .map(|a| a.action.as_str())
                        .collect();
                    s.push_str(&format!("           actions: `{}`\n", which.join("`, `")));
                }
                for c in &p.conditions {
                    s.push_str(&format!("           if {c}\n"));
                }
                for l in &p.deciding {
                    s.push_str(&format!(
                        "           decided by {}\n",
                        location_text(&ws, l)
                    ));
                }
            }
            out(&s);
        }
    }
    ExitCode::SUCCESS
}

pub fn run_can_what(args: CanWhatArgs) -> ExitCode {
    if let Err(e) = crate::why::check_principal(&args.principal) {
        return usage(e);
    }
    let mut sets: Vec<ActionSet> = Vec::new();
    for s in &args.sets {
        match ActionSet::parse(s) {
            Some(x) => sets.push(x),
            None => {
                let names: Vec<&str> = ActionSet::ALL.iter().map(|a| a.name()).collect();
                return usage(format!(
                    "`--set {s}` is not an action set: give one of `{}`",
                    names.join("`, `")
                ));
            }
        }
    }
    if sets.is_empty() {
        sets = ActionSet::ALL.to_vec();
    }
    let ws = match load(args.path.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return usage(e),
    };
    let principal = if args.principal.eq_ignore_ascii_case("anonymous") {
        "anonymous".to_string()
    } else {
        args.principal.clone()
    };
    let resources = can_what(&ws, &principal, &sets, args.all);
    let keep = |a: &&ActionAccess| args.all || a.decision.may_allow();
    match args.format {
        WhoFormat::Json => {
            let v = json!({
                "principal": args.principal,
                "resources": resources.iter().map(|r| json!({
                    "resource": r.resource,
                    "kind": r.kind,
                    "actions": r.actions.iter().filter(keep).map(|a| action_json(&ws, a)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            ));
        }
        WhoFormat::Human => {
            let mut s = format!("what `{}` can do:\n", args.principal);
            if resources.is_empty() {
                s.push_str("  nothing on the workspace's buckets and keys\n");
            }
            for r in &resources {
                s.push_str(&format!("  {} `{}`\n", r.kind, r.resource));
                for a in r.actions.iter().filter(keep) {
                    s.push_str(&format!("    {:<8} {}\n", a.decision.as_str(), a.action));
                    for c in &a.conditions {
                        s.push_str(&format!("             if {c}\n"));
                    }
                }
            }
            out(&s);
        }
    }
    ExitCode::SUCCESS
}
