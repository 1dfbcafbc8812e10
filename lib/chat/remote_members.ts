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
 * @module
 */

import type { NickRegistry } from "./chat_names.ts";

/** A member of another server, known from the bus: it holds its name here too. */
export class RemoteMember {
  /** Its name now. */
  nick: string;
  /** Whether it is an operator (`/op` on its server): `/who` marks it `@nick` here too. */
  operator = false;

  /**
   * Notes a member of another server.
   *
   * @param nick Its name.
   */
  constructor(nick: string) {
    this.nick = nick;
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
 * assert(remote.addAll(["ann", "bob"]));
 * assert(remote.renamed("bob", "rob"));
 * assert.deepEqual([...remote.nicks()], ["ann", "rob"]);
 * assert(remote.setOperator("rob") && !remote.setOperator("zed"));
 * assert.deepEqual([...remote.members()].map((m) => m.operator), [false, true]);
 * assert(remote.left("ann") && !remote.left("ann"));
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
   * Notes members of another server (a `present`, or the holders of names when
   * a guest name was claimed). A name held here already is left as it is.
   *
   * @param nicks Their names.
   * @returns Whether anyone was added.
   */
  addAll(nicks: readonly string[]): boolean {
    let added = false;
    for (const nick of nicks) added = this.add(nick) || added;
    return added;
  }

  /**
   * Notes a member of another server (it joined there).
   *
   * @param nick Its name.
   * @returns False when the name is held here already (by anyone).
   */
  add(nick: string): boolean {
    if (this.#names.holderOf(nick) !== undefined) return false;
    const member = new RemoteMember(nick);
    this.#names.add(nick, member);
    this.#members.add(member);
    return true;
  }

  /**
   * Forgets a member of another server that left.
   *
   * @param nick Its name.
   * @returns False when no member of another server holds that name (unknown
   *   here, or one of ours: not theirs to announce).
   */
  left(nick: string): boolean {
    const holder = this.#names.holderOf(nick);
    if (!(holder instanceof RemoteMember)) return false;
    this.#members.delete(holder);
    this.#names.delete(nick);
    return true;
  }

  /**
   * Follows a member of another server to a new name.
   *
   * @param from Its name.
   * @param to The name it took.
   * @returns False when no member of another server holds `from`, or someone
   *   else holds `to` here.
   */
  renamed(from: string, to: string): boolean {
    const holder = this.#names.holderOf(from);
    if (!(holder instanceof RemoteMember)) return false;
    const taken = this.#names.holderOf(to);
    if (taken !== undefined && taken !== holder) return false;
    this.#names.delete(from);
    this.#names.add(to, holder);
    holder.nick = to;
    return true;
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
