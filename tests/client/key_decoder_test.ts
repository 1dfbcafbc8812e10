/**
 * Tests for lib/client/key_decoder.ts: every key of its tables, Ctrl+V, Enter as CR,
 * LF or CRLF, unknown sequences, a large paste, and the property that matters
 * most for a terminal: however `read()` splits the bytes, the actions are the
 * same (once the inserts that a split cut in two are joined again).
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type EditAction, KeyDecoder } from "../../lib/client/key_decoder.ts";
import { bytes, concatBytes, splitAt } from "../support/bytes.ts";

/** Joins adjacent inserts: a split may cut one run of text into two inserts. */
function mergeInserts(actions: readonly EditAction[]): EditAction[] {
  const merged: EditAction[] = [];
  for (const action of actions) {
    const last = merged.at(-1);
    if (action.kind === "insert" && last?.kind === "insert") {
      merged[merged.length - 1] = { kind: "insert", text: last.text + action.text };
    } else {
      merged.push(action);
    }
  }
  return merged;
}

/** Decodes the reads with one decoder and returns all actions, inserts merged. */
function decodeReads(reads: readonly (string | Uint8Array)[]): EditAction[] {
  const keys = new KeyDecoder();
  const actions: EditAction[] = [];
  for (const read of reads) {
    actions.push(...keys.decode(typeof read === "string" ? bytes(read) : read));
  }
  return mergeInserts(actions);
}

/** The actions of `text` typed in one read. */
function decodeOne(text: string): EditAction[] {
  return new KeyDecoder().decode(bytes(text));
}

/** Every way to cut `stream` in two, and one byte per read. */
function everySplit(stream: Uint8Array): Uint8Array[][] {
  const splits: Uint8Array[][] = [];
  for (let cut = 0; cut <= stream.length; cut++) {
    splits.push([stream.subarray(0, cut), stream.subarray(cut)]);
  }
  splits.push(Array.from(stream, (_, i) => stream.subarray(i, i + 1)));
  return splits;
}

function key(kind: Exclude<EditAction["kind"], "insert">): EditAction {
  return { kind } as EditAction;
}

function insert(text: string): EditAction {
  return { kind: "insert", text };
}

// --- The tables, key by key ---

const CONTROL_KEYS: readonly [string, EditAction["kind"]][] = [
  ["\x01", "home"], // Ctrl+A
  ["\x02", "left"], // Ctrl+B
  ["\x03", "interrupt"], // Ctrl+C
  ["\x04", "eof"], // Ctrl+D
  ["\x05", "end"], // Ctrl+E
  ["\x06", "right"], // Ctrl+F
  ["\x08", "deleteBack"], // Ctrl+H
  ["\x0b", "killToEnd"], // Ctrl+K
  ["\x0c", "clearScreen"], // Ctrl+L
  ["\x0e", "historyForward"], // Ctrl+N
  ["\x10", "historyBack"], // Ctrl+P
  ["\x15", "killToStart"], // Ctrl+U
  ["\x17", "killWordBack"], // Ctrl+W
  ["\x19", "yank"], // Ctrl+Y
  ["\x1a", "suspend"], // Ctrl+Z
  ["\x7f", "deleteBack"], // Backspace
];

Deno.test("KeyDecoder.decode() maps each control key to its action", () => {
  for (const [byte, kind] of CONTROL_KEYS) {
    assert.deepEqual(decodeOne(byte), [{ kind }], `byte 0x${byte.charCodeAt(0).toString(16)}`);
  }
});

Deno.test("KeyDecoder.decode() ignores the control bytes that have no action", () => {
  const mapped = new Set(CONTROL_KEYS.map(([byte]) => byte));
  for (let code = 0; code < 0x20; code++) {
    const byte = String.fromCharCode(code);
    // CR, LF, ESC, Ctrl+V and tab have tests of their own
    if (mapped.has(byte) || "\r\n\x1b\x16\t".includes(byte)) continue;
    assert.deepEqual(decodeOne(`a${byte}b`), [insert("ab")], `byte 0x${code.toString(16)}`);
  }
});

Deno.test("KeyDecoder.decode() maps the cursor keys in both CSI and SS3 form", () => {
  const cursorKeys: [string, EditAction["kind"]][] = [
    ["A", "historyBack"],
    ["B", "historyForward"],
    ["C", "right"],
    ["D", "left"],
    ["H", "home"],
    ["F", "end"],
  ];
  for (const [final, kind] of cursorKeys) {
    assert.deepEqual(decodeOne(`\x1b[${final}`), [{ kind }], `ESC [ ${final}`);
    assert.deepEqual(decodeOne(`\x1bO${final}`), [{ kind }], `ESC O ${final}`);
  }
});

