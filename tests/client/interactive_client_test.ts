/**
 * End-to-end tests of client.ts on a terminal: the real
 * `deno run --allow-net client.ts` runs on a pseudo-terminal (python3's `pty`
 * module, see `support/pty_driver.ts`), the test types keys and checks the
 * rows a user would see (`support/terminal_screen.ts`), against the real
 * server.ts, a python3 server like the tutorial's, or a listener the test
 * controls.
 *
 * They are skipped when python3 is missing: Deno alone cannot give a child a
 * terminal.
 *
 * @module
 */

import assert from "node:assert/strict";
import { PROMPT } from "../../lib/client/interactive_client.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { LOOPBACK } from "../support/ports.ts";
import { hasPython, ON_FREE_PORT, startServer, WAIT_MS, within } from "../support/processes.ts";
import { KEYS, PtySession, startClientOnPty } from "../support/pty_driver.ts";
import { startPythonPeer, STRIP_NEWLINE, TUTORIAL_SERVER_PY } from "../support/python_peers.ts";
import { SocketClient } from "../support/socket_helpers.ts";
const EN = TEXTS.en;
const ZH = TEXTS.zh;

const noPython = !(await hasPython());
if (noPython) {
  console.warn(
    "python3 not found: skipping the terminal tests of client.ts (they need its pty module)",
  );
}

/**
 * Runs `body` with server.ts (reply mode, on a free port) and client.ts on a
 * terminal connected to it, then ends both; the server must exit 0.
 */
async function withServerAndClient(
  lang: "en" | "zh",
  body: (
    pty: PtySession,
    port: number,
    server: Awaited<ReturnType<typeof startServer>>,
  ) => Promise<void>,
): Promise<void> {
  const server = await startServer([...ON_FREE_PORT, "--lang", lang]);
  const pty = startClientOnPty([LOOPBACK, String(server.port), "--lang", lang]);
  let stopped;
  try {
    await pty.expect(PROMPT);
    await body(pty, server.port, server);
  } finally {
    await pty.close();
    stopped = await server.stop();
  }
  assert.equal(stopped.code, 0, `server.ts exit code; stderr: ${stopped.stderr}`);
}

/**
 * Runs `body` with client.ts on a terminal connected to a listener of the
 * test, so the test decides when the server speaks.
 */
