/**
 * The toolkit's version, printed by `--version`.
 *
 * @module
 */

/** Version of server.ts and client.ts; keep in step with deno.json. */
export const VERSION = "0.1.0";
