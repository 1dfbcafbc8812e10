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
 * Tells whether `error` means no file descriptor is left: the process is at
 * its limit (EMFILE, `ulimit -n`) or the whole system is (ENFILE), so no
 * socket can be accepted or opened until one is closed.
 *
 * @param error What was thrown, typically by `accept()`.
 * @returns True for "Too many open files".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isOutOfFileDescriptors } from "./net_errors.ts";
 * assert(isOutOfFileDescriptors(new Error("Too many open files (os error 24)")));
 * ```
 */
export function isOutOfFileDescriptors(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // Deno 2.9 has no Deno.errors class for these: it throws a plain Error whose `code` is the
  // errno name and whose message is the system's text, "Too many open files (os error 24)".
  const code = (error as { code?: unknown }).code;
  return code === "EMFILE" || code === "ENFILE" || error.message.includes("Too many open files");
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
