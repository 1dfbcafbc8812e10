/**
 * `serve()` with limits per address, over real sockets: `--max-per-address`
 * in every mode (TCP and the web door counting together), the count released
 * on every way a connection ends, `--max-joins-per-minute`, `--trust`, and
 * `--allow`/`--deny` at the TCP port and the web port. Loopback is exempt
 * from the limits, so these tests turn that off through `serve()`'s
 * `exemptLoopback` (the command line cannot), and connect from 127.0.0.1.
 */

import assert from "node:assert/strict";
import { NOTICE_PREFIX, TEXTS } from "../../lib/text/texts.ts";
import { WebServer } from "../../lib/web/web_server.ts";
import { parseAddressRange } from "../../lib/stream/address_range.ts";
import { SocketClient, type TestServer, withServer } from "../support/socket_helpers.ts";
import { OTHER_ADDRESS, startOtherAddressProxy } from "../support/other_address_proxy.ts";
import { hasPython } from "../support/processes.ts";
import { canListenOn } from "../support/ports.ts";
import { rawUpgrade, WebChatClient } from "../support/web_helpers.ts";
import type { ServerMode } from "../../lib/settings/server_mode.ts";

const EN = TEXTS.en;
const python = await hasPython();

/** The greppable log line of a refusal of `client`. */
function refusedLine(client: SocketClient, reason: string): RegExp {
  return new RegExp(`^${RegExp.escape(`refused ${client.peer}: ${reason}`)}$`);
}

/** Waits until the server has seen `client` go. */
async function gone(server: TestServer, client: SocketClient): Promise<void> {
  await server.logs.waitFor(
    "info",
    new RegExp(`^\\[${RegExp.escape(client.peer)}\\] client disconnected`),
  );
}

/** A client that is served: reply mode answers it, chat mode welcomes it, echo mode echoes. */
async function assertServed(client: SocketClient, mode: ServerMode): Promise<void> {
  await client.write("hi\n");
  const line = await client.readLine();
  if (mode === "reply") assert.equal(line, "Server received: hi");
  else if (mode === "echo") assert.equal(line, "hi");
  else assert.ok(line.startsWith(NOTICE_PREFIX + "Welcome"), line);
}

for (const mode of ["reply", "echo", "chat"] as const) {
  Deno.test(`serve() --mode ${mode} with maxPerAddress sends the N+1th connection from one address a line, closes it and logs it`, async () => {
    const stats = await withServer(
      { mode, maxPerAddress: 2, exemptLoopback: false },
      async (server) => {
        const first = await server.connect();
        const second = await server.connect();
        await assertServed(first, mode);
        await assertServed(second, mode);
        const third = await server.connect();
        const line = EN.tooManyFromAddress(2);
        assert.equal(
          await third.readTextToEnd(),
          (mode === "chat" ? NOTICE_PREFIX : "") + line + "\n",
        );
        await server.logs.waitFor("info", refusedLine(third, EN.tooManyFromAddressReason(2)));
        assert.equal(
          EN.refusedLog("127.0.0.1:5", EN.tooManyFromAddressReason(2)),
          "refused 127.0.0.1:5: too many connections from this address (2, --max-per-address)",
        );
        first.close();
        await gone(server, first);
        const fourth = await server.connect();
        await assertServed(fourth, mode);
      },
    );
    assert.equal(stats.rejected, 1);
  });
}

Deno.test("serve() releases an address's count on every way a connection ends", async () => {
  await withServer(
    { maxPerAddress: 1, exemptLoopback: false, maxLineBytes: 8, idleTimeoutMs: 300 },
    async (server) => {
      const ways: [string, (client: SocketClient) => Promise<void>][] = [
        ["the client closes", (client) => Promise.resolve(client.close())],
        ["the client half-closes", async (client) => void await client.finish()],
        ["a line over --max-line", async (client) => {
          await client.write("x".repeat(20) + "\n");
          await client.readTextToEnd();
        }],
        ["--idle-timeout", async (client) => void await client.readTextToEnd()],
        ["a reset", async (client) => {
          // A reply left unread in the client's buffer makes its close a reset.
          await client.write("one\ntwo\n");
          await client.readLine();
          client.close();
        }],
      ];
      for (const [way, end] of ways) {
        const client = await server.connect();
        await assertServed(client, "reply");
        const over = await server.connect();
        assert.equal(await over.readTextToEnd(), EN.tooManyFromAddress(1) + "\n", way);
        await end(client);
        await gone(server, client);
        const next = await server.connect();
        await assertServed(next, "reply"); // served: the count was released
        next.close();
        await gone(server, next);
      }
    },
  );
});

