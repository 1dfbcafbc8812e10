/**
 * The chat page in a real headless Chromium, next to TCP clients in the same
 * room: talking both ways, XSS attempts shown as text (checked in the DOM),
 * a foreign page refused, a paused page dropped while the others go on, the
 * page coming back after a server restart, the layout at phone and
 * desktop widths, and with `--redis` a room over two servers, whose list of
 * who is here follows a Redis outage. Skipped where no Chromium is installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { LOOPBACK, unusedPort } from "../support/ports.ts";
import { ON_FREE_PORT, type ServerProcess, startServer, WAIT_MS } from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { CHROMIUM_PATH, NO_BROWSER_NOTE, withBrowser } from "../support/browser.ts";
import { startWebChatServer } from "../support/web_helpers.ts";
import { NO_REDIS_NOTE, REDIS_SERVER, startRedis } from "../support/redis_server.ts";
import { TcpRelay } from "../support/tcp_relay.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";

const ignore = CHROMIUM_PATH === null;

// The callbacks given to page.evaluate() and waitForFunction() run in the browser, where
// `document` exists; just what they use of it, instead of the whole DOM library (whose stream
// types clash with Deno's).
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  readonly activeElement: PageElement | null;
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare function getComputedStyle(
  element: unknown,
): { readonly fontStyle: string; readonly opacity: string };
declare function requestAnimationFrame(callback: () => void): number;

/** What a chat server with `--redis` tells its people when it loses Redis, and when it has it back. */
const LINK_LOST = "*** link to other servers lost; only people on this server hear you now";
const LINK_RESTORED = "*** link restored";

/** The text of every line in the page's message list. */
function pageLines(page: Page): Promise<string[]> {
  return page.$$eval("#messages > p", (lines) => lines.map((line) => line.textContent ?? ""));
}

/** Waits until a line of the page's message list equals `text` (or matches it). */
async function waitForLine(page: Page, text: string | RegExp): Promise<void> {
  const source = typeof text === "string" ? null : text.source;
  const exact = typeof text === "string" ? text : null;
  await page.waitForFunction(
    (exact: string | null, source: string | null) =>
      [...document.querySelectorAll("#messages > p")].some((line) =>
        exact !== null
          ? line.textContent === exact
          : new RegExp(source!).test(line.textContent ?? "")
      ),
    { timeout: WAIT_MS },
    exact,
    source,
  ).catch(async (error) => {
    throw new Error(
      `no line ${text} on the page; it shows: ${JSON.stringify(await pageLines(page))}`,
      {
        cause: error,
      },
    );
  });
}

/** The names in the page's list of who is here, sorted (servers list them in any order). */
function pageMembers(page: Page): Promise<string[]> {
  return page.$$eval(
    "#members li .nick",
    (nicks) => nicks.map((nick) => nick.textContent ?? "").sort(),
  );
}

/** Waits until the page's list of who is here shows exactly `names`. */
async function waitForMembers(page: Page, names: readonly string[]): Promise<void> {
  const wanted = JSON.stringify([...names].sort());
  await page.waitForFunction(
    (wanted: string) =>
      JSON.stringify(
        [...document.querySelectorAll("#members li .nick")].map((nick) => nick.textContent ?? "")
          .sort(),
      ) === wanted,
    { timeout: WAIT_MS },
    wanted,
  ).catch(async (error) => {
    throw new Error(
      `the page does not list ${wanted}; it shows ${JSON.stringify(await pageMembers(page))}`,
      { cause: error },
    );
  });
}

/** Types a line into the page's input and presses Enter. */
async function say(page: Page, line: string): Promise<void> {
  await page.type("#input", line);
  await page.keyboard.press("Enter");
}

/**
 * A chat server with a web port, one TCP member (guest1, announced at once, its
 * welcome read) and a browser; everything closed afterwards and the server's exit checked.
 */
