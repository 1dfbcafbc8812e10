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
import { closeQuietly, writeAll } from "./connection_io.ts";
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
 * Quitting leaves the prompt row as typed and says goodbye below it; when the
 * server ends the session, its notice takes the prompt's place.
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
    // Writes lines of text; "\r\n" so the carriage returns on any terminal,
    // whether or not its driver adds the "\r" itself.
    const print = (text: string) => {
      const lines = text.endsWith("\n") ? text : text + "\n";
      process.stdout.write(lines.replace(/\r?\n/g, "\r\n"));
    };

    // Erases the prompt and the typed text from the prompt's first row down:
    // a line longer than the terminal is wide wraps onto several rows.
    const erasePrompt = () => {
      readline.moveCursor(process.stdout, 0, -rl.getCursorPos().rows);
      readline.cursorTo(process.stdout, 0);
      readline.clearScreenDown(process.stdout);
    };

    // Prints above the prompt, then redraws the prompt and the typed text.
    // NOTE: text without a final "\n" (the tutorial's server sends none) is
    // ended here so the prompt never shares its row; the price is that a
    // message split across two reads shows as two lines.
    const show = (text: string) => {
      erasePrompt();
      print(text);
      // NOTE: `prevRows` is readline's undocumented count of the rows between
      // the prompt's first row and the cursor (same name in Node and Deno);
      // `prompt(true)` moves up that many rows before drawing. The prompt now
      // starts on the cursor's row, so it must be 0, or the redraw would
      // overwrite the text just printed.
      Object.assign(rl, { prevRows: 0 });
      rl.prompt(true);
    };

    const finish = (how: InteractiveEnd, notice: string) => {
      ended = true;
      print(notice);
      rl.close();
      closeQuietly(conn);
      resolve(how);
    };

    // The server closed the connection or it broke: the notice replaces the prompt.
    const serverEnded = (how: InteractiveEnd, notice: string) => {
      if (ended) return;
      erasePrompt();
      finish(how, notice);
    };

    // The user quits: the prompt row stays as it is, the goodbye goes below.
    const userQuit = (onFreshRow: boolean) => {
      if (ended) return;
      if (!onFreshRow) process.stdout.write("\r\n");
      finish("quit", texts.goodbye);
    };

    rl.on("line", (line: string) => {
      // readline has already moved to a fresh row after the Enter.
      if (line === EXIT_COMMAND) return userQuit(true);
      if (line !== "") {
        writeAll(conn, encoder.encode(line + "\n")).catch((error) => {
          serverEnded("reset", texts.connectionLost(describeError(error)));
        });
      }
      rl.prompt();
    });
    // Ctrl+D on an empty line (or the end of input): the cursor is after the prompt.
    rl.on("close", () => userQuit(false));
    rl.on("SIGINT", () => {
      // Ctrl+C: first move past the typed text, which may wrap, so it stays readable.
      rl.write(null, { ctrl: true, name: "e" });
      userQuit(false);
    });

    (async () => {
      const buffer = new Uint8Array(65536);
      try {
        for (;;) {
          const n = await conn.read(buffer);
          if (n === null) break;
          const text = decoder.decode(buffer.subarray(0, n));
          if (text !== "" && !ended) show(text);
        }
        const rest = decoder.end();
        if (rest !== "" && !ended) show(rest);
        serverEnded("closed", texts.serverClosed);
      } catch (error) {
        // Also reached when the user quit and the connection was closed under the read.
        serverEnded("reset", texts.connectionLost(describeError(error)));
      }
    })();

    rl.prompt();
  });
}
