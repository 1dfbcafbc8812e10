/**
 * End-to-end tests of client.ts on a terminal, as a person uses it: job
 * control in a real shell (Ctrl+Z, `fg`), signals, the terminal's mode
 * afterwards, long output, long pastes, lines that arrive in pieces, empty
 * lines, `--crlf`, `--hex`, stdout redirected to a file, and a server's escape
 * sequences. The real `deno run --allow-net client.ts` runs on a
 * pseudo-terminal (`support/pty_driver.ts`), directly or under `bash -i` or
 * `sh -i`, and the test reads the screen (`support/terminal_screen.ts`).
 *
 * Skipped where python3 (for the pty) or the shell is missing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { PROMPT } from "../../lib/client/interactive_client.ts";
import { nickColor, SGR_RESET } from "../../lib/client/line_style.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { LOOPBACK } from "../support/ports.ts";
import {
  CLIENT_SCRIPT,
  hasPython,
  ON_FREE_PORT,
  startServer,
  WAIT_MS,
  within,
} from "../support/processes.ts";
import { KEYS, PtySession, startClientOnPty } from "../support/pty_driver.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { CA_FILE, TLS_SERVER_ARGS, TLS_SERVER_FLAGS } from "../support/tls_files.ts";

const EN = TEXTS.en;
const CHAT_EN = CHAT_TEXTS.en;
const CTRL_Z = "\x1a";
/** The prompt the tests give the shell; typed as `PS1="ts""> "`, so its echo never matches. */
const SHELL_PROMPT = "ts> ";

const noPython = !(await hasPython());
if (noPython) {
  console.warn("python3 not found: skipping the terminal tests (they need its pty module)");
}

/** Whether `shell` runs here. */
async function hasShell(shell: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(shell, { args: ["-c", "exit 0"] }).output();
    return success;
  } catch {
    return false;
  }
}
const noBash = noPython || !(await hasShell("bash"));
const noSh = noPython || !(await hasShell("sh"));
if (!noPython && noBash) console.warn("bash not found: skipping the job-control test");
if (!noPython && noSh) console.warn("sh not found: skipping the terminal-mode tests under sh");

/** The command line a user types to start the client. */
function clientCommand(args: readonly string[]): string {
  return [Deno.execPath(), "run", "--allow-net", CLIENT_SCRIPT, ...args].join(" ");
}

/** Starts an interactive shell (`bash` or `sh`) on a pseudo-terminal, with {@linkcode SHELL_PROMPT}. */
async function startShell(shell: "bash" | "sh"): Promise<PtySession> {
  const args = shell === "bash" ? ["--norc", "--noprofile", "-i"] : ["-i"];
  const pty = PtySession.start([shell, ...args]);
  // Shells take PS1 from the environment only sometimes (not for root): set it by hand.
  await pty.type(`PS1="ts""> "` + KEYS.enter);
  await pty.expect(SHELL_PROMPT);
  return pty;
}