async function withChatAndBrowser(
  args: readonly string[],
  body: (room: {
    server: ServerProcess;
    webPort: number;
    tcp: SocketClient;
    browser: Browser;
  }) => Promise<void>,
): Promise<void> {
  const { server, webPort } = await startWebChatServer(args);
  try {
    const tcp = await SocketClient.connect(server.port);
    try {
      // A line at once (an empty one, which the room ignores): welcomed and announced now.
      await tcp.write("\n");
      assert.match(await tcp.readLine(), /guest1/);
      await withBrowser((browser) => body({ server, webPort, tcp, browser }));
    } finally {
      tcp.close();
    }
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
}

async function openRoom(page: Page, port: number, host = LOOPBACK): Promise<void> {
  await page.goto(`http://${host}:${port}/`);
  await page.waitForFunction(
    () => document.querySelector("#status")?.getAttribute("data-state") === "open",
    {
      timeout: WAIT_MS,
    },
  );
}

Deno.test({
  name: "a browser user and two TCP clients talk: lines, joins, renames, /msg both ways, leaves" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ server, webPort, tcp: ann, browser }) => {
      const page = await browser.newPage();
      await openRoom(page, webPort);
      await page.waitForFunction(
        () => document.querySelector("#you")?.textContent?.includes("guest2"),
        {
          timeout: WAIT_MS,
        },
      );
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "input",
        "the input has focus",
      );
      assert.equal(await ann.readLine(), "*** guest2 joined");
      const bob = await SocketClient.connect(server.port);
      try {
        await bob.write("\n"); // announced at once, not after a second
        await bob.readLine();
        await ann.readLine(); // guest3 joined
        await waitForLine(page, "*** guest3 joined");
        await bob.write("/nick 小明\n");
        await waitForLine(page, "*** guest3 is now 小明");
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll("#members li")].some((li) =>
              li.textContent?.includes("小明")
            ),
          { timeout: WAIT_MS },
        );
        await bob.write("大家好，我是小明\n");
        await waitForLine(page, "[小明] 大家好，我是小明");
        await ann.write("hi from ann\n");
        await waitForLine(page, "[guest1] hi from ann");
        await say(page, "hello from the browser");
        assert.equal(await ann.readLine(), "*** guest3 is now 小明");
        assert.equal(await ann.readLine(), "[小明] 大家好，我是小明");
        assert.equal(await ann.readLine(), "[guest2] hello from the browser");
        await waitForLine(page, "[guest2] hello from the browser"); // shown as the user's own
        assert.equal(
          await page.$eval("#messages > p.own", (line) => line.textContent),
          "[guest2] hello from the browser",
        );
        await say(page, "/msg 小明 只给你");
        await waitForLine(page, "[guest2 -> 小明] 只给你");
        assert.equal(await bob.readLine(), "*** guest3 is now 小明");
        assert.equal(await bob.readLine(), "[guest1] hi from ann");
        assert.equal(await bob.readLine(), "[guest2] hello from the browser");
        assert.equal(await bob.readLine(), "[guest2 -> 小明] 只给你");
        await bob.write("/msg guest2 back to you\n");
        await waitForLine(page, "[小明 -> guest2] back to you");
        // Server lines dim, /me lines as actions with the name in its colour, the page's own too.
        await bob.write("/me waves\n");
        await waitForLine(page, "* 小明 waves");
        await say(page, "/me nods");
        await waitForLine(page, "* guest2 nods");
        const classes = await page.$$eval("#messages > p", (lines) =>
          Object.fromEntries(
            lines.map((line) => [
              line.textContent,
              [line.className, line.querySelector(".nick")?.textContent ?? null],
            ]),
          ));
        assert.deepEqual(classes["*** guest3 is now 小明"], ["notice", null]);
        assert.deepEqual(classes["* 小明 waves"], ["action", "* 小明"]);
        assert.deepEqual(classes["* guest2 nods"], ["action own", "* guest2"]);
        const styles = await page.$$eval(
          "#messages > p.notice, #messages > p.action",
          (lines) => lines.map((line) => getComputedStyle(line).fontStyle),
        );
        assert.ok(styles.includes("italic") && styles.includes("normal"), styles.join());
        assert.equal(await ann.readLine(), "* 小明 waves");
        assert.equal(await ann.readLine(), "* guest2 nods");
        assert.equal(await bob.readLine(), "[小明 -> guest2] back to you");
        assert.equal(await bob.readLine(), "* guest2 nods");
        await say(page, "/nick web");
        await waitForLine(page, "*** guest2 is now web");
        assert.equal(await ann.readLine(), "*** guest2 is now web");
        await page.waitForFunction(
          () => document.querySelector("#you")?.textContent?.includes("web"),
          {
            timeout: WAIT_MS,
          },
        );
      } finally {
        bob.close();
      }
      await waitForLine(page, "*** 小明 left");
      await page.close();
      assert.equal(await ann.readLine(), "*** 小明 left");
      assert.equal(await ann.readLine(), "*** web left");
    });
  },
});

