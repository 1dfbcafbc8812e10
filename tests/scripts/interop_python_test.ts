/**
 * Interoperability with python3 peers that behave like the socket tutorial's
 * own server.py and client.py (see tests/support/python_peers.ts). Each test
 * is skipped when python3 cannot be run.
 *
 * @module
 */

import assert from "node:assert/strict";
import { TEXTS } from "../../lib/text/texts.ts";
import { LOOPBACK } from "../support/ports.ts";
import {
  CLIENT_SCRIPT,
  hasPython,
  ON_FREE_PORT,
  runScript,
  startServer,
} from "../support/processes.ts";
import {
  SPLIT_CHARACTER_CLIENT_PY,
  startPythonPeer,
  TUTORIAL_CLIENT_PY,
  TUTORIAL_SERVER_PY,
} from "../support/python_peers.ts";
import { SocketClient } from "../support/socket_helpers.ts";

/** The tutorial server's reply prefix. */
const TUTORIAL_REPLY = "服务端接收到的信息为：";

if (!(await hasPython())) {
  console.log("NOTE: python3 not found, so the python3 interop tests are skipped");
}

Deno.test({
  name: "server.ts --lang zh answers the tutorial's client (no newline, recv(512)) (needs python3)",
  ignore: !(await hasPython()),
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--lang", "zh"]);
    let python;
    try {
      python = await startPythonPeer(TUTORIAL_CLIENT_PY, [
        String(server.port),
        "good boy",
        "好男孩",
      ]).finish();
    } finally {
      await server.stop();
    }
    assert.equal(python.stderr, "", "python3 should not fail");
    assert.equal(python.code, 0);
    assert.deepEqual(JSON.parse(python.stdout), [
      `${TUTORIAL_REPLY}good boy\n`,
      `${TUTORIAL_REPLY}好男孩\n`,
    ]);
    const { code, stdout, stderr } = await server.stop();
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(stdout.includes(TEXTS.zh.messageReceived("good boy")), stdout);
    assert.ok(stdout.includes(TEXTS.zh.messageReceived("好男孩")), stdout);
  },
});

Deno.test({
  name: "client.ts piped prints the tutorial server's replies and exits 0 (needs python3)",
  ignore: !(await hasPython()),
  fn: async () => {
    const peer = startPythonPeer(TUTORIAL_SERVER_PY, []);
    let result;
    let python;
    try {
      const port = await peer.stdout.nextLine();
      assert.match(port ?? "", /^\d+$/, `python3 should print its port: ${peer.stderr.text}`);
      result = await runScript(CLIENT_SCRIPT, [LOOPBACK, port!], {
        stdin: "good boy\n好男孩\n",
        timeoutMs: 15_000,
      });
    } finally {
      python = await peer.finish();
    }
    assert.equal(python.stderr, "", "python3 should not fail");
    assert.equal(python.code, 0, "the tutorial server exits once the client closes");
    // The tutorial server answers per recv(), so the replies follow how TCP cut the input.
    const chunks: string[] = JSON.parse(python.stdout.trimEnd().split("\n").at(-1)!);
    assert.equal(chunks.join(""), "good boy\n好男孩\n");
    assert.equal(result.stdout, chunks.map((chunk) => TUTORIAL_REPLY + chunk).join(""));
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
  },
});

Deno.test({
  name: "server.ts answers a character split across two TCP_NODELAY sends (needs python3)",
  ignore: !(await hasPython()),
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--lang", "zh", "--trace"]);
    try {
      const peer = startPythonPeer(SPLIT_CHARACTER_CLIENT_PY, [String(server.port)]);
      let python;
      try {
        const clientPort = await peer.stdout.nextLine();
        assert.match(
          clientPort ?? "",
          /^\d+$/,
          `python3 should print its port: ${peer.stderr.text}`,
        );
        // Hold the rest back until the server has read the first two bytes on their own.
        const firstRead = `[${LOOPBACK}:${clientPort}] ${TEXTS.zh.trace("read", 2)}`;
        await server.stdout.waitFor(new RegExp(`^${RegExp.escape(firstRead)}$`));
        // Let the server's idle flush pass over the half character: another client's
        // unterminated text is answered only after ITS idle flush, which was armed later.
        assert.equal(await tickAfterIdleFlush(server.port), `${TUTORIAL_REPLY}tick\n`);
        await peer.writeLine("go");
      } finally {
        python = await peer.finish();
      }
      assert.equal(python.stderr, "", "python3 should not fail");
      assert.equal(python.code, 0);
      const reply = JSON.parse(python.stdout.trimEnd().split("\n").at(-1)!);
      assert.equal(reply, `${TUTORIAL_REPLY}好男孩\n`);
    } finally {
      await server.stop();
    }
    const { code, stdout, stderr } = await server.stop();
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(stdout.includes(TEXTS.zh.messageReceived("好男孩")), stdout);
    assert.ok(!stdout.includes("\uFFFD"), `no replacement character expected:\n${stdout}`);
  },
});

/**
 * Sends "tick" without a newline on a second connection and waits for its
 * reply, which the server sends only after that connection's idle flush.
 */
async function tickAfterIdleFlush(port: number): Promise<string> {
  const client = await SocketClient.connect(port);
  try {
    return await client.sendAndReadLines("tick");
  } finally {
    client.close();
  }
}
