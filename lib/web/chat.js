/**
 * The chat page's script, served at `/chat.js` and loaded by the page as an
 * ES module (`<script type="module">`, so deferred: it runs once the page is
 * parsed). It connects to `/ws`, shows each line the server sends as one
 * element, keeps the member list, sends what the user types, and reconnects
 * with backoff. Plain ES2020 with JSDoc types: `deno task check:page-script`
 * checks it against the DOM library.
 *
 * Coming back: the server gives the page a resume token once it is in; the
 * page keeps it and its name in `sessionStorage` (this tab only, never in
 * the URL) and offers them when it reconnects, with the id of the last line
 * it showed, as WebSocket subprotocols (`lib/web/web_resume.ts`). People's
 * lines come with ids: a line whose id the page has shown is not shown again.
 *
 * A room with a key (`--key-file`): the server answers a page that offered
 * none, or a wrong one, with its line and `"key"`, and closes (code 4001).
 * The page then asks for the key in a field, keeps it in `sessionStorage`
 * too, and offers it in the subprotocols of every connection after
 * (`lib/web/web_key.ts`); a wrong one is forgotten and asked for again.
 *
 * Every line is shown with `textContent` and `createElement`: nothing anyone
 * sends is ever parsed as HTML or put in a URL or attribute.
 *
 * The pure parts are exported for the tests. Imported where there is no
 * `document` (Deno), the module starts nothing.
 *
 * @module
 */

const MAX_LINES = 1000; // lines kept; the oldest go, so memory stays bounded
const MAX_RECALL = 100; // sent lines that Up and Down bring back
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
const FLASH_MS = 3000; // how long "not sent" stays in the status line
const BOTTOM_SLACK_PX = 24; // this close to the bottom still follows new lines
const PRIVATE_LINE = /^\[([^\s\[\]]+) -> ([^\s\[\]]+)\] /u;
const TEXT_LINE = /^\[([^\s\[\]]+)\] /u;
const ACTION_LINE = /^\* ([^\s\[\]*]+) /u; // `/me`: "* nick text"
const QUIT = /^\/quit(?:[ \t]|$)/i;
const PAGE_PROTOCOL = "tcp-toolkit"; // PAGE_PROTOCOL in lib/web/web_resume.ts
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // a resume token: 32 bytes in base64url
const LINE_ID = /^[A-Za-z0-9._-]{1,40}$/; // LINE_ID in lib/chat/chat_history.ts
const MAX_SEEN_IDS = 5000; // ids of lines shown, remembered to skip them when sent again
const STORAGE_KEY = "tcp-toolkit.chat"; // in sessionStorage: { token, nick, key }
const CONTINUED = 4000; // close code: the page came back on another connection
const KEY_CLOSE = 4001; // close code: no room key, or a wrong one (KEY_CLOSE_CODE in web_key.ts)

/**
 * What every line the server writes itself starts with: `NOTICE_PREFIX` in
 * lib/text/texts.ts (this script imports nothing; the tests check they agree).
 * No person's line starts with it: a name holds no `*`.
 */
export const NOTICE_PREFIX = "*** ";

/** How many nickname colours the page has: `.n0` to `.n11` in chat.css. */
export const NICK_COLOURS = 12;

/** A line of spaces and tabs only: the server ignores it, so it is never sent. */
export const BLANK = /^[ \t]*$/;

/**
 * @typedef {object} ShownLine How a line from the server is shown.
 * @property {"notice" | "action" | "private" | "text"} kind Its class.
 * @property {string | null} nick The name whose colour the prefix gets.
 * @property {string} prefix `[nick]`, `[from -> to]` or `* nick`, or empty.
 * @property {string} rest The rest of the line, from the space after the prefix.
 */

