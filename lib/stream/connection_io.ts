/**
 * Small pieces of socket I/O: the reader and writer shapes a connection and
 * stdin/stdout share, writing a whole buffer, and closing without losing the
 * last line sent.
 *
 * @module
 */

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
 * A connection as the sessions use it: `Deno.TcpConn` has this shape, and a
 * TLS client accepted through `node:tls` gets it from `NodeSocketConn`.
 */
export interface Conn extends ByteReader, ByteWriter {
  /** Sends the end of our stream; reads go on until the peer ends its own. */
  closeWrite(): Promise<void>;
  /** Closes at once; throws if already closed. */
  close(): void;
  /** The peer's address. */
  readonly remoteAddr: Deno.NetAddr;
  /** Our end's address. */
  readonly localAddr: Deno.NetAddr;
  /** Nagle's algorithm off (true) or on; connections without it (client-side TLS) skip it. */
  setNoDelay?(noDelay?: boolean): void;
}

/** Where connections come from: `Deno.TcpListener` has this shape, and so has `TlsListener`. */
export interface ConnListener {
  /** The next connection; rejects with `Deno.errors.BadResource` once closed. */
  accept(): Promise<Conn>;
  /** Stops accepting; a waiting `accept()` rejects. */
  close(): void;
  /** The address listened on. */
  readonly addr: Deno.NetAddr;
  /**
   * Lets the listener turn away an address before any work of its own (a
   * TLS handshake): `allows` false, the connection is closed at once.
   * Listeners that do no such work (`Deno.TcpListener`) have no such method.
   */
  screen?(allows: (hostname: string) => boolean): void;
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
export function closeQuietly(conn: Pick<Conn, "close">): void {
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
  conn: Conn,
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
