/**
 * How many columns a character takes on a terminal, so the line editor knows
 * where its cursor is once a line wraps: CJK and emoji take two, combining
 * marks none, control characters are never sent to the terminal as they are
 * (see {@linkcode visibleForm}).
 *
 * NOTE: the wide ranges are the East Asian Wide and Fullwidth blocks and the
 * emoji blocks, not every code point of Unicode's EastAsianWidth table; a
 * terminal may also disagree about an emoji or two. That costs a cursor one
 * column off on such a line, never lost text.
 *
 * @module
 */

/** Code point ranges, [first, last], that take two columns. Sorted. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b], // watch, hourglass
  [0x2329, 0x232a], // angle brackets
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, symbols and punctuation
  [0x3041, 0x33ff], // kana, bopomofo, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo extended A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small forms
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff], // Tangut
  [0x1b000, 0x1b2ff], // kana supplement
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f320], // emoji from here on
  [0x1f32d, 0x1f335],
  [0x1f337, 0x1f37c],
  [0x1f37e, 0x1f393],
  [0x1f3a0, 0x1f3ca],
  [0x1f3cf, 0x1f3d3],
  [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4],
  [0x1f3f8, 0x1f43e],
  [0x1f440, 0x1f440],
  [0x1f442, 0x1f4fc],
  [0x1f4ff, 0x1f53d],
  [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567],
  [0x1f57a, 0x1f57a],
  [0x1f595, 0x1f596],
  [0x1f5a4, 0x1f5a4],
  [0x1f5fb, 0x1f64f],
  [0x1f680, 0x1f6c5],
  [0x1f6cc, 0x1f6cc],
  [0x1f6d0, 0x1f6d2],
  [0x1f6d5, 0x1f6d7],
  [0x1f6eb, 0x1f6ec],
  [0x1f6f4, 0x1f6fc],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f93a],
  [0x1f93c, 0x1f945],
  [0x1f947, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd], // CJK extensions B to F
  [0x30000, 0x3fffd], // CJK extension G and later
];

/** Code point ranges that take no column: combining marks, joiners, variation selectors. */
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], // combining diacritical marks
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0670, 0x0670],
  [0x06d6, 0x06dc],
  [0x0900, 0x0902], // Devanagari signs
  [0x093a, 0x093a],
  [0x093c, 0x093c],
  [0x0941, 0x0948],
  [0x094d, 0x094d],
  [0x0e31, 0x0e31], // Thai vowel signs
  [0x0e34, 0x0e3a],
  [0x0e47, 0x0e4e],
  [0x1160, 0x11ff], // Hangul Jamo medial vowels and finals: they join the initial
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200d], // zero width space, non-joiner, joiner
  [0x20d0, 0x20ff], // combining marks for symbols
  [0x302a, 0x302d],
  [0x3099, 0x309a], // kana voiced sound marks
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe2f],
  [0x1f3fb, 0x1f3ff], // skin tone modifiers join the emoji before them
  [0xe0100, 0xe01ef],
];

function inRanges(codePoint: number, ranges: readonly (readonly [number, number])[]): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = ranges[middle]!;
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}

/**
 * Columns a printable character takes: 0, 1 or 2. Control characters are
 * not printable here: see {@linkcode visibleForm}.
 *
 * @param codePoint A Unicode code point.
 * @returns Its width in terminal columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { charWidth } from "./char_width.ts";
 * assert.equal(charWidth("a".codePointAt(0)!), 1);
 * assert.equal(charWidth("好".codePointAt(0)!), 2);
 * assert.equal(charWidth(0x0301), 0); // combining acute accent
 * ```
 */
export function charWidth(codePoint: number): number {
  if (codePoint < 0x0300) return 1; // the common case first: Latin, digits, punctuation
  if (inRanges(codePoint, ZERO)) return 0;
  return inRanges(codePoint, WIDE) ? 2 : 1;
}

/**
 * Whether a character would act on the terminal instead of showing: C0 and
 * C1 controls, DEL, and the bidirectional controls that reorder what follows
 * them (U+202E would show the rest of a line backwards).
 *
 * @param codePoint A Unicode code point.
 * @returns True if it must not be written to a terminal as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isTerminalControl } from "./char_width.ts";
 * assert(isTerminalControl(0x1b)); // ESC starts cursor movements
 * assert(!isTerminalControl(0x41));
 * ```
 */
export function isTerminalControl(codePoint: number): boolean {
  return codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x061c || codePoint === 0x200e || codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0x2028 || codePoint === 0x2029;
}

/**
 * How a control character is shown instead: caret notation for C0 and DEL
 * (`^[` for ESC, `^I` for a tab typed into the line), `<U+202E>` for the rest,
 * as `cat -v` and readline make them visible.
 *
 * @param codePoint A character for which {@linkcode isTerminalControl} is true.
 * @returns Printable ASCII text that stands for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { visibleForm } from "./char_width.ts";
 * assert.equal(visibleForm(0x1b), "^[");
 * assert.equal(visibleForm(0x202e), "<U+202E>");
 * ```
 */
export function visibleForm(codePoint: number): string {
  if (codePoint < 0x20) return "^" + String.fromCharCode(codePoint + 0x40);
  if (codePoint === 0x7f) return "^?";
  return `<U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}>`;
}
