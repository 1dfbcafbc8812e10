/**
 * Writing a command line back for the user to paste into a shell: the
 * permission hint repeats the user's own arguments, and an argument with a
 * space or a quote in it (`--reply "it's {msg}"`) must come out as one
 * argument again.
 *
 * NOTE: the quoting is a POSIX shell's (sh, bash, zsh; PowerShell reads
 * these single quotes the same way). cmd.exe has no single quotes; a
 * Windows user with such an argument quotes it as cmd.exe wants.
 *
 * @module
 */

/** Words a shell takes as they are: letters and digits of any script, and a few safe signs. */
const PLAIN_WORD = /^[\p{L}\p{N}_@%+=:,./-]+$/u;

/**
 * One argument as a shell reads it back: as it is when it is plain, else in
 * single quotes (a single quote inside becomes `'\''`).
 *
 * @param word An argument.
 * @returns The same argument, written for a shell.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellWord } from "./shell_words.ts";
 * assert.equal(shellWord("--port"), "--port");
 * assert.equal(shellWord("it's {msg}"), "'it'\\''s {msg}'");
 * assert.equal(shellWord(""), "''");
 * ```
 */
export function shellWord(word: string): string {
  // "=x" alone is a command's path in zsh: quoted too.
  if (PLAIN_WORD.test(word) && !word.startsWith("=")) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A command line a shell splits back into exactly `words`.
 *
 * @param words The program and its arguments.
 * @returns The words, each written by {@linkcode shellWord}, with a space between.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellWords } from "./shell_words.ts";
 * assert.equal(shellWords(["server.ts", "--reply", "hi {msg}"]), "server.ts --reply 'hi {msg}'");
 * ```
 */
export function shellWords(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}
