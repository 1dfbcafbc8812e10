/**
 * Tests for lib/cli/server_options.ts: every default, every option in each form,
 * and every usage error.
 */

import assert from "node:assert/strict";
import {
  DEFAULT_HISTORY_SIZE,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_PORT,
  DEFAULT_RATE_LINES_PER_SECOND,
} from "../../lib/settings/defaults.ts";
import { parseServerArgs, SERVER_MODES, type ServerCommand } from "../../lib/cli/server_options.ts";
import { parseUsageErrorAsserter } from "../support/user_errors.ts";

/** Asserts `parseServerArgs(args)` fails with a one-line UsageError whose message contains `parts`. */
const assertUsageError = parseUsageErrorAsserter(parseServerArgs);

const DEFAULTS: ServerCommand = {
  action: "run",
  host: "0.0.0.0",
  port: 50000,
  mode: "reply",
  replyTemplate: null,
  lang: "en",
  maxConnections: 1000,
  maxLineBytes: 65536,
  idleTimeoutSeconds: 0,
  quiet: false,
  trace: false,
  strictLines: false,
  historySize: 20,
  maxBacklogBytes: 1048576,
  rateLinesPerSecond: 20,
  webPort: null,
  redisUrl: null,
  room: "lobby",
  opKeyFile: null,
  keyFile: null,
  maxPerAddress: 128,
  maxJoinsPerMinute: 120,
  trust: [],
  allow: [],
  deny: [],
  tlsCertFile: null,
  tlsKeyFile: null,
  plainPort: null,
};

// --- Defaults ---

Deno.test("parseServerArgs() fills in every default with no arguments", () => {
  assert.deepEqual(parseServerArgs([]), DEFAULTS);
});

Deno.test("SERVER_MODES lists reply, echo and chat", () => {
  assert.deepEqual([...SERVER_MODES], ["reply", "echo", "chat"]);
});

Deno.test("parseServerArgs() takes its defaults from lib/settings/defaults.ts", () => {
  const command = parseServerArgs([]);
  assert.equal(command.port, DEFAULT_PORT);
  assert.equal(command.maxConnections, DEFAULT_MAX_CONNECTIONS);
  assert.equal(command.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
  assert.equal(command.historySize, DEFAULT_HISTORY_SIZE);
  assert.equal(command.maxBacklogBytes, DEFAULT_MAX_BACKLOG_BYTES);
  assert.equal(command.rateLinesPerSecond, DEFAULT_RATE_LINES_PER_SECOND);
});

// --- Each option, long, short and --opt=value ---

Deno.test("parseServerArgs() reads --host, -H and --host=", () => {
  assert.equal(parseServerArgs(["--host", "127.0.0.1"]).host, "127.0.0.1");
  assert.equal(parseServerArgs(["-H", "::1"]).host, "::1");
  assert.equal(parseServerArgs(["--host=localhost"]).host, "localhost");
});

Deno.test("parseServerArgs() strips the brackets of an IPv6 host", () => {
  assert.equal(parseServerArgs(["--host", "[::1]"]).host, "::1");
  assert.equal(parseServerArgs(["-H", "[::]"]).host, "::");
});

Deno.test("parseServerArgs() reads --port, -p, --port= and -pN", () => {
  assert.equal(parseServerArgs(["--port", "6708"]).port, 6708);
  assert.equal(parseServerArgs(["-p", "0"]).port, 0);
  assert.equal(parseServerArgs(["--port=65535"]).port, 65535);
  assert.equal(parseServerArgs(["-p5"]).port, 5);
});

Deno.test("parseServerArgs() reads --mode, -m and --mode=", () => {
  assert.equal(parseServerArgs(["--mode", "echo"]).mode, "echo");
  assert.equal(parseServerArgs(["-m", "echo"]).mode, "echo");
  assert.equal(parseServerArgs(["--mode=reply"]).mode, "reply");
  assert.equal(parseServerArgs(["--mode", "chat"]).mode, "chat");
  assert.equal(parseServerArgs(["-m", "chat"]).mode, "chat");
  assert.equal(parseServerArgs(["--mode=chat"]).mode, "chat");
});

Deno.test("parseServerArgs() reads --history and --history=, 0 included", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--history", "5"]).historySize, 5);
  assert.equal(parseServerArgs(["-m", "chat", "--history=100"]).historySize, 100);
  assert.equal(parseServerArgs(["-m", "chat", "--history", "0"]).historySize, 0);
});

