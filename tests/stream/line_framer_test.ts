/**
 * Tests for lib/stream/line_framer.ts: examples of each way a message ends, the byte
 * limit, idle flushes, and properties checked against a reference splitter.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  LineFramer,
  type LineFramerOptions,
  LineTooLongError,
} from "../../lib/stream/line_framer.ts";
import { bytes, concatBytes, splitAt } from "../support/bytes.ts";

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** A framer that records copies of its messages (the framer hands out reused views). */
function collector(options: LineFramerOptions = {}): { framer: LineFramer; lines: Uint8Array[] } {
  const lines: Uint8Array[] = [];
  const framer = new LineFramer(
    (source, start, end) => lines.push(source.slice(start, end)),
    options,
  );
  return { framer, lines };
}

function texts(lines: readonly Uint8Array[]): string[] {
  return lines.map((line) => decoder.decode(line));
}

/** Feeds each read in turn and returns the decoded messages, without finish(). */
function frameReads(reads: readonly (string | Uint8Array)[], options: LineFramerOptions = {}) {
  const { framer, lines } = collector(options);
  for (const read of reads) framer.push(typeof read === "string" ? bytes(read) : read);
  return { framer, lines, texts: texts(lines) };
}

function oneByteReads(stream: Uint8Array): Uint8Array[] {
  return Array.from(stream, (_, i) => stream.subarray(i, i + 1));
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The reference: written straight from the rules, byte by byte, with no
 * buffering tricks. A message ends at LF; one CR just before the LF is not
 * part of it; at the end of the stream, non-empty leftover bytes are the last
 * message (with a trailing CR dropped too).
 */
function referenceMessages(stream: Uint8Array): number[][] {
  const messages: number[][] = [];
  let current: number[] = [];
  const close = () => {
    if (current.length > 0 && current[current.length - 1] === CR) current.pop();
    messages.push(current);
    current = [];
  };
  for (const byte of stream) {
    if (byte === LF) close();
    else current.push(byte);
  }
  if (current.length > 0) close();
  return messages;
}

interface Outcome {
  messages: number[][];
  tooLong: boolean;
}

/** What the reference says the framer should do with a limit: emit up to the first long message, then throw. */
function referenceOutcome(stream: Uint8Array, maxLineBytes: number): Outcome {
  const all = referenceMessages(stream);
  const firstLong = all.findIndex((message) => message.length > maxLineBytes);
  return firstLong === -1
    ? { messages: all, tooLong: false }
    : { messages: all.slice(0, firstLong), tooLong: true };
}

/** Runs the framer over `reads` then `finish()`, checking the buffer bound after every push. */
function framerOutcome(reads: readonly Uint8Array[], maxLineBytes: number): Outcome {
  const messages: number[][] = [];
  const framer = new LineFramer(
    (source, start, end) => messages.push([...source.subarray(start, end)]),
    {
      maxLineBytes,
    },
  );
  try {
    for (const read of reads) {
      framer.push(read);
      assert.ok(framer.pendingBytes <= maxLineBytes + 1, `pendingBytes ${framer.pendingBytes}`);
    }
    framer.finish();
  } catch (error) {
    if (!(error instanceof LineTooLongError)) throw error;
    assert.equal(error.maxLineBytes, maxLineBytes);
    return { messages, tooLong: true };
  }
  return { messages, tooLong: false };
}

/** Pieces chosen to hit the hard cases: line ends, CJK, emoji, NUL, invalid and cut-off bytes. */
const pieceArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 6 }).map(bytes),
  fc.string({ unit: "binary", maxLength: 4 }).map(bytes),
  fc.constantFrom("\n", "\r", "\r\n", "\n\n", "\r\r\n", "\0", "好", "男孩", "😀", "é", "good boy")
    .map(bytes),
  fc.uint8Array({ maxLength: 4 }),
  fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf5], [0xe5, 0xa5], [0xf0, 0x9f], [
    0x80,
  ]).map((values) => new Uint8Array(values)),
);

const streamArbitrary: fc.Arbitrary<Uint8Array> = fc.array(pieceArbitrary, { maxLength: 40 }).map(
  concatBytes,
);

const cutsArbitrary = fc.array(fc.nat(), { maxLength: 30 });

// --- Examples: line ends ---

Deno.test("LineFramer.push() emits one message per LF-terminated line", () => {
  assert.deepEqual(frameReads(["good boy\nhello\n"]).texts, ["good boy", "hello"]);
});

Deno.test("LineFramer.push() drops the CR of a CRLF line end", () => {
  assert.deepEqual(frameReads(["a\r\nb\r\n"]).texts, ["a", "b"]);
});

