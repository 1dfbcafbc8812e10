/**
 * Who may connect, and how much, by address: `--allow` and `--deny` (as
 * ncat's), `--max-per-address` (connections at once) and
 * `--max-joins-per-minute` (new connections), with `--trust`ed ranges and
 * loopback exempt from the two limits. An IPv4 address counts by itself, an
 * IPv6 address by its /64, as `/ban` groups them (`../stream/ip_address.ts`);
 * TCP clients and browsers count together.
 *
 * The server asks {@linkcode AddressLimits.check} once per accepted
 * connection, whichever listener it came from, and
 * {@linkcode AddressLimits.hold}s the ones it serves until they close.
 *
 * Memory: a group is kept while it has connections (at most `--max-conns`
 * groups) or while its join rate has not recovered; groups with no
 * connections are capped at {@linkcode MAX_IDLE_GROUPS}: past that, the one
 * that joined least recently is forgotten, as if its minute were over. So a
 * scan from more addresses than that in a minute weakens the join rate of the
 * oldest ones, never the count of connections, and never refuses anyone.
 *
 * @module
 */

import { addressGroup, parseIp } from "../stream/ip_address.ts";
import { type AddressRange, inAnyRange, LOOPBACK_RANGES } from "../stream/address_range.ts";
import type { Texts } from "../text/texts.ts";

/**
 * Most groups kept with no connection, for their join rate: about 100 bytes
 * each, so well under a megabyte.
 */
export const MAX_IDLE_GROUPS = 4096;

/** Groups looked at for expiry per check: bounded work per connection. */
const SWEEP_STEP = 8;
const MINUTE_MS = 60_000;

/** The settings of {@linkcode AddressLimits}, each given (the server resolves the defaults). */
export interface AddressLimitsOptions {
  /** Most connections at once from one group; 0 = no limit. */
  maxPerAddress: number;
  /** New connections a minute from one group, after a burst of as many; 0 = no limit. */
  maxJoinsPerMinute: number;
  /** Exempt from both limits (`--trust`). */
  trust: readonly AddressRange[];
  /** If any, only these may connect (`--allow`). */
  allow: readonly AddressRange[];
  /** These may not connect, even if allowed (`--deny`). */
  deny: readonly AddressRange[];
  /**
   * Loopback exempt from both limits. Only tests turn it off, to test the
   * limits from 127.0.0.1; the command line cannot.
   */
  exemptLoopback: boolean;
  /**
   * Most groups kept with no connection.
   *
   * @default {MAX_IDLE_GROUPS}
   */
  maxIdleGroups?: number;
  /**
   * The clock, in milliseconds.
   *
   * @default {performance.now}
   */
  now?: () => number;
}

/** Why a connection is turned away for its address. */
export type AddressRefusal =
  | { kind: "denied" }
  | { kind: "perAddress"; limit: number }
  | { kind: "joinRate"; limit: number };

/** One group's state. */
interface Group {
  /** Connections held now. */
  connections: number;
  /** Joins it may make now (a token bucket, refilled at the rate). */
  tokens: number;
  /** When `tokens` was worked out. */
  at: number;
}

/**
 * The limits per address of one server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AddressLimits } from "./address_limits.ts";
 * const limits = new AddressLimits({
 *   maxPerAddress: 1,
 *   maxJoinsPerMinute: 0,
 *   trust: [],
 *   allow: [],
 *   deny: [],
 *   exemptLoopback: true,
 * });
 * assert.equal(limits.check("203.0.113.7"), null);
 * const release = limits.hold("203.0.113.7");
 * assert.deepEqual(limits.check("203.0.113.7"), { kind: "perAddress", limit: 1 });
 * assert.equal(limits.check("127.0.0.1"), null); // loopback is exempt
 * release();
 * assert.equal(limits.check("203.0.113.7"), null);
 * ```
 */
export class AddressLimits {
  readonly #options: AddressLimitsOptions;
  readonly #maxIdle: number;
  readonly #now: () => number;
  /** Whether any limit is on: if not, nothing is counted. */
  readonly #limited: boolean;
  /** Groups with connections. */
  readonly #live = new Map<string, Group>();
  /** Groups without, kept for their join rate: least recently joined or left first. */
  readonly #idle = new Map<string, Group>();

  /**
   * Makes the limits of one server; nothing is counted until connections come.
   *
   * @param options The limits and ranges.
   */
  constructor(options: AddressLimitsOptions) {
    this.#options = options;
    this.#maxIdle = options.maxIdleGroups ?? MAX_IDLE_GROUPS;
    this.#now = options.now ?? (() => performance.now());
    this.#limited = options.maxPerAddress > 0 || options.maxJoinsPerMinute > 0;
  }

  /**
   * Whether `host` may connect at all: not in `--deny`, and in `--allow` if
   * that was given.
   *
   * @param host The client's IP address.
   * @returns True if allowed.
   */
  allows(host: string): boolean {
    const { allow, deny } = this.#options;
    if (allow.length === 0 && deny.length === 0) return true;
    const bytes = parseIp(host);
    if (bytes === null) return allow.length === 0; // not an IP address: only no --allow lets it in
    return !inAnyRange(deny, bytes) && (allow.length === 0 || inAnyRange(allow, bytes));
  }

