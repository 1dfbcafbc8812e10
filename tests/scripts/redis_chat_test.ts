/**
 * Chat rooms spread over several servers (`server.ts --mode chat --redis
 * URL`): every server started with the same Redis is one room. Each test runs
 * its own real redis-server (on a free port, never 6379) and its own
 * server.ts processes, and talks to them over TCP as users do: lines and
 * notices across servers, shared guest numbers, a nickname race, a server
 * killed with SIGKILL, Redis going away and coming back, and history kept in
 * Redis.
 *
 * Every wait is for a line and is bounded; nothing sleeps to let something
 * happen. The tests skip themselves where redis-server is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  ON_FREE_PORT,
  type ServerProcess,
  startServer,
  WAIT_MS,
  within,
} from "../support/processes.ts";
import {
  NO_REDIS_NOTE,
  REDIS_SERVER,
  redisCommand,
  type RedisProcess,
  startRedis,
} from "../support/redis_server.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { LOOPBACK, unusedPort } from "../support/ports.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";

const NO_REDIS = REDIS_SERVER === null;

/** What every client hears when its server loses Redis, and when it has it back. */
const LINK_LOST = "*** link to other servers lost; only people on this server hear you now";
const LINK_RESTORED = "*** link restored";
/** The contract: a killed server's people are announced gone within 10 s (it aims at ~8). */
const SERVER_LOST_MS = 10_000;
/** Bound on waits that the contract puts at "about 10 s": loose enough for a busy machine. */
const SLOW_WAIT_MS = 15_000;

/** A client in the room: its connection and its current name. */
class Person {
  readonly client: SocketClient;
  /** The name the welcome gave it; tests update it after a successful /nick. */
  nick: string;
  /** The history lines it was shown after the welcome. */
  readonly history: readonly string[];

  constructor(client: SocketClient, nick: string, history: readonly string[]) {
    this.client = client;
    this.nick = nick;
    this.history = history;
  }

  /** Sends one line (or several, joined with "\n"). */
  async say(text: string): Promise<void> {
    await this.client.write(`${text}\n`);
  }

  /** The next line, bounded. */
  async next(ms = WAIT_MS): Promise<string> {
    return await this.client.readLine(ms);
  }

  /**
   * Reads lines until `done` accepts one (other lines may legitimately come
   * first: notices, the other servers' lines).
   *
   * @returns Every line read, the accepted one last.
   */
  async readUntil(done: (line: string) => boolean, ms = WAIT_MS): Promise<string[]> {
    const seen: string[] = [];
    const search = async () => {
      for (;;) {
        const line = await this.client.readLine(ms);
        seen.push(line);
        if (done(line)) return seen;
      }
    };
    try {
      return await within(search(), ms, `a line that ${this.nick} waits for`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`${why}; ${this.nick} read: ${JSON.stringify(seen)}`);
    }
  }
}

/** What a test gets: its Redis, and ways to start servers and people in the room. */
interface Room {
  redis: RedisProcess;
  /** Starts `server.ts --mode chat --redis URL` on a free port; stopped after the test. */
  start(...extra: string[]): Promise<ServerProcess>;
  /**
   * Connects a client to `server`, reads its welcome (and `historyLines`
   * lines of history), and checks that each of `present` hears it join next.
   */
  enter(server: ServerProcess, present: readonly Person[], historyLines?: number): Promise<Person>;
  /** Stops a server with SIGTERM and asserts it exited 0. */
  stop(server: ServerProcess): Promise<void>;
  /** Kills a server with SIGKILL (its exit code is not checked). */
  kill(server: ServerProcess): Promise<void>;
}

/**
 * Runs `body` with a fresh redis-server; afterwards closes every client,
 * stops every server (asserting exit 0 for all but the killed ones) and the
 * Redis, also when `body` throws. A failing body's error gets the servers'
 * stderr and Redis's log added, which is where they say what went wrong.
 *
 * @param options `persist`: Redis keeps an append-only file (in a folder under /tmp, removed after).
 * @param body The test.
 */