/** Runs `body` with a listener of the test's own, so the test decides what the server says. */
async function withListener(
  body: (listener: Deno.TcpListener, port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  try {
    await body(listener, listener.addr.port);
  } finally {
    listener.close();
  }
}

async function accept(listener: Deno.TcpListener): Promise<SocketClient> {
  return new SocketClient(await within(listener.accept(), WAIT_MS, "client.ts to connect"));
}

/**
 * Runs `body` with client.ts on a terminal, connected to a listener of the
 * test (`conn` is the server's side), then closes both.
 */
function withClient(
  options: readonly string[],
  body: (pty: PtySession, conn: SocketClient, port: number) => Promise<void>,
): Promise<void> {
  return withListener(async (listener, port) => {
    const pty = startClientOnPty([LOOPBACK, String(port), ...options]);
    try {
      const conn = await accept(listener);
      try {
        await pty.expect(PROMPT);
        await body(pty, conn, port);
      } finally {
        conn.close();
      }
    } finally {
      await pty.close();
    }
  });
}

/** Waits, with a bound, until `file` holds exactly `text` (watching it, not polling). */
async function fileHolds(file: string, text: string): Promise<void> {
  const watcher = Deno.watchFs(file);
  try {
    const holds = async () => (await Deno.readTextFile(file)) === text;
    const changed = async () => {
      for await (const _event of watcher) if (await holds()) return;
    };
    if (!(await holds())) {
      await within(changed(), WAIT_MS, `${file} to hold ${JSON.stringify(text)}`);
    }
  } finally {
    watcher.close();
  }
}

/**
 * The pid of the client.ts process connected to `port`, found by its command
 * line (python3 reads /proc, which Deno would need --allow-all for).
 */
async function clientPid(port: number): Promise<number> {
  const find = `
import os, sys
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) == os.getpid():
        continue
    try:
        args = open(f"/proc/{pid}/cmdline", "rb").read().decode().split("\\0")
    except OSError:
        continue
    if sys.argv[1] in args and sys.argv[2] in args:
        print(pid)
`;
  const { stdout } = await new Deno.Command("python3", {
    args: ["-c", find, CLIENT_SCRIPT, String(port)],
  }).output();
  const pids = new TextDecoder().decode(stdout).trim().split("\n").filter((pid) => pid !== "");
  assert.equal(pids.length, 1, `one client.ts process for port ${port}: ${pids}`);
  return Number(pids[0]);
}

/** Asks the shell for the terminal's mode and checks it is a usable line mode again. */
async function assertTerminalSane(pty: PtySession): Promise<void> {
  await pty.type(`stty -a; echo stty""-done` + KEYS.enter);
  await pty.expect("stty-done\r\n");
  const report = pty.text.slice(pty.text.lastIndexOf("speed "));
  for (const flag of ["icanon", "echo", "isig", "icrnl"]) {
    assert.match(report, new RegExp(`(^|\\s)${flag}(\\s|$)`), `${flag} in:\n${report}`);
  }
}

Deno.test({
  name:
    "client.ts under bash: Ctrl+Z suspends it, fg brings back the prompt with the half-typed text",
  ignore: noBash,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT]);
    const pty = await startShell("bash");
    try {
      await pty.type(clientCommand([LOOPBACK, String(server.port)]) + KEYS.enter);
      await pty.expect(PROMPT);
      await pty.type("half");
      await pty.expect("half");
      await pty.type(CTRL_Z);
      await pty.expect("Stopped");
      await pty.expect(SHELL_PROMPT);
      await assertTerminalSane(pty); // the shell has a normal terminal while the client is stopped

      await pty.type("fg" + KEYS.enter);
      await pty.expect(">>> half");
      await pty.type(" typed" + KEYS.enter);
      await server.stdout.waitFor(/received: half typed$/);
      await pty.expect("Server received: half typed");

      await pty.type(KEYS.ctrlC);
      await pty.expect(EN.goodbye);
      await pty.expect(SHELL_PROMPT);
      await assertTerminalSane(pty);
      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    } finally {
      await pty.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "client.ts --ca on a terminal: says the connection is TLS, then chats as usual",
  ignore: noPython,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--mode", "chat", ...TLS_SERVER_ARGS], {
      denoFlags: TLS_SERVER_FLAGS,
    });
    const pty = PtySession.start([
      Deno.execPath(),
      "run",
      "--allow-net",
      `--allow-read=${CA_FILE}`,
      CLIENT_SCRIPT,
      "--ca",
      CA_FILE,
      "localhost",
      String(server.port),
    ]);
    try {
      await pty.expect(EN.clientReadyTls("localhost", server.port));
      await pty.expect("*** Welcome to the chat, you are guest1");
      await pty.type("/me waves" + KEYS.enter);
      await server.stdout.waitFor(/guest1 joined$/);
      await pty.type("/who" + KEYS.enter);
      await pty.expect("*** " + CHAT_EN.chatWho(["guest1"]));
      await pty.type("exit" + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    } finally {
      await pty.close();
      await server.stop();
    }
  },
});

for (const [signal, code] of [["SIGTERM", 143], ["SIGHUP", 129], ["SIGQUIT", 131]] as const) {
  Deno.test({
    name:
      `client.ts under sh: ${signal} restores the terminal, keeps the typed text, exits ${code}`,
    ignore: noSh,
    fn: () =>
      withListener(async (listener, port) => {
        const pty = await startShell("sh");
        try {
          await pty.type(clientCommand([LOOPBACK, String(port)]) + KEYS.enter);
          const conn = await accept(listener);
          try {
            await pty.expect(PROMPT);
            await pty.type("typing");
            await pty.expect("typing");
            Deno.kill(await clientPid(port), signal);
            await pty.expect(SHELL_PROMPT);
            await pty.type("echo code=$?" + KEYS.enter);
            await pty.expect(`code=${code}`);
            assert.ok(pty.screen.lines().includes(">>> typing"), `screen:\n${pty.screen}`);
            await assertTerminalSane(pty);
            assert.equal(await conn.readTextToEnd(), ""); // nothing was sent
          } finally {
            conn.close();
          }
          await pty.type("exit" + KEYS.enter);
          assert.equal(await pty.exitCode(), 0);
        } finally {
          await pty.close();
        }
      }),
  });
}