  /**
   * Checks a new connection against both limits; one within them counts as
   * a join (call {@linkcode AddressLimits.hold} if it is then served).
   *
   * @param host The client's IP address.
   * @returns The limit it is over, or null.
   */
  overLimit(host: string): Exclude<AddressRefusal, { kind: "denied" }> | null {
    const key = this.#keyOf(host);
    if (key === null) return null;
    const { maxPerAddress, maxJoinsPerMinute } = this.#options;
    const now = this.#now();
    this.#sweep(now);
    const known = this.#live.get(key) ?? this.#idle.get(key);
    if (maxPerAddress > 0 && known !== undefined && known.connections >= maxPerAddress) {
      return { kind: "perAddress", limit: maxPerAddress };
    }
    if (maxJoinsPerMinute === 0) return null;
    const group = known ?? { connections: 0, tokens: maxJoinsPerMinute, at: now };
    this.#refill(group, now);
    if (group.tokens < 1) return { kind: "joinRate", limit: maxJoinsPerMinute };
    group.tokens -= 1;
    if (group.connections === 0) this.#park(key, group);
    return null;
  }

  /**
   * The one check of a new connection: {@linkcode AddressLimits.allows},
   * then {@linkcode AddressLimits.overLimit}.
   *
   * @param host The client's IP address.
   * @returns Why it is turned away, or null.
   */
  check(host: string): AddressRefusal | null {
    return this.allows(host) ? this.overLimit(host) : { kind: "denied" };
  }

  /**
   * Counts a connection being served, until the returned function is called.
   *
   * @param host The client's IP address.
   * @returns Releases it; calling it again does nothing.
   */
  hold(host: string): () => void {
    const key = this.#keyOf(host);
    if (key === null) return nothing;
    let group = this.#live.get(key);
    if (group === undefined) {
      group = this.#idle.get(key) ??
        { connections: 0, tokens: this.#options.maxJoinsPerMinute, at: this.#now() };
      this.#idle.delete(key);
      this.#live.set(key, group);
    }
    group.connections++;
    const held = group;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release(key, held);
    };
  }

  /**
   * Connections held from `host`'s group (for tests and the log).
   *
   * @param host An address.
   * @returns The count, 0 for an exempt or unknown address.
   */
  connectionsFrom(host: string): number {
    const key = this.#keyOf(host);
    return key === null ? 0 : this.#live.get(key)?.connections ?? 0;
  }

  /** Groups kept now, with connections or without. */
  get groups(): number {
    return this.#live.size + this.#idle.size;
  }

  /** The group `host` counts in, or null if it is exempt (or nothing is limited). */
  #keyOf(host: string): string | null {
    if (!this.#limited) return null;
    const { trust, exemptLoopback } = this.#options;
    const bytes = parseIp(host);
    if (bytes !== null) {
      if (exemptLoopback && inAnyRange(LOOPBACK_RANGES, bytes)) return null;
      if (inAnyRange(trust, bytes)) return null;
    }
    return addressGroup(host) ?? host;
  }

  #release(key: string, group: Group): void {
    group.connections--;
    if (group.connections > 0) return;
    this.#live.delete(key);
    const now = this.#now();
    if (!this.#refilled(group, now)) this.#park(key, group);
  }

  /** Keeps a group without connections for its join rate, as the most recent. */
  #park(key: string, group: Group): void {
    this.#idle.delete(key);
    this.#idle.set(key, group);
    // Past the cap, the least recent is forgotten (its joins no longer count).
    for (const oldest of this.#idle.keys()) {
      if (this.#idle.size <= this.#maxIdle) break;
      this.#idle.delete(oldest);
    }
  }

  /** Forgets the oldest idle groups whose join rate has recovered (a few per call). */
  #sweep(now: number): void {
    let looked = 0;
    for (const [key, group] of this.#idle) {
      if (looked++ === SWEEP_STEP || !this.#refilled(group, now)) break;
      this.#idle.delete(key);
    }
  }

  #refill(group: Group, now: number): void {
    const rate = this.#options.maxJoinsPerMinute;
    group.tokens = Math.min(rate, group.tokens + ((now - group.at) * rate) / MINUTE_MS);
    group.at = now;
  }

  #refilled(group: Group, now: number): boolean {
    const rate = this.#options.maxJoinsPerMinute;
    return group.tokens + ((now - group.at) * rate) / MINUTE_MS >= rate;
  }
}

const nothing = (): void => {};

/**
 * How a refusal reads in the log and to the client.
 *
 * @param refusal Why the client is turned away.
 * @param texts The server's language.
 * @returns The log's reason, and the line sent before closing (null: closed
 *   without a word, as ncat closes a denied client).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refusalTexts } from "./address_limits.ts";
 * import { TEXTS } from "../text/texts.ts";
 * assert.equal(refusalTexts({ kind: "denied" }, TEXTS.en).line, null);
 * ```
 */
export function refusalTexts(
  refusal: AddressRefusal,
  texts: Texts,
): { reason: string; line: string | null } {
  switch (refusal.kind) {
    case "denied":
      return { reason: texts.addressDeniedReason, line: null };
    case "perAddress":
      return {
        reason: texts.tooManyFromAddressReason(refusal.limit),
        line: texts.tooManyFromAddress(refusal.limit),
      };
    case "joinRate":
      return {
        reason: texts.tooManyJoinsReason(refusal.limit),
        line: texts.tooManyJoins(refusal.limit),
      };
  }
}
