/**
 * Operators across servers: two real `server.ts --mode chat --redis URL` on
 * one real redis-server; an operator on the first kicks, mutes and bans a
 * member of the second; bans hold on every server (kept in Redis, ending by
 * themselves), also on one started later; `/who` marks every server's operators.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { ON_FREE_PORT, type ServerProcess, startServer, WAIT_MS } from "../support/processes.ts";
import {
  NO_REDIS_NOTE,
  REDIS_SERVER,
  redisCommand,
  type RedisProcess,
  startRedis,
} from "../support/redis_server.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import {
  OTHER_ADDRESS,
  type OtherAddressProxy,
  startOtherAddressProxy,
} from "../support/other_address_proxy.ts";
import { hasPython } from "../support/processes.ts";
import { WebChatClient } from "../support/web_helpers.ts";

const EN = CHAT_TEXTS.en;
const KEY = /^Operator key: (\S+)$/;

/** Reads the server's start lines until it is linked; returns its operator key (and web port). */
async function startLinked(
  url: string,
  extra: readonly string[] = [],
): Promise<{ server: ServerProcess; key: string; webPort: number | null }> {
  const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", url, ...extra]);
  let key: string | undefined;
  let webPort: number | null = null;
  for (;;) {
    const line = await server.stdout.nextLine(WAIT_MS);
    if (line === null) throw new Error("the server ended before it was linked");
    key ??= line.match(KEY)?.[1];
    const web = line.match(/^Web page at http:\/\/[^/]*:(\d+)\/$/);
    if (web !== null) webPort = Number(web[1]);
    if (line.startsWith(EN.redisLinked("").trimEnd().slice(0, 20))) break;
  }
  assert.ok(key !== undefined, "the key line came before the linked line");
  return { server, key, webPort };
}

/** Servers linked to one redis-server, and clients of theirs; all stopped by `withCast()`. */
interface Cast {
  /** The redis-server. */
  redis: RedisProcess;
  /** Starts a linked server (see {@linkcode startLinked}); stopped at the end. */
  linked(
    extra?: readonly string[],
  ): Promise<{ server: ServerProcess; key: string; webPort: number | null }>;
  /** A client of `port` from 127.0.0.1; closed at the end. */
  direct(port: number): Promise<SocketClient>;
  /** A client of `port` from OTHER_ADDRESS (through a relay); closed at the end. */
  fromOther(port: number): Promise<SocketClient>;
  /** A relay from OTHER_ADDRESS to `port`; stopped at the end. */
  relayFromOther(port: number): Promise<OtherAddressProxy>;
}

/**
 * Runs `body` with a fresh redis-server; afterwards closes every client,
 * stops every relay and server (asserting each server exited 0) and Redis.
 */
async function withCast(body: (cast: Cast) => Promise<void>): Promise<void> {
  const redis = await startRedis();
  const servers: ServerProcess[] = [];
  const clients: SocketClient[] = [];
  const proxies: OtherAddressProxy[] = [];
  const relayFromOther = async (port: number) => {
    const proxy = await startOtherAddressProxy(port);
    proxies.push(proxy);
    return proxy;
  };
  const direct = async (port: number) => {
    const client = await SocketClient.connect(port);
    clients.push(client);
    return client;
  };
  try {
    await body({
      redis,
      async linked(extra = []) {
        const linked = await startLinked(redis.url, extra);
        servers.push(linked.server);
        return linked;
      },
      direct,
      fromOther: async (port) => direct((await relayFromOther(port)).port),
      relayFromOther,
    });
  } finally {
    for (const client of clients) client.close();
    for (const proxy of proxies) await proxy.stop();
    for (const server of servers) {
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
    await redis.stop();
  }
}

/** Reads lines until `line` comes; returns what came before it. */
async function readUntil(client: SocketClient, line: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const next = await client.readLine().catch((error) => {
      throw new Error(`${error.message}: ${line}; read: ${JSON.stringify(seen)}`);
    });
    if (next === line) return seen;
    seen.push(next);
  }
}

