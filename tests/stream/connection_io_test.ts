/**
 * Tests for lib/stream/connection_io.ts, lib/stream/read_buffer.ts and lib/stream/output_buffer.ts: the adaptive read buffer, the output
 * buffer, writing a whole buffer, and closing a connection.
 */

import assert from "node:assert/strict";
import { closeAfterDraining, closeQuietly, writeAll } from "../../lib/stream/connection_io.ts";
import { OutputBuffer } from "../../lib/stream/output_buffer.ts";
import { AdaptiveReadBuffer } from "../../lib/stream/read_buffer.ts";
import { WriteRecorder } from "../support/fake_writers.ts";
import { SocketClient } from "../support/socket_helpers.ts";

// --- AdaptiveReadBuffer ---

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

// --- OutputBuffer ---

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

// --- writeAll() ---

Deno.test("writeAll() keeps writing when write() takes one byte at a time", async () => {
  const writer = new WriteRecorder({ mostPerWrite: 1 });
  const bytes = new TextEncoder().encode("服务端接收到的信息为：好\n");
  await writeAll(writer, bytes);
  assert.deepEqual([...writer.bytes], [...bytes]);
  assert.equal(writer.calls, bytes.length);
});

Deno.test("writeAll() writes the rest after a partial write", async () => {
  const writer = new WriteRecorder({ mostPerWrite: 3 });
  await writeAll(writer, new Uint8Array([1, 2, 3, 4, 5, 6, 7]));
  assert.deepEqual([...writer.bytes], [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(writer.calls, 3);
});

Deno.test("writeAll() does not call write() for no bytes", async () => {
  const writer = new WriteRecorder({ mostPerWrite: 1 });
  await writeAll(writer, new Uint8Array(0));
  assert.equal(writer.calls, 0);
});

Deno.test("writeAll() rejects with what write() throws", async () => {
  const reset = new Deno.errors.ConnectionReset("reset by peer");
  const writer = new WriteRecorder({ failWith: reset });
  await assert.rejects(writeAll(writer, new Uint8Array([1])), (error) => error === reset);
});

// --- closeQuietly() and closeAfterDraining() on real sockets ---

async function connectedPair(): Promise<
  { listener: Deno.TcpListener; client: Deno.TcpConn; server: Deno.TcpConn }
> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [client, server] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  return { listener, client, server };
}

Deno.test("closeQuietly() closes a connection and ignores a second close", async () => {
  const { listener, client, server } = await connectedPair();
  closeQuietly(server);
  closeQuietly(server);
  assert.equal(await client.read(new Uint8Array(8)), null);
  client.close();
  listener.close();
});

Deno.test("closeAfterDraining() delivers the last line and ends once the peer closes", async () => {
  const { listener, client, server } = await connectedPair();
  await client.write(new TextEncoder().encode("unread by the server\n"));
  await writeAll(server, new TextEncoder().encode("last line\n"));
  const closing = closeAfterDraining(server);
  assert.equal(await new SocketClient(client).readTextToEnd(), "last line\n");
  client.close();
  await closing;
  listener.close();
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
