/**
 * Tests for lib/web/chat.js, the chat page's script, imported here as the
 * module it is (with no `document`, it starts nothing): its pure parts agree
 * with the server's rules and the terminal client's colours, and its text
 * never turns anything into markup or code. The browser tests in
 * tests/scripts/web_browser_test.ts run it in a real page.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BLANK,
  classify,
  fill,
  isQuit,
  NICK_COLOURS,
  nickColourIndex,
  NOTICE_PREFIX as PAGE_NOTICE_PREFIX,
  parseMessage,
  reconnectDelay,
  reconnectsAfter,
  resumeProtocols,
  splitLines,
} from "../../lib/web/chat.js";
import { PAGE_PROTOCOL, parseResumeProtocols } from "../../lib/web/web_resume.ts";
import { ChatHistory } from "../../lib/chat/chat_history.ts";
import { PAGE_SCRIPT, PAGE_STYLE } from "../../lib/web/web_page.ts";
import { actionFrame, noticeFrame, privateFrame, textFrame } from "../../lib/chat/chat_lines.ts";
import { NOTICE_PREFIX } from "../../lib/text/texts.ts";
import { NICK_COLORS, NICK_PALETTE, nickColor } from "../../lib/client/line_style.ts";

Deno.test("chat.js never turns text into markup or code", () => {
  for (
    const banned of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
      "Function(",
      "setAttribute",
      ".src",
      ".href",
      "import(",
      "fetch(",
    ]
  ) {
    assert.ok(!PAGE_SCRIPT.includes(banned), banned);
  }
  // Every timer gets a function, never a string to evaluate.
  const timers = [...PAGE_SCRIPT.matchAll(/set(?:Timeout|Interval)\(([^,]*)/g)];
  assert.ok(timers.length >= 3);
  for (const match of timers) assert.match(match[1]!, /^(?:\(\) =>|[a-zA-Z]+$)/);
});

Deno.test("chat.js sorts lines into notices, actions, private lines and text", () => {
  assert.deepEqual(classify("*** guest3 joined"), {
    kind: "notice",
    nick: null,
    prefix: "",
    rest: "*** guest3 joined",
  });
  assert.deepEqual(classify("* server shutting down"), {
    kind: "action",
    nick: "server",
    prefix: "* server",
    rest: " shutting down",
  });
  assert.deepEqual(classify("[ann] hi <b>"), {
    kind: "text",
    nick: "ann",
    prefix: "[ann]",
    rest: " hi <b>",
  });
  assert.deepEqual(classify("[小明 -> bob] 你好"), {
    kind: "private",
    nick: "小明",
    prefix: "[小明 -> bob]",
    rest: " 你好",
  });
  assert.deepEqual(classify("[not a nick] x").nick, null);
  assert.deepEqual(classify("plain").kind, "text");
  assert.deepEqual(classify("* a*b x").kind, "text", "no name holds a star");
  assert.deepEqual(splitLines("*** a\n[b] c\n"), ["*** a", "[b] c"]);
  assert.deepEqual(splitLines("*** a\n\n"), ["*** a", ""]);
  assert.deepEqual(splitLines(""), []);
});

Deno.test("chat.js knows /quit, and never sends a blank line", () => {
  assert.equal(isQuit("/quit"), true);
  assert.equal(isQuit("/QUIT lunch"), true);
  assert.equal(isQuit("/quitter"), false);
  assert.equal(isQuit("quit"), false);
  assert.ok(BLANK.test(" \t"));
  assert.ok(!BLANK.test(" x"));
});

/** Characters that stress a hash over lower-cased UTF-16 units. */
const nickChar: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }), // ASCII, both cases
  fc.integer({ min: 0x4e00, max: 0x9fff }), // CJK, one unit each
  fc.integer({ min: 0x10000, max: 0x10ffff }), // astral: two units each
  fc.integer({ min: 0xd800, max: 0xdfff }), // a lone surrogate
  fc.constantFrom(0x130, 0x1e9e, 0x3a3, 0x10400), // İ, ẞ, Σ, 𐐀: lower case changes length or plane
).map((code) => code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code));

