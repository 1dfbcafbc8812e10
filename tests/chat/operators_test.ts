/**
 * Operators end to end over real sockets: `serve()` in-process in chat mode
 * with an operator key, clients on 127.0.0.1. `/op KEY`, wrong keys, `/who`,
 * `--rate`, and (below) the commands only operators may use.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { noticeFrame } from "../../lib/chat/chat_lines.ts";
import { isOperatorKey, newOperatorKey, Operators } from "../../lib/chat/operators.ts";
import { parseChatLine } from "../../lib/chat/chat_commands.ts";
import { banAddress, BanList } from "../../lib/chat/ban_list.ts";
import { hasPython } from "../support/processes.ts";
import { OTHER_ADDRESS, startOtherAddressProxy } from "../support/other_address_proxy.ts";
import {
  SocketClient,
  type SocketClient as Client,
  type TestServer,
  withServer,
} from "../support/socket_helpers.ts";

const EN = CHAT_TEXTS.en;
const KEY = "teacher-key-0123456789";

/** A server line as a client reads it (without its "\n"). */
function notice(text: string): string {
  return new TextDecoder().decode(noticeFrame(text)).slice(0, -1);
}

/** Connects a client and reads its welcome. */
async function join(server: TestServer): Promise<SocketClient> {
  const client = await server.connect();
  assert.match(await client.readLine(), /^\*\*\* /);
  return client;
}

Deno.test("newOperatorKey() is random, 24 characters of [A-Za-z0-9_-]; isOperatorKey() compares whole keys", () => {
  const keys = new Set(Array.from({ length: 100 }, newOperatorKey));
  assert.equal(keys.size, 100);
  for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{24}$/);
  assert.ok(isOperatorKey(KEY, KEY));
  for (const wrong of ["", KEY.slice(0, -1), KEY + "x", KEY.replace("t", "T"), KEY + KEY]) {
    assert.ok(!isOperatorKey(wrong, KEY), wrong);
  }
});

Deno.test("Operators: the key makes an operator, the third wrong try is the last, no key means nobody", () => {
  const operators = new Operators<object>(KEY);
  const ann = {};
  assert.deepEqual(
    ["a", "b", "c"].map((key) => operators.tryKey(ann, key)),
    ["wrong", "wrong", "last wrong"],
  );
  const bob = {};
  assert.equal(operators.tryKey(bob, "x"), "wrong");
  assert.equal(operators.tryKey(bob, KEY), "operator");
  assert.equal(operators.tryKey(bob, KEY), "already");
  assert.ok(operators.has(bob) && !operators.has(ann));
  operators.forget(bob);
  assert.ok(!operators.has(bob));
  assert.equal(new Operators<object>(null).tryKey(ann, KEY), "wrong");
});

Deno.test("parseChatLine() reads /op KEY, and a /op without a key is its usage", () => {
  assert.deepEqual(parseChatLine("/op  abc "), { kind: "op", key: "abc" });
  assert.deepEqual(parseChatLine("/OP"), { kind: "usage", command: "op" });
});

Deno.test("chat: /op KEY makes an operator, marked @ in /who; the key stays out of the log", async () => {
  await withServer({ mode: "chat", operatorKey: KEY }, async (server) => {
    const alice = await join(server);
    const bob = await join(server);
    await alice.readLine(); // guest2 joined
    await alice.write(`/op ${KEY}\n`);
    assert.equal(await alice.readLine(), notice(EN.chatOperatorNow));
    await bob.write("/who\n");
    assert.equal(await bob.readLine(), notice(EN.chatWho(["@guest1", "guest2"])));
    await alice.write(`/op ${KEY}\n`);
    assert.equal(await alice.readLine(), notice(EN.chatAlreadyOperator));
    await server.logs.waitFor("info", /guest1 is an operator now/);
    assert.ok(!server.logs.info.some((line) => line.includes(KEY)), "the key is never logged");
  });
});

