/**
 * Chat mode's bans (`/ban NAME [MINUTES]`): addresses the server refuses
 * until a time. An IPv4 address is banned as it is; an IPv6 address by its
 * /64, the block one home or phone network usually gets, since a device
 * picks new addresses inside it at will.
 *
 * NOTE: everyone behind the same NAT (a school's network, a phone carrier)
 * shares one IPv4 address: a ban refuses them all. The README says so.
 *
 * @module
 */

import { addressGroup } from "../stream/ip_address.ts";

/**
 * Most bans one server keeps (`--redis`: the other servers' too). A class
 * needs a handful; the cap only keeps a flood of bans from the bus bounded.
 */
export const MAX_BANS = 10_000;

/** One ban, as `/bans` lists it. */
export interface Ban {
  /** What is refused: `203.0.113.7`, or `2001:db8:1:2::/64`. */
  readonly address: string;
  /** The name of the member it was made for. */
  readonly nick: string;
  /** When it ends, in `Date.now()` milliseconds. */
  readonly until: number;
}

/**
 * The address a ban covers: an IPv4 address itself (also written as an
 * IPv4-mapped IPv6 address), an IPv6 address's /64 as `a:b:c:d::/64`. The
 * same grouping as the limits per address (`../stream/ip_address.ts`).
 *
 * @param host An address as a socket reports it, or as an operator typed it
 *   (`/unban`; a `/64` written as this function writes it is taken too).
 * @returns The ban's address, or null for text that is no address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { banAddress } from "./ban_list.ts";
 * assert.equal(banAddress("203.0.113.7"), "203.0.113.7");
 * assert.equal(banAddress("::ffff:203.0.113.7"), "203.0.113.7");
 * assert.equal(banAddress("2001:db8:0:2:a:b:c:d"), "2001:db8:0:2::/64");
 * assert.equal(banAddress("nonsense"), null);
 * ```
 */
export const banAddress: (host: string) => string | null = addressGroup;

/**
 * The bans of one server, each ending by itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BanList } from "./ban_list.ts";
 * const bans = new BanList();
 * bans.add("203.0.113.7", "mallory", 60_000, 0);
 * assert.equal(bans.find("203.0.113.7", 1000)?.nick, "mallory");
 * assert.equal(bans.find("203.0.113.7", 60_000), null);
 * ```
 */
export class BanList {
  readonly #bans = new Map<string, Ban>();

  /**
   * Bans the address of `host` (its /64 for IPv6).
   *
   * @param host The banned member's address.
   * @param nick Its name, for `/bans` and the log.
   * @param ms How long.
   * @param now `Date.now()`.
   * @returns The ban, or null if `host` is no address (or {@linkcode MAX_BANS}
   *   other bans are running).
   */
  add(host: string, nick: string, ms: number, now: number): Ban | null {
    const address = banAddress(host);
    if (address === null) return null;
    if (this.#bans.size >= MAX_BANS && !this.#bans.has(address)) {
      if (this.list(now).length >= MAX_BANS) return null;
    }
    const ban = { address, nick, until: now + ms };
    this.#bans.set(address, ban);
    return ban;
  }

  /**
   * The ban that refuses `host`, if any.
   *
   * @param host A connecting client's address.
   * @param now `Date.now()`.
   * @returns The ban, or null.
   */
  find(host: string, now: number): Ban | null {
    if (this.#bans.size === 0) return null; // most servers: no bans, nothing to work out
    const address = banAddress(host);
    const ban = address === null ? undefined : this.#bans.get(address);
    if (ban === undefined) return null;
    if (ban.until > now) return ban;
    this.#bans.delete(ban.address);
    return null;
  }

  /**
   * Ends the ban of an address.
   *
   * @param host The address as `/bans` lists it, or any address it covers.
   * @param now `Date.now()`.
   * @returns The ban ended, or null if none refused that address.
   */
  remove(host: string, now: number): Ban | null {
    const ban = this.find(host, now);
    if (ban !== null) this.#bans.delete(ban.address);
    return ban;
  }

  /**
   * The bans still running, soonest to end first.
   *
   * @param now `Date.now()`.
   * @returns The bans.
   */
  list(now: number): Ban[] {
    for (const [address, ban] of this.#bans) if (ban.until <= now) this.#bans.delete(address);
    return [...this.#bans.values()].sort((a, b) => a.until - b.until);
  }
}