Deno.test("parseServerArgs() reads --max-backlog and --max-backlog=", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--max-backlog", "1"]).maxBacklogBytes, 1);
  assert.equal(parseServerArgs(["-m", "chat", "--max-backlog=65536"]).maxBacklogBytes, 65536);
});

Deno.test("parseServerArgs() reads --rate and --rate=, 0 (no limit) included", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--rate", "5"]).rateLinesPerSecond, 5);
  assert.equal(parseServerArgs(["-m", "chat", "--rate=1000"]).rateLinesPerSecond, 1000);
  assert.equal(parseServerArgs(["-m", "chat", "--rate", "0"]).rateLinesPerSecond, 0);
});

Deno.test("parseServerArgs() reads --web in chat mode (0 = any free port) and refuses it elsewhere", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--web", "8080"]).webPort, 8080);
  assert.equal(parseServerArgs(["-m", "chat", "--web=0"]).webPort, 0);
  assert.equal(parseServerArgs(["-m", "chat"]).webPort, null);
  assertUsageError(["--web", "8080"], "--web", "chat");
  assertUsageError(["-m", "chat", "--web", "65536"], "--web");
});

Deno.test("parseServerArgs() reads --redis and --room in chat mode, and refuses bad values", () => {
  const command = parseServerArgs([
    "-m",
    "chat",
    "--redis",
    "redis://:pw@127.0.0.1:6380/1",
    "--room",
    "class-4b",
  ]);
  assert.equal(command.redisUrl, "redis://:pw@127.0.0.1:6380/1");
  assert.equal(command.room, "class-4b");
  assert.equal(parseServerArgs(["-m", "chat"]).redisUrl, null);
  assertUsageError(["-m", "chat", "--redis", "127.0.0.1:6379"], "--redis", "redis://");
  assertUsageError(["-m", "chat", "--redis", "redis://x", "--room", "a b"], "--room");
  assertUsageError(["--redis", "redis://127.0.0.1"], "--redis", "chat");
});

Deno.test("parseServerArgs() reads --reply and --reply=, keeping the text as typed", () => {
  assert.equal(parseServerArgs(["--reply", "got {msg}!"]).replyTemplate, "got {msg}!");
  assert.equal(parseServerArgs(["--reply=收到：{msg}"]).replyTemplate, "收到：{msg}");
  assert.equal(parseServerArgs(["--reply", "-{msg}-"]).replyTemplate, "-{msg}-");
  assert.equal(parseServerArgs(["--reply", ""]).replyTemplate, "");
});

Deno.test("parseServerArgs() reads --lang and --lang=", () => {
  assert.equal(parseServerArgs(["--lang", "zh"]).lang, "zh");
  assert.equal(parseServerArgs(["--lang=en"]).lang, "en");
});

Deno.test("parseServerArgs() reads --max-conns and --max-conns=", () => {
  assert.equal(parseServerArgs(["--max-conns", "1"]).maxConnections, 1);
  assert.equal(parseServerArgs(["--max-conns=20"]).maxConnections, 20);
});

Deno.test("parseServerArgs() reads --max-line and --max-line=", () => {
  assert.equal(parseServerArgs(["--max-line", "1"]).maxLineBytes, 1);
  assert.equal(parseServerArgs(["--max-line=512"]).maxLineBytes, 512);
});

Deno.test("parseServerArgs() reads --idle-timeout and --idle-timeout=, fractions included", () => {
  assert.equal(parseServerArgs(["--idle-timeout", "30"]).idleTimeoutSeconds, 30);
  assert.equal(parseServerArgs(["--idle-timeout=0.5"]).idleTimeoutSeconds, 0.5);
  assert.equal(parseServerArgs(["--idle-timeout", "0"]).idleTimeoutSeconds, 0);
});

Deno.test("parseServerArgs() reads --idle-timeout .5, 0.5, 5. and 10", () => {
  assert.equal(parseServerArgs(["--idle-timeout", ".5"]).idleTimeoutSeconds, 0.5);
  assert.equal(parseServerArgs(["--idle-timeout", "0.5"]).idleTimeoutSeconds, 0.5);
  assert.equal(parseServerArgs(["--idle-timeout", "5."]).idleTimeoutSeconds, 5);
  assert.equal(parseServerArgs(["--idle-timeout", "10"]).idleTimeoutSeconds, 10);
});

