/**
 * Tests for lib/cli/client_options.ts: HOST and PORT as positionals or options,
 * every default, and every usage error.
 */

import assert from "node:assert/strict";
import { parseClientArgs } from "../../lib/cli/client_options.ts";
import { parseUsageErrorAsserter } from "../support/user_errors.ts";

/** Asserts `parseClientArgs(args)` fails with a one-line UsageError whose message contains `parts`. */
const assertUsageError = parseUsageErrorAsserter(parseClientArgs);

// --- Defaults ---

/** What the client does with no arguments. */
const DEFAULTS = {
  action: "run",
  host: "127.0.0.1",
  port: 50000,
  lang: "en",
  crlf: false,
  waitSeconds: null,
  hex: false,
  tls: false,
  caFile: null,
} as const;

Deno.test("parseClientArgs() connects to 127.0.0.1:50000 in English by default", () => {
  assert.deepEqual(parseClientArgs([]), DEFAULTS);
});

// --- Positionals and options ---

Deno.test("parseClientArgs() reads HOST and PORT as positionals", () => {
  assert.deepEqual(parseClientArgs(["localhost", "7"]), {
    ...DEFAULTS,
    host: "localhost",
    port: 7,
  });
});

Deno.test("parseClientArgs() reads HOST alone with the default port", () => {
  const command = parseClientArgs(["192.168.1.5"]);
  assert.equal(command.host, "192.168.1.5");
  assert.equal(command.port, 50000);
});

Deno.test("parseClientArgs() reads --host, -H and --host=", () => {
  assert.equal(parseClientArgs(["--host", "example.com"]).host, "example.com");
  assert.equal(parseClientArgs(["-H", "::1"]).host, "::1");
  assert.equal(parseClientArgs(["--host=localhost"]).host, "localhost");
});

Deno.test("parseClientArgs() reads --port, -p and --port=", () => {
  assert.equal(parseClientArgs(["--port", "6708"]).port, 6708);
  assert.equal(parseClientArgs(["-p", "1"]).port, 1);
  assert.equal(parseClientArgs(["--port=65535"]).port, 65535);
});

Deno.test("parseClientArgs() mixes a HOST positional with --port", () => {
  const command = parseClientArgs(["localhost", "--port", "9"]);
  assert.equal(command.host, "localhost");
  assert.equal(command.port, 9);
});

Deno.test("parseClientArgs() strips the brackets of an IPv6 host", () => {
  assert.equal(parseClientArgs(["[::1]", "80"]).host, "::1");
  assert.equal(parseClientArgs(["--host", "[::1]"]).host, "::1");
});

Deno.test("parseClientArgs() reads --lang and --lang=", () => {
  assert.equal(parseClientArgs(["--lang", "zh"]).lang, "zh");
  assert.equal(parseClientArgs(["--lang=en"]).lang, "en");
  assert.equal(parseClientArgs(["127.0.0.1", "50000", "--lang", "zh"]).lang, "zh");
});

Deno.test("parseClientArgs() reads --help, -h, --version and -V as actions", () => {
  assert.equal(parseClientArgs(["--help"]).action, "help");
  assert.equal(parseClientArgs(["-h"]).action, "help");
  assert.equal(parseClientArgs(["--version"]).action, "version");
  assert.equal(parseClientArgs(["-V"]).action, "version");
  assert.equal(parseClientArgs(["-V", "-h"]).action, "help");
});

// --- Usage errors ---

Deno.test("parseClientArgs() rejects a host given twice, quoting both", () => {
  assertUsageError(["a", "--host", "b"], "Host given twice", '"a"', '"b"');
  assertUsageError(["-H", "b", "a", "1"], "Host given twice", '"a"', '"b"');
});

Deno.test("parseClientArgs() rejects a port given twice, quoting both", () => {
  assertUsageError(["a", "1", "--port", "2"], "Port given twice", '"1"', '"2"');
  assertUsageError(["-p", "2", "a", "1"], "Port given twice", '"1"', '"2"');
});

Deno.test("parseClientArgs() rejects port 0, which no server listens on", () => {
  assertUsageError(["localhost", "0"], 'Invalid port "0": a server cannot listen on port 0');
  assertUsageError(["--port", "0"], 'Invalid --port "0": a server cannot listen on port 0');
  assertUsageError(["00"], 'Invalid port "00"');
});

Deno.test("parseClientArgs() rejects a port that is not 1 to 65535, quoting it", () => {
  for (const port of ["70000", "65536", "abc", "1e3", ""]) {
    assertUsageError(["localhost", port], `"${port}"`, "65535");
    assertUsageError([`--port=${port}`], `"${port}"`);
  }
  assertUsageError(["--port", "-5"], '"-5"', "65535");
  assertUsageError(["-p", "-5"], '"-5"', "65535");
  assertUsageError(["--port=-1"], '"-1"', "65535");
  // A positional that starts with "-" reads as an option, as with nc.
  assertUsageError(["localhost", "-1"], 'Unknown option "-1"');
});

Deno.test("parseClientArgs() rejects an empty or blank host, quoting it", () => {
  assertUsageError([""], 'Invalid host ""');
  assertUsageError(["--host", " "], 'Invalid --host " ": expected an address');
});

Deno.test("parseClientArgs() rejects a third positional, quoting it", () => {
  assertUsageError(["a", "1", "extra"], 'Unexpected argument "extra"');
});

