/**
 * Tests for lib/client/prompt_view.ts: what it writes is fed into a model of a
 * terminal screen (`support/terminal_screen.ts`) and the rows and the cursor
 * are compared with what a user should see: wrapped lines (also exactly at the
 * right edge), wide characters, server text above the prompt however it is
 * split into pieces, and control characters that must show as text, never act.
 *
 * NOTE: the screen model gives every printable character one or two columns;
 * it knows nothing of combining marks, so they are tested in
 * line_editor_test.ts only.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { charWidth, isTerminalControl, visibleForm } from "../../lib/text/char_width.ts";
import {
  chatLineStyle,
  NICK_COLORS,
  nickColor,
  SGR_DIM,
  SGR_RESET,
} from "../../lib/client/line_style.ts";
import { type EditedLine, PromptView } from "../../lib/client/prompt_view.ts";
import { TerminalScreen } from "../support/terminal_screen.ts";

const PROMPT = ">>> ";

function lineOf(text: string, cursor?: number): EditedLine {
  const chars = Array.from(text);
  return { chars, cursor: cursor ?? chars.length };
}

/** A view and the screen it writes to; `write()` feeds the screen and returns the text. */
function setup(columns: number, rows = 60, prompt = PROMPT, styled = false) {
  const view = new PromptView({
    prompt,
    columns,
    ...(styled ? { lineStyler: chatLineStyle } : {}),
  });
  const screen = new TerminalScreen(columns, rows);
  const output: string[] = [];
  const write = (text: string): string => {
    output.push(text);
    screen.write(text);
    return text;
  };
  return { view, screen, write, output };
}

/** The screen's rows without the empty ones at the bottom. */
function rowsOf(screen: TerminalScreen): string[] {
  const rows = screen.lines();
  while (rows.length > 0 && rows.at(-1) === "") rows.pop();
  return rows;
}

function cursorOf(screen: TerminalScreen): [number, number] {
  return [screen.row, screen.col];
}

/** How a typed character is written: control characters in their visible form. */
function shown(char: string): string {
  const codePoint = char.codePointAt(0)!;
  return isTerminalControl(codePoint) ? visibleForm(codePoint) : char;
}

/**
 * The reference, straight from how a terminal lays text out: each character
 * goes where the last one ended, or to the next row when it does not fit
 * there. Rows come from feeding the plain text to a fresh screen; the cursor
 * goes where the character after it starts, or after the last one.
 */
function expectedLayout(
  prompt: string,
  line: EditedLine,
  columns: number,
): { rows: string[]; cursor: [number, number] } {
  const screen = new TerminalScreen(columns, 1000);
  screen.write(prompt + line.chars.map(shown).join(""));
  let row = 0;
  let col = 0;
  let cursor: [number, number] | null = null;
  const place = (width: number): [number, number] => {
    if (col + width > columns) {
      row++;
      col = 0;
    }
    const start: [number, number] = [row, col];
    col += width;
    return start;
  };
  for (const char of prompt) place(charWidth(char.codePointAt(0)!));
  line.chars.forEach((char, i) => {
    const text = shown(char);
    const widths = text === char ? [charWidth(char.codePointAt(0)!)] : Array.from(text, () => 1);
    const start = place(widths[0]!);
    for (const width of widths.slice(1)) place(width);
    if (i === line.cursor) cursor = start;
  });
  cursor ??= col >= columns ? [row + 1, 0] : [row, col];
  return { rows: rowsOf(screen), cursor };
}

function assertLayout(screen: TerminalScreen, line: EditedLine, columns: number, rowsAbove = 0) {
  const expected = expectedLayout(PROMPT, line, columns);
  const rows = rowsOf(screen).slice(rowsAbove);
  if (rows.length > 20) {
    // a short message: a diff of hundreds of rows helps nobody
    assert.equal(rows.length, expected.rows.length, "rows");
    rows.forEach((row, i) => assert.equal(row, expected.rows[i], `row ${i}`));
  }
  assert.deepEqual(rows, expected.rows, screen.toString());
  assert.deepEqual(
    cursorOf(screen),
    [expected.cursor[0] + rowsAbove, expected.cursor[1]],
    `cursor\n${screen.toString()}`,
  );
}

