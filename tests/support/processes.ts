/**
 * Running the real scripts as a user does (`deno run --allow-net server.ts`),
 * running other programs with piped stdio, reading their output line by line
 * with a time bound, and finding optional tools such as python3.
 *
 * @module
 */

import assert from "node:assert/strict";
import { LOOPBACK } from "./ports.ts";

/** The project's root folder. */
export const ROOT = new URL("../../", import.meta.url).pathname;
/** Path of server.ts. */
export const SERVER_SCRIPT = `${ROOT}server.ts`;
/** Path of client.ts. */
export const CLIENT_SCRIPT = `${ROOT}client.ts`;

/** Options for server.ts that put it on a free loopback port. */
export const ON_FREE_PORT: readonly string[] = ["--host", LOOPBACK, "--port", "0"];

/** Default bound for waiting on a process event. */
export const WAIT_MS = 10_000;

/**
 * Resolves with `promise`, or rejects if it takes longer than `ms`.
 *
 * @param promise What to wait for.
 * @param ms The bound.
 * @param what Said in the error.
 * @returns The value of `promise`.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a byte stream as lines; keeps everything read in `text`. */
export class LineReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;
  /** Everything read so far. */
  text = "";

  /** @param stream A process's stdout or stderr. */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /**
   * The next line, without "\n"; null at end of stream.
   *
   * @param ms Bound on the wait.
   */
  async nextLine(ms = WAIT_MS): Promise<string | null> {
    return await within(this.#nextLine(), ms, "a line of output");
  }

  /**
   * Reads lines until one matches.
   *
   * @param pattern What to look for.
   * @param ms Bound on the whole wait.
   * @returns The matching line.
   */
  async waitFor(pattern: RegExp, ms = WAIT_MS): Promise<string> {
    const search = async () => {
      for (;;) {
        const line = await this.#nextLine();
        if (line === null) throw new Error(`Output ended before ${pattern}: ${this.text}`);
        if (pattern.test(line)) return line;
      }
    };
    return await within(search(), ms, `a line matching ${pattern}; got so far: ${this.text}`);
  }

  /** Reads to the end and returns all the text. */
  async rest(ms = WAIT_MS): Promise<string> {
    const drain = async () => {
      while ((await this.#nextLine()) !== null) {
        // keep reading
      }
      return this.text;
    };
    return await within(drain(), ms, "end of output");
  }

  async #nextLine(): Promise<string | null> {
    for (;;) {
      const newline = this.#buffer.indexOf("\n");
      if (newline !== -1) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        return line;
      }
      if (this.#done) {
        if (this.#buffer === "") return null;
        const last = this.#buffer;
        this.#buffer = "";
        return last;
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else {
        this.#buffer += value;
        this.text += value;
      }
    }
  }
}

/** A server started as a user starts it. */
export interface ServerProcess {
  /** The process. */
  child: Deno.ChildProcess;
  /** The port from the ready line. */
  port: number;
  /** The ready line itself. */
  readyLine: string;
  /** stdout after the ready line. */
  stdout: LineReader;
  /** stderr. */
  stderr: LineReader;
  /** Sends a signal and waits for the exit; resolves with status and the rest of the output. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Options for {@linkcode startServer}. */
export interface StartServerOptions {
  /**
   * Deno flags instead of `--allow-net` (for example a narrower `--allow-net=HOST:PORT`).
   *
   * @default {["--allow-net"]}
   */
  denoFlags?: readonly string[];
  /**
   * Start it under `ulimit -n FD_LIMIT`, through `sh`, as a shell with that
   * limit would; by default it inherits the test's limit.
   */
  fdLimit?: number;
  /** More environment variables (for example `DENO_CERT` for a private CA). */
  env?: Record<string, string>;
}

/**
 * Starts `deno run --allow-net server.ts ARGS` and waits for its ready line.
 * Pass `--port 0` (and a host) to get a free port.
 *
 * @param args Options for server.ts.
 * @param options Other Deno flags, a descriptor limit.
 * @returns The running server; call `stop()` in every test.
 */
export async function startServer(
  args: readonly string[],
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  const denoArgs = ["run", ...(options.denoFlags ?? ["--allow-net"]), SERVER_SCRIPT, ...args];
  // With `exec`, the process (and its pid, for signals) is Deno's, not the shell's.
  const [program, programArgs] = options.fdLimit === undefined
    ? [Deno.execPath(), denoArgs]
    : ["sh", [
      "-c",
      `ulimit -n ${options.fdLimit} && exec "$0" "$@"`,
      Deno.execPath(),
      ...denoArgs,
    ]];
  const child = new Deno.Command(program, {
    args: programArgs,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    // Deno's update check, in the background, can print a warning of its own on stderr.
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...options.env },
  }).spawn();
  const stdout = new LineReader(child.stdout);
  const stderr = new LineReader(child.stderr);
  let readyLine: string | null;
  try {
    readyLine = await stdout.nextLine();
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    await Promise.allSettled([stdout.rest(), stderr.rest()]);
    throw error;
  }
  // The last number on the line is the port, in both languages and for IPv6 ("[::1]:40123").
  const port = Number(readyLine?.match(/(\d+)(?!.*\d)/)?.[1]);
  if (readyLine === null || !Number.isInteger(port)) {
    const status = await child.status;
    const err = await stderr.rest();
    throw new Error(`Server did not start (exit ${status.code}): ${err}`);
  }
  let stopped: Promise<{ code: number; stdout: string; stderr: string }> | null = null;
  return {
    child,
    port,
    readyLine,
    stdout,
    stderr,
    stop(signal: Deno.Signal = "SIGTERM") {
      if (stopped === null) {
        stopped = (async () => {
          try {
            child.kill(signal);
          } catch {
            // already exited
          }
          const [status, out, err] = await Promise.all([
            within(child.status, WAIT_MS, "the server to exit"),
            stdout.rest(),
            stderr.rest(),
          ]);
          return { code: status.code, stdout: out, stderr: err };
        })();
      }
      return stopped;
    },
  };
}

/**
 * Runs `body` against a fresh server.ts on a free loopback port, then stops
 * the server and asserts it exited 0, also when `body` throws.
 *
 * @param args More options for server.ts.
 * @param body The test.
 */
export async function withServerProcess(
  args: readonly string[],
  body: (server: ServerProcess) => Promise<void>,
): Promise<void> {
  const server = await startServer([...ON_FREE_PORT, ...args]);
  try {
    await body(server);
  } finally {
    const { code, stderr } = await server.stop();
    assert.equal(code, 0, `server exit; stderr:\n${stderr}`);
  }
}

/** What a finished script printed. */
export interface ScriptResult {
  /** Exit code. */
  code: number;
  /** All of stdout. */
  stdout: string;
  /** All of stderr. */
  stderr: string;
}

/** What a finished script printed, as bytes. */
export interface ScriptBytesResult {
  /** Exit code. */
  code: number;
  /** All of stdout. */
  stdout: Uint8Array<ArrayBuffer>;
  /** All of stderr. */
  stderr: Uint8Array<ArrayBuffer>;
}

/** Options for {@linkcode runScript} and {@linkcode runScriptForBytes}. */
export interface RunScriptOptions {
  /** Bytes for stdin; stdin is empty (closed) when absent. */
  stdin?: Uint8Array | string;
  /** Deno flags instead of `--allow-net` (for example `["--no-prompt"]`). */
  denoFlags?: string[];
  /**
   * Bound on the run.
   *
   * @default {WAIT_MS * 3}
   */
  timeoutMs?: number;
}

/**
 * Runs `deno run --allow-net SCRIPT ARGS` to its end and returns its output as
 * text.
 *
 * @param script SERVER_SCRIPT or CLIENT_SCRIPT.
 * @param args Its arguments.
 * @param options stdin, flags, bound.
 * @returns Exit code and output.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  options: RunScriptOptions = {},
): Promise<ScriptResult> {
  const { code, stdout, stderr } = await runScriptForBytes(script, args, options);
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/**
 * Runs `deno run --allow-net SCRIPT ARGS` to its end and returns its output as
 * bytes, for binary output.
 *
 * @param script SERVER_SCRIPT or CLIENT_SCRIPT.
 * @param args Its arguments.
 * @param options stdin, flags, bound.
 * @returns Exit code and output.
 */
export async function runScriptForBytes(
  script: string,
  args: readonly string[],
  options: RunScriptOptions = {},
): Promise<ScriptBytesResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.denoFlags ?? ["--allow-net"]), script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  const input = options.stdin ?? new Uint8Array(0);
  const feeding = (async () => {
    try {
      await writer.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
      await writer.close();
    } catch {
      // the script exited before reading all of stdin
    }
  })();
  try {
    const output = await within(child.output(), options.timeoutMs ?? WAIT_MS * 3, script);
    await feeding;
    return { code: output.code, stdout: output.stdout, stderr: output.stderr };
  } catch (error) {
    killQuietly(child);
    await child.status;
    throw error;
  }
}

