/**
 * The server's log: status lines on stdout, errors on stderr, a client's
 * address in front of each line about it, colours only on a terminal.
 *
 * @module
 */

import { LogSink } from "./log_sink.ts";

/** Options for {@linkcode Logger}. */
export interface LoggerOptions {
  /**
   * Log only errors.
   *
   * @default {false}
   */
  quiet?: boolean;
  /**
   * Log every read and write.
   *
   * @default {false}
   */
  trace?: boolean;
  /**
   * Colour the output. By default: only when the stream is a terminal and
   * NO_COLOR is not set (`Deno.noColor` reads it without env permission).
   */
  color?: boolean;
  /** Where info lines go; defaults to a {@linkcode LogSink} on stdout. Tests pass a collector. */
  writeInfo?: (line: string) => void;
  /** Where error lines go; defaults to a {@linkcode LogSink} on stderr. */
  writeError?: (line: string) => void;
  /** The line that says how many log lines were skipped because the output was not read. */
  skippedNotice?: (count: number) => string;
}

const DIM = "\x1b[2m";
const RED = "\x1b[31m";
const RESET = "\x1b[0m";
/** Longest message text shown in a log line; the rest is summarised. */
const MAX_SHOWN_CHARS = 200;
/**
 * What {@linkcode printable} escapes: C0 and C1 controls; the bidi controls
 * (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), since U+202E
 * would show the rest of the server's line reversed; and U+2028 and U+2029,
 * which some terminals and viewers take as line breaks.
 */
// deno-lint-ignore no-control-regex
const UNSAFE_CHARS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * Writes log lines. Every write is guarded: a closed stdout never takes the
 * server down.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Logger } from "./logger.ts";
 * const lines: string[] = [];
 * const log = new Logger({ writeInfo: (line) => lines.push(line) });
 * log.info("hello", "127.0.0.1:6708");
 * assert(lines[0] === "[127.0.0.1:6708] hello");
 * ```
 */
export class Logger {
  /** Whether info lines are written. */
  readonly quiet: boolean;
  /** Whether reads and writes are traced. */
  readonly tracing: boolean;
  readonly #color: boolean;
  readonly #writeInfo: (line: string) => void;
  readonly #writeError: (line: string) => void;
  readonly #sinks: LogSink[] = [];

  /**
   * Creates a logger.
   *
   * @param options See {@linkcode LoggerOptions}.
   */
  constructor(options: LoggerOptions = {}) {
    this.quiet = options.quiet ?? false;
    this.tracing = options.trace ?? false;
    this.#color = options.color ?? (!Deno.noColor && safeIsTerminal());
    const sinkOptions = options.skippedNotice ? { skippedNotice: options.skippedNotice } : {};
    if (options.writeInfo) this.#writeInfo = options.writeInfo;
    else {
      const sink = new LogSink(Deno.stdout, sinkOptions);
      this.#sinks.push(sink);
      this.#writeInfo = (line) => sink.line(line);
    }
    if (options.writeError) this.#writeError = options.writeError;
    else {
      const sink = new LogSink(Deno.stderr, sinkOptions);
      this.#sinks.push(sink);
      this.#writeError = (line) => sink.line(line);
    }
  }

  /**
   * Waits until queued lines are written, or the deadline passes.
   *
   * @param timeoutMs The deadline in milliseconds.
   */
  async flush(timeoutMs: number): Promise<void> {
    await Promise.all(this.#sinks.map((sink) => sink.flush(timeoutMs)));
  }

  /**
   * Logs a status line unless quiet.
   *
   * @param text The line.
   * @param peer The client it is about, shown in brackets.
   */
  info(text: string, peer?: string): void {
    if (this.quiet) return;
    this.#write(this.#writeInfo, this.#prefix(peer) + text);
  }

  /**
   * Logs a line even when quiet (the ready line, the summary).
   *
   * @param text The line.
   */
  always(text: string): void {
    this.#write(this.#writeInfo, text);
  }

  /**
   * Logs an error on stderr, even when quiet.
   *
   * @param text The line.
   * @param peer The client it is about.
   */
  error(text: string, peer?: string): void {
    const line = (peer === undefined ? "" : `${bracketed(peer)} `) + text;
    this.#write(this.#writeError, this.#color ? RED + line + RESET : line);
  }

  /**
   * Logs a trace line when tracing.
   *
   * @param text The line.
   * @param peer The client it is about.
   */
  trace(text: string, peer: string): void {
    if (!this.tracing) return;
    this.#write(this.#writeInfo, this.#prefix(peer) + text);
  }

  #prefix(peer: string | undefined): string {
    if (peer === undefined) return "";
    return this.#color ? `${DIM}${bracketed(peer)}${RESET} ` : `${bracketed(peer)} `;
  }

  #write(write: (line: string) => void, line: string): void {
    try {
      write(line);
    } catch {
      // stdout or stderr is gone (a closed pipe): keep serving regardless.
    }
  }
}

/**
 * A peer as it starts a log line: `[127.0.0.1:38566]`. An IPv6 peer comes from
 * `hostPort()` already bracketed (`[::1]:36678`) and keeps that one pair.
 */
function bracketed(peer: string): string {
  return peer.startsWith("[") ? peer : `[${peer}]`;
}

/**
 * Makes client text safe to print on one log line: control characters are
 * escaped (so a client cannot move the cursor or fake a log line), and so are
 * bidi controls and line separators (so it cannot reorder or break the rest
 * of the line on a terminal); long text is cut.
 *
 * @param text Decoded message text.
 * @param moreCharacters Says how many characters were cut (the log's language).
 * @returns The text as it should appear in the log.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printable } from "./logger.ts";
 * assert(printable("a\u0000b\u001b[2J") === "a\\x00b\\x1b[2J");
 * ```
 */
export function printable(
  text: string,
  moreCharacters: (count: number) => string = englishMoreCharacters,
): string {
  let cut = text.length;
  if (text.length > MAX_SHOWN_CHARS) {
    cut = MAX_SHOWN_CHARS;
    // Do not split a surrogate pair (an emoji, say) in two.
    const last = text.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--;
  }
  const shown = text.slice(0, cut);
  const escaped = shown.replace(UNSAFE_CHARS, (char) => {
    if (char === "\t") return "\\t";
    if (char === "\r") return "\\r";
    const code = char.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, "0")}`
      : `\\x${code.toString(16).padStart(2, "0")}`;
  });
  if (cut === text.length) return escaped;
  const more = [...text.slice(cut)].length; // characters, not UTF-16 units
  return `${escaped}… (${moreCharacters(more)})`;
}

function englishMoreCharacters(count: number): string {
  return `${count} more ${count === 1 ? "character" : "characters"}`;
}

function safeIsTerminal(): boolean {
  try {
    return Deno.stdout.isTerminal();
  } catch {
    return false;
  }
}
