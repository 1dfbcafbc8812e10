/**
 * A non-blocking, bounded output for log lines.
 *
 * `console.log` writes synchronously: when nobody reads the server's stdout
 * (a pipe whose reader is busy or gone), the next log line blocks the whole
 * process and every client stalls. A sink queues lines and writes them with
 * the asynchronous `write()`, so the server keeps serving; past a bound it
 * counts the lines it skips and says how many once the output moves again.
 *
 * @module
 */

import { type ByteWriter, writeAll } from "../stream/connection_io.ts";
import { waitAtMost } from "../stream/deadline.ts";

/** Options for {@linkcode LogSink}. */
export interface LogSinkOptions {
  /**
   * Most bytes waiting to be written; lines beyond are skipped and counted.
   *
   * @default {1048576}
   */
  maxQueuedBytes?: number;
  /**
   * The line that reports skipped lines.
   *
   * @default {(count) => `(${count} log lines skipped: the output was not read fast enough)`}
   */
  skippedNotice?: (count: number) => string;
}

const encoder = new TextEncoder();

/**
 * Queues lines for a writer such as `Deno.stdout` and writes them in batches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogSink } from "./log_sink.ts";
 * const chunks: string[] = [];
 * const sink = new LogSink({
 *   write: (bytes) => {
 *     chunks.push(new TextDecoder().decode(bytes));
 *     return Promise.resolve(bytes.length);
 *   },
 * });
 * sink.line("one");
 * sink.line("two");
 * await sink.flush(1000);
 * assert.equal(chunks.join(""), "one\ntwo\n");
 * ```
 */
export class LogSink {
  readonly #writer: ByteWriter;
  readonly #maxQueuedBytes: number;
  readonly #skippedNotice: (count: number) => string;
  #queue: string[] = [];
  #queuedBytes = 0;
  #skipped = 0;
  #draining: Promise<void> | null = null;
  #broken = false;

  /**
   * Creates a sink.
   *
   * @param writer Where the lines go, such as `Deno.stdout`.
   * @param options See {@linkcode LogSinkOptions}.
   */
  constructor(writer: ByteWriter, options: LogSinkOptions = {}) {
    this.#writer = writer;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 1 << 20;
    this.#skippedNotice = options.skippedNotice ??
      ((count) => `(${count} log lines skipped: the output was not read fast enough)`);
  }

  /**
   * Queues one line ("\n" is added). Never blocks and never throws.
   *
   * @param text The line.
   */
  line(text: string): void {
    if (this.#broken) return;
    // Length in UTF-16 units is close enough to bytes for a bound.
    if (this.#queuedBytes + text.length > this.#maxQueuedBytes) {
      this.#skipped++;
      return;
    }
    this.#reportSkipped();
    this.#enqueue(text);
  }

  #enqueue(text: string): void {
    this.#queue.push(text);
    this.#queuedBytes += text.length + 1;
    this.#draining ??= this.#drain();
  }

  /** Queues the notice for lines skipped so far, in their place among the others. */
  #reportSkipped(): void {
    if (this.#skipped === 0) return;
    const count = this.#skipped;
    this.#skipped = 0;
    this.#enqueue(this.#skippedNotice(count));
  }

  /**
   * Waits until every queued line is written, or the deadline passes (when
   * nobody reads the output, exiting must not wait forever).
   *
   * @param timeoutMs The deadline in milliseconds.
   */
  async flush(timeoutMs: number): Promise<void> {
    if (this.#draining !== null) await waitAtMost(this.#draining, timeoutMs);
  }

  async #drain(): Promise<void> {
    try {
      for (;;) {
        if (this.#queue.length === 0) this.#reportSkipped();
        if (this.#queue.length === 0) break;
        const batch = this.#queue.join("\n") + "\n";
        this.#queue = [];
        this.#queuedBytes = 0;
        await writeAll(this.#writer, encoder.encode(batch));
      }
    } catch {
      // The output is closed (its reader is gone): nothing more can be shown.
      this.#broken = true;
      this.#queue = [];
    } finally {
      this.#draining = null;
    }
  }
}
