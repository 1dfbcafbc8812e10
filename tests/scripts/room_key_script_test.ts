/**
 * The room key as people meet it: the real `server.ts --mode chat
 * --key-file FILE` with `--allow-read=FILE` (scoped), and `nc` and
 * `client.ts` as the students' clients, the key their first line; without
 * the permission, one line naming the flag; a short key, a usage error.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import {
  CLIENT_SCRIPT,
  ON_FREE_PORT,
  runScript,
  SERVER_SCRIPT,
  type ServerProcess,
  startServer,
  WAIT_MS,
  within,
} from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { LOOPBACK } from "../support/ports.ts";
import { NO_REDIS_NOTE, REDIS_SERVER, startRedis } from "../support/redis_server.ts";

const EN = CHAT_TEXTS.en;
const KEY = "class-7b-secret";
const ASKED = NOTICE_PREFIX + EN.chatKeyNeeded;
const TLS_DIR = new URL("../support/tls/", import.meta.url).pathname;

/** Runs `body` with a file holding `content`, removed after. */
async function withKeyFile(content: string, body: (file: string) => Promise<void>): Promise<void> {
  const file = await Deno.makeTempFile({ prefix: "room-key-" });
  try {
    await Deno.writeTextFile(file, content);
    await body(file);
  } finally {
    await Deno.remove(file);
  }
}

/** server.ts in chat mode with `--key-file`, allowed to read that file only. */
function startKeyedServer(file: string, more: readonly string[] = []): Promise<ServerProcess> {
  return startServer([...ON_FREE_PORT, "--mode", "chat", "--key-file", file, ...more], {
    denoFlags: ["--allow-net", `--allow-read=${file}`],
  });
}

/** Reads lines until one equals `wanted`. */
async function readUntil(client: SocketClient, wanted: string): Promise<void> {
  for (;;) if ((await client.readLine()) === wanted) return;
}

Deno.test("server.ts --key-file: printf 'KEY\\nhello\\n' | nc gets in; a wrong key gets one line", async () => {
  await withKeyFile(`  ${KEY}  \nnot the key\n`, async (file) => {
    const server = await startKeyedServer(file);
    const ann = await SocketClient.connect(server.port);
    try {
      assert.equal(await ann.readLine(), ASKED);
      await ann.write(KEY + "\n");
      assert.match(await ann.readLine(), /^\*\*\* Welcome to the chat, you are guest1\./);
      // -N: half-close after the input, as a piped client does; the server then closes.
      const nc = (input: string) =>
        within(
          new Deno.Command("sh", {
            args: ["-c", `printf '%s' "$0" | nc -N ${LOOPBACK} ${server.port}`, input],
            stdout: "piped",
            stderr: "piped",
          }).output(),
          WAIT_MS,
          "nc",
        );
      const inside = await nc(`${KEY}\nhello from nc\n`);
      const lines = new TextDecoder().decode(inside.stdout).split("\n");
      assert.equal(lines[0], ASKED);
      assert.match(lines[1] ?? "", /^\*\*\* Welcome to the chat, you are guest2\./);
      await readUntil(ann, "[guest2] hello from nc");

      const refused = await nc("guess-guess\nhello anyway\n");
      assert.equal(
        new TextDecoder().decode(refused.stdout),
        `${ASKED}\n${NOTICE_PREFIX}${EN.chatWrongRoomKey}\n`,
      );
      await ann.write("/who\n");
      await readUntil(ann, NOTICE_PREFIX + EN.chatWho(["guest1"]));
    } finally {
      ann.close();
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stdout, /^refused 127\.0\.0\.1:\d+: wrong key$/m);
      assert.ok(!stopped.stdout.includes(KEY), "the key is never logged");
      assert.ok(!stopped.stdout.includes("hello anyway"), "nothing before the key is logged");
      assert.ok(stopped.stdout.includes("received: hello from nc"), stopped.stdout);
    }
  });
});

