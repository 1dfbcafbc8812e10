/**
 * The line being typed at the prompt, and what each key does to it: insert,
 * delete, move by characters and words, kill and yank, and a history of the
 * lines sent. It only keeps state: drawing it is `prompt_view.ts`'s job.
 *
 * The line is an array of code points, so the cursor never stands inside a
 * surrogate pair, and a long paste is appended in time proportional to its
 * length (a string edited in place would be copied on every keystroke).
 *
 * @module
 */

import { charWidth } from "../text/char_width.ts";
import type { EditAction } from "./key_decoder.ts";

/** Options for {@linkcode LineEditor}. */
export interface LineEditorOptions {
  /**
   * Lines kept in the history (the Up key).
   *
   * @default {1000}
   */
  historySize?: number;
}

/** What an action did, so the view redraws as little as it can. */
export type EditResult =
  /** Nothing changed. */
  | { kind: "none" }
  /** Text was added at the end of the line, with the cursor after it. */
  | { kind: "appended"; text: string }
  /** The cursor moved or the line changed in some other way: redraw. */
  | { kind: "changed" }
  /** Enter: the line to send; the editor is empty again. */
  | { kind: "submit"; line: string }
  /** Ctrl+D on an empty line. */
  | { kind: "eof" }
  /** Ctrl+C as a byte. */
  | { kind: "interrupt" }
  /** Ctrl+L. */
  | { kind: "clearScreen" }
  /** Ctrl+Z. */
  | { kind: "suspend" };

const NONE: EditResult = { kind: "none" };
const CHANGED: EditResult = { kind: "changed" };

/**
 * The line being edited.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineEditor } from "./line_editor.ts";
 * const editor = new LineEditor();
 * editor.apply({ kind: "insert", text: "good bo" });
 * editor.apply({ kind: "insert", text: "e" });
 * editor.apply({ kind: "deleteBack" });
 * editor.apply({ kind: "insert", text: "y" });
 * assert.deepEqual(editor.apply({ kind: "submit" }), { kind: "submit", line: "good boy" });
 * editor.apply({ kind: "historyBack" });
 * assert.equal(editor.text, "good boy");
 * ```
 */
export class LineEditor {
  /** The line, one code point per element. */
  #chars: string[] = [];
  /** Index in `#chars` the cursor stands before. */
  #cursor = 0;
  /** Lines sent, oldest first. */
  readonly #history: string[] = [];
  readonly #historySize: number;
  /** Which history entry is shown: `#history.length` means the line being typed. */
  #historyAt = 0;
  /** The line being typed, kept while the user looks through the history. */
  #draft: string[] = [];
  /** The last text cut with a kill key, for Ctrl+Y. */
  #killed = "";

  /**
   * Starts with an empty line and history.
   *
   * @param options See {@linkcode LineEditorOptions}.
   */
  constructor(options: LineEditorOptions = {}) {
    this.#historySize = options.historySize ?? 1000;
  }

  /** The line as typed. */
  get text(): string {
    return this.#chars.join("");
  }

  /** The line, one code point per element; do not change it. */
  get chars(): readonly string[] {
    return this.#chars;
  }

  /** Where the cursor is, as an index into {@linkcode chars}. */
  get cursor(): number {
    return this.#cursor;
  }

  /**
   * Applies one action.
   *
   * @param action From the key decoder.
   * @returns What changed; see {@linkcode EditResult}.
   */
  apply(action: EditAction): EditResult {
    const chars = this.#chars;
    switch (action.kind) {
      case "insert":
        return this.#insert(action.text);
      case "submit":
        return this.#submit();
      case "eof":
        if (chars.length === 0) return { kind: "eof" };
        return this.#deleteRange(this.#cursor, this.#nextStop(this.#cursor), false);
      case "deleteForward":
        return this.#deleteRange(this.#cursor, this.#nextStop(this.#cursor), false);
      case "deleteBack":
        return this.#deleteRange(this.#previousStop(this.#cursor), this.#cursor, false);
      case "left":
        return this.#moveTo(this.#previousStop(this.#cursor));
      case "right":
        return this.#moveTo(this.#nextStop(this.#cursor));
      case "wordLeft":
        return this.#moveTo(this.#wordStart(this.#cursor));
      case "wordRight":
        return this.#moveTo(this.#wordEnd(this.#cursor));
      case "home":
        return this.#moveTo(0);
      case "end":
        return this.#moveTo(chars.length);
      case "killToStart":
        return this.#deleteRange(0, this.#cursor, true);
      case "killToEnd":
        return this.#deleteRange(this.#cursor, chars.length, true);
      case "killWordBack":
        return this.#deleteRange(this.#wordStart(this.#cursor), this.#cursor, true);
      case "killWordForward":
        return this.#deleteRange(this.#cursor, this.#wordEnd(this.#cursor), true);
      case "yank":
        return this.#killed === "" ? NONE : this.#insert(this.#killed);
      case "historyBack":
        return this.#showHistory(this.#historyAt - 1);
      case "historyForward":
        return this.#showHistory(this.#historyAt + 1);
      case "clearScreen":
        return { kind: "clearScreen" };
      case "interrupt":
        return { kind: "interrupt" };
      case "suspend":
        return { kind: "suspend" };
    }
  }

