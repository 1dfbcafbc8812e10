/**
 * The server itself: accepts clients on a listener, hands each to a reply or
 * echo session, enforces the connection limit, and shuts down cleanly when
 * its signal aborts.
 *
 * `server.ts` only parses options and opens the listener; tests run
 * {@linkcode serve} in-process on port 0.
 *
 * @module
 */

import {
  closeAfterDraining,
  closeQuietly,
  type Conn,
  type ConnListener,
  writeAll,
} from "../stream/connection_io.ts";
import { Logger } from "../log/logger.ts";
import { MessageLog } from "../log/message_log.ts";
import type { Lang } from "../settings/lang.ts";
import { hostPort, NOTICE_PREFIX, TEXTS } from "../text/texts.ts";
import { CHAT_TEXTS } from "../chat/chat_texts.ts";
import { ReplySession } from "../session/reply_session.ts";
import { ReplyTemplate } from "../session/reply_template.ts";
import { EchoSession } from "../session/echo_session.ts";
import { ChatRoom } from "../chat/chat_room.ts";
import { ChatSession, type ChatSessionOptions } from "../chat/chat_session.ts";
import { LaterStarts } from "../chat/outbox.ts";
import { WebMember, type WebMemberOptions } from "../web/web_member.ts";
import type { WebServer } from "../web/web_server.ts";
import type { RoomBus } from "../chat/room_bus.ts";
import { waitAtMost } from "../stream/deadline.ts";
import { FdReserve } from "./fd_reserve.ts";
import { AddressLimits, type AddressRefusal, refusalTexts } from "./address_limits.ts";
import type { AddressRange } from "../stream/address_range.ts";
import { ServerStats } from "../session/server_stats.ts";
import {
  DEFAULT_HISTORY_SIZE,
  DEFAULT_JOIN_ANNOUNCE_MS,
  DEFAULT_MAX_BACKLOG_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_JOINS_PER_MINUTE,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_PER_ADDRESS,
  DEFAULT_RATE_LINES_PER_SECOND,
  DEFAULT_WELCOME_WAIT_MS,
  ROOM_KEY_DEADLINE_MS,
} from "../settings/defaults.ts";
import { RoomKey } from "../chat/room_key.ts";
import { DEFAULT_MODE, type ServerMode } from "../settings/server_mode.ts";
import { describeError, isOutOfFileDescriptors, isPeerGone } from "../stream/net_errors.ts";
import type { Session, SessionContext } from "../session/session.ts";

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /**
   * Reply to each line, or echo every byte.
   *
   * @default {"reply"}
   */
  mode?: ServerMode;
  /**
   * Reply template; `{msg}` stands for the message. Defaults to the language's
   * text ("Server received: {msg}").
   */
  replyTemplate?: string;
  /**
   * Language of log lines and of lines sent to clients.
   *
   * @default {"en"}
   */
  lang?: Lang;
  /**
   * Most clients at once; the next one gets an error line and is closed.
   *
   * @default {1000}
   */
  maxConnections?: number;
  /**
   * Longest message in reply mode, in bytes.
   *
   * @default {65536}
   */
  maxLineBytes?: number;
  /**
   * Close a client silent this long, in milliseconds; 0 = never.
   *
   * @default {0}
   */
  idleTimeoutMs?: number;
  /**
   * Reply mode: only "\n" ends a message. Unterminated text waits for its
   * newline, or for the client to close its side, however long the pause
   * (for line protocols over slow links); by default a 50 ms pause ends it.
   *
   * @default {false}
   */
  strictLines?: boolean;
  /**
   * Chat mode: lines people sent kept for late joiners; 0 = none.
   *
   * @default {20}
   */
  historySize?: number;
  /**
   * Chat mode: bytes waiting to be sent to one client past which it is dropped as too slow.
   *
   * @default {1048576}
   */
  maxBacklogBytes?: number;
  /**
   * Chat mode: lines a second one client may send after a burst; 0 = no limit.
   *
   * @default {20}
   */
  rateLinesPerSecond?: number;
  /**
   * Chat mode: how long a new client's welcome waits for its first line, in
   * milliseconds; a client whose first line is an HTTP request line (a
   * browser, curl) gets an HTTP answer and never enters the room. 0 = the
   * welcome at once, and no such check.
   *
   * @default {200}
   */
  welcomeWaitMs?: number;
  /**
   * Chat mode: the others are told a TCP client joined once it sends a line
   * or has stayed this long, in milliseconds; one that leaves sooner leaves
   * no join or leave notice (browsers' spare connections, port scanners).
   * 0 = at once.
   *
   * @default {1000}
   */
  joinAnnounceMs?: number;
  /** Where log lines go; defaults to a stdout/stderr logger. */
  logger?: Logger;
  /**
   * Chat mode: the web port (`--web`), opened by the caller; its browsers
   * join the room, and it is closed when the server stops.
   */
  web?: WebServer;
  /**
   * Chat mode: the bus to the other servers of the room (`--redis`), opened
   * by the caller (who closes it after `serve()` returns).
   */
  bus?: RoomBus;
  /** Chat mode with a bus: the lines the room's history starts with (from the bus). */
  startHistory?: readonly (string | { line: string; id?: string })[];
  /** Chat mode: the key of `/op KEY`; none: nobody can become an operator. */
  operatorKey?: string;
  /**
   * Chat mode: the room's key (`--key-file`): a TCP client's first line, and
   * what a page offers, must be it. None: anyone may join.
   */
  roomKey?: string;
  /**
   * Chat mode with `roomKey`: how long a TCP client may take to give it, in
   * milliseconds. Settable for tests; the command line has no option for it.
   *
   * @default {30000}
   */
  keyDeadlineMs?: number;
  /**
   * Most connections at once from one IPv4 address or IPv6 /64, TCP and
   * browsers together; the next one gets a line and is closed. 0 = no limit.
   *
   * @default {128}
   */
  maxPerAddress?: number;
  /**
   * New connections a minute from one IPv4 address or IPv6 /64, after a burst
   * of as many; 0 = no limit.
   *
   * @default {120}
   */
  maxJoinsPerMinute?: number;
  /** Ranges exempt from both limits per address (`--trust`); loopback always is. */
  trust?: readonly AddressRange[];
  /** If any, only these ranges may connect (`--allow`). */
  allow?: readonly AddressRange[];
  /** These ranges may not connect, even if allowed (`--deny`). */
  deny?: readonly AddressRange[];
  /**
   * Loopback exempt from the limits per address. For tests only, which test
   * the limits from 127.0.0.1; the command line has no way to turn it off.
   *
   * @default {true}
   */
  exemptLoopback?: boolean;
}