Deno.test("chat: wrong operator keys are answered and logged with the address; the third closes the connection", async () => {
  await withServer({ mode: "chat", operatorKey: KEY }, async (server) => {
    const bob = await join(server);
    const mallory = await join(server);
    await bob.readLine(); // guest2 joined
    await mallory.write("/op guess1\n");
    assert.equal(await mallory.readLine(), notice(EN.chatWrongKey(2)));
    await mallory.write("/op guess2\n");
    assert.equal(await mallory.readLine(), notice(EN.chatWrongKey(1)));
    await mallory.write("/op guess3\n");
    assert.equal(await mallory.readTextToEnd(), notice(EN.chatWrongKeyLast(3)) + "\n");
    assert.equal(
      await bob.readLine(),
      notice(EN.chatLeft("guest2", EN.chatLeaveReason("wrong key"))),
    );
    const logged = await server.logs.waitFor("info", /wrong operator key/, { count: 3 });
    assert.ok(logged.includes(mallory.peer), `the address is in the log: ${logged}`);
    assert.ok(!server.logs.info.some((line) => line.includes("guess")), "no key tried is logged");
  });
});

Deno.test("chat: without an operator key, /op never makes an operator", async () => {
  await withServer({ mode: "chat", quiet: true }, async (server) => {
    const alice = await join(server);
    await alice.write(`/op ${KEY}\n`);
    assert.equal(await alice.readLine(), notice(EN.chatWrongKey(2)));
  });
});

Deno.test("chat: an operator's lines are not held back by --rate", async () => {
  await withServer(
    { mode: "chat", quiet: true, operatorKey: KEY, rateLinesPerSecond: 1 },
    async (server) => {
      const alice = await join(server);
      const bob = await join(server);
      await alice.readLine(); // guest2 joined
      await alice.write(`/op ${KEY}\n`);
      assert.equal(await alice.readLine(), notice(EN.chatOperatorNow));
      // At 1 line a second after a 3-line burst, 40 lines would take over half a minute.
      let text = "";
      for (let i = 0; i < 40; i++) text += `line ${i}\n`;
      await alice.write(text);
      const lines = await bob.readLines(40, 3000);
      assert.equal(lines.at(-1), "[guest1] line 39");
    },
  );
});

/** A server with an operator (guest1, `/op` done) and two others, their welcomes and joins read. */
async function withClass(
  body: (
    teacher: SocketClient,
    ann: SocketClient,
    ben: SocketClient,
    server: TestServer,
  ) => Promise<void>,
): Promise<void> {
  await withServer({ mode: "chat", operatorKey: KEY }, async (server) => {
    const teacher = await join(server);
    const ann = await join(server);
    const ben = await join(server);
    assert.deepEqual(await teacher.readLines(2), ["*** guest2 joined", "*** guest3 joined"]);
    assert.equal(await ann.readLine(), "*** guest3 joined");
    await teacher.write(`/op ${KEY}\n`);
    assert.equal(await teacher.readLine(), notice(EN.chatOperatorNow));
    await body(teacher, ann, ben, server);
  });
}

Deno.test("parseChatLine() reads /kick, /mute and /unmute, with their usage for bad arguments", () => {
  assert.deepEqual(parseChatLine("/kick ann  too loud "), {
    kind: "kick",
    name: "ann",
    reason: "too loud",
  });
  assert.deepEqual(parseChatLine("/kick ann"), { kind: "kick", name: "ann", reason: null });
  assert.deepEqual(parseChatLine("/mute ann"), { kind: "mute", name: "ann", minutes: 10 });
  assert.deepEqual(parseChatLine("/mute ann 5 "), { kind: "mute", name: "ann", minutes: 5 });
  assert.deepEqual(parseChatLine("/unmute ann"), { kind: "unmute", name: "ann" });
  for (
    const line of ["/kick", "/mute", "/mute ann 0", "/mute ann x", "/mute ann 99999", "/unmute"]
  ) {
    assert.equal(parseChatLine(line).kind, "usage", line);
  }
});

