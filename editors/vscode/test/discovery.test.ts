// Unit tests of the server search order and of what it tells the user, with a fake file
// system so that every branch is reachable on any machine.

import assert from "node:assert/strict";
import { test } from "node:test";

import { type DiscoveryInput, bundledPath, expandPath, findServer } from "../src/discovery";

const EXT = "/ext/latch-0.1.0";

function input(over: Partial<DiscoveryInput>, executables: string[]): DiscoveryInput {
  const set = new Set(executables);
  return {
    configuredPath: undefined,
    env: { PATH: "/usr/local/bin:/usr/bin", HOME: "/home/u" },
    extensionPath: EXT,
    workspaceFolder: "/work/project",
    platform: "linux",
    isExecutable: (p) => set.has(p),
    ...over,
  };
}

test("the setting wins over every other place", () => {
  const d = findServer(
    input({ configuredPath: "/opt/latch/bin/latch", env: { LATCH_PATH: "/env/latch", PATH: "/usr/bin" } }, [
      "/opt/latch/bin/latch",
      "/env/latch",
      `${EXT}/server/latch`,
      "/usr/bin/latch",
    ]),
  );
  assert.equal(d.kind, "found");
  assert.equal(d.kind === "found" && d.path, "/opt/latch/bin/latch");
  assert.equal(d.kind === "found" && d.source, "setting");
  assert.match(d.kind === "found" ? d.description : "", /latch\.server\.path/);
});

test("LATCH_PATH comes second, then the bundled binary, then PATH", () => {
  const all = ["/env/latch", `${EXT}/server/latch`, "/usr/bin/latch"];
  const env = { LATCH_PATH: "/env/latch", PATH: "/usr/local/bin:/usr/bin" };
  const a = findServer(input({ env }, all));
  assert.deepEqual(a.kind === "found" && [a.source, a.path], ["env", "/env/latch"]);

  const b = findServer(input({ env: { PATH: env.PATH } }, all));
  assert.deepEqual(b.kind === "found" && [b.source, b.path], ["bundled", `${EXT}/server/latch`]);

  const c = findServer(input({ env: { PATH: env.PATH } }, ["/usr/bin/latch"]));
  assert.deepEqual(c.kind === "found" && [c.source, c.path], ["path", "/usr/bin/latch"]);
  assert.match(c.kind === "found" ? c.description : "", /from `PATH`/);
});

test("PATH is searched in order and empty entries are skipped", () => {
  const d = findServer(input({ env: { PATH: "::/a:/b" } }, ["/b/latch", "/a/latch"]));
  assert.equal(d.kind === "found" && d.path, "/a/latch");
});

test("a setting that points nowhere is an error, not a silent fallback", () => {
  const d = findServer(input({ configuredPath: "/nope/latch" }, ["/usr/bin/latch"]));
  assert.equal(d.kind, "missing");
  if (d.kind !== "missing") return;
  assert.deepEqual(d.badExplicit, { source: "setting", path: "/nope/latch" });
  assert.match(d.message, /`latch\.server\.path` is `\/nope\/latch`, which is not an executable file/);
  // Messages follow the project style: lower case start, no final period.
  assert.match(d.message, /^latch: [a-z`]/);
  assert.doesNotMatch(d.message, /\.$/);
});

test("a LATCH_PATH that points nowhere is an error too", () => {
  const d = findServer(input({ env: { LATCH_PATH: "/gone", PATH: "/usr/bin" } }, ["/usr/bin/latch"]));
  assert.equal(d.kind === "missing" && d.badExplicit?.source, "env");
  assert.match(d.kind === "missing" ? d.message : "", /`LATCH_PATH` is `\/gone`/);
});

test("nothing found lists every place searched and the ways to fix it", () => {
  const d = findServer(input({ env: { PATH: "/usr/bin" } }, []));
  assert.equal(d.kind, "missing");
  if (d.kind !== "missing") return;
  assert.equal(d.badExplicit, undefined);
  assert.equal(d.tried.length, 4);
  assert.match(d.tried[0] ?? "", /latch\.server\.path/);
  assert.match(d.tried[1] ?? "", /LATCH_PATH/);
  assert.match(d.tried[2] ?? "", /server\/latch/);
  assert.match(d.tried[3] ?? "", /PATH/);
  assert.match(d.advice, /cargo install --path server\/latch/);
  assert.match(d.advice, /Latch: Restart Server/);
  assert.match(d.message, /set `latch\.server\.path`/);
});

test("configured paths expand `~`, `${workspaceFolder}` and `${env:NAME}`, and relative paths use the workspace", () => {
  const base = input({ env: { HOME: "/home/u", TOOLS: "/t" } }, []);
  assert.equal(expandPath("~/bin/latch", base), "/home/u/bin/latch");
  assert.equal(expandPath("${workspaceFolder}/target/debug/latch", base), "/work/project/target/debug/latch");
  assert.equal(expandPath("${env:TOOLS}/latch", base), "/t/latch");
  assert.equal(expandPath("target/debug/latch", base), "/work/project/target/debug/latch");
  const d = findServer(input({ configuredPath: " target/debug/latch " }, ["/work/project/target/debug/latch"]));
  assert.equal(d.kind === "found" && d.path, "/work/project/target/debug/latch");
});

test("on Windows the binary is latch.exe, PATH uses `;` and PATHEXT shims are found", () => {
  assert.equal(bundledPath("C:\\ext", "win32"), "C:\\ext\\server\\latch.exe");
  const env = { PATH: "C:\\a;C:\\b", PATHEXT: ".COM;.EXE;.CMD" };
  const d = findServer(input({ env, platform: "win32", extensionPath: "C:\\ext" }, ["C:\\b\\latch.cmd"]));
  assert.equal(d.kind === "found" && d.path, "C:\\b\\latch.cmd");
  const e = findServer(input({ env, platform: "win32", extensionPath: "C:\\ext" }, ["C:\\ext\\server\\latch.exe"]));
  assert.equal(e.kind === "found" && e.source, "bundled");
});

test("the real file system check accepts executables only", async () => {
  const { mkdtempSync, writeFileSync, chmodSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "latch-discovery-"));
  const bin = join(dir, "latch");
  writeFileSync(bin, "#!/bin/sh\n");
  const { defaultIsExecutable } = await import("../src/discovery");
  if (process.platform !== "win32") {
    chmodSync(bin, 0o644);
    assert.equal(defaultIsExecutable(bin), false);
  }
  chmodSync(bin, 0o755);
  assert.equal(defaultIsExecutable(bin), true);
  assert.equal(defaultIsExecutable(dir), false);
  assert.equal(defaultIsExecutable(join(dir, "absent")), false);
  const d = findServer({ configuredPath: undefined, env: { PATH: dir }, extensionPath: dir, platform: process.platform });
  assert.equal(d.kind === "found" && d.path, bin);
});
