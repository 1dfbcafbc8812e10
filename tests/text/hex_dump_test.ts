/**
 * hexDump(): the exact `hexdump -C` layout (the expected lines below are what
 * `hexdump -C` printed for the same bytes, without its final offset line), at
 * the lengths where lines and groups begin and end, and the cap.
 */

import assert from "node:assert/strict";
import { hexDump } from "../../lib/text/hex_dump.ts";
import { TEXTS } from "../../lib/text/texts.ts";

const encoder = new TextEncoder();

Deno.test("hexDump() of no bytes is no lines", () => {
  assert.deepEqual(hexDump(new Uint8Array(0)), []);
});

Deno.test("hexDump() of 1 byte pads the hex column so the text column stays in place", () => {
  assert.deepEqual(hexDump(encoder.encode("A")), [
    "00000000  41                                                |A|",
  ]);
});

Deno.test("hexDump() of the tutorial's message, with its newline shown as a dot", () => {
  assert.deepEqual(hexDump(encoder.encode("good boy\n")), [
    "00000000  67 6f 6f 64 20 62 6f 79  0a                       |good boy.|",
  ]);
});

Deno.test("hexDump() of 15 bytes: one short line, CR and LF as dots", () => {
  assert.deepEqual(hexDump(encoder.encode("hello, world!\r\n")), [
    "00000000  68 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0d 0a     |hello, world!..|",
  ]);
});

Deno.test("hexDump() of 16 bytes: exactly one full line", () => {
  assert.deepEqual(hexDump(encoder.encode("0123456789abcdef")), [
    "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|",
  ]);
});

Deno.test("hexDump() of 17 bytes: a second line at offset 00000010", () => {
  assert.deepEqual(hexDump(encoder.encode("0123456789abcdefg")), [
    "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|",
    "00000010  67                                                |g|",
  ]);
});

Deno.test("hexDump() of 33 bytes: three lines", () => {
  assert.deepEqual(hexDump(encoder.encode("The quick brown fox jumps over th")), [
    "00000000  54 68 65 20 71 75 69 63  6b 20 62 72 6f 77 6e 20  |The quick brown |",
    "00000010  66 6f 78 20 6a 75 6d 70  73 20 6f 76 65 72 20 74  |fox jumps over t|",
    "00000020  68                                                |h|",
  ]);
});

Deno.test("hexDump() shows only bytes 0x20-0x7e as text: controls, DEL, high bytes and UTF-8 are dots", () => {
  const bytes = new Uint8Array([0x00, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xff, ...encoder.encode("好")]);
  assert.deepEqual(hexDump(bytes), [
    "00000000  00 1f 20 7e 7f 80 ff e5  a5 bd                    |.. ~......|",
  ]);
  // Nothing a terminal could take as a command gets through, for any byte value.
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const line of hexDump(every)) assert.match(line, /^[\x20-\x7e]*$/);
});

Deno.test("hexDump() with maxBytes shows that many bytes, then a line with how many more", () => {
  const bytes = encoder.encode("x".repeat(100));
  const lines = hexDump(bytes, { maxBytes: 20 });
  assert.deepEqual(lines, [
    "00000000  78 78 78 78 78 78 78 78  78 78 78 78 78 78 78 78  |xxxxxxxxxxxxxxxx|",
    "00000010  78 78 78 78                                       |xxxx|",
    "... 80 more bytes",
  ]);
  assert.equal(lines.at(-1), TEXTS.en.hexDumpMore(80));
});

Deno.test("hexDump() with maxBytes at or over the length adds no line; 0 shows only the count", () => {
  const bytes = encoder.encode("0123456789abcdef");
  assert.deepEqual(hexDump(bytes, { maxBytes: 16 }), hexDump(bytes));
  assert.deepEqual(hexDump(bytes, { maxBytes: 4096 }), hexDump(bytes));
  assert.deepEqual(hexDump(bytes, { maxBytes: 0 }), ["... 16 more bytes"]);
});

Deno.test("hexDump() takes the text of the last line from moreBytes (the language's)", () => {
  const lines = hexDump(new Uint8Array(5000), {
    maxBytes: 4096,
    moreBytes: TEXTS.zh.hexDumpMore,
  });
  assert.equal(lines.length, 4096 / 16 + 1);
  assert.equal(
    lines[255],
    "00000ff0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
  );
  assert.equal(lines[256], "... 还有 904 字节");
});

Deno.test("hexDump() shows a view's own bytes, with offsets from its start", () => {
  const buffer = encoder.encode("skip|shown");
  assert.deepEqual(hexDump(buffer.subarray(5)), [
    "00000000  73 68 6f 77 6e                                    |shown|",
  ]);
});

Deno.test("hexDump() throws a RangeError for a negative or fractional maxBytes", () => {
  for (const maxBytes of [-1, 1.5, Number.NaN]) {
    assert.throws(() => hexDump(new Uint8Array(4), { maxBytes }), RangeError);
  }
});
