/**
 * One room over two servers after a Redis outage (issue 19, item 7): `ann` on
 * the first server, `cat` and `ben` on the second; Redis stops; `ann` takes
 * the name `cat` (accepted: nobody can check); Redis comes back, with its data
 * or without. Then the name stays with whoever held it first (the second
 * server's `cat`), the later holder is renamed to a guest name and told why,
 * and both servers agree on who is here: `/who`, `/msg`, renames and leaves
 * reach everyone.
 *
 * Real `server.ts` processes on a real redis-server, stopped and started
 * again on its port. Every wait is for a line, and bounded.
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

const EN = CHAT_TEXTS.en;
/** Bound on the waits around the outage: the servers retry Redis with pauses of up to 5 s. */
const OUTAGE_WAIT_MS = 15_000;

/** A client and the lines it read. */
class Person {
  readonly client: SocketClient;
  readonly name: string;
  constructor(client: SocketClient, name: string) {
    this.client = client;
    this.name = name;
  }

  async say(text: string): Promise<void> {
    await this.client.write(`${text}\n`);
  }

  /** Reads lines until one `done` accepts; returns them all, that one last. */
  async readUntil(done: (line: string) => boolean, ms = WAIT_MS): Promise<string[]> {
    const seen: string[] = [];
    for (;;) {
      const line = await this.client.readLine(ms).catch((error) => {
        throw new Error(`${this.name}: ${error.message}; read: ${JSON.stringify(seen)}`);
      });
      seen.push(line);
      if (done(line)) return seen;
    }
  }

  /** Reads lines until exactly `line`. */
  async waitFor(line: string, ms = WAIT_MS): Promise<string[]> {
    return await this.readUntil((next) => next === line, ms);
  }

  /** Asks `/who` and returns the names, as a sorted list (servers list in any order). */
  async who(): Promise<string[]> {
    await this.say("/who");
    const [line] = (await this.readUntil((next) => / here: /.test(next))).slice(-1);
    return line!.replace(/^.* here: /, "").split(", ").sort();
  }
}

/** Connects to `server`, reads the welcome, and takes the name `nick`. */
async function enter(server: ServerProcess, nick: string, others: Person[]): Promise<Person> {
  const client = await SocketClient.connect(server.port);
  const welcome = await client.readLine();
  const guest = welcome.match(/you are (guest\d+)\./)?.[1];
  assert.ok(guest !== undefined, welcome);
  const person = new Person(client, nick);
  await person.say(`/nick ${nick}`); // its first line: the others hear it join, then rename
  for (const other of others) await other.waitFor(`${NOTICE_PREFIX}${guest} joined`);
  const renamed = `${NOTICE_PREFIX}${guest} is now ${nick}`;
  for (const p of [person, ...others]) await p.waitFor(renamed);
  return person;
}