Deno.test("chat: /kick NAME REASON tells NAME who and why, closes it, and tells everyone else", async () => {
  await withClass(async (teacher, ann, ben, server) => {
    await teacher.write("/kick guest2 too loud\n");
    assert.equal(
      await ann.readTextToEnd(),
      notice(EN.chatRemovedYou("guest1", "too loud")) + "\n",
    );
    assert.equal(await ben.readLine(), "*** guest2 was removed by guest1 (too loud)");
    assert.equal(await teacher.readLine(), "*** guest2 was removed by guest1 (too loud)");
    await server.logs.waitFor("info", /guest2 was removed by guest1 \(too loud\)/);
    await teacher.write("/kick guest3\n");
    assert.equal(await teacher.readLine(), "*** guest3 was removed by guest1");
    await teacher.write("/kick nobody\n");
    assert.equal(await teacher.readLine(), notice(EN.chatNoSuchNick("nobody")));
  });
});

Deno.test("chat: /mute: the muted member's lines, /me and /msg reach nobody; it is told, not on every line; the room once", async () => {
  await withClass(async (teacher, ann, ben) => {
    await teacher.write("/mute guest2\n");
    const muted = notice(EN.chatMuted("guest2", "guest1", 10));
    assert.equal(await teacher.readLine(), muted);
    assert.equal(await ann.readLine(), muted);
    assert.equal(await ben.readLine(), muted);
    await ann.write("spam 1\n/me spams\n/msg guest3 psst\nspam 2\n");
    assert.equal(await ann.readLine(), notice(EN.chatYouAreMuted(10)));
    await ann.write("/who\n"); // commands still answer; the notice above came once
    assert.equal(await ann.readLine(), notice(EN.chatWho(["@guest1", "guest2", "guest3"])));
    await teacher.write("/unmute guest2\n");
    const unmuted = notice(EN.chatUnmuted("guest2", "guest1"));
    assert.equal(await teacher.readLine(), unmuted);
    assert.equal(await ann.readLine(), unmuted);
    await ann.write("hello again\n");
    // ben got nothing of the muted lines: the next lines are the unmute, then the new line.
    assert.deepEqual(await ben.readLines(2), [unmuted, "[guest2] hello again"]);
    assert.equal(await teacher.readLine(), "[guest2] hello again");
    await teacher.write("/unmute guest2\n");
    assert.equal(await teacher.readLine(), notice(EN.chatNotMuted("guest2")));
  });
});

Deno.test("chat: non-operators get a line saying only operators can; /help lists the operator commands to operators only", async () => {
  await withClass(async (teacher, ann) => {
    for (const command of ["/kick guest1", "/mute guest1 5", "/unmute guest1"]) {
      await ann.write(command + "\n");
      const word = command.split(" ")[0]!;
      assert.equal(await ann.readLine(), notice(EN.chatOperatorsOnly(word)));
    }
    const helpLines = (text: string) => text.split("\n").length;
    await ann.write("/help\n");
    const plain = await ann.readLines(helpLines(EN.chatHelp("guest2")));
    assert.ok(!plain.join("\n").includes("/kick"));
    await teacher.write("/help\n");
    const full = await teacher.readLines(
      helpLines(EN.chatHelp("guest1")) + helpLines(EN.chatOperatorHelp),
    );
    assert.ok(full.some((line) => line.startsWith("*** /kick NAME")), full.join("\n"));
    assert.ok(full.every((line) => line.startsWith("*** ")));
  });
});

Deno.test("banAddress() bans IPv4 addresses as they are and IPv6 addresses by their /64", () => {
  assert.equal(banAddress("127.0.0.2"), "127.0.0.2");
  assert.equal(banAddress("::ffff:127.0.0.2"), "127.0.0.2");
  assert.equal(banAddress("2001:db8:0:2::1"), "2001:db8:0:2::/64");
  assert.equal(banAddress("2001:DB8:0:2:ffff:1:2:3"), "2001:db8:0:2::/64");
  assert.equal(banAddress("2001:db8:0:2::/64"), "2001:db8:0:2::/64");
  assert.equal(banAddress("[::1]"), "0:0:0:0::/64");
  for (const bad of ["", "1.2.3", "1.2.3.256", "2001:db8", "1::2::3", "g::1", "alice"]) {
    assert.equal(banAddress(bad), null, bad);
  }
  const bans = new BanList();
  bans.add("2001:db8:0:2::1", "ann", 60_000, 0);
  assert.equal(bans.find("2001:db8:0:2:aaaa::9", 1)?.nick, "ann", "the whole /64");
  assert.equal(bans.find("2001:db8:0:3::1", 1), null);
  assert.deepEqual(bans.list(59_999).map((ban) => ban.address), ["2001:db8:0:2::/64"]);
  assert.deepEqual(bans.list(60_000), [], "a ban ends by itself");
});

