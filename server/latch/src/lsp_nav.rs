//! Navigation over LSP: document symbols, go to definition, references and workspace
//! symbols. The answers come from `latch_ide::nav` in byte ranges; this module only turns
//! them into LSP ranges in the negotiated encoding and URIs. [`crate::lsp`] calls these
//! from its handlers with the workspace, the encoding and its path-to-URI mapping.

use std::collections::HashMap;

use latch_ide::nav::{self, DocSymbol, SymbolKind as Kind, Target};
use latch_ide::workspace::Workspace;
use latch_syntax::Span;
use tower_lsp_server::ls_types::{
    DocumentSymbol, Location, OneOf, Position, Range, SymbolKind, Uri, WorkspaceSymbol,
};

use crate::line_index::{Encoding, LineIndex};

/// Turns byte spans of workspace files into LSP ranges, indexing each file's lines once.
pub struct Ranges<'w> {
    ws: &'w Workspace,
    enc: Encoding,
    lines: HashMap<String, LineIndex>,
}

impl<'w> Ranges<'w> {
    pub fn new(ws: &'w Workspace, enc: Encoding) -> Ranges<'w> {
        Ranges {
            ws,
            enc,
            lines: HashMap::new(),
        }
    }

    /// The range of `span` in `path` (an empty range at the start for a missing file).
    pub fn range(&mut self, path: &str, span: Span) -> Range {
        let text = self.ws.text(path).unwrap_or("");
        let index = self
            .lines
            .entry(path.to_string())
            .or_insert_with(|| LineIndex::new(text));
        crate::lsp::to_range(text, index, span, self.enc)
    }

    /// The byte offset of an LSP position in `path`.
    pub fn offset(&mut self, path: &str, pos: Position) -> Option<usize> {
        let text = self.ws.text(path)?;
        let index = self
            .lines
            .entry(path.to_string())
            .or_insert_with(|| LineIndex::new(text));
        Some(index.offset(text, pos.line, pos.character, self.enc))
    }
}

fn kind(k: Kind) -> SymbolKind {
    match k {
        Kind::Policy => SymbolKind::NAMESPACE,
        Kind::Statement => SymbolKind::OBJECT,
        Kind::Resource => SymbolKind::STRUCT,
        Kind::DataSource => SymbolKind::INTERFACE,
        Kind::Section => SymbolKind::MODULE,
        Kind::Account => SymbolKind::CONSTANT,
        Kind::Provider => SymbolKind::PROPERTY,
        Kind::Principal => SymbolKind::CLASS,
        Kind::Bucket => SymbolKind::PACKAGE,
        Kind::Key => SymbolKind::KEY,
        Kind::Entry => SymbolKind::FIELD,
    }
}

/// `textDocument/documentSymbol`: the outline of `path`, nested.
pub fn document_symbols(ws: &Workspace, enc: Encoding, path: &str) -> Vec<DocumentSymbol> {
    let mut ranges = Ranges::new(ws, enc);
    fn convert(s: DocSymbol, path: &str, ranges: &mut Ranges<'_>) -> DocumentSymbol {
        let children: Vec<DocumentSymbol> = s
            .children
            .into_iter()
            .map(|c| convert(c, path, ranges))
            .collect();
        #[expect(deprecated, reason = "the field must be given; `tags` replaces it")]
        DocumentSymbol {
            name: s.name,
            detail: s.detail,
            kind: kind(s.kind),
            tags: None,
            deprecated: None,
            range: ranges.range(path, s.range),
            selection_range: ranges.range(path, s.selection),
            children: (!children.is_empty()).then_some(children),
        }
    }
    nav::document_symbols(ws, path)
        .into_iter()
        .map(|s| convert(s, path, &mut ranges))
        .collect()
}

fn locations(
    targets: Vec<Target>,
    ranges: &mut Ranges<'_>,
    uri: &dyn Fn(&str) -> Option<Uri>,
) -> Vec<Location> {
    targets
        .into_iter()
        .filter_map(|t| {
            Some(Location {
                uri: uri(&t.path)?,
                range: ranges.range(&t.path, t.range),
            })
        })
        .collect()
}

/// `textDocument/definition` at `pos` in `path`: the locations of what it names (the
/// whole block, entry or file).
pub fn definition(
    ws: &Workspace,
    enc: Encoding,
    path: &str,
    pos: Position,
    uri: &dyn Fn(&str) -> Option<Uri>,
) -> Vec<Location> {
    let mut ranges = Ranges::new(ws, enc);
    let Some(offset) = ranges.offset(path, pos) else {
        return Vec::new();
    };
    match nav::definition(ws, path, offset) {
        Some((_, targets)) => locations(targets, &mut ranges, uri),
        None => Vec::new(),
    }
}

/// `textDocument/references` at `pos` in `path`.
pub fn references(
    ws: &Workspace,
    enc: Encoding,
    path: &str,
    pos: Position,
    include_declaration: bool,
    uri: &dyn Fn(&str) -> Option<Uri>,
) -> Vec<Location> {
    let mut ranges = Ranges::new(ws, enc);
    let Some(offset) = ranges.offset(path, pos) else {
        return Vec::new();
    };
    match nav::references(ws, path, offset, include_declaration) {
        Some(targets) => locations(targets, &mut ranges, uri),
        None => Vec::new(),
    }
}

/// `workspace/symbol`: every symbol whose name contains `query`.
pub fn workspace_symbols(
    ws: &Workspace,
    enc: Encoding,
    query: &str,
    uri: &dyn Fn(&str) -> Option<Uri>,
) -> Vec<WorkspaceSymbol> {
    let mut ranges = Ranges::new(ws, enc);
    nav::workspace_symbols(ws, query)
        .into_iter()
        .filter_map(|s| {
            Some(WorkspaceSymbol {
                name: s.name,
                kind: kind(s.kind),
                tags: None,
                container_name: s.container,
                location: OneOf::Left(Location {
                    uri: uri(&s.path)?,
                    range: ranges.range(&s.path, s.range),
                }),
                data: None,
            })
        })
        .collect()
}

/// The command a who-can lens runs (also `workspace/executeCommand`): answers
/// `{"subject", "markdown"}` for `[{"subject": ARN}]` or `["ARN"]`.
pub const WHO_CAN: &str = latch_ide::who_lens::WHO_CAN_COMMAND;

/// Up to this many who-can lenses in a file come with their titles; beyond (a large
/// `latch.toml`), the client resolves the ones it shows (`codeLens/resolve`).
pub const EAGER_LENSES: usize = 8;

/// The who-can lenses of `path`: resolved (titles from `title`, which the caller caches)
/// when there are few, else unresolved with `{"subject"}` as their data.
pub fn code_lenses(
    ws: &Workspace,
    enc: Encoding,
    path: &str,
    mut title: impl FnMut(&str) -> String,
) -> Vec<tower_lsp_server::ls_types::CodeLens> {
    let places = latch_ide::who_lens::lens_places(ws, path);
    let eager = places.len() <= EAGER_LENSES;
    let mut ranges = Ranges::new(ws, enc);
    places
        .iter()
        .map(|l| {
            let data = serde_json::json!({ "subject": l.subject });
            tower_lsp_server::ls_types::CodeLens {
                range: ranges.range(path, l.range),
                command: eager.then(|| command(title(&l.subject), &l.subject)),
                data: (!eager).then_some(data),
            }
        })
        .collect()
}

/// The command of a who-can lens.
pub fn command(title: String, subject: &str) -> tower_lsp_server::ls_types::Command {
    tower_lsp_server::ls_types::Command {
        title,
        command: WHO_CAN.to_string(),
        arguments: Some(vec![serde_json::json!({ "subject": subject })]),
    }
}

/// The subject of an unresolved who-can lens (its `data`).
pub fn lens_subject(data: Option<&serde_json::Value>) -> Option<String> {
    data?
        .get("subject")?
        .as_str()
        .filter(|s| s.starts_with("arn:"))
        .map(str::to_string)
}

/// Reads `latch.whoCan`'s arguments: `["ARN"]` or `[{"subject": "ARN"}]`.
pub fn who_can_subject(arguments: &[serde_json::Value]) -> Result<String, String> {
    let expected = "`latch.whoCan` takes a bucket, key or principal ARN, or `{\"subject\": ARN}`";
    let first = arguments.first().ok_or(expected)?;
    let subject = first
        .as_str()
        .or_else(|| first.get("subject").and_then(serde_json::Value::as_str))
        .map(str::trim)
        .filter(|s| s.starts_with("arn:"))
        .ok_or(expected)?;
    Ok(subject.to_string())
}

/// `latch.whoCan`: the who-can table of a bucket or key (what a principal can reach).
pub fn who_can(ws: &Workspace, subject: &str) -> Result<serde_json::Value, String> {
    let locate = |path: &str, span: Span| {
        let line = ws
            .text(path)
            .and_then(|t| t.get(..span.start))
            .map_or(1, |t| t.matches('\n').count() + 1);
        format!("{path}:{line}")
    };
    let markdown = latch_ide::who_lens::who_can_markdown(ws, subject, &locate)
        .ok_or_else(|| format!("`{subject}` is not a bucket, key or principal ARN"))?;
    Ok(serde_json::json!({ "subject": subject, "markdown": markdown }))
}
