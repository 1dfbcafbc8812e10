/**
 * A room with a key (`roomKey`, `--key-file`) over real sockets, `serve()`
 * in-process: the first line asks for the key; the right key gets the
 * welcome and only then joins; a wrong one gets one line and is closed about
 * a second later, the room, its history and the message log none the wiser;
 * no key in time, one line and a close; an HTTP request line still gets its
 * HTTP answer.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { DEFAULT_WELCOME_WAIT_MS, WRONG_KEY_DELAY_MS } from "../../lib/settings/defaults.ts";
import { type SocketClient, type TestServer, withServer } from "../support/socket_helpers.ts";

const EN = CHAT_TEXTS.en;
const KEY = "class-7b-secret";
const ASKED = NOTICE_PREFIX + EN.chatKeyNeeded;
/** The most a wrong key's close may come after the delay, on a loaded machine. */
const CLOSE_SLACK_MS = 2000;

/** A client that gave the key and read its welcome. */
async function member(server: TestServer): Promise<SocketClient> {
  const client = await server.connect();
  assert.equal(await client.readLine(), ASKED);
  await client.write(KEY + "\n");
  assert.match(await client.readLine(), /^\*\*\* Welcome to the chat, you are guest\d+\./);
  return client;
}

Deno.test("room key: the first line asks for it; the right key gets the welcome, then the others hear", async () => {
  await withServer({ mode: "chat", roomKey: KEY }, async (server) => {
    const ann = await member(server);
    await ann.write("hello\n");
    const bob = await server.connect();
    assert.equal(await bob.readLine(), ASKED);
    // Asked, not in yet: ann has heard nothing of bob, and /who names her alone.
    await ann.write("/who\n");
    assert.equal(await ann.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1"]));
    await bob.write(KEY + "\r\n"); // as telnet sends it
    assert.equal(
      await bob.readLine(),
      NOTICE_PREFIX + EN.chatWelcome("guest2", ["guest1"], 0),
    );
    assert.equal(await bob.readLine(), NOTICE_PREFIX + EN.chatEarlierLines(1));
    assert.equal(await bob.readLine(), "[guest1] hello");
    assert.equal(await ann.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    assert.ok(!server.logs.info.some((line) => line.includes(KEY)), "the key is never logged");
  });
});

Deno.test("room key: lines sent with the key in one write come to the room after it (printf | nc)", async () => {
  await withServer({ mode: "chat", roomKey: KEY }, async (server) => {
    const ann = await member(server);
    const bob = await server.connect();
    await bob.write(`${KEY}\nhello from bob\n`);
    assert.equal(await bob.readLine(), ASKED);
    assert.match(await bob.readLine(), /^\*\*\* Welcome/);
    assert.equal(await ann.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    assert.equal(await ann.readLine(), "[guest2] hello from bob");
    await server.logs.waitFor("info", /received: hello from bob$/);
    assert.ok(!server.logs.info.some((line) => line.includes(KEY)), "the key is never logged");
  });
});

Deno.test("room key: a wrong key gets one line and a close a second later; nothing reaches the room", async () => {
  await withServer({ mode: "chat", roomKey: KEY }, async (server) => {
    const ann = await member(server);
    const guesser = await server.connect();
    assert.equal(await guesser.readLine(), ASKED);
    const sentAt = performance.now();
    await guesser.write("wrong-guess-1\nsecret plans\n/nick mallory\n");
    assert.equal(await guesser.readLine(), NOTICE_PREFIX + EN.chatWrongRoomKey);
    let closedAt = 0;
    const rest = guesser.readTextToEnd(WRONG_KEY_DELAY_MS + CLOSE_SLACK_MS).then((text) => {
      closedAt = performance.now();
      return text;
    });
    // The delay holds nothing else up: the room answers ann meanwhile.
    await ann.write("/who\n");
    assert.equal(await ann.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1"]));
    assert.equal(closedAt, 0, "the guesser is still waiting for its close");
    assert.equal(await rest, "", "one line only");
    const waited = closedAt - sentAt;
    assert.ok(waited >= WRONG_KEY_DELAY_MS - 100, `closed after ${waited} ms`);
    assert.ok(waited < WRONG_KEY_DELAY_MS + CLOSE_SLACK_MS, `closed after ${waited} ms`);
    const refused = await server.logs.waitFor("info", /wrong key/);
    assert.equal(refused, `refused ${guesser.peer}: wrong key`);
    // Nothing in the room, its history or the message log.
    const late = await member(server);
    await late.write("/who\n");
    assert.equal(await late.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1", "guest2"]));
    const log = server.logs.info.join("\n");
    for (const text of ["wrong-guess-1", "secret plans", "mallory", KEY]) {
      assert.ok(!log.includes(text), `"${text}" not in the log`);
    }
    assert.equal(await ann.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
  });
});

Deno.test("room key: a client that closes while its wrong key's close waits leaves nothing behind", async () => {
  await withServer({ mode: "chat", roomKey: KEY }, async (server) => {
    const guesser = await server.connect();
    await guesser.write("not-the-key\n");
    assert.equal(await guesser.readLine(), ASKED);
    assert.equal(await guesser.readLine(), NOTICE_PREFIX + EN.chatWrongRoomKey);
    guesser.close();
    await server.logs.waitFor("info", new RegExp(`${guesser.peer}.*client disconnected`));
    await member(server); // the server goes on
  });
});

Deno.test("room key: no key within the deadline, one line and a close", async () => {
  await withServer({ mode: "chat", roomKey: KEY, keyDeadlineMs: 300 }, async (server) => {
    const silent = await server.connect();
    assert.equal(await silent.readLine(), ASKED);
    await silent.write("half a k"); // no "\n": not a key yet
    assert.equal(await silent.readTextToEnd(), NOTICE_PREFIX + EN.chatNoRoomKey(0.3) + "\n");
    const refused = await server.logs.waitFor("info", /no key within/);
    assert.equal(refused, `refused ${silent.peer}: no key within 0.3 s`);
    assert.ok(!server.logs.info.some((line) => line.includes("half a k")));
  });
});

Deno.test("room key: with the real welcome wait, an HTTP request line still gets the HTTP answer", async () => {
  const options = { mode: "chat", roomKey: KEY, welcomeWaitMs: DEFAULT_WELCOME_WAIT_MS } as const;
  await withServer(options, async (server) => {
    const curl = await server.connect();
    await curl.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const answer = await curl.readTextToEnd();
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.ok(!answer.includes(EN.chatKeyNeeded), "no key prompt before the HTTP answer");
    // A silent client is asked once the wait is over; the key then lets it in.
    const ann = await server.connect();
    assert.equal(await ann.readLine(), ASKED);
    await ann.write(KEY + "\n");
    assert.match(await ann.readLine(), /^\*\*\* Welcome/);
  });
});

Deno.test("room key: without one, a client is welcomed at once as before", async () => {
  await withServer({ mode: "chat" }, async (server) => {
    const ann = await server.connect();
    assert.match(await ann.readLine(), /^\*\*\* Welcome/);
  });
});

Deno.test("room key: /help says the room has a key, in a room with one only", async () => {
  await withServer({ mode: "chat", roomKey: KEY }, async (server) => {
    const ann = await member(server);
    await ann.write("/help\n");
    const help = EN.chatHelp("guest1").split("\n");
    const lines = await ann.readLines(help.length + 1);
    assert.equal(lines.at(-1), NOTICE_PREFIX + EN.chatHelpRoomKey);
  });
  await withServer({ mode: "chat" }, async (server) => {
    const ann = await server.connect();
    assert.match(await ann.readLine(), /^\*\*\* Welcome/);
    await ann.write("/help\n/who\n");
    const help = EN.chatHelp("guest1").split("\n");
    const lines = await ann.readLines(help.length + 1);
    assert.equal(lines.at(-1), NOTICE_PREFIX + EN.chatWho(["guest1"]), "no key line");
  });
});
