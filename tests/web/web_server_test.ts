/**
 * The chat room's web port as a browser and an attacker see it, over real
 * sockets: the page and its headers, WebSocket members talking with TCP
 * members, the Origin check, and what a hostile client sends.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CONTENT_SECURITY_POLICY } from "../../lib/web/web_server.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { noticeFrame } from "../../lib/chat/chat_lines.ts";
import { LOOPBACK } from "../support/ports.ts";
import {
  ON_FREE_PORT,
  runScript,
  SERVER_SCRIPT,
  type ServerProcess,
} from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import {
  clientFrame,
  rawUpgrade,
  readCloseCode,
  startWebChatServer,
  WebChatClient,
  type WebChatServer,
} from "../support/web_helpers.ts";

const decoder = new TextDecoder();

async function withWebChat(
  args: readonly string[],
  body: (chat: WebChatServer) => Promise<void>,
): Promise<void> {
  const chat = await startWebChatServer(args);
  try {
    await body(chat);
  } finally {
    const stopped = await chat.server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
}

/**
 * A server with a TCP member (guest1) and then a browser member (guest2) in
 * the room, the welcomes and the join notice read; both closed afterwards.
 */
async function withTcpAndBrowser(
  args: readonly string[],
  body: (tcp: SocketClient, web: WebChatClient, server: ServerProcess) => Promise<void>,
): Promise<void> {
  await withWebChat(args, async ({ server, webPort }) => {
    const tcp = await SocketClient.connect(server.port);
    try {
      // A line at once (an empty one, which the room ignores): welcomed and announced now.
      await tcp.write("\n");
      await tcp.readLine();
      const web = await WebChatClient.connect(webPort);
      try {
        await web.nextLine();
        assert.equal(await tcp.readLine(), "*** guest2 joined");
        await body(tcp, web, server);
      } finally {
        await web.close();
      }
    } finally {
      tcp.close();
    }
  });
}

async function get(port: number, path: string, init?: RequestInit): Promise<Response> {
  return await fetch(`http://${LOOPBACK}:${port}${path}`, init);
}

