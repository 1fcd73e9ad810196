//! Helpers the integration tests share.

use std::path::Path;

use latch_ide::workspace::Workspace;

/// A folder read from disk into a workspace, with workspace-relative `/` paths; `keep`
/// says which relative paths go in.
pub fn load_dir(dir: &Path, keep: impl Fn(&str) -> bool) -> Workspace {
    let mut ws = Workspace::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(rel) = p.strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !keep(&rel) {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&p) {
                ws.set_file(&rel, &bytes);
            }
        }
    }
    ws
}

/// Every finding of an analysis as one line (path and debug form), sorted: for comparing
/// two analyses whole.
#[allow(dead_code)]
pub fn render(a: &latch_ide::workspace::Analysis) -> Vec<String> {
    let mut out: Vec<String> = a
        .findings
        .iter()
        .flat_map(|(p, fs)| fs.iter().map(move |f| format!("{p} {f:?}")))
        .collect();
    out.sort();
    out
}
