/**
 * Tests for lib/chat/chat_names.ts: the nickname rule (names in one script
 * included), comparing names ignoring case and width, and guest numbering
 * against a reference that scans from 1.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  GUEST_PREFIX,
  isValidNick,
  MAX_NICK_LENGTH,
  nickKey,
  nickProblem,
  NickRegistry,
} from "../../lib/chat/chat_names.ts";
import { NAMED_SCRIPTS } from "../../lib/text/script_mix.ts";

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
      // No star of any kind: a /me line ("* nick text") must never start like a server line ("*** ").
      "*",
      "**",
      "*server",
      "＊",
      "∗",
      "⁎",
      "٭",
      "✱",
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

Deno.test("isValidNick() refuses names that mix scripts, and nickProblem() says which", () => {
  const refused: [string, string[]][] = [
    ["w\u0430tcher", ["Latin", "Cyrillic"]], // Cyrillic "а"
    ["\u0430dmin", ["Cyrillic", "Latin"]],
    ["\u0391lice", ["Greek", "Latin"]], // Greek capital alpha
    ["n\u03bf", ["Latin", "Greek"]], // Greek omicron
    ["Ол\u03b5г", ["Cyrillic", "Greek"]],
    ["ab\u0441d_1", ["Latin", "Cyrillic"]], // digits and "_" do not make it one script
    ["한ひ", ["Hangul", "Hiragana"]], // Korean and Japanese together
    ["ㄅか", ["Bopomofo", "Hiragana"]],
    ["Олег小明", ["Cyrillic", "Han"]],
    ["محمدשלום", ["Arabic", "Hebrew"]],
    ["\u13aalice", ["Latin", "other"]], // Cherokee A: Latin goes with no script it does not name
  ];
  for (const [name, scripts] of refused) {
    assert.ok(!isValidNick(name), name);
    assert.deepEqual(nickProblem(name), { kind: "scripts", scripts }, name);
  }
  assert.deepEqual(nickProblem("a b"), { kind: "form" });
  assert.deepEqual(nickProblem("w\u0430 tcher"), { kind: "form" }); // the form is said first
});

Deno.test("isValidNick() takes one script, with digits, _ and -, and the usual CJK mixes", () => {
  for (
    const name of [
      "watcher",
      "guest1",
      "a_b-c9",
      "José",
      "Jose\u0301", // é as e and a combining accent
      "niño",
      "straße",
      "ａｌｉｃｅ",
      "小明",
      "田中さん", // Han and Hiragana
      "カタカナー", // with the prolonged sound mark
      "김철수",
      "한국漢字", // Hangul and Han
      "ㄅㄆ中文", // Bopomofo and Han
      "Tom张", // Latin with Han
      "Sato田中さん",
      "محمد",
      "محمد١٢", // Arabic-Indic digits
      "मोहन", // vowel signs are marks of the same script
      "नमस्ते",
      "Олег_2",
      "Σωκράτης-3",
      "ᏣᎳᎩ", // a script the rule does not name, alone
      "__",
      "-",
      "123",
      "１２３",
    ]
  ) {
    assert.ok(isValidNick(name), name);
    assert.equal(nickProblem(name), null, name);
  }
});

/** Every letter, mark and decimal digit, each as a string. */
function nickCharacters(): string[] {
  const allowed = /^[\p{L}\p{M}\p{Nd}]$/u;
  const chars: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue; // surrogates are no characters
    const char = String.fromCodePoint(code);
    if (allowed.test(char)) chars.push(char);
  }
  return chars;
}

/** Today's rule without scripts: 1 to 24 letters, marks (not first), digits, "_" or "-". */
function hasNickForm(name: string): boolean {
  return /^[\p{L}\p{Nd}_-][\p{L}\p{M}\p{Nd}_-]*$/u.test(name) &&
    [...name].length <= MAX_NICK_LENGTH;
}

Deno.test("isValidNick() takes any name in one script (or allowed mix) that today's rule takes", () => {
  const all = nickCharacters().join("");
  /** The characters of `all` in one of `scripts`, by their Script_Extensions. */
  const inScripts = (scripts: readonly string[]) =>
    all.match(new RegExp(`[${scripts.map((s) => `\\p{scx=${s}}`).join("")}]`, "gu")) ?? [];
  const named = new RegExp(`[${NAMED_SCRIPTS.map((s) => `\\p{scx=${s}}`).join("")}]`, "u");
  const sets: { label: string; chars: string[] }[] = [
    ...NAMED_SCRIPTS.map((script) => ({ label: script, chars: inScripts([script]) })),
    ...[["Han", "Hiragana", "Katakana"], ["Han", "Bopomofo"], ["Han", "Hangul"], ["Arabic"]].map(
      (scripts) => ({ label: `Latin+${scripts}`, chars: inScripts(["Latin", ...scripts]) }),
    ),
    // Scripts the rule does not name: their characters that belong to no named script.
    ...["Cherokee", "Mongolian", "Tifinagh", "Yi", "Canadian_Aboriginal"].map((script) => ({
      label: script,
      chars: inScripts([script]).filter((char) => !named.test(char)),
    })),
  ];
  const common = [..."0123456789_-"];
  for (const { label, chars } of sets) {
    assert.ok(chars.length > 0, label);
    const pick = fc.nat({ max: chars.length + common.length - 1 })
      .map((i) => i < chars.length ? chars[i]! : common[i - chars.length]!);
    const name = fc.array(pick, { minLength: 1, maxLength: MAX_NICK_LENGTH + 2 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(name, (name) => {
        assert.equal(isValidNick(name), hasNickForm(name), `${label}: ${JSON.stringify(name)}`);
      }),
      { numRuns: 200 },
    );
  }
});

Deno.test("isValidNick() refuses any name with a letter only Latin and one only Cyrillic or Greek", () => {
  const all = nickCharacters();
  const only = (script: string, others: string[]) => {
    const own = new RegExp(`\\p{scx=${script}}`, "u");
    const foreign = new RegExp(`[${others.map((s) => `\\p{scx=${s}}`).join("")}]`, "u");
    return all.filter((char) => /\p{L}/u.test(char) && own.test(char) && !foreign.test(char));
  };
  const latin = only("Latin", ["Cyrillic", "Greek"]);
  for (const other of ["Cyrillic", "Greek"]) {
    const foreign = only(other, ["Latin"]);
    const letters = [...latin, ...foreign, ..."0123456789_-"];
    const name = fc.tuple(
      fc.constantFrom(...latin.slice(0, 200)), // the first 200 Latin letters: ASCII and accented
      fc.nat({ max: foreign.length - 1 }).map((i) => foreign[i]!),
      fc.array(fc.nat({ max: letters.length - 1 }).map((i) => letters[i]!), { maxLength: 20 }),
      fc.boolean(),
    ).map(([a, b, rest, swap]) => (swap ? [b, a] : [a, b]).concat(rest).join(""));
    fc.assert(
      fc.property(name, (name) => {
        assert.ok(!isValidNick(name), `${other}: ${JSON.stringify(name)}`);
        assert.equal(nickProblem(name)?.kind, "scripts", JSON.stringify(name));
      }),
    );
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
