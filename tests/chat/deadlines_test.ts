/**
 * Tests of the shared deadline list: never early, items of one step together,
 * deleted items never handed on, no timer left once empty.
 */

import assert from "node:assert/strict";
import { Deadlines } from "../../lib/chat/deadlines.ts";

/** Resolves once `count` items were handed on, or rejects after `ms`. */
function collect<T>(count: number, ms: number) {
  const due: { item: T; at: number; turn: object }[] = [];
  // One object per synchronous run: items handed on in one loop share it.
  let turn = {};
  let turnEnds = false;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${due.length} of ${count}`)), ms);
    done = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const onDue = (item: T) => {
    if (!turnEnds) {
      turnEnds = true;
      queueMicrotask(() => {
        turn = {};
        turnEnds = false;
      });
    }
    due.push({ item, at: performance.now(), turn });
    if (due.length === count) done();
  };
  return { due, all, onDue };
}

Deno.test("items are never due early, and those within one step come together", async () => {
  const { due, all, onDue } = collect<string>(3, 2000);
  const deadlines = new Deadlines<string>(50, onDue);
  const start = performance.now();
  const step = Math.ceil((start + 60) / 50) * 50; // a multiple of the step: a and b share it
  deadlines.add("a", step - 20);
  deadlines.add("b", step);
  deadlines.add("c", step + 100);
  await all;
  deadlines.close();
  assert.deepEqual(due.map((d) => d.item), ["a", "b", "c"]);
  const [a = 0, b = 0, c = 0] = due.map((d) => d.at);
  assert.ok(a >= step - 1, "a and b not early");
  assert.ok(c >= step + 100 - 1, "c not early");
  assert.equal(due[0]?.turn, due[1]?.turn, "a and b in the same turn");
  assert.notEqual(due[1]?.turn, due[2]?.turn, "c later");
  assert.ok(b >= a);
});

Deno.test("a deleted item is not handed on; an earlier one added later is on time", async () => {
  const { due, all, onDue } = collect<string>(2, 2000);
  const deadlines = new Deadlines<string>(10, onDue);
  const start = performance.now();
  deadlines.add("late", start + 300);
  deadlines.add("gone", start + 30);
  deadlines.delete("gone", start + 30);
  deadlines.add("early", start + 50);
  await all;
  deadlines.close();
  assert.deepEqual(due.map((d) => d.item), ["early", "late"]);
  const [early = Infinity] = due.map((d) => d.at);
  assert.ok(early < start + 300, "early not held back by the later deadline");
});

Deno.test("deleting the last item stops the timer (the sanitizer would see it)", () => {
  const deadlines = new Deadlines<string>(10, () => assert.fail("nothing is due"));
  const at = performance.now() + 1000;
  deadlines.add("x", at);
  deadlines.delete("x", at);
});
