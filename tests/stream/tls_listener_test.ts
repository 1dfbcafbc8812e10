/**
 * The TLS listener over real sockets: a handshake that stalls is closed at
 * its deadline (the client sees its connection end, not only the server
 * forget it), a plaintext client is closed and reported, too many handshakes
 * at once are refused, and an accepted connection reads, writes and closes as
 * a `Deno.TcpConn` does.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  type HandshakeFailure,
  listenTls,
  type TlsListener,
} from "../../lib/stream/tls_listener.ts";
import { checkTlsPair, InvalidTlsMaterial } from "../../lib/stream/tls_listener.ts";
import type { Conn } from "../../lib/stream/connection_io.ts";
import { CA_PEM, CERT_PEM, KEY_PEM } from "../support/tls_files.ts";
import { within } from "../support/processes.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A refusal the listener reported. */
interface Refusal {
  why: HandshakeFailure;
  detail: string;
  port: number;
}

/** Runs `body` with a listener on 127.0.0.1 and the refusals it reports; closes it after. */
async function withListener(
  options: {
    handshakeTimeoutMs?: number;
    maxHandshakes?: number;
    maxHandshakesPerAddress?: number;
  },
  body: (
    listener: TlsListener,
    refusals: Refusal[],
    refused: () => Promise<Refusal>,
  ) => Promise<void>,
): Promise<void> {
  const refusals: Refusal[] = [];
  let waiting: ((refusal: Refusal) => void) | null = null;
  const listener = await listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: CERT_PEM,
    key: KEY_PEM,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    maxHandshakes: options.maxHandshakes ?? 100,
    maxHandshakesPerAddress: options.maxHandshakesPerAddress ?? 0,
    onRefused: (peer, why, detail) => {
      const refusal = { why, detail, port: peer.port };
      refusals.push(refusal);
      waiting?.(refusal);
      waiting = null;
    },
  });
  const refused = () =>
    refusals.length > 0
      ? Promise.resolve(refusals.shift()!)
      : within(new Promise<Refusal>((resolve) => waiting = resolve), 5000, "a refusal");
  try {
    await body(listener, refusals, refused);
  } finally {
    listener.close();
  }
}

/** A TLS client of the test CA. */
function connectTls(port: number): Promise<Deno.TlsConn> {
  return Deno.connectTls({ hostname: "localhost", port, caCerts: [CA_PEM] });
}

/** Reads until `conn` ends or resets; resolves with what came (null on a reset). */
async function readToEnd(conn: Deno.Conn): Promise<string | null> {
  const buffer = new Uint8Array(4096);
  let text = "";
  try {
    for (;;) {
      const count = await conn.read(buffer);
      if (count === null) return text;
      text += decoder.decode(buffer.subarray(0, count));
    }
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionReset) return null;
    throw error;
  }
}

Deno.test("TLS listener: a connection that never sends a hello is closed at the deadline, not only forgotten", async () => {
  await withListener({ handshakeTimeoutMs: 300 }, async (listener, _refusals, refused) => {
    const silent = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    try {
      const started = performance.now();
      // The client itself sees its connection end: the server's socket is gone.
      const got = await within(readToEnd(silent), 5000, "the silent connection to be closed");
      const waited = performance.now() - started;
      assert.ok(got === "" || got === null, `nothing but the close: ${got}`);
      assert.ok(waited >= 250, `closed at the deadline, not before (${waited} ms)`);
      const refusal = await refused();
      assert.equal(refusal.why, "timeout");
      assert.equal(refusal.port, silent.localAddr.port, "reported with the client's address");
      assert.equal(listener.handshakes, 0);
    } finally {
      silent.close();
    }
  });
});

Deno.test("TLS listener: a plaintext client is closed and reported as not TLS", async () => {
  await withListener({}, async (listener, _refusals, refused) => {
    const plain = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    try {
      await plain.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      await within(readToEnd(plain), 5000, "the plaintext client to be closed");
      const refusal = await refused();
      assert.equal(refusal.why, "not-tls");
      assert.match(refusal.detail, /version|corrupt|record/i, refusal.detail);
    } finally {
      plain.close();
    }
  });
});

