/**
 * `serve()` under limits and abuse, over real sockets: --max-line,
 * --max-conns, --idle-timeout, floods, resets, connect-and-drop storms and a
 * client that never reads. In every case the server keeps serving the others.
 */

import assert from "node:assert/strict";
import { serve } from "../../lib/server/server_core.ts";
import { hasPython, within } from "../support/processes.ts";
import {
  LogCollector,
  SocketClient,
  type TestServer,
  withServer,
} from "../support/socket_helpers.ts";

const encoder = new TextEncoder();
const python = await hasPython();

/** One message and its reply; proves the server still answers `client`. */
async function exchange(client: SocketClient, text: string): Promise<void> {
  await client.write(text + "\n");
  assert.equal(await client.readLine(), `Server received: ${text}`);
}

/** A pattern for a log line about `client`. */
function aboutPeer(client: SocketClient, rest: string): RegExp {
  return new RegExp(`^\\[${RegExp.escape(client.peer)}\\] ${rest}`);
}

/** Writes everything, reporting instead of throwing how the write ended. */
async function writeReporting(client: SocketClient, data: Uint8Array): Promise<string> {
  try {
    for (let offset = 0; offset < data.length; offset += 1024 * 1024) {
      await client.write(data.subarray(offset, offset + 1024 * 1024));
    }
    return "complete";
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
}

Deno.test("serve() with maxLineBytes sends the error line and closes a client over the limit, others served", async () => {
  const stats = await withServer({ maxLineBytes: 16 }, async (server) => {
    const long = await server.connect();
    const other = await server.connect();
    await exchange(other, "before");
    await exchange(long, "x".repeat(16)); // exactly the limit is fine
    await long.write("y".repeat(16) + "\r\n"); // the "\r" of "\r\n" does not count
    assert.equal(await long.readLine(), `Server received: ${"y".repeat(16)}`);
    await long.write(`earlier\n${"z".repeat(17)}\nlater\n`);
    assert.equal(await long.readLine(), "Server received: earlier");
    assert.equal(
      await long.readLine(),
      "Message too long: the limit is 16 bytes, closing the connection",
    );
    assert.equal(await long.readTextToEnd(), ""); // "later" gets no reply: closed
    await exchange(other, "after");
    assert.equal(await other.finish(), "");
    await server.logs.waitFor(
      "error",
      aboutPeer(long, "message over 16 bytes \\(--max-line\\), connection closed$"),
    );
  });
  assert.equal(stats.messages, 5);
});

Deno.test("serve() serves others while one client sends 10 MiB without a newline, then closes it with the error line", async () => {
  const flood = new Uint8Array(10 * 1024 * 1024).fill(0x61); // "a", no "\n"
  await withServer({ quiet: true }, async (server) => {
    const flooder = await server.connect();
    const other = await server.connect();
    const writing = writeReporting(flooder, flood);
    for (let i = 0; i < 20; i++) await exchange(other, `message ${i} during the flood`);
    assert.equal(
      await flooder.readLine(),
      "Message too long: the limit is 65536 bytes, closing the connection",
    );
    assert.equal(await flooder.readTextToEnd(), "");
    // The server discards the rest until the client stops, or resets it a moment later.
    assert.match(
      await within(writing, 10_000, "the flood to end"),
      /^(complete|ConnectionReset|BrokenPipe)$/,
    );
    flooder.close();
    await exchange(other, "after the flood");
    assert.equal(await other.finish(), "");
    await server.logs.waitFor("error", aboutPeer(flooder, "message over 65536 bytes"));
  });
});

Deno.test("serve() with maxConnections 2 turns the third client away with the busy line, then accepts again", async () => {
  const stats = await withServer({ maxConnections: 2 }, async (server) => {
    const first = await server.connect();
    const second = await server.connect();
    await exchange(first, "first"); // both accepted before the third connects
    await exchange(second, "second");
    const third = await server.connect();
    assert.equal(await third.readLine(), "Server busy: it already has 2 clients, try again later");
    assert.equal(await third.readTextToEnd(), "");
    third.close();
    await server.logs.waitFor(
      "info",
      aboutPeer(third, "client turned away: already 2 clients \\(--max-conns\\)$"),
    );
    assert.equal(await first.finish(), "");
    const fourth = await server.connect();
    await exchange(fourth, "fourth");
    await exchange(second, "second again");
    assert.equal(await fourth.finish(), "");
    assert.equal(await second.finish(), "");
  });
  assert.equal(stats.connections, 3);
  assert.equal(stats.rejected, 1);
});

Deno.test("serve() with idleTimeoutMs closes a silent reply client with a line, not an active one", async () => {
  await withServer({ idleTimeoutMs: 200 }, async (server) => {
    const silent = await server.connect();
    const active = await server.connect();
    let silentClosed = false;
    const silentEnd = (async () => {
      try {
        return { line: await silent.readLine(5000), rest: await silent.readTextToEnd(5000) };
      } finally {
        silentClosed = true;
      }
    })();
    silentEnd.catch(() => {}); // awaited below, after the loop it ends
    // Ping-pong, no pauses, until the silent client is closed.
    let pings = 0;
    while (!silentClosed) await exchange(active, `ping ${pings++}`);
    assert.deepEqual(await silentEnd, {
      line: "Closing the connection: no data for 0.2 seconds",
      rest: "",
    });
    await exchange(active, "still open");
    assert.equal(await active.finish(), "");
    await server.logs.waitFor(
      "info",
      aboutPeer(silent, "silent for 0\\.2 s \\(--idle-timeout\\), connection closed$"),
    );
    assert.ok(!server.logs.info.some((line) => aboutPeer(active, "silent for").test(line)));
    assert.ok(pings > 0);
  });
});

Deno.test("serve() in echo mode with idleTimeoutMs closes a silent client without sending text", async () => {
  await withServer({ mode: "echo", idleTimeoutMs: 200 }, async (server) => {
    const silent = await server.connect();
    assert.equal(await silent.readTextToEnd(5000), "");
    await server.logs.waitFor("info", aboutPeer(silent, "silent for 0\\.2 s"));
  });
});

Deno.test("serve() survives a client that resets mid-message, logs its address and serves others", async () => {
  await withServer({}, async (server) => {
    const resetter = await server.connect();
    const other = await server.connect();
    await resetter.write("hello\npartial message");
    // Read one byte of the reply only: closing with the rest unread sends RST.
    const one = new Uint8Array(1);
    assert.equal(await within(resetter.conn.read(one), 5000, "the reply's first byte"), 1);
    resetter.close();
    // A reset is routine: an info line with the address, nothing on the error log.
    await server.logs.waitFor("info", aboutPeer(resetter, "connection reset by the client$"));
    await exchange(other, "after the reset");
    assert.equal(await other.finish(), "");
    assert.deepEqual(server.logs.errors, []);
  });
});

/** Connects, sends a line and reads its reply, sends half a line, then resets (SO_LINGER 0). */
const RESETTING_CLIENT_PY = `
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
print(s.getsockname()[1], flush=True)
s.sendall(b"hello\\n")
reply = b""
while not reply.endswith(b"\\n"):
    reply += s.recv(512)
s.sendall(b"half a mess")
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
`;

Deno.test({
  name: "serve() survives a python3 client that resets with SO_LINGER 0 mid-message",
  ignore: !python, // python3 is the only way here to send RST without unread data
  fn: async () => {
    await withServer({}, async (server: TestServer) => {
      const other = await server.connect();
      const output = await within(
        new Deno.Command("python3", {
          args: ["-c", RESETTING_CLIENT_PY, String(server.port)],
          stdout: "piped",
          stderr: "piped",
        }).output(),
        10_000,
        "the python3 client",
      );
      assert.equal(new TextDecoder().decode(output.stderr), "");
      assert.equal(output.code, 0);
      const port = new TextDecoder().decode(output.stdout).trim();
      await server.logs.waitFor(
        "info",
        new RegExp(`^\\[127\\.0\\.0\\.1:${port}\\] connection reset by the client$`),
      );
      await exchange(other, "after the reset");
      assert.equal(await other.finish(), "");
      assert.deepEqual(server.logs.errors, []);
    });
  },
});

Deno.test("serve() serves a client after 500 connect-and-drop connections and counts them all", async () => {
  const drops = 500;
  const stats = await withServer({}, async (server) => {
    for (let batch = 0; batch < drops; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, async () => {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
        conn.close();
      }));
    }
    // Accepts are in order, so the drops were all accepted before this client.
    const client = await server.connect();
    await exchange(client, "still serving");
    assert.equal(await client.finish(), "");
    await server.logs.waitFor("info", /client disconnected/, { count: drops + 1 });
    assert.deepEqual(server.logs.errors, []);
  });
  assert.equal(stats.connections, drops + 1);
  assert.equal(stats.messages, 1);
  assert.equal(stats.bytesIn, "still serving\n".length);
  assert.equal(stats.bytesOut, "Server received: still serving\n".length);
});