/** Every escape sequence the view may write; anything else must not reach the terminal. */
// deno-lint-ignore no-control-regex -- the escape sequences are what it looks for
const ALLOWED_SEQUENCES = /\x1b\[(?:\d*[ABGJ]|H|2J)/g;

function assertNothingActs(output: string): void {
  const rest = output.replace(ALLOWED_SEQUENCES, "").replace(/\r\n|\r/g, "");
  for (const char of rest) {
    assert(
      !isTerminalControl(char.codePointAt(0)!),
      `${JSON.stringify(char)} in ${JSON.stringify(output)}`,
    );
  }
}

// --- draw() ---

Deno.test("PromptView.draw() writes the prompt and the line with the cursor at the end", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("good boy")));
  assert.deepEqual(screen.lines(), [">>> good boy"]);
  assert.deepEqual(cursorOf(screen), [0, 12]);
  assert(view.shown);
});

Deno.test("PromptView.draw() puts the cursor on the character it stands before", () => {
  for (let cursor = 0; cursor <= 8; cursor++) {
    const { view, screen, write } = setup(80);
    write(view.draw(lineOf("good boy", cursor)));
    assert.deepEqual(cursorOf(screen), [0, 4 + cursor], `cursor ${cursor}`);
  }
});

Deno.test("PromptView.draw() wraps a long line onto the next rows", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcdefghijklmnop")));
  assert.deepEqual(screen.lines(), [">>> abcdef", "ghijklmnop", ""]);
  assert.deepEqual(cursorOf(screen), [2, 0]);
});

Deno.test("PromptView.draw() of a line that ends exactly at the right edge leaves the cursor on the next row", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcdef")));
  assert.deepEqual(screen.lines(), [">>> abcdef", ""]);
  assert.deepEqual(cursorOf(screen), [1, 0]);
  // typing goes on from there, and erasing takes both rows away
  write(view.append("g", lineOf("abcdefg")));
  assert.deepEqual(screen.lines(), [">>> abcdef", "g"]);
  assert.deepEqual(cursorOf(screen), [1, 1]);
  write(view.erase());
  assert.deepEqual(rowsOf(screen), []);
  assert.deepEqual(cursorOf(screen), [0, 0]);
});

Deno.test("PromptView.draw() of a prompt that fills the row exactly puts the line on the next row", () => {
  const { view, screen, write } = setup(4);
  write(view.draw(lineOf("")));
  assert.deepEqual(cursorOf(screen), [1, 0]);
  write(view.redraw(lineOf("ab")));
  assert.deepEqual(screen.lines(), [">>>", "ab"]);
});

Deno.test("PromptView.draw() moves a wide character that does not fit to the next row", () => {
  const { view, screen, write } = setup(10);
  const line = lineOf("abcde好男");
  write(view.draw(line));
  assert.deepEqual(screen.lines(), [">>> abcde", "好男"]);
  assert.deepEqual(cursorOf(screen), [1, 4]);
  assertLayout(screen, line, 10);
});

Deno.test("PromptView.draw() puts the cursor on a wide character that was moved to the next row", () => {
  const { view, screen, write } = setup(10);
  const line = lineOf("abcde好男", 5); // the cursor stands before 好
  write(view.draw(line));
  assert.deepEqual(cursorOf(screen), [1, 0]);
});

Deno.test("PromptView.draw() puts the cursor where the layout says for every index of a wrapped line", () => {
  for (
    const text of [
      "abcdefghijklmnopqrstuvw",
      "好男孩好男孩好男孩好男孩",
      "a好b男c孩😀d😀ef\x1bg\x7fh",
    ]
  ) {
    for (const columns of [7, 8, 10]) {
      const chars = Array.from(text);
      for (let cursor = 0; cursor <= chars.length; cursor++) {
        const { view, screen, write } = setup(columns);
        const line = lineOf(text, cursor);
        write(view.draw(line));
        assertLayout(screen, line, columns);
      }
    }
  }
});

