/**
 * Chat mode end to end over real sockets: `serve()` in-process with
 * `mode: "chat"`, clients on 127.0.0.1. The room's own rules are tested in
 * `chat_room_test.ts`; these are about the connections: many talkers at once,
 * a client that never reads, a flood, controls, the tutorial's client,
 * leaving for each reason, and shutdown.
 *
 * @module
 */

import assert from "node:assert/strict";
import { NOTICE_PREFIX, TEXTS } from "../../lib/text/texts.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { noticeFrame } from "../../lib/chat/chat_lines.ts";
import { BURST_SECONDS } from "../../lib/chat/rate_limit.ts";
import { hasPython, WAIT_MS, within } from "../support/processes.ts";
import { startPythonPeer, TUTORIAL_CLIENT_PY } from "../support/python_peers.ts";
import { type SocketClient, type TestServer, withServer } from "../support/socket_helpers.ts";

const EN = TEXTS.en;
const decoder = new TextDecoder();

/** Connects a client and reads its welcome (and the history, `historyLines` of them). */
async function join(server: TestServer, historyLines = 0): Promise<SocketClient> {
  const client = await server.connect();
  const welcome = await client.readLine();
  assert.match(welcome, /^\*\*\* /, "the welcome is a server line");
  if (historyLines > 0) await client.readLines(historyLines);
  return client;
}

/** A server line as a client reads it (without its "\n"). */
function noticeLine(text: string): string {
  return new TextDecoder().decode(noticeFrame(text)).slice(0, -1);
}

/** Reads lines until one equals `line` (others' join notices may come first). */
async function readUntil(client: SocketClient, line: string, ms = WAIT_MS): Promise<string[]> {
  const seen: string[] = [];
  const search = async () => {
    for (;;) {
      const next = await client.readLine(ms);
      seen.push(next);
      if (next === line) return seen;
    }
  };
  return await within(search(), ms, JSON.stringify(line));
}

Deno.test("chat: three clients, lines go to the others only, notices for joins and leaves", async () => {
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    const alice = await join(server);
    const bob = await join(server);
    assert.equal(await alice.readLine(), "*** guest2 joined");
    const carol = await join(server);
    assert.equal(await alice.readLine(), "*** guest3 joined");
    assert.equal(await bob.readLine(), "*** guest3 joined");

    await alice.write("hello room\n");
    assert.equal(await bob.readLine(), "[guest1] hello room");
    assert.equal(await carol.readLine(), "[guest1] hello room");

    await carol.write("/quit bye all\n");
    assert.equal(await alice.readLine(), "*** guest3 left (bye all)");
    assert.equal(await bob.readLine(), "*** guest3 left (bye all)");
    assert.equal(
      await carol.readTextToEnd(),
      decoder.decode(noticeFrame(CHAT_TEXTS.en.chatBye)),
      "a last line, then the server closes a client after /quit",
    );

    bob.close();
    assert.equal(await alice.readLine(), "*** guest2 left");
    // Alice got nothing of her own line back: the next thing she reads is the leave above.
  });
});

Deno.test("chat: /nick server and /me shutting down reach the others as an action, not as the server's line", async () => {
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    const mallory = await join(server);
    const victim = await join(server);
    await mallory.readLine(); // guest2 joined
    await mallory.write(
      "/nick server\n/me shutting down\n/nick Welcome\n/me to the chat, you are guest9\n",
    );
    assert.deepEqual(await victim.readLines(4), [
      "*** guest1 is now server",
      "* server shutting down",
      "*** server is now Welcome",
      "* Welcome to the chat, you are guest9",
    ]);
    await mallory.write("/nick ***\n/nick *server\n");
    assert.deepEqual(await mallory.readLines(4), [
      "*** guest1 is now server",
      "*** server is now Welcome",
      '*** Invalid name "***": use 1 to 24 letters, digits, "_" or "-"',
      '*** Invalid name "*server": use 1 to 24 letters, digits, "_" or "-"',
    ]);
    const stopped = server.stop();
    const last = await victim.readTextToEnd();
    assert.equal(last, `${NOTICE_PREFIX}${CHAT_TEXTS.en.chatShuttingDown}\n`);
    assert.ok(!last.startsWith("* "), "the real shutdown line does not look like an action");
    await stopped;
  });
});