Deno.test("LineFramer.push() drops only one CR before LF and keeps a CR inside a message", () => {
  assert.deepEqual(frameReads(["a\r\r\n", "x\ry\n"]).texts, ["a\r", "x\ry"]);
});

Deno.test("LineFramer.push() emits empty lines as empty messages", () => {
  assert.deepEqual(frameReads(["\n\r\n\n"]).texts, ["", "", ""]);
});

Deno.test("LineFramer.push() keeps NUL bytes inside a message", () => {
  assert.deepEqual(frameReads(["a\0b\n"]).texts, ["a\0b"]);
});

Deno.test("LineFramer.push() joins a message split across reads", () => {
  const { texts: got, framer } = frameReads(["good b", "oy", "\nnext"]);
  assert.deepEqual(got, ["good boy"]);
  assert.equal(framer.pendingBytes, 4);
});

Deno.test("LineFramer.push() treats a CR and LF split across reads as one line end", () => {
  assert.deepEqual(frameReads(["hello\r", "\nworld\r", "\n"]).texts, ["hello", "world"]);
});

Deno.test("LineFramer.push() keeps a CR alone in a read that is followed by LF", () => {
  assert.deepEqual(frameReads(["hello", "\r", "\n"]).texts, ["hello"]);
});

Deno.test("LineFramer.push() keeps a character split across reads whole", () => {
  const hao = bytes("好"); // e5 a5 bd
  const reads = [
    bytes("好男"),
    hao.subarray(0, 1),
    hao.subarray(1, 2),
    hao.subarray(2),
    bytes("\n"),
  ];
  assert.deepEqual(frameReads(reads).texts, ["好男好"]);
});

Deno.test("LineFramer.push() keeps a 4-byte emoji split in every place whole", () => {
  const stream = bytes("a😀b\n");
  for (let cut = 0; cut <= stream.length; cut++) {
    const reads = [stream.subarray(0, cut), stream.subarray(cut)];
    assert.deepEqual(frameReads(reads).texts, ["a😀b"], `cut at ${cut}`);
  }
});

Deno.test("LineFramer.push() keeps every byte of long messages built from many small reads", () => {
  const long = bytes("好男孩 good boy 😀 ".repeat(500)); // about 12 kB: the buffer grows often
  const short = bytes("short");
  const stream = concatBytes([long, bytes("\r\n"), short, bytes("\n"), long, bytes("\n")]);
  const { lines } = frameReads(splitAt(stream, Array.from({ length: 3000 }, (_, i) => i * 13)));
  // Compared as text: a failing deepEqual on 12 kB byte arrays takes minutes to print.
  assert.deepEqual(texts(lines), texts([long, short, long]));
});

Deno.test("LineFramer.push() hands over the bytes as received, invalid UTF-8 included", () => {
  const { lines } = frameReads([new Uint8Array([0xff, 0x41, 0xed, 0xa0, 0x80, LF])]);
  assert.deepEqual(lines.map((line) => [...line]), [[0xff, 0x41, 0xed, 0xa0, 0x80]]);
});

Deno.test("LineFramer.push() ignores an empty read", () => {
  const { texts: got, framer } = frameReads(["ab", new Uint8Array(0), "c\n", new Uint8Array(0)]);
  assert.deepEqual(got, ["abc"]);
  assert.equal(framer.pendingBytes, 0);
});

// --- Examples: the byte limit ---

Deno.test("new LineFramer() rejects a maxLineBytes that is not a positive integer", () => {
  for (const maxLineBytes of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(() => new LineFramer(() => {}, { maxLineBytes }), RangeError, `${maxLineBytes}`);
  }
});

Deno.test("LineFramer.push() accepts a message of exactly maxLineBytes", () => {
  assert.deepEqual(frameReads(["12345\n"], { maxLineBytes: 5 }).texts, ["12345"]);
  assert.deepEqual(frameReads(["123", "45\n"], { maxLineBytes: 5 }).texts, ["12345"]);
});

Deno.test("LineFramer.push() does not count the CRLF line end against the limit", () => {
  assert.deepEqual(frameReads(["12345\r\n"], { maxLineBytes: 5 }).texts, ["12345"]);
  assert.deepEqual(frameReads(["12345\r", "\n"], { maxLineBytes: 5 }).texts, ["12345"]);
  assert.deepEqual(frameReads(["123", "45\r", "\n"], { maxLineBytes: 5 }).texts, ["12345"]);
});

Deno.test("LineFramer.push() throws LineTooLongError for maxLineBytes + 1 in one read", () => {
  const { framer } = collector({ maxLineBytes: 5 });
  assert.throws(
    () => framer.push(bytes("123456\n")),
    (error) => error instanceof LineTooLongError && error.maxLineBytes === 5,
  );
});

