/**
 * Tests for lib/cli/cli_args.ts: strict parsing with one-line errors, and the
 * checks for ports, counts, seconds and languages, and runMain()'s last-resort error line.
 */

import assert from "node:assert/strict";
import {
  MAX_SECONDS,
  type OptionTable,
  parseCommandLine,
  parseCount,
  parseLang,
  parsePort,
  parseSeconds,
  peekLang,
  UsageError,
} from "../../lib/cli/cli_args.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { describeError } from "../../lib/stream/net_errors.ts";
import { assertNoStackTrace, assertUsageError } from "../support/user_errors.ts";

const OPTIONS: OptionTable = {
  name: { type: "string", short: "n" },
  verbose: { type: "boolean", short: "v" },
};

// --- UsageError ---

Deno.test("UsageError is an Error named UsageError, its message the English text", () => {
  const error = new UsageError({ kind: "invalidPort", option: "--port", value: "x" });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "UsageError");
  assert.equal(error.message, 'Invalid --port "x": expected a whole number from 0 to 65535');
  assert.deepEqual(error.problem, { kind: "invalidPort", option: "--port", value: "x" });
});

Deno.test("UsageError.messageIn() renders the problem in each language", () => {
  const error = new UsageError({ kind: "invalidPort", option: "--port", value: "x" });
  assert.equal(error.messageIn("en"), error.message);
  assert.equal(error.messageIn("zh"), '无效的 --port "x"：应为 0 到 65535 之间的整数');
});

// --- parseCommandLine() ---

Deno.test("parseCommandLine() returns values by long name and the positionals", () => {
  const parsed = parseCommandLine(["-n", "a", "--verbose", "pos"], OPTIONS, 1);
  assert.deepEqual({ ...parsed.values }, { name: "a", verbose: true });
  assert.deepEqual(parsed.positionals, ["pos"]);
});

Deno.test("parseCommandLine() accepts --opt=value and -ovalue", () => {
  assert.equal(parseCommandLine(["--name=a"], OPTIONS).values.name, "a");
  assert.equal(parseCommandLine(["-nb"], OPTIONS).values.name, "b");
  assert.equal(parseCommandLine(["--name="], OPTIONS).values.name, "");
});

Deno.test("parseCommandLine() takes a value starting with a dash as the value", () => {
  assert.equal(parseCommandLine(["--name", "-5"], OPTIONS).values.name, "-5");
  assert.equal(parseCommandLine(["-n", "-5"], OPTIONS).values.name, "-5");
  assert.equal(parseCommandLine(["--name", "-> {msg}"], OPTIONS).values.name, "-> {msg}");
  assert.equal(parseCommandLine(["--name", "-"], OPTIONS).values.name, "-");
  // Not options of this table: "-x" has no short x, "-vx" no short x, "--other" no long name.
  assert.equal(parseCommandLine(["--name", "-x"], OPTIONS).values.name, "-x");
  assert.equal(parseCommandLine(["--name", "-vx"], OPTIONS).values.name, "-vx");
  assert.equal(parseCommandLine(["--name", "--other"], OPTIONS).values.name, "--other");
});

Deno.test("parseCommandLine() refuses a value that is an option of the table, naming both", () => {
  const refusals: [string[], string, string][] = [
    [["--name", "--verbose"], "--name", "--verbose"],
    [["--name", "-v"], "--name", "-v"],
    [["-n", "--verbose"], "--name", "--verbose"],
    [["--name", "--name=x"], "--name", "--name=x"],
    [["--name", "--verbose=x"], "--name", "--verbose=x"],
    [["--name", "-vn"], "--name", "-vn"], // a group of short options
    [["--name", "-nx"], "--name", "-nx"], // -n with the value "x"
    [["-vn", "--verbose"], "--name", "--verbose"], // the group ends with an option that takes a value
  ];
  for (const [args, option, value] of refusals) {
    assertUsageError(
      () => parseCommandLine(args, OPTIONS),
      `Option "${option}" needs a value (got the option "${value}"; ` +
        `to use that text, write ${option}=${value})`,
    );
  }
});

Deno.test("parseCommandLine() takes an option as the value when joined with =", () => {
  assert.equal(parseCommandLine(["--name=--verbose"], OPTIONS).values.name, "--verbose");
  assert.equal(parseCommandLine(["--name=-v"], OPTIONS).values.name, "-v");
});

