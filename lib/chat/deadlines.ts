/**
 * One timer for many connections' waits (the welcome's wait for a first
 * line, the delay before a join is announced): a timer per connection cost
 * its callback, its handle and a turn of the event loop each, and spread
 * the joins so that each one was a notice round of its own.
 *
 * @module
 */

/**
 * Items due at a time, rounded up to a step: items added within one step
 * share a deadline and are handed to `onDue` together, in one turn, so the
 * notices they cause go out in one round. An item is never due early; it
 * may be late by up to a step. One timer at most, and none while empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Deadlines } from "./deadlines.ts";
 * const due: string[] = [];
 * const deadlines = new Deadlines<string>(10, (item) => due.push(item));
 * const at = performance.now() + 20;
 * deadlines.add("a", at);
 * deadlines.add("b", at);
 * deadlines.add("c", at);
 * deadlines.delete("c", at);
 * await new Promise((resolve) => setTimeout(resolve, 40));
 * assert.deepEqual(due, ["a", "b"]);
 * ```
 */
export class Deadlines<T> {
  readonly #stepMs: number;
  readonly #onDue: (item: T) => void;
  /** Items by deadline (a multiple of the step, on `performance.now()`'s clock). */
  readonly #due = new Map<number, Set<T>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the timer is set for; Infinity without a timer. */
  #timerAt = Infinity;

  /**
   * Creates an empty list.
   *
   * @param stepMs Deadlines are rounded up to a multiple of this (at least 1 ms).
   * @param onDue Called once for each item when it is due, unless it was deleted.
   */
  constructor(stepMs: number, onDue: (item: T) => void) {
    this.#stepMs = Math.max(1, stepMs);
    this.#onDue = onDue;
  }

  /**
   * Adds an item, due at `at` (rounded up to the step).
   *
   * @param item The item; added twice with the same `at`, it is due once.
   * @param at When it is due, on `performance.now()`'s clock.
   */
  add(item: T, at: number): void {
    const due = this.#round(at);
    const items = this.#due.get(due);
    if (items === undefined) this.#due.set(due, new Set([item]));
    else items.add(item);
    if (due < this.#timerAt) this.#arm(due);
  }

  /**
   * Takes an item out before it is due; does nothing if it is not there.
   *
   * @param item The item.
   * @param at The `at` it was added with.
   */
  delete(item: T, at: number): void {
    const due = this.#round(at);
    const items = this.#due.get(due);
    if (items === undefined || !items.delete(item) || items.size > 0) return;
    this.#due.delete(due);
    if (this.#due.size === 0) this.#disarm();
  }

  /** Forgets every item and stops the timer. */
  close(): void {
    this.#due.clear();
    this.#disarm();
  }

  #round(at: number): number {
    return Math.ceil(at / this.#stepMs) * this.#stepMs;
  }

  #arm(due: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = due;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, due - performance.now()));
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** Hands on every item that is due, then waits for the next deadline. */
  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    // A timer may fire a fraction of a millisecond before performance.now() reaches its deadline.
    const now = performance.now() + 1;
    for (const [due, items] of this.#due) {
      if (due > now) continue;
      this.#due.delete(due);
      for (const item of items) this.#onDue(item);
    }
    let next = Infinity;
    for (const due of this.#due.keys()) next = Math.min(next, due);
    if (next < this.#timerAt) this.#arm(next);
  }
}