/**
 * Every option of {@linkcode serve} with its default filled in. `serve()`
 * resolves them once, at its top; everything below it gets plain values, and
 * no lower module applies a default of its own.
 */
interface ServerSettings {
  mode: ServerMode;
  lang: Lang;
  maxConnections: number;
  maxLineBytes: number;
  idleTimeoutMs: number;
  strictLines: boolean;
  historySize: number;
  maxBacklogBytes: number;
  rateLinesPerSecond: number;
  welcomeWaitMs: number;
  joinAnnounceMs: number;
  /** Chat mode's web page (`--web`): its port and whether it is HTTPS; or null. */
  webPage: { port: number; secure: boolean } | null;
  /** Reply mode's template. */
  replyTemplate: string;
  /** The lines the chat room's history starts with. */
  startHistory: readonly (string | { line: string; id?: string })[];
  /** The key of `/op KEY`; null: nobody can become an operator. */
  operatorKey: string | null;
  /** The room's key; null: none. */
  roomKey: RoomKey | null;
  keyDeadlineMs: number;
}

/** How long shutdown waits for connections to close before cutting them. */
const SHUTDOWN_DEADLINE_MS = 1000;
/**
 * Pause after an accept error before trying again (an error such as too many
 * open files would come back at once, and the loop would spin).
 */
const ACCEPT_RETRY_MS = 100;

