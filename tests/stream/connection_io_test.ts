/**
 * Tests for lib/stream/connection_io.ts: writing a whole buffer, and closing a
 * connection. The read and output buffers have their own tests
 * (read_buffer_test.ts, output_buffer_test.ts).
 */

import assert from "node:assert/strict";
import { closeAfterDraining, closeQuietly, writeAll } from "../../lib/stream/connection_io.ts";
import { WriteRecorder } from "../support/fake_writers.ts";
import { SocketClient } from "../support/socket_helpers.ts";

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
