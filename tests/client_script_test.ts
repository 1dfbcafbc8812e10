/**
 * End-to-end tests of client.ts with piped stdin (not a terminal), as in
 * `printf 'good boy\n' | deno run --allow-net client.ts`: the real script
 * against the real server.ts, or against a listener the test controls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MESSAGES } from "../lib/messages.ts";
import {
  CLIENT_SCRIPT,
  LineReader,
  runScript,
  type ServerProcess,
  startServer,
  WAIT_MS,
  within,
} from "./support/processes.ts";

const LOOPBACK = "127.0.0.1";
const ON_FREE_PORT = ["--host", LOOPBACK, "--port", "0"];
/** What a stack trace line looks like; user-facing errors must not contain one. */
const STACK_LINE = "    at ";
/** How a user is told to start the server. */
const START_HINT = "deno run --allow-net server.ts";

const encoder = new TextEncoder();

/** A port nothing listens on a moment later (racy, but a race only fails a test). */
function closedPort(): number {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** Runs a test body against a fresh server.ts, then stops it and checks it exited 0. */
async function withServer(
  args: readonly string[],
  body: (server: ServerProcess) => Promise<void>,
): Promise<void> {
  const server = await startServer([...ON_FREE_PORT, ...args]);
  try {
    await body(server);
  } finally {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0, `server exit; stderr:\n${stderr}`);
  }
}

/** Runs client.ts with binary stdin and returns stdout as bytes. */
async function runClientWithBytes(
  args: readonly string[],
  input: Uint8Array,
): Promise<{ code: number; stdout: Uint8Array<ArrayBuffer>; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", CLIENT_SCRIPT, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const feeding = (async () => {
    await writer.write(input);
    await writer.close();
  })();
  try {
    const [output] = await within(Promise.all([child.output(), feeding]), WAIT_MS * 2, "client");
    return {
      code: output.code,
      stdout: output.stdout,
      stderr: new TextDecoder().decode(output.stderr),
    };
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await Promise.allSettled([child.status, feeding]);
    throw error;
  }
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- Piped conversation -----------------------------------------------------------------------

Deno.test("client.ts piped prints exactly the replies on stdout and exits 0", async () => {
  await withServer([], async (server) => {
    const { code, stdout, stderr } = await runScript(
      CLIENT_SCRIPT,
      [LOOPBACK, String(server.port)],
      { stdin: "good boy\n好男孩\n" },
    );
    assert.equal(stdout, "Server received: good boy\nServer received: 好男孩\n");
    assert.equal(stderr, "", "no status text on a successful pipe");
    assert.equal(code, 0);
  });
});

Deno.test("client.ts piped passes binary bytes through an echo server unchanged", async () => {
  await withServer(["--mode", "echo", "-q"], async (server) => {
    const input = new Uint8Array(300_000);
    for (let offset = 0; offset < input.length; offset += 65536) {
      crypto.getRandomValues(input.subarray(offset, Math.min(offset + 65536, input.length)));
    }
    for (let b = 0; b < 256; b++) input[b] = b; // every byte value for sure
    const { code, stdout, stderr } = await runClientWithBytes(
      [LOOPBACK, String(server.port)],
      input,
    );
    assert.equal(stdout.length, input.length);
    assert.equal(await sha256Hex(stdout), await sha256Hex(input));
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});

Deno.test("client.ts half-closes at stdin EOF and prints what arrives until the server closes", async () => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  // A server that answers only after the client's FIN, in two writes, then closes.
  const serving = (async () => {
    const conn = await listener.accept();
    try {
      const chunks: Uint8Array[] = [];
      const buffer = new Uint8Array(4096);
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        chunks.push(buffer.slice(0, n));
      }
      await conn.write(encoder.encode("after EOF, part 1\n"));
      await conn.write(encoder.encode("after EOF, part 2\n"));
      return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
    } finally {
      conn.close();
    }
  })();
  serving.catch(() => {}); // handled below; a failure must not surface as an uncaught error
  let result;
  try {
    result = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(listener.addr.port)], {
      stdin: "sent before EOF\n",
    });
    assert.equal(await within(serving, WAIT_MS, "the test server"), "sent before EOF\n");
  } finally {
    listener.close();
    await serving.catch(() => {});
  }
  assert.equal(result.stdout, "after EOF, part 1\nafter EOF, part 2\n");
  assert.equal(result.stderr, "");
  assert.equal(result.code, 0);
});