Deno.test("serve() with maxJoinsPerMinute refuses the connection past the burst, with its line and log", async () => {
  const stats = await withServer(
    { mode: "chat", maxJoinsPerMinute: 3, exemptLoopback: false },
    async (server) => {
      for (let i = 0; i < 3; i++) {
        const client = await server.connect();
        await assertServed(client, "chat");
        client.close();
        await gone(server, client);
      }
      const fourth = await server.connect();
      assert.equal(await fourth.readTextToEnd(), NOTICE_PREFIX + EN.tooManyJoins(3) + "\n");
      await server.logs.waitFor("info", refusedLine(fourth, EN.tooManyJoinsReason(3)));
    },
  );
  assert.equal(stats.rejected, 1);
  assert.equal(stats.connections, 3);
});

/** Connects `count` clients through `proxy` (from 127.0.0.2) and keeps them open. */
async function connectVia(proxy: { port: number }, count: number): Promise<SocketClient[]> {
  const clients = [];
  for (let i = 0; i < count; i++) clients.push(await SocketClient.connect(proxy.port));
  return clients;
}

Deno.test({
  name:
    "serve() exempts loopback (127.0.0.0/8) by default, and --trust ranges, from both limits; others are held to them",
  ignore: !python,
  fn: async () => {
    const cases = [
      { options: { exemptLoopback: true }, otherRefused: false },
      {
        options: { exemptLoopback: false, trust: [parseAddressRange("127.0.0.1/32")!] },
        otherRefused: true,
      },
    ];
    for (const { options, otherRefused } of cases) {
      await withServer({ maxPerAddress: 1, maxJoinsPerMinute: 2, ...options }, async (server) => {
        const proxy = await startOtherAddressProxy(server.port);
        const others = await connectVia(proxy, 1);
        try {
          const clients = [];
          for (let i = 0; i < 4; i++) clients.push(await server.connect()); // from 127.0.0.1
          for (const client of clients) await assertServed(client, "reply");
          await assertServed(others[0]!, "reply"); // served before the next ones connect
          others.push(...await connectVia(proxy, 2));
          for (const other of others.slice(1)) {
            if (!otherRefused) await assertServed(other, "reply");
            else assert.equal(await other.readTextToEnd(), EN.tooManyFromAddress(1) + "\n");
          }
          if (otherRefused) {
            await server.logs.waitFor(
              "info",
              new RegExp(`^refused ${OTHER_ADDRESS}:\\d+: too many`),
            );
          }
        } finally {
          for (const other of others) other.close();
          await proxy.stop();
        }
      });
    }
  },
});

Deno.test("serve() with --deny closes a denied client at once without a word, and logs it", async () => {
  const deny = [parseAddressRange("127.0.0.1")!];
  for (const mode of ["reply", "chat"] as const) {
    const stats = await withServer({ mode, deny }, async (server) => {
      const client = await server.connect();
      assert.equal(await client.readTextToEnd(), "");
      await server.logs.waitFor("info", refusedLine(client, EN.addressDeniedReason));
    });
    assert.equal(stats.rejected, 1);
    assert.equal(stats.connections, 0);
  }
});

Deno.test("serve() with --allow lets only its ranges in; --deny wins over it", async () => {
  const allow = [parseAddressRange("127.0.0.0/8")!];
  await withServer({ allow }, async (server) => {
    await assertServed(await server.connect(), "reply");
  });
  await withServer({ allow: [parseAddressRange("10.0.0.0/8")!] }, async (server) => {
    assert.equal(await (await server.connect()).readTextToEnd(), "");
  });
  await withServer({ allow, deny: [parseAddressRange("127.0.0.1/32")!] }, async (server) => {
    assert.equal(await (await server.connect()).readTextToEnd(), "");
  });
});

Deno.test("serve() in Chinese logs a refusal in the fixed form with the Chinese reason", async () => {
  await withServer({ lang: "zh", maxPerAddress: 1, exemptLoopback: false }, async (server) => {
    const first = await server.connect();
    await first.write("hi\n");
    await first.readLine();
    const second = await server.connect();
    assert.equal(await second.readTextToEnd(), TEXTS.zh.tooManyFromAddress(1) + "\n");
    const line = await server.logs.waitFor("info", /^已拒绝 /);
    assert.equal(line, `已拒绝 ${second.peer}：${TEXTS.zh.tooManyFromAddressReason(1)}`);
  });
});