Deno.test("parseServerArgs() reads --strict-lines", () => {
  assert.equal(parseServerArgs(["--strict-lines"]).strictLines, true);
  assert.equal(parseServerArgs(["--mode", "reply", "--strict-lines"]).strictLines, true);
});

Deno.test("parseServerArgs() reads the flags --quiet, -q and --trace", () => {
  assert.equal(parseServerArgs(["--quiet"]).quiet, true);
  assert.equal(parseServerArgs(["-q"]).quiet, true);
  assert.equal(parseServerArgs(["--trace"]).trace, true);
  assert.equal(parseServerArgs(["--trace"]).quiet, false);
});

Deno.test("parseServerArgs() reads --check, --help, -h, --version and -V as actions", () => {
  assert.equal(parseServerArgs(["--check"]).action, "check");
  assert.equal(parseServerArgs(["--help"]).action, "help");
  assert.equal(parseServerArgs(["-h"]).action, "help");
  assert.equal(parseServerArgs(["--version"]).action, "version");
  assert.equal(parseServerArgs(["-V"]).action, "version");
});

Deno.test("parseServerArgs() lets --help win over --version and --check", () => {
  assert.equal(parseServerArgs(["--check", "--version", "--help"]).action, "help");
  assert.equal(parseServerArgs(["--check", "-V"]).action, "version");
});

Deno.test("parseServerArgs() reads every option at once", () => {
  const command = parseServerArgs([
    "-H",
    "127.0.0.1",
    "-p",
    "0",
    "-m",
    "reply",
    "--reply",
    "R {msg}",
    "--lang",
    "zh",
    "--max-conns",
    "3",
    "--max-line",
    "64",
    "--idle-timeout",
    "2.5",
    "-q",
    "--trace",
    "--strict-lines",
    "--max-per-address",
    "0",
    "--max-joins-per-minute",
    "30",
    "--trust",
    "10.0.0.0/8",
    "--allow",
    "::1",
    "--deny",
    "192.0.2.7",
    "--check",
  ]);
  assert.deepEqual(command, {
    action: "check",
    host: "127.0.0.1",
    port: 0,
    mode: "reply",
    replyTemplate: "R {msg}",
    lang: "zh",
    maxConnections: 3,
    maxLineBytes: 64,
    idleTimeoutSeconds: 2.5,
    quiet: true,
    trace: true,
    strictLines: true,
    historySize: 20,
    maxBacklogBytes: 1048576,
    rateLinesPerSecond: 20,
    webPort: null,
    redisUrl: null,
    room: "lobby",
    opKeyFile: null,
    tlsCertFile: null,
    tlsKeyFile: null,
    plainPort: null,
    keyFile: null,
    maxPerAddress: 0,
    maxJoinsPerMinute: 30,
    trust: [{ bytes: new Uint8Array([10, 0, 0, 0]), bits: 8 }],
    allow: [{ bytes: new Uint8Array([...Array(15).fill(0), 1]), bits: 128 }],
    deny: [{ bytes: new Uint8Array([192, 0, 2, 7]), bits: 32 }],
  });
});

Deno.test("parseServerArgs() reads every option chat mode takes", () => {
  const command = parseServerArgs([
    "--mode",
    "chat",
    "--max-conns",
    "3",
    "--max-line",
    "64",
    "--idle-timeout",
    "2",
    "--strict-lines",
    "--history",
    "0",
    "--max-backlog",
    "4096",
    "--rate",
    "0",
    "-q",
  ]);
  assert.deepEqual(command, {
    ...DEFAULTS,
    mode: "chat",
    maxConnections: 3,
    maxLineBytes: 64,
    idleTimeoutSeconds: 2,
    strictLines: true,
    historySize: 0,
    maxBacklogBytes: 4096,
    rateLinesPerSecond: 0,
    quiet: true,
  });
});

Deno.test("parseServerArgs() reads --op-key-file in chat mode only", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--op-key-file", "key.txt"]).opKeyFile, "key.txt");
  assert.equal(parseServerArgs(["-m", "chat"]).opKeyFile, null);
  assertUsageError(["--op-key-file", "key.txt"], "--op-key-file", "chat");
});

