/**
 * Reply mode, the tutorial's behaviour: every message gets exactly one reply,
 * the template with `{msg}` filled in, then "\n".
 *
 * @module
 */

import { isUtf8 } from "node:buffer";
import { OutputBuffer } from "./connection_io.ts";
import { LineFramer, LineTooLongError } from "./line_framer.ts";
import type { ReplyTemplate } from "./reply_template.ts";
import { QuietTimer } from "./quiet_timer.ts";
import { Session, type SessionContext } from "./session.ts";
import { decodeUtf8 } from "./utf8.ts";

/**
 * How long a client must be quiet before unterminated text counts as a
 * message. Short enough to feel instant to a person, long enough that the
 * pieces of one send on a real network arrive before it.
 */
export const IDLE_FLUSH_MS = 50;

/** Options of a reply session beyond the shared {@linkcode SessionContext}; one object per server. */
export interface ReplySessionOptions {
  /** The reply, encoded once for all connections. */
  template: ReplyTemplate;
  /** Longest message in bytes. */
  maxLineBytes: number;
  /**
   * Only "\n" (or the end of the stream) ends a message: no idle flush.
   *
   * @default {false}
   */
  strictLines?: boolean;
}

const encoder = new TextEncoder();

/** Replies waiting beyond this size are written before more messages are framed. */
const PAUSE_AT_OUTPUT_BYTES = 65536;

/** What `#frame()` asks of the framer (constants, so the hot path builds no closure). */
const FRAME_PUSH = 0;
const FRAME_FLUSH = 1;
const FRAME_FINISH = 2;
type FrameStep = typeof FRAME_PUSH | typeof FRAME_FLUSH | typeof FRAME_FINISH;

/**
 * Frames a connection's bytes into lines and answers each. Replies to all the
 * messages of one read go out in one write, and the next read waits for it, so
 * a client that does not read its replies stops being read (backpressure).
 */
export class ReplySession extends Session {
  readonly #framer: LineFramer;
  readonly #template: ReplyTemplate;
  readonly #out = new OutputBuffer();
  /** Whether unterminated text waits for its "\n" however long the client pauses. */
  readonly #strictLines: boolean;
  /** Ends unterminated text once the client is quiet; made on the first such read. */
  #flushTimer: QuietTimer | undefined;
  /** The chunk being framed, when it is valid UTF-8 as a whole (so each line is too). */
  #validChunk: Uint8Array | null = null;

