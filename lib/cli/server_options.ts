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
import {
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_JOINS_PER_MINUTE,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_PER_ADDRESS,
  DEFAULT_PORT,
  DEFAULT_RATE_LINES_PER_SECOND,
} from "../settings/defaults.ts";
import { parseHost } from "./host_arg.ts";
import { type AddressRange, parseAddressRange } from "../stream/address_range.ts";
import type { Lang } from "../settings/lang.ts";
import { DEFAULT_MODE, SERVER_MODES, type ServerMode } from "../settings/server_mode.ts";

// Where they were defined before lib/settings/server_mode.ts; kept for code that imports them from here.
export { SERVER_MODES, type ServerMode };

/** Everything `server.ts` was asked to do. */
export interface ServerCommand {
  /** Show help or the version instead of running. */
  action: "run" | "check" | "help" | "version";
  /** Address to bind. */
  host: string;
  /** Port to bind; 0 picks a free one. */
  port: number;
  /** Reply, echo or chat. */
  mode: ServerMode;
  /** Reply template, or null for the language's default. */
  replyTemplate: string | null;
  /** Language of every text. */
  lang: Lang;
  /** Most clients at once. */
  maxConnections: number;
  /** Longest message in reply and chat mode, in bytes. */
  maxLineBytes: number;
  /** Seconds of silence before a client is closed; 0 = never. */
  idleTimeoutSeconds: number;
  /** Log only errors. */
  quiet: boolean;
  /** Log every read and write. */
  trace: boolean;
  /**
   * Reply and chat mode: a message ends only at "\n"; text without one is not
   * taken as a message after a pause (no idle flush).
   */
  strictLines: boolean;
  /** Chat mode: lines people sent that a client joining later is shown; 0 = none. */
  historySize: number;
  /** Chat mode: bytes waiting to be sent to one client past which it is dropped as too slow. */
  maxBacklogBytes: number;
  /** Chat mode: lines one client may send per second (after a burst); 0 = no limit. */
  rateLinesPerSecond: number;
  /** Chat mode: port of the web page whose visitors join the room (`--web`); null = none. */
  webPort: number | null;
  /** Chat mode: the Redis that joins servers into one room (`--redis`); null = none. */
  redisUrl: string | null;
  /** Chat mode with `--redis`: the room's name (`--room`). */
  room: string;
  /** Chat mode: the file whose first line is the operator key (`--op-key-file`); null = a fresh key. */
  opKeyFile: string | null;
  /** Chat mode: the file whose first line is the room's key (`--key-file`); null = no key. */
  keyFile: string | null;
  /** Most connections at once from one IPv4 address or IPv6 /64; 0 = no limit. */
  maxPerAddress: number;
  /** New connections a minute from one IPv4 address or IPv6 /64; 0 = no limit. */
  maxJoinsPerMinute: number;
  /** `--trust`: ranges exempt from both limits per address. */
  trust: AddressRange[];
  /** `--allow`: if any, only these ranges may connect. */
  allow: AddressRange[];
  /** `--deny`: ranges that may not connect. */
  deny: AddressRange[];
  /** The certificate chain (PEM) to speak TLS with (`--tls-cert`); null = plaintext. */
  tlsCertFile: string | null;
  /** Its private key (PEM, `--tls-key`); set exactly when `tlsCertFile` is. */
  tlsKeyFile: string | null;
  /** With TLS: a second port for plaintext clients (`--plain-port`); null = none. */
  plainPort: number | null;
}

/** The room of `--redis` when `--room` is not given. */
export const DEFAULT_ROOM = "lobby";
const ROOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Options that only some modes use, and those modes: given in another mode
 * they are refused rather than ignored, so nobody believes they took effect.
 */