async function outage(persist: boolean): Promise<void> {
  const persistDir = persist
    ? await Deno.makeTempDir({ dir: "/tmp", prefix: "redis-outage-test-" })
    : undefined;
  const redis: RedisProcess = await startRedis(persistDir === undefined ? {} : { persistDir });
  const servers: ServerProcess[] = [];
  const people: Person[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]),
      );
    }
    const [first, second] = servers as [ServerProcess, ServerProcess];
    // cat takes its name first, on the second server; ann comes later, on the first.
    const cat = await enter(second, "cat", []);
    people.push(cat);
    const ann = await enter(first, "ann", [cat]);
    people.push(ann);
    const ben = await enter(second, "ben", [cat, ann]);
    people.push(ben);

    await redis.stop();
    for (const p of people) await p.waitFor(NOTICE_PREFIX + EN.chatLinkLost, OUTAGE_WAIT_MS);
    await ann.say("/nick cat"); // nobody can check: accepted
    await ann.waitFor(`${NOTICE_PREFIX}ann is now cat`);
    await redis.restart(); // with its data (persist), or empty
    for (const p of people) {
      await p.waitFor(NOTICE_PREFIX + EN.chatLinkRestored, OUTAGE_WAIT_MS);
    }

    // The later holder of "cat" (ann) loses it, is told why, and its server announces it.
    const lines = await ann.readUntil((line) => / is now guest\d+$/.test(line), OUTAGE_WAIT_MS);
    const fresh = lines.at(-1)!.match(/^\*\*\* cat is now (guest\d+)$/)?.[1];
    assert.ok(fresh !== undefined, `the later holder is renamed: ${lines}`);
    assert.ok(lines.includes(NOTICE_PREFIX + EN.chatNameLost("cat", fresh)), `told why: ${lines}`);

    // Every line after this one from the first server comes after the rename, in order.
    await ann.say(`I am ${fresh} now`);
    for (const p of [cat, ben]) await p.waitFor(`[${fresh}] I am ${fresh} now`);
    // And the second server's lines after its link came back: the first server has its present.
    await cat.say("the real cat");
    await ann.waitFor("[cat] the real cat");
    await ben.waitFor("[cat] the real cat");

    // Both servers agree on who is here.
    const everyone = ["ben", "cat", fresh].sort();
    for (const p of [ann, cat, ben]) assert.deepEqual(await p.who(), everyone, p.name);

    // /msg reaches the renamed one, and the real cat, across servers.
    await ben.say(`/msg ${fresh} can you hear me`);
    await ann.waitFor(`[ben -> ${fresh}] can you hear me`);
    await ann.say("/msg cat and you?");
    await cat.waitFor(`[${fresh} -> cat] and you?`);

    // Its later renames and its leave are announced on both servers.
    await ann.say("/nick annie");
    for (const p of [ann, cat, ben]) await p.waitFor(`${NOTICE_PREFIX}${fresh} is now annie`);
    // "ann", held before the outage, was given back: someone else may take it.
    await ben.say("/nick ann");
    for (const p of [ann, cat, ben]) await p.waitFor(`${NOTICE_PREFIX}ben is now ann`);
    await ann.say("/quit");
    for (const p of [cat, ben]) await p.waitFor(`${NOTICE_PREFIX}annie left`);
    assert.deepEqual(await cat.who(), ["ann", "cat"]);
  } catch (error) {
    // What the servers and Redis said is where they say what went wrong.
    const stops = await Promise.all(servers.map((server) => server.stop()));
    const said = stops.map((stop, i) => `server ${i + 1}:\n${stop.stdout}${stop.stderr}`);
    if (error instanceof Error) error.message += `\n${said.join("\n")}\n${redis.log()}`;
    throw error;
  } finally {
    for (const p of people) p.client.close();
    const stops = await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
    if (persistDir !== undefined) await Deno.remove(persistDir, { recursive: true });
    for (const stop of stops) assert.equal(stop.code, 0, stop.stderr);
  }
}

Deno.test({
  name: "redis outage: a name taken twice goes to its first holder, and both servers agree " +
    "(Redis back empty)" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: () => outage(false),
});

Deno.test({
  name: "redis outage: a name taken twice goes to its first holder, and both servers agree " +
    "(Redis back with its data)" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: () => outage(true),
});

Deno.test({
  name: "redis outage: a live server taken for lost claims its names again and is back in " +
    "everyone's /who" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: async () => {
    const redis = await startRedis();
    const servers: ServerProcess[] = [];
    const people: Person[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        servers.push(
          await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]),
        );
      }
      const [first, second] = servers as [ServerProcess, ServerProcess];
      const ann = await enter(first, "ann", []);
      people.push(ann);
      const cat = await enter(second, "cat", [ann]);
      people.push(cat);
      // What a server does when another's key expired while Redis was away (it came back after
      // the key's time): frees that server's names and says its people left. Done by hand here,
      // as if by a server the others do not know.
      const names = "tcp-toolkit:lobby:names";
      assert.equal(await redisCommand(redis.port, "HDEL", names, "cat"), ":1");
      const lost = JSON.stringify({
        v: 1,
        server: "reaper",
        message: {
          kind: "event",
          event: { kind: "left", nick: "cat", reason: "server lost", detail: null },
        },
      });
      await redisCommand(redis.port, "PUBLISH", "tcp-toolkit:lobby:events", lost);
      await ann.waitFor(`${NOTICE_PREFIX}cat left (server lost)`);
      // The second server claims "cat" again (an outside process: polling Redis is all we can
      // do), and says who it has in the same turn, before anything cat says next.
      const deadline = Date.now() + WAIT_MS;
      while (await redisCommand(redis.port, "HEXISTS", names, "cat") !== ":1") {
        assert.ok(Date.now() < deadline, "the second server claims cat again");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await cat.say("still here");
      await ann.waitFor("[cat] still here");
      assert.deepEqual(await ann.who(), ["ann", "cat"]);
      await ann.say("/msg cat welcome back");
      await cat.waitFor("[ann -> cat] welcome back");
    } finally {
      for (const p of people) p.client.close();
      const stops = await Promise.all(servers.map((server) => server.stop()));
      await redis.stop();
      for (const stop of stops) assert.equal(stop.code, 0, stop.stderr);
    }
  },
});
