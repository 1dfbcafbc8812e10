/**
 * Chat mode's connection: one member of the room over TCP. Its bytes become
 * lines as in reply mode (a "\n" ends a line, text without one counts once the
 * client pauses, UTF-8 split across reads decodes right, `--max-line`), each
 * line goes to the room, and what the room sends this member goes through its
 * own bounded {@linkcode Outbox}, so nobody ever waits for this socket.
 *
 * `--rate`: past its burst, a client's lines are read only as fast as the rate
 * allows; TCP then slows the sender, and nothing it sent is lost. When its
 * lines start to wait, the client is told once (see `RateLimit.startsHolding()`),
 * straight into its own outbox: the notice waits for nothing it sent.
 *
 * A browser or `curl` pointed at this port must not end up in the room with
 * its headers as lines: the welcome waits up to `welcomeWaitMs` for the first
 * line, and a client whose first line is an HTTP request line gets a short
 * HTTP answer instead (`http_probe.ts`) and is closed. The others hear of a
 * newcomer once it sends a line or stays `joinAnnounceMs`, so a connection
 * that closes sooner (a browser's spare one, a port scanner) leaves no trace.
 *
 * A room with a key (`--key-file`): where the welcome would come, the client
 * is asked for the key instead, and its first line is the key. A right one,
 * and it joins as any other (the welcome, the history, the others told); a
 * wrong one gets one line and is closed a second later, so guessing is slow;
 * no key within `keyDeadlineMs`, one line and a close. Until then nothing it
 * sends reaches the room or the message log, and the key is never logged.
 *
 * @module
 */

import type { ChatMember } from "./chat_member.ts";
import type { ChatRoom } from "./chat_room.ts";
import { isUnloggedLine } from "./chat_commands.ts";
import type { LeaveReason } from "./chat_events.ts";
import { closeQuietly, type Conn } from "../stream/connection_io.ts";
import { waitAtMost } from "../stream/deadline.ts";
import { type LineHandler, LineIntake } from "../stream/line_intake.ts";
import { noticeFrame } from "./chat_lines.ts";
import { type LaterStarts, Outbox } from "./outbox.ts";
import { RateLimit } from "./rate_limit.ts";
import { Session, type SessionContext } from "../session/session.ts";
import { decodeUtf8 } from "../text/utf8.ts";
import { Deadlines } from "./deadlines.ts";
import { headEnded, httpAnswer, httpRequestMethod, requestHostName } from "./http_probe.ts";
import type { RoomKey } from "./room_key.ts";
import { WRONG_KEY_DELAY_MS } from "../settings/defaults.ts";

/** Options of a chat session beyond the shared {@linkcode SessionContext}; one object per server. */
export interface ChatSessionOptions {
  /** The room every session of the server joins. */
  room: ChatRoom;
  /** Longest line in bytes (`--max-line`). */
  maxLineBytes: number;
  /** Unwritten bytes past which the client is dropped as too slow (`--max-backlog`). */
  maxBacklogBytes: number;
  /** Lines a second a client may send after its burst; 0 = no limit (`--rate`). */
  rateLinesPerSecond: number;
  /** Only "\n" ends a line: no idle flush (`--strict-lines`). */
  strictLines: boolean;
  /** Starts the writes of notices a moment later, together (one per server). */
  laterStarts: LaterStarts;
  /** Longest wait for the first line before the welcome; 0 = welcome at once, no HTTP check. */
  welcomeWaitMs: number;
  /** The others hear of a newcomer after this long, or at its first line; 0 = at once. */
  joinAnnounceMs: number;
  /**
   * The web page (`--web`): its port and whether it is HTTPS; an HTTP client
   * on the chat port is sent there. Null without.
   */
  webPage: { port: number; secure: boolean } | null;
  /** The sessions' waits, one timer for all: see {@linkcode ChatSession.newWaits}. */
  waits: ChatWaits;
  /** The room's key (`--key-file`): a client's first line must be it. Null: no key. */
  roomKey: RoomKey | null;
  /** With a key: how long a client may take to give it, from its accept. */
  keyDeadlineMs: number;
}

