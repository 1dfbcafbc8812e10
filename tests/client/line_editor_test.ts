/**
 * Tests for lib/client/line_editor.ts: what each action does to the line and the
 * cursor, the kill ring of one, the history (draft, duplicates, size), text
 * beyond ASCII (CJK, combining marks, surrogate pairs), and what each action
 * reports (`appended` only for text added at the end).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { charWidth } from "../../lib/text/char_width.ts";
import type { EditAction } from "../../lib/client/key_decoder.ts";
import {
  type EditResult,
  LineEditor,
  type LineEditorOptions,
} from "../../lib/client/line_editor.ts";

type Kind = Exclude<EditAction["kind"], "insert">;

/** Applies actions: strings are inserts, other names are keys. Returns the last result. */
function run(editor: LineEditor, ...actions: (string | { key: Kind })[]): EditResult {
  let result: EditResult = { kind: "none" };
  for (const action of actions) {
    result = editor.apply(
      typeof action === "string"
        ? { kind: "insert", text: action }
        : { kind: action.key } as EditAction,
    );
  }
  return result;
}

function k(kind: Kind): { key: Kind } {
  return { key: kind };
}

/** An editor with `text` typed and the cursor moved `left` characters back. */
function editorWith(text: string, left = 0, options: LineEditorOptions = {}): LineEditor {
  const editor = new LineEditor(options);
  run(editor, text);
  for (let i = 0; i < left; i++) run(editor, k("left"));
  return editor;
}

/** The line with "|" where the cursor is. */
function show(editor: LineEditor): string {
  const chars = [...editor.chars];
  chars.splice(editor.cursor, 0, "|");
  return chars.join("");
}

const NONE: EditResult = { kind: "none" };
const CHANGED: EditResult = { kind: "changed" };

// --- Insert ---

Deno.test("LineEditor.apply(insert) at the end reports the appended text", () => {
  const editor = new LineEditor();
  assert.deepEqual(run(editor, "good"), { kind: "appended", text: "good" });
  assert.deepEqual(run(editor, " boy"), { kind: "appended", text: " boy" });
  assert.equal(show(editor), "good boy|");
});

Deno.test("LineEditor.apply(insert) before the end reports a change and moves the cursor past the text", () => {
  const editor = editorWith("good boy", 3);
  assert.deepEqual(run(editor, "xy"), CHANGED);
  assert.equal(show(editor), "good xy|boy");
  run(editor, k("home"));
  assert.deepEqual(run(editor, ">"), CHANGED);
  assert.equal(show(editor), ">|good xyboy");
});

Deno.test("LineEditor.apply(insert) keeps a surrogate pair as one character", () => {
  const editor = editorWith("a😀b");
  assert.deepEqual(editor.chars, ["a", "😀", "b"]);
  run(editor, k("left"), k("left"));
  assert.equal(editor.cursor, 1);
  run(editor, k("deleteForward"));
  assert.equal(editor.text, "ab");
});

Deno.test("LineEditor.apply(insert) of a 64 KiB paste at the end is one append", () => {
  const editor = new LineEditor();
  const paste = "好男孩 good boy 😀 ".repeat(4096);
  assert.deepEqual(run(editor, paste), { kind: "appended", text: paste });
  assert.equal(editor.text, paste);
  assert.equal(editor.cursor, editor.chars.length);
});

Deno.test("LineEditor.apply(insert) of a 64 KiB paste in the middle of the line keeps every character", () => {
  const editor = editorWith("[]", 1);
  const paste = "x".repeat(65536 * 2);
  assert.deepEqual(run(editor, paste), CHANGED);
  assert.equal(editor.text, `[${paste}]`);
  assert.equal(editor.cursor, paste.length + 1);
});

Deno.test("LineEditor.apply(yank) of a long cut text in the middle of the line keeps every character", () => {
  // Two 64 KiB pastes make a line longer than a function call can take as spread arguments.
  const editor = new LineEditor();
  const paste = "y".repeat(65536);
  run(editor, paste, paste, k("home"), k("killToEnd"), "<>", k("left"));
  assert.deepEqual(run(editor, k("yank")), CHANGED);
  assert.equal(editor.text, `<${paste}${paste}>`);
  assert.equal(editor.cursor, 2 * paste.length + 1);
});

