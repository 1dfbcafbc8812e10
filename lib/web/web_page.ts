/**
 * The chat page of `--web`: its HTML, script and style as strings, so the
 * server reads no file and the page fetches nothing from anywhere else (it
 * works offline). The server serves `pageHtml(lang)` at `/`,
 * {@linkcode PAGE_SCRIPT} at `/chat.js` and {@linkcode PAGE_STYLE} at
 * `/chat.css`, under a Content-Security-Policy that allows scripts and styles
 * from those URLs only. So the HTML has no inline script, no `style`
 * attribute and no event-handler attribute; the page's texts reach the script
 * as JSON in the `data-texts` attribute of `<body>`.
 *
 * The script shows everything with `textContent` and `createElement`: a line
 * like `<img src=x onerror=alert(1)>` appears as those characters.
 *
 * What the script relies on in the HTML (and browser tests may too):
 * `#status` (`data-state`: `connecting`, `open`, `waiting` or `left`),
 * `#join-again`, `#messages` (one `<p>` per line, class `notice`, `private`,
 * `text`, plus `own` for the user's own lines and `local` for the page's own
 * notes), `#members` (one `<li>` per name, `me` for the user), `#you`,
 * `#member-count`, `#send-form`, `#input` and `#send`.
 *
 * @module
 */

import type { Lang } from "../settings/lang.ts";

/**
 * The page's own words. `{s}` and `{nick}` stand for the values the script
 * puts in. Plain strings only: they travel to the script as JSON.
 */
export interface PageTexts {
  /** The page's title and heading. */
  readonly title: string;
  /** Accessible name of the message list. */
  readonly messages: string;
  /** Heading of the member list. */
  readonly members: string;
  /** The user's own nickname; `{nick}` stands for it. */
  readonly you: string;
  /** Beside the user's name in the member list. */
  readonly youMark: string;
  /** Label of the input. */
  readonly message: string;
  /** The send button. */
  readonly send: string;
  /** Under the input: where to find the commands. */
  readonly hint: string;
  /** Status while connecting. */
  readonly connecting: string;
  /** Status while connected. */
  readonly connected: string;
  /** A line in the message list where the connection was lost. */
  readonly disconnected: string;
  /** Status while waiting to reconnect; `{s}` stands for the seconds left. */
  readonly reconnecting: string;
  /** A line in the message list after a reconnection. */
  readonly rejoined: string;
  /** Status for a line typed while not connected. */
  readonly notSent: string;
  /** Status and line after `/quit`. */
  readonly left: string;
  /** The button that connects again after `/quit`. */
  readonly joinAgain: string;
  /** Shown when scripts are off. */
  readonly noScript: string;
}

/**
 * The page's words in English and Chinese (Simplified). A text missing in
 * one language is a type error.
 */
export const PAGE_TEXTS: Record<Lang, PageTexts> = {
  en: {
    title: "Chat room",
    messages: "Messages",
    members: "Who is here",
    you: "You are {nick}",
    youMark: "(you)",
    message: "Message",
    send: "Send",
    hint: "/help lists the commands",
    connecting: "Connecting…",
    connected: "Connected",
    disconnected: "Disconnected",
    reconnecting: "Disconnected. Reconnecting in {s} s…",
    rejoined: "Reconnected: you joined again",
    notSent: "Not connected: your line was not sent",
    left: "You left the chat",
    joinAgain: "Join again",
    noScript: "This chat page needs JavaScript.",
  },
  zh: {
    title: "聊天室",
    messages: "聊天记录",
    members: "在线成员",
    you: "你的昵称：{nick}",
    youMark: "（你）",
    message: "消息",
    send: "发送",
    hint: "输入 /help 查看所有命令",
    connecting: "正在连接…",
    connected: "已连接",
    disconnected: "连接已断开",
    reconnecting: "连接已断开，{s} 秒后重连…",
    rejoined: "已重新连接：你再次加入了聊天室",
    notSent: "未连接：这一行没有发出",
    left: "你已离开聊天室",
    joinAgain: "重新加入",
    noScript: "此聊天页面需要启用 JavaScript。",
  },
};

/** The `lang` attribute of each language's page. */
const HTML_LANG: Record<Lang, string> = { en: "en", zh: "zh-CN" };

/** What each character that may end or start markup becomes. */
const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text made safe to put in HTML, between tags or in a quoted attribute.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>`, `"` and `'` as character references.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./web_page.ts";
 * assert.equal(escapeHtml(`<a title="x">&'`), "&lt;a title=&quot;x&quot;&gt;&amp;&#39;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]!);
}

