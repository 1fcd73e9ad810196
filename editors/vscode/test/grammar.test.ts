// Snapshot tests of the TextMate injection grammars with the tokenizer VS Code uses
// (vscode-textmate on vscode-oniguruma): a JSON policy and a Terraform file with jsonencode,
// a heredoc and an aws_iam_policy_document are tokenized on top of the usual JSON and
// Terraform grammars, and every token that gets an IAM scope is compared with the committed
// snapshot in grammar/tests. Run with UPDATE_SNAPSHOTS=1 to rewrite the snapshots.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { before, test } from "node:test";

import * as oniguruma from "vscode-oniguruma";
import { INITIAL, type IGrammar, Registry, parseRawGrammar } from "vscode-textmate";

const REPO = resolve(__dirname, "..", "..", "..", "..");
const GRAMMAR = join(REPO, "grammar");
const BASE = join(REPO, "editors", "vscode", "node_modules", "tm-grammars", "grammars");

const files: Record<string, string> = {
  "source.json": join(BASE, "json.json"),
  "source.hcl.terraform": join(BASE, "terraform.json"),
  "source.hcl": join(BASE, "hcl.json"),
  "iam-policy.injection.json": join(GRAMMAR, "iam-policy.injection.tmLanguage.json"),
  "iam-policy.injection.terraform": join(GRAMMAR, "iam-policy-terraform.injection.tmLanguage.json"),
};

// The injections the extension declares in package.json, read from there so that the test
// fails when the manifest and the grammars disagree.
function injectionsFromManifest(): Map<string, string[]> {
  const manifest = JSON.parse(readFileSync(join(REPO, "editors", "vscode", "package.json"), "utf8")) as {
    contributes: { grammars: { scopeName: string; injectTo?: string[] }[] };
  };
  const out = new Map<string, string[]>();
  for (const g of manifest.contributes.grammars) {
    for (const target of g.injectTo ?? []) out.set(target, [...(out.get(target) ?? []), g.scopeName]);
  }
  return out;
}

let registry: Registry;

before(async () => {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const injections = injectionsFromManifest();
  registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const path = files[scopeName];
      return path === undefined ? null : parseRawGrammar(readFileSync(path, "utf8"), path);
    },
    getInjections: (scopeName: string) => injections.get(scopeName),
  });
});

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

async function tokenize(scope: string, text: string): Promise<Token[]> {
  const grammar: IGrammar | null = await registry.loadGrammar(scope);
  assert.ok(grammar !== null, `no grammar for ${scope}`);
  const out: Token[] = [];
  let state = INITIAL;
  text.split("\n").forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      out.push({ line: i + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  });
  return out;
}

/** One line per token with an IAM scope: `line: text  scope scope`, only the `.iam` scopes. */
function render(tokens: Token[]): string {
  return tokens
    .filter((t) => t.scopes.some((s) => s.endsWith(".iam")) && t.text.trim() !== "")
    .map((t) => `${t.line}: ${t.text}  ${t.scopes.filter((s) => s.endsWith(".iam")).join(" ")}`)
    .join("\n")
    .concat("\n");
}

