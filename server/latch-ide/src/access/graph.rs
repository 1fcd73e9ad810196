//! The access graph of a workspace, for reviewers: principals, buckets and keys as
//! nodes, and an edge from a principal to a resource for each decision of
//! [`who_can`](super::who) with the actions it covers: allowed, "depends" (with the
//! conditions), or denied although something grants it. Rendered as Mermaid (for a
//! pull-request comment), Graphviz DOT, or a self-contained HTML page (inline SVG, no
//! script and no network) with each edge's trace.
//!
//! The actions drawn: `s3:GetObject` and `s3:PutObject` on a bucket's objects and
//! `s3:ListBucket` on the bucket; `kms:Decrypt`, `kms:Encrypt` and `kms:GenerateDataKey`
//! on a key. Pure: text out.

use std::fmt::Write as _;

use super::index;
use super::who::{WhoDecision, WhoOptions, who_can_in};
use crate::workspace::Workspace;

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Principal,
    Bucket,
    Key,
}

#[derive(Clone, Debug)]
pub struct Node {
    /// `p0`, `b0`, `k0`: stable for one workspace.
    pub id: String,
    /// The sub-workspace (folder of its `latch.toml`, `""` for the root): the same
    /// name in two sub-workspaces is two nodes.
    pub root: String,
    /// The ARN, bucket name, `*` or service principal.
    pub name: String,
    pub kind: NodeKind,
}

#[derive(Clone, Debug)]
pub struct Edge {
    /// Indexes into [`Graph::nodes`].
    pub from: usize,
    pub to: usize,
    pub actions: Vec<String>,
    pub decision: WhoDecision,
    pub conditions: Vec<String>,
    /// The engine's trace of each action, in words.
    pub trace: String,
}

#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

const BUCKET_ACTIONS: &[(&str, bool)] = &[
    ("s3:GetObject", true),
    ("s3:PutObject", true),
    ("s3:ListBucket", false),
];
const KEY_ACTIONS: &[&str] = &["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];

impl Graph {
    fn node(&mut self, root: &str, name: &str, kind: NodeKind) -> usize {
        if let Some(i) = self
            .nodes
            .iter()
            .position(|n| n.name == name && n.kind == kind && n.root == root)
        {
            return i;
        }
        let prefix = match kind {
            NodeKind::Principal => "p",
            NodeKind::Bucket => "b",
            NodeKind::Key => "k",
        };
        let n = self.nodes.iter().filter(|n| n.kind == kind).count();
        self.nodes.push(Node {
            id: format!("{prefix}{n}"),
            root: root.to_string(),
            name: name.to_string(),
            kind,
        });
        self.nodes.len() - 1
    }

    /// Adds the actions of `who` on resource node `to`, one edge per principal and
    /// decision.
    fn add(&mut self, root: &str, to: usize, who: Vec<super::who::PrincipalAccess>) {
        for p in who {
            let from = self.node(root, &p.principal, NodeKind::Principal);
            for a in p.actions {
                let kept = a.decision.may_allow() || a.granted;
                if !kept {
                    continue;
                }
                let trace = a.trace.unwrap_or_default();
                let trace = format!("`{}` on `{}`:\n{}", a.action, a.resource, trace);
                match self
                    .edges
                    .iter_mut()
                    .find(|e| e.from == from && e.to == to && e.decision == a.decision)
                {
                    Some(e) => {
                        if !e.actions.contains(&a.action) {
                            e.actions.push(a.action);
                        }
                        for c in a.conditions {
                            if !e.conditions.contains(&c) {
                                e.conditions.push(c);
                            }
                        }
                        e.trace.push('\n');
                        e.trace.push_str(&trace);
                    }
                    None => self.edges.push(Edge {
                        from,
                        to,
                        actions: vec![a.action],
                        decision: a.decision,
                        conditions: a.conditions,
                        trace,
                    }),
                }
            }
        }
    }
}

/// The access graph of every (sub-)workspace of `ws`.
pub fn access_graph(ws: &Workspace) -> Graph {
    let mut g = Graph::default();
    let opts = WhoOptions {
        traces: true,
        all_denied: false,
    };
    for root in &index::roots(ws) {
        let ix = super::index_at(ws, root);
        for b in &ix.buckets {
            let to = g.node(root, &b.name, NodeKind::Bucket);
            let bucket = format!("arn:aws:s3:::{}", b.name);
            for (action, object) in BUCKET_ACTIONS {
                let resource = if *object {
                    format!("{bucket}/*")
                } else {
                    bucket.clone()
                };
                let who = who_can_in(ws, &ix, &[action.to_string()], &resource, opts);
                g.add(root, to, who);
            }
        }
        for k in &ix.keys {
            let to = g.node(root, &k.arn, NodeKind::Key);
            let actions: Vec<String> = KEY_ACTIONS.iter().map(|a| a.to_string()).collect();
            let who = who_can_in(ws, &ix, &actions, &k.arn, opts);
            g.add(root, to, who);
        }
    }
    g
}

/// A short label: `role/Reader (111122223333)`, `key/1234abcd… (444455556666)`,
/// `everyone (*)`.
pub fn short_label(n: &Node) -> String {
    if n.name == "*" {
        return "everyone (*)".to_string();
    }
    let parts: Vec<&str> = n.name.splitn(6, ':').collect();
    match (n.kind, parts.as_slice()) {
        (_, ["arn", _, _, _, account, rest]) => {
            let rest = match rest.split_once('/') {
                Some(("key", id)) if id.chars().count() > 13 => {
                    format!("key/{}…", id.chars().take(8).collect::<String>())
                }
                _ => rest.to_string(),
            };
            if account.is_empty() {
                rest
            } else {
                format!("{rest} ({account})")
            }
        }
        (NodeKind::Bucket, _) => format!("s3://{}", n.name),
        _ => n.name.clone(),
    }
}

fn edge_label(e: &Edge) -> String {
    format!("{} · {}", e.actions.join(", "), decision_word(e.decision))
}

fn decision_word(d: WhoDecision) -> &'static str {
    match d {
        WhoDecision::Allow => "allow",
        WhoDecision::Depends => "depends",
        WhoDecision::Denied => "denied",
    }
}