Deno.test("TLS listener: a client that closes before its hello, or refuses the certificate, is not reported as not TLS", async () => {
  await withListener({}, async (listener, _refusals, refused) => {
    const port = listener.addr.port;
    const scanner = await Deno.connect({ hostname: "127.0.0.1", port });
    scanner.close();
    assert.deepEqual(await refused(), { why: "closed", detail: "", port: scanner.localAddr.port });
    // A TLS client that does not trust the test CA ends the handshake with an alert.
    const untrusting = await Deno.connectTls({ hostname: "localhost", port });
    try {
      await assert.rejects(untrusting.handshake());
    } finally {
      untrusting.close();
    }
    // Its alert, or its close right after it, whichever the TLS layer reports first.
    const refusal = await refused();
    assert.ok(refusal.why === "alert" || refusal.why === "closed", JSON.stringify(refusal));
    if (refusal.why === "alert") assert.match(refusal.detail, /UnknownCA|unknown ca/i);
  });
});

Deno.test("TLS listener: past maxHandshakes a connection is closed at once", async () => {
  await withListener({ maxHandshakes: 1 }, async (listener, _refusals, refused) => {
    const first = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const second = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    try {
      const refusal = await refused();
      assert.equal(refusal.why, "too-many");
      assert.equal(refusal.port, second.localAddr.port);
      await within(readToEnd(second), 5000, "the second connection to be closed");
      assert.equal(listener.handshakes, 1, "the first still has its handshake ahead");
    } finally {
      first.close();
      second.close();
    }
  });
});

Deno.test("TLS listener: one address cannot take every handshake slot; another still gets in", async () => {
  await withListener(
    { maxHandshakes: 10, maxHandshakesPerAddress: 2 },
    async (listener, _r, refused) => {
      const port = listener.addr.port;
      const silent = [
        await Deno.connect({ hostname: "127.0.0.1", port }),
        await Deno.connect({ hostname: "127.0.0.1", port }),
      ];
      const third = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        const refusal = await refused();
        assert.equal(refusal.why, "too-many-here");
        assert.equal(refusal.port, third.localAddr.port);
        await within(readToEnd(third), 5000, "the third connection to be closed");
        // A slot given back (a silent one leaves) is taken by the next client from here.
        silent.pop()!.close();
        await within(
          (async () => {
            while (listener.handshakes > 1) await new Promise((resolve) => setTimeout(resolve, 5));
          })(),
          5000,
          "the slot to be given back",
        );
        const client = await connectTls(port);
        try {
          await client.handshake();
          (await within(listener.accept(), 5000, "the accept")).close();
        } finally {
          client.close();
        }
      } finally {
        for (const conn of [...silent, third]) conn.close();
      }
    },
  );
});

Deno.test("TLS listener: an address screened out is closed before any handshake, and reported as denied", async () => {
  await withListener({}, async (listener, _refusals, refused) => {
    const screened: string[] = [];
    listener.screen((hostname) => {
      screened.push(hostname);
      return false;
    });
    const port = listener.addr.port;
    const denied = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      const refusal = await refused();
      assert.equal(refusal.why, "denied");
      assert.equal(refusal.port, denied.localAddr.port);
      assert.deepEqual(screened, ["127.0.0.1"]);
      await within(readToEnd(denied), 5000, "the denied connection to be closed");
      // A TLS client from there never gets a certificate: its handshake fails.
      const client = await connectTls(port);
      try {
        await assert.rejects(client.handshake());
      } finally {
        client.close();
      }
      assert.equal((await refused()).why, "denied");
    } finally {
      denied.close();
    }
  });
});

