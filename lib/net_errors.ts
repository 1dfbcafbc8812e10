/**
 * Recognising the socket errors a user can do something about, so the entry
 * scripts can print one clear line instead of a stack trace.
 *
 * @module
 */

/**
 * Tells whether `error` means the script lacks network permission (it was run
 * without `--allow-net`, and the prompt was refused or disabled).
 *
 * @param error What was thrown.
 * @returns True for Deno's permission errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPermissionError } from "./net_errors.ts";
 * assert(isPermissionError(new Deno.errors.NotCapable("no")));
 * ```
 */
export function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied;
}

/**
 * Tells whether `error` means a host name could not be resolved.
 *
 * @param error What was thrown.
 * @returns True when the resolver found no such host.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHostNotFound } from "./net_errors.ts";
 * assert(isHostNotFound(new Error("failed to lookup address information: x")));
 * ```
 */
export function isHostNotFound(error: unknown): boolean {
  // Deno reports resolver failures as a plain Error with this text.
  return error instanceof Error && error.message.startsWith("failed to lookup address");
}

/**
 * Tells whether `error` means the peer went away: it reset the connection, or
 * it was gone before we could use the connection.
 *
 * @param error What was thrown by a read, write or accept.
 * @returns True for resets, broken pipes and "not connected".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPeerGone } from "./net_errors.ts";
 * assert(isPeerGone(new Deno.errors.ConnectionReset("reset")));
 * ```
 */
export function isPeerGone(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.NotConnected;
}

/**
 * One line of detail for an error, without a stack trace.
 *
 * @param error What was thrown.
 * @returns For example "ConnectionReset: Connection reset by peer (os error 104)".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError } from "./net_errors.ts";
 * assert(describeError(new TypeError("bad\nmore")) === "TypeError: bad");
 * ```
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split("\n")[0]}`;
  return String(error);
}