/// Mermaid `flowchart LR`: principals as rectangles, buckets as cylinders, keys as
/// hexagons; allowed edges solid, "depends" dotted, denied crossed.
pub fn mermaid(g: &Graph) -> String {
    let esc = |s: &str| s.replace('"', "#quot;");
    let mut out = String::from("flowchart LR\n");
    for (ri, root) in roots(g).iter().enumerate() {
        let indent = if root.is_empty() {
            "  "
        } else {
            let _ = writeln!(out, "  subgraph w{ri}[\"{}\"]", esc(root));
            "    "
        };
        for n in g.nodes.iter().filter(|n| n.root == *root) {
            let label = esc(&short_label(n));
            let _ = match n.kind {
                NodeKind::Principal => writeln!(out, "{indent}{}[\"{label}\"]", n.id),
                NodeKind::Bucket => writeln!(out, "{indent}{}[(\"{label}\")]", n.id),
                NodeKind::Key => writeln!(out, "{indent}{}{{{{\"{label}\"}}}}", n.id),
            };
        }
        if !root.is_empty() {
            out.push_str("  end\n");
        }
    }
    for e in &g.edges {
        let (Some(from), Some(to)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else {
            continue;
        };
        let arrow = match e.decision {
            WhoDecision::Allow => "-->",
            WhoDecision::Depends => "-.->",
            WhoDecision::Denied => "--x",
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            from.id,
            esc(&edge_label(e)),
            to.id
        );
    }
    out
}

/// The sub-workspaces of the graph's nodes, in order of appearance.
fn roots(g: &Graph) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in &g.nodes {
        if !out.contains(&n.root) {
            out.push(n.root.clone());
        }
    }
    out
}

fn dot_esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot_node(out: &mut String, n: &Node) {
    let shape = match n.kind {
        NodeKind::Principal => "box",
        NodeKind::Bucket => "cylinder",
        NodeKind::Key => "hexagon",
    };
    let _ = writeln!(
        out,
        "  {} [label=\"{}\", shape={shape}, tooltip=\"{}\"];",
        n.id,
        dot_esc(&short_label(n)),
        dot_esc(&n.name)
    );
}

