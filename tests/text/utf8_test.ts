/**
 * Tests for lib/utf8.ts: where the last whole character ends, lenient
 * decoding, and streaming decoding that does not depend on read boundaries.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeUtf8,
  incompleteTailLength,
  utf8Length,
  Utf8StreamDecoder,
} from "../../lib/text/utf8.ts";
import { concatBytes } from "../support/bytes.ts";

const encoder = new TextEncoder();

/** What the decoders in lib are meant to match: WHATWG UTF-8 with replacement, BOM kept. */
function referenceDecoder(): TextDecoder {
  return new TextDecoder("utf-8", { ignoreBOM: true });
}

/** Byte streams rich in multi-byte, invalid and cut-off sequences. */
const bytesArbitrary: fc.Arbitrary<Uint8Array> = fc.array(
  fc.oneof(
    fc.string({ unit: "binary", maxLength: 4 }).map((text) => encoder.encode(text)),
    fc.uint8Array({ maxLength: 4 }),
    fc.uint8Array({ minLength: 1, maxLength: 3 }).map((tail) =>
      concatBytes([new Uint8Array([0xf0]), tail])
    ),
    fc.constantFrom([0xff], [0xc0], [0xed, 0xa0], [0xf5], [0xe5, 0xa5], [0xf0, 0x9f, 0x98], [0x80])
      .map((values) => new Uint8Array(values)),
  ),
  { maxLength: 20 },
).map((parts) => concatBytes(parts));

// --- incompleteTailLength() ---

Deno.test("incompleteTailLength() returns 0 for empty input and ASCII", () => {
  assert.equal(incompleteTailLength(new Uint8Array(0)), 0);
  assert.equal(incompleteTailLength(encoder.encode("good boy")), 0);
  assert.equal(incompleteTailLength(encoder.encode("\n")), 0);
});

Deno.test("incompleteTailLength() counts every proper prefix of 2, 3 and 4-byte characters", () => {
  for (const char of ["é", "ß", "好", "€", "\uffff", "😀", "\u{10ffff}", "\u{10000}"]) {
    const encoded = encoder.encode(char);
    for (let length = 1; length < encoded.length; length++) {
      const prefix = encoded.subarray(0, length);
      assert.equal(incompleteTailLength(prefix), length, `${char} prefix of ${length}`);
      const afterText = concatBytes([encoder.encode("a好"), prefix]);
      assert.equal(incompleteTailLength(afterText), length, `a好 + ${char} prefix of ${length}`);
    }
    assert.equal(incompleteTailLength(encoded), 0, `whole ${char}`);
    assert.equal(incompleteTailLength(concatBytes([encoder.encode("x"), encoded])), 0, `x${char}`);
  }
});

Deno.test("incompleteTailLength() returns 0 for bytes that can never start a character", () => {
  for (const byte of [0xff, 0xfe, 0xc0, 0xc1, 0xf5, 0xf8, 0x80, 0xbf]) {
    assert.equal(incompleteTailLength(new Uint8Array([byte])), 0, byte.toString(16));
    assert.equal(incompleteTailLength(new Uint8Array([0x41, byte])), 0, `41 ${byte.toString(16)}`);
  }
});

Deno.test("incompleteTailLength() returns 0 for a surrogate prefix (ed a0) and other bad second bytes", () => {
  const invalid = [
    [0xed, 0xa0], // U+D800: a surrogate
    [0xed, 0xbf],
    [0xed, 0xa0, 0x80], // a whole encoded surrogate
    [0xe0, 0x80], // overlong
    [0xe0, 0x9f],
    [0xf0, 0x80], // overlong
    [0xf0, 0x8f, 0xbf],
    [0xf4, 0x90], // above U+10FFFF
    [0xf4, 0x90, 0x80],
    [0xc3, 0x41], // a lead byte cut short by ASCII
    [0x80, 0x80, 0x80],
    [0xf0, 0x9f, 0x98, 0x80, 0x80], // a stray continuation after a whole emoji
  ];
  for (const values of invalid) {
    assert.equal(incompleteTailLength(new Uint8Array(values)), 0, JSON.stringify(values));
  }
});

Deno.test("incompleteTailLength() holds back lead bytes that may still become valid", () => {
  assert.equal(incompleteTailLength(new Uint8Array([0xed])), 1);
  assert.equal(incompleteTailLength(new Uint8Array([0xed, 0x9f])), 2); // U+D7C0..U+D7FF
  assert.equal(incompleteTailLength(new Uint8Array([0xe0, 0xa0])), 2);
  assert.equal(incompleteTailLength(new Uint8Array([0xf0, 0x90, 0x80])), 3);
  assert.equal(incompleteTailLength(new Uint8Array([0xf4, 0x8f, 0xbf])), 3);
});

