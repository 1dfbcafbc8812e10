/**
 * Small pieces of socket I/O every connection handler needs: a read buffer
 * that grows only while data flows, writing a whole buffer, and closing
 * without losing the last line sent.
 *
 * @module
 */

/** Options for {@linkcode AdaptiveReadBuffer}. */
export interface AdaptiveReadBufferOptions {
  /**
   * Size while a connection is quiet or sends little.
   *
   * @default {512}
   */
  minBytes?: number;
  /**
   * Size a busy connection may grow to.
   *
   * @default {65536}
   */
  maxBytes?: number;
}

/**
 * A read buffer that starts small, grows to its largest size when a read fills
 * it and shrinks back after a few small reads in a row, so thousands of idle connections stay cheap while a bulk
 * transfer still gets large reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AdaptiveReadBuffer } from "./connection_io.ts";
 * const buffer = new AdaptiveReadBuffer({ minBytes: 1024, maxBytes: 4096 });
 * buffer.update(1024); // the read filled it: grow
 * assert.equal(buffer.bytes.length, 4096);
 * for (let i = 0; i < 3; i++) buffer.update(100); // small reads: the client is quiet
 * assert.equal(buffer.bytes.length, 1024);
 * ```
 */
export class AdaptiveReadBuffer {
  readonly #minBytes: number;
  #smallReads = 0;
  readonly #maxBytes: number;
  /** The buffer to pass to the next `read()`. */
  bytes: Uint8Array;

