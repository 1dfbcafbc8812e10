/**
 * Tests for lib/cli/usage_problem.ts and its texts in lib/cli/cli_texts.ts: every kind
 * of usage problem has a text in every language (checked by the type checker
 * and here), and the real scripts print each kind in Chinese with `--lang zh`.
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli/cli_args.ts";
import { parseClientArgs } from "../../lib/cli/client_options.ts";
import { type Lang, LANGS } from "../../lib/settings/lang.ts";
import {
  CLI_TEXTS as TEXTS,
  type CliTexts as Texts,
  usageProblemText,
} from "../../lib/cli/cli_texts.ts";
import { parseServerArgs, SERVER_MODES } from "../../lib/cli/server_options.ts";
import type {
  UsageProblem,
  UsageProblemKind,
  UsageProblemTexts,
} from "../../lib/cli/usage_problem.ts";
import { CLIENT_SCRIPT, runScript, SERVER_SCRIPT } from "../support/processes.ts";
import { assertNoEnglish, assertNoStackTrace } from "../support/user_errors.ts";

// --- Every kind has a text in every language: checked by the type checker ---

/** True when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

// The texts of a language are keyed by exactly the kinds of problem.
const textsCoverEveryKind: Equal<keyof Texts["usageProblems"], UsageProblemKind> = true;
const tableIsExact: Equal<Texts["usageProblems"], UsageProblemTexts> = true;

// A language that lacks the text of one kind does not type-check.
const { modeOnly: _left, ...zhWithoutOneKind } = TEXTS.zh.usageProblems;
const _incomplete: Record<Lang, Texts> = {
  en: TEXTS.en,
  // @ts-expect-error: property "modeOnly" is missing
  zh: { ...TEXTS.zh, usageProblems: zhWithoutOneKind },
};

Deno.test("every kind of usage problem has a text in every language (type-checked)", () => {
  assert.equal(textsCoverEveryKind, true);
  assert.equal(tableIsExact, true);
  for (const lang of LANGS) {
    assert.deepEqual(
      Object.keys(TEXTS[lang].usageProblems).sort(),
      Object.keys(SAMPLES).sort(),
      lang,
    );
  }
});

// --- Each kind rendered from sample values ---

/** Sample problems of every kind (a kind missing here is a type error), with null options too. */
const SAMPLES: { [K in UsageProblemKind]: Extract<UsageProblem, { kind: K }>[] } = {
  unknownOption: [{ kind: "unknownOption", option: "--bogus" }],
  missingValue: [{ kind: "missingValue", option: "--port" }],
  valueIsOption: [{ kind: "valueIsOption", option: "--reply", value: "--check" }],
  flagWithValue: [{ kind: "flagWithValue", option: "--quiet" }],
  unexpectedArgument: [{ kind: "unexpectedArgument", argument: "extra" }],
  invalidPort: [
    { kind: "invalidPort", option: "--port", value: "abc" },
    { kind: "invalidPort", option: null, value: "70000" },
  ],
  portZero: [
    { kind: "portZero", option: "--port", value: "0" },
    { kind: "portZero", option: null, value: "00" },
  ],
  invalidCount: [{ kind: "invalidCount", option: "--max-conns", value: "0", min: 1 }],
  invalidSeconds: [
    { kind: "invalidSeconds", option: "--idle-timeout", value: "x", max: 2000000, allowZero: true },
    { kind: "invalidSeconds", option: "--wait", value: "0", max: 2000000, allowZero: false },
  ],
  invalidChoice: [
    { kind: "invalidChoice", option: "--mode", value: "talk", choices: ["reply", "echo", "chat"] },
    { kind: "invalidChoice", option: "--lang", value: "fr", choices: ["en", "zh"] },
  ],
  emptyHost: [
    { kind: "emptyHost", option: "--host", value: "" },
    { kind: "emptyHost", option: null, value: " " },
  ],
  hostWithPort: [
    {
      kind: "hostWithPort",
      option: "--host",
      value: "127.0.0.1:80",
      host: "127.0.0.1",
      port: "80",
    },
    { kind: "hostWithPort", option: null, value: "[::1]:80", host: "::1", port: "80" },
  ],
  givenTwice: [
    { kind: "givenTwice", what: "host", argument: "a", option: "--host", value: "b" },
    { kind: "givenTwice", what: "port", argument: "1", option: "--port", value: "2" },
  ],
  modeOnly: [
    { kind: "modeOnly", option: "--reply", modes: ["reply"], mode: "chat" },
    { kind: "modeOnly", option: "--max-line", modes: ["reply", "chat"], mode: "echo" },
    { kind: "modeOnly", option: "--history", modes: ["chat"], mode: "reply" },
  ],
  invalidRedisUrl: [{ kind: "invalidRedisUrl", option: "--redis", value: "http://x" }],
  invalidRoomName: [
    { kind: "invalidRoomName", option: "--room", value: "a b" },
  ],
  shortOperatorKey: [
    { kind: "shortOperatorKey", option: "--op-key-file", file: "key.txt", min: 16 },
  ],
  invalidAddressRange: [
    { kind: "invalidAddressRange", option: "--trust", value: "10.0.0.0/33" },
    { kind: "invalidAddressRange", option: "--allow", value: "nonsense" },
  ],
};