Deno.test("parseClientArgs() rejects an unknown option, quoting it", () => {
  assertUsageError(["--mode", "echo"], 'Unknown option "--mode"');
  assertUsageError(["-q"], 'Unknown option "-q"');
});

Deno.test("parseClientArgs() rejects an option that is missing its value, naming it", () => {
  assertUsageError(["--host"], "--host", "needs a value");
  assertUsageError(["-p"], "--port", "needs a value");
  assertUsageError(["--lang"], "--lang", "needs a value");
});

Deno.test("parseClientArgs() rejects a bad --lang, quoting it", () => {
  assertUsageError(["--lang", "fr"], 'Invalid --lang "fr"', "en or zh");
});

Deno.test("parseClientArgs() rejects a value given to a flag", () => {
  assertUsageError(["--help=yes"], "--help", "does not take a value");
});

Deno.test("parseClientArgs() takes a lone number as the port, the host staying 127.0.0.1", () => {
  assert.deepEqual(parseClientArgs(["50000"]), { ...DEFAULTS, port: 50000 });
  assert.deepEqual(parseClientArgs(["7", "--lang", "zh"]), { ...DEFAULTS, port: 7, lang: "zh" });
  assertUsageError(["7", "--port", "8"], 'Port given twice: "7" and --port "8"');
  assertUsageError(["70000"], 'Invalid port "70000"');
});

Deno.test("parseClientArgs() still reads a name or address and a number as HOST PORT", () => {
  assert.deepEqual(parseClientArgs(["10.0.0.1", "7"]), { ...DEFAULTS, host: "10.0.0.1", port: 7 });
  assert.deepEqual(parseClientArgs(["7", "8"]), { ...DEFAULTS, host: "7", port: 8 });
});

Deno.test("parseClientArgs() refuses HOST:PORT as a host, showing how to give them", () => {
  assertUsageError(
    ["127.0.0.1:80"],
    'Invalid host "127.0.0.1:80": give the port separately: client.ts 127.0.0.1 80 (or --port 80)',
  );
  assertUsageError(
    ["[::1]:80"],
    'Invalid host "[::1]:80": give the port separately: client.ts ::1 80 (or --port 80)',
  );
  assertUsageError(["localhost:50000"], "client.ts localhost 50000 (or --port 50000)");
  assertUsageError(["localhost:50000", "7"], 'Invalid host "localhost:50000"');
  assertUsageError(
    ["--host", "127.0.0.1:80"],
    'Invalid --host "127.0.0.1:80": give the port separately: --host 127.0.0.1 --port 80',
  );
});

Deno.test("parseClientArgs() keeps plain and bracketed IPv6 addresses as hosts", () => {
  assert.equal(parseClientArgs(["::1"]).host, "::1");
  assert.equal(parseClientArgs(["::1", "80"]).host, "::1");
  assert.equal(parseClientArgs(["[::1]"]).host, "::1");
  assert.equal(parseClientArgs(["fe80::1:2"]).host, "fe80::1:2");
  assert.equal(parseClientArgs(["-H", "::"]).host, "::");
});

Deno.test("parseClientArgs() reads -C and --crlf", () => {
  assert.equal(parseClientArgs(["-C"]).crlf, true);
  assert.equal(parseClientArgs(["--crlf"]).crlf, true);
  assert.equal(parseClientArgs(["-C", "localhost"]).host, "localhost");
});

Deno.test("parseClientArgs() reads --hex", () => {
  assert.equal(parseClientArgs(["--hex"]).hex, true);
  assertUsageError(["--hex=1"], 'Option "--hex" does not take a value');
});

Deno.test("parseClientArgs() reads -w and --wait as seconds, fractions included", () => {
  assert.equal(parseClientArgs(["-w", "3"]).waitSeconds, 3);
  assert.equal(parseClientArgs(["--wait", ".5"]).waitSeconds, 0.5);
  assert.equal(parseClientArgs(["--wait=2.5"]).waitSeconds, 2.5);
  assert.equal(parseClientArgs(["-w5"]).waitSeconds, 5);
  assert.equal(parseClientArgs(["-Cw", "1"]).waitSeconds, 1);
  assert.equal(parseClientArgs([]).waitSeconds, null);
});

Deno.test("parseClientArgs() refuses a --wait that is not a number of seconds above 0", () => {
  for (const value of ["0", "0.0", "-1", "abc", "", "1e3", "3000000"]) {
    assertUsageError(
      ["--wait", value],
      `Invalid --wait "${value}": expected a number of seconds above 0, up to 2000000`,
    );
  }
  assertUsageError(["-w"], 'Option "--wait" needs a value');
  assertUsageError(["-w", "-C"], 'Option "--wait" needs a value (got the option "-C"');
});

Deno.test("parseClientArgs() refuses an option as the value of --host or --port", () => {
  assertUsageError(["--host", "--port"], 'Option "--host" needs a value (got the option "--port"');
  assertUsageError(
    ["-p", "--lang=zh"],
    'Option "--port" needs a value (got the option "--lang=zh"',
  );
});

Deno.test("parseClientArgs() takes a lone number after --host as the port", () => {
  const command = parseClientArgs(["-H", "example.org", "7"]);
  assert.equal(command.host, "example.org");
  assert.equal(command.port, 7);
});