/**
 * @typedef {object} ServerMessage A message from `/ws`, checked.
 * @property {string} [lines] Lines to show, each ending in `\n`.
 * @property {boolean} [own] Whether `lines` are the user's own (its text, `/me` or `/msg`).
 * @property {boolean} [earlier] Whether `lines` are earlier ones (the history after the welcome).
 * @property {string[]} [ids] The ids of people's lines in `lines`, one a line.
 * @property {string} [resume] The token to come back with.
 * @property {string} [you] The user's nickname (with `members`).
 * @property {string[]} [members] Everyone in the room (with `you`).
 * @property {"needed" | "wrong"} [key] The room asks for its key: none was offered, or a wrong one.
 */

/**
 * The colour of a nickname: an index into `count` colours from a hash of the
 * name (FNV-1a over its UTF-16 units in lower case, as `nickColor()` in
 * lib/client/line_style.ts, so a name has the same hue in the terminal
 * client; the tests check they agree). Names that differ only in case share it.
 *
 * @param {string} nick A nickname.
 * @param {number} count How many colours there are.
 * @returns {number} An index from 0 to `count - 1`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nickColourIndex } from "./chat.js";
 * assert.equal(nickColourIndex("Ann", 12), nickColourIndex("ann", 12));
 * ```
 */
export function nickColourIndex(nick, count) {
  let hash = 0x811c9dc5;
  const key = nick.toLowerCase();
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % count;
}

/**
 * The lines of a `lines` message, without the empty one after the last `\n`.
 *
 * @param {string} text Lines, each ending in `\n`.
 * @returns {string[]} The lines without their ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitLines } from "./chat.js";
 * assert.deepEqual(splitLines("*** a\n[b] c\n"), ["*** a", "[b] c"]);
 * ```
 */
export function splitLines(text) {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * A line's kind, and the `[nick]`, `[from -> to]` or `* nick` part to
 * colour: a server line (`*** `) is a notice, a `/me` (`* nick text`) an
 * action.
 *
 * @param {string} line A line from the server.
 * @returns {ShownLine} How to show it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classify } from "./chat.js";
 * assert.equal(classify("*** ann joined").kind, "notice");
 * assert.equal(classify("* ann waves").prefix, "* ann");
 * assert.equal(classify("[ann -> bob] hi").prefix, "[ann -> bob]");
 * ```
 */
export function classify(line) {
  if (line.startsWith(NOTICE_PREFIX)) return { kind: "notice", nick: null, prefix: "", rest: line };
  const action = ACTION_LINE.exec(line);
  if (action !== null) {
    const end = action[0].length - 1; // the space after the name stays with the text
    return {
      kind: "action",
      nick: action[1] ?? null,
      prefix: line.slice(0, end),
      rest: line.slice(end),
    };
  }
  const match = PRIVATE_LINE.exec(line) || TEXT_LINE.exec(line);
  if (match === null) return { kind: "text", nick: null, prefix: "", rest: line };
  const end = match[0].length - 1; // the space after "]" stays with the text
  return {
    kind: match[2] === undefined ? "text" : "private",
    nick: match[1] ?? null,
    prefix: line.slice(0, end),
    rest: line.slice(end),
  };
}

/**
 * Whether the page comes back by itself after its WebSocket closed with
 * `code`. Not after the server ended the member on purpose: a normal close
 * (`/quit`, `/kick`, the idle timeout), a policy close (banned, flooding,
 * too slow, over a limit per address), data the server refused, or another
 * tab taking its place; a kicked page that came straight back under its name
 * would make `/kick` useless. It does after a drop (1006), a server that stops
 * or restarts (1001, 1012), a busy server (1013) and the like.
 *
 * @param {number} code The close event's code.
 * @returns {boolean} True: reconnect with backoff; false: offer "Join again".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reconnectsAfter } from "./chat.js";
 * assert.equal(reconnectsAfter(1006), true);
 * assert.equal(reconnectsAfter(1000), false);
 * ```
 */
export function reconnectsAfter(code) {
  return !ENDED_ON_PURPOSE.includes(code);
}

