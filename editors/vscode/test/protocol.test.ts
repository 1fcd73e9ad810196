// Drives the real `latch lsp` binary over stdio with the JSON-RPC stack the VS Code client
// uses (`vscode-languageserver-protocol`), and walks the path a user takes: open a broken
// policy, see Latch's diagnostics, apply the quick fixes one by one, see them clear, quit.
//
// The binary comes from `LATCH_PATH`, else `../../target/debug/latch` (build it first with
// `cargo build -p latch`). Positions are UTF-16 like VS Code's, and the policy has
// non-ASCII text before the faulty value so that a byte/UTF-16 mix-up moves the edit.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";

import {
  type CodeAction,
  CodeActionRequest,
  type Command,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  InitializeRequest,
  type InitializeResult,
  InitializedNotification,
  type MessageConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
  type Range,
  RegistrationRequest,
  ShutdownRequest,
  type TextEdit,
  WorkDoneProgressCreateRequest,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from "vscode-languageserver-protocol/node";

const REPO = resolve(__dirname, "..", "..", "..", "..");
const BINARY = process.env["LATCH_PATH"] ?? join(REPO, "target", "debug", "latch");

/** The seed policy shared with the Neovim test: a lower-case `deny` and a missing comma, after a Japanese Sid with an emoji. */
const SEED = readFileSync(join(REPO, "tests", "e2e", "fixtures", "seed.policy.json"), "utf8");

const FIXED = SEED.replace('"deny"', '"Deny"').replace('"s3:GetObject"\n', '"s3:GetObject",\n');

/** Applies LSP text edits (UTF-16 positions, which are JavaScript string indices) to `text`. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") lineStarts.push(i + 1);
  }
  const offset = (p: { line: number; character: number }): number => {
    const start = lineStarts[p.line];
    assert.ok(start !== undefined, `edit line ${p.line} is past the end of the document`);
    const next = lineStarts[p.line + 1] ?? text.length + 1;
    assert.ok(start + p.character < next, `edit column ${p.character} is past the end of line ${p.line}`);
    return start + p.character;
  };
  const sorted = edits
    .map((e) => ({ from: offset(e.range.start), to: offset(e.range.end), text: e.newText }))
    .sort((a, b) => b.from - a.from);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

function editsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  const direct = edit.changes?.[uri] ?? [];
  const viaDocuments = (edit.documentChanges ?? []).flatMap((c) =>
    "textDocument" in c && c.textDocument.uri === uri ? c.edits.filter((e): e is TextEdit => "range" in e) : [],
  );
  return [...direct, ...viaDocuments];
}

class Session {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  /** `$/progress` values in arrival order, and the tokens the server created. */
  readonly progress: { token: unknown; value: { kind?: string; title?: string; message?: string } }[] = [];
  readonly createdTokens: unknown[] = [];
  private waiters: (() => void)[] = [];
  readonly stderr: string[] = [];

  constructor(
    readonly proc: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    // Answer the server's own requests the way vscode-languageclient does.
    connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      this.createdTokens.push(p.token);
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onNotification("$/progress", (p: { token: unknown; value: { kind?: string } }) => {
      this.progress.push(p);
    });
    proc.stderr?.on("data", (d: Buffer) => this.stderr.push(d.toString()));
  }

  /** Waits for a publishDiagnostics for `uri` that satisfies `accept`, up to `ms` milliseconds. */
  async waitFor(uri: string, accept: (d: Diagnostic[]) => boolean, what: string, ms = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const latest = [...this.diagnostics].reverse().find((p) => p.uri === uri);
      if (latest !== undefined && accept(latest.diagnostics)) return latest.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = latest === undefined ? "none" : JSON.stringify(latest.diagnostics.map((d) => d.code));
        assert.fail(`timed out waiting for ${what}; latest diagnostics: ${seen}; server stderr: ${this.stderr.join("")}`);
      }
      await new Promise<void>((res) => {
        const timer = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          res();
        });
      });
    }
  }
}

function start(): Session {
  assert.ok(
    existsSync(BINARY),
    `no latch binary at ${BINARY}; build it with \`cargo build -p latch\` or set LATCH_PATH`,
  );
  const proc = spawn(BINARY, ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
  assert.ok(proc.stdout !== null && proc.stdin !== null);
  const connection = createMessageConnection(
    new StreamMessageReader(proc.stdout),
    new StreamMessageWriter(proc.stdin),
  );
  const session = new Session(proc, connection);
  connection.listen();
  return session;
}

async function quickFix(s: Session, uri: string, d: Diagnostic, title: RegExp): Promise<WorkspaceEdit> {
  const actions = (await s.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], only: ["quickfix"], triggerKind: 1 },
  })) as (CodeAction | Command)[] | null;
  assert.ok(actions !== null && actions.length > 0, `no code action for \`${String(d.code)}\``);
  const action = actions.find((a): a is CodeAction => "edit" in a && title.test(a.title));
  assert.ok(
    action?.edit !== undefined,
    `no quick fix titled ${title} for \`${String(d.code)}\`; got ${JSON.stringify(actions.map((a) => a.title))}`,
  );
  assert.equal(action.kind, "quickfix");
  return action.edit;
}

const byCode = (code: string) => (d: Diagnostic) => d.code === code;