/**
 * A client that sends 16 MiB and never reads what comes back: the server must
 * stop reading it (backpressure), keep answering `other`, and still shut down.
 */
async function neverReadingClient(mode: "reply" | "echo"): Promise<void> {
  const line = encoder.encode("x".repeat(1023) + "\n");
  const flood = new Uint8Array(16 * 1024 * 1024);
  for (let offset = 0; offset < flood.length; offset += line.length) flood.set(line, offset);
  const answer = (text: string) => mode === "reply" ? `Server received: ${text}` : text;
  let writing: Promise<string> = Promise.resolve("not started");
  const stats = await withServer({ mode, quiet: true }, async (server) => {
    const deaf = await server.connect();
    const other = await server.connect();
    writing = writeReporting(deaf, flood);
    for (let i = 0; i < 100; i++) {
      await other.write(`message ${i}\n`);
      assert.equal(await other.readLine(), answer(`message ${i}`));
    }
    // The deaf client's session is stuck in a write by now; shutdown must still end.
    await server.stop(3000);
    const goodbye = mode === "reply" ? "Server shutting down, goodbye\n" : "";
    assert.equal(await other.readTextToEnd(), goodbye);
    // Closed by the server with data unread, the deaf client's write fails.
    assert.match(
      await within(writing, 5000, "the deaf client's write"),
      /^(ConnectionReset|BrokenPipe)$/,
    );
  });
  // Backpressure: the server stopped reading a client that does not read.
  assert.ok(stats.bytesIn < flood.length / 2, `read ${stats.bytesIn} bytes`);
}

