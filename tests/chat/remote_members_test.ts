/**
 * Tests for lib/chat/remote_members.ts: the mirror of other servers' members
 * follows the bus, and never takes or frees a name that one of ours holds.
 */

import assert from "node:assert/strict";
import { NickRegistry } from "../../lib/chat/chat_names.ts";
import { RemoteMember, RemoteMembers } from "../../lib/chat/remote_members.ts";

/** A member of this server, as the room's registry holds it. */
const OURS = { ours: true };

function mirror(): { names: NickRegistry<object>; remote: RemoteMembers } {
  const names = new NickRegistry<object>();
  names.add("alice", OURS);
  return { names, remote: new RemoteMembers(names) };
}

Deno.test("RemoteMembers.add() refuses a name held here, in any case", () => {
  const { names, remote } = mirror();
  assert.equal(remote.add("ALICE"), false);
  assert.equal(names.holderOf("alice"), OURS);
  assert.equal(remote.add("bob"), true);
  assert.ok(names.holderOf("Bob") instanceof RemoteMember);
  assert.deepEqual([...remote.nicks()], ["bob"]);
});

Deno.test("RemoteMembers.addAll() says whether anyone was new", () => {
  const { remote } = mirror();
  assert.equal(remote.addAll(["bob", "carol"]), true);
  assert.equal(remote.addAll(["bob", "alice"]), false);
  assert.equal(remote.size, 2);
});

Deno.test("RemoteMembers.left() forgets only another server's member", () => {
  const { names, remote } = mirror();
  remote.add("bob");
  assert.equal(remote.left("alice"), false, "one of ours is not theirs to announce");
  assert.equal(names.holderOf("alice"), OURS);
  assert.equal(remote.left("nobody"), false);
  assert.equal(remote.left("bob"), true);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(remote.size, 0);
});

Deno.test("RemoteMembers.renamed() follows a rename, keeps the order, refuses a taken name", () => {
  const { names, remote } = mirror();
  remote.addAll(["bob", "carol"]);
  assert.equal(remote.renamed("bob", "alice"), false, "alice is ours");
  assert.equal(remote.renamed("alice", "zed"), false, "alice is not theirs");
  assert.equal(remote.renamed("bob", "rob"), true);
  assert.deepEqual([...remote.nicks()], ["rob", "carol"]);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(remote.renamed("rob", "ROB"), true, "a change of case is its own name");
});

Deno.test("RemoteMembers.forgetAll() frees their names and leaves ours", () => {
  const { names, remote } = mirror();
  assert.equal(remote.forgetAll(), false);
  remote.addAll(["bob", "carol"]);
  assert.equal(remote.forgetAll(), true);
  assert.equal(remote.size, 0);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(names.holderOf("alice"), OURS);
});