Deno.test("KeyDecoder.decode() maps the ESC [ n ~ keys (Home, Delete, End)", () => {
  const tildeKeys: [string, EditAction["kind"]][] = [
    ["1", "home"],
    ["3", "deleteForward"],
    ["4", "end"],
    ["7", "home"],
    ["8", "end"],
  ];
  for (const [number, kind] of tildeKeys) {
    assert.deepEqual(decodeOne(`\x1b[${number}~`), [{ kind }], `ESC [ ${number} ~`);
  }
});

Deno.test("KeyDecoder.decode() maps the Alt keys (ESC then the key)", () => {
  const altKeys: [string, EditAction["kind"]][] = [
    ["b", "wordLeft"],
    ["f", "wordRight"],
    ["d", "killWordForward"],
    ["\x7f", "killWordBack"],
    ["\x08", "killWordBack"],
  ];
  for (const [byte, kind] of altKeys) {
    assert.deepEqual(
      decodeOne(`\x1b${byte}`),
      [{ kind }],
      `Alt+0x${byte.charCodeAt(0).toString(16)}`,
    );
  }
});

Deno.test("KeyDecoder.decode() makes Ctrl and Alt arrows move by words", () => {
  assert.deepEqual(decodeOne("\x1b[1;5D"), [key("wordLeft")]); // Ctrl+Left
  assert.deepEqual(decodeOne("\x1b[1;5C"), [key("wordRight")]); // Ctrl+Right
  assert.deepEqual(decodeOne("\x1b[1;3D"), [key("wordLeft")]); // Alt+Left
  assert.deepEqual(decodeOne("\x1b[1;3C"), [key("wordRight")]); // Alt+Right
  assert.deepEqual(decodeOne("\x1b[1;2C"), [key("wordRight")]); // Shift+Right
});

Deno.test("KeyDecoder.decode() keeps the plain action of an arrow with modifier 1 or none", () => {
  assert.deepEqual(decodeOne("\x1b[1;1C"), [key("right")]);
  assert.deepEqual(decodeOne("\x1b[1C"), [key("right")]);
  assert.deepEqual(decodeOne("\x1b[1;5A"), [key("historyBack")]); // Ctrl+Up is still Up
  assert.deepEqual(decodeOne("\x1b[1;5H"), [key("home")]);
});

// --- Text, tabs, Enter ---

Deno.test("KeyDecoder.decode() gives one insert for a run of text, CJK and emoji included", () => {
  assert.deepEqual(decodeOne("good boy 好男孩 😀 é"), [insert("good boy 好男孩 😀 é")]);
});

Deno.test("KeyDecoder.decode() inserts a tab as text", () => {
  assert.deepEqual(decodeOne("a\tb"), [insert("a\tb")]);
});

Deno.test("KeyDecoder.decode() splits the text around keys, in order", () => {
  assert.deepEqual(decodeOne("ab\x02c\x1b[Dd\r"), [
    insert("ab"),
    key("left"),
    insert("c"),
    key("left"),
    insert("d"),
    key("submit"),
  ]);
});

Deno.test("KeyDecoder.decode() takes CR, LF and CRLF each as one Enter", () => {
  assert.deepEqual(decodeOne("a\rb\nc\r\nd"), [
    insert("a"),
    key("submit"),
    insert("b"),
    key("submit"),
    insert("c"),
    key("submit"),
    insert("d"),
  ]);
});

Deno.test("KeyDecoder.decode() takes CR CR, LF LF and LF CR as two Enters", () => {
  for (const pair of ["\r\r", "\n\n", "\n\r"]) {
    assert.deepEqual(decodeOne(pair), [key("submit"), key("submit")], JSON.stringify(pair));
  }
  assert.deepEqual(decodeOne("\r\n\r\n"), [key("submit"), key("submit")]);
});

Deno.test("KeyDecoder.decode() takes a CRLF split across reads as one Enter", () => {
  assert.deepEqual(decodeReads(["a\r", "\nb"]), [insert("a"), key("submit"), insert("b")]);
  // an empty read, or half a character, between them changes nothing
  const hao = bytes("好");
  assert.deepEqual(
    decodeReads(["\r", new Uint8Array(0), "\n", hao.subarray(0, 1), hao.subarray(1)]),
    [key("submit"), insert("好")],
  );
});

