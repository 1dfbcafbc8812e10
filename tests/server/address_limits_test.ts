/**
 * The counting behind `--max-per-address`, `--max-joins-per-minute`,
 * `--trust`, `--allow` and `--deny` (`lib/server/address_limits.ts`), on a
 * fake clock: limits, exemptions, the join rate's recovery, bounded memory,
 * and a property test against a plain reference model.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AddressLimits,
  type AddressLimitsOptions,
  MAX_IDLE_GROUPS,
} from "../../lib/server/address_limits.ts";
import { type AddressRange, parseAddressRange } from "../../lib/stream/address_range.ts";

/** A clock a test moves by hand. */
class FakeClock {
  ms = 1000;
  readonly now = () => this.ms;
}

function ranges(...texts: string[]): AddressRange[] {
  return texts.map((text) => parseAddressRange(text)!);
}

function limitsWith(
  options: Partial<AddressLimitsOptions>,
  clock = new FakeClock(),
): AddressLimits {
  return new AddressLimits({
    maxPerAddress: 0,
    maxJoinsPerMinute: 0,
    trust: [],
    allow: [],
    deny: [],
    exemptLoopback: true,
    now: clock.now,
    ...options,
  });
}

/** Checks and, if admitted, holds a connection, as the server does. */
function connect(limits: AddressLimits, host: string): (() => void) | string {
  const refusal = limits.check(host);
  return refusal === null ? limits.hold(host) : refusal.kind;
}

Deno.test("AddressLimits refuses the connection past --max-per-address, until one closes", () => {
  const limits = limitsWith({ maxPerAddress: 3 });
  const held = [1, 2, 3].map(() => connect(limits, "203.0.113.7"));
  assert.ok(held.every((release) => typeof release === "function"));
  assert.deepEqual(limits.check("203.0.113.7"), { kind: "perAddress", limit: 3 });
  assert.equal(limits.check("203.0.113.8"), null, "another address has its own count");
  (held[0] as () => void)();
  assert.equal(limits.check("203.0.113.7"), null);
  assert.equal(limits.connectionsFrom("203.0.113.7"), 2);
});

Deno.test("AddressLimits counts an IPv6 /64 as one address, and a mapped IPv4 client as its IPv4 address", () => {
  const limits = limitsWith({ maxPerAddress: 2 });
  limits.hold("2001:db8:0:1::1");
  limits.hold("2001:db8:0:1:ffff:1:2:3");
  assert.deepEqual(limits.check("2001:db8:0:1::99"), { kind: "perAddress", limit: 2 });
  assert.equal(limits.check("2001:db8:0:2::1"), null, "the next /64 is another address");
  limits.hold("::ffff:192.0.2.1");
  limits.hold("192.0.2.1");
  assert.deepEqual(limits.check("192.0.2.1"), { kind: "perAddress", limit: 2 });
  assert.deepEqual(limits.check("::ffff:192.0.2.1"), { kind: "perAddress", limit: 2 });
});

Deno.test("AddressLimits exempts loopback always, and --trust ranges, from both limits", () => {
  const limits = limitsWith({
    maxPerAddress: 1,
    maxJoinsPerMinute: 1,
    trust: ranges("10.0.0.0/8", "2001:db8::/32"),
  });
  for (
    const host of ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1", "10.1.2.3", "2001:db8::5"]
  ) {
    for (let i = 0; i < 5; i++) assert.equal(typeof connect(limits, host), "function", host);
    assert.equal(limits.connectionsFrom(host), 0, `${host} is not counted`);
  }
  assert.equal(limits.groups, 0);
  assert.equal(typeof connect(limits, "11.0.0.1"), "function");
  assert.equal(connect(limits, "11.0.0.1"), "perAddress");
});

Deno.test("AddressLimits without exemptLoopback (tests only) limits 127.0.0.1 too", () => {
  const limits = limitsWith({ maxPerAddress: 1, exemptLoopback: false });
  limits.hold("127.0.0.1");
  assert.deepEqual(limits.check("127.0.0.1"), { kind: "perAddress", limit: 1 });
});