function snapshot(name: string, actual: string): void {
  const path = join(GRAMMAR, "tests", `${name}.snap`);
  if (process.env["UPDATE_SNAPSHOTS"] === "1" || !existsSync(path)) {
    writeFileSync(path, actual);
    if (process.env["UPDATE_SNAPSHOTS"] !== "1") assert.fail(`wrote new snapshot ${path}; check it and commit it`);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"), `snapshot ${name} differs; run with UPDATE_SNAPSHOTS=1 if the change is intended`);
}

function scopesOf(tokens: Token[], line: number, text: string): string[] {
  const t = tokens.find((x) => x.line === line && x.text === text);
  assert.ok(t !== undefined, `no token \`${text}\` on line ${line}`);
  return t.scopes;
}

test("the committed grammars are what grammar/generate.mjs produces", () => {
  execFileSync(process.execPath, [join(GRAMMAR, "generate.mjs"), "--check"], { stdio: "pipe" });
});

test("JSON policy: Deny stands out, actions, ARNs, operators, keys and variables are scoped", async () => {
  const tokens = await tokenize("source.json", readFileSync(join(GRAMMAR, "tests", "policy.json"), "utf8"));
  assert.ok(scopesOf(tokens, 17, "Deny").includes("keyword.control.deny.iam"));
  assert.ok(!scopesOf(tokens, 6, "Allow").includes("keyword.control.deny.iam"));
  assert.ok(scopesOf(tokens, 6, "Allow").includes("constant.language.allow.iam"));
  assert.ok(scopesOf(tokens, 7, "GetObject").includes("support.function.action.iam"));
  assert.ok(scopesOf(tokens, 7, "*").includes("keyword.operator.wildcard.iam"));
  assert.ok(scopesOf(tokens, 8, "aws:username").includes("variable.other.policy-variable.iam"));
  assert.ok(scopesOf(tokens, 11, "ForAnyValue:").includes("storage.modifier.set-operator.iam"));
  assert.ok(scopesOf(tokens, 11, "StringLike").includes("keyword.operator.condition.iam"));
  assert.ok(scopesOf(tokens, 11, "IfExists").includes("storage.modifier.if-exists.iam"));
  assert.ok(scopesOf(tokens, 19, "444455556666").includes("constant.numeric.account.arn.iam"));
  assert.ok(scopesOf(tokens, 19, "us-east-1").includes("support.constant.region.arn.iam"));
  // The host grammar still sees keys as keys and strings as strings.
  assert.ok(scopesOf(tokens, 17, "Deny").includes("string.quoted.double.json"));
  assert.ok(scopesOf(tokens, 17, "Effect").includes("support.type.property-name.json"));
  assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith("invalid."))), "the injection broke the JSON grammar");
  snapshot("policy.json", render(tokens));
});

test("Terraform: jsonencode, heredoc JSON and aws_iam_policy_document are all highlighted", async () => {
  const tokens = await tokenize("source.hcl.terraform", readFileSync(join(GRAMMAR, "tests", "main.tf"), "utf8"));
  // jsonencode
  assert.ok(scopesOf(tokens, 6, "Deny").includes("keyword.control.deny.iam"));
  assert.ok(scopesOf(tokens, 7, "PutObject").includes("support.function.action.iam"));
  assert.ok(scopesOf(tokens, 8, "aws:username").includes("variable.other.policy-variable.iam"));
  assert.ok(scopesOf(tokens, 10, "StringNotEquals").includes("keyword.operator.condition.iam"));
  assert.ok(scopesOf(tokens, 10, "SourceVpce").includes("variable.other.condition-key.iam"));
  assert.ok(scopesOf(tokens, 11, "StringLike").includes("keyword.operator.condition.iam"));
  // heredoc JSON
  assert.ok(scopesOf(tokens, 23, "Allow").includes("constant.language.allow.iam"));
  assert.ok(scopesOf(tokens, 25, "GetObject").includes("support.function.action.iam"));
  assert.ok(scopesOf(tokens, 27, "Bool").includes("keyword.operator.condition.iam"));
  // aws_iam_policy_document
  assert.ok(scopesOf(tokens, 35, "Deny").includes("keyword.control.deny.iam"));
  assert.ok(scopesOf(tokens, 36, "Decrypt").includes("support.function.action.iam"));
  assert.ok(scopesOf(tokens, 39, "StringNotEquals").includes("keyword.operator.condition.iam"));
  assert.ok(scopesOf(tokens, 40, "ViaService").includes("variable.other.condition-key.iam"));
  assert.ok(scopesOf(tokens, 41, "aws:username").includes("variable.other.policy-variable.iam"));
  // Terraform's own scopes survive around and inside ours.
  assert.ok(scopesOf(tokens, 24, "${").includes("keyword.other.interpolation.begin.hcl"));
  assert.ok(scopesOf(tokens, 24, "${").includes("constant.numeric.account.arn.iam"));
  assert.ok(scopesOf(tokens, 3, "jsonencode").some((s) => s.startsWith("support.function")));
  snapshot("main.tf", render(tokens));
});