/** A running program with piped stdin, stdout and stderr. */
export interface PipedProcess {
  /** The process. */
  child: Deno.ChildProcess;
  /** Its stdout, line by line. */
  stdout: LineReader;
  /** Its stderr, line by line. */
  stderr: LineReader;
  /**
   * Writes a line to its stdin.
   *
   * @param line The text, without "\n" (it is added).
   */
  writeLine(line: string): Promise<void>;
  /**
   * Closes its stdin and waits for it to exit with a bound, killing it if it
   * does not; may be called more than once.
   *
   * @returns Exit code and the whole of stdout and stderr.
   */
  finish(): Promise<ScriptResult>;
}

/**
 * Starts `COMMAND ARGS` with piped stdin, stdout and stderr.
 *
 * @param command The program, for example `Deno.execPath()` or "python3".
 * @param args Its arguments.
 * @param env Extra environment variables.
 * @returns The running process; always call `finish()`.
 */
export function startPipedProcess(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): PipedProcess {
  const child = new Deno.Command(command, {
    args: [...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env,
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdout = new LineReader(child.stdout);
  const stderr = new LineReader(child.stderr);
  let finished: Promise<ScriptResult> | null = null;
  return {
    child,
    stdout,
    stderr,
    async writeLine(line: string) {
      await writer.write(new TextEncoder().encode(line + "\n"));
    },
    finish() {
      finished ??= (async () => {
        try {
          await writer.close();
        } catch {
          // it exited already
        }
        try {
          const [status, out, err] = await Promise.all([
            within(child.status, WAIT_MS, `${command} to exit`),
            stdout.rest(),
            stderr.rest(),
          ]);
          return { code: status.code, stdout: out, stderr: err };
        } catch (error) {
          killQuietly(child);
          await child.status;
          await Promise.allSettled([stdout.rest(), stderr.rest()]);
          throw error;
        }
      })();
      return finished;
    },
  };
}

/**
 * Sends SIGKILL to `child`, ignoring that it may have exited already.
 *
 * @param child The process.
 */
export function killQuietly(child: Deno.ChildProcess): void {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
}

let pythonFound: boolean | null = null;

/**
 * Tells whether python3 can be run (tests that need it skip themselves without it).
 *
 * @returns True if `python3 --version` succeeds.
 */
export async function hasPython(): Promise<boolean> {
  if (pythonFound === null) {
    try {
      const { success } = await new Deno.Command("python3", {
        args: ["--version"],
        stdout: "null",
        stderr: "null",
      }).output();
      pythonFound = success;
    } catch {
      pythonFound = false;
    }
  }
  return pythonFound;
}
