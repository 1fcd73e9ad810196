// Copies a `latch` binary into server/ so that `npm run package` ships it inside the .vsix
// (found third, after the setting and `LATCH_PATH`). The binary is `LATCH_PATH`, else the
// repository's target/release/latch, else target/debug/latch.
//
// Usage: node scripts/bundle-server.mjs && npm run package

import { chmodSync, copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(root, "..", "..");
const exe = process.platform === "win32" ? "latch.exe" : "latch";
const candidates = [
  process.env.LATCH_PATH,
  join(repo, "target", "release", exe),
  join(repo, "target", "debug", exe),
].filter((p) => p !== undefined && p !== "");
const source = candidates.find((p) => existsSync(p));
if (source === undefined) {
  console.error(`bundle-server: no latch binary; tried ${candidates.join(", ")}; run \`cargo build --release -p latch\``);
  process.exit(1);
}
mkdirSync(join(root, "server"), { recursive: true });
const target = join(root, "server", exe);
copyFileSync(source, target);
chmodSync(target, 0o755);
console.log(`bundle-server: ${source} -> server/${exe}`);
