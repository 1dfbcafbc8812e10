/**
 * A fake byte reader (the `ByteReader` shape of `Deno.Conn` and `Deno.stdin`)
 * whose reads return what the test sends, one chunk a read, when the test
 * sends it.
 *
 * @module
 */

import type { ByteReader } from "../../lib/stream/connection_io.ts";

const encoder = new TextEncoder();

/**
 * Input the test feeds: each chunk sent is one read, `end()` is the end of
 * the stream, and a read waits while nothing is there, as on a socket or a
 * terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScriptedReader } from "./scripted_reader.ts";
 * const input = new ScriptedReader(["ab"], true);
 * const buffer = new Uint8Array(8);
 * assert.equal(await input.read(buffer), 2);
 * assert.equal(await input.read(buffer), null);
 * ```
 */
export class ScriptedReader implements ByteReader {
  /** Chunks not read yet; null is the end of the stream. */
  readonly #chunks: (Uint8Array | null)[] = [];
  /** A read waiting for a chunk. */
  #waiting: PromiseWithResolvers<void> | undefined;
  #closed = false;

  /**
   * @param chunks Chunks there from the start, one read each.
   * @param ended Whether the stream ends after them.
   */
  constructor(chunks: readonly (string | Uint8Array)[] = [], ended = false) {
    for (const chunk of chunks) this.send(chunk);
    if (ended) this.end();
  }

  /**
   * Gives a later read `chunk` (text as UTF-8); it must fit the reader's buffer.
   *
   * @param chunk The bytes of one read.
   */
  send(chunk: string | Uint8Array): void {
    this.#chunks.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    this.#wake();
  }

  /** Ends the stream after what was sent: from then on every read returns null. */
  end(): void {
    this.#chunks.push(null);
    this.#wake();
  }

  /**
   * The next chunk sent, waiting for it if need be.
   *
   * @param buffer Where the chunk is copied.
   * @returns Its length, or null at the end of the stream.
   * @throws {Deno.errors.BadResource} Once {@linkcode ScriptedReader.close} was called.
   */
  async read(buffer: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#closed) throw new Deno.errors.BadResource("closed");
      this.#waiting = Promise.withResolvers();
      await this.#waiting.promise;
    }
    const chunk = this.#chunks[0]!;
    if (chunk === null) return null; // stays at the end of the stream
    this.#chunks.shift();
    buffer.set(chunk);
    return chunk.length;
  }

  /** Ends a waiting read, and any later one with nothing sent, the way closing a real connection does. */
  close(): void {
    this.#closed = true;
    this.#waiting?.reject(new Deno.errors.BadResource("closed"));
    this.#waiting = undefined;
  }

  #wake(): void {
    this.#waiting?.resolve();
    this.#waiting = undefined;
  }
}
