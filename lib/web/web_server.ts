/**
 * Chat mode's web port (`--web PORT`): one page, its script and style, and a
 * WebSocket at `/ws` whose browsers join the room as {@linkcode WebMember}s.
 *
 * Everything is served from memory (`lib/web/web_page.ts`, whose `chat.js`
 * and `chat.css` are imported as text when the module loads): nothing is read
 * from disk at run time and the page fetches nothing from anywhere else, so
 * it works on a classroom network without internet. A Content-Security-Policy allows
 * scripts, styles and connections from this origin only; the upgrade checks
 * `Origin`, so another site open in the same browser cannot join as the user.
 *
 * @module
 */

import { waitAtMost } from "../stream/deadline.ts";
import type { Lang } from "../settings/lang.ts";
import { hostPort } from "../text/texts.ts";
import { linesMessage, type WebMember } from "./web_member.ts";
import {
  PAGE_PROTOCOL,
  parseResumeProtocols,
  ResumeDesk,
  type ResumeRequest,
} from "./web_resume.ts";
import { PAGE_SCRIPT, PAGE_STYLE, pageHtml } from "./web_page.ts";
import { KEY_CLOSE_CODE, keyMessage, type KeyRefusal, offeredKey } from "./web_key.ts";
import { WRONG_KEY_DELAY_MS } from "../settings/defaults.ts";

/** How long closing waits for requests in progress. */
const CLOSE_DEADLINE_MS = 1000;

/** Where the browsers' WebSocket connects. */
export const WEB_SOCKET_PATH = "/ws";

/** Allows this origin's own script, style and WebSocket, and nothing inline or remote. */
export const CONTENT_SECURITY_POLICY: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers of every response. */
const COMMON_HEADERS = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** What the web port does with a browser that asks to join. */
export interface WebRoomDoor {
  /** Whether one more client fits under `--max-conns`. */
  admits(): boolean;
  /**
   * Counts and logs a browser turned away over the limit.
   *
   * @param peer Its address.
   * @returns The busy line to send it.
   */
  turnAway(peer: string): string;
  /**
   * The line for a browser whose address is banned (`/ban`), which is then
   * closed; null: not banned.
   */
  refuses(host: string, peer: string): string | null;
  /**
   * Whether `host` may use the web port at all (`--allow`, `--deny`); a
   * refused one is logged and gets 403 for every request, the page too.
   */
  allows(host: string, peer: string): boolean;
  /**
   * Checks a browser's WebSocket against the limits per address, counting it
   * as a join: the line to send it before it is closed (1008), or null.
   */
  overLimit(host: string, peer: string): string | null;
  /**
   * Checks the room's key a page offered (`web_key.ts`): null lets it in
   * (the right key, or a room without one); else the line to send it and
   * why. A wrong key is counted and logged here.
   */
  checkKey(offered: string | null, peer: string): { line: string; why: KeyRefusal } | null;
  /**
   * Takes an upgraded socket into the room; `host` is its IP address,
   * `resume` what a page that can come back offered (null: not such a page).
   */
  enter(socket: WebSocket, peer: string, host: string, resume: ResumeRequest | null): void;
  /** Logs a refused foreign origin. */
  refusedOrigin(origin: string, peer: string): void;
}

/**
 * The HTTP server of the web port. Open it before the TCP server starts (a
 * port in use fails at once, like `Deno.listen()`), then `open()` the door.
 */
export class WebServer {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  /** Path to body and content type. */
  readonly #pages: Map<string, [string, string]>;
  #door: WebRoomDoor | null = null;
  /** The pages' resume tokens, and the names kept for pages that dropped (`web_resume.ts`). */
  readonly resumes: ResumeDesk<WebMember> = new ResumeDesk();
  /** Sockets that offered a wrong key, closed a second later: their timers. */
  readonly #wrongKeys = new Map<ReturnType<typeof setTimeout>, WebSocket>();

