/**
 * `serve()` over real sockets: reply-mode framing and templates, echo mode,
 * half-close, many clients at once, shutdown, IPv6. Limits and abuse are in
 * server_core_limits_test.ts.
 */

import assert from "node:assert/strict";
import { bytes, sha256Hex } from "../support/bytes.ts";
import { canListenOn } from "../support/ports.ts";
import { withServer } from "../support/socket_helpers.ts";
import { WebChatClient } from "../support/web_helpers.ts";
import { WebServer } from "../../lib/web/web_server.ts";
import { TEXTS } from "../../lib/text/texts.ts";

const encoder = new TextEncoder();
const GOODBYE = "Server shutting down, goodbye";

Deno.test("serve() answers each line with the default template and counts it", async () => {
  const sent = "good boy\nfirst\nsecond\n好男孩\n";
  const stats = await withServer({}, async (server) => {
    const client = await server.connect();
    await client.write("good boy\n");
    assert.equal(await client.readLine(), "Server received: good boy");
    await client.write("first\nsecond\n好男孩\n"); // several messages in one write
    assert.deepEqual(await client.readLines(3), [
      "Server received: first",
      "Server received: second",
      "Server received: 好男孩",
    ]);
    assert.equal(await client.finish(), "");
    await server.logs.waitFor("info", /client disconnected \(0 connected\)$/);
    assert.ok(server.logs.info.includes(`[${client.peer}] received: 好男孩`));
  });
  assert.equal(stats.connections, 1);
  assert.equal(stats.messages, 4);
  assert.equal(stats.bytesIn, encoder.encode(sent).length);
  assert.equal(stats.bytesOut, encoder.encode(sent).length + 4 * "Server received: ".length);
});

Deno.test("serve() answers 50 concurrent clients, 20 interleaved messages each, exactly", async () => {
  const clientCount = 50;
  const messageCount = 20;
  let bytesIn = 0;
  let bytesOut = 0;
  const stats = await withServer({ quiet: true }, async (server) => {
    const clients = await Promise.all(Array.from({ length: clientCount }, () => server.connect()));
    await Promise.all(clients.map(async (client, c) => {
      const messages = Array.from(
        { length: messageCount },
        (_, m) => `client ${c} message ${m} 好`,
      );
      const writeAll = async () => {
        // Writes of one, two or three messages, so clients' writes and reads interleave.
        for (let m = 0; m < messageCount;) {
          const batch = messages.slice(m, m + 1 + (m + c) % 3);
          m += batch.length;
          const chunk = encoder.encode(batch.map((text) => text + "\n").join(""));
          bytesIn += chunk.length;
          await client.write(chunk);
        }
      };
      const [replies] = await Promise.all([client.readLines(messageCount, 20_000), writeAll()]);
      const expected = messages.map((text) => `Server received: ${text}`);
      assert.deepEqual(replies, expected);
      bytesOut += encoder.encode(expected.join("\n") + "\n").length;
      assert.equal(await client.finish(), "");
    }));
  });
  assert.equal(stats.connections, clientCount);
  assert.equal(stats.messages, clientCount * messageCount);
  assert.equal(stats.bytesIn, bytesIn);
  assert.equal(stats.bytesOut, bytesOut);
});

Deno.test('serve() drops "\\r" only before "\\n" and answers an empty line', async () => {
  await withServer({}, async (server) => {
    const client = await server.connect();
    await client.write("hello\r\n\n\r\na\rb\n");
    assert.deepEqual(await client.readLines(4), [
      "Server received: hello",
      "Server received: ",
      "Server received: ",
      "Server received: a\rb",
    ]);
    assert.equal(await client.finish(), "");
  });
});

Deno.test("serve() replies to invalid UTF-8 with U+FFFD and keeps NUL bytes", async () => {
  await withServer({}, async (server) => {
    const client = await server.connect();
    await client.write(bytes("a", [0xff], "b", [0x00], "c\n"));
    assert.equal(await client.readLine(), "Server received: a\uFFFDb\u0000c");
    await client.write(bytes([0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xe5, 0xa5, 0x0a]));
    assert.equal(
      await client.readLine(),
      "Server received: \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD \uFFFD",
    );
    assert.equal(await client.finish(), "");
    const logged = await server.logs.waitFor("info", /received: a/);
    assert.equal(logged, `[${client.peer}] received: a\uFFFDb\\x00c`);
  });
});

Deno.test("serve() fills every {msg} of a custom template", async () => {
  await withServer({ replyTemplate: "<{msg}> and again <{msg}>, no more" }, async (server) => {
    const client = await server.connect();
    await client.write("ping\n好\n");
    assert.deepEqual(await client.readLines(2), [
      "<ping> and again <ping>, no more",
      "<好> and again <好>, no more",
    ]);
    assert.equal(await client.finish(), "");
  });
});

