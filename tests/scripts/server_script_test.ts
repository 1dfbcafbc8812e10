/**
 * End-to-end tests of server.ts: each starts the real script as a user does
 * (`deno run --allow-net server.ts ...`) on 127.0.0.1 and talks to it over
 * real sockets.
 *
 * @module
 */

import assert from "node:assert/strict";
import { hexDump } from "../../lib/text/hex_dump.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { canListenOn, LOOPBACK, unusedPort } from "../support/ports.ts";
import {
  ON_FREE_PORT,
  runScript,
  SERVER_SCRIPT,
  startServer,
  within,
  withServerProcess,
} from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { assertNoStackTrace, assertUsageExit } from "../support/user_errors.ts";

const encoder = new TextEncoder();

/** Asserts that `port` can be bound on loopback right now. */
function assertBindable(port: number): void {
  const listener = Deno.listen({ hostname: LOOPBACK, port });
  listener.close();
}

/** Asserts the whole of a stream is empty, showing it if not. */
function assertEmpty(text: string, what: string): void {
  assert.equal(text, "", `${what} should be empty`);
}

// --- The ready line ---------------------------------------------------------------------------

Deno.test("server.ts prints the ready line first, with the host and the real port", async () => {
  const server = await startServer(ON_FREE_PORT);
  try {
    const match = server.readyLine.match(/listening on 127\.0\.0\.1:(\d+)\b/);
    assert.ok(match, `ready line: ${server.readyLine}`);
    const port = Number(match[1]);
    assert.ok(port > 0, "port 0 must be replaced by the port really bound");
    const client = await SocketClient.connect(port);
    try {
      assert.equal(await client.sendAndReadLines("good boy\n"), "Server received: good boy\n");
    } finally {
      client.close();
    }
  } finally {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0);
    assertEmpty(stderr, "stderr");
  }
});

Deno.test("server.ts --lang zh prints the tutorial's ready line with the real port", async () => {
  await withServerProcess(["--lang", "zh"], async (server) => {
    const port = Number(server.readyLine.match(/(\d+)/)?.[1]);
    assert.equal(server.readyLine, `服务端启动成功，在${port}端口等待客户端连接...`);
    const client = await SocketClient.connect(port);
    try {
      assert.equal(await client.sendAndReadLines("好男孩\n"), "服务端接收到的信息为：好男孩\n");
    } finally {
      client.close();
    }
  });
});

Deno.test({
  name: "server.ts --host ::1 shows the IPv6 address in brackets (skipped without ::1)",
  ignore: !canListenOn("::1"),
  fn: async () => {
    const server = await startServer(["--host", "::1", "--port", "0"]);
    try {
      // NOTE: parsed here, since startServer's own port parsing reads ":1]" as port 1.
      const match = server.readyLine.match(/listening on \[::1\]:(\d+)\b/);
      assert.ok(match, `ready line: ${server.readyLine}`);
      const client = await SocketClient.connect(Number(match[1]), "::1");
      try {
        assert.equal(await client.sendAndReadLines("v6\n"), "Server received: v6\n");
        client.close();
        const left = await server.stdout.waitFor(/client disconnected/);
        assert.match(left, /^\[::1\]:\d+ client disconnected/, "one pair of brackets");
      } finally {
        client.close();
      }
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  },
});

// --- Logs -------------------------------------------------------------------------------------

Deno.test("server.ts logs arrival, message and departure with the client's address", async () => {
  const server = await startServer(ON_FREE_PORT);
  try {
    const client = await SocketClient.connect(server.port);
    const peer = `[127.0.0.1:${client.conn.localAddr.port}]`;
    try {
      await client.sendAndReadLines("good boy\n");
    } finally {
      client.close();
    }
    const left = await server.stdout.waitFor(/client disconnected/);
    assert.equal(left, `${peer} client disconnected (0 connected)`);
    const lines = server.stdout.text.split("\n");
    assert.ok(lines.includes(`${peer} client connected (1 connected)`), server.stdout.text);
    assert.ok(lines.includes(`${peer} received: good boy`), server.stdout.text);
  } finally {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0);
    assertEmpty(stderr, "stderr");
  }
});

