/**
 * Tests for lib/chat/chat_history.ts: the bound, lines split out of frames, and
 * the lines handed on for the bus.
 */

import assert from "node:assert/strict";
import { ChatHistory } from "../../lib/chat/chat_history.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function texts(history: ChatHistory): string[] {
  return history.lines.map((line) => decoder.decode(line));
}

Deno.test("ChatHistory keeps the last `size` lines of the frames it is given, oldest first", () => {
  const history = new ChatHistory(3);
  history.keep(encoder.encode("[a] 1\n"));
  history.keep(encoder.encode("[b] 2\n[b] 3\n[b] 4\n"));
  assert.deepEqual(texts(history), ["[b] 2\n", "[b] 3\n", "[b] 4\n"]);
  history.keep(encoder.encode("* a 好\n"));
  assert.deepEqual(texts(history), ["[b] 3\n", "[b] 4\n", "* a 好\n"]);
});

Deno.test("ChatHistory hands each line, without its newline, to onLine", () => {
  const history = new ChatHistory(1);
  const handed: string[] = [];
  history.keep(encoder.encode("[a] x\n[a] y\n"), (line) => handed.push(decoder.decode(line)));
  assert.deepEqual(handed, ["[a] x", "[a] y"]);
  assert.deepEqual(texts(history), ["[a] y\n"]);
});

Deno.test("ChatHistory of size 0 keeps nothing and hands nothing on", () => {
  const history = new ChatHistory(0);
  const handed: string[] = [];
  history.keep(encoder.encode("[a] x\n"), (line) => handed.push(decoder.decode(line)));
  history.restore(["[a] y"]);
  assert.deepEqual([texts(history), handed], [[], []]);
});

Deno.test("ChatHistory.restore() takes text lines, and clear() forgets them", () => {
  const history = new ChatHistory(2);
  history.restore(["[a] one", "[b] two", "[c] three"]);
  assert.deepEqual(texts(history), ["[b] two\n", "[c] three\n"]);
  history.clear();
  assert.deepEqual(texts(history), []);
});

Deno.test("ChatHistory refuses a size that is not a whole number of 0 or more", () => {
  for (const size of [-1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => new ChatHistory(size), RangeError, String(size));
  }
});
