/**
 * Telling a session that the server turned away from a good one. server.ts
 * ends a connection with one last line when it refuses a client: "Server
 * busy" at its connection limit, "Message too long" over `--max-line`. Both
 * look like a normal close on the wire, so the client looks at the last line
 * before the close and exits 1 when it is one of those, so a script can tell.
 *
 * @module
 */

import { NOTICE_PREFIX, TEXTS } from "../text/texts.ts";
import { CHAT_TEXTS } from "../chat/chat_texts.ts";

const LF = 0x0a; // ends a line
/** Longest line worth keeping: the server's notices are far shorter. */
const MAX_NOTICE_BYTES = 512;

/**
 * Tells whether `line` is one of server.ts's refusals, in any language.
 *
 * @param line A line as received, without its "\n" (a "\r" before it is ignored).
 * @returns True for the "server busy" and "message too long" lines, those
 *   of the limits per address, and a room key's (wrong, or none in time).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TEXTS } from "../text/texts.ts";
 * import { isRefusalNotice } from "./refusal_notice.ts";
 * assert(isRefusalNotice(TEXTS.zh.tooManyClients(1000)));
 * assert(!isRefusalNotice("Server received: Server busy"));
 * ```
 */
export function isRefusalNotice(line: string): boolean {
  let text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (text.startsWith(NOTICE_PREFIX)) text = text.slice(NOTICE_PREFIX.length); // chat mode's form
  // The notices quote a number (the limit): try each number in the line.
  const numbers = text.match(/\d+/g) ?? [];
  for (const chat of Object.values(CHAT_TEXTS)) {
    if (text === chat.chatWrongRoomKey) return true;
    if (numbers.some((number) => chat.chatNoRoomKey(Number(number)) === text)) return true;
  }
  for (const texts of Object.values(TEXTS)) {
    const notices = [
      texts.tooManyClients,
      texts.lineTooLong,
      texts.tooManyFromAddress,
      texts.tooManyJoins,
    ];
    for (const notice of notices) {
      if (numbers.some((number) => notice(Number(number)) === text)) return true;
    }
  }
  return false;
}

/**
 * Keeps the last line of a byte stream, whatever the reads are, in bounded
 * memory: a line longer than any notice is not kept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LastLine } from "./refusal_notice.ts";
 * const last = new LastLine();
 * const bytes = new TextEncoder().encode("one\ntw");
 * last.push(bytes);
 * last.push(new TextEncoder().encode("o\n"));
 * assert.equal(last.text, "two");
 * ```
 */
export class LastLine {
  /** Bytes after the last "\n", or null once they are too many to be a notice. */
  #open: Uint8Array | null = new Uint8Array(0);
  /** The last complete line, or null if it was too long. */
  #closed: Uint8Array | null = new Uint8Array(0);

  /**
   * Adds the bytes of one read.
   *
   * @param bytes What was read; not kept.
   */
  push(bytes: Uint8Array): void {
    const lastLf = bytes.lastIndexOf(LF);
    if (lastLf === -1) {
      this.#open = this.#extend(this.#open, bytes);
      return;
    }
    // lastIndexOf(LF, -1) would search from the end again and find the same LF
    const previousLf = lastLf === 0 ? -1 : bytes.lastIndexOf(LF, lastLf - 1);
    this.#closed = previousLf === -1
      ? this.#extend(this.#open, bytes.subarray(0, lastLf))
      : this.#extend(new Uint8Array(0), bytes.subarray(previousLf + 1, lastLf));
    this.#open = this.#extend(new Uint8Array(0), bytes.subarray(lastLf + 1));
  }

  /** The last line: the unterminated rest if there is one, else the last whole line. */
  get text(): string {
    const bytes = this.#open === null || this.#open.length > 0 ? this.#open : this.#closed;
    return bytes === null ? "" : new TextDecoder().decode(bytes);
  }

  #extend(start: Uint8Array | null, more: Uint8Array): Uint8Array | null {
    if (start === null || start.length + more.length > MAX_NOTICE_BYTES) return null;
    const joined = new Uint8Array(start.length + more.length);
    joined.set(start);
    joined.set(more, start.length);
    return joined;
  }
}