async function withRoom(
  options: { persist?: boolean },
  body: (room: Room) => Promise<void>,
): Promise<void> {
  const persistDir = options.persist === true
    ? await Deno.makeTempDir({ dir: "/tmp", prefix: "redis-chat-test-" })
    : undefined;
  const forget = async () => {
    if (persistDir !== undefined) {
      await Deno.remove(persistDir, { recursive: true }).catch(() => {});
    }
  };
  const redis = await startRedis(persistDir === undefined ? {} : { persistDir }).catch(
    async (error) => {
      await forget();
      throw error;
    },
  );
  const servers: ServerProcess[] = [];
  const killed = new Set<ServerProcess>();
  const clients: SocketClient[] = [];
  const room: Room = {
    redis,
    async start(...extra) {
      const server = await startServer([
        ...ON_FREE_PORT,
        "--mode",
        "chat",
        "--redis",
        redis.url,
        ...extra,
      ]);
      servers.push(server);
      return server;
    },
    async enter(server, present, historyLines = 0) {
      const client = await SocketClient.connect(server.port);
      clients.push(client);
      // A line at once (an empty one, which the room ignores): the welcome comes now, not after
      // 200 ms, and the others hear of the newcomer now, not after a second.
      await client.write("\n");
      const welcome = parseWelcome(await client.readLine());
      assert.ok(welcome.others <= present.length, `nobody else counted as here: ${welcome.line}`);
      if (historyLines > 0) {
        assert.equal(
          await client.readLine(),
          `*** Earlier in the room, the last ${historyLines} lines:`,
        );
      }
      const history = await client.readLines(historyLines);
      const person = new Person(client, welcome.nick, history);
      await Promise.all([
        ...present.map(async (other) => {
          const heard = await other.next();
          assert.equal(
            heard,
            `*** ${person.nick} joined`,
            `${other.nick} hears ${person.nick} join`,
          );
        }),
        // A join made on another server a moment ago may not have reached this one when it
        // welcomed the newcomer: then the welcome does not count that person, and the
        // newcomer hears them join right after it (and after the history sent with it).
        (async () => {
          const unnamed = new Set(
            present.map((p) => p.nick).filter((nick) => !welcome.named.includes(nick)),
          );
          for (let late = present.length - welcome.others; late > 0; late--) {
            const line = await person.next();
            const joined = line.match(/^\*\*\* (.+) joined$/)?.[1];
            assert.ok(
              joined !== undefined && unnamed.delete(joined),
              `${person.nick}: the join of someone not in its welcome, got ${line}`,
            );
          }
        })(),
      ]);
      return person;
    },
    async stop(server) {
      const { code, stderr } = await server.stop();
      assert.equal(code, 0, `server exit; stderr:\n${stderr}`);
    },
    async kill(server) {
      killed.add(server);
      await server.stop("SIGKILL");
    },
  };
  let failure: unknown = null;
  try {
    await body(room);
  } catch (error) {
    failure = error;
  }
  for (const client of clients) client.close();
  const stops = await Promise.allSettled(servers.map((server) => server.stop()));
  await redis.stop();
  await forget();
  if (failure !== null) {
    const outputs = stops.map((stop, i) =>
      stop.status === "fulfilled"
        ? `server ${i + 1} stderr:\n${stop.value.stderr.slice(-2000)}`
        : `server ${i + 1}: ${stop.reason}`
    );
    outputs.push(`redis-server's log:\n${redis.log().slice(-2000)}`);
    if (failure instanceof Error) failure.message += `\n${outputs.join("\n")}`;
    throw failure;
  }
  stops.forEach((stop, i) => {
    if (killed.has(servers[i]!)) return;
    if (stop.status === "rejected") throw stop.reason;
    assert.equal(stop.value.code, 0, `server ${i + 1} exit; stderr:\n${stop.value.stderr}`);
  });
}

/**
 * What a welcome says: the newcomer's name, and who else is here (up to 30
 * named, the rest counted: `Also here: a, b and 3 more (/who names everyone).`).
 */
