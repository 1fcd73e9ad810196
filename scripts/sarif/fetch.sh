#!/usr/bin/env bash
# Installs the pinned SARIF multitool (`@microsoft/sarif-multitool`, Microsoft's validator
# of SARIF logs) into build/sarif/ (gitignored), where the CLI test
# `sarif_of_every_example_validates` looks for it. Does nothing when it is already there.
# Needs npm and the npm registry.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
version=5.7.0
bin=build/sarif/node_modules/.bin/sarif-multitool
if [[ ! -x "$bin" ]]; then
  mkdir -p build/sarif
  npm install --prefix build/sarif --no-save --no-audit --no-fund "@microsoft/sarif-multitool@$version" >/dev/null
fi
# The native validator is made executable by a postinstall script that npm may skip.
chmod u+x build/sarif/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool 2>/dev/null || true
