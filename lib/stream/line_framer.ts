/**
 * Splits a TCP byte stream into messages that end at "\n", with a limit on
 * message length.
 *
 * TCP keeps no message boundaries: one `send()` may arrive in two reads and two
 * sends in one read. The framer works on bytes, so a multi-byte character split
 * between reads is simply kept until its line ends.
 *
 * @module
 */

import { DEFAULT_MAX_LINE_BYTES } from "../settings/defaults.ts";
import { incompleteTailLength } from "../text/utf8.ts";

const LF = 0x0a; // ends a message
const CR = 0x0d; // dropped when it comes just before LF ("\r\n" line ends)
const CR_ONLY = new Uint8Array([CR]);

/** Where pending bytes start before they grow: small, so idle connections stay small. */
const INITIAL_PENDING_BYTES = 256;
/** A pending buffer larger than this is released once its message is out. */
const KEEP_PENDING_BYTES = 4096;

/**
 * Index of the first "\n" at or after `from`, or -1. A plain loop, because in
 * V8 it beats `Uint8Array.prototype.indexOf`, whose fixed cost per call is
 * high: 16 lines of 64 bytes took 440 ns against 670 (Chinese text: 560
 * against 1,230), and a 64 KiB line about the same either way.
 */
function indexOfLf(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === LF) return i;
  return -1;
}

/** Options for {@linkcode LineFramer}. */
export interface LineFramerOptions {
  /**
   * Longest message in bytes, not counting the line end. A longer one makes
   * `push()` throw {@linkcode LineTooLongError}; the framer never buffers more
   * than this (plus two bytes for "\r\n").
   *
   * @default {65536}
   */
  maxLineBytes?: number;
}

/**
 * Thrown when a message grows past `maxLineBytes`. The framer does not skip to
 * the next line: the caller is expected to report it and close the connection.
 */
export class LineTooLongError extends Error {
  /** The limit that was exceeded, in bytes. */
  readonly maxLineBytes: number;

  /**
   * Creates the error.
   *
   * @param maxLineBytes The limit that was exceeded.
   */
  constructor(maxLineBytes: number) {
    super(`Message is longer than the limit of ${maxLineBytes} bytes`);
    this.name = "LineTooLongError";
    this.maxLineBytes = maxLineBytes;
  }
}

/**
 * Called once per message: its bytes are `source[start..end)`, without "\n" or
 * "\r\n". `source` is the chunk pushed or the framer's own buffer, both
 * reused: use or copy the bytes before returning. (Offsets rather than a view,
 * so the hot path allocates nothing per message.) Returning `false` (exactly) pauses
 * `push()` after this message, so a caller can send what it has so far.
 */
export type LineHandler = (source: Uint8Array, start: number, end: number) => unknown;

/**
 * Byte-level line framer: `push()` each read, get one callback per message.
 *
 * Texts do not depend on how the stream was split into reads. Two extra ways
 * to end a message exist for clients that send text without "\n" (like the
 * tutorial's client): `flushIdle()` after a quiet moment and `finish()` at end
 * of stream.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineFramer } from "./line_framer.ts";
 * const lines: string[] = [];
 * const framer = new LineFramer((source, start, end) =>
 *   lines.push(new TextDecoder().decode(source.subarray(start, end)))
 * );
 * framer.push(new TextEncoder().encode("good b"));
 * framer.push(new TextEncoder().encode("oy\r\n好男"));
 * framer.push(new TextEncoder().encode("孩\n"));
 * assert(lines.join("|") === "good boy|好男孩");
 * ```
 */
export class LineFramer {
  readonly #onLine: LineHandler;
  readonly #maxLineBytes: number;
  #pending: Uint8Array | null = null;
  #pendingLength = 0;
  /** Set by an idle flush: a line end arriving right after it belongs to the flushed message. */
  #skipLineEnd = false;
  /** A "\r" that came alone right after an idle flush: a line end if "\n" follows, else data. */
  #heldCr = false;