Deno.test("chat.js tells the server's lines from people's as the server writes them", () => {
  assert.equal(PAGE_NOTICE_PREFIX, NOTICE_PREFIX);
  const decode = (frame: Uint8Array) => new TextDecoder().decode(frame).slice(0, -1);
  assert.equal(classify(decode(noticeFrame("guest2 joined"))).kind, "notice");
  assert.deepEqual(classify(decode(actionFrame("server", "shutting down"))), {
    kind: "action",
    nick: "server",
    prefix: "* server",
    rest: " shutting down",
  });
  assert.equal(classify(decode(textFrame("ann", "*** fake"))).kind, "text");
  assert.equal(classify(decode(privateFrame("ann", "bob", "*** fake"))).kind, "private");
});

Deno.test("chat.js colours a name as the terminal client's nickColor() does", () => {
  assert.equal(NICK_COLORS.length, NICK_COLOURS);
  const sameColour = (nick: string) => {
    assert.equal(nickColourIndex(nick, NICK_COLOURS), NICK_COLORS.indexOf(nickColor(nick)), nick);
  };
  for (const nick of ["guest1", "Ann", "ann", "小明", "😀", "İSTANBUL", ""]) sameColour(nick);
  fc.assert(fc.property(fc.string({ unit: nickChar, maxLength: 24 }), sameColour), {
    numRuns: 2000,
  });
  fc.assert(fc.property(fc.string({ unit: "binary" }), sameColour), { numRuns: 2000 });
  // Every index the script can give has its rule in chat.css, and no more.
  for (let i = 0; i < NICK_COLOURS; i++) {
    assert.match(PAGE_STYLE, new RegExp(`\\.n${i} \\{\\s*color: var\\(--n${i}\\);\\s*\\}`));
  }
  assert.doesNotMatch(PAGE_STYLE, new RegExp(`\\.n${NICK_COLOURS}\\b`));
});