test("latch lsp: diagnostics on open, quick fixes apply, diagnostics clear, clean exit", async () => {
  const s = start();
  try {
    // The policy lives in a fresh folder that is also the workspace root, so that the
    // server's own workspace scan sees the same text on disk as the opened buffer.
    const root = mkdtempSync(join(tmpdir(), "latch-protocol-"));
    writeFileSync(join(root, "seed.policy.json"), SEED);
    const uri = pathToFileURL(join(root, "seed.policy.json")).toString();

    const init: InitializeResult = await s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: null,
      capabilities: {
        general: { positionEncodings: ["utf-16"] },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix"] } } },
        },
        window: { workDoneProgress: true },
      },
      initializationOptions: { workspaceAnalysis: true },
    });
    assert.ok(init.capabilities.codeActionProvider, "the server does not advertise code actions");
    const encoding = init.capabilities.positionEncoding ?? "utf-16";
    assert.equal(encoding, "utf-16", "the client offered only utf-16");
    await s.connection.sendNotification(InitializedNotification.type, {});

    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "json", version: 1, text: SEED },
    });
    const first = await s.waitFor(
      uri,
      (ds) => ds.some(byCode("policy/invalid-effect")) && ds.some(byCode("syntax/missing-comma")),
      "`policy/invalid-effect` and `syntax/missing-comma`",
    );
    for (const d of first) assert.equal(d.source, "latch", `diagnostic \`${String(d.code)}\` has no source "latch"`);
    const effect = first.find(byCode("policy/invalid-effect"));
    assert.ok(effect !== undefined);
    // The range must cover the faulty value, measured in UTF-16 after the emoji on the same line.
    assert.equal(rangeText(SEED, effect.range).replace(/"/g, ""), "deny");

    let text = applyEdits(SEED, editsFor(await quickFix(s, uri, effect, /Deny/), uri));
    assert.equal(text, SEED.replace('"deny"', '"Deny"'));
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text }],
    });
    const second = await s.waitFor(
      uri,
      (ds) => !ds.some(byCode("policy/invalid-effect")),
      "`policy/invalid-effect` to clear",
    );
    const comma = second.find(byCode("syntax/missing-comma"));
    assert.ok(comma !== undefined, "`syntax/missing-comma` vanished before its fix was applied");

    const commaEdit = editsFor(await quickFix(s, uri, comma, /./), uri);
    assert.ok(commaEdit.some((e) => e.newText.includes(",")), "the missing-comma fix does not insert `,`");
    text = applyEdits(text, commaEdit);
    assert.equal(text, FIXED);
    await s.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text }],
    });
    await s.waitFor(
      uri,
      (ds) => !ds.some(byCode("syntax/missing-comma")) && !ds.some(byCode("policy/invalid-effect")),
      "`syntax/missing-comma` to clear",
    );

    // The workspace folder was indexed with progress, from begin to end, on a created token.
    const kinds = s.progress.map((p) => p.value.kind);
    assert.ok(s.createdTokens.length > 0, "no window/workDoneProgress/create from the server");
    assert.equal(kinds[0], "begin", `progress: ${JSON.stringify(s.progress)}`);
    assert.equal(kinds[kinds.length - 1], "end", `progress: ${JSON.stringify(s.progress)}`);
    assert.ok(s.progress.every((p) => s.createdTokens.includes(p.token)), "progress on a token that was not created");

    await s.connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((res) => s.proc.on("exit", (code) => res(code)));
    await s.connection.sendNotification(ExitNotification.type);
    const code = await Promise.race([exited, delay(5_000).then(() => "timeout" as const)]);
    assert.equal(code, 0, "the server did not exit with status 0 within 5 s of `exit`");
  } finally {
    s.connection.dispose();
    if (s.proc.exitCode === null) s.proc.kill();
  }
});

test("latch lsp: latch.explainError explains a pasted AccessDenied message against the workspace", async () => {
  const s = start();
  try {
    const root = join(REPO, "tests", "fixtures", "denied");
    const init: InitializeResult = await s.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: null,
      capabilities: { general: { positionEncodings: ["utf-16"] }, window: { workDoneProgress: true } },
      initializationOptions: { workspaceAnalysis: true },
    });
    assert.deepEqual(init.capabilities.executeCommandProvider?.commands, ["latch.explainError", "latch.whoCan"]);
    await s.connection.sendNotification(InitializedNotification.type, {});
    // Wait until the folder is indexed: the progress ends.
    const deadline = Date.now() + 10_000;
    while (!s.progress.some((p) => p.value.kind === "end")) {
      assert.ok(Date.now() < deadline, "the workspace was not indexed within 10 s");
      await delay(20);
    }
    const message =
      'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/Jane is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::example-reports/restricted/salaries.csv" with an explicit deny in a resource-based policy';
    const answer = (await s.connection.sendRequest(ExecuteCommandRequest.type, {
      command: "latch.explainError",
      arguments: [message],
    })) as { agrees: boolean; decision: string; markdown: string; deciding: { uri: string; range: Range; statement: string }[] };
    assert.equal(answer.agrees, true);
    assert.equal(answer.decision, "explicit_deny");
    const first = answer.deciding[0];
    assert.ok(first !== undefined, "no deciding statement");
    assert.equal(first.uri, pathToFileURL(join(root, "s3", "bucket.json")).toString());
    assert.equal(first.statement, "RestrictedPrefix");
    assert.deepEqual(first.range.start, { line: 18, character: 13 });
    assert.match(answer.markdown, /the workspace explains this error/);
    await assert.rejects(
      s.connection.sendRequest(ExecuteCommandRequest.type, { command: "latch.explainError", arguments: [""] }),
      /the error is empty/,
    );
    await s.connection.sendRequest(ShutdownRequest.type);
    await s.connection.sendNotification(ExitNotification.type);
  } finally {
    s.connection.dispose();
    if (s.proc.exitCode === null) s.proc.kill();
  }
});

function rangeText(text: string, r: Range): string {
  const lines = text.split("\n");
  assert.equal(r.start.line, r.end.line, "the range spans lines");
  return (lines[r.start.line] ?? "").slice(r.start.character, r.end.character);
}

function delay(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms).unref());
}
