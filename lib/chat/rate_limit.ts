/**
 * `--rate`: how many lines a second one chat client may send. A token
 * bucket: a client may send a burst, then its lines are read only as fast as
 * tokens come back. The session does not drop what is over the rate; it
 * stops reading for a moment, so TCP slows the sender down and nothing it
 * sent is lost.
 *
 * The bucket also says when a sender's lines start to wait
 * ({@linkcode RateLimit.startsHolding}), once per episode, so the sessions
 * can tell the sender once instead of on every held line. An episode ends when
 * the bucket is full again: the sender has kept under the rate long enough to
 * have its whole burst back (at most BURST_SECONDS after its last held line).
 *
 * @module
 */

/** Seconds' worth of lines a client may send at once before the rate applies. */
export const BURST_SECONDS = 3;

/**
 * A token bucket refilled at `perSecond` tokens a second, holding at most
 * `perSecond * BURST_SECONDS` of them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimit } from "./rate_limit.ts";
 * const limit = new RateLimit(1); // 1 line a second, a burst of 3
 * assert(limit.take() && limit.take());
 * assert(!limit.take()); // the third line used the last token
 * assert(limit.waitMs() > 0);
 * ```
 */
export class RateLimit {
  readonly #perMs: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedAt = performance.now();
  /** Lines were held since the bucket was last full: the sender has been told. */
  #holding = false;

  /**
   * Starts full.
   *
   * @param perSecond Lines a second; must be > 0.
   * @throws {RangeError} If `perSecond` is not a positive number.
   */
  constructor(perSecond: number) {
    if (!(perSecond > 0)) {
      throw new RangeError(`Cannot limit the rate: perSecond must be > 0, got ${perSecond}`);
    }
    this.#perMs = perSecond / 1000;
    this.#capacity = perSecond * BURST_SECONDS;
    this.#tokens = this.#capacity;
  }

  /**
   * Spends a token for one line (the line goes through either way).
   *
   * @returns Whether a token is left for the next line; false means wait.
   */
  take(): boolean {
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 1;
  }

  /**
   * How long until a token is back.
   *
   * @returns Milliseconds, 0 if one is there now.
   */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /**
   * Notes that the sender's lines are being held (the session calls it each
   * time it waits for a token) and says whether that just started: true the
   * first time since the bucket was last full, false until it has been full
   * again. The session tells the sender when it says true.
   *
   * @returns Whether this hold starts an episode.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { RateLimit } from "./rate_limit.ts";
   * const limit = new RateLimit(1);
   * while (limit.take()); // the burst is spent
   * assert(limit.startsHolding()); // tell the sender now...
   * assert(!limit.startsHolding()); // ...and not again until the burst is back
   * ```
   */
  startsHolding(): boolean {
    this.#refill();
    if (this.#holding) return false;
    this.#holding = true;
    return true;
  }

  #refill(): void {
    const now = performance.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#perMs);
    this.#updatedAt = now;
    // Full again: the sender kept under the rate for a while, so a new hold is a new episode.
    if (this.#tokens >= this.#capacity) this.#holding = false;
  }
}