Deno.test({
  name: "script, image and link attempts from a TCP client and from another page show as text" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    const attempts = [
      "<script>window.__pwned = 1</script>",
      '<img src=x onerror="window.__pwned = 2">',
      '<a href="javascript:window.__pwned = 3">click</a>',
      '<svg onload="window.__pwned = 4"></svg>',
    ];
    await withChatAndBrowser([], async ({ webPort, tcp: attacker, browser }) => {
      const reader = await browser.newPage();
      await openRoom(reader, webPort);
      const writer = await browser.newPage();
      await openRoom(writer, webPort);
      for (const attempt of attempts) await attacker.write(attempt + "\n");
      await say(writer, '<b onmouseover="window.__pwned = 5">bold</b>');
      await nicknameShown(reader);
      for (const attempt of attempts) await waitForLine(reader, `[guest1] ${attempt}`);
      await waitForLine(reader, /^\[guest3\] <b onmouseover=/);
      const markup = await reader.$$eval(
        "#messages img, #messages script, #messages a, #messages svg, #messages b",
        (found) => found.length,
      );
      assert.equal(markup, 0, "no element was made from anyone's text");
      assert.equal(
        await reader.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
        undefined,
      );
      assert.equal(
        await writer.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
        undefined,
      );
    });

    async function nicknameShown(page: Page): Promise<void> {
      await page.waitForFunction(() => (document.querySelector("#you")?.textContent ?? "") !== "", {
        timeout: WAIT_MS,
      });
    }
  },
});

Deno.test({
  name: "a page from another origin cannot open the room's WebSocket" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    const { server, webPort } = await startWebChatServer();
    // Another site, as a tab the same user has open: a page of its own on another port.
    const otherSite = Deno.serve(
      { hostname: LOOPBACK, port: 0, onListen: () => {} },
      () =>
        new Response("<!doctype html><title>another site</title>", {
          headers: { "content-type": "text/html" },
        }),
    );
    try {
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await page.goto(`http://${LOOPBACK}:${otherSite.addr.port}/`);
        const outcome = await page.evaluate((url: string) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(url);
            socket.onopen = () => resolve("open");
            socket.onerror = () => resolve("refused");
          }), `ws://${LOOPBACK}:${webPort}/ws`);
        assert.equal(outcome, "refused");
      });
      const stopped = await server.stop();
      assert.match(
        stopped.stdout,
        /refused a WebSocket from another site \(Origin http:\/\/127\.0\.0\.1:\d+\)/,
      );
    } finally {
      await server.stop();
      await otherSite.shutdown();
    }
  },
});

/** A TCP member that sent an empty line at once (welcomed and announced now) and read its welcome. */
async function joinAndSpeak(port: number): Promise<SocketClient> {
  const client = await SocketClient.connect(port);
  await client.write("\n");
  await client.readLine();
  return client;
}