  /**
   * Prepares a session; `run()` starts it.
   *
   * @param ctx The server's shared context.
   * @param conn The accepted connection.
   * @param options The template, the line limit and whether lines are strict.
   */
  constructor(ctx: SessionContext, conn: Deno.TcpConn, options: ReplySessionOptions) {
    super(ctx, conn);
    this.#template = options.template;
    this.#strictLines = options.strictLines ?? false;
    this.#framer = new LineFramer((source, start, end) => this.#answer(source, start, end), {
      maxLineBytes: options.maxLineBytes,
    });
  }

  /** Frames the bytes of one read and sends the replies of the messages it completes. */
  protected override received(chunk: Uint8Array): Uint8Array | Promise<void> | undefined {
    const used = this.#frame(FRAME_PUSH, chunk);
    if (used < 0) return undefined; // finishing: the read loop now discards until the client closes
    if (used < chunk.length) return this.#sendInParts(chunk, used);
    if (this.#framer.pendingBytes > 0) this.#textPending();
    return this.#takeReplies(); // the read loop writes them
  }

  /**
   * Replies of one read go out in one write, unless they grow large (many
   * short lines and a long template): then framing pauses and they go out in
   * parts, so memory per connection stays bounded.
   */
  async #sendInParts(chunk: Uint8Array, used: number): Promise<void> {
    for (;;) {
      await this.#sendReplies();
      if (used === chunk.length) break;
      chunk = chunk.subarray(used);
      used = this.#frame(FRAME_PUSH, chunk);
      if (used < 0) return;
    }
    if (this.#framer.pendingBytes > 0) this.#textPending();
  }

  /** At end of stream, the rest is the last message. */
  protected override ended(): Promise<void> | undefined {
    this.#frame(FRAME_FINISH);
    return this.#sendReplies();
  }

  /** The reply buffer can be filled again once its bytes are written. */
  protected override written(bytes: Uint8Array): void {
    this.#out.release(bytes);
  }

  /** The shutdown line, or `text` as a line. */
  protected override goodbye(text?: string): Uint8Array {
    return encoder.encode((text ?? this.ctx.texts.shuttingDown) + "\n");
  }

  /** Stops the idle flush timer. */
  protected override cleanUp(): void {
    this.#flushTimer?.stop();
  }

  /**
   * Runs one framer step; on an over-long line queues the error and ends the session.
   *
   * @returns Bytes of `chunk` used (0 for the other steps), or -1 when the session ends.
   */
  #frame(step: FrameStep, chunk?: Uint8Array): number {
    try {
      if (step === FRAME_PUSH) {
        this.#validChunk = isUtf8(chunk!) ? chunk! : null;
        const used = this.#framer.push(chunk!);
        this.#validChunk = null;
        return used;
      }
      if (step === FRAME_FLUSH) this.#framer.flushIdle();
      else this.#framer.finish();
      return 0;
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      const { log, texts } = this.ctx;
      log.error(texts.lineTooLongLog(error.maxLineBytes), this.peer);
      const notice = this.goodbye(texts.lineTooLong(error.maxLineBytes));
      this.#sendReplies()?.catch(() => {}); // replies to earlier messages go first
      void this.finishWith(notice);
      return -1;
    }
  }

  /** Queues the reply to one message; false asks the framer to pause so replies go out. */
  #answer(source: Uint8Array, start: number, end: number): boolean {
    this.ctx.stats.messages++;
    if (this.ctx.messageLog.enabled) {
      this.ctx.messageLog.received(this.peer, source, start, end);
    }
    // Replies are always valid UTF-8: invalid input bytes come back as U+FFFD. A read
    // that is valid as a whole (the usual case) needs no check per message.
    if (source === this.#validChunk || isUtf8(source.subarray(start, end))) {
      this.#template.renderInto(this.#out, source, start, end);
    } else {
      const fixed = encoder.encode(decodeUtf8(source.subarray(start, end)));
      this.#template.renderInto(this.#out, fixed, 0, fixed.length);
    }
    return this.#out.length < PAUSE_AT_OUTPUT_BYTES;
  }

  /** The replies queued so far, if any; `written()` gives the buffer back. */
  #takeReplies(): Uint8Array | undefined {
    return this.#out.length === 0 ? undefined : this.#out.take();
  }

  /** Writes the replies queued so far, if any. */
  #sendReplies(): Promise<void> | undefined {
    const replies = this.#takeReplies();
    return replies === undefined ? undefined : this.write(replies);
  }

  /**
   * Notes that a read left unterminated text, which the idle flush ends if the
   * client then goes quiet (unless lines are strict).
   */
  #textPending(): void {
    if (this.#strictLines) return; // the text waits for its "\n" or the end of the stream
    this.lastReadAt = performance.now();
    (this.#flushTimer ??= this.#newFlushTimer()).start();
  }

  /** The idle flush's timer (made apart from the per-read path, which then makes no closures). */
  #newFlushTimer(): QuietTimer {
    return new QuietTimer(
      IDLE_FLUSH_MS,
      () => this.lastReadAt,
      () => this.#flushIdle(),
      () => !this.ending && this.#framer.pendingBytes > 0,
    );
  }

  /** Ends the unterminated text as a message and sends its reply. */
  #flushIdle(): void {
    if (this.#frame(FRAME_FLUSH) < 0) return;
    this.#sendReplies()?.catch(() => {
      // a failed write also fails the read loop, which logs it
    });
  }
}
