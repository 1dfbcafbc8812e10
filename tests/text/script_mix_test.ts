/**
 * Tests for lib/text/script_mix.ts: which mixes of scripts pass, and how the
 * scripts of a mixed string are named. The nickname rule built on it is
 * tested, with property tests, in ../chat/chat_names_test.ts.
 */

import assert from "node:assert/strict";
import { keepsToOneScript, NAMED_SCRIPTS, scriptsIn } from "../../lib/text/script_mix.ts";

Deno.test("keepsToOneScript() takes each named script alone, and text of no script", () => {
  const samples = ["a", "я", "ω", "漢", "ひ", "カ", "한", "ㄅ", "ع", "ש", "ա", "ა", "क", "ক", "ਕ"];
  samples.push("ક", "କ", "க", "క", "ಕ", "ക", "ක", "ก", "ກ", "ཀ", "က", "ក", "ሀ", "ހ");
  assert.equal(samples.length, NAMED_SCRIPTS.length);
  samples.forEach((sample, i) => {
    assert.deepEqual(scriptsIn(sample), [NAMED_SCRIPTS[i]], sample);
    assert.ok(keepsToOneScript(sample + "_1-"), sample);
  });
  for (const text of ["", "_", "123", "-_-"]) assert.ok(keepsToOneScript(text), text);
});

Deno.test("keepsToOneScript() lets Latin join any named script but Cyrillic and Greek", () => {
  assert.ok(keepsToOneScript("Aliمحمد"));
  assert.ok(keepsToOneScript("Rajमोहन"));
  assert.ok(keepsToOneScript("Sato田中さんカ"));
  assert.ok(!keepsToOneScript("Ivanя"));
  assert.ok(!keepsToOneScript("Nikoω"));
  assert.ok(!keepsToOneScript("aمש"), "Latin with two others");
  assert.ok(!keepsToOneScript("漢ひ한"), "Japanese and Korean");
});

Deno.test("scriptsIn() names each script once, in order, a character's first, other last", () => {
  assert.deepEqual(scriptsIn("\u13aaw\u0430tcher"), ["Latin", "Cyrillic", "other"]);
  assert.deepEqual(scriptsIn("漢字ひらがな한"), ["Han", "Hiragana", "Hangul"]);
  // The prolonged sound mark is Hiragana and Katakana: counted under Katakana, already there.
  assert.deepEqual(scriptsIn("カー"), ["Katakana"]);
  assert.deepEqual(scriptsIn("__12"), []);
});
