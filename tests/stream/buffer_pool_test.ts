/** Tests of the shared buffer pool: lending, giving back, and its bound. */

import assert from "node:assert/strict";
import { BufferPool } from "../../lib/stream/buffer_pool.ts";

Deno.test("BufferPool lends a buffer given back instead of making one", () => {
  const pool = new BufferPool(16, 4);
  const first = pool.take();
  const second = pool.take();
  assert.notEqual(first, second, "two buffers lent at once are two buffers");
  pool.give(first);
  assert.equal(pool.take(), first);
});

Deno.test("BufferPool keeps at most maxIdle buffers and ignores other sizes", () => {
  const pool = new BufferPool(16, 2);
  const lent = [pool.take(), pool.take(), pool.take()];
  for (const buffer of lent) pool.give(buffer);
  pool.give(new Uint8Array(8)); // not the pool's size
  const again = [pool.take(), pool.take(), pool.take()];
  assert.equal(
    again.filter((buffer) => lent.includes(buffer)).length,
    2,
    "two were kept, the third is new",
  );
  assert.ok(again.every((buffer) => buffer.length === 16));
});

Deno.test("BufferPool refuses sizes below 1", () => {
  assert.throws(() => new BufferPool(0, 1), RangeError);
  assert.throws(() => new BufferPool(8, 0), RangeError);
  assert.throws(() => new BufferPool(1.5, 1), RangeError);
});
