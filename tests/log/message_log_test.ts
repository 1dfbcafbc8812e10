/**
 * Tests for lib/log/message_log.ts: received messages are shown within a budget
 * per second, the rest are counted and reported, never dropped silently.
 */

import assert from "node:assert/strict";
import { Logger } from "../../lib/log/logger.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { MessageLog } from "../../lib/log/message_log.ts";

const PEER = "127.0.0.1:6708";
const encoder = new TextEncoder();

function collect(quiet = false): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  return { lines, log: new Logger({ quiet, writeInfo: (line) => lines.push(line) }) };
}

Deno.test("MessageLog.received() shows messages up to the budget, decoded and escaped", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 3 });
  messages.received(PEER, encoder.encode("good boy"));
  messages.received(PEER, new Uint8Array([0x61, 0xff, 0x00]));
  messages.close();
  assert.deepEqual(lines, [`[${PEER}] received: good boy`, `[${PEER}] received: a\uFFFD\\x00`]);
});

Deno.test("MessageLog.received() shows only the message's range of its read", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 3 });
  const read = encoder.encode("one\ntwo\n");
  messages.received(PEER, read, 0, 3);
  messages.received(PEER, read, 4, 7);
  messages.close();
  assert.deepEqual(lines, [`[${PEER}] received: one`, `[${PEER}] received: two`]);
});

Deno.test("MessageLog counts messages over the budget and reports them in one line", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 2 });
  for (let i = 0; i < 10; i++) messages.received(PEER, encoder.encode(`m${i}`));
  messages.close();
  assert.deepEqual(lines, [
    `[${PEER}] received: m0`,
    `[${PEER}] received: m1`,
    "(8 more messages received in the last second, not shown)",
  ]);
});

Deno.test("MessageLog starts a fresh budget after a window ends", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.zh, { linesPerSecond: 1 });
  messages.received(PEER, encoder.encode("一"));
  messages.received(PEER, encoder.encode("二"));
  messages.close(); // ends the window as its timer would
  messages.received(PEER, encoder.encode("三"));
  messages.close();
  assert.deepEqual(lines, [
    `[${PEER}] 收到对方的信息：一`,
    "（最近一秒还收到 1 条信息，未逐条显示）",
    `[${PEER}] 收到对方的信息：三`,
  ]);
});

Deno.test("MessageLog shows nothing and runs no timer when the log is quiet", () => {
  const { lines, log } = collect(true);
  const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 1 });
  for (let i = 0; i < 5; i++) messages.received(PEER, encoder.encode("x"));
  assert.equal(messages.enabled, false);
  assert.deepEqual(lines, []);
  // No close(): a timer left running would fail this test through Deno's op sanitizer.
});

Deno.test("MessageLog says how much of a long message was cut in the log's language", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.zh, { linesPerSecond: 3 });
  messages.received(PEER, encoder.encode("好".repeat(203)));
  messages.close();
  assert.deepEqual(lines, [`[${PEER}] 收到对方的信息：${"好".repeat(200)}… (还有 3 个字符)`]);
});

Deno.test("MessageLog.receivedAs() logs its line in place of a message, within the same budget", () => {
  const { lines, log } = collect();
  const messages = new MessageLog(log, TEXTS.en, { linesPerSecond: 2 });
  messages.receivedAs(PEER, "private message from ann to bob");
  messages.received(PEER, encoder.encode("m0"));
  messages.receivedAs(PEER, "private message from ann to cat");
  messages.close();
  assert.deepEqual(lines, [
    `[${PEER}] private message from ann to bob`,
    `[${PEER}] received: m0`,
    "(1 more message received in the last second, not shown)",
  ]);
});