/**
 * The chat page for a language: it links `/chat.css` and `/chat.js` and
 * carries its texts as JSON in `<body data-texts="…">`.
 *
 * @param lang The page's language.
 * @returns A whole HTML document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageHtml } from "./web_page.ts";
 * assert.match(pageHtml("zh"), /<html lang="zh-CN">/);
 * assert.match(pageHtml("en"), /<title>Chat room<\/title>/);
 * ```
 */
export function pageHtml(lang: Lang): string {
  const t = PAGE_TEXTS[lang];
  const e = escapeHtml;
  // The empty data: icon spares the browser a /favicon.ico request that would only fail.
  return `<!doctype html>
<html lang="${HTML_LANG[lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${e(t.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/chat.css">
<script src="/chat.js" defer></script>
</head>
<body data-texts="${e(JSON.stringify(t))}">
<header>
<h1>${e(t.title)}</h1>
<p id="status" role="status" data-state="connecting">${e(t.connecting)}</p>
<button id="join-again" type="button" hidden>${e(t.joinAgain)}</button>
</header>
<main>
<div id="messages" role="log" aria-live="polite" aria-label="${e(t.messages)}" tabindex="0"></div>
<aside aria-labelledby="members-heading">
<h2 id="members-heading">${e(t.members)} <span id="member-count"></span></h2>
<p id="you"></p>
<ul id="members"></ul>
</aside>
</main>
<form id="send-form">
<label for="input">${e(t.message)}</label>
<input id="input" type="text" autocomplete="off" autofocus enterkeyhint="send" aria-describedby="hint">
<button id="send" type="submit">${e(t.send)}</button>
<p id="hint">${e(t.hint)}</p>
</form>
<noscript><p>${e(t.noScript)}</p></noscript>
</body>
</html>
`;
}

/**
 * The colour of a nickname: an index into `count` colours, from a hash of
 * the name (FNV-1a over its UTF-16 units in lower case, as the terminal
 * client's `nickColor()`), so a name keeps its colour in every line and
 * names that differ only in case share it. {@linkcode PAGE_SCRIPT} has the
 * same function; the tests check that they agree.
 *
 * @param nick A nickname.
 * @param count How many colours there are (the page has 6).
 * @returns An index from 0 to `count - 1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nickColourIndex } from "./web_page.ts";
 * assert.equal(nickColourIndex("Ann", 6), nickColourIndex("ann", 6));
 * ```
 */
export function nickColourIndex(nick: string, count: number): number {
  let hash = 0x811c9dc5;
  const key = nick.toLowerCase();
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) % count;
}

/**
 * The page's script (`/chat.js`): plain ES2020, loaded with `defer`. It
 * connects to `/ws`, shows each line the server sends as one element, keeps
 * the member list, sends what the user types, and reconnects with backoff.
 *
 * The whole script is one arrow function called at once. Outside a browser
 * (no `document`) it returns its pure parts instead of starting, which is how
 * the tests reach them: `new Function("return " + PAGE_SCRIPT)()`.
 */