Deno.test("chat.js waits 1, 2, 4 ... 30 s to reconnect, give or take 20%", () => {
  const middle = [0, 1, 2, 3, 4, 5, 6, 20, 1000].map((n) => reconnectDelay(n, 0.5));
  assert.deepEqual(middle, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  assert.equal(reconnectDelay(0, 0), 800);
  assert.equal(reconnectDelay(0, 1), 1200);
  assert.equal(reconnectDelay(9, 0.999), 35988);
});

Deno.test("chat.js fills in texts literally and takes only messages of the protocol", () => {
  assert.equal(fill("You are {nick}", "nick", "$&x"), "You are $&x");
  assert.equal(fill("{s} s… {s}", "s", "3"), "3 s… 3");
  assert.deepEqual(parseMessage('{"lines":"*** hi\\n"}'), { lines: "*** hi\n" });
  assert.deepEqual(parseMessage('{"lines":"[a] b\\n","own":true}'), {
    lines: "[a] b\n",
    own: true,
  });
  assert.deepEqual(parseMessage('{"lines":"[a] b\\n","own":1}'), { lines: "[a] b\n" });
  assert.deepEqual(parseMessage('{"own":true}'), {});
  assert.deepEqual(parseMessage('{"you":"ann","members":["ann","bob"]}'), {
    you: "ann",
    members: ["ann", "bob"],
  });
  assert.deepEqual(parseMessage('{"you":"ann","members":["ann",1]}'), {});
  assert.deepEqual(parseMessage('{"lines":["<b>"]}'), {});
  for (const bad of ["not json", "null", "[1]", '"text"', new Uint8Array(2)]) {
    assert.equal(parseMessage(bad), null);
  }
});

/** The RGB of a colour of the 256-colour palette's 6x6x6 cube (16 to 231). */
function cubeRgb(index: number): [number, number, number] {
  const levels = [0, 95, 135, 175, 215, 255];
  const n = index - 16;
  assert.ok(n >= 0 && n < 216, `${index} is in the colour cube, not grey or the 16 basic colours`);
  return [levels[Math.floor(n / 36)]!, levels[Math.floor(n / 6) % 6]!, levels[n % 6]!];
}

/** The hue of an RGB colour in degrees, 0 to 360. */
function hue([r, g, b]: readonly number[]): number {
  const [max, min] = [Math.max(r!, g!, b!), Math.min(r!, g!, b!)];
  assert.ok(max - min > 40, `${[r, g, b]} has a hue (it is no grey)`);
  const d = max - min;
  const h = max === r ? ((g! - b!) / d) % 6 : max === g ? (b! - r!) / d + 2 : (r! - g!) / d + 4;
  return (h * 60 + 360) % 360;
}

/** The page's --nN colours, in the light and in the dark scheme. */
function pageNickColours(): { light: number[][]; dark: number[][] } {
  const dark = PAGE_STYLE.indexOf("prefers-color-scheme:dark");
  const read = (css: string) => {
    const found = [...css.matchAll(/--n(\d+): #([0-9a-f]{6});/g)];
    assert.deepEqual(found.map((match) => Number(match[1])), found.map((_, i) => i), "in order");
    return found.map((match) => [0, 2, 4].map((at) => parseInt(match[2]!.slice(at, at + 2), 16)));
  };
  const end = PAGE_STYLE.indexOf("}\n}", dark);
  return { light: read(PAGE_STYLE.slice(0, dark)), dark: read(PAGE_STYLE.slice(dark, end)) };
}

Deno.test("nickname colours: twelve, none red, the same hues in the page and in client.ts", () => {
  assert.ok(NICK_COLOURS >= 12);
  assert.equal(NICK_PALETTE.length, NICK_COLOURS);
  const { light, dark } = pageNickColours();
  assert.equal(light.length, NICK_COLOURS);
  assert.equal(dark.length, NICK_COLOURS);
  const notRed = (h: number, what: string) => assert.ok(h > 20 && h < 340, `${what}: hue ${h}`);
  const near = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b)) <= 25;
  for (let i = 0; i < NICK_COLOURS; i++) {
    const terminal = hue(cubeRgb(NICK_PALETTE[i]!));
    notRed(terminal, `terminal colour ${i}`);
    notRed(hue(light[i]!), `--n${i}`);
    notRed(hue(dark[i]!), `dark --n${i}`);
    assert.ok(near(terminal, hue(light[i]!)), `--n${i} has the terminal's hue`);
    assert.ok(near(terminal, hue(dark[i]!)), `dark --n${i} has the terminal's hue`);
  }
  // Twelve different colours: no two terminal colours alike.
  assert.equal(new Set(NICK_PALETTE).size, NICK_COLOURS);
});

Deno.test("parseMessage() keeps a line's ids only one a line and well formed, and a resume token only of its shape", () => {
  const token = "a".repeat(43);
  assert.deepEqual(parseMessage(JSON.stringify({ lines: "[a] 1\n[a] 2\n", ids: ["x.1", "x.2"] })), {
    lines: "[a] 1\n[a] 2\n",
    ids: ["x.1", "x.2"],
  });
  for (const ids of [["x.1"], ["x.1", "x 2"], "x.1"]) {
    assert.deepEqual(parseMessage(JSON.stringify({ lines: "[a] 1\n[a] 2\n", ids })), {
      lines: "[a] 1\n[a] 2\n",
    });
  }
  assert.deepEqual(parseMessage(JSON.stringify({ resume: token })), { resume: token });
  assert.deepEqual(parseMessage(JSON.stringify({ resume: token + "!" })), {});
});

Deno.test("resumeProtocols() offers only what is well formed: the page's protocol always", () => {
  const token = "b".repeat(43);
  assert.deepEqual(resumeProtocols(null, null, null), ["tcp-toolkit"]);
  assert.deepEqual(resumeProtocols(token, "x.1", "ann"), [
    "tcp-toolkit",
    `resume.${token}`,
    "after.x.1",
    "nick.YW5u",
  ]);
  assert.deepEqual(resumeProtocols("short", "x 1", ""), ["tcp-toolkit"]);
  // The page and the server agree: what the page offers, the server reads back.
  assert.equal(resumeProtocols(null, null, null)[0], PAGE_PROTOCOL);
  const id = new ChatHistory(1).newIds(1)![0]!;
  assert.deepEqual(parseResumeProtocols(resumeProtocols(token, id, "小红 ").join(", ")), {
    token,
    after: id,
    nick: "小红 ",
  });
});

Deno.test("chat.js: the page comes back by itself after a drop or a restart, not after a kick, a ban or /quit", () => {
  for (const code of [1001, 1005, 1006, 1011, 1012, 1013]) {
    assert.equal(reconnectsAfter(code), true);
  }
  for (const code of [1000, 1003, 1008, 1009, 4000]) assert.equal(reconnectsAfter(code), false);
});