Deno.test("server.ts --key-file: client.ts piped gets in with the key as its first line, exits 1 on a wrong one", async () => {
  await withKeyFile(KEY + "\n", async (file) => {
    const server = await startKeyedServer(file);
    const ann = await SocketClient.connect(server.port);
    try {
      assert.equal(await ann.readLine(), ASKED);
      await ann.write(KEY + "\n");
      assert.match(await ann.readLine(), /^\*\*\* Welcome/);
      const args = [LOOPBACK, String(server.port)];
      const inside = await runScript(CLIENT_SCRIPT, args, {
        stdin: `${KEY}\nhello from client.ts\n`,
      });
      assert.equal(inside.code, 0, inside.stderr);
      const lines = inside.stdout.split("\n");
      assert.equal(lines[0], ASKED);
      assert.match(lines[1] ?? "", /^\*\*\* Welcome to the chat, you are guest2\./);
      await readUntil(ann, "[guest2] hello from client.ts");

      const refused = await runScript(CLIENT_SCRIPT, args, { stdin: "nope-nope\n" });
      assert.equal(refused.code, 1, "a wrong key is a refusal a script can tell");
      assert.equal(refused.stdout, `${ASKED}\n${NOTICE_PREFIX}${EN.chatWrongRoomKey}\n`);
    } finally {
      ann.close();
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
  });
});

Deno.test("server.ts --key-file without --allow-read says in one line which flag to add, with the TLS files", async () => {
  await withKeyFile(KEY + "\n", async (file) => {
    const cert = `${TLS_DIR}server.pem`;
    const key = `${TLS_DIR}server.key`;
    const args = [
      ...ON_FREE_PORT,
      "--mode",
      "chat",
      "--key-file",
      file,
      "--tls-cert",
      cert,
      "--tls-key",
      key,
    ];
    const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, args, {
      denoFlags: ["--allow-net", "--no-prompt"],
    });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
    assert.ok(stderr.includes(`--allow-read=${file},${cert},${key}`), stderr);
    assert.ok(stderr.includes(`--key-file ${file}`), "the user's own arguments repeated");
  });
});

Deno.test("server.ts --key-file refuses an empty or short key as a usage error, exit 2", async () => {
  for (const content of ["", "\n  \n", "short\n"]) {
    await withKeyFile(content, async (file) => {
      const { code, stdout, stderr } = await runScript(
        SERVER_SCRIPT,
        [...ON_FREE_PORT, "--mode", "chat", "--key-file", file],
        { denoFlags: ["--allow-net", `--allow-read=${file}`] },
      );
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.ok(stderr.includes(`--key-file "${file}"`), stderr);
      assert.ok(stderr.includes("at least 8 characters"), stderr);
    });
  }
});

Deno.test("server.ts --key-file with a missing file says so in one line, exit 1", async () => {
  const file = `${await Deno.makeTempDir()}/missing.txt`;
  try {
    const { code, stderr } = await runScript(
      SERVER_SCRIPT,
      [...ON_FREE_PORT, "--mode", "chat", "--key-file", file],
      { denoFlags: ["--allow-net", `--allow-read=${file}`] },
    );
    assert.equal(code, 1);
    assert.ok(stderr.startsWith(`Cannot read the room key file "${file}": `), stderr);
  } finally {
    await Deno.remove(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  }
});

Deno.test({
  name: "server.ts --key-file with --redis: two servers, each reading its own file with the same " +
    "key, are one room for the people who gave it" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  async fn() {
    const redis = await startRedis();
    try {
      await withKeyFile(KEY + "\n", async (first) => {
        await withKeyFile(`${KEY}\n# the same key, in this server's own file\n`, async (second) => {
          const more = ["--redis", redis.url];
          const a = await startKeyedServer(first, more);
          const b = await startKeyedServer(second, more);
          const ann = await SocketClient.connect(a.port);
          const bob = await SocketClient.connect(b.port);
          try {
            for (const client of [ann, bob]) {
              assert.equal(await client.readLine(), ASKED);
              await client.write(KEY + "\n");
              assert.match(await client.readLine(), /^\*\*\* Welcome/);
            }
            await ann.write("hello over redis\n");
            await readUntil(bob, "[guest1] hello over redis");
            const guesser = await SocketClient.connect(b.port);
            try {
              await guesser.write("guess-guess\n");
              assert.equal(
                await guesser.readTextToEnd(),
                `${ASKED}\n${NOTICE_PREFIX}${EN.chatWrongRoomKey}\n`,
              );
            } finally {
              guesser.close();
            }
          } finally {
            ann.close();
            bob.close();
            for (const server of [a, b]) {
              const stopped = await server.stop();
              assert.equal(stopped.code, 0, stopped.stderr);
            }
          }
        });
      });
    } finally {
      await redis.stop();
    }
  },
});