Deno.test("LineFramer.push() throws LineTooLongError for maxLineBytes + 1 across reads", () => {
  const { framer } = collector({ maxLineBytes: 5 });
  framer.push(bytes("123"));
  assert.throws(() => framer.push(bytes("456\n")), LineTooLongError);
});

Deno.test("LineFramer.push() counts bytes, not characters, against the limit", () => {
  // "好男" is 6 bytes, 2 characters.
  assert.deepEqual(frameReads(["好男\n"], { maxLineBytes: 6 }).texts, ["好男"]);
  const { framer } = collector({ maxLineBytes: 5 });
  assert.throws(() => framer.push(bytes("好男\n")), LineTooLongError);
});

Deno.test("LineFramer.push() uses a limit of 65536 bytes by default", () => {
  const { framer, lines } = collector();
  framer.push(bytes("x".repeat(65536) + "\n"));
  assert.equal(lines[0]?.length, 65536);
  assert.throws(() => framer.push(bytes("x".repeat(65537) + "\n")), LineTooLongError);
});

Deno.test("LineFramer.push() emits the earlier lines of a chunk before throwing", () => {
  const terminated = collector({ maxLineBytes: 5 });
  assert.throws(() => terminated.framer.push(bytes("a\nbb\n1234567\nc\n")), LineTooLongError);
  assert.deepEqual(texts(terminated.lines), ["a", "bb"]);

  const unterminated = collector({ maxLineBytes: 5 });
  assert.throws(() => unterminated.framer.push(bytes("a\nbb\n1234567")), LineTooLongError);
  assert.deepEqual(texts(unterminated.lines), ["a", "bb"]);

  const afterPending = collector({ maxLineBytes: 5 });
  afterPending.framer.push(bytes("12"));
  assert.throws(() => afterPending.framer.push(bytes("3\nok\n123456\n")), LineTooLongError);
  assert.deepEqual(texts(afterPending.lines), ["123", "ok"]);
});

Deno.test("LineFramer.push() never buffers more than the limit while a line has no end", () => {
  const maxLineBytes = 1024;
  const { framer, lines } = collector({ maxLineBytes });
  const chunk = new Uint8Array(100).fill(0x78);
  const chunks = (10 * 1024 * 1024) / chunk.length; // 10 MiB in total
  let pushed = 0;
  let thrown: unknown = null;
  for (; pushed < chunks; pushed++) {
    try {
      framer.push(chunk);
    } catch (error) {
      thrown = error;
      break;
    }
    assert.ok(framer.pendingBytes <= maxLineBytes + 1, `pendingBytes ${framer.pendingBytes}`);
  }
  assert.ok(thrown instanceof LineTooLongError, "expected LineTooLongError");
  assert.equal(
    pushed,
    Math.floor((maxLineBytes + 1) / chunk.length),
    "threw at the first overflow",
  );
  assert.ok(framer.pendingBytes <= maxLineBytes + 1);
  assert.deepEqual(lines, []);
});

Deno.test("LineFramer.push() throws at once for one huge read without a line end", () => {
  const { framer } = collector({ maxLineBytes: 1024 });
  assert.throws(() => framer.push(new Uint8Array(10 * 1024 * 1024)), LineTooLongError);
  assert.equal(framer.pendingBytes, 0);
});

// --- Examples: flushIdle() and finish() ---

Deno.test("LineFramer.flushIdle() emits the pending message", () => {
  const { framer, lines } = collector();
  framer.push(bytes("good boy"));
  assert.equal(framer.flushIdle(), true);
  assert.deepEqual(texts(lines), ["good boy"]);
  assert.equal(framer.pendingBytes, 0);
});

Deno.test("LineFramer.flushIdle() returns false when nothing is pending", () => {
  const { framer, lines } = collector();
  assert.equal(framer.flushIdle(), false);
  framer.push(bytes("a\n"));
  assert.equal(framer.flushIdle(), false);
  assert.deepEqual(texts(lines), ["a"]);
});

Deno.test("LineFramer.flushIdle() keeps an incomplete UTF-8 tail pending", () => {
  const { framer, lines } = collector();
  const hao = bytes("好");
  framer.push(concatBytes([bytes("ab"), hao.subarray(0, 2)]));
  assert.equal(framer.flushIdle(), true);
  assert.deepEqual(texts(lines), ["ab"]);
  assert.equal(framer.pendingBytes, 2);
  framer.push(concatBytes([hao.subarray(2), bytes("\n")]));
  assert.deepEqual(texts(lines), ["ab", "好"]);
});

