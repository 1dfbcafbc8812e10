/**
 * Bytes shown as `hexdump -C` shows them, so you can see exactly what crossed
 * the wire, as `ncat -x` and `socat -x` do: every byte in hex, the printable
 * ones also as text, and nothing the terminal could take as a command.
 *
 * The server's `--trace` logs each read and write this way.
 *
 * @module
 */

import { TEXTS } from "./texts.ts";

/** Options for {@linkcode hexDump}. */
export interface HexDumpOptions {
  /**
   * Most bytes shown. When there are more, the last line says how many are
   * not shown (see `moreBytes`).
   *
   * @default {Infinity}
   */
  maxBytes?: number;
  /**
   * The text of that last line.
   *
   * @default {TEXTS.en.hexDumpMore} (`... 12345 more bytes`)
   */
  moreBytes?: (count: number) => string;
}

/** Bytes on one line, shown in two groups of eight. */
const BYTES_PER_LINE = 16;
const BYTES_PER_GROUP = 8;
const FIRST_PRINTABLE = 0x20; // space
const LAST_PRINTABLE = 0x7e; // "~": DEL (0x7f) and above are not printable ASCII
/** Hex of every byte value, made once: formatting a byte is then a lookup. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * Formats bytes like `hexdump -C`: per line the offset (8 hex digits), 16
 * bytes in hex in two groups of 8, and between bars the same bytes as text,
 * with each byte outside 0x20-0x7e (space to "~") shown as ".". Unlike
 * `hexdump -C`, repeated lines are not folded into `*` and no line with the
 * total length follows; no bytes give no lines.
 *
 * @param bytes What to show.
 * @param options See {@linkcode HexDumpOptions}.
 * @returns The lines, without "\n".
 * @throws {RangeError} If `maxBytes` is negative or not a whole number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexDump } from "./hex_dump.ts";
 * assert.deepEqual(hexDump(new TextEncoder().encode("good boy\n")), [
 *   "00000000  67 6f 6f 64 20 62 6f 79  0a                       |good boy.|",
 * ]);
 * assert.deepEqual(hexDump(new Uint8Array(20), { maxBytes: 4 }), [
 *   "00000000  00 00 00 00                                       |....|",
 *   "... 16 more bytes",
 * ]);
 * ```
 */
export function hexDump(bytes: Uint8Array, options: HexDumpOptions = {}): string[] {
  const maxBytes = options.maxBytes ?? Infinity;
  if (!(maxBytes === Infinity || (Number.isInteger(maxBytes) && maxBytes >= 0))) {
    throw new RangeError(
      `Cannot dump bytes: maxBytes must be a whole number >= 0, got ${maxBytes}`,
    );
  }
  const shown = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let offset = 0; offset < shown; offset += BYTES_PER_LINE) {
    const end = Math.min(offset + BYTES_PER_LINE, shown);
    let hex = "";
    let text = "";
    for (let i = offset; i < offset + BYTES_PER_LINE; i++) {
      if (i - offset === BYTES_PER_GROUP) hex += " ";
      if (i >= end) {
        hex += "   "; // keeps the text column where a full line has it
        continue;
      }
      const byte = bytes[i]!;
      hex += HEX[byte] + " ";
      text += byte >= FIRST_PRINTABLE && byte <= LAST_PRINTABLE ? String.fromCharCode(byte) : ".";
    }
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex} |${text}|`);
  }
  if (shown < bytes.length) {
    lines.push((options.moreBytes ?? TEXTS.en.hexDumpMore)(bytes.length - shown));
  }
  return lines;
}
