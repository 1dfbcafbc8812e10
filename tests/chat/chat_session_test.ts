/**
 * A chat member's way in, over real sockets (`serve()` in-process): a browser
 * or curl on the chat port gets an HTTP answer and never enters the room, and
 * a connection that leaves before it was announced leaves no trace. These
 * tests run with the real `welcomeWaitMs` and (mostly) `joinAnnounceMs`,
 * which `withServer()` turns off for the other tests.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { DEFAULT_JOIN_ANNOUNCE_MS, DEFAULT_WELCOME_WAIT_MS } from "../../lib/settings/defaults.ts";
import { WebServer } from "../../lib/web/web_server.ts";
import { type SocketClient, type TestServer, withServer } from "../support/socket_helpers.ts";

const EN = CHAT_TEXTS.en;
const REAL = { welcomeWaitMs: DEFAULT_WELCOME_WAIT_MS, joinAnnounceMs: DEFAULT_JOIN_ANNOUNCE_MS };
/** So long that a test never waits for it: a member is announced only by its first line. */
const NEVER_BY_TIME = { welcomeWaitMs: DEFAULT_WELCOME_WAIT_MS, joinAnnounceMs: 60_000 };
const CURL_LIKE = "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";

/** ann: in the room and announced (she asked /who), her welcome and answer read. */
async function ann(server: TestServer): Promise<SocketClient> {
  const client = await server.connect();
  assert.match(await client.readLine(), /^\*\*\* Welcome/);
  await client.write("/who\n");
  assert.equal(await client.readLine(), NOTICE_PREFIX + EN.chatWho(["guest1"]));
  return client;
}

/**
 * Asserts that `member` heard nothing since (its next line is the answer to a
 * /who naming `names`), and that a newcomer finds no history.
 */
async function assertNothingHappened(
  server: TestServer,
  member: SocketClient,
  names: string[],
): Promise<void> {
  await member.write("/who\n");
  assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatWho(names));
  const late = await server.connect();
  assert.match(await late.readLine(), /^\*\*\* Welcome/);
  await late.write("/who\n");
  const who = await late.readLine();
  assert.ok(who.startsWith(NOTICE_PREFIX), `no history before the /who answer: ${who}`);
  late.close();
}

/** Sends `request` as its own client and reads the answer to the server's close. */
async function httpExchange(server: TestServer, request: string): Promise<string> {
  const client = await server.connect();
  await client.write(request);
  const answer = await client.readTextToEnd();
  client.close();
  // The server is done with it: nothing it could still announce.
  await server.logs.waitFor("info", new RegExp(`${client.peer}.*client disconnected`));
  return answer;
}

/** The answer's status line, headers and body (none for HEAD, though Content-Length counts it). */
function parseAnswer(
  answer: string,
  head = false,
): { status: string; headers: string[]; body: string } {
  const split = answer.indexOf("\r\n\r\n");
  assert.ok(split > 0, `a whole HTTP head: ${JSON.stringify(answer)}`);
  const [status, ...headers] = answer.slice(0, split).split("\r\n");
  const body = answer.slice(split + 4);
  const length = headers.find((header) => header.startsWith("Content-Length: "));
  assert.ok(length !== undefined, "a Content-Length");
  if (!head) assert.equal(Number(length.slice(16)), new TextEncoder().encode(body).length);
  return { status: status!, headers, body };
}