Deno.test("parseCommandLine() says a value is missing when -- follows the option", () => {
  assertUsageError(
    () => parseCommandLine(["--name", "--"], OPTIONS, 1),
    'Option "--name" needs a value',
  );
  assertUsageError(
    () => parseCommandLine(["-n", "--", "x"], OPTIONS, 1),
    'Option "--name" needs a value',
  );
});

Deno.test("parseCommandLine() reads -Hp as -H with the value p, not as a group", () => {
  const options: OptionTable = {
    host: { type: "string", short: "H" },
    port: { type: "string", short: "p" },
  };
  // "-5" after "-Hp" is then an argument of its own, an unknown option, as parseArgs reads it.
  assertUsageError(() => parseCommandLine(["-Hp", "-5"], options), 'Unknown option "-5"');
  assert.equal(parseCommandLine(["-Hp"], options).values.host, "p");
});

Deno.test("parseCommandLine() takes a dash value after a short option group", () => {
  const parsed = parseCommandLine(["-vn", "-5"], OPTIONS);
  assert.deepEqual({ ...parsed.values }, { verbose: true, name: "-5" });
});

Deno.test("parseCommandLine() treats everything after -- as positionals", () => {
  assert.deepEqual(parseCommandLine(["--", "-n"], OPTIONS, 1).positionals, ["-n"]);
});

Deno.test("parseCommandLine() rejects an unknown option, quoting it", () => {
  assertUsageError(() => parseCommandLine(["--bogus"], OPTIONS), '"--bogus"', "Unknown option");
  assertUsageError(() => parseCommandLine(["-x"], OPTIONS), '"-x"');
});

Deno.test("parseCommandLine() rejects a missing value, naming the option by its long name", () => {
  assertUsageError(() => parseCommandLine(["--name"], OPTIONS), 'Option "--name" needs a value');
  assertUsageError(() => parseCommandLine(["-n"], OPTIONS), 'Option "--name" needs a value');
  assertUsageError(() => parseCommandLine(["-vn"], OPTIONS), 'Option "--name" needs a value');
});

Deno.test("parseCommandLine() rejects a value given to a flag", () => {
  assertUsageError(
    () => parseCommandLine(["--verbose=yes"], OPTIONS),
    "--verbose",
    "does not take a value",
  );
});

Deno.test("parseCommandLine() rejects more positionals than allowed, quoting the extra one", () => {
  assertUsageError(() => parseCommandLine(["a"], OPTIONS), 'Unexpected argument "a"');
  assertUsageError(() => parseCommandLine(["a", "b", "c"], OPTIONS, 2), '"c"');
});

// --- parsePort() ---

Deno.test("parsePort() accepts 0 to 65535", () => {
  assert.equal(parsePort("0", "--port"), 0);
  assert.equal(parsePort("50000", "--port"), 50000);
  assert.equal(parsePort("65535", "--port"), 65535);
  assert.equal(parsePort("080", "--port"), 80);
});

Deno.test("parsePort() rejects values that are not whole numbers from 0 to 65535, quoting them", () => {
  for (
    const text of ["70000", "65536", "abc", "-1", "-5", "1e3", "1.5", "", " ", "0x10", "+5", "８０"]
  ) {
    assertUsageError(() => parsePort(text, "--port"), `Invalid --port "${text}"`, "0 to 65535");
  }
});

Deno.test("parsePort() names the option it was given in the message, or says port", () => {
  assertUsageError(() => parsePort("x", "--port"), 'Invalid --port "x"');
  assertUsageError(() => parsePort("x", null), 'Invalid port "x"');
});

// --- parseCount() ---

Deno.test("parseCount() accepts whole numbers >= min", () => {
  assert.equal(parseCount("1", "--max-conns", 1), 1);
  assert.equal(parseCount("1000", "--max-conns", 1), 1000);
  assert.equal(parseCount("0", "--n", 0), 0);
});

Deno.test("parseCount() rejects values below min or not whole numbers, quoting them", () => {
  for (const text of ["0", "-1", "-3", "1.5", "1e3", "abc", "", "9999999999999999"]) {
    assertUsageError(
      () => parseCount(text, "--max-line", 1),
      `Invalid --max-line "${text}"`,
      ">= 1",
    );
  }
});

// --- parseSeconds() ---

Deno.test("parseSeconds() accepts whole and fractional seconds >= 0", () => {
  assert.equal(parseSeconds("0", "--idle-timeout"), 0);
  assert.equal(parseSeconds("30", "--idle-timeout"), 30);
  assert.equal(parseSeconds("10", "--idle-timeout"), 10);
  assert.equal(parseSeconds("1.5", "--idle-timeout"), 1.5);
  assert.equal(parseSeconds("0.25", "--idle-timeout"), 0.25);
  assert.equal(parseSeconds("0.5", "--idle-timeout"), 0.5);
});

