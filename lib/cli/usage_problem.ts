/**
 * What is wrong with a command line, as data rather than as an English
 * sentence: the option parsers throw a `UsageError` that carries a
 * {@linkcode UsageProblem}, and `lib/text/texts.ts` has one text per kind in
 * every language, so a usage error reads in the language `--lang` asked for.
 *
 * A new kind is added here, and the type checker then asks for its text in
 * each language ({@linkcode UsageProblemTexts}).
 *
 * @module
 */

/**
 * One problem with a command line. `kind` says which; the other fields are
 * the values the text quotes, as the user typed them. `option` is the
 * option's long name (`--port`), or null for the HOST and PORT arguments of
 * `client.ts`.
 *
 * - `unknownOption`: `--x` is not an option of the script.
 * - `missingValue`: `--port` at the end, or before `--`.
 * - `valueIsOption`: `--reply --check`: the value is another option (to use
 *   that text, write `--reply=--check`).
 * - `flagWithValue`: `--quiet=yes`.
 * - `unexpectedArgument`: an argument that is not an option, one too many.
 * - `invalidPort`: not a whole number from 0 to 65535.
 * - `portZero`: port 0 given to the client (no server listens on it).
 * - `invalidCount`: not a whole number of at least `min`.
 * - `invalidSeconds`: not a number of seconds from 0 (or above 0, when
 *   `allowZero` is false) to `max`.
 * - `invalidChoice`: not one of `choices` (`--mode`, `--lang`).
 * - `emptyHost`: a host that is empty or blank.
 * - `hostWithPort`: `127.0.0.1:80` given as a host; `host` and `port` are its
 *   two parts.
 * - `givenTwice`: the client's host or port given both as an argument and as
 *   an option.
 * - `modeOnly`: an option that only `modes` use, given with `--mode` `mode`
 *   (`--history` with `--mode reply`, `--reply` with `--mode echo`).
 *
 * @example
 * ```ts
 * import type { UsageProblem } from "./usage_problem.ts";
 * const problem: UsageProblem = { kind: "invalidPort", option: "--port", value: "x" };
 * ```
 */
export type UsageProblem =
  | { kind: "unknownOption"; option: string }
  | { kind: "missingValue"; option: string }
  | { kind: "valueIsOption"; option: string; value: string }
  | { kind: "flagWithValue"; option: string }
  | { kind: "unexpectedArgument"; argument: string }
  | { kind: "invalidPort"; option: string | null; value: string }
  | { kind: "portZero"; option: string | null; value: string }
  | { kind: "invalidCount"; option: string; value: string; min: number }
  | { kind: "invalidSeconds"; option: string; value: string; max: number; allowZero: boolean }
  | { kind: "invalidChoice"; option: string; value: string; choices: readonly string[] }
  | { kind: "emptyHost"; option: string | null; value: string }
  | { kind: "hostWithPort"; option: string | null; value: string; host: string; port: string }
  | { kind: "givenTwice"; what: "host" | "port"; argument: string; option: string; value: string }
  | { kind: "modeOnly"; option: string; modes: readonly string[]; mode: string }
  /** `--redis` that is not a `redis://` URL. */
  | { kind: "invalidRedisUrl"; option: string; value: string }
  /** `--room` that breaks the room name rule. */
  | { kind: "invalidRoomName"; option: string; value: string }
  /** `--op-key-file` or `--key-file` whose first line is empty or shorter than `min` characters. */
  | { kind: "shortOperatorKey"; option: string; file: string; min: number }
  /** `--trust`, `--allow` or `--deny` that is no address, or bits past its length (`/33`). */
  | { kind: "invalidAddressRange"; option: string; value: string }
  /** `option` given without `needs`, which it goes with (`--tls-cert` without `--tls-key`). */
  | { kind: "needsOption"; option: string; needs: string }
  /** Two options that name the same port. */
  | { kind: "samePort"; option: string; other: string; port: number };

/** The name of each kind of {@linkcode UsageProblem}. */
export type UsageProblemKind = UsageProblem["kind"];

/**
 * One text per kind of problem, each taking that kind's values: a language's
 * table of these lacks no kind, or it does not type-check.
 *
 * @example
 * ```ts
 * import type { UsageProblemTexts } from "./usage_problem.ts";
 * const unknownOption: UsageProblemTexts["unknownOption"] = (p) => `Unknown option "${p.option}"`;
 * ```
 */
export type UsageProblemTexts = {
  [K in UsageProblemKind]: (problem: Extract<UsageProblem, { kind: K }>) => string;
};
