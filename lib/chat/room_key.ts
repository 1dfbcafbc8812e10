/**
 * The room key (`--key-file`): what a client must give before it enters the
 * room. Over TCP it is the client's first line, after the server's line that
 * asks for it; a browser's page offers it when it connects (`web_key.ts`).
 *
 * Only the key's SHA-256 is kept, and a key given is hashed and the two
 * digests compared with `timingSafeEqual()`: how long a check takes tells
 * nothing about how much of a guess was right, nor about the key's length.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";

/** Fewest characters of a room key: shorter ones are refused at start, as a usage error. */
export const MIN_ROOM_KEY_LENGTH = 8;

/**
 * A room's key, kept as its digest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RoomKey } from "./room_key.ts";
 * const key = new RoomKey("class-7b-secret");
 * assert.equal(key.matches("class-7b-secret"), true);
 * assert.equal(key.matches(" class-7b-secret\r"), true); // as a terminal sends it
 * assert.equal(key.matches("class-7b-secreT"), false);
 * ```
 */
export class RoomKey {
  readonly #digest: Uint8Array;

  /**
   * Keeps the key's digest.
   *
   * @param key The key (the first line of `--key-file`, trimmed).
   * @throws {RangeError} For a key shorter than {@linkcode MIN_ROOM_KEY_LENGTH}.
   */
  constructor(key: string) {
    if (key.length < MIN_ROOM_KEY_LENGTH) {
      throw new RangeError(`Room key too short: ${key.length} characters`);
    }
    this.#digest = digest(key);
  }

  /**
   * Whether `given` is the key, once trimmed (a terminal's "\r", a pasted
   * space); in a time that does not depend on where they differ.
   *
   * @param given What a client sent.
   * @returns True for the key.
   */
  matches(given: string): boolean {
    return timingSafeEqual(digest(given.trim()), this.#digest);
  }
}

function digest(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf8").digest();
}
