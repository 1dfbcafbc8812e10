/**
 * Who is in a chat room under which name, in the order they came, and the
 * loop that hands one frame to each of them. The room (`chat_room.ts`) owns
 * one; nothing here knows about sockets, commands or the bus.
 *
 * @module
 */

/** What the roster needs of a member: a way to hand it a frame, and to say who is here changed. */
export interface Recipient {
  /**
   * Queues lines for the member; never waits.
   *
   * @param frame Whole lines, shared with the other recipients.
   * @param notice A notice, which may wait a moment to go out with others.
   */
  deliver(frame: Uint8Array, notice?: boolean): void;
  /** The room's list of who is here changed. */
  membersChanged(): void;
}

/**
 * The members of a room with their names, in the order they came.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Roster } from "./chat_roster.ts";
 * const got: string[] = [];
 * const member = (name: string) => ({ deliver: () => void got.push(name), membersChanged() {} });
 * const ann = member("ann"), bob = member("bob");
 * const roster = new Roster<typeof ann>();
 * roster.add(ann, "guest1");
 * roster.add(bob, "guest2");
 * roster.deliver(new TextEncoder().encode("hi\n"), ann, false);
 * assert.deepEqual(got, ["bob"]);
 * assert.equal(roster.nickOf(bob), "guest2");
 * ```
 */
export class Roster<M extends Recipient> {
  readonly #nicks = new Map<M, string>();
  /**
   * The same members as a list, for `deliver()`: looping over an array makes
   * no garbage, a Map iterator makes an object per member (measured: a third
   * of all that 1,000 joins allocated). Someone removed while `deliver()`
   * runs leaves a hole (null), filled in once it returns.
   */
  #list: (M | null)[] = [];
  #holes = 0;
  /** How many `deliver()` calls are running (a delivery may deliver again). */
  #delivering = 0;

  /** How many members there are. */
  get size(): number {
    return this.#nicks.size;
  }

  /**
   * Whether a member is here.
   *
   * @param member A member.
   * @returns True while it is.
   */
  has(member: M): boolean {
    return this.#nicks.has(member);
  }

  /**
   * A member's name.
   *
   * @param member A member.
   * @returns Its name, or undefined if it is not here.
   */
  nickOf(member: M): string | undefined {
    return this.#nicks.get(member);
  }

  /**
   * The names, in the order their members came.
   *
   * @returns An iterator over them.
   */
  nicks(): MapIterator<string> {
    return this.#nicks.values();
  }

  /**
   * The members with their names, in the order they came.
   *
   * @returns An iterator over them.
   */
  entries(): MapIterator<[M, string]> {
    return this.#nicks.entries();
  }

  /**
   * Adds a member, last.
   *
   * @param member The newcomer (not here yet).
   * @param nick Its name.
   */
  add(member: M, nick: string): void {
    this.#nicks.set(member, nick);
    this.#list.push(member);
  }

  /**
   * Gives a member present another name; its place stays the same.
   *
   * @param member A member.
   * @param nick The new name.
   */
  rename(member: M, nick: string): void {
    if (this.#nicks.has(member)) this.#nicks.set(member, nick);
  }

  /**
   * Puts a member in the place of another (a page that reconnected): the
   * same name and place; a `deliver()` running now hands the rest to `fresh`.
   *
   * @param old A member here.
   * @param fresh One not here.
   * @returns False when `old` is not here.
   */
  replace(old: M, fresh: M): boolean {
    const nick = this.#nicks.get(old);
    if (nick === undefined || this.#nicks.has(fresh)) return false;
    // A Map keeps the order of insertion: rebuilt, so that the name keeps its place in lists.
    const entries = [...this.#nicks].map(([member, name]): [M, string] =>
      member === old ? [fresh, name] : [member, name]
    );
    this.#nicks.clear();
    for (const [member, name] of entries) this.#nicks.set(member, name);
    this.#list[this.#list.indexOf(old)] = fresh;
    return true;
  }

  /**
   * Takes a member out; a `deliver()` running now skips it from here on.
   *
   * @param member A member.
   * @returns The name it had, or undefined if it was not here.
   */
  remove(member: M): string | undefined {
    const nick = this.#nicks.get(member);
    if (nick === undefined) return undefined;
    this.#nicks.delete(member);
    const at = this.#list.indexOf(member);
    if (this.#delivering > 0) {
      this.#list[at] = null;
      this.#holes++;
    } else {
      this.#list.splice(at, 1);
    }
    return nick;
  }

  /** Takes everyone out. */
  clear(): void {
    this.#nicks.clear();
    this.#list = [];
    this.#holes = 0;
  }

  /**
   * Hands the same frame to every member but one, in the order they came.
   * A member that a delivery removes (its queue overflowed) is skipped if
   * its turn has not come; the others still get the frame.
   *
   * @param frame Whole lines, never changed.
   * @param except Who does not get it (the sender), or null.
   * @param notice Passed on to each `deliver()`.
   */
  deliver(frame: Uint8Array, except: M | null, notice: boolean): void {
    this.#delivering++;
    try {
      const list = this.#list;
      for (let i = 0; i < list.length; i++) {
        const member = list[i]!;
        if (member !== null && member !== except) member.deliver(frame, notice);
      }
    } finally {
      if (--this.#delivering === 0 && this.#holes > 0) {
        this.#list = this.#list.filter((member) => member !== null);
        this.#holes = 0;
      }
    }
  }

  /**
   * Tells every member but one that the list of who is here changed, in the
   * order they came (a loop over the list, like `deliver()`: no garbage).
   *
   * @param except Who is not told (a newcomer, whose transport asks for the list itself), or null.
   */
  membersChanged(except: M | null): void {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) {
      const member = list[i]!;
      if (member !== null && member !== except) member.membersChanged();
    }
  }
}