Deno.test({
  name: "a paused page that stops reading is dropped as too slow while TCP clients go on" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    const { server, webPort } = await startWebChatServer(["--max-backlog", "65536", "--rate", "0"]);
    // Each says something first, so the room announces it now, not a second after it came.
    const talker = await joinAndSpeak(server.port);
    const listener = await joinAndSpeak(server.port);
    try {
      await talker.readLine(); // guest2 joined
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await openRoom(page, webPort);
        await listener.readLine(); // guest3 joined
        await talker.readLine();
        const session = await page.createCDPSession();
        await session.send("Debugger.enable");
        await session.send("Debugger.pause");
        const line = "x".repeat(1000);
        let dropped = false;
        for (let i = 0; i < 20_000 && !dropped; i++) {
          await talker.write(`${i} ${line}\n`);
          // Each line reaches the TCP listener at once, whatever the page does.
          let received = await listener.readLine();
          if (received === "*** guest3 left (too slow)") {
            dropped = true;
            received = await listener.readLine();
          }
          assert.equal(received, `[guest1] ${i} ${line}`, "the others' lines flow on");
        }
        assert.ok(dropped, "the paused page was dropped");
        await session.send("Debugger.resume").catch(() => {});
      });
    } finally {
      talker.close();
      listener.close();
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stdout, /web 127\.0\.0\.1:\d+.*(too slow|1048576|65536)/);
    }
  },
});

Deno.test({
  name: "after the server restarts, the page reconnects by itself and joins again under its name" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    const port = unusedPort();
    const webPort = unusedPort();
    const args = [
      "--host",
      LOOPBACK,
      "--port",
      String(port),
      "--mode",
      "chat",
      "--web",
      String(webPort),
    ];
    let server = await startServer(args);
    try {
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await openRoom(page, webPort);
        await say(page, "/nick ann");
        await waitForLine(page, "*** guest1 is now ann");
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
        await waitForLine(page, "*** server shutting down");
        await page.waitForFunction(
          () => document.querySelector("#status")?.getAttribute("data-state") === "waiting",
          { timeout: WAIT_MS },
        );
        server = await startServer(args);
        const tcp = await SocketClient.connect(server.port);
        try {
          await tcp.readLine();
          await openRoomAgain(page);
          // The new server knows no token; the name is free, and the page claims it again.
          assert.equal(await tcp.readLine(), "*** ann joined");
        } finally {
          tcp.close();
        }
      });
    } finally {
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }

    async function openRoomAgain(page: Page): Promise<void> {
      // The page retries with backoff: 1 s, then 2 s, ... (with jitter).
      await page.waitForFunction(
        () => document.querySelector("#status")?.getAttribute("data-state") === "open",
        { timeout: 20_000 },
      );
    }
  },
});

Deno.test({
  name: "the page lays out without horizontal scrolling at 375 px and at 1280 px" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ webPort, tcp, browser }) => {
      const page = await browser.newPage();
      await openRoom(page, webPort);
      await tcp.write("a-very-long-word-" + "without-spaces-".repeat(20) + "\n");
      await tcp.write("普通话的句子也要在窄屏上换行，不能让页面横向滚动。".repeat(3) + "\n");
      await waitForLine(page, /without-spaces-without/);
      for (const [width, height] of [[375, 700], [1280, 800]] as const) {
        await page.setViewport({ width, height });
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.equal(overflow, 0, `no horizontal scrolling at ${width} px`);
        // The screenshot is of the whole page at that width: nothing wider was laid out.
        const png = await page.screenshot({ type: "png", fullPage: true });
        const view = new DataView(png.buffer, png.byteOffset);
        assert.equal(
          view.getUint32(16),
          width,
          `the screenshot at ${width} px is ${width} px wide`,
        );
      }
    });
  },
});

Deno.test({
  name: "with --lang zh the page and every server line are in Chinese" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser(["--lang", "zh"], async ({ webPort, tcp, browser }) => {
      const page = await browser.newPage();
      await openRoom(page, webPort);
      assert.equal(
        await page.evaluate(() => document.querySelector("html")?.getAttribute("lang")),
        "zh-CN",
      );
      await waitForLine(page, /^\*\*\* .*guest2.*[\u4e00-\u9fff]/);
      assert.match(
        await page.$eval("#status", (status) => status.textContent ?? ""),
        /[\u4e00-\u9fff]/,
      );
      await tcp.write("你好，浏览器\n");
      await waitForLine(page, "[guest1] 你好，浏览器");
      await say(page, "你好，终端");
      assert.match(await tcp.readLine(), /^\*\*\* guest2 /); // joined, in Chinese
      assert.equal(await tcp.readLine(), "[guest2] 你好，终端");
    });
  },
});

