//! The entry points the editor adapters call, by file and byte offset: hover and
//! completion over every policy of the workspace, whichever file and syntax holds it.

use latch_syntax::json::Value;

use crate::completion::{self, CompletionItem};
use crate::statement_hover::{self, HoverInfo};
use crate::workspace::Workspace;

/// Runs `f` on the text of `path` and the tree of the policy that covers `offset` there
/// (a JSON policy file, or a policy embedded in a Terraform file).
pub fn with_policy_at<R>(
    ws: &Workspace,
    path: &str,
    offset: usize,
    f: impl FnOnce(&str, &Value) -> R,
) -> Option<R> {
    let text = ws.text(path)?;
    if let Some(summary) = ws.summary(path) {
        if let Some(doc) = summary
            .policies
            .iter()
            .find(|d| d.tree.span.touches(offset))
        {
            return Some(f(text, &doc.tree));
        }
    }
    for m in ws.modules() {
        for p in &m.module.policies {
            if let Some(inline) = p.inline() {
                if &*inline.path == path && !m.is_stale(path) && inline.tree.span.touches(offset) {
                    return Some(f(text, &inline.tree));
                }
            }
        }
    }
    None
}

/// The hover at `offset`: what the token under the cursor means (an action, a condition
/// key or operator, an ARN), else the statement around it.
pub fn hover(ws: &Workspace, path: &str, offset: usize) -> Option<HoverInfo> {
    let token = with_policy_at(ws, path, offset, |text, tree| {
        crate::hover::hover(text, tree, offset)
    })
    .flatten();
    // On a bucket or key the workspace describes: who can read and write it.
    let who = crate::who_lens::subject_at(ws, path, offset).and_then(|(span, subject)| {
        let locate = |p: &str, s: latch_syntax::Span| {
            format!("{p}:{}", crate::access::line_of(ws, p, s.start))
        };
        crate::who_lens::who_can_markdown(ws, &subject, &locate).map(|md| (span, md))
    });
    match (token, who) {
        (Some(h), Some((_, md))) => Some(HoverInfo {
            range: h.range,
            markdown: format!("{}\n\n---\n\n{md}", h.markdown),
        }),
        (Some(h), None) => Some(HoverInfo {
            range: h.range,
            markdown: h.markdown,
        }),
        (None, Some((range, markdown))) => Some(HoverInfo { range, markdown }),
        (None, None) => statement_hover::hover(ws, path, offset),
    }
}

/// Completion items at `offset`, best first.
pub fn completion(ws: &Workspace, path: &str, offset: usize) -> Vec<CompletionItem> {
    if let Some(items) = with_policy_at(ws, path, offset, |text, tree| {
        completion::complete(text, tree, offset)
    }) {
        return items;
    }
    // A JSON file that is not (yet) a policy, e.g. an empty new file: complete on the
    // document as it parses so the first elements can be typed.
    let Some(text) = ws.text(path) else {
        return Vec::new();
    };
    if !path.ends_with(".json") {
        return Vec::new();
    }
    match latch_syntax::json::parse(text).value {
        Some(tree) => completion::complete(text, &tree, offset),
        None => Vec::new(),
    }
}