Deno.test("chat: 50 clients talking at once get every other line, in each sender's order, none of their own", async () => {
  const clients = 50;
  const linesEach = 10;
  await withServer({ mode: "chat", quiet: true, rateLinesPerSecond: 0 }, async (server) => {
    const members: SocketClient[] = [];
    for (let i = 0; i < clients; i++) members.push(await join(server));
    // Wait until the last one's join reached everybody, so no join notice comes later.
    await Promise.all(members.slice(0, -1).map((m) => readUntil(m, `*** guest${clients} joined`)));

    await Promise.all(members.map(async (member, i) => {
      let text = "";
      for (let k = 0; k < linesEach; k++) text += `m${i + 1}-${k}\n`;
      await member.write(text);
    }));
    await Promise.all(members.map(async (member, i) => {
      const lines = await member.readLines((clients - 1) * linesEach, WAIT_MS * 2);
      const next = new Map<string, number>(); // per sender, the next number expected
      for (const line of lines) {
        const match = line.match(/^\[(guest\d+)\] m(\d+)-(\d+)$/);
        assert.ok(match, `a line of a person: ${line}`);
        const [, nick, sender, k] = match;
        assert.equal(nick, `guest${sender}`);
        assert.notEqual(Number(sender), i + 1, "no line of its own");
        assert.equal(
          Number(k),
          next.get(nick!) ?? 0,
          `${nick}'s lines in order, none lost or doubled`,
        );
        next.set(nick!, Number(k) + 1);
      }
      assert.equal(next.size, clients - 1);
    }));
  });
});

Deno.test("chat: a client that never reads is dropped as too slow; the others' lines keep coming", async () => {
  const stats = await withServer(
    { mode: "chat", quiet: true, rateLinesPerSecond: 0 },
    async (server) => {
      const talker = await join(server);
      const listener = await join(server);
      await talker.readLine(); // guest2 joined
      const sleeper = await join(server); // reads nothing from here on
      await talker.readLine();
      await listener.readLine();

      // Far more than the kernel's socket buffers and the backlog limit hold.
      const line = "x".repeat(1000);
      const lines = 10_000;
      const sending = (async () => {
        for (let i = 0; i < lines; i += 100) await talker.write(`${line}\n`.repeat(100));
      })();
      const seen = await readUntil(listener, "*** guest3 left (too slow)", WAIT_MS * 3);
      assert.ok(seen.length < lines, "dropped while the talker was still talking");
      await sending;
      const rest = await listener.readLines(lines - (seen.length - 1), WAIT_MS * 3);
      assert.ok(rest.every((got) => got === `[guest1] ${line}`));
      sleeper.close();
    },
  );
  assert.equal(stats.connections, 3);
});

Deno.test("chat: a flooding client is slowed, loses nothing, and another's line still arrives at once", async () => {
  await withServer({ mode: "chat", quiet: true, rateLinesPerSecond: 100 }, async (server) => {
    const flooder = await join(server);
    const talker = await join(server);
    await flooder.readLine();
    const listener = await join(server);
    await flooder.readLine();
    await talker.readLine();

    // 100 lines a second with a burst of 300: 600 lines take about 3 s to get through.
    const count = 600;
    let flood = "";
    for (let i = 0; i < count; i++) flood += `flood ${i}\n`;
    await flooder.write(flood);
    assert.equal(await listener.readLine(), "[guest1] flood 0");
    await talker.write("meanwhile\n");
    const before = await readUntil(listener, "[guest2] meanwhile");
    assert.ok(
      before.length < count,
      `the other line came before the flood ended (${before.length})`,
    );
    const floodLines = [...before.filter((line) => line.startsWith("[guest1]"))];
    floodLines.push(...await listener.readLines(count - 1 - floodLines.length, WAIT_MS * 2));
    assert.deepEqual(
      floodLines,
      Array.from({ length: count - 1 }, (_, i) => `[guest1] flood ${i + 1}`),
    );
  });
});

