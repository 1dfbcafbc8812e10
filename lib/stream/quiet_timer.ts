/**
 * A timer that acts once a client has been quiet for a while: the idle flush
 * of reply mode and the idle timeout both use it.
 *
 * @module
 */

/**
 * How long a timer that finds a client quiet waits before acting on it. A
 * timer that fires late, because the process was held up (a busy CPU, a long
 * GC pause), can run before the reads that arrived meanwhile are delivered;
 * looking again once the event loop has polled the socket lets them come first.
 */
export const QUIET_RECHECK_MS = 10;

/**
 * Calls `onQuiet` once nothing has happened for `quietMs`, judged by the time
 * `lastActivity()` gives. No timer per read: a timer that finds recent
 * activity waits for the rest of the quiet time, and one that finds the client
 * quiet looks again {@linkcode QUIET_RECHECK_MS} later before acting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuietTimer } from "./quiet_timer.ts";
 * const lastRead = performance.now();
 * const acted = Promise.withResolvers<void>();
 * new QuietTimer(5, () => lastRead, () => acted.resolve()).start();
 * await acted.promise;
 * assert(performance.now() - lastRead >= 5);
 * ```
 */
export class QuietTimer {
  readonly #quietMs: number;
  readonly #lastActivity: () => number;
  readonly #onQuiet: () => void;
  readonly #wanted: (() => boolean) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Creates a stopped timer.
   *
   * @param quietMs How long the quiet must last.
   * @param lastActivity When the last activity was (`performance.now()` time).
   * @param onQuiet What to do then; the timer is stopped when it is called.
   * @param wanted Asked each time the timer fires; false stops it without acting.
   */
  constructor(
    quietMs: number,
    lastActivity: () => number,
    onQuiet: () => void,
    wanted?: () => boolean,
  ) {
    this.#quietMs = quietMs;
    this.#lastActivity = lastActivity;
    this.#onQuiet = onQuiet;
    this.#wanted = wanted;
  }

  /** Whether a check is pending. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts watching, unless it already is. */
  start(): void {
    if (this.#timer === undefined) this.#arm(this.#quietMs, false);
  }

  /** Stops watching. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number, confirming: boolean): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#wanted !== undefined && !this.#wanted()) return;
      const quietFor = performance.now() - this.#lastActivity();
      if (quietFor < this.#quietMs) this.#arm(this.#quietMs - quietFor, false);
      else if (!confirming) this.#arm(QUIET_RECHECK_MS, true);
      else this.#onQuiet();
    }, Math.max(1, delayMs));
  }
}
