/**
 * Tests for lib/chat/chat_room.ts: the chat protocol as members see it, with fake
 * members that record every frame they are delivered. Over real sockets:
 * chat_server_test.ts.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { ChatMember } from "../../lib/chat/chat_member.ts";
import { ChatRoom } from "../../lib/chat/chat_room.ts";
import type { LeaveReason } from "../../lib/chat/chat_events.ts";
import { Logger } from "../../lib/log/logger.ts";
import { MessageLog } from "../../lib/log/message_log.ts";
import type { Lang } from "../../lib/settings/lang.ts";
import { NOTICE_PREFIX, TEXTS } from "../../lib/text/texts.ts";
import { CHAT_TEXTS } from "../../lib/chat/chat_texts.ts";
import { noticeFrame } from "../../lib/chat/chat_lines.ts";
import { DEFAULT_HISTORY_SIZE } from "../../lib/settings/defaults.ts";
import type { BusListener, RoomBus } from "../../lib/chat/room_bus.ts";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A member that records what it is sent, and checks each frame is whole lines never changed.
 * Kept here rather than in support/fake_writers.ts: a room calls `deliver()` and `hangUp()`
 * and never awaits a write, so a byte writer would not fit.
 */
class FakeMember implements ChatMember {
  readonly frames: Uint8Array[] = [];
  readonly #copies: Uint8Array[] = [];
  hangUps = 0;
  #taken = 0;

  constructor(readonly peer: string, readonly onDeliver?: (frame: Uint8Array) => void) {}

  deliver(frame: Uint8Array): void {
    assert.ok(frame.length > 0 && frame.at(-1) === 0x0a, "a frame is whole lines");
    this.frames.push(frame);
    this.#copies.push(frame.slice());
    this.onDeliver?.(frame);
  }

  /** How many times the room said who is here changed. */
  membersChangedCalls = 0;

  membersChanged(): void {
    this.membersChangedCalls++;
  }

  /** How many frames it had been sent when it was last hung up. */
  framesAtHangUp: number | null = null;

  hangUp(): void {
    this.hangUps++;
    this.framesAtHangUp = this.frames.length;
  }

  /** Every line received so far. */
  get lines(): string[] {
    const text = this.frames.map((frame) => decoder.decode(frame)).join("");
    return text === "" ? [] : text.slice(0, -1).split("\n");
  }

