/**
 * Runs a program on a pseudo-terminal, as a user at a terminal would, with
 * python3's `pty` module doing the part Deno cannot (a controlling terminal
 * for the child). The driver below is passed with `python3 -c`; the test
 * types through its stdin and reads the terminal's output from its stdout.
 *
 * Every wait is for an event (text on the terminal, rows on the screen, the
 * exit) with a time bound; there are no sleeps.
 *
 * @module
 */

import { CLIENT_SCRIPT, WAIT_MS, within } from "./processes.ts";
import { TerminalScreen } from "./terminal_screen.ts";

/**
 * The driver: `python3 -c PTY_DRIVER_PY COLS ROWS PROGRAM ARGS...` forks
 * PROGRAM on a new pseudo-terminal of COLS x ROWS, copies its stdin to the
 * terminal (keystrokes) and the terminal's output to its stdout, byte for
 * byte, and exits with the program's exit code (128 + N if signal N ended
 * it). The variables named in `PTY_DRIVER_UNSET` (comma-separated) are taken
 * out of the program's environment. SIGTERM kills the program; so does a 60 s alarm, so a broken test
 * cannot leave it running.
 */
export const PTY_DRIVER_PY = `
import os, pty, select, signal, struct, sys, fcntl, termios
cols, rows = int(sys.argv[1]), int(sys.argv[2])
for name in os.environ.pop("PTY_DRIVER_UNSET", "").split(","):
    if name:
        os.environ.pop(name, None)
pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(sys.argv[3], sys.argv[3:])
def kill(signum, frame):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
signal.signal(signal.SIGTERM, kill)
signal.signal(signal.SIGALRM, kill)
signal.alarm(60)
inputs = [master, 0]
while True:
    readable = select.select(inputs, [], [])[0]
    if 0 in readable:
        keys = os.read(0, 4096)
        if keys:
            while keys:
                keys = keys[os.write(master, keys):]
        else:
            inputs.remove(0)
    if master in readable:
        try:
            output = os.read(master, 65536)
        except OSError:  # EIO: the program and its terminal are gone
            output = b""
        if not output:
            break
        while output:
            output = output[os.write(1, output):]
status = os.waitpid(pid, 0)[1]
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`;

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: "\r",
  ctrlC: "\x03",
  ctrlD: "\x04",
  left: "\x1b[D",
} as const;

/** Options for {@linkcode PtySession.start}. */
export interface PtySessionOptions {
  /**
   * Terminal width.
   *
   * @default {100}
   */
  cols?: number;
  /**
   * Terminal height.
   *
   * @default {24}
   */
  rows?: number;
  /**
   * More environment variables for the program (a shell's `PS1`, say); null
   * takes a variable out of its environment, even one the test runner has
   * (`NO_COLOR: null` lets it use colours, which the default `NO_COLOR: "1"`
   * turns off).
   */
  env?: Record<string, string | null>;
}

// Cursor and erase sequences, left out when matching text.
// deno-lint-ignore no-control-regex -- ESC is what starts them
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// deno-lint-ignore no-control-regex -- likewise
const COMPLETE_ESCAPE = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|[^[])/;

/**
 * The environment for the driver: the variables with a value as they are,
 * the names of those set to null in `PTY_DRIVER_UNSET`, for the driver to
 * remove (Deno.Command adds the test's own environment, which may have them).
 */
function programEnv(env: Record<string, string | null>): Record<string, string> {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === null) unset.push(name);
    else set[name] = value;
  }
  return unset.length === 0 ? set : { ...set, PTY_DRIVER_UNSET: unset.join(",") };
}

/** A program running on a pseudo-terminal. Always call `close()`. */
export class PtySession {
  /** What the user sees. */
  readonly screen: TerminalScreen;
  /** Everything the program wrote to the terminal, escapes included. */
  output = "";
  /** The output without escape sequences, kept up to date piece by piece. */
  #plain = "";
  /** The end of the output that may be the start of an escape sequence. */
  #unstripped = "";
  readonly #child: Deno.ChildProcess;
  readonly #keys: WritableStreamDefaultWriter<Uint8Array>;
  readonly #reading: Promise<void>;
  readonly #listeners = new Set<() => void>();
  #outputEnded = false;
  #matched = 0; // where the next expect() starts, in the text without escapes
  #closed: Promise<number> | null = null;

