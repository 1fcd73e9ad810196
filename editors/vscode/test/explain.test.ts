// "Latch: Explain an AccessDenied Error" with a stubbed `vscode` module and a fake server
// answer: the clipboard prefills the input box only when it holds an error, the server's
// command gets the text, the deciding statement opens at its range, the answer opens as
// markdown beside it, and a refusal from the server is shown as an error.

import "./vscode-stub";

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { type Explanation, SERVER_COMMAND, explainError, looksLikeAccessDenied, summary } from "../src/explain";
import { reset, state } from "./vscode-stub";

const MESSAGE =
  'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/Jane is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::example-reports/restricted/salaries.csv" with an explicit deny in a resource-based policy';

const ANSWER: Explanation = {
  markdown: "**the workspace explains this error** — `s3:GetObject`",
  agrees: true,
  decision: "explicit_deny",
  deciding: [
    {
      uri: "file:///ws/s3/bucket.json",
      range: { start: { line: 18, character: 13 }, end: { line: 18, character: 31 } },
      path: "s3/bucket.json",
      line: 19,
      column: 14,
      statement: "RestrictedPrefix",
      policy: "bucket policy",
    },
  ],
};

beforeEach(reset);

test("what counts as an access denied error", () => {
  assert.ok(looksLikeAccessDenied(MESSAGE));
  assert.ok(looksLikeAccessDenied("An error occurred (AccessDenied) when calling the GetObject operation: Access Denied"));
  assert.ok(looksLikeAccessDenied('{"eventSource": "s3.amazonaws.com"}'));
  assert.ok(!looksLikeAccessDenied("git commit -m 'fix'"));
});

test("the clipboard prefills the input box, the answer opens at the deciding statement", async () => {
  state.clipboard = MESSAGE;
  state.input = MESSAGE;
  const sent: { command: string; args: unknown[] }[] = [];
  const answer = await explainError(async (command, args) => {
    sent.push({ command, args });
    return ANSWER;
  });
  assert.equal(state.inputBoxes[0]?.value, MESSAGE);
  assert.deepEqual(sent, [{ command: SERVER_COMMAND, args: [MESSAGE] }]);
  assert.equal(answer?.agrees, true);
  assert.deepEqual(state.opened[0], { uri: "file:///ws/s3/bucket.json" });
  const selection = state.shown[0]?.selection as { start: { line: number; character: number } };
  assert.deepEqual({ line: selection.start.line, character: selection.start.character }, { line: 18, character: 13 });
  assert.deepEqual(state.opened[1], { language: "markdown", content: ANSWER.markdown });
  assert.equal(
    state.infos[0],
    "latch: the workspace explains this error (explicit deny): statement `RestrictedPrefix` of the bucket policy (s3/bucket.json:19)",
  );
});

test("a clipboard without an error leaves the box empty; Escape cancels", async () => {
  state.clipboard = "npm install";
  state.input = undefined;
  let called = false;
  const answer = await explainError(async () => {
    called = true;
    return ANSWER;
  });
  assert.equal(state.inputBoxes[0]?.value, "");
  assert.equal(answer, undefined);
  assert.equal(called, false);
});

test("the server's refusal is shown, nothing opens", async () => {
  const answer = await explainError(async () => {
    throw new Error("no access denied error found in the text");
  }, "hello");
  assert.equal(answer, undefined);
  assert.equal(state.errors[0]?.message, "latch: no access denied error found in the text");
  assert.deepEqual(state.opened, []);
});

test("a disagreement says so", () => {
  assert.equal(
    summary({ ...ANSWER, agrees: false, decision: "allow", deciding: [] }),
    "latch: the workspace does not explain this error (it says allow)",
  );
});

test("what S3's bare Access Denied leaves out is asked for, then sent with the text", async () => {
  const bare = "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied";
  state.inputs = ["arn:aws:iam::111122223333:user/Jane", "arn:aws:s3:::example-reports/q3.csv"];
  const sent: unknown[] = [];
  const answer = await explainError(async (_command, args) => {
    sent.push(args[0]);
    const arg = args[0] as string | { principal?: string; resource?: string };
    if (typeof arg === "string") {
      throw new Error("S3's `Access Denied` does not name the caller; give it with `--principal ARN` and the object or bucket with `--resource ARN`");
    }
    if (arg.resource === undefined) {
      throw new Error("the error does not name the resource of `s3:GetObject`; give it with `--resource ARN`");
    }
    return ANSWER;
  }, bare);
  assert.equal(answer?.agrees, true);
  assert.deepEqual(sent, [
    bare,
    { text: bare, principal: "arn:aws:iam::111122223333:user/Jane" },
    { text: bare, principal: "arn:aws:iam::111122223333:user/Jane", resource: "arn:aws:s3:::example-reports/q3.csv" },
  ]);
  assert.match(state.inputBoxes[1]?.title ?? "", /Explain an AccessDenied Error/);
});