  /** The lines received since the last call. */
  take(): string[] {
    const lines = this.lines;
    const fresh = lines.slice(this.#taken);
    this.#taken = lines.length;
    return fresh;
  }

  /** Fails if the room changed bytes after delivering them. */
  assertFramesUnchanged(): void {
    this.frames.forEach((frame, i) => assert.deepEqual(frame, this.#copies[i]));
  }
}

interface TestRoom {
  room: ChatRoom;
  /** Log lines written (with `quiet`, none should be). */
  logLines: string[];
  /** Adds a member, and takes its welcome lines so that take() starts after them. */
  join(peer?: string): FakeMember;
}

let peerNumber = 0;

function newRoom(
  { lang = "en", historySize = DEFAULT_HISTORY_SIZE, quiet = false }: {
    lang?: Lang;
    historySize?: number;
    quiet?: boolean;
  } = {},
): TestRoom {
  const logLines: string[] = [];
  const log = new Logger({ quiet, color: false, writeInfo: (line) => logLines.push(line) });
  const texts = CHAT_TEXTS[lang];
  const room = new ChatRoom({
    texts,
    log,
    messageLog: new MessageLog(log, TEXTS[lang]),
    historySize,
  });
  return {
    room,
    logLines,
    join(peer = `127.0.0.1:${40000 + ++peerNumber}`) {
      const member = new FakeMember(peer);
      room.join(member);
      member.take();
      return member;
    },
  };
}

/** A room with three members, each one's welcome and join notices already taken. */
function roomOfThree(options: Parameters<typeof newRoom>[0] = {}) {
  const test = newRoom(options);
  const a = test.join("127.0.0.1:1001");
  const b = test.join("127.0.0.1:1002");
  const c = test.join("127.0.0.1:1003");
  a.take();
  b.take();
  return { ...test, a, b, c };
}

// --- joining ---

Deno.test("ChatRoom.join() welcomes guest1 alone, names who is here for the next, tells the others", () => {
  const { room } = newRoom();
  const a = new FakeMember("127.0.0.1:1");
  const b = new FakeMember("127.0.0.1:2");
  room.join(a);
  assert.deepEqual(a.take(), [
    "*** Welcome to the chat, you are guest1. Nobody else is here yet. /help lists the commands",
  ]);
  room.join(b);
  assert.deepEqual(b.take(), [
    "*** Welcome to the chat, you are guest2. Also here: guest1. /help lists the commands",
  ]);
  assert.deepEqual(a.take(), ["*** guest2 joined"]);
  const c = new FakeMember("127.0.0.1:3");
  room.join(c);
  assert.match(c.take()[0]!, /you are guest3\. Also here: guest1, guest2\. \/help/);
  assert.deepEqual(a.take(), ["*** guest3 joined"]);
  assert.deepEqual(b.take(), ["*** guest3 joined"]);
  assert.equal(room.size, 3);
  assert.equal(room.nickOf(c), "guest3");
});

Deno.test("ChatRoom.join() twice for one member does nothing the second time", () => {
  const { room, join } = newRoom();
  const a = join();
  const b = join();
  a.take();
  room.join(b);
  assert.deepEqual(b.take(), []);
  assert.deepEqual(a.take(), []);
  assert.equal(room.size, 2);
});

Deno.test("ChatRoom gives the lowest free guest number, ignoring case, names people chose included", () => {
  const { room, join } = newRoom();
  const a = join();
  const b = join();
  const c = join();
  room.leave(b, null);
  assert.equal(room.nickOf(join()), "guest2", "a freed number is given again");
  room.receive(a, "/nick GUEST4"); // a chosen name, in another case, takes number 4
  assert.equal(room.nickOf(join()), "guest1", "guest1 was freed by the rename");
  assert.equal(room.nickOf(join()), "guest5", "guest4 is taken by a chosen name");
  room.leave(c, "idle");
  assert.equal(room.nickOf(join()), "guest3");
  assert.equal(room.nickOf(join()), "guest6");
});

// --- lines ---

Deno.test("ChatRoom.receive() sends a line to every other member as [nick] text, nothing back", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(a, "hello room");
  assert.deepEqual(a.take(), []);
  assert.deepEqual(b.take(), ["[guest1] hello room"]);
  assert.deepEqual(c.take(), ["[guest1] hello room"]);
  room.receive(c, "好男孩");
  assert.deepEqual(a.take(), ["[guest3] 好男孩"]);
  assert.deepEqual(c.take(), []);
});

Deno.test("ChatRoom.receive() delivers one broadcast as the same Uint8Array to every recipient", () => {
  const { room, join } = newRoom();
  const members = [join(), join(), join(), join()];
  const sameFrame = (recipients: FakeMember[], what: string) => {
    const frames = recipients.map((member) => member.frames.at(-1)!);
    for (const frame of frames) assert.strictEqual(frame, frames[0], what);
  };
  room.receive(members[0]!, "one encode");
  sameFrame(members.slice(1), "text");
  room.receive(members[1]!, "/me waves");
  sameFrame([members[0]!, ...members.slice(2)], "/me");
  room.receive(members[2]!, "/nick carol");
  sameFrame(members, "rename");
  const newcomer = new FakeMember("127.0.0.1:9");
  room.join(newcomer);
  sameFrame(members, "join notice");
  room.leave(members[3]!, "too slow");
  sameFrame([...members.slice(0, 3), newcomer], "leave notice");
  for (const member of members) member.assertFramesUnchanged();
});

Deno.test("ChatRoom.receive() ignores empty and blank lines", () => {
  const { room, a, b, c } = roomOfThree();
  for (const line of ["", " ", "\t  "]) room.receive(a, line);
  assert.deepEqual([a.take(), b.take(), c.take()], [[], [], []]);
});

Deno.test("ChatRoom.receive() takes // as text starting with /", () => {
  const { room, a, b } = roomOfThree();
  room.receive(a, "//nick is a command");
  room.receive(a, "//");
  assert.deepEqual(b.take(), ["[guest1] /nick is a command", "[guest1] /"]);
  assert.equal(room.nickOf(a), "guest1");
});

Deno.test("ChatRoom.receive() cannot forge a notice: text after a prefix, on one line", () => {
  const { room, a, b } = roomOfThree();
  room.receive(a, "*** guest2 left");
  room.receive(a, "x\r*** guest3 left\u2028*** guest3 left");
  assert.deepEqual(b.take(), [
    "[guest1] *** guest2 left",
    "[guest1] x^M*** guest3 left<U+2028>*** guest3 left",
  ]);
});

Deno.test("/nick server then /me shutting down is an action, not a server line", () => {
  const { room, a, b } = roomOfThree();
  room.receive(a, "/nick server");
  room.receive(a, "/me shutting down");
  room.receive(a, "/nick Welcome");
  room.receive(a, "/me to the chat, you are guest9. Nobody else is here yet");
  assert.deepEqual(b.take(), [
    "*** guest1 is now server",
    "* server shutting down",
    "*** server is now Welcome",
    "* Welcome to the chat, you are guest9. Nobody else is here yet",
  ]);
  assert.ok(!"* server shutting down".startsWith(NOTICE_PREFIX));
});

Deno.test("A name with * is refused, so no /me line can look like a server line", () => {
  const { room, a, b } = roomOfThree();
  for (const name of ["*", "**", "*server", "server*", "*** server"]) {
    room.receive(a, `/nick ${name}`);
    assert.match(a.take()[0]!, /^\*\*\* (Invalid name|Usage)/, name);
  }
  assert.deepEqual(b.take(), []);
  assert.equal(room.nickOf(a), "guest1");
});

/** Names tried with /nick: some look like the server, some hold stars, most are refused. */
const triedName = fc.oneof(
  fc.constantFrom("server", "Welcome", "*", "**", "*server", "＊", "∗", "⁎", "٭", "guest2", "ann"),
  fc.string({ maxLength: 6 }),
);

/** Text a person sends that imitates server lines. */
const forgingText = fc.oneof(
  fc.constantFrom("*** server shutting down", "** x", "* guest2 left", "shutting down", ""),
  fc.string({ maxLength: 12 }),
);

Deno.test("No line a person's text, /me, /msg or /nick causes reaches the others as a server line but the room's own notices", () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Lang>("en", "zh"),
      fc.array(
        fc.oneof(
          forgingText,
          forgingText.map((text) => `/me ${text}`),
          forgingText.map((text) => `/msg guest2 ${text}`),
          triedName.map((name) => `/nick ${name}`),
          forgingText.map((text) => `/quit ${text}`),
        ),
        { minLength: 1, maxLength: 10 },
      ),
      (lang, sends) => {
        const texts = CHAT_TEXTS[lang];
        const { room, join } = newRoom({ lang, quiet: true });
        const sender = join();
        const watchers = [join(), join()];
        for (const watcher of watchers) watcher.take();
        for (const line of sends) {
          const before = room.nickOf(sender)!;
          room.receive(sender, line);
          const after = room.nickOf(sender);
          // What the others may see as server lines: only the room's notice of what happened.
          const expected = after === undefined
            ? [NOTICE_PREFIX + texts.chatLeft(before, null)]
            : after !== before
            ? [NOTICE_PREFIX + texts.chatRenamed(before, after)]
            : [];
          for (const watcher of watchers) {
            const fresh = watcher.take();
            const notices = fresh.filter((shown) => shown.startsWith(NOTICE_PREFIX));
            assert.equal(notices.length, expected.length, `${line}: ${notices.join(" | ")}`);
            notices.forEach((notice, i) => assert.ok(notice.startsWith(expected[i]!), notice));
            for (const shown of fresh) {
              if (shown.startsWith(NOTICE_PREFIX)) continue;
              assert.ok(shown.startsWith(`[${before}`) || shown.startsWith(`* ${before} `), shown);
            }
          }
          if (after === undefined) {
            room.join(sender); // back as a guest, announced by the room
            const back = NOTICE_PREFIX + texts.chatJoined(room.nickOf(sender)!);
            for (const watcher of watchers) assert.deepEqual(watcher.take(), [back]);
            sender.take();
          }
        }
      },
    ),
  );
});