/** The waits of a server's chat sessions; one per server, closed when it stops. */
export interface ChatWaits {
  /** Sessions waiting for their first line, due at `welcomeWaitMs` after their accept. */
  readonly welcome: Deadlines<ChatSession>;
  /** Members not announced yet, due at `joinAnnounceMs` after their accept. */
  readonly announce: Deadlines<ChatSession>;
  /** With a room key: sessions that have not given it, due at `keyDeadlineMs` after their accept. */
  readonly key: Deadlines<ChatSession>;
  /** Sessions that gave a wrong key, closed {@linkcode WRONG_KEY_DELAY_MS} after it. */
  readonly refused: Deadlines<ChatSession>;
  /** Stops the timers. */
  close(): void;
}

/** The welcome's deadlines are rounded up to this share of its wait (20 ms of 200). */
const WELCOME_STEP_SHARE = 0.1;
/**
 * Announcements' deadlines are rounded up to this share of their delay (250
 * ms of 1 s): the joins of connections accepted within it are one notice
 * round, one write per member, not one each. 1,000 clients joining 8 at a
 * time behind a 200 ms welcome wait (about 40 a second): 1.35 s of server
 * CPU for the joins instead of 1.62, most of it the kernel's, one send per
 * member per round.
 */
const ANNOUNCE_STEP_SHARE = 0.25;
/** The key's deadlines are rounded up to this share of it (1.5 s of 30). */
const KEY_STEP_SHARE = 0.05;
/** Closes after wrong keys are rounded up to this (they come a second after the key). */
const REFUSED_STEP_MS = 50;

/** Where a connection is on its way into the room. */
type Entry =
  | "waiting" // its first bytes are held: is it an HTTP client?
  | "joining" // it is a chat client; the room has not taken it in yet (the bus claims a name)
  | "in" // in the room
  | "http" // an HTTP client: its request head is read, then it gets an answer, never the room
  | "key" // asked for the room's key: its first line is the key
  | "refused"; // a wrong key, or none in time: closing, never the room

/** Most bytes held while waiting for the first line, or for an HTTP request's head. */
const FIRST_BYTES_MAX = 8192;
/** How long an HTTP client may take to finish sending its request head. */
const HTTP_HEAD_MS = 1000;

/** How long a client that left may take to read its last lines before we close anyway. */
const LAST_LINES_MS = 1000;

/**
 * One chat client: frames its lines for the room and writes what the room
 * delivers to it.
 */
export class ChatSession extends Session implements ChatMember, LineHandler {
  readonly #room: ChatRoom;
  readonly #options: ChatSessionOptions;
  readonly #intake: LineIntake;
  readonly #outbox: Outbox;
  /** Null without `--rate`. */
  readonly #rate: RateLimit | null;
  /** The client's IP address (for `/ban`). */
  readonly host: string;
  /** Lines of the read being framed, handed to the room together once it is framed. */
  #lines: string[] = [];
  #entry: Entry = "waiting";
  /** The first bytes, held while `waiting` or `http`; null once handed on. */
  #firstBytes: Uint8Array | null = null;
  /** While `joining`: settles once the member is in and its held bytes are framed. */
  #entering: Promise<void> | undefined;
  /** Ends the wait for an HTTP request's head (the wait for the first line is in `waits`). */
  #waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the connection was accepted (performance.now()), for `joinAnnounceMs`. */
  readonly #acceptedAt = performance.now();
  /** With a room key: whether the client gave it. */
  #keyGiven = false;
  /** After a wrong key: when the connection is to close (for `waits.refused`). */
  #refusedUntil = 0;