/** What {@linkcode withPageAcrossServers} hands its test. */
interface PageAcrossServers {
  /** The Redis both servers share. */
  redis: Awaited<ReturnType<typeof startRedis>>;
  /** The page, joined as guest2 on the server with the web door. */
  page: Page;
  /** A TCP member (guest1) of the other server, which has read the page's join. */
  ann: SocketClient;
}

/**
 * Two chat servers on one real Redis, a TCP member on the first and a page on
 * the second's web door; after the test, checks the member sees the page
 * leave and that both servers stop cleanly.
 */
async function withPageAcrossServers(test: (room: PageAcrossServers) => Promise<void>) {
  const redis = await startRedis();
  const other = await startServer([...ON_FREE_PORT, "--mode", "chat", "--redis", redis.url]);
  let chat: Awaited<ReturnType<typeof startWebChatServer>> | undefined;
  try {
    chat = await startWebChatServer(["--redis", redis.url]);
    const ann = await SocketClient.connect(other.port);
    try {
      assert.match(await ann.readLine(), /guest1/);
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await openRoom(page, chat!.webPort);
        assert.equal(await ann.readLine(), "*** guest2 joined");
        await test({ redis, page, ann });
      });
      assert.equal(await ann.readLine(), "*** guest2 left");
    } finally {
      ann.close();
    }
  } finally {
    const stopped = await Promise.all([other.stop(), chat?.server.stop()]);
    for (const result of stopped) {
      if (result !== undefined) assert.equal(result.code, 0, result.stderr);
    }
    await redis.stop();
  }
}

Deno.test({
  name: "with --redis a page on one server and TCP clients on another are one room" +
    NO_BROWSER_NOTE +
    NO_REDIS_NOTE,
  ignore: ignore || REDIS_SERVER === null,
  fn: () =>
    withPageAcrossServers(async ({ page, ann }) => {
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll("#members li")].some((li) =>
            li.textContent?.includes("guest1")
          ),
        { timeout: WAIT_MS },
      );
      await ann.write("from another server\n");
      await waitForLine(page, "[guest1] from another server");
      await say(page, "/msg guest1 across servers, from a page");
      assert.equal(await ann.readLine(), "[guest2 -> guest1] across servers, from a page");
    }),
});

Deno.test({
  name: "with --redis, when Redis stops and comes back the page's list drops and regains the " +
    "other server's people, without anyone joining" + NO_BROWSER_NOTE + NO_REDIS_NOTE,
  ignore: ignore || REDIS_SERVER === null,
  fn: () =>
    withPageAcrossServers(async ({ redis, page, ann }) => {
      await waitForMembers(page, ["guest1", "guest2"]);

      await redis.stop();
      await waitForLine(page, LINK_LOST);
      // Cut off, the room is this server's alone, as /who says: the list follows.
      await waitForMembers(page, ["guest2"]);

      await redis.restart(); // the same port, empty: the servers learn each other again
      await waitForLine(page, LINK_RESTORED);
      await waitForMembers(page, ["guest1", "guest2"]);
      assert.equal(await ann.readLine(), LINK_LOST);
      assert.equal(await ann.readLine(), LINK_RESTORED);
      // Nobody joined on the way: the list came back by itself.
      const joins = (await pageLines(page)).filter((line) => line.endsWith(" joined"));
      assert.deepEqual(joins, [], "no join on the page");
      await ann.write("still one room\n");
      await waitForLine(page, "[guest1] still one room");
    }),
});