/** Close codes after which the page does not come back by itself (see reconnectsAfter). */
const ENDED_ON_PURPOSE = [1000, 1003, 1008, 1009, CONTINUED];

/**
 * How long to wait before a reconnection: 1 s, 2 s, 4 s ... 30 s, each ±20%
 * so pages cut off together do not all return at once.
 *
 * @param {number} attempt Failed tries since the last connection.
 * @param {number} random A number from 0 to 1 (`Math.random()`).
 * @returns {number} Milliseconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reconnectDelay } from "./chat.js";
 * assert.equal(reconnectDelay(2, 0.5), 4000);
 * ```
 */
export function reconnectDelay(attempt, random) {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * A page text with `{name}` filled in. Split and join, not `replace()`:
 * `$&` in a value would be a replacement pattern.
 *
 * @param {string} template A text of PAGE_TEXTS.
 * @param {string} name The placeholder's name.
 * @param {string} value What it stands for.
 * @returns {string} The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fill } from "./chat.js";
 * assert.equal(fill("You are {nick}", "nick", "$&"), "You are $&");
 * ```
 */
export function fill(template, name, value) {
  return template.split("{" + name + "}").join(value);
}

/**
 * Whether a typed line is `/quit` (with or without a reason). The page
 * shows nothing of what it sends: the server sends the user's own lines
 * back, in order with everything else.
 *
 * @param {string} line What the user typed.
 * @returns {boolean} Whether the server will close the connection after it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isQuit } from "./chat.js";
 * assert.equal(isQuit("/quit lunch"), true);
 * assert.equal(isQuit("/quitter"), false);
 * ```
 */
export function isQuit(line) {
  return QUIT.test(line);
}

/**
 * A server message, checked: only the fields of the protocol, with their
 * types.
 *
 * @param {unknown} data What the WebSocket received.
 * @returns {ServerMessage | null} The message, or null for anything not in the protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseMessage } from "./chat.js";
 * assert.deepEqual(parseMessage('{"lines":"*** hi\\n"}'), { lines: "*** hi\n" });
 * assert.equal(parseMessage("[1]"), null);
 * ```
 */
export function parseMessage(data) {
  if (typeof data !== "string") return null;
  let value;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  /** @type {ServerMessage} */
  const message = {};
  if (typeof value.lines === "string") {
    message.lines = value.lines;
    if (value.own === true) message.own = true;
    if (value.earlier === true) message.earlier = true;
    const ids = value.ids;
    if (
      Array.isArray(ids) && ids.length === splitLines(value.lines).length &&
      ids.every((id) => typeof id === "string" && LINE_ID.test(id))
    ) message.ids = ids;
  }
  if (typeof value.resume === "string" && TOKEN.test(value.resume)) message.resume = value.resume;
  if (value.key === "needed" || value.key === "wrong") message.key = value.key;
  const members = value.members;
  if (
    typeof value.you === "string" && Array.isArray(members) &&
    members.every((name) => typeof name === "string")
  ) {
    message.you = value.you;
    message.members = members;
  }
  return message;
}

/**
 * The subprotocols a page offers when it connects: its own, what it needs
 * to come back (its token, the last line it showed, its name, where it has
 * them), and the room's key if it was given one.
 *
 * @param {string | null} token The resume token, if any.
 * @param {string | null} lastId The id of the last line shown, if any.
 * @param {string | null} nick The name it had, if any.
 * @param {string | null} [key] The room's key, if any.
 * @returns {string[]} For `new WebSocket(url, protocols)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resumeProtocols } from "./chat.js";
 * assert.deepEqual(resumeProtocols(null, "a.1", "小红"), ["tcp-toolkit", "after.a.1", "nick.5bCP57qi"]);
 * ```
 */
