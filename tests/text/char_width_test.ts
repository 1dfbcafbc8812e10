/**
 * Tests for lib/text/char_width.ts: widths at the edges of the tables (a range
 * table searched by bisection goes wrong at its ends first), the control
 * characters that must never reach a terminal, and their visible forms.
 */

import assert from "node:assert/strict";
import { charWidth, isTerminalControl, visibleForm } from "../../lib/text/char_width.ts";

function widthOf(char: string): number {
  return charWidth(char.codePointAt(0)!);
}

// --- charWidth() ---

Deno.test("charWidth() gives 1 for ASCII, Latin, Greek, Cyrillic and other narrow scripts", () => {
  for (
    const char of ["a", "Z", "0", " ", "~", "é", "ß", "ÿ", "Ω", "ж", "א", "ع", "अ", "ก", "€", "→"]
  ) {
    assert.equal(widthOf(char), 1, char);
  }
});

Deno.test("charWidth() gives 2 for CJK, kana, Hangul and fullwidth forms", () => {
  for (
    const char of [
      "好",
      "男",
      "孩",
      "一",
      "龥",
      "あ",
      "ア",
      "가",
      "힣",
      "Ａ",
      "！",
      "、",
      "。",
      "ㄅ",
      "𠀀",
      "𪚥",
    ]
  ) {
    assert.equal(widthOf(char), 2, char);
  }
});

Deno.test("charWidth() gives 2 for emoji", () => {
  for (
    const char of [
      "😀",
      "🙏",
      "🚀",
      "🤔",
      "🧡",
      "🥰",
      "🌍",
      "🍕",
      "🎉",
      "🏠",
      "🐍",
      "👍",
      "💯",
      "⌚",
      "⏰",
      "⭐",
      "✅",
      "❌",
      "🟠",
      "🫠",
    ]
  ) {
    assert.equal(widthOf(char), 2, char);
  }
});

Deno.test("charWidth() gives 0 for combining marks, joiners, variation selectors and skin tones", () => {
  const zero = [
    0x0300, // combining grave
    0x0301, // combining acute
    0x036f, // last of the combining diacritical marks
    0x0483,
    0x05b0, // Hebrew point
    0x064b, // Arabic fathatan
    0x093c, // Devanagari nukta
    0x0e31, // Thai
    0x1160, // Hangul medial vowel
    0x11ff,
    0x1ab0,
    0x1dc0,
    0x200b, // zero width space
    0x200c, // zero width non-joiner
    0x200d, // zero width joiner
    0x20d0,
    0x20ff,
    0x302a,
    0x3099, // kana voiced sound mark
    0xfe00,
    0xfe0f, // variation selector 16
    0xfe20,
    0x1f3fb, // skin tones
    0x1f3ff,
    0xe0100,
    0xe01ef,
  ];
  for (const codePoint of zero) assert.equal(charWidth(codePoint), 0, codePoint.toString(16));
});

Deno.test("charWidth() is right on both sides of the edges of its ranges", () => {
  const cases: [number, number][] = [
    [0x02ff, 1],
    [0x0300, 0],
    [0x036f, 0],
    [0x0370, 1],
    [0x10ff, 1],
    [0x1100, 2], // Hangul initial consonants
    [0x115f, 2],
    [0x1160, 0], // medial vowels join the initial
    [0x11ff, 0],
    [0x1200, 1],
    [0x2e7f, 1],
    [0x2e80, 2],
    [0x303e, 2],
    [0x303f, 1], // half-fill space
    [0x3040, 1],
    [0x3041, 2],
    [0x4dbf, 2],
    [0x4dc0, 1], // Yijing hexagrams sit between extension A and the unified ideographs
    [0x4dff, 1],
    [0x4e00, 2],
    [0x9fff, 2],
    [0xa000, 2],
    [0xa4cf, 2],
    [0xa4d0, 1],
    [0xabff, 1],
    [0xac00, 2],
    [0xd7a3, 2],
    [0xd7a4, 1],
    [0xf8ff, 1],
    [0xf900, 2],
    [0xfaff, 2],
    [0xfb00, 1],
    [0xfeff, 1],
    [0xff00, 2],
    [0xff60, 2],
    [0xff61, 1], // halfwidth katakana
    [0xffdf, 1],
    [0xffe0, 2],
    [0xffe6, 2],
    [0xffe7, 1],
    [0x1f2ff, 1],
    [0x1f300, 2],
    [0x1f64f, 2],
    [0x1f650, 1],
    [0x1f680, 2],
    [0x1f9ff, 2],
    [0x1fa00, 1],
    [0x1faff, 2],
    [0x1fb00, 1],
    [0x1ffff, 1],
    [0x20000, 2],
    [0x2fffd, 2],
    [0x2fffe, 1],
    [0x30000, 2],
    [0x3fffd, 2],
    [0x3fffe, 1],
    [0xe0000, 1],
    [0x10ffff, 1],
  ];
  for (const [codePoint, width] of cases) {
    assert.equal(charWidth(codePoint), width, `U+${codePoint.toString(16).toUpperCase()}`);
  }
});

