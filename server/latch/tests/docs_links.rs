//! The docs stand alone (issue 16, item 7): every relative link of a Markdown file of the
//! repository (README.md, docs/, editors/, examples/, and the others) points at a file
//! that exists inside the repository and, with `#anchor`, at a heading of that file; and
//! no doc cites the reference texts that live outside the repository.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

fn repo() -> PathBuf {
    std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")).unwrap()
}

/// Every Markdown file of the repository, build output and dependencies left out.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "build" | "node_modules" | ".git" | "corpus" | "out"
            ) && !name.starts_with('.')
            {
                markdown_files(&path, out);
            }
        } else if name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// The text outside fenced code blocks and inline code spans.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            out.push('\n');
            continue;
        }
        if fenced {
            out.push('\n');
            continue;
        }
        // Inline code: drop what is between backticks.
        let mut inside = false;
        for c in line.chars() {
            if c == '`' {
                inside = !inside;
            } else if !inside {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The targets of inline links and images `[text](target)` and of reference definitions
/// `[name]: target`.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let prose = prose(text);
    let bytes = prose.as_bytes();
    let mut i = 0;
    while let Some(at) = prose[i..].find("](") {
        let start = i + at + 2;
        let mut depth = 0;
        let mut end = start;
        while end < bytes.len() {
            match bytes[end] {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b'\n' => break,
                _ => {}
            }
            end += 1;
        }
        let target = prose[start..end].split_whitespace().next().unwrap_or("");
        out.push(target.trim_matches(['<', '>']).to_string());
        i = end;
    }
    for line in prose.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('[') {
            if let Some((_, target)) = rest.split_once("]: ") {
                out.push(target.split_whitespace().next().unwrap_or("").to_string());
            }
        }
    }
    out
}

/// GitHub's anchor of a heading: lower case, punctuation dropped (but `-` and `_`), spaces
/// as `-`; a repeated heading gets `-1`, `-2`.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let title = line.trim_start_matches('#').trim();
        // `[text](url)` reads as `text`.
        let mut plain = String::new();
        let mut rest = title;
        while let Some(open) = rest.find('[') {
            plain.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find("](").zip(after.find(')')) {
                Some((mid, close)) if mid < close => {
                    plain.push_str(&after[..mid]);
                    rest = &after[close + 1..];
                }
                _ => {
                    plain.push('[');
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        let slug: String = plain
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let mut candidate = slug.clone();
        let mut n = 0;
        while !seen.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{slug}-{n}");
        }
    }
    seen
}

/// `base/rel` with `.` and `..` resolved as text.
fn join(base: &Path, rel: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base.join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every broken relative link of the Markdown file `file`, in words.
fn broken_links(root: &Path, file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    let shown = file.strip_prefix(root).unwrap().display().to_string();
    let mut broken = Vec::new();
    for link in links(&text) {
        if link.is_empty()
            || link.contains("://")
            || link.starts_with("mailto:")
            || link.starts_with("data:")
        {
            continue;
        }
        let (path, anchor) = match link.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (link.as_str(), None),
        };
        let target = if path.is_empty() {
            file.to_path_buf()
        } else {
            join(file.parent().unwrap(), path)
        };
        if !target.starts_with(root) {
            broken.push(format!("{shown}: `{link}` leaves the repository"));
            continue;
        }
        if !target.exists() {
            broken.push(format!("{shown}: `{link}` does not exist"));
            continue;
        }
        if let Some(anchor) = anchor {
            if target.extension().is_some_and(|e| e == "md") {
                let heads = anchors(&std::fs::read_to_string(&target).unwrap());
                if !heads.contains(&anchor.to_lowercase()) {
                    broken.push(format!(
                        "{shown}: `{link}`: no heading has the anchor `#{anchor}`"
                    ));
                }
            }
        }
    }
    broken
}

