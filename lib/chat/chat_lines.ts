/**
 * How chat mode's lines look on the wire, as UTF-8 frames of whole lines:
 *
 * - `*** text`: a line the server writes itself (welcome, notices, command
 *   output, errors). Nothing else starts with `*** `: a person's lines start
 *   with `[` or with `* ` and a name, and no name holds a `*`.
 * - `[nick] text`, `* nick text` (/me) and `[from -> to] text` (/msg): a
 *   person's text after a prefix the server wrote.
 *
 * A person's text is shown with its control characters made visible
 * ({@linkcode visibleText}), so it stays on its line and cannot act on the
 * reader's terminal. Names need no such care: the name rule allows none.
 *
 * @module
 */

import { isTerminalControl, visibleForm } from "../text/char_width.ts";
import { ACTION_PREFIX, NOTICE_PREFIX } from "../text/texts.ts";
import type { ChatEvent } from "./chat_events.ts";
import type { ChatTexts } from "./chat_texts.ts";

const TAB = 0x09; // the one control character shown as it is: it only moves along its line
const encoder = new TextEncoder();

/**
 * A server line, or several (for /help): each starts with `*** `.
 *
 * @param text Server text; a "\n" in it starts another line.
 * @returns The encoded lines, each ending in "\n".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { noticeFrame } from "./chat_lines.ts";
 * assert.equal(new TextDecoder().decode(noticeFrame("one\ntwo")), "*** one\n*** two\n");
 * ```
 */
export function noticeFrame(text: string): Uint8Array {
  return encoder.encode(NOTICE_PREFIX + text.replaceAll("\n", "\n" + NOTICE_PREFIX) + "\n");
}

/**
 * The line a person's text becomes: `[nick] text`.
 *
 * @param nick The sender's name.
 * @param text What it sent, as sent.
 * @returns The encoded line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textFrame } from "./chat_lines.ts";
 * assert.equal(new TextDecoder().decode(textFrame("ann", "hi\x1b[2J")), "[ann] hi^[[2J\n");
 * ```
 */
export function textFrame(nick: string, text: string): Uint8Array {
  return textLines(nick, [text]);
}

/**
 * Several lines of one person in one frame, encoded at once: the lines of
 * one read go to each receiver as one write.
 *
 * @param nick The sender's name.
 * @param texts What it sent, in order, as sent.
 * @returns The encoded lines, each `[nick] text`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textLines } from "./chat_lines.ts";
 * assert.equal(new TextDecoder().decode(textLines("ann", ["a", "b"])), "[ann] a\n[ann] b\n");
 * ```
 */
export function textLines(nick: string, texts: readonly string[]): Uint8Array {
  const prefix = `[${nick}] `;
  let lines = "";
  for (const text of texts) lines += prefix + visibleText(text) + "\n";
  return encoder.encode(lines);
}

/**
 * The line of a `/me`: `* nick text`.
 *
 * @param nick Who does it.
 * @param text What it does, as sent.
 * @returns The encoded line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { actionFrame } from "./chat_lines.ts";
 * assert.equal(new TextDecoder().decode(actionFrame("ann", "waves")), "* ann waves\n");
 * ```
 */
export function actionFrame(nick: string, text: string): Uint8Array {
  return encoder.encode(`${ACTION_PREFIX}${nick} ${visibleText(text)}\n`);
}

/**
 * The line of a `/msg`: `[from -> to] text`, the same for both ends.
 *
 * @param from The sender's name.
 * @param to The addressee's name.
 * @param text The message, as sent.
 * @returns The encoded line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { privateFrame } from "./chat_lines.ts";
 * assert.equal(new TextDecoder().decode(privateFrame("ann", "bob", "psst")), "[ann -> bob] psst\n");
 * ```
 */
export function privateFrame(from: string, to: string, text: string): Uint8Array {
  return encoder.encode(`[${from} -> ${to}] ${visibleText(text)}\n`);
}

/**
 * A person's text as it may be shown to others: each character that would act
 * on a terminal (C0 but tab, DEL, C1, bidi controls, U+2028 and U+2029: see
 * `isTerminalControl()`) in its visible form (`^[`, `<U+202E>`).
 *
 * @param text Text as a member sent it.
 * @returns The same text when it has no such character (no copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { visibleText } from "./chat_lines.ts";
 * assert.equal(visibleText("a\u202eb\tc"), "a<U+202E>b\tc");
 * ```
 */
export function visibleText(text: string): string {
  let shown = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    // Every such character is in the BMP: UTF-16 units are enough.
    const code = text.charCodeAt(i);
    // Printable ASCII first: most text is, and this test alone made the scan 2.5x faster.
    if ((code >= 0x20 && code < 0x7f) || code === TAB || !isTerminalControl(code)) continue;
    shown += text.slice(copied, i) + visibleForm(code);
    copied = i + 1;
  }
  return copied === 0 ? text : shown + text.slice(copied);
}

/**
 * Joins frames into one, so that several lines for one member (a newcomer's
 * welcome and history) cost one delivery.
 *
 * @param frames Frames of whole lines; not changed.
 * @returns Their bytes in order; the frame itself when there is only one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinFrames, noticeFrame } from "./chat_lines.ts";
 * const joined = joinFrames([noticeFrame("a"), noticeFrame("b")]);
 * assert.equal(new TextDecoder().decode(joined), "*** a\n*** b\n");
 * ```
 */
export function joinFrames(frames: readonly Uint8Array[]): Uint8Array {
  if (frames.length === 1) return frames[0]!;
  let length = 0;
  for (const frame of frames) length += frame.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const frame of frames) {
    joined.set(frame, at);
    at += frame.length;
  }
  return joined;
}

/**
 * The line everyone sees of a room event, in the room's language: a notice
 * for a join, leave or rename, the member's lines for what it said or did.
 * A leave's own reason (a /quit text) is made visible like any text.
 *
 * @param event What happened.
 * @param texts The room's texts.
 * @returns The frame: one or more lines, each ending in "\n".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventFrame } from "./chat_lines.ts";
 * import { CHAT_TEXTS } from "./chat_texts.ts";
 * const left = { kind: "left", nick: "ann", reason: "idle", detail: null } as const;
 * assert.equal(new TextDecoder().decode(eventFrame(left, CHAT_TEXTS.en)), "*** ann left (idle)\n");
 * ```
 */
export function eventFrame(event: ChatEvent, texts: ChatTexts): Uint8Array {
  switch (event.kind) {
    case "joined":
      return noticeFrame(texts.chatJoined(event.nick));
    case "left": {
      if (event.reason === "removed" && event.by !== undefined) {
        const why = event.detail === null ? null : visibleText(event.detail);
        return noticeFrame(texts.chatRemoved(event.nick, event.by, why));
      }
      const reason = event.detail !== null
        ? visibleText(event.detail)
        : event.reason === null || event.reason === "quit"
        ? null
        : texts.chatLeaveReason(event.reason);
      return noticeFrame(texts.chatLeft(event.nick, reason));
    }
    case "renamed":
      return noticeFrame(texts.chatRenamed(event.from, event.to));
    case "said":
      return textLines(event.nick, event.texts);
    case "acted":
      return actionFrame(event.nick, event.text);
  }
}
