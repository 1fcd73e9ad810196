#!/usr/bin/env node
// The peer side of scripts/bench/engine.sh: runs `@cloud-copilot/iam-simulate` over the
// access cases of tests/conformance/cases and prints one JSON object with its rates.
//
//   node peer.js PEER_DIR CASE_FILE... > peer.json
//
// PEER_DIR is the npm prefix holding node_modules/@cloud-copilot/iam-simulate. Each case
// becomes the peer's own input: identity policies, resource policy, SCP and RCP levels,
// permissions boundary, session policy, VPC endpoint policy, the request's principal,
// action, resource (with the owner account) and context. Cases whose S3 state the peer
// has no input for (ACLs, object ownership, encryption, requester pays, object existence)
// are skipped and counted, and so are cases the peer throws on or rejects. Three rates
// (see `rate` for how each is timed):
//
// - parsed once: policies loaded (`loadPolicy`) and requests built before timing; the
//   peer's `authorize` per case.
// - run_simulation: from each policy's text (`JSON.stringify(v, null, 2)`, the same
//   pretty form the Rust side parses), `JSON.parse`, then `runSimulation`, the peer's
//   public entry point: it validates the policies and the action, looks up resource
//   types, loads the policies and authorizes.
// - end to end: from the same texts, `JSON.parse`, `loadPolicy`, the request built,
//   `authorize`: the peer's fastest path from text, without its validation.
//
// Environment: BENCH_WARMUP and BENCH_SECONDS (seconds per rate, default 3 each).
'use strict'

const fs = require('fs')
const path = require('path')
const { createRequire } = require('module')

const [peerDir, ...files] = process.argv.slice(2)
if (!peerDir || files.length === 0) {
  console.error('usage: node peer.js PEER_DIR CASE_FILE...')
  process.exit(2)
}
const budget = Number(process.env.BENCH_SECONDS || '3')
const warmup = Number(process.env.BENCH_WARMUP || '3')

const req = createRequire(path.join(peerDir, 'package.json'))
const simDir = path.join(peerDir, 'node_modules/@cloud-copilot/iam-simulate')
const simVersion = JSON.parse(fs.readFileSync(path.join(simDir, 'package.json'), 'utf8')).version
const { loadPolicy } = req('@cloud-copilot/iam-policy')
// `authorize` and the request classes are not in the package's export map; the files are
// required by path (the same code `runSimulation` calls).
const cjs = (p) => require(path.join(simDir, 'dist/cjs', p))
const { authorize } = cjs('core_engine/CoreSimulatorEngine.js')
const { AwsRequestImpl } = cjs('request/request.js')
const { RequestContextImpl } = cjs('requestContext.js')
const { DiscoveryContextKeyConstraints } = cjs('context_keys/discoveryContextKeyConstraints.js')
const { anonymousPrincipal } = cjs('simulation_engine/simulation.js')
const { runSimulation } = req('@cloud-copilot/iam-simulate')

// What `runSimulation` puts first in every RCP level (AWS attaches it to every level).
const DEFAULT_RCP = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }]
}

// S3 facts the peer can take: the owner account goes into the resource's account id.
const S3_EXPRESSIBLE = new Set(['bucketOwnerAccount'])

function accountOf(arn) {
  const parts = typeof arn === 'string' ? arn.split(':') : []
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined
}

function contextValue(v) {
  if (Array.isArray(v)) return v.flatMap((x) => (x === null ? [] : [String(x)]))
  return String(v)
}

// The case as the peer's pieces, policies still as values; undefined if not expressible.
function convert(c) {
  if (c.s3 && Object.keys(c.s3).some((k) => c.s3[k] !== null && !S3_EXPRESSIBLE.has(k))) {
    return undefined
  }
  const p = c.policies || {}
  const r = c.request
  const principal = r.principal === 'anonymous' ? anonymousPrincipal : r.principal
  const owner =
    p.resource_account ||
    (c.s3 && c.s3.bucketOwnerAccount) ||
    accountOf(r.resource) ||
    accountOf(r.principal) ||
    ''
  const context = {}
  for (const [k, v] of Object.entries(r.context || {})) {
    if (v !== null) context[k] = contextValue(v)
  }
  return {
    name: c.name,
    expect: c.expect,
    principal,
    action: r.action,
    resource: r.resource,
    owner,
    context,
    identity: (p.identity || []).filter((x) => x !== null),
    resourcePolicy: p.resource || undefined,
    scp: p.scp || [],
    rcp: p.rcp || [],
    boundary: p.boundary || undefined,
    session: p.session || undefined,
    vpce: p.vpce || undefined
  }
}

// Builds the peer's authorization request; `load` turns a policy (value or text) into
// the peer's policy object.
function build(x, load) {
  const request = new AwsRequestImpl(
    x.principal,
    { resource: x.resource, accountId: x.owner },
    x.action,
    new RequestContextImpl(x.context)
  )
  const levels = (ls, name, extra) =>
    ls.map((ps, l) => ({
      orgIdentifier: `${name}${l}`,
      policies: [
        ...(extra ? [loadPolicy(extra, { name: 'RCPFullAWSAccess' })] : []),
        ...ps.map((v, i) => load(v, `${name}[${l}][${i}]`))
      ]
    }))
  return {
    request,
    sessionPolicy: x.session !== undefined ? load(x.session, 'session') : undefined,
    identityPolicies: x.identity.map((v, i) => load(v, `identity[${i}]`)),
    serviceControlPolicies: levels(x.scp, 'scp'),
    resourceControlPolicies: levels(x.rcp, 'rcp', DEFAULT_RCP),
    resourcePolicy: x.resourcePolicy !== undefined ? load(x.resourcePolicy, 'resource') : undefined,
    permissionBoundaries: x.boundary !== undefined ? [load(x.boundary, 'boundary')] : undefined,
    vpcEndpointPolicies: x.vpce !== undefined ? [load(x.vpce, 'vpce')] : undefined,
    simulationParameters: {
      simulationMode: 'Strict',
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([])
    },
    serviceSettings: { s3: {} }
  }
}

