/**
 * Waiting with a deadline: for a goodbye to be written, for a shutdown, for
 * output to drain. Each is a wait that must end even when a peer or the
 * terminal never does its part, and none of them is an error when it times
 * out: the caller just goes on.
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  const settled = promise.then(() => true as const, () => true as const);
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