Deno.test("TLS listener: an accepted connection reads, writes, half-closes and closes like a TcpConn", async () => {
  await withListener({}, async (listener) => {
    const client = await connectTls(listener.addr.port);
    let server: Conn | null = null;
    try {
      const accepting = listener.accept();
      await client.write(encoder.encode("hello 你好\n"));
      server = await within(accepting, 5000, "the accept");
      assert.equal(server.remoteAddr.hostname, "127.0.0.1");
      assert.equal(server.remoteAddr.port, client.localAddr.port);
      const buffer = new Uint8Array(4);
      let read = "";
      while (!read.endsWith("\n")) {
        const count = await server.read(buffer); // smaller than the line: read in parts
        assert.ok(count !== null && count <= 4);
        read += decoder.decode(buffer.subarray(0, count), { stream: true });
      }
      assert.equal(read, "hello 你好\n");
      const big = new Uint8Array(256 * 1024).fill(0x61);
      const writing = server.write(big);
      const received = (async () => {
        const into = new Uint8Array(65536);
        let total = 0;
        while (total < big.length) total += (await client.read(into)) ?? Infinity;
        return total;
      })();
      assert.equal(await writing, big.length);
      assert.equal(await within(received, 5000, "the big write"), big.length);
      await server.closeWrite();
      assert.equal(await within(client.read(new Uint8Array(8)), 5000, "the end"), null);
      await client.closeWrite();
      assert.equal(await within(server.read(new Uint8Array(8)), 5000, "the client's end"), null);
      server.close();
      await assert.rejects(server.read(new Uint8Array(8)), Deno.errors.BadResource);
      assert.throws(() => server!.close(), Deno.errors.BadResource);
      await assert.rejects(server.write(encoder.encode("x")), Deno.errors.BrokenPipe);
    } finally {
      client.close();
    }
  });
});

Deno.test("TLS listener: a client that resets is seen as a reset (isPeerGone), not a crash", async () => {
  await withListener({}, async (listener) => {
    const client = await connectTls(listener.addr.port);
    await client.handshake();
    const server = await within(listener.accept(), 5000, "the accept");
    try {
      // SO_LINGER 0 is not reachable from Deno: closing with unread data sends a reset.
      await server.write(encoder.encode("unread\n"));
      client.close(); // a reset if the line arrived unread, else an end: either must be calm
      const outcome = await within(
        server.read(new Uint8Array(16)).then((count) => count, (error) => error),
        5000,
        "the server's read to end",
      );
      assert.ok(
        outcome === null || outcome instanceof Deno.errors.ConnectionReset,
        `an end or a reset: ${outcome}`,
      );
    } finally {
      server.close();
    }
  });
});

Deno.test("TLS listener: close() ends a waiting accept() and handshakes in progress", async () => {
  const refusals: HandshakeFailure[] = [];
  const listener = await listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: CERT_PEM,
    key: KEY_PEM,
    handshakeTimeoutMs: 10_000,
    maxHandshakes: 10,
    maxHandshakesPerAddress: 0,
    onRefused: (_peer, why) => refusals.push(why),
  });
  const silent = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  try {
    const accepting = listener.accept();
    // The server has the connection once its handshake is counted.
    await within(
      (async () => {
        while (listener.handshakes === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      })(),
      5000,
      "the handshake to start",
    );
    listener.close();
    await assert.rejects(accepting, Deno.errors.BadResource);
    await within(readToEnd(silent), 5000, "the handshake in progress to be closed");
    await assert.rejects(listener.accept(), Deno.errors.BadResource);
  } finally {
    silent.close();
  }
});

Deno.test("TLS listener: a port in use is AddrInUse, as Deno.listen says it", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await assert.rejects(
      listenTls({
        hostname: "127.0.0.1",
        port: taken.addr.port,
        cert: CERT_PEM,
        key: KEY_PEM,
        handshakeTimeoutMs: 1000,
        maxHandshakes: 1,
        maxHandshakesPerAddress: 0,
        onRefused: () => {},
      }),
      Deno.errors.AddrInUse,
    );
  } finally {
    taken.close();
  }
});

Deno.test("checkTlsPair() takes the pair, and says what is wrong with anything else", () => {
  const facts = checkTlsPair(CERT_PEM, KEY_PEM);
  assert.equal(facts.isCa, false);
  assert.ok(facts.validTo.getTime() > Date.now());
  assert.equal(
    checkTlsPair(CA_PEM, Deno.readTextFileSync(new URL("../support/tls/ca.key", import.meta.url)))
      .isCa,
    true,
  );
  assert.throws(() => checkTlsPair(CA_PEM, KEY_PEM), (error: Error) => {
    assert.ok(error instanceof InvalidTlsMaterial);
    assert.match(error.message, /not the certificate's/);
    return true;
  });
  assert.throws(() => checkTlsPair(KEY_PEM, KEY_PEM), /no PEM certificate/);
  assert.throws(() => checkTlsPair(CERT_PEM, CERT_PEM), /no PEM private key/);
  assert.throws(() => checkTlsPair("", ""), InvalidTlsMaterial);
});
