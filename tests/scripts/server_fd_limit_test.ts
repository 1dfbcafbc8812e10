/**
 * server.ts under a low file descriptor limit (`ulimit -n 64`), started as a
 * user starts it: the default --max-conns 1000 cannot be reached, so the
 * process runs out of descriptors first. Clients over what it can hold get the
 * busy line at once and are closed, the log says so once, and it serves again
 * when clients leave; without the permission for a reserve, it still logs
 * once and serves the waiting clients later.
 *
 * @module
 */

import assert from "node:assert/strict";
import { LOOPBACK, unusedPort } from "../support/ports.ts";
import { ON_FREE_PORT, type ServerProcess, startServer } from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";

/** Far below what 1000 clients need, and still enough for Deno to start. */
const FD_LIMIT = 64;
/** Bound on the busy line reaching a client over the limit: it should come at once. */
const BUSY_WITHIN_MS = 2000;
/** Most clients tried before concluding the server never runs out. */
const MAX_CLIENTS = 500;

/** Whether `sh` can start a program with a lower descriptor limit here. */
async function canLowerFdLimit(): Promise<boolean> {
  try {
    const command = new Deno.Command("sh", { args: ["-c", `ulimit -n ${FD_LIMIT}`] });
    return (await command.output()).success;
  } catch {
    return false; // no sh (Windows)
  }
}
const HAS_ULIMIT = await canLowerFdLimit();

/** The one log line about the shortage, when the reserve turns clients away. */
function turningAwayLine(clients: number): string {
  return `Out of file descriptors with ${clients} clients connected: new clients get the busy ` +
    `line until some leave (raise the limit with "ulimit -n" before starting the server, or ` +
    `set --max-conns below ${clients})`;
}

/** Non-empty lines of a stream's text. */
function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** Clients served and the time each turned-away client took to get its busy line. */
interface FillResult {
  served: SocketClient[];
  busyMs: number[];
}

/**
 * Connects clients one at a time, each sending a line, until `busyWanted` of
 * them got the busy line instead of a reply (each then must be closed by the
 * server). The served ones stay connected.
 */
async function fillUp(server: ServerProcess, busyWanted: number): Promise<FillResult> {
  const served: SocketClient[] = [];
  const busyMs: number[] = [];
  try {
    for (let i = 0; busyMs.length < busyWanted; i++) {
      assert.ok(i < MAX_CLIENTS, `${MAX_CLIENTS} clients and none turned away`);
      const startedAt = performance.now();
      const client = await SocketClient.connect(server.port);
      try {
        await client.write(`ping ${i}\n`);
        const line = await client.readLine(BUSY_WITHIN_MS);
        if (line === `Server received: ping ${i}`) {
          served.push(client);
          continue;
        }
        assert.equal(line, `Server busy: it already has ${served.length} clients, try again later`);
        assert.equal(await client.readTextToEnd(BUSY_WITHIN_MS), "", "closed after the line");
        busyMs.push(performance.now() - startedAt);
      } catch (error) {
        client.close();
        throw error;
      }
      client.close();
    }
  } catch (error) {
    for (const client of served) client.close();
    throw error;
  }
  return { served, busyMs };
}

