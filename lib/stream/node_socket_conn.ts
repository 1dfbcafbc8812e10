/**
 * A `node:net` or `node:tls` socket with the shape of a `Deno.TcpConn`, so
 * the sessions serve a TLS client (see `tls_listener.ts`) with the same code
 * as a plaintext one.
 *
 * Reads take what the socket has buffered (paused mode: the socket reads
 * from the kernel only while its buffer is below Node's high-water mark, so a
 * session that stops reading holds TCP back as with a Deno connection).
 * Writes resolve once the socket has passed the bytes on, so a caller may
 * reuse its buffer then, as with `Deno.Conn.write()`. Errors become the
 * `Deno.errors` classes the sessions already tell apart.
 *
 * @module
 */

import type { Socket } from "node:net";
import type { Conn } from "./connection_io.ts";

/** A Node error's code, as in `ECONNRESET`; undefined for other values. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The `Deno.errors` class for a Node socket error, so that `isPeerGone()`
 * and the sessions' checks work on it.
 *
 * @param error What the socket reported.
 * @returns An error of the matching class (the original as its cause), or the original.
 */
export function asDenoError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  switch (errorCode(error)) {
    case "ECONNRESET":
      return new Deno.errors.ConnectionReset(message, { cause: error });
    case "ECONNABORTED":
      return new Deno.errors.ConnectionAborted(message, { cause: error });
    case "EPIPE":
    case "ERR_STREAM_DESTROYED":
    case "ERR_STREAM_WRITE_AFTER_END":
      return new Deno.errors.BrokenPipe(message, { cause: error });
    default:
      return error;
  }
}

/** A Node socket as a connection; see the module's documentation. */
export class NodeSocketConn implements Conn {
  /** The peer's address, noted at the start: a destroyed socket forgets it. */
  readonly remoteAddr: Deno.NetAddr;
  /** Our end's address. */
  readonly localAddr: Deno.NetAddr;
  readonly #socket: Socket;
  /** Bytes taken from the socket and not yet read. */
  #rest: Uint8Array | null = null;
  #ended = false;
  #closedByUs = false;
  #error: unknown = null;
  /** The read waiting for data, end or error. */
  #wake: (() => void) | null = null;

  /**
   * Wraps a connected socket (for `node:tls`, one whose handshake is done).
   *
   * @param socket The socket; this object now owns it.
   */
  constructor(socket: Socket) {
    this.#socket = socket;
    this.remoteAddr = netAddr(socket.remoteAddress, socket.remotePort);
    this.localAddr = netAddr(socket.localAddress, socket.localPort);
    const wake = () => {
      const resume = this.#wake;
      this.#wake = null;
      resume?.();
    };
    socket.on("readable", wake);
    socket.on("end", () => {
      this.#ended = true;
      wake();
    });
    socket.on("error", (error) => {
      this.#error ??= error;
      wake();
    });
    socket.on("close", () => {
      this.#ended = true;
      wake();
    });
  }

  /**
   * Reads into `buffer`, as `Deno.Conn.read()`.
   *
   * @param buffer Where the bytes go.
   * @returns How many were read, or null at the end of the stream.
   * @throws {Deno.errors.BadResource} After `close()`.
   * @throws {Deno.errors.ConnectionReset} When the peer reset the connection.
   */
  async read(buffer: Uint8Array): Promise<number | null> {
    for (;;) {
      if (this.#closedByUs) throw new Deno.errors.BadResource("the connection is closed");
      const rest = this.#rest ?? this.#take();
      if (rest !== null) {
        const count = Math.min(rest.length, buffer.length);
        buffer.set(rest.subarray(0, count));
        this.#rest = count < rest.length ? rest.subarray(count) : null;
        return count;
      }
      if (this.#error !== null) throw asDenoError(this.#error);
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }

  /** What the socket holds now, or null. */
  #take(): Uint8Array | null {
    const chunk: Uint8Array | null = this.#socket.read();
    return chunk === null || chunk.length === 0 ? null : chunk;
  }

  /**
   * Writes all of `bytes`, as `Deno.Conn.write()` (which may write part).
   *
   * @param bytes What to send; it may be reused once the promise settles.
   * @returns The count written: all of them.
   * @throws {Deno.errors.BrokenPipe} When the connection is closed.
   */
  write(bytes: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#closedByUs || this.#socket.destroyed) {
        reject(new Deno.errors.BrokenPipe("the connection is closed"));
        return;
      }
      // The callback comes once the socket is done with the bytes: the caller may reuse them then.
      this.#socket.write(bytes, (error) => {
        if (error) reject(asDenoError(error));
        else resolve(bytes.length);
      });
    });
  }

  /** Sends the end of our stream (TLS: a close_notify, then FIN), keeping reads open. */
  closeWrite(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed || this.#socket.writableEnded) resolve();
      else this.#socket.end(() => resolve());
    });
  }

  /** Closes at once, as `Deno.Conn.close()`; a second call throws, as Deno's does. */
  close(): void {
    if (this.#closedByUs) throw new Deno.errors.BadResource("the connection is closed");
    this.#closedByUs = true;
    this.#socket.destroy();
    const resume = this.#wake;
    this.#wake = null;
    resume?.();
  }

  /**
   * Turns Nagle's algorithm on or off.
   *
   * @param noDelay True: send small writes at once.
   */
  setNoDelay(noDelay = true): void {
    this.#socket.setNoDelay(noDelay);
  }
}

/**
 * A `Deno.NetAddr` from a Node socket's address and port (an IPv4-mapped IPv6
 * address as IPv4, as `Deno.listen` on an IPv4 address gives it).
 *
 * @param address `socket.remoteAddress` or `localAddress`.
 * @param port `socket.remotePort` or `localPort`.
 * @returns The address.
 */
export function netAddr(address: string | undefined, port: number | undefined): Deno.NetAddr {
  const hostname = address?.startsWith("::ffff:") && address.includes(".")
    ? address.slice(7)
    : address ?? "";
  return { transport: "tcp", hostname, port: port ?? 0 };
}
