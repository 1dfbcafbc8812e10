/**
 * Tests for lib/chat/rate_limit.ts: the token bucket behind `--rate`. A
 * client may send a burst of BURST_SECONDS' worth of lines, tokens come back
 * at the rate up to that burst, `waitMs()` says how long until the next one,
 * `startsHolding()` says once per episode that lines started to wait (an
 * episode ends when the bucket is full again), and a rate of 0 or less is
 * refused (the sessions make no RateLimit for `--rate 0`, which
 * chat_server_test.ts runs).
 *
 * RateLimit has no clock option, so the tests move time by standing in for
 * `performance.now()`, which is what it reads; nothing sleeps.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { BURST_SECONDS, RateLimit } from "../../lib/chat/rate_limit.ts";

/** A clock the test moves by hand. */
interface FakeClock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Milliseconds since the test started. */
  readonly elapsed: number;
}

/** Runs `body` with `performance.now()` reading a clock only the test moves. */
function withFakeClock(body: (clock: FakeClock) => void): void {
  const start = 1_000_000; // any value: the bucket uses differences only
  let now = start;
  const own = Object.getOwnPropertyDescriptor(performance, "now"); // none: Deno's is inherited
  Object.defineProperty(performance, "now", { value: () => now, configurable: true });
  try {
    body({
      advance: (ms) => {
        now += ms;
      },
      get elapsed() {
        return now - start;
      },
    });
  } finally {
    // The stand-in hid the real method on the prototype; removing it brings that back.
    if (own === undefined) delete (performance as { now?: unknown }).now;
    else Object.defineProperty(performance, "now", own);
  }
}

/** Calls take() `count` times and returns what each said. */
function takeMany(limit: RateLimit, count: number): boolean[] {
  return Array.from({ length: count }, () => limit.take());
}

Deno.test("RateLimit lets a burst of perSecond * BURST_SECONDS lines through before asking to wait", () => {
  withFakeClock(() => {
    const perSecond = 2;
    const burst = perSecond * BURST_SECONDS;
    const limit = new RateLimit(perSecond);
    assert.equal(limit.waitMs(), 0, "it starts full");
    // take() says whether a token is left for the *next* line: the last line of the burst
    // goes through, and it says to wait before another.
    assert.deepEqual(takeMany(limit, burst), [...Array(burst - 1).fill(true), false]);
    assert.ok(limit.waitMs() > 0);
  });
});

Deno.test("RateLimit.waitMs() is the time until a token is back, shrinking as time passes", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2); // a token every 500 ms
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.waitMs(), 500);
    clock.advance(200);
    assert.equal(limit.waitMs(), 300);
    clock.advance(limit.waitMs());
    assert.equal(limit.waitMs(), 0, "waiting as long as it said is enough");
    assert.equal(limit.waitMs(), 0, "asking does not spend a token");
  });
});

Deno.test("RateLimit.waitMs() rounds up to whole milliseconds, so the wait it names is never too short", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(3); // a token every 333.3 ms
    takeMany(limit, 3 * BURST_SECONDS);
    assert.equal(limit.waitMs(), 334);
    clock.advance(333);
    assert.equal(limit.waitMs(), 1, "a third of a millisecond short is still a wait");
    clock.advance(1);
    assert.equal(limit.waitMs(), 0);
  });
});

Deno.test("RateLimit refills at perSecond tokens a second", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2);
    takeMany(limit, 2 * BURST_SECONDS);
    clock.advance(1000); // two tokens back
    assert.deepEqual(takeMany(limit, 2), [true, false]);
    clock.advance(499); // not quite one more
    assert.ok(limit.waitMs() > 0);
    clock.advance(1);
    assert.equal(limit.waitMs(), 0);
  });
});

Deno.test("RateLimit refills no further than the burst, however long the client was quiet", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2);
    takeMany(limit, 2 * BURST_SECONDS);
    clock.advance(3_600_000); // an hour
    assert.deepEqual(takeMany(limit, 2 * BURST_SECONDS), [
      ...Array(2 * BURST_SECONDS - 1).fill(true),
      false,
    ]);
  });
});