Deno.test("incompleteTailLength() holds back exactly what a streaming TextDecoder holds back", () => {
  fc.assert(
    fc.property(bytesArbitrary, (bytes) => {
      const tail = incompleteTailLength(bytes);
      assert.ok(tail >= 0 && tail <= 3 && tail <= bytes.length);
      const streamed = referenceDecoder().decode(bytes, { stream: true });
      assert.equal(decodeUtf8(bytes.subarray(0, bytes.length - tail)), streamed);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("incompleteTailLength() gives a cut that does not change the decoded text", () => {
  fc.assert(
    fc.property(bytesArbitrary, bytesArbitrary, (first, rest) => {
      const cut = first.length - incompleteTailLength(first);
      const whole = concatBytes([first, rest]);
      assert.equal(
        decodeUtf8(first.subarray(0, cut)) + decodeUtf8(concatBytes([first.subarray(cut), rest])),
        decodeUtf8(whole),
      );
    }),
    { numRuns: 1000 },
  );
});

// --- decodeUtf8() ---

Deno.test("decodeUtf8() decodes valid UTF-8", () => {
  assert.equal(
    decodeUtf8(encoder.encode("服务端接收到的信息为：好男孩 😀")),
    "服务端接收到的信息为：好男孩 😀",
  );
  assert.equal(decodeUtf8(new Uint8Array(0)), "");
});

Deno.test("decodeUtf8() turns invalid bytes into U+FFFD instead of throwing", () => {
  assert.equal(decodeUtf8(new Uint8Array([0x68, 0x69, 0xff])), "hi\uFFFD");
  assert.equal(decodeUtf8(new Uint8Array([0xc0, 0x80])), "\uFFFD\uFFFD");
  assert.equal(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80])), "\uFFFD\uFFFD\uFFFD");
  assert.equal(decodeUtf8(new Uint8Array([0xf5, 0x41])), "\uFFFDA");
  assert.equal(decodeUtf8(encoder.encode("好").subarray(0, 2)), "\uFFFD");
  assert.equal(decodeUtf8(new Uint8Array([0x61, 0x00, 0x62])), "a\0b");
});

Deno.test("decodeUtf8() keeps a leading byte order mark", () => {
  assert.equal(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), "\uFEFFA");
});

Deno.test("decodeUtf8() gives back any well-formed string it is given encoded", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      assert.equal(decodeUtf8(encoder.encode(text)), text);
    }),
  );
});

Deno.test("decodeUtf8() does not keep state between calls", () => {
  const hao = encoder.encode("好");
  assert.equal(decodeUtf8(hao.subarray(0, 1)), "\uFFFD");
  assert.equal(decodeUtf8(hao.subarray(1)), "\uFFFD\uFFFD");
});

// --- Utf8StreamDecoder ---

Deno.test("Utf8StreamDecoder.decode() keeps a 3-byte character split across two reads whole", () => {
  const decoder = new Utf8StreamDecoder();
  const hao = encoder.encode("好");
  assert.equal(decoder.decode(hao.subarray(0, 2)), "");
  assert.equal(decoder.decode(hao.subarray(2)), "好");
  assert.equal(decoder.end(), "");
});

Deno.test("Utf8StreamDecoder.decode() keeps a 4-byte character split into single bytes whole", () => {
  const decoder = new Utf8StreamDecoder();
  const emoji = encoder.encode("😀");
  let text = "";
  for (let i = 0; i < emoji.length; i++) text += decoder.decode(emoji.subarray(i, i + 1));
  assert.equal(text + decoder.end(), "😀");
});

Deno.test("Utf8StreamDecoder.end() turns an unfinished character into U+FFFD", () => {
  const decoder = new Utf8StreamDecoder();
  assert.equal(decoder.decode(encoder.encode("a好").subarray(0, 3)), "a");
  assert.equal(decoder.end(), "\uFFFD");
  assert.equal(decoder.decode(encoder.encode("b")), "b", "usable again after end()");
});

Deno.test("Utf8StreamDecoder gives the same text as TextDecoder on the whole stream for any split", () => {
  fc.assert(
    fc.property(bytesArbitrary, fc.array(fc.nat(), { maxLength: 20 }), (stream, cuts) => {
      const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) =>
        a - b
      );
      const decoder = new Utf8StreamDecoder();
      let text = "";
      let start = 0;
      for (const point of [...points, stream.length]) {
        text += decoder.decode(stream.subarray(start, point));
        start = point;
      }
      text += decoder.end();
      assert.equal(text, referenceDecoder().decode(stream));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("Utf8StreamDecoder gives the same text as TextDecoder when every read is one byte", () => {
  fc.assert(
    fc.property(bytesArbitrary, (stream) => {
      const decoder = new Utf8StreamDecoder();
      let text = "";
      for (let i = 0; i < stream.length; i++) text += decoder.decode(stream.subarray(i, i + 1));
      assert.equal(text + decoder.end(), referenceDecoder().decode(stream));
    }),
    { numRuns: 500 },
  );
});

Deno.test("utf8Length() equals TextEncoder's length for any text, lone surrogates included", () => {
  const encoder = new TextEncoder();
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      assert.equal(utf8Length(text), encoder.encode(text).length);
    }),
  );
  for (const text of ["", "\ud800", "a\udc00b", "\ud83d\ude00", "\ud83d"]) {
    assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
  }
});
