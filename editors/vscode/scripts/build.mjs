// Builds the extension bundle (dist/extension.js) and, with `--tests`, one CommonJS file per
// test under out/test/. Also copies the grammars and the JSON Schema from the repository's
// `grammar/` folder, because a .vsix can only contain files inside the extension folder.
//
// Usage: node scripts/build.mjs [--production] [--tests]

import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");

const grammarSource = join(root, "..", "..", "grammar");
const grammarTarget = join(root, "grammar");
mkdirSync(grammarTarget, { recursive: true });
for (const name of readdirSync(grammarSource)) {
  if (name.endsWith(".tmLanguage.json") || name.endsWith(".schema.json")) {
    copyFileSync(join(grammarSource, name), join(grammarTarget, name));
  }
}

await build({
  entryPoints: [join(root, "src", "extension.ts")],
  outfile: join(root, "dist", "extension.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["vscode"],
  minify: production,
  sourcemap: !production,
  logLevel: "warning",
});

if (tests) {
  const testDir = join(root, "test");
  const entries = readdirSync(testDir)
    .filter((n) => n.endsWith(".test.ts"))
    .map((n) => join(testDir, n));
  await build({
    entryPoints: entries,
    outdir: join(root, "out", "test"),
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Test dependencies are loaded from node_modules at run time so that their own files
    // (the oniguruma wasm, the grammars) are found next to them; `vscode` is stubbed.
    packages: "external",
    external: ["vscode"],
    sourcemap: true,
    logLevel: "warning",
  });
}
