/**
 * End-to-end tests of server.ts: each starts the real script as a user does
 * (`deno run --allow-net server.ts ...`) on 127.0.0.1 and talks to it over
 * real sockets.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MESSAGES } from "../lib/messages.ts";
import {
  runScript,
  SERVER_SCRIPT,
  type ServerProcess,
  startServer,
  WAIT_MS,
  within,
} from "./support/processes.ts";

const LOOPBACK = "127.0.0.1";
/** Options that put a test server on a free loopback port. */
const ON_FREE_PORT = ["--host", LOOPBACK, "--port", "0"];
/** What a stack trace line looks like; user-facing errors must not contain one. */
const STACK_LINE = "    at ";

const encoder = new TextEncoder();

/** Whether this machine can bind the IPv6 loopback address. */
const hasIpv6Loopback = (() => {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
})();

/** A port that was free a moment ago (racy, but only used where a race just fails a test). */
function freePort(): number {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** Asserts that `port` can be bound on loopback right now. */
function assertBindable(port: number): void {
  const listener = Deno.listen({ hostname: LOOPBACK, port });
  listener.close();
}

/**
 * Reads from `conn` until `enough(textSoFar)` holds or the stream ends, with a bound.
 *
 * @returns The text read and whether the stream ended.
 */
async function readText(
  conn: Deno.Conn,
  enough: (text: string) => boolean,
  ms = WAIT_MS,
): Promise<{ text: string; eof: boolean }> {
  const bytes = await readBytes(conn, (b) => enough(new TextDecoder().decode(b)), ms);
  return { text: new TextDecoder().decode(bytes.bytes), eof: bytes.eof };
}

/** Reads bytes from `conn` until `enough(bytesSoFar)` holds or the stream ends, with a bound. */
async function readBytes(
  conn: Deno.Conn,
  enough: (bytes: Uint8Array) => boolean,
  ms = WAIT_MS,
): Promise<{ bytes: Uint8Array; eof: boolean }> {
  let received = new Uint8Array(0);
  const buffer = new Uint8Array(65536);
  const read = async () => {
    for (;;) {
      if (enough(received)) return { bytes: received, eof: false };
      const n = await conn.read(buffer);
      if (n === null) return { bytes: received, eof: true };
      const grown = new Uint8Array(received.length + n);
      grown.set(received);
      grown.set(buffer.subarray(0, n), received.length);
      received = grown;
    }
  };
  return await within(read(), ms, "data from the server");
}

/** Reads until `count` whole lines have arrived. */
async function readLines(conn: Deno.Conn, count: number): Promise<string> {
  const { text, eof } = await readText(conn, (t) => t.split("\n").length > count);
  assert.ok(!eof, `the server closed after ${JSON.stringify(text)}, expected ${count} lines`);
  return text;
}

/** Reads until the server closes the connection. */
async function readToEnd(conn: Deno.Conn): Promise<string> {
  return (await readText(conn, () => false)).text;
}

/** Sends `text` and returns the next `lines` lines of the answer. */
async function talk(conn: Deno.Conn, text: string, lines = 1): Promise<string> {
  await conn.write(encoder.encode(text));
  return await readLines(conn, lines);
}

/** Connects to a test server on loopback. */
function connect(server: ServerProcess, hostname = LOOPBACK): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname, port: server.port });
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
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
    const conn = await Deno.connect({ hostname: LOOPBACK, port });
    try {
      assert.equal(await talk(conn, "good boy\n"), "Server received: good boy\n");
    } finally {
      conn.close();
    }
  } finally {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0);
    assertEmpty(stderr, "stderr");
  }
});

