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
        let (sl, sc) = index.position(text, span.start, self.enc);
        let (el, ec) = index.position(text, span.end, self.enc);
        Range {
            start: Position {
                line: sl,
                character: sc,
            },
            end: Position {
                line: el,
                character: ec,
            },
        }
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
