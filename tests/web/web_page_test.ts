/**
 * Tests for lib/web/web_page.ts: the chat page's HTML keeps to its
 * Content-Security-Policy (no inline script, style or handler), its texts
 * reach the script escaped, the script never turns text into markup, and the
 * script's own logic (run here in Deno, where it starts nothing) agrees with
 * the server's rules.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  escapeHtml,
  nickColourIndex,
  PAGE_SCRIPT,
  PAGE_STYLE,
  PAGE_TEXTS,
  pageHtml,
  type PageTexts,
} from "../../lib/web/web_page.ts";
import { visibleText } from "../../lib/chat/chat_lines.ts";
import { NICK_COLORS, nickColor } from "../../lib/client/line_style.ts";
import { LANGS } from "../../lib/settings/lang.ts";

/** The pure parts PAGE_SCRIPT hands over when there is no `document`. */
interface ScriptParts {
  BLANK: RegExp;
  classify(line: string): { kind: string; nick: string | null; prefix: string; rest: string };
  fill(template: string, name: string, value: string): string;
  nickColourIndex(nick: string, count: number): number;
  outgoing(line: string): { say: string | null; act: string | null; quit: boolean };
  parseMessage(data: unknown): { lines?: string; you?: string; members?: string[] } | null;
  reconnectDelay(attempt: number, random: number): number;
  splitLines(text: string): string[];
  visible(text: string): string;
}

// Only here, to reach the browser code: the page itself never evaluates strings.
const script = new Function("return " + PAGE_SCRIPT)() as ScriptParts;
const COLOURS = 6; // .n0 to .n5 in PAGE_STYLE

/** Undoes escapeHtml(), for reading an attribute back. */
function unescapeHtml(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'").replaceAll("&amp;", "&");
}

