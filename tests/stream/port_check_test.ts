/**
 * Tests for lib/stream/port_check.ts with real sockets on 127.0.0.1.
 */

import assert from "node:assert/strict";
import { findFreePort, isPortFree } from "../../lib/stream/port_check.ts";

const HOST = "127.0.0.1";

/** Binds `port` (0 for any) and returns the listener, for the test to close. */
function listen(port = 0): Deno.TcpListener {
  return Deno.listen({ hostname: HOST, port });
}

Deno.test("isPortFree() is false for a port something listens on", () => {
  const listener = listen();
  try {
    assert.equal(isPortFree(HOST, listener.addr.port), false);
  } finally {
    listener.close();
  }
});

Deno.test("isPortFree() is true once the listener is closed", () => {
  const listener = listen();
  const port = listener.addr.port;
  listener.close();
  assert.equal(isPortFree(HOST, port), true);
});

Deno.test("isPortFree() leaves the port free after checking it", () => {
  const listener = listen();
  const port = listener.addr.port;
  listener.close();
  assert.equal(isPortFree(HOST, port), true);
  const again = listen(port); // would throw AddrInUse if the check kept it bound
  again.close();
});

Deno.test("isPortFree() throws errors other than 'address in use'", () => {
  // Outside the loopback addresses the tests may use (no permission), or not a
  // local address (with permission): either way, not an answer about the port.
  assert.throws(
    () => isPortFree("192.0.2.1", 50000),
    (error) => !(error instanceof Deno.errors.AddrInUse),
  );
});

Deno.test("findFreePort() returns a port that can be bound", () => {
  const taken = listen();
  try {
    const port = findFreePort(HOST, taken.addr.port);
    assert.ok(port !== null && port > 0 && port <= 65535, `port ${port}`);
    assert.notEqual(port, taken.addr.port);
    const listener = listen(port);
    listener.close();
  } finally {
    taken.close();
  }
});

Deno.test("findFreePort() tries the next ports first", () => {
  const taken = listen();
  try {
    const port = findFreePort(HOST, taken.addr.port);
    assert.ok(port !== null);
    if (taken.addr.port < 65535 && isPortFree(HOST, taken.addr.port + 1)) {
      assert.equal(port, taken.addr.port + 1);
    }
  } finally {
    taken.close();
  }
});

Deno.test("findFreePort() skips a taken next port", () => {
  const first = listen();
  let second: Deno.TcpListener | null = null;
  try {
    try {
      second = listen(first.addr.port + 1);
    } catch {
      // the next port is taken by someone else: the check below still holds
    }
    const port = findFreePort(HOST, first.addr.port, { attempts: 5 });
    assert.ok(port !== null);
    assert.notEqual(port, first.addr.port);
    assert.notEqual(port, first.addr.port + 1);
    const listener = listen(port);
    listener.close();
  } finally {
    second?.close();
    first.close();
  }
});

Deno.test("findFreePort() asks the system for any port when attempts is 0", () => {
  const port = findFreePort(HOST, 50000, { attempts: 0 });
  assert.ok(port !== null && port > 0);
  const listener = listen(port);
  listener.close();
});

Deno.test("findFreePort() does not go past port 65535", () => {
  const port = findFreePort(HOST, 65535);
  assert.ok(port !== null && port >= 1 && port <= 65535, `port ${port}`);
});

Deno.test("findFreePort() returns null when the host cannot be bound", () => {
  assert.equal(findFreePort("192.0.2.1", 50000, { attempts: 2 }), null);
});