Deno.test("server.ts --lang zh prints the tutorial's ready line with the real port", async () => {
  const server = await startServer([...ON_FREE_PORT, "--lang", "zh"]);
  try {
    const port = Number(server.readyLine.match(/(\d+)/)?.[1]);
    assert.equal(server.readyLine, `服务端启动成功，在${port}端口等待客户端连接...`);
    const conn = await Deno.connect({ hostname: LOOPBACK, port });
    try {
      assert.equal(await talk(conn, "好男孩\n"), "服务端接收到的信息为：好男孩\n");
    } finally {
      conn.close();
    }
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test({
  name: "server.ts --host ::1 shows the IPv6 address in brackets (skipped without ::1)",
  ignore: !hasIpv6Loopback,
  fn: async () => {
    const server = await startServer(["--host", "::1", "--port", "0"]);
    try {
      // NOTE: parsed here, since startServer's own port parsing reads ":1]" as port 1.
      const match = server.readyLine.match(/listening on \[::1\]:(\d+)\b/);
      assert.ok(match, `ready line: ${server.readyLine}`);
      const conn = await Deno.connect({ hostname: "::1", port: Number(match[1]) });
      try {
        assert.equal(await talk(conn, "v6\n"), "Server received: v6\n");
        conn.close();
        const left = await server.stdout.waitFor(/client disconnected/);
        assert.match(left, /^\[\[::1\]:\d+\] client disconnected/, "an IPv6 peer in brackets");
      } finally {
        closeQuietly(conn);
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
    const conn = await connect(server);
    const peer = `[127.0.0.1:${conn.localAddr.port}]`;
    try {
      await talk(conn, "good boy\n");
    } finally {
      conn.close();
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
  const conn = await connect(server);
  try {
    assert.equal(await talk(conn, "quiet please\n"), "Server received: quiet please\n");
  } finally {
    conn.close();
  }
  const { code, stdout, stderr } = await server.stop();
  assert.equal(code, 0);
  const lines = stdout.split("\n").filter((line) => line !== "");
  assert.equal(lines.length, 2, `expected ready line and summary only:\n${stdout}`);
  assert.equal(lines[0], server.readyLine);
  assert.match(lines[1]!, /^Served 1 connections/);
  assertEmpty(stderr, "stderr");
});

Deno.test("server.ts --trace logs the size of every read and write with the peer", async () => {
  const server = await startServer([...ON_FREE_PORT, "--trace"]);
  try {
    const conn = await connect(server);
    const peer = `[127.0.0.1:${conn.localAddr.port}]`;
    let reply: string;
    try {
      reply = await talk(conn, "hello\n");
    } finally {
      conn.close();
    }
    await server.stdout.waitFor(/client disconnected/);
    const lines = server.stdout.text.split("\n");
    assert.ok(lines.includes(`${peer} read 6 bytes`), server.stdout.text);
    const written = encoder.encode(reply).length;
    assert.ok(lines.includes(`${peer} write ${written} bytes`), server.stdout.text);
  } finally {
    assert.equal((await server.stop()).code, 0);
  }
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
  assert.ok(!stderr.includes(STACK_LINE), `no stack trace expected:\n${stderr}`);
  const suggested = Number(stderr.match(/--port (\d+)/)?.[1]);
  assert.ok(Number.isInteger(suggested) && suggested !== port, `a free port expected: ${stderr}`);
  assertBindable(suggested);
});

Deno.test("server.ts --check exits 0 and says free on a free port", async () => {
  const port = freePort();
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
  assert.ok(!result.stderr.includes(STACK_LINE), result.stderr);
});

Deno.test("server.ts without --allow-net says to add --allow-net and exits 1", async () => {
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, ON_FREE_PORT, {
    denoFlags: ["--no-prompt"],
  });
  assert.equal(code, 1);
  assertEmpty(stdout, "stdout");
  assert.ok(stderr.includes("--allow-net"), stderr);
  assert.ok(!stderr.includes(STACK_LINE), `no stack trace expected:\n${stderr}`);
});

const BAD_OPTIONS: [string, string[], string][] = [
  ["a port over 65535", ["--port", "70000"], "70000"],
  ["a port that is not a number", ["--port", "abc"], "abc"],
  ["an unknown mode", ["--mode", "chat"], "chat"],
  ["a negative --max-conns", ["--max-conns", "-5"], "-5"],
  ["an unknown option", ["--bogus"], "--bogus"],
];

for (const [what, args, quoted] of BAD_OPTIONS) {
  Deno.test(`server.ts with ${what} prints usage on stderr and exits 2`, async () => {
    const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, args);
    assert.equal(code, 2);
    assertEmpty(stdout, "stdout");
    assert.ok(stderr.includes(quoted), `the bad value should be named:\n${stderr}`);
    assert.match(stderr, /usage|--help/i);
    assert.ok(!stderr.includes(STACK_LINE), stderr);
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

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(
    `server.ts on ${signal} says goodbye to a connected client, prints a summary, exits 0 within 2 s`,
    async () => {
      const server = await startServer(ON_FREE_PORT);
      const conn = await connect(server);
      let received: string;
      let stopped;
      let stopMs: number;
      try {
        const reply = await talk(conn, "hi\n");
        assert.equal(reply, "Server received: hi\n");
        const startedAt = performance.now();
        const stopping = server.stop(signal);
        const { text, eof } = await readText(conn, () => false);
        assert.ok(eof, "the client should see the connection end");
        received = reply + text;
        assert.equal(text, MESSAGES.en.shuttingDown + "\n");
        stopped = await stopping;
        stopMs = performance.now() - startedAt;
      } finally {
        closeQuietly(conn);
        await server.stop(signal);
      }
      assert.equal(stopped.code, 0);
      assert.ok(stopMs < 2000, `took ${stopMs.toFixed(0)} ms to exit`);
      const summary = stopped.stdout.trimEnd().split("\n").at(-1)!;
      assert.match(summary, /\b1 connections\b/);
      assert.match(summary, /\b1 messages\b/);
      assert.match(summary, /\b3 bytes in\b/);
      const bytesOut = encoder.encode(received).length;
      assert.match(summary, new RegExp(`\\b${bytesOut} bytes out\\b`));
      assert.match(summary, /\bup \d+\.\d s\b/);
      assertEmpty(stopped.stderr, "stderr");
    },
  );
}

Deno.test("server.ts restarts at once on the port it just used with a client (TIME_WAIT)", async () => {
  const first = await startServer(ON_FREE_PORT);
  const port = first.port;
  const conn = await connect(first);
  try {
    await talk(conn, "before\n");
    // The server closes first, so its side of this connection goes to TIME_WAIT.
    const stopping = first.stop("SIGTERM");
    await readToEnd(conn);
    assert.equal((await stopping).code, 0);
  } finally {
    closeQuietly(conn);
    await first.stop();
  }

  const second = await startServer(["--host", LOOPBACK, "--port", String(port)]);
  try {
    assert.equal(second.port, port);
    const again = await connect(second);
    try {
      assert.equal(await talk(again, "after\n"), "Server received: after\n");
    } finally {
      again.close();
    }
  } finally {
    assert.equal((await second.stop()).code, 0);
  }
});

// --- Modes and limits -------------------------------------------------------------------------

Deno.test("server.ts --mode echo sends every byte back unchanged", async () => {
  const server = await startServer([...ON_FREE_PORT, "--mode", "echo"]);
  const sent = new Uint8Array(3 * 256 + 5);
  for (let i = 0; i < sent.length; i++) sent[i] = (i * 7) % 256; // every byte value, no framing
  sent.set([0xe5, 0xa5, 0x0a, 0xff, 0x00], sent.length - 5); // a cut character, LF, invalid
  const conn = await connect(server);
  try {
    await conn.write(sent);
    const { bytes, eof } = await readBytes(conn, (b) => b.length >= sent.length);
    assert.ok(!eof, "the server closed early");
    assert.deepEqual(bytes, sent);
    await conn.closeWrite();
    const rest = await readBytes(conn, () => false);
    assert.ok(rest.eof && rest.bytes.length === 0, "nothing more, then the server closes");
  } finally {
    conn.close();
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test("server.ts --reply fills {msg} of the template in every reply", async () => {
  const server = await startServer([...ON_FREE_PORT, "--reply", "<{msg}> ok {msg}"]);
  const conn = await connect(server);
  try {
    assert.equal(await talk(conn, "a\nbc\n", 2), "<a> ok a\n<bc> ok bc\n");
  } finally {
    conn.close();
    assert.equal((await server.stop()).code, 0);
  }
});

Deno.test("server.ts --max-conns 1 turns a second client away and keeps the first", async () => {
  const server = await startServer([...ON_FREE_PORT, "--max-conns", "1"]);
  const first = await connect(server);
  let second: Deno.TcpConn | null = null;
  try {
    await talk(first, "one\n");
    second = await connect(server);
    assert.equal(await readToEnd(second), MESSAGES.en.tooManyClients(1) + "\n");
    assert.equal(await talk(first, "still here\n"), "Server received: still here\n");
  } finally {
    first.close();
    if (second !== null) closeQuietly(second);
  }
  const { code, stdout } = await server.stop();
  assert.equal(code, 0);
  assert.match(stdout.trimEnd().split("\n").at(-1)!, /\b1 connections \(1 turned away\)/);
});

Deno.test("server.ts --max-line answers shorter lines, then refuses a longer one and closes", async () => {
  const server = await startServer([...ON_FREE_PORT, "--max-line", "8"]);
  const conn = await connect(server);
  try {
    await conn.write(encoder.encode("12345678\n123456789\n"));
    const { text, eof } = await readText(conn, () => false);
    assert.ok(eof, "the connection should be closed");
    assert.equal(text, "Server received: 12345678\n" + MESSAGES.en.lineTooLong(8) + "\n");
  } finally {
    conn.close();
  }
  const { code, stderr } = await server.stop();
  assert.equal(code, 0);
  assert.ok(stderr.includes("8 bytes"), `the limit should be logged on stderr:\n${stderr}`);
});

Deno.test("server.ts keeps serving when nobody reads its log, and says how many lines it skipped", async () => {
  const server = await startServer(ON_FREE_PORT);
  // The test does not read the server's stdout from here on, like a pipe whose reader is busy.
  const flooder = await connect(server);
  const other = await connect(server);
  try {
    // 60,000 messages log about 3 MB, far more than a pipe and the log queue hold.
    await flooder.write(encoder.encode("x\n".repeat(60_000)));
    const replies = await readText(flooder, (t) => t.split("\n").length > 60_000, 30_000);
    assert.equal(replies.text, "Server received: x\n".repeat(60_000));
    assert.equal(await talk(other, "still there?\n"), "Server received: still there?\n");
  } finally {
    closeQuietly(flooder);
    closeQuietly(other);
  }
  const { code, stdout } = await server.stop("SIGTERM");
  assert.equal(code, 0);
  assert.match(stdout, /\(\d+ log lines skipped: the output was not read fast enough\)/);
  assert.match(stdout, /Served 2 connections/);
});
