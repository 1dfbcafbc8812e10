/**
 * Tests for lib/web/web_resume.ts and a page coming back under its name:
 * the real server.ts, WebSocket clients offering what the page offers, a
 * relay the test controls to drop their connections (as a phone's drop), a
 * server restart, and two servers on a real redis-server.
 */

import assert from "node:assert/strict";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { resumeProtocols } from "../../lib/web/chat.js";
import { GRACE_MS, MAX_HELD, parseResumeProtocols, ResumeDesk } from "../../lib/web/web_resume.ts";
import { LOOPBACK, unusedPort } from "../support/ports.ts";
import { startServer } from "../support/processes.ts";
import { NO_REDIS_NOTE, REDIS_SERVER, startRedis } from "../support/redis_server.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { TcpRelay } from "../support/tcp_relay.ts";
import { startWebChatServer, WebChatClient } from "../support/web_helpers.ts";

/** What the page offers on its first visit. */
const FIRST_VISIT = ["tcp-toolkit"];

/** What a page offers when it comes back (the page's own function makes it). */
function comingBack(page: WebChatClient, nick?: string): string[] {
  return resumeProtocols(page.resumeToken, page.lastId, nick ?? null);
}

/** Whether `bytes` hold a WebSocket close frame from a server with `code`. */
function hasCloseFrame(bytes: Uint8Array, code: number): boolean {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0x88 && bytes[i + 2] === code >> 8 && bytes[i + 3] === (code & 0xff)) {
      return true;
    }
  }
  return false;
}

/** The next line of a TCP member: the one after any it had, which must be its `/who`. */
async function whoOf(member: SocketClient): Promise<string> {
  await member.write("/who\n");
  return await member.readLine();
}

Deno.test("parseResumeProtocols() reads the token, the last line's id and the name, and ignores the rest", () => {
  const token = "A".repeat(43);
  assert.deepEqual(
    parseResumeProtocols(`tcp-toolkit, resume.${token}, after.x1.2f, nick.5bCP57qi`),
    { token, after: "x1.2f", nick: "小红" },
  );
  // A token of the wrong length, an id with a bad character, a name that is not UTF-8: left out.
  assert.deepEqual(
    parseResumeProtocols(`tcp-toolkit, resume.${token}x, after.a/b, nick._w`),
    { token: null, after: null, nick: null },
  );
  assert.equal(parseResumeProtocols("chat, resume." + token), null, "not the page's protocol");
});