export const PAGE_SCRIPT: string = String.raw`(() => {
  "use strict";
  // Every line is shown with textContent and createElement: nothing anyone
  // sends is ever parsed as HTML or put in a URL or attribute.
  const MAX_LINES = 1000; // lines kept; the oldest go, so memory stays bounded
  const MAX_RECALL = 100; // sent lines that Up and Down bring back
  const COLOURS = 6; // .n0 to .n5 in chat.css
  const FIRST_DELAY_MS = 1000;
  const MAX_DELAY_MS = 30000;
  const FLASH_MS = 3000; // how long "not sent" stays in the status line
  const BOTTOM_SLACK_PX = 24; // this close to the bottom still follows new lines
  const PRIVATE_LINE = /^\[([^\s\[\]]+) -> ([^\s\[\]]+)\] /u;
  const TEXT_LINE = /^\[([^\s\[\]]+)\] /u;
  const ME = /^\/me[ \t]+/i;
  const QUIT = /^\/quit(?:[ \t]|$)/i;
  const BLANK = /^[ \t]*$/; // the server ignores such a line: never send it
  // What the server shows visibly (lib/chat/chat_lines.ts): the user's own echo does the same.
  const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

  // Same hash as lib/client/line_style.ts: a name has the same hue in the terminal client.
  function nickColourIndex(nick, count) {
    let hash = 0x811c9dc5;
    const key = nick.toLowerCase();
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % count;
  }

  function splitLines(text) {
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  // A line's kind, and the "[nick]" or "[from -> to]" part to colour.
  function classify(line) {
    if (line.startsWith("* ")) return { kind: "notice", nick: null, prefix: "", rest: line };
    const match = PRIVATE_LINE.exec(line) || TEXT_LINE.exec(line);
    if (match === null) return { kind: "text", nick: null, prefix: "", rest: line };
    const end = match[0].length - 1; // the space after "]" stays with the text
    return {
      kind: match[2] === undefined ? "text" : "private",
      nick: match[1],
      prefix: line.slice(0, end),
      rest: line.slice(end),
    };
  }

  // 1 s, 2 s, 4 s ... 30 s, each ±20% so pages cut off together do not all return at once.
  function reconnectDelay(attempt, random) {
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
    return Math.round(base * (0.8 + 0.4 * random));
  }

  // split and join, not replace(): "$&" in a value would be a replacement pattern.
  function fill(template, name, value) {
    return template.split("{" + name + "}").join(value);
  }

  function visible(text) {
    return text.replace(CONTROLS, (char) => {
      const code = char.charCodeAt(0);
      if (code < 0x20) return "^" + String.fromCharCode(code + 0x40);
      if (code === 0x7f) return "^?";
      return "<U+" + code.toString(16).toUpperCase().padStart(4, "0") + ">";
    });
  }

  // What a typed line shows at once. The server sends nobody their own text or
  // /me back; other commands are answered with "* " lines.
  function outgoing(line) {
    const shown = { say: null, act: null, quit: false };
    if (!line.startsWith("/")) shown.say = line;
    else if (line.startsWith("//")) shown.say = line.slice(1);
    else if (ME.test(line) && !BLANK.test(line.replace(ME, ""))) shown.act = line.replace(ME, "");
    else shown.quit = QUIT.test(line);
    return shown;
  }

  // A server message, checked: null for anything not in the protocol.
  function parseMessage(data) {
    if (typeof data !== "string") return null;
    let value;
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    const message = {};
    if (typeof value.lines === "string") message.lines = value.lines;
    const members = value.members;
    if (typeof value.you === "string" && Array.isArray(members) &&
      members.every((name) => typeof name === "string")) {
      message.you = value.you;
      message.members = members;
    }
    return message;
  }

  if (typeof document === "undefined") {
    return { BLANK, classify, fill, nickColourIndex, outgoing, parseMessage, reconnectDelay, splitLines, visible };
  }
  start();

  function start() {
    const byId = (id) => document.getElementById(id);
    const texts = JSON.parse(document.body.dataset.texts);
    const log = byId("messages");
    const memberList = byId("members");
    const memberCount = byId("member-count");
    const youLine = byId("you");
    const status = byId("status");
    const form = byId("send-form");
    const input = byId("input");
    const joinAgain = byId("join-again");
    const sent = []; // lines sent, oldest first, for Up and Down
    let recall = 0; // where Up and Down are in sent; sent.length is the line being typed
    let draft = ""; // the line being typed, kept while Up shows older ones
    let socket = null;
    let state = "connecting"; // connecting | open | waiting | left
    let attempt = 0; // failed tries since the last open, for the backoff
    let retryAt = 0;
    let retryTimer = 0;
    let ticker = 0;
    let joinedBefore = false;
    let quitting = false; // the user typed /quit on this connection
    let nick = "";
    let flash = "";
    let flashTimer = 0;

    function showStatus() {
      let text = texts.connecting;
      if (flash !== "") text = flash;
      else if (state === "open") text = texts.connected;
      else if (state === "left") text = texts.left;
      else if (state === "waiting") {
        const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
        text = fill(texts.reconnecting, "s", String(seconds));
      }
      if (status.textContent !== text) status.textContent = text;
    }

    function setState(next) {
      state = next;
      status.dataset.state = next;
      flash = ""; // news about the connection replaces a stale "not sent"
      clearTimeout(flashTimer);
      showStatus();
    }

    function showFlash(text) {
      flash = text;
      clearTimeout(flashTimer);
      flashTimer = setTimeout(() => {
        flash = "";
        showStatus();
      }, FLASH_MS);
      showStatus();
    }

    function nickSpan(text, name) {
      const span = document.createElement("span");
      span.className = "nick n" + nickColourIndex(name, COLOURS);
      span.textContent = text;
      return span;
    }

    function lineElement(kind, prefix, name, rest) {
      const p = document.createElement("p");
      p.className = kind;
      if (name !== null) p.append(nickSpan(prefix, name));
      p.append(rest); // a string becomes a Text node, never markup
      return p;
    }

    // Adds lines; follows them when the list was at the bottom (or follow is set).
    function append(node, follow) {
      const stick = follow || log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK_PX;
      log.append(node);
      while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
      if (stick) log.scrollTop = log.scrollHeight;
    }

    function addLocal(text) {
      append(lineElement("local", "", null, text), true);
    }

    function showMembers(you, names) {
      nick = you;
      youLine.textContent = you === "" ? "" : fill(texts.you, "nick", you);
      const items = document.createDocumentFragment();
      for (const name of names) {
        const li = document.createElement("li");
        li.append(nickSpan(name, name));
        if (name === you) {
          const mark = document.createElement("span");
          mark.className = "you-mark";
          mark.textContent = texts.youMark;
          li.className = "me";
          li.append(" ", mark);
        }
        items.append(li);
      }
      memberList.replaceChildren(items);
      memberCount.textContent = names.length === 0 ? "" : String(names.length);
    }

    function receive(data) {
      const message = parseMessage(data);
      if (message === null) return;
      if (message.lines !== undefined) {
        const lines = document.createDocumentFragment();
        for (const line of splitLines(message.lines).slice(-MAX_LINES)) {
          const shown = classify(line);
          lines.append(lineElement(shown.kind, shown.prefix, shown.nick, shown.rest));
        }
        append(lines, false);
      }
      if (message.members !== undefined) showMembers(message.you, message.members);
    }

    function connect() {
      clearTimeout(retryTimer);
      clearInterval(ticker);
      quitting = false;
      joinAgain.hidden = true;
      setState("connecting");
      let ws;
      try {
        ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
      } catch {
        retry();
        return;
      }
      socket = ws;
      ws.addEventListener("open", () => {
        if (socket !== ws) return;
        attempt = 0;
        if (joinedBefore) addLocal(texts.rejoined);
        joinedBefore = true;
        setState("open");
      });
      ws.addEventListener("message", (event) => {
        if (socket === ws) receive(event.data);
      });
      // An error is always followed by close, which decides what comes next.
      ws.addEventListener("close", (event) => {
        if (socket === ws) closed(event.code);
      });
    }

    function closed(code) {
      const wasOpen = state === "open";
      socket = null;
      showMembers("", []);
      if (quitting && code === 1000) {
        setState("left");
        addLocal(texts.left);
        joinAgain.hidden = false;
        return;
      }
      if (wasOpen) addLocal(texts.disconnected);
      retry();
    }

    function retry() {
      const delay = reconnectDelay(attempt, Math.random());
      attempt += 1;
      retryAt = Date.now() + delay;
      setState("waiting");
      retryTimer = setTimeout(connect, delay);
      ticker = setInterval(showStatus, 250); // the countdown
    }

    function send(line) {
      if (socket === null || socket.readyState !== WebSocket.OPEN) return false;
      try {
        socket.send(line);
        return true;
      } catch {
        return false;
      }
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      input.focus(); // the Send button took it
      const line = input.value;
      if (BLANK.test(line)) return;
      if (!send(line)) {
        showFlash(texts.notSent); // the line stays in the input
        return;
      }
      const shown = outgoing(line);
      if (shown.quit) quitting = true;
      if (shown.say !== null) {
        append(lineElement("text own", "[" + nick + "]", nick, " " + visible(shown.say)), true);
      } else if (shown.act !== null) {
        append(lineElement("notice own", "", null, "* " + nick + " " + visible(shown.act)), true);
      }
      if (sent[sent.length - 1] !== line) sent.push(line);
      if (sent.length > MAX_RECALL) sent.shift();
      recall = sent.length;
      draft = "";
      input.value = "";
    });

    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key === "ArrowUp" && recall > 0) {
        if (recall === sent.length) draft = input.value;
        recall -= 1;
      } else if (event.key === "ArrowDown" && recall < sent.length) {
        recall += 1;
      } else {
        return;
      }
      event.preventDefault();
      input.value = recall === sent.length ? draft : sent[recall];
      input.setSelectionRange(input.value.length, input.value.length);
    });

    joinAgain.addEventListener("click", () => {
      attempt = 0;
      connect();
      input.focus();
    });

    // Back online: no need to wait out the countdown.
    window.addEventListener("online", () => {
      if (state === "waiting") connect();
    });

    connect();
    input.focus();
  }
})();
`;