Deno.test("ChatRoom.receive() ignores lines of a member that is not in the room", () => {
  const { room, a, b } = roomOfThree();
  const stranger = new FakeMember("127.0.0.1:9");
  room.receive(stranger, "hello");
  room.leave(a, null);
  b.take();
  room.receive(a, "still here?");
  assert.deepEqual(b.take(), []);
  assert.deepEqual(stranger.frames, []);
});

Deno.test("ChatRoom tells members who is here changed on joins, leaves and renames, never on lines", () => {
  const { room, join } = newRoom();
  const a = join();
  const b = join();
  assert.deepEqual([a.membersChangedCalls, b.membersChangedCalls], [1, 0], "not the newcomer");
  const counts = () => [a, b].map((member) => member.membersChangedCalls);
  room.receive(a, "hello");
  room.receive(a, "/me waves");
  room.receive(a, "/msg guest2 psst");
  room.receive(a, "/who");
  room.receive(a, "/nick guest2"); // taken: nothing changes
  assert.deepEqual(counts(), [1, 0], "lines, commands and a refused rename change nobody's list");
  room.receive(b, "/nick bob");
  assert.deepEqual(counts(), [2, 1], "a rename: everyone, the renamed too");
  room.leave(b, null);
  assert.deepEqual(counts(), [3, 1], "a leave: those still here");
});

/**
 * A bus whose link is down to start with (joins are then immediate), whose
 * news the test brings by hand through `listener`.
 */
class HandDrivenBus implements RoomBus {
  readonly serverId = "here";
  linked = false;
  listener: BusListener | null = null;
  listen(listener: BusListener): void {
    this.listener = listener;
  }
  claimGuestName = () => Promise.resolve(null);
  claimName = () => Promise.resolve(null);
  /** Names given back, in order. */
  readonly released: string[] = [];
  releaseName(name: string): void {
    this.released.push(name);
  }
  publish(): void {}
  remember(): void {}
  saveBan(): void {}
  dropBan(): void {}
  reclaimNames = () => Promise.resolve();
  history = () => Promise.resolve([]);
  close = () => Promise.resolve();
}

Deno.test("ChatRoom tells members who is here changed when it learns or forgets other servers' members", () => {
  const bus = new HandDrivenBus();
  const log = new Logger({ quiet: true });
  const room = new ChatRoom({
    texts: CHAT_TEXTS.en,
    log,
    messageLog: new MessageLog(log, TEXTS.en),
    historySize: 0,
    bus,
  });
  const a = new FakeMember("127.0.0.1:1001");
  const b = new FakeMember("127.0.0.1:1002");
  room.join(a);
  room.join(b);
  const counts = () => [a, b].map((member) => member.membersChangedCalls);
  assert.deepEqual(counts(), [1, 0]);
  // Another server says who it has (after an outage, or answering our hello): no join notice.
  bus.listener!.remote({ kind: "present", nicks: ["zoe", "guest1"] }, "there");
  assert.deepEqual(room.names(), ["guest1", "guest2", "zoe"]);
  assert.deepEqual(counts(), [2, 1], "zoe is new here");
  bus.listener!.remote({ kind: "present", nicks: ["zoe"] }, "there");
  assert.deepEqual(counts(), [2, 1], "nobody new: nothing changed");
  // Cut off: the room is this server's alone, and the list says so.
  bus.listener!.linkLost();
  assert.deepEqual(room.names(), ["guest1", "guest2"]);
  assert.deepEqual(counts(), [3, 2]);
  bus.listener!.linkLost();
  assert.deepEqual(counts(), [3, 2], "nobody of another server left to forget");
});

Deno.test("ChatRoom gives back a name Redis gave too late, unless one of its members holds it", () => {
  const bus = new HandDrivenBus();
  const log = new Logger({ quiet: true });
  const room = new ChatRoom({
    texts: CHAT_TEXTS.en,
    log,
    messageLog: new MessageLog(log, TEXTS.en),
    historySize: 0,
    bus,
  });
  const a = new FakeMember("127.0.0.1:1001");
  room.join(a); // the link is down: guest1, decided here
  bus.listener!.claimedLate("guest1");
  bus.listener!.claimedLate("GUEST1");
  assert.deepEqual(bus.released, [], "guest1 is a's: Redis is right to have it as ours");
  bus.listener!.claimedLate("guest2");
  bus.listener!.remote({ kind: "present", nicks: ["zoe"] }, "there");
  bus.listener!.claimedLate("zoe");
  assert.deepEqual(bus.released, ["guest2", "zoe"], "held by nobody here, or by another server");
});

// --- commands ---