Deno.test("server.ts -q logs only the ready line and the summary", async () => {
  const server = await startServer([...ON_FREE_PORT, "-q"]);
  const client = await SocketClient.connect(server.port);
  try {
    assert.equal(
      await client.sendAndReadLines("quiet please\n"),
      "Server received: quiet please\n",
    );
  } finally {
    client.close();
  }
  const { code, stdout, stderr } = await server.stop();
  assert.equal(code, 0);
  const lines = stdout.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 2, `expected ready line and summary only:\n${stdout}`);
  assert.equal(lines[0], server.readyLine);
  assert.match(lines[1]!, /^Served 1 connection /);
  assertEmpty(stderr, "stderr");
});

Deno.test("server.ts --trace logs every read and write with its size and its bytes in hex, with the peer", async () => {
  await withServerProcess(["--trace"], async (server) => {
    const client = await SocketClient.connect(server.port);
    const peer = `[127.0.0.1:${client.conn.localAddr.port}]`;
    let reply: string;
    try {
      reply = await client.sendAndReadLines("hello\n");
    } finally {
      client.close();
    }
    await server.stdout.waitFor(/client disconnected/);
    const lines = server.stdout.text.split("\n");
    const read = lines.indexOf(`${peer} read 6 bytes`);
    assert.ok(read !== -1, server.stdout.text);
    assert.equal(
      lines[read + 1],
      `${peer} 00000000  68 65 6c 6c 6f 0a                                 |hello.|`,
    );
    const replyBytes = encoder.encode(reply);
    const write = lines.indexOf(`${peer} write ${replyBytes.length} bytes`);
    assert.ok(write !== -1, server.stdout.text);
    const dump = hexDump(replyBytes).map((line) => `${peer} ${line}`);
    assert.equal(dump.length, 2); // "Server received: hello\n" is 23 bytes
    assert.deepEqual(lines.slice(write + 1, write + 1 + dump.length), dump);
  });
});

Deno.test("server.ts --trace shows at most 4096 bytes of one write, then how many more", async () => {
  await withServerProcess(["--trace", "--lang", "zh", "--reply", "{msg}"], async (server) => {
    const client = await SocketClient.connect(server.port);
    const peer = `[127.0.0.1:${client.conn.localAddr.port}]`;
    const line = "x".repeat(4999); // its reply, with "\n", is one write of 5000 bytes
    try {
      assert.equal(await client.sendAndReadLines(line + "\n"), line + "\n");
    } finally {
      client.close();
    }
    await server.stdout.waitFor(/客户端断开连接/);
    const lines = server.stdout.text.split("\n");
    const write = lines.indexOf(`${peer} 写入 5000 字节`);
    assert.ok(write !== -1, server.stdout.text);
    const dumped = lines.slice(write + 1, write + 1 + 257);
    assert.equal(
      dumped[0],
      `${peer} 00000000  ${"78 ".repeat(8)} ${"78 ".repeat(8)} |${"x".repeat(16)}|`,
    );
    assert.match(dumped[255]!, new RegExp(`^${RegExp.escape(peer)} 00000ff0  `));
    assert.equal(dumped[256], `${peer} ... 还有 904 字节`);
  });
});

/** A process's state letters from `ps` ("T" when stopped), or null when `ps` cannot tell. */
async function processState(pid: number): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("ps", {
      args: ["-o", "stat=", "-p", String(pid)],
      stderr: "null",
    }).output();
    return success ? new TextDecoder().decode(stdout).trim() : null;
  } catch {
    return null; // no ps
  }
}

/** Whether `ps` can report process states here. */
const HAS_PS = (await processState(Deno.pid)) !== null;

/** Waits until `ps` shows a process in a state starting with `letter`, within a bound. */
async function waitForState(pid: number, letter: "S" | "T"): Promise<void> {
  const reached = async () => {
    while (!(await processState(pid))?.startsWith(letter)) {
      // ps takes a few milliseconds per call: no need to pause between calls
    }
  };
  await within(reached(), 5000, `process ${pid} in state ${letter}`);
}