for (const quiet of [false, true]) {
  const flag = quiet ? " -q" : "";
  Deno.test({
    name: `server.ts${flag} under ulimit -n ${FD_LIMIT} sends the busy line to clients it cannot ` +
      "hold, logs that once, and serves again when some leave",
    ignore: !HAS_ULIMIT,
    async fn() {
      const server = await startServer([...ON_FREE_PORT, ...(quiet ? ["-q"] : [])], {
        fdLimit: FD_LIMIT,
      });
      const clients: SocketClient[] = [];
      let held = 0;
      try {
        const { served, busyMs } = await fillUp(server, 3);
        clients.push(...served);
        held = served.length;
        assert.ok(held > 10 && held < FD_LIMIT, `${held} clients served`);
        for (const ms of busyMs) assert.ok(ms < 1000, `busy line after ${ms.toFixed(0)} ms`);
        // Two leave; once they see the end of stream, the server has closed their sockets.
        for (const client of served.slice(0, 2)) assert.equal(await client.finish(), "");
        const again = await SocketClient.connect(server.port);
        clients.push(again);
        assert.equal(await again.sendAndReadLines("back\n"), "Server received: back\n");
        assert.equal(
          await served.at(-1)!.sendAndReadLines("still here\n"),
          "Server received: still here\n",
        );
      } finally {
        for (const client of clients) client.close();
      }
      const { code, stdout, stderr } = await server.stop();
      assert.equal(code, 0, stderr);
      assert.deepEqual(linesOf(stderr), [turningAwayLine(held)]);
      assert.doesNotMatch(stdout, /Unexpected error/);
      const out = linesOf(stdout);
      assert.match(out.at(-1)!, new RegExp(`^Served ${held + 1} connections \\(3 turned away\\)`));
      if (quiet) assert.equal(out.length, 2, `ready line and summary only:\n${stdout}`);
      else {
        assert.ok(
          out.includes(
            "File descriptors available again, accepting clients (3 turned away meanwhile)",
          ),
          stdout,
        );
      }
    },
  });
}

Deno.test({
  name:
    `server.ts without a reserve (--allow-net for its own port only) under ulimit -n ${FD_LIMIT} ` +
    "logs the shortage once and serves a waiting client when others leave",
  ignore: !HAS_ULIMIT,
  async fn() {
    const port = unusedPort();
    // An idle timeout frees descriptors after a while: 1 s, 10 of the server's retry pauses.
    const server = await startServer(
      ["--host", LOOPBACK, "--port", String(port), "--idle-timeout", "1"],
      { fdLimit: FD_LIMIT, denoFlags: [`--allow-net=${LOOPBACK}:${port}`] },
    );
    const clients: SocketClient[] = [];
    const shortage = server.stderr.waitFor(/^Out of file descriptors/);
    shortage.catch(() => {}); // awaited below, or the loop fails first
    let waitedMs: number;
    try {
      // Fill up until the shortage is logged (the last client may or may not be in then).
      let last: Promise<void> | null = null;
      for (let i = 0; last === null; i++) {
        assert.ok(i < MAX_CLIENTS, `${MAX_CLIENTS} clients and no shortage`);
        const client = await SocketClient.connect(port);
        clients.push(client);
        await client.write(`ping ${i}\n`);
        const reply = client.readLine(20_000);
        const first = await Promise.race([reply, shortage.then(() => null)]);
        if (first === null) {
          last = reply.then((line) => assert.equal(line, `Server received: ping ${i}`));
          last.catch(() => {}); // awaited below
        } else assert.equal(first, `Server received: ping ${i}`);
      }
      assert.match(await shortage, /new clients wait until some leave/);
      // Over the limit now: this one waits until the idle timeout has closed the others.
      const startedAt = performance.now();
      const waiting = await SocketClient.connect(port);
      clients.push(waiting);
      assert.equal(
        await waiting.sendAndReadLines("waited\n", 1, 20_000),
        "Server received: waited\n",
      );
      waitedMs = performance.now() - startedAt;
      await last;
    } finally {
      for (const client of clients) client.close();
    }
    const { code, stdout, stderr } = await server.stop();
    assert.equal(code, 0, stderr);
    assert.ok(waitedMs > 500, `waited only ${waitedMs.toFixed(0)} ms: no retries to count`);
    assert.equal(linesOf(stderr).length, 1, `one line, not one per retry:\n${stderr}`);
    assert.doesNotMatch(stdout + stderr, /Unexpected error/);
    assert.match(stdout, /^File descriptors available again, accepting clients \(0 turned away/m);
  },
});
