// Finds the `latch` binary the extension starts. The search order is fixed and shown to the
// user: the `latch.server.path` setting, the `LATCH_PATH` environment variable, a binary
// bundled inside the extension (`server/latch`), then every folder on `PATH`.
//
// This module has no dependency on the `vscode` API so that it can be unit tested with
// plain inputs; the extension passes the real settings, environment and file system.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Where a server binary was found. */
export type ServerSource = "setting" | "env" | "bundled" | "path";

/** What the search needs from the outside world. */
export interface DiscoveryInput {
  /** The `latch.server.path` setting, empty or undefined when unset. */
  readonly configuredPath: string | undefined;
  /** The process environment (`LATCH_PATH`, `PATH`, `PATHEXT`, `HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The folder the extension is installed in. */
  readonly extensionPath: string;
  /** The first workspace folder, used to resolve a relative `latch.server.path`. */
  readonly workspaceFolder?: string | undefined;
  /** `process.platform`; decides `.exe` suffixes and the `PATH` separator. */
  readonly platform: NodeJS.Platform;
  /** Whether `p` is an executable file; defaults to a real file system check. */
  readonly isExecutable?: (p: string) => boolean;
}

/** A binary that can be started. */
export interface FoundServer {
  readonly kind: "found";
  readonly path: string;
  readonly source: ServerSource;
  /** One line for the output channel, e.g. "using latch from the `LATCH_PATH` environment variable". */
  readonly description: string;
}

/** No binary anywhere; `tried` lists each place looked at, in order, for the output channel. */
export interface MissingServer {
  readonly kind: "missing";
  readonly tried: readonly string[];
  /** A short message for a notification. */
  readonly message: string;
  /** Step-by-step advice for the output channel. */
  readonly advice: string;
  /** Set when an explicit setting or variable points at something that is not an executable. */
  readonly badExplicit?: { readonly source: ServerSource; readonly path: string } | undefined;
}

export type Discovery = FoundServer | MissingServer;

/** The file name of the server binary on `platform`. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "latch.exe" : "latch";
}

/** The path of the binary bundled inside the extension. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
  return pathFor(platform).join(extensionPath, "server", binaryName(platform));
}

function pathFor(platform: NodeJS.Platform): typeof path.posix {
  return platform === "win32" ? path.win32 : path.posix;
}

/** Expands a leading `~` and `${env:NAME}` / `${workspaceFolder}` references in a configured path. */
export function expandPath(raw: string, input: DiscoveryInput): string {
  const p = pathFor(input.platform);
  let out = raw.trim();
  out = out.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => input.env[name] ?? "");
  if (input.workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, input.workspaceFolder);
  }
  const home = input.env["HOME"] ?? input.env["USERPROFILE"];
  if (home !== undefined && (out === "~" || out.startsWith("~/") || out.startsWith("~\\"))) {
    out = p.join(home, out.slice(1));
  }
  if (!p.isAbsolute(out) && input.workspaceFolder !== undefined) {
    out = p.join(input.workspaceFolder, out);
  }
  return out;
}

/** A real check that `p` is a regular file the current user may execute. */
export function defaultIsExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) {
      return false;
    }
    if (os.platform() === "win32") {
      return true;
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks for the server in the documented order and says where it was found or what to do. */
export function findServer(input: DiscoveryInput): Discovery {
  const isExecutable = input.isExecutable ?? defaultIsExecutable;
  const p = pathFor(input.platform);
  const tried: string[] = [];

  // An explicit choice that is wrong is reported as such instead of silently falling back,
  // because the user would otherwise run a different server than the one they configured.
  const configured = input.configuredPath?.trim() ?? "";
  if (configured !== "") {
    const candidate = expandPath(configured, input);
    if (isExecutable(candidate)) {
      return found(candidate, "setting");
    }
    tried.push(`setting \`latch.server.path\`: ${candidate} (not an executable file)`);
    return missing(tried, { source: "setting", path: candidate });
  }
  tried.push("setting `latch.server.path`: not set");

  const fromEnv = input.env["LATCH_PATH"]?.trim() ?? "";
  if (fromEnv !== "") {
    const candidate = expandPath(fromEnv, { ...input, workspaceFolder: undefined });
    if (isExecutable(candidate)) {
      return found(candidate, "env");
    }
    tried.push(`environment variable \`LATCH_PATH\`: ${candidate} (not an executable file)`);
    return missing(tried, { source: "env", path: candidate });
  }
  tried.push("environment variable `LATCH_PATH`: not set");

  const bundled = bundledPath(input.extensionPath, input.platform);
  if (isExecutable(bundled)) {
    return found(bundled, "bundled");
  }
  tried.push(`bundled binary: ${bundled} (absent)`);

  const pathVar = input.env["PATH"] ?? input.env["Path"] ?? "";
  const separator = input.platform === "win32" ? ";" : ":";
  const names = [binaryName(input.platform)];
  if (input.platform === "win32") {
    // `PATHEXT` lets Windows users install `latch.cmd` shims, as package managers do.
    for (const ext of (input.env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";")) {
      const name = `latch${ext.toLowerCase()}`;
      if (ext !== "" && !names.includes(name)) {
        names.push(name);
      }
    }
  }
  for (const dir of pathVar.split(separator)) {
    if (dir === "") {
      continue;
    }
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (isExecutable(candidate)) {
        return found(candidate, "path");
      }
    }
  }
  tried.push(`\`${names[0]}\` on \`PATH\`: not found`);
  return missing(tried, undefined);
}

function found(binary: string, source: ServerSource): FoundServer {
  const where: Record<ServerSource, string> = {
    setting: "the `latch.server.path` setting",
    env: "the `LATCH_PATH` environment variable",
    bundled: "the binary bundled with the extension",
    path: "`PATH`",
  };
  return {
    kind: "found",
    path: binary,
    source,
    description: `using latch at ${binary} (from ${where[source]})`,
  };
}

function missing(
  tried: string[],
  badExplicit: { source: ServerSource; path: string } | undefined,
): MissingServer {
  const message =
    badExplicit === undefined
      ? "latch: no `latch` server binary found; install it with `cargo install --path server/latch` from a Latch checkout, or set `latch.server.path`"
      : badExplicit.source === "setting"
        ? `latch: \`latch.server.path\` is \`${badExplicit.path}\`, which is not an executable file; fix the setting or clear it to search elsewhere`
        : `latch: \`LATCH_PATH\` is \`${badExplicit.path}\`, which is not an executable file; fix or unset the variable`;
  const advice = [
    "latch could not start because no server binary was found; places searched, in order:",
    ...tried.map((t) => `  - ${t}`),
    "to fix it, do one of these, then run the command `Latch: Restart Server`:",
    "  1. build and install the server: `cargo install --path server/latch` in a Latch checkout (puts `latch` in ~/.cargo/bin, which is usually on PATH)",
    "  2. set `latch.server.path` in your settings to the absolute path of the `latch` binary",
    "  3. start VS Code with the environment variable `LATCH_PATH` set to that path",
  ].join("\n");
  return { kind: "missing", tried, message, advice, badExplicit };
}