// --- Delete ---

Deno.test("LineEditor.apply(deleteBack) removes the character before the cursor", () => {
  const editor = editorWith("abc", 1);
  assert.deepEqual(run(editor, k("deleteBack")), CHANGED);
  assert.equal(show(editor), "a|c");
  run(editor, k("deleteBack"));
  assert.equal(show(editor), "|c");
  assert.deepEqual(run(editor, k("deleteBack")), NONE);
  assert.equal(show(editor), "|c");
});

Deno.test("LineEditor.apply(deleteForward) removes the character at the cursor", () => {
  const editor = editorWith("abc", 2);
  assert.deepEqual(run(editor, k("deleteForward")), CHANGED);
  assert.equal(show(editor), "a|c");
  run(editor, k("deleteForward"));
  assert.equal(show(editor), "a|");
  assert.deepEqual(run(editor, k("deleteForward")), NONE);
});

Deno.test("LineEditor.apply(eof) on an empty line reports end of input", () => {
  assert.deepEqual(run(new LineEditor(), k("eof")), { kind: "eof" });
  // also once a line was typed and erased
  const editor = editorWith("ab");
  run(editor, k("killToStart"));
  assert.deepEqual(run(editor, k("eof")), { kind: "eof" });
});

Deno.test("LineEditor.apply(eof) on a line with text deletes forward, never ends input", () => {
  const editor = editorWith("abc", 1);
  assert.deepEqual(run(editor, k("eof")), CHANGED);
  assert.equal(show(editor), "ab|");
  assert.deepEqual(run(editor, k("eof")), NONE); // at the end: nothing to delete
  assert.equal(editor.text, "ab");
  // at the start of a line with text: still a delete
  run(editor, k("home"));
  assert.deepEqual(run(editor, k("eof")), CHANGED);
  assert.equal(show(editor), "|b");
});

// --- Moves ---

Deno.test("LineEditor.apply() moves by characters and to both ends", () => {
  const editor = editorWith("abc");
  assert.deepEqual(run(editor, k("right")), NONE);
  assert.deepEqual(run(editor, k("left")), CHANGED);
  assert.equal(show(editor), "ab|c");
  assert.deepEqual(run(editor, k("home")), CHANGED);
  assert.equal(show(editor), "|abc");
  assert.deepEqual(run(editor, k("left")), NONE);
  assert.deepEqual(run(editor, k("home")), NONE);
  assert.deepEqual(run(editor, k("right")), CHANGED);
  assert.equal(show(editor), "a|bc");
  assert.deepEqual(run(editor, k("end")), CHANGED);
  assert.equal(show(editor), "abc|");
  assert.deepEqual(run(editor, k("end")), NONE);
});

Deno.test("LineEditor.apply(wordLeft/wordRight) stops at word starts and ends, skipping punctuation", () => {
  const editor = editorWith("say, good  boy!");
  const stops: string[] = [];
  while (run(editor, k("wordLeft")).kind !== "none") stops.push(show(editor));
  assert.deepEqual(stops, ["say, good  |boy!", "say, |good  boy!", "|say, good  boy!"]);
  stops.length = 0;
  while (run(editor, k("wordRight")).kind !== "none") stops.push(show(editor));
  assert.deepEqual(stops, [
    "say|, good  boy!",
    "say, good|  boy!",
    "say, good  boy|!",
    "say, good  boy!|",
  ]);
});

Deno.test("LineEditor.apply(wordLeft/wordRight) takes letters of any script, digits and _ as words", () => {
  const editor = editorWith("好男孩 x_1 ß");
  run(editor, k("home"), k("wordRight"));
  assert.equal(show(editor), "好男孩| x_1 ß");
  run(editor, k("wordRight"));
  assert.equal(show(editor), "好男孩 x_1| ß");
  run(editor, k("wordRight"));
  assert.equal(show(editor), "好男孩 x_1 ß|");
});

// --- Kill and yank ---

