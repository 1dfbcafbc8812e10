/**
 * Tests for lib/chat/chat_history.ts: the bound, lines split out of frames, and
 * the lines handed on for the bus.
 */

import assert from "node:assert/strict";
import { ChatHistory, LINE_ID } from "../../lib/chat/chat_history.ts";

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
  history.keep(
    encoder.encode("[a] x\n[a] y\n"),
    undefined,
    (line) => handed.push(decoder.decode(line)),
  );
  assert.deepEqual(handed, ["[a] x", "[a] y"]);
  assert.deepEqual(texts(history), ["[a] y\n"]);
});

Deno.test("ChatHistory of size 0 keeps nothing and hands nothing on", () => {
  const history = new ChatHistory(0);
  const handed: string[] = [];
  history.keep(encoder.encode("[a] x\n"), undefined, (line) => handed.push(decoder.decode(line)));
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

Deno.test("ChatHistory gives each line an id, keeps the ids it is given, and since() hands what came after one", () => {
  const history = new ChatHistory(3);
  history.keep(encoder.encode("[a] 1\n[a] 2\n"), ["x.1", "bad id!"]);
  const [first, second] = history.ids;
  assert.equal(first, "x.1", "an id given is kept");
  assert.match(second!, LINE_ID, "a malformed one is replaced");
  const frame = encoder.encode("[b] 3\n[b] 4\n");
  history.keep(frame);
  assert.deepEqual(history.idsOf(frame), history.ids.slice(1), "the frame's ids, for the page");
  assert.equal(history.idsOf(encoder.encode("*** a notice\n")), undefined);
  const text = (lines: Uint8Array[]) => lines.map((line) => decoder.decode(line));
  assert.deepEqual(text(history.since(history.ids[1]!).lines), ["[b] 4\n"]);
  assert.deepEqual(
    text(history.since("x.1").lines),
    ["[a] 2\n", "[b] 3\n", "[b] 4\n"],
    "gone: all",
  );
  assert.deepEqual(history.since(history.ids[2]!), { lines: [], ids: [] }, "the last one: nothing");
  assert.equal(new Set([...history.ids, ...new ChatHistory(1).newIds(3)!]).size, 6, "no two alike");
});

Deno.test("ChatHistory.restore() keeps the ids the bus kept, and makes one where there is none", () => {
  const history = new ChatHistory(5);
  history.restore([{ line: "[a] 1", id: "s.1" }, { line: "[a] 2" }, "[a] 3"]);
  assert.equal(history.ids[0], "s.1");
  assert.equal(new Set(history.ids).size, 3);
  assert.equal(new ChatHistory(0).newIds(2), undefined, "no history, no ids");
});