Deno.test("KeyDecoder.decode() does not swallow a LF after a key that follows a CR", () => {
  assert.deepEqual(decodeOne("\rx\n"), [key("submit"), insert("x"), key("submit")]);
  assert.deepEqual(decodeReads(["\r", "\x02", "\n"]), [key("submit"), key("left"), key("submit")]);
});

// --- Ctrl+V ---

Deno.test("KeyDecoder.decode() inserts the key after Ctrl+V as it is", () => {
  assert.deepEqual(decodeOne("a\x16\x03b"), [insert("a\x03b")]);
  assert.deepEqual(decodeOne("\x16\x1b"), [insert("\x1b")]);
  assert.deepEqual(decodeOne("\x16\r"), [insert("\r")]);
  assert.deepEqual(decodeOne("\x16\x16"), [insert("\x16")]);
  assert.deepEqual(decodeOne("\x16\x7f"), [insert("\x7f")]);
  assert.deepEqual(decodeOne("\x16\t"), [insert("\t")]);
});

Deno.test("KeyDecoder.decode() quotes only one key after Ctrl+V", () => {
  assert.deepEqual(decodeOne("\x16\x03\x03"), [insert("\x03"), key("interrupt")]);
  assert.deepEqual(decodeOne("\x16\x1b[D"), [insert("\x1b[D")]); // ESC quoted, "[D" is text
});

Deno.test("KeyDecoder.decode() quotes a whole emoji (a surrogate pair) after Ctrl+V", () => {
  assert.deepEqual(decodeOne("\x16😀x"), [insert("😀x")]);
});

Deno.test("KeyDecoder.decode() waits for the key after a Ctrl+V at the end of a read", () => {
  const keys = new KeyDecoder();
  assert.deepEqual(keys.decode(bytes("a\x16")), [insert("a")]);
  assert.deepEqual(keys.decode(new Uint8Array(0)), []);
  assert.deepEqual(keys.decode(bytes("\x04b")), [insert("\x04b")]);
});

Deno.test("KeyDecoder.decode() quotes a character that arrives in pieces after Ctrl+V", () => {
  const stream = bytes("\x16好\x16😀");
  for (const reads of everySplit(stream)) {
    assert.deepEqual(decodeReads(reads), [insert("好😀")], reads.map((r) => r.length).join("+"));
  }
});

// --- Unknown and split sequences ---

Deno.test("KeyDecoder.decode() ignores escape sequences it does not know", () => {
  const unknown = [
    "\x1b[Z", // Shift+Tab
    "\x1b[2~", // Insert
    "\x1b[5~", // Page Up
    "\x1b[15~", // F5
    "\x1b[24;5~", // Ctrl+F12
    "\x1bOP", // F1
    "\x1b[M", // mouse report start
    "\x1b[?1;2c", // device attributes reply
    "\x1bx", // Alt+x
    "\x1b\x1b", // Escape twice
  ];
  for (const sequence of unknown) {
    assert.deepEqual(decodeOne(`a${sequence}b`), [insert("ab")], JSON.stringify(sequence));
  }
});

Deno.test("KeyDecoder.decode() inserts the text between bracketed paste markers", () => {
  assert.deepEqual(decodeOne("\x1b[200~pasted\x1b[201~"), [insert("pasted")]);
});

Deno.test("KeyDecoder.decode() keeps a lone ESC until the next read says what it is", () => {
  const keys = new KeyDecoder();
  assert.deepEqual(keys.decode(bytes("ab\x1b")), [insert("ab")]);
  assert.deepEqual(keys.decode(bytes("[")), []);
  assert.deepEqual(keys.decode(bytes("1;5")), []);
  assert.deepEqual(keys.decode(bytes("Dc")), [key("wordLeft"), insert("c")]);
});

Deno.test("KeyDecoder.decode() gives the same actions for escape sequences split at every byte", () => {
  const stream = bytes("x\x1b[A\x1bOB\x1b[3~\x1b[1;5C\x1bb\x1b\x7fy\x1b[Zz");
  const expected = decodeOne(new TextDecoder().decode(stream));
  assert.deepEqual(expected, [
    insert("x"),
    key("historyBack"),
    key("historyForward"),
    key("deleteForward"),
    key("wordRight"),
    key("wordLeft"),
    key("killWordBack"),
    insert("yz"),
  ]);
  for (const reads of everySplit(stream)) {
    assert.deepEqual(decodeReads(reads), expected, reads.map((r) => r.length).join("+"));
  }
});

