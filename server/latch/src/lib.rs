//! The `latch` binary crate: the command line and the language server. This is the only crate
//! that touches files, the terminal or the LSP protocol; everything it reports comes from
//! the pure crates as [`latch_syntax::Finding`]s and decisions.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod check;
pub mod conformance;
pub mod explain;
pub mod graph;
pub mod line_index;
pub mod loader;
pub mod lsp;
pub mod lsp_extras;
pub mod lsp_nav;
pub mod sarif;
pub mod who;
pub mod why;

#[derive(Parser)]
#[command(
    name = "latch",
    version = VERSION.as_str(),
    about = "Why AWS will answer 403 Access Denied, before you deploy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse files or workspace folders and report findings.
    Check(check::CheckArgs),
    /// Run the language server on stdio.
    Lsp,
    /// Run access cases through the engine and report the ones that fail.
    Conformance(conformance::ConformanceArgs),
    /// Explain the decision AWS would make for one request, across the workspace's policies.
    Why(why::WhyArgs),
    /// Print the documentation of a check, e.g. `latch explain policy/invalid-effect`.
    Explain(explain::ExplainArgs),
    /// List the principals that may perform actions on a resource, with the decision.
    WhoCan(who::WhoCanArgs),
    /// List what one principal may do on each bucket and key of the workspace.
    CanWhat(who::CanWhatArgs),
    /// Draw the access graph: principals, buckets and keys, edges with the decisions.
    Graph(graph::GraphArgs),
}

/// The version line: Latch's own and the AWS catalogue's it embeds.
static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (catalogue {})",
        env!("CARGO_PKG_VERSION"),
        latch_syntax::catalog::catalog_version()
    )
});

/// Runs the command line; `main` only calls this.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Lsp => lsp::run_stdio(),
        Command::Explain(args) => explain::run(args),
        Command::Conformance(args) => conformance::run(args),
        Command::Why(args) => why::run(args),
        Command::WhoCan(args) => who::run_who_can(args),
        Command::CanWhat(args) => who::run_can_what(args),
        Command::Graph(args) => graph::run(args),
    }
}
