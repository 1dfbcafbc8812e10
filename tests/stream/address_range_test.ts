/**
 * IP addresses and CIDR ranges (`lib/stream/ip_address.ts`,
 * `lib/stream/address_range.ts`): parsing IPv4, IPv6 and IPv4-mapped
 * addresses, /0, /32, /128, host bits, bad input, and matching, checked
 * against a reference written straight from the rule (first BITS bits equal).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { addressGroup, parseIp } from "../../lib/stream/ip_address.ts";
import {
  type AddressRange,
  inAnyRange,
  inRange,
  LOOPBACK_RANGES,
  parseAddressRange,
} from "../../lib/stream/address_range.ts";

function range(text: string): AddressRange {
  const parsed = parseAddressRange(text);
  assert.ok(parsed !== null, `${text} should parse`);
  return parsed;
}

function ip(text: string): Uint8Array {
  const parsed = parseIp(text);
  assert.ok(parsed !== null, `${text} should parse`);
  return parsed;
}

Deno.test("parseIp() reads IPv4 and IPv6, with brackets, zones, capitals and an IPv4 tail", () => {
  assert.deepEqual([...ip("192.0.2.1")], [192, 0, 2, 1]);
  assert.deepEqual([...ip(" 10.0.0.255 ")], [10, 0, 0, 255]);
  assert.deepEqual([...ip("::1")], [...Array(15).fill(0), 1]);
  assert.deepEqual([...ip("[::1]")], [...Array(15).fill(0), 1]);
  assert.deepEqual([...ip("fe80::1%eth0")], [0xfe, 0x80, ...Array(13).fill(0), 1]);
  assert.deepEqual(
    [...ip("2001:DB8:0:0:0:0:0:FF")],
    [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 0xff],
  );
  assert.deepEqual([...ip("64:ff9b::192.0.2.1")].slice(12), [192, 0, 2, 1]);
  assert.equal(ip("64:ff9b::192.0.2.1").length, 16); // not mapped: stays IPv6
  assert.deepEqual([...ip("::")], Array(16).fill(0));
});

Deno.test("parseIp() gives an IPv4-mapped IPv6 address as its IPv4 address, unless told not to", () => {
  assert.deepEqual([...ip("::ffff:192.0.2.1")], [192, 0, 2, 1]);
  assert.deepEqual([...ip("::FFFF:c000:201")], [192, 0, 2, 1]);
  assert.deepEqual([...ip("0:0:0:0:0:ffff:192.0.2.1")], [192, 0, 2, 1]);
  const kept = parseIp("::ffff:192.0.2.1", { unmap: false });
  assert.deepEqual([...kept!], [...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1]);
});

Deno.test("parseIp() refuses what is no address", () => {
  const bad = [
    "",
    " ",
    "nonsense",
    "localhost",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "1.2.3.-4",
    "1.2.3.4/8",
    ":::",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "12345::",
    "g::1",
    "::ffff:1.2.3.256",
    "::1.2.3",
    "1.2.3.4::",
  ];
  for (const text of bad) assert.equal(parseIp(text), null, JSON.stringify(text));
});

Deno.test("parseAddressRange() reads one address as its /32 or /128, and /0 as everything of its family", () => {
  assert.deepEqual(range("192.0.2.7"), { bytes: new Uint8Array([192, 0, 2, 7]), bits: 32 });
  assert.deepEqual(range("192.0.2.7/32"), { bytes: new Uint8Array([192, 0, 2, 7]), bits: 32 });
  assert.equal(range("::1").bits, 128);
  assert.equal(range("::1/128").bits, 128);
  assert.deepEqual(range("0.0.0.0/0"), { bytes: new Uint8Array(4), bits: 0 });
  assert.deepEqual(range("::/0"), { bytes: new Uint8Array(16), bits: 0 });
});

Deno.test("parseAddressRange() clears the bits past the prefix, and reads a mapped range as IPv4", () => {
  assert.deepEqual(range("10.1.2.3/8"), { bytes: new Uint8Array([10, 0, 0, 0]), bits: 8 });
  assert.deepEqual(range("192.0.2.255/25"), {
    bytes: new Uint8Array([192, 0, 2, 128]),
    bits: 25,
  });
  assert.deepEqual(
    range("2001:db8:ffff::1/33").bytes.slice(0, 6),
    new Uint8Array([
      0x20,
      0x01,
      0x0d,
      0xb8,
      0x80,
      0,
    ]),
  );
  assert.deepEqual(range("::ffff:198.51.100.0/120"), {
    bytes: new Uint8Array([198, 51, 100, 0]),
    bits: 24,
  });
  assert.deepEqual(range("::ffff:198.51.100.9"), {
    bytes: new Uint8Array([198, 51, 100, 9]),
    bits: 32,
  });
  // Shorter than the mapped prefix: an IPv6 range (it matches no IPv4 client).
  assert.equal(range("::ffff:0:0/95").bytes.length, 16);
});

Deno.test("parseAddressRange() refuses bad addresses and bits out of range", () => {
  const bad = [
    "nonsense",
    "",
    "/8",
    "10.0.0.0/",
    "10.0.0.0/33",
    "10.0.0.0/-1",
    "10.0.0.0/+8",
    "10.0.0.0/8/8",
    "10.0.0.0/0x8",
    "10.0.0.0/1000",
    "::/129",
    "::1/6x",
    "10.0.0/8",
    "1::2::3/64",
  ];
  for (const text of bad) assert.equal(parseAddressRange(text), null, JSON.stringify(text));
});

Deno.test("inRange() matches an address whose first BITS bits are the range's, within its family", () => {
  assert.ok(inRange(range("10.0.0.0/8"), ip("10.255.1.2")));
  assert.ok(!inRange(range("10.0.0.0/8"), ip("11.0.0.0")));
  assert.ok(inRange(range("192.0.2.128/25"), ip("192.0.2.200")));
  assert.ok(!inRange(range("192.0.2.128/25"), ip("192.0.2.127")));
  assert.ok(inRange(range("192.0.2.7/32"), ip("192.0.2.7")));
  assert.ok(!inRange(range("192.0.2.7/32"), ip("192.0.2.6")));
  assert.ok(inRange(range("0.0.0.0/0"), ip("203.0.113.9")));
  assert.ok(!inRange(range("0.0.0.0/0"), ip("2001:db8::1")));
  assert.ok(inRange(range("::/0"), ip("2001:db8::1")));
  assert.ok(!inRange(range("::/0"), ip("203.0.113.9")));
  assert.ok(!inRange(range("::/0"), ip("::ffff:203.0.113.9")), "a mapped client is IPv4");
  assert.ok(inRange(range("0.0.0.0/0"), ip("::ffff:203.0.113.9")));
  assert.ok(inRange(range("2001:db8::/32"), ip("2001:db8:ffff::1")));
  assert.ok(!inRange(range("2001:db8::/32"), ip("2001:db9::1")));
  assert.ok(inRange(range("::1/128"), ip("::1")));
  assert.ok(!inRange(range("::1/128"), ip("::2")));
  assert.ok(inRange(range("::ffff:10.0.0.0/104"), ip("10.9.9.9")));
});

Deno.test("LOOPBACK_RANGES hold 127.0.0.0/8 and ::1, also mapped, and nothing else", () => {
  for (const text of ["127.0.0.1", "127.0.0.2", "127.255.255.255", "::1", "::ffff:127.0.0.1"]) {
    assert.ok(inAnyRange(LOOPBACK_RANGES, ip(text)), text);
  }
  for (const text of ["128.0.0.1", "126.255.255.255", "::2", "::", "10.0.0.1", "fe80::1"]) {
    assert.ok(!inAnyRange(LOOPBACK_RANGES, ip(text)), text);
  }
});

/** The reference: the first `bits` bits of both, compared one bit at a time. */
function sameLeadingBits(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  if (a.length !== b.length) return false;
  for (let bit = 0; bit < bits; bit++) {
    const shift = 7 - (bit % 8);
    if (((a[bit >> 3]! >> shift) & 1) !== ((b[bit >> 3]! >> shift) & 1)) return false;
  }
  return true;
}

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 });