/**
 * Holds a server up the way a long GC pause or a starved CPU would: once it is
 * waiting in its event loop, stops it, lets `meanwhile` send, keeps it stopped
 * for `ms` and lets it go on. When it resumes, its timers are overdue and what
 * was sent is waiting in the socket.
 */
async function holdUp(pid: number, ms: number, meanwhile: () => Promise<void>): Promise<void> {
  await waitForState(pid, "S");
  Deno.kill(pid, "SIGSTOP");
  try {
    await waitForState(pid, "T");
    await meanwhile();
    // The stall under test, not a wait for an event.
    await new Promise((resolve) => setTimeout(resolve, ms));
  } finally {
    Deno.kill(pid, "SIGCONT");
  }
}

Deno.test({
  name: "server.ts held up past the idle flush still joins the rest of a message sent meanwhile",
  ignore: !HAS_PS, // needs ps to see that the server is waiting and then stopped
  async fn() {
    await withServerProcess(["--reply", "{msg}"], async (server) => {
      const client = await SocketClient.connect(server.port);
      try {
        // The reply to "first" shows the server has read "hello wo" (one send, one read).
        assert.equal(await client.sendAndReadLines("first\nhello wo"), "first\n");
        await holdUp(server.child.pid, 150, () => client.write("rld\n")); // 3x the 50 ms flush
        assert.equal(await client.readLine(), "hello world");
      } finally {
        client.close();
      }
    });
  },
});

Deno.test({
  name: "server.ts held up past the idle timeout still answers a client that sent meanwhile",
  ignore: !HAS_PS, // needs ps to see that the server is waiting and then stopped
  async fn() {
    await withServerProcess(["--reply", "{msg}", "--idle-timeout", "0.2"], async (server) => {
      const client = await SocketClient.connect(server.port);
      try {
        assert.equal(await client.sendAndReadLines("first\n"), "first\n");
        await holdUp(server.child.pid, 400, () => client.write("second\n")); // 2x the timeout
        assert.equal(await client.readLine(), "second");
      } finally {
        client.close();
      }
    });
  },
});

// --- Failing to start -------------------------------------------------------------------------

Deno.test("server.ts on a port in use exits 1 with one line that names it and a free port", async () => {
  const holder = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const port = holder.addr.port;
  let result;
  try {
    result = await runScript(SERVER_SCRIPT, ["--host", LOOPBACK, "--port", String(port)]);
  } finally {
    holder.close();
  }
  const { code, stdout, stderr } = result;
  assert.equal(code, 1);
  assertEmpty(stdout, "stdout");
  assert.equal(stderr.trimEnd().split("\n").length, 1, `one line expected:\n${stderr}`);
  assert.ok(stderr.includes(String(port)), stderr);
  assertNoStackTrace(stderr);
  const suggested = Number(stderr.match(/--port (\d+)/)?.[1]);
  assert.ok(Number.isInteger(suggested) && suggested !== port, `a free port expected: ${stderr}`);
  assertBindable(suggested);
});

Deno.test("server.ts --check exits 0 and says free on a free port", async () => {
  const port = unusedPort();
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, [
    "--host",
    LOOPBACK,
    "--port",
    String(port),
    "--check",
  ]);
  assert.equal(code, 0);
  assert.ok(stdout.includes(String(port)), stdout);
  assert.match(stdout, /free/);
  assertEmpty(stderr, "stderr");
});

Deno.test("server.ts --check exits 1 on a port that is taken", async () => {
  const holder = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const port = holder.addr.port;
  let result;
  try {
    result = await runScript(SERVER_SCRIPT, [
      "--host",
      LOOPBACK,
      "--port",
      String(port),
      "--check",
    ]);
  } finally {
    holder.close();
  }
  assert.equal(result.code, 1);
  assert.ok(result.stdout.includes(String(port)), result.stdout);
  assert.doesNotMatch(result.stdout, /free/);
  assertNoStackTrace(result.stderr);
});