Deno.test("chat: a flooder is told once when its lines start to wait, not behind them, and again only after a quiet stretch", async () => {
  const rate = 200; // a burst of 600 lines
  const slowDown = noticeLine(CHAT_TEXTS.en.chatSlowDown(rate));
  await withServer({ mode: "chat", quiet: true, rateLinesPerSecond: rate }, async (server) => {
    const flooder = await join(server);
    const listener = await join(server);
    await flooder.readLine(); // guest2 joined
    const floodLines = (tag: string, count: number) =>
      Array.from({ length: count }, (_, i) => `${tag} ${i}`);
    /** Sends `lines` at once; the listener gets them all, in order, while the flooder is told. */
    const flood = async (lines: string[], told: boolean) => {
      let all = false;
      const heard = listener.readLines(lines.length, WAIT_MS * 2).finally(() => all = true);
      await flooder.write(lines.map((line) => line + "\n").join(""));
      if (told) {
        assert.equal(await flooder.readLine(), slowDown);
        assert.ok(!all, "the notice came while the flooder's lines were still held");
      }
      assert.deepEqual(await heard, lines.map((line) => `[guest1] ${line}`));
    };
    /** The flooder's next line is the listener's: nothing else (no second notice) came before. */
    const nothingElse = async (mark: string) => {
      await listener.write(`${mark}\n`);
      assert.equal(await flooder.readLine(), `[guest2] ${mark}`);
    };

    await flood(floodLines("a", 700), true); // 100 past the burst: half a second held
    await flood(floodLines("b", 50), false); // at once again: held, but the same episode
    await nothingElse("one notice so far");
    // The quiet stretch: the bucket is full again BURST_SECONDS after the last held line. A real
    // wait (3.2 s), not a synchronisation: nothing the server sends marks the bucket filling up.
    await new Promise((resolve) => setTimeout(resolve, BURST_SECONDS * 1000 + 200));
    await flood(floodLines("c", 700), true); // a new episode: told again, once
    await nothingElse("two notices in all");
  });
});

Deno.test("chat: controls and bidi overrides from one client reach nobody as themselves", async () => {
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    const mallory = await join(server);
    const victim = await join(server);
    await mallory.readLine();
    await mallory.write("\x1b[2J\x1b[31mred\x07\b \u202egnp.exe\u2066 x\x9b1A\n");
    const line = await victim.readLine();
    assert.ok(line.startsWith("[guest1] "));
    // Nothing that acts on a terminal: controls (tab aside), C1, bidi controls.
    // deno-lint-ignore no-control-regex
    const unsafe = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    assert.doesNotMatch(line, unsafe);
    assert.ok(line.includes("red"));
  });
});

Deno.test("chat: leaving for a too long line or an idle timeout is announced with the reason", async () => {
  await withServer(
    { mode: "chat", quiet: true, maxLineBytes: 16, idleTimeoutMs: 300 },
    async (server) => {
      const stays = await join(server);
      const long = await join(server);
      await stays.readLine();
      await long.write("x".repeat(40) + "\n");
      await readUntil(stays, "*** guest2 left (line too long)");
      const longLast = (await long.readTextToEnd()).trimEnd().split("\n").at(-1);
      assert.equal(longLast, NOTICE_PREFIX + EN.lineTooLong(16));
      // stays itself is silent, so the idle timeout ends it too; a third client sees that.
      const third = await join(server);
      await readUntil(third, "*** guest1 left (idle)", WAIT_MS);
      // ...and tells it why before closing.
      const last = (await stays.readTextToEnd()).trimEnd().split("\n").at(-1);
      assert.equal(last, NOTICE_PREFIX + EN.idleTimeout(0.3));
    },
  );
});

Deno.test("chat: on shutdown every client gets the shutting-down line and no leave notices", async () => {
  let clients: SocketClient[] = [];
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    clients = [await join(server), await join(server), await join(server)];
    await clients[0]!.readLines(2);
    await clients[1]!.readLine();
    const stopped = server.stop();
    for (const client of clients) {
      assert.equal(
        await client.readTextToEnd(),
        `${NOTICE_PREFIX}${CHAT_TEXTS.en.chatShuttingDown}\n`,
      );
    }
    await stopped;
  });
});