function parseWelcome(
  line: string,
): { line: string; nick: string; named: string[]; others: number } {
  const match = line.match(
    /^\*\*\* Welcome to the chat, you are (.+?)\. (?:Nobody else is here yet\.|Also here: (.+?)(?: and (\d+) more \(\/who names everyone\))?\.) \/help lists the commands$/,
  );
  assert.ok(match, `a welcome: ${line}`);
  const named = match[2] === undefined ? [] : match[2].split(", ");
  return { line, nick: match[1]!, named, others: named.length + Number(match[3] ?? 0) };
}

/** The names in a `/who` answer (`*** 3 people here: a, b, c`), as a set: servers list in any order. */
function whoNames(line: string): Set<string> {
  const match = line.match(/^\*\*\* (\d+) (?:people|person) here: (.*)$/);
  assert.ok(match, `a /who answer: ${line}`);
  const names = match[2]!.split(", ");
  assert.equal(names.length, Number(match[1]), `the count matches the names: ${line}`);
  return new Set(names);
}

/**
 * A test of one room on several servers that share a new Redis (see
 * `withRoom()`); where there is no `redis-server`, skipped with a note.
 */
function roomTest(
  name: string,
  body: (room: Room) => Promise<void>,
  options: { persist?: boolean } = {},
): void {
  Deno.test({
    name: `redis chat: ${name}${NO_REDIS_NOTE}`,
    ignore: NO_REDIS,
    fn: () => withRoom(options, body),
  });
}

/** Whether a line is a person's line (`[nick] text` or `[a -> b] text`), not a server notice. */
function isChatLine(line: string): boolean {
  return line.startsWith("[");
}

roomTest(
  "two servers are one room: lines, joins, guest numbers, /who, /msg and renames cross",
  async (room) => {
    const a = await room.start();
    const b = await room.start();
    // Guest numbers belong to the room, not to a server: 1 on A, 2 on B, 3 on A.
    const alice = await room.enter(a, []);
    const bob = await room.enter(b, [alice]);
    const carol = await room.enter(a, [alice, bob]);
    assert.deepEqual([alice.nick, bob.nick, carol.nick], ["guest1", "guest2", "guest3"]);

    // A line goes to everyone on both servers but its sender.
    await alice.say("hello from A");
    assert.equal(await bob.next(), "[guest1] hello from A");
    assert.equal(await carol.next(), "[guest1] hello from A");
    await bob.say("hello from B");
    // Alice's next line is Bob's: she did not get her own back.
    assert.equal(await alice.next(), "[guest2] hello from B");
    assert.equal(await carol.next(), "[guest2] hello from B");

    // /who names the whole room, asked on either server.
    for (const asker of [bob, carol]) {
      await asker.say("/who");
      assert.deepEqual(whoNames(await asker.next()), new Set(["guest1", "guest2", "guest3"]));
    }

    // /msg to someone on the other server: the addressee and, as confirmation, the sender.
    await alice.say("/msg guest2 just between us");
    assert.equal(await bob.next(), "[guest1 -> guest2] just between us");
    assert.equal(await alice.next(), "[guest1 -> guest2] just between us");

    // A rename on B is announced on both (Carol's next line: she did not get the /msg).
    await bob.say("/nick bob");
    for (const person of [alice, bob, carol]) {
      assert.equal(await person.next(), "*** guest2 is now bob");
    }
    bob.nick = "bob";
    // The name is taken on A too, ignoring case, and only the asker is told.
    await carol.say("/nick BOB");
    assert.match(await carol.next(), /^\*\*\* .*taken/);
    // /msg by the new name, across; Bob's next line is this, not Carol's refusal.
    await carol.say("/msg bob are you there?");
    assert.equal(await bob.next(), "[guest3 -> bob] are you there?");
    assert.equal(await carol.next(), "[guest3 -> bob] are you there?");
    await bob.say("I am");
    // Alice heard neither the refusal nor the private line.
    assert.equal(await alice.next(), "[bob] I am");
    assert.equal(await carol.next(), "[bob] I am");

    // guest2 is free again since the rename: the next newcomer, on either server, gets it,
    // with the room's history (said on both servers; private lines are not history).
    const dave = await room.enter(b, [alice, bob, carol], 3);
    assert.equal(dave.nick, "guest2");
    assert.deepEqual(dave.history, [
      "[guest1] hello from A",
      "[guest2] hello from B",
      "[bob] I am",
    ]);
    await dave.say("/who");
    assert.deepEqual(
      whoNames(await dave.next()),
      new Set(["guest1", "bob", "guest3", "guest2"]),
    );
  },
);