/**
 * Serves clients on `listener` until `signal` aborts, then stops accepting,
 * closes every connection (sending reply-mode clients a goodbye line) and
 * resolves with the counters. The listener is closed on return.
 *
 * @param listener A listening TCP socket, from `Deno.listen()`, or a TLS
 *   one (`listenTls()`); or several (`--tls-cert` with `--plain-port`), all
 *   into the same server and room.
 * @param signal Aborting it shuts the server down.
 * @param options See {@linkcode ServeOptions}.
 * @returns The counters, once every connection is closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serve } from "./server_core.ts";
 * import { Logger } from "../log/logger.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const stop = new AbortController();
 * const done = serve(listener, stop.signal, { logger: new Logger({ quiet: true }) });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * await conn.write(new TextEncoder().encode("good boy\n"));
 * const reply = new Uint8Array(64);
 * const n = await conn.read(reply);
 * assert(new TextDecoder().decode(reply.subarray(0, n ?? 0)) === "Server received: good boy\n");
 * conn.close();
 * stop.abort();
 * await done;
 * ```
 */
export async function serve(
  listener: ConnListener | readonly ConnListener[],
  signal: AbortSignal,
  options: ServeOptions = {},
): Promise<ServerStats> {
  const lang = options.lang ?? "en";
  const texts = TEXTS[lang];
  const log = options.logger ?? new Logger();
  // Each default applied here, once: the code below gets plain values.
  const settings: ServerSettings = {
    mode: options.mode ?? DEFAULT_MODE,
    lang,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    strictLines: options.strictLines ?? false,
    historySize: options.historySize ?? DEFAULT_HISTORY_SIZE,
    maxBacklogBytes: options.maxBacklogBytes ?? DEFAULT_MAX_BACKLOG_BYTES,
    rateLinesPerSecond: options.rateLinesPerSecond ?? DEFAULT_RATE_LINES_PER_SECOND,
    welcomeWaitMs: options.welcomeWaitMs ?? DEFAULT_WELCOME_WAIT_MS,
    joinAnnounceMs: options.joinAnnounceMs ?? DEFAULT_JOIN_ANNOUNCE_MS,
    webPage: options.web === undefined
      ? null
      : { port: options.web.port, secure: options.web.secure },
    replyTemplate: options.replyTemplate ?? texts.defaultReply,
    startHistory: options.startHistory ?? [],
    operatorKey: options.operatorKey ?? null,
    roomKey: options.roomKey === undefined ? null : new RoomKey(options.roomKey),
    keyDeadlineMs: options.keyDeadlineMs ?? ROOM_KEY_DEADLINE_MS,
  };
  const { maxConnections, idleTimeoutMs } = settings;
  const limits = new AddressLimits({
    maxPerAddress: options.maxPerAddress ?? DEFAULT_MAX_PER_ADDRESS,
    maxJoinsPerMinute: options.maxJoinsPerMinute ?? DEFAULT_MAX_JOINS_PER_MINUTE,
    trust: options.trust ?? [],
    allow: options.allow ?? [],
    deny: options.deny ?? [],
    exemptLoopback: options.exemptLoopback ?? true,
  });
  const stats = new ServerStats();
  const messageLog = new MessageLog(log, texts);
  const sessions = new Map<Session, Promise<void>>();
  // Browsers in the room (--web), set below: counted with the TCP clients, in the log too.
  let webMembers: Set<WebMember> | null = null;
  const clientCount = () => sessions.size + (webMembers?.size ?? 0);
  // One context for all sessions: an idle connection should cost as little as possible.
  const ctx: SessionContext = {
    log,
    stats,
    texts,
    messageLog,
    idleTimeoutMs,
    onEnd(session) {
      sessions.delete(session);
      if (!log.quiet) log.info(texts.clientDisconnected(clientCount()), session.peer);
    },
  };
  // The mode is chosen once: from here on, a new connection is one call.
  const { newSession, close, asLine, room } = sessionMaker(settings, ctx, options.bus);
  // Browsers in the room (--web): counted with the TCP clients against --max-conns.
  webMembers = options.web !== undefined && room !== undefined
    ? openWebDoor(options.web, room, settings, ctx, clientCount, asLine, limits)
    : null;
  const rejections = new Set<Promise<void>>();
  const listeners: readonly ConnListener[] = Array.isArray(listener) ? listener : [listener];
  // --allow/--deny before a TLS handshake: a shut-out address costs no TLS work.
  for (const each of listeners) each.screen?.((host) => limits.allows(host));
  // Spent to send the busy line when the process has no file descriptor left (ulimit -n).
  const fdReserve = new FdReserve(ctx, listeners[0]!.addr.hostname, { asLine });

  const onAbort = () => listeners.forEach(closeListener);
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) onAbort();

  /** Serves one new connection, or turns it away (its address, a ban, or `--max-conns`). */
  const admit = (conn: Conn): void => {
    fdReserve.accepted();
    const refusal = limits.check(conn.remoteAddr.hostname);
    if (refusal !== null) {
      const rejection = turnAwayAddress(conn, refusal, ctx, asLine);
      rejections.add(rejection);
      rejection.finally(() => rejections.delete(rejection));
      return;
    }
    const banned = room === undefined ? null : banLine(
      room,
      conn.remoteAddr.hostname,
      hostPort(conn.remoteAddr.hostname, conn.remoteAddr.port),
      ctx,
    );
    if (banned !== null) {
      stats.rejected++;
      const rejection = reject(conn, asLine(banned));
      rejections.add(rejection);
      rejection.finally(() => rejections.delete(rejection));
      return;
    }
    if (clientCount() >= maxConnections) {
      stats.rejected++;
      const addr = conn.remoteAddr;
      log.info(texts.tooManyClientsLog(maxConnections), hostPort(addr.hostname, addr.port));
      const rejection = reject(conn, asLine(texts.tooManyClients(maxConnections)));
      rejections.add(rejection);
      rejection.finally(() => rejections.delete(rejection));
      return;
    }
    stats.connections++;
    const session = newSession(conn);
    if (!log.quiet) log.info(texts.clientConnected(clientCount() + 1), session.peer);
    // run() cannot end before its first read resolves, so the entry exists by the time
    // onEnd() removes it.
    sessions.set(session, session.run().finally(limits.hold(conn.remoteAddr.hostname)));
  };

  /** Accepts on one listener until the server stops. */
  const acceptLoop = async (listener: ConnListener): Promise<void> => {
    while (!signal.aborted) {
      let conn: Conn | null;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (signal.aborted || error instanceof Deno.errors.BadResource) break;
        if (isPeerGone(error)) continue; // the client left before we accepted it
        if (isOutOfFileDescriptors(error)) {
          conn = await fdReserve.recover(listener, () => sessions.size);
          if (conn === null && !fdReserve.held) await pause(ACCEPT_RETRY_MS, signal);
          if (conn === null) continue;
        } else {
          log.error(texts.unexpected(describeError(error)));
          await pause(ACCEPT_RETRY_MS, signal);
          continue;
        }
      }
      admit(conn);
    }
  };
  await Promise.all(listeners.map(acceptLoop));

  signal.removeEventListener("abort", onAbort);
  listeners.forEach(closeListener);
  fdReserve.close();
  close(); // chat: everyone is told the server stops, so no one is announced as leaving
  await Promise.all([
    shutDown(sessions, rejections),
    webMembers === null ? undefined : closeWebDoor(options.web!, webMembers),
  ]);
  messageLog.close();
  return stats;
}