Deno.test("PromptView.redraw() moves the cursor through a wrapped line without leaving stale rows", () => {
  const { view, screen, write } = setup(10);
  write("above\r\n");
  const text = "好abcdefgh男ijklmnop孩q";
  write(view.draw(lineOf(text)));
  const chars = Array.from(text);
  for (let cursor = chars.length; cursor >= 0; cursor--) {
    write(view.redraw(lineOf(text, cursor)));
    assert.equal(rowsOf(screen)[0], "above");
    assertLayout(screen, lineOf(text, cursor), 10, 1);
  }
  for (let cursor = 0; cursor <= chars.length; cursor++) {
    write(view.redraw(lineOf(text, cursor)));
    assertLayout(screen, lineOf(text, cursor), 10, 1);
  }
});

Deno.test("PromptView.draw() shows control characters of the line in caret notation", () => {
  const { view, screen, write } = setup(80);
  const out = write(view.draw(lineOf("a\x1b[2Jb\x7fc\x00d\te\u202ef\u0085")));
  assert.deepEqual(screen.lines(), [">>> a^[[2Jb^?c^@d^Ie<U+202E>f<U+0085>"]);
  assertNothingActs(out);
});

Deno.test("PromptView.draw() wraps caret notation between its two characters like the terminal does", () => {
  for (let cursor = 0; cursor <= 6; cursor++) {
    const { view, screen, write } = setup(7);
    const line = lineOf("ab\x1bc\x1bd", cursor); // ">>> ab^" then "[c^[d"
    write(view.draw(line));
    assertLayout(screen, line, 7);
  }
});

Deno.test("PromptView.draw() of a 64 KiB line completes and shows all of it", () => {
  const text = "good boy 好 ".repeat(6554).slice(0, 65536);
  const { view, screen, write } = setup(200, 1000);
  write(view.draw(lineOf(text)));
  assertLayout(screen, lineOf(text), 200);
});

// --- append() ---

Deno.test("PromptView.append() writes only the new text when the cursor is at the end", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("good")));
  assert.equal(write(view.append(" boy", lineOf("good boy"))), " boy");
  assert.deepEqual(screen.lines(), [">>> good boy"]);
  assert.deepEqual(cursorOf(screen), [0, 12]);
});

Deno.test("PromptView.append() redraws when the cursor is not on the last row", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcdefghij", 1)));
  const out = write(view.append("k", lineOf("abcdefghijk")));
  assert(out.startsWith("\r\x1b[J"), JSON.stringify(out)); // an erase, not an append
  assertLayout(screen, lineOf("abcdefghijk"), 10);
});

Deno.test("PromptView.append() redraws when the prompt is not shown", () => {
  const { view, screen, write } = setup(80);
  write(view.append("hi", lineOf("hi")));
  assert.deepEqual(screen.lines(), [">>> hi"]);
});

Deno.test("PromptView.append() of a wide character at the right edge puts it on the next row", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcde")));
  write(view.append("好", lineOf("abcde好")));
  write(view.append("x", lineOf("abcde好x")));
  assertLayout(screen, lineOf("abcde好x"), 10);
  write(view.erase());
  assert.deepEqual(rowsOf(screen), []);
});

