// The Latch extension: starts `latch lsp` and connects it to JSON, Terraform and
// `latch.toml` files. Everything a user sees (diagnostics, hovers, quick fixes, symbols,
// definitions, references, lenses) comes from the server; the extension only finds the
// binary, passes settings, restarts it and shows the who-can table a lens asks for.

import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  type DocumentSelector,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { EDITOR_COMMAND, explainError } from "./explain";
import { discoverServer, reportDiscovery } from "./server";
import { executeCommandMiddleware } from "./whocan";

/** Files the server analyses: JSON policies, Terraform in HCL or JSON, and the manifest. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "json" },
  { scheme: "file", language: "terraform" },
  { scheme: "file", language: "hcl" },
  { scheme: "file", pattern: "**/*.tf" },
  { scheme: "file", pattern: "**/*.tf.json" },
  { scheme: "file", pattern: "**/latch.toml" },
];

/** The settings the server reads, sent at initialize and on every change. */
export interface ServerSettings {
  workspaceAnalysis: boolean;
}

export function serverSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration("latch");
  return { workspaceAnalysis: config.get<boolean>("workspaceAnalysis", true) };
}

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel("Latch", { log: true });
  log = channel;
  context.subscriptions.push(channel);
  context.subscriptions.push(
    vscode.commands.registerCommand("latch.restartServer", async () => {
      await stop();
      await start(context, channel);
    }),
    vscode.commands.registerCommand("latch.showOutput", () => channel.show(true)),
    // `latch.explainError` itself is the server's command (the client registers it from
    // the server's capabilities); this one asks for the error and shows the answer.
    vscode.commands.registerCommand(EDITOR_COMMAND, async (text?: string) => {
      const running = client;
      if (running === undefined || !running.isRunning()) {
        void vscode.window.showErrorMessage("latch: the server is not running; see the Latch output");
        return undefined;
      }
      return explainError(
        (command, args) => running.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }),
        typeof text === "string" ? text : undefined,
      );
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("latch.server.path")) {
        channel.info("`latch.server.path` changed, restarting the server");
        await stop();
        await start(context, channel);
      } else if (event.affectsConfiguration("latch.workspaceAnalysis") && client?.isRunning() === true) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { latch: serverSettings() },
        });
      }
    }),
  );
  await start(context, channel);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Promise<void> {
  const binary = await reportDiscovery(discoverServer(context.extensionPath), channel);
  if (binary === undefined) {
    return;
  }
  const run = { command: binary, args: ["lsp"], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: channel,
    initializationOptions: () => serverSettings(),
    // The who-can lenses run `latch.whoCan` on the server; show its table.
    middleware: { executeCommand: executeCommandMiddleware },
    // No `synchronize.fileEvents`: the server registers its own file watchers
    // (workspace/didChangeWatchedFiles) and the client library honours the registration.
  };
  // The client id `latch` makes the library read the `latch.trace.server` setting itself.
  const next = new LanguageClient("latch", "Latch", serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
    channel.info(`server started: ${binary} lsp`);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    channel.error(`the server at ${binary} failed to start: ${reason}`);
    void vscode.window.showErrorMessage(`latch: the server at \`${binary}\` failed to start; see the Latch output`);
  }
}

async function stop(): Promise<void> {
  const current = client;
  client = undefined;
  if (current === undefined) {
    return;
  }
  try {
    await current.stop();
  } catch (e) {
    log?.warn(`stopping the server failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
