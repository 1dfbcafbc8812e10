/**
 * What a user sees when something goes wrong: usage errors from the option
 * parsers and from the scripts, and error output that never shows a stack
 * trace.
 *
 * @module
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli/cli_args.ts";
import { LANGS } from "../../lib/settings/lang.ts";
import type { ScriptResult } from "./processes.ts";

/** What a stack trace line looks like; user-facing errors must not contain one. */
export const STACK_LINE = "    at ";

/**
 * Asserts `stderr` holds no stack trace.
 *
 * @param stderr A script's error output.
 */
export function assertNoStackTrace(stderr: string): void {
  assert.ok(!stderr.includes(STACK_LINE), `no stack trace expected:\n${stderr}`);
}

/**
 * Asserts `run` throws a one-line UsageError, without a final period, whose
 * message contains each of `parts` and which reads as one line in every
 * language.
 *
 * @param run The code that must refuse, such as `() => parsePort("x", "--port")`.
 * @param parts Text the message must contain.
 */
export function assertUsageError(run: () => unknown, ...parts: string[]): void {
  assertThrowsUsageError(run, "", parts);
}

/**
 * Asserts `parse(args)` fails as {@linkcode assertUsageError} says; failures
 * name the command line.
 *
 * @param parse An option parser, such as `parseServerArgs`.
 * @param args The command line to give it.
 * @param parts Text the message must contain.
 */
export function assertParseUsageError(
  parse: (args: string[]) => unknown,
  args: string[],
  ...parts: string[]
): void {
  assertThrowsUsageError(() => parse(args), `${JSON.stringify(args)}: `, parts);
}

/**
 * {@linkcode assertParseUsageError} for one parser, for a test file that
 * tries many command lines on it.
 *
 * @param parse An option parser, such as `parseClientArgs`.
 * @returns A function asserting that `parse(args)` fails with a message containing `parts`.
 */
export function parseUsageErrorAsserter(
  parse: (args: string[]) => unknown,
): (args: string[], ...parts: string[]) => void {
  return (args, ...parts) => assertParseUsageError(parse, args, ...parts);
}

function assertThrowsUsageError(run: () => unknown, label: string, parts: string[]): void {
  assert.throws(run, (error) => {
    assert.ok(error instanceof UsageError, `${label}expected UsageError, got ${error}`);
    assert.equal(error.name, "UsageError");
    assert.ok(!error.message.includes("\n"), `${label}more than one line: ${error.message}`);
    assert.ok(!error.message.endsWith("."), `${label}ends with a period: ${error.message}`);
    for (const part of parts) {
      assert.ok(error.message.includes(part), `${label}"${error.message}" lacks ${part}`);
    }
    assertTranslated(error);
    return true;
  });
}

/**
 * Asserts a UsageError reads as one line in every language, the English one
 * being its `message`, and that the Chinese one is not the English one.
 *
 * @param error The error.
 */
export function assertTranslated(error: UsageError): void {
  assert.equal(error.messageIn("en"), error.message);
  for (const lang of LANGS) {
    const text = error.messageIn(lang);
    assert.ok(text.trim() !== "" && !/[\r\n]/.test(text), `${lang}: ${JSON.stringify(text)}`);
    assert.ok(!/[.。]$/.test(text), `${lang} ends with a period: ${text}`);
  }
  assert.notEqual(error.messageIn("zh"), error.message);
}

/**
 * Asserts a Chinese text has no English in it: once the values it quotes, the
 * script's command line, option names and the words the user typed are taken
 * out, no Latin word is left.
 *
 * @param text The text, one or more lines.
 * @param typed Words the text may show as typed (values given, mode names).
 */
export function assertNoEnglish(text: string, typed: readonly string[]): void {
  let rest = text
    .replace(/"[^"\n]*"/g, " ") // quoted values, as typed
    .replace(/deno run --allow-net (server|client)\.ts/g, " ")
    .replace(/\b(server|client)\.ts\b/g, " ")
    .replace(/\[(HOST|PORT)\]/g, " ") // placeholders of the usage line, as in the help
    .replace(/(?<![\w-])--?[A-Za-z][\w-]*(=\S*)?/g, " "); // option names
  for (const word of typed) {
    if (word === "") continue;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    rest = rest.replace(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, "g"), " ");
  }
  assert.doesNotMatch(rest, /[A-Za-z]{2,}/, `English left in:\n${text}\n(rest: ${rest})`);
}

/**
 * Asserts a script rejected its command line as a user expects: exit code 2,
 * nothing on stdout, and on stderr the bad value, a pointer to the usage and
 * no stack trace.
 *
 * @param result What the script printed.
 * @param quoted The bad value, which stderr must name.
 */
export function assertUsageExit(result: ScriptResult, quoted: string): void {
  const { code, stdout, stderr } = result;
  assert.equal(code, 2);
  assert.equal(stdout, "", "stdout should be empty");
  assert.ok(stderr.includes(quoted), `the bad value should be named:\n${stderr}`);
  assert.match(stderr, /usage|--help/i);
  assertNoStackTrace(stderr);
}