  /**
   * Starts at the small size.
   *
   * @param options See {@linkcode AdaptiveReadBufferOptions}.
   */
  constructor(options: AdaptiveReadBufferOptions = {}) {
    this.#minBytes = options.minBytes ?? 512;
    this.#maxBytes = Math.max(options.maxBytes ?? 65536, this.#minBytes);
    this.bytes = new Uint8Array(this.#minBytes);
  }

  /**
   * Adjusts the size after a read; call it once the bytes read are used up.
   *
   * @param bytesRead What the last read returned.
   */
  update(bytesRead: number): void {
    const size = this.bytes.length;
    if (bytesRead === size && size < this.#maxBytes) {
      // Straight to the largest size: a stream that fills a small buffer is a bulk stream,
      // and every step in between would cost another small read and another allocation.
      this.bytes = new Uint8Array(this.#maxBytes);
      this.#smallReads = 0;
    } else if (bytesRead <= this.#minBytes && size > this.#minBytes) {
      // A busy stream has the odd small read; only a run of them means the client went quiet.
      if (++this.#smallReads >= SMALL_READS_TO_SHRINK) {
        this.bytes = new Uint8Array(this.#minBytes);
        this.#smallReads = 0;
      }
    } else {
      this.#smallReads = 0;
    }
  }
}

/** Small reads in a row after which a large read buffer is given back. */
const SMALL_READS_TO_SHRINK = 3;
/** Where an output buffer starts; grown by doubling. */
const INITIAL_OUTPUT_BYTES = 128;
/** Pieces up to this size are copied byte by byte rather than with `set()`. */
const SMALL_COPY_BYTES = 64;
/** An output buffer larger than this is not kept between writes. */
const KEEP_OUTPUT_BYTES = 65536;
/**
 * An output buffer is kept between writes only when a write was at least this
 * large: a connection that sends little (a person typing, a ping-pong) holds
 * none while it waits, one that streams replies reuses one buffer.
 */
const KEEP_AFTER_WRITE_BYTES = 512;

/** Anything with a `read()` like `Deno.Conn` and `Deno.stdin`. */
export interface ByteReader {
  /** Reads into `buffer`; resolves with the count, or null at end of stream. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Anything with a `write()` like `Deno.Conn` and `Deno.stdout`. */
export interface ByteWriter {
  /** Writes some of `bytes`; resolves with how many were written. */
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Writes all of `bytes`; `write()` may write only part.
 *
 * @param writer A connection or stdout.
 * @param bytes What to send.
 * @throws What `write()` throws (a reset, a closed connection).
 */
export async function writeAll(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await writer.write(bytes.subarray(written));
}

/**
 * Closes a connection, ignoring "already closed".
 *
 * @param conn The connection.
 */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/** Options for {@linkcode closeAfterDraining}. */
export interface CloseAfterDrainingOptions {
  /**
   * Longest time to wait for the peer to close its side, in milliseconds.
   *
   * @default {1000}
   */
  timeoutMs?: number;
}

/**
 * Closes a connection on which the peer may still be sending, without losing
 * what was just written: closing a socket that has unread data makes the
 * kernel send a reset, and the peer may then drop our last line unread. So we
 * send FIN first, read and discard until the peer closes (or the deadline),
 * then close.
 *
 * @param conn The connection; its writes must be finished.
 * @param options See {@linkcode CloseAfterDrainingOptions}.
 */
export async function closeAfterDraining(
  conn: Deno.TcpConn,
  options: CloseAfterDrainingOptions = {},
): Promise<void> {
  const timer = setTimeout(() => closeQuietly(conn), options.timeoutMs ?? 1000);
  try {
    await conn.closeWrite();
    const sink = new Uint8Array(16384);
    while ((await conn.read(sink)) !== null) {
      // discard
    }
  } catch {
    // reset by the peer, or closed by the deadline
  } finally {
    clearTimeout(timer);
    closeQuietly(conn);
  }
}

/**
 * Collects the bytes of several replies so one read's replies go out in one
 * write. `take()` lends the bytes to the write; anything appended before
 * `release()` goes to a fresh buffer, so a pending write never sees its bytes
 * change, and a connection that is busy reuses one buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OutputBuffer } from "./connection_io.ts";
 * const out = new OutputBuffer();
 * out.append(new Uint8Array([1, 2]));
 * out.append(new Uint8Array([3]));
 * const taken = out.take();
 * assert.equal(taken.join(), "1,2,3");
 * assert.equal(out.length, 0);
 * out.release(taken); // written: the buffer can be filled again
 * ```
 */
export class OutputBuffer {
  #bytes: Uint8Array | null = null;
  #length = 0;
  /** Whether `#bytes` is lent to a write that has not finished. */
  #lent = false;

  /** Bytes collected and not yet taken. */
  get length(): number {
    return this.#length;
  }

  /**
   * Copies `bytes` in.
   *
   * @param bytes Bytes to send later; may be a view of a buffer that will be reused.
   */
  append(bytes: Uint8Array): void {
    this.appendRange(bytes, 0, bytes.length);
  }

  /**
   * Copies `source[start..end)` in, without making a view of it.
   *
   * @param source Holds the bytes; may be a buffer that will be reused.
   * @param start First byte.
   * @param end After the last byte.
   */
  appendRange(source: Uint8Array, start: number, end: number): void {
    if (this.#lent) {
      this.#bytes = null;
      this.#lent = false;
    }
    const at = this.#length;
    const needed = at + end - start;
    let bytes = this.#bytes;
    if (bytes === null || bytes.length < needed) {
      let size = Math.max(bytes?.length ?? INITIAL_OUTPUT_BYTES, INITIAL_OUTPUT_BYTES);
      while (size < needed) size *= 2;
      const grown = new Uint8Array(size);
      if (bytes !== null) grown.set(bytes.subarray(0, at));
      this.#bytes = bytes = grown;
    }
    if (end - start <= SMALL_COPY_BYTES) {
      // A short loop beats creating a view for set() on the short pieces of a reply.
      for (let i = start, j = at; i < end; i++, j++) bytes[j] = source[i]!;
    } else {
      bytes.set(source.subarray(start, end), at);
    }
    this.#length = needed;
  }

  /**
   * Lends out what was collected and starts empty.
   *
   * @returns The bytes; they stay unchanged until passed to `release()`.
   */
  take(): Uint8Array {
    const taken = this.#bytes?.subarray(0, this.#length) ?? new Uint8Array(0);
    this.#lent = this.#bytes !== null;
    this.#length = 0;
    return taken;
  }

  /**
   * Says the write of `taken` is done, so its buffer can be filled again. The
   * buffer is kept only for a connection that sends much (a large write) and
   * only up to a size, so a quiet connection holds none.
   *
   * @param taken What `take()` returned; anything else is ignored.
   */
  release(taken: Uint8Array): void {
    if (!this.#lent || this.#bytes === null || taken.buffer !== this.#bytes.buffer) return;
    this.#lent = false;
    if (taken.length < KEEP_AFTER_WRITE_BYTES || this.#bytes.length > KEEP_OUTPUT_BYTES) {
      this.#bytes = null;
    }
  }
}