async function withListenerAndClient(
  body: (pty: PtySession, conn: SocketClient, port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const pty = startClientOnPty([LOOPBACK, String(listener.addr.port)]);
  try {
    const conn = new SocketClient(
      await within(listener.accept(), WAIT_MS, "client.ts to connect"),
    );
    try {
      await pty.expect(PROMPT);
      await body(pty, conn, listener.addr.port);
    } finally {
      conn.close();
    }
  } finally {
    listener.close();
    await pty.close();
  }
}

Deno.test({
  name: 'client.ts on a terminal shows ">>> ", sends "good boy" and shows the reply on its own row',
  ignore: noPython,
  fn: () =>
    withServerAndClient("en", async (pty, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      await pty.expectScreen([ready, ">>>"]);
      assert.deepEqual([pty.screen.row, pty.screen.col], [1, PROMPT.length]);

      await pty.type("good boy" + KEYS.enter);
      await pty.expect("Server received: good boy");
      await pty.expect(PROMPT);
      await pty.expectScreen([ready, ">>> good boy", "Server received: good boy", ">>>"]);
      assert.deepEqual([pty.screen.row, pty.screen.col], [3, PROMPT.length]);

      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    }),
});

Deno.test({
  name: "client.ts --lang zh on a terminal sends Chinese and shows the Chinese reply",
  ignore: noPython,
  fn: () =>
    withServerAndClient("zh", async (pty, port) => {
      const ready = ZH.clientReady(LOOPBACK, port);
      await pty.type("好男孩" + KEYS.enter);
      await pty.expect("服务端接收到的信息为：好男孩");
      await pty.expect(PROMPT);
      await pty.expectScreen([ready, ">>> 好男孩", "服务端接收到的信息为：好男孩", ">>>"]);

      await pty.type(KEYS.ctrlD);
      assert.equal(await pty.exitCode(), 0);
      await pty.expectScreen([
        ready,
        ">>> 好男孩",
        "服务端接收到的信息为：好男孩",
        ">>>",
        "再见",
        "",
      ]);
    }),
});

Deno.test({
  name: 'client.ts on a terminal quits on "exit" without sending it, says goodbye, exits 0',
  ignore: noPython,
  fn: () =>
    withServerAndClient("en", async (pty, port, server) => {
      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
      await pty.expectScreen([EN.clientReady(LOOPBACK, port), ">>> exit", EN.goodbye, ""]);
      await server.stdout.waitFor(/client disconnected/);
      assert.doesNotMatch(server.stdout.text, /received: exit/);
    }),
});

Deno.test({
  name: "client.ts on a terminal quits on Ctrl+D at an empty prompt, says goodbye, exits 0",
  ignore: noPython,
  fn: () =>
    withServerAndClient("en", async (pty, port) => {
      await pty.type(KEYS.ctrlD);
      assert.equal(await pty.exitCode(), 0);
      await pty.expectScreen([EN.clientReady(LOOPBACK, port), ">>>", EN.goodbye, ""]);
    }),
});

Deno.test({
  name: "client.ts on a terminal quits on Ctrl+C, keeps the unsent text on screen, exits 0",
  ignore: noPython,
  fn: () =>
    withServerAndClient("en", async (pty, port, server) => {
      await pty.type("not sent" + KEYS.left.repeat(4));
      await pty.expect("not sent");
      await pty.type(KEYS.ctrlC);
      assert.equal(await pty.exitCode(), 0);
      await pty.expectScreen([EN.clientReady(LOOPBACK, port), ">>> not sent", EN.goodbye, ""]);
      await server.stdout.waitFor(/client disconnected/);
      assert.doesNotMatch(server.stdout.text, /received:/);
    }),
});

Deno.test({
  name:
    "client.ts on a terminal shows the goodbye, the typed text and the closed notice when server.ts stops",
  ignore: noPython,
  fn: () =>
    withServerAndClient("en", async (pty, port, server) => {
      await server.stdout.waitFor(/client connected/);
      await pty.type("half");
      await pty.expect("half");

      const stopped = await server.stop("SIGTERM");
      assert.equal(stopped.code, 0);
      await pty.expect(EN.shuttingDown);
      await pty.expect(EN.serverClosed);
      assert.equal(await pty.exitCode(), 0);
      // The half-typed line stays on screen, below the server's last line.
      await pty.expectScreen([
        EN.clientReady(LOOPBACK, port),
        EN.shuttingDown,
        ">>> half",
        EN.serverClosed,
        "",
      ]);
    }),
});

Deno.test({
  name: "client.ts on a terminal redraws the half-typed line after a message, then sends it whole",
  ignore: noPython,
  fn: () =>
    withListenerAndClient(async (pty, conn, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      await pty.type("half li");
      await pty.expect("half li");

      await conn.write("A message from the server\n");
      await pty.expectScreen([ready, "A message from the server", ">>> half li"]);
      assert.deepEqual([pty.screen.row, pty.screen.col], [2, ">>> half li".length]);

      await pty.type("ne" + KEYS.enter);
      assert.equal(await conn.readLine(), "half line");
      await pty.expectScreen([ready, "A message from the server", ">>> half line", ">>>"]);

      conn.close();
      await pty.expect(EN.serverClosed);
      assert.equal(await pty.exitCode(), 0);
    }),
});

Deno.test({
  name: "client.ts on a terminal keeps a message and a typed line that wraps onto two rows intact",
  ignore: noPython,
  fn: () =>
    withListenerAndClient(async (pty, conn, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      const typed = "a".repeat(130); // with the prompt: 134 columns, the terminal has 100
      const prompt = [`>>> ${"a".repeat(96)}`, "a".repeat(34)];
      await pty.type(typed);
      await pty.expectScreen([ready, ...prompt]);

      await conn.write("news");
      await pty.expectScreen([ready, "news", ...prompt]);
      assert.deepEqual([pty.screen.row, pty.screen.col], [3, 34]);

      await pty.type(KEYS.enter);
      assert.equal(await conn.readLine(), typed);
      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    }),
});

Deno.test({
  name:
    "client.ts on a terminal shows a reply without newline from a python3 server, then the prompt",
  ignore: noPython,
  fn: async () => {
    const peer = startPythonPeer(TUTORIAL_SERVER_PY, [STRIP_NEWLINE]);
    const port = Number(await peer.stdout.nextLine());
    const pty = startClientOnPty([LOOPBACK, String(port)]);
    let result;
    try {
      const ready = EN.clientReady(LOOPBACK, port);
      await pty.expect(PROMPT);
      await pty.type("good boy" + KEYS.enter);
      await pty.expect("服务端接收到的信息为：good boy");
      await pty.expect(PROMPT);
      await pty.expectScreen([ready, ">>> good boy", "服务端接收到的信息为：good boy", ">>>"]);

      await pty.type("好男孩" + KEYS.enter);
      await pty.expect("服务端接收到的信息为：好男孩");
      await pty.expect(PROMPT);
      await pty.expectScreen([
        ready,
        ">>> good boy",
        "服务端接收到的信息为：good boy",
        ">>> 好男孩",
        "服务端接收到的信息为：好男孩",
        ">>>",
      ]);

      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    } finally {
      await pty.close();
      result = await peer.finish();
    }
    assert.equal(result.code, 0, `python3 server; stderr: ${result.stderr}`);
    // One recv() per line typed: each line went out in one piece.
    const received = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "null");
    assert.deepEqual(received, ["good boy", "好男孩"]);
  },
});
