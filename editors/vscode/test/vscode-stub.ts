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
  clipboard: string;
  /** What input boxes answer: `inputs` in order while there are some, then `input` (undefined: Escape). */
  input: string | undefined;
  inputs: (string | undefined)[];
  inputBoxes: { value?: string; title?: string }[];
  infos: string[];
  /** Documents opened: by URI, or untitled with their language and content. */
  opened: { uri?: string; language?: string; content?: string }[];
  shown: { selection?: unknown; viewColumn?: unknown }[];
}

export const state: StubState = {
  settings: {},
  workspaceFolders: undefined,
  errors: [],
  commands: [],
  answer: undefined,
  clipboard: "",
  input: undefined,
  inputs: [],
  inputBoxes: [],
  infos: [],
  opened: [],
  shown: [],
};

export function reset(): void {
  state.settings = {};
  state.workspaceFolders = undefined;
  state.errors = [];
  state.commands = [];
  state.answer = undefined;
  state.clipboard = "";
  state.input = undefined;
  state.inputs = [];
  state.inputBoxes = [];
  state.infos = [];
  state.opened = [];
  state.shown = [];
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
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
    async openTextDocument(what: { toString(): string } | { language: string; content: string }) {
      const doc = "language" in what ? { language: what.language, content: what.content } : { uri: what.toString() };
      state.opened.push(doc);
      return doc;
    },
  },
  env: {
    clipboard: {
      async readText() {
        return state.clipboard;
      },
    },
  },
  Uri: {
    parse(s: string) {
      return { toString: () => s };
    },
  },
  Position,
  Range,
  ViewColumn: { Beside: -2 },
  window: {
    async showErrorMessage(message: string, ...items: string[]) {
      state.errors.push({ message, items });
      return state.answer;
    },
    async showInformationMessage(message: string) {
      state.infos.push(message);
      return undefined;
    },
    async showInputBox(options: { value?: string; title?: string }) {
      state.inputBoxes.push(options);
      return state.inputs.length > 0 ? state.inputs.shift() : state.input;
    },
    async showTextDocument(_doc: unknown, options: { selection?: unknown; viewColumn?: unknown }) {
      state.shown.push(options);
      return undefined;
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