Deno.test("serve() --web: browsers and TCP clients count together against maxPerAddress; a browser over it gets the line and 1008", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer(
    { mode: "chat", web, maxPerAddress: 2, exemptLoopback: false },
    async (server) => {
      const tcp = await server.connect();
      await tcp.readLine(); // welcome
      const browser = await WebChatClient.connect(web.port);
      await browser.nextLine(); // welcome
      const overWeb = await WebChatClient.connect(web.port);
      assert.equal(await overWeb.nextLine(), NOTICE_PREFIX + EN.tooManyFromAddress(2));
      assert.equal((await overWeb.closed).code, 1008);
      await server.logs.waitFor(
        "info",
        /^refused 127\.0\.0\.1:\d+: too many connections from this address \(2, --max-per-address\)$/,
      );
      const overTcp = await server.connect();
      assert.equal(await overTcp.readTextToEnd(), NOTICE_PREFIX + EN.tooManyFromAddress(2) + "\n");
      await browser.close();
      await server.logs.waitFor("info", /^\[web [^\]]+\] client disconnected/);
      const again = await server.connect(); // the browser's place is free again
      assert.ok((await again.readLine()).startsWith(NOTICE_PREFIX + "Welcome"));
    },
  );
});

Deno.test("serve() --web: the join rate counts browsers too", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer(
    { mode: "chat", web, maxJoinsPerMinute: 2, exemptLoopback: false },
    async (server) => {
      const tcp = await server.connect();
      await tcp.readLine();
      const browser = await WebChatClient.connect(web.port);
      await browser.nextLine();
      const over = await WebChatClient.connect(web.port);
      assert.equal(await over.nextLine(), NOTICE_PREFIX + EN.tooManyJoins(2));
      assert.equal((await over.closed).code, 1008);
      await browser.close();
    },
  );
});

Deno.test("serve() --web: a denied address gets 403 for the page and the WebSocket, logged", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  const deny = [parseAddressRange("127.0.0.1")!];
  const stats = await withServer({ mode: "chat", web, deny }, async (server) => {
    const page = await fetch(`http://127.0.0.1:${web.port}/`);
    assert.equal(page.status, 403);
    await page.body?.cancel();
    await server.logs.waitFor(
      "info",
      /^refused 127\.0\.0\.1:\d+: address not allowed \(--allow, --deny\)$/,
    );
    const socket = new WebSocket(`ws://127.0.0.1:${web.port}/ws`);
    const closed = await new Promise<CloseEvent>((resolve) =>
      socket.addEventListener("close", resolve)
    );
    assert.notEqual(closed.code, 1000); // it never opened
    await server.logs.waitFor("info", /^refused 127\.0\.0\.1:\d+: address not allowed/, {
      count: 2,
    });
  });
  assert.equal(stats.connections, 0);
});

Deno.test({
  name: "serve() on IPv6 counts ::1's /64 and logs the refusal with the address in brackets",
  ignore: !canListenOn("::1"),
  fn: async () => {
    await withServer(
      { hostname: "::1", maxPerAddress: 1, exemptLoopback: false },
      async (server) => {
        const first = await server.connect();
        await assertServed(first, "reply");
        const second = await server.connect();
        assert.equal(await second.readTextToEnd(), EN.tooManyFromAddress(1) + "\n");
        assert.match(second.peer, /^\[::1\]:\d+$/);
        await server.logs.waitFor("info", refusedLine(second, EN.tooManyFromAddressReason(1)));
      },
    );
  },
});

Deno.test("serve() --web releases a browser's count when its connection drops right after the upgrade, or it sends /quit", async () => {
  const web = new WebServer("127.0.0.1", 0, "en");
  await withServer(
    { mode: "chat", web, maxPerAddress: 1, exemptLoopback: false },
    async (server) => {
      const { conn } = await rawUpgrade(web.port);
      conn.close(); // no close frame: the connection is simply gone
      await server.logs.waitFor("info", /^\[web [^\]]+\] client disconnected/);
      const browser = await WebChatClient.connect(web.port);
      await browser.nextLine(); // welcome: the dropped one's place was free
      const over = await server.connect(); // the browser holds the one place
      assert.equal(await over.readTextToEnd(), NOTICE_PREFIX + EN.tooManyFromAddress(1) + "\n");
      browser.send("/quit");
      await browser.closed;
      await server.logs.waitFor("info", /^\[web [^\]]+\] client disconnected/, { count: 2 });
      const tcp = await server.connect();
      assert.ok((await tcp.readLine()).startsWith(NOTICE_PREFIX + "Welcome"));
    },
  );
});
