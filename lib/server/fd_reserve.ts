/**
 * Turning clients away when the process is out of file descriptors.
 *
 * Every connection holds a file descriptor, and the process may hold only so
 * many (`ulimit -n`, often 1024). At that limit `accept()` fails with "Too many
 * open files" and the waiting client stays in the kernel's queue: connected as
 * far as it can tell, but never answered, while every new `accept()` fails at
 * once. The classic way out (libuv, nginx, Netty do the same): hold one
 * descriptor in reserve; when `accept()` fails, close it, accept the waiting
 * client into the freed slot, send it the busy line, close it, and take the
 * reserve back.
 *
 * With only `--allow-net`, the reserve is a socket listening on port 0 that is
 * never accepted on, on loopback where the permission allows it.
 *
 * @module
 */

import { closeQuietly, type Conn, type ConnListener } from "../stream/connection_io.ts";
import { hostPort } from "../text/texts.ts";
import { isOutOfFileDescriptors } from "../stream/net_errors.ts";
import type { SessionContext } from "../session/session.ts";

/** What {@linkcode FdReserve} uses of the server: its log, texts and counters. */
export type FdReserveContext = Pick<SessionContext, "log" | "texts" | "stats">;

/** Options for {@linkcode FdReserve}. */
export interface FdReserveOptions {
  /**
   * After a shortage was logged and accepting worked again, how long a new
   * shortage stays silent (a server at its limit may go in and out of it with
   * every client that leaves and arrives: one line, not one per client).
   *
   * @default {60000}
   */
  reportEveryMs?: number;
  /**
   * Makes the busy line from its text (chat mode starts every server line with "*** ").
   *
   * @default {(text) => text}
   */
  asLine?: (text: string) => string;
}

const encoder = new TextEncoder();

/**
 * A spare file descriptor, spent to turn a client away with the busy line
 * when there is no other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FdReserve } from "./fd_reserve.ts";
 * import { Logger } from "../log/logger.ts";
 * import { TEXTS } from "../text/texts.ts";
 * import { ServerStats } from "../session/server_stats.ts";
 * const ctx = { log: new Logger({ quiet: true }), texts: TEXTS.en, stats: new ServerStats() };
 * const reserve = new FdReserve(ctx, "127.0.0.1");
 * assert(reserve.held);
 * reserve.close();
 * assert(!reserve.held);
 * ```
 */
export class FdReserve {
  readonly #ctx: FdReserveContext;
  /** Where a spare socket may listen (the permission allows it), best first; empty if nowhere. */
  readonly #hosts: string[];
  readonly #reportEveryMs: number;
  readonly #asLine: (text: string) => string;
  /** The reserve itself, or null when it could not be had (or is spent right now). */
  #spare: Deno.Listener | null = null;
  /** Whether accepting failed for lack of descriptors and has not worked since. */
  #short = false;
  /** Whether this shortage was logged (so its end is logged too). */
  #reported = false;
  /** When the last shortage line was logged (performance.now()). */
  #reportedAt = -Infinity;
  /** Clients turned away since the last line that said how many. */
  #turnedAway = 0;