Deno.test({
  name: "a page whose connection drops comes back by itself under its name, with no line twice " +
    "and each line said meanwhile once, and nobody sees it leave or join" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ webPort, tcp, browser }) => {
      // The page goes through a relay the test controls: its connection can drop.
      const relay = TcpRelay.start(webPort);
      try {
        await tcp.write("said before the page came\n");
        const page = await browser.newPage();
        await page.setViewport({ width: 390, height: 844 });
        await openRoom(page, relay.port);
        assert.equal(await tcp.readLine(), "*** guest2 joined");
        await say(page, "/nick ann");
        assert.equal(await tcp.readLine(), "*** guest2 is now ann");
        await tcp.write("seen live\n");
        await waitForLine(page, "[guest1] seen live");

        relay.freeze(); // the page's connection is gone; the server has not noticed
        await page.waitForFunction(
          () => document.querySelector("#status")?.getAttribute("data-state") !== "open",
          { timeout: WAIT_MS },
        );
        await tcp.write("said while the page was away\n");
        // It retries after about a second (then 2, 4 ...): back under its name, with the line.
        await waitForLine(page, "[guest1] said while the page was away");
        await waitForLine(page, /^\*\*\* Welcome back, you are still ann/);
        await waitForMembers(page, ["ann", "guest1"]);
        const lines = await pageLines(page);
        for (
          const line of ["said before the page came", "seen live", "said while the page was away"]
        ) {
          assert.equal(lines.filter((shown) => shown === `[guest1] ${line}`).length, 1, line);
        }
        // Nobody saw ann leave or join: the TCP member's next line is its /who.
        await tcp.write("/who\n");
        assert.equal(await tcp.readLine(), "*** 2 people here: guest1, ann");
        await say(page, "back");
        assert.equal(await tcp.readLine(), "[ann] back");
        assert.equal(
          await page.evaluate(() => document.querySelector("#you")?.textContent),
          "You are ann",
        );
        await page.close();
        assert.equal(await tcp.readLine(), "*** ann left");
      } finally {
        await relay.close();
      }
    });
  },
});

Deno.test({
  name: "with --redis a page behind a load balancer comes back on the other server under its " +
    "name, with no line twice, and nobody sees it leave or join" + NO_BROWSER_NOTE + NO_REDIS_NOTE,
  ignore: ignore || REDIS_SERVER === null,
  async fn() {
    const redis = await startRedis();
    const servers = [
      await startWebChatServer(["--redis", redis.url]),
      await startWebChatServer(["--redis", redis.url]),
    ];
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    // The load balancer: the page's connections go to the first server, later ones to the second.
    const balancer = TcpRelay.start(first.webPort);
    let tcp: SocketClient | undefined;
    try {
      for (const { server } of servers) await server.stdout.waitFor(/linked to the other servers/);
      tcp = await SocketClient.connect(second.server.port);
      assert.match(await tcp.readLine(), /guest1/);
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await openRoom(page, balancer.port);
        assert.equal(await tcp!.readLine(), "*** guest2 joined");
        await say(page, "/nick ann");
        assert.equal(await tcp!.readLine(), "*** guest2 is now ann");
        await tcp!.write("seen live\n");
        await waitForLine(page, "[guest1] seen live");

        balancer.freeze(); // the first server has not noticed
        balancer.target = second.webPort;
        await tcp!.write("said while the page was away\n");
        await waitForLine(page, /^\*\*\* Welcome back, you are still ann/);
        await waitForLine(page, "[guest1] said while the page was away");
        await waitForMembers(page, ["ann", "guest1"]);
        const lines = await pageLines(page);
        for (const line of ["seen live", "said while the page was away"]) {
          assert.equal(lines.filter((shown) => shown === `[guest1] ${line}`).length, 1, line);
        }
        await tcp!.write("/who\n");
        assert.equal(await tcp!.readLine(), "*** 2 people here: guest1, ann");
        await say(page, "back, on the second server");
        assert.equal(await tcp!.readLine(), "[ann] back, on the second server");
        await page.close();
        assert.equal(await tcp!.readLine(), "*** ann left");
      });
    } finally {
      tcp?.close();
      await balancer.close();
      for (const { server } of servers) {
        const stopped = await server.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
      await redis.stop();
    }
  },
});