Deno.test("parseSeconds() accepts a fraction without a leading or trailing digit", () => {
  assert.equal(parseSeconds(".5", "--idle-timeout"), 0.5);
  assert.equal(parseSeconds("5.", "--idle-timeout"), 5);
  assert.equal(parseSeconds("0.", "--idle-timeout"), 0);
});

Deno.test("parseSeconds() accepts up to MAX_SECONDS, which a timer can hold", () => {
  assert.equal(MAX_SECONDS, 2_000_000);
  assert.ok(MAX_SECONDS * 1000 <= 2 ** 31 - 1, "setTimeout's limit");
  assert.equal(parseSeconds(String(MAX_SECONDS), "--idle-timeout"), MAX_SECONDS);
});

Deno.test("parseSeconds() rejects negative, non-numeric and huge values, naming the range", () => {
  const bad = ["-1", "-0.5", "abc", "", " ", ".", "1e3", "Infinity", "NaN", "3000000", "2000000.5"];
  for (const text of [...bad, "0x10", "+5", "1.2.3", "1_000", "５"]) {
    assertUsageError(
      () => parseSeconds(text, "--idle-timeout"),
      `Invalid --idle-timeout "${text}": expected a number of seconds from 0 to 2000000`,
    );
  }
});

Deno.test("parseSeconds() with allowZero false rejects 0 and accepts any positive value", () => {
  for (const text of ["0", "0.0", ".0", "00"]) {
    assertUsageError(
      () => parseSeconds(text, "--wait", { allowZero: false }),
      `Invalid --wait "${text}": expected a number of seconds above 0, up to 2000000`,
    );
  }
  assert.equal(parseSeconds(".5", "--wait", { allowZero: false }), 0.5);
  assert.equal(parseSeconds("3", "--wait", { allowZero: false }), 3);
});

// --- parseLang() and peekLang() ---

Deno.test("parseLang() accepts en and zh", () => {
  assert.equal(parseLang("en"), "en");
  assert.equal(parseLang("zh"), "zh");
});

Deno.test("parseLang() rejects other languages, quoting them and listing the known ones", () => {
  for (const text of ["fr", "ZH", "", "zh-CN"]) {
    assertUsageError(() => parseLang(text), `Invalid --lang "${text}"`, "en or zh");
  }
});

Deno.test("peekLang() falls back to en", () => {
  assert.equal(peekLang([]), "en");
  assert.equal(peekLang(["--port", "x"]), "en");
  assert.equal(peekLang(["--lang"]), "en");
  assert.equal(peekLang(["--lang", "fr"]), "en");
});

Deno.test("peekLang() finds --lang zh and --lang=zh anywhere in the arguments", () => {
  assert.equal(peekLang(["--lang", "zh"]), "zh");
  assert.equal(peekLang(["--lang=zh"]), "zh");
  assert.equal(peekLang(["--port", "abc", "--lang", "zh", "--bogus"]), "zh");
});

Deno.test("peekLang() uses the last valid --lang", () => {
  assert.equal(peekLang(["--lang", "zh", "--lang=en"]), "en");
  assert.equal(peekLang(["--lang=en", "--lang", "zh"]), "zh");
  assert.equal(peekLang(["--lang", "zh", "--lang", "xx"]), "zh");
});

Deno.test("runMain() turns an error main() did not handle into one line and exit 1", async () => {
  const cliArgs = new URL("../../lib/cli/cli_args.ts", import.meta.url).href;
  const script = `import { runMain } from ${JSON.stringify(cliArgs)};
await runMain(async (args) => { throw new Error("boom: " + args.join(" ")); });`;
  for (const [lang, text] of [["en", "boom: --lang en"], ["zh", "boom: --lang zh"]] as const) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script, "--lang", lang],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const errorText = new TextDecoder().decode(stderr);
    assert.equal(code, 1);
    assert.equal(new TextDecoder().decode(stdout), "");
    assert.equal(errorText, TEXTS[lang].unexpected(describeError(new Error(text))) + "\n");
    assertNoStackTrace(errorText);
  }
});

Deno.test("runMain() exits with the code main() returns", async () => {
  const cliArgs = new URL("../../lib/cli/cli_args.ts", import.meta.url).href;
  const script = `import { runMain } from ${JSON.stringify(cliArgs)};
await runMain(async (args) => Number(args[0]));`;
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", script, "3"],
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(code, 3);
});