Deno.test("/nick renames and tells everyone, the sender too", () => {
  const { room, logLines, a, b, c } = roomOfThree();
  room.receive(b, "/nick Alice");
  for (const member of [a, b, c]) assert.deepEqual(member.take(), ["*** guest2 is now Alice"]);
  assert.equal(room.nickOf(b), "Alice");
  room.receive(b, "hi");
  assert.deepEqual(a.take(), ["[Alice] hi"]);
  assert.equal(logLines.at(-1), "[127.0.0.1:1002] guest2 is now Alice");
});

Deno.test("/nick refuses a name another member holds, in any case, telling only the sender", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(b, "/nick alice");
  [a, b, c].forEach((member) => member.take());
  for (const name of ["alice", "ALICE", "aLiCe", "ａｌｉｃｅ", "GUEST1"]) {
    room.receive(c, `/nick ${name}`);
    assert.deepEqual(c.take(), [`*** The name "${name}" is taken`], name);
  }
  assert.deepEqual([a.take(), b.take()], [[], []]);
  assert.equal(room.nickOf(c), "guest3");
});

Deno.test("/nick lets a member change the case of its own name, and says when nothing changes", () => {
  const { room, a, b } = roomOfThree();
  room.receive(a, "/nick alice");
  a.take();
  b.take();
  room.receive(a, "/nick ALICE");
  assert.deepEqual(b.take(), ["*** alice is now ALICE"]);
  assert.deepEqual(a.take(), ["*** alice is now ALICE"]);
  room.receive(a, "/nick ALICE");
  assert.deepEqual(a.take(), ["*** You are already ALICE"]);
  assert.deepEqual(b.take(), []);
});

Deno.test("/nick refuses invalid names with an error to the sender only, controls made visible", () => {
  const { room, a, b } = roomOfThree();
  const refused: [string, string][] = [
    ["a b", "a b"],
    ["x".repeat(25), "x".repeat(25)],
    ["a*b", "a*b"],
    ["[x]", "[x]"],
    ["\x1b[31mred", "^[[31mred"],
    ["bi\u202edi", "bi<U+202E>di"],
    ["emoji😀", "emoji😀"],
  ];
  for (const [name, shown] of refused) {
    room.receive(a, `/nick ${name}`);
    assert.deepEqual(a.take(), [
      `*** Invalid name "${shown}": use 1 to 24 letters, digits, "_" or "-"`,
    ]);
  }
  room.receive(a, "/nick");
  assert.deepEqual(a.take(), ["*** Usage: /nick NAME"]);
  assert.deepEqual(b.take(), []);
  assert.equal(room.nickOf(a), "guest1");
  for (const name of ["张三", "Ünïcödé", "x".repeat(24), "a_b-1", "-"]) {
    room.receive(a, `/nick ${name}`);
    assert.equal(room.nickOf(a), name);
  }
});

Deno.test("/nick refuses a name that mixes scripts, saying which, to the sender only", () => {
  const { room, a, b } = roomOfThree();
  room.receive(b, "/nick watcher");
  a.take();
  b.take();
  const lookalike = "w\u0430tcher"; // a Cyrillic "а"
  room.receive(a, `/nick ${lookalike}`);
  assert.deepEqual(a.take(), [
    `${NOTICE_PREFIX}Invalid name "${lookalike}": it mixes scripts (Latin and Cyrillic); use one`,
  ]);
  room.receive(a, "/nick \u0391lic\u0435_2"); // Greek alpha, Cyrillic ie
  assert.deepEqual(a.take(), [
    `${NOTICE_PREFIX}Invalid name "\u0391lic\u0435_2": it mixes scripts (Greek, Latin and Cyrillic); use one`,
  ]);
  assert.deepEqual(b.take(), []);
  assert.equal(room.nickOf(a), "guest1");
  for (const name of ["田中さん", "한국漢字", "Tom张", "Олег"]) {
    room.receive(a, `/nick ${name}`);
    assert.equal(room.nickOf(a), name);
  }
});

Deno.test("/nick's refusal of mixed scripts is in Chinese in a Chinese room", () => {
  const { room, join } = newRoom({ lang: "zh" });
  const a = join();
  room.receive(a, "/nick w\u0430tcher");
  assert.deepEqual(a.take(), [
    `${NOTICE_PREFIX}无效的名字“w\u0430tcher”：混用了多种文字（拉丁字母和西里尔字母），请只用一种`,
  ]);
  room.receive(a, "/nick 한ひ\u13aa");
  assert.deepEqual(a.take(), [
    `${NOTICE_PREFIX}无效的名字“한ひ\u13aa”：混用了多种文字（谚文、平假名和其他文字），请只用一种`,
  ]);
});

Deno.test("/who lists how many are here and every name, to the sender only", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(b, "/nick bob");
  [a, b, c].forEach((member) => member.take());
  room.receive(c, "/who");
  assert.deepEqual(c.take(), ["*** 3 people here: guest1, bob, guest3"]);
  assert.deepEqual([a.take(), b.take()], [[], []]);
  const { room: alone, join } = newRoom();
  const only = join();
  alone.receive(only, "/WHO");
  assert.deepEqual(only.take(), ["*** 1 person here: guest1"]);
});