export function resumeProtocols(token, lastId, nick, key = null) {
  const protocols = [PAGE_PROTOCOL];
  if (token !== null && TOKEN.test(token)) protocols.push("resume." + token);
  if (lastId !== null && LINE_ID.test(lastId)) protocols.push("after." + lastId);
  if (nick !== null && nick !== "") protocols.push("nick." + base64Url(nick));
  if (key !== null && key !== "") protocols.push("key." + base64Url(key));
  return protocols;
}

/**
 * Text as base64url of its UTF-8, without padding: a header holds no UTF-8.
 *
 * @param {string} text Any text.
 * @returns {string} Its base64url.
 */
function base64Url(text) {
  const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  return base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The element with this id, of this type.
 *
 * @template {HTMLElement} T
 * @param {string} id Its id.
 * @param {new () => T} type Its class.
 * @returns {T} The element.
 * @throws {TypeError} When the page has no such element.
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new TypeError(`The page has no ${type.name} #${id}`);
  return element;
}

/** Runs the page: called once, when there is a `document`. */
function start() {
  /** @type {Record<string, string>} The page's texts (PAGE_TEXTS in web_page.ts). */
  const texts = JSON.parse(document.body.dataset.texts ?? "{}");
  const log = byId("messages", HTMLDivElement);
  const memberList = byId("members", HTMLUListElement);
  const memberCount = byId("member-count", HTMLSpanElement);
  const youLine = byId("you", HTMLParagraphElement);
  const status = byId("status", HTMLParagraphElement);
  const form = byId("send-form", HTMLFormElement);
  const input = byId("input", HTMLInputElement);
  const joinAgain = byId("join-again", HTMLButtonElement);
  const keyForm = byId("key-form", HTMLFormElement);
  const keyInput = byId("key-input", HTMLInputElement);
  /** @type {string[]} lines sent, oldest first, for Up and Down */
  const sent = [];
  let recall = 0; // where Up and Down are in sent; sent.length is the line being typed
  let draft = ""; // the line being typed, kept while Up shows older ones
  /** @type {WebSocket | null} */
  let socket = null;
  let state = "connecting"; // connecting | open | waiting | left | key
  let attempt = 0; // failed tries since the last open, for the backoff
  let retryAt = 0;
  let retryTimer = 0;
  let ticker = 0;
  let joinedBefore = false;
  let quitting = false; // the user typed /quit on this connection
  let continued = false; // another tab or window took this page's place
  let keyAsked = false; // the server asked this connection for the room's key
  /** @type {Set<string>} ids of people's lines shown, to skip them when they come again */
  const seen = new Set();
  /** @type {string | null} the id of the last person's line shown */
  let lastId = null;
  const saved = loadSaved();
  let flash = "";
  let flashTimer = 0;

  /** @param {string} key */
  const text = (key) => texts[key] ?? key;

  /**
   * The token, name and room key this tab keeps (sessionStorage: gone with the tab, never in
   * the URL).
   *
   * @returns {{ token: string | null, nick: string | null, key: string | null }}
   */
  function loadSaved() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
      return {
        token: typeof value?.token === "string" ? value.token : null,
        nick: typeof value?.nick === "string" ? value.nick : null,
        key: typeof value?.key === "string" ? value.key : null,
      };
    } catch {
      // storage off (a private mode): the page still works, and asks for a key on each visit
      return { token: null, nick: null, key: null };
    }
  }

  function save() {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
    } catch {
      // storage off or full: coming back under the name will not work, nothing else breaks
    }
  }

  function showStatus() {
    let shown = text("connecting");
    if (flash !== "") shown = flash;
    else if (state === "open") shown = text("connected");
    else if (state === "left") shown = text(continued ? "continued" : "left");
    else if (state === "key") shown = text("keyNeeded");
    else if (state === "waiting") {
      const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
      shown = fill(text("reconnecting"), "s", String(seconds));
    }
    if (status.textContent !== shown) status.textContent = shown;
  }

  /** @param {string} next */
  function setState(next) {
    state = next;
    status.dataset.state = next;
    flash = ""; // news about the connection replaces a stale "not sent"
    clearTimeout(flashTimer);
    showStatus();
  }

  /** @param {string} shown */
  function showFlash(shown) {
    flash = shown;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => {
      flash = "";
      showStatus();
    }, FLASH_MS);
    showStatus();
  }

  /**
   * @param {string} shown
   * @param {string} name
   */
  function nickSpan(shown, name) {
    const span = document.createElement("span");
    span.className = "nick n" + nickColourIndex(name, NICK_COLOURS);
    span.textContent = shown;
    return span;
  }

  /**
   * @param {string} kind
   * @param {string} prefix
   * @param {string | null} name
   * @param {string} rest
   */
  function lineElement(kind, prefix, name, rest) {
    const p = document.createElement("p");
    p.className = kind;
    if (name !== null) p.append(nickSpan(prefix, name));
    p.append(rest); // a string becomes a Text node, never markup
    return p;
  }

  // Whether the list follows new lines: the user is at its bottom. Kept from the user's
  // scrolling, not measured when a line comes: the list can shrink meanwhile (on a phone the
  // member strip above it grows as the names arrive), which leaves its bottom out of view.
  let following = true;
  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK_PX;
  const toBottom = () => {
    log.scrollTop = log.scrollHeight;
  };
  let lastTop = 0;
  log.addEventListener("scroll", () => {
    // Only the user scrolling up stops following: a scroll event can also come after the list
    // shrank below a line just followed (the strip grew), before the ResizeObserver puts it right.
    const top = log.scrollTop;
    if (atBottom()) following = true;
    else if (top < lastTop) following = false;
    lastTop = top;
  }, { passive: true });
  // The list changed size (the strip, the keyboard, a turned phone): still at the bottom if it was.
  new ResizeObserver(() => {
    if (following) toBottom();
  }).observe(log);

  /**
   * Adds lines; follows them when the user was at the bottom (or follow is set).
   *
   * @param {Node} node
   * @param {boolean} follow
   */
  function append(node, follow) {
    const stick = follow || following;
    log.append(node);
    while (log.childElementCount > MAX_LINES) log.firstElementChild?.remove();
    if (stick) {
      following = true;
      toBottom();
    }
  }

  /** @param {string} shown */
  function addLocal(shown) {
    append(lineElement("local", "", null, shown), true);
  }

  /**
   * @param {string} you
   * @param {readonly string[]} names
   */
  function showMembers(you, names) {
    youLine.textContent = you === "" ? "" : fill(text("you"), "nick", you);
    const items = document.createDocumentFragment();
    for (const name of names) {
      const li = document.createElement("li");
      li.append(nickSpan(name, name));
      if (name === you) {
        const mark = document.createElement("span");
        mark.className = "you-mark";
        mark.textContent = text("youMark");
        li.className = "me";
        li.append(" ", mark);
      }
      items.append(li);
    }
    memberList.replaceChildren(items);
    memberCount.textContent = names.length === 0 ? "" : String(names.length);
  }

  /** @param {unknown} data */
  function receive(data) {
    const message = parseMessage(data);
    if (message === null) return;
    if (message.lines !== undefined) {
      const lines = document.createDocumentFragment();
      const own = message.own === true;
      const mark = own ? " own" : message.earlier === true ? " earlier" : "";
      const all = splitLines(message.lines);
      const ids = message.ids;
      for (let i = Math.max(0, all.length - MAX_LINES); i < all.length; i++) {
        const id = ids?.[i];
        if (id !== undefined) {
          lastId = id;
          if (seen.has(id)) continue; // shown before the connection dropped
          seen.add(id);
          // A Set iterates in insertion order: the oldest id goes first.
          if (seen.size > MAX_SEEN_IDS) seen.delete(seen.values().next().value ?? "");
        }
        const shown = classify(all[i] ?? "");
        lines.append(lineElement(shown.kind + mark, shown.prefix, shown.nick, shown.rest));
      }
      if (lines.childNodes.length > 0) append(lines, own); // the user's own, wherever the list was
    }
    if (message.key !== undefined) {
      keyAsked = true;
      if (message.key === "wrong") {
        saved.key = null; // asked for again
        save();
      }
    }
    if (message.resume !== undefined) {
      saved.token = message.resume;
      save();
    }
    if (message.you !== undefined && message.members !== undefined) {
      joinedBefore = true; // in the room: a later connection is a reconnection
      showMembers(message.you, message.members);
      if (saved.nick !== message.you) {
        saved.nick = message.you;
        save();
      }
    }
  }

  function connect() {
    clearTimeout(retryTimer);
    clearInterval(ticker);
    quitting = false;
    continued = false;
    keyAsked = false;
    joinAgain.hidden = true;
    setState("connecting");
    /** @type {WebSocket} */
    let ws;
    try {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      // What it needs to come back goes in the subprotocols: the server knows it at the upgrade.
      const protocols = resumeProtocols(saved.token, lastId, saved.nick, saved.key);
      ws = new WebSocket(scheme + location.host + "/ws", protocols);
    } catch {
      retry();
      return;
    }
    socket = ws;
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      attempt = 0;
      if (joinedBefore) addLocal(text("rejoined"));
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

  /** @param {number} code */
  function closed(code) {
    const wasOpen = state === "open";
    socket = null;
    showMembers("", []);
    // Another tab or window of this page (a duplicated tab holds the same token) took its place.
    continued = code === CONTINUED;
    if (code === KEY_CLOSE || keyAsked) {
      askKey(); // the server's line says why, in the list
      return;
    }
    if (!reconnectsAfter(code)) {
      if ((quitting && code === 1000) || continued) {
        saved.token = null; // the server forgot it (after /quit), or it is the other tab's now
        save();
      }
      setState("left"); // the server's last line said why (quit, removed, banned, ...)
      joinAgain.hidden = false;
      joinAgain.focus(); // the one thing left to do here: the keyboard is on it at once
      return;
    }
    if (wasOpen) addLocal(text("disconnected"));
    retry();
  }

  /** Asks for the room's key, in place of the message field, until it is given. */
  function askKey() {
    setState("key");
    form.hidden = true;
    keyForm.hidden = false;
    keyInput.value = "";
    keyInput.focus();
  }

  function retry() {
    const delay = reconnectDelay(attempt, Math.random());
    attempt += 1;
    retryAt = Date.now() + delay;
    setState("waiting");
    retryTimer = setTimeout(connect, delay);
    ticker = setInterval(showStatus, 250); // the countdown
  }

  /** @param {string} line */
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
      showFlash(text("notSent")); // the line stays in the input
      return;
    }
    if (isQuit(line)) quitting = true;
    if (sent[sent.length - 1] !== line) sent.push(line);
    if (sent.length > MAX_RECALL) sent.shift();
    recall = sent.length;
    draft = "";
    input.value = "";
  });

  input.addEventListener("keydown", (event) => {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (event.key === "ArrowUp" && recall > 0) {
      if (recall === sent.length) draft = input.value;
      recall -= 1;
    } else if (event.key === "ArrowDown" && recall < sent.length) {
      recall += 1;
    } else {
      return;
    }
    event.preventDefault();
    input.value = recall === sent.length ? draft : sent[recall] ?? "";
    input.setSelectionRange(input.value.length, input.value.length);
  });

  keyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    if (key === "") return;
    saved.key = key;
    save();
    keyInput.value = "";
    keyForm.hidden = true;
    form.hidden = false;
    attempt = 0;
    connect();
    input.focus();
  });

  joinAgain.addEventListener("click", () => {
    attempt = 0;
    connect();
    input.focus();
  });

  // Back online: no need to wait out the countdown.
  globalThis.addEventListener("online", () => {
    if (state === "waiting") connect();
  });

  connect();
  input.focus();
}

if (typeof document !== "undefined") start();
