/**
 * Tests for lib/log/logger.ts: which lines are written where, the peer prefix,
 * colours, and making client text safe for one log line.
 */

import assert from "node:assert/strict";
import { Logger, type LoggerOptions, printable } from "../../lib/log/logger.ts";
import { hostPort } from "../../lib/text/texts.ts";

/** A logger whose info and error lines are collected; no colour unless asked. */
function collecting(options: LoggerOptions = {}) {
  const info: string[] = [];
  const errors: string[] = [];
  const log = new Logger({
    color: false,
    writeInfo: (line) => info.push(line),
    writeError: (line) => errors.push(line),
    ...options,
  });
  return { log, info, errors };
}

// --- Logger ---

Deno.test("Logger.info() writes to the info stream with the peer in brackets", () => {
  const { log, info, errors } = collecting();
  log.info("hello", "127.0.0.1:6708");
  log.info("no peer");
  assert.deepEqual(info, ["[127.0.0.1:6708] hello", "no peer"]);
  assert.deepEqual(errors, []);
});

Deno.test("Logger.error() writes to the error stream with the peer in brackets", () => {
  const { log, info, errors } = collecting();
  log.error("boom", "127.0.0.1:5000");
  log.error("plain");
  assert.deepEqual(errors, ["[127.0.0.1:5000] boom", "plain"]);
  assert.deepEqual(info, []);
});

Deno.test("Logger shows an IPv6 peer, already bracketed by hostPort(), with one pair of brackets", () => {
  const { log, info, errors } = collecting({ trace: true });
  const peer = hostPort("::1", 36678); // "[::1]:36678", as sessions name their peer
  log.info("client connected", peer);
  log.trace("read 5 bytes", peer);
  log.error("boom", peer);
  log.info("client connected", hostPort("127.0.0.1", 38566));
  assert.deepEqual(info, [
    "[::1]:36678 client connected",
    "[::1]:36678 read 5 bytes",
    "[127.0.0.1:38566] client connected",
  ]);
  assert.deepEqual(errors, ["[::1]:36678 boom"]);
});

Deno.test("Logger with color dims an IPv6 peer without adding brackets", () => {
  const { log, info } = collecting({ color: true });
  log.info("hi", "[::1]:7");
  assert.deepEqual(info, ["\x1b[2m[::1]:7\x1b[0m hi"]);
});

Deno.test("Logger.always() writes to the info stream without a prefix", () => {
  const { log, info } = collecting();
  log.always("Server listening on 0.0.0.0:50000, waiting for clients...");
  assert.deepEqual(info, ["Server listening on 0.0.0.0:50000, waiting for clients..."]);
});

Deno.test("Logger with quiet suppresses info but not errors or always()", () => {
  const { log, info, errors } = collecting({ quiet: true });
  assert.equal(log.quiet, true);
  log.info("hidden", "127.0.0.1:1");
  log.always("ready");
  log.error("shown", "127.0.0.1:1");
  assert.deepEqual(info, ["ready"]);
  assert.deepEqual(errors, ["[127.0.0.1:1] shown"]);
});

Deno.test("Logger is neither quiet nor tracing by default", () => {
  const { log, info } = collecting();
  assert.equal(log.quiet, false);
  assert.equal(log.tracing, false);
  log.trace("read 5 bytes", "127.0.0.1:1");
  assert.deepEqual(info, []);
});

Deno.test("Logger.trace() writes to the info stream only when tracing", () => {
  const { log, info, errors } = collecting({ trace: true });
  assert.equal(log.tracing, true);
  log.trace("read 5 bytes", "127.0.0.1:1");
  assert.deepEqual(info, ["[127.0.0.1:1] read 5 bytes"]);
  assert.deepEqual(errors, []);
});

/** Whether `needle` in `line` is shown red: a red start after the last reset before it. */
function isRedAt(line: string, needle: string): boolean {
  const before = line.slice(0, line.indexOf(needle));
  return before.lastIndexOf("\x1b[31m") > before.lastIndexOf("\x1b[0m");
}

Deno.test("Logger with color dims the peer of info lines and leaves always() plain", () => {
  const { log, info } = collecting({ color: true });
  log.info("hi", "p");
  log.always("plain");
  assert.deepEqual(info, ["\x1b[2m[p]\x1b[0m hi", "plain"]);
});