roomTest(
  "50 clients on 3 servers, 10 talking at once: every line to every other client once, in order",
  async (room) => {
    const clients = 50;
    const linesEach = 20;
    // No rate limit: this is about delivery, not about how fast one client may talk.
    const servers = [
      await room.start("--rate", "0"),
      await room.start("--rate", "0"),
      await room.start("--rate", "0"),
    ];
    const members: Person[] = [];
    // One at a time, round-robin; enter() waits until every join is heard, so none comes later.
    for (let i = 0; i < clients; i++) {
      members.push(await room.enter(servers[i % servers.length]!, members));
    }
    assert.equal(new Set(members.map((m) => m.nick.toLowerCase())).size, clients, "unique names");

    // Every fifth member talks: 10 talkers, spread over the three servers.
    const talkers = members.filter((_, i) => i % 5 === 0);
    await Promise.all(talkers.map((talker, t) => {
      const lines = Array.from({ length: linesEach }, (_, k) => `talker ${t} line ${k}`);
      return talker.say(lines.join("\n"));
    }));

    await Promise.all(members.map(async (member) => {
      const own = talkers.indexOf(member);
      const expected = (talkers.length - (own === -1 ? 0 : 1)) * linesEach;
      const nextLine = new Map<number, number>(); // per talker, the line number due next
      const collect = async () => {
        for (let got = 0; got < expected; got++) {
          const line = await member.next(WAIT_MS * 3);
          const match = line.match(/^\[(.+?)\] talker (\d+) line (\d+)$/);
          assert.ok(match, `${member.nick}: a talker's line, got ${line}`);
          const t = Number(match[2]);
          assert.equal(match[1], talkers[t]?.nick, `${member.nick}: the talker's own name`);
          assert.notEqual(t, own, `${member.nick} got its own line back: ${line}`);
          assert.equal(
            Number(match[3]),
            nextLine.get(t) ?? 0,
            `${member.nick}: talker ${t}'s lines in order, none lost or doubled`,
          );
          nextLine.set(t, Number(match[3]) + 1);
        }
      };
      await within(collect(), WAIT_MS * 3, `${expected} lines at ${member.nick}`);
    }));

    // Nothing more is on its way: everyone's next line is a last one from a quiet member.
    const last = members[1]!;
    await last.say("that is all");
    await Promise.all(
      members.filter((m) => m !== last).map(async (member) => {
        assert.equal(await member.next(), `[${last.nick}] that is all`, member.nick);
      }),
    );
  },
);

