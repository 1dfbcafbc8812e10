/**
 * Chat nicknames: which names are allowed, when two names count as the same,
 * and which guest name a newcomer gets.
 *
 * A name is 1 to {@linkcode MAX_NICK_LENGTH} characters: letters of any
 * script, digits, "_" and "-" (and, after the first character, the combining
 * marks that Indic and other scripts write vowels with). No spaces, no
 * punctuation, no control or bidi characters: a name can neither break the
 * `[nick] text` shape of a line nor act on a terminal.
 *
 * A name keeps to one script (Unicode's "moderately restrictive" level,
 * in ../text/script_mix.ts): `wаtcher` with a Cyrillic `а` is refused, so
 * it cannot sit next to `watcher`; `田中さん`, `한국漢字` and `Tom张` pass.
 *
 * Two names are the same when they differ only in case or in width (`ALICE`,
 * `alice`, `ａｌｉｃｅ`), so nobody can pass for someone else that way.
 *
 * @module
 */

import { keepsToOneScript, type ScriptLabel, scriptsIn } from "../text/script_mix.ts";

/** Most characters (code points) in a nickname. */
export const MAX_NICK_LENGTH = 24;

/** What a newcomer's name starts with: `guest1`, `guest2`, ... in every language. */
export const GUEST_PREFIX = "guest";

/** A first character, then letters, marks, digits, "_" and "-". */
const NICK = /^[\p{L}\p{Nd}_-][\p{L}\p{M}\p{Nd}_-]*$/u;
/** A guest number as the name key writes it: no sign, no leading zero. */
const GUEST_KEY = new RegExp(`^${GUEST_PREFIX}([1-9][0-9]*)$`);

/**
 * Why a name cannot be used: it breaks the rule of letters, digits, "_" and
 * "-" (`"form"`), or it mixes scripts (`"scripts"`, with the ones it mixes).
 */
export type NickProblem =
  | { kind: "form" }
  | { kind: "scripts"; scripts: ScriptLabel[] };

/**
 * Tells whether `name` may be used as a nickname.
 *
 * @param name A name as typed after `/nick`.
 * @returns True for 1 to 24 letters, digits, "_" or "-", in one script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidNick } from "./chat_names.ts";
 * assert(isValidNick("张三"));
 * assert(!isValidNick("a b"));
 * assert(!isValidNick("w\u0430tcher")); // a Cyrillic "а"
 * ```
 */
export function isValidNick(name: string): boolean {
  return hasNickForm(name) && keepsToOneScript(name);
}

/**
 * Says why a name cannot be used, for the line that refuses it.
 *
 * @param name A name as typed after `/nick`.
 * @returns The problem, or null when the name is valid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nickProblem } from "./chat_names.ts";
 * assert.equal(nickProblem("ann"), null);
 * assert.deepEqual(nickProblem("a b"), { kind: "form" });
 * assert.deepEqual(nickProblem("w\u0430tcher"), { kind: "scripts", scripts: ["Latin", "Cyrillic"] });
 * ```
 */
export function nickProblem(name: string): NickProblem | null {
  if (!hasNickForm(name)) return { kind: "form" };
  return keepsToOneScript(name) ? null : { kind: "scripts", scripts: scriptsIn(name) };
}

/** 1 to 24 letters, marks, digits, "_" or "-", whatever their scripts. */
function hasNickForm(name: string): boolean {
  // A code point takes at most two UTF-16 units: a longer string is too long anyway.
  if (name.length === 0 || name.length > 2 * MAX_NICK_LENGTH) return false;
  return NICK.test(name) && [...name].length <= MAX_NICK_LENGTH;
}

/**
 * The form under which names are compared: two names with the same key are
 * the same name. Width variants are folded (NFKC), then case, both ways so
 * that `ß` matches `SS` and `ς` matches `Σ`.
 *
 * @param name A valid nickname.
 * @returns Its key; not meant to be shown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nickKey } from "./chat_names.ts";
 * assert.equal(nickKey("Alice"), nickKey("ａｌｉｃｅ"));
 * ```
 */
export function nickKey(name: string): string {
  return name.normalize("NFKC").toUpperCase().toLowerCase();
}

/**
 * The names in use and who holds each, looked up ignoring case; and the
 * lowest free guest name. Holders are whatever the caller uses for a person
 * (the room uses its members).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NickRegistry } from "./chat_names.ts";
 * const names = new NickRegistry<string>();
 * names.add(names.nextGuestName(), "first");
 * names.add("Guest2", "second"); // a name someone chose
 * assert.equal(names.nextGuestName(), "guest3");
 * assert.equal(names.holderOf("GUEST1"), "first");
 * ```
 */
export class NickRegistry<T> {
  /** Holder of each name, by {@linkcode nickKey}. */
  readonly #holders = new Map<string, T>();
  /** Every guest number below this one is taken, so the search for a free one starts here. */
  #lowestFreeGuest = 1;

  /**
   * Finds who holds a name.
   *
   * @param name Any text; compared ignoring case and width.
   * @returns The holder, or undefined when the name is free.
   */
  holderOf(name: string): T | undefined {
    return this.#holders.get(nickKey(name));
  }

  /**
   * Records that `holder` now holds `name`.
   *
   * @param name A valid nickname.
   * @param holder Who holds it.
   * @throws {Error} If someone else holds the name (check with {@linkcode NickRegistry.holderOf} first).
   */
  add(name: string, holder: T): void {
    const key = nickKey(name);
    const current = this.#holders.get(key);
    if (current !== undefined && current !== holder) {
      throw new Error(`Cannot add the name "${name}": it is taken`);
    }
    this.#holders.set(key, holder);
  }

  /**
   * Frees a name (its holder left or took another one).
   *
   * @param name The name as it was added, or any case of it.
   */
  delete(name: string): void {
    const key = nickKey(name);
    if (!this.#holders.delete(key)) return;
    const guest = GUEST_KEY.exec(key);
    if (guest !== null) this.#lowestFreeGuest = Math.min(this.#lowestFreeGuest, Number(guest[1]));
  }

  /**
   * The lowest-numbered guest name nobody holds, in any case. It is not
   * taken until {@linkcode NickRegistry.add} is called with it.
   *
   * @returns A name such as `guest3`.
   */
  nextGuestName(): string {
    // Each number is passed over once until a name below it is freed: no rescan from 1 per join.
    while (this.#holders.has(GUEST_PREFIX + this.#lowestFreeGuest)) this.#lowestFreeGuest++;
    return GUEST_PREFIX + this.#lowestFreeGuest;
  }
}