Deno.test("--web 0: a second ready line with the page's address; the page, its script and style with a strict CSP", async () => {
  await withWebChat([], async ({ webLine, webPort }) => {
    assert.equal(webLine, `Web page at http://${LOOPBACK}:${webPort}/`);
    for (
      const [path, type] of [
        ["/", "text/html"],
        ["/chat.js", "text/javascript"],
        ["/chat.css", "text/css"],
      ]
    ) {
      const response = await get(webPort, path!);
      const body = await response.text();
      assert.equal(response.status, 200, path);
      assert.ok(response.headers.get("content-type")?.startsWith(type!), path);
      assert.equal(response.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
      assert.ok(body.length > 0);
    }
    const missing = await get(webPort, "/etc/passwd");
    await missing.body?.cancel();
    assert.equal(missing.status, 404);
    const posted = await get(webPort, "/", { method: "POST", body: "x" });
    await posted.body?.cancel();
    assert.equal(posted.status, 405);
  });
});

Deno.test("a browser member and a TCP member talk: welcome, who is here, lines both ways, /msg, /nick, leaving", async () => {
  await withWebChat([], async ({ server, webPort }) => {
    const web = await WebChatClient.connect(webPort);
    assert.match(await web.nextLine(), /^\*\*\* .*guest1/);
    await web.rosterWhere((roster) => roster.you === "guest1");
    const tcp = await SocketClient.connect(server.port);
    try {
      assert.match(
        await tcp.readLine(),
        /^\*\*\* .*guest2.*guest1/,
        "the welcome names the browser",
      );
      assert.equal(await web.nextLine(), "*** guest2 joined");
      await web.rosterWhere((roster) => roster.members.join() === "guest1,guest2");
      await tcp.write("hello from tcp\n");
      assert.equal(await web.nextLine(), "[guest2] hello from tcp");
      web.send("hello from the browser");
      assert.equal(await tcp.readLine(), "[guest1] hello from the browser");
      assert.equal(await web.nextLine(), "[guest1] hello from the browser", "its own line back");
      web.send("/msg guest2 psst");
      assert.equal(await tcp.readLine(), "[guest1 -> guest2] psst");
      assert.equal(await web.nextLine(), "[guest1 -> guest2] psst", "the sender's confirmation");
      web.send("/me waves");
      assert.equal(await tcp.readLine(), "* guest1 waves");
      assert.equal(await web.nextLine(), "* guest1 waves");
      assert.deepEqual(web.ownLines, [
        "[guest1] hello from the browser",
        "[guest1 -> guest2] psst",
        "* guest1 waves",
      ]);
      web.send("/nick ann");
      assert.equal(await tcp.readLine(), "*** guest1 is now ann");
      await web.rosterWhere((roster) => roster.you === "ann");
      await web.close();
      assert.equal(await tcp.readLine(), "*** ann left");
    } finally {
      tcp.close();
    }
  });
});

Deno.test("the WebSocket upgrade takes no Origin or the page's own, and refuses another site's", async () => {
  await withWebChat([], async ({ webPort }) => {
    const own = await rawUpgrade(webPort, { Origin: `http://${LOOPBACK}:${webPort}` });
    own.conn.close();
    assert.match(own.head, /^HTTP\/1\.1 101/);
    const none = await rawUpgrade(webPort);
    none.conn.close();
    assert.match(none.head, /^HTTP\/1\.1 101/);
    const foreign = await rawUpgrade(webPort, { Origin: "http://evil.example" });
    foreign.conn.close();
    assert.match(foreign.head, /^HTTP\/1\.1 403/);
  });
});

Deno.test("a binary message ends the browser member (1003); the others hear it left", async () => {
  await withTcpAndBrowser([], async (tcp, web) => {
    web.socket.send(new Uint8Array([1, 2, 3]));
    assert.equal((await web.closed).code, 1003);
    assert.equal(await tcp.readLine(), "*** guest2 left (connection lost)");
  });
});

Deno.test("--max-line holds for browsers: a longer message gets the error line and close 1009", async () => {
  await withTcpAndBrowser(["--max-line", "10"], async (tcp, web) => {
    web.send("x".repeat(11));
    assert.match(await web.nextLine(), /^\*\*\* .*10/);
    assert.equal((await web.closed).code, 1009);
    assert.equal(await tcp.readLine(), "*** guest2 left (line too long)");
  });
});

Deno.test("--max-conns counts browsers and TCP clients together", async () => {
  await withWebChat(["--max-conns", "1"], async ({ server, webPort }) => {
    const tcp = await SocketClient.connect(server.port);
    try {
      await tcp.readLine();
      const web = await WebChatClient.connect(webPort);
      assert.match(await web.nextLine(), /^\*\*\* .*1/);
      assert.equal((await web.closed).code, 1013);
    } finally {
      tcp.close();
    }
  });
});

Deno.test("invalid UTF-8, HTTP garbage and a huge frame on the web port: clear closes, and the room goes on", async () => {
  await withWebChat([], async ({ server, webPort }) => {
    const tcp = await SocketClient.connect(server.port);
    try {
      await tcp.readLine();
      // Invalid UTF-8 in a text frame: the protocol's answer is close code 1007.
      const bad = await rawUpgrade(webPort);
      await bad.conn.write(clientFrame(1, new Uint8Array([0x68, 0xff, 0xfe])));
      const code = await readCloseCode(bad.conn, bad.rest);
      bad.conn.close();
      assert.ok(code === 1007 || code === null, `close code ${code}`);
      // Not HTTP at all.
      const garbage = await Deno.connect({ hostname: LOOPBACK, port: webPort });
      await garbage.write(new TextEncoder().encode("\x00\x01\x02 hello?\r\n\r\n"));
      const answer = new Uint8Array(256);
      const n = await garbage.read(answer).catch(() => null);
      garbage.close();
      if (n !== null) {
        assert.match(new TextDecoder().decode(answer.subarray(0, n)), /^HTTP\/1\.1 4/);
      }
      // A 2 MB text frame: longer than any line may be.
      const huge = await WebChatClient.connect(webPort);
      await huge.nextLine();
      huge.send("y".repeat(2_000_000));
      assert.equal((await huge.closed).code, 1009);
      // The room is still fine.
      const other = await SocketClient.connect(server.port);
      try {
        await other.readLine();
        await other.write("still here\n");
        let line = await tcp.readLine();
        while (line.startsWith("*** ")) line = await tcp.readLine(); // joins and leaves
        assert.match(line, /^\[guest\d\] still here$/);
      } finally {
        other.close();
      }
    } finally {
      tcp.close();
    }
  });
});

Deno.test("at shutdown a browser member is told the server stops and the socket closes with 1001", async () => {
  const chat = await startWebChatServer();
  let web: WebChatClient | undefined;
  try {
    web = await WebChatClient.connect(chat.webPort);
    await web.nextLine();
  } finally {
    const stopped = await chat.server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
  assert.equal(await web.nextLine(), "*** server shutting down");
  assert.equal((await web.closed).code, 1001);
});

Deno.test("server.ts --web: refused outside chat mode (exit 2); a web port in use names a free one (exit 1)", async () => {
  const reply = await runScript(SERVER_SCRIPT, [...ON_FREE_PORT, "--web", "0"]);
  assert.equal(reply.code, 2);
  assert.match(reply.stderr, /--web applies to chat mode only/);
  const taken = Deno.listen({ hostname: LOOPBACK, port: 0 });
  try {
    const result = await runScript(SERVER_SCRIPT, [
      ...ON_FREE_PORT,
      "--mode",
      "chat",
      "--web",
      String(taken.addr.port),
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /already in use \(try --web \d+, which is free\)/);
  } finally {
    taken.close();
  }
});

Deno.test("--rate holds for browsers: lines past the burst wait their turn, none lost, in order", async () => {
  await withTcpAndBrowser(["--rate", "20"], async (tcp, web) => {
    const started = performance.now();
    for (let i = 0; i < 80; i++) web.send(`line ${i}`); // a burst of 60, then 20 a second
    for (let i = 0; i < 80; i++) assert.equal(await tcp.readLine(), `[guest2] line ${i}`);
    // The 20 past the burst needed about a second of tokens: they were held back, not dropped.
    assert.ok(performance.now() - started >= 700, "the lines past the burst were paced");
  });
});

Deno.test("--rate tells a flooding browser once, while its lines still wait, how fast it may send", async () => {
  const rate = 50; // a burst of 150 lines
  const slowDown = new TextDecoder().decode(noticeFrame(CHAT_TEXTS.en.chatSlowDown(rate)))
    .trimEnd();
  await withTcpAndBrowser(["--rate", String(rate)], async (tcp, web) => {
    const count = 200; // 50 past the burst: a second held
    let all = false;
    const heard = tcp.readLines(count).finally(() => all = true);
    for (let i = 0; i < count; i++) web.send(`line ${i}`);
    // The page's own lines come back as they are handed to the room: the burst, then the notice.
    const notOwn = async () => {
      let line = await web.nextLine();
      while (line.startsWith("[guest2] line ")) line = await web.nextLine();
      return line;
    };
    assert.equal(await notOwn(), slowDown);
    assert.ok(!all, "the notice came while the page's lines were still held");
    assert.deepEqual(await heard, Array.from({ length: count }, (_, i) => `[guest2] line ${i}`));
    // The page's next line not its own is the TCP member's: no second notice came in between.
    await tcp.write("done\n");
    assert.equal(await notOwn(), "[guest1] done");
  });
});

Deno.test("a browser that queues more than --max-backlog of lines past its rate is dropped for flooding", async () => {
  await withTcpAndBrowser(["--rate", "1", "--max-backlog", "1000"], async (tcp, web) => {
    for (let i = 0; i < 40; i++) web.send(`${i} ${"z".repeat(60)}`);
    await web.closed; // with 1008, or without a code when the page was still sending
    let line = await tcp.readLine();
    while (line.startsWith("[guest2] ")) line = await tcp.readLine(); // the burst got through
    assert.equal(line, "*** guest2 left (flooding)");
  });
});

Deno.test("the flooding bound counts bytes, not characters: Chinese lines reach it three times sooner", async () => {
  await withTcpAndBrowser(["--rate", "1", "--max-backlog", "1000"], async (tcp, web) => {
    // 12 lines of 40 characters: 480 characters but 1,440 bytes waiting past the burst.
    for (let i = 0; i < 12; i++) web.send(`${String(i).padStart(2, "0")}${"好".repeat(38)}`);
    await web.closed;
    let line = await tcp.readLine();
    while (line.startsWith("[guest2] ")) line = await tcp.readLine(); // the burst got through
    assert.equal(line, "*** guest2 left (flooding)");
  });
});

Deno.test("the too-slow bound counts a browser's unsent bytes, not characters: a Chinese line of 623 bytes passes --max-backlog 600", async () => {
  await withTcpAndBrowser(["--max-backlog", "600"], async (tcp, web) => {
    // 100 characters, 323 bytes as the page's message: within the bound.
    const fits = "好".repeat(100);
    await tcp.write(`${fits}\n`);
    assert.equal(await web.nextLine(), `[guest1] ${fits}`);
    // 200 characters: 223 UTF-16 units as a message, but 623 bytes, which is what the socket
    // holds unsent (its bufferedAmount counts bytes): past the bound, so the page is dropped.
    await tcp.write(`${"好".repeat(200)}\n`);
    assert.equal((await web.closed).code, 1008);
    assert.equal(await tcp.readLine(), "*** guest2 left (too slow)");
  });
});

Deno.test("--idle-timeout holds for browsers: a silent page is told and closed, and the room hears it left", async () => {
  const chat = await startWebChatServer(["--idle-timeout", "0.5"]);
  try {
    const web = await WebChatClient.connect(chat.webPort);
    assert.match(await web.nextLine(), /^\*\*\* .*guest1/);
    assert.match(await web.nextLine(), /^\*\*\* .*0\.5/);
    assert.equal((await web.closed).code, 1000);
  } finally {
    const stopped = await chat.server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /guest1 left \(idle\)/);
  }
});

Deno.test("the log says who sent a browser's /msg to whom, never its text", async () => {
  await withTcpAndBrowser([], async (tcp, web, server) => {
    web.send("/msg guest1 悄悄话 secret");
    web.send("in the open");
    assert.equal(await tcp.readLine(), "[guest2 -> guest1] 悄悄话 secret");
    assert.equal(await tcp.readLine(), "[guest2] in the open");
    // Logged in order: once the last line is in the log, the /msg's line is too.
    await server.stdout.waitFor(/\] received: in the open$/);
    const log = server.stdout.text;
    assert.ok(!log.includes("secret"), log);
    assert.match(log, /\[web [^\]]+\] private message from guest2 to guest1 /);
  });
});

Deno.test("/quit from a browser: a last server line, then a normal close", async () => {
  await withWebChat([], async ({ webPort }) => {
    const web = await WebChatClient.connect(webPort);
    await web.nextLine(); // the welcome
    web.send("/quit");
    assert.equal(
      await web.nextLine(),
      decoder.decode(noticeFrame(CHAT_TEXTS.en.chatBye)).trimEnd(),
    );
    assert.equal((await web.closed).code, 1000);
  });
});
