//! `latch graph [PATH] --format mermaid|dot|html`: the access graph of a workspace
//! (principals, buckets, keys; edges labelled with the actions and allow, depends or
//! denied), drawn by [`latch_ide::access::graph`]. Mermaid renders in a pull-request
//! comment; the HTML page is self-contained (inline SVG, no script, no network) and
//! lists each edge's trace. Exit 0, or 2 when the path is not a folder.

use std::path::PathBuf;
use std::process::ExitCode;

use latch_ide::access::graph;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
    Html,
}

#[derive(clap::Args)]
pub struct GraphArgs {
    #[arg(long, value_enum, default_value = "mermaid")]
    pub format: GraphFormat,
    /// The workspace folder (default: the current folder).
    pub path: Option<PathBuf>,
}

pub fn run(args: GraphArgs) -> ExitCode {
    let ws = match crate::why::load(args.path.as_deref()) {
        Ok(ws) => ws,
        Err(e) => return crate::why::usage(e),
    };
    let g = graph::access_graph(&ws);
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid(&g),
        GraphFormat::Dot => graph::dot(&g),
        GraphFormat::Html => {
            let name = args
                .path
                .as_deref()
                .and_then(|p| p.canonicalize().ok())
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
                .unwrap_or_else(|| "workspace".to_string());
            graph::html(&g, &format!("Access graph of {name}"))
        }
    };
    crate::why::out(&text);
    ExitCode::SUCCESS
}
