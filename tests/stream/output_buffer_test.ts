/**
 * Tests for lib/stream/output_buffer.ts: bytes come out in order and whole,
 * appends copy, and a buffer lent to a write is kept intact until it is
 * released, then reused.
 */

import assert from "node:assert/strict";
import { OutputBuffer } from "../../lib/stream/output_buffer.ts";

Deno.test("OutputBuffer.take() returns what was appended, in order, and empties it", () => {
  const out = new OutputBuffer();
  assert.equal(out.length, 0);
  out.append(new Uint8Array([1, 2]));
  out.append(new Uint8Array([]));
  out.append(new Uint8Array([3]));
  assert.equal(out.length, 3);
  assert.deepEqual([...out.take()], [1, 2, 3]);
  assert.equal(out.length, 0);
  assert.deepEqual([...out.take()], []);
});

Deno.test("OutputBuffer.append() copies, so a reused source buffer does not change it", () => {
  const out = new OutputBuffer();
  const source = new Uint8Array([7, 8, 9]);
  out.append(source.subarray(0, 2));
  source.fill(0);
  assert.deepEqual([...out.take()], [7, 8]);
});

Deno.test("OutputBuffer.take() hands over bytes that later appends do not change", () => {
  const out = new OutputBuffer();
  out.append(new Uint8Array([1, 2, 3]));
  const taken = out.take();
  out.append(new Uint8Array([9, 9, 9, 9]));
  assert.deepEqual([...taken], [1, 2, 3]);
  assert.deepEqual([...out.take()], [9, 9, 9, 9]);
});

Deno.test("OutputBuffer.append() keeps earlier bytes when it grows", () => {
  const out = new OutputBuffer();
  const expected: number[] = [];
  for (let i = 0; i < 100; i++) {
    const chunk = new Uint8Array(37).fill(i);
    out.append(chunk);
    expected.push(...chunk);
  }
  assert.equal(out.length, 3700);
  assert.deepEqual([...out.take()], expected);
});

Deno.test("OutputBuffer.append() takes one large chunk", () => {
  const out = new OutputBuffer();
  const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
  out.append(new Uint8Array([42]));
  out.append(big);
  const taken = out.take();
  assert.equal(taken.length, 100_001);
  assert.equal(taken[0], 42);
  assert.deepEqual(taken.subarray(1), big);
});

Deno.test("OutputBuffer.appendRange() copies short and long ranges exactly", () => {
  const source = new Uint8Array(300).map((_, i) => i % 251);
  const out = new OutputBuffer();
  out.appendRange(source, 5, 10); // short: copied byte by byte
  out.appendRange(source, 20, 220); // long: copied with set()
  assert.deepEqual([...out.take()], [...source.subarray(5, 10), ...source.subarray(20, 220)]);
});

Deno.test("OutputBuffer keeps lent bytes intact until release(), then reuses its buffer", () => {
  const out = new OutputBuffer();
  const large = new Uint8Array(600).fill(1);
  out.append(large);
  const first = out.take();
  out.append(new Uint8Array([9, 9, 9])); // while `first` is being written
  assert.deepEqual([...first], [...large]);
  out.append(large);
  const second = out.take();
  out.release(first); // stale: the buffer was already replaced, nothing happens
  out.release(second);
  out.append(new Uint8Array([4]));
  const third = out.take();
  assert.equal(third.buffer, second.buffer, "a buffer released after a large write is reused");
  assert.deepEqual([...third], [4]);
});

Deno.test("OutputBuffer gives its buffer back after a small write, for any connection's next replies", () => {
  const out = new OutputBuffer();
  out.append(new Uint8Array([1, 2, 3]));
  const first = out.take();
  const other = new OutputBuffer();
  other.append(new Uint8Array([7]));
  assert.notEqual(other.take().buffer, first.buffer, "a buffer lent to a write is nobody else's");
  out.release(first);
  const next = new OutputBuffer();
  next.append(new Uint8Array([4]));
  const reused = next.take();
  assert.equal(reused.buffer, first.buffer, "the next small replies, of any connection, reuse it");
  assert.deepEqual([...reused], [4]);
  out.append(new Uint8Array([9]));
  assert.notEqual(out.take().buffer, first.buffer, "`out` kept no hold on the buffer it gave back");
});
