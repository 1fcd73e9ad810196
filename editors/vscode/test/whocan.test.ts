// The who-can lens command with a stubbed `vscode` module: the middleware runs the server's
// command and shows its markdown answer beside the editor; other commands pass through.

import "./vscode-stub";

import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { WHO_CAN_COMMAND, executeCommandMiddleware, isWhoCanAnswer } from "../src/whocan";
import { reset, state } from "./vscode-stub";

beforeEach(reset);

const ANSWER = {
  subject: "arn:aws:s3:::reports-bucket",
  markdown: "**Who can reach `arn:aws:s3:::reports-bucket/*`**: read by 2 · written by 1",
};

test("the lens command shows the server's table beside the editor", async () => {
  const sent: unknown[][] = [];
  const result = await executeCommandMiddleware(WHO_CAN_COMMAND, [{ subject: ANSWER.subject }], async (c, a) => {
    sent.push([c, a]);
    return ANSWER;
  });
  assert.deepEqual(result, ANSWER);
  assert.deepEqual(sent, [[WHO_CAN_COMMAND, [{ subject: ANSWER.subject }]]]);
  assert.deepEqual(state.opened, [{ language: "markdown", content: ANSWER.markdown }]);
  assert.equal(state.shown.length, 1);
});

test("other commands and odd answers pass through without opening anything", async () => {
  const result = await executeCommandMiddleware("latch.explainError", ["x"], async () => ({ markdown: "m" }));
  assert.deepEqual(result, { markdown: "m" });
  await executeCommandMiddleware(WHO_CAN_COMMAND, [], async () => null);
  assert.deepEqual(state.opened, []);
  assert.ok(!isWhoCanAnswer({ markdown: 1, subject: "s" }));
});
