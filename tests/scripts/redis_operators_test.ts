/**
 * Operators across servers: two real `server.ts --mode chat --redis URL` on
 * one real redis-server; an operator on the first kicks and mutes a member of
 * the second. (Bans stay with the server that made them: not across servers yet.)
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { ON_FREE_PORT, type ServerProcess, startServer, WAIT_MS } from "../support/processes.ts";
import { NO_REDIS_NOTE, REDIS_SERVER, startRedis } from "../support/redis_server.ts";
import { SocketClient } from "../support/socket_helpers.ts";

const EN = CHAT_TEXTS.en;
const KEY = /^Operator key: (\S+)$/;

/** Reads the server's start lines until it is linked; returns its operator key. */
async function startLinked(url: string): Promise<{ server: ServerProcess; key: string }> {
  const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", url]);
  let key: string | undefined;
  for (;;) {
    const line = await server.stdout.nextLine(WAIT_MS);
    if (line === null) throw new Error("the server ended before it was linked");
    key ??= line.match(KEY)?.[1];
    if (line.startsWith(EN.redisLinked("").trimEnd().slice(0, 20))) break;
  }
  assert.ok(key !== undefined, "the key line came before the linked line");
  return { server, key };
}

/** Reads lines until `line` comes; returns what came before it. */
async function readUntil(client: SocketClient, line: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const next = await client.readLine();
    if (next === line) return seen;
    seen.push(next);
  }
}

Deno.test({
  name: "--redis: an operator on one server mutes and kicks a member of another" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  fn: async () => {
    const redis = await startRedis();
    const servers: ServerProcess[] = [];
    const clients: SocketClient[] = [];
    try {
      const a = await startLinked(redis.url);
      servers.push(a.server);
      const b = await startLinked(redis.url);
      servers.push(b.server);
      const teacher = await SocketClient.connect(a.server.port);
      clients.push(teacher);
      assert.match(await teacher.readLine(), /you are guest1/);
      const pupil = await SocketClient.connect(b.server.port);
      clients.push(pupil);
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
    } finally {
      for (const client of clients) client.close();
      for (const server of servers) {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
      await redis.stop();
    }
  },
});
