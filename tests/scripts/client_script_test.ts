/**
 * End-to-end tests of client.ts with piped stdin (not a terminal), as in
 * `printf 'good boy\n' | deno run --allow-net client.ts`: the real script
 * against the real server.ts, or against a listener the test controls.
 *
 * @module
 */

import assert from "node:assert/strict";
import { TEXTS } from "../../lib/text/texts.ts";
import { sha256Hex } from "../support/bytes.ts";
import { LOOPBACK, unusedPort } from "../support/ports.ts";
import {
  CLIENT_SCRIPT,
  ON_FREE_PORT,
  runScript,
  runScriptForBytes,
  startPipedProcess,
  startServer,
  WAIT_MS,
  within,
  withServerProcess,
} from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { assertNoStackTrace, assertUsageExit } from "../support/user_errors.ts";

/** How a user is told to start the server. */
const START_HINT = "deno run --allow-net server.ts";

// --- Piped conversation -----------------------------------------------------------------------

/** A piped conversation with server.ts: what the client is given and what it must print. */
interface PipedCase {
  /** The test's name. */
  name: string;
  /** client.ts arguments for the server's port. */
  args: (port: number) => string[];
  /** The client's stdin. */
  stdin: string;
  /** The client's whole stdout. */
  replies: string;
}

const PIPED_CASES: PipedCase[] = [
  {
    name: "client.ts piped prints exactly the replies on stdout and exits 0",
    args: (port) => [LOOPBACK, String(port)],
    stdin: "good boy\n好男孩\n",
    replies: "Server received: good boy\nServer received: 好男孩\n",
  },
  {
    name: "client.ts piped text without a final newline still gets its reply",
    args: (port) => [LOOPBACK, String(port)],
    stdin: "no newline",
    replies: "Server received: no newline\n",
  },
  {
    name: "client.ts takes HOST and PORT as positionals",
    args: (port) => [LOOPBACK, String(port)],
    stdin: "positional\n",
    replies: "Server received: positional\n",
  },
  {
    name: "client.ts takes HOST and PORT as -H and -p",
    args: (port) => ["-H", LOOPBACK, "-p", String(port)],
    stdin: "short options\n",
    replies: "Server received: short options\n",
  },
];

for (const { name, args, stdin, replies } of PIPED_CASES) {
  Deno.test(name, async () => {
    await withServerProcess([], async (server) => {
      const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, args(server.port), { stdin });
      assert.equal(stdout, replies);
      assert.equal(stderr, "", "no status text on a successful pipe");
      assert.equal(code, 0);
    });
  });
}

Deno.test("client.ts piped passes binary bytes through an echo server unchanged", async () => {
  await withServerProcess(["--mode", "echo", "-q"], async (server) => {
    const input = new Uint8Array(300_000);
    for (let offset = 0; offset < input.length; offset += 65536) {
      crypto.getRandomValues(input.subarray(offset, Math.min(offset + 65536, input.length)));
    }
    for (let b = 0; b < 256; b++) input[b] = b; // every byte value for sure
    const { code, stdout, stderr } = await runScriptForBytes(
      CLIENT_SCRIPT,
      [LOOPBACK, String(server.port)],
      { stdin: input, timeoutMs: WAIT_MS * 2 },
    );
    assert.equal(stdout.length, input.length);
    assert.equal(await sha256Hex(stdout), await sha256Hex(input));
    assert.equal(new TextDecoder().decode(stderr), "");
    assert.equal(code, 0);
  });
});

