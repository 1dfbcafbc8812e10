/**
 * The operator key as a user meets it: the real `server.ts --mode chat`
 * prints `Operator key: KEY` after its ready line, a fresh key each start
 * (with `--quiet` too), or the key of `--op-key-file FILE`, which then needs
 * `--allow-read=FILE`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { ON_FREE_PORT, runScript, SERVER_SCRIPT, startServer } from "../support/processes.ts";

const KEY_LINE = /^Operator key: ([A-Za-z0-9_-]{16,})$/;

/** Starts a chat server and returns the key from its key line; stops it. */
async function keyOf(args: readonly string[], denoFlags?: readonly string[]): Promise<string> {
  const server = await startServer(
    [...ON_FREE_PORT, "--mode", "chat", ...args],
    denoFlags === undefined ? {} : { denoFlags },
  );
  try {
    const line = await server.stdout.nextLine();
    const key = line?.match(KEY_LINE)?.[1];
    assert.ok(key !== undefined, `the line after the ready line is the key line: ${line}`);
    return key;
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
}

Deno.test("server.ts --mode chat prints a fresh operator key after its ready line, with --quiet too", async () => {
  const first = await keyOf([]);
  const second = await keyOf(["--quiet"]);
  assert.notEqual(first, second, "a new key each start");
});

Deno.test("server.ts --lang zh prints the key line in Chinese", async () => {
  const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--lang", "zh"]);
  try {
    assert.match((await server.stdout.nextLine()) ?? "", /^管理员密钥：[A-Za-z0-9_-]{16,}$/);
  } finally {
    await server.stop();
  }
});

Deno.test("server.ts --mode reply prints no operator key", async () => {
  const server = await startServer([...ON_FREE_PORT]);
  const stopped = await server.stop();
  assert.ok(!stopped.stdout.includes("Operator key"), stopped.stdout);
});

Deno.test("server.ts --op-key-file FILE uses the file's first line, with --allow-read=FILE", async () => {
  const file = await Deno.makeTempFile({ prefix: "op-key-" });
  try {
    await Deno.writeTextFile(file, "  teacher-key-0123456789  \nsecond line\n");
    const key = await keyOf(["--op-key-file", file], ["--allow-net", `--allow-read=${file}`]);
    assert.equal(key, "teacher-key-0123456789");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("server.ts --op-key-file without --allow-read says which flag to add, in one line, exit 1", async () => {
  const file = await Deno.makeTempFile({ prefix: "op-key-" });
  try {
    await Deno.writeTextFile(file, "teacher-key-0123456789\n");
    const args = [...ON_FREE_PORT, "--mode", "chat", "--op-key-file", file];
    const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, args, {
      denoFlags: ["--allow-net", "--no-prompt"],
    });
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
    assert.ok(stderr.includes(`--allow-read=${file}`), stderr);
    assert.ok(stderr.includes(`--op-key-file ${file}`), "the user's own arguments repeated");
    assert.ok(!stderr.includes("    at "), "no stack trace");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("server.ts --op-key-file refuses an empty or short key as a usage error, exit 2", async () => {
  const file = await Deno.makeTempFile({ prefix: "op-key-" });
  try {
    for (const content of ["", "\n  \n", "short\n"]) {
      await Deno.writeTextFile(file, content);
      const { code, stdout, stderr } = await runScript(
        SERVER_SCRIPT,
        [...ON_FREE_PORT, "--mode", "chat", "--op-key-file", file],
        { denoFlags: ["--allow-net", `--allow-read=${file}`] },
      );
      assert.equal(code, 2, stderr);
      assert.equal(stdout, "");
      assert.ok(stderr.includes("--op-key-file"), stderr);
      assert.ok(stderr.includes("16"), "says how long a key must be");
    }
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("the key line's texts name the key in both languages", () => {
  assert.equal(CHAT_TEXTS.en.operatorKey("abc"), "Operator key: abc");
  assert.equal(CHAT_TEXTS.zh.operatorKey("abc"), "管理员密钥：abc");
});
