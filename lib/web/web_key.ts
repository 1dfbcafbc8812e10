/**
 * The room key (`--key-file`) at the web door. The page offers the key when
 * it connects, as a WebSocket subprotocol beside its resume token
 * (`key.BASE64URL` of the key's UTF-8, `web_resume.ts`), and the server
 * checks it at the upgrade, before the browser is anyone in the room:
 *
 * - the header, not a first message: nothing the page sends can reach the
 *   room before its key is checked (a page whose server has no key offers
 *   it harmlessly: an unknown subprotocol item is ignored), and a page whose
 *   user is typing the key holds no connection open, so it needs no
 *   deadline;
 * - a page without a key gets `{"lines": "*** …", "key": "needed"}` and is
 *   closed at once (code {@linkcode KEY_CLOSE_CODE}), not logged: that is
 *   how every first visit starts; it asks for the key in a field;
 * - a wrong key gets `{"lines": "*** …", "key": "wrong"}`, a log line in the
 *   limits' form, and the close a second later, as over TCP.
 *
 * The key travels in the request's header, over WSS with `--tls-cert`; it is
 * never in the URL and this server never logs it (a proxy in front that
 * logged WebSocket headers would see it, as it would see the resume token).
 *
 * @module
 */

import { PAGE_PROTOCOL } from "./web_resume.ts";

/** WebSocket close code (ours, 4000 to 4999) for a page without the room's key, or a wrong one. */
export const KEY_CLOSE_CODE = 4001;

/** Most bytes of a key offered: keys are far shorter; a longer offer is no key. */
export const MAX_OFFERED_KEY_BYTES = 1024;

/** Why a page is asked for the key again. */
export type KeyRefusal = "needed" | "wrong";

/**
 * The key a page offers in its `Sec-WebSocket-Protocol` header.
 *
 * @param header The header's value, or null.
 * @returns The key, or null when the page offers none (or none that could be one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { offeredKey } from "./web_key.ts";
 * assert.equal(offeredKey("tcp-toolkit, key.Y2xhc3MtN2Itc2VjcmV0"), "class-7b-secret");
 * assert.equal(offeredKey("tcp-toolkit"), null);
 * assert.equal(offeredKey("key.Y2xhc3MtN2Itc2VjcmV0"), null); // not the page's protocol
 * ```
 */
export function offeredKey(header: string | null): string | null {
  if (header === null) return null;
  const offered = header.split(",").map((item) => item.trim());
  if (!offered.includes(PAGE_PROTOCOL)) return null;
  const item = offered.find((item) => item.startsWith("key."));
  if (item === undefined) return null;
  const value = item.slice(4);
  if (value.length > Math.ceil(MAX_OFFERED_KEY_BYTES / 3) * 4 || !/^[A-Za-z0-9_-]+$/.test(value)) {
    return null;
  }
  try {
    const bytes = Uint8Array.from(
      atob(value.replaceAll("-", "+").replaceAll("_", "/")),
      (char) => char.charCodeAt(0),
    );
    if (bytes.length > MAX_OFFERED_KEY_BYTES) return null;
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The page's message asking for the key: the server's line, and why.
 *
 * @param line The server's line (with its `*** `), without "\n".
 * @param why `needed` (no key offered) or `wrong`.
 * @returns The message's text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyMessage } from "./web_key.ts";
 * assert.equal(keyMessage("*** Wrong key", "wrong"), '{"lines":"*** Wrong key\\n","key":"wrong"}');
 * ```
 */
export function keyMessage(line: string, why: KeyRefusal): string {
  return JSON.stringify({ lines: line + "\n", key: why });
}
