/**
 * Logging of received messages that cannot slow the server down: up to a
 * number of lines per second are shown, and the rest are counted and reported
 * in one line when the second is over. Nothing is dropped silently.
 *
 * @module
 */

import { type Logger, printable } from "./logger.ts";
import type { Texts } from "../text/texts.ts";
import { decodeUtf8 } from "../text/utf8.ts";

/** Options for {@linkcode MessageLog}. */
export interface MessageLogOptions {
  /**
   * Message lines shown per second; the rest are counted.
   *
   * @default {200}
   */
  linesPerSecond?: number;
}

/** Length of a budget window in milliseconds. */
const WINDOW_MS = 1000;

/**
 * Shows received messages in the log within a per-second budget. A window
 * opens with the first message after a quiet spell, so an idle server runs no
 * timer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Logger } from "./logger.ts";
 * import { TEXTS } from "../text/texts.ts";
 * import { MessageLog } from "./message_log.ts";
 * const lines: string[] = [];
 * const log = new Logger({ writeInfo: (line) => lines.push(line) });
 * const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 1 });
 * messages.received("127.0.0.1:6708", new TextEncoder().encode("one"));
 * messages.received("127.0.0.1:6708", new TextEncoder().encode("two"));
 * messages.close();
 * assert.deepEqual(lines, [
 *   "[127.0.0.1:6708] received: one",
 *   "(1 more message received in the last second, not shown)",
 * ]);
 * ```
 */
export class MessageLog {
  readonly #log: Logger;
  readonly #texts: Texts;
  readonly #linesPerSecond: number;
  #budget: number;
  #notShown = 0;
  #window: ReturnType<typeof setTimeout> | undefined;

  /**
   * Creates a message log with a full budget.
   *
   * @param log Where lines go; nothing is shown when it is quiet.
   * @param texts Texts in the server's language.
   * @param options See {@linkcode MessageLogOptions}.
   */
  constructor(log: Logger, texts: Texts, options: MessageLogOptions = {}) {
    this.#log = log;
    this.#texts = texts;
    this.#linesPerSecond = options.linesPerSecond ?? 200;
    this.#budget = this.#linesPerSecond;
  }

  /** Whether messages are logged at all (not with `--quiet`). */
  get enabled(): boolean {
    return !this.#log.quiet;
  }

  /**
   * Logs one message, or counts it when this second's budget is spent. Only
   * a message that is shown is decoded; one that is counted costs no
   * allocation, which is why the message comes as a range of its read.
   *
   * @param peer The client's address.
   * @param source Holds the message's bytes.
   * @param start Where the message starts in `source`.
   * @param end Where it ends (exclusive).
   */
  received(peer: string, source: Uint8Array, start = 0, end = source.length): void {
    if (!this.#spend()) return;
    const text = this.printable(decodeUtf8(source.subarray(start, end)));
    this.#log.info(this.#texts.messageReceived(text), peer);
  }

  /**
   * Logs a line that stands for a received message, within the same budget:
   * a chat's private message (`/msg`) is logged as who sent one to whom, and
   * its text is not logged at all.
   *
   * @param peer The client's address.
   * @param text The line to log, safe for the log already.
   */
  receivedAs(peer: string, text: string): void {
    if (this.#spend()) this.#log.info(text, peer);
  }

  /** Takes one line from this second's budget; false (and counted) once it is spent. */
  #spend(): boolean {
    if (this.#log.quiet) return false;
    if (this.#budget === 0) {
      this.#notShown++;
      return false;
    }
    if (this.#budget === this.#linesPerSecond) {
      this.#window = setTimeout(() => this.#endWindow(), WINDOW_MS);
    }
    this.#budget--;
    return true;
  }

  /**
   * Makes client text safe for one log line, and cuts it as the log does, saying so in
   * the log's language (see `printable()` in `logger.ts`).
   *
   * @param text Text a client sent.
   * @returns The text as the log shows it.
   */
  printable(text: string): string {
    return printable(text, this.#texts.moreCharacters);
  }

  /** Reports what was not shown and stops the timer (at shutdown). */
  close(): void {
    clearTimeout(this.#window);
    this.#endWindow();
  }

  #endWindow(): void {
    this.#window = undefined;
    this.#budget = this.#linesPerSecond;
    if (this.#notShown === 0) return;
    this.#log.info(this.#texts.messagesNotShown(this.#notShown));
    this.#notShown = 0;
  }
}
