/**
 * A TLS listener whose connections are handed on only once their handshake
 * is done, and are closed (not only forgotten) when it is not done in time.
 *
 * Why not `Deno.listenTls`: Deno finishes a handshake lazily, on the first
 * read or write, and a connection whose handshake stalls stays open long
 * after `close()` (its close waits for the handshake task, which holds the
 * socket: measured, more than a minute). A silent client could so hold a
 * socket per connect. Here the TCP socket is `node:net`'s and the TLS layer
 * `node:tls`'s over it: at the deadline the TCP socket is destroyed at once.
 * The connections come out as {@linkcode NodeSocketConn}, with the shape of
 * a `Deno.TcpConn`, so the sessions serve them unchanged.
 *
 * A client that speaks something else (plaintext, HTTP) fails the handshake
 * and is closed; each such connection is reported once, through `onRefused`.
 *
 * @module
 */

import { createPrivateKey, X509Certificate } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { createSecureContext, type SecureContext, TLSSocket } from "node:tls";
import type { ConnListener } from "./connection_io.ts";
import { netAddr, NodeSocketConn } from "./node_socket_conn.ts";
import { addressGroup } from "./ip_address.ts";

/** Why a connection never got past its handshake. */
export type HandshakeFailure =
  | "timeout" // nothing (or not enough) came within the deadline
  | "not-tls" // plaintext, HTTP, or bytes that are no TLS
  | "alert" // a TLS client ended the handshake (it does not trust the certificate, ...)
  | "closed" // the client closed before the handshake was done (a scanner, a dropped phone)
  | "too-many" // too many handshakes at once: closed at once
  | "too-many-here" // too many handshakes at once from this address: closed at once
  | "denied"; // its address is turned away (see `screen()`): closed at once

/** Options for {@linkcode listenTls}. */
export interface TlsListenOptions {
  /** The address to listen on. */
  hostname: string;
  /** The port; 0 = any free one. */
  port: number;
  /** The certificate chain, PEM. */
  cert: string;
  /** The private key, PEM. */
  key: string;
  /** Longest time for a client's handshake, in milliseconds. */
  handshakeTimeoutMs: number;
  /** Most handshakes in progress at once; a connection past it is closed at once. */
  maxHandshakes: number;
  /**
   * Most handshakes in progress at once from one IPv4 address or IPv6 /64,
   * so that one address's silent connections cannot take every slot of
   * `maxHandshakes` for the length of the deadline; 0 = no cap of its own.
   */
  maxHandshakesPerAddress: number;
  /**
   * Called once for each connection that never got past its handshake.
   *
   * @param peer The client's address.
   * @param why Why.
   * @param detail The TLS library's words, for `not-tls`; empty otherwise.
   */
  onRefused: (peer: Deno.NetAddr, why: HandshakeFailure, detail: string) => void;
}

/**
 * Listens for TLS clients.
 *
 * @param options See {@linkcode TlsListenOptions}.
 * @returns The listener, listening.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 * @throws {InvalidTlsMaterial} When the certificate or key is not valid PEM, or they do not match.
 *
 * @example
 * ```ts ignore
 * const listener = await listenTls({ hostname: "0.0.0.0", port: 50000, cert, key,
 *   handshakeTimeoutMs: 10_000, maxHandshakes: 1000, onRefused: (peer, why) => console.log(why) });
 * const conn = await listener.accept(); // handshake done
 * ```
 */
export async function listenTls(options: TlsListenOptions): Promise<TlsListener> {
  checkTlsPair(options.cert, options.key);
  let context: SecureContext;
  try {
    context = createSecureContext({ cert: options.cert, key: options.key });
  } catch (error) {
    throw new InvalidTlsMaterial(error);
  }
  const listener = new TlsListener(options, context);
  await listener.listening;
  return listener;
}

/** The certificate or key cannot be used (not PEM, or not a pair); the TLS library's words as the message. */
export class InvalidTlsMaterial extends Error {
  /**
   * Wraps the TLS library's error.
   *
   * @param cause What the TLS library threw, or null.
   * @param what What is wrong, in a user's words; by default the library's first line.
   */
  constructor(cause: unknown, what?: string) {
    super(what ?? (cause instanceof Error ? cause.message.split("\n")[0] : String(cause)), {
      cause,
    });
    this.name = "InvalidTlsMaterial";
  }
}

/** What the server's certificate says of itself, for warnings at start. */
export interface CertificateFacts {
  /** Marked as a CA (`CA:TRUE`): rustls clients (Deno, client.ts) refuse it as a server's. */
  isCa: boolean;
  /** When it stops being valid. */
  validTo: Date;
}

/**
 * Checks that `cert` (PEM, the server's own certificate first) and `key`
 * (PEM) are a pair. The TLS library would only find out at the first
 * handshake, and every client would then fail with nothing in the log.
 *
 * @param cert The certificate chain.
 * @param key The private key.
 * @returns What the certificate says of itself.
 * @throws {InvalidTlsMaterial} When either is not PEM, or the key is not the certificate's.
 */
export function checkTlsPair(cert: string, key: string): CertificateFacts {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch (error) {
    throw new InvalidTlsMaterial(error, "no PEM certificate in the certificate file");
  }
  let matches: boolean;
  try {
    matches = certificate.checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new InvalidTlsMaterial(error, "no PEM private key in the key file");
  }
  if (!matches) throw new InvalidTlsMaterial(null, "the key is not the certificate's");
  return { isCa: certificate.ca, validTo: new Date(certificate.validTo) };
}