  /**
   * Creates a framer with nothing pending.
   *
   * @param onLine Receives each message.
   * @param options Limits; see {@linkcode LineFramerOptions}.
   * @throws {RangeError} If `maxLineBytes` is not a positive integer.
   */
  constructor(onLine: LineHandler, options: LineFramerOptions = {}) {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`Cannot create framer: maxLineBytes "${maxLineBytes}" is not >= 1`);
    }
    this.#onLine = onLine;
    this.#maxLineBytes = maxLineBytes;
  }

  /** Bytes received that do not yet form a whole message. */
  get pendingBytes(): number {
    return this.#pendingLength;
  }

  /**
   * Adds the bytes of one read and emits every message they complete, until
   * the handler returns `false`.
   *
   * @param chunk Only the bytes the read returned.
   * @returns How many bytes of `chunk` were used: all of them, or fewer when
   *   the handler paused; push the rest again to go on.
   * @throws {LineTooLongError} When a message exceeds the limit; messages before
   *   it in the same chunk have already been emitted.
   */
  push(chunk: Uint8Array): number {
    if (chunk.length === 0) return 0;
    let start = 0;
    if (this.#heldCr) {
      this.#heldCr = false;
      if (chunk[0] === LF) start = 1;
      else this.#append(CR_ONLY);
    } else if (this.#skipLineEnd) {
      this.#skipLineEnd = false;
      if (chunk[0] === LF) start = 1;
      else if (chunk[0] === CR && chunk.length === 1) {
        this.#heldCr = true; // its "\n" may come in the next read
        return 1;
      } else if (chunk[0] === CR && chunk[1] === LF) start = 2;
    }
    let lineEnd = indexOfLf(chunk, start);
    if (this.#pendingLength > 0 && lineEnd !== -1) {
      this.#append(chunk.subarray(start, lineEnd));
      const more = this.#emit(this.#pending!, 0, this.#pendingLength);
      this.#resetPending();
      start = lineEnd + 1;
      if (!more) return start;
      lineEnd = indexOfLf(chunk, start);
    }
    while (lineEnd !== -1) {
      const more = this.#emit(chunk, start, lineEnd);
      start = lineEnd + 1;
      if (!more) return start;
      lineEnd = indexOfLf(chunk, start);
    }
    if (start < chunk.length) this.#append(chunk.subarray(start));
    return chunk.length;
  }

  /**
   * Ends the pending message after a quiet moment, for clients that send text
   * without "\n". Bytes of an unfinished character and a lone trailing "\r"
   * stay pending, and a "\n" that arrives next is taken as the end of the
   * flushed message rather than as an empty message.
   *
   * @returns Whether a message was emitted.
   */
  flushIdle(): boolean {
    if (this.#pendingLength === 0) return false;
    const pending = this.#pending!.subarray(0, this.#pendingLength);
    const tailLength = incompleteTailLength(pending);
    const cut = pending.length - tailLength;
    if (cut === 0) return false;
    const tail = tailLength > 0 ? pending.slice(cut) : null;
    this.#emit(pending, 0, cut); // a trailing "\r" is dropped here, as before "\n"
    this.#resetPending();
    if (tail !== null) this.#append(tail);
    this.#skipLineEnd = tail === null;
    return true;
  }

  /**
   * Ends the stream: whatever is pending is the last message (a clean end
   * of stream with nothing pending emits nothing).
   *
   * @returns Whether a message was emitted.
   */
  finish(): boolean {
    this.#skipLineEnd = false;
    if (this.#heldCr) {
      this.#heldCr = false;
      this.#append(CR_ONLY);
    }
    if (this.#pendingLength === 0) return false;
    const pending = this.#pending!.subarray(0, this.#pendingLength);
    this.#emit(pending, 0, pending.length);
    this.#resetPending();
    return true;
  }

  #emit(source: Uint8Array, start: number, end: number): boolean {
    if (end > start && source[end - 1] === CR) end--;
    if (end - start > this.#maxLineBytes) throw new LineTooLongError(this.#maxLineBytes);
    return this.#onLine(source, start, end) !== false;
  }

  #append(bytes: Uint8Array): void {
    const needed = this.#pendingLength + bytes.length;
    // One extra byte for a "\r" that may precede the "\n".
    if (needed > this.#maxLineBytes + 1) {
      this.#resetPending();
      throw new LineTooLongError(this.#maxLineBytes);
    }
    let pending = this.#pending;
    if (pending === null || pending.length < needed) {
      let size = Math.max(pending?.length ?? INITIAL_PENDING_BYTES, INITIAL_PENDING_BYTES);
      while (size < needed) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.#maxLineBytes + 1));
      if (pending !== null) grown.set(pending.subarray(0, this.#pendingLength));
      this.#pending = pending = grown;
    }
    pending.set(bytes, this.#pendingLength);
    this.#pendingLength = needed;
  }

  #resetPending(): void {
    this.#pendingLength = 0;
    if (this.#pending !== null && this.#pending.length > KEEP_PENDING_BYTES) this.#pending = null;
  }
}