Deno.test("parseServerArgs() reads --key-file in chat mode only", () => {
  assert.equal(parseServerArgs(["-m", "chat", "--key-file", "room.txt"]).keyFile, "room.txt");
  assert.equal(parseServerArgs(["-m", "chat"]).keyFile, null);
  assertUsageError(["--key-file", "room.txt"], "--key-file", "chat");
  assertUsageError(["-m", "echo", "--key-file", "room.txt"], "--key-file", "chat");
});

Deno.test("parseServerArgs() reads every option echo mode takes", () => {
  const command = parseServerArgs(["-m", "echo", "--max-conns", "3", "--idle-timeout", "2", "-q"]);
  assert.deepEqual(command, {
    ...DEFAULTS,
    mode: "echo",
    maxConnections: 3,
    idleTimeoutSeconds: 2,
    quiet: true,
  });
});

Deno.test("parseServerArgs() uses the last of a repeated option", () => {
  assert.equal(parseServerArgs(["-p", "1", "--port", "2"]).port, 2);
});

// --- Usage errors ---

Deno.test("parseServerArgs() rejects a port above 65535, quoting it", () => {
  assertUsageError(["--port", "70000"], 'Invalid --port "70000"');
  assertUsageError(["-p", "65536"], '"65536"');
});

Deno.test("parseServerArgs() rejects a port that is not a number, quoting it", () => {
  assertUsageError(["--port", "abc"], 'Invalid --port "abc"');
  assertUsageError(["--port", "1e3"], 'Invalid --port "1e3"');
  assertUsageError(["--port", "8.5"], 'Invalid --port "8.5"');
  assertUsageError(["--port="], 'Invalid --port ""');
});

Deno.test("parseServerArgs() rejects a negative port with a range error, not 'ambiguous'", () => {
  assertUsageError(["--port", "-1"], 'Invalid --port "-1"', "0 to 65535");
  assertUsageError(["--port", "-5"], 'Invalid --port "-5"', "0 to 65535");
  assertUsageError(["-p", "-5"], 'Invalid --port "-5"');
  assertUsageError(["--port=-5"], 'Invalid --port "-5"');
});

Deno.test("parseServerArgs() rejects a negative port after a short flag group, quoting it", () => {
  // "-qp -5" is "-q -p -5": the value should get the same range error as "-p -5".
  assertUsageError(["-qp", "-5"], '"-5"');
});

Deno.test("parseServerArgs() rejects an empty or blank host, quoting it", () => {
  assertUsageError(["--host", ""], 'Invalid --host ""');
  assertUsageError(["-H", "  "], 'Invalid --host "  "');
  assertUsageError(["--host="], 'Invalid --host ""');
});

Deno.test("parseServerArgs() rejects an unknown mode, quoting it and listing the modes", () => {
  assertUsageError(["--mode", "talk"], 'Invalid --mode "talk"', "expected reply or echo or chat");
  assertUsageError(["-m", "CHAT"], '"CHAT"');
  assertUsageError(["-m", "ECHO"], '"ECHO"');
  assertUsageError(["--mode="], 'Invalid --mode ""');
});

Deno.test("parseServerArgs() rejects an unknown option, quoting it", () => {
  assertUsageError(["--bogus"], 'Unknown option "--bogus"');
  assertUsageError(["-x"], 'Unknown option "-x"');
  assertUsageError(["--Port", "1"], '"--Port"');
});

Deno.test("parseServerArgs() rejects an option that is missing its value, naming it", () => {
  for (const option of ["--host", "--port", "--mode", "--reply", "--lang"]) {
    assertUsageError([option], option, "needs a value");
  }
  for (
    const option of ["--max-conns", "--max-line", "--idle-timeout", "--history", "--max-backlog"]
  ) {
    assertUsageError(["-q", option], option, "needs a value");
  }
  assertUsageError(["-p"], "--port", "needs a value");
});

Deno.test("parseServerArgs() rejects a value given to a flag", () => {
  assertUsageError(["--quiet=yes"], "--quiet", "does not take a value");
  assertUsageError(["--check=1"], "--check", "does not take a value");
});