Deno.test("client.ts piped text without a final newline still gets its reply", async () => {
  await withServer([], async (server) => {
    const { code, stdout, stderr } = await runScript(
      CLIENT_SCRIPT,
      [LOOPBACK, String(server.port)],
      { stdin: "no newline" },
    );
    assert.equal(stdout, "Server received: no newline\n");
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});

Deno.test("client.ts piped prints the goodbye line and exits 0 when the server stops on SIGINT", async () => {
  const server = await startServer(ON_FREE_PORT);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", CLIENT_SCRIPT, LOOPBACK, String(server.port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdout = new LineReader(child.stdout);
  const stderr = new LineReader(child.stderr);
  let status: Deno.CommandStatus;
  try {
    // stdin stays open: only the server can end this conversation.
    await writer.write(encoder.encode("still typing\n"));
    assert.equal(await stdout.nextLine(), "Server received: still typing");
    const stopped = await server.stop("SIGINT");
    assert.equal(stopped.code, 0);
    status = await within(child.status, WAIT_MS, "the client to exit");
  } finally {
    await server.stop();
    try {
      child.kill("SIGKILL");
    } catch {
      // exited as it should
    }
    await child.status;
    await writer.close().catch(() => {});
  }
  assert.equal(await stdout.rest(), `Server received: still typing\n${MESSAGES.en.shuttingDown}\n`);
  assert.equal(await stderr.rest(), "");
  assert.equal(status.code, 0);
});

// --- Connection errors ------------------------------------------------------------------------

Deno.test("client.ts with no server says HOST:PORT and how to start it, exits 1", async () => {
  const port = closedPort();
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(port)]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.ok(stderr.includes(`${LOOPBACK}:${port}`), stderr);
  assert.ok(stderr.includes(START_HINT), stderr);
  assert.ok(!stderr.includes(STACK_LINE), `no stack trace expected:\n${stderr}`);
});

Deno.test("client.ts --lang zh with no server explains the refusal in Chinese", async () => {
  const port = closedPort();
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [
    LOOPBACK,
    String(port),
    "--lang",
    "zh",
  ]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.ok(stderr.includes(`无法连接到 ${LOOPBACK}:${port}`), stderr);
  assert.ok(stderr.includes("积极拒绝"), stderr);
  assert.ok(stderr.includes(START_HINT), stderr);
  assert.ok(!stderr.includes(STACK_LINE), stderr);
});

Deno.test("client.ts with a host that does not resolve says so and exits 1", async () => {
  const host = "no-such-host.invalid";
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [host, "50000"]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.ok(stderr.includes(`"${host}"`), stderr);
  assert.match(stderr, /not found/);
  assert.equal(stderr.trimEnd().split("\n").length, 1, `one line expected:\n${stderr}`);
  assert.ok(!stderr.includes(STACK_LINE), stderr);
});

// --- Options ----------------------------------------------------------------------------------

const BAD_OPTIONS: [string, string[], string][] = [
  ["an unknown option", ["--bogus"], "--bogus"],
  ["port 70000", [LOOPBACK, "70000"], "70000"],
  ["an extra positional argument", [LOOPBACK, "50000", "extra"], "extra"],
];

for (const [what, args, quoted] of BAD_OPTIONS) {
  Deno.test(`client.ts with ${what} prints usage on stderr and exits 2`, async () => {
    const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.ok(stderr.includes(quoted), `the bad value should be named:\n${stderr}`);
    assert.match(stderr, /usage|--help/i);
    assert.ok(!stderr.includes(STACK_LINE), stderr);
  });
}

Deno.test("client.ts --help prints the usage on stdout and exits 0", async () => {
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, ["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: deno run --allow-net client\.ts \[HOST\] \[PORT\]/);
  assert.ok(stdout.includes("--lang"), stdout);
  assert.equal(stderr, "");
});

Deno.test("client.ts --version prints the version and exits 0", async () => {
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, ["--version"]);
  assert.equal(code, 0);
  assert.match(stdout, /^client\.ts \d+\.\d+\.\d+\n$/);
  assert.equal(stderr, "");
});

Deno.test("client.ts takes HOST and PORT as positionals", async () => {
  await withServer([], async (server) => {
    const { code, stdout, stderr } = await runScript(
      CLIENT_SCRIPT,
      [LOOPBACK, String(server.port)],
      { stdin: "positional\n" },
    );
    assert.equal(stdout, "Server received: positional\n");
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});

Deno.test("client.ts takes HOST and PORT as -H and -p", async () => {
  await withServer([], async (server) => {
    const { code, stdout, stderr } = await runScript(
      CLIENT_SCRIPT,
      ["-H", LOOPBACK, "-p", String(server.port)],
      { stdin: "short options\n" },
    );
    assert.equal(stdout, "Server received: short options\n");
    assert.equal(stderr, "");
    assert.equal(code, 0);
  });
});
