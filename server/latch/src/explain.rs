//! `latch explain CODE`: a check's documentation, the same text as `docs/checks.md`;
//! `latch explain config`: the `[check]` table of `latch.toml` and the suppressions.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A check code such as `policy/invalid-effect`, or `config` for `[check]`.
    pub code: String,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    if args.code == "config" {
        print!("{}", latch_ide::suppress::CONFIG_DOC);
        return ExitCode::SUCCESS;
    }
    match latch_ide::checks::find(&args.code) {
        Some(doc) => {
            print!("{}", latch_ide::checks::render_doc(doc));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: no check has the code `{}`; `docs/checks.md` lists them all",
                args.code
            );
            ExitCode::from(2)
        }
    }
}