Deno.test("server.ts without --allow-net says to add --allow-net and exits 1", async () => {
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, ON_FREE_PORT, {
    denoFlags: ["--no-prompt"],
  });
  assert.equal(code, 1);
  assertEmpty(stdout, "stdout");
  assert.ok(stderr.includes("--allow-net"), stderr);
  assertNoStackTrace(stderr);
});

Deno.test("server.ts without --allow-net repeats the user's own arguments in the command to run, quoted for a shell", async () => {
  const args = [...ON_FREE_PORT, "--reply", "it's {msg}", "--lang", "zh"];
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, args, {
    denoFlags: ["--no-prompt"],
  });
  assert.equal(code, 1);
  assertEmpty(stdout, "stdout");
  assert.equal(
    stderr,
    `需要网络权限：请用“deno run --allow-net server.ts --host ${LOOPBACK} --port 0 ` +
      `--reply 'it'\\''s {msg}' --lang zh”运行\n`,
  );
});

const BAD_OPTIONS: [string, string[], string][] = [
  ["a port over 65535", ["--port", "70000"], "70000"],
  ["a port that is not a number", ["--port", "abc"], "abc"],
  ["an unknown mode", ["--mode", "talk"], "talk"],
  ["a chat option in reply mode", ["--history", "5"], "--history"],
  ["a negative --max-conns", ["--max-conns", "-5"], "-5"],
  ["an unknown option", ["--bogus"], "--bogus"],
];

for (const [what, args, quoted] of BAD_OPTIONS) {
  Deno.test(`server.ts with ${what} prints usage on stderr and exits 2`, async () => {
    assertUsageExit(await runScript(SERVER_SCRIPT, args), quoted);
  });
}

Deno.test("server.ts --help prints the usage on stdout and exits 0", async () => {
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, ["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: deno run --allow-net server\.ts/);
  for (const option of ["--port", "--mode", "--check", "--max-conns", "--max-line"]) {
    assert.ok(stdout.includes(option), `--help should list ${option}`);
  }
  assertEmpty(stderr, "stderr");
});

Deno.test("server.ts --version prints the version and exits 0", async () => {
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, ["--version"]);
  assert.equal(code, 0);
  assert.match(stdout, /^server\.ts \d+\.\d+\.\d+\n$/);
  assertEmpty(stderr, "stderr");
});

// --- Stopping ---------------------------------------------------------------------------------

// SIGHUP: the terminal the server runs in was closed.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  Deno.test(
    `server.ts on ${signal} says goodbye to a connected client, prints a summary, exits 0 within 2 s`,
    async () => {
      const server = await startServer(ON_FREE_PORT);
      const client = await SocketClient.connect(server.port);
      let received: string;
      let stopped;
      let stopMs: number;
      try {
        const reply = await client.sendAndReadLines("hi\n");
        assert.equal(reply, "Server received: hi\n");
        const startedAt = performance.now();
        const stopping = server.stop(signal);
        // Resolves only once the client sees the connection end.
        const text = await client.readTextToEnd();
        received = reply + text;
        assert.equal(text, TEXTS.en.shuttingDown + "\n");
        stopped = await stopping;
        stopMs = performance.now() - startedAt;
      } finally {
        client.close();
        await server.stop(signal);
      }
      assert.equal(stopped.code, 0);
      assert.ok(stopMs < 2000, `took ${stopMs.toFixed(0)} ms to exit`);
      const summary = stopped.stdout.trimEnd().split("\n").at(-1)!;
      assert.match(summary, /\b1 connection\b/);
      assert.match(summary, /\b1 message\b/);
      assert.match(summary, /\b3 bytes in\b/);
      const bytesOut = encoder.encode(received).length;
      assert.match(summary, new RegExp(`\\b${bytesOut} bytes out\\b`));
      assert.match(summary, /\bup \d+\.\d s\b/);
      assertEmpty(stopped.stderr, "stderr");
    },
  );
}