Deno.test("PromptView.append() one character at a time gives the same screen as draw()", () => {
  const charArbitrary = fc.constantFrom(
    "a",
    "b",
    " ",
    "好",
    "男",
    "😀",
    "\x1b",
    "\t",
    "\u202e",
    "é",
  );
  fc.assert(
    fc.property(
      fc.array(fc.array(charArbitrary, { minLength: 1, maxLength: 4 }), { maxLength: 30 }),
      fc.integer({ min: 5, max: 16 }),
      (pieces, columns) => {
        const { view, screen, write } = setup(columns);
        let text = "";
        write(view.draw(lineOf(text)));
        for (const piece of pieces) {
          text += piece.join("");
          write(view.append(piece.join(""), lineOf(text)));
        }
        assertLayout(screen, lineOf(text), columns);
        write(view.erase());
        assert.deepEqual(rowsOf(screen), []);
        assert.deepEqual(cursorOf(screen), [0, 0]);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("PromptView.append() of a 64 KiB paste completes and shows all of it", () => {
  const paste = "好男孩 good boy ".repeat(5000).slice(0, 65536);
  const { view, screen, write } = setup(200, 1000);
  write(view.draw(lineOf("x")));
  write(view.append(paste, lineOf("x" + paste)));
  assertLayout(screen, lineOf("x" + paste), 200);
});

// --- erase(), commit(), clearScreen() ---

Deno.test("PromptView.erase() takes every row of a wrapped prompt away from any cursor position", () => {
  for (let cursor = 0; cursor <= 20; cursor++) {
    const { view, screen, write } = setup(8);
    write("kept\r\n");
    write(view.draw(lineOf("abcdefghij好男klmnopq", cursor)));
    write(view.erase());
    assert.deepEqual(rowsOf(screen), ["kept"], `cursor ${cursor}`);
    assert.deepEqual(cursorOf(screen), [1, 0]);
    assert(!view.shown);
  }
});

Deno.test("PromptView.erase() when nothing is shown writes nothing", () => {
  const { view } = setup(80);
  assert.equal(view.erase(), "");
  view.draw(lineOf("x"));
  view.erase();
  assert.equal(view.erase(), "");
});

Deno.test("PromptView.commit() leaves the line on screen and draw() starts a new prompt below", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("good boy", 2)));
  write(view.commit());
  assert(!view.shown);
  write(view.draw(lineOf("")));
  assert.deepEqual(screen.lines(), [">>> good boy", ">>>"]);
  assert.deepEqual(cursorOf(screen), [1, 4]);
});

Deno.test("PromptView.commit() of a wrapped line with the cursor on its first row goes below its last row", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcdefghijklmn", 1)));
  write(view.commit());
  write(view.draw(lineOf("x")));
  assert.deepEqual(screen.lines(), [">>> abcdef", "ghijklmn", ">>> x"]);
});

Deno.test("PromptView.commit() of a line that ended exactly at the edge leaves no empty row", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("abcdef")));
  write(view.commit());
  write(view.draw(lineOf("")));
  assert.deepEqual(screen.lines(), [">>> abcdef", ">>>"]);
});

Deno.test("PromptView.printAbove() after commit() does not continue the server's line above the committed one", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("")));
  write(view.printAbove("abc", lineOf("typed")));
  write(view.commit()); // Enter: the typed line stays, below the server's "abc"
  write(view.draw(lineOf("")));
  write(view.printAbove("def\n", lineOf("")));
  assert.deepEqual(screen.lines(), ["abc", ">>> typed", "def", ">>>"]);
});

Deno.test("PromptView.commit() when nothing is shown writes nothing", () => {
  assert.equal(setup(80).view.commit(), "");
});

Deno.test("PromptView.clearScreen() clears everything and draws the prompt at the top", () => {
  const { view, screen, write } = setup(20);
  for (let i = 0; i < 10; i++) write(`line ${i}\r\n`);
  write(view.printAbove("partial", lineOf("hi")));
  write(view.clearScreen(lineOf("hi", 1)));
  assert.deepEqual(screen.lines(), [">>> hi"]);
  assert.deepEqual(cursorOf(screen), [0, 5]);
  // the server's unterminated line is not continued on the cleared screen
  write(view.printAbove("next\n", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["next", ">>> hi"]);
});

// --- printAbove() ---

Deno.test("PromptView.printAbove() prints server lines above the prompt and redraws it", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("typing", 3)));
  write(view.printAbove("hello\nworld\n", lineOf("typing", 3)));
  assert.deepEqual(screen.lines(), ["hello", "world", ">>> typing"]);
  assert.deepEqual(cursorOf(screen), [2, 7]);
});

Deno.test("PromptView.printAbove() above a wrapped prompt with the cursor on its first row", () => {
  const { view, screen, write } = setup(10);
  const line = lineOf("abcdefghijklmnop", 2);
  write(view.draw(line));
  write(view.printAbove("server\n", line));
  assert.deepEqual(screen.lines(), ["server", ">>> abcdef", "ghijklmnop"]);
  assert.deepEqual(cursorOf(screen), [1, 6]);
});

Deno.test("PromptView.printAbove() with no line leaves the prompt off", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("x")));
  write(view.printAbove("bye\n", null));
  assert.deepEqual(rowsOf(screen), ["bye"]);
  assert.deepEqual(cursorOf(screen), [1, 0]);
  assert(!view.shown);
});