  /**
   * Starts listening; requests wait for {@linkcode WebServer.open} to get a
   * room (before that, the page is served and joining is refused).
   *
   * @param hostname Address to listen on.
   * @param port Port; 0 picks a free one.
   * @param lang Language of the page.
   * @param tls With `--tls-cert`: the certificate chain and key (PEM), for
   *   HTTPS and WSS; without, plain HTTP.
   * @throws {Deno.errors.AddrInUse} And the other errors of `Deno.listen()`.
   */
  constructor(hostname: string, port: number, lang: Lang, tls?: { cert: string; key: string }) {
    this.secure = tls !== undefined;
    const html = pageHtml(lang);
    this.#pages = new Map([
      ["/", [html, "text/html; charset=utf-8"]],
      ["/chat.js", [PAGE_SCRIPT, "text/javascript; charset=utf-8"]],
      ["/chat.css", [PAGE_STYLE, "text/css; charset=utf-8"]],
    ]);
    this.#server = Deno.serve(
      {
        hostname,
        port,
        ...tls,
        onListen: () => {},
        onError: () => plain(500, "server error\n"),
      },
      (request, info) => this.#handle(request, info),
    );
  }

  /** Whether the page is served over HTTPS (and its WebSocket over WSS). */
  readonly secure: boolean;

  /** The port listened on (the chosen one for port 0). */
  get port(): number {
    return this.#server.addr.port;
  }

  /**
   * Lets browsers join through `door`.
   *
   * @param door The room's side.
   */
  open(door: WebRoomDoor): void {
    this.#door = door;
  }

  /**
   * Stops listening and waits (a second at most) for requests in progress.
   *
   * @returns Settles once stopped.
   */
  async close(): Promise<void> {
    this.#door = null;
    this.resumes.close();
    for (const [timer, socket] of this.#wrongKeys) {
      clearTimeout(timer);
      closeSocket(socket, KEY_CLOSE_CODE, "wrong key");
    }
    this.#wrongKeys.clear();
    await waitAtMost(this.#server.shutdown(), CLOSE_DEADLINE_MS);
  }

  #handle(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Response {
    const url = new URL(request.url);
    const { hostname, port } = info.remoteAddr;
    if (this.#door?.allows(hostname, hostPort(hostname, port)) === false) {
      return plain(403, "forbidden\n");
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plain(405, "only GET here\n", { allow: "GET, HEAD" });
    }
    if (url.pathname === WEB_SOCKET_PATH) return this.#upgrade(request, info);
    const page = this.#pages.get(url.pathname);
    if (page === undefined) return plain(404, "not found\n");
    return new Response(page[0], { headers: { ...COMMON_HEADERS, "content-type": page[1] } });
  }

  #upgrade(request: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>): Response {
    // Read before the upgrade: after it, the request (and its address) is closed.
    const host = info.remoteAddr.hostname;
    const peer = hostPort(host, info.remoteAddr.port);
    const door = this.#door;
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return plain(426, "a WebSocket upgrade is expected here\n", { upgrade: "websocket" });
    }
    const origin = request.headers.get("origin");
    if (origin !== null && !isSameOrigin(origin, request.headers.get("host"))) {
      door?.refusedOrigin(origin, peer);
      return plain(403, "this room takes WebSockets from its own page only\n");
    }
    if (door === null) return plain(503, "the room is not open\n");
    // A page that can come back offers its subprotocol (and its token): answered with it.
    const protocols = request.headers.get("sec-websocket-protocol");
    const resume = parseResumeProtocols(protocols);
    // Idle pings off: --idle-timeout is the rule, as for TCP clients.
    const { socket, response } = Deno.upgradeWebSocket(request, {
      idleTimeout: 0,
      ...(resume === null ? {} : { protocol: PAGE_PROTOCOL }),
    });
    const overLimit = door.overLimit(host, peer);
    if (overLimit !== null) {
      socket.addEventListener("open", () => {
        socket.send(linesMessage(overLimit + "\n"));
        socket.close(1008, "limit per address"); // 1008: policy violation
      });
      return response;
    }
    const refusal = door.refuses(host, peer);
    const keyRefusal = refusal === null ? door.checkKey(offeredKey(protocols), peer) : null;
    if (refusal !== null) {
      socket.addEventListener("open", () => {
        socket.send(linesMessage(refusal + "\n"));
        socket.close(1008, "banned"); // 1008: policy violation
      });
    } else if (keyRefusal !== null) {
      this.#askKey(socket, keyRefusal.line, keyRefusal.why);
    } else if (door.admits()) {
      door.enter(socket, peer, host, resume);
    } else {
      const line = door.turnAway(peer);
      socket.addEventListener("open", () => {
        socket.send(linesMessage(line + "\n"));
        socket.close(1013, "busy"); // 1013: try again later
      });
    }
    return response;
  }

  /**
   * Asks a page for the room's key: the server's line, then the close (at
   * once when it offered none; a second later after a wrong one, so that
   * guessing is slow). Nothing it sends meanwhile is read.
   */
  #askKey(socket: WebSocket, line: string, why: KeyRefusal): void {
    socket.addEventListener("open", () => {
      socket.send(keyMessage(line, why));
      if (why === "needed") return closeSocket(socket, KEY_CLOSE_CODE, "key needed");
      const timer = setTimeout(() => {
        this.#wrongKeys.delete(timer);
        closeSocket(socket, KEY_CLOSE_CODE, "wrong key");
      }, WRONG_KEY_DELAY_MS);
      this.#wrongKeys.set(timer, socket);
      socket.addEventListener("close", () => {
        clearTimeout(timer);
        this.#wrongKeys.delete(timer);
      });
    });
  }
}

/** Closes a socket that may be closed already. */
function closeSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // closed already
  }
}

/** Whether `origin` names the host the request was sent to (http or https). */
function isSameOrigin(origin: string, host: string | null): boolean {
  if (host === null) return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}

function plain(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { ...COMMON_HEADERS, ...headers, "content-type": "text/plain; charset=utf-8" },
  });
}