/**
 * The page's style (`/chat.css`): messages beside the member list on a wide
 * screen, the list as a compact strip above them on a narrow one, the input
 * at the bottom; light and dark from `prefers-color-scheme`; long words wrap,
 * so nothing scrolls sideways at 375 px. System fonts only, which have CJK.
 */
export const PAGE_STYLE: string = `*,*::before,*::after{box-sizing:border-box}
:root{color-scheme:light dark;
--bg:#fff;--fg:#1f2328;--muted:#5b616b;--line:#d0d7de;--panel:#f5f7f9;
--own:#eef4ff;--private:#f6f0fa;--accent:#0b57d0;--on-accent:#fff;--focus:#0b57d0;
--n0:#b3261e;--n1:#1b7a2e;--n2:#8a5a00;--n3:#1a5fb4;--n4:#9c2a8c;--n5:#0b7285}
@media (prefers-color-scheme:dark){:root{
--bg:#16181c;--fg:#e6e8eb;--muted:#a8afb8;--line:#3a3f47;--panel:#1e2126;
--own:#1d2a3f;--private:#2a1f33;--accent:#8ab4ff;--on-accent:#0b1220;--focus:#8ab4ff;
--n0:#ff8a80;--n1:#7ee08a;--n2:#f4c95d;--n3:#8ab4ff;--n4:#f08ee4;--n5:#66d9e8}}
html,body{margin:0;height:100%}
body{display:flex;flex-direction:column;height:100vh;height:100dvh;background:var(--bg);color:var(--fg);
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,
"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
[hidden]{display:none!important}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.5rem 1rem;
border-bottom:1px solid var(--line)}
h1{margin:0;font-size:1.2rem}
#status{flex:1 1 12rem;min-width:0;margin:0;color:var(--muted);overflow-wrap:anywhere}
#status[data-state=open]{color:var(--n1)}
main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,1fr) 15rem}
#messages{min-height:0;overflow-y:auto;padding:.5rem 1rem}
#messages:focus-visible{outline-offset:-3px}
#messages>p{margin:0;padding:.125rem .5rem;white-space:pre-wrap;overflow-wrap:anywhere;
border-left:3px solid transparent}
#messages>.notice{color:var(--muted)}
#messages>.private{background:var(--private);border-left-color:var(--n4)}
#messages>.own{background:var(--own);border-left-color:var(--accent)}
#messages>.local{margin:.5rem 0;border-top:1px dashed var(--line);color:var(--muted);
font-size:.875rem;text-align:center}
.nick{font-weight:600;unicode-bidi:isolate}
.n0{color:var(--n0)}.n1{color:var(--n1)}.n2{color:var(--n2)}
.n3{color:var(--n3)}.n4{color:var(--n4)}.n5{color:var(--n5)}
aside{min-height:0;overflow-y:auto;padding:.5rem 1rem;background:var(--panel);
border-left:1px solid var(--line);overflow-wrap:anywhere}
h2{margin:0 0 .25rem;font-size:1rem}
#member-count{color:var(--muted);font-weight:400}
#you{margin:0 0 .5rem;color:var(--muted)}
#members{margin:0;padding:0;list-style:none}
#members>.me .nick{text-decoration:underline}
.you-mark{color:var(--muted)}
form{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.5rem 1rem;
border-top:1px solid var(--line)}
#input{flex:1 1 10rem;min-width:0;padding:.5rem;font:inherit;color:inherit;background:var(--bg);
border:1px solid var(--muted);border-radius:4px}
button{padding:.5rem 1rem;font:inherit;color:var(--on-accent);background:var(--accent);
border:1px solid var(--accent);border-radius:4px;cursor:pointer}
#hint{flex-basis:100%;margin:0;font-size:.875rem;color:var(--muted)}
noscript p{margin:1rem}
@media (max-width:40rem){
header,#messages,aside,form{padding-left:.5rem;padding-right:.5rem}
main{display:flex;flex-direction:column}
#messages{flex:1}
aside{order:-1;flex:none;max-height:5.5rem;display:flex;flex-wrap:wrap;align-items:baseline;
gap:0 .75rem;padding-top:.25rem;padding-bottom:.25rem;border-left:0;border-bottom:1px solid var(--line)}
h2,#you{margin:0;font-size:.875rem}
#members{display:flex;flex-wrap:wrap;gap:0 .75rem}}
`;
