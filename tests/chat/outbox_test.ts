/**
 * Tests of chat mode's per-connection outgoing queue: order, batching per
 * turn, the bound, partial writes, write errors and notices that wait.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { LaterStarts, Outbox } from "../../lib/chat/outbox.ts";
import { HandDrivenWriter, WriteRecorder } from "../support/fake_writers.ts";

const encoder = new TextEncoder();
/** An outbox bound far above what any test here queues (as `--max-backlog`'s 1 MiB is). */
const ROOMY = 1 << 20;

function frame(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Lets the microtasks queued so far run (the end of this turn). */
function endOfTurn(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(resolve));
}

Deno.test("Outbox writes the frames pushed in one turn with one write, in order", async () => {
  const output = new WriteRecorder();
  const outbox = new Outbox(output, {
    maxBytes: ROOMY,
    onOverflow: () => assert.fail("no overflow"),
  });
  outbox.push(frame("a\n"));
  outbox.push(frame("b\n"));
  outbox.push(frame("c\n"));
  assert.deepEqual(output.texts, [], "nothing is written while the pushing code runs");
  await outbox.drained();
  assert.deepEqual(output.texts, ["a\nb\nc\n"]);
});

Deno.test("Outbox sends what came during a write in the next write, after it", async () => {
  const output = new WriteRecorder();
  const outbox = new Outbox(output, {
    maxBytes: ROOMY,
    onOverflow: () => assert.fail("no overflow"),
  });
  outbox.push(frame("1\n"));
  await endOfTurn();
  assert.deepEqual(output.texts, ["1\n"], "the first write has started");
  outbox.push(frame("2\n"));
  outbox.push(frame("3\n"));
  await outbox.drained();
  assert.deepEqual(output.texts, ["1\n", "2\n3\n"]);
});

Deno.test("Outbox finishes a partial write before anything else, byte for byte", async () => {
  const output = new WriteRecorder({ mostPerWrite: 3 });
  const outbox = new Outbox(output, {
    maxBytes: ROOMY,
    onOverflow: () => assert.fail("no overflow"),
  });
  outbox.push(frame("hello\n"));
  outbox.push(frame("world\n"));
  await outbox.drained();
  assert.equal(output.texts.join(""), "hello\nworld\n");
  assert.ok(output.texts.every((write) => write.length <= 3));
});

Deno.test("Outbox joins at most 8 KiB into one write; a larger frame goes alone, whole", async () => {
  const output = new WriteRecorder();
  const outbox = new Outbox(output, {
    maxBytes: ROOMY,
    onOverflow: () => assert.fail("no overflow"),
  });
  const line = "x".repeat(299) + "\n";
  for (let i = 0; i < 40; i++) outbox.push(frame(line)); // 12,000 bytes
  const large = "y".repeat(19999) + "\n";
  outbox.push(frame(large));
  outbox.push(frame("after\n"));
  await outbox.drained();
  assert.deepEqual(output.texts.map((write) => write.length), [8100, 3900, 20000, 6]);
  assert.equal(output.texts.join(""), line.repeat(40) + large + "after\n");
});

Deno.test("Outbox past maxBytes calls onOverflow once, drops its queue and takes nothing more", async () => {
  const output = new WriteRecorder();
  let overflows = 0;
  const outbox = new Outbox(output, { maxBytes: 10, onOverflow: () => overflows++ });
  outbox.push(frame("12345678\n")); // 9 bytes: fits
  outbox.push(frame("ab\n")); // 12 in all: over
  outbox.push(frame("c\n"));
  assert.equal(overflows, 1);
  await outbox.drained(); // settles although nothing was written
  assert.deepEqual(output.texts, []);
});

Deno.test("Outbox takes one frame larger than maxBytes when nothing is queued", async () => {
  const output = new WriteRecorder();
  const outbox = new Outbox(output, { maxBytes: 4, onOverflow: () => assert.fail("no overflow") });
  outbox.push(frame("a welcome longer than the limit\n"));
  await outbox.drained();
  assert.deepEqual(output.texts, ["a welcome longer than the limit\n"]);
});

Deno.test("Outbox closes itself when a write fails, and drained() still settles", async () => {
  const output = new WriteRecorder({ failWith: new Error("broken pipe") });
  const outbox = new Outbox(output, {
    maxBytes: ROOMY,
    onOverflow: () => assert.fail("no overflow"),
  });
  outbox.push(frame("lost\n"));
  await outbox.drained();
  outbox.push(frame("ignored\n"));
  await outbox.drained();
  assert.deepEqual(output.texts, []);
});

Deno.test("Outbox lets notices wait for LaterStarts, but a line pushed after one starts at once", async () => {
  const output = new WriteRecorder();
  const later = new LaterStarts();
  try {
    const outbox = new Outbox(output, {
      maxBytes: ROOMY,
      onOverflow: () => assert.fail("no overflow"),
      laterStarts: later,
    });
    outbox.push(frame("*** ann joined\n"), true);
    await endOfTurn();
    assert.deepEqual(output.texts, [], "a notice waits for the next round");
    outbox.push(frame("[bob] hi\n"));
    await endOfTurn();
    assert.deepEqual(output.texts, ["*** ann joined\n[bob] hi\n"], "a line does not wait");
    await outbox.drained();
  } finally {
    later.close();
  }
});