/// Graphviz DOT.
pub fn dot(g: &Graph) -> String {
    let esc = dot_esc;
    let mut out = String::from(
        "digraph access {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\", fontsize=10];\n",
    );
    for (ri, root) in roots(g).iter().enumerate() {
        if !root.is_empty() {
            let _ = writeln!(
                out,
                "  subgraph cluster_{ri} {{\n    label=\"{}\";",
                esc(root)
            );
        }
        for n in g.nodes.iter().filter(|n| n.root == *root) {
            dot_node(&mut out, n);
        }
        if !root.is_empty() {
            out.push_str("  }\n");
        }
    }
    for e in &g.edges {
        let (Some(from), Some(to)) = (g.nodes.get(e.from), g.nodes.get(e.to)) else {
            continue;
        };
        let (style, color) = match e.decision {
            WhoDecision::Allow => ("solid", "#2e7d32"),
            WhoDecision::Depends => ("dashed", "#b26a00"),
            WhoDecision::Denied => ("dotted", "#c62828"),
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", style={style}, color=\"{color}\"];",
            from.id,
            to.id,
            esc(&edge_label(e))
        );
    }
    out.push_str("}\n");
    out
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const NODE_W: usize = 360;
const NODE_H: usize = 38;
const ROW: usize = 70;
const LEFT: usize = 20;
const RIGHT: usize = 900;
const TOP: usize = 30;

/// A self-contained HTML page: the graph as inline SVG (each edge links to its trace
/// below), then every edge's actions, conditions and trace. No script, no network.
pub fn html(g: &Graph, title: &str) -> String {
    let principals: Vec<usize> = (0..g.nodes.len())
        .filter(|i| g.nodes[*i].kind == NodeKind::Principal)
        .collect();
    let resources: Vec<usize> = (0..g.nodes.len())
        .filter(|i| g.nodes[*i].kind != NodeKind::Principal)
        .collect();
    let rows = principals.len().max(resources.len()).max(1);
    let height = TOP * 2 + rows * ROW;
    let width = RIGHT + NODE_W + LEFT;
    let pos = |i: usize| -> (usize, usize) {
        if let Some(r) = principals.iter().position(|x| *x == i) {
            (LEFT, TOP + r * ROW)
        } else {
            let r = resources.iter().position(|x| *x == i).unwrap_or(0);
            (RIGHT, TOP + r * ROW)
        }
    };
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg id="graph" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="access graph">"#
    );
    svg.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"context-stroke\"/></marker></defs>\n");
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    for (ei, e) in g.edges.iter().enumerate() {
        let (fx, fy) = pos(e.from);
        let (tx, ty) = pos(e.to);
        let (x1, y1) = (fx + NODE_W, fy + NODE_H / 2);
        let (x2, y2) = (tx, ty + NODE_H / 2);
        let mid = (x1 + x2) / 2;
        let class = decision_word(e.decision);
        // The label sits on its curve, at the first point (from the middle outwards)
        // where it overlaps no label placed before; text-anchor is the middle.
        let text = edge_label(e);
        let w = text.chars().count() as f64 * 6.2 + 6.0;
        let h = 13.0;
        let at = |t: f64| -> (f64, f64) {
            let u = 1.0 - t;
            let (x1, y1, m, x2, y2) = (x1 as f64, y1 as f64, mid as f64, x2 as f64, y2 as f64);
            (
                u * u * u * x1 + 3.0 * u * u * t * m + 3.0 * u * t * t * m + t * t * t * x2,
                u * u * u * y1 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y2,
            )
        };
        let overlaps = |(cx, cy): (f64, f64), placed: &[(f64, f64, f64)]| {
            placed
                .iter()
                .any(|(px, py, pw)| (cx - px).abs() * 2.0 < w + pw && (cy - py).abs() < h)
        };
        let tries = [
            0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8, 0.44, 0.56, 0.33, 0.67, 0.14, 0.86,
        ];
        let (lx, ly) = tries
            .iter()
            .map(|t| at(*t))
            .find(|c| !overlaps(*c, &placed))
            .unwrap_or_else(|| at(0.5));
        placed.push((lx, ly, w));
        let ly = ly - 3.0;
        let _ = writeln!(
            svg,
            "<a href=\"#edge-{ei}\"><g class=\"edge {class}\" id=\"e{ei}\"><title>{}</title><path d=\"M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}\" marker-end=\"url(#arrow)\"/><text x=\"{lx:.0}\" y=\"{ly:.0}\">{}</text></g></a>",
            xml(&format!(
                "{} → {}: {}",
                g.nodes.get(e.from).map_or("", |n| n.name.as_str()),
                g.nodes.get(e.to).map_or("", |n| n.name.as_str()),
                edge_label(e)
            )),
            xml(&text)
        );
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let (x, y) = pos(i);
        let kind = match n.kind {
            NodeKind::Principal => "principal",
            NodeKind::Bucket => "bucket",
            NodeKind::Key => "key",
        };
        let rx = match n.kind {
            NodeKind::Principal => 4,
            NodeKind::Bucket => 16,
            NodeKind::Key => 10,
        };
        let _ = writeln!(
            svg,
            "<g class=\"node {kind}\" id=\"{}\" data-name=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{NODE_W}\" height=\"{NODE_H}\" rx=\"{rx}\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            n.id,
            xml(&n.name),
            xml(&n.name),
            x + 10,
            y + NODE_H / 2 + 5,
            xml(&format!(
                "{}{kind}: {}",
                if n.root.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", n.root)
                },
                short_label(n)
            ))
        );
    }
    svg.push_str("</svg>\n");

    let mut edges = String::new();
    if g.edges.is_empty() {
        edges.push_str("<p>No principal of the workspace reaches its buckets and keys.</p>\n");
    }
    for (ei, e) in g.edges.iter().enumerate() {
        let from = g.nodes.get(e.from).map_or("", |n| n.name.as_str());
        let to = g.nodes.get(e.to).map_or("", |n| n.name.as_str());
        let _ = writeln!(
            edges,
            "<section class=\"trace {}\" id=\"edge-{ei}\"><h3><code>{}</code> → <code>{}</code>: {}</h3>",
            decision_word(e.decision),
            xml(from),
            xml(to),
            xml(&edge_label(e))
        );
        if !e.conditions.is_empty() {
            edges.push_str("<p>Allowed only if:</p><ul>");
            for c in &e.conditions {
                let _ = write!(edges, "<li>{}</li>", xml(c));
            }
            edges.push_str("</ul>\n");
        }
        let _ = writeln!(edges, "<pre>{}</pre></section>", xml(&e.trace));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }}
