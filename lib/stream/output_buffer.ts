/**
 * Collecting the replies of one read so they go out in one write, in a
 * buffer a busy connection reuses and a quiet one gives back.
 *
 * @module
 */

import { BufferPool } from "./buffer_pool.ts";

/** Where an output buffer starts; grown by doubling. */
const INITIAL_OUTPUT_BYTES = 128;
/**
 * Buffers of the starting size, shared by every connection: replies that fit
 * (a ping, a typed line) are written from one that is then given back, so a
 * quiet connection holds none and a ping-pong makes no buffer per reply (in
 * a profile of ping-pong, making it was most of the 5% spent rendering).
 */
const smallBuffers = new BufferPool(INITIAL_OUTPUT_BYTES, 256);
/** Pieces up to this size are copied byte by byte rather than with `set()`. */
const SMALL_COPY_BYTES = 64;
/** An output buffer larger than this is not kept between writes. */
const KEEP_OUTPUT_BYTES = 65536;
/**
 * An output buffer is kept between writes only when a write was at least this
 * large: a connection that sends little (a person typing, a ping-pong) holds
 * none while it waits, one that streams replies reuses one buffer.
 */
const KEEP_AFTER_WRITE_BYTES = 512;

/**
 * Collects the bytes of several replies so one read's replies go out in one
 * write. `take()` lends the bytes to the write; anything appended before
 * `release()` goes to a fresh buffer, so a pending write never sees its bytes
 * change, and a connection that is busy reuses one buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OutputBuffer } from "./output_buffer.ts";
 * const out = new OutputBuffer();
 * out.append(new Uint8Array([1, 2]));
 * out.append(new Uint8Array([3]));
 * const taken = out.take();
 * assert.equal(taken.join(), "1,2,3");
 * assert.equal(out.length, 0);
 * out.release(taken); // written: the buffer can be filled again
 * ```
 */
export class OutputBuffer {
  #bytes: Uint8Array | null = null;
  #length = 0;
  /** Whether `#bytes` is lent to a write that has not finished. */
  #lent = false;

  /** Bytes collected and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /**
   * Copies `bytes` in.
   *
   * @param bytes Bytes to send later; may be a view of a buffer that will be reused.
   */
  append(bytes: Uint8Array): void {
    this.appendRange(bytes, 0, bytes.length);
  }

  /**
   * Copies `source[start..end)` in, without making a view of it.
   *
   * @param source Holds the bytes; may be a buffer that will be reused.
   * @param start First byte.
   * @param end After the last byte.
   */
  appendRange(source: Uint8Array, start: number, end: number): void {
    if (this.#lent) {
      this.#bytes = null;
      this.#lent = false;
    }
    const at = this.#length;
    const needed = at + end - start;
    let bytes = this.#bytes;
    if (bytes === null && needed <= INITIAL_OUTPUT_BYTES) {
      this.#bytes = bytes = smallBuffers.take();
    } else if (bytes === null || bytes.length < needed) {
      let size = Math.max(bytes?.length ?? INITIAL_OUTPUT_BYTES, INITIAL_OUTPUT_BYTES);
      while (size < needed) size *= 2;
      const grown = new Uint8Array(size);
      if (bytes !== null) {
        grown.set(bytes.subarray(0, at));
        smallBuffers.give(bytes); // not lent (see above): nothing else reads it
      }
      this.#bytes = bytes = grown;
    }
    if (end - start <= SMALL_COPY_BYTES) {
      // A short loop beats creating a view for set() on the short pieces of a reply.
      for (let i = start, j = at; i < end; i++, j++) bytes[j] = source[i]!;
    } else {
      bytes.set(source.subarray(start, end), at);
    }
    this.#length = needed;
  }

  /**
   * Lends out what was collected and starts empty.
   *
   * @returns The bytes; they stay unchanged until passed to `release()`.
   */
  take(): Uint8Array {
    const taken = this.#bytes?.subarray(0, this.#length) ?? new Uint8Array(0);
    this.#lent = this.#bytes !== null;
    this.#length = 0;
    return taken;
  }

  /**
   * Says the write of `taken` is done, so its buffer can be filled again. The
   * buffer is kept only for a connection that sends much (a large write) and
   * only up to a size, so a quiet connection holds none.
   *
   * @param taken What `take()` returned; anything else is ignored.
   */
  release(taken: Uint8Array): void {
    const bytes = this.#bytes;
    if (!this.#lent || bytes === null || taken.buffer !== bytes.buffer) return;
    this.#lent = false;
    if (taken.length < KEEP_AFTER_WRITE_BYTES || bytes.length > KEEP_OUTPUT_BYTES) {
      this.#bytes = null;
      smallBuffers.give(bytes); // kept for the next small replies if it is one of theirs
    }
  }
}