/** See the module's documentation; made by {@linkcode listenTls}. */
export class TlsListener implements ConnListener {
  /** Resolves once listening; rejects if the address cannot be had. */
  readonly listening: Promise<void>;
  readonly #options: TlsListenOptions;
  readonly #context: SecureContext;
  readonly #server: Server;
  /** Connections whose handshake is done, not yet accepted. */
  readonly #ready: NodeSocketConn[] = [];
  /** accept() calls waiting for a connection. */
  readonly #waiting: { resolve: (conn: NodeSocketConn) => void; reject: (e: Error) => void }[] = [];
  /** TCP sockets whose handshake is in progress. */
  readonly #handshaking = new Set<Socket>();
  /** Handshakes in progress per address group; a group leaves at zero. */
  readonly #perAddress = new Map<string, number>();
  #closed = false;
  /** Whether an address may start a handshake at all (see `screen()`). */
  #allows: (hostname: string) => boolean = () => true;
  #addr: Deno.NetAddr = { transport: "tcp", hostname: "", port: 0 };

  /**
   * Starts listening; use {@linkcode listenTls}, which waits for it.
   *
   * @param options See {@linkcode TlsListenOptions}.
   * @param context The certificate and key, loaded.
   */
  constructor(options: TlsListenOptions, context: SecureContext) {
    this.#options = options;
    this.#context = context;
    this.#server = createServer((socket) => this.#handshake(socket));
    this.listening = new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(asListenError(error));
      this.#server.once("error", failed);
      this.#server.listen(options.port, options.hostname, () => {
        this.#server.off("error", failed);
        // Later errors (an accept that failed) must not throw as an unhandled 'error' event.
        this.#server.on("error", () => {});
        const address = this.#server.address();
        if (address !== null && typeof address === "object") {
          this.#addr = { transport: "tcp", hostname: address.address, port: address.port };
        }
        resolve();
      });
    });
  }

  /** The address listened on. */
  get addr(): Deno.NetAddr {
    return this.#addr;
  }

  /**
   * Turns away addresses before their handshake (`--allow`, `--deny`), so a
   * shut-out address costs no TLS work; reported as `denied`.
   *
   * @param allows Whether an address may connect.
   */
  screen(allows: (hostname: string) => boolean): void {
    this.#allows = allows;
  }

  /** How many handshakes are in progress (for tests and the log). */
  get handshakes(): number {
    return this.#handshaking.size;
  }

  /**
   * The next connection whose handshake is done.
   *
   * @returns The connection.
   * @throws {Deno.errors.BadResource} Once the listener is closed.
   */
  accept(): Promise<NodeSocketConn> {
    const ready = this.#ready.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("the listener is closed"));
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Stops listening, closes the handshakes in progress and the connections not yet accepted. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const socket of this.#handshaking) socket.destroy();
    this.#handshaking.clear();
    this.#perAddress.clear();
    for (const conn of this.#ready.splice(0)) conn.close();
    for (const waiter of this.#waiting.splice(0)) {
      waiter.reject(new Deno.errors.BadResource("the listener is closed"));
    }
  }

  /** Runs a new TCP connection's handshake, with its deadline. */
  #handshake(socket: Socket): void {
    const peer = netAddr(socket.remoteAddress, socket.remotePort);
    if (this.#closed) {
      socket.destroy();
      return;
    }
    if (!this.#allows(peer.hostname)) {
      socket.destroy();
      this.#options.onRefused(peer, "denied", "");
      return;
    }
    if (this.#handshaking.size >= this.#options.maxHandshakes) {
      socket.destroy();
      this.#options.onRefused(peer, "too-many", "");
      return;
    }
    const group = addressGroup(peer.hostname) ?? peer.hostname;
    const fromHere = this.#perAddress.get(group) ?? 0;
    const perAddress = this.#options.maxHandshakesPerAddress;
    if (perAddress > 0 && fromHere >= perAddress) {
      socket.destroy();
      this.#options.onRefused(peer, "too-many-here", "");
      return;
    }
    this.#perAddress.set(group, fromHere + 1);
    const done = () => {
      const left = (this.#perAddress.get(group) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(group, left);
      else this.#perAddress.delete(group);
    };
    this.#handshaking.add(socket);
    const tls = new TLSSocket(socket, { isServer: true, secureContext: this.#context });
    let settled = false;
    const fail = (why: HandshakeFailure, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.#handshaking.delete(socket);
      done();
      tls.destroy();
      socket.destroy(); // the TCP socket itself: closed now, not when TLS is done with it
      this.#options.onRefused(peer, why, detail);
    };
    const timer = setTimeout(() => fail("timeout", ""), this.#options.handshakeTimeoutMs);
    tls.once("error", (error: Error) => {
      const detail = firstLine(error.message);
      // A TLS client that gave up (its alert) is no attacker: fail2ban filters on "not-tls".
      fail(/received fatal alert/i.test(detail) ? "alert" : "not-tls", detail);
    });
    socket.once("close", () => fail("closed", ""));
    tls.once("secure", () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.#handshaking.delete(socket);
      done();
      tls.removeAllListeners("error");
      socket.removeAllListeners("close");
      this.#handOver(new NodeSocketConn(tls));
    });
  }

  /** Gives a connection to a waiting accept(), or keeps it for the next. */
  #handOver(conn: NodeSocketConn): void {
    if (this.#closed) {
      conn.close();
      return;
    }
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve(conn);
    else this.#ready.push(conn);
  }
}

/** An error's first line (TLS libraries' messages can run long). */
function firstLine(message: string): string {
  return message.split("\n")[0]!;
}

/** A listen error as the `Deno.errors` class `server.ts` already explains. */
function asListenError(error: Error): Error {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return new Deno.errors.AddrInUse(error.message, { cause: error });
  if (code === "EADDRNOTAVAIL") {
    return new Deno.errors.AddrNotAvailable(error.message, { cause: error });
  }
  if (code === "EACCES") return new Deno.errors.PermissionDenied(error.message, { cause: error });
  return error;
}
