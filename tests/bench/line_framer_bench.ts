/**
 * Throughput of the framer on the hot path of reply mode: lines of 1 byte,
 * 64 bytes and 64 KiB, ASCII and Chinese, fed in 64 KiB reads as the server
 * gets them. `deno task bench` runs it; divide the bytes by the time per
 * iteration for MB/s.
 *
 * @module
 */

import { LineFramer } from "../../lib/stream/line_framer.ts";
import { decodeUtf8 } from "../../lib/text/utf8.ts";

/** Bytes per benchmark iteration (one "stream"). */
const STREAM_BYTES = 1 << 20;
/** Size of one read, as the server's largest read buffer. */
const READ_BYTES = 65536;

/** Builds about STREAM_BYTES of lines whose body is `unit` repeated to `lineBytes`. */
function stream(unit: string, lineBytes: number): Uint8Array {
  const unitBytes = new TextEncoder().encode(unit).length;
  const line = unit.repeat(Math.max(1, Math.floor(lineBytes / unitBytes))) + "\n";
  const encoded = new TextEncoder().encode(line);
  const count = Math.max(1, Math.floor(STREAM_BYTES / encoded.length));
  const bytes = new Uint8Array(count * encoded.length);
  for (let i = 0; i < count; i++) bytes.set(encoded, i * encoded.length);
  return bytes;
}

const CASES: [string, Uint8Array][] = [
  ["1-byte ASCII lines", stream("a", 1)],
  ["64-byte ASCII lines", stream("a", 64)],
  ["64 KiB ASCII lines", stream("a", 65536)],
  ["64-byte CJK lines", stream("好", 64)],
  ["64 KiB CJK lines", stream("好", 65536)],
];

for (const [name, bytes] of CASES) {
  Deno.bench({
    name: `frame ${name} (1 MiB in 64 KiB reads)`,
    group: name,
    baseline: true,
    fn: () => {
      let lines = 0;
      const framer = new LineFramer(() => lines++, { maxLineBytes: 1 << 20 });
      for (let at = 0; at < bytes.length; at += READ_BYTES) {
        framer.push(bytes.subarray(at, at + READ_BYTES));
      }
      if (lines === 0) throw new Error("no lines framed");
    },
  });
  Deno.bench({
    name: `frame and decode ${name} (1 MiB in 64 KiB reads)`,
    group: name,
    fn: () => {
      let chars = 0;
      const framer = new LineFramer((source, start, end) => {
        chars += decodeUtf8(source.subarray(start, end)).length;
      }, {
        maxLineBytes: 1 << 20,
      });
      for (let at = 0; at < bytes.length; at += READ_BYTES) {
        framer.push(bytes.subarray(at, at + READ_BYTES));
      }
      if (chars === 0) throw new Error("nothing decoded");
    },
  });
}
