/** Tests for lib/stream/deadline.ts. */

import assert from "node:assert/strict";
import { waitAtMost } from "../../lib/stream/deadline.ts";

Deno.test("waitAtMost() is true when the promise settles in time, also by rejecting", async () => {
  assert.equal(await waitAtMost(Promise.resolve(1), 1000), true);
  assert.equal(await waitAtMost(Promise.reject(new Error("no")), 1000), true);
});

Deno.test("waitAtMost() is false once the deadline passes, and leaves no timer behind", async () => {
  const never = Promise.withResolvers<void>();
  const started = performance.now();
  assert.equal(await waitAtMost(never.promise, 20), false);
  assert.ok(performance.now() - started >= 19);
  never.resolve(); // the sanitizer would report a timer still running
});