Deno.test("ResumeDesk: a token stands for its member until it is moved or forgotten; a hold ends in gone()", async () => {
  const desk = new ResumeDesk<string>(20);
  const token = desk.issue("ann");
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, "256 random bits in base64url");
  assert.notEqual(desk.issue("bob"), token);
  assert.equal(desk.holderOf(token), "ann");
  assert.equal(desk.holderOf(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A")), undefined);
  const gone = Promise.withResolvers<void>();
  assert.ok(desk.hold("ann", gone.resolve));
  await gone.promise;
  assert.equal(desk.holderOf(token), undefined, "gone after the grace period");
  assert.equal(desk.hold("nobody", () => {}), false);
  desk.close();
  assert.ok(GRACE_MS >= 10_000, "long enough for a phone to come back");
});

Deno.test("ResumeDesk keeps at most MAX_HELD names for dropped pages at once", () => {
  const desk = new ResumeDesk<number>();
  for (let i = 0; i <= MAX_HELD; i++) desk.issue(i);
  for (let i = 0; i < MAX_HELD; i++) assert.ok(desk.hold(i, () => {}));
  assert.equal(desk.hold(MAX_HELD, () => {}), false, "one too many: it leaves at once");
  desk.forget(0);
  assert.ok(desk.hold(MAX_HELD, () => {}), "room again once one ends");
  desk.close(); // no timer left behind
});

Deno.test("a page that comes back with its token while the server has not noticed its old connection died keeps its name: no leave or join, the old connection closed, each line said meanwhile once", async () => {
  const { server, webPort } = await startWebChatServer();
  const relay = TcpRelay.start(webPort);
  const tcp = await SocketClient.connect(server.port);
  try {
    await tcp.readLine(); // welcome
    await tcp.write("before the page\n");
    const page = await WebChatClient.connect(relay.port, FIRST_VISIT);
    await page.token();
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 joined`);
    page.send("/nick ann");
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 is now ann`);
    await tcp.write("seen by the page\n");
    await page.rosterWhere((roster) => roster.you === "ann");
    while (await page.nextLine() !== "[guest1] seen by the page");

    relay.freeze(); // the page's side is gone; the server's side stays open, unfed
    await page.closed;
    await tcp.write("while the page was away\n");
    await whoOf(tcp); // the room has the line once it answers the /who after it
    const back = await WebChatClient.connect(webPort, comingBack(page));
    assert.equal(
      await back.nextLine(),
      `${NOTICE_PREFIX}Welcome back, you are still ann; said while you were away, 1 line:`,
    );
    assert.equal(await back.nextLine(), "[guest1] while the page was away");
    assert.deepEqual(await back.rosterWhere(() => true), {
      you: "ann",
      members: ["guest1", "ann"],
    });
    assert.equal(await back.token(), page.resumeToken, "the same token still");
    // Nobody saw ann leave or join: the next line of the TCP member is its /who.
    assert.equal(await whoOf(tcp), `${NOTICE_PREFIX}2 people here: guest1, ann`);
    back.send("back again");
    assert.equal(await tcp.readLine(), "[ann] back again");
    assert.equal(await back.nextLine(), "[ann] back again");
    assert.equal(back.ownLines.at(-1), "[ann] back again", "marked as its own");

    // Someone else with a made-up token (and the name) gets a guest name; ann stays ann.
    const other = await WebChatClient.connect(webPort, [
      ...FIRST_VISIT,
      `resume.${"x".repeat(43)}`,
      "nick.YW5u", // "ann"
    ]);
    assert.equal((await other.rosterWhere(() => true)).you, "guest2");
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 joined`);
    await other.close();
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 left`);

    await back.close();
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}ann left`);
    assert.ok(hasCloseFrame(relay.sentAfterFreeze(), 4000), "the old connection was closed");
  } finally {
    tcp.close();
    await relay.close();
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});

Deno.test("a page whose connection dropped keeps its name a while: nobody sees it leave, and it comes back without a join", async () => {
  const { server, webPort } = await startWebChatServer();
  const relay = TcpRelay.start(webPort);
  const tcp = await SocketClient.connect(server.port);
  try {
    await tcp.readLine();
    const page = await WebChatClient.connect(relay.port, FIRST_VISIT);
    await page.token();
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 joined`);
    relay.cut(); // no close frame: a lost connection, which the server notices
    await page.closed;
    await tcp.write("while away\n");
    // Still here for the others (its page may come back): no leave line before the /who.
    assert.equal(await whoOf(tcp), `${NOTICE_PREFIX}2 people here: guest1, guest2`);
    const back = await WebChatClient.connect(webPort, comingBack(page));
    assert.equal(
      await back.nextLine(),
      `${NOTICE_PREFIX}Welcome back, you are still guest2; said while you were away, 1 line:`,
    );
    assert.equal(await back.nextLine(), "[guest1] while away");
    assert.equal(await whoOf(tcp), `${NOTICE_PREFIX}2 people here: guest1, guest2`);
    await back.close();
    assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}guest2 left`);
  } finally {
    tcp.close();
    await relay.close();
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});

Deno.test("after the server restarts, a page comes back under its name (free then): claimed again, as a join", async () => {
  const args = [
    "--host",
    LOOPBACK,
    "--port",
    String(unusedPort()),
    "--mode",
    "chat",
    "--web",
    String(unusedPort()),
  ];
  const webPort = Number(args.at(-1));
  let server = await startServer(args);
  try {
    const page = await WebChatClient.connect(webPort, FIRST_VISIT);
    await page.token();
    page.send("/nick 小红");
    await page.rosterWhere((roster) => roster.you === "小红");
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    await page.closed;

    server = await startServer(args);
    const tcp = await SocketClient.connect(server.port);
    try {
      await tcp.readLine();
      // The new server knows no token: the name, free, is claimed again.
      const back = await WebChatClient.connect(webPort, comingBack(page, "小红"));
      assert.equal((await back.rosterWhere(() => true)).you, "小红");
      assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}小红 joined`);
      await back.close();
      assert.equal(await tcp.readLine(), `${NOTICE_PREFIX}小红 left`);
    } finally {
      tcp.close();
    }
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
});

