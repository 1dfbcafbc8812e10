/**
 * Chat mode's operators: the key that makes a member one (`/op KEY`), who
 * is one, and whom they muted.
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

/** A muted member is told its lines reach nobody at most once in this many milliseconds. */
export const MUTED_NOTICE_MS = 5000;

/** Wrong keys a member may type; the last one closes its connection. */
export const MAX_WRONG_KEYS = 3;

/**
 * What a `/op KEY` came to: an operator now (or already), a wrong key with
 * tries left, or the last wrong try (the member is to be disconnected).
 */
export type KeyTry = "operator" | "already" | "wrong" | "last wrong";

/**
 * Who of a room's members are operators, and how many wrong keys each typed.
 * A member is any object (the room's `ChatMember`, in `chat_member.ts`); forget() it when
 * it leaves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Operators } from "./operators.ts";
 * const operators = new Operators<object>("0123456789abcdef");
 * const ann = {};
 * assert.equal(operators.tryKey(ann, "guess"), "wrong");
 * assert.equal(operators.tryKey(ann, "0123456789abcdef"), "operator");
 * assert(operators.has(ann));
 * ```
 */
export class Operators<M extends object> {
  readonly #key: string | null;
  readonly #operators = new Set<M>();
  /** Wrong keys so far, per member that typed one. */
  readonly #wrong = new Map<M, number>();
  /** Muted members: until when (`Date.now()` milliseconds), and when they were last told. */
  readonly #muted = new Map<M, { until: number; toldAt: number }>();

  /**
   * Starts with no operators.
   *
   * @param key The operator key; null: nobody can become an operator.
   */
  constructor(key: string | null) {
    this.#key = key;
  }

  /**
   * Whether a member is an operator.
   *
   * @param member A member.
   * @returns True once its `/op` had the key.
   */
  has(member: M): boolean {
    return this.#operators.size > 0 && this.#operators.has(member);
  }

  /**
   * Checks a member's `/op KEY`.
   *
   * @param member Who typed it.
   * @param given The key typed.
   * @returns What it came to; see {@linkcode KeyTry}.
   */
  tryKey(member: M, given: string): KeyTry {
    if (this.#operators.has(member)) return "already";
    if (this.#key !== null && isOperatorKey(given, this.#key)) {
      this.#wrong.delete(member);
      this.#operators.add(member);
      return "operator";
    }
    const wrong = (this.#wrong.get(member) ?? 0) + 1;
    this.#wrong.set(member, wrong);
    return wrong >= MAX_WRONG_KEYS ? "last wrong" : "wrong";
  }

  /**
   * Wrong keys a member typed so far.
   *
   * @param member A member.
   * @returns 0 to {@linkcode MAX_WRONG_KEYS}.
   */
  wrongTries(member: M): number {
    return this.#wrong.get(member) ?? 0;
  }

  /**
   * Mutes a member: its lines are to reach nobody until `until`.
   *
   * @param member Who.
   * @param until When it ends, in `Date.now()` milliseconds.
   */
  mute(member: M, until: number): void {
    this.#muted.set(member, { until, toldAt: -Infinity });
  }

  /**
   * Ends a member's mute.
   *
   * @param member Who.
   * @param now `Date.now()`.
   * @returns False if it was not muted (or its mute had ended).
   */
  unmute(member: M, now: number): boolean {
    const muted = this.mutedFor(member, now) > 0;
    this.#muted.delete(member);
    return muted;
  }

  /**
   * How long a member stays muted.
   *
   * @param member Who.
   * @param now `Date.now()`.
   * @returns Milliseconds left; 0 if it is not muted.
   */
  mutedFor(member: M, now: number): number {
    if (this.#muted.size === 0) return 0; // most rooms: nobody muted, one check per line
    const muted = this.#muted.get(member);
    if (muted === undefined) return 0;
    if (muted.until > now) return muted.until - now;
    this.#muted.delete(member);
    return 0;
  }

  /**
   * Whether a muted member is to be told again that its lines reach nobody
   * (not more than once every {@linkcode MUTED_NOTICE_MS}); counts it as told.
   *
   * @param member A muted member.
   * @param now `Date.now()`.
   * @returns True when it is time to tell it.
   */
  tellMuted(member: M, now: number): boolean {
    const muted = this.#muted.get(member);
    if (muted === undefined || now - muted.toldAt < MUTED_NOTICE_MS) return false;
    muted.toldAt = now;
    return true;
  }

  /**
   * Forgets a member that left.
   *
   * @param member Who left.
   */
  forget(member: M): void {
    this.#operators.delete(member);
    this.#wrong.delete(member);
    this.#muted.delete(member);
  }

  /**
   * Hands a member's rights, wrong tries and mute to the member that took its
   * place (a page that reconnected).
   *
   * @param old Who it was.
   * @param fresh Who it is now.
   */
  transfer(old: M, fresh: M): void {
    if (this.#operators.delete(old)) this.#operators.add(fresh);
    const wrong = this.#wrong.get(old);
    if (wrong !== undefined) this.#wrong.set(fresh, wrong);
    const muted = this.#muted.get(old);
    if (muted !== undefined) this.#muted.set(fresh, muted);
    this.forget(old);
  }

  /** Forgets everyone (the room closed). */
  clear(): void {
    this.#operators.clear();
    this.#wrong.clear();
    this.#muted.clear();
  }
}