Deno.test("LineEditor.apply(killToStart/killToEnd) cut the text and yank puts it back", () => {
  const editor = editorWith("good boy", 2);
  assert.deepEqual(run(editor, k("killToEnd")), CHANGED);
  assert.equal(show(editor), "good b|");
  assert.deepEqual(run(editor, k("yank")), { kind: "appended", text: "oy" });
  assert.equal(show(editor), "good boy|");
  run(editor, k("left"), k("left"), k("killToStart"));
  assert.equal(show(editor), "|oy");
  assert.deepEqual(run(editor, k("yank")), CHANGED);
  assert.equal(show(editor), "good b|oy");
});

Deno.test("LineEditor.apply(killWordBack/killWordForward) cut one word with the spaces before it", () => {
  const editor = editorWith("one two  three", 7); // cursor before "  three"
  assert.equal(show(editor), "one two|  three");
  assert.deepEqual(run(editor, k("killWordForward")), CHANGED);
  assert.equal(show(editor), "one two|");
  run(editor, k("killWordBack"));
  assert.equal(show(editor), "one |");
  assert.deepEqual(run(editor, k("yank")), { kind: "appended", text: "two" });
  assert.equal(editor.text, "one two");
});

Deno.test("LineEditor.apply(kill*) with nothing to cut keeps the last cut text", () => {
  const editor = editorWith("abc");
  run(editor, k("killToStart")); // cuts "abc"
  assert.deepEqual(run(editor, k("killToEnd")), NONE);
  assert.deepEqual(run(editor, k("killWordBack")), NONE);
  assert.deepEqual(run(editor, k("killWordForward")), NONE);
  run(editor, k("yank"), k("yank"));
  assert.equal(editor.text, "abcabc");
});

Deno.test("LineEditor.apply(yank) with nothing cut does nothing", () => {
  assert.deepEqual(run(editorWith("x"), k("yank")), NONE);
});

Deno.test("LineEditor.apply() delete keys do not fill the yank text", () => {
  const editor = editorWith("abc");
  run(editor, k("deleteBack"), k("home"), k("deleteForward"));
  assert.deepEqual(run(editor, k("yank")), NONE);
});

// --- Submit and history ---

Deno.test("LineEditor.apply(submit) returns the line and empties the editor", () => {
  const editor = editorWith("good boy", 4);
  assert.deepEqual(run(editor, k("submit")), { kind: "submit", line: "good boy" });
  assert.equal(editor.text, "");
  assert.equal(editor.cursor, 0);
  assert.deepEqual(run(editor, k("submit")), { kind: "submit", line: "" });
});

Deno.test("LineEditor.apply(historyBack/historyForward) walks the lines sent, newest first", () => {
  const editor = new LineEditor();
  run(editor, "one", k("submit"), "two", k("submit"), "three", k("submit"));
  const seen: string[] = [];
  while (run(editor, k("historyBack")).kind !== "none") seen.push(show(editor));
  assert.deepEqual(seen, ["three|", "two|", "one|"]);
  seen.length = 0;
  while (run(editor, k("historyForward")).kind !== "none") seen.push(show(editor));
  assert.deepEqual(seen, ["two|", "three|", "|"]);
});

Deno.test("LineEditor.apply(historyBack) keeps the line being typed and gives it back at the bottom", () => {
  const editor = new LineEditor();
  run(editor, "sent", k("submit"), "draft 好", k("left"));
  run(editor, k("historyBack"));
  assert.equal(editor.text, "sent");
  run(editor, " edited"); // editing the history entry...
  assert.deepEqual(run(editor, k("historyForward")), CHANGED);
  assert.equal(show(editor), "draft 好|"); // ...leaves the draft as it was, cursor at its end
  run(editor, k("historyBack"));
  assert.equal(editor.text, "sent"); // and the sent line unchanged
});

Deno.test("LineEditor.apply(historyForward) at the bottom and historyBack at the top do nothing", () => {
  const editor = new LineEditor();
  assert.deepEqual(run(editor, k("historyBack")), NONE);
  assert.deepEqual(run(editor, k("historyForward")), NONE);
  run(editor, "one", k("submit"), "draft");
  assert.deepEqual(run(editor, k("historyForward")), NONE);
  assert.equal(editor.text, "draft");
  run(editor, k("historyBack"));
  assert.deepEqual(run(editor, k("historyBack")), NONE);
  assert.equal(editor.text, "one");
});

