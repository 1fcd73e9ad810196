#!/usr/bin/env bash
# The engine side by side with the peer, in one run, on the same access cases:
# `@cloud-copilot/iam-simulate` (TypeScript, run by Node) and latch-eval, each with
# policies parsed once and end to end from policy text. Prints both rates and the ratios.
#
# Run from anywhere:   scripts/bench/engine.sh
# Environment:
#   LATCH_BENCH_PEER_DIR  npm prefix for the peer (default /tmp/latch-bench-peer, outside
#                         the repository); the pinned version is installed there if absent
#   ALL=1                 all cases, Latch's own decisions included (default: the shared
#                         cases, every file of tests/conformance/cases but
#                         latch_decisions.json)
#   BENCH_WARMUP          warm-up seconds per figure (default 3 for the peer's JIT, 1 for
#                         Latch)
#   BENCH_SECONDS         timed seconds per figure (default 3)
#   PEER_JSON             keep the peer's figures in this file (default: a temporary
#                         file); `LATCH_BENCH_PEER=FILE cargo bench -p latch-eval --bench
#                         eval` compares another build of Latch with the same figures
# Needs: cargo, node and npm (network once, to install the peer).
#
# Cases the peer has no input for (S3 ACLs, object ownership, encryption, requester pays,
# object existence) or rejects are skipped on both sides and named. The script asserts
# nothing about timing; the target (issue 14) is Latch end to end at 100 times the peer.
# docs/design.md (Benchmarks) says what each line compares.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PEER_DIR="${LATCH_BENCH_PEER_DIR:-/tmp/latch-bench-peer}"
PEER_VERSION="0.1.173"
PKG="$PEER_DIR/node_modules/@cloud-copilot/iam-simulate/package.json"

installed="$(node -e 'try{console.log(require(process.argv[1]).version)}catch(e){}' "$PKG")"
if [ "$installed" != "$PEER_VERSION" ]; then
  echo "installing @cloud-copilot/iam-simulate@$PEER_VERSION in $PEER_DIR" >&2
  mkdir -p "$PEER_DIR"
  npm install --silent --no-audit --no-fund --prefix "$PEER_DIR" \
    "@cloud-copilot/iam-simulate@$PEER_VERSION" >/dev/null
fi

files=()
for f in "$ROOT"/tests/conformance/cases/*.json; do
  if [ -n "${ALL:-}" ] || [ "$(basename "$f")" != "latch_decisions.json" ]; then
    files+=("$f")
  fi
done

# Build first, so that compiling does not load the machine while the peer is timed.
(cd "$ROOT" && cargo bench -p latch-eval --bench eval --no-run --quiet)

if [ -n "${PEER_JSON:-}" ]; then
  out="$PEER_JSON"
else
  out="$(mktemp)"
  trap 'rm -f "$out"' EXIT
fi
BENCH_WARMUP="${BENCH_WARMUP:-3}" node "$ROOT/scripts/bench/peer.js" "$PEER_DIR" "${files[@]}" >"$out"
(cd "$ROOT" && BENCH_WARMUP="${BENCH_WARMUP:-1}" LATCH_BENCH_PEER="$out" \
  cargo bench -p latch-eval --bench eval --quiet)
