/**
 * A member of the chat room in a browser: the room sees the same
 * {@linkcode ChatMember} as for a TCP client, and the browser gets the same
 * lines, over a WebSocket.
 *
 * The wire, both ways text messages:
 * - server to page: `{"lines": "…"}` (whole lines, exactly what a TCP client
 *   gets), `{"lines": "…", "own": true}` (the page's own lines as the others
 *   got them, in order with the rest: `ownLines()`), `{"lines": "…",
 *   "earlier": true}` (the history after the welcome: `deliverEarlier()`) and `{"you": nick, "members": [names]}` (who is here; after joining
 *   and whenever the room says that changed: `membersChanged()`); people's
 *   lines carry their ids in the history (`"ids": [...]`, one a line), and a
 *   page that can come back gets `{"resume": token}` once it is in
 *   (`web_resume.ts`);
 * - page to server: one line per message.
 *
 * A page that reconnects with its token takes the place of its old member
 * (`ChatRoom.replace()`): same name, nothing announced, the old socket
 * closed (code 4000), and the lines said since the last one it showed. When
 * a page's connection drops (not closed properly), its name is kept for
 * `GRACE_MS` (`web_resume.ts`), then it leaves (`connection lost`).
 *
 * The rules of TCP members hold here too: `--max-line` (a longer message ends
 * the member with the error line), `--rate` (lines past the burst wait their
 * turn, none lost, and the member is told once when they start to; past
 * `--max-backlog` bytes of them waiting the member is dropped for flooding,
 * since a WebSocket cannot be read more slowly), `--idle-timeout`, and the
 * backlog: when the socket's unsent bytes pass `--max-backlog`, the member is
 * dropped as too slow. Binary messages are refused.
 *
 * @module
 */

import type { ChatMember } from "../chat/chat_member.ts";
import type { ChatRoom } from "../chat/chat_room.ts";
import type { LeaveReason } from "../chat/chat_events.ts";
import { isUnloggedLine } from "../chat/chat_commands.ts";
import { noticeFrame } from "../chat/chat_lines.ts";
import { QuietTimer } from "../stream/quiet_timer.ts";
import { RateLimit } from "../chat/rate_limit.ts";
import type { SessionContext } from "../session/session.ts";
import { utf8Length } from "../text/utf8.ts";
import { type ResumeDesk, type ResumeRequest, tokenHash } from "./web_resume.ts";

/** What every web member of one server shares. */
export interface WebMemberOptions {
  /** The room. */
  room: ChatRoom;
  /** The server's log, counters, texts, message log and idle timeout. */
  ctx: Omit<SessionContext, "onEnd">;
  /** Longest line in bytes (`--max-line`). */
  maxLineBytes: number;
  /** Unsent bytes past which the member is dropped as too slow (`--max-backlog`). */
  maxBacklogBytes: number;
  /** Lines a second after the burst; 0 = no limit (`--rate`). */
  rateLinesPerSecond: number;
  /** Called once when the member's socket has closed. */
  onEnd(member: WebMember): void;
  /** The pages' tokens (`web_resume.ts`); none: pages cannot come back under their name. */
  resumes?: ResumeDesk<WebMember>;
}

