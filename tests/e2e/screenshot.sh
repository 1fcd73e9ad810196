#!/usr/bin/env bash
# Makes docs/img/neovim.png: Neovim 0.11 with Latch in a detached tmux pane, captured with
# its colours and rendered to PNG by ansi_to_png.py. Needs tmux and the venv of nvim.sh
# (Pillow is installed into it).
#
# Usage: tests/e2e/screenshot.sh [latch-binary]    (LATCH_SHOT=float shows the diagnostic float instead of the hover)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$repo/build/nvim-venv"
[[ -x "$venv/bin/nvim" ]] || "$repo/tests/e2e/nvim.sh" --install-only
"$venv/bin/python" -c 'import PIL' 2>/dev/null || "$venv/bin/pip" install --quiet --disable-pip-version-check pillow
latch="${1:-${LATCH_PATH:-$repo/target/debug/latch}}"
# Absolute, because Neovim starts the server from another working directory.
[[ "$latch" == /* ]] || latch="$PWD/$latch"

work="$(mktemp -d)"
trap 'tmux -L latch-shot kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/project/policies" "$work/xdg"
cp "$repo/tests/e2e/fixtures/screenshot.policy.json" "$work/project/policies/reports.json"
touch "$work/project/latch.toml"

cols=120 rows=26
tmux -L latch-shot -f /dev/null new-session -d -s shot -x "$cols" -y "$rows" \
  -e TERM=tmux-256color -e LATCH_REPO="$repo" -e LATCH_PATH="$latch" -e LATCH_SHOT="${LATCH_SHOT:-hover}" \
  -e XDG_CONFIG_HOME="$work/xdg" -e XDG_STATE_HOME="$work/xdg" -e XDG_DATA_HOME="$work/xdg" \
  -c "$work/project" \
  "$venv/bin/nvim -u $repo/tests/e2e/screenshot_init.lua -i NONE policies/reports.json"
tmux -L latch-shot set-option -g default-terminal tmux-256color >/dev/null
tmux -L latch-shot set-option -ga terminal-overrides ',*:Tc' >/dev/null
sleep "${LATCH_SHOT_WAIT:-4}"
mkdir -p "$repo/build" "$repo/docs/img"
tmux -L latch-shot capture-pane -p -e -t shot > "$repo/build/neovim.ansi"
if ! grep -q '●' "$repo/build/neovim.ansi"; then
  echo "screenshot: no Latch diagnostics on screen after ${LATCH_SHOT_WAIT:-4} s; not writing the image" >&2
  exit 1
fi
"$venv/bin/python" "$repo/tests/e2e/ansi_to_png.py" "$repo/build/neovim.ansi" "$repo/docs/img/neovim.png" --cols "$cols" --rows "$rows"
echo "wrote docs/img/neovim.png"
