/**
 * Tests for lib/chat/chat_roster.ts: names, order, and a member removed while a
 * frame is being handed out. The room's own tests (chat_room_test.ts) cover
 * the same through the protocol.
 */

import assert from "node:assert/strict";
import { Roster } from "../../lib/chat/chat_roster.ts";

const frame = new TextEncoder().encode("hello\n");

/** A member that records, by name, each delivery and each members-changed call it gets, and may act on a delivery. */
class Member {
  constructor(readonly name: string, readonly got: string[], readonly onDeliver?: () => void) {}
  deliver(_frame: Uint8Array, notice?: boolean): void {
    this.got.push(notice ? `${this.name} (notice)` : this.name);
    this.onDeliver?.();
  }
  membersChanged(): void {
    this.got.push(`${this.name} (members changed)`);
  }
}

Deno.test("Roster keeps names in the order members came, through renames and removals", () => {
  const got: string[] = [];
  const roster = new Roster<Member>();
  const [a, b, c] = ["a", "b", "c"].map((name) => new Member(name, got));
  roster.add(a!, "guest1");
  roster.add(b!, "guest2");
  roster.add(c!, "guest3");
  roster.rename(b!, "小明");
  assert.deepEqual([...roster.nicks()], ["guest1", "小明", "guest3"]);
  assert.equal(roster.remove(a!), "guest1");
  assert.equal(roster.remove(a!), undefined, "twice is harmless");
  assert.equal(roster.has(a!), false);
  assert.equal(roster.size, 2);
  roster.rename(a!, "ghost");
  assert.equal(roster.nickOf(a!), undefined, "renaming someone who left adds nobody");
  assert.deepEqual([...roster.entries()].map(([member, nick]) => `${member.name}=${nick}`), [
    "b=小明",
    "c=guest3",
  ]);
});

Deno.test("Roster.deliver() hands the frame to everyone but the sender, in order", () => {
  const got: string[] = [];
  const roster = new Roster<Member>();
  const members = ["a", "b", "c", "d"].map((name) => new Member(name, got));
  members.forEach((member, i) => roster.add(member, `guest${i + 1}`));
  roster.deliver(frame, members[1]!, false);
  roster.deliver(frame, null, true);
  assert.deepEqual(got, ["a", "c", "d", "a (notice)", "b (notice)", "c (notice)", "d (notice)"]);
});

Deno.test("Roster.membersChanged() tells everyone but one, in order, and nothing is delivered", () => {
  const got: string[] = [];
  const roster = new Roster<Member>();
  const members = ["a", "b", "c"].map((name) => new Member(name, got));
  members.forEach((member, i) => roster.add(member, `guest${i + 1}`));
  roster.remove(members[2]!);
  roster.membersChanged(members[0]!);
  roster.membersChanged(null);
  assert.deepEqual(got, ["b (members changed)", "a (members changed)", "b (members changed)"]);
});

Deno.test("Roster.deliver() still reaches those after a member that a delivery removes", () => {
  const got: string[] = [];
  const roster = new Roster<Member>();
  const a = new Member("a", got);
  // Its queue overflows as it is handed the frame: the transport takes it out right there.
  const slow: Member = new Member("slow", got, () => roster.remove(slow));
  const b = new Member("b", got);
  const c = new Member("c", got, () => roster.remove(a)); // one already served
  const d = new Member("d", got);
  for (const [i, member] of [a, slow, b, c, d].entries()) roster.add(member, `guest${i + 1}`);
  roster.deliver(frame, null, false);
  assert.deepEqual(got, ["a", "slow", "b", "c", "d"]);
  got.length = 0;
  roster.deliver(frame, null, false);
  assert.deepEqual(got, ["b", "c", "d"], "the holes are gone, nobody twice");
  assert.equal(roster.size, 3);
});

Deno.test("Roster.clear() takes everyone out", () => {
  const got: string[] = [];
  const roster = new Roster<Member>();
  roster.add(new Member("a", got), "guest1");
  roster.clear();
  roster.deliver(frame, null, false);
  assert.deepEqual([got, roster.size], [[], 0]);
});
