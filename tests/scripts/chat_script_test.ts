/**
 * Chat mode as a user runs it: the real `server.ts --mode chat`, clients over
 * TCP, and the real `client.ts` on a pseudo-terminal talking in the room
 * while another member's lines arrive.
 *
 * @module
 */

import assert from "node:assert/strict";
import { PROMPT } from "../../lib/client/interactive_client.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { LOOPBACK } from "../support/ports.ts";
import {
  hasPython,
  ON_FREE_PORT,
  runScript,
  SERVER_SCRIPT,
  startServer,
} from "../support/processes.ts";
import { KEYS, startClientOnPty } from "../support/pty_driver.ts";
import { SocketClient } from "../support/socket_helpers.ts";

Deno.test("server.ts --mode chat --lang zh: Chinese server lines, people's text as sent, a summary at exit", async () => {
  const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--lang", "zh"]);
  try {
    const first = await SocketClient.connect(server.port);
    const second = await SocketClient.connect(server.port);
    try {
      const welcome = await first.readLine();
      assert.match(welcome, /^\*\*\* .*guest1/);
      assert.match(welcome, /[\u4e00-\u9fff]/, "the welcome is in Chinese");
      await second.readLine();
      assert.match(await first.readLine(), /^\*\*\* .*guest2/);
      // guest1 said nothing yet: the room tells guest2 it joined after a second (--lang zh).
      assert.equal(await second.readLine(), "*** guest1 加入了聊天室");
      await second.write("大家好\n");
      assert.equal(await first.readLine(), "[guest2] 大家好");
      await first.write("/nick 小明\n");
      assert.match(await first.readLine(), /^\*\*\* guest1 .*小明/);
      assert.match(await second.readLine(), /^\*\*\* guest1 .*小明/);
    } finally {
      first.close();
      second.close();
    }
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /共服务 2 个连接/);
  }
});

Deno.test("server.ts --help lists the chat mode and its options", async () => {
  const { code, stdout } = await runScript(SERVER_SCRIPT, ["--help"]);
  assert.equal(code, 0);
  for (const option of ["chat", "--history", "--max-backlog", "--rate"]) {
    assert.ok(stdout.includes(option), `--help names ${option}`);
  }
});

Deno.test({
  name:
    "client.ts in a chat room: a line from another member arrives while a Chinese line is half typed",
  ignore: !(await hasPython()),
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--mode", "chat"]);
    const pty = startClientOnPty([LOOPBACK, String(server.port)]);
    let other: SocketClient | undefined;
    try {
      await pty.expect(PROMPT);
      await pty.expect("you are guest1"); // the welcome
      // A line now, so the room announces guest1 before guest2 comes (not a second after it came).
      await pty.type("/who" + KEYS.enter);
      await pty.expect("1 person here: guest1");
      const ready = TEXTS.en.clientReady(LOOPBACK, server.port);
      other = await SocketClient.connect(server.port);
      await other.readLine(); // its welcome
      await pty.expect("guest2 joined");
      await pty.type("你好，半");
      await pty.expect("你好，半");
      await other.write("hello from guest2\n");
      await pty.expectScreen([
        ready,
        pty.screen.lines()[1]!, // the welcome
        ">>> /who",
        "*** 1 person here: guest1",
        "*** guest2 joined",
        "[guest2] hello from guest2",
        ">>> 你好，半",
      ]);
      await pty.type("句" + KEYS.enter);
      assert.equal(await other.readLine(), "[guest1] 你好，半句");
      await pty.type("/quit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
      assert.equal(await other.readLine(), "*** guest1 left");
    } finally {
      other?.close();
      await pty.close();
      await server.stop();
    }
  },
});