#[test]
fn every_relative_link_of_the_docs_exists() {
    let root = repo();
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    for must in [
        "README.md",
        "docs/design.md",
        "docs/semantics.md",
        "docs/checks.md",
    ] {
        assert!(files.contains(&root.join(must)), "{must} was not found");
    }
    assert!(
        files
            .iter()
            .any(|f| f.starts_with(root.join("editors/neovim")))
    );
    let broken: Vec<String> = files.iter().flat_map(|f| broken_links(&root, f)).collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The reference texts of the team live beside the repository, not in it: readers of the
/// repository have only the repository.
#[test]
fn no_doc_cites_a_file_outside_the_repository() {
    let root = repo();
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    let mut cites = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for word in ["../shared", "AWS_SEMANTICS", "SCENARIOS.md", "seeds/"] {
            if text.contains(word) {
                cites.push(format!(
                    "{}: cites `{word}`",
                    f.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(cites.is_empty(), "{}", cites.join("\n"));
}

#[test]
fn the_checker_sees_a_broken_link_and_a_missing_anchor() {
    let dir = std::env::temp_dir().join(format!("latch-docs-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(
        dir.join("docs/a.md"),
        "# Title\n\n## The `latch.toml` (optional)\n\n[ok](b.md) [ok](#title) [ok](#the-latchtoml-optional)\n[gone](missing.md) [anchor](b.md#nowhere) [out](../../x.md)\n`[code](ignored.md)`\n\n```\n[fenced](ignored.md)\n```\n",
    )
    .unwrap();
    std::fs::write(dir.join("docs/b.md"), "# B\n").unwrap();
    let broken = broken_links(&dir, &dir.join("docs/a.md"));
    assert_eq!(
        broken,
        [
            "docs/a.md: `missing.md` does not exist",
            "docs/a.md: `b.md#nowhere`: no heading has the anchor `#nowhere`",
            "docs/a.md: `../../x.md` leaves the repository",
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The files whose text cites sections of the docs: code, conformance cases, fixtures.
fn citing_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            if !matches!(name.as_str(), "target" | "build" | "node_modules")
                && !name.starts_with('.')
            {
                citing_files(&path, out);
            }
        } else if [".rs", ".json", ".md", ".toml"]
            .iter()
            .any(|x| name.ends_with(x))
        {
            out.push(path);
        }
    }
}

/// Whether `doc` has section `n` (`3`, `3.1`): a heading `## 3.` / `### 3.1 `, or for
/// `N.M` without such a heading, item `M.` of the numbered list of section `N`.
fn has_section(doc: &str, n: &str) -> bool {
    let heading = |h: &str| {
        doc.lines().any(|l| {
            let t = l.trim_start_matches('#');
            l.starts_with('#')
                && (t.starts_with(&format!(" {h}. ")) || t.starts_with(&format!(" {h} ")))
        })
    };
    if heading(n) {
        return true;
    }
    let Some((major, item)) = n.split_once('.') else {
        return false;
    };
    let Some(start) = doc
        .lines()
        .position(|l| l.starts_with("## ") && l[3..].starts_with(&format!("{major}. ")))
    else {
        return false;
    };
    doc.lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with("## "))
        .any(|l| l.starts_with(&format!("{item}. ")))
}

/// Every `aws-rules.md §N` and `semantics.md §N` that code, cases and docs cite exists.
#[test]
fn every_cited_section_exists() {
    let root = repo();
    let rules = std::fs::read_to_string(root.join("docs/aws-rules.md")).unwrap();
    let semantics = std::fs::read_to_string(root.join("docs/semantics.md")).unwrap();
    let mut files = Vec::new();
    for d in ["server", "tests", "docs", "examples"] {
        citing_files(&root.join(d), &mut files);
    }
    files.push(root.join("README.md"));
    let mut missing = Vec::new();
    let mut cited = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for (name, doc) in [("aws-rules.md", &rules), ("semantics.md", &semantics)] {
            for (at, _) in text.match_indices(name) {
                let rest = &text[at + name.len()..];
                let rest = rest
                    .strip_prefix(" §")
                    .or_else(|| rest.strip_prefix(" section "))
                    .or_else(|| rest.strip_prefix("` §"))
                    .or_else(|| rest.strip_prefix(")** §"));
                let Some(rest) = rest else { continue };
                let n: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let n = n.trim_end_matches('.');
                if n.is_empty() {
                    continue;
                }
                cited += 1;
                if !has_section(doc, n) {
                    missing.push(format!(
                        "{}: {name} §{n} does not exist",
                        f.strip_prefix(&root).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        cited > 50,
        "only {cited} citations found: the scan is broken"
    );
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
