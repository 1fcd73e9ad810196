//! Reading workspaces from disk: the only file-system code of Latch. A folder is walked
//! respecting `.gitignore`; files are handed to the pure [`Workspace`] as bytes.

use std::path::{Path, PathBuf};

use latch_ide::workspace::{Workspace, kind_from_path};

/// A workspace read from disk, and where its relative paths start.
pub struct Loaded {
    pub root: PathBuf,
    pub workspace: Workspace,
    /// The relative paths that were named explicitly (a file argument), or all of them.
    pub files: Vec<String>,
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Folders that never hold policies a user wrote.
fn skipped_dir(name: &str) -> bool {
    matches!(name, "node_modules" | "target" | ".terraform" | ".git")
}

/// Every analysable file under `root`, as relative paths.
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && skipped_dir(&e.file_name().to_string_lossy()))
        })
        .build();
    for entry in walker.flatten() {
        if entry.file_type().is_some_and(|t| t.is_file())
            && kind_from_path(&entry.file_name().to_string_lossy()).is_some()
        {
            out.push(entry.into_path());
        }
    }
    // `terraform init` downloads registry and git modules under `.terraform/modules` and
    // lists them in `modules.json`: read it and their `.tf` files, so that module calls
    // can be followed (the folder itself is skipped above, as generated code).
    let mut dirs: Vec<PathBuf> = out
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let list = dir.join(".terraform/modules/modules.json");
        let Ok(text) = std::fs::read_to_string(&list) else {
            continue;
        };
        out.push(list);
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        for m in v["Modules"].as_array().into_iter().flatten() {
            let Some(d) = m["Dir"].as_str().filter(|d| d.starts_with(".terraform/")) else {
                continue;
            };
            let Ok(entries) = std::fs::read_dir(dir.join(d)) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if (name.ends_with(".tf") || name.ends_with(".tf.json"))
                    && e.file_type().is_ok_and(|t| t.is_file())
                {
                    out.push(e.path());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Loads a folder, or a single file together with the `latch.toml` beside it.
pub fn load(path: &Path) -> std::io::Result<Loaded> {
    let meta = std::fs::metadata(path)?;
    let mut workspace = Workspace::new();
    if meta.is_dir() {
        let root = path.to_path_buf();
        let mut files = Vec::new();
        for file in walk(&root) {
            let rel = relative(&root, &file);
            if let Ok(bytes) = std::fs::read(&file) {
                workspace.set_file_lean(&rel, &bytes);
                files.push(rel);
            }
        }
        Ok(Loaded {
            root,
            workspace,
            files,
        })
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let rel = relative(&root, path);
        let bytes = std::fs::read(path)?;
        workspace.set_file(&rel, &bytes);
        let manifest = root.join("latch.toml");
        if rel != "latch.toml" {
            if let Ok(m) = std::fs::read(&manifest) {
                workspace.set_file("latch.toml", &m);
            }
        }
        Ok(Loaded {
            root,
            workspace,
            files: vec![rel],
        })
    }
}