/** What the server core needs of its mode. */
interface SessionMaker {
  /** Makes the session of a new connection. */
  newSession: (conn: Conn) => Session;
  /** Ends what the mode's sessions share (chat: the room, and its timer), before they stop. */
  close: () => void;
  /** Turns a text the server sends on its own (the busy line) into the mode's line. */
  asLine: (text: string) => string;
  /** Chat mode's room. */
  room?: ChatRoom;
}

const asIs = (text: string): string => text;
const nothing = (): void => {};

/**
 * Makes the sessions of the server's mode. Chat mode also makes the room,
 * shared by all its sessions.
 */
function sessionMaker(
  settings: ServerSettings,
  ctx: SessionContext,
  bus: RoomBus | undefined,
): SessionMaker {
  const { log, messageLog } = ctx;
  const { maxLineBytes, strictLines } = settings;
  switch (settings.mode) {
    case "echo":
      return { newSession: (conn) => new EchoSession(ctx, conn), close: nothing, asLine: asIs };
    case "chat": {
      const room = new ChatRoom({
        texts: CHAT_TEXTS[settings.lang],
        log,
        messageLog,
        historySize: settings.historySize,
        ...(bus === undefined ? {} : { bus }),
        ...(settings.operatorKey === null ? {} : { operatorKey: settings.operatorKey }),
        keyed: settings.roomKey !== null,
      });
      room.restoreHistory(settings.startHistory);
      const laterStarts = new LaterStarts();
      const waits = ChatSession.newWaits(
        settings.welcomeWaitMs,
        settings.joinAnnounceMs,
        settings.keyDeadlineMs,
      );
      const chatOptions: ChatSessionOptions = {
        room,
        laterStarts,
        maxLineBytes,
        strictLines,
        maxBacklogBytes: settings.maxBacklogBytes,
        rateLinesPerSecond: settings.rateLinesPerSecond,
        welcomeWaitMs: settings.welcomeWaitMs,
        joinAnnounceMs: settings.joinAnnounceMs,
        webPage: settings.webPage,
        waits,
        roomKey: settings.roomKey,
        keyDeadlineMs: settings.keyDeadlineMs,
      };
      return {
        newSession: (conn) => new ChatSession(ctx, conn, chatOptions),
        close() {
          room.close();
          laterStarts.close();
          waits.close();
        },
        asLine: (text) => NOTICE_PREFIX + text, // every line the server writes in chat mode
        room,
      };
    }
    case "reply": {
      const template = new ReplyTemplate(settings.replyTemplate);
      const replyOptions = { template, maxLineBytes, strictLines };
      return {
        newSession: (conn) => new ReplySession(ctx, conn, replyOptions),
        close: nothing,
        asLine: asIs,
      };
    }
  }
}

