/**
 * A connection's outgoing queue in chat mode: bounded, ordered, and never
 * awaited by whoever adds to it. A broadcast encodes a line once and adds the
 * same bytes to every member's outbox; each outbox writes on its own, so a
 * member that does not read holds up nobody but itself, and one whose backlog
 * passes the limit is dropped instead of growing without bound.
 *
 * Lines that pile up while a write is in flight go out together in the next
 * write: under load a receiver gets one write per batch, not one per line
 * (batching per receiver is what makes a chat server fast, more than the
 * language it is written in).
 *
 * @module
 */

/** Options for {@linkcode Outbox}. */
export interface OutboxOptions {
  /**
   * Bytes queued and not yet written past which the outbox overflows.
   *
   * @default {1048576}
   */
  maxBytes?: number;
  /**
   * Called once when the backlog would pass `maxBytes` (a frame larger than
   * that is still taken when nothing is queued); the frame is not queued.
   */
  onOverflow: () => void;
}

/** Most bytes joined into one write; more frames wait for the next write. */
const MAX_BATCH_BYTES = 65536;

/**
 * A bounded queue of frames (whole lines) written in order by `write`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Outbox } from "./outbox.ts";
 * const written: string[] = [];
 * const outbox = new Outbox(async (bytes) => {
 *   written.push(new TextDecoder().decode(bytes));
 * }, { maxBytes: 100, onOverflow: () => {} });
 * outbox.push(new TextEncoder().encode("one\n"));
 * outbox.push(new TextEncoder().encode("two\n"));
 * await outbox.drained();
 * assert.equal(written.join(""), "one\ntwo\n");
 * ```
 */
export class Outbox {
  readonly #write: (bytes: Uint8Array) => Promise<void>;
  readonly #maxBytes: number;
  readonly #onOverflow: () => void;
  /** Frames not yet handed to `write`. Shared with other outboxes: never changed. */
  #frames: Uint8Array[] = [];
  /** Bytes queued or being written. */
  #bytes = 0;
  /** Settles when the queue is empty; only while a write loop runs. */
  #drained: PromiseWithResolvers<void> | null = null;
  #closed = false;

  /**
   * Creates an empty outbox.
   *
   * @param write Writes all of the bytes (a session's serialised write).
   * @param options The limit and what to do past it.
   */
  constructor(write: (bytes: Uint8Array) => Promise<void>, options: OutboxOptions) {
    this.#write = write;
    this.#maxBytes = options.maxBytes ?? 1048576;
    this.#onOverflow = options.onOverflow;
  }

  /** Bytes queued or being written. */
  get backlog(): number {
    return this.#bytes;
  }

  /**
   * Queues a frame; starts writing if nothing is being written. Never waits.
   *
   * @param frame Whole lines; may be shared with other outboxes, so it is never changed.
   */
  push(frame: Uint8Array): void {
    if (this.#closed || frame.length === 0) return;
    // One frame always fits an empty outbox: the welcome and history may be larger than the limit.
    if (this.#bytes > 0 && this.#bytes + frame.length > this.#maxBytes) {
      this.close();
      this.#onOverflow();
      return;
    }
    this.#frames.push(frame);
    this.#bytes += frame.length;
    if (this.#drained === null) void this.#writeAll();
  }

  /**
   * Waits until everything queued so far is written, or the outbox is closed.
   *
   * @returns Settles then; never rejects.
   */
  drained(): Promise<void> {
    return this.#drained?.promise ?? Promise.resolve();
  }

  /** Drops what is queued and takes nothing more (the member left). */
  close(): void {
    this.#closed = true;
    this.#frames = [];
    this.#finish();
  }

  async #writeAll(): Promise<void> {
    this.#drained = Promise.withResolvers<void>();
    try {
      while (this.#frames.length > 0 && !this.#closed) {
        const batch = this.#takeBatch();
        await this.#write(batch);
        this.#bytes -= batch.length;
      }
    } catch {
      // the connection failed: its session reports that; nothing more can go out
      this.close();
    }
    this.#finish();
  }

  /** The next write: the first frame alone, or several joined up to MAX_BATCH_BYTES. */
  #takeBatch(): Uint8Array {
    const frames = this.#frames;
    let count = 1;
    let size = frames[0]!.length;
    while (count < frames.length && size + frames[count]!.length <= MAX_BATCH_BYTES) {
      size += frames[count]!.length;
      count++;
    }
    if (count === 1) return frames.shift()!;
    const batch = new Uint8Array(size);
    let at = 0;
    for (const frame of frames.splice(0, count)) {
      batch.set(frame, at);
      at += frame.length;
    }
    return batch;
  }

  #finish(): void {
    if (this.#frames.length > 0 && !this.#closed) return;
    if (this.#closed) this.#bytes = 0;
    const drained = this.#drained;
    this.#drained = null;
    drained?.resolve();
  }
}