Deno.test({
  name: "with --redis a page comes back on another server of the room under its name: the " +
    "first lets it go, nobody sees a leave or join, each line said meanwhile once" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  async fn() {
    const redis = await startRedis();
    const a = await startWebChatServer(["--redis", redis.url]);
    const b = await startWebChatServer(["--redis", redis.url]);
    for (const { server } of [a, b]) await server.stdout.waitFor(/linked to the other servers/);
    const relay = TcpRelay.start(a.webPort);
    const onA = await SocketClient.connect(a.server.port);
    assert.match(await onA.readLine(), /guest1/);
    const onB = await SocketClient.connect(b.server.port);
    try {
      assert.match(await onB.readLine(), /guest2/);
      assert.equal(await onA.readLine(), `${NOTICE_PREFIX}guest2 joined`);
      const page = await WebChatClient.connect(relay.port, FIRST_VISIT);
      await page.token();
      page.send("/nick ann");
      for (const member of [onA, onB]) {
        assert.equal(await member.readLine(), `${NOTICE_PREFIX}guest3 joined`);
        assert.equal(await member.readLine(), `${NOTICE_PREFIX}guest3 is now ann`);
      }
      await onB.write("seen on A\n");
      assert.equal(await onA.readLine(), "[guest2] seen on A");
      while (await page.nextLine() !== "[guest2] seen on A");

      relay.freeze(); // A has not noticed
      await page.closed;
      await onA.write("while away\n");
      assert.equal(await onB.readLine(), "[guest1] while away");
      const back = await WebChatClient.connect(b.webPort, comingBack(page));
      assert.equal(
        await back.nextLine(),
        `${NOTICE_PREFIX}Welcome back, you are still ann; said while you were away, 1 line:`,
      );
      assert.equal(await back.nextLine(), "[guest1] while away");
      assert.equal((await back.rosterWhere(() => true)).you, "ann");
      // A closes its old connection: the name is B's now.
      const deadline = Date.now() + 10_000;
      while (!hasCloseFrame(relay.sentAfterFreeze(), 4000)) {
        assert.ok(Date.now() < deadline, "server A closed the old connection");
        await onA.write("/who\n");
        assert.match(await onA.readLine(), /^\*\*\* 3 people here: /);
      }
      // Nobody saw a leave or a join: each TCP member's next line is its /who.
      assert.match(await whoOf(onA), /^\*\*\* 3 people here: (?=.*\bann\b)(?=.*guest2)guest1/);
      assert.match(await whoOf(onB), /^\*\*\* 3 people here: (?=.*\bann\b)(?=.*guest1)guest2/);
      back.send("/msg guest1 from B now");
      assert.equal(await onA.readLine(), "[ann -> guest1] from B now");
      await back.close();
      assert.equal(await onA.readLine(), `${NOTICE_PREFIX}ann left`);
      assert.equal(await onB.readLine(), `${NOTICE_PREFIX}ann left`);
    } finally {
      onA.close();
      onB.close();
      await relay.close();
      for (const { server } of [a, b]) {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
      await redis.stop();
    }
  },
});