Deno.test({
  name: "chat: the tutorial's python client (no newline) chats through the idle flush",
  ignore: !(await hasPython()),
  fn: async () => {
    await withServer({ mode: "chat", quiet: true }, async (server) => {
      const listener = await join(server);
      const peer = startPythonPeer(TUTORIAL_CLIENT_PY, [String(server.port), "hello from python"]);
      try {
        assert.equal(await listener.readLine(), "*** guest2 joined");
        assert.equal(await listener.readLine(), "[guest2] hello from python");
      } finally {
        const result = await peer.finish();
        assert.equal(result.code, 0, result.stderr);
      }
    });
  },
});

Deno.test("chat: a client streaming megabytes into the room at the default rate delays nobody and gets nobody dropped", async () => {
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    const streamer = await join(server);
    const talker = await join(server);
    await streamer.readLine();
    const listener = await join(server);
    await streamer.readLine();
    await talker.readLine();

    const file = `${"y".repeat(63)}\n`.repeat(65536); // 4 MiB of 64-byte lines
    // The server reads it at 20 lines a second: this write never finishes during the test.
    const streaming = streamer.write(file).catch(() => {});
    assert.equal(await listener.readLine(), `[guest1] ${"y".repeat(63)}`);
    const sentAt = performance.now();
    await talker.write("still here\n");
    const seen = await readUntil(listener, "[guest2] still here");
    const delayMs = performance.now() - sentAt;
    assert.ok(seen.every((line) => !line.includes(" left")), "nobody was dropped");
    // Not a timing test: the bound only tells "at once" from "after the stream" (minutes).
    assert.ok(delayMs < WAIT_MS, `the line came after ${delayMs} ms`);
    streamer.close();
    await streaming;
  });
});

Deno.test("chat: a client over --max-conns gets the busy line as a server line (`*** `)", async () => {
  await withServer({ mode: "chat", quiet: true, maxConnections: 1 }, async (server) => {
    await join(server);
    const turnedAway = await server.connect();
    assert.equal(await turnedAway.readTextToEnd(), `${NOTICE_PREFIX}${EN.tooManyClients(1)}\n`);
  });
});

Deno.test("chat: without historySize, serve() shows a late joiner the last 20 lines (--history's default)", async () => {
  await withServer({ mode: "chat", quiet: true, rateLinesPerSecond: 0 }, async (server) => {
    const talker = await join(server);
    const listener = await join(server);
    await talker.readLine(); // guest2 joined
    const said = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`);
    await talker.write(said.map((text) => `${text}\n`).join(""));
    await listener.readLines(said.length); // the room has them all
    const late = await server.connect();
    assert.match(await late.readLine(), /^\*\*\* Welcome /);
    assert.equal(await late.readLine(), "*** Earlier in the room, the last 20 lines:");
    const kept = said.slice(-20).map((text) => `[guest1] ${text}`);
    assert.deepEqual(await late.readLines(20), kept);
    // Nothing older after them: the late joiner's next line is a new one.
    await talker.write("after\n");
    assert.equal(await late.readLine(), "[guest1] after");
  });
});

Deno.test("chat: the log says who sent a /msg to whom, never its text", async () => {
  await withServer({ mode: "chat" }, async (server) => {
    const alice = await join(server);
    const bob = await join(server);
    await alice.readLine(); // guest2 joined
    await alice.write("/msg guest2 悄悄话 secret\n/MSG nobody hidden too\nin the open\n");
    assert.equal(await bob.readLine(), "[guest1 -> guest2] 悄悄话 secret");
    assert.equal(await bob.readLine(), "[guest1] in the open");
    // Each line is logged before it is delivered: the log is complete now.
    const log = server.logs.info;
    assert.ok(!log.some((line) => /secret|hidden/.test(line)), log.join("\n"));
    const texts = CHAT_TEXTS.en;
    assert.ok(log.includes(`[${alice.peer}] ${texts.chatPrivateLog("guest1", "guest2")}`));
    assert.ok(log.includes(`[${alice.peer}] ${texts.chatPrivateLog("guest1", "nobody")}`));
    assert.ok(log.includes(`[${alice.peer}] received: in the open`), log.join("\n"));
  });
});
