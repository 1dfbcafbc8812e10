/**
 * Tests for lib/log/log_sink.ts: lines are written in order without blocking,
 * a stuck output makes the sink skip and count lines instead of growing, and
 * the count is reported once the output moves again. The output is a
 * HandDrivenWriter: stuck, like a pipe nobody reads, until the test calls
 * `flow()`.
 */

import assert from "node:assert/strict";
import { LogSink } from "../../lib/log/log_sink.ts";
import { HandDrivenWriter, WriteRecorder } from "../support/fake_writers.ts";

Deno.test("LogSink.line() queues lines and writes them in order", async () => {
  const writer = new HandDrivenWriter();
  writer.flow();
  const sink = new LogSink(writer);
  for (let i = 0; i < 5; i++) sink.line(`line ${i}`);
  await sink.flush(1000);
  assert.equal(writer.received.join(""), "line 0\nline 1\nline 2\nline 3\nline 4\n");
});

Deno.test("LogSink.line() returns at once while the output is stuck", () => {
  const writer = new HandDrivenWriter();
  const sink = new LogSink(writer, { maxQueuedBytes: 100 });
  for (let i = 0; i < 10_000; i++) sink.line("x".repeat(20));
  assert.deepEqual(writer.received, []); // nothing written yet, and nothing blocked
  writer.flow(); // let the pending write finish so no promise is left behind
  return sink.flush(1000);
});

Deno.test("LogSink skips lines past its bound and reports how many once the output moves", async () => {
  const writer = new HandDrivenWriter();
  const sink = new LogSink(writer, {
    maxQueuedBytes: 50,
    skippedNotice: (count) => `skipped ${count}`,
  });
  sink.line("first"); // taken by the first (stuck) write
  for (let i = 0; i < 10; i++) sink.line(`queued ${i}`); // 9 bytes each: 5 fit, 5 are skipped
  writer.flow();
  await sink.flush(1000);
  sink.line("after");
  await sink.flush(1000);
  const lines = writer.received.join("").trimEnd().split("\n");
  assert.deepEqual(lines, [
    "first",
    "queued 0",
    "queued 1",
    "queued 2",
    "queued 3",
    "queued 4",
    "skipped 5",
    "after",
  ]);
});

Deno.test("LogSink.flush() gives up at its deadline when the output stays stuck", async () => {
  const writer = new HandDrivenWriter();
  const sink = new LogSink(writer);
  sink.line("never read");
  const started = performance.now();
  await sink.flush(50);
  assert.ok(performance.now() - started < 5000);
  assert.deepEqual(writer.received, []);
  writer.flow();
  await sink.flush(1000);
  assert.deepEqual(writer.received, ["never read\n"]);
});

Deno.test("LogSink drops lines quietly once the output is closed", async () => {
  const writer = new WriteRecorder({ failWith: new Deno.errors.BrokenPipe("closed") });
  const sink = new LogSink(writer);
  sink.line("lost");
  await sink.flush(1000);
  sink.line("also lost");
  await sink.flush(1000);
  assert.equal(writer.calls, 1);
});
