/**
 * The room key's check (`lib/chat/room_key.ts`): the key once trimmed, in
 * any script; nothing else, whatever its length; too short a key refused.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MIN_ROOM_KEY_LENGTH, RoomKey } from "../../lib/chat/room_key.ts";

Deno.test("RoomKey.matches() takes the key, trimmed as a terminal or a paste sends it", () => {
  const key = new RoomKey("class-7b-secret");
  assert.equal(key.matches("class-7b-secret"), true);
  assert.equal(key.matches("class-7b-secret\r"), true);
  assert.equal(key.matches("  class-7b-secret \t"), true);
});

Deno.test("RoomKey.matches() refuses anything else: a prefix, a longer text, a case, empty", () => {
  const key = new RoomKey("class-7b-secret");
  for (const guess of ["", "class", "class-7b-secre", "class-7b-secret!", "CLASS-7B-SECRET", "x"]) {
    assert.equal(key.matches(guess), false, guess);
  }
  assert.equal(key.matches("c".repeat(100_000)), false);
});

Deno.test("RoomKey compares whole characters: a Chinese key, and one differing in one byte", () => {
  const key = new RoomKey("七年级二班的密钥");
  assert.equal(key.matches("七年级二班的密钥"), true);
  assert.equal(key.matches("七年级二班的密钦"), false);
});

Deno.test("RoomKey refuses a key shorter than MIN_ROOM_KEY_LENGTH", () => {
  assert.throws(() => new RoomKey("x".repeat(MIN_ROOM_KEY_LENGTH - 1)), RangeError);
  assert.doesNotThrow(() => new RoomKey("x".repeat(MIN_ROOM_KEY_LENGTH)));
});