  /**
   * Prepares a session; `run()` joins the room and starts it.
   *
   * @param ctx The server's shared context.
   * @param conn The accepted connection.
   * @param options The room and the limits.
   */
  constructor(ctx: SessionContext, conn: Conn, options: ChatSessionOptions) {
    super(ctx, conn);
    this.host = conn.remoteAddr.hostname;
    // Small lines to many clients: without this, Nagle's algorithm holds a line back until the
    // previous one is acknowledged, and delayed ACKs make that up to 40 ms (measured: p99 48 ms).
    conn.setNoDelay?.(true);
    this.#room = options.room;
    this.#options = options;
    this.#intake = new LineIntake(this, options);
    this.#outbox = new Outbox(conn, {
      maxBytes: options.maxBacklogBytes,
      onOverflow: () => this.#tooSlow(),
      onWritten: (bytes) => this.wrote(bytes),
      laterStarts: options.laterStarts,
    });
    this.#rate = options.rateLinesPerSecond > 0 ? new RateLimit(options.rateLinesPerSecond) : null;
  }

  /**
   * Serves the connection to its end (see `Session.run()`); it joins the room
   * at its first line, or after `welcomeWaitMs` (with `--redis`, once its name
   * is claimed across servers).
   */
  override run(): Promise<void> {
    const { roomKey, keyDeadlineMs, waits } = this.#options;
    if (roomKey !== null) waits.key.add(this, this.#acceptedAt + keyDeadlineMs);
    const waitMs = this.#options.welcomeWaitMs;
    if (waitMs > 0) this.#options.waits.welcome.add(this, this.#acceptedAt + waitMs);
    else this.#enter();
    return super.run();
  }

  /**
   * The waits for a server's sessions, one timer each.
   *
   * @param welcomeWaitMs As in {@linkcode ChatSessionOptions}.
   * @param joinAnnounceMs As in {@linkcode ChatSessionOptions}.
   * @param keyDeadlineMs As in {@linkcode ChatSessionOptions} (unused without a key).
   * @returns Waits for `ChatSessionOptions.waits`; close them when the server stops.
   */
  static newWaits(welcomeWaitMs: number, joinAnnounceMs: number, keyDeadlineMs = 0): ChatWaits {
    const welcome = new Deadlines<ChatSession>(
      Math.ceil(welcomeWaitMs * WELCOME_STEP_SHARE),
      (session) => session.#enter(),
    );
    const announce = new Deadlines<ChatSession>(
      Math.ceil(joinAnnounceMs * ANNOUNCE_STEP_SHARE),
      (session) => session.#room.announce(session),
    );
    const key = new Deadlines<ChatSession>(
      Math.ceil(keyDeadlineMs * KEY_STEP_SHARE),
      (session) => session.#noKeyInTime(),
    );
    const refused = new Deadlines<ChatSession>(
      REFUSED_STEP_MS,
      (session) => void session.finishWith(null),
    );
    return {
      welcome,
      announce,
      key,
      refused,
      close() {
        welcome.close();
        announce.close();
        key.close();
        refused.close();
      },
    };
  }

  /** The wait for the first line is over. */
  #stopWelcomeWait(): void {
    const { waits, welcomeWaitMs } = this.#options;
    if (welcomeWaitMs > 0) waits.welcome.delete(this, this.#acceptedAt + welcomeWaitMs);
  }

  /**
   * Joins the room (the wait for the first line is over, and it is not
   * HTTP); in a room with a key, asks for the key first.
   */
  #enter(): void {
    this.#stopWelcomeWait();
    if (this.#entry !== "waiting") return;
    if (this.#options.roomKey !== null && !this.#keyGiven) return this.#askKey();
    this.#entry = "joining";
    const { joinAnnounceMs } = this.#options;
    const announceIn = joinAnnounceMs - (performance.now() - this.#acceptedAt);
    const joining = this.#room.join(this, { announceLater: announceIn > 0 });
    // Without a bus the member is in at once: no promise kept per connection for it.
    const entering = joining === undefined ? this.#entered() : joining.then(() => this.#entered());
    if (entering === undefined) return;
    this.#entering = entering.then(() => {
      this.#entering = undefined;
    });
  }

  /** Asks for the room's key, where the welcome would come; held bytes start the key line. */
  #askKey(): void {
    this.#entry = "key";
    this.#outbox.push(noticeFrame(this.#room.texts.chatKeyNeeded));
    const held = this.#firstBytes;
    this.#firstBytes = null;
    if (held !== null) void this.#takeKey(held);
  }

  /**
   * Bytes from a client asked for the key: once its first line is whole, it
   * is checked; a right key, and the client joins (what followed the key
   * comes to the room as its first lines).
   */
  #takeKey(chunk: Uint8Array): Promise<void> | undefined {
    const held = this.#firstBytes;
    const bytes = held === null ? chunk.slice() : concat(held, chunk);
    const end = bytes.indexOf(LF);
    if (end < 0) {
      if (bytes.length >= FIRST_BYTES_MAX) return this.#refuseKey("wrong"); // no key is that long
      this.#firstBytes = bytes;
      return undefined;
    }
    this.#firstBytes = null;
    const { roomKey, keyDeadlineMs, waits } = this.#options;
    if (!roomKey!.matches(decodeUtf8(bytes.subarray(0, end)))) return this.#refuseKey("wrong");
    this.#keyGiven = true;
    waits.key.delete(this, this.#acceptedAt + keyDeadlineMs);
    this.#entry = "waiting";
    const rest = bytes.subarray(end + 1);
    this.#firstBytes = rest.length > 0 ? rest : null;
    this.#enter();
    return this.#entering;
  }

  /** The key's deadline passed: unless the client gave it (or is gone), it is refused. */
  #noKeyInTime(): void {
    if (this.ending || this.#keyGiven) return;
    if (this.#entry === "waiting" || this.#entry === "key") this.#refuseKey("late");
  }

  /**
   * Turns away a client for a wrong key, or none in time: one line, one log
   * line in the limits' form (`refused ADDRESS:PORT: wrong key`), and a close:
   * a second later after a wrong key (`waits.refused`), so that guesses are slow.
   */
  #refuseKey(why: "wrong" | "late"): undefined {
    const { room, keyDeadlineMs, waits } = this.#options;
    waits.key.delete(this, this.#acceptedAt + keyDeadlineMs);
    this.#stopWelcomeWait();
    this.#entry = "refused";
    this.#firstBytes = null;
    this.ending = true; // the read loop now reads and drops what still comes
    const texts = room.texts;
    const seconds = keyDeadlineMs / 1000;
    const reason = why === "wrong"
      ? texts.chatWrongRoomKeyReason
      : texts.chatNoRoomKeyReason(seconds);
    this.ctx.stats.rejected++;
    this.ctx.log.info(this.ctx.texts.refusedLog(this.peer, reason));
    this.#outbox.push(
      noticeFrame(why === "wrong" ? texts.chatWrongRoomKey : texts.chatNoRoomKey(seconds)),
    );
    if (why === "late") {
      void waitAtMost(this.#outbox.drained(), LAST_LINES_MS).then(() => this.finishWith(null));
      return;
    }
    this.#refusedUntil = performance.now() + WRONG_KEY_DELAY_MS;
    waits.refused.add(this, this.#refusedUntil);
  }

  /**
   * In the room: the others hear of it in time, and the held bytes are framed.
   *
   * @returns What reads must wait for: the framing of the held lines, when the rate holds them.
   */
  #entered(): Promise<void> | undefined {
    this.#entry = "in";
    const announceIn = this.#options.joinAnnounceMs - (performance.now() - this.#acceptedAt);
    if (announceIn > 0 && !this.ending) {
      this.#options.waits.announce.add(this, this.#acceptedAt + this.#options.joinAnnounceMs);
    } else this.#room.announce(this);
    const held = this.#firstBytes;
    this.#firstBytes = null;
    return held === null || this.ending ? undefined : this.#frame(held);
  }

  /**
   * Queues lines for this client (the room calls it). Never waits.
   *
   * @param frame Whole lines, maybe shared with other members.
   * @param notice A notice, which may wait a moment to go out with others.
   */
  deliver(frame: Uint8Array, notice?: boolean): void {
    this.#outbox.push(frame, notice);
  }

  /** Nothing to do: a TCP client keeps no list of who is here (it asks with /who). */
  membersChanged(): void {}

  /**
   * Every write of a chat session goes through the outbox, the goodbye lines
   * of `Session` too, so nothing can overtake the queued lines.
   *
   * @param bytes What to send.
   * @returns Settles once everything queued so far is written.
   */
  override write(bytes: Uint8Array): Promise<void> {
    this.#outbox.push(bytes);
    return this.#outbox.drained();
  }

  /** Closes the connection once what was delivered is written (after /quit). */
  hangUp(): void {
    this.#close(null);
  }

  /** Frames the bytes of one read; waits when the client is over its rate. */
  protected override received(chunk: Uint8Array): Promise<void> | undefined {
    // Joining (with --redis, the bus claims a name), or framing the held lines: this read waits.
    if (this.#entering !== undefined) return this.#entering.then(() => this.received(chunk));
    if (this.#entry === "waiting" || this.#entry === "http") return this.#hold(chunk);
    if (this.#entry === "key") return this.#takeKey(chunk);
    return this.#frame(chunk);
  }

  /** Frames the bytes of a read for the room; waits when the client is over its rate. */
  #frame(chunk: Uint8Array): Promise<void> | undefined {
    const used = this.#push(chunk);
    if (used < 0) return undefined;
    if (used < chunk.length) {
      this.#held();
      return this.#framePaced(chunk.subarray(used));
    }
    return undefined;
  }

  /**
   * Keeps the first bytes until the first line is whole: an HTTP request line
   * makes it an HTTP client; anything else, a member of the room.
   */
  #hold(chunk: Uint8Array): Promise<void> | undefined {
    const held = this.#firstBytes;
    const bytes = held === null ? chunk.slice() : concat(held, chunk);
    this.#firstBytes = bytes;
    if (this.#entry === "http") {
      if (bytes.length >= FIRST_BYTES_MAX || headEnded(decodeUtf8(bytes))) this.#answerHttp();
      return undefined;
    }
    if (isTlsHello(bytes)) return this.#refuseTls();
    const end = bytes.indexOf(LF);
    if (end < 0 && bytes.length < FIRST_BYTES_MAX) return undefined; // wait for more, or the timer
    const first = decodeUtf8(bytes.subarray(0, end < 0 ? bytes.length : end));
    if (end >= 0 && httpRequestMethod(first) !== null) return this.#startHttp(bytes);
    this.#enter();
    return this.#entering;
  }

  /** An HTTP request line came: its head is read (a moment at most), then answered. */
  #startHttp(bytes: Uint8Array): undefined {
    this.#stopWelcomeWait();
    this.#entry = "http";
    if (headEnded(decodeUtf8(bytes))) {
      this.#answerHttp();
      return;
    }
    this.#waitTimer = setTimeout(() => this.#answerHttp(), HTTP_HEAD_MS);
  }

  /**
   * A TLS client (a browser on https://, `openssl s_client`): its handshake
   * would reach the room as a line of garbage; it is closed with a log line.
   */
  #refuseTls(): undefined {
    this.#stopWelcomeWait();
    this.#entry = "http"; // never the room
    this.#firstBytes = null;
    this.ctx.log.info(this.#room.texts.chatTlsHelloLog, this.peer);
    void this.finishWith(null);
  }

  /** Answers an HTTP client, which never enters the room, and closes. */
  #answerHttp(): void {
    clearTimeout(this.#waitTimer);
    if (this.ending) return;
    const head = decodeUtf8(this.#firstBytes ?? new Uint8Array());
    this.#firstBytes = null;
    const method = httpRequestMethod(head.slice(0, head.indexOf("\n"))) ?? "GET";
    const { webPage, room } = this.#options;
    const host = requestHostName(head) ?? hostForUrl(this.conn.localAddr.hostname);
    const pageUrl = webPage === null
      ? null
      : `${webPage.secure ? "https" : "http"}://${host}:${webPage.port}/`;
    this.ctx.log.info(room.texts.chatHttpRequestLog(method), this.peer);
    void this.finishWith(httpAnswer(method, room.texts.chatHttpAnswer(pageUrl) + "\n", pageUrl));
  }

  /** The rate paused the framing: the client is told, if its lines only just started to wait. */
  #held(): void {
    if (this.#rate?.startsHolding() !== true) return;
    const { room, rateLinesPerSecond } = this.#options;
    this.#outbox.push(noticeFrame(room.texts.chatSlowDown(rateLinesPerSecond)));
  }

  /** The rest of a read, line by line as the rate allows. The read loop waits for it. */
  #framePaced(rest: Uint8Array): Promise<void> {
    return this.#intake.resume(rest, {
      wait: () => pause(this.#rate?.waitMs() ?? 0),
      push: (part) => this.#push(part),
    });
  }

  /** Frames (the rest of) a read and hands its lines to the room. */
  #push(chunk: Uint8Array): number {
    const used = this.#intake.push(chunk);
    this.#toRoom();
    return used;
  }

  /** At end of stream the rest is the last line; then the client leaves. */
  protected override async ended(): Promise<void> {
    if (this.#entry === "http") {
      this.#answerHttp();
      await waitAtMost(this.#outbox.drained(), LAST_LINES_MS);
      return;
    }
    // A room with a key, and none given: it never enters the room.
    if (this.#options.roomKey !== null && !this.#keyGiven) return;
    // Nothing sent: it never enters the room. Text without a "\n": it does, to say it.
    if (this.#entry === "waiting" && this.#firstBytes !== null) this.#enter();
    if (this.#entry === "waiting") return;
    if (this.#entering !== undefined) await this.#entering;
    this.#intake.finish();
    this.#toRoom();
    this.#room.leave(this, null);
    await waitAtMost(this.#outbox.drained(), LAST_LINES_MS);
  }

  /** The shutdown line, or `text` as a notice. */
  protected override goodbye(text?: string): Uint8Array {
    return noticeFrame(text ?? this.#room.texts.chatShuttingDown);
  }

  /** An idle client leaves the room before it is told and closed. */
  protected override idledOut(): void {
    this.#room.leave(this, "idle");
    super.idledOut(); // the notice goes through the outbox, after what is queued
  }

  /** Leaves the room (announced as lost, unless it left already) and frees the queue. */
  protected override cleanUp(): void {
    clearTimeout(this.#waitTimer);
    this.#stopWelcomeWait();
    const { waits, joinAnnounceMs, keyDeadlineMs } = this.#options;
    waits.announce.delete(this, this.#acceptedAt + joinAnnounceMs);
    waits.key.delete(this, this.#acceptedAt + keyDeadlineMs);
    waits.refused.delete(this, this.#refusedUntil);
    this.#intake.stop();
    this.#room.leave(this, "connection lost");
    this.#outbox.close();
  }

  /**
   * One line from the client, for the room (its {@linkcode LineIntake} calls it).
   *
   * @param source Holds the line's bytes.
   * @param start First byte.
   * @param end After the last byte.
   * @returns False to pause framing, when the client is over its rate.
   */
  line(source: Uint8Array, start: number, end: number): boolean {
    const { stats, messageLog } = this.ctx;
    stats.messages++;
    const line = decodeUtf8(source.subarray(start, end));
    // A /msg is logged by the room, without its text; a /op not at all (its key).
    if (messageLog.enabled && !isUnloggedLine(line)) {
      messageLog.received(this.peer, source, start, end);
    }
    this.#lines.push(line);
    // Operators are not held back: they must be able to act during a flood.
    return this.#rate === null || this.ending || this.#room.isOperator(this) || this.#rate.take();
  }

  /** The idle flush made a line of unterminated text: to the room. */
  flushed(): void {
    this.#toRoom();
  }

  /**
   * A line over `--max-line`: the lines before it go to the room, then the
   * client leaves with the error line.
   *
   * @param maxLineBytes The limit.
   */
  tooLong(maxLineBytes: number): void {
    this.#toRoom();
    const { log, texts } = this.ctx;
    log.error(texts.lineTooLongLog(maxLineBytes), this.peer);
    this.#close("line too long", texts.lineTooLong(maxLineBytes));
  }

  /**
   * Whether lines are still wanted (not once the session is ending).
   *
   * @returns True while the client is in the room.
   */
  active(): boolean {
    return !this.ending;
  }

  /** Hands the lines framed so far to the room, as one batch. */
  #toRoom(): void {
    if (this.#lines.length === 0) return;
    const lines = this.#lines;
    this.#lines = [];
    this.#room.receiveLines(this, lines);
  }

  /**
   * Leaves the room (unless `reason` is null: it left already) and closes once
   * the queued lines, and `notice`, are written or a deadline passes.
   */
  #close(reason: LeaveReason, notice?: string): void {
    if (this.ending) return;
    this.ending = true; // the read loop now discards until the client closes
    if (reason !== null) this.#room.leave(this, reason);
    if (notice !== undefined) this.#outbox.push(noticeFrame(notice));
    void waitAtMost(this.#outbox.drained(), LAST_LINES_MS).then(() => this.finishWith(null));
  }

  /** The backlog passed `--max-backlog`: out of the room at once, nothing more is written. */
  #tooSlow(): void {
    if (this.ending) return;
    this.ending = true;
    this.ctx.log.info(this.#room.texts.chatTooSlowLog(this.#options.maxBacklogBytes), this.peer);
    this.#room.leave(this, "too slow");
    // NOTE: a close, not a goodbye: the client is not reading, and its queue is freed now.
    closeQuietly(this.conn);
  }
}

const LF = 0x0a; // ends the first line
/** A TLS record of type handshake (22), version 3.x: how every TLS connection starts. */
const TLS_HANDSHAKE = 0x16;
const TLS_MAJOR_VERSION = 0x03;

/** Whether the first bytes are the start of a TLS handshake (a ClientHello). */
function isTlsHello(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === TLS_HANDSHAKE && bytes[1] === TLS_MAJOR_VERSION;
}

/** A copy of `a` followed by `b`. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** An address as a URL's host: IPv6 in brackets. */
function hostForUrl(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