/** The texts as pageHtml() put them in `<body data-texts="…">`. */
function embeddedTexts(html: string): unknown {
  const match = /<body data-texts="([^"]*)">/.exec(html);
  assert.ok(match, "no data-texts attribute on <body>");
  assert.doesNotMatch(match[1]!, /[<>']|&(?!(?:amp|lt|gt|quot|#39);)/);
  return JSON.parse(unescapeHtml(match[1]!));
}

Deno.test("pageHtml() sets the language, charset, viewport and title of each language", () => {
  const expected = { en: 'lang="en"', zh: 'lang="zh-CN"' };
  for (const lang of LANGS) {
    const html = pageHtml(lang);
    const texts = PAGE_TEXTS[lang];
    assert.ok(html.startsWith("<!doctype html>\n"));
    assert.match(html, new RegExp(`<html ${expected[lang]}>`));
    assert.match(html, /<meta charset="utf-8">/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.ok(html.includes(`<title>${escapeHtml(texts.title)}</title>`));
    for (const word of [texts.members, texts.message, texts.send, texts.hint, texts.joinAgain]) {
      assert.ok(html.includes(escapeHtml(word)), `${lang}: ${word}`);
    }
  }
  assert.ok(pageHtml("zh").includes("<h1>聊天室</h1>"));
  assert.ok(pageHtml("zh").includes("在线成员"));
});

Deno.test("pageHtml() has no inline script, style or event handler, and loads nothing from elsewhere", () => {
  for (const lang of LANGS) {
    const html = pageHtml(lang);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.equal(scripts.length, 1);
    for (const [, attributes, body] of scripts) {
      assert.equal(attributes, ' src="/chat.js" defer');
      assert.equal(body, "");
    }
    assert.equal(html.match(/<script/gi)?.length, 1);
    assert.ok(html.includes('<link rel="stylesheet" href="/chat.css">'));
    assert.doesNotMatch(html, /<style/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /javascript:/i);
    assert.doesNotMatch(html, /(?:src|href)="(?!\/chat\.|data:)/);
    assert.doesNotMatch(html, /https?:|\/\//);
  }
});

Deno.test("pageHtml() has the elements the script looks up by id", () => {
  const ids = [...PAGE_SCRIPT.matchAll(/byId\("([^"]+)"\)/g)].map((match) => match[1]);
  assert.ok(ids.length >= 8);
  const html = pageHtml("en");
  for (const id of ids) assert.equal(html.split(`id="${id}"`).length, 2, id);
  assert.match(html, /<div id="messages" role="log" aria-live="polite" aria-label="Messages"/);
  assert.match(html, /<p id="status" role="status" data-state="connecting">Connecting…<\/p>/);
  assert.match(
    html,
    /<label for="input">Message<\/label>\n<input id="input" type="text"[^>]* autofocus/,
  );
  assert.match(html, /<button id="send" type="submit">Send<\/button>/);
  assert.match(html, /<button id="join-again" type="button" hidden>Join again<\/button>/);
});

Deno.test("pageHtml() carries its texts as escaped JSON in data-texts", () => {
  for (const lang of LANGS) {
    assert.deepEqual(embeddedTexts(pageHtml(lang)), PAGE_TEXTS[lang]);
  }
});

Deno.test("escapeHtml() escapes &, <, >, double and single quotes, and nothing else", () => {
  assert.equal(
    escapeHtml(`<script>alert("x" & 'y')</script>`),
    "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
  );
  assert.equal(escapeHtml("聊天室 /help"), "聊天室 /help");
  fc.assert(fc.property(fc.string(), (text) => {
    assert.doesNotMatch(escapeHtml(text), /[<>"']/);
    assert.equal(unescapeHtml(escapeHtml(text)), text);
  }));
});

Deno.test("PAGE_TEXTS has every text in both languages, with its placeholders", () => {
  for (const lang of LANGS) {
    const texts: PageTexts = PAGE_TEXTS[lang];
    for (const [key, value] of Object.entries(texts)) assert.ok(value.length > 0, `${lang} ${key}`);
    assert.ok(texts.you.includes("{nick}"));
    assert.ok(texts.reconnecting.includes("{s}"));
  }
  assert.deepEqual(Object.keys(PAGE_TEXTS.zh), Object.keys(PAGE_TEXTS.en));
  assert.equal(PAGE_TEXTS.zh.reconnecting, "连接已断开，{s} 秒后重连…");
  assert.equal(PAGE_TEXTS.en.you, "You are {nick}");
});

Deno.test("PAGE_SCRIPT never turns text into markup or code", () => {
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
  for (const match of PAGE_SCRIPT.matchAll(/set(?:Timeout|Interval)\(([^,]*)/g)) {
    assert.match(match[1]!, /^(?:\(\) =>|[a-zA-Z]+$)/);
  }
  // Written with String.raw: no template literal inside that TypeScript would have filled in.
  assert.ok(!PAGE_SCRIPT.includes("`"));
  assert.ok(!PAGE_SCRIPT.includes("${"));
});

Deno.test("PAGE_SCRIPT parses, and outside a browser starts nothing but returns its parts", () => {
  assert.ok(PAGE_SCRIPT.startsWith("(() => {\n"));
  assert.ok(PAGE_SCRIPT.endsWith("})();\n"));
  assert.equal(typeof script.classify, "function");
  assert.ok(
    PAGE_SCRIPT.includes(String.raw`/^\[([^\s\[\]]+)\] /u`),
    "regexes survive the TS string",
  );
});

Deno.test("the page script sorts lines into notices, private lines and text", () => {
  assert.deepEqual(script.classify("* guest3 joined"), {
    kind: "notice",
    nick: null,
    prefix: "",
    rest: "* guest3 joined",
  });
  assert.deepEqual(script.classify("[ann] hi <b>"), {
    kind: "text",
    nick: "ann",
    prefix: "[ann]",
    rest: " hi <b>",
  });
  assert.deepEqual(script.classify("[小明 -> bob] 你好"), {
    kind: "private",
    nick: "小明",
    prefix: "[小明 -> bob]",
    rest: " 你好",
  });
  assert.deepEqual(script.classify("[not a nick] x").nick, null);
  assert.deepEqual(script.classify("plain").kind, "text");
  assert.deepEqual(script.splitLines("* a\n[b] c\n"), ["* a", "[b] c"]);
  assert.deepEqual(script.splitLines("* a\n\n"), ["* a", ""]);
  assert.deepEqual(script.splitLines(""), []);
});

Deno.test("the page script shows the user's own text, //text and /me at once, and nothing for other commands", () => {
  assert.deepEqual(script.outgoing("hello"), { say: "hello", act: null, quit: false });
  assert.deepEqual(script.outgoing("//etc"), { say: "/etc", act: null, quit: false });
  assert.deepEqual(script.outgoing("/me  waves"), { say: null, act: "waves", quit: false });
  assert.deepEqual(script.outgoing("/me "), { say: null, act: null, quit: false });
  assert.deepEqual(script.outgoing("/nick ann"), { say: null, act: null, quit: false });
  assert.deepEqual(script.outgoing("/quit"), { say: null, act: null, quit: true });
  assert.deepEqual(script.outgoing("/QUIT lunch"), { say: null, act: null, quit: true });
  assert.deepEqual(script.outgoing("/quitter"), { say: null, act: null, quit: false });
  assert.ok(script.BLANK.test(" \t"));
  assert.ok(!script.BLANK.test(" x"));
});

Deno.test("the page script makes controls visible in the user's own echo as the server does", () => {
  assert.equal(script.visible("a\x1b[2J\u202eb\tc"), "a^[[2J<U+202E>b\tc");
  const char = fc.oneof(
    fc.integer({ min: 0, max: 0xa0 }),
    fc.integer({ min: 0x2000, max: 0x2070 }),
    fc.constantFrom(0x061c, 0x4e00, 0x1f600),
  ).map((code) => String.fromCodePoint(code));
  fc.assert(fc.property(fc.array(char).map((chars) => chars.join("")), (text) => {
    assert.equal(script.visible(text), visibleText(text));
  }));
});

Deno.test("the page script colours a name as nickColourIndex() and the terminal client do", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 24 }), (nick) => {
    const index = nickColourIndex(nick, COLOURS);
    assert.equal(script.nickColourIndex(nick, COLOURS), index);
    assert.equal(NICK_COLORS.indexOf(nickColor(nick)), index);
  }));
  for (let i = 0; i < COLOURS; i++) assert.ok(PAGE_STYLE.includes(`.n${i}{color:var(--n${i})}`));
  assert.ok(!PAGE_STYLE.includes(`.n${COLOURS}{`));
});

Deno.test("the page script waits 1, 2, 4 ... 30 s to reconnect, give or take 20%", () => {
  const middle = [0, 1, 2, 3, 4, 5, 6, 20, 1000].map((n) => script.reconnectDelay(n, 0.5));
  assert.deepEqual(middle, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  assert.equal(script.reconnectDelay(0, 0), 800);
  assert.equal(script.reconnectDelay(0, 1), 1200);
  assert.equal(script.reconnectDelay(9, 0.999), 35988);
});

Deno.test("the page script fills in texts literally and takes only messages of the protocol", () => {
  assert.equal(script.fill("You are {nick}", "nick", "$&x"), "You are $&x");
  assert.equal(script.fill("{s} s… {s}", "s", "3"), "3 s… 3");
  assert.deepEqual(script.parseMessage('{"lines":"* hi\\n"}'), { lines: "* hi\n" });
  assert.deepEqual(script.parseMessage('{"you":"ann","members":["ann","bob"]}'), {
    you: "ann",
    members: ["ann", "bob"],
  });
  assert.deepEqual(script.parseMessage('{"you":"ann","members":["ann",1]}'), {});
  assert.deepEqual(script.parseMessage('{"lines":["<b>"]}'), {});
  for (const bad of ["not json", "null", "[1]", '"text"', new Uint8Array(2)]) {
    assert.equal(script.parseMessage(bad), null);
  }
});

Deno.test("PAGE_STYLE loads nothing, wraps long words and follows the light or dark scheme", () => {
  assert.doesNotMatch(PAGE_STYLE, /url\(|@import|@font-face|expression\(/i);
  assert.ok(PAGE_STYLE.includes("overflow-wrap:anywhere"));
  assert.ok(PAGE_STYLE.includes("@media (prefers-color-scheme:dark)"));
  assert.ok(PAGE_STYLE.includes(":focus-visible{outline:"));
  assert.equal(PAGE_STYLE.split("{").length, PAGE_STYLE.split("}").length);
});

Deno.test("the page's three parts together stay well under 30 KB", () => {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  for (const lang of LANGS) {
    const total = bytes(pageHtml(lang)) + bytes(PAGE_SCRIPT) + bytes(PAGE_STYLE);
    assert.ok(total < 30 * 1024, `${lang}: ${total} bytes`);
  }
});