Deno.test({
  name: "--redis: an operator on one server mutes and kicks a member of another" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: async () => {
    await withCast(async ({ linked, direct }) => {
      const a = await linked();
      const b = await linked();
      const teacher = await direct(a.server.port);
      assert.match(await teacher.readLine(), /you are guest1/);
      const pupil = await direct(b.server.port);
      assert.match(await pupil.readLine(), /you are guest2/);
      await readUntil(teacher, `${NOTICE_PREFIX}guest2 joined`);
      await teacher.write(`/op ${a.key}\n`);
      await readUntil(teacher, NOTICE_PREFIX + EN.chatOperatorNow);

      await teacher.write("/mute guest2 3\n");
      const muted = NOTICE_PREFIX + EN.chatMuted("guest2", "guest1", 3);
      await readUntil(teacher, muted);
      await readUntil(pupil, muted);
      await pupil.write("can anyone hear me\n");
      assert.equal(await pupil.readLine(), NOTICE_PREFIX + EN.chatYouAreMuted(3));
      await teacher.write("/unmute guest2\n");
      const unmuted = NOTICE_PREFIX + EN.chatUnmuted("guest2", "guest1");
      assert.equal(await teacher.readLine(), unmuted, "the muted line reached nobody");
      assert.equal(await pupil.readLine(), unmuted);
      await pupil.write("now I can\n");
      assert.equal(await teacher.readLine(), "[guest2] now I can");

      await teacher.write("/kick guest2 end of class\n");
      assert.equal(
        await pupil.readTextToEnd(),
        NOTICE_PREFIX + EN.chatRemovedYou("guest1", "end of class") + "\n",
      );
      assert.equal(
        await teacher.readLine(),
        `${NOTICE_PREFIX}guest2 was removed by guest1 (end of class)`,
      );
      await teacher.write("/ban guest1\n/who\n"); // guest1 is the teacher: refused, own address
      assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatBanOwnAddress("guest1"));
      assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatWho(["@guest1"]));
    });
  },
});

Deno.test({
  name: "--redis: a /ban holds on every server, also one started later, ends by itself in Redis, " +
    "and /unban on another server lifts it" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null || !(await hasPython()),
  fn: async () => {
    const refused = NOTICE_PREFIX + EN.chatBannedRefused(30) + "\n";
    await withCast(async ({ redis, linked, direct, fromOther, relayFromOther }) => {
      const a = await linked();
      const b = await linked(["--web", "0"]);
      const teacher = await direct(a.server.port);
      assert.match(await teacher.readLine(), /you are guest1/);
      await teacher.write(`/op ${a.key}\n`);
      await readUntil(teacher, NOTICE_PREFIX + EN.chatOperatorNow);
      // A witness on B, at the operator's address: it sees B carry out what the bus says.
      const witness = await direct(b.server.port);
      assert.match(await witness.readLine(), /you are guest2/);
      await readUntil(teacher, `${NOTICE_PREFIX}guest2 joined`);
      const pupil = await fromOther(b.server.port);
      assert.match(await pupil.readLine(), /you are guest3/);
      await readUntil(teacher, `${NOTICE_PREFIX}guest3 joined`);
      await readUntil(witness, `${NOTICE_PREFIX}guest3 joined`);

      // The operator on A bans a member of B: B knows its address, bans it and removes it.
      await teacher.write("/ban guest3 30\n");
      const reason = EN.chatBanReason(30);
      assert.equal(
        await pupil.readTextToEnd(),
        NOTICE_PREFIX + EN.chatRemovedYou("guest1", reason) + "\n",
      );
      const removed = `${NOTICE_PREFIX}guest3 was removed by guest1 (${reason})`;
      await readUntil(teacher, removed);
      await readUntil(witness, removed);

      // Kept in Redis, ending by itself when the ban does.
      const key = `tcp-toolkit:lobby:ban:${OTHER_ADDRESS}`;
      const ttl = Number((await redisCommand(redis.port, "PTTL", key)).slice(1));
      assert.ok(ttl > 29 * 60_000 && ttl <= 30 * 60_000, `PTTL ${ttl}`);

      // Refused on both servers (the ban came to A before the leave it saw), and at B's web door.
      assert.equal(await (await fromOther(b.server.port)).readTextToEnd(), refused);
      assert.equal(await (await fromOther(a.server.port)).readTextToEnd(), refused);
      const webProxy = await relayFromOther(b.webPort!);
      const browser = await WebChatClient.connect(webProxy.port);
      assert.equal(await browser.nextLine(), refused.trimEnd());
      assert.equal((await browser.closed).code, 1008);

      // A server started now reads the ban from Redis when it links.
      const c = await linked();
      assert.equal(await (await fromOther(c.server.port)).readTextToEnd(), refused);

      // An operator on C lists the bans and lifts this one, for every server.
      const head = await direct(c.server.port);
      assert.match(await head.readLine(), /you are guest3/);
      await readUntil(teacher, `${NOTICE_PREFIX}guest3 joined`);
      await readUntil(witness, `${NOTICE_PREFIX}guest3 joined`);
      await head.write(`/op ${c.key}\n/bans\n/unban ${OTHER_ADDRESS}\nclass is over\n`);
      await readUntil(head, NOTICE_PREFIX + EN.chatOperatorNow);
      const list = [{ address: OTHER_ADDRESS, nick: "guest3", minutesLeft: 30 }];
      assert.equal(await head.readLine(), NOTICE_PREFIX + EN.chatBans(list));
      assert.equal(await head.readLine(), NOTICE_PREFIX + EN.chatUnbanned(OTHER_ADDRESS, "guest3"));
      // The unban went before that line: A and B have it once their members see the line.
      await readUntil(teacher, "[guest3] class is over");
      await readUntil(witness, "[guest3] class is over");
      // The DEL went before that line, on the same connection to Redis.
      assert.equal(await redisCommand(redis.port, "EXISTS", key), ":0");
      for (const port of [a.server.port, b.server.port]) {
        assert.match(await (await fromOther(port)).readLine(), /^\*\*\* Welcome/);
      }
    });
  },
});