Deno.test("serve() answers every line when one read's replies are far larger than the read", async () => {
  const template = "{msg}" + "x".repeat(200); // 202 bytes of reply for each 2-byte line
  await withServer({ replyTemplate: template, quiet: true }, async (server) => {
    const client = await server.connect();
    const lines = 30_000; // 60 KB in, 6 MB of replies: written in parts as they are framed
    const writing = client.write("a\n".repeat(lines));
    const replies = await client.readBytes(lines * 202, 30_000);
    await writing;
    const expected = new TextEncoder().encode(("a" + "x".repeat(200) + "\n").repeat(lines));
    assert.equal(replies.length, expected.length);
    assert.ok(replies.every((byte, i) => byte === expected[i]), "replies differ");
    assert.equal(await client.finish(), "");
  });
});

Deno.test('serve() with lang "zh" replies with the tutorial\'s Chinese template', async () => {
  await withServer({ lang: "zh" }, async (server) => {
    const client = await server.connect();
    await client.write("好男孩\ngood boy\n");
    assert.deepEqual(await client.readLines(2), [
      "服务端接收到的信息为：好男孩",
      "服务端接收到的信息为：good boy",
    ]);
    assert.equal(await client.finish(), "");
  });
});

Deno.test("serve() keeps a character split across two writes whole, at every split", async () => {
  await withServer({}, async (server) => {
    const client = await server.connect();
    client.conn.setNoDelay(true); // each write its own segment, so reads may split there
    for (const char of ["é", "好", "😀"]) {
      const whole = encoder.encode(char + "\n");
      for (let cut = 1; cut < whole.length - 1; cut++) {
        await client.write(whole.subarray(0, cut));
        await client.write(whole.subarray(cut));
        assert.equal(await client.readLine(), `Server received: ${char}`, `${char} cut at ${cut}`);
      }
    }
    assert.equal(await client.finish(), "");
  });
});

Deno.test("serve() keeps a split character whole when an idle flush comes between", async () => {
  await withServer({}, async (server) => {
    const client = await server.connect();
    client.conn.setNoDelay(true);
    const good = encoder.encode("好"); // e5 a5 bd
    await client.write(bytes("ab", [...good.subarray(0, 2)]));
    // The reply to "ab" proves the quiet moment passed with two bytes of 好 pending.
    assert.equal(await client.readLine(2000), "Server received: ab");
    await client.write(bytes([...good.subarray(2)], "\n"));
    assert.equal(await client.readLine(), "Server received: 好");
    assert.equal(await client.finish(), "");
  });
});

Deno.test("serve() answers unterminated text after a quiet moment and keeps the connection open", async () => {
  const stats = await withServer({}, async (server) => {
    const client = await server.connect();
    await client.write("good boy");
    assert.equal(await client.readLine(2000), "Server received: good boy");
    await client.write("again\n");
    assert.equal(await client.readLine(), "Server received: again");
    assert.equal(await client.finish(), "");
  });
  assert.equal(stats.messages, 2);
});

Deno.test("serve() answers every message, the unterminated last one too, before closing on a half-close", async () => {
  await withServer({}, async (server) => {
    const words = await server.connect();
    const split = await server.connect();
    await words.write("one\ntwo\r\nthree");
    // Two bytes of 好 and then FIN: the unfinished character is one U+FFFD.
    await split.write(bytes("好\n", [0xe5, 0xa5]));
    const [wordsRest, splitRest] = await Promise.all([words.finish(), split.finish()]);
    assert.equal(
      wordsRest,
      "Server received: one\nServer received: two\nServer received: three\n",
    );
    assert.equal(splitRest, "Server received: 好\nServer received: \uFFFD\n");
  });
});

Deno.test("serve() with strictLines answers unterminated text only when its newline comes, however long the pause", async () => {
  const stats = await withServer({ strictLines: true }, async (strict) => {
    // A server without strictLines, as a clock: each reply it sends to unterminated text
    // means another idle flush delay (50 ms) has passed, for it and for the strict server.
    await withServer({}, async (clock) => {
      const client = await strict.connect();
      const ticker = await clock.connect();
      await client.write("abc");
      for (const word of ["one", "two", "three", "four"]) {
        await ticker.write(word);
        assert.equal(await ticker.readLine(2000), `Server received: ${word}`);
      }
      // An idle flush would have sent "abc" on its own by now; this reply would come second.
      await client.write("def\n");
      assert.equal(await client.readLine(), "Server received: abcdef");
      assert.equal(await ticker.finish(), "");
      // Closing its side still ends the last message.
      await client.write("ghi");
      assert.equal(await client.finish(), "Server received: ghi\n");
    });
  });
  assert.equal(stats.messages, 2);
});

Deno.test("serve() with strictLines still closes a client whose unterminated text passes maxLineBytes", async () => {
  await withServer({ strictLines: true, maxLineBytes: 8 }, async (server) => {
    const client = await server.connect();
    await client.write("0123456789"); // 10 bytes: a 9th might yet be the "\r" of "\r\n"
    assert.equal(
      await client.readLine(),
      "Message too long: the limit is 8 bytes, closing the connection",
    );
    assert.equal(await client.readTextToEnd(), "");
  });
});

