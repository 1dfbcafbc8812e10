/**
 * The client when stdin is not a terminal: a byte pipe like `nc`. Standard
 * input goes to the server unchanged; what the server sends goes to stdout
 * unchanged; status lines go to stderr.
 *
 * @module
 */

import { type ByteReader, type ByteWriter, writeAll } from "./connection_io.ts";
import { isPeerGone } from "./net_errors.ts";

/** Where a piped session reads and writes; tests pass their own. */
export interface PipeStreams {
  /** Bytes to send. */
  input: ByteReader;
  /** Where the server's bytes go. */
  output: ByteWriter;
}

/**
 * How a piped session ended: the server closed, the connection broke, or our
 * output was closed (as by `client.ts | head -1`), which ends it quietly.
 */
export type PipeEnd = "closed" | "reset" | "output-closed";

/**
 * Forwards input to the connection and the connection to output. At end of
 * input the client half-closes (sends FIN) and keeps printing until the server
 * closes, so every reply arrives.
 *
 * @param conn The connection.
 * @param streams Input and output; defaults to stdin and stdout.
 * @returns How it ended; see {@linkcode PipeEnd}.
 *
 * @example
 * ```ts ignore
 * import { runPipedClient } from "./piped_client.ts";
 * const conn = await Deno.connect({ port: 50000 });
 * await runPipedClient(conn);
 * ```
 */
export async function runPipedClient(
  conn: Deno.TcpConn,
  streams: PipeStreams = { input: Deno.stdin, output: Deno.stdout },
): Promise<PipeEnd> {
  const sending = forwardInput(conn, streams.input);
  try {
    const buffer = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return "closed";
      try {
        await writeAll(streams.output, buffer.subarray(0, n));
      } catch {
        return "output-closed"; // nobody reads our output any more
      }
    }
  } catch (error) {
    if (isPeerGone(error)) return "reset";
    throw error;
  } finally {
    conn.close();
    // Input may still be open (the server closed first); its read is abandoned.
    void sending;
  }
}

async function forwardInput(conn: Deno.TcpConn, input: ByteReader): Promise<void> {
  const buffer = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await input.read(buffer);
      if (n === null) break;
      await writeAll(conn, buffer.subarray(0, n));
    }
    await conn.closeWrite();
  } catch {
    // the connection is gone; the read side reports how it ended
  }
}
