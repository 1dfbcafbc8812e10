/**
 * The last lines people sent to a chat room, kept for late joiners: `[nick]
 * text` and `/me` lines as they were delivered, never notices or private
 * messages (the room decides what it hands over).
 *
 * Each line has an id (`LINEID`), given by the server where it was said and
 * carried with it to the other servers (`--redis`): a page that reconnects
 * says the last id it showed and gets what came after it
 * ({@linkcode ChatHistory.since}), and skips an id it has shown already.
 *
 * @module
 */

const LF = 0x0a; // ends each line of a frame
const encoder = new TextEncoder();

/** A line's id: letters, digits, `.`, `_`, `-` (safe in a WebSocket subprotocol), 1 to 40 of them. */
export const LINE_ID = /^[A-Za-z0-9._-]{1,40}$/;

/** One line of the history with its id. */
export interface HistoryLine {
  /** The line as delivered, with its "\n" (a view of a shared frame: not to change). */
  readonly line: Uint8Array;
  /** Its id, unique in the room. */
  readonly id: string;
}

/**
 * What {@linkcode ChatHistory.since} hands a page that comes back: the lines
 * and their ids, in order.
 */
export interface HistoryPart {
  /** The lines, each with its "\n". */
  readonly lines: Uint8Array[];
  /** Their ids, one a line. */
  readonly ids: string[];
}

/**
 * A bounded list of lines, the oldest dropped first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChatHistory } from "./chat_history.ts";
 * const history = new ChatHistory(2);
 * history.keep(new TextEncoder().encode("[ann] one\n[ann] two\n[bob] three\n"));
 * const text = history.lines.map((line) => new TextDecoder().decode(line));
 * assert.deepEqual(text, ["[ann] two\n", "[bob] three\n"]);
 * const after = history.since(history.ids[0]!).lines.map((line) => new TextDecoder().decode(line));
 * assert.deepEqual(after, ["[bob] three\n"]);
 * ```
 */
export class ChatHistory {
  /** Most lines kept; 0 keeps none. */
  readonly size: number;
  readonly #entries: HistoryLine[] = [];
  /** The ids of each frame kept, for a transport that sends them along (`idsOf()`). */
  readonly #frameIds = new WeakMap<Uint8Array, readonly string[]>();
  /** This process's part of the ids it gives: random, so that two servers' ids never meet. */
  readonly #idPrefix = randomPrefix();
  #nextId = 0;

  /**
   * Starts empty.
   *
   * @param size Most lines kept (`--history`); 0 keeps none.
   * @throws {RangeError} If `size` is not a whole number of 0 or more.
   */
  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`Invalid history size "${size}": expected a whole number >= 0`);
    }
    this.size = size;
  }

  /** The lines kept, oldest first, each with its "\n" (views of the frames kept: not to change). */
  get lines(): Uint8Array[] {
    return this.#entries.map((entry) => entry.line);
  }

  /** Their ids, in the same order. */
  get ids(): string[] {
    return this.#entries.map((entry) => entry.id);
  }

  /**
   * Fresh ids for lines said here (none when nothing is kept).
   *
   * @param count How many.
   * @returns The ids.
   */
  newIds(count: number): string[] | undefined {
    if (this.size === 0) return undefined;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(`${this.#idPrefix}.${(this.#nextId++).toString(36)}`);
    return ids;
  }

  /**
   * Keeps each line of a frame (views, not copies).
   *
   * @param frame Whole lines as delivered; never changed afterwards.
   * @param ids The lines' ids, one a line (from `newIds()` or another
   *   server); missing or wrong ones are made here.
   * @param onLine Also given each line, without its "\n", and its id (for the bus's history).
   */
  keep(
    frame: Uint8Array,
    ids?: readonly string[],
    onLine?: (line: Uint8Array, id: string) => void,
  ): void {
    if (this.size === 0) return;
    const kept: string[] = [];
    let start = 0;
    for (let end = frame.indexOf(LF); end !== -1; end = frame.indexOf(LF, start)) {
      const given = ids?.[kept.length];
      const id = given !== undefined && LINE_ID.test(given) ? given : this.newIds(1)![0]!;
      kept.push(id);
      this.#keepLine(frame.subarray(start, end + 1), id);
      onLine?.(frame.subarray(start, end), id);
      start = end + 1;
    }
    this.#frameIds.set(frame, kept);
  }

  /**
   * The ids of the lines of a frame kept here.
   *
   * @param frame A frame given to `keep()`.
   * @returns Its lines' ids, or undefined for a frame never kept (a notice).
   */
  idsOf(frame: Uint8Array): readonly string[] | undefined {
    return this.#frameIds.get(frame);
  }

  /**
   * The lines after the one with id `after`: all of them when that line is
   * not here (gone, or never seen: the page dedupes by id).
   *
   * @param after The id of the last line a page showed, or null for all.
   * @returns The lines and their ids.
   */
  since(after: string | null): HistoryPart {
    let from = 0;
    if (after !== null) {
      const at = this.#entries.findLastIndex((entry) => entry.id === after);
      if (at !== -1) from = at + 1;
    }
    const part = this.#entries.slice(from);
    return { lines: part.map((entry) => entry.line), ids: part.map((entry) => entry.id) };
  }

  /**
   * Keeps lines given as text (the bus's history, at start).
   *
   * @param lines Lines as delivered, oldest first, without their "\n", with
   *   their ids where known.
   */
  restore(lines: readonly (string | { line: string; id?: string })[]): void {
    for (const item of lines) {
      const { line, id } = typeof item === "string" ? { line: item, id: undefined } : item;
      const valid = id !== undefined && LINE_ID.test(id) ? id : undefined;
      this.#keepLine(encoder.encode(line + "\n"), valid ?? this.newIds(1)?.[0] ?? "");
    }
  }

  /** Forgets every line. */
  clear(): void {
    this.#entries.length = 0;
  }

  #keepLine(line: Uint8Array, id: string): void {
    if (this.size === 0) return;
    // NOTE: shift() moves the rest along; cheap for a few dozen lines, which is what history is for.
    if (this.#entries.push({ line, id }) > this.size) this.#entries.shift();
  }
}

/** Eight random base-36 characters (about 41 bits). */
function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return [...bytes].map((byte) => (byte % 36).toString(36)).join("");
}