roomTest(
  "two clients on two servers asking for the same name at once: exactly one gets it",
  async (room) => {
    const a = await room.start();
    const b = await room.start();
    const alice = await room.enter(a, []);
    const bob = await room.enter(b, [alice]);
    // Onlookers on each server, to count the rename notices everyone gets.
    const carol = await room.enter(a, [alice, bob]);
    const dave = await room.enter(b, [alice, bob, carol]);
    const everyone = [alice, bob, carol, dave];
    const isTaken = (line: string) => /^\*\*\* .*taken/.test(line);

    for (const [round, name] of ["ann", "bea", "cid", "dot", "eli"].entries()) {
      // Both requests are on their way before either answer is read.
      await Promise.all([alice.say(`/nick ${name}`), bob.say(`/nick ${name}`)]);
      const isRename = (line: string) =>
        line.startsWith("*** ") && line.endsWith(` is now ${name}`);

      // Everyone waits for the rename; whose it is tells the winner.
      const seen = new Map<Person, string[]>(
        await Promise.all(everyone.map(async (p) => [p, await p.readUntil(isRename)] as const)),
      );
      const renamed = seen.get(carol)!.at(-1)!.match(/^\*\*\* (.+) is now /)?.[1];
      const winner = [alice, bob].find((p) => p.nick === renamed);
      assert.ok(winner, `round ${round}: the rename is one of the racers': ${renamed}`);
      const loser = winner === alice ? bob : alice;
      // The loser's refusal may come before or after the winner's notice.
      const loserLines = seen.get(loser)!;
      if (!loserLines.some(isTaken)) loserLines.push(...await loser.readUntil(isTaken));

      // Then nothing else: Carol and Dave each say a marker, and everyone reads up to the
      // markers of the others; anything else read on the way is counted below.
      const marker = `end of round ${round}`;
      await Promise.all([carol.say(marker), dave.say(marker)]);
      await Promise.all(everyone.map(async (p) => {
        const due = new Set(
          [carol, dave].filter((other) => other !== p).map((other) => `[${other.nick}] ${marker}`),
        );
        const lines = await p.readUntil((line) => {
          due.delete(line);
          return due.size === 0;
        });
        seen.get(p)!.push(...lines.filter((line) => !line.endsWith(`] ${marker}`)));
      }));

      const rename = `*** ${winner.nick} is now ${name}`;
      for (const p of [winner, carol, dave]) {
        assert.deepEqual(seen.get(p), [rename], `round ${round}: ${p.nick} sees one rename only`);
      }
      assert.equal(loserLines.length, 2, `round ${round}: loser ${loser.nick}: ${loserLines}`);
      assert.equal(loserLines.filter((line) => line === rename).length, 1);
      assert.equal(loserLines.filter(isTaken).length, 1);
      winner.nick = name;
    }
  },
);

roomTest(
  "a server killed with SIGKILL: its people are announced gone within 10 s, their names free",
  async (room) => {
    const survivor = await room.start();
    const victim = await room.start();
    const wendy = await room.enter(survivor, []); // guest1
    const xavier = await room.enter(victim, [wendy]); // guest2
    const yuri = await room.enter(victim, [wendy, xavier]); // guest3, renamed below
    await yuri.say("/nick yuri");
    for (const person of [wendy, xavier, yuri]) {
      assert.equal(await person.next(), "*** guest3 is now yuri");
    }

    // No goodbye from a killed server: the others must notice it is gone.
    const killedAt = performance.now();
    await room.kill(victim);
    const gone = new Set(["*** guest2 left (server lost)", "*** yuri left (server lost)"]);
    const waiting = new Set(gone);
    const seen = await wendy.readUntil((line) => {
      waiting.delete(line);
      return waiting.size === 0;
    }, SLOW_WAIT_MS);
    const tookMs = performance.now() - killedAt;
    assert.deepEqual(seen.sort(), [...gone].sort(), "just the two leave notices");
    assert.ok(tookMs < SERVER_LOST_MS, `announced after ${Math.round(tookMs)} ms`);

    // Their names are free: the lowest free guest number is 2 again, and "yuri" can be taken.
    const zoe = await room.enter(survivor, [wendy]);
    assert.equal(zoe.nick, "guest2");
    await wendy.say("/nick yuri");
    assert.equal(await wendy.next(), "*** guest1 is now yuri");
    assert.equal(await zoe.next(), "*** guest1 is now yuri");
  },
);

