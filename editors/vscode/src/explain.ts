// "Latch: Explain an AccessDenied Error": asks for an AWS access denied error (prefilled
// from the clipboard when it holds one), sends it to the server's `latch.explainError`
// command, opens the statement that decides and shows the answer (AWS's verdict, the
// workspace's, the trace) as markdown beside it. The server does all the reading and
// deciding; this module only moves text and locations.

import * as vscode from "vscode";

/** The command the server runs (`workspace/executeCommand`). */
export const SERVER_COMMAND = "latch.explainError";
/** The editor command that prompts for the error. */
export const EDITOR_COMMAND = "latch.explain";

export interface Deciding {
  uri: string | null;
  range: { start: { line: number; character: number }; end: { line: number; character: number } } | null;
  path: string;
  line: number;
  column: number;
  statement: string | null;
  policy: string;
}

export interface Explanation {
  markdown: string;
  agrees: boolean;
  decision: string;
  deciding: Deciding[];
}

/** Sends `workspace/executeCommand` and resolves with the server's answer. */
export type Send = (command: string, args: unknown[]) => Promise<unknown>;

/** The facts the server may ask for, by the flag its message names. */
const MISSING = [
  { flag: "`--principal", field: "principal", prompt: "the caller's ARN" },
  { flag: "`--action", field: "action", prompt: "the action, e.g. s3:GetObject" },
  { flag: "`--resource", field: "resource", prompt: "the object or bucket ARN" },
];

/** Whether `text` looks like something `latch.explainError` reads. */
export function looksLikeAccessDenied(text: string): boolean {
  return /AccessDenied|Access Denied|is not authorized to perform|"eventSource"|DecodedMessage|UnauthorizedOperation/.test(
    text,
  );
}

/** One line for the notification: does the workspace explain the error, and where. */
export function summary(e: Explanation): string {
  const first = e.deciding[0];
  const where =
    first === undefined
      ? ""
      : `: ${first.statement !== null ? `statement \`${first.statement}\` of the ` : "the "}${first.policy} (${first.path}:${first.line})`;
  return e.agrees
    ? `latch: the workspace explains this error (${e.decision.replace("_", " ")})${where}`
    : `latch: the workspace does not explain this error (it says ${e.decision.replace("_", " ")})${where}`;
}

/**
 * The command: the text comes from the argument, else an input box prefilled with the
 * clipboard when it holds an error. Resolves with the answer, or undefined when cancelled
 * or refused (the server's message is shown).
 */
export async function explainError(send: Send, given?: string): Promise<Explanation | undefined> {
  let text = given;
  if (text === undefined) {
    const clip = await vscode.env.clipboard.readText();
    text = await vscode.window.showInputBox({
      title: "Latch: Explain an AccessDenied Error",
      prompt: "Paste the error: an AccessDenied message, S3's Access Denied, a CloudTrail record or a decoded authorization message",
      value: looksLikeAccessDenied(clip) ? clip : "",
      ignoreFocusOut: true,
    });
  }
  if (text === undefined || text.trim() === "") {
    return undefined;
  }
  // What the error does not say (S3's bare `Access Denied` names neither the caller nor
  // the object) the server asks for by flag name; ask the user for it and send again.
  const facts: Record<string, string> = {};
  let answer: Explanation | undefined;
  for (;;) {
    try {
      const arg = Object.keys(facts).length === 0 ? text : { text, ...facts };
      answer = (await send(SERVER_COMMAND, [arg])) as Explanation;
      break;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const missing = MISSING.find((m) => reason.includes(m.flag) && !(m.field in facts));
      if (missing === undefined) {
        void vscode.window.showErrorMessage(`latch: ${reason}`);
        return undefined;
      }
      const value = await vscode.window.showInputBox({
        title: "Latch: Explain an AccessDenied Error",
        prompt: `${reason}: ${missing.prompt}`,
        value: "",
        ignoreFocusOut: true,
      });
      if (value === undefined || value.trim() === "") {
        return undefined;
      }
      facts[missing.field] = value.trim();
    }
  }
  const first = answer.deciding[0];
  if (first !== undefined && first.uri !== null && first.range !== null) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(first.uri));
    const start = new vscode.Position(first.range.start.line, first.range.start.character);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start, start), preview: true });
  }
  const report = await vscode.workspace.openTextDocument({ language: "markdown", content: answer.markdown });
  await vscode.window.showTextDocument(report, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  void vscode.window.showInformationMessage(summary(answer));
  return answer;
}
