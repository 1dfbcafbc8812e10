/**
 * Tests for lib/chat/chat_lines.ts: the shapes of chat lines, and text made safe
 * for a terminal, checked against a reference written from the rules.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  actionFrame,
  joinFrames,
  noticeFrame,
  privateFrame,
  textFrame,
  visibleText,
} from "../../lib/chat/chat_lines.ts";
import { isValidNick } from "../../lib/chat/chat_names.ts";
import { ACTION_PREFIX, NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { controlHeavyChar } from "../support/text_arbitraries.ts";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const text = (frame: Uint8Array) => decoder.decode(frame);

Deno.test("noticeFrame() starts every line with *** and ends with a newline", () => {
  assert.equal(NOTICE_PREFIX, "*** ");
  assert.equal(text(noticeFrame("guest3 joined")), "*** guest3 joined\n");
  assert.equal(
    text(noticeFrame("Commands:\n/who\n/help")),
    "*** Commands:\n*** /who\n*** /help\n",
  );
});

Deno.test("textFrame(), actionFrame() and privateFrame() put a person's text after the server's prefix", () => {
  assert.equal(text(textFrame("ann", "*** not a notice")), "[ann] *** not a notice\n");
  assert.equal(text(actionFrame("ann", "waves")), "* ann waves\n");
  assert.equal(text(privateFrame("ann", "bob", "hi")), "[ann -> bob] hi\n");
  assert.equal(text(textFrame("小明", "好男孩")), "[小明] 好男孩\n");
});

Deno.test("A person's line never starts like a server line, whatever the valid name and text", () => {
  assert.equal(
    text(actionFrame("server", "shutting down")),
    ACTION_PREFIX + "server shutting down\n",
  );
  // Names the rule takes, and some it refuses (a star, a space): those are filtered out.
  const name = fc.array(
    fc.constantFrom("server", "Welcome", "*", "＊", "a", "张", "_", "-", "1", "é", " "),
    { minLength: 1, maxLength: 4 },
  ).map((parts) => parts.join("")).filter(isValidNick);
  const said = fc.string({ maxLength: 20 });
  fc.assert(
    fc.property(name, name, said, (from, to, words) => {
      for (
        const frame of [
          textFrame(from, words),
          actionFrame(from, words),
          privateFrame(from, to, words),
        ]
      ) {
        const lines = text(frame).split("\n");
        assert.equal(lines.length, 2, "one line");
        assert.ok(!lines[0]!.startsWith(NOTICE_PREFIX), lines[0]);
      }
    }),
  );
});

Deno.test("visibleText() shows C0 (tab aside), DEL, C1, bidi controls and separators visibly", () => {
  assert.equal(visibleText("a\x00b\x1b[2J\x7f\r"), "a^@b^[[2J^?^M");
  assert.equal(visibleText("\x85\x9b"), "<U+0085><U+009B>");
  assert.equal(visibleText("\u061c\u200e\u200f"), "<U+061C><U+200E><U+200F>");
  assert.equal(
    visibleText("\u202a\u202b\u202c\u202d\u202e"),
    "<U+202A><U+202B><U+202C><U+202D><U+202E>",
  );
  assert.equal(visibleText("\u2066\u2067\u2068\u2069"), "<U+2066><U+2067><U+2068><U+2069>");
  assert.equal(visibleText("\u2028\u2029"), "<U+2028><U+2029>");
  assert.equal(visibleText("a\tb"), "a\tb");
});

/** The characters that must not pass, written from the rules. */
function mustShow(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0x061c ||
    code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029;
}

Deno.test("visibleText() leaves every other character as it is, and lets none of those through", () => {
  fc.assert(
    fc.property(fc.array(controlHeavyChar, { maxLength: 20 }), (chars) => {
      const shown = visibleText(chars.join(""));
      const expected = chars.map((c) => {
        const code = c.codePointAt(0)!;
        if (!mustShow(code)) return c;
        if (code < 0x20) return "^" + String.fromCharCode(code + 0x40);
        if (code === 0x7f) return "^?";
        return `<U+${code.toString(16).toUpperCase().padStart(4, "0")}>`;
      }).join("");
      assert.equal(shown, expected);
    }),
  );
});

Deno.test("visibleText() returns the very string when there is nothing to show", () => {
  const plain = "nothing to change 好";
  assert.strictEqual(visibleText(plain), plain);
});

Deno.test("joinFrames() concatenates in order, and returns a single frame itself", () => {
  const one = noticeFrame("one");
  assert.strictEqual(joinFrames([one]), one);
  assert.equal(text(joinFrames([one, textFrame("a", "b")])), "*** one\n[a] b\n");
  assert.equal(joinFrames([]).length, 0);
});
