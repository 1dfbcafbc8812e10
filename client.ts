/**
 * The TCP client of the tutorial: a `>>> ` prompt on a terminal, a byte pipe
 * like `nc` otherwise.
 *
 *     deno run --allow-net client.ts [HOST] [PORT] [options]      (--help lists them)
 *
 * This file only reads the options, connects and picks the exit code; the
 * work is in `lib/client/interactive_client.ts` and `lib/client/piped_client.ts`.
 *
 * @module
 */

import { peekLang, runMain, UsageError } from "./lib/cli/cli_args.ts";
import { type ClientCommand, parseClientArgs } from "./lib/cli/client_options.ts";
import { ConnectError, connectTo } from "./lib/client/client_connect.ts";
import { type InteractiveEnd, runInteractiveClient } from "./lib/client/interactive_client.ts";
import { TEXTS, type Texts } from "./lib/text/texts.ts";
import type { Conn } from "./lib/stream/connection_io.ts";
import { describeError, isPermissionError } from "./lib/stream/net_errors.ts";
import { CLI_TEXTS } from "./lib/cli/cli_texts.ts";
import { runPipedClient } from "./lib/client/piped_client.ts";
import { VERSION } from "./lib/settings/version.ts";

/**
 * Exit codes: 0 done, 1 could not connect, the connection broke or the server
 * refused us (busy, message too long), 2 bad usage.
 */
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/**
 * Runs the client as `deno run --allow-net client.ts` does.
 *
 * @param args Command-line arguments.
 * @returns The exit code.
 */
export async function main(args: readonly string[]): Promise<number> {
  let command: ClientCommand;
  try {
    command = parseClientArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const lang = peekLang(args);
    console.error(CLI_TEXTS[lang].usageError(error.messageIn(lang), "client.ts"));
    return EXIT_USAGE;
  }
  const texts = TEXTS[command.lang];
  if (command.action === "help") {
    console.log(CLI_TEXTS[command.lang].clientHelp);
    return EXIT_OK;
  }
  if (command.action === "version") {
    console.log(`client.ts ${VERSION}`);
    return EXIT_OK;
  }

  let tls: { caCerts: string[] } | undefined;
  if (command.tls) {
    const caCerts = readCaFile(command.caFile, args, texts);
    if (typeof caCerts === "number") return caCerts;
    tls = { caCerts };
  }

  let conn: Conn;
  try {
    const wait = command.waitSeconds;
    conn = await connectTo(command.host, command.port, texts, {
      args,
      ...(wait === null ? {} : { timeoutMs: wait * 1000 }),
      ...(tls === undefined ? {} : { tls }),
    });
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    console.error(error.message);
    return EXIT_FAILURE;
  }

  const display = terminalDisplay();
  if (display !== null) {
    const end = await runInteractiveClient(conn, texts, {
      greeting: command.tls
        ? texts.clientReadyTls(command.host, command.port)
        : texts.clientReady(command.host, command.port),
      crlf: command.crlf,
      hex: command.hex,
      // The display is a terminal (see terminalDisplay()); NO_COLOR turns colours off.
      color: !Deno.noColor,
      display,
      // With stdout redirected (client.ts > file), the file gets the server's bytes, as with nc.
      dataOutput: display === Deno.stdout ? null : Deno.stdout,
    });
    return INTERACTIVE_EXIT_CODES[end];
  }
  const end = await runPipedClient(conn, {
    crlf: command.crlf,
    hex: command.hex,
    texts,
    quietAfterInputMs: (command.waitSeconds ?? 0) * 1000,
  });
  if (end === "reset") console.error(texts.connectionReset);
  return end === "reset" || end === "refused" ? EXIT_FAILURE : EXIT_OK;
}

/**
 * The root certificates of `--ca FILE` (none without it); problems are
 * printed here, and an exit code comes back instead.
 */
function readCaFile(file: string | null, args: readonly string[], texts: Texts): string[] | number {
  if (file === null) return [];
  let pem: string;
  try {
    pem = Deno.readTextFileSync(file);
  } catch (error) {
    console.error(
      isPermissionError(error)
        ? texts.needReadPermission([file], "client.ts", args)
        : texts.cannotReadTlsFile(file, describeError(error)),
    );
    return EXIT_FAILURE;
  }
  // Deno ignores a root it cannot parse, and the user would then see "unknown issuer".
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    console.error(texts.caNotPem(file));
    return EXIT_FAILURE;
  }
  return [pem];
}

/** Exit codes of an interactive session; a signal gives 128 + its number, as a shell reports. */
const INTERACTIVE_EXIT_CODES: Record<InteractiveEnd, number> = {
  quit: EXIT_OK,
  closed: EXIT_OK,
  refused: EXIT_FAILURE,
  reset: EXIT_FAILURE,
  SIGHUP: 128 + 1,
  SIGQUIT: 128 + 3,
  SIGTERM: 128 + 15,
};

/**
 * Where the prompt goes: the terminal the user types on, when stdin is one.
 * With stdout redirected to a file, the prompt and editing go to stderr (if it
 * is the terminal). Null when there is no terminal to type on: piped mode.
 */
function terminalDisplay(): typeof Deno.stdout | typeof Deno.stderr | null {
  if (!Deno.stdin.isTerminal()) return null;
  if (Deno.stdout.isTerminal()) return Deno.stdout;
  return Deno.stderr.isTerminal() ? Deno.stderr : null;
}

if (import.meta.main) await runMain(main);
