/**
 * Loopback addresses and ports for tests that listen or connect for real.
 *
 * @module
 */

/** The IPv4 loopback address every test server listens on. */
export const LOOPBACK = "127.0.0.1";

/**
 * Finds a port on `hostname` that nothing listens on a moment later, by
 * binding port 0 and closing the listener. Racy, but a race only fails a test.
 *
 * @param hostname Where the port must be free.
 * @returns The port.
 */
export function unusedPort(hostname = LOOPBACK): number {
  const listener = Deno.listen({ hostname, port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/**
 * Tells whether this machine can listen on `hostname` (for example "::1",
 * which some machines lack), so tests that need it can skip themselves.
 *
 * @param hostname The address to try.
 * @returns True if a listener on port 0 could be opened there.
 */
export function canListenOn(hostname: string): boolean {
  try {
    Deno.listen({ hostname, port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}
