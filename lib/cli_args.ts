/**
 * Command-line parsing shared by `server.ts` and `client.ts`: `node:util`
 * `parseArgs` with one-line errors, checks for ports and counts, and the
 * scripts' last line of defence against stack traces.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { type Lang, LANGS, MESSAGES } from "./messages.ts";
import { describeError } from "./net_errors.ts";

/** A bad option or value: the entry script prints it with a usage hint and exits 2. */
export class UsageError extends Error {
  /**
   * Creates the error.
   *
   * @param message One line that names the option and the value.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The option table `parseArgs` takes. */
export type OptionTable = NonNullable<ParseArgsConfig["options"]>;

/** What {@linkcode parseCommandLine} found. */
export interface ParsedCommandLine {
  /** Option values by long name: strings for value options, booleans for flags. */
  values: Record<string, string | boolean | undefined>;
  /** Arguments that are not options, in order. */
  positionals: string[];
}

/**
 * Parses `args` strictly against `options`.
 *
 * Unlike plain `parseArgs`, a value that starts with "-" is taken as the value
 * (`--port -5`), so it gets a clear range error rather than "ambiguous".
 *
 * @param args The arguments after the script name.
 * @param options The option table.
 * @param maxPositionals How many arguments that are not options are allowed.
 * @returns The values and positionals.
 * @throws {UsageError} For an unknown option, a missing value or an extra argument.
 */
export function parseCommandLine(
  args: readonly string[],
  options: OptionTable,
  maxPositionals = 0,
): ParsedCommandLine {
  const joined = joinDashValues(args, options);
  let parsed;
  try {
    parsed = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw new UsageError(`Unexpected argument "${extra}"`);
  }
  return { values: parsed.values as ParsedCommandLine["values"], positionals: parsed.positionals };
}

/** Turns `--opt -5` into `--opt=-5` for options that take a value. */
function joinDashValues(args: readonly string[], options: OptionTable): string[] {
  const takesValue = new Set<string>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (spec.short !== undefined) takesValue.add(`-${spec.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const dashValue = next !== undefined && next.startsWith("-") && next !== "--";
    // A group of short flags may end with one that takes a value: "-qp -5".
    const group = /^-[A-Za-z]{2,}$/.test(arg) ? arg : null;
    if (takesValue.has(arg) && dashValue) {
      const name = arg.startsWith("--") ? arg : `--${longNameOf(arg.slice(1), options)}`;
      out.push(`${name}=${next}`);
      i++;
    } else if (group !== null && takesValue.has(`-${group.at(-1)}`) && dashValue) {
      out.push(group.slice(0, -1), `--${longNameOf(group.at(-1)!, options)}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function longNameOf(short: string, options: OptionTable): string {
  for (const [name, spec] of Object.entries(options)) if (spec.short === short) return name;
  return short;
}

/** Keeps the first line of a `parseArgs` error and rewords the common ones. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = message.match(/'([^']+)'/)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted !== undefined) {
    return `Unknown option "${quoted}"`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted !== undefined) {
    const name = quoted.replace(/ <value>$/, "");
    return message.includes("argument missing")
      ? `Option "${name}" needs a value`
      : `Option "${name}" does not take a value`;
  }
  return message.split("\n")[0]!;
}

/**
 * Checks a port number.
 *
 * @param text The value as typed.
 * @param option The option's name, for the message.
 * @returns The port, 0 to 65535.
 * @throws {UsageError} If it is not a whole number in that range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePort } from "./cli_args.ts";
 * assert(parsePort("50000", "--port") === 50000);
 * ```
 */
export function parsePort(text: string, option: string): number {
  const port = parseWholeNumber(text);
  if (port === null || port > 65535) {
    throw new UsageError(`Invalid ${option} "${text}": expected a whole number from 0 to 65535`);
  }
  return port;
}

/**
 * Checks a count or size.
 *
 * @param text The value as typed.
 * @param option The option's name, for the message.
 * @param min The smallest value allowed.
 * @returns The number.
 * @throws {UsageError} If it is not a whole number >= `min`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCount } from "./cli_args.ts";
 * assert(parseCount("1000", "--max-conns", 1) === 1000);
 * ```
 */
export function parseCount(text: string, option: string, min: number): number {
  const value = parseWholeNumber(text);
  if (value === null || value < min) {
    throw new UsageError(`Invalid ${option} "${text}": expected a whole number >= ${min}`);
  }
  return value;
}

/**
 * Checks a duration in seconds (fractions allowed).
 *
 * @param text The value as typed.
 * @param option The option's name, for the message.
 * @returns The number of seconds, >= 0.
 * @throws {UsageError} If it is not a number >= 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSeconds } from "./cli_args.ts";
 * assert(parseSeconds("1.5", "--idle-timeout") === 1.5);
 * ```
 */
export function parseSeconds(text: string, option: string): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < 0 || value > 2_000_000) {
    throw new UsageError(`Invalid ${option} "${text}": expected a number of seconds >= 0`);
  }
  return value;
}

/**
 * Checks a `--lang` value.
 *
 * @param text The value as typed.
 * @returns The language.
 * @throws {UsageError} If it is not one of {@linkcode LANGS}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLang } from "./cli_args.ts";
 * assert(parseLang("zh") === "zh");
 * ```
 */
export function parseLang(text: string): Lang {
  const lang = LANGS.find((known) => known === text);
  if (lang === undefined) {
    throw new UsageError(`Invalid --lang "${text}": expected ${LANGS.join(" or ")}`);
  }
  return lang;
}

/**
 * Finds the language asked for, before full parsing, so that even a usage
 * error is reported in it. Falls back to English.
 *
 * @param args The arguments after the script name.
 * @returns The language of the last valid `--lang`, or "en".
 */
export function peekLang(args: readonly string[]): Lang {
  let lang: Lang = "en";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = arg === "--lang" ? args[i + 1] : arg.startsWith("--lang=") ? arg.slice(7) : null;
    if (value === "en" || value === "zh") lang = value;
  }
  return lang;
}

/** Exit code when a script fails in a way it did not foresee. */
const EXIT_UNEXPECTED = 1;

/**
 * Runs an entry script's `main()` with the script's arguments and exits with
 * the code it returns. An error that `main()` did not handle becomes one line,
 * in the language asked for, and exit code 1: never a stack trace.
 *
 * @param main The script's main function; it returns the exit code.
 */
export async function runMain(
  main: (args: readonly string[]) => Promise<number>,
): Promise<never> {
  const code = await main(Deno.args).catch((error: unknown) => {
    console.error(MESSAGES[peekLang(Deno.args)].unexpected(describeError(error)));
    return EXIT_UNEXPECTED;
  });
  Deno.exit(code);
}

function parseWholeNumber(text: string): number | null {
  if (!/^\d{1,15}$/.test(text.trim())) return null;
  return Number(text);
}