Deno.test("LineFramer.flushIdle() emits nothing when only an incomplete character is pending", () => {
  const { framer, lines } = collector();
  framer.push(bytes("😀").subarray(0, 3));
  assert.equal(framer.flushIdle(), false);
  assert.equal(framer.pendingBytes, 3);
  framer.push(concatBytes([bytes("😀").subarray(3), bytes("\n")]));
  assert.deepEqual(texts(lines), ["😀"]);
});

Deno.test("LineFramer.flushIdle() does not hold back invalid bytes", () => {
  const { framer, lines } = collector();
  framer.push(new Uint8Array([0x41, 0xed, 0xa0]));
  assert.equal(framer.flushIdle(), true);
  assert.deepEqual(lines.map((line) => [...line]), [[0x41, 0xed, 0xa0]]);
  assert.equal(framer.pendingBytes, 0);
});

Deno.test("LineFramer.push() after flushIdle() takes a LF as the end of the flushed message", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.push(bytes("\nnext\n"));
  assert.deepEqual(texts(lines), ["hi", "next"]);
});

Deno.test("LineFramer.push() after flushIdle() takes a CRLF as the end of the flushed message", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.push(bytes("\r\nnext\n"));
  assert.deepEqual(texts(lines), ["hi", "next"]);
});

Deno.test("LineFramer.push() after flushIdle() takes a CRLF split across reads as its end", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.push(bytes("\r"));
  framer.push(bytes("\n"));
  framer.push(bytes("next\n"));
  assert.deepEqual(texts(lines), ["hi", "next"]);
});

Deno.test("LineFramer.push() after flushIdle() skips only one line end", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.push(bytes("\n\n"));
  assert.deepEqual(texts(lines), ["hi", ""]);
});

Deno.test("LineFramer.push() after flushIdle() frames other text normally", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.push(bytes("yo\n"));
  assert.deepEqual(texts(lines), ["hi", "yo"]);
});

Deno.test("LineFramer.flushIdle() drops a trailing CR and its LF that follows", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi\r"));
  assert.equal(framer.flushIdle(), true);
  assert.deepEqual(texts(lines), ["hi"]);
  framer.push(bytes("\n"));
  assert.equal(framer.finish(), false);
  assert.deepEqual(texts(lines), ["hi"]);
});

Deno.test("LineFramer.push() after flushIdle() keeps a lone CR read that no LF follows", () => {
  // Same bytes after the flush, split differently, must give the same messages.
  const run = (reads: string[]) => {
    const { framer, lines } = collector();
    framer.push(bytes("hi"));
    framer.flushIdle();
    for (const read of reads) framer.push(bytes(read));
    framer.finish();
    return texts(lines);
  };
  assert.deepEqual(run(["\r", "a\n"]), run(["\ra\n"]));
  assert.deepEqual(run(["\r", "\r\n"]), run(["\r\r\n"]));
});

Deno.test("LineFramer.finish() emits an unterminated last message", () => {
  const { framer, lines } = collector();
  framer.push(bytes("a\nlast"));
  assert.equal(framer.finish(), true);
  assert.deepEqual(texts(lines), ["a", "last"]);
  assert.equal(framer.pendingBytes, 0);
  assert.equal(framer.finish(), false);
});

Deno.test("LineFramer.finish() emits nothing after a clean end of stream", () => {
  const { framer, lines } = collector();
  framer.push(bytes("a\n"));
  assert.equal(framer.finish(), false);
  assert.deepEqual(texts(lines), ["a"]);
});

Deno.test("LineFramer.finish() drops a trailing CR of the last message", () => {
  const { framer, lines } = collector();
  framer.push(bytes("last\r"));
  assert.equal(framer.finish(), true);
  assert.deepEqual(texts(lines), ["last"]);
});

Deno.test("LineFramer.finish() hands over a truncated character as its bytes", () => {
  const { framer, lines } = collector();
  framer.push(bytes("好").subarray(0, 2));
  assert.equal(framer.finish(), true);
  assert.deepEqual(lines.map((line) => [...line]), [[0xe5, 0xa5]]);
});

Deno.test("LineFramer.finish() throws LineTooLongError for a last message over the limit", () => {
  const { framer } = collector({ maxLineBytes: 5 });
  framer.push(bytes("123456"));
  assert.throws(() => framer.finish(), LineTooLongError);
});

Deno.test("LineFramer.finish() after flushIdle() does not skip the next stream's line end", () => {
  const { framer, lines } = collector();
  framer.push(bytes("hi"));
  framer.flushIdle();
  framer.finish();
  framer.push(bytes("\n"));
  assert.deepEqual(texts(lines), ["hi", ""]);
});