Deno.test("/msg reaches the addressee and the sender only; unknown names and missing text are errors", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(b, "/nick Bob");
  [a, b, c].forEach((member) => member.take());
  room.receive(a, "/msg bOB psst,  a secret");
  assert.deepEqual(b.take(), ["[guest1 -> Bob] psst,  a secret"]);
  assert.deepEqual(a.take(), ["[guest1 -> Bob] psst,  a secret"]);
  assert.strictEqual(a.frames.at(-1), b.frames.at(-1), "one frame for both");
  assert.deepEqual(c.take(), []);
  room.receive(a, "/msg nobody hello");
  assert.deepEqual(a.take(), ['*** Nobody here is called "nobody"']);
  room.receive(a, "/msg \x1b[2J hello");
  assert.deepEqual(a.take(), ['*** Nobody here is called "^[[2J"']);
  room.receive(a, "/msg Bob");
  room.receive(a, "/msg Bob   ");
  room.receive(a, "/msg");
  assert.deepEqual(a.take(), Array(3).fill("*** Usage: /msg NAME TEXT"));
  assert.deepEqual([b.take(), c.take()], [[], []]);
  room.receive(a, "/msg guest1 note to self");
  assert.deepEqual(a.take(), ["[guest1 -> guest1] note to self"], "once, not twice");
});

Deno.test("/me tells the others * nick text", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(a, "/me waves");
  assert.deepEqual(a.take(), []);
  assert.deepEqual(b.take(), ["* guest1 waves"]);
  assert.deepEqual(c.take(), ["* guest1 waves"]);
  room.receive(a, "/me");
  assert.deepEqual(a.take(), ["*** Usage: /me TEXT"]);
  assert.deepEqual(b.take(), []);
});

Deno.test("/quit with a reason: the others get it in parentheses, the member is removed and hung up", () => {
  const { room, logLines, a, b, c } = roomOfThree();
  room.receive(c, "/quit bye all");
  assert.deepEqual(a.take(), ["*** guest3 left (bye all)"]);
  assert.deepEqual(b.take(), ["*** guest3 left (bye all)"]);
  assert.deepEqual(c.frames.at(-1), noticeFrame(CHAT_TEXTS.en.chatBye), "a last line for it");
  assert.equal(c.framesAtHangUp, c.frames.length, "before the hang-up");
  assert.equal(c.hangUps, 1);
  assert.equal(room.nickOf(c), undefined);
  assert.equal(room.size, 2);
  assert.equal(logLines.at(-1), "[127.0.0.1:1003] guest3 left (quit: bye all)");
});

Deno.test("/quit without a reason: the others get * nick left", () => {
  const { room, logLines, a, b, c } = roomOfThree();
  room.receive(b, "/QUIT");
  assert.deepEqual(a.take(), ["*** guest2 left"]);
  assert.deepEqual(c.take(), ["*** guest2 left"]);
  assert.equal(b.hangUps, 1);
  assert.equal(logLines.at(-1), "[127.0.0.1:1002] guest2 left (quit)");
  room.receive(a, "/quit   ");
  assert.deepEqual(c.take(), ["*** guest1 left"]);
});

Deno.test("/help lists every command, each line a server line, to the sender only", () => {
  const { room, a, b } = roomOfThree();
  const frames = a.frames.length;
  room.receive(a, "/help");
  const lines = a.take();
  assert.equal(a.frames.length, frames + 1, "the help in one frame");
  for (const line of lines) assert.match(line, /^\*\*\* /);
  for (const command of ["/nick NAME", "/who", "/msg NAME TEXT", "/me TEXT", "/quit", "/help"]) {
    assert.ok(lines.some((line) => line.startsWith(`*** ${command} `)), command);
  }
  assert.ok(lines.some((line) => line.includes("//")));
  assert.deepEqual(b.take(), []);
});

Deno.test("An unknown command gets an error line to the sender only and is never broadcast", () => {
  const { room, a, b, c } = roomOfThree();
  room.receive(a, "/shrug hello");
  assert.deepEqual(a.take(), ['*** Unknown command "/shrug": /help lists the commands']);
  room.receive(a, "/");
  room.receive(a, "/\x1b[2Jx");
  assert.deepEqual(a.take(), [
    '*** Unknown command "/": /help lists the commands',
    '*** Unknown command "/^[[2Jx": /help lists the commands',
  ]);
  assert.deepEqual([b.take(), c.take()], [[], []]);
});

Deno.test("/help's /me example shows the member's own name, in both languages", () => {
  for (const lang of ["en", "zh"] as const) {
    const { room, a } = roomOfThree({ lang });
    room.receive(a, "/nick 小明");
    a.take();
    room.receive(a, "/help");
    const help = a.take().join("\n");
    assert.ok(help.includes("小明"), help);
    assert.ok(!help.includes("guest1"), help);
  }
});

// --- leaving ---

Deno.test("ChatRoom.leave() tells the others why, and logs it", () => {
  const { room, logLines, join } = newRoom();
  const watcher = join();
  const reasons: [LeaveReason, string][] = [
    [null, ""],
    ["connection lost", " (connection lost)"],
    ["idle", " (idle)"],
    ["too slow", " (too slow)"],
    ["line too long", " (line too long)"],
  ];
  for (const [reason, shown] of reasons) {
    const member = join("127.0.0.1:2000");
    watcher.take();
    room.leave(member, reason);
    assert.deepEqual(watcher.take(), [`*** guest2 left${shown}`]);
    assert.equal(logLines.at(-1), `[127.0.0.1:2000] guest2 left${shown}`);
    assert.deepEqual(member.take(), []);
    assert.equal(member.hangUps, 0, "only /quit hangs up");
  }
});

Deno.test("ChatRoom.leave() twice is harmless: one notice, one log line", () => {
  const { room, logLines, a, b, c } = roomOfThree();
  const logged = logLines.length;
  room.leave(b, "connection lost");
  room.leave(b, "connection lost");
  room.leave(b, null);
  assert.deepEqual(a.take(), ["*** guest2 left (connection lost)"]);
  assert.deepEqual(c.take(), ["*** guest2 left (connection lost)"]);
  assert.equal(logLines.length, logged + 1);
  assert.equal(room.size, 2);
  room.leave(new FakeMember("127.0.0.1:9"), "idle"); // never joined
  assert.deepEqual(a.take(), []);
});