  private constructor(
    command: readonly string[],
    cols: number,
    rows: number,
    env: Record<string, string | null>,
  ) {
    const screen = new TerminalScreen(cols, rows);
    const child = new Deno.Command("python3", {
      args: ["-c", PTY_DRIVER_PY, String(cols), String(rows), ...command],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      env: programEnv({ TERM: "xterm-256color", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env }),
    }).spawn();
    this.screen = screen;
    this.#child = child;
    this.#keys = child.stdin.getWriter();
    this.#reading = (async () => {
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        this.output += text;
        this.#strip(text);
        screen.write(text);
        this.#notify();
      }
      this.#outputEnded = true;
      this.#notify();
    })();
  }

  /**
   * Starts `command` on a new pseudo-terminal.
   *
   * @param command The program and its arguments.
   * @param options See {@linkcode PtySessionOptions}.
   * @returns The running session.
   */
  static start(command: readonly string[], options: PtySessionOptions = {}): PtySession {
    return new PtySession(command, options.cols ?? 100, options.rows ?? 24, options.env ?? {});
  }

  /** The output without escape sequences. */
  get text(): string {
    return this.#plain;
  }

  /**
   * Types keys, as they reach the program (see {@linkcode KEYS}).
   *
   * @param keys Text and control keys.
   */
  async type(keys: string): Promise<void> {
    await this.#keys.write(new TextEncoder().encode(keys));
  }

  /**
   * Waits until `text` appears in the output after the previous match, like
   * `expect`, and moves past it. Escape sequences are ignored.
   *
   * @param text What to wait for.
   * @param ms Bound.
   */
  async expect(text: string, ms = WAIT_MS): Promise<void> {
    await this.#until(
      () => {
        const at = this.text.indexOf(text, this.#matched);
        if (at === -1) return false;
        this.#matched = at + text.length;
        return true;
      },
      ms,
      JSON.stringify(text),
    );
  }

  /**
   * Waits until the screen's rows (see {@linkcode TerminalScreen.lines}) are `lines`.
   *
   * @param lines The rows, without trailing spaces.
   * @param ms Bound.
   */
  async expectScreen(lines: readonly string[], ms = WAIT_MS): Promise<void> {
    const same = () => {
      const shown = this.screen.lines();
      return shown.length === lines.length && shown.every((line, i) => line === lines[i]);
    };
    await this.#until(same, ms, `the screen\n${lines.map((line) => `  |${line}`).join("\n")}`);
  }

  /**
   * Waits for the program to exit, with a bound; kills it if the bound passes.
   *
   * @param ms Bound.
   * @returns Its exit code.
   */
  async exitCode(ms = WAIT_MS): Promise<number> {
    try {
      const status = await within(this.#child.status, ms, "the program to exit");
      await this.#reading;
      return status.code;
    } catch (error) {
      await this.close();
      throw new Error(`${(error as Error).message}; screen:\n${this.screen}`);
    }
  }

  /**
   * Ends the session: stops typing, kills the program if it is still running
   * and waits for it and its output.
   *
   * @returns The driver's exit code.
   */
  close(): Promise<number> {
    this.#closed ??= (async () => {
      try {
        await this.#keys.close();
      } catch {
        // the driver has exited
      }
      try {
        this.#child.kill("SIGTERM");
      } catch {
        // already exited
      }
      const status = await this.#child.status;
      await this.#reading;
      return status.code;
    })();
    return this.#closed;
  }

  // Resolves once `done()` holds, checked after each piece of output.
  async #until(done: () => boolean, ms: number, what: string): Promise<void> {
    let listener = () => {};
    const reached = new Promise<void>((resolve, reject) => {
      listener = () => {
        if (done()) resolve();
        else if (this.#outputEnded) reject(new Error(`Output ended before ${what}`));
      };
    });
    this.#listeners.add(listener);
    try {
      listener();
      await within(reached, ms, what);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\nscreen:\n${this.screen}\nrecent output: ${
          JSON.stringify(this.output.slice(-400))
        }`,
      );
    } finally {
      this.#listeners.delete(listener);
    }
  }

  // Adds a piece of output to #plain; an escape sequence cut at its end waits for the rest.
  #strip(text: string): void {
    const pending = this.#unstripped + text;
    const lastEscape = pending.lastIndexOf("\x1b");
    const cut = lastEscape !== -1 && !COMPLETE_ESCAPE.test(pending.slice(lastEscape))
      ? lastEscape
      : pending.length;
    this.#plain += pending.slice(0, cut).replace(ESCAPES, "");
    this.#unstripped = pending.slice(cut);
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * Starts `deno run --allow-net client.ts ARGS` on a new pseudo-terminal, as
 * a user starts it (100 columns wide unless `options` says otherwise).
 *
 * @param args Arguments for client.ts.
 * @param options Size and environment of the terminal.
 * @returns The running client; always `close()` it.
 */
export function startClientOnPty(
  args: readonly string[],
  options: PtySessionOptions = {},
): PtySession {
  return PtySession.start([Deno.execPath(), "run", "--allow-net", CLIENT_SCRIPT, ...args], options);
}