Deno.test("serve() keeps serving others while a client never reads its replies, and still shuts down", async () => {
  await neverReadingClient("reply");
});

Deno.test("serve() in echo mode stops reading a client that never reads, serves others, shuts down", async () => {
  await neverReadingClient("echo");
});

/** What Deno 2.9 throws from `accept()` at the descriptor limit (checked against a real one). */
function tooManyOpenFiles(): Error {
  return Object.assign(new Error("Too many open files (os error 24)"), { code: "EMFILE" });
}

/**
 * A real listener whose `accept()` fails as at the descriptor limit for the
 * next `failures` calls (no way to lower this process's limit from here);
 * counts the calls, and a test can wait for a number of them.
 */
class StarvedListener implements Deno.TcpListener {
  readonly #real: Deno.TcpListener;
  #waiters: { calls: number; resolve: () => void }[] = [];
  /** How many more calls fail. */
  failures: number;
  /** Calls to accept() so far. */
  calls = 0;

  constructor(failures: number) {
    this.#real = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.failures = failures;
  }

  get addr(): Deno.NetAddr {
    return this.#real.addr;
  }

  accept(): Promise<Deno.TcpConn> {
    this.calls++;
    for (const waiter of this.#waiters) if (this.calls >= waiter.calls) waiter.resolve();
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(tooManyOpenFiles());
    }
    return this.#real.accept();
  }

