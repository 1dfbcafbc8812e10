/**
 * Draws the prompt and the line being typed on a terminal, and prints what the
 * server sends above them without losing either. Every method returns the
 * text to write (escape sequences included) and updates its model of where
 * the cursor is, so the caller writes strings in order and nothing else.
 *
 * What it tracks, and why:
 * - The rows the prompt takes: a long line wraps, and erasing it means going
 *   up to its first row. Wide characters (CJK) take two columns, and one that
 *   does not fit at the end of a row goes to the next, as terminals do.
 * - Where the server's last unterminated line ends: text that arrives without
 *   "\n" stays on its row, above the prompt, and the next piece continues it
 *   there, so a line split across two TCP reads shows as one line.
 * - Nothing the server sends can move the cursor or change the terminal:
 *   control characters are shown as `^[`-style text (see `char_width.ts`),
 *   tabs become spaces, and "\r\n" is a line end.
 * - With a {@linkcode LineStyler} (colours allowed), the start of each server
 *   line may get the view's own colour sequences (`line_style.ts`): they take
 *   no columns, and the colour is always off again at the end of the styled
 *   part, at the end of the line, and before the prompt is drawn, so the
 *   prompt and the line being typed never take it.
 *
 * @module
 */

import { charWidth, isTerminalControl, visibleForm } from "../text/char_width.ts";
import { type LineStyler, SGR_RESET } from "./line_style.ts";

/** Options for {@linkcode PromptView}. */
export interface PromptViewOptions {
  /** The prompt, such as ">>> ". Printable text only. */
  prompt: string;
  /** Width of the terminal in columns. */
  columns: number;
  /**
   * Styles the start of each line of server text (colours a chat server's
   * nicknames, see `line_style.ts`); leave it out where colours are not
   * allowed (`NO_COLOR`) and the text is shown with no styles.
   */
  lineStyler?: LineStyler;
}

/** What the view needs to know of the line being edited. */
export interface EditedLine {
  /** The line, one code point per element. */
  readonly chars: readonly string[];
  /** The cursor's index into `chars`. */
  readonly cursor: number;
}

const ERASE_DOWN = "\x1b[J";
const CLEAR_SCREEN = "\x1b[H\x1b[2J";
const CR = "\r";
const NEWLINE = "\r\n"; // "\r" too, in case the terminal does not add it
const TAB_STOP = 8;
/** `styleEnd` when no style is on. */
const NO_STYLE = -1;

/** How one character of the typed line appears. */
interface ShownChar {
  /** What is written. */
  text: string;
  /** Columns of one character of `text`. */
  width: number;
  /** Whether `text` stands for a control character (each of its characters takes one column). */
  caret: boolean;
}

/** A position on screen relative to the prompt's first row. */
interface Position {
  row: number;
  col: number;
}

/**
 * The prompt row(s) of an interactive session.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PromptView } from "./prompt_view.ts";
 * const view = new PromptView({ prompt: ">>> ", columns: 80 });
 * assert.equal(view.draw({ chars: ["h", "i"], cursor: 2 }), ">>> hi\x1b[7G");
 * // A server line arrives: erase the prompt, print the line, draw the prompt again.
 * const out = view.printAbove("hello\n", { chars: ["h", "i"], cursor: 2 });
 * assert.equal(out, "\r\x1b[Jhello\r\n>>> hi\x1b[7G");
 * ```
 */
export class PromptView {
  readonly #prompt: string;
  #columns: number;
  /** Whether the prompt is on screen. When not, the cursor is where it would start. */
  #shown = false;
  /** Rows from the prompt's first row down to the cursor. */
  #cursorRow = 0;
  /** Where the drawn line ends; the column is always less than the width. */
  #end: Position = { row: 0, col: 0 };
  /**
   * Column where the server's unterminated line ends, on the row right above
   * the prompt; equal to the width when it filled that row. Null when the
   * server's last text ended with "\n", or something was printed after it.
   */
  #partialEnd: number | null = null;
  /** A "\r" at the end of server text: a "\n" in the next piece makes it a line end. */
  #heldCr = false;
  /** Styles the start of each server line; null: no styles. */
  readonly #lineStyler: LineStyler | null;
  /**
   * The style of the server's unterminated line when it covers the whole
   * line (a dim notice): turned on again where the line continues. Null
   * otherwise; read only while `#partialEnd` is not null.
   */
  #partialStyle: string | null = null;