Deno.test({
  name: "--redis: /who marks the operators of every server, also on a server started later" +
    NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: async () => {
    await withCast(async ({ linked, direct }) => {
      const a = await linked();
      const b = await linked();
      const teacher = await direct(a.server.port);
      assert.match(await teacher.readLine(), /you are guest1/);
      const pupil = await direct(b.server.port);
      assert.match(await pupil.readLine(), /you are guest2/);
      await readUntil(teacher, `${NOTICE_PREFIX}guest2 joined`);
      await teacher.write(`/op ${a.key}\nI am the teacher\n`);
      await readUntil(teacher, NOTICE_PREFIX + EN.chatOperatorNow);
      await readUntil(pupil, "[guest1] I am the teacher");
      await pupil.write("/who\n");
      assert.equal(await pupil.readLine(), NOTICE_PREFIX + EN.chatWho(["guest2", "@guest1"]));
      // B's operator shows on A too, and renaming keeps the mark.
      await pupil.write(`/op ${b.key}\n/nick helper\n`);
      await readUntil(pupil, NOTICE_PREFIX + EN.chatOperatorNow);
      await readUntil(teacher, `${NOTICE_PREFIX}guest2 is now helper`);
      await teacher.write("/who\n");
      assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatWho(["@guest1", "@helper"]));
      // Both at 127.0.0.1: helper's server refuses the ban, and the teacher is told why.
      await teacher.write("/ban helper\n");
      assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatBanOwnAddress("helper"));

      // A server started later learns them from the others' answers to its hello.
      const c = await linked();
      const late = await direct(c.server.port);
      assert.match(await late.readLine(), /you are guest2/);
      await late.readLines(2); // the history: one line, after the line that says so
      await readUntil(teacher, `${NOTICE_PREFIX}guest2 joined`);
      await readUntil(pupil, `${NOTICE_PREFIX}guest2 joined`);
      // Both answers went out long before these lines, from the same servers.
      await teacher.write("one\n");
      await pupil.write("two\n");
      // From two servers: in either order.
      assert.deepEqual((await late.readLines(2)).sort(), ["[guest1] one", "[helper] two"]);
      await late.write("/who\n");
      // The other servers' members come in the order their answers came: compared as a set.
      const who = (await late.readLine()).match(/^\*\*\* 3 people here: (.*)$/)?.[1];
      assert.deepEqual(who?.split(", ").sort(), ["@guest1", "@helper", "guest2"]);
    });
  },
});

Deno.test({
  name: "--redis: bans outlive a Redis restarted without its data: the servers write theirs back" +
    NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null || !(await hasPython()),
  fn: async () => {
    await withCast(async ({ redis, linked, direct, fromOther }) => {
      const a = await linked();
      const teacher = await direct(a.server.port);
      assert.match(await teacher.readLine(), /you are guest1/);
      await teacher.write(`/op ${a.key}\n`);
      await readUntil(teacher, NOTICE_PREFIX + EN.chatOperatorNow);
      const pupil = await fromOther(a.server.port);
      assert.match(await pupil.readLine(), /you are guest2/);
      await pupil.write("hello\n"); // announced with its first line: the room hears it leave
      await readUntil(teacher, "[guest2] hello");
      await teacher.write("/ban guest2 5\n");
      await readUntil(
        teacher,
        `${NOTICE_PREFIX}guest2 was removed by guest1 (${EN.chatBanReason(5)})`,
      );

      await redis.stop();
      await readUntil(teacher, NOTICE_PREFIX + EN.chatLinkLost);
      await redis.restart(); // empty: nothing was saved
      await readUntil(teacher, NOTICE_PREFIX + EN.chatLinkRestored);
      // A server started now finds the ban in Redis: A wrote it back when its link came up.
      const b = await linked();
      assert.equal(
        await (await fromOther(b.server.port)).readTextToEnd(),
        NOTICE_PREFIX + EN.chatBannedRefused(5) + "\n",
      );
    });
  },
});