Deno.test("chat port: a curl-like request gets a plain-text 400 and is closed; the room sees nothing", async () => {
  await withServer({ mode: "chat", ...REAL }, async (server) => {
    const member = await ann(server);
    const answer = parseAnswer(await httpExchange(server, CURL_LIKE));
    assert.equal(answer.status, "HTTP/1.1 400 Bad Request");
    assert.ok(answer.headers.includes("Connection: close"));
    assert.ok(answer.headers.includes("Content-Type: text/plain; charset=utf-8"));
    assert.equal(answer.body, EN.chatHttpAnswer(null) + "\n");
    const log = server.logs.info.join("\n");
    assert.ok(!/received: (GET|Host|User-Agent)/.test(log), "no received lines of it in the log");
    assert.equal(server.logs.info.filter((line) => line.includes("HTTP request")).length, 1);
    assert.ok(!/guest2 (joined|left)/.test(log), "it never joined");
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test("chat port with --web: a GET is sent to the page on the web port, under the Host header's name", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  const page = `http://x:${web.port}/`;
  await withServer({ mode: "chat", web, ...REAL }, async (server) => {
    const member = await ann(server);
    const answer = parseAnswer(await httpExchange(server, CURL_LIKE.replace("x", "x:50000")));
    assert.equal(answer.status, "HTTP/1.1 302 Found");
    assert.ok(answer.headers.includes(`Location: ${page}`), answer.headers.join("\n"));
    assert.equal(answer.body, EN.chatHttpAnswer(page) + "\n");
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test("chat port with --web: without a Host header the address the client reached is used", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer({ mode: "chat", web, ...REAL }, async (server) => {
    const answer = parseAnswer(await httpExchange(server, "HEAD /x HTTP/1.0\r\n\r\n"), true);
    assert.equal(answer.status, "HTTP/1.1 302 Found");
    assert.ok(answer.headers.includes(`Location: http://127.0.0.1:${web.port}/`));
    assert.equal(answer.body, "", "no body for HEAD");
  });
});

Deno.test("chat port: a request head sent in pieces is still answered over HTTP", async () => {
  await withServer({ mode: "chat", ...REAL }, async (server) => {
    const member = await ann(server);
    const client = await server.connect();
    await client.write("POST /form HTTP/1.1\r\n");
    await client.write("Host: x\r\nContent-Length: 3\r\n\r\nabc");
    assert.match(await client.readTextToEnd(), /^HTTP\/1\.1 400 Bad Request\r\n/);
    client.close();
    await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test({
  name: "chat port: real curl gets the plain-text answer, and the room sees nothing",
  ignore: !(await hasCurl()),
  fn: async () => {
    await withServer({ mode: "chat", ...REAL }, async (server) => {
      const member = await ann(server);
      const curl = new Deno.Command("curl", {
        args: ["-sS", "-i", "--max-time", "5", `http://127.0.0.1:${server.port}/`],
        stdout: "piped",
        stderr: "piped",
      });
      const { code, stdout, stderr } = await curl.output();
      const text = new TextDecoder().decode(stdout);
      assert.equal(code, 0, new TextDecoder().decode(stderr));
      assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.ok(text.endsWith(EN.chatHttpAnswer(null) + "\n"), text);
      await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
      await assertNothingHappened(server, member, ["guest1"]);
    });
  },
});

Deno.test("chat port: a TLS handshake is closed with a log line; the room sees nothing", async () => {
  await withServer({ mode: "chat", ...REAL }, async (server) => {
    const member = await ann(server);
    const tls = await server.connect();
    // The first bytes of a ClientHello: a handshake record (22), TLS 1.0 record version, a length.
    await tls.write(new Uint8Array([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03]));
    assert.equal(await tls.readTextToEnd(), "", "closed without a word");
    tls.close();
    await server.logs.waitFor("info", /TLS handshake came to the plaintext chat port/);
    await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
    assert.ok(!/guest2/.test(server.logs.info.join("\n")), "it never joined");
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test({
  name: "chat port: real openssl s_client is closed, and the room sees nothing",
  ignore: !(await hasTool("openssl", "version")),
  fn: async () => {
    await withServer({ mode: "chat", ...REAL }, async (server) => {
      const member = await ann(server);
      const openssl = new Deno.Command("openssl", {
        args: ["s_client", "-connect", `127.0.0.1:${server.port}`],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      });
      const { code } = await openssl.output();
      assert.notEqual(code, 0, "the handshake failed");
      await server.logs.waitFor("info", /TLS handshake came to the plaintext chat port/);
      await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
      await assertNothingHappened(server, member, ["guest1"]);
    });
  },
});

Deno.test("chat: a connection that sends nothing and closes at once leaves no trace", async () => {
  await withServer({ mode: "chat", ...REAL }, async (server) => {
    const member = await ann(server);
    const spare = await server.connect();
    spare.close();
    await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test("chat: a member that leaves after its welcome but before it was announced leaves no trace", async () => {
  await withServer({ mode: "chat", ...NEVER_BY_TIME }, async (server) => {
    const member = await ann(server);
    const spare = await server.connect();
    assert.match(await spare.readLine(), /^\*\*\* Welcome to the chat, you are guest2/);
    spare.close();
    await server.logs.waitFor("info", /client disconnected \(1 connected\)/);
    await assertNothingHappened(server, member, ["guest1"]);
  });
});

Deno.test("chat: a member that stays silent is announced after joinAnnounceMs, its welcome long before", async () => {
  await withServer({ mode: "chat", ...REAL }, async (server) => {
    const member = await ann(server);
    const started = performance.now();
    const quiet = await server.connect();
    assert.match(await quiet.readLine(), /^\*\*\* Welcome to the chat, you are guest2/);
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    const waited = performance.now() - started;
    assert.ok(waited >= DEFAULT_JOIN_ANNOUNCE_MS - 50, `announced after ${waited} ms`);
    quiet.close();
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatLeft("guest2", null));
  });
});

Deno.test("chat: a member that says something at once is announced at once, before its line", async () => {
  await withServer({ mode: "chat", ...NEVER_BY_TIME }, async (server) => {
    const member = await ann(server);
    const talker = await server.connect();
    await talker.write("hello\n");
    assert.match(await talker.readLine(), /^\*\*\* Welcome to the chat, you are guest2/);
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    assert.equal(await member.readLine(), "[guest2] hello");
  });
});

Deno.test("chat: a line that only looks like HTTP after the first line is an ordinary line", async () => {
  await withServer({ mode: "chat", ...NEVER_BY_TIME }, async (server) => {
    const member = await ann(server);
    const talker = await server.connect();
    await talker.write("hello\nGET / HTTP/1.1\n");
    assert.equal(await member.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
    assert.equal(await member.readLine(), "[guest2] hello");
    assert.equal(await member.readLine(), "[guest2] GET / HTTP/1.1");
  });
});

async function hasCurl(): Promise<boolean> {
  return await hasTool("curl", "--version");
}

/** Whether `command` runs here (it answers `versionArg`). */
async function hasTool(command: string, versionArg: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(command, { args: [versionArg], stdout: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}