Deno.test("KeyDecoder.decode() gives the same insert for CJK and emoji split at every byte", () => {
  const stream = bytes("好男孩😀a👍🏽é");
  for (const reads of everySplit(stream)) {
    assert.deepEqual(decodeReads(reads), [insert("好男孩😀a👍🏽é")]);
  }
});

Deno.test("KeyDecoder.decode() never inserts half of a surrogate pair after ESC", () => {
  // Alt+emoji is not a key; the emoji must not leave a lone low surrogate behind.
  for (const actions of [decodeOne("a\x1b😀b"), decodeReads(["a\x1b", "😀b"])]) {
    for (const action of actions) {
      if (action.kind === "insert") assert(action.text.isWellFormed(), JSON.stringify(action));
    }
  }
});

Deno.test("KeyDecoder.decode() gives up on a sequence with no end instead of keeping it", () => {
  // Parameters that never end must not grow the pending text without bound.
  const keys = new KeyDecoder();
  keys.decode(bytes("\x1b["));
  for (let i = 0; i < 1000; i++) keys.decode(bytes("1;"));
  assert.deepEqual(mergeInserts(keys.decode(bytes("\x01"))).at(-1), key("home"));
});

Deno.test("KeyDecoder.decode() turns a 64 KiB paste into one insert", () => {
  const text = "好男孩 good boy 😀 ".repeat(4096).slice(0, 65536);
  const stream = bytes(text);
  assert(stream.length > 65536);
  assert.deepEqual(new KeyDecoder().decode(stream), [insert(text)]);
});

Deno.test("KeyDecoder.decode() turns a 64 KiB paste in 4 KiB reads into one insert once merged", () => {
  const text = "x".repeat(65536);
  const reads = splitAt(bytes(text), Array.from({ length: 16 }, (_, i) => i * 4096));
  assert.deepEqual(decodeReads(reads), [insert(text)]);
});

// --- Properties ---

/** Pieces chosen to hit the hard cases: keys, sequences, CRLF, Ctrl+V, multi-byte text. */
const pieceArbitrary: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 6 }).map(bytes),
  fc.constantFrom(
    "\r",
    "\n",
    "\r\n",
    "\x16",
    "\x1b",
    "\x1b[",
    "\x1bO",
    "\x1b[A",
    "\x1b[1;5C",
    "\x1b[3~",
    "\x1b[200~",
    "\x1bb",
    "\x1b\x7f",
    "\x7f",
    "\t",
    "\x03",
    "好",
    "男孩",
    "😀",
    "👍🏽",
    "e\u0301",
    "1;",
    "~",
  ).map(bytes),
  fc.constantFrom(...CONTROL_KEYS.map(([byte]) => byte)).map(bytes),
  fc.uint8Array({ maxLength: 4 }),
);

const streamArbitrary = fc.array(pieceArbitrary, { maxLength: 40 }).map(concatBytes);

Deno.test("KeyDecoder.decode() gives the same actions however the bytes are split", () => {
  fc.assert(
    fc.property(streamArbitrary, fc.array(fc.nat(), { maxLength: 30 }), (stream, cuts) => {
      assert.deepEqual(decodeReads(splitAt(stream, cuts)), decodeReads([stream]));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("KeyDecoder.decode() gives the same actions for one byte per read as for one read", () => {
  fc.assert(
    fc.property(streamArbitrary, (stream) => {
      const oneByteReads = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
      assert.deepEqual(decodeReads(oneByteReads), decodeReads([stream]));
    }),
    { numRuns: 500 },
  );
});

Deno.test("KeyDecoder.decode() gives the same actions with long unterminated sequences, however split", () => {
  // ESC [ followed by more parameter bytes than the decoder waits for.
  const longSequence = fc.tuple(fc.integer({ min: 20, max: 60 }), fc.constantFrom("A", "~", "x"))
    .map(([length, final]) => bytes("\x1b[" + "1".repeat(length) + final));
  const stream = fc.array(fc.oneof(pieceArbitrary, longSequence), { maxLength: 10 }).map(
    concatBytes,
  );
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (stream, cuts) => {
      assert.deepEqual(decodeReads(splitAt(stream, cuts)), decodeReads([stream]));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("KeyDecoder.decode() inserts all printable text it is given, in order", () => {
  // Text without control characters comes out as it went in.
  const printable = fc.string({ unit: "grapheme", maxLength: 40 }).filter((text) =>
    Array.from(text).every((char) => char >= " " && char !== "\x7f")
  );
  fc.assert(
    fc.property(printable, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
      const actions = decodeReads(splitAt(bytes(text), cuts));
      assert.deepEqual(actions, text === "" ? [] : [insert(text)]);
    }),
  );
});
