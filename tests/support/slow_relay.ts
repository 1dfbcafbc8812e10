/**
 * A TCP relay on loopback whose replies can be made slow: bytes from the
 * client go to the target at once, bytes back wait `delayMs` (in order). Put
 * in front of redis-server, it makes a Redis that answers late, as a busy or
 * far-away one does, for the claims that give up waiting.
 *
 * @module
 */

import { LOOPBACK } from "./ports.ts";

/** A running relay; `close()` it in every test. */
export interface SlowRelay {
  /** Connect here to reach the target. */
  readonly port: number;
  /** How long each chunk of the target's replies waits before it is passed on; 0 at start. */
  delayMs: number;
  /** Closes the port and every connection, and waits for them. */
  close(): Promise<void>;
}

/**
 * Starts a relay to `127.0.0.1:targetPort`.
 *
 * @param targetPort The target's port.
 * @returns The relay.
 */
export function startSlowRelay(targetPort: number): SlowRelay {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const conns = new Set<Deno.Conn>();
  const timers = new Set<{ timer?: ReturnType<typeof setTimeout>; wake: () => void }>();
  const tasks = new Set<Promise<void>>();
  const relay = {
    port: (listener.addr as Deno.NetAddr).port,
    delayMs: 0,
    async close() {
      listener.close();
      for (const conn of conns) conn.close();
      for (const { timer, wake } of timers) {
        clearTimeout(timer);
        wake();
      }
      await Promise.allSettled([...tasks]);
    },
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry: { timer?: ReturnType<typeof setTimeout>; wake: () => void } = {
        wake: resolve,
      };
      entry.timer = setTimeout(() => {
        timers.delete(entry);
        resolve();
      }, ms);
      timers.add(entry);
    });
  const track = (task: Promise<void>) => {
    const done = task.catch(() => {}).finally(() => tasks.delete(done));
    tasks.add(done);
  };
  /** Copies `from` to `to`, each chunk held until it is due when `slow`. */
  const pipe = async (from: Deno.Conn, to: Deno.Conn, slow: boolean) => {
    const buffer = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        if (slow && relay.delayMs > 0) await sleep(relay.delayMs);
        for (let written = 0; written < chunk.length;) {
          written += await to.write(chunk.subarray(written));
        }
      }
    } finally {
      // One side ended: so does the other.
      for (const conn of [from, to]) {
        if (conns.delete(conn)) conn.close();
      }
    }
  };
  track((async () => {
    for await (const client of listener) {
      conns.add(client);
      track((async () => {
        const target = await Deno.connect({ hostname: LOOPBACK, port: targetPort });
        conns.add(target);
        await Promise.allSettled([pipe(client, target, false), pipe(target, client, true)]);
      })());
    }
  })());
  return relay;
}
