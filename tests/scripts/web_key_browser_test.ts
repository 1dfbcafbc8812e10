/**
 * The room key in a real headless Chromium: the real `server.ts --mode chat
 * --web 0 --key-file FILE` (with `--allow-read=FILE`), the page asking for
 * the key in its field, asking again after a wrong one, joining with the
 * right one, and coming back by itself after its connection drops without
 * asking again. Skipped where no Chromium is installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { PAGE_TEXTS } from "../../lib/web/web_page.ts";
import { LOOPBACK } from "../support/ports.ts";
import { ON_FREE_PORT, startServer, WAIT_MS, within } from "../support/processes.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { CHROMIUM_PATH, NO_BROWSER_NOTE, withBrowser } from "../support/browser.ts";
import { TcpRelay } from "../support/tcp_relay.ts";

const EN = CHAT_TEXTS.en;
const KEY = "class-7b-secret";
const ASKED = NOTICE_PREFIX + EN.chatKeyNeeded;
const WRONG = NOTICE_PREFIX + EN.chatWrongRoomKey;

// What the callbacks run in the browser use of the DOM (see web_browser_test.ts).
interface PageElement {
  readonly id: string;
  readonly textContent: string | null;
  readonly hidden: boolean;
  getAttribute(name: string): string | null;
}
declare const document: {
  readonly activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const location: { readonly href: string };

/** Waits until the page's status is in `state` (`data-state`). */
async function waitForState(page: Page, state: string): Promise<void> {
  await page.waitForFunction(
    (state: string) => document.querySelector("#status")?.getAttribute("data-state") === state,
    { timeout: WAIT_MS },
    state,
  );
}

/** The text of every line in the page's message list. */
function pageLines(page: Page): Promise<string[]> {
  return page.$$eval("#messages > p", (lines) => lines.map((line) => line.textContent ?? ""));
}

/** Waits until the page shows `count` lines equal to `text`. */
async function waitForLines(page: Page, text: string, count = 1): Promise<void> {
  await page.waitForFunction(
    (text: string, count: number) =>
      [...document.querySelectorAll("#messages > p")].filter((line) => line.textContent === text)
        .length >= count,
    { timeout: WAIT_MS },
    text,
    count,
  ).catch(async (error) => {
    throw new Error(
      `no ${count}× ${text}; the page shows ${JSON.stringify(await pageLines(page))}`,
      {
        cause: error,
      },
    );
  });
}

/** Whether the key's field is shown (and the message field not), and which element has focus. */
function keyFormShown(page: Page): Promise<{ key: boolean; send: boolean; focus: string | null }> {
  return page.evaluate(() => ({
    key: document.querySelector("#key-form")?.hidden === false,
    send: document.querySelector("#send-form")?.hidden === false,
    focus: document.activeElement?.id ?? null,
  }));
}

Deno.test({
  name: "the page asks for the room key, asks again after a wrong one, joins with the right one " +
    "and comes back after a drop without asking again" + NO_BROWSER_NOTE,
  ignore: CHROMIUM_PATH === null,
  async fn() {
    const file = await Deno.makeTempFile({ prefix: "room-key-" });
    await Deno.writeTextFile(file, KEY + "\n");
    const server = await startServer(
      [...ON_FREE_PORT, "--mode", "chat", "--web", "0", "--key-file", file],
      { denoFlags: ["--allow-net", `--allow-read=${file}`] },
    );
    const relay = { current: null as TcpRelay | null };
    const tcp = await SocketClient.connect(server.port);
    try {
      const webLine = await within(server.stdout.nextLine(), WAIT_MS, "the web ready line");
      const webPort = Number(webLine?.match(/:(\d+)\/$/)?.[1]);
      assert.equal(await tcp.readLine(), ASKED);
      await tcp.write(KEY + "\n");
      assert.match(await tcp.readLine(), /^\*\*\* Welcome/);
      // The page goes through a relay the test controls: its connection can drop.
      relay.current = TcpRelay.start(webPort);
      await withBrowser(async (browser) => {
        const page = await browser.newPage();
        await page.goto(`http://${LOOPBACK}:${relay.current!.port}/`);
        await waitForState(page, "key");
        await waitForLines(page, ASKED);
        assert.deepEqual(await keyFormShown(page), { key: true, send: false, focus: "key-input" });
        assert.equal(
          await page.$eval("label[for=key-input]", (label) => label.textContent),
          PAGE_TEXTS.en.keyLabel,
        );
        assert.equal(
          await page.$eval("#status", (status) => status.textContent),
          PAGE_TEXTS.en.keyNeeded,
        );

        await page.type("#key-input", "not-the-key");
        await page.keyboard.press("Enter");
        await waitForLines(page, WRONG);
        await waitForState(page, "key"); // asked again
        assert.deepEqual(await keyFormShown(page), { key: true, send: false, focus: "key-input" });

        await page.type("#key-input", KEY);
        await page.keyboard.press("Enter");
        await waitForState(page, "open");
        await page.waitForFunction(
          () => document.querySelector("#you")?.textContent?.includes("guest2"),
          { timeout: WAIT_MS },
        );
        assert.equal(await tcp.readLine(), NOTICE_PREFIX + EN.chatJoined("guest2"));
        assert.deepEqual(await keyFormShown(page), { key: false, send: true, focus: "input" });
        const kept = await page.evaluate(() => ({
          stored: sessionStorage.getItem("tcp-toolkit.chat") ?? "",
          url: location.href,
        }));
        assert.ok(kept.stored.includes(KEY), "kept in the tab's sessionStorage");
        assert.ok(!kept.url.includes(KEY), "never in the URL");

        relay.current!.freeze(); // the page's connection is gone; the server has not noticed
        await page.waitForFunction(
          () => document.querySelector("#status")?.getAttribute("data-state") !== "open",
          { timeout: WAIT_MS },
        );
        await tcp.write("said while the page was away\n");
        // It retries after about a second, with the key: back under its name, not asked again.
        await waitForLines(page, "[guest1] said while the page was away");
        await waitForState(page, "open");
        await waitForLines(page, NOTICE_PREFIX + EN.chatWelcomeBack("guest2", 1));
        const lines = await pageLines(page);
        assert.equal(lines.filter((line) => line === ASKED).length, 1, "asked once only");
        assert.deepEqual(await keyFormShown(page), { key: false, send: true, focus: "input" });
        await page.type("#input", "back");
        await page.keyboard.press("Enter");
        assert.equal(await tcp.readLine(), "[guest2] back");
        await page.close();
      });
    } finally {
      tcp.close();
      await relay.current?.close();
      const stopped = await server.stop();
      await Deno.remove(file);
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stdout, /^refused 127\.0\.0\.1:\d+: wrong key$/m);
      assert.ok(!stopped.stdout.includes(KEY), "the key is never logged");
      assert.ok(!stopped.stdout.includes("not-the-key"), "nor a wrong one");
    }
  },
});