/** Whether the last line of the page's message list is wholly in view. */
function lastLineInView(page: Page): Promise<boolean> {
  return page.$eval("#messages", (log) => {
    const last = log.lastElementChild;
    if (last === null) return false;
    const box = log.getBoundingClientRect();
    const line = last.getBoundingClientRect();
    return line.bottom <= box.bottom + 1 && line.top >= box.top - 1;
  });
}

Deno.test({
  name: "at phone size (390x844) the message list follows new lines after a history and the " +
    "member strip growing, without the user sending anything" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ server, webPort, tcp, browser }) => {
      for (let i = 0; i < 20; i++) await tcp.write(`history line ${i}\n`);
      // More people, so the member strip above the list takes more than one row.
      const others: SocketClient[] = [];
      try {
        for (let i = 0; i < 6; i++) {
          const other = await SocketClient.connect(server.port);
          others.push(other);
          await other.readLine();
          await other.write(`/nick a-longer-name-${i}\n`);
        }
        const page = await browser.newPage();
        await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
        await openRoom(page, webPort);
        await waitForLine(page, "[guest1] history line 19");
        await page.waitForFunction(
          () => [...document.querySelectorAll("#members li")].length === 8,
          { timeout: WAIT_MS },
        );
        for (let i = 0; i < 30; i++) {
          await tcp.write(`live line ${i}\n`);
          await waitForLine(page, `[guest1] live line ${i}`);
          assert.ok(await lastLineInView(page), `live line ${i} is in view`);
        }
        // The strip grows (another name) while the user is at the bottom: still in view.
        const late = await SocketClient.connect(server.port);
        others.push(late);
        await late.readLine();
        await late.write("/nick yet-another-long-name\n");
        await waitForLine(page, /is now yet-another-long-name$/);
        await page.waitForFunction(
          () =>
            [...document.querySelectorAll("#members li .nick")].some((nick) =>
              nick.textContent === "yet-another-long-name"
            ),
          { timeout: WAIT_MS },
        );
        await tcp.write("after the strip changed\n");
        await waitForLine(page, "[guest1] after the strip changed");
        assert.ok(await lastLineInView(page), "the line after the strip changed is in view");
        // A user who scrolled up to read is left there.
        await page.$eval("#messages", async (log) => {
          log.scrollTop = 0;
          for (let i = 0; i < 3; i++) {
            await new Promise<void>((done) => requestAnimationFrame(done));
          }
        });
        await tcp.write("while reading back\n");
        await waitForLine(page, "[guest1] while reading back");
        assert.equal(await page.$eval("#messages", (log) => log.scrollTop), 0, "not pulled down");
      } finally {
        for (const other of others) other.close();
      }
    });
  },
});

/** Sends lines from the page's form one after the other, in one go (as fast typing does). */
function submitAll(page: Page, lines: readonly string[]): Promise<void> {
  return page.$eval("#send-form", (form, lines) => {
    const input = form.querySelector("#input") as unknown as { value: string };
    for (const line of lines) {
      input.value = line;
      (form as unknown as { requestSubmit(): void }).requestSubmit();
    }
  }, lines);
}

