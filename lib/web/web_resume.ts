/**
 * A page that reconnects comes back under its name: the resume token, how
 * the page sends it, and the desk that keeps each page's token and, for a
 * while after its connection dropped, its name.
 *
 * After joining, a page that asked for it (it offered the
 * {@linkcode PAGE_PROTOCOL} subprotocol) gets `{"resume": TOKEN}`: 32 random
 * bytes (256 bits) in base64url. It keeps the token in `sessionStorage` (the
 * tab only, never in the URL) and offers it when it reconnects, in the
 * `Sec-WebSocket-Protocol` header (`resume.TOKEN`), with the id of the last
 * line it showed (`after.ID`) and its name (`nick.BASE64URL`, for a server
 * that restarted and knows no token). The header, not a first message: the
 * server knows at the upgrade who is back, so the member joins at once,
 * under its name, and a client that sends nothing still joins as before.
 *
 * The desk keeps the SHA-256 of each token, not the token; a token offered
 * is hashed and looked up, and the two hashes compared in constant time
 * (`timingSafeEqual()`): how long a look-up takes tells nothing about a
 * token. Only the page holds its token, so nobody else can take its name.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { LINE_ID } from "../chat/chat_history.ts";

/** The subprotocol a page offers that can come back; the server answers with it. */
export const PAGE_PROTOCOL = "tcp-toolkit";

/**
 * How long the name of a page whose connection dropped (not closed
 * properly) is kept for it: its page retries after about 1, 2, 4, 8 s, so
 * a dropped phone is back within this without anyone seeing it leave; a
 * page that is really gone is announced as leaving after it.
 */
export const GRACE_MS = 30_000;

/**
 * Most names kept for dropped pages at once: a client that opens and drops
 * connections fast cannot fill the room with names kept for nobody (past
 * it, a dropped page leaves at once, as before).
 */
export const MAX_HELD = 1000;

/** A token's length: 32 bytes in base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Most bytes of a name sent in the header (a name has at most 32 characters of 4 bytes). */
const MAX_NICK_BYTES = 128;

/** What a page coming back offers (none of it trusted: checked here and by the room). */
export interface ResumeRequest {
  /** Its token, or null (a first visit, or a server that restarted). */
  token: string | null;
  /** The id of the last history line it showed, or null. */
  after: string | null;
  /** The name it had, or null. */
  nick: string | null;
}

/**
 * Reads a page's `Sec-WebSocket-Protocol` header.
 *
 * @param header The header's value, or null.
 * @returns What it asks for, or null when it does not offer {@linkcode PAGE_PROTOCOL}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResumeProtocols } from "./web_resume.ts";
 * assert.deepEqual(parseResumeProtocols("tcp-toolkit, after.ab.1, nick.YW5u"), {
 *   token: null,
 *   after: "ab.1",
 *   nick: "ann",
 * });
 * assert.equal(parseResumeProtocols(null), null);
 * ```
 */
export function parseResumeProtocols(header: string | null): ResumeRequest | null {
  if (header === null) return null;
  const offered = header.split(",").map((item) => item.trim());
  if (!offered.includes(PAGE_PROTOCOL)) return null;
  const request: ResumeRequest = { token: null, after: null, nick: null };
  for (const item of offered) {
    const dot = item.indexOf(".");
    const [kind, value] = [item.slice(0, dot), item.slice(dot + 1)];
    if (kind === "resume" && TOKEN.test(value)) request.token = value;
    else if (kind === "after" && LINE_ID.test(value)) request.after = value;
    else if (kind === "nick") request.nick = decodeNick(value);
  }
  return request;
}