Deno.test("PromptView.printAbove() of nothing writes nothing", () => {
  const { view } = setup(80);
  view.draw(lineOf("x"));
  assert.equal(view.printAbove("", lineOf("x")), "");
});

Deno.test("PromptView.printAbove() continues a line without a newline on the same row", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("hi")));
  write(view.printAbove("hel", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["hel", ">>> hi"]);
  write(view.printAbove("lo", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["hello", ">>> hi"]);
  write(view.printAbove(" world\nnext", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["hello world", "next", ">>> hi"]);
  assert.deepEqual(cursorOf(screen), [2, 6]);
});

Deno.test("PromptView.printAbove() takes a CRLF split across pieces as one line end", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("")));
  write(view.printAbove("a\r", lineOf("")));
  write(view.printAbove("\nb\r\n", lineOf("")));
  assert.deepEqual(screen.lines(), ["a", "b", ">>>"]);
});

Deno.test("PromptView.printAbove() shows a CR that no LF follows as ^M", () => {
  const { view, screen, write } = setup(80);
  write(view.printAbove("a\rb\n", null));
  write(view.printAbove("c\r", null));
  write(view.printAbove("d\n", null));
  assert.deepEqual(rowsOf(screen), ["a^Mb", "c^Md"]);
});

Deno.test("PromptView.printAbove() of a partial line that fills the row exactly continues below it", () => {
  const { view, screen, write } = setup(10);
  write(view.draw(lineOf("hi")));
  write(view.printAbove("0123456789", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["0123456789", ">>> hi"]);
  write(view.printAbove("ab\n", lineOf("hi")));
  assert.deepEqual(screen.lines(), ["0123456789", "ab", ">>> hi"]);
});

Deno.test("PromptView.printAbove() ends a partial line that filled its row without an empty row", () => {
  // "0123456789\nab": the line end comes right after the row filled up.
  for (const pieces of [["0123456789", "\nab\n"], ["0123456789", "\r", "\nab\n"]]) {
    const { view, screen, write } = setup(10);
    write(view.draw(lineOf("hi")));
    for (const piece of pieces) write(view.printAbove(piece, lineOf("hi")));
    assert.deepEqual(screen.lines(), ["0123456789", "ab", ">>> hi"], JSON.stringify(pieces));
  }
});

Deno.test("PromptView.printAbove() shows control characters as text and never writes them", () => {
  const { view, screen, write } = setup(80);
  write(view.draw(lineOf("hi")));
  const out = write(
    view.printAbove(
      "a\x1b[2Jb\x1b]0;title\x07c\bd\x00e\x7ff\u0085g\u202eh\u2066i\u2028j\n",
      lineOf("hi"),
    ),
  );
  assert.deepEqual(screen.lines(), [
    "a^[[2Jb^[]0;title^Gc^Hd^@e^?f<U+0085>g<U+202E>h<U+2066>i<U+2028>j",
    ">>> hi",
  ]);
  assertNothingActs(out);
});

Deno.test("PromptView.printAbove() expands tabs to the next multiple of 8, within the row", () => {
  const { view, screen, write } = setup(20);
  write(view.printAbove("a\tb\n\tc\nabcdefgh\tX\n", null));
  assert.deepEqual(rowsOf(screen), ["a       b", "        c", "abcdefgh        X"]);
  // a tab near the right edge stops at the edge; the next character wraps
  write(view.printAbove("0123456789abcdefgh\tZ\n", null));
  assert.deepEqual(rowsOf(screen).slice(3), ["0123456789abcdefgh", "Z"]);
});

Deno.test("PromptView.printAbove() keeps wide characters whole at the right edge", () => {
  const { view, screen, write } = setup(10);
  write(view.printAbove("abcdefghi好男\n", null));
  assert.deepEqual(rowsOf(screen), ["abcdefghi", "好男"]);
});

Deno.test("PromptView.printAbove() of a 64 KiB line completes", () => {
  const { view, screen, write } = setup(200, 400);
  const text = "好男孩 good boy\t\x1b ".repeat(4000).slice(0, 65536);
  write(view.printAbove(text + "\n", lineOf("hi")));
  assert.equal(rowsOf(screen).at(-1), ">>> hi");
});

// --- Property: the split of server text into pieces does not matter ---

const serverPieceArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    "\n",
    "\r\n",
    "\r",
    "\t",
    "好",
    "男孩",
    "😀",
    "é",
    "\x1b[2J",
    "\x1b",
    "\b",
    "\x00",
    "\x7f",
    "\u0085",
    "\u202e",
    "\u2028",
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
  ),
);