Deno.test("Logger with color shows an error line in red", () => {
  const { log, errors } = collecting({ color: true });
  log.error("boom");
  assert.deepEqual(errors, ["\x1b[31mboom\x1b[0m"]);
});

Deno.test("Logger with color keeps an error's text red after the dimmed peer", () => {
  const { log, errors } = collecting({ color: true });
  log.error("boom", "p");
  assert.equal(errors.length, 1);
  assert.ok(errors[0]!.endsWith("\x1b[0m"), JSON.stringify(errors[0]));
  assert.ok(isRedAt(errors[0]!, "boom"), `"boom" is not red in ${JSON.stringify(errors[0])}`);
});

Deno.test("Logger without color writes no escape sequences", () => {
  const { log, info, errors } = collecting();
  log.error("boom", "p");
  log.info("hi", "p");
  assert.ok(![...info, ...errors].some((line) => line.includes("\x1b")));
});

Deno.test("Logger keeps going when a stream's writer throws", () => {
  const log = new Logger({
    color: false,
    writeInfo: () => {
      throw new Deno.errors.BrokenPipe("stdout closed");
    },
    writeError: () => {
      throw new Deno.errors.BrokenPipe("stderr closed");
    },
    trace: true,
  });
  log.info("a", "p");
  log.always("b");
  log.error("c", "p");
  log.trace("d", "p");
});

// --- printable() ---

Deno.test("printable() leaves ordinary text, CJK and emoji unchanged", () => {
  assert.equal(printable("good boy 好男孩 😀"), "good boy 好男孩 😀");
  assert.equal(printable(""), "");
});

Deno.test("printable() escapes control characters", () => {
  assert.equal(printable("a\u0000b\u001b[2J"), "a\\x00b\\x1b[2J");
  assert.equal(printable("tab\there"), "tab\\there");
  assert.equal(printable("cr\rlf\n"), "cr\\rlf\\x0a");
  assert.equal(printable("\u007f\u0080\u009b\u009f"), "\\x7f\\x80\\x9b\\x9f");
});

Deno.test("printable() escapes bidi controls, so a message cannot reorder the rest of the line", () => {
  assert.equal(printable("abc\u202edef"), "abc\\u202edef");
  const bidi = [
    "\u061c",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
  ];
  for (const char of bidi) {
    const code = char.charCodeAt(0).toString(16).padStart(4, "0");
    assert.equal(printable(`a${char}b`), `a\\u${code}b`, `U+${code.toUpperCase()}`);
  }
});

Deno.test("printable() escapes the line and paragraph separators U+2028 and U+2029", () => {
  assert.equal(printable("a\u2028b\u2029c"), "a\\u2028b\\u2029c");
});

Deno.test("printable() leaves right-to-left text and its neighbours unchanged", () => {
  // Arabic and Hebrew letters, U+200D (zero-width joiner) and U+2070: not controls.
  assert.equal(printable("مرحبا שלום a\u200db\u2070"), "مرحبا שלום a\u200db\u2070");
});

Deno.test("printable() keeps a client from faking a log line", () => {
  const shown = printable("hi\n[127.0.0.1:1] client disconnected");
  assert.ok(!shown.includes("\n"));
});

Deno.test("printable() shows up to 200 characters in full", () => {
  const text = "x".repeat(200);
  assert.equal(printable(text), text);
});

Deno.test("printable() cuts longer text and says how much was left out", () => {
  assert.equal(printable("x".repeat(250)), "x".repeat(200) + "… (50 more characters)");
});

Deno.test("printable() cuts before escaping, so escapes do not count toward the limit", () => {
  const shown = printable("\u0000".repeat(201));
  assert.equal(shown, "\\x00".repeat(200) + "… (1 more character)");
});

Deno.test("printable() counts what it cut in the singular for one and the plural for two", () => {
  assert.equal(printable("x".repeat(201)), "x".repeat(200) + "… (1 more character)");
  assert.equal(printable("x".repeat(202)), "x".repeat(200) + "… (2 more characters)");
});

Deno.test("printable() does not split an emoji when it cuts", () => {
  const shown = printable("x".repeat(199) + "😀".repeat(10));
  assert.ok(shown.isWellFormed(), `lone surrogate in ${JSON.stringify(shown.slice(195, 205))}`);
});
