/**
 * The server's command line: `deno run --allow-net server.ts [options]`.
 *
 * @module
 */

import {
  type OptionTable,
  parseCommandLine,
  parseCount,
  parseLang,
  parsePort,
  parseSeconds,
  UsageError,
} from "./cli_args.ts";
import { parseHost } from "./host_arg.ts";
import type { Lang } from "./messages.ts";

/** How the server answers: one reply per line, or every byte back unchanged. */
export type ServerMode = "reply" | "echo";

/** Modes `--mode` accepts. Chat comes in a later version. */
export const SERVER_MODES: readonly ServerMode[] = ["reply", "echo"];

/** Everything `server.ts` was asked to do. */
export interface ServerCommand {
  /** Show help or the version instead of running. */
  action: "run" | "check" | "help" | "version";
  /** Address to bind. */
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** Reply or echo. */
  mode: ServerMode;
  /** Reply template, or null for the language's default. */
  replyTemplate: string | null;
  /** Language of every text. */
  lang: Lang;
  /** Most clients at once. */
  maxConnections: number;
  /** Longest message in reply mode, in bytes. */
  maxLineBytes: number;
  /** Seconds of silence before a client is closed; 0 = never. */
  idleTimeoutSeconds: number;
  /** Log only errors. */
  quiet: boolean;
  /** Log every read and write. */
  trace: boolean;
  /**
   * Reply mode: a message ends only at "\n"; text without one gets no reply
   * after a pause (no idle flush).
   */
  strictLines: boolean;
}

/** Options that only reply mode uses: refused with `--mode echo` rather than ignored. */
const REPLY_MODE_OPTIONS = ["reply", "max-line", "strict-lines"] as const;

const OPTIONS: OptionTable = {
  host: { type: "string", short: "H" },
  port: { type: "string", short: "p" },
  mode: { type: "string", short: "m" },
  reply: { type: "string" },
  lang: { type: "string" },
  "max-conns": { type: "string" },
  "max-line": { type: "string" },
  "idle-timeout": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  trace: { type: "boolean" },
  "strict-lines": { type: "boolean" },
  check: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/**
 * Parses the server's arguments.
 *
 * @param args The arguments after the script name.
 * @returns The command, with defaults filled in.
 * @throws {UsageError} For an unknown option, a bad value, or an option of
 *   reply mode given with `--mode echo`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServerArgs } from "./server_options.ts";
 * const command = parseServerArgs(["--port", "0", "--mode", "echo"]);
 * assert(command.port === 0 && command.mode === "echo");
 * ```
 */
export function parseServerArgs(args: readonly string[]): ServerCommand {
  const { values } = parseCommandLine(args, OPTIONS);
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const flag = (name: string): boolean => values[name] === true;

  const host = parseHost(text("host") ?? "0.0.0.0", "--host");
  const mode = text("mode") ?? "reply";
  const knownMode = SERVER_MODES.find((known) => known === mode);
  if (knownMode === undefined) {
    throw new UsageError({
      kind: "invalidChoice",
      option: "--mode",
      value: mode,
      choices: SERVER_MODES,
    });
  }
  const replyOnly = REPLY_MODE_OPTIONS.find((name) => values[name] !== undefined);
  if (knownMode !== "reply" && replyOnly !== undefined) {
    throw new UsageError({ kind: "replyModeOnly", option: `--${replyOnly}`, mode: knownMode });
  }
  const maxLine = text("max-line");
  const maxConns = text("max-conns");
  const idle = text("idle-timeout");
  const port = text("port");
  const lang = text("lang");
  return {
    action: flag("help") ? "help" : flag("version") ? "version" : flag("check") ? "check" : "run",
    host,
    port: port === undefined ? 50000 : parsePort(port, "--port"),
    mode: knownMode,
    replyTemplate: text("reply") ?? null,
    lang: lang === undefined ? "en" : parseLang(lang),
    maxConnections: maxConns === undefined ? 1000 : parseCount(maxConns, "--max-conns", 1),
    maxLineBytes: maxLine === undefined ? 65536 : parseCount(maxLine, "--max-line", 1),
    idleTimeoutSeconds: idle === undefined ? 0 : parseSeconds(idle, "--idle-timeout"),
    quiet: flag("quiet"),
    trace: flag("trace"),
    strictLines: flag("strict-lines"),
  };
}
