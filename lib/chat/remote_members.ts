/**
 * The room's mirror of the members of the other servers (`--redis`): who
 * they are and under which names, learned from the bus. They hold their
 * names in the room's {@linkcode NickRegistry} like the members here, so a
 * name is unique across the whole room and a /msg to one of them can be told
 * apart from one to a member here (it goes over the bus).
 *
 * The mirror only follows what the bus says; the room decides what its own
 * members see of it.
 *
 * After an outage two servers may each have a member under one name (each
 * took it while it could not check): the name is the first holder's, the one
 * that took it earlier ({@linkcode holdsFirst}), and the other's server renames
 * its member. Until then the mirror keeps the first holder under the name, so
 * every server's mirror ends the same whichever server it heard first.
 *
 * @module
 */

import type { NickRegistry } from "./chat_names.ts";

/** Who holds a name since when: what decides a clash after an outage. */
export interface NameHold {
  /** When the member took the name, in `Date.now()` milliseconds of its server. */
  readonly since: number;
  /** Its server's id on the bus. */
  readonly server: string;
}

/**
 * Whether `a` took its name before `b` did: the earlier time, and on a tie
 * the lower server id, so every server decides the same.
 *
 * @param a One holder.
 * @param b The other.
 * @returns True when the name is `a`'s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holdsFirst } from "./remote_members.ts";
 * assert(holdsFirst({ since: 1, server: "b" }, { since: 2, server: "a" }));
 * assert(holdsFirst({ since: 2, server: "a" }, { since: 2, server: "b" }));
 * ```
 */
export function holdsFirst(a: NameHold, b: NameHold): boolean {
  return a.since < b.since || (a.since === b.since && a.server < b.server);
}

/** A member of another server, known from the bus: it holds its name here too. */
export class RemoteMember implements NameHold {
  /** Its name now. */
  nick: string;
  /** Its server's id on the bus. */
  readonly server: string;
  /** When it took its name (its server's clock; when we heard of it, if the bus did not say). */
  since: number;
  /** Whether it is an operator (`/op` on its server): `/who` marks it `@nick` here too. */
  operator = false;

  /**
   * Notes a member of another server.
   *
   * @param nick Its name.
   * @param server Its server's id.
   * @param since When it took the name.
   */
  constructor(nick: string, server: string, since: number) {
    this.nick = nick;
    this.server = server;
    this.since = since;
  }
}

/**
 * The members of the other servers of a room, in the order the bus made
 * them known.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NickRegistry } from "./chat_names.ts";
 * import { RemoteMembers } from "./remote_members.ts";
 * const names = new NickRegistry<object>();
 * const remote = new RemoteMembers(names);
 * assert(remote.addAll(["ann", "bob"], "s2"));
 * assert.equal(remote.renamed("bob", "rob", "s2"), "renamed");
 * assert.deepEqual([...remote.nicks()], ["ann", "rob"]);
 * assert(remote.setOperator("rob") && !remote.setOperator("zed"));
 * assert.deepEqual([...remote.members()].map((m) => m.operator), [false, true]);
 * assert(remote.left("ann", "s2") && !remote.left("ann", "s2"));
 * assert(names.holderOf("rob") !== undefined);
 * ```
 */
export class RemoteMembers {
  /** The room's names, shared: ours and theirs. */
  readonly #names: NickRegistry<RemoteMember | object>;
  readonly #members = new Set<RemoteMember>();

  /**
   * Makes an empty mirror.
   *
   * @param names The room's registry of every name, which the mirror adds
   *   the other servers' names to and takes them out of.
   */
  constructor(names: NickRegistry<RemoteMember | object>) {
    this.#names = names;
  }

  /** How many members of other servers are known. */
  get size(): number {
    return this.#members.size;
  }

