/**
 * What every connection handler shares: the connection and its address, the
 * log and counters, serialised writes, the idle timeout, and a stop that
 * closes cleanly when the server shuts down.
 *
 * @module
 */

import { closeQuietly, writeAll } from "./connection_io.ts";
import type { Logger } from "./logger.ts";
import { describeError, isPeerGone } from "./net_errors.ts";
import type { MessageLog } from "./message_log.ts";
import type { Messages } from "./messages.ts";
import type { ServerStats } from "./server_stats.ts";

/** What the server core hands to each connection handler. */
export interface SessionContext {
  /** The accepted connection. */
  conn: Deno.TcpConn;
  /** The client's address as `host:port`, for the log. */
  peer: string;
  /** The server's log. */
  log: Logger;
  /** The server's counters. */
  stats: ServerStats;
  /** Texts in the server's language. */
  texts: Messages;
  /** Where received messages are logged, within a per-second budget. */
  messageLog: MessageLog;
  /** Close a client silent this long, in milliseconds; 0 = never. */
  idleTimeoutMs: number;
}

/** How long a goodbye line may take to go out at shutdown before we close anyway. */
const GOODBYE_TIMEOUT_MS = 500;
/** How long a client may keep sending after our last line before we close anyway. */
const LINGER_MS = 1000;

/**
 * Base of the reply and echo handlers. Subclasses implement `serve()`: read
 * until end of stream, and return; errors thrown there are logged here.
 */
export abstract class Session {
  /** The context this session runs in. */
  protected readonly ctx: SessionContext;
  /** Milliseconds (performance.now()) of the last read that returned data. */
  protected lastReadAt: number = performance.now();
  /** Set once the session is ending on purpose; read errors after that are expected. */
  protected ending = false;
  /** The last write queued; the next one waits for it while writes are in flight. */
  #writing: Promise<void> = Promise.resolve();
  /** Writes queued or in progress; the queue is skipped when this is 0. */
  #writesInFlight = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #hardCloseTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Prepares a session; `run()` starts it.
   *
   * @param ctx See {@linkcode SessionContext}.
   */
  constructor(ctx: SessionContext) {
    this.ctx = ctx;
  }

  /**
   * Serves the connection to its end, logs how it ended and closes it. Never
   * rejects.
   */
  async run(): Promise<void> {
    this.#armIdleTimer(this.ctx.idleTimeoutMs);
    try {
      await this.serve();
    } catch (error) {
      this.#report(error);
    } finally {
      clearTimeout(this.#idleTimer);
      clearTimeout(this.#hardCloseTimer);
      this.ending = true;
      if (this.#writesInFlight > 0) await this.#writing.catch(() => {});
      this.cleanUp();
      closeQuietly(this.ctx.conn);
    }
  }

  /** Logs how a connection failed, unless it was ending on purpose. */
  #report(error: unknown): void {
    if (this.ending) return;
    const { log, texts, peer } = this.ctx;
    // A client vanishing is routine, not a server error: keep -q output for real problems.
    if (isPeerGone(error)) log.info(texts.clientReset, peer);
    else log.error(texts.clientError(describeError(error)), peer);
  }

  /**
   * Ends the session because the server stops: subclasses may send a goodbye
   * line first; then the connection is closed, which ends `serve()`.
   */
  async stop(): Promise<void> {
    if (this.ending) {
      closeQuietly(this.ctx.conn);
      return;
    }
    const goodbye = this.goodbye();
    this.ending = true;
    if (goodbye !== null) {
      const deadline = setTimeout(() => closeQuietly(this.ctx.conn), GOODBYE_TIMEOUT_MS);
      try {
        await this.write(goodbye);
      } catch {
        // the client is gone or not reading: closing is all that is left
      } finally {
        clearTimeout(deadline);
      }
    }
    closeQuietly(this.ctx.conn);
  }

  /** Reads and answers until end of stream. */
  protected abstract serve(): Promise<void>;

  /** A line for the client when the server stops or it idles out, or null for none. */
  protected abstract goodbye(text?: string): Uint8Array | null;

  /** Releases timers of the subclass; called once at the end. */
  protected cleanUp(): void {}

  /**
   * Writes bytes after every earlier write, and counts them.
   *
   * @param bytes What to send; must not change until the write is done.
   */
  protected write(bytes: Uint8Array): Promise<void> {
    // Almost always nothing is being written: skip the queue then (and its garbage).
    const done = this.#writesInFlight++ === 0
      ? this.#send(bytes)
      : this.#writing.then(() => this.#send(bytes), () => this.#send(bytes));
    this.#writing = done;
    return done;
  }

  async #send(bytes: Uint8Array): Promise<void> {
    const { conn, stats, log, peer } = this.ctx;
    try {
      // One write nearly always takes everything; writeAll() only for the rest.
      const written = await conn.write(bytes);
      if (written < bytes.length) await writeAll(conn, bytes.subarray(written));
      stats.bytesOut += bytes.length;
      if (log.tracing) log.trace(this.ctx.texts.trace("write", bytes.length), peer);
    } finally {
      this.#writesInFlight--;
    }
  }

  /**
   * Sends a last line and ends the session without losing that line to a
   * reset: closing a socket that still has unread data makes the kernel send
   * RST, and the client may then drop our line unread. So we send FIN, let the
   * read loop discard what still comes (it checks `ending`) until the client
   * closes, and close for good after a deadline.
   *
   * @param line The line, or null to send nothing.
   */
  protected async finishWith(line: Uint8Array | null): Promise<void> {
    if (this.#hardCloseTimer !== undefined) return;
    this.ending = true;
    this.#hardCloseTimer = setTimeout(() => closeQuietly(this.ctx.conn), LINGER_MS);
    try {
      if (line !== null) await this.write(line);
      await this.ctx.conn.closeWrite();
    } catch {
      closeQuietly(this.ctx.conn);
    }
  }

  #armIdleTimer(delayMs: number): void {
    if (this.ctx.idleTimeoutMs <= 0) return;
    this.#idleTimer = setTimeout(() => {
      const silentFor = performance.now() - this.lastReadAt;
      if (silentFor < this.ctx.idleTimeoutMs) {
        this.#armIdleTimer(this.ctx.idleTimeoutMs - silentFor);
        return;
      }
      const seconds = this.ctx.idleTimeoutMs / 1000;
      this.ctx.log.info(this.ctx.texts.idleTimeoutLog(seconds), this.ctx.peer);
      void this.finishWith(this.goodbye(this.ctx.texts.idleTimeout(seconds)));
    }, Math.max(1, delayMs));
  }
}