Deno.test("client.ts half-closes at stdin EOF and prints what arrives until the server closes", async () => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  // A server that answers only after the client's FIN, in two writes, then closes.
  const serving = (async () => {
    const conn = new SocketClient(await listener.accept());
    try {
      const received = await conn.readTextToEnd();
      await conn.write("after EOF, part 1\n");
      await conn.write("after EOF, part 2\n");
      return received;
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

Deno.test("client.ts piped prints the goodbye line and exits 0 when the server stops on SIGINT", async () => {
  const server = await startServer(ON_FREE_PORT);
  const client = startPipedProcess(
    Deno.execPath(),
    ["run", "--allow-net", CLIENT_SCRIPT, LOOPBACK, String(server.port)],
    { NO_COLOR: "1" },
  );
  let status: Deno.CommandStatus;
  let result;
  try {
    // stdin stays open: only the server can end this conversation.
    await client.writeLine("still typing");
    assert.equal(await client.stdout.nextLine(), "Server received: still typing");
    const stopped = await server.stop("SIGINT");
    assert.equal(stopped.code, 0);
    status = await within(client.child.status, WAIT_MS, "the client to exit");
  } finally {
    await server.stop();
    result = await client.finish();
  }
  assert.equal(result.stdout, `Server received: still typing\n${TEXTS.en.shuttingDown}\n`);
  assert.equal(result.stderr, "");
  assert.equal(status.code, 0);
});

// --- Connection errors ------------------------------------------------------------------------

Deno.test("client.ts with no server says HOST:PORT and how to start it, exits 1", async () => {
  const port = unusedPort();
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(port)]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.ok(stderr.includes(`${LOOPBACK}:${port}`), stderr);
  assert.ok(stderr.includes(START_HINT), stderr);
  assertNoStackTrace(stderr);
});

Deno.test("client.ts --lang zh with no server explains the refusal in Chinese", async () => {
  const port = unusedPort();
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
  assertNoStackTrace(stderr);
});

Deno.test("client.ts with a host that does not resolve says so and exits 1", async () => {
  const host = "no-such-host.invalid";
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [host, "50000"]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.ok(stderr.includes(`"${host}"`), stderr);
  assert.match(stderr, /not found/);
  assert.equal(stderr.trimEnd().split("\n").length, 1, `one line expected:\n${stderr}`);
  assertNoStackTrace(stderr);
});

// --- Options ----------------------------------------------------------------------------------

const BAD_OPTIONS: [string, string[], string][] = [
  ["an unknown option", ["--bogus"], "--bogus"],
  ["port 70000", [LOOPBACK, "70000"], "70000"],
  ["an extra positional argument", [LOOPBACK, "50000", "extra"], "extra"],
];

for (const [what, args, quoted] of BAD_OPTIONS) {
  Deno.test(`client.ts with ${what} prints usage on stderr and exits 2`, async () => {
    assertUsageExit(await runScript(CLIENT_SCRIPT, args), quoted);
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

Deno.test("client.ts piped exits 0 quietly when its output is closed early (like | head -1)", async () => {
  await withServerProcess([], async (server) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", CLIENT_SCRIPT, LOOPBACK, String(server.port)],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const stderrText = new Response(child.stderr).text();
    const reader = child.stdout.getReader();
    const writer = child.stdin.getWriter();
    const feeding = writer.write(new TextEncoder().encode("line\n".repeat(100_000)))
      .then(() => writer.close())
      .catch(() => {}); // the client may exit before taking all of it
    // Read the first reply, then close our end of its stdout as `head -1` does.
    const first = await within(reader.read(), WAIT_MS, "the first reply");
    assert.match(new TextDecoder().decode(first.value), /^Server received: line\n/);
    await reader.cancel();
    const status = await within(child.status, WAIT_MS, "the client to exit");
    await feeding;
    const stderr = await stderrText;
    assert.equal(status.code, 0);
    assert.equal(stderr, "");
  });
});

// --- Exit codes and nc-like options -------------------------------------------------------------

for (
  const [what, serverArgs, stdin, notice] of [
    ["turns it away as busy", ["--max-conns", "1"], "", TEXTS.en.tooManyClients(1)],
    [
      "closes it for a too long line",
      ["--max-line", "8"],
      "far too long\n",
      TEXTS.en.lineTooLong(8),
    ],
  ] as const
) {
  Deno.test(`client.ts piped exits 1 when server.ts ${what}`, async () => {
    await withServerProcess([...serverArgs], async (server) => {
      const first = await SocketClient.connect(server.port); // fills --max-conns 1
      try {
        await server.stdout.waitFor(/client connected/);
        const result = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(server.port)], { stdin });
        assert.equal(result.stdout, notice + "\n");
        assert.equal(result.code, 1);
        assertNoStackTrace(result.stderr);
      } finally {
        first.close();
      }
    });
  });
}

Deno.test("client.ts piped prints all of 200,000 lines when the server closes right after", async () => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const lines = Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join("");
  const serving = (async () => {
    const conn = new SocketClient(await listener.accept());
    await conn.write(lines);
    conn.close();
  })();
  try {
    const result = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(listener.addr.port)]);
    assert.equal(result.stdout.length, lines.length);
    assert.equal(result.stdout, lines);
    assert.equal(result.code, 0);
  } finally {
    await serving.catch(() => {});
    listener.close();
  }
});

