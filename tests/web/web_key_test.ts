/**
 * The room key at the web door (`lib/web/web_key.ts`), `serve()` in-process
 * with a real web port and Deno's WebSocket as the page: the key offered in
 * the subprotocols as the page's script offers it; none, and the page is
 * asked for it and closed at once; a wrong one, one line, a log line, and
 * the close a second later; the right one joins, and comes back with its
 * resume token as before.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { WRONG_KEY_DELAY_MS } from "../../lib/settings/defaults.ts";
import { resumeProtocols } from "../../lib/web/chat.js";
import { KEY_CLOSE_CODE, MAX_OFFERED_KEY_BYTES, offeredKey } from "../../lib/web/web_key.ts";
import { WebServer } from "../../lib/web/web_server.ts";
import { type TestServer, withServer } from "../support/socket_helpers.ts";
import { WebChatClient } from "../support/web_helpers.ts";

const EN = CHAT_TEXTS.en;
const KEY = "class-7b-secret";
/** The most a wrong key's close may come after the delay, on a loaded machine. */
const CLOSE_SLACK_MS = 2000;

/** What a page offers on its first visit with a key (the page's own function makes it). */
function withKey(key: string | null): string[] {
  return resumeProtocols(null, null, null, key);
}

/** A TCP member in the room (it gave the key), its welcome read. */
async function tcpMember(server: TestServer) {
  const member = await server.connect();
  assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatKeyNeeded);
  await member.write(KEY + "\n");
  assert.match(await member.readLine(), /^\*\*\* Welcome/);
  return member;
}

/** Runs `body` with a chat server with a key and a web port. */
async function withKeyedWeb(body: (server: TestServer, web: WebServer) => Promise<void>) {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer({ mode: "chat", web, roomKey: KEY }, (server) => body(server, web));
}

Deno.test("offeredKey() reads the key the page's resumeProtocols() offers, in any script", () => {
  for (const key of [KEY, "七年级二班的密钥", "a b,c=d/e+f"]) {
    assert.equal(offeredKey(withKey(key).join(", ")), key);
  }
  assert.equal(offeredKey(withKey(null).join(", ")), null);
  assert.equal(offeredKey(null), null);
  assert.equal(offeredKey("chat, key.YWJjZGVmZ2g"), null, "not the page's protocol");
  assert.equal(offeredKey("tcp-toolkit, key.a/b"), null, "not base64url");
  assert.equal(offeredKey("tcp-toolkit, key._w"), null, "not UTF-8");
  const long = withKey("k".repeat(MAX_OFFERED_KEY_BYTES + 1)).join(", ");
  assert.equal(offeredKey(long), null, "longer than any key");
});

Deno.test("web key: a page that offers none is asked for it and closed at once, nothing logged", async () => {
  await withKeyedWeb(async (server, web) => {
    const member = await tcpMember(server);
    const page = await WebChatClient.connect(web.port, withKey(null));
    assert.equal(await page.nextLine(), NOTICE_PREFIX + EN.chatKeyNeeded);
    assert.equal(page.keyAsked, "needed");
    assert.equal((await page.closed).code, KEY_CLOSE_CODE);
    assert.equal(page.roster, null, "never in the room");
    await member.write("/who\n");
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1"]));
    assert.ok(!server.logs.info.some((line) => line.startsWith("refused")), "no refusal logged");
  });
});

Deno.test("web key: a wrong key gets one line, a refusal in the log, the close a second later", async () => {
  await withKeyedWeb(async (server, web) => {
    const member = await tcpMember(server);
    const openedAt = performance.now();
    const page = await WebChatClient.connect(web.port, withKey("not-the-key"));
    assert.equal(await page.nextLine(), NOTICE_PREFIX + EN.chatWrongRoomKey);
    assert.equal(page.keyAsked, "wrong");
    page.send("hello from a guesser"); // read by nobody
    const { code } = await page.closed;
    const waited = performance.now() - openedAt;
    assert.equal(code, KEY_CLOSE_CODE);
    assert.ok(waited >= WRONG_KEY_DELAY_MS - 100, `closed after ${waited} ms`);
    assert.ok(waited < WRONG_KEY_DELAY_MS + CLOSE_SLACK_MS, `closed after ${waited} ms`);
    assert.match(server.logs.info.join("\n"), /^refused 127\.0\.0\.1:\d+: wrong key$/m);
    await member.write("/who\n");
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1"]));
    const log = server.logs.info.join("\n");
    assert.ok(!log.includes("hello from a guesser") && !log.includes("not-the-key"), log);
  });
});

Deno.test("web key: the server stopping while a wrong key's close waits leaves nothing behind", async () => {
  await withKeyedWeb(async (_server, web) => {
    const page = await WebChatClient.connect(web.port, withKey("not-the-key"));
    assert.equal(await page.nextLine(), NOTICE_PREFIX + EN.chatWrongRoomKey);
  });
});

Deno.test("web key: the right key joins; the page comes back with its token and the key, same name", async () => {
  await withKeyedWeb(async (server, web) => {
    const member = await tcpMember(server);
    const page = await WebChatClient.connect(web.port, withKey(KEY));
    assert.match(await page.nextLine(), /^\*\*\* Welcome to the chat, you are guest2\./);
    const token = await page.token();
    await page.rosterWhere((roster) => roster.members.length === 2);
    page.send("hi from the page");
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    assert.equal(await member.readLine(), "[guest2] hi from the page");
    // Back on a new connection, as the page's script reconnects: token, last line, name and key.
    const back = await WebChatClient.connect(
      web.port,
      resumeProtocols(token, page.lastId, "guest2", KEY),
    );
    assert.equal(await back.nextLine(), NOTICE_PREFIX + EN.chatWelcomeBack("guest2", 0));
    await back.rosterWhere((roster) => roster.you === "guest2");
    assert.equal((await page.closed).code, 4000, "the old connection gave way");
    await back.close();
    assert.ok(!server.logs.info.some((line) => line.includes(KEY)), "the key is never logged");
  });
});

Deno.test("web key: a room without a key ignores a key offered, which never reaches the room", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer({ mode: "chat", web }, async (server) => {
    const member = await server.connect();
    assert.match(await member.readLine(), /^\*\*\* Welcome/);
    const page = await WebChatClient.connect(web.port, withKey(KEY));
    assert.match(await page.nextLine(), /^\*\*\* Welcome/);
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    await page.close();
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatLeft("guest2", null));
  });
});
