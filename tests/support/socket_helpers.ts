/**
 * Running {@linkcode serve} in-process on port 0 and talking to it over real
 * sockets: a client that reads lines, byte counts or everything up to EOF
 * with a time bound, and a log collector a test can wait on.
 *
 * Nothing here sleeps: every wait is for an event (bytes, EOF, a log line)
 * and is bounded with {@linkcode within}, so a broken server fails the test
 * instead of hanging it.
 *
 * @module
 */

import { Logger } from "../../lib/log/logger.ts";
import { hostPort } from "../../lib/text/texts.ts";
import { serve, type ServeOptions } from "../../lib/server/server_core.ts";
import type { ServerStats } from "../../lib/session/server_stats.ts";
import { WAIT_MS, within } from "./processes.ts";

const LF = 0x0a; // ends a reply line
/** Size of one client read; large enough for bulk echo tests. */
const READ_BYTES = 65536;
/** Bound on `serve()` resolving after the abort, when a test does not set its own. */
const STOP_MS = 5000;

const encoder = new TextEncoder();
/** Replies must always be valid UTF-8, so decoding them is strict. */
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Log lines of one server, kept for assertions; a test can wait for a line. */
export class LogCollector {
  /** Status lines (stdout in the real server). */
  readonly info: string[] = [];
  /** Error lines (stderr in the real server). */
  readonly errors: string[] = [];
  /** The logger to hand to `serve()`; never coloured. */
  readonly logger: Logger;
  readonly #listeners = new Set<() => void>();

  /** @param quiet Drop status lines (for tests that log a great many). */
  constructor(quiet = false) {
    this.logger = new Logger({
      quiet,
      color: false,
      writeInfo: (line) => this.#add(this.info, line),
      writeError: (line) => this.#add(this.errors, line),
    });
  }

  /**
   * Waits until `count` lines matching `pattern` were logged, counting those
   * logged so far.
   *
   * @param stream "info" or "error".
   * @param pattern What to look for (without the `g` flag).
   * @param options Bound on the wait, and how many lines to wait for (default 1).
   * @returns The last matching line counted.
   */
  async waitFor(
    stream: "info" | "error",
    pattern: RegExp,
    options: { ms?: number; count?: number } = {},
  ): Promise<string> {
    const { ms = WAIT_MS, count = 1 } = options;
    const lines = stream === "info" ? this.info : this.errors;
    let check = () => {};
    let checked = 0;
    let matched = 0;
    const found = new Promise<string>((resolve) => {
      check = () => {
        for (; checked < lines.length && matched < count; checked++) {
          if (pattern.test(lines[checked]!) && ++matched === count) resolve(lines[checked]!);
        }
      };
    });
    this.#listeners.add(check);
    check();
    try {
      return await within(found, ms, `${count} log lines matching ${pattern} in ${stream}`);
    } finally {
      this.#listeners.delete(check);
    }
  }

  #add(lines: string[], line: string): void {
    lines.push(line);
    for (const listener of this.#listeners) listener();
  }
}

/** A client connection with buffered, bounded reads. */
export class SocketClient {
  /** The connection. */
  readonly conn: Deno.TcpConn;
  /** This client's address as the server logs it (`host:port`). */
  readonly peer: string;
  #buffer: Uint8Array<ArrayBuffer> = new Uint8Array(1024);
  #start = 0;
  #end = 0;
  #eof = false;
  #inflight: Promise<number | null> | null = null;
  #closed = false;

  /** @param conn An open connection. */
  constructor(conn: Deno.TcpConn) {
    this.conn = conn;
    this.peer = hostPort(conn.localAddr.hostname, conn.localAddr.port);
  }

  /**
   * Connects to a server.
   *
   * @param port The server's port.
   * @param hostname The server's address.
   * @returns The connected client.
   */
  static async connect(port: number, hostname = "127.0.0.1"): Promise<SocketClient> {
    return new SocketClient(await Deno.connect({ hostname, port }));
  }

