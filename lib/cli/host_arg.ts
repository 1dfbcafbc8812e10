/**
 * Checking a host given on the command line, for the server (`--host`) and
 * the client (`HOST`, `--host`), before the system sees it: a blank host and
 * "host:port" in one argument are usage errors that say what to type instead,
 * where the system would only report "invalid char found in FQDN".
 *
 * @module
 */

import { UsageError } from "./cli_args.ts";

/**
 * Checks a host and strips the brackets of an IPv6 address (`[::1]`), since
 * that is how addresses are printed.
 *
 * @param text The host as typed.
 * @param option The option's name (`--host`), or null for client.ts's HOST argument.
 * @returns The host to connect to or bind.
 * @throws {UsageError} If it is blank, or a host with a port (`127.0.0.1:80`,
 *   `[::1]:80`, `localhost:50000`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHost } from "./host_arg.ts";
 * assert(parseHost("[::1]", "--host") === "::1");
 * assert.throws(() => parseHost("127.0.0.1:80", null), /give the port separately/);
 * ```
 */
export function parseHost(text: string, option: string | null): string {
  if (text.trim() === "") throw new UsageError({ kind: "emptyHost", option, value: text });
  const withPort = splitHostPort(text);
  if (withPort !== null) {
    throw new UsageError({ kind: "hostWithPort", option, value: text, ...withPort });
  }
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

/** The two parts of "host:port" or "[v6]:port"; null for anything else, "::1" included. */
function splitHostPort(text: string): { host: string; port: string } | null {
  // One colon only: an IPv6 address has at least two, and needs brackets to carry a port.
  const match = text.match(/^\[([^\]]+)\]:(\d+)$/) ?? text.match(/^([^:[\]]+):(\d+)$/);
  return match === null ? null : { host: match[1]!, port: match[2]! };
}