#graph {{ max-width: 100%; height: auto; border: 1px solid #ddd; background: #fcfcfc; }}
.node rect {{ fill: #eef3fb; stroke: #3d5a80; }}
.node.bucket rect {{ fill: #eef8ee; stroke: #2e7d32; }}
.node.key rect {{ fill: #fbf3e6; stroke: #b26a00; }}
.node text {{ font-size: 12px; }}
.edge path {{ fill: none; stroke-width: 1.6; }}
.edge text {{ font-size: 11px; text-anchor: middle; paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
.edge.allow path {{ stroke: #2e7d32; }}
.edge.depends path {{ stroke: #b26a00; stroke-dasharray: 6 4; }}
.edge.denied path {{ stroke: #c62828; stroke-dasharray: 2 3; }}
.edge:hover path {{ stroke-width: 3; }}
.trace {{ border-top: 1px solid #ddd; margin-top: 1rem; }}
.trace.allow h3 {{ color: #2e7d32; }} .trace.depends h3 {{ color: #b26a00; }} .trace.denied h3 {{ color: #c62828; }}
pre {{ background: #f5f5f5; padding: .75rem; overflow-x: auto; font-size: 12px; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Solid: allowed. Dashed: allowed only under conditions. Dotted: granted somewhere but denied. Select an edge for its trace.</p>
{svg}<h2>Edges</h2>
{edges}</body>
</html>
"#,
        title = xml(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_and_escaped() {
        let n = Node {
            id: "k0".into(),
            root: String::new(),
            name: "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
                .into(),
            kind: NodeKind::Key,
        };
        assert_eq!(short_label(&n), "key/1234abcd… (444455556666)");
        assert_eq!(xml("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
