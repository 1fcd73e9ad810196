#!/usr/bin/env bash
# Every editor test: the VS Code extension (type check, lint, unit, grammar snapshot and
# protocol tests, then the .vsix package) and the headless Neovim end-to-end test.
# Needs node/npm and python3; npm packages and the Neovim wheel come from their registries.
#
# Usage: tests/e2e/run.sh      (called by .ci/run)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export LATCH_PATH="${LATCH_PATH:-$repo/target/debug/latch}"
if [[ ! -x "$LATCH_PATH" ]]; then
  echo "e2e: building the latch binary"
  (cd "$repo" && cargo build --quiet -p latch)
fi

echo "e2e: VS Code extension"
(
  cd "$repo/editors/vscode"
  npm ci --no-audit --no-fund --loglevel=error
  npm test
  npm run package
)

echo "e2e: Neovim"
"$repo/tests/e2e/nvim.sh" "$LATCH_PATH"
echo "e2e: all editor tests passed"
