/**
 * The chat page of `--web`: its HTML (here, in both languages) and its
 * script and style, which live beside this file as `chat.js` and `chat.css`
 * and are imported as text, so the server reads no file at run time and the
 * page fetches nothing from anywhere else (it works offline). The server
 * serves `pageHtml(lang)` at `/`, {@linkcode PAGE_SCRIPT} at `/chat.js` and
 * {@linkcode PAGE_STYLE} at `/chat.css`, under a Content-Security-Policy
 * that allows scripts and styles from those URLs only. So the HTML has no
 * inline script, no `style` attribute and no event-handler attribute; the
 * page's texts reach the script as JSON in the `data-texts` attribute of
 * `<body>`.
 *
 * The script is an ES module (`<script type="module">`, deferred like every
 * module) and shows everything with `textContent` and `createElement`: a
 * line like `<img src=x onerror=alert(1)>` appears as those characters.
 *
 * What the script relies on in the HTML (and browser tests may too):
 * `#status` (`data-state`: `connecting`, `open`, `waiting` or `left`),
 * `#join-again`, `#messages` (one `<p>` per line, class `notice`, `private`,
 * `text`, plus `own` for the user's own lines, `earlier` for the history after
 * the welcome and `local` for the page's own
 * notes), `#members` (one `<li>` per name, `me` for the user), `#you`,
 * `#member-count`, `#send-form`, `#input` and `#send`; `#key-form` (hidden
 * until the room asks for its key: `data-state` `key`), `#key-input` and
 * `#key-send`.
 *
 * @module
 */

import type { Lang } from "../settings/lang.ts";
import PAGE_SCRIPT_TEXT from "./chat.js" with { type: "text" };
import PAGE_STYLE_TEXT from "./chat.css" with { type: "text" };

/** The page's script (`/chat.js`): lib/web/chat.js, as text. */
export const PAGE_SCRIPT: string = PAGE_SCRIPT_TEXT;

/** The page's style (`/chat.css`): lib/web/chat.css, as text. */
export const PAGE_STYLE: string = PAGE_STYLE_TEXT;

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
  /** A line in the message list after a reconnection (the server's next line says under which name). */
  readonly rejoined: string;
  /** Status for a line typed while not connected. */
  readonly notSent: string;
  /** Status after `/quit` (the server's last line says it in the list). */
  readonly left: string;
  /** Status when the page came back in another tab or window, which took its place. */
  readonly continued: string;
  /** The button that connects again after `/quit`. */
  readonly joinAgain: string;
  /** Shown when scripts are off. */
  readonly noScript: string;
  /** Label of the room key's field (`--key-file`). */
  readonly keyLabel: string;
  /** The button that joins with the key. */
  readonly keyJoin: string;
  /** Status while the page asks for the room's key. */
  readonly keyNeeded: string;
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
    rejoined: "Reconnected",
    notSent: "Not connected: your line was not sent",
    left: "You left the chat",
    continued: "This chat went on in another tab or window",
    joinAgain: "Join again",
    noScript: "This chat page needs JavaScript.",
    keyLabel: "Room key",
    keyJoin: "Join",
    keyNeeded: "This room needs a key",
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
    rejoined: "已重新连接",
    notSent: "未连接：这一行没有发出",
    left: "你已离开聊天室",
    continued: "聊天已在另一个标签页或窗口中继续",
    joinAgain: "重新加入",
    noScript: "此聊天页面需要启用 JavaScript。",
    keyLabel: "聊天室密钥",
    keyJoin: "加入",
    keyNeeded: "本聊天室需要密钥",
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
<script type="module" src="/chat.js"></script>
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
<form id="key-form" hidden>
<label for="key-input">${e(t.keyLabel)}</label>
<input id="key-input" type="password" autocomplete="off" enterkeyhint="go">
<button id="key-send" type="submit">${e(t.keyJoin)}</button>
</form>
<noscript><p>${e(t.noScript)}</p></noscript>
</body>
</html>
`;
}