Deno.test({
  name: "client.ts on a terminal shows all of a 200,000-line output and the closed notice",
  ignore: noPython,
  fn: () =>
    withClient([], async (pty, conn) => {
      const lines = Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join("");
      await conn.write(lines);
      conn.close();
      await pty.expect(EN.serverClosed, WAIT_MS * 3);
      assert.equal(await pty.exitCode(), 0);
      assert.deepEqual(pty.screen.lines().slice(-4), ["199999", "200000", EN.serverClosed, ""]);
      // Every line, in order, none lost, doubled or cut in two, as the screen showed them.
      const rows = [...pty.screen.scrolledOff, ...pty.screen.lines()];
      const shown = rows.filter((row) => /^\d+$/.test(row));
      assert.equal(shown.length, 200_000);
      assert.ok(shown.every((row, i) => row === String(i + 1)));
    }),
});

Deno.test({
  name: "client.ts on a terminal sends a pasted 64 KiB line whole",
  ignore: noPython,
  fn: () =>
    withClient([], async (pty, conn) => {
      const line = "0123456789abcdef".repeat(4096); // 65,536 characters
      await pty.type(line + KEYS.enter);
      assert.equal(await conn.readLine(), line);
      await pty.type(KEYS.ctrlC);
      assert.equal(await pty.exitCode(), 0);
      conn.close();
    }),
});

Deno.test({
  name: "client.ts on a terminal shows a line that arrives in two reads as one line",
  ignore: noPython,
  fn: () =>
    withClient([], async (pty, conn, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      await pty.type("abc");
      await conn.write("Server recei");
      await pty.expectScreen([ready, "Server recei", ">>> abc"]);
      await conn.write("ved: 好男孩\n");
      await pty.expectScreen([ready, "Server received: 好男孩", ">>> abc"]);
      assert.deepEqual([pty.screen.row, pty.screen.col], [2, ">>> abc".length]);
      await conn.write("next\n");
      await pty.expectScreen([ready, "Server received: 好男孩", "next", ">>> abc"]);
      conn.close();
      await pty.expect(EN.serverClosed);
      assert.equal(await pty.exitCode(), 0);
    }),
});

for (const crlf of [false, true]) {
  const end = crlf ? "\r\n" : "\n";
  Deno.test({
    name: `client.ts on a terminal sends empty lines${crlf ? ", with --crlf as \\r\\n" : ""}`,
    ignore: noPython,
    fn: () =>
      withClient(crlf ? ["--crlf"] : [], async (pty, conn) => {
        await pty.type("GET / HTTP/1.0" + KEYS.enter + KEYS.enter);
        const expected = `GET / HTTP/1.0${end}${end}`;
        const bytes = await conn.readBytes(new TextEncoder().encode(expected).length);
        assert.equal(new TextDecoder().decode(bytes), expected);
        conn.close();
        await pty.expect(EN.serverClosed);
        assert.equal(await pty.exitCode(), 0);
      }),
  });
}

Deno.test({
  name: "client.ts on a terminal keeps the half-typed text on screen when the server closes",
  ignore: noPython,
  fn: () =>
    withClient([], async (pty, conn, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      await pty.type("half typed");
      await pty.expect("half typed");
      await conn.write(EN.idleTimeout(5) + "\n");
      conn.close();
      assert.equal(await pty.exitCode(), 0);
      await pty.expectScreen([ready, EN.idleTimeout(5), ">>> half typed", EN.serverClosed, ""]);
    }),
});

Deno.test({
  name: "client.ts on a terminal exits 1 when server.ts turns it away as busy",
  ignore: noPython,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--max-conns", "1"]);
    const first = await SocketClient.connect(server.port);
    try {
      await server.stdout.waitFor(/client connected/);
      const pty = startClientOnPty([LOOPBACK, String(server.port)]);
      try {
        assert.equal(await pty.exitCode(), 1);
        const lines = pty.screen.lines();
        assert.ok(lines.includes(EN.tooManyClients(1)), `screen:\n${pty.screen}`);
        assert.ok(lines.includes(EN.serverClosed), `screen:\n${pty.screen}`);
      } finally {
        await pty.close();
      }
    } finally {
      first.close();
      await server.stop();
    }
  },
});

