/**
 * The last lines people sent to a chat room, kept for late joiners: `[nick]
 * text` and `/me` lines as they were delivered, never notices or private
 * messages (the room decides what it hands over).
 *
 * @module
 */

const LF = 0x0a; // ends each line of a frame
const encoder = new TextEncoder();

/**
 * A bounded list of lines, the oldest dropped first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChatHistory } from "./chat_history.ts";
 * const history = new ChatHistory(2);
 * history.keep(new TextEncoder().encode("[ann] one\n[ann] two\n[bob] three\n"));
 * const text = history.lines.map((line) => new TextDecoder().decode(line));
 * assert.deepEqual(text, ["[ann] two\n", "[bob] three\n"]);
 * ```
 */
export class ChatHistory {
  /** Most lines kept; 0 keeps none. */
  readonly size: number;
  readonly #lines: Uint8Array[] = [];

  /**
   * Starts empty.
   *
   * @param size Most lines kept (`--history`); 0 keeps none.
   * @throws {RangeError} If `size` is not a whole number of 0 or more.
   */
  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`Invalid history size "${size}": expected a whole number >= 0`);
    }
    this.size = size;
  }

  /** The lines kept, oldest first, each with its "\n" (views of the frames kept: not to change). */
  get lines(): readonly Uint8Array[] {
    return this.#lines;
  }

  /**
   * Keeps each line of a frame (views, not copies).
   *
   * @param frame Whole lines as delivered; never changed afterwards.
   * @param onLine Also given each line, without its "\n" (for the bus's history).
   */
  keep(frame: Uint8Array, onLine?: (line: Uint8Array) => void): void {
    if (this.size === 0) return;
    let start = 0;
    for (let end = frame.indexOf(LF); end !== -1; end = frame.indexOf(LF, start)) {
      this.#keepLine(frame.subarray(start, end + 1));
      onLine?.(frame.subarray(start, end));
      start = end + 1;
    }
  }

  /**
   * Keeps lines given as text (the bus's history, at start).
   *
   * @param lines Lines as delivered, oldest first, without their "\n".
   */
  restore(lines: readonly string[]): void {
    for (const line of lines) this.#keepLine(encoder.encode(line + "\n"));
  }

  /** Forgets every line. */
  clear(): void {
    this.#lines.length = 0;
  }

  #keepLine(line: Uint8Array): void {
    if (this.size === 0) return;
    // NOTE: shift() moves the rest along; cheap for a few dozen lines, which is what history is for.
    if (this.#lines.push(line) > this.size) this.#lines.shift();
  }
}
