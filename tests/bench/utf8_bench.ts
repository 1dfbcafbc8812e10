/**
 * Throughput of the UTF-8 helpers: streaming decode of reads that split
 * characters, and the check for an incomplete character at the end of a read.
 * `deno task bench` runs it.
 *
 * @module
 */

import { incompleteTailLength, Utf8StreamDecoder } from "../../lib/text/utf8.ts";

/** Bytes per benchmark iteration. */
const STREAM_BYTES = 1 << 20;

function text(unit: string): Uint8Array {
  const encoded = new TextEncoder().encode(unit.repeat(STREAM_BYTES));
  return encoded.subarray(0, STREAM_BYTES);
}

const ASCII = text("a");
const CJK = text("好");

for (const [name, bytes] of [["ASCII", ASCII], ["CJK", CJK]] as const) {
  for (const readBytes of [64, 65536]) {
    Deno.bench({
      name: `stream-decode 1 MiB ${name} in ${readBytes}-byte reads`,
      group: `decode ${name}`,
      fn: () => {
        const decoder = new Utf8StreamDecoder();
        let chars = 0;
        // 64 is not a multiple of 3, so CJK reads end inside characters.
        for (let at = 0; at < bytes.length; at += readBytes) {
          chars += decoder.decode(bytes.subarray(at, at + readBytes)).length;
        }
        chars += decoder.end().length;
        if (chars === 0) throw new Error("nothing decoded");
      },
    });
  }
  Deno.bench({
    name: `incompleteTailLength on every 64-byte read of 1 MiB ${name}`,
    group: `tail ${name}`,
    fn: () => {
      let held = 0;
      for (let at = 64; at <= bytes.length; at += 64) {
        held += incompleteTailLength(bytes.subarray(0, at));
      }
      if (name === "CJK" && held === 0) throw new Error("no split character found");
    },
  });
}