Deno.test("LineEditor.apply(submit) of a history entry adds it again only if it is not the last", () => {
  const editor = new LineEditor();
  run(editor, "a", k("submit"), "b", k("submit"));
  run(editor, k("historyBack"), k("historyBack"), k("submit")); // "a" again: not the last line
  run(editor, "a", k("submit")); // "a" again: now it is the last line
  run(editor, "", k("submit")); // empty lines are not kept
  const seen: string[] = [];
  while (run(editor, k("historyBack")).kind !== "none") seen.push(editor.text);
  assert.deepEqual(seen, ["a", "b", "a"]);
});

Deno.test("LineEditor.apply(submit) keeps at most historySize lines, dropping the oldest", () => {
  const editor = new LineEditor({ historySize: 3 });
  for (const line of ["1", "2", "3", "4", "5"]) run(editor, line, k("submit"));
  const seen: string[] = [];
  while (run(editor, k("historyBack")).kind !== "none") seen.push(editor.text);
  assert.deepEqual(seen, ["5", "4", "3"]);
});

Deno.test("LineEditor keeps 1000 lines of history by default", () => {
  const editor = new LineEditor();
  for (let i = 0; i < 1005; i++) run(editor, `line ${i}`, k("submit"));
  let count = 0;
  while (run(editor, k("historyBack")).kind !== "none") count++;
  assert.equal(count, 1000);
  assert.equal(editor.text, "line 5");
});

Deno.test("LineEditor.apply(submit) after browsing the history starts again from the bottom", () => {
  const editor = new LineEditor();
  run(editor, "one", k("submit"), "two", k("submit"));
  run(editor, k("historyBack"), k("historyBack"), k("submit"));
  run(editor, k("historyBack"));
  assert.equal(editor.text, "one");
});

// --- Signals ---

Deno.test("LineEditor.apply() passes Ctrl+C, Ctrl+L and Ctrl+Z through and keeps the line", () => {
  const editor = editorWith("abc", 1);
  assert.deepEqual(run(editor, k("interrupt")), { kind: "interrupt" });
  assert.deepEqual(run(editor, k("clearScreen")), { kind: "clearScreen" });
  assert.deepEqual(run(editor, k("suspend")), { kind: "suspend" });
  assert.equal(show(editor), "ab|c");
});

// --- Wide characters and combining marks ---

Deno.test("LineEditor.apply() moves over CJK characters one at a time", () => {
  const editor = editorWith("好男孩");
  run(editor, k("left"));
  assert.equal(show(editor), "好男|孩");
  run(editor, k("deleteBack"));
  assert.equal(show(editor), "好|孩");
});

Deno.test("LineEditor.apply(left/right) steps over a character and its combining marks together", () => {
  const editor = editorWith("ae\u0301\u0323b"); // e with acute and dot below
  run(editor, k("left"));
  assert.equal(editor.cursor, 4);
  run(editor, k("left"));
  assert.equal(editor.cursor, 1);
  run(editor, k("right"));
  assert.equal(editor.cursor, 4);
});

Deno.test("LineEditor.apply(deleteBack/deleteForward) removes a character with its combining marks", () => {
  const back = editorWith("ae\u0301b", 1);
  run(back, k("deleteBack"));
  assert.equal(back.text, "ab");
  const forward = editorWith("ae\u0301b", 2);
  run(forward, k("deleteForward"));
  assert.equal(forward.text, "ab");
});

Deno.test("LineEditor.apply() keeps an emoji with its skin tone and variation selector together", () => {
  const editor = editorWith("a👍🏽❤️b", 1);
  run(editor, k("left"));
  assert.equal(show(editor), "a👍🏽|❤️b");
  run(editor, k("deleteBack"));
  assert.equal(editor.text, "a❤️b");
});

Deno.test("LineEditor.apply(wordLeft/wordRight) never stops between a letter and its combining mark", () => {
  // "cafe\u0301" is "café" with a separate accent
  const editor = editorWith("cafe\u0301 cre\u0300me");
  run(editor, k("home"), k("wordRight"));
  assert.equal(show(editor), "cafe\u0301| cre\u0300me");
  run(editor, k("wordRight"));
  assert.equal(show(editor), "cafe\u0301 cre\u0300me|");
  run(editor, k("wordLeft"));
  assert.equal(show(editor), "cafe\u0301 |cre\u0300me");
  run(editor, k("killWordForward"));
  assert.equal(show(editor), "cafe\u0301 |");
});

