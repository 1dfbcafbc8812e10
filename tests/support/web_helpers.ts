/**
 * Helpers for tests of the chat room's web port: the real server.ts with
 * `--web 0`, a WebSocket member that reads the room's JSON messages, and a
 * raw WebSocket over TCP for what a browser would never send.
 *
 * @module
 */

import { LOOPBACK } from "./ports.ts";
import { ON_FREE_PORT, type ServerProcess, startServer, WAIT_MS, within } from "./processes.ts";

/** A chat server with a web port. */
export interface WebChatServer {
  /** The process; `server.port` is the TCP port. */
  server: ServerProcess;
  /** The web port, from the second ready line. */
  webPort: number;
  /** That line. */
  webLine: string;
}

/**
 * Starts `server.ts --mode chat --web 0` on loopback and waits for both ready lines.
 *
 * @param args More options.
 * @returns The server; stop it in every test.
 */
export async function startWebChatServer(args: readonly string[] = []): Promise<WebChatServer> {
  const server = await startServer([...ON_FREE_PORT, "--mode", "chat", "--web", "0", ...args]);
  const webLine = await within(server.stdout.nextLine(), WAIT_MS, "the web ready line");
  const webPort = Number(webLine?.match(/:(\d+)\/$/)?.[1]);
  if (webLine === null || !Number.isInteger(webPort)) {
    await server.stop();
    throw new Error(`no web ready line: ${webLine}`);
  }
  return { server, webPort, webLine };
}

/** What the room sends a browser. */
export type RoomMessage =
  | { lines: string; own?: true; earlier?: true; ids?: string[]; key?: "needed" | "wrong" }
  | { you: string; members: string[] }
  | { resume: string };

/** A browser-like member: Deno's WebSocket, reading the room's messages in order. */
export class WebChatClient {
  readonly socket: WebSocket;
  readonly #messages: RoomMessage[] = [];
  readonly #waiters: (() => void)[] = [];
  readonly #closed: Promise<{ code: number; reason: string }>;
  /** Lines received and not yet taken by `nextLine()`. */
  readonly #lines: string[] = [];
  /** Every line received marked as this member's own, in order (also taken by `nextLine()`). */
  readonly ownLines: string[] = [];
  /** The last roster received. */
  roster: { you: string; members: string[] } | null = null;
  /** The resume token the room gave (a client that offered the page's subprotocol). */
  resumeToken: string | null = null;
  /** The id of the last person's line received. */
  lastId: string | null = null;
  /** Why the room asked for its key (`--key-file`), if it did. */
  keyAsked: "needed" | "wrong" | null = null;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data as string) as RoomMessage;
      if ("lines" in message) {
        const lines = message.lines.split("\n").slice(0, -1);
        this.#lines.push(...lines);
        if (message.own === true) this.ownLines.push(...lines);
        this.lastId = message.ids?.at(-1) ?? this.lastId;
        this.keyAsked = message.key ?? this.keyAsked;
      } else if ("resume" in message) {
        this.resumeToken = message.resume;
      } else {
        this.roster = message;
      }
      this.#messages.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.#closed = new Promise((resolve) => {
      socket.addEventListener("close", (event) => {
        resolve({ code: event.code, reason: event.reason });
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
  }

  /**
   * Connects to `ws://127.0.0.1:PORT/ws` and waits for the socket to open.
   *
   * @param port The web port.
   * @param protocols Subprotocols to offer (the page's: `["tcp-toolkit", ...]`).
   * @returns The open client.
   */
  static async connect(port: number, protocols?: string[]): Promise<WebChatClient> {
    const socket = new WebSocket(`ws://${LOOPBACK}:${port}/ws`, protocols);
    const client = new WebChatClient(socket);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.addEventListener("open", () => resolve(), { once: true });
        socket.addEventListener("error", () => reject(new Error("WebSocket failed")), {
          once: true,
        });
      }),
      WAIT_MS,
      "the WebSocket to open",
    );
    return client;
  }

  /**
   * The next line the room sent, waiting for it.
   *
   * @returns The line without its "\n".
   */
  async nextLine(): Promise<string> {
    await this.#until(() => this.#lines.length > 0, "a line");
    return this.#lines.shift()!;
  }

  /**
   * Waits for the room's resume token (after joining).
   *
   * @returns The token.
   */
  async token(): Promise<string> {
    await this.#until(() => this.resumeToken !== null, "a resume token");
    return this.resumeToken!;
  }

  /**
   * Waits until the roster satisfies `test`.
   *
   * @param test What the roster must show.
   * @returns That roster.
   */
  async rosterWhere(
    test: (roster: { you: string; members: string[] }) => boolean,
  ): Promise<{ you: string; members: string[] }> {
    await this.#until(() => this.roster !== null && test(this.roster), "a roster");
    return this.roster!;
  }

  /**
   * Sends one line.
   *
   * @param line The text.
   */
  send(line: string): void {
    this.socket.send(line);
  }

  /**
   * Waits for the socket to close, at most {@linkcode WAIT_MS}: a test whose
   * server never closes it fails with a message instead of hanging.
   *
   * @returns The close event's code and reason.
   */
  get closed(): Promise<{ code: number; reason: string }> {
    return within(this.#closed, WAIT_MS, "the WebSocket to close");
  }

  /** Closes and waits for the close to finish. */
  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    await this.closed;
  }

  async #until(ready: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!ready()) {
      if (this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`the WebSocket closed while waiting for ${what}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }
}

/**
 * Sends a WebSocket upgrade request by hand and returns the status line.
 *
 * @param port The web port.
 * @param headers Extra headers (an `Origin`, say).
 * @returns The connection (still open) and the response's head.
 */
export async function rawUpgrade(
  port: number,
  headers: Record<string, string> = {},
): Promise<{ conn: Deno.TcpConn; head: string; rest: Uint8Array }> {
  const conn = await Deno.connect({ hostname: LOOPBACK, port });
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  const request = `GET /ws HTTP/1.1\r\nHost: ${LOOPBACK}:${port}\r\nUpgrade: websocket\r\n` +
    `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
    `Sec-WebSocket-Version: 13\r\n${extra}\r\n`;
  await conn.write(new TextEncoder().encode(request));
  let received = new Uint8Array(0);
  const buffer = new Uint8Array(4096);
  for (;;) {
    const end = findHeadEnd(received);
    if (end !== -1) {
      return {
        conn,
        head: new TextDecoder().decode(received.subarray(0, end)),
        rest: received.slice(end + 4),
      };
    }
    const n = await within(conn.read(buffer), WAIT_MS, "the upgrade response");
    if (n === null) throw new Error("closed before the response head");
    const joined = new Uint8Array(received.length + n);
    joined.set(received);
    joined.set(buffer.subarray(0, n), received.length);
    received = joined;
  }
}

function findHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/**
 * One client-to-server WebSocket frame (masked, as clients must), final.
 *
 * @param opcode 1 text, 2 binary, 8 close.
 * @param payload The payload.
 * @returns The frame's bytes.
 */
export function clientFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const mask = [0x12, 0x34, 0x56, 0x78];
  const length = payload.length;
  const header = length < 126
    ? [0x80 | opcode, 0x80 | length]
    : length < 65536
    ? [0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]
    : [0x80 | opcode, 0x80 | 127, 0, 0, 0, 0, ...[24, 16, 8, 0].map((s) => (length >>> s) & 0xff)];
  const frame = new Uint8Array(header.length + 4 + length);
  frame.set(header);
  frame.set(mask, header.length);
  for (let i = 0; i < length; i++) frame[header.length + 4 + i] = payload[i]! ^ mask[i % 4]!;
  return frame;
}

/**
 * Reads server frames until a close frame and returns its code (or null if
 * the connection ended without one).
 *
 * @param conn The raw connection.
 * @param already Bytes read past the response head.
 * @returns The close code.
 */
export async function readCloseCode(
  conn: Deno.TcpConn,
  already: Uint8Array,
): Promise<number | null> {
  let bytes = already;
  const buffer = new Uint8Array(65536);
  for (;;) {
    // Walk the complete frames so far.
    let at = 0;
    while (at + 2 <= bytes.length) {
      const opcode = bytes[at]! & 0x0f;
      let length = bytes[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (start + 2 > bytes.length) break;
        length = (bytes[start]! << 8) | bytes[start + 1]!;
        start += 2;
      } else if (length === 127) {
        if (start + 8 > bytes.length) break;
        length = Number(new DataView(bytes.buffer, bytes.byteOffset + start, 8).getBigUint64(0));
        start += 8;
      }
      if (start + length > bytes.length) break;
      if (opcode === 8) return length >= 2 ? (bytes[start]! << 8) | bytes[start + 1]! : null;
      at = start + length;
    }
    const n = await within(conn.read(buffer), WAIT_MS, "a close frame").catch(() => null);
    if (n === null) return null;
    const joined = new Uint8Array(bytes.length + n);
    joined.set(bytes);
    joined.set(buffer.subarray(0, n), bytes.length);
    bytes = joined;
  }
}