Deno.test("ChatRoom.close() empties the room without announcing anyone, and ignores later calls", () => {
  const { room, a, b } = roomOfThree();
  room.close();
  assert.equal(room.size, 0);
  room.leave(a, "connection lost");
  room.receive(b, "hello");
  const late = new FakeMember("127.0.0.1:9");
  room.join(late);
  assert.deepEqual([a.take(), b.take(), late.take()], [[], [], []]);
});

Deno.test("ChatRoom finishes a broadcast before telling that a member it overflowed left", () => {
  const { room, join } = newRoom();
  const a = join();
  const b = join();
  let full = false;
  // The transport drops a member inside deliver() when its queue overflows.
  const slow = new FakeMember("127.0.0.1:3", () => {
    if (full) room.leave(slow, "too slow");
  });
  room.join(slow);
  const d = join();
  a.take();
  b.take();
  full = true;
  room.receive(a, "to everyone");
  for (const member of [b, d]) {
    assert.deepEqual(member.take(), ["[guest1] to everyone", "*** guest3 left (too slow)"]);
  }
  assert.equal(room.size, 3);
});

Deno.test("ChatRoom never announces a member dropped while it takes its welcome", () => {
  const { room, logLines, join } = newRoom();
  const a = join();
  const slow = new FakeMember("127.0.0.1:3", () => room.leave(slow, "too slow"));
  room.join(slow);
  assert.equal(slow.frames.length, 1, "the welcome");
  assert.equal(room.size, 1);
  assert.equal(room.nickOf(slow), undefined);
  assert.deepEqual(a.take(), []);
  assert.deepEqual(logLines.slice(-2), [
    "[127.0.0.1:3] guest2 joined",
    "[127.0.0.1:3] guest2 left (too slow)",
  ]);
  assert.equal(room.nickOf(join()), "guest2", "its name is free again");
});

// --- history ---

Deno.test("A late joiner gets the last lines people sent, in one frame with the welcome", () => {
  const { room, join } = newRoom({ historySize: 3 });
  const a = join();
  const b = join();
  room.receive(a, "one");
  room.receive(b, "/me two");
  room.receive(a, "/msg guest2 private"); // never history
  room.receive(a, "/nick alice"); // notices are not history
  room.receive(a, "three");
  room.receive(a, "/who");
  room.receive(b, "four");
  room.receive(a, "/help");
  room.leave(b, "idle");
  const late = new FakeMember("127.0.0.1:9");
  room.join(late);
  assert.equal(late.frames.length, 1, "welcome and history in one frame");
  const [welcome, earlier, ...history] = late.take();
  assert.match(welcome!, /^\*\*\* Welcome .* you are guest1\. Also here: alice\./);
  assert.equal(
    earlier,
    NOTICE_PREFIX + CHAT_TEXTS.en.chatEarlierLines(3),
    "how many earlier lines follow",
  );
  assert.equal(earlier, "*** Earlier in the room, the last 3 lines:");
  assert.deepEqual(history, ["* guest2 two", "[alice] three", "[guest2] four"]);
});

Deno.test("Before the history one *** line says how many earlier lines follow (en, zh); none without history", () => {
  const zh = newRoom({ lang: "zh", historySize: 5 });
  const talker = zh.join();
  zh.room.receive(talker, "一");
  zh.room.receive(talker, "/me 二");
  const late = zh.join();
  assert.deepEqual(late.lines.slice(1), [
    "*** 以下是你加入之前的最近 2 条消息：",
    "[guest1] 一",
    "* guest1 二",
  ]);
  assert.equal(CHAT_TEXTS.en.chatEarlierLines(1), "Earlier in the room, the last 1 line:");
  const empty = newRoom({ historySize: 5 });
  assert.equal(empty.join().lines.length, 1, "no history: the welcome only");
  // A transport that shows the history apart gets it in a frame of its own, after the welcome.
  const room = newRoom({ historySize: 5 });
  room.room.receive(room.join(), "said before");
  const apart: string[] = [];
  const page = new FakeMember("127.0.0.1:8");
  Object.assign(page, {
    deliverEarlier: (frame: Uint8Array) => apart.push(new TextDecoder().decode(frame)),
  });
  room.room.join(page);
  assert.deepEqual(page.lines.slice(1), ["*** Earlier in the room, the last 1 line:"]);
  assert.deepEqual(apart, ["[guest1] said before\n"]);
});

Deno.test("History holds historySize lines, the newest, and none with historySize 0", () => {
  const full = newRoom({ historySize: 20 });
  const talker = full.join();
  for (let i = 1; i <= 25; i++) full.room.receive(talker, `line ${i}`);
  const late = full.join();
  assert.equal(late.frames.length, 1);
  const lines = late.lines;
  assert.equal(lines.length, 22);
  assert.equal(lines[1], "*** Earlier in the room, the last 20 lines:");
  assert.equal(lines[2], "[guest1] line 6");
  assert.equal(lines[21], "[guest1] line 25");

  const none = newRoom({ historySize: 0 });
  const speaker = none.join();
  none.room.receive(speaker, "gone");
  assert.equal(none.join().lines.length, 1, "the welcome only");
});

Deno.test("new ChatRoom() refuses a history size that is not a whole number of 0 or more", () => {
  for (const historySize of [-1, 1.5, Number.NaN, Infinity]) {
    assert.throws(() => newRoom({ historySize }), RangeError);
  }
});

// --- languages and logs ---

