/**
 * The reply of reply mode: a template such as "Server received: {msg}" turned
 * into bytes once, then filled with each message's bytes.
 *
 * @module
 */

import type { OutputBuffer } from "../stream/output_buffer.ts";

/** What stands for the message in a template. */
export const MESSAGE_PLACEHOLDER = "{msg}";

/**
 * A reply template, encoded once: the parts around each `{msg}`, with the
 * final "\n" joined to the last part so a reply costs as few copies as it can.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OutputBuffer } from "../stream/output_buffer.ts";
 * import { ReplyTemplate } from "./reply_template.ts";
 * const out = new OutputBuffer();
 * const message = new TextEncoder().encode("hi");
 * new ReplyTemplate("Server received: {msg}").renderInto(out, message, 0, message.length);
 * assert.equal(new TextDecoder().decode(out.take()), "Server received: hi\n");
 * ```
 */
export class ReplyTemplate {
  /** Text before the first `{msg}`, or null when empty. */
  readonly #head: Uint8Array | null;
  /** Text after each `{msg}`; the last one ends with "\n". */
  readonly #rest: Uint8Array[];

  /**
   * Encodes the template.
   *
   * @param template Text with any number of `{msg}`.
   */
  constructor(template: string) {
    const encoder = new TextEncoder();
    const parts = template.split(MESSAGE_PLACEHOLDER);
    parts[parts.length - 1] += "\n";
    const head = encoder.encode(parts[0]!);
    this.#head = head.length > 0 ? head : null;
    this.#rest = parts.slice(1).map((part) => encoder.encode(part));
  }

  /**
   * Appends the reply to one message, ending with "\n".
   *
   * @param out Where the reply goes.
   * @param source Holds the message's bytes (valid UTF-8).
   * @param start Where the message starts in `source`.
   * @param end Where it ends (exclusive).
   */
  renderInto(out: OutputBuffer, source: Uint8Array, start: number, end: number): void {
    if (this.#head !== null) out.append(this.#head);
    const rest = this.#rest;
    for (let i = 0; i < rest.length; i++) {
      out.appendRange(source, start, end);
      const part = rest[i]!;
      if (part.length > 0) out.append(part);
    }
  }
}