const ALL_SAMPLES: UsageProblem[] = Object.values(SAMPLES).flat();

/** Names the Chinese texts keep as they are typed, as the Chinese help does ("reply 模式"). */
const TERMS = [...SERVER_MODES, ...LANGS];

/** The values a problem's text quotes as typed: every string field but `kind` and `what`. */
function typedValues(problem: UsageProblem): string[] {
  return Object.entries(problem).flatMap(([key, value]) => {
    if (key === "kind" || key === "what") return [];
    if (Array.isArray(value)) return value.map(String);
    return typeof value === "string" || typeof value === "number" ? [String(value)] : [];
  });
}

Deno.test("usageProblemText() gives one line without a final period, in both languages", () => {
  for (const problem of ALL_SAMPLES) {
    for (const lang of LANGS) {
      const text = usageProblemText(TEXTS[lang], problem);
      assert.ok(text.trim() !== "", `${lang} ${problem.kind}`);
      assert.equal(text, text.trim(), `${lang} ${problem.kind}`);
      assert.doesNotMatch(text, /[\r\n]/, `${lang} ${problem.kind}`);
      assert.doesNotMatch(text, /[.。]$/, `${lang} ${problem.kind}: ${text}`);
    }
  }
});

Deno.test("usageProblemText() quotes every value of the problem, in both languages", () => {
  for (const problem of ALL_SAMPLES) {
    for (const lang of LANGS) {
      const text = usageProblemText(TEXTS[lang], problem);
      for (const value of typedValues(problem)) {
        assert.ok(text.includes(value), `${lang} ${problem.kind} lacks ${value}: ${text}`);
      }
    }
  }
});

Deno.test("usageProblemText() in Chinese has no English sentence in it", () => {
  for (const problem of ALL_SAMPLES) {
    const text = usageProblemText(TEXTS.zh, problem);
    assert.notEqual(text, usageProblemText(TEXTS.en, problem), problem.kind);
    assertNoEnglish(text, [...typedValues(problem), ...TERMS]);
  }
});

Deno.test("assertNoEnglish() finds the English text of every kind", () => {
  for (const problem of ALL_SAMPLES) {
    const text = usageProblemText(TEXTS.en, problem);
    assert.throws(() => assertNoEnglish(text, [...typedValues(problem), ...TERMS]), problem.kind);
  }
  assert.throws(() => assertNoEnglish('无效的 --port "x"：expected a number', ["x"]));
});

Deno.test("usageProblemText() says port and host for client.ts's HOST and PORT arguments", () => {
  const port = { kind: "invalidPort", option: null, value: "x" } as const;
  assert.ok(usageProblemText(TEXTS.en, port).startsWith('Invalid port "x"'));
  assert.ok(usageProblemText(TEXTS.zh, port).startsWith('无效的端口 "x"'));
  const host = { kind: "emptyHost", option: null, value: "" } as const;
  assert.ok(usageProblemText(TEXTS.en, host).startsWith('Invalid host ""'));
  assert.ok(usageProblemText(TEXTS.zh, host).startsWith('无效的主机 ""'));
});

// --- Each kind printed by the real scripts with --lang zh ---

/**
 * A command line for each kind, and the script it goes to: a kind missing here is a type error.
 * A short `--op-key-file` key is found after parsing, reading the file: its test is
 * `tests/scripts/operator_key_test.ts`.
 */
const SCRIPT_CASES: Record<
  Exclude<UsageProblemKind, "shortOperatorKey">,
  ["server.ts" | "client.ts", string[]]
