/**
 * Tests for lib/client/ordered_writer.ts: writes go out one at a time in the order
 * they were queued, whole even when the stream takes a few bytes per call, and
 * a stream that fails ends the queue quietly: nothing rejects, later writes
 * are dropped, `broken` says so.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { OrderedWriter } from "../../lib/client/ordered_writer.ts";
import { HandDrivenWriter, WriteRecorder } from "../support/fake_writers.ts";

const encoder = new TextEncoder();

Deno.test("OrderedWriter.write() writes strings and bytes in the order they were queued", async () => {
  const stream = new WriteRecorder();
  const writer = new OrderedWriter(stream);
  writer.write("one ");
  writer.write(encoder.encode("two "));
  writer.write("好男孩 ");
  writer.write(encoder.encode("😀"));
  await writer.flushed();
  assert.equal(stream.text, "one two 好男孩 😀");
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
  const stream = new WriteRecorder({ mostPerWrite: 3 });
  const writer = new OrderedWriter(stream);
  const text = "good boy 好男孩 😀 ".repeat(20);
  writer.write(text);
  writer.write(encoder.encode("|end"));
  await writer.flushed();
  assert.equal(stream.text, text + "|end");
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
  const stream = new WriteRecorder();
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
  // A writer of its own: this one throws from write() itself instead of rejecting,
  // which the shared fakes never do.
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
  await new OrderedWriter(new WriteRecorder({ mostPerWrite: 1 })).flushed();
});

Deno.test("OrderedWriter.flushed() never rejects, whichever write fails", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 }),
      fc.nat(),
      fc.integer({ min: 1, max: 4 }),
      async (texts, failAt, most) => {
        const stream = new WriteRecorder({
          mostPerWrite: most,
          failWith: new Deno.errors.ConnectionReset("reset"),
          failOnlyCall: failAt % (texts.length + 2),
        });
        const writer = new OrderedWriter(stream);
        const results = texts.map((text) => writer.write(text));
        await Promise.all(results);
        await writer.flushed();
        // what was written before the failure is a prefix of the whole, in order
        assert(texts.join("").startsWith(stream.text));
        if (!writer.broken) assert.equal(stream.text, texts.join(""));
      },
    ),
  );
});
