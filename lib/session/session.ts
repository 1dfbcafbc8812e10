/**
 * What every connection handler shares: the read loop, the client's address,
 * the log and counters, one ordered way to write, the idle timeout, and a stop
 * that closes cleanly when the server shuts down.
 *
 * A server may hold thousands of idle connections, so a session keeps little:
 * one suspended function (the read loop), no context object of its own (the
 * server's is shared), and no promises or timers while nothing happens.
 *
 * @module
 */

import { closeQuietly, type Conn, writeAll } from "../stream/connection_io.ts";
import { AdaptiveReadBuffer, type AdaptiveReadBufferOptions } from "../stream/read_buffer.ts";
import { hexDump } from "../text/hex_dump.ts";
import type { Logger } from "../log/logger.ts";
import { describeError, isPeerGone } from "../stream/net_errors.ts";
import type { MessageLog } from "../log/message_log.ts";
import { hostPort, type Texts } from "../text/texts.ts";
import { QuietTimer } from "../stream/quiet_timer.ts";
import type { ServerStats } from "./server_stats.ts";

/** What the server core shares with all its connection handlers (one object per server). */
export interface SessionContext {
  /** The server's log. */
  log: Logger;
  /** The server's counters. */
  stats: ServerStats;
  /** Texts in the server's language. */
  texts: Texts;
  /** Where received messages are logged, within a per-second budget. */
  messageLog: MessageLog;
  /** Close a client silent this long, in milliseconds; 0 = never. */
  idleTimeoutMs: number;
  /** Called once when a session has ended and its connection is closed. */
  onEnd(session: Session): void;
}

/** How long a goodbye line may take to go out at shutdown before we close anyway. */
const GOODBYE_TIMEOUT_MS = 500;
/** How long a client may keep sending after our last line before we close anyway. */
const LINGER_MS = 1000;
/**
 * Most bytes of one read or write that `--trace` shows in hex (256 lines): a
 * whole bulk read, up to 256 KiB, would be 16,384 lines and bury the rest.
 */
const TRACE_DUMP_BYTES = 4096;

/**
 * Base of the echo, reply and chat handlers. It runs the read loop and hands
 * each read to `received()`; when that returns a promise (the write of the
 * replies, say), the next read waits for it, so a client that does not read
 * its replies stops being read from (backpressure) and nothing piles up in
 * memory. Every write goes through `write()`, in the order asked for.
 */
export abstract class Session {
  /** The accepted connection. */
  readonly conn: Conn;
  /** The context this session runs in, shared with the server's other sessions. */
  protected readonly ctx: SessionContext;
  /**
   * Milliseconds (performance.now()) of the last read that a timer measuring
   * quiet time watches: every read when there is an idle timeout; subclasses
   * set it for the reads their own timers watch.
   */
  protected lastReadAt: number = performance.now();
  /** Set once the session is ending on purpose; read errors after that are expected. */
  protected ending = false;
  readonly #readBuffer: AdaptiveReadBuffer;
  #peer: string | undefined;
  /** The last write asked for, while any is waiting or in progress; undefined when idle. */
  #lastWrite: Promise<void> | undefined;
  /** Writes waiting or in progress. */
  #writesInFlight = 0;
  /** Closes a silent client; only with an idle timeout. */
  #idleTimer: QuietTimer | undefined;
  #hardCloseTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Prepares a session; `run()` starts it.
   *
   * @param ctx See {@linkcode SessionContext}.
   * @param conn The accepted connection.
   * @param readBuffer Sizes of the read buffer.
   */
  constructor(ctx: SessionContext, conn: Conn, readBuffer?: AdaptiveReadBufferOptions) {
    this.ctx = ctx;
    this.conn = conn;
    this.#readBuffer = new AdaptiveReadBuffer(readBuffer);
  }

  /** The client's address as `host:port`, for the log; built when first needed. */
  get peer(): string {
    if (this.#peer === undefined) {
      const { hostname, port } = this.conn.remoteAddr;
      this.#peer = hostPort(hostname, port);
    }
    return this.#peer;
  }

