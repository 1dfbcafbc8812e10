/**
 * TLS with clients nobody here wrote: the real `server.ts --tls-cert ...
 * --tls-key ...`, started as a user starts it (`--allow-net` and a scoped
 * `--allow-read`), talking to `openssl s_client`, `ncat --ssl`, `socat
 * OPENSSL:`, a plaintext `nc` (refused), Chromium on the HTTPS page (the test
 * CA trusted through its flags), and a TLS redis-server behind `--redis
 * rediss://` with `DENO_CERT` (Deno's way to trust a private CA, which
 * node-redis over `node:tls` follows).
 *
 * The certificates are tests/support/tls/ (a test CA, and a leaf for
 * localhost, 127.0.0.1 and ::1). Every wait is for a line, with a bound.
 * Each test skips itself, saying so in its name, where its tool is missing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import type { Page } from "puppeteer-core";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { CHROMIUM_PATH, NO_BROWSER_NOTE, withBrowser } from "../support/browser.ts";
import { LOOPBACK } from "../support/ports.ts";
import {
  CLIENT_SCRIPT,
  ON_FREE_PORT,
  type PipedProcess,
  type ServerProcess,
  startPipedProcess,
  startServer,
  WAIT_MS,
} from "../support/processes.ts";
import { NO_REDIS_NOTE, REDIS_SERVER, startRedis } from "../support/redis_server.ts";
import {
  CA_FILE,
  CERT_FILE,
  KEY_FILE,
  TLS_SERVER_ARGS,
  TLS_SERVER_FLAGS,
} from "../support/tls_files.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";

const CA = CA_FILE;
const CERT = CERT_FILE;
const KEY = KEY_FILE;
/** What a TLS user gives Deno: the network, and reading the two files (nothing else). */
const TLS_DENO_FLAGS = TLS_SERVER_FLAGS;
const TLS_ARGS = TLS_SERVER_ARGS;
/** The room's welcome, the first line every member gets. */
const WELCOME = new RegExp(`^${escape(NOTICE_PREFIX)}Welcome`);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The path of `name` on this machine, or null. */
async function findTool(name: string): Promise<string | null> {
  try {
    const { success, stdout } = await new Deno.Command("sh", {
      args: ["-c", `command -v ${name}`],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    const path = new TextDecoder().decode(stdout).trim();
    return success && path.startsWith("/") ? path : null;
  } catch {
    return null;
  }
}

/** Said in a test's name when it is skipped for want of `tool`. */
function skipNote(path: string | null, tool: string, debianPackage: string): string {
  return path === null
    ? ` (SKIPPED: no ${tool}; install it with \`apt-get install -y ${debianPackage}\`)`
    : "";
}

const OPENSSL = await findTool("openssl");
const NCAT = await findTool("ncat");
const SOCAT = await findTool("socat");
const NC = await findTool("nc");

/** A TLS client program: how to start it against a port. */
interface TlsTool {
  /** Its name, for the test's name. */
  name: string;
  /** Its path, or null when it is not installed. */
  path: string | null;
  /** The skip note for the test's name. */
  note: string;
  /** Its arguments for connecting to 127.0.0.1/localhost:PORT, checking the certificate. */
  args(port: number): string[];
}

const TLS_TOOLS: readonly TlsTool[] = [
  {
    name: "openssl s_client",
    path: OPENSSL,
    note: skipNote(OPENSSL, "openssl", "openssl"),
    args: (port) => [
      "s_client",
      "-quiet",
      "-connect",
      `${LOOPBACK}:${port}`,
      "-servername",
      "localhost",
      "-CAfile",
      CA,
      "-verify_return_error",
    ],
  },
  {
    name: "ncat --ssl",
    path: NCAT,
    note: skipNote(NCAT, "ncat", "ncat"),
    args: (port) => ["--ssl", "--ssl-verify", "--ssl-trustfile", CA, "localhost", String(port)],
  },
  {
    name: "socat OPENSSL:",
    path: SOCAT,
    note: skipNote(SOCAT, "socat", "socat"),
    args: (port) => ["-", `OPENSSL:localhost:${port},cafile=${CA}`],
  },
];

/** Starts a TLS client tool against `port`. */
function startTool(tool: TlsTool, port: number): PipedProcess {
  return startPipedProcess(tool.path!, tool.args(port));
}

/** `client.ts --ca ca.pem localhost PORT`, piped, as a member of the room. */
function startClientTs(port: number): PipedProcess {
  return startPipedProcess(Deno.execPath(), [
    "run",
    "--allow-net",
    `--allow-read=${CA}`,
    CLIENT_SCRIPT,
    "localhost",
    String(port),
    "--ca",
    CA,
  ], { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" });
}

/** A server over TLS started as a user does, and the ports of its extra listeners. */
interface TlsServer {
  server: ServerProcess;
  /** With `--plain-port 0`: the plaintext port. */
  plainPort?: number;
  /** With `--web 0`: the page's address (https). */
  webUrl?: string;
}

/**
 * Starts `server.ts ARGS --tls-cert server.pem --tls-key server.key` on a free
 * loopback port, with `--allow-net --allow-read=CERT,KEY`, and reads its
 * ready lines.
 */
async function startTlsServer(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<TlsServer> {
  const server = await startServer([...ON_FREE_PORT, ...args, ...TLS_ARGS], {
    denoFlags: TLS_DENO_FLAGS,
    env,
  });
  const started: TlsServer = { server };
  try {
    assert.match(server.readyLine, /with TLS/);
    if (args.includes("--plain-port")) {
      const line = await server.stdout.waitFor(/^Plaintext clients/);
      started.plainPort = Number(line.match(/:(\d+)$/)?.[1]);
    }
    if (args.includes("--web")) {
      const line = await server.stdout.waitFor(/^Web page at /);
      started.webUrl = line.match(/(https?:\/\/\S+)$/)?.[1]!;
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return started;
}

/** Stops the server and checks it exited 0; returns its whole stdout (the ready line first). */
async function stopServer(server: ServerProcess): Promise<string> {
  const { code, stdout, stderr } = await server.stop();
  assert.equal(code, 0, `server exit; stderr:\n${stderr}`);
  return stdout;
}

/** Sends `/quit` (the room closes the connection) and waits for the program to end. */
async function quit(peer: PipedProcess): Promise<void> {
  await peer.writeLine("/quit").catch(() => {});
  await peer.finish();
}

/**
 * Ends a client as its user would with Ctrl+C: `openssl s_client -quiet`
 * ignores the end of its input, and reply and echo mode have no `/quit`.
 */
async function interrupt(peer: PipedProcess): Promise<void> {
  try {
    peer.child.kill("SIGINT");
  } catch {
    // it ended already
  }
  await peer.finish();
}

/**
 * Runs `body` with the given peers started, and always ends them afterwards
 * (by default with `/quit`).
 */
async function withPeers(
  start: (() => PipedProcess)[],
  body: (peers: PipedProcess[]) => Promise<void>,
  end: (peer: PipedProcess) => Promise<void> = quit,
): Promise<void> {
  const peers: PipedProcess[] = [];
  try {
    for (const make of start) peers.push(make());
    await body(peers);
  } finally {
    await Promise.allSettled(peers.map(end));
  }
}

for (const tool of TLS_TOOLS) {
  Deno.test({
    name: `chat over TLS: ${tool.name} joins, and talks both ways with a client.ts --ca member` +
      tool.note,
    ignore: tool.path === null,
    async fn() {
      const { server } = await startTlsServer(["--mode", "chat"]);
      let log = "";
      try {
        await withPeers([() => startClientTs(server.port)], async ([member]) => {
          await member!.stdout.waitFor(WELCOME);
          await withPeers([() => startTool(tool, server.port)], async ([peer]) => {
            await peer!.stdout.waitFor(WELCOME);
            await peer!.writeLine(`hello from ${tool.name}`);
            await member!.stdout.waitFor(new RegExp(`^\\[guest2\\] hello from ${tool.name}$`));
            await member!.writeLine("hello back, 你好");
            await peer!.stdout.waitFor(/^\[guest1\] hello back, 你好$/);
          });
        });
      } finally {
        log = await stopServer(server);
      }
      assert.match(log, new RegExp(`received: hello from ${tool.name}`));
    },
  });

  Deno.test({
    name: `reply mode over TLS: ${tool.name} gets its reply` + tool.note,
    ignore: tool.path === null,
    async fn() {
      const { server } = await startTlsServer(["--mode", "reply"]);
      try {
        await withPeers([() => startTool(tool, server.port)], async ([peer]) => {
          await peer!.writeLine("good boy");
          await peer!.stdout.waitFor(/^Server received: good boy$/);
          await peer!.writeLine("好男孩");
          await peer!.stdout.waitFor(/^Server received: 好男孩$/);
        }, interrupt);
      } finally {
        await stopServer(server);
      }
    },
  });

  Deno.test({
    name: `echo mode over TLS: ${tool.name} gets its bytes back` + tool.note,
    ignore: tool.path === null,
    async fn() {
      const { server } = await startTlsServer(["--mode", "echo"]);
      try {
        await withPeers([() => startTool(tool, server.port)], async ([peer]) => {
          await peer!.writeLine("ping 字节 \t end");
          await peer!.stdout.waitFor(/^ping 字节 \t end$/);
        }, interrupt);
      } finally {
        await stopServer(server);
      }
    },
  });
}

Deno.test({
  name: "a plaintext nc on the TLS port is closed, logged as not a TLS client, and never joins" +
    skipNote(NC, "nc", "netcat-openbsd"),
  ignore: NC === null,
  async fn() {
    const { server } = await startTlsServer(["--mode", "chat"]);
    let log = "";
    try {
      await withPeers([() => startClientTs(server.port)], async ([member]) => {
        await member!.stdout.waitFor(WELCOME);
        const nc = startPipedProcess(NC!, [LOOPBACK, String(server.port)]);
        await nc.writeLine("plaintext line, should never reach the room");
        await server.stdout.waitFor(/not a TLS client/);
        // nc ends once both its input and the connection have ended: finish() closes its
        // input, and fails (after killing nc) if the server kept the connection open.
        const ncOut = (await nc.finish()).stdout;
        assert.doesNotMatch(ncOut, /Welcome|plaintext line/, "nc got no room line");
        // The next member is guest2: nc took no guest number, and no line of it came first.
        await withPeers([() => startClientTs(server.port)], async ([second]) => {
          await second!.stdout.waitFor(WELCOME);
          await second!.writeLine("second member here");
          await member!.stdout.waitFor(/^\[guest2\] second member here$/);
        });
        assert.doesNotMatch(member!.stdout.text, /plaintext line/);
        assert.doesNotMatch(member!.stdout.text, /guest3/);
      });
    } finally {
      log = await stopServer(server);
    }
    assert.doesNotMatch(log, /plaintext line/);
    assert.equal(log.match(/ joined$/gm)?.length, 2, `two members joined:\n${log}`);
  },
});

const PLAIN_TLS_TOOL = TLS_TOOLS.find((tool) => tool.path !== null);

Deno.test({
  name: "--plain-port: an nc member on the plain port and a TLS member share one room" +
    skipNote(NC, "nc", "netcat-openbsd") +
    (PLAIN_TLS_TOOL === undefined ? " (SKIPPED: no openssl, ncat or socat)" : ""),
  ignore: NC === null || PLAIN_TLS_TOOL === undefined,
  async fn() {
    const { server, plainPort } = await startTlsServer(["--mode", "chat", "--plain-port", "0"]);
    try {
      assert.ok(plainPort !== undefined && plainPort !== server.port, String(plainPort));
      const tool = PLAIN_TLS_TOOL!;
      await withPeers(
        [() => startPipedProcess(NC!, [LOOPBACK, String(plainPort)])],
        async ([nc]) => {
          await nc!.stdout.waitFor(WELCOME);
          await withPeers([() => startTool(tool, server.port)], async ([peer]) => {
            await peer!.stdout.waitFor(WELCOME);
            await peer!.writeLine("over TLS");
            await nc!.stdout.waitFor(/^\[guest2\] over TLS$/);
            await nc!.writeLine("in the clear");
            await peer!.stdout.waitFor(/^\[guest1\] in the clear$/);
          });
        },
      );
    } finally {
      await stopServer(server);
    }
  },
});

/**
 * The value of Chromium's `--ignore-certificate-errors-spki-list` that trusts
 * the certificate in `pem`: base64 of the SHA-256 of its public key (SPKI, DER).
 */
function spkiHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

// What the page's callbacks use of the DOM (they run in the browser).
declare const document: {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
};
declare const location: { protocol: string };

/** Waits until a line of the page's message list equals `text`. */
async function waitForPageLine(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (text: string) =>
      [...document.querySelectorAll("#messages > p")].some((line) => line.textContent === text),
    { timeout: WAIT_MS },
    text,
  );
}

Deno.test({
  name: "Chromium on the HTTPS page (test CA trusted by its flags): wss, and it talks with a TLS " +
    "member" + NO_BROWSER_NOTE,
  ignore: CHROMIUM_PATH === null,
  async fn() {
    const { server, webUrl } = await startTlsServer(["--mode", "chat", "--web", "0"]);
    try {
      assert.match(webUrl!, /^https:\/\/127\.0\.0\.1:\d+\/$/);
      const trust = `--ignore-certificate-errors-spki-list=${
        spkiHash(Deno.readTextFileSync(CERT))
      }`;
      await withPeers([() => startClientTs(server.port)], async ([member]) => {
        await member!.stdout.waitFor(WELCOME);
        await withBrowser(async (browser) => {
          const page = await browser.newPage();
          const sockets: string[] = [];
          const cdp = await page.createCDPSession();
          await cdp.send("Network.enable");
          cdp.on("Network.webSocketCreated", (event) => sockets.push(event.url));
          const response = await page.goto(webUrl!);
          assert.equal(response?.status(), 200);
          assert.equal(await page.evaluate(() => location.protocol), "https:");
          const security = response?.securityDetails();
          assert.ok(security !== null && security !== undefined, "the page came over TLS");
          assert.equal(security.subjectName(), "localhost");
          await page.waitForFunction(
            () => document.querySelector("#status")?.getAttribute("data-state") === "open",
            { timeout: WAIT_MS },
          );
          assert.deepEqual(sockets, [`wss://${new URL(webUrl!).host}/ws`]);
          await member!.writeLine("hello browser");
          await waitForPageLine(page, "[guest1] hello browser");
          await page.type("#input", "hello from https");
          await page.keyboard.press("Enter");
          await member!.stdout.waitFor(/^\[guest2\] hello from https$/);
        }, [trust]);
      });
    } finally {
      await stopServer(server);
    }
  },
});

Deno.test({
  name: "--redis rediss:// with DENO_CERT: two servers on a TLS redis-server form one room" +
    NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  async fn() {
    const password = "redis-secret-42";
    const redis = await startRedis({ tls: { cert: CERT, key: KEY, ca: CA }, password });
    const url = redis.url.replace("rediss://", `rediss://:${password}@`);
    const env = { DENO_CERT: CA };
    const servers: ServerProcess[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        // TLS both to the members and to Redis, as a room on the internet would be.
        const { server } = await startTlsServer(["--mode", "chat", "--redis", url], env);
        servers.push(server);
        await server.stdout.waitFor(
          new RegExp(`^linked to the other servers of the room through ${escape(redis.url)}$`),
        );
      }
      const [a, b] = servers;
      await withPeers(
        [() => startClientTs(a!.port), () => startClientTs(b!.port)],
        async ([ann, bob]) => {
          await ann!.stdout.waitFor(WELCOME);
          await bob!.stdout.waitFor(WELCOME);
          await ann!.writeLine("across rediss");
          await bob!.stdout.waitFor(/^\[guest\d+\] across rediss$/);
          await bob!.writeLine("and back");
          await ann!.stdout.waitFor(/^\[guest\d+\] and back$/);
        },
      );
    } finally {
      const logs = await Promise.all(servers.map(stopServer));
      await redis.stop();
      for (const log of logs) assert.doesNotMatch(log, new RegExp(password));
    }
  },
});

Deno.test({
  name: "--redis rediss:// to a Redis whose CA this machine does not trust: the log says so, and " +
    "what to do" + NO_REDIS_NOTE,
  ignore: REDIS_SERVER === null,
  async fn() {
    const redis = await startRedis({ tls: { cert: CERT, key: KEY, ca: CA } });
    try {
      const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]);
      try {
        await server.stderr.waitFor(
          new RegExp(`^${escape(CHAT_TEXTS.en.redisUntrustedCertificate(redis.url))}$`),
        );
      } finally {
        await server.stop();
      }
    } finally {
      await redis.stop();
    }
  },
});
