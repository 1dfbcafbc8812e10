/**
 * Tests for lib/stream/line_intake.ts: lines framed through it, `--max-line`,
 * the idle flush, `--strict-lines`, and going on after the handler paused
 * framing. The framer's own rules in detail: line_framer_test.ts.
 */

import assert from "node:assert/strict";
import {
  IDLE_FLUSH_MS,
  type LineHandler,
  LineIntake,
  type LineIntakeOptions,
} from "../../lib/stream/line_intake.ts";
import { within } from "../support/processes.ts";

/** Longest a test waits for an idle flush (it is due after IDLE_FLUSH_MS). */
const FLUSH_BOUND_MS = 2000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A handler that records what the intake calls; `pausing` makes each line pause framing. */
class RecordingHandler implements LineHandler {
  readonly lines: string[] = [];
  readonly tooLongCalls: number[] = [];
  flushes = 0;
  active_ = true;
  pausing = false;
  #flushed = Promise.withResolvers<void>();

  line(source: Uint8Array, start: number, end: number): boolean {
    this.lines.push(decoder.decode(source.subarray(start, end)));
    return !this.pausing;
  }

  flushed(): void {
    this.flushes++;
    this.#flushed.resolve();
    this.#flushed = Promise.withResolvers<void>();
  }

  tooLong(maxLineBytes: number): void {
    this.tooLongCalls.push(maxLineBytes);
  }

  active(): boolean {
    return this.active_;
  }

