/**
 * Fake byte writers (the `ByteWriter` shape of `Deno.Conn` and `Deno.stdout`)
 * for the unit tests of code that writes: a {@linkcode HandDrivenWriter}
 * whose writes finish only when the test says so, for queues, order and
 * backpressure; and a {@linkcode WriteRecorder} that finishes every write at
 * once and keeps what was written, optionally taking only a few bytes a call
 * or failing.
 *
 * @module
 */

import type { ByteWriter } from "../../lib/stream/connection_io.ts";
import { concatBytes } from "./bytes.ts";
import { WAIT_MS, within } from "./processes.ts";

const decoder = new TextDecoder();

/** A write the code under test started and the test has not finished yet. */
export interface PendingWrite {
  /** The bytes given to `write()`: the caller's own view, not a copy. */
  readonly bytes: Uint8Array;
  /** The bytes as UTF-8 text, read when the write started. */
  readonly text: string;
  /**
   * Finishes the write, taking `count` bytes; they are read (into
   * `HandDrivenWriter.received`) only now, as a socket may read a buffer any
   * time until its write resolves.
   *
   * @param count How many bytes the write took; all by default.
   */
  complete(count?: number): void;
  /**
   * Ends the write with an error, as a reset connection does.
   *
   * @param error What `write()` rejects with.
   */
  fail(error: Error): void;
}

/**
 * A writer whose writes stay pending until the test completes them, one by
 * one with {@linkcode HandDrivenWriter.nextWrite} or
 * {@linkcode HandDrivenWriter.completeOldest}, or all at once with
 * {@linkcode HandDrivenWriter.flow}: which write starts when is then exact,
 * where over a real socket it depends on buffer sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HandDrivenWriter } from "./fake_writers.ts";
 * const writer = new HandDrivenWriter();
 * const writing = writer.write(new TextEncoder().encode("hello\n"));
 * const write = await writer.nextWrite();
 * assert.equal(write.text, "hello\n");
 * write.complete(2); // the socket took "he"
 * assert.equal(await writing, 2);
 * assert.deepEqual(writer.received, ["he"]);
 * ```
 */
export class HandDrivenWriter implements ByteWriter {
  /** Every write started so far, in order, finished or not. */
  readonly writes: PendingWrite[] = [];
  /** The text each completed write took, in the order they completed. */
  readonly received: string[] = [];
  /** The most writes that were pending at the same time. */
  mostPending = 0;
  /** Writes not finished yet, oldest first. */
  readonly #pending: PendingWrite[] = [];
  /** How many writes nextWrite() has handed out (or promised). */
  #handedOut = 0;
  /** nextWrite() calls waiting for a write to start, by index in `writes`. */
  readonly #waiters = new Map<number, (write: PendingWrite) => void>();
  /** Set by flow(): every write completes as soon as it starts. */
  #flowing = false;

