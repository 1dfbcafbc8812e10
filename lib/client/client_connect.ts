/**
 * Opening the client's connection, with errors a beginner understands.
 *
 * @module
 */

import { closeQuietly, type Conn } from "../stream/connection_io.ts";
import { resultWithin } from "../stream/deadline.ts";
import type { Texts } from "../text/texts.ts";
import { describeError, isHostNotFound, isPermissionError } from "../stream/net_errors.ts";

/** A connection that could not be made; its message is ready to show the user. */
export class ConnectError extends Error {
  /**
   * Creates the error.
   *
   * @param message The user-facing text, already in the user's language.
   */
  constructor(message: string) {
    super(message);
    this.name = "ConnectError";
  }
}

/** Options for {@linkcode connectTo}. */
export interface ConnectOptions {
  /**
   * Give up after this many milliseconds (`--wait`). A connection that
   * completes later is closed at once.
   *
   * @default {undefined} no limit of our own: the system's (about two minutes on Linux)
   */
  timeoutMs?: number;
  /**
   * Opens the connection. Tests pass a slow fake to check the timeout, since
   * no local address reliably leaves a connection attempt unanswered.
   *
   * @default {Deno.connect}
   */
  connect?: (options: Deno.ConnectOptions) => Promise<Conn>;
  /**
   * Speak TLS (`--tls`): the server's certificate and name are checked
   * against the usual roots and `caCerts` (PEM, from `--ca`), and the
   * handshake is done before this returns, so that its errors are the
   * connection's.
   *
   * @default {undefined} plaintext
   */
  tls?: { caCerts: string[] };
  /**
   * The client's command-line arguments, repeated in the hint to run it with
   * `--allow-net` when the permission is missing.
   *
   * @default {[]}
   */
  args?: readonly string[];
}

/**
 * Connects to `host:port`.
 *
 * @param host Host name or address.
 * @param port Port.
 * @param texts Texts in the user's language, for the error.
 * @param options A time limit.
 * @returns The connection.
 * @throws {ConnectError} With a one-line explanation: refused (and how to start
 *   the server), unknown or malformed host, no answer in time, missing
 *   permission, or the system's reason.
 *
 * @example
 * ```ts
 * import { connectTo } from "./client_connect.ts";
 * import { TEXTS } from "../text/texts.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const conn = await connectTo("127.0.0.1", listener.addr.port, TEXTS.en, { timeoutMs: 5000 });
 * conn.close();
 * listener.close();
 * ```
 */
export async function connectTo(
  host: string,
  port: number,
  texts: Texts,
  options: ConnectOptions = {},
): Promise<Conn> {
  const { timeoutMs, tls } = options;
  const connect = options.connect ??
    (tls === undefined
      ? (target: Deno.ConnectOptions) => Deno.connect(target)
      : (target: Deno.ConnectOptions) => connectTls(target, tls.caCerts));
  try {
    const attempt = connect({ hostname: host, port });
    if (timeoutMs === undefined) return await attempt;
    return await withDeadline(
      attempt,
      timeoutMs,
      () => texts.connectTimeout(host, port, timeoutMs / 1000),
    );
  } catch (error) {
    if (error instanceof ConnectError) throw error;
    if (error instanceof Deno.errors.ConnectionRefused) {
      throw new ConnectError(texts.connectionRefused(host, port));
    }
    if (isHostNotFound(error)) throw new ConnectError(texts.unknownHost(host));
    // Deno checks the host's form before any lookup: "a b" throws a URIError
    // ("invalid char found in FQDN"), which says nothing to a user.
    if (error instanceof URIError || error instanceof TypeError) {
      throw new ConnectError(texts.invalidHost(host));
    }
    if (isPermissionError(error)) {
      throw new ConnectError(texts.needNetPermission("client.ts", options.args ?? []));
    }
    const tlsProblem = tls === undefined ? null : explainTlsError(error, host, port, texts);
    throw new ConnectError(tlsProblem ?? texts.cannotConnect(host, port, describeError(error)));
  }
}

/** Connects with TLS and finishes the handshake (Deno would do it at the first read). */
async function connectTls(target: Deno.ConnectOptions, caCerts: string[]): Promise<Conn> {
  const conn = await Deno.connectTls({ ...target, caCerts });
  try {
    await conn.handshake();
  } catch (error) {
    closeQuietly(conn);
    throw error;
  }
  return conn;
}

/**
 * The one-line explanation of a failed TLS handshake, or null when it was
 * not TLS's fault. rustls (Deno's TLS) says what is wrong in its message.
 */
function explainTlsError(error: unknown, host: string, port: number, texts: Texts): string | null {
  const message = error instanceof Error ? error.message : "";
  if (message.includes("UnknownIssuer")) return texts.tlsUnknownIssuer(host, port);
  if (message.includes("not valid for name")) {
    const names = [...message.matchAll(/DnsName\("([^"]+)"\)|IpAddress\(([^)]+)\)/g)]
      .map((match) => match[1] ?? match[2]!);
    return texts.tlsWrongName(host, names);
  }
  if (/Expired|NotValidYet/.test(message)) return texts.tlsExpired(host, port);
  // A plaintext server closes on our hello (a chat server), echoes it, or answers in text.
  if (
    error instanceof Deno.errors.UnexpectedEof ||
    /corrupt message|unexpected handshake message|InvalidContentType/.test(message)
  ) {
    return texts.tlsNotTls(host, port);
  }
  return null;
}

/**
 * Waits for `attempt` at most `ms`, then throws a ConnectError with the text
 * of `timeoutText`; a connection that arrives after that is closed, so none is
 * left open unseen.
 */
async function withDeadline(
  attempt: Promise<Conn>,
  ms: number,
  timeoutText: () => string,
): Promise<Conn> {
  const conn = await resultWithin(attempt, ms);
  if (conn !== null) return conn;
  attempt.then(closeQuietly, () => {}); // too late: nobody will use it
  throw new ConnectError(timeoutText());
}
