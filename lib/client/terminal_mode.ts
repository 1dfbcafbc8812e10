/**
 * Raw mode for the interactive client, left the way it was found on every way
 * out: quitting, the server closing, Ctrl+C, SIGTERM, SIGHUP, Ctrl+\, an
 * error, and while the client is suspended with Ctrl+Z.
 *
 * Raw mode (no echo, no line buffering) lets the client edit the line itself,
 * so a 64 KiB paste is one read, not a line the kernel cuts at 4 KiB. The
 * signal keys stay on ("cbreak" mode): Ctrl+C, Ctrl+Z and Ctrl+\ make the
 * terminal signal the whole foreground job, so `deno task client`, where a
 * `deno task` process waits for ours, stops and ends with it.
 *
 * Ctrl+Z: the client catches SIGTSTP, leaves its prompt, puts the terminal
 * back the way the shell left it, stops catching SIGTSTP and sends it to
 * itself, so the kernel stops it as it would have. (Deno lets a process
 * signal itself with `--allow-net` alone.) When the shell runs `fg`, SIGCONT
 * brings raw mode back and the client draws its prompt again, with what the
 * user had typed. Where nothing could ever continue a stopped process (no job
 * control, as for a program that `tmux new-session` runs directly), the kernel
 * discards SIGTSTP and the client simply goes on.
 *
 * @module
 */

/** A terminal that can switch raw mode, like `Deno.stdin`. */
export interface RawModeInput {
  /**
   * Turns raw mode on or off; off restores the mode from before the first call.
   *
   * @param mode On or off.
   * @param options `cbreak` keeps the signal keys (Ctrl+C, Ctrl+Z) working.
   */
  setRaw(mode: boolean, options?: { cbreak?: boolean }): void;
}

/** What the client does when a signal arrives while it holds the terminal. */
export interface TerminalEvents {
  /** The terminal was resized. */
  resized(): void;
  /** Ctrl+Z: leave the prompt; the process stops once this settles. */
  suspending(): Promise<void>;
  /** The process was continued after a stop: raw mode is back, draw the prompt. May repeat. */
  continued(): void;
  /** Ctrl+C (SIGINT), SIGTERM, SIGHUP or Ctrl+\ (SIGQUIT): end the session; raw mode is still on. */
  signalled(signal: EndSignal): void;
}

/** Signals that end an interactive session. */
export type EndSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT";

const END_SIGNALS: readonly EndSignal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];

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
 *   suspending: () => Promise.resolve(),
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
  readonly #listeners = new Map<Deno.Signal, () => void>();
  #held = false;
  /** Between Ctrl+Z and the stop: a second Ctrl+Z then changes nothing. */
  #suspending = false;
  /** Takes the terminal back after a Ctrl+Z that did not stop the process. */
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Prepares to hold `input`; nothing changes until {@linkcode hold}.
   *
   * @param input The terminal, usually `Deno.stdin`.
   * @param events What to do on a resize, a stop, a continue or an ending signal.
   */
  constructor(input: RawModeInput, events: TerminalEvents) {
    this.#input = input;
    this.#events = events;
  }

  /** Switches to raw mode and starts listening for signals. */
  hold(): void {
    if (this.#held) return;
    this.#rawMode();
    this.#held = true;
    this.#listen("SIGWINCH", () => this.#events.resized());
    // The shell may have changed the terminal's mode while we were stopped.
    this.#listen("SIGCONT", () => this.#resume());
    this.#listen("SIGTSTP", () => void this.suspend());
    for (const signal of END_SIGNALS) this.#listen(signal, () => this.#events.signalled(signal));
  }

  /** Restores the terminal's mode and stops listening. Safe to call again. */
  release(): void {
    clearTimeout(this.#resumeTimer);
    for (const signal of [...this.#listeners.keys()]) this.#unlisten(signal);
    if (!this.#held) return;
    this.#held = false;
    try {
      this.#input.setRaw(false);
    } catch {
      // the terminal is gone (SIGHUP): nothing left to restore
    }
  }

  /**
   * Ctrl+Z: lets the client leave its prompt, restores the terminal and stops
   * the process with SIGTSTP, as the shell expects. Raw mode comes back, and
   * `continued()` is called, on SIGCONT; also {@linkcode RESUME_CHECK_MS}
   * later, for the case where the kernel discarded the stop (no job control)
   * and no SIGCONT will come. `continued()` may so be called twice.
   */
  async suspend(): Promise<void> {
    if (!this.#held || this.#suspending) return;
    this.#suspending = true;
    await this.#events.suspending();
    if (!this.#held) return;
    this.#unlisten("SIGTSTP"); // the kernel's own action again: stop
    this.#input.setRaw(false);
    // Raw mode is not turned back on right after: the stop may land a moment later.
    Deno.kill(Deno.pid, "SIGTSTP");
    clearTimeout(this.#resumeTimer);
    this.#resumeTimer = setTimeout(() => this.#resume(), RESUME_CHECK_MS);
  }

  #resume(): void {
    if (!this.#held) return;
    this.#suspending = false;
    if (!this.#listeners.has("SIGTSTP")) this.#listen("SIGTSTP", () => void this.suspend());
    this.#rawMode();
    this.#events.continued();
  }

  #rawMode(): void {
    this.#input.setRaw(true, { cbreak: true });
  }

  #listen(signal: Deno.Signal, listener: () => void): void {
    try {
      Deno.addSignalListener(signal, listener);
      this.#listeners.set(signal, listener);
    } catch {
      // not a signal this platform has (Windows): go without
    }
  }

  #unlisten(signal: Deno.Signal): void {
    const listener = this.#listeners.get(signal);
    if (listener === undefined) return;
    this.#listeners.delete(signal);
    try {
      Deno.removeSignalListener(signal, listener);
    } catch {
      // already removed
    }
  }
}