Deno.test("AddressLimits lets a burst of --max-joins-per-minute in, then one per 60/N seconds", () => {
  const clock = new FakeClock();
  const limits = limitsWith({ maxJoinsPerMinute: 6 }, clock);
  for (let i = 0; i < 6; i++) assert.equal(limits.check("198.51.100.1"), null, `join ${i + 1}`);
  assert.deepEqual(limits.check("198.51.100.1"), { kind: "joinRate", limit: 6 });
  assert.equal(limits.check("198.51.100.2"), null, "another address has its own rate");
  clock.ms += 9_999;
  assert.deepEqual(limits.check("198.51.100.1"), { kind: "joinRate", limit: 6 });
  clock.ms += 1; // 10 s: one more join
  assert.equal(limits.check("198.51.100.1"), null);
  assert.deepEqual(limits.check("198.51.100.1"), { kind: "joinRate", limit: 6 });
  clock.ms += 60_000; // a full minute: the whole burst again, no more
  for (let i = 0; i < 6; i++) assert.equal(limits.check("198.51.100.1"), null);
  assert.deepEqual(limits.check("198.51.100.1"), { kind: "joinRate", limit: 6 });
});

Deno.test("AddressLimits: a refused join does not count, and holding does not take a join", () => {
  const clock = new FakeClock();
  const limits = limitsWith({ maxPerAddress: 1, maxJoinsPerMinute: 2 }, clock);
  const release = limits.hold("198.51.100.1"); // held without a check: no join taken
  for (let i = 0; i < 10; i++) assert.equal(connect(limits, "198.51.100.1"), "perAddress");
  release();
  assert.equal(limits.check("198.51.100.1"), null);
  assert.equal(limits.check("198.51.100.1"), null);
  assert.equal(connect(limits, "198.51.100.1"), "joinRate");
});

Deno.test("AddressLimits --allow lets only its ranges in, --deny wins over it, mapped clients count as IPv4", () => {
  const limits = limitsWith({
    allow: ranges("192.0.2.0/24", "2001:db8::/32"),
    deny: ranges("192.0.2.66", "2001:db8:bad::/48"),
  });
  for (const host of ["192.0.2.1", "::ffff:192.0.2.200", "2001:db8::1"]) {
    assert.equal(limits.check(host), null, host);
  }
  for (const host of ["192.0.2.66", "::ffff:192.0.2.66", "2001:db8:bad::1", "192.0.3.1", "::1"]) {
    assert.deepEqual(limits.check(host), { kind: "denied" }, host);
  }
  assert.equal(limits.allows("not an address"), false, "with --allow, only addresses in it");
  const denyOnly = limitsWith({ deny: ranges("127.0.0.1") });
  assert.equal(
    denyOnly.allows("127.0.0.1"),
    false,
    "loopback is exempt from limits, not from --deny",
  );
  assert.equal(denyOnly.allows("127.0.0.2"), true);
  assert.equal(denyOnly.allows("not an address"), true);
});

Deno.test("AddressLimits with both limits at 0 counts nothing", () => {
  const limits = limitsWith({});
  for (let i = 0; i < 1000; i++) connect(limits, `10.0.${i >> 8}.${i & 255}`);
  assert.equal(limits.groups, 0);
});

Deno.test("AddressLimits forgets an address once it has no connection and its join rate has recovered", () => {
  const clock = new FakeClock();
  const limits = limitsWith({ maxPerAddress: 5, maxJoinsPerMinute: 60 }, clock);
  const release = connect(limits, "198.51.100.1") as () => void;
  assert.equal(limits.groups, 1);
  release();
  release(); // a second call does nothing
  assert.equal(limits.connectionsFrom("198.51.100.1"), 0);
  assert.equal(limits.groups, 1, "kept: it joined within the minute");
  clock.ms += 1000; // one join back: recovered
  limits.check("198.51.100.2"); // checks sweep the recovered ones
  assert.equal(limits.groups, 1, "only the new address is kept");
  const perAddressOnly = limitsWith({ maxPerAddress: 5 }, clock);
  (connect(perAddressOnly, "198.51.100.1") as () => void)();
  assert.equal(perAddressOnly.groups, 0, "without a join rate, nothing is kept after the close");
});