Deno.test("server.ts exits at once with code 130 on a second SIGINT during shutdown", async () => {
  const server = await startServer(ON_FREE_PORT);
  const stuck = await SocketClient.connect(server.port);
  let flooding: Promise<void> = Promise.resolve();
  try {
    // A client that sends a flood and reads nothing: its replies fill the socket buffers, so the
    // goodbye line cannot go out and shutdown has to wait for its deadline.
    flooding = stuck.write("x\n".repeat(2_000_000)).catch(() => {}); // 4 MB, 38 MB of replies
    // The server logs a summary line a second while it answers; once one is out, it is busy.
    await server.stdout.waitFor(/more messages? received in the last second/);
    server.child.kill("SIGINT");
    await server.stdout.waitFor(/^Received SIGINT, shutting down\.\.\.$/);
    const startedAt = performance.now();
    server.child.kill("SIGINT");
    const { code, stdout } = await server.stop("SIGINT");
    assert.equal(code, 130);
    assert.ok(performance.now() - startedAt < 400, "did not exit at once");
    assert.doesNotMatch(stdout, /^Served /m, "a forced exit prints no summary");
  } finally {
    stuck.close();
    await flooding;
  }
});

Deno.test("server.ts finishes its shutdown on a second SIGHUP (a closed terminal may send two)", async () => {
  const server = await startServer(ON_FREE_PORT);
  const stuck = await SocketClient.connect(server.port);
  const polite = await SocketClient.connect(server.port);
  let flooding: Promise<void> = Promise.resolve();
  try {
    assert.equal(await polite.sendAndReadLines("hi\n"), "Server received: hi\n");
    // As above: a client that reads nothing holds shutdown up until its deadline.
    flooding = stuck.write("x\n".repeat(2_000_000)).catch(() => {});
    await server.stdout.waitFor(/more messages received in the last second/);
    server.child.kill("SIGHUP");
    await server.stdout.waitFor(/^Received SIGHUP, shutting down\.\.\.$/);
    server.child.kill("SIGHUP");
    assert.equal(await polite.readTextToEnd(), TEXTS.en.shuttingDown + "\n");
    const { code, stdout } = await server.stop("SIGHUP");
    assert.equal(code, 0);
    assert.match(stdout, /^Served 2 connections/m, "the summary is printed");
  } finally {
    stuck.close();
    polite.close();
    await flooding;
    await server.stop();
  }
});

Deno.test("server.ts restarts at once on the port it just used with a client (TIME_WAIT)", async () => {
  const first = await startServer(ON_FREE_PORT);
  const port = first.port;
  const client = await SocketClient.connect(port);
  try {
    await client.sendAndReadLines("before\n");
    // The server closes first, so its side of this connection goes to TIME_WAIT.
    const stopping = first.stop("SIGTERM");
    await client.readToEnd();
    assert.equal((await stopping).code, 0);
  } finally {
    client.close();
    await first.stop();
  }

  const second = await startServer(["--host", LOOPBACK, "--port", String(port)]);
  try {
    assert.equal(second.port, port);
    const again = await SocketClient.connect(second.port);
    try {
      assert.equal(await again.sendAndReadLines("after\n"), "Server received: after\n");
    } finally {
      again.close();
    }
  } finally {
    assert.equal((await second.stop()).code, 0);
  }
});

// --- Modes and limits -------------------------------------------------------------------------

Deno.test("server.ts --mode echo sends every byte back unchanged", async () => {
  await withServerProcess(["--mode", "echo"], async (server) => {
    const sent = new Uint8Array(3 * 256 + 5);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 7) % 256; // every byte value, no framing
    sent.set([0xe5, 0xa5, 0x0a, 0xff, 0x00], sent.length - 5); // a cut character, LF, invalid
    const client = await SocketClient.connect(server.port);
    try {
      await client.write(sent);
      assert.deepEqual(await client.readBytes(sent.length), sent);
      await client.conn.closeWrite();
      const rest = await client.readToEnd();
      assert.equal(rest.length, 0, "nothing more, then the server closes");
    } finally {
      client.close();
    }
  });
});