Deno.test({
  name: "client.ts on a terminal shows a server's escape sequences and controls as text",
  ignore: noPython,
  fn: () =>
    withClient([], async (pty, conn, port) => {
      const ready = EN.clientReady(LOOPBACK, port);
      await conn.write("\x1b[2J\x1b[31mred\x07 \u202etxt\r\n");
      await pty.expectScreen([ready, "^[[2J^[[31mred^G <U+202E>txt", ">>>"]);
      conn.close();
      assert.equal(await pty.exitCode(), 0);
    }),
});

for (const noColor of [false, true]) {
  Deno.test({
    name: noColor
      ? "client.ts on a terminal with NO_COLOR set shows a chat line without colours"
      : "client.ts on a terminal colours the [nick] of a chat line when NO_COLOR is not set",
    ignore: noPython,
    fn: () =>
      withListener(async (listener, port) => {
        // null takes NO_COLOR out of the environment, even when the test runner has it.
        const pty = startClientOnPty([LOOPBACK, String(port)], {
          env: { NO_COLOR: noColor ? "1" : null },
        });
        try {
          const conn = await accept(listener);
          try {
            await pty.expect(PROMPT);
            await conn.write("[alice] hi\n");
            await pty.expectScreen([EN.clientReady(LOOPBACK, port), "[alice] hi", ">>>"]);
            // deno-lint-ignore no-control-regex -- the escape sequences are what it looks for
            const sgr = pty.output.match(/\x1b\[[0-9;]*m/g) ?? [];
            const color = nickColor("alice");
            if (noColor) {
              assert.deepEqual(sgr, [], JSON.stringify(pty.output));
            } else {
              assert.ok(
                pty.output.includes(`${color}[alice]${SGR_RESET} hi`),
                JSON.stringify(pty.output),
              );
              assert.deepEqual(sgr, [color, SGR_RESET]);
              const pen = color.slice(2, -1); // "\x1b[32m" is "32"
              assert.deepEqual(pty.screen.runs(1), [["[alice]", pen], [" hi", ""]]);
            }
            assert.equal(pty.screen.pen, "");
            conn.close();
            assert.equal(await pty.exitCode(), 0);
          } finally {
            conn.close();
          }
        } finally {
          await pty.close();
        }
      }),
  });
}

Deno.test({
  name: "client.ts --hex on a terminal shows what is sent and received in hex and text",
  ignore: noPython,
  fn: () =>
    withClient(["--hex"], async (pty, conn) => {
      await conn.write("hi\n");
      await pty.expect(EN.hexReceived(3));
      await pty.expect("00000000  68 69 0a");
      await pty.expect("|hi.|");
      await pty.type("ok" + KEYS.enter);
      assert.equal(await conn.readLine(), "ok");
      await pty.expect(EN.hexSent(3));
      await pty.expect("|ok.|");
      conn.close();
      assert.equal(await pty.exitCode(), 0);
    }),
});

Deno.test({
  name:
    "client.ts > file under sh: prompt and editing on the terminal, the server's bytes in the file",
  ignore: noSh,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT]);
    const file = `/tmp/tcp-toolkit-test-${crypto.randomUUID()}.out`;
    const pty = await startShell("sh");
    try {
      await pty.type(`${clientCommand([LOOPBACK, String(server.port)])} > ${file}` + KEYS.enter);
      await pty.expect(PROMPT);
      await pty.type("good boy" + KEYS.enter);
      await server.stdout.waitFor(/received: good boy$/);
      await pty.expect(PROMPT); // the next prompt: the reply went to the file, not the screen
      await fileHolds(file, "Server received: good boy\n");
      await pty.type("exit" + KEYS.enter);
      await pty.expect(EN.goodbye);
      await pty.expect(SHELL_PROMPT);
      assert.equal(await Deno.readTextFile(file), "Server received: good boy\n");
      assert.ok(!pty.text.includes("Server received"), `screen:\n${pty.screen}`);
      await pty.type(`rm -f ${file}; exit` + KEYS.enter);
      assert.equal(await pty.exitCode(), 0);
    } finally {
      await pty.close();
      await server.stop();
      // The shell removes it on success; this is for a test that failed before that.
      await new Deno.Command("rm", { args: ["-f", file] }).output();
    }
  },
});
