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

import { BufferPool } from "../stream/buffer_pool.ts";
import type { ByteWriter } from "../stream/connection_io.ts";

/** Options for {@linkcode Outbox}. */
export interface OutboxOptions {
  /** Bytes queued and not yet written past which the outbox overflows (`--max-backlog`). */
  maxBytes: number;
  /**
   * Called once when the backlog would pass `maxBytes` (a frame larger than
   * that is still taken when nothing is queued); the frame is not queued.
   */
  onOverflow: () => void;
  /**
   * Called after each write with the bytes written (for counters and
   * `--trace`); they may be reused once it returns, so it must not keep them.
   */
  onWritten?: (bytes: Uint8Array) => void;
  /** Starts the writes of frames pushed as notices; without it they start at once. */
  laterStarts?: LaterStarts;
}

/**
 * Buffers that batches are joined in, shared by every outbox: each is lent
 * to one write and given back when that write is done. A new buffer per
 * batch (by our count some 200 MB a second with 100 clients under load) made
 * V8 run a full GC every 40 to 50 ms: p99 up to 15 ms; reused, 3 ms.
 */
const batchBuffers = new BufferPool(8192, 128);

/**
 * Most bytes joined into one write: one pooled buffer (a larger frame goes
 * alone, as it is). Batches of up to 64 KiB, made for the purpose, cost
 * 4,000 joining clients 27 KiB each instead of 16: each member's notices
 * waiting their turn outgrew 8 KiB. Chat throughput and a flood's speed
 * through the room were the same with either.
 */
const MAX_BATCH_BYTES = batchBuffers.size;

/**
 * A bounded queue of frames (whole lines) written in order to `output`.
 *
 * A broadcast to a thousand members starts up to a thousand writes, so the
 * loop makes as little garbage per write as it can: no async function and
 * no promise of its own per write, only the write's own (a fan-out that left
 * promises behind grew the heap by tens of KiB per member).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Outbox } from "./outbox.ts";
 * const written: string[] = [];
 * const output = {
 *   write(bytes: Uint8Array) {
 *     written.push(new TextDecoder().decode(bytes));
 *     return Promise.resolve(bytes.length);
 *   },
 * };
 * const outbox = new Outbox(output, { maxBytes: 100, onOverflow: () => {} });
 * outbox.push(new TextEncoder().encode("one\n"));
 * outbox.push(new TextEncoder().encode("two\n"));
 * await outbox.drained();
 * assert.equal(written.join(""), "one\ntwo\n");
 * ```
 */
export class Outbox {
  readonly #output: ByteWriter;
  readonly #maxBytes: number;
  readonly #onOverflow: () => void;
  readonly #onWritten: ((bytes: Uint8Array) => void) | undefined;
  /** Frames not yet handed to a write. Shared with other outboxes: never changed. */
  #frames: Uint8Array[] = [];
  /**
   * Notices (frames pushed with `notice`) not yet handed to a write, all newer than `#frames`:
   * the part of the shared notice list from `#firstNotice` to `#lastNotice`.
   */
  #firstNotice: Notice | null = null;
  #lastNotice: Notice | null = null;
  /** Bytes queued or being written. */
  #bytes = 0;
  /** What the write in flight is writing, or null when none is. */
  #writing: Uint8Array | null = null;
  /** How much of `#writing` is written. */
  #done = 0;
  /** The pooled buffer `#writing` is a view of, given back once its write is done. */
  #lent: Uint8Array | null = null;
  /** Settles when the queue is empty; made only when someone waits. */
  #drained: PromiseWithResolvers<void> | null = null;
  #closed = false;
  /** Frames wait for a write to be started (at the end of this turn, or by `#laterStarts`). */
  #waiting = false;
  /** This outbox's write starts at the end of this turn. */
  #startsThisTurn = false;
  readonly #laterStarts: LaterStarts | undefined;
  // Made once, not per write.
  readonly #afterWrite = (count: number) => this.#wrote(count);
  readonly #failed = () => this.close();