  /**
   * Takes a descriptor in reserve, if the permissions allow it; a server
   * without one still logs a shortage once and pauses between retries.
   *
   * @param ctx The server's log, texts and counters.
   * @param hostname The address the server listens on: the reserve listens
   *   there (port 0) only when `--allow-net` permits no loopback address.
   * @param options See {@linkcode FdReserveOptions}.
   */
  constructor(ctx: FdReserveContext, hostname: string, options: FdReserveOptions = {}) {
    this.#ctx = ctx;
    this.#reportEveryMs = options.reportEveryMs ?? 60_000;
    this.#asLine = options.asLine ?? ((text) => text);
    // Any socket holds a descriptor; loopback keeps the never-accepted port off the network.
    const hosts = [...new Set(["127.0.0.1", "::1", hostname])].filter(mayListen);
    this.#hosts = hosts;
    // Where listening fails from the start it will not work later: do not retry per client.
    if (!this.#acquire()) hosts.length = 0;
  }

  /** Whether a descriptor is held in reserve. */
  get held(): boolean {
    return this.#spare !== null;
  }

  /**
   * Handles an `accept()` that failed for lack of file descriptors: spends the
   * reserve to accept the next client (Linux reports the failure as soon as
   * the last descriptor is taken, so none may be waiting yet) and, when the
   * reserve cannot be taken back with the client open, sends it the busy line
   * and closes it. The first time, logs one line that says what happened and
   * what to do.
   *
   * @param listener The server's listener.
   * @param clients How many clients are being served now (said in the log and the busy line).
   *   A function: once the reserve is spent, the accept can wait for the next client.
   * @returns The client, when descriptors turned out to be free again: serve
   *   it. Otherwise null; if `held` is then false, nothing could be done and
   *   the caller should pause before accepting again, or it would spin.
   */
  async recover(
    listener: ConnListener,
    clients: () => number,
  ): Promise<Conn | null> {
    if (this.#spare === null && !this.#acquire()) {
      this.#shortage(clients);
      return null;
    }
    this.#spare?.close();
    this.#spare = null;
    let conn: Conn;
    try {
      conn = await listener.accept();
    } catch (error) {
      // Still none free (the slot went elsewhere): leave the reserve spent, so the caller pauses.
      if (isOutOfFileDescriptors(error)) this.#shortage(clients);
      else this.#acquire(); // the listener was closed (shutdown), or the client left
      return null;
    }
    if (this.#acquire()) return conn; // clients left meanwhile: there is room after all
    this.#shortage(clients);
    this.#ctx.stats.rejected++;
    this.#turnedAway++;
    await turnAway(conn, this.#asLine(this.#ctx.texts.tooManyClients(clients())));
    this.#acquire();
    return null;
  }

  /**
   * Notes that a client was accepted: ends a shortage (logging so, if its
   * start was logged) and takes back a reserve that was lost.
   */
  accepted(): void {
    if (this.#spare === null && this.#hosts.length > 0) this.#acquire();
    if (!this.#short) return;
    this.#short = false;
    if (!this.#reported) return;
    this.#ctx.log.info(this.#ctx.texts.fileDescriptorsAvailable(this.#turnedAway));
    this.#turnedAway = 0;
  }

  /** Gives the reserve back to the system; call it when the server stops. */
  close(): void {
    this.#spare?.close();
    this.#spare = null;
  }

  /** Logs a shortage, once per shortage and at most once per `reportEveryMs`. */
  #shortage(clients: () => number): void {
    if (this.#short) return;
    this.#short = true;
    const now = performance.now();
    this.#reported = now - this.#reportedAt >= this.#reportEveryMs;
    if (!this.#reported) return;
    this.#reportedAt = now;
    const turningAway = this.#hosts.length > 0; // without a reserve, new clients wait
    this.#ctx.log.error(this.#ctx.texts.outOfFileDescriptors(clients(), turningAway));
  }

  /** Tries to take a descriptor in reserve; true if one is held now. */
  #acquire(): boolean {
    for (const hostname of this.#hosts) {
      if (this.#spare !== null) break;
      try {
        this.#spare = Deno.listen({ hostname, port: 0 });
      } catch {
        // out of descriptors still, or the address is gone: try the next, or go without
      }
    }
    return this.#spare !== null;
  }
}

/**
 * Whether `--allow-net` lets us listen on `hostname` at any port. Queried, not
 * tried: trying would make Deno prompt for the permission on a terminal.
 */
function mayListen(hostname: string): boolean {
  try {
    return Deno.permissions.querySync({ name: "net", host: hostPort(hostname, 0) }).state ===
      "granted";
  } catch {
    return false;
  }
}

/**
 * Sends the busy line and closes at once: the slot is the reserve's, needed
 * for the next client waiting. One write is enough, as a fresh connection's
 * send buffer is empty.
 *
 * NOTE: a client that has already sent data may see a reset instead of the
 * line (closing with unread data sends RST); draining first would hold the
 * slot while others wait.
 */
async function turnAway(conn: Conn, line: string): Promise<void> {
  try {
    await conn.write(encoder.encode(line + "\n"));
  } catch {
    // the client left already
  } finally {
    closeQuietly(conn);
  }
}