Deno.test({
  name:
    "the page shows its lines in the order it sent them, and only the lines it sent as its own" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ server, webPort, tcp: ann, browser }) => {
      // An earlier guest2 says something and leaves: the page becomes the next guest2.
      const old = await SocketClient.connect(server.port);
      assert.match(await old.readLine(), /guest2/);
      await old.write("said by the earlier guest2\n");
      await old.write("/quit\n");
      assert.equal(await ann.readLine(), "*** guest2 joined");
      assert.equal(await ann.readLine(), "[guest2] said by the earlier guest2");
      assert.match(await ann.readLine(), /^\*\*\* guest2 left/);
      old.close();
      const page = await browser.newPage();
      await openRoom(page, webPort);
      await waitForLine(page, "[guest2] said by the earlier guest2");
      assert.equal(await ann.readLine(), "*** guest2 joined");
      await submitAll(page, ["/msg guest1 first", "/me second", "third"]);
      await waitForLine(page, "[guest2] third");
      const lines = await pageLines(page);
      const sent = ["[guest2 -> guest1] first", "* guest2 second", "[guest2] third"];
      assert.deepEqual(lines.filter((line) => sent.includes(line)), sent, "in the order sent");
      const own = await page.$$eval("#messages > p.own", (ps) => ps.map((p) => p.textContent));
      assert.deepEqual(own, sent, "only what this page sent");
      assert.equal(await ann.readLine(), "[guest2 -> guest1] first");
      assert.equal(await ann.readLine(), "* guest2 second");
      assert.equal(await ann.readLine(), "[guest2] third");
    });
  },
});

Deno.test({
  name: 'after /quit the keyboard is on "Join again" at once, and Enter there joins again' +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ webPort, tcp, browser }) => {
      const page = await browser.newPage();
      await openRoom(page, webPort);
      assert.equal(await tcp.readLine(), "*** guest2 joined");
      await say(page, "/quit");
      await page.waitForFunction(
        () => document.querySelector("#status")?.getAttribute("data-state") === "left",
        { timeout: WAIT_MS },
      );
      assert.equal(await page.evaluate(() => document.activeElement?.id), "join-again");
      await page.keyboard.press("Enter");
      await page.waitForFunction(
        () => document.querySelector("#status")?.getAttribute("data-state") === "open",
        { timeout: WAIT_MS },
      );
      assert.equal(await page.evaluate(() => document.activeElement?.id), "input");
    });
  },
});

Deno.test({
  name: "a page removed by an operator (/kick) stays out: it offers Join again, it does not come " +
    "back by itself" + NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser(["--mode", "chat"], async ({ server, webPort, tcp, browser }) => {
      const key = (await server.stdout.waitFor(/^Operator key: /)).slice("Operator key: ".length);
      await tcp.write(`/op ${key}\n`);
      assert.match(await tcp.readLine(), /operator now/);
      const page = await browser.newPage();
      await openRoom(page, webPort);
      assert.equal(await tcp.readLine(), "*** guest2 joined");
      await tcp.write("/kick guest2 enough\n");
      assert.equal(
        await tcp.readLine(),
        NOTICE_PREFIX + CHAT_TEXTS.en.chatRemoved("guest2", "guest1", "enough"),
      );
      await page.waitForFunction(
        () => document.querySelector("#status")?.getAttribute("data-state") === "left",
        { timeout: WAIT_MS },
      );
      // Before, the page took the close for a drop and came back at once under its name.
      assert.equal(await page.evaluate(() => document.activeElement?.id), "join-again");
    });
  },
});

Deno.test({
  name: "a late joiner's page shows how many earlier lines follow, and shows them as earlier" +
    NO_BROWSER_NOTE,
  ignore,
  async fn() {
    await withChatAndBrowser([], async ({ webPort, tcp, browser }) => {
      await tcp.write("before you came\n/me waved before\n");
      const page = await browser.newPage();
      await openRoom(page, webPort);
      await waitForLine(page, "* guest1 waved before");
      await tcp.write("now\n");
      await waitForLine(page, "[guest1] now");
      const shown = await page.$$eval(
        "#messages > p",
        (lines) => lines.map((line) => [line.className, line.textContent]),
      );
      assert.deepEqual(shown.slice(1), [
        ["notice", "*** Earlier in the room, the last 2 lines:"],
        ["text earlier", "[guest1] before you came"],
        ["action earlier", "* guest1 waved before"],
        ["text", "[guest1] now"],
      ]);
      const opacity = await page.$$eval(
        "#messages > p",
        (lines) => lines.map((line) => getComputedStyle(line).opacity),
      );
      assert.ok(Number(opacity[2]) < 1 && Number(opacity[4]) === 1, opacity.join());
    });
  },
});