const MODE_ONLY_OPTIONS: Readonly<Record<string, readonly ServerMode[]>> = {
  reply: ["reply"],
  "max-line": ["reply", "chat"],
  "strict-lines": ["reply", "chat"],
  history: ["chat"],
  "max-backlog": ["chat"],
  rate: ["chat"],
  web: ["chat"],
  redis: ["chat"],
  room: ["chat"],
  "op-key-file": ["chat"],
  "key-file": ["chat"],
};

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
  history: { type: "string" },
  "max-backlog": { type: "string" },
  rate: { type: "string" },
  web: { type: "string" },
  redis: { type: "string" },
  room: { type: "string" },
  "op-key-file": { type: "string" },
  "key-file": { type: "string" },
  "max-per-address": { type: "string" },
  "max-joins-per-minute": { type: "string" },
  trust: { type: "string", multiple: true },
  allow: { type: "string", multiple: true },
  deny: { type: "string", multiple: true },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "plain-port": { type: "string" },
  check: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/**
 * Parses the server's arguments.
 *
 * @param args The arguments after the script name.
 * @returns The command, with defaults filled in.
 * @throws {UsageError} For an unknown option, a bad value, or an option given
 *   with a mode that does not use it (`--history` without `--mode chat`).
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
  const ranges = (name: string): AddressRange[] =>
    ((values[name] ?? []) as string[]).map((value) => {
      const range = parseAddressRange(value);
      if (range === null) {
        throw new UsageError({ kind: "invalidAddressRange", option: `--${name}`, value });
      }
      return range;
    });

  const host = parseHost(text("host") ?? "0.0.0.0", "--host");
  const mode = text("mode") ?? DEFAULT_MODE;
  const knownMode = SERVER_MODES.find((known) => known === mode);
  if (knownMode === undefined) {
    throw new UsageError({
      kind: "invalidChoice",
      option: "--mode",
      value: mode,
      choices: SERVER_MODES,
    });
  }
  for (const [name, modes] of Object.entries(MODE_ONLY_OPTIONS)) {
    if (values[name] !== undefined && !modes.includes(knownMode)) {
      throw new UsageError({ kind: "modeOnly", option: `--${name}`, modes, mode: knownMode });
    }
  }
  const count = (name: string, fallback: number, min: number): number => {
    const value = text(name);
    return value === undefined ? fallback : parseCount(value, `--${name}`, min);
  };
  const idle = text("idle-timeout");
  const port = text("port");
  const lang = text("lang");
  const web = text("web");
  const redis = text("redis");
  const room = text("room") ?? DEFAULT_ROOM;
  if (redis !== undefined && !isRedisUrl(redis)) {
    throw new UsageError({ kind: "invalidRedisUrl", option: "--redis", value: redis });
  }
  if (!ROOM_NAME.test(room)) {
    throw new UsageError({ kind: "invalidRoomName", option: "--room", value: room });
  }
  const tls = parseTlsOptions(text);
  const listenPort = port === undefined ? DEFAULT_PORT : parsePort(port, "--port");
  if (tls.plainPort !== null && tls.plainPort !== 0 && tls.plainPort === listenPort) {
    throw new UsageError({
      kind: "samePort",
      option: "--plain-port",
      other: "--port",
      port: listenPort,
    });
  }
  return {
    action: flag("help") ? "help" : flag("version") ? "version" : flag("check") ? "check" : "run",
    host,
    port: listenPort,
    mode: knownMode,
    replyTemplate: text("reply") ?? null,
    lang: lang === undefined ? "en" : parseLang(lang),
    maxConnections: count("max-conns", DEFAULT_MAX_CONNECTIONS, 1),
    maxLineBytes: count("max-line", DEFAULT_MAX_LINE_BYTES, 1),
    idleTimeoutSeconds: idle === undefined ? 0 : parseSeconds(idle, "--idle-timeout"),
    quiet: flag("quiet"),
    trace: flag("trace"),
    strictLines: flag("strict-lines"),
    historySize: count("history", DEFAULT_HISTORY_SIZE, 0),
    maxBacklogBytes: count("max-backlog", DEFAULT_MAX_BACKLOG_BYTES, 1),
    rateLinesPerSecond: count("rate", DEFAULT_RATE_LINES_PER_SECOND, 0),
    webPort: web === undefined ? null : parsePort(web, "--web"),
    redisUrl: redis ?? null,
    room,
    opKeyFile: text("op-key-file") ?? null,
    keyFile: text("key-file") ?? null,
    maxPerAddress: count("max-per-address", DEFAULT_MAX_PER_ADDRESS, 0),
    maxJoinsPerMinute: count("max-joins-per-minute", DEFAULT_MAX_JOINS_PER_MINUTE, 0),
    trust: ranges("trust"),
    allow: ranges("allow"),
    deny: ranges("deny"),
    ...tls,
  };
}

/** `--tls-cert` and `--tls-key` (both or neither) and `--plain-port` (only with them). */
function parseTlsOptions(
  text: (name: string) => string | undefined,
): Pick<ServerCommand, "tlsCertFile" | "tlsKeyFile" | "plainPort"> {
  const cert = text("tls-cert");
  const key = text("tls-key");
  const plain = text("plain-port");
  if (cert !== undefined && key === undefined) {
    throw new UsageError({ kind: "needsOption", option: "--tls-cert", needs: "--tls-key" });
  }
  if (key !== undefined && cert === undefined) {
    throw new UsageError({ kind: "needsOption", option: "--tls-key", needs: "--tls-cert" });
  }
  if (plain !== undefined && cert === undefined) {
    throw new UsageError({ kind: "needsOption", option: "--plain-port", needs: "--tls-cert" });
  }
  return {
    tlsCertFile: cert ?? null,
    tlsKeyFile: key ?? null,
    plainPort: plain === undefined ? null : parsePort(plain, "--plain-port"),
  };
}

/** Whether `text` is a `redis://` or `rediss://` URL with a host. */
function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}
