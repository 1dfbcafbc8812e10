/**
 * Tests for lib/client/refusal_notice.ts: which lines count as server.ts's refusals
 * (in both languages, with any limit, with or without a CR), and `LastLine`,
 * which must give the same last line however the stream is split into reads
 * while never keeping more than a notice's worth of bytes.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { LANGS } from "../../lib/settings/lang.ts";
import { NOTICE_PREFIX, TEXTS } from "../../lib/text/texts.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { isRefusalNotice, LastLine } from "../../lib/client/refusal_notice.ts";
import { bytes, concatBytes, splitAt } from "../support/bytes.ts";

const decoder = new TextDecoder();

/** Every refusal notice of every language, for a limit. */
function notices(limit: number): string[] {
  return LANGS.flatMap((lang) => [
    TEXTS[lang].tooManyClients(limit),
    TEXTS[lang].lineTooLong(limit),
    TEXTS[lang].tooManyFromAddress(limit),
    TEXTS[lang].tooManyJoins(limit),
  ]);
}

const LIMITS = [0, 1, 2, 5, 10, 100, 1000, 65536, 1048576, 2 ** 31 - 1];

// --- isRefusalNotice() ---

Deno.test("isRefusalNotice() accepts tooManyClients and lineTooLong of both languages for any limit", () => {
  for (const limit of LIMITS) {
    for (const notice of notices(limit)) assert(isRefusalNotice(notice), notice);
  }
});

Deno.test("isRefusalNotice() accepts the lines of the limits per address, as sent in chat mode too", () => {
  for (const lang of LANGS) {
    for (const line of [TEXTS[lang].tooManyFromAddress(128), TEXTS[lang].tooManyJoins(120)]) {
      assert(isRefusalNotice(line), line);
      assert(isRefusalNotice("*** " + line), line);
    }
  }
});

Deno.test("isRefusalNotice() accepts a room key's refusals (wrong, none in time), not its prompt", () => {
  for (const lang of LANGS) {
    const chat = CHAT_TEXTS[lang];
    assert.ok(isRefusalNotice(NOTICE_PREFIX + chat.chatWrongRoomKey), lang);
    assert.ok(isRefusalNotice(NOTICE_PREFIX + chat.chatNoRoomKey(30)), lang);
    assert.ok(!isRefusalNotice(NOTICE_PREFIX + chat.chatKeyNeeded), lang);
  }
});

Deno.test("isRefusalNotice() accepts a notice with the CR of a CRLF line end", () => {
  for (const limit of LIMITS) {
    for (const notice of notices(limit)) assert(isRefusalNotice(notice + "\r"), notice);
  }
});

Deno.test("isRefusalNotice() accepts any whole-number limit", () => {
  fc.assert(
    fc.property(fc.nat(), fc.constantFrom(...LANGS), fc.boolean(), (limit, lang, cr) => {
      const end = cr ? "\r" : "";
      assert(isRefusalNotice(TEXTS[lang].tooManyClients(limit) + end));
      assert(isRefusalNotice(TEXTS[lang].lineTooLong(limit) + end));
    }),
  );
});

Deno.test("isRefusalNotice() rejects a notice with anything before or after it", () => {
  for (const notice of notices(5)) {
    for (
      const line of [
        `Server received: ${notice}`,
        `服务端接收到的信息为：${notice}`,
        `${notice}.`,
        ` ${notice}`,
        `${notice} `,
        `${notice}\r\r`,
        `\r${notice}`,
        `${notice}\n`,
        notice.toUpperCase() === notice ? `x${notice}` : notice.toUpperCase(),
      ]
    ) {
      assert(!isRefusalNotice(line), JSON.stringify(line));
    }
  }
});

Deno.test("isRefusalNotice() rejects a notice whose number is written differently", () => {
  const en = TEXTS.en;
  assert(!isRefusalNotice(en.tooManyClients(5).replace("5", "05")));
  assert(!isRefusalNotice(en.tooManyClients(1000).replace("1000", "1,000")));
  assert(!isRefusalNotice(en.tooManyClients(5).replace("5", "")));
  // the singular for a plural count, and the plural for 1
  assert(!isRefusalNotice(en.tooManyClients(1).replace("1", "2")));
  assert(!isRefusalNotice(en.tooManyClients(2).replace("2", "1")));
});

Deno.test("isRefusalNotice() rejects the server's other last lines and ordinary text", () => {
  for (const lang of LANGS) {
    const texts = TEXTS[lang];
    for (
      const line of [
        texts.idleTimeout(30),
        texts.shuttingDown,
        texts.tooManyClientsLog(5),
        texts.lineTooLongLog(5),
        texts.defaultReply,
      ]
    ) {
      assert(!isRefusalNotice(line), line);
    }
  }
  for (const line of ["", "\r", "good boy", "5", "Server busy", "Message too long"]) {
    assert(!isRefusalNotice(line), JSON.stringify(line));
  }
});

Deno.test("isRefusalNotice() rejects arbitrary text", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (line) => {
      assert(!isRefusalNotice(line));
    }),
  );
});

// --- LastLine ---

function lastLineOf(reads: readonly (string | Uint8Array)[]): string {
  const last = new LastLine();
  for (const read of reads) last.push(typeof read === "string" ? bytes(read) : read);
  return last.text;
}

