/**
 * Command-line parsing shared by `server.ts` and `client.ts`: `node:util`
 * `parseArgs` with one-line errors, checks for ports and counts, and the
 * scripts' last line of defence against stack traces.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { type Lang, LANGS } from "../settings/lang.ts";
import { TEXTS } from "../text/texts.ts";
import { CLI_TEXTS, usageProblemText } from "./cli_texts.ts";
import { describeError } from "../stream/net_errors.ts";
import type { UsageProblem } from "./usage_problem.ts";

/**
 * A bad option or value: the entry script prints it, in the user's language,
 * with a usage hint and exits 2. Its `message` is the English text, for
 * developers and logs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./cli_args.ts";
 * const error = new UsageError({ kind: "unexpectedArgument", argument: "x" });
 * assert(error.message === 'Unexpected argument "x"');
 * assert(error.messageIn("zh") === '多余的参数 "x"');
 * ```
 */
export class UsageError extends Error {
  /** What is wrong, with the values the text quotes. */
  readonly problem: UsageProblem;

  /**
   * Creates the error.
   *
   * @param problem What is wrong with the command line.
   */
  constructor(problem: UsageProblem) {
    super(usageProblemText(CLI_TEXTS.en, problem));
    this.name = "UsageError";
    this.problem = problem;
  }

  /**
   * The one-line description in a language.
   *
   * @param lang The language, usually `peekLang(args)`.
   * @returns The text, without the usage hint.
   */
  messageIn(lang: Lang): string {
    return usageProblemText(CLI_TEXTS[lang], this.problem);
  }
}

/** The option table `parseArgs` takes. */
export type OptionTable = NonNullable<ParseArgsConfig["options"]>;

/** What {@linkcode parseCommandLine} found. */
export interface ParsedCommandLine {
  /**
   * Option values by long name: strings for value options, booleans for
   * flags, arrays for options given `multiple: true` (repeatable).
   */
  values: Record<string, string | string[] | boolean | undefined>;
  /** Arguments that are not options, in order. */
  positionals: string[];
}

/**
 * Parses `args` strictly against `options`.
 *
 * Unlike plain `parseArgs`, a value that starts with "-" is taken as the value
 * (`--port -5`), so it gets a clear range error rather than "ambiguous"; but
 * not when it is one of the options (`--reply --check`): that is refused.
 *
 * @param args The arguments after the script name.
 * @param options The option table.
 * @param maxPositionals How many arguments that are not options are allowed.
 * @returns The values and positionals.
 * @throws {UsageError} For an unknown option, a missing value, a value that is
 *   an option, or an extra argument.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "./cli_args.ts";
 * const options = { port: { type: "string", short: "p" } } as const;
 * assert(parseCommandLine(["-p", "-5"], options).values.port === "-5");
 * ```
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
    throw new UsageError(problemOf(error));
  }
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw new UsageError({ kind: "unexpectedArgument", argument: extra });
  }
  return { values: parsed.values as ParsedCommandLine["values"], positionals: parsed.positionals };
}

/**
 * Turns `--opt -5` into `--opt=-5` for options that take a value, since
 * `parseArgs` calls such a value ambiguous. A value that is one of the
 * options (`--reply --check`, `-p -q`, `--reply --port=1`, `--reply -qp`) is
 * refused instead: it almost always means the value was forgotten, and taking
 * it would silently drop the option the user meant.
 */
function joinDashValues(args: readonly string[], options: OptionTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    const waiting = valueOptionAtEnd(arg, options);
    if (waiting === null || next === undefined || !next.startsWith("-")) {
      out.push(arg); // parseArgs reads it as it stands
      continue;
    }
    const option = `--${waiting.name}`;
    if (next === "--") throw new UsageError({ kind: "missingValue", option });
    if (isOptionOf(next, options)) {
      throw new UsageError({ kind: "valueIsOption", option, value: next });
    }
    // A group of short flags may end with one that takes a value: "-qp -5".
    if (waiting.flags !== "") out.push(waiting.flags);
    out.push(`${option}=${next}`);
    i++;
  }
  return out;
}

/**
 * The option whose value is the next argument, if `arg` ends with one:
 * `--port`, `-p`, or a group of short flags such as `-qp` (`flags` is then
 * `-q`). Null for `--port=1`, `-p1` and anything else.
 */