/**
 * Lets the web port's browsers into the room.
 *
 * @param connected How many clients are connected, TCP and browsers (this set
 *   included): for `--max-conns` and the log.
 * @returns The browsers in the room (a live set).
 */
function openWebDoor(
  web: WebServer,
  room: ChatRoom,
  settings: ServerSettings,
  ctx: SessionContext,
  connected: () => number,
  asLine: (text: string) => string,
  limits: AddressLimits,
): Set<WebMember> {
  const { log, stats, texts } = ctx;
  const members = new Set<WebMember>();
  const { maxConnections } = settings;
  const memberOptions: WebMemberOptions = {
    room,
    ctx,
    maxLineBytes: settings.maxLineBytes,
    maxBacklogBytes: settings.maxBacklogBytes,
    rateLinesPerSecond: settings.rateLinesPerSecond,
    resumes: web.resumes,
    onEnd(member) {
      members.delete(member);
      if (!log.quiet) log.info(texts.clientDisconnected(connected()), member.peer);
    },
  };
  web.open({
    admits: () => connected() < maxConnections,
    turnAway(peer) {
      stats.rejected++;
      log.info(texts.tooManyClientsLog(maxConnections), `web ${peer}`);
      return asLine(texts.tooManyClients(maxConnections));
    },
    refuses(host, peer) {
      const line = banLine(room, host, `web ${peer}`, ctx);
      if (line !== null) stats.rejected++;
      return line === null ? null : asLine(line);
    },
    allows(host, peer) {
      if (limits.allows(host)) return true;
      logRefusal({ kind: "denied" }, peer, ctx);
      return false;
    },
    overLimit(host, peer) {
      const refusal = limits.overLimit(host);
      return refusal === null ? null : asLine(logRefusal(refusal, peer, ctx)!);
    },
    checkKey(offered, peer) {
      const key = settings.roomKey;
      if (key === null) return null;
      if (offered === null) return { line: asLine(room.texts.chatKeyNeeded), why: "needed" };
      if (key.matches(offered)) return null;
      stats.rejected++;
      log.info(texts.refusedLog(peer, room.texts.chatWrongRoomKeyReason));
      return { line: asLine(room.texts.chatWrongRoomKey), why: "wrong" };
    },
    enter(socket, peer, host, resume) {
      stats.connections++;
      const member = new WebMember(socket, peer, memberOptions, host, resume);
      members.add(member);
      void member.closed.then(limits.hold(host));
      if (!log.quiet) log.info(texts.clientConnected(connected()), member.peer);
    },
    refusedOrigin: (origin, peer) => log.info(texts.webForeignOrigin(origin), `web ${peer}`),
  });
  return members;
}

