/**
 * Raw mode for the interactive client, left the way it was found on every way
 * out: quitting, the server closing, SIGTERM, SIGHUP, an error, and while the
 * client is suspended with Ctrl+Z.
 *
 * Raw mode (no echo, no line buffering, no signal keys) lets the client edit
 * the line itself, so a 64 KiB paste is one read, not a line the kernel cuts
 * at 4 KiB. It also means Ctrl+C and Ctrl+Z arrive as bytes, not signals:
 * Ctrl+Z puts the terminal back the way the shell left it, then stops the
 * process with SIGTSTP, as the kernel would have. Deno lets a process signal
 * itself with `--allow-net` alone. When the shell runs `fg`, SIGCONT puts the
 * terminal back into raw mode and the client draws its prompt again, with
 * what the user had typed.
 *
 * Where nothing can continue a stopped process (a process group without job
 * control, such as a program run directly by `tmux new-session`), the kernel
 * discards SIGTSTP, and the client simply goes on.
 *
 * @module
 */

/** A terminal that can switch raw mode, like `Deno.stdin`. */
export interface RawModeInput {
  /** Turns raw mode on or off; off restores the mode from before the first call. */
  setRaw(mode: boolean): void;
}

/** What the client does when a signal arrives while it holds the terminal. */
export interface TerminalEvents {
  /** The terminal was resized. */
  resized(): void;
  /** The process was continued after a stop: raw mode is back, redraw the prompt. */
  continued(): void;
  /** SIGINT, SIGTERM or SIGHUP: end the session; raw mode is still on. */
  signalled(signal: EndSignal): void;
}

/** Signals that end an interactive session. */
export type EndSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

const END_SIGNALS: readonly EndSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * After Ctrl+Z, how long to wait before taking the terminal back when no stop
 * came. A stop lands within microseconds of the signal, so a process that is
 * still running this much later was not stopped.
 */
export const RESUME_CHECK_MS = 100;

/**
 * Holds a terminal in raw mode and listens for the signals that concern it.
 * Call {@linkcode release} on every way out; it is safe to call twice.
 *
 * @example
 * ```ts ignore
 * import { RawTerminal } from "./terminal_mode.ts";
 * const terminal = new RawTerminal(Deno.stdin, {
 *   resized() {},
 *   continued() {},
 *   signalled() {},
 * });
 * terminal.hold();
 * try {
 *   // read keys from Deno.stdin
 * } finally {
 *   terminal.release();
 * }
 * ```
 */
export class RawTerminal {
  readonly #input: RawModeInput;
  readonly #events: TerminalEvents;
  readonly #listeners: [Deno.Signal, () => void][] = [];
  #held = false;
  /** Takes the terminal back after a Ctrl+Z that did not stop the process. */
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Prepares to hold `input`; nothing changes until {@linkcode hold}.
   *
   * @param input The terminal, usually `Deno.stdin`.
   * @param events What to do on a resize, a continue or an ending signal.
   */
  constructor(input: RawModeInput, events: TerminalEvents) {
    this.#input = input;
    this.#events = events;
  }

  /** Switches to raw mode and starts listening for signals. */
  hold(): void {
    if (this.#held) return;
    this.#input.setRaw(true);
    this.#held = true;
    this.#listen("SIGWINCH", () => this.#events.resized());
    // The shell may have changed the terminal's mode while we were stopped.
    this.#listen("SIGCONT", () => this.#resume());
    for (const signal of END_SIGNALS) this.#listen(signal, () => this.#events.signalled(signal));
  }

  /** Restores the terminal's mode and stops listening. Safe to call again. */
  release(): void {
    for (const [signal, listener] of this.#listeners.splice(0)) {
      try {
        Deno.removeSignalListener(signal, listener);
      } catch {
        // already removed
      }
    }
    clearTimeout(this.#resumeTimer);
    if (!this.#held) return;
    this.#held = false;
    try {
      this.#input.setRaw(false);
    } catch {
      // the terminal is gone (SIGHUP): nothing left to restore
    }
  }

  /**
   * Ctrl+Z: restores the terminal and stops the process with SIGTSTP, as the
   * shell expects. Raw mode comes back, and `continued()` is called, on
   * SIGCONT; also {@linkcode RESUME_CHECK_MS} later, for the case where the
   * kernel discarded the stop (no job control) and no SIGCONT will come.
   * `continued()` may so be called twice: it must be safe to repeat.
   */
  suspend(): void {
    if (!this.#held) return;
    this.#input.setRaw(false);
    // Default action: stop, unless the process group has no job control. Raw
    // mode is not turned back on right after: the stop may land a moment later.
    Deno.kill(Deno.pid, "SIGTSTP");
    clearTimeout(this.#resumeTimer);
    this.#resumeTimer = setTimeout(() => this.#resume(), RESUME_CHECK_MS);
  }

  #resume(): void {
    if (!this.#held) return;
    this.#input.setRaw(true);
    this.#events.continued();
  }

  #listen(signal: Deno.Signal, listener: () => void): void {
    try {
      Deno.addSignalListener(signal, listener);
      this.#listeners.push([signal, listener]);
    } catch {
      // not a signal this platform has (Windows): go without
    }
  }
}
