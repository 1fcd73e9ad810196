//! `latch explain CODE`: a check's documentation, the same text as `docs/checks.md`;
//! `latch explain config`: the `[check]` table of `latch.toml` and the suppressions.
//! A code's last part is enough when only one check has it (`latch explain kms-key`);
//! otherwise the candidates are listed and the exit status is 2.

use std::process::ExitCode;

use latch_ide::checks::CheckDoc;

/// A check's documentation with what `latch check` prints on its example: the text of
/// `latch explain`, of the SARIF rule help, and of `docs/checks.md`.
pub fn check_doc(doc: &CheckDoc) -> String {
    latch_ide::checks::render_doc_with(doc, example_output(doc).as_deref())
}

/// What `latch check` prints on the check's example (none for a generated example).
fn example_output(doc: &CheckDoc) -> Option<String> {
    if latch_ide::checks::is_generated(doc.example) {
        return None;
    }
    Some(crate::check::example_output(doc.example, doc.code))
}

/// `docs/checks.md`, generated: `LATCH_BLESS=1 cargo test -p latch --test check_docs`.
pub fn checks_markdown() -> String {
    latch_ide::checks::render_markdown(example_output)
}

#[derive(clap::Args)]
pub struct ExplainArgs {
    /// A check code such as `policy/invalid-effect` or its last part (`invalid-effect`),
    /// or `config` for `[check]`.
    pub code: String,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    if args.code == "config" {
        print!("{}", latch_ide::suppress::CONFIG_DOC);
        return ExitCode::SUCCESS;
    }
    if let Some(doc) = latch_ide::checks::find(&args.code) {
        print!("{}", check_doc(doc));
        return ExitCode::SUCCESS;
    }
    let wanted = args.code.trim_matches('/').to_ascii_lowercase();
    let by_last: Vec<_> = latch_ide::checks::registry()
        .into_iter()
        .filter(|d| d.code.rsplit('/').next() == Some(wanted.as_str()))
        .collect();
    match by_last.as_slice() {
        [doc] => {
            print!("{}", check_doc(doc));
            ExitCode::SUCCESS
        }
        [_, ..] => {
            eprintln!(
                "error: several checks end in `{}`: {}",
                args.code,
                by_last
                    .iter()
                    .map(|d| format!("`{}`", d.code))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            ExitCode::from(2)
        }
        [] => {
            eprintln!(
                "error: no check has the code `{}`; `docs/checks.md` lists them all",
                args.code
            );
            ExitCode::from(2)
        }
    }
}
