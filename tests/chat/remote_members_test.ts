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
  assert.equal(remote.add("ALICE", "s2"), false);
  assert.equal(names.holderOf("alice"), OURS);
  assert.equal(remote.add("bob", "s2"), true);
  assert.ok(names.holderOf("Bob") instanceof RemoteMember);
  assert.deepEqual([...remote.nicks()], ["bob"]);
});

Deno.test("RemoteMembers.addAll() says whether anyone was new", () => {
  const { remote } = mirror();
  assert.equal(remote.addAll(["bob", "carol"], "s2"), true);
  assert.equal(remote.addAll(["bob", "alice"], "s2"), false);
  assert.equal(remote.size, 2);
});

Deno.test("RemoteMembers.left() forgets only another server's member", () => {
  const { names, remote } = mirror();
  remote.add("bob", "s2");
  assert.equal(remote.left("alice", "s2"), false, "one of ours is not theirs to announce");
  assert.equal(names.holderOf("alice"), OURS);
  assert.equal(remote.left("nobody", "s2"), false);
  assert.equal(remote.left("bob", "s2"), true);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(remote.size, 0);
});

Deno.test("RemoteMembers.renamed() follows a rename, keeps the order, refuses a taken name", () => {
  const { names, remote } = mirror();
  remote.addAll(["bob", "carol"], "s2");
  assert.equal(remote.renamed("bob", "alice", "s2"), null, "alice is ours");
  assert.equal(remote.renamed("bob", "rob", "s2"), "renamed");
  assert.deepEqual([...remote.nicks()], ["rob", "carol"]);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(remote.renamed("rob", "ROB", "s2"), "renamed", "a change of case is its own name");
  assert.equal(remote.renamed("carol", "cara", "s3"), "added", "s3's carol is not s2's");
  assert.deepEqual([...remote.nicks()], ["ROB", "carol", "cara"]);
});

Deno.test("RemoteMembers.renamed() of a name one of ours holds: that member is new here (it lost the name after an outage)", () => {
  const { names, remote } = mirror();
  assert.equal(remote.renamed("alice", "guest7", "s2"), "added");
  assert.equal(names.holderOf("alice"), OURS);
  assert.equal((names.holderOf("guest7") as RemoteMember).server, "s2");
});

Deno.test("RemoteMembers.left() takes only the member of the server that says so, or any for a lost server", () => {
  const { remote } = mirror();
  remote.add("bob", "s2");
  assert.equal(remote.left("bob", "s3"), false);
  assert.equal(remote.left("bob", null), true);
});

Deno.test("RemoteMembers.add(): two servers with a member under one name: the first holder keeps it, whichever is heard first", () => {
  for (const order of [["s2", "s3"], ["s3", "s2"]]) {
    const { names, remote } = mirror();
    const since: Record<string, number> = { s2: 2000, s3: 1000 }; // s3's cat took it first
    for (const server of order) remote.add("cat", server, since[server]);
    const holder = names.holderOf("cat") as RemoteMember;
    assert.equal(holder.server, "s3", `heard ${order}`);
    assert.equal(remote.size, 1);
  }
  // A tie goes to the lower server id, on every server alike.
  const { names, remote } = mirror();
  remote.add("cat", "s3", 5);
  remote.add("cat", "s2", 5);
  assert.equal((names.holderOf("cat") as RemoteMember).server, "s2");
  assert.equal(
    remote.add("ALICE", "s2", 0),
    false,
    "ours is never replaced here: the room decides",
  );
});

Deno.test("RemoteMembers.forgetAll() frees their names and leaves ours", () => {
  const { names, remote } = mirror();
  assert.equal(remote.forgetAll(), false);
  remote.addAll(["bob", "carol"], "s2");
  assert.equal(remote.forgetAll(), true);
  assert.equal(remote.size, 0);
  assert.equal(names.holderOf("bob"), undefined);
  assert.equal(names.holderOf("alice"), OURS);
});