  #insert(text: string): EditResult {
    const added = Array.from(text); // by code point: never split a surrogate pair
    const atEnd = this.#cursor === this.#chars.length;
    if (atEnd) {
      // push in slices: spreading a 64 KiB paste into one call would overflow the stack
      for (let i = 0; i < added.length; i += 8192) this.#chars.push(...added.slice(i, i + 8192));
    } else {
      // concat, not splice(...added): a spread of a long paste or yank overflows the stack
      const chars = this.#chars;
      this.#chars = chars.slice(0, this.#cursor).concat(added, chars.slice(this.#cursor));
    }
    this.#cursor += added.length;
    return atEnd ? { kind: "appended", text } : CHANGED;
  }

  #submit(): EditResult {
    const line = this.text;
    if (line !== "" && this.#history.at(-1) !== line) {
      this.#history.push(line);
      if (this.#history.length > this.#historySize) this.#history.shift();
    }
    this.#chars = [];
    this.#cursor = 0;
    this.#draft = [];
    this.#historyAt = this.#history.length;
    return { kind: "submit", line };
  }

  #moveTo(index: number): EditResult {
    if (index === this.#cursor) return NONE;
    this.#cursor = index;
    return CHANGED;
  }

  #deleteRange(start: number, end: number, kill: boolean): EditResult {
    if (start >= end) return NONE;
    const removed = this.#chars.splice(start, end - start);
    if (kill) this.#killed = removed.join("");
    this.#cursor = start;
    return CHANGED;
  }

  #showHistory(index: number): EditResult {
    if (index < 0 || index > this.#history.length || index === this.#historyAt) return NONE;
    if (this.#historyAt === this.#history.length) this.#draft = this.#chars;
    this.#historyAt = index;
    this.#chars = index === this.#history.length ? this.#draft : Array.from(this.#history[index]!);
    this.#cursor = this.#chars.length;
    return CHANGED;
  }

  /** The cursor stop after `index`: combining marks stay with the character before them. */
  #nextStop(index: number): number {
    const chars = this.#chars;
    if (index >= chars.length) return index;
    let next = index + 1;
    while (next < chars.length && charWidth(chars[next]!.codePointAt(0)!) === 0) next++;
    return next;
  }

  /** The cursor stop before `index`. */
  #previousStop(index: number): number {
    const chars = this.#chars;
    let previous = index - 1;
    while (previous > 0 && charWidth(chars[previous]!.codePointAt(0)!) === 0) previous--;
    return Math.max(previous, 0);
  }

  /** Start of the word before `index`, skipping spaces first (as Ctrl+W in bash). */
  #wordStart(index: number): number {
    let at = index;
    while (at > 0 && !this.#inWord(at - 1)) at = this.#previousStop(at);
    while (at > 0 && this.#inWord(at - 1)) at = this.#previousStop(at);
    return at;
  }

  /** End of the word after `index`. */
  #wordEnd(index: number): number {
    const chars = this.#chars;
    let at = index;
    while (at < chars.length && !this.#inWord(at)) at = this.#nextStop(at);
    while (at < chars.length && this.#inWord(at)) at = this.#nextStop(at);
    return at;
  }

  /** Whether `chars[index]` is part of a word: a combining mark goes with the character before it. */
  #inWord(index: number): boolean {
    const chars = this.#chars;
    let base = index;
    while (base > 0 && charWidth(chars[base]!.codePointAt(0)!) === 0) base--;
    return isWordChar(chars[base]!);
  }
}

/** Letters and digits of any script make words; spaces and punctuation separate them. */
function isWordChar(char: string): boolean {
  return /[\p{L}\p{N}_]/u.test(char);
}