Deno.test("RateLimit counts lines past the burst too: each makes the wait one token longer", () => {
  withFakeClock(() => {
    const limit = new RateLimit(2);
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.waitMs(), 500);
    // A read may hold several lines: they all go through, and all are paid for.
    assert.deepEqual(takeMany(limit, 2), [false, false]);
    assert.equal(limit.waitMs(), 1500);
  });
});

Deno.test("RateLimit paces a sender that waits as told: the burst at once, then one line per 1/perSecond", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2);
    const sentAt: number[] = [];
    for (let line = 0; line < 10; line++) {
      clock.advance(limit.waitMs());
      sentAt.push(clock.elapsed);
      limit.take();
    }
    assert.deepEqual(sentAt, [0, 0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
  });
});

Deno.test("RateLimit never lets a sender that waits as told pass burst + perSecond * seconds lines in any stretch of time", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 30 }), // low enough for 200 lines to outrun the burst
      // Gaps between lines, often none (a sender faster than the rate), sometimes long.
      fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.constant(60_000)), {
        minLength: 1,
        maxLength: 200,
      }),
      (perSecond, gaps) => {
        withFakeClock((clock) => {
          const limit = new RateLimit(perSecond);
          const sentAt: number[] = [];
          for (const gap of gaps) {
            clock.advance(gap); // the next line arrives...
            clock.advance(limit.waitMs()); // ...and is read once the bucket allows
            limit.take();
            sentAt.push(clock.elapsed);
          }
          // Lines first..last, both sent, span sentAt[last] - sentAt[first] ms.
          const burst = perSecond * BURST_SECONDS;
          for (let first = 0; first < sentAt.length; first++) {
            for (let last = first; last < sentAt.length; last++) {
              const allowed = burst + perSecond * (sentAt[last]! - sentAt[first]!) / 1000;
              const lines = last - first + 1;
              assert.ok(
                lines <= allowed + 1e-6,
                `${lines} lines in ${sentAt[last]! - sentAt[first]!} ms`,
              );
            }
          }
        });
      },
    ),
  );
});

Deno.test("RateLimit.startsHolding() says true once when lines start to wait, then false while the bucket is not full again", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2); // a burst of 6, a token every 500 ms
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.startsHolding(), true, "the first hold: tell the sender");
    assert.equal(limit.startsHolding(), false, "the same hold, asked again");
    // Paced: the sender keeps sending as fast as it may, each line held a moment.
    for (let line = 0; line < 20; line++) {
      clock.advance(limit.waitMs());
      limit.take();
      assert.equal(limit.startsHolding(), false, `held line ${line}: told already`);
    }
    // Quiet for almost the whole burst's refill, then a new flood: still the same episode.
    clock.advance(BURST_SECONDS * 1000 - 1);
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.startsHolding(), false, "the bucket never got full again");
  });
});

Deno.test("RateLimit.startsHolding() starts a new episode once the bucket has been full again", () => {
  withFakeClock((clock) => {
    const limit = new RateLimit(2);
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.startsHolding(), true);
    // BURST_SECONDS of quiet fill the bucket from empty.
    clock.advance(BURST_SECONDS * 1000);
    assert.equal(limit.waitMs(), 0);
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.startsHolding(), true, "a new flood after a quiet stretch: tell again");
    assert.equal(limit.startsHolding(), false);
    // Full again even when nobody asked while it was (the bucket refills on demand).
    clock.advance(3_600_000);
    takeMany(limit, 2 * BURST_SECONDS);
    assert.equal(limit.startsHolding(), true);
  });
});

Deno.test("RateLimit refuses a rate of 0 or less, or not a number", () => {
  for (const perSecond of [0, -1, -0.5, NaN]) {
    assert.throws(() => new RateLimit(perSecond), RangeError, String(perSecond));
  }
});