Deno.test("client.ts -w 1 piped exits 0 once the server is silent for a second after stdin ends", async () => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const accepted = listener.accept().then((conn) => new SocketClient(conn));
  try {
    const client = startPipedProcess(
      Deno.execPath(),
      ["run", "--allow-net", CLIENT_SCRIPT, "-w", "1", LOOPBACK, String(listener.addr.port)],
    );
    const conn = await within(accepted, WAIT_MS, "client.ts to connect");
    try {
      await client.writeLine("GET / HTTP/1.0");
      assert.equal(await conn.readLine(), "GET / HTTP/1.0");
      await conn.write("HTTP/1.0 200 OK\r\n"); // and the connection stays open, as keep-alive would
      const result = await client.finish(); // closes stdin: the client half-closes, then waits 1 s
      assert.equal(result.stdout, "HTTP/1.0 200 OK\r\n");
      assert.equal(result.stderr, "");
      assert.equal(result.code, 0);
    } finally {
      conn.close();
    }
  } finally {
    listener.close();
  }
});

Deno.test("client.ts --crlf piped sends each line with \\r\\n, as ncat -C", async () => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 });
  const received = listener.accept().then(async (conn) => {
    const client = new SocketClient(conn);
    try {
      return await client.readTextToEnd();
    } finally {
      client.close();
    }
  });
  try {
    const result = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(listener.addr.port), "-C"], {
      stdin: "HELO x\nQUIT\r\n",
    });
    assert.equal(await within(received, WAIT_MS, "the test server"), "HELO x\r\nQUIT\r\n");
    assert.equal(result.code, 0);
  } finally {
    listener.close();
    await received.catch(() => {});
  }
});

Deno.test("client.ts --hex piped dumps both directions on stderr, stdout stays the bytes", async () => {
  await withServerProcess([], async (server) => {
    const result = await runScript(CLIENT_SCRIPT, [LOOPBACK, String(server.port), "--hex"], {
      stdin: "hi\n",
    });
    assert.equal(result.stdout, "Server received: hi\n");
    assert.match(result.stderr, /^> sent 3 bytes\n00000000 {2}68 69 0a +\|hi\.\|\n/);
    assert.match(result.stderr, /< received 20 bytes\n00000000 {2}53 65 72 76/);
    assert.equal(result.code, 0);
  });
});

Deno.test("client.ts without --allow-net repeats the user's own arguments in the command to run", async () => {
  const port = unusedPort();
  const { code, stdout, stderr } = await runScript(CLIENT_SCRIPT, [
    LOOPBACK,
    String(port),
    "-w",
    "2",
  ], {
    denoFlags: ["--no-prompt"],
  });
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    `${TEXTS.en.needNetPermission("client.ts", [LOOPBACK, String(port), "-w", "2"])}\n`,
  );
  assert.ok(stderr.includes(`"deno run --allow-net client.ts ${LOOPBACK} ${port} -w 2"`), stderr);
});
