/**
 * Counters for the summary the server prints when it stops.
 *
 * @module
 */

import type { SummaryValues } from "../text/texts.ts";

/**
 * What the server has done so far. Plain fields, updated on the hot path with
 * nothing more than an addition.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerStats } from "./server_stats.ts";
 * const stats = new ServerStats();
 * stats.bytesIn += 10;
 * assert(stats.summary().bytesIn === 10);
 * ```
 */
export class ServerStats {
  /** Connections accepted and served. */
  connections = 0;
  /** Clients turned away with the busy line: at the connection limit, or out of descriptors. */
  rejected = 0;
  /** Texts framed in reply mode. */
  messages = 0;
  /** Bytes read from clients. */
  bytesIn = 0;
  /** Bytes written to clients. */
  bytesOut = 0;
  readonly #startedAt = performance.now();

  /**
   * Takes a snapshot for the summary line.
   *
   * @returns The counters and the uptime in seconds.
   */
  summary(): SummaryValues {
    return {
      connections: this.connections,
      rejected: this.rejected,
      messages: this.messages,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      uptimeSeconds: (performance.now() - this.#startedAt) / 1000,
    };
  }
}
