/**
 * Turns the bytes a terminal sends for keystrokes into editing actions: text
 * to insert, Enter, cursor keys (as their escape sequences), and the
 * Emacs-style control keys that bash and Python's `input()` accept.
 *
 * Bytes come in whatever pieces `read()` returns: a character or an escape
 * sequence split across two reads is put together first. A paste arrives as
 * one long run of text and becomes one `insert`, so even a 64 KiB line costs
 * one action, not one per character.
 *
 * @module
 */

/** What a key asks the line editor to do. */
export type EditAction =
  | { kind: "insert"; text: string }
  | {
    kind:
      | "submit" // Enter
      | "deleteBack" // Backspace, Ctrl+H
      | "deleteForward" // Delete
      | "eof" // Ctrl+D: end of input on an empty line, else Delete
      | "left" // Left, Ctrl+B
      | "right" // Right, Ctrl+F
      | "wordLeft" // Ctrl+Left, Alt+B
      | "wordRight" // Ctrl+Right, Alt+F
      | "home" // Home, Ctrl+A
      | "end" // End, Ctrl+E
      | "historyBack" // Up, Ctrl+P
      | "historyForward" // Down, Ctrl+N
      | "killToStart" // Ctrl+U
      | "killToEnd" // Ctrl+K
      | "killWordBack" // Ctrl+W, Alt+Backspace
      | "killWordForward" // Alt+D
      | "yank" // Ctrl+Y
      | "clearScreen" // Ctrl+L
      | "interrupt" // Ctrl+C (raw mode: a byte, not a signal)
      | "suspend"; // Ctrl+Z, likewise
  };

const ESC = "\x1b";
/** Ctrl+V: the next key is inserted as it is (a tab, say, or a control character). */
const QUOTED_INSERT = "\x16";

/** Control bytes and the action each one means. */
const CONTROL_KEYS: Readonly<Record<string, EditAction["kind"]>> = {
  "\x01": "home",
  "\x02": "left",
  "\x03": "interrupt",
  "\x04": "eof",
  "\x05": "end",
  "\x06": "right",
  "\x08": "deleteBack",
  "\x0b": "killToEnd",
  "\x0c": "clearScreen",
  "\x0e": "historyForward",
  "\x10": "historyBack",
  "\x15": "killToStart",
  "\x17": "killWordBack",
  "\x19": "yank",
  "\x1a": "suspend",
  "\x7f": "deleteBack",
};

/**
 * Longest `ESC [` or `ESC O` sequence waited for, in UTF-16 units: no key sends
 * a longer one, and the text kept while waiting for its end stays small.
 */
const MAX_SEQUENCE = 33;

/** `length` units from `at`, one more if that would cut a surrogate pair in two. */
function codePointsLength(text: string, at: number, length: number): number {
  const last = text.charCodeAt(at + length - 1);
  return last >= 0xd800 && last <= 0xdbff ? length + 1 : length;
}

