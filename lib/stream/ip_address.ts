/**
 * IP addresses as text: the group a client's address counts in (IPv4 as it
 * is, IPv6 by its /64, the block one home or phone network usually gets,
 * since a device picks new addresses inside it at will), and an address's
 * bytes, for matching it against ranges (`./address_range.ts`).
 *
 * `/ban` (`../chat/ban_list.ts`) and the limits per address
 * (`../server/address_limits.ts`) use the same grouping, so a ban and a limit
 * cover the same clients.
 *
 * @module
 */

/**
 * The group an address counts in: an IPv4 address itself (also written as an
 * IPv4-mapped IPv6 address), an IPv6 address's /64 as `a:b:c:d::/64`.
 *
 * @param host An address as a socket reports it, or as an operator typed it
 *   (`/unban`; a `/64` written as this function writes it is taken too).
 * @returns The group, or null for text that is no address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressGroup } from "./ip_address.ts";
 * assert.equal(addressGroup("203.0.113.7"), "203.0.113.7");
 * assert.equal(addressGroup("::ffff:203.0.113.7"), "203.0.113.7");
 * assert.equal(addressGroup("2001:db8:0:2:a:b:c:d"), "2001:db8:0:2::/64");
 * assert.equal(addressGroup("nonsense"), null);
 * ```
 */
export function addressGroup(host: string): string | null {
  const text = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\/64$/, "");
  if (isIpv4(text)) return text;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped !== null && isIpv4(mapped[1]!)) return mapped[1]!;
  const groups = ipv6Groups(text.replace(/%.*$/, "")); // a zone ("%eth0") is no part of it
  if (groups === null) return null;
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64`;
}

/** Options for {@linkcode parseIp}. */
export interface ParseIpOptions {
  /**
   * Return an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as its IPv4
   * address's 4 bytes, as a dual-stack socket's IPv4 peer should count.
   *
   * @default {true}
   */
  unmap?: boolean;
}

/**
 * The bytes of an IP address: 4 for IPv4, 16 for IPv6. Brackets (`[::1]`)
 * and a zone (`%eth0`) are dropped; an IPv6 address may end in an IPv4
 * address (`::ffff:192.0.2.1`, `64:ff9b::192.0.2.1`).
 *
 * @param text The address.
 * @param options Whether an IPv4-mapped address becomes its IPv4 address.
 * @returns The bytes, or null for text that is no address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseIp } from "./ip_address.ts";
 * assert.deepEqual([...parseIp("::ffff:192.0.2.1")!], [192, 0, 2, 1]);
 * assert.equal(parseIp("2001:db8::1")!.length, 16);
 * assert.equal(parseIp("192.0.2.256"), null);
 * ```
 */
export function parseIp(text: string, options: ParseIpOptions = {}): Uint8Array | null {
  const plain = text.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (isIpv4(plain)) return new Uint8Array(plain.split(".").map(Number));
  let ipv6 = plain;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (dotted !== null) {
    // Its IPv4 tail as the last two groups.
    if (!isIpv4(dotted[2]!)) return null;
    const [a, b, c, d] = dotted[2]!.split(".").map(Number) as [number, number, number, number];
    ipv6 = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = ipv6Groups(ipv6);
  if (groups === null) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  const mapped = bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff &&
    bytes[11] === 0xff;
  return mapped && (options.unmap ?? true) ? bytes.slice(12) : bytes;
}

function isIpv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) < 256);
}

/** The 8 groups of an IPv6 address, or null. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2 || text === "") return null;
  const parse = (half: string) => half === "" ? [] : half.split(":");
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => parseInt(group, 16));
}
