/**
 * A TCP relay a test controls, between a client (a browser, a WebSocket) and
 * a server: bytes pass both ways until the test drops the connections going
 * through it, in one of the two ways a phone's connection dies:
 * - `freeze()`: the client's side is closed, the server's side is kept open
 *   and nothing reaches it any more (what the server then sends is read and
 *   kept, never delivered): a server that has not noticed the client is gone;
 * - `cut()`: both sides closed at once, without a WebSocket close frame: a
 *   connection lost, which the server notices.
 * Connections made after either go through as usual, to the target set then
 * (`target`: a load balancer that sends the next connection elsewhere).
 *
 * @module
 */

import { LOOPBACK } from "./ports.ts";

/** One client's connection through the relay. */
interface Pair {
  client: Deno.TcpConn;
  server: Deno.TcpConn;
  frozen: boolean;
  /** What the server sent after the freeze. */
  afterFreeze: Uint8Array[];
  pumps: Promise<void>[];
}

/** The relay; `close()` it in every test. */
export class TcpRelay {
  readonly #listener: Deno.TcpListener;
  /** Where new connections go: a server's port on loopback. */
  target: number;
  readonly #pairs: Pair[] = [];
  readonly #accepting: Promise<void>;

  private constructor(listener: Deno.TcpListener, target: number) {
    this.#listener = listener;
    this.target = target;
    this.#accepting = this.#accept();
  }

  /**
   * Starts relaying from a free loopback port to `target`.
   *
   * @param target The server's port on loopback.
   * @returns The relay.
   */
  static start(target: number): TcpRelay {
    return new TcpRelay(Deno.listen({ hostname: LOOPBACK, port: 0 }), target);
  }

  /** The port to connect to. */
  get port(): number {
    return this.#listener.addr.port;
  }

  /** Closes the clients' side of every connection so far; their servers' side stays open, unfed. */
  freeze(): void {
    for (const pair of this.#pairs) {
      if (pair.frozen) continue;
      pair.frozen = true;
      tryClose(pair.client);
    }
  }

  /** Closes both sides of every connection so far. */
  cut(): void {
    for (const pair of this.#pairs) {
      pair.frozen = true;
      tryClose(pair.client);
      tryClose(pair.server);
    }
  }

  /**
   * What the servers sent to frozen connections, all together.
   *
   * @returns The bytes.
   */
  sentAfterFreeze(): Uint8Array {
    const chunks = this.#pairs.flatMap((pair) => pair.afterFreeze);
    const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return all;
  }

  /** Stops relaying and closes every connection; settles once all is closed. */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const pair of this.#pairs) {
      tryClose(pair.client);
      tryClose(pair.server);
    }
    await Promise.all(this.#pairs.flatMap((pair) => pair.pumps));
  }

  async #accept(): Promise<void> {
    for (;;) {
      let client: Deno.TcpConn;
      try {
        client = await this.#listener.accept();
      } catch {
        return; // closed
      }
      let server: Deno.TcpConn;
      try {
        server = await Deno.connect({ hostname: LOOPBACK, port: this.target });
      } catch {
        tryClose(client);
        continue;
      }
      const pair: Pair = { client, server, frozen: false, afterFreeze: [], pumps: [] };
      pair.pumps.push(pump(pair, client, server), pump(pair, server, client));
      this.#pairs.push(pair);
    }
  }
}

/** Copies `from` to `to` until either ends; after a freeze, keeps what the server sends. */
async function pump(pair: Pair, from: Deno.TcpConn, to: Deno.TcpConn): Promise<void> {
  const buffer = new Uint8Array(65536);
  const fromServer = from === pair.server;
  try {
    for (;;) {
      const n = await from.read(buffer);
      if (n === null) break;
      if (pair.frozen) {
        if (fromServer) pair.afterFreeze.push(buffer.slice(0, n));
        continue;
      }
      let written = 0;
      while (written < n) written += await to.write(buffer.subarray(written, n));
    }
  } catch {
    // a side closed
  }
  // A client that leaves closes its server side too, unless the test froze it (it stays open).
  if (!pair.frozen) {
    tryClose(to);
    tryClose(from);
  }
}

function tryClose(conn: Deno.TcpConn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
