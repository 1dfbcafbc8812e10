/**
 * What a user sees when something goes wrong: usage errors from the option
 * parsers and from the scripts, and error output that never shows a stack
 * trace.
 *
 * @module
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli_args.ts";
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
 * Asserts `parse(args)` fails with a one-line UsageError whose message
 * contains each of `parts`.
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
  assert.throws(() => parse(args), (error) => {
    assert.ok(error instanceof UsageError, `${JSON.stringify(args)}: got ${error}`);
    assert.ok(!error.message.includes("\n"), `more than one line: ${error.message}`);
    for (const part of parts) {
      assert.ok(
        error.message.includes(part),
        `${JSON.stringify(args)}: "${error.message}" lacks ${part}`,
      );
    }
    return true;
  });
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