/** WebSocket close codes (RFC 6455) used here. */
const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  noStatus: 1005,
  unsupportedData: 1003,
  policy: 1008,
  tooBig: 1009,
  /** Ours: the page came back on another connection, which took this one's place. */
  continued: 4000,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The page's message for whole lines: the one place the `{"lines": ...}`
 * shape is written.
 *
 * @param lines One or more lines, each ending in "\n".
 * @param mark Whether they are the page's own lines or earlier ones (none: live lines).
 * @param ids The lines' ids in the history, one a line (none: not history lines).
 * @returns The message's text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linesMessage } from "./web_member.ts";
 * assert.equal(linesMessage("*** hi\n"), '{"lines":"*** hi\\n"}');
 * ```
 */
export function linesMessage(
  lines: string,
  mark: LinesMark = null,
  ids?: readonly string[],
): string {
  return JSON.stringify({
    lines,
    ...(mark === null ? {} : { [mark]: true }),
    ...(ids === undefined ? {} : { ids }),
  });
}

/** What a `lines` message can be marked as: the page's own lines, or earlier ones (history). */
export type LinesMark = "own" | "earlier" | null;

/** A frame as the page's message. */
interface FrameMessage {
  /** The message's text. */
  readonly text: string;
  /**
   * Its size in UTF-8 bytes: what the socket's `bufferedAmount` counts, and
   * so the unit of `--max-backlog` here (not `text.length`, in UTF-16 units:
   * a Chinese character is one unit and three bytes).
   */
  readonly bytes: number;
}

/**
 * The message each frame becomes, made once per frame however many web
 * members get it (frames are shared, and never changed).
 */
const frameMessages = new WeakMap<Uint8Array, FrameMessage>();
/** The same for frames sent as the page's own lines, and as earlier lines. */
const markedMessages = {
  own: new WeakMap<Uint8Array, FrameMessage>(),
  earlier: new WeakMap<Uint8Array, FrameMessage>(),
};

function frameMessage(
  frame: Uint8Array,
  mark: LinesMark = null,
  ids?: readonly string[],
): FrameMessage {
  const messages = mark === null ? frameMessages : markedMessages[mark];
  let message = messages.get(frame);
  if (message === undefined) {
    // A frame's ids never change (the history gave them once): cached with it.
    const text = linesMessage(decoder.decode(frame), mark, ids);
    message = { text, bytes: utf8Length(text) };
    messages.set(frame, message);
  }
  return message;
}

/** One browser in the room. */
export class WebMember implements ChatMember {
  /** The browser's address, for log lines: `web 127.0.0.1:50412`. */
  readonly peer: string;
  /** The browser's IP address (for `/ban`). */
  readonly host?: string;
  readonly #socket: WebSocket;
  readonly #options: WebMemberOptions;
  readonly #rate: RateLimit | null;
  /** Lines past the rate, waiting for their turn. */
  readonly #waiting: string[] = [];
  /** Their size in UTF-8 bytes, the unit of `--max-backlog`. */
  #waitingBytes = 0;
  #waitTimer: ReturnType<typeof setTimeout> | undefined;
  #idleTimer: QuietTimer | undefined;
  #lastMessageAt = performance.now();
  #rosterQueued = false;
  readonly #closedNow = Promise.withResolvers<void>();
  #joined = false;
  #ended = false;
  /** What the page offered to come back (null: a client that cannot). */
  readonly #resume: ResumeRequest | null;
  /** Another connection of the same page took this member's place. */
  #continued = false;

  /**
   * Wraps an upgraded socket; it joins the room once the socket opens.
   *
   * @param socket From `Deno.upgradeWebSocket()`.
   * @param peer The browser's address as `host:port`.
   * @param options See {@linkcode WebMemberOptions}.
   * @param host The browser's IP address, for `/ban`.
   * @param resume What a page that can come back offered (its token, the
   *   last line it showed, its name); null or none: a client that cannot.
   */
  constructor(
    socket: WebSocket,
    peer: string,
    options: WebMemberOptions,
    host?: string,
    resume: ResumeRequest | null = null,
  ) {
    this.peer = `web ${peer}`;
    this.#resume = resume;
    if (host !== undefined) this.host = host;
    this.#socket = socket;
    this.#options = options;
    this.#rate = options.rateLinesPerSecond > 0 ? new RateLimit(options.rateLinesPerSecond) : null;
    socket.addEventListener("open", () => this.#opened());
    socket.addEventListener("message", (event) => this.#received(event.data));
    socket.addEventListener("close", (event) => this.#closed(event.code));
    socket.addEventListener("error", () => {}); // a close event follows
  }

  /**
   * Sends lines (the room calls it). Never waits; drops the member when its
   * socket holds more unsent bytes than allowed.
   *
   * @param frame Whole lines, maybe shared with other members. (Notices are
   *   not held back for a browser: each frame is one message, sent at once.)
   */
  deliver(frame: Uint8Array): void {
    this.#send(frame, null, this.#options.room.lineIdsOf(frame));
  }

  /**
   * Sends the history after the welcome, marked as earlier lines (the room
   * calls it).
   *
   * @param frame The earlier lines.
   * @param ids Their ids, one a line.
   * @param missed Lines said while the page was away: sent as live lines.
   */
  deliverEarlier(frame: Uint8Array, ids?: readonly string[], missed = false): void {
    this.#send(frame, missed ? null : "earlier", ids);
  }

  /**
   * Sends the member's own lines back, marked as its own, so that the page
   * shows them in order with everything else (the room calls it).
   *
   * @param frame Its text, `/me` or `/msg` line, as the others got it.
   */
  ownLines(frame: Uint8Array): void {
    this.#send(frame, "own", this.#options.room.lineIdsOf(frame));
  }

  #send(frame: Uint8Array, mark: LinesMark, ids?: readonly string[]): void {
    if (this.#ended || this.#socket.readyState !== WebSocket.OPEN) return;
    const message = frameMessage(frame, mark, ids);
    // Bytes with bytes: bufferedAmount counts the UTF-8 bytes of the messages not yet sent.
    if (this.#socket.bufferedAmount + message.bytes > this.#options.maxBacklogBytes) {
      return this.#tooSlow();
    }
    this.#socket.send(message.text);
    this.#options.ctx.stats.bytesOut += frame.length; // the chat's bytes, as for TCP members
  }

  /** Sends who is here (the room calls it when that changed), once the current burst is delivered. */
  membersChanged(): void {
    if (this.#ended) return;
    this.#queueRoster();
  }

  /** Settles once the socket has closed. */
  get closed(): Promise<void> {
    return this.#closedNow.promise;
  }

  /** Closes after /quit, once what was sent is on its way. */
  hangUp(): void {
    this.#end(null, CLOSE.normal);
  }

  /** Tells the browser the server stops, then closes (the room is closed already). */
  stop(): void {
    if (this.#ended) return;
    this.#sendNotice(this.#options.room.texts.chatShuttingDown);
    this.#end(null, CLOSE.goingAway);
  }

  /**
   * Another connection of the same page took this member's place (the room
   * has it already): closed without a leave, and no grace period.
   */
  continued(): void {
    if (this.#continued) return;
    this.#continued = true;
    this.#ended = true;
    this.#stopTimers();
    this.#options.resumes?.forget(this); // its grace period, if it had one, ends
    try {
      this.#socket.close(CLOSE.continued, "continued on another connection");
    } catch {
      // already closing
    }
  }

  #opened(): void {
    const { room, ctx, resumes } = this.#options;
    if (ctx.idleTimeoutMs > 0) {
      this.#idleTimer = new QuietTimer(ctx.idleTimeoutMs, () => this.#lastMessageAt, () => {
        this.#idledOut();
      });
      this.#idleTimer.start();
    }
    const resume = this.#resume;
    // A page back with its token, whose old member is still here: it takes that one's place.
    const old = resume?.token == null ? undefined : resumes?.holderOf(resume.token);
    if (old !== undefined && old !== this && resumes !== undefined) {
      if (room.replace(old, this, resume!.after) !== undefined) {
        resumes.moveTo(old, this);
        old.continued();
        return this.#in(resume!.token);
      }
    }
    const token = resume?.token ?? null;
    if (token === null || resumes === undefined) return this.#join();
    // Not here: with --redis, maybe the page comes from another server of the room.
    void room.resumeFromBus(this, tokenHash(token), resume!.after).then((back) => {
      if (this.#ended) return;
      if (!back) return this.#join();
      resumes.adopt(this, token);
      this.#in(token);
    });
  }

  /** Joins as a newcomer (under the name the page had, if it is free); a page gets its token. */
  #join(): void {
    const { room, resumes } = this.#options;
    const resume = this.#resume;
    // With --redis the name is claimed across servers first; lines sent meanwhile wait.
    void Promise.resolve(room.join(this, resume?.nick == null ? {} : { wanted: resume.nick })).then(
      () => {
        let token: string | null = null;
        if (resume !== null && resumes !== undefined && room.nickOf(this) !== undefined) {
          token = resumes.issue(this);
          room.tokenIssued(this, tokenHash(token));
        }
        this.#in(token);
      },
    );
  }

  /** In the room: the page gets its token (if it can come back) and who is here; lines flow. */
  #in(token: string | null): void {
    this.#joined = true;
    if (token !== null && this.#socket.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify({ resume: token }));
    }
    this.#sendRoster();
    this.#take();
  }

  #received(data: unknown): void {
    if (this.#ended) return;
    const { ctx, maxLineBytes } = this.#options;
    this.#lastMessageAt = performance.now();
    if (typeof data !== "string") {
      return this.#end("connection lost", CLOSE.unsupportedData, "text messages only");
    }
    ctx.stats.bytesIn += utf8Length(data);
    // A message is one line; one with "\n" in it is several, as on TCP (a last "\n" ends one).
    const text = data.endsWith("\n") ? data.slice(0, -1) : data;
    for (let line of text.split("\n")) {
      if (line.endsWith("\r")) line = line.slice(0, -1);
      const bytes = utf8Length(line);
      if (bytes > maxLineBytes) return this.#tooLong();
      this.#waiting.push(line);
      this.#waitingBytes += bytes;
    }
    // A WebSocket cannot be read more slowly: past the backlog bound, the member goes.
    if (this.#waitingBytes > this.#options.maxBacklogBytes) return this.#flooding();
    this.#take();
  }

  /** Hands waiting lines to the room as the rate allows. */
  #take(): void {
    if (!this.#joined) return;
    const { room, ctx } = this.#options;
    const lines: string[] = [];
    while (this.#waiting.length > 0) {
      // Operators are not held back: they must be able to act during a flood.
      if (this.#rate !== null && this.#rate.waitMs() > 0 && !room.isOperator(this)) break;
      const line = this.#waiting.shift()!;
      this.#waitingBytes -= utf8Length(line);
      this.#rate?.take();
      ctx.stats.messages++;
      // A /msg is logged by the room, without its text; a /op not at all (its key).
      if (ctx.messageLog.enabled && !isUnloggedLine(line)) {
        ctx.messageLog.received(this.peer, encoder.encode(line));
      }
      lines.push(line);
    }
    if (lines.length > 0) room.receiveLines(this, lines);
    if (this.#waiting.length === 0 || this.#ended) return;
    // Lines wait for the rate: said once an episode, straight to the page (not behind them).
    if (this.#rate?.startsHolding() === true) {
      this.#sendNotice(room.texts.chatSlowDown(this.#options.rateLinesPerSecond));
    }
    this.#waitTimer ??= setTimeout(() => {
      this.#waitTimer = undefined;
      this.#take();
    }, this.#rate?.waitMs() ?? 0);
  }

  #tooLong(): void {
    const { ctx, maxLineBytes } = this.#options;
    ctx.log.error(ctx.texts.lineTooLongLog(maxLineBytes), this.peer);
    this.#sendNotice(ctx.texts.lineTooLong(maxLineBytes));
    this.#end("line too long", CLOSE.tooBig);
  }

  #flooding(): void {
    const { ctx } = this.#options;
    ctx.log.info(this.#options.room.texts.chatLeaveReason("flooding"), this.peer);
    this.#end("flooding", CLOSE.policy);
  }

  #tooSlow(): void {
    const { ctx, maxBacklogBytes } = this.#options;
    ctx.log.info(this.#options.room.texts.chatTooSlowLog(maxBacklogBytes), this.peer);
    this.#end("too slow", CLOSE.policy);
  }

  #idledOut(): void {
    const { ctx } = this.#options;
    const seconds = ctx.idleTimeoutMs / 1000;
    ctx.log.info(ctx.texts.idleTimeoutLog(seconds), this.peer);
    this.#options.room.leave(this, "idle");
    this.#sendNotice(ctx.texts.idleTimeout(seconds));
    this.#end(null, CLOSE.normal);
  }

  #sendNotice(text: string): void {
    if (this.#socket.readyState !== WebSocket.OPEN) return;
    this.#socket.send(frameMessage(noticeFrame(text)).text);
  }

  /** Sends who is here once the current burst of notices is delivered. */
  #queueRoster(): void {
    if (this.#rosterQueued) return;
    this.#rosterQueued = true;
    queueMicrotask(() => {
      this.#rosterQueued = false;
      this.#sendRoster();
    });
  }

  #sendRoster(): void {
    const { room } = this.#options;
    const you = room.nickOf(this);
    if (you === undefined || this.#socket.readyState !== WebSocket.OPEN) return;
    this.#socket.send(JSON.stringify({ you, members: room.names() }));
  }

  /** Leaves the room (unless `reason` is null) and closes the socket. */
  #end(reason: LeaveReason, code: number, why = ""): void {
    if (this.#ended) return;
    this.#ended = true;
    if (reason !== null) this.#options.room.leave(this, reason);
    this.#stopTimers();
    try {
      this.#socket.close(code, why);
    } catch {
      // already closing
    }
  }

  /** The socket closed: a page that closed it properly just left, as a TCP client's FIN does. */
  #closed(code: number): void {
    const endedHere = this.#ended;
    this.#stopTimers();
    this.#ended = true;
    const { room, resumes } = this.#options;
    const properly = code === CLOSE.normal || code === CLOSE.goingAway || code === CLOSE.noStatus;
    // Dropped, not closed: the name is kept a while for the page to come back (GRACE_MS).
    const kept = !endedHere && !properly && room.nickOf(this) !== undefined &&
      resumes?.hold(this, () => room.leave(this, "connection lost")) === true;
    if (!kept && !this.#continued) {
      resumes?.forget(this);
      room.leave(this, properly ? null : "connection lost"); // also while joining
    }
    this.#waiting.length = 0;
    this.#waitingBytes = 0;
    this.#options.onEnd(this);
    this.#closedNow.resolve();
  }

  #stopTimers(): void {
    this.#idleTimer?.stop();
    clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
  }
}
