// A small lint for the extension, next to `tsc --strict`: style rules that the type checker
// does not see, and consistency between the code and the manifest (every setting and
// command the code uses is declared in package.json, every contributed file exists).
// Exits 1 and prints `file:line: message` for each problem.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const problems = [];
const report = (file, line, message) => problems.push(`${relative(root, file)}:${line}: ${message}`);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const files = [...walk(join(root, "src")), ...walk(join(root, "test"))];
const rules = [
  [/\bany\b(?=\s*[;,)=>\]|])|:\s*any\b|as any\b|<any>/, "avoid `any`; use `unknown` and narrow"],
  [/\bdebugger\b/, "remove `debugger`"],
  [/\b(test|describe|it)\.only\(/, "remove `.only`, it skips the other tests"],
  [/@ts-ignore|@ts-nocheck/, "do not silence the type checker"],
  [/\t/, "indent with spaces"],
  [/\s+$/, "trailing whitespace"],
  [/\bvar\s/, "use `const` or `let`"],
  [/(?<![=!<>])==(?!=)|!=(?!=)/, "use `===` and `!==`"],
];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  if (!text.endsWith("\n")) {
    report(file, text.split("\n").length, "file must end with a newline");
  }
  const lines = text.split("\n");
  if (!lines[0]?.startsWith("//")) {
    report(file, 1, "open the file with a comment that says what it is for");
  }
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "").replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
    for (const [re, message] of rules) {
      const target = message === "trailing whitespace" || message === "indent with spaces" ? line : code;
      if (re.test(target)) {
        report(file, i + 1, message);
      }
    }
    if (file.includes(`${join(root, "src")}`) && /console\.(log|error|warn)/.test(code)) {
      report(file, i + 1, "write to the Latch output channel, not the console");
    }
  });
}

// Manifest consistency.
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const declared = new Set(Object.keys(manifest.contributes.configuration.properties));
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
for (const file of walk(join(root, "src"))) {
  const lines = readFileSync(file, "utf8").split("\n");
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/getConfiguration\("latch"\)\.get<[^>]+>\("([^"]+)"/g)) {
      if (!declared.has(`latch.${m[1]}`)) report(file, i + 1, `setting \`latch.${m[1]}\` is not declared in package.json`);
    }
    for (const m of line.matchAll(/config\.get<[^>]+>\("([^"]+)"/g)) {
      if (!declared.has(`latch.${m[1]}`)) report(file, i + 1, `setting \`latch.${m[1]}\` is not declared in package.json`);
    }
    for (const m of line.matchAll(/registerCommand\("([^"]+)"/g)) {
      if (!commands.has(m[1])) report(file, i + 1, `command \`${m[1]}\` is not declared in package.json`);
    }
  });
}
const repoGrammar = join(root, "..", "..", "grammar");
for (const g of [...manifest.contributes.grammars, ...manifest.contributes.jsonValidation]) {
  const rel = g.path ?? g.url;
  const name = rel.replace(/^\.\/grammar\//, "");
  if (!existsSync(join(repoGrammar, name))) {
    problems.push(`package.json: \`${rel}\` has no source file grammar/${name} in the repository`);
  }
}
if (manifest.engines.vscode !== "^1.91.0" || manifest.devDependencies["@types/vscode"] !== "1.91.0") {
  problems.push("package.json: `@types/vscode` must be pinned to the `engines.vscode` minimum");
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`lint: ${files.length} files clean`);