roomTest(
  "Redis stops and comes back: link lost, local chat goes on, link restored, no stale lines",
  async (room) => {
    const a = await room.start();
    const b = await room.start();
    const a1 = await room.enter(a, []); // guest1
    const b1 = await room.enter(b, [a1]); // guest2
    const a2 = await room.enter(a, [a1, b1]); // guest3
    await a1.say("before the outage");
    assert.equal(await a2.next(), "[guest1] before the outage");
    assert.equal(await b1.next(), "[guest1] before the outage");

    await room.redis.stop();
    // Everyone is told; the servers may say more first (the contract leaves that open), but no one's lines.
    await Promise.all([a1, a2, b1].map(async (p) => {
      const lines = await p.readUntil((line) => line === LINK_LOST, SLOW_WAIT_MS);
      assert.ok(!lines.some(isChatLine), `${p.nick}: only notices: ${lines}`);
    }));

    // People on one server still hear each other; these lines must never reach B.
    await a1.say("while down 1");
    assert.equal((await a2.readUntil(isChatLine)).at(-1), "[guest1] while down 1");
    await a2.say("while down 2");
    assert.equal((await a1.readUntil(isChatLine)).at(-1), "[guest3] while down 2");
    // ...and this one must never reach A.
    await b1.say("while down on B");

    await room.redis.restart();
    const stale = (line: string) => line.includes("while down");
    await Promise.all([a1, a2, b1].map(async (p) => {
      const lines = await p.readUntil((line) => line === LINK_RESTORED, SLOW_WAIT_MS);
      assert.ok(!lines.some(stale), `${p.nick}: no line from the outage: ${lines}`);
    }));

    // Across servers again, both ways, and nothing from the outage first.
    await a1.say("after the outage");
    for (const p of [a2, b1]) {
      const lines = await p.readUntil((line) => line === "[guest1] after the outage");
      assert.ok(!lines.some(stale), `${p.nick}: no stale flood: ${lines}`);
    }
    await b1.say("B is back");
    for (const p of [a1, a2]) {
      const lines = await p.readUntil((line) => line === "[guest2] B is back");
      assert.ok(!lines.some(stale), `${p.nick}: no stale flood: ${lines}`);
    }
  },
);

roomTest(
  "history lives in Redis: the last 20 lines survive a restart of every chat server",
  async (room) => {
    const a = await room.start();
    const b = await room.start();
    const a1 = await room.enter(a, []);
    const b1 = await room.enter(b, [a1]);
    // 23 lines from both servers, a /me among them: only the last 20 are kept.
    const said = Array.from({ length: 21 }, (_, k) => `old line ${k + 1}`);
    await a1.say(said.join("\n"));
    assert.deepEqual(
      await b1.client.readLines(said.length),
      said.map((t) => `[${a1.nick}] ${t}`),
    );
    await b1.say("from B");
    assert.equal(await a1.next(), `[${b1.nick}] from B`);
    await a1.say("/me waves");
    assert.equal(await b1.next(), `* ${a1.nick} waves`);
    const expected = [
      ...said.map((text) => `[${a1.nick}] ${text}`),
      `[${b1.nick}] from B`,
      `* ${a1.nick} waves`,
    ].slice(-20);

    await room.stop(a);
    await room.stop(b);
    const a2 = await room.start();
    const b2 = await room.start();
    // A newcomer on either new server gets the history right after the welcome...
    const c = await room.enter(a2, [], 20);
    assert.deepEqual(c.history, expected);
    // ...and no more of it: C's next line is D's arrival.
    const d = await room.enter(b2, [c], 20);
    assert.deepEqual(d.history, expected);
  },
);

roomTest(
  "with a persisting Redis, history survives restarting Redis and every chat server",
  async (room) => {
    const a = await room.start();
    const b = await room.start();
    const a1 = await room.enter(a, []);
    const b1 = await room.enter(b, [a1]);
    await a1.say("kept 1\nkept 2");
    // B hears them, so they went through Redis.
    assert.deepEqual(await b1.client.readLines(2), [
      `[${a1.nick}] kept 1`,
      `[${a1.nick}] kept 2`,
    ]);
    await b1.say("/me nods");
    assert.equal(await a1.next(), `* ${b1.nick} nods`);
    const expected = [`[${a1.nick}] kept 1`, `[${a1.nick}] kept 2`, `* ${b1.nick} nods`];

    await room.stop(a);
    await room.stop(b);
    await room.redis.restart(); // a new process: only its append-only file remembers
    const a2 = await room.start();
    const c = await room.enter(a2, [], expected.length);
    assert.deepEqual(c.history, expected);
    // Nothing beyond: C's next line is D's arrival.
    const d = await room.enter(a2, [c], expected.length);
    assert.deepEqual(d.history, expected);
  },
  { persist: true },
);