> = {
  unknownOption: ["server.ts", ["--x"]],
  missingValue: ["server.ts", ["--port"]],
  valueIsOption: ["server.ts", ["--reply", "--check"]],
  flagWithValue: ["server.ts", ["--quiet=yes"]],
  unexpectedArgument: ["server.ts", ["extra"]],
  invalidPort: ["server.ts", ["--port", "x"]],
  portZero: ["client.ts", ["localhost", "0"]],
  invalidCount: ["server.ts", ["--max-conns", "0"]],
  invalidSeconds: ["server.ts", ["--idle-timeout", "x"]],
  invalidChoice: ["server.ts", ["--mode", "talk"]],
  emptyHost: ["server.ts", ["--host", ""]],
  hostWithPort: ["client.ts", ["127.0.0.1:80"]],
  givenTwice: ["client.ts", ["a", "--host", "b"]],
  modeOnly: ["server.ts", ["--mode", "echo", "--reply", "x"]],
  invalidRedisUrl: ["server.ts", ["--mode", "chat", "--redis", "localhost:6379"]],
  invalidRoomName: ["server.ts", ["--mode", "chat", "--redis", "redis://x", "--room", "a b"]],
  invalidAddressRange: ["server.ts", ["--trust", "10.0.0.0/33"]],
};

/** More command lines whose errors must read in Chinese. */
const MORE_CASES: ["server.ts" | "client.ts", string[]][] = [
  ["server.ts", ["--lang", "fr"]], // the last valid --lang, zh, is the one used
  ["server.ts", ["--host", "[::1]:80"]],
  ["server.ts", ["--mode", "echo", "--strict-lines"]], // modeOnly naming two modes
  ["server.ts", ["--rate", "5"]], // modeOnly in the default mode
  ["client.ts", ["--wait", "0"]],
  ["client.ts", ["-w", "-C"]],
  ["client.ts", ["--bogus"]],
  ["client.ts", ["x", "1", "extra"]],
  ["client.ts", ["--port", "99999"]],
];

/** What parsing `args` throws: the error the script must print. */
function expectedError(script: "server.ts" | "client.ts", args: string[]): UsageError {
  const parse = script === "server.ts" ? parseServerArgs : parseClientArgs;
  try {
    parse(args);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${script} ${args.join(" ")} parsed without error`);
}

const cases = [
  ...Object.entries(SCRIPT_CASES).map(([kind, [script, args]]) => ({ kind, script, args })),
  ...MORE_CASES.map(([script, args]) => ({ kind: null, script, args })),
];

for (const { kind, script, args } of cases) {
  const commandLine = [script, "--lang", "zh", ...args].map((a) => a || '""').join(" ");
  Deno.test(`${commandLine} prints its usage error in Chinese and exits 2`, async () => {
    const fullArgs = ["--lang", "zh", ...args];
    const expected = expectedError(script, fullArgs);
    if (kind !== null) assert.equal(expected.problem.kind, kind);
    const path = script === "server.ts" ? SERVER_SCRIPT : CLIENT_SCRIPT;
    const { code, stdout, stderr } = await runScript(path, fullArgs);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.equal(stderr, TEXTS.zh.usageError(expected.messageIn("zh"), script) + "\n");
    assert.match(
      stderr,
      /^[^\n]+\n用法：deno run --allow-net \S+ [^\n]*（--help 列出所有选项）\n$/,
    );
    assertNoEnglish(stderr, [...fullArgs, ...typedValues(expected.problem), ...TERMS]);
    assertNoStackTrace(stderr);
  });
}

Deno.test("server.ts --lang zh --port x prints the Chinese line the issue asks for", async () => {
  const { code, stdout, stderr } = await runScript(SERVER_SCRIPT, ["--lang", "zh", "--port", "x"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    '无效的 --port "x"：应为 0 到 65535 之间的整数\n' +
      "用法：deno run --allow-net server.ts [选项]（--help 列出所有选项）\n",
  );
});

Deno.test("server.ts without --lang prints the same usage error in English", async () => {
  const { code, stderr } = await runScript(SERVER_SCRIPT, ["--reply", "--check"]);
  assert.equal(code, 2);
  assert.equal(
    stderr.split("\n")[0],
    'Option "--reply" needs a value (got the option "--check"; to use that text, write --reply=--check)',
  );
});
