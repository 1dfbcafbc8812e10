/**
 * Address ranges in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`, or one
 * address), as `--trust`, `--allow` and `--deny` take them, and whether a
 * client's address falls in one.
 *
 * IPv4 and IPv6 are kept apart: an IPv4 range matches IPv4 clients only, an
 * IPv6 range IPv6 clients only (`0.0.0.0/0` is every IPv4 address, `::/0`
 * every IPv6 one). An IPv4-mapped IPv6 client (`::ffff:192.0.2.1`, an IPv4
 * client of a dual-stack socket) counts as its IPv4 address, and a range
 * written that way (`::ffff:192.0.2.0/120`) as the IPv4 range it covers.
 *
 * @module
 */

import { parseIp } from "./ip_address.ts";

/** Bits of the IPv4-mapped prefix `::ffff:0:0/96`. */
const MAPPED_PREFIX_BITS = 96;

/** One range: the first address's bytes (4 or 16) and how many leading bits must match. */
export interface AddressRange {
  /** The address with the bits past `bits` cleared: 4 bytes for IPv4, 16 for IPv6. */
  readonly bytes: Uint8Array;
  /** Leading bits that must match: 0 to 32 (IPv4) or 0 to 128 (IPv6). */
  readonly bits: number;
}

/**
 * Reads `ADDRESS` or `ADDRESS/BITS`. Bits past the prefix may be set
 * (`10.1.2.3/8` is `10.0.0.0/8`), as ncat and most firewalls take them.
 *
 * @param text The range as typed.
 * @returns The range, or null for text that is no address, or bits out of
 *   range (over 32 for IPv4, over 128 for IPv6).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAddressRange } from "./address_range.ts";
 * assert.deepEqual(parseAddressRange("10.1.2.3/8"), { bytes: new Uint8Array([10, 0, 0, 0]), bits: 8 });
 * assert.equal(parseAddressRange("10.0.0.0/33"), null);
 * assert.equal(parseAddressRange("nonsense"), null);
 * ```
 */
export function parseAddressRange(text: string): AddressRange | null {
  const slash = text.lastIndexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const bitsText = slash === -1 ? null : text.slice(slash + 1).trim();
  if (bitsText !== null && !/^\d{1,3}$/.test(bitsText)) return null;
  const bytes = parseIp(address, { unmap: false });
  if (bytes === null) return null;
  const max = bytes.length * 8;
  let bits = bitsText === null ? max : Number(bitsText);
  if (bits > max) return null;
  let first = bytes;
  if (isMapped(bytes) && bits >= MAPPED_PREFIX_BITS) {
    first = bytes.slice(12);
    bits -= MAPPED_PREFIX_BITS;
  }
  return { bytes: masked(first, bits), bits };
}

/**
 * Whether `address` falls in `range`.
 *
 * @param range The range.
 * @param address An address's bytes, from `parseIp()` (mapped ones as IPv4).
 * @returns True if its first `range.bits` bits are the range's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inRange, parseAddressRange } from "./address_range.ts";
 * import { parseIp } from "./ip_address.ts";
 * assert(inRange(parseAddressRange("10.0.0.0/8")!, parseIp("::ffff:10.9.8.7")!));
 * assert(!inRange(parseAddressRange("::/0")!, parseIp("10.9.8.7")!));
 * ```
 */
export function inRange(range: AddressRange, address: Uint8Array): boolean {
  if (range.bytes.length !== address.length) return false;
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) if (range.bytes[i] !== address[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole]! & mask) === range.bytes[whole];
}

/**
 * Whether `address` falls in any of `ranges`.
 *
 * @param ranges The ranges.
 * @param address An address's bytes, from `parseIp()`.
 * @returns True if one range holds it.
 */
export function inAnyRange(ranges: readonly AddressRange[], address: Uint8Array): boolean {
  return ranges.some((range) => inRange(range, address));
}

/** Loopback: `127.0.0.0/8` and `::1`. */
export const LOOPBACK_RANGES: readonly AddressRange[] = [
  parseAddressRange("127.0.0.0/8")!,
  parseAddressRange("::1")!,
];

function isMapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((byte) => byte === 0) &&
    bytes[10] === 0xff && bytes[11] === 0xff;
}

/** `bytes` with every bit past the first `bits` cleared (a copy). */
function masked(bytes: Uint8Array, bits: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}