/** A name in base64url of its UTF-8; null when it is not one. */
function decodeNick(value: string): string | null {
  if (value.length > Math.ceil(MAX_NICK_BYTES / 3) * 4 || !/^[A-Za-z0-9_-]+$/.test(value)) {
    return null;
  }
  try {
    const base64 = value.replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The SHA-256 of a token: what the desk (and, with `--redis`, Redis) keeps.
 *
 * @param token A token.
 * @returns Its hash in hex.
 */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A page's token, and its name's grace period while it is away. */
interface Held<M> {
  member: M;
  /** The token's SHA-256. */
  hash: Uint8Array;
  /** The same in hex: the key of `#byHash`. */
  key: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The tokens of the pages of one server, and the names kept for pages that
 * dropped. One per web port; {@linkcode ResumeDesk.close} when it closes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResumeDesk } from "./web_resume.ts";
 * const desk = new ResumeDesk<string>();
 * const token = desk.issue("old page");
 * assert.equal(desk.holderOf(token), "old page");
 * desk.moveTo("old page", "new page");
 * assert.equal(desk.holderOf(token), "new page");
 * desk.close();
 * assert.equal(desk.holderOf(token), undefined);
 * ```
 */
export class ResumeDesk<M> {
  readonly #graceMs: number;
  /** By the token's hash in hex. */
  readonly #byHash = new Map<string, Held<M>>();
  readonly #ofMember = new Map<M, Held<M>>();
  /** How many are in their grace period now. */
  #holding = 0;

  /**
   * An empty desk.
   *
   * @param graceMs How long a dropped page's name is kept ({@linkcode GRACE_MS}).
   */
  constructor(graceMs: number = GRACE_MS) {
    this.#graceMs = graceMs;
  }

  /**
   * A fresh token for a member (its earlier one, if any, stops working).
   *
   * @param member A page's member, in the room.
   * @returns The token, for the page.
   */
  issue(member: M): string {
    this.forget(member);
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const token = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
      .replace(/=+$/, "");
    this.adopt(member, token);
    return token;
  }

  /**
   * Takes a token another server issued (`--redis`: the page came back here).
   *
   * @param member The member the page is now.
   * @param token Its token.
   */
  adopt(member: M, token: string): void {
    this.forget(member);
    const hash = createHash("sha256").update(token).digest();
    const held: Held<M> = { member, hash, key: hash.toString("hex"), timer: undefined };
    this.#byHash.set(held.key, held);
    this.#ofMember.set(member, held);
  }

  /**
   * The member a token was issued to.
   *
   * @param token What a page offered.
   * @returns The member, or undefined for a token not (or no longer) known here.
   */
  holderOf(token: string): M | undefined {
    const hash = createHash("sha256").update(token).digest();
    const held = this.#byHash.get(hash.toString("hex"));
    return held !== undefined && timingSafeEqual(held.hash, hash) ? held.member : undefined;
  }

  /**
   * The token of `old` now stands for `fresh` (the page came back); the
   * grace period of `old`, if any, ends.
   *
   * @param old The member the token was issued to.
   * @param fresh The new connection's member.
   */
  moveTo(old: M, fresh: M): void {
    const held = this.#ofMember.get(old);
    if (held === undefined) return;
    this.#release(held);
    held.member = fresh;
    this.#ofMember.delete(old);
    this.#ofMember.set(fresh, held);
  }

  /**
   * Keeps a dropped page's name for the grace period; then `gone()` (the
   * member leaves), unless the page came back.
   *
   * @param member The member whose connection dropped.
   * @param gone Called when the grace period ends.
   * @returns False when the member has no token (it cannot come back), or
   *   {@linkcode MAX_HELD} names are kept already.
   */
  hold(member: M, gone: () => void): boolean {
    const held = this.#ofMember.get(member);
    if (held === undefined || (held.timer === undefined && this.#holding >= MAX_HELD)) {
      return false;
    }
    if (held.timer === undefined) this.#holding++;
    clearTimeout(held.timer);
    held.timer = setTimeout(() => {
      this.forget(member);
      gone();
    }, this.#graceMs);
    return true;
  }

  /**
   * Forgets a member's token (it left for good).
   *
   * @param member The member.
   */
  forget(member: M): void {
    const held = this.#ofMember.get(member);
    if (held === undefined) return;
    this.#release(held);
    this.#ofMember.delete(member);
    this.#byHash.delete(held.key);
  }

  /** Ends a grace period, if one runs. */
  #release(held: Held<M>): void {
    if (held.timer === undefined) return;
    clearTimeout(held.timer);
    held.timer = undefined;
    this.#holding--;
  }

  /** Forgets every token and grace period (the web port closes). */
  close(): void {
    for (const held of this.#ofMember.values()) this.#release(held);
    this.#ofMember.clear();
    this.#byHash.clear();
  }
}
