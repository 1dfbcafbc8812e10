/**
 * Operators in the page: the real `server.ts --mode chat --web 0`, a browser
 * member over a WebSocket using the key the server printed, next to a TCP
 * member. The page sends commands as typed, so operators use the same ones.
 *
 * @module
 */

import assert from "node:assert/strict";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { SocketClient } from "../support/socket_helpers.ts";
import { hasPython, WAIT_MS, within } from "../support/processes.ts";
import { OTHER_ADDRESS, startOtherAddressProxy } from "../support/other_address_proxy.ts";
import { startWebChatServer, WebChatClient } from "../support/web_helpers.ts";

const EN = CHAT_TEXTS.en;

/**
 * A server with a browser member (guest1) and a TCP member (guest2), welcomes
 * and join notice read, and the key it printed.
 */
async function withBrowserAndTcp(
  args: readonly string[],
  body: (web: WebChatClient, tcp: SocketClient, key: string) => Promise<void>,
): Promise<void> {
  const { server, webPort } = await startWebChatServer(args);
  try {
    const keyLine = await within(server.stdout.nextLine(), WAIT_MS, "the key line");
    const key = keyLine?.match(/^Operator key: (\S+)$/)?.[1];
    assert.ok(key !== undefined, `the key line follows the web line: ${keyLine}`);
    const web = await WebChatClient.connect(webPort);
    try {
      await web.nextLine(); // welcome
      const tcp = await SocketClient.connect(server.port);
      try {
        await tcp.readLine();
        assert.equal(await web.nextLine(), `${NOTICE_PREFIX}guest2 joined`);
        await body(web, tcp, key);
      } finally {
        tcp.close();
      }
    } finally {
      await web.close();
    }
  } finally {
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
  }
}

Deno.test("--web: a browser member becomes an operator with /op KEY, is marked in /who, and is not held back by --rate", async () => {
  await withBrowserAndTcp(["--rate", "1"], async (web, tcp, key) => {
    web.send(`/op ${key}`);
    assert.equal(await web.nextLine(), NOTICE_PREFIX + EN.chatOperatorNow);
    await tcp.write("/who\n");
    assert.equal(await tcp.readLine(), NOTICE_PREFIX + EN.chatWho(["@guest1", "guest2"]));
    for (let i = 0; i < 30; i++) web.send(`line ${i}`);
    const lines = await tcp.readLines(30, 3000); // at 1 a second after the burst: half a minute
    assert.equal(lines.at(-1), "[guest1] line 29");
  });
});

Deno.test("--web: an operator in the page kicks and mutes a TCP member with the same commands", async () => {
  await withBrowserAndTcp([], async (web, tcp, key) => {
    web.send(`/op ${key}`);
    assert.equal(await web.nextLine(), NOTICE_PREFIX + EN.chatOperatorNow);
    web.send("/mute guest2 1");
    const muted = NOTICE_PREFIX + EN.chatMuted("guest2", "guest1", 1);
    assert.equal(await web.nextLine(), muted);
    assert.equal(await tcp.readLine(), muted);
    await tcp.write("can you hear me\n");
    assert.equal(await tcp.readLine(), NOTICE_PREFIX + EN.chatYouAreMuted(1));
    web.send("/kick guest2 bye");
    assert.equal(await web.nextLine(), `${NOTICE_PREFIX}guest2 was removed by guest1 (bye)`);
    assert.equal(
      await tcp.readTextToEnd(),
      NOTICE_PREFIX + EN.chatRemovedYou("guest1", "bye") + "\n",
    );
  });
});

Deno.test({
  name: "--web: /ban of a browser member closes it, and its address is refused at the web door too",
  ignore: !(await hasPython()),
  fn: async () => {
    const { server, webPort } = await startWebChatServer();
    const proxy = await startOtherAddressProxy(webPort);
    try {
      const key = (await server.stdout.nextLine())?.match(/^Operator key: (\S+)$/)?.[1];
      assert.ok(key !== undefined);
      const teacher = await SocketClient.connect(server.port);
      try {
        await teacher.readLine();
        await teacher.write(`/op ${key}\n`);
        assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatOperatorNow);
        const pupil = await WebChatClient.connect(proxy.port);
        await pupil.nextLine(); // welcome
        assert.equal(await teacher.readLine(), `${NOTICE_PREFIX}guest2 joined`);
        await teacher.write("/ban guest2\n");
        const reason = EN.chatBanReason(60);
        assert.equal(await pupil.nextLine(), NOTICE_PREFIX + EN.chatRemovedYou("guest1", reason));
        await pupil.closed;
        assert.equal(
          await teacher.readLine(),
          `${NOTICE_PREFIX}guest2 was removed by guest1 (${reason})`,
        );

        const again = await WebChatClient.connect(proxy.port);
        assert.equal(await again.nextLine(), NOTICE_PREFIX + EN.chatBannedRefused(60));
        assert.equal((await again.closed).code, 1008);
        await teacher.write("/bans\n");
        const list = [{ address: OTHER_ADDRESS, nick: "guest2", minutesLeft: 60 }];
        assert.equal(await teacher.readLine(), NOTICE_PREFIX + EN.chatBans(list));
      } finally {
        teacher.close();
      }
    } finally {
      await proxy.stop();
      const stopped = await server.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.ok(
        stopped.stdout.includes(EN.chatBanRefusedLog(OTHER_ADDRESS, "guest2")),
        "the log says who was refused",
      );
    }
  },
});