Deno.test("parseServerArgs() rejects zero and negative limits, quoting them", () => {
  assertUsageError(["--max-conns", "0"], 'Invalid --max-conns "0"', ">= 1");
  assertUsageError(["--max-conns", "-3"], 'Invalid --max-conns "-3"');
  assertUsageError(["--max-conns", "2.5"], 'Invalid --max-conns "2.5"');
  assertUsageError(["--max-line", "0"], 'Invalid --max-line "0"', ">= 1");
  assertUsageError(["--max-line", "-1"], 'Invalid --max-line "-1"');
  assertUsageError(["--max-line", "lots"], 'Invalid --max-line "lots"');
  assertUsageError(["-m", "chat", "--max-backlog", "0"], 'Invalid --max-backlog "0"', ">= 1");
  assertUsageError(["-m", "chat", "--max-backlog", "1k"], 'Invalid --max-backlog "1k"');
});

Deno.test("parseServerArgs() rejects a negative or fractional --history or --rate, quoting it", () => {
  for (const option of ["--history", "--rate"]) {
    for (const value of ["-1", "1.5", "lots", "", "1e3"]) {
      assertUsageError(
        ["-m", "chat", option, value],
        `Invalid ${option} "${value}": expected a whole number >= 0`,
      );
    }
  }
});

Deno.test("parseServerArgs() rejects a bad --idle-timeout, quoting it and naming the range", () => {
  for (const value of ["-1", "-0.5", "abc", "1e3", "", "Infinity", "2000001"]) {
    assertUsageError(
      ["--idle-timeout", value],
      `Invalid --idle-timeout "${value}": expected a number of seconds from 0 to 2000000`,
    );
  }
});

Deno.test("parseServerArgs() refuses an option as the value of another, naming both", () => {
  const refusals: [string[], string, string][] = [
    [["--reply", "--check"], "--reply", "--check"],
    [["--reply", "-q"], "--reply", "-q"],
    [["--reply", "-qp"], "--reply", "-qp"],
    [["--reply", "--port=5"], "--reply", "--port=5"],
    [["--port", "--check"], "--port", "--check"],
    [["-p", "--check"], "--port", "--check"],
    [["-qp", "--check"], "--port", "--check"],
    [["--host", "-p"], "--host", "-p"],
    [["--mode", "--reply"], "--mode", "--reply"],
  ];
  for (const [args, option, value] of refusals) {
    assertUsageError(
      args,
      `Option "${option}" needs a value (got the option "${value}"; ` +
        `to use that text, write ${option}=${value})`,
    );
  }
});

Deno.test("parseServerArgs() takes a reply template that starts with a dash but is no option", () => {
  assert.equal(parseServerArgs(["--reply", "-> {msg}"]).replyTemplate, "-> {msg}");
  assert.equal(parseServerArgs(["--reply", "-"]).replyTemplate, "-");
  assert.equal(parseServerArgs(["--reply=--check"]).replyTemplate, "--check");
});

Deno.test("parseServerArgs() refuses options of reply mode with --mode echo, saying so", () => {
  for (const args of [["--reply", "x"], ["--reply="]]) {
    assertUsageError(
      ["--mode", "echo", ...args],
      "--reply applies to reply mode only (this is --mode echo)",
    );
    assertUsageError([...args, "-m", "echo"], "--reply applies to reply mode only");
  }
  for (const args of [["--max-line", "64"], ["--strict-lines"], ["--max-line=64"]]) {
    const option = args[0]!.replace(/=.*/, "");
    assertUsageError(
      ["--mode", "echo", ...args],
      `${option} applies to reply and chat modes only (this is --mode echo)`,
    );
    assertUsageError([...args, "-m", "echo"], `${option} applies to reply and chat modes only`);
  }
});

Deno.test("parseServerArgs() refuses --reply with --mode chat, saying so", () => {
  assertUsageError(
    ["--mode", "chat", "--reply", "x"],
    "--reply applies to reply mode only (this is --mode chat)",
  );
  assertUsageError(["--reply=", "-m", "chat"], "--reply applies to reply mode only");
});

