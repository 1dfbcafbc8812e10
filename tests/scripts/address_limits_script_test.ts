/**
 * The real server.ts with `--max-per-address`, `--max-joins-per-minute`,
 * `--trust`, `--allow` and `--deny`, with clients nobody here wrote: nc
 * (OpenBSD's, whose `-s` picks the source address), ncat, and python3
 * connecting from 127.0.0.2 or from this machine's own non-loopback address
 * (loopback is exempt from the limits, and the command line cannot change
 * that). Tests needing a program or an address this machine lacks skip
 * themselves.
 */

import assert from "node:assert/strict";
import { TEXTS } from "../../lib/text/texts.ts";
import {
  hasPython,
  ON_FREE_PORT,
  runScript,
  SERVER_SCRIPT,
  startPipedProcess,
  startServer,
  WAIT_MS,
  within,
} from "../support/processes.ts";
import { assertUsageExit } from "../support/user_errors.ts";
import { startWebChatServer } from "../support/web_helpers.ts";
import { OTHER_ADDRESS, startOtherAddressProxy } from "../support/other_address_proxy.ts";

const EN = TEXTS.en;
const python = await hasPython();

/** Whether `program` runs (`program -h` exits, whatever its code). */
async function runs(program: string): Promise<boolean> {
  try {
    await new Deno.Command(program, { args: ["-h"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** OpenBSD nc (Debian's `nc`), which has `-N` and `-s`; null without it. */
const NC = await (async () => {
  if (!await runs("nc")) return null;
  const { stderr, stdout } = await new Deno.Command("nc", { args: ["-h"] }).output();
  const help = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
  return help.includes("OpenBSD") ? "nc" : null;
})();
const NCAT = await runs("ncat");

/** Sends "hi\n" with a client program and returns what it printed before the server closed. */
async function say(program: string, args: readonly string[]): Promise<string> {
  const client = startPipedProcess(program, args);
  await client.writeLine("hi").catch(() => {}); // a denied client may be gone already
  const { stdout } = await client.finish();
  return stdout;
}

/** This machine's address towards other networks (not loopback), or null. */
async function ownAddress(): Promise<string | null> {
  if (!python) return null;
  const code = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(("192.0.2.1", 9))  # no packet is sent: only a route is looked up
    print(s.getsockname()[0])
except OSError:
    print("")
`;
  const { stdout } = await new Deno.Command("python3", { args: ["-c", code] }).output();
  const address = new TextDecoder().decode(stdout).trim();
  return address === "" || address.startsWith("127.") ? null : address;
}
const OWN_ADDRESS = await ownAddress();

/**
 * Opens `count` connections from `host` to `host:port`, one after the
 * other, each kept open: sends "hi\n" on each and prints the first line back
 * (or "EOF"), one per connection.
 */
const CONNECTIONS_PY = `
import socket, sys
host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
held = []
for i in range(count):
    s = socket.create_connection((host, port), timeout=10, source_address=(host, 0))
    held.append(s)
    s.sendall(b"hi\\n")
    data = b""
    while b"\\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    print(data.decode().split("\\n")[0] if data else "EOF", flush=True)
`;

async function connectFrom(host: string, port: number, count: number): Promise<string[]> {
  const { stdout, stderr, code } = await startPipedProcess(
    "python3",
    ["-c", CONNECTIONS_PY, host, String(port), String(count)],
  ).finish();
  assert.equal(code, 0, stderr);
  return stdout.trimEnd().split("\n");
}

Deno.test("server.ts refuses a bad limit or address range with one line and exit 2", async () => {
  for (
    const [args, quoted] of [
      [["--max-per-address", "-1"], '"-1"'],
      [["--max-joins-per-minute", "x"], '"x"'],
      [["--trust", "10.0.0.0/33"], '"10.0.0.0/33"'],
      [["--allow", "nonsense"], '"nonsense"'],
      [["--deny", "::/129"], '"::/129"'],
    ] as const
  ) {
    const result = await runScript(SERVER_SCRIPT, [...ON_FREE_PORT, ...args]);
    assertUsageExit(result, quoted);
    assert.equal(result.stderr.trimEnd().split("\n").length, 2, result.stderr); // the error, the usage
  }
});

Deno.test("server.ts --help lists the options per address and says loopback is always exempt", async () => {
  for (const lang of ["en", "zh"]) {
    const { stdout } = await runScript(SERVER_SCRIPT, ["--help", "--lang", lang]);
    for (
      const option of [
        "--max-per-address",
        "--max-joins-per-minute",
        "--trust",
        "--allow",
        "--deny",
      ]
    ) {
      assert.ok(stdout.includes(option), `${lang}: ${option}`);
    }
    assert.ok(stdout.includes("127.0.0.0/8, ::1") || stdout.includes("127.0.0.0/8、::1"), lang);
  }
});

Deno.test({
  name: "server.ts --deny 127.0.0.1: nc and ncat are closed without a word, the log says why",
  ignore: NC === null && !NCAT,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--deny", "127.0.0.1"]);
    try {
      if (NC !== null) assert.equal(await say(NC, ["-N", "127.0.0.1", String(server.port)]), "");
      if (NCAT) assert.equal(await say("ncat", ["127.0.0.1", String(server.port)]), "");
      const line = await within(server.stdout.nextLine(), WAIT_MS, "the refusal");
      assert.match(line!, /^refused 127\.0\.0\.1:\d+: address not allowed \(--allow, --deny\)$/);
    } finally {
      const { code } = await server.stop();
      assert.equal(code, 0);
    }
  },
});

Deno.test({
  name: "server.ts --allow 127.0.0.2 serves nc from 127.0.0.2 only; --deny wins over --allow",
  ignore: NC === null,
  fn: async () => {
    const server = await startServer([...ON_FREE_PORT, "--allow", "127.0.0.2"]);
    try {
      const port = String(server.port);
      assert.equal(
        await say("nc", ["-N", "-s", "127.0.0.2", "127.0.0.1", port]),
        "Server received: hi\n",
      );
      assert.equal(await say("nc", ["-N", "127.0.0.1", port]), "");
    } finally {
      const { code, stdout } = await server.stop();
      assert.equal(code, 0);
      assert.match(stdout, /^refused 127\.0\.0\.1:\d+: address not allowed/m);
    }
    const both = await startServer([
      ...ON_FREE_PORT,
      "--allow",
      "127.0.0.0/8",
      "--deny",
      "127.0.0.2/32",
    ]);
    try {
      const port = String(both.port);
      assert.equal(await say("nc", ["-N", "-s", "127.0.0.2", "127.0.0.1", port]), "");
      assert.equal(
        await say("nc", ["-N", "-s", "127.0.0.3", "127.0.0.1", port]),
        "Server received: hi\n",
      );
    } finally {
      const { code, stdout } = await both.stop();
      assert.equal(code, 0);
      assert.match(stdout, /^refused 127\.0\.0\.2:\d+: address not allowed/m);
    }
  },
});

Deno.test("server.ts keeps loopback exempt: --max-per-address 1 still serves many local clients", async () => {
  const server = await startServer([
    ...ON_FREE_PORT,
    "--max-per-address",
    "1",
    "--max-joins-per-minute",
    "1",
  ]);
  const conns: Deno.TcpConn[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    for (const conn of conns) {
      await conn.write(new TextEncoder().encode("hi\n"));
      const buffer = new Uint8Array(64);
      const n = await within(conn.read(buffer), WAIT_MS, "a reply");
      assert.equal(new TextDecoder().decode(buffer.subarray(0, n ?? 0)), "Server received: hi\n");
    }
  } finally {
    for (const conn of conns) conn.close();
    const { code, stdout } = await server.stop();
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /refused/);
  }
});

Deno.test({
  name:
    "server.ts --max-per-address 2: the third connection from this machine's own address gets the line and is closed",
  ignore: OWN_ADDRESS === null,
  fn: async () => {
    const host = OWN_ADDRESS!;
    const server = await startServer(["--host", host, "--port", "0", "--max-per-address", "2"]);
    try {
      assert.deepEqual(await connectFrom(host, server.port, 3), [
        "Server received: hi",
        "Server received: hi",
        EN.tooManyFromAddress(2),
      ]);
    } finally {
      const { code, stdout } = await server.stop();
      assert.equal(code, 0);
      const refused = stdout.split("\n").filter((line) => line.startsWith("refused "));
      assert.equal(refused.length, 1, stdout);
      assert.match(
        refused[0]!,
        new RegExp(
          `^refused ${
            RegExp.escape(host)
          }:\\d+: too many connections from this address \\(2, --max-per-address\\)$`,
        ),
      );
    }
  },
});

Deno.test({
  name:
    "server.ts --mode chat --max-joins-per-minute 2: the third join from this machine's own address is refused; --trust lifts it",
  ignore: OWN_ADDRESS === null,
  fn: async () => {
    const host = OWN_ADDRESS!;
    const args = ["--host", host, "--port", "0", "--mode", "chat", "--max-joins-per-minute", "2"];
    const server = await startServer(args);
    try {
      const lines = await connectFrom(host, server.port, 3);
      assert.ok(lines[0]!.startsWith("*** Welcome"), lines[0]);
      assert.ok(lines[1]!.startsWith("*** Welcome"), lines[1]);
      assert.equal(lines[2], "*** " + EN.tooManyJoins(2));
    } finally {
      const { code, stdout } = await server.stop();
      assert.equal(code, 0);
      assert.match(
        stdout,
        /^refused \S+: too many new connections from this address \(2 a minute/m,
      );
    }
    const trusting = await startServer([
      ...args,
      "--max-per-address",
      "1",
      "--trust",
      `${host}/32`,
    ]);
    try {
      const lines = await connectFrom(host, trusting.port, 4);
      assert.ok(lines.every((line) => line.startsWith("*** Welcome")), lines.join("\n"));
    } finally {
      const { code } = await trusting.stop();
      assert.equal(code, 0);
    }
  },
});

Deno.test({
  name:
    "server.ts --web with --allow 127.0.0.2: the page is 403 from 127.0.0.1 and served to 127.0.0.2",
  ignore: !python,
  fn: async () => {
    const { server, webPort } = await startWebChatServer(["--allow", OTHER_ADDRESS]);
    const proxy = await startOtherAddressProxy(webPort);
    try {
      const denied = await fetch(`http://127.0.0.1:${webPort}/`);
      assert.equal(denied.status, 403);
      await denied.body?.cancel();
      const allowed = await fetch(`http://127.0.0.1:${proxy.port}/`);
      assert.equal(allowed.status, 200);
      assert.match(await allowed.text(), /<html/);
    } finally {
      await proxy.stop();
      const { code, stdout } = await server.stop();
      assert.equal(code, 0);
      assert.match(stdout, /^refused 127\.0\.0\.1:\d+: address not allowed/m);
    }
  },
});
