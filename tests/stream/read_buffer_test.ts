/**
 * Tests for lib/stream/read_buffer.ts: the adaptive read buffer grows while
 * reads fill it, up to its largest size, and shrinks back once the
 * connection is quiet.
 */

import assert from "node:assert/strict";
import { AdaptiveReadBuffer } from "../../lib/stream/read_buffer.ts";

Deno.test("AdaptiveReadBuffer starts at 128 bytes by default", () => {
  assert.equal(new AdaptiveReadBuffer().bytes.length, 128);
});

Deno.test("AdaptiveReadBuffer.update() grows eightfold, up to 65536, while reads fill it", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 512 });
  const sizes: number[] = [];
  for (let i = 0; i < 4; i++) {
    buffer.update(buffer.bytes.length);
    sizes.push(buffer.bytes.length);
  }
  assert.deepEqual(sizes, [4096, 32768, 65536, 65536]);
});

Deno.test("AdaptiveReadBuffer.update() keeps the size after a read that does not fill it", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 2048 });
  buffer.update(2047);
  assert.equal(buffer.bytes.length, 2048);
  buffer.update(2048);
  assert.equal(buffer.bytes.length, 16384);
  buffer.update(5000); // above minBytes: neither grow nor shrink
  assert.equal(buffer.bytes.length, 16384);
});

Deno.test("AdaptiveReadBuffer.update() shrinks back to minBytes after sixteen small reads in a row", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 1024, maxBytes: 8192 });
  buffer.update(1024);
  assert.equal(buffer.bytes.length, 8192);
  for (let i = 0; i < 15; i++) buffer.update(1024);
  buffer.update(5000); // a large read breaks the run of small ones
  for (let i = 0; i < 15; i++) buffer.update(1024);
  assert.equal(buffer.bytes.length, 8192);
  buffer.update(0);
  assert.equal(buffer.bytes.length, 1024);
});

Deno.test("AdaptiveReadBuffer stays at minBytes when maxBytes is smaller", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 4096, maxBytes: 1024 });
  assert.equal(buffer.bytes.length, 4096);
  buffer.update(4096);
  assert.equal(buffer.bytes.length, 4096);
});

Deno.test("AdaptiveReadBuffer.update() keeps the same array when the size does not change", () => {
  const buffer = new AdaptiveReadBuffer();
  const before = buffer.bytes;
  buffer.update(10);
  assert.equal(buffer.bytes, before);
});

Deno.test("AdaptiveReadBuffer grows to exactly maxBytes, whatever its ratio to minBytes", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 100, maxBytes: 1000 });
  buffer.update(100);
  assert.equal(buffer.bytes.length, 800);
  buffer.update(800);
  assert.equal(buffer.bytes.length, 1000);
  buffer.update(1000);
  assert.equal(buffer.bytes.length, 1000);
});

Deno.test("AdaptiveReadBuffer grows on a full read and shrinks to minBytes once quiet", () => {
  const buffer = new AdaptiveReadBuffer({ minBytes: 512, maxBytes: 4096 });
  assert.equal(buffer.bytes.length, 512);
  buffer.update(512);
  assert.equal(buffer.bytes.length, 4096, "a full read means a stream: eight times larger");
  for (let i = 0; i < 15; i++) buffer.update(10);
  assert.equal(buffer.bytes.length, 4096, "fifteen small reads are not yet quiet");
  buffer.update(10);
  assert.equal(buffer.bytes.length, 512);
});
