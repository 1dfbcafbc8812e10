/**
 * Tests for lib/client/client_connect.ts: each way a connection fails becomes one
 * line in the user's language, and the time limit gives up on time without
 * leaving a late connection open.
 *
 * NOTE: no address on this machine reliably leaves a connection attempt
 * unanswered (a listener with a full backlog is not dependable, and other
 * addresses are outside the tests' permissions), so the time limit is tested
 * with a connect function that waits for the test's go-ahead before it
 * really connects.
 */

import assert from "node:assert/strict";
import { ConnectError, type ConnectOptions, connectTo } from "../../lib/client/client_connect.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { within } from "../support/processes.ts";

/** A loopback listener on a free port. */
function listen(): Deno.TcpListener {
  return Deno.listen({ hostname: "127.0.0.1", port: 0 });
}

/** A connect function that waits for `open()` before it connects for real. */
function gatedConnect(): { connect: NonNullable<ConnectOptions["connect"]>; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { connect: (target) => gate.then(() => Deno.connect(target)), open };
}

/** Asserts `promise` rejects with a ConnectError whose message is `text`. */
async function assertConnectError(promise: Promise<unknown>, text: string): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ConnectError, `expected ConnectError, got ${error}`);
    assert.equal(error.message, text);
    return true;
  });
}

Deno.test("connectTo() connects, with or without a time limit", async () => {
  const listener = listen();
  const { port } = listener.addr;
  for (const options of [undefined, {}, { timeoutMs: 5000 }]) {
    const conn = await connectTo("127.0.0.1", port, TEXTS.en, options);
    const accepted = await listener.accept();
    assert.equal(conn.remoteAddr.port, port);
    conn.close();
    accepted.close();
  }
  listener.close();
});

Deno.test("connectTo() explains a refused connection, also with a time limit", async () => {
  const listener = listen();
  const { port } = listener.addr;
  listener.close();
  for (const options of [{}, { timeoutMs: 5000 }]) {
    await assertConnectError(
      connectTo("127.0.0.1", port, TEXTS.zh, options),
      TEXTS.zh.connectionRefused("127.0.0.1", port),
    );
  }
});

Deno.test("connectTo() says a malformed host is not a valid host name, in one line", async () => {
  for (const host of ["a b", "127.0.0.1:80", "::1]", "é.com", "localhost:abc"]) {
    await assertConnectError(connectTo(host, 50000, TEXTS.en), TEXTS.en.invalidHost(host));
    await assertConnectError(connectTo(host, 50000, TEXTS.zh), TEXTS.zh.invalidHost(host));
  }
});

Deno.test("connectTo() explains a TypeError or URIError of the connect function as a bad host", async () => {
  for (const error of [new TypeError("bad hostname"), new URIError("invalid host")]) {
    await assertConnectError(
      connectTo("x", 1, TEXTS.en, { connect: () => Promise.reject(error) }),
      TEXTS.en.invalidHost("x"),
    );
  }
});

Deno.test("connectTo() gives up after timeoutMs with the connectTimeout text", async () => {
  const { connect } = gatedConnect(); // never opened: the attempt never ends
  const startedAt = performance.now();
  await assertConnectError(
    connectTo("127.0.0.1", 50000, TEXTS.en, { timeoutMs: 50, connect }),
    "Cannot connect to 127.0.0.1:50000: no answer within 0.05 seconds",
  );
  const elapsed = performance.now() - startedAt;
  assert.ok(elapsed >= 45 && elapsed < 2000, `gave up after ${elapsed.toFixed(0)} ms`);
});

Deno.test("connectTo() says the time limit in the user's language", async () => {
  const { connect } = gatedConnect();
  await assertConnectError(
    connectTo("::1", 7, TEXTS.zh, { timeoutMs: 1000, connect }),
    "无法连接到 [::1]:7：1 秒内没有响应",
  );
});

Deno.test("connectTo() closes a connection that completes after the time limit", async () => {
  const listener = listen();
  const { port } = listener.addr;
  const { connect, open } = gatedConnect();
  await assertConnectError(
    connectTo("127.0.0.1", port, TEXTS.en, { timeoutMs: 20, connect }),
    TEXTS.en.connectTimeout("127.0.0.1", port, 0.02),
  );
  open(); // now the connection is made, too late
  const accepted = await listener.accept();
  // End of stream: connectTo() closed its side (and the test's resource check finds no leak).
  try {
    const read = await within(accepted.read(new Uint8Array(1)), 5000, "the late connection's end");
    assert.equal(read, null);
  } finally {
    accepted.close();
  }
  listener.close();
});

Deno.test("connectTo() lets a connect attempt that fails after the time limit fail quietly", async () => {
  let fail!: () => void;
  const late = new Promise<never>((_, reject) => {
    fail = () => reject(new Deno.errors.ConnectionRefused("refused"));
  });
  await assertConnectError(
    connectTo("127.0.0.1", 9, TEXTS.en, { timeoutMs: 10, connect: () => late }),
    TEXTS.en.connectTimeout("127.0.0.1", 9, 0.01),
  );
  fail(); // no unhandled rejection may follow
  await new Promise((resolve) => setTimeout(resolve, 10));
});

Deno.test("connectTo() clears its timer when the connection is made in time", async () => {
  // The test's op sanitizer fails the test if a timer is left running.
  const listener = listen();
  const conn = await connectTo("127.0.0.1", listener.addr.port, TEXTS.en, {
    timeoutMs: 60_000,
  });
  const accepted = await listener.accept();
  conn.close();
  accepted.close();
  listener.close();
});
