/**
 * The client's command line: `deno run --allow-net client.ts [HOST] [PORT] [options]`.
 *
 * @module
 */

import {
  type OptionTable,
  parseCommandLine,
  parseLang,
  parsePort,
  UsageError,
} from "./cli_args.ts";
import type { Lang } from "./messages.ts";

/** Everything `client.ts` was asked to do. */
export interface ClientCommand {
  /** Show help or the version instead of connecting. */
  action: "run" | "help" | "version";
  /** Server address. */
  host: string;
  /** Server port. */
  port: number;
  /** Language of every status text. */
  lang: Lang;
}

const OPTIONS: OptionTable = {
  host: { type: "string", short: "H" },
  port: { type: "string", short: "p" },
  lang: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/**
 * Parses the client's arguments. HOST and PORT may be given as positionals
 * (like nc) or as options, not both.
 *
 * @param args The arguments after the script name.
 * @returns The command, with defaults filled in.
 * @throws {UsageError} For an unknown option, a bad value or a host given twice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseClientArgs } from "./client_options.ts";
 * const command = parseClientArgs(["localhost", "7"]);
 * assert(command.host === "localhost" && command.port === 7);
 * ```
 */
export function parseClientArgs(args: readonly string[]): ClientCommand {
  const { values, positionals } = parseCommandLine(args, OPTIONS, 2);
  const hostOption = values.host as string | undefined;
  const portOption = values.port as string | undefined;
  // With --host given, a lone number is the port: "client.ts -H example.org 7".
  const portOnly = hostOption !== undefined && portOption === undefined &&
    positionals.length === 1 && /^\d+$/.test(positionals[0]!);
  const [hostArg, portArg] = portOnly ? [undefined, positionals[0]] : positionals;
  if (hostOption !== undefined && hostArg !== undefined) {
    throw new UsageError(`Host given twice: "${hostArg}" and --host "${hostOption}"`);
  }
  if (portOption !== undefined && portArg !== undefined) {
    throw new UsageError(`Port given twice: "${portArg}" and --port "${portOption}"`);
  }
  const host = hostOption ?? hostArg ?? "127.0.0.1";
  if (host.trim() === "") throw new UsageError(`Invalid host "${host}": expected an address`);
  const portText = portOption ?? portArg;
  const port = portText === undefined ? 50000 : parsePort(portText, "port");
  if (port === 0) throw new UsageError(`Invalid port "0": a server cannot listen on port 0`);
  const lang = values.lang as string | undefined;
  return {
    action: values.help === true ? "help" : values.version === true ? "version" : "run",
    host: host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host,
    port,
    lang: lang === undefined ? "en" : parseLang(lang),
  };
}
