/**
 * Is a port free? The tutorial checks with `netstat -an | find "50000"`; here
 * we ask the operating system directly by binding the port for a moment.
 *
 * NOTE: any such check is racy: another program can take the port between the
 * check and the real `Deno.listen`. The server therefore relies on the error of
 * the real listen and uses these functions only to answer `--check` and to
 * suggest another port.
 *
 * @module
 */

/** Options for {@linkcode findFreePort}. */
export interface FindFreePortOptions {
  /**
   * How many ports after the first to try before asking the system for any free port.
   *
   * @default {20}
   */
  attempts?: number;
}

/**
 * Tells whether `port` can be bound on `host` right now.
 *
 * @param host Address to bind, such as "0.0.0.0" or "::1".
 * @param port Port to try.
 * @returns `true` if free, `false` if in use.
 * @throws {Deno.errors.NotCapable} Without network permission, and other
 *   errors that are not "address in use" (an address that is not local, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPortFree } from "./port_check.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * assert(!isPortFree("127.0.0.1", listener.addr.port));
 * listener.close();
 * ```
 */
export function isPortFree(host: string, port: number): boolean {
  try {
    Deno.listen({ hostname: host, port }).close();
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return false;
    throw error;
  }
}

/**
 * Finds a port near `port` that is free on `host` (the next ones first, since
 * a user remembers 50001 better than 41377), else any port the system offers.
 *
 * @param host Address to bind.
 * @param port The port that was taken.
 * @param options See {@linkcode FindFreePortOptions}.
 * @returns A port that was free a moment ago, or null if none could be bound.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findFreePort } from "./port_check.ts";
 * const port = findFreePort("127.0.0.1", 50000);
 * assert(port === null || port > 0);
 * ```
 */
export function findFreePort(
  host: string,
  port: number,
  options: FindFreePortOptions = {},
): number | null {
  const attempts = options.attempts ?? 20;
  for (let candidate = port + 1; candidate <= Math.min(port + attempts, 65535); candidate++) {
    try {
      if (isPortFree(host, candidate)) return candidate;
    } catch {
      return null;
    }
  }
  try {
    const listener = Deno.listen({ hostname: host, port: 0 });
    const free = listener.addr.port;
    listener.close();
    return free;
  } catch {
    return null;
  }
}