function valueOptionAtEnd(
  arg: string,
  options: OptionTable,
): { name: string; flags: string } | null {
  if (arg.startsWith("--")) {
    const name = arg.slice(2);
    return Object.hasOwn(options, name) && options[name]!.type === "string"
      ? { name, flags: "" }
      : null;
  }
  if (!arg.startsWith("-")) return null;
  // As parseArgs reads "-abc": flags until one that takes a value, whose value is the rest.
  for (let i = 1; i < arg.length; i++) {
    const name = longNameOf(arg[i]!, options);
    if (name === null) return null;
    if (options[name]!.type === "string") {
      return i === arg.length - 1 ? { name, flags: arg.slice(0, i === 1 ? 0 : i) } : null;
    }
  }
  return null;
}

/**
 * Tells whether `parseArgs` would read `text` as options of the table:
 * `--check`, `--port=1`, `-q`, `-qp`, `-p5`. "-5", "-> {msg}" and "--other"
 * are not, so they can be values.
 */
function isOptionOf(text: string, options: OptionTable): boolean {
  if (text.startsWith("--")) return Object.hasOwn(options, text.slice(2).split("=")[0]!);
  if (text.length < 2 || !text.startsWith("-")) return false;
  for (const short of text.slice(1)) {
    const name = longNameOf(short, options);
    if (name === null) return false;
    if (options[name]!.type === "string") return true; // the rest is its value
  }
  return true;
}

function longNameOf(short: string, options: OptionTable): string | null {
  for (const [name, spec] of Object.entries(options)) if (spec.short === short) return name;
  return null;
}

/**
 * The usage problem a `parseArgs` error stands for. Other errors are bugs in
 * the option table, not the user's: they are thrown on unchanged.
 */
function problemOf(error: unknown): UsageProblem {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = message.match(/'([^']+)'/)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && quoted !== undefined) {
    return { kind: "unknownOption", option: quoted };
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && quoted !== undefined) {
    // "-p, --port <value>": name the option by its long name.
    const option = quoted.match(/--[^\s,<]+/)?.[0] ?? quoted.replace(/ <value>$/, "");
    return message.includes("does not take")
      ? { kind: "flagWithValue", option }
      : { kind: "missingValue", option };
  }
  throw error;
}

/**
 * Checks a port number.
 *
 * @param text The value as typed.
 * @param option The option's name, for the message; null for client.ts's PORT argument.
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
export function parsePort(text: string, option: string | null): number {
  const port = parseWholeNumber(text);
  if (port === null || port > 65535) {
    throw new UsageError({ kind: "invalidPort", option, value: text });
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
    throw new UsageError({ kind: "invalidCount", option, value: text, min });
  }
  return value;
}

/**
 * Longest duration, in seconds, that a seconds option accepts: timers hold at
 * most 2^31-1 ms (about 24.8 days, 2147483 s); a round number below that.
 */
export const MAX_SECONDS = 2_000_000;

/** Options for {@linkcode parseSeconds}. */
export interface ParseSecondsOptions {
  /**
   * Whether 0 is allowed (for `--idle-timeout` it means "never"; for `--wait`
   * it would mean giving up at once).
   *
   * @default {true}
   */
  allowZero?: boolean;
}

/**
 * Checks a duration in seconds: digits with at most one decimal point
 * (`10`, `0.5`, `.5`, `5.`), up to {@linkcode MAX_SECONDS}.
 *
 * @param text The value as typed.
 * @param option The option's name, for the message.
 * @param options Whether 0 is allowed.
 * @returns The number of seconds.
 * @throws {UsageError} If it is not such a number, or out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSeconds } from "./cli_args.ts";
 * assert(parseSeconds("1.5", "--idle-timeout") === 1.5);
 * assert(parseSeconds(".5", "--wait", { allowZero: false }) === 0.5);
 * ```
 */
export function parseSeconds(
  text: string,
  option: string,
  options: ParseSecondsOptions = {},
): number {
  const allowZero = options.allowZero ?? true;
  const trimmed = text.trim();
  // No sign, exponent, "Infinity" or hex, which Number() would take.
  const value = /^(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!(value <= MAX_SECONDS) || (value === 0 && !allowZero)) {
    throw new UsageError({
      kind: "invalidSeconds",
      option,
      value: text,
      max: MAX_SECONDS,
      allowZero,
    });
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
    throw new UsageError({ kind: "invalidChoice", option: "--lang", value: text, choices: LANGS });
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
    console.error(TEXTS[peekLang(Deno.args)].unexpected(describeError(error)));
    return EXIT_UNEXPECTED;
  });
  Deno.exit(code);
}

function parseWholeNumber(text: string): number | null {
  if (!/^\d{1,15}$/.test(text.trim())) return null;
  return Number(text);
}