Deno.test("AddressLimits keeps at most MAX_IDLE_GROUPS addresses without connections under a scan", () => {
  const clock = new FakeClock();
  const limits = limitsWith({ maxPerAddress: 4, maxJoinsPerMinute: 1 }, clock);
  const live = connect(limits, "203.0.113.1") as () => void;
  for (let i = 0; i < MAX_IDLE_GROUPS + 5000; i++) {
    const host = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    assert.equal(limits.check(host), null, "a new address is never refused for the table");
  }
  assert.equal(limits.groups, MAX_IDLE_GROUPS + 1, "the cap, and the one with a connection");
  assert.equal(limits.connectionsFrom("203.0.113.1"), 1, "one with connections is never forgotten");
  // The most recent are remembered, the oldest forgotten (their join counts again).
  assert.deepEqual(
    limits.check(`10.0.${((MAX_IDLE_GROUPS + 4999) >> 8) & 255}.${(MAX_IDLE_GROUPS + 4999) & 255}`),
    {
      kind: "joinRate",
      limit: 1,
    },
  );
  assert.equal(limits.check("10.0.0.0"), null);
  live();
});

/** One step of the property test. */
type Step =
  | { op: "connect"; host: number }
  | { op: "close"; index: number }
  | { op: "wait"; ms: number };

const HOSTS = [
  "198.51.100.1",
  "198.51.100.2",
  "::ffff:198.51.100.1",
  "2001:db8::1",
  "2001:db8::2",
  "127.0.0.1",
];
/** The address each host counts as (by index): mapped as IPv4, the /64s together, loopback none. */
const GROUP_OF = [0, 1, 0, 2, 2, null];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("connect" as const), host: fc.nat(HOSTS.length - 1) }),
  fc.record({ op: fc.constant("close" as const), index: fc.nat(40) }),
  fc.record({ op: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 30_000 }) }),
);

Deno.test("AddressLimits matches a plain model: counts never negative, never over the limit, released on every close", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 5 }),
      fc.array(step, { maxLength: 120 }),
      (maxPerAddress, maxJoinsPerMinute, steps) => {
        const clock = new FakeClock();
        const limits = limitsWith({ maxPerAddress, maxJoinsPerMinute }, clock);
        const open: { host: number; release: () => void }[] = [];
        const counts = [0, 0, 0];
        for (const s of steps) {
          if (s.op === "wait") clock.ms += s.ms;
          else if (s.op === "close") {
            const [closed] = open.splice(s.index % Math.max(open.length, 1), 1);
            if (closed === undefined) continue;
            closed.release();
            closed.release(); // every close path may call it again
            const group = GROUP_OF[closed.host];
            if (group !== null && group !== undefined) counts[group]!--;
          } else {
            const group = GROUP_OF[s.host]!;
            const refusal = limits.check(HOSTS[s.host]!);
            if (group !== null && counts[group]! >= maxPerAddress) {
              assert.deepEqual(refusal, { kind: "perAddress", limit: maxPerAddress });
            }
            if (group === null) assert.equal(refusal, null, "loopback is never refused");
            if (refusal !== null) continue;
            open.push({ host: s.host, release: limits.hold(HOSTS[s.host]!) });
            if (group !== null) counts[group]!++;
          }
          for (const [i, host] of HOSTS.entries()) {
            const group = GROUP_OF[i];
            const expected = group === null || group === undefined ? 0 : counts[group]!;
            const held = limits.connectionsFrom(host);
            assert.equal(held, expected, host);
            assert.ok(held >= 0 && held <= maxPerAddress);
          }
        }
        for (const { release } of open.splice(0)) release();
        for (const host of HOSTS) assert.equal(limits.connectionsFrom(host), 0);
        clock.ms += 60_000;
        limits.check("192.0.2.1"); // sweeps the recovered
        assert.ok(limits.groups <= 1, `everything else forgotten (${limits.groups} kept)`);
      },
    ),
  );
});
