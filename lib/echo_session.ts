/**
 * Echo mode (RFC 862): every byte goes back unchanged, binary-safe.
 *
 * @module
 */

import { AdaptiveReadBuffer } from "./connection_io.ts";
import { Session } from "./session.ts";

/** Size of the first read; why it is larger here: `initialBytes` in connection_io.ts. */
const FIRST_READ_BYTES = 4096;

/**
 * Sends back what it reads. The next read waits until the last bytes are
 * written, so a client that does not read stops being read from and nothing
 * piles up in memory. After the client half-closes, everything read has
 * already been sent back, so the server can close.
 */
export class EchoSession extends Session {
  /** Echoes until end of stream. */
  protected override async serve(): Promise<void> {
    const { conn, stats, log, peer, texts } = this.ctx;
    const buffer = new AdaptiveReadBuffer({ initialBytes: FIRST_READ_BYTES });
    for (;;) {
      const n = await conn.read(buffer.bytes);
      if (n === null) return;
      stats.bytesIn += n;
      if (log.tracing) log.trace(texts.trace("read", n), peer);
      if (this.ending) continue;
      this.lastReadAt = performance.now();
      // The buffer is handed to the write, so it must not be reused until written.
      await this.write(buffer.bytes.subarray(0, n));
      buffer.update(n);
    }
  }

  /** No goodbye line in echo mode. */
  protected override goodbye(): null {
    return null; // text would corrupt a binary stream: just close
  }
}