  /**
   * Serves the connection to its end, logs how it ended, closes it and tells
   * `ctx.onEnd()`. Never rejects.
   */
  async run(): Promise<void> {
    const { stats, log } = this.ctx;
    const buffer = this.#readBuffer;
    if (this.ctx.idleTimeoutMs > 0) this.#startIdleTimer();
    try {
      for (;;) {
        const n = await this.conn.read(buffer.bytes);
        if (n === null) break;
        stats.bytesIn += n;
        if (log.tracing) this.#trace("read", buffer.bytes.subarray(0, n));
        if (this.ending) continue; // after a last line: discard until the client closes
        // Reading the clock is an op call: only when the idle timeout needs it.
        if (this.ctx.idleTimeoutMs > 0) this.lastReadAt = performance.now();
        // The buffer is lent to received() until what it returns settles.
        const handled = this.received(buffer.bytes.subarray(0, n));
        if (handled !== undefined) await handled;
        buffer.update(n);
      }
      // End of stream: the client closed or half-closed.
      if (!this.ending) await this.ended();
    } catch (error) {
      this.#report(error);
    } finally {
      this.#idleTimer?.stop();
      clearTimeout(this.#hardCloseTimer);
      this.ending = true;
      if (this.#lastWrite !== undefined) await this.#lastWrite.catch(() => {});
      this.cleanUp();
      closeQuietly(this.conn);
      this.ctx.onEnd(this);
    }
  }

  /** Logs how a connection failed, unless it was ending on purpose. */
  #report(error: unknown): void {
    if (this.ending) return;
    const { log, texts } = this.ctx;
    // A client vanishing is routine, not a server error: keep -q output for real problems.
    if (isPeerGone(error)) log.info(texts.clientReset, this.peer);
    else log.error(texts.clientError(describeError(error)), this.peer);
  }

  /**
   * Ends the session because the server stops: subclasses may send a goodbye
   * line first; then the connection is closed, which ends `run()`.
   */
  async stop(): Promise<void> {
    if (this.ending) {
      closeQuietly(this.conn);
      return;
    }
    const goodbye = this.goodbye();
    this.ending = true;
    if (goodbye !== null) {
      const deadline = setTimeout(() => closeQuietly(this.conn), GOODBYE_TIMEOUT_MS);
      try {
        await this.write(goodbye);
      } catch {
        // the client is gone or not reading: closing is all that is left
      } finally {
        clearTimeout(deadline);
      }
    }
    closeQuietly(this.conn);
  }

  /**
   * Handles the bytes of one read.
   *
   * @param chunk What was read; a view of the read buffer, valid until the
   *   returned promise settles (or until return, when there is none).
   * @returns What the next read waits for (the write of the replies, say), or
   *   undefined to read on at once.
   */
  protected abstract received(chunk: Uint8Array): Promise<void> | undefined;

  /** Handles the end of the client's stream; the default does nothing. */
  protected ended(): Promise<void> | undefined {
    return undefined;
  }

  /** A line for the client when the server stops or it idles out, or null for none. */
  protected abstract goodbye(text?: string): Uint8Array | null;

  /**
   * Called when all of `bytes`, passed to `write()`, are written.
   *
   * @param _bytes What was written.
   */
  protected written(_bytes: Uint8Array): void {}

  /** Releases timers of the subclass; called once at the end. */
  protected cleanUp(): void {}

  /**
   * Writes bytes after every earlier write, and counts them. The one way to
   * write to the client: replies, goodbyes and last lines all come through
   * here, so none overtakes another.
   *
   * @param bytes What to send; must not change until the write is done.
   * @returns Settles when they are written; rejects when the connection fails.
   */
  write(bytes: Uint8Array): Promise<void> {
    const previous = this.#lastWrite;
    this.#writesInFlight++;
    // Almost always nothing is being written: then no queue (and none of its garbage).
    const done = previous === undefined
      ? this.#send(bytes)
      : previous.then(() => this.#send(bytes), () => this.#send(bytes));
    this.#lastWrite = done;
    return done;
  }

  /**
   * Starts the write op for `bytes` (no other is in progress). A callback on
   * the op's own promise, not an async function: one promise fewer per write.
   */
  #send(bytes: Uint8Array): Promise<void> {
    return this.conn.write(bytes).then(
      (count) => this.#sent(bytes, count),
      (error) => this.#failed(error),
    );
  }

  /** After a write op: the rest of a partial write, or the write is done. */
  #sent(bytes: Uint8Array, count: number): Promise<void> | undefined {
    // One write nearly always takes everything; writeAll() only for the rest.
    if (count < bytes.length) {
      return writeAll(this.conn, bytes.subarray(count)).then(
        () => this.#sent(bytes, bytes.length),
        (error) => this.#failed(error),
      );
    }
    this.#idleIfLast();
    this.wrote(bytes);
  }

  #failed(error: unknown): never {
    this.#idleIfLast();
    throw error;
  }

  /** Holds no settled promise once the last write is over. */
  #idleIfLast(): void {
    if (--this.#writesInFlight === 0) this.#lastWrite = undefined;
  }

  /**
   * Counts bytes written and tells the subclass. A subclass that writes by
   * another path (chat's outbox) calls it too.
   *
   * @param bytes What was written.
   */
  protected wrote(bytes: Uint8Array): void {
    this.ctx.stats.bytesOut += bytes.length;
    // Before written(): the subclass may then reuse the buffer.
    if (this.ctx.log.tracing) this.#trace("write", bytes);
    this.written(bytes);
  }

  /**
   * Logs one read or write for `--trace`: its size, then its bytes in hex and
   * as text (at most {@linkcode TRACE_DUMP_BYTES}), each line with the peer.
   * Called only when tracing, so it costs nothing otherwise.
   */
  #trace(direction: "read" | "write", bytes: Uint8Array): void {
    const { log, texts } = this.ctx;
    log.trace(texts.trace(direction, bytes.length), this.peer);
    const lines = hexDump(bytes, { maxBytes: TRACE_DUMP_BYTES, moreBytes: texts.hexDumpMore });
    for (const line of lines) log.trace(line, this.peer);
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
    this.#hardCloseTimer = setTimeout(() => closeQuietly(this.conn), LINGER_MS);
    try {
      if (line !== null) await this.write(line);
      await this.conn.closeWrite();
    } catch {
      closeQuietly(this.conn);
    }
  }

  /**
   * Starts the idle timeout. Its own method, not inline in `run()`: closures in
   * `run()` would give every connection's suspended loop a context object.
   */
  #startIdleTimer(): void {
    this.#idleTimer = new QuietTimer(
      this.ctx.idleTimeoutMs,
      () => this.lastReadAt,
      () => this.idledOut(),
    );
    this.#idleTimer.start();
  }

  /** Says goodbye to a client that was silent for the idle timeout; subclasses may add to it. */
  protected idledOut(): void {
    const seconds = this.ctx.idleTimeoutMs / 1000;
    this.ctx.log.info(this.ctx.texts.idleTimeoutLog(seconds), this.peer);
    void this.finishWith(this.goodbye(this.ctx.texts.idleTimeout(seconds)));
  }
}