  /**
   * Their names, in the order they were made known.
   *
   * @returns The names.
   */
  *nicks(): Generator<string> {
    for (const member of this.#members) yield member.nick;
  }

  /**
   * The members, in the order they were made known.
   *
   * @returns Them.
   */
  *members(): Generator<Readonly<RemoteMember>> {
    yield* this.#members;
  }

  /**
   * Notes that a member of another server is an operator.
   *
   * @param nick Its name.
   * @returns False when no member of another server holds that name.
   */
  setOperator(nick: string): boolean {
    const holder = this.#names.holderOf(nick);
    if (!(holder instanceof RemoteMember)) return false;
    holder.operator = true;
    return true;
  }

  /**
   * Notes members of one other server (a `present`, or the holders of names
   * when a guest name was claimed). A name held here already is left as it is,
   * unless another server's member holds it and these took it first.
   *
   * @param nicks Their names.
   * @param server Their server's id.
   * @param since When each took its name, in the order of `nicks`; when
   *   missing, now.
   * @returns Whether anyone was added.
   */
  addAll(nicks: readonly string[], server: string, since?: readonly number[]): boolean {
    let added = false;
    nicks.forEach((nick, i) => added = this.add(nick, server, since?.[i]) || added);
    return added;
  }

  /**
   * Notes a member of another server (it joined there, or its server said so).
   *
   * @param nick Its name.
   * @param server Its server's id.
   * @param since When it took the name; now when missing.
   * @returns False when the name is held here already: by one of ours, by
   *   this server's member, or by another server's that took it first.
   */
  add(nick: string, server: string, since: number = Date.now()): boolean {
    const holder = this.#names.holderOf(nick);
    if (holder instanceof RemoteMember && holder.server === server) {
      holder.since = since; // what its server says is what the others compare
      return false;
    }
    if (holder !== undefined) {
      // After an outage: the first holder keeps the name; the other's server renames its member.
      if (!(holder instanceof RemoteMember) || holdsFirst(holder, { since, server })) return false;
      this.#members.delete(holder);
      this.#names.delete(holder.nick);
    }
    const member = new RemoteMember(nick, server, since);
    this.#names.add(nick, member);
    this.#members.add(member);
    return true;
  }

  /**
   * Forgets a member of another server that left.
   *
   * @param nick Its name.
   * @param server Its server's id; null: any server's (a lost server's leaves
   *   come from the server that noticed).
   * @returns False when no member of that server holds that name (unknown
   *   here, or someone else's: not theirs to announce).
   */
  left(nick: string, server: string | null): boolean {
    const holder = this.#names.holderOf(nick);
    if (!(holder instanceof RemoteMember)) return false;
    if (server !== null && holder.server !== server) return false;
    this.#members.delete(holder);
    this.#names.delete(nick);
    return true;
  }

  /**
   * Follows a member of another server to a new name.
   *
   * @param from Its name.
   * @param to The name it took.
   * @param server Its server's id.
   * @returns `"renamed"`; `"added"` when someone else holds `from` here (the
   *   member lost that name after an outage, so it is new here under `to`);
   *   null when someone else holds `to` too.
   */
  renamed(from: string, to: string, server: string): "renamed" | "added" | null {
    const holder = this.#names.holderOf(from);
    if (!(holder instanceof RemoteMember) || holder.server !== server) {
      return this.add(to, server) ? "added" : null;
    }
    const taken = this.#names.holderOf(to);
    if (taken !== undefined && taken !== holder) return null;
    this.#names.delete(from);
    this.#names.add(to, holder);
    holder.nick = to;
    holder.since = Date.now();
    return "renamed";
  }

  /**
   * Forgets every member of the other servers (the link is down, or the room
   * closes): their names are free here until the bus says otherwise.
   *
   * @returns Whether anyone was known.
   */
  forgetAll(): boolean {
    const hadAny = this.#members.size > 0;
    for (const member of this.#members) this.#names.delete(member.nick);
    this.#members.clear();
    return hadAny;
  }
}