Deno.test("LineEditor.apply(killWordBack) over a 64 KiB run of combining marks completes", () => {
  const editor = editorWith("word a" + "\u0301".repeat(65536));
  run(editor, k("killWordBack"));
  assert.equal(editor.text, "word ");
  run(editor, "b" + "\u0301".repeat(65536), k("home"), k("wordRight"));
  assert.equal(editor.cursor, 4);
  run(editor, k("wordRight"));
  assert.equal(editor.cursor, editor.chars.length);
});

/** An index where the cursor must never stand: before a mark that belongs to the character before. */
function betweenBaseAndMark(editor: LineEditor): boolean {
  const at = editor.cursor;
  const next = editor.chars[at];
  return at > 0 && next !== undefined && charWidth(next.codePointAt(0)!) === 0;
}

const TEXTS = ["a", "好", "😀", " ", "e\u0301", "o\u0308\u0304", "👍🏽", "x y", "n\u0303o"];

const KEYS: readonly Kind[] = [
  "deleteBack",
  "deleteForward",
  "eof",
  "left",
  "right",
  "wordLeft",
  "wordRight",
  "home",
  "end",
  "historyBack",
  "historyForward",
  "killToStart",
  "killToEnd",
  "killWordBack",
  "killWordForward",
  "yank",
  "submit",
];

/** Actions on lines where every combining mark follows its character. */
const actionArbitrary: fc.Arbitrary<EditAction> = fc.oneof(
  fc.constantFrom(...TEXTS).map((text): EditAction => ({ kind: "insert", text })),
  fc.constantFrom(...KEYS).map((kind) => ({ kind } as EditAction)),
);

/** The same, and a combining mark typed on its own (it may end up at the start of a line). */
const anyActionArbitrary: fc.Arbitrary<EditAction> = fc.oneof(
  actionArbitrary,
  fc.constant<EditAction>({ kind: "insert", text: "\u0301" }),
);

Deno.test("LineEditor.apply() never leaves the cursor between a character and its combining mark", () => {
  fc.assert(
    fc.property(fc.array(actionArbitrary, { maxLength: 60 }), (actions) => {
      const editor = new LineEditor();
      for (const action of actions) {
        editor.apply(action);
        assert(!betweenBaseAndMark(editor), `${JSON.stringify(action)} gave ${show(editor)}`);
      }
    }),
    { numRuns: 2000 },
  );
});

Deno.test("LineEditor.apply() keeps the cursor within the line and every element one code point", () => {
  fc.assert(
    fc.property(fc.array(anyActionArbitrary, { maxLength: 60 }), (actions) => {
      const editor = new LineEditor();
      for (const action of actions) {
        editor.apply(action);
        assert(editor.cursor >= 0 && editor.cursor <= editor.chars.length);
        for (const char of editor.chars) assert.equal([...char].length, 1);
        assert.equal(editor.text, editor.chars.join(""));
      }
    }),
  );
});

Deno.test("LineEditor.apply() reports appended exactly when the line grew at its end", () => {
  fc.assert(
    fc.property(fc.array(anyActionArbitrary, { maxLength: 60 }), (actions) => {
      const editor = new LineEditor();
      for (const action of actions) {
        const before = editor.text;
        const cursorAtEnd = editor.cursor === editor.chars.length;
        const result = editor.apply(action);
        if (result.kind === "appended") {
          assert(cursorAtEnd);
          assert.equal(editor.text, before + result.text);
          assert.equal(editor.cursor, editor.chars.length);
        }
        if (result.kind === "none") assert.equal(editor.text, before);
        if (action.kind === "insert" && result.kind === "changed") assert(!cursorAtEnd);
      }
    }),
  );
});

Deno.test("LineEditor.apply(submit) returns exactly the text that was typed", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), fc.nat(30), (text, left) => {
      const editor = editorWith(text, left);
      assert.deepEqual(run(editor, k("submit")), { kind: "submit", line: text });
    }),
  );
});
