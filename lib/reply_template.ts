/**
 * The reply of reply mode: a template such as "Server received: {msg}" turned
 * into bytes once, then filled with each message's bytes.
 *
 * @module
 */

/** What stands for the message in a template. */
export const MESSAGE_PLACEHOLDER = "{msg}";

const LF = new Uint8Array([0x0a]); // every reply ends a line

/**
 * A reply template, encoded once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReplyTemplate } from "./reply_template.ts";
 * const template = new ReplyTemplate("Server received: {msg}");
 * const parts: Uint8Array[] = [];
 * template.render(new TextEncoder().encode("hi"), (bytes) => parts.push(bytes.slice()));
 * assert(new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p]))) ===
 *   "Server received: hi\n");
 * ```
 */
export class ReplyTemplate {
  readonly #parts: Uint8Array[];

  /**
   * Encodes the template.
   *
   * @param template Text with any number of `{msg}`.
   */
  constructor(template: string) {
    const encoder = new TextEncoder();
    this.#parts = template.split(MESSAGE_PLACEHOLDER).map((part) => encoder.encode(part));
  }

  /**
   * Produces the reply to one message, piece by piece, ending with "\n".
   *
   * @param message The message's bytes (valid UTF-8).
   * @param write Receives each piece; pieces may be views of shared buffers.
   */
  render(message: Uint8Array, write: (bytes: Uint8Array) => void): void {
    const parts = this.#parts;
    write(parts[0]!);
    for (let i = 1; i < parts.length; i++) {
      write(message);
      write(parts[i]!);
    }
    write(LF);
  }
}
