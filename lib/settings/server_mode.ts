/**
 * The server's modes, apart from the command line that chooses one, so that
 * `server_core.ts` can name them without importing the option parser.
 *
 * @module
 */

/**
 * How the server answers: one reply per line (`reply`), every byte back
 * unchanged (`echo`), or each line passed on to the other clients (`chat`).
 */
export type ServerMode = "reply" | "echo" | "chat";

/**
 * The modes `--mode` accepts, in the order the help and the errors list them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SERVER_MODES } from "./server_mode.ts";
 * assert(SERVER_MODES.includes("chat"));
 * ```
 */
export const SERVER_MODES: readonly ServerMode[] = ["reply", "echo", "chat"];

/** The mode when `--mode` is not given: the tutorial's. */
export const DEFAULT_MODE: ServerMode = "reply";