Deno.test("parseChatLine() reads /ban, /unban and /bans", () => {
  assert.deepEqual(parseChatLine("/ban ann"), { kind: "ban", name: "ann", minutes: 60 });
  assert.deepEqual(parseChatLine("/ban ann 5"), { kind: "ban", name: "ann", minutes: 5 });
  assert.deepEqual(parseChatLine("/unban 127.0.0.2"), { kind: "unban", address: "127.0.0.2" });
  assert.deepEqual(parseChatLine("/bans"), { kind: "bans" });
  for (const line of ["/ban", "/ban ann 0", "/unban", "/unban a b"]) {
    assert.equal(parseChatLine(line).kind, "usage", line);
  }
});

Deno.test({
  name:
    "chat: /ban removes NAME and refuses its address until /unban; /bans lists it; the operator's own address is refused",
  ignore: !(await hasPython()),
  fn: async () => {
    await withServer({ mode: "chat", operatorKey: KEY }, async (server) => {
      const proxy = await startOtherAddressProxy(server.port);
      let banned: Client | undefined;
      try {
        const teacher = await join(server);
        await teacher.write(`/op ${KEY}\n`);
        assert.equal(await teacher.readLine(), notice(EN.chatOperatorNow));
        const ann = await SocketClient.connect(proxy.port);
        assert.match(await ann.readLine(), /^\*\*\* Welcome/);
        assert.equal(await teacher.readLine(), "*** guest2 joined");
        const ben = await join(server);
        assert.equal(await teacher.readLine(), "*** guest3 joined");
        assert.equal(await ann.readLine(), "*** guest3 joined");

        await teacher.write("/ban guest3\n"); // same address as the teacher
        assert.equal(await teacher.readLine(), notice(EN.chatBanOwnAddress("guest3")));

        await teacher.write("/ban guest2 5\n");
        const reason = EN.chatBanReason(5);
        assert.equal(await ann.readTextToEnd(), notice(EN.chatRemovedYou("guest1", reason)) + "\n");
        ann.close();
        assert.equal(await ben.readLine(), `*** guest2 was removed by guest1 (${reason})`);
        assert.equal(await teacher.readLine(), `*** guest2 was removed by guest1 (${reason})`);

        banned = await SocketClient.connect(proxy.port);
        assert.equal(await banned.readTextToEnd(), notice(EN.chatBannedRefused(5)) + "\n");
        banned.close();
        const logged = await server.logs.waitFor("info", /is banned/);
        assert.ok(logged.includes(EN.chatBanRefusedLog(OTHER_ADDRESS, "guest2")), logged);

        await teacher.write("/bans\n");
        const list = [{ address: OTHER_ADDRESS, nick: "guest2", minutesLeft: 5 }];
        assert.equal(await teacher.readLine(), notice(EN.chatBans(list)));
        await ben.write("/who\n"); // the refused client never appeared in the room
        assert.equal(await ben.readLine(), notice(EN.chatWho(["@guest1", "guest3"])));

        await teacher.write(`/unban ${OTHER_ADDRESS}\n/unban ${OTHER_ADDRESS}\n/bans\n`);
        assert.deepEqual(await teacher.readLines(3), [
          notice(EN.chatUnbanned(OTHER_ADDRESS, "guest1")),
          notice(EN.chatNotBanned(OTHER_ADDRESS)),
          notice(EN.chatBans([])),
        ]);
        banned = await SocketClient.connect(proxy.port);
        assert.match(await banned.readLine(), /^\*\*\* Welcome/, "welcome again after /unban");
        banned.close();
      } finally {
        banned?.close();
        await proxy.stop();
      }
    });
  },
});