Deno.test({
  name: "redis chat: a password in the URL is used and never shown in the log" + NO_REDIS_NOTE,
  ignore: NO_REDIS,
  async fn() {
    const redis = await startRedis();
    const servers: ServerProcess[] = [];
    try {
      assert.equal(
        await redisCommand(redis.port, "CONFIG", "SET", "requirepass", "s3cret-word"),
        "+OK",
      );
      const url = `redis://:s3cret-word@127.0.0.1:${redis.port}`;
      for (let i = 0; i < 2; i++) {
        servers.push(await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", url]));
      }
      // One after the other: two joins at once may each find the other in the welcome instead.
      const ann = await SocketClient.connect(servers[0]!.port);
      await ann.write("\n"); // welcomed and announced at once
      await ann.readLine();
      const bob = await SocketClient.connect(servers[1]!.port);
      await bob.write("\n"); // welcomed and announced at once
      try {
        await bob.readLine();
        assert.equal(await ann.readLine(), "*** guest2 joined", "the servers met through Redis");
        await ann.write("through a locked Redis\n");
        assert.equal(await bob.readLine(), "[guest1] through a locked Redis");
      } finally {
        ann.close();
        bob.close();
      }
      // A wrong password: the server starts with a local room and says why, without the password.
      const wrong = `redis://:not-the-word@127.0.0.1:${redis.port}`;
      servers.push(await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", wrong]));
    } finally {
      for (const server of servers) {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
        const output = server.readyLine + stopped.stdout + stopped.stderr;
        assert.ok(!output.includes("s3cret-word") && !output.includes("not-the-word"), output);
      }
      await redis.stop();
    }
  },
});

Deno.test({
  name: "redis chat: garbage and forged messages on the room's channel are logged and ignored" +
    NO_REDIS_NOTE,
  ignore: NO_REDIS,
  async fn() {
    const redis = await startRedis();
    const servers: ServerProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        servers.push(await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]));
      }
      const ann = await SocketClient.connect(servers[0]!.port);
      await ann.write("\n"); // welcomed and announced at once
      await ann.readLine();
      const bob = await SocketClient.connect(servers[1]!.port);
      await bob.write("\n"); // welcomed and announced at once
      try {
        await bob.readLine();
        assert.equal(await ann.readLine(), "*** guest2 joined");
        const channel = "tcp-toolkit:lobby:events";
        const forged = JSON.stringify({
          v: 1,
          server: "intruder",
          message: { kind: "event", event: { kind: "joined", nick: "\u001b[2Jroot" } },
        });
        for (const junk of ["not json at all", forged, "\u0000\u00ff"]) {
          assert.match(await redisCommand(redis.port, "PUBLISH", channel, junk), /^:2$/);
        }
        // Nothing of it reached anyone: the next line each gets is the other's.
        await ann.write("after the junk\n");
        assert.equal(await bob.readLine(), "[guest1] after the junk");
        await bob.write("still fine\n");
        assert.equal(await ann.readLine(), "[guest2] still fine");
      } finally {
        ann.close();
        bob.close();
      }
    } finally {
      for (const server of servers) {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.match(stopped.stderr, /ignored a message on the room's channel/);
      }
      await redis.stop();
    }
  },
});

Deno.test({
  name:
    "redis chat: the log says the server is linked at start, or trying to reach Redis, then linked" +
    NO_REDIS_NOTE,
  ignore: NO_REDIS,
  async fn() {
    const texts = CHAT_TEXTS.en;
    const exactly = (text: string) => new RegExp(`^${RegExp.escape(text)}$`);
    // Redis up: a line after the ready line says so (other start lines may come between).
    const redis = await startRedis();
    try {
      const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]);
      await server.stdout.waitFor(exactly(texts.redisLinked(redis.url)));
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.ok(!stopped.stderr.includes(texts.redisTrying(redis.url)), stopped.stderr);
    } finally {
      await redis.stop();
    }
    // Redis down at start: trying (never "lost", there was no link to lose), then linked once it is up.
    const port = unusedPort();
    const url = `redis://${LOOPBACK}:${port}`;
    const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", url]);
    let later: RedisProcess | null = null;
    try {
      await server.stderr.waitFor(exactly(texts.redisTrying(url)));
      later = await startRedis({ port });
      await server.stdout.waitFor(exactly(texts.redisLinked(url)), SLOW_WAIT_MS);
    } finally {
      const stopped = await server.stop();
      await later?.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.ok(!server.stderr.text.includes(texts.redisLinkLost(url)), server.stderr.text);
    }
  },
});
