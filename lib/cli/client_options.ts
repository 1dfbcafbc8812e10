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
  parseSeconds,
  UsageError,
} from "./cli_args.ts";
import { DEFAULT_PORT } from "../settings/defaults.ts";
import { parseHost } from "./host_arg.ts";
import type { Lang } from "../settings/lang.ts";

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
  /** `-C`: end each typed line with "\r\n" instead of "\n", as `ncat -C` does. */
  crlf: boolean;
  /**
   * `-w`: seconds to wait for the connection, and, once stdin has ended, for a
   * server that stays silent (as `nc -w`); null when not given (no limit).
   */
  waitSeconds: number | null;
  /** `--hex`: show the bytes in hex beside the text. */
  hex: boolean;
  /** `--tls`: speak TLS, checking the server's certificate and name (`--ca` implies it). */
  tls: boolean;
  /** `--ca FILE`: a root certificate (PEM) to trust besides the usual ones; null = none. */
  caFile: string | null;
}

const OPTIONS: OptionTable = {
  host: { type: "string", short: "H" },
  port: { type: "string", short: "p" },
  lang: { type: "string" },
  crlf: { type: "boolean", short: "C" },
  wait: { type: "string", short: "w" },
  hex: { type: "boolean" },
  tls: { type: "boolean" },
  ca: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/**
 * Parses the client's arguments. HOST and PORT may be given as positionals
 * (like nc) or as options, not both; a lone argument that is a whole number
 * is the port (`client.ts 50000`).
 *
 * @param args The arguments after the script name.
 * @returns The command, with defaults filled in.
 * @throws {UsageError} For an unknown option, a bad value, a host given twice or
 *   a host with a port in it (`127.0.0.1:80`).
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
  // A lone number is the port, not a host: "client.ts 50000", "client.ts -H example.org 7".
  const portOnly = positionals.length === 1 && /^\d+$/.test(positionals[0]!);
  const [hostArg, portArg] = portOnly ? [undefined, positionals[0]] : positionals;
  if (hostOption !== undefined && hostArg !== undefined) {
    throw new UsageError({
      kind: "givenTwice",
      what: "host",
      argument: hostArg,
      option: "--host",
      value: hostOption,
    });
  }
  if (portOption !== undefined && portArg !== undefined) {
    throw new UsageError({
      kind: "givenTwice",
      what: "port",
      argument: portArg,
      option: "--port",
      value: portOption,
    });
  }
  const host = hostOption !== undefined
    ? parseHost(hostOption, "--host")
    : parseHost(hostArg ?? "127.0.0.1", null);
  const portName = portOption !== undefined ? "--port" : null;
  const portText = portOption ?? portArg;
  const port = portText === undefined ? DEFAULT_PORT : parsePort(portText, portName);
  if (port === 0) throw new UsageError({ kind: "portZero", option: portName, value: portText! });
  const lang = values.lang as string | undefined;
  const wait = values.wait as string | undefined;
  return {
    action: values.help === true ? "help" : values.version === true ? "version" : "run",
    host,
    port,
    lang: lang === undefined ? "en" : parseLang(lang),
    crlf: values.crlf === true,
    waitSeconds: wait === undefined ? null : parseSeconds(wait, "--wait", { allowZero: false }),
    hex: values.hex === true,
    tls: values.tls === true || values.ca !== undefined,
    caFile: (values.ca as string | undefined) ?? null,
  };
}
