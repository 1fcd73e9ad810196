// Connects server discovery to the editor: reads the setting and the environment, runs
// the search, and tells the user which binary is used or what to do when there is none.
// Kept apart from the language client so that a stubbed `vscode` module can test it.

import * as vscode from "vscode";

import { type Discovery, findServer } from "./discovery";

/** The output channel shape the extension writes to (a `LogOutputChannel` in VS Code). */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(preserveFocus?: boolean): void;
}

/** The action labels of the "not found" notification, exported for tests. */
export const OPEN_SETTINGS = "Open Settings";
export const SHOW_OUTPUT = "Show Output";

/** Runs discovery with the current settings, environment and extension folder. */
export function discoverServer(extensionPath: string, env: NodeJS.ProcessEnv = process.env): Discovery {
  const configured = vscode.workspace.getConfiguration("latch").get<string>("server.path");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return findServer({
    configuredPath: configured,
    env,
    extensionPath,
    workspaceFolder: folder,
    platform: process.platform,
  });
}

/**
 * Logs where the server comes from, or explains what to do when none is found and shows a
 * notification with shortcuts to the setting and to the log. Returns the binary's path.
 */
export async function reportDiscovery(discovery: Discovery, log: Log): Promise<string | undefined> {
  if (discovery.kind === "found") {
    log.info(discovery.description);
    return discovery.path;
  }
  log.error(discovery.advice);
  const choice = await vscode.window.showErrorMessage(discovery.message, OPEN_SETTINGS, SHOW_OUTPUT);
  if (choice === OPEN_SETTINGS) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "latch.server.path");
  } else if (choice === SHOW_OUTPUT) {
    log.show(true);
  }
  return undefined;
}