Deno.test("--lang zh: welcome, notices, errors and help are Chinese; commands stay the same", () => {
  const { room, logLines, join } = newRoom({ lang: "zh" });
  const a = join();
  const b = new FakeMember("127.0.0.1:2");
  room.join(b);
  assert.deepEqual(b.take(), [
    "*** 欢迎来到聊天室，你的名字是 guest2。在线的还有：guest1。输入 /help 查看命令",
  ]);
  assert.deepEqual(a.take(), ["*** guest2 加入了聊天室"]);
  room.receive(b, "/nick 小明");
  assert.deepEqual(a.take(), ["*** guest2 改名为 小明"]);
  room.receive(a, "/nick 小明");
  assert.deepEqual(a.take(), ["*** 名字“小明”已被占用"]);
  room.receive(a, "/who");
  assert.deepEqual(a.take(), ["*** 当前在线 2 人：guest1、小明"]);
  room.receive(a, "/foo");
  assert.deepEqual(a.take(), ["*** 未知命令“/foo”：输入 /help 查看命令"]);
  room.receive(a, "/help");
  const help = a.take();
  assert.ok(help.length >= 6);
  for (const line of help) assert.match(line, /^\*\*\* .*[\u4e00-\u9fff]/, line);
  room.leave(b, "idle");
  assert.deepEqual(a.take(), ["*** 小明 离开了聊天室（空闲超时）"]);
  assert.equal(logLines.at(-1), "[127.0.0.1:2] 小明 离开了聊天室（空闲超时）");
  const c = join();
  a.take();
  room.receive(c, "/quit 再见");
  assert.deepEqual(a.take(), ["*** guest2 离开了聊天室（再见）"]);
});

Deno.test("ChatRoom logs joins, leaves and renames with the peer, not the lines people send", () => {
  const { room, logLines, join } = newRoom();
  const a = join("127.0.0.1:7001");
  const b = join("[::1]:7002");
  room.receive(a, "not logged by the room");
  room.receive(a, "/me neither");
  room.receive(b, "/nick bob");
  room.receive(b, "/quit \x1b[2J");
  room.leave(a, "connection lost");
  assert.deepEqual(logLines, [
    "[127.0.0.1:7001] guest1 joined",
    "[::1]:7002 guest2 joined",
    "[::1]:7002 guest2 is now bob",
    "[::1]:7002 bob left (quit: \\x1b[2J)",
    "[127.0.0.1:7001] guest1 left (connection lost)",
  ]);
});

Deno.test("ChatRoom logs nothing when the log is quiet", () => {
  const { room, logLines, a, b } = roomOfThree({ quiet: true });
  room.receive(a, "/nick x");
  room.leave(b, "idle");
  assert.deepEqual(logLines, []);
});

// --- terminal safety ---

/** Everything that must never reach a terminal as itself; a reference written from the rules. */
const FORBIDDEN = [
  ...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => code !== 0x09),
  ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), // DEL and C1
  0x061c,
  0x200e,
  0x200f,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
  0x2028,
  0x2029,
].map((code) => String.fromCharCode(code));

/** Text mixing forbidden characters with ordinary ones, "/", brackets and "* ". */
const mixedText = fc.array(
  fc.oneof(
    fc.constantFrom(...FORBIDDEN),
    fc.constantFrom("a", "好", " ", "\t", "/", "[", "]", "* ", "guest2", "😀"),
    fc.string({ unit: "binary", maxLength: 3 }),
  ),
  { maxLength: 12 },
).map((parts) => parts.join(""));

/** Line shapes that carry a person's text to others or back. */
const SHAPES = [
  "{}",
  "//{}",
  "/me {}",
  "/msg guest2 {}",
  "/msg {} x",
  "/nick {}",
  "/{}",
  "/quit {}",
];

Deno.test("No control, bidi or separator character reaches any member as itself, and every line has a server prefix", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom(...SHAPES), mixedText),
        { minLength: 1, maxLength: 8 },
      ),
      mixedText,
      (sends, leaveDetail) => {
        const { room, join } = newRoom({ quiet: true });
        const members = [join(), join(), join()];
        for (const [from, shape, text] of sends) {
          const member = members[from]!;
          if (room.nickOf(member) === undefined) room.join(member);
          room.receive(member, shape.replace("{}", text));
        }
        for (const member of members) {
          if (room.nickOf(member) === undefined) room.join(member);
        }
        room.leave(members[0]!, "quit", leaveDetail);
        const late = new FakeMember("127.0.0.1:9"); // gets the history
        room.join(late);
        for (const member of [...members, late]) {
          for (const line of member.lines) {
            for (const char of FORBIDDEN) {
              assert.ok(!line.includes(char), `U+${char.charCodeAt(0).toString(16)} in ${line}`);
            }
            assert.match(line, /^(\*\*\* |\* [^\s*]+ |\[[^\] ]+( -> [^\] ]+)?\] )/);
          }
        }
      },
    ),
  );
});

Deno.test("Controls in text, /me, /msg and /quit reasons are shown in caret or <U+202E>-style form", () => {
  const { room, a, b } = roomOfThree();
  room.receive(a, "a\x1b[2Jb\x00c\x7fd\x9be\tf");
  room.receive(a, "/me \u202egnikcah");
  room.receive(a, "/msg guest2 \x07bell\u2066x\u2069");
  room.receive(a, "/quit \x1b]0;title\x07");
  assert.deepEqual(b.take(), [
    "[guest1] a^[[2Jb^@c^?d<U+009B>e\tf",
    "* guest1 <U+202E>gnikcah",
    "[guest1 -> guest2] ^Gbell<U+2066>x<U+2069>",
    "*** guest1 left (^[]0;title^G)",
  ]);
});