Deno.test("charWidth() is 0, 1 or 2 for every code point", () => {
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    const width = charWidth(codePoint);
    if (width !== 0 && width !== 1 && width !== 2) {
      assert.fail(`U+${codePoint.toString(16)}: ${width}`);
    }
  }
});

Deno.test("charWidth() never gives 2 to a nonspacing mark nor 0 or 2 to a letter of a narrow script", () => {
  const mark = /[\p{Mn}\p{Me}]/u; // spacing marks such as U+302E may be wide
  // Latin, Greek and Cyrillic letters, except the fullwidth forms (U+FF21 "Ａ")
  const narrowLetter = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}](?<=\p{L})/u;
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    if (codePoint >= 0xff00 && codePoint <= 0xffef) continue;
    if (codePoint === 0x16fe4) continue; // Khitan small script filler: a mark Unicode calls wide
    const char = String.fromCodePoint(codePoint);
    const width = charWidth(codePoint);
    if (width === 2 && mark.test(char)) assert.fail(`U+${codePoint.toString(16)} is a mark`);
    if (width !== 1 && narrowLetter.test(char)) {
      assert.fail(`U+${codePoint.toString(16)}: ${width}`);
    }
  }
});

// --- isTerminalControl() ---

/** The reference: C0, DEL, C1 and the bidirectional and line/paragraph separators. */
const CONTROLS = new Set([
  ...Array.from({ length: 0x20 }, (_, i) => i),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), // DEL and C1, 0x80-0x9f
  0x061c, // Arabic letter mark
  0x200e, // left-to-right mark
  0x200f, // right-to-left mark
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e, // right-to-left override
  0x2066,
  0x2067,
  0x2068,
  0x2069, // pop directional isolate
  0x2028, // line separator
  0x2029, // paragraph separator
]);

Deno.test("isTerminalControl() is true exactly for C0, DEL, C1, the bidi controls and the separators", () => {
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    if (isTerminalControl(codePoint) !== CONTROLS.has(codePoint)) {
      assert.fail(`U+${codePoint.toString(16).padStart(4, "0")}: ${isTerminalControl(codePoint)}`);
    }
  }
});

Deno.test("isTerminalControl() is true for ESC, CR, LF, tab and BEL, false for printable text", () => {
  for (const char of ["\x1b", "\r", "\n", "\t", "\x07", "\b", "\x00", "\x7f", "\u009b"]) {
    assert(isTerminalControl(char.codePointAt(0)!), JSON.stringify(char));
  }
  for (const char of [" ", "a", "~", "é", "好", "😀", "\u0301", "\u200d", "\u00a0"]) {
    assert(!isTerminalControl(char.codePointAt(0)!), JSON.stringify(char));
  }
});

// --- visibleForm() ---

Deno.test("visibleForm() shows C0 controls in caret notation", () => {
  assert.equal(visibleForm(0x00), "^@");
  assert.equal(visibleForm(0x01), "^A");
  assert.equal(visibleForm(0x07), "^G");
  assert.equal(visibleForm(0x09), "^I");
  assert.equal(visibleForm(0x0a), "^J");
  assert.equal(visibleForm(0x0d), "^M");
  assert.equal(visibleForm(0x1a), "^Z");
  assert.equal(visibleForm(0x1b), "^[");
  assert.equal(visibleForm(0x1c), "^\\");
  assert.equal(visibleForm(0x1d), "^]");
  assert.equal(visibleForm(0x1e), "^^");
  assert.equal(visibleForm(0x1f), "^_");
});

Deno.test("visibleForm() shows DEL as ^?", () => {
  assert.equal(visibleForm(0x7f), "^?");
});

Deno.test("visibleForm() shows C1 and bidi controls as <U+hex> (<U+202E>)", () => {
  assert.equal(visibleForm(0x80), "<U+0080>");
  assert.equal(visibleForm(0x85), "<U+0085>");
  assert.equal(visibleForm(0x9b), "<U+009B>"); // CSI in one byte
  assert.equal(visibleForm(0x9f), "<U+009F>");
  assert.equal(visibleForm(0x061c), "<U+061C>");
  assert.equal(visibleForm(0x200f), "<U+200F>");
  assert.equal(visibleForm(0x202e), "<U+202E>");
  assert.equal(visibleForm(0x2069), "<U+2069>");
  assert.equal(visibleForm(0x2028), "<U+2028>");
});

Deno.test("visibleForm() of every control is printable ASCII with nothing a terminal acts on", () => {
  for (const codePoint of CONTROLS) {
    const form = visibleForm(codePoint);
    assert.match(form, /^[\x20-\x7e]{2,8}$/, `U+${codePoint.toString(16)}`);
    for (const char of form) assert(!isTerminalControl(char.codePointAt(0)!));
    for (const char of form) assert.equal(widthOf(char), 1);
  }
});

Deno.test("visibleForm() gives each control a form of its own", () => {
  const forms = new Map<string, number>();
  for (const codePoint of CONTROLS) {
    const form = visibleForm(codePoint);
    assert(
      !forms.has(form),
      `${form} for both U+${forms.get(form)?.toString(16)} and U+${codePoint.toString(16)}`,
    );
    forms.set(form, codePoint);
  }
});
