/**
 * Tests for lib/client/line_style.ts: which line starts get a style, how far it
 * reaches, and that a nickname's colour is stable, readable and spread out.
 * How the styles reach the screen is tested in prompt_view_test.ts.
 */

import assert from "node:assert/strict";
import { chatLineStyle, NICK_COLORS, nickColor, SGR_DIM } from "../../lib/client/line_style.ts";

Deno.test("chatLineStyle() colours the brackets of [nick], not the space after them", () => {
  assert.deepEqual(chatLineStyle("[alice] hi"), { sgr: nickColor("alice"), length: 7 });
  assert.deepEqual(chatLineStyle("[alice] "), { sgr: nickColor("alice"), length: 7 });
  assert.deepEqual(chatLineStyle("[张三] 你好"), { sgr: nickColor("张三"), length: 4 });
  assert.deepEqual(chatLineStyle("[guest-1_x] [not] a nick"), {
    sgr: nickColor("guest-1_x"),
    length: 11,
  });
});

Deno.test("chatLineStyle() colours [nick -> other] in the sender's colour", () => {
  assert.deepEqual(chatLineStyle("[bob -> alice] psst"), { sgr: nickColor("bob"), length: 14 });
});

Deno.test("chatLineStyle() dims a whole notice line", () => {
  assert.deepEqual(chatLineStyle("*** alice joined"), { sgr: SGR_DIM, length: null });
  assert.deepEqual(chatLineStyle("*** "), { sgr: SGR_DIM, length: null });
});

Deno.test("chatLineStyle() colours * nick of a /me line in the nick's colour, not dim", () => {
  assert.deepEqual(chatLineStyle("* alice waves"), { sgr: nickColor("alice"), length: 7 });
  assert.deepEqual(chatLineStyle("* server shutting down"), {
    sgr: nickColor("server"),
    length: 8,
  });
  assert.deepEqual(chatLineStyle("* 张三 挥手"), { sgr: nickColor("张三"), length: 4 });
  assert.notDeepEqual(
    chatLineStyle("* server shutting down"),
    chatLineStyle("*** server shutting down"),
  );
});

Deno.test("chatLineStyle() leaves other lines alone", () => {
  for (
    const start of [
      "",
      "plain text",
      " [alice] hi", // not at the start
      "[alice]hi", // no space after the bracket
      "[alice]", // the line (or the piece) ends before the space
      "[ali", // a nick split across reads
      "[] x",
      "[a b] x",
      "[[a]] x",
      "[a ->b] x",
      "[a -> ] x",
      "[a\x1bb] x", // a control character
      "[a\u202eb] x", // a bidi override
      "[a\u200bb] x", // a format character
      `[${"n".repeat(33)}] x`, // longer than any nick
      "*notice",
      " * notice",
      "** x",
      "* ", // an action's name not there yet
      "* alice", // the line (or the piece) ends before the space
      "* a*b x", // no name holds a star
      "* a\x1bb x", // a control character
      `* ${"n".repeat(33)} x`, // longer than any nick
    ]
  ) {
    assert.equal(chatLineStyle(start), null, JSON.stringify(start));
  }
  assert.notEqual(chatLineStyle(`[${"n".repeat(32)}] x`), null);
});

Deno.test("nickColor() gives a name the same palette colour every time, whatever its case", () => {
  for (const nick of ["alice", "Bob", "张三", "guest12", "ａｌｉｃｅ", "😀"]) {
    assert.ok(NICK_COLORS.includes(nickColor(nick)), nick);
    assert.equal(nickColor(nick), nickColor(nick));
    assert.equal(nickColor(nick.toUpperCase()), nickColor(nick));
  }
});

Deno.test("nickColor() spreads names over the palette", () => {
  const names = Array.from({ length: 60 }, (_, i) => `guest${i + 1}`);
  const used = new Set(names.map(nickColor));
  assert.equal(used.size, NICK_COLORS.length);
  const few = ["alice", "bob", "carol", "dave"];
  assert.ok(new Set(few.map(nickColor)).size >= 3, few.map(nickColor).join(" "));
});

Deno.test("NICK_COLORS are twelve 256-colour foregrounds of the colour cube: no default, black, white or grey", () => {
  assert.equal(new Set(NICK_COLORS).size, 12);
  for (const sgr of NICK_COLORS) {
    // deno-lint-ignore no-control-regex -- the escape sequence is what it checks
    const match = /^\x1b\[38;5;(\d+)m$/.exec(sgr);
    assert.ok(match !== null, JSON.stringify(sgr));
    const index = Number(match[1]);
    // 16 to 231 is the 6x6x6 cube; 16 is black and 231 white. (No red: tests/web/chat_test.ts.)
    assert.ok(index > 16 && index < 231, sgr);
  }
});
