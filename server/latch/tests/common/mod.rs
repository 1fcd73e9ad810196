//! Helpers shared by the integration tests (`mod common;` in each test file).

#![expect(clippy::unwrap_used, reason = "helpers of test files")]

use std::path::{Path, PathBuf};

/// Copies the fixture folder `fixture` (relative to the repository root) into a fresh
/// temporary folder named after `name` and the process, and returns that folder.
pub fn fixture_copy(fixture: &str, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(fixture);
    let dir = std::env::temp_dir().join(format!("latch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&src, &dir);
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