function ipv4Text(bytes: Uint8Array): string {
  return [...bytes].join(".");
}

function ipv6Text(bytes: Uint8Array): string {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":");
}

Deno.test("inRange() agrees with the bit-by-bit rule for any IPv4 range and address", () => {
  fc.assert(
    fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (base, address, bits) => {
      const parsed = range(`${ipv4Text(base)}/${bits}`);
      assert.equal(inRange(parsed, address), sameLeadingBits(base, address, bits));
      assert.ok(inRange(parsed, base), "a range holds the address it was written with");
    }),
  );
});

Deno.test("inRange() agrees with the bit-by-bit rule for any IPv6 range and address", () => {
  fc.assert(
    fc.property(ipv6, ipv6, fc.integer({ min: 0, max: 128 }), (base, address, bits) => {
      fc.pre(!isMapped(base) && !isMapped(address)); // those are IPv4's, tested above
      const parsed = range(`${ipv6Text(base)}/${bits}`);
      assert.equal(inRange(parsed, address), sameLeadingBits(base, address, bits));
    }),
  );
});

function isMapped(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

Deno.test("parseIp() reads back any IPv6 address written in full or with :: for its zeros", () => {
  fc.assert(
    fc.property(ipv6, (bytes) => {
      fc.pre(!isMapped(bytes));
      assert.deepEqual(parseIp(ipv6Text(bytes)), bytes);
      const shortened = ipv6Text(bytes).replace(/(^|:)0(:0)+(:|$)/, "::");
      assert.deepEqual(parseIp(shortened), bytes, shortened);
    }),
  );
});

Deno.test("addressGroup() is /ban's grouping: IPv4 as it is, IPv6 by its /64, mapped as IPv4", () => {
  assert.equal(addressGroup("203.0.113.7"), "203.0.113.7");
  assert.equal(addressGroup("::ffff:203.0.113.7"), "203.0.113.7");
  assert.equal(addressGroup("2001:db8:0:2:a:b:c:d"), "2001:db8:0:2::/64");
  assert.equal(addressGroup("2001:db8:0:2::1"), addressGroup("2001:db8:0:2:ffff::9"));
  assert.notEqual(addressGroup("2001:db8:0:2::1"), addressGroup("2001:db8:0:3::1"));
  assert.equal(addressGroup("nonsense"), null);
});
