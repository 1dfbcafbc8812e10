/**
 * Reply mode, the tutorial's behaviour: every message gets exactly one reply,
 * the template with `{msg}` filled in, then "\n".
 *
 * @module
 */

import { isUtf8 } from "node:buffer";
import { OutputBuffer } from "../stream/output_buffer.ts";
import { type LineHandler, LineIntake } from "../stream/line_intake.ts";
import type { ReplyTemplate } from "./reply_template.ts";
import { Session, type SessionContext } from "./session.ts";
import type { Conn } from "../stream/connection_io.ts";
import { decodeUtf8 } from "../text/utf8.ts";

/** Options of a reply session beyond the shared {@linkcode SessionContext}; one object per server. */
export interface ReplySessionOptions {
  /** The reply, encoded once for all connections. */
  template: ReplyTemplate;
  /** Longest message in bytes. */
  maxLineBytes: number;
  /** Only "\n" (or the end of the stream) ends a message: no idle flush (`--strict-lines`). */
  strictLines: boolean;
}

const encoder = new TextEncoder();

/** Replies waiting beyond this size are written before more messages are framed. */
const PAUSE_AT_OUTPUT_BYTES = 65536;

/**
 * Frames a connection's bytes into lines and answers each. Replies to all the
 * messages of one read go out in one write, and the next read waits for it, so
 * a client that does not read its replies stops being read (backpressure).
 *
 * It is its own {@linkcode LineHandler} (methods, not closures: an idle
 * connection then costs one object less).
 */
export class ReplySession extends Session implements LineHandler {
  readonly #intake: LineIntake;
  readonly #template: ReplyTemplate;
  readonly #out = new OutputBuffer();
  /** The chunk being framed, when it is valid UTF-8 as a whole (so each line is too). */
  #validChunk: Uint8Array | null = null;

  /**
   * Prepares a session; `run()` starts it.
   *
   * @param ctx The server's shared context.
   * @param conn The accepted connection.
   * @param options The template, the line limit and whether lines are strict.
   */
  constructor(ctx: SessionContext, conn: Conn, options: ReplySessionOptions) {
    super(ctx, conn);
    this.#template = options.template;
    this.#intake = new LineIntake(this, options);
  }

  /** Frames the bytes of one read and sends the replies of the messages it completes. */
  protected override received(chunk: Uint8Array): Promise<void> | undefined {
    const used = this.#push(chunk);
    if (used < 0) return undefined; // finishing: the read loop now discards until the client closes
    if (used < chunk.length) return this.#sendInParts(chunk.subarray(used));
    return this.#sendReplies(); // the next read waits for it
  }

  /**
   * Replies of one read go out in one write, unless they grow large (many
   * short lines and a long template): then framing pauses and they go out in
   * parts, so memory per connection stays bounded.
   */
  async #sendInParts(rest: Uint8Array): Promise<void> {
    await this.#intake.resume(rest, {
      wait: () => this.#sendReplies(),
      push: (part) => this.#push(part),
    });
    await this.#sendReplies(); // those of the last part
  }

  /** Frames a chunk, knowing whether it is valid UTF-8 as a whole. */
  #push(chunk: Uint8Array): number {
    this.#validChunk = isUtf8(chunk) ? chunk : null;
    const used = this.#intake.push(chunk);
    this.#validChunk = null;
    return used;
  }

  /** At end of stream, the rest is the last message. */
  protected override ended(): Promise<void> | undefined {
    this.#intake.finish();
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

  /** Stops the idle flush. */
  protected override cleanUp(): void {
    this.#intake.stop();
  }

  /**
   * Queues the reply to one message (its {@linkcode LineIntake} calls it).
   *
   * @param source Holds the message's bytes.
   * @param start First byte.
   * @param end After the last byte.
   * @returns False to pause framing so that the replies so far go out.
   */
  line(source: Uint8Array, start: number, end: number): boolean {
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

  /** Sends the reply to the text the idle flush ended (its {@linkcode LineIntake} calls it). */
  flushed(): void {
    this.#sendReplies()?.catch(() => {
      // a failed write also fails the read loop, which logs it
    });
  }

  /**
   * A message over `--max-line`: the replies before it, then the error line,
   * then the session ends (its {@linkcode LineIntake} calls it).
   *
   * @param maxLineBytes The limit.
   */
  tooLong(maxLineBytes: number): void {
    const { log, texts } = this.ctx;
    log.error(texts.lineTooLongLog(maxLineBytes), this.peer);
    const notice = this.goodbye(texts.lineTooLong(maxLineBytes));
    this.#sendReplies()?.catch(() => {}); // replies to earlier messages go first
    void this.finishWith(notice);
  }

  /**
   * Whether lines are still wanted (not once the session is ending).
   *
   * @returns False once the session is ending.
   */
  active(): boolean {
    return !this.ending;
  }

  /** Writes the replies queued so far, if any; `written()` gives their buffer back. */
  #sendReplies(): Promise<void> | undefined {
    return this.#out.length === 0 ? undefined : this.write(this.#out.take());
  }
}
