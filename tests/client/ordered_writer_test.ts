/**
 * Tests for lib/client/ordered_writer.ts: writes go out one at a time in the order
 * they were queued, whole even when the stream takes a few bytes per call, and
 * a stream that fails ends the queue quietly: nothing rejects, later writes
 * are dropped, `broken` says so.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { ByteWriter } from "../../lib/stream/connection_io.ts";
import { OrderedWriter } from "../../lib/client/ordered_writer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A write the test completes by hand. */
interface PendingWrite {
  readonly text: string;
  /** Finishes it, taking `count` bytes (default all). */
  complete(count?: number): void;
  fail(error: Error): void;
}

/**
 * A stream whose writes stay pending until the test completes them, and
 * that counts how many are pending at once (an ordered writer has at most one).
 */
class HandDrivenWriter implements ByteWriter {
  readonly writes: PendingWrite[] = [];
  pending = 0;
  mostPending = 0;
  #nextWrite = Promise.withResolvers<PendingWrite>();
  /** Writes already handed to the test by nextWrite(). */
  #taken = 0;

  write(bytes: Uint8Array): Promise<number> {
    const done = Promise.withResolvers<number>();
    this.pending++;
    this.mostPending = Math.max(this.mostPending, this.pending);
    const write: PendingWrite = {
      text: decoder.decode(bytes),
      complete: (count = bytes.length) => {
        this.pending--;
        done.resolve(count);
      },
      fail: (error) => {
        this.pending--;
        done.reject(error);
      },
    };
    this.writes.push(write);
    this.#nextWrite.resolve(write);
    this.#nextWrite = Promise.withResolvers();
    return done.promise;
  }

  /** Resolves with the next write the queue starts (or the one already started and not yet taken). */
  nextWrite(): Promise<PendingWrite> {
    const started = this.writes[this.#taken];
    if (started !== undefined) {
      this.#taken++;
      return Promise.resolve(started);
    }
    return this.#nextWrite.promise.then((write) => {
      this.#taken++;
      return write;
    });
  }
}

/** A stream that takes at most `most` bytes per call, at once, and records them. */
function trickleWriter(most: number): ByteWriter & { bytes: number[]; calls: number } {
  const writer = {
    bytes: [] as number[],
    calls: 0,
    write(bytes: Uint8Array): Promise<number> {
      writer.calls++;
      const taken = bytes.subarray(0, Math.min(most, bytes.length));
      writer.bytes.push(...taken);
      return Promise.resolve(taken.length);
    },
  };
  return writer;
}

Deno.test("OrderedWriter.write() writes strings and bytes in the order they were queued", async () => {
  const stream = trickleWriter(Infinity);
  const writer = new OrderedWriter(stream);
  writer.write("one ");
  writer.write(encoder.encode("two "));
  writer.write("好男孩 ");
  writer.write(encoder.encode("😀"));
  await writer.flushed();
  assert.equal(decoder.decode(new Uint8Array(stream.bytes)), "one two 好男孩 😀");
  assert.equal(writer.broken, false);
});

Deno.test("OrderedWriter.write() starts a write only when the one before it is done", async () => {
  const stream = new HandDrivenWriter();
  const writer = new OrderedWriter(stream);
  const first = writer.write("first");
  writer.write("second");
  writer.write(encoder.encode("third"));
  const flushed = writer.flushed();
  let flushedYet = false;
  void flushed.then(() => flushedYet = true);

  (await stream.nextWrite()).complete();
  await first; // settles with its own write, while the others wait
  const second = await stream.nextWrite();
  assert.equal(second.text, "second");
  assert.equal(stream.writes.length, 2, "the third waits for the second");
  second.complete();
  const third = await stream.nextWrite();
  assert.equal(third.text, "third");
  assert.equal(flushedYet, false, "flushed() waits for the last write");
  third.complete();
  await flushed;
  assert.equal(stream.mostPending, 1);
  assert.deepEqual(stream.writes.map((write) => write.text), ["first", "second", "third"]);
});

