/**
 * The client on a terminal: a `>>> ` prompt with line editing (`node:readline`).
 * Each line typed is sent with "\n"; whatever the server sends is shown as
 * soon as it arrives, above the prompt, which is then drawn again with what
 * the user was typing.
 *
 * @module
 */

import process from "node:process";
import readline from "node:readline";
import { writeAll } from "./connection_io.ts";
import type { Messages } from "./messages.ts";
import { describeError } from "./net_errors.ts";
import { Utf8StreamDecoder } from "./utf8.ts";

/** The tutorial's prompt. */
export const PROMPT = ">>> ";
/** Typing this quits, as in the tutorial. */
export const EXIT_COMMAND = "exit";

/** How an interactive session ended. */
export type InteractiveEnd = "quit" | "closed" | "reset";

const encoder = new TextEncoder();

/**
 * Runs the prompt until the user quits (`exit`, Ctrl+D, Ctrl+C) or the server
 * closes the connection. Empty lines are not sent: the prompt just comes back.
 *
 * @param conn The connection.
 * @param texts Texts in the user's language.
 * @returns How it ended; the caller picks the exit code.
 *
 * @example
 * ```ts ignore
 * import { runInteractiveClient } from "./interactive_client.ts";
 * import { MESSAGES } from "./messages.ts";
 * const conn = await Deno.connect({ port: 50000 });
 * await runInteractiveClient(conn, MESSAGES.en);
 * ```
 */
export function runInteractiveClient(
  conn: Deno.TcpConn,
  texts: Messages,
): Promise<InteractiveEnd> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: PROMPT,
    terminal: true,
  });
  const decoder = new Utf8StreamDecoder();
  let ended = false;

  return new Promise<InteractiveEnd>((resolve) => {
    const end = (how: InteractiveEnd, notice: string | null) => {
      if (ended) return;
      ended = true;
      if (notice !== null) show(notice + "\n");
      rl.close();
      try {
        conn.close();
      } catch {
        // already closed
      }
      resolve(how);
    };

    // Prints above the prompt, then redraws the prompt and the typed text.
    const show = (text: string) => {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      // The terminal is in raw mode: make each "\n" also return the carriage.
      const lines = text.endsWith("\n") ? text : text + "\n";
      process.stdout.write(lines.replace(/\r?\n/g, "\r\n"));
      if (!ended) rl.prompt(true);
    };

    rl.on("line", (line: string) => {
      if (line === EXIT_COMMAND) return end("quit", null);
      if (line !== "") {
        writeAll(conn, encoder.encode(line + "\n")).catch((error) => {
          end("reset", texts.connectionLost(describeError(error)));
        });
      }
      rl.prompt();
    });
    rl.on("close", () => end("quit", null)); // Ctrl+D
    rl.on("SIGINT", () => end("quit", null)); // Ctrl+C

    (async () => {
      const buffer = new Uint8Array(65536);
      try {
        for (;;) {
          const n = await conn.read(buffer);
          if (n === null) break;
          const text = decoder.decode(buffer.subarray(0, n));
          if (text !== "") show(text);
        }
        const rest = decoder.end();
        if (rest !== "") show(rest);
        end("closed", texts.serverClosed);
      } catch (error) {
        end("reset", texts.connectionLost(describeError(error)));
      }
    })();

    rl.prompt();
  });
}