  /**
   * Creates a view; nothing is drawn until {@linkcode draw}.
   *
   * @param options See {@linkcode PromptViewOptions}.
   */
  constructor(options: PromptViewOptions) {
    this.#prompt = options.prompt;
    this.#columns = Math.max(options.columns, 1);
    this.#lineStyler = options.lineStyler ?? null;
  }

  /** Whether the prompt is on screen. */
  get shown(): boolean {
    return this.#shown;
  }

  /**
   * Changes the width, after the terminal was resized. Terminals that reflow
   * wrapped rows (tmux, VTE, iTerm2) rewrap the prompt to the new width, so
   * the next erase goes up as many rows as the line takes at that width.
   *
   * @param columns The new width.
   * @param line The line on screen, if the prompt is shown.
   */
  setColumns(columns: number, line?: EditedLine): void {
    this.#columns = Math.max(columns, 1);
    // Lays the line out again to learn its rows; what it would write is not needed.
    if (this.#shown && line !== undefined) this.draw(line);
  }

  /**
   * Draws the prompt and the line from the start of the cursor's row.
   *
   * @param line The line being edited.
   * @returns What to write.
   */
  draw(line: EditedLine): string {
    let out = this.#prompt;
    let position: Position = { row: 0, col: 0 };
    position = this.#advanceText(position, this.#prompt);
    let cursor = position;
    const chars = line.chars;
    const parts: string[] = [out];
    for (let i = 0; i < chars.length; i++) {
      const shown = this.#shownChar(chars[i]!);
      if (i === line.cursor) {
        // on its character, which starts the next row when it does not fit on this one
        const width = shown.caret ? 1 : shown.width;
        cursor = position.col + width > this.#columns
          ? { row: position.row + 1, col: 0 }
          : position;
      }
      parts.push(shown.text);
      position = this.#advanceShown(position, shown);
    }
    if (line.cursor >= chars.length) cursor = position;
    out = parts.join("");
    const end = wrapped(position, this.#columns);
    if (end !== position) out += NEWLINE; // leave the pending wrap, so the cursor is where we think
    cursor = wrapped(cursor, this.#columns);
    out += moveUp(end.row - cursor.row) + column(cursor.col);
    this.#shown = true;
    this.#end = end;
    this.#cursorRow = cursor.row;
    return out;
  }

  /**
   * Erases the prompt and draws it again, after an edit that was not an append.
   *
   * @param line The line being edited.
   * @returns What to write.
   */
  redraw(line: EditedLine): string {
    return this.erase() + this.draw(line);
  }

  /**
   * Adds text typed at the end of the line: only the new text is written.
   *
   * @param text What was appended to the line (the cursor is after it).
   * @param line The line being edited, for a full redraw when needed.
   * @returns What to write.
   */
  append(text: string, line: EditedLine): string {
    if (!this.#shown || this.#cursorRow !== this.#end.row) return this.redraw(line);
    let position = this.#end;
    let out = "";
    for (const char of text) {
      const shown = this.#shownChar(char);
      out += shown.text;
      position = this.#advanceShown(position, shown);
    }
    const end = wrapped(position, this.#columns);
    if (end !== position) out += NEWLINE;
    this.#end = end;
    this.#cursorRow = end.row;
    return out;
  }

  /**
   * Takes the prompt off the screen; the cursor goes to where it started.
   *
   * @returns What to write.
   */
  erase(): string {
    if (!this.#shown) return "";
    this.#shown = false;
    const up = this.#cursorRow;
    this.#cursorRow = 0;
    return moveUp(up) + CR + ERASE_DOWN;
  }

  /**
   * Leaves the prompt and the line on screen as they are and moves below
   * them, as after Enter, or before a last notice that should not erase
   * what the user typed.
   *
   * @returns What to write.
   */
  commit(): string {
    if (!this.#shown) return "";
    this.#shown = false;
    this.#partialEnd = null; // the committed rows now stand after the server's text
    const down = this.#end.row - this.#cursorRow;
    this.#cursorRow = 0;
    return (down > 0 ? `\x1b[${down}B` : "") + (this.#end.col > 0 ? NEWLINE : CR);
  }

  /**
   * Clears the screen and draws the prompt at the top (Ctrl+L).
   *
   * @param line The line being edited.
   * @returns What to write.
   */
  clearScreen(line: EditedLine): string {
    this.#shown = false;
    this.#cursorRow = 0;
    this.#partialEnd = null;
    return CLEAR_SCREEN + this.draw(line);
  }

  /**
   * Prints text from the server above the prompt. Text without a final "\n"
   * stays on its row, and the next text continues it.
   *
   * With a line styler, each line's style is decided where the line starts,
   * from what this piece holds of it. NOTE: a `[nick] ` split across two
   * pieces (two TCP reads) is not recognised and stays uncoloured; a dim
   * notice stays dim where its line continues.
   *
   * @param text Decoded server text; any characters.
   * @param line The line being edited, redrawn below; null to leave the prompt off.
   * @returns What to write.
   */
  printAbove(text: string, line: EditedLine | null): string {
    if (text === "") return "";
    const parts: string[] = [this.erase()];
    let col = 0;
    // The server's line filled its row, and the cursor is at the start of the
    // next row already: a "\n" now must not move it down again.
    let onNextRow = false;
    // Where the style that is on ends: an index into `text`, Infinity for the
    // end of the line, or NO_STYLE when none is on.
    let styleEnd = NO_STYLE;
    let styleSgr = "";
    const styler = this.#lineStyler;
    /** Turns on the style of the line that starts at `at`, if it has one. */
    const startLine = (at: number) => {
      if (styler === null || at === text.length) return;
      const lineEnd = text.indexOf("\n", at);
      const style = styler(text.slice(at, lineEnd === -1 ? text.length : lineEnd));
      if (style === null) return;
      parts.push(style.sgr);
      styleSgr = style.sgr;
      styleEnd = style.length === null ? Infinity : at + style.length;
    };
    if (this.#partialEnd !== null) {
      // Continue the server's line where it stopped. When it filled its row,
      // the next character would start the prompt's row anyway: stay here.
      if (this.#partialEnd < this.#columns) parts.push("\x1b[A", column(this.#partialEnd));
      else onNextRow = true;
      col = this.#partialEnd;
      if (this.#partialStyle !== null) {
        parts.push(this.#partialStyle);
        styleSgr = this.#partialStyle;
        styleEnd = Infinity;
      }
    } else {
      startLine(0);
    }
    let i = 0;
    if (this.#heldCr) {
      this.#heldCr = false;
      if (text[0] !== "\n") {
        col = this.#putCaret(parts, col, visibleForm(0x0d));
        onNextRow = false;
      }
    }
    let runStart = i;
    let endsLine = false;
    const flushRun = (end: number) => {
      if (end > runStart) {
        parts.push(text.slice(runStart, end));
        onNextRow = false;
      }
    };
    const columns = this.#columns;
    while (i < text.length) {
      if (i === styleEnd) {
        // The styled start of the line ends here (a zero-width change).
        flushRun(i);
        runStart = i;
        parts.push(SGR_RESET);
        styleEnd = NO_STYLE;
      }
      const code = text.charCodeAt(i);
      if (code >= 0x20 && code < 0x7f) {
        // Plain ASCII, the usual case: no lookup, no escaping.
        col = col >= columns ? 1 : col + 1;
        endsLine = false;
        i++;
        continue;
      }
      flushRun(i);
      endsLine = false;
      const codePoint = text.codePointAt(i)!;
      const size = codePoint > 0xffff ? 2 : 1;
      if (codePoint === 0x0a) {
        if (styleEnd !== NO_STYLE) {
          parts.push(SGR_RESET); // the colour never runs past the line
          styleEnd = NO_STYLE;
        }
        if (!onNextRow) parts.push(NEWLINE);
        onNextRow = false;
        col = 0;
        endsLine = true;
        startLine(i + 1);
      } else if (codePoint === 0x0d && text[i + 1] === "\n") {
        // "\r\n": the "\n" ends the line
      } else if (codePoint === 0x0d && i + 1 === text.length) {
        this.#heldCr = true; // a "\n" may start the next piece
      } else if (codePoint === 0x09) {
        if (col >= columns) col = 0;
        const spaces = Math.min(TAB_STOP - (col % TAB_STOP), columns - col);
        parts.push(" ".repeat(spaces));
        col += spaces;
        onNextRow = false;
      } else if (isTerminalControl(codePoint)) {
        col = this.#putCaret(parts, col, visibleForm(codePoint));
        onNextRow = false;
      } else {
        const width = charWidth(codePoint);
        parts.push(text.slice(i, i + size));
        if (width > 0) {
          col = (col + width > columns ? 0 : col) + width;
          onNextRow = false;
        }
      }
      i += size;
      runStart = i;
    }
    flushRun(i);
    // No style is left on for the prompt, nor for whatever is written next.
    if (styleEnd !== NO_STYLE) parts.push(SGR_RESET);
    if (endsLine) this.#partialEnd = null;
    else {
      this.#partialEnd = col;
      this.#partialStyle = styleEnd === Infinity ? styleSgr : null;
      if (!onNextRow) parts.push(NEWLINE); // the prompt goes on the row below
    }
    if (line !== null) parts.push(this.draw(line));
    return parts.join("");
  }

  /** Writes the ASCII text that stands for a control character; returns the new column. */
  #putCaret(parts: string[], col: number, text: string): number {
    parts.push(text);
    for (let k = 0; k < text.length; k++) col = col >= this.#columns ? 1 : col + 1;
    return col;
  }

  /** How a character of the typed line is shown. */
  #shownChar(char: string): ShownChar {
    const codePoint = char.codePointAt(0)!;
    if (isTerminalControl(codePoint)) {
      return { text: visibleForm(codePoint), width: 1, caret: true };
    }
    return { text: char, width: charWidth(codePoint), caret: false };
  }

  #advanceShown(position: Position, shown: ShownChar): Position {
    if (!shown.caret) return advance(position, shown.width, this.#columns);
    // caret notation: several one-column characters, which may wrap between them
    for (let k = 0; k < shown.text.length; k++) position = advance(position, 1, this.#columns);
    return position;
  }

  #advanceText(position: Position, text: string): Position {
    for (const char of text) {
      position = advance(position, charWidth(char.codePointAt(0)!), this.#columns);
    }
    return position;
  }
}

/**
 * Where the cursor is after printing a character `width` columns wide at
 * `position`. A column equal to the width means the row is full and the
 * terminal will wrap before the next character ("pending wrap").
 */
function advance(position: Position, width: number, columns: number): Position {
  if (width === 0) return position;
  if (position.col + width > columns) return { row: position.row + 1, col: width };
  return { row: position.row, col: position.col + width };
}

/** A pending wrap resolved: the start of the next row. Returns `position` itself otherwise. */
function wrapped(position: Position, columns: number): Position {
  return position.col >= columns ? { row: position.row + 1, col: 0 } : position;
}

function moveUp(rows: number): string {
  return rows > 0 ? `\x1b[${rows}A` : "";
}

/** Moves the cursor to a column, counted from 0. */
function column(col: number): string {
  return `\x1b[${col + 1}G`;
}