  /** Bytes received and not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Writes all of `data` (text is sent as UTF-8).
   *
   * @param data What to send.
   */
  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let written = 0;
    while (written < bytes.length) written += await this.conn.write(bytes.subarray(written));
  }

  /**
   * Reads one line.
   *
   * @param ms Bound on the wait.
   * @returns The line's text without its "\n" (a "\r" would stay).
   * @throws If the connection ends before a whole line, or the line is not UTF-8.
   */
  async readLine(ms = WAIT_MS): Promise<string> {
    const line = await this.#readUntil(
      () => {
        const end = this.#buffer.subarray(this.#start, this.#end).indexOf(LF);
        return end === -1 ? undefined : this.#take(end + 1);
      },
      "a line",
      ms,
    );
    return strictDecoder.decode(line.subarray(0, line.length - 1));
  }

  /**
   * Reads `count` lines.
   *
   * @param count How many.
   * @param ms Bound on the whole wait.
   * @returns The lines without "\n".
   */
  async readLines(count: number, ms = WAIT_MS): Promise<string[]> {
    const read = async () => {
      const lines: string[] = [];
      while (lines.length < count) lines.push(await this.readLine(ms));
      return lines;
    };
    return await within(read(), ms, `${count} lines`);
  }

  /**
   * Sends `text` and reads the next `count` lines of the answer.
   *
   * @param text What to send (as UTF-8).
   * @param count How many lines to wait for.
   * @param ms Bound on the wait for the lines.
   * @returns The lines, each with its "\n", joined.
   */
  async sendAndReadLines(text: string, count = 1, ms = WAIT_MS): Promise<string> {
    await this.write(text);
    return (await this.readLines(count, ms)).map((line) => line + "\n").join("");
  }

  /**
   * Reads exactly `count` bytes.
   *
   * @param count How many.
   * @param ms Bound on the wait.
   * @returns A copy of the bytes.
   */
  async readBytes(count: number, ms = WAIT_MS): Promise<Uint8Array<ArrayBuffer>> {
    return await this.#readUntil(
      () => this.buffered >= count ? this.#take(count) : undefined,
      `${count} bytes`,
      ms,
    );
  }

  /**
   * Reads until the server closes its side.
   *
   * @param ms Bound on the wait.
   * @returns Every byte not consumed before the end of stream.
   */
  async readToEnd(ms = WAIT_MS): Promise<Uint8Array<ArrayBuffer>> {
    return await this.#readUntil(
      () => this.#eof ? this.#take(this.buffered) : undefined,
      "the end of stream",
      ms,
    );
  }

  /**
   * Reads until the server closes its side, as text.
   *
   * @param ms Bound on the wait.
   * @returns The text not consumed before the end of stream.
   */
  async readTextToEnd(ms = WAIT_MS): Promise<string> {
    return strictDecoder.decode(await this.readToEnd(ms));
  }

  /**
   * Half-closes (FIN), reads the rest until the server closes, then closes.
   *
   * @param ms Bound on the wait.
   * @returns The text that arrived before the end of stream.
   */
  async finish(ms = WAIT_MS): Promise<string> {
    await this.conn.closeWrite();
    const rest = await this.readTextToEnd(ms);
    this.close();
    return rest;
  }

  /** Closes the connection; does nothing if it is closed already. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // closed already
    }
  }

  async #readUntil<T>(take: () => T | undefined, what: string, ms: number): Promise<T> {
    const read = async () => {
      for (;;) {
        const taken = take();
        if (taken !== undefined) return taken;
        if (this.#eof) {
          const got = new TextDecoder().decode(this.#buffer.subarray(this.#start, this.#end));
          throw new Error(`Connection ended before ${what}; unread: ${JSON.stringify(got)}`);
        }
        await this.#readOnce();
      }
    };
    return await within(read(), ms, what);
  }

  /** One read; a read left running by a timed-out wait is reused, never doubled. */
  #readOnce(): Promise<number | null> {
    if (this.#inflight === null) {
      const chunk = new Uint8Array(READ_BYTES);
      this.#inflight = this.conn.read(chunk).then((n) => {
        this.#inflight = null;
        if (n === null) this.#eof = true;
        else this.#append(chunk.subarray(0, n));
        return n;
      }, (error) => {
        this.#inflight = null;
        throw error;
      });
    }
    return this.#inflight;
  }

  #append(bytes: Uint8Array): void {
    if (this.#end + bytes.length > this.#buffer.length) {
      const needed = this.buffered + bytes.length;
      let size = this.#buffer.length;
      while (size < needed) size *= 2;
      if (size === this.#buffer.length) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(size);
        grown.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = grown;
      }
      this.#end -= this.#start;
      this.#start = 0;
    }
    this.#buffer.set(bytes, this.#end);
    this.#end += bytes.length;
  }

  #take(count: number): Uint8Array<ArrayBuffer> {
    const taken = this.#buffer.slice(this.#start, this.#start + count);
    this.#start += count;
    return taken;
  }
}

