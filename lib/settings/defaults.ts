/**
 * The default of every numeric option, each in one place: the option parsers
 * fill them in, `serve()` uses them when its caller leaves an option out, and
 * the help texts quote them. They live below every other folder, so that the
 * server need not import the command line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_PORT } from "./defaults.ts";
 * assert(DEFAULT_PORT === 50000); // the tutorial's port
 * ```
 *
 * @module
 */

/** Port the server listens on and the client connects to: the tutorial's. */
export const DEFAULT_PORT = 50000;

/** Most clients the server serves at once (`--max-conns`). */
export const DEFAULT_MAX_CONNECTIONS = 1000;

/**
 * Longest message in reply and chat mode, in bytes (`--max-line`): 64 KiB,
 * room for any line a person types or pastes, while a client that never
 * sends "\n" cannot grow a buffer without bound.
 */
export const DEFAULT_MAX_LINE_BYTES = 65536;

/** Chat mode: lines people sent that a client joining later is shown (`--history`). */
export const DEFAULT_HISTORY_SIZE = 20;

/**
 * Chat mode: bytes waiting to be sent to one client past which it is dropped
 * as too slow (`--max-backlog`): 1 MiB, seconds of a busy room, so a reader
 * that stalls briefly keeps up while one that stopped reading cannot hold the
 * room's memory.
 */
export const DEFAULT_MAX_BACKLOG_BYTES = 1048576;

/**
 * Chat mode: lines one client may send per second, with a burst of a few
 * seconds' worth (`--rate`); 0 = no limit. Faster than anyone types, slow
 * enough that one client cannot flood the others.
 */
export const DEFAULT_RATE_LINES_PER_SECOND = 20;

/**
 * Chat mode: how long a new connection's welcome waits for its first line, in
 * milliseconds. Long enough for a browser's or curl's request line to arrive
 * (then the connection gets an HTTP answer and never enters the room), short
 * enough that a person does not notice.
 */
export const DEFAULT_WELCOME_WAIT_MS = 200;

/**
 * Chat mode: how long a member stays before the others are told it joined, in
 * milliseconds, unless it sends a line first. Browsers' spare connections and
 * port scanners close sooner, and so leave no join and leave notices behind.
 */
export const DEFAULT_JOIN_ANNOUNCE_MS = 1000;

/**
 * Most connections at once from one IPv4 address or IPv6 /64, TCP and
 * browsers together (`--max-per-address`); 0 = no limit. A class of about 40
 * behind one school NAT shares one address: each pupil with a terminal client
 * and a browser tab, whose page may open its next WebSocket before the server
 * has seen the last one close, is 3 connections, 120 in all; 128 leaves room
 * for the teacher. Still an eighth of `--max-conns`' 1000, so one address
 * cannot fill the server alone. (ergo allows 16 per address, ngircd 5: they do
 * not expect a classroom behind one address.)
 */
export const DEFAULT_MAX_PER_ADDRESS = 128;

/**
 * New connections a minute from one IPv4 address or IPv6 /64
 * (`--max-joins-per-minute`), after a burst of as many; 0 = no limit. The
 * same class of 40 arriving at once, or coming back together after a server
 * restart, with a tab, a terminal client and a retry each, stays within the
 * burst; a client reconnecting in a loop, or a scan, is held to two a second.
 */
export const DEFAULT_MAX_JOINS_PER_MINUTE = 120;

/**
 * With `--tls-cert`: how long a client may take to finish its TLS handshake,
 * in milliseconds, before its connection is closed. A person's client
 * finishes in a few round trips; a silent connection must not hold a socket
 * for long (Deno's own TLS listener would hold it for over a minute).
 */
export const TLS_HANDSHAKE_MS = 10_000;

/**
 * Chat mode with `--key-file`: how long a new client may take to give the
 * room key, in milliseconds, before it is told so and closed. Enough to find
 * the key in a message and paste it; a silent connection holds no slot for
 * long.
 */
export const ROOM_KEY_DEADLINE_MS = 30_000;

/**
 * Chat mode with `--key-file`: how long after a wrong key the connection is
 * closed, in milliseconds: each guess then costs a second (and a
 * connection, which `--max-joins-per-minute` counts).
 */
export const WRONG_KEY_DELAY_MS = 1000;