// --- Properties ---

Deno.test("referenceMessages() (the test's reference) splits as the rules say", () => {
  const show = (text: string) =>
    referenceMessages(bytes(text)).map((m) => decoder.decode(new Uint8Array(m)));
  assert.deepEqual(show("a\r\nb\n\nc\r\r\nd"), ["a", "b", "", "c\r", "d"]);
  assert.deepEqual(show(""), []);
  assert.deepEqual(show("\r"), [""]);
});

Deno.test("LineFramer.push() gives the reference's messages for one read of any stream", () => {
  fc.assert(
    fc.property(streamArbitrary, (stream) => {
      assert.deepEqual(framerOutcome([stream], 1 << 20), {
        messages: referenceMessages(stream),
        tooLong: false,
      });
    }),
    { numRuns: 500 },
  );
});

Deno.test("LineFramer.push() gives the same messages for any split of the stream into reads", () => {
  fc.assert(
    fc.property(streamArbitrary, cutsArbitrary, (stream, cuts) => {
      const expected = referenceOutcome(stream, 1 << 20);
      assert.deepEqual(framerOutcome([stream], 1 << 20), expected);
      assert.deepEqual(framerOutcome(splitAt(stream, cuts), 1 << 20), expected);
    }),
    { numRuns: 1000 },
  );
});

Deno.test("LineFramer.push() gives the same messages when every read is one byte", () => {
  fc.assert(
    fc.property(streamArbitrary, (stream) => {
      assert.deepEqual(framerOutcome(oneByteReads(stream), 1 << 20), {
        messages: referenceMessages(stream),
        tooLong: false,
      });
    }),
    { numRuns: 300 },
  );
});

Deno.test("LineFramer.push() gives the same messages for every two-read split of a CRLF stream", () => {
  const stream = bytes("好男孩\r\n\r\ngood 😀 boy\r\n\r\r\nend\r");
  const expected = referenceOutcome(stream, 1 << 20);
  for (let cut = 0; cut <= stream.length; cut++) {
    const reads = [stream.subarray(0, cut), stream.subarray(cut)];
    assert.deepEqual(framerOutcome(reads, 1 << 20), expected, `cut at ${cut}`);
  }
});

Deno.test("LineFramer.push() enforces a small limit the same way for any split", () => {
  fc.assert(
    fc.property(
      streamArbitrary,
      cutsArbitrary,
      fc.integer({ min: 1, max: 24 }),
      fc.boolean(),
      (stream, cuts, maxLineBytes, byteByByte) => {
        const reads = byteByByte ? oneByteReads(stream) : splitAt(stream, cuts);
        assert.deepEqual(
          framerOutcome(reads, maxLineBytes),
          referenceOutcome(stream, maxLineBytes),
        );
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("LineFramer.push() after flushIdle() gives the same messages for any split of what follows", () => {
  fc.assert(
    fc.property(streamArbitrary, streamArbitrary, cutsArbitrary, (before, after, cuts) => {
      const run = (reads: readonly Uint8Array[]) => {
        const messages: number[][] = [];
        const framer = new LineFramer((source, start, end) =>
          messages.push([...source.subarray(start, end)])
        );
        framer.push(before);
        framer.flushIdle();
        for (const read of reads) framer.push(read);
        framer.finish();
        return messages;
      };
      assert.deepEqual(run(splitAt(after, cuts)), run([after]));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("LineFramer.push() pauses when the handler returns false, and the rest pushed again gives the same messages", () => {
  fc.assert(
    fc.property(
      streamArbitrary,
      cutsArbitrary,
      fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      (stream, cuts, pauses) => {
        const messages: number[][] = [];
        let calls = 0;
        const framer = new LineFramer((source, start, end) => {
          messages.push([...source.subarray(start, end)]);
          return pauses[calls++ % pauses.length]; // false pauses, true goes on
        });
        for (let read of splitAt(stream, cuts)) {
          for (;;) {
            const used = framer.push(read);
            assert.ok(used > 0 || read.length === 0, "a pause still uses the paused message");
            if (used === read.length) break;
            read = read.subarray(used);
          }
        }
        framer.finish();
        assert.deepEqual(messages, referenceMessages(stream));
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("LineFramer.push() returns the bytes used up to and including the line end it paused at", () => {
  const framer = new LineFramer(() => false);
  assert.equal(framer.push(bytes("ab\ncd\nef")), 3);
  assert.equal(framer.push(bytes("cd\nef")), 3);
  assert.equal(framer.push(bytes("ef")), 2);
  assert.equal(framer.pendingBytes, 2);
});
