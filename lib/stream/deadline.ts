/**
 * Waiting with a deadline: for a goodbye to be written, for a shutdown, for
 * output to drain, for Redis to answer a name claim. Each is a wait that must
 * end even when a peer, the terminal or Redis never does its part, and none of
 * them is an error when it times out: the caller just goes on.
 *
 * @module
 */

/**
 * Waits until `promise` settles or `ms` pass, whichever comes first; never
 * rejects, and leaves no timer behind.
 *
 * @param promise What to wait for; its rejection is ignored.
 * @param ms The deadline in milliseconds.
 * @returns Whether `promise` settled in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { waitAtMost } from "./deadline.ts";
 * assert.equal(await waitAtMost(Promise.resolve(), 1000), true);
 * assert.equal(await waitAtMost(new Promise(() => {}), 1), false);
 * ```
 */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return (await resultWithin(promise.then(() => true, () => true), ms)) ?? false;
}

/**
 * The value of `promise` if it comes within `ms`, else null; leaves no timer
 * behind. A rejection in time is passed on.
 *
 * @param promise What to wait for.
 * @param ms The deadline in milliseconds.
 * @returns Its value, or null once `ms` pass first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resultWithin } from "./deadline.ts";
 * assert.equal(await resultWithin(Promise.resolve(7), 1000), 7);
 * assert.equal(await resultWithin(new Promise(() => {}), 1), null);
 * ```
 */
export async function resultWithin<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), ms));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
