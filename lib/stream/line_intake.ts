/**
 * How reply mode and chat mode take lines in, the same for both: a "\n" ends
 * a line (a "\r" before it is dropped), `--max-line` bounds it, and text
 * that comes without "\n" counts as a line once the client has been quiet
 * for {@linkcode IDLE_FLUSH_MS} (so the tutorial's client, which sends no
 * newline, is answered), unless `--strict-lines` says to wait for the "\n".
 *
 * The bytes are framed by {@linkcode LineFramer}; this adds the idle flush,
 * turns a line that is too long into one call of the session's handler, and
 * goes on framing a read after the handler paused it
 * ({@linkcode LineIntake.resume}).
 *
 * @module
 */

import { LineFramer, LineTooLongError } from "./line_framer.ts";
import { QuietTimer } from "./quiet_timer.ts";

/**
 * How long a client must be quiet before unterminated text counts as a
 * message. Short enough to feel instant to a person, long enough that the
 * pieces of one send on a real network arrive before it.
 */
export const IDLE_FLUSH_MS = 50;

/** What a session does with what comes in. */
export interface LineHandler {
  /**
   * One line: its bytes are `source[start..end)`, valid only during the
   * call. Returning false pauses framing after it (see `LineFramer`): `push()`
   * then returns fewer bytes than it was given, and `resume()` frames the rest.
   */
  line(source: Uint8Array, start: number, end: number): boolean;
  /** The idle flush made a line of unterminated text (and `line()` had it). */
  flushed(): void;
  /** A line passed the limit; framing stops, and the session should end. */
  tooLong(maxLineBytes: number): void;
  /**
   * Whether the session still takes lines; an idle flush does nothing once
   * it does not, and `resume()` stops.
   */
  active(): boolean;
}

/** How {@linkcode LineIntake.resume} goes on after a pause. */
export interface ResumeOptions {
  /**
   * What to wait for before framing each further part: the write of the
   * replies so far (reply mode), the rate's pause (chat mode).
   */
  wait(): Promise<void> | undefined;
  /**
   * Frames one part, as `push()` does, with whatever the session does
   * around it; by default the intake's own `push()`.
   */
  push?(part: Uint8Array): number;
}

/** Options for {@linkcode LineIntake}. */
export interface LineIntakeOptions {
  /** Longest line in bytes (`--max-line`). */
  maxLineBytes: number;
  /** Only "\n" ends a line: no idle flush (`--strict-lines`). */
  strictLines: boolean;
}

/**
 * The line intake of one connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineIntake } from "./line_intake.ts";
 * const lines: string[] = [];
 * const intake = new LineIntake({
 *   line(source, start, end) {
 *     lines.push(new TextDecoder().decode(source.subarray(start, end)));
 *     return true;
 *   },
 *   flushed() {},
 *   tooLong() {},
 *   active: () => true,
 * }, { maxLineBytes: 100, strictLines: true });
 * intake.push(new TextEncoder().encode("good b"));
 * intake.push(new TextEncoder().encode("oy\r\nmore"));
 * intake.finish();
 * assert.deepEqual(lines, ["good boy", "more"]);
 * ```
 */
export class LineIntake {
  readonly #framer: LineFramer;
  readonly #handler: LineHandler;
  readonly #strictLines: boolean;
  /** Ends unterminated text once the client is quiet; made on the first such read. */
  #flushTimer: QuietTimer | undefined;
  /** When the last read that left unterminated text came (performance.now()). */
  #textAt = 0;

  /**
   * Creates the intake of one connection.
   *
   * @param handler The session's handler of lines.
   * @param options The limit, and whether lines are strict.
   */
  constructor(handler: LineHandler, options: LineIntakeOptions) {
    this.#handler = handler;
    this.#strictLines = options.strictLines;
    this.#framer = new LineFramer(
      (source, start, end) => handler.line(source, start, end),
      { maxLineBytes: options.maxLineBytes },
    );
  }

  /** Bytes of an unterminated line held. */
  get pendingBytes(): number {
    return this.#framer.pendingBytes;
  }

  /**
   * Frames the bytes of one read (or the rest of one, after a pause).
   *
   * @param chunk What was read.
   * @returns Bytes used: all of them, fewer when `line()` paused, or -1 after a line too long.
   */
  push(chunk: Uint8Array): number {
    let used: number;
    try {
      used = this.#framer.push(chunk);
    } catch (error) {
      return this.#failed(error);
    }
    if (used === chunk.length && this.#framer.pendingBytes > 0) this.#textPending();
    return used;
  }

  /**
   * Frames the rest of a read after `line()` paused framing, part by part:
   * before each part it waits for `options.wait()`, then frames as far as
   * the next pause. It stops when the read is framed, when the handler is no
   * longer `active()`, or after a line too long. The session's read loop
   * waits for it, so the client is not read meanwhile (backpressure).
   *
   * @param rest The bytes `push()` did not use (`chunk.subarray(used)`).
   * @param options What to wait for before each part, and how a part is framed.
   * @returns Settles once framing is done or stopped; rejects only if `wait()` or `push` does.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LineIntake } from "./line_intake.ts";
   * const lines: string[] = [];
   * const intake = new LineIntake({
   *   line(source, start, end) {
   *     lines.push(new TextDecoder().decode(source.subarray(start, end)));
   *     return false; // one line at a time
   *   },
   *   flushed() {},
   *   tooLong() {},
   *   active: () => true,
   * }, { maxLineBytes: 100, strictLines: true });
   * const chunk = new TextEncoder().encode("one\ntwo\nthree\n");
   * const used = intake.push(chunk);
   * assert.deepEqual(lines, ["one"]);
   * let waits = 0;
   * await intake.resume(chunk.subarray(used), { wait: () => void waits++ });
   * assert.deepEqual([lines, waits], [["one", "two", "three"], 2]);
   * ```
   */
  async resume(rest: Uint8Array, options: ResumeOptions): Promise<void> {
    for (;;) {
      await options.wait();
      if (!this.#handler.active()) return;
      const used = options.push === undefined ? this.push(rest) : options.push(rest);
      if (used < 0 || used === rest.length) return;
      rest = rest.subarray(used);
    }
  }

  /**
   * At the end of the stream: the rest is the last line.
   *
   * @returns 0, or -1 after a line too long.
   */
  finish(): number {
    try {
      this.#framer.finish();
      return 0;
    } catch (error) {
      return this.#failed(error);
    }
  }

  /** Stops the idle flush; call it when the session ends. */
  stop(): void {
    this.#flushTimer?.stop();
  }

  #failed(error: unknown): number {
    if (!(error instanceof LineTooLongError)) throw error;
    this.stop();
    this.#handler.tooLong(error.maxLineBytes);
    return -1;
  }

  /** A read left unterminated text: the idle flush ends it if the client goes quiet. */
  #textPending(): void {
    if (this.#strictLines) return; // the text waits for its "\n" or the end of the stream
    this.#textAt = performance.now();
    (this.#flushTimer ??= this.#newFlushTimer()).start();
  }

  /** Made apart from the per-read path, which then makes no closures. */
  #newFlushTimer(): QuietTimer {
    return new QuietTimer(
      IDLE_FLUSH_MS,
      () => this.#textAt,
      () => this.#flush(),
      () => this.#handler.active() && this.#framer.pendingBytes > 0,
    );
  }

  #flush(): void {
    try {
      this.#framer.flushIdle();
    } catch (error) {
      // maxLineBytes + 1 bytes held for a "\r" that did not come: one line, too long. (In a
      // timer, an error thrown here would end the whole process.)
      this.#failed(error);
      return;
    }
    this.#handler.flushed();
  }
}
