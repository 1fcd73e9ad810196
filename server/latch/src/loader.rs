//! Reading workspaces from disk: the only file-system code of Latch. A folder is walked
//! respecting `.gitignore`; files are handed to the pure [`Workspace`] as bytes.
//!
//! `latch check` analyses what it is given within its workspace ([`locate`]): the root is
//! the nearest folder upward that holds `latch.toml`, else the version-control root (a
//! folder with `.git`, a folder or a worktree's file; the search for `latch.toml` stops
//! there), else the given folder (or a given file's folder). The whole root is read ([`load_root`]) and the files asked for are
//! selected, so a file or a subfolder gets the findings the whole workspace gives it.

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
    if std::fs::metadata(path)?.is_dir() {
        return Ok(load_root(path, &[Select::Folder(String::new())]));
    }
    let mut workspace = Workspace::new();
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let rel = relative(&root, path);
    let bytes = std::fs::read(path)?;
    workspace.set_file(&rel, &bytes);
    if rel != "latch.toml" {
        if let Ok(m) = std::fs::read(root.join("latch.toml")) {
            workspace.set_file("latch.toml", &m);
        }
    }
    Ok(Loaded {
        root,
        workspace,
        files: vec![rel],
    })
}

/// What an argument of `latch check` asks for inside its workspace root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Select {
    /// One file, relative to the root.
    File(String),
    /// A folder and everything under it, relative to the root (`""` for the root itself).
    Folder(String),
}

impl Select {
    /// Whether the root-relative `path` is asked for.
    pub fn covers(&self, path: &str) -> bool {
        match self {
            Select::File(f) => f == path,
            Select::Folder(d) => {
                d.is_empty()
                    || path
                        .strip_prefix(d.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            }
        }
    }
}

/// Where an argument's workspace is: the root as it is printed (relative to the current
/// folder when the argument was relative), the root as an absolute path, and what the
/// argument selects in it.
#[derive(Clone, Debug)]
pub struct Located {
    pub root: PathBuf,
    pub root_abs: PathBuf,
    pub select: Select,
}

/// `path` made absolute against the current folder, with `.` and `..` resolved as text
/// (symbolic links are kept, as a shell's `cd` keeps them).
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The workspace root of the folder `dir` (absolute): the nearest folder upward with
/// `latch.toml`, else the version-control root (the nearest with `.git`: a manifest above
/// the repository is not the repository's), else `dir`.
pub fn root_of(dir: &Path) -> PathBuf {
    for d in dir.ancestors() {
        if d.join("latch.toml").is_file() || d.join(".git").exists() {
            return d.to_path_buf();
        }
    }
    dir.to_path_buf()
}

/// `to` (absolute) as a path from `from` (absolute): `.`, `sub/dir`, `../..`.
fn path_from(from: &Path, to: &Path) -> PathBuf {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return to.to_path_buf();
    }
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The workspace of an existing file or folder given to `latch check`.
pub fn locate(path: &Path) -> std::io::Result<Located> {
    let meta = std::fs::metadata(path)?;
    let abs = absolute(path)?;
    let dir = if meta.is_dir() {
        abs.clone()
    } else {
        abs.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let root_abs = root_of(&dir);
    let rel = relative(&root_abs, &abs);
    let select = if meta.is_dir() {
        Select::Folder(rel)
    } else {
        Select::File(rel)
    };
    // Printed as given when the root is the argument's own folder; otherwise from the
    // current folder (or absolute, for an absolute argument).
    let root = if root_abs == dir {
        if meta.is_dir() {
            path.to_path_buf()
        } else {
            path.parent().map(Path::to_path_buf).unwrap_or_default()
        }
    } else if path.is_absolute() {
        root_abs.clone()
    } else {
        path_from(&absolute(Path::new("."))?, &root_abs)
    };
    Ok(Located {
        root,
        root_abs,
        select,
    })
}

/// Reads the whole workspace at `root` and selects the files `selects` ask for (a file
/// asked for by name is read even where the walk does not go: a hidden or ignored file).
pub fn load_root(root: &Path, selects: &[Select]) -> Loaded {
    let mut workspace = Workspace::new();
    let mut files = Vec::new();
    let mut read = Vec::new();
    for file in walk(root) {
        let rel = relative(root, &file);
        if let Ok(bytes) = std::fs::read(&file) {
            if selects.iter().any(|s| s.covers(&rel)) {
                files.push(rel.clone());
            }
            read.push((rel, bytes));
        }
    }
    // A folder asked for by name that the walk skipped whole (ignored by the repository's
    // `.gitignore`, such as a downloaded corpus under `build/`) is read all the same.
    let mut extra = Vec::new();
    for s in selects {
        if let Select::Folder(dir) = s {
            if !dir.is_empty() && !files.iter().any(|f| s.covers(f)) {
                for file in walk(&root.join(dir)) {
                    let rel = relative(root, &file);
                    if let Ok(bytes) = std::fs::read(&file) {
                        files.push(rel.clone());
                        extra.push((rel, bytes));
                    }
                }
            }
        }
    }
    read.append(&mut extra);
    workspace.set_files_lean(&read);
    for s in selects {
        if let Select::File(rel) = s {
            if !files.contains(rel) {
                if let Ok(bytes) = std::fs::read(root.join(rel)) {
                    workspace.set_file_lean(rel, &bytes);
                    files.push(rel.clone());
                }
            }
        }
    }
    Loaded {
        root: root.to_path_buf(),
        workspace,
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_covers_its_files_and_not_its_namesakes() {
        let s = Select::Folder("s3".into());
        assert!(s.covers("s3/bucket.json"));
        assert!(s.covers("s3/deep/b.json"));
        assert!(!s.covers("s3x/b.json"));
        assert!(!s.covers("s3"));
        assert!(Select::Folder(String::new()).covers("any/file.json"));
        assert!(Select::File("a/b.json".into()).covers("a/b.json"));
        assert!(!Select::File("a/b.json".into()).covers("a/b.jsonx"));
    }

    #[test]
    fn paths_between_folders() {
        let p = |a: &str, b: &str| path_from(Path::new(a), Path::new(b));
        assert_eq!(p("/w/a", "/w/a"), PathBuf::from("."));
        assert_eq!(p("/w", "/w/a/b"), PathBuf::from("a/b"));
        assert_eq!(p("/w/a/b", "/w"), PathBuf::from("../.."));
        assert_eq!(p("/w/a", "/w/c"), PathBuf::from("../c"));
    }
}