  /** Waits, with a bound, until accept() was called `calls` times in all. */
  async waitForCalls(calls: number): Promise<void> {
    const reached = Promise.withResolvers<void>();
    const waiter = { calls, resolve: reached.resolve };
    this.#waiters.push(waiter);
    if (this.calls >= calls) reached.resolve();
    try {
      await within(reached.promise, 5000, `${calls} calls to accept()`);
    } finally {
      this.#waiters = this.#waiters.filter((other) => other !== waiter);
    }
  }

  close(): void {
    this.#real.close();
  }

  ref(): void {
    this.#real.ref();
  }

  unref(): void {
    this.#real.unref();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Deno.TcpConn> {
    return this.#real[Symbol.asyncIterator]();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

Deno.test("serve() out of file descriptors logs one line, not one per retry, pauses between retries, and says when it accepts again", async () => {
  const listener = new StarvedListener(Infinity);
  const logs = new LogCollector();
  const stop = new AbortController();
  const startedAt = performance.now();
  const done = serve(listener, stop.signal, { logger: logs.logger });
  try {
    // Two calls per round (the loop's, and one after spending the reserve), a pause after each.
    await listener.waitForCalls(8);
    const elapsed = performance.now() - startedAt;
    assert.ok(elapsed >= 300, `accept() called 8 times in ${elapsed.toFixed(0)} ms: no pause`);
    assert.deepEqual(logs.errors, [
      "Out of file descriptors with 0 clients connected: new clients get the busy line until " +
      'some leave (raise the limit with "ulimit -n" before starting the server, or set ' +
      "--max-conns below 0)",
    ]);
    listener.failures = 0; // descriptors are free again
    const client = new SocketClient(
      await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    );
    try {
      await exchange(client, "served after all");
      await logs.waitFor(
        "info",
        /^File descriptors available again, accepting clients \(0 turned away meanwhile\)$/,
      );
      assert.equal(await client.finish(), "");
    } finally {
      client.close();
    }
    // Short again at once, as a server at its limit is whenever a client comes: silent now.
    // (The accept() pending now takes the next client; the ones after it fail.)
    listener.failures = Infinity;
    const next = new SocketClient(
      await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    );
    try {
      await exchange(next, "taken by the accept() already waiting");
      await listener.waitForCalls(listener.calls + 4);
      listener.failures = 0;
      const last = new SocketClient(
        await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
      );
      try {
        await exchange(last, "served again");
        assert.equal(await last.finish(), "");
      } finally {
        last.close();
      }
      assert.equal(await next.finish(), "");
    } finally {
      next.close();
    }
  } finally {
    stop.abort();
  }
  const stats = await within(done, 5000, "serve() to resolve");
  assert.equal(logs.errors.length, 1, logs.errors.join("\n"));
  const again = logs.info.filter((line) => line.startsWith("File descriptors available"));
  assert.equal(again.length, 1, again.join("\n"));
  assert.equal(stats.connections, 3);
  assert.equal(stats.rejected, 0);
});

Deno.test("serve() serves a waiting client normally when accept() failed for lack of descriptors but some are free again", async () => {
  const listener = new StarvedListener(1);
  const logs = new LogCollector();
  const stop = new AbortController();
  // The client waits in the backlog before the first accept(), which fails.
  const client = new SocketClient(
    await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
  );
  const done = serve(listener, stop.signal, { logger: logs.logger });
  try {
    await exchange(client, "hello");
    assert.equal(await client.finish(), "");
  } finally {
    client.close();
    stop.abort();
  }
  const stats = await within(done, 5000, "serve() to resolve");
  assert.equal(listener.calls >= 2, true, "the failed accept() and the one that took the client");
  assert.deepEqual(logs.errors, []); // no shortage after all: nothing to say
  assert.ok(!logs.info.some((line) => line.startsWith("File descriptors")), logs.info.join("\n"));
  assert.equal(stats.connections, 1);
  assert.equal(stats.rejected, 0);
});
