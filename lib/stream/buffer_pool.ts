/**
 * Buffers of one size, lent out and given back, so that a path run for every
 * write (chat's batches, small replies) reuses memory instead of allocating it.
 *
 * Why it matters in Deno: a `Uint8Array` of more than 64 bytes keeps its bytes
 * outside V8's heap, costs about a microsecond to make, and is given back only
 * by a GC; made at a high rate, those bytes also make V8 start full GCs (with
 * 100 chat clients under load: one every 40 to 50 ms, each holding up every
 * delivery). A buffer from a pool costs none of that.
 *
 * @module
 */

/**
 * Fixed-size buffers for reuse. `take()` lends one; `give()` returns it once
 * nothing reads or writes it any more (for a write: once the write is done,
 * never earlier). Buffers of another size are ignored by `give()`, so a
 * caller may hand back whatever it holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferPool } from "./buffer_pool.ts";
 * const pool = new BufferPool(4096, 8);
 * const buffer = pool.take();
 * assert.equal(buffer.length, 4096);
 * pool.give(buffer); // done with it
 * assert.equal(pool.take(), buffer); // lent again, not made again
 * ```
 */
export class BufferPool {
  /** Length of every buffer this pool lends. */
  readonly size: number;
  readonly #maxIdle: number;
  readonly #idle: Uint8Array[] = [];

  /**
   * Creates an empty pool.
   *
   * @param size Length of each buffer.
   * @param maxIdle Most buffers kept while nobody uses them; more are left to the GC.
   * @throws {RangeError} If `size` or `maxIdle` is not a whole number of 1 or more.
   */
  constructor(size: number, maxIdle: number) {
    for (const [name, value] of [["size", size], ["maxIdle", maxIdle]] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a whole number of 1 or more, got ${value}`);
      }
    }
    this.size = size;
    this.#maxIdle = maxIdle;
  }

  /**
   * Lends a buffer: one given back earlier, or a new one.
   *
   * @returns A buffer of `size` bytes; its contents are whatever was left in it.
   */
  take(): Uint8Array {
    return this.#idle.pop() ?? new Uint8Array(this.size);
  }

  /**
   * Takes a buffer back for the next `take()`.
   *
   * @param buffer A whole buffer from `take()`, no longer in use; one of another size is ignored.
   */
  give(buffer: Uint8Array): void {
    if (buffer.length === this.size && this.#idle.length < this.#maxIdle) this.#idle.push(buffer);
  }
}