// Every policy value of a case replaced by its text, the same shape otherwise.
function withTexts(x) {
  const t = (v) => (v === undefined ? undefined : JSON.stringify(v, null, 2))
  return {
    ...x,
    identity: x.identity.map(t),
    resourcePolicy: t(x.resourcePolicy),
    scp: x.scp.map((ps) => ps.map(t)),
    rcp: x.rcp.map((ps) => ps.map(t)),
    boundary: t(x.boundary),
    session: t(x.session),
    vpce: t(x.vpce)
  }
}

const fromValue = (v, name) => loadPolicy(v, { name })
const fromText = (t, name) => loadPolicy(JSON.parse(t), { name })

// Evaluations per second, after warm-up rounds (the JIT needs seconds to settle; without
// them the peer's figures are several times lower). Every case is timed on its own in
// every round. `fastest`: the number of cases over the sum of each case's fastest time.
// The machine may be shared, and other work only adds time; a case takes microseconds,
// so some repetition of it runs undisturbed, where a whole round of slow cases rarely
// does. `median`: over the median round. The Rust side is measured the same way.
async function rate(items, one) {
  const now = () => Number(process.hrtime.bigint()) / 1e9
  const round = async (mins) => {
    let total = 0
    for (let i = 0; i < items.length; i++) {
      const t = now()
      const r = one(items[i])
      if (r instanceof Promise) await r
      const dt = now() - t
      if (mins && dt < mins[i]) mins[i] = dt
      total += dt
    }
    return total
  }
  const warm = now()
  while (now() - warm < warmup) await round()
  const mins = items.map(() => Infinity)
  const totals = []
  const start = now()
  while (now() - start < budget || totals.length < 5) totals.push(await round(mins))
  totals.sort((a, b) => a - b)
  return {
    fastest: items.length / mins.reduce((a, b) => a + b, 0),
    median: items.length / totals[Math.floor(totals.length / 2)]
  }
}

const OUTCOME = { Allowed: 'allow', ExplicitlyDenied: 'explicit_deny', ImplicitlyDenied: 'implicit_deny' }

// The same case through the peer's public entry point: policies as parsed values.
function simulation(x, parse) {
  const named = (v, name) => ({ name, policy: parse(v) })
  return {
    request: {
      principal: x.principal,
      action: x.action,
      resource: { resource: x.resource, accountId: x.owner },
      contextVariables: x.context
    },
    sessionPolicy: x.session !== undefined ? parse(x.session) : undefined,
    identityPolicies: x.identity.map((v, i) => named(v, `identity[${i}]`)),
    serviceControlPolicies: x.scp.map((ps, l) => ({
      orgIdentifier: `scp${l}`,
      policies: ps.map((v, i) => named(v, `scp[${l}][${i}]`))
    })),
    resourceControlPolicies: x.rcp.map((ps, l) => ({
      orgIdentifier: `rcp${l}`,
      policies: ps.map((v, i) => named(v, `rcp[${l}][${i}]`))
    })),
    resourcePolicy: x.resourcePolicy !== undefined ? parse(x.resourcePolicy) : undefined,
    permissionBoundaryPolicies:
      x.boundary !== undefined ? [named(x.boundary, 'boundary')] : undefined,
    vpcEndpointPolicies: x.vpce !== undefined ? [named(x.vpce, 'vpce')] : undefined
  }
}
const same = (v) => v

async function main() {
  let total = 0
  const converted = []
  const skipped = []
  for (const f of files) {
    for (const c of JSON.parse(fs.readFileSync(f, 'utf8'))) {
      total += 1
      const x = convert(c)
      if (!x) {
        skipped.push({ name: c.name, why: 'S3 state the peer has no input for' })
        continue
      }
      try {
        authorize(build(x, fromValue))
      } catch (e) {
        skipped.push({ name: c.name, why: `the peer throws: ${e.message}` })
        continue
      }
      const r = await runSimulation(simulation(x, same), {})
      if (r.resultType === 'error') {
        skipped.push({ name: c.name, why: `the peer rejects the input: ${r.errors.message}` })
        continue
      }
      converted.push(x)
    }
  }

  const ready = converted.map((x) => build(x, fromValue))
  let agree = 0
  ready.forEach((r, i) => {
    if (OUTCOME[authorize(r).result] === converted[i].expect) agree += 1
  })
  let sink = 0
  const texts = converted.map(withTexts)
  const parsedOnce = await rate(ready, (r) => {
    sink += authorize(r).result.length
  })
  const endToEnd = await rate(texts, (x) => {
    sink += authorize(build(x, fromText)).result.length
  })
  const publicApi = await rate(texts, async (x) => {
    const r = await runSimulation(simulation(x, JSON.parse), {})
    sink += r.resultType.length
  })

  process.stdout.write(
    JSON.stringify({
      peer: `@cloud-copilot/iam-simulate@${simVersion}`,
      node: process.version,
      total,
      cases: converted.map((x) => x.name),
      skipped,
      agree,
      parsed_once: parsedOnce.fastest,
      end_to_end: endToEnd.fastest,
      run_simulation: publicApi.fastest,
      median: {
        parsed_once: parsedOnce.median,
        end_to_end: endToEnd.median,
        run_simulation: publicApi.median
      },
      sink: sink > 0
    }) + '\n'
  )
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