/**
 * A chat client from a banned address (`/ban`): logged with who the ban was
 * made for, and the one line it gets before it is closed; null if not banned.
 */
function banLine(room: ChatRoom, host: string, peer: string, ctx: SessionContext): string | null {
  const ban = room.banOf(host);
  if (ban === null) return null;
  const texts = room.texts;
  ctx.log.info(texts.chatBanRefusedLog(ban.address, ban.nick), peer);
  return texts.chatBannedRefused(Math.ceil((ban.until - Date.now()) / 60_000));
}

/** Tells every browser the server stops, waits (a second at most) for them to go, and closes the port. */
async function closeWebDoor(web: WebServer, members: Set<WebMember>): Promise<void> {
  for (const member of members) member.stop();
  await waitAtMost(Promise.all([...members].map((member) => member.closed)), SHUTDOWN_DEADLINE_MS);
  await web.close();
}

/** Tells every client goodbye and waits for the connections to close, with a deadline. */
async function shutDown(
  sessions: Map<Session, Promise<void>>,
  rejections: Set<Promise<void>>,
): Promise<void> {
  const all = Promise.all([...sessions.values(), ...rejections]);
  for (const session of sessions.keys()) void session.stop();
  await waitAtMost(all, SHUTDOWN_DEADLINE_MS);
  // NOTE: sessions still open here are stuck in a write to a client that does not read.
  for (const session of sessions.keys()) session.stop();
  await all;
}

/**
 * Turns away a client for its address (`--allow`, `--deny`, the limits per
 * address): a denied one is closed at once without a word, as ncat does (an
 * address the operator shut out learns nothing of the server, and costs no
 * write); one over a limit gets the mode's line first, as at `--max-conns`.
 */
function turnAwayAddress(
  conn: Conn,
  refusal: AddressRefusal,
  ctx: SessionContext,
  asLine: (text: string) => string,
): Promise<void> {
  const line = logRefusal(refusal, hostPort(conn.remoteAddr.hostname, conn.remoteAddr.port), ctx);
  if (line !== null) return reject(conn, asLine(line));
  closeQuietly(conn);
  return Promise.resolve();
}

/**
 * Counts and logs a refusal by address, in its greppable form
 * (`refused 203.0.113.7:51234: reason`).
 *
 * @returns The line the client is sent, or null for none.
 */
function logRefusal(refusal: AddressRefusal, peer: string, ctx: SessionContext): string | null {
  const { reason, line } = refusalTexts(refusal, ctx.texts);
  ctx.stats.rejected++;
  ctx.log.info(ctx.texts.refusedLog(peer, reason));
  return line;
}

/** Sends the "server busy" line to a client over the limit and closes it. */
async function reject(conn: Conn, line: string): Promise<void> {
  try {
    await writeAll(conn, new TextEncoder().encode(line + "\n"));
    await closeAfterDraining(conn, { timeoutMs: 500 });
  } catch {
    closeQuietly(conn);
  }
}

function closeListener(listener: ConnListener): void {
  try {
    listener.close();
  } catch {
    // already closed
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
