/**
 * Chat mode's operators: the key that makes a member one (`/op KEY`).
 *
 * The server prints a fresh key at each start (or takes one from
 * `--op-key-file`); whoever reads the server's output can hand it to the
 * teacher. The key is compared in constant time, so that how long a wrong
 * try takes tells nothing about how much of it was right.
 *
 * @module
 */

/** Fewest characters of an operator key (a fresh one has 24). */
export const MIN_OPERATOR_KEY_LENGTH = 16;
/** Random bytes of a fresh key: 18 bytes are 24 base64url characters, no padding. */
const KEY_BYTES = 18;

/**
 * A fresh random operator key: 24 characters of `[A-Za-z0-9_-]`.
 *
 * @returns The key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newOperatorKey } from "./operators.ts";
 * assert.match(newOperatorKey(), /^[A-Za-z0-9_-]{24}$/);
 * ```
 */
export function newOperatorKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * Whether `given` is the key, in a time that does not depend on where they
 * first differ (only on the length of `given`).
 *
 * @param given What a member typed after `/op`.
 * @param key The operator key.
 * @returns True when they are the same.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isOperatorKey } from "./operators.ts";
 * assert(isOperatorKey("abc", "abc") && !isOperatorKey("abd", "abc"));
 * ```
 */
export function isOperatorKey(given: string, key: string): boolean {
  let difference = given.length ^ key.length;
  for (let i = 0; i < given.length; i++) {
    // Past the key's end, compare with its own characters: the loop's length stays the given one.
    difference |= given.charCodeAt(i) ^ key.charCodeAt(i % key.length);
  }
  return difference === 0;
}
