#!/usr/bin/env bash
# The entry of the `latch` pre-commit hook (`.pre-commit-hooks.yaml`): builds `latch` from
# this repository with cargo (cargo rebuilds only when the sources change) and runs
# `latch check` with the hook's arguments and the files pre-commit passes. `latch check`
# reads the whole workspace of each file (the nearest folder upward with `latch.toml`,
# else the repository's root) and reports the findings of the files given, so a staged
# file gets its cross-document findings. `LATCH_BIN` names an already built binary
# instead (the test of the hook uses it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${LATCH_BIN:-}"
if [[ -z "$bin" ]]; then
  cargo build --quiet --release --locked -p latch \
    --manifest-path "$repo/Cargo.toml" --target-dir "$repo/target"
  bin="$repo/target/release/latch"
fi
exec "$bin" check "$@"
