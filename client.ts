/**
 * The TCP client of the tutorial: a `>>> ` prompt on a terminal, a byte pipe
 * like `nc` otherwise.
 *
 *     deno run --allow-net client.ts [HOST] [PORT] [options]      (--help lists them)
 *
 * This file only reads the options, connects and picks the exit code; the
 * work is in `lib/interactive_client.ts` and `lib/piped_client.ts`.
 *
 * @module
 */

import { peekLang, runMain, UsageError } from "./lib/cli_args.ts";
import { type ClientCommand, parseClientArgs } from "./lib/client_options.ts";
import { ConnectError, connectTo } from "./lib/client_connect.ts";
import { runInteractiveClient } from "./lib/interactive_client.ts";
import { MESSAGES } from "./lib/messages.ts";
import { runPipedClient } from "./lib/piped_client.ts";
import { VERSION } from "./lib/version.ts";

/** Exit codes: 0 done, 1 could not connect or the connection broke, 2 bad usage. */
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
    console.error(MESSAGES[peekLang(args)].usageError(error.message, "client.ts"));
    return EXIT_USAGE;
  }
  const texts = MESSAGES[command.lang];
  if (command.action === "help") {
    console.log(texts.clientHelp);
    return EXIT_OK;
  }
  if (command.action === "version") {
    console.log(`client.ts ${VERSION}`);
    return EXIT_OK;
  }

  let conn: Deno.TcpConn;
  try {
    conn = await connectTo(command.host, command.port, texts);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    console.error(error.message);
    return EXIT_FAILURE;
  }

  if (Deno.stdin.isTerminal()) {
    console.log(texts.clientReady(command.host, command.port));
    const end = await runInteractiveClient(conn, texts);
    return end === "reset" ? EXIT_FAILURE : EXIT_OK;
  }
  const end = await runPipedClient(conn);
  if (end === "reset") {
    console.error(texts.connectionLost("the connection was reset"));
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

if (import.meta.main) await runMain(main);
