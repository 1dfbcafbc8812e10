/**
 * Writes to stdout or stderr in order, each write whole, and tells when all
 * is out. The interactive client writes from keystrokes and from the network
 * at once; one queue keeps their escape sequences from interleaving, and
 * waiting for {@linkcode OrderedWriter.flushed} before exit keeps the end of
 * a long output from being lost (a process that exits while a write is
 * pending loses it).
 *
 * @module
 */

import { type ByteWriter, writeAll } from "../stream/connection_io.ts";

const encoder = new TextEncoder();

/**
 * An ordered queue of writes to one stream. A write that fails (the terminal
 * is gone) ends the queue quietly: later writes are dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OrderedWriter } from "./ordered_writer.ts";
 * const chunks: string[] = [];
 * const writer = new OrderedWriter({
 *   write(bytes) {
 *     chunks.push(new TextDecoder().decode(bytes));
 *     return Promise.resolve(bytes.length);
 *   },
 * });
 * writer.write("one ");
 * writer.write(new TextEncoder().encode("two"));
 * await writer.flushed();
 * assert.equal(chunks.join(""), "one two");
 * ```
 */
export class OrderedWriter {
  readonly #output: ByteWriter;
  /** Settles when every write queued so far is done. */
  #tail: Promise<void> = Promise.resolve();
  #broken = false;

  /**
   * Writes to `output`.
   *
   * @param output Where the bytes go, such as `Deno.stdout`.
   */
  constructor(output: ByteWriter) {
    this.#output = output;
  }

  /** Whether a write failed; nothing more is written then. */
  get broken(): boolean {
    return this.#broken;
  }

  /**
   * Queues text or bytes after every earlier write.
   *
   * @param data Text (written as UTF-8) or bytes, which must not change until written.
   * @returns Settles when this write is done (or dropped); never rejects.
   */
  write(data: string | Uint8Array): Promise<void> {
    if (data.length === 0 || this.#broken) return this.#tail;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    this.#tail = this.#tail.then(async () => {
      if (this.#broken) return;
      try {
        await writeAll(this.#output, bytes);
      } catch {
        this.#broken = true;
      }
    });
    return this.#tail;
  }

  /**
   * Waits for every write queued so far.
   *
   * @returns Settles when they are done; never rejects.
   */
  flushed(): Promise<void> {
    return this.#tail;
  }
}