/** Extra options of {@linkcode withServer} beyond those of `serve()`. */
export interface TestServerOptions extends Omit<ServeOptions, "logger"> {
  /**
   * Address to listen on.
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * Drop status lines from the log.
   *
   * @default {false}
   */
  quiet?: boolean;
  /**
   * Chat mode: see `ServeOptions.welcomeWaitMs`. 0 here, unlike `serve()`'s
   * 200: most tests wait for each client's welcome (50 clients would wait 10 s
   * more); the tests of HTTP on the chat port pass the real default, and the
   * tests of the real script run with it.
   *
   * @default {0}
   */
  welcomeWaitMs?: number;
  /**
   * Chat mode: see `ServeOptions.joinAnnounceMs`. 0 here, unlike `serve()`'s
   * 1000: most tests wait for join notices and should not wait a second for
   * each; the tests of the delay itself pass the real default.
   *
   * @default {0}
   */
  joinAnnounceMs?: number;
}

/** A server running in-process for one test. */
export interface TestServer {
  /** The port it listens on. */
  port: number;
  /** The address it listens on. */
  hostname: string;
  /** Its log. */
  logs: LogCollector;
  /** Connects a client; the client is closed when the test ends. */
  connect(): Promise<SocketClient>;
  /**
   * Aborts the server and waits for `serve()`; may be called more than once.
   *
   * @param ms Bound on `serve()` resolving.
   * @returns The counters.
   */
  stop(ms?: number): Promise<ServerStats>;
}

/**
 * Runs `serve()` on port 0 for the length of `body`, then stops it and closes
 * every client `body` connected, also when `body` throws.
 *
 * @param options Server options.
 * @param body The test.
 * @returns The server's counters after it stopped.
 */
export async function withServer(
  options: TestServerOptions,
  body: (server: TestServer) => Promise<void>,
): Promise<ServerStats> {
  const {
    hostname = "127.0.0.1",
    quiet = false,
    welcomeWaitMs = 0,
    joinAnnounceMs = 0,
    ...serveOptions
  } = options;
  const logs = new LogCollector(quiet);
  const listener = Deno.listen({ hostname, port: 0 });
  const controller = new AbortController();
  const done = serve(listener, controller.signal, {
    ...serveOptions,
    welcomeWaitMs,
    joinAnnounceMs,
    logger: logs.logger,
  });
  const clients: SocketClient[] = [];
  const server: TestServer = {
    port: listener.addr.port,
    hostname,
    logs,
    async connect() {
      const client = await SocketClient.connect(listener.addr.port, hostname);
      clients.push(client);
      return client;
    },
    async stop(ms = STOP_MS) {
      controller.abort();
      return await within(done, ms, "serve() to resolve after the abort");
    },
  };
  try {
    await body(server);
    return await server.stop();
  } finally {
    controller.abort();
    for (const client of clients) client.close();
    await within(done, STOP_MS, "serve() to resolve after the test").catch(() => {});
  }
}