  /**
   * Creates an empty outbox.
   *
   * @param output The connection; writes go to it one at a time.
   * @param options The limit, what to do past it, and a hook per write.
   */
  constructor(output: ByteWriter, options: OutboxOptions) {
    this.#output = output;
    this.#maxBytes = options.maxBytes;
    this.#onOverflow = options.onOverflow;
    this.#onWritten = options.onWritten;
    this.#laterStarts = options.laterStarts;
  }

  /**
   * Queues a frame; unless a write is in flight, starts one once the code
   * running now has finished. Never waits.
   *
   * @param frame Whole lines; may be shared with other outboxes, so it is never changed.
   * @param notice The frame is a notice: it may wait for the next {@linkcode LaterStarts} round.
   *   Such a frame, pushed to one outbox after another (a fan-out), is kept
   *   once, in the list of notices they share.
   */
  push(frame: Uint8Array, notice = false): void {
    if (this.#closed || frame.length === 0) return;
    // One frame always fits an empty outbox: the welcome and history may be larger than the limit.
    if (this.#bytes > 0 && this.#bytes + frame.length > this.#maxBytes) {
      this.close();
      this.#onOverflow();
      return;
    }
    this.#bytes += frame.length;
    const later = notice ? this.#laterStarts : undefined;
    if (later !== undefined) this.#follow(later.noticeOf(frame));
    else {
      if (this.#firstNotice !== null) this.#framesFromNotices();
      this.#frames.push(frame);
    }
    if (this.#writing !== null || this.#startsThisTurn) return;
    if (later !== undefined) {
      if (!this.#waiting) later.add(this);
      this.#waiting = true;
    } else {
      this.#waiting = true;
      this.#startsThisTurn = true;
      startAtEndOfTurn(this);
    }
  }

  /** Starts writing the frames whose write was put off (its schedulers call it). */
  startWaiting(): void {
    this.#startsThisTurn = false;
    if (this.#writing === null && this.#waiting) this.#writeNext();
  }

  /**
   * Waits until everything queued so far is written, or the outbox is closed.
   *
   * @returns Settles then; never rejects.
   */
  drained(): Promise<void> {
    if (this.#writing === null && !this.#waiting) return Promise.resolve();
    return (this.#drained ??= Promise.withResolvers<void>()).promise;
  }

  /** Drops what is queued and takes nothing more (the member left). */
  close(): void {
    this.#closed = true;
    this.#frames = [];
    this.#firstNotice = this.#lastNotice = null;
    this.#bytes = 0;
    this.#writing = null;
    this.#lent = null; // a write may still be reading it: never reused
    this.#settle();
  }

  #writeNext(): void {
    this.#waiting = false;
    if (this.#closed || (this.#frames.length === 0 && this.#firstNotice === null)) {
      this.#writing = null;
      return this.#settle();
    }
    this.#writing = this.#takeBatch();
    this.#done = 0;
    this.#output.write(this.#writing).then(this.#afterWrite, this.#failed);
  }

  #wrote(count: number): void {
    const batch = this.#writing;
    if (batch === null) return; // closed meanwhile
    this.#done += count;
    if (this.#done < batch.length) {
      // A partial write: the rest, before anything else.
      this.#output.write(batch.subarray(this.#done)).then(this.#afterWrite, this.#failed);
      return;
    }
    this.#bytes -= batch.length;
    this.#onWritten?.(batch);
    this.#giveBack();
    this.#writeNext();
  }

  /**
   * Takes a notice this outbox is sent. The notices it holds must be
   * consecutive in the shared list; after a gap (one it was not sent), those
   * it holds move to `#frames` and the list starts again here.
   */
  #follow(notice: Notice): void {
    if (this.#lastNotice === null) this.#firstNotice = notice;
    else if (this.#lastNotice.next !== notice) {
      this.#framesFromNotices();
      this.#firstNotice = notice;
    }
    this.#lastNotice = notice;
  }

  /** Moves the notices held to the end of `#frames` (a frame that is not a notice comes after them). */
  #framesFromNotices(): void {
    for (let notice = this.#firstNotice; notice !== null; notice = notice.next) {
      this.#frames.push(notice.frame);
      if (notice === this.#lastNotice) break;
    }
    this.#firstNotice = this.#lastNotice = null;
  }

  /**
   * The next write: the first frame alone, or several joined up to
   * MAX_BATCH_BYTES; `#frames` first, then the notices.
   */
  #takeBatch(): Uint8Array {
    const frames = this.#frames;
    let count = 0;
    let size = 0;
    while (
      count < frames.length && (count === 0 || size + frames[count]!.length <= MAX_BATCH_BYTES)
    ) {
      size += frames[count++]!.length;
    }
    let notices = 0;
    let notice = count === frames.length ? this.#firstNotice : null;
    while (
      notice !== null && (count + notices === 0 || size + notice.frame.length <= MAX_BATCH_BYTES)
    ) {
      size += notice.frame.length;
      notices++;
      notice = notice === this.#lastNotice ? null : notice.next;
    }
    if (count + notices === 1) return count === 1 ? frames.shift()! : this.#shiftNotice();
    const batch = this.#borrow().subarray(0, size);
    let at = 0;
    for (let i = 0; i < count; i++) {
      batch.set(frames[i]!, at);
      at += frames[i]!.length;
    }
    // Not splice(): it returns the frames taken as a new array, garbage on every write.
    if (count === frames.length) frames.length = 0;
    else frames.splice(0, count);
    for (; notices > 0; notices--) {
      const frame = this.#shiftNotice();
      batch.set(frame, at);
      at += frame.length;
    }
    return batch;
  }

  /** Takes the oldest notice held (there is one). */
  #shiftNotice(): Uint8Array {
    const first = this.#firstNotice!;
    if (first === this.#lastNotice) this.#firstNotice = this.#lastNotice = null;
    else this.#firstNotice = first.next;
    return first.frame;
  }

  /** A pooled buffer for the next write. */
  #borrow(): Uint8Array {
    return this.#lent = batchBuffers.take();
  }

  /** The write is done: its buffer, if pooled, may be lent again. */
  #giveBack(): void {
    if (this.#lent === null) return;
    batchBuffers.give(this.#lent);
    this.#lent = null;
  }

  #settle(): void {
    const drained = this.#drained;
    this.#drained = null;
    drained?.resolve();
  }
}

/** Outboxes whose write starts once the code running now is done (see `startAtEndOfTurn()`). */
let startingAtEndOfTurn: Outbox[] = [];

/**
 * Starts an outbox's write after the microtasks already queued: the reads
 * that completed together (each a talker's lines for many receivers) are all
 * handled first, so a receiver gets one write for all of them instead of one
 * for the first and a second for the rest (measured: 1.5x the deliveries a
 * second with 10 and 100 clients, and a lower p99). A microtask, not a timer:
 * nothing waits for another turn of the event loop.
 */
function startAtEndOfTurn(outbox: Outbox): void {
  if (startingAtEndOfTurn.push(outbox) === 1) queueMicrotask(startAllAtEndOfTurn);
}

function startAllAtEndOfTurn(): void {
  const outboxes = startingAtEndOfTurn;
  startingAtEndOfTurn = [];
  for (const outbox of outboxes) outbox.startWaiting();
}

/**
 * A notice in the list all outboxes share: a join in a room of a thousand is
 * one entry here, not a thousand entries in a thousand queues (which grew
 * and were thrown away on every write: a third of what 1,000 joins
 * allocated). Nobody keeps the start of the list: an entry goes to the GC
 * once no outbox holds it.
 */
export interface Notice {
  /** The notice's bytes, as pushed (shared, never changed). */
  readonly frame: Uint8Array;
  /** The next notice; null until there is one. */
  next: Notice | null;
}

/** How long notices may wait to be written together. */
export const LATER_START_MS = 2;

/** Most notice writes started in one turn of the event loop; the rest wait for the next turns. */
export const LATER_STARTS_PER_TURN = 32;

/** Options for {@linkcode LaterStarts}. */
export interface LaterStartsOptions {
  /**
   * Most writes started in one turn of the event loop.
   *
   * @default {LATER_STARTS_PER_TURN}
   */
  perTurn?: number;
}

/**
 * Starts, a moment later and a few at a time, the writes of outboxes whose
 * frames may wait (notices). When a thousand members are present, every
 * join is a notice to each of them. Joins that come close together then
 * cost each member one write instead of one each, and no join starts a
 * thousand writes at once: the outboxes take turns, `perTurn` of them per
 * turn of the event loop, and notices pile up in those still waiting.
 * Measured with 1,000 joins: 31 KiB per member instead of 46 (each write in
 * flight holds a promise and a buffer, and a GC in the middle of a burst of a
 * thousand keeps them all and grows the heap), and the joins done in 0.4 s
 * instead of 2.8. Lines people say never wait here. One per server; close it
 * when the server stops, so no timer outlives it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LaterStarts, Outbox } from "./outbox.ts";
 * const writes: number[] = [];
 * const output = { write: (b: Uint8Array) => (writes.push(b.length), Promise.resolve(b.length)) };
 * const later = new LaterStarts();
 * const outbox = new Outbox(output, { maxBytes: 1000, onOverflow() {}, laterStarts: later });
 * outbox.push(new TextEncoder().encode("*** a joined\n"), true);
 * outbox.push(new TextEncoder().encode("*** b joined\n"), true);
 * assert.equal(writes.length, 0); // not yet
 * await outbox.drained();
 * assert.deepEqual(writes, [26]); // both in one write
 * later.close();
 * ```
 */
export class LaterStarts {
  readonly #perTurn: number;
  /** Outboxes in the order they asked; those before `#next` are started. */
  #waiting: Outbox[] = [];
  #next = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The newest notice of the shared list. */
  #newest: Notice | null = null;

  /**
   * Creates an empty schedule.
   *
   * @param options See {@linkcode LaterStartsOptions}.
   * @throws {RangeError} If `perTurn` is not a whole number of 1 or more.
   */
  constructor(options: LaterStartsOptions = {}) {
    const perTurn = options.perTurn ?? LATER_STARTS_PER_TURN;
    if (!Number.isInteger(perTurn) || perTurn < 1) {
      throw new RangeError(`perTurn must be a whole number of 1 or more, got ${perTurn}`);
    }
    this.#perTurn = perTurn;
  }

  /**
   * The notice of a frame pushed with `notice`: a fan-out pushes the same frame
   * to each outbox in turn, and they all share one entry.
   *
   * @param frame The notice's bytes.
   * @returns The newest entry of the shared list, made for this frame if it is not.
   */
  noticeOf(frame: Uint8Array): Notice {
    const newest = this.#newest;
    if (newest !== null && newest.frame === frame) return newest;
    const notice: Notice = { frame, next: null };
    if (newest !== null) newest.next = notice;
    return this.#newest = notice;
  }

  /**
   * Adds an outbox to the next round.
   *
   * @param outbox An outbox with frames that may wait.
   */
  add(outbox: Outbox): void {
    this.#waiting.push(outbox);
    this.#timer ??= setTimeout(() => this.#startSome(), LATER_START_MS);
  }

  /** Starts every waiting outbox now and stops the timer. */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#start(this.#waiting.length);
  }

  /** Starts the next `perTurn` outboxes; the rest wait for a later turn (a timer, not a microtask). */
  #startSome(): void {
    this.#timer = undefined;
    this.#start(this.#perTurn);
    if (this.#next < this.#waiting.length) this.#timer = setTimeout(() => this.#startSome(), 0);
  }

  #start(count: number): void {
    const waiting = this.#waiting;
    const end = Math.min(this.#next + count, waiting.length);
    // A copy of the turn's share: the queue may grow while its writes start.
    const due = waiting.slice(this.#next, end);
    this.#next = end;
    if (end === waiting.length) {
      this.#waiting = [];
      this.#next = 0;
    }
    for (const outbox of due) outbox.startWaiting();
  }
}
