/**
 * Tests for lib/session/reply_template.ts: filling `{msg}` with a message's bytes.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { OutputBuffer } from "../../lib/stream/output_buffer.ts";
import { TEXTS } from "../../lib/text/texts.ts";
import { MESSAGE_PLACEHOLDER, ReplyTemplate } from "../../lib/session/reply_template.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Renders into one byte array, with the message in the middle of a larger buffer. */
function renderBytes(template: ReplyTemplate, message: Uint8Array): Uint8Array {
  const source = new Uint8Array(message.length + 6).fill(0x2a); // "*" around the message
  source.set(message, 3);
  const out = new OutputBuffer();
  template.renderInto(out, source, 3, 3 + message.length);
  return out.take().slice();
}

function renderText(template: string, message: string): string {
  return decoder.decode(renderBytes(new ReplyTemplate(template), encoder.encode(message)));
}

Deno.test("MESSAGE_PLACEHOLDER is {msg}", () => {
  assert.equal(MESSAGE_PLACEHOLDER, "{msg}");
});

Deno.test("ReplyTemplate.renderInto() gives the tutorial's Chinese reply, ending with LF", () => {
  assert.equal(renderText(TEXTS.zh.defaultReply, "好男孩"), "服务端接收到的信息为：好男孩\n");
});

Deno.test("ReplyTemplate.renderInto() gives the English default reply", () => {
  assert.equal(renderText(TEXTS.en.defaultReply, "good boy"), "Server received: good boy\n");
});

Deno.test("ReplyTemplate.renderInto() fills every {msg}, at the start, middle and end", () => {
  assert.equal(renderText("{msg}", "hi"), "hi\n");
  assert.equal(renderText("{msg} and {msg}", "hi"), "hi and hi\n");
  assert.equal(renderText("[{msg}]{msg}", "x"), "[x]x\n");
  assert.equal(renderText("{msg}{msg}", "ab"), "abab\n");
});

Deno.test("ReplyTemplate.renderInto() sends a template without {msg} as it is", () => {
  assert.equal(renderText("OK", "ignored"), "OK\n");
  assert.equal(renderText("", "ignored"), "\n");
});

Deno.test("ReplyTemplate.renderInto() leaves other braces alone", () => {
  assert.equal(renderText("{ms} {MSG} {{msg}}", "x"), "{ms} {MSG} {x}\n");
});

Deno.test("ReplyTemplate.renderInto() copies the message bytes unchanged, invalid UTF-8 included", () => {
  const message = new Uint8Array([0xff, 0x00, 0xe5, 0xa5]);
  const bytes = renderBytes(new ReplyTemplate("<{msg}>"), message);
  assert.deepEqual([...bytes], [0x3c, 0xff, 0x00, 0xe5, 0xa5, 0x3e, 0x0a]);
});

Deno.test("ReplyTemplate.renderInto() does not insert the message into the template text", () => {
  // A message that itself contains "{msg}" is not expanded again.
  assert.equal(renderText("R: {msg}", "{msg}"), "R: {msg}\n");
});

Deno.test("ReplyTemplate.renderInto() gives the same reply every time", () => {
  const template = new ReplyTemplate("服务端接收到的信息为：{msg}");
  const first = renderBytes(template, encoder.encode("一"));
  const second = renderBytes(template, encoder.encode("一"));
  assert.deepEqual(second, first);
  assert.equal(
    decoder.decode(renderBytes(template, encoder.encode("二"))),
    "服务端接收到的信息为：二\n",
  );
});

Deno.test("ReplyTemplate.renderInto() equals the template with {msg} replaced, then LF", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: "grapheme", maxLength: 6 }), { maxLength: 5 }),
      fc.string({ unit: "grapheme", maxLength: 10 }),
      (pieces, message) => {
        const template = pieces.join(MESSAGE_PLACEHOLDER);
        const expected = template.split(MESSAGE_PLACEHOLDER).join(message) + "\n";
        assert.equal(renderText(template, message), expected);
      },
    ),
  );
});
