/**
 * Tests for lib/chat/chat_names.ts: the nickname rule, comparing names ignoring
 * case and width, and guest numbering against a reference that scans from 1.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  GUEST_PREFIX,
  isValidNick,
  MAX_NICK_LENGTH,
  nickKey,
  NickRegistry,
} from "../../lib/chat/chat_names.ts";

Deno.test("isValidNick() takes letters of any script, digits, _ and -, up to 24 characters", () => {
  for (
    const name of [
      "a",
      "guest1",
      "Alice",
      "a_b-c",
      "-",
      "_",
      "张三",
      "Ünïcödé",
      "Σωκράτης",
      "Олег",
      "محمد",
      "मोहन", // a vowel sign (a combining mark) after the first letter
      "𠀀𠀁", // outside the BMP: one character each
      "x".repeat(MAX_NICK_LENGTH),
      "好".repeat(MAX_NICK_LENGTH),
      "𠀀".repeat(MAX_NICK_LENGTH),
    ]
  ) {
    assert.ok(isValidNick(name), name);
  }
});

Deno.test("isValidNick() refuses empty, long, spaced, punctuated, symbol and control names", () => {
  for (
    const name of [
      "",
      "x".repeat(MAX_NICK_LENGTH + 1),
      "好".repeat(MAX_NICK_LENGTH + 1),
      "a b",
      "a\tb",
      " a",
      "a*",
      "[a]",
      "a:b",
      "a.b",
      "a/b",
      "😀",
      "a\x1b[31m",
      "a\x00",
      "a\x7f",
      "a\x85",
      "a\u202eb",
      "a\u200bb", // zero width space
      "a\u200db", // zero width joiner
      "a\u2028",
      "\u0301a", // a combining mark cannot come first
    ]
  ) {
    assert.ok(!isValidNick(name), JSON.stringify(name));
  }
});

Deno.test("nickKey() is the same for names that differ in case or width only", () => {
  const same: [string, string][] = [
    ["alice", "ALICE"],
    ["Alice", "aLiCe"],
    ["alice", "ａｌｉｃｅ"],
    ["straße", "STRASSE"],
    ["σας", "ΣΑΣ"],
    ["ΣΑΣ", "σασ"],
    ["guest1", "GUEST1"],
  ];
  for (const [one, other] of same) assert.equal(nickKey(one), nickKey(other), `${one} ${other}`);
  assert.notEqual(nickKey("alice"), nickKey("alicia"));
  assert.notEqual(nickKey("guest1"), nickKey("guest01"));
});

Deno.test("NickRegistry.holderOf() finds a holder ignoring case; delete() frees the name", () => {
  const names = new NickRegistry<string>();
  names.add("Alice", "a");
  assert.equal(names.holderOf("ALICE"), "a");
  assert.equal(names.holderOf("bob"), undefined);
  names.delete("alice");
  assert.equal(names.holderOf("Alice"), undefined);
  names.delete("alice"); // twice: nothing
});

Deno.test("NickRegistry.add() refuses a name someone else holds, and lets the holder re-add it", () => {
  const names = new NickRegistry<string>();
  names.add("alice", "a");
  assert.throws(() => names.add("ALICE", "b"), /Cannot add the name "ALICE": it is taken/);
  names.add("ALICE", "a");
  assert.equal(names.holderOf("alice"), "a");
});

Deno.test("NickRegistry.nextGuestName() gives the lowest free number and does not take it", () => {
  const names = new NickRegistry<number>();
  assert.equal(names.nextGuestName(), "guest1");
  assert.equal(names.nextGuestName(), "guest1");
  names.add("guest1", 1);
  names.add("GUEST2", 2);
  names.add("guest4", 4);
  assert.equal(names.nextGuestName(), "guest3");
  names.add("guest3", 3);
  assert.equal(names.nextGuestName(), "guest5");
  names.delete("Guest2");
  assert.equal(names.nextGuestName(), "guest2");
  names.add("guest02", 0); // not guest number 2
  assert.equal(names.nextGuestName(), "guest2");
});

Deno.test("NickRegistry.nextGuestName() equals a scan from 1 after any adds and deletes", () => {
  const nameOf = fc.oneof(
    fc.integer({ min: 1, max: 12 }).map((n) => `${GUEST_PREFIX}${n}`),
    fc.integer({ min: 1, max: 12 }).map((n) => `GUEST${n}`),
    fc.constantFrom("alice", "guest0", "guest007", "guests"),
  );
  const step = fc.tuple(fc.boolean(), nameOf);
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const names = new NickRegistry<string>();
      const taken = new Set<string>();
      for (const [add, name] of steps) {
        const key = name.toLowerCase();
        if (add && !taken.has(key)) {
          names.add(name, key);
          taken.add(key);
        } else if (!add) {
          names.delete(name);
          taken.delete(key);
        }
        let expected = 1;
        while (taken.has(`guest${expected}`)) expected++;
        assert.equal(names.nextGuestName(), `guest${expected}`);
      }
    }),
  );
});
