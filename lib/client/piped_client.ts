/**
 * The client when stdin is not a terminal: a byte pipe like `nc`. Standard
 * input goes to the server unchanged (or with "\n" made "\r\n", `--crlf`);
 * what the server sends goes to stdout unchanged; status lines, and the hex
 * dump of `--hex`, go to stderr.
 *
 * @module
 */

import {
  type ByteReader,
  type ByteWriter,
  closeQuietly,
  writeAll,
} from "../stream/connection_io.ts";
import { hexDump } from "../text/hex_dump.ts";
import type { Texts } from "../text/texts.ts";
import { isPeerGone } from "../stream/net_errors.ts";
import type { Conn } from "../stream/connection_io.ts";
import { OrderedWriter } from "./ordered_writer.ts";
import { isRefusalNotice, LastLine } from "./refusal_notice.ts";

/** Options for {@linkcode runPipedClient}. */
export interface PipedOptions {
  /**
   * Bytes to send.
   *
   * @default {Deno.stdin}
   */
  input?: ByteReader;
  /**
   * Where the server's bytes go.
   *
   * @default {Deno.stdout}
   */
  output?: ByteWriter;
  /**
   * Where the hex dump goes with `hex`.
   *
   * @default {Deno.stderr}
   */
  log?: ByteWriter;
  /**
   * Send every "\n" of the input as "\r\n" (`--crlf`, as `ncat -C`); a "\r\n"
   * already there stays as it is.
   *
   * @default {false}
   */
  crlf?: boolean;
  /** Texts for the hex dump's headers; with `hex` only. */
  texts?: Texts;
  /**
   * Dump every chunk sent and received, in hex and text, to `log` (`--hex`).
   *
   * @default {false}
   */
  hex?: boolean;
  /**
   * Once the input has ended, close after the server is silent this long, in
   * milliseconds (`-w`, as `nc -w`); 0 waits for the server to close.
   *
   * @default {0}
   */
  quietAfterInputMs?: number;
}

/**
 * How a piped session ended: the server closed; it closed after refusing us
 * (see `refusal_notice.ts`); the connection broke; our output was closed (as
 * by `client.ts | head -1`), which ends it quietly; or the server was silent
 * for `quietAfterInputMs` after the input ended.
 */
export type PipeEnd = "closed" | "refused" | "reset" | "output-closed" | "quiet";

const CR = 0x0d;
const LF = 0x0a;

/**
 * Forwards input to the connection and the connection to output. At end of
 * input the client half-closes (sends FIN) and keeps printing until the server
 * closes, so every reply arrives.
 *
 * @param conn The connection.
 * @param options See {@linkcode PipedOptions}.
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
  conn: Conn,
  options: PipedOptions = {},
): Promise<PipeEnd> {
  const output = options.output ?? Deno.stdout;
  const dump = options.hex ? new HexLog(options.log ?? Deno.stderr, options.texts) : null;
  const lastLine = new LastLine();
  const quietMs = options.quietAfterInputMs ?? 0;
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let inputEnded = false;
  let quiet = false;
  let finished = false;
  const watchQuiet = () => {
    if (!inputEnded || quietMs <= 0 || finished) return;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => {
      quiet = true;
      closeQuietly(conn);
    }, quietMs);
  };
  const sending = forwardInput(conn, options, dump).then(() => {
    inputEnded = true;
    watchQuiet();
  });
  try {
    const buffer = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      const bytes = buffer.subarray(0, n);
      watchQuiet();
      lastLine.push(bytes);
      dump?.chunk("received", bytes);
      try {
        await writeAll(output, bytes);
      } catch {
        return "output-closed"; // nobody reads our output any more
      }
    }
    return isRefusalNotice(lastLine.text) ? "refused" : "closed";
  } catch (error) {
    if (quiet) return "quiet";
    if (isPeerGone(error)) return "reset";
    throw error;
  } finally {
    finished = true; // input that ends after this starts no timer
    clearTimeout(quietTimer);
    closeQuietly(conn);
    await dump?.flushed();
    // Input may still be open (the server closed first); its read is abandoned.
    void sending;
  }
}

async function forwardInput(
  conn: Conn,
  options: PipedOptions,
  dump: HexLog | null,
): Promise<void> {
  const input = options.input ?? Deno.stdin;
  const buffer = new Uint8Array(65536);
  let lastByte = -1;
  try {
    for (;;) {
      const n = await input.read(buffer);
      if (n === null) break;
      let bytes: Uint8Array = buffer.subarray(0, n); // withCrlf() may give a new array
      if (options.crlf) bytes = withCrlf(bytes, lastByte);
      lastByte = buffer[n - 1]!;
      dump?.chunk("sent", bytes);
      await writeAll(conn, bytes);
    }
    await conn.closeWrite();
  } catch {
    // the connection is gone; the read side reports how it ended
  }
}

/**
 * Makes each "\n" that has no "\r" before it "\r\n".
 *
 * @param bytes One read of input.
 * @param before The byte before them (the last of the previous read), or -1.
 */
function withCrlf(bytes: Uint8Array, before: number): Uint8Array {
  let bare = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF && (i > 0 ? bytes[i - 1] : before) !== CR) bare++;
  }
  if (bare === 0) return bytes;
  const out = new Uint8Array(bytes.length + bare);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF && (i > 0 ? bytes[i - 1] : before) !== CR) out[j++] = CR;
    out[j++] = bytes[i]!;
  }
  return out;
}

/** `--hex` on stderr: a header and a dump per chunk, in order. */
class HexLog {
  readonly #writer: OrderedWriter;
  readonly #texts: Texts | undefined;

  constructor(log: ByteWriter, texts: Texts | undefined) {
    this.#writer = new OrderedWriter(log);
    this.#texts = texts;
  }

  chunk(direction: "sent" | "received", bytes: Uint8Array): void {
    const header = this.#texts === undefined
      ? `${direction} ${bytes.length} bytes`
      : direction === "sent"
      ? this.#texts.hexSent(bytes.length)
      : this.#texts.hexReceived(bytes.length);
    this.#writer.write([header, ...hexDump(bytes)].join("\n") + "\n");
  }

  flushed(): Promise<void> {
    return this.#writer.flushed();
  }
}