/** Final bytes of `ESC [ ...` and `ESC O ...` sequences without a number. */
const CURSOR_KEYS: Readonly<Record<string, EditAction["kind"]>> = {
  A: "historyBack",
  B: "historyForward",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

/** `ESC [ n ~` keys. */
const TILDE_KEYS: Readonly<Record<string, EditAction["kind"]>> = {
  "1": "home",
  "3": "deleteForward",
  "4": "end",
  "7": "home",
  "8": "end",
};

/** Alt+key (ESC then the key). */
const ALT_KEYS: Readonly<Record<string, EditAction["kind"]>> = {
  b: "wordLeft",
  f: "wordRight",
  d: "killWordForward",
  "\x7f": "killWordBack",
  "\x08": "killWordBack",
};

/**
 * Decodes keystrokes. One decoder per terminal: it keeps a character or an
 * escape sequence that a read cut in two until the rest arrives.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KeyDecoder } from "./key_decoder.ts";
 * const keys = new KeyDecoder();
 * const bytes = new TextEncoder().encode("hi\x1b[D\r");
 * assert.deepEqual(keys.decode(bytes), [
 *   { kind: "insert", text: "hi" },
 *   { kind: "left" },
 *   { kind: "submit" },
 * ]);
 * ```
 */
export class KeyDecoder {
  readonly #utf8 = new TextDecoder();
  /** Text of an escape sequence (or a Ctrl+V) still waiting for its end. */
  #pending = "";
  /** The last key was a CR: a LF right after it is the same Enter (a pasted "\r\n"). */
  #afterCr = false;

  /**
   * Decodes the bytes of one read.
   *
   * @param bytes What the terminal sent.
   * @returns The actions, in order; runs of text are merged into one insert.
   */
  decode(bytes: Uint8Array): EditAction[] {
    const text = this.#pending + this.#utf8.decode(bytes, { stream: true });
    this.#pending = "";
    const actions: EditAction[] = [];
    let run = ""; // printable text not yet added to `actions`
    const act = (kind: EditAction["kind"]) => {
      if (run !== "") actions.push({ kind: "insert", text: run });
      run = "";
      if (kind !== "insert") actions.push({ kind } as EditAction);
    };
    let i = 0;
    while (i < text.length) {
      const char = text[i]!;
      const code = char.charCodeAt(0);
      const afterCr = this.#afterCr;
      this.#afterCr = false;
      if (code >= 0x20 && code !== 0x7f) {
        // Printable, the usual case: find the end of the run in one go.
        let end = i + 1;
        while (end < text.length) {
          const next = text.charCodeAt(end);
          if (next < 0x20 || next === 0x7f) break;
          end++;
        }
        run += text.slice(i, end);
        i = end;
        continue;
      }
      if (char === "\r" || char === "\n") {
        if (!(char === "\n" && afterCr)) act("submit");
        this.#afterCr = char === "\r";
        i++;
        continue;
      }
      if (char === QUOTED_INSERT || char === ESC) {
        const used = char === ESC ? this.#escape(text, i, act) : this.#quoted(text, i);
        if (used === 0) {
          this.#pending = text.slice(i);
          break;
        }
        if (char === QUOTED_INSERT) run += text.slice(i + 1, i + used);
        i += used;
        continue;
      }
      if (char === "\t") run += char; // a tab is text: protocols such as TSV use it
      else {
        const kind = CONTROL_KEYS[char];
        if (kind !== undefined) act(kind);
      }
      i++;
    }
    act("insert");
    return actions;
  }

  /** Length of a Ctrl+V and the character it quotes, or 0 if that has not arrived. */
  #quoted(text: string, at: number): number {
    const next = text.codePointAt(at + 1);
    if (next === undefined) return 0;
    return 1 + (next > 0xffff ? 2 : 1);
  }

  /**
   * Decodes the escape sequence at `at` and reports its action.
   *
   * @returns Its length, or 0 if it is not complete yet.
   */
  #escape(text: string, at: number, act: (kind: EditAction["kind"]) => void): number {
    const kind = text[at + 1];
    if (kind === undefined) return 0;
    if (kind === "[" || kind === "O") {
      // CSI or SS3: parameters, then one final byte from "@" to "~".
      // The final byte is looked for in the first MAX_SEQUENCE characters only,
      // however the reads split them, so a split never changes the actions.
      const limit = Math.min(text.length, at + MAX_SEQUENCE);
      let end = at + 2;
      while (end < limit) {
        const code = text.charCodeAt(end);
        if (code >= 0x40 && code <= 0x7e) break;
        end++;
      }
      if (end >= limit) {
        return limit - at < MAX_SEQUENCE ? 0 : codePointsLength(text, at, MAX_SEQUENCE);
      }
      const params = text.slice(at + 2, end);
      const action = this.#sequenceAction(params, text[end]!);
      if (action !== undefined) act(action);
      return end + 1 - at;
    }
    const action = ALT_KEYS[kind];
    if (action !== undefined) act(action);
    return codePointsLength(text, at, 2); // Alt+key, or a lone ESC before a key: ignored
  }

  /** The action of `ESC [ params final`, if it is a key the editor knows. */
  #sequenceAction(params: string, final: string): EditAction["kind"] | undefined {
    if (final === "~") return TILDE_KEYS[params];
    const base = CURSOR_KEYS[final];
    if (base === undefined || params === "") return base;
    // "1;5C" is Ctrl+Right, "1;3C" Alt+Right: modified arrows move by words.
    const modifier = params.split(";")[1];
    if (modifier !== undefined && modifier !== "1") {
      if (base === "left") return "wordLeft";
      if (base === "right") return "wordRight";
    }
    return base;
  }
}
