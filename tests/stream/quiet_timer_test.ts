/**
 * Tests for lib/stream/quiet_timer.ts: a timer acts only after the quiet time, and
 * only when a second look still finds the client quiet.
 */

import assert from "node:assert/strict";
import { QUIET_RECHECK_MS, QuietTimer } from "../../lib/stream/quiet_timer.ts";
import { within } from "../support/processes.ts";

/** Longest any of these tests waits for a timer before failing. */
const BOUND_MS = 2000;

Deno.test("QuietTimer waits out activity that comes meanwhile before it acts", async () => {
  const quietMs = 30;
  let lastActivity = performance.now();
  let looks = 0;
  const acted = Promise.withResolvers<number>();
  const timer = new QuietTimer(quietMs, () => {
    // Activity on the first look: the timer must wait the quiet time again.
    if (++looks === 1) lastActivity = performance.now();
    return lastActivity;
  }, () => acted.resolve(performance.now()));
  timer.start();
  const actedAt = await within(acted.promise, BOUND_MS, "the timer to act");
  assert(actedAt - lastActivity >= quietMs, `acted ${actedAt - lastActivity} ms after activity`);
  assert.equal(timer.running, false);
});

Deno.test("QuietTimer looks again before acting, and a read found then counts", async () => {
  let lastActivity = performance.now() - 1000; // quiet from the start
  const lookTimes: number[] = [];
  const acted = Promise.withResolvers<void>();
  const timer = new QuietTimer(20, () => {
    lookTimes.push(performance.now());
    // The second look finds a read that arrived while the timer waited.
    if (lookTimes.length === 2) lastActivity = performance.now();
    return lastActivity;
  }, () => acted.resolve());
  timer.start();
  await within(acted.promise, BOUND_MS, "the timer to act");
  // quiet -> look again -> activity: wait -> quiet -> look again -> act
  assert.equal(lookTimes.length, 4);
  assert(lookTimes[1]! - lookTimes[0]! >= QUIET_RECHECK_MS - 1);
});

Deno.test("QuietTimer stops without acting when it is no longer wanted", async () => {
  const asked = Promise.withResolvers<void>();
  let acted = 0;
  const timer = new QuietTimer(1, () => 0, () => acted++, () => {
    asked.resolve();
    return false;
  });
  timer.start();
  await within(asked.promise, BOUND_MS, "the timer to ask whether it is still wanted");
  assert.equal(timer.running, false);
  assert.equal(acted, 0);
});

Deno.test("QuietTimer.stop() cancels a pending check; a second start() arms no second one", async () => {
  let stoppedActs = 0;
  let startedTwiceActs = 0;
  const stopped = new QuietTimer(5, () => 0, () => stoppedActs++);
  stopped.start();
  stopped.stop();
  assert.equal(stopped.running, false);
  const startedTwice = new QuietTimer(5, () => 0, () => startedTwiceActs++);
  startedTwice.start();
  startedTwice.start();
  // Timers with the same delays fire in the order they were set, so once this one
  // (set last) has acted, any check the two above left pending has run too.
  const control = Promise.withResolvers<void>();
  new QuietTimer(5, () => 0, () => control.resolve()).start();
  await within(control.promise, BOUND_MS, "the control timer to act");
  assert.equal(stoppedActs, 0);
  assert.equal(startedTwiceActs, 1);
});
