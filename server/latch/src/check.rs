//! `latch check`: analyse paths and print findings (filled in by the foundation issue).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or workspace folders (default: the current folder).
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: CheckArgs) -> ExitCode {
    ExitCode::SUCCESS
}