Deno.test("parseServerArgs() refuses the options of chat mode in reply and echo mode, saying so", () => {
  for (const args of [["--history", "5"], ["--max-backlog", "4096"], ["--rate", "0"]]) {
    const option = args[0]!;
    // reply mode, whether chosen or the default
    for (const mode of [[], ["--mode", "reply"]]) {
      assertUsageError(
        [...mode, ...args],
        `${option} applies to chat mode only (this is --mode reply)`,
      );
    }
    assertUsageError(
      [...args, "-m", "echo"],
      `${option} applies to chat mode only (this is --mode echo)`,
    );
  }
});

Deno.test("parseServerArgs() lets chat mode take --max-line and --strict-lines", () => {
  const command = parseServerArgs(["-m", "chat", "--max-line", "100", "--strict-lines"]);
  assert.equal(command.maxLineBytes, 100);
  assert.equal(command.strictLines, true);
});

Deno.test("parseServerArgs() refuses a host with a port, showing how to give them", () => {
  assertUsageError(
    ["--host", "127.0.0.1:80"],
    'Invalid --host "127.0.0.1:80": give the port separately: --host 127.0.0.1 --port 80',
  );
  assertUsageError(
    ["-H", "[::1]:80"],
    'Invalid --host "[::1]:80": give the port separately: --host ::1 --port 80',
  );
  assertUsageError(["--host=localhost:50000"], "--host localhost --port 50000");
});

Deno.test("parseServerArgs() keeps IPv6 addresses, with or without brackets, as hosts", () => {
  assert.equal(parseServerArgs(["--host", "::"]).host, "::");
  assert.equal(parseServerArgs(["--host", "::1"]).host, "::1");
  assert.equal(parseServerArgs(["--host", "[::1]"]).host, "::1");
  assert.equal(parseServerArgs(["--host", "fe80::1%lo"]).host, "fe80::1%lo");
});

Deno.test("parseServerArgs() rejects a bad --lang, quoting it", () => {
  assertUsageError(["--lang", "fr"], 'Invalid --lang "fr"', "en or zh");
  assertUsageError(["--lang=cn"], 'Invalid --lang "cn"');
});

Deno.test("parseServerArgs() rejects a positional argument, quoting it", () => {
  assertUsageError(["50000"], 'Unexpected argument "50000"');
  assertUsageError(["--port", "1", "extra"], '"extra"');
  assertUsageError(["--", "x"], '"x"');
});

// --- Limits per address ---

Deno.test("parseServerArgs() takes --trust, --allow and --deny more than once, IPv4 and IPv6", () => {
  const command = parseServerArgs([
    "--trust",
    "10.0.0.0/8",
    "--trust=2001:db8::/32",
    "--allow",
    "192.0.2.0/24",
    "--allow",
    "::ffff:198.51.100.0/120",
    "--deny",
    "192.0.2.7",
  ]);
  assert.deepEqual(command.trust.map((range) => range.bits), [8, 32]);
  assert.deepEqual(command.allow, [
    { bytes: new Uint8Array([192, 0, 2, 0]), bits: 24 },
    { bytes: new Uint8Array([198, 51, 100, 0]), bits: 24 }, // an IPv4-mapped range is IPv4
  ]);
  assert.equal(command.deny.length, 1);
});

Deno.test("parseServerArgs() takes 0 for no limit per address, in every mode", () => {
  for (const mode of SERVER_MODES) {
    const command = parseServerArgs([
      "--mode",
      mode,
      "--max-per-address",
      "0",
      "--max-joins-per-minute",
      "0",
    ]);
    assert.equal(command.maxPerAddress, 0);
    assert.equal(command.maxJoinsPerMinute, 0);
  }
});

Deno.test("parseServerArgs() rejects a bad limit per address or address range, quoting it", () => {
  assertUsageError(["--max-per-address", "-1"], "--max-per-address", '"-1"', ">= 0");
  assertUsageError(["--max-per-address", "lots"], "--max-per-address", '"lots"');
  assertUsageError(["--max-joins-per-minute", "1.5"], "--max-joins-per-minute", '"1.5"');
  assertUsageError(["--trust", "10.0.0.0/33"], "--trust", '"10.0.0.0/33"', "32");
  assertUsageError(["--trust", "::/129"], "--trust", '"::/129"', "128");
  for (const bad of ["nonsense", "", "10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "1::2::3", "::1/6x"]) {
    assertUsageError(["--allow", bad], "--allow", `"${bad}"`);
  }
  assertUsageError(["--deny", "256.0.0.1"], "--deny", '"256.0.0.1"');
});