  /** Settles at the next idle flush; fails after FLUSH_BOUND_MS. */
  nextFlush(): Promise<void> {
    return within(this.#flushed.promise, FLUSH_BOUND_MS, "an idle flush");
  }
}

/** An intake and its handler; stop the intake at the end of the test (its flush timer). */
function newIntake(options: Partial<LineIntakeOptions> = {}) {
  const handler = new RecordingHandler();
  const intake = new LineIntake(handler, {
    maxLineBytes: options.maxLineBytes ?? 100,
    strictLines: options.strictLines ?? false,
  });
  return { handler, intake };
}

Deno.test("LineIntake frames lines: \\n and \\r\\n end one, a character split across reads stays whole, finish() ends the last", () => {
  const { handler, intake } = newIntake({ strictLines: true });
  // "男" is E7 94 B7: its first two bytes come in one read, the last in the next.
  const reads = [
    bytes("good b"),
    bytes("oy\r\n好"),
    new Uint8Array([0xe7, 0x94]),
    new Uint8Array([0xb7, ...bytes("\nmore")]),
  ];
  for (const read of reads) assert.equal(intake.push(read), read.length, "all of a read is used");
  assert.deepEqual(handler.lines, ["good boy", "好男"]);
  assert.equal(intake.pendingBytes, 4);
  assert.equal(intake.finish(), 0);
  assert.deepEqual(handler.lines, ["good boy", "好男", "more"]);
  assert.deepEqual([handler.flushes, handler.tooLongCalls], [0, []]);
});

Deno.test("LineIntake past maxLineBytes: the lines before it, then tooLong() once with the limit, and -1", () => {
  const terminated = newIntake({ maxLineBytes: 8 });
  assert.equal(terminated.intake.push(bytes("ok\n123456789\nnever\n")), -1);
  assert.deepEqual(terminated.handler.lines, ["ok"]);
  assert.deepEqual(terminated.handler.tooLongCalls, [8]);

  // Unterminated text that outgrows the limit across reads: the same, without waiting for "\n".
  const growing = newIntake({ maxLineBytes: 8 });
  assert.equal(growing.intake.push(bytes("12345")), 5);
  assert.equal(growing.intake.push(bytes("67890")), -1);
  assert.deepEqual([growing.handler.lines, growing.handler.tooLongCalls], [[], [8]]);
  growing.intake.stop();

  // Exactly the limit is a line; at the end of the stream too.
  const exact = newIntake({ maxLineBytes: 8, strictLines: true });
  assert.equal(exact.intake.push(bytes("12345678\r\n12345678")), 18);
  assert.equal(exact.intake.finish(), 0);
  assert.deepEqual(exact.handler.lines, ["12345678", "12345678"]);
  assert.deepEqual(exact.handler.tooLongCalls, []);
});

Deno.test("LineIntake's idle flush of maxLineBytes + 1 held bytes calls tooLong() instead of throwing", async () => {
  const { handler, intake } = newIntake({ maxLineBytes: 8 });
  const tooLong = Promise.withResolvers<number>();
  handler.tooLong = (maxLineBytes) => tooLong.resolve(maxLineBytes);
  // Held, not refused: the 9th byte might be the "\r" of a "\r\n" still to come.
  assert.equal(intake.push(bytes("012345678")), 9);
  assert.equal(await within(tooLong.promise, FLUSH_BOUND_MS, "tooLong()"), 8);
  assert.deepEqual([handler.lines, handler.flushes], [[], 0]);
  intake.stop();
});

Deno.test("LineIntake flushes unterminated text as a line once the client is quiet for IDLE_FLUSH_MS, then calls flushed()", async () => {
  const { handler, intake } = newIntake();
  const sentAt = performance.now();
  intake.push(bytes("no newline"));
  assert.deepEqual(handler.lines, [], "not at once");
  await handler.nextFlush();
  const waitedMs = performance.now() - sentAt;
  assert.ok(waitedMs >= IDLE_FLUSH_MS - 1, `flushed after ${waitedMs} ms`);
  assert.deepEqual([handler.lines, handler.flushes, intake.pendingBytes], [["no newline"], 1, 0]);
  // The "\n" the client sends after it ends the flushed line: no empty line.
  intake.push(bytes("\nnext\n"));
  assert.deepEqual(handler.lines, ["no newline", "next"]);
  intake.stop();
});

Deno.test("LineIntake's idle flush does nothing once the handler is no longer active", async () => {
  const quiet = newIntake();
  const clock = newIntake(); // flushes on time: the quiet one had as long
  quiet.intake.push(bytes("left"));
  quiet.handler.active_ = false;
  clock.intake.push(bytes("tick"));
  await clock.handler.nextFlush(); // later than the quiet one's was due
  assert.deepEqual([quiet.handler.lines, quiet.handler.flushes], [[], 0]);
  quiet.intake.stop();
  clock.intake.stop();
});

Deno.test("LineIntake with strictLines never flushes: unterminated text waits for its \\n however long the pause", async () => {
  const strict = newIntake({ strictLines: true });
  const clock = newIntake(); // the same text without strictLines, flushed on time
  strict.intake.push(bytes("wait for it"));
  clock.intake.push(bytes("wait for it"));
  await clock.handler.nextFlush();
  clock.intake.push(bytes("again"));
  await clock.handler.nextFlush(); // twice the flush delay, and more
  assert.deepEqual(strict.handler.lines, []);
  assert.equal(strict.intake.pendingBytes, 11);
  strict.intake.push(bytes("\n"));
  assert.deepEqual([strict.handler.lines, strict.handler.flushes], [["wait for it"], 0]);
  clock.intake.stop();
});

Deno.test("LineIntake.push() stops where line() pauses; resume() frames the rest part by part, after each wait", async () => {
  const { handler, intake } = newIntake({ strictLines: true });
  handler.pausing = true;
  const chunk = bytes("one\ntwo\nthree\nfour");
  const used = intake.push(chunk);
  assert.equal(used, 4, "up to the end of the line that paused");
  assert.deepEqual(handler.lines, ["one"]);

  // Each wait is settled by hand; `asked` tells the test that resume() asked for the next one.
  let asked = Promise.withResolvers<PromiseWithResolvers<void>>();
  let waits = 0;
  const resumed = intake.resume(chunk.subarray(used), {
    wait: () => {
      waits++;
      const wait = Promise.withResolvers<void>();
      asked.resolve(wait);
      return wait.promise;
    },
  });
  for (const expected of [["one"], ["one", "two"], ["one", "two", "three"]]) {
    const wait = await within(asked.promise, 1000, "resume() to wait");
    asked = Promise.withResolvers();
    assert.deepEqual(handler.lines, expected, "nothing more framed before the wait settles");
    wait.resolve();
  }
  await within(resumed, 1000, "resume() to settle");
  assert.deepEqual(handler.lines, ["one", "two", "three"]);
  assert.equal(waits, 3, "one wait per part");
  assert.equal(intake.pendingBytes, 4, "the unterminated rest is kept, as push() keeps it");
});

Deno.test("LineIntake.resume() frames each part with options.push when given", async () => {
  const { handler, intake } = newIntake({ strictLines: true });
  handler.pausing = true;
  const chunk = bytes("a\nb\nc\n");
  const used = intake.push(chunk);
  const parts: string[] = [];
  await intake.resume(chunk.subarray(used), {
    wait: () => undefined,
    push: (part) => {
      parts.push(decoder.decode(part));
      return intake.push(part);
    },
  });
  assert.deepEqual(parts, ["b\nc\n", "c\n"]);
  assert.deepEqual(handler.lines, ["a", "b", "c"]);
});

Deno.test("LineIntake.resume() stops once the handler is no longer active, and after a line too long", async () => {
  const ending = newIntake({ strictLines: true });
  ending.handler.pausing = true;
  const chunk = bytes("a\nb\nc\n");
  const used = ending.intake.push(chunk);
  await ending.intake.resume(chunk.subarray(used), {
    wait: () => {
      ending.handler.active_ = false; // the session ended while it waited
      return undefined;
    },
  });
  assert.deepEqual(ending.handler.lines, ["a"]);

  const tooLong = newIntake({ maxLineBytes: 3, strictLines: true });
  tooLong.handler.pausing = true;
  const long = bytes("a\nlong line\nb\n");
  let waits = 0;
  await tooLong.intake.resume(long.subarray(tooLong.intake.push(long)), {
    wait: () => void waits++,
  });
  assert.deepEqual([tooLong.handler.lines, tooLong.handler.tooLongCalls, waits], [["a"], [3], 1]);
});
