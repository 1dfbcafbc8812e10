/**
 * Building and comparing byte arrays in tests.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * The bytes of `parts` joined: text as UTF-8, an array of numbers as those
 * bytes, so a test can put bytes that are not UTF-8 between pieces of text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytes } from "./bytes.ts";
 * assert.deepEqual([...bytes("a", [0xff], "好")], [0x61, 0xff, 0xe5, 0xa5, 0xbd]);
 * ```
 *
 * @param parts Text and bytes, in order.
 * @returns A new array.
 */
export function bytes(...parts: (string | readonly number[])[]): Uint8Array<ArrayBuffer> {
  return concatBytes(
    parts.map((part) => typeof part === "string" ? encoder.encode(part) : new Uint8Array(part)),
  );
}

/**
 * Joins byte arrays into one new array.
 *
 * @param parts The arrays, in order.
 * @returns Their bytes one after the other.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The SHA-256 digest of `data`, to compare large byte arrays with a short message.
 *
 * @param data The bytes.
 * @returns The digest as 64 lower-case hex digits.
 */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Cuts `stream` into reads at the given offsets, as a socket or a terminal may
 * deliver it: property tests feed every such split to code that must not care.
 *
 * @param stream The whole stream.
 * @param cuts Offsets, in any order; taken modulo `stream.length + 1`, duplicates allowed.
 * @returns The pieces, in order; some may be empty.
 */
export function splitAt(stream: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
  const reads: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, stream.length]) {
    reads.push(stream.subarray(start, point));
    start = point;
  }
  return reads;
}