Deno.test("serve() closes a client that pauses after maxLineBytes + 1 bytes without a newline, and serves on", async () => {
  await withServer({ maxLineBytes: 8 }, async (server) => {
    const client = await server.connect();
    // 9 bytes are held (the 9th might be the "\r" of "\r\n") until the idle flush finds they
    // are one line, too long.
    await client.write("012345678");
    assert.equal(
      await client.readLine(),
      "Message too long: the limit is 8 bytes, closing the connection",
    );
    assert.equal(await client.readTextToEnd(), "");
    const next = await server.connect();
    await next.write("still up\n");
    assert.equal(await next.readLine(), "Server received: still up");
  });
});

Deno.test("serve() in echo mode sends back 8 MiB of random bytes unchanged, then closes after a half-close", async () => {
  const size = 8 * 1024 * 1024;
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(data.subarray(offset, offset + 65536));
  }
  const stats = await withServer({ mode: "echo", quiet: true }, async (server) => {
    const client = await server.connect();
    const send = async () => {
      for (let offset = 0; offset < size; offset += 256 * 1024) {
        await client.write(data.subarray(offset, offset + 256 * 1024));
      }
      await client.conn.closeWrite();
    };
    const [echoed] = await Promise.all([client.readToEnd(10_000), send()]);
    assert.equal(echoed.length, size);
    assert.equal(await sha256Hex(echoed), await sha256Hex(data));
  });
  assert.equal(stats.bytesIn, size);
  assert.equal(stats.bytesOut, size);
  assert.equal(stats.messages, 0);
});

Deno.test("serve() shutdown tells reply clients goodbye, closes them, stops accepting and resolves with the counters", async () => {
  let port = 0;
  const stats = await withServer({}, async (server) => {
    port = server.port;
    const first = await server.connect();
    const second = await server.connect();
    await first.write("from first\n");
    await second.write("from second\n");
    assert.equal(await first.readLine(), "Server received: from first");
    assert.equal(await second.readLine(), "Server received: from second");
    const stopped = server.stop(2000);
    for (const client of [first, second]) {
      assert.equal(await client.readLine(), GOODBYE);
      assert.equal(await client.readTextToEnd(), "");
    }
    await stopped;
    assert.deepEqual(server.logs.errors, []);
  });
  await assert.rejects(
    Deno.connect({ hostname: "127.0.0.1", port }),
    Deno.errors.ConnectionRefused,
  );
  assert.equal(stats.connections, 2);
  assert.equal(stats.rejected, 0);
  assert.equal(stats.messages, 2);
  assert.equal(stats.bytesIn, "from first\nfrom second\n".length);
  assert.equal(
    stats.bytesOut,
    "Server received: from first\nServer received: from second\n".length +
      2 * (GOODBYE.length + 1),
  );
});

Deno.test("serve() shutdown closes echo clients without sending any text", async () => {
  const stats = await withServer({ mode: "echo" }, async (server) => {
    const client = await server.connect();
    await client.write("abc");
    assert.deepEqual(await client.readBytes(3), encoder.encode("abc"));
    const stopped = server.stop(2000);
    assert.equal(await client.readTextToEnd(), "");
    await stopped;
  });
  assert.equal(stats.connections, 1);
  assert.equal(stats.bytesIn, 3);
  assert.equal(stats.bytesOut, 3);
});

Deno.test({
  name: "serve() on ::1 replies over IPv6 and logs the peer address",
  ignore: !canListenOn("::1"), // no IPv6 loopback on this machine
  fn: async () => {
    const stats = await withServer({ hostname: "::1" }, async (server) => {
      const client = await server.connect();
      assert.equal(client.conn.remoteAddr.hostname, "::1");
      await client.write("over IPv6\n");
      assert.equal(await client.readLine(), "Server received: over IPv6");
      assert.equal(await client.finish(), "");
      assert.match(client.peer, /^\[::1\]:\d+$/);
      // The address is bracketed once, as "[::1]:port", not "[[::1]:port]".
      await server.logs.waitFor("info", new RegExp(`^${RegExp.escape(client.peer)} received`));
    });
    assert.equal(stats.messages, 1);
  },
});

Deno.test("serve() with --web: every connect and disconnect line counts TCP clients and browsers together", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer({ mode: "chat", web }, async (server) => {
    const logged = (peer: string, text: string) =>
      server.logs.waitFor("info", new RegExp(`^${RegExp.escape(`[${peer}] ${text}`)}$`));
    const first = await server.connect();
    await first.readLine();
    await logged(first.peer, TEXTS.en.clientConnected(1));
    const browser = await WebChatClient.connect(web.port);
    await browser.nextLine();
    await server.logs.waitFor("info", /^\[web [^\]]+\] client connected \(2 connected\)$/);
    const second = await server.connect();
    await second.readLine();
    await logged(second.peer, TEXTS.en.clientConnected(3));
    first.close();
    await logged(first.peer, TEXTS.en.clientDisconnected(2));
    await browser.close();
    await server.logs.waitFor("info", /^\[web [^\]]+\] client disconnected \(1 connected\)$/);
    second.close();
    await logged(second.peer, TEXTS.en.clientDisconnected(0));
  });
});