  /** How many writes are pending now. */
  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Starts a write that stays pending until the test finishes it (or at
   * once, after {@linkcode HandDrivenWriter.flow}).
   *
   * @param bytes What to write.
   * @returns How many bytes the test let the write take.
   */
  write(bytes: Uint8Array): Promise<number> {
    const done = Promise.withResolvers<number>();
    const finish = (): boolean => {
      const index = this.#pending.indexOf(write);
      if (index === -1) return false; // finished already
      this.#pending.splice(index, 1);
      return true;
    };
    const write: PendingWrite = {
      bytes,
      text: decoder.decode(bytes),
      complete: (count = bytes.length) => {
        if (!finish()) return;
        this.received.push(decoder.decode(bytes.subarray(0, count)));
        done.resolve(count);
      },
      fail: (error) => {
        if (finish()) done.reject(error);
      },
    };
    this.writes.push(write);
    this.#pending.push(write);
    this.mostPending = Math.max(this.mostPending, this.#pending.length);
    const index = this.writes.length - 1;
    this.#waiters.get(index)?.(write);
    this.#waiters.delete(index);
    if (this.#flowing) write.complete();
    return done.promise;
  }

  /**
   * The next write not handed out yet by an earlier call: one already
   * started, or else the next one to start.
   *
   * @returns The write, once it has started.
   */
  nextWrite(): Promise<PendingWrite> {
    const index = this.#handedOut++;
    const started = this.writes[index];
    if (started !== undefined) return Promise.resolve(started);
    return new Promise((resolve) => this.#waiters.set(index, resolve));
  }

  /**
   * Completes the oldest pending write, whole.
   *
   * @returns False if no write was pending.
   */
  completeOldest(): boolean {
    const oldest = this.#pending[0];
    oldest?.complete();
    return oldest !== undefined;
  }

  /**
   * Completes every pending write, and from now on each write as it starts,
   * like a pipe whose reader has come back.
   */
  flow(): void {
    this.#flowing = true;
    while (this.completeOldest()) {
      // until none is pending
    }
  }
}

/** Options for {@linkcode WriteRecorder}. */
export interface WriteRecorderOptions {
  /**
   * The most bytes one `write()` takes, as a socket with a full buffer may
   * take only part.
   *
   * @default {Infinity}
   */
  mostPerWrite?: number;
  /** What the writes reject with (all, or the one `failOnlyCall` says); none fail when absent. */
  failWith?: Error;
  /** With `failWith`: only this call (counting from 0) fails, those before and after succeed. */
  failOnlyCall?: number;
}

/**
 * A writer that completes every write at once and keeps a copy of what each
 * took; the test reads it as bytes or text, or waits for some text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WriteRecorder } from "./fake_writers.ts";
 * const recorder = new WriteRecorder({ mostPerWrite: 3 });
 * assert.equal(await recorder.write(new TextEncoder().encode("hello")), 3);
 * assert.deepEqual(recorder.texts, ["hel"]);
 * assert.equal(recorder.calls, 1);
 * ```
 */
export class WriteRecorder implements ByteWriter {
  /** What each successful write took (copies), in order. */
  readonly writes: Uint8Array[] = [];
  /** How many times `write()` was called, failed calls included. */
  calls = 0;
  readonly #options: WriteRecorderOptions;
  #changed = Promise.withResolvers<void>();

  /** @param options A limit per write, a failure. */
  constructor(options: WriteRecorderOptions = {}) {
    this.#options = options;
  }

  /**
   * Takes up to `mostPerWrite` bytes of `bytes`, or rejects with `failWith`.
   *
   * @param bytes What to write.
   * @returns How many bytes were taken.
   */
  write(bytes: Uint8Array): Promise<number> {
    const call = this.calls++;
    const { failWith, failOnlyCall, mostPerWrite = Infinity } = this.#options;
    if (failWith !== undefined && (failOnlyCall === undefined || call === failOnlyCall)) {
      return Promise.reject(failWith);
    }
    const taken = bytes.slice(0, Math.min(bytes.length, mostPerWrite));
    this.writes.push(taken);
    this.#changed.resolve();
    this.#changed = Promise.withResolvers();
    return Promise.resolve(taken.length);
  }

  /** Every byte written, joined. */
  get bytes(): Uint8Array<ArrayBuffer> {
    return concatBytes(this.writes);
  }

  /** Every byte written, as UTF-8 text. */
  get text(): string {
    return decoder.decode(this.bytes);
  }

  /** Each write as text on its own (a character a partial write cut in two shows as U+FFFD). */
  get texts(): string[] {
    return this.writes.map((write) => decoder.decode(write));
  }

  /**
   * Waits until the text written contains `wanted`.
   *
   * @param wanted The text.
   * @param ms Bound on the wait.
   * @throws {Error} If it is not written within `ms`.
   */
  async waitFor(wanted: string, ms = WAIT_MS): Promise<void> {
    const search = async () => {
      while (!this.text.includes(wanted)) await this.#changed.promise;
    };
    await within(search(), ms, `output containing ${JSON.stringify(wanted)}`);
  }
}
