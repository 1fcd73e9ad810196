// The who-can lenses: the server puts "read by 3 · written by 1 · external: ..." above each
// bucket, key and role, with the command `latch.whoCan`. The client library registers that
// command from the server's capabilities and sends it back as `workspace/executeCommand`;
// this module's middleware shows the server's answer (a markdown table of who can reach the
// resource, or what the role can reach) beside the editor instead of dropping it.

import * as vscode from "vscode";

/** The server's command behind each who-can lens. */
export const WHO_CAN_COMMAND = "latch.whoCan";

export interface WhoCanAnswer {
  subject: string;
  markdown: string;
}

/** Whether a command's result is an answer of `latch.whoCan`. */
export function isWhoCanAnswer(result: unknown): result is WhoCanAnswer {
  return (
    typeof result === "object" &&
    result !== null &&
    typeof (result as { markdown?: unknown }).markdown === "string" &&
    typeof (result as { subject?: unknown }).subject === "string"
  );
}

/** Opens the who-can table as markdown beside the editor. */
export async function showWhoCan(answer: WhoCanAnswer): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: "markdown", content: answer.markdown });
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
}

/**
 * The `executeCommand` middleware: runs the command on the server, and shows the answer
 * of `latch.whoCan` (other commands pass through untouched).
 */
export async function executeCommandMiddleware(
  command: string,
  args: unknown[],
  next: (command: string, args: unknown[]) => unknown,
): Promise<unknown> {
  const result = await next(command, args);
  if (command === WHO_CAN_COMMAND && isWhoCanAnswer(result)) {
    await showWhoCan(result);
  }
  return result;
}