Deno.test("LastLine.text is empty before anything arrives", () => {
  assert.equal(new LastLine().text, "");
});

Deno.test("LastLine.text is the last complete line, or the unterminated rest after it", () => {
  assert.equal(lastLineOf(["one\ntwo\n"]), "two");
  assert.equal(lastLineOf(["one\ntwo\nthr"]), "thr");
  assert.equal(lastLineOf(["one\ntwo\nthr", "ee"]), "three");
  assert.equal(lastLineOf(["only"]), "only");
  assert.equal(lastLineOf(["one\n", ""]), "one");
});

Deno.test("LastLine.text keeps the CR of a CRLF line end, which isRefusalNotice() ignores", () => {
  const notice = TEXTS.en.tooManyClients(5);
  const text = lastLineOf([`hello\r\n${notice}\r\n`]);
  assert.equal(text, `${notice}\r`);
  assert(isRefusalNotice(text));
});

Deno.test("LastLine.text is empty after an empty last line", () => {
  assert.equal(lastLineOf(["one\n\n"]), "");
  assert.equal(lastLineOf(["one\n", "\n"]), "");
});

Deno.test("LastLine.text joins a line and a character split across reads", () => {
  const hao = bytes("服务端");
  assert.equal(lastLineOf(["x\n", hao.subarray(0, 4), hao.subarray(4), "\n"]), "服务端");
});

Deno.test("LastLine.text keeps a line of 512 bytes and drops one of 513", () => {
  assert.equal(lastLineOf(["x".repeat(512) + "\n"]), "x".repeat(512));
  assert.equal(lastLineOf(["x".repeat(513) + "\n"]), "");
  assert.equal(lastLineOf(["x".repeat(300), "x".repeat(212)]), "x".repeat(512));
  assert.equal(lastLineOf(["x".repeat(300), "x".repeat(213)]), "");
});

Deno.test("LastLine.text of a very long line is empty, and a short line after it counts again", () => {
  const last = new LastLine();
  const chunk = new Uint8Array(65536).fill(0x78);
  for (let i = 0; i < 160; i++) last.push(chunk); // 10 MiB without a line end
  assert.equal(last.text, "");
  last.push(bytes("x\n"));
  assert.equal(last.text, ""); // the end of the long line
  last.push(bytes(TEXTS.zh.lineTooLong(1024) + "\n"));
  assert(isRefusalNotice(last.text));
});

Deno.test("LastLine.push() does not keep the bytes it is given", () => {
  const last = new LastLine();
  const read = bytes("busy\nnow");
  last.push(read);
  read.fill(0x21);
  assert.equal(last.text, "now");
  last.push(bytes("\n"));
  assert.equal(last.text, "now");
});

/** The reference: the last line of the whole stream, "" when it is over 512 bytes. */
function referenceLastLine(stream: Uint8Array): string {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] === 0x0a) {
      lines.push(stream.subarray(start, i));
      start = i + 1;
    }
  }
  const rest = stream.subarray(start);
  const last = rest.length > 0 ? rest : lines.at(-1) ?? rest;
  return last.length > 512 ? "" : decoder.decode(last);
}

const pieceArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }).map(bytes),
  fc.constantFrom("\n", "\r\n", "\n\n", "好", "😀").map(bytes),
  fc.constantFrom(...notices(5), ...notices(1000)).map((notice) => bytes(notice + "\n")),
  fc.integer({ min: 100, max: 700 }).map((length) => new Uint8Array(length).fill(0x78)),
  fc.uint8Array({ maxLength: 6 }),
);

Deno.test("LastLine.text is the same however the stream is split into reads", () => {
  fc.assert(
    fc.property(
      fc.array(pieceArbitrary, { maxLength: 12 }).map(concatBytes),
      fc.array(fc.nat(), { maxLength: 20 }),
      (stream, cuts) => {
        const expected = referenceLastLine(stream);
        assert.equal(lastLineOf([stream]), expected);
        assert.equal(lastLineOf(splitAt(stream, cuts)), expected);
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("LastLine.text is the same for one byte per read", () => {
  fc.assert(
    fc.property(fc.array(pieceArbitrary, { maxLength: 6 }).map(concatBytes), (stream) => {
      const oneByteReads = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
      assert.equal(lastLineOf(oneByteReads), referenceLastLine(stream));
    }),
    { numRuns: 200 },
  );
});

Deno.test("isRefusalNotice() accepts chat mode's form of the notices (`*** ` before them)", () => {
  for (const texts of [TEXTS.en, TEXTS.zh]) {
    assert.ok(isRefusalNotice(`*** ${texts.tooManyClients(1000)}`));
    assert.ok(isRefusalNotice(`*** ${texts.lineTooLong(65536)}\r`));
  }
  assert.ok(!isRefusalNotice(`[guest1] ${TEXTS.en.tooManyClients(1000)}`), "a person's text");
  // "/nick Server" then "/me busy: ...": an action, which the server never sends as a refusal.
  assert.ok(!isRefusalNotice(`* ${TEXTS.en.tooManyClients(1000)}`), "a /me line");
  assert.ok(!isRefusalNotice(`* ${TEXTS.en.lineTooLong(65536)}`), "a /me line");
});