Deno.test("OrderedWriter.write() finishes a write the stream takes a few bytes at a time", async () => {
  const stream = trickleWriter(3);
  const writer = new OrderedWriter(stream);
  const text = "good boy 好男孩 😀 ".repeat(20);
  writer.write(text);
  writer.write(encoder.encode("|end"));
  await writer.flushed();
  assert.equal(decoder.decode(new Uint8Array(stream.bytes)), text + "|end");
  assert(stream.calls > 100);
});

Deno.test("OrderedWriter.write() keeps the rest of a partial write before the next write", async () => {
  const stream = new HandDrivenWriter();
  const writer = new OrderedWriter(stream);
  writer.write("abcdef");
  writer.write("gh");
  (await stream.nextWrite()).complete(2); // took "ab"
  const rest = await stream.nextWrite();
  assert.equal(rest.text, "cdef");
  rest.complete(4);
  const next = await stream.nextWrite();
  assert.equal(next.text, "gh");
  next.complete();
  await writer.flushed();
});

Deno.test("OrderedWriter.write() of nothing writes nothing", async () => {
  const stream = trickleWriter(Infinity);
  const writer = new OrderedWriter(stream);
  await writer.write("");
  await writer.write(new Uint8Array(0));
  await writer.flushed();
  assert.equal(stream.calls, 0);
});

Deno.test("OrderedWriter.write() after a failed write drops it and sets broken", async () => {
  const stream = new HandDrivenWriter();
  const writer = new OrderedWriter(stream);
  const failing = writer.write("one");
  const queued = writer.write("two");
  (await stream.nextWrite()).fail(new Deno.errors.BrokenPipe("gone"));
  await failing; // resolves: never rejects
  await queued;
  assert.equal(writer.broken, true);
  await writer.write("three");
  await writer.flushed();
  assert.deepEqual(stream.writes.map((write) => write.text), ["one"]);
});

Deno.test("OrderedWriter.broken is false until a write fails", async () => {
  const stream = new HandDrivenWriter();
  const writer = new OrderedWriter(stream);
  writer.write("one");
  const write = await stream.nextWrite();
  assert.equal(writer.broken, false);
  write.fail(new Error("gone"));
  await writer.flushed();
  assert.equal(writer.broken, true);
});

Deno.test("OrderedWriter.flushed() resolves when the stream throws, even synchronously", async () => {
  let calls = 0;
  const writer = new OrderedWriter({
    write(): Promise<number> {
      calls++;
      throw new Deno.errors.BadResource("closed");
    },
  });
  writer.write("a");
  writer.write("b");
  await writer.flushed();
  assert.equal(writer.broken, true);
  assert.equal(calls, 1);
});

Deno.test("OrderedWriter.flushed() with nothing queued resolves", async () => {
  await new OrderedWriter(trickleWriter(1)).flushed();
});

Deno.test("OrderedWriter.flushed() never rejects, whichever write fails", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 }),
      fc.nat(),
      fc.integer({ min: 1, max: 4 }),
      async (texts, failAt, most) => {
        let call = 0;
        const written: string[] = [];
        const writer = new OrderedWriter({
          write(bytes) {
            if (call++ === failAt % (texts.length + 2)) {
              return Promise.reject(new Deno.errors.ConnectionReset("reset"));
            }
            const taken = bytes.subarray(0, Math.min(most, bytes.length));
            written.push(decoder.decode(taken, { stream: true }));
            return Promise.resolve(taken.length);
          },
        });
        const results = texts.map((text) => writer.write(text));
        await Promise.all(results);
        await writer.flushed();
        // what was written before the failure is a prefix of the whole, in order
        assert(texts.join("").startsWith(written.join("")));
        if (!writer.broken) assert.equal(written.join(""), texts.join(""));
      },
    ),
  );
});
