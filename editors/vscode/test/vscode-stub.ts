// A stand-in for the `vscode` module, installed into Node's module loader before the
// extension's modules are loaded. It records what the extension asks of the editor and
// lets a test choose settings and the button a user clicks.

import Module from "node:module";

export interface StubState {
  settings: Record<string, unknown>;
  workspaceFolders: { uri: { fsPath: string } }[] | undefined;
  errors: { message: string; items: string[] }[];
  commands: unknown[][];
  /** The button the next error notification answers with. */
  answer: string | undefined;
}

export const state: StubState = {
  settings: {},
  workspaceFolders: undefined,
  errors: [],
  commands: [],
  answer: undefined,
};

export function reset(): void {
  state.settings = {};
  state.workspaceFolders = undefined;
  state.errors = [];
  state.commands = [];
  state.answer = undefined;
}

const stub = {
  workspace: {
    getConfiguration(section: string) {
      return {
        get<T>(key: string, fallback?: T): T | undefined {
          const full = `${section}.${key}`;
          return full in state.settings ? (state.settings[full] as T) : fallback;
        },
      };
    },
    get workspaceFolders() {
      return state.workspaceFolders;
    },
  },
  window: {
    async showErrorMessage(message: string, ...items: string[]) {
      state.errors.push({ message, items });
      return state.answer;
    },
  },
  commands: {
    async executeCommand(...args: unknown[]) {
      state.commands.push(args);
      return undefined;
    },
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Loader };
const original = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean): unknown {
  if (request === "vscode") {
    return stub;
  }
  return original.call(this, request, parent, isMain);
};
