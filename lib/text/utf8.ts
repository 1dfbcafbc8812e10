/**
 * UTF-8 helpers for byte streams: finding where the last whole character ends,
 * and decoding that never throws.
 *
 * TCP hands over bytes in pieces of any size, so a multi-byte character can be
 * split across two reads. Code that decodes each read on its own (as the
 * tutorial's server does with `recv(512).decode()`) then crashes or prints
 * garbage. These helpers keep the bytes of a split character together.
 *
 * @module
 */

/** Decodes without `fatal`, so invalid bytes become U+FFFD instead of throwing. */
const lenientDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * Returns how many bytes at the end of `bytes` are the start of a UTF-8
 * character whose remaining bytes have not arrived yet (0 to 3).
 *
 * Bytes that can never become valid UTF-8 count as complete: they decode to
 * U+FFFD whatever follows, so holding them back would only add delay.
 *
 * @param bytes The bytes received so far.
 * @returns The length of the incomplete tail; `bytes.length - result` is a safe cut.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { incompleteTailLength } from "./utf8.ts";
 * const bytes = new TextEncoder().encode("好"); // e5 a5 bd
 * assert(incompleteTailLength(bytes.subarray(0, 2)) === 2);
 * assert(incompleteTailLength(bytes) === 0);
 * ```
 */
export function incompleteTailLength(bytes: Uint8Array): number {
  const end = bytes.length;
  // A character is at most 4 bytes, so its lead byte is within the last 3.
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = sequenceLength(byte);
    if (needed > back && continuationsFit(bytes, end - back, byte)) return back;
    return 0;
  }
  return 0;
}

/** Length of the sequence a lead byte starts, or 1 for ASCII and invalid bytes. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/**
 * Checks the second byte against the narrower ranges some lead bytes allow
 * (no overlong forms, no surrogates, nothing above U+10FFFF), so a tail that
 * is already invalid is not held back.
 */
function continuationsFit(bytes: Uint8Array, leadIndex: number, lead: number): boolean {
  if (leadIndex + 1 >= bytes.length) return true;
  const second = bytes[leadIndex + 1]!;
  if (lead === 0xe0) return second >= 0xa0;
  if (lead === 0xed) return second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90;
  if (lead === 0xf4) return second <= 0x8f;
  return true;
}

/**
 * Decodes complete UTF-8 bytes to text, turning invalid bytes into U+FFFD.
 *
 * @param bytes Bytes that hold whole characters (a complete message).
 * @returns The text; never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUtf8 } from "./utf8.ts";
 * assert(decodeUtf8(new Uint8Array([0x68, 0x69, 0xff])) === "hi\uFFFD");
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * Decodes a stream of byte chunks, keeping a character split across chunks
 * whole. Invalid bytes become U+FFFD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Utf8StreamDecoder } from "./utf8.ts";
 * const decoder = new Utf8StreamDecoder();
 * const bytes = new TextEncoder().encode("好");
 * const text = decoder.decode(bytes.subarray(0, 1)) + decoder.decode(bytes.subarray(1)) +
 *   decoder.end();
 * assert(text === "好");
 * ```
 */
export class Utf8StreamDecoder {
  #decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

  /**
   * Decodes one chunk; bytes of an unfinished character wait for the next one.
   *
   * @param chunk Only the bytes a read returned.
   * @returns The text of every character completed so far.
   */
  decode(chunk: Uint8Array): string {
    return this.#decoder.decode(chunk, { stream: true });
  }

  /**
   * Ends the stream: an unfinished character left over becomes U+FFFD.
   *
   * @returns The text of what was left, usually "".
   */
  end(): string {
    return this.#decoder.decode();
  }
}

/**
 * How many bytes `text` takes in UTF-8, without encoding it (a lone
 * surrogate counts as the 3 bytes of U+FFFD, as TextEncoder writes it).
 *
 * @param text Any text.
 * @returns Its UTF-8 length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Length } from "./utf8.ts";
 * assert.equal(utf8Length("a好😀"), 1 + 3 + 4);
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = text.length; // one per UTF-16 unit, more below
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 2; // the pair: 4 bytes for 2 units
      i++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
