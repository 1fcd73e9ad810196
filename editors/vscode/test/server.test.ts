// Tests of what the extension tells the user about the server binary, with a stubbed
// `vscode` module: the setting is read, the output says which binary is used, and a missing
// binary raises a notification whose buttons open the setting or the log.

import "./vscode-stub";

import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, test } from "node:test";

import { OPEN_SETTINGS, SHOW_OUTPUT, discoverServer, reportDiscovery } from "../src/server";
import { reset, state } from "./vscode-stub";

class FakeLog {
  lines: string[] = [];
  shown = 0;
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
  show(): void {
    this.shown += 1;
  }
}

function fakeBinary(dir: string, name = "latch"): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, "#!/bin/sh\n");
  chmodSync(p, 0o755);
  return p;
}

beforeEach(reset);

test("the `latch.server.path` setting is read through the vscode API and reported", async () => {
  const dir = mkdtempSync(join(tmpdir(), "latch-ext-"));
  const bin = fakeBinary(join(dir, "bin"));
  state.settings["latch.server.path"] = bin;
  const d = discoverServer(join(dir, "ext"), { PATH: "" });
  assert.equal(d.kind === "found" && d.source, "setting");
  const log = new FakeLog();
  assert.equal(await reportDiscovery(d, log), bin);
  assert.deepEqual(log.lines, [`info using latch at ${bin} (from the \`latch.server.path\` setting)`]);
  assert.equal(state.errors.length, 0);
});

test("a relative setting is resolved against the first workspace folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "latch-ext-"));
  const bin = fakeBinary(join(dir, "target", "debug"));
  state.settings["latch.server.path"] = "target/debug/latch";
  state.workspaceFolders = [{ uri: { fsPath: dir } }];
  const d = discoverServer(join(dir, "ext"), { PATH: "" });
  assert.equal(d.kind === "found" && d.path, bin);
});

test("the bundled binary inside the extension folder is used when nothing is configured", async () => {
  const dir = mkdtempSync(join(tmpdir(), "latch-ext-"));
  const bin = fakeBinary(join(dir, "ext", "server"));
  const d = discoverServer(join(dir, "ext"), { PATH: "" });
  const log = new FakeLog();
  assert.equal(await reportDiscovery(d, log), bin);
  assert.match(log.lines[0] ?? "", /bundled with the extension/);
});

test("no binary: the log explains, the notification offers the setting, and the button opens it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "latch-ext-"));
  const d = discoverServer(join(dir, "ext"), { PATH: join(dir, "empty") });
  assert.equal(d.kind, "missing");
  const log = new FakeLog();
  state.answer = OPEN_SETTINGS;
  assert.equal(await reportDiscovery(d, log), undefined);
  assert.match(log.lines[0] ?? "", /^error latch could not start because no server binary was found/);
  assert.equal(state.errors.length, 1);
  assert.match(state.errors[0]?.message ?? "", /no `latch` server binary found/);
  assert.deepEqual(state.errors[0]?.items, [OPEN_SETTINGS, SHOW_OUTPUT]);
  assert.deepEqual(state.commands, [["workbench.action.openSettings", "latch.server.path"]]);
  assert.equal(log.shown, 0);
});

test("no binary: the other button shows the log", async () => {
  const d = discoverServer("/nonexistent-ext", { PATH: "" });
  const log = new FakeLog();
  state.answer = SHOW_OUTPUT;
  await reportDiscovery(d, log);
  assert.equal(log.shown, 1);
  assert.deepEqual(state.commands, []);
});