Deno.test("LaterStarts starts perTurn waiting outboxes a turn, and notices pile up in the rest", async () => {
  const outputs = Array.from({ length: 5 }, () => new WriteRecorder());
  const later = new LaterStarts({ perTurn: 2 });
  try {
    const outboxes = outputs.map((output) =>
      new Outbox(output, {
        maxBytes: ROOMY,
        onOverflow: () => assert.fail("no overflow"),
        laterStarts: later,
      })
    );
    for (const outbox of outboxes) outbox.push(frame("*** ann joined\n"), true);
    await outboxes[0]!.drained(); // the first turn's writes are done; the next turn has not come
    assert.deepEqual(outputs.map((output) => output.texts.length), [1, 1, 0, 0, 0]);
    for (const outbox of outboxes) outbox.push(frame("*** bob joined\n"), true);
    await Promise.all(outboxes.map((outbox) => outbox.drained()));
    assert.deepEqual(outputs.map((output) => output.texts), [
      ["*** ann joined\n", "*** bob joined\n"],
      ["*** ann joined\n", "*** bob joined\n"],
      ["*** ann joined\n*** bob joined\n"],
      ["*** ann joined\n*** bob joined\n"],
      ["*** ann joined\n*** bob joined\n"],
    ], "each notice once, in order; the outboxes still waiting write both at once");
  } finally {
    later.close();
  }
});

Deno.test("LaterStarts refuses a perTurn below 1", () => {
  assert.throws(() => new LaterStarts({ perTurn: 0 }), RangeError);
  assert.throws(() => new LaterStarts({ perTurn: 1.5 }), RangeError);
});

Deno.test("Outbox writes any frames, with any partial writes, as one byte stream in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string({ minLength: 1, maxLength: 40 }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 50 }),
      fc.array(fc.boolean(), { maxLength: 30 }),
      async (texts, limit, yieldAfter) => {
        const output = new WriteRecorder({ mostPerWrite: limit });
        const outbox = new Outbox(output, {
          maxBytes: ROOMY,
          onOverflow: () => assert.fail("no overflow"),
        });
        for (const [i, text] of texts.entries()) {
          outbox.push(frame(text));
          if (yieldAfter[i]) await endOfTurn(); // some pushes land while a write is in flight
        }
        await outbox.drained();
        assert.equal(output.texts.join(""), texts.join(""));
      },
    ),
  );
});

Deno.test("Outboxes never reuse a batch buffer while a write may still read it", async () => {
  await fc.assert(
    fc.asyncProperty(
      // Each step: push a frame to outbox i, or complete one write of outbox i.
      fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 1 }),
          fc.boolean(),
          fc.string({ minLength: 1, maxLength: 300 }),
        ),
        { minLength: 10, maxLength: 80 },
      ),
      async (steps) => {
        const outputs = [new HandDrivenWriter(), new HandDrivenWriter()];
        const outboxes = outputs.map((output) =>
          new Outbox(output, { maxBytes: ROOMY, onOverflow: () => assert.fail("no overflow") })
        );
        const pushed: string[][] = outputs.map(() => []);
        for (const [i, push, text] of steps) {
          if (push) {
            outboxes[i]!.push(frame(text));
            pushed[i]!.push(text);
          } else {
            outputs[i]!.completeOldest();
          }
          await endOfTurn();
        }
        // Complete everything left, then compare what each connection read with what it was sent.
        for (let busy = true; busy;) {
          busy = false;
          for (const output of outputs) busy = output.completeOldest() || busy;
          await endOfTurn();
        }
        outputs.forEach((output, i) => assert.equal(output.received.join(""), pushed[i]!.join("")));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("Outboxes sharing notices write exactly what each was sent, in order, gaps and repeats included", async () => {
  // Each step: a notice for some of the outboxes (the same frame to each, as a fan-out does; a
  // repeat fans out the previous frame again), a line for one, a write completed, or a turn.
  const step = fc.oneof(
    fc.record({
      kind: fc.constant("notice" as const),
      to: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      text: fc.string({ minLength: 1, maxLength: 30 }),
      repeat: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("line" as const),
      to: fc.integer({ min: 0, max: 2 }),
      text: fc.string({ minLength: 1, maxLength: 30 }),
    }),
    fc.record({ kind: fc.constant("complete" as const), to: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant("turn" as const) }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 60 }), async (steps) => {
      const later = new LaterStarts({ perTurn: 1 });
      try {
        const outputs = [new HandDrivenWriter(), new HandDrivenWriter(), new HandDrivenWriter()];
        const outboxes = outputs.map((output) =>
          new Outbox(output, {
            maxBytes: ROOMY,
            onOverflow: () => assert.fail("no overflow"),
            laterStarts: later,
          })
        );
        const sent: string[][] = outputs.map(() => []);
        type Sent = { bytes: Uint8Array; text: string };
        let previous: Sent | null = null;
        for (const s of steps) {
          if (s.kind === "notice") {
            const notice: Sent = s.repeat && previous !== null
              ? previous
              : { bytes: frame(s.text), text: s.text };
            previous = notice;
            s.to.forEach((given, i) => {
              if (!given) return;
              outboxes[i]!.push(notice.bytes, true);
              sent[i]!.push(notice.text);
            });
          } else if (s.kind === "line") {
            outboxes[s.to]!.push(frame(s.text));
            sent[s.to]!.push(s.text);
          } else if (s.kind === "complete") {
            outputs[s.to]!.completeOldest();
          } else {
            await endOfTurn();
          }
        }
        // Start what waits, complete every write, until nothing is left.
        for (let busy = true; busy;) {
          later.close();
          await endOfTurn();
          busy = false;
          for (const output of outputs) busy = output.completeOldest() || busy;
        }
        outputs.forEach((output, i) => assert.equal(output.received.join(""), sent[i]!.join("")));
      } finally {
        later.close();
      }
    }),
    { numRuns: 300 },
  );
});
