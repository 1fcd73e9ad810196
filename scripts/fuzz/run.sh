#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 30), one after another,
# and prints the executions of each and whether it crashed:
#
#   scripts/fuzz/run.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz/run.sh 3600 workspace
#   scripts/fuzz/run.sh smoke [TARGET...]
#
# `smoke` (what .ci/run does) runs a fixed number of inputs per target (about 10 s each on
# two cores) from libFuzzer seed 1, starting from the committed seeds only and keeping
# nothing: nearly the same inputs on every machine (hash-map order, random per process,
# can still steer coverage a little), so a smoke run does not depend on the machine's
# speed. Timed runs explore further and keep what they find. When a target crashes, the
# input is printed in base64 (CI logs are often all there is to reproduce from):
# `echo ... | base64 -d > crash` and replay it as below.
#
# Targets: json (latch_syntax::json::parse and the policy model), terraform
# (latch_syntax::terraform::analyze_module on one file), manifest
# (latch_syntax::manifest::parse_manifest), workspace (files set into
# latch_ide::workspace::Workspace, analysed, one cut in half, analysed again) and engine
# (a policy compiled from the text, as every kind, deciding fixed requests in latch_eval).
#
# Needs a nightly toolchain (`rustup toolchain list`) and cargo-fuzz
# (`cargo install cargo-fuzz`). Seeds are fuzz/corpus/<target>/ (committed, never written
# to); what the fuzzer finds goes to build/fuzz/corpus/<target>/ and is reused by later
# runs; a crashing input is saved to build/fuzz/artifacts/<target>/ (replay it with
# `cd fuzz && cargo +nightly fuzz run <target> ../build/fuzz/artifacts/<target>/crash-...`).
# Built with debug assertions, so an arithmetic overflow is a crash too; an input that
# takes over 20 s counts as a crash (a hang).
# Exits 1 when a target crashed, 2 when the toolchain or cargo-fuzz is missing.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-30}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(json terraform manifest workspace engine)
fi
smoke=0
if [[ "$seconds" == smoke ]]; then
  smoke=1
elif ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -lt 1 ]]; then
  echo "usage: scripts/fuzz/run.sh [SECONDS|smoke] [TARGET...]" >&2
  exit 2
fi
# Inputs per target in a smoke run: about 10 s each at the speeds of a 2-core CI machine.
smoke_runs() {
  case "$1" in
    json) echo 80000 ;;
    terraform) echo 30000 ;;
    manifest) echo 300000 ;;
    workspace) echo 5000 ;;
    engine) echo 25000 ;;
    *) echo 10000 ;;
  esac
}
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain (cargo fuzz needs one)" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
  exit 2
fi

cd "$repo/fuzz"
flags=(--release --debug-assertions --sanitizer none)
mkdir -p "$repo/build/fuzz"
if ! cargo +nightly fuzz build "${flags[@]}" >"$repo/build/fuzz/build.log" 2>&1; then
  cat "$repo/build/fuzz/build.log" >&2
  echo "fuzz: the targets do not build" >&2
  exit 1
fi
status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$repo/build/fuzz/corpus/$t"
  artifacts="$repo/build/fuzz/artifacts/$t"
  log="$repo/build/fuzz/$t.log"
  if [[ $smoke -eq 1 ]]; then
    # A fresh, throwaway corpus: only the committed seeds, the same run everywhere.
    corpus="$repo/build/fuzz/smoke/$t"
    rm -rf "$corpus"
    budget=(-runs="$(smoke_runs "$t")" -seed=1)
    echo "fuzz: $t, ${budget[0]#-runs=} inputs"
  else
    budget=(-max_total_time="$seconds")
    echo "fuzz: $t for ${seconds}s"
  fi
  mkdir -p "$corpus" "$artifacts"
  rc=0
  cargo +nightly fuzz run "${flags[@]}" "$t" "$corpus" "$repo/fuzz/corpus/$t" -- \
    "${budget[@]}" -timeout=20 -artifact_prefix="$artifacts/" \
    -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  speed="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  if [[ $rc -eq 0 ]]; then
    result="ok"
  else
    status=1
    crash="$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //')"
    result="CRASH (exit $rc) ${crash:-see $log}"
    grep -m1 -A3 -E "panicked at|ERROR: libFuzzer" "$log" | sed 's/^/    /' || true
    if [[ -n "$crash" && -f "$crash" ]]; then
      echo "    the input, in base64:"
      base64 "$crash" | sed 's/^/      /'
    fi
  fi
  summary+=("$(printf '%-10s %12s execs %8s/s  %s' "$t" "${execs:-?}" "${speed:-?}" "$result")")
done
if [[ $smoke -eq 1 ]]; then
  echo "fuzz: smoke run (fixed inputs from seed 1)"
else
  echo "fuzz: ${seconds}s per target"
fi
printf '  %s\n' "${summary[@]}"
exit $status
