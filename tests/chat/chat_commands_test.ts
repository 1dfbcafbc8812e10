/**
 * Tests for lib/chat/chat_commands.ts: what each line means, checked case by case
 * and against the rules for any text.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { isPrivateMessage, parseChatLine } from "../../lib/chat/chat_commands.ts";

Deno.test("parseChatLine() takes blank lines as empty", () => {
  for (const line of ["", " ", "\t", "  \t "]) {
    assert.deepEqual(parseChatLine(line), { kind: "empty" }, JSON.stringify(line));
  }
});

Deno.test("parseChatLine() takes a line not starting with / as text, exactly as sent", () => {
  for (const line of ["hello", " /nick x", "好男孩", "*** fake notice", "a  b  ", "\x1b[2J"]) {
    assert.deepEqual(parseChatLine(line), { kind: "say", text: line });
  }
});

Deno.test("parseChatLine() takes // as text starting with /", () => {
  assert.deepEqual(parseChatLine("//nick x"), { kind: "say", text: "/nick x" });
  assert.deepEqual(parseChatLine("//"), { kind: "say", text: "/" });
  assert.deepEqual(parseChatLine("///"), { kind: "say", text: "//" });
});

Deno.test("parseChatLine() reads every command, in any case, with spaces or tabs between words", () => {
  const cases: [string, ReturnType<typeof parseChatLine>][] = [
    ["/nick alice", { kind: "nick", name: "alice" }],
    ["/NICK\talice  ", { kind: "nick", name: "alice" }],
    ["/nick a b", { kind: "nick", name: "a b" }],
    ["/who", { kind: "who" }],
    ["/Who everyone", { kind: "who" }],
    ["/msg bob hi there", { kind: "msg", name: "bob", text: "hi there" }],
    ["/msg  bob \t hi  there  ", { kind: "msg", name: "bob", text: "hi  there  " }],
    ["/me waves", { kind: "me", text: "waves" }],
    ["/me  waves twice", { kind: "me", text: "waves twice" }],
    ["/quit", { kind: "quit", reason: null }],
    ["/quit   ", { kind: "quit", reason: null }],
    ["/quit bye all ", { kind: "quit", reason: "bye all" }],
    ["/help", { kind: "help" }],
    ["/HELP me", { kind: "help" }],
  ];
  for (const [line, command] of cases) assert.deepEqual(parseChatLine(line), command, line);
});

Deno.test("parseChatLine() reports a missing argument as usage", () => {
  const cases: [string, string][] = [
    ["/nick", "nick"],
    ["/nick   ", "nick"],
    ["/msg", "msg"],
    ["/msg bob", "msg"],
    ["/msg bob  \t", "msg"],
    ["/me", "me"],
    ["/me  ", "me"],
  ];
  for (const [line, command] of cases) {
    assert.deepEqual(parseChatLine(line), { kind: "usage", command }, line);
  }
});

Deno.test("parseChatLine() reports any other /word as unknown, with the word as typed", () => {
  assert.deepEqual(parseChatLine("/shrug x"), { kind: "unknown", command: "shrug" });
  assert.deepEqual(parseChatLine("/Nicks"), { kind: "unknown", command: "Nicks" });
  assert.deepEqual(parseChatLine("/"), { kind: "unknown", command: "" });
  assert.deepEqual(parseChatLine("/ nick x"), { kind: "unknown", command: "" });
});

Deno.test("parseChatLine() never throws, and text is text unless it starts with /", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (line) => {
      const command = parseChatLine(line);
      if (/^[ \t]*$/.test(line)) assert.deepEqual(command, { kind: "empty" });
      else if (!line.startsWith("/")) assert.deepEqual(command, { kind: "say", text: line });
      else if (line.startsWith("//")) {
        assert.deepEqual(command, { kind: "say", text: line.slice(1) });
      } else assert.notEqual(command.kind, "say");
    }),
  );
});

Deno.test("isPrivateMessage() is true exactly when parseChatLine() reads a /msg", () => {
  for (const line of ["/msg bob hi", "/MSG\tbob\t悄悄话", "/Msg bob  a b "]) {
    assert.ok(isPrivateMessage(line), line);
  }
  for (const line of ["//msg bob hi", "/msg bob", "/msg", " /msg bob hi", "/msgs bob hi", "msg"]) {
    assert.ok(!isPrivateMessage(line), line);
  }
  fc.assert(
    fc.property(fc.string(), (text) => {
      for (const line of [text, `/msg ${text}`, `/${text}`]) {
        assert.equal(isPrivateMessage(line), parseChatLine(line).kind === "msg", line);
      }
    }),
  );
});