Deno.test("ChatRoom.receiveLines() sends a run of text lines as one frame, split only by commands", () => {
  const { room, join } = newRoom({ historySize: 10 });
  const ann = join();
  const bob = join();
  ann.take();
  const before = bob.frames.length;
  room.receiveLines(ann, ["one", "two", "/me waves", "three", "", "four"]);
  assert.equal(bob.frames.length - before, 3, "text, the /me line, text");
  assert.deepEqual(bob.take(), [
    "[guest1] one",
    "[guest1] two",
    "* guest1 waves",
    "[guest1] three",
    "[guest1] four",
  ]);
  assert.deepEqual(ann.take(), [], "nothing back to the sender");
  // History keeps each line, so a late joiner gets them all.
  const carol = join();
  assert.deepEqual(carol.lines.slice(2), [
    "[guest1] one",
    "[guest1] two",
    "* guest1 waves",
    "[guest1] three",
    "[guest1] four",
  ]);
});

Deno.test("ChatRoom.receiveLines() stops at /quit: later lines of the batch are not said", () => {
  const { room, join } = newRoom();
  const ann = join();
  const bob = join();
  ann.take();
  bob.take();
  room.receiveLines(ann, ["bye", "/quit", "after"]);
  assert.deepEqual(bob.take(), ["[guest1] bye", "*** guest1 left"]);
  assert.equal(ann.hangUps, 1);
});

Deno.test("ChatRoom.join() names at most 30 others in the welcome and counts the rest", () => {
  const { join } = newRoom();
  const members = Array.from({ length: 35 }, () => join());
  const welcome = members.at(-1)!.lines[0]!;
  assert.ok(welcome.includes("guest30,") || welcome.includes("guest30 "), welcome);
  assert.ok(!welcome.includes("guest31"), welcome);
  assert.ok(welcome.includes("and 4 more"), welcome);
  const small = members[3]!.lines[0]!;
  assert.ok(small.includes("guest1, guest2, guest3.") && !small.includes("more"), small);
});

// --- joining quietly (a TCP member is announced at its first line, or after a while) ---

Deno.test("ChatRoom.join() with announceLater: the others hear nothing until announce(), then once", () => {
  const { room, join } = newRoom();
  const ann = join();
  const spare = new FakeMember("127.0.0.1:2");
  room.join(spare, { announceLater: true });
  assert.match(spare.take()[0]!, /^\*\*\* Welcome to the chat, you are guest2/);
  assert.deepEqual(ann.take(), []);
  room.announce(spare);
  room.announce(spare);
  assert.deepEqual(ann.take(), [NOTICE_PREFIX + CHAT_TEXTS.en.chatJoined("guest2")]);
  room.leave(spare, null);
  assert.deepEqual(ann.take(), [NOTICE_PREFIX + CHAT_TEXTS.en.chatLeft("guest2", null)]);
});

Deno.test("ChatRoom.join() with announceLater: its first line announces it first; leaving before, nothing", () => {
  const { room, join } = newRoom();
  const ann = join();
  const talker = new FakeMember("127.0.0.1:2");
  room.join(talker, { announceLater: true });
  room.receiveLines(talker, ["hi"]);
  assert.deepEqual(ann.take(), [NOTICE_PREFIX + CHAT_TEXTS.en.chatJoined("guest2"), "[guest2] hi"]);
  const spare = new FakeMember("127.0.0.1:3");
  room.join(spare, { announceLater: true });
  room.leave(spare, "connection lost");
  room.announce(spare);
  assert.deepEqual(ann.take(), []);
  assert.deepEqual(room.names(), ["guest1", "guest2"]);
});

Deno.test("ChatRoom.join(): a member not announced yet is not named in a newcomer's welcome", () => {
  const { room } = newRoom();
  const quiet = new FakeMember("127.0.0.1:2");
  room.join(quiet, { announceLater: true });
  const bob = new FakeMember("127.0.0.1:3");
  room.join(bob);
  assert.deepEqual(bob.take(), [NOTICE_PREFIX + CHAT_TEXTS.en.chatWelcome("guest2", [], 0)]);
  room.announce(quiet);
  assert.deepEqual(bob.take(), [NOTICE_PREFIX + CHAT_TEXTS.en.chatJoined("guest1")]);
});

// --- a page that comes back ---

Deno.test("ChatRoom.replace() puts a new connection in the old one's place: same name and place, nobody told, the lines since the last one it saw", () => {
  const { room, a, b, c } = roomOfThree({ quiet: true });
  room.receive(b, "one");
  room.receive(b, "two");
  const seen = room.lineIdsOf(a.frames.at(-2)!)!.at(-1)!; // the id of "one", the page's last
  for (const member of [a, b, c]) member.take();
  const back = new FakeMember("127.0.0.1:1004");
  assert.equal(room.replace(a, back, seen), "guest1");
  assert.deepEqual(back.take(), [
    "*** Welcome back, you are still guest1; said while you were away, 1 line:",
    "[guest2] two",
  ]);
  assert.deepEqual([b.take(), c.take()], [[], []], "nobody saw a leave or a join");
  assert.deepEqual(room.names(), ["guest1", "guest2", "guest3"], "the same place");
  room.receive(c, "three");
  assert.deepEqual([back.take(), a.take()], [["[guest3] three"], []]);
  b.take();
  room.receive(a, "from the old connection"); // not in the room any more: ignored
  assert.deepEqual(b.take(), []);
  assert.equal(room.replace(a, new FakeMember("127.0.0.1:1005"), null), undefined, "a is gone");
});

Deno.test("ChatRoom.join() with a wanted name takes it when free, else a guest name", () => {
  const { room } = newRoom({ quiet: true });
  const ann = new FakeMember("127.0.0.1:1");
  room.join(ann, { wanted: "ann" });
  const other = new FakeMember("127.0.0.1:2");
  room.join(other, { wanted: "ANN" });
  const bad = new FakeMember("127.0.0.1:3");
  room.join(bad, { wanted: "wаtcher" }); // a Cyrillic а: refused as any /nick would be
  assert.deepEqual(room.names(), ["ann", "guest1", "guest2"]);
});