Deno.test("server.ts --reply fills {msg} of the template in every reply", async () => {
  await withServerProcess(["--reply", "<{msg}> ok {msg}"], async (server) => {
    const client = await SocketClient.connect(server.port);
    try {
      assert.equal(await client.sendAndReadLines("a\nbc\n", 2), "<a> ok a\n<bc> ok bc\n");
    } finally {
      client.close();
    }
  });
});

Deno.test("server.ts --max-conns 1 turns a second client away and keeps the first", async () => {
  const server = await startServer([...ON_FREE_PORT, "--max-conns", "1"]);
  const first = await SocketClient.connect(server.port);
  let second: SocketClient | null = null;
  try {
    await first.sendAndReadLines("one\n");
    second = await SocketClient.connect(server.port);
    assert.equal(await second.readTextToEnd(), TEXTS.en.tooManyClients(1) + "\n");
    assert.equal(await first.sendAndReadLines("still here\n"), "Server received: still here\n");
  } finally {
    first.close();
    second?.close();
  }
  const { code, stdout } = await server.stop();
  assert.equal(code, 0);
  assert.match(stdout.trimEnd().split("\n").at(-1)!, /\b1 connection \(1 turned away\)/);
});

Deno.test("server.ts --max-line answers shorter lines, then refuses a longer one and closes", async () => {
  const server = await startServer([...ON_FREE_PORT, "--max-line", "8"]);
  const client = await SocketClient.connect(server.port);
  try {
    await client.write("12345678\n123456789\n");
    // Resolves only once the connection is closed.
    const text = await client.readTextToEnd();
    assert.equal(text, "Server received: 12345678\n" + TEXTS.en.lineTooLong(8) + "\n");
  } finally {
    client.close();
  }
  const { code, stderr } = await server.stop();
  assert.equal(code, 0);
  assert.ok(stderr.includes("8 bytes"), `the limit should be logged on stderr:\n${stderr}`);
});

Deno.test("server.ts keeps serving when nobody reads its log", async () => {
  // A high --max-conns: closed connections whose end the server has not read yet still count.
  const server = await startServer([...ON_FREE_PORT, "--max-conns", "10000"]);
  // The test does not read the server's stdout from here on, like a pipe whose reader is busy.
  // 3,000 arrivals and departures log about 300 KB, far more than a pipe holds (64 KiB): a
  // server that wrote its log synchronously would now be stuck in a write.
  const churn = async () => {
    for (let i = 0; i < 3000; i++) {
      (await Deno.connect({ hostname: LOOPBACK, port: server.port })).close();
    }
  };
  await within(churn(), 30_000, "3,000 connections to be accepted");
  const other = await SocketClient.connect(server.port);
  try {
    assert.equal(await other.sendAndReadLines("still there?\n"), "Server received: still there?\n");
  } finally {
    other.close();
  }
  const { code, stdout } = await server.stop("SIGTERM");
  assert.equal(code, 0);
  assert.match(stdout, /Served 3001 connections/);
});

Deno.test("server.ts summarises the message log under load instead of slowing down", async () => {
  const server = await startServer(ON_FREE_PORT);
  const flooder = await SocketClient.connect(server.port);
  try {
    const replies = await flooder.sendAndReadLines("x\n".repeat(20_000), 20_000, 30_000);
    assert.equal(replies, "Server received: x\n".repeat(20_000));
  } finally {
    flooder.close();
  }
  const { code, stdout } = await server.stop("SIGTERM");
  assert.equal(code, 0);
  const shown = stdout.split("\n").filter((line) => line.endsWith("] received: x")).length;
  const notShown = [...stdout.matchAll(/\((\d+) more messages? received in the last second/g)]
    .reduce((sum, match) => sum + Number(match[1]), 0);
  assert.ok(shown < 20_000, `all ${shown} messages were logged one by one`);
  assert.equal(shown + notShown, 20_000, "every message is either shown or counted");
});
