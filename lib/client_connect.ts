/**
 * Opening the client's connection, with errors a beginner understands.
 *
 * @module
 */

import type { Messages } from "./messages.ts";
import { describeError, isHostNotFound, isPermissionError } from "./net_errors.ts";

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

/**
 * Connects to `host:port`.
 *
 * @param host Host name or address.
 * @param port Port.
 * @param texts Texts in the user's language, for the error.
 * @returns The connection.
 * @throws {ConnectError} With a one-line explanation: refused (and how to start
 *   the server), unknown host, missing permission, or the system's reason.
 *
 * @example
 * ```ts
 * import { connectTo } from "./client_connect.ts";
 * import { MESSAGES } from "./messages.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const conn = await connectTo("127.0.0.1", listener.addr.port, MESSAGES.en);
 * conn.close();
 * listener.close();
 * ```
 */
export async function connectTo(
  host: string,
  port: number,
  texts: Messages,
): Promise<Deno.TcpConn> {
  try {
    return await Deno.connect({ hostname: host, port });
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) {
      throw new ConnectError(texts.connectionRefused(host, port));
    }
    if (isHostNotFound(error)) throw new ConnectError(texts.unknownHost(host));
    if (isPermissionError(error)) throw new ConnectError(texts.needNetPermission("client.ts"));
    throw new ConnectError(texts.cannotConnect(host, port, describeError(error)));
  }
}