/** Cuts `text` between code points at the given offsets. */
function splitText(text: string, cuts: readonly number[]): string[] {
  const chars = Array.from(text);
  const points = [...new Set(cuts.map((cut) => cut % (chars.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of [...points, chars.length]) {
    pieces.push(chars.slice(start, point).join(""));
    start = point;
  }
  return pieces;
}

/** Feeds the pieces to a fresh view with the prompt shown; returns the screen. */
function screenAfter(
  pieces: readonly string[],
  columns: number,
  line: EditedLine | null,
): TerminalScreen {
  const { view, screen, write } = setup(columns, 100);
  if (line !== null) write(view.draw(line));
  for (const piece of pieces) {
    assertNothingActs(write(view.printAbove(piece, line)));
  }
  return screen;
}

/** Same rows and cursor; the screens are printed only on failure. */
function assertSameScreen(split: TerminalScreen, whole: TerminalScreen): void {
  const same = split.lines().join("\n") === whole.lines().join("\n") &&
    split.row === whole.row && split.col === whole.col;
  if (!same) assert.fail(`split:\n${split}\nwhole:\n${whole}`);
}

Deno.test("PromptView.printAbove() gives the same screen however the server text is split", () => {
  fc.assert(
    fc.property(
      fc.array(serverPieceArbitrary, { maxLength: 20 }).map((pieces) => pieces.join("")),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 4, max: 16 }),
      fc.constantFrom("", "hi", "abcdefghijklmnopq好"),
      (text, cuts, columns, typed) => {
        for (const line of [lineOf(typed, 1 % (typed.length + 1)), null]) {
          assertSameScreen(
            screenAfter(splitText(text, cuts), columns, line),
            screenAfter([text], columns, line),
          );
        }
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("PromptView.printAbove() gives the same screen one character at a time", () => {
  fc.assert(
    fc.property(
      fc.array(serverPieceArbitrary, { maxLength: 12 }).map((pieces) => pieces.join("")),
      fc.integer({ min: 4, max: 16 }),
      (text, columns) => {
        const line = lineOf("abc");
        assertSameScreen(
          screenAfter(Array.from(text), columns, line),
          screenAfter([text], columns, line),
        );
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("PromptView.printAbove() shows the server's lines as a terminal shows their visible form", () => {
  // Without tabs and with only LF line ends, the rows above the prompt are the
  // text with each control character in its visible form, wrapped by the terminal.
  const pieceArbitrary = serverPieceArbitrary.map((piece) => piece.replace(/[\t\r]/g, ""));
  fc.assert(
    fc.property(
      fc.array(pieceArbitrary, { maxLength: 20 }).map((pieces) => pieces.join("")),
      fc.integer({ min: 4, max: 16 }),
      (text, columns) => {
        const reference = new TerminalScreen(columns, 200);
        reference.write(
          Array.from(text, (char) => char === "\n" ? "\r\n" : shown(char)).join(""),
        );
        const screen = screenAfter([text], columns, null);
        assert.deepEqual(
          rowsOf(screen),
          rowsOf(reference),
          `got:\n${screen}\nwanted:\n${reference}`,
        );
      },
    ),
    { numRuns: 500 },
  );
});

// --- setColumns() ---

Deno.test("PromptView.setColumns() lays out the next draw at the new width", () => {
  const { view } = setup(10);
  view.draw(lineOf("abcdefghijklmnop"));
  view.setColumns(20);
  const screen = new TerminalScreen(20, 10);
  view.erase();
  screen.write(view.draw(lineOf("abcdefghijklmnop")));
  assert.deepEqual(screen.lines(), [">>> abcdefghijklmnop", ""]);
  assert.deepEqual(cursorOf(screen), [1, 0]);
});

// --- Line styles: a chat server's nicknames in colour, notices dim ---

/** The SGR parameters of a sequence, as the screen's pen shows them: "\x1b[32m" is "32". */
function penOf(sgr: string): string {
  return sgr.slice(2, -1);
}

/** Every SGR sequence the styled view may write: the nick colours, dim and the reset. */
const OWN_SGR = new Set([...NICK_COLORS, SGR_DIM, SGR_RESET]);
/** Any SGR sequence (`CSI ... m`). */
// deno-lint-ignore no-control-regex -- the escape sequences are what it looks for
const ANY_SGR = /\x1b\[[0-9;]*m/;

/** The output without the view's own SGR sequences; fails on any other SGR sequence. */
function withoutOwnSgr(output: string): string {
  return output.replace(new RegExp(ANY_SGR.source, "g"), (sgr) => {
    assert(OWN_SGR.has(sgr), `unexpected ${JSON.stringify(sgr)} in ${JSON.stringify(output)}`);
    return "";
  });
}

/** Feeds the same pieces to a styled and a plain view; returns both screens and outputs. */
function styledAndPlain(pieces: readonly string[], columns: number, line: EditedLine | null) {
  const styled = setup(columns, 100, PROMPT, true);
  const plain = setup(columns, 100);
  for (const { view, write } of [styled, plain]) {
    if (line !== null) write(view.draw(line));
  }
  pieces.forEach((piece, i) => {
    const styledOut = styled.write(styled.view.printAbove(piece, line));
    const plainOut = plain.write(plain.view.printAbove(piece, line));
    // Only SGR sequences were added, and none is left on after the piece.
    assert.equal(withoutOwnSgr(styledOut), plainOut, `piece ${i}: ${JSON.stringify(piece)}`);
    assert.equal(styled.screen.pen, "", `pen after piece ${i}: ${JSON.stringify(styledOut)}`);
  });
  return { styled, plain };
}

Deno.test("PromptView.printAbove() with the chat styler colours each [nick] and * nick, and dims notices", () => {
  const line = lineOf("typing", 2);
  const { styled, plain } = styledAndPlain(
    ["[alice] hi\n[bob -> alice] psst\n*** carol joined\nplain [x] text\n[张三] 你好\n* dave waves\n"],
    80,
    line,
  );
  const { screen } = styled;
  assert.deepEqual(screen.lines(), plain.screen.lines());
  assert.deepEqual(cursorOf(screen), cursorOf(plain.screen));
  assert.deepEqual(screen.runs(0), [["[alice]", penOf(nickColor("alice"))], [" hi", ""]]);
  assert.deepEqual(screen.runs(1), [["[bob -> alice]", penOf(nickColor("bob"))], [" psst", ""]]);
  assert.deepEqual(screen.runs(2), [["*** carol joined", "2"]]);
  assert.deepEqual(screen.runs(3), [["plain [x] text", ""]]);
  assert.deepEqual(screen.runs(4), [["[张三]", penOf(nickColor("张三"))], [" 你好", ""]]);
  assert.deepEqual(screen.runs(5), [["* dave", penOf(nickColor("dave"))], [" waves", ""]]);
  assert.deepEqual(screen.runs(6), [[">>> typing", ""]]); // the prompt and the typed line: no style
});

Deno.test("PromptView.printAbove() turns the colour off before the prompt when a line is partial", () => {
  const line = lineOf("hi");
  const { styled } = styledAndPlain(["*** server is", " stopping\n"], 80, line);
  assert.deepEqual(styled.screen.runs(0), [["*** server is stopping", "2"]]); // dim where it continues
  assert.deepEqual(styled.screen.runs(1), [[">>> hi", ""]]);
  // The output of the first piece: the reset comes before the prompt is drawn again.
  const first = styled.output[1]!;
  assert.ok(first.indexOf(SGR_RESET) < first.lastIndexOf(PROMPT), JSON.stringify(first));
  assert.ok(
    first.startsWith("\r\x1b[J" + SGR_DIM + "*** server is" + SGR_RESET),
    JSON.stringify(first),
  );
});

Deno.test("PromptView.printAbove() ends a nick's colour at its bracket, in a wrapped line too", () => {
  const color = penOf(nickColor("alice"));
  const { styled, plain } = styledAndPlain(["[alice] hi\n"], 5, lineOf("x"));
  assert.deepEqual(styled.screen.lines(), plain.screen.lines());
  assert.deepEqual(cursorOf(styled.screen), cursorOf(plain.screen));
  assert.deepEqual(styled.screen.runs(0), [["[alic", color]]);
  assert.deepEqual(styled.screen.runs(1), [["e]", color], [" hi", ""]]);
  assert.deepEqual(styled.screen.runs(2), [[">>> x", ""]]);
});

Deno.test("PromptView.printAbove() leaves a [nick] split across two pieces uncoloured", () => {
  const { styled } = styledAndPlain(["[ali", "ce] hi\n"], 80, lineOf(""));
  assert.deepEqual(styled.screen.runs(0), [["[alice] hi", ""]]);
});

Deno.test("PromptView.printAbove() with the styler still shows the server's controls as text", () => {
  const text = "[bob] \x1b[2J\x1b[31mred\n[\x1b[31mx] y\n*** \x1b]0;title\x07\u202e!\n[a\tb] c\n";
  const { styled } = styledAndPlain([text], 80, lineOf("hi"));
  const out = styled.output.join("");
  assertNothingActs(withoutOwnSgr(out));
  const { screen } = styled;
  assert.deepEqual(screen.lines(), [
    "[bob] ^[[2J^[[31mred",
    "[^[[31mx] y",
    "*** ^[]0;title^G<U+202E>!",
    "[a      b] c",
    ">>> hi",
  ]);
  assert.deepEqual(screen.runs(0), [["[bob]", penOf(nickColor("bob"))], [" ^[[2J^[[31mred", ""]]);
  assert.deepEqual(screen.runs(1), [["[^[[31mx] y", ""]]); // a control in the brackets: no nick
  assert.deepEqual(screen.runs(2), [["*** ^[]0;title^G<U+202E>!", "2"]]);
  assert.deepEqual(screen.runs(3), [["[a      b] c", ""]]);
});

Deno.test("PromptView.printAbove() without a styler writes no SGR sequence", () => {
  const { view, write } = setup(80);
  const out = write(view.printAbove("[alice] hi\n*** notice\n[bob", lineOf("x")));
  assert.doesNotMatch(out, ANY_SGR);
});

Deno.test("PromptView.clearScreen() and commit() do not carry a dim partial line's style over", () => {
  for (const reset of ["clearScreen", "commit"] as const) {
    const { view, screen, write } = setup(80, 60, PROMPT, true);
    write(view.draw(lineOf("")));
    write(view.printAbove("*** partial", lineOf("")));
    write(reset === "clearScreen" ? view.clearScreen(lineOf("")) : view.commit());
    if (reset === "commit") write(view.draw(lineOf("")));
    write(view.printAbove("next\n", lineOf("")));
    const row = screen.lines().indexOf("next");
    assert.deepEqual(screen.runs(row), [["next", ""]], reset);
    assert.equal(screen.pen, "", reset);
  }
});

Deno.test("PromptView.printAbove() with the styler: styles add only SGR, whatever the split", () => {
  const chatPieces = fc.oneof(
    serverPieceArbitrary,
    fc.constantFrom(
      "[alice] ",
      "[bob -> alice] ",
      "*** ",
      "* dave ",
      "* ",
      "[张三] ",
      "[",
      "] ",
      "\n[carol] hi\n",
    ),
  );
  fc.assert(
    fc.property(
      fc.array(chatPieces, { maxLength: 20 }).map((pieces) => pieces.join("")),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 4, max: 16 }),
      fc.constantFrom("", "hi", "abcdefghijklmnopq好"),
      (text, cuts, columns, typed) => {
        for (const line of [lineOf(typed, 1 % (typed.length + 1)), null]) {
          const { styled, plain } = styledAndPlain(splitText(text, cuts), columns, line);
          assertSameScreen(styled.screen, plain.screen);
        }
      },
    ),
    { numRuns: 500 },
  );
});
